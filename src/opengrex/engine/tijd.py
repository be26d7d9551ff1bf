"""Time on the year grid: days in a year, the elapsed part of a year, and the time from the NCW-datum to a moment
in a year under the two day-count conventions (spec ``grondexploitatie.md`` §4, §5, §10). Numpy only, vectorised
over every input; the one place where the leap-year rule is written.

Dates enter as integers: a calendar year and a day of the year (1 = 1 January), or as the pair
``(ncw_year, ncw_fraction)`` that a model compiles a date to (:func:`year_fraction`). Every day count below is a
closed form in those integers, so no Python loop over years or dates is needed.

Day counts (option ``dagtelling``, spec §10):

``hele_jaren`` (default)
    ``T_y = y + 1 - ncw_year - f`` with ``f`` the elapsed part of ``ncw_year`` at the NCW-datum (§4).
``werkelijke_dagen``
    ``T_y`` = the actual number of days from the NCW-datum to 31 December (24:00) of ``y``, divided by 365,25 (the
    convention behind some published municipal NCWs).

Timing (spec §1, §3, §4): when a year's flow happens. ``end`` on 31 December (24:00), ``start`` on 1 January, i.e.
31 December (24:00) of the year before, ``mid`` halfway between the two. :func:`flow_position` is the one place that
maps a timing to its moment; the interest on a flow (:func:`interest_on_flow_factor`) and its time from the
NCW-datum (:func:`flow_times`) follow from it.
"""
from __future__ import annotations

import numpy as np
import numpy.typing as npt

from opengrex.engine.explain import rule

SPEC = "shared/spec/grondexploitatie.md"

HELE_JAREN = "hele_jaren"
WERKELIJKE_DAGEN = "werkelijke_dagen"
DAGTELLINGEN = (HELE_JAREN, WERKELIJKE_DAGEN)
"""The day-count conventions of spec §10 (``hele_jaren`` is the default)."""
DAGTELLING_TEKST = {
    HELE_JAREN: "hele jaren: T = jaar + 1 − NCW-jaar − verstreken deel van het NCW-jaar",
    WERKELIJKE_DAGEN: "werkelijke dagen: T = dagen van de NCW-datum tot 31 december / 365,25",
}
"""How each convention is stated in every report (Dutch)."""
DAYS_PER_YEAR_ACTUAL = 365.25
"""Divisor of the ``werkelijke_dagen`` convention (spec §10). [days/yr]"""

TIMING_END = "end"
TIMING_MID = "mid"
TIMING_START = "start"
TIMINGS = (TIMING_END, TIMING_MID, TIMING_START)
"""When a year's flow happens: 31 December (default), 1 July, 1 January (spec "Inputs")."""

IntLike = int | npt.ArrayLike
FloatArray = npt.NDArray[np.float64]


def is_leap(year: IntLike) -> npt.NDArray[np.bool_]:
    """Schrikkeljaar (Gregorian): divisible by 4, not by 100 unless by 400. [bool]"""
    y = np.asarray(year, dtype=np.int64)
    return (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))


def days_in_year(year: IntLike) -> npt.NDArray[np.int64]:
    """Dagen in het jaar: 365, or 366 in a leap year. [days]"""
    return np.where(is_leap(year), 366, 365).astype(np.int64)


def _leaps_through(n: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Number of leap years in 1 .. n (n >= 0)."""
    return n // 4 - n // 100 + n // 400


def days_between_new_years(year_from: IntLike, year_to: IntLike) -> npt.NDArray[np.int64]:
    """Days from 1 January of ``year_from`` to 1 January of ``year_to`` (negative when earlier). [days]"""
    a = np.asarray(year_from, dtype=np.int64)
    b = np.asarray(year_to, dtype=np.int64)
    return 365 * (b - a) + _leaps_through(b - 1) - _leaps_through(a - 1)


@rule("Verstreken deel van het jaar", formule="f = (dag van het jaar − 1) / dagen in het jaar (365 of 366)", bron=f"{SPEC} §4 en §5")
def year_fraction(year: IntLike, day_of_year: IntLike) -> FloatArray:
    """Elapsed part of ``year`` at the start of day ``day_of_year`` (1 January: 0). [-]"""
    return (np.asarray(day_of_year, dtype=np.float64) - 1.0) / days_in_year(year)


@rule("Tijd tot 31 december", formule="hele jaren: T_y = y + 1 − NCW-jaar − f; werkelijke dagen: T_y = dagen(NCW-datum → 31-12-y) / 365,25",
      bron=f"{SPEC} §4 en §10")
def years_to_year_end(years: IntLike, ncw_year: int, ncw_fraction: float, dagtelling: str = HELE_JAREN) -> FloatArray:
    """Time from the NCW-datum to 31 December (24:00) of each year in ``years`` (spec §4, §10). [yr]

    ``ncw_year``, ``ncw_fraction``: the NCW-datum as its year and elapsed part of that year (:func:`year_fraction`).
    """
    y = np.asarray(years, dtype=np.int64)
    if dagtelling == HELE_JAREN:
        return y.astype(np.float64) + 1.0 - ncw_year - ncw_fraction
    if dagtelling == WERKELIJKE_DAGEN:
        # days left in the NCW year after the NCW-datum, plus whole years' days up to 1 January of y + 1
        left = days_in_year(ncw_year) * (1.0 - ncw_fraction)
        return np.asarray((left + days_between_new_years(ncw_year + 1, y + 1)) / DAYS_PER_YEAR_ACTUAL, dtype=np.float64)
    raise ValueError(f"unknown dagtelling {dagtelling!r}")


def flow_position(timing: str) -> float:
    """The moment of a year's flow as the elapsed part of that year: ``end`` 1, ``mid`` 0,5, ``start`` 0. [-]"""
    try:
        return {TIMING_END: 1.0, TIMING_MID: 0.5, TIMING_START: 0.0}[timing]
    except KeyError:
        raise ValueError(f"unknown timing {timing!r}") from None


@rule("Rente over de kasstroom in het jaar zelf", formule="end: 1; mid: (1 + r_y)^0,5; start: (1 + r_y)",
      bron=f"{SPEC} §3")
def interest_on_flow_factor(growth: npt.ArrayLike, timing: str) -> FloatArray:
    """Factor a flow grows with until 31 December of its own year: ``(1 + r_y) ** (1 - position)`` (spec §3). [-]

    ``growth``: ``1 + r_y``. ``end`` 1 (no interest in its year), ``mid`` a square root (half a year), ``start``
    a full year.
    """
    g = np.asarray(growth, dtype=np.float64)
    remaining = 1.0 - flow_position(timing)
    if remaining == 0.0:
        return np.ones_like(g)
    if remaining == 0.5:
        return np.sqrt(g)
    return g**remaining


@rule("Tijd tot de kasstroom", formule="t_y = T_y (end); T_y − ½ jaar (mid); T_(y−1) (start)", bron=f"{SPEC} §4 en §10")
def flow_times(years: IntLike, ncw_year: int, ncw_fraction: float, timing: str, dagtelling: str = HELE_JAREN) -> FloatArray:
    """Time from the NCW-datum to each year's flow (spec §4): 31 December (``end``), halfway through the year
    (``mid``) or 1 January (``start``) = 31 December of the year before. [yr]

    In whole years ``mid`` is 0,5 less and ``start`` 1 less than ``end`` (§4); in actual days ``start`` is the
    year before's ``T`` and ``mid`` the midpoint of the two.
    """
    y = np.asarray(years, dtype=np.int64)
    position = flow_position(timing)
    end = years_to_year_end(y, ncw_year, ncw_fraction, dagtelling)
    if position == 1.0:
        return end
    if dagtelling == HELE_JAREN:
        return end - (1.0 - position)  # 0,5 less for mid, 1 less for start (spec §4)
    before = years_to_year_end(y - 1, ncw_year, ncw_fraction, dagtelling)
    return before + position * (end - before)
