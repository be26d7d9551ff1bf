"""The stored BBV portfolio (kind ``portefeuille``): its page shows the valuation at the balance date (key figures,
charts, per grex, per year; :func:`opengrex.web.pages.bbv.valuation_context`) and offers the jaarovergang with a
ledger export, which writes new versions of the portfolio and of the stored grexes it refers to in one transaction
(:func:`opengrex.services.portefeuille.roll_stored`). ``/bbv`` stays the page for a file that is not stored."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException

from opengrex.errors import InputErrors, OpengrexError
from opengrex.services.kinds import DocumentKind
from opengrex.store import repository as repo
from opengrex.web.pages.bbv import jaarovergang_context, valuation_context
from opengrex.web.pages.context import can_edit, db_of, login_required, page_user, parse_id
from opengrex.web.pages.documents import PAGES, KindPage, detail_page
from opengrex.web.pages.render import error_page, not_found, page

router = APIRouter(include_in_schema=False)


def context(result: Any, kind: DocumentKind[Any, Any]) -> dict[str, Any]:
    return {"v": valuation_context(result)}


PAGES["portefeuille"] = KindPage("portefeuille.html", context)


@router.post("/portefeuille/{doc_id}/jaarovergang", response_class=HTMLResponse)
async def jaarovergang(request: Request, doc_id: str) -> Response:
    """The jaarovergang of the stored portfolio: the variance analysis and the new versions written; refused (a
    jaarovergang applied twice, an unknown project in the ledger, a grex changed since): the portfolio page with the
    reasons, nothing written."""
    from opengrex.web.api.portefeuille import roll_from_form

    if (r := login_required(request)) is not None:
        return r
    n = parse_id(doc_id)
    if n is None:
        return not_found(request, "Portefeuille", doc_id)
    if not can_edit(request):
        return error_page(request, "Geen rechten", "Alleen een bewerker (rol editor) mag een jaarovergang uitvoeren.", 403)
    user = page_user(request)
    try:
        jo, written = await roll_from_form(request, db_of(request), n, user.name if user is not None else "")
    except repo.NotFoundError as exc:
        return error_page(request, "Niet gevonden", exc.message[:1].upper() + exc.message[1:] + ".", 404)
    except repo.ConflictError as exc:
        allowed = getattr(exc, "allowed", None)
        return _with_errors(request, n, [exc.message + (f"; toegestaan: {allowed}" if allowed else "")], 409)
    except OpengrexError as exc:
        return _with_errors(request, n, [str(e) for e in exc.errors] if isinstance(exc, InputErrors) else [str(exc)], 422)
    except HTTPException:
        return _with_errors(request, n, ["Het formulier kon niet worden gelezen; kies het grootboek en probeer het opnieuw."], 400)
    ctx = {"jaarovergang": jaarovergang_context(jo), "opgeslagen": written, "basis": f"/portefeuille/{n}",
           "melding_ok": f"Jaarovergang {jo.jaar} opgeslagen: portefeuille versie {written['portefeuille']['versie']}"
                         + (", " + ", ".join(f"{g['naam']} versie {g['versie']}" for g in written["grexen"]) if written["grexen"] else "") + "."}
    return page(request, "portefeuille_jaarovergang.html", ctx, active="/portefeuille")


def _with_errors(request: Request, n: int, errors: list[str], status: int) -> Response:
    return detail_page(request, "portefeuille", str(n), extra={"jo_fouten": errors}, status_code=status)


__all__ = ["context", "router"]
