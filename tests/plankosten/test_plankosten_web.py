"""REST (/api/plankosten, stateless) and the page /plankosten: delegation to the service, errors as 422 naming the field."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from opengrex.web.app import create_app
from opengrex.web.settings import Settings

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "plankosten"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def client(tmp_path):
    app = create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'app.db'}", auth=False, max_upload=1 << 20))
    with TestClient(app) as c:
        yield c


def _plan(name="inbreiding-klein"):
    return json.loads(json.dumps(yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8")), default=str))


def test_api_bereken_json_and_file(client):
    r = client.post("/api/plankosten/bereken", json=_plan())
    assert r.status_code == 200 and round(r.json()["totaal"], 2) == 213_824.03
    up = client.post("/api/plankosten/bereken/bestand", files={"bestand": ("c.yaml", (EXAMPLES / "zonder-tijdvak.yaml").read_bytes())})
    assert up.status_code == 200 and round(up.json()["totaal"], 2) == 167_865.73


def test_api_errors_name_the_field(client):
    bad = _plan()
    bad["producten"] = ["9.9"]
    r = client.post("/api/plankosten/bereken", json=bad)
    assert r.status_code == 422 and r.json()["detail"]["field"] == "producten[0]"
    r = client.post("/api/plankosten/bereken", json=dict(_plan(), versie="2019-01-01"))
    assert r.status_code == 422 and r.json()["detail"]["field"] == "versie"
    r = client.post("/api/plankosten/bereken/bestand", files={"bestand": ("x.txt", b"abc")})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "bestand"


def test_api_toets_tabellen_export_sjabloon_verklaar(client):
    r = client.post("/api/plankosten/toets", json={"raming": 500_000, "plankostenscan": {"inline": _plan()}})
    assert r.status_code == 200 and r.json()["overschrijdt"] is True
    r = client.post("/api/plankosten/toets", json={"raming": 1, "plankostenscan": {"bestand": "/etc/passwd"}})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "plankostenscan"
    assert client.get("/api/plankosten/tabellen", params={"peildatum": "2026-08-01"}).json()["methode"] == "2026_07"
    assert client.post("/api/plankosten/export", json=_plan()).headers["content-type"] == XLSX
    assert client.get("/api/plankosten/sjabloon.xlsx").headers["content-type"] == XLSX
    exp = client.post("/api/plankosten/verklaar", params={"kengetal": "product:1.1a"}, json=_plan()).json()
    assert exp["kengetal"] == "product:1.1a" and exp["onderdelen"]


FORM = {
    "naam": "Formulier", "peildatum": "2024-05-01", "tijdvak": "met", "kostenverhaalsgebied.oppervlakte_ha": "0,8", "kostenverhaalsgebied.uitgeefbaar_ha": "0,5",
    "ligging": "binnenstedelijke_locatie", "onderzoeken": ["bodemsanering"], "programma.woningen": "40", "programma.gebouwen_met_woonfunctie": "40",
    "producten": "1.1a, 1.2, 1.3, 2.1, 2.5, 2.7", "taxatie.methode": "onafhankelijk", "taxatie.percelen_onbebouwd": "2", "taxatie.percelen_bebouwd": "4",
    "taxatie.hertaxaties": "0", "openbare_ruimte.verharding_m2": "2000", "openbare_ruimte.groen_water_m2": "1000", "looptijd.jaren_na_vaststelling": "5",
    "aanbesteding.vorm": "openbaar", "aanbesteding.aantal": "1",
}


def test_page_form_result_with_sources(client):
    assert "plankosten-form" in client.get("/plankosten").text
    r = client.post("/plankosten", data=FORM)
    assert r.status_code == 200
    assert "€ 213.824,03" in r.text and "tabel 1, rij 1.1a" in r.text and 'id="tabel-regels"' in r.text


def test_page_shows_errors_next_to_the_field(client):
    r = client.post("/plankosten", data=dict(FORM, producten="1.1a, 8.8"))
    assert r.status_code == 422 and "onbekend product" in r.text and "plankosten-fouten" in r.text
    r = client.post("/plankosten", data=dict(FORM, **{"kostenverhaalsgebied.oppervlakte_ha": "-1"}))
    assert 'data-veldfout="kostenverhaalsgebied.oppervlakte_ha" role="alert">waarde te klein' in r.text


def test_page_excel_download(client):
    r = client.post("/plankosten", data=dict(FORM, actie="excel"))
    assert r.status_code == 200 and r.headers["content-type"] == XLSX
