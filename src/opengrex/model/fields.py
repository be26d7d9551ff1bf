"""What a field of a document is called, its unit and how its value reads, derived from the model
(``veld(label=..., eenheid=...)``): ``kosten[0].bedrag 9500000.0 → 11000000.0`` becomes ``Kosten › Bouwrijp maken ›
Bedrag: € 9.500.000 → € 11.000.000`` and ``rente 0.02 → 0.03`` becomes ``Rente: 2,00% → 3,00%``.

The one walk of a document path through the model (:func:`field_meta`) and the one path parser (:func:`parse_path`):
used by the version comparison (:func:`describe_changes` on the output of :func:`opengrex.model.diff.diff`: the
controller's comparison page, the upload preview, the REST API) and by the Excel input sheets
(:mod:`opengrex.io.xlsx_invoer` takes each field's label and unit from :func:`field_title` and :func:`field_unit`).
A field without a label falls back to its description (up to the unit or first comma), the glossary, then its key
written out (``opening_book_value`` → ``Opening book value``); a line is named by its name (``naam``, ``name``, …),
else ``regel 3``; a year or a series by its key.
"""
from __future__ import annotations

import datetime as dt
import re
import types
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from opengrex.formatting import column_label, format_by_unit
from opengrex.model.base import EENHEID, Embeds
from opengrex.model.diff import line_key
from opengrex.model.redact import field_keys

SEPARATOR = " › "


@dataclass(frozen=True)
class FieldMeta:
    """A field as users read it: its label path (``["Kosten", "Bouwrijp maken", "Bedrag"]``) and unit."""

    labels: tuple[str, ...]
    eenheid: str | None

    @property
    def label(self) -> str:
        return SEPARATOR.join(self.labels)

    def text(self, value: Any) -> str:
        """The value as users read it (nl-NL money, percentages, dates; a line by its name and amount)."""
        return value_text(value, self.eenheid)


def parse_path(path: str) -> list[str | int]:
    """A document path as text → its parts: ``kosten[0].fasering[2026]`` → ``["kosten", 0, "fasering", 2026]``,
    ``investeringen[Herinrichting].bruto`` → ``["investeringen", "Herinrichting", "bruto"]`` (the diff's paths and
    the Sleutel column of the Excel sheets: a number in brackets is a position or a year, a name stays text)."""
    out: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[([^\]]*)\]", str(path).strip()):
        if name:
            out.append(name.strip())
        else:
            out.append(int(index) if index.lstrip("-").isdigit() else index)
    return out


def field_meta(model: type[BaseModel] | None, path: str | Sequence[Any], data: Any = None, line: str | None = None) -> FieldMeta:
    """Label path and unit of the field at ``path`` (a diff path, or its parts: document keys, list positions,
    mapping keys) in documents of ``model``: ``("kosten", 0, "bedrag")`` → ``(("Kosten", "Sloop", "Bedrag"), "EUR
    prijspeil")``. A line is named by its name in ``data`` (the document), else by ``line`` (the diff's ``regel``,
    ``"kosten: Sloop"``), else ``regel 1``; a year or a series by its key; a key the model does not know is written
    out (glossary, else the key)."""
    parts = parse_path(path) if isinstance(path, str) else list(path)
    line_at, line_name = _line_of(line)
    labels: list[str] = []
    unit = ""
    ann: Any = model
    node: Any = data
    for i, part in enumerate(parts):
        members, _, meta = type_members(ann)
        embeds = next((x for x in meta if isinstance(x, Embeds)), None)
        models = [embeds.model] if embeds is not None and isinstance(part, str) else [m for m in members if is_model(m)]
        if models and isinstance(part, str):
            m = pick_model(tuple(models), node)
            found = next(((n, f) for mm in ([m] + models) for n, f in mm.model_fields.items() if part in field_keys(n, f)), None)
            if found is not None:
                labels.append(field_title(*found))
                unit = field_unit(found[1]) or unit
                ann = field_annotation(found[1])
                node = node.get(part) if isinstance(node, dict) else None
                continue
        seq = next((m for m in members if get_origin(m) in (list, tuple, set, frozenset)), None)
        dic = next((m for m in members if get_origin(m) is dict), None)
        if seq is not None and isinstance(part, int) and not isinstance(part, bool):
            item = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            key = line_key(item, None)
            if key is None and i == line_at and line_name != str(part):
                key = line_name
            labels.append(str(key) if key is not None else f"regel {part + 1}")
            ann, node = (get_args(seq) or (None,))[0], item
            continue
        if seq is not None and isinstance(part, str):  # a line by its key (``investeringen[Herinrichting]``)
            item = next((x for j, x in enumerate(node) if str(line_key(x, j)) == part), None) if isinstance(node, list) else None
            labels.append(part)
            ann, node = (get_args(seq) or (None,))[0], item
            continue
        if dic is not None:
            labels.append(str(part))
            ann = get_args(dic)[-1] if get_args(dic) else None
            node = node.get(part, node.get(str(part))) if isinstance(node, dict) else None
            continue
        if members and is_rate(members):  # a year of a rate series: the series' unit stays
            labels.append(str(part))
            continue
        labels.append(str(part) if not isinstance(part, str) else _fallback_label(part))
        unit = unit or (_glossary_unit(part) if isinstance(part, str) else None) or ""
        ann, node = None, None
    return FieldMeta(tuple(labels), unit or None)


def describe_changes(model: type[BaseModel] | None, changes: list[dict[str, Any]], a: Any = None, b: Any = None) -> list[dict[str, Any]]:
    """Each change of :func:`opengrex.model.diff.diff` (from document ``a`` to ``b``) with ``veld`` (the label
    path), ``eenheid`` and both values as nl-NL text (``oud_tekst``, ``nieuw_tekst``); the raw values and the
    document path (``pad``) stay. A line is named from the version it stands in (``b``, for a removal ``a``)."""
    out = []
    for c in changes:
        data = a if c.get("soort") == "verwijderd" else b if b is not None else a
        meta = field_meta(model, c.get("pad", ""), data, c.get("regel"))
        out.append({**c, "veld": meta.label, "eenheid": meta.eenheid, "oud_tekst": meta.text(c.get("oud")), "nieuw_tekst": meta.text(c.get("nieuw"))})
    return out


def value_text(value: Any, eenheid: str | None) -> str:
    """A document value as text by its unit (:func:`opengrex.formatting.format_by_unit`; ``None`` as ``–``); a whole
    line by its name and amount; several lines by their number; a mapping item by item."""
    if isinstance(value, dict) and any(k in value for k in ("naam", "name")):
        name = value.get("naam", value.get("name"))
        amount = next((value[k] for k in ("bedrag", "amount", "bruto", "raming", "plafond") if isinstance(value.get(k), (int, float))), None)
        return f"{name} ({format_by_unit(amount, 'EUR')})" if amount is not None else str(name)
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return f"{len(value)} regels"
    if isinstance(value, list) and not value:
        return "–"
    return format_by_unit(value, eenheid)


def _line_of(line: str | None) -> tuple[int | None, str | None]:
    """Where the line a change is in stands in its path, and its key: ``"kosten: Sloop"`` → ``(1, "Sloop")``."""
    if not line or ": " not in line:
        return None, None
    where, name = line.split(": ", 1)
    return len(parse_path(where)), name


# ---------------------------------------------------------------------------------------------- schema helpers
def strip_annotated(ann: Any) -> tuple[Any, list[Any]]:
    """An annotation without ``Annotated`` and the metadata that came off."""
    meta: list[Any] = []
    while get_origin(ann) is Annotated:
        args = get_args(ann)
        ann, meta = args[0], meta + list(args[1:])
    return ann, meta


def type_members(ann: Any) -> tuple[list[Any], bool, list[Any]]:
    """Union members (stripped, without None), whether None is allowed, and the metadata found on the way."""
    ann, meta = strip_annotated(ann)
    if get_origin(ann) in (Union, types.UnionType):
        out: list[Any] = []
        optional = False
        for a in get_args(ann):
            if a is type(None):
                optional = True
                continue
            m, o, mm = type_members(a)
            out += m
            optional = optional or o
            meta += mm
        return out, optional, meta
    return [ann], False, meta


def is_model(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, BaseModel)


SCALARS = (str, int, float, bool, dt.date)


def is_scalar(t: Any) -> bool:
    t, _ = strip_annotated(t)
    return t in SCALARS or get_origin(t) is Literal


def is_rate(members: list[Any]) -> bool:
    """``float | dict[int, float]`` (:data:`opengrex.model.base.RateSeries`)."""
    plain = [m for m in members if m in (int, float)]
    dicts = [m for m in members if get_origin(m) is dict]
    return bool(plain) and len(dicts) == 1 and len(plain) + 1 == len(members) and strip_annotated(get_args(dicts[0])[0])[0] is int \
        and all(is_scalar(a) for a in get_args(dicts[0]))


def pick_model(models: tuple[type[BaseModel], ...], value: Any) -> type[BaseModel]:
    """The member of a (tagged) union of models that ``value`` is."""
    if len(models) == 1 or not isinstance(value, dict):
        return models[0]
    from opengrex.model.base import (
        _pick_model,  # the tagged-union choice the key migration also makes
    )

    return _pick_model(Union[models], value) or models[0]  # noqa: UP007


def field_annotation(info: FieldInfo) -> Any:
    """A field's annotation with the ``Annotated`` metadata pydantic keeps apart (:class:`Embeds`, a unit)."""
    meta = [m for m in info.metadata if isinstance(m, Embeds) or hasattr(m, "eenheid")]
    return Annotated[(info.annotation, *meta)] if meta else info.annotation


def field_unit(info: FieldInfo) -> str:
    """A field's unit: its ``eenheid``, else the unit of its type (``Annotated[..., Eenheid("%")]``); ``""``: none."""
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    if extra.get(EENHEID):
        return str(extra[EENHEID])
    _, _, meta = type_members(field_annotation(info))
    for m in meta:  # Annotated[..., Eenheid("%")] on a type used without a field of its own
        if hasattr(m, "eenheid") and isinstance(m.eenheid, str):
            return m.eenheid
    return ""


def field_title(name: str, info: FieldInfo) -> str:
    """A field's label: its title (``veld(label=...)``), else its description up to the unit or first comma, else
    its key written out."""
    return str(info.title or _description_label(info) or _fallback_label(name))


def _description_label(info: FieldInfo) -> str | None:
    text = re.split(r"\s*[\[,(:]", info.description or "", maxsplit=1)[0].strip()
    return text if text and len(text) <= 40 else None


def _fallback_label(key: str) -> str:
    term = _glossary().get(key, (None, None))[0]
    return column_label(term or key)


def _glossary_unit(key: str) -> str | None:
    unit = _glossary().get(key, (None, None))[1]
    if unit in ("1/yr", "%"):
        return "%"
    if unit and unit.startswith("EUR"):
        return unit
    return None


@lru_cache(maxsize=1)
def _glossary() -> dict[str, tuple[str, str]]:
    """code name → (Dutch term, unit) from ``glossary.yaml``."""
    import yaml

    path = Path(__file__).resolve().parent.parent / "glossary.yaml"
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except OSError:
        return {}
    out = {}
    for e in entries:
        if isinstance(e, dict) and e.get("code"):
            out[str(e["code"]).split(" ")[0]] = (str(e.get("term", "")).split(" (")[0], str(e.get("unit", "")))
    return out


__all__ = ["SEPARATOR", "FieldMeta", "describe_changes", "field_annotation", "field_meta", "field_title", "field_unit", "is_model", "is_rate", "is_scalar",
           "parse_path", "pick_model", "strip_annotated", "type_members", "value_text"]
