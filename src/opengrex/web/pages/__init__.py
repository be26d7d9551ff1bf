"""Server-rendered pages (Jinja2 + HTMX, nl-NL): overview, grondexploitaties, kostenverhaal, financiële bijdrage,
programma's, upload. ``router`` is included by :func:`opengrex.web.app.create_app`.

All pages call the same API functions as the CLI and the REST API (:mod:`opengrex.services`, :mod:`opengrex.store`);
they only parse forms and present results.
"""
from __future__ import annotations

import importlib.util

from fastapi import APIRouter

from opengrex.web.pages import auth, gebied, grex, overview

router = APIRouter(include_in_schema=False)
router.include_router(auth.router)
router.include_router(overview.router)
router.include_router(grex.router)
router.include_router(gebied.router)
if importlib.util.find_spec("opengrex.web.pages.extra") is not None:
    from opengrex.web.pages import extra  # kostenverhaal, bijdrage, programma (each when its API exists)

    router.include_router(extra.router)
overview.register_fallback(router)

__all__ = ["router"]
