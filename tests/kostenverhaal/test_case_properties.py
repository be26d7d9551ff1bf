"""Properties of the kostenverhaal engine (hypothesis), on batches of random cases:

- recovered ≤ cap (macroaftopping) and ≤ the gemeente's demand per category, never negative;
- recovered + unrecovered = demand per category;
- met tijdvak, total recovered = min(cap, total demand);
- zonder tijdvak, each kavel pays at most its waardevermeerdering and its share of the plafond-capped costs;
- the A5 table adds up (Totaal = Initiatiefnemer + Gemeente; results = saldo ∓ exploitatiebijdrage);
- the batch computation equals the cases computed one by one.
"""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from opengrex.engine import kostenverhaal as kv

AMOUNT = st.floats(min_value=0.0, max_value=5e7, allow_nan=False, allow_infinity=False)


@st.composite
def batches(draw, zonder: bool | None = None):
    n = draw(st.integers(1, 12))
    k = draw(st.integers(1, 4))
    a = lambda shape=(n,): draw(arrays(np.float64, shape, elements=AMOUNT))  # noqa: E731
    z = np.array([draw(st.booleans()) for _ in range(n)]) if zonder is None else np.full(n, zonder)
    shares = draw(arrays(np.float64, (n, k), elements=st.floats(0.01, 1.0)))
    shares = shares / shares.sum(axis=1, keepdims=True)
    fb_wv = draw(arrays(np.float64, (n,), elements=st.floats(-1e7, 1e7, allow_nan=False)))
    return kv.CaseArrays(
        kosten_ini=a(), opbrengsten_ini=a(), subsidies_ini=a(), kosten_gem=a(), opbrengsten_gem=a(), subsidies_gem=a(),
        bovenwijks=a(), fb_fysiek=a(), fb_woningvoorraad=fb_wv, zonder=z,
        kostenplafond=np.where(z, a(), np.inf), kavel_aandeel=shares, kavel_waarde_voor=a((n, k)), kavel_waarde_na=a((n, k)),
    )


EPS = 1e-6


@settings(max_examples=60, deadline=None)
@given(batches())
def test_recovered_bounds(b):
    o = kv.calculate(b)
    assert (o.recovered >= -EPS).all()
    assert (o.unrecovered >= -EPS).all()
    assert (o.recovered <= o.demands + EPS).all()
    total = o.recovered.sum(axis=-1)
    assert (total <= o.cap * (1 + 1e-12) + EPS).all()
    np.testing.assert_allclose(o.recovered + o.unrecovered, o.demands, rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(o.exploitatiebijdrage, total, rtol=1e-12, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(batches(zonder=False))
def test_met_tijdvak_recovers_min_of_cap_and_demand(b):
    o = kv.calculate(b)
    cap = np.maximum(0, b.opbrengsten_ini + b.subsidies_ini - b.kosten_ini)
    np.testing.assert_allclose(o.cap, cap)
    np.testing.assert_allclose(o.exploitatiebijdrage, np.minimum(cap, o.demands.sum(axis=-1)), rtol=1e-12, atol=1e-6)
    # order: a later category only recovers when every earlier one is recovered in full
    for c in range(1, 4):
        later = o.recovered[:, c] > EPS
        assert (o.unrecovered[:, :c][later] <= 1e-6 * (1 + o.demands[:, :c][later])).all()


@settings(max_examples=60, deadline=None)
@given(batches(zonder=True))
def test_zonder_tijdvak_per_kavel_caps(b):
    o = kv.calculate(b)
    wv = np.maximum(0, b.kavel_waarde_na - b.kavel_waarde_voor)
    assert (o.kavel_bijdrage <= wv + EPS).all()
    assert (o.kavel_bijdrage <= o.kavel_aandeel_kosten + EPS).all()
    kv_rec = o.recovered[:, :2].sum(axis=-1)
    assert (kv_rec <= np.minimum(o.demands[:, :2].sum(axis=-1), b.kostenplafond) + EPS).all()
    np.testing.assert_allclose(kv_rec, np.minimum(o.kavel_bijdrage.sum(axis=-1), o.cap), rtol=1e-12, atol=1e-6)


@settings(max_examples=40, deadline=None)
@given(batches())
def test_a5_adds_up(b):
    o = kv.calculate(b)
    t = o.a5
    rows_with_total = [i for i in range(len(kv.A5_ROWS)) if kv.A5_ROWS[i] != "Macroaftopping"]
    np.testing.assert_allclose(t[:, rows_with_total, 2], t[:, rows_with_total, 0] + t[:, rows_with_total, 1], rtol=1e-12, atol=1e-5)
    assert np.isnan(t[:, kv.A5_ROWS.index("Macroaftopping"), 2]).all()
    # gemeente result = exploitatiebijdrage − its net costs; initiatiefnemer result = saldo − exploitatiebijdrage
    res = t[:, kv.A5_ROWS.index("Financieel resultaat")]
    e = o.exploitatiebijdrage
    np.testing.assert_allclose(res[:, 0], t[:, 3, 0] - e, rtol=1e-12, atol=1e-5)
    np.testing.assert_allclose(res[:, 1], t[:, 7, 1] + e, rtol=1e-12, atol=1e-5)


@settings(max_examples=30, deadline=None)
@given(batches())
def test_batch_equals_one_by_one(b):
    o = kv.calculate(b)
    n = b.kosten_ini.shape[0]
    for i in range(n):
        one = kv.CaseArrays(**{f: getattr(b, f)[i : i + 1] for f in b.__dataclass_fields__})
        oi = kv.calculate(one)
        np.testing.assert_allclose(oi.recovered[0], o.recovered[i])
        np.testing.assert_allclose(oi.a5[0], o.a5[i])


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 500), st.floats(0, 1), st.floats(0, 1))
def test_norm_counts_sum_and_minima(n, s1, s2):
    shares = np.array([s1 * (1 - 0), s2 * (1 - s1), 0.0])
    shares[2] = 1.0 - shares[0] - shares[1]
    counts = kv.norm_aantallen(n, shares)
    assert counts.sum() == n
    assert (counts >= 0).all()
    assert (counts == np.round(counts)).all()
    # the first group gets its minimum rounded up (unless the plan is too small)
    assert counts[0] == min(np.ceil(round(shares[0] * n, 9)), n)
