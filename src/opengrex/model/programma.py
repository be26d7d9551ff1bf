"""The programme (Mastergrex) input model (spec: shared/spec/programma.md, "Programme", "Scenarios", "Risk").

A programme file (YAML/JSON, or an Excel workbook via :mod:`opengrex.io.xlsx_programma`) holds::

    name, versie, prijspeil, ncw_datum, disconteringsvoet, timing, end_year,
    financiers[] (voorfinancierders, each with its own rente per jaar), fonds (Beheerfonds with its own rente),
    partners[] (aandeel in het programmaresultaat), garanties[], taakstellingen[],
    projecten[] (each: name, soort rood/groen/overig, trekker, voorfinancierder, grex: <a grex>, risicos[]),
    onzekerheden[] (uncertain parameters for Monte Carlo), scenarios[] (overrides on this base)

Every project budget is an ordinary :class:`opengrex.model.grex.Grex`; no grex rule is copied here. Its own
``rente`` and ``disconteringsvoet`` are replaced in a programme by the rente of its voorfinancierder and the
programme's disconteringsvoet (a programme has one ncw_datum and one prijspeil).
"""
from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from opengrex.errors import InputError, InputErrors
from opengrex.model.base import RateSeries, StrictModel, check_rates, error
from opengrex.model.grex import Grex

SHARE_TOLERANCE = 1e-9
"""Shares must sum to 1 within this tolerance (100%)."""

PROJECT_KINDS = ("rood", "groen", "overig")
OVERRIDE_TYPES = ("verschuif", "index", "rente", "opbrengsten", "kosten", "vervalt", "toevoegen")
UNCERTAINTY_TYPES = ("index", "prijsniveau", "vertraging")


class Financier(StrictModel):
    """Voorfinancierder: the party that pre-finances projects (and/or the fund) at its own rente per jaar."""

    name: str = Field(min_length=1)
    rente: RateSeries = 0.0


class Fund(StrictModel):
    """Programmafonds (Beheerfonds / gebiedsfonds) for verevening, with its own rente (seed 000: 4% → 0%)."""

    name: str = Field(default="Beheerfonds", min_length=1)
    rente: RateSeries = 0.0
    opening: float = Field(default=0.0, description="Saldo bij aanvang van het programmagrid [EUR]")
    financier: str | None = Field(default=None, description="Voorfinancierder aan wie de fondsrente wordt betaald")


class Partner(StrictModel):
    """Partner with a share in the programme result (aandeel in resultaat, 0–1)."""

    name: str = Field(min_length=1)
    share: float


class Guarantee(StrictModel):
    """Garantie with a ceiling (plafond) over a scope (whole programme, or listed projects).

    ``basis: resultaat`` covers the deficit (negative NCW) of the scope; ``basis: boekwaarde`` covers the deepest
    book value (badkuip, the maximum pre-financing) of the scope.
    """

    name: str = Field(min_length=1)
    plafond: float
    projecten: list[str] = Field(default_factory=list, description="Leeg: het hele programma")
    basis: Literal["resultaat", "boekwaarde"] = "resultaat"
    partners: dict[str, float] = Field(default_factory=dict, description="Aandelen per partner; leeg: programma-aandelen")


class Taakstelling(StrictModel):
    """Taakstelling: an amount a project must earn (NCW), e.g. 10 M at Vliegbasis Soesterberg (seed 000 §2)."""

    name: str = Field(min_length=1)
    project: str
    bedrag: float
    partners: dict[str, float] = Field(default_factory=dict)


class Impact(StrictModel):
    """Impact of a risk event [EUR prijspeil, as a cost]: minimum, most likely (mode), maximum."""

    min: float
    mode: float
    max: float
    verdeling: Literal["driehoek", "pert"] = "driehoek"


class Risk(StrictModel):
    """Risk-register entry of a project: event with kans (probability) × impact, occurring in ``jaar``."""

    naam: str = Field(min_length=1)
    kans: float
    impact: Impact
    jaar: int | None = Field(default=None, description="Jaar waarin de impact valt; standaard het eindjaar van het project")


class Uncertainty(StrictModel):
    """An uncertain parameter of the programme for Monte Carlo.

    ``type: index``: an additive change of index series ``reeks`` (all years) [1/yr], min/mode/max.
    ``type: prijsniveau``: a relative change of ``op`` (opbrengsten or kosten) amounts [-], min/mode/max.
    ``type: vertraging``: a delay of the revenue phasing by whole years, ``kansen: {jaren: kans}``.
    ``projecten``: the projects it applies to (empty: all).
    """

    naam: str = Field(min_length=1)
    type: str
    reeks: str | None = None
    op: Literal["opbrengsten", "kosten"] = "opbrengsten"
    projecten: list[str] = Field(default_factory=list)
    min: float | None = None
    mode: float | None = None
    max: float | None = None
    verdeling: Literal["driehoek", "pert"] = "driehoek"
    kansen: dict[int, float] = Field(default_factory=dict)


class Project(StrictModel):
    """A project of the programme: a grex with kind, trekker, voorfinancierder and its risk register."""

    name: str = Field(min_length=1)
    soort: str = Field(description="rood (bouw), groen (natuur) of overig")
    trekker: str = ""
    voorfinancierder: str
    grex: Grex
    risicos: list[Risk] = Field(default_factory=list)


class Override(StrictModel):
    """One scenario change (wijziging) on a base programme. See :data:`OVERRIDE_TYPES`:

    ``verschuif`` (project, jaren), ``index`` (reeks, waarde or delta), ``rente`` (financier or fund name, waarde
    or delta, optional vanaf), ``opbrengsten`` / ``kosten`` (procent, optional projecten: −10 = 10% lower),
    ``vervalt`` (project), ``toevoegen`` (nieuw: a project).
    """

    type: str
    project: str | None = None
    projecten: list[str] = Field(default_factory=list)
    jaren: int | None = None
    reeks: str | None = None
    financier: str | None = None
    waarde: float | None = None
    delta: float | None = None
    vanaf: int | None = None
    procent: float | None = None
    nieuw: Project | None = None
    label: str | None = None


class Scenario(StrictModel):
    naam: str = Field(min_length=1)
    omschrijving: str = ""
    wijzigingen: list[Override] = Field(default_factory=list)


class Programme(StrictModel):
    """Mastergrex: projects (each a grex) with verevening, voorfinanciering, partners, scenarios and risks."""

    name: str = Field(min_length=1)
    versie: str = ""
    description: str = ""
    prijspeil: dt.date
    ncw_datum: dt.date | None = None
    disconteringsvoet: float = 0.02
    timing: Literal["end", "mid", "start"] = "end"
    end_year: int | None = Field(default=None, description="Optioneel: grid verlengen tot dit jaar")
    financiers: list[Financier] = Field(default_factory=list)
    fonds: Fund | None = None
    partners: list[Partner] = Field(default_factory=list)
    garanties: list[Guarantee] = Field(default_factory=list)
    taakstellingen: list[Taakstelling] = Field(default_factory=list)
    projecten: list[Project] = Field(default_factory=list)
    onzekerheden: list[Uncertainty] = Field(default_factory=list)
    scenarios: list[Scenario] = Field(default_factory=list)

    @property
    def ncw_date(self) -> dt.date:
        return self.ncw_datum or self.prijspeil

    def project_names(self) -> list[str]:
        return [p.name for p in self.projecten]

    def financier_names(self) -> list[str]:
        return [f.name for f in self.financiers]

    def partner_names(self) -> list[str]:
        return [p.name for p in self.partners]

    def grid(self, extra_years: int = 0) -> range:
        """The programme's year grid: first project start to last project end (or ``end_year``), plus extra."""
        start = min(p.grex.start_year for p in self.projecten)
        # a project starting after the grid start carries its opening book value in the year before its start
        start = min([start] + [p.grex.start_year - 1 for p in self.projecten if p.grex.opening_book_value and p.grex.start_year > start])
        end = max(p.grex.end_year for p in self.projecten)
        if self.end_year is not None:
            end = max(end, self.end_year)
        return range(start, end + 1 + extra_years)

    # ------------------------------------------------------------------ validation
    def check(self) -> list[InputError]:
        """Every domain error of the programme (empty: valid). Paths point into the programme document."""
        errs: list[InputError] = []
        if not self.projecten:
            return [error(("projecten",), "het programma heeft geen projecten", None, "ten minste één project")]
        errs += check_rates(self.disconteringsvoet, ("disconteringsvoet",))
        fin = self.financier_names()
        errs += _duplicates(fin, ("financiers",), "voorfinancierder")
        for i, f in enumerate(self.financiers):
            errs += check_rates(f.rente, ("financiers", i, "rente"))
        if self.fonds is not None:
            errs += check_rates(self.fonds.rente, ("fonds", "rente"))
            if self.fonds.financier is not None and self.fonds.financier not in fin:
                errs.append(error(("fonds", "financier"), "onbekende voorfinancierder", self.fonds.financier, _allowed(fin)))
        names = self.project_names()
        errs += _duplicates(names, ("projecten",), "project")
        partners = self.partner_names()
        errs += _duplicates(partners, ("partners",), "partner")
        if self.partners:
            errs += _check_shares({p.name: p.share for p in self.partners}, ("partners",), "aandelen van de partners")
        for i, p in enumerate(self.projecten):
            base = ("projecten", i)
            if p.soort not in PROJECT_KINDS:
                errs.append(error(base + ("soort",), "onbekende projectsoort", p.soort, ", ".join(PROJECT_KINDS)))
            if p.trekker and self.partners and p.trekker not in partners:
                errs.append(error(base + ("trekker",), "trekker is geen partner van het programma", p.trekker, _allowed(partners)))
            if p.voorfinancierder not in fin:
                errs.append(error(base + ("voorfinancierder",), "onbekende voorfinancierder", p.voorfinancierder, _allowed(fin)))
            for e in p.grex.check():
                e.path = base + ("grex",) + tuple(e.path or ())
                e.field = _path_text(e.path)
                e.args = (e._text(),)
                errs.append(e)
            if p.grex.prijspeil.year != self.prijspeil.year:
                errs.append(error(base + ("grex", "prijspeil"), "prijspeil van het project wijkt af van het programma", str(p.grex.prijspeil), f"een datum in {self.prijspeil.year} (prijspeil van het programma)"))
            if p.grex.timing != self.timing:
                errs.append(error(base + ("grex", "timing"), "timing van het project wijkt af van het programma", p.grex.timing, self.timing))
            for j, r in enumerate(p.risicos):
                rp = base + ("risicos", j)
                errs += _check_probability(r.kans, rp + ("kans",))
                errs += _check_triangle(r.impact.min, r.impact.mode, r.impact.max, rp + ("impact",))
                if r.jaar is not None and not (p.grex.start_year <= r.jaar <= p.grex.end_year):
                    errs.append(error(rp + ("jaar",), "jaar buiten de looptijd van het project", r.jaar, f"{p.grex.start_year}–{p.grex.end_year}"))
        for i, g in enumerate(self.garanties):
            gp = ("garanties", i)
            if g.plafond < 0:
                errs.append(error(gp + ("plafond",), "plafond mag niet negatief zijn", g.plafond, ">= 0"))
            for j, name in enumerate(g.projecten):
                if name not in names:
                    errs.append(error(gp + ("projecten", j), "onbekend project", name, _allowed(names)))
            errs += self._check_partner_map(g.partners, gp + ("partners",), partners)
        for i, t in enumerate(self.taakstellingen):
            tp = ("taakstellingen", i)
            if t.project not in names:
                errs.append(error(tp + ("project",), "onbekend project", t.project, _allowed(names)))
            errs += self._check_partner_map(t.partners, tp + ("partners",), partners)
        for i, u in enumerate(self.onzekerheden):
            errs += self._check_uncertainty(u, ("onzekerheden", i), names)
        for i, s in enumerate(self.scenarios):
            for j, o in enumerate(s.wijzigingen):
                errs += check_override(self, o, ("scenarios", i, "wijzigingen", j))
        return errs

    def _check_partner_map(self, shares: dict[str, float], path: tuple, partners: list[str]) -> list[InputError]:
        if not shares:
            if not partners:
                return [error(path, "geen partners: geef de aandelen hier op of vul 'partners' in", None, "aandelen per partner (som 100%)")]
            return []
        errs = [error(path + (n,), "onbekende partner", n, _allowed(partners)) for n in shares if partners and n not in partners]
        return errs + _check_shares(shares, path, "aandelen")

    def _check_uncertainty(self, u: Uncertainty, path: tuple, names: list[str]) -> list[InputError]:
        errs = []
        if u.type not in UNCERTAINTY_TYPES:
            return [error(path + ("type",), "onbekend type onzekerheid", u.type, ", ".join(UNCERTAINTY_TYPES))]
        for j, name in enumerate(u.projecten):
            if name not in names:
                errs.append(error(path + ("projecten", j), "onbekend project", name, _allowed(names)))
        if u.type == "vertraging":
            if not u.kansen:
                errs.append(error(path + ("kansen",), "kansen per aantal jaren vertraging ontbreken", None, "bijv. {0: 0.5, 1: 0.3, 2: 0.2}"))
            for k, pr in u.kansen.items():
                if k < 0 or k > 50:
                    errs.append(error(path + ("kansen", k), "vertraging in hele jaren tussen 0 en 50", k, "0..50"))
                errs += _check_probability(pr, path + ("kansen", k))
            if u.kansen and abs(sum(u.kansen.values()) - 1.0) > SHARE_TOLERANCE:
                errs.append(error(path + ("kansen",), "kansen tellen niet op tot 1", sum(u.kansen.values()), "som 1"))
            return errs
        if u.min is None or u.mode is None or u.max is None:
            errs.append(error(path, "min, mode en max zijn verplicht", None, "min <= mode <= max"))
        else:
            errs += _check_triangle(u.min, u.mode, u.max, path)
        if u.type == "index":
            series = {n for p in self.projecten for n in p.grex.indices}
            if u.reeks is None or u.reeks not in series:
                errs.append(error(path + ("reeks",), "onbekende indexreeks", u.reeks, _allowed(sorted(series))))
        return errs

    def validated(self) -> "Programme":
        errs = self.check()
        if errs:
            raise InputErrors(errs)
        return self


def check_override(prog: Programme, o: Override, path: tuple) -> list[InputError]:
    """Check one scenario change against the programme it overrides (unknown project / series / rate: error)."""
    errs: list[InputError] = []
    names = prog.project_names()
    if o.type not in OVERRIDE_TYPES:
        return [error(path + ("type",), "onbekend type wijziging", o.type, ", ".join(OVERRIDE_TYPES))]

    def need(field: str, value: object) -> None:
        if value is None:
            errs.append(error(path + (field,), f"veld '{field}' is verplicht bij type {o.type}", None, None))

    def known_project(field: str, name: str | None, pth: tuple) -> None:
        if name is not None and name not in names:
            errs.append(error(pth, "onbekend project", name, _allowed(names)))

    if o.type in ("verschuif", "vervalt"):
        need("project", o.project)
        known_project("project", o.project, path + ("project",))
        if o.type == "verschuif":
            need("jaren", o.jaren)
    if o.type in ("opbrengsten", "kosten"):
        need("procent", o.procent)
        if o.procent is not None and o.procent <= -100:
            errs.append(error(path + ("procent",), "procent moet groter zijn dan -100", o.procent, "> -100"))
        for j, n in enumerate(o.projecten):
            known_project("projecten", n, path + ("projecten", j))
    if o.type == "index":
        need("reeks", o.reeks)
        series = sorted({n for p in prog.projecten for n in p.grex.indices})
        if o.reeks is not None and o.reeks not in series:
            errs.append(error(path + ("reeks",), "onbekende indexreeks", o.reeks, _allowed(series)))
        if o.waarde is None and o.delta is None:
            errs.append(error(path + ("waarde",), "geef 'waarde' of 'delta'", None, "een percentage als fractie"))
    if o.type == "rente":
        need("financier", o.financier)
        known = prog.financier_names() + ([prog.fonds.name] if prog.fonds else [])
        if o.financier is not None and o.financier not in known:
            errs.append(error(path + ("financier",), "onbekende voorfinancierder of fonds", o.financier, _allowed(known)))
        if o.waarde is None and o.delta is None:
            errs.append(error(path + ("waarde",), "geef 'waarde' of 'delta'", None, "een percentage als fractie"))
    if o.type == "toevoegen":
        need("nieuw", o.nieuw)
        if o.nieuw is not None and o.nieuw.name in names:
            errs.append(error(path + ("nieuw", "name"), "project bestaat al", o.nieuw.name, "een nieuwe projectnaam"))
    return errs


def _path_text(path: tuple) -> str:
    from opengrex.model.base import path_text

    return path_text(path)


def _allowed(names: list[str]) -> str:
    return ", ".join(names) if names else "(geen gedefinieerd)"


def _duplicates(names: list[str], path: tuple, what: str) -> list[InputError]:
    seen: set[str] = set()
    errs = []
    for i, n in enumerate(names):
        if n in seen:
            errs.append(error(path + (i, "name"), f"{what} komt twee keer voor", n, "unieke namen"))
        seen.add(n)
    return errs


def _check_shares(shares: dict[str, float], path: tuple, what: str) -> list[InputError]:
    errs = [error(path + (n,), "aandeel moet tussen 0 en 1 liggen", v, "0 <= aandeel <= 1") for n, v in shares.items() if not (0.0 <= v <= 1.0)]
    total = sum(shares.values())
    if abs(total - 1.0) > SHARE_TOLERANCE:
        errs.append(error(path, f"{what} tellen op tot {total * 100:.6g}%, niet tot 100%", total, "som 1 (100%)"))
    return errs


def _check_probability(p: float, path: tuple) -> list[InputError]:
    if not (0.0 <= p <= 1.0):
        return [error(path, "kans moet tussen 0 en 1 liggen", p, "0 <= kans <= 1")]
    return []


def _check_triangle(lo: float, mode: float, hi: float, path: tuple) -> list[InputError]:
    if not (lo <= mode <= hi):
        return [error(path, "min <= mode <= max is geschonden", {"min": lo, "mode": mode, "max": hi}, "min <= mode <= max")]
    return []


# ---------------------------------------------------------------------------------------------------- compile
class CompiledProgramme:
    """A validated programme compiled for the engine, with the labels needed to present the arrays.

    ``arrays``: :class:`opengrex.engine.programma.ProgrammeArrays`; ``years``: the grid; ``series_names``:
    ``(project, series)`` of each global index-series row; ``line_labels``: per project the labels of extra lines
    appended after the grex's own lines (the opening book value); ``financiers``: names in engine order.
    """

    def __init__(self, arrays, years, series_names, line_labels, financiers, index_base, index_years):
        self.arrays = arrays
        self.years = years
        self.series_names = series_names
        self.line_labels = line_labels
        self.financiers = financiers
        self.index_base = index_base
        self.index_years = index_years


def compile_programme(prog: Programme, extra_years: int = 0) -> CompiledProgramme:
    """Validated programme -> stacked :class:`GrexArrays` on the programme grid (projects on axis ``P``).

    Lines are padded to a common ``L`` (zero amount), years to the programme grid; each project's index series
    become rows of one rate table (``series (P, L)`` maps each line to its row); ``rente (P, Y)`` is the rate of
    the project's voorfinancierder. A project starting after the grid start carries its opening book value as a
    flow in the year before its start (exact for ``end`` timing). ``extra_years`` extends the grid (room for
    delays in Monte Carlo).
    """
    import numpy as np

    from opengrex.engine.grex import GrexArrays
    from opengrex.engine.programma import KIND_GROEN, KIND_OVERIG, KIND_ROOD, ProgrammeArrays
    from opengrex.model.base import rate_on_years

    prog.validated()
    grid = prog.grid(extra_years)
    years = np.array(list(grid))
    y0, n_y = grid.start, len(grid)
    p_year = prog.prijspeil.year
    ix_years = range(min(p_year, y0), grid.stop)
    fin_names = prog.financier_names()
    fin_rate = {f.name: rate_on_years(f.rente, grid) for f in prog.financiers}
    n_p = len(prog.projecten)
    compiled = [p.grex.compile() for p in prog.projecten]
    extra_line = [1 if (p.grex.opening_book_value and p.grex.start_year > y0) else 0 for p in prog.projecten]
    n_l = max(1, max(c.amount.shape[0] + e for c, e in zip(compiled, extra_line)))
    amount = np.zeros((n_p, n_l))
    share = np.zeros((n_p, n_l, n_y))
    sign = -np.ones((n_p, n_l))
    series = np.zeros((n_p, n_l), dtype=np.intp)
    realised = np.zeros((n_p, n_l, n_y))
    mask = np.zeros((n_p, n_l, n_y), dtype=bool)
    opening = np.zeros(n_p)
    rente = np.zeros((n_p, n_y))
    rate_rows: list[list[float]] = []
    series_names: list[tuple[str, str]] = []
    labels: list[list[dict]] = []
    for i, (p, c) in enumerate(zip(prog.projecten, compiled)):
        g = p.grex
        off = g.start_year - y0
        n = c.amount.shape[0]
        names = list(g.indices)
        row0 = len(rate_rows)
        for name in names:
            rate_rows.append(rate_on_years(g.indices[name], ix_years))
            series_names.append((p.name, name))
        amount[i, :n] = c.amount
        share[i, :n, off : off + c.share.shape[1]] = c.share
        sign[i, :n] = c.sign
        series[i, :n] = c.series + row0
        series[i, n:] = row0
        realised[i, :n, off : off + c.share.shape[1]] = c.realised
        mask[i, :n, off : off + c.share.shape[1]] = c.realised_mask
        lab: list[dict] = []
        if extra_line[i]:
            # opening book value as a realised flow in the year before the start (sign +1: value as given)
            sign[i, n] = 1.0
            realised[i, n, off - 1] = g.opening_book_value
            mask[i, n, :] = True
            lab.append({"soort": "opening", "code": "", "omschrijving": "Openingsboekwaarde", "naam": "Openingsboekwaarde", "index": ""})
        else:
            opening[i] = g.opening_book_value
        labels.append(lab)
        rente[i] = fin_rate[p.voorfinancierder]
    ncw = prog.ncw_date
    days = 366 if (ncw.year % 4 == 0 and (ncw.year % 100 != 0 or ncw.year % 400 == 0)) else 365
    garr = GrexArrays(
        years=years,
        amount=amount,
        share=share,
        sign=sign,
        series=series,
        rate=np.array(rate_rows, dtype=np.float64),
        index_base=p_year - ix_years.start,
        index_offset=y0 - ix_years.start,
        rente=rente,
        realised=realised,
        realised_mask=mask,
        opening=opening,
        disconteringsvoet=float(prog.disconteringsvoet),
        ncw_year=ncw.year,
        ncw_fraction=(ncw.timetuple().tm_yday - 1) / days,
        timing=prog.timing,
    )
    kind_code = {"rood": KIND_ROOD, "groen": KIND_GROEN, "overig": KIND_OVERIG}
    fund = prog.fonds
    arrays = ProgrammeArrays(
        grex=garr,
        kind=np.array([kind_code[p.soort] for p in prog.projecten]),
        financier=np.array([fin_names.index(p.voorfinancierder) for p in prog.projecten], dtype=np.intp),
        n_financiers=len(fin_names),
        fund_rate=np.array(rate_on_years(fund.rente, grid) if fund else [0.0] * n_y),
        fund_opening=float(fund.opening) if fund else 0.0,
        fund_financier=fin_names.index(fund.financier) if fund and fund.financier else -1,
        has_fund=fund is not None,
    )
    return CompiledProgramme(arrays, [int(y) for y in years], series_names, labels, fin_names, p_year - ix_years.start, list(ix_years))


def delay_extension(prog: Programme) -> int:
    """Years the grid must grow so that the latest delayed revenue still falls inside it."""
    end = prog.grid().stop - 1
    ext = 0
    for u in prog.onzekerheden:
        if u.type != "vertraging" or not u.kansen:
            continue
        names = set(u.projecten) or set(prog.project_names())
        for p in prog.projecten:
            if p.name in names:
                last = max([y for ln in p.grex.opbrengsten for y, v in ln.phasing.items() if v] + [p.grex.start_year])
                ext = max(ext, last + max(u.kansen) - end)
    return max(ext, 0)


def compile_risk(prog: Programme, merge_lines: bool = True):
    """Validated programme -> :class:`opengrex.engine.risico.RiskArrays` (compressed lines, events, parameters).

    The grid is extended by :func:`delay_extension` years when a delay could push revenue past its end (the
    deterministic reference is then computed on the same grid; see ``RiskResult.basis``). ``merge_lines=False``
    keeps every line (the reference for tests and the benchmark; same numbers, more work).
    """
    from dataclasses import replace

    import numpy as np

    from opengrex.engine.risico import PARAM_DELAY, PARAM_INDEX, PARAM_PRICE, RiskArrays, compress, dedupe_series, expand

    ext = delay_extension(prog)
    compiled = compile_programme(prog, extra_years=ext)
    a = compiled.arrays
    years = compiled.years
    n_events = np.array([len(p.risicos) for p in prog.projecten], dtype=np.intp)
    g, rev_est, first = (compress if merge_lines else expand)(a.grex, n_events)
    estimate = g.amount > 0
    rate = np.vstack([np.asarray(g.rate), np.zeros((1, np.asarray(g.rate).shape[1]))])
    zero_row = rate.shape[0] - 1
    series = g.series.copy()
    share = g.share.copy()
    ev_p, ev_slot, prob, lo, mode, hi, pert = [], [], [], [], [], [], []
    for i, p in enumerate(prog.projecten):
        for j, r in enumerate(p.risicos):
            slot = int(first[i]) + j
            year = r.jaar if r.jaar is not None else p.grex.end_year
            share[i, slot, years.index(year)] = 1.0
            series[i, slot] = zero_row
            ev_p.append(i)
            ev_slot.append(slot)
            prob.append(r.kans)
            lo.append(r.impact.min)
            mode.append(r.impact.mode)
            hi.append(r.impact.max)
            pert.append(r.impact.verdeling == "pert")
    names = prog.project_names()
    n_p, n_l = g.amount.shape
    k_n = len(prog.onzekerheden)
    kind = np.zeros(k_n, dtype=np.intp)
    p_series = np.zeros((k_n, rate.shape[0]), dtype=bool)
    p_lines = np.zeros((k_n, n_p, n_l), dtype=bool)
    p_proj = np.zeros((k_n, n_p), dtype=bool)
    dists = []
    for k, u in enumerate(prog.onzekerheden):
        pmask = np.array([(not u.projecten) or (n in u.projecten) for n in names])
        if u.type == "index":
            kind[k] = PARAM_INDEX
            p_series[k, :zero_row] = [(s == u.reeks and ((not u.projecten) or pn in u.projecten)) for pn, s in compiled.series_names]
        elif u.type == "prijsniveau":
            kind[k] = PARAM_PRICE
            side = g.sign > 0 if u.op == "opbrengsten" else g.sign < 0
            p_lines[k] = estimate & side & pmask[:, None]
        else:
            kind[k] = PARAM_DELAY
            p_proj[k] = pmask
        if u.type == "vertraging":
            items = sorted(u.kansen.items())
            dists.append(("discreet", np.array([v for v, _ in items], dtype=float), np.array([q for _, q in items])))
        else:
            dists.append((u.verdeling, u.min, u.mode, u.max))
    if merge_lines:  # identical index rows (same rates, same parameters acting on them) become one row
        rate, series, row_map = dedupe_series(rate, series, p_series.T)
        merged = np.zeros((k_n, rate.shape[0]), dtype=bool)
        for k in range(k_n):
            merged[k, row_map[p_series[k]]] = True
        p_series = merged
    g = replace(g, rate=rate, series=series, share=share)
    return RiskArrays(
        base=replace(a, grex=g),
        param_kind=kind,
        param_series=p_series,
        param_lines=p_lines,
        param_projects=p_proj,
        param_dist=dists,
        event_project=np.array(ev_p, dtype=np.intp),
        event_slot=np.array(ev_slot, dtype=np.intp),
        event_prob=np.array(prob, dtype=float),
        event_lo=np.array(lo, dtype=float),
        event_mode=np.array(mode, dtype=float),
        event_hi=np.array(hi, dtype=float),
        event_pert=np.array(pert, dtype=bool),
        revenue_est=rev_est,
    ), compiled
