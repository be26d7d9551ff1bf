"""Request and response schemas of the REST API (the ``Create``/``Update``/``Public`` family)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from opengrex.model.base import StrictModel


class _DocumentIn(StrictModel):
    data: dict[str, Any] = Field(description="Het document, met dezelfde sleutels als het YAML/JSON-bestand")
    comment: str = Field(default="", max_length=2000, description="Toelichting bij deze versie")


class DocumentCreate(_DocumentIn):
    """A new document: its data (the same keys as the YAML/JSON file) and an optional comment; a grondexploitatie
    starts in voorbereiding unless ``bbv_status`` says ``in_exploitatie``."""

    bbv_status: str | None = Field(default=None, max_length=20, description="Alleen grondexploitaties: in_voorbereiding (standaard) of in_exploitatie")


class DocumentUpdate(_DocumentIn):
    """A new version of a document. ``base_version``: the version you edited; 409 if it is no longer current."""

    base_version: int | None = Field(default=None, ge=1, description="Versie waarop de wijziging is gebaseerd")


class DocumentPublic(BaseModel):
    id: int
    kind: str
    name: str
    current_version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    created_by: str
    headline: dict[str, float] = Field(description="Kerncijfers van de huidige versie [EUR; eenheden: zie /calculate]")
    status: str = Field(default="actief", description="actief of gearchiveerd")
    bbv_status: str | None = Field(default=None, description="Grondexploitaties: in_voorbereiding, in_exploitatie of afgesloten")


class DocumentState(DocumentPublic):
    levenscyclus: dict[str, Any] = Field(description="Status, of het document bewerkbaar is (en waarom niet), de boeking van de afsluiting, prullenbak")


class DocumentDetail(DocumentState):
    data: dict[str, Any]
    koppelingen: list[dict[str, Any]] = Field(default_factory=list, description="Verwijzingen naar opgeslagen documenten: gebruikte en huidige versie, volgt, actueel, melding")


class ActionIn(StrictModel):
    """An action on a document with an optional comment."""

    toelichting: str = Field(default="", max_length=2000)


class ReopenIn(StrictModel):
    """Heropenen of a closed grondexploitatie: the reason is required and logged."""

    reden: str = Field(min_length=1, max_length=2000, description="Waarom de grondexploitatie wordt heropend")


class CloseIn(StrictModel):
    """Afsluiten of a fully realised grondexploitatie in exploitatie."""

    toelichting: str = Field(default="", max_length=2000)
    balansjaar: int | None = Field(default=None, ge=1900, le=2200, description="Standaard: gerealiseerd t/m (of het eindjaar)")
    voorziening_vorig: float | None = Field(default=None, ge=0, le=1e13, description="Standaard: uit de opgeslagen portefeuille met deze grex, anders 0")
    winst_vorig: float | None = Field(default=None, ge=0, le=1e13, description="Standaard: uit de opgeslagen portefeuille met deze grex, anders 0")
    datum: dt.date | None = Field(default=None, description="Datum van de afsluiting (standaard vandaag)")


class AuditOut(BaseModel):
    id: int
    actie: str
    actie_label: str
    versie: int | None
    door: str
    op: dt.datetime
    toelichting: str
    details: dict[str, Any]
    naam: str


class BinEntry(BaseModel):
    id: int
    kind: str
    naam: str
    versie: int
    verwijderd_op: dt.datetime
    verwijderd_door: str
    definitief_verwijderd_op: dt.datetime
    dagen_over: int


class VersionPublic(BaseModel):
    document_id: int
    number: int
    created_at: dt.datetime
    author: str
    comment: str
    headline: dict[str, float]


class VersionDetail(VersionPublic):
    data: dict[str, Any]


class Comparison(BaseModel):
    document_id: int
    a: int
    b: int
    velden: list[dict[str, Any]] = Field(description="Gewijzigde velden buiten de regels: pad, soort, oud, nieuw, veld (naam voor gebruikers), eenheid, oud_tekst, nieuw_tekst (nl-NL)")
    regels: dict[str, list[dict[str, Any]]] = Field(description="Toegevoegde, verwijderde en gewijzigde regels")
    resultaten: dict[str, dict[str, float | None]] = Field(description="Kerncijfers in a en b en het verschil b - a")
    aantal_wijzigingen: int


class ControllerComparison(BaseModel):
    """Two versions compared as a controller reads them (:func:`opengrex.services.vergelijking.compare_documents`)."""

    document_id: int | None = None
    a: int | None = None
    b: int | None = None
    kerncijfers: list[dict[str, Any]] = Field(description="Per kerncijfer: label, eenheid, a, b, verschil (getallen en nl-NL tekst)")
    oorzaken: dict[str, Any] | None = Field(None, description="Het verschil per oorzaak (Shapley; de delen tellen op tot het verschil), met de methode")
    velden: list[dict[str, Any]] = Field(description="Gewijzigde velden buiten de regels: veld (labels), eenheid, oud, nieuw en als tekst")
    regels: list[dict[str, Any]] = Field(description="Toegevoegde, verwijderde en gewijzigde regels met hun gewijzigde velden")
    jaren: dict[str, Any] | None = Field(None, description="Per regel per jaar: oud, nieuw en verschil")
    aantal_wijzigingen: int
    fout: str | None = Field(None, description="Waarom niet met resultaten vergeleken kon worden")


class UploadPreview(BaseModel):
    """What an upload would change (``?voorbeeld=1``): nothing is saved."""

    document_id: int
    kind: str
    naam: str
    versie: int = Field(description="De huidige versie (waarmee vergeleken is)")
    bestand: str
    herkomst: dict[str, Any] | None = Field(None, description="Document en versie waarvan het werkboek gemaakt is (None: geen werkboek van opengrex)")
    waarschuwingen: list[str]
    vergelijking: ControllerComparison


class LoginIn(StrictModel):
    name: str
    password: str


class Me(BaseModel):
    name: str
    role: str
    authenticated: bool
    csrf_token: str


# ---------------------------------------------------------------------------------------------- kinds
class HeadlineInfo(BaseModel):
    key: str
    label: str
    eenheid: str


class ExporterInfo(BaseModel):
    key: str = Field(description="Download: GET /api/<kind>/{id}/export.<key>")
    label: str
    media_type: str


class KindInfo(BaseModel):
    """A registered document kind (``opengrex.services.kinds``)."""

    kind: str
    label: str
    beschikbaar: bool = Field(description="Altijd waar: elke geregistreerde soort is geïnstalleerd (sleutel blijft voor bestaande clients)")
    valt_onder: str | None = Field(default=None, description="Soort in wiens menu en lijst deze soort staat (eindafrekening: kostenverhaal)")
    kerncijfers: list[HeadlineInfo]
    downloads: list[ExporterInfo]
    kengetallen: list[str] = Field(description="Wat /uitleg?kengetal= kent (JAAR, GEBIED, SEGMENT: invullen)")
    vertrouwelijk: list[str] = Field(description="Velden die kijkers (rol viewer) niet zien, op elke diepte (schema-paden)")


# ---------------------------------------------------------------------------------------------- explanation
class RegelOut(BaseModel):
    label: str = Field(description="Naam van de regel")
    formule: str
    bron: str = Field(description="Artikel / paragraaf en document")
    functie: str = Field(description="De rekenregel in opengrex (module.functie)")


class InvoerOut(BaseModel):
    naam: str
    waarde: Any
    eenheid: str
    symbool: str | None = Field(default=None, description="Het symbool in de formule van de regel (F_y, T_end), als dat er is")


class ParameterOut(BaseModel):
    naam: str
    waarde: Any
    eenheid: str
    bron: str
    peildatum: str | None = None


class ExplanationOut(BaseModel):
    """Hoe een kengetal tot stand komt: de regel met bron, de invoer met eenheden, de parameters met hun bron, en
    de uitleg van de onderdelen (opengrex.engine.explain.Explanation)."""

    kengetal: str
    label: str
    waarde: Any = Field(description="Onafgerond; eenheid: zie 'eenheid'")
    eenheid: str
    regel: RegelOut
    invoer: list[InvoerOut]
    parameters: list[ParameterOut]
    toelichting: list[str]
    onderdelen: list[ExplanationOut]


# ---------------------------------------------------------------------------------------------- results
class _Open(BaseModel):
    """A result whose listed keys are described here; further keys are passed on unchanged."""

    model_config = ConfigDict(extra="allow")


class Summary(_Open):
    """Resultaten van de rekenkern voor een document (zonder eigen schema: de sleutels van de samenvatting)."""


class GrexSummary(_Open):
    """Resultaten van een grondexploitatie (bedragen in euro's; eenheden per soort in 'eenheden')."""

    naam: str | None = None
    prijspeil: str | None = Field(default=None, description="Datum van de invoerbedragen (ISO)")
    ncw_datum: str | None = None
    timing: str | None = Field(default=None, description="end | mid | start")
    eenheden: dict[str, str] | None = None
    totalen: dict[str, Any] | None = Field(default=None, description="Kosten, opbrengsten en saldo op prijspeil, nominaal en contant [EUR]")
    eindwaarde: float | None = Field(default=None, description="Boekwaarde per 31-12 van het laatste jaar [EUR nominaal]")
    ncw_bbv: float | None = Field(default=None, description="Netto contante waarde (BBV) [EUR contant per ncw_datum]")
    contante_waarde_kasstromen: float | None = Field(default=None, description="[EUR contant per ncw_datum]")
    badkuip: dict[str, Any] | None = Field(default=None, description="Diepste boekwaarde [EUR nominaal], jaar, terugverdienjaar")
    irr: dict[str, Any] | None = Field(default=None, description="Interne rentevoet (alleen als eenduidig) en waarom niet")
    per_jaar: list[dict[str, Any]] | None = Field(default=None, description="Per jaar: opbrengsten, kosten, saldo, rente, boekwaarde [EUR nominaal], disconteringsfactor, contante waarde")


class KostenverhaalSummary(_Open):
    """Resultaten van een kostenverhaalgeval: tabel A5, aftopping, volgordelijkheid [EUR]."""

    naam: str | None = None
    parameterset: dict[str, Any] | None = None
    gebied: str | None = None
    tijdvak: str | None = Field(default=None, description="met | zonder")
    a5: list[dict[str, Any]] | None = Field(default=None, description="Tabel in de indeling van bijlage A5 [EUR]")
    a5_toelichting: list[str] | None = Field(default=None, description="Toelichting bij tabel A5 (o.a. de plankosten getoetst aan de plankostenscan)")
    plankostenscan: dict[str, Any] | None = Field(default=None, description="De plankostenscan bij de A1-plankosten van de gemeente: raming, maximum, "
                                                  "verhaalbaar, overschrijdt, overschrijding [EUR], toelichting, scan (versie, bijlage, bron)")
    aftopping: dict[str, Any] | None = Field(default=None, description="Maximum, te verhalen, niet verhaalbaar [EUR] en de toelichting")
    volgordelijkheid: list[dict[str, Any]] | None = Field(default=None, description="Per categorie: te verhalen, verhaald, niet verhaald [EUR] en waarom")
    exploitatiebijdrage: float | None = Field(default=None, description="[EUR]")
    financieel_resultaat: dict[str, Any] | None = Field(default=None, description="Per partij [EUR]")


class BijdrageSummary(_Open):
    """De zes stappen van de financiële bijdrage fysieke leefomgeving: tabel 1–5 (bedragen in 'eenheid')."""

    naam: str | None = None
    eenheid: str | None = None
    segmenten: list[str] | None = None
    tabel1: list[dict[str, Any]] | None = None
    tabel2: list[dict[str, Any]] | None = None
    tabel3: list[dict[str, Any]] | None = None
    tabel4: list[dict[str, Any]] | None = None
    tabel5: list[dict[str, Any]] | None = Field(default=None, description="Tarief per woning per gebied en segment")


class EindafrekeningSummary(_Open):
    """Uitkomst van een eindafrekening of planschadeafrekening [EUR]."""

    naam: str | None = None
    soort: str | None = Field(default=None, description="definitief | tussentijds | planschade")
    verschuldigd: float | None = None
    terugbetaling: float | None = None
    rente: float | None = None
    totaal_terug: float | None = None
    uitleg: list[str] | None = None


class ProgrammaSummary(_Open):
    """Resultaten van een programma (Mastergrex): programma, projecten, fonds, partners, garanties."""

    naam: str | None = None
    eenheden: dict[str, str] | None = None
    resultaat: dict[str, Any] | None = Field(default=None, description="Nominaal, eindwaarde [EUR nominaal], NCW en rentedeel [EUR contant]")
    badkuip: dict[str, Any] | None = None
    projecten: list[dict[str, Any]] | None = None
    fonds: list[dict[str, Any]] | None = None
    per_jaar: list[dict[str, Any]] | None = None


SUMMARIES: dict[str, type[BaseModel]] = {
    "grex": GrexSummary, "kostenverhaal": KostenverhaalSummary, "bijdrage": BijdrageSummary,
    "eindafrekening": EindafrekeningSummary, "programma": ProgrammaSummary,
}
"""Response model of ``/calculate`` per kind; a kind without one answers with :class:`Summary`."""


class RiskSummary(_Open):
    """Monte Carlo van de programma-NCW [EUR contant]."""

    trekkingen: int | None = None
    seed: int | None = None
    eenheid: str | None = None
    ncw_deterministisch: float | None = None
    ncw_gemiddeld: float | None = None
    standaardafwijking: float | None = None
    P10: float | None = None
    P50: float | None = None
    P90: float | None = None
    kans_tekort: float | None = Field(default=None, description="Aandeel trekkingen met NCW < 0 [fractie]")
    benodigd_weerstandsvermogen: float | None = None
    tornado: list[dict[str, Any]] | None = None


class ScenarioComparisonOut(_Open):
    """De scenario's naast de basis, met per wijziging het effect op de NCW (waterval en Shapley) [EUR]."""

    basis: str | None = None
    methode: str | None = None
    scenarios: list[dict[str, Any]] | None = None
    waterval: list[dict[str, Any]] | None = None


class ProgrammeDifferenceOut(_Open):
    """Verschil tussen twee programma's, verklaard per oorzaak (Shapley) [EUR]."""

    verschil_ncw: float | None = None
    verschil_nominaal: float | None = None
    per_oorzaak: list[dict[str, Any]] | None = None
    per_project: list[dict[str, Any]] | None = None
