"""Load YAML/JSON input documents strictly, remembering the line of every key for error messages.

Duplicate keys, malformed YAML/JSON and unknown fields are errors naming the file and line; pydantic errors and
domain errors (``InputError.path``) are mapped back to ``file, regel N``.
"""
from __future__ import annotations

import json
import typing
from pathlib import Path
from typing import Any, Callable, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from opengrex.errors import InputError, InputErrors
from opengrex.model.base import dutch_keys, path_text, spelled_path

M = TypeVar("M", bound=BaseModel)


class Locator:
    """Maps a path in a document (``("kosten", 2, "phasing", 2027)``) to where it stands in the file.

    ``lines``: 1-based line numbers (YAML); ``places``: ready-made labels such as ``"blad Kosten, cel B7"``
    (Excel). A path without an entry falls back to its nearest parent that has one.
    """

    def __init__(self, source: str, lines: dict[tuple, int] | None = None, places: dict[tuple, str] | None = None) -> None:
        self.source = source
        self.lines = lines or {}
        self.places = places if places is not None else {}

    def where(self, path: tuple | None) -> str:
        p = tuple(path or ())
        while p:
            if p in self.places:
                return f"{self.source}, {self.places[p]}"
            if p in self.lines:
                return f"{self.source}, regel {self.lines[p]}"
            p = p[:-1]
        return self.source


class _StrictLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise InputError(
                f"sleutel '{key}' komt twee keer voor (eerder op regel {seen[key]})",
                location=f"regel {key_node.start_mark.line + 1}",
                field=str(key),
                allowed="elke sleutel één keer",
            )
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _line_map(node: yaml.Node, path: tuple, out: dict[tuple, int], loader: yaml.SafeLoader) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = loader.construct_object(k, deep=True) if isinstance(k, yaml.ScalarNode) else None
            out[path + (key,)] = k.start_mark.line + 1
            _line_map(v, path + (key,), out, loader)
            out[path + (key,)] = k.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            _line_map(v, path + (i,), out, loader)


def parse_text(text: str, source: str = "<invoer>", fmt: str | None = None) -> tuple[Any, Locator]:
    """Parse YAML or JSON text into plain data and a :class:`Locator`."""
    fmt = fmt or ("json" if source.lower().endswith(".json") else "yaml")
    if fmt == "json":
        try:
            data = json.loads(text, object_pairs_hook=_json_pairs)
        except json.JSONDecodeError as exc:
            if exc.msg.startswith("sleutel"):  # duplicate key: the strict YAML reader knows its line and name
                try:
                    yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - SafeLoader subclass
                except InputError as dup:
                    raise InputError(dup.message, location=f"{source}, {dup.location}", field=dup.field, allowed=dup.allowed) from None
                except yaml.YAMLError:
                    pass
            raise InputError(f"ongeldige JSON: {exc.msg}", location=f"{source}, regel {exc.lineno}", allowed="geldige JSON") from None
        return data, Locator(source)
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - SafeLoader subclass
        loader = _StrictLoader(text)
        try:
            root = loader.get_single_node()
            lines: dict[tuple, int] = {}
            if root is not None:
                _line_map(root, (), lines, loader)
        finally:
            loader.dispose()
    except InputError as exc:
        raise InputError(exc.message, location=f"{source}, {exc.location}", field=exc.field, allowed=exc.allowed) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}, regel {mark.line + 1}, kolom {mark.column + 1}" if mark else source
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"ongeldige YAML: {problem}", location=where, allowed="geldige YAML") from None
    return data, Locator(source, lines)


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict:
    out: dict = {}
    for k, v in pairs:
        if k in out:
            raise json.JSONDecodeError(f"sleutel '{k}' komt twee keer voor", "", 0)
        out[k] = v
    return out


def read_document(path: str | Path) -> tuple[Any, Locator]:
    """Read a YAML (``.yaml``/``.yml``) or JSON (``.json``) file."""
    p = Path(path)
    if not p.exists():
        raise InputError("bestand niet gevonden", location=str(p), value=str(p))
    if p.suffix.lower() not in {".yaml", ".yml", ".json"}:
        raise InputError("onbekend bestandstype", location=str(p), value=p.suffix, allowed=".yaml, .yml, .json (of .xlsx via 'import')")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError("bestand is geen UTF-8-tekst", location=str(p), allowed="UTF-8 YAML of JSON") from None
    return parse_text(text, str(p), "json" if p.suffix.lower() == ".json" else "yaml")


def _known_fields(model: type[BaseModel] | None, path: tuple) -> str | None:
    """The document keys allowed next to the unknown one at ``path`` (walks nested models, lists and optionals)."""
    for part in path[:-1]:
        if isinstance(part, int) or model is None:  # a list position: same model
            continue
        field = model.model_fields.get(part) or next((f for f in model.model_fields.values() if f.alias == part), None)
        args = (*typing.get_args(field.annotation), field.annotation) if field else ()
        model = next((a for a in args if isinstance(a, type) and issubclass(a, BaseModel)), None)
    return ", ".join(dutch_keys(model)) if model is not None else None


_DUTCH: dict[str, tuple[str, str]] = {
    "float_parsing": ("geen getal", "een getal, bijv. 1250000 of 0.035"),
    "float_type": ("geen getal", "een getal, bijv. 1250000 of 0.035"),
    "finite_number": ("geen eindig getal", "een eindig getal (geen .nan of .inf)"),
    "int_parsing": ("geen geheel getal", "een geheel getal, bijv. 2025"),
    "int_type": ("geen geheel getal", "een geheel getal, bijv. 2025"),
    "int_from_float": ("geen geheel getal", "een geheel getal, bijv. 2025"),
    "date_parsing": ("geen geldige datum", "een datum JJJJ-MM-DD, bijv. 2025-01-01"),
    "date_from_datetime_parsing": ("geen geldige datum", "een datum JJJJ-MM-DD, bijv. 2025-01-01"),
    "date_type": ("geen geldige datum", "een datum JJJJ-MM-DD, bijv. 2025-01-01"),
    "string_type": ("geen tekst", "tekst"),
    "string_too_short": ("mag niet leeg zijn", "niet-lege tekst"),
    "dict_type": ("verwacht een mapping (sleutel: waarde)", "bijv. {2025: 0.5, 2026: 0.5}"),
    "list_type": ("verwacht een lijst", "een lijst met posten (- ...)"),
    "model_type": ("verwacht een mapping (sleutel: waarde)", "velden van dit onderdeel"),
    "bool_parsing": ("geen ja/nee-waarde", "true of false"),
    "literal_error": ("ongeldige keuze", ""),  # allowed: filled from the error context
    "union_tag_invalid": ("onbekend type", ""),  # allowed: the expected tags
    "union_tag_not_found": ("type ontbreekt", ""),
    "greater_than_equal": ("waarde te klein", ""),
    "less_than_equal": ("waarde te groot", ""),
}
"""Dutch messages for pydantic's error types (the CLI, API and forms show these)."""


def _pydantic_errors(exc: ValidationError, locator: Locator, model: type[BaseModel] | None = None, data: Any = None) -> InputErrors:
    errs = []
    for e in exc.errors():
        path = tuple(p for p in e["loc"] if not (isinstance(p, str) and ("[" in p or p in {"function-after", "function-plain"})))
        if model is not None and path:  # the key as the document spells it (Dutch, or an old English one)
            path = spelled_path(model, data, path[:-1]) + path[-1:] if e["type"] == "extra_forbidden" else spelled_path(model, data, path)
        msg = e["msg"]
        allowed = None
        if e["type"] == "extra_forbidden":
            msg = "onbekend veld"
            allowed = _known_fields(model, path)
        elif e["type"] == "missing":
            msg = "verplicht veld ontbreekt"
        elif e["type"] in _DUTCH:
            msg, allowed = _DUTCH[e["type"]]
            if e["type"] == "literal_error":
                allowed = str(e.get("ctx", {}).get("expected", allowed)).replace(" or ", " of ")
            elif e["type"] == "union_tag_invalid":
                allowed = str(e.get("ctx", {}).get("expected_tags", "")).replace("'", "")
                path = path + (str(e.get("ctx", {}).get("discriminator", "type")).strip("'"),)
                value = e.get("ctx", {}).get("tag")
            elif e["type"] == "union_tag_not_found":
                path = path + (str(e.get("ctx", {}).get("discriminator", "type")).strip("'"),)
        if e["type"] != "union_tag_invalid":
            value = e.get("input") if e["type"] not in ("missing", "union_tag_not_found") else None
        if isinstance(value, (dict, list)):
            value = None
        errs.append(InputError(msg, location=locator.where(path), field=path_text(path), value=value, allowed=allowed, path=path))
    return InputErrors(errs)


def build_model(model: type[M], data: Any, locator: Locator, check: Callable[[M], list[InputError]] | None = None) -> M:
    """Validate ``data`` into ``model`` (types via pydantic, then domain ``check``); errors carry file and line."""
    if not isinstance(data, dict):
        raise InputError("het document moet een mapping (sleutel: waarde) zijn", location=locator.source, value=type(data).__name__)
    try:
        obj = model.model_validate(data)
    except ValidationError as exc:
        raise _pydantic_errors(exc, locator, model, data) from None
    errs = check(obj) if check else []
    if errs:
        for e in errs:
            if e.path:
                e.path = spelled_path(model, data, tuple(e.path))
                e.field = path_text(e.path)
            e.location = locator.where(e.path)
            e.args = (e._text(),)
        raise InputErrors(errs)
    return obj
