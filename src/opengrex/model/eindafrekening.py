"""Input model of an eindafrekening (financiële bijdrage / exploitatiebijdrage) and a planschade settlement
(shared/spec/kostenverhaal.md rules 6 and 7; Nota Kostenverhaal Soest 2023 bijlage A4).

One document kind, three shapes, told apart by ``soort`` (a pydantic discriminated union, no bag of optional
fields):

* ``definitief`` (the default when ``soort`` is left out) and ``tussentijds``: a payment, the categories it was
  for with their raming, the recomputed costs and the interest table (:class:`DefinitieveEindafrekening`,
  :class:`TussentijdseEindafrekening`);
* ``planschade``: the planschade included in the exploitatiebijdrage, settled after the planschade term
  (:class:`PlanschadeAfrekening`).

``EindafrekeningInvoer.model_validate(data)`` returns the right one of the three (all are subclasses of
:class:`EindafrekeningInvoer`); :data:`Eindafrekening` is the union type and :data:`ADAPTER` its validator.

Example: ``examples/kostenverhaal/eindafrekening-voorbeeld.yaml``.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Tag, TypeAdapter, ValidationError
from pydantic_core import InitErrorDetails

from opengrex.errors import InputError
from opengrex.model.base import StrictModel, error, veld

SOORTEN: tuple[str, ...] = ("definitief", "tussentijds", "planschade")
"""The kinds of settlement; ``definitief`` when a document does not say."""


class Betaling(StrictModel):
    """The payment being settled: amount and date."""

    bedrag: float = veld(label="Betaald bedrag", eenheid="EUR", help="Betaalde bijdrage")
    datum: dt.date = veld(label="Datum van betaling")


class BetaaldeCategorie(StrictModel):
    """A category (bestedingsdoel, e.g. a bijlage-A3 category or an investment) the payment was for, with the
    raming on which the payment was based [EUR, prijspeil betaaldatum]."""

    categorie: str = veld(label="Categorie", min_length=1)
    omschrijving: str | None = veld(None, label="Omschrijving")
    raming: float = veld(label="Raming", eenheid="EUR", help="Raming waarop de betaling gebaseerd was")


class Kostenpost(StrictModel):
    """A recomputed cost of a category paid for: realised or still estimated, nominal at its date [EUR]."""

    categorie: str = veld(label="Categorie")
    bedrag: float = veld(label="Bedrag", eenheid="EUR nominaal")
    datum: dt.date = veld(label="Datum")
    soort: Literal["gerealiseerd", "geraamd"] = veld("gerealiseerd", label="Gerealiseerd of geraamd")
    omschrijving: str | None = veld(None, label="Omschrijving")


class Planschade(StrictModel):
    """Planschade included in the exploitatiebijdrage, settled after the planschade term (five years in Soest)."""

    geraamd: float = veld(label="Geraamde planschade", eenheid="EUR", help="Geraamde planschade in de exploitatiebijdrage")
    werkelijk: float = veld(label="Werkelijke planschade", eenheid="EUR", help="Werkelijk toegekende planschade")
    besluit_onherroepelijk: dt.date = veld(label="Besluit onherroepelijk op")


class EindafrekeningInvoer(StrictModel):
    """An eindafrekening request: the fields every kind shares. Validating data through this class returns a
    :class:`DefinitieveEindafrekening`, :class:`TussentijdseEindafrekening` or :class:`PlanschadeAfrekening`."""

    soort: str = veld(label="Soort afrekening", help="definitief, tussentijds of planschade")
    naam: str = veld(label="Naam", min_length=1)
    toelichting: str | None = veld(None, label="Toelichting")
    parameterset: str = veld(label="Parameterset", min_length=1)
    peildatum: dt.date = veld(label="Peildatum", help="Peildatum van de parameterset waaronder de bijdrage is opgelegd")
    datum: dt.date = veld(label="Datum van de afrekening", help="Datum van de (tussentijdse) eindafrekening = datum van terugbetaling")

    def check(self) -> list[InputError]:
        """Domain checks of the kind at hand (``EindafrekeningInvoer.check`` works on every kind)."""
        errs = self._check()
        if self.datum > LAATSTE_DATUM:  # rente runs per year up to this date: bounded work, no date overflow
            errs.append(error(("datum",), "datum te ver in de toekomst", self.datum.isoformat(), f"tot en met {LAATSTE_DATUM.isoformat()}"))
        return errs

    def _check(self) -> list[InputError]:
        return []

    @classmethod
    def model_validate(cls, obj: Any, *args: Any, **kwargs: Any) -> Any:
        """On this base class: validate through the discriminated union (:data:`ADAPTER`) and return the kind
        named by ``soort``; error locations are those of the document (the union's tag is left out)."""
        if cls is not EindafrekeningInvoer:
            return super().model_validate(obj, *args, **kwargs)
        try:
            return ADAPTER.validate_python(obj, *args, **kwargs)
        except ValidationError as exc:
            raise _without_tag(exc) from None

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """On this base class: the schema of the union (one branch per ``soort``), for forms and the API."""
        if cls is not EindafrekeningInvoer:
            return super().model_json_schema(*args, **kwargs)
        return ADAPTER.json_schema(*args, **kwargs)


class _Bijdrageafrekening(EindafrekeningInvoer):
    """Fields of a (tussentijdse) eindafrekening of a paid bijdrage."""

    betaling: Betaling = veld(label="Betaling")
    disconteringsvoet: float = veld(0.0, label="Disconteringsvoet", eenheid="%", help="Rekenrente om kosten naar de betaaldatum te brengen (per jaar)")
    aandeel: float | None = veld(None, label="Aandeel van het plan", eenheid="%", help="Aandeel van het plan in de kosten; leeg: betaald / som ramingen")
    categorieen: list[BetaaldeCategorie] = veld(label="Categorieën waarvoor betaald is", default_factory=list)
    kosten: list[Kostenpost] = veld(label="Herberekende kosten", default_factory=list)
    rente: str | float = veld("wettelijke_rente", label="Rente", help="Rentetabel (naam) of vast percentage per jaar")

    def _check(self) -> list[InputError]:
        errs: list[InputError] = []
        if self.betaling.bedrag <= 0:
            errs.append(error(("betaling", "bedrag"), "betaald bedrag moet groter dan 0 zijn", self.betaling.bedrag, "> 0"))
        if not self.categorieen:
            errs.append(error(("categorieen",), "geef de categorieën waarvoor betaald is", None, "minstens één categorie met raming"))
        known: list[str] = []
        for i, c in enumerate(self.categorieen):
            if c.categorie in known:
                errs.append(error(("categorieen", i, "categorie"), "categorie komt twee keer voor", c.categorie, "unieke categorieën"))
            known.append(c.categorie)
            if c.raming < 0:
                errs.append(error(("categorieen", i, "raming"), "bedrag mag niet negatief zijn", c.raming, ">= 0"))
        for i, k in enumerate(self.kosten):
            if k.categorie not in known:
                errs.append(error(("kosten", i, "categorie"),
                                  "categorie hoort niet bij de betaling: verrekenen met later toegevoegde categorieën is niet toegestaan (bijlage A4)",
                                  k.categorie, ", ".join(known) or "(geen)"))
            if k.bedrag < 0:
                errs.append(error(("kosten", i, "bedrag"), "bedrag mag niet negatief zijn", k.bedrag, ">= 0"))
        if self.aandeel is not None and not 0 < self.aandeel <= 1:
            errs.append(error(("aandeel",), "aandeel buiten bereik", self.aandeel, "0 < aandeel <= 1"))
        if self.disconteringsvoet <= -1:
            errs.append(error(("disconteringsvoet",), "percentage moet groter zijn dan -100%", self.disconteringsvoet, "> -1"))
        if isinstance(self.rente, float) and not 0 <= self.rente < 1:
            errs.append(error(("rente",), "rentepercentage buiten bereik", self.rente, "0 <= rente < 1, of de naam van een rentetabel"))
        if self.datum < self.betaling.datum:
            errs.append(error(("datum",), "eindafrekening vóór de betaling", self.datum.isoformat(), f"op of na {self.betaling.datum.isoformat()}"))
        return errs


class DefinitieveEindafrekening(_Bijdrageafrekening):
    """The (definitive) eindafrekening after all bijdragen are collected or all works are done (bijlage A4)."""

    soort: Literal["definitief"] = veld("definitief", label="Soort afrekening")


class TussentijdseEindafrekening(_Bijdrageafrekening):
    """A tussentijdse eindafrekening on request, at least the term of the parameter set after payment (§4.3):
    realised plus still estimated costs."""

    soort: Literal["tussentijds"] = veld(label="Soort afrekening")


class PlanschadeAfrekening(EindafrekeningInvoer):
    """Planschade settlement: refund of a surplus or naheffing of a shortfall after the planschade term."""

    soort: Literal["planschade"] = veld(label="Soort afrekening")
    planschade: Planschade = veld(label="Planschade")

    def _check(self) -> list[InputError]:
        errs = [error(("planschade", f), "bedrag mag niet negatief zijn", v, ">= 0")
                for f in ("geraamd", "werkelijk") if (v := getattr(self.planschade, f)) < 0]
        if self.planschade.besluit_onherroepelijk > LAATSTE_DATUM:
            errs.append(error(("planschade", "besluit_onherroepelijk"), "datum te ver in de toekomst", self.planschade.besluit_onherroepelijk.isoformat(),
                              f"tot en met {LAATSTE_DATUM.isoformat()}"))
        return errs


def _soort(data: Any) -> str | None:
    """The discriminator: ``soort`` of the document, ``definitief`` when it is left out."""
    if isinstance(data, dict):
        return data.get("soort", "definitief")
    return getattr(data, "soort", None)


Eindafrekening = Annotated[
    Annotated[DefinitieveEindafrekening, Tag("definitief")] | Annotated[TussentijdseEindafrekening, Tag("tussentijds")] | Annotated[PlanschadeAfrekening, Tag("planschade")],
    Discriminator(_soort),
]
"""The union of the three kinds of settlement, told apart by ``soort``."""

ADAPTER: TypeAdapter[DefinitieveEindafrekening | TussentijdseEindafrekening | PlanschadeAfrekening] = TypeAdapter(Eindafrekening)


def _without_tag(exc: ValidationError) -> ValidationError:
    """The union's errors with the tag left out of each location; an unknown ``soort`` becomes an invalid choice
    on the field ``soort`` (the same message as any other choice)."""
    details: list[InitErrorDetails] = []
    for e in exc.errors():
        if e["type"] == "union_tag_invalid":
            details.append({"type": "literal_error", "loc": ("soort",), "input": (e.get("ctx") or {}).get("tag"),
                            "ctx": {"expected": ", ".join(f"'{s}'" for s in SOORTEN)}})
            continue
        loc = e["loc"][1:] if e["loc"] and e["loc"][0] in SOORTEN else e["loc"]
        detail: InitErrorDetails = {"type": e["type"], "loc": tuple(loc), "input": e.get("input")}
        if "ctx" in e:
            detail["ctx"] = e["ctx"]
        details.append(detail)
    return ValidationError.from_exception_data(exc.title, details)


LAATSTE_DATUM = dt.date(2200, 12, 31)
"""Latest eindafrekening date accepted (the interest is computed per year from the payment to this date)."""
