"""The web application: ``create_app(settings)`` builds FastAPI with the REST API (``/api/…``, OpenAPI at
``/docs``), the pages (:mod:`opengrex.web.pages`) and the static files, for the document kinds registered
(:mod:`opengrex.services.kinds`) when the app is created.

Errors never reach the user as a traceback: :class:`~opengrex.errors.InputError` → 422 ``{"detail": {message,
location, field, value, allowed, detail[, errors]}}``; an unknown id → 404 naming it; a version conflict → 409;
a body larger than ``max_upload`` → 413; a database that is read-only, full or unreachable → 503/507 with a Dutch
message; anything unexpected → 500 with a short message (details in the log). Error details never carry server
paths (:func:`opengrex.web.security.safe_json`). Hosts, origins and security headers:
:class:`opengrex.web.security.SecurityMiddleware`.
"""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, Response

from opengrex import __version__
from opengrex.errors import InputError, OpengrexError
from opengrex.formatting import size_nl
from opengrex.services.kinds import jsonable
from opengrex.store.db import Database
from opengrex.store.repository import ConflictError, NotFoundError
from opengrex.web.api import api_router
from opengrex.web.deps import csrf_protect
from opengrex.web.pages import pages_router
from opengrex.web.security import LoginThrottle, SecurityMiddleware, safe_json, storage_problem
from opengrex.web.settings import Settings
from opengrex.web.static_files import CompressedStaticFiles, docs_routes

log = logging.getLogger("opengrex.web")
STATIC_DIR = Path(__file__).resolve().parent / "static"


class BodyTooLarge(HTTPException):
    """The request body exceeds ``Settings.max_upload`` (an HTTPException, so body parsing passes it on as 413)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(status_code=413, detail=_too_large_detail(limit))


class BodyLimitMiddleware:
    """ASGI middleware: 413 for a body over ``limit`` bytes (by Content-Length, or counted while streaming)."""

    def __init__(self, app, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None:
            try:
                too_big = int(length) > self.limit
            except ValueError:
                too_big = False
            if too_big:
                return await _too_large(self.limit, scope.get("path", ""), scope)(scope, receive, send)
        seen = 0

        async def limited_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        return await self.app(scope, limited_receive, send)


def _too_large_detail(limit: int) -> dict[str, Any]:
    return {"message": "bestand of verzoek te groot", "field": "bestand", "value": None, "allowed": f"hoogstens {size_nl(limit)} ({limit} bytes)"}


def _too_large(limit: int, path: str = "/api", scope: dict[str, Any] | None = None) -> Response:
    if not path.startswith("/api"):  # a page (upload form): the Dutch page with the menu, the limit in MB
        if scope is not None and scope.get("app") is not None:
            from opengrex.web.pages.render import error_page

            request = Request({**scope, "method": "GET"})
            return error_page(request, "Bestand te groot", f"Het bestand of formulier is te groot; toegestaan is hoogstens {size_nl(limit)}. "
                              "Kies een kleiner bestand of splits het document.", 413)
        from fastapi.responses import HTMLResponse
        return HTMLResponse(f'<!doctype html><html lang="nl"><meta charset="utf-8"><title>Te groot · opengrex</title><link rel="stylesheet" href="/static/style.css"><main><h1>Bestand te groot</h1><p class="melding" role="alert">Het bestand of formulier is te groot; toegestaan: hoogstens {size_nl(limit)}.</p><p><a href="/upload">Terug naar uploaden</a></p></main></html>', status_code=413)
    return JSONResponse(status_code=413, content={"detail": _too_large_detail(limit)})


def create_app(settings: Settings | None = None) -> FastAPI:
    """The opengrex web app. Runs the migrations at start (``settings.migrate``) and opens the database."""
    settings = settings or Settings()
    db = Database(settings.resolved_database_url())
    if settings.migrate:
        db.upgrade()
        purge_bin(db)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        db.dispose()

    app = FastAPI(
        title="opengrex",
        version=__version__,
        description="Financiële sturing van gebiedsontwikkeling: grondexploitaties, kostenverhaal en programma's. "
        "Bedragen in euro's (zie per resultaat de eenheid: prijspeil, nominaal of contant).",
        lifespan=lifespan,
        dependencies=[Depends(csrf_protect)],
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.db = db
    app.state.secret_key = settings.resolved_secret_key() if settings.auth else (settings.secret_key or "opengrex-lokaal")
    app.state.login_throttle = LoginThrottle(settings.login_max_per_account, settings.login_max_per_address, settings.login_window)
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_upload)
    app.add_middleware(SecurityMiddleware, settings=settings)
    _exception_handlers(app)

    app.include_router(api_router())
    docs_routes(app)  # Swagger UI and ReDoc from /static/vendor (offline, strict CSP)
    if STATIC_DIR.is_dir():
        app.mount("/static", CompressedStaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(pages_router())
    return app


def purge_bin(db: Database) -> list[str]:
    """At start-up: remove for good what has been in the bin longer than the retention period (as ``opengrex db
    opschonen``). A database that cannot be written now is logged, not fatal: the next start tries again."""
    from opengrex.services.lifecycle import purge_expired

    try:
        with db.transaction() as s:
            purged = purge_expired(s, actor="opengrex (opstarten)")
    except Exception as exc:  # pragma: no cover - a read-only or locked database at start-up
        log.warning("prullenbak niet opgeschoond bij het opstarten: %s", exc)
        return []
    if purged:
        log.info("prullenbak opgeschoond: %s", ", ".join(purged))
    return purged


def _exception_handlers(app: FastAPI) -> None:
    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": safe_json(_clean(exc.as_dict()))})

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> JSONResponse:
        return JSONResponse(status_code=404, content={"detail": exc.as_dict()})

    @app.exception_handler(ConflictError)
    async def conflict(request: Request, exc: ConflictError) -> JSONResponse:
        return JSONResponse(status_code=409, content={"detail": exc.as_dict()})

    @app.exception_handler(OpengrexError)
    async def other_error(request: Request, exc: OpengrexError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": safe_json({"message": str(exc), "field": None, "value": None, "allowed": None})})

    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    async def storage_error(request: Request, exc: Exception):
        problem = storage_problem(exc)
        if problem is None:
            return await unexpected(request, exc)
        status, message = problem
        log.error("database onbruikbaar bij %s %s: %s", request.method, request.url.path, exc)
        if not request.url.path.startswith("/api"):
            from fastapi.responses import HTMLResponse
            from markupsafe import escape

            return HTMLResponse(f'<!doctype html><html lang="nl"><meta charset="utf-8"><title>Database · opengrex</title><link rel="stylesheet" href="/static/style.css"><main><h1>Database niet beschikbaar</h1><p class="melding" role="alert">{escape(message[:1].upper() + message[1:])}</p></main></html>', status_code=status)
        return JSONResponse(status_code=status, content={"detail": {"message": message, "field": "database", "value": None, "allowed": None}})

    for exc_type in (DBAPIError, PoolTimeout, OSError):
        app.add_exception_handler(exc_type, storage_error)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("onverwachte fout bij %s %s", request.method, request.url.path)
        return JSONResponse(status_code=500, content={"detail": {"message": "interne fout; zie het serverlog", "field": None, "value": None, "allowed": None}})


def _clean(o: Any) -> Any:
    return jsonable(o)
