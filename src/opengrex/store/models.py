"""SQLAlchemy 2 tables: ``documents`` (the current version plus list/search columns and the lifecycle state),
``versions`` (every save), ``audit_log`` (who changed what and when), ``document_links`` (a document's references to
stored documents, e.g. a kostenverhaal's grex), ``users`` (accounts when ``OPENGREX_AUTH=1``). The schema is created
by Alembic (``store/migrations``)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ROLES = ("viewer", "editor")


def utcnow() -> dt.datetime:
    """The store's clock (UTC). The repository reads it through this module, so a test can freeze it."""
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, dt.datetime: DateTime(timezone=True)}


class Document(Base):
    """A stored document: its kind, name, current version (data and headline results) and timestamps."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    headline: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ncw: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str] = mapped_column(String(20), default="actief", server_default="actief", index=True)
    """``actief`` or ``gearchiveerd`` (every kind)."""
    bbv_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    """Grondexploitaties only: ``in_voorbereiding``, ``in_exploitatie`` or ``afgesloten`` (bbv.md "Lifecycle")."""
    deleted_at: Mapped[dt.datetime | None] = mapped_column(nullable=True, index=True)
    """In the bin since (recoverable for 30 days, then purged); ``None``: not deleted."""
    deleted_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
    closing: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    """The booking of the afsluiting of a grex (final result, voorziening, winst), while it is afgesloten."""
    cash_flow: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    """Nominal net cash flow per year ``{"2025": -1.0e6, ...}`` of the current version (kinds that have one)."""

    versions: Mapped[list[Version]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True, order_by="Version.number"
    )


class Version(Base):
    """One saved version of a document (number 1, 2, …): the validated data, its headline results, who and why."""

    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("document_id", "number", name="uq_versions_document_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    headline: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    author: Mapped[str] = mapped_column(String(100), default="")
    comment: Mapped[str] = mapped_column(Text, default="")

    document: Mapped[Document] = relationship(back_populates="versions")


class AuditEntry(Base):
    """One action on a document (audit trail): what, by whom, when, on which version, with the comment or reason and
    the details (status from/to, a booking, the source of a copy). Kept after the document is purged (no foreign key)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(32))
    document_name: Mapped[str] = mapped_column(String(300), default="")
    action: Mapped[str] = mapped_column(String(32))
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    actor: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    comment: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class DocumentLink(Base):
    """A reference of a document (``document_id``, at ``path`` in its data) to a stored document ``target_id``: the
    version embedded and whether it follows the target's current version. Derived from the data on every save."""

    __tablename__ = "document_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(Integer, index=True)
    path: Mapped[str] = mapped_column(String(300))
    version: Mapped[int] = mapped_column(Integer)
    follows: Mapped[bool] = mapped_column(Boolean, default=False)


class User(Base):
    """An account (only used with ``OPENGREX_AUTH=1``): name, scrypt password hash, role viewer/editor, and the
    session version every sign-in cookie carries (raised on logout and password reset: older cookies stop working)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20), default="viewer")
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
