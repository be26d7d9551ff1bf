"""Jaarlijkse actualisatie of the financiële bijdrage (Nota Kostenverhaal Soest 2023 §4.4 / §4.4.1 [1]_; spec rule 9):
index factors per investment, pro rata per day and compounded, and the merge of index series.

"De investeringen worden jaarlijks geïndexeerd naar het huidige prijspeil. Hiervoor wordt per investering maatwerk
geleverd met betrekking tot de keuze voor het indexcijfer" (§4.4.1): every investment carries its own series, a
rate per calendar year; the factor from the old to the new peildatum is

.. math:: f = \\prod_y (1 + r_y)^{d_y / D_y}

over the calendar years ``y`` touched, ``d_y`` the days of [van, tot) in year ``y`` and ``D_y`` the days of year
``y`` (365 or 366). From 1 January to 1 January this is the product of ``(1 + r)`` over the full years. The
convention makes indexing additive over periods: van → midden → tot gives the same factor as van → tot.

Vectorised over investments: ``percentages`` (..., I, Y) against the year fractions (Y,).

References
----------
.. [1] Nota Kostenverhaal gemeente Soest 2023, §4.4 (actualisatie financiële bijdrage) and §4.4.1 (investeringen
       jaarlijks geïndexeerd, per investering een eigen indexcijfer).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from opengrex.engine.explain import rule

NOTA = "Nota Kostenverhaal gemeente Soest 2023"
Array = NDArray[np.float64]
T = TypeVar("T")


@rule("Jaardelen van de indexeringsperiode", formule="d_y / D_y: dagen van [van, tot) in kalenderjaar y / dagen van jaar y",
      bron=f"{NOTA} §4.4.1 (jaarlijks geïndexeerd naar het huidige prijspeil); conventie: pro rata per dag")
def jaardelen(van: dt.date, tot: dt.date) -> tuple[NDArray[np.int64], Array, NDArray[np.int64], NDArray[np.int64]]:
    """The calendar years touched by [van, tot) with the fraction of each year in the period.

    Returns ``(jaren (Y,), deel (Y,) [-], dagen (Y,), dagen_in_jaar (Y,))``; empty when ``tot <= van``."""
    years = np.arange(van.year, tot.year + 1)
    starts = np.array([dt.date(int(y), 1, 1).toordinal() for y in years], dtype=np.int64)
    ends = np.array([dt.date(int(y) + 1, 1, 1).toordinal() for y in years], dtype=np.int64)
    d = np.minimum(tot.toordinal(), ends) - np.maximum(van.toordinal(), starts)
    keep = d > 0
    days_in_year = (ends - starts)[keep]
    return years[keep], d[keep] / days_in_year, d[keep], days_in_year


@rule("Indexfactor", formule="Π_y (1 + r_y) ^ (d_y / D_y)", bron=f"{NOTA} §4.4.1 (per investering een eigen indexcijfer); conventie: pro rata per dag, samengesteld")
def indexfactor(percentages: ArrayLike, deel: ArrayLike) -> Array:
    """Index factor over a period: the product over its calendar years of ``(1 + r_y) ^ deel_y`` with ``deel_y``
    from :func:`jaardelen` (``deel_y = 1``: exactly ``1 + r_y``). [- (...,)]

    ``percentages`` (..., Y): the rate of each year for each investment (its series); ``deel`` (Y,)."""
    r = np.asarray(percentages, dtype=np.float64)
    return np.prod((1.0 + r) ** np.asarray(deel, dtype=np.float64), axis=-1)


@rule("Geïndexeerd bedrag", formule="bedrag × indexfactor (bruto en elke aftrekpost dezelfde factor)",
      bron=f"{NOTA} §4.4.1; de onrendabele top schaalt mee")
def geindexeerd(bedragen: ArrayLike, factor: ArrayLike) -> Array:
    """Every money field of an investment (bruto and its deductions, last axis F) scaled by the investment's
    factor. [EUR (..., I, F)]"""
    return np.asarray(bedragen, dtype=np.float64) * np.asarray(factor, dtype=np.float64)[..., None]


@rule("Bedragen op centen", formule="afronden op centen; tellen de aftrekposten dan op tot meer dan bruto, dan levert de grootste aftrekpost het verschil in",
      bron="opengrex-conventie voor de geschreven invoer (de nota schrijft geen afronding voor)")
def op_centen(bedragen: ArrayLike) -> Array:
    """Amounts as written in the next document: rounded to cents; should the rounded deductions (columns 1…) exceed
    the rounded bruto (column 0) — possible only when the netto was 0 — the largest deduction gives up the excess,
    so a netto of 0 stays 0. [EUR (..., F)]"""
    b: Array = np.asarray(np.round(np.asarray(bedragen, dtype=np.float64), 2), dtype=np.float64)
    if b.shape[-1] < 2:
        return b
    excess = np.round(b[..., 1:].sum(axis=-1) - b[..., 0], 2)
    big = np.argmax(b[..., 1:], axis=-1) + 1
    fix = np.zeros_like(b)
    np.put_along_axis(fix, big[..., None], np.maximum(excess, 0.0)[..., None], axis=-1)
    return np.asarray(np.round(b - fix, 2), dtype=np.float64)


@rule("Indexreeksen samenvoegen", formule="reeksen uit de invoer, aangevuld en vervangen door die uit het reeksenbestand (zelfde naam: het bestand)",
      bron="opengrex kostenverhaal actualiseer --indexreeksen (§4.4.1: per investering maatwerk in de keuze van het indexcijfer)")
def reeksen_samenvoegen(eigen: Mapping[str, T], extra: Mapping[str, T]) -> dict[str, T]:
    """The index series used: those of the document, with the series of an index file added; a file series
    replaces a document series of the same name. Series are kept as given (one rate, or a rate per calendar year)
    [1/yr]."""
    out: dict[str, T] = {str(k): v for k, v in eigen.items()}
    out.update({str(k): v for k, v in extra.items()})
    return out
