"""The lifecycle of stored documents (issue #11 item 8, #14 item 6): status, archive, the bin, duplicate, the BBV
states of a grondexploitatie (openen, afsluiten, heropenen) and the audit trail.

Every document is ``actief`` or ``gearchiveerd``; a grondexploitatie is also ``in_voorbereiding``, ``in_exploitatie``
or ``afgesloten`` (bbv.md "Lifecycle"). Rules:

- An archived document and a closed grex cannot be edited (:class:`StatusError`, HTTP 409, naming the status): take
  the document out of the archive, or re-open the grex — an explicit action with a reason, logged.
- Afsluiten books the final result of a fully realised grex (:func:`opengrex.services.bbv.close_grex`: profit not yet
  taken, use or release of the voorziening) and freezes it; the booking is kept with the document and in the trail.
- Delete moves a document to the bin: recoverable for :data:`BIN_DAYS` days, then purged (``opengrex db opschonen``
  and at start-up). A closed grex is not deleted (its booked result belongs to the annual accounts): re-open it first.
- Duplicate makes a new document, version 1, "Kopie van …" (a grex copy starts in voorbereiding).
- Every action is one transaction (the caller's ``db.transaction()``) and one audit entry; a refused action writes
  nothing.
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Any

from sqlalchemy.orm import Session

from opengrex.errors import InputError, OpengrexError
from opengrex.services.kinds import get_kind
from opengrex.store import repository as repo
from opengrex.store.models import Document

ACTIEF, GEARCHIVEERD = "actief", "gearchiveerd"
STATUSSEN = (ACTIEF, GEARCHIVEERD)
IN_VOORBEREIDING, IN_EXPLOITATIE, AFGESLOTEN = "in_voorbereiding", "in_exploitatie", "afgesloten"
BBV_STATUSSEN = (IN_VOORBEREIDING, IN_EXPLOITATIE, AFGESLOTEN)
BIN_DAYS = 30
"""Days a deleted document stays in the bin before it is purged."""

LABELS = {
    ACTIEF: "Actief", GEARCHIVEERD: "Gearchiveerd", IN_VOORBEREIDING: "In voorbereiding", IN_EXPLOITATIE: "In exploitatie", AFGESLOTEN: "Afgesloten",
    "verwijderd": "In de prullenbak",
}
ACTIES = {
    "aanmaken": "Aangemaakt", "nieuwe_versie": "Nieuwe versie", "archiveren": "Gearchiveerd", "dearchiveren": "Uit het archief gehaald",
    "verwijderen": "Naar de prullenbak", "herstellen": "Hersteld uit de prullenbak", "opschonen": "Definitief verwijderd (prullenbak opgeschoond)",
    "dupliceren": "Gedupliceerd", "openen": "Geopend (in exploitatie)", "afsluiten": "Afgesloten", "heropenen": "Heropend",
    "koppeling_bijwerken": "Verwijzingen bijgewerkt", "koppeling_volgen": "Nieuwe versie van een gevolgd document overgenomen",
    "jaarovergang": "Jaarovergang",
}
"""Dutch labels of the audit actions."""


class StatusError(repo.ConflictError):
    """An action the document's status does not allow (editing a closed grex or an archived document, closing a grex
    that is not in exploitatie): HTTP 409 naming the status and what is allowed."""

    def __init__(self, document_id: int, status: str, message: str, allowed: str) -> None:
        self.document_id, self.status, self.allowed = document_id, status, allowed
        self.base_version = self.current_version = None  # type: ignore[assignment]
        self.message = message
        OpengrexError.__init__(self, f"{message}; toegestaan: {allowed}")

    def as_dict(self) -> dict[str, Any]:
        return {"message": self.message, "field": "status", "value": self.status, "allowed": self.allowed, "detail": str(self)}


# ---------------------------------------------------------------------------------------------- state
def phase_of(doc: Document) -> str:
    """The state that matters for editing: ``afgesloten``, ``gearchiveerd`` or ``actief``."""
    if doc.bbv_status == AFGESLOTEN:
        return AFGESLOTEN
    return doc.status or ACTIEF


def not_editable_reason(doc: Document) -> str | None:
    """Why ``doc`` cannot be edited now (Dutch), or ``None``."""
    label = get_kind(doc.kind).label.lower() if doc.kind else "document"
    if doc.deleted_at is not None:
        return f"{label} {doc.id} staat in de prullenbak"
    if doc.bbv_status == AFGESLOTEN:
        return f"{label} {doc.id} is afgesloten (status afgesloten) en kan niet worden gewijzigd"
    if doc.status == GEARCHIVEERD:
        return f"{label} {doc.id} is gearchiveerd (status gearchiveerd) en kan niet worden gewijzigd"
    return None


def check_editable(doc: Document) -> None:
    """:class:`StatusError` unless ``doc`` may get a new version."""
    why = not_editable_reason(doc)
    if why is None:
        return
    if doc.bbv_status == AFGESLOTEN:
        raise StatusError(doc.id, AFGESLOTEN, why, f"heropen de grondexploitatie eerst, met een reden (POST /api/{doc.kind}/{doc.id}/heropenen, "
                                                   f"de knop 'Heropenen' of 'opengrex db heropenen {doc.id} --reden …')")
    raise StatusError(doc.id, GEARCHIVEERD, why, f"haal het document eerst uit het archief (POST /api/{doc.kind}/{doc.id}/dearchiveren)")


def info(doc: Document, now: dt.datetime | None = None) -> dict[str, Any]:
    """The lifecycle state of a document for the API and the pages (Dutch labels)."""
    k = get_kind(doc.kind) if doc.kind else None
    out: dict[str, Any] = {
        "status": doc.status or ACTIEF, "status_label": LABELS.get(doc.status or ACTIEF, doc.status),
        "bbv_status": doc.bbv_status, "bbv_status_label": LABELS.get(doc.bbv_status or "", None),
        "bewerkbaar": not_editable_reason(doc) is None, "reden": not_editable_reason(doc),
        "fasen": list(k.phases) if k is not None else [], "afsluiting": doc.closing,
        "verwijderd_op": doc.deleted_at, "verwijderd_door": doc.deleted_by or None,
    }
    if doc.deleted_at is not None:
        out["definitief_verwijderd_op"] = purge_date(doc)
    return out


def purge_date(doc: Document) -> dt.datetime | None:
    return None if doc.deleted_at is None else doc.deleted_at + dt.timedelta(days=BIN_DAYS)


def _get(session: Session, document_id: int, kind: str | None, **kw: Any) -> Document:
    return repo.get_document(session, document_id=document_id, kind=kind, for_update=True, **kw)


def _grex(session: Session, document_id: int, kind: str | None) -> Document:
    doc = _get(session, document_id, kind)
    if not get_kind(doc.kind).phases:
        raise InputError("alleen een grondexploitatie heeft een BBV-status", field="kind", value=doc.kind, allowed="grex")
    return doc


# ---------------------------------------------------------------------------------------------- actions (every kind)
def archive(session: Session, *, document_id: int, kind: str | None = None, actor: str = "", comment: str = "") -> Document:
    """Archive a document (read-only until it is taken out of the archive)."""
    doc = _get(session, document_id, kind)
    if doc.status == GEARCHIVEERD:
        raise StatusError(doc.id, GEARCHIVEERD, f"document {doc.id} is al gearchiveerd", "een actief document")
    repo.set_status(session, document=doc, action="archiveren", actor=actor, comment=comment, status=GEARCHIVEERD)
    return doc


def unarchive(session: Session, *, document_id: int, kind: str | None = None, actor: str = "", comment: str = "") -> Document:
    doc = _get(session, document_id, kind)
    if doc.status != GEARCHIVEERD:
        raise StatusError(doc.id, doc.status, f"document {doc.id} is niet gearchiveerd", "een gearchiveerd document")
    repo.set_status(session, document=doc, action="dearchiveren", actor=actor, comment=comment, status=ACTIEF)
    return doc


def delete(session: Session, *, document_id: int, kind: str | None = None, actor: str = "", comment: str = "") -> Document:
    """Move a document to the bin (recoverable for :data:`BIN_DAYS` days)."""
    doc = _get(session, document_id, kind)
    if doc.bbv_status == AFGESLOTEN:
        raise StatusError(doc.id, AFGESLOTEN, f"grondexploitatie {doc.id} is afgesloten: het geboekte eindresultaat hoort bij de jaarrekening en wordt niet verwijderd",
                          "archiveer de grondexploitatie, of heropen haar eerst")
    repo.move_to_bin(session, document=doc, actor=actor, comment=comment)
    return doc


def restore(session: Session, *, document_id: int, kind: str | None = None, actor: str = "", comment: str = "") -> Document:
    doc = _get(session, document_id, kind, include_deleted=True)
    if doc.deleted_at is None:
        raise StatusError(doc.id, doc.status, f"document {doc.id} staat niet in de prullenbak", "een verwijderd document (GET /api/prullenbak)")
    repo.restore_from_bin(session, document=doc, actor=actor, comment=comment)
    return doc


def bin_contents(session: Session, *, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """The documents in the bin, most recently deleted first, with the date they will be purged."""
    now = now or repo.now()
    rows = []
    for d in sorted(repo.list_documents(session, deleted=True), key=lambda d: _aware(d.deleted_at), reverse=True):
        purge = _aware(purge_date(d))
        rows.append({"id": d.id, "kind": d.kind, "naam": d.name, "versie": d.current_version, "verwijderd_op": d.deleted_at, "verwijderd_door": d.deleted_by,
                     "definitief_verwijderd_op": purge, "dagen_over": max(0, math.ceil((purge - _aware(now)).total_seconds() / 86400))})
    return rows


def _aware(t: dt.datetime | None) -> dt.datetime:
    if t is None:
        return dt.datetime.min.replace(tzinfo=dt.UTC)
    return t if t.tzinfo is not None else t.replace(tzinfo=dt.UTC)


def purge_expired(session: Session, *, now: dt.datetime | None = None, days: int = BIN_DAYS, actor: str = "opengrex") -> list[str]:
    """Remove for good every document that has been in the bin for more than ``days`` days (their audit trail stays,
    with the purge recorded). Returns ``kind id (name)`` of each purged document."""
    now = now or repo.now()
    out = []
    for doc in repo.expired_in_bin(session, before=now - dt.timedelta(days=days)):
        out.append(f"{doc.kind} {doc.id} ({doc.name})")
        repo.purge_document(session, document=doc, actor=actor, comment=f"langer dan {days} dagen in de prullenbak")
    return out


def duplicate(session: Session, *, document_id: int, kind: str | None = None, actor: str = "", comment: str = "", name: str | None = None) -> Document:
    """A new document (version 1) with the content of the current version, called "Kopie van …"."""
    from opengrex.services import documents

    src = _get(session, document_id, kind)
    k = get_kind(src.kind)
    model = k.validate(src.data, f"document {src.id}")
    model = k.rename(model, name or f"Kopie van {src.name}")
    copy_ = documents.create(session, kind=src.kind, model=model, author=actor, comment=comment or f"kopie van document {src.id} versie {src.current_version}",
                             source=f"kopie van document {src.id}", action="aanmaken", details={"kopie_van": {"id": src.id, "versie": src.current_version, "naam": src.name}})
    repo.add_audit(session, document=src, action="dupliceren", actor=actor, comment=comment, version=src.current_version, details={"kopie": {"id": copy_.id, "naam": copy_.name}})
    session.flush()
    return copy_


# ---------------------------------------------------------------------------------------------- grondexploitatie (BBV)
def open_grex(session: Session, *, document_id: int, kind: str | None = "grex", actor: str = "", comment: str = "") -> Document:
    """In voorbereiding -> in exploitatie (the council decision; BBV: from now on valued as BIE)."""
    doc = _grex(session, document_id, kind)
    if doc.bbv_status != IN_VOORBEREIDING:
        raise StatusError(doc.id, doc.bbv_status or "", f"grondexploitatie {doc.id} is niet in voorbereiding (status {doc.bbv_status})", IN_VOORBEREIDING)
    check_editable(doc)
    repo.set_status(session, document=doc, action="openen", actor=actor, comment=comment, bbv_status=IN_EXPLOITATIE)
    _propagate(session, doc, actor, "geopend")
    return doc


def close(
    session: Session, *, document_id: int, kind: str | None = "grex", actor: str = "", toelichting: str = "", balansjaar: int | None = None,
    voorziening_vorig: float | None = None, winst_vorig: float | None = None, datum: dt.date | None = None,
) -> dict[str, Any]:
    """Afsluiten: book the final result of a fully realised grex in exploitatie and freeze it.

    The booking is :func:`opengrex.services.bbv.close_grex`'s (eindresultaat, winst_slot or aanwending/vrijval of
    the voorziening). Last year's voorziening and profit taken come from the arguments, else from the one stored
    portfolio that holds this grex, else 0 (stated in ``bron``). Returns the booking as stored."""
    from opengrex.services import bbv

    doc = _grex(session, document_id, kind)
    if doc.bbv_status != IN_EXPLOITATIE:
        raise StatusError(doc.id, doc.bbv_status or "", f"alleen een grondexploitatie in exploitatie kan worden afgesloten; document {doc.id} is {LABELS.get(doc.bbv_status or '', doc.bbv_status)}".lower(),
                          "in_exploitatie (open haar eerst)" if doc.bbv_status == IN_VOORBEREIDING else "in_exploitatie")
    check_editable(doc)
    k = get_kind(doc.kind)
    grex = k.validate(doc.data, f"document {doc.id}")
    entry, bron = _portfolio_figures(session, doc)
    if voorziening_vorig is not None or winst_vorig is not None:
        bron = "opgegeven"
    vv = float(voorziening_vorig if voorziening_vorig is not None else entry.get("voorziening_vorig", 0.0))
    wv = float(winst_vorig if winst_vorig is not None else entry.get("winst_vorig", 0.0))
    jaar = balansjaar if balansjaar is not None else (grex.realised_through if grex.realised_through is not None else grex.end_year)
    lp = bbv.single_grex_portfolio(grex, jaar, voorziening_vorig=vv, winst_vorig=wv)
    when = datum or repo.now().date()
    try:
        _, booking = bbv.close_grex(lp, lp.names[0], door=actor or "onbekend", toelichting=toelichting, datum=when)
    except InputError as exc:
        if (exc.field or "").endswith("realised_through"):
            raise InputError(f"grondexploitatie {doc.id} is niet gerealiseerd t/m {jaar}: afsluiten kan pas als alle kosten en opbrengsten gerealiseerd zijn",
                             field="gerealiseerd_tot_en_met", value=grex.realised_through,
                             allowed=f"gerealiseerd t/m het eindjaar {grex.end_year} (de jaarovergangen uitgevoerd), of een balansjaar t/m het laatste gerealiseerde jaar") from None
        raise
    closing = {**booking, "balansjaar": jaar, "datum": when.isoformat(), "door": actor, "voorziening_vorig": vv, "winst_vorig": wv, "bron": bron,
               "versie": doc.current_version}
    repo.set_status(session, document=doc, action="afsluiten", actor=actor, comment=toelichting, bbv_status=AFGESLOTEN, closing=closing, details={"boeking": closing})
    _propagate(session, doc, actor, "afgesloten")
    return closing


def reopen(session: Session, *, document_id: int, kind: str | None = "grex", actor: str = "", reden: str = "") -> Document:
    """Heropenen: an explicit action with a reason, logged; the booked final result is kept in the audit trail."""
    doc = _grex(session, document_id, kind)
    if doc.bbv_status != AFGESLOTEN:
        raise StatusError(doc.id, doc.bbv_status or "", f"alleen een afgesloten grondexploitatie kan worden heropend; document {doc.id} is {LABELS.get(doc.bbv_status or '', doc.bbv_status)}".lower(), AFGESLOTEN)
    if not (reden or "").strip():
        raise InputError("heropenen vraagt een reden", field="reden", value=reden, allowed="een toelichting waarom de grondexploitatie wordt heropend")
    if doc.status == GEARCHIVEERD:
        raise StatusError(doc.id, GEARCHIVEERD, f"grondexploitatie {doc.id} is gearchiveerd", f"haal haar eerst uit het archief (POST /api/{doc.kind}/{doc.id}/dearchiveren)")
    vervallen = (doc.closing or {}).get("eindresultaat")
    repo.set_status(session, document=doc, action="heropenen", actor=actor, comment=reden.strip(), bbv_status=IN_EXPLOITATIE, closing=None,
                    details={"eindresultaat_vervallen": vervallen})
    _propagate(session, doc, actor, f"heropend: {reden.strip()}")
    return doc


def _portfolio_figures(session: Session, doc: Document) -> tuple[dict[str, Any], str]:
    """Last year's voorziening and profit of ``doc`` from the one stored portfolio that holds it (else none)."""
    from opengrex.services.references import find

    found = []
    for p in repo.referring_documents(session, target_id=doc.id):
        if p.kind != "portefeuille":
            continue
        for f in find(get_kind(p.kind), p.data):
            if f.holder.get(f.ref.key, {}).get("id") == doc.id:
                found.append((p, f.holder))
    if len(found) == 1:
        p, entry = found[0]
        return entry, f"portefeuille '{p.name}' (document {p.id}, versie {p.current_version})"
    return {}, "geen (opgeslagen) portefeuille met deze grex: voorziening en winstneming vorig jaar 0" if not found else \
        f"{len(found)} portefeuilles met deze grex: voorziening en winstneming vorig jaar 0 (geef ze op)"


def _propagate(session: Session, doc: Document, actor: str, reason: str) -> None:
    from opengrex.services.references import propagate

    propagate(session, doc, actor=actor, reason=reason)


# ---------------------------------------------------------------------------------------------- audit trail
def audit_trail(session: Session, *, document_id: int, kind: str | None = None) -> list[dict[str, Any]]:
    """Who changed what and when, oldest first (also for a document in the bin or purged, while it has entries)."""
    try:
        repo.get_document(session, document_id=document_id, kind=kind, include_deleted=True)
    except repo.NotFoundError:
        entries = repo.list_audit(session, document_id=document_id)
        if not entries or (kind is not None and entries[0].kind != kind):
            raise
    return [
        {"id": e.id, "actie": e.action, "actie_label": ACTIES.get(e.action, e.action), "versie": e.version, "door": e.actor, "op": e.at,
         "toelichting": e.comment, "details": e.details or {}, "naam": e.document_name}
        for e in repo.list_audit(session, document_id=document_id)
    ]


__all__ = [
    "ACTIES", "BBV_STATUSSEN", "BIN_DAYS", "LABELS", "STATUSSEN", "StatusError", "archive", "audit_trail", "bin_contents", "check_editable", "close",
    "delete", "duplicate", "info", "not_editable_reason", "open_grex", "phase_of", "purge_expired", "reopen", "restore", "unarchive",
]
