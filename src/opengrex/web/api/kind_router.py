"""One router factory for every registered document kind (:mod:`opengrex.services.kinds`): list, get, create (JSON
or file upload), update (a new version), delete, calculate, explain (``/uitleg``), exports (YAML, JSON and the kind's
own downloads), versions and compare. Each kind's module may add extras (the programme's risk analysis). The routes
only parse and present; the work is in :mod:`opengrex.services.documents` and the kind's service."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, File, Form, Query, Response, UploadFile, status

from opengrex.errors import InputError, InputErrors
from opengrex.services import documents as docs
from opengrex.services import lifecycle
from opengrex.services.kinds import DocumentKind, Exporter, get_kind, jsonable
from opengrex.services.references import link_status
from opengrex.services.reports import document_pdf
from opengrex.store import repository as repo
from opengrex.store.models import Document, Version
from opengrex.web.api.schemas import (
    SUMMARIES,
    Comparison,
    ControllerComparison,
    DocumentCreate,
    DocumentDetail,
    DocumentPublic,
    DocumentUpdate,
    ExplanationOut,
    Summary,
    UploadPreview,
    VersionDetail,
    VersionPublic,
)
from opengrex.web.deps import CurrentUser, DbDep, EditorDep, UserDep
from opengrex.web.security import attachment

XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KengetalQuery = Annotated[str, Query(min_length=1, max_length=200, description="Het kengetal, bijv. ncw of boekwaarde:2027 (zie /api/kinds)")]
VersionQuery = Annotated[int | None, Query(ge=1, description="versie (standaard: de huidige)")]


def document_public(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id, "kind": doc.kind, "name": doc.name, "current_version": doc.current_version,
        "created_at": doc.created_at, "updated_at": doc.updated_at, "created_by": doc.created_by, "headline": doc.headline or {},
        "status": doc.status or "actief", "bbv_status": doc.bbv_status,
    }


def document_state(doc: Document) -> dict[str, Any]:
    """The document's list data with its lifecycle state (status, editable or why not, closing booking, bin)."""
    return document_public(doc) | {"levenscyclus": lifecycle.info(doc)}


def visible_data(kind: str, data: dict[str, Any], user: CurrentUser) -> dict[str, Any]:
    """The data a user may see: confidential fields (at any depth) emptied for viewers."""
    return docs.visible(kind, data, user.sees_confidential)


def document_detail(doc: Document, user: CurrentUser, session: Any = None) -> dict[str, Any]:
    """The current version as this user may see it, its lifecycle state and (with ``session``) its references to stored
    documents: which version it uses, the current one, whether it follows (the kostenverhaal-follows-grex field)."""
    out = document_state(doc) | {"data": visible_data(doc.kind, doc.data, user)}
    if session is not None:
        out["koppelingen"] = link_status(session, doc)
    return out


def version_public(v: Version) -> dict[str, Any]:
    return {"document_id": v.document_id, "number": v.number, "created_at": v.created_at, "author": v.author, "comment": v.comment, "headline": v.headline or {}}


def read_upload(kind: str, file: UploadFile, session: Any = None) -> docs.Upload:
    """Validate an uploaded YAML/JSON/xlsx file into the kind's model (:func:`opengrex.services.documents.read_upload`;
    with ``session`` references to stored documents are resolved); an error about the file as a whole names the field
    ``bestand``."""
    name = (file.filename or "").replace("\\", "/").rsplit("/", 1)[-1] or "upload"
    try:
        return docs.read_upload(kind, name, file.file.read(), session)
    except InputError as exc:
        if not exc.field and not isinstance(exc, InputErrors):
            exc.field = "bestand"
            exc.args = (exc._text(),)
        raise


def model_from_upload(kind: str, file: UploadFile, session: Any = None) -> tuple[Any, str]:
    """The validated model of an uploaded file and its name (:func:`read_upload`)."""
    u = read_upload(kind, file, session)
    return u.model, u.name


def stored_model(db, kind: str, document_id: int, version: int | None, user: CurrentUser) -> tuple[Any, str]:
    """The validated model of a stored document (as the user may see it) and its name."""
    with db.transaction() as s:
        model, doc, _ = docs.stored_model(s, kind=kind, document_id=document_id, version=version, sees_confidential=user.sees_confidential)
        return model, doc.name




def kind_router(kind: str) -> APIRouter:
    """The CRUD + calculate + explain + export + versions routes of one registered kind under ``/api/<kind>``."""
    k: DocumentKind[Any, Any] = get_kind(kind)
    router = APIRouter(prefix=f"/{kind}", tags=[k.label])
    summary_model = SUMMARIES.get(kind, Summary)
    noun = k.label.lower()

    def summary_of(model: Any) -> dict[str, Any]:
        return k.summary(k.calculate(model))

    def explain(model: Any, kengetal: str) -> dict[str, Any]:
        return jsonable(k.explain(k.calculate(model), kengetal).to_dict())

    @router.get("", response_model=list[DocumentPublic], summary=f"Lijst: {k.menu_label.lower()}")
    def list_(db: DbDep, user: UserDep, q: Annotated[str | None, Query(max_length=200, description="deel van de naam")] = None,
              status_: Annotated[str | None, Query(alias="status", max_length=20, description="actief, gearchiveerd of een BBV-status")] = None):
        with db.transaction() as s:
            return [document_public(d) for d in docs.list_documents(s, kind=kind, q=q, status=status_)]

    @router.post("", response_model=DocumentDetail, status_code=status.HTTP_201_CREATED, summary=f"Nieuw document: {noun} (JSON)")
    def create(body: DocumentCreate, db: DbDep, user: EditorDep):
        with db.transaction() as s:
            doc = docs.create(s, kind=kind, data=body.data, author=user.name, comment=body.comment, source="data", bbv_status=body.bbv_status)
            return document_detail(doc, user, s)

    @router.get("/sjabloon.xlsx", summary=f"Leeg Excel-sjabloon: {noun}", response_class=Response,
                responses={200: {"content": {XLSX_MEDIA: {}}}}, name=f"{kind}_sjabloon")
    def template(user: UserDep) -> Response:
        return Response(k.template(), media_type=XLSX_MEDIA, headers={"Content-Disposition": attachment(f"{kind}-sjabloon", "xlsx")})

    @router.post("/upload", response_model=DocumentDetail, status_code=status.HTTP_201_CREATED, summary=f"Nieuw document: {noun} uit een bestand (YAML, JSON of xlsx)")
    def upload(db: DbDep, user: EditorDep, file: Annotated[UploadFile, File(description="YAML, JSON of het Excel-sjabloon")], comment: Annotated[str, Form()] = "",
               bbv_status: Annotated[str | None, Form(max_length=20)] = None):
        with db.transaction() as s:
            model, name = model_from_upload(kind, file, s)
            doc = docs.create(s, kind=kind, model=model, author=user.name, comment=comment or f"geüpload: {name}", source=name, bbv_status=bbv_status or None)
            return document_detail(doc, user, s)

    @router.post("/calculate", response_model=summary_model, response_model_exclude_unset=True, summary=f"Bereken: {noun}, zonder op te slaan")
    def calculate_adhoc(data: Annotated[dict[str, Any], Body(description="het document (zelfde sleutels als het YAML/JSON-bestand)")], user: UserDep):
        return summary_of(k.validate(data, "data"))

    @router.post("/uitleg", response_model=ExplanationOut, summary="Herleiding van een kengetal van een document, zonder op te slaan")
    def explain_adhoc(data: Annotated[dict[str, Any], Body(description="het document")], kengetal: KengetalQuery, user: UserDep):
        return explain(k.validate(data, "data"), kengetal)

    @router.get("/{document_id}", response_model=DocumentDetail, summary="Eén document (huidige versie)")
    def get(document_id: int, db: DbDep, user: UserDep):
        with db.transaction() as s:
            return document_detail(repo.get_document(s, document_id=document_id, kind=kind), user, s)

    @router.put("/{document_id}", response_model=VersionPublic, summary="Sla een nieuwe versie op")
    def update(document_id: int, body: DocumentUpdate, db: DbDep, user: EditorDep):
        with db.transaction() as s:
            v = docs.save_version(s, document_id=document_id, kind=kind, data=body.data, author=user.name, comment=body.comment, base_version=body.base_version, source="data")
            return version_public(v)

    @router.post("/{document_id}/upload", response_model=VersionPublic | UploadPreview,
                 summary="Nieuwe versie uit een bestand (YAML, JSON of xlsx); met ?voorbeeld=1 alleen wat er zou veranderen, zonder op te slaan",
                 description="Een werkboek van opengrex (download of sjabloon) is de invoer van het document; een werkboek van een ander document "
                             "wordt geweigerd. Zonder base_version geldt de versie waarvan het werkboek gemaakt is: is het document sindsdien "
                             "gewijzigd, dan 409 (bekijk eerst de wijzigingen met ?voorbeeld=1 en geef base_version om toch op te slaan).")
    def upload_version(document_id: int, db: DbDep, user: EditorDep, file: Annotated[UploadFile, File()], comment: Annotated[str, Form()] = "",
                       base_version: Annotated[int | None, Form()] = None,
                       voorbeeld: Annotated[bool, Query(description="1: toon de wijzigingen ten opzichte van de huidige versie; er wordt niets opgeslagen")] = False):
        with db.transaction() as s:
            upload = read_upload(kind, file, s)
            if voorbeeld:
                preview = docs.preview_version(s, document_id=document_id, kind=kind, upload=upload)
                preview.pop("gegevens")
                return preview
            repo.get_document(s, document_id=document_id, kind=kind)
            docs.check_upload_target(upload, kind=kind, document_id=document_id)
            v = docs.save_version(s, document_id=document_id, kind=kind, model=upload.model, author=user.name, comment=comment or f"geüpload: {upload.name}",
                                  base_version=docs.upload_base_version(upload, document_id, base_version), source=upload.name)
            return version_public(v)

    @router.delete("/{document_id}", status_code=status.HTTP_204_NO_CONTENT,
                   summary=f"Verwijder het document: naar de prullenbak ({lifecycle.BIN_DAYS} dagen herstelbaar, POST …/herstellen)")
    def delete(document_id: int, db: DbDep, user: EditorDep, toelichting: Annotated[str, Query(max_length=2000)] = "") -> Response:
        with db.transaction() as s:
            lifecycle.delete(s, document_id=document_id, kind=kind, actor=user.name, comment=toelichting)
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    @router.post("/{document_id}/calculate", response_model=summary_model, response_model_exclude_unset=True, summary="Bereken (resultaten van de rekenkern)")
    def calculate(document_id: int, db: DbDep, user: UserDep, version: VersionQuery = None):
        model, _ = stored_model(db, kind, document_id, version, user)
        return summary_of(model)

    @router.get("/{document_id}/uitleg", response_model=ExplanationOut, summary="Herleiding van een kengetal (regel, bron, invoer, parameters)")
    def explain_get(document_id: int, kengetal: KengetalQuery, db: DbDep, user: UserDep, version: VersionQuery = None):
        model, _ = stored_model(db, kind, document_id, version, user)
        return explain(model, kengetal)

    @router.post("/{document_id}/uitleg", response_model=ExplanationOut, summary="Herleiding van een kengetal (zoals GET)")
    def explain_post(document_id: int, kengetal: KengetalQuery, db: DbDep, user: UserDep, version: VersionQuery = None):
        model, _ = stored_model(db, kind, document_id, version, user)
        return explain(model, kengetal)

    for exporter in k.all_exporters:
        _export_route(router, kind, exporter)

    @router.get("/{document_id}/versions", response_model=list[VersionPublic], summary="Alle versies")
    def versions(document_id: int, db: DbDep, user: UserDep):
        with db.transaction() as s:
            repo.get_document(s, document_id=document_id, kind=kind)
            return [version_public(v) for v in repo.list_versions(s, document_id=document_id)]

    @router.get("/{document_id}/versions/{number}", response_model=VersionDetail, summary="Eén versie met haar gegevens")
    def version(document_id: int, number: int, db: DbDep, user: UserDep):
        with db.transaction() as s:
            repo.get_document(s, document_id=document_id, kind=kind)
            v = repo.get_version(s, document_id=document_id, number=number)
            return version_public(v) | {"data": visible_data(kind, v.data, user)}

    @router.get("/{document_id}/vergelijking", response_model=ControllerComparison,
                summary="Vergelijk twee versies zoals een controller: kerncijfers met hun oorzaken, velden, regels en per regel per jaar")
    def controller_compare(document_id: int, db: DbDep, user: UserDep, a: Annotated[int, Query(ge=1)], b: Annotated[int, Query(ge=1)]):
        with db.transaction() as s:
            return docs.compare_stored(s, document_id=document_id, kind=kind, a=a, b=b, sees_confidential=user.sees_confidential)

    @router.get("/{document_id}/compare", response_model=Comparison, summary="Vergelijk twee versies (velden, regels, kerncijfers)")
    def compare(document_id: int, db: DbDep, user: UserDep, a: Annotated[int, Query(ge=1)], b: Annotated[int, Query(ge=1)]):
        with db.transaction() as s:
            return docs.compare_versions(s, document_id=document_id, kind=kind, a=a, b=b, sees_confidential=user.sees_confidential)

    @router.get("/{document_id}/rapport.pdf", summary="Rapport als PDF (kerncijfers, tabellen per jaar, grafieken, methode en bronnen)",
                response_class=Response, responses={200: {"content": {"application/pdf": {}}}}, name=f"{kind}_rapport")
    def report(document_id: int, db: DbDep, user: UserDep, version: VersionQuery = None,
               openbaar: Annotated[bool, Query(description="openbare versie: zonder vertrouwelijke velden (kijkers krijgen altijd deze)")] = False) -> Response:

        with db.transaction() as s:
            model, doc, number = docs.stored_model(s, kind=kind, document_id=document_id, version=version, sees_confidential=user.sees_confidential)
            name = doc.name
        public = openbaar or not user.sees_confidential
        pdf = document_pdf(k, model, openbaar=public, versie=number, document_id=document_id)
        return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": attachment(f"{name}-v{number}-{'openbaar' if public else 'vertrouwelijk'}", "pdf")})

    return router


def _export_route(router: APIRouter, kind: str, exporter: Exporter[Any]) -> None:
    @router.get(f"/{{document_id}}/export.{exporter.key}", summary=f"Download als {exporter.label}", response_class=Response,
                responses={200: {"content": {exporter.media_type.split(";")[0]: {}}}}, name=f"{kind}_export_{exporter.key}")
    def export(document_id: int, db: DbDep, user: UserDep, version: VersionQuery = None) -> Response:
        with db.transaction() as s:
            model, doc, number = docs.stored_model(s, kind=kind, document_id=document_id, version=version, sees_confidential=user.sees_confidential)
            name = doc.name
        herkomst = get_kind(kind).herkomst(model, document=document_id, versie=number)  # a workbook can be uploaded back as a new version
        return Response(exporter.render(model, herkomst), media_type=exporter.media_type, headers={"Content-Disposition": attachment(name, exporter.key)})
