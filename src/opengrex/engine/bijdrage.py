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

HARDNESS = ("hard", "zacht", "nader_te_bepalen")
"""Hardness categories (investeringscategorie / planvoorraad): hard 100%, zacht 50%, nader te bepalen 0% (§4.1)."""


def containment(parent: np.ndarray) -> np.ndarray:
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


def netto_investering(bruto, subsidies, externe_bijdragen, onderhoudsbudget, gebruikersopbrengsten) -> np.ndarray:
    """Stap 2 (tabel 1, bijlage B4): netto investering = bruto − subsidies − bijdragen derden − aandeel
    meerjarig onderhoudsbudget (werk met werk) − revenuen uit gebruikerstarieven: the public onrendabele top.
    [EUR (..., I)]"""
    return (np.asarray(bruto, dtype=np.float64) - subsidies - externe_bijdragen - onderhoudsbudget
            - gebruikersopbrengsten)


def meetellende_investering(netto, categorie, gewicht) -> np.ndarray:
    """Stap 1 (tabel 1): the part of the net investment that counts: ``netto × gewicht[categorie]``
    (hard 100%, zacht 50%, nader te bepalen 0%). [EUR (..., I)]"""
    gewicht = np.asarray(gewicht, dtype=np.float64)
    return np.asarray(netto, dtype=np.float64) * gewicht[..., np.asarray(categorie)]


def investering_per_gebied(meetellend, gebied, n_gebieden: int) -> np.ndarray:
    """Counted net investment per area: investments are attributed to the area they serve (not to its
    sub-areas). [EUR (..., A)]"""
    meetellend = np.asarray(meetellend, dtype=np.float64)
    onehot = np.zeros((meetellend.shape[-1], n_gebieden))
    onehot[np.arange(meetellend.shape[-1]), np.asarray(gebied)] = 1.0
    return meetellend @ onehot


def nieuwe_woningen_per_gebied(woningen, plan_gebied, plan_hardheid, gewicht, contains) -> np.ndarray:
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


def aandeel_nieuw(bestaand, nieuw) -> np.ndarray:
    """Stap 3 (tabel 2): verhouding bestaande dorp versus nieuwe dorp: share of new plans
    ``nieuw / (bestaand + nieuw)`` per area (0 where there are no homes at all). [- (..., A)]"""
    bestaand = np.asarray(bestaand, dtype=np.float64)
    nieuw = np.asarray(nieuw, dtype=np.float64)
    total = bestaand + nieuw
    return np.divide(nieuw, total, out=np.zeros(np.broadcast_shapes(total.shape)), where=total > 0)


def grondwaarde(woz, btw, grondquote) -> np.ndarray:
    """Stap 4 (tabel 3): gemiddelde grondwaarde per segment via de grondquotebenadering:
    ``WOZ / (1 + btw) × grondquote``. [EUR per home (..., S)]"""
    return np.asarray(woz, dtype=np.float64) / (1.0 + np.asarray(btw, dtype=np.float64)[..., None]) * grondquote


def wegingsfactor(grondwaarde_s, referentie: int = 0) -> np.ndarray:
    """Stap 4 (tabel 3): wegingsfactor = grondwaarde / grondwaarde(referentiesegment, sociaal) so that
    sociaal = 1. [- (..., S)]"""
    gw = np.asarray(grondwaarde_s, dtype=np.float64)
    return gw / gw[..., referentie : referentie + 1]


def gewogen_eenheden(nieuw_per_segment, weging) -> np.ndarray:
    """Stap 5 (tabel 4): gewogen eenheden per area = Σ_s nieuwe woningen_s × wegingsfactor_s. [units (..., A)]"""
    return np.einsum("...as,...s->...a", np.asarray(nieuw_per_segment, dtype=np.float64), np.asarray(weging, dtype=np.float64))


def prijs_per_eenheid(bedrag_nieuw, eenheden) -> np.ndarray:
    """Stap 5 (tabel 4): prijs per wegingsfactor = bedrag nieuwe plannen / gewogen eenheden (0 where an area has
    no weighted new homes: then its share of new plans, and so its amount, is 0 as well). [EUR/unit (..., A)]"""
    bedrag_nieuw = np.asarray(bedrag_nieuw, dtype=np.float64)
    eenheden = np.asarray(eenheden, dtype=np.float64)
    shape = np.broadcast_shapes(bedrag_nieuw.shape, eenheden.shape)
    return np.divide(bedrag_nieuw, eenheden, out=np.zeros(shape), where=eenheden > 0)


def tarief_per_woning(prijs, weging) -> np.ndarray:
    """Stap 6 (tabel 5): prijs per vastgoedtype per area = prijs per eenheid × wegingsfactor. [EUR/home (..., A, S)]"""
    return np.asarray(prijs, dtype=np.float64)[..., :, None] * np.asarray(weging, dtype=np.float64)[..., None, :]


def tarief_voor_plan_in_gebied(tarief, contains) -> np.ndarray:
    """Stap 6: rate per home for a plan located in area ``b``: the sum of the rates of every area containing
    ``b`` (its kern plus the whole gemeente). [EUR/home (..., A, S)]"""
    return np.einsum("ab,...as->...bs", contains.astype(np.float64), np.asarray(tarief, dtype=np.float64))


def plan_bijdragen(woningen, plan_gebied, tarief_cumulatief) -> np.ndarray:
    """A plan's financiële bijdrage: Σ_s homes_s × cumulative rate of its area (every home built pays, whatever
    the plan's hardness). [EUR (..., P)]"""
    rates = np.asarray(tarief_cumulatief, dtype=np.float64)[..., np.asarray(plan_gebied), :]  # (..., P, S)
    return (np.asarray(woningen, dtype=np.float64) * rates).sum(axis=-1)


@dataclass
class BijdrageArrays:
    """Compiled input of the six steps (see module docstring for shapes)."""

    parent: np.ndarray  # (A,)
    bestaand: np.ndarray  # (..., A) existing homes, whole area incl. sub-areas
    inv_gebied: np.ndarray  # (I,)
    inv_categorie: np.ndarray  # (I,)
    bruto: np.ndarray  # (..., I)
    subsidies: np.ndarray
    externe_bijdragen: np.ndarray
    onderhoudsbudget: np.ndarray
    gebruikersopbrengsten: np.ndarray
    inv_gewicht: np.ndarray  # (..., H) weights of investment categories
    woningen: np.ndarray  # (..., P, S)
    plan_gebied: np.ndarray  # (P,)
    plan_hardheid: np.ndarray  # (P,)
    plan_gewicht: np.ndarray  # (..., H) weights of plan hardness
    woz: np.ndarray  # (..., S)
    btw: np.ndarray  # (...,)
    grondquote: np.ndarray  # (..., S)
    referentie: int = 0


@dataclass
class BijdrageOutcome:
    """Every intermediate array of the six steps (the content of tabel 1-5)."""

    contains: np.ndarray  # (A, A)
    netto: np.ndarray  # (..., I) tabel 1
    meetellend: np.ndarray  # (..., I) tabel 1
    investering_gebied: np.ndarray  # (..., A) tabel 2
    nieuw_per_segment: np.ndarray  # (..., A, S)
    nieuw: np.ndarray  # (..., A) tabel 2
    aandeel_nieuw: np.ndarray  # (..., A) tabel 2
    bedrag_nieuw: np.ndarray  # (..., A) tabel 2/4
    bedrag_bestaand: np.ndarray  # (..., A) tabel 2 (algemene middelen)
    grondwaarde: np.ndarray  # (..., S) tabel 3
    weging: np.ndarray  # (..., S) tabel 3
    eenheden: np.ndarray  # (..., A) tabel 4
    prijs: np.ndarray  # (..., A) tabel 4
    tarief: np.ndarray  # (..., A, S) tabel 5
    tarief_cumulatief: np.ndarray  # (..., A, S) tabel 5, for a plan lying in the area
    plan_bijdrage: np.ndarray  # (..., P)


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
    bedrag_nieuw = inv_area * share
    gw = grondwaarde(x.woz, x.btw, x.grondquote)
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


def bereken_per_plan_loop(x: BijdrageArrays) -> list[float]:
    """Reference implementation in plain Python (one loop per investment, per plan, per area): the benchmark's
    baseline and a cross-check of :func:`bereken`. Scalar inputs only (no batch axes)."""
    n_areas = len(x.parent)

    def ancestors(b: int) -> list[int]:
        out = [b]
        while x.parent[out[-1]] >= 0:
            out.append(int(x.parent[out[-1]]))
        return out

    inv = [0.0] * n_areas
    for i in range(len(x.inv_gebied)):
        net = float(x.bruto[i] - x.subsidies[i] - x.externe_bijdragen[i] - x.onderhoudsbudget[i] - x.gebruikersopbrengsten[i])
        inv[int(x.inv_gebied[i])] += net * float(x.inv_gewicht[int(x.inv_categorie[i])])
    n_seg = len(x.woz)
    new = [[0.0] * n_seg for _ in range(n_areas)]
    for p in range(len(x.plan_gebied)):
        w = float(x.plan_gewicht[int(x.plan_hardheid[p])])
        for a in ancestors(int(x.plan_gebied[p])):
            for s in range(n_seg):
                new[a][s] += float(x.woningen[p][s]) * w
    gw = [float(x.woz[s]) / (1.0 + float(x.btw)) * float(x.grondquote[s]) for s in range(n_seg)]
    weight = [g / gw[x.referentie] for g in gw]
    rate = []
    for a in range(n_areas):
        n = sum(new[a])
        tot = float(x.bestaand[a]) + n
        share = n / tot if tot > 0 else 0.0
        units = sum(new[a][s] * weight[s] for s in range(n_seg))
        price = inv[a] * share / units if units > 0 else 0.0
        rate.append([price * weight[s] for s in range(n_seg)])
    out = []
    for p in range(len(x.plan_gebied)):
        total = 0.0
        for a in ancestors(int(x.plan_gebied[p])):
            for s in range(n_seg):
                total += float(x.woningen[p][s]) * rate[a][s]
        out.append(total)
    return out
