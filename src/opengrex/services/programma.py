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

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from opengrex.services.grex import line_labels
from opengrex.engine import programma as prules
from opengrex.engine.programma import ProgrammeOutcome
from opengrex.errors import InputError, InputErrors
from opengrex.io.documents import Locator, build_model, parse_text, read_document
from opengrex.model.base import rate_on_years
from opengrex.model.programma import (
    CompiledProgramme,
    Override,
    Programme,
    Project,
    Scenario,
    check_override,
    compile_programme,
)

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
        """Nominal programme result: sum of all flows (and openings), no interest [EUR nominal]."""
        return float(self.outcome.nominal)

    @property
    def ncw_zonder_rente(self) -> float:
        return float(self.outcome_zero.ncw)

    @property
    def rente_deel(self) -> float:
        """Part of the result that is interest: NCW with interest minus NCW at 0% interest [EUR]."""
        return self.ncw - self.ncw_zonder_rente

    def badkuip(self) -> dict[str, Any]:
        o = self.outcome
        pos, rec = int(o.badkuip_pos), int(o.recovery_pos)
        return {"diepste_boekwaarde": float(o.badkuip_depth), "jaar": self.years[pos] if pos >= 0 else None, "terugverdienjaar": self.years[rec] if rec >= 0 else None}

    # ---- tables
    def projects_frame(self) -> pd.DataFrame:
        """Per project: kind, trekker, voorfinancierder, nominal result, stand-alone eindwaarde and NCW (at the
        voorfinancierder's rate and the programme's disconteringsvoet), interest after verevening, transfers to
        (+) / from (−) the fund, and the badkuip of the stand-alone book value [EUR]."""
        o, prog = self.outcome, self.programme
        po = o.projects
        rows = []
        for i, p in enumerate(prog.projecten):
            pos = int(po.badkuip_pos[i])
            rows.append({
                "project": p.name,
                "soort": p.soort,
                "trekker": p.trekker,
                "voorfinancierder": p.voorfinancierder,
                "nominaal": float(po.flows[i].sum() + np.asarray(self.compiled.arrays.grex.opening)[i]),
                "eindwaarde": float(po.eindwaarde[i]),
                "ncw": float(po.ncw[i]),
                "rente_na_verevening": float(o.vv.interest[i].sum()),
                "naar_fonds": float(o.vv.transfer[i].sum()),
                "diepste_boekwaarde": float(po.badkuip_depth[i]),
                "jaar_diepste": self.years[pos] if pos >= 0 else None,
            })
        df = pd.DataFrame(rows).set_index("project")
        return df

    def yearly_frame(self) -> pd.DataFrame:
        """Per year [EUR nominal]: programme flows, interest of the projects, transfers, fund, programme book."""
        o = self.outcome
        return pd.DataFrame(
            {
                "opbrengsten": o.projects.revenues.sum(axis=0),
                "kosten": o.projects.costs.sum(axis=0),
                "saldo": o.projects.flows.sum(axis=0),
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
        return partner_figures(self.programme, self.outcome)

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
            "eenheden": {"nominaal": "EUR nominaal (lopende prijzen)", "ncw": f"EUR contant per {prog.ncw_date.isoformat()} (BBV: eindwaarde / (1 + d) ** T)"},
            "resultaat": {
                "nominaal": self.nominaal,
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
        """Inputs, rule and source of a headline figure (``ncw``, ``rentedeel``, ``fonds``, ``badkuip``)."""
        prog = self.programme
        table = {
            "ncw": dict(waarde=self.ncw, regel="NCW = (som boekwaarden projecten + fondssaldo) eind / (1 + d) ** T_end", functie="opengrex.engine.programma.calculate", bron=f"{SPEC} Programme; {SEED}", invoer={"eindwaarde": self.eindwaarde, "disconteringsvoet": prog.disconteringsvoet, "T_end": self.outcome.t_end}),
            "rentedeel": dict(waarde=self.rente_deel, regel="NCW met rente - NCW met alle voorfinancierings- en fondsrentes op 0%", functie="opengrex.engine.programma.calculate(zero_rates=True)", bron=f"{SEED} §3.1", invoer={"ncw": self.ncw, "ncw_0_procent": self.ncw_zonder_rente}),
            "fonds": dict(waarde=float(self.outcome.vv.fund_book[-1]), regel="S_y = S_(y-1)(1 + f_y) + afdrachten rood + bijdragen groen", functie="opengrex.engine.programma.verevening", bron=f"{SEED} §3 (Beheerfonds)", invoer=_records(self.fund_frame())),
            "badkuip": dict(waarde=self.badkuip(), regel="laagste boekwaarde van het programma", functie="opengrex.engine.grex.badkuip", bron="shared/spec/grondexploitatie.md §6", invoer={"boekwaarde": self.outcome.book.tolist()}),
        }
        if figure not in table:
            raise InputError("onbekend kengetal", field="--verklaar", value=figure, allowed=", ".join(table))
        return table[figure]


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    if df.empty:
        return []
    out = df.reset_index()
    out.columns = [str(c) for c in out.columns]
    return out.to_dict(orient="records")


def _rate_text(rate) -> str:
    from opengrex.formatting import pct

    if isinstance(rate, dict):
        return ", ".join(f"{y}: {pct(v, 1)}" for y, v in sorted(rate.items()))
    return pct(rate, 1)


def partner_figures(prog: Programme, o: ProgrammeOutcome) -> dict[str, Any]:
    """Guarantees, taakstellingen and partners from one (deterministic) engine outcome."""
    names = prog.project_names()
    po = o.projects
    shares = {p.name: p.share for p in prog.partners}
    g_rows, t_rows = [], []
    if prog.garanties:
        exposure, scope = guarantee_exposure(prog, o)
        use, head, breach = prules.guarantee_use(exposure, np.array([g.plafond for g in prog.garanties]), scope)
        for i, g in enumerate(prog.garanties):
            g_rows.append({"garantie": g.name, "basis": g.basis, "reikwijdte": ", ".join(g.projecten) or "programma", "blootstelling": float(exposure[i]), "plafond": g.plafond, "gebruik": float(use[i]), "ruimte": float(head[i]), "overschrijding": float(breach[i]), "plafond_overschreden": bool(breach[i] > 0.005)})
    if prog.taakstellingen:
        res = np.array([float(po.ncw[names.index(t.project)]) for t in prog.taakstellingen])
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


def guarantee_exposure(prog: Programme, o: ProgrammeOutcome) -> tuple[np.ndarray, np.ndarray]:
    """Exposure of each guarantee's scope ``(..., G)`` [EUR, >= 0] and the scope ids (same scope: stacked).

    Scope = whole programme: the programme NCW (``resultaat``) or programme badkuip (``boekwaarde``); listed
    projects: the sum of their stand-alone NCWs, or the badkuip of the sum of their stand-alone book values.
    """
    from opengrex.engine import grex as rules

    names = prog.project_names()
    po = o.projects
    cols, scope_keys = [], []
    for g in prog.garanties:
        key = (g.basis, tuple(sorted(g.projecten)))
        scope_keys.append(key)
        if not g.projecten:
            val = o.ncw if g.basis == "resultaat" else o.badkuip_depth
        else:
            idx = [names.index(n) for n in g.projecten]
            if g.basis == "resultaat":
                val = po.ncw[..., idx].sum(axis=-1)
            else:
                val = rules.badkuip(po.book_value[..., idx, :].sum(axis=-2))[0]
        cols.append(np.maximum(-np.asarray(val, dtype=np.float64), 0.0))
    ids = {k: i for i, k in enumerate(dict.fromkeys(scope_keys))}
    return np.stack(cols, axis=-1), np.array([ids[k] for k in scope_keys])


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
        """Probability of a deficit: share of draws with NCW < 0."""
        return float((self.ncw < 0).mean())

    @property
    def verwacht_risico(self) -> float:
        """Expected risk amount: deterministic NCW minus the mean NCW [EUR] (> 0: risks cost money on average)."""
        return self.basis - self.mean

    @property
    def weerstandsvermogen(self) -> float:
        """Required weerstandsvermogen at ``percentiel``: ``max(basis - P(100 - percentiel) of NCW, 0)`` [EUR], the
        buffer that covers the risks in ``percentiel``% of the draws."""
        return max(self.basis - self.quantile(1.0 - self.percentiel / 100.0), 0.0)

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
        units.append({"index": "delta indexpercentage [1/jr]", "prijsniveau": f"relatieve wijziging {u.op} [-]", "vertraging": "jaren vertraging opbrengsten"}[u.type])
    for p in prog.projecten:
        for r in p.risicos:
            names.append(f"{p.name}: {r.naam}")
            units.append("impact [EUR nominaal]")
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


def parse_override(text: str) -> Override:
    """Parse one ``--override`` text (see :data:`OVERRIDE_SYNTAX`) into an :class:`Override`."""
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


def override_label(o: Override) -> str:
    """A short Dutch description of an override (for tables and waterfalls)."""
    if o.label:
        return o.label
    where = (f" ({', '.join(o.projecten)})" if len(o.projecten) <= 2 else f" ({len(o.projecten)} projecten)") if o.projecten else ""
    if o.type == "verschuif":
        return f"{o.project} {o.jaren:+d} jaar"
    if o.type in ("opbrengsten", "kosten"):
        return f"{o.type} {o.procent:+g}%{where}"
    if o.type in ("rente", "index"):
        what = o.financier if o.type == "rente" else o.reeks
        val = f"= {o.waarde:g}" if o.waarde is not None else f"{o.delta:+g}"
        return f"{o.type} {what} {val}" + (f" vanaf {o.vanaf}" if o.vanaf else "")
    if o.type == "vervalt":
        return f"{o.project} vervalt"
    return f"{o.nieuw.name if o.nieuw else '?'} toegevoegd"


def _rate_override(series, o: Override, grid: range):
    if o.vanaf is None:
        if o.waarde is not None:
            return float(o.waarde)
        if isinstance(series, dict):
            return {y: v + o.delta for y, v in series.items()}
        return float(series) + float(o.delta)
    years = range(min(grid.start, o.vanaf), max(grid.stop, o.vanaf + 1))
    old = rate_on_years(series, years)
    out = {}
    for y, v in zip(years, old):
        if y < o.vanaf:
            out[y] = v
        else:
            out[y] = float(o.waarde) if o.waarde is not None else v + float(o.delta)
    return out


def _as_shares(line: dict) -> dict[int, float]:
    """A line's phasing as shares (sum 1), whether given as shares or as amounts per year (as Grex.shares)."""
    total = sum(line["phasing"].values())
    if abs(total - 1.0) <= 1e-9 or not total:
        return dict(line["phasing"])
    return {y: v / total for y, v in line["phasing"].items()}


def _shift_grex(g: dict, n: int) -> None:
    cut = g.get("realised_through")
    for section in ("kosten", "opbrengsten"):
        for ln in g[section]:
            ln["phasing"] = {(y + n if cut is None or y > cut else y): v for y, v in ln["phasing"].items()}
    years = [y for s in ("kosten", "opbrengsten") for ln in g[s] for y in list(ln["phasing"]) + list(ln.get("realised", {}))]
    if years:
        g["start_year"] = min([g["start_year"]] + years) if n < 0 else g["start_year"]
        g["end_year"] = max(g["end_year"] + max(n, 0), max(years))


def apply_override(prog: Programme, o: Override) -> Programme:
    """A copy of ``prog`` with one change applied (the base is never mutated; spec: scenarios copy)."""
    errs = check_override(prog, o, ("wijziging",))
    if errs:
        raise InputErrors(errs)
    d = prog.model_dump(mode="python")
    d["scenarios"] = []
    grid = prog.grid()
    if o.type == "verschuif":
        for p in d["projecten"]:
            if p["name"] == o.project:
                _shift_grex(p["grex"], int(o.jaren or 0))
                for r in p["risicos"]:
                    if r.get("jaar") is not None:
                        r["jaar"] += int(o.jaren or 0)
                        r["jaar"] = min(max(r["jaar"], p["grex"]["start_year"]), p["grex"]["end_year"])
    elif o.type in ("opbrengsten", "kosten"):
        f = 1.0 + float(o.procent) / 100.0
        for p in d["projecten"]:
            if not o.projecten or p["name"] in o.projecten:
                for ln in p["grex"][o.type]:
                    ln["phasing"] = _as_shares(ln)
                    ln["amount"] = ln["amount"] * f
    elif o.type == "index":
        for p in d["projecten"]:
            idx = p["grex"]["indices"]
            if o.reeks in idx:
                idx[o.reeks] = _rate_override(idx[o.reeks], o, grid)
    elif o.type == "rente":
        for f in d["financiers"]:
            if f["name"] == o.financier:
                f["rente"] = _rate_override(f["rente"], o, grid)
        if d.get("fonds") and d["fonds"]["name"] == o.financier:
            d["fonds"]["rente"] = _rate_override(d["fonds"]["rente"], o, grid)
    elif o.type == "vervalt":
        d["projecten"] = [p for p in d["projecten"] if p["name"] != o.project]
        for g in d["garanties"]:
            g["projecten"] = [n for n in g["projecten"] if n != o.project]
        d["garanties"] = [g for g, g0 in zip(d["garanties"], prog.garanties) if not g0.projecten or g["projecten"]]
        d["taakstellingen"] = [t for t in d["taakstellingen"] if t["project"] != o.project]
        for u in d["onzekerheden"]:
            u["projecten"] = [n for n in u["projecten"] if n != o.project]
        d["onzekerheden"] = [u for u, u0 in zip(d["onzekerheden"], prog.onzekerheden) if not u0.projecten or u["projecten"]]
        if not d["projecten"]:
            raise InputError("na deze wijziging heeft het programma geen projecten", field="wijziging", value=override_label(o))
    elif o.type == "toevoegen":
        d["projecten"].append(o.nieuw.model_dump(mode="python"))
    out = Programme.model_validate(d)
    return out.validated()


def apply_overrides(prog: Programme, overrides: list[Override]) -> Programme:
    for o in overrides:
        prog = apply_override(prog, o)
    return prog


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
        cache: dict[int, float] = {0: base.ncw}

        def value(mask: int) -> float:
            if mask not in cache:
                cache[mask] = calculate_programme(apply_overrides(prog, [o for i, o in enumerate(ovs) if mask >> i & 1])).ncw
            return cache[mask]

        seq, prev = [], base.ncw
        for i in range(k):
            v = value((1 << (i + 1)) - 1)
            seq.append(v - prev)
            prev = v
        shap = None
        if k <= MAX_SHAPLEY:
            vals = np.array([value(m) for m in range(2**k)])
            shap = [float(v) for v in prules.shapley(vals, k)] if k else []
        final = calculate_programme(apply_overrides(prog, ovs))
        out.append(ScenarioOutcome(naam=s.naam, omschrijving=s.omschrijving, wijzigingen=[override_label(o) for o in ovs], result=final, sequential=seq, shapley=shap))
    return ScenarioComparison(base=base, scenarios=out)


# ------------------------------------------------------------------------------------------------------ versions
CAUSES = ("opbrengsten", "kosten", "fasering", "rente", "indexering", "projecten")
CAUSE_TEXT = {
    "opbrengsten": "bedragen van opbrengstposten (incl. gerealiseerd)",
    "kosten": "bedragen van kostenposten (incl. gerealiseerd)",
    "fasering": "fasering, looptijd, openingsboekwaarde (vertraging / versnelling)",
    "rente": "rente van voorfinancierders en fonds, disconteringsvoet, keuze voorfinancierder",
    "indexering": "indexreeksen, prijspeil en NCW-datum",
    "projecten": "projecten toegevoegd of vervallen (en projectsoort)",
}


def hybrid_programme(a: Programme, b: Programme, causes: set[str]) -> Programme:
    """Version ``a`` with the changes of version ``b`` for the given causes (see :data:`CAUSE_TEXT`).

    ``causes = {}`` rebuilds ``a``; all causes rebuild ``b``. Lines are matched by (section, name), projects and
    financiers by name; a line or project present in one version only belongs to the amount cause of its section
    (lines) or to ``projecten`` (projects). Partners, guarantees, risks and scenarios do not affect the result and
    are left out of the hybrids.
    """
    A, B = a.model_dump(mode="python"), b.model_dump(mode="python")
    on = causes.__contains__
    fin_a = {f["name"]: f for f in A["financiers"]}
    fin_b = {f["name"]: f for f in B["financiers"]}
    financiers = []
    for name in list(fin_a) + [n for n in fin_b if n not in fin_a]:
        src = fin_b[name] if (name in fin_b and (on("rente") or name not in fin_a)) else fin_a[name]
        financiers.append(src)
    fonds = None
    if A.get("fonds") or B.get("fonds"):
        fa, fb = A.get("fonds"), B.get("fonds")
        fonds = dict(fb if (fb and (on("rente") or not fa)) else fa)
        if fa and fb:
            fonds["rente"] = (fb if on("rente") else fa)["rente"]
    pa = {p["name"]: p for p in A["projecten"]}
    pb = {p["name"]: p for p in B["projecten"]}
    names = list(pb) if on("projecten") else list(pa)
    order = [n for n in pa if n in names] + [n for n in names if n not in pa]
    projects = []
    for n in order:
        if n not in pb:
            projects.append(pa[n])
            continue
        if n not in pa:
            projects.append(pb[n])
            continue
        projects.append(_hybrid_project(pa[n], pb[n], on))
    ix = B if on("indexering") else A
    ph = B if on("fasering") else A
    rt = B if on("rente") else A
    data = {
        "name": a.name,
        "versie": f"hybride {a.versie}/{b.versie}",
        "prijspeil": ix["prijspeil"],
        "ncw_datum": ix.get("ncw_datum"),
        "disconteringsvoet": rt["disconteringsvoet"],
        "timing": A["timing"],
        "end_year": ph.get("end_year"),
        "financiers": financiers,
        "fonds": fonds,
        "projecten": projects,
    }
    return Programme.model_validate(data).validated()


def _hybrid_project(pa: dict, pb: dict, on) -> dict:
    ga, gb = pa["grex"], pb["grex"]
    meta = pb if on("projecten") else pa
    grex: dict[str, Any] = dict(ga)
    ph = gb if on("fasering") else ga
    ix = gb if on("indexering") else ga
    grex["prijspeil"] = ix["prijspeil"]
    grex["ncw_datum"] = ix.get("ncw_datum")
    indices = dict(ix["indices"])
    for k, v in (ga["indices"] | gb["indices"]).items():
        indices.setdefault(k, v)
    grex["indices"] = indices
    grex["realised_through"] = ph.get("realised_through")
    grex["opening_book_value"] = ph["opening_book_value"]
    years: list[int] = []
    for section, cause in (("kosten", "kosten"), ("opbrengsten", "opbrengsten")):
        la = {ln["name"]: ln for ln in ga[section]}
        lb = {ln["name"]: ln for ln in gb[section]}
        lines = []
        for name in list(la) + [x for x in lb if x not in la]:
            if name in la and name in lb:
                amt = lb[name] if on(cause) else la[name]
                line = dict(amt)
                line["phasing"] = _as_shares(lb[name] if on("fasering") else la[name])
                line["index"] = (lb[name] if on("indexering") else la[name])["index"]
            elif name in la:
                if on(cause):
                    continue
                line = dict(la[name])
            else:
                if not on(cause):
                    continue
                line = dict(lb[name])
            years += list(line["phasing"]) + list(line.get("realised", {}))
            lines.append(line)
        grex[section] = lines
    grex["start_year"] = min([ph["start_year"]] + years)
    grex["end_year"] = max([ph["end_year"]] + years)
    rt = pb if on("rente") else pa
    return {"name": pa["name"], "soort": meta["soort"], "trekker": meta["trekker"], "voorfinancierder": rt["voorfinancierder"], "grex": grex, "risicos": []}


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
