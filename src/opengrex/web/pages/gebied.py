"""Pages of the gebiedsbegroting and the governance beslisboom (``/governance``).

Stored gebieden are a document kind (list ``/gebied``, versions, downloads: :mod:`opengrex.web.pages.documents`);
their detail page is :data:`PAGES` ``["gebied"]``. ``/gebied/berekenen`` calculates an uploaded gebied (YAML/JSON,
links inline) without storing it, ``/gebied/demo`` the demo. Every result page shows the one wallet, the parties,
the rules in their order with their effect per party, the fund and the risks, with charts (fund balance over time,
each party's net position per year, a Sankey of what the rules move between parties). Viewers see only the public
(Woo) variant; its page is made from the public result, so it cannot contain a confidential value.

``/governance``: the beslisboom one question per step (HTMX; works without JavaScript too), a back button, and the
advice with the path of answers. Stateless: the answers so far travel in the form.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from opengrex.errors import OpengrexError
from opengrex.io.charts import gebied_figures
from opengrex.io.xlsx_gebied import write_gebied_xlsx
from opengrex.services import gebied as api
from opengrex.services import governance as gov
from opengrex.services.kinds import DocumentKind
from opengrex.web.pages.context import login_required, page_user
from opengrex.web.pages.documents import PAGES, KindPage
from opengrex.web.pages.render import EXTRA_PAGES, charts_json, error_page, page, records_table

router = APIRouter(include_in_schema=False)
EXTRA_PAGES.append(("/governance", "Governance"))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _openbaar(request: Request, asked: str | None) -> bool:
    """Viewers always get the public variant; editors choose (default confidential)."""
    user = page_user(request)
    if user is None or not user.sees_confidential:
        return True
    return asked in ("1", "true", "ja", "openbaar")


def _tables(d: dict[str, Any]) -> dict[str, Any]:
    return {k: records_table(v) for k, v in api.report_tables(d).items()}


def result_context(res: api.GebiedResult, document: dict[str, Any]) -> dict[str, Any]:
    """Everything the result page shows, made from the report of ``res`` (its own variant) only."""
    d = res.rapport()
    return {"d": d, "t": _tables(d), "charts": charts_json(gebied_figures(d)),
            "document": json.dumps(document, ensure_ascii=False).replace("</", "<\\/"), "sets": [s.naam for s in res.gebied.spelregelsets]}


def stored_context(res: api.GebiedResult, kind: DocumentKind[Any, Any]) -> dict[str, Any]:
    """The detail page of a stored gebied (its variant follows what the user may see: see calculate_stored)."""
    d = res.rapport()
    return {"d": d, "t": _tables(d), "charts": charts_json(gebied_figures(d))}


PAGES["gebied"] = KindPage("gebied_document.html", stored_context)


def _render(request: Request, g: api.Gebied, openbaar: bool, regelset: str | None, document: dict[str, Any], bron: str) -> Response:
    res = api.calculate_gebied(g, regelset=regelset, openbaar=openbaar, bestanden=False)
    doc = api.gebied_to_dict(res.gebied, openbaar=openbaar) if openbaar else document  # the public page carries the public copy only
    ctx = result_context(res, doc) | {"bron": bron, "kan_vertrouwelijk": not _forced_public(request)}
    return page(request, "gebied.html", ctx, active="/gebied")


def _forced_public(request: Request) -> bool:
    user = page_user(request)
    return user is None or not user.sees_confidential


@router.get("/gebied/berekenen", response_class=HTMLResponse)
def gebied_start(request: Request) -> Response:
    if (r := login_required(request)) is not None:
        return r
    return page(request, "gebied.html", {"d": None, "kan_vertrouwelijk": not _forced_public(request)}, active="/gebied")


@router.get("/gebied/demo", response_class=HTMLResponse)
def gebied_demo(request: Request, openbaar: str | None = None, regelset: str | None = None) -> Response:
    if (r := login_required(request)) is not None:
        return r
    pub = _openbaar(request, openbaar)
    data = api.demo_data(openbaar=pub)
    try:
        return _render(request, api.gebied_from_dict(data, "demo"), pub, regelset or None, data, "demo Spoorzone Oost")
    except OpengrexError as exc:
        return error_page(request, "Niet te berekenen", str(exc), 422)


@router.post("/gebied/berekenen", response_class=HTMLResponse)
async def gebied_upload(request: Request) -> Response:
    if (r := login_required(request)) is not None:
        return r
    form = await request.form()
    pub = _openbaar(request, str(form.get("openbaar") or ""))
    regelset = str(form.get("regelset") or "") or None
    try:
        f = form.get("bestand")
        if isinstance(f, UploadFile) and f.filename:
            name = Path(f.filename).name
            if Path(name).suffix.lower() not in (".yaml", ".yml", ".json"):
                raise api.InputError("onbekend bestandstype", location=name, field="bestand", value=Path(name).suffix, allowed=".yaml, .yml, .json")
            text = (await f.read()).decode("utf-8", errors="strict")
            g = api.gebied_from_text(text, name)
            bron = name
        else:
            text = str(form.get("document") or "")
            g = api.gebied_from_text(text, "document.json")
            bron = g.naam
        return _render(request, g, pub, regelset, api.gebied_to_dict(g), bron)
    except UnicodeDecodeError:
        return error_page(request, "Niet te lezen", "Het bestand is geen UTF-8-tekst.", 422)
    except OpengrexError as exc:
        return page(request, "gebied.html", {"d": None, "fout": str(exc), "kan_vertrouwelijk": not _forced_public(request)}, status_code=422, active="/gebied")


@router.post("/gebied/export")
async def gebied_export(request: Request) -> Response:
    """The Excel workbook of the document on the result page (public copy on a public page)."""
    import tempfile


    if (r := login_required(request)) is not None:
        return r
    form = await request.form()
    pub = _openbaar(request, str(form.get("openbaar") or ""))
    try:
        g = api.gebied_from_text(str(form.get("document") or ""), "document.json")
        res = api.calculate_gebied(g, regelset=str(form.get("regelset") or "") or None, openbaar=pub, bestanden=False)
    except OpengrexError as exc:
        return error_page(request, "Niet te berekenen", str(exc), 422)
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "gebied.xlsx"
        write_gebied_xlsx(res, p)
        content = p.read_bytes()
    return Response(content, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="gebied-{res.variant}.xlsx"'})


# --------------------------------------------------------------------------------------------------- governance
def _antwoorden(form: Any) -> dict[str, str]:
    try:
        data = json.loads(str(form.get("antwoorden") or "{}"))
    except ValueError:
        data = {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _stap(request: Request, antwoorden: dict[str, str], fout: str | None = None, status: int = 200) -> Response:
    boom = gov.load_beslisboom()
    advies = gov.loop(boom, antwoorden)
    ctx = {"a": advies.to_dict(), "antwoorden": json.dumps(antwoorden, ensure_ascii=False), "stap": len(advies.pad) + 1, "fout": fout,
           "uitkomst_tabel": records_table([{"onderdeel": u["onderdeel"], "uitkomst": u["label"]} for u in advies.to_dict()["uitkomsten"]])}
    partial = request.headers.get("HX-Request") == "true"
    return page(request, "_governance_stap.html" if partial else "governance.html", ctx, status_code=status, active="/governance")


@router.get("/governance", response_class=HTMLResponse)
def governance_start(request: Request) -> Response:
    if (r := login_required(request)) is not None:
        return r
    return _stap(request, {})


@router.post("/governance", response_class=HTMLResponse)
async def governance_step(request: Request) -> Response:
    if (r := login_required(request)) is not None:
        return r
    form = await request.form()
    antwoorden = _antwoorden(form)
    boom = gov.load_beslisboom()
    actie = str(form.get("actie") or "")
    if actie == "terug" and antwoorden:
        pad = gov.loop(boom, antwoorden).pad
        antwoorden = {s.vraag_id: s.antwoord for s in pad[:-1]}
    elif actie == "opnieuw":
        antwoorden = {}
    elif actie == "antwoord":
        vraag, antwoord = str(form.get("vraag") or ""), str(form.get("antwoord") or "")
        try:
            gov.loop(boom, antwoorden | {vraag: antwoord})
        except OpengrexError as exc:
            return _stap(request, antwoorden, fout=str(exc), status=422)
        antwoorden[vraag] = antwoord
    try:
        return _stap(request, antwoorden)
    except OpengrexError as exc:
        return _stap(request, {}, fout=str(exc), status=422)
