"""REST endpoints /api/bbv/* (stateless) and the /bbv pages: delegation to the services, errors as 422."""
from __future__ import annotations

import io
import json

import openpyxl
import pytest
import yaml
from bbvdata import EXAMPLES, roll_grex_doc, valued_grex
from fastapi.testclient import TestClient

from opengrex.services.bbv import portfolio_to_dict, value_portfolio
from opengrex.web.app import create_app
from opengrex.web.settings import Settings


@pytest.fixture
def client(tmp_path):
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'app.db'}", auth=False, max_upload=4 * 1024 * 1024)
    with TestClient(create_app(settings)) as c:
        yield c


def test_api_waardering_of_a_portfolio_equals_the_service(client, demo_2025):
    body = json.loads(json.dumps(portfolio_to_dict(demo_2025), default=str))
    r = client.post("/api/bbv/waardering?trekkingen=100", json=body)
    assert r.status_code == 200, r.text
    data = r.json()
    w = value_portfolio(demo_2025)
    assert data["totalen"]["ncw"] == pytest.approx(w.totalen()["ncw"])
    assert data["monte_carlo"]["trekkingen"] == 100
    r = client.post("/api/bbv/waardering", json=valued_grex())
    assert r.status_code == 200 and r.json()["grexen"][0]["boekwaarde"] == pytest.approx(700.0)


def test_api_errors_are_422_with_field(client):
    r = client.post("/api/bbv/waardering", json=valued_grex(opbrengsten=[]))
    assert r.status_code == 422 and "zonder opbrengsten" in json.dumps(r.json())
    r = client.post("/api/bbv/waardering", json={"naam": "x", "balansjaar": 2024, "grexen": [{"bestand": "/etc/passwd"}]})
    assert r.status_code == 422 and "ingebed" in json.dumps(r.json())


def test_api_xlsx_public_by_default(client, demo_2025):
    body = json.loads(json.dumps(portfolio_to_dict(demo_2025), default=str))
    r = client.post("/api/bbv/waardering.xlsx", json=body)
    assert r.status_code == 200 and "openbaar" in r.headers["content-disposition"]
    assert "Posten" not in openpyxl.load_workbook(io.BytesIO(r.content)).sheetnames


def test_api_jaarovergang_multipart_and_renteschema(client):
    doc = yaml.safe_dump(roll_grex_doc()).encode()
    ledger = b"datum,project,kostensoort,bedrag\n2024-03-01,Rolgrex,A2,650\n"
    r = client.post("/api/bbv/jaarovergang", files={"document": ("g.yaml", doc), "grootboek": ("gb.csv", ledger)}, data={"indices": "kosten: 0.2"})
    assert r.status_code == 200, r.text
    data = r.json()
    line = data["grexen_na"][0]["kosten"][0]
    assert data["totalen"]["nominaal"]["indexatie"] == pytest.approx(-40.0)
    assert line.get("amount", line.get("bedrag")) == pytest.approx(480.0)  # English key now, Dutch alias once branch gp lands
    bad = b"datum,project,kostensoort,bedrag\n2023-03-01,Rolgrex,A2,650\n"
    r = client.post("/api/bbv/jaarovergang", files={"document": ("g.yaml", doc), "grootboek": ("gb.csv", bad)})
    assert r.status_code == 422 and "buiten het boekjaar" in json.dumps(r.json())
    r = client.post("/api/bbv/renteschema", json={"jaar": 2024, "a_externe_rentelasten": 1000, "activa_1_januari": 50000})
    assert r.status_code == 200 and r.json()["omslagrente_afgerond"] == pytest.approx(0.02)


def test_pages_form_valuation_and_jaarovergang(client):
    r = client.get("/bbv")
    assert r.status_code == 200 and "form-jaarovergang" in r.text
    r = client.post("/bbv/waardering", files={"document": ("pf.yaml", (EXAMPLES / "portefeuille-2023.yaml").read_bytes())})
    assert r.status_code == 422 and "ingebed" in r.text  # file references are not read from an upload
    r = client.post("/bbv/waardering", files={"document": ("g.yaml", yaml.safe_dump(valued_grex()).encode())})
    assert r.status_code == 200 and "grafiek-kasstroom" in r.text and "Handgrex" in r.text and "kengetal-weerstand" in r.text
    doc = yaml.safe_dump(roll_grex_doc()).encode()
    r = client.post("/bbv/jaarovergang", files={"document": ("g.yaml", doc), "grootboek": ("gb.csv", b"datum,project,kostensoort,bedrag\n2024-03-01,Rolgrex,A2,650\n")})
    assert r.status_code == 200 and "grafiek-oorzaken" in r.text and "tabel-jo-grexen" in r.text
