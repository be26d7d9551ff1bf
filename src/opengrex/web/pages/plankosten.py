"""``/plankosten``: a server-rendered form to describe a plan as the Omgevingsregeling asks, and the result tables
(per hoofdstuk, per product, per onderdeel, the factors) with the source of every figure. The form's fields are
derived from the model (:func:`opengrex.io.xlsx_plankosten.template_fields`: label, unit, help, choices), until the
generic form engine lands. The page only parses the form and presents; the work is in
:mod:`opengrex.services.plankosten`."""
from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from opengrex.errors import InputError, InputErrors
from opengrex.io.xlsx_plankosten import _get, field_value, set_path, template_fields, write_plankosten_xlsx
from opengrex.services import documents
from opengrex.services.lifecycle import info
from opengrex.services.plankosten import calculate_plankosten, plankosten_from_dict, plankosten_to_dict, product_codes
from opengrex.store import repository as repo
from opengrex.web.pages.context import can_edit, db_of, login_required, see_other
from opengrex.web.pages.render import error_page, page, records_table

router = APIRouter(include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SKIP = {"versie"}
"""Fields not on the form (the version follows from the peildatum)."""


def _fields() -> list[dict[str, Any]]:

    out = []
    for f in template_fields():
        key = ".".join(f["path"])
        if key in SKIP:
            continue
        out.append({**f, "key": key, "groep": f["label"].split(" · ")[0] if " · " in f["label"] else "Algemeen",
                    "kort": f["label"].split(" · ")[-1]})
    return out


def _groups(values: dict[str, Any], errors: dict[str, str]) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for f in _fields():
        groups.setdefault(f["groep"], []).append({**f, "waarde": values.get(f["key"], ""), "fout": errors.get(f["key"], "")})
    return [{"titel": k, "velden": v} for k, v in groups.items()]


def _defaults() -> dict[str, Any]:
    return {"peildatum": dt.date.today().isoformat(), "tijdvak": "met", "aanbesteding.vorm": "openbaar", "aanbesteding.aantal": "1"}


def form_values(plan_data: dict[str, Any]) -> dict[str, Any]:
    """A plan (plain data, :func:`opengrex.services.plankosten.plankosten_to_dict`) as the form's values: the page
    shows a stored scan (e.g. the one linked to a kostenverhaal case) filled in, ready to change and recalculate."""

    out: dict[str, Any] = {}
    for f in _fields():
        v = _get(plan_data, f["path"])
        if v is None:
            continue
        if isinstance(v, float):
            v = format(v, "f").rstrip("0").rstrip(".").replace(".", ",")
        out[f["key"]] = v if isinstance(v, (list, bool)) else str(v)
    return out


def _from_form(form: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Form fields -> (plan data, raw values to show again). A section (taxatie, slopen, ...) is only included when
    one of its fields is filled in."""

    raw: dict[str, Any] = {}
    data: dict[str, Any] = {}
    for f in _fields():
        key = f["key"]
        if f["kind"] == "list" and f["choices"]:
            values = form.getlist(key)
            raw[key] = values
            value = values or None
        elif f["kind"] == "bool":
            raw[key] = form.get(key)
            checked = form.get(key) in ("ja", "on", "true")
            value = True if checked else (False if f["required"] else None)
        else:
            raw[key] = form.get(key, "")
            value = field_value(form.get(key), f, f"formulier, veld {key}")
        set_path(data, f["path"], value)
    return data, raw


def _errors(exc: InputError) -> tuple[dict[str, str], list[str]]:
    errs = exc.errors if isinstance(exc, InputErrors) else [exc]
    known = {f["key"] for f in _fields()}
    fields: dict[str, str] = {}
    general: list[str] = []
    for e in errs:
        key = (e.field or "").split("[")[0]
        text = e.message + (f" (toegestaan: {e.allowed})" if e.allowed else "")
        if key in known:
            fields[key] = (fields.get(key, "") + " " + text).strip()
        general.append(f"{e.field or 'invoer'}: {text}")
    return fields, general


def _stored(request: Request) -> list[dict[str, Any]]:
    """The stored plankostenscans (the registry kind ``plankosten``), for the list above the form."""

    with db_of(request).transaction() as s:
        return [{"id": d.id, "naam": d.name, "versie": d.current_version, "bijgewerkt": d.updated_at, "totaal": (d.headline or {}).get("totaal"),
                 **{k: v for k, v in info(d).items() if k in ("status", "status_label")}} for d in repo.list_documents(s, kind="plankosten")]


@router.get("/plankosten", response_class=HTMLResponse)
def plankosten_page(request: Request) -> Response:
    """The stored scans and the form for a new one (the menu item of the kind ``plankosten``)."""
    if (r := login_required(request)) is not None:
        return r
    return page(request, "plankosten.html", _context(_defaults(), {}, [], None) | {"opgeslagen": _stored(request)}, active="/plankosten")


@router.post("/plankosten", response_class=HTMLResponse)
async def plankosten_bereken(request: Request) -> Response:
    if (r := login_required(request)) is not None:
        return r

    form = await request.form()
    data, raw = _from_form(form)
    try:
        result = calculate_plankosten(plankosten_from_dict(data, "formulier"))
    except InputError as exc:
        fields, general = _errors(exc)
        return page(request, "plankosten.html", _context(raw, fields, general, None), status_code=422, active="/plankosten")
    if form.get("actie") == "opslaan":
        return _save(request, result.plan)
    if form.get("actie") == "excel":

        with tempfile.TemporaryDirectory() as tmp:
            blob = write_plankosten_xlsx(result, Path(tmp) / "plankosten.xlsx").read_bytes()
        return Response(blob, media_type=XLSX, headers={"Content-Disposition": 'attachment; filename="plankosten.xlsx"'})
    return page(request, "plankosten.html", _context(raw, {}, [], result), active="/plankosten")


def scan_context(result: Any, herkomst: dict[str, Any]) -> dict[str, Any]:
    """The page context of a calculated scan shown from elsewhere (``herkomst``: where it comes from, with a link
    back), the form filled with the scan."""

    return {**_context(form_values(plankosten_to_dict(result.plan)), {}, [], result), "herkomst": herkomst}


def _save(request: Request, plan: Any) -> Response:
    """Store the calculated plan as a new plankostenscan document (version 1) and open it."""
    from opengrex.web.pages.documents import author

    if not can_edit(request):
        return error_page(request, "Geen rechten", "Alleen een bewerker (rol editor) mag plankostenscans opslaan.", 403)
    with db_of(request).transaction() as s:
        doc = documents.create(s, kind="plankosten", model=plan, author=author(request), comment="berekend in het formulier", source="formulier")
        new_id = doc.id
    return see_other(f"/plankosten/{new_id}?actie=aangemaakt")


def _context(values: dict[str, Any], fields: dict[str, str], general: list[str], result: Any) -> dict[str, Any]:

    ctx: dict[str, Any] = {"groepen": _groups(values, fields), "fouten": general, "r": None,
                           "codes": records_table([{k: v for k, v in c.items()} for c in product_codes()])}
    if result is not None:
        d = result.to_dict()
        ctx.update({
            "r": result, "d": d,
            "hoofdstukken": records_table([{"groep": h["groep"], "omschrijving": h["omschrijving"], "bedrag": h["bedrag"]} for h in d["hoofdstukken"]]),
            "producten": records_table(d["producten"]),
            "indicatoren": records_table([{"indicator": x["indicator"], "omschrijving": x["omschrijving"], "categorie": x["categorie"],
                                           "opslag_pct": x["opslag_pct"], "bron": x["bron"]} for x in d["indicatoren"]]),
            "regels": records_table([{"product": x["product"], "onderdeel": x["onderdeel"], "grondslag": x["grondslag"], "hoeveelheid": x["hoeveelheid"] if x["hoeveelheid"] is not None else "",
                                      "uren_aantal": x["uren"], "tarief": x["tarief"] or 0.0, "bedrag_voor_factor": x["bedrag_voor_factor"], "factor": x["factor"],
                                      "bedrag": x["bedrag"], "bron": x["bron"]} for x in d["regels"]]),
            "interpretaties": d["interpretaties"], "waarschuwingen": d["waarschuwingen"],
        })
    return ctx
