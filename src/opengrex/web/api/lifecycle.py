"""Lifecycle routes of every kind under ``/api/<kind>/{id}`` (archive, restore from the bin, duplicate, audit trail,
references; for a grondexploitatie openen / afsluiten / heropenen), the bin (``/api/prullenbak``) and the overview of
every document as a portfolio (``/api/overzicht``). Each action is one transaction in
:mod:`opengrex.services.lifecycle`; a refused action (409 naming the status, 422 naming the field) writes nothing."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, status

from opengrex.services import lifecycle
from opengrex.services import overview as overview_service
from opengrex.services.kinds import get_kind, jsonable
from opengrex.services.references import link_status, update_links
from opengrex.store import repository as repo
from opengrex.web.api.kind_router import document_detail, document_state, version_public
from opengrex.web.api.schemas import ActionIn, AuditOut, BinEntry, CloseIn, DocumentDetail, DocumentState, ReopenIn, VersionPublic
from opengrex.web.deps import DbDep, EditorDep, UserDep

Toelichting = Annotated[ActionIn | None, Body(description="optioneel: {toelichting}")]


def lifecycle_router(kind: str) -> APIRouter:
    """The lifecycle routes of one kind (``/api/<kind>/{id}/…``)."""
    k = get_kind(kind)
    router = APIRouter(prefix=f"/{kind}", tags=[k.label])

    @router.post("/{document_id}/archiveren", response_model=DocumentState, summary="Archiveer (alleen lezen tot dearchiveren)")
    def archive(document_id: int, db: DbDep, user: EditorDep, body: Toelichting = None):
        with db.transaction() as s:
            return document_state(lifecycle.archive(s, document_id=document_id, kind=kind, actor=user.name, comment=(body or ActionIn()).toelichting))

    @router.post("/{document_id}/dearchiveren", response_model=DocumentState, summary="Haal uit het archief")
    def unarchive(document_id: int, db: DbDep, user: EditorDep, body: Toelichting = None):
        with db.transaction() as s:
            return document_state(lifecycle.unarchive(s, document_id=document_id, kind=kind, actor=user.name, comment=(body or ActionIn()).toelichting))

    @router.post("/{document_id}/herstellen", response_model=DocumentState, summary="Herstel uit de prullenbak")
    def restore(document_id: int, db: DbDep, user: EditorDep, body: Toelichting = None):
        with db.transaction() as s:
            return document_state(lifecycle.restore(s, document_id=document_id, kind=kind, actor=user.name, comment=(body or ActionIn()).toelichting))

    @router.post("/{document_id}/dupliceren", response_model=DocumentDetail, status_code=status.HTTP_201_CREATED,
                 summary="Dupliceer: een nieuw document (versie 1, 'Kopie van …') met de inhoud van de huidige versie")
    def duplicate(document_id: int, db: DbDep, user: EditorDep, body: Toelichting = None):
        with db.transaction() as s:
            doc = lifecycle.duplicate(s, document_id=document_id, kind=kind, actor=user.name, comment=(body or ActionIn()).toelichting)
            return document_detail(doc, user, s)

    @router.get("/{document_id}/audit", response_model=list[AuditOut], summary="Audittrail: wie wijzigde wat en wanneer")
    def audit(document_id: int, db: DbDep, user: UserDep):
        with db.transaction() as s:
            return lifecycle.audit_trail(s, document_id=document_id, kind=kind)

    if k.references:
        @router.get("/{document_id}/koppelingen", summary="Verwijzingen naar opgeslagen documenten: gebruikte en huidige versie")
        def links(document_id: int, db: DbDep, user: UserDep) -> list[dict[str, Any]]:
            with db.transaction() as s:
                return jsonable(link_status(s, repo.get_document(s, document_id=document_id, kind=kind)))

        @router.post("/{document_id}/koppelingen/bijwerken", response_model=VersionPublic, summary="Neem de huidige versie van elk gekoppeld document over (nieuwe versie)")
        def update(document_id: int, db: DbDep, user: EditorDep, body: Toelichting = None):
            with db.transaction() as s:
                return version_public(update_links(s, kind=kind, document_id=document_id, actor=user.name, comment=(body or ActionIn()).toelichting))

    if k.phases:
        @router.post("/{document_id}/openen", response_model=DocumentState, summary="In exploitatie nemen (raadsbesluit): van in_voorbereiding naar in_exploitatie")
        def open_(document_id: int, db: DbDep, user: EditorDep, body: Toelichting = None):
            with db.transaction() as s:
                return document_state(lifecycle.open_grex(s, document_id=document_id, kind=kind, actor=user.name, comment=(body or ActionIn()).toelichting))

        @router.post("/{document_id}/afsluiten", response_model=DocumentState, summary="Afsluiten: eindresultaat boeken en bevriezen (alles gerealiseerd)")
        def close(document_id: int, db: DbDep, user: EditorDep, body: Annotated[CloseIn | None, Body()] = None):
            b = body or CloseIn()
            with db.transaction() as s:
                lifecycle.close(s, document_id=document_id, kind=kind, actor=user.name, toelichting=b.toelichting, balansjaar=b.balansjaar,
                                voorziening_vorig=b.voorziening_vorig, winst_vorig=b.winst_vorig, datum=b.datum)
                return document_state(repo.get_document(s, document_id=document_id, kind=kind))

        @router.post("/{document_id}/heropenen", response_model=DocumentState, summary="Heropenen van een afgesloten grondexploitatie (reden verplicht, gelogd)")
        def reopen(document_id: int, body: ReopenIn, db: DbDep, user: EditorDep):
            with db.transaction() as s:
                return document_state(lifecycle.reopen(s, document_id=document_id, kind=kind, actor=user.name, reden=body.reden))

    return router


router = APIRouter(tags=["Documenten"])


@router.get("/prullenbak", response_model=list[BinEntry], summary=f"Verwijderde documenten ({lifecycle.BIN_DAYS} dagen herstelbaar)")
def bin_(db: DbDep, user: UserDep):
    with db.transaction() as s:
        return lifecycle.bin_contents(s)


@router.post("/prullenbak/opschonen", summary=f"Verwijder documenten die langer dan {lifecycle.BIN_DAYS} dagen in de prullenbak staan definitief")
def purge(db: DbDep, user: EditorDep) -> dict[str, Any]:
    with db.transaction() as s:
        return {"verwijderd": lifecycle.purge_expired(s, actor=user.name or "opengrex")}


@router.get("/overzicht", summary="Alle documenten als portefeuille: status, kerncijfers, boekwaarde en NCW, kasstroom per jaar")
def overview(
    db: DbDep, user: UserDep,
    kind: Annotated[str | None, Query(max_length=32, description="documentsoort (zie /api/kinds)")] = None,
    status_: Annotated[str, Query(alias="status", max_length=20, description="actief (standaard), gearchiveerd, alle of een BBV-status")] = "actief",
    q: Annotated[str | None, Query(max_length=200, description="deel van de naam")] = None,
    sorteer: Annotated[str, Query(max_length=40, description="naam, soort, status, bijgewerkt of een kerncijfer (ncw, boekwaarde, …)")] = "bijgewerkt",
    volgorde: Annotated[str, Query(pattern="^(op|af)$", description="op (oplopend) of af (aflopend)")] = "af",
) -> dict[str, Any]:
    with db.transaction() as s:
        return jsonable(overview_service.overview(s, kind=kind or None, status=status_, q=q, sorteer=sorteer, volgorde=volgorde))


__all__ = ["lifecycle_router", "router"]
