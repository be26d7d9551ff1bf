"""nl-NL presentation helpers (the one place where numbers are rounded)."""
import pytest

from opengrex.formatting import eur, number, pct, round_money


@pytest.mark.parametrize(
    "value,decimals,expected",
    [
        (1234567.891, 2, "€ 1.234.567,89"),
        (1234567.891, 0, "€ 1.234.568"),
        (-1234.5, 2, "€ -1.234,50"),
        (0.0, 0, "€ 0"),
        (-0.0001, 2, "€ 0,00"),
        (999.995, 2, "€ 1.000,00"),
    ],
)
def test_eur(value, decimals, expected):
    assert eur(value, decimals) == expected


def test_number_and_pct():
    assert number(1234.5678, 3) == "1.234,568"
    assert pct(0.035) == "3,50%"
    assert pct(-0.5, 0) == "-50%"
    assert eur(float("nan")) == "–"


def test_round_money_half_away_from_zero():
    assert round_money(0.125) == 0.13
    assert round_money(-0.125) == -0.13
    assert round_money(1234.5678) == 1234.57
    assert round_money(10.0) == 10.0
