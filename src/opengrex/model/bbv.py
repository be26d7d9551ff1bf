"""BBV input models: the portfolio of a municipality's grondexploitaties (MPG), its lifecycle records and the
renteschema (spec: shared/spec/bbv.md).

A portfolio file (YAML/JSON) lists every grex with its BBV status and last year's figures::

    naam: Gemeente Voorbeeld
    balansjaar: 2025                      # valuation at 31-12-2025; grexes at prijspeil 1-1-2026
    dagtelling: hele_jaren                # or werkelijke_dagen (grondexploitatie.md §10)
    weerstandscapaciteit: 6000000         # beschikbaar
    grexen:
      - bestand: grex/de-hoge-akker.yaml  # relative to the portfolio file (or `grex: {...}` inline)
        projectnummer: "7001"             # as in the ledger export
        status: in_exploitatie
        voorziening_vorig: 0
        winst_vorig: 0
        risico: {klasse: midden}          # or {bedrag: 250000} or {risicos: [...]} (Monte Carlo)

Status follows the BBV: only a grex ``in_exploitatie`` (bouwgrond in exploitatie, BIE, opened by a council
decision) is valued; ``voorbereiding`` is listed without BBV figures (research note §1.7: no BIE before the
raadsbesluit) and ``afgesloten`` carries its booked final result and is frozen. Every lifecycle action is an
:class:`Gebeurtenis` in ``historie`` (who, when, what), so that the document registry can store it as-is later.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from opengrex.engine.bbv import DAGTELLINGEN
from opengrex.errors import InputError, InputErrors
from opengrex.model.base import RateSeries, StrictModel, check_rates, error, veld
from opengrex.model.grex import Grex
from opengrex.model.programma import Risk, Uncertainty
from opengrex.model.verwijzing import DocumentVerwijzing

STATUSSEN = ("voorbereiding", "in_exploitatie", "afgesloten")
ACTIES = ("openen", "jaarovergang", "afsluiten", "heropenen", "wijzigen")
RISICOKLASSEN_STANDAARD = {"laag": 0.05, "midden": 0.10, "hoog": 0.20}
"""Illustrative risk-class percentages of the nog te realiseren opbrengsten: a municipal policy choice (no source);
a portfolio sets its own in ``risicoklassen``."""


class Gebeurtenis(StrictModel):
    """One lifecycle action on a grex (audit trail): who did what when, and the figures it booked."""

    datum: dt.date = veld(label="Datum")
    actie: Literal["openen", "jaarovergang", "afsluiten", "heropenen", "wijzigen"] = veld(label="Actie")
    door: str = veld(label="Door", min_length=1)
    toelichting: str = veld("", label="Toelichting", vertrouwelijk=True)
    balansjaar: int | None = veld(None, label="Balansjaar")
    bedragen: dict[str, float] = veld(label="Geboekte bedragen", eenheid="EUR", default_factory=dict)


class Risicoprofiel(StrictModel):
    """Risk of one grex: an amount from the risk register, a risk class, or risk events for Monte Carlo (exactly one),
    plus an optional reduction of the profit taken (POC) for project-specific risks."""

    bedrag: float | None = veld(None, label="Risicobedrag (register)", eenheid="EUR")
    klasse: str | None = veld(None, label="Risicoklasse", help="laag, midden, hoog of een klasse uit 'risicoklassen'")
    risicos: list[Risk] = veld(label="Risico's (Monte Carlo)", default_factory=list, vertrouwelijk=True)
    winst_bedrag: float = veld(0.0, label="Verlaging winstneming: bedrag", eenheid="EUR")
    winst_aandeel: float = veld(0.0, label="Verlaging winstneming: aandeel", eenheid="%")


class PortefeuilleGrex(StrictModel):
    """One grex of the portfolio with its BBV status and last year's booked figures."""

    bestand: str | None = veld(None, label="Grexbestand", help="pad relatief aan het portefeuillebestand")
    grex: Grex | None = veld(None, label="Grex (ingebed)")
    grex_document: DocumentVerwijzing | None = veld(None, label="Opgeslagen grex",
        help="een grondexploitatie uit de opslag (id; versie of volgt); bij het opslaan ingebed in 'grex'")
    naam: str | None = veld(None, label="Naam", help="standaard de naam van de grex")
    projectnummer: str | None = veld(None, label="Projectnummer (grootboek)")
    status: Literal["voorbereiding", "in_exploitatie", "afgesloten"] = veld("in_exploitatie", label="Status")
    voorziening_vorig: float = veld(0.0, label="Verliesvoorziening vorig jaar", eenheid="EUR")
    winst_vorig: float = veld(0.0, label="Cumulatief genomen winst t/m vorig jaar", eenheid="EUR")
    winstneming: bool = veld(True, label="Tussentijdse winstneming (POC)")
    risico: Risicoprofiel = veld(label="Risico", default_factory=Risicoprofiel)
    eindresultaat: float | None = veld(None, label="Geboekt eindresultaat (afgesloten)", eenheid="EUR")
    toelichting: str = veld("", label="Toelichting", vertrouwelijk=True)
    historie: list[Gebeurtenis] = veld(label="Historie", default_factory=list)

    @property
    def label(self) -> str:
        return self.naam or (self.grex.name if self.grex is not None else (self.bestand or "?"))


class Portefeuille(StrictModel):
    """All grondexploitaties of a municipality at one balance date (Meerjarenprognose Grondexploitaties)."""

    naam: str = veld(label="Naam", min_length=1)
    gemeente: str = veld("", label="Gemeente")
    balansjaar: int = veld(label="Balansjaar", help="waardering per 31 december van dit jaar")
    disconteringsvoet: float | None = veld(None, label="Disconteringsvoet", eenheid="%", help="leeg: de BBV-parameter op de balansdatum")
    dagtelling: Literal["hele_jaren", "werkelijke_dagen"] | None = veld(None, label="Dagtelling NCW",
        help="leeg: de dagtelling van elke grex (standaard hele jaren)")
    poc_basis: Literal["ncw", "nominaal"] = veld("ncw", label="Basis winstneming")
    voorziening_basis: Literal["ncw", "eindwaarde"] = veld("ncw", label="Basis verliesvoorziening")
    rente_grex: RateSeries | None = veld(None, label="Rentepercentage grondexploitaties", eenheid="%",
        help="leeg: de rente van elke grex; anders voor de jaren na het balansjaar")
    weerstandscapaciteit: float = veld(0.0, label="Beschikbare weerstandscapaciteit", eenheid="EUR")
    risicoklassen: dict[str, float] = veld(label="Risicoklassen (% van nog te realiseren opbrengsten)", eenheid="%",
        default_factory=lambda: dict(RISICOKLASSEN_STANDAARD))
    risico_percentiel: float = veld(90.0, label="Zekerheid benodigd weerstandsvermogen", eenheid="%")
    onzekerheden: list[Uncertainty] = veld(label="Onzekerheden (Monte Carlo)", default_factory=list)
    grexen: list[PortefeuilleGrex] = veld(label="Grondexploitaties", default_factory=list)

    def names(self) -> list[str]:
        return [g.label for g in self.grexen]

    def check(self) -> list[InputError]:
        """Domain checks (every error found; empty: valid). Grex files are checked when they are loaded."""
        errs: list[InputError] = []
        if not self.grexen:
            return [error(("grexen",), "de portefeuille heeft geen grondexploitaties", None, "ten minste één grex")]
        if self.disconteringsvoet is not None:
            errs += check_rates(self.disconteringsvoet, ("disconteringsvoet",))
        if self.rente_grex is not None:
            errs += check_rates(self.rente_grex, ("rente_grex",))
        if self.weerstandscapaciteit < 0:
            errs.append(error(("weerstandscapaciteit",), "mag niet negatief zijn", self.weerstandscapaciteit, ">= 0"))
        if not 0.0 < self.risico_percentiel < 100.0:
            errs.append(error(("risico_percentiel",), "percentiel tussen 0 en 100", self.risico_percentiel, "0 < p < 100, bijv. 90"))
        for k, v in self.risicoklassen.items():
            if not 0.0 <= v <= 1.0:
                errs.append(error(("risicoklassen", k), "percentage tussen 0 en 1", v, "0 <= p <= 1 (als fractie)"))
        seen: dict[str, int] = {}
        numbers: dict[str, int] = {}
        for i, g in enumerate(self.grexen):
            p = ("grexen", i)
            if (g.bestand is None) == (g.grex is None):
                errs.append(error(p, "geef óf 'bestand' óf 'grex' op", None, "bestand: pad.yaml, of grex: {...}"))
            name = g.label
            if name in seen:
                errs.append(error(p + ("naam",), "dubbele naam in de portefeuille", name, f"unieke namen (ook grexen[{seen[name]}])"))
            seen[name] = i
            if g.projectnummer:
                if g.projectnummer in numbers:
                    errs.append(error(p + ("projectnummer",), "dubbel projectnummer", g.projectnummer, f"uniek (ook grexen[{numbers[g.projectnummer]}])"))
                numbers[g.projectnummer] = i
            for f in ("voorziening_vorig", "winst_vorig"):
                if getattr(g, f) < 0:
                    errs.append(error(p + (f,), "mag niet negatief zijn", getattr(g, f), ">= 0"))
            r = g.risico
            given = [x for x in (r.bedrag is not None, r.klasse is not None, bool(r.risicos)) if x]
            if len(given) > 1:
                errs.append(error(p + ("risico",), "geef één soort risico op", None, "bedrag, klasse of risicos"))
            if r.bedrag is not None and r.bedrag < 0:
                errs.append(error(p + ("risico", "bedrag"), "mag niet negatief zijn", r.bedrag, ">= 0"))
            if r.klasse is not None and r.klasse not in self.risicoklassen:
                errs.append(error(p + ("risico", "klasse"), "onbekende risicoklasse", r.klasse, ", ".join(self.risicoklassen)))
            if not 0.0 <= r.winst_aandeel <= 1.0:
                errs.append(error(p + ("risico", "winst_aandeel"), "aandeel tussen 0 en 1", r.winst_aandeel, "0..1"))
            if r.winst_bedrag < 0:
                errs.append(error(p + ("risico", "winst_bedrag"), "mag niet negatief zijn", r.winst_bedrag, ">= 0"))
            if g.status == "afgesloten" and g.eindresultaat is None:
                errs.append(error(p + ("eindresultaat",), "een afgesloten grex heeft een geboekt eindresultaat", None, "het eindresultaat in EUR (via 'opengrex bbv afsluiten')"))
        return errs

    def validated(self) -> Portefeuille:
        errs = self.check()
        if errs:
            raise InputErrors(errs)
        return self


class Renteschema(StrictModel):
    """Input of the renteschema (Notitie rente 2017): the external interest, the interest passed on, optional
    interest on equity and provisions, the book value of the fixed assets at 1 January and the omslag rounding."""

    jaar: int = veld(label="Jaar")
    a_externe_rentelasten: float = veld(label="a. Externe rentelasten korte en lange financiering", eenheid="EUR")
    b_externe_rentebaten: float = veld(0.0, label="b. Externe rentebaten", eenheid="EUR")
    c1_rente_grondexploitaties: float | None = veld(None, label="c1. Rente doorberekend aan grondexploitaties", eenheid="EUR",
        help="leeg: uit de portefeuille (rente × boekwaarde per 1 januari)")
    c2_rente_projectfinanciering: float = veld(0.0, label="c2. Rente projectfinanciering", eenheid="EUR")
    c3_rentebaat_doorverstrekte_leningen: float = veld(0.0, label="c3. Rentebaat doorverstrekte leningen", eenheid="EUR")
    d1_rente_eigen_vermogen: float = veld(0.0, label="d1. Rente over eigen vermogen", eenheid="EUR")
    d2_rente_voorzieningen: float = veld(0.0, label="d2. Rente over voorzieningen", eenheid="EUR")
    activa_1_januari: float = veld(label="Boekwaarde vaste activa per 1 januari (integraal gefinancierd)", eenheid="EUR")
    afronding: Literal["dichtstbij", "omhoog", "omlaag", "geen"] = veld("dichtstbij", label="Afronding omslagrente")
    e_toegerekend: float | None = veld(None, label="e. Werkelijk toegerekende rente", eenheid="EUR",
        help="leeg: afgeronde omslagrente × activa per 1 januari")
    gemiddelde_rente: float | None = veld(None, label="Gemiddelde rente leningenportefeuille", eenheid="%")
    vreemd_vermogen: float | None = veld(None, label="Vreemd vermogen", eenheid="EUR")
    totaal_vermogen: float | None = veld(None, label="Totaal vermogen", eenheid="EUR")

    def check(self) -> list[InputError]:
        errs = []
        for name in ("a_externe_rentelasten", "b_externe_rentebaten", "c1_rente_grondexploitaties", "c2_rente_projectfinanciering",
                     "c3_rentebaat_doorverstrekte_leningen", "d1_rente_eigen_vermogen", "d2_rente_voorzieningen", "activa_1_januari", "e_toegerekend",
                     "vreemd_vermogen", "totaal_vermogen"):
            v = getattr(self, name)
            if v is not None and v < 0:
                errs.append(error((name,), "bedrag mag niet negatief zijn (de tekens volgen uit het schema)", v, ">= 0"))
        trio = (self.gemiddelde_rente, self.vreemd_vermogen, self.totaal_vermogen)
        if any(v is not None for v in trio) and not all(v is not None for v in trio):
            errs.append(error(("gemiddelde_rente",), "geef gemiddelde rente, vreemd en totaal vermogen samen op", None, "alle drie of geen"))
        if self.vreemd_vermogen is not None and self.totaal_vermogen is not None and self.vreemd_vermogen > self.totaal_vermogen:
            errs.append(error(("vreemd_vermogen",), "vreemd vermogen groter dan totaal vermogen", self.vreemd_vermogen, f"<= {self.totaal_vermogen}"))
        return errs


def check_dagtelling(value: str | None, path: tuple = ("dagtelling",)) -> list[InputError]:
    if value is None or value in DAGTELLINGEN:
        return []
    return [error(path, "onbekende dagtelling", value, ", ".join(DAGTELLINGEN))]


# ------------------------------------------------------------------------------------------------ compile
@dataclass
class Stapel:
    """Grexes stacked on a portfolio axis ``P`` for the engine (one call for the whole portfolio).

    ``arrays``: :class:`~opengrex.engine.grex.GrexArrays` with ``amount (P, L)``, ``share/realised/mask (P, L, Y)``,
    ``series (P, L)``, ``rente (P, Y)``, ``opening (P,)`` on the common grid ``years``; amounts are expressed at the
    common base year ``basis`` (each grex's own prijspeil is folded into its amounts, exact); ``codes (P, L)``: the
    kostensoort / opbrengstsoort of each line (``""`` for padding); ``start, eind (P,)``: positions of each grex's
    first and last year; ``series_names``: ``(grex, series name)`` of each rate row.
    """

    arrays: Any
    years: Any
    basis: int
    codes: Any
    names: list[str]
    start: Any
    eind: Any
    series_names: list[tuple[str, str]]
    index_years: range

    def pos(self, year: int) -> int:
        """Position of ``year`` on the grid (may be -1 or beyond the grid end)."""
        return int(year - self.years[0])


def stack_grexes(grexes: list[Grex], basis: int, extra_years: int = 0) -> Stapel:
    """Validated grexes -> one :class:`Stapel` (lines padded to a common ``L``, years to the union grid).

    Before its start a grex has no interest (rente 0), so its opening book value waits unchanged until its first year
    (exact: ``B_start = opening (1 + r_start) + F_start`` as in the grex itself). Each grex's prijspeil ``p`` is folded
    into its amounts: ``amount / I_c(p)`` with ``I_c`` the index relative to the common ``basis`` year, so that
    ``amount × I_own_y = (amount / I_c(p)) × I_c_y``.
    """
    import numpy as np

    from opengrex.engine.grex import TIMING_END, GrexArrays, price_index
    from opengrex.model.base import rate_on_years

    timings = {g.timing for g in grexes}
    if len(timings) > 1:
        first = grexes[0].timing
        i = next(k for k, g in enumerate(grexes) if g.timing != first)
        raise InputError("alle grexen van een portefeuille hebben dezelfde timing", field=f"grexen[{i}].timing", value=grexes[i].timing,
                         allowed=f"{first} (BBV: 'end', rente over de boekwaarde per 1 januari)")
    compiled = [g.compile() for g in grexes]
    y0 = min(g.start_year for g in grexes)
    y1 = max(g.end_year for g in grexes) + extra_years
    years = np.arange(y0, y1 + 1)
    n_y, n_p = len(years), len(grexes)
    ix0 = min([y0, basis] + [g.prijspeil.year for g in grexes])
    ix_years = range(ix0, max(y1, basis) + 1)
    n_l = max(1, max(c.amount.shape[0] for c in compiled))
    amount = np.zeros((n_p, n_l))
    share = np.zeros((n_p, n_l, n_y))
    sign = -np.ones((n_p, n_l))
    series = np.zeros((n_p, n_l), dtype=np.intp)
    realised = np.zeros((n_p, n_l, n_y))
    mask = np.zeros((n_p, n_l, n_y), dtype=bool)
    opening = np.zeros(n_p)
    rente = np.zeros((n_p, n_y))
    codes = np.full((n_p, n_l), "", dtype=object)
    start = np.zeros(n_p, dtype=np.intp)
    eind = np.zeros(n_p, dtype=np.intp)
    rows: list[list[float]] = []
    series_names: list[tuple[str, str]] = []
    own_base = np.zeros((n_p, n_l), dtype=np.intp)
    for i, (g, c) in enumerate(zip(grexes, compiled)):
        off = g.start_year - y0
        n, ny = c.amount.shape[0], c.share.shape[1]
        row0 = len(rows)
        for name in g.indices:
            rows.append(rate_on_years(g.indices[name], ix_years))
            series_names.append((g.name, name))
        amount[i, :n] = c.amount
        share[i, :n, off : off + ny] = c.share
        sign[i, :n] = c.sign
        series[i, :n] = c.series + row0
        series[i, n:] = row0
        realised[i, :n, off : off + ny] = c.realised
        mask[i, :n, off : off + ny] = c.realised_mask
        opening[i] = c.opening
        rente[i, off : off + ny] = c.rente
        rente[i, off + ny :] = c.rente[-1]
        for k, (section, _, ln) in enumerate(g.lines()):
            codes[i, k] = ln.kostensoort if section == "kosten" else ln.opbrengstsoort  # type: ignore[attr-defined]
        own_base[i, :] = g.prijspeil.year - ix0
        start[i] = off
        eind[i] = off + ny - 1
    rate = np.array(rows, dtype=np.float64).reshape(len(rows), len(ix_years))
    base_pos = basis - ix0
    index = price_index(rate, base_pos)
    amount = amount / index[series, own_base]
    arrays = GrexArrays(
        years=years,
        amount=amount,
        share=share,
        sign=sign,
        series=series,
        rate=rate,
        index_base=base_pos,
        index_offset=y0 - ix0,
        rente=rente,
        realised=realised,
        realised_mask=mask,
        opening=opening,
        disconteringsvoet=0.0,
        ncw_year=basis,
        ncw_fraction=0.0,
        timing=grexes[0].timing if grexes else TIMING_END,
    )
    return Stapel(arrays, years, basis, codes, [g.name for g in grexes], start, eind, series_names, ix_years)
