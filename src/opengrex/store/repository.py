"""Keyword-only functions on the store: persistence only. None of them commits: the caller owns the unit of work
(``with db.transaction() as session: save_version(session, ...)``), so a failure anywhere writes nothing.

The store never validates or calculates: it receives documents already validated and calculated by
:mod:`opengrex.services.documents` (canonical data, name, headline figures) and keeps them with their versions,
refusing a save based on an older version (:class:`ConflictError`, no lost update). Every write records who did
what in the audit trail (``audit_log``, :func:`add_audit`) in the same transaction. A deleted document is in the bin
(``deleted_at``): it is not found (404) until it is restored, and :func:`purge_deleted` removes it for good.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, defer

from opengrex.errors import OpengrexError
from opengrex.store import models
from opengrex.store.models import AuditEntry, Document, DocumentLink, Version


def now() -> dt.datetime:
    """The store's clock (:func:`opengrex.store.models.utcnow`, frozen by tests)."""
    return models.utcnow()


MAX_ID = 2**63 - 1
"""Largest id or version number a database integer holds; larger ones are simply not found (404, never 500)."""


class NotFoundError(OpengrexError):
    """An id that does not exist (the API answers 404 naming it)."""

    def __init__(self, what: str, ident: Any, message: str | None = None, field: str = "document_id") -> None:
        self.what = what
        self.ident = ident
        self.field = field
        self.message = message or f"{what} {ident} bestaat niet"
        super().__init__(self.message)

    def as_dict(self) -> dict[str, Any]:
        return {"message": self.message, "field": self.field, "value": self.ident, "soort": self.what}


class ConflictError(OpengrexError):
    """A save based on an older version than the current one (the API answers 409)."""

    def __init__(self, document_id: int, base_version: int, current_version: int) -> None:
        self.document_id, self.base_version, self.current_version = document_id, base_version, current_version
        self.message = f"document {document_id} is intussen gewijzigd: u bewerkte versie {base_version}, de huidige versie is {current_version}"
        super().__init__(self.message)

    def as_dict(self) -> dict[str, Any]:
        return {"message": self.message, "field": "base_version", "value": self.base_version, "allowed": str(self.current_version)}


# ---------------------------------------------------------------------------------------------- reading
def list_documents(
    session: Session, *, kind: str | None = None, q: str | None = None, order: Literal["recent", "id"] = "recent",
    status: str | None = None, bbv_status: str | None = None, deleted: bool = False, with_data: bool = True,
) -> list[Document]:
    """Documents, newest change first (``order="id"``: by id); ``kind`` filters on the kind, ``q`` on a part of
    the name, ``status`` / ``bbv_status`` on the lifecycle state. The bin is left out (``deleted=True``: only the bin).
    The store does not know which kinds exist: an unknown kind simply has no documents. ``with_data=False``: the
    document data is read only when it is used (a list of many large documents)."""
    stmt = select(Document)
    if not with_data:
        stmt = stmt.options(defer(Document.data))
    stmt = stmt.where(Document.deleted_at.is_not(None) if deleted else Document.deleted_at.is_(None))
    if kind is not None:
        stmt = stmt.where(Document.kind == kind)
    if status is not None:
        stmt = stmt.where(Document.status == status)
    if bbv_status is not None:
        stmt = stmt.where(Document.bbv_status == bbv_status)
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(Document.name.ilike(pattern, escape="\\"))
    if order == "id":
        return list(session.scalars(stmt.order_by(Document.id)))
    return list(session.scalars(stmt.order_by(Document.updated_at.desc(), Document.id.desc())))


def find_document(session: Session, *, kind: str, name: str) -> Document | None:
    """The first document of ``kind`` called ``name`` (the demo loader loads each demo document once)."""
    return session.scalars(select(Document).where(Document.kind == kind, Document.name == name, Document.deleted_at.is_(None)).order_by(Document.id)).first()


def get_document(session: Session, *, document_id: int, kind: str | None = None, for_update: bool = False, include_deleted: bool = False) -> Document:
    """The document ``document_id`` (of ``kind`` when given); :class:`NotFoundError` otherwise — also for a document
    in the bin, saying so (``include_deleted=True``: found there as well, to restore it)."""
    if not isinstance(document_id, int) or not 0 < document_id <= MAX_ID:  # beyond the database's integer: unknown
        raise NotFoundError("document" if kind is None else kind, document_id)
    stmt = select(Document).where(Document.id == document_id)
    if for_update:
        stmt = stmt.with_for_update()
    doc = session.scalars(stmt).first()
    if doc is None or (kind is not None and doc.kind != kind):
        what = "document" if kind is None else kind
        raise NotFoundError(what, document_id)
    if doc.deleted_at is not None and not include_deleted:
        what = "document" if kind is None else kind
        raise NotFoundError(what, document_id, f"{what} {document_id} staat in de prullenbak (verwijderd door {doc.deleted_by or 'onbekend'}); herstel het eerst")
    return doc


def list_versions(session: Session, *, document_id: int) -> list[Version]:
    """All versions of a document, oldest first."""
    get_document(session, document_id=document_id)
    return list(session.scalars(select(Version).where(Version.document_id == document_id).order_by(Version.number)))


def get_version(session: Session, *, document_id: int, number: int, include_deleted: bool = False) -> Version:
    """Version ``number`` of a document; :class:`NotFoundError` naming both otherwise."""
    get_document(session, document_id=document_id, include_deleted=include_deleted)
    v = session.scalars(select(Version).where(Version.document_id == document_id, Version.number == number)).first() if 0 < number <= MAX_ID else None
    if v is None:
        raise NotFoundError("versie", number, f"versie {number} van document {document_id} bestaat niet", field="version")
    return v


def count_in_bin(session: Session) -> int:
    """How many documents are in the bin."""
    return session.scalar(select(func.count()).select_from(Document).where(Document.deleted_at.is_not(None))) or 0


def count_rows(session: Session) -> dict[str, int]:
    """Row counts per table (for checks after a crash and for the load test)."""
    return {
        "documents": session.scalar(select(func.count()).select_from(Document)) or 0,
        "versions": session.scalar(select(func.count()).select_from(Version)) or 0,
    }


# ---------------------------------------------------------------------------------------------- audit trail
def add_audit(
    session: Session, *, document: Document, action: str, actor: str = "", comment: str = "", version: int | None = None,
    details: dict[str, Any] | None = None, at: dt.datetime | None = None,
) -> AuditEntry:
    """Record one action on ``document`` in the audit trail (flushed with the action, in its transaction)."""
    entry = AuditEntry(document_id=document.id, kind=document.kind, document_name=(document.name or "")[:300], action=action, version=version,
                       actor=(actor or "")[:100], at=at or now(), comment=comment or "", details=details or {})
    session.add(entry)
    return entry


def list_audit(session: Session, *, document_id: int) -> list[AuditEntry]:
    """The audit trail of a document in the order the actions were recorded (also of a document in the bin or purged)."""
    return list(session.scalars(select(AuditEntry).where(AuditEntry.document_id == document_id).order_by(AuditEntry.id)))


# ---------------------------------------------------------------------------------------------- references
def replace_links(session: Session, *, document: Document, links: list[dict[str, Any]]) -> None:
    """Set the references of ``document`` to stored documents (``target_id``, ``path``, ``version``, ``follows``)."""
    session.execute(delete(DocumentLink).where(DocumentLink.document_id == document.id))
    for ln in links:
        session.add(DocumentLink(document_id=document.id, target_id=int(ln["target_id"]), path=str(ln["path"])[:300], version=int(ln["version"]), follows=bool(ln["follows"])))


def links_of(session: Session, *, document_id: int) -> list[DocumentLink]:
    return list(session.scalars(select(DocumentLink).where(DocumentLink.document_id == document_id).order_by(DocumentLink.path)))


def referring_documents(session: Session, *, target_id: int, follows: bool | None = None) -> list[Document]:
    """Documents (not in the bin) that refer to ``target_id`` (``follows``: only those that follow / are frozen)."""
    sources = select(DocumentLink.document_id).where(DocumentLink.target_id == target_id)
    if follows is not None:
        sources = sources.where(DocumentLink.follows.is_(follows))
    stmt = select(Document).where(Document.id.in_(sources), Document.deleted_at.is_(None))  # no DISTINCT: PostgreSQL has no = on json
    return list(session.scalars(stmt.order_by(Document.id)))


# ---------------------------------------------------------------------------------------------- writing
def create_document(
    session: Session, *, kind: str, data: dict[str, Any], name: str, headline: dict[str, float], ncw: float | None = None,
    author: str = "", comment: str = "", status: str = "actief", bbv_status: str | None = None, cash_flow: dict[str, float] | None = None,
    action: str = "aanmaken", details: dict[str, Any] | None = None,
) -> Document:
    """Store a new (validated) document as version 1 (flushed, not committed), with its audit entry."""
    t = now()
    doc = Document(kind=kind, name=name[:300], current_version=1, data=data, headline=headline, ncw=ncw, created_at=t, updated_at=t, created_by=author,
                   status=status, bbv_status=bbv_status, deleted_by="", cash_flow=cash_flow)
    doc.versions.append(Version(number=1, data=data, headline=headline, created_at=t, author=author, comment=comment or "aangemaakt"))
    session.add(doc)
    session.flush()
    add_audit(session, document=doc, action=action, actor=author, comment=comment or "aangemaakt", version=1, details=details, at=t)
    session.flush()
    return doc


def save_version(
    session: Session,
    *,
    document_id: int,
    data: dict[str, Any],
    name: str,
    headline: dict[str, float],
    ncw: float | None = None,
    author: str = "",
    comment: str = "",
    base_version: int | None = None,
    kind: str | None = None,
    cash_flow: dict[str, float] | None = None,
    action: str = "nieuwe_versie",
    details: dict[str, Any] | None = None,
) -> Version:
    """Store (validated) ``data`` as the next version of the document (the previous versions stay), with its audit
    entry (``action``, default ``nieuwe_versie``).

    ``base_version``: the version the edit started from; if the document changed since, :class:`ConflictError`
    (no lost update). The document row is locked (``SELECT … FOR UPDATE``; SQLite: ``BEGIN IMMEDIATE``).
    """
    doc = get_document(session, document_id=document_id, kind=kind, for_update=True)
    if base_version is not None and base_version != doc.current_version:
        raise ConflictError(document_id, base_version, doc.current_version)
    t = now()
    number = doc.current_version + 1
    version = Version(document_id=doc.id, number=number, data=data, headline=headline, created_at=t, author=author, comment=comment)
    session.add(version)
    doc.current_version = number
    doc.name = name[:300]
    doc.data = data
    doc.headline = headline
    doc.ncw = ncw
    doc.cash_flow = cash_flow
    doc.updated_at = t
    session.flush()
    add_audit(session, document=doc, action=action, actor=author, comment=comment, version=number, details=details, at=t)
    session.flush()
    return version


def set_headline(session: Session, *, document: Document, headline: dict[str, float], ncw: float | None, cash_flow: dict[str, float] | None = None) -> bool:
    """Replace the list figures (and the yearly cash flow) of a document's current version (recomputed by a newer
    engine; no new version, the inputs stay). Returns whether anything changed."""
    if headline == (document.headline or {}) and ncw == document.ncw and cash_flow == document.cash_flow:
        return False
    document.headline, document.ncw, document.cash_flow = headline, ncw, cash_flow
    current = session.scalars(select(Version).where(Version.document_id == document.id, Version.number == document.current_version)).first()
    if current is not None:
        current.headline = headline
    session.flush()
    return True


def delete_document(session: Session, *, document_id: int, kind: str | None = None) -> None:
    """Delete a document with all its versions for good (the purge of the bin; users delete to the bin,
    :func:`move_to_bin`). Its audit trail stays."""
    doc = get_document(session, document_id=document_id, kind=kind, include_deleted=True)
    session.delete(doc)
    session.flush()


# ---------------------------------------------------------------------------------------------- lifecycle
def set_status(
    session: Session, *, document: Document, action: str, actor: str = "", comment: str = "", status: str | None = None,
    bbv_status: str | None = None, closing: dict[str, Any] | None | Literal[False] = False, details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Change the lifecycle state of a document (``status``, ``bbv_status``, the ``closing`` booking; ``False``:
    unchanged) and record ``action`` with the old and new state in the audit trail. No new version: the content
    stays."""
    before = {"status": document.status, "bbv_status": document.bbv_status}
    if status is not None:
        document.status = status
    if bbv_status is not None:
        document.bbv_status = bbv_status
    if closing is not False:
        document.closing = closing
    after = {"status": document.status, "bbv_status": document.bbv_status}
    changed = {k: {"van": before[k], "naar": after[k]} for k in before if before[k] != after[k]}
    entry = add_audit(session, document=document, action=action, actor=actor, comment=comment, version=document.current_version, details={**changed, **(details or {})})
    session.flush()
    return entry


def move_to_bin(session: Session, *, document: Document, actor: str = "", comment: str = "") -> AuditEntry:
    """Put a document in the bin (recoverable until it is purged)."""
    t = now()
    document.deleted_at, document.deleted_by = t, (actor or "")[:100]
    entry = add_audit(session, document=document, action="verwijderen", actor=actor, comment=comment, version=document.current_version, at=t)
    session.flush()
    return entry


def restore_from_bin(session: Session, *, document: Document, actor: str = "", comment: str = "") -> AuditEntry:
    """Take a document out of the bin."""
    details = {"verwijderd_op": document.deleted_at.isoformat() if document.deleted_at else None, "verwijderd_door": document.deleted_by}
    document.deleted_at, document.deleted_by = None, ""
    entry = add_audit(session, document=document, action="herstellen", actor=actor, comment=comment, version=document.current_version, details=details)
    session.flush()
    return entry


def expired_in_bin(session: Session, *, before: dt.datetime) -> list[Document]:
    """Documents in the bin since before ``before`` (to purge)."""
    return list(session.scalars(select(Document).where(Document.deleted_at.is_not(None), Document.deleted_at < before).order_by(Document.id)))


def purge_document(session: Session, *, document: Document, actor: str = "", comment: str = "") -> None:
    """Remove a document from the bin for good (versions and references go with it; the audit trail stays and
    records the purge)."""
    add_audit(session, document=document, action="opschonen", actor=actor, comment=comment, version=document.current_version,
              details={"verwijderd_op": document.deleted_at.isoformat() if document.deleted_at else None, "versies": document.current_version})
    session.delete(document)
    session.flush()
