"""Export a gebiedsbegroting to an Excel workbook with LIVE formulas, in a confidential or a public (Woo) variant.

Every result is a formula on the input cells, so the workbook is an independent evaluation of the engine
(:mod:`opengrex.engine.gebied`, :mod:`opengrex.engine.spelregels`): recalculated by Excel or LibreOffice it equals
:func:`opengrex.services.gebied.calculate_gebied` to €0,01 (tested with LibreOffice headless).

Sheets: ``Toelichting``; ``Invoer`` (parameters, index series and factors); ``Posten``; ``Transacties``;
``Gekoppeld`` (programme projects as computed by the programme engine, kostenverhaal contributions); ``Grond``;
``Programma``; ``Prijzen``; ``Spelregels`` (one block per rule, in order, with its parameters and its transfers per
account per year); ``Fonds`` (memberships, spending, balance with rente); ``Resultaat`` (per account its pieces per
year, netto, total and contante waarde); ``Gebied`` (one wallet per year, and the check that the rules' transfers
sum to zero); ``Marges`` (confidential variant only).

Public variant: the workbook is written from the public result (computed without the confidential fields). Its
confidential input cells and every figure that depends on them hold the text ``vertrouwelijk``; formulas read a
confidential input cell through ``N()`` (text counts as 0), and the other figures never need those cells (the one
wallet sums pieces, not party totals), so they recalculate to the same public figures.

Given the gebied as plain data, the workbook also holds its input sheets laid out from the model
(:mod:`opengrex.io.xlsx_invoer`, stamped with the document and version): the download can be edited there and uploaded
back as a new version; the timing and the disconteringsvoet on ``Invoer`` refer to their input cells.

:func:`write_gebied_xlsx` returns where each figure stands (``{"netto[2,5]": ("Resultaat", "F12"), ...}``), which
the tests use to compare the recalculated workbook with the engine.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter as col
from openpyxl.workbook.defined_name import DefinedName

from opengrex.engine import spelregels as sr
from opengrex.io.xlsx_cells import Formula, formula_text, put, save_workbook, text_cell
from opengrex.io.xlsx_export import EUR_FORMAT, FACTOR_FORMAT, PCT_FORMAT, _header
from opengrex.io.xlsx_template import write_notes
from opengrex.model.base import rate_on_years
from opengrex.model.gebied import FONDS, Grond, Programmaregel, Verdeling, shares

if TYPE_CHECKING:  # pragma: no cover
    from opengrex.services.gebied import GebiedResult

_text = text_cell

WEG = "vertrouwelijk"
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_INPUT = PatternFill("solid", fgColor="FFF6D5")
_SECRET = PatternFill("solid", fgColor="F4CCCC")
Plaats = tuple[str, str]


class _Boek:
    """The workbook being written, its year columns and where every figure stands."""

    def __init__(self, res: GebiedResult) -> None:
        self.res = res
        self.g = res.gebied
        self.wb = Workbook()
        self.years = res.years
        self.ny = len(self.years)
        self.rek = res.rekeningen
        self.plaats: dict[str, Plaats] = {}
        self.rows: dict[str, Any] = {}

    def weg(self, key: str, index: tuple) -> bool:
        return bool(self.res.weg[key][index])

    def figure(self, ws, row: int, column: int, formula: str, key: str, index: tuple, fmt: str = EUR_FORMAT) -> None:
        """An output cell: its formula, or the Woo marker when the figure depends on a confidential value."""
        if self.weg(key, index):
            c = _text(ws, row, column, WEG)
            c.fill = _SECRET
        else:
            c = put(ws, row, column, Formula(formula))
            c.number_format = fmt
        self.plaats[f"{key}[{','.join(str(i) for i in index)}]"] = (ws.title, f"{col(column)}{row}")

    def name(self, name: str, sheet: str, ref: str) -> None:
        self.wb.defined_names[name] = DefinedName(name, attr_text=f"'{sheet}'!{ref}")


def _input(ws, row: int, column: int, value: Any, fmt: str | None = None):
    c = _text(ws, row, column, value) if isinstance(value, str) else put(ws, row, column, value)
    if fmt:
        c.number_format = fmt
    c.fill = _INPUT
    return c


def _secret(ws, row: int, column: int) -> None:
    c = _text(ws, row, column, WEG)
    c.fill = _SECRET


def write_gebied_xlsx(res: GebiedResult, path: str | Path, data: dict[str, Any] | None = None, herkomst: Any = None) -> dict[str, Plaats]:
    """Write the gebied result as an ``.xlsx`` workbook with live formulas (its variant: confidential or public).
    ``data``: the gebied as stored (as the reader may see it), to add its input sheets stamped with ``herkomst``.
    Returns where each figure stands (for the recalculation test)."""
    b = _Boek(res)
    _toelichting(b)
    _invoer(b)
    _posten(b)
    _transacties(b)
    _gekoppeld(b)
    _grond_programma(b)
    _fonds_invoer(b)
    _spelregels(b)
    _resultaat(b)
    _fonds(b)
    _gebied(b)
    if not res.openbaar:
        _marges(b)
    if data is not None:
        _add_invoer(b, data, herkomst)
    b.wb.calculation.fullCalcOnLoad = True
    save_workbook(b.wb, Path(path))
    return b.plaats


def _add_invoer(b: _Boek, data: dict[str, Any], herkomst: Any) -> None:
    """The gebied's input sheets after the calculation sheets; ``Invoer``'s timing and disconteringsvoet refer to
    them (the years stay those of the calculation: they lay out its columns)."""
    from opengrex.io.xlsx_invoer import Herkomst, add_invoer
    from opengrex.model.gebied import Gebied

    cells = add_invoer(b.wb, Gebied, data, herkomst or Herkomst(soort="gebied", naam=b.g.naam), titel=f"Gebiedsbegroting: {b.g.naam}")
    ws = b.wb["Invoer"]
    for row in range(3, 10):
        label = ws.cell(row, 1).value
        if label == "Timing" and ("timing",) in cells.places:
            ws.cell(row, 2).value = f"={cells.ref(('timing',))}"
        elif label == "Disconteringsvoet" and ("disconteringsvoet",) in cells.places:
            ws.cell(row, 2).value = f"=N({cells.ref(('disconteringsvoet',))})"


# --------------------------------------------------------------------------------------------------- notes
def _toelichting(b: _Boek) -> None:
    ws = b.wb.active
    ws.title = "Toelichting"
    variant = ("OPENBARE VERSIE (Woo): berekend zonder transactieprijzen, eigen marges en toelichtingen; cellen die daarvan afhangen bevatten 'vertrouwelijk'."
               if b.res.openbaar else "VERTROUWELIJK — niet openbaar maken (Woo): bevat transactieprijzen en eigen marges.")
    rows = [
        (f"Gebiedsbegroting: {b.g.naam}", _TITLE),
        (variant, _BOLD),
        (f"Spelregelset: {b.res.regelset or '(geen)'}. Prijspeil {b.g.prijspeil:%d-%m-%Y}; invoerbedragen op prijspeil, uitkomsten nominaal in euro's. "
         "Ontvangen positief, betaald negatief. Gele cellen zijn invoer; alle uitkomsten zijn formules.", None),
        ("Bron van de rekenregels: opengrex (engine/gebied.py, engine/spelregels.py); Praktijkhandleiding NOVEX gebiedsontwikkeling, pijler 5.", None),
        ("", None),
        ("Invoer: indexcijfers I_y (prijspeil = 1; na het prijspeiljaar I_y = I_(y−1) × (1 + r_(y−1)), ervoor I_y = I_(y+1) / (1 + r_y)); "
         "op het jaargrid maal (1 + r_y)^0,5 bij timing 'mid'.", None),
        ("Posten, Transacties, Fonds (lidmaatschap, uitgaven), Gekoppeld (kostenverhaal): kasstroom per jaar = bedrag × aandeel_y × indexfactor_y.", None),
        ("Gekoppeld (programmaprojecten): de nominale kosten en opbrengsten zoals het programma (Mastergrex) ze berekent; hier invoer.", None),
        ("Spelregels: per regel de parameters en de overdrachten per rekening per jaar; per regel en jaar tellen ze op tot € 0 (blad Gebied, controle).", None),
        ("  inbrengwaarde: vergoeding = forfait(grondgebruik) × m² ingebracht; de betaler(s) betalen het totaal naar hun aandeel.", None),
        ("  gebiedsbijdrage: bijdrage = tarief(functie) × m² gerealiseerd van de betalende partijen, naar de ontvanger.", None),
        ("  verevening: ontvangst = gedragen kosten van de categorieën − aandeel × totaal gedragen.", None),
        ("  ontwikkelrechten: ontvangst = aandeel × Σ prijs × m² totaal − Σ prijs × m² eigen gebruik.", None),
        ("  afdracht: aandeel × MAX(0; wat 'van' ontving uit de gekozen eerdere regels of kostenverhaal), van 'van' naar 'naar'.", None),
        ("  meebewegend: als gebiedsbijdrage, met het tarief maal de indexfactor, of maal gerealiseerde prijs / referentieprijs.", None),
        ("Fonds: saldo per 31-12 met rekening-courantrente: end S_y = S_(y−1)(1 + r) + F_y; mid: + F_y (1 + r)^0,5; start: (S_(y−1) + F_y)(1 + r).", None),
        ("Resultaat: per rekening de onderdelen per jaar, netto, totaal en contant (t_y = jaar + 1 − NcwJaar − NcwFractie, 0,5 minder bij mid, 1 bij start; factor (1 + d)^−t).", None),
        ("Gebied: één portemonnee = de som van de onderdelen over alle rekeningen (overdrachten vallen weg).", None),
    ]
    write_notes(ws, rows)


# --------------------------------------------------------------------------------------------------- inputs
def _invoer(b: _Boek) -> None:
    ws = b.wb.create_sheet("Invoer")
    g = b.g
    ws["A1"] = "Invoer – algemeen en indexreeksen"
    ws["A1"].font = _TITLE
    ncw = g.ncw_date
    params = [
        ("Prijspeiljaar", g.prijspeil.year, "PrijspeilJaar", "0"),
        ("Startjaar", g.startjaar, "StartJaar", "0"),
        ("Eindjaar", g.eindjaar, "EindJaar", "0"),
        ("Timing", g.timing, "Timing", None),
        ("Disconteringsvoet", float(g.disconteringsvoet), "Disconteringsvoet", PCT_FORMAT),
        ("NCW-jaar", ncw.year, "NcwJaar", "0"),
        ("NCW-jaarfractie", float(b.res.arrays.ncw_fraction), "NcwFractie", FACTOR_FORMAT),
    ]
    for i, (label, value, name, fmt) in enumerate(params):
        r = 3 + i
        put(ws, r, 1, label).font = _BOLD
        _input(ws, r, 2, value, fmt)
        b.name(name, "Invoer", f"$B${r}")
    ix_years = list(range(min(g.prijspeil.year, g.startjaar), g.eindjaar + 1))
    series = list(g.indices)
    r0 = 12
    put(ws, r0 - 1, 1, "Indexpercentage per jaar").font = _BOLD
    _header(ws, r0, ["Reeks"] + ix_years)
    for s_i, s in enumerate(series):
        _text(ws, r0 + 1 + s_i, 1, s)
        for k, v in enumerate(rate_on_years(g.indices[s], range(ix_years[0], ix_years[-1] + 1))):
            _input(ws, r0 + 1 + s_i, 2 + k, float(v), PCT_FORMAT)
    f0 = r0 + len(series) + 3
    put(ws, f0 - 1, 1, "Indexcijfer I_y (prijspeil = 1)").font = _BOLD
    _header(ws, f0, ["Reeks"] + ix_years)
    base = g.prijspeil.year - ix_years[0]
    for s_i, s in enumerate(series):
        r, rr = f0 + 1 + s_i, r0 + 1 + s_i
        _text(ws, r, 1, s)
        for k in range(len(ix_years)):
            c = 2 + k
            if k == base:
                formula = "=1"
            elif k > base:
                formula = f"={col(c - 1)}{r}*(1+{col(c - 1)}{rr})"
            else:
                formula = f"={col(c + 1)}{r}/(1+{col(c)}{rr})"
            put(ws, r, c, Formula(formula)).number_format = FACTOR_FORMAT
    g0 = f0 + len(series) + 3
    put(ws, g0 - 1, 1, "Indexfactor op het jaargrid (× (1 + r)^0,5 bij timing mid)").font = _BOLD
    _header(ws, g0, ["Reeks"] + b.years)
    off = g.startjaar - ix_years[0]
    for s_i, s in enumerate(series):
        r = g0 + 1 + s_i
        _text(ws, r, 1, s)
        for j in range(b.ny):
            src = col(2 + off + j)
            put(ws, r, 2 + j, Formula(f'={src}{f0 + 1 + s_i}*IF(Timing="mid",SQRT(1+{src}{r0 + 1 + s_i}),1)')).number_format = FACTOR_FORMAT
    last = g0 + len(series)
    b.rows["idx_names"] = f"Invoer!$A${g0 + 1}:$A${last}"
    b.rows["idx_grid"] = f"Invoer!$B${g0 + 1}:${col(1 + b.ny)}${last}"
    ws.column_dimensions["A"].width = 30


def _factor(b: _Boek, series_cell: str, j: int) -> str:
    """Excel expression: the index factor of the series named in ``series_cell`` in year position ``j``."""
    return f"INDEX({b.rows['idx_grid']},MATCH({series_cell},{b.rows['idx_names']},0),{j + 1})"


def _flow_block(b: _Boek, ws, r: int, c_amount: int, c_index: int, c_share0: int, c_flow0: int, sign: str = "") -> None:
    """Flow per year = sign × amount × share × index factor."""
    for j in range(b.ny):
        put(ws, r, c_flow0 + j, Formula(f"={sign}${col(c_amount)}{r}*{col(c_share0 + j)}{r}*{_factor(b, f'${col(c_index)}{r}', j)}")).number_format = EUR_FORMAT


def _posten(b: _Boek) -> None:
    ws = b.wb.create_sheet("Posten")
    fixed = ["Naam", "Partij", "Soort", "Investering", "Categorie", "Teken", "Bedrag (prijspeil)", "Indexreeks"]
    nf = len(fixed)
    put(ws, 1, 1, "Kosten en opbrengsten per partij").font = _TITLE
    put(ws, 2, nf + 1, "Fasering (aandeel)").font = _BOLD
    put(ws, 2, nf + 1 + b.ny, "Kasstroom (€ nominaal, met teken)").font = _BOLD
    _header(ws, 3, fixed + b.years + b.years)
    for i, p in enumerate(b.g.posten):
        r = 4 + i
        _text(ws, r, 1, p.naam)
        _text(ws, r, 2, p.partij)
        put(ws, r, 3, p.soort)
        put(ws, r, 4, p.investering if p.soort == "kosten" else "")
        _text(ws, r, 5, p.categorie or "")
        put(ws, r, 6, 1 if p.soort == "opbrengsten" else -1)
        _input(ws, r, 7, float(p.bedrag), EUR_FORMAT)
        _text(ws, r, 8, p.index)
        sh = shares(p.fasering, p.bedrag)
        for j, y in enumerate(b.years):
            _input(ws, r, nf + 1 + j, float(sh.get(y, 0.0)))
        _flow_block(b, ws, r, 7, 8, nf + 1, nf + 1 + b.ny, sign=f"$F{r}*")
    last = 3 + max(len(b.g.posten), 1)
    b.rows["posten"] = (4, last, nf + 1 + b.ny)
    ws.freeze_panes = "B4"
    ws.column_dimensions["A"].width = 40


def _rng(sheet: str, c: int, r0: int, r1: int) -> str:
    return f"'{sheet}'!${col(c)}${r0}:${col(c)}${r1}"


def _transacties(b: _Boek) -> None:
    ws = b.wb.create_sheet("Transacties")
    fixed = ["Naam", "Soort", "Koper", "Verkoper (leeg: buiten het gebied)", "Prijs (prijspeil)", "Indexreeks"]
    nf = len(fixed)
    put(ws, 1, 1, "Grond- en vastgoedtransacties" + (" (prijzen vertrouwelijk, Woo)" if b.res.openbaar else " (VERTROUWELIJK)")).font = _TITLE
    put(ws, 2, nf + 1, "Fasering (aandeel)").font = _BOLD
    put(ws, 2, nf + 1 + b.ny, "Betaling per jaar (€ nominaal)").font = _BOLD
    _header(ws, 3, fixed + b.years + b.years)
    for t_i, t in enumerate(b.g.transacties):
        r = 4 + t_i
        _text(ws, r, 1, t.naam)
        put(ws, r, 2, t.soort)
        _text(ws, r, 3, t.koper)
        _text(ws, r, 4, t.verkoper or "")
        if b.res.openbaar:
            _secret(ws, r, 5)
        else:
            _input(ws, r, 5, float(t.prijs or 0.0), EUR_FORMAT)
        _text(ws, r, 6, t.index)
        for j, y in enumerate(b.years):
            _input(ws, r, nf + 1 + j, float(shares(t.fasering).get(y, 0.0)))
            cc = nf + 1 + b.ny + j
            b.figure(ws, r, cc, f"=N($E{r})*{col(nf + 1 + j)}{r}*{_factor(b, f'$F{r}', j)}", "transacties_stromen", (t_i, j))
    b.rows["transacties"] = (4, 3 + max(len(b.g.transacties), 1), nf + 1 + b.ny)
    ws.column_dimensions["A"].width = 40


def _gekoppeld(b: _Boek) -> None:
    ws = b.wb.create_sheet("Gekoppeld")
    put(ws, 1, 1, "Gekoppeld: programmaprojecten (zoals het programma ze berekent) en kostenverhaal").font = _TITLE
    _header(ws, 3, ["Programmaproject", "Partij", "Kosten/opbrengsten"] + b.years)
    r = 4
    for x in b.res.gekoppeld.projecten:
        for soort in ("kosten", "opbrengsten"):
            _text(ws, r, 1, x["bron"])
            _text(ws, r, 2, x["partij"])
            put(ws, r, 3, soort)
            for j, y in enumerate(b.years):
                _input(ws, r, 4 + j, float(x[soort].get(y, 0.0)), EUR_FORMAT)
            r += 1
    b.rows["projecten"] = (4, max(r - 1, 4))
    r += 2
    fixed = ["Kostenverhaal", "Betaler", "Ontvanger", "Exploitatiebijdrage", "Indexreeks"]
    nf = len(fixed)
    put(ws, r - 1, nf + 1, "Fasering (aandeel)").font = _BOLD
    put(ws, r - 1, nf + 1 + b.ny, "Bijdrage per jaar (€ nominaal)").font = _BOLD
    _header(ws, r, fixed + b.years + b.years)
    k0 = r + 1
    for k, (kv, x) in enumerate(zip(b.g.kostenverhaal, b.res.gekoppeld.kostenverhaal)):
        rr = k0 + k
        _text(ws, rr, 1, x["bron"])
        _text(ws, rr, 2, kv.betaler)
        _text(ws, rr, 3, kv.ontvanger)
        _input(ws, rr, 4, float(x["bedrag"]), EUR_FORMAT)
        _text(ws, rr, 5, kv.index)
        sh = shares(kv.fasering)
        for j, y in enumerate(b.years):
            _input(ws, rr, nf + 1 + j, float(sh.get(y, 0.0)))
        _flow_block(b, ws, rr, 4, 5, nf + 1, nf + 1 + b.ny)
    b.rows["kv"] = (k0, k0 + max(len(b.g.kostenverhaal), 1) - 1, nf + 1 + b.ny)
    ws.column_dimensions["A"].width = 60


def _grond_programma(b: _Boek) -> None:
    tables: tuple[tuple[str, Sequence[Grond | Programmaregel], str, str, str], ...] = (
        ("Grond", b.g.grond, "Grondgebruik", "grondgebruik", "inbreng"), ("Programma", b.g.programma, "Functie", "functie", "fasering"))
    for sheet, rows, key_label, key, attr in tables:
        ws = b.wb.create_sheet(sheet)
        put(ws, 1, 1, "Grondeigendom en inbreng (m²)" if sheet == "Grond" else "Programma (m² bvo) en realisatie").font = _TITLE
        put(ws, 2, 4, "Aandeel per jaar").font = _BOLD
        put(ws, 2, 4 + b.ny, "m² per jaar").font = _BOLD
        _header(ws, 3, ["Partij", key_label, "m²"] + b.years + b.years)
        for i, x in enumerate(rows):
            r = 4 + i
            _text(ws, r, 1, x.partij)
            _text(ws, r, 2, getattr(x, key))
            _input(ws, r, 3, float(x.m2), "#,##0")
            sh = shares(getattr(x, attr))
            for j, y in enumerate(b.years):
                _input(ws, r, 4 + j, float(sh.get(y, 0.0)))
                put(ws, r, 4 + b.ny + j, Formula(f"=$C{r}*{col(4 + j)}{r}")).number_format = "#,##0.00"
        b.rows[sheet] = (4, 3 + max(len(rows), 1), 4 + b.ny)
    ws = b.wb.create_sheet("Prijzen")
    put(ws, 1, 1, "Gerealiseerde prijs per m² per functie (€ nominaal)").font = _TITLE
    _header(ws, 3, ["Functie"] + b.years)
    functies = b.g.functies()
    for i, f in enumerate(functies):
        _text(ws, 4 + i, 1, f)
        for j, v in enumerate(b.res.arrays.prijs[i]):
            _input(ws, 4 + i, 2 + j, float(v), EUR_FORMAT)
    b.rows["prijzen"] = (4, 3 + max(len(functies), 1))


def _fonds_invoer(b: _Boek) -> None:
    ws = b.wb.create_sheet("Fonds")
    f = b.g.fonds
    put(ws, 1, 1, f"{f.naam}: invoer en verloop").font = _TITLE
    put(ws, 3, 1, "Beginsaldo").font = _BOLD
    _input(ws, 3, 2, float(f.opening), EUR_FORMAT)
    put(ws, 4, 1, "Rente per jaar").font = _BOLD
    _header(ws, 5, ["", "", "", "", ""] + b.years)
    for j, v in enumerate(b.res.arrays.fonds_rente):
        _input(ws, 4, 6 + j, float(v), PCT_FORMAT)
    r = 7
    put(ws, r, 1, "Lidmaatschap (structurele bijdragen, bedrag per jaar op prijspeil)").font = _BOLD
    _header(ws, r + 1, ["Partij", "Bedrag per jaar", "Van", "Tot", "Indexreeks"] + b.years)
    l0 = r + 2
    for i, m in enumerate(f.lidmaatschap):
        rr = l0 + i
        _text(ws, rr, 1, m.partij)
        _input(ws, rr, 2, float(m.bedrag), EUR_FORMAT)
        _input(ws, rr, 3, m.van, "0")
        _input(ws, rr, 4, m.tot, "0")
        _text(ws, rr, 5, m.index)
        for j, y in enumerate(b.years):
            put(ws, rr, 6 + j, Formula(f"=IF(AND({y}>=$C{rr},{y}<=$D{rr}),$B{rr}*{_factor(b, f'$E{rr}', j)},0)")).number_format = EUR_FORMAT
    b.rows["lid"] = (l0, l0 + max(len(f.lidmaatschap), 1) - 1, 6)
    r = l0 + max(len(f.lidmaatschap), 1) + 2
    put(ws, r, 1, "Uitgaven gebiedsorganisatie").font = _BOLD
    put(ws, r, 4, "Fasering (aandeel)").font = _BOLD
    put(ws, r, 4 + b.ny, "Uitgave per jaar (€ nominaal)").font = _BOLD
    _header(ws, r + 1, ["Naam", "Bedrag (prijspeil)", "Indexreeks"] + b.years + b.years)
    u0 = r + 2
    for i, u in enumerate(f.uitgaven):
        rr = u0 + i
        _text(ws, rr, 1, u.naam)
        _input(ws, rr, 2, float(u.bedrag), EUR_FORMAT)
        _text(ws, rr, 3, u.index)
        sh = shares(u.fasering, u.bedrag)
        for j, y in enumerate(b.years):
            _input(ws, rr, 4 + j, float(sh.get(y, 0.0)))
        _flow_block(b, ws, rr, 2, 3, 4, 4 + b.ny)
    b.rows["uit"] = (u0, u0 + max(len(f.uitgaven), 1) - 1, 4 + b.ny)
    b.rows["fonds_next"] = u0 + max(len(f.uitgaven), 1) + 2
    ws.column_dimensions["A"].width = 44


# --------------------------------------------------------------------------------------------------- rules
def _gewichten(b: _Boek, ws, row0: int, c: int, v: str | Verdeling | None, title: str) -> None:
    """A distribution key per account in column ``c`` (rows ``row0 ..``): values, or formulas for pro rata keys."""
    put(ws, row0 - 1, c, title).font = _BOLD
    for a_i, a in enumerate(b.rek):
        r = row0 + a_i
        if isinstance(v, str):
            _input(ws, r, c, 1.0 if a == v else 0.0, PCT_FORMAT)
        elif isinstance(v, Verdeling) and v.aandelen is not None:
            _input(ws, r, c, float(v.aandelen.get(a, 0.0)), PCT_FORMAT)
        elif a == FONDS:
            _input(ws, r, c, 0.0, PCT_FORMAT)
        else:
            assert v is not None, "a key without a value holds no pro rata share"
            sheet = "Grond" if v.naar_rato == "grond" else "Programma"
            r0, r1, _ = b.rows[sheet]
            put(ws, r, c, Formula(f"=SUMIF({_rng(sheet, 1, r0, r1)},$A{r},{_rng(sheet, 3, r0, r1)})/SUM({_rng(sheet, 3, r0, r1)})")).number_format = PCT_FORMAT


def _tabel(ws, r: int, title: str, values: dict[str, float], fmt: str = EUR_FORMAT) -> tuple[str, str, int]:
    """A key -> value parameter table (2 columns from column B); returns (keys range, values range, next row)."""
    put(ws, r, 2, title).font = _BOLD
    items = list(values.items()) or [("", 0.0)]
    for i, (k, v) in enumerate(items):
        _text(ws, r + 1 + i, 2, k)
        _input(ws, r + 1 + i, 3, float(v), fmt)
    r1 = r + len(items)
    return f"$B${r + 1}:$B${r1}", f"$C${r + 1}:$C${r1}", r1 + 2


def _per_entry(b: _Boek, ws, r: int, sheet: str, label: str, factor: Any) -> tuple[int, int]:
    """Helper rows, one per entry of ``sheet`` (Grond or Programma): party in column A, per year the entry's m² of
    that year times ``factor(entry_row, helper_row, j)`` (an Excel expression). Returns (first, last) row."""
    r0, r1, m0 = b.rows[sheet]
    put(ws, r, 1, label).font = _BOLD
    first = r + 1
    for e in range(r0, r1 + 1):
        rr = first + e - r0
        put(ws, rr, 1, Formula(f"='{sheet}'!A{e}"))
        for j in range(b.ny):
            put(ws, rr, 4 + j, Formula(f"={factor(e, rr, j)}*'{sheet}'!{col(m0 + j)}{e}")).number_format = EUR_FORMAT
    return first, first + r1 - r0


def _lookup(key_cell: str, keys: str, values: str) -> str:
    return f"IFERROR(INDEX({values},MATCH({key_cell},{keys},0)),0)"


def _accounts(b: _Boek, ws, r: int, r_i: int, formula: Any) -> None:
    """The account rows of rule ``r_i``: transfers per year, ``formula(account_row, column, j)``."""
    put(ws, r - 1, 4, "Overdracht per rekening per jaar (€ nominaal, ontvangen positief)").font = _BOLD
    for a_i, _a in enumerate(b.rek):
        rr = r + a_i
        for j in range(b.ny):
            b.figure(ws, rr, 4 + j, "=" + formula(rr, col(4 + j), j), "regels", (r_i, a_i, j))
    b.rows.setdefault("regel_rows", []).append(r)


def _spelregels(b: _Boek) -> None:
    ws = b.wb.create_sheet("Spelregels")
    s = b.g.actieve_set(b.res.regelset) if b.res.regelset else None
    put(ws, 1, 1, f"Spelregels{': ' + s.naam if s else ' (geen set)'} – in volgorde van toepassing").font = _TITLE
    _header(ws, 2, ["Rekening", "Parameter", "", ""] + b.years)
    r = 4
    for r_i, rule in enumerate(s.regels if s else []):
        r = _regel(b, ws, r, r_i, rule) + 2
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 24
    ws.column_dimensions["C"].width = 14


def _regel(b: _Boek, ws, r: int, r_i: int, rule: Any) -> int:
    """One rule block; returns its last row."""
    rt = sr.REGELTYPEN[rule.type]
    put(ws, r, 1, f"Regel {r_i + 1}: {rule.naam} ({rt.label})").font = _TITLE
    _text(ws, r + 1, 1, f"Formule: {rt.formule}. Bron: {rt.bron}.")
    r += 3
    n_a = len(b.rek)
    acc0 = r + 1  # account rows with their key columns (B, C) come first
    for a_i, a in enumerate(b.rek):
        _text(ws, acc0 + a_i, 1, a)
    below = acc0 + n_a + 1

    if rule.type == "inbrengwaarde":
        _gewichten(b, ws, acc0, 2, rule.betaler, "Betaler (aandeel)")
        keys, vals, below = _tabel(ws, below, "Forfait per m² per grondgebruik", rule.forfait)
        h0, h1 = _per_entry(b, ws, below, "Grond", "Vergoeding per inbreng (€)", lambda e, rr, j: _lookup(f"'Grond'!$B{e}", keys, vals))
        _accounts(b, ws, acc0, r_i, lambda rr, c, j: f"SUMIF($A${h0}:$A${h1},$A{rr},{c}${h0}:{c}${h1})-$B{rr}*SUM({c}${h0}:{c}${h1})")
        return h1
    if rule.type in ("gebiedsbijdrage", "meebewegend"):
        _gewichten(b, ws, acc0, 2, rule.ontvanger, "Ontvanger (aandeel)")
        put(ws, acc0 - 1, 3, "Betaalt (1/0)").font = _BOLD
        for a_i, a in enumerate(b.rek):
            _input(ws, acc0 + a_i, 3, 1 if (a != FONDS and (rule.betalers is None or a in rule.betalers)) else 0, "0")
        keys, vals, below = _tabel(ws, below, "Tarief per m² per functie", rule.tarief)
        accounts = f"$A${acc0}:$A${acc0 + n_a - 1}"
        pays = f"$C${acc0}:$C${acc0 + n_a - 1}"
        moving = None
        if rule.type == "meebewegend" and rule.koppeling == "index":
            _text(ws, below, 2, "Indexreeks")
            _input(ws, below, 3, rule.index)
            series_cell = f"$C${below}"
            below += 2
            moving = lambda e, j: _factor(b, series_cell, j)  # noqa: E731
        elif rule.type == "meebewegend":
            rkeys, rvals, below = _tabel(ws, below, "Referentieprijs per m²", rule.referentieprijs)
            p0, p1 = b.rows["prijzen"]

            def moving(e: int, j: int) -> str:
                price = f"INDEX('Prijzen'!${col(2 + j)}${p0}:${col(2 + j)}${p1},MATCH('Programma'!$B{e},'Prijzen'!$A${p0}:$A${p1},0))"
                ref = _lookup("'Programma'!$B" + str(e), rkeys, rvals)
                return f"IFERROR({price}/{ref},0)"

        def factor(e: int, rr: int, j: int) -> str:
            rate = _lookup("'Programma'!$B" + str(e), keys, vals) + f"*INDEX({pays},MATCH('Programma'!$A{e},{accounts},0))"
            return rate if moving is None else f"{rate}*{moving(e, j)}"
        h0, h1 = _per_entry(b, ws, below, "Programma", "Bijdrage per programmaregel (€)", factor)
        _accounts(b, ws, acc0, r_i, lambda rr, c, j: f"$B{rr}*SUM({c}${h0}:{c}${h1})-SUMIF($A${h0}:$A${h1},$A{rr},{c}${h0}:{c}${h1})")
        return h1
    if rule.type == "ontwikkelrechten":
        _gewichten(b, ws, acc0, 2, rule.sleutel, "Aandeel ontwikkelrechten")
        keys, vals, below = _tabel(ws, below, "Verrekenprijs per m² ontwikkelrecht", rule.prijs)
        h0, h1 = _per_entry(b, ws, below, "Programma", "Waarde gebruikte rechten per programmaregel (€)", lambda e, rr, j: _lookup(f"'Programma'!$B{e}", keys, vals))
        _accounts(b, ws, acc0, r_i, lambda rr, c, j: f"$B{rr}*SUM({c}${h0}:{c}${h1})-SUMIF($A${h0}:$A${h1},$A{rr},{c}${h0}:{c}${h1})")
        return h1
    if rule.type == "verevening":
        _gewichten(b, ws, acc0, 2, rule.sleutel, "Verdeelsleutel")
        put(ws, below, 1, "Gedragen kosten van: " + ", ".join(rule.categorieen)).font = _BOLD
        p0, p1, f0 = b.rows["posten"]
        g0 = below + 1
        for a_i, _a in enumerate(b.rek):
            rr = g0 + a_i
            put(ws, rr, 1, Formula(f"=$A{acc0 + a_i}"))
            for j in range(b.ny):
                terms = [f"SUMIFS({_rng('Posten', f0 + j, p0, p1)},{_rng('Posten', 2, p0, p1)},$A{rr},{_rng('Posten', 5, p0, p1)},{formula_text(k)},{_rng('Posten', 3, p0, p1)},\"kosten\")" for k in rule.categorieen]
                put(ws, rr, 4 + j, Formula("=-(" + "+".join(terms) + ")")).number_format = EUR_FORMAT
        g1 = g0 + n_a - 1
        _accounts(b, ws, acc0, r_i, lambda rr, c, j: f"{c}{g0 + rr - acc0}-$B{rr}*SUM({c}${g0}:{c}${g1})")
        return g1
    if rule.type == "afdracht":
        _gewichten(b, ws, acc0, 2, rule.van, "Van")
        _gewichten(b, ws, acc0, 3, rule.naar, "Naar")
        _text(ws, below, 2, "Aandeel")
        _input(ws, below, 3, float(rule.aandeel), PCT_FORMAT)
        share = f"$C${below}"
        put(ws, below + 1, 1, "Ontvangen door 'van' uit: " + ", ".join(rule.regels)).font = _BOLD
        base = below + 2
        k0, k1, kf = b.rows["kv"]
        regelset = b.g.actieve_set(b.res.regelset)
        assert regelset is not None, "an afdracht rule belongs to a rule set"
        names = [x.naam for x in regelset.regels]
        starts = b.rows.get("regel_rows", [])
        van = b.rek.index(rule.van)
        for j in range(b.ny):
            c = col(4 + j)
            parts = []
            for src in rule.regels:
                if src == sr.KOSTENVERHAAL:
                    kc = f"'Gekoppeld'!${col(kf + j)}${k0}:${col(kf + j)}${k1}"
                    parts.append(f"SUMIF({_rng('Gekoppeld', 3, k0, k1)},$A${acc0 + van},{kc})-SUMIF({_rng('Gekoppeld', 2, k0, k1)},$A${acc0 + van},{kc})")
                else:
                    parts.append(f"{c}{starts[names.index(src)] + van}")
            put(ws, base, 4 + j, Formula("=" + "+".join(parts))).number_format = EUR_FORMAT
            put(ws, base + 1, 4 + j, Formula(f"={share}*MAX(0,{c}{base})")).number_format = EUR_FORMAT
        _text(ws, base, 2, "Ontvangen")
        _text(ws, base + 1, 2, "Afdracht")
        _accounts(b, ws, acc0, r_i, lambda rr, c, j: f"{c}${base + 1}*($C{rr}-$B{rr})")
        return base + 1
    raise NotImplementedError(f"geen Excel-formule voor regeltype {rule.type!r}")  # pragma: no cover - every registered type has one


# --------------------------------------------------------------------------------------------------- results
_PIECES = ("eigen", "transacties", "verwijzingen", "lidmaatschap", "kostenverhaal", "spelregels", "uitgaven")
_PIECE_LABELS = {"eigen": "Eigen kosten en opbrengsten", "transacties": "Transacties", "verwijzingen": "Gekoppelde projecten", "lidmaatschap": "Lidmaatschap fonds",
                 "kostenverhaal": "Kostenverhaal", "spelregels": "Spelregels", "uitgaven": "Uitgaven gebiedsorganisatie"}


def _piece(b: _Boek, name: str, a: str, a_i: int, j: int, rr: int) -> str:
    """Excel expression for one piece of account ``a`` in year ``j``."""
    cj = lambda c: col(c + j)  # noqa: E731
    if name == "eigen":
        p0, p1, f0 = b.rows["posten"]
        return f"SUMIF({_rng('Posten', 2, p0, p1)},$A{rr},'Posten'!{cj(f0)}${p0}:{cj(f0)}${p1})"
    if name == "transacties":
        t0, t1, f0 = b.rows["transacties"]
        rng = f"'Transacties'!{cj(f0)}${t0}:{cj(f0)}${t1}"
        return f"SUMIF({_rng('Transacties', 4, t0, t1)},$A{rr},{rng})-SUMIF({_rng('Transacties', 3, t0, t1)},$A{rr},{rng})"
    if name == "verwijzingen":
        x0, x1 = b.rows["projecten"]
        return f"SUMIF({_rng('Gekoppeld', 2, x0, x1)},$A{rr},'Gekoppeld'!{cj(4)}${x0}:{cj(4)}${x1})"
    if name == "lidmaatschap":
        l0, l1, f0 = b.rows["lid"]
        rng = f"'Fonds'!{cj(f0)}${l0}:{cj(f0)}${l1}"
        return f"SUM({rng})" if a == FONDS else f"-SUMIF({_rng('Fonds', 1, l0, l1)},$A{rr},{rng})"
    if name == "kostenverhaal":
        k0, k1, f0 = b.rows["kv"]
        rng = f"'Gekoppeld'!{cj(f0)}${k0}:{cj(f0)}${k1}"
        return f"SUMIF({_rng('Gekoppeld', 3, k0, k1)},$A{rr},{rng})-SUMIF({_rng('Gekoppeld', 2, k0, k1)},$A{rr},{rng})"
    if name == "spelregels":
        cells = [f"'Spelregels'!{cj(4)}{s0 + a_i}" for s0 in b.rows.get("regel_rows", [])]
        return f"SUM({','.join(cells)})" if cells else "0"
    u0, u1, f0 = b.rows["uit"]
    return f"-SUM('Fonds'!{cj(f0)}${u0}:{cj(f0)}${u1})" if a == FONDS else "0"


def _resultaat(b: _Boek) -> None:
    ws = b.wb.create_sheet("Resultaat")
    put(ws, 1, 1, "Resultaat per rekening (€ nominaal, ontvangen positief)").font = _TITLE
    _header(ws, 3, ["Rekening", "Onderdeel", "Totaal", "Contant"] + b.years)
    r = 4
    put(ws, r, 2, "Disconteringsfactor").font = _BOLD
    for j, y in enumerate(b.years):
        shift = '-IF(Timing="mid",0.5,IF(Timing="start",1,0))'
        put(ws, r, 5 + j, Formula(f"=(1+Disconteringsvoet)^(-({y}+1-NcwJaar-NcwFractie{shift}))")).number_format = FACTOR_FORMAT
    disc = f"$E${r}:${col(4 + b.ny)}${r}"
    r += 2
    b.rows["resultaat"] = {}
    for a_i, a in enumerate(b.rek):
        put(ws, r, 1, a).font = _BOLD
        first = r + 1
        for p_i, name in enumerate(_PIECES):
            rr = first + p_i
            _text(ws, rr, 1, a)
            put(ws, rr, 2, _PIECE_LABELS[name])
            for j in range(b.ny):
                b.figure(ws, rr, 5 + j, "=" + _piece(b, name, a, a_i, j, rr), f"onderdeel:{name}", (a_i, j))
            b.figure(ws, rr, 3, f"=SUM(E{rr}:{col(4 + b.ny)}{rr})", f"totaal:{name}", (a_i,))
            b.rows["resultaat"][(a, name)] = rr
        rr = first + len(_PIECES)
        _text(ws, rr, 1, a)
        put(ws, rr, 2, "Netto").font = _BOLD
        for j in range(b.ny):
            c = col(5 + j)
            b.figure(ws, rr, 5 + j, f"=SUM({c}{first}:{c}{rr - 1})", "netto", (a_i, j))
        b.figure(ws, rr, 3, f"=SUM(E{rr}:{col(4 + b.ny)}{rr})", "totaal", (a_i,))
        b.figure(ws, rr, 4, f"=SUMPRODUCT(E{rr}:{col(4 + b.ny)}{rr},{disc})", "contant", (a_i,))
        b.rows["resultaat"][(a, "netto")] = rr
        r = rr + 2
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 30
    ws.freeze_panes = "E4"


def _fonds(b: _Boek) -> None:
    ws = b.wb["Fonds"]
    r = b.rows["fonds_next"]
    put(ws, r, 1, "Verloop van het fonds (€ nominaal)").font = _BOLD
    _header(ws, r + 1, ["Onderdeel", "", "", "", ""] + b.years)
    res_rows = b.rows["resultaat"]
    lines = [("Structureel (lidmaatschap)", "lidmaatschap", "fonds_structureel"), ("Incidenteel: kostenverhaal", "kostenverhaal", "fonds_kostenverhaal"),
             ("Incidenteel: spelregels", "spelregels", "fonds_spelregels"), ("Uitgaven gebiedsorganisatie", "uitgaven", "fonds_uitgaven")]
    r0 = r + 2
    for i, (label, piece, key) in enumerate(lines):
        rr = r0 + i
        put(ws, rr, 1, label)
        for j in range(b.ny):
            b.figure(ws, rr, 6 + j, f"='Resultaat'!{col(5 + j)}{res_rows[(FONDS, piece)]}", key, (j,))
    stroom = r0 + len(lines)
    put(ws, stroom, 1, "Stroom").font = _BOLD
    rente, saldo = stroom + 1, stroom + 2
    put(ws, rente, 1, "Rente")
    put(ws, saldo, 1, "Saldo 31-12").font = _BOLD
    for j in range(b.ny):
        c = col(6 + j)
        b.figure(ws, stroom, 6 + j, f"=SUM({c}{r0}:{c}{stroom - 1})", "fonds_stroom", (j,))
        prev = "$B$3" if j == 0 else f"{col(5 + j)}{saldo}"
        rate = f"{c}$4"
        formula = (f'=IF(Timing="start",({prev}+{c}{stroom})*(1+{rate}),{prev}*(1+{rate})+{c}{stroom}*IF(Timing="mid",SQRT(1+{rate}),1))')
        b.figure(ws, saldo, 6 + j, formula, "fonds_saldo", (j,))
        b.figure(ws, rente, 6 + j, f"={c}{saldo}-{prev}-{c}{stroom}", "fonds_rente", (j,))
    put(ws, saldo + 1, 1, "Laagste saldo")
    b.figure(ws, saldo + 1, 6, f"=MIN(F{saldo}:{col(5 + b.ny)}{saldo})", "fonds_diepste", ())
    b.name("FondsEindsaldo", "Fonds", f"${col(5 + b.ny)}${saldo}")


def _gebied(b: _Boek) -> None:
    ws = b.wb.create_sheet("Gebied")
    put(ws, 1, 1, "Eén portemonnee: som over alle partijen en het fonds (€ nominaal)").font = _TITLE
    _header(ws, 3, ["Onderdeel", "Totaal", "Contant", ""] + b.years)
    res_rows = b.rows["resultaat"]
    r = 4
    for name in _PIECES:
        put(ws, r, 1, _PIECE_LABELS[name])
        for j in range(b.ny):
            c = col(5 + j)
            cells = ",".join(f"'Resultaat'!{c}{res_rows[(a, name)]}" for a in b.rek)
            b.figure(ws, r, 5 + j, f"=SUM({cells})", f"gebied:{name}", (j,))
        r += 1
    net = r
    put(ws, net, 1, "Netto (één portemonnee)").font = _BOLD
    for j in range(b.ny):
        c = col(5 + j)
        b.figure(ws, net, 5 + j, f"=SUM({c}4:{c}{net - 1})", "gebied", (j,))
    b.figure(ws, net, 2, f"=SUM(E{net}:{col(4 + b.ny)}{net})", "gebied_totaal", ())
    b.figure(ws, net, 3, f"=SUMPRODUCT(E{net}:{col(4 + b.ny)}{net},'Resultaat'!$E$4:${col(4 + b.ny)}$4)", "gebied_contant", ())
    b.name("GebiedNominaal", "Gebied", f"$B${net}")
    chk = net + 2
    put(ws, chk, 1, "Controle: som van alle overdrachten van de spelregels (moet 0 zijn)").font = _BOLD
    n_a = len(b.rek)
    for j in range(b.ny):
        c = col(4 + j)
        rngs = ",".join(f"'Spelregels'!{c}{s0}:{c}{s0 + n_a - 1}" for s0 in b.rows.get("regel_rows", [])) or "0"
        put(ws, chk, 5 + j, Formula(f"=ROUND(SUM({rngs}),2)")).number_format = EUR_FORMAT
    ws.column_dimensions["A"].width = 44


def _marges(b: _Boek) -> None:
    ws = b.wb.create_sheet("Marges")
    put(ws, 1, 1, "Eigen marges (VERTROUWELIJK)").font = _TITLE
    _header(ws, 3, ["Partij", "Marge", "Opbrengsten (€ nominaal)", "Vereiste marge", "Resultaat na marge"])
    p0, p1, pf = b.rows["posten"]
    t0, t1, tf = b.rows["transacties"]
    x0, x1 = b.rows["projecten"]
    last = col(pf + b.ny - 1)
    for i, p in enumerate(b.g.partijen):
        r = 4 + i
        _text(ws, r, 1, p.id)
        _input(ws, r, 2, float(p.marge or 0.0), PCT_FORMAT)
        posten = f"SUMPRODUCT(('Posten'!$B${p0}:$B${p1}=A{r})*('Posten'!$C${p0}:$C${p1}=\"opbrengsten\")*'Posten'!${col(pf)}${p0}:${last}${p1})"
        verkoop = f"SUMPRODUCT(('Transacties'!$D${t0}:$D${t1}=A{r})*'Transacties'!${col(tf)}${t0}:${col(tf + b.ny - 1)}${t1})"
        gekoppeld = f"SUMPRODUCT(('Gekoppeld'!$B${x0}:$B${x1}=A{r})*('Gekoppeld'!$C${x0}:$C${x1}=\"opbrengsten\")*'Gekoppeld'!$D${x0}:${col(3 + b.ny)}${x1})"
        b.figure(ws, r, 3, f"={posten}+{verkoop}+{gekoppeld}", "opbrengsten", (i,))
        b.figure(ws, r, 4, f"=B{r}*C{r}", "marge", (i,))
        b.figure(ws, r, 5, f"='Resultaat'!C{b.rows['resultaat'][(p.id, 'netto')]}-D{r}", "na_marge", (i,))
    ws.column_dimensions["A"].width = 20
