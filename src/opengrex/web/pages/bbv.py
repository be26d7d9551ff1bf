"""Pages ``/bbv``: the BBV valuation of a grex or a portfolio (MPG) with charts, and the jaarovergang with its
variance analysis — uploaded, calculated by :mod:`opengrex.services.bbv` and shown; nothing is stored (the document
registry comes later)."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException

from opengrex.errors import InputError, InputErrors
from opengrex.io.charts import jaarovergang_figures, portfolio_figures
from opengrex.io.documents import parse_text
from opengrex.services.bbv import value_portfolio
from opengrex.web.pages.context import login_required
from opengrex.web.pages.render import charts_json, frame_table, page, records_table

router = APIRouter(include_in_schema=False)
RISK_DRAWS = 1000
"""Monte Carlo draws on the page (fixed seed: the same figures on every visit)."""


def _messages(exc: InputError) -> list[str]:
    return [str(e) for e in exc.errors] if isinstance(exc, InputErrors) else [str(exc)]


def valuation_context(w: Any) -> dict[str, Any]:
    """Key figures, the per-grex table, the per-year table and the charts of a valuation."""
    jf = w.jaren_frame()
    df = w.grexen_frame()
    cols = ["status", "boekwaarde", "resultaat_nominaal", "eindwaarde", "ncw", "voorziening", "dotatie", "vrijval", "poc", "winst_cumulatief", "winst_genomen", "risico", "risicomethode"]
    table = df[[c for c in cols if c in df.columns]]
    return {"w": w, "tot": w.totalen(), "grexen": frame_table(table, index=True), "jaren": frame_table(jf, index=True), "charts": charts_json(portfolio_figures(w)),
            "weerstand": w.weerstand, "waarschuwingen": w.waarschuwingen, "risk": frame_table(w.risk.frame(), index=True) if w.risk is not None else None}


def jaarovergang_context(jo: Any) -> dict[str, Any]:
    t = jo.totals()
    return {"jo": jo, "totalen": records_table([{"maat": m, **v} for m, v in t.items()]), "per_grex": frame_table(jo.verschillen_frame("ncw"), index=True),
            "per_kostensoort": frame_table(jo.per_kostensoort_frame("ncw"), index=True), "vervallen": frame_table(jo.vervallen_frame()),
            "na": valuation_context(jo.na), "charts_jo": charts_json(jaarovergang_figures(t, jo.jaar))}


@router.get("/bbv", response_class=HTMLResponse)
def bbv_form(request: Request) -> Response:
    if (r := login_required(request)) is not None:
        return r
    return page(request, "bbv.html", {"fouten": []})


async def _document(request: Request):
    from opengrex.web.api.bbv import _portfolio, read_upload

    form = await request.form(max_files=2, max_fields=20)
    name, content = await read_upload(form.get("document"), "document", (".yaml", ".yml", ".json"), int(request.app.state.settings.max_upload))
    data, _ = parse_text(content.decode("utf-8", errors="replace"), name)
    return _portfolio(data)


async def _run(request: Request, compute, context_key: str, to_context) -> Response:
    """Shared by the result pages: compute from the form, show the result or the errors (nothing stored)."""
    if (r := login_required(request)) is not None:
        return r
    try:
        result = await compute(request)
    except InputError as exc:
        return page(request, "bbv.html", {"fouten": _messages(exc)}, status_code=422)
    except HTTPException:
        return page(request, "bbv.html", {"fouten": ["Het formulier kon niet worden gelezen; kies de bestanden en probeer het opnieuw."]}, status_code=400)
    return page(request, "bbv.html", {"fouten": [], context_key: to_context(result)})


async def _valuation(request: Request) -> Any:

    lp = await _document(request)
    has_mc = any(e.risico.risicos for e in lp.portefeuille.grexen)
    return value_portfolio(lp, trekkingen=RISK_DRAWS if has_mc else 0)


@router.post("/bbv/waardering", response_class=HTMLResponse)
async def bbv_waardering(request: Request) -> Response:
    return await _run(request, _valuation, "waardering", valuation_context)


@router.post("/bbv/jaarovergang", response_class=HTMLResponse)
async def bbv_jaarovergang(request: Request) -> Response:
    from opengrex.web.api.bbv import jaarovergang_from_form

    return await _run(request, jaarovergang_from_form, "jaarovergang", jaarovergang_context)
