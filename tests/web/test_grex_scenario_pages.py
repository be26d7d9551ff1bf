"""The scenario page of a grex and its REST routes: scenarios side by side with their waterfall, the tornado, a
scenario tried without saving, kept in the grex (a new version), deleted, or saved as a grex of its own."""
from __future__ import annotations

import json

import pytest
from tests.web.fixtures_pages import *  # noqa: F401,F403

from opengrex.formatting import eur
from opengrex.services import grex_scenarios as gs
from opengrex.services.grex import calculate_grex, grex_from_dict


def _grex_id(client) -> int:
    return client.get("/api/grex").json()[0]["id"]


def _versions(client, gid: int) -> int:
    return len(client.get(f"/api/grex/{gid}/versions").json())


def test_page_shows_tornado_and_tries_a_scenario_without_saving(demo_client):
    gid = _grex_id(demo_client)
    html = demo_client.get(f"/grex/{gid}/scenarios").text
    grex = grex_from_dict(demo_client.get(f"/api/grex/{gid}").json()["data"])
    tor = gs.grex_tornado(grex)
    assert "Nog geen scenario's" in html and 'id="tabel-tornado"' in html and eur(tor.rows[0]["ncw_laag"]) in html
    assert "grafiek-tornado" in html and "± 1 procentpunt" in html
    r = demo_client.post(f"/grex/{gid}/scenarios/proef", data={"naam": "Proef", "wijzigingen": "rente=+0,01\nverschuif:opbrengsten=1"})
    assert r.status_code == 200 and "(proef, niet opgeslagen)" in r.text
    s = gs.run_grex_scenarios(grex, [gs.parse_grex_change("rente=+0,01"), gs.parse_grex_change("verschuif:opbrengsten=1")]).scenarios[0]
    assert eur(s.result.ncw) in r.text and eur(s.shapley[1]) in r.text and "waterval-1" in r.text
    assert _versions(demo_client, gid) == 1
    bad = demo_client.post(f"/grex/{gid}/scenarios/proef", data={"naam": "x", "wijzigingen": "rente=heel hoog"})
    assert bad.status_code == 200 and "ongeldige wijziging" in bad.text


def test_keep_delete_and_materialise_a_scenario(demo_client):
    gid = _grex_id(demo_client)
    r = demo_client.post(f"/grex/{gid}/scenarios", data={"naam": "Markt -10%", "wijzigingen": "opbrengsten=-10", "base_version": "1"}, follow_redirects=False)
    assert r.status_code == 303 and _versions(demo_client, gid) == 2
    data = demo_client.get(f"/api/grex/{gid}").json()["data"]
    assert data["scenarios"] == [{"naam": "Markt -10%", "omschrijving": "", "wijzigingen": [{"label": None, "procent": -10.0, "regels": [], "type": "opbrengsten"}]}]
    html = demo_client.get(f"/grex/{gid}/scenarios").text
    assert "Markt -10%" in html and "Opslaan als grondexploitatie" in html
    stale = demo_client.post(f"/grex/{gid}/scenarios", data={"naam": "Y", "wijzigingen": "kosten=+5", "base_version": "1"})
    assert stale.status_code == 409 and _versions(demo_client, gid) == 2
    r = demo_client.post(f"/grex/{gid}/scenarios/document", data={"naam": "Markt -10%"}, follow_redirects=False)
    assert r.status_code == 303
    new_id = int(r.headers["location"].split("/")[2].split("?")[0])
    new = demo_client.get(f"/api/grex/{new_id}").json()
    grex = grex_from_dict(data)
    expected = calculate_grex(gs.apply_changes(grex, grex.scenarios[0].wijzigingen)).ncw
    assert new["headline"]["ncw"] == pytest.approx(expected) and new["name"].endswith("— Markt -10%") and "scenarios" not in new["data"]
    r = demo_client.post(f"/grex/{gid}/scenarios/verwijder", data={"naam": "Markt -10%", "base_version": "2"}, follow_redirects=False)
    assert r.status_code == 303 and "scenarios" not in demo_client.get(f"/api/grex/{gid}").json()["data"] and _versions(demo_client, gid) == 3


def test_rest_scenarios_and_tornado(demo_client):
    gid = _grex_id(demo_client)
    data = demo_client.get(f"/api/grex/{gid}").json()["data"]
    r = demo_client.post("/api/grex/scenarios", json={"grex": data, "wijzigingen": ["rente=+0,01", "kosten=+10"], "naam": "Duur"})
    assert r.status_code == 200, r.text
    out = r.json()
    assert [x["scenario"] for x in out["scenarios"]] == ["Basis", "Duur"]
    assert sum(w["shapley"] for w in out["waterval"]) == pytest.approx(out["scenarios"][1]["verschil_ncw"])
    stored = demo_client.get(f"/api/grex/{gid}/scenarios", params={"wijziging": ["rente=+0,01", "kosten=+10"]}).json()
    assert stored["scenarios"][1]["ncw"] == pytest.approx(out["scenarios"][1]["ncw"])
    t = demo_client.post("/api/grex/tornado", json={"grex": data, "procent": 20}).json()
    assert t["invoer"][0]["bereik"] == "± 20 %" and t["basis_ncw"] == pytest.approx(calculate_grex(grex_from_dict(data)).ncw)
    assert demo_client.get(f"/api/grex/{gid}/tornado?jaren=2").json()["invoer"][-1]["invoer"]
    bad = demo_client.post("/api/grex/scenarios", json={"grex": data, "wijzigingen": ["onzin=1"]})
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "wijziging"
    assert json.loads(json.dumps(out))  # plain JSON
