"""Programme page (Mastergrex): projects, fund, partners, guarantees, taakstellingen, yearly book value, and the
Monte Carlo risk analysis loaded into the page (``/programma/{id}/risico``). List, versions, compare and downloads
are the common pages (:mod:`opengrex.web.pages.documents`)."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import escape

from opengrex.errors import OpengrexError
from opengrex.io import charts
from opengrex.services.kinds import DocumentKind
from opengrex.services.programma import run_risk
from opengrex.web.pages.context import login_required
from opengrex.web.pages.documents import PAGES, KindPage, load
from opengrex.web.pages.render import charts_json, frame_table, records_table, templates

router = APIRouter(include_in_schema=False)

RISK_DRAWS = 2000
"""Monte Carlo draws on the programme page (a fixed seed: the page shows the same numbers on every visit)."""


def programma_context(result: Any, kind: DocumentKind[Any, Any]) -> dict[str, Any]:
    yf = result.yearly_frame()
    ff = result.fund_frame()
    pf = result.projects_frame()
    figures = charts.programme_figures(result)  # the same figures as the CLI's PNG/HTML and the PDF report
    return {
        "r": result,
        "projecten": frame_table(pf, index=True),
        "fonds": frame_table(ff, index=True),
        "per_jaar": frame_table(yf, index=True),
        "partners": frame_table(result.partners_frame(), index=True),
        "financiers": frame_table(result.financiers_totals(), index=True),
        "garanties": frame_table(result.guarantees_frame(), index=True),
        "taakstellingen": frame_table(result.taakstellingen_frame(), index=True),
        "uitleg": kind.explain(result, "ncw").to_dict(),
        "charts": charts_json(figures),
    }


PAGES["programma"] = KindPage("programma.html", programma_context)


@router.get("/programma/{doc_id}/risico", response_class=HTMLResponse)
def programma_risk(request: Request, doc_id: str, trekkingen: int = RISK_DRAWS) -> Response:
    """Monte Carlo risk of a programme (loaded into the page by HTMX): summary, histogram and tornado."""
    if (r := login_required(request)) is not None:
        return r
    got = load(request, "programma", doc_id)
    if isinstance(got, Response):
        return got
    _, model = got
    draws = int(min(max(trekkingen, 100), 20_000))
    try:
        risk = run_risk(model, draws=draws, seed=2013)
    except OpengrexError as exc:
        return HTMLResponse(f'<p class="fouten">Risicoanalyse niet mogelijk: {escape(str(exc))}</p>')
    summ = risk.summary()
    tornado = summ.get("tornado", [])
    figures = charts.risk_figures(risk, bins=40)
    kerncijfers = {k: v for k, v in summ.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    return templates.TemplateResponse(request, "_programma_risico.html", {"s": summ, "kc": kerncijfers, "charts": charts_json(figures), "tornado": records_table(tornado)})
