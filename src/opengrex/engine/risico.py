"""Monte Carlo risk of a programme, vectorised over draws (numpy only).

Spec: shared/spec/programma.md, "Risk"; seed 000 ("een risico-inschatting van 1,6 miljoen euro" next to the
deficit). The deterministic engine *is* the stochastic engine: the draws become a leading axis ``D`` of the
programme's :class:`~opengrex.engine.grex.GrexArrays` and :func:`opengrex.engine.programma.calculate` runs once
per chunk of draws (no Python loop over draws, projects or lines).

Inputs per draw form a matrix ``X (D, J)``: one column per uncertain parameter (index-rate change [1/yr],
price-level change [-], delay [whole years]) followed by one column per risk event (its realised impact [EUR
nominal], 0 when it does not occur). ``X = 0`` is the deterministic programme.

A risk event's impact is the nominal amount in the year it occurs (not indexed, like a realised amount; see
:class:`opengrex.model.programma.Impact`).

Lines are first merged per project by (index series, cost/revenue) (:func:`compress`): flows are linear in
amount x share and the index depends only on the series, so the merge is exact and shrinks the line axis from
e.g. 100 lines to a handful.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from opengrex.engine import programma as programma_engine
from opengrex.engine.arrays import AnyArray, ArrayLike, BoolArray, FloatArray, IntArray
from opengrex.engine.explain import rule
from opengrex.engine.grex import GrexArrays
from opengrex.engine.programma import ProgrammeArrays

SPEC = "shared/spec/programma.md"

PARAM_INDEX = 0
PARAM_PRICE = 1
PARAM_DELAY = 2


# ------------------------------------------------------------------------------------------------ distributions
@rule("Driehoeksverdeling (inverse verdelingsfunctie)", formule="x = min + √(u (max − min)(modus − min)) voor u < F(modus), anders max − √((1 − u)(max − min)(max − modus))",
      bron=f"{SPEC} Risk (min / most likely / max; triangular)")
def triangular_ppf(u: ArrayLike, lo: ArrayLike, mode: ArrayLike, hi: ArrayLike) -> FloatArray:
    """Inverse CDF of the triangular distribution (driehoeksverdeling) min ``lo``, top ``mode``, max ``hi``.

    ``x = lo + sqrt(u (hi - lo)(mode - lo))`` for ``u < F(mode) = (mode - lo)/(hi - lo)``, else
    ``x = hi - sqrt((1 - u)(hi - lo)(hi - mode))``. A degenerate distribution (``lo == hi``) gives ``lo``.
    """
    u, lo, mode, hi = (np.asarray(v, dtype=np.float64) for v in (u, lo, mode, hi))
    width = hi - lo
    fc = np.where(width > 0, (mode - lo) / np.where(width > 0, width, 1.0), 0.0)
    left = lo + np.sqrt(np.maximum(u * width * (mode - lo), 0.0))
    right = hi - np.sqrt(np.maximum((1.0 - u) * width * (hi - mode), 0.0))
    return np.where(width > 0, np.where(u < fc, left, right), lo)


@rule("PERT-verdeling", formule="min + (max − min) · Beta(α, β), α = 1 + 4 (modus − min)/(max − min), β = 1 + 4 (max − modus)/(max − min)",
      bron=f"{SPEC} Risk (PERT)")
def pert_params(lo, mode, hi) -> tuple[FloatArray, FloatArray]:
    """PERT shape parameters (lambda = 4): ``alpha = 1 + 4 (mode - lo)/(hi - lo)``, ``beta = 1 + 4 (hi - mode)/(hi - lo)``."""
    lo, mode, hi = (np.asarray(v, dtype=np.float64) for v in (lo, mode, hi))
    width = np.where(hi > lo, hi - lo, 1.0)
    return 1.0 + 4.0 * (mode - lo) / width, 1.0 + 4.0 * (hi - mode) / width


def sample_pert(rng: np.random.Generator, lo: float, mode: float, hi: float, n: int) -> FloatArray:
    """PERT = scaled beta: ``lo + (hi - lo) Beta(alpha, beta)``; mean ``(lo + 4 mode + hi) / 6``."""
    if hi <= lo:
        return np.full(n, float(lo))
    a, b = pert_params(lo, mode, hi)
    return lo + (hi - lo) * rng.beta(float(a), float(b), size=n)


def sample_discrete(u: ArrayLike, values: FloatArray, probs: ArrayLike) -> FloatArray:
    """Discrete distribution by inverse CDF: the first value whose cumulative probability exceeds ``u``."""
    cum = np.cumsum(np.asarray(probs, dtype=np.float64))
    cum = cum / cum[-1]
    idx = np.searchsorted(cum, np.asarray(u), side="right")
    return np.asarray(values, dtype=np.float64)[np.minimum(idx, len(values) - 1)]


# ---------------------------------------------------------------------------------------------------- the model
@dataclass
class RiskArrays:
    """Compiled risk model of a programme.

    base : compressed :class:`ProgrammeArrays` (with one line slot per risk event, amount 0).
    param_kind : (K,) PARAM_INDEX | PARAM_PRICE | PARAM_DELAY.
    param_series : (K, S) bool, series rows an index parameter changes.
    param_lines : (K, P, L) bool, lines a price-level parameter scales.
    param_projects : (K, P) bool, projects a delay parameter shifts.
    param_dist : per parameter ``("driehoek"|"pert", lo, mode, hi)`` or ``("discreet", values, probs)``.
    event_project, event_slot : (E,) where each event's line sits; event_prob (E,), event_lo/mode/hi (E,),
    event_pert : (E,) bool.
    revenue_est : (P, L) bool, the (non-realised) revenue lines a delay shifts.
    """

    base: ProgrammeArrays
    param_kind: IntArray
    param_series: BoolArray
    param_lines: BoolArray
    param_projects: BoolArray
    param_dist: list
    event_project: IntArray
    event_slot: IntArray
    event_prob: FloatArray
    event_lo: FloatArray
    event_mode: FloatArray
    event_hi: FloatArray
    event_pert: BoolArray
    revenue_est: BoolArray

    @property
    def n_params(self) -> int:
        return int(self.param_kind.shape[0])

    @property
    def n_events(self) -> int:
        return int(self.event_prob.shape[0])

    @property
    def n_inputs(self) -> int:
        return self.n_params + self.n_events


def compress(g: GrexArrays, n_event_slots: ArrayLike | None = None) -> tuple[GrexArrays, BoolArray, IntArray]:
    """Merge the lines of each project by (series, sign); realised amounts go to one line per sign.

    Exact: ``sum_l sign_l (amount_l share_ly I_(s_l, y))`` over the lines of a group equals
    ``sign (1 x sum_l amount_l share_ly) I_(s, y)``. Returns the compressed arrays (``P, L'``), the revenue-estimate
    mask ``(P, L')`` and the first free line slot per project (where event lines go, ``n_event_slots`` of them).
    """
    amount = np.asarray(g.amount, dtype=np.float64)
    share = np.asarray(g.share, dtype=np.float64)
    sign = np.asarray(g.sign, dtype=np.float64)
    series = np.asarray(g.series)
    mask = np.asarray(g.realised_mask, dtype=bool)
    realised = np.asarray(g.realised, dtype=np.float64)
    n_p, _, n_y = share.shape
    est = amount[..., None] * share * ~mask  # (P, L, Y) estimated part at prijspeil
    keys = series * 2 + (sign > 0)
    groups = [np.unique(keys[p][np.abs(est[p]).sum(axis=-1) > 0]) for p in range(n_p)]  # compile-time, per project
    n_g = max([len(k) for k in groups] + [0])
    ev = np.zeros(n_p, dtype=np.intp) if n_event_slots is None else np.asarray(n_event_slots, dtype=np.intp)
    n_r = 2 if mask.any() else 0  # realised lines only when something is realised
    n_l = max(n_g + n_r + int(ev.max(initial=0)), 1)
    c_amount = np.zeros((n_p, n_l))
    c_share = np.zeros((n_p, n_l, n_y))
    c_sign = -np.ones((n_p, n_l))
    c_series = np.zeros((n_p, n_l), dtype=np.intp)
    c_real = np.zeros((n_p, n_l, n_y))
    c_mask = np.zeros((n_p, n_l, n_y), dtype=bool)
    rev_est = np.zeros((n_p, n_l), dtype=bool)
    for p in range(n_p):
        k = groups[p]
        pos = np.searchsorted(k, keys[p])
        valid = np.isin(keys[p], k)
        np.add.at(c_share[p], pos[valid], est[p][valid])
        c_amount[p, : len(k)] = 1.0
        c_sign[p, : len(k)] = np.where(k % 2 == 1, 1.0, -1.0)
        c_series[p, : len(k)] = k // 2
        c_series[p, len(k):] = series[p, 0]
        rev_est[p, : len(k)] = k % 2 == 1
        if n_r:
            real = realised[p] * mask[p]
            c_real[p, n_g] = real[sign[p] < 0].sum(axis=0)
            c_real[p, n_g + 1] = real[sign[p] > 0].sum(axis=0)
            c_sign[p, n_g + 1] = 1.0
            c_mask[p, n_g : n_g + 2] = True
    out = replace(g, amount=c_amount, share=c_share, sign=c_sign, series=c_series, realised=c_real, realised_mask=c_mask)
    return out, rev_est, np.full(n_p, n_g + n_r, dtype=np.intp)


def dedupe_series(rate: FloatArray, series: IntArray, tags: AnyArray | None = None) -> tuple[FloatArray, IntArray, IntArray]:
    """Merge identical rows of the rate table (same rates, same ``tags`` column, e.g. which parameters change the
    row). Returns the reduced table, the remapped ``series`` and the old-row -> new-row map. Exact."""
    key = rate if tags is None else np.concatenate([rate, tags.astype(np.float64)], axis=1)
    _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    return rate[first], inverse[series], inverse


# ------------------------------------------------------------------------------------------------------ sampling
def sample_inputs(r: RiskArrays, draws: int, seed: int | None) -> FloatArray:
    """Draw the input matrix ``X (draws, J)`` with ``np.random.default_rng(seed)`` (reproducible; independent of
    how the draws are later chunked)."""
    rng = np.random.default_rng(seed)
    x = np.zeros((draws, r.n_inputs))
    for k, dist in enumerate(r.param_dist):  # a handful of parameters; vectorised over draws
        if dist[0] == "discreet":
            x[:, k] = sample_discrete(rng.random(draws), dist[1], dist[2])
        elif dist[0] == "pert":
            x[:, k] = sample_pert(rng, dist[1], dist[2], dist[3], draws)
        else:
            x[:, k] = triangular_ppf(rng.random(draws), dist[1], dist[2], dist[3])
    if r.n_events:
        occurs = rng.random((draws, r.n_events)) < r.event_prob
        tri = triangular_ppf(rng.random((draws, r.n_events)), r.event_lo, r.event_mode, r.event_hi)
        impact = tri
        if r.event_pert.any():
            impact = impact.copy()
            for e in np.flatnonzero(r.event_pert):
                impact[:, e] = sample_pert(rng, r.event_lo[e], r.event_mode[e], r.event_hi[e], draws)
        x[:, r.n_params :] = np.where(occurs, impact, 0.0)
    return x


def apply_inputs(r: RiskArrays, x: ArrayLike) -> ProgrammeArrays:
    """The programme arrays for a block of draws ``x (d, J)``: a leading axis ``d`` on amounts, rates and (with
    delays) shares. Delay: ``share'[p, l, y] = share[p, l, y - k_p]`` (0 before the grid), by index arithmetic."""
    b = r.base
    g = b.grex
    x = np.asarray(x, dtype=np.float64)
    d = x.shape[0]
    amount = np.broadcast_to(g.amount, (d,) + g.amount.shape).copy()
    rate = np.asarray(g.rate, dtype=np.float64)
    share = g.share
    kinds = r.param_kind
    if (kinds == PARAM_PRICE).any():
        k = np.flatnonzero(kinds == PARAM_PRICE)
        factor = 1.0 + np.einsum("dk,kpl->dpl", x[:, k], r.param_lines[k].astype(np.float64))
        amount *= factor
    if (kinds == PARAM_INDEX).any():
        k = np.flatnonzero(kinds == PARAM_INDEX)
        delta = x[:, k] @ r.param_series[k].astype(np.float64)  # (d, S)
        rate = (rate[None, :, :] + delta[:, :, None])[:, None, :, :]  # (d, 1, S, Yi): broadcasts with series (P, L)
    if (kinds == PARAM_DELAY).any():
        k = np.flatnonzero(kinds == PARAM_DELAY)
        shift = np.rint(x[:, k] @ r.param_projects[k].astype(np.float64)).astype(np.intp)  # (d, P)
        table = shifted_shares(g.share, r.revenue_est, int(shift.max(initial=0)))  # (K, P, L, Y), K small
        share = table[shift, np.arange(shift.shape[1])[None, :]]  # one gather: (d, P, L, Y)
    if r.n_events:
        amount[:, r.event_project, r.event_slot] = x[:, r.n_params :]
    grex = replace(g, amount=amount, rate=rate, share=share)
    return replace(b, grex=grex)


def shifted_shares(share: FloatArray, movable: BoolArray, max_shift: int) -> FloatArray:
    """``out[k, p, l, y] = share[p, l, y - k]`` for the movable (revenue) lines, 0 before the grid; other lines
    unchanged; ``k = 0 .. max_shift`` whole years (index arithmetic on the year axis)."""
    out = np.repeat(np.asarray(share, dtype=np.float64)[None], max_shift + 1, axis=0)
    for k in range(1, max_shift + 1):  # a few whole years
        moved = np.zeros_like(share)
        moved[..., k:] = share[..., :-k]
        out[k] = np.where(movable[..., None], moved, share)
    return out


def evaluate_inputs(r: RiskArrays, x: ArrayLike, chunk: int = 1000, progress=None) -> FloatArray:
    """Programme NCW for every row of ``x``, in chunks of ``chunk`` draws (vectorised within a chunk).
    ``progress(n_done)`` is called after each chunk."""
    x = np.asarray(x, dtype=np.float64)
    out = np.empty(x.shape[0])
    for start in range(0, x.shape[0], chunk):
        block = x[start : start + chunk]
        out[start : start + block.shape[0]] = programma_engine.calculate(apply_inputs(r, block)).ncw
        if progress is not None:
            progress(block.shape[0])
    return out


def chunk_size(r: RiskArrays, budget_bytes: float = 32 * 2**20, arrays_alive: int = 12) -> int:
    """Draws per chunk: about ``arrays_alive`` line x year float64 arrays within ``budget_bytes`` (small blocks stay
    in the processor cache and avoid page faults; measured fastest at 32 MiB), at most 1,000 draws."""
    n_p, n_l, n_y = r.base.grex.share.shape
    per_draw = n_p * n_l * n_y * 8 * arrays_alive
    return int(max(1, min(1000, budget_bytes // max(per_draw, 1))))


@rule("Verwacht risicobedrag", formule="NCW deterministisch − gemiddelde NCW over de trekkingen",
      bron=f"{SPEC} Risk; seed 000 §3 ('een risico inschatting van 1,6 miljoen euro')")
def verwacht_risicobedrag(basis: float, ncw: ArrayLike) -> FloatArray:
    """Expected risk amount: the deterministic NCW minus the mean NCW of the draws ``(..., D)`` (> 0: the risks
    cost money on average). [EUR contant]"""
    return basis - np.mean(np.asarray(ncw, dtype=np.float64), axis=-1)


@rule("Benodigd weerstandsvermogen", formule="max(NCW deterministisch − P(100 − percentiel) van de NCW, 0)",
      bron=f"{SPEC} Risk ('required weerstandsvermogen'); BBV art. 11 (weerstandsvermogen)")
def weerstandsvermogen(basis: float, ncw: ArrayLike, percentiel: float) -> FloatArray:
    """Required weerstandsvermogen at ``percentiel`` (e.g. 90): the buffer that covers the risks in ``percentiel`` %
    of the draws, ``max(basis - quantile(ncw, 1 - percentiel / 100), 0)``. [EUR contant]"""
    q = np.quantile(np.asarray(ncw, dtype=np.float64), 1.0 - percentiel / 100.0, axis=-1)
    return np.maximum(basis - q, 0.0)


@rule("Kans op een tekort", formule="aandeel van de trekkingen met NCW < 0", bron=f"{SPEC} Risk ('probability of a deficit')")
def kans_tekort(ncw: ArrayLike) -> FloatArray:
    """Probability of a deficit: the share of draws ``(..., D)`` with a negative NCW. [-]"""
    return np.mean(np.asarray(ncw, dtype=np.float64) < 0.0, axis=-1)


def quantile_inputs(x: FloatArray, q: float) -> FloatArray:
    """Per input column the ``q``-quantile of its drawn marginal (inverted CDF: an actual drawn value)."""
    return np.quantile(x, q, axis=0, method="inverted_cdf")


def tornado_inputs(x: FloatArray, lo_q: float = 0.1, hi_q: float = 0.9) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Rows for a tornado: each input at its P10 (then P90) with every other input at its base value 0.
    Returns ``(rows (2J, J), low values (J,), high values (J,))``."""
    j = x.shape[1]
    lo = quantile_inputs(x, lo_q)
    hi = quantile_inputs(x, hi_q)
    rows = np.zeros((2 * j, j))
    rows[np.arange(j), np.arange(j)] = lo
    rows[j + np.arange(j), np.arange(j)] = hi
    return rows, lo, hi


def expand(g: GrexArrays, n_event_slots: ArrayLike | None = None) -> tuple[GrexArrays, BoolArray, IntArray]:
    """The uncompressed counterpart of :func:`compress`: every line stays its own line; the line axis only grows by
    the event slots. Used as the reference (loop over draws) in the benchmark and tests."""
    n_p, n_l, n_y = np.asarray(g.share).shape
    ev = np.zeros(n_p, dtype=np.intp) if n_event_slots is None else np.asarray(n_event_slots, dtype=np.intp)
    extra = int(ev.max(initial=0))
    pad = lambda a, v: np.concatenate([a, np.full(a.shape[:1] + (extra,) + a.shape[2:], v, dtype=a.dtype)], axis=1)  # noqa: E731
    out = replace(
        g,
        amount=pad(np.asarray(g.amount, dtype=np.float64), 0.0),
        share=pad(np.asarray(g.share, dtype=np.float64), 0.0),
        sign=pad(np.asarray(g.sign, dtype=np.float64), -1.0),
        series=pad(np.asarray(g.series), 0),
        realised=pad(np.asarray(g.realised, dtype=np.float64), 0.0),
        realised_mask=pad(np.asarray(g.realised_mask, dtype=bool), False),
    )
    rev = np.zeros((n_p, n_l + extra), dtype=bool)
    rev[:, :n_l] = (np.asarray(g.sign) > 0) & (np.asarray(g.amount) > 0)
    return out, rev, np.full(n_p, n_l, dtype=np.intp)
