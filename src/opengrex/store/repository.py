"""Keyword-only functions on the store: persistence only. None of them commits: the caller owns the unit of work
(``with db.transaction() as session: save_version(session, ...)``), so a failure anywhere writes nothing.

The store never validates or calculates: it receives documents already validated and calculated by
:mod:`opengrex.services.documents` (canonical data, name, headline figures) and keeps them with their versions,
refusing a save based on an older version (:class:`ConflictError`, no lost update).
"""
from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from opengrex.errors import OpengrexError
from opengrex.store.models import Document, Version, utcnow


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
def list_documents(session: Session, *, kind: str | None = None, q: str | None = None, order: Literal["recent", "id"] = "recent") -> list[Document]:
    """Documents, newest change first (``order="id"``: by id); ``kind`` filters on the kind, ``q`` on a part of
    the name. The store does not know which kinds exist: an unknown kind simply has no documents."""
    stmt = select(Document)
    if kind is not None:
        stmt = stmt.where(Document.kind == kind)
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(Document.name.ilike(pattern, escape="\\"))
    if order == "id":
        return list(session.scalars(stmt.order_by(Document.id)))
    return list(session.scalars(stmt.order_by(Document.updated_at.desc(), Document.id.desc())))


def find_document(session: Session, *, kind: str, name: str) -> Document | None:
    """The first document of ``kind`` called ``name`` (the demo loader loads each demo document once)."""
    return session.scalars(select(Document).where(Document.kind == kind, Document.name == name).order_by(Document.id)).first()


def get_document(session: Session, *, document_id: int, kind: str | None = None, for_update: bool = False) -> Document:
    """The document ``document_id`` (of ``kind`` when given); :class:`NotFoundError` otherwise."""
    if not isinstance(document_id, int) or not 0 < document_id <= MAX_ID:  # beyond the database's integer: unknown
        raise NotFoundError("document" if kind is None else kind, document_id)
    stmt = select(Document).where(Document.id == document_id)
    if for_update:
        stmt = stmt.with_for_update()
    doc = session.scalars(stmt).first()
    if doc is None or (kind is not None and doc.kind != kind):
        what = "document" if kind is None else kind
        raise NotFoundError(what, document_id)
    return doc


def list_versions(session: Session, *, document_id: int) -> list[Version]:
    """All versions of a document, oldest first."""
    get_document(session, document_id=document_id)
    return list(session.scalars(select(Version).where(Version.document_id == document_id).order_by(Version.number)))


def get_version(session: Session, *, document_id: int, number: int) -> Version:
    """Version ``number`` of a document; :class:`NotFoundError` naming both otherwise."""
    get_document(session, document_id=document_id)
    v = session.scalars(select(Version).where(Version.document_id == document_id, Version.number == number)).first() if 0 < number <= MAX_ID else None
    if v is None:
        raise NotFoundError("versie", number, f"versie {number} van document {document_id} bestaat niet", field="version")
    return v


def count_rows(session: Session) -> dict[str, int]:
    """Row counts per table (for checks after a crash and for the load test)."""
    return {
        "documents": session.scalar(select(func.count()).select_from(Document)) or 0,
        "versions": session.scalar(select(func.count()).select_from(Version)) or 0,
    }


# ---------------------------------------------------------------------------------------------- writing
def create_document(
    session: Session, *, kind: str, data: dict[str, Any], name: str, headline: dict[str, float], ncw: float | None = None,
    author: str = "", comment: str = "",
) -> Document:
    """Store a new (validated) document as version 1 (flushed, not committed)."""
    now = utcnow()
    doc = Document(kind=kind, name=name[:300], current_version=1, data=data, headline=headline, ncw=ncw, created_at=now, updated_at=now, created_by=author)
    doc.versions.append(Version(number=1, data=data, headline=headline, created_at=now, author=author, comment=comment or "aangemaakt"))
    session.add(doc)
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
) -> Version:
    """Store (validated) ``data`` as the next version of the document (the previous versions stay).

    ``base_version``: the version the edit started from; if the document changed since, :class:`ConflictError`
    (no lost update). The document row is locked (``SELECT … FOR UPDATE``; SQLite: ``BEGIN IMMEDIATE``).
    """
    doc = get_document(session, document_id=document_id, kind=kind, for_update=True)
    if base_version is not None and base_version != doc.current_version:
        raise ConflictError(document_id, base_version, doc.current_version)
    now = utcnow()
    number = doc.current_version + 1
    version = Version(document_id=doc.id, number=number, data=data, headline=headline, created_at=now, author=author, comment=comment)
    session.add(version)
    doc.current_version = number
    doc.name = name[:300]
    doc.data = data
    doc.headline = headline
    doc.ncw = ncw
    doc.updated_at = now
    session.flush()
    return version


def set_headline(session: Session, *, document: Document, headline: dict[str, float], ncw: float | None) -> bool:
    """Replace the list figures of a document's current version (recomputed by a newer engine; no new version, the
    inputs stay). Returns whether anything changed."""
    if headline == (document.headline or {}) and ncw == document.ncw:
        return False
    document.headline, document.ncw = headline, ncw
    current = session.scalars(select(Version).where(Version.document_id == document.id, Version.number == document.current_version)).first()
    if current is not None:
        current.headline = headline
    session.flush()
    return True


def delete_document(session: Session, *, document_id: int, kind: str | None = None) -> None:
    """Delete a document with all its versions."""
    doc = get_document(session, document_id=document_id, kind=kind)
    session.delete(doc)
    session.flush()
