"""Reference programme (Mastergrex): plain Python loops over projects and years, written from
``shared/spec/programma.md`` and ``shared/spec/grondexploitatie.md`` §3–§4 (nothing from :mod:`opengrex.engine` or
a model's ``compile()``; the flows of each project come from :func:`opengrex.reference.grex.reference_grex`).

Rules:

* Each project's grex gives its nominal flows ``F_y`` for its own years. On the programme grid (first start year to
  the last end year, or the programme's ``end_year``) a project's book value is 0 before its start; its opening
  book value stands at 31 December before its start year (spec §3: ``B_(s-1)``), and from the start year on
  ``B_y`` follows the rekening-courant rule of the timing with the rente of its voorfinancierder; after its end
  year it keeps that interest (no flows).
* Own result: ``B`` at 31 December of the project's own end year, discounted over its own ``T_end``.
* Verevening (fund present): each year ``V_y`` = the book value before transfer; a red project hands ``max(V, 0)``
  to the fund, a green project ``V``; the fund grows at its own rate: ``S_y = S_(y-1)(1 + f_y) + sum T``.
* Programme eindwaarde ``sum B_end + S_end``; NCW ``= eindwaarde / (1 + d)^T_end``; nominal result = openings +
  sum of flows; saldo = sum of flows.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from opengrex.reference.grex import _rate_for_year, _years_from, reference_grex


@dataclass
class ReferenceProgramme:
    """Figures of :func:`reference_programme` [EUR], per project in the programme's order."""

    years: list[int]
    alone_book: list[list[float]]  # stand-alone book value per project per grid year
    own_eindwaarde: list[float]
    own_ncw: list[float]
    alone_ncw: list[float]  # stand-alone, to the programme's last year
    transfer: list[list[float]]  # to the fund (+) / from the fund (-)
    book: list[list[float]]  # after verevening
    fund: list[float]
    eindwaarde: float
    ncw: float
    nominal: float
    saldo: float
    revenues: list[float] = field(default_factory=list)  # programme revenues per year (flows > 0 lines)


def _factor(r: float, timing: str) -> float:
    return {"end": 1.0, "mid": (1.0 + r) ** 0.5, "start": 1.0 + r}[timing]


def reference_programme(prog: Any) -> ReferenceProgramme:
    """Evaluate a :class:`opengrex.model.programma.Programme` project by project, year by year."""
    first = min(p.grex.start_year for p in prog.projecten)
    last = max([p.grex.end_year for p in prog.projecten] + ([prog.end_year] if prog.end_year else []))
    years = list(range(first, last + 1))
    ncw_date = prog.ncw_datum or prog.prijspeil
    dagtelling = prog.dagtelling
    d = float(prog.disconteringsvoet)
    timing = prog.timing
    rates = {f.name: f.rente for f in prog.financiers}
    fund = prog.fonds
    flows: list[dict[int, float]] = []
    revenues = [0.0] * len(years)
    for p in prog.projecten:
        ref = reference_grex(p.grex)
        flows.append(dict(zip(ref.years, ref.flows)))
        for j, y in enumerate(years):
            if y in ref.years:
                k = ref.years.index(y)
                revenues[j] += ref.revenues[k]
    alone, own_eind, own_ncw, alone_ncw = [], [], [], []
    for p, f in zip(prog.projecten, flows):
        g = p.grex
        b = float(g.opening_book_value) if g.start_year - 1 < first else 0.0
        row = []
        for y in years:
            r = _rate_for_year(rates[p.voorfinancierder], y)
            if y == g.start_year - 1:
                b = float(g.opening_book_value)  # at 31 December before the start: no interest, no timing
            elif y >= g.start_year:
                fy = f.get(y, 0.0)
                b = (b + fy) * (1.0 + r) if timing == "start" else b * (1.0 + r) + fy * _factor(r, timing)
            row.append(b)
        alone.append(row)
        eind = row[years.index(g.end_year)]
        own_eind.append(eind)
        own_ncw.append(eind / (1.0 + d) ** _years_from(ncw_date, g.end_year, dagtelling))
        alone_ncw.append(row[-1] / (1.0 + d) ** _years_from(ncw_date, last, dagtelling))
    book = [[0.0] * len(years) for _ in prog.projecten]
    transfer = [[0.0] * len(years) for _ in prog.projecten]
    fund_row = []
    s = float(fund.opening) if fund else 0.0
    prev = [float(p.grex.opening_book_value) if p.grex.start_year - 1 < first else 0.0 for p in prog.projecten]
    for j, y in enumerate(years):
        total = 0.0
        for i, (p, f) in enumerate(zip(prog.projecten, flows)):
            g = p.grex
            r = _rate_for_year(rates[p.voorfinancierder], y)
            if y == g.start_year - 1:
                v = float(g.opening_book_value)
            elif y >= g.start_year:
                fy = f.get(y, 0.0)
                v = (prev[i] + fy) * (1.0 + r) if timing == "start" else prev[i] * (1.0 + r) + fy * _factor(r, timing)
            else:
                v = 0.0
            t = 0.0
            if fund is not None:
                t = max(v, 0.0) if p.soort == "rood" else v if p.soort == "groen" else 0.0
            transfer[i][j] = t
            prev[i] = v - t
            book[i][j] = prev[i]
            total += t
        if fund is not None:
            s = s * (1.0 + _rate_for_year(fund.rente, y)) + total
        fund_row.append(s if fund is not None else 0.0)
    eindwaarde = sum(row[-1] for row in book) + fund_row[-1]
    saldo = sum(sum(f.values()) for f in flows)
    openings = sum(float(p.grex.opening_book_value) for p in prog.projecten) + (float(fund.opening) if fund else 0.0)
    return ReferenceProgramme(
        years=years, alone_book=alone, own_eindwaarde=own_eind, own_ncw=own_ncw, alone_ncw=alone_ncw, transfer=transfer, book=book,
        fund=fund_row, eindwaarde=eindwaarde, ncw=eindwaarde / (1.0 + d) ** _years_from(ncw_date, last, dagtelling),
        nominal=saldo + openings, saldo=saldo, revenues=revenues,
    )
