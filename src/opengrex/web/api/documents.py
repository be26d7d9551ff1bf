"""``/api/documents``: every stored document whatever its kind (overview, search), plus ``/api/kinds`` and
``/api/health``."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from opengrex import __version__
from opengrex.services import documents as docs
from opengrex.services.kinds import kinds as registered_kinds
from opengrex.services.reports import portfolio_pdf
from opengrex.store import repository as repo
from opengrex.web.api.kind_router import document_detail, document_public
from opengrex.web.api.schemas import DocumentDetail, DocumentPublic, KindInfo
from opengrex.web.deps import DbDep, UserDep
from opengrex.web.security import attachment

router = APIRouter(tags=["Documenten"])


@router.get("/documents", response_model=list[DocumentPublic], summary="Alle documenten (alle soorten)")
def list_documents(db: DbDep, user: UserDep, kind: Annotated[str | None, Query(description="documentsoort (zie /api/kinds)")] = None, q: Annotated[str | None, Query(max_length=200)] = None):
    with db.transaction() as s:
        return [document_public(d) for d in docs.list_documents(s, kind=kind, q=q)]


@router.get("/documents/{document_id}", response_model=DocumentDetail, summary="Eén document, welke soort ook")
def get_document(document_id: int, db: DbDep, user: UserDep):
    with db.transaction() as s:
        return document_detail(repo.get_document(s, document_id=document_id), user)


@router.get("/kinds", response_model=list[KindInfo], summary="Documentsoorten: kerncijfers, downloads, kengetallen en vertrouwelijke velden")
def kinds() -> list[dict[str, Any]]:
    return [
        {"kind": k.name, "label": k.label, "beschikbaar": True, "valt_onder": k.listed_under,
         "kerncijfers": [{"key": h.key, "label": h.label, "eenheid": h.eenheid} for h in k.headlines],
         "downloads": [{"key": e.key, "label": e.label, "media_type": e.media_type} for e in k.all_exporters],
         "kengetallen": list(k.kengetallen), "vertrouwelijk": list(k.confidential)}
        for k in registered_kinds()
    ]


@router.get("/health", summary="Werkt de app en de database?")
def health(db: DbDep) -> dict[str, Any]:
    with db.transaction() as s:
        counts = repo.count_rows(s)
    return {"status": "ok", "versie": __version__, "database": db.engine.url.get_backend_name(), **counts}


@router.get("/portefeuille/rapport.pdf", summary="Portefeuillerapport als PDF: alle opgeslagen documenten (huidige versies)", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
def portfolio_report(db: DbDep, user: UserDep,
                     openbaar: Annotated[bool, Query(description="openbare versie: zonder vertrouwelijke velden (kijkers krijgen altijd deze)")] = False) -> Response:

    public = openbaar or not user.sees_confidential
    with db.transaction() as s:
        pdf = portfolio_pdf(s, openbaar=public)
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": attachment(f"portefeuille-{'openbaar' if public else 'vertrouwelijk'}", "pdf")})
