"""Create and edit any document kind in the browser with the form engine (:mod:`opengrex.web.forms`): no form is
written per kind — the kind's model is the form.

Per registered kind (:func:`register_kind`):

- ``GET/POST /{kind}/nieuw``: a new document from scratch (the model's defaults), saved as version 1;
- ``GET/POST /{kind}/{id}/bewerken``: the current version, saved as the next version (the version the edit started
  from is posted: a document changed in the meantime gives 409 and the edits stay on screen);
- ``POST /{kind}/formulier/bereken``: the headline figures of the posted (unsaved) form, with the field errors
  (HTMX, debounced, on every change);
- ``POST /{kind}/formulier/fragment``: a new row, a union member, an optional block switched on, or an embedded
  document taken over from a stored one — rendered from the posted form, so a year grid gets the document's period;
- ``POST /{kind}/formulier/herstel``: the whole form from posted fields (a draft kept in the browser).

Nothing is saved while the form has errors; each error is shown next to its field, in Dutch. Viewers get no input
for a confidential field and cannot save. The grex has a page of its own with its results panel
(:mod:`opengrex.web.pages.grex`); it uses the same engine, so only the fragment route is registered for it here.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, cast

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from opengrex.errors import InputError, OpengrexError
from opengrex.services import documents as docs
from opengrex.services.kinds import DocumentKind, get_kind, kinds
from opengrex.store import repository as repo
from opengrex.web.forms import FieldErrors, FormData, FormView, Node, Posted, field_errors, form_items, form_tree, read_form
from opengrex.web.forms.fields import MAX_ROWS, Uids, join, name_steps
from opengrex.web.forms.schema import MISSING
from opengrex.web.pages.context import can_edit, db_of, login_required, page_user, parse_id, see_other, sees_confidential
from opengrex.web.pages.render import error_page, not_found, page, templates

FORM_MAX_FIELDS = 40 * MAX_ROWS
"""Fields one posted form may have (a 200-line grex with a 15-year grid has about 8.000); the body size is bounded
by the app's upload limit."""
OWN_FORM_PAGES = ("grex",)
"""Kinds whose edit page is a page of their own built on the engine (the grex edit table with its results)."""


# ---------------------------------------------------------------------------------------------- reading the form
async def posted_items(request: Request) -> list[tuple[str, str]]:
    """The posted (name, value) pairs in page order (repeated names kept)."""
    form = await request.form(max_fields=FORM_MAX_FIELDS, max_files=0)
    return [(k, v) for k, v in form.multi_items() if isinstance(v, str)]


@dataclass
class Evaluated:
    """A posted form read and validated: the data, the model and result (``None`` when invalid), the errors."""

    kind: DocumentKind[Any, Any]
    posted: Posted
    form: FormData
    errors: FieldErrors
    model: Any = None
    result: Any = None


def _tree(kind: DocumentKind[Any, Any]) -> Node:
    """:func:`form_tree` of the kind's model (its ``type[Any]`` is not ``Hashable`` to mypy, so say what it is)."""
    return form_tree(cast(type[BaseModel], kind.model))


def evaluate(kind: DocumentKind[Any, Any], items: list[tuple[str, str]] | Posted, *, sees: bool = True, calculate: bool = True) -> Evaluated:
    """Read posted fields into plain data, validate with the kind (``from_data``) and calculate; every problem is
    mapped to its input. A form with errors gives no model (nothing is saved or calculated from it)."""
    tree = _tree(kind)
    posted = items if isinstance(items, Posted) else Posted(items)
    form = read_form(tree, posted, sees_confidential=sees)
    exc: InputError | None = None
    model = None
    try:
        model = kind.validate(form.data, "formulier")
    except InputError as e:
        exc = e
    errors = field_errors(tree, form, exc)
    if errors:
        return Evaluated(kind, posted, form, errors)
    result = None
    if calculate:
        try:
            result = kind.calculate(model)
        except OpengrexError as e:
            errors.add(None, str(e))
            return Evaluated(kind, posted, form, errors)
    return Evaluated(kind, posted, form, errors, model, result)


def stored_lister(request: Request):
    """``stored(model) -> [(id, name)]``: stored documents of the kind whose model is ``model`` (for an embedded
    document: "take over from a stored grex")."""
    cache: dict[Any, list[tuple[int, str]]] = {}

    def stored(model: Any) -> list[tuple[int, str]]:
        if model in cache:
            return cache[model]
        names = [k.name for k in kinds() if k.model is model]
        out: list[tuple[int, str]] = []
        if names:
            with db_of(request).transaction() as s:
                for name in names:
                    out += [(d.id, d.name) for d in repo.list_documents(s, kind=name)]
        cache[model] = out
        return out

    return stored


def view(request: Request, kind: DocumentKind[Any, Any], posted: Posted, errors: FieldErrors | None = None, form: FormData | None = None,
         fold: bool = True) -> FormView:
    """The form as this user may see it (no input for a confidential field for viewers)."""
    return FormView(_tree(kind), posted, errors or FieldErrors(), sees_confidential=sees_confidential(request),
                    base=f"/{kind.name}/formulier", stored=stored_lister(request), form=form, fold=fold)


def posted_from_data(request: Request, kind: DocumentKind[Any, Any], data: Any) -> Posted:
    return Posted(form_items(_tree(kind), data, sees_confidential=sees_confidential(request)))


def headline_context(ev: Evaluated) -> dict[str, Any]:
    """The live headline bar: the kind's list figures, or the number of errors."""
    k = ev.kind
    figures = []
    if ev.result is not None:
        values = k.headline(ev.result)
        figures = [{"key": h.key, "label": h.label, "eenheid": h.eenheid, "waarde": values[h.key]} for h in k.headlines if h.key in values]
    return {"kerncijfers": figures, "fouten": ev.errors, "berekend": ev.result is not None}


def errors_json(errors: FieldErrors) -> str:
    """The messages by input (``script#veldfouten``; the grex page's app.js reads the same)."""
    return json.dumps(errors.fields, ensure_ascii=False).replace("</", "<\\/")


def invalid_json(errors: FieldErrors) -> str:
    """The inputs to mark invalid (``script#ongeldig``)."""
    return json.dumps(sorted(errors.invalid), ensure_ascii=False).replace("</", "<\\/")


def periods_json(fv: FormView) -> str:
    return json.dumps(fv.periods).replace("</", "<\\/")


# ---------------------------------------------------------------------------------------------- pages
def _titel(kind: DocumentKind[Any, Any], doc: dict[str, Any] | None) -> str:
    return f"{doc['naam']} bewerken" if doc else f"Nieuw: {kind.label.lower()}"


def form_page(request: Request, kind: DocumentKind[Any, Any], posted: Posted, *, doc: dict[str, Any] | None, ev: Evaluated | None = None,
              status_code: int = 200, melding: str | None = None) -> Response:
    if ev is None:
        ev = evaluate(kind, posted, sees=sees_confidential(request))
        if doc is None:
            ev.errors = FieldErrors()  # a new form: no "required" messages before anything was typed
    fv = view(request, kind, posted, ev.errors, ev.form)
    concept = f"{kind.name}/{doc['id']}/{doc['versie']}" if doc else f"{kind.name}/nieuw"
    ctx = {
        "titel": _titel(kind, doc), "kind": kind.name, "soort": kind, "doc": doc, "fv": fv, "concept": concept,
        "actie": f"/{kind.name}/{doc['id']}/bewerken" if doc else f"/{kind.name}/nieuw",
        "veldfouten": errors_json(ev.errors), "ongeldig": invalid_json(ev.errors), "perioden": periods_json(fv), "melding": melding,
        **headline_context(ev),
    }
    return page(request, "formulier.html", ctx, status_code=status_code, active=f"/{kind.listed_under or kind.name}")


def _doc_info(d: Any) -> dict[str, Any]:
    return {"id": d.id, "versie": d.current_version, "naam": d.name, "bijgewerkt": d.updated_at}


def new_page(request: Request, kind_name: str) -> Response:
    if (r := login_required(request)) is not None:
        return r
    k = get_kind(kind_name)
    return form_page(request, k, posted_from_data(request, k, {}), doc=None)


async def create(request: Request, kind_name: str) -> Response:
    if (r := login_required(request)) is not None:
        return r
    k = get_kind(kind_name)
    items = await posted_items(request)
    posted = Posted(items)
    if not can_edit(request):
        return error_page(request, "Geen rechten", "Alleen een bewerker (rol editor) mag documenten opslaan.", 403)
    ev = evaluate(k, posted, sees=True)
    if ev.model is None:
        return form_page(request, k, posted, doc=None, ev=ev, status_code=422)
    comment = posted.values.get("comment") or "aangemaakt in het formulier"
    with db_of(request).transaction() as s:
        doc = docs.create(s, kind=k.name, model=ev.model, author=_author(request), comment=comment, source="formulier")
        new_id = doc.id
    return see_other(f"/{k.name}/{new_id}?opgeslagen=1")


def _load(request: Request, k: DocumentKind[Any, Any], doc_id: str) -> tuple[dict[str, Any], dict[str, Any]] | Response:
    n = parse_id(doc_id)
    if n is None:
        return not_found(request, k.label, doc_id)
    try:
        with db_of(request).transaction() as s:
            d = repo.get_document(s, document_id=n, kind=k.name)
            info = _doc_info(d)
            data = repo.get_version(s, document_id=n, number=d.current_version).data
    except repo.NotFoundError:
        return not_found(request, k.label, doc_id)
    return info, docs.visible(k.name, data, sees_confidential(request))


def edit_page(request: Request, kind_name: str, doc_id: str) -> Response:
    if (r := login_required(request)) is not None:
        return r
    k = get_kind(kind_name)
    got = _load(request, k, doc_id)
    if isinstance(got, Response):
        return got
    info, data = got
    melding = None if can_edit(request) else "U heeft leesrechten: wijzigingen worden doorgerekend maar niet opgeslagen. Vertrouwelijke velden zijn verborgen."
    return form_page(request, k, posted_from_data(request, k, data), doc=info, melding=melding)


async def save(request: Request, kind_name: str, doc_id: str) -> Response:
    """The posted form as the next version; invalid input saves nothing, a stale base version gives 409."""
    if (r := login_required(request)) is not None:
        return r
    k = get_kind(kind_name)
    n = parse_id(doc_id)
    if n is None:
        return not_found(request, k.label, doc_id)
    items = await posted_items(request)
    posted = Posted(items)
    try:
        with db_of(request).transaction() as s:
            info = _doc_info(repo.get_document(s, document_id=n, kind=k.name))
    except repo.NotFoundError:
        return not_found(request, k.label, doc_id)
    if not can_edit(request):
        return error_page(request, "Geen rechten", "Alleen een bewerker (rol editor) mag een nieuwe versie opslaan.", 403)
    ev = evaluate(k, posted, sees=True)
    if ev.model is None:
        return form_page(request, k, posted, doc=info, ev=ev, status_code=422)
    base = parse_id(posted.values.get("base_version", ""))
    try:
        with db_of(request).transaction() as s:
            docs.save_version(s, document_id=n, model=ev.model, author=_author(request), comment=posted.values.get("comment") or "bewerkt in het formulier",
                              base_version=base, kind=k.name, source="formulier")
    except repo.ConflictError as exc:
        ev.errors.add(None, exc.message[:1].upper() + exc.message[1:] + ". Uw wijzigingen staan hieronder en zijn niet opgeslagen; open het document opnieuw om de nieuwste versie te zien, en neem uw wijzigingen daarin over.")
        return form_page(request, k, posted, doc=info, ev=ev, status_code=409)
    return see_other(f"/{k.name}/{n}?opgeslagen=1")


async def recalculate(request: Request, kind_name: str) -> Response:
    """The headline bar and the field errors of the posted (unsaved) form."""
    if (r := login_required(request)) is not None:
        return r
    k = get_kind(kind_name)
    try:
        items = await posted_items(request)
    except Exception as exc:  # noqa: BLE001 - too many fields: say so in the bar
        ev_errors = FieldErrors()
        ev_errors.add(None, f"het formulier kan niet worden gelezen ({type(exc).__name__})")
        return templates.TemplateResponse(request, "_formulier_kerncijfers.html", {"kerncijfers": [], "fouten": ev_errors, "berekend": False, "veldfouten": "{}", "ongeldig": "[]", "perioden": "{}"})
    ev = evaluate(k, Posted(items), sees=sees_confidential(request))
    fv = view(request, k, ev.posted, ev.errors, ev.form)
    ctx = {**headline_context(ev), "veldfouten": errors_json(ev.errors), "ongeldig": invalid_json(ev.errors), "perioden": periods_json(fv)}
    return templates.TemplateResponse(request, "_formulier_kerncijfers.html", ctx)


async def fragment(request: Request, kind_name: str) -> Response:
    """Part of the form for the posted form: ``actie`` = ``rij`` (a new row of the list ``pad``), ``keuze`` (member
    ``soort`` of the union ``pad``), ``aan`` (the optional block ``pad`` switched on), ``document`` (stored document
    ``id`` taken over into the embedded document ``pad``)."""
    if (r := login_required(request)) is not None:
        return r
    k = get_kind(kind_name)
    items = await posted_items(request)
    posted = Posted(items)
    action, name = posted.values.get("actie", ""), posted.values.get("pad", "")
    tree = _tree(k)
    node = node_at(tree, name, posted)
    if node is None:
        return HTMLResponse(f"onbekend formulierveld: {name[:100]}", status_code=422)
    macros: Any = templates.env.get_template("_formulier.html").module  # Jinja exposes the macros as dynamic attributes
    sees = sees_confidential(request)
    if action == "rij" and node.widget in ("table", "list", "mapping") and not node.fixed_keys:
        uid = "n" + Uids.random()
        row = join(name, uid)
        extra = [(name + "~rij", uid)] + form_items(node.item, _new_value(node.item), sees_confidential=sees, uids=Uids(uid + "r"), prefix=row)  # type: ignore[arg-type]
        if node.widget == "mapping":
            extra.append((row + "~sleutel", ""))
        fv = view(request, k, Posted(items + extra), fold=False)
        if node.widget == "table":
            item = node.item
            cols, dets = fv.visible_columns(item), fv.visible_details(item)  # type: ignore[arg-type]
            html = macros.tabelrij(fv, item, name, uid, cols, dets, fv.table_year_map(name, cols))
        elif node.widget == "list":
            html = macros.lijstrij(fv, node.item, name, uid)
        else:
            html = macros.mappingrij(fv, node, name, uid)
        return HTMLResponse(str(html))
    if action == "keuze" and node.widget == "union":
        try:
            i = int(posted.values.get("soort", ""))
            member = node.members[i]
        except (ValueError, IndexError):
            return HTMLResponse("", status_code=200)  # '(geen)': nothing to show
        extra = [(name + "~soort", str(i))] + form_items(member, _new_value(member), sees_confidential=sees, uids=Uids("n" + Uids.random() + "r"), prefix=name)
        fv = view(request, k, Posted(_without(items, name) + extra))
        if not name:  # the document's own kind (the eindafrekening: definitief, tussentijds, planschade)
            return HTMLResponse(str(macros.hoofdgroep(fv, member)))
        return HTMLResponse(str(macros.lid(fv, member, name, node.label)))
    if action == "aan":
        value = _new_value(node)
        extra = [(name + "~aan", "ja")] + [x for x in form_items(node, value, sees_confidential=sees, uids=Uids("n" + Uids.random() + "r"), prefix=name) if x[0] != name + "~aan"]
        fv = view(request, k, Posted(_without(items, name) + extra))
        return HTMLResponse(str(macros.blokinhoud(fv, node, name, node.label, False)))
    if action == "document" and node.widget == "document":
        stored = _stored_data(request, node, posted.values.get("id", ""))
        if isinstance(stored, Response):
            return stored
        extra = [(name + "~aan", "ja")] + [x for x in form_items(node, stored, sees_confidential=sees, uids=Uids("n" + Uids.random() + "r"), prefix=name) if x[0] != name + "~aan"]
        fv = view(request, k, Posted(_without(items, name) + extra))
        return HTMLResponse(str(macros.groepinhoud(fv, node, name)))
    return HTMLResponse(f"onbekende actie: {action[:40]}", status_code=422)


async def restore(request: Request, kind_name: str) -> Response:
    """The whole form rendered from posted fields (a draft the browser kept), with its errors."""
    if (r := login_required(request)) is not None:
        return r
    k = get_kind(kind_name)
    posted = Posted(await posted_items(request))
    ev = evaluate(k, posted, sees=sees_confidential(request))
    fv = view(request, k, posted, ev.errors, ev.form)
    macros: Any = templates.env.get_template("_formulier.html").module  # Jinja exposes the macros as dynamic attributes
    return HTMLResponse(str(macros.formulier(fv)))


def _stored_data(request: Request, node: Node, doc_id: str) -> Any:
    n = parse_id(doc_id)
    names = [k.name for k in kinds() if k.model is node.model]
    if n is None or not names:
        return HTMLResponse("kies een opgeslagen document", status_code=422)
    try:
        with db_of(request).transaction() as s:
            d = repo.get_document(s, document_id=n)
            if d.kind not in names:
                return HTMLResponse("dit document is van een andere soort", status_code=422)
            data = repo.get_version(s, document_id=n, number=d.current_version).data
    except repo.NotFoundError:
        return HTMLResponse("document niet gevonden", status_code=404)
    return docs.visible(d.kind, data, sees_confidential(request))


def _new_value(node: Node | None) -> Any:
    """What a new row, member or block starts with: the model's defaults (required fields empty)."""
    if node is None:
        return None
    if node.widget in ("group", "document"):
        return {}
    if node.widget in ("table", "list"):
        return []
    if node.widget in ("mapping", "years"):
        return {}
    return MISSING if node.default is MISSING else node.default


def _without(items: list[tuple[str, str]], name: str) -> list[tuple[str, str]]:
    """The posted fields without those of ``name`` and below (replaced by a fragment; ``""``: the whole document
    but the form's own fields)."""
    if not name:
        return [(k, v) for k, v in items if k in ("csrf_token", "base_version", "comment")]
    prefix = (name + ".", name + "~")
    return [(k, v) for k, v in items if k != name and not k.startswith(prefix)]


def node_at(tree: Node, name: str, posted: Posted) -> Node | None:
    """The widget at an input name (``projecten.r3.grex.kosten``): row ids are skipped, a union goes into the
    member the form has chosen."""
    if not name:
        return tree
    steps = name_steps(tree, name, posted.values)
    return steps[-1][2] if len(steps) == len(name.split(".")) else None


def _author(request: Request) -> str:
    u = page_user(request)
    return u.name if u is not None else ""


# ---------------------------------------------------------------------------------------------- routes
def register_kind(router: APIRouter, kind: str) -> None:
    """The form routes of one kind (registered before the kind's ``/{kind}/{id}`` pages)."""

    @router.post(f"/{kind}/formulier/fragment", response_class=HTMLResponse, name=f"{kind}_formulier_fragment")
    async def fragment_route(request: Request) -> Response:
        return await fragment(request, kind)

    @router.post(f"/{kind}/formulier/herstel", response_class=HTMLResponse, name=f"{kind}_formulier_herstel")
    async def restore_route(request: Request) -> Response:
        return await restore(request, kind)

    if kind in OWN_FORM_PAGES:
        @router.get(f"/{kind}/{{doc_id}}/bewerken", response_class=HTMLResponse, name=f"{kind}_bewerken")
        def own_edit(request: Request, doc_id: str) -> Response:
            return see_other(f"/{kind}/{doc_id}")
        return

    @router.get(f"/{kind}/nieuw", response_class=HTMLResponse, name=f"{kind}_nieuw")
    def new_route(request: Request) -> Response:
        return new_page(request, kind)

    @router.post(f"/{kind}/nieuw", response_class=HTMLResponse, name=f"{kind}_aanmaken")
    async def create_route(request: Request) -> Response:
        return await create(request, kind)

    @router.post(f"/{kind}/formulier/bereken", response_class=HTMLResponse, name=f"{kind}_formulier_bereken")
    async def recalc_route(request: Request) -> Response:
        return await recalculate(request, kind)

    @router.get(f"/{kind}/{{doc_id}}/bewerken", response_class=HTMLResponse, name=f"{kind}_bewerken")
    def edit_route(request: Request, doc_id: str) -> Response:
        return edit_page(request, kind, doc_id)

    @router.post(f"/{kind}/{{doc_id}}/bewerken", response_class=HTMLResponse, name=f"{kind}_opslaan")
    async def save_route(request: Request, doc_id: str) -> Response:
        return await save(request, kind, doc_id)


__all__ = ["Evaluated", "FORM_MAX_FIELDS", "OWN_FORM_PAGES", "evaluate", "form_page", "node_at", "posted_from_data", "posted_items", "register_kind", "stored_lister", "view"]
