"""One rule, hand-computed: every formula of shared/spec/grondexploitatie.md §1–§7, each with a scalar/1-D input
and a batched input (leading axes) that must give the same numbers. Expected values are written as the formula."""
from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from opengrex.engine import grex as rules
from opengrex.engine.grex import calculate
from opengrex.services.grex import calculate_grex, grex_from_dict

# ---------------------------------------------------------------------------------------------------------------
# helpers


def make(**over) -> dict:
    """A one-cost-line grex document on 2025–2028 (costs negative), overridable key by key."""
    data = {
        "name": "t",
        "prijspeil": "2025-01-01",
        "start_year": 2025,
        "end_year": 2028,
        "timing": "end",
        "rente": 0.0,
        "disconteringsvoet": 0.0,
        "ncw_datum": "2025-01-01",
        "indices": {"geen": 0.0},
        "kosten": [{"name": "k", "kostensoort": "A6", "amount": 1000.0, "index": "geen", "phasing": {2025: 1.0}}],
        "opbrengsten": [],
    }
    data.update(over)
    return data


def run(**over):
    return calculate_grex(grex_from_dict(make(**over)))


# ---------------------------------------------------------------------------------------------------------------
# §1 indexation


def test_price_index_is_one_at_prijspeil_and_a_product_after():
    r = np.array([0.035, 0.03, 0.02, 0.02])
    got = rules.price_index(r, base=0)
    want = [1.0, 1.035, 1.035 * 1.03, 1.035 * 1.03 * 1.02]  # I_y = prod(1 + r_k, k = p .. y-1)
    np.testing.assert_allclose(got, want, rtol=1e-14)


def test_price_index_before_prijspeil_divides():
    r = np.array([0.01, 0.02, 0.03, 0.04])
    got = rules.price_index(r, base=2)
    want = [1 / (1.01 * 1.02), 1 / 1.02, 1.0, 1.03]  # y < p: 1 / prod(1 + r_k, k = y .. p-1)
    np.testing.assert_allclose(got, want, rtol=1e-14)


def test_price_index_batched_equals_rows():
    rng = np.random.default_rng(0)
    r = rng.uniform(-0.02, 0.06, size=(4, 3, 9))  # (D, S, Y)
    got = rules.price_index(r, base=3)
    for d in range(4):
        for s in range(3):
            np.testing.assert_allclose(got[d, s], rules.price_index(r[d, s], base=3), rtol=1e-14)
    assert got.shape == r.shape
    np.testing.assert_allclose(got[..., 3], 1.0)


def test_model_indexation_multi_year_and_last_rate_holds():
    """Index {2025: 3.5%, 2026: 3.0%}: 2027 and 2028 use 3.0% ("2026 e.v.")."""
    kosten = [{"name": "k", "kostensoort": "A6", "amount": 1000.0, "index": "kost", "phasing": {2028: 1.0}}]
    res = run(indices={"kost": {2025: 0.035, 2026: 0.03}}, kosten=kosten)
    want = -1000.0 * 1.035 * 1.03 * 1.03  # I_2028 = (1 + r_2025)(1 + r_2026)(1 + r_2027)
    assert res.outcome.flows[-1] == pytest.approx(want, rel=1e-13)
    np.testing.assert_allclose(res.outcome.index[0], [1, 1.035, 1.035 * 1.03, 1.035 * 1.03**2], rtol=1e-14)


def test_model_first_rate_holds_for_earlier_years():
    kosten = [{"name": "k", "kostensoort": "A6", "amount": 1000.0, "index": "kost", "phasing": {2026: 1.0}}]
    res = run(indices={"kost": {2027: 0.05}}, kosten=kosten)
    assert res.outcome.flows[1] == pytest.approx(-1000.0 * 1.05, rel=1e-13)  # 2025 has no rate of its own: 5% holds


def test_model_prijspeil_after_start_year_deflates_earlier_years():
    kosten = [{"name": "k", "kostensoort": "A6", "amount": 1000.0, "index": "kost", "phasing": {2025: 0.5, 2028: 0.5}}]
    res = run(prijspeil="2027-01-01", indices={"kost": {2025: 0.01, 2026: 0.02, 2027: 0.03}}, kosten=kosten)
    # I_2025 = 1 / ((1 + r_2025)(1 + r_2026)), I_2028 = 1 + r_2027
    np.testing.assert_allclose(res.outcome.flows, [-500 / (1.01 * 1.02), 0, 0, -500 * 1.03], rtol=1e-13)


def test_model_prijspeil_before_start_year_indexes_from_prijspeil():
    kosten = [{"name": "k", "kostensoort": "A6", "amount": 1000.0, "index": "kost", "phasing": {2025: 1.0}}]
    res = run(prijspeil="2023-01-01", indices={"kost": 0.04}, kosten=kosten)
    assert res.outcome.flows[0] == pytest.approx(-1000 * 1.04**2, rel=1e-13)  # I_2025 = (1.04)(1.04)


def test_mid_year_factor_scalar_and_batched():
    assert rules.mid_year_factor(0.04, "mid") == pytest.approx(math.sqrt(1.04), rel=1e-15)
    assert rules.mid_year_factor(0.04, "end") == 1.0
    assert rules.mid_year_factor(0.04, "start") == 1.0
    r = np.array([[0.0, 0.04], [0.21, -0.19]])
    np.testing.assert_allclose(rules.mid_year_factor(r, "mid"), [[1.0, math.sqrt(1.04)], [1.1, 0.9]], rtol=1e-15)


def test_model_mid_indexes_half_a_year_further():
    kosten = [{"name": "k", "kostensoort": "A6", "amount": 1000.0, "index": "kost", "phasing": {2026: 1.0}}]
    res = run(timing="mid", indices={"kost": {2025: 0.02, 2026: 0.04}}, kosten=kosten)
    assert res.outcome.flows[1] == pytest.approx(-1000 * 1.02 * 1.04**0.5, rel=1e-13)  # I_2026 (1 + r_2026)^0.5
    res_start = run(timing="start", indices={"kost": {2025: 0.02, 2026: 0.04}}, kosten=kosten)
    assert res_start.outcome.flows[1] == pytest.approx(-1000 * 1.02, rel=1e-13)  # start: I_y as it is


def test_line_flows_scalar_and_batched():
    amount = np.array([100.0, 50.0])
    share = np.array([[0.5, 0.5, 0.0], [0.0, 0.2, 0.8]])
    sign = np.array([-1.0, 1.0])
    index = np.array([[1.0, 1.1, 1.2], [1.0, 1.05, 1.1]])
    got = rules.line_flows(amount, share, sign, index)
    want = [[-50.0, -55.0, 0.0], [0.0, 50 * 0.2 * 1.05, 50 * 0.8 * 1.1]]  # sign * amount * share_y * I_y
    np.testing.assert_allclose(got, want, rtol=1e-15)
    batch = rules.line_flows(np.stack([amount, 2 * amount]), share, sign, np.stack([index, index]))
    np.testing.assert_allclose(batch[0], want, rtol=1e-15)
    np.testing.assert_allclose(batch[1], 2 * np.array(want), rtol=1e-15)


def test_realised_replaces_estimate_and_is_not_indexed():
    kosten = [
        {"name": "k", "kostensoort": "A6", "amount": 1000.0, "index": "kost", "phasing": {2026: 0.5, 2027: 0.5}, "realised": {2026: 700.0}}
    ]
    res = run(indices={"kost": 0.10}, kosten=kosten)
    np.testing.assert_allclose(res.outcome.flows, [0.0, -700.0, -500 * 1.1**2, 0.0], rtol=1e-13)
    mask = np.array([[False, True, False]])
    got = rules.line_flows(np.array([10.0]), np.array([[0.5, 0.5, 0.0]]), np.array([1.0]), np.full((1, 3), 2.0), np.array([[0.0, 3.0, 0.0]]), mask)
    np.testing.assert_allclose(got, [[10.0, 3.0, 0.0]])  # realised 3 (nominal), not 3 x index 2


def test_realised_through_replaces_every_line_up_to_that_year():
    kosten = [
        {"name": "a", "kostensoort": "A6", "amount": 1000.0, "index": "geen", "phasing": {2025: 0.5, 2026: 0.5}, "realised": {2025: 400.0}},
        {"name": "b", "kostensoort": "A8", "amount": 200.0, "index": "geen", "phasing": {2025: 0.5, 2027: 0.5}},
    ]
    res = run(kosten=kosten, realised_through=2025)
    # 2025: a realised 400, b realised nothing -> 0 (estimate 100 dropped); later years: estimates
    np.testing.assert_allclose(res.outcome.flows, [-400.0, -500.0, -100.0, 0.0], rtol=1e-14)


def test_phasing_as_absolute_amounts_equals_shares():
    shares = [{"name": "k", "kostensoort": "A6", "amount": 800.0, "index": "kost", "phasing": {2025: 0.25, 2027: 0.75}}]
    amounts = [{"name": "k", "kostensoort": "A6", "amount": 800.0, "index": "kost", "phasing": {2025: 200.0, 2027: 600.0}}]
    a = run(kosten=shares, indices={"kost": 0.03}, rente=0.02)
    b = run(kosten=amounts, indices={"kost": 0.03}, rente=0.02)
    np.testing.assert_allclose(b.outcome.flows, [-200.0, 0.0, -600 * 1.03**2, 0.0], rtol=1e-14)
    np.testing.assert_allclose(a.outcome.flows, b.outcome.flows, rtol=1e-15)
    assert a.ncw == b.ncw


# ---------------------------------------------------------------------------------------------------------------
# §3 book value and interest per timing

F = np.array([-100.0, 50.0, 80.0])
R = np.array([0.02, 0.03, 0.04])
B0 = 10.0


def _hand(timing: str) -> list[float]:
    b, out = B0, []
    for f, r in zip(F, R):
        if timing == "end":
            b = b * (1 + r) + f  # B_y = B_(y-1)(1 + r_y) + F_y
        elif timing == "mid":
            b = b * (1 + r) + f * (1 + r) ** 0.5  # + F_y (1 + r_y)^0.5
        else:
            b = (b + f) * (1 + r)  # (B_(y-1) + F_y)(1 + r_y)
        out.append(b)
    return out


def test_book_value_end_by_hand():
    book, interest = rules.book_value(F, R, "end", B0)
    b1 = 10 * 1.02 - 100
    b2 = b1 * 1.03 + 50
    b3 = b2 * 1.04 + 80
    np.testing.assert_allclose(book, [b1, b2, b3], rtol=1e-14)
    np.testing.assert_allclose(interest, [10 * 0.02, b1 * 0.03, b2 * 0.04], rtol=1e-12)  # rente = B_(y-1) r_y


def test_book_value_mid_by_hand():
    book, interest = rules.book_value(F, R, "mid", B0)
    b1 = 10 * 1.02 - 100 * 1.02**0.5
    b2 = b1 * 1.03 + 50 * 1.03**0.5
    b3 = b2 * 1.04 + 80 * 1.04**0.5
    np.testing.assert_allclose(book, [b1, b2, b3], rtol=1e-14)
    # rente_y = B_(y-1) r_y + F_y ((1 + r_y)^0.5 - 1)
    want = [10 * 0.02 - 100 * (1.02**0.5 - 1), b1 * 0.03 + 50 * (1.03**0.5 - 1), b2 * 0.04 + 80 * (1.04**0.5 - 1)]
    np.testing.assert_allclose(interest, want, rtol=1e-10)


def test_book_value_start_by_hand():
    book, interest = rules.book_value(F, R, "start", B0)
    b1 = (10 - 100) * 1.02
    b2 = (b1 + 50) * 1.03
    b3 = (b2 + 80) * 1.04
    np.testing.assert_allclose(book, [b1, b2, b3], rtol=1e-14)
    np.testing.assert_allclose(interest, [(10 - 100) * 0.02, (b1 + 50) * 0.03, (b2 + 80) * 0.04], rtol=1e-12)


@pytest.mark.parametrize("timing", ["end", "mid", "start"])
def test_book_value_batched_equals_rows(timing):
    flows = np.stack([F, 2 * F, -F]).reshape(3, 1, 3)  # (P, D, Y)
    rente = np.stack([R, R / 2, np.zeros(3)]).reshape(3, 1, 3)
    opening = np.array([B0, 0.0, -5.0]).reshape(3, 1)
    book, interest = rules.book_value(flows, rente, timing, opening)
    assert book.shape == (3, 1, 3)
    for p in range(3):
        b, i = rules.book_value(flows[p, 0], rente[p, 0], timing, float(opening[p, 0]))
        np.testing.assert_allclose(book[p, 0], b, rtol=1e-15)
        np.testing.assert_allclose(interest[p, 0], i, rtol=1e-15)
    np.testing.assert_allclose(book[0, 0], _hand(timing), rtol=1e-14)
    # rente 0: no interest, book value is the cumulative flow plus opening
    np.testing.assert_allclose(interest[2, 0], 0.0, atol=1e-12)
    np.testing.assert_allclose(book[2, 0], -5.0 + np.cumsum(-F), rtol=1e-14)


def test_book_value_rejects_unknown_timing():
    with pytest.raises(ValueError):
        rules.book_value(F, R, "eind")


@pytest.mark.parametrize("timing", ["end", "mid", "start"])
def test_model_interest_per_year_and_opening_book_value(timing):
    kosten = [{"name": "k", "kostensoort": "A6", "amount": 100.0, "index": "geen", "phasing": {2025: 1.0}}]
    opbrengsten = [{"name": "o", "opbrengstsoort": "overig", "amount": 130.0, "index": "geen", "phasing": {2027: 1.0}}]
    res = run(timing=timing, kosten=kosten, opbrengsten=opbrengsten, rente={2025: 0.02, 2026: 0.03, 2027: 0.04}, opening_book_value=10.0)
    flows = [-100.0, 0.0, 130.0, 0.0]
    rente = [0.02, 0.03, 0.04, 0.04]  # last rate holds
    b, book = 10.0, []
    for f, r in zip(flows, rente):
        b = {"end": b * (1 + r) + f, "mid": b * (1 + r) + f * (1 + r) ** 0.5, "start": (b + f) * (1 + r)}[timing]
        book.append(b)
    np.testing.assert_allclose(res.outcome.book_value, book, rtol=1e-14)
    before = [10.0] + book[:-1]
    np.testing.assert_allclose(res.outcome.interest, [bk - bf - f for bk, bf, f in zip(book, before, flows)], rtol=1e-10, atol=1e-12)
    assert res.eindwaarde == pytest.approx(book[-1], rel=1e-14)  # eindwaarde = B_end
    # the yearly table shows the same interest
    np.testing.assert_allclose(res.yearly_frame()["rente"].to_numpy(), res.outcome.interest)


# ---------------------------------------------------------------------------------------------------------------
# §4 eindwaarde, NCW (BBV), contante waarde


def test_t_end_first_of_january():
    res = run(end_year=2036, ncw_datum="2025-01-01")
    assert res.outcome.t_end == 2036 + 1 - 2025  # = 12


def test_t_end_other_day_non_leap_and_leap():
    res = run(ncw_datum="2025-07-02", prijspeil="2025-01-01")
    # 2 July 2025 is day 183 of 365: T_end = 2028 + 1 - 2025 - 182/365
    assert res.outcome.t_end == pytest.approx(4 - 182 / 365, abs=1e-14)
    res_leap = run(ncw_datum="2024-07-01", prijspeil="2025-01-01")
    # 1 July 2024 is day 183 of 366 (leap year): T_end = 2028 + 1 - 2024 - 182/366
    assert res_leap.outcome.t_end == pytest.approx(5 - 182 / 366, abs=1e-14)


def test_ncw_bbv_scalar_and_batched():
    assert rules.ncw_bbv(1000.0, 0.02, 12.0) == pytest.approx(1000 / 1.02**12, rel=1e-15)
    got = rules.ncw_bbv(np.array([[1000.0, -500.0]]), np.array([[0.02, 0.05]]), 3.5)
    np.testing.assert_allclose(got, [[1000 / 1.02**3.5, -500 / 1.05**3.5]], rtol=1e-15)


def test_model_ncw_is_eindwaarde_discounted_over_t_end():
    kosten = [{"name": "k", "kostensoort": "A6", "amount": 1000.0, "index": "geen", "phasing": {2025: 1.0}}]
    res = run(kosten=kosten, rente=0.03, disconteringsvoet=0.02, ncw_datum="2024-03-01")
    eind = -1000 * 1.03**3  # paid 31-12-2025, 3 years of 3% rente to 31-12-2028
    t_end = 2028 + 1 - 2024 - 60 / 366  # 1 March 2024 is day 61 of a leap year
    assert res.eindwaarde == pytest.approx(eind, rel=1e-13)
    assert res.ncw == pytest.approx(eind / 1.02**t_end, rel=1e-13)


@pytest.mark.parametrize("timing,shift", [("end", 0.0), ("mid", 0.5), ("start", 1.0)])
def test_discount_times(timing, shift):
    years = np.arange(2025, 2029)
    got = rules.discount_times(years, 2025, 0.25, timing)
    np.testing.assert_allclose(got, years + 1 - 2025 - 0.25 - shift, rtol=1e-15)


def test_present_value_scalar_and_batched():
    f = np.array([-100.0, 0.0, 150.0])
    t = np.array([1.0, 2.0, 3.0])
    assert rules.present_value(f, 0.1, t) == pytest.approx(-100 / 1.1 + 150 / 1.1**3, rel=1e-14)
    fb = np.stack([f, 2 * f])
    got = rules.present_value(fb, np.array([0.1, 0.0]), t)
    np.testing.assert_allclose(got, [-100 / 1.1 + 150 / 1.1**3, 2 * (-100 + 150)], rtol=1e-14)


@pytest.mark.parametrize("timing", ["end", "mid", "start"])
def test_present_value_equals_ncw_when_rente_equals_d(timing):
    kosten = [{"name": "k", "kostensoort": "A6", "amount": 1000.0, "index": "kost", "phasing": {2025: 0.6, 2026: 0.4}}]
    opbrengsten = [{"name": "o", "opbrengstsoort": "overig", "amount": 1300.0, "index": "geen", "phasing": {2027: 0.5, 2028: 0.5}}]
    res = run(timing=timing, kosten=kosten, opbrengsten=opbrengsten, indices={"kost": 0.03, "geen": 0.0}, rente=0.04, disconteringsvoet=0.04, ncw_datum="2025-05-17")
    assert res.ncw == pytest.approx(res.contante_waarde, rel=1e-12)
    # and by hand: sum F_y / (1 + d)^t_y with t_y = y + 1 - 2025 - f - shift
    f = (31 + 28 + 31 + 30 + 16) / 365
    shift = {"end": 0.0, "mid": 0.5, "start": 1.0}[timing]
    flows = res.outcome.flows
    pv = sum(flows[j] / 1.04 ** (2025 + j + 1 - 2025 - f - shift) for j in range(4))
    assert res.contante_waarde == pytest.approx(pv, rel=1e-13)
    assert flows[0] == pytest.approx(-600.0 * (1.03**0.5 if timing == "mid" else 1.0), rel=1e-14)


@pytest.mark.parametrize("timing", ["end", "mid", "start"])
def test_present_value_differs_from_ncw_when_rente_differs(timing):
    kosten = [{"name": "k", "kostensoort": "A6", "amount": 1000.0, "index": "geen", "phasing": {2025: 1.0}}]
    res = run(timing=timing, kosten=kosten, rente=0.05, disconteringsvoet=0.02)
    t0 = {"end": 1.0, "mid": 0.5, "start": 0.0}[timing]
    flow_factor = {"end": 1.0, "mid": 1.05**0.5, "start": 1.05}[timing]
    eind = -1000 * flow_factor * 1.05**3
    assert res.ncw == pytest.approx(eind / 1.02**4, rel=1e-13)
    assert res.contante_waarde == pytest.approx(-1000 / 1.02**t0, rel=1e-13)
    assert abs(res.ncw - res.contante_waarde) > 50


def test_opening_book_value_separates_ncw_from_present_value():
    res = run(rente=0.02, disconteringsvoet=0.02, opening_book_value=-500.0)
    # the opening book value is in the eindwaarde (and so the NCW) but is no flow of the grid years
    assert res.ncw - res.contante_waarde == pytest.approx(-500.0 * 1.02**4 / 1.02**4, rel=1e-12)


# ---------------------------------------------------------------------------------------------------------------
# §6 badkuip


def test_badkuip_depth_year_and_recovery():
    book = np.array([-10.0, -30.0, -5.0, 2.0, -1.0])
    depth, pos, rec = rules.badkuip(book)
    assert (float(depth), int(pos), int(rec)) == (-30.0, 1, 3)


def test_badkuip_never_negative_and_never_recovered():
    assert tuple(map(float, rules.badkuip(np.array([0.0, 5.0, 3.0])))) == (0.0, -1.0, -1.0)
    depth, pos, rec = rules.badkuip(np.array([-1.0, -4.0, -2.0]))
    assert (float(depth), int(pos), int(rec)) == (-4.0, 1, -1)


def test_badkuip_batched_equals_rows():
    rng = np.random.default_rng(3)
    book = rng.normal(0, 10, size=(5, 4, 7))
    depth, pos, rec = rules.badkuip(book)
    assert depth.shape == (5, 4)
    assert np.all(depth <= 0)  # never positive: a badkuip is a shortfall
    for i in range(5):
        for j in range(4):
            d1, p1, r1 = rules.badkuip(book[i, j])
            assert (depth[i, j], pos[i, j], rec[i, j]) == (d1, p1, r1)
            row = book[i, j]
            if row.min() < 0:
                assert depth[i, j] == row.min() and pos[i, j] == int(np.argmin(row))
                later = [k for k in range(pos[i, j] + 1, 7) if row[k] >= 0]
                assert rec[i, j] == (later[0] if later else -1)


def test_model_badkuip_reports_calendar_years():
    kosten = [{"name": "k", "kostensoort": "A6", "amount": 1000.0, "index": "geen", "phasing": {2025: 0.5, 2026: 0.5}}]
    opbrengsten = [{"name": "o", "opbrengstsoort": "overig", "amount": 1500.0, "index": "geen", "phasing": {2027: 0.5, 2028: 0.5}}]
    bk = run(kosten=kosten, opbrengsten=opbrengsten).badkuip()
    # book value (rente 0): -500, -1000, -250, +500
    assert bk == {"diepste_boekwaarde": -1000.0, "jaar": 2026, "terugverdienjaar": 2028}
    none = run(kosten=[], opbrengsten=opbrengsten).badkuip()
    assert none == {"diepste_boekwaarde": 0.0, "jaar": None, "terugverdienjaar": None}


# ---------------------------------------------------------------------------------------------------------------
# §7 IRR


def test_irr_no_root_when_all_flows_negative():
    assert rules.irr_roots(np.array([-100.0, -50.0, -10.0])) == []
    assert rules.sign_changes(np.array([-100.0, -50.0, -10.0])) == 0


def test_irr_one_root():
    roots = rules.irr_roots(np.array([-100.0, 110.0]))  # -100 + 110 / (1 + r) = 0  ->  r = 10%
    assert roots == [pytest.approx(0.10, abs=1e-12)]
    assert rules.irr_roots(np.array([0.0, -100.0, 0.0, 121.0, 0.0])) == [pytest.approx(0.10, abs=1e-12)]  # (1+r)^2 = 1.21


def test_irr_two_roots():
    # -100 + 230 x - 132 x^2 = 0, x = 1/(1+r): x = (230 ± 10) / 264 -> r = 10% and 20%
    roots = rules.irr_roots(np.array([-100.0, 230.0, -132.0]))
    assert roots == [pytest.approx(0.10, abs=1e-10), pytest.approx(0.20, abs=1e-10)]
    assert rules.sign_changes(np.array([-100.0, 230.0, -132.0])) == 2


def test_irr_result_says_when_not_unique():
    kosten = [{"name": "k", "kostensoort": "A6", "amount": 100.0, "index": "geen", "phasing": {2025: 1.0}}]
    one = run(kosten=kosten, opbrengsten=[{"name": "o", "opbrengstsoort": "overig", "amount": 110.0, "index": "geen", "phasing": {2026: 1.0}}])
    assert one.irr.value == pytest.approx(0.10, abs=1e-12)
    none = run(kosten=kosten)
    assert none.irr.value is None and "geen IRR" in none.irr.message
    two = run(
        kosten=[
            {"name": "a", "kostensoort": "A6", "amount": 100.0, "index": "geen", "phasing": {2025: 1.0}},
            {"name": "b", "kostensoort": "A6", "amount": 132.0, "index": "geen", "phasing": {2027: 1.0}},
        ],
        opbrengsten=[{"name": "o", "opbrengstsoort": "overig", "amount": 230.0, "index": "geen", "phasing": {2026: 1.0}}],
    )
    assert two.irr.value is None and two.irr.roots == [pytest.approx(0.1, abs=1e-10), pytest.approx(0.2, abs=1e-10)]
    assert "2 oplossingen" in two.irr.message


# ---------------------------------------------------------------------------------------------------------------
# §8 totals


def test_totals_at_prijspeil_nominal_and_discounted():
    kosten = [{"name": "k", "kostensoort": "A6", "amount": 1000.0, "index": "kost", "phasing": {2026: 1.0}}]
    opbrengsten = [{"name": "o", "opbrengstsoort": "overig", "amount": 1500.0, "index": "geen", "phasing": {2028: 1.0}}]
    res = run(kosten=kosten, opbrengsten=opbrengsten, indices={"kost": 0.05, "geen": 0.0}, disconteringsvoet=0.02)
    tot = res.totals()
    assert tot["prijspeil"] == {"kosten": -1000.0, "opbrengsten": 1500.0, "saldo": 500.0}
    assert tot["nominaal"]["kosten"] == pytest.approx(-1050.0, rel=1e-14)
    assert tot["contante_waarde"]["kosten"] == pytest.approx(-1050.0 / 1.02**2, rel=1e-14)
    assert tot["contante_waarde"]["opbrengsten"] == pytest.approx(1500.0 / 1.02**4, rel=1e-14)
    assert tot["contante_waarde"]["saldo"] == pytest.approx(res.contante_waarde, rel=1e-14)


def test_calculate_batched_with_draws_axis_equals_each_draw():
    """A Monte Carlo axis D on amounts and rates gives per draw what the single grex gives."""
    g = grex_from_dict(make(indices={"kost": {2025: 0.03, 2026: 0.02}, "geen": 0.0}, rente=0.03, disconteringsvoet=0.02,
                            kosten=[{"name": "k", "kostensoort": "A6", "amount": 1000.0, "index": "kost", "phasing": {2025: 0.3, 2027: 0.7}}],
                            opbrengsten=[{"name": "o", "opbrengstsoort": "overig", "amount": 1400.0, "index": "geen", "phasing": {2028: 1.0}}]))
    a = g.compile()
    k = np.array([0.5, 1.0, 2.0])
    rate_shift = np.array([0.0, 0.01, -0.01])
    from dataclasses import replace

    batch = replace(a, amount=a.amount * k[:, None], rate=a.rate + rate_shift[:, None, None], opening=np.zeros(3))
    out = calculate(batch)
    for i in range(3):
        single = calculate(replace(a, amount=a.amount * k[i], rate=a.rate + rate_shift[i]))
        np.testing.assert_allclose(out.book_value[i], single.book_value, rtol=1e-14)
        assert out.ncw[i] == pytest.approx(float(single.ncw), rel=1e-14)
        assert out.present_value[i] == pytest.approx(float(single.present_value), rel=1e-14)


def test_discount_factor_scalar_and_batched():
    assert rules.discount_factor(0.02, 3.0) == pytest.approx(1 / 1.02**3, rel=1e-15)  # (1 + d)^-t
    t = rules.discount_times(np.arange(2025, 2028), 2025, 0.0, "mid")  # 0.5, 1.5, 2.5
    d = np.array([[0.02], [0.05]])  # (P, 1) against t (Y,)
    got = rules.discount_factor(d, t)
    np.testing.assert_allclose(got, [[1.02**-0.5, 1.02**-1.5, 1.02**-2.5], [1.05**-0.5, 1.05**-1.5, 1.05**-2.5]], rtol=1e-15)
    years2d = np.array([[2025, 2026], [2030, 2031]])
    np.testing.assert_allclose(rules.discount_times(years2d, 2025, 0.5, "start"), [[-0.5, 0.5], [4.5, 5.5]])


def test_gather_series_shared_and_per_grex_maps():
    from opengrex.engine.grex import gather_series

    table = np.arange(2 * 3 * 4, dtype=float).reshape(2, 3, 4)  # (P, S, Y)
    shared = gather_series(table, np.array([2, 0]))  # one map (L,) for every grex
    np.testing.assert_array_equal(shared, table[:, [2, 0], :])
    per = gather_series(table, np.array([[2, 0], [1, 1]]))  # (P, L)
    np.testing.assert_array_equal(per[0], table[0, [2, 0]])
    np.testing.assert_array_equal(per[1], table[1, [1, 1]])


# ---------------------------------------------------------------------------------------------------------------
# §5 boekwaarde at a peildatum


def test_boekwaarde_op_peildatum():
    from opengrex.services.grex import boekwaarde_op

    kosten = [{"name": "a", "kostensoort": "A1", "amount": 1000.0, "index": "geen", "phasing": {2025: 0.5, 2026: 0.5},
               "realised": {2025: 400.0, 2026: 300.0}}]
    g = grex_from_dict(make(kosten=kosten, rente=0.1, realised_through=2026, opening_book_value=-100.0))
    b_2026 = (-100 * 1.1 - 400) * 1.1 - 300  # realised flows with rente to 31-12-2026 (timing end)
    assert boekwaarde_op(g, dt.date(2027, 1, 1)) == pytest.approx(b_2026, rel=1e-14)
    # part of a year: rente pro rata in time, (1 + r)^(elapsed fraction); 2 July 2027 = day 183 of 365
    assert boekwaarde_op(g, dt.date(2027, 7, 2)) == pytest.approx(b_2026 * 1.1 ** (182 / 365), rel=1e-14)
    assert boekwaarde_op(g, dt.date(2025, 1, 1)) == pytest.approx(-100.0, rel=1e-14)  # only the opening book value
