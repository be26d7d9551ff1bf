"""The input sheets of every workbook opengrex writes, laid out from the document model, and the one importer that
reads them back (spec style.md §14: declare once, derive the rest).

A document kind's pydantic model (labels, units and help texts from :func:`opengrex.model.base.veld`, Dutch keys
from the aliases) decides the layout; nothing about a field is written twice:

``Algemeen``        every single value of the document (nested blocks flattened, ``Bouwprogramma › Woningen per
                    segment › sociaal``): ``Veld | Waarde | Eenheid | Toelichting | Sleutel``. The key column says
                    where the value goes in the document (``programma.woningen[sociaal]``); rows may be moved.
``<reeksen>``       rates per calendar year (a grex's ``rente`` and ``indexreeksen``): ``Reeks | Vast | one column
                    per year | Sleutel``; a row holds either a fixed rate or rates per year (the last one given holds
                    for later years, the first one for earlier years).
``<lijst>``         one sheet per list of lines (``Kosten``, ``Investeringen``, ``Projecten``, …), one line per row
                    from row 3, the column labels in row 2. A mapping per line (a grex line's ``fasering`` per year,
                    a plan's ``woningen`` per segment) is a block of columns under its label in row 1, one column per
                    key (the year or segment in row 2). A list inside a line (a project's cost lines) is a sheet of its
                    own whose first column names the line it belongs to (``Projecten``: the project's name).
``opengrex``        (hidden) what the workbook is: the kind, model, document and version it was made from, the
                    layout version, and which sheet holds which part of the document.

:func:`write_invoer` writes these sheets into a workbook (the calculation sheets of an export refer to the cells
it returns, so the workbook stays live); :func:`read_invoer` reads them back into plain document data with a
:class:`~opengrex.io.documents.Locator` that names sheet and cell for every field. Reading uses the bounded reader
(:func:`opengrex.io.xlsx_reader.open_workbook`); a value that is not what the field allows is an
:class:`~opengrex.errors.InputError` naming the file, sheet, cell, field, value and what is allowed.

Files without the ``opengrex`` sheet (the grex template of the first version, a workbook built by hand) are read
by sheet names and column labels: labels, Dutch keys and the English keys of the first version are all accepted.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter as col
from openpyxl.worksheet.datavalidation import DataValidation
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from opengrex.errors import InputError, InputErrors
from opengrex.formatting import EXCEL_EUR_FORMAT
from opengrex.io.documents import Locator
from opengrex.io.xlsx_cells import put, save_workbook
from opengrex.model.base import Embeds
from opengrex.model.diff import line_key
from opengrex.model.fields import field_annotation as _ann
from opengrex.model.fields import field_title as _label
from opengrex.model.fields import field_unit as _unit
from opengrex.model.fields import is_model as _is_model
from opengrex.model.fields import is_rate as _is_rate
from opengrex.model.fields import is_scalar as _is_scalar
from opengrex.model.fields import parse_path
from opengrex.model.fields import pick_model as _pick
from opengrex.model.fields import strip_annotated as _strip
from opengrex.model.fields import type_members as _members
from opengrex.model.redact import is_confidential

LAYOUT_VERSION = 2
"""Version of this layout (1: the grex template and exports of the first version, without the ``opengrex`` sheet)."""
META_SHEET = "opengrex"
FIELDS_SHEET = "Algemeen"
SERIES_SHEET = "Reeksen per jaar"
DEFAULT_YEARS = tuple(range(2020, 2061))
"""Year columns of an empty template (add or remove columns as needed: the header must be a year)."""
FIRST_ROW = 3
"""First data row of every sheet (row 1: title and block labels, row 2: column labels)."""
LINE_KEYS = ("naam", "name", "id", "code", "categorie")
"""Keys that name a line: a sheet of a list inside a line refers to its line by this value (else by number)."""
LEGACY_HEADERS = {"toelichting": "notitie", "index": "indexreeks"}
"""Column labels of the first grex template that are read as another field when no field has them."""

PCT_FORMAT = "0.00%"
DATE_FORMAT = "DD-MM-YYYY"
ALLOWED = "een Excel-werkboek van opengrex (download of sjabloon)"

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=13)
_KEY_FONT = Font(italic=True, color="808080", size=9)
_HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")
_INPUT_FILL = PatternFill("solid", fgColor="FFF6D5")
_BLOCK_FILL = PatternFill("solid", fgColor="EEF3E2")


# ---------------------------------------------------------------------------------------------- provenance
@dataclass
class Herkomst:
    """What a workbook was made from: stamped in the hidden sheet ``opengrex`` and read back by :func:`read_invoer`."""

    soort: str
    """Document kind (``grex``, ``kostenverhaal``, …)."""
    model: str = ""
    """Model class of the document (``Grex``; an eindafrekening's member class)."""
    document: int | None = None
    """Stored document id (None: not from the store, e.g. a template or a file)."""
    versie: int | None = None
    """The version the workbook was made from."""
    naam: str = ""
    sjabloon: int = LAYOUT_VERSION
    bladen: dict[str, str] = field(default_factory=dict)
    """Sheet name -> schema path of the part of the document it holds (``kosten[]``, ``projecten[].grex.kosten[]``)."""

    def beschrijving(self) -> str:
        """``grex 3 (De Hoge Akker), versie 2`` — what users read in messages."""
        doc = f"{self.soort} {self.document}" if self.document is not None else self.soort
        naam = f" ({self.naam})" if self.naam else ""
        versie = f", versie {self.versie}" if self.versie is not None else ""
        return f"{doc}{naam}{versie}"


# ---------------------------------------------------------------------------------------------- schema shapes
SCALAR, TEXTLIST, MAP, RATE, RATEMAP, MODEL, TABLE, KEYED, JSON_ = (
    "scalar", "textlist", "map", "rate", "ratemap", "model", "table", "keyed", "json")


@dataclass(frozen=True)
class Shape:
    """What a field holds, as far as the layout is concerned."""

    kind: str
    models: tuple[type[BaseModel], ...] = ()
    """MODEL: the model (one); TABLE/KEYED: the item models (several: a tagged union)."""
    key_type: Any = None
    """MAP/KEYED/RATEMAP: the type of the keys (``int`` for years, ``str``, a ``Literal``)."""
    value: Any = None
    """SCALAR/TEXTLIST/MAP: the value type; KEYED: the value annotation."""
    optional: bool = False


def classify(ann: Any, value: Any = None) -> Shape:
    """The :class:`Shape` of a field annotation (``value``: the data, for a field whose shape depends on it: a
    plain-data field holding a whole document of another kind, :class:`~opengrex.model.base.Embeds`)."""
    members, optional, meta = _members(ann)
    embeds = next((m for m in meta if isinstance(m, Embeds)), None)
    if embeds is not None and isinstance(value, dict):
        return Shape(MODEL, (embeds.model,), optional=optional)
    if _is_rate(members):
        return Shape(RATE, optional=optional)
    models = [m for m in members if _is_model(m)]
    if models and len(models) == len(members):
        return Shape(MODEL, tuple(models), optional=optional)
    if len(members) == 1:
        m = members[0]
        origin = get_origin(m)
        if origin in (list, tuple, set, frozenset) and get_args(m):
            item_members, _, _ = _members(get_args(m)[0])
            if item_members and all(_is_model(x) for x in item_members):
                return Shape(TABLE, tuple(item_members), optional=optional)
            if all(_is_scalar(x) for x in item_members):
                return Shape(TEXTLIST, value=item_members[0], optional=optional)
            return Shape(JSON_, optional=optional)
        if origin is dict and len(get_args(m)) == 2:
            k, v = get_args(m)
            k = _strip(k)[0]
            v_members, _, _ = _members(v)
            if not (k in (str, int) or get_origin(k) is Literal):
                return Shape(JSON_, optional=optional)
            if _is_rate(v_members):
                return Shape(RATEMAP, key_type=k, optional=optional)
            if len(v_members) == 1 and _is_scalar(v_members[0]):
                return Shape(MAP, key_type=k, value=v_members[0], optional=optional)
            if v_members and all(_is_model(x) for x in v_members):
                return Shape(KEYED, tuple(v_members), key_type=k, optional=optional)
            vm = v_members[0] if len(v_members) == 1 else None
            if vm is not None and get_origin(vm) is dict and all(_is_scalar(a) for a in get_args(vm)):
                return Shape(KEYED, (), key_type=k, value=vm, optional=optional)
            return Shape(JSON_, optional=optional)
    if all(_is_scalar(m) for m in members):
        return Shape(SCALAR, value=members[0] if len(members) == 1 else Union[tuple(members)], optional=optional)  # noqa: UP007
    return Shape(JSON_, value=ann, optional=optional)  # the annotation: a text where the field takes one (str | a model)


def _key(name: str, info: FieldInfo) -> str:
    return info.alias or name


def _choices(t: Any) -> list[Any] | None:
    t, _ = _strip(t)
    if get_origin(t) is Literal:
        return list(get_args(t))
    return None


def _get(data: Any, name: str, info: FieldInfo) -> Any:
    if not isinstance(data, dict):
        return None
    key = _key(name, info)
    if key in data:
        return data[key]
    return data.get(name)


def _number_format(unit: str, t: Any = None) -> str | None:
    u = unit.strip()
    if u == "%":
        return PCT_FORMAT
    if u.startswith(("EUR", "€")):
        return EXCEL_EUR_FORMAT
    if u in ("jaar", "woningen") or t is int:
        return "0"
    if t is dt.date or u == "datum":
        return DATE_FORMAT
    return None


def _header_label(label: str, unit: str) -> str:
    u = unit.strip()
    if not u or u in ("-", "jaar", "datum"):
        return label
    return f"{label} ({u.replace('EUR', '€')})"


def _is_year_key(k: Any) -> bool:
    return isinstance(k, int) and not isinstance(k, bool) and 1800 <= k <= 2300


# ---------------------------------------------------------------------------------------------- layout
@dataclass
class Column:
    """One column of a table sheet: a value of each line at ``rel`` (a path inside the line)."""

    rel: tuple
    label: str
    unit: str
    kind: str  # SCALAR, TEXTLIST, JSON_, "vast" (the fixed rate of a RATE)
    ann: Any = None
    help: str = ""
    choices: list[Any] | None = None
    last: bool = False
    """Written after the blocks (a confidential note, as in the first grex template; optional details)."""

    @property
    def header(self) -> str:
        return _header_label(self.label, self.unit) if self.kind != "vast" else f"{self.label} vast"


@dataclass
class Block:
    """A mapping per line laid out as columns under one label: ``rel`` -> {key: value}."""

    rel: tuple
    label: str
    unit: str
    key_type: Any
    value: Any
    keys: list[Any] = field(default_factory=list)
    rate: bool = False
    help: str = ""

    @property
    def header(self) -> str:
        return f"{self.label} per jaar" if self.rate else self.label


@dataclass
class Table:
    """One sheet of lines: the list at schema path ``pattern`` (``("projecten", "*", "grex", "kosten")``)."""

    pattern: tuple
    title: str
    models: tuple[type[BaseModel], ...]
    parents: list[tuple[tuple, str]]
    """(pattern of each enclosing list, its column label), outermost first."""
    keyed: Any = None
    """A mapping instead of a list: the type of its keys (its first column holds the key)."""
    keyed_label: str = "Naam"
    value_ann: Any = None
    """A keyed mapping of plain mappings (``dict[str, dict[Segment, float]]``): the value annotation."""
    rate_values: bool = False
    """A keyed mapping of rates (``indexreeksen``): each row is one rate series."""
    columns: list[Column] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    name: str = ""
    alternates: tuple[str, ...] = ()

    @property
    def spec(self) -> str:
        return _pattern_text(self.pattern)


@dataclass
class FieldRow:
    path: tuple
    label: str
    unit: str
    kind: str  # SCALAR, TEXTLIST, JSON_, "optional" (include an optional block: ja/nee)
    ann: Any = None
    help: str = ""
    choices: list[Any] | None = None
    required: bool = False


@dataclass
class SeriesRow:
    path: tuple
    label: str
    help: str = ""
    entry: bool = False
    """An entry of a mapping of rates (``indexreeksen.kostenstijging``): its name is in the first column."""
    keyed: bool = False
    """The entry's key is written too (a mapping that is not a field of the document itself, e.g. an embedded grex's)."""


@dataclass
class Layout:
    """The input sheets of one document (or of an empty template of a model)."""

    model: type[BaseModel]
    fields: list[FieldRow] = field(default_factory=list)
    series: list[SeriesRow] = field(default_factory=list)
    series_maps: list[tuple[tuple, str]] = field(default_factory=list)
    """(path, label) of the mappings of rates whose entries are rows of the series sheet."""
    series_years: list[int] = field(default_factory=list)
    series_name: str = SERIES_SHEET
    series_alternates: tuple[str, ...] = ()
    tables: list[Table] = field(default_factory=list)


def _pattern_text(pattern: tuple) -> str:
    out = ""
    for p in pattern:
        out += "[]" if p == "*" else ("." if out else "") + str(p)
    return out


def _pattern(path: tuple) -> tuple:
    return tuple("*" if isinstance(p, int) and not isinstance(p, bool) else p for p in path)


def _years_of(data: Any) -> list[int]:
    """The grid years of a document that has ``startjaar``/``eindjaar`` (or the English keys)."""
    if not isinstance(data, dict):
        return []
    s = data.get("startjaar", data.get("start_year"))
    e = data.get("eindjaar", data.get("end_year"))
    if isinstance(s, int) and isinstance(e, int) and not isinstance(s, bool) and 0 <= e - s <= 300:
        return list(range(s, e + 1))
    return []


def _has_grid(model: type[BaseModel]) -> bool:
    keys = {k for n, f in model.model_fields.items() for k in (n, f.alias)}
    return {"startjaar", "eindjaar"} <= keys or {"start_year", "end_year"} <= keys


def build_layout(model: type[BaseModel], data: dict[str, Any] | None = None, *, jaren: Sequence[int] | None = None,
                 reeksjaren: Sequence[int] | None = None, reserved: Iterable[str] = ()) -> Layout:
    """The layout of ``data`` (a document of ``model`` as plain data with Dutch keys; ``None``: an empty template).

    ``jaren``: year columns every per-year block of the document's own lines gets at least (a grex: its grid);
    ``reeksjaren``: year columns of the rates sheet (a grex: from the prijspeil year to the end year). An empty
    template gets :data:`DEFAULT_YEARS` for both when the model has a year grid. ``reserved``: sheet names the
    tables must not take (the calculation sheets of the workbook they are written into)."""
    lay = Layout(model)
    template = data is None
    if template and _has_grid(model):
        jaren = list(DEFAULT_YEARS) if jaren is None else jaren
        reeksjaren = list(DEFAULT_YEARS) if reeksjaren is None else reeksjaren
    grid = list(jaren) if jaren is not None else _years_of(data)
    _walk_fields(lay, model, data, (), (), grid, template)
    years: set[int] = set(reeksjaren or grid)
    for row in lay.series:
        v = _value_at(data, row.path)
        if isinstance(v, dict):
            years |= {int(k) for k in v if str(k).lstrip("-").isdigit()}
    lay.series_years = sorted(years) if years else []
    if lay.series_years:
        lay.series_years = list(range(lay.series_years[0], lay.series_years[-1] + 1))
    if len(lay.series_maps) > 1:  # several mappings of rates on one sheet (a gebied's indices and prijzen): each entry says where it goes
        for row in lay.series:
            row.keyed = row.keyed or row.entry
    if len(lay.series_maps) == 1:
        path, label = lay.series_maps[0]
        info = _field_at(model, path)
        lay.series_name = _sheet_title(label.split(" › ")[-1])
        names = {_sheet_title(x) for x in (path[-1], info[0] if info else path[-1])}
        lay.series_alternates = tuple(n for n in names if n != lay.series_name)
    _name_tables(lay, reserved)
    return lay


def _field_at(model: type[BaseModel], path: tuple) -> tuple[str, FieldInfo] | None:
    m: Any = model
    found = None
    for part in path:
        if not _is_model(m):
            return None
        found = next(((n, f) for n, f in m.model_fields.items() if part in (n, f.alias)), None)
        if found is None:
            return None
        shape = classify(_ann(found[1]))
        m = shape.models[0] if shape.kind == MODEL and shape.models else None
    return found


def _value_at(data: Any, path: tuple) -> Any:
    v = data
    for p in path:
        if isinstance(v, dict):
            v = v.get(p, v.get(str(p)) if not isinstance(p, str) else None)
        elif isinstance(v, list) and isinstance(p, int) and 0 <= p < len(v):
            v = v[p]
        else:
            return None
    return v


def _walk_fields(lay: Layout, model: type[BaseModel], data: Any, path: tuple, labels: tuple, grid: list[int], template: bool) -> None:
    for name, info in model.model_fields.items():
        key, label = _key(name, info), _label(name, info)
        value = _get(data, name, info)
        shape = classify(_ann(info), value)
        p, lab = path + (key,), labels + (label,)
        text = " › ".join(lab)
        unit, help_ = _unit(info), info.description or ""
        if shape.kind == SCALAR:
            lay.fields.append(FieldRow(p, text, unit, SCALAR, shape.value, help_, _choices(shape.value), info.is_required()))
        elif shape.kind in (TEXTLIST, JSON_):
            lay.fields.append(FieldRow(p, text, unit, shape.kind, shape.value, help_, None, info.is_required()))
        elif shape.kind == MAP:
            keys = _map_keys(shape, value)
            for k in keys:
                lay.fields.append(FieldRow(p + (k,), f"{text} › {k}", unit, SCALAR, shape.value, help_, _choices(shape.value)))
        elif shape.kind == RATE:
            lay.series.append(SeriesRow(p, text, help_))
        elif shape.kind == RATEMAP:
            lay.series_maps.append((p, text))
            for k in (value or {}):
                lay.series.append(SeriesRow(p + (k,), str(k), help_, entry=True))
                lay.series[-1].keyed = len(p) > 1
        elif shape.kind == MODEL:
            sub = _pick(shape.models, value)
            if shape.optional:
                lay.fields.append(FieldRow(p, f"{text} (opnemen)", "", "optional", bool, help_ or "ja: dit onderdeel telt mee; nee: niet", ["ja", "nee"]))
            _walk_fields(lay, sub, value, p, lab, (_years_of(value) or grid) if _has_grid(sub) else grid, template)
        elif shape.kind in (TABLE, KEYED):
            if getattr(info, "exclude_if", None) is not None and not value:
                continue  # a list written only when it has lines (a grex's scenarios): no sheet until it has
            own = grid or (list(DEFAULT_YEARS) if template and _has_grid(model) else [])
            pos = len(lay.tables)
            lay.tables.insert(pos, _table(shape, p, lab, [], _items(value), own, info, lay, template))


def _map_keys(shape: Shape, value: Any) -> list[Any]:
    keys = list(_choices(shape.key_type) or [])
    for k in (value or {}):
        if k not in keys:
            keys.append(k)
    return keys


def _items(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return list(value.values())
    return []


def _table(shape: Shape, path: tuple, labels: tuple, parents: list[tuple[tuple, str]], values: list[Any] | dict | None, grid: list[int],
           info: FieldInfo, lay: Layout, template: bool) -> Table:
    """The sheet of the list (or keyed mapping) at ``path``; ``values``: every line of it in the document (for a
    nested list: the lines of all parents together)."""
    t = Table(pattern=_pattern(path) + ("*",), title=" › ".join(labels), models=shape.models, parents=parents)
    items = list(values or [])
    if shape.kind == KEYED:
        t.keyed = shape.key_type
        if not shape.models:
            t.value_ann = shape.value
            k, v = get_args(shape.value)
            t.blocks.append(Block((), labels[-1], _unit(info), _strip(k)[0], v, _block_keys(_strip(k)[0], items, (), []), help=info.description or ""))
            return t
    me = (t.pattern, labels[-1])
    seen: dict[tuple, Column | Block | None] = {}
    for m in t.models:
        line_items = [x for x in items if len(t.models) == 1 or _pick(t.models, x) is m] if items else []
        _columns(t, m, (), (), line_items, grid, seen, lay, parents + [me], template)
    if len(t.models) > 1:  # the tag of a tagged union first, with the tags of every member
        tags = [c for c in t.columns if c.choices and len(c.rel) == 1 and get_origin(_strip(c.ann)[0]) is Literal]
        if tags:
            tags[0].ann = Literal[tuple(tags[0].choices or ())]
        t.columns = tags[:1] + [c for c in t.columns if c not in tags[:1]]
    return t


def _block_keys(key_type: Any, items: list[Any], rel: tuple, grid: list[int]) -> list[Any]:
    keys: list[Any] = list(_choices(key_type) or [])
    for it in items:
        v = _value_at(it, rel) if rel else it
        if isinstance(v, dict):
            for k in v:
                kk = int(k) if key_type is int and isinstance(k, str) and k.lstrip("-").isdigit() else k
                if kk not in keys:
                    keys.append(kk)
    if key_type is int:
        if grid and all(_is_year_key(k) for k in keys):
            keys = sorted(set(keys) | set(grid))
            keys = list(range(keys[0], keys[-1] + 1))
        else:
            keys = sorted(keys)
    return keys


def _columns(t: Table, model: type[BaseModel], rel: tuple, labels: tuple, items: list[Any], grid: list[int], seen: dict[tuple, Any], lay: Layout,
             parents: list[tuple[tuple, str]], template: bool) -> None:
    union = len(t.models) > 1
    for name, info in _field_order(model):
        key, label = _key(name, info), _label(name, info)
        r = rel + (key,)
        values = [_value_at(it, r) for it in items]
        shape = classify(_ann(info), next((v for v in values if v is not None), None))
        text = " › ".join(labels + (label,))
        unit, help_ = _unit(info), info.description or ""
        if r in seen:
            prev = seen[r]
            extra = _choices(shape.value) if shape.kind == SCALAR else None
            if isinstance(prev, Column) and prev.choices is not None and extra:
                prev.choices += [x for x in extra if x not in prev.choices]
            continue
        if union and shape.kind in (MODEL, TABLE, KEYED, RATEMAP):
            shape = Shape(JSON_, value=_ann(info))  # a member's nested document (a scenario's new project): JSON in one cell
        if shape.kind == SCALAR:
            last = is_confidential(info) or getattr(info, "exclude_if", None) is not None
            t.columns.append(Column(r, text, unit, SCALAR, shape.value, help_, _choices(shape.value), last=last))
            seen[r] = t.columns[-1]
            continue
        seen[r] = None
        if shape.kind in (TEXTLIST, JSON_):
            t.columns.append(Column(r, text, unit, shape.kind, shape.value, help_))
        elif shape.kind == MAP:
            own = []
            for it in items:
                own += _years_of(it) if _has_grid(model) else []
            year_grid = (sorted(set(own)) or grid or (list(DEFAULT_YEARS) if template and _has_grid(model) else [])) if _is_year_key_type(shape.key_type) else []
            keys = _block_keys(shape.key_type, items, r, year_grid)
            t.blocks.append(Block(r, text, unit, _strip(shape.key_type)[0], shape.value, keys, help=help_))
        elif shape.kind == RATE:
            t.columns.append(Column(r, text, unit or "%", "vast", float, help_))
            keys = _block_keys(int, items, r, [])
            t.blocks.append(Block(r, text, unit or "%", int, float, keys, rate=True, help=help_))
        elif shape.kind == MODEL and len(shape.models) == 1 and not any(isinstance(m, Embeds) for m in _members(_ann(info))[2]):
            sub_grid = sorted({y for v in values for y in _years_of(v)}) or grid
            _columns(t, shape.models[0], r, labels + (label,), items, sub_grid, seen, lay, parents, template)
        elif shape.kind in (TABLE, KEYED, RATEMAP):
            nested = [v for v in values if v is not None]
            pos = len(lay.tables)
            if shape.kind == RATEMAP:
                sub = Table(pattern=t.pattern + r + ("*",), title=f"{t.title} › {text}", models=(), parents=parents, keyed=shape.key_type, rate_values=True)
                sub.keyed_label = "Reeks"
                sub.columns.append(Column((), label, unit or "%", "vast", float, help_))
                flat = [x for v in nested for x in (v.values() if isinstance(v, dict) else [])]
                sub.blocks.append(Block((), label, unit or "%", int, float, _block_keys(int, [{"_": x} for x in flat], ("_",), []), rate=True, help=help_))
                lay.tables.insert(pos, sub)
            else:
                flat_items: Any = [x for v in nested for x in (v if isinstance(v, list) else v.values() if isinstance(v, dict) else [])]
                own = sorted({y for it in items for y in _years_of(_value_at(it, rel) if rel else it)})
                sub_grid = own or grid or (list(DEFAULT_YEARS) if template and _has_grid(model) else [])
                sub = _table(shape, t.pattern + r, (t.title, text), parents, flat_items, sub_grid, info, lay, template)
                sub.title = f"{t.title} › {text}"
                lay.tables.insert(pos, sub)
        else:
            t.columns.append(Column(r, text, unit, JSON_, _ann(info), help_))


def _field_order(model: type[BaseModel]) -> list[tuple[str, FieldInfo]]:
    """The fields of a line model in column order: the name first, then the fields the model itself adds to its
    base (a cost line's ``kostensoort``), then the rest as declared, and last the optional details a document only
    holds when given (``exclude_if``: a grex line's fase, deelgebied and hoeveelheid × eenheidsprijs, declared by a
    mixin before the line's own fields)."""
    fields = list(model.model_fields.items())
    details = [(n, f) for n, f in fields if getattr(f, "exclude_if", None) is not None]
    fields = [x for x in fields if x not in details]
    inherited = {n for base in model.__mro__[1:] if _is_model(base) for n in getattr(base, "model_fields", {})}
    own = [(n, f) for n, f in fields if n not in inherited]
    if not inherited or not own:
        return fields + details
    first = [(n, f) for n, f in fields[:1] if _key(n, f) in LINE_KEYS or n in LINE_KEYS]
    return first + own + [x for x in fields if x not in first and x not in own] + details


def _is_year_key_type(k: Any) -> bool:
    return _strip(k)[0] is int


def _sheet_title(text: str) -> str:
    bad = set("[]:*?/\\")
    s = "".join(" " if ch in bad else ch for ch in str(text)).strip().strip("'")
    return (s[:1].upper() + s[1:])[:31] or "Blad"


def _name_tables(lay: Layout, reserved: Iterable[str] = ()) -> None:
    """A short, unique sheet name per table (at most 31 characters): its label (``Kosten``), else the label of
    the block it is in with its keys (``Initiatiefnemer kosten``, ``Projecten grex kosten``); never one of
    ``reserved``."""
    used = {FIELDS_SHEET.lower(), META_SHEET.lower(), "toelichting"} | {r.lower() for r in reserved}
    if lay.series:
        used.add(lay.series_name.lower())
    for t in lay.tables:
        labels = t.title.split(" › ")
        keys = [str(p) for p in t.pattern if p != "*" and p != "inline"]
        rest = " ".join(keys[1:])
        if len(keys) == 1:
            candidates = [labels[-1]]
        elif len(keys) == 2:
            candidates = [f"{labels[0]} {rest}", labels[-1], rest]
        else:  # deeper (an embedded document's lines): the block it is in, by its first word, and the keys
            candidates = [f"{labels[0]} {rest}", f"{labels[0].split()[0]} {rest}"]
        fits = [_sheet_title(c) for c in candidates if len(c) <= 31]
        if len(keys) > 2:
            fits.append(_sheet_title(candidates[-1]))
        name = next((c for c in fits if c.lower() not in used), None)
        if name is None:
            base = _sheet_title(candidates[0])[:28].rstrip()
            n = 2
            while f"{base} {n}".lower() in used:
                n += 1
            name = f"{base} {n}"
        t.name = name
        used.add(name.lower())
        if len(keys) == 1:
            info = _field_at(lay.model, tuple(keys))
            alts = {_sheet_title(keys[0])} | ({_sheet_title(info[0])} if info else set())
            t.alternates = tuple(a for a in alts if a != name)


# ---------------------------------------------------------------------------------------------- writing
@dataclass
class InvoerCells:
    """Where :func:`write_invoer` put each value: for the formulas of the calculation sheets."""

    places: dict[tuple, tuple[str, int, int]] = field(default_factory=dict)
    """Document path (Dutch keys, list positions) -> (sheet, row, column) of its value (a rate: its fixed value)."""
    blocks: dict[tuple, tuple[str, int, dict[Any, int]]] = field(default_factory=dict)
    """Path of a per-line mapping or a rate -> (sheet, row, {key: column}) (every key of the block, filled or not)."""
    rows: dict[tuple, tuple[str, list[int]]] = field(default_factory=dict)
    """Path of a list -> (sheet, row of each line)."""
    layout: Layout | None = None

    def ref(self, path: tuple, *, absolute: bool = True, sheet: bool = True) -> str:
        """``'Algemeen'!$B$5`` of the value at ``path``."""
        s, r, c = self.places[tuple(path)]
        return _ref(s, r, c, absolute, sheet)

    def key_ref(self, path: tuple, key: Any, *, absolute: bool = True) -> str:
        """The cell of ``key`` (a year) in the block of ``path``."""
        s, r, cols = self.blocks[tuple(path)]
        return _ref(s, r, cols[key], absolute, True)

    def block_range(self, path: tuple, keys: Sequence[Any]) -> str:
        """``'Kosten'!$E$3:$P$3``: the cells of consecutive ``keys`` in the block of ``path``."""
        s, r, cols = self.blocks[tuple(path)]
        a, b = cols[keys[0]], cols[keys[-1]]
        if b - a != len(keys) - 1:
            raise ValueError("geen aaneengesloten kolommen")
        return f"{_quote(s)}!${col(a)}${r}:${col(b)}${r}"


def _quote(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _ref(sheet: str, row: int, column: int, absolute: bool = True, with_sheet: bool = True) -> str:
    d = "$" if absolute else ""
    cell = f"{d}{col(column)}{d}{row}"
    return f"{_quote(sheet)}!{cell}" if with_sheet else cell


def write_invoer(wb: Any, model: type[BaseModel], data: dict[str, Any] | None, herkomst: Herkomst | None = None, *,
                 jaren: Sequence[int] | None = None, reeksjaren: Sequence[int] | None = None, titel: str | None = None,
                 reserved: Iterable[str] = ()) -> InvoerCells:
    """Write the input sheets of ``data`` (plain document data with Dutch keys; ``None``: an empty template of
    ``model``) into the openpyxl workbook ``wb`` (appended after its sheets), with the hidden ``opengrex`` sheet.

    Every user text is a text cell (never a formula: :mod:`opengrex.io.xlsx_cells`). Returns where each value
    went (:class:`InvoerCells`). ``reserved``: sheet names the input sheets must not take."""
    lay = build_layout(model, data, jaren=jaren, reeksjaren=reeksjaren, reserved=reserved)
    cells = InvoerCells(layout=lay)
    herkomst = herkomst or Herkomst(soort=model.__name__.lower())
    herkomst.model = herkomst.model or model.__name__
    herkomst.bladen = {}
    _write_fields(wb.create_sheet(FIELDS_SHEET), lay, data, cells, titel)
    herkomst.bladen[FIELDS_SHEET] = ""
    if lay.series:
        _write_series(wb.create_sheet(lay.series_name), lay, data, cells)
        herkomst.bladen[lay.series_name] = "@reeksen"
    for t in lay.tables:
        _write_table(wb.create_sheet(t.name), t, data, cells)
        herkomst.bladen[t.name] = t.spec
    _write_meta(wb.create_sheet(META_SHEET), herkomst)
    return cells


def _cell_value(v: Any, ann: Any) -> Any:
    """A document value as a cell value (dates as dates, booleans as ja/nee, lists as ``a; b``)."""
    if v is None:
        return None
    t = _strip(ann)[0] if ann is not None else None
    if isinstance(v, bool):
        return "ja" if v else "nee"
    if t is dt.date and isinstance(v, str):
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            return v
    if isinstance(v, (list, tuple)) and all(not isinstance(x, (dict, list)) for x in v):
        return "; ".join(str(x) for x in v)
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return v


def _style_header(ws: Any, row: int, column: int, text: Any, fill: PatternFill = _HEAD_FILL) -> Any:
    c = put(ws, row, column, text)
    c.font = _BOLD
    c.fill = fill
    c.alignment = Alignment(wrap_text=True, vertical="top")
    return c


def _write_fields(ws: Any, lay: Layout, data: Any, cells: InvoerCells, titel: str | None) -> None:
    put(ws, 1, 1, titel or f"Invoer: {_value_at(data, ('naam',)) or _value_at(data, ('name',)) or lay.model.__name__}").font = _TITLE
    for j, h in enumerate(("Veld", "Waarde", "Eenheid", "Toelichting", "Sleutel"), start=1):
        _style_header(ws, 2, j, h)
    for i, f in enumerate(lay.fields):
        r = FIRST_ROW + i
        put(ws, r, 1, f.label + (" *" if f.required else "")).font = _BOLD
        v = _value_at(data, f.path)
        if f.kind == "optional":
            v = None if data is None else ("ja" if v is not None else "nee")
        c = put(ws, r, 2, _cell_value(v, f.ann))
        c.fill = _INPUT_FILL
        fmt = _number_format(f.unit, _strip(f.ann)[0] if f.ann is not None else None)
        if fmt and (not isinstance(v, str) or _strip(f.ann)[0] is dt.date):
            c.number_format = fmt
        put(ws, r, 3, f.unit.replace("EUR", "€") if f.unit else None)
        note = f.help + (f" Keuze: {', '.join(str(x) for x in f.choices)}." if f.choices else "")
        put(ws, r, 4, note.strip() or None).alignment = Alignment(wrap_text=True, vertical="top")
        put(ws, r, 5, _path_key(f.path)).font = _KEY_FONT
        cells.places[f.path] = (ws.title, r, 2)
        if f.choices:
            _validation(ws, f"B{r}", [("ja" if x is True else "nee" if x is False else x) for x in f.choices])
    for letter, width in (("A", 44), ("B", 26), ("C", 12), ("D", 70), ("E", 30)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "B3"


def _code_kostensoort() -> list[str]:
    from opengrex.codes import kostensoorten

    return [k.code for k in kostensoorten()]


def _code_opbrengstsoort() -> list[str]:
    from opengrex.model.grex import OPBRENGSTSOORTEN

    return list(OPBRENGSTSOORTEN)


CODE_LISTS = {"kostensoort": _code_kostensoort, "opbrengstsoort": _code_opbrengstsoort}
"""Fields whose value is a code from a list kept outside the model (the kostensoortenlijst, the opbrengstsoorten):
their columns get a drop-down list (sheet ``Lijsten``, hidden). The model's own check still decides."""
LISTS_SHEET = "Lijsten"


def _list_validation(ws: Any, ref: str, key: str) -> None:
    """A drop-down with the code list ``key`` (written once per workbook on the hidden sheet ``Lijsten``)."""
    from openpyxl.workbook.defined_name import DefinedName

    wb = ws.parent
    name = f"Lijst{key.capitalize()}"
    if name not in wb.defined_names:
        lists = wb[LISTS_SHEET] if LISTS_SHEET in wb.sheetnames else wb.create_sheet(LISTS_SHEET)
        lists.sheet_state = "hidden"
        c = lists.max_column + 1 if lists.max_row > 1 or lists["A1"].value is not None else 1
        values = CODE_LISTS[key]()
        put(lists, 1, c, key).font = _BOLD
        for i, v in enumerate(values, start=2):
            put(lists, i, c, v)
        wb.defined_names[name] = DefinedName(name, attr_text=f"{LISTS_SHEET}!${col(c)}$2:${col(c)}${len(values) + 1}")
    dv = DataValidation(type="list", formula1=f"={name}", allow_blank=True, showErrorMessage=True, errorTitle="Keuze", error=f"Kies een {key} uit de lijst.")
    ws.add_data_validation(dv)
    dv.add(ref)


def _validation(ws: Any, ref: str, choices: list[Any]) -> None:
    text = ",".join(str(x) for x in choices)
    if len(text) > 250 or any(ch in text for ch in '"'):
        return
    dv = DataValidation(type="list", formula1=f'"{text}"', allow_blank=True, showErrorMessage=True, errorTitle="Keuze",
                        error=f"Kies uit: {', '.join(str(x) for x in choices)}")
    ws.add_data_validation(dv)
    dv.add(ref)


def _write_series(ws: Any, lay: Layout, data: Any, cells: InvoerCells) -> None:
    hint = " Een nieuwe reeks: een rij met de naam in kolom A, kolom 'Sleutel' leeg." if lay.series_maps else ""
    put(ws, 1, 1, "Percentages per jaar: vul óf een vast percentage in (kolom B), óf percentages per jaar (het laatste geldt ook voor "
        "latere jaren, het eerste ook voor eerdere)." + hint).font = _BOLD
    years = lay.series_years
    heads = ["Reeks", "Vast"] + years + ["Sleutel"]
    for j, h in enumerate(heads, start=1):
        _style_header(ws, 2, j, h)
    key_col = len(heads)
    for i, s in enumerate(lay.series):
        r = FIRST_ROW + i
        put(ws, r, 1, s.label).font = _BOLD if not s.entry else Font()
        v = _value_at(data, s.path)
        vast = ws.cell(row=r, column=2, value=float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None)
        vast.number_format = PCT_FORMAT
        vast.fill = _INPUT_FILL
        colmap = {}
        for j, y in enumerate(years):
            c = ws.cell(row=r, column=3 + j)
            c.number_format = PCT_FORMAT
            if isinstance(v, dict):
                x = v.get(y, v.get(str(y)))
                if x is not None:
                    c.value = float(x)
            colmap[y] = 3 + j
        put(ws, r, key_col, "" if s.entry and not s.keyed else _path_key(s.path)).font = _KEY_FONT
        cells.places[s.path] = (ws.title, r, 2)
        cells.blocks[s.path] = (ws.title, r, colmap)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 10
    for j in range(len(years)):
        ws.column_dimensions[col(3 + j)].width = 8
    ws.column_dimensions[col(key_col)].width = 24
    ws.freeze_panes = "C3"


def _table_rows(t: Table, data: Any) -> list[tuple[list[Any], Any, Any, tuple]]:
    """(parent keys, mapping key, line, concrete path) of every line of table ``t`` in ``data``, in document order."""
    out: list[tuple[list[Any], Any, Any, tuple]] = []

    def walk(node: Any, pattern: tuple, path: tuple, pkeys: list[Any], depth_parents: int) -> None:
        if not pattern:
            return
        head, rest = pattern[0], pattern[1:]
        if head == "*":
            if isinstance(node, list):
                pairs: Iterable[tuple[Any, Any]] = enumerate(node)
            elif isinstance(node, dict):
                pairs = node.items()
            else:
                return
            for k, item in pairs:
                if not rest:
                    out.append((list(pkeys), k if isinstance(node, dict) else None, item, path + (k,)))
                else:
                    walk(item, rest, path + (k,), pkeys + [_line_key(item, k)], depth_parents)
        else:
            walk(node.get(head) if isinstance(node, dict) else None, rest, path + (head,), pkeys, depth_parents)

    walk(data, t.pattern, (), [], 0)
    return out


def _line_key(item: Any, position: Any) -> Any:
    key = line_key(item, None)
    if key is not None:
        return key
    return position + 1 if isinstance(position, int) else position


def _write_table(ws: Any, t: Table, data: Any, cells: InvoerCells) -> None:
    put(ws, 1, 1, t.title).font = _TITLE
    c = 1
    head: list[tuple[int, Any]] = []
    for _, label in t.parents:
        _style_header(ws, 2, c, label)
        c += 1
    key_col = None
    if t.keyed is not None:
        key_col = c
        _style_header(ws, 2, c, t.keyed_label)
        c += 1
    col_of: dict[int, int] = {}
    for i, column in enumerate(t.columns):
        if column.last:
            continue
        _style_header(ws, 2, c, column.header)
        col_of[i] = c
        head.append((c, column))
        c += 1
    block_cols: list[dict[Any, int]] = []
    for b in t.blocks:
        if b.keys:
            _style_header(ws, 1, c, b.header, _BLOCK_FILL)
        cols: dict[Any, int] = {}
        for k in b.keys:
            _style_header(ws, 2, c, k, _BLOCK_FILL)
            ws.column_dimensions[col(c)].width = 11
            cols[k] = c
            c += 1
        block_cols.append(cols)
    for i, column in enumerate(t.columns):
        if column.last:
            _style_header(ws, 2, c, column.header)
            col_of[i] = c
            head.append((c, column))
            c += 1
    rows = _table_rows(t, data) if data is not None else []
    row_lists: dict[tuple, list[int]] = {}
    for i, (pkeys, mkey, item, path) in enumerate(rows):
        r = FIRST_ROW + i
        for j, k in enumerate(pkeys):
            put(ws, r, 1 + j, k)
        if key_col is not None:
            put(ws, r, key_col, mkey)
        for ci, column in enumerate(t.columns):
            v = _value_at(item, column.rel) if column.rel else item
            if column.kind == "vast":
                v = v if isinstance(v, (int, float)) and not isinstance(v, bool) else None
            if column.kind == JSON_ and isinstance(v, str) and _is_json(v):
                v = json.dumps(v, ensure_ascii=False)  # a text that reads as JSON ("123", "true") stays that text
            cell = put(ws, r, col_of[ci], _cell_value(v, column.ann))
            fmt = _number_format(column.unit, _strip(column.ann)[0] if column.ann is not None else None)
            if fmt and not isinstance(v, str):
                cell.number_format = fmt
            cells.places[path + column.rel] = (ws.title, r, col_of[ci])
        for b, cols in zip(t.blocks, block_cols):
            v = _value_at(item, b.rel) if b.rel else item
            fmt = _number_format(b.unit, _strip(b.value)[0] if b.value is not None else None)
            if isinstance(v, dict):  # only the cells that hold a value (a large grex has many empty years)
                for k, cc in cols.items():
                    x = v.get(k, v.get(str(k)) if not isinstance(k, str) else None)
                    if x is not None:
                        cell = ws.cell(row=r, column=cc, value=_cell_value(x, b.value))
                        if fmt:
                            cell.number_format = fmt
            cells.blocks[path + b.rel] = (ws.title, r, dict(cols))
        row_lists.setdefault(path[:-1], []).append(r)
    for p, rs in row_lists.items():
        cells.rows[p] = (ws.title, rs)
    for cc, column in head:
        ws.column_dimensions[col(cc)].width = max(12, min(40, len(column.header) + 4))
        ref = f"{col(cc)}{FIRST_ROW}:{col(cc)}{FIRST_ROW + max(len(rows), 200)}"
        if column.choices:
            _validation(ws, ref, column.choices)
        elif column.rel and column.rel[-1] in CODE_LISTS:
            _list_validation(ws, ref, str(column.rel[-1]))
    for j in range(len(t.parents) + (key_col is not None)):
        ws.column_dimensions[col(1 + j)].width = 30
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=len(t.parents) + (key_col is not None) + 1 + min(1, len(t.columns)))


def toelichting_rows(lay: Layout, cells: InvoerCells | None = None) -> list[tuple[str, Any]]:
    """The explanation of the input sheets of a layout, field by field (label, key, unit, help), as rows for
    :func:`write_notes`: what every column and row means, written from the model like the sheets themselves."""
    rows: list[tuple[str, Any]] = [
        ("Invoerbladen", _TITLE),
        ("Gele cellen en de tabellen zijn invoer; wijzig ze hier en lees het werkboek in als nieuwe versie (webapp: Versies › Nieuwe versie "
         "uploaden; opdrachtregel: opengrex … import). Vóór het opslaan toont de webapp wat er verandert. Fouten noemen het blad en de cel. "
         "Bedragen in euro's; percentages als percentage (3,5%) of als fractie (0,035); ja/nee als ja of nee.", None),
        (f"Blad {FIELDS_SHEET}: één rij per gegeven; kolom Waarde is de invoer, kolom Sleutel zegt waar het in het document staat (niet wijzigen). "
         "Een rij '(opnemen)' zet een onderdeel aan (ja) of uit (nee).", _BOLD),
    ]
    for f in lay.fields:
        if f.kind == "optional":
            continue
        unit = f" [{f.unit.replace('EUR', '€')}]" if f.unit else ""
        rows.append((f"  {f.label}{unit}{' (verplicht)' if f.required else ''}: {f.help or '—'}", None))
    if lay.series:
        rows.append((f"Blad {lay.series_name}: percentages per jaar; per rij óf kolom Vast óf percentages onder de jaarkolommen (het laatste "
                     "geldt ook voor latere jaren, het eerste ook voor eerdere). Jaarkolommen mag je toevoegen (kop = jaartal).", _BOLD))
        for srow in lay.series:
            if not srow.entry:
                rows.append((f"  {srow.label}: {srow.help or '—'}", None))
        for _, label in lay.series_maps:
            rows.append((f"  {label}: één rij per reeks, met de naam in kolom A.", None))
    for t in lay.tables:
        lead = f"; kolom '{t.parents[-1][1]}' noemt de regel waar de regel bij hoort" if t.parents else ""
        rows.append((f"Blad {t.name}: {t.title}, één regel per rij vanaf rij {FIRST_ROW}{lead}. Lege rijen worden overgeslagen.", _BOLD))
        for c in t.columns:
            rows.append((f"  {c.header}: {c.help or '—'}" + (f" Keuze: {', '.join(str(x) for x in c.choices)}." if c.choices else ""), None))
        for b in t.blocks:
            what = "jaar" if b.key_type is int else "sleutel"
            rows.append((f"  {b.header} (kolommen onder dit label in rij 1, per {what} een kolom; de kop in rij 2 is het {what}): {b.help or '—'}", None))
    return rows


def write_notes(ws: Any, rows: list[tuple[str, Any]], first: int = 1) -> int:
    """Fill an explanation sheet (Toelichting): one wrapped text per row in column A from row ``first``, optionally
    with a font; returns the next free row."""
    for i, (text, font) in enumerate(rows, start=first):
        c = put(ws, i, 1, text)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        if font is not None:
            c.font = font
    ws.column_dimensions["A"].width = 140
    return first + len(rows)


def write_workbook(model: type[BaseModel], data: dict[str, Any] | None, herkomst: Herkomst | None = None, *, titel: str | None = None,
                   jaren: Sequence[int] | None = None, reeksjaren: Sequence[int] | None = None) -> tuple[Any, InvoerCells]:
    """A new workbook with a Toelichting and the input sheets of ``data`` (``None``: the empty template); the
    caller may add calculation sheets that refer to the returned cells before saving."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Toelichting"
    cells = write_invoer(wb, model, data, herkomst, jaren=jaren, reeksjaren=reeksjaren, titel=titel)
    assert cells.layout is not None
    head = [(titel or f"{model.__name__}: invoer", _TITLE), ("Gemaakt door opengrex.", None), ("", None)]
    write_notes(ws, head + toelichting_rows(cells.layout, cells))
    return wb, cells


def add_invoer(wb: Any, model: type[BaseModel], data: dict[str, Any], herkomst: Herkomst | None = None, *, titel: str | None = None,
               jaren: Sequence[int] | None = None, reeksjaren: Sequence[int] | None = None) -> InvoerCells:
    """The input sheets of ``data`` added to a calculation workbook ``wb`` that has sheets of its own (a gebied, an
    MPG, a plankostenscan): named apart from those sheets, stamped with ``herkomst`` (the workbook can be uploaded
    back as a new version), and explained below the workbook's ``Toelichting`` (a new one when it has none). The
    calculation sheets may then be pointed at the returned cells."""
    cells = write_invoer(wb, model, data, herkomst, jaren=jaren, reeksjaren=reeksjaren, titel=titel, reserved=wb.sheetnames)
    assert cells.layout is not None
    rows = toelichting_rows(cells.layout, cells)
    if "Toelichting" in wb.sheetnames:
        ws = wb["Toelichting"]
        write_notes(ws, rows, ws.max_row + 2)
    else:
        write_notes(wb.create_sheet("Toelichting", 0), [(titel or f"{model.__name__}: invoer", _TITLE), ("", None)] + rows)
    return cells


def workbook_bytes(wb: Any) -> bytes:
    """The workbook as .xlsx bytes, with the hidden ``opengrex`` sheet last."""
    import io

    for last in (LISTS_SHEET, META_SHEET):
        if last in wb.sheetnames:
            wb.move_sheet(last, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(last))
    buf = io.BytesIO()
    save_workbook(wb, buf)
    return buf.getvalue()


def _write_meta(ws: Any, h: Herkomst) -> None:
    rows: list[list[Any]] = [
        ["Dit blad beschrijft het werkboek voor opengrex; niet wijzigen."],
        ["soort", h.soort], ["model", h.model], ["document", h.document], ["versie", h.versie], ["naam", h.naam], ["sjabloon", h.sjabloon],
    ]
    rows += [["blad", name, spec] for name, spec in h.bladen.items()]
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row, start=1):
            put(ws, i, j, v)
    ws.sheet_state = "hidden"


def _path_key(path: tuple) -> str:
    """``programma.woningen[sociaal]``: a document path as written in the Sleutel column."""
    out = ""
    for i, p in enumerate(path):
        if isinstance(p, int) or (i > 0 and not _is_identifier(p)):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + str(p)
    return out


def _is_identifier(p: Any) -> bool:
    return isinstance(p, str) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", p) is not None


def parse_key(text: str) -> tuple:
    """The path of a Sleutel cell: ``programma.woningen[sociaal]`` -> ``("programma", "woningen", "sociaal")``."""
    return tuple(parse_path(str(text)))


# ---------------------------------------------------------------------------------------------- reading
@dataclass
class Invoer:
    """What :func:`read_invoer` read: the document as plain data, where each value stood, and the provenance."""

    data: dict[str, Any]
    locator: Locator
    herkomst: Herkomst | None


class CellReader:
    """Cell reader over the bounded workbook reader (:func:`opengrex.io.xlsx_reader.open_workbook`: zip checked
    first, only the used range read): the saved values, and the formulas to say which have no saved value. Errors
    are collected in ``errors``, each naming the file, sheet and cell."""

    def __init__(self, path: Path, source: str, open_source: str | None = None, allowed: str = ALLOWED) -> None:
        from opengrex.io.xlsx_reader import open_workbook

        self.source = source
        self.errors: list[InputError] = []
        self.wb = open_workbook(path, data_only=True, source=open_source or source, allowed=allowed)
        try:
            self.wbf = open_workbook(path, data_only=False, source=open_source or source, allowed=allowed)
        except InputError:
            self.wb.close()
            raise

    def close(self) -> None:
        self.wb.close()
        self.wbf.close()

    def err(self, sheet: str, ref: str, field_: str, message: str, value: Any = None, allowed: str | None = None) -> None:
        self.errors.append(InputError(message, location=f"{self.source}, blad {sheet}, cel {ref}", field=field_, value=value, allowed=allowed))

    def value(self, ws: Any, row: int, column: int) -> Any:
        """The value of a cell (text stripped, empty text as ``None``); a formula without a saved value is an error."""
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


class _Reader(CellReader):
    def __init__(self, path: Path, source: str, open_source: str | None = None) -> None:
        super().__init__(path, source, open_source)
        self.places: dict[tuple, str] = {}


def read_herkomst(path: str | Path, source: str | None = None) -> Herkomst | None:
    """The provenance stamped in a workbook (None: a workbook without the ``opengrex`` sheet)."""
    from opengrex.io.xlsx_reader import open_workbook

    p = Path(path)
    with open_workbook(p, data_only=True, source=source or p.name, allowed=ALLOWED) as wb:
        return _read_meta(wb)


def _read_meta(wb: Any) -> Herkomst | None:
    if META_SHEET not in wb.sheetnames:
        return None
    ws = wb[META_SHEET]
    h = Herkomst(soort="")
    for row in ws.iter_rows(min_row=1, values_only=True):
        if not row or row[0] is None:
            continue
        k = str(row[0]).strip()
        v = row[1] if len(row) > 1 else None
        if k == "blad" and v is not None:
            h.bladen[str(v)] = str(row[2]) if len(row) > 2 and row[2] is not None else ""
        elif k in ("soort", "model", "naam"):
            setattr(h, k, "" if v is None else str(v))
        elif k in ("document", "versie", "sjabloon"):
            try:
                setattr(h, k, int(v) if v is not None else None)
            except (TypeError, ValueError):
                setattr(h, k, None)
    return h


def read_invoer(path: str | Path, model: type[BaseModel], *, source: str | None = None, soort: str | None = None, open_source: str | None = None) -> Invoer:
    """Read the input sheets of a workbook (see the module) into plain document data of ``model`` (or of the
    member class named in the workbook, e.g. an eindafrekening's kind).

    ``soort``: the document kind expected; a workbook stamped with another kind is refused with an
    :class:`InputError` saying what it is. Every value error is collected and raised together
    (:class:`~opengrex.errors.InputErrors`), each naming the file, sheet and cell."""
    p = Path(path)
    rd = _Reader(p, source or p.name, open_source)
    try:
        herkomst = _read_meta(rd.wb)
        if herkomst is not None and soort is not None and herkomst.soort and herkomst.soort != soort:
            raise InputError(f"dit werkboek is een {herkomst.soort}, geen {soort}", location=rd.source, field="bestand",
                             value=herkomst.beschrijving(), allowed=f"een werkboek van een {soort} (download het van de pagina van dit document)")
        if herkomst is not None and herkomst.sjabloon is not None and herkomst.sjabloon > LAYOUT_VERSION:
            raise InputError("dit werkboek is gemaakt met een nieuwere versie van opengrex", location=rd.source, field="bestand",
                             value=f"sjabloonversie {herkomst.sjabloon}", allowed=f"sjabloonversie {LAYOUT_VERSION} of ouder")
        cls = _model_named(model, herkomst.model if herkomst else "")
        data = _read_all(rd, cls, herkomst)
    finally:
        rd.close()
    if rd.errors:
        raise InputErrors(rd.errors)
    return Invoer(data, Locator(rd.source, places=rd.places), herkomst)


def relocate(exc: InputError, locator: Locator) -> InputError:
    """Point every error of a validation at the sheet and cell its field was read from (``locator`` of
    :func:`read_invoer`); returns ``exc`` (changed in place)."""
    errs = exc.errors if isinstance(exc, InputErrors) else [exc]
    for e in errs:
        if e.path and (not e.location or e.location == locator.source or "blad " not in e.location):
            e.location = locator.where(tuple(e.path))
            e.args = (e._text(),)
    if isinstance(exc, InputErrors):
        exc.location, exc.message = errs[0].location, errs[0].message
        exc.args = ("\n".join(str(e) for e in errs),) if len(errs) > 1 else (errs[0]._text(),)
    return exc


def model_class(model: type[BaseModel], name: str) -> type[BaseModel]:
    """The class named ``name`` among ``model`` and its subclasses (a tagged union's member); ``model`` otherwise."""
    return _model_named(model, name)


def _model_named(model: type[BaseModel], name: str) -> type[BaseModel]:
    if not name or name == model.__name__:
        return model
    todo = [model]
    while todo:
        m = todo.pop()
        if m.__name__ == name:
            return m
        todo += m.__subclasses__()
    return model


def _read_all(rd: _Reader, model: type[BaseModel], herkomst: Herkomst | None) -> dict[str, Any]:
    lay = build_layout(model, None)
    names = {n.lower(): n for n in rd.wb.sheetnames}
    data: dict[str, Any] = {}
    if FIELDS_SHEET.lower() in names:
        _read_fields(rd, rd.wb[names[FIELDS_SHEET.lower()]], model, lay, data)
    elif not herkomst:
        raise InputError(f"blad '{FIELDS_SHEET}' ontbreekt", location=rd.source, field="bestand", value=", ".join(rd.wb.sheetnames),
                         allowed=f"een werkboek met het blad {FIELDS_SHEET} (download het werkboek of het sjabloon van de pagina van het document)")
    # which sheet holds what: the stamp, else the default names of the layout
    plan: list[tuple[str, str]] = []
    if herkomst and herkomst.bladen:
        plan = [(n, spec) for n, spec in herkomst.bladen.items() if spec and n in rd.wb.sheetnames]
        missing = [n for n, spec in herkomst.bladen.items() if n not in rd.wb.sheetnames]
        if missing:
            raise InputError(f"blad '{missing[0]}' ontbreekt", location=rd.source, field="bestand", value=", ".join(rd.wb.sheetnames),
                             allowed="alle bladen van het werkboek (verwijder of hernoem geen bladen)")
    else:
        if lay.series:
            for n in (lay.series_name, *lay.series_alternates):
                if n.lower() in names:
                    plan.append((names[n.lower()], "@reeksen"))
                    break
        for t in lay.tables:
            for n in (t.name, *t.alternates):
                if n.lower() in names:
                    plan.append((names[n.lower()], t.spec))
                    break
    tables = {t.spec: t for t in lay.tables}
    for name, spec in sorted(plan, key=lambda x: x[1].count("[]")):
        ws = rd.wb[name]
        if spec == "@reeksen":
            _read_series(rd, ws, model, lay, data)
        elif spec in tables:
            _read_table(rd, ws, model, tables[spec], data)
        else:
            other = _table_for_spec(model, spec)
            if other is None:
                raise InputError(f"blad '{name}' hoort bij een onderdeel dat dit document niet heeft", location=rd.source, field="bestand", value=spec,
                                 allowed=", ".join(sorted(tables)) or "(geen lijsten)")
            _read_table(rd, ws, model, other, data)
    return data


def _table_for_spec(model: type[BaseModel], spec: str) -> Table | None:
    """The table of a list that only exists with data (the lines of an embedded document, e.g. a kostenverhaal
    party's inline grex): the schema is walked along ``spec``, an embedded document taken as its model."""
    pattern = _spec_pattern(spec)
    keys = [p for p in pattern if p != "*"]
    m: Any = model
    parents: list[tuple[tuple, str]] = []
    labels: list[str] = []
    walked: list[Any] = []
    for i, part in enumerate(keys):
        if not _is_model(m):
            return None
        found = next(((n, f) for n, f in m.model_fields.items() if part in (n, f.alias)), None)
        if found is None:
            return None
        name, info = found
        _, _, meta = _members(_ann(info))
        embeds = next((x for x in meta if isinstance(x, Embeds)), None)
        shape = Shape(MODEL, (embeds.model,)) if embeds is not None else classify(_ann(info))
        labels.append(_label(name, info))
        walked.append(part)
        if i == len(keys) - 1:
            if shape.kind not in (TABLE, KEYED):
                return None
            t = _table(shape, tuple(walked), tuple(labels), parents, [], [], info, Layout(model), False)
            t.pattern = pattern
            return t
        if shape.kind == TABLE:
            walked.append("*")
            parents.append((tuple(walked), labels[-1]))
            m = shape.models[0]
        elif shape.kind == MODEL:
            m = shape.models[0]
        else:
            return None
    return None


def _concrete(pattern: tuple) -> tuple:
    return tuple(0 if p == "*" else p for p in pattern)


def _spec_pattern(spec: str) -> tuple:
    out: list[Any] = []
    for part in spec.split("."):
        while part.endswith("[]"):
            part = part[:-2]
            out.append(part) if part else None
            part = ""
            out.append("*")
        if part:
            out.append(part)
    return tuple(out)


# ---- value conversion
_TRUE = {"ja", "j", "waar", "true", "1", "yes", "x"}
_FALSE = {"nee", "n", "onwaar", "false", "0", "no"}


def to_number(v: Any) -> float | None:
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


def parse_date(v: Any) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if not isinstance(v, str):
        return None
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(v.strip(), fmt).date()
        except ValueError:
            continue
    return None


class _Bad(Exception):
    def __init__(self, message: str, allowed: str) -> None:
        super().__init__(message)
        self.message, self.allowed = message, allowed


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def convert(v: Any, ann: Any, kind: str = SCALAR) -> Any:
    """A cell value as plain document data for a field of type ``ann``; :class:`_Bad` when it is not. A JSON cell
    holds JSON, or plain text where the field takes a text (a rule's ontvanger: a party id or a distribution key)."""
    if kind == JSON_:
        if isinstance(v, str):
            if _is_json(v):
                return json.loads(v)
            if ann is not None and str in _members(ann)[0]:
                return v
            raise _Bad("geen geldige JSON", "JSON zoals opengrex het schrijft")
        return v
    if kind == TEXTLIST:
        t = _strip(ann)[0] if ann is not None else str
        parts = [x.strip() for x in str(v).replace("\n", ";").split(";") if x.strip()] if not isinstance(v, (int, float)) else [v]
        return [convert(x, t) for x in parts]
    members, _, _ = _members(ann) if ann is not None else ([str], False, [])
    literal = next((m for m in members if get_origin(m) is Literal), None)
    if literal is not None:
        choices = list(get_args(literal))
        text = v if not isinstance(v, float) or not v.is_integer() else int(v)
        for c in choices:
            if str(c).lower() == str(text).strip().lower():
                return c
        if len(members) == 1:
            raise _Bad("waarde staat niet in de keuzelijst", ", ".join(str(c) for c in choices))
    if bool in members:
        if isinstance(v, bool):
            return v
        s = str(v).strip().lower()
        if s in _TRUE:
            return True
        if s in _FALSE:
            return False
        raise _Bad("geen ja/nee-waarde", "ja of nee")
    if dt.date in members:
        d = parse_date(v)
        if d is not None:
            return d.isoformat()
        if len(members) == 1:
            raise _Bad("geen datum", "een datum, bijv. 01-01-2025")
    if int in members and float not in members:
        x = to_number(v)
        if x is not None and float(x).is_integer():
            return int(x)
        if str not in members:
            raise _Bad("geen geheel getal" if x is not None else "geen getal", "een geheel getal, bijv. 2025")
    if float in members:
        x = to_number(v)
        if x is not None:
            return int(x) if isinstance(v, int) and not isinstance(v, bool) else x
        if str not in members:
            raise _Bad("geen getal", "een getal, bijv. 1250000 of 0,35")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (dt.datetime, dt.date)):
        return (v.date() if isinstance(v, dt.datetime) else v).isoformat()
    return str(v)


def _type_at(model: type[BaseModel], path: tuple, data_for_union: Any = None) -> tuple[Any, str] | None:
    """(annotation, layout kind) of the value at ``path`` (document keys, list positions/map keys) in ``model``."""
    ann: Any = model
    i = 0
    while i < len(path):
        part = path[i]
        members, _, meta = _members(ann)
        embeds = next((x for x in meta if isinstance(x, Embeds)), None)
        models = [embeds.model] if embeds is not None and isinstance(part, str) else [m for m in members if _is_model(m)]
        if models and isinstance(part, str):
            m = models[0]
            if len(models) > 1 and isinstance(data_for_union, dict):
                m = _pick(tuple(models), data_for_union)
            found = next(((n, f) for mm in ([m] + models) for n, f in mm.model_fields.items() if part in (n, f.alias)), None)
            if found is None:
                return None
            ann = _ann(found[1])
            i += 1
            continue
        if _is_rate(members):
            return (float, SCALAR) if isinstance(part, int) else None
        seq = next((m for m in members if get_origin(m) in (list, tuple)), None)
        dic = next((m for m in members if get_origin(m) is dict), None)
        if seq is not None and isinstance(part, int):
            ann = get_args(seq)[0]
            i += 1
            continue
        if dic is not None:
            ann = get_args(dic)[1]
            i += 1
            continue
        return None
    if any(isinstance(m, Embeds) for m in _members(ann)[2]):
        return ann, "embeds"
    shape = classify(ann)
    return ann, shape.kind


def _set(data: dict[str, Any], path: tuple, value: Any) -> None:
    node: Any = data
    for i, part in enumerate(path[:-1]):
        nxt = path[i + 1]
        if isinstance(node, dict):
            if part not in node or node[part] is None:
                node[part] = [] if isinstance(nxt, int) and False else {}
            node = node[part]
        else:
            node = node[part]
    node[path[-1]] = value


def _key_for(model: type[BaseModel], path: tuple) -> tuple:
    """A Sleutel path with every key as the document spells it now (an English key of the first version -> Dutch)."""
    out: list[Any] = []
    m: Any = model
    for part in path:
        if _is_model(m) and isinstance(part, str):
            found = next(((n, f) for n, f in m.model_fields.items() if part in (n, f.alias)), None)
            if found is not None:
                out.append(_key(*found))
                members, _, meta = _members(_ann(found[1]))
                embeds = next((x for x in meta if isinstance(x, Embeds)), None)
                models = [embeds.model] if embeds else [x for x in members if _is_model(x)]
                m = models[0] if len(models) == 1 else None
                continue
        out.append(part)
        m = None
    return tuple(out)


def _read_fields(rd: _Reader, ws: Any, model: type[BaseModel], lay: Layout, data: dict[str, Any]) -> None:
    hrow, heads = _find_header(ws, ("waarde",))
    vcol = heads.get("waarde", 2)
    kcol = heads.get("sleutel")
    lcol = heads.get("veld", 1)
    by_label: dict[str, FieldRow] = {}
    for f in lay.fields:
        for k in (f.label.lower(), f.label.lower().rstrip(" *"), _path_key(f.path).lower(), str(f.path[-1]).lower()):
            by_label.setdefault(k, f)
        info = _field_at(model, f.path)
        if info is not None and len(f.path) == 1:
            by_label.setdefault(info[0].lower(), f)
    optional_flags: dict[tuple, bool] = {}
    for r in range(hrow + 1, ws.max_row + 1):
        key_text = rd.value(ws, r, kcol) if kcol else None
        label = rd.value(ws, r, lcol)
        if key_text is None and label is None:
            continue
        if key_text is not None:
            path = _key_for(model, parse_key(str(key_text)))
        else:
            row = by_label.get(str(label).strip().lower().rstrip(" *").strip()) or by_label.get(str(label).strip().lower())
            if row is None:
                if rd.value(ws, r, vcol) is not None:
                    rd.err(ws.title, f"{col(lcol)}{r}", "veld", "onbekend veld", label, "de velden van het sjabloon (kolom A) of een sleutel in kolom 'Sleutel'")
                continue
            path = row.path
        raw = rd.value(ws, r, vcol)
        ref = f"{col(vcol)}{r}"
        rd.places[path] = f"blad {ws.title}, cel {ref}"
        flag: FieldRow | bool | None = next((f for f in lay.fields if f.path == path and f.kind == "optional"), None)
        typed = _type_at(model, path, data)
        if typed is not None and typed[1] == "embeds" and raw is not None:
            text = str(raw).strip()
            if text.lower() in _TRUE | _FALSE:  # the '(opnemen)' row of a document embedded in this one
                flag = True
            elif text.startswith(("{", "[")):
                typed = (typed[0], JSON_)
            elif str in _members(typed[0])[0]:
                typed = (str, SCALAR)
            else:
                rd.err(ws.title, ref, _path_key(path), "geen ja/nee en geen JSON", raw, "ja (de gegevens staan in dit werkboek), nee, of JSON")
                continue
        if flag is not None or (typed is not None and typed[1] == MODEL and len(path) >= 1):
            if raw is not None:
                try:
                    optional_flags[path] = bool(convert(raw, bool))
                except _Bad as b:
                    rd.err(ws.title, ref, _path_key(path), b.message, raw, b.allowed)
            continue
        if typed is None:
            rd.err(ws.title, f"{col(kcol or lcol)}{r}", "sleutel", "onbekende sleutel", key_text or label, "de sleutels van het sjabloon")
            continue
        if raw is None:
            continue
        ann, kind = typed
        if kind == RATE:
            x = to_number(raw)
            if x is None:
                rd.err(ws.title, ref, _path_key(path), "geen percentage", raw, "een percentage, bijv. 2% of 0,02")
                continue
            _set(data, path, x)
            continue
        try:
            _set(data, path, convert(raw, ann, kind if kind in (TEXTLIST, JSON_) else SCALAR))
        except _Bad as b:
            rd.err(ws.title, ref, _path_key(path), b.message, raw, b.allowed)
    for path, on in optional_flags.items():
        present = _value_at(data, path) is not None
        if not on and present:
            rd.err(ws.title, rd.places[path].rsplit("cel ", 1)[-1], _path_key(path), "gegevens ingevuld bij een onderdeel dat uit staat", "nee",
                   "'ja' bij '(opnemen)', of de gegevens van dit onderdeel leeg")
        elif on and not present:
            _set(data, path, {})
    for f in lay.fields:  # an optional block without data and without 'ja': absent
        if f.kind == "optional" and f.path not in optional_flags and isinstance(_value_at(data, f.path), dict) and not _value_at(data, f.path):
            _remove(data, f.path)


def _remove(data: dict[str, Any], path: tuple) -> None:
    node = _value_at(data, path[:-1])
    if isinstance(node, dict):
        node.pop(path[-1], None)


def _find_header(ws: Any, wanted: tuple[str, ...], max_row: int = 5) -> tuple[int, dict[str, int]]:
    for r in range(1, min(max_row, ws.max_row) + 1):
        heads: dict[str, int] = {}
        for c in range(1, ws.max_column + 1):
            v = ws.cell(row=r, column=c).value
            if isinstance(v, str) and v.strip():
                heads.setdefault(v.strip().lower(), c)
        if all(w in heads for w in wanted):
            return r, heads
    return 2, {}


def _read_series(rd: _Reader, ws: Any, model: type[BaseModel], lay: Layout, data: dict[str, Any]) -> None:
    hrow = 2
    heads: dict[str, int] = {}
    years: list[tuple[int, int]] = []
    known = {"reeks", "naam", "vast", "vast percentage", "sleutel"}
    for c in range(1, ws.max_column + 1):
        h = ws.cell(row=hrow, column=c).value
        y = _year(h)
        if y is not None:
            years.append((c, y))
        elif isinstance(h, str) and h.strip().lower() in known:
            heads.setdefault(h.strip().lower(), c)
        elif h is not None and not (isinstance(h, str) and not h.strip()):
            rd.err(ws.title, f"{col(c)}{hrow}", "jaar", "kolomkop is geen jaartal", h, "een jaartal, bijv. 2027 (of Reeks, Vast, Sleutel)")
    vast = heads.get("vast", heads.get("vast percentage", 2))
    kcol = heads.get("sleutel")
    roots = {}
    for s in lay.series:
        if not s.entry:
            roots[s.label.lower()] = s.path
            roots[str(s.path[-1]).lower()] = s.path
            info = _field_at(model, s.path)
            if info is not None:
                roots[info[0].lower()] = s.path
    maps = [p for p, _ in lay.series_maps]
    for r in range(hrow + 1, ws.max_row + 1):
        name = rd.value(ws, r, 1)
        key_text = rd.value(ws, r, kcol) if kcol else None
        fixed = rd.value(ws, r, vast)
        per_year = [(c, y, rd.value(ws, r, c)) for c, y in years]
        per_year = [(c, y, v) for c, y, v in per_year if v is not None]
        if name is None and key_text is None:
            if fixed is not None or per_year:
                rd.err(ws.title, f"A{r}", "reeks", "reeks zonder naam", None, "een naam in kolom A")
            continue
        if key_text is not None:
            path = _key_for(model, parse_key(str(key_text)))
        elif str(name).strip().lower() in roots and not (len(maps) == 1 and str(name).strip() in (_value_at(data, maps[0]) or {})):
            path = roots[str(name).strip().lower()]
        elif maps:
            path = maps[0] + (str(name).strip() if not isinstance(name, float) or not name.is_integer() else str(int(name)),)
            if path in _seen_series(data, maps[0]):
                rd.err(ws.title, f"A{r}", _path_key(path), "reeks komt twee keer voor", name, "unieke namen")
                continue
        else:
            if fixed is None and not per_year:
                continue
            rd.err(ws.title, f"A{r}", "reeks", "onbekende reeks", name, ", ".join(s.label for s in lay.series) or "(geen)")
            continue
        field_ = _path_key(path)
        rd.places[path] = f"blad {ws.title}, cel A{r}"
        if fixed is not None and per_year:
            rd.err(ws.title, f"{col(vast)}{r}", field_, "zowel een vast percentage als percentages per jaar", fixed, "óf kolom Vast óf de jaarkolommen")
            continue
        if fixed is not None:
            rd.places[path] = f"blad {ws.title}, cel {col(vast)}{r}"
            x = to_number(fixed)
            if x is None:
                rd.err(ws.title, f"{col(vast)}{r}", field_, "geen percentage", fixed, "een percentage, bijv. 2% of 0,02")
                continue
            _set(data, path, x)
        elif per_year:
            out: dict[int, float] = {}
            for c, y, v in per_year:
                rd.places[path + (y,)] = f"blad {ws.title}, cel {col(c)}{r}"
                x = to_number(v)
                if x is None:
                    rd.err(ws.title, f"{col(c)}{r}", f"{field_}.{y}", "geen percentage", v, "een percentage, bijv. 2% of 0,02")
                    continue
                out[y] = x
            _set(data, path, out)
        elif path[:-1] in maps:
            rd.err(ws.title, f"{col(vast)}{r}", field_, "geen percentage opgegeven", None, "een vast percentage of percentages per jaar")


def _seen_series(data: dict[str, Any], path: tuple) -> set[tuple]:
    v = _value_at(data, path)
    return {path + (k,) for k in v} if isinstance(v, dict) else set()


def _year(v: Any) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, str) and v.strip().lstrip("-").isdigit():
        v = int(v.strip())
    return v if isinstance(v, int) else None


def _bare(text: Any) -> str:
    return str(text).strip().lower().rstrip(" *").strip()


def _norm(text: Any) -> str:
    s = str(text).strip().lower()
    s = re.sub(r"\s*\([^)]*\)\s*$", "", s)  # the unit after the label
    return s.rstrip(" *").strip()


def _read_table(rd: _Reader, ws: Any, model: type[BaseModel], t: Table, data: dict[str, Any]) -> None:
    """Read the lines of table ``t`` from ``ws`` into ``data`` (their parents are read before)."""
    # --- the header: known columns by label, key or old key; block columns under their label in row 1
    col_by: dict[str, Column] = {}
    exact: dict[str, Column] = {}  # header and label as written: labels that differ only in brackets stay apart
    for cdef in t.columns:
        for n in (_bare(cdef.header), _bare(cdef.label)):
            exact.setdefault(n, cdef)
        names = {_norm(cdef.header), _norm(cdef.label), _norm(_path_key(cdef.rel)), _norm(cdef.label.split(" › ")[-1])}
        if len(cdef.rel) == 1:  # the English key of the first version too
            for mm in t.models:
                found = next(((n, f) for n, f in mm.model_fields.items() if cdef.rel[0] in (n, f.alias)), None)
                if found:
                    names.add(found[0].lower())
        for n in names:
            col_by.setdefault(n, cdef)
    blocks_by: dict[str, Block] = {}
    for b in t.blocks:
        for n in {_norm(b.header), _norm(b.label), _norm(_path_key(b.rel)) if b.rel else "", _norm(b.label.split(" › ")[-1])}:
            if n:
                blocks_by.setdefault(n, b)
    parent_cols: list[int] = []
    key_col: int | None = None
    columns: list[tuple[int, Column]] = []
    block_cols: dict[int, tuple[Block, Any]] = {}
    current: Block | None = None
    n_lead = len(t.parents) + (1 if t.keyed is not None else 0)
    for c in range(1, ws.max_column + 1):
        top = ws.cell(row=1, column=c).value
        if isinstance(top, str) and top.strip() and c > n_lead:
            tn = _norm(top)
            current = blocks_by.get(tn) or next((b for n, b in blocks_by.items() if tn.startswith(n)), None)
        h = ws.cell(row=2, column=c).value
        if h is None or (isinstance(h, str) and not h.strip()):
            continue
        if c <= len(t.parents):
            parent_cols.append(c)
            continue
        if t.keyed is not None and key_col is None:
            key_col = c
            continue
        hn = _norm(h)
        column = (exact.get(_bare(h)) or col_by.get(hn)) if isinstance(h, str) else None
        if column is None and isinstance(h, str) and hn in LEGACY_HEADERS:
            column = col_by.get(LEGACY_HEADERS[hn])
        if column is not None and not (current is not None and current.key_type is str and hn in [str(k).lower() for k in current.keys]):
            columns.append((c, column))
            current = None
            continue
        if current is not None:
            k: Any = h
            if current.key_type is int:
                k = _year(h)
                if k is None:
                    rd.err(ws.title, f"{col(c)}2", current.label, "kolomkop in het blok is geen jaartal", h, "een jaartal, bijv. 2027")
                    continue
            else:
                k = str(h).strip() if not isinstance(h, float) or not h.is_integer() else str(int(h))
                choices = _choices(current.key_type)
                if choices is not None:
                    k = next((x for x in choices if str(x).lower() == k.lower()), k)
            if any(bb is current and kk == k for bb, kk in block_cols.values()):
                rd.err(ws.title, f"{col(c)}2", current.label, "kolom komt twee keer voor in het blok", h, "elke sleutel één kolom")
                continue
            block_cols[c] = (current, k)
            continue
        if _year(h) is not None:
            rd.err(ws.title, f"{col(c)}2", "jaar", "jaarkolom hoort niet bij een blok", h, "jaarkolommen onder het label van een blok in rij 1 (bijv. 'Fasering')")
            continue
        rd.err(ws.title, f"{col(c)}2", "kolom", "onbekende kolom", h, ", ".join(c_.header for c_ in t.columns) or "(geen)")
    required = [c for c in t.columns if len(c.rel) == 1 and _required(t.models, c.rel[0])]
    missing = [f"{c.header} [{c.rel[0]}]" for c in required if c not in [x for _, x in columns]]
    if missing and len(t.models) == 1:
        header_cell = re.compile(re.escape(f"{rd.source}, blad {ws.title}, cel ") + r"[A-Z]+2$")
        rd.errors[:] = [e for e in rd.errors if not header_cell.match(e.location or "")]
        rd.errors.append(InputError(f"kolom(men) {', '.join(missing)} ontbreken in rij 2", location=f"{rd.source}, blad {ws.title}", field=t.spec,
                                    value=", ".join(str(ws.cell(row=2, column=c).value) for c in range(1, ws.max_column + 1) if ws.cell(row=2, column=c).value),
                                    allowed=", ".join(c.header for c in t.columns)))
        return
    # --- the lines
    container_of = _containers(t, data)
    counts: dict[tuple, int] = {}
    for r in range(FIRST_ROW, ws.max_row + 1):
        pkeys = [rd.value(ws, r, c) for c in parent_cols]
        mkey = rd.value(ws, r, key_col) if key_col else None
        vals = {c: rd.value(ws, r, c) for c, _ in columns}
        bvals = {c: rd.value(ws, r, c) for c in block_cols}
        if all(v is None for v in pkeys) and mkey is None and all(v is None for v in vals.values()) and all(v is None for v in bvals.values()):
            continue
        parent_path = _parent_path(rd, ws, r, t, pkeys, parent_cols, container_of)
        if parent_path is None:
            continue
        list_path = parent_path + tuple(_tail(t.pattern))
        if t.keyed is not None:
            if mkey is None:
                rd.err(ws.title, f"{col(key_col or 1)}{r}", _pattern_text(t.pattern), "naam ontbreekt", None, f"een waarde in kolom '{t.keyed_label}'")
                continue
            try:
                k = convert(mkey, t.keyed)
            except _Bad as exc:
                rd.err(ws.title, f"{col(key_col or 1)}{r}", _pattern_text(t.pattern), exc.message, mkey, exc.allowed)
                continue
            k = k if not isinstance(t.keyed, type) or t.keyed is not int else int(k)
            item_path = list_path + (k,)
            container = _ensure(data, list_path, {})
            if k in container:
                rd.err(ws.title, f"{col(key_col or 1)}{r}", _path_key(item_path), "naam komt twee keer voor", mkey, "unieke namen")
                continue
        else:
            container = _ensure(data, list_path, [])
            item_path = list_path + (len(container),)
        rd.places[item_path] = f"blad {ws.title}, rij {r}"
        item: Any = {}
        tag = None
        tag_col = next(((c, column) for c, column in columns if get_origin(_strip(column.ann)[0]) is Literal and len(column.rel) == 1), None) if len(t.models) > 1 else None
        if tag_col is not None:
            tag = vals.get(tag_col[0])
        line_model = t.models[0] if t.models else None
        if tag_col is not None and tag is not None:
            line_model = _member_by_tag(t.models, tag_col[1].rel[0], tag) or line_model
        for c, column in columns:
            raw = vals[c]
            ref = f"{col(c)}{r}"
            rd.places[item_path + column.rel] = f"blad {ws.title}, cel {ref}"
            if raw is None:
                continue
            if line_model is not None and column.rel and not _owns(line_model, column.rel):
                rd.err(ws.title, ref, _path_key(item_path + column.rel), "veld hoort niet bij deze soort", raw, f"leeg bij {tag}")
                continue
            if column.kind == "vast":
                x = to_number(raw)
                if x is None:
                    rd.err(ws.title, ref, _path_key(item_path + column.rel), "geen percentage", raw, "een percentage, bijv. 2% of 0,02")
                    continue
                _set_in(item, column.rel, x)
                continue
            try:
                _set_in(item, column.rel, convert(raw, column.ann, column.kind))
            except _Bad as exc:
                rd.err(ws.title, ref, _path_key(item_path + column.rel), exc.message, raw, exc.allowed)
        for b in t.blocks:
            got: dict[Any, Any] = {}
            bcols = [c for c, (bb, _) in block_cols.items() if bb is b]
            if bcols:
                rd.places[item_path + b.rel] = f"blad {ws.title}, cellen {col(min(bcols))}{r}:{col(max(bcols))}{r}"
            for c, (bb, bk) in block_cols.items():
                if bb is not b:
                    continue
                raw = bvals[c]
                ref = f"{col(c)}{r}"
                rd.places[item_path + b.rel + (bk,)] = f"blad {ws.title}, cel {ref}"
                if raw is None:
                    continue
                try:
                    got[bk] = convert(raw, b.value)
                except _Bad as bad:
                    rd.err(ws.title, ref, _path_key(item_path + b.rel + (bk,)), bad.message, raw, bad.allowed)
            if b.rate:
                if got:
                    if (item.get("") if not b.rel else _value_at(item, b.rel)) is not None:
                        rd.err(ws.title, f"A{r}", _path_key(item_path + b.rel), "zowel een vast percentage als percentages per jaar", None, "óf de kolom 'vast' óf de jaarkolommen")
                        continue
                    _set_in(item, b.rel, got)
            elif b.rel:
                if got or _block_required(line_model, b.rel):
                    _set_in(item, b.rel, got)
            else:
                item = got
        if t.rate_values:
            item = _rate_item(item)
            if item is None:
                rd.err(ws.title, f"{col(key_col or 1)}{r}", _path_key(item_path), "geen percentage opgegeven", None, "een vast percentage of percentages per jaar")
                continue
        if isinstance(container, dict):
            container[k] = item
        else:
            container.append(item)
        counts[list_path] = counts.get(list_path, 0) + 1


def _member_by_tag(models: tuple[type[BaseModel], ...], key: str, tag: Any) -> type[BaseModel] | None:
    """The member of a tagged union whose tag field ``key`` allows ``tag`` (a scenario change by its ``type``)."""
    for m in models:
        found = next((f for n, f in m.model_fields.items() if key in (n, f.alias)), None)
        if found is not None and str(tag) in [str(x) for x in (_choices(_ann(found)) or [])]:
            return m
    return None


def _rate_item(item: Any) -> Any:
    """A row of a keyed mapping of rates: its fixed rate (stored under the empty path) or its rates per year."""
    if not isinstance(item, dict):
        return item
    if "" in item and isinstance(item[""], dict):
        return item[""]
    if "" in item:
        return item[""]
    return None


def _required(models: tuple[type[BaseModel], ...], key: str) -> bool:
    for m in models:
        for n, f in m.model_fields.items():
            if key in (n, f.alias):
                return f.is_required()
    return False


def _block_required(model: type[BaseModel] | None, rel: tuple) -> bool:
    """An empty block of a required mapping (a line without phasing) is written as an empty mapping, so the
    model's own check reports it; an optional one is left out."""
    if model is None or len(rel) != 1:
        return False
    return _required((model,), rel[0])


def _owns(model: type[BaseModel], rel: tuple) -> bool:
    return any(rel[0] in (n, f.alias) for n, f in model.model_fields.items())


def _set_in(item: dict[str, Any], rel: tuple, value: Any) -> None:
    if not rel:
        item[""] = value
        return
    node = item
    for part in rel[:-1]:
        node = node.setdefault(part, {})
    node[rel[-1]] = value


def _tail(pattern: tuple) -> tuple:
    """The part of a table pattern after its last parent list: ``projecten.*.grex.kosten.*`` -> ``grex.kosten``."""
    p = list(pattern[:-1]) if pattern and pattern[-1] == "*" else list(pattern)
    if "*" in p:
        i = len(p) - 1 - p[::-1].index("*")
        return tuple(p[i + 1:])
    return tuple(p)


def _containers(t: Table, data: dict[str, Any]) -> list[tuple[tuple, list[str]]]:
    """(path, keys) of every line of the parent list of ``t``: its path in the document and the line keys of it and
    of every list around it, outermost first, as text (empty for a top-level table)."""
    if not t.parents:
        return []
    parent_pattern = t.parents[-1][0]
    dummy = Table(pattern=parent_pattern, title="", models=(), parents=t.parents[:-1])
    return [(path, [_key_text(k) for k in pkeys] + [_key_text(_line_key(item, path[-1]))]) for pkeys, _, item, path in _table_rows(dummy, data)]


def _key_text(v: Any) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v).strip()


def _parent_path(rd: _Reader, ws: Any, r: int, t: Table, pkeys: list[Any], parent_cols: list[int], containers: list[tuple[tuple, list[str]]]) -> tuple | None:
    """The path of the line this row belongs to, from its first columns (the names of the enclosing lines)."""
    if not t.parents:
        return ()
    if len(pkeys) < len(t.parents) or any(k is None for k in pkeys[-len(t.parents):]):
        rd.err(ws.title, f"{col(parent_cols[-1] if parent_cols else 1)}{r}", _pattern_text(t.pattern), f"kolom '{t.parents[-1][1]}' is leeg", None,
               "de naam van de regel waar deze regel bij hoort")
        return None
    want = [_key_text(k) for k in pkeys[-len(t.parents):]]
    matches = [path for path, keys in containers if keys == want]
    if not matches:
        names = ", ".join(keys[-1] for _, keys in containers[:30])
        rd.err(ws.title, f"{col(parent_cols[-1] if parent_cols else 1)}{r}", _pattern_text(t.pattern), f"onbekende regel in kolom '{t.parents[-1][1]}'",
               pkeys[-1], names or "(geen regels)")
        return None
    return matches[0]


def _ensure(data: dict[str, Any], path: tuple, empty: Any) -> Any:
    node: Any = data
    for i, part in enumerate(path):
        last = i == len(path) - 1
        if isinstance(node, dict):
            if node.get(part) is None:
                node[part] = empty if last else {}
            node = node[part]
        else:
            node = node[part]
    return node


__all__ = [
    "DEFAULT_YEARS",
    "FIELDS_SHEET",
    "LAYOUT_VERSION",
    "META_SHEET",
    "CellReader",
    "Herkomst",
    "Invoer",
    "InvoerCells",
    "add_invoer",
    "build_layout",
    "classify",
    "convert",
    "model_class",
    "parse_date",
    "parse_key",
    "read_herkomst",
    "read_invoer",
    "relocate",
    "to_number",
    "toelichting_rows",
    "workbook_bytes",
    "write_invoer",
    "write_notes",
    "write_workbook",
]
