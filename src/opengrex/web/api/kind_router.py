"""One router factory for every document kind: list, get, create (JSON or file upload), update (a new
version), delete, calculate, export (YAML/JSON), versions and compare. Each kind's module adds its extras
(e.g. the grex xlsx export). The routes only parse and present; the work is in :mod:`opengrex.store`."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Body, File, Form, Query, Response, UploadFile, status

from opengrex.errors import InputError, InputErrors
from opengrex.store import repository as repo
from opengrex.store.kinds import get_kind
from opengrex.store.models import Document, Version
from opengrex.web.api.schemas import Comparison, DocumentCreate, DocumentDetail, DocumentPublic, DocumentUpdate, VersionDetail, VersionPublic
from opengrex.web.deps import CurrentUser, DbDep, EditorDep, UserDep

UPLOAD_TYPES = (".yaml", ".yml", ".json", ".xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def document_public(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id, "kind": doc.kind, "name": doc.name, "current_version": doc.current_version,
        "created_at": doc.created_at, "updated_at": doc.updated_at, "created_by": doc.created_by, "headline": doc.headline or {},
    }


def visible_data(kind: str, data: dict[str, Any], user: CurrentUser) -> dict[str, Any]:
    """The data a user may see: confidential fields removed for viewers."""
    return data if user.sees_confidential else get_kind(kind).redact(data)


def document_detail(doc: Document, user: CurrentUser) -> dict[str, Any]:
    return document_public(doc) | {"data": visible_data(doc.kind, doc.data, user)}


def version_public(v: Version) -> dict[str, Any]:
    return {"document_id": v.document_id, "number": v.number, "created_at": v.created_at, "author": v.author, "comment": v.comment, "headline": v.headline or {}}


def model_from_upload(kind: str, file: UploadFile) -> tuple[Any, str]:
    """Validate an uploaded YAML/JSON/xlsx file into the kind's model; :class:`InputError` if malformed (an error
    about the file as a whole names the field ``bestand``)."""
    try:
        return _model_from_upload(kind, file)
    except InputError as exc:
        if not exc.field and not isinstance(exc, InputErrors):
            exc.field = "bestand"
            exc.args = (exc._text(),)
        raise


def _model_from_upload(kind: str, file: UploadFile) -> tuple[Any, str]:
    name = Path(file.filename or "").name or "upload"
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_TYPES:
        raise InputError("onbekend bestandstype", location=name, field="bestand", value=suffix or name, allowed=", ".join(UPLOAD_TYPES))
    raw = file.file.read()
    if not raw:
        raise InputError("het bestand is leeg", location=name, field="bestand", value=name, allowed="een YAML-, JSON- of Excel-bestand")
    k = get_kind(kind)
    if suffix == ".xlsx":
        with tempfile.TemporaryDirectory() as tmp:
            p = Path(tmp) / name
            p.write_bytes(raw)
            try:
                return k.load_path(p), name
            except InputError:
                raise
            except Exception as exc:  # openpyxl on a non-workbook: zipfile.BadZipFile, KeyError, …
                raise InputError(f"geen leesbaar Excel-bestand ({type(exc).__name__})", location=name, field="bestand", value=name, allowed="het Excel-sjabloon van opengrex (.xlsx)") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("bestand is geen UTF-8-tekst", location=name, field="bestand", value=name, allowed="UTF-8 YAML of JSON") from None
    return k.from_text(text, name), name


def kind_router(kind: str) -> APIRouter:
    """The CRUD + calculate + versions routes of one document kind under ``/api/<kind>``."""
    k = get_kind(kind)
    router = APIRouter(prefix=f"/{kind}", tags=[k.label])

    @router.get("", response_model=list[DocumentPublic], summary=f"Lijst van {k.label.lower()}s")
    def list_(db: DbDep, user: UserDep, q: Annotated[str | None, Query(max_length=200, description="deel van de naam")] = None):
        with db.transaction() as s:
            return [document_public(d) for d in repo.list_documents(s, kind=kind, q=q)]

    @router.post("", response_model=DocumentDetail, status_code=status.HTTP_201_CREATED, summary=f"Nieuwe {k.label.lower()} (JSON)")
    def create(body: DocumentCreate, db: DbDep, user: EditorDep):
        with db.transaction() as s:
            doc = repo.create_document(s, kind=kind, data=body.data, author=user.name, comment=body.comment, source="data")
            return document_detail(doc, user)

    @router.post("/upload", response_model=DocumentDetail, status_code=status.HTTP_201_CREATED, summary=f"Nieuwe {k.label.lower()} uit een bestand (YAML, JSON of xlsx)")
    def upload(db: DbDep, user: EditorDep, file: Annotated[UploadFile, File(description="YAML, JSON of het Excel-sjabloon")], comment: Annotated[str, Form()] = ""):
        model, name = model_from_upload(kind, file)
        with db.transaction() as s:
            doc = repo.create_document(s, kind=kind, model=model, author=user.name, comment=comment or f"geüpload: {name}", source=name)
            return document_detail(doc, user)

    @router.post("/calculate", summary=f"Bereken een {k.label.lower()} zonder op te slaan")
    def calculate_adhoc(data: Annotated[dict[str, Any], Body(description="het document (zelfde sleutels als het YAML/JSON-bestand)")], user: UserDep) -> dict[str, Any]:
        return repo.prepare(kind=kind, data=data, source="data").summary

    @router.get("/{document_id}", response_model=DocumentDetail, summary=f"Eén {k.label.lower()} (huidige versie)")
    def get(document_id: int, db: DbDep, user: UserDep):
        with db.transaction() as s:
            return document_detail(repo.get_document(s, document_id=document_id, kind=kind), user)

    @router.put("/{document_id}", response_model=VersionPublic, summary="Sla een nieuwe versie op")
    def update(document_id: int, body: DocumentUpdate, db: DbDep, user: EditorDep):
        with db.transaction() as s:
            v = repo.save_version(s, document_id=document_id, kind=kind, data=body.data, author=user.name, comment=body.comment, base_version=body.base_version, source="data")
            return version_public(v)

    @router.post("/{document_id}/upload", response_model=VersionPublic, summary="Nieuwe versie uit een bestand (YAML, JSON of xlsx)")
    def upload_version(document_id: int, db: DbDep, user: EditorDep, file: Annotated[UploadFile, File()], comment: Annotated[str, Form()] = "", base_version: Annotated[int | None, Form()] = None):
        model, name = model_from_upload(kind, file)
        with db.transaction() as s:
            v = repo.save_version(s, document_id=document_id, kind=kind, model=model, author=user.name, comment=comment or f"geüpload: {name}", base_version=base_version, source=name)
            return version_public(v)

    @router.delete("/{document_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Verwijder het document met alle versies")
    def delete(document_id: int, db: DbDep, user: EditorDep) -> Response:
        with db.transaction() as s:
            repo.delete_document(s, document_id=document_id, kind=kind)
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    @router.post("/{document_id}/calculate", summary="Bereken (resultaten van de rekenkern als JSON)")
    def calculate(document_id: int, db: DbDep, user: UserDep, version: Annotated[int | None, Query(ge=1)] = None) -> dict[str, Any]:
        data = _data(db, kind, document_id, version)
        return repo.prepare(kind=kind, data=data, source=f"{kind} {document_id}").summary

    @router.get("/{document_id}/export.yaml", summary="Download als YAML", response_class=Response, responses={200: {"content": {"application/yaml": {}}}})
    def export_yaml(document_id: int, db: DbDep, user: UserDep, version: Annotated[int | None, Query(ge=1)] = None) -> Response:
        data, name = _data(db, kind, document_id, version, with_name=True)
        text = yaml.safe_dump(visible_data(kind, data, user), allow_unicode=True, sort_keys=False)
        return Response(text, media_type="application/yaml", headers={"Content-Disposition": _attachment(name, "yaml")})

    if k.xlsx is not None:

        @router.get("/{document_id}/export.xlsx", summary=f"Download als {k.xlsx[3]}", response_class=Response, responses={200: {"content": {XLSX: {}}}})
        def export_xlsx(document_id: int, db: DbDep, user: UserDep, version: Annotated[int | None, Query(ge=1)] = None) -> Response:
            model, name = stored_model(db, kind, document_id, version, user)
            return Response(k.write_xlsx(model), media_type=XLSX, headers={"Content-Disposition": _attachment(name, "xlsx")})

    @router.get("/{document_id}/export.json", summary="Download als JSON")
    def export_json(document_id: int, db: DbDep, user: UserDep, version: Annotated[int | None, Query(ge=1)] = None) -> Response:
        import json

        data, name = _data(db, kind, document_id, version, with_name=True)
        return Response(json.dumps(visible_data(kind, data, user), ensure_ascii=False, indent=2), media_type="application/json", headers={"Content-Disposition": _attachment(name, "json")})

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

    @router.get("/{document_id}/compare", response_model=Comparison, summary="Vergelijk twee versies (velden, regels, kerncijfers)")
    def compare(document_id: int, db: DbDep, user: UserDep, a: Annotated[int, Query(ge=1)], b: Annotated[int, Query(ge=1)]):
        with db.transaction() as s:
            repo.get_document(s, document_id=document_id, kind=kind)
            out = repo.compare_versions(s, document_id=document_id, a=a, b=b)
        if not user.sees_confidential:
            out = _redact_comparison(out)
        return out

    return router


def _data(db, kind: str, document_id: int, version: int | None, with_name: bool = False):
    with db.transaction() as s:
        doc = repo.get_document(s, document_id=document_id, kind=kind)
        data = doc.data if version is None else repo.get_version(s, document_id=document_id, number=version).data
        name = doc.name
    return (data, name) if with_name else data


def stored_model(db, kind: str, document_id: int, version: int | None, user: CurrentUser) -> tuple[Any, str]:
    """The validated model of a stored document (as the user may see it) and its name."""
    data, name = _data(db, kind, document_id, version, with_name=True)
    return get_kind(kind).validate(visible_data(kind, data, user), f"{kind} {document_id}"), name


def _attachment(name: str, ext: str) -> str:
    import re
    from urllib.parse import quote

    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "document"
    return f"attachment; filename=\"{safe}.{ext}\"; filename*=UTF-8''{quote(name)}.{ext}"


def _redact_comparison(out: dict[str, Any]) -> dict[str, Any]:
    notes = ("note", "notitie")  # the Dutch key and the first version's

    def keep(c: dict[str, Any]) -> bool:
        return not any(c["pad"].endswith("." + n) or c["pad"] == n for n in notes)

    def scrub(c: dict[str, Any]) -> dict[str, Any]:
        for key in ("oud", "nieuw"):
            if isinstance(c.get(key), dict):
                c = c | {key: {**c[key], **{n: "" for n in notes if n in c[key]}}}
        return c

    out = dict(out)
    out["velden"] = [scrub(c) for c in out["velden"] if keep(c)]
    out["regels"] = {k: [scrub(c) for c in v if keep(c)] for k, v in out["regels"].items()}
    return out
