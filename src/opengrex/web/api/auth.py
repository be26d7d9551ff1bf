"""``/api/auth``: sign in and out (only meaningful with ``OPENGREX_AUTH=1``), and who am I (with the CSRF token
that forms and uploads must send)."""
from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response

from opengrex.store.users import authenticate
from opengrex.web.api.schemas import LoginIn, Me
from opengrex.web.deps import DbDep, SettingsDep, UserDep, csrf_token, end_session, start_session

router = APIRouter(prefix="/auth", tags=["Aanmelden"])


@router.post("/login", response_model=Me, summary="Aanmelden (zet een sessiecookie)")
def login(body: LoginIn, request: Request, response: Response, db: DbDep, settings: SettingsDep):
    if not settings.auth:
        return Me(name="lokaal", role="editor", authenticated=False, csrf_token="")
    with db.transaction() as s:
        user = authenticate(s, name=body.name, password=body.password)
        role = user.role if user else None
    if user is None:
        raise HTTPException(status_code=401, detail={"message": "onbekende gebruiker of onjuist wachtwoord", "field": "password", "value": None, "allowed": None})
    token = start_session(request, response, body.name)
    return Me(name=body.name, role=role, authenticated=True, csrf_token=token)


@router.post("/logout", status_code=204, summary="Afmelden")
def logout(response: Response) -> Response:
    out = Response(status_code=204)
    end_session(out)
    return out


@router.get("/me", response_model=Me, summary="Wie ben ik (en het CSRF-token voor formulieren)")
def me(request: Request, user: UserDep):
    return Me(name=user.name, role=user.role, authenticated=user.authenticated, csrf_token=csrf_token(request))
