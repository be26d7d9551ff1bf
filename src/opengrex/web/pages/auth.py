"""Sign-in and sign-out pages (only with ``OPENGREX_AUTH=1``; local use needs no login)."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from opengrex.store.users import authenticate
from opengrex.web.pages.context import db_of, see_other, settings_of
from opengrex.web.pages.render import page

router = APIRouter(include_in_schema=False)


def _safe_next(url: str | None) -> str:
    """Only local paths as the page to return to (no open redirect)."""
    return url if url and url.startswith("/") and not url.startswith("//") else "/"


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
    with db_of(request).transaction() as s:
        user = authenticate(s, name=name, password=password)
    if user is None:
        return page(request, "login.html", {"terug": terug, "fout": "Onbekende gebruiker of onjuist wachtwoord.", "naam": name}, status_code=401)
    from opengrex.web.deps import start_session

    response = see_other(terug)
    start_session(request, response, name)
    return response


@router.post("/afmelden", response_class=HTMLResponse)
def logout(request: Request) -> Response:
    from opengrex.web.deps import end_session

    response = see_other("/login" if settings_of(request).auth else "/")
    end_session(response)
    return response
