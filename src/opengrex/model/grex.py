"""The grondexploitatie input model (spec: shared/spec/grondexploitatie.md, "Inputs").

A grex file (YAML or JSON) has exactly these keys; see ``examples/demo-grex.yaml``::

    name, prijspeil, start_year, end_year, timing, rente, disconteringsvoet, ncw_datum,
    opening_book_value, realised_through, indices, kosten[], opbrengsten[]

Each line: ``name, amount, kostensoort`` (costs) or ``opbrengstsoort`` (revenues), ``index``, ``phasing``
(shares per year summing to 1, or amounts per year summing to ``amount``), ``realised`` (nominal amounts per past
year, not indexed again).
"""
from __future__ import annotations

import datetime as dt
from typing import Literal

import numpy as np
from pydantic import Field

from opengrex.codes import get_kostensoort
from opengrex.engine.grex import GrexArrays
from opengrex.errors import InputError, InputErrors
from opengrex.model.base import RateSeries, StrictModel, check_rates, error, rate_on_years, veld
from opengrex.model.line_detail import LineDetail

OPBRENGSTSOORTEN: dict[str, str] = {
    "gronduitgifte_woningbouw": "Gronduitgifte woningbouw",
    "gronduitgifte_sociaal": "Gronduitgifte sociale woningbouw",
    "gronduitgifte_bedrijven": "Gronduitgifte bedrijven",
    "subsidie": "Subsidie",
    "bijdrage": "Bijdrage (derden, kostenverhaal)",
    "overig": "Overige opbrengsten",
}
"""Opbrengstsoorten (revenue types) of a grex, spec grondexploitatie.md "Inputs"."""

PHASING_TOLERANCE = 1e-9
"""Relative tolerance for phasing sums (spec: "sum to 1 (tolerance 1e-9) or to the amount")."""


class Line(LineDetail, StrictModel):
    """A cost or revenue line (kostenpost / opbrengstpost) of a grex. Amounts in [EUR prijspeil]."""

    name: str = Field(min_length=1, description="Naam van de post")
    amount: float = Field(description="Bedrag op prijspeil [EUR], positief")
    index: str = Field(description="Naam van de indexreeks")
    phasing: dict[int, float] = Field(description="Fasering: aandelen per jaar (som 1) of bedragen per jaar (som = bedrag)")
    realised: dict[int, float] = Field(default_factory=dict, description="Gerealiseerd per jaar [EUR nominaal]")
    note: str = veld("", label="Notitie", help="Interne notitie bij de post (bijv. een onderhandelingspositie); alleen bewerkers zien haar", vertrouwelijk=True)


class CostLine(Line):
    """Kostenpost with a code from the kostensoortenlijst (Ob bijlage IV / Bro 6.2.3–6.2.5)."""

    kostensoort: str


class RevenueLine(Line):
    """Opbrengstpost with an opbrengstsoort (see :data:`OPBRENGSTSOORTEN`)."""

    opbrengstsoort: str


class Grex(StrictModel):
    """Grondexploitatie: a multi-year budget of costs and revenues at one prijspeil."""

    name: str = Field(min_length=1)
    description: str = ""
    prijspeil: dt.date
    start_year: int
    end_year: int
    timing: Literal["end", "mid", "start"] = "end"
    rente: RateSeries = 0.02
    disconteringsvoet: float = 0.02
    ncw_datum: dt.date | None = None
    opening_book_value: float = 0.0
    realised_through: int | None = None
    indices: dict[str, RateSeries] = Field(default_factory=lambda: {"geen": 0.0})
    kosten: list[CostLine] = Field(default_factory=list)
    opbrengsten: list[RevenueLine] = Field(default_factory=list)

    # ------------------------------------------------------------------ validation
    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)

    @property
    def ncw_date(self) -> dt.date:
        """NCW-datum; defaults to the prijspeil date."""
        return self.ncw_datum or self.prijspeil

    def lines(self) -> list[tuple[str, int, Line]]:
        """All lines with their section (``kosten``/``opbrengsten``) and position."""
        return [("kosten", i, ln) for i, ln in enumerate(self.kosten)] + [
            ("opbrengsten", i, ln) for i, ln in enumerate(self.opbrengsten)
        ]

    def check(self) -> list[InputError]:
        """Domain checks of spec "Checks and errors"; returns every error found (empty: valid)."""
        errs: list[InputError] = []
        grid = f"{self.start_year}–{self.end_year}"
        if self.end_year < self.start_year:
            errs.append(error(("end_year",), "eindjaar ligt vóór het startjaar", self.end_year, f">= {self.start_year}"))
            return errs
        if self.end_year - self.start_year > 200:
            errs.append(error(("end_year",), "looptijd te lang", self.end_year, "hoogstens 200 jaar"))
            return errs
        if self.prijspeil.year > self.end_year:
            errs.append(error(("prijspeil",), "prijspeil ligt na het eindjaar", str(self.prijspeil), f"uiterlijk {self.end_year}"))
        if self.ncw_date.year > self.end_year:
            errs.append(error(("ncw_datum",), "NCW-datum ligt na het eindjaar", str(self.ncw_date), f"uiterlijk {self.end_year}"))
        if self.realised_through is not None and not (self.start_year - 1 <= self.realised_through <= self.end_year):
            errs.append(error(("realised_through",), "jaar buiten de looptijd", self.realised_through, grid))
        errs += check_rates(self.rente, ("rente",))
        errs += check_rates(self.disconteringsvoet, ("disconteringsvoet",))
        if isinstance(self.rente, dict):
            errs += [error(("rente", y), "jaar buiten de looptijd", y, grid) for y in self.rente if y > self.end_year + 50]
        if not self.indices:
            errs.append(error(("indices",), "geen indexreeksen opgegeven", None, "ten minste één reeks, bijv. {geen: 0}"))
        for name, series in self.indices.items():
            if not name.strip() or any(ch in name for ch in "*?~"):
                # the Excel export looks series up by name with MATCH, where * ? ~ are wildcards
                errs.append(error(("indices", name), "ongeldige naam van een indexreeks", name, "een niet-lege naam zonder * ? ~"))
            errs += check_rates(series, ("indices", name))
        index_names = ", ".join(sorted(self.indices))
        for section, i, line in self.lines():
            p = (section, i)
            if section == "kosten":
                try:
                    get_kostensoort(line.kostensoort)  # type: ignore[attr-defined]
                except InputError as exc:
                    errs.append(error(p + ("kostensoort",), "onbekende kostensoort", line.kostensoort, exc.allowed))  # type: ignore[attr-defined]
            elif line.opbrengstsoort not in OPBRENGSTSOORTEN:  # type: ignore[attr-defined]
                errs.append(error(p + ("opbrengstsoort",), "onbekende opbrengstsoort", line.opbrengstsoort, ", ".join(OPBRENGSTSOORTEN)))  # type: ignore[attr-defined]
            if not np.isfinite(line.amount) or line.amount < 0:
                errs.append(error(p + ("amount",), "bedrag mag niet negatief zijn", line.amount, "een bedrag >= 0 (kosten en opbrengsten zijn beide positief)"))
            if line.index not in self.indices:
                errs.append(error(p + ("index",), "onbekende indexreeks", line.index, index_names))
            errs += self._check_phasing(p, line, grid)
            for year, value in line.realised.items():
                if year not in self.years:
                    errs.append(error(p + ("realised", year), "jaar buiten de looptijd", year, grid))
                elif value < 0:
                    errs.append(error(p + ("realised", year), "gerealiseerd bedrag mag niet negatief zijn", value, ">= 0"))
        return errs

    def _check_phasing(self, p: tuple, line: Line, grid: str) -> list[InputError]:
        errs = []
        if not line.phasing:
            return [error(p + ("phasing",), "fasering ontbreekt", None, "aandelen per jaar met som 1, of bedragen per jaar met som = bedrag")]
        for year, value in line.phasing.items():
            if year not in self.years:
                errs.append(error(p + ("phasing", year), "jaar buiten de looptijd", year, grid))
            if value < 0 or not np.isfinite(value):
                errs.append(error(p + ("phasing", year), "fasering mag niet negatief zijn", value, ">= 0"))
        total = sum(line.phasing.values())
        if not (_close(total, 1.0) or _close(total, line.amount)):
            errs.append(
                error(
                    p + ("phasing",),
                    f"fasering telt op tot {_nl(total)}, niet tot 1 en niet tot het bedrag {_nl(line.amount)}",
                    total,
                    "aandelen met som 1 (tolerantie 1e-9) of bedragen met som = bedrag",
                )
            )
        return errs

    def validated(self) -> "Grex":
        """Raise :class:`InputErrors` with every domain error, or return ``self``."""
        errs = self.check()
        if errs:
            raise InputErrors(errs)
        return self

    # ------------------------------------------------------------------ compile
    def shares(self, line: Line) -> dict[int, float]:
        """Phasing as shares (sum 1), whichever form was given."""
        total = sum(line.phasing.values())
        if _close(total, 1.0):
            return dict(line.phasing)
        return {y: (v / total if total else 0.0) for y, v in line.phasing.items()}

    def compile(self) -> GrexArrays:
        """Validated model -> :class:`GrexArrays` for :func:`opengrex.engine.grex.calculate`."""
        self.validated()
        years = list(self.years)
        y0 = years[0]
        n_y = len(years)
        lines = [ln for _, _, ln in self.lines()]
        n_l = len(lines)
        names = list(self.indices)
        p_year = self.prijspeil.year
        ix_years = range(min(p_year, y0), self.end_year + 1)
        rate = np.array([rate_on_years(self.indices[n], ix_years) for n in names], dtype=np.float64).reshape(len(names), len(ix_years))
        share = np.zeros((n_l, n_y))
        realised = np.zeros((n_l, n_y))
        mask = np.zeros((n_l, n_y), dtype=bool)
        if self.realised_through is not None:
            mask[:, : max(0, self.realised_through - y0 + 1)] = True
        for i, ln in enumerate(lines):
            for y, s in self.shares(ln).items():
                share[i, y - y0] = s
            for y, v in ln.realised.items():
                realised[i, y - y0] = v
                mask[i, y - y0] = True
        ncw = self.ncw_date
        days = 366 if _leap(ncw.year) else 365
        return GrexArrays(
            years=np.array(years),
            amount=np.array([ln.amount for ln in lines], dtype=np.float64),
            share=share,
            sign=np.array([-1.0] * len(self.kosten) + [1.0] * len(self.opbrengsten)),
            series=np.array([names.index(ln.index) for ln in lines], dtype=np.intp),
            rate=rate,
            index_base=p_year - ix_years[0],
            index_offset=y0 - ix_years[0],
            rente=np.array(rate_on_years(self.rente, self.years)),
            realised=realised,
            realised_mask=mask,
            opening=float(self.opening_book_value),
            disconteringsvoet=float(self.disconteringsvoet),
            ncw_year=ncw.year,
            ncw_fraction=(ncw.timetuple().tm_yday - 1) / days,
            timing=self.timing,
        )


def _nl(x: float) -> str:
    """Up to 10 significant digits with a decimal comma, for messages (``0.6`` -> ``'0,6'``)."""
    return f"{x:.10g}".replace(".", ",")


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= PHASING_TOLERANCE * max(1.0, abs(b))


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
