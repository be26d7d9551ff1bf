"""Kostensoortenlijst: the cost types a kostenverhaal may include, shipped as data.

Two lists (``stelsel``), both in the order of the law:

- ``omgevingswet``: Omgevingsbesluit bijlage IV (art. 8.13/8.15 Ob) [1]_. ``A1``–``A14`` apply to kostenverhaal
  met of zonder tijdvak, ``B1``–``B4`` only to kostenverhaal met tijdvak (in addition to A).
- ``bro``: Besluit ruimtelijke ordening art. 6.2.3 a–d, 6.2.4 a–n and 6.2.5 a–i [2]_, for transitional (Wro)
  cases. Codes are written ``6.2.4b``.

The descriptions come from the Nota Kostenverhaal gemeente Soest 2023, bijlage A1.1 and A1.2 [3]_, and live in
``kostensoorten.yaml`` next to this module.

References
----------
.. [1] Omgevingsbesluit, bijlage IV (kostensoortenlijst), bij art. 8.13 en 8.15.
.. [2] Besluit ruimtelijke ordening, art. 6.2.3 t/m 6.2.5.
.. [3] Nota Kostenverhaal gemeente Soest 2023, bijlage A1.1 (Bro) en A1.2 (Omgevingsbesluit).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

from opengrex.errors import InputError, OpengrexError

__all__ = [
    "GROEPEN",
    "STELSELS",
    "TIJDVAKKEN",
    "Kostensoort",
    "get_kostensoort",
    "groep",
    "is_alleen_met_tijdvak",
    "kostensoorten",
    "normalise_code",
]

_DATA_FILE = "kostensoorten.yaml"

#: The two lists shipped, in this order.
STELSELS: tuple[str, ...] = ("omgevingswet", "bro")

#: Allowed ``tijdvak`` values for the Omgevingswet list (Bro entries have ``None``).
TIJDVAKKEN: tuple[str, ...] = ("met_of_zonder", "alleen_met")

_FIELDS = frozenset({"code", "omschrijving", "kort", "tijdvak", "bron"})


@dataclass(frozen=True)
class Kostensoort:
    """One kostensoort (cost type) from the kostensoortenlijst.

    The Dutch term is *kostensoort*: a category of costs the gemeente may recover, as listed in Omgevingsbesluit
    bijlage IV (``A1``–``A14``, ``B1``–``B4``) or, for transitional Wro cases, in Bro art. 6.2.3–6.2.5
    (``6.2.3a`` … ``6.2.5i``).

    Attributes
    ----------
    code
        Canonical code, e.g. ``"A1"``, ``"B3"`` or ``"6.2.4b"``.
    omschrijving
        Full Dutch description as in the law (text of the Nota Kostenverhaal Soest 2023, bijlage A1).
    kort
        Short Dutch label (at most 60 characters) for tables and forms.
    stelsel
        ``"omgevingswet"`` or ``"bro"``.
    tijdvak
        Omgevingswet only: ``"met_of_zonder"`` (A-codes) or ``"alleen_met"`` (B-codes, only in kostenverhaal met
        tijdvak). ``None`` for Bro codes.
    bron
        Where the entry comes from (article and section of the nota).
    """

    code: str
    omschrijving: str
    kort: str
    stelsel: str
    tijdvak: str | None
    bron: str

    @property
    def alleen_met_tijdvak(self) -> bool:
        """True for B-codes: allowed only in kostenverhaal met tijdvak."""
        return self.tijdvak == "alleen_met"


def _key(code: str) -> str:
    """Lookup key: case-folded, all whitespace removed."""
    return "".join(code.split()).upper()


def _data_error(message: str) -> OpengrexError:
    return OpengrexError(f"opengrex/codes/{_DATA_FILE}: {message}")


@lru_cache(maxsize=1)
def _load() -> tuple[Kostensoort, ...]:
    """Read and check ``kostensoorten.yaml`` once."""
    text = resources.files(__name__).joinpath(_DATA_FILE).read_text(encoding="utf-8")
    data: Any = yaml.safe_load(text)
    if not isinstance(data, dict) or not isinstance(data.get("lists"), dict):
        raise _data_error("top-level 'lists' mapping is missing")
    lists = data["lists"]
    if set(lists) != set(STELSELS):
        raise _data_error(f"'lists' must hold exactly {', '.join(STELSELS)}; found {', '.join(map(str, lists))}")
    result: list[Kostensoort] = []
    seen: set[str] = set()
    for stelsel in STELSELS:
        entries = lists[stelsel]
        if not isinstance(entries, list) or not entries:
            raise _data_error(f"list '{stelsel}' is empty or not a list")
        for i, entry in enumerate(entries):
            where = f"lists.{stelsel}[{i}]"
            if not isinstance(entry, dict) or set(entry) != _FIELDS:
                raise _data_error(f"{where}: fields must be exactly {', '.join(sorted(_FIELDS))}")
            for field in ("code", "omschrijving", "kort", "bron"):
                if not isinstance(entry[field], str) or not entry[field].strip():
                    raise _data_error(f"{where}: '{field}' must be non-empty text")
            code = entry["code"]
            if code != "".join(code.split()):
                raise _data_error(f"{where}: code {code!r} contains whitespace")
            if _key(code) in seen:
                raise _data_error(f"{where}: duplicate code {code!r}")
            seen.add(_key(code))
            tijdvak = entry["tijdvak"]
            if stelsel == "omgevingswet" and tijdvak not in TIJDVAKKEN:
                raise _data_error(f"{where}: tijdvak must be one of {', '.join(TIJDVAKKEN)}")
            if stelsel == "bro" and tijdvak is not None:
                raise _data_error(f"{where}: tijdvak must be null for Bro codes")
            if len(entry["kort"]) > 60:
                raise _data_error(f"{where}: 'kort' is longer than 60 characters")
            result.append(
                Kostensoort(
                    code=code,
                    omschrijving=entry["omschrijving"],
                    kort=entry["kort"],
                    stelsel=stelsel,
                    tijdvak=tijdvak,
                    bron=entry["bron"],
                )
            )
    return tuple(result)


@lru_cache(maxsize=1)
def _index() -> dict[str, Kostensoort]:
    return {_key(k.code): k for k in _load()}


#: Named groups of kostensoorten a rule treats alike (data: ``groepen`` in ``kostensoorten.yaml``).
GROEPEN: tuple[str, ...] = ("planschade",)


@cache
def groep(naam: str) -> frozenset[str]:
    """The canonical codes of kostensoort group ``naam`` (``"planschade"`` → ``{"A11", "6.2.4l"}``), from the
    ``groepen`` section of ``kostensoorten.yaml``; every code must be on the list."""
    if naam not in GROEPEN:
        raise InputError("onbekende groep kostensoorten", field="groep", value=naam, allowed=", ".join(GROEPEN))
    data: Any = yaml.safe_load(resources.files(__name__).joinpath(_DATA_FILE).read_text(encoding="utf-8"))
    entry = (data.get("groepen") or {}).get(naam)
    if not isinstance(entry, dict) or not isinstance(entry.get("codes"), list) or not entry.get("bron"):
        raise _data_error(f"groepen.{naam}: 'codes' (lijst) en 'bron' zijn verplicht")
    codes = []
    for c in entry["codes"]:
        found = _index().get(_key(str(c)))
        if found is None:
            raise _data_error(f"groepen.{naam}: onbekende code {c!r}")
        codes.append(found.code)
    return frozenset(codes)


@lru_cache(maxsize=1)
def _allowed_text() -> str:
    """Short summary of the valid codes, e.g. ``"A1–A14, B1–B4, 6.2.3a–6.2.3d, …"``."""
    groups: list[list[str]] = []
    prefix = None
    for k in _load():
        p = k.code.rstrip("0123456789") if k.stelsel == "omgevingswet" else k.code[:-1]
        if p != prefix:
            groups.append([])
            prefix = p
        groups[-1].append(k.code)
    return ", ".join(g[0] if len(g) == 1 else f"{g[0]}–{g[-1]}" for g in groups)


def kostensoorten(stelsel: str | None = None) -> list[Kostensoort]:
    """The kostensoortenlijst, in the order of the law.

    Parameters
    ----------
    stelsel
        ``"omgevingswet"`` (Ob bijlage IV: A1–A14, B1–B4), ``"bro"`` (Bro 6.2.3a–6.2.5i) or ``None`` for both
        (Omgevingswet first).

    Returns
    -------
    list of Kostensoort
        A new list on every call; the underlying data is loaded once and cached.

    Raises
    ------
    InputError
        For an unknown ``stelsel`` (field ``stelsel``).
    """
    alles = _load()
    if stelsel is None:
        return list(alles)
    gekozen = stelsel.strip().lower() if isinstance(stelsel, str) else stelsel
    if gekozen not in STELSELS:
        raise InputError(
            "onbekend stelsel voor de kostensoortenlijst",
            field="stelsel",
            value=stelsel,
            allowed=", ".join(STELSELS),
        )
    return [k for k in alles if k.stelsel == gekozen]


def get_kostensoort(code: str) -> Kostensoort:
    """The kostensoort with this code.

    Codes are matched case-insensitively and ignoring whitespace: ``"a 1"`` finds ``A1``, ``"6.2.4 B"`` finds
    ``6.2.4b``. The returned entry carries the canonical code.

    Raises
    ------
    InputError
        ``field="kostensoort"``, ``value=code`` and ``allowed`` a short summary of the valid codes, when the code
        is not on either list (or is not text).
    """
    gevonden = _index().get(_key(code)) if isinstance(code, str) else None
    if gevonden is None:
        raise InputError(
            "onbekende kostensoort (niet in Omgevingsbesluit bijlage IV of Bro art. 6.2.3–6.2.5)",
            field="kostensoort",
            value=code,
            allowed=_allowed_text(),
        )
    return gevonden


def normalise_code(code: str) -> str:
    """Canonical form of a kostensoort code (``" a 1 "`` → ``"A1"``, ``"6.2.4 B"`` → ``"6.2.4b"``).

    Raises :class:`~opengrex.errors.InputError` for a code that is on neither list.
    """
    return get_kostensoort(code).code


def is_alleen_met_tijdvak(code: str) -> bool:
    """True if the kostensoort may only be recovered in kostenverhaal met tijdvak (Ob bijlage IV onder B).

    False for A-codes and for Bro codes. Raises :class:`~opengrex.errors.InputError` for an unknown code.
    """
    return get_kostensoort(code).alleen_met_tijdvak


def natural_key(text: object) -> tuple[object, ...]:
    """Sort key that orders codes as people read them, numbers inside by value: A1, A2, …, A10, A11, B1 (not A1,
    A10, A11, A2). Use it wherever kostensoorten or other codes are listed."""
    import re

    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.lower()) for p in re.split(r"(\d+)", str(text)) if p)
