"""engine/tijd.py: the one place for leap years, day counts and the moment of a flow (spec grondexploitatie.md §4,
§5, §10). Hand-computed, and checked against the standard library's calendar for many dates."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from opengrex.engine import tijd
from opengrex.services.grex import calculate_grex, grex_from_dict


def test_leap_years_and_days_in_year():
    years = np.array([1900, 2000, 2023, 2024, 2100])
    assert tijd.is_leap(years).tolist() == [False, True, False, True, False]
    assert tijd.days_in_year(years).tolist() == [365, 366, 365, 366, 365]


def test_days_between_new_years_equals_the_calendar():
    for a in (1999, 2000, 2023, 2024):
        for b in range(a - 3, a + 30):
            assert int(tijd.days_between_new_years(a, b)) == (dt.date(b, 1, 1) - dt.date(a, 1, 1)).days


def test_year_fraction_scalar_and_array():
    assert tijd.year_fraction(2025, 1) == 0.0
    assert tijd.year_fraction(2025, 183) == pytest.approx(182 / 365, abs=1e-15)
    np.testing.assert_allclose(tijd.year_fraction(np.array([2024, 2025]), np.array([61, 61])), [60 / 366, 60 / 365], rtol=1e-15)


def test_years_to_year_end_whole_years_and_actual_days():
    f = 182 / 365  # 2 July 2025
    assert tijd.years_to_year_end(2028, 2025, f) == pytest.approx(4 - 182 / 365, abs=1e-14)
    want = (dt.date(2029, 1, 1) - dt.date(2025, 7, 2)).days / 365.25
    assert tijd.years_to_year_end(2028, 2025, f, "werkelijke_dagen") == pytest.approx(want, abs=1e-13)
    ys = np.arange(2024, 2031)
    got = tijd.years_to_year_end(ys, 2025, f, "werkelijke_dagen")
    np.testing.assert_allclose(got, [(dt.date(y + 1, 1, 1) - dt.date(2025, 7, 2)).days / 365.25 for y in ys], rtol=1e-14)
    with pytest.raises(ValueError):
        tijd.years_to_year_end(2028, 2025, f, "maanden")


@pytest.mark.parametrize("dagtelling", ["hele_jaren", "werkelijke_dagen"])
def test_flow_times_per_timing(dagtelling):
    ys = np.arange(2025, 2030)
    end = tijd.flow_times(ys, 2025, 0.25, "end", dagtelling)
    start = tijd.flow_times(ys, 2025, 0.25, "start", dagtelling)
    mid = tijd.flow_times(ys, 2025, 0.25, "mid", dagtelling)
    np.testing.assert_allclose(start, tijd.years_to_year_end(ys - 1, 2025, 0.25, dagtelling), rtol=1e-15)
    np.testing.assert_allclose(mid, (start + end) / 2, rtol=1e-14)
    if dagtelling == "hele_jaren":
        np.testing.assert_allclose(end - start, 1.0, rtol=1e-15)


def test_interest_on_a_flow_per_timing():
    g = np.array([1.02, 1.05])
    np.testing.assert_allclose(tijd.interest_on_flow_factor(g, "end"), [1.0, 1.0])
    np.testing.assert_allclose(tijd.interest_on_flow_factor(g, "mid"), np.sqrt(g))
    np.testing.assert_allclose(tijd.interest_on_flow_factor(g, "start"), g)
    with pytest.raises(ValueError):
        tijd.flow_position("eind")


def _grex(**over) -> dict:
    d = {"naam": "t", "prijspeil": "2025-01-01", "startjaar": 2025, "eindjaar": 2028, "rente": 0.03, "disconteringsvoet": 0.02, "ncw_datum": "2025-07-02",
         "indexreeksen": {"geen": 0.0}, "kosten": [{"naam": "k", "kostensoort": "A6", "bedrag": 1000.0, "indexreeks": "geen", "fasering": {2025: 0.5, 2027: 0.5}}]}
    d.update(over)
    return d


@pytest.mark.parametrize("timing", ["end", "mid", "start"])
def test_grex_with_actual_days_discounts_over_actual_days(timing):
    res = calculate_grex(grex_from_dict(_grex(dagtelling="werkelijke_dagen", timing=timing)))
    t_end = (dt.date(2029, 1, 1) - dt.date(2025, 7, 2)).days / 365.25
    assert res.outcome.t_end == pytest.approx(t_end, abs=1e-14)
    assert res.ncw == pytest.approx(res.eindwaarde / 1.02**t_end, rel=1e-14)
    assert res.summary()["dagtelling"]["keuze"] == "werkelijke_dagen"  # every result states the convention
    whole = calculate_grex(grex_from_dict(_grex(timing=timing)))
    assert whole.summary()["dagtelling"]["keuze"] == "hele_jaren" and whole.ncw != res.ncw
