"""The Excel template of a grex: an empty, documented workbook to fill in, and its strict importer.

Sheets (the importer finds fields by their header text, so columns may be moved or year columns added):

``Toelichting``  every field explained (Dutch).
``Algemeen``     one row per general field: ``veld | waarde | toelichting``.
``Indices``      row ``rente`` (interest on the book value) and one row per index series: ``reeks | vast percentage |
                 one column per year``. Either a fixed percentage, or percentages per year (the last one given holds
                 for later years, the first one for earlier years).
``Kosten``       one row per cost line: ``naam | kostensoort | bedrag | index | fasering per jaar … | gerealiseerd per
                 jaar … | toelichting``. Row 1 labels the blocks (``Fasering …``, ``Gerealiseerd …``), row 2 holds
                 the headers; year headers are years (e.g. ``2027``). Kostensoort and index have drop-down lists.
``Opbrengsten``  the same with ``opbrengstsoort``.
``Lijsten``      (hidden) the code lists behind the drop-downs.

:func:`import_grex_xlsx` reads a filled template into a validated :class:`~opengrex.model.grex.Grex`; every error
names the file, sheet and cell (``grex.xlsx, blad Kosten, cel B7``), the field, the value and what is allowed.
:func:`grex_to_template` writes a grex into the template (round trip: import gives an equal model).
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter as col
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from opengrex.codes import kostensoorten
from opengrex.errors import InputError, InputErrors
from opengrex.formatting import EXCEL_EUR_FORMAT
from opengrex.io.documents import Locator, build_model, check_readable
from opengrex.io.xlsx_cells import put
from opengrex.io.xlsx_reader import open_workbook
from opengrex.model.grex import OPBRENGSTSOORTEN, Grex

SHEETS = ("Toelichting", "Algemeen", "Indices", "Kosten", "Opbrengsten", "Lijsten")
DEFAULT_YEARS = range(2020, 2061)
"""Year columns of the empty template (add or remove columns as needed: the header must be a year)."""
TEMPLATE_ROWS = 500
"""Rows with drop-down lists in the empty template (Kosten and Opbrengsten)."""
MAX_SERIES_ROWS = 100

EUR_FORMAT = EXCEL_EUR_FORMAT
PCT_FORMAT = "0.00%"
DATE_FORMAT = "DD-MM-YYYY"

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")
_INPUT_FILL = PatternFill("solid", fgColor="FFF6D5")

_GENERAL: list[tuple[str, str, bool, str]] = [
    # (model field, kind, required, example or default)
    ("name", "text", True, ""),
    ("description", "text", False, "Mag leeg."),
    ("prijspeil", "date", True, "Bijv. 01-01-2025."),
    ("start_year", "int", True, "Bijv. 2025."),
    ("end_year", "int", True, ""),
    ("timing", "timing", False, "Leeg = end."),
    ("disconteringsvoet", "number", False, "Als percentage; leeg = 2%."),
    ("ncw_datum", "date", False, ""),
    ("opening_book_value", "number", False, "In euro's; leeg = 0."),
    ("realised_through", "int", False, "Leeg = geen."),
    ("dagtelling", "dagtelling", False, "hele_jaren of werkelijke_dagen; leeg = hele_jaren."),
]


def _general_fields() -> list[tuple[str, str, str, bool, str]]:
    """(label in column A, model field, kind, required, explanation): label and help text from the model (declare
    once: :func:`opengrex.model.base.veld`), plus what the template adds."""
    out = []
    for name, kind, required, extra in _GENERAL:
        f = Grex.model_fields[name]
        out.append((str(f.title), name, kind, required, " ".join(t for t in (f"{f.description}." if f.description else "", extra) if t)))
    return out


GENERAL_FIELDS: list[tuple[str, str, str, bool, str]] = _general_fields()
"""The rows of sheet Algemeen. The importer finds a row by its label, its document key (``startjaar``) or the
key of the first version (``start_year``), case-insensitively."""

_TIMINGS = ("end", "mid", "start")
_DAGTELLINGEN = ("hele_jaren", "werkelijke_dagen")


# ---------------------------------------------------------------------------------------------------- writing
def write_grex_template(path: Path) -> None:
    """Write the empty, documented Excel template for a grex (year columns 2020–2060)."""
    _build(None).save(Path(path))


def grex_to_template(grex: Grex, path: Path) -> None:
    """Write ``grex`` into the Excel template (for editing in Excel; :func:`import_grex_xlsx` reads it back).

    Numbers are stored with 16 significant digits (openpyxl; Excel shows 15), so the round trip is exact for every
    number a person types; a float whose shortest form needs 17 digits comes back within 1 unit in the last place.
    """
    _build(grex).save(Path(path))


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


def _line_years(grex: Grex | None) -> list[int]:
    if grex is None:
        return list(DEFAULT_YEARS)
    ys = set(grex.years)
    for _, _, ln in grex.lines():
        ys |= set(ln.phasing) | set(ln.realised)
    return list(range(min(ys), max(ys) + 1))


def _series_years(grex: Grex | None) -> list[int]:
    if grex is None:
        return list(DEFAULT_YEARS)
    ys = set(grex.years)
    for s in [grex.rente, *grex.indices.values()]:
        if isinstance(s, dict):
            ys |= set(s)
    return list(range(min(ys), max(ys) + 1))


def _build(grex: Grex | None) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Toelichting"
    lists = wb.create_sheet("Lijsten")
    _lijsten(wb, lists)
    _algemeen(wb.create_sheet("Algemeen", 1), grex)
    _indices(wb.create_sheet("Indices", 2), grex)
    line_years = _line_years(grex)
    _lines(wb.create_sheet("Kosten", 3), "kosten", grex, line_years)
    _lines(wb.create_sheet("Opbrengsten", 4), "opbrengsten", grex, line_years)
    _toelichting(ws)
    lists.sheet_state = "hidden"
    return wb


def _lijsten(wb: Workbook, ws) -> None:
    ks = kostensoorten()
    _header(ws, 1, ["Kostensoort", "Omschrijving", "Stelsel", "", "Opbrengstsoort", "Omschrijving", "", "Timing", "", "Dagtelling"])
    for i, k in enumerate(ks, start=2):
        ws.cell(row=i, column=1, value=k.code)
        ws.cell(row=i, column=2, value=k.kort)
        ws.cell(row=i, column=3, value=k.stelsel)
    for i, (code, label) in enumerate(OPBRENGSTSOORTEN.items(), start=2):
        ws.cell(row=i, column=5, value=code)
        ws.cell(row=i, column=6, value=label)
    for i, t in enumerate(_TIMINGS, start=2):
        ws.cell(row=i, column=8, value=t)
    for i, t in enumerate(_DAGTELLINGEN, start=2):
        ws.cell(row=i, column=10, value=t)
    refs = {
        "LijstKostensoorten": f"Lijsten!$A$2:$A${len(ks) + 1}",
        "LijstOpbrengstsoorten": f"Lijsten!$E$2:$E${len(OPBRENGSTSOORTEN) + 1}",
        "LijstTiming": f"Lijsten!$H$2:$H${len(_TIMINGS) + 1}",
        "LijstDagtelling": f"Lijsten!$J$2:$J${len(_DAGTELLINGEN) + 1}",
        "LijstIndices": f"Indices!$A$4:$A${3 + MAX_SERIES_ROWS}",
    }
    for name, ref in refs.items():
        wb.defined_names[name] = DefinedName(name, attr_text=ref)
    ws.column_dimensions["B"].width = 50
    ws.column_dimensions["F"].width = 34


def _list_validation(formula: str, title: str, what: str) -> DataValidation:
    return DataValidation(
        type="list", formula1=formula, allow_blank=True, showErrorMessage=True, showDropDown=False,
        errorTitle=title, error=f"Kies een {what} uit de lijst.", promptTitle=title, prompt=f"Kies een {what} uit de lijst.",
    )


def _algemeen(ws, grex: Grex | None) -> None:
    ws["A1"] = "Algemene gegevens van de grondexploitatie"
    ws["A1"].font = _TITLE
    _header(ws, 2, ["Veld", "Waarde", "Toelichting"])
    values: dict[str, Any] = {}
    if grex is not None:
        values = {
            "name": grex.name, "description": grex.description, "prijspeil": grex.prijspeil, "start_year": grex.start_year,
            "end_year": grex.end_year, "timing": grex.timing, "disconteringsvoet": grex.disconteringsvoet,
            "ncw_datum": grex.ncw_datum, "opening_book_value": grex.opening_book_value, "realised_through": grex.realised_through,
            "dagtelling": grex.dagtelling,
        }
    for i, (label, field, kind, required, note) in enumerate(GENERAL_FIELDS, start=3):
        ws.cell(row=i, column=1, value=label).font = _BOLD
        fmt = {"date": DATE_FORMAT, "int": "0"}.get(kind)
        if field == "disconteringsvoet":
            fmt = PCT_FORMAT
        elif field == "opening_book_value":
            fmt = EUR_FORMAT
        c = _put(ws, i, 2, values.get(field), fmt)
        c.fill = _INPUT_FILL
        ws.cell(row=i, column=3, value=("Verplicht. " if required else "") + note)
        if kind == "timing":
            dv = _list_validation("=LijstTiming", "Timing", "timing (end, mid of start)")
            ws.add_data_validation(dv)
            dv.add(f"B{i}")
        elif kind == "dagtelling":
            dv = _list_validation("=LijstDagtelling", "Dagtelling", "dagtelling (hele_jaren of werkelijke_dagen)")
            ws.add_data_validation(dv)
            dv.add(f"B{i}")
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["C"].width = 110
    ws.freeze_panes = "A3"


def _indices(ws, grex: Grex | None) -> None:
    years = _series_years(grex)
    ws["A1"] = "Rente en indexreeksen: vul óf een vast percentage in (kolom B), óf percentages per jaar (het laatste geldt ook voor latere jaren)."
    ws["A1"].font = _BOLD
    _header(ws, 2, ["Reeks", "Vast percentage"] + years)
    ws.cell(row=3, column=1, value="rente").font = _BOLD
    rows: list[tuple[int, Any]] = [(3, grex.rente if grex else None)]
    if grex is not None:
        for s, (name, series) in enumerate(grex.indices.items()):
            _put(ws, 4 + s, 1, name)
            rows.append((4 + s, series))
    for r, series in rows:
        if isinstance(series, dict):
            for y, v in series.items():
                _put(ws, r, 3 + years.index(y), v, PCT_FORMAT)
        elif series is not None:
            _put(ws, r, 2, series, PCT_FORMAT)
    for r in range(3, 4 + MAX_SERIES_ROWS):
        for c in range(2, 3 + len(years)):
            ws.cell(row=r, column=c).number_format = PCT_FORMAT
        ws.cell(row=r, column=2).fill = _INPUT_FILL
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 16
    for j in range(len(years)):
        ws.column_dimensions[col(3 + j)].width = 9
    ws.freeze_panes = "C3"


def _lines(ws, section: str, grex: Grex | None, years: list[int]) -> None:
    code_field = "kostensoort" if section == "kosten" else "opbrengstsoort"
    ny = len(years)
    phase0, real0 = 5, 5 + ny
    note_col = real0 + ny
    ws["A1"] = "Kostenposten (bedragen positief, op prijspeil)" if section == "kosten" else "Opbrengstposten (bedragen positief, op prijspeil)"
    ws["A1"].font = _BOLD
    ws.cell(row=1, column=phase0, value="Fasering: aandeel per jaar (som 1) of bedrag per jaar (som = bedrag)").font = _BOLD
    ws.cell(row=1, column=real0, value="Gerealiseerd per jaar (€ nominaal, niet geïndexeerd)").font = _BOLD
    _header(ws, 2, ["naam", code_field, "bedrag", "index"] + years + years + ["toelichting"])
    lines = (grex.kosten if section == "kosten" else grex.opbrengsten) if grex is not None else []
    for i, ln in enumerate(lines):
        r = 3 + i
        _put(ws, r, 1, ln.name)
        _put(ws, r, 2, getattr(ln, code_field))
        _put(ws, r, 3, ln.amount, EUR_FORMAT)
        _put(ws, r, 4, ln.index)
        for y, v in ln.phasing.items():
            _put(ws, r, phase0 + years.index(y), v)
        for y, v in ln.realised.items():
            _put(ws, r, real0 + years.index(y), v, EUR_FORMAT)
        if ln.note:
            _put(ws, r, note_col, ln.note)
    last = 2 + max(TEMPLATE_ROWS, len(lines))
    lst = "=LijstKostensoorten" if section == "kosten" else "=LijstOpbrengstsoorten"
    dv = _list_validation(lst, code_field.capitalize(), code_field)
    ws.add_data_validation(dv)
    dv.add(f"B3:B{last}")
    dvi = _list_validation("=LijstIndices", "Index", "indexreeks (blad Indices)")
    ws.add_data_validation(dvi)
    dvi.add(f"D3:D{last}")
    dva = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True, showErrorMessage=True,
                         errorTitle="Bedrag", error="Vul een bedrag >= 0 in (kosten en opbrengsten beide positief).")
    ws.add_data_validation(dva)
    dva.add(f"C3:C{last}")
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 16
    ws.column_dimensions["D"].width = 24
    for j in range(2 * ny):
        ws.column_dimensions[col(phase0 + j)].width = 10
    ws.column_dimensions[col(note_col)].width = 40
    ws.freeze_panes = "E3"


def _toelichting(ws) -> None:
    rows: list[tuple[str, Font | None]] = [
        ("Sjabloon grondexploitatie (opengrex)", _TITLE),
        ("Vul de gele cellen en de tabellen in en lees het bestand in met: opengrex grex import bestand.xlsx -o grex.yaml "
         "(of reken direct: opengrex grex bereken bestand.xlsx). Fouten noemen het blad en de cel.", None),
        ("Bedragen in euro's; kosten én opbrengsten vul je positief in. Percentages als percentage (3,5%) of als fractie (0,035).", None),
        ("", None),
        ("Blad Algemeen (kolom A: veld, kolom B: waarde)", _BOLD),
        *[(f"  {label}: {'verplicht. ' if req else ''}{note}", None) for label, _, _, req, note in GENERAL_FIELDS],
        ("", None),
        ("Blad Indices", _BOLD),
        ("  Rij 'rente': rentepercentage over de boekwaarde (rekening-courant). Leeg = 2%.", None),
        ("  Vanaf rij 4: één indexreeks per rij (kolom A: naam, bijv. kostenstijging). Vul óf kolom B (vast percentage voor alle jaren) "
         "óf percentages onder de jaarkolommen; het laatst opgegeven percentage geldt ook voor latere jaren ('2026 e.v.'), het eerste ook "
         "voor eerdere jaren. Jaarkolommen mag je toevoegen of verwijderen (kop = jaartal). Zonder reeksen: één reeks 'geen' met 0%.", None),
        ("", None),
        ("Bladen Kosten en Opbrengsten (één post per rij vanaf rij 3; lege rijen worden overgeslagen)", _BOLD),
        ("  naam: omschrijving van de post (verplicht).", None),
        ("  kostensoort (Kosten): code uit de kostensoortenlijst, Omgevingsbesluit bijlage IV (A1–A14, B1–B4) of Bro 6.2.3–6.2.5 "
         "(keuzelijst; zie het verborgen blad Lijsten).", None),
        (f"  opbrengstsoort (Opbrengsten): {', '.join(OPBRENGSTSOORTEN)} (keuzelijst).", None),
        ("  bedrag: bedrag op prijspeil in euro's, positief.", None),
        ("  index: naam van een indexreeks uit blad Indices (keuzelijst); de kolomkop 'indexreeks' mag ook.", None),
        ("  Fasering (eerste blok jaarkolommen): per jaar het aandeel (samen 1, bijv. 0,3 en 0,7) of het bedrag (samen gelijk aan 'bedrag'). "
         "Lege cellen tellen niet mee. Jaren moeten binnen start- en eindjaar liggen.", None),
        ("  Gerealiseerd (tweede blok jaarkolommen): al geboekte bedragen per jaar, nominaal; ze vervangen de raming van dat jaar en worden niet "
         "opnieuw geïndexeerd.", None),
        ("  toelichting: vrije tekst (mag leeg); vertrouwelijk: kijkers in de webapp zien haar niet. De kolomkop 'notitie' mag ook.", None),
        ("  Het blok waartoe een jaarkolom hoort, volgt uit het label in rij 1 ('Fasering …' of 'Gerealiseerd …') boven de eerste kolom van het blok.", None),
        ("", None),
        ("Formules in cellen mogen; het importeren leest de berekende waarde die Excel of LibreOffice bij het opslaan bewaart.", None),
    ]
    write_notes(ws, rows)


# ---------------------------------------------------------------------------------------------------- reading
def write_notes(ws, rows: list[tuple[str, Any]]) -> None:
    """Fill an explanation sheet (Toelichting): one wrapped text per row in column A, optionally with a font."""
    for i, (text, font) in enumerate(rows, start=1):
        c = ws.cell(row=i, column=1, value=text)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        if font is not None:
            c.font = font
    ws.column_dimensions["A"].width = 140


class XlsxLocator(Locator):
    """Maps a model path (``("kosten", 2, "phasing", 2027)``) to ``file, blad Kosten, cel H5``."""

    def add(self, path: tuple, sheet: str, ref: str) -> None:
        self.places[tuple(path)] = f"blad {sheet}, {'cellen' if ':' in ref else 'cel'} {ref}"


class _Reader:
    """Cell reader over the bounded workbook reader (:func:`opengrex.io.xlsx_reader.open_workbook`: zip checked
    first, only the used range read): the saved values, and the formulas to say which have no saved value."""

    ALLOWED = "een .xlsx-bestand gemaakt met 'opengrex grex template'"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.source = path.name
        self.loc = XlsxLocator(self.source)
        self.errors: list[InputError] = []
        self.wb = open_workbook(path, data_only=True, source=str(path), allowed=self.ALLOWED)
        try:
            self.wbf = open_workbook(path, data_only=False, source=str(path), allowed=self.ALLOWED)
        except InputError:
            self.wb.close()
            raise

    def labels(self, ws, first: int = 1) -> dict[str, int]:
        """Row number of each label in column A (lower case, first occurrence), from row ``first`` on."""
        out: dict[str, int] = {}
        for r in range(first, ws.max_row + 1):
            label = ws.cell(row=r, column=1).value
            if isinstance(label, str) and label.strip():
                out.setdefault(label.strip().lower(), r)
        return out

    def sheet(self, name: str):
        if name not in self.wb.sheetnames:
            raise InputError(
                f"blad '{name}' ontbreekt", location=self.source, field=name, value=", ".join(self.wb.sheetnames),
                allowed=f"een werkboek met de bladen {', '.join(s for s in SHEETS if s != 'Toelichting')} (maak het sjabloon met 'opengrex grex template')",
            )
        return self.wb[name]

    def err(self, sheet: str, ref: str, field: str, message: str, value: Any = None, allowed: str | None = None) -> None:
        self.errors.append(InputError(message, location=f"{self.source}, blad {sheet}, cel {ref}", field=field, value=value, allowed=allowed))

    def value(self, ws, row: int, column: int) -> Any:
        v = ws.cell(row=row, column=column).value
        if isinstance(v, str):
            v = v.strip()
            if v == "":
                v = None
        if v is None:
            f = self.wbf[ws.title].cell(row=row, column=column).value
            if isinstance(f, str) and f.startswith("="):
                self.err(ws.title, f"{col(column)}{row}", "", "formule zonder berekende waarde", f,
                         "open en bewaar het bestand in Excel of LibreOffice, of vul een waarde in")
        return v

    def number(self, ws, row: int, column: int, field: str, v: Any) -> float | None:
        num = _to_number(v)
        if num is None:
            self.err(ws.title, f"{col(column)}{row}", field, "geen getal", v, "een getal, bijv. 1250000 of 0,35")
        return num


def _to_number(v: Any) -> float | None:
    """A cell value as float: numbers, or text such as ``1.250.000,50``, ``€ 300``, ``3,5%`` (None: not a number)."""
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    if not isinstance(v, str):
        return None
    s = v.replace("€", "").replace("\u00a0", "").replace(" ", "")
    pct = s.endswith("%")
    s = s.rstrip("%")
    if "," in s:
        s = s.replace(".", "").replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", s):
        return None
    x = float(s)
    return x / 100.0 if pct else x


def _year(v: Any) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, str) and v.strip().isdigit():
        v = int(v.strip())
    return v if isinstance(v, int) and 1800 <= v <= 2300 else None


def _read_general(rd: _Reader, data: dict) -> None:
    ws = rd.sheet("Algemeen")
    by_label = rd.labels(ws)
    for label, field, kind, required, _ in GENERAL_FIELDS:
        alias = Grex.model_fields[field].alias or field
        r = next((by_label[k] for k in (label.lower(), alias, field) if k in by_label), None)
        if r is None:
            if required:
                rd.errors.append(InputError(f"rij '{label}' ontbreekt in kolom A", location=f"{rd.source}, blad Algemeen", field=field,
                                            allowed="de veldnamen van het sjabloon in kolom A"))
            continue
        ref = f"B{r}"
        rd.loc.add((field,), "Algemeen", ref)
        v = rd.value(ws, r, 2)
        if v is None:
            if required:
                rd.err("Algemeen", ref, field, "verplicht veld is leeg", None, GENERAL_FIELDS_ALLOWED[kind])
            continue
        if kind == "text":
            data[field] = str(v) if not isinstance(v, float) or not v.is_integer() else str(int(v))
        elif kind in ("timing", "dagtelling"):
            t = str(v).strip().lower()
            choices = _TIMINGS if kind == "timing" else _DAGTELLINGEN
            if t not in choices:
                rd.err("Algemeen", ref, field, f"onbekende {kind}", v, ", ".join(choices))
            data[field] = t
        elif kind == "date":
            if isinstance(v, dt.datetime):
                data[field] = v.date()
            elif isinstance(v, dt.date):
                data[field] = v
            else:
                d = _parse_date(v)
                if d is None:
                    rd.err("Algemeen", ref, field, "geen datum", v, "een datum, bijv. 01-01-2025")
                data[field] = d
        elif kind == "int":
            y = _year(v) if not isinstance(v, float) or v.is_integer() else None
            if y is None:
                rd.err("Algemeen", ref, field, "geen jaartal", v, "een jaartal, bijv. 2025")
            data[field] = y
        else:
            data[field] = rd.number(ws, r, 2, field, v)


GENERAL_FIELDS_ALLOWED = {"text": "tekst", "date": "een datum, bijv. 01-01-2025", "int": "een jaartal, bijv. 2025",
                          "timing": "end, mid of start", "dagtelling": "hele_jaren of werkelijke_dagen", "number": "een getal"}


def _parse_date(v: Any) -> dt.date | None:
    if not isinstance(v, str):
        return None
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(v.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _read_indices(rd: _Reader, data: dict) -> None:
    ws = rd.sheet("Indices")
    head = 2
    year_cols: list[tuple[int, int]] = []
    for c in range(3, ws.max_column + 1):
        h = ws.cell(row=head, column=c).value
        y = _year(h)
        if y is not None:
            year_cols.append((c, y))
        elif h not in (None, ""):
            rd.err("Indices", f"{col(c)}{head}", "jaar", "kolomkop is geen jaartal", h, "een jaartal, bijv. 2027")
    indices: dict[str, Any] = {}
    for r in range(3, ws.max_row + 1):
        name = rd.value(ws, r, 1)
        fixed = rd.value(ws, r, 2)
        per_year = [(c, y, rd.value(ws, r, c)) for c, y in year_cols]
        per_year = [(c, y, v) for c, y, v in per_year if v is not None]
        if name is None:
            if fixed is not None or per_year:
                rd.err("Indices", f"A{r}", "indices", "reeks zonder naam", None, "een naam in kolom A")
            continue
        name = str(name)
        is_rente = r == 3
        if is_rente and name.lower() != "rente":
            rd.err("Indices", "A3", "rente", "rij 3 hoort de rente te zijn", name, "'rente' in cel A3")
        if not is_rente and name in indices:
            rd.err("Indices", f"A{r}", f"indices.{name}", "indexreeks komt twee keer voor", name, "unieke namen")
            continue
        path = ("rente",) if is_rente else ("indices", name)
        rd.loc.add(path, "Indices", f"A{r}" if not is_rente else "B3")
        if fixed is not None and per_year:
            rd.err("Indices", f"B{r}", ".".join(map(str, path)), "zowel een vast percentage als percentages per jaar", fixed,
                   "óf kolom B óf de jaarkolommen")
            continue
        if fixed is not None:
            rd.loc.add(path, "Indices", f"B{r}")
            value: Any = rd.number(ws, r, 2, ".".join(map(str, path)), fixed)
        elif per_year:
            value = {}
            for c, y, v in per_year:
                rd.loc.add(path + (y,), "Indices", f"{col(c)}{r}")
                value[y] = rd.number(ws, r, c, f"{'.'.join(map(str, path))}.{y}", v)
        elif is_rente:
            continue  # empty: model default
        else:
            rd.err("Indices", f"B{r}", f"indices.{name}", "geen percentage opgegeven", None, "een vast percentage in kolom B of percentages per jaar")
            continue
        if is_rente:
            data["rente"] = value
        else:
            indices[name] = value
    if indices:
        data["indices"] = indices


def _read_lines(rd: _Reader, data: dict, sheet: str, section: str) -> None:
    ws = rd.sheet(sheet)
    code_field = "kostensoort" if section == "kosten" else "opbrengstsoort"
    cols: dict[str, int] = {}
    phase_cols: list[tuple[int, int]] = []
    real_cols: list[tuple[int, int]] = []
    block = None
    for c in range(1, ws.max_column + 1):
        group = ws.cell(row=1, column=c).value
        if isinstance(group, str) and group.strip():
            g = group.strip().lower()
            block = "phasing" if g.startswith("fasering") else "realised" if g.startswith("gerealiseerd") else block if c > 4 else None
        h = ws.cell(row=2, column=c).value
        y = _year(h)
        if y is not None:
            if block == "phasing":
                phase_cols.append((c, y))
            elif block == "realised":
                real_cols.append((c, y))
            else:
                rd.err(sheet, f"{col(c)}2", "jaar", "jaarkolom hoort niet bij een blok", h,
                       "jaarkolommen onder het label 'Fasering …' of 'Gerealiseerd …' in rij 1")
        elif isinstance(h, str) and h.strip():
            key = h.strip().lower()
            cols.setdefault(_LINE_HEADER_ALIASES.get(key, key), c)
    needed = ["naam", code_field, "bedrag", "index"]
    missing = [n for n in needed if n not in cols]
    if missing:
        raise InputError(f"kolom(men) {', '.join(missing)} ontbreken in rij 2", location=f"{rd.source}, blad {sheet}", field=section,
                         value=", ".join(str(k) for k in cols), allowed=f"kolomkoppen {', '.join(needed)}, jaarkolommen, toelichting")
    if not phase_cols:
        rd.errors.append(InputError("geen jaarkolommen voor de fasering", location=f"{rd.source}, blad {sheet}, rij 1–2", field=f"{section}.phasing",
                                    allowed="een blok jaarkolommen onder het label 'Fasering …'"))
    seen_p: set[int] = set()
    for c, y in phase_cols:
        if y in seen_p:
            rd.err(sheet, f"{col(c)}2", "jaar", "jaar komt twee keer voor in de fasering", y, "elk jaar één kolom")
        seen_p.add(y)
    lines = []
    note_col = cols.get("toelichting")
    for r in range(3, ws.max_row + 1):
        raw = {k: rd.value(ws, r, c) for k, c in cols.items() if k in needed + ["toelichting"]}
        ph = [(c, y, rd.value(ws, r, c)) for c, y in phase_cols]
        rl = [(c, y, rd.value(ws, r, c)) for c, y in real_cols]
        if all(v is None for v in raw.values()) and all(v is None for _, _, v in ph + rl):
            continue
        i = len(lines)
        p = (section, i)
        rd.loc.add(p, sheet, f"A{r}")
        line: dict[str, Any] = {}
        for key, field in (("naam", "name"), (code_field, code_field), ("index", "index")):
            rd.loc.add(p + (field,), sheet, f"{col(cols[key])}{r}")
            v = raw.get(key)
            if v is None:
                rd.err(sheet, f"{col(cols[key])}{r}", f"{section}[{i}].{field}", "verplicht veld is leeg", None,
                       {"name": "een naam", "index": "een indexreeks uit blad Indices"}.get(field, f"een {code_field} uit de keuzelijst"))
                continue
            line[field] = str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
        c_amt = cols["bedrag"]
        rd.loc.add(p + ("amount",), sheet, f"{col(c_amt)}{r}")
        if raw.get("bedrag") is None:
            rd.err(sheet, f"{col(c_amt)}{r}", f"{section}[{i}].amount", "verplicht veld is leeg", None, "een bedrag >= 0")
        else:
            line["amount"] = rd.number(ws, r, c_amt, f"{section}[{i}].amount", raw["bedrag"])
        if phase_cols:
            rd.loc.add(p + ("phasing",), sheet, f"{col(phase_cols[0][0])}{r}:{col(phase_cols[-1][0])}{r}")
        for key, items in (("phasing", ph), ("realised", rl)):
            vals: dict[int, Any] = {}
            for c, y, v in items:
                if v is None:
                    continue
                rd.loc.add(p + (key, y), sheet, f"{col(c)}{r}")
                vals[y] = rd.number(ws, r, c, f"{section}[{i}].{key}.{y}", v)
            line[key] = vals
        if note_col is not None and raw.get("toelichting") is not None:
            line["note"] = str(raw["toelichting"])
        lines.append(line)
    data[section] = lines


_LINE_HEADER_ALIASES = {"indexreeks": "index", "notitie": "toelichting", "name": "naam", "amount": "bedrag"}
"""Other headers accepted for the columns of sheets Kosten and Opbrengsten (the document keys)."""


def import_grex_xlsx(path: Path) -> Grex:
    """Read a filled Excel template (see :func:`write_grex_template`) into a validated :class:`Grex`.

    Raises :class:`~opengrex.errors.InputError` (or :class:`~opengrex.errors.InputErrors` with every error found)
    naming the file, sheet and cell, the field, the value and what is allowed; an unreadable or non-xlsx file
    gives an ``InputError`` as well.
    """
    p = check_readable(path)
    if p.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError("onbekend bestandstype", location=str(p), value=p.suffix, allowed=".xlsx (Excel-sjabloon)")
    rd = _Reader(p)
    try:
        data: dict[str, Any] = {}
        for name in ("Algemeen", "Indices", "Kosten", "Opbrengsten"):
            rd.sheet(name)  # every missing sheet is reported before anything else
        _read_general(rd, data)
        _read_indices(rd, data)
        _read_lines(rd, data, "Kosten", "kosten")
        _read_lines(rd, data, "Opbrengsten", "opbrengsten")
    finally:
        rd.wb.close()
        rd.wbf.close()
    if rd.errors:
        raise InputErrors(rd.errors)
    return build_model(Grex, data, rd.loc, Grex.check)
