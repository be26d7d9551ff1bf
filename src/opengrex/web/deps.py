"""``Annotated`` dependencies of the web app: database, settings, current user, roles and CSRF.

Auth (``OPENGREX_AUTH=1``): a signed session cookie (itsdangerous, key from the settings) holds the user name,
the user's session version (logout and a password reset raise it, which ends the session) and a CSRF token. Every unsafe request that is not JSON (HTML forms, uploads) must send that token as form field
``csrf_token`` or header ``X-CSRF-Token`` — a cross-site form cannot read it. JSON requests need no token: a
browser cannot send them cross-site without CORS, which the app does not allow. Without auth every visitor is
the local user ``lokaal`` with role editor and no token is needed. Cross-site writes (a foreign, ``null`` or
cross-site-referred origin) are refused in both modes by :class:`opengrex.web.security.SecurityMiddleware`.
"""
from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from opengrex.store.db import Database
from opengrex.store.users import get_user
from opengrex.web.settings import Settings

SESSION_COOKIE = "opengrex_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True)
class CurrentUser:
    """Who makes the request: ``name``, ``role`` (viewer/editor); ``authenticated`` False for local use."""

    name: str
    role: str
    authenticated: bool = False

    @property
    def can_edit(self) -> bool:
        return self.role == "editor"

    @property
    def sees_confidential(self) -> bool:
        """Editors see confidential fields (line notes); viewers do not."""
        return self.role == "editor"


LOCAL_USER = CurrentUser(name="lokaal", role="editor", authenticated=False)


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_db(request: Request) -> Database:
    return request.app.state.db


SettingsDep = Annotated[Settings, Depends(get_settings)]
DbDep = Annotated[Database, Depends(get_db)]
"""The database; ``with db.transaction() as session:`` is one unit of work inside a route."""


def get_session(db: DbDep) -> Iterator[Session]:
    """One unit of work for the whole route: committed when the route returns (before the response is sent),
    rolled back when it raises — nothing half-saved."""
    with db.transaction() as session:
        yield session


try:
    _session = Depends(get_session, scope="function")
except TypeError:  # pragma: no cover - FastAPI < 0.120 has no scope; its yield dependencies end before sending
    _session = Depends(get_session)
SessionDep = Annotated[Session, _session]


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.secret_key, salt="opengrex-session")


def read_session(request: Request) -> dict[str, Any] | None:
    """The signed session cookie's content, or ``None`` (absent, tampered or expired)."""
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        return None
    try:
        data = _serializer(request).loads(raw, max_age=request.app.state.settings.session_max_age)
    except BadSignature:
        return None
    return data if isinstance(data, dict) else None


def start_session(request: Request, response: Response, user_name: str, version: int = 0) -> str:
    """Sign the user in: set the session cookie (HttpOnly, SameSite=Lax) carrying the user's session ``version``;
    returns the new CSRF token."""
    token = secrets.token_urlsafe(32)
    value = _serializer(request).dumps({"u": user_name, "c": token, "v": int(version)})
    response.set_cookie(SESSION_COOKIE, value, httponly=True, samesite="lax", secure=request.url.scheme == "https", max_age=request.app.state.settings.session_max_age)
    return token


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE)


def csrf_token(request: Request) -> str:
    """The CSRF token to put in forms (``<input type=hidden name=csrf_token>``); empty without auth."""
    session = read_session(request)
    return str(session.get("c", "")) if session else ""


def get_current_user(request: Request, settings: SettingsDep, db: DbDep) -> CurrentUser:
    """The signed-in user; 401 when auth is on and nobody is signed in."""
    if not settings.auth:
        return LOCAL_USER
    cached = getattr(request.state, "user", None)
    if cached is not None:
        return cached
    session = read_session(request)
    if session:
        with db.transaction() as s:
            user = get_user(s, name=str(session.get("u", ""))[:100])
            if user is not None and session.get("v", 0) == (user.session_version or 0):
                cu = CurrentUser(name=user.name, role=user.role, authenticated=True)
                request.state.user = cu
                return cu
    raise HTTPException(status_code=401, detail={"message": "niet aangemeld", "field": "sessie", "allowed": "meld u aan via POST /api/auth/login"})


UserDep = Annotated[CurrentUser, Depends(get_current_user)]


def optional_user(request: Request, settings: SettingsDep, db: DbDep) -> CurrentUser | None:
    """Like :func:`get_current_user` but ``None`` instead of 401 (for pages that show a login link)."""
    try:
        return get_current_user(request, settings, db)
    except HTTPException:
        return None


def require_editor(user: UserDep) -> CurrentUser:
    """403 for viewers: only editors create, change or delete documents."""
    if not user.can_edit:
        raise HTTPException(status_code=403, detail={"message": "alleen een bewerker (rol editor) mag dit wijzigen", "field": "rol", "value": user.role, "allowed": "editor"})
    return user


EditorDep = Annotated[CurrentUser, Depends(require_editor)]


async def csrf_protect(request: Request) -> None:
    """Reject unsafe non-JSON requests (forms, uploads) without the session's CSRF token (auth on only). Foreign
    origins are refused before this, in :class:`opengrex.web.security.SecurityMiddleware`."""
    settings: Settings = request.app.state.settings
    if request.method not in UNSAFE:
        return
    if not settings.auth:
        return
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/json" or ctype.endswith("+json"):
        return
    if request.url.path in ("/api/auth/login", "/login"):
        return  # no session yet; login itself is protected by the password
    session = read_session(request)
    expected = str(session.get("c", "")) if session else ""
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent and ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        # big grex edit forms (pages: 9 fields per line); an upload's validated data as one field (its preview's form)
        form = await request.form(max_fields=50_000, max_part_size=max(int(settings.max_upload), 1024 * 1024))
        sent = str(form.get(CSRF_FIELD, ""))
    if not expected or not sent or not hmac.compare_digest(expected, sent):
        raise HTTPException(status_code=403, detail={"message": "CSRF-token ontbreekt of klopt niet", "field": CSRF_FIELD, "allowed": f"het token uit de sessie, als formulierveld '{CSRF_FIELD}' of header '{CSRF_HEADER}'"})
