"""Gebiedsbegroting: load, link, calculate, report (confidential and public Woo variant), explain and compare rule
sets and their variants. The CLI (``opengrex gebied …``), the REST API and the pages call these functions::

    >>> import opengrex
    >>> g = opengrex.load_gebied("examples/gebied/spoorzone-oost.yaml")
    >>> res = opengrex.calculate_gebied(g)                       # vertrouwelijk: every figure
    >>> pub = opengrex.calculate_gebied(g, openbaar=True)        # Woo: without confidential values
    >>> pub.rapport()                                            # the one structure every output is made from
    >>> opengrex.compare_gebied_rule_sets(g, varianten=["Gebiedsbijdrage.tarief.wonen=20:60:5"]).to_dict()

Woo (seed 001 regel 1317–1336): the public variant is computed from a copy of the document WITHOUT its confidential
fields (:func:`openbare_kopie`, with the schema walker of :mod:`opengrex.model.redact`: every field declared
``vertrouwelijk``, at any depth, also inside linked documents), so no confidential value can reach it. A figure that
depends on a confidential field (a party's position that includes a transaction price, a margin) is found by
computing the copy again with random values in those fields: what changes is withheld ("vertrouwelijk"). What does
not change does not depend on the confidential values; no combination of published figures reveals them.

Spec: shared/spec/programma.md "Gebiedsbegroting and gebiedsfonds"; seed 001 pijler 5.
"""
from __future__ import annotations

import dataclasses
import itertools
import math
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from opengrex.engine import gebied as engine
from opengrex.engine import spelregels as sr
from opengrex.engine.explain import Explanation, Input, RuleInfo, explanation, rule_of
from opengrex.errors import InputError, InputErrors
from opengrex.formatting import eur
from opengrex.io.documents import Locator, build_model, parse_text, read_document
from opengrex.model.base import EENHEID, path_text
from opengrex.model.gebied import FONDS, Gebied, Gekoppeld, Verwijzing
from opengrex.model.gebied import compile as compile_gebied
from opengrex.model.redact import confidential_fields, map_confidential, redact, redacted_value

WEG = "vertrouwelijk"
"""What a public report shows instead of a figure that depends on a confidential value."""
OPENBAAR = "openbaar"
VERTROUWELIJK = "vertrouwelijk"
ONDERDELEN = ("samenvatting", "gebied", "partijen", "investeringen", "spelregels", "fonds", "risicos", "verwijzingen", "waarschuwingen", "invoer", "transacties", "marges")
"""Sections of a report, in order. ``transacties`` (prices) and ``marges`` exist only in the confidential variant."""
ALLEEN_VERTROUWELIJK = {"transacties": "transacties[].prijs", "marges": "partijen[].marge"}
COMPONENTEN = ("eigen", "transacties", "verwijzingen", "lidmaatschap", "kostenverhaal", "spelregels", "uitgaven")
COMPONENT_LABELS = {
    "eigen": "Eigen kosten en opbrengsten", "transacties": "Grond- en vastgoedtransacties", "verwijzingen": "Gekoppelde projecten",
    "lidmaatschap": "Lidmaatschap fonds", "kostenverhaal": "Kostenverhaal", "spelregels": "Spelregels", "uitgaven": "Uitgaven gebiedsorganisatie",
}
Resolver = Callable[[str, int, "int | None"], Any]
"""Resolves a stored document: ``resolver(kind, document_id, versie) -> validated model`` (the document registry)."""
MAX_VARIANTEN = 100_000
DEMO = Path(__file__).resolve().parents[3] / "examples" / "gebied" / "spoorzone-oost.yaml"
"""The demo area (Spoorzone Oost, illustrative), with its linked programme and kostenverhaal case next to it."""


# --------------------------------------------------------------------------------------------------- loading
def load_gebied(path: str | Path) -> Gebied:
    """Read and validate a gebied from YAML/JSON; errors name the file, line and field."""
    p = Path(path)
    data, locator = read_document(p)
    return _built(data, locator, p.resolve().parent, p.name)


def gebied_from_dict(data: dict[str, Any], source: str = "<invoer>", base_dir: str | Path | None = None) -> Gebied:
    """Validate a gebied given as plain data (``bestand`` references are relative to ``base_dir``)."""
    return _built(data, Locator(source), Path(base_dir) if base_dir else None, source)


def gebied_from_text(text: str, source: str = "<invoer>.yaml", base_dir: str | Path | None = None) -> Gebied:
    data, locator = parse_text(text, source)
    return _built(data, locator, Path(base_dir) if base_dir else None, source)


def _built(data: Any, locator: Locator, base_dir: Path | None, source: str) -> Gebied:
    g = build_model(Gebied, data, locator, Gebied.check)
    g._basismap = base_dir
    g._bron = source
    return g


def gebied_to_dict(g: Gebied, openbaar: bool = False, embed: bool = False) -> dict[str, Any]:
    """The gebied as plain data (round-trips through :func:`gebied_from_dict`). ``openbaar``: the Woo copy, every
    confidential value (also inside linked documents) replaced by its field's default. ``embed``: file references
    replaced by the linked documents inline, so the document is portable (an upload, a stored document)."""
    data = g.model_dump(mode="json", exclude_none=True)
    for section, kind in (("programmaprojecten", "programma"), ("kostenverhaal", "kostenverhaal")):
        for i, link in enumerate(getattr(g, section)):
            if embed and link.bron.bestand is not None:
                model, _ = _resolve(g, link.bron, kind, (section, i, "bron"), None, True)
                data[section][i]["bron"] = {"inline": _linked_dict(kind, model)}
    return redact(Gebied, data) if openbaar else data


def openbare_kopie(g: Gebied) -> Gebied:
    """The Woo copy of a gebied: every confidential value replaced by its default (a price or margin by ``None``,
    a note by ``""``); it still validates and calculates."""
    if not confidential_values(g):
        return g
    out = Gebied.model_validate(redact(Gebied, g.model_dump(mode="json")))
    out._basismap, out._bron = g._basismap, g._bron
    return out


def confidential_values(g: Gebied) -> list[tuple[tuple, Any]]:
    """Every confidential value present in the gebied, at any depth: ``[(path, value), ...]``."""
    found: list[tuple[tuple, Any]] = []

    def visit(path: tuple, info: Any, value: Any) -> Any:
        if value not in (None, ""):
            found.append((path, value))
        return value

    map_confidential(Gebied, g.model_dump(mode="json"), visit)
    return found


def demo_data(openbaar: bool = False) -> dict[str, Any]:
    """The demo gebied as data with its linked documents inline (the Woo copy when ``openbaar``)."""
    return gebied_to_dict(load_gebied(DEMO), openbaar=openbaar, embed=True)


def _linked_dict(kind: str, model: Any) -> dict[str, Any]:
    from opengrex.services import kostenverhaal as kvs
    from opengrex.services import programma as ps

    return ps.programme_to_dict(model) if kind == "programma" else kvs.case_to_dict(model, embed=True)


# --------------------------------------------------------------------------------------------------- links
def koppel(g: Gebied, resolver: Resolver | None = None, *, bestanden: bool = True) -> Gekoppeld:
    """Resolve the linked programme projects and kostenverhaal cases: their flows are computed by their own engines
    and join the gebied as they are (nothing typed twice). ``bestanden=False`` refuses file references (the REST
    API: a request may not read files on the server)."""
    errs: list[InputError] = []
    cache: dict[Any, Any] = {}

    def resolve(ref: Verwijzing, kind: str, path: tuple) -> Any:
        key = (kind, ref.bestand, ref.document, ref.versie, id(ref.inline))
        if key not in cache:
            cache[key] = _resolve(g, ref, kind, path, resolver, bestanden)
        return cache[key]

    out = Gekoppeld()
    ids = g.partij_ids()
    names = {p.naam: p.id for p in g.partijen}
    grid = g.years
    for i, pp in enumerate(g.programmaprojecten):
        path = ("programmaprojecten", i)
        try:
            prog, res = resolve(pp.bron, "programma", path + ("bron",))
        except InputError as exc:
            errs.append(exc)
            continue
        projecten = prog.project_names()
        if pp.project not in projecten:
            errs.append(_err(g, path + ("project",), "onbekend project in het programma", pp.project, ", ".join(projecten)))
            continue
        k = projecten.index(pp.project)
        trekker = prog.projecten[k].trekker
        partij = pp.partij or (trekker if trekker in ids else names.get(trekker))
        if partij is None:
            errs.append(_err(g, path + ("partij",), f"geef de partij op: de trekker '{trekker}' is geen partij van het gebied", pp.partij, ", ".join(ids)))
            continue
        kosten, opbrengsten = res.outcome.projects.costs[k], res.outcome.projects.revenues[k]
        buiten = [y for y, c, o in zip(res.years, kosten, opbrengsten) if (c or o) and y not in grid]
        if buiten:
            errs.append(_err(g, path + ("project",), f"project heeft kasstromen in {buiten[0]}, buiten de looptijd van het gebied", pp.project, f"{grid.start}–{grid.stop - 1}"))
            continue
        out.projecten.append({
            "partij": partij,
            "kosten": {int(y): float(c) for y, c in zip(res.years, kosten) if c},
            "opbrengsten": {int(y): float(o) for y, o in zip(res.years, opbrengsten) if o},
            "bron": f"{prog.name}: {pp.project} ({pp.bron.tekst()})",
        })
    for i, kv in enumerate(g.kostenverhaal):
        path = ("kostenverhaal", i)
        try:
            case, res = resolve(kv.bron, "kostenverhaal", path + ("bron",))
        except InputError as exc:
            errs.append(exc)
            continue
        out.kostenverhaal.append({"bedrag": float(res.exploitatiebijdrage), "bron": f"{case.naam}: exploitatiebijdrage ({kv.bron.tekst()})"})
    if errs:
        raise InputErrors(errs)
    return out


def _err(g: Gebied, path: tuple, message: str, value: Any, allowed: str | None) -> InputError:
    return InputError(message, location=g._bron, field=path_text(path), value=value, allowed=allowed, path=path)


def _resolve(g: Gebied, ref: Verwijzing, kind: str, path: tuple, resolver: Resolver | None, bestanden: bool) -> tuple[Any, Any]:
    """(model, result) of one linked document of ``kind`` (``programma`` or ``kostenverhaal``)."""
    from opengrex.services import kostenverhaal as kvs
    from opengrex.services import programma as ps

    calc = ps.calculate_programme if kind == "programma" else kvs.calculate_case
    if ref.document is not None:
        if resolver is None:
            raise _err(g, path + ("document",), "een opgeslagen document kan hier (nog) niet worden opgehaald", ref.document, "'bestand' of 'inline' (het documentregister lost document-ids op)")
        model = resolver(kind, ref.document, ref.versie)
    elif ref.inline is not None:
        source = f"{g._bron or 'gebied'}: {path_text(path)}.inline"
        model = ps.programme_from_dict(ref.inline, source) if kind == "programma" else kvs.case_from_dict(ref.inline, source, g._basismap)
    else:
        if not bestanden:
            raise _err(g, path + ("bestand",), "verwijzingen naar bestanden zijn hier niet toegestaan", ref.bestand, "'inline' (het document zelf) of 'document' (een opgeslagen document-id)")
        if g._basismap is None:
            raise _err(g, path + ("bestand",), "een bestandsverwijzing heeft de map van het gebiedsbestand nodig", ref.bestand, "laad het gebied uit een bestand, of gebruik 'inline'")
        assert ref.bestand is not None  # the reference model requires inline, document or bestand
        p = Path(ref.bestand)
        p = p if p.is_absolute() else g._basismap / p
        if not p.is_file():
            raise _err(g, path + ("bestand",), "gekoppeld bestand niet gevonden", str(p), "een bestaand YAML/JSON-bestand, relatief aan het gebiedsbestand")
        model = ps.load_programme(p) if kind == "programma" else kvs.load_case(p)
    return model, calc(model)


# --------------------------------------------------------------------------------------------------- calculating
@dataclass
class GebiedResult:
    """One gebied calculated under one rule set, in one variant (confidential or public).

    ``cijfers``: every reported figure by key (arrays, variant axis dropped); ``weg``: per key where the figure
    depends on a confidential value (all False in the confidential variant); the report and every output are built
    from these two.
    """

    gebied: Gebied
    gekoppeld: Gekoppeld
    arrays: engine.GebiedArrays
    outcome: engine.GebiedOutcome
    regelset: str | None
    openbaar: bool
    cijfers: dict[str, np.ndarray]
    weg: dict[str, np.ndarray]
    waarschuwingen: list[str] = field(default_factory=list)

    @property
    def variant(self) -> str:
        return OPENBAAR if self.openbaar else VERTROUWELIJK

    @property
    def years(self) -> list[int]:
        return [int(y) for y in self.arrays.years]

    @property
    def rekeningen(self) -> list[str]:
        return self.gebied.rekeningen()

    def waarde(self, key: str, index: Any = ()) -> Any:
        """A figure as a float, or :data:`WEG` when it depends on a confidential value (public variant)."""
        if key not in self.cijfers:
            raise InputError("onbekend kengetal", field="kengetal", value=key, allowed=", ".join(sorted(self.cijfers)))
        if bool(np.asarray(self.weg[key])[index]):
            return WEG
        return float(np.asarray(self.cijfers[key])[index])

    def rapport(self, onderdelen: Sequence[str] | None = None) -> dict[str, Any]:
        """The report as plain data: the one structure the CLI, JSON, pages and xlsx notes are made from."""
        return rapport(self, onderdelen)

    def explain(self, kengetal: str) -> Explanation:
        return explain(self, kengetal)

    def partijen_frame(self) -> pd.DataFrame:
        """Per account (parties and fund): nominal total and contante waarde [EUR]; ``vertrouwelijk`` where withheld."""
        rows = [{"rekening": a, "totaal": self.waarde("totaal", i), "contant": self.waarde("contant", i)} for i, a in enumerate(self.rekeningen)]
        return pd.DataFrame(rows).set_index("rekening")

    def fonds_frame(self) -> pd.DataFrame:
        return pd.DataFrame(_fonds_rows(self)).set_index("jaar")


def calculate_gebied(g: Gebied, *, regelset: str | None = None, openbaar: bool = False, resolver: Resolver | None = None,
                     gekoppeld: Gekoppeld | None = None, bestanden: bool = True) -> GebiedResult:
    """Calculate a validated gebied under a rule set (default: its active one). ``openbaar``: the Woo variant,
    computed without the confidential fields; figures depending on them are withheld."""
    g.validated()
    s = g.actieve_set(regelset)
    gk = gekoppeld if gekoppeld is not None else koppel(g, resolver, bestanden=bestanden)
    basis = openbare_kopie(g) if openbaar else g
    arrays = compile_gebied(basis, gk, s.naam if s else None)
    outcome = engine.calculate(arrays)
    cijfers = figures(outcome, arrays)
    weg = _afhankelijk(basis, gk, s.naam if s else None, cijfers) if openbaar else {k: np.zeros(np.shape(v), dtype=bool) for k, v in cijfers.items()}
    res = GebiedResult(basis, gk, arrays, outcome, s.naam if s else None, openbaar, cijfers, weg)
    res.waarschuwingen = _waarschuwingen(res)
    return res


def calculate_stored(g: Gebied) -> GebiedResult:
    """A stored gebied as the document registry shows it: the confidential variant when the document carries its
    confidential values (an editor), the public (Woo) variant when they were redacted (a viewer) or are absent —
    figures that would depend on them are then withheld instead of shown with the defaults."""
    return calculate_gebied(g, openbaar=not confidential_values(g))


def gebied_workbook(g: Gebied, herkomst: Any = None) -> bytes:
    """The Excel download of a stored gebied (registry exporter): the variant :func:`calculate_stored` gives, with
    the gebied's input sheets (linked documents embedded) stamped with ``herkomst``, so the workbook can be uploaded
    back as a new version."""
    from opengrex.io.xlsx_gebied import write_gebied_xlsx
    from opengrex.services.kinds import xlsx_bytes

    data = gebied_to_dict(g, embed=True)
    return xlsx_bytes(lambda r, p: write_gebied_xlsx(r, p, data, herkomst), calculate_stored(g), "gebied")


def figures(o: engine.GebiedOutcome, a: engine.GebiedArrays, v: int | slice = 0) -> dict[str, np.ndarray]:
    """Every reported figure by key, for variant ``v`` (an int: that variant; a slice: keep the variant axis)."""
    fonds = a.n_partijen
    netto = o.netto[..., v, :, :]
    out: dict[str, np.ndarray] = {"netto": netto, "gebied": netto.sum(axis=-2), "totaal": netto.sum(axis=-1), "contant": o.contant[..., v, :]}
    for name, arr in o.onderdelen.items():
        arr = arr[v] if name == "spelregels" else arr
        out[f"onderdeel:{name}"] = np.broadcast_to(arr, netto.shape)
        out[f"gebied:{name}"] = out[f"onderdeel:{name}"].sum(axis=-2)
        out[f"totaal:{name}"] = out[f"onderdeel:{name}"].sum(axis=-1)
    out["gebied_totaal"] = out["gebied"].sum(axis=-1)
    out["gebied_contant"] = (out["gebied"] * o.discount).sum(axis=-1)
    out["regels"] = o.regels[:, v] if o.regels.shape[0] else np.zeros((0,) + netto.shape[-2:])
    out["regels_totaal"] = out["regels"].sum(axis=-1)
    out["investeringen"] = o.investeringen
    out["opbrengsten"] = o.opbrengsten
    out["fonds_structureel"] = o.lidmaatschap[fonds]
    out["fonds_kostenverhaal"] = o.kostenverhaal[fonds]
    out["fonds_spelregels"] = o.spelregels[v, fonds]
    out["fonds_uitgaven"] = o.uitgaven[fonds]
    out["fonds_stroom"] = o.fonds_stroom[v]
    out["fonds_rente"] = o.fonds_rente[v]
    out["fonds_saldo"] = o.fonds_saldo[v]
    out["fonds_diepste"] = o.fonds_diepste[v]
    out["marge"] = o.marge[..., 0, :]
    out["na_marge"] = o.na_marge[..., v, :]
    out["risico"] = o.risico
    out["transacties_stromen"] = o.tr_stromen
    return out


def _afhankelijk(basis: Gebied, gk: Gekoppeld, regelset: str | None, cijfers: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Which figures depend on a confidential field: recompute with random values in every confidential numeric
    field of the gebied (twice) and mark what moves. Deterministic (fixed seed). Linked documents enter the gebied
    as their computed flows (their own confidential fields are notes, which move no figure)."""
    weg = {k: np.zeros(np.shape(v), dtype=bool) for k, v in cijfers.items()}
    data = basis.model_dump(mode="json")
    rng = np.random.default_rng(20250101)
    for _ in range(2):
        moved: list[tuple] = []

        def probe_value(path: tuple, info: Any, value: Any, moved: list[tuple] = moved) -> Any:
            if not (info.annotation is float or float in typing.get_args(info.annotation)) or "inline" in path:
                return value if value is not None else redacted_value(info)
            moved.append(path)
            extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
            return float(rng.uniform(0.01, 0.5) if extra.get(EENHEID) == "%" else rng.uniform(1e5, 5e7))

        probe_data = map_confidential(Gebied, data, probe_value, insert=True)
        if not moved:
            return weg
        probe = Gebied.model_validate(probe_data)
        arrays = compile_gebied(probe, gk, regelset)
        c = figures(engine.calculate(arrays), arrays)
        for k, v in cijfers.items():
            diff = np.abs(np.asarray(c[k], dtype=np.float64) - np.asarray(v, dtype=np.float64))
            weg[k] |= diff > 1e-6 + 1e-9 * np.abs(np.asarray(v, dtype=np.float64))
    return weg


def _waarschuwingen(res: GebiedResult) -> list[str]:
    out = []
    saldo = res.cijfers["fonds_saldo"]
    years = res.years
    neg = [y for y, s in zip(years, saldo) if s < -0.005]
    if neg:
        k = int(np.argmin(saldo))
        out.append(f"Waarschuwing: {res.gebied.fonds.naam} staat negatief in {_jaren(neg)} (laagste saldo {eur(float(saldo[k]))} in {years[k]}): "
                   "de uitgaven lopen voor op de bijdragen; spreek voorfinanciering af of faseer de uitgaven later.")
    if not res.openbaar:
        for t in res.gebied.transacties:
            if t.prijs is None:
                out.append(f"Transactie '{t.naam}' heeft geen prijs: telt als € 0 voor koper en verkoper.")
    if res.openbaar:
        n = sum(int(np.count_nonzero(w)) for w in res.weg.values())
        if n:
            out.append(f"Openbare versie (Woo): {n} cijfers hangen af van vertrouwelijke gegevens en zijn weggelaten.")
    return out


def _jaren(years: list[int]) -> str:
    """``[2026, 2027, 2028, 2031]`` -> ``'2026–2028 en 2031'``."""
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    parts = [f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " en " + parts[-1]


# --------------------------------------------------------------------------------------------------- the report
def _val(res: GebiedResult, key: str, *index: Any) -> Any:
    return res.waarde(key, tuple(index))


def _fonds_rows(res: GebiedResult) -> list[dict[str, Any]]:
    rows = []
    for j, y in enumerate(res.years):
        rows.append({
            "jaar": y,
            "structureel": _val(res, "fonds_structureel", j),
            "kostenverhaal": _val(res, "fonds_kostenverhaal", j),
            "spelregels": _val(res, "fonds_spelregels", j),
            "uitgaven": _val(res, "fonds_uitgaven", j),
            "rente": _val(res, "fonds_rente", j),
            "saldo": _val(res, "fonds_saldo", j),
        })
    return rows



def report_tables(d: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The tables of a gebied's report data (:func:`rapport`) as records, keyed by section: ``partijen``, ``gebied``
    (one wallet per year), ``investeringen``, ``spelregels`` (effect per account), ``fonds``, ``risicos``,
    ``verwijzingen`` and, in the confidential variant only, ``transacties`` and ``marges``. The page and the PDF report
    show the same tables."""
    comp = {c: COMPONENT_LABELS[c] for c in COMPONENTEN}
    names = {p["id"]: p["naam"] for p in d["partijen"]}
    t: dict[str, list[dict[str, Any]]] = {
        "partijen": [{"partij": p["naam"], "soort": p["soort"], **{comp[c]: p["onderdelen"][c] for c in COMPONENTEN}, "totaal": p["totaal"], "contant": p["contant"]}
                     for p in d["partijen"]],
        "gebied": [{"jaar": r["jaar"], **{comp[c]: r[c] for c in COMPONENTEN}, "netto": r["netto"]} for r in d["gebied"]["per_jaar"]],
        "investeringen": [{"partij": r["partij"], "risicodragend": r["risicodragend"], "in natura": r["in_natura"], "publiek geld infrastructuur": r["publiek_infra"],
                           "afname vastgoed": r["afname_vastgoed"], "bijdragen gebiedsfonds": r["bijdragen_fonds"]} for r in d["investeringen"]],
        "spelregels": [{"volgorde": r["volgorde"], "regel": r["naam"], "soort": r["label"], **{names.get(a, a): v for a, v in r["per_rekening"].items()}}
                       for r in d["spelregels"]["regels"]],
        "fonds": list(d["fonds"]["per_jaar"]),
        "risicos": [{"risico": r["risico"], "omvang": r["bedrag"], "kans": r["kans"], "verwacht": r["verwacht"],
                     "dragers": "; ".join(f"{k}: {v if isinstance(v, str) else round(v)}" for k, v in r["dragers"].items())} for r in d["risicos"]],
        "verwijzingen": [{"soort": r["soort"], "bron": r["bron"], "partij": r["partij"], "kosten": r.get("kosten"), "opbrengsten": r.get("opbrengsten"),
                          "bijdrage": r.get("bedrag")} for r in d["verwijzingen"]],
    }
    if "transacties" in d:
        t["transacties"] = [{"transactie": r["naam"], "soort": r["soort"], "koper": r["koper"], "verkoper": r["verkoper"], "prijs": r["prijs"]} for r in d["transacties"]]
    if "marges" in d:
        t["marges"] = [{"partij": r["partij"], "marge_pct": r["marge"], "opbrengsten": r["opbrengsten"], "vereiste marge": r["vereiste_marge"],
                        "resultaat na marge": r["resultaat_na_marge"]} for r in d["marges"]]
    return t


def rapport(res: GebiedResult, onderdelen: Sequence[str] | None = None) -> dict[str, Any]:
    """The report of a result, section by section (:data:`ONDERDELEN`). In the public variant a section that exists
    only for confidential data is an error naming its confidential field; nothing is produced."""
    wanted = list(onderdelen) if onderdelen else [o for o in ONDERDELEN if not (res.openbaar and o in ALLEEN_VERTROUWELIJK)]
    for o in wanted:
        if o not in ONDERDELEN:
            raise InputError("onbekend onderdeel van het rapport", field="onderdelen", value=o, allowed=", ".join(ONDERDELEN))
        if res.openbaar and o in ALLEEN_VERTROUWELIJK:
            raise InputError(f"onderdeel '{o}' bevat het vertrouwelijke veld {ALLEEN_VERTROUWELIJK[o]} en hoort niet in een openbaar rapport (Woo)",
                             field="onderdelen", value=o, allowed=", ".join(x for x in ONDERDELEN if x not in ALLEEN_VERTROUWELIJK))
    g = res.gebied
    years = res.years
    rek = res.rekeningen
    naam = {p.id: p.naam for p in g.partijen} | {FONDS: g.fonds.naam}
    d: dict[str, Any] = {
        "naam": g.naam,
        "variant": res.variant,
        "woo": _woo(res),
        "regelset": res.regelset,
        "prijspeil": g.prijspeil.isoformat(),
        "jaren": years,
        "eenheid": "EUR nominaal (contant: EUR per NCW-datum " + g.ncw_date.isoformat() + "); ontvangen positief, betaald negatief",
    }
    if "samenvatting" in wanted:
        saldo = res.cijfers["fonds_saldo"]
        k = int(np.argmin(saldo))
        d["samenvatting"] = {
            "gebied_nominaal": _val(res, "gebied_totaal"),
            "gebied_contant": _val(res, "gebied_contant"),
            "fonds_eindsaldo": _val(res, "fonds_saldo", len(years) - 1),
            "fonds_laagste_saldo": _val(res, "fonds_saldo", k),
            "fonds_laagste_jaar": years[k],
            "aantal_partijen": len(g.partijen),
            "aantal_regels": len(res.arrays.regels),
        }
    if "gebied" in wanted:
        d["gebied"] = {
            "toelichting": "Eén portemonnee: de som van alle partijen en het fonds. Overdrachten tussen partijen (transacties binnen het gebied, bijdragen, spelregels) vallen weg.",
            "per_jaar": [{"jaar": y, **{c: _val(res, f"gebied:{c}", j) for c in COMPONENTEN}, "netto": _val(res, "gebied", j)} for j, y in enumerate(years)],
            "totaal": {**{c: _sum(res, f"gebied:{c}") for c in COMPONENTEN}, "netto": _val(res, "gebied_totaal"), "contant": _val(res, "gebied_contant")},
        }
    if "partijen" in wanted:
        parts = []
        soort = {p.id: p.soort for p in g.partijen} | {FONDS: "gebiedsfonds"}
        rol = {p.id: p.rol for p in g.partijen} | {FONDS: "gebiedsorganisatie"}
        for i, a in enumerate(rek):
            parts.append({
                "id": a, "naam": naam[a], "soort": soort[a], "rol": rol[a],
                "totaal": _val(res, "totaal", i), "contant": _val(res, "contant", i),
                "onderdelen": {c: _val(res, f"totaal:{c}", i) for c in COMPONENTEN},
                "per_jaar": [_val(res, "netto", i, j) for j in range(len(years))],
            })
        d["partijen"] = parts
    if "investeringen" in wanted:
        inv = []
        for i, a in enumerate(rek[:-1]):
            row: dict[str, Any] = {"partij": naam[a]}
            for c, soort_inv in enumerate(engine.INVESTERINGEN):
                row[soort_inv] = _val(res, "investeringen", i, c)
            row["bijdragen_fonds"] = _neg_sum(res, "onderdeel:lidmaatschap", i)
            inv.append(row)
        d["investeringen"] = inv
    if "spelregels" in wanted:
        s = g.actieve_set(res.regelset) if res.regelset else None
        regels = []
        for r_i, r in enumerate(s.regels if s else []):
            rt = sr.REGELTYPEN[r.type]
            regels.append({
                "volgorde": r_i + 1, "naam": r.naam, "type": r.type, "label": rt.label, "formule": rt.formule, "bron": rt.bron,
                "omschrijving": r.omschrijving,
                "per_rekening": {a: _val(res, "regels_totaal", r_i, i) for i, a in enumerate(rek)},
                "per_jaar": [{"jaar": y, **{a: _val(res, "regels", r_i, i, j) for i, a in enumerate(rek)}} for j, y in enumerate(years)],
            })
        d["spelregels"] = {"set": res.regelset, "omschrijving": s.omschrijving if s else "", "regels": regels,
                           "toelichting": "Toegepast in de vermelde volgorde; per regel tellen de overdrachten over alle rekeningen op tot € 0."}
    if "fonds" in wanted:
        d["fonds"] = {
            "naam": g.fonds.naam,
            "rente": g.fonds.rente,
            "beginsaldo": g.fonds.opening,
            "toelichting": "Saldo per 31-12 met rekening-courantrente (zoals de boekwaarde van een grex). Structureel: lidmaatschap; "
                           "incidenteel: kostenverhaal en spelregels; uitgaven: de gebiedsorganisatie.",
            "per_jaar": _fonds_rows(res),
            "laagste_saldo": _val(res, "fonds_diepste"),
            "negatief_in": [y for y, s in zip(years, res.cijfers["fonds_saldo"]) if s < -0.005],
        }
    if "risicos" in wanted:
        d["risicos"] = [
            {"risico": r.naam, "bedrag": r.bedrag, "kans": r.kans, "verwacht": r.bedrag * r.kans,
             "dragers": {naam[p]: _val(res, "risico", q, i) for i, p in enumerate(g.partij_ids()) if r.dragers.get(p)}}
            for q, r in enumerate(g.risicos)
        ]
    if "verwijzingen" in wanted:
        refs = []
        for _, x in zip(g.programmaprojecten, res.gekoppeld.projecten):
            refs.append({"soort": "programmaproject", "bron": x["bron"], "partij": naam[x["partij"]], "kosten": sum(x["kosten"].values()), "opbrengsten": sum(x["opbrengsten"].values())})
        for kv, x in zip(g.kostenverhaal, res.gekoppeld.kostenverhaal):
            refs.append({"soort": "kostenverhaal", "bron": x["bron"], "partij": naam[kv.betaler], "naar": naam[kv.ontvanger], "bedrag": x["bedrag"]})
        d["verwijzingen"] = refs
    if "waarschuwingen" in wanted:
        d["waarschuwingen"] = list(res.waarschuwingen)
    if "invoer" in wanted:
        d["invoer"] = gebied_to_dict(g, openbaar=res.openbaar)
    if "transacties" in wanted:
        d["transacties"] = [
            {"naam": t.naam, "soort": t.soort, "koper": naam[t.koper], "verkoper": naam.get(t.verkoper or "", "buiten het gebied"),
             "prijs": t.prijs, "per_jaar": {y: float(res.cijfers["transacties_stromen"][k, j]) for j, y in enumerate(years) if res.cijfers["transacties_stromen"][k, j]},
             "toelichting": t.toelichting}
            for k, t in enumerate(g.transacties)
        ]
    if "marges" in wanted:
        d["marges"] = [
            {"partij": p.naam, "marge": p.marge, "opbrengsten": _val(res, "opbrengsten", i), "vereiste_marge": _val(res, "marge", i), "resultaat_na_marge": _val(res, "na_marge", i)}
            for i, p in enumerate(g.partijen) if p.marge is not None
        ]
    return d


def _sum(res: GebiedResult, key: str) -> Any:
    if np.asarray(res.weg[key]).any():
        return WEG
    return float(np.asarray(res.cijfers[key]).sum())


def _neg_sum(res: GebiedResult, key: str, i: int) -> Any:
    if np.asarray(res.weg[key])[i].any():
        return WEG
    return float(-np.asarray(res.cijfers[key])[i].sum())


def _woo(res: GebiedResult) -> dict[str, Any]:
    velden = list(confidential_fields(Gebied))
    if not res.openbaar:
        return {"variant": VERTROUWELIJK, "toelichting": "Vertrouwelijke versie: bevat transactieprijzen, marges en toelichtingen. Niet openbaar maken (Woo).", "vertrouwelijke_velden": velden}
    n = sum(int(np.count_nonzero(w)) for w in res.weg.values())
    return {
        "variant": OPENBAAR,
        "toelichting": "Openbare versie (Woo): berekend zonder de vertrouwelijke velden; cijfers die daarvan afhangen staan er als 'vertrouwelijk'. "
                       "Grond- en vastgoedtransacties blijven vertrouwelijk (Praktijkhandleiding NOVEX, 'Wet Open Overheid en financiële transparantie').",
        "weggelaten_velden": velden,
        "weggelaten_cijfers": n,
    }


# --------------------------------------------------------------------------------------------------- explain
_FONDS_REGEL = RuleInfo("opengrex.engine.grex.book_value", "Saldo gebiedsfonds (rekening-courant)",
                        "S_y = S_(y−1) × (1 + r_y) + stroom_y (timing end; mid en start als de boekwaarde van een grex)",
                        "shared/spec/grondexploitatie.md §3 (rekening-courantmethode); seed 001 pijler 5 §3 (gezamenlijke pot)")
_GEBIED_REGEL = RuleInfo("opengrex.engine.gebied.calculate", "Eén portemonnee (geconsolideerd)",
                         "Σ over partijen en fonds van eigen posten, transacties, gekoppelde projecten, bijdragen, spelregels en uitgaven",
                         "Praktijkhandleiding NOVEX gebiedsontwikkeling, pijler 5 §1 'Opereren als ware het één partij, met één portemonnee' (seed 001 regel 1238)")


def kengetallen(res: GebiedResult) -> list[str]:
    """The figures :func:`explain` knows: ``gebied``, ``fonds``, ``partij:<id>`` and ``regel:<naam>``."""
    s = res.gebied.actieve_set(res.regelset) if res.regelset else None
    return ["gebied", "fonds"] + [f"partij:{a}" for a in res.rekeningen] + [f"regel:{r.naam}" for r in (s.regels if s else [])]


def explain(res: GebiedResult, kengetal: str) -> Explanation:
    """Which inputs, rule and source produced a figure. In the public variant a figure that depends on a
    confidential value is an error naming it (nothing is shown)."""
    known = kengetallen(res)
    if kengetal not in known:
        raise InputError("onbekend kengetal", field="kengetal", value=kengetal, allowed=", ".join(known))
    years = res.years
    if kengetal == "gebied":
        _publiek(res, "gebied_totaal", kengetal)
        inv = tuple(Input(COMPONENT_LABELS[c], _sum(res, f"gebied:{c}"), "EUR nominaal") for c in COMPONENTEN)
        return Explanation(kengetal, "Gebied: één portemonnee (nominaal)", _val(res, "gebied_totaal"), "EUR nominaal", _GEBIED_REGEL, inv,
                           toelichting=("Overdrachten tussen partijen en fonds tellen op tot € 0 en vallen in de som weg.",))
    if kengetal == "fonds":
        _publiek(res, "fonds_saldo", kengetal)
        inv = (Input("Structurele bijdragen per jaar", [_val(res, "fonds_structureel", j) for j in range(len(years))], "EUR nominaal"),
               Input("Kostenverhaal per jaar", [_val(res, "fonds_kostenverhaal", j) for j in range(len(years))], "EUR nominaal"),
               Input("Spelregels per jaar", [_val(res, "fonds_spelregels", j) for j in range(len(years))], "EUR nominaal"),
               Input("Uitgaven per jaar", [_val(res, "fonds_uitgaven", j) for j in range(len(years))], "EUR nominaal"),
               Input("Rente", res.arrays.fonds_rente.tolist(), "%"))
        return Explanation(kengetal, f"Eindsaldo {res.gebied.fonds.naam} per 31-12-{years[-1]}", _val(res, "fonds_saldo", len(years) - 1), "EUR nominaal", _FONDS_REGEL, inv)
    if kengetal.startswith("partij:"):
        a = kengetal.split(":", 1)[1]
        i = res.rekeningen.index(a)
        _publiek(res, "totaal", kengetal, i)
        inv = tuple(Input(COMPONENT_LABELS[c], _val(res, f"totaal:{c}", i), "EUR nominaal") for c in COMPONENTEN)
        return Explanation(kengetal, f"Netto positie {a} (nominaal)", _val(res, "totaal", i), "EUR nominaal", _GEBIED_REGEL, inv,
                           toelichting=(f"Contante waarde per {res.gebied.ncw_date:%d-%m-%Y}: {_fmt(_val(res, 'contant', i))}.",))
    naam = kengetal.split(":", 1)[1]
    s = res.gebied.actieve_set(res.regelset)
    assert s is not None  # a rule's kengetal exists only with an active set
    r_i = [r.naam for r in s.regels].index(naam)
    r = s.regels[r_i]
    rt = sr.REGELTYPEN[r.type]
    inv = tuple(Input(p.label, getattr(r, p.naam) if not hasattr(getattr(r, p.naam), "model_dump") else getattr(r, p.naam).model_dump(exclude_none=True), p.eenheid or "-") for p in rt.parameters)
    per = tuple(Input(a, _val(res, "regels_totaal", r_i, i), "EUR nominaal") for i, a in enumerate(res.rekeningen))
    return explanation(kengetal, rt.functie, [_val(res, "regels_totaal", r_i, i) for i in range(len(res.rekeningen))], "EUR nominaal per rekening",
                       label=f"Regel {r_i + 1}: {r.naam}", invoer=inv + per,
                       toelichting=(f"Toegepast als regel {r_i + 1} van {len(s.regels)} in set '{s.naam}'; de overdrachten tellen op tot € 0.",))


def _publiek(res: GebiedResult, key: str, kengetal: str, *index: Any) -> None:
    if res.openbaar and np.any(np.asarray(res.weg[key])[tuple(index)]):
        raise InputError("kengetal hangt af van vertrouwelijke gegevens (Woo) en hoort niet in een openbaar rapport", field="kengetal", value=kengetal,
                         allowed="de vertrouwelijke variant (zonder --openbaar), of een ander kengetal")


def _fmt(v: Any) -> str:
    return v if isinstance(v, str) else eur(v)


# --------------------------------------------------------------------------------------------------- rule-set variants
@dataclass(frozen=True)
class Variatie:
    """One varied parameter: rule ``regel``, parameter ``parameter`` (and ``sleutel``: a function or land use), values."""

    regel: str
    parameter: str
    sleutel: str | None
    waarden: tuple[float, ...]

    @property
    def label(self) -> str:
        return f"{self.regel}.{self.parameter}" + (f".{self.sleutel}" if self.sleutel else "")


def parse_variatie(text: str, g: Gebied, regelset: str | None = None) -> Variatie:
    """``"REGEL.PARAMETER[.SLEUTEL]=VAN:TOT:N"`` (N values, evenly spaced) or ``"...=a,b,c"``; the rule is a rule of
    the chosen set, the parameter a numeric one (tarief, prijs, forfait, aandeel, referentieprijs)."""
    s = g.actieve_set(regelset)
    if s is None:
        raise InputError("het gebied heeft geen spelregelsets om te variëren", field="--varieer", value=text, allowed="een gebied met spelregelsets")
    lhs, sep, rhs = text.partition("=")
    fmt = "REGEL.PARAMETER[.SLEUTEL]=VAN:TOT:N of =a,b,c"
    if not sep or not rhs.strip():
        raise InputError("variatie zonder waarden", field="--varieer", value=text, allowed=fmt)
    regel = next((r for r in sorted(s.regels, key=lambda r: -len(r.naam)) if lhs.startswith(r.naam + ".")), None)
    if regel is None:
        raise InputError("onbekende regel in variatie", field="--varieer", value=lhs, allowed=", ".join(r.naam for r in s.regels))
    rest = lhs[len(regel.naam) + 1 :]
    par, _, key = rest.partition(".")
    decl = {p.naam: p for p in sr.REGELTYPEN[regel.type].parameters if p.soort in sr.NUMERIEK}
    if par not in decl:
        raise InputError(f"parameter kan niet worden gevarieerd in regel '{regel.naam}'", field="--varieer", value=par, allowed=", ".join(decl) or "(geen getallen in deze regel)")
    kind = decl[par].soort
    if kind == sr.FRACTIE and key:
        raise InputError("deze parameter heeft geen sleutel", field="--varieer", value=key, allowed=f"{regel.naam}.{par}=…")
    if kind != sr.FRACTIE:
        known = g.functies() if kind == sr.PER_FUNCTIE else g.grondgebruiken()
        if key not in known:
            raise InputError("onbekende sleutel in variatie", field="--varieer", value=key or "(leeg)", allowed=", ".join(f"{regel.naam}.{par}.{k}" for k in known))
    try:
        if ":" in rhs:
            a, b, n = rhs.split(":")
            count = int(n)
            if count < 1:
                raise ValueError
            values = tuple(float(x) for x in np.linspace(float(a), float(b), count))
        else:
            values = tuple(float(x) for x in rhs.split(","))
    except ValueError:
        raise InputError("ongeldige waarden in variatie", field="--varieer", value=rhs, allowed=fmt) from None
    if any(not math.isfinite(v) or v < 0 or (kind == sr.FRACTIE and v > 1) for v in values):
        raise InputError("waarde buiten het bereik", field="--varieer", value=rhs, allowed="0 tot en met 1" if kind == sr.FRACTIE else ">= 0")
    return Variatie(regel.naam, par, key or None, values)


def varianten(regels: list[sr.Regel], variaties: Sequence[Variatie], g: Gebied) -> tuple[list[sr.Regel], np.ndarray]:
    """The compiled rules with a variant axis: every combination of the varied values (cartesian product, in one
    array per parameter). Returns the rules and the grid of values ``(V, len(variaties))``."""
    grid = np.array(list(itertools.product(*[v.waarden for v in variaties])), dtype=np.float64).reshape(-1, len(variaties))
    n_v = grid.shape[0]
    if n_v > MAX_VARIANTEN:
        raise InputError("te veel varianten", field="--varieer", value=n_v, allowed=f"hoogstens {MAX_VARIANTEN}")
    out = []
    for r in regels:
        params = {k: np.broadcast_to(v, (n_v,) + v.shape[1:]).copy() for k, v in r.parameters.items()}
        for j, var in enumerate(variaties):
            if var.regel != r.naam:
                continue
            arr = params[var.parameter]
            if var.sleutel is None:
                arr[:] = grid[:, j]
            else:
                soort = next(p.soort for p in sr.REGELTYPEN[r.type].parameters if p.naam == var.parameter)
                keys = g.functies() if soort == sr.PER_FUNCTIE else g.grondgebruiken()
                arr[:, keys.index(var.sleutel)] = grid[:, j]
        out.append(sr.Regel(r.naam, r.type, params))
    return out, grid


@dataclass
class Vergelijking:
    """Rule sets (or the variants of one set) side by side: per account nominal total and contante waarde, the
    fund's end and lowest balance."""

    gebied: Gebied
    openbaar: bool
    rijen: list[dict[str, Any]]
    variaties: list[Variatie]

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rijen)

    def to_dict(self) -> dict[str, Any]:
        return {"naam": self.gebied.naam, "variant": OPENBAAR if self.openbaar else VERTROUWELIJK,
                "gevarieerd": [v.label for v in self.variaties], "rekeningen": self.gebied.rekeningen(), "rijen": self.rijen}


def compare_rule_sets(g: Gebied, *, sets: Sequence[str] | None = None, varianten_tekst: Sequence[str] = (), regelset: str | None = None,
                      openbaar: bool = False, resolver: Resolver | None = None, bestanden: bool = True) -> Vergelijking:
    """Compare the rule sets of a gebied (``sets``: a selection), or — with ``varianten_tekst`` — the variants of one
    set (``regelset``), all variants in ONE vectorised engine call."""
    g.validated()
    gk = koppel(g, resolver, bestanden=bestanden)
    rek = g.rekeningen()
    if varianten_tekst:
        s = g.actieve_set(regelset)
        variaties = [parse_variatie(t, g, s.naam if s else None) for t in varianten_tekst]
        base = calculate_gebied(g, regelset=s.naam if s else None, openbaar=openbaar, gekoppeld=gk)
        regels, grid = varianten(base.arrays.regels, variaties, base.gebied)
        arrays_v = dataclasses.replace(base.arrays, regels=regels)
        o = engine.calculate(arrays_v)
        c = figures(o, arrays_v, slice(None))
        rows = []
        for v in range(grid.shape[0]):
            row: dict[str, Any] = {"variant": v + 1, "regelset": s.naam if s else None}
            row.update({var.label: float(grid[v, j]) for j, var in enumerate(variaties)})
            row.update(_vergelijk_cijfers(base, c, v, rek))
            rows.append(row)
        return Vergelijking(g, openbaar, rows, variaties)
    names = list(sets) if sets else [s.naam for s in g.spelregelsets]
    rows = []
    for n in names:
        res = calculate_gebied(g, regelset=n, openbaar=openbaar, gekoppeld=gk)
        rows.append({"variant": len(rows) + 1, "regelset": n, **_vergelijk_cijfers(res, None, 0, rek)})
    return Vergelijking(g, openbaar, rows, [])


def _vergelijk_cijfers(res: GebiedResult, c: dict[str, np.ndarray] | None, v: int, rek: list[str]) -> dict[str, Any]:
    """Per account totaal and contant, fund end and lowest balance, for variant ``v`` of figures ``c`` (with a
    variant axis), withheld where the base result withholds the account's figure."""
    out: dict[str, Any] = {}
    src = c if c is not None else {k: np.asarray(x)[None] for k, x in res.cijfers.items() if k in ("totaal", "contant", "fonds_saldo")}
    for i, a in enumerate(rek):
        for key in ("totaal", "contant"):
            out[f"{key}:{a}"] = WEG if bool(res.weg[key][i]) else float(src[key][v, i])
    saldo = src["fonds_saldo"][v]
    out["fonds_eindsaldo"] = float(saldo[-1])
    out["fonds_laagste_saldo"] = float(saldo.min())
    return out


def rule_types() -> list[dict[str, Any]]:
    """The registered rule types with their parameters (for documentation, the CLI and the API)."""
    return [
        {"type": rt.code, "label": rt.label, "formule": rt.formule, "bron": rt.bron, "functie": rule_of(rt.functie).function,
         "parameters": [{"naam": p.naam, "soort": p.soort, "label": p.label, "eenheid": p.eenheid, "verplicht": p.verplicht, **({"keuzes": list(p.keuzes)} if p.keuzes else {})} for p in rt.parameters]}
        for rt in sr.REGELTYPEN.values()
    ]


__all__ = [
    "GebiedResult", "Vergelijking", "Variatie", "calculate_gebied", "calculate_stored", "confidential_values", "openbare_kopie", "compare_rule_sets", "explain", "figures", "gebied_from_dict",
    "gebied_from_text", "gebied_to_dict", "gebied_workbook", "demo_data", "kengetallen", "koppel", "load_gebied", "parse_variatie", "rapport", "report_tables", "rule_types", "varianten",
]
