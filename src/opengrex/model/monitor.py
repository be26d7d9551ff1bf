"""Input models of the target monitor: the register of targets (doelen), the plan pipeline (plancapaciteit, as rows
of a CSV/xlsx file or as a stored document :class:`Plancapaciteit`), the area list (gebieden) and the regional
profile (seed 003).

Targets are versioned by ``versiedatum``: several entries may share an ``id``; the register on a peildatum takes
per id the latest version on or before it, and keeps the earlier ones as history.
"""
from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from opengrex.model.base import StrictModel, veld

NIVEAUS = ("land", "provincie", "novex", "regio", "gemeente")
HARDHEDEN = ("hard", "zacht", "nader_te_bepalen")
"""Hardness of plancapaciteit (hard: vastgesteld plan; zacht: in voorbereiding; nader te bepalen: idee/zoeklocatie)."""
SEGMENTEN = ("sociale_huur", "middenhuur", "betaalbare_koop", "vrije_sector")
"""Affordability segments of new homes; the first three are 'betaalbaar' (Programma Woningbouw)."""
BETAALBAAR = ("sociale_huur", "middenhuur", "betaalbare_koop")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DoelBron(_Strict):
    document: str
    paragraaf: str | None = None
    regel: int | None = None
    pagina: int | str | None = None
    citaat: str | None = None

    def text(self) -> str:
        out = self.document + (f", {self.paragraaf}" if self.paragraaf else "")
        if self.regel is not None:
            out += f", regel {self.regel}"
        return out


class Misdruk(_Strict):
    """A figure the source prints wrongly: the text as printed, where, and why the register's value is right."""

    tekst: str
    regel: int | None = None
    toelichting: str


class Doel(_Strict):
    """One version of one target."""

    id: str = veld(label="Id", pattern=r"^[a-z0-9][a-z0-9_-]*$")
    programma: str = veld(label="Programma")
    indicator: str = veld(label="Indicator", help="woningen, woningen_per_jaar, aandeel_betaalbaar, aandeel_sociale_huur, …")
    omschrijving: str = veld(label="Omschrijving")
    waarde: float = veld(label="Waarde", help="Een getal of een breuk als tekst ('2/3')")
    eenheid: str = veld(label="Eenheid")
    startjaar: int | None = veld(None, label="Startjaar", ge=1900, le=2200)
    doeljaar: int = veld(label="Doeljaar", ge=1900, le=2200)
    gebied: str = veld(label="Gebied")
    niveau: Literal["land", "provincie", "novex", "regio", "gemeente"] = veld(label="Niveau")
    onderdeel_van: str | None = veld(None, label="Onderdeel van", help="Het gebied waarvan dit gebied een deel is (voor de controle op de som)")
    richting: Literal["minimum", "maximum", "doel"] = veld("doel", label="Richting")
    versiedatum: dt.date = veld(label="Versiedatum")
    bron: DoelBron = veld(label="Bron")
    misdruk: Misdruk | None = veld(None, label="Drukfout in de bron")
    toelichting: str | None = veld(None, label="Toelichting")
    illustratief: bool = veld(False, label="Illustratief", help="Geen vastgesteld doel: voorbeeld of eigen aanname")

    @field_validator("waarde", mode="before")
    @classmethod
    def _fraction(cls, v):
        if isinstance(v, str):
            try:
                return float(Fraction(v.strip().replace(",", ".")))
            except (ValueError, ZeroDivisionError):
                raise ValueError(f"geen getal of breuk: {v!r}") from None
        return v

    def sleutel(self) -> tuple:
        return (self.id,)


class DoelenRegister(_Strict):
    doelen: tuple[Doel, ...] = Field(min_length=1)


class Gebieden(_Strict):
    """Areas the monitor knows: provinces, municipalities per province and regions (groups of municipalities)."""

    land: str = "Nederland"
    provincies: tuple[str, ...] = ()
    gemeenten: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    regios: dict[str, Regio] = Field(default_factory=dict)


class Regio(_Strict):
    provincie: str | None = None
    gemeenten: tuple[str, ...]
    bron: str | None = None


class PlanRij(_Strict):
    """One row of the plan pipeline (plancapaciteit)."""

    gemeente: str = veld(label="Gemeente")
    plan: str = veld(label="Plan")
    woningen: int = veld(label="Woningen", eenheid="woningen", ge=0)
    hardheid: Literal["hard", "zacht", "nader_te_bepalen"] = veld(label="Hardheid", help="hard, zacht of nader_te_bepalen")
    jaar_gereed: int = veld(label="Verwacht jaar gereed", eenheid="jaar", ge=2000, le=2100)
    segment: Literal["sociale_huur", "middenhuur", "betaalbare_koop", "vrije_sector"] = veld(label="Segment")


class Plancapaciteit(StrictModel):
    """The plan pipeline of an area as a document (kind ``plancapaciteit``): the plans with their homes, hardness,
    expected completion year and segment, measured against the housing target of ``gebied`` in the register as it
    stood on ``peildatum``. The same rows as the CSV/xlsx of ``opengrex monitor voortgang``; edited in the browser,
    stored with versions."""

    naam: str = veld(label="Naam", min_length=1, max_length=300)
    gebied: str = veld("Nederland", label="Gebied", min_length=1, max_length=200,
                       help="Land, provincie, regio of gemeente waarvan het doel geldt (voorvoegsel provincie:, regio: of gemeente: bij dubbele namen, "
                            "bijv. gemeente:Utrecht); alleen plannen in dat gebied tellen mee")
    peildatum: dt.date | None = veld(None, label="Peildatum", help="De doelen zoals ze op deze datum golden; leeg: de nieuwste versie")
    toelichting: str | None = veld(None, label="Toelichting", max_length=5000)
    plannen: list[PlanRij] = veld(label="Plannen", default_factory=list, max_length=20_000,
                                  help="Eén rij per plan en segment: gemeente, plan, woningen, hardheid, verwacht jaar gereed, segment")


class Indicator(_Strict):
    code: str
    naam: str
    thema: str
    eenheid: str
    polariteit: Literal["lager_is_beter", "hoger_is_beter"]
    regel: int
    waarden: dict[str, float | None]
    provincie: float


class Kerncijfer(_Strict):
    waarde: float
    eenheid: str
    tekst: str
    regel: int
    kwalificatie: str | None = None


class RegioProfiel(_Strict):
    naam: str
    provincie: str
    gemeenten: tuple[str, ...]
    kerncijfers: dict[str, Kerncijfer]
    bron: dict[str, str | None]
    indicatoren: tuple[Indicator, ...]


Gebieden.model_rebuild()
