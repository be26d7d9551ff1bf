"""Issue #9, grex defects (spec grondexploitatie.md §6, §8, §9, clarified): the terugverdienjaar is the year from
which the book value stays >= 0, with the first recovery and the dip reported; prijspeil totals use realised amounts
deflated to prijspeil; ``realised_through`` replaces every estimate up to that year and reports the vervallen raming."""
from __future__ import annotations

import numpy as np
import pytest

from opengrex.engine import grex as rules
from opengrex.reference.grex import reference_grex
from opengrex.services.grex import calculate_grex, grex_from_dict


def doc(kosten, opbrengsten=(), **over) -> dict:
    d = {"naam": "t", "prijspeil": "2025-01-01", "startjaar": 2025, "eindjaar": 2030, "rente": 0.0, "disconteringsvoet": 0.0,
         "indexreeksen": {"geen": 0.0, "tien": 0.10}, "kosten": list(kosten), "opbrengsten": list(opbrengsten)}
    d.update(over)
    return d


def cost(amount, phasing, index="geen", **extra) -> dict:
    return {"naam": f"k{amount}", "kostensoort": "A6", "bedrag": amount, "indexreeks": index, "fasering": phasing, **extra}


def revenue(amount, phasing) -> dict:
    return {"naam": f"o{amount}", "opbrengstsoort": "overig", "bedrag": amount, "indexreeks": "geen", "fasering": phasing}


# --------------------------------------------------------------------------------------------- §6 terugverdienjaar
def test_terugverdienjaar_engine_rule():
    book = np.array([-10.0, -30.0, -5.0, 2.0, -1.0, 4.0])
    stays, first, dip, dip_pos = rules.terugverdienjaar(book)
    assert (int(stays), int(first), float(dip), int(dip_pos)) == (5, 3, -1.0, 4)
    assert tuple(int(v) for v in rules.terugverdienjaar(np.array([-1.0, 2.0, 3.0]))[::3]) == (1, -1)
    assert tuple(map(float, rules.terugverdienjaar(np.array([1.0, 2.0])))) == (-1.0, -1.0, 0.0, -1.0)
    assert int(rules.terugverdienjaar(np.array([-1.0, 2.0, -3.0]))[0]) == -1  # negative at the end: never


def test_terugverdienjaar_batched_equals_rows():
    book = np.random.default_rng(5).normal(0, 10, size=(4, 3, 8))
    out = rules.terugverdienjaar(book)
    for i in range(4):
        for j in range(3):
            assert tuple(float(a[i, j]) for a in out) == tuple(map(float, rules.terugverdienjaar(book[i, j])))


def test_early_recovery_then_a_dip_is_not_the_terugverdienjaar():
    # flows: -100, +150 (recovered in 2026), -200 (negative again in 2027), +300 (2028): stays from 2028
    g = grex_from_dict(doc([cost(100, {2025: 1.0}), cost(200, {2027: 1.0})], [revenue(150, {2026: 1.0}), revenue(300, {2028: 1.0})]))
    bk = calculate_grex(g).badkuip()
    assert bk["terugverdienjaar"] == 2028  # the first version said 2026
    assert bk["eerste_herstel"] == 2026
    assert bk["dip"] == {"jaar": 2027, "boekwaarde": pytest.approx(-150.0)}
    ref = reference_grex(g)
    assert (ref.recovery_year, ref.eerste_herstel, ref.dip_year) == (2028, 2026, 2027)


# --------------------------------------------------------------------------------------------- §8-9 realised amounts
def test_prijspeil_totals_deflate_realised_amounts():
    # estimate 1000 at prijspeil, half in 2026 (index 1,1 in 2026); realised 2026: 660 nominal = 600 at prijspeil
    g = grex_from_dict(doc([cost(1000, {2025: 0.5, 2026: 0.5}, "tien", gerealiseerd={2026: 660.0})]))
    r = calculate_grex(g)
    assert r.saldo_prijspeil == pytest.approx(-(500 + 660 / 1.1), rel=1e-14)  # the first version: -1000
    assert r.totals()["prijspeil"]["kosten"] == pytest.approx(-1100.0, rel=1e-14)
    assert r.saldo_nominaal == pytest.approx(-(500 + 660), rel=1e-14)
    assert reference_grex(g).saldo_prijspeil == pytest.approx(r.saldo_prijspeil, rel=1e-14)


def test_realised_amount_in_a_year_without_phasing_counts_at_prijspeil():
    g = grex_from_dict(doc([cost(1000, {2025: 1.0}, "tien", gerealiseerd={2027: 121.0})]))
    r = calculate_grex(g)
    assert r.saldo_prijspeil == pytest.approx(-(1000 + 121 / 1.21), rel=1e-14)  # the first version: -1000


def test_realised_through_replaces_estimates_and_reports_the_vervallen_raming():
    g = grex_from_dict(doc([cost(1000, {2025: 0.4, 2026: 0.6}, gerealiseerd={2025: 300.0}), cost(500, {2027: 1.0})], gerealiseerd_tot_en_met=2026))
    r = calculate_grex(g)
    # 2025: 400 estimated, 300 realised; 2026: 600 estimated, nothing realised -> 0
    assert r.saldo_nominaal == pytest.approx(-(300 + 500))
    assert r.saldo_prijspeil == pytest.approx(-(300 + 500))
    vr = r.vervallen_raming_frame()
    assert len(vr) == 2 and vr.iloc[0]["vervallen_raming_prijspeil"] == pytest.approx(700.0)
    assert vr.iloc[0]["raming_prijspeil"] == pytest.approx(1000.0) and vr.iloc[0]["gerealiseerd_prijspeil"] == pytest.approx(300.0)
    assert vr.iloc[1]["vervallen_raming_prijspeil"] == pytest.approx(0.0)  # nothing estimated in 2025-2026
    ref = reference_grex(g)
    np.testing.assert_allclose([-v for v in ref.vervallen_prijspeil], vr["vervallen_raming_prijspeil"], atol=1e-9)
    assert r.summary()["vervallen_raming"][0]["vervallen_raming_nominaal"] == pytest.approx(700.0)


@pytest.mark.parametrize("timing", ["end", "mid", "start"])
def test_prijspeil_nominal_and_contant_describe_the_same_flows(timing):
    # index 0 and d = 0: the three totals must be equal, realised amounts included
    g = grex_from_dict(doc([cost(1000, {2025: 0.5, 2026: 0.5}, gerealiseerd={2025: 450.0, 2028: 80.0})], [revenue(2000, {2029: 1.0})], timing=timing))
    t = calculate_grex(g).totals()
    assert t["prijspeil"]["saldo"] == pytest.approx(t["nominaal"]["saldo"], rel=1e-14)
    assert t["contante_waarde"]["saldo"] == pytest.approx(t["nominaal"]["saldo"], rel=1e-14)


def test_boekwaarde_op_is_the_engine_rule():
    import datetime as dt

    from opengrex.services.grex import boekwaarde_op

    g = grex_from_dict(doc([cost(1000, {2025: 0.5, 2026: 0.5}, gerealiseerd={2025: 400.0})], rente=0.1, gerealiseerd_tot_en_met=2025))
    assert boekwaarde_op(g, dt.date(2026, 1, 1)) == pytest.approx(-400.0)
    assert boekwaarde_op(g, dt.date(2024, 7, 1)) == pytest.approx(0.0)  # before the grid: the opening value
    assert boekwaarde_op(g, dt.date(2040, 1, 1)) == pytest.approx(-400 * 1.1**5)  # after the grid: realised years only
