"""Fixtures of the spatial screening tests: hand-built square layers with known overlaps (EPSG:28992)."""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "ruimte"
OX, OY = 150_000.0, 440_000.0
"""Origin of the hand-built test geometries [m, RD]."""


def box(x0, y0, x1, y1):
    return shapely.box(OX + x0, OY + y0, OX + x1, OY + y1)


def hand_locations() -> gpd.GeoDataFrame:
    """Five locations against the zone square (0,0)-(100,100):

    - binnen: (10,10)-(30,30), 400 m², 100% inside
    - raakt: (100,0)-(120,20), 400 m², touches the zone's edge, 0 m²
    - deels: (50,0)-(150,100), 10.000 m², half inside: 5.000 m² (50%)
    - buiten: (300,300)-(320,320), 400 m², 0 m² and far away
    - gat: multipolygon [(-20,-20)-(40,40) minus hole (0,0)-(20,20)] + [(80,80)-(90,90)]:
      area 3.600 − 400 + 100 = 3.300 m²; inside the zone (0..40)² − hole = 1.200 + 100 = 1.300 m² (39,39%)
    """
    hole = shapely.Polygon(box(-20, -20, 40, 40).exterior.coords, [box(0, 0, 20, 20).exterior.coords])
    gat = shapely.MultiPolygon([hole, box(80, 80, 90, 90)])
    rows = [("binnen", box(10, 10, 30, 30)), ("raakt", box(100, 0, 120, 20)), ("deels", box(50, 0, 150, 100)),
            ("buiten", box(300, 300, 320, 320)), ("gat", gat)]
    return gpd.GeoDataFrame({"id": [r[0] for r in rows]}, geometry=[r[1] for r in rows], crs="EPSG:28992")


EXPECTED_M2 = {"binnen": 400.0, "raakt": 0.0, "deels": 5000.0, "buiten": 0.0, "gat": 1300.0}
EXPECTED_AREA = {"binnen": 400.0, "raakt": 400.0, "deels": 10000.0, "buiten": 400.0, "gat": 3300.0}


@pytest.fixture
def locations() -> gpd.GeoDataFrame:
    return hand_locations()
