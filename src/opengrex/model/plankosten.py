"""Input model of a plankostenscan: one kostenverhaalsgebied described as the Omgevingsregeling asks (hoofdstuk 13,
bijlage XXXIV met tijdvak / XXXIVa zonder tijdvak), compiled into the arrays of :mod:`opengrex.engine.plankosten`.

The plan names its peildatum (which selects the version of the tables in force) or an explicit ``versie``, the
annex (``tijdvak: met|zonder``), the area, the indicators of the complexity factors (ligging, herstructurering,
bekrachtigingsprocedures, onderzoeken, programme per function) and the products chosen, each with the quantities
tabel 1 counts (percelen, aankopen, procedures, m² openbare ruimte, m³ sloop/ophogen, looptijd, ...).

Checks that need no tables are pydantic constraints (negative numbers, unknown keys, wrong types). Checks against
the version in force (unknown product code for that annex, a product without its quantities, 32 weeks without
bodemsanering, ...) are :func:`check_against`, run by the service before anything is computed.
"""
from __future__ import annotations

import datetime as dt
from typing import Literal

import numpy as np

from opengrex.engine.plankosten import FUNCTIES, INVOER, LIGGING, ONDERZOEKEN, PlanArrays, Tabellen
from opengrex.errors import InputError
from opengrex.model.base import StrictModel, error, veld
from opengrex.parameters.plankosten import PlankostenParameters

Ligging = Literal["uitleglocatie", "uitbreidingslocatie", "inbreidingslocatie", "binnenstedelijke_locatie", "historische_locatie"]
Onderzoek = Literal["mer", "luchtkwaliteit", "archeologie", "bodemsanering"]

LIGGING_HELP = (
    "Tabel 5 (2026: tabel 4), indicator I. uitleglocatie: buiten de bebouwde kom, ten minste 70% onbebouwd; "
    "uitbreidingslocatie: buiten de bebouwde kom, minder dan 70% onbebouwd; inbreidingslocatie: binnen de bebouwde kom, "
    "ten minste 70% onbebouwd; binnenstedelijke_locatie: binnen de bebouwde kom, minder dan 70% onbebouwd; "
    "historische_locatie: meer dan 10% monumenten of archeologische monumenten, of samen met ander beschermd cultureel "
    "erfgoed meer dan 50% van de grondoppervlakte."
)


class Kostenverhaalsgebied(StrictModel):
    """The kostenverhaalsgebied: its size and how much of it is uitgeefbaar."""

    oppervlakte_ha: float = veld(label="Oppervlakte kostenverhaalsgebied", eenheid="ha", ge=0,
                                 help="Bepaalt de uren van tabel 2, het scenario (XXXIVa 1.1), de deelgebieden en het rioleringsplan.")
    uitgeefbaar_ha: float = veld(label="Uitgeefbare grond", eenheid="ha", ge=0,
                                 help="Het niet-uitgeefbare deel (oppervlakte − uitgeefbaar) is het openbaar gebied van tabel 8.")
    oppervlakte_besluit_ha: float | None = veld(None, label="Oppervlakte van het gehele gebied van het besluit", eenheid="ha", ge=0,
                                                help="Alleen als het omgevingsplan of projectbesluit een groter gebied beslaat: de kosten van 1.1a/1.1b "
                                                     "(XXXIVa: 1.1/1.2) worden dan naar evenredigheid van de oppervlakte toegerekend (art. 13.4).")

    @property
    def niet_uitgeefbaar_ha(self) -> float:
        """Openbaar gebied: oppervlakte − uitgeefbare grond [ha]."""
        return max(self.oppervlakte_ha - self.uitgeefbaar_ha, 0.0)


class Functie(StrictModel):
    """A non-residential function of the programme."""

    bvo_m2: float = veld(0.0, label="Bruto vloeroppervlakte", eenheid="m²", ge=0)
    uitgeefbaar_m2: float = veld(0.0, label="Uitgeefbare grond", eenheid="m²", ge=0,
                                 help="De grond waarop de functie wordt gebouwd.")


class Programma(StrictModel):
    """The bouwprogramma per function (Besluit bouwwerken leefomgeving, bijlage I)."""

    woningen: int = veld(0, label="Woningen (woonfuncties)", eenheid="woningen", ge=0)
    gebouwen_met_woonfunctie: int | None = veld(None, label="Gebouwen met een woonfunctie", eenheid="gebouwen", ge=0,
                                                help="Versie 1 januari 2024 rekent 'per gebouw met een woonfunctie' (een appartementengebouw is één "
                                                     "gebouw); leeg = het aantal woningen. Latere versies rekenen per woonfunctie.")
    bedrijvigheid: Functie = veld(default_factory=Functie, label="Bedrijvigheid (industriefunctie)")
    commercieel: Functie = veld(default_factory=Functie, label="Bijeenkomst-, kantoor-, logies-, sport- en winkelfunctie")
    maatschappelijk: Functie = veld(default_factory=Functie, label="Cel-, gezondheidszorg- en onderwijsfunctie")


class Taxatie(StrictModel):
    """2.1 Taxatie inbrengwaarde percelen."""

    methode: Literal["onafhankelijk", "woz"] = veld(label="Taxatie via", help="onafhankelijke taxatie of via de Wet WOZ")
    percelen_onbebouwd: int = veld(0, label="Onbebouwde percelen", eenheid="percelen", ge=0)
    percelen_bebouwd: int = veld(0, label="Bebouwde percelen", eenheid="percelen", ge=0)
    hertaxaties: int | None = veld(None, label="Hertaxaties", eenheid="keer", ge=0,
                                   help="Leeg: één maal per 5 jaar looptijd na de eerste taxatie (uitgangspunt van tabel 1, rij 2.1).")


class Aankopen(StrictModel):
    """2.2 Taxatie en aankopen onroerende zaken."""

    onbebouwde_percelen: int = veld(0, label="Onbebouwde percelen", ge=0)
    woningen: int = veld(0, label="Gebouwen met een woonfunctie", ge=0)
    huur_pachtovereenkomsten: int = veld(0, label="Te ontbinden huur- of pachtovereenkomsten", ge=0)
    bedrijfsgebouwen: int = veld(0, label="Gebouwen met een industrie-, winkel- of kantoorfunctie", ge=0)
    bijzondere_objecten: int = veld(0, label="Bijzondere objecten", ge=0)
    bedrijfsgebouwen_herstructurering: int = veld(0, label="Bedrijfsgebouwen in een herstructureringsgebied", ge=0)
    bijzondere_objecten_herstructurering: int = veld(0, label="Bijzondere objecten in een herstructureringsgebied", ge=0)


class Onteigening(StrictModel):
    """2.3 Onteigening van onroerende zaken."""

    administratieve_procedures: int = veld(0, label="Administratieve procedures (voorbereiding onteigeningsbeschikking)", ge=0)
    gerechtelijke_procedures: int = veld(0, label="Gerechtelijke procedures", ge=0)


class OpenbareRuimte(StrictModel):
    """2.5 (2026: 2.2) Inrichtingsplan openbare ruimte."""

    verharding_m2: float = veld(0.0, label="Verharding", eenheid="m²", ge=0)
    groen_water_m2: float = veld(0.0, label="Groenvoorzieningen en water", eenheid="m²", ge=0)


class Slopen(StrictModel):
    """2.6a (2026: 2.3a) Slopen."""

    bestekken: float = veld(label="Bestekken", eenheid="bestekken", ge=0, help="Het bevoegd gezag bepaalt hoeveel bestekken nodig zijn.")
    m3: float = veld(label="Te slopen vastgoed", eenheid="m³", ge=0, help="Uitvoeringstijd: 8 uur per 300 m³, 40 uur per week.")
    aandeel_agrarisch_kassen: float = veld(0.0, label="Aandeel agrarische bedrijfsgebouwen en kassen", eenheid="%", ge=0, le=1)
    aandeel_asbest: float = veld(0.0, label="Aandeel asbestvervuiling", eenheid="%", ge=0, le=1)


class Ophogen(StrictModel):
    """2.6b/2.6c (2026: 2.3b/2.3c) Ophogen en voorbelasten."""

    oppervlakte_ha: float = veld(label="Op te hogen of voor te belasten gebied", eenheid="ha", ge=0)
    m3: float = veld(0.0, label="Op te brengen of te verwijderen grond", eenheid="m³", ge=0,
                     help="Aanbreng- en verwijdertijd: 1/5.000 van het aantal m³ in weken.")
    zettingsjaren: float = veld(0.0, label="Jaren tot de eindzetting (monitoren)", eenheid="jaar", ge=0)
    deelgebieden: int = veld(1, label="Kostenverhaalsdeelgebieden voor ophogen", ge=1,
                             help="Tabel 7: bij deelgebieden geldt de gemiddelde grootte; één bestek en rapportage per deelgebied.")


class BouwEnWoonrijp(StrictModel):
    """2.6d (XXXIVa 2.6c; 2026: 2.3d/2.3c) Bouw- en woonrijp maken."""

    weken_per_bestek: float | None = veld(None, label="Uitvoeringstijd per bestek", eenheid="weken", ge=0,
                                          help="24 weken; met bodemsanering ten hoogste 32 weken (leeg: 24). Niet in de versie van 2026 (tabel 15).")


class Aanbesteding(StrictModel):
    """Tabel 6 (2026: tabel 5): verrekenfactor aanbestedingsvorm."""

    vorm: Literal["openbaar", "europees"] = veld("openbaar", label="Aanbestedingsvorm")
    aantal: int = veld(1, label="Aantal aanbestedingen", ge=1)


class Looptijd(StrictModel):
    """2.7 (2026: 2.4) Looptijd van het project."""

    jaren_na_vaststelling: float = veld(label="Looptijd na vaststelling van het besluit", eenheid="jaar", ge=0,
                                        help="Bij kostenverhaal met tijdvak meestal het tijdvak; de historische looptijd (2–4 jaar, art. 13.3) wordt opgeteld.")


class Scenario(StrictModel):
    """XXXIVa 1.1 Scenario ten behoeve van het kostenplafond."""

    stedenbouwkundig_plan_beschikbaar: bool = veld(label="Stedenbouwkundig plan beschikbaar")


SECTIES: dict[str, str] = {
    "taxatie": "taxatie", "aankopen": "aankopen", "onteigening": "onteigening", "openbare_ruimte": "openbare_ruimte",
    "slopen": "slopen", "ophogen": "ophogen", "bouw_en_woonrijp": "bouw_en_woonrijp", "looptijd": "looptijd", "scenario": "scenario",
}
"""Input sections a product of tabel 1 may require (``invoer`` in the parameter file) -> field of the plan."""


class PlankostenPlan(StrictModel):
    """A plankostenscan: one kostenverhaalsgebied, the products chosen and their quantities."""

    naam: str = veld(label="Naam", min_length=1)
    omschrijving: str | None = veld(None, label="Omschrijving")
    peildatum: dt.date = veld(label="Peildatum", help="Bepaalt de versie van de tabellen (de versie die op die dag geldt).")
    versie: dt.date | None = veld(None, label="Versie van de tabellen", help="Leeg: de versie die op de peildatum geldt.")
    tijdvak: Literal["met", "zonder"] = veld(label="Kostenverhaal", help="met tijdvak: bijlage XXXIV; zonder tijdvak: bijlage XXXIVa (art. 13.2 lid 1).")
    kostenverhaalsgebied: Kostenverhaalsgebied = veld(label="Kostenverhaalsgebied")
    ligging: Ligging = veld(label="Ligging kostenverhaalsgebied", help=LIGGING_HELP)
    herstructurering: bool = veld(False, label="Herstructureringsgebied",
                                  help="Meer dan 50% van de (uitgeefbare) grond: functieverandering, sloop-nieuwbouw of ingrijpende renovatie, met gewijzigde verkaveling en openbare ruimte.")
    aandeel_openbaar_gebied_herverkaveld: float | None = veld(None, label="Aandeel bestaand openbaar gebied dat wordt herverkaveld", eenheid="%", ge=0, le=1,
                                                              help="Versie 2026, invloedsfactor II (herstructurering of transformatie).")
    bekrachtigingsprocedures: int = veld(0, label="Bekrachtigingsprocedures onteigeningsbeschikking", ge=0)
    onderzoeken: list[Onderzoek] = veld(default_factory=list, label="Onderzoeken",
                                        help="mer (milieueffectrapportage), luchtkwaliteit, archeologie (nader archeologisch onderzoek), bodemsanering.")
    programma: Programma = veld(default_factory=Programma, label="Bouwprogramma")
    producten: list[str] = veld(label="Producten en activiteiten", help="Nummers uit tabel 1 van de bijlage, bijv. 1.1a, 1.2, 2.1, 2.6d, 2.7.")
    kleine_bouwactiviteit: Literal["a", "b", "c"] | None = veld(None, label="Kleine bouwactiviteit (art. 13.5)",
                                                               help="a: kassen ≤ 3.000 m²; b: één woning e.d.; c: kassen 10.000–30.000 m². Dan geldt een vast bedrag plus de civieltechnische producten.")
    taxatie: Taxatie | None = veld(None, label="Taxatie inbrengwaarde")
    aankopen: Aankopen | None = veld(None, label="Taxatie en aankopen")
    onteigening: Onteigening | None = veld(None, label="Onteigening")
    openbare_ruimte: OpenbareRuimte | None = veld(None, label="Inrichtingsplan openbare ruimte")
    slopen: Slopen | None = veld(None, label="Slopen")
    ophogen: Ophogen | None = veld(None, label="Ophogen en voorbelasten")
    bouw_en_woonrijp: BouwEnWoonrijp | None = veld(None, label="Bouw- en woonrijp maken")
    aanbesteding: Aanbesteding = veld(default_factory=Aanbesteding, label="Aanbesteding")
    looptijd: Looptijd | None = veld(None, label="Looptijd")
    scenario: Scenario | None = veld(None, label="Scenario kostenplafond")

    @property
    def bijlage(self) -> str:
        return "XXXIV" if self.tijdvak == "met" else "XXXIVa"


class PlankostenscanBron(StrictModel):
    """The link a kostenverhaal case can hold on the gemeente's A1 plankosten line (proposal for
    ``model/kostenverhaal.py``: ``KostenRegel.plankostenscan: PlankostenscanBron | None``): the scan that caps that
    line, as a file (relative to the case file) or inline. The case then uses min(raming, maximum) and says so in the
    A5 table (:func:`opengrex.services.plankosten.toets_plankostenscan`)."""

    bestand: str | None = veld(None, label="Plankostenscan (bestand)", help="Pad naar de plankostenscan (.yaml, .json of .xlsx), relatief aan het casusbestand.")
    inline: dict | None = veld(None, label="Plankostenscan (in de casus)", help="De plankostenscan zelf, als mapping.")

    def check(self, path: tuple = ("plankostenscan",)) -> list[InputError]:
        if (self.bestand is None) == (self.inline is None):
            return [error(path, "geef precies één van 'bestand' en 'inline'", None, "plankostenscan: {bestand: scan.yaml} of {inline: {...}}")]
        return []


def check_against(plan: PlankostenPlan, params: PlankostenParameters) -> list[InputError]:
    """Domain checks against the version in force: products of the annex, required quantities, areas, weeks."""
    errs: list[InputError] = []
    bij = params.bijlage(plan.bijlage)
    allowed = ", ".join(bij.producten)
    seen: set[str] = set()
    for i, code in enumerate(plan.producten):
        if code not in bij.producten:
            errs.append(error(("producten", i), f"onbekend product voor bijlage {plan.bijlage} (versie {params.geldig_vanaf.isoformat()})", code, allowed))
            continue
        if code in seen:
            errs.append(error(("producten", i), "product staat er twee keer", code, "elk product één keer"))
        seen.add(code)
        for sectie in bij.producten[code].invoer:
            if getattr(plan, SECTIES[sectie]) is None:
                errs.append(error((SECTIES[sectie],), f"product {code} ({bij.producten[code].naam}) vraagt deze gegevens", None, f"een sectie '{SECTIES[sectie]}'"))
    g = plan.kostenverhaalsgebied
    if g.oppervlakte_ha <= 0:
        errs.append(error(("kostenverhaalsgebied", "oppervlakte_ha"), "de oppervlakte van het kostenverhaalsgebied moet groter zijn dan 0", g.oppervlakte_ha, "> 0 ha"))
    if plan.looptijd is not None and plan.looptijd.jaren_na_vaststelling <= 0:
        errs.append(error(("looptijd", "jaren_na_vaststelling"), "de looptijd moet groter zijn dan 0", plan.looptijd.jaren_na_vaststelling, "> 0 jaar"))
    if g.uitgeefbaar_ha > g.oppervlakte_ha + 1e-9:
        errs.append(error(("kostenverhaalsgebied", "uitgeefbaar_ha"), "uitgeefbare grond is groter dan het kostenverhaalsgebied", g.uitgeefbaar_ha, f"<= {g.oppervlakte_ha}"))
    if g.oppervlakte_besluit_ha is not None and g.oppervlakte_besluit_ha < g.oppervlakte_ha - 1e-9:
        errs.append(error(("kostenverhaalsgebied", "oppervlakte_besluit_ha"), "het gehele gebied is kleiner dan het kostenverhaalsgebied", g.oppervlakte_besluit_ha, f">= {g.oppervlakte_ha}"))
    if plan.kleine_bouwactiviteit is not None:
        extra = set(params.artikelen.kleine_bouwactiviteiten.uitgezonderd.get(plan.bijlage, []))  # type: ignore[call-overload]
        for i, code in enumerate(plan.producten):
            if code in bij.producten and code not in extra:
                errs.append(error(("producten", i), "bij een kleine bouwactiviteit (art. 13.5) geldt een vast bedrag; alleen de civieltechnische producten komen erbij",
                                  code, ", ".join(sorted(extra))))
    weeks = plan.bouw_en_woonrijp.weken_per_bestek if plan.bouw_en_woonrijp else None
    if weeks is not None and weeks <= 0:
        errs.append(error(("bouw_en_woonrijp", "weken_per_bestek"), "de uitvoeringstijd moet groter zijn dan 0", weeks, "> 0 weken"))
    elif weeks is not None:
        c = bij.civiel
        if c.weken_per_bestek is None:
            errs.append(error(("bouw_en_woonrijp", "weken_per_bestek"), f"versie {params.geldig_vanaf.isoformat()} leest de uitvoeringstijd uit tabel 15; laat dit veld leeg", weeks, "leeg"))
        else:
            limit = c.weken_per_bestek_bodemsanering if "bodemsanering" in plan.onderzoeken else c.weken_per_bestek
            if weeks > (limit or 0) + 1e-9:
                hint = "" if "bodemsanering" in plan.onderzoeken else f" (met bodemsanering ten hoogste {c.weken_per_bestek_bodemsanering:g})"
                errs.append(error(("bouw_en_woonrijp", "weken_per_bestek"), f"uitvoeringstijd per bestek te lang{hint}", weeks, f"<= {limit:g} weken"))
    if params.methode == "2026_07" and plan.herstructurering and plan.aandeel_openbaar_gebied_herverkaveld is None:
        errs.append(error(("aandeel_openbaar_gebied_herverkaveld",), "de versie van 2026 vraagt bij herstructurering het aandeel herverkaveld openbaar gebied (invloedsfactor II)",
                          None, "een fractie 0–1"))
    if len(set(plan.onderzoeken)) != len(plan.onderzoeken):
        errs.append(error(("onderzoeken",), "onderzoek staat er twee keer", plan.onderzoeken, ", ".join(ONDERZOEKEN)))
    return errs


def compile_plans(plans: list[PlankostenPlan], t: Tabellen) -> PlanArrays:
    """Stack a batch of plans (same version and annex) into the engine's arrays."""
    B = len(plans)
    inv = np.zeros((B, len(INVOER)))
    inv[:, INVOER.index("hertaxaties")] = np.nan
    prods = np.zeros((B, len(t.producten)), dtype=bool)
    civ_weeks = t.tabel["civiel"]["weken_per_bestek"] or 0.0

    def put(b: int, key: str, value: float) -> None:
        inv[b, INVOER.index(key)] = float(value)

    for b, p in enumerate(plans):
        for code in p.producten:
            prods[b, t.producten.index(code)] = True
        if p.taxatie is not None:
            kind = "onafhankelijk" if p.taxatie.methode == "onafhankelijk" else "woz"
            put(b, f"taxatie_{kind}_onbebouwd", p.taxatie.percelen_onbebouwd)
            put(b, f"taxatie_{kind}_bebouwd", p.taxatie.percelen_bebouwd)
            if p.taxatie.hertaxaties is not None:
                put(b, "hertaxaties", p.taxatie.hertaxaties)
        if p.aankopen is not None:
            a = p.aankopen
            for key, v in (("onbebouwd", a.onbebouwde_percelen), ("woning", a.woningen), ("huur_pacht", a.huur_pachtovereenkomsten),
                           ("bedrijfsgebouw", a.bedrijfsgebouwen), ("bijzonder_object", a.bijzondere_objecten),
                           ("bedrijfsgebouw_herstructurering", a.bedrijfsgebouwen_herstructurering),
                           ("bijzonder_object_herstructurering", a.bijzondere_objecten_herstructurering)):
                put(b, f"aankoop_{key}", v)
        if p.onteigening is not None:
            put(b, "onteigening_administratief", p.onteigening.administratieve_procedures)
            put(b, "onteigening_gerechtelijk", p.onteigening.gerechtelijke_procedures)
        if p.openbare_ruimte is not None:
            put(b, "verharding_m2", p.openbare_ruimte.verharding_m2)
            put(b, "groen_water_m2", p.openbare_ruimte.groen_water_m2)
        if p.slopen is not None:
            put(b, "sloop_bestekken", p.slopen.bestekken)
            put(b, "sloop_m3", p.slopen.m3)
            put(b, "sloop_aandeel_agrarisch", p.slopen.aandeel_agrarisch_kassen)
            put(b, "sloop_aandeel_asbest", p.slopen.aandeel_asbest)
        if p.ophogen is not None:
            put(b, "ophoog_ha", p.ophogen.oppervlakte_ha)
            put(b, "ophoog_m3", p.ophogen.m3)
            put(b, "zettingsjaren", p.ophogen.zettingsjaren)
            put(b, "ophoog_deelgebieden", p.ophogen.deelgebieden)
        weeks = p.bouw_en_woonrijp.weken_per_bestek if p.bouw_en_woonrijp and p.bouw_en_woonrijp.weken_per_bestek else civ_weeks
        put(b, "weken_per_bestek", weeks)
        put(b, "aanbestedingen", p.aanbesteding.aantal)
        put(b, "aanbesteding_europees", p.aanbesteding.vorm == "europees")
        if p.scenario is not None:
            put(b, "stedenbouwkundig_plan", p.scenario.stedenbouwkundig_plan_beschikbaar)
        if p.looptijd is not None:
            put(b, "looptijd_jaren", p.looptijd.jaren_na_vaststelling)
    g = [p.kostenverhaalsgebied for p in plans]
    fun = lambda p, attr: [getattr(getattr(p.programma, f), attr) for f in FUNCTIES]  # noqa: E731
    return PlanArrays(
        oppervlakte_ha=np.array([x.oppervlakte_ha for x in g], dtype=np.float64),
        uitgeefbaar_ha=np.array([x.uitgeefbaar_ha for x in g], dtype=np.float64),
        besluit_ha=np.array([x.oppervlakte_besluit_ha or x.oppervlakte_ha for x in g], dtype=np.float64),
        ligging=np.array([LIGGING.index(p.ligging) for p in plans], dtype=int),
        herstructurering=np.array([p.herstructurering for p in plans], dtype=bool),
        herverkaveld=np.array([p.aandeel_openbaar_gebied_herverkaveld or 0.0 for p in plans], dtype=np.float64),
        bekrachtigingen=np.array([p.bekrachtigingsprocedures for p in plans], dtype=np.float64),
        onderzoeken=np.array([[o in p.onderzoeken for o in ONDERZOEKEN] for p in plans], dtype=bool).reshape(B, len(ONDERZOEKEN)),
        woningen=np.array([p.programma.woningen for p in plans], dtype=np.float64),
        gebouwen_met_woonfunctie=np.array([np.nan if p.programma.gebouwen_met_woonfunctie is None else p.programma.gebouwen_met_woonfunctie for p in plans], dtype=np.float64),
        bvo_m2=np.array([fun(p, "bvo_m2") for p in plans], dtype=np.float64).reshape(B, 3),
        uitgeefbaar_m2=np.array([fun(p, "uitgeefbaar_m2") for p in plans], dtype=np.float64).reshape(B, 3),
        producten=prods, invoer=inv,
        kleine_bouwactiviteit=np.array([-1 if p.kleine_bouwactiviteit is None else "abc".index(p.kleine_bouwactiviteit) for p in plans], dtype=int),
    )
