"""Programme engine rules, hand-computed (seed 000: verevening via het Beheerfonds, rente op voorfinanciering,
garanties 10 + 18 mln, taakstelling 10 mln Vliegbasis)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opengrex.engine import grex as rules
from opengrex.engine import programma as pr

R, G, OVERIG = pr.KIND_ROOD, pr.KIND_GROEN, pr.KIND_OVERIG


def _small():
    flows = np.array([[-100.0, 50.0, 80.0], [-30.0, 0.0, 10.0], [-10.0, 0.0, 0.0]])
    rente = np.array([[0.10] * 3, [0.05] * 3, [0.10] * 3])
    return flows, rente, np.array([R, G, OVERIG])


def test_verevening_hand_computed():
    flows, rente, kind = _small()
    vv = pr.verevening(flows, rente, kind, np.full(3, 0.05))
    # R: V = -100; -100*1.1+50 = -60; -60*1.1+80 = 14 -> 14 to the fund, book 0
    np.testing.assert_allclose(vv.book[0], [-100.0, -60.0, 0.0])
    np.testing.assert_allclose(vv.interest[0], [0.0, -10.0, -6.0])
    np.testing.assert_allclose(vv.transfer[0], [0.0, 0.0, 14.0])
    # G: settled with the fund every year (deficit paid, subsidy received)
    np.testing.assert_allclose(vv.transfer[1], [-30.0, 0.0, 10.0])
    np.testing.assert_allclose(vv.book[1], 0.0)
    # OVERIG: keeps its book value at 10%: -10, -11, -12.1
    np.testing.assert_allclose(vv.book[2], [-10.0, -11.0, -12.1])
    # fund at 5%: -30; -31.5; -31.5*1.05 + 24 = -9.075
    np.testing.assert_allclose(vv.fund_flows, [-30.0, 0.0, 24.0])
    np.testing.assert_allclose(vv.fund_book, [-30.0, -31.5, -9.075])
    np.testing.assert_allclose(vv.fund_interest, [0.0, -1.5, -1.575])


def test_interest_per_voorfinancierder_hand_computed():
    flows, rente, kind = _small()
    vv = pr.verevening(flows, rente, kind, np.full(3, 0.05))
    # financier 0 (A, 10%) pre-finances R and OVERIG; financier 1 (B) the fund
    fin = pr.interest_per_financier(vv.interest, np.array([0, 1, 0]), 2, vv.fund_interest, 1)
    np.testing.assert_allclose(fin[0], [0.0, -10.0 - 1.0, -6.0 - 1.1])
    np.testing.assert_allclose(fin[1], [0.0, -1.5, -1.575])
    # everything adds up to the programme book value minus the nominal flows
    total_book = vv.book.sum(axis=0)[-1] + vv.fund_book[-1]
    assert total_book == pytest.approx(flows.sum() + fin.sum(), abs=1e-12)


def test_verevening_without_fund_is_the_grex_book_value():
    flows, rente, kind = _small()
    vv = pr.verevening(flows, rente, kind, np.zeros(3), has_fund=False)
    book, interest = rules.book_value(flows, rente)
    np.testing.assert_allclose(vv.book, book)
    np.testing.assert_allclose(vv.interest, interest)
    np.testing.assert_allclose(vv.fund_book, 0.0)


@settings(max_examples=60, deadline=None)
@given(
    flows=st.lists(st.lists(st.floats(-1e6, 1e6), min_size=6, max_size=6), min_size=1, max_size=5),
    rate=st.floats(0.0, 0.2),
    kinds=st.lists(st.sampled_from([R, G, OVERIG]), min_size=5, max_size=5),
    timing=st.sampled_from(["end", "mid", "start"]),
)
def test_with_one_rate_verevening_does_not_change_the_programme_book(flows, rate, kinds, timing):
    """Property: when every project and the fund share one rate, moving money to the fund changes nothing: the
    programme book value equals the sum of the stand-alone book values."""
    f = np.array(flows)
    kind = np.array(kinds[: f.shape[0]])
    vv = pr.verevening(f, rate, kind, np.full(f.shape[1], rate), timing=timing)
    alone, _ = rules.book_value(f, rate, timing)
    np.testing.assert_allclose(vv.book.sum(axis=0) + vv.fund_book, alone.sum(axis=0), rtol=1e-9, atol=1e-6)
    # red books never positive, green books always zero
    assert (vv.book[kind == R] <= 1e-9).all()
    assert np.allclose(vv.book[kind == G], 0.0)


def test_verevening_broadcasts_over_draws():
    flows, rente, kind = _small()
    batch = np.stack([flows, 2 * flows])
    vv = pr.verevening(batch, rente, kind, np.full(3, 0.05))
    one = pr.verevening(flows, rente, kind, np.full(3, 0.05))
    np.testing.assert_allclose(vv.fund_book[0], one.fund_book)
    np.testing.assert_allclose(vv.fund_book[1], 2 * one.fund_book)  # linear: all transfers scale


def test_guarantee_use_headroom_and_breach_hand_computed():
    # two guarantees on one scope stack in order: exposure 21.175 -> 15 from the first, 6.175 from the second
    use, head, breach = pr.guarantee_use(np.array([21.175, 21.175]), np.array([15.0, 10.0]), np.array([0, 0]))
    np.testing.assert_allclose(use, [15.0, 6.175])
    np.testing.assert_allclose(head, [0.0, 3.825])
    np.testing.assert_allclose(breach, [0.0, 0.0])
    # ceiling too low: 1.175 above the ceilings, reported on the last guarantee of the scope
    use, head, breach = pr.guarantee_use(np.array([21.175, 21.175]), np.array([15.0, 5.0]), np.array([0, 0]))
    np.testing.assert_allclose(use, [15.0, 5.0])
    np.testing.assert_allclose(breach, [0.0, 1.175])
    # separate scopes do not share; no exposure: nothing used, full headroom
    use, head, breach = pr.guarantee_use(np.array([12.0, 0.0]), np.array([10.0, 18.0]), np.array([0, 1]))
    np.testing.assert_allclose(use, [10.0, 0.0])
    np.testing.assert_allclose(head, [0.0, 18.0])
    np.testing.assert_allclose(breach, [2.0, 0.0])


def test_guarantee_use_vectorised_over_draws():
    exp = np.array([[5.0, 5.0], [30.0, 30.0]])
    use, head, breach = pr.guarantee_use(exp, np.array([10.0, 18.0]), np.array([0, 0]))
    np.testing.assert_allclose(use, [[5.0, 0.0], [10.0, 18.0]])
    np.testing.assert_allclose(breach, [[0.0, 0.0], [0.0, 2.0]])


def test_taakstelling_hand_computed():
    short, met = pr.taakstelling(np.array([14.0, 25.0, 10e6]), np.array([20.0, 20.0, 10e6]))
    np.testing.assert_allclose(short, [6.0, 0.0, 0.0])
    assert met.tolist() == [False, True, True]


def test_shapley_weights_and_efficiency():
    assert pr.shapley_weights(3).tolist() == pytest.approx([1 / 3, 1 / 6, 1 / 3])
    rng = np.random.default_rng(0)
    v = rng.normal(size=2**5) * 1e7
    phi = pr.shapley(v, 5)
    assert phi.sum() == pytest.approx(v[-1] - v[0], abs=1e-6)


def test_shapley_additive_game_gives_each_cause_its_own_effect():
    effects = np.array([3.0, -5.0, 7.0])
    v = np.array([sum(effects[i] for i in range(3) if m >> i & 1) for m in range(8)])
    np.testing.assert_allclose(pr.shapley(v, 3), effects)


def test_shapley_symmetric_interaction_is_split_equally():
    # v = 10 only when both causes are on: each gets 5
    v = np.array([0.0, 0.0, 0.0, 10.0])
    np.testing.assert_allclose(pr.shapley(v, 2), [5.0, 5.0])
