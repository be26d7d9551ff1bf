"""REST endpoints and pages of ruimte, monitor and regio (TestClient; the map in Chromium is in test_browser.py)."""
from __future__ import annotations

import pytest
from tests.ruimte.conftest import DEMO, ROOT
from tests.web.fixtures_pages import client, page_app  # noqa: F401


def upload(client, path, **params):  # noqa: F811
    with open(path, "rb") as fh:
        return client.post("/api/ruimte/toets", params=params, files={"file": (path.name, fh.read(), "application/octet-stream")})


def test_toets_json_geojson_and_kaart(client):  # noqa: F811
    r = upload(client, DEMO / "locaties.geojson", regels="2024-01-01")
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["regelset"]["versie"] == "2022-11-25" and data["aantal_locaties"] == 11
    l03 = next(x for x in data["locaties"] if x["locatie"] == "L03")
    assert l03["oordeel"] == "strijdig" and any(k["nummer"] == 13 and k["oordeel"] == "strijdig" for k in l03["keuzes"])
    r = upload(client, DEMO / "locaties.gpkg", formaat="geojson")
    fc = r.json()
    assert fc["type"] == "FeatureCollection" and fc["crs"]["properties"]["name"].endswith("28992") and fc["regelset"] == "wbs 2024-10-22"
    props = {f["properties"]["locatie"]: f["properties"] for f in fc["features"]}
    assert props["L09"]["r14_oordeel"] == "strijdig" and props["L10"]["oordeel"] == "geen"
    r = upload(client, DEMO / "locaties.gpkg", formaat="kaart")
    assert set(r.json()) == {"samenvatting", "geojson"}


def test_toets_bad_upload_is_422_with_field(client, tmp_path):  # noqa: F811
    p = tmp_path / "x.txt"
    p.write_text("geen geo")
    r = upload(client, p)
    assert r.status_code == 422 and r.json()["detail"]["field"] == "bestand"
    p = tmp_path / "kapot.geojson"
    p.write_text("{niet: json")
    r = upload(client, p)
    assert r.status_code == 422 and "kan bestand niet lezen" in r.json()["detail"]["message"]
    r = upload(client, DEMO / "locaties.gpkg", regels="1990-01-01")
    assert r.status_code == 422 and r.json()["detail"]["field"] == "--regels"


def test_png_layers_rules_and_demo(client):  # noqa: F811
    with open(DEMO / "locaties.gpkg", "rb") as fh:
        r = client.post("/api/ruimte/toets/kaart.png", params={"locatie": "L05"}, files={"file": ("l.gpkg", fh.read())})
    assert r.status_code == 200 and r.headers["content-type"] == "image/png" and r.content[:4] == b"\x89PNG"
    lagen = client.get("/api/ruimte/lagen").json()
    assert lagen["crs"] == "EPSG:28992" and len(lagen["lagen"]) == 11 and lagen["niet_getoetst"] == {}
    regels = client.get("/api/ruimte/regels", params={"regels": "2023-01-01"}).json()
    assert regels["versies"] == ["2022-11-25", "2024-10-22"] and regels["regelset"]["geldig_vanaf"] == "2022-11-25"
    demo = client.get("/api/ruimte/demo-locaties").json()
    assert len(demo["features"]) == 11


def test_monitor_and_regio_api(client):  # noqa: F811
    doelen = client.get("/api/monitor/doelen").json()
    assert sum(d["waarde"] for d in doelen if d["niveau"] == "provincie") == 917_193
    ctl = client.get("/api/monitor/controle").json()
    assert ctl["controles"][0]["verschil"] == 17_193
    with open(ROOT / "examples" / "monitor" / "plancapaciteit-heuvelrug.csv", "rb") as fh:
        r = client.post("/api/monitor/voortgang", params={"gebied": "Utrecht"}, files={"file": ("p.csv", fh.read())})
    assert r.status_code == 200 and r.json()["doel"]["waarde"] == 83_500 and r.json()["per_segment"]["sociale_huur"] == 475
    bad = b"gemeente,plan,woningen,hardheid,jaar_gereed,segment\nNergenshuizen,A,-3,hard,2025,sociale_huur\n"
    r = client.post("/api/monitor/voortgang", files={"file": ("p.csv", bad)})
    assert r.status_code == 422
    fields = [e["field"] for e in r.json()["detail"]["errors"]]
    assert fields == ["gemeente", "woningen"]
    prof = client.get("/api/regio/profiel").json()
    assert prof["kerncijfers"]["arbeidsplaatsen"]["waarde"] == 87_000


@pytest.mark.parametrize("url, text", [("/ruimte", "Toets Water en bodem"), ("/monitor", "917.193"), ("/regio", "190.000")])
def test_pages_render(client, url, text):  # noqa: F811
    r = client.get(url)
    assert r.status_code == 200 and text in r.text
    assert "Water en bodem" in r.text  # navigation entry
    csp = r.headers["content-security-policy"]
    assert "script-src 'self';" in csp
    assert ("https://service.pdok.nl" in csp) == (url == "/ruimte")  # only the map page may load PDOK tiles


def test_monitor_page_upload(client):  # noqa: F811
    with open(ROOT / "examples" / "monitor" / "plancapaciteit-heuvelrug.csv", "rb") as fh:
        r = client.post("/monitor", data={"gebied": "Utrecht"}, files={"bestand": ("p.csv", fh.read())})
    assert r.status_code == 200 and "69,0%" in r.text and "grafiek-voortgang" in r.text
    r = client.post("/monitor", data={"gebied": "Utrecht"}, files={"bestand": ("p.csv", b"gemeente;plan\nZeist;A\n")})
    assert r.status_code == 422 and "kolom(men) ontbreken" in r.text
