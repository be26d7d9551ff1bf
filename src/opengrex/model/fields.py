"""What a field of a document is called and how its value reads, derived from the model (``veld(label=...,
eenheid=...)``): ``kosten[0].amount 9500000.0 → 11000000.0`` becomes ``Kosten › Bouwrijp maken › Bedrag: € 9.500.000
→ € 11.000.000`` and ``rente 0.02 → 0.03`` becomes ``Rente: 2,00% → 3,00%``.

Used by the version comparison (:func:`describe_changes` on the output of :func:`opengrex.model.diff.diff`) and by
anything else that names a field to users. A field without a label falls back to the description's unit
(``[EUR]``), the glossary (``rente``: 1/yr → %), then its key written out (``opening_book_value`` → ``Opening book
value``).
"""
from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from opengrex.formatting import column_label, format_by_unit
from opengrex.model.base import EENHEID, RateSeries
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
    """``kosten[0].amount`` → ``["kosten", 0, "amount"]``; ``investeringen[Herinrichting].bruto`` → ``[…, "Herinrichting", …]``."""
    out: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[([^\]]*)\]", path):
        if name:
            out.append(name)
        else:
            out.append(int(index) if index.isdigit() else index)
    return out


def field_meta(model: type[BaseModel] | None, path: str, line: str | None = None) -> FieldMeta:
    """Label path and unit of the field at ``path`` (a diff path) in documents of ``model``; ``line`` (the diff's
    ``regel``, ``"kosten: Bouwrijp maken"``) names the line instead of its position."""
    parts = parse_path(path)
    line_name = line.split(": ", 1)[1] if line and ": " in line else None
    labels: list[str] = []
    unit: str | None = None
    tp: Any = model
    for part in parts:
        if isinstance(part, int) or (isinstance(part, str) and tp is not None and _is_list(tp)):
            labels.append(line_name if line_name is not None and isinstance(part, int) else str(part) if not isinstance(part, int) else f"regel {part + 1}")
            tp = _item(tp)
            continue
        model_t = _model_of(tp)
        if model_t is not None:
            found = _field(model_t, str(part))
            if found is not None:
                name, info = found
                labels.append(info.title or _description_label(info) or _fallback_label(name))
                unit = _unit(name, info) or unit
                tp = info.annotation
                continue
        if tp is not None and _is_dict(tp):  # a key of a mapping (an index series, a year)
            labels.append(str(part))
            tp = _item(tp)
            continue
        labels.append(_fallback_label(str(part)))
        unit = unit or _glossary_unit(str(part))
        tp = None
    return FieldMeta(tuple(labels), unit)


def describe_changes(model: type[BaseModel] | None, changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each change of :func:`opengrex.model.diff.diff` with ``veld`` (the label path), ``eenheid`` and the values as
    text (``oud_tekst``, ``nieuw_tekst``); the raw values stay."""
    out = []
    for c in changes:
        meta = field_meta(model, c.get("pad", ""), c.get("regel"))
        out.append({**c, "veld": meta.label, "eenheid": meta.eenheid, "oud_tekst": meta.text(c.get("oud")), "nieuw_tekst": meta.text(c.get("nieuw"))})
    return out


def value_text(value: Any, eenheid: str | None) -> str:
    """A document value as text by its unit; a whole line (mapping) by its name and amount; ``None`` as empty."""
    if value is None:
        return ""
    if isinstance(value, dict) and any(k in value for k in ("name", "naam")):
        name = value.get("naam", value.get("name"))
        amount = next((value[k] for k in ("bedrag", "amount", "raming", "bruto") if isinstance(value.get(k), (int, float))), None)
        return f"{name} ({format_by_unit(amount, 'EUR')})" if amount is not None else str(name)
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return f"{len(value)} regels"
    unit = eenheid or ("tekst" if not isinstance(value, (int, float, dict)) else "")
    if unit in ("", "-") and isinstance(value, (int, float)) and not isinstance(value, bool):
        unit = "tekst"
    return format_by_unit(value, unit)


# ---------------------------------------------------------------------------------------------- schema helpers
def _strip(tp: Any) -> Any:
    while get_origin(tp) is typing.Annotated:
        tp = get_args(tp)[0]
    if get_origin(tp) in (Union, types.UnionType):
        members = [a for a in get_args(tp) if a is not type(None)]
        models = [a for a in members if isinstance(a, type) and issubclass(a, BaseModel)]
        return models[0] if len(models) == 1 else members[0] if len(members) == 1 else tp
    return tp


def _model_of(tp: Any) -> type[BaseModel] | None:
    tp = _strip(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _is_list(tp: Any) -> bool:
    origin = get_origin(_strip(tp))
    return origin in (list, tuple, set, frozenset)


def _is_dict(tp: Any) -> bool:
    tp = _strip(tp)
    if get_origin(tp) in (Union, types.UnionType):  # RateSeries = float | dict[int, float]
        return any(get_origin(a) is dict for a in get_args(tp))
    return get_origin(tp) is dict


def _item(tp: Any) -> Any:
    tp = _strip(tp)
    if get_origin(tp) in (Union, types.UnionType):
        tp = next((a for a in get_args(tp) if get_origin(a) in (dict, list)), tp)
    args = [a for a in get_args(tp) if a is not Ellipsis]
    return args[-1] if args else None


def _field(model: type[BaseModel], key: str) -> tuple[str, FieldInfo] | None:
    for name, info in model.model_fields.items():
        if key in field_keys(name, info):
            return name, info
    return None


def _unit(name: str, info: FieldInfo) -> str | None:
    extra = info.json_schema_extra
    if isinstance(extra, dict) and extra.get(EENHEID):
        return str(extra[EENHEID])
    m = re.search(r"\[(EUR[^\]]*)\]", info.description or "")
    if m:
        return m.group(1)
    ann = _strip(info.annotation)
    if ann == RateSeries or (get_origin(ann) is dict and get_args(ann)[-1] == RateSeries):  # rates per year: percentages
        return "%"
    return _glossary_unit(name)


def _description_label(info: FieldInfo) -> str | None:
    """A field without a label: its description up to the unit or the first comma (``"Bedrag op prijspeil"``)."""
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


__all__ = ["FieldMeta", "describe_changes", "field_meta", "parse_path", "value_text"]
