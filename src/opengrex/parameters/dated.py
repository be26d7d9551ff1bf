"""Single dated parameters in the OpenFisca layout: one YAML file per parameter, values keyed by the date from which
they apply, each value with its source.

```yaml
description: Wettelijke rente niet-handelstransacties (art. 6:119 BW)
metadata: {unit: /1 per jaar, reference: {title: ..., href: ...}}
values:
  2024-01-01: {value: 0.07, geverifieerd: true, bron: {title: "Stb. 2023, 484", href: ...}}
```

Used for the rate tables (``parameters/rente/<naam>.yaml``) and for the default terms of the eindafrekening
(``parameters/eindafrekening/<naam>.yaml``), which apply when a parameterset kostenverhaal does not give its own.
:meth:`DatedParameter.entry_on` returns the value in force on a date (dated versions, not ``if year >`` branches).
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from opengrex.errors import InputError
from opengrex.parameters.loader import check_name, load_model

ROOT = Path(__file__).resolve().parent
"""The folder of the shipped parameter files."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Verwijzing(_Frozen):
    """A dated reference: title (document, article, Staatsblad number) and link."""

    title: str
    href: str | None = None


class DatedValue(_Frozen):
    """One value of a dated parameter, with its source; ``geverifieerd: false`` marks a value not yet checked
    against its source (shown as a warning wherever it is used)."""

    value: float
    bron: Verwijzing
    geverifieerd: bool = True
    opmerking: str | None = None


class DatedParameter(_Frozen):
    """A parameter whose value changes over time; ``values`` keyed by the date each value applies from."""

    description: str
    metadata: dict[str, Any]
    values: dict[dt.date, DatedValue]

    @field_validator("values")
    @classmethod
    def _not_empty(cls, v: dict[dt.date, DatedValue]) -> dict[dt.date, DatedValue]:
        if not v:
            raise ValueError("geen waarden: geef minstens één datum met value en bron")
        return dict(sorted(v.items()))

    @property
    def dates(self) -> tuple[dt.date, ...]:
        return tuple(self.values)

    def entry_on(self, day: dt.date, *, naam: str, field: str) -> tuple[dt.date, DatedValue]:
        """The value in force on ``day`` and the date it applies from; before the first date an
        :class:`InputError` on ``field`` naming that date."""
        earlier = [d for d in self.values if d <= day]
        if not earlier:
            first = self.dates[0]
            raise InputError(f"{naam} begint pas op {first.isoformat()}", field=field, value=day.isoformat(),
                             allowed=f"op of na {first.isoformat()}")
        return earlier[-1], self.values[earlier[-1]]


def topic_dir(topic: str) -> Path:
    return ROOT / topic


def dated_path(topic: str, naam: str, field: str) -> Path:
    """The file of dated parameter ``naam`` in ``parameters/<topic>/``, chosen by name from the shipped folder;
    an unknown name is an :class:`InputError` listing the names available (never a path)."""
    folder = topic_dir(topic)
    available = sorted(p.stem for p in folder.glob("*.yaml"))
    check_name(naam, field, available)  # a name, never a path
    if naam not in available:
        raise InputError(f"onbekende parameter in {topic}", field=field, value=naam, allowed=", ".join(available))
    return folder / f"{naam}.yaml"


def load_dated(path: Path) -> DatedParameter:
    """Read and validate one dated parameter file (cached per file version)."""
    return _load(str(path), path.stat().st_mtime)


@lru_cache(maxsize=16)
def _load(path: str, mtime: float) -> DatedParameter:
    return load_model(DatedParameter, path)
