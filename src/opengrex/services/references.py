"""References between stored documents (a kostenverhaal party's grex, a portfolio's grex): resolve them when a
document is saved, say whether they are current, follow the grex's new versions.

A reference is a :class:`~opengrex.model.verwijzing.DocumentVerwijzing` under the key a kind declares
(:class:`~opengrex.services.kinds.Reference`, ``grex_document``). When a document is saved, every reference is
resolved against the store: the referenced version is embedded next to it (``inline`` / ``grex``), ``versie`` is set
to that version, and a row in ``document_links`` records it, so the stored document stays complete (it calculates,
exports and compares on its own) and the store can find who refers to a grex.

- ``volgt: true``: the document follows the grex; a new version (or a new BBV status) of the grex writes a new version
  of the document in the same transaction (:func:`propagate`).
- otherwise the document is frozen at ``versie``; :func:`link_status` says which version it froze and whether the
  grex has moved on, and :func:`update_links` takes the current versions (an explicit, logged action).
"""
from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from opengrex.errors import InputError, InputErrors, OpengrexError
from opengrex.services.kinds import DocumentKind, Reference, get_kind
from opengrex.store import repository as repo
from opengrex.store.models import Document


@dataclass
class Found:
    """One reference in a document's data: where it is, the mapping holding it and the kind's declaration."""

    path: str
    holder: dict[str, Any]
    ref: Reference


def find(kind: DocumentKind[Any, Any], data: Any) -> list[Found]:
    """Every reference in ``data`` (mappings holding one of the kind's reference keys), in document order."""
    if not kind.references:
        return []
    out: list[Found] = []

    def walk(o: Any, path: str) -> None:
        if isinstance(o, dict):
            for r in kind.references:
                if isinstance(o.get(r.key), dict):
                    out.append(Found(path, o, r))
            for k, v in o.items():
                walk(v, f"{path}.{k}" if path else str(k))
        elif isinstance(o, list):
            for i, v in enumerate(o):
                walk(v, f"{path}[{i}]")

    walk(data, "")
    return out


def has_references(kind: str, data: Any) -> bool:
    return bool(find(get_kind(kind), data))


def _ref_fields(f: Found) -> tuple[Any, Any, bool]:
    raw = f.holder[f.ref.key]
    return raw.get("id"), raw.get("versie"), bool(raw.get("volgt", False))


def resolve(session: Session, kind: str, data: dict[str, Any], *, current: bool = False) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A copy of ``data`` with every reference resolved (the version embedded, ``versie`` set) and the links to store.

    ``current``: take the current version for frozen references too (the "update" action). Errors name the field:
    an unknown or deleted document, a version that does not exist, a document of another kind."""
    k = get_kind(kind)
    out = copy.deepcopy(data)
    links: list[dict[str, Any]] = []
    errors: list[InputError] = []
    for f in find(k, out):
        field = f"{f.path}.{f.ref.key}" if f.path else f.ref.key
        ident, versie, volgt = _ref_fields(f)
        if not isinstance(ident, int) or isinstance(ident, bool) or ident < 1:
            errors.append(InputError("verwijzing naar een opgeslagen document zonder geldig id", field=f"{field}.id", value=ident, allowed=f"het id van een opgeslagen {get_kind(f.ref.kind).label.lower()}"))
            continue
        if versie is not None and (not isinstance(versie, int) or isinstance(versie, bool) or versie < 1):
            errors.append(InputError("ongeldige versie", field=f"{field}.versie", value=versie, allowed="een versienummer >= 1, of volgt: true"))
            continue
        try:
            target = repo.get_document(session, document_id=ident, kind=f.ref.kind)
            number = target.current_version if (volgt or versie is None or current) else versie
            stored = repo.get_version(session, document_id=ident, number=number)
        except repo.NotFoundError as exc:
            errors.append(InputError(exc.message, field=f"{field}.{'versie' if exc.field == 'version' else 'id'}", value=exc.ident,
                                     allowed=f"een opgeslagen {get_kind(f.ref.kind).label.lower()} (GET /api/{f.ref.kind}) en een bestaande versie"))
            continue
        f.holder[f.ref.into] = copy.deepcopy(stored.data)
        f.holder[f.ref.key] = {"id": ident, "versie": number, "volgt": volgt}
        if f.ref.sync is not None:
            f.ref.sync(f.holder, {"id": ident, "versie": number, "bbv_status": target.bbv_status, "closing": target.closing})
        links.append({"target_id": ident, "path": field, "version": number, "follows": volgt})
    if errors:
        raise InputErrors(errors)
    return out, links


def link_status(session: Session, document: Document) -> list[dict[str, Any]]:
    """The references of a stored document: which document and version it uses, the current version, whether it
    follows, whether it is up to date (``actueel``) and a Dutch sentence for the page banner."""
    out = []
    for ln in repo.links_of(session, document_id=document.id):
        try:
            target = repo.get_document(session, document_id=ln.target_id, include_deleted=True)
        except repo.NotFoundError:
            target = None
        row: dict[str, Any] = {"pad": ln.path, "document_id": ln.target_id, "versie": ln.version, "volgt": ln.follows}
        if target is None:
            row.update(kind=None, naam=None, huidige_versie=None, actueel=False, bestaat=False,
                       melding=f"Gebruikt document {ln.target_id} versie {ln.version}; dat document bestaat niet meer (de ingebedde versie blijft gebruikt).")
        else:
            label = get_kind(target.kind).label.lower() if target.kind else "document"
            deleted = target.deleted_at is not None
            actueel = ln.version == target.current_version and not deleted
            row.update(kind=target.kind, naam=target.name, huidige_versie=target.current_version, actueel=actueel, bestaat=not deleted,
                       status=target.status, bbv_status=target.bbv_status)
            if deleted:
                row["melding"] = f"Gebruikt {label} '{target.name}' (document {target.id}) versie {ln.version}; dat document staat in de prullenbak."
            elif actueel:
                how = "volgt de huidige versie" if ln.follows else "bevroren op de huidige versie"
                row["melding"] = f"Gebruikt {label} '{target.name}' (document {target.id}) versie {ln.version}: {how}."
            elif ln.follows:
                row["melding"] = (f"Volgt {label} '{target.name}' (document {target.id}), maar gebruikt versie {ln.version}; de huidige is "
                                  f"versie {target.current_version}. Bijwerken neemt de huidige versie over.")
            else:
                row["melding"] = (f"Bevroren op versie {ln.version} van {label} '{target.name}' (document {target.id}); de huidige is versie "
                                  f"{target.current_version}. Bijwerken neemt de huidige versie over.")
        out.append(row)
    return out


def update_links(session: Session, *, kind: str, document_id: int, actor: str = "", comment: str = "") -> Any:
    """Take the current version of every referenced document (frozen references stay frozen, at the new version):
    a new version of the document, logged. Nothing to update: :class:`InputError`."""
    from opengrex.services import documents

    doc = repo.get_document(session, document_id=document_id, kind=kind, for_update=True)
    data, links = resolve(session, kind, doc.data, current=True)
    if data == doc.data:
        raise InputError("alle verwijzingen gebruiken al de huidige versie", field="koppelingen", value=document_id, allowed="een document met een verouderde verwijzing")
    before = {ln.path: ln.version for ln in repo.links_of(session, document_id=document_id)}
    changes = {ln["path"]: {"van": before.get(ln["path"]), "naar": ln["version"]} for ln in links if before.get(ln["path"]) != ln["version"]}
    text = comment or "verwijzingen bijgewerkt naar de huidige versie: " + ", ".join(f"document {ln['target_id']} versie {ln['version']}" for ln in links)
    return documents.save_version(session, document_id=document_id, kind=kind, data=data, author=actor, comment=text,
                                  action="koppeling_bijwerken", details={"koppelingen": changes})


def followers(session: Session, target_id: int) -> Iterator[Document]:
    yield from repo.referring_documents(session, target_id=target_id, follows=True)


def propagate(session: Session, target: Document, *, actor: str = "", reason: str = "", skip: set[int] | None = None) -> dict[str, Any]:
    """Write a new version of every document that follows ``target`` (its new version or BBV status), in the caller's
    transaction. Documents that cannot be edited now (archived, afgesloten) or no longer validate with the new version
    are left as they are (their page says so) and reported; ``skip``: ids not to touch (the document being saved)."""
    from opengrex.services import documents, lifecycle

    done: list[int] = []
    left: list[dict[str, Any]] = []
    skip = set(skip or ()) | {target.id}
    for doc in followers(session, target.id):
        if doc.id in skip:
            continue
        why = lifecycle.not_editable_reason(doc)
        if why:
            left.append({"id": doc.id, "reden": why})
            continue
        try:
            data, _ = resolve(session, doc.kind, doc.data)
            if data == doc.data:
                continue
            text = f"{get_kind(target.kind).label.lower()} '{target.name}' (document {target.id}) versie {target.current_version} overgenomen"
            with session.begin_nested():
                documents.save_version(session, document_id=doc.id, kind=doc.kind, data=data, author=actor, comment=text + (f"; {reason}" if reason else ""),
                                       action="koppeling_volgen", details={"bron": {"id": target.id, "versie": target.current_version}}, propagate_to_followers=False)
            done.append(doc.id)
        except OpengrexError as exc:
            left.append({"id": doc.id, "reden": str(exc)[:500]})
    return {"bijgewerkt": done, "niet_bijgewerkt": left}


__all__ = ["find", "has_references", "link_status", "propagate", "resolve", "update_links"]
