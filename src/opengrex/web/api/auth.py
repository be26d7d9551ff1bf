"""``/api/auth``: sign in and out (only meaningful with ``OPENGREX_AUTH=1``), and who am I (with the CSRF token
that forms and uploads must send).

Sign-ins are throttled per account and per client address (:class:`opengrex.web.security.LoginThrottle`): past
the limit the answer is 429 with ``Retry-After``, whatever the password. Logging out ends every session of the
user (the session version in the cookie no longer matches)."""
from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response

from opengrex.store.users import authenticate, revoke_sessions
from opengrex.web.api.schemas import LoginIn, Me
from opengrex.web.deps import DbDep, SettingsDep, UserDep, csrf_token, end_session, read_session, start_session
from opengrex.web.security import client_address, throttle_message

router = APIRouter(prefix="/auth", tags=["Aanmelden"])


@router.post("/login", response_model=Me, summary="Aanmelden (zet een sessiecookie)", responses={429: {"description": "Te veel aanmeldpogingen"}})
def login(body: LoginIn, request: Request, response: Response, db: DbDep, settings: SettingsDep):
    if not settings.auth:
        return Me(name="lokaal", role="editor", authenticated=False, csrf_token="")
    throttle = request.app.state.login_throttle
    wait = throttle.attempt(body.name, client_address(request))
    if wait is not None:
        raise HTTPException(status_code=429, detail={"message": throttle_message(wait), "field": "name", "value": None,
                                                      "allowed": f"opnieuw proberen na {wait} seconden"}, headers={"Retry-After": str(wait)})
    with db.transaction() as s:
        user = authenticate(s, name=body.name, password=body.password)
        role, version = (user.role, user.session_version or 0) if user else (None, 0)
    if user is None:
        raise HTTPException(status_code=401, detail={"message": "onbekende gebruiker of onjuist wachtwoord", "field": "password", "value": None, "allowed": None})
    throttle.succeeded(body.name)
    token = start_session(request, response, body.name, version)
    return Me(name=body.name, role=role, authenticated=True, csrf_token=token)


@router.post("/logout", status_code=204, summary="Afmelden (beëindigt alle sessies van deze gebruiker)")
def logout(request: Request, db: DbDep, settings: SettingsDep) -> Response:
    session = read_session(request) if settings.auth else None
    if session and session.get("u"):
        with db.transaction() as s:
            revoke_sessions(s, name=str(session["u"])[:100])
    out = Response(status_code=204)
    end_session(out)
    return out


@router.get("/me", response_model=Me, summary="Wie ben ik (en het CSRF-token voor formulieren)")
def me(request: Request, user: UserDep):
    return Me(name=user.name, role=user.role, authenticated=user.authenticated, csrf_token=csrf_token(request))
