"""Dated interest-rate tables (``parameters/rente/<naam>.yaml``), e.g. the wettelijke rente of art. 6:119 BW used
for the interest on a refund at the eindafrekening (Nota Kostenverhaal Soest 2023, bijlage A4).

A table is chosen by name from the shipped folder only; each rate applies from its date until the next one.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from opengrex.errors import InputError
from opengrex.parameters.dated import DatedParameter, dated_path, load_dated, topic_dir

TOPIC = "rente"
RENTE_DIR = topic_dir(TOPIC)
"""The folder of the shipped rate tables."""


@dataclass(frozen=True)
class RenteTabel:
    """A dated interest-rate table: rate ``rente[i]`` applies from ``vanaf[i]`` until the next date."""

    naam: str
    parameter: DatedParameter

    @property
    def vanaf(self) -> tuple[dt.date, ...]:
        return self.parameter.dates

    @property
    def rente(self) -> tuple[float, ...]:
        return tuple(v.value for v in self.parameter.values.values())

    @property
    def bronnen(self) -> tuple[str, ...]:
        return tuple(v.bron.title for v in self.parameter.values.values())

    @property
    def onzeker(self) -> tuple[bool, ...]:
        """``True`` where the value is not (fully) verified against its source (``geverifieerd: false``)."""
        return tuple(not v.geverifieerd for v in self.parameter.values.values())

    def rate_on(self, day: dt.date) -> float:
        """The rate in force on ``day``; before the first date an :class:`InputError` on ``betaling.datum``."""
        return self.parameter.entry_on(day, naam=f"rentetabel '{self.naam}'", field="betaling.datum")[1].value

    @property
    def bestand(self) -> str:
        """Where the table lives, for explanations (``parameters/rente/wettelijke_rente.yaml``)."""
        return f"parameters/{TOPIC}/{self.naam}.yaml"


def load_rentetabel(naam: str = "wettelijke_rente") -> RenteTabel:
    """The rate table ``naam`` (values keyed by start date, each with its bron). Unknown name:
    :class:`InputError` on ``rente`` listing the tables (or a fixed rate)."""
    try:
        path = dated_path(TOPIC, naam, "rente")
    except InputError as exc:
        raise InputError("onbekende rentetabel", field="rente", value=exc.value, allowed=f"{exc.allowed}, of een vast percentage (bijv. 0.03)") from None
    return RenteTabel(path.stem, load_dated(path))
