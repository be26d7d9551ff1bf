"""Input model of an eindafrekening (financiële bijdrage / exploitatiebijdrage) and a planschade settlement
(shared/spec/kostenverhaal.md rules 6 and 7; Nota Kostenverhaal Soest 2023 bijlage A4).

Example: ``examples/kostenverhaal/eindafrekening-voorbeeld.yaml``.
"""
from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from opengrex.errors import InputError
from opengrex.model.base import StrictModel, error


class Betaling(StrictModel):
    """The payment being settled: amount and date."""

    bedrag: float = Field(description="Betaalde bijdrage [EUR]")
    datum: dt.date


class BetaaldeCategorie(StrictModel):
    """A category (bestedingsdoel, e.g. a bijlage-A3 category or an investment) the payment was for, with the
    raming on which the payment was based [EUR, prijspeil betaaldatum]."""

    categorie: str = Field(min_length=1)
    omschrijving: str | None = None
    raming: float


class Kostenpost(StrictModel):
    """A recomputed cost of a category paid for: realised or still estimated, nominal at its date [EUR]."""

    categorie: str
    bedrag: float
    datum: dt.date
    soort: Literal["gerealiseerd", "geraamd"] = "gerealiseerd"
    omschrijving: str | None = None


class Planschade(StrictModel):
    """Planschade included in the exploitatiebijdrage, settled five years after the decision became final."""

    geraamd: float = Field(description="Geraamde planschade in de exploitatiebijdrage [EUR]")
    werkelijk: float = Field(description="Werkelijk toegekende planschade [EUR]")
    besluit_onherroepelijk: dt.date


class EindafrekeningInvoer(StrictModel):
    """An eindafrekening request."""

    naam: str = Field(min_length=1)
    toelichting: str | None = None
    parameterset: str = Field(min_length=1)
    peildatum: dt.date = Field(description="Peildatum van de parameterset waaronder de bijdrage is opgelegd")
    soort: Literal["definitief", "tussentijds", "planschade"] = "definitief"
    datum: dt.date = Field(description="Datum van de (tussentijdse) eindafrekening = datum van terugbetaling")
    betaling: Betaling | None = None
    disconteringsvoet: float = Field(default=0.0, description="Rekenrente om kosten naar de betaaldatum te brengen [1/jr]")
    aandeel: float | None = Field(default=None, description="Aandeel van het plan in de kosten; leeg: betaald / som ramingen")
    categorieen: list[BetaaldeCategorie] = Field(default_factory=list)
    kosten: list[Kostenpost] = Field(default_factory=list)
    rente: str | float = Field(default="wettelijke_rente", description="Rentetabel (naam) of vast percentage per jaar")
    planschade: Planschade | None = None

    def check(self) -> list[InputError]:
        errs: list[InputError] = []
        if self.soort == "planschade":
            if self.planschade is None:
                errs.append(error(("planschade",), "verplicht bij soort 'planschade'", None, "planschade: {geraamd, werkelijk, besluit_onherroepelijk}"))
            else:
                for f in ("geraamd", "werkelijk"):
                    v = getattr(self.planschade, f)
                    if v < 0:
                        errs.append(error(("planschade", f), "bedrag mag niet negatief zijn", v, ">= 0"))
            return errs
        if self.planschade is not None:
            errs.append(error(("planschade",), "planschade wordt apart afgerekend", None, "soort: planschade (in een eigen afrekening)"))
        if self.betaling is None:
            errs.append(error(("betaling",), "verplicht veld ontbreekt", None, "betaling: {bedrag, datum}"))
        elif self.betaling.bedrag <= 0:
            errs.append(error(("betaling", "bedrag"), "betaald bedrag moet groter dan 0 zijn", self.betaling.bedrag, "> 0"))
        if not self.categorieen:
            errs.append(error(("categorieen",), "geef de categorieën waarvoor betaald is", None, "minstens één categorie met raming"))
        known = []
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
        if self.betaling is not None and self.datum < self.betaling.datum:
            errs.append(error(("datum",), "eindafrekening vóór de betaling", self.datum.isoformat(), f"op of na {self.betaling.datum.isoformat()}"))
        if self.datum > LAATSTE_DATUM:  # rente runs per year up to this date: bounded work, no date overflow
            errs.append(error(("datum",), "datum te ver in de toekomst", self.datum.isoformat(), f"tot en met {LAATSTE_DATUM.isoformat()}"))
        return errs


LAATSTE_DATUM = dt.date(2200, 12, 31)
"""Latest eindafrekening date accepted (the interest is computed per year from the payment to this date)."""
