"""Programmes (Mastergrex): load, calculate, compare versions, scenarios and Monte Carlo risk.

The same functions serve the CLI (``opengrex programma …``), the web app and the tests::

    >>> import opengrex
    >>> prog = opengrex.load_programme("examples/hart-van-de-heuvelrug/mastergrex-2013.yaml")
    >>> res = opengrex.calculate_programme(prog)
    >>> res.ncw, res.nominaal, res.rente_deel          # floats [EUR]
    >>> res.projects_frame(); res.fund_frame(); res.partners_frame()
    >>> opengrex.compare_versions(prog_2012, prog).to_dict()
    >>> opengrex.run_scenarios(prog).waterfall_frame()
    >>> opengrex.run_risk(prog, draws=10_000, seed=1).summary()

Spec: shared/spec/programma.md; source: seed 000 (Hart van de Heuvelrug, afsprakenkader 2013).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from opengrex.engine import grex as grules
from opengrex.engine import programma as prules
from opengrex.engine import risico as risk_rules
from opengrex.engine import tijd
from opengrex.engine.explain import Explanation, Input, ParameterUse, explanation
from opengrex.engine.programma import ProgrammeOutcome
from opengrex.errors import InputError, InputErrors
from opengrex.formatting import eur, number, pct
from opengrex.io.documents import Locator, build_model, parse_text, read_document
from opengrex.model import programma as programme_model
from opengrex.model.grex import line_labels
from opengrex.model.programma import (  # Override, Wijziging, apply_overrides: public here too
    CAUSE_TEXT,
    CAUSES,
    CompiledProgramme,
    Override,
    Programme,
    Project,
    Scenario,
    Wijziging,
    apply_overrides,
    check_override,
    compile_programme,
    hybrid,
)
from opengrex.services.grex import badkuip_figures, legacy_dict

apply_override = programme_model.apply_override
"""A copy of a programme with one scenario change applied (:func:`opengrex.model.programma.apply_override`)."""

SPEC = "shared/spec/programma.md"
SEED = "seed 000 (Hart van de Heuvelrug, afsprakenkader 2013)"


# ------------------------------------------------------------------------------------------------------ loading
def load_programme(path: str | Path) -> Programme:
    """Read and validate a programme from YAML/JSON, or from a programme workbook (``.xlsx``, one sheet per
    project; see :mod:`opengrex.io.xlsx_programma`). Errors name the file and line (or sheet and cell)."""
    p = Path(path)
    if p.suffix.lower() == ".xlsx":
        from opengrex.io.xlsx_programma import import_programme_xlsx

        return import_programme_xlsx(p)
    data, locator = read_document(p)
    return build_model(Programme, data, locator, Programme.check)


def programme_from_dict(data: dict[str, Any], source: str = "<invoer>") -> Programme:
    """Validate a programme given as plain data."""
    return build_model(Programme, data, Locator(source), Programme.check)


def programme_from_text(text: str, source: str = "<invoer>.yaml") -> Programme:
    data, locator = parse_text(text, source)
    return build_model(Programme, data, locator, Programme.check)


def programme_to_dict(prog: Programme) -> dict[str, Any]:
    """A programme as plain data (round-trips through :func:`programme_from_dict`)."""
    return prog.model_dump(mode="json", exclude_none=True)


# ------------------------------------------------------------------------------------------------------ result
@dataclass
class ProgrammeResult:
    """Everything :func:`calculate_programme` computed, as floats [EUR] and pandas tables.

    ``outcome``: engine outcome with the programme's rates; ``outcome_zero``: the same with every voorfinancierder
    and fund rate at 0% (the difference is the part of the result that is interest).
    """

    programme: Programme
    compiled: CompiledProgramme
    outcome: ProgrammeOutcome
    outcome_zero: ProgrammeOutcome

    # ---- headline figures
    @property
    def years(self) -> list[int]:
        return self.compiled.years

    @property
    def ncw(self) -> float:
        """Programme NCW (BBV) at the ncw_datum, with verevening and interest [EUR]."""
        return float(self.outcome.ncw)

    @property
    def eindwaarde(self) -> float:
        return float(self.outcome.eindwaarde)

    @property
    def nominaal(self) -> float:
        """Nominal programme result: the opening book values (projects and fund) plus the sum of all flows, no
        interest (= the eindwaarde at 0 % rente) [EUR nominal]. See :attr:`saldo_nominaal` for the flows alone."""
        return float(self.outcome.nominal)

    @property
    def saldo_nominaal(self) -> float:
        """Nominal saldo: the sum of all flows, without opening book values (spec grondexploitatie.md §4) [EUR]."""
        return float(self.outcome.saldo_nominal)

    @property
    def openingsboekwaarden(self) -> float:
        """The projects' opening book values plus the fund's opening balance [EUR nominal]."""
        return float(self.outcome.opening_total)

    @property
    def ncw_zonder_rente(self) -> float:
        return float(self.outcome_zero.ncw)

    @property
    def rente_deel(self) -> float:
        """Part of the result that is interest: NCW with interest minus NCW at 0% interest [EUR]."""
        return float(prules.rentedeel(self.ncw, self.ncw_zonder_rente))

    def badkuip(self) -> dict[str, Any]:
        """Deepest programme book value, its year and the terugverdienjaar (see
        :func:`opengrex.services.grex.badkuip_figures`)."""
        return badkuip_figures(self.outcome, self.years)

    # ---- tables
    def projects_frame(self) -> pd.DataFrame:
        """Per project [EUR]: kind, trekker, voorfinancierder; ``nominaal`` (opening book value + flows, no
        interest), ``saldo_nominaal`` (flows only) and ``openingsboekwaarde``; two horizons, labelled:

        * ``eindwaarde``, ``ncw``: stand-alone (the voorfinancierder's rente, the programme's disconteringsvoet) **to
          the programme's last year**: a book value left at the project's end keeps earning its voorfinancierder's
          interest until the programme ends (what the project costs the programme);
        * ``eindjaar``, ``eindwaarde_eigen_looptijd``, ``ncw_eigen_looptijd``: the project's **own grex**, to its own
          end year, as ``opengrex grex bereken`` gives it with the same rates (what taakstellingen and project
          guarantees on the result are measured against);

        then the interest after verevening, transfers to (+) / from (−) the fund, and the badkuip of the stand-alone
        book value."""
        o, prog = self.outcome, self.programme
        po = o.projects
        opening = np.asarray(self.compiled.arrays.grex.opening, dtype=np.float64)
        rows = []
        for i, p in enumerate(prog.projecten):
            pos = int(po.badkuip_pos[i])
            rows.append({
                "project": p.name,
                "soort": p.soort,
                "trekker": p.trekker,
                "voorfinancierder": p.voorfinancierder,
                "nominaal": float(po.flows[i].sum() + opening[i]),
                "saldo_nominaal": float(po.flows[i].sum()),
                "openingsboekwaarde": float(opening[i]),
                "eindwaarde": float(po.eindwaarde[i]),
                "ncw": float(po.ncw[i]),
                "eindjaar": p.grex.end_year,
                "eindwaarde_eigen_looptijd": float(o.own_eindwaarde[i]),
                "ncw_eigen_looptijd": float(o.own_ncw[i]),
                "rente_na_verevening": float(o.vv.interest[i].sum()),
                "naar_fonds": float(o.vv.transfer[i].sum()),
                "diepste_boekwaarde": float(po.badkuip_depth[i]),
                "jaar_diepste": self.years[pos] if pos >= 0 else None,
            })
        df = pd.DataFrame(rows).set_index("project")
        return df

    def yearly_frame(self) -> pd.DataFrame:
        """Per year [EUR nominal]: programme flows, the opening book values of projects that start that year
        (standing at 31 December before their start), interest of the projects, transfers, fund, programme book."""
        o = self.outcome
        g = self.compiled.arrays.grex
        _, placed = grules.place_opening(g.opening, g.opening_pos, o.projects.flows.shape)
        return pd.DataFrame(
            {
                "opbrengsten": o.projects.revenues.sum(axis=0),
                "kosten": o.projects.costs.sum(axis=0),
                "saldo": o.projects.flows.sum(axis=0),
                "openingsboekwaarden": placed.sum(axis=0) if placed is not None else np.zeros(len(self.years)),
                "rente_projecten": o.vv.interest.sum(axis=0),
                "boekwaarde_projecten": o.vv.book.sum(axis=0),
                "fonds_stortingen": o.vv.fund_flows,
                "fonds_rente": o.vv.fund_interest,
                "fonds_saldo": o.vv.fund_book,
                "boekwaarde_programma": o.book,
            },
            index=pd.Index(self.years, name="jaar"),
        )

    def fund_frame(self) -> pd.DataFrame:
        """Verevening per year: afdrachten of red projects, bijdragen to green projects, the fund's interest at its
        own rate and its balance [EUR nominal]."""
        o = self.outcome
        kind = self.compiled.arrays.kind
        t = o.vv.transfer
        rate = np.asarray(self.compiled.arrays.fund_rate)
        return pd.DataFrame(
            {
                "afdracht_rood": t[kind == prules.KIND_ROOD].sum(axis=0),
                "bijdrage_groen": t[kind == prules.KIND_GROEN].sum(axis=0),
                "rentepercentage": rate,
                "rente": o.vv.fund_interest,
                "saldo": o.vv.fund_book,
            },
            index=pd.Index(self.years, name="jaar"),
        )

    def financiers_frame(self) -> pd.DataFrame:
        """Interest per voorfinancierder per year [EUR nominal], negative: paid to the voorfinancierder."""
        fi = self.outcome.financier_interest
        df = pd.DataFrame(fi.T, index=pd.Index(self.years, name="jaar"), columns=self.compiled.financiers)
        return df

    def financiers_totals(self) -> pd.DataFrame:
        """Per voorfinancierder: interest received (total, with the rates per year) and the projects it finances."""
        prog = self.programme
        fi = self.outcome.financier_interest
        rows = []
        for v, f in enumerate(prog.financiers):
            projects = [p.name for p in prog.projecten if p.voorfinancierder == f.name]
            if prog.fonds and prog.fonds.financier == f.name:
                projects.append(prog.fonds.name)
            rows.append({"voorfinancierder": f.name, "rente_ontvangen": float(-fi[v].sum()), "rente": _rate_text(f.rente), "financiert": ", ".join(projects)})
        return pd.DataFrame(rows).set_index("voorfinancierder") if rows else pd.DataFrame()

    def partner_figures(self) -> dict[str, Any]:
        return partner_figures(self.programme, self.outcome, self.compiled.arrays.project_end)

    def partners_frame(self) -> pd.DataFrame:
        """Per partner: share, share of the result (NCW and nominal), use of each guarantee, taakstelling."""
        return pd.DataFrame(self.partner_figures()["partners"]).set_index("partner") if self.programme.partners else pd.DataFrame()

    def guarantees_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.partner_figures()["garanties"]).set_index("garantie") if self.programme.garanties else pd.DataFrame()

    def taakstellingen_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.partner_figures()["taakstellingen"]).set_index("taakstelling") if self.programme.taakstellingen else pd.DataFrame()

    # ---- plain data
    def summary(self) -> dict[str, Any]:
        prog = self.programme
        return {
            "naam": prog.name,
            "versie": prog.versie,
            "prijspeil": prog.prijspeil.isoformat(),
            "ncw_datum": prog.ncw_date.isoformat(),
            "disconteringsvoet": prog.disconteringsvoet,
            "dagtelling": {"keuze": prog.dagtelling, "toelichting": tijd.DAGTELLING_TEKST[prog.dagtelling]},
            "eenheden": {
                "nominaal": "EUR nominaal (lopende prijzen): openingsboekwaarden + som van de kasstromen, zonder rente",
                "saldo_nominaal": "EUR nominaal: som van de kasstromen (grondexploitatie.md §4), zonder openingsboekwaarden",
                "ncw": f"EUR contant per {prog.ncw_date.isoformat()} (BBV: eindwaarde / (1 + d) ** T)",
                "ncw_project": "tot het laatste jaar van het programma (ncw) en over de eigen looptijd van het project (ncw_eigen_looptijd)",
            },
            "resultaat": {
                "nominaal": self.nominaal,
                "saldo_nominaal": self.saldo_nominaal,
                "openingsboekwaarden": self.openingsboekwaarden,
                "eindwaarde": self.eindwaarde,
                "ncw": self.ncw,
                "ncw_bij_0_procent_rente": self.ncw_zonder_rente,
                "rentedeel": self.rente_deel,
            },
            "badkuip": self.badkuip(),
            "projecten": _records(self.projects_frame()),
            "voorfinancierders": _records(self.financiers_totals()),
            "fonds": _records(self.fund_frame()) if prog.fonds else [],
            "per_jaar": _records(self.yearly_frame()),
            **self.partner_figures(),
        }

    to_dict = summary

    def explain(self, figure: str) -> dict[str, Any]:
        """The explanation of a figure (see :data:`KENGETALLEN`) as plain data (``waarde``, ``regel``, ``functie``,
        ``bron``, ``invoer``, ...); built on :func:`explain`. Unknown figure: :class:`InputError`."""
        return legacy_dict(explain(self, figure))


KENGETALLEN = ("ncw", "nominaal", "rentedeel", "fonds", "badkuip", "project:NAAM")
"""The figures of a programme :func:`explain` knows (``project:NAAM``: a project's own result and its result to the
programme's last year)."""


def explain(result: ProgrammeResult, kengetal: str) -> Explanation:
    """Why a programme figure has its value: the rule (function, formula, source), inputs with units, parameters
    and Dutch sentences. ``kengetal``: see :data:`KENGETALLEN`; unknown: :class:`InputError` naming the allowed."""
    prog, o = result.programme, result.outcome
    contant = f"EUR contant per {prog.ncw_date.isoformat()}"
    nom = "EUR nominaal"
    d = float(prog.disconteringsvoet)
    conv = ParameterUse("Dagtelling", prog.dagtelling, bron=tijd.DAGTELLING_TEKST[prog.dagtelling])
    disc = ParameterUse("Disconteringsvoet", d, "%", bron="invoer van het programma")
    rates = [ParameterUse(f"Rente {f.name}", f.rente if not isinstance(f.rente, dict) else {str(k): v for k, v in f.rente.items()}, "%", bron="voorfinancierder") for f in prog.financiers]
    name, _, arg = kengetal.partition(":")
    if name == "ncw" and not arg:
        return explanation(
            "ncw", prules.calculate, result.ncw, contant,
            invoer=[Input("Eindwaarde (projecten na verevening + fonds)", result.eindwaarde, f"EUR nominaal per 31-12-{result.years[-1]}", "eindwaarde"),
                    Input("Disconteringsvoet", d, "%", "disconteringsvoet"), Input("Tijd tot 31 december van het laatste jaar", o.t_end, "jaar", "T_end")],
            parameters=[disc, conv, *rates],
            toelichting=[f"NCW = {eur(result.eindwaarde)} / (1 + {pct(d)})^{number(o.t_end, 4)} = {eur(result.ncw)}.",
                         f"Rentedeel: {eur(result.rente_deel)}; nominaal resultaat: {eur(result.nominaal)}."],
        )
    if name == "nominaal" and not arg:
        return explanation(
            "nominaal", prules.nominal_result, result.nominaal, nom,
            invoer=[Input("Openingsboekwaarden (projecten en fonds)", result.openingsboekwaarden, nom, "openingsboekwaarden"),
                    Input("Som van de kasstromen", result.saldo_nominaal, nom, "saldo_nominaal")],
            toelichting=[f"Nominaal resultaat = {eur(result.openingsboekwaarden)} + {eur(result.saldo_nominaal)} = {eur(result.nominaal)} (zonder rente).",
                         "Het nominale saldo (grondexploitatie.md §4) is de som van de kasstromen alleen."],
        )
    if name == "rentedeel" and not arg:
        return explanation(
            "rentedeel", prules.rentedeel, result.rente_deel, contant,
            invoer=[Input("NCW met rente", result.ncw, contant, "ncw"), Input("NCW met alle rentes op 0 %", result.ncw_zonder_rente, contant, "ncw_0_procent")],
            parameters=rates,
            toelichting=[f"Rentedeel = {eur(result.ncw)} − {eur(result.ncw_zonder_rente)} = {eur(result.rente_deel)}."],
        )
    if name == "fonds" and not arg:
        fund = float(o.vv.fund_book[-1])
        return explanation(
            "fonds", prules.verevening, fund, f"EUR nominaal per 31-12-{result.years[-1]}",
            invoer=[Input("Per jaar: afdrachten rood, bijdragen groen, rente, saldo", _records(result.fund_frame()), nom, "per_jaar")],
            parameters=[ParameterUse("Fondsrente", _fondsrente(prog), "%", bron=prog.fonds.name if prog.fonds else "geen fonds")],
            toelichting=[f"Saldo van het fonds op 31 december {result.years[-1]}: {eur(fund)}."],
        )
    if name == "badkuip" and not arg:
        bk = result.badkuip()
        from opengrex.services.grex import badkuip_text

        return explanation(
            "badkuip", grules.badkuip, bk, nom,
            invoer=[Input("Boekwaarde van het programma per jaar", o.book.tolist(), nom, "boekwaarde"), Input("Jaren", result.years, "jaar", "jaren")],
            toelichting=[f"Laagste boekwaarde {eur(bk['diepste_boekwaarde'])}; {badkuip_text(bk)}."],
        )
    if name == "project" and arg:
        names = prog.project_names()
        if arg not in names:
            raise InputError("onbekend project", field="kengetal", value=kengetal, allowed=", ".join(f"project:{n}" for n in names))
        i = names.index(arg)
        p = prog.projecten[i]
        row = cast(pd.Series, result.projects_frame().loc[arg])  # one project's row (project names are unique)
        return explanation(
            kengetal, prules.project_own_ncw, float(o.own_ncw[i]), contant, label=f"NCW {arg} (eigen looptijd)",
            invoer=[Input(f"Boekwaarde op 31-12-{p.grex.end_year} (eigen eindjaar)", float(o.own_eindwaarde[i]), nom, "eindwaarde_eigen_looptijd"),
                    Input("Disconteringsvoet", d, "%", "disconteringsvoet"),
                    Input("Rente van de voorfinancierder", p.voorfinancierder, "-", "voorfinancierder"),
                    Input(f"NCW tot het laatste jaar van het programma ({result.years[-1]})", float(row["ncw"]), contant, "ncw_tot_programma_einde")],
            parameters=[disc, conv, *rates],
            toelichting=[f"{arg}: NCW over de eigen looptijd (tot 31-12-{p.grex.end_year}) {eur(float(o.own_ncw[i]))}; "
                         f"tot het laatste jaar van het programma {eur(float(row['ncw']))} (de boekwaarde draagt na het eindjaar rente tot het programma eindigt).",
                         f"Nominaal {eur(float(row['nominaal']))}; naar het fonds {eur(float(row['naar_fonds']))}."],
        )
    raise InputError("onbekend kengetal", field="kengetal", value=kengetal, allowed=", ".join(KENGETALLEN))


def _fondsrente(prog: Programme) -> float | dict[str, float]:
    """The fund's interest rate as shown: one rate, or a rate per year (keys as text); 0 without a fund."""
    if prog.fonds is None:
        return 0.0
    rente = prog.fonds.rente
    return {str(k): v for k, v in rente.items()} if isinstance(rente, dict) else rente


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    if df.empty:
        return []
    out = df.reset_index()
    out.columns = [str(c) for c in out.columns]
    return cast(list[dict[str, Any]], out.to_dict(orient="records"))  # the columns are text (above)


def _rate_text(rate) -> str:
    from opengrex.formatting import pct

    if isinstance(rate, dict):
        return ", ".join(f"{y}: {pct(v, 1)}" for y, v in sorted(rate.items()))
    return pct(rate, 1)


def partner_figures(prog: Programme, o: ProgrammeOutcome, project_end: np.ndarray | None = None) -> dict[str, Any]:
    """Guarantees, taakstellingen and partners from one (deterministic) engine outcome. A taakstelling and a
    guarantee on listed projects are measured against the projects' own results (``ncw_eigen_looptijd``)."""
    names = prog.project_names()
    shares = {p.name: p.share for p in prog.partners}
    g_rows: list[dict[str, Any]] = []
    t_rows: list[dict[str, Any]] = []
    if prog.garanties:
        exposure, scope = guarantee_exposure(prog, o, project_end)
        use, head, breach = prules.guarantee_use(exposure, np.array([g.plafond for g in prog.garanties]), scope)
        for i, g in enumerate(prog.garanties):
            g_rows.append({"garantie": g.name, "basis": g.basis, "reikwijdte": ", ".join(g.projecten) or "programma", "blootstelling": float(exposure[i]), "plafond": g.plafond, "gebruik": float(use[i]), "ruimte": float(head[i]), "overschrijding": float(breach[i]), "plafond_overschreden": bool(breach[i] > 0.005)})
    if prog.taakstellingen:
        res = np.array([float(o.own_ncw[names.index(t.project)]) for t in prog.taakstellingen])
        short, met = prules.taakstelling(res, np.array([t.bedrag for t in prog.taakstellingen]))
        for i, t in enumerate(prog.taakstellingen):
            t_rows.append({"taakstelling": t.name, "project": t.project, "bedrag": t.bedrag, "resultaat_project": float(res[i]), "nog_te_verdienen": float(short[i]), "gehaald": bool(met[i])})
    p_rows = []
    for p in prog.partners:
        row: dict[str, Any] = {"partner": p.name, "aandeel": p.share, "aandeel_ncw": p.share * float(o.ncw), "aandeel_nominaal": p.share * float(o.nominal), "aandeel_tekort_ncw": p.share * max(-float(o.ncw), 0.0)}
        for i, g in enumerate(prog.garanties):
            s = (g.partners or shares).get(p.name, 0.0)
            row[f"garantie {g.name}: gebruik"] = s * g_rows[i]["gebruik"]
            row[f"garantie {g.name}: ruimte"] = s * g_rows[i]["ruimte"]
        for i, t in enumerate(prog.taakstellingen):
            s = (t.partners or shares).get(p.name, 0.0)
            row[f"taakstelling {t.name}: nog te verdienen"] = s * t_rows[i]["nog_te_verdienen"]
        p_rows.append(row)
    return {"partners": p_rows, "garanties": g_rows, "taakstellingen": t_rows}


def guarantee_exposure(prog: Programme, o: ProgrammeOutcome, project_end: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Exposure of each guarantee's scope ``(..., G)`` [EUR, >= 0] and the scope ids (same scope: stacked); the rule
    is :func:`opengrex.engine.programma.guarantee_exposure`."""
    names = prog.project_names()
    basis = np.array([prules.GUARANTEE_RESULTAAT if g.basis == "resultaat" else prules.GUARANTEE_BOEKWAARDE for g in prog.garanties])
    scope = np.array([[n in g.projecten for n in names] for g in prog.garanties], dtype=bool)
    exposure = prules.guarantee_exposure(basis, scope, o.ncw, o.badkuip_depth, o.own_ncw, o.projects.book_value, project_end)
    keys = [(g.basis, tuple(sorted(g.projecten))) for g in prog.garanties]
    ids = {k: i for i, k in enumerate(dict.fromkeys(keys))}
    return exposure, np.array([ids[k] for k in keys])


def calculate_programme(prog: Programme) -> ProgrammeResult:
    """Calculate a validated programme: one engine call for all projects, verevening, fund, partners."""
    compiled = compile_programme(prog)
    from opengrex.engine.grex import calculate

    grex_out = calculate(compiled.arrays.grex)
    out = prules.calculate(compiled.arrays, outcome=grex_out)
    zero = prules.calculate(compiled.arrays, zero_rates=True, outcome=grex_out)
    return ProgrammeResult(programme=prog, compiled=compiled, outcome=out, outcome_zero=zero)


def project_line_labels(prog: Programme, compiled: CompiledProgramme) -> list[list[dict[str, Any]]]:
    """Labels of every line per project in engine order (plus the opening pseudo-line where added)."""
    return [line_labels(p.grex) + extra for p, extra in zip(prog.projecten, compiled.line_labels)]


# ------------------------------------------------------------------------------------------------------ risk
@dataclass
class RiskResult:
    """Monte Carlo of the programme NCW [EUR]. ``ncw (D,)`` per draw; ``basis``: the deterministic NCW (all
    uncertain inputs at their base value 0, no event) on the same grid; ``inputs (D, J)`` the drawn inputs."""

    programme: Programme
    draws: int
    seed: int | None
    percentiel: float
    ncw: np.ndarray
    basis: float
    inputs: np.ndarray
    input_names: list[str]
    input_units: list[str]
    tornado: pd.DataFrame
    grid_extension: int
    chunk: int

    @property
    def mean(self) -> float:
        return float(self.ncw.mean())

    @property
    def std(self) -> float:
        return float(self.ncw.std(ddof=1)) if self.draws > 1 else 0.0

    def quantile(self, q: float) -> float:
        return float(np.quantile(self.ncw, q))

    @property
    def p_tekort(self) -> float:
        """Probability of a deficit: share of draws with NCW < 0 (:func:`opengrex.engine.risico.kans_tekort`)."""
        return float(risk_rules.kans_tekort(self.ncw))

    @property
    def verwacht_risico(self) -> float:
        """Expected risk amount: deterministic NCW minus the mean NCW [EUR] (> 0: risks cost money on average)."""
        return float(risk_rules.verwacht_risicobedrag(self.basis, self.ncw))

    @property
    def weerstandsvermogen(self) -> float:
        """Required weerstandsvermogen at ``percentiel``: ``max(basis - P(100 - percentiel) of NCW, 0)`` [EUR], the
        buffer that covers the risks in ``percentiel``% of the draws (:func:`opengrex.engine.risico.weerstandsvermogen`)."""
        return float(risk_rules.weerstandsvermogen(self.basis, self.ncw, self.percentiel))

    def guarantee_breach(self) -> list[dict[str, Any]]:
        """For guarantees on the whole programme's deficit (basis resultaat): the probability that the deficit exceeds
        the ceiling (stacked guarantees: the sum of the ceilings up to and including this one)."""
        out, cum = [], 0.0
        for g in self.programme.garanties:
            if g.projecten or g.basis != "resultaat":
                continue
            cum += g.plafond
            out.append({"garantie": g.name, "plafond_cumulatief": cum, "kans_overschreden": float((-self.ncw > cum).mean())})
        return out

    def summary(self) -> dict[str, Any]:
        se = self.std / np.sqrt(self.draws) if self.draws > 1 else 0.0
        return {
            "naam": self.programme.name,
            "trekkingen": self.draws,
            "seed": self.seed,
            "eenheid": f"EUR contant per {self.programme.ncw_date.isoformat()} (NCW programma)",
            "ncw_deterministisch": self.basis,
            "ncw_gemiddeld": self.mean,
            "standaardfout_gemiddelde": float(se),
            "standaardafwijking": self.std,
            "P10": self.quantile(0.10),
            "P50": self.quantile(0.50),
            "P90": self.quantile(0.90),
            "kans_tekort": self.p_tekort,
            "verwacht_risicobedrag": self.verwacht_risico,
            "percentiel": self.percentiel,
            "benodigd_weerstandsvermogen": self.weerstandsvermogen,
            "grid_verlengd_met_jaren": self.grid_extension,
            "garanties": self.guarantee_breach(),
            "tornado": _records(self.tornado),
        }

    to_dict = summary

    def histogram(self, bins: int = 40) -> pd.DataFrame:
        counts, edges = np.histogram(self.ncw, bins=bins)
        return pd.DataFrame({"van": edges[:-1], "tot": edges[1:], "aantal": counts})


def risk_input_names(prog: Programme) -> tuple[list[str], list[str]]:
    names, units = [], []
    for u in prog.onzekerheden:
        names.append(u.naam)
        units.append({"index": "delta indexpercentage [1/jr]", "prijsniveau": f"relatieve wijziging {getattr(u, 'op', '')} [-]",
                      "vertraging": "jaren vertraging opbrengsten"}[u.type])
    for p in prog.projecten:
        for r in p.risicos:
            names.append(f"{p.name}: {r.naam}")
            units.append("impact [EUR nominaal in het jaar van het risico]")
    return names, units


def run_risk(prog: Programme, draws: int = 10_000, seed: int | None = 2013, percentiel: float = 90.0, chunk: int | None = None, progress: Callable[[int], None] | None = None) -> RiskResult:
    """Monte Carlo over the whole programme, vectorised over draws (chunks of ``chunk`` draws), seeded with
    ``np.random.default_rng(seed)``. Returns the NCW distribution, P10/P50/P90, P(tekort), the expected risk
    amount, the required weerstandsvermogen at ``percentiel`` and a tornado (each input at its P10/P90)."""
    from opengrex.engine import risico
    from opengrex.model.programma import compile_risk

    if not isinstance(draws, (int, np.integer)) or draws <= 0:
        raise InputError("aantal trekkingen moet een positief geheel getal zijn", field="trekkingen", value=draws, allowed="een geheel getal > 0")
    if not (0.0 < percentiel < 100.0):
        raise InputError("percentiel moet tussen 0 en 100 liggen", field="percentiel", value=percentiel, allowed="0 < percentiel < 100, bijv. 90")
    if chunk is not None and chunk <= 0:
        raise InputError("chunkgrootte moet positief zijn", field="chunk", value=chunk, allowed="> 0")
    ra, compiled = compile_risk(prog)
    n_chunk = chunk or risico.chunk_size(ra)
    x = risico.sample_inputs(ra, int(draws), seed)
    ncw = risico.evaluate_inputs(ra, x, n_chunk, progress)
    basis = float(risico.evaluate_inputs(ra, np.zeros((1, ra.n_inputs)))[0])
    names, units = risk_input_names(prog)
    if ra.n_inputs:
        rows, lo, hi = risico.tornado_inputs(x)
        vals = risico.evaluate_inputs(ra, rows, n_chunk)
        j = ra.n_inputs
        tor = pd.DataFrame({"invoer": names, "eenheid": units, "waarde_P10": lo, "waarde_P90": hi, "ncw_bij_P10": vals[:j], "ncw_bij_P90": vals[j:]})
        tor["effect_P10"] = tor.ncw_bij_P10 - basis
        tor["effect_P90"] = tor.ncw_bij_P90 - basis
        tor["bandbreedte"] = (tor.ncw_bij_P90 - tor.ncw_bij_P10).abs()
        tor = tor.sort_values("bandbreedte", ascending=False).set_index("invoer")
    else:
        tor = pd.DataFrame()
    return RiskResult(programme=prog, draws=int(draws), seed=seed, percentiel=float(percentiel), ncw=ncw, basis=basis, inputs=x, input_names=names, input_units=units, tornado=tor, grid_extension=len(compiled.years) - len(prog.grid()), chunk=n_chunk)


# ------------------------------------------------------------------------------------------------------ scenarios
OVERRIDE_SYNTAX = """Wijzigingen op de opdrachtregel (--override, herhaalbaar; volgorde = volgorde van de waterval):
  verschuif:PROJECT=N          project N jaar later (negatief: eerder)             (ook: shift)
  opbrengsten:PCT              alle opbrengsten PCT% (bijv. -10)                    (ook: revenue)
  opbrengsten:PROJECT=PCT      opbrengsten van één project PCT%
  kosten:PCT / kosten:PROJECT=PCT   kostenmaatregel, bijv. -5 = 5% lagere kosten   (ook: cost)
  rente:FINANCIER=R            rente van een voorfinancierder of het fonds op R (fractie)  (ook: rate)
  rente:FINANCIER=R@JAAR       idem, vanaf JAAR (bijv. rente:Provincie Utrecht=0@2014)
  index:REEKS=R / index:REEKS=R@JAAR   indexpercentage van reeks REEKS op R (fractie)
  vervalt:PROJECT              project vervalt                                       (ook: drop)
  toevoegen:BESTAND.yaml       project toevoegen (YAML met één project)             (ook: add)"""

_ALIASES = {"shift": "verschuif", "revenue": "opbrengsten", "revenues": "opbrengsten", "cost": "kosten", "costs": "kosten", "rate": "rente", "drop": "vervalt", "add": "toevoegen"}


def parse_override(text: str) -> Wijziging:
    """Parse one ``--override`` text (see :data:`OVERRIDE_SYNTAX`) into a scenario change (:data:`opengrex.model.programma.Wijziging`)."""
    kind, sep, rest = text.partition(":")
    kind = _ALIASES.get(kind.strip().lower(), kind.strip().lower())
    bad = InputError("ongeldige wijziging", field="--override", value=text, allowed=OVERRIDE_SYNTAX)
    if not sep or not rest.strip():
        raise bad
    rest = rest.strip()
    try:
        if kind == "verschuif":
            name, _, n = rest.rpartition("=")
            return Override(type=kind, project=name.strip(), jaren=int(n), label=text)
        if kind in ("opbrengsten", "kosten"):
            name, eq, pct_ = rest.rpartition("=")
            return Override(type=kind, projecten=[name.strip()] if eq else [], procent=float(pct_.replace(",", ".")), label=text)
        if kind in ("rente", "index"):
            name, _, val = rest.rpartition("=")
            val, at, year = val.partition("@")
            fields = {"financier" if kind == "rente" else "reeks": name.strip()}
            return Override(type=kind, waarde=float(val.replace(",", ".")), vanaf=int(year) if at else None, label=text, **fields)
        if kind == "vervalt":
            return Override(type=kind, project=rest, label=text)
        if kind == "toevoegen":
            data, locator = read_document(rest)
            project = build_model(Project, data, locator)
            return Override(type=kind, nieuw=project, label=text)
    except (ValueError, TypeError):
        raise bad from None
    raise InputError("onbekend type wijziging", field="--override", value=text, allowed=OVERRIDE_SYNTAX)


def override_label(o: Any) -> str:
    """A short Dutch description of a scenario change (its ``label``, or one made from its fields)."""
    return str(o.text())


@dataclass
class ScenarioOutcome:
    naam: str
    omschrijving: str
    wijzigingen: list[str]
    result: ProgrammeResult
    sequential: list[float]  # NCW effect of each override, applied in the listed order
    shapley: list[float] | None  # order-independent (all 2^k subsets); None when k > MAX_SHAPLEY


MAX_SHAPLEY = 8


@dataclass
class ScenarioComparison:
    base: ProgrammeResult
    scenarios: list[ScenarioOutcome]

    def frame(self) -> pd.DataFrame:
        """Side by side: base and each scenario (nominal, NCW, interest part, fund at the end, badkuip) [EUR]."""
        rows = []
        for name, r in [("Basis", self.base)] + [(s.naam, s.result) for s in self.scenarios]:
            rows.append({"scenario": name, "nominaal": r.nominaal, "ncw": r.ncw, "rentedeel": r.rente_deel, "verschil_ncw": r.ncw - self.base.ncw, "fonds_eind": float(r.outcome.vv.fund_book[-1]), "diepste_boekwaarde": r.badkuip()["diepste_boekwaarde"]})
        return pd.DataFrame(rows).set_index("scenario")

    def waterfall_frame(self) -> pd.DataFrame:
        """Per scenario and override: NCW effect sequentially (listed order) and by Shapley (order-independent)."""
        rows = []
        for s in self.scenarios:
            for i, w in enumerate(s.wijzigingen):
                rows.append({"scenario": s.naam, "wijziging": w, "volgtijdelijk": s.sequential[i], "shapley": None if s.shapley is None else s.shapley[i]})
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        return {
            "basis": self.base.programme.name,
            "methode": "waterval: wijzigingen volgtijdelijk in de opgegeven volgorde, en Shapley (gemiddelde over alle volgordes; alle 2^k combinaties doorgerekend)",
            "scenarios": _records(self.frame()),
            "waterval": self.waterfall_frame().to_dict(orient="records"),
        }


def run_scenarios(prog: Programme, scenarios: list[Scenario] | None = None) -> ScenarioComparison:
    """Compute each scenario (the file's ``scenarios:`` unless given) on the base, side by side, with a waterfall of
    each override's NCW effect: sequential in the listed order and Shapley over all ``2**k`` subsets (k <= 8)."""
    base = calculate_programme(prog)
    todo = list(prog.scenarios) if scenarios is None else scenarios
    for i, s in enumerate(todo):
        errs = []
        for j, o in enumerate(s.wijzigingen):
            errs += check_override(prog, o, ("scenarios", i, "wijzigingen", j))
        if errs:
            raise InputErrors(errs)
    out = []
    for s in todo:
        ovs = s.wijzigingen
        k = len(ovs)
        with_shapley = k <= MAX_SHAPLEY
        values = {m: (base.ncw if m == 0 else calculate_programme(apply_overrides(prog, [o for i, o in enumerate(ovs) if m >> i & 1])).ncw)
                  for m in prules.coalitions(k, with_shapley)}
        seq, shap = prules.waterfall(values, k, with_shapley)
        final = calculate_programme(apply_overrides(prog, ovs))
        out.append(ScenarioOutcome(naam=s.naam, omschrijving=s.omschrijving, wijzigingen=[override_label(o) for o in ovs], result=final,
                                   sequential=[float(v) for v in seq], shapley=None if shap is None else [float(v) for v in shap]))
    return ScenarioComparison(base=base, scenarios=out)


# ------------------------------------------------------------------------------------------------------ versions
def hybrid_programme(a: Programme, b: Programme, causes: set[str]) -> Programme:
    """Version ``a`` with the changes of version ``b`` for the given causes (:func:`opengrex.model.programma.hybrid`;
    pure: both versions stay as they are)."""
    return hybrid(a, b, causes)


@dataclass
class VersionComparison:
    a: ProgrammeResult
    b: ProgrammeResult
    causes: tuple[str, ...]
    ncw_values: np.ndarray  # (2**k,) NCW of each hybrid (bit i = cause i taken from b)
    nominal_values: np.ndarray
    ncw_shapley: np.ndarray
    nominal_shapley: np.ndarray

    @property
    def total_ncw(self) -> float:
        return float(self.ncw_values[-1] - self.ncw_values[0])

    @property
    def total_nominal(self) -> float:
        return float(self.nominal_values[-1] - self.nominal_values[0])

    def frame(self) -> pd.DataFrame:
        """Per cause: its Shapley share of the NCW and nominal difference [EUR], and what it covers."""
        df = pd.DataFrame({"oorzaak": list(self.causes), "omvat": [CAUSE_TEXT[c] for c in self.causes], "ncw": self.ncw_shapley, "nominaal": self.nominal_shapley}).set_index("oorzaak")
        return df

    def projects_frame(self) -> pd.DataFrame:
        """Per project: stand-alone NCW in each version and the difference."""
        fa, fb = self.a.projects_frame()["ncw"], self.b.projects_frame()["ncw"]
        df = pd.concat([fa.rename("ncw_a"), fb.rename("ncw_b")], axis=1)
        df["verschil"] = df["ncw_b"].fillna(0.0) - df["ncw_a"].fillna(0.0)
        return df

    def to_dict(self) -> dict[str, Any]:
        return {
            "versie_a": {"naam": self.a.programme.name, "versie": self.a.programme.versie, "ncw": self.a.ncw, "nominaal": self.a.nominaal},
            "versie_b": {"naam": self.b.programme.name, "versie": self.b.programme.versie, "ncw": self.b.ncw, "nominaal": self.b.nominaal},
            "verschil_ncw": self.total_ncw,
            "verschil_nominaal": self.total_nominal,
            "methode": f"Shapley over {len(self.causes)} oorzaken: alle {2 ** len(self.causes)} combinaties doorgerekend als hybride programma's (volgorde-onafhankelijk; de bijdragen tellen exact op tot het verschil)",
            "per_oorzaak": _records(self.frame()),
            "per_project": _records(self.projects_frame()),
        }


def compare_versions(a: Programme, b: Programme, causes: tuple[str, ...] = CAUSES) -> VersionComparison:
    """Explain the difference between two versions per cause, order-independently (Shapley over the cause groups;
    all ``2**k`` hybrid programmes are computed, k <= 6)."""
    k = len(causes)
    if k > 6 or any(c not in CAUSES for c in causes):
        raise InputError("onbekende of te veel oorzaken", field="oorzaken", value=list(causes), allowed=", ".join(CAUSES) + " (hoogstens 6)")
    ncw = np.zeros(2**k)
    nom = np.zeros(2**k)
    for m in range(2**k):
        on = {c for i, c in enumerate(causes) if m >> i & 1}
        r = calculate_programme(hybrid_programme(a, b, on))
        ncw[m], nom[m] = r.ncw, r.nominaal
    return VersionComparison(a=calculate_programme(a), b=calculate_programme(b), causes=tuple(causes), ncw_values=ncw, nominal_values=nom, ncw_shapley=prules.shapley(ncw, k), nominal_shapley=prules.shapley(nom, k))


def programme_causes(a: Programme, b: Programme) -> dict[str, Any]:
    """The registry's cause attribution of a programme (:func:`compare_versions`) in the shape every kind gives it:
    per figure (NCW, nominal result) its value in both versions and its Shapley part per cause."""
    cmp = compare_versions(a, b)
    figures = {}
    for key, label, unit, values, parts in (("ncw", "NCW programma", "EUR contant", cmp.ncw_values, cmp.ncw_shapley),
                                            ("saldo_nominaal", "Resultaat nominaal", "EUR nominaal", cmp.nominal_values, cmp.nominal_shapley)):
        figures[key] = {"label": label, "eenheid": unit, "a": float(values[0]), "b": float(values[-1]), "verschil": float(values[-1] - values[0]),
                        "per_oorzaak": [{"oorzaak": c, "omvat": CAUSE_TEXT[c], "bedrag": float(v)} for c, v in zip(cmp.causes, parts)]}
    return {"methode": cmp.to_dict()["methode"], "oorzaken": list(cmp.causes), "kengetallen": figures}


def programme_year_table(result: ProgrammeResult) -> dict[str, Any]:
    """The nominal flow of each project per year (the registry's table per year of a programme) [EUR nominal]."""
    flows = result.outcome.projects.flows
    rows = [{"sleutel": p.name, "groep": "Projecten", "naam": p.name, "waarden": np.asarray(flows[i]).tolist()} for i, p in enumerate(result.programme.projecten)]
    return {"titel": "Kasstroom per project per jaar", "eenheid": "EUR nominaal", "jaren": result.years, "regels": rows}
