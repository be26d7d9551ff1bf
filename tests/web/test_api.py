"""REST API: every endpoint, with its error cases (422 naming the field, 404 naming the id, 409, 413, malformed
uploads). A fresh SQLite database per test (fixtures in conftest)."""
from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import openpyxl
import pytest
import yaml

from opengrex.services.grex import calculate_grex, grex_from_dict

ROOT = Path(__file__).resolve().parents[2]


def ncw_of(data: dict) -> float:
    return calculate_grex(grex_from_dict(copy.deepcopy(data))).ncw


def create(client, data, comment="") -> dict:
    r = client.post("/api/grex", json={"data": data, "comment": comment})
    assert r.status_code == 201, r.text
    return r.json()


# ------------------------------------------------------------------------------------------- basics
def test_health_kinds_docs(client):
    assert client.get("/api/health").json()["status"] == "ok"
    kinds = {k["kind"]: k["beschikbaar"] for k in client.get("/api/kinds").json()}
    assert kinds["grex"] is True and set(kinds) == {"grex", "kostenverhaal", "bijdrage", "eindafrekening", "programma", "portefeuille", "plankosten", "gebied", "plancapaciteit"}
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("/api/grex", "/api/grex/{document_id}", "/api/grex/{document_id}/calculate", "/api/grex/{document_id}/export.xlsx",
              "/api/grex/{document_id}/versions", "/api/grex/{document_id}/compare", "/api/kostenverhaal", "/api/programma", "/api/documents"):
        assert p in paths


def test_create_get_list(client, demo_data):
    assert client.get("/api/grex").json() == []
    doc = create(client, demo_data, "eerste")
    assert doc["kind"] == "grex" and doc["current_version"] == 1 and doc["name"] == demo_data["naam"]
    assert doc["headline"]["ncw"] == pytest.approx(ncw_of(demo_data), abs=1e-6)
    got = client.get(f"/api/grex/{doc['id']}").json()
    assert got["data"]["kosten"][0]["naam"] == demo_data["kosten"][0]["naam"]
    listed = client.get("/api/grex").json()
    assert [d["id"] for d in listed] == [doc["id"]] and "data" not in listed[0]
    assert [d["id"] for d in client.get("/api/grex", params={"q": "hoge"}).json()] == [doc["id"]]
    assert client.get("/api/grex", params={"q": "bestaatniet"}).json() == []
    assert [d["id"] for d in client.get("/api/documents", params={"kind": "grex"}).json()] == [doc["id"]]
    assert client.get(f"/api/documents/{doc['id']}").json()["kind"] == "grex"


def test_create_invalid_names_field(client, demo_data):
    bad = copy.deepcopy(demo_data)
    bad["kosten"][2]["bedrag"] = -1
    r = client.post("/api/grex", json={"data": bad})
    assert r.status_code == 422
    d = r.json()["detail"]
    assert d["field"] == "kosten[2].bedrag" and d["value"] == -1 and "negatief" in d["message"] and d["allowed"]
    bad = copy.deepcopy(demo_data)
    bad["kosten"][0]["kleur"] = "rood"
    d = client.post("/api/grex", json={"data": bad}).json()["detail"]
    assert d["field"] == "kosten[0].kleur" and d["message"] == "onbekend veld"
    bad = copy.deepcopy(demo_data)
    del bad["prijspeil"]
    assert client.post("/api/grex", json={"data": bad}).json()["detail"]["field"] == "prijspeil"
    # several errors at once
    bad = copy.deepcopy(demo_data)
    bad["kosten"][0]["indexreeks"] = "nope"
    bad["opbrengsten"][0]["opbrengstsoort"] = "nope"
    fields = {e["field"] for e in client.post("/api/grex", json={"data": bad}).json()["detail"]["errors"]}
    assert fields == {"kosten[0].indexreeks", "opbrengsten[0].opbrengstsoort"}
    # wrong envelope / not JSON / not a mapping: 422 from the request validation, never 500
    assert client.post("/api/grex", json=demo_data).status_code == 422
    assert client.post("/api/grex", content=b"{nope", headers={"content-type": "application/json"}).status_code == 422
    assert client.post("/api/grex", json={"data": [1, 2]}).status_code == 422
    assert client.get("/api/health").json()["documents"] == 0


def test_not_found(client, demo_data):
    doc = create(client, demo_data)
    for method, url in [("get", "/api/grex/999"), ("put", "/api/grex/999"), ("delete", "/api/grex/999"), ("post", "/api/grex/999/calculate"),
                        ("get", "/api/grex/999/versions"), ("get", "/api/grex/999/export.yaml"), ("get", "/api/documents/999"),
                        ("get", f"/api/kostenverhaal/{doc['id']}")]:
        kwargs = {"json": {"data": demo_data}} if method == "put" else {}
        r = getattr(client, method)(url, **kwargs)
        assert r.status_code == 404, (method, url, r.text)
        assert r.json()["detail"]["value"] in (999, doc["id"]) and r.json()["detail"]["field"] == "document_id"
    r = client.get(f"/api/grex/{doc['id']}/versions/7")
    assert r.status_code == 404 and r.json()["detail"] == {"message": f"versie 7 van document {doc['id']} bestaat niet", "field": "version", "value": 7, "soort": "versie"}
    assert client.get("/api/grex/abc").status_code == 422


# ------------------------------------------------------------------------------------------- versions
def test_update_versions_compare(client, demo_data):
    doc = create(client, demo_data)
    changed = copy.deepcopy(demo_data)
    changed["kosten"][0]["bedrag"] = 9_000_000
    r = client.put(f"/api/grex/{doc['id']}", json={"data": changed, "comment": "lagere verwerving", "base_version": 1})
    assert r.status_code == 200 and r.json()["number"] == 2 and r.json()["comment"] == "lagere verwerving"
    assert r.json()["headline"]["ncw"] == pytest.approx(ncw_of(changed), abs=1e-6)
    # stale base version: 409, nothing written
    r = client.put(f"/api/grex/{doc['id']}", json={"data": changed, "base_version": 1})
    assert r.status_code == 409 and r.json()["detail"]["field"] == "base_version"
    # invalid: 422, nothing written
    bad = copy.deepcopy(changed)
    bad["eindjaar"] = 2000
    r = client.put(f"/api/grex/{doc['id']}", json={"data": bad})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "eindjaar"
    versions = client.get(f"/api/grex/{doc['id']}/versions").json()
    assert [v["number"] for v in versions] == [1, 2]
    v1 = client.get(f"/api/grex/{doc['id']}/versions/1").json()
    assert v1["data"]["kosten"][0]["bedrag"] == demo_data["kosten"][0]["bedrag"]
    cmp = client.get(f"/api/grex/{doc['id']}/compare", params={"a": 1, "b": 2}).json()
    assert cmp["regels"]["gewijzigd"][0]["pad"] == "kosten[0].bedrag"
    assert cmp["resultaten"]["ncw"]["verschil"] == pytest.approx(ncw_of(changed) - ncw_of(demo_data), abs=1e-6)
    assert client.get(f"/api/grex/{doc['id']}/compare", params={"a": 1, "b": 5}).status_code == 404
    assert client.get(f"/api/grex/{doc['id']}/compare", params={"a": 1}).status_code == 422
    # calculate an older version
    r = client.post(f"/api/grex/{doc['id']}/calculate", params={"version": 1})
    assert r.json()["ncw_bbv"] == pytest.approx(ncw_of(demo_data), abs=1e-6)


def test_delete(client, demo_data, monkeypatch):
    import datetime as dt

    from opengrex.store import models

    doc = create(client, demo_data)
    assert client.delete(f"/api/grex/{doc['id']}").status_code == 204
    assert client.get(f"/api/grex/{doc['id']}").status_code == 404
    # a deleted document waits 30 days in the bin (recoverable), then it is purged with all its versions
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=31)
    monkeypatch.setattr(models, "utcnow", lambda: later)
    assert client.post("/api/prullenbak/opschonen").json()["verwijderd"] == [f"grex {doc['id']} ({doc['name']})"]
    assert client.get("/api/health").json()["versions"] == 0


# ------------------------------------------------------------------------------------------- calculate
def test_calculate_stored_and_adhoc(client, demo_data):
    doc = create(client, demo_data)
    res = client.post(f"/api/grex/{doc['id']}/calculate").json()
    expected = calculate_grex(grex_from_dict(copy.deepcopy(demo_data)))
    assert res["ncw_bbv"] == pytest.approx(expected.ncw, abs=1e-6)
    assert res["eindwaarde"] == pytest.approx(expected.eindwaarde, abs=1e-6)
    assert [row["jaar"] for row in res["per_jaar"]] == expected.years
    assert res["eenheden"]["ncw"].startswith("EUR contant")
    adhoc = client.post("/api/grex/calculate", json=demo_data)
    assert adhoc.status_code == 200 and adhoc.json()["ncw_bbv"] == pytest.approx(expected.ncw, abs=1e-6)
    bad = copy.deepcopy(demo_data)
    bad["rente"] = -2
    r = client.post("/api/grex/calculate", json=bad)
    assert r.status_code == 422 and r.json()["detail"]["field"] == "rente"
    assert client.get("/api/health").json()["documents"] == 1  # ad-hoc calculations store nothing


def test_explain(client, demo_data):
    doc = create(client, demo_data)
    r = client.get(f"/api/grex/{doc['id']}/explain/ncw").json()
    assert r["functie"] == "opengrex.engine.grex.ncw_bbv" and r["waarde"] == pytest.approx(ncw_of(demo_data), abs=1e-6)
    r = client.get(f"/api/grex/{doc['id']}/explain/boekwaarde", params={"year": 2027})
    assert r.status_code == 200 and r.json()["invoer"]["F_y"] is not None
    r = client.get(f"/api/grex/{doc['id']}/explain/onzin")
    assert r.status_code == 422 and r.json()["detail"]["field"] == "figure"
    r = client.get(f"/api/grex/{doc['id']}/explain/boekwaarde", params={"year": 1990})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "year"


# ------------------------------------------------------------------------------------------- uploads
def test_upload_yaml_json_and_new_version(client, demo_text, demo_data):
    r = client.post("/api/grex/upload", files={"file": ("hoge-akker.yaml", demo_text.encode(), "application/yaml")}, data={"comment": "import"})
    assert r.status_code == 201, r.text
    doc = r.json()
    assert doc["headline"]["ncw"] == pytest.approx(ncw_of(demo_data), abs=1e-6)
    changed = copy.deepcopy(demo_data)
    changed["rente"] = 0.03
    r = client.post(f"/api/grex/{doc['id']}/upload", files={"file": ("v2.json", json.dumps(changed).encode(), "application/json")}, data={"base_version": "1"})
    assert r.status_code == 200 and r.json()["number"] == 2 and r.json()["comment"] == "geüpload: v2.json"
    assert client.get(f"/api/grex/{doc['id']}").json()["data"]["rente"] == 0.03


def test_upload_malformed(client, demo_text):
    def up(name, content):
        return client.post("/api/grex/upload", files={"file": (name, content, "application/octet-stream")})

    r = up("kapot.yaml", b"name: x\nkosten: [\n")
    assert r.status_code == 422 and "ongeldige YAML" in r.json()["detail"]["message"] and "kapot.yaml, regel" in r.json()["detail"]["location"]
    r = up("dubbel.yaml", b"name: a\nname: b\n")
    assert r.status_code == 422 and r.json()["detail"]["field"] == "name"
    r = up("fout.yaml", demo_text.replace("bedrag: 450000", "bedrag: -450000").encode())
    assert r.status_code == 422 and r.json()["detail"]["field"] == "kosten[1].bedrag" and "fout.yaml, regel 23" == r.json()["detail"]["location"]
    r = up("x.json", b"{\"name\": ")
    assert r.status_code == 422 and "ongeldige JSON" in r.json()["detail"]["message"]
    r = up("lijst.yaml", b"- 1\n- 2\n")
    assert r.status_code == 422 and "mapping" in r.json()["detail"]["message"]
    r = up("plaatje.png", b"\x89PNG")
    assert r.status_code == 422 and r.json()["detail"]["field"] == "bestand" and ".xlsx" in r.json()["detail"]["allowed"]
    r = up("leeg.yaml", b"")
    assert r.status_code == 422 and r.json()["detail"]["message"] == "het bestand is leeg"
    r = up("latin.yaml", "name: café".encode("latin-1"))
    assert r.status_code == 422 and "UTF-8" in r.json()["detail"]["message"]
    r = up("nep.xlsx", b"dit is geen werkmap")
    assert r.status_code == 422 and r.json()["detail"]["field"] == "bestand"
    assert client.post("/api/grex/upload").status_code == 422  # no file at all
    assert client.get("/api/health").json()["documents"] == 0


def test_upload_too_large(client, settings):
    big = b"name: x\n" + b"#" * (settings.max_upload + 10) + b"\n"
    r = client.post("/api/grex/upload", files={"file": ("groot.yaml", big, "application/yaml")})
    assert r.status_code == 413
    assert r.json()["detail"]["field"] == "bestand" and str(settings.max_upload) in r.json()["detail"]["allowed"]

    # streamed without Content-Length: counted while reading
    def chunks():
        yield b'{"data": {"name": "'
        for _ in range(settings.max_upload // 1000 + 2):
            yield b"x" * 1000
        yield b'"}}'

    r = client.post("/api/grex", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert client.get("/api/health").json()["documents"] == 0


def test_upload_excel_template(client, tmp_path, demo_data):
    from opengrex.io.xlsx_template import grex_to_template

    path = tmp_path / "sjabloon.xlsx"
    grex_to_template(grex_from_dict(copy.deepcopy(demo_data)), path)
    r = client.post("/api/grex/upload", files={"file": ("sjabloon.xlsx", path.read_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")})
    assert r.status_code == 201, r.text
    assert r.json()["headline"]["ncw"] == pytest.approx(ncw_of(demo_data), abs=0.01)


# ------------------------------------------------------------------------------------------- exports
def test_exports(client, demo_data):
    doc = create(client, demo_data)
    r = client.get(f"/api/grex/{doc['id']}/export.yaml")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/yaml")
    assert 'filename="De-Hoge-Akker-demo.yaml"' in r.headers["content-disposition"]
    assert ncw_of(yaml.safe_load(r.text)) == pytest.approx(ncw_of(demo_data), abs=1e-6)
    r = client.get(f"/api/grex/{doc['id']}/export.json")
    assert ncw_of(r.json()) == pytest.approx(ncw_of(demo_data), abs=1e-6)
    r = client.get(f"/api/grex/{doc['id']}/export.xlsx")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    formulas = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert len(formulas) > 50  # live formulas, not pasted values
    assert client.get(f"/api/grex/{doc['id']}/export.xlsx", params={"version": 3}).status_code == 404


# ------------------------------------------------------------------------------------------- other kinds
def test_bijdrage_documents(client):
    path = ROOT / "examples" / "kostenverhaal" / "soest-bijdrage-illustratief.yaml"
    r = client.post("/api/bijdrage/upload", files={"file": (path.name, path.read_bytes(), "application/yaml")})
    assert r.status_code == 201, r.text
    doc_id = r.json()["id"]
    from opengrex.services.bijdrage import calculate_bijdrage, load_bijdrage_input

    res = client.post(f"/api/bijdrage/{doc_id}/calculate").json()
    from opengrex.services.kinds import get_kind

    expected = get_kind("bijdrage").summary(calculate_bijdrage(load_bijdrage_input(path)))
    assert res == json.loads(json.dumps(expected))  # the API returns the capability's own result data
    assert client.get(f"/api/bijdrage/{doc_id}/export.xlsx").status_code == 200
    assert client.get(f"/api/grex/{doc_id}").status_code == 404


def test_unknown_kind_filter(client):
    r = client.get("/api/documents", params={"kind": "raket"})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "kind"


def test_default_limit_accepts_large_files(tmp_path, demo_text):
    """The default limit is 5 MB: a 3 MB YAML upload (padded with comments) is accepted, 6 MB is 413."""
    from fastapi.testclient import TestClient

    from opengrex.web.app import create_app
    from opengrex.web.settings import Settings

    s = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'big.db'}")
    assert s.max_upload == 5 * 1024 * 1024
    with TestClient(create_app(s)) as c:
        padding = ("# " + "x" * 98 + "\n") * 30_000
        r = c.post("/api/grex/upload", files={"file": ("groot.yaml", (demo_text + padding).encode(), "application/yaml")})
        assert r.status_code == 201, r.text[:300]
        r = c.post("/api/grex/upload", files={"file": ("te-groot.yaml", (demo_text + padding * 2).encode(), "application/yaml")})
        assert r.status_code == 413
