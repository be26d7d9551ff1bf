"""Eindafrekening of a financiële bijdrage / exploitatiebijdrage, and planschade settlement (rules 6 and 7 of
shared/spec/kostenverhaal.md) [1]_ [2]_ [3]_ [4]_. Pure numpy; amounts [EUR], dates as day numbers
(``date.toordinal()``).

References
----------
.. [1] Nota Kostenverhaal Soest 2023, bijlage A4 "Eindafrekening" and §4.3: recompute the costs of the categories
       paid for (netting allowed, no categories added later), discounted to the payment date; refund only above a
       5% deviation, the gemeente keeps 5%; interest on the refund; never an extra charge; tussentijdse
       eindafrekening on request at least five years after payment.
.. [2] Nota Kostenverhaal Soest 2023, bijlage A2.2 (kostenverhaal onder de Omgevingswet: "De eindafrekening mag
       al na vijf jaar plaatsvinden"); the statutory basis is the Omgevingswet, afdeling 13.6 (kostenverhaal).
.. [3] Burgerlijk Wetboek Boek 6 art. 119 lid 2: after each year the amount on which the wettelijke rente is
       computed is increased by that year's interest (compounded yearly).
.. [4] Nota Kostenverhaal Soest 2023, §2.1.2, Beleidskeuze: Planschade en nadeelcompensatie (afrekening vijf jaar
       nadat het besluit onherroepelijk is geworden: overschot terug, tekort nageheven).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from opengrex.engine.explain import rule

NOTA = "Nota Kostenverhaal gemeente Soest 2023"
DAYS_PER_YEAR = 365.0
"""Day count for interest and discounting: actual days / 365."""

Array = NDArray[np.float64]


def plus_jaren(day: dt.date, years: int) -> dt.date:
    """``day`` plus whole years; 29 February becomes 1 March in a year without it (the period ends on the day
    after 28 February). Used for the interest years of art. 6:119 BW and the terms of the eindafrekening."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


@rule("Vroegste afrekendatum", formule="datum + termijn in hele jaren (29 februari → 1 maart)",
      bron=f"{NOTA} §4.3 en bijlage A4 (tussentijds: ten minste vijf jaar na betaling); §2.1.2 (planschade: vijf jaar na onherroepelijk besluit)")
def vroegste_afrekendatum(vanaf: dt.date, jaren: int) -> dt.date:
    """The first day a settlement may be made: ``jaren`` whole years after ``vanaf`` (the payment for a
    tussentijdse eindafrekening, the decision becoming final for planschade) [1]_ [4]_."""
    return plus_jaren(vanaf, jaren)


@rule("Aandeel van het plan", formule="betaald / Σ ramingen van de categorieën waarvoor betaald is",
      bron=f"{NOTA} bijlage A4 (herberekening van de kosten van de categorieën waarvoor betaald is)")
def aandeel_plan(betaald: ArrayLike, ramingen: ArrayLike) -> Array:
    """The plan's share in the costs of the categories it paid for, when not given: ``betaald / Σ raming``
    [- (...,)]; NaN when the ramingen sum to 0 (the model asks for ``aandeel`` then)."""
    b = np.asarray(betaald, dtype=np.float64)
    r = np.asarray(ramingen, dtype=np.float64).sum(axis=-1)
    return np.divide(b, r, out=np.full(np.broadcast(b, r).shape, np.nan), where=r > 0)


@rule("Contante waarde op de betaaldatum per kostenpost", formule="bedrag × (1 + r) ^ −((datum − betaaldatum) / 365)",
      bron=f"{NOTA} bijlage A4 ('terugrekenen naar de netto contante waarde van het moment van betaling'); bijlage A2.2")
def contante_waarden(bedrag: ArrayLike, kosten_dag: ArrayLike, betaal_dag: int, disconteringsvoet: ArrayLike) -> Array:
    """Each recomputed cost brought to the payment date: ``bedrag_k × (1 + r) ** (−(t_k − t_betaling) / 365)``;
    costs made before the payment date are compounded forward (negative exponent) [1]_. [EUR (..., K)]

    Parameters
    ----------
    bedrag : (..., K) nominal cost amounts [EUR].
    kosten_dag : (K,) day numbers of the costs.
    betaal_dag : day number of the payment.
    disconteringsvoet : (...,) yearly discount rate [1/yr].
    """
    t = (np.asarray(kosten_dag, dtype=np.float64) - betaal_dag) / DAYS_PER_YEAR
    r = np.asarray(disconteringsvoet, dtype=np.float64)[..., None]
    return np.asarray(bedrag, dtype=np.float64) * (1.0 + r) ** (-t)


@rule("Kosten contant op de betaaldatum", formule="Σ_k bedrag_k × (1 + r) ^ −((t_k − t_betaling) / 365)",
      bron=f"{NOTA} bijlage A4; bijlage A2.2")
def contante_waarde_op_betaaldatum(bedrag: ArrayLike, kosten_dag: ArrayLike, betaal_dag: int, disconteringsvoet: ArrayLike) -> Array:
    """Costs recomputed and brought to the payment date (netto contante waarde op het moment van betaling,
    bijlage A4): the sum of :func:`contante_waarden`. [EUR at payment date (...,)]"""
    return contante_waarden(bedrag, kosten_dag, betaal_dag, disconteringsvoet).sum(axis=-1)


@rule("Herberekende kosten per categorie", formule="Σ contante waarden van de kostenposten van de categorie",
      bron=f"{NOTA} bijlage A4 (verrekening tussen de categorieën waarvoor betaald is)")
def per_categorie(contant: ArrayLike, categorie: ArrayLike, n_categorieen: int) -> Array:
    """Recomputed costs per category paid for: ``contant`` (..., K) summed by ``categorie`` (K,) index.
    [EUR (..., C)]"""
    c = np.asarray(contant, dtype=np.float64)
    onehot = np.zeros((c.shape[-1], n_categorieen))
    onehot[np.arange(c.shape[-1]), np.asarray(categorie, dtype=np.intp)] = 1.0
    return c @ onehot


@rule("Verschuldigd", formule="aandeel × kosten contant op de betaaldatum",
      bron=f"{NOTA} bijlage A4 (herberekening; verrekening tussen categorieën toegestaan)")
def verschuldigd(aandeel: ArrayLike, kosten_contant: ArrayLike) -> Array:
    """What the plan owes after recomputation: its share of the costs of the categories paid for, discounted to
    the payment date (netting between the categories) [1]_. [EUR (...,)]"""
    return np.asarray(aandeel, dtype=np.float64) * np.asarray(kosten_contant, dtype=np.float64)


@rule("Terugbetaling", formule="betaald − verschuldigd − drempel × betaald, als betaald − verschuldigd > drempel × betaald; anders 0",
      bron=f"{NOTA} bijlage A4 ('pas aan de orde als er sprake is van een afwijking van 5 %'; nooit bijbetalen, bijlage A2.2)")
def terugbetaling(betaald: ArrayLike, verschuldigd: ArrayLike, drempel: ArrayLike) -> tuple[Array, NDArray[np.bool_]]:
    """Terugbetaling bij eindafrekening (bijlage A4): refund only when ``betaald − verschuldigd`` exceeds
    ``drempel × betaald`` (5%), and then ``betaald − verschuldigd − drempel × betaald``; never negative (no extra
    charge, "bijbetalen kan niet"). Returns ``(refund, applies)``; at exactly the threshold nothing is refunded.
    [EUR (...,), bool (...,)]"""
    betaald_ = np.asarray(betaald, dtype=np.float64)
    over = betaald_ - np.asarray(verschuldigd, dtype=np.float64)
    grens = np.asarray(drempel, dtype=np.float64) * betaald_
    applies = over > grens
    return np.where(applies, over - grens, 0.0), applies


@rule("Wettelijke rente over de terugbetaling", formule="per rentejaar Σ periodes dagen / 365 × rente; na elk jaar rente bij de hoofdsom",
      bron="art. 6:119 lid 2 BW (samengesteld per jaar); Nota Kostenverhaal Soest 2023 bijlage A4 ('rente verschuldigd over de te veel betaalde financiële bijdrage')")
def wettelijke_rente(bedrag: ArrayLike, van_dag: int, tot_dag: int, tabel_dag: ArrayLike, tabel_rente: ArrayLike) -> tuple[Array, list[dict[str, Any]]]:
    """Wettelijke rente (art. 6:119 BW) on ``bedrag`` from ``van_dag`` to ``tot_dag`` with a dated rate table:
    within each interest year (counted from ``van_dag``) simple interest per rate period (days / 365 × rate); at the
    end of each interest year the interest is added to the amount (lid 2, yearly compounding) [3]_.

    Returns the interest [EUR (...,)] and one row per (year, rate period) for the explanation.

    Parameters
    ----------
    tabel_dag : (R,) sorted day numbers from which each rate applies.
    tabel_rente : (R,) rates [1/yr]; the rate in force on a day is the last one starting on or before it.
    """
    bedrag_ = np.asarray(bedrag, dtype=np.float64)
    dagen = np.asarray(tabel_dag, dtype=np.int64)
    rentes = np.asarray(tabel_rente, dtype=np.float64)
    hoofdsom = bedrag_.copy()
    rows: list[dict[str, Any]] = []
    if tot_dag <= van_dag:
        return np.zeros_like(bedrag_), rows
    start = dt.date.fromordinal(van_dag)
    k = 0
    jaar_start = van_dag
    while jaar_start < tot_dag:
        k += 1
        jaar_eind = min(plus_jaren(start, k).toordinal(), tot_dag)
        # rate periods inside [jaar_start, jaar_eind)
        cuts = dagen[(dagen > jaar_start) & (dagen < jaar_eind)]
        bounds = np.concatenate(([jaar_start], cuts, [jaar_eind]))
        idx = np.searchsorted(dagen, bounds[:-1], side="right") - 1
        rates = np.where(idx >= 0, rentes[np.maximum(idx, 0)], np.nan)
        days = np.diff(bounds).astype(np.float64)
        fraction = float(np.sum(rates * days / DAYS_PER_YEAR))
        rente_jaar = hoofdsom * fraction
        for a, b, r, d in zip(bounds[:-1], bounds[1:], rates, days):
            rows.append({"rentejaar": k, "van": dt.date.fromordinal(int(a)), "tot": dt.date.fromordinal(int(b)),
                         "dagen": int(d), "rente_pct": float(r), "grondslag": hoofdsom.copy(),
                         "rente": hoofdsom * float(r) * d / DAYS_PER_YEAR})
        hoofdsom = hoofdsom + rente_jaar  # art. 6:119 lid 2 (also for the last, partial year: interest accrued)
        jaar_start = jaar_eind
    return hoofdsom - bedrag_, rows


@rule("Planschade-afrekening", formule="geraamd − werkelijk (> 0 terugbetaling, < 0 naheffing)",
      bron=f"{NOTA} §2.1.2, Beleidskeuze: Planschade en nadeelcompensatie; spec kostenverhaal regel 7")
def planschade_afrekening(geraamd: ArrayLike, werkelijk: ArrayLike) -> Array:
    """Planschade-afrekening after the planschade term (spec rule 7) [4]_: ``geraamd − werkelijk``; positive is a
    refund to the initiatiefnemer, negative a naheffing by the gemeente. [EUR (...,)]"""
    return np.asarray(geraamd, dtype=np.float64) - np.asarray(werkelijk, dtype=np.float64)
