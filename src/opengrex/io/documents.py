"""Load YAML/JSON input documents strictly, remembering the line of every key for error messages.

Duplicate keys, malformed YAML/JSON and unknown fields are errors naming the file and line; pydantic errors and
domain errors (``InputError.path``) are mapped back to ``file, regel N``.

Hostile input is refused before anything is built from it (:class:`DocumentLimits`): documents larger than
10 MB, nested deeper than 64 levels, with more than 100 YAML aliases or more than 500 000 values once the aliases
are expanded, and text with NUL characters or lone surrogates. The YAML composer is iterative and counts what
every alias stands for, so an alias bomb costs what its text costs.
"""
from __future__ import annotations

import errno
import json
import os
import typing
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from opengrex.errors import InputError, InputErrors
from opengrex.model.base import dutch_keys, path_text, spelled_path
from opengrex.parameters.loader import file_references_allowed, no_file_references, shipped_files  # noqa: F401  (the flag lives in the bottom layer; re-exported)

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


# ---------------------------------------------------------------------------------------------- bounds
@dataclass(frozen=True)
class DocumentLimits:
    """What one input document may hold, checked while it is read and before anything is built from it.

    An alias bomb (a few hundred bytes whose aliases expand to billions of nodes), a document nested thousands of
    levels deep or one of hundreds of megabytes is refused with an :class:`InputError` naming the limit, within a
    fraction of a second and without building the expanded structure."""

    max_chars: int = 10 * 1024 * 1024
    """Characters of YAML/JSON text [-] (10 MB; uploads are bounded earlier by ``OPENGREX_MAX_UPLOAD``)."""
    max_depth: int = 64
    """Nesting of mappings and lists (a grex is 4 deep, a programme 8) [-]."""
    max_aliases: int = 100
    """YAML aliases (``*naam``) per document [-]."""
    max_nodes: int = 250_000
    """Values in the document with every alias expanded [-] (a 2000-line grex has about 30 000)."""


LIMITS = DocumentLimits()


def _limit_error(source: str, message: str, allowed: str, line: int | None = None) -> InputError:
    where = f"{source}, regel {line}" if line else source
    return InputError(message, location=where, field="bestand", allowed=allowed)


_EventParser: Any
try:  # LibYAML's event parser (C): fast, and it refuses > 1000 levels itself (yaml.cyaml imports it from here)
    from yaml._yaml import CParser as _EventParser
except ImportError:  # pragma: no cover - PyYAML without LibYAML
    _EventParser = None


class _PyEventParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    """PyYAML's pure-Python event parser (used when LibYAML is missing)."""

    def __init__(self, text: str) -> None:
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)

    def dispose(self) -> None:
        self.state = None


class _Builder(yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
    """Resolves tags and constructs Python data from composed nodes (no parser: the nodes come from
    :func:`compose_bounded`)."""

    def __init__(self) -> None:
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)


def _construct_mapping(loader: _Builder, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise InputError("een sleutel moet een tekst of getal zijn", location=f"regel {key_node.start_mark.line + 1}",
                             allowed="sleutel: waarde met een eenvoudige sleutel") from None
        if key in seen:
            raise InputError(
                f"sleutel '{key}' komt twee keer voor (eerder op regel {seen[key]})",
                location=f"regel {key_node.start_mark.line + 1}",
                field=str(key),
                allowed="elke sleutel één keer",
            )
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=deep)


# types-PyYAML binds add_constructor to its Loader classes; _Builder is a constructor without a parser of its own
_Builder.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)  # type: ignore[type-var]


def compose_bounded(text: str, source: str = "<invoer>", limits: DocumentLimits = LIMITS) -> yaml.Node | None:
    """Compose one YAML (or JSON) document into nodes, refusing it as soon as it exceeds ``limits``.

    Iterative (no recursion, whatever the nesting); every alias counts the size and depth of what it stands
    for, so an alias bomb is refused after reading its few hundred bytes. An alias to a node that is still open
    (a recursive structure) is refused too."""
    if len(text) > limits.max_chars:
        raise _limit_error(source, f"document te groot ({len(text)} tekens)", f"hoogstens {limits.max_chars} tekens")
    if _EventParser is not None:
        _prescan(text, source, limits)  # cheap first pass: a document over budget is refused before nodes are built
    resolver = _Builder()
    # LibYAML's and PyYAML's events (and marks) are different classes with the same attributes
    parser: Any = _EventParser(text) if _EventParser is not None else _PyEventParser(text)
    anchors: dict[str, yaml.Node] = {}
    size: dict[int, int] = {}  # id(node) -> nodes it holds when expanded (itself included)
    height: dict[int, int] = {}  # id(node) -> levels below it
    aliases = 0
    total = 0
    root: yaml.Node | None = None
    # stack entries: [node, pending key node (mappings), expanded size so far, height so far]
    stack: list[list[Any]] = []

    def attach(node: yaml.Node, n_size: int, n_height: int) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        top = stack[-1]
        top[2] += n_size
        top[3] = max(top[3], n_height + 1)
        parent = top[0]
        if isinstance(parent, yaml.SequenceNode):
            parent.value.append(node)
        elif top[1] is None:
            top[1] = node
        else:
            parent.value.append((top[1], node))
            top[1] = None

    def grow(n: int, line: int) -> None:
        nonlocal total
        total += n
        if total > limits.max_nodes:
            raise _limit_error(source, f"document te groot: meer dan {limits.max_nodes} waarden (aliassen meegeteld)",
                               f"hoogstens {limits.max_nodes} waarden", line)

    try:
        event = parser.get_event()  # StreamStart
        event = parser.get_event()
        if isinstance(event, yaml.StreamEndEvent):
            return None
        documents = 0
        while not isinstance(event, yaml.StreamEndEvent):
            start: Any = event.start_mark  # LibYAML's or PyYAML's Mark: same attributes, never None from a parser
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise yaml.composer.ComposerError("expected a single document in the stream", None,
                                                      "but found another document", start)
            elif isinstance(event, yaml.DocumentEndEvent):
                pass
            elif isinstance(event, yaml.AliasEvent):
                line = start.line + 1
                aliases += 1
                if aliases > limits.max_aliases:
                    raise _limit_error(source, f"te veel aliassen (*naam): meer dan {limits.max_aliases}",
                                       f"hoogstens {limits.max_aliases} aliassen per document", line)
                target = anchors.get(event.anchor) if event.anchor is not None else None
                if target is None:
                    raise yaml.composer.ComposerError(None, None, f"found undefined alias {event.anchor!r}", start)
                if id(target) not in size:
                    raise _limit_error(source, f"alias *{event.anchor} verwijst naar zichzelf of een omvattend deel",
                                       "aliassen naar een afgesloten deel van het document", line)
                grow(size[id(target)], line)
                if len(stack) + height[id(target)] > limits.max_depth:
                    raise _limit_error(source, f"document te diep genest (meer dan {limits.max_depth} niveaus, aliassen meegeteld)",
                                       f"hoogstens {limits.max_depth} niveaus", line)
                attach(target, size[id(target)], height[id(target)])
            elif isinstance(event, yaml.ScalarEvent):
                line = start.line + 1
                grow(1, line)
                tag = event.tag
                if tag is None or tag == "!":
                    tag = resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
                end: Any = event.end_mark
                node: yaml.Node = yaml.ScalarNode(tag, event.value, start, end, style=event.style)
                if event.anchor is not None:
                    if event.anchor in anchors:
                        raise yaml.composer.ComposerError(None, None, f"found duplicate anchor {event.anchor!r}", start)
                    anchors[event.anchor] = node
                size[id(node)], height[id(node)] = 1, 0
                attach(node, 1, 0)
            elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                line = start.line + 1
                grow(1, line)
                if len(stack) + 1 > limits.max_depth:
                    raise _limit_error(source, f"document te diep genest (meer dan {limits.max_depth} niveaus)",
                                       f"hoogstens {limits.max_depth} niveaus", line)
                seq = isinstance(event, yaml.SequenceStartEvent)
                kind = yaml.SequenceNode if seq else yaml.MappingNode
                tag = event.tag
                if tag is None or tag == "!":
                    tag = resolver.resolve(kind, None, event.implicit)
                node = kind(tag, [], start, None, flow_style=event.flow_style)
                if event.anchor is not None:
                    if event.anchor in anchors:
                        raise yaml.composer.ComposerError(None, None, f"found duplicate anchor {event.anchor!r}", start)
                    anchors[event.anchor] = node
                stack.append([node, None, 1, 0])
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                node, _, n_size, n_height = stack.pop()
                node.end_mark = event.end_mark
                size[id(node)], height[id(node)] = n_size, n_height
                attach(node, n_size, n_height)
            event = parser.get_event()
    finally:
        parser.dispose()
    return root


def _prescan(text: str, source: str, limits: DocumentLimits) -> None:
    """Count values, depth and aliases from LibYAML's events alone (no nodes, no tag resolution): about 1 µs per
    value, so a document over budget is refused in a fraction of the time composing it would take."""
    parser = _EventParser(text)
    scalar, alias = yaml.ScalarEvent, yaml.AliasEvent
    opens = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
    closes = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
    sizes: list[int] = [0]  # expanded size so far of each open collection (index 0: the document)
    anchored: dict[str, int] = {}
    open_anchor: list[str | None] = [None]
    aliases = total = 0
    try:
        while True:
            ev = parser.get_event()
            cls = type(ev)
            if cls is scalar:
                total += 1
                sizes[-1] += 1
                if ev.anchor is not None:
                    anchored[ev.anchor] = 1
            elif cls in opens:
                total += 1
                sizes.append(1)
                open_anchor.append(ev.anchor)
                if len(sizes) - 1 > limits.max_depth:
                    raise _limit_error(source, f"document te diep genest (meer dan {limits.max_depth} niveaus)",
                                       f"hoogstens {limits.max_depth} niveaus", ev.start_mark.line + 1)
            elif cls in closes:
                n = sizes.pop()
                sizes[-1] += n
                a = open_anchor.pop()
                if a is not None:
                    anchored[a] = n
            elif cls is alias:
                aliases += 1
                if aliases > limits.max_aliases:
                    raise _limit_error(source, f"te veel aliassen (*naam): meer dan {limits.max_aliases}",
                                       f"hoogstens {limits.max_aliases} aliassen per document", ev.start_mark.line + 1)
                n = anchored.get(ev.anchor, 0)  # unknown or still open: the composer says what is wrong
                total += n
                sizes[-1] += n
            elif cls is yaml.StreamEndEvent:
                return
            if total > limits.max_nodes:
                raise _limit_error(source, f"document te groot: meer dan {limits.max_nodes} waarden (aliassen meegeteld)",
                                   f"hoogstens {limits.max_nodes} waarden", ev.start_mark.line + 1)
    except yaml.YAMLError:
        return  # the composer reports syntax errors with their line
    finally:
        parser.dispose()


def _line_map(root: yaml.Node, out: dict[tuple, int], loader: _Builder) -> None:
    """The line of every path in the document. An alias is not walked again: its path maps to the line where
    the alias stands (its contents keep the anchor's lines), so the walk is as long as the text, not as the
    expanded document."""
    todo: list[tuple[yaml.Node, tuple]] = [(root, ())]
    walked: set[int] = set()
    while todo:
        node, path = todo.pop()
        out.setdefault(path, node.start_mark.line + 1)
        if id(node) in walked:
            continue
        walked.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                key = loader.construct_object(k, deep=True) if isinstance(k, yaml.ScalarNode) else None
                out[path + (key,)] = k.start_mark.line + 1
                todo.append((v, path + (key,)))
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                todo.append((v, path + (i,)))


def check_plain_data(data: Any, source: str = "<invoer>", limits: DocumentLimits = LIMITS) -> None:
    """Refuse plain data (parsed JSON, a form) that is nested too deep, too large, or holds text a database
    cannot store: a NUL character or a lone surrogate (``"\\ud800"``, not UTF-8). Iterative: any depth is safe."""
    todo: list[tuple[Any, int, tuple]] = [(data, 0, ())]
    count = 0
    while todo:
        value, depth, path = todo.pop()
        count += 1
        if count > limits.max_nodes:
            raise _limit_error(source, f"document te groot: meer dan {limits.max_nodes} waarden", f"hoogstens {limits.max_nodes} waarden")
        if isinstance(value, str):
            _check_text(value, source, path)
        elif isinstance(value, (dict, list, tuple)):
            if depth >= limits.max_depth:
                raise _limit_error(source, f"document te diep genest (meer dan {limits.max_depth} niveaus)", f"hoogstens {limits.max_depth} niveaus")
            if isinstance(value, dict):
                for k, v in value.items():
                    if isinstance(k, str):
                        _check_text(k, source, path + (k,))
                    todo.append((v, depth + 1, path + (k,)))
            else:
                todo.extend((v, depth + 1, path + (i,)) for i, v in enumerate(value))


def _check_text(text: str, source: str, path: tuple) -> None:
    if text.isascii():
        if "\x00" in text:
            raise InputError("tekst bevat een NUL-teken (\\0)", location=source, field=path_text(path) or "bestand",
                             allowed="tekst zonder NUL-tekens", path=path)
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError("tekst bevat een ongeldig Unicode-teken (losse surrogaat)", location=source, field=path_text(path) or "bestand",
                         value=text.encode("utf-8", "backslashreplace").decode("ascii")[:80], allowed="geldige Unicode-tekst (UTF-8)", path=path) from None
    if "\x00" in text:
        raise InputError("tekst bevat een NUL-teken (\\0)", location=source, field=path_text(path) or "bestand",
                         allowed="tekst zonder NUL-tekens", path=path)


def _load_yaml(text: str, source: str) -> tuple[Any, dict[tuple, int]]:
    """Data and line map of one YAML document, within :data:`LIMITS`."""
    root = compose_bounded(text, source)
    lines: dict[tuple, int] = {}
    if root is None:
        return None, lines
    builder = _Builder()
    data = builder.construct_document(root)
    _line_map(root, lines, builder)
    return data, lines


def _relocated(exc: InputError, source: str) -> InputError:
    if exc.location and exc.location.startswith(source):
        return exc
    where = f"{source}, {exc.location}" if exc.location else source
    return InputError(exc.message, location=where, field=exc.field, value=exc.value, allowed=exc.allowed, path=exc.path)


def parse_text(text: str, source: str = "<invoer>", fmt: str | None = None) -> tuple[Any, Locator]:
    """Parse YAML or JSON text into plain data and a :class:`Locator`, within :data:`LIMITS` (size, nesting,
    aliases); text with NUL characters or lone surrogates is refused."""
    fmt = fmt or ("json" if source.lower().endswith(".json") else "yaml")
    if len(text) > LIMITS.max_chars:
        raise _limit_error(source, f"document te groot ({len(text)} tekens)", f"hoogstens {LIMITS.max_chars} tekens")
    if fmt == "json":
        try:
            data = json.loads(text, object_pairs_hook=_json_pairs)
        except RecursionError:
            raise _limit_error(source, f"document te diep genest (meer dan {LIMITS.max_depth} niveaus)", f"hoogstens {LIMITS.max_depth} niveaus") from None
        except json.JSONDecodeError as exc:
            if exc.msg.startswith("sleutel"):  # duplicate key: the strict YAML reader knows its line and name
                try:
                    _load_yaml(text, source)
                except InputError as dup:
                    if dup.field != "bestand":
                        raise _relocated(dup, source) from None
                except yaml.YAMLError:
                    pass
            raise InputError(f"ongeldige JSON: {exc.msg}", location=f"{source}, regel {exc.lineno}", allowed="geldige JSON") from None
        check_plain_data(data, source)
        return data, Locator(source)
    try:
        data, lines = _load_yaml(text, source)
    except InputError as exc:
        raise _relocated(exc, source) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}, regel {mark.line + 1}, kolom {mark.column + 1}" if mark else source
        problem = getattr(exc, "problem", None) or str(exc)
        if "nesting depth" in str(problem):
            raise _limit_error(source, f"document te diep genest (meer dan {LIMITS.max_depth} niveaus)", f"hoogstens {LIMITS.max_depth} niveaus") from None
        raise InputError(f"ongeldige YAML: {problem}", location=where, allowed="geldige YAML") from None
    except RecursionError:  # pragma: no cover - the composer is iterative; kept as a last guard
        raise _limit_error(source, f"document te diep genest (meer dan {LIMITS.max_depth} niveaus)", f"hoogstens {LIMITS.max_depth} niveaus") from None
    check_plain_data(data, source)
    return data, Locator(source, lines)


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict:
    out: dict = {}
    for k, v in pairs:
        if k in out:
            raise json.JSONDecodeError(f"sleutel '{k}' komt twee keer voor", "", 0)
        out[k] = v
    return out


def check_file_reference(value: str, field: str) -> None:
    """Refuse a file named inside a document when documents come from the web (see :func:`no_file_references`)."""
    if not file_references_allowed():
        raise InputError("een document dat via de webapp binnenkomt mag niet naar een bestand op de server verwijzen",
                         field=field, value=Path(str(value)).name,
                         allowed="het document zelf opnemen (inline), of het bestand via de opdrachtregel gebruiken")


def check_readable(path: str | Path, allowed: str = "een bestaand bestand") -> Path:
    """The path when it is a readable file; else an :class:`InputError` that says what is wrong: not found, a
    folder, no permission to read, or a name the file system cannot take."""
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise InputError("bestand niet gevonden", location=str(p), field="bestand", value=str(p), allowed=allowed) from None
    except PermissionError:
        raise InputError("bestand kan niet worden gelezen: geen toegang", location=str(p), field="bestand", value=str(p),
                         allowed="een bestand met leesrechten") from None
    except OSError as exc:
        raise InputError(f"bestand kan niet worden gelezen ({_os_reason(exc)})", location=str(p), field="bestand", value=str(p), allowed=allowed) from None
    import stat as _stat

    if _stat.S_ISDIR(st.st_mode):
        raise InputError("dit is een map, geen bestand", location=str(p), field="bestand", value=str(p), allowed="een bestand (geen map)")
    if not _stat.S_ISREG(st.st_mode):
        raise InputError("dit is geen gewoon bestand", location=str(p), field="bestand", value=str(p), allowed="een gewoon bestand")
    if not os.access(p, os.R_OK):
        raise InputError("bestand kan niet worden gelezen: geen toegang", location=str(p), field="bestand", value=str(p),
                         allowed="een bestand met leesrechten")
    return p


def _os_reason(exc: OSError) -> str:
    return {
        errno.ENAMETOOLONG: "naam te lang",
        errno.EACCES: "geen toegang",
        errno.EPERM: "geen toegang",
        errno.ENOSPC: "schijf vol",
        errno.EROFS: "alleen-lezen bestandssysteem",
        errno.EISDIR: "dit is een map",
        errno.ENOTDIR: "een deel van het pad is geen map",
        errno.ELOOP: "te veel symbolische koppelingen",
    }.get(exc.errno or 0, exc.strerror or type(exc).__name__)


def read_document(path: str | Path) -> tuple[Any, Locator]:
    """Read a YAML (``.yaml``/``.yml``) or JSON (``.json``) file (at most :attr:`DocumentLimits.max_chars`)."""
    p = Path(path)
    if p.suffix.lower() not in {".yaml", ".yml", ".json"}:
        check_readable(p)
        raise InputError("onbekend bestandstype", location=str(p), value=p.suffix, allowed=".yaml, .yml, .json (of .xlsx via 'import')")
    check_readable(p)
    try:
        with p.open("rb") as fh:
            raw = fh.read(LIMITS.max_chars * 4 + 1)
    except PermissionError:
        raise InputError("bestand kan niet worden gelezen: geen toegang", location=str(p), field="bestand", allowed="een bestand met leesrechten") from None
    except OSError as exc:
        raise InputError(f"bestand kan niet worden gelezen ({_os_reason(exc)})", location=str(p), field="bestand") from None
    if len(raw) > LIMITS.max_chars * 4:
        raise _limit_error(str(p), "document te groot", f"hoogstens {LIMITS.max_chars} tekens")
    try:
        text = raw.decode("utf-8")
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
            path = spelled_path(model, data, path[:-1], followed=True) + path[-1:] if e["type"] == "extra_forbidden" else spelled_path(model, data, path)
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
    check_plain_data(data, locator.source)
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
