"""Overview of every document as a portfolio (status, headline figures with units, boekwaarde and NCW totals over the
grexes, the consolidated cash flow per year with a chart; filters and sorting: :mod:`opengrex.services.overview`),
upload of YAML/JSON/Excel template, demo data, 404 page."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape
from starlette.datastructures import UploadFile

from opengrex.errors import InputError, InputErrors, OpengrexError
from opengrex.formatting import eur, number, pct, size_nl
from opengrex.io.xlsx_reader import upload_name
from opengrex.io.xlsx_template import write_grex_template
from opengrex.services import documents as docs
from opengrex.services import overview as overview_service
from opengrex.services.kinds import KINDS, kinds
from opengrex.store import repository as repo
from opengrex.web.pages.context import can_edit, db_of, login_required, see_other, settings_of
from opengrex.web.pages.documents import author
from opengrex.web.pages.render import chart_layout, charts_json, error_page, not_found, page, templates
from opengrex.web.security import attachment

router = APIRouter(include_in_schema=False)

UPLOAD_SUFFIXES = set(docs.UPLOAD_SUFFIXES)


def headline_value(value: Any, eenheid: str) -> Markup:
    """A headline figure by its unit (nl-NL): euros without cents, a percentage, or a plain number; red when negative."""
    if value is None:
        return Markup('<span class="num">–</span>')
    v = float(value)
    unit = (eenheid or "-").strip()
    text = eur(v) if unit.startswith(("EUR", "€")) else pct(v) if unit == "%" else number(v, 2)
    cls = "num neg" if v < 0 and unit.startswith(("EUR", "€")) else "num"
    return Markup(f'<span class="{cls}">{escape(text)}</span>')


templates.env.filters["kerncijfer"] = headline_value


def cash_flow_chart(kasstroom: dict[str, Any]) -> dict[str, Any]:
    """Stacked bars of the net cash flow per year per kind and the cumulative total (plotly.js)."""
    colours = {"grex": "#1f4e99", "programma": "#8fb3e8"}
    data = [{"type": "bar", "name": kasstroom["labels"].get(k, k), "x": kasstroom["jaren"], "y": ys, "marker": {"color": colours.get(k, "#999")},
             "hovertemplate": "%{x}: € %{y:,.0f}<extra>" + kasstroom["labels"].get(k, k) + "</extra>"}
            for k, ys in kasstroom["per_soort"].items() if any(abs(y) > 0 for y in ys)]
    data.append({"type": "scatter", "mode": "lines+markers", "name": "Cumulatief", "x": kasstroom["jaren"], "y": kasstroom["cumulatief"],
                 "line": {"color": "#c62828"}, "hovertemplate": "%{x}: € %{y:,.0f}<extra>cumulatief</extra>"})
    layout = chart_layout("Kasstroom per jaar (€ nominaal)")
    layout.update(barmode="relative", xaxis={"automargin": True, "tickformat": "d"}, margin={"l": 20, "r": 10, "t": 50, "b": 40},
                  legend={"orientation": "h", "y": -0.12, "yanchor": "top", "x": 0, "xanchor": "left"})
    return {"grafiek-kasstroom": {"data": data, "layout": layout}}


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, soort: str = "", status: str = "actief", q: str = "", sorteer: str = "bijgewerkt", volgorde: str = "af") -> Response:
    if (r := login_required(request)) is not None:
        return r
    fouten: list[str] = []
    with db_of(request).transaction() as s:
        try:
            o = overview_service.overview(s, kind=soort or None, status=status, q=q[:200] or None, sorteer=sorteer, volgorde=volgorde)
        except InputError as exc:
            fouten.append(str(exc))
            o = overview_service.overview(s)
        leeg = not o["documenten"] and repo.count_rows(s)["documents"] == 0
        in_bin = repo.count_in_bin(s)
    ctx = {"o": o, "f": o["filters"], "fouten": fouten, "leeg": leeg, "in_prullenbak": in_bin, "kinds": KINDS,
           "charts": charts_json(cash_flow_chart(o["kasstroom"])) if o["kasstroom"]["jaren"] else None,
           "sorteerbaar": [("naam", "Naam"), ("soort", "Soort"), ("status", "Status"), ("bijgewerkt", "Bijgewerkt"), ("ncw", "NCW"), ("boekwaarde", "Boekwaarde"),
                           ("saldo_nominaal", "Saldo nominaal")]}
    demo = demo_message(request.cookies.get(DEMO_COOKIE, ""))
    if demo:
        ctx["melding_ok"] = demo
    response = page(request, "overzicht.html", ctx, status_code=422 if fouten else 200, active="/")
    if demo:
        response.delete_cookie(DEMO_COOKIE)
    return response


DEMO_COOKIE = "opengrex_demo"
"""Short-lived cookie after 'Demo laden': how many documents were loaded, already present, skipped (the overview says so)."""


def demo_message(value: str) -> str:
    """'Demo geladen: 12 documenten.' from the cookie ``loaded-present-skipped`` (anything else: no message)."""
    parts = value.split("-")
    if len(parts) != 3 or not all(p.isdigit() and len(p) < 5 for p in parts):
        return ""
    loaded, present, skipped = (int(p) for p in parts)
    text = f"Demo geladen: {loaded} document{'en' if loaded != 1 else ''}" if loaded else "De demo was al geladen"
    if loaded and present:
        text += f" ({present} al aanwezig)"
    if skipped:
        text += f"; {skipped} overgeslagen (zie het serverlog)"
    return text + "."


@router.post("/demo", response_class=HTMLResponse)
def load_demo(request: Request) -> Response:
    """Load the demo data once (idempotent: documents already present are not loaded again)."""
    if (r := login_required(request)) is not None:
        return r
    if not can_edit(request):
        return error_page(request, "Geen rechten", "Alleen een bewerker (rol editor) mag de demo laden.", 403)
    with db_of(request).transaction() as s:
        report = docs.load_demo(s, author="demo")
    response = see_other("/")
    response.set_cookie(DEMO_COOKIE, f"{len(report.loaded)}-{len(report.present)}-{len(report.skipped)}", max_age=60, httponly=True, samesite="strict")
    return response


# ---------------------------------------------------------------------------------------------- upload
@router.get("/upload", response_class=HTMLResponse)
def upload_form(request: Request) -> Response:
    if (r := login_required(request)) is not None:
        return r
    return page(request, "upload.html", _upload_ctx(request), active="/upload")


@router.get("/upload/sjabloon.xlsx")
def template_download(request: Request) -> Response:
    """The empty, documented Excel template of a grex (:func:`opengrex.io.xlsx_template.write_grex_template`)."""
    if (r := login_required(request)) is not None:
        return r

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "grex-sjabloon.xlsx"
        write_grex_template(path)
        content = path.read_bytes()
    return Response(content, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", headers={"Content-Disposition": attachment("grex-sjabloon", "xlsx")})


def _upload_ctx(request: Request, **extra: Any) -> dict[str, Any]:
    limit = int(settings_of(request).max_upload)
    ctx = {"soorten": [(k.name, k.label) for k in kinds()], "max_upload": limit, "max_mb": size_nl(limit), "fouten": [], "gekozen": "grex"}
    ctx.update(extra)
    return ctx


def _messages(exc: InputError) -> list[str]:
    errs = exc.errors if isinstance(exc, InputErrors) else [exc]
    return [str(e) for e in errs]


@router.post("/upload", response_class=HTMLResponse)
async def upload(request: Request) -> Response:
    """Create a document from an uploaded YAML/JSON file or the Excel template; one transaction, nothing half-saved."""
    if (r := login_required(request)) is not None:
        return r
    limit = int(settings_of(request).max_upload)
    try:
        form = await request.form(max_files=1, max_fields=20)
    except HTTPException as exc:
        if exc.status_code == 413:
            return page(request, "upload.html", _upload_ctx(request, fouten=[f"Het bestand is te groot; toegestaan: hoogstens {size_nl(limit)}."]), status_code=413, active="/upload")
        return page(request, "upload.html", _upload_ctx(request, fouten=["Het formulier kon niet worden gelezen; kies een bestand en probeer het opnieuw."]), status_code=400, active="/upload")
    kind = str(form.get("soort") or "grex")
    ctx_kind = {"gekozen": kind}
    if not can_edit(request):
        return error_page(request, "Geen rechten", "Alleen een bewerker (rol editor) mag bestanden uploaden.", 403)
    upload = form.get("bestand")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return page(request, "upload.html", _upload_ctx(request, fouten=["veld 'bestand': kies een bestand (YAML, JSON of het Excel-sjabloon .xlsx)"], **ctx_kind), status_code=422, active="/upload")

    name = upload_name(upload.filename)
    suffix = Path(name).suffix.lower()
    content = await upload.read(limit + 1)
    errors: list[str] = []
    if kind not in KINDS:
        errors.append(f"veld 'soort': onbekende documentsoort '{kind}'; toegestaan: {', '.join(KINDS)}")
    elif suffix not in UPLOAD_SUFFIXES:
        errors.append(f"veld 'bestand': bestandstype '{suffix or '(geen)'}' wordt niet ondersteund; toegestaan: .yaml, .yml, .json, .xlsx (Excel-sjabloon)")
    elif len(content) > limit:
        errors.append(f"veld 'bestand': het bestand is te groot (meer dan {size_nl(limit)}); toegestaan: hoogstens {size_nl(limit)}")
    elif not content:
        errors.append("veld 'bestand': het bestand is leeg")
    if errors:
        return page(request, "upload.html", _upload_ctx(request, fouten=errors, **ctx_kind), status_code=413 if "te groot" in errors[0] else 422, active="/upload")
    try:
        model = docs.model_from_upload(kind, name, content)
        with db_of(request).transaction() as s:
            doc = docs.create(s, kind=kind, model=model, author=author(request), comment=f"upload {name}", source=name)
            new_id = doc.id
    except InputError as exc:
        return page(request, "upload.html", _upload_ctx(request, fouten=_messages(exc), bestandsnaam=name, **ctx_kind), status_code=422, active="/upload")
    except OpengrexError as exc:
        return page(request, "upload.html", _upload_ctx(request, fouten=[str(exc)], bestandsnaam=name, **ctx_kind), status_code=422, active="/upload")
    return see_other(f"/{kind}/{new_id}?opgeslagen=1")


# ---------------------------------------------------------------------------------------------- 404
def register_fallback(r: APIRouter) -> None:
    """A Dutch 404 page for unknown page URLs (the API keeps its JSON 404). Include this router last."""

    @r.get("/{path:path}", response_class=HTMLResponse, include_in_schema=False)
    def unknown_page(request: Request, path: str) -> Response:
        if path.startswith(("api/", "static/")) or path in ("api", "docs", "openapi.json", "redoc"):
            raise HTTPException(status_code=404, detail={"message": f"onbekend adres /{path}", "field": "pad", "value": f"/{path}"})
        return not_found(request, "De pagina", f"/{path}")
