"""A whole grondexploitatie (or a batch of them) through the rules of :mod:`opengrex.engine.grex`.

:class:`GrexArrays` is what a model compiles to; :func:`calculate` returns :class:`GrexOutcome`, a dataclass of the
intermediate tables (index factors, line flows, interest, book value, discount factors) as well as the totals, so
every number can be traced. Leading batch axes (projects ``P``, draws ``D``) broadcast through.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from opengrex.engine import grex as rules


@dataclass
class GrexArrays:
    """Engine input of one grex (or a batch with leading axes).

    years : (Y,) calendar years of the grid.
    amount : (..., L) [EUR prijspeil]; share : (..., L, Y); sign : (..., L) (+1 opbrengst, -1 kosten);
    series : (L,) or (..., L) index-series number of each line; rate : (..., S, Yi) index rates on the index grid;
    index_base : position of the prijspeil year on the index grid; index_offset : position of ``years[0]`` there;
    rente : (..., Y); realised, realised_mask : (..., L, Y); opening : (...) opening book value [EUR];
    disconteringsvoet : (...) [1/yr]; ncw_year, ncw_fraction : the ncw_datum; timing : "end" | "mid" | "start".
    """

    years: np.ndarray
    amount: np.ndarray
    share: np.ndarray
    sign: np.ndarray
    series: np.ndarray
    rate: np.ndarray
    index_base: int
    index_offset: int
    rente: np.ndarray
    realised: np.ndarray
    realised_mask: np.ndarray
    opening: np.ndarray | float
    disconteringsvoet: np.ndarray | float
    ncw_year: int
    ncw_fraction: float
    timing: str = rules.TIMING_END


@dataclass
class GrexOutcome:
    """Engine output: every intermediate table and the headline figures. Units in brackets.

    index : (..., S, Y) price index per series (I_y, prijspeil = 1) [-]
    line_index : (..., L, Y) index applied to each line (incl. the half-year factor for ``mid``) [-]
    line_flows : (..., L, Y) signed nominal flow per line [EUR nominal]
    line_real : (..., L, Y) signed flow per line at prijspeil (amount x share) [EUR prijspeil]
    costs, revenues, flows : (..., Y) [EUR nominal]; costs negative
    interest, book_value : (..., Y) [EUR nominal]
    t, discount : (..., Y) time from ncw_datum [yr] and discount factor [-]
    eindwaarde, ncw, present_value, saldo_nominal, saldo_prijspeil : (...) [EUR]
    badkuip_depth, badkuip_pos, recovery_pos : (...) see :func:`opengrex.engine.grex.badkuip`
    t_end : time from ncw_datum to 31 December of the last year [yr]
    """

    years: np.ndarray
    index: np.ndarray
    line_index: np.ndarray
    line_flows: np.ndarray
    line_real: np.ndarray
    costs: np.ndarray
    revenues: np.ndarray
    flows: np.ndarray
    interest: np.ndarray
    book_value: np.ndarray
    t: np.ndarray
    discount: np.ndarray
    t_end: float
    eindwaarde: np.ndarray
    ncw: np.ndarray
    present_value: np.ndarray
    saldo_nominal: np.ndarray
    saldo_prijspeil: np.ndarray
    badkuip_depth: np.ndarray
    badkuip_pos: np.ndarray
    recovery_pos: np.ndarray


def gather_series(table: np.ndarray, series: np.ndarray) -> np.ndarray:
    """Pick row ``series[..., l]`` of ``table (..., S, Y)`` for every line: ``(..., L, Y)``.

    ``series`` is ``(L,)`` (one grex, shared by every batch element) or ``(..., L)`` (one map per grex).
    """
    if series.ndim == 1:
        return table[..., series, :]
    lead = np.broadcast_shapes(table.shape[:-2], series.shape[:-1])
    t = np.broadcast_to(table, lead + table.shape[-2:])
    idx = np.broadcast_to(series, lead + series.shape[-1:])[..., None]
    return np.take_along_axis(t, idx, axis=-2)


def calculate(a: GrexArrays) -> GrexOutcome:
    """Run every grex rule in order (spec §1–§6) and keep the intermediate tables."""
    years = np.asarray(a.years)
    n_years = years.shape[0]
    rate = np.asarray(a.rate, dtype=np.float64)
    index_full = rules.price_index(rate, a.index_base)
    sl = slice(a.index_offset, a.index_offset + n_years)
    index = index_full[..., sl]
    rate_grid = rate[..., sl]
    series = np.asarray(a.series, dtype=np.intp)
    line_index = gather_series(index, series)
    if a.timing == rules.TIMING_MID:
        line_index = line_index * rules.mid_year_factor(gather_series(rate_grid, series), a.timing)
    share = np.asarray(a.share, dtype=np.float64)
    amount = np.asarray(a.amount, dtype=np.float64)
    sign = np.asarray(a.sign, dtype=np.float64)
    line_flows = rules.line_flows(amount, share, sign, line_index, a.realised, a.realised_mask)
    line_real = amount[..., None] * share * sign[..., None]
    is_revenue = (sign > 0)[..., None]
    revenues = np.where(is_revenue, line_flows, 0.0).sum(axis=-2)
    costs = np.where(is_revenue, 0.0, line_flows).sum(axis=-2)
    flows = revenues + costs
    book, interest = rules.book_value(flows, a.rente, a.timing, a.opening)
    t = rules.discount_times(years, a.ncw_year, a.ncw_fraction, a.timing)
    d = np.asarray(a.disconteringsvoet, dtype=np.float64)
    discount = rules.discount_factor(d[..., None] if d.ndim else d, t)
    t_end = float(years[-1] + 1 - a.ncw_year - a.ncw_fraction)
    eindwaarde = book[..., -1]
    ncw = rules.ncw_bbv(eindwaarde, d, t_end)
    pv = np.sum(flows * discount, axis=-1)
    depth, bpos, rpos = rules.badkuip(book)
    return GrexOutcome(
        years=years,
        index=index,
        line_index=line_index,
        line_flows=line_flows,
        line_real=line_real,
        costs=costs,
        revenues=revenues,
        flows=flows,
        interest=interest,
        book_value=book,
        t=np.broadcast_to(t, flows.shape),
        discount=np.broadcast_to(discount, flows.shape),
        t_end=t_end,
        eindwaarde=eindwaarde,
        ncw=ncw,
        present_value=pv,
        saldo_nominal=flows.sum(axis=-1),
        saldo_prijspeil=line_real.sum(axis=(-2, -1)),
        badkuip_depth=depth,
        badkuip_pos=bpos,
        recovery_pos=rpos,
    )
