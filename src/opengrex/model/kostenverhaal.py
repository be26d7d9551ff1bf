"""Input model of a kostenverhaal case (one bouwplan): pydantic v2, strict, and its compile step to engine arrays.

A case names the parameterset and peildatum it is computed under, the gebied, the programme, per party
(initiatiefnemer, gemeente) the costs per kostensoort, opbrengsten and subsidies (as totals, or taken from a grex
file), the bovenwijkse voorzieningen with their PTP share, and the two financiële bijdragen. See
``examples/kostenverhaal/`` for the file format and ``shared/spec/kostenverhaal.md`` for the rules.

Amounts are entered as positive euros. A party given as a ``grex`` takes its costs per kostensoort, opbrengsten
and subsidies/bijdragen from that grondexploitatie, as **contante waarde at the grex's NCW-datum** by default
(``basis: contante_waarde``; the exploitatieplan method discounts costs and revenues to one date, and the
eindafrekening discounts to the payment date the same way). ``basis: nominaal`` or ``basis: prijspeil`` may be
chosen instead; the result states which basis was used.

Validation in three steps: the types (pydantic), :meth:`Case.check` (needs nothing else), and
:meth:`Case.check_parameters` (needs the parameterset in force at the peildatum). :meth:`Case.compile` then turns
the validated case into :class:`opengrex.engine.kostenverhaal.CasePosten`; documents the case refers to (a grex, a
bijdrage input) are resolved by the service first and passed in as lines and rates.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import PrivateAttr

from opengrex.codes import get_kostensoort, groep, is_alleen_met_tijdvak
from opengrex.codes.segmenten import SEGMENTEN, Segment
from opengrex.engine.kostenverhaal import PARTIJEN, POSTEN, CasePosten
from opengrex.errors import InputError
from opengrex.model.base import Embeds, StrictModel, error, veld
from opengrex.model.bijdrage import BijdrageInvoer
from opengrex.model.grex import Grex
from opengrex.parameters import ParameterSet

__all__ = [
    "SEGMENTEN", "BedragRegel", "Bouwprogramma", "BovenwijkseVoorziening", "Case", "FysiekeLeefomgeving",
    "FysiekTarieven", "GrexBron", "Kavel", "KostenRegel", "Partij", "Regel", "Woningvoorraad",
]


class KostenRegel(StrictModel):
    """One cost line: kostensoort (Ob bijlage IV / Bro 6.2.3–6.2.5), description and amount [EUR]."""

    kostensoort: str = veld(label="Kostensoort", help="Code uit Ob bijlage IV (A1–A14, B1–B4) of Bro 6.2.3–6.2.5")
    omschrijving: str | None = veld(None, label="Omschrijving")
    bedrag: float = veld(label="Bedrag", eenheid="EUR")


class BedragRegel(StrictModel):
    """One opbrengst or subsidie/bijdrage: description and amount [EUR]."""

    omschrijving: str = veld(label="Omschrijving")
    bedrag: float = veld(label="Bedrag", eenheid="EUR")


class GrexBron(StrictModel):
    """A grex (file path, relative to the case file, or an inline grex document) and the basis of its amounts."""

    bestand: str | None = veld(None, label="Grex-bestand", help="Pad naar een grex (YAML/JSON/xlsx), relatief aan het geval")
    inline: Annotated[dict[str, Any] | None, Embeds(Grex)] = veld(None, label="Ingebedde grex", help="Een grex-document in het geval zelf")
    basis: Literal["contante_waarde", "nominaal", "prijspeil"] = veld(
        "contante_waarde", label="Basis van de bedragen", help="contante_waarde (op de NCW-datum van de grex), nominaal of prijspeil")


class Partij(StrictModel):
    """The costs, opbrengsten and subsidies of one party (initiatiefnemer or gemeente) within the plan area."""

    kosten: list[KostenRegel] = veld(label="Kosten per kostensoort", default_factory=list)
    opbrengsten: list[BedragRegel] = veld(label="Opbrengsten", default_factory=list)
    subsidies: list[BedragRegel] = veld(label="Subsidies en bijdrages", default_factory=list)
    grex: GrexBron | None = veld(None, label="Of: bedragen uit een grex")

    def regels(self) -> list[Regel]:
        """The party's lines as entered (kostensoort codes canonical, descriptions filled from the list)."""
        out = []
        for k in self.kosten:
            ks = get_kostensoort(k.kostensoort)
            out.append(Regel("kosten", ks.code, k.omschrijving or ks.kort, float(k.bedrag)))
        out += [Regel("opbrengsten", None, r.omschrijving, float(r.bedrag)) for r in self.opbrengsten]
        out += [Regel("subsidies", None, r.omschrijving, float(r.bedrag)) for r in self.subsidies]
        return out


class Bouwprogramma(StrictModel):
    """Bouwprogramma: homes per segment and other functions [m² bvo per function]."""

    woningen: dict[Segment, int] = veld(label="Woningen per segment", eenheid="woningen", default_factory=dict)
    overig_m2: dict[str, float] = veld(label="Overige functies", eenheid="m² bvo", default_factory=dict)

    def homes(self) -> dict[str, int]:
        return {s: int(self.woningen.get(s, 0)) for s in SEGMENTEN}


class BovenwijkseVoorziening(StrictModel):
    """Gebiedsoverstijgende (bovenwijkse) voorziening: total investment and this plan's PTP share.

    The share (profijt, toerekenbaarheid, proportionaliteit) is ``aandeel`` (a fraction < 1), or derived as
    ``woningen_plan / woningen_totaal`` (``woningen_plan`` defaults to all homes of the programme)."""

    naam: str = veld(label="Voorziening")
    bedrag: float = veld(label="Investering", eenheid="EUR")
    kostensoort: str | None = veld(None, label="Kostensoort")
    aandeel: float | None = veld(None, label="PTP-aandeel", eenheid="%", help="Fractie < 1; of laat afleiden uit woningen")
    woningen_plan: int | None = veld(None, label="Woningen van dit plan", eenheid="woningen", help="Standaard: alle woningen van het programma")
    woningen_totaal: int | None = veld(None, label="Woningen met profijt", eenheid="woningen")


class FysiekeLeefomgeving(StrictModel):
    """Financiële bijdrage ter verbetering van de fysieke leefomgeving (§4.1): an amount, or rates per home per
    segment for the areas that contain the plan (total = Σ areas Σ segments rate × homes)."""

    bedrag: float | None = veld(None, label="Bedrag", eenheid="EUR")
    tarieven: dict[str, dict[Segment, float]] | None = veld(None, label="Tarieven per gebied en segment", eenheid="EUR per woning")
    berekening: Annotated[str | dict[str, Any] | None, Embeds(BijdrageInvoer)] = veld(None, label="Berekening in zes stappen", help="Bijdrage-invoer (pad of ingebed) voor §4.1")
    """Path (relative to the case file) of a bijdrage input (``opengrex kostenverhaal bijdrage``), or that input
    inline as a document: the rates are then computed by the six steps of §4.1 (:mod:`opengrex.services.bijdrage`)."""


class Woningvoorraad(StrictModel):
    """Financiële bijdrage ter realisatie van een evenwichtige samenstelling van de woningvoorraad (§4.2).

    Grondwaarde per home per segment, given (``grondwaarde``), or from average WOZ values
    (``woz``: grondwaarde = WOZ / (1 + btw) × grondquote); without either, the parameterset's
    ``gemiddelde_woz`` is used."""

    grondwaarde: dict[Segment, float] | None = veld(None, label="Grondwaarde per woning", eenheid="EUR")
    woz: dict[Segment, float] | None = veld(None, label="Gemiddelde WOZ-waarde", eenheid="EUR")


class Kavel(StrictModel):
    """A kavel in kostenverhaal zonder tijdvak: its value before/after [EUR] and its part of the costs, as a
    fraction (``aandeel``), as an amount in euros (``bedrag``; the share is bedrag / Σ bedragen) or pro rata its
    area (``oppervlakte_m2``)."""

    naam: str = veld(label="Kavel")
    waarde_voor: float = veld(label="Waarde vóór de activiteit", eenheid="EUR")
    waarde_na: float = veld(label="Waarde na de activiteit", eenheid="EUR")
    aandeel: float | None = veld(None, label="Aandeel in de kosten", eenheid="%")
    bedrag: float | None = veld(None, label="Kosten voor deze kavel", eenheid="EUR",
                                help="Deel van de te verhalen kosten in euro's; de bedragen van alle kavels tellen op tot de te verhalen kosten")
    oppervlakte_m2: float | None = veld(None, label="Oppervlakte", eenheid="m²")


@dataclass(frozen=True)
class Regel:
    """One line of a party as the compile step takes it: ``post`` in :data:`POSTEN`, amount [EUR, positive]."""

    post: str
    kostensoort: str | None
    omschrijving: str
    bedrag: float


@dataclass(frozen=True)
class FysiekTarieven:
    """Rates per home per segment of every area containing the plan (innermost first) [EUR per woning (A, S)]."""

    gebieden: tuple[str, ...]
    tarief: np.ndarray


class Case(StrictModel):
    """Kostenverhaal case: one bouwplan under one parameterset (naam + peildatum)."""

    naam: str = veld(label="Naam", min_length=1)
    omschrijving: str | None = veld(None, label="Omschrijving")
    parameterset: str = veld("soest", label="Parameterset", help="Naam van de parameterset kostenverhaal")
    peildatum: dt.date = veld(label="Peildatum", help="De versie van de parameterset die op deze datum gold")
    gebied: str = veld(label="Gebied", help="Kostenverhaalsgebied waarin het plan ligt (naam of code)")
    tijdvak: Literal["met", "zonder"] = veld("met", label="Kostenverhaal met of zonder tijdvak")
    programma: Bouwprogramma = veld(label="Bouwprogramma", default_factory=Bouwprogramma)
    initiatiefnemer: Partij = veld(label="Initiatiefnemer", default_factory=Partij)
    gemeente: Partij = veld(label="Gemeente", default_factory=Partij)
    bovenwijkse_voorzieningen: list[BovenwijkseVoorziening] = veld(label="Bovenwijkse voorzieningen", default_factory=list)
    financiele_bijdrage_fysieke_leefomgeving: FysiekeLeefomgeving | None = veld(None, label="Financiële bijdrage fysieke leefomgeving")
    financiele_bijdrage_woningvoorraad: Woningvoorraad | None = veld(None, label="Financiële bijdrage evenwichtige woningvoorraad")
    kostenplafond: float | None = veld(None, label="Kostenplafond", eenheid="EUR", help="Alleen bij kostenverhaal zonder tijdvak")
    kavels: list[Kavel] = veld(label="Kavels", default_factory=list, help="Alleen bij kostenverhaal zonder tijdvak")
    _base_dir: Path = PrivateAttr(default_factory=lambda: Path("."))
    """Folder that relative grex paths are resolved against (the case file's folder)."""

    def as_data(self) -> dict[str, Any]:
        """The case as plain data with its Dutch document keys (what a YAML/JSON file holds)."""
        return self.model_dump(mode="json", exclude_none=True)

    def check(self) -> list[InputError]:
        """Domain checks that need no parameterset (those that do: :meth:`check_parameters`)."""
        errs: list[InputError] = []
        for s, n in self.programma.woningen.items():
            if n < 0:
                errs.append(error(("programma", "woningen", s), "aantal woningen mag niet negatief zijn", n, ">= 0"))
        for f, m2 in self.programma.overig_m2.items():
            if m2 < 0:
                errs.append(error(("programma", "overig_m2", f), "oppervlakte mag niet negatief zijn", m2, ">= 0"))
        for party in PARTIJEN:
            errs += self._check_party(party)
        errs += self._check_bovenwijks()
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
            errs += self._check_zonder()
        elif self.kavels or self.kostenplafond is not None:
            errs.append(error(("tijdvak",), "kavels en kostenplafond horen bij kostenverhaal zonder tijdvak", self.tijdvak, "tijdvak: zonder"))
        return errs

    def _check_party(self, party: str) -> list[InputError]:
        errs: list[InputError] = []
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
                errs.extend(check_zonder_tijdvak(code, path))
        for sec in ("opbrengsten", "subsidies"):
            for i, r in enumerate(getattr(p, sec)):
                if r.bedrag < 0:
                    errs.append(error((party, sec, i, "bedrag"), "bedrag mag niet negatief zijn", r.bedrag, ">= 0"))
        return errs

    def _check_bovenwijks(self) -> list[InputError]:
        errs: list[InputError] = []
        for i, b in enumerate(self.bovenwijkse_voorzieningen):
            path = ("bovenwijkse_voorzieningen", i)
            if b.bedrag < 0:
                errs.append(error(path + ("bedrag",), "bedrag mag niet negatief zijn", b.bedrag, ">= 0"))
            if b.kostensoort is not None:
                try:
                    code = get_kostensoort(b.kostensoort).code
                    if self.tijdvak == "zonder":
                        errs.extend(check_zonder_tijdvak(code, path))
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
            if b.woningen_totaal is not None:
                plan = b.woningen_plan if b.woningen_plan is not None else sum(self.programma.homes().values())
                if b.woningen_totaal <= 0 or plan >= b.woningen_totaal:
                    errs.append(error(path + ("woningen_totaal",), "afgeleid PTP-aandeel moet kleiner zijn dan 100% (anders is de voorziening gebiedseigen)", f"{plan}/{b.woningen_totaal}", "woningen_totaal groter dan de woningen van dit plan"))
        return errs

    def _check_zonder(self) -> list[InputError]:
        errs: list[InputError] = []
        if self.kostenplafond is None:
            errs.append(error(("kostenplafond",), "kostenverhaal zonder tijdvak vraagt een kostenplafond", None, "bedrag >= 0"))
        elif self.kostenplafond < 0:
            errs.append(error(("kostenplafond",), "kostenplafond mag niet negatief zijn", self.kostenplafond, ">= 0"))
        if not self.kavels:
            errs.append(error(("kavels",), "kostenverhaal zonder tijdvak vraagt ten minste één kavel", None, "lijst van kavels met waarde_voor en waarde_na"))
        met_aandeel = [k.aandeel is not None for k in self.kavels]
        met_bedrag = [k.bedrag is not None for k in self.kavels]
        if any(met_aandeel) and not all(met_aandeel):
            errs.append(error(("kavels",), "geef het aandeel voor alle kavels of voor geen enkele", None, "alle kavels 'aandeel', 'bedrag' of 'oppervlakte_m2'"))
        if any(met_bedrag) and not all(met_bedrag):
            errs.append(error(("kavels",), "geef het bedrag voor alle kavels of voor geen enkele", None, "alle kavels 'aandeel', 'bedrag' of 'oppervlakte_m2'"))
        for i, k in enumerate(self.kavels):
            if k.aandeel is not None and k.bedrag is not None:
                errs.append(error(("kavels", i), "geef per kavel óf een aandeel óf een bedrag, niet allebei", None, "aandeel (fractie) of bedrag (euro's)"))
        if self.kavels and not any(met_aandeel) and not any(met_bedrag) and any(k.oppervlakte_m2 is None for k in self.kavels):
            errs.append(error(("kavels",), "zonder aandeel of bedrag is oppervlakte_m2 per kavel nodig (verdeling naar rato)", None, "aandeel (fractie), bedrag (euro's) of oppervlakte_m2 > 0 per kavel"))
        for i, k in enumerate(self.kavels):
            for f in ("waarde_voor", "waarde_na", "aandeel", "bedrag", "oppervlakte_m2"):
                v = getattr(k, f)
                if v is not None and v < 0:
                    errs.append(error(("kavels", i, f), "waarde mag niet negatief zijn", v, ">= 0"))
        if all(met_aandeel) and self.kavels:
            total = sum(k.aandeel for k in self.kavels if k.aandeel is not None)
            if abs(total - 1.0) > 1e-9:
                errs.append(error(("kavels",), "aandelen van de kavels tellen niet op tot 100%", round(total, 6), "som van aandeel = 1"))
        if all(met_bedrag) and self.kavels and not any(met_aandeel) and sum(k.bedrag or 0.0 for k in self.kavels) <= 0:
            errs.append(error(("kavels",), "de bedragen van de kavels tellen op tot 0", 0.0, "bedragen >= 0 met een som > 0"))
        return errs

    # ------------------------------------------------------------------------------------ with the parameterset
    def check_parameters(self, ps: ParameterSet) -> list[InputError]:
        """Checks that need the parameterset: the area is known, rates are for areas that contain the plan, a norm
        exists when the woningvoorraad bijdrage is asked, grondwaarde can be derived."""
        errs: list[InputError] = []
        if not self.gebied.strip():
            return [error(("gebied",), "het plan ligt in geen gebied", self.gebied, ", ".join(a.naam for a in ps.areas()))]
        try:
            containing = ps.areas_containing(self.gebied)
        except InputError as exc:
            return [error(("gebied",), exc.message, exc.value, exc.allowed)]
        fb = self.financiele_bijdrage_fysieke_leefomgeving
        codes = {a.code for a in containing}
        for area in (fb.tarieven or {}) if fb else {}:
            try:
                a = ps.area(area)
            except InputError as exc:
                errs.append(error(("financiele_bijdrage_fysieke_leefomgeving", "tarieven", area), exc.message, area, exc.allowed))
                continue
            if a.code not in codes:
                errs.append(error(("financiele_bijdrage_fysieke_leefomgeving", "tarieven", area), f"het plan ligt niet in gebied '{a.naam}'", area, ", ".join(x.naam for x in containing)))
        wv = self.financiele_bijdrage_woningvoorraad
        if wv is not None:
            if ps.norm_for(self.gebied) is None:
                errs.append(error(("financiele_bijdrage_woningvoorraad",), f"geen doelgroepen norm voor gebied '{self.gebied}' in parameterset {ps.label}", self.gebied, ", ".join(ps.doelgroepen_norm)))
            src = wv.grondwaarde or wv.woz
            if src is None and ps.gemiddelde_woz is None:
                errs.append(error(("financiele_bijdrage_woningvoorraad",), "grondwaarde of woz per segment ontbreekt (en de parameterset heeft geen gemiddelde_woz)", None, "grondwaarde: {" + ", ".join(SEGMENTEN) + "} of woz: {" + ", ".join(SEGMENTEN) + "}"))
            elif src is not None and set(src) != set(SEGMENTEN):
                f = "grondwaarde" if wv.grondwaarde else "woz"
                errs.append(error(("financiele_bijdrage_woningvoorraad", f), "geef een waarde voor elk segment", sorted(src), ", ".join(SEGMENTEN)))
        return errs

    def tarieven_per_gebied(self, ps: ParameterSet) -> FysiekTarieven | None:
        """The rates given per area (``tarieven``), one row per area containing the plan (innermost first; areas
        without rates get zeros) [EUR per woning]; None when the bijdrage is not given as rates."""
        fb = self.financiele_bijdrage_fysieke_leefomgeving
        if fb is None or not fb.tarieven:
            return None
        containing = ps.areas_containing(self.gebied)
        codes = [a.code for a in containing]
        rates = np.zeros((len(containing), len(SEGMENTEN)))
        for area_key, r in fb.tarieven.items():
            ai = codes.index(ps.area(area_key).code)
            rates[ai] += [float(r.get(s, 0.0)) for s in SEGMENTEN]
        return FysiekTarieven(tuple(a.naam for a in containing), rates)

    def compile(self, ps: ParameterSet, regels: dict[str, list[Regel]], fysiek: FysiekTarieven | None = None) -> CasePosten:
        """Validated case → :class:`~opengrex.engine.kostenverhaal.CasePosten` (a batch of one).

        ``regels``: the lines of each party (:meth:`Partij.regels`, or taken from its grex by the service);
        ``fysiek``: the rates of the areas containing the plan (:meth:`tarieven_per_gebied`, or from the six steps
        of §4.1) when the fysieke leefomgeving bijdrage is not a given amount."""
        planschade = groep("planschade")
        lines = [(pi, r) for pi, party in enumerate(PARTIJEN) for r in regels[party]]
        homes = self.programma.homes()
        woningen = np.array([homes[s] for s in SEGMENTEN], dtype=np.float64)
        bw = self.bovenwijkse_voorzieningen
        fb = self.financiele_bijdrage_fysieke_leefomgeving
        nan = float("nan")
        wv_on, norm_aandeel, groep_mat, gegeven, woz, gq = self._woningvoorraad(ps)
        kv = self.kavels if self.tijdvak == "zonder" else []
        kf = lambda name: [nan if getattr(k, name) is None else float(getattr(k, name)) for k in kv] or [nan]  # noqa: E731
        one = lambda x: np.asarray(x, dtype=np.float64)[None]  # noqa: E731  (a batch of one case: leading axis N = 1)
        return CasePosten(
            bedrag=one([r.bedrag for _, r in lines]),
            partij=np.array([pi for pi, _ in lines], dtype=np.intp),
            post=np.array([POSTEN.index(r.post) for _, r in lines], dtype=np.intp),
            planschade=np.array([r.post == "kosten" and r.kostensoort in planschade for _, r in lines], dtype=bool),
            bw_investering=one([float(b.bedrag) for b in bw]),
            bw_aandeel=one([nan if b.aandeel is None else float(b.aandeel) for b in bw]),
            bw_woningen_plan=one([float(b.woningen_plan if b.woningen_plan is not None else woningen.sum()) for b in bw]),
            bw_woningen_totaal=one([float(b.woningen_totaal or 0) for b in bw]),
            woningen=one(woningen),
            fysiek_bedrag=one(float(fb.bedrag) if fb is not None and fb.bedrag is not None else (nan if fysiek is not None else 0.0)),
            fysiek_tarief=one(fysiek.tarief if fysiek is not None else np.zeros((1, len(SEGMENTEN)))),
            wv_toegepast=np.array([wv_on]),
            norm_aandeel=one(norm_aandeel),
            groep=groep_mat,
            grondwaarde_gegeven=one(gegeven),
            woz=one(woz),
            grondquote=one(gq),
            btw=one(float(ps.value_of("btw"))),
            zonder=np.array([self.tijdvak == "zonder"]),
            kostenplafond=one(float(self.kostenplafond) if self.kostenplafond is not None and self.tijdvak == "zonder" else np.inf),
            kavel_aandeel=one(kf("aandeel")),
            kavel_bedrag=one(kf("bedrag")),
            kavel_oppervlakte=one(kf("oppervlakte_m2")),
            kavel_waarde_voor=one([float(k.waarde_voor) for k in kv] or [0.0]),
            kavel_waarde_na=one([float(k.waarde_na) for k in kv] or [0.0]),
        )

    def _woningvoorraad(self, ps: ParameterSet) -> tuple[bool, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Norm groups, shares and grondwaarde sources for §4.2 (one group of every segment when not asked)."""
        nan = np.full(len(SEGMENTEN), np.nan)
        gq = np.array([ps.grondquotes()[s] for s in SEGMENTEN])
        wv = self.financiele_bijdrage_woningvoorraad
        norm = ps.norm_for(self.gebied) if wv is not None else None
        if wv is None or norm is None:
            return False, np.array([1.0]), np.ones((1, len(SEGMENTEN)), dtype=bool), np.zeros(len(SEGMENTEN)), nan, gq
        groups = norm[1]
        groep_mat = np.array([[s in g.segmenten for s in SEGMENTEN] for g in groups], dtype=bool)
        if wv.grondwaarde is not None:
            return True, np.array([g.aandeel for g in groups]), groep_mat, np.array([float(wv.grondwaarde[s]) for s in SEGMENTEN]), nan, gq
        woz_src = wv.woz if wv.woz is not None else {s: ps.gemiddelde_woz[s].value for s in SEGMENTEN} if ps.gemiddelde_woz else {}
        woz = np.array([float(woz_src[s]) for s in SEGMENTEN])
        return True, np.array([g.aandeel for g in groups]), groep_mat, nan, woz, gq


def check_zonder_tijdvak(code: str, path: tuple[Any, ...]) -> list[InputError]:
    """Kostenverhaal zonder tijdvak recovers only A-codes (Ob bijlage IV onder A; art. 8.18 Ob)."""
    if is_alleen_met_tijdvak(code):
        return [error(path + ("kostensoort",), f"kostensoort {code} mag alleen bij kostenverhaal met tijdvak (Ob bijlage IV, onderdeel B)", code, "A1–A14 bij kostenverhaal zonder tijdvak")]
    if not code.startswith("A"):
        return [error(path + ("kostensoort",), f"kostensoort {code} hoort niet bij de Omgevingswet-lijst; zonder tijdvak alleen A-codes", code, "A1–A14")]
    return []


_check_zonder_tijdvak = check_zonder_tijdvak  # old private name (io/xlsx_case, services)
