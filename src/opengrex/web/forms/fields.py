"""A document as form fields and back: plain data -> the (name, value) pairs a browser posts -> plain data.

The names encode where a value stands in the document, so the posted form is the whole document (no server
state) and a model error at a path is shown next to its input:

==============================  ==========================================================================
name                            holds
==============================  ==========================================================================
``naam``, ``fonds.rente``       a field (document keys, ``.``-separated)
``kosten.r3.bedrag``            a field of a list item; ``r3`` is the row's id (stable while rows move)
``kosten~rij``                  the row ids of a list or mapping in their order (one hidden input per row,
                                plus an empty one so an empty list is posted as empty, not as absent)
``indexreeksen.r1~sleutel``     the key of a mapping row; its value is ``indexreeksen.r1``
``woningen.sociaal``            a mapping with fixed keys (``Literal``): one input per key, empty = absent
``kosten.r3.fasering.2026``     a year-grid cell; ``kosten.r3.fasering~jaren`` marks the grid as present
``rente~soort``                 the chosen member of a union (its index); the member's inputs use ``rente``
``grex~aan``                    ``ja``/``nee``: whether an optional block is given (``nee``: ``None``)
``….inline~velden``             inside an embedded document (plain data, stored as given): the keys it
                                has, so fields left at their default stay absent and given ones stay given
==============================  ==========================================================================

:func:`form_items` writes a document (its canonical data, :meth:`DocumentKind.to_data`) as these pairs, with every
number in nl-NL notation (:mod:`opengrex.web.forms.values`); :func:`read_form` reads posted pairs back into plain
data for the kind's validation, collecting what cannot be read as errors naming the input, and a map from each
document path to its input name (:class:`FormData`) so the model's errors find their field.
"""
from __future__ import annotations

import datetime as dt
import itertools
import math
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml

from opengrex.engine.grex import phasing_is_shares
from opengrex.errors import InputError
from opengrex.web.forms.schema import MISSING, Node
from opengrex.web.forms.values import (
    Unreadable,
    fmt_integer,
    fmt_number,
    fmt_rate,
    parse_integer,
    parse_number,
    parse_rate,
    parse_share_or_amount,
)

ROWS = "~rij"
KEY = "~sleutel"
YEARS = "~jaren"
CHOICE = "~soort"
ON = "~aan"
PRESENT = "~velden"
YES, NO = "ja", "nee"
MAX_ROWS = 5000
"""Rows a list may have in one form (a guard against absurd posts, far above real plans)."""


def join(prefix: str, key: Any) -> str:
    return f"{prefix}.{key}" if prefix else str(key)


# ---------------------------------------------------------------------------------------------- data -> fields
class Uids:
    """Row ids for a form rendered from data: ``r1``, ``r2``, … (new rows in the browser get random ids)."""

    def __init__(self, prefix: str = "r") -> None:
        self._n = itertools.count(1)
        self.prefix = prefix

    def __call__(self) -> str:
        return f"{self.prefix}{next(self._n)}"

    @staticmethod
    def random() -> str:
        """A random id part (rows made by a fragment never meet an id already on the page)."""
        return secrets.token_hex(4)


def form_items(tree: Node, data: Any, *, sees_confidential: bool = True, uids: Uids | None = None, prefix: str = "") -> list[tuple[str, str]]:
    """The (name, value) pairs a browser posts for ``data`` shown in the form of ``tree``, in page order."""
    out: list[tuple[str, str]] = []
    _items(tree, data if data is not None else MISSING, prefix, out, uids or Uids(), sees_confidential)
    return out


def _items(node: Node, value: Any, name: str, out: list[tuple[str, str]], uids: Uids, sees: bool, plain: bool = False) -> None:
    if node.nullable and node.widget in _TOGGLED:
        out.append((name + ON, NO if value is None or value is MISSING else YES))
        if value is None or value is MISSING:
            return
    w = node.widget
    if w in ("group", "document"):
        data = value if isinstance(value, dict) else {}
        plain = plain or w == "document"
        if plain:
            out.append((name + PRESENT, ",".join(str(k) for k in data)))
        for f in node.fields:
            if f.vertrouwelijk and not sees:
                continue
            v = _get(data, f)
            if v is MISSING:
                v = f.default
            if node.tag is not None and f.key == node.tag[0] and v in (MISSING, None, ""):
                v = node.tag[1]  # a union member's tag is the member chosen
            _items(f, v, join(name, f.key), out, uids, sees, plain)
        return
    if w in ("table", "list"):
        rows = value if isinstance(value, list) else []
        out.append((name + ROWS, ""))
        for item in rows:
            uid = uids()
            out.append((name + ROWS, uid))
            _items(node.item, item, join(name, uid), out, uids, sees, plain)  # type: ignore[arg-type]
        return
    if w == "mapping":
        data = value if isinstance(value, dict) else {}
        out.append((name + ROWS, ""))
        if node.fixed_keys:
            for k in node.fixed_keys:
                v = _lookup(data, k)
                _items(node.item, MISSING if v is MISSING else v, join(name, k), out, uids, sees, plain)  # type: ignore[arg-type]
            return
        for k, v in data.items():
            uid = uids()
            out.append((name + ROWS, uid))
            out.append((join(name, uid) + KEY, str(k)))
            _items(node.item, v, join(name, uid), out, uids, sees, plain)  # type: ignore[arg-type]
        return
    if w == "years":
        data = value if isinstance(value, dict) else {}
        out.append((name + YEARS, ""))
        shares = grid_in_shares(node, data)
        for y, v in sorted(((int(k), v) for k, v in data.items()), key=lambda kv: kv[0]):
            out.append((join(name, y), fmt_cell(node, v, shares)))
        return
    if w == "union":
        i = pick_member(node, value)
        out.append((name + CHOICE, "" if i < 0 else str(i)))
        if i >= 0:
            _items(node.members[i], value, name, out, uids, sees, plain)
        return
    if w == "free":
        out.append((name, "" if value is MISSING or value is None else yaml.safe_dump(value, allow_unicode=True, sort_keys=False).strip()))
        return
    if w == "checkbox":
        out.append((name, NO))
        if value is True:
            out.append((name, YES))
        return
    out.append((name, fmt_scalar(node, value)))


_TOGGLED = ("group", "document", "table", "list", "mapping", "years", "free")
"""Blocks that get an on/off switch when they may be ``None`` (scalars: an empty input is ``None``)."""


def _get(data: dict[str, Any], f: Node) -> Any:
    for k in f.keys:
        if k in data:
            return data[k]
    return MISSING


def _lookup(data: dict[Any, Any], key: Any) -> Any:
    if key in data:
        return data[key]
    if str(key) in data:
        return data[str(key)]
    return MISSING


def grid_in_shares(node: Node, data: dict[Any, Any]) -> bool:
    """Whether a year grid shows its values as percentages: a grid of rates (unit ``%``), or a spread (a grex
    line's fasering) given as shares summing to 1."""
    if node.item is not None and node.item.widget == "percentage":
        return True
    if not node.spreads or not data:
        return False
    try:
        total = math.fsum(float(v) for v in data.values())
    except (TypeError, ValueError):
        return False
    return bool(phasing_is_shares(total))  # the one rule of a spread given as shares (the grex engine's)


def fmt_cell(node: Node, value: Any, shares: bool) -> str:
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return "" if value is None else str(value)
    return fmt_rate(value) if shares else fmt_number(value)


def fmt_scalar(node: Node, value: Any) -> str:
    """A scalar as its input shows it (nl-NL numbers, ``3,5%``, ISO dates for the date picker)."""
    if value is MISSING or value is None:
        return ""
    w = node.widget
    try:
        if w == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return fmt_number(value)
        if w == "percentage" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return fmt_rate(value)
        if w == "integer" and isinstance(value, int) and not isinstance(value, bool):
            return fmt_integer(value)
    except (ValueError, OverflowError):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value)


def pick_member(node: Node, value: Any) -> int:
    """The union member a value belongs to (``-1``: none, for ``None``)."""
    if value is None or value is MISSING:
        return -1 if node.nullable else 0
    members = node.members
    kinds = [m.widget for m in members]

    def first(*widgets: str) -> int | None:
        """The first member with the most wanted widget (in the order given)."""
        for w in widgets:
            if w in kinds:
                return kinds.index(w)
        return None

    if isinstance(value, dict):
        for i, m in enumerate(members):
            if m.widget == "group" and m.tag is not None and value.get(m.tag[0]) == m.tag[1]:
                return i
        for i, m in enumerate(members):
            if m.widget in ("group", "document") and all(m.child(k) is not None for k in value):
                return i
        if all(_intlike(k) for k in value):
            pick = first("years")
            if pick is not None:
                return pick
        pick = first("mapping", "document", "group", "free", "years")
    elif isinstance(value, list):
        pick = first("table", "list", "free")
    elif isinstance(value, bool):
        pick = first("checkbox", "select", "text")
    elif isinstance(value, int):
        pick = first("integer", "number", "percentage", "text")
    elif isinstance(value, float):
        pick = first("percentage", "number", "integer", "text")
    else:
        pick = first("text", "select", "date")
    return 0 if pick is None else pick


def _intlike(k: Any) -> bool:
    try:
        int(k)
        return not isinstance(k, bool)
    except (TypeError, ValueError):
        return False


# ---------------------------------------------------------------------------------------------- names -> widgets
def name_steps(tree: Node, name: str, values: dict[str, str]) -> list[tuple[str, Node, Node | None]]:
    """The widgets an input name passes: per segment (the name so far, the container it is in, the widget
    reached; ``None`` for a year cell). Row ids lead to the list's item; a union goes into the member the form has
    chosen (``~soort``). Stops at a segment the schema does not know."""
    out: list[tuple[str, Node, Node | None]] = []
    node: Node | None = tree
    prefix = ""
    for seg in name.split(".") if name else []:
        if node is None:
            break
        while node.widget == "union":
            try:
                node = node.members[int(values.get(prefix + CHOICE, "0") or 0)]
            except (ValueError, IndexError):
                return out
        here = join(prefix, seg)
        if node.widget in ("group", "document"):
            child = node.child(seg)
            if child is None:
                break
            out.append((here, node, child))
            node = child
        elif node.widget in ("table", "list", "mapping"):
            out.append((here, node, node.item))
            node = node.item
        elif node.widget == "years":
            out.append((here, node, None))
            node = None
        else:
            break
        prefix = here
    return out


# ---------------------------------------------------------------------------------------------- fields -> data
class Posted:
    """Posted (name, value) pairs, indexed: the last value per name, every value of row markers, the cells of each
    year grid."""

    def __init__(self, items: Iterable[tuple[str, Any]]) -> None:
        self.values: dict[str, str] = {}
        self.multi: dict[str, list[str]] = {}
        self.cells: dict[str, list[str]] = {}
        for name, value in items:
            if not isinstance(value, str):
                continue
            self.values[name] = value
            if name.endswith(ROWS):
                self.multi.setdefault(name, []).append(value)
            parent, _, last = name.rpartition(".")
            if last.lstrip("-").isdigit() and parent:
                self.cells.setdefault(parent, []).append(last)

    def rows(self, name: str) -> list[str] | None:
        got = self.multi.get(name + ROWS)
        if got is None:
            return None
        return [u for u in dict.fromkeys(got) if u]


@dataclass
class FormData:
    """What was read from a posted form: the plain ``data``, the inputs that could not be read (``errors``, each
    naming its input), where each document path stands in the form (``names``) and the grid of each year cell."""

    data: dict[str, Any]
    errors: list[InputError] = field(default_factory=list)
    names: dict[tuple[Any, ...], str] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)
    """Year-grid cell name -> its grid's name (a cell's message is shown with its grid)."""
    grids: dict[str, list[str]] = field(default_factory=dict)
    """Year-grid name -> its cells' names."""


def read_form(tree: Node, items: Iterable[tuple[str, Any]] | Posted, *, sees_confidential: bool = True, prefix: str = "") -> FormData:
    """Plain data from posted form fields (see the module), ready for the kind's validation. Never raises for what
    was typed: unreadable values are left out and reported in :attr:`FormData.errors`, so the model still checks
    everything else and the page shows every problem at once."""
    posted = items if isinstance(items, Posted) else Posted(items)
    out = FormData({})
    value = _read(tree, prefix, (), posted, out, sees_confidential)
    out.data = value if isinstance(value, dict) else {}
    return out


def _error(out: FormData, name: str, message: str, value: Any, allowed: str | None) -> None:
    out.errors.append(InputError(message, field=name, value=value, allowed=allowed))


def _read(node: Node, name: str, path: tuple[Any, ...], posted: Posted, out: FormData, sees: bool, plain: bool = False) -> Any:
    out.names.setdefault(path, name)
    if node.nullable and node.widget in _TOGGLED:
        switch = posted.values.get(name + ON)
        if switch is None:
            return MISSING
        if switch != YES:
            return None
    w = node.widget
    if w in ("group", "document"):
        data: dict[str, Any] = {}
        plain = plain or w == "document"
        present = set(posted.values.get(name + PRESENT, "").split(",")) if plain else set()
        for f in node.fields:
            if f.vertrouwelijk and not sees:
                continue
            v = _read(f, join(name, f.key), path + (f.key,), posted, out, sees, plain)
            if node.tag is not None and f.key == node.tag[0] and v in (MISSING, None, ""):
                v = node.tag[1]
            if v is MISSING:
                v = f.default if plain and not set(f.keys).isdisjoint(present) else MISSING
            if v is MISSING or (plain and set(f.keys).isdisjoint(present) and (v is None or v == f.default)):
                continue  # embedded documents are stored as given: a field they did not have stays absent
            data[next((k for k in f.keys if k in present), f.key) if plain else f.key] = v
        return data
    if w in ("table", "list"):
        uids = posted.rows(name)
        if uids is None:
            return MISSING
        if len(uids) > MAX_ROWS:
            _error(out, name, "te veel regels in één lijst", len(uids), f"hoogstens {MAX_ROWS}")
            uids = uids[:MAX_ROWS]
        items = []
        for i, uid in enumerate(uids):
            v = _read(node.item, join(name, uid), path + (i,), posted, out, sees, plain)  # type: ignore[arg-type]
            items.append(_empty_item(node.item) if v is MISSING else v)  # type: ignore[arg-type]
        return items
    if w == "mapping":
        return _read_mapping(node, name, path, posted, out, sees, plain)
    if w == "years":
        return _read_years(node, name, path, posted, out)
    if w == "union":
        choice = posted.values.get(name + CHOICE)
        if choice is None:
            return MISSING
        if choice == "":
            return None if node.nullable else MISSING
        try:
            member = node.members[int(choice)]
        except (ValueError, IndexError):
            _error(out, name + CHOICE, "onbekende keuze", choice, ", ".join(m.label for m in node.members))
            return MISSING
        return _read(member, name, path, posted, out, sees, plain)
    text = posted.values.get(name)
    if w == "checkbox":
        return MISSING if text is None else text == YES
    if text is None:
        return MISSING
    if w == "free":
        if not text.strip():
            return None if node.nullable else MISSING
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (regel {mark.line + 1})" if mark is not None else ""
            _error(out, name, f"geen geldige YAML{where}", text[:80], "gegevens in YAML, bijv. 'sleutel: waarde'")
            return MISSING
    return _read_scalar(node, name, text, out)


def _empty_item(node: Node) -> Any:
    return {} if node.widget in ("group", "document") else None


def _read_scalar(node: Node, name: str, text: str, out: FormData) -> Any:
    w = node.widget
    s = text.strip()
    if not s:
        if node.nullable:
            return None
        if w == "text" and node.required:
            return ""
        return MISSING
    try:
        if w == "number":
            return parse_number(s)
        if w == "percentage":
            return parse_rate(s)
        if w == "integer":
            return parse_integer(s)
        if w == "date":
            try:
                return dt.date.fromisoformat(s).isoformat()
            except ValueError:
                return _dutch_date(s)
        if w == "select":
            for value, _label, _title in node.options:
                if str(value) == s:
                    return value
            return s  # a value outside the list (an old code): the model says whether it is allowed
    except Unreadable as exc:
        _error(out, name, exc.message, text, exc.allowed)
        return _stand_in(node)
    return s


def _stand_in(node: Node) -> Any:
    """In place of an unreadable number: its default, or 0 — so the model still checks everything else (and the
    page shows every problem at once); the follow-up errors of this field are not shown."""
    if node.widget in ("number", "percentage"):
        return node.default if isinstance(node.default, (int, float)) and not isinstance(node.default, bool) else 0.0
    return MISSING


def _dutch_date(s: str) -> str:
    """``31-12-2025`` (as typed where the browser has no date picker) -> ``2025-12-31``."""
    parts = s.replace("/", "-").split("-")
    if len(parts) == 3 and len(parts[2]) == 4:
        try:
            return dt.date(int(parts[2]), int(parts[1]), int(parts[0])).isoformat()
        except ValueError:
            pass
    raise Unreadable("geen geldige datum", "een datum, bijv. 31-12-2025")


def _read_mapping(node: Node, name: str, path: tuple[Any, ...], posted: Posted, out: FormData, sees: bool, plain: bool) -> Any:
    item: Node = node.item  # type: ignore[assignment]
    if node.fixed_keys:
        if name + ROWS not in posted.multi:
            return MISSING
        data: dict[Any, Any] = {}
        for k in node.fixed_keys:
            v = _read(item, join(name, k), path + (k,), posted, out, sees, plain)
            if v is not MISSING and v is not None:
                data[k] = v
        return data
    uids = posted.rows(name)
    if uids is None:
        return MISSING
    data = {}
    key_node: Node = node.key_node  # type: ignore[assignment]
    for uid in uids[:MAX_ROWS]:
        row = join(name, uid)
        raw = posted.values.get(row + KEY, "").strip()
        if not raw:
            _error(out, row + KEY, "sleutel ontbreekt", raw, "een naam (bijv. kostenstijging)")
            continue
        key: Any = raw
        if key_node.widget == "integer":
            try:
                key = parse_integer(raw)
            except Unreadable as exc:
                _error(out, row + KEY, exc.message, raw, exc.allowed)
                continue
        if key in data:
            _error(out, row + KEY, f"'{raw}' komt twee keer voor", raw, "elke sleutel één keer")
            continue
        out.names.setdefault(path + (key,), row)
        v = _read(item, row, path + (key,), posted, out, sees, plain)
        data[key] = _empty_item(item) if v is MISSING else v
    return data


def _read_years(node: Node, name: str, path: tuple[Any, ...], posted: Posted, out: FormData) -> Any:
    if name + YEARS not in posted.values:
        return MISSING
    data: dict[int, float] = {}
    rate = node.item is not None and node.item.widget == "percentage"
    for last in posted.cells.get(name, []):
        year = int(last)
        cell = join(name, last)
        out.names[path + (year,)] = cell
        out.cells[cell] = name
        out.grids.setdefault(name, []).append(cell)
        text = posted.values.get(cell, "").strip()
        if not text or year in data:
            continue
        try:
            if rate:
                data[year] = parse_rate(text)
            elif node.spreads:
                data[year] = parse_share_or_amount(text)
            else:
                data[year] = parse_number(text)
        except Unreadable as exc:
            _error(out, cell, exc.message, text, exc.allowed)
    return dict(sorted(data.items()))


__all__ = ["CHOICE", "FormData", "KEY", "MAX_ROWS", "NO", "ON", "PRESENT", "Posted", "ROWS", "Uids", "YEARS", "YES", "fmt_cell", "fmt_scalar", "form_items", "grid_in_shares", "join", "name_steps", "pick_member", "read_form"]
