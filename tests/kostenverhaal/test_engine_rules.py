"""Engine rules moved out of the services (issue 9 item 1), each with a scalar and an array input and hand-computed
values: actualisatie (year fractions, index factor, cents, series merge), eindafrekening (share, discounting once,
per category, amount due, earliest date), kostenverhaal amounts (party totals, planschade, PTP, dearest segment)."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from opengrex.engine import actualisatie as act
from opengrex.engine import eindafrekening as eind
from opengrex.engine import kostenverhaal as kv


# ------------------------------------------------------------------------------------------------ actualisatie
def test_year_fractions():
    jaren, deel, dagen, n = act.jaardelen(dt.date(2024, 7, 1), dt.date(2025, 7, 1))
    assert jaren.tolist() == [2024, 2025] and dagen.tolist() == [184, 181] and n.tolist() == [366, 365]
    assert deel.tolist() == pytest.approx([184 / 366, 181 / 365])
    assert act.jaardelen(dt.date(2025, 1, 1), dt.date(2025, 1, 1))[0].size == 0


def test_index_factor_scalar_and_per_investment():
    _, deel, _, _ = act.jaardelen(dt.date(2024, 1, 1), dt.date(2026, 1, 1))
    assert act.indexfactor([0.04, 0.02], deel) == pytest.approx(1.04 * 1.02)
    got = act.indexfactor(np.array([[0.04, 0.02], [0.01, 0.01], [0.0, -0.5]]), deel)
    np.testing.assert_allclose(got, [1.0608, 1.0201, 0.5])
    np.testing.assert_allclose(act.geindexeerd([[100.0, 20.0], [10.0, 0.0]], [1.5, 2.0]), [[150.0, 30.0], [20.0, 0.0]])


def test_cents_never_make_deductions_exceed_bruto():
    # netto 0 before: bruto 100,005 → 100,00 (half to even) and deductions 50,0025 + 50,0025 → 50,00 + 50,00: fine;
    # bruto 0,01 split 0,005 + 0,005 → 0,01 and 0,00 + 0,00 (or 0,01 + 0,01 → the largest gives a cent back)
    out = act.op_centen([[0.015, 0.0075, 0.0075]])
    assert out[0, 1:].sum() <= out[0, 0] + 1e-12
    np.testing.assert_allclose(act.op_centen([[1_000.004, 200.004, 0.0]]), [[1_000.0, 200.0, 0.0]])
    batch = act.op_centen(np.array([[10.005, 5.005, 5.005], [3.0, 1.0, 1.0]]))
    assert np.all(batch[:, 1:].sum(axis=-1) <= batch[:, 0] + 1e-9)


def test_series_merge_file_wins():
    assert act.reeksen_samenvoegen({"bouw": 0.03, "groen": {2024: 0.01}}, {"bouw": 0.05}) == {"bouw": 0.05, "groen": {2024: 0.01}}


# ------------------------------------------------------------------------------------------------ eindafrekening
def test_share_of_the_plan():
    assert eind.aandeel_plan(250_000, [3e6, 2e6]) == pytest.approx(0.05)
    np.testing.assert_allclose(eind.aandeel_plan(np.array([1.0, 2.0]), np.array([[2.0, 2.0], [4.0, 4.0]])), [0.25, 0.25])
    assert np.isnan(eind.aandeel_plan(1.0, [0.0]))


def test_discounting_once():
    d0 = dt.date(2022, 7, 1).toordinal()
    days = [d0, d0 + 365]
    each = eind.contante_waarden([1_000_000.0, 612_000.0], days, d0, 0.02)
    np.testing.assert_allclose(each, [1_000_000.0, 600_000.0])
    assert eind.contante_waarde_op_betaaldatum([1_000_000.0, 612_000.0], days, d0, 0.02) == pytest.approx(1_600_000.0)
    batch = eind.contante_waarde_op_betaaldatum(np.array([[1.0, 1.02], [2.0, 2.04]]), days, d0, np.array([0.02, 0.02]))
    np.testing.assert_allclose(batch, [2.0, 4.0])
    np.testing.assert_allclose(eind.per_categorie([1.0, 2.0, 4.0], [1, 0, 1], 2), [2.0, 5.0])
    assert eind.verschuldigd(0.05, 1_600_000.0) == pytest.approx(80_000.0)


def test_earliest_date_and_leap_day():
    assert eind.vroegste_afrekendatum(dt.date(2019, 3, 1), 5) == dt.date(2024, 3, 1)
    assert eind.vroegste_afrekendatum(dt.date(2024, 2, 29), 5) == dt.date(2029, 3, 1)
    assert eind.planschade_afrekening(np.array([100.0, 100.0]), np.array([60.0, 130.0])).tolist() == [40.0, -30.0]


# ------------------------------------------------------------------------------------------------ kostenverhaal amounts
def test_party_totals_and_planschade():
    bedrag = np.array([[100.0, 50.0, 1_000.0, 7.0, 30.0]])
    partij = [0, 1, 0, 1, 1]
    post = [0, 0, 1, 2, 0]
    tot = kv.partij_totalen(bedrag, partij, post)
    assert tot.shape == (1, 2, 3)
    np.testing.assert_allclose(tot[0], [[100.0, 1_000.0, 0.0], [80.0, 0.0, 7.0]])
    np.testing.assert_allclose(kv.planschade_per_partij(bedrag, partij, [False, False, False, False, True]), [[0.0, 30.0]])
    assert kv.partij_totalen(np.zeros((3, 0)), [], []).shape == (3, 2, 3)


def test_ptp_given_or_derived():
    np.testing.assert_allclose(kv.ptp_aandelen([0.25, np.nan], [0, 20], [0, 200]), [0.25, 0.1])
    np.testing.assert_allclose(kv.toegerekend([1_000.0, 2_500_000.0], [0.25, 0.1]), [250.0, 250_000.0])


def test_dearest_segment_of_a_norm_group():
    groep = np.array([[True, True, False], [False, False, True]])  # Soesterberg: sociaal+midden | duur
    np.testing.assert_allclose(kv.grondwaarde_per_groep([20_000.0, 40_000.0, 100_000.0], groep), [40_000.0, 100_000.0])
    np.testing.assert_allclose(kv.woningen_per_groep([0.0, 1.0, 9.0], groep), [1.0, 9.0])
    batch = kv.grondwaarde_per_groep(np.array([[1.0, 2.0, 3.0], [5.0, 4.0, 3.0]]), groep)
    np.testing.assert_allclose(batch, [[2.0, 3.0], [5.0, 3.0]])
    np.testing.assert_allclose(kv.grondwaarde_per_segment([np.nan, 5.0, np.nan], [242_000, 0, 484_000], [0.13, 0.25, 0.38], 0.21), [26_000, 5.0, 152_000])
