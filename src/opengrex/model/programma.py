"""The programme (Mastergrex) input model (spec: shared/spec/programma.md, "Programme", "Scenarios", "Risk").

A programme file (YAML/JSON, or an Excel workbook via :mod:`opengrex.io.xlsx_programma`) holds (Dutch keys)::

    naam, versie, omschrijving, prijspeil, ncw_datum, dagtelling, disconteringsvoet, timing, eindjaar,
    financiers[] (voorfinancierders: naam, rente per jaar), fonds (naam, rente, openingssaldo, financier),
    partners[] (naam, aandeel in het programmaresultaat), garanties[], taakstellingen[],
    projecten[] (each: naam, soort rood/groen/overig, trekker, voorfinancierder, grex: <a grex>, risicos[]),
    onzekerheden[] (uncertain parameters for Monte Carlo), scenarios[] (naam, omschrijving, wijzigingen[])

Every project budget is an ordinary :class:`opengrex.model.grex.Grex`; no grex rule is copied here. Its own
``rente`` and ``disconteringsvoet`` are replaced in a programme by the rente of its voorfinancierder and the
programme's disconteringsvoet (a programme has one ncw_datum, one prijspeil and one dagtelling).

Document keys (Dutch; the English keys of the first version still load, ``opengrex document migreer`` rewrites
them): ``name`` → ``naam`` (programme, financier, fonds, partner, garantie, taakstelling, project),
``description`` → ``omschrijving``, ``end_year`` → ``eindjaar``, ``share`` → ``aandeel``, fund ``opening`` →
``openingssaldo``, impact and onzekerheid ``mode`` → ``modus`` (the statistical term). Kept: ``financiers``,
``fonds``, ``partners``, ``plafond``, ``basis``, ``trekker``, ``voorfinancierder``, ``kans``, ``min``/``max``,
``verdeling``, and ``type`` of a wijziging or onzekerheid (its values are Dutch: ``verschuif``, ``rente``, …).

Scenario changes (:data:`Wijziging`) are a tagged union on ``type``: each kind has exactly its own fields and
applies itself as a pure function ``Programme -> Programme`` that copies (``model_copy``) and never mutates the base
(style.md example 9).
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, TypeAdapter, model_validator

from opengrex.errors import InputError, InputErrors
from opengrex.model.base import RateSeries, StrictModel, check_rates, error, override_rate, veld
from opengrex.model.grex import Grex, Line, hybrid_grex

SHARE_TOLERANCE = 1e-9
"""Shares must sum to 1 within this tolerance (100%)."""

PROJECT_KINDS = ("rood", "groen", "overig")
OVERRIDE_TYPES = ("verschuif", "index", "rente", "opbrengsten", "kosten", "vervalt", "toevoegen")
UNCERTAINTY_TYPES = ("index", "prijsniveau", "vertraging")


class Financier(StrictModel):
    """Voorfinancierder: the party that pre-finances projects (and/or the fund) at its own rente per jaar."""

    name: str = veld(label="Naam", alias="naam", min_length=1)
    rente: RateSeries = veld(0.0, label="Rente", eenheid="%", help="Rente op voorfinanciering; één percentage of per jaar (seed 000: 4 %, later 0 %)")


class Fund(StrictModel):
    """Programmafonds (Beheerfonds / gebiedsfonds) for verevening, with its own rente (seed 000: 4% → 0%)."""

    name: str = veld("Beheerfonds", label="Naam", alias="naam", min_length=1)
    rente: RateSeries = veld(0.0, label="Rente", eenheid="%", help="Rente over het fondssaldo")
    opening: float = veld(0.0, label="Openingssaldo", eenheid="EUR nominaal", help="Saldo bij aanvang van het programmagrid", alias="openingssaldo")
    financier: str | None = veld(None, label="Voorfinancierder", help="Voorfinancierder aan wie de fondsrente wordt betaald")


class Partner(StrictModel):
    """Partner with a share in the programme result (aandeel in resultaat, 0–1)."""

    name: str = veld(label="Naam", alias="naam", min_length=1)
    share: float = veld(label="Aandeel", eenheid="%", help="Aandeel in het programmaresultaat (samen 100 %)", alias="aandeel")


class Guarantee(StrictModel):
    """Garantie with a ceiling (plafond) over a scope (whole programme, or listed projects).

    ``basis: resultaat`` covers the deficit (negative NCW) of the scope: the programme NCW, or the sum of the listed
    projects' own NCWs (each over its own looptijd); ``basis: boekwaarde`` covers the deepest book value (badkuip,
    the maximum pre-financing) of the scope.
    """

    name: str = veld(label="Naam", alias="naam", min_length=1)
    plafond: float = veld(label="Plafond", eenheid="EUR")
    projecten: list[str] = veld(label="Projecten", help="Leeg: het hele programma", default_factory=list)
    basis: Literal["resultaat", "boekwaarde"] = veld("resultaat", label="Basis", help="resultaat (tekort, NCW) of boekwaarde (diepste voorfinanciering)")
    partners: dict[str, float] = veld(label="Aandelen per partner", eenheid="%", help="Leeg: de aandelen in het programma", default_factory=dict)


class Taakstelling(StrictModel):
    """Taakstelling: an amount a project must earn (NCW of its own grex), e.g. 10 M at Vliegbasis Soesterberg (seed
    000 §2)."""

    name: str = veld(label="Naam", alias="naam", min_length=1)
    project: str = veld(label="Project")
    bedrag: float = veld(label="Bedrag", eenheid="EUR contant", help="Te verdienen NCW van het project")
    partners: dict[str, float] = veld(label="Aandelen per partner", eenheid="%", default_factory=dict)


class Impact(StrictModel):
    """Impact of a risk event [EUR nominaal, as a cost in the year it occurs]: minimum, most likely, maximum.

    Decision (issue #9): the impact is the nominal amount in the year the event happens (``Risk.jaar``), not indexed
    (like a realised amount); it is discounted with that year. The first version documented it as EUR prijspeil
    but treated it as nominal; the engine's treatment is kept and documented.
    """

    min: float = veld(label="Minimum", eenheid="EUR nominaal")
    mode: float = veld(label="Meest waarschijnlijk", eenheid="EUR nominaal", help="De modus (top) van de verdeling", alias="modus")
    max: float = veld(label="Maximum", eenheid="EUR nominaal")
    verdeling: Literal["driehoek", "pert"] = veld("driehoek", label="Verdeling")


class Risk(StrictModel):
    """Risk-register entry of a project: event with kans (probability) × impact, occurring in ``jaar``."""

    naam: str = veld(label="Naam", min_length=1)
    kans: float = veld(label="Kans", eenheid="%", help="Kans dat het zich voordoet (0–1)")
    impact: Impact = veld(label="Impact")
    jaar: int | None = veld(None, label="Jaar", eenheid="jaar", help="Jaar waarin de impact valt; standaard het eindjaar van het project")


_BAG_FIELDS = frozenset({"reeks", "op", "min", "mode", "modus", "max", "verdeling", "kansen"})
"""The fields of the first version's single uncertainty model (see :meth:`_Onzekerheid._drop_fields_of_other_kinds`)."""


class _Onzekerheid(StrictModel):
    """Common part of every uncertain parameter: its name and the projects it applies to (empty: all)."""

    naam: str = veld(label="Naam", min_length=1)
    projecten: list[str] = veld(label="Projecten", help="Leeg: alle projecten", default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _drop_fields_of_other_kinds(cls, data: Any) -> Any:
        """Documents of the first version had one bag of fields for every kind (``reeks``, ``op``, ``min``/``modus``/
        ``max``, ``verdeling``, ``kansen``) and the calculation ignored those a kind does not use; they are dropped
        here, so those documents keep loading with the same results. Any other unknown field is refused by name."""
        if not isinstance(data, dict):
            return data
        own = set(cls.model_fields) | {f.alias for f in cls.model_fields.values() if f.alias}
        return {k: v for k, v in data.items() if k in own or k not in _BAG_FIELDS}


class _Driehoek(_Onzekerheid):
    """A continuous uncertainty: minimum, most likely (modus) and maximum, triangular or PERT."""

    min: float = veld(label="Minimum")
    mode: float = veld(label="Meest waarschijnlijk", alias="modus")
    max: float = veld(label="Maximum")
    verdeling: Literal["driehoek", "pert"] = veld("driehoek", label="Verdeling")


class IndexOnzekerheid(_Driehoek):
    """An additive change of index series ``reeks`` in every year [1/jaar]: min/modus/max."""

    type: Literal["index"] = veld("index", label="Soort onzekerheid")
    reeks: str = veld(label="Indexreeks")


class PrijsniveauOnzekerheid(_Driehoek):
    """A relative change of the ``op`` (opbrengsten or kosten) amounts [-]: min/modus/max."""

    type: Literal["prijsniveau"] = veld("prijsniveau", label="Soort onzekerheid")
    op: Literal["opbrengsten", "kosten"] = veld("opbrengsten", label="Op", help="opbrengsten of kosten")


class VertragingOnzekerheid(_Onzekerheid):
    """A delay of the revenue phasing by whole years with a probability per number of years (``kansen``)."""

    type: Literal["vertraging"] = veld("vertraging", label="Soort onzekerheid")
    kansen: dict[int, float] = veld(label="Kansen per aantal jaren vertraging", eenheid="%", help="bijv. 0 jaar: 60%, 1 jaar: 30%, 2 jaar: 10%")


Uncertainty = Annotated[IndexOnzekerheid | PrijsniveauOnzekerheid | VertragingOnzekerheid, Field(discriminator="type")]
"""An uncertain parameter of the programme for Monte Carlo, tagged by ``type`` (:data:`UNCERTAINTY_TYPES`):
``index`` (reeks, min/modus/max: an additive change of the series [1/jaar]), ``prijsniveau`` (op, min/modus/max: a
relative change of the opbrengsten or kosten [-]), ``vertraging`` (kansen: {jaren: kans}); each with ``projecten``
(empty: all)."""


class Project(StrictModel):
    """A project of the programme: a grex with kind, trekker, voorfinancierder and its risk register."""

    name: str = veld(label="Naam", alias="naam", min_length=1)
    soort: str = veld(label="Soort", help="rood (bouw), groen (natuur) of overig")
    trekker: str = veld("", label="Trekker", help="Partner die het project trekt")
    voorfinancierder: str = veld(label="Voorfinancierder")
    grex: Grex = veld(label="Grondexploitatie")
    risicos: list[Risk] = veld(label="Risico's", default_factory=list)


# ------------------------------------------------------------------------------------------------ scenario changes
class _Wijziging(StrictModel):
    """Common part of every scenario change: an optional ``label`` shown in tables and waterfalls."""

    label: str | None = veld(None, label="Label", help="Naam in tabellen en de waterval; leeg: een korte omschrijving")

    def check(self, prog: Programme, path: tuple) -> list[InputError]:
        """Errors of this change against the programme it overrides (unknown project, series, financier)."""
        return []

    def apply(self, prog: Programme) -> Programme:
        """A copy of ``prog`` with this change; ``prog`` is not changed."""
        raise NotImplementedError

    def describe(self) -> str:
        """A short Dutch description (for tables and waterfalls)."""
        raise NotImplementedError

    def text(self) -> str:
        return self.label or self.describe()


def _known_project(prog: Programme, name: str, path: tuple) -> list[InputError]:
    names = prog.project_names()
    return [] if name in names else [error(path, "onbekend project", name, _allowed(names))]


def _replace_projects(prog: Programme, name: str, fn: Any) -> list[Project]:
    return [fn(p) if p.name == name else p for p in prog.projecten]


class Verschuif(_Wijziging):
    """Shift a project's estimates ``jaren`` years (negative: earlier); realised years stay."""

    type: Literal["verschuif"] = veld("verschuif", label="Soort wijziging")
    project: str = veld(label="Project")
    jaren: int = veld(label="Jaren", eenheid="jaar", help="Aantal jaren later (negatief: eerder)")

    def check(self, prog: Programme, path: tuple) -> list[InputError]:
        return _known_project(prog, self.project, path + ("project",))

    def apply(self, prog: Programme) -> Programme:
        n = int(self.jaren)

        def shift(p: Project) -> Project:
            g = p.grex.shifted(n)
            risks = [r if r.jaar is None else r.model_copy(update={"jaar": min(max(r.jaar + n, g.start_year), g.end_year)}) for r in p.risicos]
            return p.model_copy(update={"grex": g, "risicos": risks})

        return prog.model_copy(update={"projecten": _replace_projects(prog, self.project, shift)})

    def describe(self) -> str:
        return f"{self.project} {self.jaren:+d} jaar"


class _Bedragen(_Wijziging):
    """Revenues or costs ``procent`` % higher (negative: lower), of every project or the listed ones."""

    procent: float = veld(label="Procent", eenheid="%", help="Bijv. −10 = 10 % lager (groter dan −100)")
    projecten: list[str] = veld(label="Projecten", help="Leeg: alle projecten", default_factory=list)
    SECTION: ClassVar[str] = "opbrengsten"

    def check(self, prog: Programme, path: tuple) -> list[InputError]:
        errs = [e for j, n in enumerate(self.projecten) for e in _known_project(prog, n, path + ("projecten", j))]
        if self.procent <= -100:
            errs.append(error(path + ("procent",), "procent moet groter zijn dan -100", self.procent, "> -100"))
        return errs

    def apply(self, prog: Programme) -> Programme:
        f = 1.0 + float(self.procent) / 100.0

        def scale(p: Project) -> Project:
            if self.projecten and p.name not in self.projecten:
                return p
            lines: list[Line] = [ln.scaled(f) for ln in getattr(p.grex, self.SECTION)]
            return p.model_copy(update={"grex": p.grex.model_copy(update={self.SECTION: lines})})

        return prog.model_copy(update={"projecten": [scale(p) for p in prog.projecten]})

    def describe(self) -> str:
        where = (f" ({', '.join(self.projecten)})" if len(self.projecten) <= 2 else f" ({len(self.projecten)} projecten)") if self.projecten else ""
        return f"{self.SECTION} {self.procent:+g}%{where}"


class Opbrengsten(_Bedragen):
    """Opbrengsten ``procent`` % (e.g. −10: the market falls)."""

    type: Literal["opbrengsten"] = veld("opbrengsten", label="Soort wijziging")
    SECTION: ClassVar[str] = "opbrengsten"


class Kosten(_Bedragen):
    """Kosten ``procent`` % (e.g. −5: a cost-reduction measure)."""

    type: Literal["kosten"] = veld("kosten", label="Soort wijziging")
    SECTION: ClassVar[str] = "kosten"


class _Tarief(_Wijziging):
    """A rate set to ``waarde`` or changed by ``delta`` (fractions), from ``vanaf`` on (default: every year)."""

    waarde: float | None = veld(None, label="Waarde", eenheid="%", help="Nieuw percentage als fractie (0.0 = 0 %)")
    delta: float | None = veld(None, label="Delta", eenheid="%", help="Verandering als fractie (0.01 = 1 procentpunt)")
    vanaf: int | None = veld(None, label="Vanaf", eenheid="jaar", help="Eerste jaar van de wijziging; leeg: alle jaren")

    def _check_value(self, path: tuple) -> list[InputError]:
        if self.waarde is None and self.delta is None:
            return [error(path + ("waarde",), "geef 'waarde' of 'delta'", None, "een percentage als fractie")]
        return []

    def _rate(self, series: RateSeries, prog: Programme) -> RateSeries:
        return override_rate(series, waarde=self.waarde, delta=self.delta, vanaf=self.vanaf, years=prog.grid())

    def _value_text(self) -> str:
        val = f"= {self.waarde:g}" if self.waarde is not None else f"{self.delta:+g}"
        return val + (f" vanaf {self.vanaf}" if self.vanaf else "")


class IndexWijziging(_Tarief):
    """Index series ``reeks`` (in every project that has it) set to ``waarde`` or changed by ``delta``."""

    type: Literal["index"] = veld("index", label="Soort wijziging")
    reeks: str = veld(label="Indexreeks")

    def check(self, prog: Programme, path: tuple) -> list[InputError]:
        series = sorted({n for p in prog.projecten for n in p.grex.indices})
        errs = [] if self.reeks in series else [error(path + ("reeks",), "onbekende indexreeks", self.reeks, _allowed(series))]
        return errs + self._check_value(path)

    def apply(self, prog: Programme) -> Programme:
        def change(p: Project) -> Project:
            if self.reeks not in p.grex.indices:
                return p
            indices = {**p.grex.indices, self.reeks: self._rate(p.grex.indices[self.reeks], prog)}
            return p.model_copy(update={"grex": p.grex.model_copy(update={"indices": indices})})

        return prog.model_copy(update={"projecten": [change(p) for p in prog.projecten]})

    def describe(self) -> str:
        return f"index {self.reeks} {self._value_text()}"


class RenteWijziging(_Tarief):
    """The rente of a voorfinancierder or of the fund (by name) set to ``waarde`` or changed by ``delta``."""

    type: Literal["rente"] = veld("rente", label="Soort wijziging")
    financier: str = veld(label="Voorfinancierder of fonds")

    def check(self, prog: Programme, path: tuple) -> list[InputError]:
        known = prog.financier_names() + ([prog.fonds.name] if prog.fonds else [])
        errs = [] if self.financier in known else [error(path + ("financier",), "onbekende voorfinancierder of fonds", self.financier, _allowed(known))]
        return errs + self._check_value(path)

    def apply(self, prog: Programme) -> Programme:
        financiers = [f.model_copy(update={"rente": self._rate(f.rente, prog)}) if f.name == self.financier else f for f in prog.financiers]
        fonds = prog.fonds
        if fonds is not None and fonds.name == self.financier:
            fonds = fonds.model_copy(update={"rente": self._rate(fonds.rente, prog)})
        return prog.model_copy(update={"financiers": financiers, "fonds": fonds})

    def describe(self) -> str:
        return f"rente {self.financier} {self._value_text()}"


class Vervalt(_Wijziging):
    """A project is dropped, with the guarantees, taakstellingen and uncertainties that only concerned it."""

    type: Literal["vervalt"] = veld("vervalt", label="Soort wijziging")
    project: str = veld(label="Project")

    def check(self, prog: Programme, path: tuple) -> list[InputError]:
        return _known_project(prog, self.project, path + ("project",))

    def apply(self, prog: Programme) -> Programme:
        gone = self.project
        projecten = [p for p in prog.projecten if p.name != gone]
        if not projecten:
            raise InputError("na deze wijziging heeft het programma geen projecten", field="wijziging", value=self.text())
        garanties = [g.model_copy(update={"projecten": [n for n in g.projecten if n != gone]}) for g in prog.garanties
                     if not g.projecten or any(n != gone for n in g.projecten)]
        onzekerheden = [u.model_copy(update={"projecten": [n for n in u.projecten if n != gone]}) for u in prog.onzekerheden
                        if not u.projecten or any(n != gone for n in u.projecten)]
        return prog.model_copy(update={
            "projecten": projecten,
            "garanties": garanties,
            "taakstellingen": [t for t in prog.taakstellingen if t.project != gone],
            "onzekerheden": onzekerheden,
        })

    def describe(self) -> str:
        return f"{self.project} vervalt"


class Toevoegen(_Wijziging):
    """A new project is added."""

    type: Literal["toevoegen"] = veld("toevoegen", label="Soort wijziging")
    nieuw: Project = veld(label="Nieuw project")

    def check(self, prog: Programme, path: tuple) -> list[InputError]:
        if self.nieuw.name in prog.project_names():
            return [error(path + ("nieuw", "name"), "project bestaat al", self.nieuw.name, "een nieuwe projectnaam")]
        return []

    def apply(self, prog: Programme) -> Programme:
        return prog.model_copy(update={"projecten": [*prog.projecten, self.nieuw]})

    def describe(self) -> str:
        return f"{self.nieuw.name} toegevoegd"


Wijziging = Annotated[
    Verschuif | Opbrengsten | Kosten | IndexWijziging | RenteWijziging | Vervalt | Toevoegen,
    Field(discriminator="type"),
]
"""One scenario change (wijziging) on a base programme, tagged by ``type`` (see :data:`OVERRIDE_TYPES`):
``verschuif`` (project, jaren), ``opbrengsten`` / ``kosten`` (procent, optional projecten: −10 = 10% lower),
``index`` (reeks, waarde or delta, optional vanaf), ``rente`` (financier or fund name, waarde or delta, optional
vanaf), ``vervalt`` (project), ``toevoegen`` (nieuw: a project)."""

_WIJZIGING: TypeAdapter[Any] = TypeAdapter(Wijziging)


class _OverrideMeta(type):
    def __instancecheck__(cls, obj: object) -> bool:
        return isinstance(obj, _Wijziging)


class Override(metaclass=_OverrideMeta):
    """The constructor of the first version, kept: ``Override(type="verschuif", project="R", jaren=2)`` and
    ``Override.model_validate({...})`` return the matching member of :data:`Wijziging` (``isinstance`` works)."""

    def __new__(cls, **data: Any) -> Any:
        return cls.model_validate(data)

    @staticmethod
    def model_validate(data: Any) -> Any:
        return _WIJZIGING.validate_python(data)


class Scenario(StrictModel):
    naam: str = veld(label="Naam", min_length=1)
    omschrijving: str = veld("", label="Omschrijving")
    wijzigingen: list[Wijziging] = veld(label="Wijzigingen", default_factory=list)


class Programme(StrictModel):
    """Mastergrex: projects (each a grex) with verevening, voorfinanciering, partners, scenarios and risks."""

    name: str = veld(label="Naam", alias="naam", min_length=1)
    versie: str = veld("", label="Versie")
    description: str = veld("", label="Omschrijving", alias="omschrijving")
    prijspeil: dt.date = veld(label="Prijspeil", eenheid="datum")
    ncw_datum: dt.date | None = veld(None, label="NCW-datum", eenheid="datum", help="Leeg: de prijspeildatum")
    dagtelling: Literal["hele_jaren", "werkelijke_dagen"] = veld(
        "hele_jaren", label="Dagtelling", help="Tijd tot 31 december in hele jaren (standaard) of in werkelijke dagen / 365,25 (grondexploitatie.md §10)")
    disconteringsvoet: float = veld(0.02, label="Disconteringsvoet", eenheid="%")
    timing: Literal["end", "mid", "start"] = veld("end", label="Timing", help="end (31 december), mid (1 juli), start (1 januari); voor alle projecten gelijk")
    end_year: int | None = veld(None, label="Eindjaar", eenheid="jaar", help="Optioneel: het grid verlengen tot dit jaar", alias="eindjaar")
    financiers: list[Financier] = veld(label="Voorfinancierders", default_factory=list)
    fonds: Fund | None = veld(None, label="Fonds")
    partners: list[Partner] = veld(label="Partners", default_factory=list)
    garanties: list[Guarantee] = veld(label="Garanties", default_factory=list)
    taakstellingen: list[Taakstelling] = veld(label="Taakstellingen", default_factory=list)
    projecten: list[Project] = veld(label="Projecten", default_factory=list)
    onzekerheden: list[Uncertainty] = veld(label="Onzekerheden", default_factory=list)
    scenarios: list[Scenario] = veld(label="Scenario's", default_factory=list)

    @property
    def ncw_date(self) -> dt.date:
        return self.ncw_datum or self.prijspeil

    def project_names(self) -> list[str]:
        return [p.name for p in self.projecten]

    def financier_names(self) -> list[str]:
        return [f.name for f in self.financiers]

    def partner_names(self) -> list[str]:
        return [p.name for p in self.partners]

    def grid(self, extra_years: int = 0) -> range:
        """The programme's year grid: first project start to last project end (or ``end_year``), plus extra."""
        start = min(p.grex.start_year for p in self.projecten)
        end = max(p.grex.end_year for p in self.projecten)
        if self.end_year is not None:
            end = max(end, self.end_year)
        return range(start, end + 1 + extra_years)

    # ------------------------------------------------------------------ validation
    def check(self) -> list[InputError]:
        """Every domain error of the programme (empty: valid). Paths point into the programme document."""
        errs: list[InputError] = []
        if not self.projecten:
            return [error(("projecten",), "het programma heeft geen projecten", None, "ten minste één project")]
        errs += check_rates(self.disconteringsvoet, ("disconteringsvoet",))
        fin = self.financier_names()
        errs += _duplicates(fin, ("financiers",), "voorfinancierder")
        for i, f in enumerate(self.financiers):
            errs += check_rates(f.rente, ("financiers", i, "rente"))
        if self.fonds is not None:
            errs += check_rates(self.fonds.rente, ("fonds", "rente"))
            if self.fonds.financier is not None and self.fonds.financier not in fin:
                errs.append(error(("fonds", "financier"), "onbekende voorfinancierder", self.fonds.financier, _allowed(fin)))
        names = self.project_names()
        errs += _duplicates(names, ("projecten",), "project")
        partners = self.partner_names()
        errs += _duplicates(partners, ("partners",), "partner")
        if self.partners:
            errs += _check_shares({p.name: p.share for p in self.partners}, ("partners",), "aandelen van de partners")
        for i, p in enumerate(self.projecten):
            base = ("projecten", i)
            if p.soort not in PROJECT_KINDS:
                errs.append(error(base + ("soort",), "onbekende projectsoort", p.soort, ", ".join(PROJECT_KINDS)))
            if p.trekker and self.partners and p.trekker not in partners:
                errs.append(error(base + ("trekker",), "trekker is geen partner van het programma", p.trekker, _allowed(partners)))
            if p.voorfinancierder not in fin:
                errs.append(error(base + ("voorfinancierder",), "onbekende voorfinancierder", p.voorfinancierder, _allowed(fin)))
            for e in p.grex.check():
                e.path = base + ("grex",) + tuple(e.path or ())
                e.field = _path_text(e.path)
                e.args = (e._text(),)
                errs.append(e)
            if p.grex.prijspeil.year != self.prijspeil.year:
                errs.append(error(base + ("grex", "prijspeil"), "prijspeil van het project wijkt af van het programma", str(p.grex.prijspeil), f"een datum in {self.prijspeil.year} (prijspeil van het programma)"))
            if p.grex.timing != self.timing:
                errs.append(error(base + ("grex", "timing"), "timing van het project wijkt af van het programma", p.grex.timing, self.timing))
            for j, r in enumerate(p.risicos):
                rp = base + ("risicos", j)
                errs += _check_probability(r.kans, rp + ("kans",))
                errs += _check_triangle(r.impact.min, r.impact.mode, r.impact.max, rp + ("impact",))
                if r.jaar is not None and not (p.grex.start_year <= r.jaar <= p.grex.end_year):
                    errs.append(error(rp + ("jaar",), "jaar buiten de looptijd van het project", r.jaar, f"{p.grex.start_year}–{p.grex.end_year}"))
        for i, g in enumerate(self.garanties):
            gp = ("garanties", i)
            if g.plafond < 0:
                errs.append(error(gp + ("plafond",), "plafond mag niet negatief zijn", g.plafond, ">= 0"))
            for j, name in enumerate(g.projecten):
                if name not in names:
                    errs.append(error(gp + ("projecten", j), "onbekend project", name, _allowed(names)))
            errs += self._check_partner_map(g.partners, gp + ("partners",), partners)
        for i, t in enumerate(self.taakstellingen):
            tp = ("taakstellingen", i)
            if t.project not in names:
                errs.append(error(tp + ("project",), "onbekend project", t.project, _allowed(names)))
            errs += self._check_partner_map(t.partners, tp + ("partners",), partners)
        for i, u in enumerate(self.onzekerheden):
            errs += self._check_uncertainty(u, ("onzekerheden", i), names)
        for i, s in enumerate(self.scenarios):
            for j, o in enumerate(s.wijzigingen):
                errs += check_override(self, o, ("scenarios", i, "wijzigingen", j))
        return errs

    def _check_partner_map(self, shares: dict[str, float], path: tuple, partners: list[str]) -> list[InputError]:
        if not shares:
            if not partners:
                return [error(path, "geen partners: geef de aandelen hier op of vul 'partners' in", None, "aandelen per partner (som 100%)")]
            return []
        errs = [error(path + (n,), "onbekende partner", n, _allowed(partners)) for n in shares if partners and n not in partners]
        return errs + _check_shares(shares, path, "aandelen")

    def _check_uncertainty(self, u: Uncertainty, path: tuple, names: list[str]) -> list[InputError]:
        errs = []
        for j, name in enumerate(u.projecten):
            if name not in names:
                errs.append(error(path + ("projecten", j), "onbekend project", name, _allowed(names)))
        if isinstance(u, VertragingOnzekerheid):
            if not u.kansen:
                errs.append(error(path + ("kansen",), "kansen per aantal jaren vertraging ontbreken", None, "bijv. {0: 0.5, 1: 0.3, 2: 0.2}"))
            for k, pr in u.kansen.items():
                if k < 0 or k > 50:
                    errs.append(error(path + ("kansen", k), "vertraging in hele jaren tussen 0 en 50", k, "0..50"))
                errs += _check_probability(pr, path + ("kansen", k))
            if u.kansen and abs(sum(u.kansen.values()) - 1.0) > SHARE_TOLERANCE:
                errs.append(error(path + ("kansen",), "kansen tellen niet op tot 1", sum(u.kansen.values()), "som 1"))
            return errs
        errs += _check_triangle(u.min, u.mode, u.max, path)
        if isinstance(u, IndexOnzekerheid):
            series = {n for p in self.projecten for n in p.grex.indices}
            if u.reeks not in series:
                errs.append(error(path + ("reeks",), "onbekende indexreeks", u.reeks, _allowed(sorted(series))))
        return errs

    def validated(self) -> Programme:
        errs = self.check()
        if errs:
            raise InputErrors(errs)
        return self


def check_override(prog: Programme, o: Any, path: tuple) -> list[InputError]:
    """Check one scenario change against the programme it overrides (unknown project / series / rate: error)."""
    return o.check(prog, path)


def apply_override(prog: Programme, o: Any) -> Programme:
    """A copy of ``prog`` with one change applied (the base is never mutated; spec: scenarios copy), validated."""
    errs = check_override(prog, o, ("wijziging",))
    if errs:
        raise InputErrors(errs)
    return o.apply(prog).model_copy(update={"scenarios": []}).validated()


def apply_overrides(prog: Programme, overrides: list[Any]) -> Programme:
    """``prog`` with each change applied in turn (each a copy)."""
    for o in overrides:
        prog = apply_override(prog, o)
    return prog


# ------------------------------------------------------------------------------------------------ versions
CAUSES = ("opbrengsten", "kosten", "fasering", "rente", "indexering", "projecten")
CAUSE_TEXT = {
    "opbrengsten": "bedragen van opbrengstposten (incl. gerealiseerd)",
    "kosten": "bedragen van kostenposten (incl. gerealiseerd)",
    "fasering": "fasering, looptijd, openingsboekwaarde (vertraging / versnelling)",
    "rente": "rente van voorfinancierders en fonds, disconteringsvoet, keuze voorfinancierder",
    "indexering": "indexreeksen, prijspeil, NCW-datum en dagtelling",
    "projecten": "projecten toegevoegd of vervallen (en projectsoort)",
}


def hybrid(a: Programme, b: Programme, causes: set[str]) -> Programme:
    """Version ``a`` with the changes of version ``b`` for the given causes (see :data:`CAUSE_TEXT`); a new,
    validated programme built from copies (neither version is changed).

    ``causes = {}`` rebuilds ``a``; all causes rebuild ``b``. Lines are matched by (section, name), projects and
    financiers by name; a line or project present in one version only belongs to the amount cause of its section
    (lines) or to ``projecten`` (projects). Partners, guarantees, risks and scenarios do not affect the result and
    are left out of the hybrids.
    """
    on = causes.__contains__
    fin_a = {f.name: f for f in a.financiers}
    fin_b = {f.name: f for f in b.financiers}
    financiers = [fin_b[n] if (n in fin_b and (on("rente") or n not in fin_a)) else fin_a[n] for n in list(fin_a) + [n for n in fin_b if n not in fin_a]]
    fonds = b.fonds if (b.fonds is not None and (on("rente") or a.fonds is None)) else a.fonds
    pa = {p.name: p for p in a.projecten}
    pb = {p.name: p for p in b.projecten}
    names = list(pb) if on("projecten") else list(pa)
    order = [n for n in pa if n in names] + [n for n in names if n not in pa]
    projects = [pa[n] if n not in pb else pb[n] if n not in pa else _hybrid_project(pa[n], pb[n], on) for n in order]
    ix = b if on("indexering") else a
    ph = b if on("fasering") else a
    rt = b if on("rente") else a
    out = Programme.model_construct(
        name=a.name, versie=f"hybride {a.versie}/{b.versie}", description="", prijspeil=ix.prijspeil, ncw_datum=ix.ncw_datum,
        dagtelling=ix.dagtelling, disconteringsvoet=rt.disconteringsvoet, timing=a.timing, end_year=ph.end_year, financiers=financiers,
        fonds=fonds, partners=[], garanties=[], taakstellingen=[], projecten=projects, onzekerheden=[], scenarios=[],
    )
    return out.validated()


PROJECT_GREX_CAUSES = {"prijspeil": "indexering", "ncw_datum": "indexering", "indices": "indexering", "realised_through": "fasering",
                       "opening_book_value": "fasering", "start_year": "fasering", "end_year": "fasering"}
"""Which programme cause each general field of a project's grex belongs to (its rente, disconteringsvoet, timing and
dagtelling are the programme's: they stay)."""
PROJECT_LINE_CAUSES = {"phasing": "fasering", "index": "indexering"}
"""Which programme cause each field of a project's grex line belongs to (realised amounts go with the amounts)."""


def _hybrid_project(pa: Project, pb: Project, on: Any) -> Project:
    grex = hybrid_grex(pa.grex, pb.grex, on, PROJECT_GREX_CAUSES, PROJECT_LINE_CAUSES)
    meta = pb if on("projecten") else pa
    rt = pb if on("rente") else pa
    return Project.model_construct(name=pa.name, soort=meta.soort, trekker=meta.trekker, voorfinancierder=rt.voorfinancierder, grex=grex, risicos=[])


def _path_text(path: tuple) -> str:
    from opengrex.model.base import path_text

    return path_text(path)


def _allowed(names: list[str]) -> str:
    return ", ".join(names) if names else "(geen gedefinieerd)"


def _duplicates(names: list[str], path: tuple, what: str) -> list[InputError]:
    seen: set[str] = set()
    errs = []
    for i, n in enumerate(names):
        if n in seen:
            errs.append(error(path + (i, "name"), f"{what} komt twee keer voor", n, "unieke namen"))
        seen.add(n)
    return errs


def _check_shares(shares: dict[str, float], path: tuple, what: str) -> list[InputError]:
    errs = [error(path + (n,), "aandeel moet tussen 0 en 1 liggen", v, "0 <= aandeel <= 1") for n, v in shares.items() if not (0.0 <= v <= 1.0)]
    total = sum(shares.values())
    if abs(total - 1.0) > SHARE_TOLERANCE:
        errs.append(error(path, f"{what} tellen op tot {total * 100:.6g}%, niet tot 100%", total, "som 1 (100%)"))
    return errs


def _check_probability(p: float, path: tuple) -> list[InputError]:
    if not (0.0 <= p <= 1.0):
        return [error(path, "kans moet tussen 0 en 1 liggen", p, "0 <= kans <= 1")]
    return []


def _check_triangle(lo: float, mode: float, hi: float, path: tuple) -> list[InputError]:
    if not (lo <= mode <= hi):
        return [error(path, "min <= mode <= max is geschonden", {"min": lo, "mode": mode, "max": hi}, "min <= mode <= max")]
    return []


# ---------------------------------------------------------------------------------------------------- compile
class CompiledProgramme:
    """A validated programme compiled for the engine, with the labels needed to present the arrays.

    ``arrays``: :class:`opengrex.engine.programma.ProgrammeArrays`; ``years``: the grid; ``series_names``:
    ``(project, series)`` of each global index-series row; ``line_labels``: per project the labels of extra lines
    appended after the grex's own lines (none since the opening book value is a balance, not a line; kept for
    callers); ``financiers``: names in engine order.
    """

    def __init__(self, arrays, years, series_names, line_labels, financiers, index_base, index_years):
        self.arrays = arrays
        self.years = years
        self.series_names = series_names
        self.line_labels = line_labels
        self.financiers = financiers
        self.index_base = index_base
        self.index_years = index_years


def compile_programme(prog: Programme, extra_years: int = 0) -> CompiledProgramme:
    """Validated programme -> stacked :class:`GrexArrays` on the programme grid (projects on axis ``P``).

    Lines are padded to a common ``L`` (zero amount), years to the programme grid; each project's index series
    become rows of one rate table (``series (P, L)`` maps each line to its row); ``rente (P, Y)`` is the rate of
    the project's voorfinancierder. A project's opening book value stands at 31 December before its start year
    (``opening_pos``; spec grondexploitatie.md §3): it earns interest from its start year on, whatever the timing,
    exactly as the project's grex on its own. ``extra_years`` extends the grid (room for delays in Monte Carlo).
    """
    import numpy as np

    from opengrex.engine import tijd
    from opengrex.engine.grex import GrexArrays
    from opengrex.engine.programma import KIND_GROEN, KIND_OVERIG, KIND_ROOD, ProgrammeArrays
    from opengrex.model.base import rate_on_years
    from opengrex.model.grex import date_fraction

    prog.validated()
    grid = prog.grid(extra_years)
    years = np.array(list(grid))
    y0, n_y = grid.start, len(grid)
    p_year = prog.prijspeil.year
    ix_years = range(min(p_year, y0), grid.stop)
    fin_names = prog.financier_names()
    fin_rate = {f.name: rate_on_years(f.rente, grid) for f in prog.financiers}
    n_p = len(prog.projecten)
    compiled = [p.grex.compile() for p in prog.projecten]
    n_l = max(1, max(c.amount.shape[0] for c in compiled))
    amount = np.zeros((n_p, n_l))
    share = np.zeros((n_p, n_l, n_y))
    sign = -np.ones((n_p, n_l))
    series = np.zeros((n_p, n_l), dtype=np.intp)
    realised = np.zeros((n_p, n_l, n_y))
    mask = np.zeros((n_p, n_l, n_y), dtype=bool)
    opening = np.array([float(p.grex.opening_book_value) for p in prog.projecten])
    opening_pos = np.array([p.grex.start_year - y0 - 1 for p in prog.projecten], dtype=np.intp)
    end_pos = np.array([p.grex.end_year - y0 for p in prog.projecten], dtype=np.intp)
    rente = np.zeros((n_p, n_y))
    rate_rows: list[list[float]] = []
    series_names: list[tuple[str, str]] = []
    for i, (p, c) in enumerate(zip(prog.projecten, compiled)):
        g = p.grex
        off = g.start_year - y0
        n = c.amount.shape[0]
        row0 = len(rate_rows)
        for name in g.indices:
            rate_rows.append(rate_on_years(g.indices[name], ix_years))
            series_names.append((p.name, name))
        amount[i, :n] = c.amount
        share[i, :n, off : off + c.share.shape[1]] = c.share
        sign[i, :n] = c.sign
        series[i, :n] = c.series + row0
        series[i, n:] = row0
        realised[i, :n, off : off + c.share.shape[1]] = c.realised
        mask[i, :n, off : off + c.share.shape[1]] = c.realised_mask
        rente[i] = fin_rate[p.voorfinancierder]
    ncw = prog.ncw_date
    ncw_fraction = date_fraction(ncw)
    garr = GrexArrays(
        years=years,
        amount=amount,
        share=share,
        sign=sign,
        series=series,
        rate=np.array(rate_rows, dtype=np.float64),
        index_base=p_year - ix_years.start,
        index_offset=y0 - ix_years.start,
        rente=rente,
        realised=realised,
        realised_mask=mask,
        opening=opening,
        disconteringsvoet=float(prog.disconteringsvoet),
        ncw_year=ncw.year,
        ncw_fraction=ncw_fraction,
        timing=prog.timing,
        dagtelling=prog.dagtelling,
        opening_pos=opening_pos,
    )
    kind_code = {"rood": KIND_ROOD, "groen": KIND_GROEN, "overig": KIND_OVERIG}
    fund = prog.fonds
    arrays = ProgrammeArrays(
        grex=garr,
        kind=np.array([kind_code[p.soort] for p in prog.projecten]),
        financier=np.array([fin_names.index(p.voorfinancierder) for p in prog.projecten], dtype=np.intp),
        n_financiers=len(fin_names),
        fund_rate=np.array(rate_on_years(fund.rente, grid) if fund else [0.0] * n_y),
        fund_opening=float(fund.opening) if fund else 0.0,
        fund_financier=fin_names.index(fund.financier) if fund and fund.financier else -1,
        has_fund=fund is not None,
        project_end=end_pos,
        project_t_end=tijd.years_to_year_end([p.grex.end_year for p in prog.projecten], ncw.year, ncw_fraction, prog.dagtelling),
    )
    return CompiledProgramme(arrays, [int(y) for y in years], series_names, [[] for _ in prog.projecten], fin_names, p_year - ix_years.start, list(ix_years))


def delay_extension(prog: Programme) -> int:
    """Years the grid must grow so that the latest delayed revenue still falls inside it."""
    end = prog.grid().stop - 1
    ext = 0
    for u in prog.onzekerheden:
        if not isinstance(u, VertragingOnzekerheid) or not u.kansen:
            continue
        names = set(u.projecten) or set(prog.project_names())
        for p in prog.projecten:
            if p.name in names:
                last = max([y for ln in p.grex.opbrengsten for y, v in ln.phasing.items() if v] + [p.grex.start_year])
                ext = max(ext, last + max(u.kansen) - end)
    return max(ext, 0)


def compile_risk(prog: Programme, merge_lines: bool = True):
    """Validated programme -> :class:`opengrex.engine.risico.RiskArrays` (compressed lines, events, parameters).

    The grid is extended by :func:`delay_extension` years when a delay could push revenue past its end (the
    deterministic reference is then computed on the same grid; see ``RiskResult.basis``). ``merge_lines=False``
    keeps every line (the reference for tests and the benchmark; same numbers, more work).
    """
    from dataclasses import replace

    import numpy as np

    from opengrex.engine.risico import PARAM_DELAY, PARAM_INDEX, PARAM_PRICE, RiskArrays, compress, dedupe_series, expand

    ext = delay_extension(prog)
    compiled = compile_programme(prog, extra_years=ext)
    a = compiled.arrays
    years = compiled.years
    n_events = np.array([len(p.risicos) for p in prog.projecten], dtype=np.intp)
    g, rev_est, first = (compress if merge_lines else expand)(a.grex, n_events)
    estimate = g.amount > 0
    rate = np.vstack([np.asarray(g.rate), np.zeros((1, np.asarray(g.rate).shape[1]))])
    zero_row = rate.shape[0] - 1
    series = g.series.copy()
    share = g.share.copy()
    ev_p, ev_slot, prob, lo, mode, hi, pert = [], [], [], [], [], [], []
    for i, p in enumerate(prog.projecten):
        for j, r in enumerate(p.risicos):
            slot = int(first[i]) + j
            year = r.jaar if r.jaar is not None else p.grex.end_year
            share[i, slot, years.index(year)] = 1.0
            series[i, slot] = zero_row
            ev_p.append(i)
            ev_slot.append(slot)
            prob.append(r.kans)
            lo.append(r.impact.min)
            mode.append(r.impact.mode)
            hi.append(r.impact.max)
            pert.append(r.impact.verdeling == "pert")
    names = prog.project_names()
    n_p, n_l = g.amount.shape
    k_n = len(prog.onzekerheden)
    kind = np.zeros(k_n, dtype=np.intp)
    p_series = np.zeros((k_n, rate.shape[0]), dtype=bool)
    p_lines = np.zeros((k_n, n_p, n_l), dtype=bool)
    p_proj = np.zeros((k_n, n_p), dtype=bool)
    dists: list[tuple[Any, ...]] = []
    for k, u in enumerate(prog.onzekerheden):
        pmask = np.array([(not u.projecten) or (n in u.projecten) for n in names])
        if isinstance(u, IndexOnzekerheid):
            kind[k] = PARAM_INDEX
            p_series[k, :zero_row] = [(s == u.reeks and ((not u.projecten) or pn in u.projecten)) for pn, s in compiled.series_names]
        elif isinstance(u, PrijsniveauOnzekerheid):
            kind[k] = PARAM_PRICE
            side = g.sign > 0 if u.op == "opbrengsten" else g.sign < 0
            p_lines[k] = estimate & side & pmask[:, None]
        else:
            kind[k] = PARAM_DELAY
            p_proj[k] = pmask
        if isinstance(u, VertragingOnzekerheid):
            items = sorted(u.kansen.items())
            dists.append(("discreet", np.array([v for v, _ in items], dtype=float), np.array([q for _, q in items])))
        else:
            dists.append((u.verdeling, u.min, u.mode, u.max))
    if merge_lines:  # identical index rows (same rates, same parameters acting on them) become one row
        rate, series, row_map = dedupe_series(rate, series, p_series.T)
        merged = np.zeros((k_n, rate.shape[0]), dtype=bool)
        for k in range(k_n):
            merged[k, row_map[p_series[k]]] = True
        p_series = merged
    g = replace(g, rate=rate, series=series, share=share)
    return RiskArrays(
        base=replace(a, grex=g),
        param_kind=kind,
        param_series=p_series,
        param_lines=p_lines,
        param_projects=p_proj,
        param_dist=dists,
        event_project=np.array(ev_p, dtype=np.intp),
        event_slot=np.array(ev_slot, dtype=np.intp),
        event_prob=np.array(prob, dtype=float),
        event_lo=np.array(lo, dtype=float),
        event_mode=np.array(mode, dtype=float),
        event_hi=np.array(hi, dtype=float),
        event_pert=np.array(pert, dtype=bool),
        revenue_est=rev_est,
    ), compiled
