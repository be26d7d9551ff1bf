"""One explanation for every kind through the REST API (``/api/<kind>/<id>/uitleg?kengetal=``, and ad hoc with a
document in the body), and response models for the result endpoints so the OpenAPI schema describes them."""
from __future__ import annotations

import json

import pytest

from opengrex.services.documents import load_demo
from opengrex.services.kinds import get_kind, jsonable


@pytest.fixture
def demo_client(client, app):
    with app.state.db.transaction() as s:
        assert load_demo(s).skipped == []
    return client


def test_every_kind_explains_through_the_api(demo_client):
    docs = demo_client.get("/api/documents").json()
    done = set()
    for d in docs:
        k = get_kind(d["kind"])
        model = k.from_data(demo_client.get(f"/api/{k.name}/{d['id']}").json()["data"], "data")
        result = k.calculate(model)
        for kengetal in (x for x in k.kengetallen if ":" not in x):
            r = demo_client.get(f"/api/{k.name}/{d['id']}/uitleg", params={"kengetal": kengetal})
            if r.status_code == 422:  # not applicable to this document: says so, naming the figure
                assert r.json()["detail"]["field"] == "kengetal"
                continue
            assert r.status_code == 200, (k.name, kengetal, r.text[:300])
            assert r.json() == json.loads(json.dumps(jsonable(k.explain(result, kengetal).to_dict())))
            assert set(r.json()) == {"kengetal", "label", "waarde", "eenheid", "regel", "invoer", "parameters", "toelichting", "onderdelen"}
            done.add(k.name)
    assert done == {"grex", "kostenverhaal", "bijdrage", "eindafrekening", "programma", "portefeuille", "plankosten", "gebied", "plancapaciteit"}


def test_grex_explanation_by_id_and_ad_hoc(client, demo_data):
    from opengrex.services.grex import calculate_grex, grex_from_dict

    doc_id = client.post("/api/grex", json={"data": demo_data}).json()["id"]
    ncw = calculate_grex(grex_from_dict(demo_data)).ncw
    r = client.get(f"/api/grex/{doc_id}/uitleg", params={"kengetal": "ncw"}).json()
    assert r["waarde"] == pytest.approx(ncw) and r["regel"]["functie"] == "opengrex.engine.grex.ncw_bbv" and r["eenheid"].startswith("EUR contant")
    assert client.post(f"/api/grex/{doc_id}/uitleg", params={"kengetal": "ncw"}).json() == r
    adhoc = client.post("/api/grex/uitleg", params={"kengetal": "boekwaarde:2027"}, json=demo_data)
    assert adhoc.status_code == 200 and adhoc.json()["label"] == "Boekwaarde per 31-12-2027"
    for bad, field in (("winst", "kengetal"), ("boekwaarde:1990", "kengetal"), ("boekwaarde:x", "kengetal")):
        r = client.get(f"/api/grex/{doc_id}/uitleg", params={"kengetal": bad})
        assert r.status_code == 422 and r.json()["detail"]["field"] == field, bad
    assert client.get(f"/api/grex/{doc_id}/uitleg").status_code == 422  # kengetal is required
    assert client.get("/api/grex/999/uitleg", params={"kengetal": "ncw"}).status_code == 404


def test_result_endpoints_have_response_models(client):
    spec = client.get("/openapi.json").json()
    paths, schemas = spec["paths"], spec["components"]["schemas"]

    def ref(path: str, method: str) -> str:
        s = paths[path][method]["responses"]["200"]["content"]["application/json"]["schema"]
        return (s.get("$ref") or s.get("items", {}).get("$ref", "")).rsplit("/", 1)[-1]

    assert ref("/api/grex/{document_id}/calculate", "post") == "GrexSummary"
    assert ref("/api/grex/calculate", "post") == "GrexSummary"
    assert ref("/api/kostenverhaal/{document_id}/calculate", "post") == "KostenverhaalSummary"
    assert ref("/api/bijdrage/{document_id}/calculate", "post") == "BijdrageSummary"
    assert ref("/api/eindafrekening/{document_id}/calculate", "post") == "EindafrekeningSummary"
    assert ref("/api/programma/{document_id}/calculate", "post") == "ProgrammaSummary"
    assert ref("/api/programma/{document_id}/risk", "post") == "RiskSummary"
    assert ref("/api/programma/{document_id}/scenarios", "post") == "ScenarioComparisonOut"
    assert ref("/api/programma/{document_id}/verschil", "get") == "ProgrammeDifferenceOut"
    for kind in ("grex", "kostenverhaal", "bijdrage", "eindafrekening", "programma"):
        assert ref(f"/api/{kind}/{{document_id}}/uitleg", "get") == "ExplanationOut"
        assert ref(f"/api/{kind}/uitleg", "post") == "ExplanationOut"
    assert ref("/api/kinds", "get") == "KindInfo"
    assert "ncw_bbv" in schemas["GrexSummary"]["properties"] and "regel" in schemas["ExplanationOut"]["properties"]
    assert "EUR" in schemas["GrexSummary"]["properties"]["ncw_bbv"]["description"]


def test_kinds_describe_figures_downloads_and_confidential_fields(client):
    kinds = {k["kind"]: k for k in client.get("/api/kinds").json()}
    assert kinds["eindafrekening"]["valt_onder"] == "kostenverhaal"
    assert [d["key"] for d in kinds["grex"]["downloads"]] == ["yaml", "json", "xlsx"]
    assert "initiatiefnemer.grex.inline.kosten[].notitie" in kinds["kostenverhaal"]["vertrouwelijk"]
    assert {"key": "ncw", "label": "NCW (BBV)", "eenheid": "EUR contant"} in kinds["grex"]["kerncijfers"]
