"""Sign-in and sign-out pages (only with ``OPENGREX_AUTH=1``; local use needs no login).

Sign-ins are throttled like the API's (one :class:`opengrex.web.security.LoginThrottle` per app); signing out
ends every session of the user."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from opengrex.store.users import authenticate, revoke_sessions
from opengrex.web.pages.context import db_of, see_other, settings_of
from opengrex.web.pages.render import page
from opengrex.web.security import client_address, throttle_message

router = APIRouter(include_in_schema=False)


def _safe_next(url: str | None) -> str:
    """Only local paths as the page to return to (no open redirect)."""
    return url if url and url.startswith("/") and not url.startswith("//") and "\\" not in url else "/"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, terug: str = "/") -> Response:
    if not settings_of(request).auth:
        return see_other("/")
    return page(request, "login.html", {"terug": _safe_next(terug), "fout": None})


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    if not settings_of(request).auth:
        return see_other("/")
    form = await request.form(max_fields=10)
    name, password, terug = str(form.get("naam", "")), str(form.get("wachtwoord", "")), _safe_next(str(form.get("terug", "/")))
    throttle = request.app.state.login_throttle
    wait = throttle.attempt(name, client_address(request))
    if wait is not None:
        response = page(request, "login.html", {"terug": terug, "fout": throttle_message(wait)[:1].upper() + throttle_message(wait)[1:] + ".", "naam": name}, status_code=429)
        response.headers["Retry-After"] = str(wait)
        return response
    with db_of(request).transaction() as s:
        user = authenticate(s, name=name, password=password)
        version = (user.session_version or 0) if user is not None else 0
    if user is None:
        return page(request, "login.html", {"terug": terug, "fout": "Onbekende gebruiker of onjuist wachtwoord.", "naam": name}, status_code=401)
    from opengrex.web.deps import start_session

    throttle.succeeded(name)
    redirect = see_other(terug)
    start_session(request, redirect, name, version)
    return redirect


@router.post("/afmelden", response_class=HTMLResponse)
def logout(request: Request) -> Response:
    from opengrex.web.deps import end_session, read_session

    if settings_of(request).auth:
        session = read_session(request)
        if session and session.get("u"):
            with db_of(request).transaction() as s:
                revoke_sessions(s, name=str(session["u"])[:100])
    response = see_other("/login" if settings_of(request).auth else "/")
    end_session(response)
    return response
