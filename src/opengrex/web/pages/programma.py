"""Programme page (Mastergrex): projects, fund, partners, guarantees, taakstellingen, yearly book value, and the
Monte Carlo risk analysis loaded into the page (``/programma/{id}/risico``). List, versions, compare and downloads
are the common pages (:mod:`opengrex.web.pages.documents`)."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import escape

from opengrex.errors import OpengrexError
from opengrex.services.kinds import DocumentKind
from opengrex.services.programma import run_risk
from opengrex.web.pages.context import login_required
from opengrex.web.pages.documents import PAGES, KindPage, load
from opengrex.web.pages.render import chart_layout, charts_json, frame_table, records_table, templates

router = APIRouter(include_in_schema=False)

RISK_DRAWS = 2000
"""Monte Carlo draws on the programme page (a fixed seed: the page shows the same numbers on every visit)."""


def programma_context(result: Any, kind: DocumentKind[Any, Any]) -> dict[str, Any]:
    yf = result.yearly_frame()
    years = [int(y) for y in yf.index]
    ff = result.fund_frame()
    pf = result.projects_frame()
    charts = {
        "grafiek-programma": {"data": [
            {"type": "scatter", "mode": "lines+markers", "name": "Boekwaarde programma", "x": years, "y": yf["boekwaarde_programma"].tolist(), "fill": "tozeroy"},
            {"type": "scatter", "mode": "lines", "name": "Boekwaarde projecten", "x": years, "y": yf["boekwaarde_projecten"].tolist()},
            {"type": "scatter", "mode": "lines", "name": "Fondssaldo", "x": years, "y": ff["saldo"].tolist(), "line": {"dash": "dash"}},
        ], "layout": {**chart_layout("Boekwaarde programma en fonds (€ nominaal)"), "xaxis": {"dtick": 2}}},
        "grafiek-projecten": {"data": [
            {"type": "bar", "name": "NCW per project", "x": [str(i) for i in pf.index], "y": pf["ncw"].tolist(), "marker": {"color": ["#c62828" if v < 0 else "#2e7d32" for v in pf["ncw"].tolist()]}},
        ], "layout": {**chart_layout("NCW per project"), "height": 380, "margin": {"l": 100, "r": 20, "t": 40, "b": 140}}},
    }
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
        "charts": charts_json(charts),
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
    hist = risk.histogram(40)
    mids = ((hist["van"] + hist["tot"]) / 2).tolist()
    tornado = summ.get("tornado", [])
    charts = {
        "grafiek-risico": {"data": [{"type": "bar", "name": "Trekkingen", "x": mids, "y": hist["aantal"].tolist(), "marker": {"color": "#1565c0"}}],
                           "layout": {**chart_layout(f"Verdeling NCW programma ({draws} trekkingen)"), "yaxis": {"title": {"text": "aantal"}}, "xaxis": {"tickprefix": "€ ", "tickformat": ",.0f"},
                                      "shapes": [{"type": "line", "x0": summ[k], "x1": summ[k], "yref": "paper", "y0": 0, "y1": 1, "line": {"dash": "dot"}} for k in ("P10", "P50", "P90") if k in summ]}},
        "grafiek-tornado": {"data": [
            {"type": "bar", "orientation": "h", "name": "bij P10", "y": [t["invoer"] for t in tornado], "x": [t["effect_P10"] for t in tornado], "marker": {"color": "#c62828"}},
            {"type": "bar", "orientation": "h", "name": "bij P90", "y": [t["invoer"] for t in tornado], "x": [t["effect_P90"] for t in tornado], "marker": {"color": "#2e7d32"}},
        ], "layout": {**chart_layout("Tornado: effect op de NCW"), "barmode": "overlay", "height": 120 + 32 * len(tornado), "yaxis": {"autorange": "reversed", "automargin": True}, "xaxis": {"tickprefix": "€ ", "tickformat": ",.0f"}}},
    }
    kerncijfers = {k: v for k, v in summ.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    return templates.TemplateResponse(request, "_programma_risico.html", {"s": summ, "kc": kerncijfers, "charts": charts_json(charts), "tornado": records_table(tornado)})
