"""The one document diff of opengrex: what changed between two plain-data documents (dicts, lists, scalars).

Used by the version compare (store documents, pages, REST API) and by the yearly actualisation. Lists of mappings
are *lines*: they are matched by their key (``name``, ``naam``, ``id``, ``code``, ``categorie``, else their position),
so an inserted line is one addition, not a cascade of changes, and a reordered list is one ``volgorde`` change.

Every change is a dict ``{pad, soort, oud, nieuw, regel}``:

- ``pad``: where, by position (``kosten[2].amount``) — or by line key with ``paths="label"``
  (``investeringen[Herinrichting centrumas].bruto``);
- ``soort``: ``gewijzigd`` | ``toegevoegd`` | ``verwijderd`` | ``volgorde``;
- ``oud`` / ``nieuw``: the values (``None`` for an addition / removal);
- ``regel``: ``"kosten: Bouwrijp maken"`` when the change is inside (or is) a line, else ``None``.

``expand=True`` reports an added or removed subtree as one change per leaf (what the actualisation lists), instead
of one change holding the whole subtree. Numbers compare by value (``4200000 == 4200000.0``) and dates equal their
ISO text, so a document and its JSON round trip have no differences.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Literal

LINE_KEYS = ("name", "naam", "id", "code", "categorie")
"""Keys that identify a line in a list of mappings, in order of preference."""

Change = dict[str, Any]


def diff(a: Any, b: Any, *, expand: bool = False, paths: Literal["index", "label"] = "index") -> list[Change]:
    """Changes from document ``a`` to document ``b`` (see the module docstring); ``[]`` exactly when they are equal."""
    out: list[Change] = []
    _diff(a, b, (), (), None, out, expand, paths == "label")
    return out


def line_key(item: Any, position: Any) -> Any:
    """The key a line is matched by: its first :data:`LINE_KEYS` value that is a string or number, else its position
    (``position=None`` tells a line without a key)."""
    if isinstance(item, dict):
        for k in LINE_KEYS:
            v = item.get(k)
            if isinstance(v, (str, int)) and not isinstance(v, bool):
                return v
    return position


def path_text(path: tuple) -> str:
    """``("kosten", 2, "amount")`` -> ``"kosten[2].amount"``; a line label ``("l", "[x]")`` -> ``"l[x]"``."""
    out = ""
    for p in path:
        if isinstance(p, int) and not isinstance(p, bool):
            out += f"[{p}]"
        elif isinstance(p, _Label):
            out += f"[{p.text}]"
        else:
            out += ("." if out else "") + str(p)
    return out


class _Label:
    """A path part shown as ``[text]`` (a line by its key)."""

    __slots__ = ("text",)

    def __init__(self, text: Any) -> None:
        self.text = str(text)


def _same(a: Any, b: Any) -> bool:
    return bool(_norm(a) == _norm(b))


def _norm(v: Any) -> Any:
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def _leaves(v: Any, path: tuple, shown: tuple) -> list[tuple[tuple, tuple, Any]]:
    if isinstance(v, dict) and v:
        return [x for k, w in v.items() for x in _leaves(w, path + (k,), shown + (k,))]
    if isinstance(v, list) and v:
        return [x for i, w in enumerate(v) for x in _leaves(w, path + (i,), shown + (_Label(line_key(w, i)),))]
    return [(path, shown, v)]


def _diff(a: Any, b: Any, path: tuple, shown: tuple, line: str | None, out: list[Change], expand: bool, labels: bool) -> None:
    def add(p: tuple, s: tuple, soort: str, old: Any, new: Any, ln: str | None) -> None:
        if expand and soort in ("toegevoegd", "verwijderd"):
            value = old if soort == "verwijderd" else new
            for lp, ls, v in _leaves(value, p, s):
                out.append({"pad": path_text(ls if labels else lp), "soort": soort, "oud": v if soort == "verwijderd" else None,
                            "nieuw": v if soort == "toegevoegd" else None, "regel": ln})
            return
        out.append({"pad": path_text(s if labels else p), "soort": soort, "oud": old, "nieuw": new, "regel": ln})

    if isinstance(a, dict) and isinstance(b, dict):
        for k in list(a) + [k for k in b if k not in a]:
            if k not in b:
                add(path + (k,), shown + (k,), "verwijderd", a[k], None, line)
            elif k not in a:
                add(path + (k,), shown + (k,), "toegevoegd", None, b[k], line)
            else:
                _diff(a[k], b[k], path + (k,), shown + (k,), line, out, expand, labels)
        return
    if isinstance(a, list) and isinstance(b, list) and (a or b) and all(isinstance(x, dict) for x in a + b):
        ka = [line_key(x, i) for i, x in enumerate(a)]
        kb = [line_key(x, i) for i, x in enumerate(b)]
        if len(set(ka)) == len(ka) and len(set(kb)) == len(kb):
            where = path_text(shown if labels else path)
            ib = {k: i for i, k in enumerate(kb)}
            for i, k in enumerate(ka):
                label = f"{where}: {k}"
                if k not in ib:
                    add(path + (i,), shown + (_Label(k),), "verwijderd", a[i], None, label)
                else:
                    _diff(a[i], b[ib[k]], path + (ib[k],), shown + (_Label(k),), label, out, expand, labels)
            ia = set(ka)
            for j, k in enumerate(kb):
                if k not in ia:
                    add(path + (j,), shown + (_Label(k),), "toegevoegd", None, b[j], f"{where}: {k}")
            common_a = [k for k in ka if k in ib]
            common_b = [k for k in kb if k in ia]
            if common_a != common_b:
                add(path, shown, "volgorde", common_a, common_b, None)
            return
    if isinstance(a, list) and isinstance(b, list) and expand:
        # plain lists (or lines without unique keys): by position
        for i in range(max(len(a), len(b))):
            s = shown + (_Label(line_key(a[i] if i < len(a) else b[i], i)),)
            if i >= len(b):
                add(path + (i,), s, "verwijderd", a[i], None, line)
            elif i >= len(a):
                add(path + (i,), s, "toegevoegd", None, b[i], line)
            else:
                _diff(a[i], b[i], path + (i,), s, line, out, expand, labels)
        return
    if not _same(a, b):
        add(path, shown, "gewijzigd", a, b, line)
