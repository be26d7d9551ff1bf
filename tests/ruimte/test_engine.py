"""Engine rules of the WBS screening on plain arrays: overlap without overlay, subdivision, verdicts, deep polders."""
from __future__ import annotations

import numpy as np
import pytest
import shapely
from tests.ruimte.conftest import EXPECTED_AREA, EXPECTED_M2, box, hand_locations

from opengrex.engine import ruimte as eng


def test_overlap_m2_known_cases():
    locs = hand_locations()
    geoms = np.asarray(locs.geometry.values, dtype=object)
    area = shapely.area(geoms)
    assert dict(zip(locs.id, area)) == pytest.approx(EXPECTED_AREA)
    pieces = eng.disjoint_pieces(np.array([box(0, 0, 100, 100)], dtype=object))
    got = eng.overlap_m2(geoms, area, eng.location_tree(geoms), pieces)
    assert dict(zip(locs.id, got)) == pytest.approx(EXPECTED_M2, abs=1e-6)


def test_overlapping_zone_features_are_not_counted_twice():
    # two zone squares that overlap each other: the location inside both counts once
    locs = hand_locations()
    geoms = np.asarray(locs.geometry.values, dtype=object)
    pieces = eng.disjoint_pieces(np.array([box(0, 0, 100, 100), box(0, 0, 60, 60)], dtype=object))
    got = eng.overlap_m2(geoms, shapely.area(geoms), eng.location_tree(geoms), pieces)
    assert dict(zip(locs.id, got)) == pytest.approx(EXPECTED_M2, abs=1e-6)


def test_subdivide_keeps_area_and_bounds_vertices():
    circle = shapely.Point(OX := 150_000, 440_000).buffer(1_000, quad_segs=512)  # 2049 vertices
    pieces = eng.subdivide(np.array([circle], dtype=object), max_vertices=64)
    assert len(pieces) > 10
    assert shapely.get_num_coordinates(pieces).max() <= 64
    assert shapely.area(pieces).sum() == pytest.approx(circle.area, rel=1e-12)
    assert shapely.area(shapely.union_all(pieces)) == pytest.approx(circle.area, rel=1e-9)  # disjoint pieces
    locs = np.array([shapely.box(OX - 500, 439_500, OX + 1_500, 440_500)], dtype=object)
    whole = eng.overlap_m2(locs, shapely.area(locs), eng.location_tree(locs), eng.disjoint_pieces(np.array([circle], dtype=object), max_vertices=64))
    assert whole[0] == pytest.approx(shapely.intersection(locs[0], circle).area, rel=1e-9)


def test_buffer_zone_reaches_touching_location():
    locs = hand_locations()
    geoms = np.asarray(locs.geometry.values, dtype=object)
    pieces = eng.disjoint_pieces(np.array([box(0, 0, 100, 100)], dtype=object), buffer_m=50)
    got = dict(zip(locs.id, eng.overlap_m2(geoms, shapely.area(geoms), eng.location_tree(geoms), pieces)))
    assert got["raakt"] == pytest.approx(400.0)  # fully within 50 m of the edge
    assert got["buiten"] == 0.0


@pytest.mark.parametrize("values, op, ref, expected", [
    (np.array([0.3, 0.5, 2.0, np.nan]), "vanaf", 0.5, [False, True, True, False]),
    (np.array([0.3, 0.5, 2.0, np.nan]), "boven", 0.5, [False, False, True, False]),
    (np.array([0.3, 0.5, 2.0, np.nan]), "tot", 0.5, [True, False, False, False]),
    (np.array(["ja", "Nee", None, 1], dtype=object), "gelijk", True, [True, False, False, True]),
    (np.array(["veen", "Zand", None], dtype=object), "in", ("zand", "klei"), [False, True, False]),
])
def test_compare(values, op, ref, expected):
    assert eng.compare(values, op, ref).tolist() == expected


def test_voldoet_scalar_and_array_thresholds():
    ov = np.array([0.0, 0.5, 1.0, 1000.0, 6000.0])
    area = np.array([100.0, 100.0, 100.0, 10_000.0, 10_000.0])
    assert eng.voldoet(ov, area, 0.0, 1.0).tolist() == [False, False, True, True, True]
    assert eng.voldoet(ov, area, 0.5, 1.0).tolist() == [False, False, False, False, True]  # share must be ABOVE 50%
    assert eng.voldoet(np.array([50.0]), np.array([100.0]), 0.5, 0.0).tolist() == [False]


def test_oordeel_takes_most_severe_and_records_criterion():
    voldaan = np.array([[True, True, False], [False, True, False], [False, False, True], [False, False, False]])
    ernst = np.array([2, 1, 1])
    regel_van = np.array([0, 0, 1])
    verdict, crit = eng.oordeel(voldaan, ernst, regel_van, 2)
    assert verdict.tolist() == [[2, 0], [1, 0], [0, 1], [0, 0]]
    assert crit.tolist() == [[0, -1], [1, -1], [-1, 2], [-1, -1]]


def test_bergingsdeel_hand_computed():
    # polder 0: bands at -5 (10 m²), -4 (30 m²), -1 (60 m²); 10% of 100 m² → only the -5 band (before: 0 < 10)
    # polder 1: bands -3 (5), -2 (95); 10% of 100 → -3 (before 0) and -2 (before 5 < 10) both taken
    polder = np.array([0, 0, 0, 1, 1])
    h = np.array([-4.0, -5.0, -1.0, -2.0, -3.0])
    a = np.array([30.0, 10.0, 60.0, 95.0, 5.0])
    take = eng.bergingsdeel(polder, h, a, np.array([100.0, 100.0]), 0.10)
    assert take.tolist() == [False, True, False, True, True]
    assert eng.diepe_polder(np.array([-2.0, -1.99, np.nan]), -2.0).tolist() == [True, False, False]


def test_polder_zones_deepest_part_is_reserve():
    polder = box(0, 0, 100, 100)
    bands = np.array([box(0, 0, 10, 100), box(10, 0, 100, 100)], dtype=object)
    z = eng.polder_zones(np.array([polder], dtype=object), bands, np.array([-6.0, -2.5]), -2.0, 0.10)
    assert z.diep.tolist() == [True]
    assert z.gemiddelde_hoogte[0] == pytest.approx(0.1 * -6.0 + 0.9 * -2.5)
    assert shapely.area(z.berging).sum() == pytest.approx(1_000.0)
    assert shapely.area(z.diepe_polders).sum() == pytest.approx(10_000.0)
