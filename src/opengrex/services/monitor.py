"""Target monitor (seed 004) and regional profile (seed 003): load the register of targets, check it, read a plan
pipeline and show progress against the targets over time; the regional indicator table with deviations.

Orchestration only; the rules are in :mod:`opengrex.engine.monitor`.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from opengrex.engine import monitor as eng
from opengrex.engine.explain import Explanation, Input, ParameterUse, explanation
from opengrex.errors import InputError
from opengrex.model.monitor import BETAALBAAR, HARDHEDEN, SEGMENTEN, Doel, DoelenRegister, Gebieden, Plancapaciteit, PlanRij, RegioProfiel

__all__ = [
    "load_doelen", "doelen_register", "doel_historie", "controle", "load_gebieden", "load_pijplijn", "voortgang",
    "VoortgangResult", "regio_profiel", "RegioProfielResult",
    "KENGETALLEN", "load_plancapaciteit", "pijplijn_document", "plancapaciteit_from_dict", "plancapaciteit_from_text",
    "plancapaciteit_to_dict", "calculate_plancapaciteit", "explain",
]

_PARAMS = Path(__file__).resolve().parent.parent / "parameters"


# ---------------------------------------------------------------------------------------------------- the register
@lru_cache(maxsize=16)
def _read_register(path: str, mtime: float) -> tuple[Doel, ...]:
    from opengrex.io.documents import build_model, read_document

    data, locator = read_document(path)
    return build_model(DoelenRegister, data, locator).doelen


def load_doelen(extra: Sequence[str | Path] = ()) -> list[Doel]:
    """Every version of every target: the register shipped (``parameters/monitor/doelen.yaml``) plus ``extra``
    files (same format). The same id with the same versiedatum twice is an error."""
    paths = [_PARAMS / "monitor" / "doelen.yaml"] + [Path(p) for p in extra]
    out: list[Doel] = []
    seen: dict[tuple, str] = {}
    for p in paths:
        if not p.is_file():
            raise InputError("doelenbestand bestaat niet", field="--doelen", value=str(p))
        for d in _read_register(str(p), p.stat().st_mtime):
            key = (d.id, d.versiedatum)
            if key in seen:
                raise InputError(f"doel '{d.id}' heeft twee versies met versiedatum {d.versiedatum} ({seen[key]} en {p})", location=str(p), field="versiedatum",
                                 value=d.versiedatum.isoformat(), allowed="een latere versiedatum voor een nieuwe versie")
            seen[key] = str(p)
            out.append(d)
    return out


def _peildatum(peildatum: dt.date | str | None) -> dt.date | None:
    if isinstance(peildatum, str):
        try:
            return dt.date.fromisoformat(peildatum)
        except ValueError:
            raise InputError("ongeldige datum", field="--peildatum", value=peildatum, allowed="JJJJ-MM-DD") from None
    return peildatum


def doelen_register(peildatum: dt.date | str | None = None, extra: list | tuple = ()) -> list[Doel]:
    """The register on ``peildatum`` (None: the latest): per id the newest version with versiedatum ≤ peildatum."""
    day = _peildatum(peildatum)
    current: dict[str, Doel] = {}
    for d in sorted(load_doelen(extra), key=lambda d: d.versiedatum):
        if day is None or d.versiedatum <= day:
            current[d.id] = d
    return list(current.values())


def doel_historie(doel_id: str, extra: list | tuple = ()) -> list[Doel]:
    """Every version of one target, oldest first (replaced versions are kept, never lost)."""
    out = sorted((d for d in load_doelen(extra) if d.id == doel_id), key=lambda d: d.versiedatum)
    if not out:
        raise InputError("onbekend doel", field="doel", value=doel_id, allowed=", ".join(sorted({d.id for d in load_doelen(extra)})))
    return out


def controle(peildatum: dt.date | str | None = None, extra: list | tuple = ()) -> dict[str, Any]:
    """Consistency checks: for every whole with parts (``onderdeel_van``) of the same indicator and target year,
    the sum of the parts against the whole — reported, never hidden — plus every misprint the register records."""
    reg = doelen_register(peildatum, extra)
    checks = []
    wholes = {(d.gebied, d.indicator, d.doeljaar): d for d in reg}
    groups: dict[tuple, list[Doel]] = {}
    for d in reg:
        if d.onderdeel_van:
            groups.setdefault((d.onderdeel_van, d.indicator, d.doeljaar), []).append(d)
    for key, parts in sorted(groups.items()):
        whole = wholes.get(key)
        if whole is None:
            continue
        som, verschil, rel = eng.som_verschil([p.waarde for p in parts], whole.waarde)
        checks.append({
            "geheel": {"id": whole.id, "gebied": whole.gebied, "waarde": whole.waarde, "bron": whole.bron.text()},
            "indicator": key[1], "doeljaar": key[2], "aantal_delen": len(parts),
            "delen": [{"id": p.id, "gebied": p.gebied, "waarde": p.waarde} for p in parts],
            "som_delen": som, "verschil": verschil, "verschil_relatief": rel,
            "oordeel": "gelijk" if abs(verschil) < 0.5 else ("delen samen meer dan het geheel" if verschil > 0 else "delen samen minder dan het geheel"),
        })
    misdrukken = [{"id": d.id, "gebied": d.gebied, "waarde": d.waarde, "gedrukt": d.misdruk.tekst, "regel": d.misdruk.regel, "toelichting": d.misdruk.toelichting}
                  for d in reg if d.misdruk is not None]
    return {"peildatum": None if peildatum is None else str(peildatum), "controles": checks, "misdrukken": misdrukken}


# ---------------------------------------------------------------------------------------------------------- areas
def load_gebieden(extra: list | tuple = ()) -> Gebieden:
    """The area list shipped (``codes/gebieden.yaml``) merged with ``extra`` files of the same format."""
    import yaml

    from opengrex.io.documents import build_model, read_document

    base = yaml.safe_load(resources.files("opengrex.codes").joinpath("gebieden.yaml").read_text(encoding="utf-8"))
    merged = Gebieden.model_validate(base)
    for p in extra:
        data, locator = read_document(p)
        add = build_model(Gebieden, data, locator)
        gem = {k: tuple(v) for k, v in merged.gemeenten.items()}
        for prov, names in add.gemeenten.items():
            gem[prov] = tuple(dict.fromkeys(gem.get(prov, ()) + tuple(names)))
        merged = Gebieden(land=merged.land, provincies=tuple(dict.fromkeys(merged.provincies + add.provincies)), gemeenten=gem,
                          regios={**merged.regios, **add.regios})
    return merged


def _gemeente_index(g: Gebieden) -> dict[str, tuple[str, str]]:
    """lower-case name → (canonical name, province)."""
    return {n.lower(): (n, prov) for prov, names in g.gemeenten.items() for n in names}


def load_pijplijn(path: str | Path, gebieden: Gebieden | None = None) -> list[PlanRij]:
    """The plan pipeline (CSV/xlsx), validated row by row against the known municipalities."""
    from opengrex.io.monitor import read_pipeline

    idx = _gemeente_index(gebieden or load_gebieden())
    return read_pipeline(path, lambda s: idx.get(s.strip().lower(), (None,))[0])


def _scope(gebied: str, g: Gebieden) -> tuple[str, str, set[str]]:
    """(niveau, name, municipalities) of an area name; ``provincie:``/``regio:``/``gemeente:`` prefixes resolve
    ambiguous names such as Utrecht (province by default)."""
    text = gebied.strip()
    kind, _, name = text.partition(":") if ":" in text else ("", "", text)
    name = name.strip()
    low = name.lower()
    gem = _gemeente_index(g)
    if kind in ("", "land") and low == g.land.lower():
        return "land", g.land, {n for n, _ in gem.values()}
    if kind in ("", "provincie"):
        for p in g.provincies:
            if p.lower() == low:
                return "provincie", p, set(g.gemeenten.get(p, ()))
    if kind in ("", "regio"):
        for r, reg in g.regios.items():
            if r.lower() == low:
                return "regio", r, set(reg.gemeenten)
    if kind in ("", "gemeente") and low in gem:
        return "gemeente", gem[low][0], {gem[low][0]}
    known = [g.land] + list(g.provincies) + list(g.regios) + sorted(n for n, _ in gem.values())
    raise InputError("onbekend gebied", field="--gebied", value=gebied, allowed=", ".join(known[:40]) + " … (voorvoegsel provincie:, regio: of gemeente: bij dubbele namen)")


@dataclass
class VoortgangResult:
    """Plan pipeline against the targets of one area, per year."""

    gebied: str
    niveau: str
    jaren: np.ndarray
    cumulatief: np.ndarray
    """(H, Y) homes expected ready up to each year per hardness (hard, zacht, nader te bepalen) [woningen]."""
    per_segment: np.ndarray
    """(S,) homes per segment (sociale_huur, middenhuur, betaalbare_koop, vrije_sector) [woningen]."""
    doel: Doel | None
    traject: np.ndarray | None
    aandeel_betaalbaar: float
    aandeel_sociale_huur: float
    norm_betaalbaar: Doel | None
    norm_sociale_huur: Doel | None
    peildatum: dt.date | None
    aantal_plannen: int
    per_gemeente: dict[str, float] = field(default_factory=dict)
    doelen: list[Doel] = field(default_factory=list)

    def totaal(self, tot_en_met: tuple[str, ...] = HARDHEDEN) -> np.ndarray:
        sel = [HARDHEDEN.index(h) for h in tot_en_met]
        return self.cumulatief[sel].sum(axis=0)

    def _doeljaar(self) -> int:
        """Index of the target year in ``jaren`` (the last year when the pipeline ends earlier)."""
        assert self.doel is not None
        return min(int(np.searchsorted(self.jaren, self.doel.doeljaar)), len(self.jaren) - 1)

    def tekort(self, tot_en_met: tuple[str, ...] = HARDHEDEN) -> float | None:
        """Homes the target still lacks in its target year after the pipeline of these hardnesses [woningen]
        (negative: more plans than the target; ``None``: no target for this area)."""
        if self.doel is None:
            return None
        return float(self.doel.waarde - self.totaal(tot_en_met)[self._doeljaar()])

    def dekking(self) -> dict[str, float | None]:
        """Pipeline up to the target year as a share of the target: hard, hard + zacht, all."""
        if self.doel is None:
            return {"hard": None, "hard_zacht": None, "alles": None}
        j = self._doeljaar()
        return {"hard": float(eng.aandeel(self.totaal(("hard",))[j], self.doel.waarde)),
                "hard_zacht": float(eng.aandeel(self.totaal(("hard", "zacht"))[j], self.doel.waarde)),
                "alles": float(eng.aandeel(self.totaal()[j], self.doel.waarde))}

    def summary(self) -> dict[str, Any]:
        d = self.doel
        return {
            "gebied": self.gebied, "niveau": self.niveau, "aantal_plannen": self.aantal_plannen,
            "peildatum": None if self.peildatum is None else self.peildatum.isoformat(),
            "jaren": self.jaren.tolist(),
            "cumulatief": {h: self.cumulatief[i].tolist() for i, h in enumerate(HARDHEDEN)},
            "totaal": self.totaal().tolist(),
            "doel": None if d is None else {"id": d.id, "waarde": d.waarde, "doeljaar": d.doeljaar, "startjaar": d.startjaar, "versiedatum": d.versiedatum.isoformat(),
                                            "bron": d.bron.text(), "illustratief": d.illustratief},
            "traject": None if self.traject is None else self.traject.tolist(),
            "dekking": self.dekking(),
            "tekort": {"hard": self.tekort(("hard",)), "hard_zacht": self.tekort(("hard", "zacht")), "alles": self.tekort()},
            "per_segment": {s: float(self.per_segment[i]) for i, s in enumerate(SEGMENTEN)},
            "aandeel_betaalbaar": _nan(self.aandeel_betaalbaar),
            "norm_betaalbaar": None if self.norm_betaalbaar is None else self.norm_betaalbaar.waarde,
            "aandeel_sociale_huur": _nan(self.aandeel_sociale_huur),
            "norm_sociale_huur": None if self.norm_sociale_huur is None else self.norm_sociale_huur.waarde,
            "per_gemeente": self.per_gemeente,
            "doelen": [{"id": x.id, "indicator": x.indicator, "waarde": x.waarde, "doeljaar": x.doeljaar} for x in self.doelen],
        }

    def explain(self, kengetal: str) -> Explanation:
        """``dekking``, ``aandeel_betaalbaar`` or ``aandeel_sociale_huur``."""
        total = float(self.per_segment.sum())
        if kengetal == "aandeel_betaalbaar":
            betaalbaar = float(self.per_segment[[SEGMENTEN.index(s) for s in BETAALBAAR]].sum())
            n = self.norm_betaalbaar
            return explanation(kengetal, eng.aandeel, _nan(self.aandeel_betaalbaar), "%", label="Aandeel betaalbaar in de plancapaciteit",
                               invoer=[Input("woningen sociale huur + middenhuur + betaalbare koop", betaalbaar, "woningen"), Input("woningen totaal", total, "woningen")],
                               parameters=[] if n is None else [ParameterUse("norm: ten minste", n.waarde, "%", n.bron.text(), n.versiedatum.isoformat())])
        if kengetal == "aandeel_sociale_huur":
            n = self.norm_sociale_huur
            return explanation(kengetal, eng.aandeel, _nan(self.aandeel_sociale_huur), "%", label="Aandeel sociale huur in de plancapaciteit",
                               invoer=[Input("woningen sociale huur", float(self.per_segment[0]), "woningen"), Input("woningen totaal", total, "woningen")],
                               parameters=[] if n is None else [ParameterUse("streven (woningvoorraad)", n.waarde, "%", n.bron.text(), n.versiedatum.isoformat())],
                               toelichting=["Het streven van 30% geldt voor de woningvoorraad; hier staat het aandeel in de nieuwe plannen ernaast."])
        if kengetal == "dekking":
            d = self.doel
            if d is None:
                raise InputError("geen doel voor dit gebied in het register", field="kengetal", value=kengetal, allowed="aandeel_betaalbaar, aandeel_sociale_huur")
            dek = self.dekking()
            return explanation(kengetal, eng.aandeel, dek["alles"], "%", label=f"Plancapaciteit tot en met {d.doeljaar} als deel van het doel",
                               invoer=[Input("plancapaciteit hard/zacht/nader te bepalen", [float(self.totaal((h,))[-1]) for h in HARDHEDEN], "woningen")],
                               parameters=[ParameterUse(d.omschrijving, d.waarde, d.eenheid, d.bron.text(), d.versiedatum.isoformat())],
                               toelichting=[f"hard {_p(dek['hard'])}, hard + zacht {_p(dek['hard_zacht'])}, alles {_p(dek['alles'])}"])
        raise InputError("onbekend kengetal", field="kengetal", value=kengetal, allowed="dekking, aandeel_betaalbaar, aandeel_sociale_huur")


def _nan(x: float) -> float | None:
    return None if x is None or x != x else float(x)


def _p(x: float | None) -> str:
    from opengrex.formatting import pct

    return "–" if x is None else pct(x, 1)


def voortgang(pijplijn: str | Path | list[PlanRij], gebied: str = "Nederland", *, peildatum: dt.date | str | None = None,
              doelen: list | tuple = (), gebieden: list | tuple = ()) -> VoortgangResult:
    """Progress of the plan pipeline of an area (land, province, region or municipality) against its housing target
    and the national 2/3-affordable and 30%-social-rent norms, per year."""
    g = load_gebieden(gebieden)
    rows = pijplijn if isinstance(pijplijn, list) else load_pijplijn(pijplijn, g)
    niveau, naam, gemeenten = _scope(gebied, g)
    rows = [r for r in rows if r.gemeente in gemeenten]
    reg = doelen_register(peildatum, doelen)
    own = [d for d in reg if d.gebied.lower() == naam.lower()]
    target = sorted((d for d in own if d.indicator == "woningen"), key=lambda d: d.doeljaar)
    doel = target[0] if target else None

    def norm(indicator: str) -> Doel | None:
        for scope in (naam, g.land):
            for d in reg:
                if d.indicator == indicator and d.gebied.lower() == scope.lower():
                    return d
        return None

    woningen = np.array([r.woningen for r in rows], dtype=np.float64)
    jaar = np.array([r.jaar_gereed for r in rows], dtype=np.int64)
    hard = np.array([HARDHEDEN.index(r.hardheid) for r in rows], dtype=np.int64)
    seg = np.array([SEGMENTEN.index(r.segment) for r in rows], dtype=np.int64)
    start = doel.startjaar if doel is not None and doel.startjaar else (int(jaar.min()) if len(jaar) else 2022)
    end = max([doel.doeljaar] if doel is not None else [] + ([int(jaar.max())] if len(jaar) else [start]))
    if len(jaar):
        end = max(end, int(jaar.max()))
    jaren = np.arange(start, end + 1)
    cum = eng.cumulatief(woningen, jaar, jaren, hard, len(HARDHEDEN)) if len(rows) else np.zeros((len(HARDHEDEN), len(jaren)))
    per_seg = np.bincount(seg, weights=woningen, minlength=len(SEGMENTEN)) if len(rows) else np.zeros(len(SEGMENTEN))
    total = per_seg.sum()
    betaalbaar = per_seg[[SEGMENTEN.index(s) for s in BETAALBAAR]].sum()
    traj = None if doel is None else eng.traject(doel.waarde, doel.startjaar or start, doel.doeljaar, jaren)
    per_gem: dict[str, float] = {}
    for r in rows:
        per_gem[r.gemeente] = per_gem.get(r.gemeente, 0.0) + r.woningen
    return VoortgangResult(naam, niveau, jaren, cum, per_seg, doel, traj, float(eng.aandeel(betaalbaar, total)), float(eng.aandeel(per_seg[0], total)),
                           norm("aandeel_betaalbaar"), norm("aandeel_sociale_huur"), _peildatum(peildatum), len(rows), dict(sorted(per_gem.items())), own)


# ------------------------------------------------------------------------------- the plan pipeline as a document
KENGETALLEN = ("dekking", "aandeel_betaalbaar", "aandeel_sociale_huur")
"""The figures of a plancapaciteit document that explain themselves (:meth:`VoortgangResult.explain`)."""


def _checks(model: Plancapaciteit, g: Gebieden) -> list[InputError]:
    """The checks of the CSV reader on the document: every municipality known (by name, any case), the area known."""
    idx = _gemeente_index(g)
    errs: list[InputError] = []
    try:
        _scope(model.gebied, g)
    except InputError as exc:
        errs.append(InputError("onbekend gebied", field="gebied", value=model.gebied, allowed=exc.allowed, path=("gebied",)))
    for i, r in enumerate(model.plannen):
        if r.gemeente.strip().lower() not in idx:
            errs.append(InputError("onbekende gemeente", field=f"plannen[{i}].gemeente", value=r.gemeente, path=("plannen", i, "gemeente"),
                                   allowed="een gemeente uit codes/gebieden.yaml (bijv. Zeist, De Bilt, Utrecht)"))
    return errs


def _validate(data: Any, locator: Any, gebieden: Gebieden | None = None) -> Plancapaciteit:
    """Types by pydantic (negative homes, unknown hardness or segment), then the area checks; every error names the
    row and field (``plannen[2].woningen``) and file/line or sheet/cell. Municipality names come back as the area
    list spells them."""
    from opengrex.io.documents import build_model

    g = gebieden or load_gebieden()
    model = build_model(Plancapaciteit, data, locator, lambda m: _checks(m, g))
    idx = _gemeente_index(g)
    rows = [r if idx[r.gemeente.strip().lower()][0] == r.gemeente else r.model_copy(update={"gemeente": idx[r.gemeente.strip().lower()][0]})
            for r in model.plannen]
    return model if rows == model.plannen else model.model_copy(update={"plannen": rows})


def plancapaciteit_from_dict(data: dict[str, Any], source: str = "<invoer>") -> Plancapaciteit:
    """Validate a plancapaciteit document given as plain data (the API, the form, an input workbook)."""
    from opengrex.io.documents import Locator

    return _validate(data, Locator(source))


def plancapaciteit_from_text(text: str, source: str = "<invoer>.yaml") -> Plancapaciteit:
    """Validate YAML/JSON text (errors name the line)."""
    from opengrex.io.documents import parse_text

    data, locator = parse_text(text, source)
    return _validate(data, locator)


def plancapaciteit_to_dict(model: Plancapaciteit) -> dict[str, Any]:
    """Plain data with the Dutch keys (round-trips through :func:`plancapaciteit_from_dict`)."""
    return model.model_dump(mode="json", exclude_none=True)


def pijplijn_document(path: str | Path, *, naam: str | None = None, gebied: str = "Nederland", gebieden: Gebieden | None = None) -> Plancapaciteit:
    """A plan pipeline file (CSV, or xlsx without the opengrex sheet: ``opengrex monitor voortgang``'s input) as a
    plancapaciteit document, every row checked as by :func:`load_pijplijn`."""
    p = Path(path)
    rows = load_pijplijn(p, gebieden)
    return Plancapaciteit(naam=naam or p.stem, gebied=gebied, plannen=rows)


def load_plancapaciteit(path: str | Path, gebieden: Gebieden | None = None) -> Plancapaciteit:
    """A plancapaciteit document from YAML/JSON (errors name file, line and field), from its input workbook (the
    Excel download; errors name sheet and cell) or from a plan pipeline table (CSV, or xlsx without the opengrex
    sheet) as in :func:`pijplijn_document`."""
    from opengrex.io.documents import read_document

    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".csv":
        return pijplijn_document(p, gebieden=gebieden)
    if suffix == ".xlsx":
        from opengrex.io.xlsx_invoer import read_herkomst, read_invoer, relocate

        if read_herkomst(p, p.name) is None:
            return pijplijn_document(p, gebieden=gebieden)
        invoer = read_invoer(p, Plancapaciteit, source=p.name, soort="plancapaciteit")
        try:
            return _validate(invoer.data, invoer.locator, gebieden)
        except InputError as exc:
            raise relocate(exc, invoer.locator) from None
    data, locator = read_document(p)
    return _validate(data, locator, gebieden)


def calculate_plancapaciteit(model: Plancapaciteit, gebieden: list | tuple = ()) -> VoortgangResult:
    """The progress of the document's plans against the targets of its area (:func:`voortgang`)."""
    return voortgang(list(model.plannen), model.gebied, peildatum=model.peildatum, gebieden=gebieden)


def explain(result: VoortgangResult, kengetal: str) -> Explanation:
    """``dekking``, ``aandeel_betaalbaar`` or ``aandeel_sociale_huur`` of a plancapaciteit document."""
    return result.explain(kengetal)


# ---------------------------------------------------------------------------------------------- regional profile
@dataclass
class RegioProfielResult:
    profiel: RegioProfiel
    gemeenten: tuple[str, ...]
    waarden: np.ndarray
    """(G, I) [%] (NaN: no figure)."""
    provincie: np.ndarray
    afwijking: np.ndarray
    gunstig: np.ndarray

    def summary(self) -> dict[str, Any]:
        p = self.profiel
        return {
            "regio": p.naam, "provincie": p.provincie, "bron": p.bron,
            "kerncijfers": {k: v.model_dump() for k, v in p.kerncijfers.items()},
            "indicatoren": [{
                "code": ind.code, "naam": ind.naam, "thema": ind.thema, "eenheid": ind.eenheid, "polariteit": ind.polariteit, "regel": ind.regel,
                "provincie": ind.provincie,
                "gemeenten": [{"gemeente": g, "waarde": _nan(self.waarden[gi, ii]), "afwijking": _nan(self.afwijking[gi, ii]),
                               "oordeel": _gunstig(self.gunstig[gi, ii])} for gi, g in enumerate(self.gemeenten)],
            } for ii, ind in enumerate(p.indicatoren)],
        }

    def explain(self, kengetal: str) -> Explanation:
        """``<indicator>:<gemeente>``, e.g. ``eenzaamheid:Zeist``."""
        code, _, gem = kengetal.partition(":")
        codes = [i.code for i in self.profiel.indicatoren]
        if code not in codes or gem not in self.gemeenten:
            raise InputError("onbekend kengetal", field="kengetal", value=kengetal, allowed="<indicator>:<gemeente>; indicatoren: " + ", ".join(codes) + "; gemeenten: " + ", ".join(self.gemeenten))
        ii, gi = codes.index(code), self.gemeenten.index(gem)
        ind = self.profiel.indicatoren[ii]
        return explanation(kengetal, eng.afwijking, _nan(self.afwijking[gi, ii]), "procentpunt", label=f"{ind.naam}: {gem} tegen provincie {self.profiel.provincie}",
                           invoer=[Input(gem, _nan(self.waarden[gi, ii]), "%"), Input(f"provincie {self.profiel.provincie}", ind.provincie, "%")],
                           parameters=[ParameterUse("polariteit", ind.polariteit, "-", f"{self.profiel.bron.get('document')}, regel {ind.regel}")],
                           toelichting=[f"oordeel: {_gunstig(self.gunstig[gi, ii])}"])


def _gunstig(x: float) -> str:
    if x != x:
        return "geen gegeven"
    return {1.0: "gunstig", 0.0: "ongunstig", 0.5: "gelijk"}[float(x)]


@lru_cache(maxsize=4)
def _profiel(path: str) -> RegioProfiel:
    from opengrex.io.documents import build_model, read_document

    data, locator = read_document(path)
    return build_model(RegioProfiel, data, locator)


def regio_profiel(regio: str = "heuvelrug-kromme-rijnstreek") -> RegioProfielResult:
    """The regional profile (seed 003) with each municipality's deviation from the province per indicator."""
    path = _PARAMS / "regio" / f"{regio}.yaml"
    if not path.is_file():
        avail = ", ".join(sorted(p.stem for p in (_PARAMS / "regio").glob("*.yaml")))
        raise InputError("onbekende regio", field="regio", value=regio, allowed=avail)
    p = _profiel(str(path))
    gem = tuple(p.gemeenten)
    w = np.array([[np.nan if ind.waarden.get(g) is None else ind.waarden[g] for ind in p.indicatoren] for g in gem], dtype=np.float64)
    prov = np.array([ind.provincie for ind in p.indicatoren])
    pol = np.array([1.0 if ind.polariteit == "hoger_is_beter" else -1.0 for ind in p.indicatoren])
    d, gunstig = eng.afwijking(w, prov, pol)
    return RegioProfielResult(p, gem, w, prov, d, gunstig)
