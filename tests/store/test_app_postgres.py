"""The same web app on PostgreSQL (``OPENGREX_DATABASE_URL=postgresql+psycopg://…``): migrations at start, create,
new version, compare, calculate, 422 and 404 — through the REST API, on a fresh database of the throwaway cluster."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from opengrex.web.app import create_app
from opengrex.web.settings import Settings

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo-grex.yaml"


@pytest.mark.postgres
def test_app_on_postgres(postgres_cluster, tmp_path, monkeypatch):
    url = postgres_cluster.create_database()
    monkeypatch.setenv("OPENGREX_DATABASE_URL", url)
    app = create_app(Settings(data_dir=tmp_path))  # the URL comes from the environment, as with `opengrex serve`
    try:
        assert app.state.db.engine.url.get_backend_name() == "postgresql"
        with TestClient(app) as c:
            assert c.get("/api/health").json()["database"] == "postgresql"
            r = c.post("/api/grex/upload", files={"file": ("demo.yaml", DEMO.read_bytes(), "application/yaml")})
            assert r.status_code == 201, r.text
            doc = r.json()
            data = copy.deepcopy(doc["data"])
            data["kosten"][0]["bedrag"] = 8_000_000
            assert c.put(f"/api/grex/{doc['id']}", json={"data": data, "base_version": 1}).json()["number"] == 2
            assert c.put(f"/api/grex/{doc['id']}", json={"data": data, "base_version": 1}).status_code == 409
            bad = copy.deepcopy(data)
            bad["kosten"][0]["bedrag"] = -1
            assert c.put(f"/api/grex/{doc['id']}", json={"data": bad}).json()["detail"]["field"] == "kosten[0].bedrag"
            cmp = c.get(f"/api/grex/{doc['id']}/compare", params={"a": 1, "b": 2}).json()
            assert cmp["regels"]["gewijzigd"][0]["nieuw"] == 8_000_000
            assert c.post(f"/api/grex/{doc['id']}/calculate").json()["ncw_bbv"] == pytest.approx(c.get(f"/api/grex/{doc['id']}").json()["headline"]["ncw"])
            assert c.get("/api/grex/424242").status_code == 404
            assert c.get("/api/health").json()["versions"] == 2
            assert yaml.safe_load(c.get(f"/api/grex/{doc['id']}/export.yaml").text)["kosten"][0]["bedrag"] == 8_000_000
    finally:
        app.state.db.dispose()
        postgres_cluster.drop_database(url)
