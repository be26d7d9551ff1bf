"""Screening through the service with hand-built layers: every checkable choice, inside / touching / partly /
outside / multipolygon with a hole, both rule set versions; missing layers are 'niet getoetst', never 'geen'."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from tests.ruimte.conftest import EXPECTED_M2, box, hand_locations

from opengrex.services import ruimte as svc

ZONE = box(0, 0, 100, 100)
IDS = ["binnen", "raakt", "deels", "buiten", "gat"]


def layer(**attrs) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({k: [v] for k, v in attrs.items()}, geometry=[ZONE], crs="EPSG:28992")


def polder_layers() -> dict:
    bands = gpd.GeoDataFrame({"maaiveld_m_nap": [-6.0, -2.5]}, geometry=[box(0, 0, 10, 100), box(10, 0, 100, 100)], crs="EPSG:28992")
    return {"polders": layer(naam="P"), "maaiveldhoogte": bands}


def frames_for(regel_id: str) -> dict:
    return {
        "9": {"ijsselmeergebied": layer()},
        "10": {"bgr_rivierbed": layer()},
        "11_22": {"reserveringszones": layer()},
        "13": polder_layers(),
        "14": {"kustfundament": layer()},
        "21_overstroming": {"overstromingsdiepte": layer(diepte_m=2.5)},
        "21_bodemdaling": {"bodemdaling": layer(daling_cm=70.0)},
        "25": {"veengebieden": layer()},
        "30_31": {"hoge_zandgronden": layer()},
        "33": {"natura2000": layer()},
    }[regel_id]


def located() -> gpd.GeoDataFrame:
    g = hand_locations()
    g["drooglegging_m"] = [0.6, 0.1, 0.3, None, None]
    g["grondwateronttrekking"] = ["ja", "nee", None, "nee", "ja"]
    return g


S, A, G = "strijdig", "aandachtspunt", "geen"
EXPECTED_2022 = {  # binnen, raakt, deels, buiten, gat
    "9": [S, A, S, G, S],        # any overlap strijdig; within 100 m aandachtspunt
    "10": [S, G, S, G, S],
    "11_22": [S, A, S, G, S],    # within 50 m aandachtspunt
    "13": [A, G, A, G, S],       # gat reaches the deepest 10% strip (x 0-10, y 20-40: 200 m²)
    "14": [S, G, S, G, S],
    "21_overstroming": [S, G, S, G, S],   # depth ≥ 2 m on more than 10%
    "21_bodemdaling": [S, G, A, G, A],    # ≥ 60 cm on MORE than 50%: deels is exactly 50% → aandachtspunt
    "25": [S, G, A, G, A],       # drooglegging 0,6 > 0,40 → strijdig; 0,3 → aandachtspunt; gat unknown → aandachtspunt
    "30_31": [A, G, A, G, A],
    "33": [S, A, A, A, S],       # within 500 m; grondwateronttrekking ja → strijdig
}
EXPECTED_2024 = dict(EXPECTED_2022, **{
    "10": [A, G, A, G, A],
    "13": [A, G, A, G, A],
    "21_overstroming": [A, G, A, G, A],
    "21_bodemdaling": [A, G, A, G, A],
    "25": [A, G, A, G, A],
})


@pytest.mark.parametrize("versie, expected", [("2022-11-25", EXPECTED_2022), ("2024-10-22", EXPECTED_2024)])
@pytest.mark.parametrize("regel_id", list(EXPECTED_2022))
def test_every_checkable_choice_hand_built(versie, expected, regel_id):
    rs = svc.load_regelset(versie)
    prepared = svc.prepare_rules(rs, None, frames=frames_for(regel_id))
    res = svc.screen(located(), prepared=prepared)
    ri = [r.id for r in rs.regels].index(regel_id)
    got = [svc.eng.OORDEEL_TEKST[int(v)] for v in res.verdict[:, ri]]
    assert got == expected[regel_id]
    # every other rule lacks its layer: said explicitly, never "geen"
    for rj, r in enumerate(rs.regels):
        if r.id != regel_id and r.laag not in frames_for(regel_id):
            assert (res.verdict[:, rj] == -1).all()
            assert "ontbreekt" in res.niet_getoetst[r.id]
            assert "niet getoetst" in res.toelichting(0, rj)
    assert res.summary()["regelset"]["versie"] == versie


@pytest.mark.parametrize("regel_id", ["10", "14", "30_31"])
def test_overlap_m2_and_percent_reported(regel_id):
    prepared = svc.prepare_rules(svc.load_regelset("2022-11-25"), None, frames=frames_for(regel_id))
    res = svc.screen(located(), prepared=prepared)
    ri = [r.id for r in res.regels].index(regel_id)
    assert dict(zip(res.ids, res.overlap[:, ri])) == pytest.approx(EXPECTED_M2, abs=1e-6)
    pct = dict(zip(res.ids, res.aandeel[:, ri] * 100))
    assert pct["deels"] == pytest.approx(50.0)
    assert pct["gat"] == pytest.approx(1300 / 3300 * 100)
    row = res.location("gat")
    entry = next(r for r in row["regels"] if r["regel"] == regel_id)
    assert entry["overlap_m2"] == pytest.approx(1300.0) and entry["overlap_pct"] == pytest.approx(39.3939, abs=1e-3)
    assert any(k["tekst"].startswith("We ") for k in row["keuzes"])  # the choice's text from seed 004


def test_unknown_location_attribute_is_flagged_not_silently_geen():
    prepared = svc.prepare_rules(svc.load_regelset("2022-11-25"), None, frames=frames_for("25"))
    g = hand_locations()  # no drooglegging_m column at all
    res = svc.screen(g, prepared=prepared)
    ri = [r.id for r in res.regels].index("25")
    assert [svc.eng.OORDEEL_TEKST[int(v)] for v in res.verdict[:, ri]] == [A, G, A, G, A]
    assert res.onbekend[:, ri].tolist() == [True, False, True, False, True]
    assert "drooglegging_m onbekend" in res.toelichting(0, ri)


def test_keuze_21_combines_its_two_rules():
    frames = {**frames_for("21_overstroming")}
    prepared = svc.prepare_rules(svc.load_regelset("2022-11-25"), None, frames=frames)
    res = svc.screen(located(), prepared=prepared)
    keuzes, kv = res.keuze_oordelen()
    col = keuzes.index(21)
    assert [svc.eng.OORDEEL_TEKST[int(v)] for v in kv[:, col]] == [S, G, S, G, S]  # bodemdaling missing, overstroming decides
    assert kv[:, keuzes.index(10)].tolist() == [-1] * 5


def test_rule_set_versions_by_date_and_old_screening_recomputes(tmp_path):
    assert svc.load_regelset("2024-01-01").geldig_vanaf.isoformat() == "2022-11-25"
    assert svc.load_regelset("2025-01-01").geldig_vanaf.isoformat() == "2024-10-22"
    assert svc.load_regelset().geldig_vanaf.isoformat() == "2024-10-22"
    with pytest.raises(svc.InputError) as e:
        svc.load_regelset("2020-01-01")
    assert "2022-11-25" in str(e.value)
    old = svc.screen(located(), prepared=svc.prepare_rules(svc.load_regelset("2023-06-01"), None, frames=frames_for("10")))
    out = tmp_path / "oud.csv"
    old.write(out)
    import pandas as pd

    saved = pd.read_csv(out)
    assert set(saved["regelset"]) == {"wbs 2022-11-25"}
    again = svc.screen(located(), prepared=svc.prepare_rules(svc.load_regelset(saved["regelset"][0].split()[1]), None, frames=frames_for("10")))
    assert (again.verdict == old.verdict).all()
    assert list(again.frame()["oordeel"]) == list(saved["oordeel"])
    new = svc.screen(located(), prepared=svc.prepare_rules(svc.load_regelset("2025-01-01"), None, frames=frames_for("10")))
    ri = [r.id for r in new.regels].index("10")
    assert old.verdict[0, ri] == 2 and new.verdict[0, ri] == 1


def test_every_rule_cites_a_source_and_every_choice_has_seed_text():
    teksten = svc.keuze_teksten()
    assert sorted(teksten) == list(range(1, 34))
    for versie in ("2022-11-25", "2024-10-22"):
        rs = svc.load_regelset(versie)
        assert {k for r in rs.regels for k in r.keuzes} == {9, 10, 11, 22, 13, 14, 21, 25, 30, 31, 33}
        for r in rs.regels:
            assert r.bron.document and r.bron.citaat
            for k in r.keuzes:
                assert teksten[k]["tekst"]
        assert rs.niet_geverifieerd
    assert teksten[13]["tekst"].startswith("We reserveren de 5% tot 10% van diepe polders voor waterberging")
    assert teksten[10]["regel"] == 172


def test_demo_example_verdicts():
    res = svc.screen(str(svc_demo("locaties.gpkg")), svc_demo("lagen"), "2022-11-25")
    table = res.frame().pivot(index="locatie", columns="regel", values="oordeel")
    assert table.loc["L01", "10"] == S and table.loc["L01", "11_22"] == S
    assert table.loc["L02", "11_22"] == S and res.aandeel[res.index_of("L02"), 2] == pytest.approx(1.0, abs=1e-4)  # demo geometry on a 1 cm grid
    assert table.loc["L03", "13"] == S and table.loc["L04", "13"] == A
    assert table.loc["L05", "25"] == S and table.loc["L06", "25"] == A
    assert table.loc["L07", "33"] == S and table.loc["L08", "9"] == S and table.loc["L09", "14"] == S
    assert (table.loc["L10"] == G).all() and not res.meldingen
    soft = svc.screen(str(svc_demo("locaties.geojson")), svc_demo("lagen"), "2025-01-01")
    t2 = soft.frame().pivot(index="locatie", columns="regel", values="oordeel")
    assert t2.loc["L03", "13"] == A and t2.loc["L01", "10"] == A and t2.loc["L09", "14"] == S
    # GeoJSON in EPSG:4326 gives the same overlaps as the RD GeoPackage (to centimetres of reprojection)
    assert np.nanmax(np.abs(res.overlap - soft.overlap)) < 1.0


def svc_demo(name: str):
    from tests.ruimte.conftest import DEMO

    return DEMO / name


def test_committed_demo_files_match_the_generator(tmp_path):
    from opengrex.io.geo import read_vector
    from opengrex.io.ruimte_demo import LAAGNAMEN, layer_frames, locations_frame

    frames = layer_frames()
    assert sorted(frames) == sorted(LAAGNAMEN)
    for name, gdf in frames.items():
        saved = read_vector(svc_demo("lagen") / f"{name}.gpkg")
        assert saved.crs.to_epsg() == 28992
        assert saved.geometry.geom_equals(gdf.geometry).all(), name
    locs = read_vector(svc_demo("locaties.gpkg"))
    assert locs.geometry.geom_equals(locations_frame().geometry).all()


def test_png_map_per_location():
    res = svc.screen(str(svc_demo("locaties.gpkg")), svc_demo("lagen"))
    png = svc.location_map_png(res, "L03")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    with pytest.raises(svc.InputError):
        svc.location_map_png(res, "L99")


def test_explain_names_zone_thresholds_and_source():
    res = svc.screen(str(svc_demo("locaties.gpkg")), svc_demo("lagen"), "2022-11-25")
    e = res.explain("L03:13").to_dict()
    assert e["waarde"] == "strijdig"
    assert any("diepe polder" in p["naam"] for p in e["parameters"])
    assert any("Kamerstuk 27 625, nr. 592" in p["bron"] for p in e["parameters"])
    assert any(t.startswith("Keuze 13: We reserveren") for t in e["toelichting"])
    with pytest.raises(svc.InputError) as err:
        res.explain("L03")
    assert "locatie>:<regel" in str(err.value)
