"""Eindafrekening of a financiële bijdrage / exploitatiebijdrage, and planschade settlement (rules 6 and 7 of
shared/spec/kostenverhaal.md) [1]_ [2]_ [3]_. Pure numpy; amounts [EUR], dates as day numbers (``date.toordinal()``).

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
"""
from __future__ import annotations

import numpy as np

DAYS_PER_YEAR = 365.0
"""Day count for interest and discounting: actual days / 365."""


def contante_waarde_op_betaaldatum(bedrag, kosten_dag, betaal_dag: int, disconteringsvoet) -> np.ndarray:
    """Costs recomputed and brought to the payment date (netto contante waarde op het moment van betaling,
    bijlage A4): ``Σ bedrag_k × (1 + r) ** (−(t_k − t_betaling) / 365)``. Costs made before the payment date are
    compounded forward (negative exponent). [EUR at payment date (...,)]

    Parameters
    ----------
    bedrag : (..., K) nominal cost amounts [EUR].
    kosten_dag : (K,) day numbers of the costs.
    betaal_dag : day number of the payment.
    disconteringsvoet : (...,) yearly discount rate [1/yr].
    """
    t = (np.asarray(kosten_dag, dtype=np.float64) - betaal_dag) / DAYS_PER_YEAR
    r = np.asarray(disconteringsvoet, dtype=np.float64)[..., None]
    return (np.asarray(bedrag, dtype=np.float64) * (1.0 + r) ** (-t)).sum(axis=-1)


def terugbetaling(betaald, verschuldigd, drempel) -> tuple[np.ndarray, np.ndarray]:
    """Terugbetaling bij eindafrekening (bijlage A4): refund only when ``betaald − verschuldigd`` exceeds
    ``drempel × betaald`` (5%), and then ``betaald − verschuldigd − drempel × betaald``; never negative (no extra
    charge, "bijbetalen kan niet"). Returns ``(refund, applies)``; at exactly the threshold nothing is refunded.
    [EUR (...,), bool (...,)]"""
    betaald = np.asarray(betaald, dtype=np.float64)
    over = betaald - np.asarray(verschuldigd, dtype=np.float64)
    grens = np.asarray(drempel, dtype=np.float64) * betaald
    applies = over > grens
    return np.where(applies, over - grens, 0.0), applies


def wettelijke_rente(bedrag, van_dag: int, tot_dag: int, tabel_dag, tabel_rente) -> tuple[np.ndarray, list[dict]]:
    """Wettelijke rente (art. 6:119 BW) on ``bedrag`` from ``van_dag`` to ``tot_dag`` with a dated rate table:
    within each interest year (counted from ``van_dag``) simple interest per rate period (days / 365 × rate); at the
    end of each interest year the interest is added to the amount (lid 2, yearly compounding).

    Returns the interest [EUR (...,)] and one row per (year, rate period) for the explanation.

    Parameters
    ----------
    tabel_dag : (R,) sorted day numbers from which each rate applies.
    tabel_rente : (R,) rates [1/yr]; the rate in force on a day is the last one starting on or before it.
    """
    import datetime as dt

    bedrag = np.asarray(bedrag, dtype=np.float64)
    tabel_dag = np.asarray(tabel_dag, dtype=np.int64)
    tabel_rente = np.asarray(tabel_rente, dtype=np.float64)
    hoofdsom = bedrag.copy()
    rows: list[dict] = []
    if tot_dag <= van_dag:
        return np.zeros_like(bedrag), rows
    start = dt.date.fromordinal(van_dag)
    k = 0
    jaar_start = van_dag
    while jaar_start < tot_dag:
        k += 1
        try:
            nxt = start.replace(year=start.year + k).toordinal()
        except ValueError:  # 29 February
            nxt = dt.date(start.year + k, 3, 1).toordinal()
        jaar_eind = min(nxt, tot_dag)
        # rate periods inside [jaar_start, jaar_eind)
        cuts = tabel_dag[(tabel_dag > jaar_start) & (tabel_dag < jaar_eind)]
        bounds = np.concatenate(([jaar_start], cuts, [jaar_eind]))
        idx = np.searchsorted(tabel_dag, bounds[:-1], side="right") - 1
        rates = np.where(idx >= 0, tabel_rente[np.maximum(idx, 0)], np.nan)
        days = np.diff(bounds).astype(np.float64)
        fraction = float(np.sum(rates * days / DAYS_PER_YEAR))
        rente_jaar = hoofdsom * fraction
        for a, b, r, d in zip(bounds[:-1], bounds[1:], rates, days):
            rows.append({"rentejaar": k, "van": dt.date.fromordinal(int(a)), "tot": dt.date.fromordinal(int(b)),
                         "dagen": int(d), "rente_pct": float(r), "grondslag": hoofdsom.copy(),
                         "rente": hoofdsom * float(r) * d / DAYS_PER_YEAR})
        hoofdsom = hoofdsom + rente_jaar  # art. 6:119 lid 2 (also for the last, partial year: interest accrued)
        jaar_start = jaar_eind
    return hoofdsom - bedrag, rows


def planschade_afrekening(geraamd, werkelijk) -> np.ndarray:
    """Planschade-afrekening five years after the decision became final (spec rule 7): ``geraamd − werkelijk``;
    positive is a refund to the initiatiefnemer, negative a naheffing by the gemeente. [EUR (...,)]"""
    return np.asarray(geraamd, dtype=np.float64) - np.asarray(werkelijk, dtype=np.float64)
