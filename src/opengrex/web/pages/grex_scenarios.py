"""The scenario page of a grex (``/grex/<id>/scenarios``): its scenarios side by side with a waterfall per scenario
(sequential and Shapley), a tornado of the main inputs, and forms to try a scenario without saving, to keep it in the
grex (a new version), to delete it, or to save it as a grex of its own.

Why scenarios live IN the grex document (``scenarios:``, like a programme's): a scenario is a list of changes to
the base (rente, index, phasing, delay, amounts), so it follows every later edit of the base, its waterfall names each
change, and it is versioned, compared and downloaded with the grex. When a scenario becomes the plan, "Opslaan als
grondexploitatie" makes a document of it (the changes applied; then it no longer follows the base).

The work is in :mod:`opengrex.services.grex_scenarios`; this page presents it.
"""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from opengrex.errors import InputError, InputErrors, OpengrexError
from opengrex.io.charts import scenario_figures, tornado_figure
from opengrex.model.grex import Grex, GrexScenario
from opengrex.services import documents as docs
from opengrex.services import grex_scenarios as gs
from opengrex.services.grex import grex_from_dict
from opengrex.store import repository as repo
from opengrex.web.pages.context import can_edit, db_of, login_required, page_user, parse_id, see_other
from opengrex.web.pages.documents import load
from opengrex.web.pages.render import charts_json, error_page, page

router = APIRouter(include_in_schema=False)
MAX_FIELDS = 20
MAX_CHANGES = 8


def _load(request: Request, doc_id: str, versie: str | None = None) -> tuple[dict[str, Any], Grex] | Response:
    """The grex as this user may see it (current version or ``versie``), or the Dutch 404/422 page."""
    return load(request, "grex", doc_id, versie)


async def _editor_form(request: Request, doc_id: str) -> tuple[Any, dict[str, Any], Grex] | Response:
    """The posted form and the current grex, for an editor; the login, 403 or 404 page otherwise."""
    if (r := login_required(request)) is not None:
        return r
    if not can_edit(request):
        return error_page(request, "Geen rechten", "Alleen een bewerker (rol editor) mag scenario's opslaan.", 403)
    form = await request.form(max_files=0, max_fields=MAX_FIELDS)
    got = _load(request, doc_id)
    if isinstance(got, Response):
        return got
    return form, got[0], got[1]


def _changes(text: str) -> list[Any]:
    lines = [ln.strip() for ln in text.replace(";", "\n").splitlines() if ln.strip()]
    if not lines:
        raise InputError("geen wijzigingen", field="wijzigingen", allowed=gs.CHANGE_SYNTAX)
    if len(lines) > MAX_CHANGES:
        raise InputError("te veel wijzigingen in één scenario", field="wijzigingen", value=len(lines), allowed=f"hoogstens {MAX_CHANGES}")
    return [gs.parse_grex_change(ln) for ln in lines]


def _messages(exc: OpengrexError) -> list[str]:
    return [str(e) for e in exc.errors] if isinstance(exc, InputErrors) else [str(exc)]


def _float(text: Any, default: float, lo: float, hi: float) -> float:
    try:
        v = float(str(text).replace(",", "."))
    except (TypeError, ValueError):
        return default
    return v if lo < v <= hi else default


def scenario_page(request: Request, doc_id: str, *, fouten: list[str] | None = None, status_code: int = 200, probeer: dict[str, str] | None = None) -> Response:
    if (r := login_required(request)) is not None:
        return r
    q = request.query_params
    got = _load(request, doc_id, q.get("versie"))
    if isinstance(got, Response):
        return got
    info, grex = got
    fouten = list(fouten or [])
    scenarios = list(grex.scenarios)
    if probeer:
        try:
            scenarios.append(GrexScenario(naam=(probeer.get("naam") or "Proef (niet opgeslagen)")[:200], wijzigingen=_changes(probeer["wijzigingen"])))
        except OpengrexError as exc:
            fouten += _messages(exc)
    bereik = {"procentpunt": _float(q.get("procentpunt"), 0.01, 0.0, 0.2), "procent": _float(q.get("procent"), 10.0, 0.0, 99.0), "jaren": int(_float(q.get("jaren"), 1, 0, 10))}
    try:
        cmp = gs.run_grex_scenarios(grex, scenarios) if scenarios else None
    except OpengrexError as exc:
        fouten += _messages(exc)
        cmp = None
    tornado = gs.grex_tornado(grex, procentpunt=bereik["procentpunt"], procent=bereik["procent"], jaren=bereik["jaren"])
    charts = dict(scenario_figures(cmp)) if cmp else {}
    charts["grafiek-tornado"] = tornado_figure(tornado)
    ctx = {
        "doc": info, "grex": grex, "basis": f"/grex/{info['id']}", "cmp": cmp, "tornado": tornado, "bereik": bereik, "fouten": fouten,
        "charts": charts_json(charts), "syntax": gs.CHANGE_SYNTAX, "opgeslagen": [s.naam for s in grex.scenarios],
        "teksten": {s.naam: "\n".join(gs.change_text(w) for w in s.wijzigingen) for s in grex.scenarios},
        "probeer": probeer, "nieuw_naam": f"Variant {len(grex.scenarios) + 1}", "kopie": q.get("kopie") is not None,
        "melding_ok": {"1": "Scenario opgeslagen in de grondexploitatie (nieuwe versie).", "2": "Scenario verwijderd (nieuwe versie)."}.get(q.get("opgeslagen", "")),
    }
    return page(request, "grex_scenarios.html", ctx, status_code=status_code, active="/grex")


@router.get("/grex/{doc_id}/scenarios", response_class=HTMLResponse)
def scenarios(request: Request, doc_id: str) -> Response:
    return scenario_page(request, doc_id)


@router.post("/grex/{doc_id}/scenarios/proef", response_class=HTMLResponse)
async def try_scenario(request: Request, doc_id: str) -> Response:
    """A scenario computed next to the saved ones without saving anything (every user may try one)."""
    if (r := login_required(request)) is not None:
        return r
    form = await request.form(max_files=0, max_fields=MAX_FIELDS)
    return scenario_page(request, doc_id, probeer={"naam": str(form.get("naam") or "")[:200], "wijzigingen": str(form.get("wijzigingen") or "")})


async def _edit(request: Request, doc_id: str, change: Any) -> Response:
    """Save the grex with its scenario list changed by ``change(grex, form)`` as a new version."""
    got = await _editor_form(request, doc_id)
    if isinstance(got, Response):
        return got
    form, info, grex = got
    try:
        new, comment, code = change(grex, form)
        with db_of(request).transaction() as s:
            docs.save_version(s, document_id=info["id"], model=new, author=_author(request), comment=comment, base_version=parse_id(str(form.get("base_version", ""))),
                              kind="grex", source="scenario")
    except repo.ConflictError as exc:
        return scenario_page(request, doc_id, fouten=[exc.message + ". Open de pagina opnieuw."], status_code=409)
    except OpengrexError as exc:
        return scenario_page(request, doc_id, fouten=_messages(exc), status_code=422,
                             probeer={"naam": str(form.get("naam") or ""), "wijzigingen": str(form.get("wijzigingen") or "")})
    return see_other(f"/grex/{info['id']}/scenarios?opgeslagen={code}")


@router.post("/grex/{doc_id}/scenarios", response_class=HTMLResponse)
async def add_scenario(request: Request, doc_id: str) -> Response:
    """Keep a scenario in the grex (a new version): a new name adds it, an existing name replaces it."""
    def change(grex: Grex, form: Any) -> tuple[Grex, str, str]:
        naam = str(form.get("naam") or "").strip()[:200]
        if not naam:
            raise InputError("naam van het scenario ontbreekt", field="naam", allowed="een naam, bijv. 'Rente +1 procentpunt'")
        sc = GrexScenario(naam=naam, omschrijving=str(form.get("omschrijving") or "")[:1000], wijzigingen=_changes(str(form.get("wijzigingen") or "")))
        kept = [s for s in grex.scenarios if s.naam != naam]
        new = grex.model_copy(update={"scenarios": kept + [sc]})
        return grex_from_dict(new.model_dump(mode="json"), "scenario"), f"scenario '{naam}' opgeslagen", "1"

    return await _edit(request, doc_id, change)


@router.post("/grex/{doc_id}/scenarios/verwijder", response_class=HTMLResponse)
async def delete_scenario(request: Request, doc_id: str) -> Response:
    def change(grex: Grex, form: Any) -> tuple[Grex, str, str]:
        naam = str(form.get("naam") or "")
        if naam not in [s.naam for s in grex.scenarios]:
            raise InputError("onbekend scenario", field="naam", value=naam, allowed=", ".join(s.naam for s in grex.scenarios) or "(geen)")
        return grex.model_copy(update={"scenarios": [s for s in grex.scenarios if s.naam != naam]}), f"scenario '{naam}' verwijderd", "2"

    return await _edit(request, doc_id, change)


@router.post("/grex/{doc_id}/scenarios/document", response_class=HTMLResponse)
async def scenario_as_document(request: Request, doc_id: str) -> Response:
    """A scenario as a grex of its own (the changes applied, without scenarios): when a variant becomes the plan."""
    got = await _editor_form(request, doc_id)
    if isinstance(got, Response):
        return got
    form, info, grex = got
    naam = str(form.get("naam") or "")
    found = next((s for s in grex.scenarios if s.naam == naam), None)
    if found is None:
        return scenario_page(request, doc_id, fouten=[f"onbekend scenario '{naam}'"], status_code=422)
    try:
        new = gs.apply_changes(grex, found.wijzigingen).model_copy(update={"name": f"{grex.name} — {found.naam}"[:300]})
        with db_of(request).transaction() as s:
            doc = docs.create(s, kind="grex", model=new, author=_author(request), comment=f"scenario '{found.naam}' van grex {info['id']} versie {info['versie']}",
                              source="scenario")
            new_id = doc.id
    except OpengrexError as exc:
        return scenario_page(request, doc_id, fouten=_messages(exc), status_code=422)
    return see_other(f"/grex/{new_id}?opgeslagen=1")


def _author(request: Request) -> str:
    u = page_user(request)
    return u.name if u is not None else ""


__all__ = ["router", "scenario_page"]
