"""Financiële bijdrage ter verbetering van de fysieke leefomgeving: the six steps of §4.1 [1]_, one function each.

Pure numpy, vectorised over investments, areas, segments and plans (no Python loop over any of them). Every
function accepts leading batch axes on its money/count inputs (Monte Carlo draws ``D``, scenarios), so the same
code is the deterministic and the stochastic engine.

Shapes (architecture.md): ``I`` investments, ``A`` areas, ``S`` segments (``sociaal``, ``midden``, ``duur``),
``H`` hardness categories (``hard``, ``zacht``, ``nader te bepalen``), ``P`` plans.

The areas form a tree (Gemeente Soest > Kern Soest, Kern Soesterberg): ``contains[a, b]`` is true when area ``a``
contains area ``b`` (ancestor-or-self). Homes of a plan located in ``b`` count as new homes in every area that
contains ``b``, and the plan pays the rates of every such area (its kern and the whole gemeente).

References
----------
.. [1] Nota Kostenverhaal Soest 2023, §4.1 (stap 1-6, tabel 1-5), §4.4.1 (actualisatie, tabel 6 grondquotes),
       bijlage B2-B4; contract: shared/spec/kostenverhaal.md rule 4.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from opengrex.codes.segmenten import HARDHEDEN
from opengrex.engine.arrays import BoolArray, FloatArray, IntArray
from opengrex.engine.explain import rule

NOTA = "Nota Kostenverhaal gemeente Soest 2023"

HARDNESS = HARDHEDEN
"""Hardness categories (investeringscategorie / planvoorraad): hard 100%, zacht 50%, nader te bepalen 0% (§4.1);
the one definition lives in :mod:`opengrex.codes.segmenten`."""


@rule("Gebiedsboom (welk gebied omvat welk)", formule="omvat[a, b] = a is b of een voorouder van b", bron=f"{NOTA} §4.1 stap 6 (een plan betaalt voor elk gebied waarin het ligt)")
def containment(parent: ArrayLike) -> NDArray[np.bool_]:
    """Gebiedsboom: ``contains[a, b]`` = area ``a`` is ``b`` or an ancestor of ``b``. [bool (A, A)]

    ``parent[b]`` is the index of the area directly containing ``b`` (-1 for a root). The caller guarantees a
    tree (no cycles); the depth loop runs at most ``A`` times over whole arrays.
    """
    parent = np.asarray(parent, dtype=np.int64)
    n = parent.shape[0]
    contains = np.eye(n, dtype=bool)
    node = np.arange(n)
    for _ in range(n):
        node = np.where(node >= 0, parent[np.maximum(node, 0)], -1)
        alive = node >= 0
        if not alive.any():
            break
        contains[node[alive], np.arange(n)[alive]] = True
    return contains


@rule("Netto investering (onrendabele top)", formule="bruto − subsidies − bijdragen derden − onderhoudsbudget − gebruikersopbrengsten", bron=f"{NOTA} §4.1 stap 2, tabel 1; bijlage B4")
def netto_investering(bruto: ArrayLike, subsidies: ArrayLike, externe_bijdragen: ArrayLike, onderhoudsbudget: ArrayLike, gebruikersopbrengsten: ArrayLike) -> NDArray[np.float64]:
    """Stap 2 (tabel 1, bijlage B4): netto investering = bruto − subsidies − bijdragen derden − aandeel
    meerjarig onderhoudsbudget (werk met werk) − revenuen uit gebruikerstarieven: the public onrendabele top.
    [EUR (..., I)]"""
    f = lambda x: np.asarray(x, dtype=np.float64)  # noqa: E731
    return f(bruto) - f(subsidies) - f(externe_bijdragen) - f(onderhoudsbudget) - f(gebruikersopbrengsten)


@rule("Meetellende investering", formule="netto × weging van de investeringscategorie (hard 100 %, zacht 50 %, nader te bepalen 0 %)", bron=f"{NOTA} §4.1 stap 1, tabel 1")
def meetellende_investering(netto: ArrayLike, categorie: ArrayLike, gewicht: ArrayLike) -> NDArray[np.float64]:
    """Stap 1 (tabel 1): the part of the net investment that counts: ``netto × gewicht[categorie]``
    (hard 100%, zacht 50%, nader te bepalen 0%). [EUR (..., I)]"""
    gewicht = np.asarray(gewicht, dtype=np.float64)
    return np.asarray(netto, dtype=np.float64) * gewicht[..., np.asarray(categorie)]


@rule("Meetellende investering per gebied", formule="Σ meetellende investeringen die het gebied dienen", bron=f"{NOTA} §4.1 stap 2–3, tabel 2")
def investering_per_gebied(meetellend: ArrayLike, gebied: ArrayLike, n_gebieden: int) -> NDArray[np.float64]:
    """Counted net investment per area: investments are attributed to the area they serve (not to its
    sub-areas). [EUR (..., A)]"""
    meetellend = np.asarray(meetellend, dtype=np.float64)
    onehot = np.zeros((meetellend.shape[-1], n_gebieden))
    onehot[np.arange(meetellend.shape[-1]), np.asarray(gebied)] = 1.0
    return meetellend @ onehot


@rule("Nieuwe woningen per gebied en segment", formule="Σ over plannen in het gebied of een deelgebied: woningen × weging hardheid (hard 100 %, zacht 50 %, nader te bepalen 0 %)", bron=f"{NOTA} §4.1 stap 3 en 5, tabel 2")
def nieuwe_woningen_per_gebied(woningen: ArrayLike, plan_gebied: ArrayLike, plan_hardheid: ArrayLike, gewicht: ArrayLike, contains: NDArray[np.bool_]) -> NDArray[np.float64]:
    """Stap 3/5: new homes per area per segment, weighted by plan hardness (hard 100%, zacht 50%, nader te
    bepalen 0%) and summed over every plan located in the area or one of its sub-areas. [homes (..., A, S)]

    Parameters
    ----------
    woningen : (..., P, S) homes per plan per segment.
    plan_gebied : (P,) index of the (innermost) area where each plan lies.
    plan_hardheid : (P,) hardness index per plan.
    gewicht : (..., H) hardness weights.
    contains : (A, A) containment matrix (:func:`containment`).
    """
    woningen = np.asarray(woningen, dtype=np.float64)
    gewicht = np.asarray(gewicht, dtype=np.float64)
    weighted = woningen * gewicht[..., np.asarray(plan_hardheid)][..., None]  # (..., P, S)
    n_areas = contains.shape[0]
    onehot = np.zeros((n_areas, woningen.shape[-2]))
    onehot[np.asarray(plan_gebied), np.arange(woningen.shape[-2])] = 1.0
    direct = onehot @ weighted  # (..., A, S): homes of plans lying directly in each area
    return contains.astype(np.float64) @ direct


@rule("Aandeel nieuwe plannen", formule="nieuw / (bestaand + nieuw)", bron=f"{NOTA} §4.1 stap 3, tabel 2 (verhouding bestaande dorp versus nieuwe dorp)")
def aandeel_nieuw(bestaand: ArrayLike, nieuw: ArrayLike) -> NDArray[np.float64]:
    """Stap 3 (tabel 2): verhouding bestaande dorp versus nieuwe dorp: share of new plans
    ``nieuw / (bestaand + nieuw)`` per area (0 where there are no homes at all). [- (..., A)]"""
    bestaand = np.asarray(bestaand, dtype=np.float64)
    nieuw = np.asarray(nieuw, dtype=np.float64)
    total = bestaand + nieuw
    return np.divide(nieuw, total, out=np.zeros(np.broadcast_shapes(total.shape)), where=total > 0)


@rule("Bedrag voor nieuwe plannen", formule="meetellende investering van het gebied × aandeel nieuwe plannen", bron=f"{NOTA} §4.1 stap 3, tabel 2")
def bedrag_nieuwe_plannen(investering_gebied: ArrayLike, aandeel: ArrayLike) -> NDArray[np.float64]:
    """Stap 3 (tabel 2): the part of an area's counted investment carried by new plans; the rest (bestaande dorp)
    falls on the algemene middelen. [EUR (..., A)]"""
    return np.asarray(investering_gebied, dtype=np.float64) * np.asarray(aandeel, dtype=np.float64)


@rule("Grondwaarde per woning (grondquotebenadering)", formule="WOZ / (1 + btw) × grondquote", bron=f"{NOTA} §4.1 stap 4, tabel 3; §4.4.1 tabel 6; §4.2")
def grondwaarde(woz: ArrayLike, grondquote: ArrayLike, btw: ArrayLike) -> NDArray[np.float64]:
    """Stap 4 (tabel 3), also §4.2: gemiddelde grondwaarde per segment via de grondquotebenadering [1]_:

    .. math:: G_s = \\frac{WOZ_s}{1 + btw} \\times q_s

    ``woz`` and ``grondquote`` (..., S) [EUR per home, -]; ``btw`` (...,) one rate per batch element [-].
    [EUR per home (..., S)]"""
    return np.asarray(woz, dtype=np.float64) / (1.0 + np.asarray(btw, dtype=np.float64)[..., None]) * np.asarray(grondquote, dtype=np.float64)


@rule("Wegingsfactor", formule="grondwaarde segment / grondwaarde sociaal (sociaal = 1)", bron=f"{NOTA} §4.1 stap 4, tabel 3")
def wegingsfactor(grondwaarde_s: ArrayLike, referentie: int = 0) -> NDArray[np.float64]:
    """Stap 4 (tabel 3): wegingsfactor = grondwaarde / grondwaarde(referentiesegment, sociaal) so that
    sociaal = 1. [- (..., S)]"""
    gw = np.asarray(grondwaarde_s, dtype=np.float64)
    return gw / gw[..., referentie : referentie + 1]


@rule("Gewogen eenheden", formule="Σ_s nieuwe woningen_s × wegingsfactor_s", bron=f"{NOTA} §4.1 stap 5, tabel 4")
def gewogen_eenheden(nieuw_per_segment: ArrayLike, weging: ArrayLike) -> NDArray[np.float64]:
    """Stap 5 (tabel 4): gewogen eenheden per area = Σ_s nieuwe woningen_s × wegingsfactor_s. [units (..., A)]"""
    return np.einsum("...as,...s->...a", np.asarray(nieuw_per_segment, dtype=np.float64), np.asarray(weging, dtype=np.float64))


@rule("Prijs per gewogen eenheid", formule="bedrag nieuwe plannen / gewogen eenheden", bron=f"{NOTA} §4.1 stap 5, tabel 4")
def prijs_per_eenheid(bedrag_nieuw: ArrayLike, eenheden: ArrayLike) -> NDArray[np.float64]:
    """Stap 5 (tabel 4): prijs per wegingsfactor = bedrag nieuwe plannen / gewogen eenheden (0 where an area has
    no weighted new homes: then its share of new plans, and so its amount, is 0 as well). [EUR/unit (..., A)]"""
    bedrag_nieuw = np.asarray(bedrag_nieuw, dtype=np.float64)
    eenheden = np.asarray(eenheden, dtype=np.float64)
    shape = np.broadcast_shapes(bedrag_nieuw.shape, eenheden.shape)
    return np.divide(bedrag_nieuw, eenheden, out=np.zeros(shape), where=eenheden > 0)


@rule("Tarief per woning", formule="prijs per gewogen eenheid × wegingsfactor", bron=f"{NOTA} §4.1 stap 6, tabel 5")
def tarief_per_woning(prijs: ArrayLike, weging: ArrayLike) -> NDArray[np.float64]:
    """Stap 6 (tabel 5): prijs per vastgoedtype per area = prijs per eenheid × wegingsfactor. [EUR/home (..., A, S)]"""
    return np.asarray(prijs, dtype=np.float64)[..., :, None] * np.asarray(weging, dtype=np.float64)[..., None, :]


@rule("Tarief per woning voor een plan in dit gebied", formule="Σ tarieven van elk gebied dat het gebied omvat (kern + gemeente)", bron=f"{NOTA} §4.1 stap 6, tabel 5; bijlage A5 voorbeeld 4")
def tarief_voor_plan_in_gebied(tarief: ArrayLike, contains: NDArray[np.bool_]) -> NDArray[np.float64]:
    """Stap 6: rate per home for a plan located in area ``b``: the sum of the rates of every area containing
    ``b`` (its kern plus the whole gemeente). [EUR/home (..., A, S)]"""
    return np.einsum("ab,...as->...bs", contains.astype(np.float64), np.asarray(tarief, dtype=np.float64))


@rule("Financiële bijdrage van een plan", formule="Σ_s woningen_s × tarief van het gebied van het plan", bron=f"{NOTA} §4.1 stap 6; bijlage A5 voorbeeld 4 (10x + 10y + 10z)")
def plan_bijdragen(woningen: ArrayLike, plan_gebied: ArrayLike, tarief_cumulatief: ArrayLike) -> NDArray[np.float64]:
    """A plan's financiële bijdrage: Σ_s homes_s × cumulative rate of its area (every home built pays, whatever
    the plan's hardness). [EUR (..., P)]"""
    rates = np.asarray(tarief_cumulatief, dtype=np.float64)[..., np.asarray(plan_gebied), :]  # (..., P, S)
    return (np.asarray(woningen, dtype=np.float64) * rates).sum(axis=-1)


@rule("Bijdrage van een plan per omvattend gebied en segment", formule="woningen_s × tarief[a, s] voor elk gebied a dat het plan omvat, 0 elders", bron=f"{NOTA} §4.1 stap 6; bijlage A5 voorbeeld 4")
def plan_bijdrage_per_gebied(woningen: ArrayLike, tarief: ArrayLike, omvat: ArrayLike) -> NDArray[np.float64]:
    """A plan's contribution split by area and segment: ``woningen_s × tarief[a, s]`` for every area ``a`` that
    contains the plan (``omvat[a]``), zero for the others; its sum is :func:`plan_bijdragen`.

    ``woningen`` (..., S) homes of the plan; ``tarief`` (..., A, S) own rate of each area (tabel 5);
    ``omvat`` (A,) bool, the column of the containment matrix for the plan's area. [EUR (..., A, S)]"""
    w = np.asarray(woningen, dtype=np.float64)[..., None, :]
    return np.where(np.asarray(omvat, dtype=bool)[:, None], w * np.asarray(tarief, dtype=np.float64), 0.0)


@dataclass
class BijdrageArrays:
    """Compiled input of the six steps (see module docstring for shapes)."""

    parent: IntArray  # (A,)
    bestaand: FloatArray  # (..., A) existing homes, whole area incl. sub-areas
    inv_gebied: IntArray  # (I,)
    inv_categorie: IntArray  # (I,)
    bruto: FloatArray  # (..., I)
    subsidies: FloatArray
    externe_bijdragen: FloatArray
    onderhoudsbudget: FloatArray
    gebruikersopbrengsten: FloatArray
    inv_gewicht: FloatArray  # (..., H) weights of investment categories
    woningen: FloatArray  # (..., P, S)
    plan_gebied: IntArray  # (P,)
    plan_hardheid: IntArray  # (P,)
    plan_gewicht: FloatArray  # (..., H) weights of plan hardness
    woz: FloatArray  # (..., S)
    btw: FloatArray  # (...,)
    grondquote: FloatArray  # (..., S)
    referentie: int = 0


@dataclass
class BijdrageOutcome:
    """Every intermediate array of the six steps (the content of tabel 1-5)."""

    contains: BoolArray  # (A, A)
    netto: FloatArray  # (..., I) tabel 1
    meetellend: FloatArray  # (..., I) tabel 1
    investering_gebied: FloatArray  # (..., A) tabel 2
    nieuw_per_segment: FloatArray  # (..., A, S)
    nieuw: FloatArray  # (..., A) tabel 2
    aandeel_nieuw: FloatArray  # (..., A) tabel 2
    bedrag_nieuw: FloatArray  # (..., A) tabel 2/4
    bedrag_bestaand: FloatArray  # (..., A) tabel 2 (algemene middelen)
    grondwaarde: FloatArray  # (..., S) tabel 3
    weging: FloatArray  # (..., S) tabel 3
    eenheden: FloatArray  # (..., A) tabel 4
    prijs: FloatArray  # (..., A) tabel 4
    tarief: FloatArray  # (..., A, S) tabel 5
    tarief_cumulatief: FloatArray  # (..., A, S) tabel 5, for a plan lying in the area
    plan_bijdrage: FloatArray  # (..., P)


def calculate(x: BijdrageArrays) -> BijdrageOutcome:
    """Run stap 1-6 of §4.1 and return every intermediate table (vectorised; no loop over plans or areas)."""
    contains = containment(x.parent)
    n_areas = contains.shape[0]
    netto = netto_investering(x.bruto, x.subsidies, x.externe_bijdragen, x.onderhoudsbudget, x.gebruikersopbrengsten)
    meetellend = meetellende_investering(netto, x.inv_categorie, x.inv_gewicht)
    inv_area = investering_per_gebied(meetellend, x.inv_gebied, n_areas)
    nieuw_s = nieuwe_woningen_per_gebied(x.woningen, x.plan_gebied, x.plan_hardheid, x.plan_gewicht, contains)
    nieuw = nieuw_s.sum(axis=-1)
    share = aandeel_nieuw(x.bestaand, nieuw)
    bedrag_nieuw = bedrag_nieuwe_plannen(inv_area, share)
    gw = grondwaarde(x.woz, x.grondquote, x.btw)
    weging = wegingsfactor(gw, x.referentie)
    units = gewogen_eenheden(nieuw_s, weging)
    prijs = prijs_per_eenheid(bedrag_nieuw, units)
    tarief = tarief_per_woning(prijs, weging)
    cum = tarief_voor_plan_in_gebied(tarief, contains)
    return BijdrageOutcome(
        contains=contains, netto=netto, meetellend=meetellend, investering_gebied=inv_area,
        nieuw_per_segment=nieuw_s, nieuw=nieuw, aandeel_nieuw=share, bedrag_nieuw=bedrag_nieuw,
        bedrag_bestaand=inv_area - bedrag_nieuw, grondwaarde=gw, weging=weging, eenheden=units, prijs=prijs,
        tarief=tarief, tarief_cumulatief=cum, plan_bijdrage=plan_bijdragen(x.woningen, x.plan_gebied, cum),
    )
