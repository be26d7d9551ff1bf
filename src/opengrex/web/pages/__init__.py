"""Server-rendered pages (Jinja2 + HTMX, nl-NL): overview, upload, the grex edit table, a page module per kind with a
page of its own (kostenverhaal, bijdrage, programma; the eindafrekening adds context to the generic page), and the
common pages of every registered kind (:mod:`opengrex.web.pages.documents`). :func:`pages_router` is included by
:func:`opengrex.web.app.create_app`; it is built per app, so a kind registered before the app is created gets its
pages.

All pages call the same services as the CLI and the REST API (:mod:`opengrex.services`); they only parse forms and
present results.
"""
from __future__ import annotations

from fastapi import APIRouter

from opengrex.services.kinds import kinds
from opengrex.web.pages import (
    auth,
    bbv,
    bijdrage,
    documents,
    eindafrekening,
    formulier,
    gebied,
    grex,
    grex_scenarios,
    kostenverhaal,
    lifecycle,
    overview,
    plankosten,
    portefeuille,
    programma,
    ruimte,
    vergelijking,
)

KIND_ROUTERS: tuple[APIRouter, ...] = (programma.router, kostenverhaal.router)
"""Page routes of a kind beyond the common ones (the programme's risk analysis, a case's plankostenscan)."""

_ = (bijdrage, eindafrekening, kostenverhaal, portefeuille)  # imported for their registration in documents.PAGES / CONTEXTS


def pages_router() -> APIRouter:
    """Every page for the kinds registered now; the Dutch 404 for unknown URLs last."""
    router = APIRouter(include_in_schema=False)
    router.include_router(auth.router)
    router.include_router(overview.router)
    router.include_router(vergelijking.pages_router())  # /<kind>/sjabloon.xlsx before /<kind>/<id>; upload confirmation
    router.include_router(grex.router)
    router.include_router(lifecycle.router)  # the bin
    router.include_router(gebied.router)
    router.include_router(grex_scenarios.router)  # /grex/<id>/scenarios
    router.include_router(bbv.router)  # BBV valuation, jaarovergang of an uploaded file (stateless)
    router.include_router(plankosten.router)  # plankostenscan form (stateless) and the list of stored scans
    router.include_router(portefeuille.router)  # jaarovergang of a stored portfolio
    router.include_router(ruimte.router)  # /ruimte, /monitor, /regio
    for r in KIND_ROUTERS:
        router.include_router(r)
    for k in kinds():
        formulier.register_kind(router, k.name)  # /{kind}/nieuw and /{kind}/{id}/bewerken before /{kind}/{id}
        documents.register_kind(router, k.name)
        lifecycle.register_lifecycle(router, k.name)
    documents.register_unknown_kind_upload(router)
    overview.register_fallback(router)
    return router


__all__ = ["pages_router"]
