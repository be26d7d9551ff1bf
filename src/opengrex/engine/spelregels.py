"""Financiële spelregels between the parties of a gebiedsontwikkeling (seed 001, pijler 5 §4 [1]_): one small
vectorised function per rule type, one common signature, applied in a stated order.

Every rule type is ONE function ``regel(t, p, eerder) -> overdrachten``:

``t`` : :class:`Toestand`, the state of the area the rules read (land, programme, prices, index factors, the costs
        each party carries per vereveningscategorie), shared by every variant.
``p`` : the rule's parameters, each an array with a leading variant axis ``V`` (1 for one rule set, 1,000 when the
        parties compare 1,000 variants of it in one call).
``eerder`` : ``(R0, V, A, Y)`` the transfers of everything applied before this rule (position 0: kostenverhaal,
        then the earlier rules in their order), for rules that build on earlier ones (the afdracht).
returns : ``(V, A, Y)`` transfers per account per year [EUR nominaal], received positive, paid negative.

Accounts ``A = P + 1``: the ``P`` parties, then the gebiedsfonds (index ``P``). Every rule only moves money between
accounts: its transfers sum to zero over ``A`` for every variant and year (conservation, tested with hypothesis).

A rule type is registered with :func:`regeltype`, which declares its parameters (kind, Dutch label, unit); the input
model derives its schema and compiler from that declaration. Adding a rule type = adding one function with its
``@regeltype`` decorator; no other rule changes.

Shapes: ``P`` parties, ``A`` accounts, ``G`` grondgebruiken (land uses), ``F`` functies (programme functions),
``K`` vereveningscategorieën, ``S`` index series, ``Y`` years, ``V`` variants.

References
----------
.. [1] Praktijkhandleiding NOVEX gebiedsontwikkeling (BZK 2023), seed 001: pijler 5 "Integrale financiële sturing",
       §1 "Opereren als ware het één partij" (regels 1238–1244), §3 "Afspraken over de gezamenlijke pot" (1267–1276),
       §4 "Financiële spelregels voor de ontwikkelende partijen" a–e (1278–1296); Club Rijnhuizen (1257–1266);
       Groningen Stadshavens (961–975); Eindhoven KnoopXL (1372–1388).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from opengrex.engine.arrays import AnyArray, ArrayLike, FloatArray
from opengrex.engine.explain import rule

FONDS = "fonds"
"""Reserved account name of the gebiedsfonds (the area organisation's fund)."""
KOSTENVERHAAL = "kostenverhaal"
"""Reserved source name: the kostenverhaal transfers, available to rules as the first entry of ``eerder``."""

# Parameter kinds (what a rule declares; the model compiles each kind to an array with a leading variant axis).
PER_FUNCTIE = "per_functie"  # {functie: EUR per m²} -> (V, F)
PER_GRONDGEBRUIK = "per_grondgebruik"  # {grondgebruik: EUR per m²} -> (V, G)
FRACTIE = "fractie"  # 0..1 -> (V,)
REKENING = "rekening"  # a party id or "fonds" -> one-hot (V, A)
VERDELING = "verdeling"  # a party id, "fonds", {naar_rato: grond|programma} or {aandelen: {...}} -> weights (V, A), sum 1
BETALERS = "betalers"  # list of party ids (default: every party) -> mask (V, A)
CATEGORIEEN = "categorieen"  # list of vereveningscategorieën -> mask (V, K)
REGELS = "regels"  # names of earlier rules (or "kostenverhaal") -> mask (V, R0)
INDEX = "index"  # name of an index series -> series number (V,)
KEUZE = "keuze"  # one of the declared options -> option number (V,)
SOORTEN = (PER_FUNCTIE, PER_GRONDGEBRUIK, FRACTIE, REKENING, VERDELING, BETALERS, CATEGORIEEN, REGELS, INDEX, KEUZE)
NUMERIEK = (PER_FUNCTIE, PER_GRONDGEBRUIK, FRACTIE)
"""Parameter kinds whose values can be varied per variant (``opengrex gebied vergelijk --varieer``)."""


@dataclass(frozen=True)
class Parameter:
    """A declared parameter of a rule type: its key, kind (:data:`SOORTEN`), Dutch label, unit and help text."""

    naam: str
    soort: str
    label: str
    eenheid: str | None = None
    help: str | None = None
    verplicht: bool = True
    standaard: Any = None
    keuzes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegelType:
    """A registered rule type: its code (the document's ``type``), function, Dutch label, formula, source and
    declared parameters."""

    code: str
    functie: Callable[..., FloatArray]
    label: str
    formule: str
    bron: str
    parameters: tuple[Parameter, ...]


REGELTYPEN: dict[str, RegelType] = {}
"""Every registered rule type by code, in registration order."""


def regeltype(code: str, *, label: str, formule: str, bron: str, parameters: Sequence[Parameter]) -> Callable:
    """Register a rule function as rule type ``code`` (and mark it with :func:`opengrex.engine.explain.rule`)."""

    def register(fn: Callable[..., FloatArray]) -> Callable[..., FloatArray]:
        fn = rule(label, formule=formule, bron=bron)(fn)
        if code in REGELTYPEN:
            raise ValueError(f"regeltype {code!r} is al geregistreerd")
        for par in parameters:
            if par.soort not in SOORTEN:
                raise ValueError(f"parameter {par.naam!r} van {code!r}: onbekende soort {par.soort!r}")
        REGELTYPEN[code] = RegelType(code, fn, label, formule, bron, tuple(parameters))
        return fn

    return register


@dataclass
class Toestand:
    """The state of the area the rules read (no variant axis: it is the same for every variant).

    n_partijen : ``P``; accounts are the parties plus the gebiedsfonds (``A = P + 1``).
    grond_m2 : (P, G) land owned per land use [m²].
    inbreng_m2 : (P, G, Y) land brought in per year [m²].
    programma_m2 : (P, F, Y) programme realised per function per year [m² bvo].
    prijs : (F, Y) realised (or expected) price per function [EUR nominaal per m²].
    index : (S, Y) index factor per series on the year grid (prijspeil = 1) [-].
    gedragen : (P, K, Y) costs a party carries per vereveningscategorie [EUR nominaal, positive].
    """

    n_partijen: int
    grond_m2: FloatArray
    inbreng_m2: FloatArray
    programma_m2: FloatArray
    prijs: FloatArray
    index: FloatArray
    gedragen: FloatArray

    @property
    def n_rekeningen(self) -> int:
        return self.n_partijen + 1


@dataclass
class Regel:
    """One compiled rule of a rule set: its name, type code and parameter arrays (leading axis ``V``)."""

    naam: str
    type: str
    parameters: dict[str, AnyArray] = field(default_factory=dict)

    @property
    def functie(self) -> Callable[..., FloatArray]:
        return REGELTYPEN[self.type].functie


# ----------------------------------------------------------------------------------------------- helpers
def op_rekeningen(per_partij: FloatArray) -> FloatArray:
    """``(..., P, Y)`` -> ``(..., A, Y)``: the parties' rows plus a zero row for the gebiedsfonds."""
    pad = [(0, 0)] * per_partij.ndim
    pad[-2] = (0, 1)
    return np.pad(per_partij, pad)


def verdeel(gewicht: ArrayLike, totaal: ArrayLike) -> FloatArray:
    """Spread a total per year over accounts by weights: ``w[v, a] × totaal[v, y]``. [EUR (V, A, Y)]"""
    return np.asarray(gewicht, dtype=np.float64)[..., :, None] * np.asarray(totaal, dtype=np.float64)[..., None, :]


def aandeel_grond(grond_m2: ArrayLike) -> FloatArray:
    """Verdeelsleutel naar rato van grondeigendom: each party's share of the land [- (P,)] (0 when no land)."""
    per_partij = np.asarray(grond_m2, dtype=np.float64).sum(axis=-1)
    totaal = per_partij.sum()
    return per_partij / totaal if totaal > 0 else np.zeros_like(per_partij)


def aandeel_programma(programma_m2: ArrayLike) -> FloatArray:
    """Verdeelsleutel naar rato van programma: each party's share of all programme m² [- (P,)] (0 when none)."""
    per_partij = np.asarray(programma_m2, dtype=np.float64).sum(axis=(-2, -1))
    totaal = per_partij.sum()
    return per_partij / totaal if totaal > 0 else np.zeros_like(per_partij)


def per_m2(tarief: ArrayLike, m2: ArrayLike) -> FloatArray:
    """``Σ_k tarief[v, k] × m²[p, k, y]`` (a rate per key: function or land use) as one matrix product.
    [EUR (V, P, Y)]"""
    return np.tensordot(np.asarray(tarief, dtype=np.float64), np.asarray(m2, dtype=np.float64), axes=([1], [1]))


def heffing_per_m2(tarief: ArrayLike, programma_m2: FloatArray, betalers: ArrayLike) -> FloatArray:
    """A contribution per m² realised: ``Σ_f tarief[v, f, y] × m²[p, f, y]`` for the paying parties.
    [EUR (V, P, Y)]; ``tarief`` is ``(V, F)`` (fixed) or ``(V, F, Y)`` (moving per year)."""
    tarief = np.asarray(tarief, dtype=np.float64)
    if tarief.ndim == 2:
        heffing = per_m2(tarief, programma_m2)
    else:  # per year a (V, F) @ (F, P) product
        heffing = np.matmul(tarief.transpose(2, 0, 1), programma_m2.transpose(2, 1, 0)).transpose(1, 2, 0)
    return heffing * np.asarray(betalers, dtype=np.float64)[:, : programma_m2.shape[0], None]


def _naar_ontvanger(heffing: FloatArray, ontvanger: ArrayLike) -> FloatArray:
    """Payers pay their ``heffing (V, P, Y)``; the receiver weights ``(V, A)`` get the total. [EUR (V, A, Y)]"""
    return verdeel(ontvanger, heffing.sum(axis=1)) - op_rekeningen(heffing)


# ----------------------------------------------------------------------------------------------- the rule types
_BRON = "Praktijkhandleiding NOVEX gebiedsontwikkeling (BZK 2023), pijler 5 §4"
_ONTVANGER = Parameter("ontvanger", VERDELING, "Ontvanger", help="Partij (id) of 'fonds' die de bijdragen ontvangt")
_BETALERS = Parameter("betalers", BETALERS, "Betalende partijen", help="Leeg: elke partij met programma", verplicht=False)


@regeltype(
    "inbrengwaarde",
    label="Inbrengwaarde (forfaitair per m² per grondgebruik)",
    formule="vergoeding_p,y = Σ_g forfait_g × m² ingebracht_p,g,y; betaald door de betaler(s) naar hun aandeel",
    bron=f"{_BRON}a (seed 001 regel 1281–1282: normering / forfaitaire benadering van inbrengwaarden)",
    parameters=(
        Parameter("forfait", PER_GRONDGEBRUIK, "Forfaitaire inbrengwaarde", "EUR per m²", "Per grondgebruik (huidig gebruik van de ingebrachte grond)"),
        Parameter("betaler", VERDELING, "Betaler", help="'fonds' (virtuele grondbank), een partij, {naar_rato: programma|grond} of {aandelen: {...}}"),
    ),
)
def inbrengwaarde(t: Toestand, p: Mapping[str, AnyArray], eerder: FloatArray) -> FloatArray:
    """Inbrengwaarde: the owner bringing in land is credited a forfait per m² per land use, in the year of inbreng;
    the betaler (the fund as virtual land bank, a party, or the parties pro rata) pays the total. [EUR (V, A, Y)]"""
    vergoeding = per_m2(p["forfait"], t.inbreng_m2)
    return op_rekeningen(vergoeding) - verdeel(p["betaler"], vergoeding.sum(axis=1))


@regeltype(
    "gebiedsbijdrage",
    label="Gebiedsbijdrage per m² per functie",
    formule="bijdrage_p,y = Σ_f tarief_f × m² gerealiseerd_p,f,y, naar de ontvanger",
    bron=f"{_BRON}b (seed 001 regel 1284–1289); Eindhoven KnoopXL: kostenverhaal per m², naar functie (regel 1383)",
    parameters=(Parameter("tarief", PER_FUNCTIE, "Tarief", "EUR per m²", "Per functie, vast bedrag per gerealiseerde m² bvo"), _ONTVANGER, _BETALERS),
)
def gebiedsbijdrage(t: Toestand, p: Mapping[str, AnyArray], eerder: FloatArray) -> FloatArray:
    """Gebiedsbijdrage: every paying party pays a fixed rate per m² it realises, per function, in the year of
    realisation, to the receiver. [EUR (V, A, Y)]"""
    return _naar_ontvanger(heffing_per_m2(p["tarief"], t.programma_m2, p["betalers"]), p["ontvanger"])


@regeltype(
    "verevening",
    label="Verevening naar rato",
    formule="ontvangst_p,y = gedragen_p,y − sleutel_p × Σ_q gedragen_q,y (kosten van de gekozen categorieën)",
    bron=f"{_BRON}c (seed 001 regel 1290–1291: '10% is school of park, dan dient iedereen 10% ... te verwerken')",
    parameters=(
        Parameter("categorieen", CATEGORIEEN, "Vereveningscategorieën", help="Categorieën van posten (bv. school, park) waarvan de kosten worden verevend"),
        Parameter("sleutel", VERDELING, "Verdeelsleutel", help="{naar_rato: grond|programma} of {aandelen: {...}}"),
    ),
)
def verevening(t: Toestand, p: Mapping[str, AnyArray], eerder: FloatArray) -> FloatArray:
    """Verevening pro rata: the costs of the chosen categories (school, park) are carried by every party by its key;
    a party that carries more than its share is compensated by those that carry less. [EUR (V, A, Y)]"""
    gedragen = per_m2(p["categorieen"], t.gedragen)
    return op_rekeningen(gedragen) - verdeel(p["sleutel"], gedragen.sum(axis=1))


@regeltype(
    "ontwikkelrechten",
    label="Ontwikkelrechten naar rato van grondeigendom",
    formule="ontvangst_a,y = Σ_f verrekenprijs_f × (sleutel_a × m²_f,y totaal − m²_a,f,y gebruikt)",
    bron="Groningen Stadshavens: ontwikkelmodel met ontwikkelrechten naar rato van het grondeigendom (seed 001 regel 961–975)",
    parameters=(
        Parameter("prijs", PER_FUNCTIE, "Verrekenprijs ontwikkelrecht", "EUR per m²", "Per functie: prijs van een m² ontwikkelrecht dat een partij meer of minder gebruikt dan haar aandeel"),
        Parameter("sleutel", VERDELING, "Verdeelsleutel", help="Standaard naar rato van grondeigendom", verplicht=False, standaard={"naar_rato": "grond"}),
    ),
)
def ontwikkelrechten(t: Toestand, p: Mapping[str, AnyArray], eerder: FloatArray) -> FloatArray:
    """Development rights pro rata land ownership: each party holds its key's share of every year's programme per
    function; a party that realises more than its rights pays the verrekenprijs per m² to those realising less.
    [EUR (V, A, Y)]"""
    waarde_gebruikt = per_m2(p["prijs"], t.programma_m2)
    waarde_totaal = waarde_gebruikt.sum(axis=1)
    return verdeel(p["sleutel"], waarde_totaal) - op_rekeningen(waarde_gebruikt)


@regeltype(
    "afdracht",
    label="Vast aandeel van de bijdragen naar de gebiedsorganisatie",
    formule="afdracht_y = aandeel × max(0, Σ_r∈regels ontvangen_van,r,y), van 'van' naar 'naar'",
    bron="Club Rijnhuizen, Nieuwegein: 'De afspraak was dat steeds 10% naar de gebiedsorganisatie gaat' (seed 001 regel 1257–1266)",
    parameters=(
        Parameter("aandeel", FRACTIE, "Aandeel", "%", "Deel van de ontvangen bijdragen dat wordt afgedragen (Rijnhuizen: 10%)"),
        Parameter("van", REKENING, "Van", help="De partij die de bijdragen ontvangt (bv. de gemeente)"),
        Parameter("naar", REKENING, "Naar", help="Standaard het gebiedsfonds", verplicht=False, standaard=FONDS),
        Parameter("regels", REGELS, "Over de bijdragen uit", help="Eerdere regels van deze set en/of 'kostenverhaal'"),
    ),
)
def afdracht(t: Toestand, p: Mapping[str, AnyArray], eerder: FloatArray) -> FloatArray:
    """A fixed share of what ``van`` received from the chosen earlier rules (and/or kostenverhaal) goes to ``naar``
    (the area organisation's fund) in the same year; nothing when ``van`` received nothing on balance. Needs the
    chosen rules to come EARLIER in the stated order. [EUR (V, A, Y)]"""
    van = np.asarray(p["van"], dtype=np.float64)[:, None, None, :]  # (V, 1, 1, A)
    per_regel = np.matmul(van, np.asarray(eerder, dtype=np.float64).transpose(1, 0, 2, 3))[:, :, 0, :]  # (V, R0, Y)
    ontvangen = np.einsum("vry,vr->vy", per_regel, p["regels"])
    bedrag = p["aandeel"][:, None] * np.maximum(ontvangen, 0.0)
    return verdeel(p["naar"], bedrag) - verdeel(p["van"], bedrag)


KOPPELINGEN = ("index", "prijs")
"""Meebewegende afspraak: the rate moves with an index series, or with the realised price per m²."""


@regeltype(
    "meebewegend",
    label="Meebewegende afdracht (geïndexeerd of gekoppeld aan gerealiseerde prijzen)",
    formule="bijdrage_p,y = Σ_f tarief_f × factor_f,y × m²_p,f,y; factor = index_y, of prijs_f,y / referentieprijs_f",
    bron=f"{_BRON}e (seed 001 regel 1294–1296: meebewegende afspraken over prijzen/afdrachten/winsten)",
    parameters=(
        Parameter("tarief", PER_FUNCTIE, "Tarief op prijspeil", "EUR per m²", "Per functie, bij de referentieprijs"),
        Parameter("koppeling", KEUZE, "Koppeling", help="index: het tarief volgt een indexreeks; prijs: het tarief beweegt mee met de gerealiseerde prijs per m²", keuzes=KOPPELINGEN),
        Parameter("index", INDEX, "Indexreeks", help="Bij koppeling 'index'", verplicht=False, standaard="geen"),
        Parameter("referentieprijs", PER_FUNCTIE, "Referentieprijs", "EUR per m²", "Bij koppeling 'prijs': de prijs waarbij het tarief geldt", verplicht=False, standaard={}),
        _ONTVANGER,
        _BETALERS,
    ),
)
def meebewegend(t: Toestand, p: Mapping[str, AnyArray], eerder: FloatArray) -> FloatArray:
    """Meebewegende afdracht: a rate per m² that moves with an index series (``koppeling`` 0) or in proportion to
    the realised price per m² relative to a reference price (``koppeling`` 1): mee- en tegenvallers are shared.
    [EUR (V, A, Y)]"""
    ref = np.asarray(p["referentieprijs"], dtype=np.float64)[:, :, None]
    naar_prijs = np.divide(t.prijs[None], ref, out=np.zeros(np.broadcast_shapes(ref.shape, (1,) + t.prijs.shape)), where=ref > 0)
    naar_index = t.index[np.asarray(p["index"])][:, None, :]
    factor = np.where(np.asarray(p["koppeling"])[:, None, None] == 0, naar_index, naar_prijs)
    tarief = np.asarray(p["tarief"], dtype=np.float64)[:, :, None] * factor
    return _naar_ontvanger(heffing_per_m2(tarief, t.programma_m2, p["betalers"]), p["ontvanger"])


# ----------------------------------------------------------------------------------------------- applying a rule set
def pas_toe(t: Toestand, regels: Sequence[Regel], vooraf: ArrayLike) -> FloatArray:
    """Apply the rules in their stated order: rule ``k`` sees ``vooraf`` (the kostenverhaal transfers, ``(V, A, Y)``)
    and the transfers of rules ``0 .. k-1``. A short loop over the rules (each depends on the ones before),
    vectorised over variants, accounts and years. [EUR (R, V, A, Y)]"""
    vooraf = np.asarray(vooraf, dtype=np.float64)
    n_v = max([vooraf.shape[0]] + [np.shape(a)[0] for r in regels for a in r.parameters.values() if np.ndim(a)])
    out = np.zeros((len(regels) + 1, n_v) + vooraf.shape[1:])
    out[0] = vooraf
    for k, r in enumerate(regels):
        out[k + 1] = r.functie(t, r.parameters, out[: k + 1])
    return out[1:]
