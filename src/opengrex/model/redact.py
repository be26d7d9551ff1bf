"""Confidential fields, derived from the model schema: find them, and hide them from viewers, at every depth.

A field is confidential when it is declared with ``veld(..., vertrouwelijk=True)`` (:mod:`opengrex.model.base`).
The walker follows the *schema* through the *data*: nested models, lists, tuples, dicts, unions (the member the data
fits; discriminated unions by their tag) and documents embedded as plain data (fields annotated with
:class:`~opengrex.model.base.Embeds`, e.g. a kostenverhaal party's inline grex). Keys are matched by field name
and by alias, so old and new spellings of a document are both covered.

- :func:`confidential_fields` lists every confidential field of a document kind as a schema path
  (``"kosten[].note"``, ``"initiatiefnemer.grex.inline.kosten[].note"``);
- :func:`redact` returns a copy of a document with every confidential value replaced by the field's default
  (``""`` for a note), so the redacted document still validates and calculates;
- :func:`map_confidential` is the walk itself (``fn(path, field, value) -> value`` on every confidential value).

A confidential field must have a default (otherwise a redacted document would not validate):
:func:`confidential_fields` raises :class:`TypeError` naming the field.
"""
from __future__ import annotations

import copy
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import AliasChoices, AliasPath, BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined, to_jsonable_python

from opengrex.model.base import VERTROUWELIJK, Embeds

Path = tuple[Any, ...]
Visit = Callable[[Path, FieldInfo, Any], Any]


def is_confidential(info: FieldInfo) -> bool:
    """Whether a field was declared ``vertrouwelijk=True``."""
    extra = info.json_schema_extra
    return isinstance(extra, dict) and bool(extra.get(VERTROUWELIJK))


def field_keys(name: str, info: FieldInfo) -> list[str]:
    """Every key under which a field may stand in a document: its name, alias and validation aliases."""
    keys = [name]
    for a in (info.alias, info.serialization_alias):
        if isinstance(a, str) and a not in keys:
            keys.append(a)
    va = info.validation_alias
    choices = va.choices if isinstance(va, AliasChoices) else [va] if va is not None else []
    for c in choices:
        if isinstance(c, str) and c not in keys:
            keys.append(c)
        elif isinstance(c, AliasPath) and c.path and isinstance(c.path[0], str) and c.path[0] not in keys:
            keys.append(c.path[0])
    return keys


def redacted_value(info: FieldInfo) -> Any:
    """What a viewer sees instead of a confidential value: the field's default, as plain data."""
    default = info.get_default(call_default_factory=True)
    if default is PydanticUndefined:
        raise TypeError("een vertrouwelijk veld heeft een standaardwaarde nodig (anders is het afgeschermde document ongeldig)")
    return to_jsonable_python(default)


# ---------------------------------------------------------------------------------------------- the schema
def confidential_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """Every confidential field of ``model`` as a schema path (``[]`` for list items, ``{}`` for dict values)."""
    out: list[str] = []
    _schema_model(model, "", out, ())
    return tuple(dict.fromkeys(out))


def _schema_model(model: type[BaseModel], prefix: str, out: list[str], seen: tuple[type, ...]) -> None:
    if model in seen:  # a recursive model: its fields are listed once
        return
    for name, info in model.model_fields.items():
        key = info.alias if isinstance(info.alias, str) else name
        path = f"{prefix}.{key}" if prefix else key
        if is_confidential(info):
            try:
                redacted_value(info)
            except TypeError as exc:
                raise TypeError(f"{model.__name__}.{name}: {exc}") from None
            out.append(path)
            continue
        _schema_type(info.annotation, tuple(info.metadata), path, out, seen + (model,))


def _schema_type(tp: Any, meta: tuple[Any, ...], path: str, out: list[str], seen: tuple[type, ...]) -> None:
    for m in meta:
        if isinstance(m, Embeds):
            _schema_model(m.model, path, out, seen)
            return
    origin = get_origin(tp)
    if origin is typing.Annotated:
        base, *extra = get_args(tp)
        _schema_type(base, tuple(extra), path, out, seen)
    elif isinstance(tp, type) and issubclass(tp, BaseModel):
        _schema_model(tp, path, out, seen)
    elif origin in (Union, types.UnionType):
        for arg in get_args(tp):
            _schema_type(arg, (), path, out, seen)
    elif origin in (list, set, frozenset, tuple, Sequence) or (isinstance(origin, type) and issubclass(origin, Sequence) and origin is not str):
        for arg in get_args(tp):
            if arg is not Ellipsis:
                _schema_type(arg, (), f"{path}[]", out, seen)
    elif origin in (dict, Mapping) or (isinstance(origin, type) and issubclass(origin, Mapping)):
        args = get_args(tp)
        if len(args) == 2:
            _schema_type(args[1], (), f"{path}{{}}", out, seen)


# ---------------------------------------------------------------------------------------------- the data
def redact(model: type[BaseModel], data: Any) -> Any:
    """A copy of ``data`` (a document of ``model`` as plain data) with every confidential value replaced by its
    field's default. The input is not changed."""
    return map_confidential(model, data, lambda path, info, value: redacted_value(info))


def map_confidential(model: type[BaseModel], data: Any, fn: Visit, *, insert: bool = False) -> Any:
    """A copy of ``data`` with ``fn(path, field, value)`` applied to every confidential value at any depth.

    ``insert=True`` also visits confidential fields absent from the data (``value`` ``None``) and adds them under
    their document key (used by tests to fill every confidential field of a document)."""
    return _model(model, copy.deepcopy(data), fn, (), insert)


def _model(model: type[BaseModel], data: Any, fn: Visit, path: Path, insert: bool) -> Any:
    if not isinstance(data, dict):
        return data
    for name, info in model.model_fields.items():
        keys = [k for k in field_keys(name, info) if k in data]
        if is_confidential(info):
            if insert and not keys:
                key = info.alias if isinstance(info.alias, str) else name
                data[key] = fn(path + (key,), info, None)
            for k in keys:
                data[k] = fn(path + (k,), info, data[k])
            continue
        for k in keys:
            data[k] = _value(info.annotation, tuple(info.metadata), data[k], fn, path + (k,), insert)
    return data


def _value(tp: Any, meta: tuple[Any, ...], value: Any, fn: Visit, path: Path, insert: bool) -> Any:
    for m in meta:
        if isinstance(m, Embeds):
            return _model(m.model, value, fn, path, insert) if isinstance(value, dict) else value
    origin = get_origin(tp)
    if origin is typing.Annotated:
        base, *extra = get_args(tp)
        return _value(base, tuple(extra), value, fn, path, insert)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return _model(tp, value, fn, path, insert)
    if origin in (Union, types.UnionType):
        members = list(get_args(tp))
        if isinstance(value, dict):
            models = [m for m in members if _model_type(m) is not None]
            fitting = [m for m in models if _fits(_model_type(m), value)]  # type: ignore[arg-type]
            if fitting:
                return _value(fitting[0], (), value, fn, path, insert)
            for m in models:  # data that fits no member (invalid anyway): hide what any member marks confidential
                value = _value(m, (), value, fn, path, False)
            return value
        for m in members:
            if _model_type(m) is None:
                value = _value(m, (), value, fn, path, insert)
        return value
    if isinstance(value, list) and (origin in (list, set, frozenset, tuple, Sequence) or (isinstance(origin, type) and issubclass(origin, Sequence))):
        args = [a for a in get_args(tp) if a is not Ellipsis]
        if not args:
            return value
        if origin is tuple and len(args) == len(value) and Ellipsis not in get_args(tp):
            return [_value(a, (), v, fn, path + (i,), insert) for i, (a, v) in enumerate(zip(args, value, strict=True))]
        return [_value(args[0], (), v, fn, path + (i,), insert) for i, v in enumerate(value)]
    if isinstance(value, dict) and (origin in (dict, Mapping) or (isinstance(origin, type) and issubclass(origin, Mapping))):
        kv = get_args(tp)
        if len(kv) != 2:
            return value
        return {k: _value(kv[1], (), v, fn, path + (k,), insert) for k, v in value.items()}
    return value


def _model_type(tp: Any) -> type[BaseModel] | None:
    if get_origin(tp) is typing.Annotated:
        tp = get_args(tp)[0]
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _fits(model: type[BaseModel], data: dict[str, Any]) -> bool:
    """Whether ``data`` can be a ``model``: every key is one of its fields, and every ``Literal`` tag matches."""
    known: dict[str, FieldInfo] = {}
    for name, info in model.model_fields.items():
        for k in field_keys(name, info):
            known[k] = info
    if any(k not in known for k in data):
        return False
    for k, v in data.items():
        ann = known[k].annotation
        if get_origin(ann) is Literal and v not in get_args(ann):
            return False
    return True
