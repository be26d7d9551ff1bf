"""Every kind of demo document (grex, kostenverhaal, bijdrage, eindafrekening, programma where present) goes
through the same routes: stored, calculated, exported as YAML and uploaded again with the same results."""
from __future__ import annotations

import pytest

from opengrex.services.documents import demo_files, load_demo
from opengrex.services.kinds import KINDS


@pytest.fixture
def demo_client(client, app):
    with app.state.db.transaction() as s:
        report = load_demo(s)
    assert report.skipped == [], report.skipped
    return client


def test_demo_covers_available_kinds(demo_client):
    kinds = {d["kind"] for d in demo_client.get("/api/documents").json()}
    expected = {k for k, _ in demo_files() if k in KINDS}
    assert kinds == expected and "grex" in kinds


def test_every_demo_document_round_trips(demo_client):
    docs = demo_client.get("/api/documents").json()
    assert docs
    for d in docs:
        kind, doc_id = d["kind"], d["id"]
        assert demo_client.get(f"/api/{kind}/{doc_id}").status_code == 200
        result = demo_client.post(f"/api/{kind}/{doc_id}/calculate")
        assert result.status_code == 200, (kind, result.text)
        exported = demo_client.get(f"/api/{kind}/{doc_id}/export.yaml")
        assert exported.status_code == 200
        again = demo_client.post(f"/api/{kind}/upload", files={"file": ("terug.yaml", exported.content, "application/yaml")})
        assert again.status_code == 201, (kind, again.text)
        assert again.json()["headline"] == d["headline"]
        assert demo_client.post(f"/api/{kind}/{again.json()['id']}/calculate").json() == result.json()
        assert [x["kind"] for x in demo_client.get(f"/api/{kind}").json()].count(kind) >= 2
