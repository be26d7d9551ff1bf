"""Rewrite an old document (YAML or JSON) to the Dutch document keys (``opengrex document migreer``).

The key renames come from the models' metadata (:func:`opengrex.model.base.migrate_keys`: every field whose Dutch
key differs from its old English name, at every depth). YAML goes through ruamel.yaml's round-trip mode, so
comments, key order, flow style (``{naam: …, bedrag: …}``) and quoting stay as they were; only the keys change.
JSON keeps its key order (comments do not exist there).
"""
from __future__ import annotations

import importlib
import io
import json
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from opengrex.errors import InputError
from opengrex.model.base import migrate_keys

KINDS: dict[str, tuple[str, str]] = {
    "grex": ("opengrex.model.grex", "Grex"),
    "programma": ("opengrex.model.programma", "Programme"),
    "kostenverhaal": ("opengrex.model.kostenverhaal", "Case"),
    "bijdrage": ("opengrex.model.bijdrage", "BijdrageInvoer"),
    "eindafrekening": ("opengrex.model.eindafrekening", "EindafrekeningInvoer"),
}
"""Document kinds and their model classes (module, class)."""


@dataclass
class Migration:
    """The rewritten text, the kind it was read as and every renamed key ``(path, old, new)``."""

    text: str
    kind: str
    renamed: list[tuple[tuple, str, str]]


def model_of(kind: str) -> type[BaseModel]:
    module, name = KINDS[kind]
    model: type[BaseModel] = getattr(importlib.import_module(module), name)
    return model


def detect_kind(data: Any) -> str:
    """The kind whose model accepts every top-level key of ``data`` (old or new spelling) and shares the most keys
    with it; an :class:`InputError` when no kind or more than one fits."""
    if not isinstance(data, dict):
        raise InputError("het document moet een mapping (sleutel: waarde) zijn", value=type(data).__name__)
    keys = set(map(str, data))
    scores = {}
    for kind in KINDS:
        model = model_of(kind)
        known = {n for n in model.model_fields} | {f.alias for f in model.model_fields.values() if f.alias}
        if keys <= known:
            scores[kind] = len(keys & known)
    best = sorted(scores, key=lambda k: -scores[k])
    if not best or (len(best) > 1 and scores[best[0]] == scores[best[1]]):
        raise InputError("soort document niet te herkennen", field="--soort", value=", ".join(sorted(keys)), allowed=", ".join(KINDS))
    return best[0]


def _rename_commented(mapping: MutableMapping[Any, Any], old: Any, new: Any) -> None:
    """Rename a key of a ruamel.yaml map in place: same position, same value, its comments moved along."""
    pos = list(mapping.keys()).index(old)
    value = mapping[old]
    ca = getattr(mapping, "ca", None)
    comment = ca.items.pop(old, None) if ca is not None else None
    del mapping[old]
    mapping.insert(pos, new, value)  # type: ignore[attr-defined]
    if comment is not None and ca is not None:
        ca.items[new] = comment


def _yaml() -> Any:
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096  # never re-wrap a long flow-style line
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def migrate_text(text: str, source: str = "<invoer>.yaml", kind: str | None = None) -> Migration:
    """Rewrite a YAML or JSON document (``source`` decides: ``.json`` is JSON) to the Dutch keys."""
    if kind is not None and kind not in KINDS:
        raise InputError("onbekende soort document", field="--soort", value=kind, allowed=", ".join(KINDS))
    if source.lower().endswith(".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"ongeldige JSON: {exc.msg}", location=f"{source}, regel {exc.lineno}") from None
        kind = kind or detect_kind(data)
        renamed = migrate_keys(model_of(kind), data)
        return Migration(json.dumps(data, indent=2, ensure_ascii=False) + "\n", kind, renamed)
    from ruamel.yaml.error import YAMLError

    y = _yaml()
    try:
        data = y.load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}, regel {mark.line + 1}" if mark else source
        raise InputError(f"ongeldige YAML: {getattr(exc, 'problem', None) or exc}", location=where) from None
    kind = kind or detect_kind(dict(data) if isinstance(data, MutableMapping) else data)
    renamed = migrate_keys(model_of(kind), data, _rename_commented)
    out = io.StringIO()
    y.dump(data, out)
    return Migration(out.getvalue(), kind, renamed)
