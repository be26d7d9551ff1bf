"""The grondexploitatie input model (spec: shared/spec/grondexploitatie.md, "Inputs").

A grex file (YAML or JSON) has exactly these keys (Dutch); see ``examples/demo-grex.yaml``::

    naam, omschrijving, prijspeil, startjaar, eindjaar, timing, rente, disconteringsvoet, ncw_datum, dagtelling,
    openingsboekwaarde, gerealiseerd_tot_en_met, indexreeksen, kosten[], opbrengsten[]

Each line: ``naam, bedrag, kostensoort`` (costs) or ``opbrengstsoort`` (revenues), ``indexreeks``, ``fasering``
(shares per year summing to 1, or amounts per year summing to ``bedrag``), ``gerealiseerd`` (nominal amounts per
past year, not indexed again), ``notitie`` (confidential: viewers never see it).

Document keys (Dutch; the spec's English keys of the first version still load and ``opengrex document migreer``
rewrites them): ``name`` → ``naam``, ``description`` → ``omschrijving``, ``start_year`` → ``startjaar``,
``end_year`` → ``eindjaar``, ``opening_book_value`` → ``openingsboekwaarde``, ``realised_through`` →
``gerealiseerd_tot_en_met``, ``indices`` → ``indexreeksen``; per line ``amount`` → ``bedrag``, ``index`` →
``indexreeks``, ``phasing`` → ``fasering``, ``realised`` → ``gerealiseerd``, ``note`` → ``notitie``. Kept as they
are: ``prijspeil``, ``rente``, ``disconteringsvoet``, ``ncw_datum``, ``kosten``, ``opbrengsten``, ``kostensoort``,
``opbrengstsoort`` (the Dutch terms already), and ``timing`` with its values ``end``/``mid``/``start`` (the term
practitioners use; the law has none). Python attribute names stay English (``grex.start_year``).
"""
from __future__ import annotations

import datetime as dt
from typing import Literal

import numpy as np
from opengrex.codes import get_kostensoort
from opengrex.engine import tijd
from opengrex.engine.grex import PHASING_TOLERANCE, GrexArrays, phasing_is_shares, phasing_shares
from opengrex.errors import InputError, InputErrors
from opengrex.model.base import RateSeries, StrictModel, check_rates, error, rate_on_years, veld

OPBRENGSTSOORTEN: dict[str, str] = {
    "gronduitgifte_woningbouw": "Gronduitgifte woningbouw",
    "gronduitgifte_sociaal": "Gronduitgifte sociale woningbouw",
    "gronduitgifte_bedrijven": "Gronduitgifte bedrijven",
    "subsidie": "Subsidie",
    "bijdrage": "Bijdrage (derden, kostenverhaal)",
    "overig": "Overige opbrengsten",
}
"""Opbrengstsoorten (revenue types) of a grex, spec grondexploitatie.md "Inputs"."""


class Line(StrictModel):
    """A cost or revenue line (kostenpost / opbrengstpost) of a grex. Amounts in [EUR prijspeil]."""

    name: str = veld(label="Naam", help="Naam van de post", alias="naam", min_length=1)
    amount: float = veld(label="Bedrag", eenheid="EUR prijspeil", help="Bedrag op prijspeil, positief (kosten en opbrengsten beide positief)", alias="bedrag")
    index: str = veld(label="Indexreeks", help="Naam van een indexreeks uit 'indexreeksen'", alias="indexreeks")
    phasing: dict[int, float] = veld(label="Fasering", help="Aandelen per jaar (som 1) of bedragen per jaar (som = bedrag)", alias="fasering")
    realised: dict[int, float] = veld(label="Gerealiseerd", eenheid="EUR nominaal", help="Geboekte bedragen per jaar; vervangen de raming van dat jaar en worden niet geïndexeerd",
                                      alias="gerealiseerd", default_factory=dict)
    note: str = veld("", label="Notitie", help="Interne notitie bij de post (bijv. een onderhandelingspositie); alleen bewerkers zien haar", vertrouwelijk=True, alias="notitie")

    @property
    def shares(self) -> dict[int, float]:
        """Phasing as shares (sum 1), whichever form was given (:func:`opengrex.engine.grex.phasing_shares`)."""
        years = list(self.phasing)
        return dict(zip(years, phasing_shares([self.phasing[y] for y in years]).tolist()))

    def scaled(self, factor: float) -> "Line":
        """A copy with the amount times ``factor`` and the phasing as shares (so amounts per year scale too)."""
        return self.model_copy(update={"amount": self.amount * factor, "phasing": self.shares})


class CostLine(Line):
    """Kostenpost with a code from the kostensoortenlijst (Ob bijlage IV / Bro 6.2.3–6.2.5)."""

    kostensoort: str = veld(label="Kostensoort", help="Code uit de kostensoortenlijst (Ob bijlage IV A1–A14, B1–B4; Bro 6.2.3–6.2.5)")


class RevenueLine(Line):
    """Opbrengstpost with an opbrengstsoort (see :data:`OPBRENGSTSOORTEN`)."""

    opbrengstsoort: str = veld(label="Opbrengstsoort", help=", ".join(OPBRENGSTSOORTEN))


class Grex(StrictModel):
    """Grondexploitatie: a multi-year budget of costs and revenues at one prijspeil (keys: see the module)."""

    name: str = veld(label="Naam", alias="naam", min_length=1)
    description: str = veld("", label="Omschrijving", alias="omschrijving")
    prijspeil: dt.date = veld(label="Prijspeil", eenheid="datum", help="Datum waarop alle invoerbedragen zijn uitgedrukt")
    start_year: int = veld(label="Startjaar", eenheid="jaar", help="Eerste jaar van de looptijd", alias="startjaar")
    end_year: int = veld(label="Eindjaar", eenheid="jaar", help="Laatste jaar; de eindwaarde is per 31 december van dit jaar", alias="eindjaar")
    timing: Literal["end", "mid", "start"] = veld("end", label="Timing", help="Moment van de kasstroom in het jaar: end (31 december), mid (1 juli), start (1 januari)")
    rente: RateSeries = veld(0.02, label="Rente", eenheid="%", help="Rente over de boekwaarde; één percentage of per jaar (het laatste geldt voor latere jaren)")
    disconteringsvoet: float = veld(0.02, label="Disconteringsvoet", eenheid="%", help="Voor de NCW (BBV: 2%)")
    ncw_datum: dt.date | None = veld(None, label="NCW-datum", eenheid="datum", help="Datum waarop NCW en contante waarde zijn uitgedrukt; leeg: de prijspeildatum")
    dagtelling: Literal["hele_jaren", "werkelijke_dagen"] = veld(
        "hele_jaren", label="Dagtelling", help="Tijd tot 31 december in hele jaren (standaard) of in werkelijke dagen / 365,25 (spec §10)")
    opening_book_value: float = veld(0.0, label="Openingsboekwaarde", eenheid="EUR nominaal", help="Boekwaarde op 31 december vóór het startjaar (lopende grex); kosten negatief",
                                     alias="openingsboekwaarde")
    realised_through: int | None = veld(None, label="Gerealiseerd t/m", eenheid="jaar",
                                        help="Tot en met dit jaar telt alleen het gerealiseerde (0 waar niets gerealiseerd is); de rest van de raming vervalt",
                                        alias="gerealiseerd_tot_en_met")
    indices: dict[str, RateSeries] = veld(label="Indexreeksen", eenheid="%", help="Per reeks één percentage of percentages per jaar", alias="indexreeksen",
                                          default_factory=lambda: {"geen": 0.0})
    kosten: list[CostLine] = veld(label="Kosten", help="Kostenposten", default_factory=list)
    opbrengsten: list[RevenueLine] = veld(label="Opbrengsten", help="Opbrengstposten", default_factory=list)

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
        if not (bool(phasing_is_shares(total)) or _close(total, line.amount)):
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
        """Phasing as shares (sum 1), whichever form was given (see :attr:`Line.shares`)."""
        return line.shares

    def shifted(self, years: int) -> "Grex":
        """A copy with every estimate moved ``years`` later (negative: earlier); realised amounts and the years up to
        ``realised_through`` stay; the period grows to hold the moved years. The base is not changed."""
        cut = self.realised_through

        def move(ln: Line) -> Line:
            return ln.model_copy(update={"phasing": {(y + years if cut is None or y > cut else y): v for y, v in ln.phasing.items()}})

        kosten = [move(ln) for ln in self.kosten]
        opbrengsten = [move(ln) for ln in self.opbrengsten]
        used = [y for ln in kosten + opbrengsten for y in list(ln.phasing) + list(ln.realised)]
        update: dict = {"kosten": kosten, "opbrengsten": opbrengsten}
        if used:
            update["start_year"] = min([self.start_year] + used) if years < 0 else self.start_year
            update["end_year"] = max(self.end_year + max(years, 0), max(used))
        return self.model_copy(update=update)

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
            ncw_fraction=date_fraction(ncw),
            timing=self.timing,
            dagtelling=self.dagtelling,
        )


def line_labels(grex: Grex) -> list[dict[str, str]]:
    """Labels of each line in engine order (kosten first, then opbrengsten): soort, code, omschrijving, naam,
    index."""
    out = []
    for section, _, ln in grex.lines():
        if section == "kosten":
            ks = get_kostensoort(ln.kostensoort)  # type: ignore[attr-defined]
            out.append({"soort": "kosten", "code": ks.code, "omschrijving": ks.kort, "naam": ln.name, "index": ln.index})
        else:
            code = ln.opbrengstsoort  # type: ignore[attr-defined]
            out.append({"soort": "opbrengsten", "code": code, "omschrijving": OPBRENGSTSOORTEN[code], "naam": ln.name, "index": ln.index})
    return out


def _nl(x: float) -> str:
    """Up to 10 significant digits with a decimal comma, for messages (``0.6`` -> ``'0,6'``)."""
    return f"{x:.10g}".replace(".", ",")


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= PHASING_TOLERANCE * max(1.0, abs(b))


def date_fraction(date: dt.date) -> float:
    """Elapsed part of ``date``'s year at the start of that day (:func:`opengrex.engine.tijd.year_fraction`). [-]"""
    return float(tijd.year_fraction(date.year, date.timetuple().tm_yday))
