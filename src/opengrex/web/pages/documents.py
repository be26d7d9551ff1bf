"""The pages every document kind shares: list (with the kinds listed under it), detail, versions, compare, an older
version, downloads (YAML, JSON and the kind's own, e.g. Excel) and "upload a new version".

A kind with a page module of its own (:mod:`opengrex.web.pages.kostenverhaal`, ``bijdrage``, ``programma``) gives
its template and context (:data:`PAGES`); a kind may also only add context to the generic page
(:data:`CONTEXTS`: ``eindafrekening``); any other registered kind — a new one — is shown by the generic page from its
summary, its key figures and their explanations. Every page calculates through the kind's service (via the registry,
:mod:`opengrex.services.kinds`) and only presents the result; viewers see documents without confidential fields.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from opengrex.errors import InputError, InputErrors, OpengrexError
from opengrex.io.xlsx_reader import upload_name
from opengrex.services import documents as docs
from opengrex.services.kinds import DocumentKind, get_kind, kinds, related
from opengrex.services.lifecycle import info as lifecycle_info
from opengrex.store import repository as repo
from opengrex.web.pages.context import db_of, login_required, page_user, parse_id, sees_confidential, settings_of
from opengrex.web.pages.lifecycle import context as lifecycle_context
from opengrex.web.pages.render import error_page, not_found, page, summary_sections
from opengrex.web.security import attachment


@dataclass(frozen=True)
class KindPage:
    """The detail page of a kind with its own page module: its template and ``context(result, kind)``."""

    template: str
    context: Callable[[Any, DocumentKind[Any, Any]], dict[str, Any]]


PAGES: dict[str, KindPage] = {}
"""Kinds with a detail page of their own (filled by their page modules)."""
CONTEXTS: dict[str, Callable[[Any, DocumentKind[Any, Any]], dict[str, Any]]] = {}
"""Kinds shown by the generic page with context of their own (filled by their page modules)."""
LIST_LINKS: dict[str, list[tuple[str, str]]] = {
    "portefeuille": [("/bbv", "Waardering of jaarovergang van een bestand (zonder opslaan)")],
    "plankosten": [("/plankosten#plankosten-form", "Nieuwe plankostenscan berekenen")],
    "plancapaciteit": [("/monitor", "Voortgang van een CSV- of Excel-bestand (zonder opslaan)")],
}
"""Extra buttons on a kind's list page (pages of the kind that are not about one stored document)."""
OWN_ROUTES = ("grex",)
"""Kinds whose list, detail, compare, older version and downloads are pages of their own (the grex edit table)."""


def generic_kinds() -> list[str]:
    """Registered kinds shown with the generic detail template."""
    return [k.name for k in kinds() if k.name not in PAGES and k.name not in OWN_ROUTES]


# ---------------------------------------------------------------------------------------------- loading
def load(request: Request, kind: str, doc_id: str, version: str | None = None) -> tuple[dict[str, Any], Any] | Response:
    """Document info and its validated model as this user may see it (current version, or ``version``); a Dutch
    404/422 page otherwise."""
    k = get_kind(kind)
    n = parse_id(doc_id)
    if n is None:
        return not_found(request, k.label, doc_id)
    number = None
    if version is not None:
        number = parse_id(version)
        if number is None:
            return not_found(request, "Versie", version)
    try:
        with db_of(request).transaction() as s:
            doc = repo.get_document(s, document_id=n, kind=kind)
            shown = doc.current_version if number is None else number
            data = repo.get_version(s, document_id=n, number=shown).data
            info = {"id": doc.id, "versie": doc.current_version, "getoond": shown, "bijgewerkt": doc.updated_at, "naam": doc.name, "kind": kind,
                    "lc": lifecycle_context(s, doc, request)}
    except repo.NotFoundError as exc:
        return error_page(request, "Niet gevonden", exc.message[:1].upper() + exc.message[1:] + ".", 404)
    try:
        model = k.validate(docs.visible(kind, data, sees_confidential(request)), f"document {n}")
    except OpengrexError as exc:
        return error_page(request, "Niet te lezen", f"Document {n} voldoet niet (meer) aan de invoerregels: {exc}", 422)
    info["naam"] = k.document_name(model)  # the name as of the version shown
    return info, model


def explanations(k: DocumentKind[Any, Any], result: Any) -> list[dict[str, Any]]:
    """The explanation (``Explanation.to_dict``) of every figure of ``k`` that needs no further input, in order."""
    out = []
    for kengetal in k.kengetallen:
        if ":" in kengetal:
            continue
        try:
            out.append(k.explain(result, kengetal).to_dict())
        except InputError:  # not applicable to this document (e.g. planschade has no 'verschuldigd')
            continue
    return out


def generic_context(result: Any, k: DocumentKind[Any, Any]) -> dict[str, Any]:
    """A kind without its own page: its key figures (with label and unit), its summary as values and tables, and
    the explanation of every figure."""
    headline = k.headline(result)
    ctx = summary_sections(k.summary(result))
    ctx["kerncijfers"] = [{"key": h.key, "label": h.label, "eenheid": h.eenheid, "waarde": headline[h.key]} for h in k.headlines if h.key in headline]
    ctx["uitleg"] = explanations(k, result)
    return ctx


# ---------------------------------------------------------------------------------------------- pages
def list_page(request: Request, kind: str) -> Response:
    """The documents of ``kind`` and of the kinds listed under it."""
    if (r := login_required(request)) is not None:
        return r
    groups = []
    with db_of(request).transaction() as s:
        for k in related(kind):
            rows = [{"id": d.id, "naam": d.name, "versie": d.current_version, "bijgewerkt": d.updated_at, "headline": d.headline or {},
                     "status": lifecycle_info(d)} for d in repo.list_documents(s, kind=k.name)]
            groups.append({"kind": k.name, "titel": k.menu_label, "docs": rows, "labels": k.headline_labels(), "eenheden": k.headline_units()})
    main = get_kind(kind)
    active = f"/{main.listed_under}" if main.listed_under else f"/{kind}"
    return page(request, "documenten.html", {"groepen": groups, "titel": main.menu_label, "links": LIST_LINKS.get(kind, [])}, active=active)


def _active(k: DocumentKind[Any, Any]) -> str:
    return f"/{k.listed_under or k.name}"


def detail_page(request: Request, kind: str, doc_id: str, version: str | None = None, extra: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    """The page of a stored document (``extra``: more context, e.g. the errors of an action on it)."""
    if (r := login_required(request)) is not None:
        return r
    k = get_kind(kind)
    got = load(request, kind, doc_id, version)
    if isinstance(got, Response):
        return got
    info, model = got
    try:
        result = k.calculate(model)
        own = PAGES.get(kind)
        if own is not None:
            ctx, template = own.context(result, k), own.template
        else:
            ctx, template = generic_context(result, k), "document.html"
            if kind in CONTEXTS:
                ctx.update(CONTEXTS[kind](result, k))
    except OpengrexError as exc:
        return error_page(request, "Niet te berekenen", str(exc), 422)
    downloads = [e for e in k.all_exporters if e.key not in ("yaml", "json")]
    ctx.update(doc=info, basis=f"/{kind}/{info['id']}", kind=kind, downloads=downloads, xlsx_label=next((e.label for e in downloads if e.key == "xlsx"), None), lc=info["lc"])
    if version is not None:
        ctx["melding_ok"] = f"U bekijkt versie {info['getoond']} (de huidige is {info['versie']})."
    ctx.update(extra or {})
    return page(request, template, ctx, status_code=status_code, active=_active(k))


def versions_page(request: Request, kind: str, doc_id: str, fouten: list[str] | None = None, status_code: int = 200) -> Response:
    """The versions of a document with compare and 'upload a new version' (errors of that upload in ``fouten``)."""
    if (r := login_required(request)) is not None:
        return r
    k = get_kind(kind)
    n = parse_id(doc_id)
    if n is None:
        return not_found(request, k.label, doc_id)
    try:
        with db_of(request).transaction() as s:
            doc = repo.get_document(s, document_id=n, kind=kind)
            info = {"id": doc.id, "versie": doc.current_version, "naam": doc.name}
            lc = lifecycle_context(s, doc, request)
            versions = [{"nummer": v.number, "datum": v.created_at, "auteur": v.author, "toelichting": v.comment, "ncw": (v.headline or {}).get("ncw"), "eindwaarde": (v.headline or {}).get("eindwaarde")} for v in repo.list_versions(s, document_id=n)]
    except repo.NotFoundError:
        return not_found(request, k.label, doc_id)
    ctx = {"doc": info, "versies": versions, "basis": f"/{kind}/{n}", "xlsx": k.has_exporter("xlsx"), "kind": kind, "fouten": fouten or [], "lc": lc}
    return page(request, "versies.html", ctx, status_code=status_code, active=_active(k))


def compare_page(request: Request, kind: str, doc_id: str, a: str, b: str) -> Response:
    """Two versions side by side as a controller reads them (:func:`opengrex.web.pages.vergelijking.compare_page`)."""
    from opengrex.web.pages.vergelijking import compare_page as controller_page

    return controller_page(request, kind, doc_id, a, b)


def download(request: Request, kind: str, doc_id: str, versie: str | None, key: str, filename: Callable[[dict[str, Any], str], str] | None = None) -> Response:
    """A stored document (current version or ``versie``, as this user may see it) through the kind's exporter ``key``."""
    if (r := login_required(request)) is not None:
        return r
    k = get_kind(kind)
    got = load(request, kind, doc_id, versie)
    if isinstance(got, Response):
        return got
    info, model = got
    exporter = k.exporter(key)
    name = filename(info, exporter.suffix) if filename else f"{kind}-{info['id']}-v{info['getoond']}{exporter.suffix}"
    herkomst = k.herkomst(model, document=info["id"], versie=info["getoond"])  # a workbook can be uploaded back as a new version
    return Response(exporter.render(model, herkomst), media_type=exporter.media_type, headers={"Content-Disposition": attachment(name)})


async def upload_version(request: Request, kind: str, doc_id: str) -> Response:
    """A changed file (YAML/JSON, or the kind's Excel workbook) read and validated; what it would change is shown
    first (:func:`opengrex.web.pages.vergelijking.preview_page`), saving as the next version follows on confirmation
    (the previous versions stay). Invalid input writes nothing."""
    from starlette.datastructures import UploadFile

    from opengrex.web.pages.vergelijking import editor_target, preview_page

    target = editor_target(request, kind, doc_id)
    if isinstance(target, Response):
        return target
    k, n = target

    form = await request.form(max_files=1, max_fields=20)
    upload = form.get("bestand")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return versions_page(request, kind, doc_id, ["veld 'bestand': kies een bestand"], 422)
    name = upload_name(upload.filename)
    suffix = Path(name).suffix.lower()
    limit = int(settings_of(request).max_upload)
    content = await upload.read(limit + 1)
    if suffix not in docs.UPLOAD_SUFFIXES:
        return versions_page(request, kind, doc_id, [f"veld 'bestand': bestandstype '{suffix or '(geen)'}' wordt niet ondersteund voor {k.label.lower()}"], 422)
    if len(content) > limit or not content:
        return versions_page(request, kind, doc_id, ["veld 'bestand': het bestand is leeg" if not content else f"veld 'bestand': het bestand is te groot; toegestaan: hoogstens {limit} bytes"], 422)
    try:
        parsed = docs.read_upload(kind, name, content)
    except OpengrexError as exc:
        msgs = [str(e) for e in exc.errors] if isinstance(exc, InputErrors) else [str(exc)]
        return versions_page(request, kind, doc_id, msgs, 422)
    return preview_page(request, kind, n, parsed, str(form.get("comment") or ""), parse_id(str(form.get("base_version", ""))))


def author(request: Request) -> str:
    u = page_user(request)
    return u.name if u is not None else ""


# ---------------------------------------------------------------------------------------------- routes
def register_kind(router: APIRouter, kind: str) -> None:
    """The common page routes of one kind: list and detail (unless the kind has its own routes), versions, compare,
    an older version, downloads and a new version by upload."""
    k = get_kind(kind)
    own = kind in OWN_ROUTES

    if not own:
        @router.get(f"/{kind}", response_class=HTMLResponse, name=f"{kind}_lijst")
        def listing(request: Request) -> Response:
            return list_page(request, kind)

        @router.get(f"/{kind}/{{doc_id}}", response_class=HTMLResponse, name=f"{kind}_pagina")
        def detail(request: Request, doc_id: str) -> Response:
            return detail_page(request, kind, doc_id)

        @router.get(f"/{kind}/{{doc_id}}/versies/vergelijk", response_class=HTMLResponse, name=f"{kind}_vergelijk")
        def compare(request: Request, doc_id: str, a: str = "", b: str = "") -> Response:
            return compare_page(request, kind, doc_id, a, b)

        @router.get(f"/{kind}/{{doc_id}}/versie/{{number}}", response_class=HTMLResponse, name=f"{kind}_versie")
        def version(request: Request, doc_id: str, number: str) -> Response:
            return detail_page(request, kind, doc_id, number)

        for exporter in k.all_exporters:
            _download_route(router, kind, exporter.key)

    @router.get(f"/{kind}/{{doc_id}}/versies", response_class=HTMLResponse, name=f"{kind}_versies")
    def versions(request: Request, doc_id: str) -> Response:
        return versions_page(request, kind, doc_id)

    @router.post(f"/{kind}/{{doc_id}}/nieuwe-versie", response_class=HTMLResponse, name=f"{kind}_nieuwe_versie")
    async def new_version(request: Request, doc_id: str) -> Response:
        return await upload_version(request, kind, doc_id)


def _download_route(router: APIRouter, kind: str, key: str) -> None:
    @router.get(f"/{kind}/{{doc_id}}/download.{key}", name=f"{kind}_download_{key}")
    def download_route(request: Request, doc_id: str, versie: str | None = None) -> Response:
        return download(request, kind, doc_id, versie, key)


def register_unknown_kind_upload(router: APIRouter) -> None:
    """``POST /<unknown>/<id>/nieuwe-versie``: the Dutch 404 page (not the catch-all's 405)."""

    @router.post("/{kind}/{doc_id}/nieuwe-versie", response_class=HTMLResponse)
    def unknown(request: Request, kind: str, doc_id: str) -> Response:
        if (r := login_required(request)) is not None:
            return r
        return not_found(request, "De pagina", request.url.path)


__all__ = ["CONTEXTS", "KindPage", "LIST_LINKS", "OWN_ROUTES", "PAGES", "detail_page", "download", "generic_kinds", "list_page", "load", "register_kind", "versions_page"]
