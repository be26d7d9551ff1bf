"""Errors next to their fields: a model error names a document path (``("kosten", 2, "phasing")``, the Python name
or the Dutch key, with list positions and mapping keys); the form knows which input holds each path
(:attr:`opengrex.web.forms.fields.FormData.names`). An error whose path has no input of its own is shown at the
nearest enclosing one (the row, the year grid, the list); one without any at the top of the form.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from opengrex.errors import InputError, InputErrors
from opengrex.web.forms.fields import CHOICE, KEY, FormData, name_steps
from opengrex.web.forms.schema import Node


@dataclass
class FieldErrors:
    """Messages by input name (shown next to the input) and the ones that belong to no input (above the form)."""

    fields: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)
    invalid: set[str] = field(default_factory=set)
    """Inputs to mark invalid (``aria-invalid``): those with a message, and year cells whose message is with
    their grid."""

    def add(self, name: str | None, text: str) -> None:
        if name is None:
            self.general.append(text)
        elif name in self.fields:
            if text not in self.fields[name]:
                self.fields[name] += " · " + text
        else:
            self.fields[name] = text
        if name is not None:
            self.invalid.add(name)

    def add_at(self, form: FormData, name: str | None, text: str) -> None:
        """Add a message for input ``name``; a year cell's message goes to its grid, prefixed with the year."""
        grid = form.cells.get(name or "")
        if grid is None:
            self.add(name, text)
            if name is not None and name in form.grids:  # a message about a whole year grid: all its cells
                self.invalid.update(form.grids[name])
            return
        self.add(grid, f"{name.rpartition('.')[2]}: {text}")  # type: ignore[union-attr]
        self.invalid.add(name)  # type: ignore[arg-type]

    def __bool__(self) -> bool:
        return bool(self.fields or self.general)

    @property
    def count(self) -> int:
        return len(self.fields) + len(self.general)


def message(e: InputError) -> str:
    """What is shown next to a field: the message, the value given and what is allowed (Dutch)."""
    text = e.message
    if e.value is not None and "waarde" not in e.message and not isinstance(e.value, (dict, list)):
        text += f" (waarde: '{e.value}')" if isinstance(e.value, str) else f" (waarde: {e.value!r})"
    if e.allowed:
        text += f"; toegestaan: {e.allowed}"
    return text


def canonical_path(tree: Node, path: tuple[Any, ...]) -> tuple[Any, ...]:
    """A model path with every field named by its document key (``amount`` -> ``bedrag``), list positions as
    ``int``, year keys as ``int``; pydantic's union tags (``'function-after'``, a member's tag) are dropped. Stops at
    the first segment the schema does not know."""
    out: list[Any] = []
    node: Node | None = tree
    for seg in path:
        if node is None:
            break
        if node.widget == "union":
            member = next((m for m in node.members if m.tag is not None and seg == m.tag[1]), None)
            if member is None and isinstance(seg, str) and not any(m.widget in ("group", "document") and m.child(seg) for m in node.members):
                node = _member_named(node, seg)  # pydantic names the member in the location ('float', 'dict[int,float]')
                continue
            if member is not None:
                node = member
                continue
            node = _member_for(node, seg)
            if node is None:
                break
        if node.widget in ("group", "document"):
            child = node.child(seg)
            if child is None:
                break
            out.append(child.key)
            node = child
        elif node.widget in ("table", "list"):
            if not isinstance(seg, int):
                break
            out.append(seg)
            node = node.item
        elif node.widget == "years":
            try:
                out.append(int(seg))
            except (TypeError, ValueError):
                break
            node = None
        elif node.widget == "mapping":
            key_node = node.key_node
            if key_node is not None and key_node.widget == "integer":
                try:
                    seg = int(seg)
                except (TypeError, ValueError):
                    break
            out.append(seg)
            node = node.item
        else:
            break
    return tuple(out)


_TYPE_WIDGETS = {
    "dict": ("years", "mapping", "document", "free", "group"), "list": ("table", "list"), "float": ("number", "percentage"),
    "int": ("integer", "number"), "str": ("text", "select"), "date": ("date",), "bool": ("checkbox",),
}


def _member_named(node: Node, seg: str) -> Node:
    """The member of a union that pydantic names by its type in an error location; the union itself if unknown."""
    head = seg.split("[")[0]
    for w in _TYPE_WIDGETS.get(head, ()):
        for m in node.members:
            if m.widget == w:
                return m
    return node


def _member_for(node: Node, seg: Any) -> Node | None:
    """The member a path goes on into: a model member with this field, or a container for a key or position."""
    for m in node.members:
        if m.widget in ("group", "document") and m.child(seg) is not None:
            return m
    wanted = ("years", "mapping", "table", "list") if isinstance(seg, int) else ("mapping", "years")
    return next((m for m in node.members if m.widget in wanted), None)


def field_errors(tree: Node, form: FormData, exc: InputError | None = None) -> FieldErrors:
    """The unreadable inputs of ``form`` and the model's errors (``exc``), each next to its input."""
    out = FieldErrors()
    unreadable: set[str] = set()
    for e in form.errors:
        out.add_at(form, e.field, message(e))
        unreadable.add(e.field or "")
    if exc is None:
        return out
    for e in exc.errors if isinstance(exc, InputErrors) else [exc]:
        name = input_of(tree, form, e)
        if name is not None and any(u == name or u.startswith(name + ".") or name.startswith(u + ".") for u in unreadable if u):
            continue  # a follow-up of a value that could not be read; its own message says enough
        out.add_at(form, name, message(e) if name is not None else str(e))
    return out


def input_of(tree: Node, form: FormData, e: InputError) -> str | None:
    """The input an error belongs to (the nearest enclosing one that exists); ``None`` for the whole document."""
    path = e.path
    if path is None:
        return None
    p = canonical_path(tree, tuple(path))
    while p:
        if p in form.names:
            return form.names[p]
        p = p[:-1]
    return None




def label_of(tree: Node, values: dict[str, str], name: str) -> str:
    """A readable name for an input, for lists of errors: ``kosten.r3.kostensoort`` -> ``Kosten 'Bodemsanering':
    kostensoort`` (a row is named by its name field, or by its key)."""
    parts: list[str] = []
    for here, container, node in name_steps(tree, name.replace(KEY, "").replace(CHOICE, ""), values):
        if container.widget in ("group", "document") and node is not None:
            parts.append(node.label)
        elif container.widget in ("table", "list", "mapping"):
            label_field = node.label_field if node is not None and node.widget in ("group", "document") else None
            shown = values.get(f"{here}.{label_field.key}", "") if label_field is not None else values.get(here + KEY, "")
            if parts:
                parts[-1] += f" '{shown}'" if shown else " (regel zonder naam)"
        elif container.widget == "years":
            parts.append(here.rpartition(".")[2])
    if not parts:
        return name
    if len(parts) == 1:
        return parts[0]
    return " › ".join(parts[:-1]) + ": " + parts[-1].lower()


__all__ = ["FieldErrors", "canonical_path", "field_errors", "input_of", "label_of", "message"]
