"""Export a grex to an Excel workbook with live formulas: a spreadsheet a reviewer can check line by line.

The workbook recomputes the whole grex (spec ``shared/spec/grondexploitatie.md`` §1–§4) in spreadsheet formulas,
independently of the numpy engine; after recalculation (Excel, or LibreOffice via
:func:`opengrex.io.libreoffice.recalculate`) it equals :func:`opengrex.services.grex.calculate_grex` to the cent.

Sheets
------
``Toelichting``  what each sheet holds and every formula used.
``Invoer``       general parameters (defined names ``Prijspeil``, ``PrijspeilJaar``, ``StartJaar``, ``EindJaar``,
                 ``Timing``, ``Disconteringsvoet``, ``NcwDatum``, ``NcwJaar``, ``NcwFractie``,
                 ``Openingsboekwaarde``, ``Dagtelling``) and the lines table: naam, soort, code, teken (+1/-1), bedrag op
                 prijspeil, indexreeks, fasering as shares per year, gerealiseerd per year, gerealiseerd-vlag
                 per year.
``Indices``      rente per year, index rates per series and the index factors ``I_y`` as formulas.
``Berekening``   nominal signed flow per line per year (INDEX/MATCH on the series name).
``Kasstroom``    per year opbrengsten, kosten, saldo, rente, boekwaarde, discount time, factor, contante waarde;
                 headline figures with defined names ``SaldoNominaal``, ``SaldoPrijspeil``, ``Eindwaarde``,
                 ``Tend``, ``NCW``, ``ContanteWaarde``, ``TotaleRente``.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter as col
from openpyxl.workbook.defined_name import DefinedName

from opengrex.formatting import EXCEL_EUR_FORMAT
from opengrex.io.xlsx_cells import text_cell
from opengrex.io.xlsx_template import write_notes
from opengrex.model.base import rate_on_years
from opengrex.model.grex import Grex, line_labels

EUR_FORMAT = EXCEL_EUR_FORMAT
PCT_FORMAT = "0.00%"
FACTOR_FORMAT = "0.000000"
DATE_FORMAT = "DD-MM-YYYY"

HEADLINE_NAMES = ("SaldoNominaal", "SaldoPrijspeil", "Eindwaarde", "Tend", "NCW", "ContanteWaarde", "TotaleRente")
"""Defined names of the headline figures on sheet ``Kasstroom``."""

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")
_INPUT_FILL = PatternFill("solid", fgColor="FFF6D5")

# Invoer layout
_PARAM_ROW0 = 3
_LINES_GROUP_ROW = 17
_LINES_HEAD_ROW = 18
_LINES_ROW0 = 19
_FIXED_COLS = 6  # A naam, B soort, C code, D teken, E bedrag, F index


class _Layout:
    """Cell positions shared by the sheets (computed once per export)."""

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
        # Invoer column blocks (1-based)
        self.share_col0 = _FIXED_COLS + 1
        self.real_col0 = self.share_col0 + self.n_years
        self.flag_col0 = self.real_col0 + self.n_years
        # Indices rows
        self.ix_year_row = 3
        self.rente_row = 4
        self.rate_row0 = 7
        self.factor_head_row = self.rate_row0 + self.n_series + 1
        self.factor_row0 = self.factor_head_row + 1
        self.ix_col0 = 2  # column B = first index year
        # Berekening
        self.calc_row0 = 4
        self.calc_col0 = 5  # E = first grid year
        # Kasstroom
        self.cf_row0 = 4

    @property
    def last_line_row(self) -> int:
        return _LINES_ROW0 + max(self.n_lines, 1) - 1

    @property
    def last_calc_row(self) -> int:
        return self.calc_row0 + max(self.n_lines, 1) - 1

    def ix_col(self, k: int) -> str:
        """Column letter of index-grid position ``k`` on sheet Indices."""
        return col(self.ix_col0 + k)

    def table_ref(self, row0: int) -> str:
        """Absolute reference of a series block (rates or factors) on sheet Indices, without the name column."""
        return f"Indices!${self.ix_col(0)}${row0}:${self.ix_col(len(self.ix_years) - 1)}${row0 + self.n_series - 1}"


def _name(wb: Workbook, name: str, sheet: str, ref: str) -> None:
    wb.defined_names[name] = DefinedName(name, attr_text=f"'{sheet}'!{ref}")


def _text(ws, row: int, column: int, value: str):
    """A text cell: user text never becomes a formula (:func:`opengrex.io.xlsx_cells.text_cell`)."""
    return text_cell(ws, row, column, value)


def _header(ws, row: int, labels: list, col0: int = 1) -> None:
    for j, label in enumerate(labels):
        c = ws.cell(row=row, column=col0 + j, value=label)
        c.font = _BOLD
        c.fill = _HEAD_FILL
        c.alignment = Alignment(horizontal="center", wrap_text=True)


def export_grex_xlsx(grex: Grex, path: Path) -> None:
    """Write ``grex`` as an ``.xlsx`` workbook with live formulas (Invoer, Indices, Berekening, Kasstroom).

    Every result cell is a formula on the input cells, so the workbook is an independent evaluation of the
    grex rules (spec ``grondexploitatie.md`` §1–§4); recalculated it reproduces
    :func:`opengrex.services.grex.calculate_grex` to €0,01. The workbook holds no cached values: Excel and LibreOffice
    compute every formula when it is opened. Amounts in euros: inputs at prijspeil, flows nominal.
    """
    grex.validated()
    arrays = grex.compile()
    lay = _Layout(grex)
    wb = Workbook()
    wb.calculation.fullCalcOnLoad = True
    _toelichting(wb.active, grex, lay)
    _invoer(wb, grex, arrays, lay)
    _indices(wb, grex, lay)
    _berekening(wb, lay)
    _kasstroom(wb, grex, lay)
    wb.save(Path(path))


# ---------------------------------------------------------------------------------------------------- sheets
def _toelichting(ws, grex: Grex, lay: _Layout) -> None:
    ws.title = "Toelichting"
    rows = [
        (f"Grondexploitatie: {grex.name}", _TITLE),
        (f"Gemaakt door opengrex. Prijspeil {grex.prijspeil:%d-%m-%Y}; bedragen in euro's. Invoerbedragen zijn op prijspeil, kasstromen nominaal (lopende prijzen). "
         "Kosten negatief, opbrengsten positief; een positief saldo is een overschot.", None),
        ("Alle uitkomsten zijn formules op de invoer: wijzig een invoercel (gele cellen) en het werkboek rekent opnieuw. "
         "Bron van de rekenregels: opengrex, shared/spec/grondexploitatie.md §1–§4.", None),
        ("", None),
        ("Blad Invoer", _BOLD),
        ("Algemene parameters met namen: Prijspeil, PrijspeilJaar (=JAAR(Prijspeil)), StartJaar, EindJaar, Timing (end = 31 december, mid = 1 juli, start = 1 januari), "
         "Disconteringsvoet, NcwDatum, NcwJaar, NcwFractie (verstreken deel van het NCW-jaar: (NcwDatum − 1 jan) / dagen in dat jaar), Openingsboekwaarde, "
         "Dagtelling (hele_jaren of werkelijke_dagen).", None),
        ("Posten: naam, soort (kosten/opbrengsten), kostensoort of opbrengstsoort, teken (−1 kosten, +1 opbrengsten), bedrag op prijspeil (positief), indexreeks; "
         "daarna per jaar de fasering als aandeel (som 1), het gerealiseerde bedrag (nominaal) en de vlag 'gerealiseerd' (1 = het gerealiseerde bedrag vervangt de raming).", None),
        ("", None),
        ("Blad Indices", _BOLD),
        ("Rij 'Rente (boekwaarde)': rentepercentage per jaar over de boekwaarde. Daaronder per indexreeks het indexpercentage per jaar r_y "
         "(het laatst opgegeven percentage geldt voor latere jaren).", None),
        ("Indexcijfers I_y (prijspeil = 1): I_p = 1 in het prijspeiljaar p; na p: I_y = I_(y−1) × (1 + r_(y−1)); vóór p: I_y = I_(y+1) / (1 + r_y).", None),
        ("", None),
        ("Blad Berekening", _BOLD),
        ("Per post per jaar de nominale kasstroom met teken: ALS(gerealiseerd; teken × gerealiseerd; teken × bedrag × aandeel_y × I_y × halfjaarfactor). "
         "De indexreeks wordt opgezocht met INDEX/VERGELIJKEN op de naam (kolom 'Reeksrij'). Halfjaarfactor = (1 + r_y)^0,5 bij timing 'mid', anders 1. "
         "Kolom 'Saldo prijspeil' = teken × (bedrag × som van de aandelen in de jaren zonder gerealiseerd-vlag + som van gerealiseerd / I_y in de jaren "
         "met vlag): een gerealiseerd bedrag teruggerekend naar prijspeil (spec §8).", None),
        ("", None),
        ("Blad Kasstroom", _BOLD),
        ("Per jaar: opbrengsten (SOM.ALS teken > 0), kosten (SOM.ALS teken < 0), saldo F_y, rentepercentage, boekwaarde begin, rente en boekwaarde eind (rekening-courant):", None),
        ("  end: B_y = B_(y−1) × (1 + rente_y) + F_y;  mid: B_y = B_(y−1) × (1 + rente_y) + F_y × (1 + rente_y)^0,5;  start: B_y = (B_(y−1) + F_y) × (1 + rente_y). "
         "Rente_y = B_y − B_(y−1) − F_y. De eerste beginboekwaarde is de Openingsboekwaarde.", None),
        ("  t_y = jaar + 1 − NcwJaar − NcwFractie (0,5 minder bij mid, 1 minder bij start); disconteringsfactor = (1 + d)^(−t_y); contante waarde = F_y × factor. "
         "Met Dagtelling 'werkelijke_dagen': t_y = (31-12 van het jaar − NcwDatum in dagen) / 365,25; bij start tot 31-12 van het jaar ervoor, bij mid het midden (spec §10).", None),
        ("Kengetallen (met namen): SaldoNominaal = som F_y; SaldoPrijspeil = som van de saldi op prijspeil; Eindwaarde = boekwaarde op 31-12 van het eindjaar; "
         "Tend = EindJaar + 1 − NcwJaar − NcwFractie; NCW (BBV) = Eindwaarde / (1 + d)^Tend; ContanteWaarde = som van de contante waarden van de kasstromen; "
         "TotaleRente = som van de rente.", None),
        ("NCW (BBV) en de contante waarde van de kasstromen zijn gelijk als de rente gelijk is aan de disconteringsvoet en de openingsboekwaarde 0 is; anders verschillen ze.", None),
    ]
    write_notes(ws, rows)


def _invoer(wb: Workbook, grex: Grex, arrays, lay: _Layout) -> None:
    ws = wb.create_sheet("Invoer")
    ws["A1"] = f"Invoer — {grex.name}"  # starts with "Invoer", never a formula
    ws["A1"].font = _TITLE
    ncw = grex.ncw_date
    params = [
        ("Naam", grex.name, None, None, ""),
        ("Prijspeil", grex.prijspeil, "Prijspeil", DATE_FORMAT, "datum waarop alle invoerbedragen zijn uitgedrukt"),
        ("Prijspeiljaar", f"=YEAR(B{_PARAM_ROW0 + 1})", "PrijspeilJaar", "0", "formule"),
        ("Startjaar", grex.start_year, "StartJaar", "0", "eerste jaar van de looptijd"),
        ("Eindjaar", grex.end_year, "EindJaar", "0", "laatste jaar van de looptijd"),
        ("Timing", grex.timing, "Timing", None, "moment van de kasstroom in het jaar: end (31-12), mid (1-7), start (1-1)"),
        ("Disconteringsvoet", float(grex.disconteringsvoet), "Disconteringsvoet", PCT_FORMAT, "voor NCW en contante waarde (BBV: 2%)"),
        ("NCW-datum", ncw, "NcwDatum", DATE_FORMAT, "datum waarop NCW en contante waarde zijn uitgedrukt"),
        ("NCW-jaar", f"=YEAR(B{_PARAM_ROW0 + 7})", "NcwJaar", "0", "formule"),
        ("NCW-jaarfractie", f"=(B{_PARAM_ROW0 + 7}-DATE(B{_PARAM_ROW0 + 8},1,1))/(DATE(B{_PARAM_ROW0 + 8}+1,1,1)-DATE(B{_PARAM_ROW0 + 8},1,1))",
         "NcwFractie", FACTOR_FORMAT, "formule: verstreken deel van het NCW-jaar"),
        ("Openingsboekwaarde", float(grex.opening_book_value), "Openingsboekwaarde", EUR_FORMAT, "boekwaarde vóór het startjaar (€ nominaal)"),
        ("Rente", "zie blad Indices, rij 'Rente (boekwaarde)'", None, None, ""),
        ("Dagtelling", grex.dagtelling, "Dagtelling", None, "hele_jaren (T in hele jaren, standaard) of werkelijke_dagen (dagen tot 31-12 / 365,25; spec §10)"),
    ]
    for i, (label, value, name, fmt, note) in enumerate(params):
        r = _PARAM_ROW0 + i
        ws.cell(row=r, column=1, value=label).font = _BOLD
        c = _text(ws, r, 2, value) if label == "Naam" else ws.cell(row=r, column=2, value=value)
        if fmt:
            c.number_format = fmt
        if not (isinstance(value, str) and value.startswith("=")) and name:
            c.fill = _INPUT_FILL
        ws.cell(row=r, column=3, value=note)
        if name:
            _name(wb, name, "Invoer", f"$B${r}")

    y = lay.years
    ny = lay.n_years
    ws.cell(row=_LINES_GROUP_ROW, column=1, value="Posten").font = _BOLD
    for label, c0 in (("Fasering (aandeel per jaar, som 1)", lay.share_col0), ("Gerealiseerd (€ nominaal)", lay.real_col0), ("Gerealiseerd-vlag (1 = gerealiseerd)", lay.flag_col0)):
        c = ws.cell(row=_LINES_GROUP_ROW, column=c0, value=label)
        c.font = _BOLD
    _header(ws, _LINES_HEAD_ROW, ["Naam", "Soort", "Kostensoort / opbrengstsoort", "Teken", "Bedrag prijspeil (€)", "Indexreeks"] + y * 3)
    labels = line_labels(grex)
    share, realised, mask = arrays.share, arrays.realised, arrays.realised_mask
    for i, lab in enumerate(labels):
        r = _LINES_ROW0 + i
        _text(ws, r, 1, lab["naam"])
        ws.cell(row=r, column=2, value=lab["soort"])
        ws.cell(row=r, column=3, value=lab["code"])
        ws.cell(row=r, column=4, value=int(arrays.sign[i]))
        c = ws.cell(row=r, column=5, value=float(arrays.amount[i]))
        c.number_format = EUR_FORMAT
        _text(ws, r, 6, lab["index"])
        for j in range(ny):
            ws.cell(row=r, column=lay.share_col0 + j, value=float(share[i, j]))
            c = ws.cell(row=r, column=lay.real_col0 + j, value=float(realised[i, j]))
            c.number_format = EUR_FORMAT
            ws.cell(row=r, column=lay.flag_col0 + j, value=int(mask[i, j]))
    ws.freeze_panes = ws.cell(row=_LINES_ROW0, column=lay.share_col0)
    for letter, width in (("A", 34), ("B", 14), ("C", 22), ("D", 7), ("E", 18), ("F", 24)):
        ws.column_dimensions[letter].width = width
    for j in range(ny):
        ws.column_dimensions[col(lay.share_col0 + j)].width = 9
        ws.column_dimensions[col(lay.real_col0 + j)].width = 15
        ws.column_dimensions[col(lay.flag_col0 + j)].width = 6


def _indices(wb: Workbook, grex: Grex, lay: _Layout) -> None:
    ws = wb.create_sheet("Indices")
    ws["A1"] = "Rente en indexreeksen per jaar"
    ws["A1"].font = _TITLE
    n_ix = len(lay.ix_years)
    ix_range = range(lay.ix_years[0], lay.ix_years[-1] + 1)
    _header(ws, lay.ix_year_row, ["Jaar"] + lay.ix_years)
    ws.cell(row=lay.rente_row, column=1, value="Rente (boekwaarde)").font = _BOLD
    for k, v in enumerate(rate_on_years(grex.rente, ix_range)):
        c = ws.cell(row=lay.rente_row, column=lay.ix_col0 + k, value=v)
        c.number_format = PCT_FORMAT
        c.fill = _INPUT_FILL
    ws.cell(row=lay.rate_row0 - 1, column=1, value="Indexpercentage r_y per reeks").font = _BOLD
    for s, name in enumerate(lay.series):
        r = lay.rate_row0 + s
        _text(ws, r, 1, name)
        for k, v in enumerate(rate_on_years(grex.indices[name], ix_range)):
            c = ws.cell(row=r, column=lay.ix_col0 + k, value=v)
            c.number_format = PCT_FORMAT
            c.fill = _INPUT_FILL
    ws.cell(row=lay.factor_head_row, column=1, value=f"Indexcijfer I_y (prijspeil {lay.ix_years[lay.ix_base]} = 1)").font = _BOLD
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
    for k in range(n_ix):
        ws.column_dimensions[lay.ix_col(k)].width = 11


def _berekening(wb: Workbook, lay: _Layout) -> None:
    ws = wb.create_sheet("Berekening")
    ws["A1"] = "Nominale kasstroom per post per jaar (€ nominaal; kosten negatief)"
    ws["A1"].font = _TITLE
    ws["A2"] = "Formule: ALS(gerealiseerd; teken × gerealiseerd; teken × bedrag × aandeel × I_y × halfjaarfactor); zie blad Toelichting."
    head_row = lay.calc_row0 - 1
    _header(ws, head_row, ["Naam", "Teken", "Reeksrij", "Saldo prijspeil (€)"] + lay.years)
    factors = lay.table_ref(lay.factor_row0)
    rates = lay.table_ref(lay.rate_row0)
    names = f"Indices!$A${lay.rate_row0}:$A${lay.rate_row0 + lay.n_series - 1}"
    for i in range(lay.n_lines):
        r = lay.calc_row0 + i
        q = _LINES_ROW0 + i
        ws.cell(row=r, column=1, value=f"=Invoer!A{q}")
        ws.cell(row=r, column=2, value=f"=Invoer!D{q}")
        ws.cell(row=r, column=3, value=f"=MATCH(Invoer!F{q},{names},0)")
        shares = f"Invoer!{col(lay.share_col0)}{q}:{col(lay.share_col0 + lay.n_years - 1)}{q}"
        reals = f"Invoer!{col(lay.real_col0)}{q}:{col(lay.real_col0 + lay.n_years - 1)}{q}"
        flags = f"Invoer!{col(lay.flag_col0)}{q}:{col(lay.flag_col0 + lay.n_years - 1)}{q}"
        ix_row = f"INDEX({factors},$C{r},{lay.ix_offset + 1}):INDEX({factors},$C{r},{lay.ix_offset + lay.n_years})"
        c = ws.cell(row=r, column=4, value=f"=B{r}*(Invoer!E{q}*SUMPRODUCT({shares},1-{flags})+SUMPRODUCT({reals},{flags}/{ix_row}))")
        c.number_format = EUR_FORMAT
        for j in range(lay.n_years):
            k = lay.ix_offset + j + 1
            sh = col(lay.share_col0 + j)
            re_ = col(lay.real_col0 + j)
            fl = col(lay.flag_col0 + j)
            f = (
                f"=IF(Invoer!{fl}{q}=1,$B{r}*Invoer!{re_}{q},"
                f"$B{r}*Invoer!$E{q}*Invoer!{sh}{q}*INDEX({factors},$C{r},{k})"
                f"*IF(Timing=\"mid\",SQRT(1+INDEX({rates},$C{r},{k})),1))"
            )
            c = ws.cell(row=r, column=lay.calc_col0 + j, value=f)
            c.number_format = EUR_FORMAT
    tr = lay.last_calc_row + 1
    ws.cell(row=tr, column=1, value="Totaal").font = _BOLD
    for cc in [4] + [lay.calc_col0 + j for j in range(lay.n_years)]:
        L = col(cc)
        c = ws.cell(row=tr, column=cc, value=f"=SUM({L}{lay.calc_row0}:{L}{lay.last_calc_row})")
        c.number_format = EUR_FORMAT
        c.font = _BOLD
    ws.freeze_panes = ws.cell(row=lay.calc_row0, column=lay.calc_col0)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 7
    ws.column_dimensions["C"].width = 9
    ws.column_dimensions["D"].width = 18
    for j in range(lay.n_years):
        ws.column_dimensions[col(lay.calc_col0 + j)].width = 16


_CF_COLUMNS = ["Jaar", "Opbrengsten", "Kosten", "Saldo F_y", "Rentepercentage", "Boekwaarde begin", "Rente", "Boekwaarde eind",
               "t_y (jaar)", "Disconteringsfactor", "Contante waarde"]


def _kasstroom(wb: Workbook, grex: Grex, lay: _Layout) -> None:
    ws = wb.create_sheet("Kasstroom")
    ws["A1"] = "Kasstroom, boekwaarde en contante waarde per jaar (€ nominaal)"
    ws["A1"].font = _TITLE
    ws["A2"] = "Kosten negatief, opbrengsten positief. Boekwaarde volgens de rekening-courantmethode; zie blad Toelichting."
    _header(ws, lay.cf_row0 - 1, _CF_COLUMNS)
    c0, c1 = lay.calc_row0, lay.last_calc_row
    money = {2, 3, 4, 6, 7, 8, 11}
    for j, year in enumerate(lay.years):
        r = lay.cf_row0 + j
        fc = col(lay.calc_col0 + j)
        rente_cell = f"Indices!{lay.ix_col(lay.ix_offset + j)}${lay.rente_row}"
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
            f"=(1+Disconteringsvoet)^(-I{r})",
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
    ws.cell(row=tr, column=1, value="Totaal").font = _BOLD
    for k in (2, 3, 4, 7, 11):
        L = col(k)
        c = ws.cell(row=tr, column=k, value=f"=SUM({L}{lay.cf_row0}:{L}{last})")
        c.number_format = EUR_FORMAT
        c.font = _BOLD
    h0 = tr + 2
    ws.cell(row=h0, column=1, value="Kengetallen").font = _TITLE
    ncw = grex.ncw_date
    tend = f"B{h0 + 4}"  # row of "Tend" below
    heads = [
        ("SaldoNominaal", "Saldo nominaal", f"=D{tr}", EUR_FORMAT, "som van de kasstromen, € nominaal"),
        ("SaldoPrijspeil", "Saldo op prijspeil", f"=Berekening!D{lay.last_calc_row + 1}", EUR_FORMAT, f"€ prijspeil {grex.prijspeil:%d-%m-%Y}"),
        ("Eindwaarde", f"Eindwaarde per 31-12-{grex.end_year}", f"=H{last}", EUR_FORMAT, "boekwaarde incl. rente, € nominaal"),
        ("Tend", "T_end (jaren)", '=IF(Dagtelling="werkelijke_dagen",(DATE(EindJaar+1,1,1)-NcwDatum)/365.25,EindJaar+1-NcwJaar-NcwFractie)', FACTOR_FORMAT,
         "tijd van NCW-datum tot 31-12 van het eindjaar (volgens de Dagtelling)"),
        ("NCW", f"NCW (BBV) per {ncw:%d-%m-%Y}", f"=H{last}/(1+Disconteringsvoet)^{tend}", EUR_FORMAT, "Eindwaarde / (1 + d)^T_end"),
        ("ContanteWaarde", f"Contante waarde kasstromen per {ncw:%d-%m-%Y}", f"=K{tr}", EUR_FORMAT, "som F_y × (1 + d)^(−t_y)"),
        ("TotaleRente", "Totale rente", f"=G{tr}", EUR_FORMAT, "som van de rente over de boekwaarde"),
    ]
    for i, (name, label, formula, fmt, note) in enumerate(heads, start=1):
        r = h0 + i
        ws.cell(row=r, column=1, value=label).font = _BOLD
        c = ws.cell(row=r, column=2, value=formula)
        c.number_format = fmt
        c.font = _BOLD
        ws.cell(row=r, column=3, value=note)
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
    return np.array([[f"{col(lay.calc_col0 + j)}{lay.calc_row0 + i}" for j in range(lay.n_years)] for i in range(lay.n_lines)], dtype=object).reshape(lay.n_lines, lay.n_years)
