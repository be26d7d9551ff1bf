"""Shared pieces of the input models: strict base class, field metadata (:func:`veld`), year-keyed rate series,
path helpers.

Declare once, derive the rest (spec style.md §14): a field's Dutch label, unit, help text and confidentiality are
declared on the model with :func:`veld`; the web form, the Excel layout, the redaction for viewers and the API
schema are derived from it. User-facing document keys are Dutch: a field whose Python name is English carries
its Dutch key as ``alias`` (``amount: float = veld(label="Bedrag", alias="bedrag")``); both spellings load, the
Dutch one is written. Errors name a key as the document spells it (:func:`spelled_path`), and
:func:`migrate_keys` rewrites an old document to the Dutch keys (``opengrex document migreer``).
"""
from __future__ import annotations

import types
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field

from opengrex.errors import InputError


class StrictModel(BaseModel):
    """Base of every input model: unknown keys are an error (``extra="forbid"``)."""

    model_config = ConfigDict(
        extra="forbid",
        validate_by_name=True,  # the old (English) spelling of a key still loads ...
        validate_by_alias=True,  # ... next to its Dutch alias
        serialize_by_alias=True,  # and the Dutch key is what is written
        loc_by_alias=False,  # errors carry the Python name; spelled_path() names the key as the document has it
        allow_inf_nan=False,  # NaN/inf: an input error
    )


VERTROUWELIJK = "vertrouwelijk"
"""``json_schema_extra`` key marking a confidential field: viewers and public reports never see its value."""
EENHEID = "eenheid"
"""``json_schema_extra`` key with the unit shown next to a field (``EUR prijspeil``, ``%``, ``m²``, ``jaar``)."""


def veld(default: Any = ..., *, label: str, eenheid: str | None = None, help: str | None = None,
         vertrouwelijk: bool = False, alias: str | None = None, **kwargs: Any) -> Any:
    """A model field with its user-facing metadata: Dutch ``label`` (the JSON schema ``title``), ``eenheid``,
    ``help`` text (``description``), whether it is ``vertrouwelijk``, and its Dutch key (``alias``) when the
    Python name differs. Other keyword arguments go to :func:`pydantic.Field` (``default_factory``, ``ge``, …)."""
    extra: dict[str, Any] = {}
    if eenheid is not None:
        extra[EENHEID] = eenheid
    if vertrouwelijk:
        extra[VERTROUWELIJK] = True
    if alias is not None:
        kwargs["alias"] = alias
    if "default_factory" in kwargs and default is ...:
        return Field(title=label, description=help, json_schema_extra=extra or None, **kwargs)
    return Field(default, title=label, description=help, json_schema_extra=extra or None, **kwargs)


@dataclass(frozen=True)
class Embeds:
    """``Annotated`` metadata of a plain-data field that holds a whole document of another kind inline, e.g. a
    kostenverhaal party's grex: ``inline: Annotated[dict[str, Any] | None, Embeds(Grex)]``. Validation stays with the
    field's own type; :mod:`opengrex.model.redact` walks the embedded document with ``model``'s schema, so its
    confidential fields are found at any depth."""

    model: type[BaseModel]


RateSeries = float | dict[int, float]
"""A rate per calendar year (``{2025: 0.035, 2026: 0.03}``) or one rate for every year. The last rate given holds
for later years ("2026 e.v."); the first rate given also holds for earlier years."""


def path_text(path: tuple) -> str:
    """``("kosten", 2, "phasing")`` -> ``"kosten[2].phasing"``."""
    out = ""
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + str(p)
    return out


def error(path: tuple, message: str, value: Any = None, allowed: str | None = None) -> InputError:
    """An :class:`InputError` for the field at ``path`` in the input document."""
    return InputError(message, field=path_text(path), value=value, allowed=allowed, path=path)


def rate_on_years(series: RateSeries, years: range) -> list[float]:
    """Expand a :data:`RateSeries` to one rate per year of ``years``."""
    if isinstance(series, (int, float)):
        return [float(series)] * len(years)
    known = sorted(series.items())
    out = []
    for y in years:
        rate = known[0][1]
        for k, v in known:
            if k <= y:
                rate = v
            else:
                break
        out.append(float(rate))
    return out


def override_rate(series: RateSeries, *, waarde: float | None, delta: float | None, vanaf: int | None, years: range) -> RateSeries:
    """A rate series with a scenario change (a new series; ``series`` is not changed): set to ``waarde`` or moved by
    ``delta``, for every year, or from ``vanaf`` on (then written per year over ``years`` and up to ``vanaf``, the
    earlier years keeping their rates)."""
    if vanaf is None:
        if waarde is not None:
            return float(waarde)
        if isinstance(series, dict):
            return {y: v + float(delta or 0.0) for y, v in series.items()}
        return float(series) + float(delta or 0.0)
    span = range(min(years.start, vanaf), max(years.stop, vanaf + 1))
    return {y: (v if y < vanaf else (float(waarde) if waarde is not None else v + float(delta or 0.0))) for y, v in zip(span, rate_on_years(series, span))}


def check_rates(series: RateSeries, path: tuple) -> list[InputError]:
    """Rates must be > -100% (a factor ``1 + r`` of zero or less has no meaning)."""
    items = [(None, series)] if isinstance(series, (int, float)) else list(series.items())
    if not items:  # an empty {} has no rate for any year
        return [error(path, "geen percentage opgegeven", series, "één percentage, of percentages per jaar zoals {2025: 0.02}")]
    errs = []
    for year, rate in items:
        if rate <= -1.0:
            p = path if year is None else path + (year,)
            errs.append(error(p, "percentage moet groter zijn dan -100%", rate, "> -1,0 (als fractie, bijv. 0.02 = 2%)"))
    return errs


# ------------------------------------------------------------------------------------------------ key spellings
def _unwrap(annotation: Any) -> Any:
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation


def _members(annotation: Any) -> list[Any]:
    """The members of a (possibly optional, annotated, nested) union; ``[annotation]`` otherwise."""
    a = _unwrap(annotation)
    if get_origin(a) in (Union, types.UnionType):
        return [m for arg in get_args(a) for m in _members(arg)]
    return [a]


def _keys(model: type[BaseModel]) -> dict[str, tuple[str, str]]:
    """Every accepted key of ``model`` -> (Python name, Dutch key)."""
    out: dict[str, tuple[str, str]] = {}
    for name, f in model.model_fields.items():
        pair = (name, f.alias or name)
        out[name] = pair
        out[pair[1]] = pair
    return out


def dutch_keys(model: type[BaseModel]) -> list[str]:
    """The document keys of ``model`` as they are written (Dutch), in declaration order."""
    return [f.alias or name for name, f in model.model_fields.items()]


def _pick_model(annotation: Any, value: Any) -> type[BaseModel] | None:
    """The model a value of this annotation is validated as (for a tagged union: the member whose ``Literal``
    field matches the value)."""
    models = [m for m in _members(annotation) if isinstance(m, type) and issubclass(m, BaseModel)]
    if len(models) <= 1 or not isinstance(value, dict):
        return models[0] if models else None
    for m in models:
        tags = [(name, f) for name, f in m.model_fields.items() if get_origin(_unwrap(f.annotation)) is Literal]
        if tags and all(value.get(f.alias or name, value.get(name)) in get_args(_unwrap(f.annotation)) for name, f in tags):
            return m
    return next((m for m in models if set(value) <= set(_keys(m))), models[0])


def _child(annotation: Any, value: Any, key: Any) -> tuple[Any, Any]:
    """(annotation, value) one step down a list or dict that is not a model."""
    for m in _members(annotation):
        origin = get_origin(m)
        if origin in (list, tuple, set, frozenset) and get_args(m):
            item = value[key] if isinstance(value, list) and isinstance(key, int) and -len(value) <= key < len(value) else None
            return get_args(m)[0], item
        if origin is dict and len(get_args(m)) == 2:
            return get_args(m)[1], value.get(key) if isinstance(value, dict) else None
    return None, None


def spelled_path(model: type[BaseModel], data: Any, path: tuple, followed: bool = False) -> tuple:
    """``path`` (Python field names) with every field named as ``data`` spells it: the Dutch key, or the old
    English one in an old document; a key the document lacks is named like its neighbours. Tags of a tagged union
    that pydantic puts in error locations are dropped (``followed``: more parts follow ``path`` in the location)."""
    out: list[Any] = []
    ann: Any = model
    val: Any = data
    for i, part in enumerate(path):
        m = _pick_model(ann, val) if isinstance(val, dict) else None
        if m is not None and isinstance(part, str):
            keys = _keys(m)
            if part not in keys:
                # a union tag in pydantic's location stands before the member's field, never last (a missing field
                # that happens to be spelled like the tag value, e.g. ``planschade`` of soort planschade, is kept)
                if part in val.values() and part not in val and (i < len(path) - 1 or followed):
                    continue
                out.append(part)
                ann, val = None, None
                continue
            name, dutch = keys[part]
            if dutch in val:
                key = dutch
            elif name in val:
                key = name
            else:
                old_style = any(n in val and n != d for n, d in keys.values())
                key = name if old_style else dutch
            out.append(key)
            ann, val = m.model_fields[name].annotation, val.get(key)
        else:
            out.append(part)
            ann, val = _child(ann, val, part)
    return tuple(out)


def _rename_in_place(mapping: MutableMapping[Any, Any], old: Any, new: Any) -> None:
    items = list(mapping.items())
    mapping.clear()
    mapping.update((new if k == old else k, v) for k, v in items)


def migrate_keys(model: type[BaseModel], data: Any, rename: Callable[[MutableMapping[Any, Any], Any, Any], None] = _rename_in_place,
                 path: tuple = ()) -> list[tuple[tuple, str, str]]:
    """Rewrite, in place, every old (English) key of a ``model`` document to its Dutch key, at every depth; key
    order is kept. ``rename(mapping, old, new)`` does one rename (a comment-preserving one for ruamel.yaml maps).
    A key whose Dutch spelling is already present is left alone (the model then reports the duplicate).
    Returns ``(path, old, new)`` for each renamed key."""
    done: list[tuple[tuple, str, str]] = []
    _migrate(model, data, rename, path, done)
    return done


def _migrate(ann: Any, val: Any, rename: Callable[[MutableMapping[Any, Any], Any, Any], None], path: tuple, done: list[tuple[tuple, str, str]]) -> None:
    if isinstance(val, MutableMapping):
        m = _pick_model(ann, dict(val))
        if m is not None:
            keys = _keys(m)
            for key in list(val.keys()):
                if key not in keys:
                    continue
                name, dutch = keys[key]
                if key == name and dutch != name and dutch not in val:
                    rename(val, key, dutch)
                    done.append((path, key, dutch))
                    key = dutch
                info = m.model_fields[name]
                embedded = next((x.model for x in info.metadata if isinstance(x, Embeds)), None)  # a whole document inline
                _migrate(embedded or info.annotation, val[key], rename, path + (key,), done)
            return
        for key in list(val.keys()):
            child_ann, _ = _child(ann, dict(val), key)
            if child_ann is not None:
                _migrate(child_ann, val[key], rename, path + (key,), done)
    elif isinstance(val, list):
        for i, item in enumerate(val):
            child_ann, _ = _child(ann, val, i)
            if child_ann is not None:
                _migrate(child_ann, item, rename, path + (i,), done)
