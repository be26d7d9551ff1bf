"""One bounded reader for every uploaded or imported workbook (grex and case templates, programme workbooks).

An ``.xlsx`` file is a zip of XML files. Before openpyxl opens anything, :func:`check_workbook` looks at the
zip's table of contents and refuses: more than :attr:`WorkbookLimits.max_members` members, more than
:attr:`~WorkbookLimits.max_total` bytes uncompressed, a member larger than :attr:`~WorkbookLimits.max_member`
(a worksheet larger than :attr:`~WorkbookLimits.max_sheet_xml`), or a large member that compresses better than
:attr:`~WorkbookLimits.max_ratio` : 1 (a zip bomb). The sizes in the table of contents are also upper bounds on
what is read: Python's zipfile stops at the declared size.

:func:`open_workbook` then reads each sheet once, cell by cell, keeping only the cells that hold a value: the used
range, whatever the sheet's ``<dimension>`` says. A value beyond :attr:`~WorkbookLimits.max_rows` rows or
:attr:`~WorkbookLimits.max_columns` columns (e.g. one cell at XFD1048576) is an :class:`InputError` naming the
cell; empty formatted cells out there are ignored. So nothing loops to Excel's 1 048 576 rows.

The sheets offer what the readers need from openpyxl: ``title``, ``max_row``, ``max_column``,
``cell(row=, column=).value`` and ``iter_rows(min_row=, values_only=True)``.
"""
from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from opengrex.errors import InputError
from opengrex.io.documents import check_readable


@dataclass(frozen=True)
class WorkbookLimits:
    """What a workbook may hold (generous for any real grex, case or programme)."""

    max_file: int = 20 * 1024 * 1024
    """Size of the .xlsx file itself [bytes]."""
    max_members: int = 2000
    """Files inside the zip [-]."""
    max_total: int = 100 * 1024 * 1024
    """All members uncompressed together [bytes]."""
    max_member: int = 40 * 1024 * 1024
    """One member uncompressed (shared strings, styles, …) [bytes]."""
    max_sheet_xml: int = 16 * 1024 * 1024
    """One worksheet's XML uncompressed [bytes] (a 2000-line grex over 50 years is about 5 MB)."""
    max_ratio: float = 200.0
    """Compression ratio of a member larger than 1 MB uncompressed [-]."""
    max_rows: int = 20_000
    """Last row that may hold a value [-]."""
    max_columns: int = 1_000
    """Last column that may hold a value [-] (column ALL)."""
    max_cells: int = 1_500_000
    """Cell elements read per sheet, empty ones included [-]."""


LIMITS = WorkbookLimits()
_RATIO_FROM = 1024 * 1024

ALLOWED = "een .xlsx-werkboek (Excel-sjabloon van opengrex)"


def _refuse(source: str, message: str, allowed: str, value: Any = None, field: str | None = "bestand") -> InputError:
    return InputError(message, location=source, field=field, value=value, allowed=allowed)


def check_workbook(data: bytes | str | Path, source: str | None = None, limits: WorkbookLimits = LIMITS, allowed: str = ALLOWED) -> None:
    """Refuse a workbook whose zip is too large, too many-membered or compressed like a zip bomb — before any
    XML is parsed. ``data``: the file's bytes or its path."""
    if isinstance(data, (str, Path)):
        p = check_readable(data)
        source = source or p.name
        size = p.stat().st_size
        if size > limits.max_file:
            raise _refuse(source, f"werkboek te groot ({size} bytes)", f"hoogstens {limits.max_file} bytes")
        opener: Any = p
    else:
        source = source or "werkboek"
        if len(data) > limits.max_file:
            raise _refuse(source, f"werkboek te groot ({len(data)} bytes)", f"hoogstens {limits.max_file} bytes")
        opener = io.BytesIO(data)
    try:
        with zipfile.ZipFile(opener) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _refuse(source, f"geen leesbaar Excel-werkboek ({type(exc).__name__})", allowed, field=None) from None
    if len(infos) > limits.max_members:
        raise _refuse(source, f"werkboek met te veel onderdelen ({len(infos)})", f"hoogstens {limits.max_members} onderdelen")
    total = 0
    for info in infos:
        total += info.file_size
        name = info.filename
        if info.file_size > limits.max_member:
            raise _refuse(source, f"onderdeel {name[:80]} van het werkboek is te groot ({info.file_size} bytes uitgepakt)",
                          f"hoogstens {limits.max_member} bytes per onderdeel")
        if name.startswith("xl/worksheets/") and info.file_size > limits.max_sheet_xml:
            raise _refuse(source, f"werkblad {name[:80]} is te groot ({info.file_size} bytes XML uitgepakt)",
                          f"hoogstens {limits.max_sheet_xml} bytes per werkblad")
        if info.file_size > _RATIO_FROM and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise _refuse(source, f"onderdeel {name[:80]} is verdacht sterk gecomprimeerd ({info.file_size // max(info.compress_size, 1)}:1; zipbom?)",
                          f"hoogstens {limits.max_ratio:g}:1 voor onderdelen groter dan 1 MB")
    if total > limits.max_total:
        raise _refuse(source, f"werkboek te groot uitgepakt ({total} bytes)", f"hoogstens {limits.max_total} bytes")


class _Cell:
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


_EMPTY = _Cell(None)


class BoundedSheet:
    """The used range of one worksheet, as values (or formulas, when opened with ``data_only=False``)."""

    def __init__(self, title: str, cells: dict[tuple[int, int], Any]) -> None:
        self.title = title
        self._cells = cells
        self.max_row = max((r for r, _ in cells), default=0)
        self.max_column = max((c for _, c in cells), default=0)

    def cell(self, row: int, column: int) -> _Cell:
        v = self._cells.get((row, column))
        return _EMPTY if v is None else _Cell(v)

    def iter_rows(self, min_row: int = 1, max_row: int | None = None, values_only: bool = True) -> Iterator[tuple]:
        """Rows ``min_row``..``max_row`` (default: the last used row) as tuples of values, ``max_column`` wide."""
        last = self.max_row if max_row is None else min(max_row, self.max_row)
        width = self.max_column
        for r in range(min_row, last + 1):
            yield tuple(self._cells.get((r, c)) for c in range(1, width + 1))

    @property
    def values(self) -> Iterator[tuple]:
        return self.iter_rows()


class BoundedWorkbook:
    """A workbook opened by :func:`open_workbook`; sheets are read on first use. Use as a context manager or
    call :meth:`close`."""

    def __init__(self, wb: Any, source: str, limits: WorkbookLimits) -> None:
        self._wb = wb
        self.source = source
        self.limits = limits
        self.sheetnames: list[str] = list(wb.sheetnames)
        self._sheets: dict[str, BoundedSheet] = {}

    def __contains__(self, name: str) -> bool:
        return name in self.sheetnames

    def __getitem__(self, name: str) -> BoundedSheet:
        if name not in self._sheets:
            if name not in self.sheetnames:
                raise KeyError(name)
            self._sheets[name] = _read_sheet(self._wb, name, self.source, self.limits)
        return self._sheets[name]

    @property
    def worksheets(self) -> list[BoundedSheet]:
        return [self[n] for n in self.sheetnames]

    def close(self) -> None:
        try:
            self._wb.close()
        except Exception:  # noqa: BLE001 - closing never hides the real error
            pass

    def __enter__(self) -> BoundedWorkbook:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def open_workbook(path: str | Path, *, data_only: bool = True, source: str | None = None, allowed: str = ALLOWED,
                  limits: WorkbookLimits = LIMITS) -> BoundedWorkbook:
    """Check (:func:`check_workbook`) and open a workbook; sheets are read within ``limits`` when first used.
    ``data_only``: the values Excel saved (True) or the formulas (False). Any unreadable file is an
    :class:`InputError` naming ``source`` (default: the file name), never a traceback."""
    p = Path(path)
    source = source or p.name
    check_workbook(p, source, limits, allowed)
    from openpyxl import load_workbook

    try:
        wb = load_workbook(p, read_only=True, data_only=data_only, keep_links=False)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a damaged file
        raise _refuse(source, f"geen leesbaar Excel-werkboek ({type(exc).__name__})", allowed, field=None) from None
    return BoundedWorkbook(wb, source, limits)


def _read_sheet(wb: Any, name: str, source: str, limits: WorkbookLimits) -> BoundedSheet:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    from openpyxl.worksheet._reader import CELL_TAG, ROW_TAG, WorkSheetParser
    from openpyxl.xml.functions import iterparse

    ws = wb[name]
    if not isinstance(ws, ReadOnlyWorksheet):  # a chart sheet: no cells
        return BoundedSheet(name, {})
    cells: dict[tuple[int, int], Any] = {}
    count = 0
    try:
        with ws._get_source() as src:
            parser = WorkSheetParser(src, ws._shared_strings, data_only=wb.data_only, epoch=wb.epoch,
                                     date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
            for event, element in iterparse(src, events=("start", "end")):
                tag = element.tag
                if event == "start":
                    if tag == ROW_TAG:
                        r = element.get("r")
                        parser.row_counter = int(float(r)) if r else parser.row_counter + 1
                        parser.col_counter = 0
                    continue
                if tag == CELL_TAG:
                    count += 1
                    if count > limits.max_cells:
                        raise _refuse(source, f"blad {name}: te veel cellen (meer dan {limits.max_cells})",
                                      f"hoogstens {limits.max_cells} cellen per blad")
                    c = parser.parse_cell(element)
                    element.clear()
                    value = c["value"]
                    if value is None or value == "":
                        continue
                    row, column = c["row"], c["column"]
                    if row > limits.max_rows or column > limits.max_columns or row < 1 or column < 1:
                        ref = f"{get_column_letter(min(max(column, 1), 18278))}{row}"
                        raise _refuse(f"{source}, blad {name}, cel {ref}", "cel met een waarde buiten het bereik dat opengrex leest",
                                      f"waarden in de rijen 1–{limits.max_rows} en de kolommen A–{get_column_letter(limits.max_columns)}", value=ref)
                    cells[(row, column)] = value
                elif tag == ROW_TAG:
                    element.clear()
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - malformed XML, bad numbers, … : an input error
        raise _refuse(source, f"blad {name} kan niet worden gelezen ({type(exc).__name__})", ALLOWED) from None
    return BoundedSheet(name, cells)


# ---------------------------------------------------------------------------------------------- uploads
def upload_name(filename: str | None, default: str = "upload") -> str:
    """A file name fit to show and to use on disk: the last path part, printable, at most 100 characters
    (the suffix kept); the original may be any length or contain any bytes."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in "\x00/").strip() or default
    name = name.encode("utf-8", "replace").decode("utf-8")
    if len(name) > 100:
        stem, dot, suffix = name.rpartition(".")
        suffix = suffix if dot and len(suffix) <= 10 else ""
        name = stem[: 100 - len(suffix) - 2] + "…" + (f".{suffix}" if suffix else "")
    return name


def read_uploaded_workbook(content: bytes, name: str, loader: Any, allowed: str = ALLOWED) -> Any:
    """``loader(path)`` on uploaded workbook bytes: the zip is checked in memory first (:func:`check_workbook`),
    then written under a short safe name in a private temporary folder; errors name ``name``, never the
    temporary path."""
    import tempfile

    from opengrex.errors import InputErrors, OpengrexError

    display = upload_name(name, "upload.xlsx")
    check_workbook(content, display, allowed=allowed)
    with tempfile.TemporaryDirectory(prefix="opengrex-") as tmp:
        path = Path(tmp) / ("upload" + (Path(display).suffix.lower() if Path(display).suffix.lower() in (".xlsx", ".xlsm") else ".xlsx"))
        path.write_bytes(content)
        try:
            return loader(path)
        except InputError as exc:
            for e in exc.errors if isinstance(exc, InputErrors) else [exc]:
                for attr in ("location", "message", "value", "allowed"):
                    v = getattr(e, attr)
                    if isinstance(v, str):
                        setattr(e, attr, v.replace(str(path), display).replace(tmp, "").replace(path.name, display))
                e.args = (e._text(),)
            if isinstance(exc, InputErrors):
                exc.location, exc.message = exc.errors[0].location, exc.errors[0].message
                exc.args = ("\n".join(str(e) for e in exc.errors),) if len(exc.errors) > 1 else (exc.errors[0]._text(),)
            raise
        except OpengrexError:
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged workbook: openpyxl/zipfile raise their own errors
            raise _refuse(display, f"geen leesbaar Excel-werkboek ({type(exc).__name__})", allowed, field="bestand") from None
