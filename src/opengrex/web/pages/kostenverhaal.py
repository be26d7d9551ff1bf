"""Kostenverhaal case page: the A5 table (with its explanation: the plankosten tested against a linked
plankostenscan), kosten per kostensoort, volgordelijkheid (recovered / not recovered, and why) and the explanation of
the exploitatiebijdrage; ``/kostenverhaal/{id}/plankostenscan`` shows the linked scan on the plankostenscan page.
List, versions, compare and downloads are the common pages (:mod:`opengrex.web.pages.documents`); the eindafrekening
is listed under kostenverhaal."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from opengrex.errors import OpengrexError
from opengrex.io.charts import kostenverhaal_figures
from opengrex.services.kinds import DocumentKind
from opengrex.services.kostenverhaal import plankostenscan_result
from opengrex.web.pages.context import login_required
from opengrex.web.pages.documents import PAGES, KindPage, load
from opengrex.web.pages.render import charts_json, error_page, page, records_table

router = APIRouter(include_in_schema=False)


def kostenverhaal_context(result: Any, kind: DocumentKind[Any, Any]) -> dict[str, Any]:
    a5 = result.a5_table()
    volg = result.volgordelijkheid()
    d = result.to_dict()
    return {
        "r": result,
        "d": d,
        "a5": a5,
        "kostensoorten": records_table(result.kosten_per_kostensoort()),
        "volgorde": volg,
        "volg_totaal": {k: sum(v[k] for v in volg) for k in ("te_verhalen", "verhaald", "niet_verhaald")},
        "uitleg": kind.explain(result, "exploitatiebijdrage").to_dict(),
        "a5_toelichting": result.a5_toelichting(),
        "plankostenscan": d.get("plankostenscan"),
        "kavels": records_table(d.get("kavels", [])),
        "charts": charts_json(kostenverhaal_figures(result)),
    }


PAGES["kostenverhaal"] = KindPage("kostenverhaal.html", kostenverhaal_context)


@router.get("/kostenverhaal/{doc_id}/plankostenscan", response_class=HTMLResponse, name="kostenverhaal_plankostenscan")
def kostenverhaal_plankostenscan(request: Request, doc_id: str, versie: str | None = None) -> Response:
    """The plankostenscan linked to a case's A1 plankosten line, on the plankostenscan page (form filled in, result
    tables with the source of every figure), with a link back to the case."""
    if (r := login_required(request)) is not None:
        return r
    from opengrex.web.pages.plankosten import scan_context

    got = load(request, "kostenverhaal", doc_id, versie)
    if isinstance(got, Response):
        return got
    info, case = got
    try:
        result = plankostenscan_result(case)
    except OpengrexError as exc:
        return error_page(request, "Niet te berekenen", str(exc), 422)
    basis = f"/kostenverhaal/{info['id']}" + (f"/versie/{info['getoond']}" if versie is not None else "")
    if result is None:
        return error_page(request, "Geen plankostenscan", f"Aan kostenverhaal '{info['naam']}' is geen plankostenscan gekoppeld "
                          "(koppel hem met 'plankostenscan' op de A1-regel van de gemeente).", 404)
    return page(request, "plankosten.html", scan_context(result, {"naam": info["naam"], "href": basis}), active="/kostenverhaal")
