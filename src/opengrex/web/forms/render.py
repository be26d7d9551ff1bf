"""The widget tree and the posted values as HTML (the Jinja macros in ``templates/_formulier.html``).

A form is always rendered from posted fields (:class:`~opengrex.web.forms.fields.Posted`): a stored document is
first written as the fields a browser would post (:func:`~opengrex.web.forms.fields.form_items`), so a new form,
a form with errors (values shown as typed) and a restored draft are the same path. :class:`FormView` is what the
macros ask: a field's value, a list's rows, a union's choice, an error, the years of a grid.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from typing import Any

from markupsafe import Markup

from opengrex.web.forms.errors import FieldErrors
from opengrex.web.forms.fields import CHOICE, KEY, NO, ON, PRESENT, YEARS, YES, FormData, Posted, form_items, join, read_form
from opengrex.web.forms.schema import MISSING, Node, value_label

LAZY_OPTIONS = 12
"""A select with more options than this (the kostensoorten) gets its options from one list per page."""
MAX_PERIOD = 200
"""Years a grid shows at most from a document's period (a guard against a typo like 20255)."""


@dataclass
class FormView:
    """What the form macros read. ``base`` is the URL prefix of the kind's form routes (``/grex/formulier``);
    ``stored`` lists stored documents of a model for "take over from a stored document" (embedded documents)."""

    tree: Node
    posted: Posted
    errors: FieldErrors = field(default_factory=FieldErrors)
    sees_confidential: bool = True
    base: str = ""
    stored: Callable[[Any], list[tuple[int, str]]] | None = None
    form: FormData | None = None
    periods: dict[str, list[int]] = field(default_factory=dict)
    fold: bool = True
    """Whether year grids empty in every row of a table start folded (not in a fragment: a new row shows its grid)."""

    def __post_init__(self) -> None:
        if self.form is None:
            self.form = read_form(self.tree, self.posted, sees_confidential=self.sees_confidential)
        if not self.periods:
            self.periods = periods(self.tree, self.form)

    # -------------------------------------------------------------------------------------------------- values
    def value(self, name: str) -> str:
        return self.posted.values.get(name, "")

    def checked(self, name: str) -> bool:
        return self.posted.values.get(name) == YES

    def on(self, name: str) -> bool:
        return self.posted.values.get(name + ON) == YES

    def rows(self, name: str) -> list[str]:
        return self.posted.rows(name) or []

    def key(self, row: str) -> str:
        return self.posted.values.get(row + KEY, "")

    def choice(self, node: Node, name: str) -> int:
        raw = self.posted.values.get(name + CHOICE)
        if raw is None:
            return -1 if node.nullable else 0
        if raw == "":
            return -1
        try:
            i = int(raw)
        except ValueError:
            return 0
        return i if 0 <= i < len(node.members) else 0

    def present(self, name: str) -> str:
        return self.posted.values.get(name + PRESENT, "")

    def error(self, name: str) -> str:
        return self.errors.fields.get(name, "")

    def simple_row(self, cols: list[Node]) -> bool:
        """Whether a table row's cells can be written by :meth:`row_main` (no union in a cell)."""
        return all(c.widget != "union" for c in cols)

    def has_error_below(self, name: str) -> bool:
        prefix = name + "."
        return any(k == name or k.startswith(prefix) for k in self.errors.fields)

    def visible(self, node: Node) -> bool:
        return self.sees_confidential or not node.vertrouwelijk

    def uid(self) -> str:
        """A row id for a row rendered by a fragment (random, so it never meets an id already on the page)."""
        return "f" + secrets.token_hex(4)

    # -------------------------------------------------------------------------------------------------- grids
    def period(self, name: str) -> list[int]:
        """The years of the document (part) a grid at ``name`` belongs to: the nearest enclosing model with a
        period (``years``: a grex's startjaar–eindjaar)."""
        probe = name
        while True:
            if probe in self.periods:
                return self.periods[probe]
            if not probe:
                return self.span()
            probe = probe.rpartition(".")[0]

    def span(self) -> list[int]:
        """The years of every period in the document together (a programme's rates per year: its projects'
        years); none when no part of the document has a period."""
        years = [y for ys in self.periods.values() for y in ys]
        if not years:
            return []
        return list(range(min(years), max(years) + 1))[:MAX_PERIOD]

    def grid_years(self, name: str) -> list[int]:
        """Columns of a stand-alone grid: its period and every year it holds."""
        return sorted(set(self.period(name)) | {int(y) for y in self.posted.cells.get(name, [])})

    def table_years(self, table: str, key: str) -> list[int]:
        """Columns of the year-grid field ``key`` of every row of a table: the period and every year in any row."""
        years = set(self.period(table))
        for uid in self.rows(table):
            years.update(int(y) for y in self.posted.cells.get(join(join(table, uid), key), []))
        return sorted(years)

    def cell(self, grid: str, year: int) -> str:
        return self.posted.values.get(join(grid, year), "")

    # -------------------------------------------------------------------------------------------------- layout
    @staticmethod
    def columns(item: Node) -> list[Node]:
        """The fields of a table row shown in cells, in order: the row's name, its choices (codes), the rest."""
        cells = [f for f in item.fields if f.is_scalar or f.widget == "years" or _compact_union(f)]
        first = item.label_field
        head = [first] if first in cells else []
        selects = [f for f in cells if f.widget == "select" and f not in head]
        return head + selects + [f for f in cells if f not in head and f not in selects]

    @staticmethod
    def details(item: Node) -> list[Node]:
        """The fields of a table row shown below it (nested blocks)."""
        shown = FormView.columns(item)
        return [f for f in item.fields if f not in shown]

    @staticmethod
    def scalars(node: Node) -> list[Node]:
        return [f for f in node.fields if f.is_scalar or _compact_union(f)]

    @staticmethod
    def blocks(node: Node) -> list[Node]:
        return [f for f in node.fields if not (f.is_scalar or _compact_union(f))]

    @staticmethod
    def option_label(node: Node, value: Any) -> str:
        return value_label(value, tuple(o[0] for o in node.options))

    def visible_columns(self, item: Node) -> list[Node]:
        return [f for f in self.columns(item) if self.visible(f)]

    def visible_details(self, item: Node) -> list[Node]:
        return [f for f in self.details(item) if self.visible(f)]

    def table_year_map(self, table: str, cols: list[Node]) -> dict[str, list[int]]:
        """The year columns of each year-grid column of a table; a grid empty in every row (a grex's gerealiseerd,
        usually) starts folded — no columns until the user opens it (:meth:`folded`) — which keeps a 200-line page
        light."""
        out = {}
        for c in cols:
            if c.widget != "years":
                continue
            years = self.table_years(table, c.key)
            out[c.key] = [] if self.folded(table, c.key) else years
        return out

    def folded(self, table: str, key: str) -> bool:
        rows = self.rows(table)
        return self.fold and bool(rows) and not any(v.strip() for uid in rows for y in self.posted.cells.get(f"{table}.{uid}.{key}", [])
                                      for v in (self.posted.values.get(f"{table}.{uid}.{key}.{y}", ""),))

    def folded_years(self, table: str, key: str) -> str:
        """The years a folded grid opens with (its period), for the browser."""
        return ",".join(str(y) for y in self.table_years(table, key))

    @staticmethod
    def column_count(cols: list[Node], years: dict[str, list[int]]) -> int:
        return 1 + sum(len(years[c.key]) + 1 if c.widget == "years" else 1 for c in cols)

    @staticmethod
    def row_noun(item: Node | None) -> str:
        return "Regel"

    @staticmethod
    def key_noun(node: Node) -> str:
        """The heading of a mapping's key column: ``Jaar`` for years, ``Naam`` otherwise."""
        return "Jaar" if node.key_node is not None and node.key_node.widget == "integer" else "Naam"

    @staticmethod
    def key_label(node: Node, key: Any) -> str:
        return value_label(key, node.fixed_keys)

    @staticmethod
    def option_text(node: Node, value: str) -> str:
        for v, label, _title in node.options:
            if str(v) == value:
                return label
        return f"{value} (niet in de lijst)"

    def option_lists(self) -> dict[str, list[list[Any]]]:
        """The long code lists of the form (kostensoorten), sent once per page; their selects fill from it."""
        return _option_lists(self.tree)

    # -------------------------------------------------------------------------------------------------- leaves
    # The leaves (one input, one grid row) are written here rather than as Jinja macros: a 200-line grex has
    # some 8.000 of them, and a macro call per input would cost more than the rest of the page together.
    def control(self, n: Node, name: str, label: str) -> Markup:
        """One input for a scalar widget (text, number, percentage, integer, date, select, checkbox, YAML)."""
        w = n.widget
        v = self.posted.values.get(name, "")
        err = ' aria-invalid="true"' if name in self.errors.invalid else ""
        role = f' data-rol="{n.role}"' if n.role else ""
        ename, elabel, ev = escape(name), escape(label), escape(v)
        if n.role == "tag":  # a union member's tag: set by the choice of the member, posted, not shown
            return Markup(f'<input type="hidden" name="{ename}" value="{ev}">')
        if w == "select":
            return Markup(f'<select id="veld-{ename}" name="{ename}" aria-label="{elabel}"{err}{role}{self._options(n, v)}</select>')
        if w == "checkbox":
            checked = " checked" if v == YES else ""
            return Markup(f'<input type="hidden" name="{ename}" value="nee"><input type="checkbox" id="veld-{ename}" name="{ename}" value="ja"{checked} aria-label="{elabel}">')
        if w == "date":
            return Markup(f'<input type="date" id="veld-{ename}" name="{ename}" value="{ev}" aria-label="{elabel}"{err}>')
        if w == "free" or (w == "text" and "\n" in v):
            rows = max(3, v.count("\n") + 2) if w == "free" else 3
            extra = ' class="yaml" spellcheck="false"' if w == "free" else ""
            return Markup(f'<textarea id="veld-{ename}" name="{ename}" rows="{rows}" aria-label="{elabel}"{err}{extra}>{ev}</textarea>')
        numeric = ""
        if w in ("number", "integer", "percentage"):
            numeric = f' class="n" inputmode="{"numeric" if w == "integer" else "decimal"}"'
        return Markup(f'<input type="text" id="veld-{ename}" name="{ename}" value="{ev}"{numeric} aria-label="{elabel}"{err}{role}>')

    def _options(self, n: Node, v: str) -> str:
        ev = escape(v)
        empty = f'<option value=""{" selected" if v == "" else ""}>{"(geen)" if n.nullable else "(kies)"}</option>' if n.nullable or v == "" else ""
        if len(n.options) > LAZY_OPTIONS:  # long code lists are filled by the browser from one copy per page
            chosen = f'<option value="{ev}" selected>{escape(self.option_text(n, v))}</option>' if v else ""
            return f' data-opties="{escape(n.key)}">{empty}{chosen}'
        out, found = [], v == ""
        for value, text, title in n.options:
            sel = ""
            if str(value) == v:
                sel, found = " selected", True
            t = f' title="{escape(title)}"' if title else ""
            out.append(f'<option value="{escape(str(value))}"{sel}{t}>{escape(text)}</option>')
        if not found:
            out.append(f'<option value="{ev}" selected>{ev} (niet in de lijst)</option>')
        return ">" + empty + "".join(out)

    def grid_row(self, n: Node, name: str, years: list[int], label: str, with_slot: bool = True) -> Markup:
        """The cells of one year-grid row: one input per year, the row total (filled by the browser), the marker
        that the grid was posted and the grid's error slot (a cell's message shows there, with its year)."""
        values, errors = self.posted.values, self.errors.invalid
        ename, elabel = escape(name), escape(label)
        cells = []
        for y in years:
            cell = f"{name}.{y}"
            err = ' aria-invalid="true"' if cell in errors else ""
            cells.append(f'<td class="jc"><input name="{ename}.{y}" value="{escape(values.get(cell, ""))}" class="n jc" inputmode="decimal" aria-label="{elabel} {y}"{err}></td>')
        spreads = f' data-spreidt="{escape(n.spreads)}"' if n.spreads else ""
        slot = self.error_slot(name) if with_slot else ""
        cells.append(f'<td class="n rijtotaal" data-rijtotaal="{ename}"{spreads}><input type="hidden" name="{ename}~jaren" value=""><span class="som"></span>{slot}</td>')
        return Markup("".join(cells))

    def row_main(self, item: Node, table: str, uid: str, cols: list[Node], years: dict[str, list[int]]) -> Markup:
        """The first line of a table row: the row's buttons (move, copy, remove) and its cells."""
        row = f"{table}.{uid}"
        name_key = item.label_field.key if item.label_field is not None else None
        out = [f'<tr><td class="rijkop">{row_buttons(table, uid, self.row_noun(item))}{self.error_slot(row)}</td>']
        for c in cols:
            cn = f"{row}.{c.key}"
            if c.widget == "years":
                out.append(self.grid_row(c, cn, years[c.key], c.label))
            else:
                mark = " data-naamcel" if c.key == name_key else ""
                out.append(f'<td class="c-{c.widget}"{mark}>{self.control(c, cn, c.label)}{self.error_slot(cn)}</td>')
        out.append("</tr>")
        return Markup("".join(out))

    @staticmethod
    def row_buttons(table: str, uid: str, noun: str) -> Markup:
        return Markup(row_buttons(table, uid, noun))

    def error_slot(self, name: str) -> Markup:
        return Markup(f'<span class="veldfout" data-veldfout="{escape(name)}">{escape(self.errors.fields.get(name, ""))}</span>')

    def stored_documents(self, node: Node) -> list[tuple[int, str]]:
        if self.stored is None or node.model is None:
            return []
        return self.stored(node.model)

    def url(self, action: str, name: str, **params: Any) -> str:
        from urllib.parse import urlencode

        return f"{self.base}/{action}?" + urlencode({"pad": name, **params})


@lru_cache(maxsize=64)
def _option_lists(tree: Node) -> dict[str, list[list[Any]]]:
    out: dict[str, list[list[Any]]] = {}
    for _path, n in tree.walk():
        if n.widget == "select" and len(n.options) > LAZY_OPTIONS and n.key:
            out.setdefault(n.key, [[v, label, title] for v, label, title in n.options])
    return out


def row_buttons(table: str, uid: str, noun: str) -> str:
    """Move up, move down, copy, remove — and the hidden marker that posts the row in its place."""
    t, n = escape(table), escape(noun)
    return (f'<span class="rijknoppen"><input type="hidden" name="{t}~rij" value="{escape(uid)}">'
            f'<button type="button" class="klein licht" data-actie="omhoog" title="{n} omhoog" aria-label="{n} omhoog">↑</button>'
            f'<button type="button" class="klein licht" data-actie="omlaag" title="{n} omlaag" aria-label="{n} omlaag">↓</button>'
            f'<button type="button" class="klein licht" data-actie="kopie" title="{n} kopiëren" aria-label="{n} kopiëren">❐</button>'
            f'<button type="button" class="klein gevaar" data-actie="weg" title="{n} verwijderen" aria-label="{n} verwijderen">✕</button></span>')


def _compact_union(node: Node) -> bool:
    """A union of plain values (one rate or one per year) fits in a cell or next to other fields."""
    return node.widget == "union" and all(m.is_scalar or m.widget == "years" for m in node.members)


# ---------------------------------------------------------------------------------------------- periods
def periods(tree: Node, form: FormData) -> dict[str, list[int]]:
    """For every model in the form's data that has a period (a ``years`` property, e.g. a grex's
    startjaar–eindjaar), its input name -> its years."""
    out: dict[str, list[int]] = {}
    _periods(tree, form.data, (), form.names, out)
    return out


def _periods(node: Node, value: Any, path: tuple[Any, ...], names: dict[tuple[Any, ...], str], out: dict[str, list[int]]) -> None:
    if value is None or value is MISSING:
        return
    w = node.widget
    if w in ("group", "document") and isinstance(value, dict):
        years = _years_of(node, value)
        if years and path in names:
            out[names[path]] = years
        for f in node.fields:
            if f.widget in ("group", "document", "table", "list", "mapping", "union"):
                v = next((value[k] for k in f.keys if k in value), None)
                _periods(f, v, path + (f.key,), names, out)
    elif w in ("table", "list") and isinstance(value, list) and node.item is not None and node.item.widget in ("group", "document", "union"):
        for i, v in enumerate(value):
            _periods(node.item, v, path + (i,), names, out)
    elif w == "mapping" and isinstance(value, dict) and node.item is not None and node.item.widget in ("group", "document"):
        for k, v in value.items():
            _periods(node.item, v, path + (k,), names, out)
    elif w == "union":
        for m in node.members:
            if m.widget in ("group", "document"):
                _periods(m, value, path, names, out)
                return


def _years_of(node: Node, value: dict[str, Any]) -> list[int]:
    model = node.model
    if model is None or not isinstance(getattr(model, "years", None), property):
        return []
    fields = {f.name: next((value[k] for k in f.keys if k in value), MISSING) for f in node.fields}
    try:
        inst = model.model_construct(**{k: v for k, v in fields.items() if v is not MISSING})
        years = list(inst.years)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - an incomplete document has no period yet
        return []
    if not years or len(years) > MAX_PERIOD or not all(isinstance(y, int) for y in years):
        return []
    return years


def view_from_data(tree: Node, data: Any, **kw: Any) -> FormView:
    """The form of a document given as plain data (a new document: ``{}``)."""
    sees = kw.get("sees_confidential", True)
    return FormView(tree, Posted(form_items(tree, data, sees_confidential=sees)), **kw)


def attrs(**kw: Any) -> Markup:
    """HTML attributes (``None``/``False`` left out, ``True`` as a bare attribute), escaped."""
    from markupsafe import escape

    parts = []
    for k, v in kw.items():
        if v is None or v is False:
            continue
        k = k.rstrip("_").replace("_", "-")
        parts.append(k if v is True else f'{k}="{escape(v)}"')
    return Markup(" ".join(parts))


__all__ = ["FormView", "MAX_PERIOD", "NO", "YEARS", "YES", "attrs", "periods", "view_from_data"]
