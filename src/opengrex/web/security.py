"""Request hardening of the web app: which hosts and origins may talk to it, the security headers of every
response, login throttling, and the helpers that keep user text inert where it is embedded (script blocks,
download headers) and server paths out of error messages.

:class:`SecurityMiddleware` (pure ASGI, outermost but one) does, for every HTTP request:

- **Host**: the ``Host`` header must name an allowed host (:func:`allowed_hosts`: the loopback names, the
  address ``opengrex serve`` bound and ``OPENGREX_ALLOWED_HOSTS``); else 400. This stops DNS rebinding: a page on
  ``evil.example`` whose name resolves to 127.0.0.1 sends ``Host: evil.example`` and is refused, reads included.
- **Origin** (POST, PUT, PATCH, DELETE): refused with 403 when ``Origin`` is ``null`` (sandboxed frames, ``data:``
  pages) or another origin than the Host; when a browser sends no ``Origin``, a cross-site ``Sec-Fetch-Site`` or a
  ``Referer`` from another origin is refused as well. Requests with neither (curl, scripts, the CLI) pass: they
  are not made by a browser on behalf of another site. With accounts on, forms and uploads also need the
  session's CSRF token (:func:`opengrex.web.deps.csrf_protect`).
- **Headers** on every response: a Content-Security-Policy without inline scripts (the pages load
  ``/static/app.js``; styles keep ``'unsafe-inline'`` because plotly.js and htmx set style attributes),
  ``frame-ancestors 'none'`` plus ``X-Frame-Options: DENY``, ``X-Content-Type-Options: nosniff``,
  ``Referrer-Policy: same-origin`` and ``Cross-Origin-Opener-Policy``/``-Resource-Policy: same-origin``.
- Documents sent over HTTP may not name files on the server (:func:`opengrex.io.documents.no_file_references`).
"""
from __future__ import annotations

import json
import math
import re
import sys
import tempfile
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from opengrex.io.documents import no_file_references

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
"""The pages' policy: scripts only from this server (no inline script, no eval)."""

CSP_DOCS = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
    "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
"""Fallback policy under ``/docs`` and ``/redoc``: Swagger UI and ReDoc come from ``/static/vendor`` (no CDN); the two
pages send their own policy, this one plus the hash of Swagger UI's start script
(:func:`opengrex.web.static_files.docs_csp`). Inline styles: both tools set style attributes."""

DOCS_PATHS = ("/docs", "/redoc")

SECURITY_HEADERS = (
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)


# ---------------------------------------------------------------------------------------------- hosts and origins
def host_name(value: str) -> str:
    """The host part of a ``Host`` header or URL netloc, lower case, without port and IPv6 brackets."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    if value.count(":") > 1:  # a bare IPv6 address
        return value
    return value.rsplit(":", 1)[0] if ":" in value else value


def allowed_hosts(settings: Any) -> frozenset[str]:
    """Host names the app answers to: loopback, the bound address (``OPENGREX_BIND_HOST``, set by ``opengrex
    serve``) and the comma-separated ``OPENGREX_ALLOWED_HOSTS``. A wildcard bind (0.0.0.0, ::) adds this machine's
    name; other names (a DNS name in front of the server) belong in ``OPENGREX_ALLOWED_HOSTS``."""
    names = set(LOOPBACK_HOSTS)
    bind = (getattr(settings, "bind_host", None) or "").strip()
    if bind:
        names.add(host_name(bind))
        if host_name(bind) in ("0.0.0.0", "::"):
            import socket

            names.update(n.lower() for n in (socket.gethostname(), socket.getfqdn()) if n)
    extra = getattr(settings, "allowed_hosts", "") or ""
    names.update(host_name(h) for h in re.split(r"[,\s]+", str(extra)) if h.strip())
    names.discard("0.0.0.0")
    names.discard("::")
    return frozenset(names)


def _netloc(url: str) -> tuple[str, str] | None:
    """(scheme, host:port with the default port made explicit) of an http(s) URL; None otherwise."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    port = port or (443 if parts.scheme == "https" else 80)
    return parts.scheme, f"{parts.hostname.lower()}:{port}"


def _request_netloc(host_header: str, scheme: str) -> str:
    host = host_name(host_header)
    rest = host_header.strip().lower()
    port = None
    if rest.startswith("["):
        tail = rest.split("]", 1)[1]
        port = tail[1:] if tail.startswith(":") else None
    elif rest.count(":") == 1:
        port = rest.rsplit(":", 1)[1]
    port = port or ("443" if scheme == "https" else "80")
    return f"{host}:{port}"


def origin_problem(method: str, headers: dict[str, str], scheme: str) -> tuple[str, str, str] | None:
    """Why a write must be refused as cross-site: ``(header, value, message)``, or None when it may pass."""
    if method not in UNSAFE_METHODS:
        return None
    here = _request_netloc(headers.get("host", ""), scheme)
    origin = headers.get("origin")
    if origin is not None:
        if origin.strip().lower() == "null":
            return "Origin", origin, "verzoek zonder herkomst (Origin: null) geweigerd"
        got = _netloc(origin)
        if got is None or got[1] != here:
            return "Origin", origin, "verzoek van een andere website geweigerd"
        return None
    site = headers.get("sec-fetch-site", "").lower()
    if site in ("cross-site", "same-site"):
        return "Sec-Fetch-Site", site, "verzoek van een andere website geweigerd"
    referer = headers.get("referer")
    if referer:
        got = _netloc(referer)
        if got is None or got[1] != here:
            return "Referer", referer, "verzoek van een andere website geweigerd"
    return None


class SecurityMiddleware:
    """Host allow-list, cross-site write refusal and security headers (see the module docstring)."""

    def __init__(self, app, settings: Any) -> None:
        self.app = app
        self.settings = settings
        self.hosts = allowed_hosts(settings)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or []}
        path = scope.get("path", "")
        host = headers.get("host", "")
        if host_name(host) not in self.hosts:
            return await _refusal(400, path, {
                "message": "onbekende host: dit adres is niet toegestaan", "field": "Host", "value": host[:200],
                "allowed": ", ".join(sorted(self.hosts)) + " (meer namen via OPENGREX_ALLOWED_HOSTS)",
            })(scope, receive, _with_headers(send, path))
        problem = origin_problem(scope.get("method", "GET"), headers, scope.get("scheme", "http"))
        if problem is not None:
            header, value, message = problem
            return await _refusal(403, path, {
                "message": message, "field": header, "value": value[:200], "allowed": f"een verzoek vanaf deze app zelf ({host})",
            })(scope, receive, _with_headers(send, path))
        with no_file_references():
            return await self.app(scope, receive, _with_headers(send, path))


def _with_headers(send, path: str):
    csp = (CSP_DOCS if path.startswith(DOCS_PATHS) else CSP).encode()

    async def wrapped(message):
        if message["type"] == "http.response.start":
            have = {k.lower() for k, _ in message.get("headers", [])}
            extra = [(k, v) for k, v in SECURITY_HEADERS if k not in have]
            if b"content-security-policy" not in have:
                extra.append((b"content-security-policy", csp))
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return wrapped


def _refusal(status: int, path: str, detail: dict[str, Any]):
    from fastapi.responses import HTMLResponse, JSONResponse

    if path.startswith("/api") or path in ("/openapi.json",):
        return JSONResponse(status_code=status, content={"detail": safe_json(detail)})
    from markupsafe import escape

    title = "Geweigerd" if status == 403 else "Ongeldig verzoek"
    return HTMLResponse(
        f'<!doctype html><html lang="nl"><meta charset="utf-8"><title>{title} · opengrex</title>'
        f'<link rel="stylesheet" href="/static/style.css"><main><h1>{title}</h1><p class="melding" role="alert">'
        f'{escape(detail["message"])} ({escape(detail["field"])}: {escape(str(detail["value"]))}); toegestaan: {escape(detail["allowed"])}.</p></main></html>',
        status_code=status,
    )


# ---------------------------------------------------------------------------------------------- login throttling
class LoginThrottle:
    """Failed sign-ins per account and per client address in a sliding window; past the limit a sign-in is
    refused (429 with Retry-After) without checking the password. Every attempt counts when it starts (so
    parallel guesses count too); a successful sign-in clears the account's count. Kept in the server process."""

    def __init__(self, per_account: int = 5, per_address: int = 20, window: float = 900.0) -> None:
        self.per_account, self.per_address, self.window = per_account, per_address, window
        self._hits: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        q = self._hits.setdefault(key, deque())
        while q and q[0] <= now - self.window:
            q.popleft()
        return q

    def attempt(self, account: str, address: str) -> int | None:
        """Register an attempt; the seconds to wait when it must be refused, else None."""
        now = time.monotonic()
        with self._lock:
            if len(self._hits) > 100_000:  # bound the memory: forget the oldest keys
                for k in list(self._hits)[:50_000]:
                    del self._hits[k]
            acc = self._recent(("naam", account.strip().lower()[:200]), now)
            adr = self._recent(("adres", address), now)
            for q, limit in ((acc, self.per_account), (adr, self.per_address)):
                if len(q) >= limit:
                    return max(1, math.ceil(q[0] + self.window - now))
            acc.append(now)
            adr.append(now)
        return None

    def succeeded(self, account: str) -> None:
        with self._lock:
            self._hits.pop(("naam", account.strip().lower()[:200]), None)


def throttle_message(wait: int) -> str:
    minutes = math.ceil(wait / 60)
    return (f"te veel aanmeldpogingen; probeer het over {minutes} minuut opnieuw" if minutes == 1
            else f"te veel aanmeldpogingen; probeer het over {minutes} minuten opnieuw")


def client_address(request: Any) -> str:
    client = getattr(request, "client", None)
    return client.host if client is not None else "onbekend"


# ---------------------------------------------------------------------------------------------- inert user text
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(data: Any) -> str:
    """JSON to put inside ``<script type="application/json">``: ``<``, ``>`` and ``&`` escaped, so text such as
    ``</script>`` or ``<!--<script>`` in a project name cannot end or change the script block. Non-finite numbers
    become ``null``; numpy values become plain numbers."""
    text = json.dumps(_finite(data), separators=(",", ":"), ensure_ascii=False, default=_plain, allow_nan=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_ESCAPES[m.group()], text)


def _plain(o: Any) -> Any:
    if hasattr(o, "tolist"):
        return _finite(o.tolist())
    if hasattr(o, "isoformat"):
        return o.isoformat()
    return _finite(float(o))


def _finite(o: Any) -> Any:
    if isinstance(o, float):
        return o if math.isfinite(o) else None
    if isinstance(o, dict):
        return {str(k): _finite(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_finite(v) for v in o]
    if hasattr(o, "tolist") and not isinstance(o, (str, bytes)):
        return _finite(o.tolist())
    return o


def attachment(name: str, ext: str | None = None) -> str:
    """A ``Content-Disposition: attachment`` value for any document name: an ASCII ``filename`` (other characters
    become ``-``) plus the full name as RFC 5987 ``filename*`` — never a header that cannot be encoded."""
    full = f"{name}.{ext}" if ext else name
    full = "".join(ch for ch in full if ch.isprintable()).encode("utf-8", "replace").decode("utf-8")[:200] or "document"
    stem, dot, suffix = full.rpartition(".")
    if not dot:
        stem, suffix = full, ""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.") or "document"
    safe = f"{safe[:100]}.{suffix}" if suffix and re.fullmatch(r"[A-Za-z0-9]{1,10}", suffix) else safe[:100]
    return f"attachment; filename*=UTF-8''{quote(full, safe='')}; filename=\"{safe}\""


# ---------------------------------------------------------------------------------------------- error details
def _path_roots() -> list[str]:
    import opengrex

    roots = {str(Path(tempfile.gettempdir()).resolve()), tempfile.gettempdir(), str(Path(opengrex.__file__).resolve().parent.parent),
             sys.prefix, str(Path.cwd())}
    return sorted((r.rstrip("/") for r in roots if r and r not in ("/", ".")), key=len, reverse=True)


_ROOTS: list[str] | None = None


def scrub_paths(text: str) -> str:
    """Text with server paths (temporary folders, the installation, the working folder) reduced to the file's
    own name: ``/tmp/tmpab12/grex.xlsx`` → ``grex.xlsx``."""
    global _ROOTS
    if _ROOTS is None:
        _ROOTS = _path_roots()
    for root in _ROOTS:
        if root in text:
            text = re.sub(re.escape(root) + r"/(?:[^\s'\",;:()]*/)?([^/\s'\",;:()]*)", r"\1", text)
            text = text.replace(root, "…")
    return text


def safe_json(o: Any) -> Any:
    """Error details fit to send: server paths scrubbed, text that cannot be encoded (lone surrogates) escaped,
    non-finite numbers as null."""
    if isinstance(o, str):
        try:
            o.encode("utf-8")
        except UnicodeEncodeError:
            o = o.encode("utf-8", "backslashreplace").decode("utf-8")
        return scrub_paths(o)
    if isinstance(o, float):
        return o if math.isfinite(o) else None
    if isinstance(o, (int, bool)) or o is None:
        return o
    if isinstance(o, dict):
        return {safe_json(str(k)): safe_json(v) for k, v in o.items()}
    if isinstance(o, (list, tuple, set)):
        return [safe_json(v) for v in o]
    return safe_json(str(o))


def storage_problem(exc: BaseException) -> tuple[int, str] | None:
    """(status, Dutch message) when ``exc`` means the database cannot be used (read-only, disk full, server down or
    busy); None for other errors."""
    import errno

    from sqlalchemy.exc import DBAPIError, OperationalError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    text = str(getattr(exc, "orig", None) or exc).lower()
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC or "disk is full" in text or "no space left" in text or "could not extend file" in text:
        return 507, "de schijf van de database is vol; er is niets opgeslagen. Maak ruimte vrij en probeer het opnieuw."
    if "readonly" in text or "read-only" in text or "read only" in text:
        return 503, "de database is alleen-lezen; er is niets opgeslagen. Controleer de schrijfrechten van de database."
    if isinstance(exc, PoolTimeout) or "database is locked" in text:
        return 503, "de database is bezet; probeer het over enkele seconden opnieuw."
    if isinstance(exc, OperationalError) or (isinstance(exc, DBAPIError) and exc.connection_invalidated):
        return 503, "de database is niet bereikbaar; probeer het later opnieuw of waarschuw de beheerder."
    return None
