"""Plankosten: the maximum recoverable plankosten under the Omgevingswet (Omgevingsregeling art. 13.2–13.5,
bijlagen XXXIV and XXXIVa) [1]_, one function per rule, vectorised over a batch of plans.

Art. 13.2 lid 1: the maximum is the sum of the costs of the products and activities of bijlage XXXIV (kostenverhaal
met tijdvak) or XXXIVa (zonder tijdvak); each row (onderdeel) of tabel 1 costs *hours × tariff of its tariefgroep*
(tabel 3) or a fixed amount, and is raised or lowered by the complexity factor where tabel 1 says so (lid 2).

Dated formulas (OpenFisca's ``formula_YYYY_MM``): what changed on 1 July 2026 is one function per version, selected
by the parameter file's ``methode`` (:data:`FORMULES`), never an ``if year >`` branch:

* ``2024_01`` — complexiteitsfactoren are the **average** of the indicator percentages of tabel 5 that tabel 4 lists
  per factor (art. 13.2 lid 3 until 2026); onderzoeken count the highest percentage.
* ``2026_07`` — invloedsfactoren are **summed** over the indicators each row names (art. 13.2 lid 3 from 1 July
  2026), with the caps of tabel 4; new lookup tables 8–15 give weeks, hours per week and hours per year.

Shapes: ``B`` plans (leading batch axis), ``R`` rows of tabel 1, ``P`` products, ``K`` grondslagen (quantities a row
is based on, :data:`opengrex.parameters.plankosten.GRONDSLAGEN`), ``M`` vermenigvuldigers, 6 indicators I–VI.
Amounts in EUR excl. btw, unrounded float64; percentages of the regulation stay in percent until they multiply.

The engine computes every row for every plan ("potential" amounts) and applies the choice of products last, so a
row may refer to a row of another product (partieel ophogen: 150% of the integraal bestek).

References
----------
.. [1] Omgevingsregeling (BWBR0045528), hoofdstuk 13 en bijlagen XXXIV en XXXIVa; the version and the table/row of
       every number are in the parameter file (``src/opengrex/parameters/plankosten/<datum>.yaml``).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from opengrex.engine.arrays import ArrayLike, BoolArray, FloatArray, IntArray
from opengrex.engine.explain import rule
from opengrex.parameters.plankosten import (
    GRONDSLAGEN,
    INDICATOREN,
    VERMENIGVULDIGERS,
    Factoren2024,
    Factoren2026,
    PlankostenParameters,
    Rij,
)

BRON = "Omgevingsregeling"
LIGGING: tuple[str, ...] = ("uitleglocatie", "uitbreidingslocatie", "inbreidingslocatie", "binnenstedelijke_locatie", "historische_locatie")
"""Categories of indicator I (tabel 5 / 2026: tabel 4), in this order."""
ONDERZOEKEN: tuple[str, ...] = ("mer", "luchtkwaliteit", "archeologie", "bodemsanering")
"""Investigations of indicator V, in this order."""
FUNCTIES: tuple[str, ...] = ("bedrijvigheid", "commercieel", "maatschappelijk")
"""Non-residential functions of the programme: bedrijvigheid (industriefunctie), commercieel (bijeenkomst-, kantoor-,
logies-, sport-, winkelfunctie), maatschappelijk (cel-, gezondheidszorg-, onderwijsfunctie)."""
INVOER: tuple[str, ...] = (
    "taxatie_onafhankelijk_onbebouwd", "taxatie_onafhankelijk_bebouwd", "taxatie_woz_onbebouwd", "taxatie_woz_bebouwd",
    "hertaxaties", "aankoop_onbebouwd", "aankoop_woning", "aankoop_huur_pacht", "aankoop_bedrijfsgebouw",
    "aankoop_bijzonder_object", "aankoop_bedrijfsgebouw_herstructurering", "aankoop_bijzonder_object_herstructurering",
    "onteigening_administratief", "onteigening_gerechtelijk", "verharding_m2", "groen_water_m2", "sloop_bestekken",
    "sloop_m3", "sloop_aandeel_agrarisch", "sloop_aandeel_asbest", "ophoog_ha", "ophoog_m3", "zettingsjaren",
    "ophoog_deelgebieden", "weken_per_bestek", "aanbestedingen", "aanbesteding_europees", "stedenbouwkundig_plan",
    "looptijd_jaren",
)
"""Plan details per product (columns of :attr:`PlanArrays.invoer`); ``hertaxaties`` NaN = not given."""
ROW_KINDS: tuple[str, ...] = ("uren", "percentage_grondslag", "percentage_uren", "minimum_uren", "bedrag", "euro_uit", "percentage_bedrag")
MULT_NAMES = VERMENIGVULDIGERS + ("toedeling_13_4",)


# ------------------------------------------------------------------------------------------------ compiled arrays
@dataclass(frozen=True)
class Tabellen:
    """One parameter version × one annex, compiled for the engine (see module docstring for the axes)."""

    versie: str
    methode: str
    bijlage: str
    row_ids: tuple[str, ...]
    producten: tuple[str, ...]
    grondslagen: tuple[str, ...]
    product: IntArray  # (R,) int: product index
    soort: IntArray  # (R,) int: index into ROW_KINDS
    grondslag: IntArray  # (R,) int: index into grondslagen, -1 none
    waarde: FloatArray  # (R,) uren per eenheid | percentage/100 | bedrag per eenheid | minimum_uren
    van: FloatArray  # (R, R) 1 where row r counts the hours of row s (s < r)
    van_bedrag: FloatArray  # (R, R) 1 where row r counts the amount of row s
    minimum: FloatArray  # (R,) EUR, 0 none
    minimum_uit: IntArray  # (R,) int grondslag index of a table minimum, -1 none
    minimum_percentage: FloatArray  # (R,) fraction of the referenced rows' minimums, 0 none
    vermenigvuldigers: BoolArray  # (R, M) bool
    tarief: FloatArray  # (R,) EUR/uur (mean over the row's tariefgroepen), 0 for amount rows
    factor: BoolArray  # (R, 6) bool: the indicators that raise/lower the row
    factor_naam: tuple[str, ...]  # (R,) "algemeen" / "stedenbouw" / "geen" / "I, II, IV, V"
    diepte: int  # longest chain of percentage rows
    uitgezonderd_13_5: BoolArray  # (P,) bool: products added on top of the art. 13.5 fixed amount
    kleine_bouwactiviteit: FloatArray  # (3,) EUR: art. 13.5 lid 1 onder a, b, c
    tabel: dict[str, Any] = field(default_factory=dict)
    """Method-specific lookup tables as arrays (tabel 2, 5/4, 7, 8, scenario; 2026: tabel 8–15)."""


@dataclass
class PlanArrays:
    """A batch of ``B`` plans as arrays (compiled by :mod:`opengrex.model.plankosten`)."""

    oppervlakte_ha: FloatArray  # (B,) kostenverhaalsgebied
    uitgeefbaar_ha: FloatArray  # (B,)
    besluit_ha: FloatArray  # (B,) area of the whole plan the 1.1 products cover (art. 13.4), >= oppervlakte
    ligging: IntArray  # (B,) int index into LIGGING
    herstructurering: BoolArray  # (B,) bool
    herverkaveld: FloatArray  # (B,) fraction of the existing openbaar gebied herverkaveld (2026)
    bekrachtigingen: FloatArray  # (B,) number of bekrachtigingsprocedures onteigeningsbeschikking
    onderzoeken: BoolArray  # (B, 4) bool, ONDERZOEKEN
    woningen: FloatArray  # (B,) woonfuncties
    gebouwen_met_woonfunctie: FloatArray  # (B,) NaN = not given
    bvo_m2: FloatArray  # (B, 3) FUNCTIES
    uitgeefbaar_m2: FloatArray  # (B, 3) FUNCTIES
    producten: BoolArray  # (B, P) bool: products chosen
    invoer: FloatArray  # (B, len(INVOER))
    kleine_bouwactiviteit: IntArray  # (B,) int -1 none, 0 a, 1 b, 2 c

    def get(self, name: str) -> FloatArray:
        return self.invoer[..., INVOER.index(name)]


@dataclass
class PlankostenOutcome:
    """Every intermediate table of the calculation (B plans)."""

    indicatoren: FloatArray  # (B, 6) percent per indicator I–VI
    factoren: dict[str, FloatArray]  # name -> (B,) fraction (algemeen/stedenbouw, 2026: som I–V, ...)
    grondslagen: FloatArray  # (B, K)
    vermenigvuldigers: FloatArray  # (B, M)
    uren: FloatArray  # (B, R) hours (before the choice of products)
    bedrag_basis: FloatArray  # (B, R) EUR before the factor: hours × tariff + fixed amounts
    factor: FloatArray  # (B, R) fraction applied to the row
    actief: BoolArray  # (B, R) bool: product chosen (and not replaced by art. 13.5)
    bedrag: FloatArray  # (B, R) EUR: bedrag_basis × (1 + factor) × actief
    per_product: FloatArray  # (B, P)
    vast_bedrag: FloatArray  # (B,) art. 13.5 fixed amount
    totaal: FloatArray  # (B,)
    vlaggen: dict[str, BoolArray]  # interpretation id -> (B,) bool: the reading mattered for this plan


def compile_tabellen(params: PlankostenParameters, bijlage: str) -> Tabellen:
    """Compile one annex of a parameter version into arrays (rows in file order; references point backwards)."""
    bij = params.bijlage(bijlage)
    rows = bij.tabel_1
    ids = [r.id for r in rows]
    prods = list(bij.producten)
    keys = GRONDSLAGEN[params.methode]
    R = len(rows)
    pos = {k: i for i, k in enumerate(ids)}
    van = np.zeros((R, R))
    van_b = np.zeros((R, R))
    mult = np.zeros((R, len(MULT_NAMES)), dtype=bool)
    fac = np.zeros((R, len(INDICATOREN)), dtype=bool)
    names = []
    rates = {t.groep: t.euro_per_uur for t in params.tarieven.groepen}
    toedeling = set(params.artikelen.evenredige_toedeling.producten.get(bijlage, []))  # type: ignore[call-overload]
    depth = np.zeros(R, dtype=int)
    for i, r in enumerate(rows):
        for ref in r.van or []:
            van[i, pos[ref]] = 1.0
        for ref in r.van_bedrag or []:
            van_b[i, pos[ref]] = 1.0
        refs = [pos[x] for x in (r.van or []) + (r.van_bedrag or [])]
        depth[i] = 1 + max((depth[j] for j in refs), default=0) if refs and r.soort in ("percentage_uren", "percentage_bedrag") else 0
        for m in r.vermenigvuldigers:
            mult[i, MULT_NAMES.index(m)] = True
        if r.product in toedeling:
            mult[i, MULT_NAMES.index("toedeling_13_4")] = True
        if isinstance(r.factor, str):
            if r.factor != "geen":
                for x in bij.factoren.tabel_4[r.factor]:  # type: ignore[union-attr]
                    fac[i, INDICATOREN.index(x)] = True
            names.append(r.factor)
        else:
            for x in r.factor:
                fac[i, INDICATOREN.index(x)] = True
            names.append(", ".join(r.factor))
    soort = np.array([ROW_KINDS.index(r.soort) for r in rows], dtype=int)
    waarde = np.array([_row_value(r) for r in rows], dtype=np.float64)
    grond = np.array([keys.index(r.grondslag if r.soort != "euro_uit" else r.euro_uit) if (r.grondslag or r.euro_uit) else -1 for r in rows], dtype=int)
    excl = set(params.artikelen.kleine_bouwactiviteiten.uitgezonderd.get(bijlage, []))  # type: ignore[call-overload]
    kb = params.artikelen.kleine_bouwactiviteiten.bedragen
    return Tabellen(
        versie=params.geldig_vanaf.isoformat(), methode=params.methode, bijlage=bijlage, row_ids=tuple(ids),
        producten=tuple(prods), grondslagen=tuple(keys),
        product=np.array([prods.index(r.product) for r in rows], dtype=int), soort=soort, grondslag=grond, waarde=waarde,
        van=van, van_bedrag=van_b,
        minimum=np.array([r.minimum or 0.0 for r in rows]),
        minimum_uit=np.array([keys.index(r.minimum_uit) if r.minimum_uit else -1 for r in rows], dtype=int),
        minimum_percentage=np.array([(r.minimum_percentage or 0.0) / 100.0 for r in rows]),
        vermenigvuldigers=mult,
        tarief=np.array([float(np.mean([rates[g] for g in r.tariefgroepen])) if r.tariefgroepen else 0.0 for r in rows]),
        factor=fac, factor_naam=tuple(names), diepte=int(depth.max(initial=0)),
        uitgezonderd_13_5=np.array([p in excl for p in prods], dtype=bool),
        kleine_bouwactiviteit=np.array([kb["a"], kb["b"], kb["c"]], dtype=np.float64),
        tabel=FORMULES[params.methode].tabellen(params, bijlage),
    )


# ------------------------------------------------------------------------------------------------ small rules
def _row_value(r: Rij) -> float | None:
    """The number a tabel-1 row carries for its kind: a percentage as a fraction, minimum hours, an amount or hours."""
    if r.soort in ("percentage_grondslag", "percentage_uren", "percentage_bedrag"):
        assert r.percentage is not None  # the row's kind says it has a percentage
        return r.percentage / 100.0
    if r.soort == "minimum_uren":
        return r.minimum_uren
    if r.soort == "bedrag":
        return r.bedrag
    return r.uren if r.uren is not None else 0.0


def band(waarde, ondergrenzen) -> IntArray:
    """Index of the band ``[ondergrens_i, ondergrens_{i+1})`` holding ``waarde`` (lower bound inclusive, as the 2026
    text writes its bands 'van 0,5 tot 1 hectare'). [int (...)]"""
    return np.searchsorted(np.asarray(ondergrenzen, dtype=np.float64), np.asarray(waarde, dtype=np.float64), side="right") - 1


def op_grens(waarde, ondergrenzen) -> BoolArray:
    """True where ``waarde`` lies exactly on a band boundary above 0 (the reading of the boundary matters). [bool]"""
    w = np.asarray(waarde, dtype=np.float64)[..., None]
    g = np.asarray(ondergrenzen, dtype=np.float64)
    return ((w == g) & (g > 0)).any(axis=-1)


@rule("Uren volgens tabel 2", formule="aantal werkuren in de band van de oppervlakte (ondergrens inclusief)",
      bron="Omgevingsregeling bijlage XXXIV/XXXIVa, tabel 2")
def tabel2_uren(oppervlakte_ha, ondergrenzen, uren) -> FloatArray:
    """Hours of every column of tabel 2 for the band of the area. ``uren`` (T, C) [uur (..., C)]"""
    return np.asarray(uren, dtype=np.float64)[band(oppervlakte_ha, ondergrenzen)]


@rule("Evenredige toedeling", formule="oppervlakte kostenverhaalsgebied / oppervlakte van het gehele gebied",
      bron="art. 13.4 Omgevingsregeling")
def evenredige_toedeling(oppervlakte_ha, besluit_ha) -> FloatArray:
    """Share of the costs of the omgevingsplan products (1.1a/1.1b; XXXIVa 1.1/1.2) allocated to the
    kostenverhaalsgebied when they concern a larger area. [- (...)]"""
    opp = np.asarray(oppervlakte_ha, dtype=np.float64)
    tot = np.maximum(np.asarray(besluit_ha, dtype=np.float64), opp)
    return np.divide(opp, tot, out=np.ones_like(opp), where=tot > 0)


@rule("Woonequivalenten", formule="woningen + Σ niet-wonen m² / 100 (bvo; vanaf 2025 bedrijven naar uitgeefbare grond)",
      bron="Omgevingsregeling bijlage XXXIV/XXXIVa, tabel 5 voetnoot 3 (2026: tabel 4 voetnoot 4)")
def woonequivalenten(woningen, bvo_m2, uitgeefbaar_m2, m2_per_weq: float, grondslag: str) -> FloatArray:
    """Woonequivalenten of the programme: 1 weq = 100 m² bvo (2024), or 100 m² bvo or 100 m² uitgeefbare grond
    (2025, 2026: bedrijvigheid counted by its land, other functions by bvo). [weq (...)]"""
    bvo = np.asarray(bvo_m2, dtype=np.float64)
    if grondslag == "bvo":
        m2 = bvo.sum(axis=-1)
    else:
        m2 = np.asarray(uitgeefbaar_m2, dtype=np.float64)[..., 0] + bvo[..., 1:].sum(axis=-1)
    return np.asarray(woningen, dtype=np.float64) + m2 / m2_per_weq


@rule("Historische looptijd", formule="2 jaar bij factor ≤ 30%, 3 jaar tussen 30% en 50%, 4 jaar bij ≥ 50%",
      bron="art. 13.3 Omgevingsregeling; bijlage XXXIV/XXXIVa tabel 1 rij 2.7 (2026: 2.4)")
def historische_looptijd(factor, tot_en_met: float, vanaf: float, jaren) -> FloatArray:
    """Years before the vaststelling whose plankosten count, from the complexity factor (a fraction). [jaar (...)]"""
    pct = np.asarray(factor, dtype=np.float64) * 100.0
    j = np.asarray(jaren, dtype=np.float64)
    return np.where(pct <= tot_en_met + 1e-9, j[0], np.where(pct >= vanaf - 1e-9, j[2], j[1]))


@rule("Verrekenfactor aanbestedingsvorm", formule="1 + stap × (aantal aanbestedingen − 1); stap 0,08 openbaar, 0,33 Europees",
      bron="Omgevingsregeling bijlage XXXIV/XXXIVa, tabel 6 (2024)")
def verrekenfactor_aanbestedingsvorm(aantal, europees, stap_openbaar: float, stap_europees: float) -> FloatArray:
    """Tabel 6: 1 aanbesteding → 1; each further one +0,08 (openbaar) or +0,33 (Europees). [- (...)]"""
    n = np.maximum(np.asarray(aantal, dtype=np.float64), 1.0)
    stap = np.where(np.asarray(europees, dtype=bool), stap_europees, stap_openbaar)
    return 1.0 + stap * (n - 1.0)


@rule("Verrekenfactor type te slopen onroerende zaak", formule="100% − 0,5 × percentage agrarische bedrijfsgebouwen en kassen",
      bron="Omgevingsregeling bijlage XXXIV/XXXIVa, tabel 6 (2026: tabel 5)")
def verrekenfactor_sloop_type(aandeel_agrarisch, factor: float) -> FloatArray:
    return 1.0 - factor * np.asarray(aandeel_agrarisch, dtype=np.float64)


@rule("Verrekenfactor aanwezigheid asbest", formule="100% + percentage asbestvervuiling (afgerond op gehele getallen)",
      bron="Omgevingsregeling bijlage XXXIV/XXXIVa, tabel 6 (2026: tabel 5)")
def verrekenfactor_asbest(aandeel_asbest, afronden: bool) -> FloatArray:
    pct = np.asarray(aandeel_asbest, dtype=np.float64) * 100.0
    if afronden:
        pct = np.floor(pct + 0.5)
    return 1.0 + pct / 100.0


@rule("Weken uitvoeringstijd slopen", formule="m³ / 300 × 8 uur / 40 uur per werkweek",
      bron="Omgevingsregeling bijlage XXXIV/XXXIVa, tabel 1 rij 2.6a (2026: 2.3a), nadere bepaling")
def sloopweken(m3, uren: float, per_m3: float, uren_per_werkweek: float) -> FloatArray:
    return np.asarray(m3, dtype=np.float64) / per_m3 * uren / uren_per_werkweek


@rule("Bestek en rapportage ophogen (tabel 7)", formule="deelgebieden × min(max(gemiddelde grootte × prijs per ha, ten minste), ten hoogste)",
      bron="Omgevingsregeling bijlage XXXIV/XXXIVa, tabel 7 (2026: tabel 6) en voetnoot")
def ophogen_tabel7(ha, deelgebieden, groter_dan, minimum, maximum, per_ha) -> tuple[FloatArray, FloatArray]:
    """Amount and its minimum for bestek or rapportage: the band of the (average) area ``(groter dan, ten hoogste]``;
    one per deelgebied. Zero where nothing is raised. [EUR (...), EUR (...)]"""
    ha = np.asarray(ha, dtype=np.float64)
    n = np.maximum(np.asarray(deelgebieden, dtype=np.float64), 1.0)
    size = ha / n
    i = np.clip(np.searchsorted(np.asarray(groter_dan, dtype=np.float64), size, side="left") - 1, 0, len(groter_dan) - 1)
    lo, hi, rate = np.asarray(minimum)[i], np.asarray(maximum)[i], np.asarray(per_ha)[i]
    on = ha > 0
    return np.where(on, n * np.clip(size * rate, lo, hi), 0.0), np.where(on, n * lo, 0.0)


@rule("Aantal kostenverhaalsdeelgebieden (tabel 8)", formule="oppervlakte / hectare per deelgebied × (1 + 1% per procentpunt openbaar gebied boven 40%, ten hoogste 1,20)",
      bron="Omgevingsregeling bijlage XXXIV/XXXIVa, tabel 8")
def deelgebieden_tabel8(basis_ha, aandeel_openbaar, ha_per_deelgebied: float, drempel_pct: float, per_procentpunt: float, maximum: float) -> FloatArray:
    pct = np.asarray(aandeel_openbaar, dtype=np.float64) * 100.0
    factor = np.clip(1.0 + (pct - drempel_pct) * per_procentpunt, 1.0, maximum)
    return np.asarray(basis_ha, dtype=np.float64) / ha_per_deelgebied * factor


# ------------------------------------------------------------------------------------------------ method 2024_01
@rule("Opslagpercentages per indicator (2024)", formule="I ligging; II type opgave; III 10% per bekrachtiging, max 20%; IV programma (opgeteld); V hoogste onderzoek; VI woningdichtheid",
      bron="Omgevingsregeling bijlage XXXIV/XXXIVa, tabel 5 (versies 2024 en 2025)")
def indicatoren_2024_01(x: PlanArrays, t: Tabellen) -> tuple[FloatArray, dict[str, BoolArray]]:
    """Opslag (percent) of each indicator I–VI for each plan, and which unresolved readings mattered. [% (B, 6)]"""
    f = t.tabel["factoren"]
    i1 = f["ligging"][x.ligging]
    i2 = np.where(x.herstructurering, f["herstructurering"], f["geen_herstructurering"])
    i3 = np.minimum(f["per_bekrachtiging"] * x.bekrachtigingen, f["verwerving_maximum"])
    w = x.woningen > 0
    present = (x.bvo_m2 > 0) | (x.uitgeefbaar_m2 > 0)
    b, c, m = present[..., 0], present[..., 1], present[..., 2]
    other = c | m
    i4 = np.where(b & ~w & ~other, f["alleen_bedrijvigheid"], 0.0)
    i4 = np.where(w & ~b & ~other, f["alleen_woningbouw"], i4)
    extra = np.where(c, f["commercieel"], 0.0) + np.where(m, f["maatschappelijk"], 0.0)
    i4 = np.where(other, np.where(w | b, f["combinatie"], 0.0) + extra, i4)
    i5 = np.max(np.where(x.onderzoeken, f["onderzoeken"], 0.0), axis=-1)
    weq = woonequivalenten(x.woningen, x.bvo_m2, x.uitgeefbaar_m2, f["weq_m2"], f["weq_grondslag"])
    bruto = np.divide(weq, x.oppervlakte_ha, out=np.zeros_like(weq), where=x.oppervlakte_ha > 0)
    netto = np.divide(weq, x.uitgeefbaar_ha, out=np.zeros_like(weq), where=x.uitgeefbaar_ha > 0)
    i6 = f["dichtheid_opslag"][band(bruto, f["dichtheid_vanaf"])]
    flags = {
        "woningdichtheid": band(bruto, f["dichtheid_vanaf"]) != band(netto, f["dichtheid_vanaf"]),
        "programma-wonen-bedrijvigheid": w & b & ~other,
        "woonequivalent-bedrijven": (x.uitgeefbaar_m2[..., 0] > 0) & (f["weq_grondslag"] != "bvo"),
    }
    return np.stack([i1, i2, i3, i4, i5, i6], axis=-1).astype(np.float64), flags


@rule("Complexiteitsfactor (gemiddelde)", formule="gemiddelde van de opslagen van de indicatoren die tabel 4 voor de factor noemt",
      bron="art. 13.2 leden 2 en 3 Omgevingsregeling (tot 1 juli 2026); bijlage XXXIV/XXXIVa tabel 4 en 5")
def complexiteitsfactor_2024_01(indicatoren, leden) -> FloatArray:
    """Factor per row: the mean of its indicators' percentages (0 for a row without factor). ``leden`` (R, 6).
    [fraction (B, R)]"""
    leden = np.asarray(leden, dtype=np.float64)
    n = leden.sum(axis=-1)
    weights = np.divide(leden, n[:, None], out=np.zeros_like(leden), where=n[:, None] > 0)
    return np.asarray(indicatoren, dtype=np.float64) @ weights.T / 100.0


def _tabellen_2024_01(params: PlankostenParameters, bijlage: str) -> dict[str, Any]:
    bij = params.bijlage(bijlage)
    f = bij.factoren
    assert isinstance(f, Factoren2024)
    out: dict[str, Any] = {
        **_tabel2(bij),
        "factoren": {
            "ligging": np.array([f.ligging[k] for k in LIGGING]),  # type: ignore[index]
            "herstructurering": f.type_opgave["herstructurering"], "geen_herstructurering": f.type_opgave["geen_herstructurering"],
            "per_bekrachtiging": f.verwerving["per_bekrachtigingsprocedure"], "verwerving_maximum": f.verwerving["maximum"],
            "alleen_bedrijvigheid": f.programma["alleen_bedrijvigheid"], "alleen_woningbouw": f.programma["alleen_woningbouw"],
            "commercieel": f.programma["commercieel"], "maatschappelijk": f.programma["maatschappelijk"], "combinatie": f.programma["combinatie"],
            "onderzoeken": np.array([f.onderzoeken[k] for k in ONDERZOEKEN]),  # type: ignore[index]
            "dichtheid_vanaf": np.array([b.vanaf for b in f.woon_werkmilieu]),
            "dichtheid_opslag": np.array([b.opslag for b in f.woon_werkmilieu]),
            "weq_m2": f.woonequivalent_m2, "weq_grondslag": f.woonequivalent_grondslag,
            "algemeen": np.array([x in f.tabel_4.get("algemeen", []) for x in INDICATOREN]),
        },
    }
    out.update(_common_tables(params, bijlage))
    t8 = bij.tabel_8
    assert t8 is not None
    out["tabel8"] = {"ha": t8.hectare_per_deelgebied, "grondslag": t8.grondslag, "drempel": t8.openbaar_gebied_drempel,
                     "per_pp": t8.factor_per_procentpunt, "max": t8.factor_maximum}
    return out


def _tabel2(bij: Any) -> dict[str, FloatArray]:
    """Tabel 2 as arrays: band lower bounds and the hours of columns 2–5 (0 for a column the annex does not have)."""
    cols = ("2", "3", "4", "5")
    return {"tabel2_vanaf": np.array([b.vanaf for b in bij.tabel_2.banden]),
            "tabel2_uren": np.array([[b.uren.get(c, 0.0) for c in cols] for b in bij.tabel_2.banden])}


def _common_tables(params: PlankostenParameters, bijlage: str) -> dict[str, Any]:
    bij = params.bijlage(bijlage)
    c = bij.civiel
    t7 = bij.ophogen
    hl = params.artikelen.historische_looptijd
    sc = bij.scenario
    return {
        "tabel7_groter_dan": np.array([b.groter_dan for b in t7.banden]),
        "tabel7_bestek": np.array([[b.bestek.minimum, b.bestek.maximum, b.bestek.per_ha] for b in t7.banden]),
        "tabel7_rapportage": np.array([[b.rapportage.minimum, b.rapportage.maximum, b.rapportage.per_ha] for b in t7.banden]),
        "scenario_vanaf": np.array([b.vanaf for b in sc.banden]) if sc else np.array([0.0]),
        "scenario_uren": np.array([[b.met_stedenbouwkundig_plan, b.zonder_stedenbouwkundig_plan] for b in sc.banden]) if sc else np.zeros((1, 2)),
        "civiel": {
            "sloop_uren": c.sloop_uren_per_m3["uren"], "sloop_per_m3": c.sloop_uren_per_m3["per_m3"], "werkweek": c.sloop_uren_per_m3["uren_per_werkweek"],
            "ophoog_m3_per_week": c.ophoog_m3_per_week, "bestekken_uitleg": c.bestekken_per_deelgebied["uitleg_uitbreiding"],
            "bestekken_overig": c.bestekken_per_deelgebied["overig"], "bestekken_herstructurering": c.bestekken_per_deelgebied_herstructurering,
            "weken_per_bestek": c.weken_per_bestek, "stap_openbaar": c.aanbestedingsvorm["openbaar"], "stap_europees": c.aanbestedingsvorm["europees"],
            "type_factor": c.sloop_type_factor, "asbest_afronden": c.sloop_asbest_afronden,
        },
        "looptijd": {"tot_en_met": hl.twee_jaar_tot_en_met, "vanaf": hl.vier_jaar_vanaf, "jaren": np.array(hl.jaren)},
        "hertaxatie_jaren": bij.nadere_bepalingen.hertaxatie_om_de_jaren,
        "assistent_drempel": bij.nadere_bepalingen.assistent_drempel,
    }


def _common_grondslagen(x: PlanArrays, t: Tabellen, cf: FloatArray) -> tuple[dict[str, FloatArray], dict[str, FloatArray], dict[str, BoolArray]]:
    """The grondslagen both methods compute the same way, the vermenigvuldigers and the flags."""
    c = t.tabel["civiel"]
    g: dict[str, FloatArray] = {}
    zeros = np.zeros_like(x.oppervlakte_ha, dtype=np.float64)
    g["per_gebied"] = zeros + 1.0
    g["oppervlakte_ha"] = x.oppervlakte_ha.astype(np.float64)
    t2 = tabel2_uren(x.besluit_ha, t.tabel["tabel2_vanaf"], t.tabel["tabel2_uren"])
    for j in range(4):
        g[f"tabel2_kolom{j + 2}"] = t2[..., j]
    g["woonfuncties"] = x.woningen.astype(np.float64)
    given = ~np.isnan(x.gebouwen_met_woonfunctie)
    g["gebouwen_met_woonfunctie"] = np.where(given, np.nan_to_num(x.gebouwen_met_woonfunctie), x.woningen)
    g["grond_niet_wonen_100m2"] = x.uitgeefbaar_m2.sum(axis=-1) / 100.0
    g["niet_wonen_100m2"] = (x.uitgeefbaar_m2[..., 0] + x.bvo_m2[..., 1] + x.bvo_m2[..., 2]) / 100.0
    g["maatschappelijke_functies"] = ((x.bvo_m2[..., 2] > 0) | (x.uitgeefbaar_m2[..., 2] > 0)).astype(np.float64)
    sb = t.tabel["scenario_uren"][band(x.besluit_ha, t.tabel["scenario_vanaf"])]
    g["scenario_uren"] = np.where(x.get("stedenbouwkundig_plan") > 0, sb[..., 0], sb[..., 1])
    for k in ("taxatie_onafhankelijk_onbebouwd", "taxatie_onafhankelijk_bebouwd", "taxatie_woz_onbebouwd", "taxatie_woz_bebouwd",
              "aankoop_onbebouwd", "aankoop_woning", "aankoop_huur_pacht", "aankoop_bedrijfsgebouw", "aankoop_bijzonder_object",
              "aankoop_bedrijfsgebouw_herstructurering", "aankoop_bijzonder_object_herstructurering", "onteigening_administratief",
              "onteigening_gerechtelijk", "sloop_bestekken", "ophoog_ha"):
        g[k] = x.get(k).astype(np.float64)
    g["taxatie_onafhankelijk"] = ((g["taxatie_onafhankelijk_onbebouwd"] + g["taxatie_onafhankelijk_bebouwd"]) > 0).astype(np.float64)
    g["aankoop_herstructurering"] = g["aankoop_bedrijfsgebouw_herstructurering"] + g["aankoop_bijzonder_object_herstructurering"]
    looptijd_na = x.get("looptijd_jaren")
    given_h = ~np.isnan(x.get("hertaxaties"))
    default_h = np.maximum(np.ceil(looptijd_na / t.tabel["hertaxatie_jaren"] - 1e-9) - 1.0, 0.0)
    g["hertaxaties"] = np.where(given_h, np.nan_to_num(x.get("hertaxaties")), default_h)
    g["verharding_100m2"] = x.get("verharding_m2") / 100.0
    g["groen_water_100m2"] = x.get("groen_water_m2") / 100.0
    g["sloop_weken"] = sloopweken(x.get("sloop_m3"), c["sloop_uren"], c["sloop_per_m3"], c["werkweek"])
    g["ophoog_weken"] = x.get("ophoog_m3") / c["ophoog_m3_per_week"]
    n_op = x.get("ophoog_deelgebieden")
    b7, r7 = t.tabel["tabel7_bestek"], t.tabel["tabel7_rapportage"]
    g["ophoog_bestek"], g["ophoog_bestek_minimum"] = ophogen_tabel7(g["ophoog_ha"], n_op, t.tabel["tabel7_groter_dan"], b7[:, 0], b7[:, 1], b7[:, 2])
    g["ophoog_rapportage"], g["ophoog_rapportage_minimum"] = ophogen_tabel7(g["ophoog_ha"], n_op, t.tabel["tabel7_groter_dan"], r7[:, 0], r7[:, 1], r7[:, 2])
    hist = historische_looptijd(cf, t.tabel["looptijd"]["tot_en_met"], t.tabel["looptijd"]["vanaf"], t.tabel["looptijd"]["jaren"])
    g["looptijd"] = np.where(looptijd_na > 0, looptijd_na + hist, 0.0)
    g["looptijd_assistent"] = np.where(100.0 + cf * 100.0 > t.tabel["assistent_drempel"] + 1e-9, g["looptijd"], 0.0)
    mult = {
        "aanbestedingsvorm": verrekenfactor_aanbestedingsvorm(x.get("aanbestedingen"), x.get("aanbesteding_europees") > 0, c["stap_openbaar"], c["stap_europees"]),
        "sloop_type": verrekenfactor_sloop_type(x.get("sloop_aandeel_agrarisch"), c["type_factor"]),
        "sloop_asbest": verrekenfactor_asbest(x.get("sloop_aandeel_asbest"), c["asbest_afronden"]),
        "zettingsjaren": x.get("zettingsjaren").astype(np.float64),
        "toedeling_13_4": evenredige_toedeling(x.oppervlakte_ha, x.besluit_ha),
    }
    flags = {
        "woonfunctie-telling": ~given & (x.woningen > 0),
        "hertaxatie-aantal": ~given_h & (default_h > 0),
        "ophogen-deelgebieden": n_op > 1,
        "toedeling-13-4": mult["toedeling_13_4"] < 1.0 - 1e-12,
        "bandgrenzen": op_grens(x.besluit_ha, t.tabel["tabel2_vanaf"]),
    }
    return g, mult, flags


def _bestekken(x: PlanArrays, t: Tabellen, deelgebieden) -> FloatArray:
    c = t.tabel["civiel"]
    uitleg = x.ligging <= LIGGING.index("uitbreidingslocatie")
    per = np.where(uitleg, c["bestekken_uitleg"], c["bestekken_overig"])
    if c["bestekken_herstructurering"] is not None:
        per = np.where(x.herstructurering, c["bestekken_herstructurering"], per)
    return deelgebieden * per


@rule("Grondslagen (2024)", formule="hoeveelheden per rij: tabel 2, programma, percelen, bestekken (tabel 8), weken, looptijd",
      bron="Omgevingsregeling bijlage XXXIV/XXXIVa, tabel 1 (nadere bepalingen), tabel 2, 6, 7 en 8; art. 13.3 en 13.4")
def grondslagen_2024_01(x: PlanArrays, t: Tabellen, cf: FloatArray) -> tuple[dict[str, FloatArray], dict[str, FloatArray], dict[str, BoolArray]]:
    g, mult, flags = _common_grondslagen(x, t, cf)
    t8 = t.tabel["tabel8"]
    openbaar = np.maximum(x.oppervlakte_ha - x.uitgeefbaar_ha, 0.0)
    aandeel = np.divide(openbaar, x.oppervlakte_ha, out=np.zeros_like(openbaar), where=x.oppervlakte_ha > 0)
    basis = x.oppervlakte_ha if t8["grondslag"] == "kostenverhaalsgebied" else openbaar
    g["deelgebieden"] = deelgebieden_tabel8(basis, aandeel, t8["ha"], t8["drempel"], t8["per_pp"], t8["max"])
    g["bestekken"] = _bestekken(x, t, g["deelgebieden"])
    g["uitvoeringsweken"] = g["bestekken"] * x.get("weken_per_bestek")
    return g, mult, flags


@dataclass(frozen=True)
class Formule:
    """The dated formulas of one method."""

    tabellen: Callable[[PlankostenParameters, str], dict[str, Any]]
    indicatoren: Callable[[PlanArrays, Tabellen], tuple[FloatArray, dict[str, BoolArray]]]
    factor: Callable[[FloatArray, BoolArray], FloatArray]
    grondslagen: Callable[[PlanArrays, Tabellen, FloatArray], tuple[dict[str, FloatArray], dict[str, FloatArray], dict[str, BoolArray]]]
    algemene_factor: Callable[[FloatArray, Tabellen], FloatArray]
    """The factor that sets the historische looptijd (art. 13.3) and the assistant threshold."""


def _algemeen_2024(ind: ArrayLike, t: Tabellen) -> FloatArray:
    members = t.tabel["factoren"]["algemeen"]
    return complexiteitsfactor_2024_01(ind, members[None, :])[..., 0]


# ------------------------------------------------------------------------------------------------ method 2026_07
@rule("Invloedsfactoren per indicator (2026)", formule="I ligging; II aandeel herverkaveld; III bekrachtigingen; IV functiecombinaties (som, max 10%); V onderzoeken (som, max 10%); VI woningequivalenten per ha",
      bron="Omgevingsregeling bijlage XXXIV/XXXIVa, tabel 4 (versie 1 juli 2026)")
def indicatoren_2026_07(x: PlanArrays, t: Tabellen) -> tuple[FloatArray, dict[str, BoolArray]]:
    """Opslag (percent) of each invloedsfactor I–VI. [% (B, 6)]"""
    f = t.tabel["factoren"]
    i1 = f["ligging"][x.ligging]
    her = np.where(x.herstructurering, x.herverkaveld, 0.0)
    i2 = np.where(her > 0, f["herverkaveling_opslag"][band(her * 100.0, f["herverkaveling_vanaf"])], 0.0)
    verw = f["verwerving"]
    i3 = verw[np.clip(x.bekrachtigingen.astype(int), 0, len(verw) - 1)]
    present = np.concatenate([(x.woningen > 0)[..., None], (x.bvo_m2 > 0) | (x.uitgeefbaar_m2 > 0)], axis=-1)
    combi = present.sum(axis=-1) >= 2
    i4 = np.where(combi, np.minimum((present * f["programma"]).sum(axis=-1), f["programma_maximum"]), 0.0)
    i5 = np.minimum(np.where(x.onderzoeken, f["onderzoeken"], 0.0).sum(axis=-1), f["onderzoeken_maximum"])
    weq = woonequivalenten(x.woningen, x.bvo_m2, x.uitgeefbaar_m2, f["weq_m2"], f["weq_grondslag"])
    bruto = np.divide(weq, x.oppervlakte_ha, out=np.zeros_like(weq), where=x.oppervlakte_ha > 0)
    netto = np.divide(weq, x.uitgeefbaar_ha, out=np.zeros_like(weq), where=x.uitgeefbaar_ha > 0)
    i6 = f["dichtheid_opslag"][band(bruto, f["dichtheid_vanaf"])]
    flags = {
        "woningdichtheid": band(bruto, f["dichtheid_vanaf"]) != band(netto, f["dichtheid_vanaf"]),
        "woonequivalent-bedrijven": x.uitgeefbaar_m2[..., 0] > 0,
    }
    return np.stack([i1, i2, i3, i4, i5, i6], axis=-1).astype(np.float64), flags


@rule("Invloedsfactoren (som)", formule="som van de opslagen van de invloedsfactoren die de rij noemt",
      bron="art. 13.2 leden 2 en 3 Omgevingsregeling (vanaf 1 juli 2026); bijlage XXXIV/XXXIVa tabel 4")
def invloedsfactor_2026_07(indicatoren, leden) -> FloatArray:
    """Factor per row: the sum of the percentages of the invloedsfactoren the row names. [fraction (B, R)]"""
    return np.asarray(indicatoren, dtype=np.float64) @ np.asarray(leden, dtype=np.float64).T / 100.0


def _algemeen_2026(ind: ArrayLike, t: Tabellen) -> FloatArray:
    members = np.array([x in ("I", "II", "III", "IV", "V") for x in INDICATOREN])
    return invloedsfactor_2026_07(ind, members[None, :])[..., 0]


def _tabellen_2026_07(params: PlankostenParameters, bijlage: str) -> dict[str, Any]:
    bij = params.bijlage(bijlage)
    f = bij.factoren
    assert isinstance(f, Factoren2026)
    out: dict[str, Any] = {
        **_tabel2(bij),
        "factoren": {
            "ligging": np.array([f.ligging[k] for k in LIGGING]),  # type: ignore[index]
            "herverkaveling_vanaf": np.array([b.vanaf for b in f.type_opgave]),
            "herverkaveling_opslag": np.array([b.opslag for b in f.type_opgave]),
            "verwerving": np.array(f.verwerving, dtype=np.float64),
            "programma": np.array([f.programma["woningbouw"], f.programma["bedrijvigheid"], f.programma["commercieel"], f.programma["maatschappelijk"]]),
            "programma_maximum": f.programma["maximum"],
            "onderzoeken": np.array([f.onderzoeken[k] for k in ONDERZOEKEN]),  # type: ignore[index]
            "onderzoeken_maximum": f.onderzoeken["maximum"],
            "dichtheid_vanaf": np.array([b.vanaf for b in f.woon_werkmilieu]),
            "dichtheid_opslag": np.array([b.opslag for b in f.woon_werkmilieu]),
            "weq_m2": f.woonequivalent_m2, "weq_grondslag": f.woonequivalent_grondslag,
        },
    }
    out.update(_common_tables(params, bijlage))
    tb = bij.tabellen_2026 or {}
    for key, tab in tb.items():
        cols_ = [k for k in tab.banden[0] if k not in ("vanaf", "label")]
        out[key] = {"vanaf": np.array([float(b["vanaf"]) for b in tab.banden]),
                    **{c: np.array([float(b[c]) if b[c] is not None else np.nan for b in tab.banden]) for c in cols_},
                    **tab.constanten}
    return out


def _lookup(t: Tabellen, tabel: str, kolom: str, waarde) -> FloatArray:
    tab = t.tabel[tabel]
    return tab[kolom][band(waarde, tab["vanaf"])]


@rule("Grondslagen (2026)", formule="als 2024, plus weken (tabel 8) × uren per week (tabel 9), uren per woonfunctie (tabel 10), deelgebieden (tabel 11, 7), uren per jaar (tabel 12–14), uitvoeringstijd (tabel 15)",
      bron="Omgevingsregeling bijlage XXXIV/XXXIVa (versie 1 juli 2026), tabel 1, 2, 5–15")
def grondslagen_2026_07(x: PlanArrays, t: Tabellen, cf: FloatArray) -> tuple[dict[str, FloatArray], dict[str, FloatArray], dict[str, BoolArray]]:
    g, mult, flags = _common_grondslagen(x, t, cf)
    f = t.tabel["factoren"]
    weq = woonequivalenten(x.woningen, x.bvo_m2, x.uitgeefbaar_m2, f["weq_m2"], f["weq_grondslag"])
    for kolom, key in (("omgevingsplan", "weken_omgevingsplan"), ("stedenbouwkundig_plan", "weken_stedenbouwkundig_plan"),
                       ("beeldkwaliteitsplan", "weken_beeldkwaliteitsplan"), ("inrichtingsplan", "weken_inrichtingsplan")):
        g[key] = _lookup(t, "tabel_8", kolom, weq)
    n = x.woningen.astype(np.float64)
    g["woonfunctie_uren_stedenbouwkundig_plan"] = n * _lookup(t, "tabel_10", "stedenbouwkundig_plan", n)
    g["woonfunctie_uren_beeldkwaliteitsplan"] = n * _lookup(t, "tabel_10", "beeldkwaliteitsplan", n)
    ha = x.oppervlakte_ha.astype(np.float64)
    vast = _lookup(t, "tabel_11", "deelgebieden", ha)
    per = _lookup(t, "tabel_11", "hectare_per_deelgebied", ha)
    basis = np.where(np.isnan(vast), np.divide(ha, per, out=np.zeros_like(ha), where=per > 0), np.nan_to_num(vast))
    openbaar = np.maximum(x.oppervlakte_ha - x.uitgeefbaar_ha, 0.0)
    aandeel = np.divide(openbaar, x.oppervlakte_ha, out=np.zeros_like(openbaar), where=x.oppervlakte_ha > 0)
    t7 = t.tabel["tabel_7"]
    drempel = t7["drempel"] / 100.0
    ratio = aandeel / drempel * 100.0
    factor = np.where(aandeel > drempel, t7["factor"][band(ratio, t7["vanaf"])], 1.0)
    g["deelgebieden"] = basis * factor
    g["bestekken"] = _bestekken(x, t, g["deelgebieden"])
    maanden = _lookup(t, "tabel_15", "maanden", ha)
    weken_per_maand = t.tabel["tabel_15"]["weken_per_maand"]
    g["uitvoeringsweken"] = maanden * weken_per_maand
    for key, tab, kolom in (("uren_pm_verantwoording", "tabel_12", "projectmanagement"), ("uren_pma_verantwoording", "tabel_12", "projectmanagementassistentie"),
                            ("uren_planeconomie_verantwoording", "tabel_13", "planeconomie"), ("uren_pm_aansturing", "tabel_14", "projectmanagement"),
                            ("uren_pma_aansturing", "tabel_14", "projectmanagementassistentie"), ("uren_planeconomie_aansturing", "tabel_14", "planeconomie"),
                            ("uren_stedenbouw_aansturing", "tabel_14", "stedenbouw"), ("uren_civiel_aansturing", "tabel_14", "civiele_techniek")):
        per_jaar = _lookup(t, tab, kolom, ha)
        jaren = g["looptijd"] if "verantwoording" in key else x.get("looptijd_jaren")
        if key == "uren_pma_verantwoording":
            jaren = g["looptijd_assistent"]
        g[key] = per_jaar * jaren
    flags["uitvoeringstijd-2026"] = x.get("weken_per_bestek") > -1  # every plan with 2.3d uses tabel 15
    flags["woonfunctie-staffel-2026"] = op_grens(n, t.tabel["tabel_10"]["vanaf"]) | (n > 0)
    return g, mult, flags


FORMULES: dict[str, Formule] = {
    "2024_01": Formule(_tabellen_2024_01, indicatoren_2024_01, complexiteitsfactor_2024_01, grondslagen_2024_01, _algemeen_2024),
    "2026_07": Formule(_tabellen_2026_07, indicatoren_2026_07, invloedsfactor_2026_07, grondslagen_2026_07, _algemeen_2026),
}
"""The dated formulas per method (the parameter file's ``methode``), OpenFisca's ``formula_YYYY_MM``."""


# ------------------------------------------------------------------------------------------------ tabel 1
@rule("Uren per onderdeel", formule="grondslag × uren per eenheid × verrekenfactoren, of percentage × uren van andere onderdelen, of aanvulling tot een minimum",
      bron="art. 13.2 lid 1 Omgevingsregeling; bijlage XXXIV/XXXIVa, tabel 1 ('aantal x percentage x uurtarief')")
def uren(t: Tabellen, grondslagen: FloatArray, mult: FloatArray) -> FloatArray:
    """Hours of every row of tabel 1 for every plan (before the choice of products). [uur (B, R)]"""
    R = len(t.row_ids)
    q = np.where(t.grondslag >= 0, grondslagen[..., np.maximum(t.grondslag, 0)], 1.0)  # (B, R)
    m = np.where(t.vermenigvuldigers, mult[..., None, :], 1.0).prod(axis=-1)  # (B, R)
    direct_kind = np.isin(t.soort, (ROW_KINDS.index("uren"), ROW_KINDS.index("percentage_grondslag")))
    h = np.where(direct_kind, q * t.waarde * m, 0.0)
    is_min = t.soort == ROW_KINDS.index("minimum_uren")
    if is_min.any():
        s = h @ t.van.T  # hours of the referenced (direct) rows
        h = np.where(is_min, np.where(s > 0, np.maximum(t.waarde - s, 0.0), 0.0) * m, h)
    is_pct = t.soort == ROW_KINDS.index("percentage_uren")
    scale = np.where(is_pct, t.waarde * q * m, 0.0)  # pct × optional grondslag (hertaxaties) × factors
    for _ in range(t.diepte if is_pct.any() else 0):  # percentage rows form a nilpotent system: exact after `diepte` steps
        h = np.where(is_pct, (h @ t.van.T) * scale, h)
    assert h.shape[-1] == R
    return h


@rule("Vaste bedragen per onderdeel", formule="max(grondslag × bedrag; minimum) × verrekenfactoren, bedrag uit tabel 7, of percentage van andere bedragen (met minimum)",
      bron="Omgevingsregeling bijlage XXXIV/XXXIVa, tabel 1 ('vaste prijs exclusief btw') en tabel 7")
def vaste_bedragen(t: Tabellen, grondslagen: FloatArray, mult: FloatArray) -> FloatArray:
    """Fixed amounts of every row (0 for hour rows). [EUR (B, R)]"""
    q = np.where(t.grondslag >= 0, grondslagen[..., np.maximum(t.grondslag, 0)], 0.0)
    m = np.where(t.vermenigvuldigers, mult[..., None, :], 1.0).prod(axis=-1)
    tabel_min = np.where(t.minimum_uit >= 0, grondslagen[..., np.maximum(t.minimum_uit, 0)], 0.0)
    bedrag = t.soort == ROW_KINDS.index("bedrag")
    uit = t.soort == ROW_KINDS.index("euro_uit")
    e = np.where(bedrag, np.where(q > 0, np.maximum(q * t.waarde, t.minimum), 0.0) * m, 0.0)
    e = np.where(uit, np.where(q > 0, np.maximum(np.maximum(q, t.minimum), tabel_min), 0.0) * m, e)
    own_min = np.where(bedrag | uit, np.maximum(t.minimum, tabel_min), 0.0)  # (B, R) minimum of each amount row
    is_pct = t.soort == ROW_KINDS.index("percentage_bedrag")
    if is_pct.any():
        pct_min = np.where(t.minimum_percentage > 0, t.minimum_percentage * (own_min @ t.van_bedrag.T), t.minimum)
        for _ in range(t.diepte):
            base = (e @ t.van_bedrag.T) * t.waarde
            e = np.where(is_pct, np.where(base > 0, np.maximum(base, pct_min), 0.0) * m, e)
    return e


def actief(t: Tabellen, x: PlanArrays) -> BoolArray:
    """Rows of the products chosen; under art. 13.5 (kleine bouwactiviteit) only the products it adds on top. [bool (B, R)]"""
    chosen = np.asarray(x.producten, dtype=bool)[..., t.product]
    small = (x.kleine_bouwactiviteit >= 0)[..., None]
    return chosen & (~small | t.uitgezonderd_13_5[t.product])


@rule("Vast bedrag kleine bouwactiviteiten", formule="bedrag van art. 13.5 lid 1 onder a, b of c",
      bron="art. 13.5 Omgevingsregeling")
def vast_bedrag_kleine_bouwactiviteit(categorie, bedragen) -> FloatArray:
    """The fixed maximum for a small building activity (0 when the plan is not one). [EUR (B,)]"""
    c = np.asarray(categorie)
    return np.where(c >= 0, np.asarray(bedragen, dtype=np.float64)[np.maximum(c, 0)], 0.0)


@rule("Maximaal verhaalbare plankosten", formule="Σ onderdelen (uren × tarief + vaste bedragen) × (1 + factor) + vast bedrag art. 13.5",
      bron="art. 13.2 lid 1 en 2, art. 13.5 Omgevingsregeling; bijlage XXXIV (met tijdvak) of XXXIVa (zonder tijdvak)")
def calculate(x: PlanArrays, t: Tabellen) -> PlankostenOutcome:
    """The maximum plankosten of every plan, per row, per product and in total, with every intermediate table."""
    form = FORMULES[t.methode]
    ind, flags = form.indicatoren(x, t)
    cf = form.algemene_factor(ind, t)
    g, mult, more = form.grondslagen(x, t, cf)
    flags.update(more)
    q = np.stack([g[k] for k in t.grondslagen], axis=-1)
    mv = np.stack([mult[k] for k in MULT_NAMES], axis=-1)
    h = uren(t, q, mv)
    e = vaste_bedragen(t, q, mv)
    basis = h * t.tarief + e
    f = form.factor(ind, t.factor)
    a = actief(t, x)
    amount = basis * (1.0 + f) * a
    onehot = np.zeros((len(t.row_ids), len(t.producten)))
    onehot[np.arange(len(t.row_ids)), t.product] = 1.0
    per_product = amount @ onehot
    vast = vast_bedrag_kleine_bouwactiviteit(x.kleine_bouwactiviteit, t.kleine_bouwactiviteit)
    factors = {"algemeen": cf}
    if t.methode == "2024_01":
        st = np.array([x_ in ("I", "II", "V", "VI") for x_ in INDICATOREN])
        factors["stedenbouw"] = complexiteitsfactor_2024_01(ind, st[None, :])[..., 0]
    return PlankostenOutcome(
        indicatoren=ind, factoren=factors, grondslagen=q, vermenigvuldigers=mv, uren=h, bedrag_basis=basis, factor=f,
        actief=a, bedrag=amount, per_product=per_product, vast_bedrag=vast, totaal=per_product.sum(axis=-1) + vast, vlaggen=flags,
    )


def interpretaties_gebruikt(t: Tabellen, out: PlankostenOutcome, row_interpretaties: list[list[str]]) -> dict[str, BoolArray]:
    """Per interpretation id, the plans for which it mattered: a row naming it contributes an amount (and, for a
    reading that only matters in some cases, the engine flagged that case). [bool (B,) per id]"""
    used: dict[str, BoolArray] = {}
    nonzero = out.actief & (np.abs(out.bedrag) > 0)
    for j, ids in enumerate(row_interpretaties):
        for ident in ids:
            hit = nonzero[..., j]
            if ident in out.vlaggen:
                hit = hit & out.vlaggen[ident]
            used[ident] = used.get(ident, np.zeros_like(hit)) | hit
    for ident, flag in out.vlaggen.items():
        if ident not in used:
            used[ident] = np.asarray(flag, dtype=bool) & (out.totaal > 0)
    return used


__all__ = [
    "FORMULES", "FUNCTIES", "INVOER", "LIGGING", "ONDERZOEKEN", "PlanArrays", "PlankostenOutcome", "Tabellen",
    "calculate", "compile_tabellen", "interpretaties_gebruikt",
]
