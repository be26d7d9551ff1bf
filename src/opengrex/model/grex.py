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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal, Union

import numpy as np
from pydantic import Field

from opengrex.codes import get_kostensoort
from opengrex.engine import tijd
from opengrex.engine.grex import PHASING_TOLERANCE, GrexArrays, phasing_is_shares, phasing_shares
from opengrex.errors import InputError, InputErrors
from opengrex.model.base import RateSeries, StrictModel, check_rates, error, override_rate, rate_on_years, veld
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


class Line(LineDetail, StrictModel):
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

    def scaled(self, factor: float) -> Line:
        """A copy with the amount times ``factor`` and the phasing as shares (so amounts per year scale too)."""
        return self.model_copy(update={"amount": self.amount * factor, "phasing": self.shares})


class CostLine(Line):
    """Kostenpost with a code from the kostensoortenlijst (Ob bijlage IV / Bro 6.2.3–6.2.5)."""

    kostensoort: str = veld(label="Kostensoort", help="Code uit de kostensoortenlijst (Ob bijlage IV A1–A14, B1–B4; Bro 6.2.3–6.2.5)")


class RevenueLine(Line):
    """Opbrengstpost with an opbrengstsoort (see :data:`OPBRENGSTSOORTEN`)."""

    opbrengstsoort: str = veld(label="Opbrengstsoort", help=", ".join(OPBRENGSTSOORTEN))


# ------------------------------------------------------------------------------------------------ scenario changes
SECTIES = ("kosten", "opbrengsten")


class _Wijziging(StrictModel):
    """Common part of a grex scenario change: an optional ``label`` shown in tables and waterfalls. A change is
    applied to a copy (:meth:`apply`); the grex it changes is never modified (scenarios copy, style.md §9)."""

    label: str | None = veld(None, label="Label", help="Naam in tabellen en de waterval; leeg: een korte omschrijving")

    def check(self, grex: Grex, path: tuple) -> list[InputError]:
        """Errors of this change against the grex it changes (an unknown series or line)."""
        return []

    def apply(self, grex: Grex) -> Grex:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError

    def text(self) -> str:
        return self.label or self.describe()


class _Tarief(_Wijziging):
    """A rate set to ``waarde`` or moved by ``delta`` (fractions), from ``vanaf`` on (default: every year)."""

    waarde: float | None = veld(None, label="Waarde", eenheid="%", help="Nieuw percentage als fractie (0.03 = 3 %)")
    delta: float | None = veld(None, label="Delta", eenheid="%", help="Verandering als fractie (0.01 = 1 procentpunt hoger)")
    vanaf: int | None = veld(None, label="Vanaf", eenheid="jaar", help="Eerste jaar van de wijziging; leeg: alle jaren")

    def _check_value(self, path: tuple) -> list[InputError]:
        if (self.waarde is None) == (self.delta is None):
            return [error(path + ("waarde",), "geef óf 'waarde' óf 'delta'", None, "een percentage als fractie (waarde), of een verandering (delta)")]
        if self.waarde is not None and self.waarde <= -1:
            return [error(path + ("waarde",), "percentage moet groter zijn dan -100%", self.waarde, "> -1,0")]
        return []

    def _rate(self, series: RateSeries, grex: Grex) -> RateSeries:
        return override_rate(series, waarde=self.waarde, delta=self.delta, vanaf=self.vanaf, years=grex.years)

    def _value_text(self) -> str:
        from opengrex.formatting import procent

        if self.waarde is not None:
            val = f"= {procent(self.waarde)}"
        else:
            val = f"{'+' if (self.delta or 0) >= 0 else '−'}{procent(abs(self.delta or 0.0)).removesuffix(' %')} procentpunt"
        return val + (f" vanaf {self.vanaf}" if self.vanaf else "")


class RenteWijziging(_Tarief):
    """The rente over the book value set to ``waarde`` or moved by ``delta``."""

    type: Literal["rente"] = veld("rente", label="Soort wijziging")

    def check(self, grex: Grex, path: tuple) -> list[InputError]:
        return self._check_value(path)

    def apply(self, grex: Grex) -> Grex:
        return grex.model_copy(update={"rente": self._rate(grex.rente, grex)})

    def describe(self) -> str:
        return f"rente {self._value_text()}"


class DisconteringsvoetWijziging(_Tarief):
    """The disconteringsvoet set to ``waarde`` or moved by ``delta`` (one rate for every year)."""

    type: Literal["disconteringsvoet"] = veld("disconteringsvoet", label="Soort wijziging")

    def check(self, grex: Grex, path: tuple) -> list[InputError]:
        errs = self._check_value(path)
        if self.vanaf is not None:
            errs.append(error(path + ("vanaf",), "de disconteringsvoet geldt voor de hele looptijd", self.vanaf, "leeg"))
        return errs

    def apply(self, grex: Grex) -> Grex:
        d = float(self.waarde) if self.waarde is not None else float(grex.disconteringsvoet) + float(self.delta or 0.0)
        return grex.model_copy(update={"disconteringsvoet": d})

    def describe(self) -> str:
        return f"disconteringsvoet {self._value_text()}"


class IndexWijziging(_Tarief):
    """Index series ``reeks`` set to ``waarde`` or moved by ``delta``; ``reeks`` empty: every series."""

    type: Literal["index"] = veld("index", label="Soort wijziging")
    reeks: str = veld("", label="Indexreeks", help="Naam van een indexreeks; leeg: alle reeksen")

    def check(self, grex: Grex, path: tuple) -> list[InputError]:
        errs = [] if not self.reeks or self.reeks in grex.indices else [error(path + ("reeks",), "onbekende indexreeks", self.reeks, ", ".join(grex.indices))]
        return errs + self._check_value(path)

    def apply(self, grex: Grex) -> Grex:
        names = [self.reeks] if self.reeks else list(grex.indices)
        return grex.model_copy(update={"indices": {n: (self._rate(v, grex) if n in names else v) for n, v in grex.indices.items()}})

    def describe(self) -> str:
        return f"index {self.reeks or 'alle reeksen'} {self._value_text()}"


def _known_lines(grex: Grex, sectie: str, regels: list[str], path: tuple) -> list[InputError]:
    names = [ln.name for sec, _, ln in grex.lines() if sectie in ("alle", sec)]
    return [error(path + ("regels", j), "onbekende post", n, ", ".join(names) or "(geen posten)") for j, n in enumerate(regels) if n not in names]


class Verschuiving(_Wijziging):
    """The phasing of the lines of ``sectie`` (or only the named ``regels``) ``jaren`` years later (negative:
    earlier); realised years stay, the period grows to hold the moved years (:meth:`Grex.shifted`)."""

    type: Literal["verschuif"] = veld("verschuif", label="Soort wijziging")
    jaren: int = veld(label="Jaren", eenheid="jaar", help="Aantal jaren later (negatief: eerder)")
    sectie: Literal["alle", "kosten", "opbrengsten"] = veld("alle", label="Posten", help="alle, kosten of opbrengsten")
    regels: list[str] = veld(label="Regels", help="Namen van posten; leeg: alle posten van de sectie", default_factory=list)

    def check(self, grex: Grex, path: tuple) -> list[InputError]:
        errs = _known_lines(grex, self.sectie, self.regels, path)
        if abs(self.jaren) > 50:
            errs.append(error(path + ("jaren",), "verschuiving te groot", self.jaren, "-50..50"))
        return errs

    def apply(self, grex: Grex) -> Grex:
        return grex.shifted(int(self.jaren), lambda section, ln: self.sectie in ("alle", section) and (not self.regels or ln.name in self.regels))

    def describe(self) -> str:
        what = ", ".join(self.regels) if self.regels and len(self.regels) <= 2 else f"{len(self.regels)} posten" if self.regels else \
            {"alle": "fasering", "kosten": "kosten", "opbrengsten": "opbrengsten"}[self.sectie]
        return f"{what} {self.jaren:+d} jaar"


class Vertraging(_Wijziging):
    """Delay: every estimate from ``vanaf`` on moves ``jaren`` years later (what was planned before stays); the
    period grows. ``vanaf`` empty: the first year not realised."""

    type: Literal["vertraging"] = veld("vertraging", label="Soort wijziging")
    jaren: int = veld(label="Jaren", eenheid="jaar", help="Aantal jaren vertraging", ge=0)
    vanaf: int | None = veld(None, label="Vanaf", eenheid="jaar", help="Eerste jaar dat vertraagt; leeg: het eerste jaar dat niet gerealiseerd is")

    def check(self, grex: Grex, path: tuple) -> list[InputError]:
        errs = []
        if self.jaren > 50:
            errs.append(error(path + ("jaren",), "vertraging te groot", self.jaren, "0..50"))
        if self.vanaf is not None and not (grex.start_year <= self.vanaf <= grex.end_year):
            errs.append(error(path + ("vanaf",), "jaar buiten de looptijd", self.vanaf, f"{grex.start_year}–{grex.end_year}"))
        return errs

    def apply(self, grex: Grex) -> Grex:
        return grex.delayed(int(self.jaren), self.vanaf)

    def describe(self) -> str:
        return f"vertraging {self.jaren} jaar" + (f" vanaf {self.vanaf}" if self.vanaf else "")


class _Bedragen(_Wijziging):
    """Amounts of a section ``procent`` % higher (negative: lower), of every line or the named ``regels``."""

    procent: float = veld(label="Procent", eenheid="%", help="Bijv. -10 = 10 % lager (groter dan -100)")
    regels: list[str] = veld(label="Regels", help="Namen van posten; leeg: alle posten", default_factory=list)
    SECTION: ClassVar[str] = "opbrengsten"

    def check(self, grex: Grex, path: tuple) -> list[InputError]:
        errs = _known_lines(grex, self.SECTION, self.regels, path)
        if self.procent <= -100:
            errs.append(error(path + ("procent",), "procent moet groter zijn dan -100", self.procent, "> -100"))
        return errs

    def apply(self, grex: Grex) -> Grex:
        f = 1.0 + float(self.procent) / 100.0
        lines = [ln.scaled(f) if not self.regels or ln.name in self.regels else ln for ln in getattr(grex, self.SECTION)]
        return grex.model_copy(update={self.SECTION: lines})

    def describe(self) -> str:
        where = f" ({', '.join(self.regels)})" if self.regels and len(self.regels) <= 2 else f" ({len(self.regels)} posten)" if self.regels else ""
        return f"{self.SECTION} {self.procent:+g}%{where}"


class OpbrengstenWijziging(_Bedragen):
    """Opbrengsten ``procent`` % (e.g. -10: the market falls)."""

    type: Literal["opbrengsten"] = veld("opbrengsten", label="Soort wijziging")
    SECTION: ClassVar[str] = "opbrengsten"


class KostenWijziging(_Bedragen):
    """Kosten ``procent`` % (e.g. +10: a cost overrun)."""

    type: Literal["kosten"] = veld("kosten", label="Soort wijziging")
    SECTION: ClassVar[str] = "kosten"


GrexWijziging = Annotated[
    Union[RenteWijziging, DisconteringsvoetWijziging, IndexWijziging, Verschuiving, Vertraging, OpbrengstenWijziging, KostenWijziging],  # noqa: UP007
    Field(discriminator="type"),
]
"""One scenario change of a grex (tagged by ``type``)."""


class GrexScenario(StrictModel):
    """A scenario of a grex: its changes, applied in order to a copy of the grex (the base stays as it is)."""

    naam: str = veld(label="Naam", min_length=1)
    omschrijving: str = veld("", label="Omschrijving")
    wijzigingen: list[GrexWijziging] = veld(label="Wijzigingen", default_factory=list)


def _no_scenarios(value: Any) -> bool:
    """A grex without scenarios is written without the key, so documents without them stay exactly as they were."""
    return not value


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
    scenarios: list[GrexScenario] = veld(label="Scenario's", help="Varianten van deze grex: wijzigingen van rente, index, fasering, vertraging of bedragen",
                                         default_factory=list, exclude_if=_no_scenarios)

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
        errs += self._check_scenarios()
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

    def _check_scenarios(self) -> list[InputError]:
        errs: list[InputError] = []
        seen: set[str] = set()
        for i, sc in enumerate(self.scenarios):
            if sc.naam in seen:
                errs.append(error(("scenarios", i, "naam"), "scenario komt twee keer voor", sc.naam, "unieke namen"))
            seen.add(sc.naam)
            for j, w in enumerate(sc.wijzigingen):
                errs += w.check(self, ("scenarios", i, "wijzigingen", j))
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

    def validated(self) -> Grex:
        """Raise :class:`InputErrors` with every domain error, or return ``self``."""
        errs = self.check()
        if errs:
            raise InputErrors(errs)
        return self

    # ------------------------------------------------------------------ compile
    def shares(self, line: Line) -> dict[int, float]:
        """Phasing as shares (sum 1), whichever form was given (see :attr:`Line.shares`)."""
        return line.shares

    def shifted(self, years: int, select: Callable[[str, Line], bool] | None = None) -> Grex:
        """A copy with every estimate moved ``years`` later (negative: earlier); realised amounts and the years up to
        ``realised_through`` stay; the period grows to hold the moved years. ``select(section, line)``: only the
        lines it accepts move (default: all). The base is not changed."""
        cut = self.realised_through

        def move(ln: Line) -> Line:
            return ln.model_copy(update={"phasing": _merge_years((y + years if cut is None or y > cut else y, v) for y, v in ln.phasing.items())})

        return self._with_lines(lambda section, ln: move(ln) if select is None or select(section, ln) else ln, grow=years)

    def delayed(self, years: int, vanaf: int | None = None) -> Grex:
        """A copy in which every estimate from ``vanaf`` on (default: the first year not realised) moves ``years``
        later; what was planned before ``vanaf`` and realised amounts stay; the period grows. The base is not changed."""
        start = vanaf if vanaf is not None else max(self.start_year, (self.realised_through or self.start_year - 1) + 1)

        def move(section: str, ln: Line) -> Line:
            return ln.model_copy(update={"phasing": _merge_years((y + years if y >= start else y, v) for y, v in ln.phasing.items())})

        return self._with_lines(move, grow=years)

    def _with_lines(self, fn: Callable[[str, Line], Line], grow: int) -> Grex:
        kosten = [fn("kosten", ln) for ln in self.kosten]
        opbrengsten = [fn("opbrengsten", ln) for ln in self.opbrengsten]
        used = [y for ln in kosten + opbrengsten for y in list(ln.phasing) + list(ln.realised)]
        update: dict = {"kosten": kosten, "opbrengsten": opbrengsten}
        if used:
            update["start_year"] = min([self.start_year] + used) if grow < 0 else self.start_year
            update["end_year"] = max(self.end_year + max(grow, 0), max(used))
        return self.model_copy(update=update)

    def without_scenarios(self) -> Grex:
        """The grex itself, without its scenario list (what every variant, hybrid and batch computes)."""
        return self.model_copy(update={"scenarios": []}) if self.scenarios else self

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


def _merge_years(items: Any) -> dict[int, float]:
    """Year -> value from (year, value) pairs; two values landing in one year (an estimate moved onto a year that
    stayed) are added."""
    out: dict[int, float] = {}
    for y, v in items:
        out[y] = out.get(y, 0.0) + v
    return dict(sorted(out.items()))


# ------------------------------------------------------------------------------------------------ versions: causes
GREX_CAUSES = ("kosten", "opbrengsten", "fasering", "indexering", "rente", "realisatie")
"""The causes of a change between two grex versions, in the order of the attribution (:func:`hybrid_grex`)."""
GREX_CAUSE_TEXT = {
    "kosten": "bedragen van kostenposten; kostenposten toegevoegd of vervallen",
    "opbrengsten": "bedragen van opbrengstposten; opbrengstposten toegevoegd of vervallen",
    "fasering": "fasering per post, looptijd (start- en eindjaar) en timing: vertraging of versnelling",
    "indexering": "indexreeksen en de keuze van de reeks per post, prijspeil",
    "rente": "rente over de boekwaarde, disconteringsvoet, NCW-datum en dagtelling",
    "realisatie": "gerealiseerde bedragen, gerealiseerd t/m en de openingsboekwaarde",
}
GREX_FIELD_CAUSES = {
    "prijspeil": "indexering", "indices": "indexering", "rente": "rente", "disconteringsvoet": "rente", "ncw_datum": "rente", "dagtelling": "rente",
    "timing": "fasering", "start_year": "fasering", "end_year": "fasering", "realised_through": "realisatie", "opening_book_value": "realisatie",
}
"""Which cause each general field of a grex belongs to (the rest, e.g. its name, does not change a result)."""
GREX_LINE_CAUSES = {"phasing": "fasering", "index": "indexering", "realised": "realisatie"}
"""Which cause each field of a line belongs to; the amount and the rest follow the line's section (kosten/opbrengsten)."""


def hybrid_grex(a: Grex, b: Grex, on: Callable[[str], bool], field_causes: Mapping[str, str] = GREX_FIELD_CAUSES,
                line_causes: Mapping[str, str] = GREX_LINE_CAUSES) -> Grex:
    """Version ``a`` with the changes of version ``b`` for the causes ``on`` accepts: a new grex built from copies
    (neither version is changed). ``on(c)`` for no cause rebuilds ``a``'s results, for every cause ``b``'s.

    Lines are matched by (section, name); a line in one version only belongs to its section's cause. A matched line
    takes its amount (and the fields not in ``line_causes``) from the version its section picks, and each field of
    ``line_causes`` from the version its cause picks; the phasing as shares, so an amount and a phasing from
    different versions agree. Index series of both versions are kept (a line may refer to either). The period is
    the picked one, grown to hold every year used. The grex-level fields follow ``field_causes``."""
    def pick(f: str) -> Grex:
        cause = field_causes.get(f)
        return b if cause is not None and on(cause) else a

    indices = dict(pick("indices").indices)
    for k, v in (a.indices | b.indices).items():
        indices.setdefault(k, v)
    years: list[int] = []
    sections: dict[str, list[Line]] = {}
    for section in SECTIES:
        la = {ln.name: ln for ln in getattr(a, section)}
        lb = {ln.name: ln for ln in getattr(b, section)}
        lines: list[Line] = []
        for name in list(la) + [x for x in lb if x not in la]:
            if name in la and name in lb:
                base = lb[name] if on(section) else la[name]
                changes = {f: (lb[name] if on(c) else la[name]).shares if f == "phasing" else getattr(lb[name] if on(c) else la[name], f)
                           for f, c in line_causes.items()}
                changes.setdefault("phasing", base.shares)
                line = base.model_copy(update=changes)
            elif (name in la) != on(section):  # only in a and kept, or only in b and taken
                line = la[name] if name in la else lb[name]
            else:
                continue
            years += list(line.phasing) + list(line.realised)
            lines.append(line)
        sections[section] = lines
    update: dict[str, Any] = {f: getattr(pick(f), f) for f in field_causes if f not in ("indices", "start_year", "end_year")}
    update |= {"indices": indices, "scenarios": [], **sections}
    update["start_year"] = min([pick("start_year").start_year] + years)
    update["end_year"] = max([pick("end_year").end_year] + years)
    return a.model_copy(update=update).validated()


# ------------------------------------------------------------------------------------------------ variants: one batch
@dataclass
class GrexBatch:
    """Variants of one grex (scenarios, tornado inputs) compiled onto one year grid: one engine call computes them all.

    ``arrays``: :class:`GrexArrays` with a leading variant axis ``V`` (``amount (V, L)``, ``share (V, L, Y)``,
    ``rente (V, Y)``, ``rate (V, S, Yi)``, ``disconteringsvoet (V,)``, ``opening_pos (V,)``); ``end_pos (V,)``: the
    grid position of each variant's own end year; ``t_end (V,)``: time from the NCW-datum to 31 December of it [yr]."""

    arrays: GrexArrays
    end_pos: np.ndarray
    t_end: np.ndarray
    years: list[int]


def compile_variants(variants: Sequence[Grex]) -> GrexBatch:
    """Compile grexes that differ only in amounts, phasing, period, rates and the disconteringsvoet (the same lines,
    series, timing, prijspeil, NCW-datum and dagtelling) onto their common year grid, each padded with zero flows
    outside its own period: its opening book value stands at 31 December before its own start year, and its results
    are read at its own end year (``end_pos``). Raises :class:`InputError` naming what differs otherwise."""
    if not variants:
        raise InputError("geen varianten om te berekenen", field="varianten", allowed="ten minste één grex")
    first = variants[0]
    for i, g in enumerate(variants[1:], start=1):
        same = (
            [(s, ln.name) for s, _, ln in g.lines()] == [(s, ln.name) for s, _, ln in first.lines()]
            and [ln.index for _, _, ln in g.lines()] == [ln.index for _, _, ln in first.lines()]
            and list(g.indices) == list(first.indices)
            and (g.timing, g.prijspeil, g.ncw_date, g.dagtelling) == (first.timing, first.prijspeil, first.ncw_date, first.dagtelling)
        )
        if not same:
            raise InputError("varianten zijn niet samen te berekenen", field=f"varianten[{i}]", value=g.name,
                             allowed="dezelfde posten, indexreeksen, timing, prijspeil, NCW-datum en dagtelling als de basis")
    compiled = [g.compile() for g in variants]
    start = min(g.start_year for g in variants)
    end = max(g.end_year for g in variants)
    years = list(range(start, end + 1))
    p_year = first.prijspeil.year
    ix_years = range(min(p_year, start), end + 1)
    n_v, n_y = len(variants), len(years)
    n_l = len(compiled[0].amount)
    share = np.zeros((n_v, n_l, n_y))
    realised = np.zeros((n_v, n_l, n_y))
    mask = np.zeros((n_v, n_l, n_y), dtype=bool)
    for v, (g, c) in enumerate(zip(variants, compiled)):
        off = g.start_year - start
        width = len(c.years)
        share[v, :, off:off + width] = c.share
        realised[v, :, off:off + width] = c.realised
        mask[v, :, off:off + width] = c.realised_mask
    names = list(first.indices)
    ncw = first.ncw_date
    arrays = GrexArrays(
        years=np.array(years),
        amount=np.stack([c.amount for c in compiled]),
        share=share,
        sign=compiled[0].sign,
        series=compiled[0].series,
        rate=np.array([[rate_on_years(g.indices[n], ix_years) for n in names] for g in variants], dtype=np.float64).reshape(n_v, len(names), len(ix_years)),
        index_base=p_year - ix_years[0],
        index_offset=start - ix_years[0],
        rente=np.array([rate_on_years(g.rente, range(start, end + 1)) for g in variants], dtype=np.float64),
        realised=realised,
        realised_mask=mask,
        opening=np.array([float(g.opening_book_value) for g in variants]),
        disconteringsvoet=np.array([float(g.disconteringsvoet) for g in variants]),
        ncw_year=ncw.year,
        ncw_fraction=date_fraction(ncw),
        timing=first.timing,
        dagtelling=first.dagtelling,
        opening_pos=np.array([g.start_year - start - 1 for g in variants], dtype=np.intp),
    )
    ends = np.array([g.end_year for g in variants])
    t_end = np.asarray(tijd.years_to_year_end(ends, ncw.year, date_fraction(ncw), first.dagtelling), dtype=np.float64)
    return GrexBatch(arrays=arrays, end_pos=ends - start, t_end=t_end, years=years)
