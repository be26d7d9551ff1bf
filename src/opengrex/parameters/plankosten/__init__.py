"""Plankosten: the Omgevingsregeling's tables for the maximum recoverable plankosten, as dated parameter files.

One file per version, named after the date it comes into force::

    src/opengrex/parameters/plankosten/<JJJJ-MM-DD>.yaml

:func:`load_plankosten_parameters` returns the version in force at a peildatum (the latest file dated on or before
it); adding next year's indexed tariffs is adding a file. Each file holds, for both annexes (XXXIV: kostenverhaal
met tijdvak; XXXIVa: zonder tijdvak), tabel 1 as rows (product, onderdeel, grondslag, hours or percentage or
amount, tariefgroep, complexity/invloedsfactoren) and the lookup tables 2–8 (2026: 2–15), plus the article amounts
(13.3, 13.4, 13.5, 13.8) and the tariffs (tabel 3). Every table and row carries its ``bron`` (table and row) within
the document and version named in ``metadata.reference``.

``methode`` selects the dated formulas in :mod:`opengrex.engine.plankosten` (``2024_01``: complexiteitsfactoren as
the average of the indicators, art. 13.2 lid 3 until mid-2026; ``2026_07``: invloedsfactoren summed).

The loader is strict (OpenFisca style): a key twice, an impossible date, an unknown field, a row referring to a
later or unknown row, an unknown tariefgroep, grondslag or interpretation, or a file name that differs from
``geldig_vanaf`` is an :class:`~opengrex.errors.InputError` naming the file, the line and the field.

References
----------
.. [1] Omgevingsregeling (BWBR0045528), hoofdstuk 13 en bijlagen XXXIV en XXXIVa; see each file's metadata.
.. [2] OpenFisca parameters: dated values, each with a reference; one bad fixture per loader error.
"""
from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from opengrex.errors import InputError
from opengrex.parameters.loader import read_yaml

__all__ = [
    "BIJLAGEN",
    "GRONDSLAGEN",
    "INDICATOREN",
    "METHODEN",
    "VERMENIGVULDIGERS",
    "PlankostenParameters",
    "Rij",
    "load_plankosten_file",
    "load_plankosten_parameters",
    "plankosten_dir",
    "plankosten_versies",
]

BIJLAGEN: tuple[str, ...] = ("XXXIV", "XXXIVa")
"""XXXIV: kostenverhaal met tijdvak; XXXIVa: kostenverhaal zonder tijdvak (art. 13.2 lid 1)."""
INDICATOREN: tuple[str, ...] = ("I", "II", "III", "IV", "V", "VI")
"""Ligging, type opgave, verwervingssituatie, (ruimtelijk) programma, onderzoeken, woon-werkmilieu (tabel 4/5)."""
METHODEN: tuple[str, ...] = ("2024_01", "2026_07")

_COMMON = (
    "per_gebied", "oppervlakte_ha", "tabel2_kolom2", "tabel2_kolom3", "tabel2_kolom4", "tabel2_kolom5",
    "woonfuncties", "gebouwen_met_woonfunctie", "grond_niet_wonen_100m2", "niet_wonen_100m2", "maatschappelijke_functies",
    "scenario_uren", "taxatie_onafhankelijk", "taxatie_onafhankelijk_onbebouwd", "taxatie_onafhankelijk_bebouwd",
    "taxatie_woz_onbebouwd", "taxatie_woz_bebouwd", "hertaxaties", "aankoop_onbebouwd", "aankoop_woning",
    "aankoop_huur_pacht", "aankoop_bedrijfsgebouw", "aankoop_bijzonder_object", "aankoop_bedrijfsgebouw_herstructurering",
    "aankoop_bijzonder_object_herstructurering", "aankoop_herstructurering", "onteigening_administratief",
    "onteigening_gerechtelijk", "verharding_100m2", "groen_water_100m2", "sloop_bestekken", "sloop_weken", "ophoog_ha",
    "ophoog_weken", "ophoog_bestek", "ophoog_rapportage", "ophoog_bestek_minimum", "ophoog_rapportage_minimum",
    "deelgebieden", "bestekken", "uitvoeringsweken", "looptijd", "looptijd_assistent",
)
GRONDSLAGEN: dict[str, tuple[str, ...]] = {
    "2024_01": _COMMON,
    "2026_07": _COMMON + (
        "weken_omgevingsplan", "weken_stedenbouwkundig_plan", "weken_beeldkwaliteitsplan", "weken_inrichtingsplan",
        "woonfunctie_uren_stedenbouwkundig_plan", "woonfunctie_uren_beeldkwaliteitsplan", "uren_pm_verantwoording",
        "uren_pma_verantwoording", "uren_planeconomie_verantwoording", "uren_pm_aansturing", "uren_pma_aansturing",
        "uren_planeconomie_aansturing", "uren_stedenbouw_aansturing", "uren_civiel_aansturing",
    ),
}
"""The quantities (per plan) a row of tabel 1 may be based on, per method; computed by the method's dated
``grondslagen`` formula in :mod:`opengrex.engine.plankosten` (a test checks both lists agree)."""
VERMENIGVULDIGERS: tuple[str, ...] = ("aanbestedingsvorm", "sloop_type", "sloop_asbest", "zettingsjaren")
"""Factors a row's hours or amount are multiplied by (tabel 6 verrekenfactoren; years of settlement monitoring)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Verwijzing(_Frozen):
    """Document and version the values were read in."""

    title: str
    href: str | None = None
    spiegel: str | None = None


class Metadata(_Frozen):
    unit: str
    reference: Verwijzing
    tarieven_geldig_tot: dt.date | None = None
    """The end of the tariff period stated in tabel 3's heading (exclusive), if any."""
    tarieven_geldigheid_bron: str | None = None
    waarschuwing: str | None = None
    """A caveat about the whole version, shown with every calculation under it."""


class HistorischeLooptijd(_Frozen):
    bron: str
    twee_jaar_tot_en_met: float
    vier_jaar_vanaf: float
    jaren: tuple[float, float, float]


class KleineBouwactiviteiten(_Frozen):
    bron: str
    bedragen: dict[Literal["a", "b", "c"], float]
    omschrijving: dict[Literal["a", "b", "c"], str]
    uitgezonderd: dict[Literal["XXXIV", "XXXIVa"], list[str]]


class EvenredigeToedeling(_Frozen):
    bron: str
    producten: dict[Literal["XXXIV", "XXXIVa"], list[str]]


class Zelfrealisatie(_Frozen):
    bron: str
    maximum: dict[str, float]


class Artikelen(_Frozen):
    historische_looptijd: HistorischeLooptijd
    kleine_bouwactiviteiten: KleineBouwactiviteiten
    evenredige_toedeling: EvenredigeToedeling
    zelfrealisatie: Zelfrealisatie


class Tariefgroep(_Frozen):
    groep: str
    deskundigheid: str
    euro_per_uur: float = Field(gt=0)
    schaal: int | None = None


class Tarieven(_Frozen):
    bron: str
    groepen: list[Tariefgroep]


class Interpretatie(_Frozen):
    """A reading the text does not settle: the question, the reading implemented and the alternative.
    ``geverifieerd: false``: unresolved; a calculation that uses it warns."""

    id: str
    vraag: str
    gekozen: str
    alternatief: str
    geverifieerd: bool
    onderbouwing: str | None = None


class Product(_Frozen):
    naam: str
    hoofdstuk: str
    invoer: list[str] = Field(default_factory=list)


class Rij(_Frozen):
    """One row (onderdeel) of tabel 1. Exactly one way to compute it:

    * ``uren`` per unit of ``grondslag`` (hours = grondslag × uren);
    * ``percentage`` of ``grondslag`` (hours = grondslag × percentage / 100, e.g. 7,5% of tabel 2);
    * ``percentage`` of the hours of the rows in ``van`` (× ``grondslag`` when given, e.g. hertaxaties);
    * ``minimum_uren``: top-up to a minimum number of hours over the rows in ``van``;
    * ``bedrag`` per unit of ``grondslag`` [EUR], at least ``minimum`` when the grondslag is positive;
    * ``euro_uit``: an amount [EUR] taken from a lookup table (tabel 7), at least ``minimum``/``minimum_uit``;
    * ``percentage`` of the amounts of the rows in ``van_bedrag``, at least ``minimum`` or ``minimum_percentage`` of
      their minimums.
    """

    id: str
    product: str
    onderdeel: str
    grondslag: str | None = None
    uren: float | None = Field(default=None, ge=0)
    percentage: float | None = Field(default=None, ge=0)
    bedrag: float | None = Field(default=None, ge=0)
    euro_uit: str | None = None
    minimum_uit: str | None = None
    van: list[str] | None = None
    van_bedrag: list[str] | None = None
    minimum: float | None = Field(default=None, ge=0)
    minimum_percentage: float | None = Field(default=None, ge=0)
    minimum_uren: float | None = Field(default=None, ge=0)
    tariefgroep: str | list[str] | None = None
    factor: str | list[str] = "geen"
    vermenigvuldigers: list[str] = Field(default_factory=list)
    interpretaties: list[str] = Field(default_factory=list)
    bron: str

    @property
    def soort(self) -> str:
        """``uren``, ``percentage_grondslag``, ``percentage_uren``, ``minimum_uren``, ``bedrag``, ``euro_uit`` or
        ``percentage_bedrag``."""
        if self.minimum_uren is not None:
            return "minimum_uren"
        if self.van_bedrag is not None:
            return "percentage_bedrag"
        if self.euro_uit is not None:
            return "euro_uit"
        if self.bedrag is not None:
            return "bedrag"
        if self.van is not None:
            return "percentage_uren"
        if self.percentage is not None:
            return "percentage_grondslag"
        return "uren"

    @property
    def tariefgroepen(self) -> list[str]:
        if self.tariefgroep is None:
            return []
        return [self.tariefgroep] if isinstance(self.tariefgroep, str) else list(self.tariefgroep)

    @model_validator(mode="after")
    def _one_way(self) -> Rij:
        ways = {
            "uren": self.uren is not None,
            "percentage": self.percentage is not None and self.van_bedrag is None,
            "bedrag": self.bedrag is not None,
            "euro_uit": self.euro_uit is not None,
            "minimum_uren": self.minimum_uren is not None,
            "van_bedrag": self.van_bedrag is not None,
        }
        given = [k for k, v in ways.items() if v]
        if len(given) != 1:
            raise ValueError(f"rij {self.id}: geef precies één rekenwijze (uren, percentage, bedrag, euro_uit, minimum_uren of van_bedrag + percentage), gegeven: {', '.join(given) or 'geen'}")
        soort = self.soort
        if soort in ("uren", "percentage_grondslag", "bedrag") and self.grondslag is None:
            raise ValueError(f"rij {self.id}: '{soort}' vraagt een grondslag")
        if soort in ("percentage_uren", "minimum_uren") and not self.van:
            raise ValueError(f"rij {self.id}: '{soort}' vraagt 'van' (de rijen waarover gerekend wordt)")
        if soort == "percentage_bedrag" and self.percentage is None:
            raise ValueError(f"rij {self.id}: 'van_bedrag' vraagt een percentage")
        hours = soort in ("uren", "percentage_grondslag", "percentage_uren", "minimum_uren")
        if hours and not self.tariefgroepen:
            raise ValueError(f"rij {self.id}: een rij met uren vraagt een tariefgroep")
        if not hours and self.tariefgroep is not None:
            raise ValueError(f"rij {self.id}: een rij met een bedrag heeft geen tariefgroep")
        if (self.minimum is not None or self.minimum_percentage is not None or self.minimum_uit is not None) and hours:
            raise ValueError(f"rij {self.id}: een minimumbedrag hoort bij een rij met een bedrag")
        return self


class Band(_Frozen):
    vanaf: float = Field(ge=0)
    label: str


class Tabel2Band(Band):
    uren: dict[str, float]


class Tabel2(_Frozen):
    bron: str
    kolommen: dict[str, str]
    banden: list[Tabel2Band]


class ScenarioBand(Band):
    met_stedenbouwkundig_plan: float
    zonder_stedenbouwkundig_plan: float


class Scenario(_Frozen):
    bron: str
    banden: list[ScenarioBand]


class DichtheidBand(Band):
    opslag: float


class Factoren2024(_Frozen):
    """Tabel 4 (indicators per complexiteitsfactor) and tabel 5 (opslagpercentages), method 2024_01."""

    bron: str
    tabel_4: dict[str, list[Literal["I", "II", "III", "IV", "V", "VI"]]]
    ligging: dict[Literal["uitleglocatie", "uitbreidingslocatie", "inbreidingslocatie", "binnenstedelijke_locatie", "historische_locatie"], float]
    type_opgave: dict[Literal["geen_herstructurering", "herstructurering"], float]
    verwerving: dict[Literal["per_bekrachtigingsprocedure", "maximum"], float]
    programma: dict[Literal["alleen_bedrijvigheid", "alleen_woningbouw", "commercieel", "maatschappelijk", "combinatie"], float]
    onderzoeken: dict[Literal["mer", "luchtkwaliteit", "archeologie", "bodemsanering"], float]
    woon_werkmilieu: list[DichtheidBand]
    woonequivalent_m2: float = Field(gt=0)
    woonequivalent_bron: str
    woonequivalent_grondslag: Literal["bvo", "bvo_of_uitgeefbaar"]


class HerverkavelingBand(Band):
    opslag: float


class Factoren2026(_Frozen):
    """Tabel 4 (invloedsfactoren, summed), method 2026_07."""

    bron: str
    ligging: dict[Literal["uitleglocatie", "uitbreidingslocatie", "inbreidingslocatie", "binnenstedelijke_locatie", "historische_locatie"], float]
    type_opgave: list[HerverkavelingBand]
    verwerving: list[float]
    """Opslag for 0, 1, 2, … bekrachtigingsprocedures; the last value holds for more."""
    programma: dict[Literal["woningbouw", "bedrijvigheid", "commercieel", "maatschappelijk", "maximum"], float]
    onderzoeken: dict[Literal["mer", "luchtkwaliteit", "archeologie", "bodemsanering", "maximum"], float]
    woon_werkmilieu: list[DichtheidBand]
    woonequivalent_m2: float = Field(gt=0)
    woonequivalent_bron: str
    woonequivalent_grondslag: Literal["bvo", "bvo_of_uitgeefbaar"]


class Civiel(_Frozen):
    """Rules in the nadere bepalingen of 2.6 (2026: 2.3) and tabel 6 (2026: tabel 5)."""

    bron: str
    sloop_uren_per_m3: dict[Literal["uren", "per_m3", "uren_per_werkweek"], float]
    ophoog_m3_per_week: float = Field(gt=0)
    bestekken_per_deelgebied: dict[Literal["uitleg_uitbreiding", "overig"], float]
    bestekken_per_deelgebied_herstructurering: float | None = None
    weken_per_bestek: float | None = None
    weken_per_bestek_bodemsanering: float | None = None
    aanbestedingsvorm: dict[Literal["openbaar", "europees"], float]
    aanbestedingsvorm_bron: str
    sloop_type_factor: float
    sloop_asbest_afronden: bool
    sloop_bron: str


class GeldBand(_Frozen):
    minimum: float = Field(ge=0)
    maximum: float = Field(ge=0)
    per_ha: float = Field(ge=0)


class Tabel7Band(_Frozen):
    groter_dan: float = Field(ge=0)
    label: str
    bestek: GeldBand
    rapportage: GeldBand


class Ophogen(_Frozen):
    """Bestek and rapportage of ophogen en voorbelasten by area band (tabel 7; 2026: tabel 6)."""

    bron: str
    banden: list[Tabel7Band]


class Tabel8(_Frozen):
    """Kostenverhaalsdeelgebieden: the norm and the factor for a large share of openbaar gebied."""

    bron: str
    hectare_per_deelgebied: float = Field(gt=0)
    grondslag: Literal["kostenverhaalsgebied", "openbaar_gebied"]
    openbaar_gebied_drempel: float
    factor_per_procentpunt: float
    factor_maximum: float


class Tabel2026(_Frozen):
    """A banded lookup table of the 2026 annexes (tabellen 7–15): bands with one or more named values."""

    bron: str
    grootheid: str
    banden: list[dict[str, Any]]
    """Each band: ``vanaf`` (lower bound, inclusive), ``label`` and the table's values (``null`` where the cell
    holds another kind of value, e.g. tabel 11: 'deelgebieden' or 'hectare per deelgebied')."""
    constanten: dict[str, float] = Field(default_factory=dict)
    """Numbers stated with the table (tabel 7: the 40% norm) or needed to apply it (tabel 15: weeks per month)."""

    @model_validator(mode="after")
    def _bands(self) -> Tabel2026:
        keys = None
        starts = []
        for b in self.banden:
            if "vanaf" not in b or "label" not in b:
                raise ValueError(f"{self.grootheid}: elke band heeft 'vanaf' en 'label'")
            k = sorted(set(b) - {"vanaf", "label"})
            if keys is not None and k != keys:
                raise ValueError(f"{self.grootheid}: band {b['label']!r} heeft kolommen {k}, verwacht {keys}")
            keys = k
            starts.append(float(b["vanaf"]))
        if not starts or starts[0] != 0 or starts != sorted(starts):
            raise ValueError(f"{self.grootheid}: banden moeten bij 0 beginnen en oplopen")
        return self


class NadereBepalingen(_Frozen):
    """Numbers from the nadere bepalingen of tabel 1 that the engine needs outside a single row."""

    bron: str
    hertaxatie_om_de_jaren: float = Field(gt=0)
    """Rij 2.1 (2026: 2.1a): 'Uitgangspunt is dat één maal per 5 jaar een hertaxatie plaatsvindt.'"""
    assistent_drempel: float
    """Rij 2.7 (2026: 2.4): projectmanagementassistentie 'alleen van toepassing als de complexiteitsfactor hoger is
    dan 130%' [%]."""


class Bijlage(_Frozen):
    titel: str
    producten: dict[str, Product]
    hoofdstukken: dict[str, str]
    tabel_1: list[Rij]
    nadere_bepalingen: NadereBepalingen
    tabel_2: Tabel2
    factoren: Factoren2024 | Factoren2026
    civiel: Civiel
    ophogen: Ophogen
    tabel_8: Tabel8 | None = None
    scenario: Scenario | None = None
    tabellen_2026: dict[str, Tabel2026] | None = None


class PlankostenParameters(_Frozen):
    """One dated version of the plankosten tables (both annexes). Frozen: copy with ``model_copy(update=...)``."""

    description: str
    geldig_vanaf: dt.date
    methode: Literal["2024_01", "2026_07"]
    metadata: Metadata
    artikelen: Artikelen
    tarieven: Tarieven
    interpretaties: list[Interpretatie]
    bijlagen: dict[Literal["XXXIV", "XXXIVa"], Bijlage]

    @model_validator(mode="after")
    def _check(self) -> PlankostenParameters:
        groups = {t.groep: t.euro_per_uur for t in self.tarieven.groepen}
        if len(groups) != len(self.tarieven.groepen):
            raise ValueError("tarieven: een tariefgroep staat er twee keer")
        interp = {i.id: i for i in self.interpretaties}
        if len(interp) != len(self.interpretaties):
            raise ValueError("interpretaties: een id staat er twee keer")
        known = set(GRONDSLAGEN[self.methode])
        for b in BIJLAGEN:
            if b not in self.bijlagen:
                raise ValueError(f"bijlagen: bijlage {b} ontbreekt")
        for name, bij in self.bijlagen.items():
            is_2024 = isinstance(bij.factoren, Factoren2024)
            if is_2024 != (self.methode == "2024_01"):
                raise ValueError(f"bijlagen.{name}.factoren: past niet bij methode {self.methode}")
            if self.methode == "2024_01" and bij.tabel_8 is None:
                raise ValueError(f"bijlagen.{name}.tabel_8: ontbreekt (methode 2024_01)")
            seen: dict[str, int] = {}
            for i, r in enumerate(bij.tabel_1):
                where = f"bijlagen.{name}.tabel_1[{i}] ({r.id})"
                if r.id in seen:
                    raise ValueError(f"{where}: id staat er twee keer")
                if r.product not in bij.producten:
                    raise ValueError(f"{where}: onbekend product {r.product!r}; bekend: {', '.join(bij.producten)}")
                for key in (r.grondslag, r.euro_uit, r.minimum_uit):
                    if key is not None and key not in known:
                        raise ValueError(f"{where}: onbekende grondslag {key!r} voor methode {self.methode}")
                for m in r.vermenigvuldigers:
                    if m not in VERMENIGVULDIGERS:
                        raise ValueError(f"{where}: onbekende vermenigvuldiger {m!r}; bekend: {', '.join(VERMENIGVULDIGERS)}")
                for ref in (r.van or []) + (r.van_bedrag or []):
                    if ref not in seen:
                        raise ValueError(f"{where}: verwijst naar {ref!r}, dat niet eerder in tabel 1 staat")
                for g in r.tariefgroepen:
                    if g not in groups:
                        raise ValueError(f"{where}: onbekende tariefgroep {g!r}; bekend: {', '.join(groups)}")
                for x in r.interpretaties:
                    if x not in interp:
                        raise ValueError(f"{where}: onbekende interpretatie {x!r}")
                rates = {groups[g] for g in r.tariefgroepen}
                if len(rates) > 1 and all(interp[x].geverifieerd for x in r.interpretaties):
                    raise ValueError(f"{where}: tariefgroepen {', '.join(r.tariefgroepen)} hebben verschillende tarieven; "
                                     "noem een niet-geverifieerde interpretatie voor de verdeling")
                if isinstance(r.factor, str):
                    if r.factor != "geen" and (not is_2024 or r.factor not in bij.factoren.tabel_4):  # type: ignore[union-attr]
                        raise ValueError(f"{where}: onbekende factor {r.factor!r}")
                elif any(x not in INDICATOREN for x in r.factor):
                    raise ValueError(f"{where}: onbekende invloedsfactor in {r.factor}; bekend: {', '.join(INDICATOREN)}")
                seen[r.id] = i
            art = self.artikelen
            for code in art.kleine_bouwactiviteiten.uitgezonderd.get(name, []) + art.evenredige_toedeling.producten.get(name, []):
                if code not in bij.producten:
                    raise ValueError(f"artikelen: product {code!r} staat niet in bijlage {name}")
            for band_list, label in ((bij.tabel_2.banden, "tabel_2"), (bij.scenario.banden if bij.scenario else [], "scenario")):
                starts = [b.vanaf for b in band_list]
                if starts and (starts[0] != 0 or starts != sorted(starts) or len(set(starts)) != len(starts)):
                    raise ValueError(f"bijlagen.{name}.{label}: banden moeten bij 0 beginnen en oplopen")
            for band in bij.tabel_2.banden:
                if set(band.uren) != set(bij.tabel_2.kolommen):
                    raise ValueError(f"bijlagen.{name}.tabel_2: band {band.label!r} heeft kolommen {sorted(band.uren)}, verwacht {sorted(bij.tabel_2.kolommen)}")
        return self

    # ------------------------------------------------------------------ lookups
    def interpretatie(self, ident: str) -> Interpretatie:
        for i in self.interpretaties:
            if i.id == ident:
                return i
        raise KeyError(ident)

    def tarief(self, groep: str) -> Tariefgroep:
        for t in self.tarieven.groepen:
            if t.groep == groep:
                return t
        raise InputError("onbekende tariefgroep", field="tariefgroep", value=groep, allowed=", ".join(t.groep for t in self.tarieven.groepen))

    def bijlage(self, naam: str) -> Bijlage:
        if naam not in self.bijlagen:
            raise InputError("onbekende bijlage", field="bijlage", value=naam, allowed=", ".join(BIJLAGEN))
        return self.bijlagen[naam]

    @property
    def bron(self) -> str:
        """The document and version, for citations: ``Omgevingsregeling ..., versie 1 januari 2024``."""
        return self.metadata.reference.title

    @property
    def label(self) -> str:
        return f"plankosten {self.geldig_vanaf.isoformat()} ({self.bron})"


# ---------------------------------------------------------------------------------------------- files
def plankosten_dir() -> Path:
    """The folder of the shipped plankosten parameter files."""
    return Path(__file__).resolve().parent


def _folders() -> list[Path]:
    extra = [Path(p) / "plankosten" for p in os.environ.get("OPENGREX_PARAMETERS_PATH", "").split(os.pathsep) if p.strip()]
    return [p for p in extra if p.is_dir()] + [plankosten_dir()]


def plankosten_versies(folder: str | Path | None = None) -> dict[dt.date, Path]:
    """Every version found (date it comes into force -> file), sorted; a file name that is not a date is an error.
    Folders in ``OPENGREX_PARAMETERS_PATH`` (``<pad>/plankosten/``) come first: a date there replaces the shipped one."""
    out: dict[dt.date, Path] = {}
    for base in ([Path(folder)] if folder is not None else _folders()):
        for f in sorted(base.glob("*.yaml")):
            try:
                day = dt.date.fromisoformat(f.stem)
            except ValueError:
                raise InputError("bestandsnaam van een plankosten-parameterbestand moet een datum zijn", location=str(f),
                                 value=f.name, allowed="JJJJ-MM-DD.yaml") from None
            out.setdefault(day, f)
    return dict(sorted(out.items()))


_DUTCH = {
    "missing": "verplicht veld ontbreekt", "extra_forbidden": "onbekend veld", "greater_than": "waarde moet groter zijn dan 0",
    "greater_than_equal": "waarde mag niet negatief zijn", "float_parsing": "geen getal", "float_type": "geen getal",
    "date_from_datetime_parsing": "geen geldige datum", "date_parsing": "geen geldige datum", "literal_error": "ongeldige keuze",
    "string_type": "geen tekst", "bool_parsing": "geen ja/nee-waarde",
}
_ROW = __import__("re").compile(r"^bijlagen\.(XXXIVa?)\.tabel_1\[(\d+)\]")


def _where(path: Path, lines: dict[tuple, int], at: tuple) -> str:
    at = tuple(str(x) if not isinstance(x, int) else x for x in at)
    while at:
        if at in lines:
            return f"{path}, regel {lines[at]}"
        at = at[:-1]
    return str(path)


def _read(path: Path) -> PlankostenParameters:
    from pydantic import ValidationError

    from opengrex.errors import InputErrors

    data, lines = read_yaml(path)  # strict: duplicate keys refused with their line; the line of every key path
    if not isinstance(data, dict):
        raise InputError("het bestand moet een mapping (sleutel: waarde) zijn", location=str(path), value=type(data).__name__)
    try:
        params = PlankostenParameters.model_validate(data)
    except ValidationError as exc:
        errs = []
        for e in exc.errors():
            at = tuple(p for p in e["loc"] if not (isinstance(p, str) and ("[" in p or p.startswith("function-"))))
            msg = _DUTCH.get(e["type"], str(e["msg"]).removeprefix("Value error, "))
            m = _ROW.match(msg) if not at else None
            if m:  # a cross-check of the whole file names its row: point at that row's line
                at = ("bijlagen", m.group(1), "tabel_1", int(m.group(2)))
            value = e.get("input") if e["type"] != "missing" and not isinstance(e.get("input"), (dict, list)) else None
            errs.append(InputError(msg, location=_where(path, lines, at), field=".".join(map(str, at)) or None, value=value, path=at))
        raise InputErrors(errs) from None
    if params.geldig_vanaf.isoformat() != path.stem:
        raise InputError("geldig_vanaf moet gelijk zijn aan de bestandsnaam", location=_where(path, lines, ("geldig_vanaf",)),
                         field="geldig_vanaf", value=params.geldig_vanaf.isoformat(), allowed=path.stem)
    return params


@lru_cache(maxsize=16)
def _cached(path: str, mtime: float) -> PlankostenParameters:
    return _read(Path(path))


def load_plankosten_file(path: str | Path) -> PlankostenParameters:
    """Read and validate one parameter file (cached per file version)."""
    p = Path(path)
    if not p.is_file():
        raise InputError("bestand niet gevonden", location=str(p), value=str(p))
    return _cached(str(p.resolve()), p.stat().st_mtime)


def load_plankosten_parameters(peildatum: dt.date | str | None = None, *, folder: str | Path | None = None) -> PlankostenParameters:
    """The version in force at ``peildatum`` (the latest version if None). A peildatum before the first version is
    an :class:`InputError` on ``peildatum`` listing the versions (the Omgevingswet, and so these tables, apply from
    1 January 2024)."""
    if isinstance(peildatum, str):
        try:
            peildatum = dt.date.fromisoformat(peildatum)
        except ValueError:
            raise InputError("ongeldige datum", field="peildatum", value=peildatum, allowed="JJJJ-MM-DD") from None
    versies = plankosten_versies(folder)
    if not versies:
        raise InputError("geen plankosten-parameterbestanden gevonden", field="peildatum", value=str(folder or plankosten_dir()))
    dates = list(versies)
    if peildatum is None:
        chosen = dates[-1]
    else:
        earlier = [d for d in dates if d <= peildatum]
        if not earlier:
            raise InputError("er is geen versie van de plankostentabellen die op deze peildatum geldt", field="peildatum",
                             value=peildatum.isoformat(),
                             allowed=f"op of na {dates[0].isoformat()} (versies: {', '.join(d.isoformat() for d in dates)})")
        chosen = earlier[-1]
    return load_plankosten_file(versies[chosen])


def versie_op(versie: str | dt.date, *, folder: str | Path | None = None) -> PlankostenParameters:
    """The version that starts exactly on ``versie`` (``2024-10-01``); any other date is an :class:`InputError` on
    ``versie`` listing the versions that exist."""
    versies = plankosten_versies(folder)
    try:
        day = versie if isinstance(versie, dt.date) else dt.date.fromisoformat(str(versie))
    except ValueError:
        day = None
    if day not in versies:
        raise InputError("deze versie van de plankostentabellen bestaat niet", field="versie", value=str(versie),
                         allowed=", ".join(d.isoformat() for d in versies))
    return load_plankosten_file(versies[day])


__all__ += ["versie_op", "Interpretatie", "Bijlage", "Factoren2024", "Factoren2026"]
