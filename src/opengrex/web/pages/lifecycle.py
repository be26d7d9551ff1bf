"""Lifecycle pages of every kind: the status bar with its actions on each document page (``_levenscyclus.html``),
delete with confirmation (to the bin), archive, restore, duplicate, update references, the audit trail
(``/<kind>/<id>/audit``), the bin (``/prullenbak``), and for a grondexploitatie openen, afsluiten (booking) and
heropenen (with a reason). Every action is one transaction through :mod:`opengrex.services.lifecycle`; a refused
action shows why (the status, what is allowed) and writes nothing."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from opengrex.errors import InputError, InputErrors, OpengrexError
from opengrex.formatting import eur
from opengrex.services import lifecycle
from opengrex.services.kinds import get_kind
from opengrex.services.references import link_status, update_links
from opengrex.store import repository as repo
from opengrex.store.models import Document
from opengrex.web.pages.context import can_edit, db_of, login_required, page_user, parse_id, see_other
from opengrex.web.pages.render import error_page, not_found, page

router = APIRouter(include_in_schema=False)

MELDINGEN = {
    "archiveren": "Gearchiveerd: het document is alleen nog te lezen; haal het uit het archief om het te wijzigen.",
    "dearchiveren": "Uit het archief gehaald: het document is weer te wijzigen.",
    "herstellen": "Hersteld uit de prullenbak.",
    "dupliceren": "Kopie gemaakt (versie 1).",
    "openen": "Geopend: de grondexploitatie is in exploitatie.",
    "afsluiten": "Afgesloten: het eindresultaat is geboekt en de grondexploitatie is bevroren.",
    "heropenen": "Heropend: de grondexploitatie is weer in exploitatie; de reden staat in de audittrail.",
    "koppelingen": "Verwijzingen bijgewerkt naar de huidige versie (nieuwe versie opgeslagen).",
    "aangemaakt": "Opgeslagen als versie 1.",
}
"""Flash messages after an action (``?actie=`` on the page the action returns to)."""


def _actor(request: Request) -> str:
    u = page_user(request)
    return u.name if u is not None else ""


# ---------------------------------------------------------------------------------------------- context for detail pages
def context(session: Session, doc: Document, request: Request | None = None) -> dict[str, Any]:
    """What ``_levenscyclus.html`` shows on a document page: status, why it cannot be edited, the booking of its
    afsluiting, its references (banner: followed / frozen at version N, offer to update) and the actions allowed."""
    k = get_kind(doc.kind)
    ctx = {
        "info": lifecycle.info(doc), "kind": doc.kind, "id": doc.id, "basis": f"/{doc.kind}/{doc.id}", "label": k.label, "naam": doc.name,
        "koppelingen": link_status(session, doc) if k.references else [], "fasen": k.phases,
        "verwijzers": [{"id": d.id, "kind": d.kind, "naam": d.name} for d in repo.referring_documents(session, target_id=doc.id)],
    }
    if request is not None:
        ctx["melding"] = MELDINGEN.get(request.query_params.get("actie", ""))
    return ctx


def _doc(request: Request, kind: str, doc_id: str, include_deleted: bool = False) -> tuple[int, dict[str, Any]] | Response:
    n = parse_id(doc_id)
    if n is None:
        return not_found(request, get_kind(kind).label, doc_id)
    try:
        with db_of(request).transaction() as s:
            doc = repo.get_document(s, document_id=n, kind=kind, include_deleted=include_deleted)
            return n, context(s, doc, request)
    except repo.NotFoundError as exc:
        return error_page(request, "Niet gevonden", exc.message[:1].upper() + exc.message[1:] + ".", 404)


def _refused(request: Request, exc: Exception, back: str) -> Response:
    """A refused action as a page: 409 (status) or 422 (input), with the message and the way back."""
    if isinstance(exc, lifecycle.StatusError):
        return error_page(request, "Niet toegestaan", f"{exc.message[:1].upper()}{exc.message[1:]}. Toegestaan: {exc.allowed}. Er is niets gewijzigd.", 409)
    if isinstance(exc, repo.ConflictError):
        return error_page(request, "Intussen gewijzigd", f"{exc.message}. Er is niets gewijzigd.", 409)
    if isinstance(exc, repo.NotFoundError):
        return error_page(request, "Niet gevonden", exc.message[:1].upper() + exc.message[1:] + ".", 404)
    errs = exc.errors if isinstance(exc, InputErrors) else [exc]
    return error_page(request, "Niet uitgevoerd", " ".join(str(e) for e in errs) + ". Er is niets gewijzigd.", 422)


async def _act(request: Request, kind: str, doc_id: str, run: Callable[[Session, int, str, Any], Any], then: Callable[[int, Any], str]) -> Response:
    """A POSTed action: editors only, one transaction, then a redirect (``then(id, result)``) or the refusal page."""
    if (r := login_required(request)) is not None:
        return r
    n = parse_id(doc_id)
    if n is None:
        return not_found(request, get_kind(kind).label, doc_id)
    if not can_edit(request):
        return error_page(request, "Geen rechten", "Alleen een bewerker (rol editor) mag de status van een document wijzigen.", 403)
    form = await request.form(max_fields=20)
    try:
        with db_of(request).transaction() as s:
            result = run(s, n, _actor(request), form)
    except (OpengrexError, repo.NotFoundError) as exc:
        return _refused(request, exc, f"/{kind}/{n}")
    return see_other(then(n, result))


def _text(form: Any, key: str) -> str:
    return str(form.get(key) or "").strip()[:2000]


# ---------------------------------------------------------------------------------------------- routes per kind
def register_lifecycle(r: APIRouter, kind: str) -> None:
    """The lifecycle page routes of one kind."""
    k = get_kind(kind)

    @r.post(f"/{kind}/{{doc_id}}/archiveren", response_class=HTMLResponse, name=f"{kind}_archiveren")
    async def archive(request: Request, doc_id: str) -> Response:
        return await _act(request, kind, doc_id, lambda s, n, a, f: lifecycle.archive(s, document_id=n, kind=kind, actor=a, comment=_text(f, "toelichting")),
                          lambda n, _: f"/{kind}/{n}?actie=archiveren")

    @r.post(f"/{kind}/{{doc_id}}/dearchiveren", response_class=HTMLResponse, name=f"{kind}_dearchiveren")
    async def unarchive(request: Request, doc_id: str) -> Response:
        return await _act(request, kind, doc_id, lambda s, n, a, f: lifecycle.unarchive(s, document_id=n, kind=kind, actor=a, comment=_text(f, "toelichting")),
                          lambda n, _: f"/{kind}/{n}?actie=dearchiveren")

    @r.post(f"/{kind}/{{doc_id}}/dupliceren", response_class=HTMLResponse, name=f"{kind}_dupliceren")
    async def duplicate(request: Request, doc_id: str) -> Response:
        return await _act(request, kind, doc_id, lambda s, n, a, f: lifecycle.duplicate(s, document_id=n, kind=kind, actor=a, comment=_text(f, "toelichting")).id,
                          lambda n, new_id: f"/{kind}/{new_id}?actie=dupliceren")

    @r.post(f"/{kind}/{{doc_id}}/herstellen", response_class=HTMLResponse, name=f"{kind}_herstellen")
    async def restore(request: Request, doc_id: str) -> Response:
        return await _act(request, kind, doc_id, lambda s, n, a, f: lifecycle.restore(s, document_id=n, kind=kind, actor=a, comment=_text(f, "toelichting")),
                          lambda n, _: f"/{kind}/{n}?actie=herstellen")

    @r.get(f"/{kind}/{{doc_id}}/verwijderen", response_class=HTMLResponse, name=f"{kind}_verwijderen_bevestigen")
    def confirm_delete(request: Request, doc_id: str) -> Response:
        """The confirmation page of a delete (no JavaScript needed): what happens, for how long it can be restored."""
        if (r_ := login_required(request)) is not None:
            return r_
        got = _doc(request, kind, doc_id)
        if isinstance(got, Response):
            return got
        _, lc = got
        return page(request, "verwijderen.html", {"lc": lc, "dagen": lifecycle.BIN_DAYS}, active=_active(kind))

    @r.post(f"/{kind}/{{doc_id}}/verwijderen", response_class=HTMLResponse, name=f"{kind}_verwijderen")
    async def delete(request: Request, doc_id: str) -> Response:
        return await _act(request, kind, doc_id, lambda s, n, a, f: lifecycle.delete(s, document_id=n, kind=kind, actor=a, comment=_text(f, "toelichting")),
                          lambda n, _: f"/prullenbak?verwijderd={n}")

    @r.get(f"/{kind}/{{doc_id}}/audit", response_class=HTMLResponse, name=f"{kind}_audit")
    def audit(request: Request, doc_id: str) -> Response:
        """Who changed what and when (also for a document in the bin or purged)."""
        if (r_ := login_required(request)) is not None:
            return r_
        n = parse_id(doc_id)
        if n is None:
            return not_found(request, k.label, doc_id)
        try:
            with db_of(request).transaction() as s:
                entries = lifecycle.audit_trail(s, document_id=n, kind=kind)
                try:
                    doc = repo.get_document(s, document_id=n, kind=kind, include_deleted=True)
                    lc = context(s, doc, request)
                except repo.NotFoundError:
                    lc = {"id": n, "kind": kind, "naam": entries[-1]["naam"], "label": k.label, "basis": f"/{kind}/{n}", "info": None}
        except repo.NotFoundError:
            return not_found(request, k.label, doc_id)
        return page(request, "audit.html", {"lc": lc, "regels": [_audit_row(e) for e in reversed(entries)]}, active=_active(kind))

    if k.references:
        @r.post(f"/{kind}/{{doc_id}}/koppelingen/bijwerken", response_class=HTMLResponse, name=f"{kind}_koppelingen_bijwerken")
        async def update(request: Request, doc_id: str) -> Response:
            return await _act(request, kind, doc_id, lambda s, n, a, f: update_links(s, kind=kind, document_id=n, actor=a, comment=_text(f, "toelichting")),
                              lambda n, _: f"/{kind}/{n}?actie=koppelingen")

    if k.phases:
        @r.post(f"/{kind}/{{doc_id}}/openen", response_class=HTMLResponse, name=f"{kind}_openen")
        async def open_(request: Request, doc_id: str) -> Response:
            return await _act(request, kind, doc_id, lambda s, n, a, f: lifecycle.open_grex(s, document_id=n, kind=kind, actor=a, comment=_text(f, "toelichting")),
                              lambda n, _: f"/{kind}/{n}?actie=openen")

        @r.get(f"/{kind}/{{doc_id}}/afsluiten", response_class=HTMLResponse, name=f"{kind}_afsluiten_formulier")
        def close_form(request: Request, doc_id: str) -> Response:
            if (r_ := login_required(request)) is not None:
                return r_
            got = _doc(request, kind, doc_id)
            if isinstance(got, Response):
                return got
            return page(request, "afsluiten.html", {"lc": got[1], "waarden": {}, "fouten": []}, active=_active(kind))

        @r.post(f"/{kind}/{{doc_id}}/afsluiten", response_class=HTMLResponse, name=f"{kind}_afsluiten")
        async def close(request: Request, doc_id: str) -> Response:
            return await _form_action(request, kind, doc_id, "afsluiten.html", _close)

        @r.get(f"/{kind}/{{doc_id}}/heropenen", response_class=HTMLResponse, name=f"{kind}_heropenen_formulier")
        def reopen_form(request: Request, doc_id: str) -> Response:
            if (r_ := login_required(request)) is not None:
                return r_
            got = _doc(request, kind, doc_id)
            if isinstance(got, Response):
                return got
            return page(request, "heropenen.html", {"lc": got[1], "waarden": {}, "fouten": []}, active=_active(kind))

        @r.post(f"/{kind}/{{doc_id}}/heropenen", response_class=HTMLResponse, name=f"{kind}_heropenen")
        async def reopen(request: Request, doc_id: str) -> Response:
            return await _form_action(request, kind, doc_id, "heropenen.html",
                                      lambda s, n, a, f: lifecycle.reopen(s, document_id=n, kind=kind, actor=a, reden=_text(f, "reden")))


def _active(kind: str) -> str:
    k = get_kind(kind)
    return f"/{k.listed_under or k.name}"


def _number(form: Any, key: str, cast: Callable[[str], Any]) -> Any:
    """A number from a form field in nl-NL notation (``125.000,50``; dots only as thousands separators)."""
    import re

    raw = str(form.get(key) or "").strip().replace("€", "").replace(" ", "")
    if not raw:
        return None
    text = raw
    if cast is float and ("," in raw or re.fullmatch(r"-?\d{1,3}(\.\d{3})+", raw)):
        text = raw.replace(".", "").replace(",", ".")
    try:
        return cast(text)
    except ValueError:
        raise InputError("geen geldig getal", field=key, value=raw, allowed="een getal in nl-NL notatie, bijv. 125000 of 125.000,50") from None


def _close(s: Session, n: int, actor: str, form: Any) -> Any:
    datum = str(form.get("datum") or "").strip()
    try:
        when = dt.date.fromisoformat(datum) if datum else None
    except ValueError:
        raise InputError("geen geldige datum", field="datum", value=datum, allowed="jjjj-mm-dd") from None
    return lifecycle.close(s, document_id=n, kind="grex", actor=actor, toelichting=_text(form, "toelichting"), balansjaar=_number(form, "balansjaar", int),
                           voorziening_vorig=_number(form, "voorziening_vorig", float), winst_vorig=_number(form, "winst_vorig", float), datum=when)


async def _form_action(request: Request, kind: str, doc_id: str, template: str, run: Callable[[Session, int, str, Any], Any]) -> Response:
    """An action with a form of its own (afsluiten, heropenen): errors are shown in that form, values kept."""
    if (r := login_required(request)) is not None:
        return r
    got = _doc(request, kind, doc_id)
    if isinstance(got, Response):
        return got
    n, lc = got
    if not can_edit(request):
        return error_page(request, "Geen rechten", "Alleen een bewerker (rol editor) mag de status van een document wijzigen.", 403)
    form = await request.form(max_fields=20)
    values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    try:
        with db_of(request).transaction() as s:
            run(s, n, _actor(request), form)
    except lifecycle.StatusError as exc:
        return page(request, template, {"lc": lc, "waarden": values, "fouten": [f"{exc.message}; toegestaan: {exc.allowed}"]}, status_code=409, active=_active(kind))
    except OpengrexError as exc:
        errs = exc.errors if isinstance(exc, InputErrors) else [exc]
        return page(request, template, {"lc": lc, "waarden": values, "fouten": [str(e) for e in errs]}, status_code=422, active=_active(kind))
    action = "afsluiten" if template.startswith("afsluiten") else "heropenen"
    return see_other(f"/{kind}/{n}?actie={action}")


def _audit_row(e: dict[str, Any]) -> dict[str, Any]:
    """An audit entry for the page: the details as Dutch phrases (status from → to, booking in euros, copies)."""

    parts: list[str] = []
    d = e["details"] or {}
    for key in ("status", "bbv_status"):
        if isinstance(d.get(key), dict):
            parts.append(f"{lifecycle.LABELS.get(d[key]['van'] or '', d[key]['van'] or '–')} → {lifecycle.LABELS.get(d[key]['naar'] or '', d[key]['naar'])}")
    if isinstance(d.get("bbv_status"), str):
        parts.append(f"BBV-status {lifecycle.LABELS.get(d['bbv_status'], d['bbv_status']).lower()}")
    boeking = d.get("boeking") or {}
    for key, label in (("eindresultaat", "eindresultaat"), ("winst_slot", "winst bij afsluiten"), ("aanwending_voorziening", "aanwending voorziening"),
                       ("vrijval_voorziening", "vrijval voorziening"), ("verlies_ten_laste_van_dit_jaar", "verlies ten laste van dit jaar")):
        if isinstance(boeking.get(key), (int, float)):
            parts.append(f"{label} {eur(boeking[key])}")
    if boeking.get("bron"):
        parts.append(f"voorziening en winst vorig jaar: {boeking['bron']}")
    if isinstance(d.get("eindresultaat_vervallen"), (int, float)):
        parts.append(f"geboekt eindresultaat {eur(d['eindresultaat_vervallen'])} vervalt")
    if d.get("kopie_van"):
        parts.append(f"kopie van document {d['kopie_van']['id']} versie {d['kopie_van']['versie']}")
    if d.get("kopie"):
        parts.append(f"kopie: document {d['kopie']['id']}")
    if d.get("bron"):
        parts.append(f"overgenomen: document {d['bron']['id']} versie {d['bron']['versie']}")
    if isinstance(d.get("volgers"), dict) and d["volgers"].get("bijgewerkt"):
        parts.append("doorgegeven aan document " + ", ".join(str(i) for i in d["volgers"]["bijgewerkt"]))
    if isinstance(d.get("volgers"), dict) and d["volgers"].get("niet_bijgewerkt"):
        parts.append("niet doorgegeven: " + "; ".join(f"document {x['id']} ({x['reden']})" for x in d["volgers"]["niet_bijgewerkt"]))
    if d.get("koppelingen"):
        parts.append("; ".join(f"{p}: versie {c['van']} → {c['naar']}" for p, c in d["koppelingen"].items()))
    if d.get("jaar"):
        parts.append(f"jaarovergang {d['jaar']}")
    if d.get("grexen"):
        parts.append("nieuwe versies: " + ", ".join(f"{g['naam']} (document {g['id']} versie {g['versie']})" for g in d["grexen"]))
    return {**e, "details_tekst": "; ".join(parts)}


# ---------------------------------------------------------------------------------------------- the bin
@router.get("/prullenbak", response_class=HTMLResponse)
def bin_page(request: Request, verwijderd: str | None = None) -> Response:
    if (r := login_required(request)) is not None:
        return r
    with db_of(request).transaction() as s:
        rows = lifecycle.bin_contents(s)
    for row in rows:
        k = get_kind(row["kind"]) if row["kind"] else None
        row["soort"] = k.label if k else row["kind"]
    melding = None
    n = parse_id(verwijderd) if verwijderd else None
    if n is not None:
        name = next((f"'{r['naam']}' ({r['soort'].lower()} {n})" for r in rows if r["id"] == n), f"Document {n}")
        melding = f"{name[:1].upper()}{name[1:]} staat in de prullenbak; het kan {lifecycle.BIN_DAYS} dagen worden hersteld."
    return page(request, "prullenbak.html", {"rijen": rows, "dagen": lifecycle.BIN_DAYS, "melding_ok": melding}, active="/")


__all__ = ["MELDINGEN", "context", "register_lifecycle", "router"]
