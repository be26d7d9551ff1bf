"""Spatial screening of plan locations against the structurerende keuzes "Water en bodem sturend" (seed 004).

Orchestration only: read and check locations and layers (:mod:`opengrex.io.geo`), compile the dated rule set
(:mod:`opengrex.model.ruimte`, ``parameters/ruimte/wbs/<datum>.yaml``) into zones and criteria, run the engine
(:mod:`opengrex.engine.ruimte`) locally or partitioned on a dask.distributed cluster (dask-geopandas), and wrap
the arrays in a :class:`ScreeningResult` that presents itself as a table, JSON, GeoJSON, files and PNG maps.

Both engines run the very same partition function (:func:`_screen_partition`) on the same compiled zones, so they
give the same verdicts; the dask engine only splits the locations into partitions.
"""
from __future__ import annotations

import datetime as dt
import io as _io
import logging
import math
import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from opengrex.engine import ruimte as eng
from opengrex.engine.explain import Explanation, Input, ParameterUse, explanation
from opengrex.errors import InputError
from opengrex.io.geo import Melding
from opengrex.model.ruimte import CODE, Criterium, Regel, RegelSet

__all__ = [
    "ScreeningResult",
    "PreparedRules",
    "load_regelset",
    "regelset_versies",
    "keuze_teksten",
    "prepare_rules",
    "screen",
    "screen_frame",
    "location_map_png",
    "demo_prepared",
    "OORDEEL_KLEUR",
]

log = logging.getLogger("opengrex.ruimte")
TOPIC = Path("ruimte") / "wbs"
ENGINES = ("local", "dask")
OORDEEL_KLEUR = {"strijdig": "#c62828", "aandachtspunt": "#ef8f00", "geen": "#2e7d32", "niet getoetst": "#757575"}
"""Colour per verdict, the same in the PNG maps and on the page."""


# ------------------------------------------------------------------------------------------------------ rule sets
def _search_dirs() -> list[Path]:
    extra = [Path(p) / TOPIC for p in os.environ.get("OPENGREX_PARAMETERS_PATH", "").split(os.pathsep) if p.strip()]
    return extra + [Path(__file__).resolve().parent.parent / "parameters" / TOPIC]


def regelset_versies() -> list[tuple[dt.date, Path]]:
    """Every rule set version found (``OPENGREX_PARAMETERS_PATH/ruimte/wbs`` first, then the package), oldest first;
    a date found twice: the first folder wins."""
    seen: dict[dt.date, Path] = {}
    for d in _search_dirs():
        if not d.is_dir():
            continue
        for f in sorted(d.glob("*.yaml")):
            try:
                day = dt.date.fromisoformat(f.stem)
            except ValueError:
                raise InputError("bestandsnaam van een regelset moet een datum zijn", location=str(f), value=f.name, allowed="JJJJ-MM-DD.yaml") from None
            seen.setdefault(day, f)
    return sorted(seen.items())


def load_regelset(regels: str | dt.date | Path | None = None) -> RegelSet:
    """The rule set: ``None`` → the newest version; a date (``2024-01-01``) → the version in force on that date;
    a path to a ``<JJJJ-MM-DD>.yaml`` → that file."""
    if isinstance(regels, Path) or (isinstance(regels, str) and (regels.endswith((".yaml", ".yml")) or os.sep in regels or "/" in regels)):
        p = Path(regels)
        if not p.is_file():
            raise InputError("regelset niet gevonden", field="--regels", value=str(p), allowed="een datum (JJJJ-MM-DD) of een <datum>.yaml")
        return _load_file(str(p.resolve()), p.stat().st_mtime)
    versies = regelset_versies()
    if not versies:
        raise InputError("geen regelsets gevonden", field="--regels", value=None, allowed="parameters/ruimte/wbs/<datum>.yaml")
    if regels is None:
        day, path = versies[-1]
    else:
        if isinstance(regels, str):
            try:
                regels = dt.date.fromisoformat(regels.strip())
            except ValueError:
                raise InputError("ongeldige datum voor de regelset", field="--regels", value=regels, allowed="JJJJ-MM-DD, bijv. 2024-01-01, of het pad van een regelset") from None
        earlier = [(d, p) for d, p in versies if d <= regels]
        if not earlier:
            raise InputError("geen regelset die geldt op deze datum", field="--regels", value=regels.isoformat(),
                             allowed="op of na " + versies[0][0].isoformat() + " (versies: " + ", ".join(d.isoformat() for d, _ in versies) + ")")
        day, path = earlier[-1]
    return _load_file(str(path), path.stat().st_mtime)


@lru_cache(maxsize=32)
def _load_file(path: str, mtime: float) -> RegelSet:
    from opengrex.io.documents import build_model, read_document

    data, locator = read_document(path)
    rs = build_model(RegelSet, data, locator)
    stem = Path(path).stem
    if rs.geldig_vanaf.isoformat() != stem:
        raise InputError("geldig_vanaf moet gelijk zijn aan de bestandsnaam", location=path, field="geldig_vanaf", value=rs.geldig_vanaf.isoformat(), allowed=stem)
    return rs


@lru_cache(maxsize=1)
def keuze_teksten() -> dict[int, dict[str, Any]]:
    """The 33 structurerende keuzes (number → thema, tekst, regel in seed 004) from ``codes/wbs_keuzes.yaml``."""
    import yaml

    data = yaml.safe_load(resources.files("opengrex.codes").joinpath("wbs_keuzes.yaml").read_text(encoding="utf-8"))
    return {int(k["nummer"]): k for k in data["keuzes"]}


# ------------------------------------------------------------------------------------------------ compiled rules
@dataclass(frozen=True)
class _Crit:
    """A criterion compiled to what the partition function needs (picklable, no pydantic)."""

    regel: int
    ernst: int
    zone: int
    boven: float
    min_m2: float
    loc_field: str | None = None
    loc_op: str | None = None
    loc_ref: Any = None


@dataclass(frozen=True)
class ScreenCore:
    """Everything a worker needs: zone pieces and compiled criteria (shipped once to every dask worker)."""

    regel_ids: tuple[str, ...]
    getoetst: tuple[bool, ...]
    zones: tuple[np.ndarray, ...]
    criteria: tuple[_Crit, ...]

    def location_fields(self) -> tuple[str, ...]:
        return tuple(sorted({c.loc_field for c in self.criteria if c.loc_field}))


@dataclass
class PreparedRules:
    """A rule set compiled against a set of layers."""

    regelset: RegelSet
    core: ScreenCore
    lagen: str | None
    laag_bronnen: dict[str, str]
    niet_getoetst: dict[str, str]
    meldingen: list[Melding]
    layer_frames: dict[str, Any] = field(default_factory=dict)
    zone_sleutels: tuple[str, ...] = ()

    def zone_of(self, regel_index: int, criterium_index: int) -> np.ndarray:
        crits = [c for c in self.core.criteria if c.regel == regel_index]
        return self.core.zones[crits[criterium_index].zone]


def _op(v) -> tuple[str, Any]:
    for key in ("vanaf", "boven", "tot", "tot_en_met", "gelijk"):
        if getattr(v, key) is not None:
            return key, getattr(v, key)
    return "in", tuple(v.in_ or ())


def prepare_rules(regelset: RegelSet, lagen: str | Path | None, *, frames: dict[str, Any] | None = None, max_vertices: int = 256) -> PreparedRules:
    """Read the layers the rule set needs (``lagen``: folder, ``lagen.yaml`` or GeoPackage; or ready GeoDataFrames
    in ``frames``), check them, and compile every criterion into dissolved, subdivided zone pieces."""
    from opengrex.io import geo

    meldingen: list[Melding] = []
    needed = list(dict.fromkeys(n for r in regelset.regels for n in r.lagen()))
    if frames is not None:
        found = {n: geo.LaagLocatie(n, Path(f"<{n}>")) for n in needed if n in frames}
        missing = {n: f"laag '{n}' ontbreekt in de lagenset" for n in needed if n not in frames}
    else:
        found, missing = geo.find_layers(lagen, needed)
    layer_gdf: dict[str, Any] = {}
    attrs: dict[str, dict[str, np.ndarray]] = {}
    bronnen: dict[str, str] = {}
    for name, loc in found.items():
        src = loc.bron()
        gdf = frames[name] if frames is not None else geo.read_vector(loc.bestand, layer=loc.laag)
        if len(gdf) == 0:
            missing[name] = f"laag '{name}' is leeg ({src})"
            continue
        gdf = geo.to_rd(gdf, src, loc.crs, meldingen=meldingen)
        labels = [geo.feature_label(i) for i in range(len(gdf))]
        gdf = geo.clean_polygons(gdf, src, labels, ongeldig="herstel", soort=f"object van laag '{name}'", meldingen=meldingen)
        spec = regelset.lagen[name]
        attrs[name] = {veld: geo.layer_attribute(gdf, src, name, veld, (loc.velden or {}).get(veld, veld), soort, meldingen)
                       for veld, soort in spec.velden.items()}
        layer_gdf[name] = gdf
        bronnen[name] = src
    niet: dict[str, str] = {}
    zones: list[np.ndarray] = []
    keys: list[str] = []
    index: dict[tuple, int] = {}
    crits: list[_Crit] = []
    getoetst: list[bool] = []

    def zone(key: tuple, make) -> int:
        if key not in index:
            index[key] = len(zones)
            zones.append(make())
            keys.append(" ".join(map(str, key)))
        return index[key]

    for ri, regel in enumerate(regelset.regels):
        absent = [n for n in regel.lagen() if n not in layer_gdf]
        getoetst.append(not absent)
        if absent:
            niet[regel.id] = "; ".join(missing.get(n, f"laag '{n}' ontbreekt") for n in absent)
            continue
        geoms = np.asarray(layer_gdf[regel.laag].geometry.values, dtype=object)
        polder = None
        for c in regel.criteria:
            if c.zone == "laag":
                mask = np.ones(len(geoms), dtype=bool)
                if c.filter is not None:
                    op, ref = _op(c.filter)
                    mask = eng.compare(attrs[regel.laag][c.filter.veld], op, ref)
                key: tuple[Any, ...] = (regel.laag, c.filter.text() if c.filter else "", c.buffer_m)
                zi = zone(key, lambda g=geoms, m=mask, b=c.buffer_m: eng.disjoint_pieces(g[m], buffer_m=b, max_vertices=max_vertices))
            else:
                dp = regel.diepe_polder
                assert dp is not None  # the model requires the block for a berging/diepe_polder zone
                if polder is None:
                    hl = layer_gdf[dp.hoogte_laag]
                    polder = eng.polder_zones(geoms, np.asarray(hl.geometry.values, dtype=object), attrs[dp.hoogte_laag][dp.hoogte_veld],
                                              dp.max_gemiddeld_maaiveld_m_nap, dp.berging_aandeel, max_vertices)
                    if not polder.diep.any():
                        meldingen.append(Melding(bronnen[regel.laag], None, dp.hoogte_veld,
                                                 f"geen diepe polder gevonden (gemiddeld maaiveld ≤ {dp.max_gemiddeld_maaiveld_m_nap} m NAP)"))
                key = (regel.laag, dp.hoogte_laag, c.zone, dp.max_gemiddeld_maaiveld_m_nap, dp.berging_aandeel)
                zi = zone(key, lambda p=polder, z=c.zone: p.berging if z == "berging" else p.diepe_polders)
            loc_field = loc_op = loc_ref = None
            if c.locatie is not None:
                loc_field = c.locatie.veld
                loc_op, loc_ref = _op(c.locatie)
            crits.append(_Crit(ri, CODE[c.oordeel], zi, c.overlap_boven, regelset.min_m2(c), loc_field, loc_op, loc_ref))
    core = ScreenCore(tuple(r.id for r in regelset.regels), tuple(getoetst), tuple(zones), tuple(crits))
    return PreparedRules(regelset, core, None if lagen is None else str(lagen), bronnen, niet, meldingen, layer_gdf, tuple(keys))


@lru_cache(maxsize=4)
def demo_prepared(regels_versie: str) -> PreparedRules:
    """The rule set version ``regels_versie`` (ISO date) compiled against the built-in demo layers (web default)."""
    from opengrex.io.ruimte_demo import layer_frames

    return prepare_rules(load_regelset(regels_versie), None, frames=layer_frames())


# -------------------------------------------------------------------------------------------- the partition function
@dataclass(frozen=True)
class _LocOpts:
    source: str
    id_veld: str | None
    crs: str | None
    ongeldig: str
    keep_geometry: bool


def _screen_arrays(geoms: np.ndarray, attrs: dict[str, np.ndarray | None], core: ScreenCore) -> dict[str, Any]:
    """The engine on one set of clean locations (EPSG:28992). Pure arrays in, arrays out."""
    n, r = len(geoms), len(core.regel_ids)
    area = shapely.area(geoms)
    tree = eng.location_tree(geoms)
    for z in core.zones:
        shapely.prepare(z)  # pickling drops the prepared state; cheap when already prepared
    overlaps = [eng.overlap_m2(geoms, area, tree, z) if len(z) else np.zeros(n) for z in core.zones]
    c_n = len(core.criteria)
    voldaan = np.zeros((n, c_n), dtype=bool)
    onbekend_c = np.zeros((n, c_n), dtype=bool)
    for ci, c in enumerate(core.criteria):
        ov = overlaps[c.zone]
        loc_ok = None
        if c.loc_field is not None:
            values = attrs.get(c.loc_field)
            if values is None:
                known = np.zeros(n, dtype=bool)
                loc_ok = known
            else:
                if c.loc_op == "gelijk" and isinstance(c.loc_ref, bool):
                    t = np.array([eng.ja_nee(v) for v in values], dtype=object)
                    known = np.array([v is not None for v in t], dtype=bool)
                else:
                    vals = np.asarray(values, dtype=object)
                    known = np.array([not (v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and not v.strip())) for v in vals], dtype=bool)
                assert c.loc_op is not None  # set together with loc_field
                loc_ok = eng.compare(values, c.loc_op, c.loc_ref) & known
            onbekend_c[:, ci] = eng.voldoet(ov, area, c.boven, c.min_m2, None) & ~known
        voldaan[:, ci] = eng.voldoet(ov, area, c.boven, c.min_m2, loc_ok)
    ernst = np.array([c.ernst for c in core.criteria], dtype=np.int64)
    regel_van = np.array([c.regel for c in core.criteria], dtype=np.int64)
    verdict, beslissend = eng.oordeel(voldaan, ernst, regel_van, r)
    overlap = np.zeros((n, r))
    last = {}
    for ci, c in enumerate(core.criteria):
        last[c.regel] = ci
    for ri in range(r):
        if ri in last:
            overlap[:, ri] = overlaps[core.criteria[last[ri]].zone]
    decided = beslissend >= 0
    if decided.any():
        rows, cols = np.nonzero(decided)
        zone_of = np.array([c.zone for c in core.criteria])
        ov_stack = np.stack(overlaps, axis=1) if overlaps else np.zeros((n, 0))
        overlap[rows, cols] = ov_stack[rows, zone_of[beslissend[rows, cols]]]
    onbekend = np.zeros((n, r), dtype=bool)
    for ci, c in enumerate(core.criteria):
        onbekend[:, c.regel] |= onbekend_c[:, ci] & (c.ernst > verdict[:, c.regel])
    for ri, ok in enumerate(core.getoetst):
        if not ok:
            verdict[:, ri] = eng.NIET_GETOETST
            overlap[:, ri] = np.nan
    aandeel = np.divide(overlap, area[:, None], out=np.full_like(overlap, np.nan), where=(area[:, None] > 0) & ~np.isnan(overlap))
    return {"verdict": verdict, "beslissend": beslissend, "overlap": overlap, "aandeel": aandeel, "onbekend": onbekend, "oppervlak": area}


def _screen_partition(gdf, core: ScreenCore, opts: _LocOpts) -> dict[str, Any]:
    """Check one partition of locations and screen it. Input errors come back as data (``fout``) so that a worker
    never has to pickle an exception; the caller raises them."""
    from opengrex.io import geo

    try:
        offset = int(gdf.index[0]) if len(gdf) and np.issubdtype(np.asarray(gdf.index).dtype, np.integer) else 0
        meldingen: list[Melding] = []
        gdf = geo.to_rd(gdf, opts.source, opts.crs, offset=offset, meldingen=meldingen)
        ids, labels = geo.location_ids(gdf, opts.source, opts.id_veld, offset=offset)
        gdf = geo.clean_polygons(gdf, opts.source, labels, ongeldig=opts.ongeldig, soort="locatie", meldingen=meldingen)
        geoms = np.asarray(gdf.geometry.values, dtype=object)
        attrs = {f: (gdf[f].to_numpy(dtype=object) if f in gdf.columns else None) for f in core.location_fields()}
        out = _screen_arrays(geoms, attrs, core)
        out["ids"] = ids
        out["namen"] = gdf["naam"].to_numpy(dtype=object) if "naam" in gdf.columns else None
        out["meldingen"] = meldingen
        out["geometrie"] = shapely.to_wkb(geoms) if opts.keep_geometry else None
        out["velden"] = [c for c in gdf.columns if c != gdf.geometry.name]
        return out
    except InputError as exc:
        return {"fout": exc.as_dict()}


def _raise(fout: dict[str, Any]) -> None:
    raise InputError(fout["message"], location=fout.get("location"), field=fout.get("field"), value=fout.get("value"), allowed=fout.get("allowed"))


# ---------------------------------------------------------------------------------------------------------- result
@dataclass
class ScreeningResult:
    """Verdicts of every location against every rule of one rule set version.

    Arrays are (L, R): ``verdict`` int8 (−1 niet getoetst, 0 geen, 1 aandachtspunt, 2 strijdig), ``overlap``
    [m²], ``aandeel`` [/1 of the location's area], ``beslissend`` (criterion index within all criteria, −1 none),
    ``onbekend`` (a stricter criterion might apply but the location attribute it needs is missing)."""

    regelset: RegelSet
    ids: np.ndarray
    namen: np.ndarray | None
    oppervlak: np.ndarray
    verdict: np.ndarray
    overlap: np.ndarray
    aandeel: np.ndarray
    beslissend: np.ndarray
    onbekend: np.ndarray
    niet_getoetst: dict[str, str]
    meldingen: list[Melding]
    bron: str
    lagen: str | None
    engine: str
    geometrie: np.ndarray | None = None
    prepared: PreparedRules | None = None
    laag_bronnen: dict[str, str] = field(default_factory=dict)

    # ---- lookups
    @property
    def regels(self) -> tuple[Regel, ...]:
        return self.regelset.regels

    def criterium(self, ci: int) -> tuple[Regel, Criterium]:
        k = 0
        for r in self.regels:
            for c in r.criteria:
                if k == ci:
                    return r, c
                k += 1
        raise IndexError(ci)

    def index_of(self, location_id: str) -> int:
        hits = np.flatnonzero(self.ids.astype(str) == str(location_id))
        if hits.size == 0:
            shown = ", ".join(map(str, self.ids[:20])) + (" …" if len(self.ids) > 20 else "")
            raise InputError("onbekende locatie", field="locatie", value=location_id, allowed=shown)
        return int(hits[0])

    def toelichting(self, li: int, ri: int) -> str:
        regel = self.regels[ri]
        v = int(self.verdict[li, ri])
        if v == eng.NIET_GETOETST:
            return "niet getoetst: " + self.niet_getoetst.get(regel.id, "laag ontbreekt")
        ci = int(self.beslissend[li, ri])
        if ci >= 0:
            _, c = self.criterium(ci)
            text = c.toelichting or c.text()
        else:
            text = "geen overlap die meetelt"
        if self.onbekend[li, ri]:
            fields = sorted({c.locatie.veld for c in regel.criteria if c.locatie is not None})
            text += f"; mogelijk zwaarder: locatieveld {', '.join(fields)} onbekend"
        return text

    def keuze_oordelen(self) -> tuple[list[int], np.ndarray]:
        """Verdict per location and structurerende keuze: the most severe of the rules that test it; niet getoetst
        only when every rule for the keuze was not tested. [(K,), int8 (L, K)]"""
        keuzes = sorted({k for r in self.regels for k in r.keuzes})
        out = np.full((len(self.ids), len(keuzes)), eng.NIET_GETOETST, dtype=np.int8)
        for ki, k in enumerate(keuzes):
            cols = [ri for ri, r in enumerate(self.regels) if k in r.keuzes]
            out[:, ki] = self.verdict[:, cols].max(axis=1)
        return keuzes, out

    # ---- presentations
    def frame(self):
        """Long table: one row per location and rule (pandas)."""
        import pandas as pd

        n, r = self.verdict.shape
        li = np.repeat(np.arange(n), r)
        ri = np.tile(np.arange(r), n)
        return pd.DataFrame({
            "locatie": self.ids[li],
            "naam": self.namen[li] if self.namen is not None else None,
            "regel": [self.regels[i].id for i in ri],
            "keuzes": ["/".join(map(str, self.regels[i].keuzes)) for i in ri],
            "oordeel": [eng.OORDEEL_TEKST[int(v)] for v in self.verdict.ravel()],
            "overlap_m2": self.overlap.ravel(),
            "overlap_pct": self.aandeel.ravel() * 100.0,
            "toelichting": [self.toelichting(int(a), int(b)) for a, b in zip(li, ri)],
            "regelset": self.regelset.versie(),
        })

    def geodataframe(self):
        """One feature per location (EPSG:28992) with the verdicts as attributes: ``oordeel`` (most severe),
        ``r<regel>_oordeel``, ``r<regel>_m2``, ``r<regel>_pct`` and ``regelset``."""
        import geopandas as gpd

        if self.geometrie is None:
            raise InputError("deze toetsing heeft geen geometrie bewaard", field="-o/--output", value=None, allowed="toets opnieuw met geometrie")
        data: dict[str, Any] = {"locatie": self.ids}
        if self.namen is not None:
            data["naam"] = self.namen
        worst = self.verdict.max(axis=1) if self.verdict.size else np.zeros(len(self.ids), dtype=np.int8)
        data["oordeel"] = [eng.OORDEEL_TEKST[int(v)] for v in worst]
        for ri, regel in enumerate(self.regels):
            data[f"r{regel.id}_oordeel"] = [eng.OORDEEL_TEKST[int(v)] for v in self.verdict[:, ri]]
            data[f"r{regel.id}_m2"] = self.overlap[:, ri]
            data[f"r{regel.id}_pct"] = self.aandeel[:, ri] * 100.0
        data["regelset"] = self.regelset.versie()
        geoms = self.geometrie if self.geometrie.dtype == object and (len(self.geometrie) == 0 or not isinstance(self.geometrie[0], bytes)) else shapely.from_wkb(self.geometrie)
        return gpd.GeoDataFrame(data, geometry=geoms, crs="EPSG:28992")

    def counts(self) -> dict[str, dict[str, int]]:
        """Per rule: how many locations have each verdict."""
        out = {}
        for ri, regel in enumerate(self.regels):
            col = self.verdict[:, ri]
            out[regel.id] = {t: int((col == c).sum()) for c, t in eng.OORDEEL_TEKST.items()}
        return out

    def location(self, location_id: str) -> dict[str, Any]:
        """Everything about one location: per rule and per keuze, with the keuze texts."""
        li = self.index_of(location_id)
        return self._location(li)

    def _location(self, li: int) -> dict[str, Any]:
        teksten = keuze_teksten()
        regels = []
        for ri, regel in enumerate(self.regels):
            regels.append({
                "regel": regel.id,
                "keuzes": list(regel.keuzes),
                "label": regel.label,
                "laag": regel.laag,
                "oordeel": eng.OORDEEL_TEKST[int(self.verdict[li, ri])],
                "overlap_m2": _f(self.overlap[li, ri]),
                "overlap_pct": _f(self.aandeel[li, ri] * 100.0),
                "toelichting": self.toelichting(li, ri),
            })
        keuzes, kv = self.keuze_oordelen()
        return {
            "locatie": str(self.ids[li]),
            "naam": None if self.namen is None or self.namen[li] is None else str(self.namen[li]),
            "oppervlakte_m2": float(self.oppervlak[li]),
            "oordeel": eng.OORDEEL_TEKST[int(self.verdict[li].max())] if self.verdict.shape[1] else "niet getoetst",
            "regels": regels,
            "keuzes": [{"nummer": k, "oordeel": eng.OORDEEL_TEKST[int(kv[li, ki])], "thema": teksten[k]["thema"], "tekst": teksten[k]["tekst"]}
                       for ki, k in enumerate(keuzes)],
        }

    def summary(self, max_locaties: int | None = None) -> dict[str, Any]:
        """JSON-ready: the rule set version used, layers, warnings, counts and the locations."""
        n = len(self.ids) if max_locaties is None else min(len(self.ids), max_locaties)
        return {
            "regelset": {"naam": self.regelset.naam, "versie": self.regelset.geldig_vanaf.isoformat(), "titel": self.regelset.titel,
                         "beleid": self.regelset.beleid, "bron": self.regelset.bron.text(), "niet_geverifieerd": list(self.regelset.niet_geverifieerd)},
            "bron": self.bron,
            "lagen": self.lagen,
            "laag_bronnen": self.laag_bronnen,
            "engine": self.engine,
            "aantal_locaties": int(len(self.ids)),
            "niet_getoetst": self.niet_getoetst,
            "meldingen": [m.as_dict() for m in self.meldingen],
            "aantallen": self.counts(),
            "regels": [{"regel": r.id, "keuzes": list(r.keuzes), "label": r.label, "laag": r.laag, "bron": r.bron.text(),
                        "criteria": [c.text() for c in r.criteria], "interpretatie": r.interpretatie} for r in self.regels],
            "locaties": [self._location(i) for i in range(n)],
        }

    def to_geojson(self, crs: int = 28992) -> dict[str, Any]:
        """The locations as a GeoJSON FeatureCollection with the verdicts (``crs`` 28992 or 4326)."""
        import json

        gdf = self.geodataframe()
        if crs != 28992:
            gdf = gdf.to_crs(crs)
        data = json.loads(gdf.to_json(na="null", drop_id=True))
        if crs != 4326:
            data["crs"] = {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{crs}"}}
        data["regelset"] = self.regelset.versie()
        return data

    def write(self, path: str | Path) -> Path:
        """Write ``.gpkg``/``.geojson`` (one feature per location) or ``.csv`` (one row per location and rule)."""
        from opengrex.io.geo import write_frame

        p = Path(path)
        if p.suffix.lower() == ".csv":
            return write_frame(self.frame(), p)
        return write_frame(self.geodataframe(), p)

    def explain(self, kengetal: str) -> Explanation:
        """``"<locatie>:<regel>"`` → which zone, overlap, thresholds and source decided the verdict."""
        loc, sep, rid = str(kengetal).rpartition(":")
        if not sep:
            raise InputError("kengetal moet <locatie>:<regel> zijn", field="kengetal", value=kengetal,
                             allowed="bijv. " + (f"{self.ids[0]}:{self.regels[0].id}" if len(self.ids) else "L01:10") + "; regels: " + ", ".join(r.id for r in self.regels))
        li = self.index_of(loc)
        regel = self.regelset.regel(rid)
        ri = self.regels.index(regel)
        v = int(self.verdict[li, ri])
        params = []
        for c in regel.criteria:
            params.append(ParameterUse(f"{c.oordeel}: {c.text()}", c.overlap_boven, "%", regel.bron.text(), self.regelset.geldig_vanaf.isoformat()))
        if regel.diepe_polder:
            dp = regel.diepe_polder
            params.append(ParameterUse("diepe polder: gemiddeld maaiveld ≤", dp.max_gemiddeld_maaiveld_m_nap, "m NAP", dp.bron.text(), self.regelset.geldig_vanaf.isoformat()))
            params.append(ParameterUse("bergingsreservering (diepste deel)", dp.berging_aandeel, "%", dp.bron.text(), self.regelset.geldig_vanaf.isoformat()))
        params.append(ParameterUse("kleinste overlap die meetelt", self.regelset.min_overlap_m2, "m²", "regelset " + self.regelset.versie(), self.regelset.geldig_vanaf.isoformat()))
        teksten = keuze_teksten()
        toel = [f"Keuze {k}: {teksten[k]['tekst']}" for k in regel.keuzes]
        toel.append(self.toelichting(li, ri))
        if regel.interpretatie:
            toel.append("Interpretatie: " + regel.interpretatie)
        return explanation(
            f"{self.ids[li]}:{regel.id}", eng.oordeel, eng.OORDEEL_TEKST[v], "-", label=f"Oordeel {regel.label}",
            invoer=[Input("oppervlakte locatie", float(self.oppervlak[li]), "m²"), Input("overlap", _f(self.overlap[li, ri]), "m²"),
                    Input("overlap als aandeel van de locatie", _f(self.aandeel[li, ri]), "%"),
                    Input("laag", self.laag_bronnen.get(regel.laag, regel.laag), "-")],
            parameters=params, toelichting=toel,
            onderdelen=[explanation("voldoet", eng.voldoet, bool(self.beslissend[li, ri] >= 0), "-")],
        )


def _f(x: float) -> float | None:
    x = float(x)
    return None if math.isnan(x) else x


# -------------------------------------------------------------------------------------------------------- screening
def screen(locaties, lagen: str | Path | None = None, regels: str | dt.date | Path | RegelSet | None = None, *,
           prepared: PreparedRules | None = None, engine: str = "local", scheduler: str | None = None,
           npartitions: int | None = None, id_veld: str | None = None, crs: str | None = None, ongeldig: str = "herstel",
           keep_geometry: bool = True, layer: str | None = None) -> ScreeningResult:
    """Screen plan locations (a file path or a GeoDataFrame) against the layers of a rule set version.

    ``engine="local"`` runs in this process; ``"dask"`` partitions the locations with dask-geopandas and runs the
    same partition function on a dask.distributed cluster: ``scheduler`` (``tcp://host:8786``) or a LocalCluster
    with two workers. Errors name the file, the feature and the field; nothing is written here."""
    if engine not in ENGINES:
        raise InputError("onbekende engine", field="--engine", value=engine, allowed=", ".join(ENGINES))
    if ongeldig not in ("herstel", "weiger"):
        raise InputError("onbekende keuze voor ongeldige geometrie", field="--ongeldig", value=ongeldig, allowed="herstel, weiger")
    if prepared is None:
        rs = regels if isinstance(regels, RegelSet) else load_regelset(regels)
        prepared = prepare_rules(rs, lagen)
    source = str(locaties) if not hasattr(locaties, "geometry") else "<upload>"
    opts = _LocOpts(source, id_veld, crs, ongeldig, keep_geometry)
    if engine == "local":
        gdf = locaties if hasattr(locaties, "geometry") else _read_locations(locaties, layer)
        parts = [_screen_partition(gdf, prepared.core, opts)]
    else:
        parts = _screen_dask(locaties, prepared.core, opts, scheduler=scheduler, npartitions=npartitions, layer=layer)
    return _combine(parts, prepared, source, engine)


def screen_frame(gdf, prepared: PreparedRules, **kwargs: Any) -> ScreeningResult:
    """Screen a GeoDataFrame against already prepared rules (the web app's path)."""
    return screen(gdf, prepared=prepared, **kwargs)


def _read_locations(path, layer: str | None = None):
    from opengrex.io import geo

    p = Path(path)
    if not p.is_file():
        raise InputError("bestand bestaat niet", location=str(p), field="bestand", value=str(p))
    if p.suffix.lower() == ".gpkg" and layer is None:
        names = geo.layer_names(p)
        if len(names) > 1:
            raise InputError("GeoPackage heeft meer lagen; kies er één", location=str(p), field="--laag", value=None, allowed=", ".join(names))
    gdf = geo.read_vector(p, layer=layer)
    if len(gdf) == 0:
        raise InputError("bestand bevat geen locaties", location=str(p), field="bestand", value=0, allowed="minstens één vlak")
    return gdf


def _combine(parts: list[dict[str, Any]], prepared: PreparedRules, source: str, engine: str) -> ScreeningResult:
    from opengrex.io.geo import check_unique

    for p in parts:
        if "fout" in p:
            _raise(p["fout"])
    parts = [p for p in parts if len(p["ids"])]
    if not parts:
        raise InputError("bestand bevat geen locaties", location=source, field="bestand", value=0, allowed="minstens één vlak")
    ids = np.concatenate([p["ids"] for p in parts])
    check_unique(ids, source)
    cat = lambda k: np.concatenate([p[k] for p in parts])  # noqa: E731
    namen = np.concatenate([p["namen"] if p["namen"] is not None else np.full(len(p["ids"]), None, dtype=object) for p in parts]) \
        if any(p["namen"] is not None for p in parts) else None
    geom = np.concatenate([p["geometrie"] for p in parts]) if all(p["geometrie"] is not None for p in parts) else None
    meldingen = list(prepared.meldingen) + [m for p in parts for m in p["meldingen"]]
    return ScreeningResult(prepared.regelset, ids, namen, cat("oppervlak"), cat("verdict"), cat("overlap"), cat("aandeel"), cat("beslissend"),
                           cat("onbekend"), dict(prepared.niet_getoetst), meldingen, source, prepared.lagen, engine, geom, prepared,
                           dict(prepared.laag_bronnen))


# ---------------------------------------------------------------------------------------------------- dask engine
def _dask_client(scheduler: str | None):
    from dask.distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout="15s"), None
        except (OSError, TimeoutError) as exc:
            raise InputError(f"geen verbinding met de dask-scheduler: {exc}", field="--scheduler", value=scheduler, allowed="tcp://host:8786 van een draaiende dask-scheduler") from None
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", scheduler_kwargs={"dashboard": False},
                           dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR)
    return Client(cluster), cluster


def _screen_dask(locaties, core: ScreenCore, opts: _LocOpts, *, scheduler: str | None, npartitions: int | None, layer: str | None) -> list[dict[str, Any]]:
    import dask
    import dask_geopandas

    client, cluster = _dask_client(scheduler)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        if hasattr(locaties, "geometry"):
            n = len(locaties)
            ddf = dask_geopandas.from_geopandas(locaties, npartitions=npartitions or max(2 * workers, math.ceil(n / 100_000)))
        else:
            p = Path(locaties)
            if not p.is_file():
                raise InputError("bestand bestaat niet", location=str(p), field="bestand", value=str(p))
            gdf_head = _read_locations(p, layer) if p.suffix.lower() != ".gpkg" else None  # checks (and counts) small formats
            if gdf_head is not None:
                ddf = dask_geopandas.from_geopandas(gdf_head, npartitions=npartitions or max(2 * workers, math.ceil(len(gdf_head) / 100_000)))
            else:
                import pyogrio

                if layer is None:
                    _read_locations_check_layers(p)
                info = pyogrio.read_info(p, layer=layer)
                n = int(info["features"])
                if n == 0:
                    raise InputError("bestand bevat geen locaties", location=str(p), field="bestand", value=0, allowed="minstens één vlak")
                kwargs = {"layer": layer} if layer else {}
                ddf = dask_geopandas.read_file(p, npartitions=npartitions or max(2 * workers, math.ceil(n / 100_000)), **kwargs)
        core_f = client.scatter(core, hash=False)  # not broadcast: see services.bbv._dask_map
        tasks = [dask.delayed(_screen_partition)(part, core_f, opts) for part in ddf.to_delayed()]
        futures = client.compute(tasks, retries=2)
        return client.gather(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _read_locations_check_layers(p: Path) -> None:
    from opengrex.io import geo

    names = geo.layer_names(p)
    if len(names) > 1:
        raise InputError("GeoPackage heeft meer lagen; kies er één", location=str(p), field="--laag", value=None, allowed=", ".join(names))


# ------------------------------------------------------------------------------------------------------- PNG map
_LAAG_KLEUR = {
    "ijsselmeergebied": "#4f81bd", "bgr_rivierbed": "#5b9bd5", "reserveringszones": "#8e6c8a", "polders": "#d9e8c4",
    "maaiveldhoogte": None, "kustfundament": "#f2dc8d", "overstromingsdiepte": "#9dc3e6", "bodemdaling": "#c9a27e",
    "veengebieden": "#a47148", "hoge_zandgronden": "#f4e3b1", "natura2000": "#70ad47",
}


def location_map_png(result: ScreeningResult, location_id: str, *, marge_m: float = 600.0, dpi: int = 110) -> bytes:
    """A PNG map of one location (EPSG:28992) with the layers around it and its verdicts, for reports."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    li = result.index_of(location_id)
    if result.geometrie is None:
        raise InputError("deze toetsing heeft geen geometrie bewaard", field="locatie", value=location_id)
    geom = result.geometrie[li]
    if isinstance(geom, bytes):
        geom = shapely.from_wkb(geom)
    minx, miny, maxx, maxy = geom.bounds
    pad = max(marge_m, 0.5 * max(maxx - minx, maxy - miny))
    view = shapely.box(minx - pad, miny - pad, maxx + pad, maxy + pad)
    fig, (ax, side) = plt.subplots(1, 2, figsize=(10, 5.6), dpi=dpi, gridspec_kw={"width_ratios": [1.15, 1]})
    handles = []
    frames = result.prepared.layer_frames if result.prepared is not None else {}
    for name, gdf in frames.items():
        colour = _LAAG_KLEUR.get(name, "#cccccc")
        if colour is None:
            continue
        sub = gdf[gdf.intersects(view)]
        if len(sub):
            sub.clip(view).plot(ax=ax, color=colour, alpha=0.55, edgecolor="#555555", linewidth=0.4)
            handles.append(Patch(facecolor=colour, alpha=0.55, edgecolor="#555555", label=result.regelset.lagen[name].omschrijving[:48]))
    worst = eng.OORDEEL_TEKST[int(result.verdict[li].max())]
    import geopandas as gpd

    gpd.GeoSeries([geom], crs="EPSG:28992").plot(ax=ax, facecolor="none", edgecolor=OORDEEL_KLEUR[worst], linewidth=2.4)
    ax.set_xlim(view.bounds[0], view.bounds[2])
    ax.set_ylim(view.bounds[1], view.bounds[3])
    ax.set_aspect("equal")
    ax.ticklabel_format(useOffset=False, style="plain")
    ax.tick_params(labelsize=7)
    ax.set_xlabel("x RD [m]", fontsize=8)
    ax.set_ylabel("y RD [m]", fontsize=8)
    name = "" if result.namen is None or result.namen[li] is None else f" — {result.namen[li]}"
    ax.set_title(f"Locatie {result.ids[li]}{name}", fontsize=10)
    if handles:
        ax.legend(handles=handles, loc="lower left", fontsize=6, framealpha=0.85)
    side.axis("off")
    y = 0.98
    side.text(0.0, y, f"Toetsing {result.regelset.versie()}", fontsize=9, weight="bold", va="top")
    y -= 0.07
    from opengrex.formatting import number

    for ri, regel in enumerate(result.regels):
        v = eng.OORDEEL_TEKST[int(result.verdict[li, ri])]
        ov = result.overlap[li, ri]
        extra = "" if math.isnan(ov) else f"  {number(ov)} m² ({number(result.aandeel[li, ri] * 100, 1)}%)"
        side.text(0.0, y, "●", color=OORDEEL_KLEUR[v], fontsize=10, va="top")
        side.text(0.05, y, f"keuze {'/'.join(map(str, regel.keuzes))}: {v}{extra}", fontsize=8, va="top")
        y -= 0.06
    fig.tight_layout()
    buf = _io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()
