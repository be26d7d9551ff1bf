"""The eindafrekening as an Excel workbook with live formulas (bijlage A4 Nota Kostenverhaal Soest 2023; art. 13.20
Ow; wettelijke rente art. 6:119 BW): change a cost, a date or the paid amount in Excel or LibreOffice and the amount
due, the refund and the interest follow. Formulas mirror the engine rules (:mod:`opengrex.engine.eindafrekening`):

- each cost contant op de betaaldatum: ``bedrag × (1 + d) ^ −((datum − betaaldatum) / 365)``;
- verschuldigd = aandeel × Σ contant; terugbetaling = verschil − drempel × betaald when the verschil exceeds it;
- interest per rentejaar and rate period: ``grondslag × percentage × dagen / 365``; the grondslag of a year is that
  of the year before plus its interest (yearly compounding, lid 2).

The rate periods (van, tot, percentage) are the ones the engine used; a planschade settlement is geraamd − werkelijk.
The workbook also holds the eindafrekening's input sheets laid out from the model (:mod:`opengrex.io.xlsx_invoer`:
Algemeen, Categorieën waarvoor betaald is, Herberekende kosten; stamped with the document and version it is made
from): the sheet ``Eindafrekening`` refers to their cells, so a cost, a date or the paid amount changed there changes
every figure, and the workbook can be uploaded back as a new version.

Defined names: ``Verschuldigd``, ``Terugbetaling``, ``Rente``, ``TotaalTerug`` (planschade: ``Saldo``,
``Terugbetaling``, ``Naheffing``). Text from the document is written as text (:mod:`opengrex.io.xlsx_cells`).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl.styles import Font
from openpyxl.workbook.defined_name import DefinedName

from opengrex.engine.eindafrekening import DAYS_PER_YEAR
from opengrex.io.xlsx_cells import Formula, put
from opengrex.io.xlsx_invoer import Herkomst, InvoerCells, workbook_bytes, write_workbook

EURO = '"€" #,##0.00;[Red]"€" -#,##0.00'
PCT = "0.00%"
DATE = "dd-mm-yyyy"
SHEET = "Eindafrekening"


def write_eindafrekening_xlsx(result: Any, path: str | Path, herkomst: Herkomst | None = None) -> Path:
    """Write the workbook of an eindafrekening result (duck typed: ``invoer``, ``drempel``, ``aandeel``,
    ``rente_regels``, ``soort``, ``parameterset``) to ``path``."""
    target = Path(path)
    target.write_bytes(eindafrekening_workbook_bytes(result, herkomst))
    return target


def eindafrekening_workbook_bytes(result: Any, herkomst: Herkomst | None = None) -> bytes:
    """The workbook (sheet ``Eindafrekening`` first, then the input sheets) as .xlsx bytes, stamped with
    ``herkomst``."""
    inv = result.invoer
    wb, cells = write_workbook(type(inv), inv.model_dump(mode="json"), herkomst or Herkomst(soort="eindafrekening", naam=inv.naam),
                               titel=f"Eindafrekening: {inv.naam}")
    ws = wb.create_sheet(SHEET, 0)
    put(ws, 1, 1, inv.naam).font = Font(bold=True, size=13)
    put(ws, 2, 1, f"Eindafrekening ({result.soort}) · parameterset {result.parameterset} · bedragen in euro's; "
                  "de invoer staat op de bladen Algemeen en verder: wijzig haar daar")
    if result.soort == "planschade":
        _planschade(wb, ws, inv, cells)
    else:
        _bijdrage(wb, ws, result, inv, cells)
    ws.column_dimensions["A"].width = 34
    for col in "BCDEFG":
        ws.column_dimensions[col].width = 18
    wb.active = 0
    return workbook_bytes(wb)


def _name(wb: Any, name: str, ref: str) -> None:
    wb.defined_names[name] = DefinedName(name, attr_text=f"'{SHEET}'!{ref}")


def _live(cells: InvoerCells, path: tuple, value: Any, number: bool = True) -> Any:
    """A reference to the input cell of ``path`` (``N(…)`` for a number: an empty cell is 0), or ``value`` when the
    input sheets do not hold it."""
    if path not in cells.places:
        return value
    return Formula(f"=N({cells.ref(path)})" if number else f"={cells.ref(path)}")


def _input(ws: Any, row: int, label: str, value: Any, fmt: str | None = None) -> None:
    """A value the rules take: a reference to its input cell, or a fixed value (a parameter)."""
    put(ws, row, 1, label)
    c = put(ws, row, 2, value)
    if fmt:
        c.number_format = fmt


def _result(ws: Any, row: int, label: str, formula: str, fmt: str = EURO, bold: bool = False) -> None:
    put(ws, row, 1, label).font = Font(bold=bold)
    c = put(ws, row, 2, Formula(formula))
    c.number_format = fmt
    c.font = Font(bold=bold)


def _planschade(wb: Any, ws: Any, inv: Any, cells: InvoerCells) -> None:
    p = inv.planschade
    _input(ws, 4, "Geraamde planschade", _live(cells, ("planschade", "geraamd"), float(p.geraamd)), EURO)
    _input(ws, 5, "Werkelijke planschade", _live(cells, ("planschade", "werkelijk"), float(p.werkelijk)), EURO)
    _result(ws, 7, "Saldo (geraamd − werkelijk)", "=B4-B5")
    _result(ws, 8, "Terugbetaling aan de initiatiefnemer", "=MAX(B7,0)", bold=True)
    _result(ws, 9, "Naheffing bij de initiatiefnemer", "=MAX(-B7,0)", bold=True)
    for name, ref in (("Saldo", "$B$7"), ("Terugbetaling", "$B$8"), ("Naheffing", "$B$9")):
        _name(wb, name, ref)


def _bijdrage(wb: Any, ws: Any, result: Any, inv: Any, cells: InvoerCells) -> None:
    b = inv.betaling
    _input(ws, 4, "Betaald (bijdrage)", _live(cells, ("betaling", "bedrag"), float(b.bedrag)), EURO)
    _input(ws, 5, "Betaaldatum", _live(cells, ("betaling", "datum"), b.datum), DATE)
    _input(ws, 6, "Datum eindafrekening", _live(cells, ("datum",), inv.datum), DATE)
    _input(ws, 8, "Disconteringsvoet", _live(cells, ("disconteringsvoet",), float(inv.disconteringsvoet)), PCT)
    _input(ws, 9, "Drempel (bijlage A4)", float(result.drempel), PCT)
    _input(ws, 10, "Dagen per jaar", DAYS_PER_YEAR, "0")
    # costs per line, discounted to the payment date
    top = 13
    for j, h in enumerate(("Categorie", "Omschrijving", "Datum", "Bedrag", "Jaren na betaling", "Contant op betaaldatum"), start=1):
        put(ws, top - 1, j, h).font = Font(bold=True)
    omschrijving = {c.categorie: c.omschrijving or "" for c in inv.categorieen}
    rows = list(inv.kosten)
    for i, k in enumerate(rows):
        r = top + i
        put(ws, r, 1, _live(cells, ("kosten", i, "categorie"), k.categorie, number=False))
        put(ws, r, 2, omschrijving.get(k.categorie, ""))
        put(ws, r, 3, _live(cells, ("kosten", i, "datum"), k.datum)).number_format = DATE
        put(ws, r, 4, _live(cells, ("kosten", i, "bedrag"), float(k.bedrag))).number_format = EURO
        put(ws, r, 5, Formula(f"=(C{r}-$B$5)/$B$10")).number_format = "0.0000"
        put(ws, r, 6, Formula(f"=D{r}*(1+$B$8)^(-E{r})")).number_format = EURO
    last = top + max(len(rows), 1) - 1
    r = last + 2
    # per category: estimate and recomputed
    for j, h in enumerate(("Categorie", "Omschrijving", "Raming", "Herberekend contant", "Verschil"), start=1):
        put(ws, r, j, h).font = Font(bold=True)
    cat_top = r + 1
    for i, c in enumerate(inv.categorieen):
        rr = cat_top + i
        put(ws, rr, 1, _live(cells, ("categorieen", i, "categorie"), c.categorie, number=False))
        put(ws, rr, 2, c.omschrijving or "")
        put(ws, rr, 3, _live(cells, ("categorieen", i, "raming"), float(c.raming))).number_format = EURO
        put(ws, rr, 4, Formula(f"=SUMIF($A${top}:$A${last},A{rr},$F${top}:$F${last})")).number_format = EURO
        put(ws, rr, 5, Formula(f"=D{rr}-C{rr}")).number_format = EURO
    cat_last = cat_top + max(len(inv.categorieen), 1) - 1
    # aandeel: given, or betaald / Σ raming (live: filled in or emptied on Algemeen, the workbook follows)
    derived = f"B4/SUM(C{cat_top}:C{cat_last})"
    if ("aandeel",) in cells.places:
        given = cells.ref(("aandeel",))
        _result(ws, 7, "Aandeel van het plan (gegeven, anders betaald / Σ raming)", f"=IF(ISNUMBER({given}),{given},{derived})", PCT)
    elif inv.aandeel is None:
        _result(ws, 7, "Aandeel van het plan (betaald / Σ raming)", f"={derived}", PCT)
    else:
        _input(ws, 7, "Aandeel van het plan", float(inv.aandeel), PCT)
    r = cat_last + 2
    _result(ws, r, "Kosten contant op de betaaldatum", f"=SUM(F{top}:F{last})")
    _result(ws, r + 1, "Verschuldigd na herberekening", f"=B7*B{r}", bold=True)
    _result(ws, r + 2, "Verschil (betaald − verschuldigd)", f"=B4-B{r + 1}")
    _result(ws, r + 3, "Drempelbedrag (drempel × betaald)", "=B9*B4")
    _result(ws, r + 4, "Terugbetaling", f"=IF(B{r + 2}>B{r + 3},B{r + 2}-B{r + 3},0)", bold=True)
    refund = f"B{r + 4}"
    _name(wb, "KostenContant", f"$B${r}")
    _name(wb, "Verschuldigd", f"$B${r + 1}")
    _name(wb, "Terugbetaling", f"$B${r + 4}")
    # interest per rentejaar and rate period
    r0 = r + 7
    put(ws, r0 - 1, 1, f"Wettelijke rente over de terugbetaling ({getattr(result, 'rente_bron', '') or 'rentetabel'})").font = Font(bold=True)
    for j, h in enumerate(("Rentejaar", "Van", "Tot", "Dagen", "Rentepercentage", "Grondslag", "Rente"), start=1):
        put(ws, r0, j, h).font = Font(bold=True)
    regels = list(result.rente_regels)
    first_of_year: dict[int, int] = {}
    for i, reg in enumerate(regels):
        rr = r0 + 1 + i
        year = int(reg["rentejaar"])
        put(ws, rr, 1, year)
        put(ws, rr, 2, reg["van"]).number_format = DATE
        put(ws, rr, 3, reg["tot"]).number_format = DATE
        put(ws, rr, 4, Formula(f"=C{rr}-B{rr}")).number_format = "0"
        put(ws, rr, 5, float(reg["rente_pct"])).number_format = PCT
        if year in first_of_year:
            grondslag = f"=F{first_of_year[year]}"
        elif year - 1 in first_of_year:
            prev = first_of_year[year - 1]
            grondslag = f"=F{prev}+SUMIF($A${r0 + 1}:$A${rr - 1},{year - 1},$G${r0 + 1}:$G${rr - 1})"
        else:
            grondslag = f"={refund}"
        first_of_year.setdefault(year, rr)
        put(ws, rr, 6, Formula(grondslag)).number_format = EURO
        put(ws, rr, 7, Formula(f"=F{rr}*E{rr}*D{rr}/$B$10")).number_format = EURO
    rl = r0 + max(len(regels), 1)
    total = rl + 2
    _result(ws, total, "Rente", f"=SUM(G{r0 + 1}:G{rl})" if regels else "=0", bold=True)
    _result(ws, total + 1, "Totaal terug (terugbetaling + rente)", f"={refund}+B{total}", bold=True)
    _name(wb, "Rente", f"$B${total}")
    _name(wb, "TotaalTerug", f"$B${total + 1}")


__all__ = ["eindafrekening_workbook_bytes", "write_eindafrekening_xlsx"]
