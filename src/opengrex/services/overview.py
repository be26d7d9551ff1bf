"""The overview of every stored document as a portfolio (issue #11 item 9): status, headline figures with their
units (each kind's registry headlines), boekwaarde and NCW totals over the grondexploitaties (per BBV status too),
and the consolidated cash flow per year (nominal, summed over grexes and programmes); filters and sorting.

The figures are the stored list figures of each document's current version (:mod:`opengrex.services.documents`
stores them with every version); a document stored before a figure existed (the grex's boekwaarde, the yearly cash
flow: migration 0003) is calculated here on the fly, nothing is written (``opengrex db herbereken`` stores them).

Totals are plain sums, as a controller adds them up, and say what they add: the NCW of each grex is contant at its
own NCW-datum, the boekwaarde of each grex is at its own prijspeildatum (the balance date of the BBV, 1-1 after the
balance year), the cash flow is nominal (lopende prijzen) per calendar year.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from opengrex.errors import InputError, OpengrexError
from opengrex.services import lifecycle
from opengrex.services.kinds import KINDS, get_kind
from opengrex.store import repository as repo
from opengrex.store.models import Document

STATUS_FILTERS = ("actief", "gearchiveerd", "alle") + lifecycle.BBV_STATUSSEN
"""``status`` filter values: actief (default: everything not archived), gearchiveerd, alle, or a BBV status."""
SORT_FIXED = ("naam", "soort", "status", "bijgewerkt", "versie")
CASH_FLOW_KINDS = ("grex", "programma")
"""Kinds whose yearly cash flow is consolidated (a portfolio holds grexes of its own: not added again)."""


def _check(kind: str | None, status: str, sorteer: str, volgorde: str) -> None:
    if kind is not None:
        get_kind(kind)
    if status not in STATUS_FILTERS:
        raise InputError("onbekende status", field="status", value=status, allowed=", ".join(STATUS_FILTERS))
    keys = {h.key for k in KINDS.values() for h in k.headlines}
    if sorteer not in SORT_FIXED and sorteer not in keys:
        raise InputError("onbekende sortering", field="sorteer", value=sorteer, allowed=", ".join(SORT_FIXED + tuple(sorted(keys))))
    if volgorde not in ("op", "af"):
        raise InputError("onbekende volgorde", field="volgorde", value=volgorde, allowed="op, af")


def _documents(session: Session, kind: str | None, status: str, q: str | None) -> list[Document]:
    if status == "alle":
        return repo.list_documents(session, kind=kind, q=q, with_data=False)
    if status in lifecycle.STATUSSEN:
        return repo.list_documents(session, kind=kind, q=q, status=status, with_data=False)
    return repo.list_documents(session, kind=kind, q=q, bbv_status=status, with_data=False)


def _figures(doc: Document, warnings: list[str]) -> tuple[dict[str, float], dict[str, float] | None]:
    """The headline and yearly cash flow of the current version; calculated when stored before they existed."""
    headline, flow = dict(doc.headline or {}), doc.cash_flow
    k = KINDS.get(doc.kind)
    if k is None:
        return headline, flow
    missing = (k.cash_flow is not None and flow is None) or any(h.key not in headline for h in k.headlines if doc.kind == "grex" and h.key == "boekwaarde")
    if missing:
        from opengrex.services.documents import prepare

        try:
            p = prepare(kind=doc.kind, data=doc.data, source=f"document {doc.id}")
        except OpengrexError as exc:
            warnings.append(f"{k.label} {doc.id} ({doc.name}) is niet te berekenen: {exc}")
            return headline, flow
        headline = {**p.headline, **headline} if doc.headline else p.headline
        flow = p.cash_flow
    return headline, flow


def row(doc: Document, headline: dict[str, float]) -> dict[str, Any]:
    """One document of the overview: kind, name, version, status (labels), its headline figures with label and unit."""
    k = KINDS.get(doc.kind)
    figures = [{"key": h.key, "label": h.label, "eenheid": h.eenheid, "waarde": headline[h.key]} for h in (k.headlines if k else ()) if h.key in headline]
    info = lifecycle.info(doc)
    return {
        "id": doc.id, "kind": doc.kind, "soort": k.label if k else doc.kind, "naam": doc.name, "versie": doc.current_version,
        "bijgewerkt": doc.updated_at, "status": info["status"], "status_label": info["status_label"], "bbv_status": doc.bbv_status,
        "bbv_status_label": info["bbv_status_label"], "bewerkbaar": info["bewerkbaar"], "url": f"/{doc.kind}/{doc.id}",
        "kerncijfers": figures, "headline": headline,
    }


def _sort_key(sorteer: str):
    def key(r: dict[str, Any]) -> Any:
        if sorteer == "naam":
            return (0, r["naam"].casefold())
        if sorteer == "soort":
            return (0, r["soort"].casefold(), r["naam"].casefold())
        if sorteer == "status":
            return (0, (r["bbv_status_label"] or r["status_label"] or "").casefold(), r["naam"].casefold())
        if sorteer == "bijgewerkt":
            t = r["bijgewerkt"]
            return (0, t.replace(tzinfo=None) if isinstance(t, dt.datetime) else t)
        if sorteer == "versie":
            return (0, r["versie"])
        v = r["headline"].get(sorteer)
        return (0, v) if v is not None else (1, 0.0)
    return key


def overview(session: Session, *, kind: str | None = None, status: str = "actief", q: str | None = None, sorteer: str = "bijgewerkt",
             volgorde: str = "af") -> dict[str, Any]:
    """Every document (not in the bin) matching the filters, sorted, with the totals and the cash flow per year of
    what is listed. Documents without the sort figure come last whatever the order."""
    _check(kind, status, sorteer, volgorde)
    warnings: list[str] = []
    rows: list[dict[str, Any]] = []
    flows: dict[str, dict[int, float]] = {k: {} for k in CASH_FLOW_KINDS}
    counted: dict[str, int] = {k: 0 for k in CASH_FLOW_KINDS}
    for doc in _documents(session, kind, status, q):
        headline, flow = _figures(doc, warnings)
        rows.append(row(doc, headline))
        if doc.kind in flows and flow:
            counted[doc.kind] += 1
            for y, v in flow.items():
                flows[doc.kind][int(y)] = flows[doc.kind].get(int(y), 0.0) + float(v)
    with_value = [r for r in rows if _sort_key(sorteer)(r)[0] == 0]
    without = [r for r in rows if _sort_key(sorteer)(r)[0] == 1]
    with_value.sort(key=_sort_key(sorteer), reverse=(volgorde == "af"))
    rows = with_value + without
    return {
        "filters": {"kind": kind, "status": status, "q": q or "", "sorteer": sorteer, "volgorde": volgorde},
        "aantal": len(rows),
        "documenten": rows,
        "grondexploitaties": grex_totals(rows),
        "kasstroom": cash_flow_table(flows, counted),
        "waarschuwingen": warnings,
        "soorten": [{"kind": k.name, "label": k.label} for k in KINDS.values()],
        "statussen": [{"waarde": s, "label": lifecycle.LABELS.get(s, "Alle (behalve de prullenbak)")} for s in STATUS_FILTERS],
    }


def grex_totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Boekwaarde and NCW summed over the listed grondexploitaties, in total and per BBV status."""
    grexes = [r for r in rows if r["kind"] == "grex"]

    def total(sel: list[dict[str, Any]]) -> dict[str, Any]:
        return {"aantal": len(sel),
                "boekwaarde": sum(r["headline"].get("boekwaarde", 0.0) for r in sel),
                "ncw": sum(r["headline"].get("ncw", 0.0) for r in sel),
                "eindwaarde": sum(r["headline"].get("eindwaarde", 0.0) for r in sel),
                "saldo_nominaal": sum(r["headline"].get("saldo_nominaal", 0.0) for r in sel)}

    return {
        **total(grexes),
        "per_bbv_status": {s: total([r for r in grexes if r["bbv_status"] == s]) | {"label": lifecycle.LABELS[s]} for s in lifecycle.BBV_STATUSSEN},
        "eenheden": {"boekwaarde": "EUR nominaal, elk op de eigen prijspeildatum", "ncw": "EUR contant, elk per de eigen NCW-datum",
                     "eindwaarde": "EUR nominaal, elk per 31-12 van het eigen eindjaar", "saldo_nominaal": "EUR nominaal"},
    }


def cash_flow_table(flows: dict[str, dict[int, float]], counted: dict[str, int]) -> dict[str, Any]:
    """The consolidated net cash flow per calendar year [EUR nominal]: per kind and in total, with the cumulative."""
    years = sorted({y for f in flows.values() for y in f})
    per_kind = {k: [flows[k].get(y, 0.0) for y in years] for k in flows}
    totaal = [sum(per_kind[k][i] for k in per_kind) for i in range(len(years))]
    cumulatief, acc = [], 0.0
    for v in totaal:
        acc += v
        cumulatief.append(acc)
    return {"jaren": years, "per_soort": per_kind, "totaal": totaal, "cumulatief": cumulatief, "documenten": counted,
            "eenheid": "EUR nominaal (lopende prijzen), saldo opbrengsten min kosten per kalenderjaar",
            "labels": {k: KINDS[k].menu_label if k in KINDS else k for k in flows}}


__all__ = ["CASH_FLOW_KINDS", "STATUS_FILTERS", "overview"]
