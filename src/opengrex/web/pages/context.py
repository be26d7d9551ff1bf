"""Shared helpers of the page routes: database access (one transaction per unit of work), user, CSRF, ids."""
from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from opengrex.services.documents import visible
from opengrex.store.db import Database


def db_of(request: Request) -> Database:
    return request.app.state.db


def settings_of(request: Request) -> Any:
    return request.app.state.settings


def parse_id(value: str) -> int | None:
    """A document id from the URL, or ``None`` (then the page answers with the Dutch 404)."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        return None
    return n if 0 < n < 2**62 else None


def page_user(request: Request) -> Any:
    """The signed-in user (``None`` when auth is on and nobody is signed in; the local editor otherwise)."""
    from opengrex.web.deps import optional_user

    return optional_user(request, settings_of(request), db_of(request))


def can_edit(request: Request) -> bool:
    user = page_user(request)
    return bool(user is not None and user.can_edit)


def base_context(request: Request) -> dict[str, Any]:
    """Context every page gets: the user, the CSRF token for forms and HTMX, whether auth is on."""
    from opengrex.web.deps import csrf_token

    user = page_user(request)
    return {
        "user": user.name if (user is not None and user.authenticated) else None,
        "rol": user.role if user is not None else None,
        "kan_bewerken": bool(user is not None and user.can_edit),
        "csrf_token": csrf_token(request),
        "auth": bool(settings_of(request).auth),
    }


def login_required(request: Request) -> HTMLResponse | RedirectResponse | None:
    """When auth is on and nobody is signed in: a redirect to the login page; else ``None``."""
    if settings_of(request).auth and page_user(request) is None:
        return RedirectResponse(f"/login?terug={request.url.path}", status_code=303)
    return None


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def sees_confidential(request: Request) -> bool:
    """Whether this user sees confidential fields (editors; not viewers, not anonymous visitors)."""
    user = page_user(request)
    return bool(user is not None and user.sees_confidential)


def visible_data(request: Request, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """The document as this user may see it: confidential fields (at any depth) emptied for viewers."""

    return visible(kind, data, sees_confidential(request))
