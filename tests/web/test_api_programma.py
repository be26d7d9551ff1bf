"""``/api/programma``: the Hart van de Heuvelrug demo programmes stored, calculated, risk, scenarios and the
difference between the 2012 and 2013 Mastergrex explained per cause — each equal to what
:mod:`opengrex.services.programma` returns for the same files (the API only delegates)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from opengrex.services.kinds import jsonable

DIR = Path(__file__).resolve().parents[2] / "examples" / "hart-van-de-heuvelrug"


def _upload(client, name: str) -> int:
    path = DIR / name
    r = client.post("/api/programma/upload", files={"file": (path.name, path.read_bytes(), "application/yaml")})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _plain(o):
    return json.loads(json.dumps(jsonable(o)))


@pytest.fixture
def programmes(client):
    if not (DIR / "mastergrex-2012.yaml").exists():
        pytest.fail("examples/hart-van-de-heuvelrug/mastergrex-2012.yaml ontbreekt")
    return _upload(client, "mastergrex-2012.yaml"), _upload(client, "mastergrex-2013.yaml")


def test_programme_routes_delegate(client, programmes):
    from opengrex.services.programma import calculate_programme, compare_versions, load_programme, run_risk, run_scenarios

    a_id, b_id = programmes
    a, b = load_programme(DIR / "mastergrex-2012.yaml"), load_programme(DIR / "mastergrex-2013.yaml")
    assert client.post(f"/api/programma/{a_id}/calculate").json() == _plain(calculate_programme(a).summary())
    r = client.post(f"/api/programma/{a_id}/risk", params={"draws": 500, "seed": 7})
    assert r.status_code == 200 and r.json() == _plain(run_risk(a, draws=500, seed=7).summary())
    assert client.post(f"/api/programma/{b_id}/scenarios").json() == _plain(run_scenarios(b).to_dict())
    r = client.get(f"/api/programma/{a_id}/verschil", params={"ander": b_id})
    assert r.status_code == 200 and r.json() == _plain(compare_versions(a, b).to_dict())


def test_programme_route_errors(client, programmes):
    a_id, _ = programmes
    assert client.post(f"/api/programma/{a_id}/risk", params={"draws": 10**7}).status_code == 422
    r = client.get(f"/api/programma/{a_id}/verschil")
    assert r.status_code == 422 and r.json()["detail"]["field"] == "b"
    assert client.get(f"/api/programma/{a_id}/verschil", params={"b": 9}).status_code == 404
    assert client.post("/api/programma/999/risk").status_code == 404
