"""Bad input for the screening: CRS, empty files, invalid and non-polygon geometry, missing attributes, ids; and
reprojection from EPSG:4326 checked against known RD coordinates."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from tests.ruimte.conftest import DEMO, box, hand_locations

from opengrex.errors import InputError
from opengrex.io import geo
from opengrex.services import ruimte as svc


def test_amersfoort_olv_toren_from_wgs84_lands_on_rd_origin():
    # Onze Lieve Vrouwetoren, Amersfoort: origin of the RD grid, x = 155 000, y = 463 000 (WGS84 ≈ 52.15517440 N, 5.38720621 E)
    lon, lat, d = 5.38720621, 52.15517440, 0.0001
    g = gpd.GeoDataFrame({"id": ["olv"]}, geometry=[shapely.box(lon - d, lat - d, lon + d, lat + d)], crs="EPSG:4326")
    rd = geo.to_rd(g, "test")
    c = rd.geometry.iloc[0].centroid
    assert abs(c.x - 155_000) < 1.0 and abs(c.y - 463_000) < 1.0


def test_locations_in_wgs84_file_are_reprojected(tmp_path):
    g = hand_locations().to_crs(4326)
    p = tmp_path / "loc.geojson"
    g.to_file(p, driver="GeoJSON", engine="pyogrio", COORDINATE_PRECISION=9)
    frames = {"bgr_rivierbed": gpd.GeoDataFrame(geometry=[box(0, 0, 100, 100)], crs="EPSG:28992")}
    res = svc.screen(p, prepared=svc.prepare_rules(svc.load_regelset("2022-11-25"), None, frames=frames))
    ri = [r.id for r in res.regels].index("10")
    assert res.overlap[res.index_of("deels"), ri] == pytest.approx(5000.0, rel=1e-5)


def test_missing_crs_is_an_error_unless_given(tmp_path):
    p = tmp_path / "geen_crs.geojson"
    p.write_text('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Polygon","coordinates":[[[150000,440000],[150100,440000],[150100,440100],[150000,440100],[150000,440000]]]}}]}')
    # GeoJSON without crs member is WGS84 by RFC 7946: RD numbers read as degrees cannot be reprojected → error
    with pytest.raises(InputError) as e:
        svc.screen(p, DEMO / "lagen")
    assert e.value.field == "crs" and "object 1" in str(e.value)
    # plausible degrees that lie outside the RD area: a warning, the screening goes on
    far = gpd.GeoDataFrame({"id": ["parijs"]}, geometry=[shapely.box(2.35, 48.85, 2.36, 48.86)], crs="EPSG:4326")
    res = svc.screen(far, DEMO / "lagen")
    assert any("buiten het gebied van RD New" in m.tekst for m in res.meldingen)
    shp = tmp_path / "loc.shp"
    hand_locations().to_file(shp, engine="pyogrio")
    shp.with_suffix(".prj").unlink()
    with pytest.raises(InputError) as e:
        svc.screen(shp, DEMO / "lagen")
    assert e.value.field == "crs" and str(shp) in str(e.value)
    ok = svc.screen(shp, DEMO / "lagen", crs="EPSG:28992")
    assert len(ok.ids) == 5
    with pytest.raises(InputError) as e:
        svc.screen(shp, DEMO / "lagen", crs="EPSG:999999")
    assert "coördinatenstelsel" in str(e.value)


def test_empty_file_and_unknown_format(tmp_path):
    p = tmp_path / "leeg.gpkg"
    hand_locations().iloc[:0].to_file(p, driver="GPKG", engine="pyogrio")
    with pytest.raises(InputError) as e:
        svc.screen(p, DEMO / "lagen")
    assert "geen locaties" in str(e.value)
    with pytest.raises(InputError) as e:
        svc.screen(tmp_path / "x.txt", DEMO / "lagen")
    assert "bestaat niet" in str(e.value) or "formaat" in str(e.value)


def bowtie_locations():
    g = hand_locations()
    bow = shapely.Polygon([(150_000, 440_000), (150_100, 440_100), (150_100, 440_000), (150_000, 440_100), (150_000, 440_000)])
    return gpd.GeoDataFrame({"id": list(g.id) + ["vlinder"]}, geometry=list(g.geometry) + [bow], crs="EPSG:28992")


def test_invalid_geometry_repaired_and_reported_or_rejected():
    frames = {"bgr_rivierbed": gpd.GeoDataFrame(geometry=[box(0, 0, 100, 100)], crs="EPSG:28992")}
    prepared = svc.prepare_rules(svc.load_regelset("2022-11-25"), None, frames=frames)
    res = svc.screen(bowtie_locations(), prepared=prepared)
    m = [x for x in res.meldingen if x.veld == "geometrie"]
    assert m and "vlinder" in m[0].object and "make_valid" in m[0].tekst
    ri = [r.id for r in res.regels].index("10")
    assert res.overlap[res.index_of("vlinder"), ri] == pytest.approx(5000.0)  # two triangles of 2.500 m²
    with pytest.raises(InputError) as e:
        svc.screen(bowtie_locations(), prepared=prepared, ongeldig="weiger")
    assert "vlinder" in str(e.value) and "Self-intersection" in str(e.value)


def test_non_polygon_and_missing_geometry_name_the_feature():
    frames = {"bgr_rivierbed": gpd.GeoDataFrame(geometry=[box(0, 0, 100, 100)], crs="EPSG:28992")}
    prepared = svc.prepare_rules(svc.load_regelset("2022-11-25"), None, frames=frames)
    g = gpd.GeoDataFrame({"id": ["a", "punt"]}, geometry=[box(0, 0, 10, 10), shapely.Point(150_000, 440_000)], crs="EPSG:28992")
    with pytest.raises(InputError) as e:
        svc.screen(g, prepared=prepared)
    assert "punt" in str(e.value) and "Point" in str(e.value)
    g = gpd.GeoDataFrame({"id": ["a", "leeg"]}, geometry=[box(0, 0, 10, 10), None], crs="EPSG:28992")
    with pytest.raises(InputError) as e:
        svc.screen(g, prepared=prepared)
    assert "leeg" in str(e.value) and e.value.field == "geometrie"


def test_duplicate_and_missing_ids():
    frames = {"bgr_rivierbed": gpd.GeoDataFrame(geometry=[box(0, 0, 100, 100)], crs="EPSG:28992")}
    prepared = svc.prepare_rules(svc.load_regelset("2022-11-25"), None, frames=frames)
    g = hand_locations()
    g.loc[1, "id"] = "binnen"
    with pytest.raises(InputError) as e:
        svc.screen(g, prepared=prepared)
    assert "dubbele locatie-id" in str(e.value) and "binnen" in str(e.value)
    with pytest.raises(InputError) as e:
        svc.screen(hand_locations(), prepared=prepared, id_veld="code")
    assert e.value.field == "code" and "id" in e.value.allowed
    g = hand_locations().drop(columns=["id"])
    res = svc.screen(g, prepared=prepared)
    assert list(res.ids) == ["1", "2", "3", "4", "5"]


def test_layer_without_expected_attribute_names_layer_and_field(tmp_path):
    frames = {"overstromingsdiepte": gpd.GeoDataFrame({"diepte": [2.5]}, geometry=[box(0, 0, 100, 100)], crs="EPSG:28992")}
    with pytest.raises(InputError) as e:
        svc.prepare_rules(svc.load_regelset("2022-11-25"), None, frames=frames)
    assert "overstromingsdiepte" in str(e.value) and e.value.field == "diepte_m" and "diepte" in e.value.allowed
    # a lagen.yaml maps the dataset's own column to the rule set's field
    folder = tmp_path / "lagen"
    folder.mkdir()
    frames["overstromingsdiepte"].to_file(folder / "liwo.gpkg", driver="GPKG", engine="pyogrio")
    (folder / "lagen.yaml").write_text("lagen:\n  overstromingsdiepte: {bestand: liwo.gpkg, velden: {diepte_m: diepte}}\n")
    prepared = svc.prepare_rules(svc.load_regelset("2022-11-25"), folder)
    res = svc.screen(hand_locations(), prepared=prepared)
    ri = [r.id for r in res.regels].index("21_overstroming")
    assert res.verdict[:, ri].tolist() == [2, 0, 2, 0, 2]
    assert "niet getoetst" in res.toelichting(0, [r.id for r in res.regels].index("10"))


def test_layer_with_non_number_and_empty_values(tmp_path):
    bad = gpd.GeoDataFrame({"diepte_m": ["diep"]}, geometry=[box(0, 0, 100, 100)], crs="EPSG:28992")
    with pytest.raises(InputError) as e:
        svc.prepare_rules(svc.load_regelset("2022-11-25"), None, frames={"overstromingsdiepte": bad})
    assert "object 1" in str(e.value) and e.value.value == "diep"
    empty = gpd.GeoDataFrame({"diepte_m": [None, 2.5]}, geometry=[box(200, 200, 300, 300), box(0, 0, 100, 100)], crs="EPSG:28992")
    prepared = svc.prepare_rules(svc.load_regelset("2022-11-25"), None, frames={"overstromingsdiepte": empty})
    assert any(m.veld == "diepte_m" and m.object == "object 1" for m in prepared.meldingen)


def test_missing_layer_folder_and_reason_text(tmp_path):
    res = svc.screen(hand_locations(), tmp_path)
    assert (res.verdict == -1).all()
    assert all("ontbreekt" in v for v in res.niet_getoetst.values())
    with pytest.raises(InputError):
        svc.screen(hand_locations(), tmp_path / "bestaat-niet")


def test_unknown_engine_and_options():
    with pytest.raises(InputError) as e:
        svc.screen(hand_locations(), DEMO / "lagen", engine="spark")
    assert e.value.allowed == "local, dask"
    with pytest.raises(InputError):
        svc.screen(hand_locations(), DEMO / "lagen", ongeldig="negeer")
    with pytest.raises(InputError) as e:
        svc.load_regelset("gisteren")
    assert e.value.field == "--regels"
    assert np.isfinite(svc.screen(hand_locations(), DEMO / "lagen").oppervlak).all()
