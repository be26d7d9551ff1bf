"""The REST API under ``/api/`` (OpenAPI at ``/docs``): ``/api/documents``, ``/api/kinds``, ``/api/auth`` and one
router per registered document kind (:func:`opengrex.web.api.kind_router.kind_router`), plus the extras of a kind
(:data:`EXTRAS`). Built per app, so a kind registered before :func:`opengrex.web.app.create_app` gets its routes."""
from __future__ import annotations

from fastapi import APIRouter

from opengrex.services.kinds import kinds
from opengrex.web.api import auth, bbv, documents, gebied, grex, plankosten, programma, ruimte
from opengrex.web.api.kind_router import kind_router

EXTRAS: dict[str, APIRouter] = {"grex": grex.router, "programma": programma.router}
"""Kind-specific routes beyond the common ones, included under ``/api/<kind>``."""


def api_router() -> APIRouter:
    """The whole REST API for the kinds registered now."""
    router = APIRouter(prefix="/api")
    router.include_router(documents.router)
    router.include_router(auth.router)
    router.include_router(gebied.router)  # before the kind routes: /api/gebied/bereken is not a document id
    router.include_router(bbv.router)  # stateless BBV and portfolio routes (no document kind yet)
    router.include_router(plankosten.router)  # stateless plankostenscan routes (no document kind yet)
    for k in kinds():
        r = kind_router(k.name)
        if k.name in EXTRAS:
            r.include_router(EXTRAS[k.name])
        router.include_router(r)
    ruimte.register(router)  # /api/ruimte, /api/monitor, /api/regio
    return router


__all__ = ["api_router"]
