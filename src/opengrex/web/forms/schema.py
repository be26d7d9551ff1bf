"""The schema walk: a document model becomes a tree of form widgets (:class:`Node`), derived from the model only.

Every field is declared once on the model (:func:`opengrex.model.base.veld`): its label (``title``), unit
(``eenheid``), help text (``description``), confidentiality (``vertrouwelijk``), document key (``alias``), default
and constraints. The walk follows the type of every field to a widget:

==========================================  =================================================================
type                                        widget
==========================================  =================================================================
``str``                                     ``text`` (``select`` for a code list: kostensoort, opbrengstsoort)
``float``                                   ``number`` (``percentage`` with unit ``%``)
``int``                                     ``integer``
``date``                                    ``date``
``bool``                                    ``checkbox``
``Literal[...]`` / ``Enum``                 ``select``
a model                                     ``group`` (a fieldset)
``list[Model]``                             ``table`` (rows with add, remove, move up/down, copy)
``list[X]`` (other)                         ``list`` (one block per item, same row actions)
``dict[int, float]``                        ``years`` (a year grid: years as columns, totals, paste, spread)
``dict[K, V]``                              ``mapping`` (key/value rows; ``Literal`` keys: one fixed row each)
``A | B`` (a union)                         ``union`` (a choice of the type that swaps the sub-form)
``Annotated[dict | None, Embeds(Model)]``   ``document`` (an embedded document: its sub-form, or one stored)
``Any`` / ``dict[str, Any]``                ``free`` (YAML text)
``X | None``                                the widget of ``X``, ``nullable`` (empty = none; blocks get a switch)
==========================================  =================================================================

A unit given on a field applies to the numbers inside it (``indices: dict[str, RateSeries]`` with unit ``%``); a
type may carry its own unit (:class:`opengrex.model.base.Eenheid`, e.g. ``RateSeries``). Relations declared on a
model (``relaties``: :class:`~opengrex.model.base.Product`, :class:`~opengrex.model.base.Verdeling`,
:class:`~opengrex.model.base.Groepering`) are attached to the widgets they concern.

An unsupported type gives the widget ``unsupported``: the coverage test (every field of every registered kind has
a control) fails on it, so a new kind with a new kind of field is noticed.
"""
from __future__ import annotations

import datetime as dt
import enum
import re
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined, to_jsonable_python

from opengrex.model.base import EENHEID, Eenheid, Embeds, Groepering, Product, Verdeling
from opengrex.model.redact import field_keys, is_confidential

SCALARS = ("text", "number", "integer", "percentage", "date", "select", "checkbox")
BLOCKS = ("group", "table", "list", "mapping", "years", "union", "document", "free")
MISSING: Any = PydanticUndefined


@dataclass(eq=False)
class Node:
    """One widget of a form. Field nodes (children of a ``group``) carry ``key`` (the document key) and ``keys``
    (every spelling that loads); item nodes (of a list, a mapping, a union) have ``key == ""``."""

    widget: str
    key: str = ""
    name: str = ""
    keys: tuple[str, ...] = ()
    label: str = ""
    help: str = ""
    eenheid: str = ""
    vertrouwelijk: bool = False
    required: bool = False
    nullable: bool = False
    default: Any = MISSING
    fields: list[Node] = field(default_factory=list)
    item: Node | None = None
    key_node: Node | None = None
    fixed_keys: tuple[Any, ...] = ()
    members: list[Node] = field(default_factory=list)
    options: tuple[tuple[Any, str, str], ...] = ()
    """``select``: (value, label, title) per option."""
    model: type[BaseModel] | None = None
    constraints: dict[str, Any] = field(default_factory=dict)
    tag: tuple[str, Any] | None = None
    """A union member's tag (``type: "verschuif"``): the ``Literal`` field that tells the members apart."""
    relations: dict[str, Any] = field(default_factory=dict)
    """``product`` (field keys ``uitkomst``, ``a``, ``b``), ``verdeling`` (per-year field key -> spread field
    key), ``groepen`` (group field keys), ``som`` (summed field key) — of a ``group`` from its model's ``relaties``."""
    role: str = ""
    """A field's part in its model's relations: ``product`` (the outcome), ``factor``, ``som`` (summed per group),
    ``groep`` (a group label); ``spreads`` names the field a year grid spreads."""
    spreads: str = ""

    # -------------------------------------------------------------------------------------------------- helpers
    @property
    def is_scalar(self) -> bool:
        return self.widget in SCALARS

    def child(self, segment: Any) -> Node | None:
        """The field of a ``group``/``document`` named ``segment`` (any spelling: Python name, alias)."""
        for f in self.fields:
            if segment in f.keys:
                return f
        return None

    @property
    def label_field(self) -> Node | None:
        """The field that names an item of a list (the first required text field: ``naam``): first column, and the
        name of the row in messages."""
        for f in self.fields:
            if f.widget == "text" and f.required and not f.nullable:
                return f
        for f in self.fields:
            if f.widget == "text":
                return f
        return None

    def walk(self, prefix: tuple[Any, ...] = ()) -> typing.Iterator[tuple[tuple[Any, ...], Node]]:
        """Every node below this one (depth first) with its schema path (``("kosten", "[]", "fasering")``)."""
        yield prefix, self
        for f in self.fields:
            yield from f.walk(prefix + (f.key,))
        if self.item is not None:
            yield from self.item.walk(prefix + ("[]" if self.widget in ("table", "list") else "{}",))
        if self.key_node is not None:
            yield from self.key_node.walk(prefix + ("{sleutel}",))
        for i, m in enumerate(self.members):
            yield from m.walk(prefix + (f"<{i}>",))


# ---------------------------------------------------------------------------------------------- labels
def humanize(key: str) -> str:
    """``"start_year"`` -> ``"Start year"``: the label of a field that declares none."""
    text = str(key).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


VALUE_LABELS: dict[frozenset[Any], dict[Any, str]] = {
    frozenset({"end", "mid", "start"}): {"end": "einde jaar (31 december)", "mid": "midden jaar (1 juli)", "start": "begin jaar (1 januari)"},
}
"""Dutch labels of choice values that are not Dutch words themselves (the grex ``timing``), by the set of values."""


def value_label(value: Any, values: tuple[Any, ...]) -> str:
    labels = VALUE_LABELS.get(frozenset(values), {})
    if value in labels:
        return labels[value]
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return str(value).replace("_", " ")


# ---------------------------------------------------------------------------------------------- code lists
def _natural(text: str) -> list[Any]:
    """Sort key: ``A2`` before ``A10``, ``6.2.4b`` after ``6.2.3k``."""
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", str(text))]


@cache
def _kostensoort_options() -> tuple[tuple[Any, str, str], ...]:
    from opengrex.codes import kostensoorten

    out = []
    for stelsel in ("omgevingswet", "bro"):
        for k in sorted(kostensoorten(stelsel), key=lambda k: _natural(k.code)):
            out.append((k.code, f"{k.code} – {k.kort}", k.omschrijving))
    return tuple(out)


@cache
def _opbrengstsoort_options() -> tuple[tuple[Any, str, str], ...]:
    from opengrex.model.grex import OPBRENGSTSOORTEN

    return tuple((code, label, code) for code, label in OPBRENGSTSOORTEN.items())


CODE_LISTS: dict[str, typing.Callable[[], tuple[tuple[Any, str, str], ...]]] = {
    "kostensoort": _kostensoort_options,
    "opbrengstsoort": _opbrengstsoort_options,
}
"""Text fields whose value is a code from one of the product's code lists (:mod:`opengrex.codes`), by document key:
a select with the code's Dutch description, sorted naturally (A1, A2, … A10)."""


# ---------------------------------------------------------------------------------------------- the walk
@cache
def form_tree(model: type[BaseModel]) -> Node:
    """The widget tree of a document model (cached per model class)."""
    return _model_node(model, {})


def variants(model: type[BaseModel]) -> list[type[BaseModel]]:
    """The models a document of ``model`` is validated into when ``model`` is the base of tagged subclasses (the
    eindafrekening: definitief, tussentijds, planschade — told apart by ``soort``, a field of the base that each
    subclass fixes with a one-value ``Literal``); empty otherwise. The form offers them as a choice."""
    out: list[type[BaseModel]] = []
    todo = list(model.__subclasses__())
    while todo:
        sub = todo.pop(0)
        todo[:0] = sub.__subclasses__()
        tag = _tag(sub)
        if tag is not None and tag[0] in {f.alias or n for n, f in model.model_fields.items()}:
            out.append(sub)
    return out if len(out) >= 2 else []


def _model_node(model: type[BaseModel], seen: dict[type, Node]) -> Node:
    if model in seen:  # a recursive model: the same node (rendered lazily, so no endless form)
        return seen[model]
    subs = variants(model)
    if subs:
        node = Node("union", label=_model_label(model))
        seen[model] = node
        node.members = [_member(sub, None, "", seen) for sub in subs]
        for m in node.members:
            m.label = _member_label(m)
        tag_field = node.members[0].child(node.members[0].tag[0]) if node.members[0].tag else None
        if tag_field is not None and tag_field.label:
            node.label = tag_field.label  # "Soort afrekening"
        return node
    node = Node("group", model=model, label=_model_label(model))
    seen[model] = node
    for name, info in model.model_fields.items():
        node.fields.append(_field_node(name, info, seen))
    node.relations = _relations(model, node)
    return node


def _model_label(model: type[BaseModel]) -> str:
    title = model.model_config.get("title")
    if title:
        return str(title)
    doc = (model.__doc__ or "").strip().split("\n")[0]
    return doc.split(":")[0].rstrip(".") if doc and len(doc) < 80 else humanize(model.__name__)


def _field_node(name: str, info: FieldInfo, seen: dict[type, Node]) -> Node:
    key = info.alias if isinstance(info.alias, str) else name
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    unit = str(extra.get(EENHEID) or "")
    node = _type_node(info.annotation, tuple(info.metadata), unit, seen)
    node.key = key
    node.name = name
    node.keys = tuple(field_keys(name, info))
    node.label = info.title or humanize(key)
    node.help = info.description or ""
    node.vertrouwelijk = is_confidential(info)
    node.required = info.is_required()
    if not node.required:
        default = info.get_default(call_default_factory=True)
        node.default = to_jsonable_python(default)
    for m in info.metadata:
        for attr in ("ge", "gt", "le", "lt", "min_length", "max_length"):
            v = getattr(m, attr, None)
            if v is not None:
                node.constraints[attr] = v
    if key in CODE_LISTS and node.widget == "text":
        node.widget = "select"
        node.options = CODE_LISTS[key]()
    return node


def _type_node(tp: Any, meta: tuple[Any, ...], unit: str, seen: dict[type, Node]) -> Node:
    """The widget of a type (``meta``: ``Annotated`` metadata and pydantic's field metadata)."""
    embeds = next((m.model for m in meta if isinstance(m, Embeds)), None)
    unit = next((m.eenheid for m in meta if isinstance(m, Eenheid)), unit)
    origin = get_origin(tp)
    if origin is typing.Annotated:
        base, *extra = get_args(tp)
        return _type_node(base, tuple(extra) + tuple(m for m in meta if isinstance(m, Embeds)), unit, seen)
    if origin in (Union, types.UnionType):
        args = tuple(a for a in get_args(tp) if a is not type(None))
        nullable = len(args) < len(get_args(tp))
        members = [_member(a, embeds, unit, seen) for a in args]
        if len(members) == 1:
            node = members[0]
        else:
            node = Node("union", members=members, eenheid=unit)
            for m in members:
                m.label = _member_label(m)
        node.nullable = node.nullable or nullable
        return node
    if embeds is not None and _is_plain_mapping(tp):
        doc = _model_node(embeds, seen)
        return Node("document", model=embeds, fields=doc.fields, relations=doc.relations, label=doc.label)
    if tp is Any:
        return Node("free")
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        inner = _model_node(tp, seen)
        if inner.widget == "group" and inner.model is tp:
            return _group_ref(inner)
        if inner.widget == "union":
            return Node("union", members=inner.members, label=inner.label)
        return inner
    if origin is Literal:
        values = get_args(tp)
        return Node("select", options=tuple((v, value_label(v, values), "") for v in values))
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return Node("select", options=tuple((e.value, str(getattr(e, "label", None) or value_label(e.value, ())), "") for e in tp))
    if tp is bool:
        return Node("checkbox")
    if tp is int:
        return Node("integer", eenheid=unit)
    if tp is float:
        return Node("percentage" if unit == "%" else "number", eenheid=unit)
    if tp is str:
        return Node("text", eenheid=unit)
    if tp is dt.date:
        return Node("date")
    if origin in (list, tuple, set, frozenset, Sequence) or (isinstance(origin, type) and issubclass(origin, Sequence) and origin is not str):
        args = tuple(a for a in get_args(tp) if a is not Ellipsis)
        if len(args) != 1 and not (origin is tuple and len(set(args)) == 1):
            return Node("unsupported")
        item = _type_node(args[0], (), unit, seen)
        return Node("table" if item.widget == "group" else "list", item=item, eenheid=unit)
    if origin in (dict, Mapping) or (isinstance(origin, type) and issubclass(origin, Mapping)):
        args = get_args(tp)
        if len(args) != 2:
            return Node("free")
        k, v = args
        if v is Any:
            return Node("free")
        value = _type_node(v, (), unit, seen)
        if k is int and value.widget in ("number", "percentage"):
            return Node("years", item=value, eenheid=unit)
        key = _type_node(k, (), "", seen)
        node = Node("mapping", item=value, key_node=key, eenheid=unit)
        if key.widget == "select":
            node.fixed_keys = tuple(o[0] for o in key.options)
        elif key.widget not in ("text", "integer"):
            return Node("unsupported")
        return node
    return Node("unsupported")


def _group_ref(inner: Node) -> Node:
    """A field holding a model: a node of its own (its key, label, nullability) sharing the model's fields."""
    return Node("group", model=inner.model, fields=inner.fields, relations=inner.relations, label=inner.label)


def _member(tp: Any, embeds: type[BaseModel] | None, unit: str, seen: dict[type, Node]) -> Node:
    meta = (Embeds(embeds),) if embeds is not None and _is_plain_mapping(tp) else ()
    node = _type_node(tp, meta, unit, seen)
    if node.widget == "group" and node.model is not None:
        node.tag = _tag(node.model)
        if node.tag is not None:
            tag_field = node.child(node.tag[0])
            if tag_field is not None:
                tag_field.role = "tag"  # set by the choice of the member: posted, not shown
    return node


def _tag(model: type[BaseModel]) -> tuple[str, Any] | None:
    for name, info in model.model_fields.items():
        ann = info.annotation
        if get_origin(ann) is Literal and len(get_args(ann)) == 1:
            return (info.alias if isinstance(info.alias, str) else name, get_args(ann)[0])
    return None


def _member_label(node: Node) -> str:
    if node.widget == "group" and node.tag is not None:
        return value_label(node.tag[1], ())
    return {
        "text": "tekst", "number": "één getal", "integer": "één geheel getal", "percentage": "één percentage",
        "date": "datum", "checkbox": "ja/nee", "select": "keuze", "years": "per jaar", "mapping": "per sleutel",
        "table": "lijst", "list": "lijst", "free": "vrije gegevens (YAML)",
    }.get(node.widget, node.label or node.widget) if node.widget != "document" else f"ingebed document ({node.label})"


def _is_plain_mapping(tp: Any) -> bool:
    origin = get_origin(tp)
    return tp is dict or origin in (dict, Mapping) or (isinstance(origin, type) and issubclass(origin, Mapping))


def _relations(model: type[BaseModel], node: Node) -> dict[str, Any]:
    """The model's declared relations (``relaties``) as document keys of its fields."""
    out: dict[str, Any] = {}

    def key(name: str) -> str | None:
        f = node.child(name)
        return f.key if f is not None else None

    for rel in getattr(model, "relaties", ()) or ():
        if isinstance(rel, Product):
            uitkomst, factor_1, factor_2 = key(rel.uitkomst), key(rel.factoren[0]), key(rel.factoren[1])
            if uitkomst and factor_1 and factor_2:
                out["product"] = (uitkomst, factor_1, factor_2)
                _set_role(node, uitkomst, "product")
                _set_role(node, factor_1, "factor")
                _set_role(node, factor_2, "factor")
        elif isinstance(rel, Verdeling):
            a, b = key(rel.veld), key(rel.over)
            if a and b:
                out.setdefault("verdeling", {})[a] = b
                node.child(a).spreads = b  # type: ignore[union-attr]
        elif isinstance(rel, Groepering):
            groups = tuple(k for k in (key(v) for v in rel.velden) if k)
            total = key(rel.som)
            if groups and total:
                out["groepen"], out["som"] = groups, total
                for g in groups:
                    _set_role(node, g, "groep")
                if not node.child(total).role:  # type: ignore[union-attr]
                    _set_role(node, total, "som")
    return out


def _set_role(node: Node, key: str, role: str) -> None:
    f = node.child(key)
    if f is not None and f.role != "product":
        f.role = role


# ---------------------------------------------------------------------------------------------- coverage
def schema_paths(model: type[BaseModel]) -> list[tuple[Any, ...]]:
    """Every field of ``model`` at every depth as a schema path (``[]`` list item, ``{}`` dict value, ``<i>``
    union member), walked from the pydantic model itself — independently of :func:`form_tree`, so a test can check
    that the form has a control for each."""
    out: list[tuple[Any, ...]] = []
    _paths_model(model, (), out, ())
    return out


def _paths_model(model: type[BaseModel], prefix: tuple[Any, ...], out: list[tuple[Any, ...]], seen: tuple[type, ...]) -> None:
    if model in seen:
        return
    subs = variants(model)
    if subs:  # a base validated into its tagged subclasses: every field of each
        for i, sub in enumerate(subs):
            _paths_model(sub, prefix + (f"<{i}>",), out, seen + (model,))
        return
    for name, info in model.model_fields.items():
        key = info.alias if isinstance(info.alias, str) else name
        out.append(prefix + (key,))
        _paths_type(info.annotation, tuple(info.metadata), prefix + (key,), out, seen + (model,))


def _paths_type(tp: Any, meta: tuple[Any, ...], path: tuple[Any, ...], out: list[tuple[Any, ...]], seen: tuple[type, ...]) -> None:
    embeds = next((m.model for m in meta if isinstance(m, Embeds)), None)
    origin = get_origin(tp)
    if origin is typing.Annotated:
        base, *extra = get_args(tp)
        _paths_type(base, tuple(extra) + tuple(m for m in meta if isinstance(m, Embeds)), path, out, seen)
    elif origin in (Union, types.UnionType):
        args = tuple(a for a in get_args(tp) if a is not type(None))
        if len(args) == 1:
            _paths_type(args[0], meta, path, out, seen)
        else:
            for i, a in enumerate(args):
                _paths_type(a, meta if _is_plain_mapping(a) else (), path + (f"<{i}>",), out, seen)
    elif embeds is not None and _is_plain_mapping(tp):
        _paths_model(embeds, path, out, seen)
    elif isinstance(tp, type) and issubclass(tp, BaseModel):
        _paths_model(tp, path, out, seen)
    elif origin in (list, tuple, set, frozenset, Sequence):
        for a in get_args(tp):
            if a is not Ellipsis:
                _paths_type(a, (), path + ("[]",), out, seen)
    elif origin in (dict, Mapping):
        args = get_args(tp)
        if len(args) == 2 and args[1] is not Any:
            _paths_type(args[1], (), path + ("{}",), out, seen)


def find(tree: Node, path: tuple[Any, ...]) -> Node | None:
    """The node at a schema path of :func:`schema_paths` (``None``: the form has no control for it)."""
    node: Node | None = tree
    for seg in path:
        if node is None:
            return None
        if seg == "[]":
            node = node.item if node.widget in ("table", "list") else None
        elif seg == "{}":
            node = node.item if node.widget in ("mapping", "years") else None
        elif isinstance(seg, str) and seg.startswith("<") and seg.endswith(">"):
            node = node.members[int(seg[1:-1])] if node.widget == "union" and int(seg[1:-1]) < len(node.members) else None
        else:
            node = node.child(seg) if node.widget in ("group", "document") else None
    return node


__all__ = ["BLOCKS", "CODE_LISTS", "MISSING", "Node", "SCALARS", "VALUE_LABELS", "find", "form_tree", "humanize", "schema_paths", "value_label", "variants"]
