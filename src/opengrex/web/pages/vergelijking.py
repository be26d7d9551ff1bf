"""Pages of the Excel round trip and the version comparison, for every registered kind:

- ``GET /<kind>/sjabloon.xlsx``: the empty Excel template of the kind (its input sheets, from the model);
- the upload of a new version shows what will change before anything is saved (:func:`preview_page`, called by
  :func:`opengrex.web.pages.documents.upload_version`); ``POST /<kind>/<id>/nieuwe-versie/bevestig`` saves it;
- ``/<kind>/<id>/versies/vergelijk?a=&b=`` compares two versions as a controller reads them (:func:`compare_page`):
  headline figures with their causes as a waterfall, fields, lines, and per line per year.

The work is in :mod:`opengrex.services.documents` and :mod:`opengrex.services.vergelijking`; these pages present it.
"""
from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from opengrex.errors import InputError, InputErrors, OpengrexError
from opengrex.io.charts import cause_figure
from opengrex.services import documents as docs
from opengrex.services.kinds import get_kind, kinds
from opengrex.store import repository as repo
from opengrex.web.pages.context import can_edit, db_of, login_required, parse_id, see_other, sees_confidential, settings_of
from opengrex.web.pages.render import charts_json, error_page, not_found, page
from opengrex.web.security import attachment

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_CONFIRM_FIELDS = 10


def _active(kind: str) -> str:
    k = get_kind(kind)
    return f"/{k.listed_under or k.name}"


def comparison_charts(cmp: dict[str, Any]) -> str | None:
    """The waterfall of every attributed headline figure (``oorzaak-<key>``) as chart JSON, or None."""
    o = cmp.get("oorzaken") or {}
    figs = {f"oorzaak-{key}": cause_figure(fig, f"{fig['label']}: verschil per oorzaak") for key, fig in (o.get("kengetallen") or {}).items()}
    return charts_json(figs) if figs else None


# ---------------------------------------------------------------------------------------------- compare
def compare_page(request: Request, kind: str, doc_id: str, a: str, b: str) -> Response:
    """Two versions side by side: headline figures and their causes (waterfall), changed fields, lines, and per line
    per year old/new/difference. Viewers compare the redacted versions (confidential values never show)."""
    if (r := login_required(request)) is not None:
        return r
    k = get_kind(kind)
    n, va, vb = parse_id(doc_id), parse_id(a), parse_id(b)
    if n is None:
        return not_found(request, k.label, doc_id)
    if va is None or vb is None:
        return error_page(request, "Ongeldige vergelijking", f"Kies twee versienummers om te vergelijken (a={a!r}, b={b!r}).", 422)
    try:
        with db_of(request).transaction() as s:
            doc = repo.get_document(s, document_id=n, kind=kind)
            info = {"id": doc.id, "versie": doc.current_version, "naam": doc.name}
            cmp = docs.compare_stored(s, document_id=n, kind=kind, a=va, b=vb, sees_confidential=sees_confidential(request))
    except repo.NotFoundError as exc:
        return error_page(request, "Niet gevonden", exc.message, 404)
    ctx = {"doc": info, "cmp": cmp, "basis": f"/{kind}/{n}", "kind": kind, "label_a": f"Versie {va}", "label_b": f"Versie {vb}", "charts": comparison_charts(cmp)}
    return page(request, "vergelijking.html", ctx, active=_active(kind))


# ---------------------------------------------------------------------------------------------- upload preview
def editor_target(request: Request, kind: str, doc_id: str) -> tuple[Any, int] | Response:
    """The kind and document number of a new version, for an editor; the login, 404 or 403 page otherwise."""
    if (r := login_required(request)) is not None:
        return r
    k = get_kind(kind)
    n = parse_id(doc_id)
    if n is None:
        return not_found(request, k.label, doc_id)
    if not can_edit(request):
        return error_page(request, "Geen rechten", "Alleen een bewerker (rol editor) mag een nieuwe versie opslaan.", 403)
    return k, n


def preview_page(request: Request, kind: str, n: int, upload: docs.Upload, comment: str = "", base_version: int | None = None) -> Response:
    """What saving ``upload`` as the next version would change, with 'Opslaan' (posts the validated data and the
    version it was compared with) and 'Annuleren'. Nothing is saved yet. ``base_version``: the version the user
    had on screen when uploading; changed since, the conflict is shown instead."""
    from opengrex.web.pages.documents import versions_page

    try:
        with db_of(request).transaction() as s:
            preview = docs.preview_version(s, document_id=n, kind=kind, upload=upload)
    except repo.NotFoundError:
        return not_found(request, get_kind(kind).label, n)
    except repo.ConflictError as exc:  # a closed grex or an archived document (lifecycle.StatusError)
        return versions_page(request, kind, str(n), [str(exc)], 409)
    except InputError as exc:
        msgs = [str(e) for e in exc.errors] if isinstance(exc, InputErrors) else [str(exc)]
        return versions_page(request, kind, str(n), msgs, 422)
    if base_version is not None and base_version != preview["versie"]:
        conflict = repo.ConflictError(n, base_version, preview["versie"])
        return versions_page(request, kind, str(n), [conflict.message + ". Open de versies opnieuw en upload het bestand nogmaals."], 409)
    cmp = preview["vergelijking"]
    ctx = {"doc": {"id": n, "versie": preview["versie"], "naam": preview["naam"]}, "basis": f"/{kind}/{n}", "kind": kind, "voorbeeld": preview, "cmp": cmp,
           "gegevens": json.dumps(preview["gegevens"], ensure_ascii=False, separators=(",", ":")), "comment": comment or f"upload {upload.name}",
           "label_a": f"Huidige versie ({preview['versie']})", "label_b": f"Upload ({upload.name})", "charts": comparison_charts(cmp)}
    return page(request, "nieuwe_versie.html", ctx, active=_active(kind))


async def confirm_version(request: Request, kind: str, doc_id: str) -> Response:
    """Save the previewed upload as the next version: the data is validated again, and the version it was compared
    with must still be the current one (else the conflict is shown and nothing is saved)."""
    from opengrex.web.pages.documents import author, versions_page

    target = editor_target(request, kind, doc_id)
    if isinstance(target, Response):
        return target
    k, n = target
    # the validated data as one field (multipart, up to the upload limit; starlette's default part limit is 1 MB)
    form = await request.form(max_files=0, max_fields=MAX_CONFIRM_FIELDS, max_part_size=int(settings_of(request).max_upload))
    try:
        data = json.loads(str(form.get("gegevens") or ""))
    except ValueError:
        return versions_page(request, kind, doc_id, ["de gegevens van de upload zijn niet meer leesbaar; upload het bestand opnieuw"], 422)
    base = parse_id(str(form.get("base_version", "")))
    try:
        with db_of(request).transaction() as s:
            v = docs.save_version(s, document_id=n, data=data, author=author(request), comment=str(form.get("comment") or "upload"), base_version=base,
                                  kind=kind, source="upload")
            number = v.number
    except repo.NotFoundError:
        return not_found(request, k.label, doc_id)
    except repo.ConflictError as exc:
        return versions_page(request, kind, doc_id, [exc.message + ". Upload het bestand opnieuw om de wijzigingen ten opzichte van de nieuwste versie te zien."], 409)
    except OpengrexError as exc:
        msgs = [str(e) for e in exc.errors] if isinstance(exc, InputErrors) else [str(exc)]
        return versions_page(request, kind, doc_id, msgs, 422)
    return see_other(f"/{kind}/{n}/versies?nieuw={number}")


# ---------------------------------------------------------------------------------------------- routes
def template_download(request: Request, kind: str) -> Response:
    """The empty Excel template of ``kind`` (:meth:`opengrex.services.kinds.DocumentKind.template`)."""
    if (r := login_required(request)) is not None:
        return r
    return Response(get_kind(kind).template(), media_type=XLSX, headers={"Content-Disposition": attachment(f"{kind}-sjabloon", "xlsx")})


def pages_router() -> APIRouter:
    """The template downloads and the confirmation of an upload, for every kind registered now (included before the
    kinds' own routes, so ``/grex/sjabloon.xlsx`` is not read as document 'sjabloon.xlsx')."""
    router = APIRouter(include_in_schema=False)
    for k in kinds():
        _routes(router, k.name)
    return router


def _routes(router: APIRouter, kind: str) -> None:
    @router.get(f"/{kind}/sjabloon.xlsx", name=f"{kind}_sjabloon")
    def template(request: Request) -> Response:
        return template_download(request, kind)

    @router.post(f"/{kind}/{{doc_id}}/nieuwe-versie/bevestig", response_class=HTMLResponse, name=f"{kind}_nieuwe_versie_bevestig")
    async def confirm(request: Request, doc_id: str) -> Response:
        return await confirm_version(request, kind, doc_id)


__all__ = ["compare_page", "comparison_charts", "confirm_version", "pages_router", "preview_page", "template_download"]
