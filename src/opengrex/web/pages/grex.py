"""Grondexploitatie pages: list, edit table with live recalculation (HTMX), save as a new version, versions and
compare, downloads (Excel with live formulas, YAML).

Every calculation goes through :func:`opengrex.services.grex.calculate_grex`; every save through
:func:`opengrex.services.documents.save_version` inside one transaction (nothing is written from invalid input).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from opengrex.services.grex import GrexResult, calculate_grex, grex_from_dict, grex_to_dict
from opengrex.codes import kostensoorten
from opengrex.errors import InputError, InputErrors, OpengrexError
from opengrex.model.grex import OPBRENGSTSOORTEN, Grex
from opengrex.services import documents as docs
from opengrex.services.kinds import get_kind
from opengrex.store import repository as repo
from opengrex.web.pages.context import can_edit, db_of, login_required, parse_id, see_other, visible_data
from opengrex.web.pages.forms import (
    MAX_ROWS, GrexForm, IndexRow, attach_errors, empty_row, field_label, form_from_grex, form_from_post, new_uid, read_form,
)
from opengrex.web.pages.grex_view import results_context
from opengrex.web.pages.render import error_page, not_found, page, templates
from opengrex.web.security import attachment

router = APIRouter(include_in_schema=False)


# ---------------------------------------------------------------------------------------------- helpers
def _edit_context(form: GrexForm, result: GrexResult | None, doc: dict[str, Any] | None) -> dict[str, Any]:
    ctx: dict[str, Any] = {
        "form": form,
        "doc": doc,
        "kostensoorten": kostensoorten("omgevingswet") + kostensoorten("bro"),
        "opbrengstsoorten": OPBRENGSTSOORTEN,
    }
    if result is not None:
        ctx.update(results_context(result))
    else:
        ctx["foutmelding"] = error_summary(form)
    return ctx


def error_summary(form: GrexForm) -> list[tuple[str, str]]:
    """(field label, message) for the error list above the results."""
    out = [(field_label(k, form), v) for k, v in form.errors.items()]
    out += [("Invoer", e) for e in form.general_errors]
    return out


def evaluate(form: GrexForm) -> tuple[GrexForm, Grex | None, GrexResult | None]:
    """Read, validate and calculate the posted form; errors end up next to their fields."""
    data, unreadable = read_form(form)
    try:
        grex = grex_from_dict(data, "formulier")
    except InputError as exc:
        found = exc.errors if isinstance(exc, InputErrors) else [exc]
        return attach_errors(form, InputErrors(unreadable + found)), None, None
    if unreadable:
        return attach_errors(form, InputErrors(unreadable)), None, None
    return form, grex, calculate_grex(grex)


def _doc_info(doc: Any) -> dict[str, Any]:
    return {"id": doc.id, "versie": doc.current_version, "getoond": doc.current_version, "bijgewerkt": doc.updated_at, "naam": doc.name}


FORM_MAX_FIELDS = 10 * MAX_ROWS + 500
"""Fields a grex form may have (9 per line, 3 per index series, the general fields); starlette's default is 1000."""


async def _posted_form(request: Request) -> GrexForm:
    form = await request.form(max_fields=FORM_MAX_FIELDS)
    return form_from_post(form.multi_items())


# ---------------------------------------------------------------------------------------------- list
@router.get("/grex", response_class=HTMLResponse)
def grex_list(request: Request) -> Response:
    if (r := login_required(request)) is not None:
        return r
    with db_of(request).transaction() as s:
        docs = [_doc_row(d) for d in repo.list_documents(s, kind="grex")]
    return page(request, "grex_lijst.html", {"docs": docs}, active="/grex")


def _doc_row(d: Any) -> dict[str, Any]:
    h = d.headline or {}
    return {"id": d.id, "kind": d.kind, "naam": d.name, "versie": d.current_version, "bijgewerkt": d.updated_at, "ncw": h.get("ncw", d.ncw), "eindwaarde": h.get("eindwaarde"), "saldo": h.get("saldo_nominaal"), "headline": h}


# ---------------------------------------------------------------------------------------------- edit + recalc
@router.get("/grex/nieuw", response_class=HTMLResponse)
def grex_new(request: Request) -> Response:
    if (r := login_required(request)) is not None:
        return r
    year = dt.date.today().year
    grex = Grex(name="Nieuwe grondexploitatie", prijspeil=dt.date(year, 1, 1), start_year=year, end_year=year + 9,
                indices={"geen": 0.0, "kostenstijging": 0.02, "opbrengstenstijging": 0.015})
    form = form_from_grex(grex)
    return page(request, "grex.html", _edit_context(form, calculate_grex(grex), None), active="/grex")


@router.post("/grex/nieuw", response_class=HTMLResponse)
async def grex_create(request: Request) -> Response:
    if (r := login_required(request)) is not None:
        return r
    form = await _posted_form(request)
    if not can_edit(request):
        return error_page(request, "Geen rechten", "Alleen een bewerker (rol editor) mag grondexploitaties opslaan.", 403)
    form, grex, result = evaluate(form)
    if grex is None:
        return page(request, "grex.html", _edit_context(form, None, None), status_code=422, active="/grex")
    comment = (await request.form(max_fields=FORM_MAX_FIELDS)).get("comment") or "aangemaakt in de webapp"
    with db_of(request).transaction() as s:
        doc = docs.create(s, kind="grex", model=grex, author=_author(request), comment=str(comment), source="formulier")
        new_id = doc.id
    return see_other(f"/grex/{new_id}?opgeslagen=1")


@router.get("/grex/nieuwe-regel", response_class=HTMLResponse)
def grex_new_row(request: Request, soort: str = "kosten") -> Response:
    """A new empty row for the kosten/opbrengsten/index table (appended by HTMX)."""
    if soort == "index":
        return templates.TemplateResponse(request, "_grex_regel.html", {"ix": IndexRow(uid=new_uid("x"), naam="", reeks="0%")})
    if soort not in ("kosten", "opbrengsten"):
        return HTMLResponse("", status_code=422)
    return templates.TemplateResponse(request, "_grex_regel.html", {"row": empty_row(soort)})


@router.post("/grex/bereken", response_class=HTMLResponse)
async def grex_recalculate(request: Request) -> Response:
    """The results panel for the posted (unsaved) form: the partial HTMX swaps in on every change."""
    if (r := login_required(request)) is not None:
        return r
    try:
        form = await _posted_form(request)
    except InputError as exc:
        return templates.TemplateResponse(request, "_grex_resultaten.html", {"foutmelding": [("Formulier", str(exc))]})
    form, _, result = evaluate(form)
    ctx: dict[str, Any] = {"form": form, "oob": True}
    if result is None:
        ctx["foutmelding"] = error_summary(form)
    else:
        ctx.update(results_context(result))
    return templates.TemplateResponse(request, "_grex_resultaten.html", ctx)


@router.post("/grex/uitleg", response_class=HTMLResponse)
async def grex_explain(request: Request, kengetal: str = "ncw", jaar: int | None = None) -> Response:
    """How one figure of one year was computed (the grex's explanation through the registry), for the posted form."""
    if (r := login_required(request)) is not None:
        return r
    form = await _posted_form(request)
    form, _, result = evaluate(form)
    if result is None:
        return templates.TemplateResponse(request, "_grex_uitleg_jaar.html", {"fout": "De invoer bevat fouten; zie de lijst bij de resultaten."})
    try:
        u = get_kind("grex").explain(result, f"{kengetal}:{jaar}" if jaar is not None else kengetal)
    except InputError as exc:
        return templates.TemplateResponse(request, "_grex_uitleg_jaar.html", {"fout": exc.message})
    return templates.TemplateResponse(request, "_grex_uitleg_jaar.html", {"u": u.to_dict(), "jaren_lijst": result.years})


@router.get("/grex/{doc_id}", response_class=HTMLResponse)
def grex_page(request: Request, doc_id: str, opgeslagen: int | None = None) -> Response:
    if (r := login_required(request)) is not None:
        return r
    n = parse_id(doc_id)
    if n is None:
        return not_found(request, "Grondexploitatie", doc_id)
    try:
        with db_of(request).transaction() as s:
            doc = repo.get_document(s, document_id=n, kind="grex")
            info, data = _doc_info(doc), doc.data
    except repo.NotFoundError:
        return not_found(request, "Grondexploitatie", doc_id)
    try:
        grex = grex_from_dict(visible_data(request, "grex", data), f"document {n}")
    except InputError as exc:
        return unreadable(request, n, exc)
    form = form_from_grex(grex)
    ctx = _edit_context(form, calculate_grex(grex), info)
    if opgeslagen:
        ctx["melding_ok"] = f"Opgeslagen als versie {info['versie']}."
    return page(request, "grex.html", ctx, active="/grex")


@router.post("/grex/{doc_id}/opslaan", response_class=HTMLResponse)
async def grex_save(request: Request, doc_id: str) -> Response:
    """Save the posted form as a new version (previous versions stay); invalid input saves nothing."""
    if (r := login_required(request)) is not None:
        return r
    n = parse_id(doc_id)
    if n is None:
        return not_found(request, "Grondexploitatie", doc_id)
    posted = await request.form(max_fields=FORM_MAX_FIELDS)
    form = form_from_post(posted.multi_items())
    try:
        with db_of(request).transaction() as s:
            info = _doc_info(repo.get_document(s, document_id=n, kind="grex"))
    except repo.NotFoundError:
        return not_found(request, "Grondexploitatie", doc_id)
    if not can_edit(request):
        return error_page(request, "Geen rechten", "Alleen een bewerker (rol editor) mag een nieuwe versie opslaan.", 403)
    form, grex, result = evaluate(form)
    if grex is None:
        return page(request, "grex.html", _edit_context(form, None, info), status_code=422, active="/grex")
    base = parse_id(str(posted.get("base_version", "")))
    try:
        with db_of(request).transaction() as s:
            docs.save_version(s, document_id=n, model=grex, author=_author(request), comment=str(posted.get("comment") or ""), base_version=base, kind="grex", source="formulier")
    except repo.ConflictError as exc:
        form.general_errors.append(exc.message + ". Uw wijzigingen staan hieronder; open de grondexploitatie opnieuw om de nieuwste versie te zien.")
        return page(request, "grex.html", _edit_context(form, result, info), status_code=409, active="/grex")
    return see_other(f"/grex/{n}?opgeslagen=1")


def unreadable(request: Request, n: int, exc: InputError) -> Response:
    """A stored version the current rules reject (e.g. a code list changed): say so, with the field, not a 500."""
    return error_page(request, "Niet te lezen", f"Document {n} voldoet niet (meer) aan de invoerregels: {exc}. Download de YAML via de versies en pas het bestand aan.", 422)


def _author(request: Request) -> str:
    from opengrex.web.pages.context import page_user

    u = page_user(request)
    return u.name if u is not None else ""


# ---------------------------------------------------------------------------------------------- versions
# The versions list and "upload a new version" are the common pages (opengrex.web.pages.documents).
@router.get("/grex/{doc_id}/versies/vergelijk", response_class=HTMLResponse)
def grex_compare(request: Request, doc_id: str, a: str = "", b: str = "") -> Response:
    """Two versions side by side; viewers compare the redacted versions (no confidential note shows)."""
    from opengrex.web.pages.documents import compare_page

    return compare_page(request, "grex", doc_id, a, b)


@router.get("/grex/{doc_id}/versie/{number}", response_class=HTMLResponse)
def grex_version_page(request: Request, doc_id: str, number: str) -> Response:
    """An older version in the edit table: saving it makes it the newest version (restore)."""
    if (r := login_required(request)) is not None:
        return r
    n, v = parse_id(doc_id), parse_id(number)
    if n is None or v is None:
        return not_found(request, "Versie", f"{doc_id}/{number}")
    try:
        with db_of(request).transaction() as s:
            info = _doc_info(repo.get_document(s, document_id=n, kind="grex"))
            data = repo.get_version(s, document_id=n, number=v).data
    except repo.NotFoundError as exc:
        return error_page(request, "Niet gevonden", exc.message, 404)
    try:
        grex = grex_from_dict(visible_data(request, "grex", data), f"document {n} versie {v}")
    except InputError as exc:
        return unreadable(request, n, exc)
    info["getoond"] = v
    ctx = _edit_context(form_from_grex(grex), calculate_grex(grex), info)
    ctx["melding_ok"] = f"U bekijkt versie {v} (de huidige is {info['versie']}). Opslaan maakt van deze inhoud een nieuwe versie."
    return page(request, "grex.html", ctx, active="/grex")


# ---------------------------------------------------------------------------------------------- downloads
def _load_for_download(request: Request, doc_id: str, versie: str | None) -> tuple[Grex, str] | Response:
    n = parse_id(doc_id)
    if n is None:
        return not_found(request, "Grondexploitatie", doc_id)
    try:
        with db_of(request).transaction() as s:
            doc = repo.get_document(s, document_id=n, kind="grex")
            number = parse_id(versie) if versie else doc.current_version
            if number is None:
                return not_found(request, "Versie", versie)
            data = repo.get_version(s, document_id=n, number=number).data
            name = doc.name
    except repo.NotFoundError as exc:
        return error_page(request, "Niet gevonden", exc.message, 404)
    stem = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in name).strip("-")[:60] or f"grex-{n}"
    try:
        return grex_from_dict(visible_data(request, "grex", data), f"document {n}"), f"{stem}-v{number}"
    except InputError as exc:
        return unreadable(request, n, exc)


@router.get("/grex/{doc_id}/download.yaml")
def grex_download_yaml(request: Request, doc_id: str, versie: str | None = None) -> Response:
    if (r := login_required(request)) is not None:
        return r
    got = _load_for_download(request, doc_id, versie)
    if isinstance(got, Response):
        return got
    grex, stem = got
    text = yaml.safe_dump(grex_to_dict(grex), allow_unicode=True, sort_keys=False)
    return Response(text, media_type="application/yaml; charset=utf-8", headers={"Content-Disposition": attachment(stem, "yaml")})


@router.get("/grex/{doc_id}/download.xlsx")
def grex_download_xlsx(request: Request, doc_id: str, versie: str | None = None) -> Response:
    """The grex as an Excel workbook with live formulas (:func:`opengrex.io.xlsx_export.export_grex_xlsx`)."""
    if (r := login_required(request)) is not None:
        return r
    got = _load_for_download(request, doc_id, versie)
    if isinstance(got, Response):
        return got
    grex, stem = got
    content = get_kind("grex").exporter("xlsx").write(grex)
    return Response(content, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", headers={"Content-Disposition": attachment(stem, "xlsx")})


__all__ = ["router", "evaluate", "OpengrexError"]
