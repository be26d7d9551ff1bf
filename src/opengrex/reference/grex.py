"""Reference grondexploitatie: a loop over lines and years, written from ``shared/spec/grondexploitatie.md``.

This is deliberately slow and plain (Python floats, ``math``, no numpy, nothing from :mod:`opengrex.engine` or
``Grex.compile``). It exists to be compared with the vectorised engine in the tests and in ``make bench``.

Rules (spec numbering):

1. Nominale kasstroom of a line in year ``y``: ``amount * share_y * I_y`` with
   ``I_y = prod(1 + rate_k, k = p .. y-1)`` (``I_p = 1``; for ``y < p`` the inverse product over ``y .. p-1``);
   ``mid`` adds ``(1 + rate_y) ** 0.5``. Realised amounts (and every year up to ``realised_through``) replace the
   estimate and are not indexed.
2. ``F_y`` = opbrengsten - kosten.
3. Boekwaarde (rekening-courant): ``end`` ``B_y = B_(y-1)(1+r_y) + F_y``; ``mid`` ``B_(y-1)(1+r_y) +
   F_y (1+r_y)^0.5``; ``start`` ``(B_(y-1) + F_y)(1+r_y)``; rente ``B_y - B_(y-1) - F_y``.
4. Eindwaarde ``B_end``; NCW (BBV) ``B_end / (1+d)^T_end``; contante waarde ``sum F_y / (1+d)^t_y``.
6. Badkuip: lowest negative book value, its year; the terugverdienjaar is the first year from which the book value
   stays >= 0 up to the end year; the first recovery and a later dip are reported as well.
8. Totals at prijspeil: the estimate ``amount * share_y``, or in a year a realised amount replaces,
   ``realised / I_y``.
9. Vervallen raming per line: the sum over the replaced years of estimate minus realised (prijspeil and nominal).
10. Day count ``hele_jaren`` (above) or ``werkelijke_dagen``: actual days from the NCW-datum to 31 December (24:00)
    of the year, / 365.25 (``start``: to 31 December of the year before; ``mid``: halfway).
"""
from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ReferenceResult:
    """Per-year tables and headline figures of :func:`reference_grex` (plain Python lists/floats) [EUR]."""

    years: list[int]
    line_flows: list[list[float]]  # signed nominal flow per line (kosten first, then opbrengsten) per year
    revenues: list[float]
    costs: list[float]  # negative
    flows: list[float]
    interest: list[float]
    book_value: list[float]
    eindwaarde: float
    t_end: float
    ncw: float
    present_value: float
    saldo_nominal: float
    saldo_prijspeil: float
    badkuip_depth: float
    badkuip_year: int | None
    recovery_year: int | None  # terugverdienjaar: first year from which the book value stays >= 0 (spec §6)
    index: dict[str, list[float]] = field(default_factory=dict)
    first_after_deepest: int | None = None  # first year after the deepest point with book value >= 0 (engine.grex.badkuip)
    eerste_herstel: int | None = None  # first year >= 0 after the book value first went negative
    dip_year: int | None = None  # lowest point of a negative dip after the first recovery
    dip_depth: float = 0.0
    vervallen_prijspeil: list[float] = field(default_factory=list)  # per line, signed
    vervallen_nominaal: list[float] = field(default_factory=list)


def _rate_for_year(series: Any, year: int) -> float:
    """A rate series is one number, or ``{year: rate}``: the last rate given holds for later years, the first one
    also for earlier years."""
    if isinstance(series, (int, float)):
        return float(series)
    years = sorted(series)
    chosen = series[years[0]]
    for y in years:
        if y <= year:
            chosen = series[y]
    return float(chosen)


def _index_level(series: Any, base_year: int, year: int) -> float:
    """``I_year`` relative to ``base_year`` (prijspeil year), spec §1."""
    level = 1.0
    if year >= base_year:
        for k in range(base_year, year):
            level *= 1.0 + _rate_for_year(series, k)
    else:
        for k in range(year, base_year):
            level /= 1.0 + _rate_for_year(series, k)
    return level


def _is_leap(year: int) -> bool:
    return (year % 4 == 0 and year % 100 != 0) or year % 400 == 0


def _years_from(date: _dt.date, year_end_of: int, dagtelling: str = "hele_jaren") -> float:
    """Years from ``date`` to 31 December (24:00) of ``year_end_of``: the part of ``date.year`` still to go plus
    whole years; or (``werkelijke_dagen``) the calendar days to 1 January of the next year / 365.25."""
    if dagtelling == "werkelijke_dagen":
        return (_dt.date(year_end_of + 1, 1, 1) - date).days / 365.25
    days = 366 if _is_leap(date.year) else 365
    elapsed = (date - _dt.date(date.year, 1, 1)).days
    return (year_end_of + 1 - date.year) - elapsed / days


def reference_grex(grex: Any) -> ReferenceResult:
    """Evaluate a :class:`opengrex.model.grex.Grex` line by line and year by year (spec §1–§4, §6)."""
    years = list(range(grex.start_year, grex.end_year + 1))
    p = grex.prijspeil.year
    timing = grex.timing
    ncw_date = grex.ncw_datum if grex.ncw_datum is not None else grex.prijspeil
    d = float(grex.disconteringsvoet)
    dagtelling = getattr(grex, "dagtelling", "hele_jaren")

    all_lines = [(-1.0, ln) for ln in grex.kosten] + [(1.0, ln) for ln in grex.opbrengsten]
    line_flows: list[list[float]] = []
    saldo_prijspeil = 0.0
    vervallen_p: list[float] = []
    vervallen_n: list[float] = []
    for sign, ln in all_lines:
        total = 0.0
        for v in ln.phasing.values():
            total += v
        as_shares = abs(total - 1.0) <= 1e-9
        row = []
        lapsed_p = lapsed_n = 0.0
        for y in years:
            raw = ln.phasing.get(y, 0.0)
            share = raw if as_shares else (raw / total if total else 0.0)
            realised = y in ln.realised or (grex.realised_through is not None and y <= grex.realised_through)
            series = grex.indices[ln.index]
            base_level = _index_level(series, p, y)
            level = base_level * math.sqrt(1.0 + _rate_for_year(series, y)) if timing == "mid" else base_level
            estimate_n = ln.amount * share * level
            if realised:
                nominal = float(ln.realised.get(y, 0.0))
                real = nominal / base_level
                lapsed_p += sign * (ln.amount * share - real)
                lapsed_n += sign * (estimate_n - nominal)
            else:
                nominal = estimate_n
                real = ln.amount * share
            row.append(sign * nominal)
            saldo_prijspeil += sign * real
        line_flows.append(row)
        vervallen_p.append(lapsed_p)
        vervallen_n.append(lapsed_n)

    revenues, costs, flows = [], [], []
    for j in range(len(years)):
        rev = sum(row[j] for (sign, _), row in zip(all_lines, line_flows) if sign > 0)
        cost = sum(row[j] for (sign, _), row in zip(all_lines, line_flows) if sign < 0)
        revenues.append(rev)
        costs.append(cost)
        flows.append(rev + cost)

    book, interest = [], []
    previous = float(grex.opening_book_value)
    for j, y in enumerate(years):
        r = _rate_for_year(grex.rente, y)
        f = flows[j]
        if timing == "end":
            current = previous * (1.0 + r) + f
        elif timing == "mid":
            current = previous * (1.0 + r) + f * (1.0 + r) ** 0.5
        else:  # start
            current = (previous + f) * (1.0 + r)
        interest.append(current - previous - f)
        book.append(current)
        previous = current

    eindwaarde = book[-1]
    t_end = _years_from(ncw_date, grex.end_year, dagtelling)
    ncw = eindwaarde / (1.0 + d) ** t_end
    pv = 0.0
    for j, y in enumerate(years):
        t_end_y = _years_from(ncw_date, y, dagtelling)
        if dagtelling == "werkelijke_dagen":
            t_start_y = _years_from(ncw_date, y - 1, dagtelling)
            t_y = {"end": t_end_y, "mid": (t_end_y + t_start_y) / 2.0, "start": t_start_y}[timing]
        else:
            t_y = t_end_y - {"end": 0.0, "mid": 0.5, "start": 1.0}[timing]
        pv += flows[j] / (1.0 + d) ** t_y

    depth, depth_year, after_deepest = 0.0, None, None
    for j, y in enumerate(years):
        if book[j] < depth:
            depth, depth_year = book[j], y
    if depth_year is not None:
        for j, y in enumerate(years):
            if y > depth_year and book[j] >= 0:
                after_deepest = y
                break
    # terugverdienjaar: after the last negative year, if the book value is >= 0 at the end
    stays = first = dip_year = None
    dip_depth = 0.0
    negatives = [j for j in range(len(years)) if book[j] < 0]
    if negatives and negatives[-1] < len(years) - 1:
        stays = years[negatives[-1] + 1]
    if negatives:
        for j in range(negatives[0] + 1, len(years)):
            if book[j] >= 0:
                first = years[j]
                break
    if first is not None:
        for j, y in enumerate(years):
            if y > first and book[j] < dip_depth:
                dip_depth, dip_year = book[j], y

    index = {name: [_index_level(s, p, y) for y in years] for name, s in grex.indices.items()}
    return ReferenceResult(
        years=years,
        line_flows=line_flows,
        revenues=revenues,
        costs=costs,
        flows=flows,
        interest=interest,
        book_value=book,
        eindwaarde=eindwaarde,
        t_end=t_end,
        ncw=ncw,
        present_value=pv,
        saldo_nominal=sum(flows),
        saldo_prijspeil=saldo_prijspeil,
        badkuip_depth=depth,
        badkuip_year=depth_year,
        recovery_year=stays,
        index=index,
        first_after_deepest=after_deepest,
        eerste_herstel=first,
        dip_year=dip_year,
        dip_depth=dip_depth,
        vervallen_prijspeil=vervallen_p,
        vervallen_nominaal=vervallen_n,
    )
