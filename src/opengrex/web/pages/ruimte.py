"""Pages of the spatial screening (interactive map in EPSG:28992), the target monitor and the regional profile.

The map page is static HTML plus ``/static/ruimte.js`` (OpenLayers + proj4, vendored): it uploads locations to
``POST /api/ruimte/toets?formaat=kaart`` and draws the answer; the layers come from ``GET /api/ruimte/lagen``.
Monitor and regio are server-rendered with plotly charts (``script.grafiekdata``, drawn by ``app.js``).
"""
from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from opengrex.errors import InputError, OpengrexError
from opengrex.formatting import number, pct
from opengrex.web.pages.context import login_required
from opengrex.web.pages.render import page

router = APIRouter(include_in_schema=False)

KLEUR = {"strijdig": "#c62828", "aandachtspunt": "#ef8f00", "geen": "#2e7d32", "niet getoetst": "#757575", "gelijk": "#757575", "gunstig": "#2e7d32",
         "ongunstig": "#c62828", "geen gegeven": "#bdbdbd"}


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


@router.get("/ruimte", response_class=HTMLResponse)
def ruimte_page(request: Request) -> Response:
    if (r := login_required(request)) is not None:
        return r
    from opengrex.services import ruimte as svc
    from opengrex.web.api.ruimte import lagen_bron

    versies = [d.isoformat() for d, _ in svc.regelset_versies()]
    sets = [svc.load_regelset(v) for v in versies]
    response = page(request, "ruimte.html", {
        "versies": [{"datum": rs.geldig_vanaf.isoformat(), "titel": rs.beleid} for rs in sets],
        "lagenbron": lagen_bron() or "demolagen De Brede Waard (fictief)",
        "kleuren": KLEUR,
        "keuzes": svc.keuze_teksten(),
    }, active="/ruimte")
    response.headers["Content-Security-Policy"] = map_csp()
    return response


PDOK_TILES = "https://service.pdok.nl"
"""Origin of the optional BRT background tiles (off by default; the map works offline without them)."""


def map_csp() -> str:
    """The app's content security policy with one addition for this page: images (map tiles) from PDOK."""
    from opengrex.web.security import CSP

    return CSP.replace("img-src 'self' data:", f"img-src 'self' data: {PDOK_TILES}", 1)


# ----------------------------------------------------------------------------------------------------- monitor
def _monitor_context(voortgang: Any = None, fout: str | None = None, gebied: str = "Nederland") -> dict[str, Any]:
    from opengrex.services import monitor as svc

    reg = sorted(svc.doelen_register(), key=lambda d: ({"land": 0, "provincie": 1, "novex": 2}.get(d.niveau, 3), d.gebied, d.doeljaar))
    ctl = svc.controle()
    nat = next((c for c in ctl["controles"] if c["geheel"]["gebied"] == "Nederland"), None)
    charts: dict[str, Any] = {}
    if nat is not None:
        names = [p["gebied"] for p in nat["delen"]]
        vals = [p["waarde"] for p in nat["delen"]]
        charts["grafiek-provincies"] = {
            "data": [{"type": "bar", "x": names, "y": vals, "name": "provinciale bijdrage", "marker": {"color": "#4f81bd"},
                      "hovertemplate": "%{x}: %{y:,.0f} woningen<extra></extra>"}],
            "layout": {"title": {"text": f"Provinciale bijdragen tot 2030: som {number(nat['som_delen'])} tegen nationaal {number(nat['geheel']['waarde'])}"},
                       "separators": ",.", "margin": {"t": 50, "b": 90, "l": 70, "r": 10}, "yaxis": {"title": {"text": "woningen"}},
                       "showlegend": False, "height": 360},
        }
    if voortgang is not None:
        s = voortgang.summary()
        data = [{"type": "scatter", "mode": "lines+markers", "x": s["jaren"], "y": s["cumulatief"]["hard"], "name": "hard", "stackgroup": "plan", "line": {"color": "#2e7d32"}},
                {"type": "scatter", "mode": "lines+markers", "x": s["jaren"], "y": s["cumulatief"]["zacht"], "name": "zacht", "stackgroup": "plan", "line": {"color": "#ef8f00"}},
                {"type": "scatter", "mode": "lines+markers", "x": s["jaren"], "y": s["cumulatief"]["nader_te_bepalen"], "name": "nader te bepalen", "stackgroup": "plan", "line": {"color": "#9e9e9e"}}]
        if s["traject"] is not None:
            data.append({"type": "scatter", "mode": "lines", "x": s["jaren"], "y": s["traject"], "name": "doeltraject", "line": {"color": "#c62828", "dash": "dash", "width": 3}})
        charts["grafiek-voortgang"] = {"data": data, "layout": {"title": {"text": f"Plancapaciteit cumulatief tegen het doel — {s['gebied']}"}, "separators": ",.",
                                                                "margin": {"t": 50, "b": 80, "l": 70, "r": 10}, "yaxis": {"title": {"text": "woningen (cumulatief)"}},
                                                                "legend": {"orientation": "h", "y": -0.18, "x": 0, "yanchor": "top"}, "height": 380}}
        shares = [("betaalbaar", s["aandeel_betaalbaar"], s["norm_betaalbaar"]), ("sociale huur", s["aandeel_sociale_huur"], s["norm_sociale_huur"])]
        charts["grafiek-aandelen"] = {
            "data": [{"type": "bar", "x": [n for n, _, _ in shares], "y": [v if v is not None else 0 for _, v, _ in shares], "name": "plancapaciteit",
                      "marker": {"color": "#4f81bd"}, "hovertemplate": "%{x}: %{y:.1%}<extra></extra>"},
                     {"type": "scatter", "mode": "markers", "x": [n for n, _, _ in shares], "y": [t for _, _, t in shares], "name": "norm / streven",
                      "marker": {"symbol": "line-ew-open", "size": 40, "color": "#c62828", "line": {"width": 3}}}],
            "layout": {"title": {"text": "Aandeel betaalbaar (norm ≥ 2/3) en sociale huur (streven 30%)"}, "separators": ",.", "yaxis": {"tickformat": ".0%", "range": [0, 1]},
                       "margin": {"t": 50, "b": 70, "l": 60, "r": 10}, "legend": {"orientation": "h", "y": -0.15, "x": 0, "yanchor": "top"}, "height": 340},
        }
    return {"register": reg, "controle": ctl, "nationaal": nat, "voortgang": voortgang, "charts": _json(charts), "fout": fout, "gebied": gebied,
            "number": number, "pct": pct}


@router.get("/monitor", response_class=HTMLResponse)
def monitor_page(request: Request) -> Response:
    if (r := login_required(request)) is not None:
        return r
    return page(request, "monitor.html", _monitor_context(), active="/monitor")


@router.post("/monitor", response_class=HTMLResponse)
async def monitor_upload(request: Request) -> Response:
    """Upload a pipeline (CSV/xlsx) and see its progress against the target of an area."""
    if (r := login_required(request)) is not None:
        return r
    import tempfile
    from pathlib import Path

    from opengrex.services import monitor as svc

    form = await request.form()
    upload = form.get("bestand")
    gebied = str(form.get("gebied") or "Nederland")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return page(request, "monitor.html", _monitor_context(fout="Kies een bestand (CSV of xlsx).", gebied=gebied), status_code=422, active="/monitor")
    suffix = Path(upload.filename).suffix.lower()
    try:
        if suffix not in (".csv", ".xlsx"):
            raise InputError("onbekend bestandsformaat", location=upload.filename, field="bestand", value=suffix, allowed=".csv, .xlsx")
        with tempfile.TemporaryDirectory(prefix="opengrex-upload-") as d:
            p = Path(d) / f"pijplijn{suffix}"
            p.write_bytes(await upload.read())
            res = svc.voortgang(p, gebied)
    except OpengrexError as exc:
        return page(request, "monitor.html", _monitor_context(fout=str(exc).replace(str(Path(tempfile.gettempdir())), "…"), gebied=gebied), status_code=422, active="/monitor")
    return page(request, "monitor.html", _monitor_context(res, gebied=gebied), active="/monitor")


@router.get("/regio", response_class=HTMLResponse)
def regio_page(request: Request) -> Response:
    if (r := login_required(request)) is not None:
        return r
    from opengrex.services import monitor as svc

    res = svc.regio_profiel()
    s = res.summary()
    z = [[g["afwijking"] for g in ind["gemeenten"]] for ind in s["indicatoren"]]
    pol = [1 if ind["polariteit"] == "hoger_is_beter" else -1 for ind in s["indicatoren"]]
    colour = [[None if v is None else v * p for v in row] for row, p in zip(z, pol)]
    text = [[("–" if g["waarde"] is None else f"{number(g['waarde'], 1)}% ({'+' if (g['afwijking'] or 0) > 0 else ''}{number(g['afwijking'] or 0, 1)})") for g in ind["gemeenten"]]
            for ind in s["indicatoren"]]
    charts = {"grafiek-regio": {
        "data": [{"type": "heatmap", "x": list(res.gemeenten), "y": [ind["naam"] for ind in s["indicatoren"]], "z": colour, "text": text, "texttemplate": "%{text}",
                  "hovertemplate": "%{y} — %{x}: %{text}<extra></extra>", "zmid": 0, "colorscale": [[0, "#c62828"], [0.5, "#f5f5f5"], [1, "#2e7d32"]],
                  "showscale": False}],
        "layout": {"title": {"text": "Afwijking van de provincie (procentpunt): groen gunstig, rood ongunstig"}, "separators": ",.",
                   "margin": {"t": 50, "b": 40, "l": 210, "r": 10}, "height": 420, "xaxis": {"side": "bottom", "tickangle": 0}, "yaxis": {"autorange": "reversed"}},
    }}
    return page(request, "regio.html", {"profiel": s, "res": res, "charts": _json(charts), "kleuren": KLEUR, "number": number}, active="/regio")
