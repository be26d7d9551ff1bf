"""``SessionDep``: one unit of work per route — committed before the response, rolled back when the route fails."""
from __future__ import annotations

import copy

from fastapi import APIRouter
from fastapi.testclient import TestClient

from opengrex.services import documents
from opengrex.store import repository as repo
from opengrex.web.app import create_app
from opengrex.web.deps import SessionDep


def test_session_dep_commits_or_rolls_back(settings, demo_data):
    app = create_app(settings)
    router = APIRouter()

    @router.post("/test/maak")
    def maak(session: SessionDep, fail: bool = False) -> dict:
        doc = documents.create(session, kind="grex", data=copy.deepcopy(demo_data))
        documents.save_version(session, document_id=doc.id, data=copy.deepcopy(demo_data))
        if fail:
            raise repo.NotFoundError("test", 1)
        return {"id": doc.id}

    app.include_router(router)
    with TestClient(app) as c:
        assert c.post("/test/maak").status_code == 200
        assert c.get("/api/health").json()["versions"] == 2  # committed before the response
        assert c.post("/test/maak", params={"fail": True}).status_code == 404
        h = c.get("/api/health").json()
        assert (h["documents"], h["versions"]) == (1, 2)  # the failed unit of work left nothing
