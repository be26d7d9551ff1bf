"""The three kinds of eindafrekening through the registry, the REST API and the page: a planschade settlement (no
payment, no categories, no interest) is stored, calculated, explained and shown like the others."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from opengrex.formatting import eur
from opengrex.web.app import create_app
from opengrex.web.settings import Settings

PLANSCHADE = {"naam": "Planschade Eikenlaan", "parameterset": "soest", "peildatum": "2023-07-01", "soort": "planschade", "datum": "2029-05-01",
              "planschade": {"geraamd": 100_000, "werkelijk": 60_000, "besluit_onherroepelijk": "2024-05-01"}}


@pytest.fixture
def client(tmp_path):
    app = create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'app.db'}", auth=False, max_upload=64 * 1024))
    with TestClient(app) as c:
        yield c


def test_planschade_settlement_page_api_and_explanation(client):
    r = client.post("/api/eindafrekening", json={"data": PLANSCHADE}, headers={"Origin": "http://testserver"})
    assert r.status_code in (200, 201), r.text[:500]
    doc_id = r.json()["id"]
    u = client.get(f"/api/eindafrekening/{doc_id}/uitleg", params={"kengetal": "planschade"})
    assert u.status_code == 200 and u.json()["waarde"] == 40_000
    assert client.get(f"/api/eindafrekening/{doc_id}/uitleg", params={"kengetal": "rente"}).json()["detail"]["field"] == "kengetal"
    page = client.get(f"/eindafrekening/{doc_id}")
    assert page.status_code == 200, page.text[:500]
    assert eur(40_000, 2) in page.text or eur(40_000) in page.text
