"""A small, invented demo layer set for the WBS screening, made deterministically in EPSG:28992, plus demo plan
locations and generated parcels for tests and benchmarks.

The area "De Brede Waard" (fictief, RD x 150–162 km, y 438–448 km) has a river with its winter bed (Bgr
rivierbed) and reservation strips along the dikes, a deep and a shallow polder with surface-level bands, a
peat area with subsidence classes, sandy soils with a Natura 2000 area, a lake of the IJsselmeer area in the
north-east and a coastal strip in the south-west. None of it is real data: it exists to show and test the
screening. ``examples/ruimte/maak_demo.py`` writes it to ``examples/ruimte/``.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely

RD = "EPSG:28992"
X0, Y0, X1, Y1 = 150_000.0, 438_000.0, 162_000.0, 448_000.0
"""Bounding box of the demo area [m, EPSG:28992]."""

LAAGNAMEN = ("ijsselmeergebied", "bgr_rivierbed", "reserveringszones", "polders", "maaiveldhoogte", "kustfundament",
             "overstromingsdiepte", "bodemdaling", "veengebieden", "hoge_zandgronden", "natura2000")


def _river_line() -> shapely.LineString:
    x = np.linspace(X0 - 500, X1 + 500, 241)
    y = 443_500 + 600 * np.sin((x - X0) / 1_800)
    return shapely.LineString(np.c_[x, y])


def _round(g):
    """Coordinates on a 1 cm grid (stable across platforms, exact in the files)."""
    return shapely.set_precision(g, 0.01)


@lru_cache(maxsize=1)
def demo_layers() -> dict[str, list[dict]]:
    """Every demo layer as a list of features ``{"geometry": ..., **attributes}`` (EPSG:28992)."""
    area = shapely.box(X0, Y0, X1, Y1)
    line = _river_line()
    bed = _round(shapely.intersection(shapely.buffer(line, 350, cap_style="flat"), area))
    strips = _round(shapely.intersection(shapely.difference(shapely.buffer(line, 470, cap_style="flat"), shapely.buffer(line, 350, cap_style="flat")), area))
    lake = shapely.Polygon([(158_500, 448_000), (162_000, 448_000), (162_000, 445_800), (160_500, 446_300), (159_300, 447_100)])
    coast = shapely.box(X0, Y0, 150_600, 441_500)
    deep = shapely.Polygon([(152_500, 438_800), (157_500, 438_800), (157_500, 441_800), (152_800, 441_800), (152_500, 441_200)])
    shallow = shapely.box(157_500, 438_800, 161_500, 441_800)
    # surface level: 250 m cells, deepest (-5,5 m NAP) in the middle of the deep polder
    xs = np.arange(152_500, 161_500, 250.0)
    ys = np.arange(438_800, 441_800, 250.0)
    gx, gy = np.meshgrid(xs, ys)
    cells = shapely.box(gx.ravel(), gy.ravel(), gx.ravel() + 250, gy.ravel() + 250)
    cx, cy = gx.ravel() + 125, gy.ravel() + 125
    dist = np.hypot((cx - 155_000) / 2_500, (cy - 440_300) / 1_500)
    level = np.where(cx < 157_500, np.clip(-5.5 + 4.5 * dist, -5.5, -1.0), -0.6 + 0.2 * np.sin(cx / 700.0))
    level = np.round(level, 1)
    core = shapely.intersection(shapely.Point(155_000, 440_300).buffer(1_200, quad_segs=16), deep)
    peat = shapely.box(X0, 444_900, 154_500, Y1)
    sand = shapely.difference(shapely.box(157_000, 444_800, X1, Y1), lake)
    n2000 = shapely.Polygon([(158_800, 445_000), (160_600, 445_000), (160_800, 445_900), (159_500, 446_100), (158_700, 445_700)])
    return {
        "ijsselmeergebied": [{"geometry": lake, "naam": "Het Brede Meer (fictief)"}],
        "bgr_rivierbed": [{"geometry": bed, "naam": "Winterbed Brede Rivier (fictief)"}],
        "reserveringszones": [{"geometry": g, "naam": f"Reserveringszone dijk {i + 1}"} for i, g in enumerate(shapely.get_parts(strips))],
        "polders": [{"geometry": deep, "naam": "Diepe Waardpolder (fictief)"}, {"geometry": shallow, "naam": "Hoge Waardpolder (fictief)"}],
        "maaiveldhoogte": [{"geometry": c, "maaiveld_m_nap": float(v)} for c, v in zip(cells, level)],
        "kustfundament": [{"geometry": coast, "naam": "Kustfundament (fictief)"}],
        "overstromingsdiepte": [
            {"geometry": _round(core), "diepte_m": 2.6},
            {"geometry": _round(shapely.difference(deep, core)), "diepte_m": 1.2},
            {"geometry": shallow, "diepte_m": 0.3},
        ],
        "bodemdaling": [
            {"geometry": shapely.box(X0, 444_900, 152_000, Y1), "daling_cm": 70.0},
            {"geometry": shapely.box(152_000, 444_900, 154_500, Y1), "daling_cm": 30.0},
        ],
        "veengebieden": [{"geometry": peat, "naam": "Veenweide De Brede Waard (fictief)"}],
        "hoge_zandgronden": [{"geometry": _round(sand), "naam": "Zandrug Oost (fictief)"}],
        "natura2000": [{"geometry": n2000, "naam": "Waardbossen (fictief Natura 2000-gebied)"}],
    }


def demo_locations() -> list[dict]:
    """Eleven plan locations that each show a verdict (see examples/ruimte/README.md for the expected table)."""
    line = _river_line()
    strips = shapely.difference(shapely.buffer(line, 470, cap_style="flat"), shapely.buffer(line, 350, cap_style="flat"))
    dijk = _round(shapely.intersection(strips, shapely.box(155_900, 442_700, 156_100, 443_000)))
    wijk = shapely.MultiPolygon([
        shapely.Polygon([(158_000, 439_500), (158_600, 439_500), (158_600, 440_100), (158_000, 440_100)],
                        [[(158_200, 439_700), (158_400, 439_700), (158_400, 439_900), (158_200, 439_900)]]),
        shapely.box(158_800, 439_500, 159_000, 439_700),
    ])
    rows = [
        ("L01", "Uiterwaard Noord", shapely.box(150_800, 444_000, 151_200, 444_400), None, None),
        ("L02", "Dijkzone Zuid", dijk, None, None),
        ("L03", "Polder Diep Centrum", shapely.box(154_800, 440_100, 155_200, 440_500), None, None),
        ("L04", "Polder Diep Rand", shapely.box(152_700, 439_000, 153_100, 439_400), None, None),
        ("L05", "Veenweide West", shapely.box(150_500, 446_000, 151_000, 446_500), 0.6, None),
        ("L06", "Veenweide Oost", shapely.box(153_000, 446_500, 153_400, 446_900), 0.3, None),
        ("L07", "Zandrug Oost", shapely.box(159_000, 446_300, 159_400, 446_600), None, "ja"),
        ("L08", "Meeroever", shapely.box(160_200, 446_100, 160_800, 446_700), None, "nee"),
        ("L09", "Kustlocatie", shapely.box(150_200, 439_000, 150_500, 439_300), None, None),
        ("L10", "De Hoge Akker", shapely.box(156_500, 446_500, 157_000, 447_000), None, None),
        ("L11", "Wijk met binnentuin", wijk, None, None),
    ]
    return [{"geometry": g, "id": i, "naam": n, "drooglegging_m": d, "grondwateronttrekking": w} for i, n, g, d, w in rows]


def layer_frames() -> dict:
    """The demo layers as GeoDataFrames (EPSG:28992)."""
    import geopandas as gpd

    return {name: gpd.GeoDataFrame(feats, geometry="geometry", crs=RD) for name, feats in demo_layers().items()}


def locations_frame():
    import geopandas as gpd

    return gpd.GeoDataFrame(demo_locations(), geometry="geometry", crs=RD)


def write_demo(folder: str | Path) -> list[Path]:
    """Write ``lagen/<naam>.gpkg`` (one file per layer), ``locaties.gpkg`` (EPSG:28992) and ``locaties.geojson``
    (EPSG:4326, RFC 7946, to show the reprojection) into ``folder``."""
    folder = Path(folder)
    (folder / "lagen").mkdir(parents=True, exist_ok=True)
    written = []
    for name, gdf in layer_frames().items():
        p = folder / "lagen" / f"{name}.gpkg"
        p.unlink(missing_ok=True)
        gdf.to_file(p, driver="GPKG", layer=name, engine="pyogrio")
        written.append(p)
    locs = locations_frame()
    p = folder / "locaties.gpkg"
    p.unlink(missing_ok=True)
    locs.to_file(p, driver="GPKG", layer="locaties", engine="pyogrio")
    written.append(p)
    p = folder / "locaties.geojson"
    p.unlink(missing_ok=True)
    locs.to_crs(4326).to_file(p, driver="GeoJSON", engine="pyogrio", COORDINATE_PRECISION=8)
    written.append(p)
    return written


def generate_parcels(n: int, seed: int = 2024) -> np.ndarray:
    """``n`` parcels (quadrilaterals, about √(area/n) wide, slightly jittered) tiling the demo area: a stand-in for
    a province's cadastral parcels in tests and benchmarks. Deterministic for a seed. [geom (n,)]"""
    rng = np.random.default_rng(seed)
    w, h = X1 - X0, Y1 - Y0
    cols = int(np.ceil(np.sqrt(n * w / h)))
    rows = int(np.ceil(n / cols))
    dx, dy = w / cols, h / rows
    k = np.arange(n)
    x = X0 + (k % cols) * dx
    y = Y0 + (k // cols) * dy
    j = rng.uniform(0.05, 0.2, size=(n, 4))
    coords = np.stack([
        np.c_[x + j[:, 0] * dx, y + j[:, 1] * dy],
        np.c_[x + (1 - j[:, 2]) * dx, y + j[:, 1] * dy],
        np.c_[x + (1 - j[:, 2]) * dx, y + (1 - j[:, 3]) * dy],
        np.c_[x + j[:, 0] * dx, y + (1 - j[:, 3]) * dy],
        np.c_[x + j[:, 0] * dx, y + j[:, 1] * dy],
    ], axis=1)
    return shapely.polygons(coords)
