"""Static files and the API documentation, served from this server only (works offline).

- :class:`CompressedStaticFiles`: ``/static`` with gzip for browsers that accept it. Each compressible file
  (JavaScript, CSS, SVG, JSON, maps) is compressed once per process and kept in memory, keyed by path, size and
  modification time; the response keeps the file's media type and ETag (with a ``-gz`` suffix), adds
  ``Content-Encoding: gzip`` and ``Vary: Accept-Encoding``. Pages themselves are not compressed: they carry the CSRF
  token next to user text, the combination BREACH-style attacks need.
- :func:`docs_routes`: Swagger UI (``/docs``) and ReDoc (``/redoc``) from ``/static/vendor`` (npm packages
  swagger-ui-dist and redoc, see ``static/vendor/README.md``) with FastAPI's own page builders. Their
  Content-Security-Policy allows scripts from ``'self'`` plus the SHA-256 hash of Swagger UI's one start script
  (computed from the page itself, so it follows FastAPI upgrades), no CDN.
"""
from __future__ import annotations

import base64
import gzip
import hashlib
import os
import re
import threading
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers
from starlette.responses import Response

COMPRESSIBLE = (".js", ".css", ".svg", ".json", ".map", ".txt", ".html")
MIN_SIZE = 1024
"""Smaller files are sent as they are (gzip would save next to nothing)."""

VENDOR = "/static/vendor"
SWAGGER_JS = f"{VENDOR}/swagger-ui-bundle.js"
SWAGGER_CSS = f"{VENDOR}/swagger-ui.css"
REDOC_JS = f"{VENDOR}/redoc.standalone.js"
FAVICON = "data:,"


class CompressedStaticFiles(StaticFiles):
    """``StaticFiles`` that answers ``Accept-Encoding: gzip`` with a gzip body (compressed once, kept in memory)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cache: dict[tuple[str, int, int], bytes] = {}
        self._lock = threading.Lock()

    def file_response(self, full_path: Any, stat_result: os.stat_result, scope: Any, status_code: int = 200) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        path = str(full_path)
        if status_code != 200 or response.status_code != 200 or not path.endswith(COMPRESSIBLE) or stat_result.st_size < MIN_SIZE:
            return response
        response.headers["vary"] = "Accept-Encoding"
        accept = Headers(scope=scope).get("accept-encoding", "")
        if not re.search(r"\bgzip\b", accept) or re.search(r"\bgzip;\s*q=0(\.0*)?\b", accept):
            return response
        headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-length", "etag")}
        etag = response.headers.get("etag")
        if etag:
            headers["etag"] = etag[:-1] + '-gz"' if etag.endswith('"') else etag + "-gz"
            if headers["etag"] in Headers(scope=scope).get("if-none-match", ""):
                return Response(status_code=304, headers={k: v for k, v in headers.items() if k.lower() != "content-type"})
        headers["content-encoding"] = "gzip"
        return Response(self._compressed(path, stat_result), status_code=200, headers=headers, media_type=response.media_type)

    def _compressed(self, path: str, st: os.stat_result) -> bytes:
        key = (path, st.st_size, st.st_mtime_ns)
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None:
            return hit
        with open(path, "rb") as fh:
            body = gzip.compress(fh.read(), compresslevel=9, mtime=0)
        with self._lock:
            for old in [k for k in self._cache if k[0] == path]:
                del self._cache[old]
            self._cache[key] = body
        return body


# ---------------------------------------------------------------------------------------------- API documentation
def inline_script_hashes(html: str) -> list[str]:
    """CSP source expressions (``'sha256-…'``) of the inline ``<script>`` elements of a page."""
    out = []
    for body in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S):
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
        out.append(f"'sha256-{digest}'")
    return out


def docs_csp(script_hashes: list[str]) -> str:
    """The policy of ``/docs`` and ``/redoc``: everything from this server; Swagger UI's start script by its hash;
    inline styles (both tools set style attributes); ReDoc's search index runs in a worker made from a blob."""
    scripts = " ".join(["'self'", *script_hashes])
    return (
        f"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


def swagger_page(app: FastAPI) -> str:
    return bytes(get_swagger_ui_html(openapi_url=app.openapi_url or "/openapi.json", title=f"{app.title} · API", swagger_js_url=SWAGGER_JS,
                               swagger_css_url=SWAGGER_CSS, swagger_favicon_url=FAVICON, oauth2_redirect_url=None).body).decode("utf-8")


def redoc_page(app: FastAPI) -> str:
    return bytes(get_redoc_html(openapi_url=app.openapi_url or "/openapi.json", title=f"{app.title} · API", redoc_js_url=REDOC_JS,
                          redoc_favicon_url=FAVICON, with_google_fonts=False).body).decode("utf-8")


def docs_routes(app: FastAPI) -> None:
    """``/docs`` (Swagger UI) and ``/redoc`` (ReDoc) from the vendored assets, each with its own strict policy.
    Create the app with ``docs_url=None, redoc_url=None``."""
    swagger = swagger_page(app)
    redoc = redoc_page(app)
    swagger_csp = docs_csp(inline_script_hashes(swagger))
    redoc_csp = docs_csp(inline_script_hashes(redoc))

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return HTMLResponse(swagger, headers={"content-security-policy": swagger_csp})

    @app.get("/redoc", include_in_schema=False)
    def redoc_ui() -> HTMLResponse:
        return HTMLResponse(redoc, headers={"content-security-policy": redoc_csp})


__all__ = ["CompressedStaticFiles", "docs_csp", "docs_routes", "inline_script_hashes"]
