"""Grondexploitatie (grex) cash-flow rules, one function each (spec: shared/spec/grondexploitatie.md).

Sign convention: costs negative, revenues positive; a saldo > 0 is a surplus. All amounts in euros [EUR],
float64, unrounded. Timing codes: ``TIMING_END`` (default, 31 December), ``TIMING_MID`` (1 July),
``TIMING_START`` (1 January).

Arrays (architecture.md): ``amount (..., L)``, ``share (..., L, Y)``, ``sign (..., L)``, ``series (L,)``,
``rate (..., S, Y)``, ``rente (..., Y)``; any leading batch axes broadcast.

:class:`GrexArrays` is what a model compiles to; :func:`calculate` runs every rule in order and returns
:class:`GrexOutcome`, a dataclass of the intermediate tables (index factors, line flows, interest, book value,
discount factors) as well as the totals, so every number can be traced.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TIMING_END = "end"
TIMING_MID = "mid"
TIMING_START = "start"
TIMINGS = (TIMING_END, TIMING_MID, TIMING_START)


def price_index(rate: np.ndarray, base: int) -> np.ndarray:
    """Prijsindex ``I_y`` relative to the prijspeil year (spec §1). [-]

    ``I_y = prod(1 + rate_k for k in p .. y-1)`` for ``y >= p`` and ``1 / prod(1 + rate_k for k in y .. p-1)``
    for ``y < p``, so ``I_p = 1``.

    Parameters
    ----------
    rate : (..., Y) yearly index rates [1/yr] on a grid of consecutive years.
    base : position of the prijspeil year ``p`` on that grid.
    """
    rate = np.asarray(rate, dtype=np.float64)
    growth = np.log1p(rate)
    cum = np.cumsum(growth, axis=-1)
    # log I_y = sum_{k<y} g_k - sum_{k<p} g_k  (exclusive cumulative sums)
    excl = cum - growth
    return np.exp(excl - excl[..., base : base + 1])


def mid_year_factor(rate: np.ndarray, timing: str) -> np.ndarray:
    """Extra half-year indexation for timing ``mid``: ``(1 + rate_y) ** 0.5``; 1 otherwise (spec §1). [-]"""
    rate = np.asarray(rate, dtype=np.float64)
    if timing == TIMING_MID:
        return np.sqrt(1.0 + rate)
    return np.ones_like(rate)


def line_flows(
    amount: np.ndarray,
    share: np.ndarray,
    sign: np.ndarray,
    index: np.ndarray,
    realised: np.ndarray | None = None,
    realised_mask: np.ndarray | None = None,
) -> np.ndarray:
    """Nominal signed flow per line per year: ``sign * amount * share_y * I_y`` (spec §1). [EUR nominal]

    Realised amounts (positive, nominal, not indexed again) replace the estimate where ``realised_mask`` is true.

    Parameters
    ----------
    amount : (..., L) amount at prijspeil [EUR prijspeil], positive.
    share : (..., L, Y) phasing shares summing to 1 over Y.
    sign : (..., L) +1 revenue, -1 cost.
    index : (..., L, Y) price index per line (already including the ``mid`` half-year factor).
    realised, realised_mask : (..., L, Y) realised amounts [EUR nominal] and where they apply.
    """
    amount = np.asarray(amount, dtype=np.float64)
    flows = amount[..., None] * np.asarray(share, dtype=np.float64) * np.asarray(index, dtype=np.float64)
    if realised is not None and realised_mask is not None:
        flows = np.where(realised_mask, np.asarray(realised, dtype=np.float64), flows)
    return flows * np.asarray(sign, dtype=np.float64)[..., None]


def book_value(
    flows: np.ndarray, rente: np.ndarray, timing: str = TIMING_END, opening: np.ndarray | float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Boekwaarde by the rekening-courant method (spec §3). [EUR nominal]

    ``end``:   ``B_y = B_(y-1) (1 + r_y) + F_y``
    ``mid``:   ``B_y = B_(y-1) (1 + r_y) + F_y (1 + r_y) ** 0.5``
    ``start``: ``B_y = (B_(y-1) + F_y) (1 + r_y)``

    Returns ``(B, interest)`` both ``(..., Y)``, with interest ``= B_y - B_(y-1) - F_y`` (rente per jaar).
    A short loop over years, vectorised over every leading axis.
    """
    flows = np.asarray(flows, dtype=np.float64)
    rente = np.broadcast_to(np.asarray(rente, dtype=np.float64), flows.shape)
    growth = 1.0 + rente
    if timing == TIMING_END:
        flow_factor = np.ones_like(growth)
    elif timing == TIMING_MID:
        flow_factor = np.sqrt(growth)
    elif timing == TIMING_START:
        flow_factor = growth
    else:
        raise ValueError(f"unknown timing {timing!r}")
    adj = flows * flow_factor
    prev = np.broadcast_to(np.asarray(opening, dtype=np.float64), flows.shape[:-1]).copy()
    out = np.empty_like(flows)
    opening_arr = prev.copy()
    for y in range(flows.shape[-1]):
        prev = prev * growth[..., y] + adj[..., y]
        out[..., y] = prev
    before = np.concatenate([opening_arr[..., None], out[..., :-1]], axis=-1)
    interest = out - before - flows
    return out, interest


def discount_times(years: np.ndarray, ncw_year: int, ncw_day_fraction: float, timing: str) -> np.ndarray:
    """Time in years from ``ncw_datum`` to each year's flow (spec §4). [yr]

    ``t_y = y + 1 - ncw_year - f`` for ``end`` (f: elapsed fraction of ``ncw_year`` at ``ncw_datum``),
    0.5 less for ``mid``, 1 less for ``start``.
    """
    t = np.asarray(years, dtype=np.float64) + 1.0 - ncw_year - ncw_day_fraction
    if timing == TIMING_MID:
        t = t - 0.5
    elif timing == TIMING_START:
        t = t - 1.0
    return t


def discount_factor(d: np.ndarray | float, t: np.ndarray) -> np.ndarray:
    """Disconteringsfactor ``(1 + d) ** -t``. [-]"""
    return (1.0 + np.asarray(d, dtype=np.float64)) ** (-np.asarray(t, dtype=np.float64))


def ncw_bbv(eindwaarde: np.ndarray, d: np.ndarray | float, t_end: float) -> np.ndarray:
    """Netto contante waarde (BBV): ``B_end / (1 + d) ** T_end`` (spec §4; BBV Notitie grondbeleid 2019). [EUR at ncw_datum]"""
    return np.asarray(eindwaarde, dtype=np.float64) * discount_factor(d, t_end)


def present_value(flows: np.ndarray, d: np.ndarray | float, t: np.ndarray) -> np.ndarray:
    """Contante waarde of the flows: ``sum_y F_y / (1 + d) ** t_y`` (spec §4). [EUR at ncw_datum]"""
    d = np.asarray(d, dtype=np.float64)
    return np.sum(np.asarray(flows, dtype=np.float64) * discount_factor(d[..., None] if d.ndim else d, t), axis=-1)


def badkuip(book: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Badkuip (bathtub) of a book-value path (spec §6).

    Returns ``(depth, pos_deepest, pos_recovered)``: the most negative book value (0 if never negative) [EUR],
    its position on the year axis (-1 if never negative), and the first position after the deepest point where the
    book value is >= 0 again (terugverdienjaar; -1 if never).
    """
    book = np.asarray(book, dtype=np.float64)
    pos = np.argmin(book, axis=-1)
    depth = np.take_along_axis(book, pos[..., None], axis=-1)[..., 0]
    negative = depth < 0
    n = book.shape[-1]
    after = np.arange(n) > pos[..., None]
    recovered = after & (book >= 0)
    has_rec = recovered.any(axis=-1)
    rec_pos = np.where(has_rec, np.argmax(recovered, axis=-1), -1)
    return (
        np.where(negative, depth, 0.0),
        np.where(negative, pos, -1),
        np.where(negative, rec_pos, -1),
    )


def sign_changes(flows: np.ndarray, tol: float = 1e-9) -> int:
    """Number of sign changes in a flow series (zeros skipped): Descartes' bound on the number of IRRs."""
    f = np.asarray(flows, dtype=np.float64)
    scale = max(float(np.max(np.abs(f))) if f.size else 0.0, 1.0)
    nz = f[np.abs(f) > tol * scale]
    return int(np.count_nonzero(np.diff(np.sign(nz)) != 0)) if nz.size > 1 else 0


def irr_roots(flows: np.ndarray) -> list[float]:
    """All internal rates of return ``r > -1`` of one yearly flow series (spec §7). [1/yr]

    Solves ``sum_y F_y x**y = 0`` for ``x = 1 / (1 + r) > 0`` with the companion-matrix roots, polishes each root
    with Newton steps, and returns the distinct real rates in ascending order (empty: no IRR).
    """
    f = np.asarray(flows, dtype=np.float64)
    if not np.all(np.isfinite(f)):  # amounts beyond float64 (e.g. every amount 1.8e308): no rate to find
        return []
    nz = np.flatnonzero(np.abs(f) > 0)
    if nz.size < 2:
        return []
    f = f[nz[0] : nz[-1] + 1]
    f = f / np.max(np.abs(f))  # same roots; keeps the powers below overflow for huge amounts
    # polynomial in x: f0 + f1 x + ... ; np.roots wants highest power first
    roots = np.roots(f[::-1])
    cands = []
    for z in roots:
        if abs(z.imag) > 1e-7 * max(1.0, abs(z.real)) or z.real <= 0:
            continue
        x = float(z.real)
        powers = np.arange(f.size)
        for _ in range(50):  # Newton polish on the real polynomial
            val = np.sum(f * x**powers)
            der = np.sum(f[1:] * powers[1:] * x ** (powers[1:] - 1))
            if der == 0:
                break
            step = val / der
            x -= step
            if x <= 0 or abs(step) < 1e-15 * max(1.0, abs(x)):
                break
        if x > 0:
            cands.append(1.0 / x - 1.0)
    cands.sort()
    out: list[float] = []
    for r in cands:
        if not out or abs(r - out[-1]) > 1e-7:
            out.append(r)
    return out


# ------------------------------------------------------------------------------------------ the whole grex
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
    timing: str = TIMING_END


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
    index_full = price_index(rate, a.index_base)
    sl = slice(a.index_offset, a.index_offset + n_years)
    index = index_full[..., sl]
    rate_grid = rate[..., sl]
    series = np.asarray(a.series, dtype=np.intp)
    line_index = gather_series(index, series)
    if a.timing == TIMING_MID:
        line_index = line_index * mid_year_factor(gather_series(rate_grid, series), a.timing)
    share = np.asarray(a.share, dtype=np.float64)
    amount = np.asarray(a.amount, dtype=np.float64)
    sign = np.asarray(a.sign, dtype=np.float64)
    flows_l = line_flows(amount, share, sign, line_index, a.realised, a.realised_mask)
    line_real = amount[..., None] * share * sign[..., None]
    is_revenue = (sign > 0)[..., None]
    revenues = np.where(is_revenue, flows_l, 0.0).sum(axis=-2)
    costs = np.where(is_revenue, 0.0, flows_l).sum(axis=-2)
    flows = revenues + costs
    book, interest = book_value(flows, a.rente, a.timing, a.opening)
    t = discount_times(years, a.ncw_year, a.ncw_fraction, a.timing)
    d = np.asarray(a.disconteringsvoet, dtype=np.float64)
    discount = discount_factor(d[..., None] if d.ndim else d, t)
    t_end = float(years[-1] + 1 - a.ncw_year - a.ncw_fraction)
    eindwaarde = book[..., -1]
    ncw = ncw_bbv(eindwaarde, d, t_end)
    pv = np.sum(flows * discount, axis=-1)
    depth, bpos, rpos = badkuip(book)
    return GrexOutcome(
        years=years,
        index=index,
        line_index=line_index,
        line_flows=flows_l,
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
