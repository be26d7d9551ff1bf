"""Spatial screening against the structurerende keuzes "Water en bodem sturend" [1]_: pure functions on numpy
arrays and shapely 2 geometry arrays (no files, no pandas, no rule-set parsing).

Shapes: ``L`` locations (plan polygons, EPSG:28992, metres), ``P`` zone pieces (disjoint polygons), ``C``
criteria, ``R`` rules (regels), ``B`` elevation bands of a polder layer.

How overlaps are computed without an overlay (so a million parcels stay fast and memory-flat):

1. every zone (a layer after its attribute filter and buffer) is dissolved once into disjoint pieces and those are
   subdivided until no piece has more than ``max_vertices`` vertices (like PostGIS ``ST_Subdivide``);
2. one STRtree over the locations is queried with the pieces (``intersects``); the pairs where a piece properly
   contains the location take the location's area, only the remaining boundary pairs are intersected;
3. areas are summed per location with ``np.bincount``. Pieces are disjoint, so nothing is counted twice.

Verdict codes: −1 niet getoetst, 0 geen, 1 aandachtspunt, 2 strijdig.

References
----------
.. [1] Kamerbrief Water en Bodem Sturend, 25 november 2022 (Kamerstuk 27 625, nr. 592), structurerende keuzes 9–33,
       as summarised in seed 004 (Provinciaal startpakket fysieke leefomgeving); dated thresholds in
       ``parameters/ruimte/wbs/<datum>.yaml``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely
from shapely import STRtree

from opengrex.engine.arrays import AnyArray, ArrayLike, BoolArray, FloatArray, IntArray
from opengrex.engine.explain import rule

NIET_GETOETST, GEEN, AANDACHTSPUNT, STRIJDIG = -1, 0, 1, 2
OORDEEL_TEKST = {NIET_GETOETST: "niet getoetst", GEEN: "geen", AANDACHTSPUNT: "aandachtspunt", STRIJDIG: "strijdig"}
_POLYGON, _MULTIPOLYGON = 3, 6

BRON_WBS = "Kamerbrief Water en Bodem Sturend, 25-11-2022 (Kamerstuk 27 625, nr. 592); seed 004, structurerende keuzes"


# ----------------------------------------------------------------------------------------------- geometry helpers
def polygonal(geoms: ArrayLike) -> AnyArray:
    """Only the polygonal parts of each geometry (lines and points of a GeometryCollection dropped), as
    (Multi)Polygons; a geometry without polygonal parts becomes an empty polygon. [geom (N,)]"""
    geoms = np.asarray(geoms, dtype=object)
    out = geoms.copy()
    types = shapely.get_type_id(geoms)
    odd = np.flatnonzero(~np.isin(types, (_POLYGON, _MULTIPOLYGON)))
    for i in odd:  # only the few mixed results of make_valid / intersection pass here
        parts = shapely.get_parts(geoms[i])
        while parts.size and (shapely.get_type_id(parts) == 7).any():  # nested collections
            parts = shapely.get_parts(parts)
        polys = parts[np.isin(shapely.get_type_id(parts), (_POLYGON, _MULTIPOLYGON))]
        out[i] = shapely.union_all(polys) if polys.size else shapely.Polygon()
    return out


def subdivide(geoms: ArrayLike, max_vertices: int = 256) -> AnyArray:
    """Split polygons into pieces of at most ``max_vertices`` vertices by halving their bounding box along its
    longer side (repeated; pieces keep their exact boundary). [geom (P',)]"""
    todo = shapely.get_parts(polygonal(np.asarray(geoms, dtype=object)))
    todo = todo[~shapely.is_empty(todo)]
    done: list[AnyArray] = []
    for _ in range(64):
        if todo.size == 0:
            break
        big = shapely.get_num_coordinates(todo) > max_vertices
        done.append(todo[~big])
        todo = todo[big]
        if todo.size == 0:
            break
        b = shapely.bounds(todo)
        wide = (b[:, 2] - b[:, 0]) >= (b[:, 3] - b[:, 1])
        midx = (b[:, 0] + b[:, 2]) / 2
        midy = (b[:, 1] + b[:, 3]) / 2
        lo = shapely.box(b[:, 0], b[:, 1], np.where(wide, midx, b[:, 2]), np.where(wide, b[:, 3], midy))
        hi = shapely.box(np.where(wide, midx, b[:, 0]), np.where(wide, b[:, 1], midy), b[:, 2], b[:, 3])
        halves = np.concatenate([shapely.intersection(todo, lo), shapely.intersection(todo, hi)])
        halves = shapely.get_parts(polygonal(halves))
        todo = halves[~shapely.is_empty(halves) & (shapely.area(halves) > 0)]
    pieces = np.concatenate(done + [todo]) if done else todo
    return pieces[shapely.area(pieces) > 0]


def disjoint_pieces(geoms: ArrayLike, *, buffer_m: float = 0.0, max_vertices: int = 256) -> AnyArray:
    """A zone as disjoint, subdivided pieces: the union of ``geoms`` (grown by ``buffer_m`` metres) split into
    polygons of at most ``max_vertices`` vertices, each prepared for fast predicates. [geom (P,)]"""
    geoms = np.asarray(geoms, dtype=object)
    geoms = geoms[~shapely.is_empty(geoms)] if geoms.size else geoms
    if geoms.size == 0:
        return np.empty(0, dtype=object)
    if buffer_m > 0:
        geoms = shapely.buffer(geoms, buffer_m, quad_segs=8)
    union = shapely.union_all(polygonal(geoms))
    pieces = subdivide(np.array([union], dtype=object), max_vertices)
    shapely.prepare(pieces)
    return pieces


def location_tree(locations: ArrayLike) -> STRtree:
    """The spatial index over the locations that every zone is queried against."""
    return STRtree(np.asarray(locations, dtype=object))


def overlap_m2(locations: AnyArray, location_area: FloatArray, tree: STRtree, pieces: AnyArray) -> FloatArray:
    """Area of each location that lies in the zone made of the disjoint ``pieces``. [m² (L,)]

    Pairs are found with the STRtree (``intersects``; touching pairs give 0 m²); a piece that properly contains a
    location contributes the location's whole area without an intersection."""
    n = len(locations)
    if n == 0 or len(pieces) == 0:
        return np.zeros(n)
    piece_idx, loc_idx = tree.query(pieces, predicate="intersects")
    if loc_idx.size == 0:
        return np.zeros(n)
    inside = shapely.contains_properly(pieces[piece_idx], locations[loc_idx])
    area = np.where(inside, location_area[loc_idx], 0.0)
    edge = np.flatnonzero(~inside)
    if edge.size:
        area[edge] = shapely.area(shapely.intersection(locations[loc_idx[edge]], pieces[piece_idx[edge]]))
    return np.minimum(np.bincount(loc_idx, weights=area, minlength=n), location_area)


# ------------------------------------------------------------------------------------------------------ the rules
COMPARISONS = {
    "vanaf": np.greater_equal,
    "boven": np.greater,
    "tot": np.less,
    "tot_en_met": np.less_equal,
}


def compare(values: ArrayLike, op: str, ref) -> BoolArray:
    """Attribute condition of a rule (``vanaf`` ≥, ``boven`` >, ``tot`` <, ``tot_en_met`` ≤, ``gelijk``, ``in``);
    a missing value (NaN/None) never meets a condition. [bool (N,)]"""
    values = np.asarray(values)
    if op in COMPARISONS:
        v = values.astype(np.float64)
        with np.errstate(invalid="ignore"):
            return COMPARISONS[op](v, float(ref)) & ~np.isnan(v)
    if op == "gelijk":
        if isinstance(ref, bool):
            return np.array([ja_nee(x) is ref for x in values], dtype=bool)
        return np.array([x is not None and _same(x, ref) for x in values], dtype=bool)
    if op == "in":
        return np.array([x is not None and any(_same(x, r) for r in ref) for x in values], dtype=bool)
    raise ValueError(op)


def _same(x, ref) -> bool:
    if isinstance(ref, (int, float)) and not isinstance(ref, bool):
        try:
            return float(x) == float(ref)
        except (TypeError, ValueError):
            return False
    return str(x).strip().lower() == str(ref).strip().lower()


def ja_nee(x) -> bool | None:
    """Yes/no attribute value: ja/nee, true/false, 1/0 (any case); None when empty or not a yes/no."""
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return None
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, float, np.integer, np.floating)):
        return bool(x)
    s = str(x).strip().lower()
    if s in ("ja", "j", "true", "waar", "1", "yes", "y"):
        return True
    if s in ("nee", "n", "false", "onwaar", "0", "no"):
        return False
    return None


@rule(
    "Locatie valt onder een criterium",
    formule="overlap ≥ min_overlap_m2 en overlap / oppervlakte locatie > overlap_boven (en de locatievoorwaarde)",
    bron=BRON_WBS + "; drempels: regelset parameters/ruimte/wbs/<datum>.yaml",
)
def voldoet(overlap: ArrayLike, oppervlak: ArrayLike, overlap_boven: float, min_m2: float, locatie_ok: ArrayLike | None = None) -> BoolArray:
    """Whether each location meets one criterion: enough overlap (absolute and as a share of its area) and, when
    the criterion has one, the condition on the location's own attribute. [bool (L,)]"""
    overlap = np.asarray(overlap, dtype=np.float64)
    share = np.divide(overlap, oppervlak, out=np.zeros_like(overlap), where=np.asarray(oppervlak) > 0)
    ok = (overlap >= min_m2) & (overlap > 0) & (share > overlap_boven)
    if locatie_ok is not None:
        ok &= locatie_ok
    return ok


@rule(
    "Oordeel per regel",
    formule="zwaarste criterium van de regel waaraan de locatie voldoet (strijdig > aandachtspunt); anders geen",
    bron=BRON_WBS,
)
def oordeel(voldaan: ArrayLike, ernst: IntArray, regel_van: IntArray, n_regels: int) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.int64]]:
    """Verdict per location and rule, and the index of the criterion that decided it (−1: none).

    ``voldaan`` (L, C) bool; ``ernst`` (C,) 1 or 2; ``regel_van`` (C,) rule index of each criterion (criteria of a
    rule ordered from severe to light). Returns ``verdict`` (L, R) int8 and ``beslissend`` (L, R) int64."""
    voldaan = np.asarray(voldaan, dtype=bool)
    n = voldaan.shape[0]
    verdict = np.zeros((n, n_regels), dtype=np.int8)
    beslissend = np.full((n, n_regels), -1, dtype=np.int64)
    for c in range(voldaan.shape[1]):  # C is a handful of configured criteria, never data-sized
        r = regel_van[c]
        better = voldaan[:, c] & (ernst[c] > verdict[:, r])
        verdict[better, r] = ernst[c]
        beslissend[better, r] = c
    return verdict, beslissend


@rule(
    "Diepe polder",
    formule="gemiddelde maaiveldhoogte (oppervlaktegewogen) ≤ drempel [m NAP]",
    bron=BRON_WBS + ", keuze 13; drempel 'diep' is een keuze van de regelset",
)
def diepe_polder(gemiddelde_hoogte: ArrayLike, max_hoogte: float) -> BoolArray:
    """Which polders count as deep. [bool (K,)]"""
    g = np.asarray(gemiddelde_hoogte, dtype=np.float64)
    return ~np.isnan(g) & (g <= max_hoogte)


@rule(
    "Bergingsreservering diepe polder",
    formule="de laagste hoogtevlakken van elke polder tot samen berging_aandeel × oppervlakte polder",
    bron=BRON_WBS + ", keuze 13: 'We reserveren de 5% tot 10% van diepe polders voor waterberging, bij voorkeur de diepste delen.'",
)
def bergingsdeel(polder: ArrayLike, hoogte: ArrayLike, oppervlak: ArrayLike, polder_oppervlak: ArrayLike, aandeel: float) -> BoolArray:
    """Which elevation bands make up the storage reserve of their polder: bands sorted from low to high within each
    polder are taken while the area taken before them is below ``aandeel`` × the polder's area (the band that
    crosses the share is taken whole, so the reserve is at least the share). [bool (B,)]

    ``polder`` (B,) polder index of each band; ``hoogte`` (B,) [m NAP]; ``oppervlak`` (B,) [m²];
    ``polder_oppervlak`` (K,) [m²]."""
    polder = np.asarray(polder, dtype=np.int64)
    hoogte = np.asarray(hoogte, dtype=np.float64)
    oppervlak = np.asarray(oppervlak, dtype=np.float64)
    if polder.size == 0:
        return np.zeros(0, dtype=bool)
    order = np.lexsort((hoogte, polder))
    p, a = polder[order], oppervlak[order]
    cum = np.cumsum(a)
    start = np.r_[0, np.flatnonzero(np.diff(p)) + 1]
    offset = np.repeat(cum[start] - a[start], np.diff(np.r_[start, p.size]))
    before = cum - a - offset
    take = before < aandeel * np.asarray(polder_oppervlak, dtype=np.float64)[p]
    out = np.zeros(polder.size, dtype=bool)
    out[order] = take
    return out


@dataclass(frozen=True)
class PolderZones:
    """Keuze 13 zones derived from a polder layer and an elevation layer."""

    diep: BoolArray
    """(K,) bool: deep polders."""
    gemiddelde_hoogte: FloatArray
    """(K,) area-weighted mean surface level over the part covered by elevation bands [m NAP] (NaN: no bands)."""
    berging: AnyArray
    """geom (P,) disjoint pieces of the storage reserve of the deep polders."""
    diepe_polders: AnyArray
    """geom (P',) disjoint pieces of the deep polders."""


def polder_zones(polders: ArrayLike, banden: ArrayLike, band_hoogte: ArrayLike, max_hoogte: float, aandeel: float,
                 max_vertices: int = 256) -> PolderZones:
    """Intersect polders with elevation bands once (a small layer), find the deep polders and their deepest share."""
    polders = np.asarray(polders, dtype=object)
    banden = np.asarray(banden, dtype=object)
    k = len(polders)
    if k == 0 or len(banden) == 0:
        empty = np.empty(0, dtype=object)
        return PolderZones(np.zeros(k, bool), np.full(k, np.nan), empty, empty)
    tree = STRtree(banden)
    pi, bi = tree.query(polders, predicate="intersects")
    stukken = polygonal(shapely.intersection(polders[pi], banden[bi]))
    opp = shapely.area(stukken)
    keep = opp > 0
    pi, bi, stukken, opp = pi[keep], bi[keep], stukken[keep], opp[keep]
    h = np.asarray(band_hoogte, dtype=np.float64)[bi]
    w = np.bincount(pi, weights=opp, minlength=k)
    gem = np.divide(np.bincount(pi, weights=opp * h, minlength=k), w, out=np.full(k, np.nan), where=w > 0)
    diep = diepe_polder(gem, max_hoogte)
    sel = diep[pi]
    take = bergingsdeel(pi[sel], h[sel], opp[sel], shapely.area(polders), aandeel)
    berging = disjoint_pieces(stukken[sel][take], max_vertices=max_vertices)
    diepe = disjoint_pieces(polders[diep], max_vertices=max_vertices)
    return PolderZones(diep, gem, berging, diepe)
