"""nl-NL numbers and percentages in forms (:mod:`opengrex.web.forms.values`): read as people type them, written back
without losing a digit, ambiguous or implausible input refused with a question or a limit."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opengrex.web.forms import values as V


@pytest.mark.parametrize(("text", "value"), [
    ("1.234.567,89", 1234567.89), ("1234567.89", 1234567.89), ("1.500", 1500.0), ("0.035", 0.035), ("-0,5", -0.5),
    ("€ 9.500.000", 9.5e6), ("12", 12.0), ("2,5", 2.5), ("1.500.000", 1.5e6), ("\u22121.000", -1000.0),
    ("1,50", 1.5), ("0,500", 0.5), ("1.500,5", 1500.5), ("1 500 000", 1.5e6), ("+7", 7.0),
])
def test_parse_number_nl(text, value):
    assert V.parse_number(text) == pytest.approx(value, rel=1e-15)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "nan", "inf", "1.2.3,4,5", "1.23.456", "12,3.4", "--1", "1e"])
def test_parse_number_rejects(text):
    with pytest.raises(ValueError):
        V.parse_number(text)


@pytest.mark.parametrize(("text", "question"), [
    ("1,500", "bedoelt u 1.500 of 1,5?"), ("-2,250", "bedoelt u -2.250 of -2,25?"), ("999,999", "bedoelt u 999.999 of 999,999?"),
    ("1,234.56", "bedoelt u 1.234,56?"),
])
def test_ambiguous_numbers_are_asked_about_not_guessed(text, question):
    """'1,500' could be fifteen hundred written the English way or one and a half: never silently € 1,50."""
    with pytest.raises(V.Unreadable) as info:
        V.parse_number(text)
    assert question in info.value.message and info.value.allowed


@pytest.mark.parametrize("text", ["1e20", "1.000.000.000.001", "-2000000000000", "1e13"])
def test_amounts_above_the_documented_maximum_are_refused(text):
    with pytest.raises(V.Unreadable) as info:
        V.parse_number(text)
    assert "te groot" in info.value.message and "1.000.000.000.000" in info.value.allowed
    assert V.parse_number("1.000.000.000.000") == V.MAX_AMOUNT == 1e12


@pytest.mark.parametrize(("text", "value"), [("3,5%", 0.035), ("2%", 0.02), ("0,02", 0.02), ("-0,5%", -0.005), ("0%", 0.0), ("2,125%", 0.02125), ("4,68%", 0.0468)])
def test_parse_rate(text, value):
    assert V.parse_rate(text) == pytest.approx(value, rel=1e-15)
    assert V.parse_rate("4,68%") == 0.0468  # exact: divided in decimal, not 0.046799999999999994


def test_parse_rate_refuses_bare_number_of_one_or_more():
    """'3' could mean 3% or 300%: refused, the user must write 3% or 0,03."""
    with pytest.raises(ValueError) as info:
        V.parse_rate("3")
    assert "bedoelt u 3%?" in str(info.value)


def test_integers():
    assert V.parse_integer("2025") == 2025 and V.parse_integer("1.200") == 1200 and V.parse_integer("-3") == -3
    for bad in ("2,5", "twintig", "1,500"):
        with pytest.raises(V.Unreadable):
            V.parse_integer(bad)


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False))
@settings(max_examples=300, deadline=None)
def test_fmt_number_round_trips(x):
    """Exactly, and never in a form the reader would call ambiguous (1.234 is written 1,2340)."""
    assert V.parse_number(V.fmt_number(x)) == x


@given(st.floats(min_value=-0.99, max_value=5, allow_nan=False))
@settings(max_examples=300, deadline=None)
def test_fmt_rate_round_trips(r):
    assert V.parse_rate(V.fmt_rate(r)) == r


def test_fmt_examples():
    assert V.fmt_number(9500000) == "9.500.000"
    assert V.fmt_number(1234.5) == "1.234,5"
    assert V.fmt_number(1.234) == "1,2340"
    assert V.fmt_number(-0.5) == "-0,5"
    assert V.fmt_rate(0.035) == "3,5%" and V.fmt_rate(0.6) == "60%" and V.fmt_rate(0.0) == "0%"


def test_year_grid_cells_are_shares_or_amounts():
    assert V.parse_share_or_amount("60%") == 0.6
    assert V.parse_share_or_amount("1.500.000") == 1.5e6
