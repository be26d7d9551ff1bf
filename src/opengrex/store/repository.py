"""Keyword-only functions on the store. None of them commits: the caller owns the unit of work
(``with db.transaction() as session: save_version(session, ...)``), so a failure anywhere writes nothing.

Every write validates through the capability's loader and calculates the headline results first
(:func:`prepare`); invalid input raises :class:`~opengrex.errors.InputError` before a row is touched.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from opengrex.errors import OpengrexError
from opengrex.model.base import path_text
from opengrex.store.kinds import DocumentKind, get_kind
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


@dataclass
class Prepared:
    """A validated document ready to store: the model, its canonical data, name, results and headline figures."""

    kind: DocumentKind
    model: Any
    data: dict[str, Any]
    name: str
    summary: dict[str, Any]
    headline: dict[str, float]

    @property
    def ncw(self) -> float | None:
        return self.headline.get("ncw", self.headline.get("ncw_bbv"))


def prepare(*, kind: str, data: Any = None, model: Any = None, source: str = "<invoer>") -> Prepared:
    """Validate ``data`` (or take a validated ``model``) and calculate it: everything a save needs, no I/O."""
    k = get_kind(kind)
    if model is None:
        model = k.validate(data, source)
    canonical = k.dump(model)
    summary = k.summary(k.run(model))
    return Prepared(kind=k, model=model, data=canonical, name=k.name_of(model, canonical), summary=summary, headline=k.headline(summary))


# ---------------------------------------------------------------------------------------------- reading
def list_documents(session: Session, *, kind: str | None = None, q: str | None = None) -> list[Document]:
    """Documents, newest change first; ``kind`` filters on the kind, ``q`` on a part of the name."""
    stmt = select(Document)
    if kind is not None:
        get_kind(kind)
        stmt = stmt.where(Document.kind == kind)
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(Document.name.ilike(pattern, escape="\\"))
    return list(session.scalars(stmt.order_by(Document.updated_at.desc(), Document.id.desc())))


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
def refresh_headlines(session: Session) -> dict[str, list[str]]:
    """Recompute the list figures (headline, NCW) of every document's current version with today's engine.

    No new version is written: the stored inputs do not change, only the figures derived from them. Documents that
    no longer validate are reported, not changed. Returns ``{"bijgewerkt": [...], "ongewijzigd": [...], "fout": [...]}``.
    """
    out: dict[str, list[str]] = {"bijgewerkt": [], "ongewijzigd": [], "fout": []}
    for doc in session.scalars(select(Document).order_by(Document.id)):
        label = f"{doc.kind} {doc.id} ({doc.name})"
        try:
            p = prepare(kind=doc.kind, data=doc.data, source=f"document {doc.id}")
        except OpengrexError as exc:
            out["fout"].append(f"{label}: {exc}")
            continue
        if p.headline == (doc.headline or {}) and p.ncw == doc.ncw:
            out["ongewijzigd"].append(label)
            continue
        doc.headline, doc.ncw = p.headline, p.ncw
        current = session.scalars(select(Version).where(Version.document_id == doc.id, Version.number == doc.current_version)).first()
        if current is not None:
            current.headline = p.headline
        out["bijgewerkt"].append(label)
    session.flush()
    return out


def create_document(
    session: Session, *, kind: str, data: Any = None, model: Any = None, author: str = "", comment: str = "", source: str = "<invoer>"
) -> Document:
    """Validate and store a new document as version 1 (flushed, not committed)."""
    p = prepare(kind=kind, data=data, model=model, source=source)
    now = utcnow()
    doc = Document(kind=kind, name=p.name, current_version=1, data=p.data, headline=p.headline, ncw=p.ncw, created_at=now, updated_at=now, created_by=author)
    doc.versions.append(Version(number=1, data=p.data, headline=p.headline, created_at=now, author=author, comment=comment or "aangemaakt"))
    session.add(doc)
    session.flush()
    return doc


def save_version(
    session: Session,
    *,
    document_id: int,
    data: Any = None,
    model: Any = None,
    author: str = "",
    comment: str = "",
    base_version: int | None = None,
    kind: str | None = None,
    source: str = "<invoer>",
) -> Version:
    """Validate ``data`` and store it as the next version of the document (the previous versions stay).

    ``base_version``: the version the edit started from; if the document changed since, :class:`ConflictError`
    (no lost update). The document row is locked (``SELECT … FOR UPDATE``; SQLite: ``BEGIN IMMEDIATE``).
    """
    doc = get_document(session, document_id=document_id, kind=kind, for_update=True)
    p = prepare(kind=doc.kind, data=data, model=model, source=source)
    if base_version is not None and base_version != doc.current_version:
        raise ConflictError(document_id, base_version, doc.current_version)
    now = utcnow()
    number = doc.current_version + 1
    version = Version(document_id=doc.id, number=number, data=p.data, headline=p.headline, created_at=now, author=author, comment=comment)
    session.add(version)
    doc.current_version = number
    doc.name = p.name
    doc.data = p.data
    doc.headline = p.headline
    doc.ncw = p.ncw
    doc.updated_at = now
    session.flush()
    return version


def delete_document(session: Session, *, document_id: int, kind: str | None = None) -> None:
    """Delete a document with all its versions."""
    doc = get_document(session, document_id=document_id, kind=kind)
    session.delete(doc)
    session.flush()


# ---------------------------------------------------------------------------------------------- comparing
def compare_versions(session: Session, *, document_id: int, a: int, b: int) -> dict[str, Any]:
    """What changed from version ``a`` to ``b``: changed fields, added/removed/changed lines, and the change
    in the headline results (``b - a``)."""
    va = get_version(session, document_id=document_id, number=a)
    vb = get_version(session, document_id=document_id, number=b)
    return compare_data(va.data, vb.data, va.headline, vb.headline) | {"document_id": document_id, "a": a, "b": b}


def compare_data(a: dict[str, Any], b: dict[str, Any], head_a: dict[str, float] | None = None, head_b: dict[str, float] | None = None) -> dict[str, Any]:
    """Differences between two documents (see :func:`compare_versions`)."""
    changes = diff(a, b)
    fields = [c for c in changes if not c["regel"]]
    lines: dict[str, list[dict[str, Any]]] = {"toegevoegd": [], "verwijderd": [], "gewijzigd": []}
    for c in changes:
        if c["regel"]:
            key = {"toegevoegd": "toegevoegd", "verwijderd": "verwijderd"}.get(c["soort"], "gewijzigd")
            lines[key].append(c)
    results = {}
    head_a, head_b = head_a or {}, head_b or {}
    for k in sorted(set(head_a) | set(head_b), key=lambda s: (s not in head_a, s)):
        va, vb = head_a.get(k), head_b.get(k)
        results[k] = {"a": va, "b": vb, "verschil": (vb - va) if va is not None and vb is not None else None}
    return {"velden": fields, "regels": lines, "resultaten": results, "aantal_wijzigingen": len(changes)}


def _line_key(item: Any, i: int) -> Any:
    if isinstance(item, dict):
        for k in ("name", "naam", "id", "code"):
            if k in item and isinstance(item[k], (str, int)):
                return item[k]
    return i


def diff(a: Any, b: Any, path: tuple = (), line: str | None = None) -> list[dict[str, Any]]:
    """Changes between two plain-data trees as ``{pad, soort, oud, nieuw, regel}``; lists of mappings (lines)
    are matched by ``name`` (else position), so an inserted line is one addition, not a cascade of changes."""
    out: list[dict[str, Any]] = []

    def add(p: tuple, soort: str, old: Any, new: Any, ln: str | None) -> None:
        out.append({"pad": path_text(p), "soort": soort, "oud": old, "nieuw": new, "regel": ln})

    if isinstance(a, dict) and isinstance(b, dict):
        for k in list(a) + [k for k in b if k not in a]:
            if k not in b:
                add(path + (k,), "verwijderd", a[k], None, line)
            elif k not in a:
                add(path + (k,), "toegevoegd", None, b[k], line)
            else:
                out += diff(a[k], b[k], path + (k,), line)
        return out
    if isinstance(a, list) and isinstance(b, list) and all(isinstance(x, dict) for x in a + b) and (a or b):
        ka = [_line_key(x, i) for i, x in enumerate(a)]
        kb = [_line_key(x, i) for i, x in enumerate(b)]
        if len(set(ka)) == len(ka) and len(set(kb)) == len(kb):
            ib = {k: i for i, k in enumerate(kb)}
            for i, k in enumerate(ka):
                label = f"{path_text(path)}: {k}"
                if k not in ib:
                    add(path + (i,), "verwijderd", a[i], None, label)
                else:
                    out += diff(a[i], b[ib[k]], path + (ib[k],), label)
            ia = set(ka)
            for j, k in enumerate(kb):
                if k not in ia:
                    add(path + (j,), "toegevoegd", None, b[j], f"{path_text(path)}: {k}")
            common_a = [k for k in ka if k in ib]
            common_b = [k for k in kb if k in ia]
            if common_a != common_b:
                add(path, "volgorde", common_a, common_b, None)
            return out
    if a != b:
        add(path, "gewijzigd", a, b, line)
    return out


