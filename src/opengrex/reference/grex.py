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
6. Badkuip: lowest negative book value, its year, the first later year with book value >= 0.
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
    recovery_year: int | None
    index: dict[str, list[float]] = field(default_factory=dict)


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


def _years_from(date: _dt.date, year_end_of: int) -> float:
    """Years from ``date`` to 31 December (24:00) of ``year_end_of``: the part of ``date.year`` still to go plus
    whole years."""
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

    all_lines = [(-1.0, ln) for ln in grex.kosten] + [(1.0, ln) for ln in grex.opbrengsten]
    line_flows: list[list[float]] = []
    saldo_prijspeil = 0.0
    for sign, ln in all_lines:
        total = 0.0
        for v in ln.phasing.values():
            total += v
        as_shares = abs(total - 1.0) <= 1e-9
        row = []
        for y in years:
            raw = ln.phasing.get(y, 0.0)
            share = raw if as_shares else (raw / total if total else 0.0)
            realised = y in ln.realised or (grex.realised_through is not None and y <= grex.realised_through)
            if realised:
                nominal = float(ln.realised.get(y, 0.0))
            else:
                series = grex.indices[ln.index]
                level = _index_level(series, p, y)
                if timing == "mid":
                    level *= math.sqrt(1.0 + _rate_for_year(series, y))
                nominal = ln.amount * share * level
            row.append(sign * nominal)
            saldo_prijspeil += sign * ln.amount * share
        line_flows.append(row)

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
    t_end = _years_from(ncw_date, grex.end_year)
    ncw = eindwaarde / (1.0 + d) ** t_end
    shift = {"end": 0.0, "mid": 0.5, "start": 1.0}[timing]
    pv = 0.0
    for j, y in enumerate(years):
        t_y = _years_from(ncw_date, y) - shift
        pv += flows[j] / (1.0 + d) ** t_y

    depth, depth_year, recovery = 0.0, None, None
    for j, y in enumerate(years):
        if book[j] < depth:
            depth, depth_year = book[j], y
    if depth_year is not None:
        for j, y in enumerate(years):
            if y > depth_year and book[j] >= 0:
                recovery = y
                break

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
        recovery_year=recovery,
        index=index,
    )
