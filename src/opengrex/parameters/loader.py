"""The strict reader of parameter files (bottom layer: imports nothing of opengrex but :mod:`opengrex.errors`).

Parameter files are shipped with the package or come from a configured folder (``OPENGREX_PARAMETERS_PATH``).
They are read here, not through :mod:`opengrex.io` (the parameters sit below every other layer):

* a key twice in one mapping, malformed YAML or an invalid date is an :class:`~opengrex.errors.InputError` naming
  the file and the line;
* the data is validated into a pydantic model; every validation error names the file, the line of the field and
  the field (``btw.bron``), with a Dutch message.

The OpenFisca convention (style.md §1, §4): one bad fixture per error in the tests.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from opengrex.errors import InputError, InputErrors

M = TypeVar("M", bound=BaseModel)

Lines = dict[tuple[Any, ...], int]
"""Line (1-based) of every key path in a file: ``("btw", "bron") -> 72``."""


class _ParameterLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping."""


def _mapping(loader: _ParameterLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    first: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in first:
            raise InputError(f"sleutel '{key}' komt twee keer voor (eerder op regel {first[key]})",
                             location=f"regel {line}", field=str(key), allowed="elke sleutel één keer")
        first[key] = line
    return loader.construct_mapping(node, deep=deep)


_ParameterLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def _key(part: Any) -> Any:
    """One step of a path as both the YAML walk and pydantic's error locations spell it (dates as ISO text)."""
    if isinstance(part, dt.date):
        return part.isoformat()
    if isinstance(part, str):
        m = re.fullmatch(r"datetime\.date\((\d+), (\d+), (\d+)\)", part)
        if m:
            return dt.date(*map(int, m.groups())).isoformat()
    return part


_MESSAGES = {
    "float_parsing": "geen getal", "float_type": "geen getal", "int_parsing": "geen geheel getal", "int_type": "geen geheel getal",
    "int_from_float": "geen geheel getal", "date_parsing": "geen geldige datum (JJJJ-MM-DD)", "date_type": "geen geldige datum (JJJJ-MM-DD)",
    "date_from_datetime_parsing": "geen geldige datum (JJJJ-MM-DD)", "string_type": "geen tekst", "bool_parsing": "geen ja/nee-waarde",
    "dict_type": "verwacht een mapping (sleutel: waarde)", "list_type": "verwacht een lijst", "model_type": "verwacht een mapping (sleutel: waarde)",
    "missing": "verplicht veld ontbreekt", "extra_forbidden": "onbekend veld", "finite_number": "geen eindig getal",
}
"""Dutch messages for pydantic's error types in parameter files."""


def _lines_of(node: yaml.Node | None, loader: _ParameterLoader) -> Lines:
    """Line of every key path below ``node`` (iterative walk; aliases are visited once)."""
    out: Lines = {}
    stack: list[tuple[yaml.Node, tuple[Any, ...]]] = [(node, ())] if node is not None else []
    seen: set[int] = set()
    while stack:
        current, path = stack.pop()
        out.setdefault(path, current.start_mark.line + 1)
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            for k, v in current.value:
                key = _key(loader.construct_object(k, deep=True)) if isinstance(k, yaml.ScalarNode) else None
                out[path + (key,)] = k.start_mark.line + 1
                stack.append((v, path + (key,)))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((v, path + (i,)) for i, v in enumerate(current.value))
    return out


def read_yaml(path: str | Path) -> tuple[Any, Lines]:
    """Parse a parameter file strictly: ``(data, lines)``; errors name the file and line."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("bestand niet gevonden", location=str(p), value=str(p)) from None
    except UnicodeDecodeError:
        raise InputError("bestand is geen UTF-8-tekst", location=str(p), allowed="UTF-8 YAML") from None
    loader = _ParameterLoader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
        lines = _lines_of(root, loader)
    except InputError as exc:
        raise InputError(exc.message, location=f"{p}, {exc.location}", field=exc.field, allowed=exc.allowed) from None
    except ValueError as exc:  # an impossible date (2023-13-01) in a YAML timestamp: the only ValueError of safe construction
        raise InputError(f"ongeldige datum: {exc}", location=str(p), allowed="datums als JJJJ-MM-DD") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{p}, regel {mark.line + 1}" if mark else str(p)
        raise InputError(f"ongeldige YAML: {getattr(exc, 'problem', None) or exc}", location=where, allowed="geldige YAML") from None
    finally:
        loader.dispose()
    return data, lines


def _where(source: str, lines: Lines, path: tuple[Any, ...]) -> str:
    while path:
        if path in lines:
            return f"{source}, regel {lines[path]}"
        path = path[:-1]
    return source


def validate(model: type[M], data: Any, source: str, lines: Lines | None = None) -> M:
    """``data`` validated into ``model``; every error names ``source`` (and the line when known) and the field."""
    if not isinstance(data, dict):
        raise InputError("het bestand moet een mapping (sleutel: waarde) zijn", location=source, value=type(data).__name__)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errs = []
        for e in exc.errors():
            path = tuple(_key(p) for p in e["loc"])
            message = _MESSAGES.get(e["type"]) or str(e["msg"]).removeprefix("Value error, ")
            value = e.get("input") if e["type"] != "missing" and not isinstance(e.get("input"), (dict, list)) else None
            field = ".".join(str(x) for x in path)
            errs.append(InputError(message, location=_where(source, lines or {}, path), field=field or None, value=value, path=path))
        raise InputErrors(errs) from None


NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
"""Names of parameter sets and rate tables: a letter or digit, then letters, digits, ``_`` or ``-`` (≤ 64)."""


def check_name(name: Any, field: str, available: list[str]) -> str:
    """``name`` when it is a safe set/table name; else an :class:`InputError` listing the ``available`` names
    (a path, ``..`` or an over-long name is refused before any file is looked at)."""
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
        shown = name if not isinstance(name, str) or len(name) <= 80 else name[:80] + "…"
        raise InputError("ongeldige naam: kies een naam uit de lijst", field=field, value=shown,
                         allowed=(", ".join(available) or "(geen)") + " (letters, cijfers, _ en -)")
    return name


_FILE_REFERENCES: ContextVar[bool] = ContextVar("opengrex_file_references", default=True)
"""Whether a document may name files on this machine (the bottom layer holds the flag: parameter sets given as a
folder path are file references too; :mod:`opengrex.io.documents` re-exports these helpers)."""


@contextmanager
def no_file_references() -> Iterator[None]:
    """Inside this block a document may not name files on this machine (the web app: a document sent over HTTP
    must not make the server read its own files)."""
    token = _FILE_REFERENCES.set(False)
    try:
        yield
    finally:
        _FILE_REFERENCES.reset(token)


def file_references_allowed() -> bool:
    return _FILE_REFERENCES.get()


@contextmanager
def shipped_files() -> Iterator[None]:
    """Inside this block documents may name files again: for the demo data shipped with opengrex (``examples/``),
    loaded by the server itself (the page's 'Demo laden'), never for a document that came in over HTTP."""
    token = _FILE_REFERENCES.set(True)
    try:
        yield
    finally:
        _FILE_REFERENCES.reset(token)


def load_model(model: type[M], path: str | Path) -> M:
    """Read and validate a parameter file in one step."""
    data, lines = read_yaml(path)
    return validate(model, data, str(path), lines)
