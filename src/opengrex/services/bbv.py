"""BBV: valuation at the balance date, jaarovergang, renteschema, lifecycle and the portfolio (MPG).

The same functions serve the CLI (``opengrex bbv …``, ``opengrex portefeuille bereken``), the REST API and the
pages. Rules live in :mod:`opengrex.engine.bbv`; this module loads, stacks the grexes on a portfolio axis
(:func:`opengrex.model.bbv.stack_grexes`), runs the grex engine ONCE for the whole portfolio and applies the rules.

>>> import opengrex
>>> pf = opengrex.load_portfolio("examples/bbv/portefeuille-2025.yaml")
>>> w = opengrex.value_portfolio(pf)                         # valuation at 31-12-2025
>>> w.grexen_frame(), w.totalen(), w.weerstand
>>> jo = opengrex.roll_portfolio(pf_2024, "examples/bbv/grootboek-2025.csv")  # jaarovergang 2025 -> 2026
>>> jo.verschillen_frame()                                   # variance per grex and cause (Shapley)

Documented choices where the sources are silent (research note /work/scratch/bbv/REPORT.md):

* Only a grex ``in_exploitatie`` gets BBV figures; ``voorbereiding`` and ``afgesloten`` are listed.
* POC uses costs and revenues excluding toegerekende rente; an opening book value has no cost/revenue split and
  is left out of the POC shares (put history in ``realised`` to count it).
* Voorziening and POC basis default to NCW (``voorziening_basis: eindwaarde`` and ``poc_basis: nominaal``
  selectable); every report also shows the nominal result (Heerhugowaard, Begroting 2018: presentation nominal).
* Jaarovergang: the estimate of year N that was not realised lapses ("vervallen raming", reported per line,
  grondexploitatie.md §9); ``restant: doorschuiven`` moves an underspend to year N+1 instead (shown as herraming).
* Variance: Shapley over the five causes (all 32 hybrids; order-independent); the parts add up to the total.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from opengrex.engine import bbv as rules
from opengrex.engine import grex as grex_engine
from opengrex.engine.explain import Explanation, Input, ParameterUse, explanation
from opengrex.errors import InputError, InputErrors
from opengrex.io.documents import Locator, build_model, parse_text, read_document
from opengrex.model.base import rate_on_years
from opengrex.model.bbv import Gebeurtenis, Portefeuille, PortefeuilleGrex, Renteschema, Stapel, stack_grexes
from opengrex.model.grex import OPBRENGSTSOORTEN, CostLine, Grex, Line, RevenueLine
from opengrex.parameters.bbv import in_force

SPEC = "shared/spec/bbv.md"
UITGIFTE_PREFIX = "gronduitgifte"
RESTANT = ("vervalt", "doorschuiven")


# ------------------------------------------------------------------------------------------------ loading
@dataclass
class LoadedPortfolio:
    """A validated portfolio with its grexes loaded (``grexes[i]`` belongs to ``portefeuille.grexen[i]``)."""

    portefeuille: Portefeuille
    grexes: list[Grex]
    map: Path | None = None

    @property
    def names(self) -> list[str]:
        return self.portefeuille.names()


def _finish(pf: Portefeuille, base: Path | None) -> LoadedPortfolio:
    from opengrex.services.grex import load_grex

    pf.validated()
    grexes: list[Grex] = []
    errs: list[InputError] = []
    for i, entry in enumerate(pf.grexen):
        if entry.grex is not None:
            grexes.append(entry.grex.validated())
            continue
        path = Path(entry.bestand or "")
        if not path.is_absolute() and base is not None:
            path = base / path
        try:
            grexes.append(load_grex(path))
        except InputError as exc:
            errs.append(InputError(f"grex kan niet worden geladen: {exc}", field=f"grexen[{i}].bestand", value=entry.bestand))
    if errs:
        raise InputErrors(errs)
    items = [e if e.naam else e.model_copy(update={"naam": g.name}) for e, g in zip(pf.grexen, grexes)]
    pf = pf.model_copy(update={"grexen": items}).validated()
    return LoadedPortfolio(pf, grexes, base)


def save_portfolio(lp: LoadedPortfolio, folder: str | Path, naam: str = "portefeuille.yaml") -> Path:
    """Write the portfolio to ``folder``: one grex file per grex (``grex/<projectnummer>-<naam>.yaml``) and the
    portfolio file referring to them. Everything is first written to a temporary folder, then moved in place: no
    half-written portfolio."""
    import re
    import shutil
    import tempfile

    import yaml

    from opengrex.services.grex import grex_to_dict

    target = Path(folder)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".opengrex-", dir=str(target.parent)))
    try:
        (tmp / "grex").mkdir()
        items = []
        for e, g in zip(lp.portefeuille.grexen, lp.grexes):
            slug = re.sub(r"[^a-z0-9]+", "-", f"{e.projectnummer or ''}-{e.label}".lower()).strip("-")
            rel = f"grex/{slug}.yaml"
            (tmp / rel).write_text(yaml.safe_dump(grex_to_dict(g), allow_unicode=True, sort_keys=False, width=160), encoding="utf-8")
            items.append(e.model_copy(update={"grex": None, "bestand": rel}))
        pf = lp.portefeuille.model_copy(update={"grexen": items})
        (tmp / naam).write_text(yaml.safe_dump(pf.model_dump(mode="json", exclude_none=True), allow_unicode=True, sort_keys=False, width=160), encoding="utf-8")
        target.mkdir(exist_ok=True)
        for f in [tmp / naam, *sorted((tmp / "grex").iterdir())]:
            dest = target / f.relative_to(tmp)
            dest.parent.mkdir(exist_ok=True)
            shutil.move(str(f), str(dest))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target / naam


def load_portfolio(path: str | Path, balansjaar: int | None = None) -> LoadedPortfolio:
    """A portfolio file (YAML/JSON with ``grexen``), or a folder of grex files (each ``in_exploitatie``; the
    balansjaar is the prijspeil year minus one unless given)."""
    p = Path(path)
    if p.is_dir():
        return portfolio_from_folder(p, balansjaar)
    if not p.is_file():
        raise InputError("bestand of map niet gevonden", location=str(p), value=str(p))
    data, locator = read_document(p)
    if isinstance(data, dict) and "grexen" not in data and "kosten" in data:
        from opengrex.services.grex import load_grex

        return single_grex_portfolio(load_grex(p), balansjaar)
    if balansjaar is not None and isinstance(data, dict):
        data = dict(data, balansjaar=balansjaar)
    pf = build_model(Portefeuille, data, locator, Portefeuille.check)
    return _finish(pf, p.parent)


def portfolio_from_dict(data: dict[str, Any], source: str = "<invoer>", base: Path | None = None) -> LoadedPortfolio:
    """Validate a portfolio given as plain data (grexes inline, or paths relative to ``base``)."""
    return _finish(build_model(Portefeuille, data, Locator(source), Portefeuille.check), base)


def portfolio_from_text(text: str, source: str = "<invoer>.yaml") -> LoadedPortfolio:
    data, locator = parse_text(text, source)
    return _finish(build_model(Portefeuille, data, locator, Portefeuille.check), None)


def portfolio_to_dict(lp: LoadedPortfolio, inline: bool = True) -> dict[str, Any]:
    """The portfolio as plain data; ``inline``: every grex embedded (no file references), as the API takes it."""
    if not inline:
        return lp.portefeuille.model_dump(mode="json", exclude_none=True)
    items = [e.model_copy(update={"grex": g, "bestand": None}) for e, g in zip(lp.portefeuille.grexen, lp.grexes)]
    return lp.portefeuille.model_copy(update={"grexen": items}).model_dump(mode="json", exclude_none=True)


def portfolio_from_folder(folder: Path, balansjaar: int | None = None) -> LoadedPortfolio:
    from opengrex.services.grex import load_grex

    files = sorted(f for f in folder.iterdir() if f.suffix.lower() in (".yaml", ".yml", ".json"))
    grexes = [load_grex(f) for f in files]
    if not grexes:
        raise InputError("map bevat geen grexbestanden", location=str(folder), allowed="*.yaml of *.json met een grex")
    return _group(grexes, balansjaar, folder.name, folder)


def single_grex_portfolio(grex: Grex, balansjaar: int | None = None, **entry: Any) -> LoadedPortfolio:
    """A portfolio of one grex (what ``opengrex bbv waardeer GREX`` values)."""
    return _group([grex], balansjaar, grex.name, None, entry)


def _group(grexes: list[Grex], balansjaar: int | None, naam: str, base: Path | None, entry: dict | None = None) -> LoadedPortfolio:
    if balansjaar is None:
        years = sorted({g.prijspeil.year - 1 for g in grexes})
        if len(years) != 1:
            raise InputError("balansjaar niet eenduidig uit de prijspeilen af te leiden", field="balansjaar", value=years, allowed="geef --jaar op")
        balansjaar = years[0]
    items = [PortefeuilleGrex(grex=g, naam=g.name, **(entry or {})) for g in grexes]
    pf = Portefeuille(naam=naam, balansjaar=balansjaar, grexen=items).validated()
    return LoadedPortfolio(pf, grexes, base)


# ------------------------------------------------------------------------------------------------ parameters
def disconteringsvoet(pf: Portefeuille, jaar: int) -> tuple[float, str]:
    """The disconteringsvoet for a valuation at 31-12-``jaar``: the portfolio's own, else the BBV parameter."""
    if pf.disconteringsvoet is not None:
        return float(pf.disconteringsvoet), "opgegeven in de portefeuille"
    v = in_force("disconteringsvoet", dt.date(jaar, 12, 31))
    return float(v.value), v.bron_tekst()


def dagtelling_of(pf: Portefeuille, grex: Grex) -> str:
    """Portfolio setting first, then the grex's own (``dagtelling`` arrives with the grex model of branch gp)."""
    return pf.dagtelling or getattr(grex, "dagtelling", None) or rules.HELE_JAREN


def _t_end(ncw_datum: dt.date, eindjaren: np.ndarray, dagtellingen: list[str]) -> np.ndarray:
    out = np.empty(len(dagtellingen))
    for mode in set(dagtellingen):
        sel = np.array([d == mode for d in dagtellingen])
        out[sel] = rules.looptijd_jaren(ncw_datum, np.asarray(eindjaren)[sel], mode)
    return out


# ------------------------------------------------------------------------------------------------ valuation
COLUMNS = {
    "status": "Status",
    "boekwaarde_begin": "Boekwaarde 1-1",
    "rente_toegerekend": "Toegerekende rente",
    "boekwaarde": "Boekwaarde 31-12",
    "kosten_gerealiseerd": "Gerealiseerde kosten",
    "kosten_totaal": "Totale kosten",
    "nog_te_maken_kosten": "Nog te maken kosten",
    "opbrengsten_gerealiseerd": "Gerealiseerde opbrengsten",
    "opbrengsten_totaal": "Totale opbrengsten",
    "nog_te_realiseren_opbrengsten": "Nog te realiseren opbrengsten",
    "resultaat_nominaal": "Resultaat nominaal",
    "eindwaarde": "Resultaat eindwaarde",
    "ncw": "Resultaat NCW",
    "t_end": "Looptijd T",
    "voorziening": "Verliesvoorziening",
    "voorziening_vorig": "Voorziening vorig jaar",
    "dotatie": "Dotatie voorziening",
    "vrijval": "Vrijval voorziening",
    "poc": "POC",
    "winst_cumulatief": "Winstneming cumulatief",
    "winst_vorig": "Winstneming t/m vorig jaar",
    "winst_genomen": "Winstneming dit jaar",
    "risico": "Risico",
    "eindjaar": "Eindjaar",
}


@dataclass
class Waardering:
    """BBV valuation of a portfolio at 31-12-``balansjaar``. Per-grex arrays are on the axis of ``valued`` (the
    grexes ``in_exploitatie``); ``listed`` holds every grex with its status. Amounts [EUR]; see :data:`COLUMNS`."""

    portefeuille: Portefeuille
    balansjaar: int
    disconteringsvoet: float
    disconteringsvoet_bron: str
    dagtelling: list[str]
    valued: list[int]
    figures: dict[str, np.ndarray]
    years: np.ndarray
    kasstroom: np.ndarray
    boekwaarde_jaren: np.ndarray
    weerstand: dict[str, Any]
    waarschuwingen: list[str]
    risico_methode: list[str]
    grexes: list[Grex] = field(default_factory=list)
    risk: Any = None
    stapel: Stapel | None = None
    outcome: Any = None

    @property
    def names(self) -> list[str]:
        return [self.portefeuille.grexen[i].label for i in self.valued]

    def grexen_frame(self, alle: bool = True) -> pd.DataFrame:
        """Per grex: every figure of :data:`COLUMNS` (grexes not in exploitatie with their status only)."""
        rows = []
        for k, i in enumerate(self.valued):
            e = self.portefeuille.grexen[i]
            row: dict[str, Any] = {"grex": e.label, "status": e.status}
            row.update({key: float(self.figures[key][k]) for key in COLUMNS if key in self.figures})
            row["eindjaar"] = int(self.figures["eindjaar"][k])
            row["risicomethode"] = self.risico_methode[k]
            row["dagtelling"] = self.dagtelling[k]
            rows.append(row)
        if alle:
            for i, e in enumerate(self.portefeuille.grexen):
                if i not in self.valued:
                    row = {"grex": e.label, "status": e.status}
                    if e.status == "afgesloten":
                        row["resultaat_nominaal"] = e.eindresultaat
                    rows.append(row)
        return pd.DataFrame(rows).set_index("grex")

    def totalen(self) -> dict[str, float]:
        """Totals over the grexes in exploitatie (BIE)."""
        keys = [k for k in COLUMNS if k not in ("status", "poc", "t_end", "eindjaar")]
        return {k: float(np.sum(self.figures[k])) for k in keys if k in self.figures}

    def jaren_frame(self) -> pd.DataFrame:
        """Per year: the portfolio's cash flow (realised up to the balance year, expected after) and book value."""
        real = self.years <= self.balansjaar
        return pd.DataFrame(
            {
                "kasstroom_gerealiseerd": np.where(real, self.kasstroom, 0.0),
                "kasstroom_verwacht": np.where(real, 0.0, self.kasstroom),
                "boekwaarde": self.boekwaarde_jaren,
            },
            index=pd.Index([int(y) for y in self.years], name="jaar"),
        )

    def to_dict(self) -> dict[str, Any]:
        df = self.grexen_frame()
        return {
            "portefeuille": self.portefeuille.naam,
            "balansjaar": self.balansjaar,
            "balansdatum": f"{self.balansjaar}-12-31",
            "ncw_datum": f"{self.balansjaar + 1}-01-01",
            "disconteringsvoet": self.disconteringsvoet,
            "disconteringsvoet_bron": self.disconteringsvoet_bron,
            "dagtelling": sorted(set(self.dagtelling)) or [rules.HELE_JAREN],
            "poc_basis": self.portefeuille.poc_basis,
            "voorziening_basis": self.portefeuille.voorziening_basis,
            "eenheden": {"bedragen": "EUR nominaal", "ncw": f"EUR contant per 1-1-{self.balansjaar + 1}", "boekwaarde": "EUR, balanswaarde (positief = voorraad)"},
            "grexen": [dict({"grex": n}, **{str(k): _json(v) for k, v in r.items()}) for n, r in df.iterrows()],
            "totalen": self.totalen(),
            "weerstand": self.weerstand,
            "per_jaar": [dict({"jaar": int(cast(int, j))}, **{str(k): float(v) for k, v in r.items()}) for j, r in self.jaren_frame().iterrows()],
            "waarschuwingen": self.waarschuwingen,
        }

    def explain(self, kengetal: str, grex: str | None = None) -> Explanation:
        """Why a figure has its value (``boekwaarde``, ``ncw``, ``voorziening``, ``poc``, ``winstneming``,
        ``rente_toegerekend``, ``weerstand``) for one grex (name) or, for ``weerstand``, the portfolio."""
        return explain_valuation(self, kengetal, grex)


def _json(v: Any) -> Any:
    if isinstance(v, (np.floating, float)):
        return None if not np.isfinite(v) else float(v)
    if isinstance(v, np.integer):
        return int(v)
    return v


def _check_valued(pf: Portefeuille, grexes: list[Grex], valued: list[int], jaar: int) -> None:
    errs = []
    for i in valued:
        g = grexes[i]
        rt = g.realised_through if g.realised_through is not None else g.start_year - 1
        if g.start_year <= jaar and rt < jaar:
            errs.append(InputError(
                f"grex '{pf.grexen[i].label}' is niet gerealiseerd t/m {jaar}",
                field=f"grexen[{i}].grex.realised_through", value=g.realised_through,
                allowed=f">= {jaar}: voer eerst de jaarovergang {jaar} uit (opengrex bbv jaarovergang)"))
    if errs:
        raise InputErrors(errs)


def value_portfolio(lp: LoadedPortfolio, trekkingen: int = 0, seed: int | None = 2013, chunk: int | None = None, scheduler: str | None = None) -> Waardering:
    """BBV valuation at 31-12-balansjaar of every grex in exploitatie, in one engine call for the portfolio.
    ``trekkingen`` > 0 runs the Monte Carlo for grexes with a risk register (see :func:`portfolio_risk`)."""
    pf, jaar = lp.portefeuille, lp.portefeuille.balansjaar
    valued = [i for i, e in enumerate(pf.grexen) if e.status == "in_exploitatie"]
    if not valued:
        raise InputError("geen grondexploitaties in exploitatie om te waarderen", field="grexen", value=[e.status for e in pf.grexen], allowed="ten minste één grex met status in_exploitatie")
    _check_valued(pf, lp.grexes, valued, jaar)
    grexes = [lp.grexes[i] for i in valued]
    stapel = stack_grexes(grexes, basis=jaar + 1)
    _apply_rente_grex(stapel, pf, jaar)
    entries = [pf.grexen[i] for i in valued]
    risk = None
    if trekkingen and any(_mc_entry(pf, e) for e in entries):
        risk = portfolio_risk(lp, trekkingen, seed, chunk, scheduler)
    return _valuation(pf, stapel, grexes, entries, valued, jaar, risk)


def _apply_rente_grex(stapel: Stapel, pf: Portefeuille, jaar: int) -> None:
    if pf.rente_grex is None:
        return
    years = stapel.years
    rates = np.array(rate_on_years(pf.rente_grex, range(int(years[0]), int(years[-1]) + 1)))
    after = years > jaar
    stapel.arrays.rente[:, after] = rates[after]


def _valuation(pf: Portefeuille, stapel: Stapel, grexes: list[Grex], entries: list[PortefeuilleGrex], valued: list[int], jaar: int, risk=None, outcome=None) -> Waardering:
    a = stapel.arrays
    o = grex_engine.calculate(a) if outcome is None else outcome
    years = stapel.years
    n_p = len(grexes)
    pos_n = jaar - int(years[0])
    d, d_bron = disconteringsvoet(pf, jaar)
    dagtelling = [dagtelling_of(pf, g) for g in grexes]
    eindjaar = np.array([g.end_year for g in grexes])
    t_end = _t_end(dt.date(jaar + 1, 1, 1), eindjaar, dagtelling)
    book = o.book_value
    real = years <= jaar
    costs, revenues = o.costs, o.revenues
    f: dict[str, np.ndarray] = {}
    f["boekwaarde"] = rules.boekwaarde(book, np.full(n_p, pos_n), a.opening)
    f["boekwaarde_begin"] = rules.boekwaarde(book, np.full(n_p, pos_n - 1), a.opening)
    rente_n = a.rente[:, pos_n] if 0 <= pos_n < len(years) else np.zeros(n_p)
    f["rente_toegerekend"] = rules.rente_toegerekend(f["boekwaarde_begin"], rente_n)
    f["kosten_gerealiseerd"] = -np.where(real, costs, 0.0).sum(axis=-1)
    f["kosten_totaal"] = -costs.sum(axis=-1)
    f["nog_te_maken_kosten"] = f["kosten_totaal"] - f["kosten_gerealiseerd"]
    f["opbrengsten_gerealiseerd"] = np.where(real, revenues, 0.0).sum(axis=-1)
    f["opbrengsten_totaal"] = revenues.sum(axis=-1)
    f["nog_te_realiseren_opbrengsten"] = f["opbrengsten_totaal"] - f["opbrengsten_gerealiseerd"]
    f["resultaat_nominaal"] = o.flows.sum(axis=-1) + a.opening
    f["eindwaarde"] = np.take_along_axis(book, stapel.eind[:, None], axis=-1)[:, 0]
    f["t_end"] = t_end
    f["ncw"] = rules.ncw(f["eindwaarde"], d, t_end)
    basis_v = f["ncw"] if pf.voorziening_basis == "ncw" else f["eindwaarde"]
    f["voorziening"] = rules.verliesvoorziening(basis_v)
    f["voorziening_vorig"] = np.array([e.voorziening_vorig for e in entries], dtype=np.float64)
    f["dotatie"], f["vrijval"] = rules.mutatie_voorziening(f["voorziening"], f["voorziening_vorig"])
    no_rev = [i for i, e in enumerate(entries) if e.winstneming and f["opbrengsten_totaal"][i] <= 0]
    if no_rev:
        raise InputErrors([InputError(
            f"POC-winstneming op grex '{entries[i].label}' zonder opbrengsten", field=f"grexen[{valued[i]}].winstneming", value=True,
            allowed="een grex met verwachte opbrengsten, of winstneming: false voor deze grex") for i in no_rev])
    f["poc"] = rules.poc(f["kosten_gerealiseerd"], f["kosten_totaal"], f["opbrengsten_gerealiseerd"], f["opbrengsten_totaal"])
    uitgifte_line = np.char.startswith(stapel.codes.astype(str), UITGIFTE_PREFIX)
    uitgifte = (np.where(real, o.line_flows, 0.0).sum(axis=-1) * uitgifte_line).sum(axis=-1) > 0
    f["uitgifte_gerealiseerd"] = uitgifte.astype(np.float64)
    doet_mee = np.array([e.winstneming for e in entries])
    basis_w = f["ncw"] if pf.poc_basis == "ncw" else f["resultaat_nominaal"]
    f["winst_vorig"] = np.array([e.winst_vorig for e in entries], dtype=np.float64)
    w, _ = rules.winstneming(np.where(doet_mee, f["poc"], 0.0), basis_w, uitgifte & doet_mee, f["winst_vorig"],
                             np.array([e.risico.winst_bedrag for e in entries]), np.array([e.risico.winst_aandeel for e in entries]))
    f["winst_cumulatief"] = w
    f["winst_genomen"] = w - f["winst_vorig"]
    f["risico"], methods = _risks(pf, entries, f, risk)
    f["eindjaar"] = eindjaar.astype(np.float64)
    # portfolio per year: cash flow and book value (balance sign), each grex from the year before its start to its end
    span = (np.arange(len(years))[None, :] >= (stapel.start - 1)[:, None]) & (np.arange(len(years))[None, :] <= stapel.eind[:, None])
    kasstroom = o.flows.sum(axis=0)
    boek = (-np.where(span, book, 0.0)).sum(axis=0)
    klassen = in_force("weerstandsvermogen", dt.date(jaar, 12, 31))
    bounds = [k["ondergrens"] for k in klassen.data["klassen"] if k["ondergrens"] is not None]
    benodigd = float(f["risico"].sum())
    ratio, k = rules.weerstand(pf.weerstandscapaciteit, benodigd, bounds)
    cls = klassen.data["klassen"][int(k)]
    weerstand = {
        "beschikbaar": float(pf.weerstandscapaciteit), "benodigd": benodigd, "ratio": float(ratio) if np.isfinite(ratio) else None,
        "klasse": cls["code"], "betekenis": cls["label"], "grensconventie": "ondergrens inclusief (A: ratio >= 2,0; de bronnen laten de grens zelf open)",
        "bron": klassen.bron_tekst(),
    }
    warnings = []
    if a.timing != grex_engine.TIMING_END:
        warnings.append(f"timing '{a.timing}': de BBV rekent rente over de boekwaarde per 1 januari (timing 'end'); de boekwaarde bevat rente binnen het jaar")
    long_ = rules.looptijd_te_lang(np.array([g.start_year for g in grexes]), eindjaar)
    for i in np.flatnonzero(long_):
        warnings.append(f"{entries[i].label}: looptijd {grexes[i].start_year}–{grexes[i].end_year} is langer dan 10 jaar; de BBV vraagt beheersmaatregelen (geen opbrengstenstijging na jaar 10)")
    if "niet geverifieerd" in d_bron:
        warnings.append("disconteringsvoet: bron niet geverifieerd")
    if any(m == "verwachtingswaarde" for m in methods):
        warnings.append("risico's met een register zonder Monte Carlo-trekkingen: verwachtingswaarde (kans × gemiddelde impact) gebruikt")
    return Waardering(pf, jaar, d, d_bron, dagtelling, valued, f, years, kasstroom, boek, weerstand, warnings, methods, grexes, risk, stapel, o)


def _mc_entry(pf: Portefeuille, e: PortefeuilleGrex) -> bool:
    return bool(e.risico.risicos) or (bool(pf.onzekerheden) and e.risico.bedrag is None and e.risico.klasse is None)


def _risks(pf: Portefeuille, entries: list[PortefeuilleGrex], f: dict[str, np.ndarray], risk) -> tuple[np.ndarray, list[str]]:
    out = np.zeros(len(entries))
    methods = []
    mc = {} if risk is None else dict(zip(risk.names, risk.benodigd))
    for i, e in enumerate(entries):
        r = e.risico
        if r.bedrag is not None:
            out[i] = r.bedrag
            methods.append("register (bedrag)")
        elif r.klasse is not None:
            out[i] = rules.risico_klasse(pf.risicoklassen[r.klasse], f["nog_te_realiseren_opbrengsten"][i])
            methods.append(f"klasse {r.klasse} ({pf.risicoklassen[r.klasse] * 100:.1f}%)".replace(".", ","))
        elif e.label in mc:
            out[i] = mc[e.label]
            methods.append(f"Monte Carlo P{100 - pf.risico_percentiel:g}")
        elif r.risicos:
            out[i] = sum(x.kans * (x.impact.min + x.impact.mode + x.impact.max) / 3.0 for x in r.risicos)
            methods.append("verwachtingswaarde")
        else:
            methods.append("geen")
    return out, methods


def value_grex(grex: Grex, balansjaar: int | None = None, **entry: Any) -> Waardering:
    """BBV valuation of one grex (a portfolio of one); ``entry``: voorziening_vorig, winst_vorig, risico, …"""
    return value_portfolio(single_grex_portfolio(grex, balansjaar, **entry))


# ------------------------------------------------------------------------------------------------ jaarovergang
@dataclass
class Jaarovergang:
    """A jaarovergang N → N+1 of a portfolio: the rolled arrays, the valuation of both versions and the variance.

    ``values (32, 3, P, L+1)`` / ``parts (5, 3, P, L+1)``: see :func:`opengrex.engine.bbv.verschilanalyse`
    (measures: nominal, eindwaarde, NCW; last column: the opening book value)."""

    lp: LoadedPortfolio
    jaar: int
    rolled: list[int]
    stapel_a: Stapel
    stapel_b: Stapel
    voor: Waardering
    na: Waardering
    values: np.ndarray
    parts: np.ndarray
    toegewezen: np.ndarray
    nieuw: dict[tuple[int, str], float]
    vervallen: np.ndarray
    restant: str
    door: str
    nieuwe_indices: dict[str, Any] | None
    nieuwe_rente: Any
    datum: dt.date
    _documents: list[Grex] | None = None

    MEASURES = ("nominaal", "eindwaarde", "ncw")

    def verschillen_frame(self, maat: str = "ncw") -> pd.DataFrame:
        """Per grex: the result before and after and the part of each cause [EUR] (they add up to the change)."""
        m = self.MEASURES.index(maat)
        parts = self.parts[:, m].sum(axis=-1)  # (5, P)
        before = self.values[0, m].sum(axis=-1)
        after = self.values[-1, m].sum(axis=-1)
        df = pd.DataFrame({"voor": before, **{c: parts[k] for k, c in enumerate(rules.CAUSES)}, "na": after}, index=pd.Index(self.names, name="grex"))
        df["verschil"] = df["na"] - df["voor"]
        return df

    @property
    def names(self) -> list[str]:
        return [self.lp.portefeuille.grexen[i].label for i in self.rolled]

    def per_kostensoort_frame(self, maat: str = "ncw") -> pd.DataFrame:
        """Per kostensoort / opbrengstsoort (over all rolled grexes): the part of each cause [EUR]."""
        m = self.MEASURES.index(maat)
        codes = np.concatenate([self.stapel_b.codes, np.full((self.stapel_b.codes.shape[0], 1), "openingsboekwaarde", dtype=object)], axis=1)
        codes = np.where(codes == "", "(leeg)", codes)
        rows = {c: self.parts[k, m].reshape(-1) for k, c in enumerate(rules.CAUSES)}
        df = pd.DataFrame(dict(rows, kostensoort=codes.reshape(-1).astype(str)))
        out = df.groupby("kostensoort", sort=True)[list(rules.CAUSES)].sum()
        out["totaal"] = out.sum(axis=1)
        return out.loc[(out.abs() > 1e-9).any(axis=1)]

    def totals(self) -> dict[str, dict[str, float]]:
        out = {}
        for m, name in enumerate(self.MEASURES):
            parts = self.parts[:, m].sum(axis=(-2, -1))
            out[name] = {"voor": float(self.values[0, m].sum()), **{c: float(parts[k]) for k, c in enumerate(rules.CAUSES)},
                         "na": float(self.values[-1, m].sum()), "verschil": float(self.values[-1, m].sum() - self.values[0, m].sum())}
        return out

    def vervallen_frame(self) -> pd.DataFrame:
        """Per line: estimate of year N that was not realised (vervallen raming, grondexploitatie.md §9) [EUR nominal]."""
        rows = []
        for k, i in enumerate(self.rolled):
            g = self.lp.grexes[i]
            for li, (section, _, ln) in enumerate(g.lines()):
                v = float(self.vervallen[k, li])
                if abs(v) > 0.005:
                    rows.append({"grex": self.lp.portefeuille.grexen[i].label, "post": ln.name, "soort": section, "vervallen_raming": v})
        return pd.DataFrame(rows, columns=["grex", "post", "soort", "vervallen_raming"])

    def documents(self) -> list[Grex]:
        """The rolled grex documents (prijspeil 1-1-(N+1), realised through N, remaining budget re-indexed)."""
        if self._documents is None:
            self._documents = [_materialise(self, k) for k in range(len(self.rolled))]
        return self._documents

    def portefeuille(self) -> LoadedPortfolio:
        """The portfolio after the jaarovergang: rolled grexes inline, balansjaar N, last year's figures set from
        the valuation before (voorziening, winst), one logged event per rolled grex."""
        pf = self.lp.portefeuille
        docs = dict(zip(self.rolled, self.documents()))
        before = {n: k for k, n in enumerate(self.voor.names)}
        items = []
        for i, e in enumerate(pf.grexen):
            if i not in docs:
                items.append(e)
                continue
            k = before[e.label]
            ev = Gebeurtenis(datum=self.datum, actie="jaarovergang", door=self.door, balansjaar=self.jaar,
                             toelichting=f"jaarovergang {self.jaar} → {self.jaar + 1}; restant: {self.restant}",
                             bedragen={"realisatie": float(self.toegewezen[self.rolled.index(i)].sum())})
            items.append(e.model_copy(update={"grex": docs[i], "bestand": None, "historie": [*e.historie, ev],
                                              "voorziening_vorig": float(self.voor.figures["voorziening"][k]),
                                              "winst_vorig": float(self.voor.figures["winst_cumulatief"][k])}))
        update: dict[str, Any] = {"grexen": items, "balansjaar": self.jaar}
        if self.nieuwe_rente is not None and pf.rente_grex is not None:
            update["rente_grex"] = self.nieuwe_rente
        new = pf.model_copy(update=update)
        grexes = [docs.get(i, g) for i, g in enumerate(self.lp.grexes)]
        return LoadedPortfolio(new, grexes, self.lp.map)

    def to_dict(self) -> dict[str, Any]:
        return {
            "jaar": self.jaar,
            "van": f"prijspeil 1-1-{self.jaar}, gerealiseerd t/m {self.jaar - 1}",
            "naar": f"prijspeil 1-1-{self.jaar + 1}, gerealiseerd t/m {self.jaar}",
            "methode": "Shapley over 5 oorzaken (realisatie, herraming, timing, indexatie, rente): alle 32 combinaties doorgerekend; "
                       "volgorde-onafhankelijk; de bijdragen tellen op tot het totale verschil",
            "restant": self.restant,
            "totalen": self.totals(),
            "per_grex": {m: _records(self.verschillen_frame(m)) for m in self.MEASURES},
            "per_kostensoort": _records(self.per_kostensoort_frame("ncw")),
            "vervallen_raming": self.vervallen_frame().to_dict(orient="records"),
            "waardering_voor": {"balansjaar": self.voor.balansjaar, "totalen": self.voor.totalen()},
            "waardering_na": {"balansjaar": self.na.balansjaar, "totalen": self.na.totalen()},
        }


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    out = df.reset_index()
    return [{str(k): _json(v) for k, v in r.items()} for r in out.to_dict(orient="records")]


def check_roll(lp: LoadedPortfolio, jaar: int) -> list[int]:
    """The grexes a jaarovergang ``jaar`` rolls (in exploitatie) after checking that it was not applied before."""
    pf = lp.portefeuille
    rolled = [i for i, e in enumerate(pf.grexen) if e.status == "in_exploitatie"]
    errs = []
    for i in rolled:
        g, name = lp.grexes[i], pf.grexen[i].label
        done_n = any(jaar in ln.realised for _, _, ln in g.lines())
        if (g.realised_through is not None and g.realised_through >= jaar) or g.prijspeil.year > jaar or done_n:
            errs.append(InputError(
                f"jaarovergang {jaar} is al toegepast op grex '{name}' (prijspeil {g.prijspeil.isoformat()}, gerealiseerd t/m {g.realised_through})",
                field=f"grexen[{i}].grex.prijspeil", value=g.prijspeil.isoformat(), allowed=f"een grex met prijspeil in {jaar} die nog niet t/m {jaar} is gerealiseerd"))
        elif g.prijspeil.year < jaar:
            errs.append(InputError(f"grex '{name}' heeft prijspeil {g.prijspeil.isoformat()}: voer eerst de jaarovergang {g.prijspeil.year} uit",
                                   field=f"grexen[{i}].grex.prijspeil", value=g.prijspeil.isoformat(), allowed=f"prijspeil in {jaar}"))
        elif g.end_year < jaar or g.start_year > jaar:
            errs.append(InputError(f"grex '{name}' loopt {g.start_year}–{g.end_year}: geen jaar {jaar} om te realiseren",
                                   field=f"grexen[{i}].grex.end_year", value=g.end_year, allowed=f"een looptijd die {jaar} bevat (of sluit de grex af)"))
    if not rolled:
        errs.append(InputError("geen grondexploitaties in exploitatie", field="grexen", allowed="ten minste één grex met status in_exploitatie"))
    if errs:
        raise InputErrors(errs)
    return rolled


def _code_table() -> dict[str, str]:
    from opengrex.codes import kostensoorten

    table = {"".join(k.code.split()).upper(): k.code for k in kostensoorten()}
    table.update({c.upper(): c for c in OPBRENGSTSOORTEN})
    return table


def _project_keys(pf: Portefeuille, rolled: list[int]) -> tuple[dict[str, int], dict[str, str]]:
    keys, closed = {}, {}
    pos = {i: k for k, i in enumerate(rolled)}
    for i, e in enumerate(pf.grexen):
        for key in filter(None, (e.label, e.projectnummer)):
            if i in pos:
                keys[key] = pos[i]
            else:
                keys[key] = -1
                closed[key] = "afgesloten" if e.status == "afgesloten" else "in voorbereiding"
    return keys, closed


def roll_portfolio(lp: LoadedPortfolio, grootboek: str | Path | None, jaar: int | None = None, *, nieuwe_indices: dict[str, Any] | None = None,
                   nieuwe_rente: Any = None, restant: str = "vervalt", door: str = "opengrex", datum: dt.date | None = None) -> Jaarovergang:
    """Jaarovergang ``jaar`` → ``jaar`` + 1 of every grex in exploitatie (bbv.md "Jaarovergang").

    ``grootboek``: the ledger export of year ``jaar`` (CSV/xlsx, :mod:`opengrex.io.ledger`; None: nothing realised);
    ``nieuwe_indices``: index series by name (replacing the grex's series of that name from year ``jaar`` on; the
    rate of ``jaar`` re-indexes the remaining budget to 1-1-(jaar+1)); ``nieuwe_rente``: the grex rente from
    ``jaar`` + 1 on; ``restant``: ``vervalt`` (default) or ``doorschuiven``. Nothing is written here; the result holds
    the rolled documents (:meth:`Jaarovergang.documents`) and the variance analysis.
    """
    from opengrex.io.ledger import read_ledger

    pf = lp.portefeuille
    jaar = pf.balansjaar + 1 if jaar is None else jaar
    if restant not in RESTANT:
        raise InputError("onbekende keuze voor het restant van de raming", field="restant", value=restant, allowed=", ".join(RESTANT))
    rolled = check_roll(lp, jaar)
    grexes = [lp.grexes[i] for i in rolled]
    entries = [pf.grexen[i] for i in rolled]
    extra = 1 if restant == "doorschuiven" else 0
    sa = stack_grexes(grexes, basis=jaar, extra_years=extra)
    _apply_rente_grex(sa, pf, jaar - 1)
    a = sa.arrays
    oa = grex_engine.calculate(a)
    years = sa.years
    pos = jaar - int(years[0])
    n_p, n_l, n_y = a.share.shape
    future = years > jaar
    # ---- ledger -> realised per line
    code_table = _code_table()
    codes_all = sorted(set(code_table.values()))
    code_ix = {c: k for k, c in enumerate(codes_all)}
    bedrag = np.zeros((n_p, len(codes_all)))
    per_line = np.zeros((n_p, n_l))
    if grootboek is not None:
        keys, closed = _project_keys(pf, rolled)
        ledger = read_ledger(grootboek, jaar, {k: v for k, v in keys.items()}, code_table, closed)
        line_names = [{ln.name: li for li, (_, _, ln) in enumerate(g.lines())} for g in grexes]
        has_post = ledger.post != ""
        if has_post.any():
            errs = []
            for r in np.flatnonzero(has_post):
                p, name = int(ledger.project[r]), str(ledger.post[r])
                li = line_names[p].get(name)
                if li is None or sa.codes[p, li] != ledger.code[r]:
                    errs.append(InputError("onbekende post voor dit project en deze kostensoort", location=f"{ledger.bron}:rij {ledger.rij[r]}", field="post", value=name,
                                           allowed=", ".join(n for n, ll in line_names[p].items() if sa.codes[p, ll] == ledger.code[r]) or "(geen post met deze kostensoort)"))
                else:
                    per_line[p, li] += ledger.bedrag[r]
            if errs:
                raise InputErrors(errs[:50])
        rest = ~has_post
        cidx = np.array([code_ix[c] for c in ledger.code[rest]], dtype=np.intp)
        np.add.at(bedrag, (ledger.project[rest], cidx), ledger.bedrag[rest])
    est_n = np.where(~a.realised_mask[..., pos], np.abs(oa.line_flows[..., pos]), 0.0)
    fut_share = np.where(future, a.share, 0.0).sum(axis=-1)
    remaining = a.amount * fut_share
    line_code = np.vectorize(lambda c: code_ix.get(c, -1), otypes=[np.intp])(sa.codes) if sa.codes.size else np.zeros((n_p, n_l), dtype=np.intp)
    line_code = np.where(np.arange(n_l)[None, :] < np.array([len(g.lines()) for g in grexes])[:, None], line_code, -1)
    alloc, zonder = rules.verdeel_realisatie(bedrag, line_code, est_n, remaining, len(codes_all))
    alloc = alloc + per_line
    negative = np.argwhere(alloc < -1e-9)
    if negative.size:
        raise InputErrors([InputError(f"gerealiseerd saldo in {jaar} is negatief voor een post", field=f"{entries[p].label}: {grexes[p].lines()[li][2].name}",
                                      value=float(alloc[p, li]), allowed=">= 0 (correcties mogen, het saldo per post niet)") for p, li in negative[:50]])
    new_lines = {(int(p), codes_all[c]): float(zonder[p, c]) for p, c in np.argwhere(np.abs(zonder) > 0)}
    if any(v < 0 for v in new_lines.values()):
        (p, c), v = next((k, v) for k, v in new_lines.items() if v < 0)
        raise InputError(f"gerealiseerd saldo in {jaar} is negatief", field=f"{entries[p].label}: {c}", value=v, allowed=">= 0")
    # ---- B arrays: extra line slots for codes without a line, realised year N, remaining budget, new rates
    n_new = np.zeros(n_p, dtype=np.intp)
    slot: dict[tuple[int, str], int] = {}
    for (p, c) in sorted(new_lines):
        slot[p, c] = n_l + int(n_new[p])
        n_new[p] += 1
    n_lb = n_l + int(n_new.max(initial=0))
    pad = n_lb - n_l

    def grow(x, fill=0.0):
        x = np.asarray(x)
        return np.concatenate([x, np.full(x.shape[:1] + (pad,) + x.shape[2:], fill, dtype=x.dtype)], axis=1) if pad else x.copy()

    amount_a, share_a = grow(a.amount), grow(a.share)
    sign = grow(a.sign, -1.0)
    series = grow(a.series, 0)
    realised = grow(a.realised)
    mask = grow(a.realised_mask, False)
    codes_b = grow(sa.codes.astype(object), "")
    alloc_b = grow(alloc)
    for (p, c), s in slot.items():
        alloc_b[p, s] = new_lines[p, c]
        sign[p, s] = 1.0 if c in OPBRENGSTSOORTEN else -1.0
        series[p, s] = series[p, 0]
        codes_b[p, s] = c
    real_n = grow(oa.line_flows[..., pos] * a.sign)  # positive nominal estimate of year N (or realised)
    line_index_a = grow(oa.line_index, 1.0)
    unspent = np.where(grow(~a.realised_mask[..., pos], False), np.maximum(real_n - alloc_b, 0.0), 0.0)
    vervallen = unspent.copy()
    q = np.where(future, amount_a[..., None] * share_a, 0.0)
    if restant == "doorschuiven":
        nxt = pos + 1
        q[..., nxt] += unspent / np.where(line_index_a[..., pos] > 0, line_index_a[..., pos], 1.0)
        vervallen[:] = 0.0
    total = q.sum(axis=-1)
    share_b = np.divide(q, total[..., None], out=np.zeros_like(q), where=total[..., None] > 0)
    realised[..., pos] = alloc_b
    mask[:, :, : pos + 1] = True
    rate_b = np.array(a.rate, dtype=np.float64).copy()
    ix_years = list(sa.index_years)
    if nieuwe_indices:
        unknown = sorted(set(nieuwe_indices) - {n for _, n in sa.series_names})
        if unknown:
            raise InputError("onbekende indexreeks in de nieuwe reeksen", field="indices", value=unknown, allowed=", ".join(sorted({n for _, n in sa.series_names})))
        from_n = np.array([y >= jaar for y in ix_years])
        for row, (_, name) in enumerate(sa.series_names):
            if name in nieuwe_indices:
                rate_b[row, from_n] = np.array(rate_on_years(nieuwe_indices[name], range(ix_years[0], ix_years[-1] + 1)))[from_n]
    rente_b = np.array(a.rente, dtype=np.float64).copy()
    if nieuwe_rente is not None:
        rente_b[:, future] = np.array(rate_on_years(nieuwe_rente, range(int(years[0]), int(years[-1]) + 1)))[future]
        rente_b = np.where(np.arange(n_y)[None, :] < sa.start[:, None], 0.0, rente_b)
    from dataclasses import replace

    arr_b = replace(a, amount=total, share=share_b, sign=sign, series=series, rate=rate_b, rente=rente_b, realised=realised, realised_mask=mask)
    eind_b = sa.eind.copy()
    if restant == "doorschuiven":
        moved = (unspent.sum(axis=-1) > 0) & (sa.eind == pos)
        eind_b = np.where(moved, pos + 1, sa.eind)
    sb = Stapel(arr_b, years, jaar, codes_b, sa.names, sa.start, eind_b, sa.series_names, sa.index_years)
    ob = grex_engine.calculate(arr_b)
    arr_a_grown = replace(a, amount=amount_a, share=share_a, sign=sign, series=series, realised=grow(a.realised), realised_mask=grow(a.realised_mask, False))
    oa_g = grex_engine.calculate(arr_a_grown)
    # ---- valuations before (31-12-(N-1)) and after (31-12-N)
    pf_before = pf.model_copy(update={"balansjaar": jaar - 1})
    grexes_b_end = [g if eind_b[k] == sa.eind[k] else g.model_copy(update={"end_year": g.end_year + 1}) for k, g in enumerate(grexes)]
    voor = _valuation_arrays(pf_before, sa, grexes, entries, rolled, jaar - 1, oa)
    na = _valuation_arrays(pf, sb, grexes_b_end, entries, rolled, jaar, ob)
    # ---- variance: both versions on one line axis, Shapley over the causes
    idx_a = np.take_along_axis(grex_engine.gather_series(oa_g.index, series), np.full((n_p, n_lb, 1), pos), axis=-1)[..., 0]
    idx_b = np.take_along_axis(grex_engine.gather_series(ob.index, series), np.full((n_p, n_lb, 1), pos), axis=-1)[..., 0]
    ra, sp_a, ix_a = rules.resterend_budget(amount_a, share_a, oa_g.line_index, idx_a, future)
    rb, sp_b, ix_b = rules.resterend_budget(total, share_b, ob.line_index, idx_b, future)
    d_a, d_b = voor.disconteringsvoet, na.disconteringsvoet
    dagt = [dagtelling_of(pf, g) for g in grexes]
    ends = {0: years[sa.eind], 1: years[eind_b]}
    tab = np.array([[_t_end(dt.date(jaar + rb_, 1, 1), ends[tb], dagt) for tb in (0, 1)] for rb_ in (0, 1)])
    va = rules.Versie(oa_g.line_flows, ra, sp_a, ix_a, sign, a.rente, a.opening, sa.eind, tab[0, 0], d_a, a.timing)
    vb = rules.Versie(ob.line_flows, rb, sp_b, ix_b, sign, rente_b, a.opening, eind_b, tab[1, 1], d_b, a.timing)
    values, parts = rules.verschilanalyse(va, vb, future, tab)
    return Jaarovergang(lp, jaar, rolled, sa, sb, voor, na, values, parts, alloc_b, {(rolled[p], c): v for (p, c), v in new_lines.items()}, vervallen,
                        restant, door, nieuwe_indices, nieuwe_rente, datum or dt.date.today())


def _valuation_arrays(pf, stapel, grexes, entries, valued, jaar, outcome) -> Waardering:
    return _valuation(pf, stapel, grexes, entries, valued, jaar, None, outcome)


def roll_grex(grex: Grex, grootboek: str | Path | None, jaar: int | None = None, **kwargs: Any) -> Jaarovergang:
    """Jaarovergang of one grex (a portfolio of one); ``kwargs`` as :func:`roll_portfolio`."""
    jaar = grex.prijspeil.year if jaar is None else jaar
    return roll_portfolio(single_grex_portfolio(grex, jaar - 1), grootboek, jaar, **kwargs)


def _materialise(jo: Jaarovergang, k: int) -> Grex:
    """The rolled grex document ``k``: each line's remaining budget at prijspeil 1-1-(N+1) with its phasing after N,
    the realisation of N in ``realised``, new lines for realised codes without a line."""
    i = jo.rolled[k]
    g = jo.lp.grexes[i]
    sb = jo.stapel_b
    a = sb.arrays
    jaar = jo.jaar
    years = [int(y) for y in sb.years]
    pos = jaar - years[0]
    # index step 1-1-N -> 1-1-(N+1) per line: the price index of year N+1 relative to N on the new series
    idx = grex_engine.price_index(np.asarray(a.rate), a.index_base)
    step = idx[a.series[k], a.index_offset + pos + 1] if a.index_offset + pos + 1 < idx.shape[1] else 1.0 + np.asarray(a.rate)[a.series[k], -1]
    end_year = years[int(sb.eind[k])]
    nxt = min(jaar + 1, end_year)
    new_lines: dict[str, list[Line]] = {"kosten": [], "opbrengsten": []}
    for li, (section, _, ln) in enumerate(g.lines()):
        amt = float(a.amount[k, li] * step[li])
        phasing = {years[y]: float(s) for y, s in enumerate(a.share[k, li]) if s > 0}
        realised = dict(ln.realised)
        realised[jaar] = float(a.realised[k, li, pos])
        new_lines[section].append(ln.model_copy(update={"amount": amt, "phasing": phasing or {nxt: 1.0}, "realised": realised}))
    for (p, code), value in jo.nieuw.items():
        if p != i:
            continue
        series = next(iter(g.indices))
        if code in OPBRENGSTSOORTEN:
            new_lines["opbrengsten"].append(RevenueLine(name=f"Gerealiseerd {jaar}: {OPBRENGSTSOORTEN[code]}", opbrengstsoort=code, amount=0.0, index=series, phasing={nxt: 1.0}, realised={jaar: value}))
        else:
            new_lines["kosten"].append(CostLine(name=f"Gerealiseerd {jaar}: {code}", kostensoort=code, amount=0.0, index=series, phasing={nxt: 1.0}, realised={jaar: value}))
    update: dict[str, Any] = {"kosten": new_lines["kosten"], "opbrengsten": new_lines["opbrengsten"], "realised_through": jaar, "end_year": end_year,
                              "disconteringsvoet": jo.na.disconteringsvoet}
    if end_year > jaar:
        update.update({"prijspeil": dt.date(jaar + 1, 1, 1), "ncw_datum": dt.date(jaar + 1, 1, 1)})
    if jo.nieuwe_indices:
        indices = dict(g.indices)
        for name, series in jo.nieuwe_indices.items():
            if name in indices:
                indices[name] = _merge_series(indices[name], series, jaar, range(g.start_year, end_year + 1))
        update["indices"] = indices
    own = [float(a.rente[k, y - years[0]]) for y in range(g.start_year, end_year + 1)]
    update["rente"] = own[0] if len(set(own)) == 1 else dict(zip(range(g.start_year, end_year + 1), own))
    out = g.model_copy(update=update)
    return out.validated()


def _merge_series(old, new, vanaf: int, years: range) -> Any:
    """A rate series that is ``old`` before ``vanaf`` and ``new`` from ``vanaf`` on (as a per-year dict)."""
    before = {y: r for y, r in zip(years, rate_on_years(old, years)) if y < vanaf}
    after = {y: r for y, r in zip(range(vanaf, max(years.stop, vanaf + 1)), rate_on_years(new, range(vanaf, max(years.stop, vanaf + 1))))}
    merged = before | after
    return merged if len(set(merged.values())) > 1 else next(iter(merged.values()))


# ------------------------------------------------------------------------------------------------ lifecycle
def _entry_index(pf: Portefeuille, naam: str) -> int:
    for i, e in enumerate(pf.grexen):
        if naam in (e.label, e.projectnummer):
            return i
    raise InputError("onbekende grex in de portefeuille", field="grex", value=naam, allowed=", ".join(pf.names()))


def ensure_open(pf: Portefeuille, naam: str) -> int:
    """Index of grex ``naam``; a closed grex cannot be edited (re-open it explicitly first)."""
    i = _entry_index(pf, naam)
    if pf.grexen[i].status == "afgesloten":
        raise InputError(f"grex '{pf.grexen[i].label}' is afgesloten en kan niet worden gewijzigd", field=f"grexen[{i}].status", value="afgesloten",
                         allowed="heropen de grex eerst (opengrex bbv heropenen --reden …)")
    return i


def close_grex(lp: LoadedPortfolio, naam: str, door: str, toelichting: str = "", datum: dt.date | None = None) -> tuple[LoadedPortfolio, dict[str, float]]:
    """Afsluiten (bbv.md "Lifecycle"): book the final result of a grex whose flows are all realised and freeze it.

    Final result = the eindwaarde (all realised, incl. toegerekende rente) [EUR]. A profit: the part not taken yet
    is taken now (``winst_slot = resultaat - winst_vorig``). A loss: the voorziening is used
    (``aanwending = min(voorziening_vorig, verlies)``), the rest is charged now. Returns the new portfolio (the entry
    ``afgesloten`` with ``eindresultaat`` and a logged event) and the booking."""
    pf = lp.portefeuille
    i = ensure_open(pf, naam)
    e, g = pf.grexen[i], lp.grexes[i]
    if e.status != "in_exploitatie":
        raise InputError("alleen een grex in exploitatie kan worden afgesloten", field=f"grexen[{i}].status", value=e.status, allowed="in_exploitatie")
    w = value_portfolio(LoadedPortfolio(pf.model_copy(update={"grexen": [e]}), [g], lp.map))
    f = {k: float(v[0]) for k, v in w.figures.items()}
    if f["nog_te_maken_kosten"] > 0.005 or f["nog_te_realiseren_opbrengsten"] > 0.005:
        raise InputError(f"grex '{e.label}' heeft nog niet-gerealiseerde kosten of opbrengsten", field=f"grexen[{i}]",
                         value={"nog_te_maken_kosten": f["nog_te_maken_kosten"], "nog_te_realiseren_opbrengsten": f["nog_te_realiseren_opbrengsten"]},
                         allowed="alles gerealiseerd (jaarovergang t/m het eindjaar) of herraam de resterende posten naar 0")
    resultaat = f["eindwaarde"]
    booking = {"eindresultaat": resultaat}
    if resultaat >= 0:
        booking["winst_slot"] = resultaat - e.winst_vorig
        booking["vrijval_voorziening"] = e.voorziening_vorig
    else:
        verlies = -resultaat
        booking["aanwending_voorziening"] = min(e.voorziening_vorig, verlies)
        booking["vrijval_voorziening"] = max(e.voorziening_vorig - verlies, 0.0)
        booking["verlies_ten_laste_van_dit_jaar"] = max(verlies - e.voorziening_vorig, 0.0)
        booking["winst_terugname"] = -e.winst_vorig
    ev = Gebeurtenis(datum=datum or dt.date.today(), actie="afsluiten", door=door, toelichting=toelichting, balansjaar=pf.balansjaar, bedragen=booking)
    new_e = e.model_copy(update={"status": "afgesloten", "eindresultaat": resultaat, "historie": [*e.historie, ev], "grex": g, "bestand": None})
    items = list(pf.grexen)
    items[i] = new_e
    return LoadedPortfolio(pf.model_copy(update={"grexen": items}), lp.grexes, lp.map), booking


def reopen_grex(lp: LoadedPortfolio, naam: str, door: str, reden: str, datum: dt.date | None = None) -> LoadedPortfolio:
    """Heropenen: an explicit, logged action; the booked final result is kept in the history."""
    pf = lp.portefeuille
    i = _entry_index(pf, naam)
    e = pf.grexen[i]
    if e.status != "afgesloten":
        raise InputError("alleen een afgesloten grex kan worden heropend", field=f"grexen[{i}].status", value=e.status, allowed="afgesloten")
    if not reden.strip():
        raise InputError("heropenen vraagt een reden", field="reden", value=reden, allowed="een toelichting waarom de grex wordt heropend")
    ev = Gebeurtenis(datum=datum or dt.date.today(), actie="heropenen", door=door, toelichting=reden, balansjaar=pf.balansjaar,
                     bedragen={"eindresultaat_vervallen": float(e.eindresultaat or 0.0)})
    items = list(pf.grexen)
    items[i] = e.model_copy(update={"status": "in_exploitatie", "eindresultaat": None, "historie": [*e.historie, ev]})
    return LoadedPortfolio(pf.model_copy(update={"grexen": items}), lp.grexes, lp.map)


# ------------------------------------------------------------------------------------------------ renteschema
@dataclass
class RenteschemaResult:
    invoer: Renteschema
    schema: rules.Renteschema
    omslag_onafgerond: float
    omslag_afgerond: float
    afwijking: float
    correctie_verplicht: bool
    c1_bron: str
    rentepercentage_grex: float | None
    parameter_bron: str

    def rows(self) -> list[dict[str, Any]]:
        """The renteschema as the Notitie rente lays it out (label, sign, amount) [EUR]."""
        s = self.schema
        f = float(s.f)
        return [
            {"rij": "a", "omschrijving": "De externe rentelasten over de korte en lange financiering", "teken": "", "bedrag": float(s.a)},
            {"rij": "b", "omschrijving": "De externe rentebaten", "teken": "-/-", "bedrag": float(s.b)},
            {"rij": "", "omschrijving": "Saldo rentelasten en rentebaten", "teken": "", "bedrag": float(s.saldo_extern)},
            {"rij": "c1", "omschrijving": "De rente die aan de grondexploitatie moet worden doorberekend", "teken": "-/-", "bedrag": float(s.c1)},
            {"rij": "c2", "omschrijving": "De rente van projectfinanciering die aan het betreffende taakveld moet worden toegerekend", "teken": "-/-", "bedrag": float(s.c2)},
            {"rij": "c3", "omschrijving": "De rentebaat van doorverstrekte leningen (projectfinanciering) die aan het betreffende taakveld moet worden toegerekend", "teken": "+/+", "bedrag": float(s.c3)},
            {"rij": "", "omschrijving": "Aan taakvelden toe te rekenen externe rente", "teken": "", "bedrag": float(s.extern_toe_te_rekenen)},
            {"rij": "d1", "omschrijving": "Rente over eigen vermogen", "teken": "+/+", "bedrag": float(s.d1)},
            {"rij": "d2", "omschrijving": "Rente over voorzieningen", "teken": "+/+", "bedrag": float(s.d2)},
            {"rij": "", "omschrijving": "Totaal aan taakvelden toe te rekenen rente", "teken": "", "bedrag": float(s.toe_te_rekenen)},
            {"rij": "e", "omschrijving": "De werkelijk aan taakvelden toegerekende rente (renteomslag)", "teken": "-/-", "bedrag": float(s.e)},
            {"rij": "f", "omschrijving": f"Renteresultaat op het taakveld Treasury ({'voordelig' if f <= 0 else 'nadelig'} {abs(f):,.0f})".replace(",", "."), "teken": "", "bedrag": f},
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "jaar": self.invoer.jaar,
            "renteschema": self.rows(),
            "omslagrente_onafgerond": self.omslag_onafgerond,
            "omslagrente_afgerond": self.omslag_afgerond,
            "afronding": f"{self.invoer.afronding}, op een veelvoud van 0,5 %",
            "renteresultaat": float(self.schema.renteresultaat),
            "renteresultaat_betekenis": "positief = voordelig voor taakveld Treasury (f in het schema is dan negatief)",
            "afwijking_e_ten_opzichte_van_toe_te_rekenen": self.afwijking,
            "correctie_verplicht": self.correctie_verplicht,
            "correctieregel": "aanpassing verplicht bij meer dan 25 % afwijking; basis (bedrag) is een aanname, niet geverifieerd",
            "c1_bron": self.c1_bron,
            "rentepercentage_grondexploitaties": self.rentepercentage_grex,
            "bron": self.parameter_bron,
        }


def load_renteschema(path: str | Path) -> Renteschema:
    data, locator = read_document(path)
    return build_model(Renteschema, data, locator, Renteschema.check)


def renteschema_from_dict(data: dict[str, Any], source: str = "<invoer>") -> Renteschema:
    return build_model(Renteschema, data, Locator(source), Renteschema.check)


def calculate_renteschema(inv: Renteschema, waardering: Waardering | None = None) -> RenteschemaResult:
    """The renteschema a–f with the omslagrente (Notitie rente 2017). Row c1 is given, or taken from the
    portfolio valuation of year ``jaar`` (the toegerekende rente: rate × boekwaarde per 1 januari, summed)."""
    param = in_force("renteomslag", dt.date(inv.jaar, 12, 31))
    if inv.c1_rente_grondexploitaties is not None:
        c1, c1_bron = inv.c1_rente_grondexploitaties, "opgegeven"
    elif waardering is not None:
        if waardering.balansjaar != inv.jaar:
            raise InputError("de portefeuille is van een ander balansjaar dan het renteschema", field="jaar", value=inv.jaar, allowed=str(waardering.balansjaar))
        c1, c1_bron = float(np.sum(waardering.figures["rente_toegerekend"])), f"portefeuille {waardering.portefeuille.naam}: som toegerekende rente {inv.jaar}"
    else:
        c1, c1_bron = 0.0, "niet opgegeven (0)"
    zero = 0.0
    pre = rules.renteschema(inv.a_externe_rentelasten, inv.b_externe_rentebaten, c1, inv.c2_rente_projectfinanciering,
                            inv.c3_rentebaat_doorverstrekte_leningen, inv.d1_rente_eigen_vermogen, inv.d2_rente_voorzieningen, zero)
    raw, rounded = rules.omslagrente(pre.toe_te_rekenen, inv.activa_1_januari, float(param.data["afrondingsstap"]), inv.afronding)
    e = inv.e_toegerekend if inv.e_toegerekend is not None else float(rounded) * inv.activa_1_januari
    schema = rules.renteschema(inv.a_externe_rentelasten, inv.b_externe_rentebaten, c1, inv.c2_rente_projectfinanciering,
                               inv.c3_rentebaat_doorverstrekte_leningen, inv.d1_rente_eigen_vermogen, inv.d2_rente_voorzieningen, e)
    dev, must = rules.correctie_verplicht(schema.e, schema.toe_te_rekenen, float(param.data["correctiedrempel"]))
    pct = None
    if inv.gemiddelde_rente is not None:
        pct = float(rules.grex_rentepercentage(inv.gemiddelde_rente, inv.vreemd_vermogen, inv.totaal_vermogen))
    return RenteschemaResult(inv, schema, float(raw), float(rounded), float(dev), bool(must), c1_bron, pct, param.bron_tekst())


# ------------------------------------------------------------------------------------------------ risk (Monte Carlo)
@dataclass
class PortfolioRisk:
    """Monte Carlo of the NCW of every grex with a risk register (and of their sum) [EUR at 1-1-(N+1)].

    ``ncw (D, P)`` per draw and grex; ``basis (P,)``: the deterministic NCW on the same grid; ``benodigd (P,)``:
    the required capacity per grex at ``percentiel``; ``totaal_benodigd``: for the portfolio as a whole
    (diversified: the percentile of the sum)."""

    names: list[str]
    draws: int
    seed: int | None
    percentiel: float
    ncw: np.ndarray
    basis: np.ndarray
    chunk: int
    scheduler: str | None

    @property
    def benodigd(self) -> np.ndarray:
        q = np.quantile(self.ncw, 1.0 - self.percentiel / 100.0, axis=0)
        return rules.risico_monte_carlo(self.basis, q)

    @property
    def totaal_benodigd(self) -> float:
        q = np.quantile(self.ncw.sum(axis=1), 1.0 - self.percentiel / 100.0)
        return float(rules.risico_monte_carlo(self.basis.sum(), q))

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({"ncw_basis": self.basis, "ncw_gemiddeld": self.ncw.mean(axis=0), "P10": np.quantile(self.ncw, 0.1, axis=0),
                             "P50": np.quantile(self.ncw, 0.5, axis=0), "P90": np.quantile(self.ncw, 0.9, axis=0), "benodigd": self.benodigd},
                            index=pd.Index(self.names, name="grex"))

    def to_dict(self) -> dict[str, Any]:
        return {"trekkingen": self.draws, "seed": self.seed, "percentiel": self.percentiel, "chunk": self.chunk, "scheduler": self.scheduler,
                "per_grex": _records(self.frame()), "som_benodigd": float(self.benodigd.sum()), "portefeuille_benodigd_gespreid": self.totaal_benodigd}


def _risk_programme(lp: LoadedPortfolio, idx: list[int]):
    """The grexes with Monte Carlo risk as a programme of independent projects (soort overig, no fund), so that the
    programme's risk engine (:func:`opengrex.model.programma.compile_risk`, :mod:`opengrex.engine.risico`) runs as is."""
    from opengrex.model.programma import Financier, Programme, Project

    pf = lp.portefeuille
    jaar = pf.balansjaar
    grexes = [lp.grexes[i] for i in idx]
    prijspeil = {g.prijspeil.year for g in grexes}
    if len(prijspeil) > 1:
        raise InputError("Monte Carlo vraagt één prijspeiljaar voor alle grexen met risico's", field="grexen", value=sorted(prijspeil), allowed=f"prijspeil 1-1-{jaar + 1} (na de jaarovergang)")
    d, _ = disconteringsvoet(pf, jaar)
    names = [pf.grexen[i].label for i in idx]
    fin, proj = [], []
    for i, name, g in zip(idx, names, grexes):
        rente = g.rente
        if pf.rente_grex is not None:
            rente = _merge_series(g.rente, pf.rente_grex, jaar + 1, range(g.start_year, g.end_year + 1))
        fin.append(Financier(name=name, rente=rente))
        proj.append(Project(name=name, soort="overig", voorfinancierder=name, grex=g, risicos=pf.grexen[i].risico.risicos))
    unc = []
    for u in pf.onzekerheden:
        if u.projecten:
            keep = [p for p in u.projecten if p in names]
            if not keep:
                continue
            u = u.model_copy(update={"projecten": keep})
        unc.append(u)
    return Programme(name=pf.naam, prijspeil=grexes[0].prijspeil, ncw_datum=dt.date(jaar + 1, 1, 1), disconteringsvoet=d, timing=grexes[0].timing,
                     financiers=fin, projecten=proj, onzekerheden=unc), names


def risk_chunk(ra, x: np.ndarray, eind: np.ndarray, discount: np.ndarray) -> np.ndarray:
    """NCW per draw and grex for a block of draws ``x (d, J)``: the programme risk engine's
    :func:`opengrex.engine.risico.apply_inputs`, ONE grex engine call, then each grex's book value at its own end
    year discounted with its own T. ``(d, P)`` [EUR]. Runs on a dask worker as well (pure function)."""
    from opengrex.engine import risico

    pa = risico.apply_inputs(ra, x)
    o = grex_engine.calculate(pa.grex)
    book = o.book_value  # (d, P, Y)
    idx = np.broadcast_to(eind[None, :, None], book.shape[:-1] + (1,))
    return np.take_along_axis(book, idx, axis=-1)[..., 0] * discount[None, :]


def portfolio_risk(lp: LoadedPortfolio, draws: int = 2000, seed: int | None = 2013, chunk: int | None = None, scheduler: str | None = None,
                   progress: Callable[[int], None] | None = None, client: Any = None) -> PortfolioRisk:
    """Monte Carlo over every grex with a risk register (and the portfolio's onzekerheden): the inputs are drawn once
    with ``np.random.default_rng(seed)`` (:func:`opengrex.engine.risico.sample_inputs`), then evaluated in chunks of
    draws, locally or — with ``scheduler`` (``tcp://host:port``) or a dask ``client`` — on a dask.distributed
    cluster. Same seed, same figures, whichever path and chunk size."""
    from opengrex.engine import risico
    from opengrex.model.programma import compile_risk

    pf = lp.portefeuille
    if not isinstance(draws, (int, np.integer)) or draws <= 0:
        raise InputError("aantal trekkingen moet een positief geheel getal zijn", field="trekkingen", value=draws, allowed="een geheel getal > 0")
    if chunk is not None and chunk <= 0:
        raise InputError("chunkgrootte moet positief zijn", field="chunk", value=chunk, allowed="> 0")
    idx = [i for i, e in enumerate(pf.grexen) if e.status == "in_exploitatie" and _mc_entry(pf, e)]
    if not idx:
        raise InputError("geen grexen met een risicoregister (risico.risicos) of onzekerheden voor Monte Carlo", field="grexen", allowed="risico: {risicos: [...]} bij ten minste één grex in exploitatie")
    prog, names = _risk_programme(lp, idx)
    ra, compiled = compile_risk(prog)
    years = np.array(compiled.years)
    grexes = [lp.grexes[i] for i in idx]
    eind = np.array([g.end_year for g in grexes]) - years[0]
    dagt = [dagtelling_of(pf, g) for g in grexes]
    t_end = _t_end(dt.date(pf.balansjaar + 1, 1, 1), np.array([g.end_year for g in grexes]), dagt)
    d = float(prog.disconteringsvoet)
    discount = (1.0 + d) ** (-t_end)
    n_chunk = chunk or max(1, risico.chunk_size(ra))
    x = risico.sample_inputs(ra, int(draws), seed)
    blocks = [x[s : s + n_chunk] for s in range(0, x.shape[0], n_chunk)]
    if scheduler is not None or client is not None:
        out = _dask_map(ra, blocks, eind, discount, scheduler, client)
    else:
        out = []
        for b in blocks:
            out.append(risk_chunk(ra, b, eind, discount))
            if progress is not None:
                progress(b.shape[0])
    ncw = np.concatenate(out, axis=0)
    basis = risk_chunk(ra, np.zeros((1, ra.n_inputs)), eind, discount)[0]
    return PortfolioRisk(names, int(draws), seed, float(pf.risico_percentiel), ncw, basis, n_chunk, scheduler or (str(client.scheduler.address) if client is not None else None))


DASK_TIMEOUT = "20s"
"""How long to wait for a dask scheduler before giving up (``--scheduler``)."""


def _dask_map(ra, blocks: list[np.ndarray], eind, discount, scheduler: str | None, client: Any) -> list[np.ndarray]:
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - the dask extra is not installed
        raise InputError("dask.distributed is niet geïnstalleerd", field="scheduler", value=scheduler, allowed="pip install 'opengrex[dask]'") from None
    own = client is None
    if own:
        try:
            client = Client(scheduler, timeout=DASK_TIMEOUT)
        except OSError as exc:
            raise InputError(f"dask-scheduler niet bereikbaar: {exc}", field="scheduler", value=scheduler, allowed="tcp://host:poort van een draaiende dask-scheduler") from None
    try:
        # scattered once, not broadcast: a broadcast replicates eagerly and a slow peer fetch can mark the key lost
        # ("failed to acquire keys"); without it workers fetch the arrays as tasks need them, with dask's own retries.
        base = client.scatter(ra, hash=False)
        futures = [client.submit(risk_chunk, base, b, eind, discount, pure=False, retries=2) for b in blocks]
        return client.gather(futures)
    finally:
        if own:
            client.close()


# ------------------------------------------------------------------------------------------------ explain
KENGETALLEN = ("boekwaarde", "ncw", "voorziening", "poc", "winstneming", "rente_toegerekend", "weerstand")


def explain_valuation(w: Waardering, kengetal: str, grex: str | None = None) -> Explanation:
    if kengetal not in KENGETALLEN:
        raise InputError("onbekend kengetal", field="kengetal", value=kengetal, allowed=", ".join(KENGETALLEN))
    d_param = ParameterUse("disconteringsvoet", w.disconteringsvoet, "%", w.disconteringsvoet_bron, f"{w.balansjaar}-12-31")
    if kengetal == "weerstand":
        ws = w.weerstand
        return explanation("weerstand", rules.weerstand, ws["ratio"], "-", invoer=[Input("beschikbare weerstandscapaciteit", ws["beschikbaar"], "EUR"),
                           Input("benodigde weerstandscapaciteit", ws["benodigd"], "EUR")], parameters=[ParameterUse("waarderingstabel", ws["klasse"], "-", ws["bron"])],
                           toelichting=[f"klasse {ws['klasse']} ({ws['betekenis']}); {ws['grensconventie']}"])
    names = w.names
    if grex is None or grex not in names:
        raise InputError("geef een grex in exploitatie op", field="grex", value=grex, allowed=", ".join(names))
    k = names.index(grex)
    f = {key: float(v[k]) for key, v in w.figures.items()}
    unit_ncw = f"EUR contant per 1-1-{w.balansjaar + 1}"
    if kengetal == "boekwaarde":
        return explanation("boekwaarde", rules.boekwaarde, f["boekwaarde"], "EUR", invoer=[
            Input("boekwaarde 1-1", f["boekwaarde_begin"], "EUR"), Input("toegerekende rente", f["rente_toegerekend"], "EUR"),
            Input("gerealiseerde kosten t/m balansjaar", f["kosten_gerealiseerd"], "EUR nominaal"), Input("gerealiseerde opbrengsten t/m balansjaar", f["opbrengsten_gerealiseerd"], "EUR nominaal")])
    if kengetal == "ncw":
        return explanation("ncw", rules.ncw, f["ncw"], unit_ncw, invoer=[Input("eindwaarde", f["eindwaarde"], "EUR nominaal"), Input("T", f["t_end"], "jaar")],
                           parameters=[d_param, ParameterUse("dagtelling", w.dagtelling[k])])
    if kengetal == "voorziening":
        return explanation("voorziening", rules.verliesvoorziening, f["voorziening"], "EUR", invoer=[Input(f"resultaat ({w.portefeuille.voorziening_basis})", f["ncw"] if w.portefeuille.voorziening_basis == "ncw" else f["eindwaarde"], unit_ncw),
                           Input("voorziening vorig jaar", f["voorziening_vorig"], "EUR")], toelichting=[f"dotatie {f['dotatie']:.2f}, vrijval {f['vrijval']:.2f}"])
    if kengetal == "poc":
        return explanation("poc", rules.poc, f["poc"], "%", invoer=[Input("gerealiseerde kosten", f["kosten_gerealiseerd"], "EUR nominaal"), Input("totale kosten", f["kosten_totaal"], "EUR nominaal"),
                           Input("gerealiseerde opbrengsten", f["opbrengsten_gerealiseerd"], "EUR nominaal"), Input("totale opbrengsten", f["opbrengsten_totaal"], "EUR nominaal")])
    if kengetal == "winstneming":
        e = w.portefeuille.grexen[w.valued[k]]
        return explanation("winstneming", rules.winstneming, f["winst_genomen"], "EUR", invoer=[Input("POC", f["poc"], "%"), Input(f"verwacht resultaat ({w.portefeuille.poc_basis})", f["ncw"] if w.portefeuille.poc_basis == "ncw" else f["resultaat_nominaal"], "EUR"),
                           Input("gronduitgifte gerealiseerd", bool(f["uitgifte_gerealiseerd"])), Input("winst t/m vorig jaar", f["winst_vorig"], "EUR"),
                           Input("verlaging risico (bedrag)", e.risico.winst_bedrag, "EUR"), Input("verlaging risico (aandeel)", e.risico.winst_aandeel, "%")],
                           toelichting=[f"cumulatief te nemen winst W_N = {f['winst_cumulatief']:.2f}"])
    return explanation("rente_toegerekend", rules.rente_toegerekend, f["rente_toegerekend"], "EUR", invoer=[Input("boekwaarde 1-1", f["boekwaarde_begin"], "EUR")])
