"""BBV parameters as dated YAML with their sources (disconteringsvoet, weerstandsvermogen table, renteomslag).

Each file has ``description``, ``metadata`` (unit, reference) and ``values`` keyed by the date a version comes into
force; :func:`in_force` returns the version that applies on a date (a balansdatum), with its bron and whether the
value was verified (``geverifieerd``). A version whose value could not be verified prints "bron niet geverifieerd" in
every report (services/bbv.py). Research behind the values: docstrings of :mod:`opengrex.engine.bbv`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from opengrex.errors import InputError

HERE = Path(__file__).resolve().parent
NAMES = ("disconteringsvoet", "weerstandsvermogen", "renteomslag")


@dataclass(frozen=True)
class Version:
    """One dated version of a BBV parameter: its data, the date it applies from, its source and verification."""

    naam: str
    geldig_vanaf: dt.date
    data: dict[str, Any]
    bron: str
    href: str | None
    geverifieerd: bool

    @property
    def value(self) -> Any:
        return self.data.get("value")

    def bron_tekst(self) -> str:
        text = f"{self.bron} (geldig vanaf {self.geldig_vanaf.isoformat()})"
        return text if self.geverifieerd else text + " — bron niet geverifieerd"


@lru_cache(maxsize=8)
def _versions(name: str) -> tuple[Version, ...]:
    if name not in NAMES:
        raise InputError("onbekende BBV-parameter", field="parameter", value=name, allowed=", ".join(NAMES))
    from opengrex.parameters.loader import read_yaml

    data, _ = read_yaml(HERE / f"{name}.yaml")
    out = []
    for key, v in sorted((data.get("values") or {}).items(), key=lambda kv: str(kv[0])):
        start = key if isinstance(key, dt.date) else dt.date.fromisoformat(str(key))
        bron = v.get("bron") or {}
        out.append(Version(name, start, dict(v), str(bron.get("title", "")), bron.get("href"), bool(v.get("geverifieerd", False))))
    if not out:
        raise InputError("BBV-parameter zonder waarden", location=str(HERE / f"{name}.yaml"), field="values")
    return tuple(out)


def in_force(name: str, peildatum: dt.date) -> Version:
    """The version of BBV parameter ``name`` that applies on ``peildatum`` (e.g. the balansdatum 31-12-N)."""
    versions = _versions(name)
    earlier = [v for v in versions if v.geldig_vanaf <= peildatum]
    if not earlier:
        raise InputError(
            f"BBV-parameter '{name}' heeft geen waarde op deze datum",
            field="peildatum",
            value=peildatum.isoformat(),
            allowed=f"op of na {versions[0].geldig_vanaf.isoformat()}",
        )
    return earlier[-1]
