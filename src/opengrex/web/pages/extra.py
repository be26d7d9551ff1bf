"""Pages of the other capabilities: kostenverhaal cases (A5 table, volgordelijkheid), the six-step financiële
bijdrage (tabel 1–5) and programmes (projects, fund, partners, risk). Each page calculates the stored document
through its capability's own API (via :mod:`opengrex.store.kinds`) and only presents the result; a capability
whose module is missing shows a short notice instead of its pages.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import yaml
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from opengrex.errors import OpengrexError
from opengrex.io import charts
from opengrex.store import repository as repo
from opengrex.store.kinds import KINDS
from opengrex.web.pages.context import db_of, login_required, parse_id, visible_data
from opengrex.web.pages.render import error_page, frame_table, not_found, page, records_table, summary_sections, templates

router = APIRouter(include_in_schema=False)

PAGES = {"kostenverhaal": "kostenverhaal.html", "bijdrage": "bijdrage.html", "programma": "programma.html"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RISK_DRAWS = 2000
"""Monte Carlo draws on the programme page (a fixed seed: the page shows the same numbers on every visit)."""


def _layout(title: str) -> dict[str, Any]:
    return charts.layout(title)


def _charts_json(figures: dict[str, Any]) -> str:
    return charts.to_json(figures)


def _load(request: Request, kind: str, doc_id: str, version: str | None = None) -> tuple[dict[str, Any], Any] | Response:
    """Document info and its validated model (current version, or ``version``); a Dutch 404 page otherwise."""
    n = parse_id(doc_id)
    if n is None:
        return not_found(request, KINDS[kind].label, doc_id)
    try:
        with db_of(request).transaction() as s:
            doc = repo.get_document(s, document_id=n, kind=kind)
            number = doc.current_version if version is None else parse_id(version)
            if number is None:
                return not_found(request, "Versie", version)
            data = repo.get_version(s, document_id=n, number=number).data
            info = {"id": doc.id, "versie": doc.current_version, "getoond": number, "bijgewerkt": doc.updated_at, "naam": doc.name, "kind": kind}
    except repo.NotFoundError as exc:
        return error_page(request, "Niet gevonden", exc.message[:1].upper() + exc.message[1:] + ".", 404)
    try:
        model = KINDS[kind].validate(visible_data(request, kind, data), f"document {n}")
        info["naam"] = KINDS[kind].name_of(model, data)  # the name as of the version shown
        return info, model
    except OpengrexError as exc:
        return error_page(request, "Niet te lezen", f"Document {n} voldoet niet (meer) aan de invoerregels: {exc}", 422)


def _unavailable(request: Request, kind: str) -> Response | None:
    if not KINDS[kind].available:
        return page(request, "fout.html", {"titel": KINDS[kind].label, "melding": f"De rekenmodule voor {KINDS[kind].label.lower()} is (nog) niet geïnstalleerd.", "status": 404}, status_code=404, active=f"/{kind}")
    return None


# ---------------------------------------------------------------------------------------------- lists
RELATED = {"kostenverhaal": ("eindafrekening",)}
"""Kinds listed under another kind's menu item (the eindafrekening belongs to kostenverhaal)."""


def _list(request: Request, kind: str) -> Response:
    if (r := login_required(request)) is not None:
        return r
    groups = []
    with db_of(request).transaction() as s:
        for k in (kind, *[x for x in RELATED.get(kind, ()) if x in KINDS]):
            docs = [{"id": d.id, "naam": d.name, "versie": d.current_version, "bijgewerkt": d.updated_at, "headline": d.headline or {}} for d in repo.list_documents(s, kind=k)]
            groups.append({"kind": k, "titel": KINDS[k].label, "docs": docs, "beschikbaar": KINDS[k].available})
    active = next((f"/{main}" for main, rel in RELATED.items() if kind in rel), f"/{kind}")
    return page(request, "documenten.html", {"groepen": groups, "titel": KINDS[kind].label}, active=active)


@router.get("/kostenverhaal", response_class=HTMLResponse)
def kostenverhaal_list(request: Request) -> Response:
    return _list(request, "kostenverhaal")


@router.get("/bijdrage", response_class=HTMLResponse)
def bijdrage_list(request: Request) -> Response:
    return _list(request, "bijdrage")


@router.get("/programma", response_class=HTMLResponse)
def programma_list(request: Request) -> Response:
    return _list(request, "programma")


# ---------------------------------------------------------------------------------------------- detail pages
def kostenverhaal_context(result: Any) -> dict[str, Any]:
    """A5 table, kosten per kostensoort, volgordelijkheid (recovered / not recovered, and why), cap explanation."""
    a5 = result.a5_table()
    volg = result.volgordelijkheid()
    cats = [v["omschrijving"] for v in volg]
    chart = {"grafiek-verhaal": {"data": [
        {"type": "bar", "name": "Verhaald", "x": cats, "y": [v["verhaald"] for v in volg], "marker": {"color": "#2e7d32"}},
        {"type": "bar", "name": "Niet verhaald (algemene middelen)", "x": cats, "y": [v["niet_verhaald"] for v in volg], "marker": {"color": "#c62828"}},
    ], "layout": {**_layout("Verhaald en niet verhaald per categorie (volgordelijkheid)"), "barmode": "stack"}}}
    d = result.to_dict()
    return {
        "r": result,
        "d": d,
        "a5": a5,
        "kostensoorten": records_table(result.kosten_per_kostensoort()),
        "volgorde": volg,
        "volg_totaal": {k: sum(v[k] for v in volg) for k in ("te_verhalen", "verhaald", "niet_verhaald")},
        "toelichting": result.explain_cap(),
        "kavels": records_table(d.get("kavels", [])),
        "charts": _charts_json(chart),
    }


BIJDRAGE_STAPPEN = (
    ("tabel1", "Stap 1–2 · Tabel 1: investeringen, bruto → netto, en het meetellende deel", "Netto = bruto − subsidies − externe bijdragen − onderhoudsbudget − gebruikersopbrengsten; telt mee naar hardheid (hard 100%, zacht 50%, nader te bepalen 0%)."),
    ("tabel1_categorieen", "Tabel 1 samengevat: per investeringscategorie", "Totalen per hardheidscategorie."),
    ("tabel2", "Stap 3 · Tabel 2: bestaand versus nieuw per gebied", "Aandeel nieuw = nieuwe woningen (naar hardheid) / (bestaande + nieuwe woningen); bedrag nieuw = netto investering × aandeel nieuw."),
    ("tabel3", "Stap 4 · Tabel 3: wegingsfactoren per segment", "Grondwaarde = gemiddelde WOZ / (1 + btw) × grondquote; wegingsfactor = grondwaarde / grondwaarde sociaal."),
    ("tabel4", "Stap 5 · Tabel 4: prijs per gewogen eenheid per gebied", "Gewogen eenheden = Σ nieuwe woningen per segment × wegingsfactor; prijs = bedrag nieuw / gewogen eenheden."),
    ("tabel5", "Stap 6 · Tabel 5: tarief per woning per gebied", "Tarief = prijs per eenheid × wegingsfactor (eigen tarief van het gebied)."),
    ("tabel5_voor_plan", "Tabel 5 voor een plan: wat een plan in elk gebied betaalt", "Een plan betaalt de tarieven van elk gebied waarin het ligt (de kern en de hele gemeente)."),
    ("plannen_frame", "Plannen en hun bijdrage", "Woningen per segment van elk plan × de tarieven."),
    ("parameter_frame", "Gebruikte parameters en bronnen", ""),
)


def bijdrage_context(result: Any) -> dict[str, Any]:
    """The six steps of the financiële bijdrage fysieke leefomgeving with tabel 1–5 (nota Soest 2023 §4.1)."""
    tables = []
    for attr, title, rule in BIJDRAGE_STAPPEN:
        fn = getattr(result, attr, None)
        if fn is None:
            continue
        tables.append({"id": attr, "titel": title, "regel": rule, "t": frame_table(fn())})
    t5 = result.tabel5()
    segs = [c for c in t5.columns if c != "gebied"]
    chart = {"grafiek-tarieven": {"data": [{"type": "bar", "name": s, "x": t5["gebied"].tolist(), "y": t5[s].tolist()} for s in segs],
                                  "layout": {**_layout(f"Tarief per woning per gebied ({result.eenheid})"), "barmode": "group"}}}
    return {"r": result, "tabellen": tables, "charts": _charts_json(chart)}


def programma_context(result: Any) -> dict[str, Any]:
    """Projects, fund, partners, guarantees and yearly book value of a programme (Mastergrex)."""
    yf = result.yearly_frame()
    ff = result.fund_frame()
    pf = result.projects_frame()
    figures = charts.programme_figures(result)
    ps = result.partners_frame()
    return {
        "r": result,
        "projecten": frame_table(pf, index=True),
        "fonds": frame_table(ff, index=True),
        "per_jaar": frame_table(yf, index=True),
        "partners": frame_table(ps, index=True),
        "financiers": frame_table(result.financiers_totals(), index=True),
        "garanties": frame_table(result.guarantees_frame(), index=True),
        "taakstellingen": frame_table(result.taakstellingen_frame(), index=True),
        "uitleg": result.explain("ncw"),
        "charts": _charts_json(figures),
    }


CONTEXT = {"kostenverhaal": kostenverhaal_context, "bijdrage": bijdrage_context, "programma": programma_context}


def generic_context(result: Any, kind: str) -> dict[str, Any]:
    """A kind without its own page: its summary (``to_dict()``/``summary()``) as key figures and tables."""
    return summary_sections(KINDS[kind].summary(result))


def _detail(request: Request, kind: str, doc_id: str, version: str | None = None) -> Response:
    if (r := login_required(request)) is not None:
        return r
    if (r := _unavailable(request, kind)) is not None:
        return r
    got = _load(request, kind, doc_id, version)
    if isinstance(got, Response):
        return got
    info, model = got
    try:
        result = KINDS[kind].run(model)
        ctx = CONTEXT[kind](result) if kind in CONTEXT else generic_context(result, kind)
    except OpengrexError as exc:
        return error_page(request, "Niet te berekenen", str(exc), 422)
    xlsx = KINDS[kind].xlsx
    ctx.update(doc=info, basis=f"/{kind}/{info['id']}", kind=kind, xlsx_label=xlsx[3] if xlsx else None)
    if version is not None:
        ctx["melding_ok"] = f"U bekijkt versie {info['getoond']} (de huidige is {info['versie']})."
    return page(request, PAGES.get(kind, "document.html"), ctx, active=f"/{kind}")


@router.get("/kostenverhaal/{doc_id}", response_class=HTMLResponse)
def kostenverhaal_page(request: Request, doc_id: str) -> Response:
    return _detail(request, "kostenverhaal", doc_id)


@router.get("/bijdrage/{doc_id}", response_class=HTMLResponse)
def bijdrage_page(request: Request, doc_id: str) -> Response:
    return _detail(request, "bijdrage", doc_id)


@router.get("/programma/{doc_id}", response_class=HTMLResponse)
def programma_page(request: Request, doc_id: str) -> Response:
    return _detail(request, "programma", doc_id)


@router.get("/programma/{doc_id}/risico", response_class=HTMLResponse)
def programma_risk(request: Request, doc_id: str, trekkingen: int = RISK_DRAWS) -> Response:
    """Monte Carlo risk of a programme (loaded into the page by HTMX): summary, histogram and tornado."""
    if (r := login_required(request)) is not None:
        return r
    got = _load(request, "programma", doc_id)
    if isinstance(got, Response):
        return got
    _, model = got
    from opengrex.services.programma import run_risk

    draws = int(min(max(trekkingen, 100), 20_000))
    try:
        risk = run_risk(model, draws=draws, seed=2013)
    except OpengrexError as exc:
        return HTMLResponse(f'<p class="fouten">Risicoanalyse niet mogelijk: {exc}</p>')
    summ = risk.summary()
    tornado = summ.get("tornado", [])
    figures = charts.risk_figures(risk, bins=40)
    kerncijfers = {k: v for k, v in summ.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    return templates.TemplateResponse(request, "_programma_risico.html", {"s": summ, "kc": kerncijfers, "charts": _charts_json(figures), "tornado": records_table(tornado)})


# ---------------------------------------------------------------------------------------------- versions, downloads
def _versions(request: Request, kind: str, doc_id: str, fouten: list[str] | None = None, status_code: int = 200) -> Response:
    """The versions of a document with compare and 'upload a new version' (errors of that upload in ``fouten``)."""
    if (r := login_required(request)) is not None:
        return r
    n = parse_id(doc_id)
    if n is None:
        return not_found(request, KINDS[kind].label, doc_id)
    try:
        with db_of(request).transaction() as s:
            doc = repo.get_document(s, document_id=n, kind=kind)
            info = {"id": doc.id, "versie": doc.current_version, "naam": doc.name}
            versions = [{"nummer": v.number, "datum": v.created_at, "auteur": v.author, "toelichting": v.comment, "ncw": (v.headline or {}).get("ncw"), "eindwaarde": (v.headline or {}).get("eindwaarde")} for v in repo.list_versions(s, document_id=n)]
    except repo.NotFoundError:
        return not_found(request, KINDS[kind].label, doc_id)
    ctx = {"doc": info, "versies": versions, "basis": f"/{kind}/{n}", "xlsx": KINDS[kind].xlsx is not None, "kind": kind, "fouten": fouten or []}
    return page(request, "versies.html", ctx, status_code=status_code, active=f"/{kind}")


@router.post("/{kind}/{doc_id}/nieuwe-versie", response_class=HTMLResponse)
async def upload_version(request: Request, kind: str, doc_id: str) -> Response:
    """A changed file (YAML/JSON, or the Excel template for a grex) saved as the next version; the previous
    versions stay. One transaction: invalid input or a stale base version writes nothing."""
    from opengrex.web.pages.context import can_edit, see_other, settings_of
    from opengrex.web.pages.overview import UPLOAD_SUFFIXES, _read_upload

    if (r := login_required(request)) is not None:
        return r
    if kind not in KINDS:
        return not_found(request, "De pagina", request.url.path)
    n = parse_id(doc_id)
    if n is None:
        return not_found(request, KINDS[kind].label, doc_id)
    if not can_edit(request):
        return error_page(request, "Geen rechten", "Alleen een bewerker (rol editor) mag een nieuwe versie opslaan.", 403)
    from starlette.datastructures import UploadFile

    form = await request.form(max_files=1, max_fields=20)
    upload = form.get("bestand")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _versions(request, kind, doc_id, ["veld 'bestand': kies een bestand"], 422)
    name = Path(upload.filename).name
    suffix = Path(name).suffix.lower()
    limit = int(settings_of(request).max_upload)
    content = await upload.read(limit + 1)
    if suffix not in UPLOAD_SUFFIXES:
        return _versions(request, kind, doc_id, [f"veld 'bestand': bestandstype '{suffix or '(geen)'}' wordt niet ondersteund voor {KINDS[kind].label.lower()}"], 422)
    if len(content) > limit or not content:
        return _versions(request, kind, doc_id, ["veld 'bestand': het bestand is leeg" if not content else f"veld 'bestand': het bestand is te groot; toegestaan: hoogstens {limit} bytes"], 422)
    base = parse_id(str(form.get("base_version", "")))
    try:
        model = _read_upload(kind, name, suffix, content)
        with db_of(request).transaction() as s:
            v = repo.save_version(s, document_id=n, model=model, author=_user_name(request), comment=str(form.get("comment") or f"upload {name}"), base_version=base, kind=kind, source=name)
            number = v.number
    except repo.NotFoundError:
        return not_found(request, KINDS[kind].label, doc_id)
    except repo.ConflictError as exc:
        return _versions(request, kind, doc_id, [exc.message], 409)
    except OpengrexError as exc:
        from opengrex.errors import InputError, InputErrors

        msgs = [str(e) for e in exc.errors] if isinstance(exc, InputErrors) else [str(exc)]
        return _versions(request, kind, doc_id, msgs if isinstance(exc, InputError) else [str(exc)], 422)
    return see_other(f"/{kind}/{n}/versies?nieuw={number}")


def _user_name(request: Request) -> str:
    from opengrex.web.pages.context import page_user

    u = page_user(request)
    return u.name if u is not None else ""


def _compare(request: Request, kind: str, doc_id: str, a: str, b: str) -> Response:
    if (r := login_required(request)) is not None:
        return r
    n, va, vb = parse_id(doc_id), parse_id(a), parse_id(b)
    if n is None:
        return not_found(request, KINDS[kind].label, doc_id)
    if va is None or vb is None:
        return error_page(request, "Ongeldige vergelijking", f"Kies twee versienummers om te vergelijken (a={a!r}, b={b!r}).", 422)
    try:
        with db_of(request).transaction() as s:
            doc = repo.get_document(s, document_id=n, kind=kind)
            info = {"id": doc.id, "versie": doc.current_version, "naam": doc.name}
            cmp = repo.compare_versions(s, document_id=n, a=va, b=vb)
    except repo.NotFoundError as exc:
        return error_page(request, "Niet gevonden", exc.message, 404)
    return page(request, "vergelijk.html", {"doc": info, "cmp": cmp, "basis": f"/{kind}/{n}", "labels": {}}, active=f"/{kind}")


def _download(request: Request, kind: str, doc_id: str, versie: str | None, suffix: str, media_type: str, render: Callable[[Any], str | bytes]) -> Response:
    """A stored document (current version or ``versie``) as a file: ``render(model)`` gives its content."""
    if (r := login_required(request)) is not None:
        return r
    got = _load(request, kind, doc_id, versie)
    if isinstance(got, Response):
        return got
    info, model = got
    name = f"{kind}-{info['id']}-v{info['getoond']}.{suffix}"
    return Response(render(model), media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _yaml(request: Request, kind: str, doc_id: str, versie: str | None) -> Response:
    return _download(request, kind, doc_id, versie, "yaml", "application/yaml; charset=utf-8",
                     lambda model: yaml.safe_dump(KINDS[kind].dump(model), allow_unicode=True, sort_keys=False))


def _xlsx(request: Request, kind: str, doc_id: str, versie: str | None) -> Response:
    """The document's Excel workbook (the kind's writer; live formulas where it writes them)."""
    return _download(request, kind, doc_id, versie, "xlsx", XLSX, KINDS[kind].write_xlsx)


def _register_common(kind: str) -> None:
    @router.get(f"/{kind}/{{doc_id}}/versies", response_class=HTMLResponse, name=f"{kind}_versies")
    def versions(request: Request, doc_id: str) -> Response:
        return _versions(request, kind, doc_id)

    @router.get(f"/{kind}/{{doc_id}}/versies/vergelijk", response_class=HTMLResponse, name=f"{kind}_vergelijk")
    def compare(request: Request, doc_id: str, a: str = "", b: str = "") -> Response:
        return _compare(request, kind, doc_id, a, b)

    @router.get(f"/{kind}/{{doc_id}}/versie/{{number}}", response_class=HTMLResponse, name=f"{kind}_versie")
    def version(request: Request, doc_id: str, number: str) -> Response:
        return _detail(request, kind, doc_id, number)

    @router.get(f"/{kind}/{{doc_id}}/download.yaml", name=f"{kind}_yaml")
    def download_yaml(request: Request, doc_id: str, versie: str | None = None) -> Response:
        return _yaml(request, kind, doc_id, versie)

    if KINDS[kind].xlsx is not None:

        @router.get(f"/{kind}/{{doc_id}}/download.xlsx", name=f"{kind}_xlsx")
        def download_xlsx(request: Request, doc_id: str, versie: str | None = None) -> Response:
            return _xlsx(request, kind, doc_id, versie)


def _register_generic(kind: str) -> None:
    """List and detail page of a document kind that has no page of its own (new capabilities join here)."""

    @router.get(f"/{kind}", response_class=HTMLResponse, name=f"{kind}_lijst")
    def listing(request: Request) -> Response:
        return _list(request, kind)

    @router.get(f"/{kind}/{{doc_id}}", response_class=HTMLResponse, name=f"{kind}_pagina")
    def detail(request: Request, doc_id: str) -> Response:
        return _detail(request, kind, doc_id)


GENERIC = tuple(k for k in KINDS if k not in PAGES and k != "grex")
for _kind in GENERIC:
    _register_generic(_kind)
for _kind in (*PAGES, *GENERIC):
    _register_common(_kind)


__all__ = ["router"]
