"""Export a grex to an Excel workbook with live formulas: a spreadsheet a reviewer can check line by line, and edit.

The input sheets are the grex document itself, laid out from the model (:mod:`opengrex.io.xlsx_invoer`: Algemeen,
Indexreeksen, Kosten, Opbrengsten); the same importer reads them back, so the downloaded workbook can be edited in
Excel or LibreOffice and uploaded as a new version. The calculation sheets recompute the whole grex (spec
``shared/spec/grondexploitatie.md`` §1–§4, §8–§10) in spreadsheet formulas on those input cells, independently of the
numpy engine; after recalculation (Excel, or LibreOffice via :func:`opengrex.io.libreoffice.recalculate`) it equals
:func:`opengrex.services.grex.calculate_grex` to the cent.

Sheets
------
``Toelichting``   what each sheet holds, every input field (from the model) and every formula used.
``Algemeen``, ``Indexreeksen``, ``Kosten``, ``Opbrengsten``   the input (see :mod:`opengrex.io.xlsx_invoer`).
``Parameters``    the general parameters as the rules use them (an empty input cell takes the model's default),
                  with defined names ``Prijspeil``, ``PrijspeilJaar``, ``StartJaar``, ``EindJaar``, ``Timing``,
                  ``Disconteringsvoet``, ``NcwDatum``, ``NcwJaar``, ``NcwFractie``, ``Openingsboekwaarde``,
                  ``Dagtelling``, ``GerealiseerdTm``.
``Indexcijfers``  rente per year, index rates per series (empty years filled as the model does) and the index
                  factors ``I_y`` as formulas.
``Berekening``    per line: its series row, the divisor of its phasing (1 for shares, the sum for amounts per year), the
                  saldo at prijspeil, and the nominal signed flow per year.
``Kasstroom``     per year opbrengsten, kosten, saldo, rente, boekwaarde, discount time, factor, contante waarde;
                  headline figures with defined names ``SaldoNominaal``, ``SaldoPrijspeil``, ``Eindwaarde``,
                  ``Tend``, ``NCW``, ``ContanteWaarde``, ``TotaleRente``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter as col
from openpyxl.workbook.defined_name import DefinedName

from opengrex.formatting import EXCEL_EUR_FORMAT
from opengrex.io.xlsx_cells import Formula, put
from opengrex.io.xlsx_invoer import Herkomst, InvoerCells, workbook_bytes, write_notes, write_workbook
from opengrex.model.grex import Grex

EUR_FORMAT = EXCEL_EUR_FORMAT
PCT_FORMAT = "0.00%"
FACTOR_FORMAT = "0.000000"
DATE_FORMAT = "DD-MM-YYYY"

HEADLINE_NAMES = ("SaldoNominaal", "SaldoPrijspeil", "Eindwaarde", "Tend", "NCW", "ContanteWaarde", "TotaleRente")
"""Defined names of the headline figures on sheet ``Kasstroom``."""
INPUT_SHEETS = ("Algemeen", "Indexreeksen", "Kosten", "Opbrengsten")
CALC_SHEETS = ("Parameters", "Indexcijfers", "Berekening", "Kasstroom")

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")

# Berekening: A naam, B teken, C reeksrij, D deler van de fasering, E saldo prijspeil, then per year the flows
_CALC_ROW0 = 4
_CALC_COL0 = 6
_CF_ROW0 = 4


class _Layout:
    """Cell positions of the calculation sheets (computed once per export)."""

    def __init__(self, grex: Grex) -> None:
        self.years = list(grex.years)
        self.n_years = len(self.years)
        p = grex.prijspeil.year
        self.ix_years = list(range(min(p, grex.start_year), grex.end_year + 1))
        self.ix_base = p - self.ix_years[0]
        self.ix_offset = grex.start_year - self.ix_years[0]
        self.series = list(grex.indices)
        self.n_series = len(self.series)
        self.n_lines = len(grex.kosten) + len(grex.opbrengsten)
        # Indexcijfers
        self.ix_year_row = 3
        self.rente_row = 4
        self.rate_row0 = 7
        self.factor_head_row = self.rate_row0 + self.n_series + 1
        self.factor_row0 = self.factor_head_row + 1
        self.fill_head_row = self.factor_row0 + self.n_series + 1
        self.fill_row0 = self.fill_head_row + 2
        self.ix_col0 = 2  # column B = first index year
        # Berekening
        self.calc_row0 = _CALC_ROW0
        self.flow_col0 = _CALC_COL0
        self.cf_row0 = _CF_ROW0

    @property
    def last_calc_row(self) -> int:
        return self.calc_row0 + max(self.n_lines, 1) - 1

    def ix_col(self, k: int) -> str:
        return col(self.ix_col0 + k)

    def table_ref(self, row0: int) -> str:
        """Absolute reference of a series block (rates or factors) on sheet Indexcijfers, without the name column."""
        return f"Indexcijfers!${self.ix_col(0)}${row0}:${self.ix_col(len(self.ix_years) - 1)}${row0 + self.n_series - 1}"


def _name(wb: Any, name: str, sheet: str, ref: str) -> None:
    wb.defined_names[name] = DefinedName(name, attr_text=f"'{sheet}'!{ref}")


def _header(ws: Any, row: int, labels: list, col0: int = 1) -> None:
    for j, label in enumerate(labels):
        c = put(ws, row, col0 + j, label)
        c.font = _BOLD
        c.fill = _HEAD_FILL
        c.alignment = Alignment(horizontal="center", wrap_text=True)


def grex_workbook(grex: Grex, herkomst: Herkomst | None = None) -> bytes:
    """The grex as an ``.xlsx`` workbook with live formulas (see the module); ``herkomst``: the stored document and
    version it is made from (stamped in the workbook, checked when it is uploaded back)."""
    grex.validated()
    lay = _Layout(grex)
    data = grex.model_dump(mode="json")
    wb, cells = write_workbook(type(grex), data, herkomst or Herkomst(soort="grex", naam=grex.name), titel=f"Grondexploitatie: {grex.name}",
                               jaren=lay.years, reeksjaren=lay.ix_years)
    _toelichting(wb["Toelichting"], grex)
    _parameters(wb, grex, cells)
    _indexcijfers(wb, grex, lay, cells)
    _berekening(wb, grex, lay, cells)
    _kasstroom(wb, grex, lay)
    wb.calculation.fullCalcOnLoad = True
    return workbook_bytes(wb)


def export_grex_xlsx(grex: Grex, path: Path, herkomst: Herkomst | None = None) -> None:
    """Write ``grex`` as an ``.xlsx`` workbook with live formulas (input sheets, Parameters, Indexcijfers,
    Berekening, Kasstroom).

    Every result cell is a formula on the input cells, so the workbook is an independent evaluation of the grex rules
    (spec ``grondexploitatie.md`` §1–§4); recalculated it reproduces :func:`opengrex.services.grex.calculate_grex` to
    €0,01. The workbook holds no cached values: Excel and LibreOffice compute every formula when it is opened.
    Amounts in euros: inputs at prijspeil, flows nominal."""
    Path(path).write_bytes(grex_workbook(grex, herkomst))


# ---------------------------------------------------------------------------------------------------- sheets
def _toelichting(ws: Any, grex: Grex) -> None:
    rows = [
        ("", None),
        ("Rekenbladen", _TITLE),
        (f"Prijspeil {grex.prijspeil:%d-%m-%Y}; bedragen in euro's. Invoerbedragen zijn op prijspeil, kasstromen nominaal (lopende prijzen). "
         "Kosten negatief, opbrengsten positief; een positief saldo is een overschot. Alle uitkomsten zijn formules op de invoer: wijzig een "
         "invoercel en het werkboek rekent opnieuw (bron van de rekenregels: opengrex, shared/spec/grondexploitatie.md §1–§4, §8–§10). "
         "Wijzig je het start- of eindjaar of voeg je regels toe, lees het werkboek dan in: de rekenbladen volgen de looptijd en regels van de download.", None),
        ("Blad Parameters", _BOLD),
        ("De algemene gegevens zoals de regels ze gebruiken, met namen: een lege invoercel krijgt de standaardwaarde van het model (timing end, "
         "disconteringsvoet 2%, NCW-datum = prijspeil, dagtelling hele_jaren, openingsboekwaarde 0). PrijspeilJaar = JAAR(Prijspeil); NcwFractie = "
         "verstreken deel van het NCW-jaar: (NcwDatum − 1 jan) / dagen in dat jaar; GerealiseerdTm = gerealiseerd t/m (leeg: geen).", None),
        ("Blad Indexcijfers", _BOLD),
        ("Rij 'Rente (boekwaarde)' en per indexreeks het percentage per jaar r_y, uit blad Indexreeksen: het vaste percentage, of per jaar waarbij een "
         "leeg jaar het percentage van het jaar ervoor krijgt (en vóór het eerste opgegeven jaar het eerste percentage); zie de hulprijen onderaan.", None),
        ("Indexcijfers I_y (prijspeil = 1): I_p = 1 in het prijspeiljaar p; na p: I_y = I_(y−1) × (1 + r_(y−1)); vóór p: I_y = I_(y+1) / (1 + r_y).", None),
        ("Blad Berekening", _BOLD),
        ("Per post: teken (−1 kosten, +1 opbrengsten), de rij van zijn indexreeks (VERGELIJKEN op de naam), de deler van de fasering (1 als de "
         "fasering aandelen zijn met som 1, anders de som: bedragen per jaar); aandeel_y = fasering_y / deler. Een jaar is gerealiseerd als er een "
         "gerealiseerd bedrag staat of het jaar ≤ GerealiseerdTm. Kasstroom per jaar = ALS(gerealiseerd; teken × gerealiseerd; teken × bedrag × "
         "aandeel × I_y × halfjaarfactor), halfjaarfactor = (1 + r_y)^0,5 bij timing 'mid', anders 1. Saldo prijspeil = teken × (bedrag × som van "
         "de aandelen van de niet-gerealiseerde jaren + som van gerealiseerd / I_y van de gerealiseerde jaren) (spec §8).", None),
        ("Blad Kasstroom", _BOLD),
        ("Per jaar: opbrengsten (SOM.ALS teken > 0), kosten (SOM.ALS teken < 0), saldo F_y, rentepercentage, boekwaarde begin, rente en boekwaarde "
         "eind (rekening-courant): end: B_y = B_(y−1) × (1 + rente_y) + F_y;  mid: B_y = B_(y−1) × (1 + rente_y) + F_y × (1 + rente_y)^0,5;  "
         "start: B_y = (B_(y−1) + F_y) × (1 + rente_y). Rente_y = B_y − B_(y−1) − F_y. De eerste beginboekwaarde is de Openingsboekwaarde.", None),
        ("t_y = jaar + 1 − NcwJaar − NcwFractie (0,5 minder bij mid, 1 minder bij start); disconteringsfactor = (1 + d)^(−t_y); contante waarde = "
         "F_y × factor. Met Dagtelling 'werkelijke_dagen': t_y = (31-12 van het jaar − NcwDatum in dagen) / 365,25; bij start tot 31-12 van het jaar "
         "ervoor, bij mid het midden (spec §10).", None),
        ("Kengetallen (met namen): SaldoNominaal = som F_y; SaldoPrijspeil = som van de saldi op prijspeil; Eindwaarde = boekwaarde op 31-12 van "
         "het eindjaar; Tend = EindJaar + 1 − NcwJaar − NcwFractie; NCW (BBV) = Eindwaarde / (1 + d)^Tend; ContanteWaarde = som van de contante "
         "waarden van de kasstromen; TotaleRente = som van de rente. NCW en contante waarde zijn gelijk als de rente gelijk is aan de "
         "disconteringsvoet en de openingsboekwaarde 0 is.", None),
    ]
    write_notes(ws, rows, first=ws.max_row + 1)


def _parameters(wb: Any, grex: Grex, cells: InvoerCells) -> None:
    ws = wb.create_sheet("Parameters")
    put(ws, 1, 1, "Parameters zoals de rekenregels ze gebruiken (een lege invoercel: de standaardwaarde)").font = _TITLE
    _header(ws, 2, ["Parameter", "Waarde", "Formule"])
    f = Grex.model_fields

    def inp(key: str) -> str:
        return cells.ref((key,))

    rows = [
        ("Prijspeil", None, "invoer (blad Algemeen)", DATE_FORMAT),
        ("PrijspeilJaar", "=YEAR(Prijspeil)", "JAAR(Prijspeil)", "0"),
        ("Timing", f'=IF({inp("timing")}="","{f["timing"].default}",{inp("timing")})', "leeg: end", None),
        ("Disconteringsvoet", f'=IF({inp("disconteringsvoet")}="",{f["disconteringsvoet"].default},{inp("disconteringsvoet")})', "leeg: 2%", PCT_FORMAT),
        ("NcwDatum", f'=IF({inp("ncw_datum")}="",Prijspeil,{inp("ncw_datum")})', "leeg: de prijspeildatum", DATE_FORMAT),
        ("NcwJaar", "=YEAR(NcwDatum)", "JAAR(NcwDatum)", "0"),
        ("NcwFractie", "=(NcwDatum-DATE(NcwJaar,1,1))/(DATE(NcwJaar+1,1,1)-DATE(NcwJaar,1,1))", "verstreken deel van het NCW-jaar", FACTOR_FORMAT),
        ("Openingsboekwaarde", f"=N({inp('openingsboekwaarde')})", "leeg: 0", EUR_FORMAT),
        ("Dagtelling", f'=IF({inp("dagtelling")}="","{f["dagtelling"].default}",{inp("dagtelling")})', "leeg: hele_jaren", None),
        ("GerealiseerdTm", f'=IF({inp("gerealiseerd_tot_en_met")}="",-1,{inp("gerealiseerd_tot_en_met")})', "leeg: geen (−1)", "0"),
    ]
    for i, (name, formula, note, fmt) in enumerate(rows, start=3):
        put(ws, i, 1, name).font = _BOLD
        if formula is None:
            c = put(ws, i, 2, Formula(f"={inp('prijspeil')}"))
        else:
            c = put(ws, i, 2, Formula(formula))
        if fmt:
            c.number_format = fmt
        put(ws, i, 3, note)
        if name != "Prijspeil":
            _name(wb, name, "Parameters", f"$B${i}")
    # the input cells that need no default
    for name, key in (("Prijspeil", "prijspeil"), ("StartJaar", "startjaar"), ("EindJaar", "eindjaar")):
        s, r, c = cells.places[(key,)]
        _name(wb, name, s, f"${col(c)}${r}")
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 44


def _indexcijfers(wb: Any, grex: Grex, lay: _Layout, cells: InvoerCells) -> None:
    ws = wb.create_sheet("Indexcijfers")
    put(ws, 1, 1, "Rente en indexreeksen per jaar, en de indexcijfers").font = _TITLE
    n_ix = len(lay.ix_years)
    _header(ws, lay.ix_year_row, ["Jaar"] + lay.ix_years)
    series_paths = [("rente",)] + [("indexreeksen", name) for name in lay.series]
    # helper rows: fill empty years as the model does (last rate given holds later, the first one earlier)
    put(ws, lay.fill_head_row, 1, "Hulprijen: lege jaren van blad Indexreeksen opgevuld (eerst vooruit, dan achteruit)").font = _BOLD
    fill_years: list[int] = []
    effective: dict[tuple, dict[int, str]] = {}
    for s, path in enumerate(series_paths):
        sheet, row, colmap = cells.blocks[path]
        years = sorted(colmap)
        fill_years = years
        fwd_row = lay.fill_row0 + 2 * s
        eff_row = fwd_row + 1
        label = "rente" if s == 0 else lay.series[s - 1]
        put(ws, fwd_row, 1, f"{label}: vooruit")
        put(ws, eff_row, 1, f"{label}: opgevuld")
        for j, y in enumerate(years):
            src = f"'{sheet}'!${col(colmap[y])}${row}"
            cc = col(2 + j)
            prev = f"{col(1 + j)}{fwd_row}" if j else '""'
            ws[f"{cc}{fwd_row}"] = f"=IF(ISNUMBER({src}),{src},{prev})"
        for j in range(len(years) - 1, -1, -1):
            cc = col(2 + j)
            nxt = f"{col(3 + j)}{eff_row}" if j < len(years) - 1 else '""'
            ws[f"{cc}{eff_row}"] = f"=IF(ISNUMBER({cc}{fwd_row}),{cc}{fwd_row},{nxt})"
        vast = cells.ref(path)
        effective[path] = {y: f"IF(ISNUMBER({vast}),{vast},{col(2 + j)}{eff_row})" for j, y in enumerate(years)}
    if fill_years:
        _header(ws, lay.fill_head_row + 1, ["Jaar"] + fill_years)

    def rate_row(r: int, label: str, path: tuple, bold: bool = False) -> None:
        c = put(ws, r, 1, label)
        if bold:
            c.font = _BOLD
        for k, y in enumerate(lay.ix_years):
            cell = ws.cell(row=r, column=lay.ix_col0 + k, value=f"={effective[path][y]}")
            cell.number_format = PCT_FORMAT

    rate_row(lay.rente_row, "Rente (boekwaarde)", ("rente",), bold=True)
    put(ws, lay.rate_row0 - 1, 1, "Indexpercentage r_y per reeks").font = _BOLD
    for s, name in enumerate(lay.series):
        r = lay.rate_row0 + s
        rate_row(r, name, ("indexreeksen", name))
        sheet, row, _ = cells.blocks[("indexreeksen", name)]
        ws.cell(row=r, column=1, value=f"='{sheet}'!$A${row}")  # the name as typed on the input sheet (MATCH looks it up)
    put(ws, lay.factor_head_row, 1, f"Indexcijfer I_y (prijspeil {lay.ix_years[lay.ix_base]} = 1)").font = _BOLD
    b = lay.ix_base
    for s in range(lay.n_series):
        r = lay.factor_row0 + s
        rr = lay.rate_row0 + s
        ws.cell(row=r, column=1, value=f"=A{rr}")
        for k in range(n_ix):
            cl = lay.ix_col(k)
            if k == b:
                f = "=1"
            elif k > b:
                prev = lay.ix_col(k - 1)
                f = f"={prev}{r}*(1+{prev}{rr})"
            else:
                nxt = lay.ix_col(k + 1)
                f = f"={nxt}{r}/(1+{cl}{rr})"
            c = ws.cell(row=r, column=lay.ix_col0 + k, value=f)
            c.number_format = FACTOR_FORMAT
    ws.freeze_panes = ws.cell(row=lay.ix_year_row + 1, column=lay.ix_col0)
    ws.column_dimensions["A"].width = 34
    for k in range(max(n_ix, len(fill_years))):
        ws.column_dimensions[lay.ix_col(k)].width = 11


def _line_paths(grex: Grex) -> list[tuple[str, int]]:
    return [(section, i) for section, i, _ in grex.lines()]


def _berekening(wb: Any, grex: Grex, lay: _Layout, cells: InvoerCells) -> None:
    ws = wb.create_sheet("Berekening")
    put(ws, 1, 1, "Nominale kasstroom per post per jaar (€ nominaal; kosten negatief)").font = _TITLE
    put(ws, 2, 1, "Kasstroom = ALS(gerealiseerd; teken × gerealiseerd; teken × bedrag × aandeel × I_y × halfjaarfactor); aandeel = fasering / deler. "
        "Zie blad Toelichting.")
    y = lay.years
    head_row = lay.calc_row0 - 1
    _header(ws, head_row, ["Naam", "Teken", "Reeksrij", "Deler fasering", "Saldo prijspeil (€)"] + y)
    factors = lay.table_ref(lay.factor_row0)
    rates = lay.table_ref(lay.rate_row0)
    names = f"Indexcijfers!$A${lay.rate_row0}:$A${lay.rate_row0 + lay.n_series - 1}"
    for i, (section, li) in enumerate(_line_paths(grex)):
        r = lay.calc_row0 + i
        base = (section, li)
        sign = -1 if section == "kosten" else 1
        ws.cell(row=r, column=1, value=f"={cells.ref(base + ('naam',))}")
        ws.cell(row=r, column=2, value=sign)
        ws.cell(row=r, column=3, value=f"=MATCH({cells.ref(base + ('indexreeks',))},{names},0)")
        phasing = cells.block_range(base + ("fasering",), y)
        # phasing as shares (sum 1) or as amounts (divided by their sum): the divisor
        ws.cell(row=r, column=4, value=f"=IF(OR(ABS(SUM({phasing})-1)<=1E-9,SUM({phasing})=0),1,SUM({phasing}))").number_format = FACTOR_FORMAT
        amount = f"N({cells.ref(base + ('bedrag',))})"
        reals = cells.block_range(base + ("gerealiseerd",), y)
        years = _header_range(cells, base + ("gerealiseerd",), y)
        flags = f"((ISNUMBER({reals})+({years}<=GerealiseerdTm))>0)"
        ix_row = f"INDEX({factors},$C{r},{lay.ix_offset + 1}):INDEX({factors},$C{r},{lay.ix_offset + lay.n_years})"
        c = ws.cell(row=r, column=5, value=f"=B{r}*({amount}*SUMPRODUCT({phasing},1-{flags})/$D{r}+SUMPRODUCT({reals},{flags}/{ix_row}))")
        c.number_format = EUR_FORMAT
        for j, year in enumerate(y):
            k = lay.ix_offset + j + 1
            ph = cells.key_ref(base + ("fasering",), year)
            real = cells.key_ref(base + ("gerealiseerd",), year)
            f = (
                f"=IF(OR(ISNUMBER({real}),{year}<=GerealiseerdTm),$B{r}*N({real}),"
                f"$B{r}*{amount}*N({ph})/$D{r}*INDEX({factors},$C{r},{k})"
                f"*IF(Timing=\"mid\",SQRT(1+INDEX({rates},$C{r},{k})),1))"
            )
            c = ws.cell(row=r, column=lay.flow_col0 + j, value=f)
            c.number_format = EUR_FORMAT
    tr = lay.last_calc_row + 1
    put(ws, tr, 1, "Totaal").font = _BOLD
    for cc in [5] + [lay.flow_col0 + j for j in range(lay.n_years)]:
        L = col(cc)
        c = ws.cell(row=tr, column=cc, value=f"=SUM({L}{lay.calc_row0}:{L}{lay.last_calc_row})")
        c.number_format = EUR_FORMAT
        c.font = _BOLD
    ws.freeze_panes = ws.cell(row=lay.calc_row0, column=lay.flow_col0)
    for letter, width in (("A", 34), ("B", 7), ("C", 9), ("D", 12), ("E", 18)):
        ws.column_dimensions[letter].width = width
    for j in range(lay.n_years):
        ws.column_dimensions[col(lay.flow_col0 + j)].width = 16


def _header_range(cells: InvoerCells, path: tuple, years: list[int]) -> str:
    """The year headers (row 2) above a line's block: the years as numbers, for comparisons inside SUMPRODUCT."""
    sheet, _, cols = cells.blocks[path]
    return f"'{sheet}'!${col(cols[years[0]])}$2:${col(cols[years[-1]])}$2"


_CF_COLUMNS = ["Jaar", "Opbrengsten", "Kosten", "Saldo F_y", "Rentepercentage", "Boekwaarde begin", "Rente", "Boekwaarde eind",
               "t_y (jaar)", "Disconteringsfactor", "Contante waarde"]


def _kasstroom(wb: Any, grex: Grex, lay: _Layout) -> None:
    ws = wb.create_sheet("Kasstroom")
    put(ws, 1, 1, "Kasstroom, boekwaarde en contante waarde per jaar (€ nominaal)").font = _TITLE
    put(ws, 2, 1, "Kosten negatief, opbrengsten positief. Boekwaarde volgens de rekening-courantmethode; zie blad Toelichting.")
    _header(ws, lay.cf_row0 - 1, _CF_COLUMNS)
    c0, c1 = lay.calc_row0, lay.last_calc_row
    money = {2, 3, 4, 6, 7, 8, 11}
    for j, year in enumerate(lay.years):
        r = lay.cf_row0 + j
        fc = col(lay.flow_col0 + j)
        rente_cell = f"Indexcijfers!{lay.ix_col(lay.ix_offset + j)}${lay.rente_row}"
        begin = "Openingsboekwaarde" if j == 0 else f"H{r - 1}"
        row = [
            year,
            f'=SUMIF(Berekening!$B${c0}:$B${c1},">0",Berekening!{fc}${c0}:{fc}${c1})',
            f'=SUMIF(Berekening!$B${c0}:$B${c1},"<0",Berekening!{fc}${c0}:{fc}${c1})',
            f"=B{r}+C{r}",
            f"={rente_cell}",
            f"={begin}",
            f"=H{r}-F{r}-D{r}",
            f'=IF(Timing="start",(F{r}+D{r})*(1+E{r}),F{r}*(1+E{r})+D{r}*IF(Timing="mid",SQRT(1+E{r}),1))',
            (f'=IF(Dagtelling="werkelijke_dagen",IF(Timing="start",(DATE(A{r},1,1)-NcwDatum)/365.25,IF(Timing="mid",'
             f'((DATE(A{r}+1,1,1)-NcwDatum)+(DATE(A{r},1,1)-NcwDatum))/2/365.25,(DATE(A{r}+1,1,1)-NcwDatum)/365.25)),'
             f'A{r}+1-NcwJaar-NcwFractie-IF(Timing="mid",0.5,IF(Timing="start",1,0)))'),
            "=(1+Disconteringsvoet)^(-I{r})".replace("{r}", str(r)),
            f"=D{r}*J{r}",
        ]
        for k, v in enumerate(row, start=1):
            c = ws.cell(row=r, column=k, value=v)
            if k in money:
                c.number_format = EUR_FORMAT
            elif k == 5:
                c.number_format = PCT_FORMAT
            elif k in (9, 10):
                c.number_format = FACTOR_FORMAT
    last = lay.cf_row0 + lay.n_years - 1
    tr = last + 1
    put(ws, tr, 1, "Totaal").font = _BOLD
    for k in (2, 3, 4, 7, 11):
        L = col(k)
        c = ws.cell(row=tr, column=k, value=f"=SUM({L}{lay.cf_row0}:{L}{last})")
        c.number_format = EUR_FORMAT
        c.font = _BOLD
    h0 = tr + 2
    put(ws, h0, 1, "Kengetallen").font = _TITLE
    ncw = grex.ncw_date
    tend = f"B{h0 + 4}"  # row of "Tend" below
    heads = [
        ("SaldoNominaal", "Saldo nominaal", f"=D{tr}", EUR_FORMAT, "som van de kasstromen, € nominaal"),
        ("SaldoPrijspeil", "Saldo op prijspeil", f"=Berekening!E{lay.last_calc_row + 1}", EUR_FORMAT, f"€ prijspeil {grex.prijspeil:%d-%m-%Y}"),
        ("Eindwaarde", f"Eindwaarde per 31-12-{grex.end_year}", f"=H{last}", EUR_FORMAT, "boekwaarde incl. rente, € nominaal"),
        ("Tend", "T_end (jaren)", '=IF(Dagtelling="werkelijke_dagen",(DATE(EindJaar+1,1,1)-NcwDatum)/365.25,EindJaar+1-NcwJaar-NcwFractie)', FACTOR_FORMAT,
         "tijd van NCW-datum tot 31-12 van het eindjaar (volgens de Dagtelling)"),
        ("NCW", f"NCW (BBV) per {ncw:%d-%m-%Y}", f"=H{last}/(1+Disconteringsvoet)^{tend}", EUR_FORMAT, "Eindwaarde / (1 + d)^T_end"),
        ("ContanteWaarde", f"Contante waarde kasstromen per {ncw:%d-%m-%Y}", f"=K{tr}", EUR_FORMAT, "som F_y × (1 + d)^(−t_y)"),
        ("TotaleRente", "Totale rente", f"=G{tr}", EUR_FORMAT, "som van de rente over de boekwaarde"),
    ]
    for i, (name, label, formula, fmt, note) in enumerate(heads, start=1):
        r = h0 + i
        put(ws, r, 1, label).font = _BOLD
        c = ws.cell(row=r, column=2, value=formula)
        c.number_format = fmt
        c.font = _BOLD
        put(ws, r, 3, note)
        _name(wb, name, "Kasstroom", f"$B${r}")
    ws.freeze_panes = ws.cell(row=lay.cf_row0, column=2)
    ws.column_dimensions["A"].width = 42
    for k in range(2, len(_CF_COLUMNS) + 1):
        ws.column_dimensions[col(k)].width = 19


def kasstroom_cells(grex: Grex) -> dict[str, list[str]]:
    """Cell addresses on sheet ``Kasstroom`` of each yearly column (for reading a recalculated export back).

    Keys: ``opbrengsten, kosten, saldo, rente, boekwaarde, t, disconteringsfactor, contante_waarde``; each a list
    over the years of the grid.
    """
    lay = _Layout(grex)
    rows = [lay.cf_row0 + j for j in range(lay.n_years)]
    letters = {"opbrengsten": "B", "kosten": "C", "saldo": "D", "rente": "G", "boekwaarde": "H", "t": "I", "disconteringsfactor": "J", "contante_waarde": "K"}
    return {k: [f"{L}{r}" for r in rows] for k, L in letters.items()}


def berekening_cells(grex: Grex) -> np.ndarray:
    """Cell addresses ``(L, Y)`` on sheet ``Berekening`` of the flow of each line in each year."""
    lay = _Layout(grex)
    return np.array([[f"{col(lay.flow_col0 + j)}{lay.calc_row0 + i}" for j in range(lay.n_years)] for i in range(lay.n_lines)], dtype=object).reshape(lay.n_lines, lay.n_years)


__all__ = ["CALC_SHEETS", "HEADLINE_NAMES", "INPUT_SHEETS", "berekening_cells", "export_grex_xlsx", "grex_workbook", "kasstroom_cells"]
