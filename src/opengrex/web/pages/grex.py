"""Grondexploitatie pages: list, the edit page (the form engine's form of the grex, :mod:`opengrex.web.forms`, with
the year grid, quantity × price and subtotals per fase/deelgebied) with live recalculation of every result (HTMX),
save as a new version, versions and compare, downloads (Excel with live formulas, YAML).

Every calculation goes through :func:`opengrex.services.grex.calculate_grex`; every save through
:func:`opengrex.services.documents.save_version` inside one transaction (nothing is written from invalid input).
The form is read and checked by :func:`opengrex.web.pages.formulier.evaluate`, like every other kind's.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from opengrex.errors import InputError, OpengrexError
from opengrex.services import documents as docs
from opengrex.services.grex import Grex, GrexResult, calculate_grex, grex_from_dict, grex_to_dict
from opengrex.services.kinds import get_kind
from opengrex.services.lifecycle import LABELS, StatusError
from opengrex.store import repository as repo
from opengrex.web.forms import FieldErrors, FormView, Posted
from opengrex.web.forms.errors import label_of
from opengrex.web.pages.context import can_edit, db_of, login_required, parse_id, see_other, visible_data
from opengrex.web.pages.formulier import Evaluated, errors_json, evaluate, invalid_json, periods_json, posted_from_data, posted_items, view
from opengrex.web.pages.grex_view import results_context
from opengrex.web.pages.lifecycle import context as lifecycle_context
from opengrex.web.pages.render import error_page, not_found, page, templates
from opengrex.web.security import attachment

router = APIRouter(include_in_schema=False)


# ---------------------------------------------------------------------------------------------- helpers
def _kind():
    return get_kind("grex")


def _edit_context(request: Request, fv: FormView, result: GrexResult | None, doc: dict[str, Any] | None, errors: FieldErrors | None = None) -> dict[str, Any]:
    errors = errors or FieldErrors()
    ctx: dict[str, Any] = {
        "fv": fv,
        "doc": doc,
        "naam": fv.value("name") or fv.value("naam"),
        "veldfouten": errors_json(errors),
        "ongeldig": invalid_json(errors),
        "perioden": periods_json(fv),
        "algemene_fouten": errors.general,
        "concept": f"grex/{doc['id']}/{doc['versie']}" if doc else "grex/nieuw",
    }
    if result is not None:
        ctx.update(results_context(result))
    else:
        ctx["foutmelding"] = error_summary(fv, errors)
    return ctx


def error_summary(fv: FormView, errors: FieldErrors) -> list[tuple[str, str]]:
    """(field label, message) for the error list above the results."""
    out = [(label_of(fv.tree, fv.posted.values, k), v) for k, v in errors.fields.items()]
    out += [("Invoer", e) for e in errors.general]
    return out


def _evaluate(request: Request, items: list[tuple[str, str]] | Posted) -> Evaluated:
    from opengrex.web.pages.context import sees_confidential

    return evaluate(_kind(), items, sees=sees_confidential(request))


def _doc_info(doc: Any) -> dict[str, Any]:
    return {"id": doc.id, "versie": doc.current_version, "getoond": doc.current_version, "bijgewerkt": doc.updated_at, "naam": doc.name}


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
    return {"id": d.id, "kind": d.kind, "naam": d.name, "versie": d.current_version, "bijgewerkt": d.updated_at, "ncw": h.get("ncw", d.ncw), "eindwaarde": h.get("eindwaarde"), "saldo": h.get("saldo_nominaal"), "headline": h,
            "status": LABELS.get(d.bbv_status or "", "") + (" · gearchiveerd" if d.status == "gearchiveerd" else "")}


# ---------------------------------------------------------------------------------------------- edit + recalc
def starter(year: int | None = None) -> dict[str, Any]:
    """What a new grondexploitatie starts with: ten years from this year, prijspeil 1 January, three index series."""
    year = year or dt.date.today().year
    return grex_to_dict(grex_from_dict({"name": "Nieuwe grondexploitatie", "prijspeil": f"{year}-01-01", "start_year": year, "end_year": year + 9,
                                        "indices": {"geen": 0.0, "kostenstijging": 0.02, "opbrengstenstijging": 0.015}}))


@router.get("/grex/nieuw", response_class=HTMLResponse)
def grex_new(request: Request) -> Response:
    if (r := login_required(request)) is not None:
        return r
    data = starter()
    fv = view(request, _kind(), posted_from_data(request, _kind(), data))
    return page(request, "grex.html", _edit_context(request, fv, calculate_grex(grex_from_dict(data)), None), active="/grex")


@router.post("/grex/nieuw", response_class=HTMLResponse)
async def grex_create(request: Request) -> Response:
    if (r := login_required(request)) is not None:
        return r
    items = await posted_items(request)
    if not can_edit(request):
        return error_page(request, "Geen rechten", "Alleen een bewerker (rol editor) mag grondexploitaties opslaan.", 403)
    ev = evaluate(_kind(), items, sees=True)
    if ev.model is None:
        fv = view(request, _kind(), ev.posted, ev.errors, ev.form)
        return page(request, "grex.html", _edit_context(request, fv, None, None, ev.errors), status_code=422, active="/grex")
    comment = ev.posted.values.get("comment") or "aangemaakt in de webapp"
    with db_of(request).transaction() as s:
        doc = docs.create(s, kind="grex", model=ev.model, author=_author(request), comment=str(comment), source="formulier")
        new_id = doc.id
    return see_other(f"/grex/{new_id}?opgeslagen=1")


@router.post("/grex/bereken", response_class=HTMLResponse)
async def grex_recalculate(request: Request) -> Response:
    """The results panel for the posted (unsaved) form: the partial HTMX swaps in on every change."""
    if (r := login_required(request)) is not None:
        return r
    try:
        items = await posted_items(request)
    except Exception as exc:  # noqa: BLE001 - an unreadable post (too many fields): say so in the panel
        return templates.TemplateResponse(request, "_grex_resultaten.html", {"foutmelding": [("Formulier", f"het formulier kan niet worden gelezen ({type(exc).__name__})")],
                                                                            "veldfouten": "{}", "ongeldig": "[]", "perioden": "{}"})
    ev = _evaluate(request, items)
    fv = view(request, _kind(), ev.posted, ev.errors, ev.form)
    ctx: dict[str, Any] = {"oob": True, "veldfouten": errors_json(ev.errors), "ongeldig": invalid_json(ev.errors), "perioden": periods_json(fv)}
    if ev.result is None:
        ctx["foutmelding"] = error_summary(fv, ev.errors)
    else:
        ctx.update(results_context(ev.result))
    return templates.TemplateResponse(request, "_grex_resultaten.html", ctx)


@router.post("/grex/uitleg", response_class=HTMLResponse)
async def grex_explain(request: Request, kengetal: str = "ncw", jaar: int | None = None) -> Response:
    """How one figure of one year was computed (the grex's explanation through the registry), for the posted form."""
    if (r := login_required(request)) is not None:
        return r
    ev = _evaluate(request, await posted_items(request))
    if ev.result is None:
        return templates.TemplateResponse(request, "_grex_uitleg_jaar.html", {"fout": "De invoer bevat fouten; zie de lijst bij de resultaten."})
    try:
        u = _kind().explain(ev.result, f"{kengetal}:{jaar}" if jaar is not None else kengetal)
    except InputError as exc:
        return templates.TemplateResponse(request, "_grex_uitleg_jaar.html", {"fout": exc.message})
    return templates.TemplateResponse(request, "_grex_uitleg_jaar.html", {"u": u.to_dict(), "jaren_lijst": ev.result.years})


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
            lc = lifecycle_context(s, doc, request)
    except repo.NotFoundError as exc:
        return error_page(request, "Niet gevonden", exc.message[:1].upper() + exc.message[1:] + ".", 404) if "prullenbak" in exc.message else not_found(request, "Grondexploitatie", doc_id)
    shown = visible_data(request, "grex", data)
    try:
        grex = grex_from_dict(shown, f"document {n}")
    except InputError as exc:
        return unreadable(request, n, exc)
    fv = view(request, _kind(), posted_from_data(request, _kind(), shown))
    ctx = _edit_context(request, fv, calculate_grex(grex), info)
    ctx["lc"] = lc
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
    items = await posted_items(request)
    try:
        with db_of(request).transaction() as s:
            info = _doc_info(repo.get_document(s, document_id=n, kind="grex"))
    except repo.NotFoundError:
        return not_found(request, "Grondexploitatie", doc_id)
    if not can_edit(request):
        return error_page(request, "Geen rechten", "Alleen een bewerker (rol editor) mag een nieuwe versie opslaan.", 403)
    ev = evaluate(_kind(), items, sees=True)
    if ev.model is None:
        fv = view(request, _kind(), ev.posted, ev.errors, ev.form)
        return page(request, "grex.html", _edit_context(request, fv, None, info, ev.errors), status_code=422, active="/grex")
    base = parse_id(ev.posted.values.get("base_version", ""))
    try:
        with db_of(request).transaction() as s:
            docs.save_version(s, document_id=n, model=ev.model, author=_author(request), comment=ev.posted.values.get("comment") or "", base_version=base, kind="grex", source="formulier")
    except StatusError as exc:
        ev.errors.add(None, f"Niet opgeslagen: {exc.message}; toegestaan: {exc.allowed}.")
        fv = view(request, _kind(), ev.posted, ev.errors, ev.form)
        return page(request, "grex.html", _edit_context(request, fv, ev.result, info, ev.errors), status_code=409, active="/grex")
    except repo.ConflictError as exc:
        ev.errors.add(None, exc.message + ". Uw wijzigingen staan hieronder; open de grondexploitatie opnieuw om de nieuwste versie te zien.")
        fv = view(request, _kind(), ev.posted, ev.errors, ev.form)
        return page(request, "grex.html", _edit_context(request, fv, ev.result, info, ev.errors), status_code=409, active="/grex")
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
    shown = visible_data(request, "grex", data)
    try:
        grex = grex_from_dict(shown, f"document {n} versie {v}")
    except InputError as exc:
        return unreadable(request, n, exc)
    info["getoond"] = v
    fv = view(request, _kind(), posted_from_data(request, _kind(), shown))
    ctx = _edit_context(request, fv, calculate_grex(grex), info)
    ctx["melding_ok"] = f"U bekijkt versie {v} (de huidige is {info['versie']}). Opslaan maakt van deze inhoud een nieuwe versie."
    return page(request, "grex.html", ctx, active="/grex")


# ---------------------------------------------------------------------------------------------- downloads
def _load_for_download(request: Request, doc_id: str, versie: str | None) -> tuple[Grex, str, int, int] | Response:
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
        return grex_from_dict(visible_data(request, "grex", data), f"document {n}"), f"{stem}-v{number}", n, number
    except InputError as exc:
        return unreadable(request, n, exc)


@router.get("/grex/{doc_id}/download.yaml")
def grex_download_yaml(request: Request, doc_id: str, versie: str | None = None) -> Response:
    if (r := login_required(request)) is not None:
        return r
    got = _load_for_download(request, doc_id, versie)
    if isinstance(got, Response):
        return got
    grex, stem, _, _ = got
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
    grex, stem, n, number = got
    k = get_kind("grex")
    content = k.exporter("xlsx").render(grex, k.herkomst(grex, document=n, versie=number))  # uploadable as a new version of THIS document
    return Response(content, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", headers={"Content-Disposition": attachment(stem, "xlsx")})


__all__ = ["router", "starter", "OpengrexError"]
