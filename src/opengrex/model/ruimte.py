"""Rule sets for the spatial screening "Water en bodem sturend" (WBS) and the layer mapping (``lagen.yaml``).

A *regelset* is dated configuration, one YAML file per version under
``src/opengrex/parameters/ruimte/wbs/<JJJJ-MM-DD>.yaml`` (the date the policy version came into force; a screening
names the version it used and recomputes the same with it). It says, per checkable structurerende keuze, which map
layer is needed, which of the layer's features count (attribute filters), which buffer distance applies and from
which overlap share a location is ``strijdig`` or an ``aandachtspunt`` — each rule with its source.

Shapes: a :class:`Regel` has criteria ordered from the most to the least severe; the first criterion a location
meets decides its verdict for that rule (the engine takes the most severe satisfied criterion, which is the same).
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

OORDELEN: tuple[str, ...] = ("niet getoetst", "geen", "aandachtspunt", "strijdig")
"""Verdicts, least severe first. Engine codes: -1 niet getoetst, 0 geen, 1 aandachtspunt, 2 strijdig."""
CODE: dict[str, int] = {"niet getoetst": -1, "geen": 0, "aandachtspunt": 1, "strijdig": 2}

LAAGNAAM_PATROON = r"^[a-z][a-z0-9_]*$"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bron(_Frozen):
    """Where a rule or threshold comes from: document, section, page and a quote to find it."""

    document: str
    paragraaf: str | None = None
    pagina: int | str | None = None
    citaat: str | None = None
    datum: dt.date | None = None

    def text(self) -> str:
        parts = [self.document]
        if self.paragraaf:
            parts.append(self.paragraaf)
        if self.pagina not in (None, ""):
            parts.append(f"p. {self.pagina}")
        return ", ".join(parts)


class Voorwaarde(_Frozen):
    """A condition on one attribute: exactly one comparison (``vanaf`` ≥, ``boven`` >, ``tot`` <, ``tot_en_met`` ≤,
    ``gelijk`` ==, ``in`` membership)."""

    veld: str = Field(pattern=r"^\S+$")
    vanaf: float | None = None
    boven: float | None = None
    tot: float | None = None
    tot_en_met: float | None = None
    gelijk: str | float | bool | None = None
    in_: tuple[str | float, ...] | None = Field(default=None, alias="in")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _one(self) -> Voorwaarde:
        given = [k for k in ("vanaf", "boven", "tot", "tot_en_met", "gelijk", "in_") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"voorwaarde op '{self.veld}': geef precies één vergelijking (vanaf, boven, tot, tot_en_met, gelijk of in); gegeven: {given or 'geen'}")
        return self

    @property
    def numeriek(self) -> bool:
        return any(getattr(self, k) is not None for k in ("vanaf", "boven", "tot", "tot_en_met"))

    def text(self) -> str:
        for key, sym in (("vanaf", "≥"), ("boven", ">"), ("tot", "<"), ("tot_en_met", "≤"), ("gelijk", "=")):
            v = getattr(self, key)
            if v is not None:
                return f"{self.veld} {sym} {_num(v)}"
        return f"{self.veld} in {list(self.in_ or ())}"


def _num(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v)).replace(".", ",")
    return str(v).replace(".", ",") if isinstance(v, float) else str(v)


class Criterium(_Frozen):
    """One way a location can fall under a rule.

    ``zone``: ``laag`` (the rule's layer, after ``filter``, grown by ``buffer_m``), or — for keuze 13 — ``berging``
    (the deepest ``berging_aandeel`` of every deep polder) or ``diepe_polder`` (the whole deep polder).
    The location meets the criterion when its overlap with the zone is at least ``min_overlap_m2`` (rule set wide
    when not given here) and the overlap share is above ``overlap_boven`` (a fraction of the location's area), and,
    when ``locatie`` is given, the location's own attribute meets that condition.
    """

    oordeel: Literal["strijdig", "aandachtspunt"]
    zone: Literal["laag", "berging", "diepe_polder"] = "laag"
    filter: Voorwaarde | None = None
    buffer_m: float = Field(0.0, ge=0.0, le=50_000.0)
    overlap_boven: float = Field(0.0, ge=0.0, lt=1.0)
    min_overlap_m2: float | None = Field(None, ge=0.0)
    locatie: Voorwaarde | None = None
    toelichting: str | None = None

    def text(self) -> str:
        zone = {"laag": "de laag", "berging": "het bergingsdeel (diepste deel) van een diepe polder", "diepe_polder": "een diepe polder"}[self.zone]
        if self.filter is not None:
            zone += f" waar {self.filter.text()}"
        if self.buffer_m:
            zone += f" of binnen {_num(self.buffer_m)} m daarvan"
        share = f"meer dan {_num(self.overlap_boven * 100)}% van de locatie" if self.overlap_boven else "een deel van de locatie"
        out = f"{self.oordeel} als {share} in {zone} ligt"
        if self.locatie is not None:
            out += f" en de locatie {self.locatie.text()} heeft"
        return out


class DiepePolder(_Frozen):
    """Keuze 13: which polders are deep and which part of them is reserved for water storage."""

    hoogte_laag: str = Field(pattern=LAAGNAAM_PATROON)
    hoogte_veld: str
    max_gemiddeld_maaiveld_m_nap: float
    """A polder is deep when its area-weighted mean surface level is at or below this [m NAP]."""
    berging_aandeel: float = Field(gt=0.0, lt=1.0)
    """Share of a deep polder reserved for storage, its deepest parts first [/1]."""
    bron: Bron


class Regel(_Frozen):
    """One checkable rule: a structurerende keuze (or a pair, 11/22) against one layer."""

    id: str = Field(pattern=r"^[0-9a-z_]+$")
    keuzes: tuple[int, ...] = Field(min_length=1)
    label: str
    laag: str = Field(pattern=LAAGNAAM_PATROON)
    criteria: tuple[Criterium, ...] = Field(min_length=1)
    diepe_polder: DiepePolder | None = None
    bron: Bron
    interpretatie: str | None = None
    """How opengrex turns the policy text into a map test (thresholds that are opengrex's own choice say so)."""

    @field_validator("keuzes")
    @classmethod
    def _keuzes(cls, v: tuple[int, ...]) -> tuple[int, ...]:
        bad = [k for k in v if not 1 <= k <= 33]
        if bad:
            raise ValueError(f"onbekende structurerende keuze {bad}; toegestaan: 1 t/m 33")
        return v

    @model_validator(mode="after")
    def _check(self) -> Regel:
        needs = {c.zone for c in self.criteria} & {"berging", "diepe_polder"}
        if needs and self.diepe_polder is None:
            raise ValueError(f"regel {self.id}: zone {sorted(needs)} vraagt een blok 'diepe_polder'")
        order = [CODE[c.oordeel] for c in self.criteria]
        if order != sorted(order, reverse=True):
            raise ValueError(f"regel {self.id}: zet de criteria van zwaar naar licht (eerst strijdig, dan aandachtspunt)")
        return self

    def lagen(self) -> tuple[str, ...]:
        """Every layer this rule needs."""
        return (self.laag,) + ((self.diepe_polder.hoogte_laag,) if self.diepe_polder else ())


class LaagSpec(_Frozen):
    """A layer the rule set uses: what it is, the attributes it must have, and public datasets that provide it."""

    omschrijving: str
    velden: dict[str, Literal["getal", "tekst", "ja_nee"]] = Field(default_factory=dict)
    datasets: tuple[str, ...] = ()


class RegelSet(_Frozen):
    """One dated version of the WBS screening rules."""

    naam: str
    titel: str
    geldig_vanaf: dt.date
    beleid: str
    toelichting: str | None = None
    bron: Bron
    niet_geverifieerd: tuple[str, ...] = ()
    """What could not be checked against the source documents when this version was written."""
    min_overlap_m2: float = Field(1.0, ge=0.0)
    """Overlaps smaller than this are slivers (different sources' boundaries), not an overlap [m²]."""
    lagen: dict[str, LaagSpec]
    regels: tuple[Regel, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> RegelSet:
        ids = [r.id for r in self.regels]
        if len(set(ids)) != len(ids):
            raise ValueError(f"regels: dubbel id in {ids}")
        for r in self.regels:
            for laag in r.lagen():
                if laag not in self.lagen:
                    raise ValueError(f"regel {r.id}: laag '{laag}' staat niet onder 'lagen'; bekend: {', '.join(self.lagen)}")
            fields = self.lagen[r.laag].velden
            for c in r.criteria:
                if c.filter is not None and c.filter.veld not in fields:
                    raise ValueError(f"regel {r.id}: filterveld '{c.filter.veld}' staat niet onder lagen.{r.laag}.velden")
            if r.diepe_polder and r.diepe_polder.hoogte_veld not in self.lagen[r.diepe_polder.hoogte_laag].velden:
                raise ValueError(f"regel {r.id}: hoogte_veld '{r.diepe_polder.hoogte_veld}' staat niet onder lagen.{r.diepe_polder.hoogte_laag}.velden")
        return self

    def regel(self, rid: str) -> Regel:
        for r in self.regels:
            if r.id == rid:
                return r
        from opengrex.errors import InputError

        raise InputError("onbekende regel", field="regel", value=rid, allowed=", ".join(r.id for r in self.regels))

    def versie(self) -> str:
        return f"{self.naam} {self.geldig_vanaf.isoformat()}"

    def min_m2(self, c: Criterium) -> float:
        return self.min_overlap_m2 if c.min_overlap_m2 is None else c.min_overlap_m2


class LaagBron(_Frozen):
    """Where one layer comes from: a file (relative to the ``lagen.yaml``), optionally a layer inside a GeoPackage,
    and a mapping from the rule set's field names to the dataset's own column names."""

    bestand: str
    laag: str | None = None
    velden: dict[str, str] = Field(default_factory=dict)
    crs: str | None = None
    """CRS to assume when the file has none (e.g. a Shapefile without .prj): ``EPSG:28992``."""


class LagenConfig(_Frozen):
    """``lagen.yaml``: the user's layers for the screening (names as in the rule set)."""

    lagen: dict[str, LaagBron]

    @field_validator("lagen")
    @classmethod
    def _names(cls, v: dict[str, LaagBron]) -> dict[str, LaagBron]:
        import re

        bad = [k for k in v if not re.match(LAAGNAAM_PATROON, k)]
        if bad:
            raise ValueError(f"ongeldige laagnaam {bad}: kleine letters, cijfers en _")
        return v


def finite(x: float) -> bool:
    return isinstance(x, (int, float)) and math.isfinite(x)
