"""Input model of a kostenverhaal case (one bouwplan): pydantic v2, strict.

A case names the parameterset and peildatum it is computed under, the gebied, the programme, per party
(initiatiefnemer, gemeente) the costs per kostensoort, opbrengsten and subsidies (as totals, or taken from a grex
file), the bovenwijkse voorzieningen with their PTP share, and the two financiële bijdragen. See
``examples/kostenverhaal/`` for the file format and ``shared/spec/kostenverhaal.md`` for the rules.

Amounts are entered as positive euros. A party given as a ``grex`` takes its costs per kostensoort, opbrengsten
and subsidies/bijdragen from that grondexploitatie, as **contante waarde at the grex's NCW-datum** by default
(``basis: contante_waarde``; the exploitatieplan method discounts costs and revenues to one date, and the
eindafrekening discounts to the payment date the same way). ``basis: nominaal`` or ``basis: prijspeil`` may be
chosen instead; the result states which basis was used.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pathlib import Path

from pydantic import Field, PrivateAttr

from opengrex.codes import get_kostensoort, is_alleen_met_tijdvak
from opengrex.errors import InputError
from opengrex.model.base import Embeds, StrictModel, error
from opengrex.model.bijdrage import BijdrageInvoer
from opengrex.model.grex import Grex
from opengrex.model.verwijzing import DocumentVerwijzing

SEGMENTEN = ("sociaal", "midden", "duur")


class KostenRegel(StrictModel):
    """One cost line: kostensoort (Ob bijlage IV / Bro 6.2.3–6.2.5), description and amount [EUR]."""

    kostensoort: str
    omschrijving: str | None = None
    bedrag: float


class BedragRegel(StrictModel):
    """One opbrengst or subsidie/bijdrage: description and amount [EUR]."""

    omschrijving: str
    bedrag: float


class GrexBron(StrictModel):
    """A grex (file path, relative to the case file, or an inline grex document) and the basis of its amounts."""

    bestand: str | None = None
    inline: Annotated[dict[str, Any] | None, Embeds(Grex)] = None
    grex_document: DocumentVerwijzing | None = None  # a stored grex; the store embeds its version in 'inline'
    basis: Literal["contante_waarde", "nominaal", "prijspeil"] = "contante_waarde"


class Partij(StrictModel):
    """The costs, opbrengsten and subsidies of one party (initiatiefnemer or gemeente) within the plan area."""

    kosten: list[KostenRegel] = Field(default_factory=list)
    opbrengsten: list[BedragRegel] = Field(default_factory=list)
    subsidies: list[BedragRegel] = Field(default_factory=list)
    grex: GrexBron | None = None


class Bouwprogramma(StrictModel):
    """Bouwprogramma: homes per segment and other functions [m² bvo per function]."""

    woningen: dict[Literal["sociaal", "midden", "duur"], int] = Field(default_factory=dict)
    overig_m2: dict[str, float] = Field(default_factory=dict)

    def homes(self) -> dict[str, int]:
        return {s: int(self.woningen.get(s, 0)) for s in SEGMENTEN}


class BovenwijkseVoorziening(StrictModel):
    """Gebiedsoverstijgende (bovenwijkse) voorziening: total investment and this plan's PTP share.

    The share (profijt, toerekenbaarheid, proportionaliteit) is ``aandeel`` (a fraction < 1), or derived as
    ``woningen_plan / woningen_totaal`` (``woningen_plan`` defaults to all homes of the programme)."""

    naam: str
    bedrag: float
    kostensoort: str | None = None
    aandeel: float | None = None
    woningen_plan: int | None = None
    woningen_totaal: int | None = None


class FysiekeLeefomgeving(StrictModel):
    """Financiële bijdrage ter verbetering van de fysieke leefomgeving (§4.1): an amount, or rates per home per
    segment for the areas that contain the plan (total = Σ areas Σ segments rate × homes)."""

    bedrag: float | None = None
    tarieven: dict[str, dict[Literal["sociaal", "midden", "duur"], float]] | None = None
    berekening: Annotated[str | dict[str, Any] | None, Embeds(BijdrageInvoer)] = None
    """Path (relative to the case file) of a bijdrage input (``opengrex kostenverhaal bijdrage``), or that input
    inline as a document: the rates are then computed by the six steps of §4.1 (:mod:`opengrex.services.bijdrage`)."""


class Woningvoorraad(StrictModel):
    """Financiële bijdrage ter realisatie van een evenwichtige samenstelling van de woningvoorraad (§4.2).

    Grondwaarde per home per segment, given (``grondwaarde``), or from average WOZ values
    (``woz``: grondwaarde = WOZ / (1 + btw) × grondquote); without either, the parameterset's
    ``gemiddelde_woz`` is used."""

    grondwaarde: dict[Literal["sociaal", "midden", "duur"], float] | None = None
    woz: dict[Literal["sociaal", "midden", "duur"], float] | None = None


class Kavel(StrictModel):
    """A kavel in kostenverhaal zonder tijdvak: its share of the costs and its value before/after [EUR]."""

    naam: str
    waarde_voor: float
    waarde_na: float
    aandeel: float | None = None
    oppervlakte_m2: float | None = None


class Case(StrictModel):
    """Kostenverhaal case: one bouwplan under one parameterset (naam + peildatum)."""

    naam: str = Field(min_length=1)
    omschrijving: str | None = None
    parameterset: str = "soest"
    peildatum: dt.date
    gebied: str
    tijdvak: Literal["met", "zonder"] = "met"
    programma: Bouwprogramma = Field(default_factory=Bouwprogramma)
    initiatiefnemer: Partij = Field(default_factory=Partij)
    gemeente: Partij = Field(default_factory=Partij)
    bovenwijkse_voorzieningen: list[BovenwijkseVoorziening] = Field(default_factory=list)
    financiele_bijdrage_fysieke_leefomgeving: FysiekeLeefomgeving | None = None
    financiele_bijdrage_woningvoorraad: Woningvoorraad | None = None
    kostenplafond: float | None = None
    kavels: list[Kavel] = Field(default_factory=list)
    _base_dir: Path = PrivateAttr(default_factory=lambda: Path("."))
    """Folder that relative grex paths are resolved against (the case file's folder)."""

    def check(self) -> list[InputError]:
        """Domain checks that need no parameterset (those that do run in :func:`opengrex.services.kostenverhaal.compile_case`)."""
        errs: list[InputError] = []
        for s, n in self.programma.woningen.items():
            if n < 0:
                errs.append(error(("programma", "woningen", s), "aantal woningen mag niet negatief zijn", n, ">= 0"))
        for f, m2 in self.programma.overig_m2.items():
            if m2 < 0:
                errs.append(error(("programma", "overig_m2", f), "oppervlakte mag niet negatief zijn", m2, ">= 0"))
        for party in ("initiatiefnemer", "gemeente"):
            p: Partij = getattr(self, party)
            if p.grex is not None:
                if p.kosten or p.opbrengsten or p.subsidies:
                    errs.append(error((party, "grex"), "geef kosten/opbrengsten/subsidies óf een grex, niet allebei", None, "alleen 'grex', of alleen de lijsten"))
                if (p.grex.bestand is None) == (p.grex.inline is None):
                    errs.append(error((party, "grex"), "geef precies één van 'bestand' en 'inline'", None, "bestand: pad.yaml, of inline: {grex}"))
            for i, k in enumerate(p.kosten):
                path = (party, "kosten", i)
                if k.bedrag < 0:
                    errs.append(error(path + ("bedrag",), "bedrag mag niet negatief zijn", k.bedrag, ">= 0 (kosten positief invoeren)"))
                try:
                    code = get_kostensoort(k.kostensoort).code
                except InputError as exc:
                    errs.append(error(path + ("kostensoort",), exc.message, k.kostensoort, exc.allowed))
                    continue
                if self.tijdvak == "zonder":
                    errs.extend(_check_zonder_tijdvak(code, path))
            for sec in ("opbrengsten", "subsidies"):
                for i, r in enumerate(getattr(p, sec)):
                    if r.bedrag < 0:
                        errs.append(error((party, sec, i, "bedrag"), "bedrag mag niet negatief zijn", r.bedrag, ">= 0"))
        for i, b in enumerate(self.bovenwijkse_voorzieningen):
            path = ("bovenwijkse_voorzieningen", i)
            if b.bedrag < 0:
                errs.append(error(path + ("bedrag",), "bedrag mag niet negatief zijn", b.bedrag, ">= 0"))
            if b.kostensoort is not None:
                try:
                    code = get_kostensoort(b.kostensoort).code
                    if self.tijdvak == "zonder":
                        errs.extend(_check_zonder_tijdvak(code, path))
                except InputError as exc:
                    errs.append(error(path + ("kostensoort",), exc.message, b.kostensoort, exc.allowed))
            if b.aandeel is not None and (b.woningen_totaal is not None or b.woningen_plan is not None):
                errs.append(error(path, "geef het PTP-aandeel óf woningen_totaal (afgeleid aandeel), niet allebei", None, "aandeel, of woningen_totaal (+ woningen_plan)"))
            elif b.aandeel is None and b.woningen_totaal is None:
                errs.append(error(path + ("aandeel",), "PTP-aandeel ontbreekt", None, "aandeel (fractie < 1), of woningen_totaal om het af te leiden"))
            if b.aandeel is not None and not (0 <= b.aandeel < 1):
                errs.append(error(path + ("aandeel",), "PTP-aandeel moet kleiner zijn dan 100% (anders is het gebiedseigen)", b.aandeel, "0 <= aandeel < 1 (fractie)"))
            for f in ("woningen_plan", "woningen_totaal"):
                v = getattr(b, f)
                if v is not None and v < 0:
                    errs.append(error(path + (f,), "aantal woningen mag niet negatief zijn", v, ">= 0"))
        fb = self.financiele_bijdrage_fysieke_leefomgeving
        if fb is not None:
            if sum(x is not None for x in (fb.bedrag, fb.tarieven, fb.berekening)) != 1:
                errs.append(error(("financiele_bijdrage_fysieke_leefomgeving",), "geef precies één van 'bedrag', 'tarieven' en 'berekening'", None, "bedrag: 100000, of tarieven: {gebied: {sociaal: .., midden: .., duur: ..}}, of berekening: bijdrage-invoer.yaml"))
            if fb.bedrag is not None and fb.bedrag < 0:
                errs.append(error(("financiele_bijdrage_fysieke_leefomgeving", "bedrag"), "bedrag mag niet negatief zijn", fb.bedrag, ">= 0"))
            for area, rates in (fb.tarieven or {}).items():
                for s, r in rates.items():
                    if r < 0:
                        errs.append(error(("financiele_bijdrage_fysieke_leefomgeving", "tarieven", area, s), "tarief mag niet negatief zijn", r, ">= 0"))
        wv = self.financiele_bijdrage_woningvoorraad
        if wv is not None:
            for f in ("grondwaarde", "woz"):
                for s, v in (getattr(wv, f) or {}).items():
                    if v < 0:
                        errs.append(error(("financiele_bijdrage_woningvoorraad", f, s), "bedrag mag niet negatief zijn", v, ">= 0"))
            if wv.grondwaarde is not None and wv.woz is not None:
                errs.append(error(("financiele_bijdrage_woningvoorraad",), "geef grondwaarde óf woz, niet allebei", None, "grondwaarde of woz"))
        if self.tijdvak == "zonder":
            if self.kostenplafond is None:
                errs.append(error(("kostenplafond",), "kostenverhaal zonder tijdvak vraagt een kostenplafond", None, "bedrag >= 0"))
            elif self.kostenplafond < 0:
                errs.append(error(("kostenplafond",), "kostenplafond mag niet negatief zijn", self.kostenplafond, ">= 0"))
            if not self.kavels:
                errs.append(error(("kavels",), "kostenverhaal zonder tijdvak vraagt ten minste één kavel", None, "lijst van kavels met waarde_voor en waarde_na"))
            given = [k.aandeel is not None for k in self.kavels]
            if any(given) and not all(given):
                errs.append(error(("kavels",), "geef het aandeel voor alle kavels of voor geen enkele", None, "alle kavels 'aandeel', of alle 'oppervlakte_m2'"))
            if self.kavels and not any(given) and any(k.oppervlakte_m2 is None for k in self.kavels):
                errs.append(error(("kavels",), "zonder aandeel is oppervlakte_m2 per kavel nodig (verdeling naar rato)", None, "oppervlakte_m2 > 0"))
            for i, k in enumerate(self.kavels):
                for f in ("waarde_voor", "waarde_na", "aandeel", "oppervlakte_m2"):
                    v = getattr(k, f)
                    if v is not None and v < 0:
                        errs.append(error(("kavels", i, f), "waarde mag niet negatief zijn", v, ">= 0"))
            if all(given) and self.kavels:
                total = sum(k.aandeel for k in self.kavels)  # type: ignore[misc]
                if abs(total - 1.0) > 1e-9:
                    errs.append(error(("kavels",), "aandelen van de kavels tellen niet op tot 100%", round(total, 6), "som van aandeel = 1"))
        elif self.kavels or self.kostenplafond is not None:
            errs.append(error(("tijdvak",), "kavels en kostenplafond horen bij kostenverhaal zonder tijdvak", self.tijdvak, "tijdvak: zonder"))
        return errs


def _check_zonder_tijdvak(code: str, path: tuple) -> list[InputError]:
    if is_alleen_met_tijdvak(code):
        return [error(path + ("kostensoort",), f"kostensoort {code} mag alleen bij kostenverhaal met tijdvak (Ob bijlage IV, onderdeel B)", code, "A1–A14 bij kostenverhaal zonder tijdvak")]
    if not code.startswith("A"):
        return [error(path + ("kostensoort",), f"kostensoort {code} hoort niet bij de Omgevingswet-lijst; zonder tijdvak alleen A-codes", code, "A1–A14")]
    return []
