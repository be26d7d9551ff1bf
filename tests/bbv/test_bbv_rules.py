"""Engine rules of opengrex.engine.bbv, hand-computed (scalar and portfolio-array inputs)."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from opengrex.engine import bbv as rules


def test_poc_and_winstneming_hand_computed():
    p = rules.poc(1000.0, 1300.0, 300.0, 1800.0)
    assert p == pytest.approx((1000 / 1300) * (300 / 1800), rel=1e-15)
    w, taken = rules.winstneming(p, 442.0, True, 20.0)
    assert w == pytest.approx(p * 442.0)
    assert taken == pytest.approx(p * 442.0 - 20.0)


def test_no_land_sold_no_profit_and_profit_taken_back():
    w, taken = rules.winstneming(np.array([0.5, 0.5]), np.array([1000.0, 1000.0]), np.array([False, True]), np.array([100.0, 0.0]))
    assert w.tolist() == [0.0, 500.0]
    assert taken.tolist() == [-100.0, 500.0]  # no uitgifte: the 100 taken before is taken back


def test_winstneming_risk_reduction_amount_then_share_and_loss():
    w, _ = rules.winstneming(0.5, 1000.0, True, 0.0, risico_bedrag=200.0, risico_aandeel=0.25)
    assert w == pytest.approx(0.5 * (1000 - 200) * 0.75)
    w, _ = rules.winstneming(0.5, -50.0, True, 0.0)
    assert w == 0.0  # a loss gives no profit
    w, _ = rules.winstneming(0.5, 100.0, True, 0.0, risico_bedrag=300.0)
    assert w == 0.0


def test_poc_without_revenues_is_nan_cost_share_without_costs_is_one():
    assert np.isnan(rules.poc(10.0, 20.0, 0.0, 0.0))
    assert rules.poc(0.0, 0.0, 50.0, 100.0) == 0.5


def test_voorziening_and_movement():
    v = rules.verliesvoorziening(np.array([-300.0, 200.0, -50.0]))
    assert v.tolist() == [300.0, 0.0, 50.0]
    dot, vrij = rules.mutatie_voorziening(v, np.array([100.0, 40.0, 50.0]))
    assert dot.tolist() == [200.0, 0.0, 0.0]
    assert vrij.tolist() == [0.0, 40.0, 0.0]


def test_renteschema_rows_eersel_2019():
    """Eersel, Begroting 2019 renteschema: a 391.995, b 11.834, c1 112.919, d1 754.024, d2 410.338, e 1.443.438."""
    s = rules.renteschema(391995, 11834, 112919, 0, 0, 754024, 410338, 1443438)
    assert float(s.saldo_extern) == 380161
    assert float(s.extern_toe_te_rekenen) == 267242
    assert float(s.toe_te_rekenen) == 1431604
    assert float(s.f) == -11834  # template arithmetic; Eersel prints "voordelig 11.834"
    assert float(s.renteresultaat) == 11834


def test_renteschema_c3_enters_positively():
    s = rules.renteschema(1000, 100, 200, 50, 30, 0, 0, 600)
    assert float(s.extern_toe_te_rekenen) == 1000 - 100 - 200 - 50 + 30
    assert float(s.f) == 680 - 600


@pytest.mark.parametrize("raw, richting, expected", [
    (0.0187, "dichtstbij", 0.02),   # Goirle 2018: 1,87 % -> 2 %
    (0.026, "dichtstbij", 0.025),
    (0.026, "omhoog", 0.03),        # Dordrecht 2018: 2,60 % -> 3,00 %
    (0.0175, "dichtstbij", 0.02),   # half up, despite 0.0175 in binary
    (0.0199, "omlaag", 0.015),
    (0.0123, "geen", 0.0123),
])
def test_omslagrente_rounding(raw, richting, expected):
    unrounded, rounded = rules.omslagrente(raw * 1000.0, 1000.0, 0.005, richting)
    assert unrounded == pytest.approx(raw, rel=1e-12)
    assert rounded == pytest.approx(expected, abs=1e-12)


def test_correctie_verplicht_above_25_percent():
    dev, must = rules.correctie_verplicht(np.array([125.0, 126.0, 74.0]), 100.0)
    assert dev.tolist() == pytest.approx([0.25, 0.26, 0.26])
    assert must.tolist() == [False, True, True]


def test_weerstand_classes_lower_bound_inclusive():
    bounds = [2.0, 1.4, 1.0, 0.8, 0.6]
    ratio, k = rules.weerstand(np.array([4.0, 2.8, 2.0, 1.0, 0.79, 0.6, 0.3, 5.0]), np.array([2.0, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0]), bounds)
    assert ratio[:7].tolist() == [2.0, 1.4, 2.0, 1.0, 0.79, 0.6, 0.3]
    assert list("ABCDEF"[i] for i in k) == ["A", "B", "A", "C", "E", "E", "F", "A"]  # exactly 2,0 is A, exactly 1,4 is B
    assert np.isinf(ratio[-1])


def test_looptijd_both_day_counts():
    ncw = dt.date(2026, 1, 1)
    assert rules.looptijd_jaren(ncw, np.array([2026, 2030]), rules.HELE_JAREN).tolist() == [1.0, 5.0]
    t = rules.looptijd_jaren(ncw, np.array([2026, 2030]), rules.WERKELIJKE_DAGEN)
    assert t.tolist() == pytest.approx([364 / 365.25, (dt.date(2030, 12, 31) - ncw).days / 365.25], rel=1e-15)
    assert (dt.date(2030, 12, 31) - ncw).days == 1825
    assert rules.looptijd_jaren(dt.date(2025, 7, 1), 2025, rules.HELE_JAREN) == pytest.approx(1 - 181 / 365)
    with pytest.raises(ValueError, match="dagtelling"):
        rules.looptijd_jaren(ncw, 2030, "maanden")


def test_verdeel_realisatie_pro_rata_fallbacks_and_new_lines():
    # project 0: two A6 lines with estimates 30/10; project 1: one A2 line without estimate for N (remaining 50) and no A6 line
    code = np.array([[1, 1], [0, -1]])
    est = np.array([[30.0, 10.0], [0.0, 0.0]])
    rest = np.array([[0.0, 0.0], [50.0, 0.0]])
    bedrag = np.array([[0.0, 80.0], [20.0, 7.0]])  # columns: code 0 (A2), code 1 (A6)
    alloc, without = rules.verdeel_realisatie(bedrag, code, est, rest, 2)
    assert alloc.tolist() == [[60.0, 20.0], [20.0, 0.0]]
    assert without.tolist() == [[0.0, 0.0], [0.0, 7.0]]  # A6 in project 1 has no line -> a new line
    # neither estimate nor remaining: the first line of the code takes it all
    alloc, _ = rules.verdeel_realisatie(np.array([[9.0]]), np.array([[0, 0]]), np.zeros((1, 2)), np.zeros((1, 2)), 1)
    assert alloc.tolist() == [[9.0, 0.0]]


def test_rente_toegerekend_and_grex_rate():
    assert rules.rente_toegerekend(np.array([1000.0, -200.0]), 0.0219).tolist() == pytest.approx([21.9, -4.38])
    assert float(rules.grex_rentepercentage(0.03, 60.0, 100.0)) == pytest.approx(0.018)
    assert float(rules.grex_rentepercentage(0.03, 0.0, 0.0)) == 0.0


def test_shapley_split_adds_up_for_a_tiny_pair():
    """verschilanalyse on two one-line versions: the parts add up to the total change (Shapley efficiency)."""
    y = 3
    fut = np.array([False, True, True])
    def version(flow0, reeel, spread, idx, rente, d):
        flows = np.zeros((1, 1, y))
        flows[0, 0, 0] = flow0
        flows[0, 0, 1:] = -reeel * np.array(spread)[1:] * np.array(idx)[1:]
        return rules.Versie(flows, np.array([[reeel]]), np.array([[spread]]), np.array([[idx]]), np.array([[-1.0]]), np.array([[rente] * y]), np.zeros(1), np.array([2]), np.array([2.0]), d)
    a = version(-100.0, 200.0, [0, 0.5, 0.5], [1, 1.1, 1.21], 0.03, 0.02)
    b = version(-130.0, 220.0, [0, 0.2, 0.8], [1, 1.2, 1.3], 0.04, 0.02)
    tab = np.array([[[2.0], [2.0]], [[1.0], [1.0]]])
    values, parts = rules.verschilanalyse(a, b, fut, tab)
    total = values[-1].sum(axis=(-2, -1)) - values[0].sum(axis=(-2, -1))
    assert parts.sum(axis=(0, -2, -1)) == pytest.approx(total, abs=1e-9)
    assert values[0, 0].sum() == pytest.approx(-100 - 200 * (0.5 * 1.1 + 0.5 * 1.21))
