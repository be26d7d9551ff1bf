"""The gebiedsbegroting input model (spec: shared/spec/programma.md, "Gebiedsbegroting and gebiedsfonds"; seed 001
pijler 5).

A gebied file (YAML/JSON; see ``examples/gebied/``) holds::

    naam, prijspeil, startjaar, eindjaar, timing, disconteringsvoet, ncw_datum, indices,
    partijen[]            id, naam, soort (publiek/privaat), rol, marge (vertrouwelijk)
    posten[]              costs and revenues of a party: investering (soort), vereveningscategorie, bedrag, fasering
    transacties[]         grond- en vastgoedtransacties (afname vastgoed): koper, verkoper, prijs (vertrouwelijk)
    grond[]               land ownership per grondgebruik (m²) and the year(s) of inbreng
    programma[]           m² per functie per party, phased over the years of realisation
    prijzen               realised (expected) price per m² per functie per year, for meebewegende afspraken
    risicos[]             which party carries which risk (aandelen summing to 100%)
    programmaprojecten[]  projects of a programme (Mastergrex) whose flows join the one wallet
    kostenverhaal[]       kostenverhaal cases whose exploitatiebijdrage flows to a party or the fund
    fonds                 the gebiedsfonds: rente, opening, lidmaatschap (structural), uitgaven
    spelregelsets[]       named, ordered lists of game rules; ``regelset`` names the active one

Every user-facing field is declared with :func:`~opengrex.model.base.veld` (Dutch label, unit, help text,
``vertrouwelijk``): the Woo redaction, the form engine and the Excel layout derive from it. Confidential fields:
transaction prices, a party's own margin and the notes (toelichting) of posten and transactions.

Linked documents are referenced with :class:`Verwijzing`: by file now (``bestand``, relative to the gebied file),
by stored document id once the registry resolves it (``document`` + ``versie``), or inline.

The game rules' parameters are declared once, in :mod:`opengrex.engine.spelregels`; this module derives a pydantic
model per rule type from those declarations (:data:`REGEL_MODELLEN`) and compiles each parameter kind to its array.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

import numpy as np
from pydantic import Field, PrivateAttr, create_model, model_validator

from opengrex.engine import spelregels as sr
from opengrex.engine.gebied import EXTERN, INVESTERINGEN, GebiedArrays
from opengrex.errors import InputError, InputErrors
from opengrex.model.base import Embeds, RateSeries, StrictModel, check_rates, error, rate_on_years, veld
from opengrex.model.kostenverhaal import Case
from opengrex.model.programma import Programme

ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
"""A party id: a short key (it stands in formulas of the workbook as a lookup key)."""
SLEUTEL_VERBODEN = ("*", "?", "~")
SLEUTEL_BEGIN = ("=", "+", "-", "@", "<", ">")
"""A function, land use or category name may not contain spreadsheet wildcards nor start like a formula or a
comparison: it is a lookup key in the workbook (MATCH, SUMIFS)."""
TOLERANTIE = 1e-9
"""Shares (fasering, verdeelsleutels, risk carriers) must sum to 1 within this tolerance (100%)."""
FONDS = sr.FONDS
ROLLEN = ("gemeente", "provincie", "rijk", "waterschap", "ontwikkelaar", "belegger", "corporatie", "grondeigenaar", "gebiedsorganisatie", "maatschappelijk", "overig")
INVESTERINGSSOORTEN = INVESTERINGEN[:3]
"""Investment types a post or linked project may have (afname vastgoed is a transaction)."""
Investering = Literal["risicodragend", "in_natura", "publiek_infra"]
Fasering = dict[int, float]


# --------------------------------------------------------------------------------------------- references
class Verwijzing(StrictModel):
    """A linked document: a file (path relative to the gebied file), a stored document (id and optional version,
    resolved by the document registry), or the document itself inline. Exactly one of the three. The subclasses
    name the kind of the inline document (:class:`~opengrex.model.base.Embeds`), so its own confidential fields are
    found by the redaction walker (:mod:`opengrex.model.redact`)."""

    bestand: str | None = veld(None, label="Bestand", help="Pad naar een YAML/JSON-bestand, relatief aan het gebiedsbestand")
    document: int | None = veld(None, label="Document-id", help="Id van een opgeslagen document (documentregister)", ge=1)
    versie: int | None = veld(None, label="Versie", help="Versie van het opgeslagen document; leeg: de huidige", ge=1)
    inline: dict[str, Any] | None = veld(None, label="Inline document", help="Het document zelf (zoals bij een upload)")

    @model_validator(mode="after")
    def _one(self) -> Verwijzing:
        given = [k for k in ("bestand", "document", "inline") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("geef precies één van: bestand, document, inline")
        if self.versie is not None and self.document is None:
            raise ValueError("'versie' hoort bij 'document'")
        return self

    def tekst(self) -> str:
        if self.bestand is not None:
            return f"bestand {self.bestand}"
        if self.document is not None:
            return f"document {self.document}" + (f" versie {self.versie}" if self.versie else "")
        return "inline document"


class ProgrammaVerwijzing(Verwijzing):
    """A linked programme (Mastergrex)."""

    inline: Annotated[dict[str, Any] | None, Embeds(Programme)] = veld(None, label="Inline programma", help="Het programma zelf (zoals bij een upload)")


class KostenverhaalVerwijzing(Verwijzing):
    """A linked kostenverhaal case."""

    inline: Annotated[dict[str, Any] | None, Embeds(Case)] = veld(None, label="Inline kostenverhaalgeval", help="Het geval zelf (zoals bij een upload)")


# --------------------------------------------------------------------------------------------- the parts
class Partij(StrictModel):
    """A party of the area (public or private) with its role; its own margin is confidential."""

    id: str = veld(label="Id", help="Korte sleutel waarmee posten en regels naar de partij verwijzen", min_length=1)
    naam: str = veld(label="Naam", min_length=1)
    soort: Literal["publiek", "privaat"] = veld(label="Publiek of privaat")
    rol: str = veld("overig", label="Rol", help="gemeente, provincie, ontwikkelaar, corporatie, …")
    marge: float | None = veld(None, label="Eigen marge", eenheid="%", help="Winst en risico op de eigen opbrengsten (vertrouwelijk)", vertrouwelijk=True)


class Post(StrictModel):
    """A cost or revenue line of one party, at prijspeil, indexed and phased like a grex line."""

    naam: str = veld(label="Naam", min_length=1)
    partij: str = veld(label="Partij")
    soort: Literal["kosten", "opbrengsten"] = veld(label="Kosten of opbrengsten")
    investering: Investering = veld("risicodragend", label="Soort investering", help="Bij kosten: risicodragend, in natura of publiek geld voor infrastructuur")
    categorie: str | None = veld(None, label="Vereveningscategorie", help="Bv. school of park: kosten die een regel 'verevening' kan verdelen")
    bedrag: float = veld(label="Bedrag", eenheid="EUR prijspeil")
    index: str = veld("geen", label="Indexreeks")
    fasering: Fasering = veld(label="Fasering", help="Aandelen per jaar (som 1) of bedragen per jaar (som = bedrag)")
    toelichting: str = veld("", label="Toelichting", vertrouwelijk=True)


class Transactie(StrictModel):
    """A grond- or vastgoedtransactie (afname vastgoed): the buyer pays the (confidential) price to the seller."""

    naam: str = veld(label="Naam", min_length=1)
    soort: Literal["afname_vastgoed", "grond"] = veld("afname_vastgoed", label="Soort transactie")
    koper: str = veld(label="Koper")
    verkoper: str | None = veld(None, label="Verkoper", help="Leeg: een verkoper buiten het gebied")
    prijs: float | None = veld(None, label="Transactieprijs", eenheid="EUR prijspeil", help="Vertrouwelijk (Woo); leeg telt als € 0", vertrouwelijk=True)
    index: str = veld("geen", label="Indexreeks")
    fasering: Fasering = veld(label="Fasering", help="Aandelen per jaar met som 1")
    toelichting: str = veld("", label="Toelichting", vertrouwelijk=True)


class Grond(StrictModel):
    """Land a party owns, by current land use, and when it is brought in (inbreng)."""

    partij: str = veld(label="Eigenaar")
    grondgebruik: str = veld(label="Grondgebruik", help="Huidig gebruik, bv. bedrijventerrein, agrarisch, spoorterrein", min_length=1)
    m2: float = veld(label="Oppervlakte", eenheid="m²")
    inbreng: Fasering = veld(label="Inbreng", help="Aandeel van de oppervlakte dat per jaar wordt ingebracht (som 1)")


class Programmaregel(StrictModel):
    """Programme a party realises: m² bvo of one function, phased over the years of realisation."""

    partij: str = veld(label="Partij")
    functie: str = veld(label="Functie", help="Bv. wonen, sociale_huur, kantoor, voorzieningen", min_length=1)
    m2: float = veld(label="Oppervlakte", eenheid="m² bvo")
    fasering: Fasering = veld(label="Fasering", help="Aandeel per jaar (som 1)")


class Risico(StrictModel):
    """A risk of the area, its estimated amount and probability, and which parties carry it (shares summing to 100%)."""

    naam: str = veld(label="Risico", min_length=1)
    bedrag: float = veld(0.0, label="Omvang", eenheid="EUR")
    kans: float = veld(1.0, label="Kans", eenheid="%")
    dragers: dict[str, float] = veld(label="Dragers", help="Aandeel per partij (som 100%)")


class Programmaproject(StrictModel):
    """A project of a programme (Mastergrex) whose nominal costs and revenues join the party's wallet."""

    bron: ProgrammaVerwijzing = veld(label="Programma")
    project: str = veld(label="Project", min_length=1)
    partij: str | None = veld(None, label="Partij", help="Leeg: de trekker van het project, als die een partij (id of naam) is")
    investering: Investering = veld("risicodragend", label="Soort investering")


class KostenverhaalKoppeling(StrictModel):
    """A kostenverhaal case: its exploitatiebijdrage, paid by the initiatiefnemer to a party or the fund (incidental)."""

    bron: KostenverhaalVerwijzing = veld(label="Kostenverhaalgeval")
    betaler: str = veld(label="Betaler", help="De initiatiefnemer (partij-id)")
    ontvanger: str = veld(FONDS, label="Ontvanger", help="Partij-id of 'fonds'")
    fasering: Fasering = veld(label="Fasering", help="Aandeel per jaar (som 1)")
    index: str = veld("geen", label="Indexreeks")


class Lidmaatschap(StrictModel):
    """A structural contribution (membership) to the fund: an amount per year from ``van`` to ``tot``."""

    partij: str = veld(label="Partij")
    bedrag: float = veld(label="Bedrag per jaar", eenheid="EUR prijspeil")
    van: int = veld(label="Eerste jaar")
    tot: int = veld(label="Laatste jaar")
    index: str = veld("geen", label="Indexreeks")


class Uitgave(StrictModel):
    """Spending by the area organisation from the fund."""

    naam: str = veld(label="Naam", min_length=1)
    bedrag: float = veld(label="Bedrag", eenheid="EUR prijspeil")
    index: str = veld("geen", label="Indexreeks")
    fasering: Fasering = veld(label="Fasering", help="Aandelen per jaar (som 1) of bedragen per jaar (som = bedrag)")


class Fonds(StrictModel):
    """The gebiedsfonds: structural and incidental inflows, spending by the area organisation, balance with rente."""

    naam: str = veld("Gebiedsfonds", label="Naam", min_length=1)
    rente: RateSeries = veld(0.0, label="Rente", eenheid="%", help="Rekening-courantrente over het saldo, per jaar mogelijk")
    opening: float = veld(0.0, label="Beginsaldo", eenheid="EUR")
    lidmaatschap: list[Lidmaatschap] = veld(default_factory=list, label="Lidmaatschap (structurele bijdragen)")
    uitgaven: list[Uitgave] = veld(default_factory=list, label="Uitgaven gebiedsorganisatie")


class Verdeling(StrictModel):
    """A distribution key: pro rata land or programme, or explicit shares per party/fund summing to 100%."""

    naar_rato: Literal["grond", "programma"] | None = veld(None, label="Naar rato van")
    aandelen: dict[str, float] | None = veld(None, label="Aandelen", help="Per partij-id (of 'fonds'), som 100%")

    @model_validator(mode="after")
    def _one(self) -> Verdeling:
        if (self.naar_rato is None) == (self.aandelen is None):
            raise ValueError("geef óf naar_rato óf aandelen")
        return self


# --------------------------------------------------------------------------------------------- game rules
_ANNOTATIE: dict[str, Any] = {
    sr.PER_FUNCTIE: dict[str, float],
    sr.PER_GRONDGEBRUIK: dict[str, float],
    sr.FRACTIE: float,
    sr.REKENING: str,
    sr.VERDELING: str | Verdeling,
    sr.BETALERS: list[str] | None,
    sr.CATEGORIEEN: list[str],
    sr.REGELS: list[str],
    sr.INDEX: str,
}


class RegelBasis(StrictModel):
    """What every game rule has: a name (unique within its set) and an optional description."""

    naam: str = veld(label="Naam", min_length=1)
    omschrijving: str = veld("", label="Omschrijving")


def _regel_model(rt: sr.RegelType) -> type[RegelBasis]:
    """A pydantic model for one rule type, derived from its declared parameters (declare once, derive the rest)."""
    fields: dict[str, Any] = {"type": (Literal[rt.code], veld(label="Soort regel", help=rt.label))}
    for p in rt.parameters:
        ann = Literal[p.keuzes] if p.soort == sr.KEUZE else _ANNOTATIE[p.soort]
        kw: dict[str, Any] = {"label": p.label, "eenheid": p.eenheid, "help": p.help}
        if p.verplicht:
            fields[p.naam] = (ann, veld(**kw))
        elif isinstance(p.standaard, (dict, list)):
            std = p.standaard
            fields[p.naam] = (ann, veld(default_factory=lambda std=std: type(std)(std), validate_default=True, **kw))
        else:
            fields[p.naam] = (ann, veld(p.standaard, validate_default=True, **kw))
    return create_model(f"Regel_{rt.code}", __base__=RegelBasis, __doc__=f"Spelregel '{rt.code}': {rt.label}.", **fields)


REGEL_MODELLEN: dict[str, type[RegelBasis]] = {code: _regel_model(rt) for code, rt in sr.REGELTYPEN.items()}
"""One pydantic model per registered rule type (derived from :data:`opengrex.engine.spelregels.REGELTYPEN`)."""
if TYPE_CHECKING:
    Regel = Any  # the union of models created at import time from REGELTYPEN: their fields are known at run time only
else:
    Regel = Annotated[Union[tuple(REGEL_MODELLEN.values())], Field(discriminator="type")]  # noqa: UP007 - a union of a run-time tuple of models: no X | Y spelling


class Spelregelset(StrictModel):
    """A named set of game rules, applied in the order listed."""

    naam: str = veld(label="Naam", min_length=1)
    omschrijving: str = veld("", label="Omschrijving")
    regels: list[Regel] = veld(default_factory=list, label="Regels (in volgorde van toepassing)")

    @model_validator(mode="before")
    @classmethod
    def _known_types(cls, data: Any) -> Any:
        from pydantic_core import PydanticCustomError

        for i, r in enumerate(data.get("regels") or [] if isinstance(data, dict) else []):
            if isinstance(r, dict) and r.get("type") not in REGEL_MODELLEN:
                raise PydanticCustomError(
                    "regeltype", "regel {i} ('{naam}'): onbekend regeltype '{type}'; toegestaan: {allowed}",
                    {"i": i + 1, "naam": r.get("naam", "?"), "type": r.get("type"), "allowed": ", ".join(REGEL_MODELLEN)},
                )
        return data


# --------------------------------------------------------------------------------------------- the document
class Gebied(StrictModel):
    """Gebiedsbegroting: parties, their investments, costs and revenues, land, programme, risks, linked projects and
    kostenverhaal cases, the gebiedsfonds and the game rules."""

    naam: str = veld(label="Naam", min_length=1)
    omschrijving: str = veld("", label="Omschrijving")
    prijspeil: dt.date = veld(label="Prijspeil")
    startjaar: int = veld(label="Startjaar")
    eindjaar: int = veld(label="Eindjaar")
    timing: Literal["end", "mid", "start"] = veld("end", label="Moment van de kasstromen", help="end: 31 december, mid: 1 juli, start: 1 januari")
    disconteringsvoet: float = veld(0.02, label="Disconteringsvoet", eenheid="%")
    ncw_datum: dt.date | None = veld(None, label="NCW-datum", help="Standaard de prijspeildatum")
    indices: dict[str, RateSeries] = veld(default_factory=lambda: {"geen": 0.0}, label="Indexreeksen", eenheid="% per jaar")
    partijen: list[Partij] = veld(default_factory=list, label="Partijen")
    posten: list[Post] = veld(default_factory=list, label="Kosten en opbrengsten")
    transacties: list[Transactie] = veld(default_factory=list, label="Grond- en vastgoedtransacties")
    grond: list[Grond] = veld(default_factory=list, label="Grondeigendom")
    programma: list[Programmaregel] = veld(default_factory=list, label="Programma")
    prijzen: dict[str, RateSeries] = veld(default_factory=dict, label="Gerealiseerde prijzen", eenheid="EUR nominaal per m²", help="Per functie: prijs per jaar (het laatste jaar geldt verder)")
    risicos: list[Risico] = veld(default_factory=list, label="Risico's")
    programmaprojecten: list[Programmaproject] = veld(default_factory=list, label="Projecten uit een programma")
    kostenverhaal: list[KostenverhaalKoppeling] = veld(default_factory=list, label="Kostenverhaal")
    fonds: Fonds = veld(default_factory=Fonds, label="Gebiedsfonds")
    spelregelsets: list[Spelregelset] = veld(default_factory=list, label="Spelregelsets")
    regelset: str | None = veld(None, label="Actieve spelregelset", help="Standaard de eerste")
    _basismap: Any = PrivateAttr(default=None)
    """Folder of the file the gebied was read from: ``bestand`` references are relative to it."""
    _bron: str | None = PrivateAttr(default=None)
    """Name of the file (or upload) the gebied was read from, for error messages."""

    # ------------------------------------------------------------------ lookups
    @property
    def years(self) -> range:
        return range(self.startjaar, self.eindjaar + 1)

    @property
    def ncw_date(self) -> dt.date:
        return self.ncw_datum or self.prijspeil

    def partij_ids(self) -> list[str]:
        return [p.id for p in self.partijen]

    def rekeningen(self) -> list[str]:
        """Account ids: the parties, then the gebiedsfonds."""
        return self.partij_ids() + [FONDS]

    def functies(self) -> list[str]:
        return sorted({r.functie for r in self.programma} | set(self.prijzen))

    def grondgebruiken(self) -> list[str]:
        return sorted({r.grondgebruik for r in self.grond})

    def categorieen(self) -> list[str]:
        return sorted({p.categorie for p in self.posten if p.categorie})

    def actieve_set(self, naam: str | None = None) -> Spelregelset | None:
        """The rule set ``naam`` (default: ``regelset``, else the first); ``None`` when there are no sets."""
        naam = naam or self.regelset
        if naam is None:
            return self.spelregelsets[0] if self.spelregelsets else None
        for s in self.spelregelsets:
            if s.naam == naam:
                return s
        raise error(("regelset",), "onbekende spelregelset", naam, ", ".join(s.naam for s in self.spelregelsets) or "(geen sets)")

    # ------------------------------------------------------------------ validation
    def check(self) -> list[InputError]:
        """Every domain error (unknown references, shares not summing to 100%, years outside the grid, contradictory
        rules); empty when valid."""
        errs: list[InputError] = []
        grid = f"{self.startjaar}–{self.eindjaar}"
        if self.eindjaar < self.startjaar:
            return [error(("eindjaar",), "eindjaar ligt vóór het startjaar", self.eindjaar, f">= {self.startjaar}")]
        if self.eindjaar - self.startjaar > 200:
            return [error(("eindjaar",), "looptijd te lang", self.eindjaar, "hoogstens 200 jaar")]
        if self.prijspeil.year > self.eindjaar:
            errs.append(error(("prijspeil",), "prijspeil ligt na het eindjaar", str(self.prijspeil), f"uiterlijk {self.eindjaar}"))
        if self.ncw_date.year > self.eindjaar:
            errs.append(error(("ncw_datum",), "NCW-datum ligt na het eindjaar", str(self.ncw_date), f"uiterlijk {self.eindjaar}"))
        errs += check_rates(self.disconteringsvoet, ("disconteringsvoet",))
        if not self.indices:
            errs.append(error(("indices",), "geen indexreeksen opgegeven", None, "ten minste één reeks, bijv. {geen: 0}"))
        for name, series in self.indices.items():
            if not str(name).strip() or any(ch in str(name) for ch in "*?~\"'"):
                errs.append(error(("indices", name), "ongeldige naam van een indexreeks", name, "een niet-lege naam zonder * ? ~ en aanhalingstekens"))
            errs += check_rates(series, ("indices", name))
        errs += self._check_partijen()
        ids = set(self.partij_ids())
        rek = ids | {FONDS}
        known = ", ".join(self.partij_ids())
        known_rek = ", ".join(self.rekeningen())
        reeksen = ", ".join(self.indices)

        def partij(path: tuple, value: str | None, allowed: set[str] = ids, allowed_text: str = known) -> None:
            if value not in allowed:
                errs.append(error(path, "onbekende partij", value, allowed_text or "(nog geen partijen)"))

        def index(path: tuple, value: str) -> None:
            if value not in self.indices:
                errs.append(error(path, "onbekende indexreeks", value, reeksen))

        for i, p in enumerate(self.posten):
            path: tuple[str | int, ...] = ("posten", i)
            partij(path + ("partij",), p.partij)
            index(path + ("index",), p.index)
            errs += _bedrag(path + ("bedrag",), p.bedrag)
            errs += _fasering(path + ("fasering",), p.fasering, self.years, p.bedrag)
            if p.categorie is not None and not p.categorie.strip():
                errs.append(error(path + ("categorie",), "lege vereveningscategorie", p.categorie, "een naam, bv. park, of laat het veld weg"))
        for i, t in enumerate(self.transacties):
            path = ("transacties", i)
            partij(path + ("koper",), t.koper)
            if t.verkoper is not None:
                partij(path + ("verkoper",), t.verkoper)
                if t.verkoper == t.koper:
                    errs.append(error(path + ("verkoper",), "koper en verkoper zijn dezelfde partij", t.verkoper, "een andere partij, of leeg (verkoper buiten het gebied)"))
            index(path + ("index",), t.index)
            if t.prijs is not None:
                errs += _bedrag(path + ("prijs",), t.prijs)
            errs += _fasering(path + ("fasering",), t.fasering, self.years, None)
        for i, r in enumerate(self.grond):
            path = ("grond", i)
            partij(path + ("partij",), r.partij)
            errs += _bedrag(path + ("m2",), r.m2, "oppervlakte")
            errs += _fasering(path + ("inbreng",), r.inbreng, self.years, None)
        for i, pr in enumerate(self.programma):
            path = ("programma", i)
            partij(path + ("partij",), pr.partij)
            errs += _bedrag(path + ("m2",), pr.m2, "oppervlakte")
            errs += _fasering(path + ("fasering",), pr.fasering, self.years, None)
        for f, series in self.prijzen.items():
            items = [(None, series)] if isinstance(series, (int, float)) else list(series.items())
            if not items:
                errs.append(error(("prijzen", f), "geen prijs opgegeven", series, "een prijs, of prijzen per jaar"))
            for year, v in items:
                if not math.isfinite(v) or v < 0:
                    errs.append(error(("prijzen", f) + ((year,) if year is not None else ()), "prijs mag niet negatief zijn", v, ">= 0"))
        for i, risico in enumerate(self.risicos):
            path = ("risicos", i)
            errs += _bedrag(path + ("bedrag",), risico.bedrag)
            if not 0.0 <= risico.kans <= 1.0:
                errs.append(error(path + ("kans",), "kans buiten 0–100%", risico.kans, "een fractie van 0 tot en met 1 (0.3 = 30%)"))
            for pid in risico.dragers:
                partij(path + ("dragers", pid), pid)
            errs += _som_100(path + ("dragers",), risico.dragers)
        for i, pp in enumerate(self.programmaprojecten):
            if pp.partij is not None:
                partij(("programmaprojecten", i, "partij"), pp.partij)
        for i, kv in enumerate(self.kostenverhaal):
            path = ("kostenverhaal", i)
            partij(path + ("betaler",), kv.betaler)
            partij(path + ("ontvanger",), kv.ontvanger, rek, known_rek)
            if kv.betaler == kv.ontvanger:
                errs.append(error(path + ("ontvanger",), "betaler en ontvanger zijn dezelfde", kv.ontvanger, "een andere partij of 'fonds'"))
            index(path + ("index",), kv.index)
            errs += _fasering(path + ("fasering",), kv.fasering, self.years, None)
        errs += check_rates(self.fonds.rente, ("fonds", "rente"))
        for i, m in enumerate(self.fonds.lidmaatschap):
            path = ("fonds", "lidmaatschap", i)
            partij(path + ("partij",), m.partij)
            index(path + ("index",), m.index)
            errs += _bedrag(path + ("bedrag",), m.bedrag)
            for key, year in (("van", m.van), ("tot", m.tot)):
                if year not in self.years:
                    errs.append(error(path + (key,), "jaar buiten de looptijd", year, grid))
            if m.tot < m.van:
                errs.append(error(path + ("tot",), "laatste jaar ligt vóór het eerste jaar", m.tot, f">= {m.van}"))
        for i, u in enumerate(self.fonds.uitgaven):
            path = ("fonds", "uitgaven", i)
            index(path + ("index",), u.index)
            errs += _bedrag(path + ("bedrag",), u.bedrag)
            errs += _fasering(path + ("fasering",), u.fasering, self.years, u.bedrag)
        for section, attr in (("posten", "categorie"), ("grond", "grondgebruik"), ("programma", "functie")):
            for i, row in enumerate(getattr(self, section)):
                errs += _sleutel((section, i, attr), getattr(row, attr))
        for f in self.prijzen:
            errs += _sleutel(("prijzen", f), f)
        errs += self._check_sets()
        return errs

    def _check_partijen(self) -> list[InputError]:
        errs = []
        if not self.partijen:
            errs.append(error(("partijen",), "geen partijen opgegeven", None, "ten minste één partij"))
        seen: dict[str, int] = {}
        for i, p in enumerate(self.partijen):
            if p.id == FONDS:
                errs.append(error(("partijen", i, "id"), "'fonds' is gereserveerd voor het gebiedsfonds", p.id, "een andere id"))
            elif not ID.fullmatch(p.id):
                errs.append(error(("partijen", i, "id"), "ongeldige partij-id", p.id, "letters, cijfers, _ . - (begint met een letter of cijfer, hoogstens 64 tekens)"))
            if p.id in seen:
                errs.append(error(("partijen", i, "id"), f"partij-id komt twee keer voor (ook partij {seen[p.id] + 1})", p.id, "unieke ids"))
            seen.setdefault(p.id, i)
            if p.rol not in ROLLEN:
                errs.append(error(("partijen", i, "rol"), "onbekende rol", p.rol, ", ".join(ROLLEN)))
            if p.marge is not None and not (0.0 <= p.marge < 1.0):
                errs.append(error(("partijen", i, "marge"), "marge buiten 0–100%", p.marge, "een fractie van 0 tot 1 (0.08 = 8%)"))
        return errs

    def _check_sets(self) -> list[InputError]:
        errs: list[InputError] = []
        names: dict[str, int] = {}
        for s_i, s in enumerate(self.spelregelsets):
            if s.naam in names:
                errs.append(error(("spelregelsets", s_i, "naam"), "naam van een spelregelset komt twee keer voor", s.naam, "unieke namen"))
            names.setdefault(s.naam, s_i)
            errs += _check_regels(self, s, ("spelregelsets", s_i))
        if self.regelset is not None and self.regelset not in names:
            errs.append(error(("regelset",), "onbekende spelregelset", self.regelset, ", ".join(names) or "(geen sets)"))
        return errs

    def validated(self) -> Gebied:
        errs = self.check()
        if errs:
            raise InputErrors(errs)
        return self


# --------------------------------------------------------------------------------------------- checks (helpers)
def _bedrag(path: tuple, v: float, what: str = "bedrag") -> list[InputError]:
    if not math.isfinite(v) or v < 0:
        return [error(path, f"{what} mag niet negatief zijn", v, ">= 0")]
    return []


def _fasering(path: tuple, fasering: Fasering, years: range, bedrag: float | None) -> list[InputError]:
    """Years inside the grid, shares >= 0, summing to 1 (or, where ``bedrag`` is given, to the amount)."""
    grid = f"{years.start}–{years.stop - 1}"
    if not fasering:
        return [error(path, "fasering ontbreekt", None, "aandelen per jaar met som 1")]
    errs = []
    for y, v in fasering.items():
        if y not in years:
            errs.append(error(path + (y,), "jaar buiten de looptijd", y, grid))
        if not math.isfinite(v) or v < 0:
            errs.append(error(path + (y,), "fasering mag niet negatief zijn", v, ">= 0"))
    total = sum(fasering.values())
    if not (_close(total, 1.0) or (bedrag is not None and _close(total, bedrag))):
        allowed = "aandelen met som 1" + (" of bedragen met som = bedrag" if bedrag is not None else "")
        errs.append(error(path, f"fasering telt op tot {_nl(total)}, niet tot 1" + (f" en niet tot het bedrag {_nl(bedrag)}" if bedrag is not None else ""), total, allowed))
    return errs


def _sleutel(path: tuple, name: str | None) -> list[InputError]:
    if name is None or not (any(ch in name for ch in SLEUTEL_VERBODEN) or name.startswith(SLEUTEL_BEGIN) or name != name.strip()):
        return []
    return [error(path, "ongeldige naam", name, "een naam zonder * ? ~, die niet begint met = + - @ < > of een spatie")]


def _som_100(path: tuple, aandelen: dict[str, float]) -> list[InputError]:
    """Shares must be >= 0 and sum to 100%."""
    errs = [error(path + (k,), "aandeel mag niet negatief zijn", v, ">= 0") for k, v in aandelen.items() if not math.isfinite(v) or v < 0]
    total = sum(aandelen.values())
    if not _close(total, 1.0):
        errs.append(error(path, f"aandelen tellen op tot {_nl(total * 100)}%, niet tot 100%", total, "aandelen met som 1 (= 100%)"))
    return errs


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANTIE * max(1.0, abs(b))


def _nl(x: float) -> str:
    return f"{x:.10g}".replace(".", ",")


def shares(fasering: Fasering, bedrag: float | None = None) -> dict[int, float]:
    """A phasing as shares summing to 1, whether given as shares or as amounts summing to ``bedrag``."""
    total = sum(fasering.values())
    if _close(total, 1.0) or not total:
        return dict(fasering)
    return {y: v / total for y, v in fasering.items()}


def _check_regels(g: Gebied, s: Spelregelset, base: tuple) -> list[InputError]:
    """References inside one rule set (parties, functions, land uses, categories, index series, earlier rules) and
    contradictions between its rules."""
    errs: list[InputError] = []
    rek = g.rekeningen()
    functies, gebruiken, cats = g.functies(), g.grondgebruiken(), g.categorieen()
    seen: dict[str, int] = {}
    heffingen: list[tuple[int, str, str, frozenset[str], str]] = []  # (rule, functie, ontvanger, payers, naam)
    for r_i, r in enumerate(s.regels):
        path = base + ("regels", r_i)
        if r.naam in seen:
            errs.append(error(path + ("naam",), f"regelnaam komt twee keer voor in deze set (ook regel {seen[r.naam] + 1})", r.naam, "unieke namen per set"))
        seen.setdefault(r.naam, r_i)
        decl = {p.naam: p for p in sr.REGELTYPEN[r.type].parameters}
        for name, p in decl.items():
            value = getattr(r, name)
            pp = path + (name,)
            if p.soort == sr.PER_FUNCTIE:
                errs += _keys(pp, value, functies, "functie", p.verplicht)
                errs += [error(pp + (k,), "bedrag per m² mag niet negatief zijn", v, ">= 0") for k, v in value.items() if not math.isfinite(v) or v < 0]
            elif p.soort == sr.PER_GRONDGEBRUIK:
                errs += _keys(pp, value, gebruiken, "grondgebruik", p.verplicht)
                errs += [error(pp + (k,), "bedrag per m² mag niet negatief zijn", v, ">= 0") for k, v in value.items() if not math.isfinite(v) or v < 0]
            elif p.soort == sr.FRACTIE and not 0.0 <= value <= 1.0:
                errs.append(error(pp, "aandeel buiten 0–100%", value, "een fractie van 0 tot en met 1 (0.1 = 10%)"))
            elif p.soort == sr.REKENING and value not in rek:
                errs.append(error(pp, "onbekende partij", value, ", ".join(rek)))
            elif p.soort == sr.VERDELING:
                errs += _check_verdeling(g, pp, value)
            elif p.soort == sr.BETALERS and value is not None:
                errs += [error(pp + (k,), "onbekende partij", k, ", ".join(g.partij_ids())) for k in value if k not in g.partij_ids()]
            elif p.soort == sr.CATEGORIEEN:
                errs += [error(pp + (k,), "onbekende vereveningscategorie", k, ", ".join(cats) or "(geen posten met een categorie)") for k in value if k not in cats]
                if not value:
                    errs.append(error(pp, "geen categorieën opgegeven", value, ", ".join(cats) or "(geen posten met een categorie)"))
            elif p.soort == sr.REGELS:
                earlier = [sr.KOSTENVERHAAL] + [x.naam for x in s.regels[:r_i]]
                later = {x.naam for x in s.regels[r_i:]}
                for k in value:
                    if k in later:
                        errs.append(error(pp + (k,), f"tegenstrijdige volgorde: regel '{r.naam}' gebruikt de bijdragen van '{k}', die pas {'zelf' if k == r.naam else 'later'} wordt toegepast", k, "alleen eerdere regels: " + ", ".join(earlier)))
                    elif k not in earlier:
                        errs.append(error(pp + (k,), "onbekende regel", k, ", ".join(earlier)))
                if not value:
                    errs.append(error(pp, "geen regels opgegeven", value, ", ".join(earlier)))
            elif p.soort == sr.INDEX and value not in g.indices:
                errs.append(error(pp, "onbekende indexreeks", value, ", ".join(g.indices)))
        errs += _check_type(g, r, path)
        if r.type in ("gebiedsbijdrage", "meebewegend"):
            payers = frozenset(r.betalers if r.betalers is not None else g.partij_ids())
            ontv = r.ontvanger if isinstance(r.ontvanger, str) else "verdeling"
            for f, v in r.tarief.items():
                if v:
                    heffingen.append((r_i, f, ontv, payers, r.naam))
    # contradictions: the same m² charged twice to the same payer for the same receiver
    for a in range(len(heffingen)):
        for b in range(a + 1, len(heffingen)):
            ra, fa, oa, pa, na = heffingen[a]
            rb, fb, ob, pb, nb = heffingen[b]
            if ra != rb and fa == fb and oa == ob and pa & pb:
                errs.append(error(base + ("regels", rb), f"tegenstrijdige regels: '{na}' en '{nb}' heffen allebei per m² {fb} van {', '.join(sorted(pa & pb))} voor {ob}", nb, "één heffing per functie, betaler en ontvanger (combineer de tarieven in één regel)"))
    for kind, key in (("ontwikkelrechten", "prijs"), ("verevening", "categorieen")):
        owner: dict[str, str] = {}
        for r_i, r in enumerate(s.regels):
            if r.type != kind:
                continue
            for k in getattr(r, key):
                if k in owner:
                    errs.append(error(base + ("regels", r_i, key, k), f"tegenstrijdige regels: '{owner[k]}' en '{r.naam}' verdelen allebei {k}", k, f"elke {('functie' if kind == 'ontwikkelrechten' else 'categorie')} in één regel"))
                owner.setdefault(k, r.naam)
    return errs


def _check_type(g: Gebied, r: Any, path: tuple) -> list[InputError]:
    """Checks specific to one rule type's meaning."""
    errs = []
    if r.type == "afdracht" and r.van == r.naar:
        errs.append(error(path + ("naar",), "tegenstrijdig: 'van' en 'naar' zijn dezelfde rekening", r.naar, "een andere partij of 'fonds'"))
    if r.type == "meebewegend" and r.koppeling == "prijs":
        for f, v in r.tarief.items():
            if v and r.referentieprijs.get(f, 0.0) <= 0:
                errs.append(error(path + ("referentieprijs", f), "referentieprijs ontbreekt of is 0 bij koppeling 'prijs'", r.referentieprijs.get(f), "een prijs per m² > 0"))
            if v and f not in g.prijzen:
                errs.append(error(path + ("tarief", f), "geen gerealiseerde prijzen voor deze functie (koppeling 'prijs')", f, ", ".join(g.prijzen) or "(geen prijzen opgegeven)"))
    if r.type == "meebewegend" and r.koppeling == "index" and r.referentieprijs:
        errs.append(error(path + ("referentieprijs",), "tegenstrijdig: referentieprijs bij koppeling 'index'", r.referentieprijs, "koppeling 'prijs', of laat de referentieprijs weg"))
    return errs


def _keys(path: tuple, value: dict[str, float], known: list[str], what: str, verplicht: bool = True) -> list[InputError]:
    errs = [error(path + (k,), f"onbekende {what}", k, ", ".join(known) or f"(geen {what} in het gebied)") for k in value if k not in known]
    if not value and verplicht:
        errs.append(error(path, f"geen {what} opgegeven", value, ", ".join(known)))
    return errs


def _check_verdeling(g: Gebied, path: tuple, v: str | Verdeling) -> list[InputError]:
    rek = g.rekeningen()
    if isinstance(v, str):
        return [] if v in rek else [error(path, "onbekende partij", v, ", ".join(rek))]
    if v.aandelen is not None:
        errs = [error(path + ("aandelen", k), "onbekende partij", k, ", ".join(rek)) for k in v.aandelen if k not in rek]
        return errs + _som_100(path + ("aandelen",), v.aandelen)
    total = sum(r.m2 for r in g.grond) if v.naar_rato == "grond" else sum(r.m2 for r in g.programma)
    if total <= 0:
        return [error(path + ("naar_rato",), f"verdeelsleutel naar rato van {v.naar_rato}: er is geen {v.naar_rato} (0 m²)", v.naar_rato, "een basis met m², of aandelen")]
    return []


# --------------------------------------------------------------------------------------------- compiling
@dataclass
class Gekoppeld:
    """What linked documents contribute, resolved by the service: per programme project its nominal costs
    (negative) and revenues per year and its party; per kostenverhaal link the exploitatiebijdrage [EUR]."""

    projecten: list[dict[str, Any]] = field(default_factory=list)
    """Per programme project: ``{"partij": id, "kosten": {jaar: EUR}, "opbrengsten": {jaar: EUR}, "bron": text}``."""
    kostenverhaal: list[dict[str, Any]] = field(default_factory=list)
    """Per kostenverhaal link: ``{"bedrag": EUR, "bron": text}``."""


def _phased(rows: list, years: range, attr: str, bedrag_attr: str | None = None) -> np.ndarray:
    out = np.zeros((len(rows), len(years)))
    for i, r in enumerate(rows):
        for y, s in shares(getattr(r, attr), getattr(r, bedrag_attr) if bedrag_attr else None).items():
            out[i, y - years.start] = s
    return out


def _verdeling(g: Gebied, v: str | Verdeling) -> np.ndarray:
    """A distribution key as weights over accounts (parties, fund), summing to 1. [- (A,)]"""
    rek = g.rekeningen()
    w = np.zeros(len(rek))
    if isinstance(v, str):
        w[rek.index(v)] = 1.0
    elif v.aandelen is not None:
        for k, x in v.aandelen.items():
            w[rek.index(k)] += x
    else:
        t = toestand_basis(g)
        w[:-1] = sr.aandeel_grond(t["grond_m2"]) if v.naar_rato == "grond" else sr.aandeel_programma(t["programma_m2"])
    return w


def toestand_basis(g: Gebied) -> dict[str, np.ndarray]:
    """Land and programme arrays: ``grond_m2 (P, G)``, ``inbreng_m2 (P, G, Y)``, ``programma_m2 (P, F, Y)``,
    ``prijs (F, Y)``."""
    years = g.years
    ids, gg, ff = g.partij_ids(), g.grondgebruiken(), g.functies()
    n_y = len(years)
    grond = np.zeros((len(ids), len(gg)))
    inbreng = np.zeros((len(ids), len(gg), n_y))
    for r in g.grond:
        p, k = ids.index(r.partij), gg.index(r.grondgebruik)
        grond[p, k] += r.m2
        for y, s in shares(r.inbreng).items():
            inbreng[p, k, y - years.start] += r.m2 * s
    prog = np.zeros((len(ids), len(ff), n_y))
    for pr in g.programma:
        p, k = ids.index(pr.partij), ff.index(pr.functie)
        for y, s in shares(pr.fasering).items():
            prog[p, k, y - years.start] += pr.m2 * s
    prijs = np.array([rate_on_years(g.prijzen[f], years) if f in g.prijzen else [0.0] * n_y for f in ff], dtype=np.float64).reshape(len(ff), n_y)
    return {"grond_m2": grond, "inbreng_m2": inbreng, "programma_m2": prog, "prijs": prijs}


def compile_regels(g: Gebied, s: Spelregelset | None) -> list[sr.Regel]:
    """The rules of set ``s`` as engine rules, every parameter an array with a leading variant axis of 1."""
    if s is None:
        return []
    rek, ff, gg, cats, series = g.rekeningen(), g.functies(), g.grondgebruiken(), g.categorieen(), list(g.indices)
    out = []
    for r_i, r in enumerate(s.regels):
        params: dict[str, np.ndarray] = {}
        for p in sr.REGELTYPEN[r.type].parameters:
            v = getattr(r, p.naam)
            if p.soort in (sr.PER_FUNCTIE, sr.PER_GRONDGEBRUIK):
                keys = ff if p.soort == sr.PER_FUNCTIE else gg
                arr = np.array([float(v.get(k, 0.0)) for k in keys])
            elif p.soort == sr.FRACTIE:
                arr = np.array(float(v))
            elif p.soort in (sr.REKENING, sr.VERDELING):
                arr = _verdeling(g, v)
            elif p.soort == sr.BETALERS:
                arr = np.array([1.0 if (v is None and k != sr.FONDS) or (v is not None and k in v) else 0.0 for k in rek])
            elif p.soort == sr.CATEGORIEEN:
                arr = np.array([1.0 if k in v else 0.0 for k in cats])
            elif p.soort == sr.REGELS:
                earlier = [sr.KOSTENVERHAAL] + [x.naam for x in s.regels[:r_i]]
                arr = np.array([1.0 if k in v else 0.0 for k in earlier])
            elif p.soort == sr.INDEX:
                arr = np.array(series.index(v), dtype=np.intp)
            else:  # KEUZE
                arr = np.array(p.keuzes.index(v), dtype=np.intp)
            params[p.naam] = arr[None, ...]
        out.append(sr.Regel(r.naam, r.type, params))
    return out


def compile(g: Gebied, gekoppeld: Gekoppeld | None = None, regelset: str | None = None) -> GebiedArrays:  # noqa: A001 - the model verb
    """Validated gebied (+ the resolved linked flows) -> :class:`~opengrex.engine.gebied.GebiedArrays`."""
    g.validated()
    gekoppeld = gekoppeld or Gekoppeld()
    if len(gekoppeld.projecten) != len(g.programmaprojecten) or len(gekoppeld.kostenverhaal) != len(g.kostenverhaal):
        raise ValueError("de verwijzingen van het gebied zijn niet opgelost (opengrex.services.gebied.koppel)")
    years = g.years
    n_y = len(years)
    ids = g.partij_ids()
    rek = g.rekeningen()
    series = list(g.indices)
    p_year = g.prijspeil.year
    ix_years = range(min(p_year, g.startjaar), g.eindjaar + 1)
    rate = np.array([rate_on_years(g.indices[n], ix_years) for n in series], dtype=np.float64).reshape(len(series), len(ix_years))
    cats = g.categorieen()
    inv = list(INVESTERINGEN)
    posten, tr = g.posten, g.transacties
    ext_k = np.zeros((len(gekoppeld.projecten), n_y))
    ext_o = np.zeros((len(gekoppeld.projecten), n_y))
    for i, pr in enumerate(gekoppeld.projecten):
        for y, v in pr["kosten"].items():
            ext_k[i, y - years.start] += v
        for y, v in pr["opbrengsten"].items():
            ext_o[i, y - years.start] += v
    kv = g.kostenverhaal
    kv_f = _phased(kv, years, "fasering")
    kv_bedrag = np.array([float(k["bedrag"]) for k in gekoppeld.kostenverhaal]) if kv else np.zeros(0)
    leden = g.fonds.lidmaatschap
    lid = np.zeros((len(leden), n_y))
    for i, m in enumerate(leden):
        lid[i, m.van - years.start : m.tot - years.start + 1] = m.bedrag
    ncw = g.ncw_date
    days = 366 if (ncw.year % 4 == 0 and (ncw.year % 100 != 0 or ncw.year % 400 == 0)) else 365
    basis = toestand_basis(g)
    dragers = np.array([[r.dragers.get(p, 0.0) for p in ids] for r in g.risicos], dtype=np.float64).reshape(len(g.risicos), len(ids))
    return GebiedArrays(
        years=np.array(list(years)),
        n_partijen=len(ids),
        timing=g.timing,
        rate=rate,
        index_base=p_year - ix_years.start,
        index_offset=g.startjaar - ix_years.start,
        post_bedrag=np.array([p.bedrag for p in posten], dtype=np.float64),
        post_fasering=_phased(posten, years, "fasering", "bedrag"),
        post_teken=np.array([1.0 if p.soort == "opbrengsten" else -1.0 for p in posten]),
        post_reeks=np.array([series.index(p.index) for p in posten], dtype=np.intp),
        post_partij=np.array([ids.index(p.partij) for p in posten], dtype=np.intp),
        post_investering=np.array([inv.index(p.investering) if p.soort == "kosten" else -1 for p in posten], dtype=np.intp),
        post_categorie=np.array([cats.index(p.categorie) if p.categorie else -1 for p in posten], dtype=np.intp),
        n_categorieen=len(cats),
        tr_prijs=np.array([t.prijs or 0.0 for t in tr], dtype=np.float64),
        tr_fasering=_phased(tr, years, "fasering"),
        tr_reeks=np.array([series.index(t.index) for t in tr], dtype=np.intp),
        tr_koper=np.array([ids.index(t.koper) for t in tr], dtype=np.intp),
        tr_verkoper=np.array([ids.index(t.verkoper) if t.verkoper else EXTERN for t in tr], dtype=np.intp),
        ext_kosten=ext_k,
        ext_opbrengsten=ext_o,
        ext_partij=np.array([ids.index(pr["partij"]) for pr in gekoppeld.projecten], dtype=np.intp),
        ext_investering=np.array([inv.index(pp.investering) for pp in g.programmaprojecten], dtype=np.intp),
        kv_bedrag=kv_bedrag[:, None] * kv_f if kv else np.zeros((0, n_y)),
        kv_reeks=np.array([series.index(k.index) for k in kv], dtype=np.intp),
        kv_betaler=np.array([ids.index(k.betaler) for k in kv], dtype=np.intp),
        kv_ontvanger=np.array([rek.index(k.ontvanger) for k in kv], dtype=np.intp),
        lid_bedrag=lid,
        lid_reeks=np.array([series.index(m.index) for m in leden], dtype=np.intp),
        lid_partij=np.array([ids.index(m.partij) for m in leden], dtype=np.intp),
        fonds_rente=np.array(rate_on_years(g.fonds.rente, years)),
        fonds_opening=float(g.fonds.opening),
        uit_bedrag=np.array([u.bedrag for u in g.fonds.uitgaven], dtype=np.float64),
        uit_fasering=_phased(g.fonds.uitgaven, years, "fasering", "bedrag"),
        uit_reeks=np.array([series.index(u.index) for u in g.fonds.uitgaven], dtype=np.intp),
        disconteringsvoet=float(g.disconteringsvoet),
        ncw_year=ncw.year,
        ncw_fraction=(ncw.timetuple().tm_yday - 1) / days,
        grond_m2=basis["grond_m2"],
        inbreng_m2=basis["inbreng_m2"],
        programma_m2=basis["programma_m2"],
        prijs=basis["prijs"],
        marge=np.array([p.marge or 0.0 for p in g.partijen], dtype=np.float64),
        risico_bedrag=np.array([r.bedrag for r in g.risicos], dtype=np.float64),
        risico_kans=np.array([r.kans for r in g.risicos], dtype=np.float64),
        risico_aandeel=dragers,
        regels=compile_regels(g, g.actieve_set(regelset)),
    )
