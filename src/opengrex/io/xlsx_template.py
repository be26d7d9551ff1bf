"""The Excel template of a grex is the input part of its download: the sheets Algemeen, Indexreeksen, Kosten and
Opbrengsten laid out from the model (:mod:`opengrex.io.xlsx_invoer`), empty or filled, and the one importer that reads
them (also from a full download with live formulas, and from the template of the first version, whose sheet
``Indices`` and column labels it still understands).

:func:`import_grex_xlsx` reads a filled template into a validated :class:`~opengrex.model.grex.Grex`; every error
names the file, sheet and cell (``grex.xlsx, blad Kosten, cel B7``), the field, the value and what is allowed.
:func:`grex_to_template` writes a grex into the template (round trip: import gives an equal model).

The helpers below the grex functions (:class:`_Reader`, :func:`_to_number`, …) are the cell reader of the
kostenverhaal template (:mod:`opengrex.io.xlsx_case`).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter as col
from openpyxl.worksheet.datavalidation import DataValidation

from opengrex.errors import InputError
from opengrex.formatting import EXCEL_EUR_FORMAT
from opengrex.io.documents import Locator, build_model, check_readable
from opengrex.io.xlsx_cells import put
from opengrex.io.xlsx_invoer import CellReader, Herkomst, parse_date, read_invoer, to_number, workbook_bytes, write_notes, write_workbook
from opengrex.model.grex import Grex

DEFAULT_YEARS = range(2020, 2061)
"""Year columns of the empty template (add or remove columns as needed: the header must be a year)."""
TEMPLATE_ROWS = 500
"""Rows with drop-down lists in the empty template (Kosten and Opbrengsten)."""

EUR_FORMAT = EXCEL_EUR_FORMAT
PCT_FORMAT = "0.00%"
DATE_FORMAT = "DD-MM-YYYY"

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")
_INPUT_FILL = PatternFill("solid", fgColor="FFF6D5")
TEMPLATE_TITLE = "Sjabloon grondexploitatie (opengrex)"


# ---------------------------------------------------------------------------------------------------- writing
def write_grex_template(path: Path) -> None:
    """Write the empty, documented Excel template for a grex (year columns 2020–2060)."""
    wb, _ = write_workbook(Grex, None, Herkomst(soort="grex", model="Grex"), titel=TEMPLATE_TITLE)
    Path(path).write_bytes(workbook_bytes(wb))


def grex_to_template(grex: Grex, path: Path) -> None:
    """Write ``grex`` into the Excel template (for editing in Excel; :func:`import_grex_xlsx` reads it back).

    Numbers are stored with 16 significant digits (openpyxl; Excel shows 15), so the round trip is exact for every
    number a person types; a float whose shortest form needs 17 digits comes back within 1 unit in the last place.
    """
    p = grex.prijspeil.year
    wb, _ = write_workbook(Grex, grex.model_dump(mode="json"), Herkomst(soort="grex", model="Grex", naam=grex.name), titel=f"Grondexploitatie: {grex.name}",
                           jaren=list(grex.years), reeksjaren=list(range(min(p, grex.start_year), grex.end_year + 1)))
    Path(path).write_bytes(workbook_bytes(wb))


def import_grex_xlsx(path: Path) -> Grex:
    """Read a filled Excel template or a grex download (see :func:`write_grex_template`) into a validated :class:`Grex`.

    Raises :class:`~opengrex.errors.InputError` (or :class:`~opengrex.errors.InputErrors` with every error found)
    naming the file, sheet and cell, the field, the value and what is allowed; an unreadable or non-xlsx file
    gives an ``InputError`` as well.
    """
    p = check_readable(path)
    if p.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError("onbekend bestandstype", location=str(p), value=p.suffix, allowed=".xlsx (Excel-sjabloon)")
    invoer = read_invoer(p, Grex, source=p.name, soort="grex", open_source=str(p))
    return build_model(Grex, invoer.data, invoer.locator, Grex.check)


def _header(ws, row: int, labels: list, col0: int = 1) -> None:
    for j, label in enumerate(labels):
        c = ws.cell(row=row, column=col0 + j, value=label)
        c.font = _BOLD
        c.fill = _HEAD_FILL
        c.alignment = Alignment(horizontal="center", wrap_text=True)


def _put(ws, row: int, column: int, value: Any, fmt: str | None = None):
    c = put(ws, row, column, value)  # text is text: a name such as "=fase 1" never becomes a formula
    if fmt:
        c.number_format = fmt
    return c


def _list_validation(formula: str, title: str, what: str) -> DataValidation:
    return DataValidation(
        type="list", formula1=formula, allow_blank=True, showErrorMessage=True, showDropDown=False,
        errorTitle=title, error=f"Kies een {what} uit de lijst.", promptTitle=title, prompt=f"Kies een {what} uit de lijst.",
    )


# ---------------------------------------------------------------------------------------------------- reading


class XlsxLocator(Locator):
    """Maps a model path (``("kosten", 2, "phasing", 2027)``) to ``file, blad Kosten, cel H5``."""

    def add(self, path: tuple, sheet: str, ref: str) -> None:
        self.places[tuple(path)] = f"blad {sheet}, {'cellen' if ':' in ref else 'cel'} {ref}"


class _Reader(CellReader):
    """The cell reader of the kostenverhaal template (:mod:`opengrex.io.xlsx_case`): values, labels, numbers."""

    ALLOWED = "een .xlsx-bestand gemaakt met 'opengrex kostenverhaal template'"

    def __init__(self, path: Path) -> None:
        super().__init__(path, path.name, str(path), self.ALLOWED)
        self.path = path
        self.loc = XlsxLocator(self.source)

    def labels(self, ws, first: int = 1) -> dict[str, int]:
        """Row number of each label in column A (lower case, first occurrence), from row ``first`` on."""
        out: dict[str, int] = {}
        for r in range(first, ws.max_row + 1):
            label = ws.cell(row=r, column=1).value
            if isinstance(label, str) and label.strip():
                out.setdefault(label.strip().lower(), r)
        return out

    def number(self, ws, row: int, column: int, field: str, v: Any) -> float | None:
        num = _to_number(v)
        if num is None:
            self.err(ws.title, f"{col(column)}{row}", field, "geen getal", v, "een getal, bijv. 1250000 of 0,35")
        return num


_to_number = to_number
"""A cell value as float (the name the kostenverhaal template imports)."""
_parse_date = parse_date


def _year(v: Any) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, str) and v.strip().isdigit():
        v = int(v.strip())
    return v if isinstance(v, int) and 1800 <= v <= 2300 else None


GENERAL_FIELDS_ALLOWED = {"text": "tekst", "date": "een datum, bijv. 01-01-2025", "int": "een jaartal, bijv. 2025",
                          "timing": "end, mid of start", "dagtelling": "hele_jaren of werkelijke_dagen", "number": "een getal"}


__all__ = ["TEMPLATE_TITLE", "XlsxLocator", "grex_to_template", "import_grex_xlsx", "write_grex_template", "write_notes"]
