"""Invariants of the grex engine (hypothesis, derandomized, ~50 examples each).

- homogeneity: scaling every amount, realised amount and the opening book value by k scales every money result by k;
- zero flows (and zero opening book value) give zero everywhere;
- with rente == disconteringsvoet (constant) and no opening book value, NCW (BBV) == contante waarde, every timing;
- with zero rates (index, rente, d), shifting every flow one year later leaves the nominal saldo (and NCW) unchanged.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from opengrex.engine.grex import GrexArrays, calculate

SETTINGS = settings(max_examples=50, derandomize=True, deadline=None)
timings = st.sampled_from(["end", "mid", "start"])
seeds = st.integers(0, 2**32 - 1)


def random_arrays(seed: int, timing: str, batch: tuple[int, ...] = ()) -> GrexArrays:
    """Random engine input: L lines on Y years, S index series on a grid starting up to 3 years before, per-year
    rente, realised amounts on part of the first years, any ncw_datum; optional leading batch axes."""
    rng = np.random.default_rng(seed)
    n_l, n_y, n_s = int(rng.integers(1, 12)), int(rng.integers(1, 12)), int(rng.integers(1, 4))
    pre = int(rng.integers(0, 4))  # index grid starts `pre` years before the grex
    n_i = n_y + pre
    share = rng.dirichlet(np.ones(n_y), size=batch + (n_l,)) * (rng.random(batch + (n_l, n_y)) < 0.6)
    share /= np.maximum(share.sum(axis=-1, keepdims=True), 1e-300)
    mask = np.zeros(batch + (n_l, n_y), dtype=bool)
    if n_y > 1:
        mask[..., 0] = rng.random(batch + (n_l,)) < 0.3
    return GrexArrays(
        years=np.arange(2025, 2025 + n_y),
        amount=rng.lognormal(12, 1.5, size=batch + (n_l,)),
        share=share,
        sign=np.where(rng.random(batch + (n_l,)) < 0.5, -1.0, 1.0),
        series=rng.integers(0, n_s, size=batch + (n_l,)),
        rate=rng.uniform(-0.02, 0.08, size=batch + (n_s, n_i)),
        index_base=int(rng.integers(0, n_i)),
        index_offset=pre,
        rente=rng.uniform(-0.01, 0.08, size=batch + (n_y,)),
        realised=rng.uniform(0, 1e6, size=batch + (n_l, n_y)),
        realised_mask=mask,
        opening=rng.normal(0, 1e6, size=batch),
        disconteringsvoet=rng.uniform(0.0, 0.06, size=batch),
        ncw_year=2025 + int(rng.integers(-2, 2)),
        ncw_fraction=float(rng.uniform(0, 1)),
        timing=timing,
    )


MONEY = ("line_flows", "line_real", "costs", "revenues", "flows", "interest", "book_value", "eindwaarde", "ncw",
         "present_value", "saldo_nominal", "saldo_prijspeil", "badkuip_depth")


@SETTINGS
@given(seed=seeds, timing=timings, k=st.floats(0.001, 1000.0))
def test_scaling_amounts_scales_every_result(seed, timing, k):
    a = random_arrays(seed, timing, batch=(2,))
    base = calculate(a)
    scaled = calculate(replace(a, amount=a.amount * k, realised=a.realised * k, opening=a.opening * k))
    for name in MONEY:
        x, y = getattr(base, name), getattr(scaled, name)
        np.testing.assert_allclose(y, k * np.asarray(x), rtol=1e-9, atol=1e-6 * k, err_msg=name)
    # positions of the badkuip do not move when k > 0
    np.testing.assert_array_equal(base.badkuip_pos, scaled.badkuip_pos)
    np.testing.assert_array_equal(base.recovery_pos, scaled.recovery_pos)


@SETTINGS
@given(seed=seeds, timing=timings)
def test_zero_flows_give_zero(seed, timing):
    a = random_arrays(seed, timing)
    z = calculate(replace(a, amount=np.zeros_like(a.amount), realised=np.zeros_like(a.realised), opening=np.zeros_like(a.opening)))
    for name in MONEY:
        np.testing.assert_array_equal(np.asarray(getattr(z, name)), 0.0, err_msg=name)
    assert np.all(z.badkuip_pos == -1) and np.all(z.recovery_pos == -1)


@SETTINGS
@given(seed=seeds, timing=timings, d=st.floats(-0.05, 0.15))
def test_ncw_equals_present_value_when_rente_is_d(seed, timing, d):
    a = random_arrays(seed, timing, batch=(3,))
    a = replace(a, rente=np.full_like(a.rente, d), disconteringsvoet=np.full(3, d), opening=np.zeros(3))
    o = calculate(a)
    scale = np.abs(o.line_flows).sum(axis=(-2, -1)) + 1.0
    np.testing.assert_allclose(o.ncw, o.present_value, rtol=1e-10, atol=1e-10 * scale.max())


@SETTINGS
@given(seed=seeds, timing=timings)
def test_shifting_flows_one_year_later_with_zero_rates_keeps_saldo(seed, timing):
    a = random_arrays(seed, timing)
    zero = replace(a, rate=np.zeros_like(a.rate), rente=np.zeros_like(a.rente), disconteringsvoet=0.0,
                   realised_mask=np.zeros_like(a.realised_mask))
    n_y = a.years.shape[0]
    # one more year on the grid, every share moved one year later
    share = np.concatenate([np.zeros(a.share.shape[:-1] + (1,)), zero.share], axis=-1)
    later = replace(
        zero,
        years=np.arange(2025, 2025 + n_y + 1),
        share=share,
        rate=np.zeros(a.rate.shape[:-1] + (a.rate.shape[-1] + 1,)),
        rente=np.zeros(n_y + 1),
        realised=np.zeros(share.shape),
        realised_mask=np.zeros(share.shape, dtype=bool),
    )
    o0, o1 = calculate(zero), calculate(later)
    scale = float(np.abs(a.amount).sum()) + abs(float(np.sum(a.opening))) + 1.0
    np.testing.assert_allclose(o1.saldo_nominal, o0.saldo_nominal, rtol=1e-12, atol=1e-12 * scale)
    np.testing.assert_allclose(o1.flows[..., 1:], o0.flows, rtol=1e-12, atol=1e-12 * scale)
    np.testing.assert_allclose(o1.eindwaarde, o0.eindwaarde, rtol=1e-12, atol=1e-12 * scale)
    np.testing.assert_allclose(o1.ncw, o0.ncw, rtol=1e-12, atol=1e-12 * scale)


@SETTINGS
@given(seed=seeds, timing=timings)
def test_interest_identity_and_book_value_is_opening_plus_flows_plus_interest(seed, timing):
    """B_end = B_opening + sum F_y + sum rente_y (the rekening-courant closes)."""
    a = random_arrays(seed, timing, batch=(2,))
    o = calculate(a)
    lhs = o.eindwaarde
    rhs = a.opening + o.flows.sum(axis=-1) + o.interest.sum(axis=-1)
    scale = np.abs(o.book_value).max() + np.abs(o.flows).sum() + 1.0
    np.testing.assert_allclose(lhs, rhs, rtol=1e-10, atol=1e-10 * scale)
