"""Reports of documents and of the portfolio: what goes into them (the layout is :mod:`opengrex.io.report`).

Every registered kind gets a report: a kind's registry entry may give a ``report(model, result)`` hook returning
its sections (:class:`~opengrex.io.report.Sectie`); without one, :func:`default_sections` builds them from the
kind's headline figures, its summary (scalars as a list of values, lists of records as tables) and the
explanation of every figure with the parameters and their sources. The built-in kinds have hooks that follow their
pages: overview, headline figures, tables per year, the page's charts, method and parameters with sources.

The public variant (``openbaar=True``) is built from the document as a viewer sees it: every field marked
``vertrouwelijk`` (at any depth) replaced by its default before anything is calculated or shown
(:mod:`opengrex.model.redact`), so no confidential value can reach the PDF, not even through a figure.

>>> from opengrex.services.reports import document_pdf
>>> pdf = document_pdf("grex", model, openbaar=True)           # bytes of the PDF
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any

from opengrex.codes import natural_key
from opengrex.errors import InputError, OpengrexError
from opengrex.formatting import column_label, column_unit, date_nl, eur, format_by_unit, pct, summary_parts
from opengrex.io import charts
from opengrex.io.report import Afbeelding, Grafiek, Hoofdstuk, Kerncijfer, Report, Sectie, Tabel, explanation_parameters, render_html, render_pdf
from opengrex.services.kinds import DocumentKind, get_kind, kinds

METHODE = "Methode en bronnen"


# ---------------------------------------------------------------------------------------------- building blocks
def headline_figures(kind: DocumentKind[Any, Any], result: Any) -> list[Kerncijfer]:
    """The kind's headline figures (label, value, unit) as key figures."""
    values = kind.headline(result)
    return [Kerncijfer(h.label, values[h.key], h.eenheid) for h in kind.headlines if h.key in values]


def explanations(kind: DocumentKind[Any, Any], result: Any, kengetallen: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """The explanation of every figure of ``kind`` that needs no further input (or of ``kengetallen``)."""
    out = []
    for k in kengetallen if kengetallen is not None else kind.kengetallen:
        if ":" in k and kengetallen is None:
            continue
        try:
            out.append(kind.explain(result, k).to_dict())
        except InputError:  # not applicable to this document
            continue
    return out


def method_section(kind: DocumentKind[Any, Any], result: Any, kengetallen: Iterable[str] | None = None, tekst: list[str] | None = None) -> Sectie:
    """How the figures were computed (rule, formula, source, inputs) and every parameter used with its source."""
    uitleg = explanations(kind, result, kengetallen)
    params = explanation_parameters(uitleg)
    tables = [Tabel.van_records("Parameters en bronnen", params)] if params else []
    return Sectie(METHODE, tekst=tekst or [], uitleg=uitleg, tabellen=tables)


def summary_sections(data: dict[str, Any]) -> list[Sectie]:
    """A kind's plain-data summary: scalars (and mappings of scalars) as one list of values, lists of records as
    tables (the generic page shows the same)."""
    raw_values, raw_tables = summary_parts(data)
    values = [{"gegeven": name, "waarde": "; ".join(str(x) for x in v) if isinstance(v, list) else v,
               "eenheid": "tekst" if isinstance(v, list) else column_unit(key, v)} for name, key, v in raw_values]
    tables = [Tabel.van_records(name, v) for name, key, v in raw_tables]
    out = []
    if values:
        out.append(Sectie("Gegevens", tabellen=[Tabel.van_records("", values)]))
    if tables:
        out.append(Sectie("Tabellen", tabellen=tables))
    return out


def default_sections(kind: DocumentKind[Any, Any], model: Any, result: Any) -> list[Sectie]:
    """The report of a kind without a report hook: headline figures, its summary, method and parameters."""
    head = Sectie("Kerncijfers", kerncijfers=headline_figures(kind, result), kern=True)
    return [head, *summary_sections(kind.summary(result)), method_section(kind, result)]


def sections(kind: DocumentKind[Any, Any], model: Any, result: Any) -> list[Sectie]:
    """The kind's report hook, or the generic sections."""
    hook = getattr(kind, "report", None)
    return list(hook(model, result)) if hook is not None else default_sections(kind, model, result)


# ---------------------------------------------------------------------------------------------- documents
def visible_model(kind: DocumentKind[Any, Any], model: Any, openbaar: bool) -> Any:
    """The model as the variant may show it: for the public variant every confidential field emptied (the
    document is validated again, so the figures are those of what is shown)."""
    if not openbaar or not kind.confidential:
        return model
    return kind.validate(kind.redact(kind.to_data(model)), "openbare versie")


def chapter(kind: DocumentKind[Any, Any], model: Any, *, openbaar: bool, versie: int | None = None, document_id: int | None = None, kort: bool = False) -> Hoofdstuk:
    """One document as a chapter (``kort``: only the sections marked ``kern``, for the portfolio)."""
    shown = visible_model(kind, model, openbaar)
    result = kind.calculate(shown)
    secties = sections(kind, shown, result)
    if kort:
        secties = [s for s in secties if s.kern] or secties[:1]
    return Hoofdstuk(titel=kind.document_name(shown), soort=kind.label, versie=versie, document_id=document_id, secties=secties)


def document_report(kind: str | DocumentKind[Any, Any], model: Any, *, openbaar: bool = False, versie: int | None = None,
                    document_id: int | None = None, afgedrukt: dt.datetime | None = None) -> Report:
    """The report of one document (current version or the version given)."""
    k = get_kind(kind) if isinstance(kind, str) else kind
    h = chapter(k, model, openbaar=openbaar, versie=versie, document_id=document_id)
    r = Report(titel=h.titel, hoofdstukken=[h], openbaar=openbaar, ondertitel=f"Rapport {k.label.lower()}")
    if afgedrukt is not None:
        r.afgedrukt = afgedrukt
    return r


def document_pdf(kind: str | DocumentKind[Any, Any], model: Any, **kw: Any) -> bytes:
    """PDF bytes of :func:`document_report`."""
    return render_pdf(document_report(kind, model, **kw))


def document_html(kind: str | DocumentKind[Any, Any], model: Any, **kw: Any) -> str:
    return render_html(document_report(kind, model, **kw))


# ---------------------------------------------------------------------------------------------- portfolio
def portfolio_report(session: Any, *, openbaar: bool = False, afgedrukt: dt.datetime | None = None) -> Report:
    """Every stored document (current version): an overview per kind with the headline figures, then per document
    its key sections. Documents that no longer validate are listed with the reason, not left out silently."""
    from opengrex.store import repository as repo

    docs = repo.list_documents(session, order="id")
    order = {k.name: i for i, k in enumerate(kinds())}
    docs = sorted(docs, key=lambda d: (order.get(d.kind, 99), d.name.lower(), d.id))
    chapters: list[Hoofdstuk] = []
    overview: dict[str, list[dict[str, Any]]] = {}
    problems: list[dict[str, Any]] = []
    for d in docs:
        try:
            k = get_kind(d.kind)
            model = k.validate(d.data, f"document {d.id}")
            h = chapter(k, model, openbaar=openbaar, versie=d.current_version, document_id=d.id, kort=True)
            shown = visible_model(k, model, openbaar)
            head = k.headline(k.calculate(shown))
        except OpengrexError as exc:
            problems.append({"document": d.id, "naam": d.name, "soort": d.kind, "reden": str(exc)[:300]})
            continue
        chapters.append(h)
        row: dict[str, Any] = {"document": d.id, "naam": h.titel, "versie": d.current_version}
        for hl in k.headlines[:4]:
            row[hl.label] = head.get(hl.key)
        overview.setdefault(k.menu_label if k.listed_under is None else k.meervoud or k.label, []).append(row)
    intro = [_portfolio_overview(overview, chapters, problems)]
    r = Report(titel="Portefeuille", hoofdstukken=chapters, openbaar=openbaar, inleiding=intro,
               ondertitel=f"Alle opgeslagen documenten ({len(chapters)}), huidige versies")
    if afgedrukt is not None:
        r.afgedrukt = afgedrukt
    return r


def _portfolio_overview(overview: dict[str, list[dict[str, Any]]], chapters: list[Hoofdstuk], problems: list[dict[str, Any]]) -> Sectie:
    tables = []
    grex_ncw = 0.0
    n_grex = 0
    for titel, rows in overview.items():
        tables.append(Tabel.van_records(titel, rows, labels=2, eenheden=["aantal", "tekst", "aantal"]))
        for r in rows:
            if "NCW (BBV)" in r and isinstance(r["NCW (BBV)"], (int, float)):
                grex_ncw += float(r["NCW (BBV)"])
                n_grex += 1
    if problems:
        tables.append(Tabel.van_records("Niet in dit rapport (voldoen niet aan de invoerregels)", problems))
    figures_ = [Kerncijfer("Documenten", str(len(chapters)), "-")]
    if n_grex:
        figures_.append(Kerncijfer("Som NCW grondexploitaties", grex_ncw, "EUR contant", f"{n_grex} grondexploitaties, elk per de eigen NCW-datum"))
    return Sectie("Overzicht", tekst=["De kerncijfers van elk document; per document volgen de kerncijfers en de belangrijkste tabellen."],
                  kerncijfers=figures_, tabellen=tables)


def portfolio_pdf(session: Any, **kw: Any) -> bytes:
    return render_pdf(portfolio_report(session, **kw))


# ---------------------------------------------------------------------------------------------- the built-in kinds
def grex_sections(model: Any, result: Any) -> list[Sectie]:
    """Grondexploitatie: headline figures, starting points, totals, the three charts, per year, per kostensoort
    (totals and per year), the lines, method and parameters."""
    kind = get_kind("grex")
    g = result.grex
    bk = result.badkuip()
    irr = result.irr
    irr_text = getattr(irr, "message", None) or "–"
    kc = [
        Kerncijfer("NCW (BBV)", result.ncw, "EUR contant", f"per {g.ncw_date:%d-%m-%Y}"),
        Kerncijfer("Eindwaarde", result.eindwaarde, "EUR nominaal", f"per 31-12-{g.end_year}"),
        Kerncijfer("Contante waarde kasstromen", result.contante_waarde, "EUR contant"),
        Kerncijfer("Saldo nominaal", result.saldo_nominaal, "EUR nominaal"),
        Kerncijfer("Saldo prijspeil", result.saldo_prijspeil, "EUR prijspeil", f"{g.prijspeil:%d-%m-%Y}"),
        Kerncijfer("Badkuip (diepste boekwaarde)", bk["diepste_boekwaarde"], "EUR nominaal",
                   f"in {bk['jaar'] if bk['jaar'] is not None else '–'}; terugverdienjaar {bk['terugverdienjaar'] if bk['terugverdienjaar'] is not None else 'geen'}"),
        Kerncijfer("IRR (interne rentevoet)", irr_text, "-"),
    ]
    start = [
        {"gegeven": "Looptijd", "waarde": f"{g.start_year}–{g.end_year}"},
        {"gegeven": "Prijspeil", "waarde": f"{g.prijspeil:%d-%m-%Y}"},
        {"gegeven": "NCW-datum", "waarde": f"{g.ncw_date:%d-%m-%Y}"},
        {"gegeven": "Timing kasstromen", "waarde": {"end": "einde jaar", "mid": "midden jaar", "start": "begin jaar"}.get(g.timing, g.timing)},
        {"gegeven": "Rente", "waarde": _rates(g.rente)},
        {"gegeven": "Disconteringsvoet", "waarde": pct(g.disconteringsvoet)},
        {"gegeven": "Openingsboekwaarde", "waarde": eur(g.opening_book_value)},
        *({"gegeven": f"Indexreeks {n}", "waarde": _rates(v)} for n, v in g.indices.items()),
    ]
    t = result.totals()
    totals = Tabel("Totalen", ["", f"Prijspeil {g.prijspeil:%d-%m-%Y}", "Nominaal", f"Contant per {g.ncw_date:%d-%m-%Y}"],
                   [[k.capitalize(), t["prijspeil"][k], t["nominaal"][k], t["contante_waarde"][k]] for k in ("kosten", "opbrengsten", "saldo")],
                   eenheden=[None, "EUR", "EUR", "EUR"], totaal=True)
    yf = result.yearly_frame().reset_index()
    per_year = Tabel.van_frame("Per jaar (€ nominaal)", yf, kolomnamen={"disconteringsfactor": "Disc.factor", "boekwaarde": "Boekwaarde 31-12"}, totaal=True)
    per_year.rijen.append(["Totaal", *(float(yf[c].sum()) if c in ("opbrengsten", "kosten", "saldo", "rente", "contante_waarde") else None for c in yf.columns[1:])])
    per_year.eenheden = ["jaar", "EUR", "EUR", "EUR", "EUR", "EUR", "factor", "EUR"]
    ks = result.per_kostensoort_frame()
    ks_rows = sorted(((s, c, o, [float(v) for v in row]) for (s, c, o), row in zip(ks.index, ks.to_numpy())), key=lambda r: (r[0] != "kosten", natural_key(r[1])))
    years = [str(c) for c in ks.columns]
    ks_totals = Tabel("Per kostensoort (€ nominaal)", ["Code", "Omschrijving", "Nominaal"], [[c, o, sum(v)] for _, c, o, v in ks_rows], labels=2, eenheden=["tekst", "tekst", "EUR"])
    ks_years = Tabel("Per kostensoort per jaar (€ nominaal)", ["Code", *years, "Totaal"], [[c, *v, sum(v)] for _, c, _o, v in ks_rows], labels=1,
                     eenheden=["tekst", *["EUR"] * (len(years) + 1)])
    lines = []
    for sectie, items, soort in (("kosten", g.kosten, "kostensoort"), ("opbrengsten", g.opbrengsten, "opbrengstsoort")):
        for ln in items:
            row = {"post": ln.name, "soort": getattr(ln, soort), "bedrag (prijspeil)": ln.amount * (-1 if sectie == "kosten" else 1), "indexreeks": ln.index,
                   "fasering": _phasing(ln.phasing, ln.amount)}
            if ln.note:
                row["notitie"] = ln.note
            lines.append(row)
    keys = ["post", "soort", "bedrag (prijspeil)", "indexreeks", "fasering"] + (["notitie"] if any("notitie" in r for r in lines) else [])
    eenheden: list[str | None] = ["tekst", "tekst", "EUR", "tekst", "tekst", "tekst"]
    line_table = Tabel("Posten (kosten negatief)", [_label(k) for k in keys], [[r.get(k, "") for k in keys] for r in lines], labels=1,
                       eenheden=eenheden[: len(keys)])
    grafieken = [Grafiek(f) for f in charts.grex_figures(result).values()]
    return [
        Sectie("Kerncijfers", kerncijfers=kc, tabellen=[totals], kern=True,
               tekst=[g.description] if getattr(g, "description", "") else []),
        Sectie("Uitgangspunten", tabellen=[Tabel.van_records("", start)]),
        Sectie("Grafieken", grafieken=grafieken),
        Sectie("Per jaar", tabellen=[per_year]),
        Sectie("Per kostensoort", tabellen=[ks_totals, ks_years]),
        Sectie("Posten", tabellen=[line_table]),
        method_section(kind, result, ("ncw", "eindwaarde", "contante_waarde", "badkuip"),
                       ["Bedragen op prijspeil worden per post geïndexeerd met de eigen indexreeks naar nominale bedragen, over de jaren verdeeld "
                        "volgens de fasering; de boekwaarde groeit met de rente (rekening-courantmethode); de NCW is de eindwaarde contant "
                        "gemaakt met de disconteringsvoet naar de NCW-datum (BBV)."]),
    ]


def kostenverhaal_sections(model: Any, result: Any) -> list[Sectie]:
    kind = get_kind("kostenverhaal")
    d = result.to_dict()
    a5 = Tabel.van_records("Resultaat (bijlage A5)", [{"post": r["post"], "initiatiefnemer": r["initiatiefnemer"], "gemeente": r["gemeente"], "totaal": r["totaal"]} for r in result.a5_table()])
    volg = result.volgordelijkheid()
    volg_t = Tabel.van_records("Verhaald en niet verhaald (volgordelijkheid)", [
        {"#": v["volgorde"], "categorie": v["omschrijving"], "te verhalen": v["te_verhalen"], "verhaald": v["verhaald"], "niet verhaald": v["niet_verhaald"], "waarom": v["reden"]} for v in volg],
        eenheden=["aantal", "tekst", "EUR", "EUR", "EUR", "tekst"])
    ks = Tabel.van_records("Investeringen per kostensoort", sorted(result.kosten_per_kostensoort(), key=lambda r: natural_key(r.get("kostensoort", ""))), labels=2)
    ps = d.get("parameterset") or {}
    tekst = [f"Kostenverhaal {'met' if d.get('tijdvak') == 'met' else 'zonder'} tijdvak · gebied {d.get('gebied', '')} · parameterset {ps.get('naam', '')}"]
    secties = [
        Sectie("Kerncijfers", tekst=tekst, kerncijfers=headline_figures(kind, result), kern=True),
        Sectie("Resultaat", tabellen=[a5], kern=True),
        Sectie("Volgordelijkheid", grafieken=[Grafiek(f) for f in charts.kostenverhaal_figures(result).values()], tabellen=[volg_t]),
        Sectie("Investeringen", tabellen=[ks] + ([Tabel.van_records("Kavels (zonder tijdvak)", d["kavels"])] if d.get("kavels") else [])),
        method_section(kind, result),
    ]
    if d.get("notities"):
        secties.insert(-1, Sectie("Notities", tekst=[str(n) for n in d["notities"]]))
    return secties


def bijdrage_sections(model: Any, result: Any) -> list[Sectie]:
    kind = get_kind("bijdrage")
    tables = [
        Tabel.van_frame("Tabel 1: investeringen, bruto → netto, meetellend deel", result.tabel1()),
        Tabel.van_frame("Tabel 2: bestaand versus nieuw per gebied", result.tabel2()),
        Tabel.van_frame("Tabel 3: wegingsfactoren per segment", result.tabel3()),
        Tabel.van_frame("Tabel 4: prijs per gewogen eenheid per gebied", result.tabel4()),
        Tabel.van_frame("Tabel 5: tarief per woning per gebied", result.tabel5()),
        Tabel.van_frame("Plannen en hun bijdrage", result.plannen_frame()),
    ]
    params = Tabel.van_frame("Gebruikte parameters en bronnen", result.parameter_frame())
    tekst = [f"Financiële bijdrage fysieke leefomgeving in zes stappen (Nota Kostenverhaal Soest 2023 §4.1) · parameterset {result.parameters.parameterset} · bedragen in {result.eenheid}"
             + (" · ILLUSTRATIEF" if getattr(result.invoer, "illustratief", False) else "")]
    return [
        Sectie("Kerncijfers", tekst=tekst, kerncijfers=headline_figures(kind, result), kern=True),
        Sectie("Tarieven", grafieken=[Grafiek(f) for f in charts.bijdrage_figures(result).values()], tabellen=[tables[4]], kern=True),
        Sectie("Tabel 1–5", tabellen=[t for i, t in enumerate(tables) if i != 4]),
        Sectie(METHODE, tabellen=[params], uitleg=explanations(kind, result)),
    ]


def eindafrekening_sections(model: Any, result: Any) -> list[Sectie]:
    kind = get_kind("eindafrekening")
    d = result.to_dict()
    tables = []
    if result.per_categorie:
        tables.append(Tabel.van_records("Per categorie: raming en herberekening (contant op de betaaldatum)", sorted(result.per_categorie, key=lambda r: natural_key(r.get("categorie", "")))))
    if result.rente_regels:
        tables.append(Tabel.van_records("Rente over de terugbetaling, per jaar", [
            {"rentejaar": r["rentejaar"], "van": _date(r["van"]), "tot": _date(r["tot"]), "dagen": r["dagen"], "rentepercentage": r["rente_pct"], "grondslag": r["grondslag"], "rente": r["rente"]}
            for r in result.rente_regels]))
    tekst = [f"Eindafrekening ({d.get('soort', '')}) · datum {_date(d.get('datum'))} · parameterset {d.get('parameterset', '')}"]
    tekst += [str(w) for w in d.get("waarschuwingen") or []]
    return [
        Sectie("Kerncijfers", tekst=tekst, kerncijfers=headline_figures(kind, result), kern=True),
        Sectie("Herberekening", tabellen=tables),
        method_section(kind, result),
    ]


def programma_sections(model: Any, result: Any) -> list[Sectie]:
    kind = get_kind("programma")
    kc = headline_figures(kind, result) + [Kerncijfer("Eindwaarde", result.eindwaarde, "EUR nominaal")]
    f = charts.programme_figures(result)
    return [
        Sectie("Kerncijfers", kerncijfers=kc, kern=True, tabellen=[Tabel.van_frame("Projecten", result.projects_frame(), index=True)]),
        Sectie("Grafieken", grafieken=[Grafiek(x) for x in f.values()]),
        Sectie("Fonds (verevening)", tabellen=[Tabel.van_frame("", result.fund_frame(), index=True)]),
        Sectie("Partners en voorfinanciering", tabellen=[Tabel.van_frame("Partners", result.partners_frame(), index=True),
                                                         Tabel.van_frame("Voorfinanciering", result.financiers_totals(), index=True)]),
        Sectie("Garanties en taakstellingen", tabellen=[Tabel.van_frame("Garanties", result.guarantees_frame(), index=True),
                                                        Tabel.van_frame("Taakstellingen", result.taakstellingen_frame(), index=True)]),
        Sectie("Per jaar", tabellen=[Tabel.van_frame("Per jaar (€ nominaal)", result.yearly_frame(), index=True)]),
        method_section(kind, result),
    ]


def portefeuille_sections(model: Any, result: Any) -> list[Sectie]:
    """Meerjarenprognose grondexploitaties (MPG) for the council: headline figures and the weerstandsvermogen, per
    grondexploitatie the BBV figures (boekwaarde, expected result nominal and at NCW, verliesvoorziening with its
    movement, POC winstneming, risk), the portfolio's cash flow and book value per year with charts, warnings, method
    and sources (Notitie grondbeleid 2023, Notitie rente)."""
    kind = get_kind("portefeuille")
    w = result
    ws = w.weerstand
    kc = [Kerncijfer(c.label, c.waarde, "decimaal") if c.eenheid == "-" else c for c in headline_figures(kind, w)]  # the ratio: 1,34
    kc += [Kerncijfer("Weerstandsvermogen", f"klasse {ws.get('klasse', '–')}: {ws.get('betekenis', '')}", "-")]
    df = w.grexen_frame()
    cols = ["status", "boekwaarde", "resultaat_nominaal", "ncw", "voorziening", "dotatie", "vrijval", "poc", "winst_genomen", "risico", "risicomethode", "dagtelling"]
    per_grex = Tabel.van_frame(f"Per grondexploitatie (balansdatum 31-12-{w.balansjaar}; NCW per 1-1-{w.balansjaar + 1})",
                               df[[c for c in cols if c in df.columns]], index=True)
    tot = w.totalen()
    totals = Tabel.van_records("Totaal grondexploitaties in exploitatie", [{"kengetal": column_label(k), "bedrag": v} for k, v in tot.items()],
                               eenheden=["tekst", "EUR"])
    weerstand = Tabel.van_records("Weerstandsvermogen", [
        {"gegeven": "Beschikbare weerstandscapaciteit", "waarde": eur(ws["beschikbaar"])},
        {"gegeven": "Benodigde weerstandscapaciteit (risico's grondexploitaties)", "waarde": eur(ws["benodigd"])},
        {"gegeven": "Ratio (beschikbaar / benodigd)", "waarde": format_by_unit(ws["ratio"], "factor")},
        {"gegeven": "Waardering", "waarde": f"{ws.get('klasse', '–')}: {ws.get('betekenis', '')}"},
    ])
    tekst = [f"Portefeuille {w.portefeuille.naam}, balansjaar {w.balansjaar}. Disconteringsvoet {pct(w.disconteringsvoet)} ({w.disconteringsvoet_bron}).",
             "Bedragen in euro nominaal tenzij anders vermeld; de NCW is contant per 1 januari na de balansdatum."]
    out = [
        Sectie("Kerncijfers", kerncijfers=kc, tabellen=[totals], tekst=tekst, kern=True),
        Sectie("Per grondexploitatie", tabellen=[per_grex]),
        Sectie("Grafieken", grafieken=[Grafiek(f) for f in charts.portfolio_figures(w).values()]),
        Sectie("Per jaar", tabellen=[Tabel.van_frame("Kasstroom en boekwaarde per jaar (€ nominaal)", w.jaren_frame(), index=True)]),
        Sectie("Weerstandsvermogen", tabellen=[weerstand] + ([Tabel.van_frame("Risico's (Monte Carlo)", w.risk.frame(), index=True)] if w.risk is not None else [])),
    ]
    if w.waarschuwingen:
        out.append(Sectie("Waarschuwingen", tekst=list(w.waarschuwingen)))
    out.append(method_section(kind, w, tekst=[
        "Per grondexploitatie in exploitatie: de boekwaarde op de balansdatum, het verwachte eindresultaat nominaal en contant (NCW, BBV), "
        "een verliesvoorziening voor het volledige verwachte verlies contant, winstneming naar rato van de voortgang (POC = aandeel gerealiseerde "
        "kosten × aandeel gerealiseerde opbrengsten) minus eerder genomen winst; geen winstneming zolang geen grond is verkocht (Notitie "
        "grondbeleid in begroting en jaarstukken, commissie BBV)."]))
    return out


def gebied_sections(model: Any, result: Any) -> list[Sectie]:
    """Gebiedsbegroting: the one-wallet view, the parties, the game rules in their order with their effect per party,
    the gebiedsfonds, risks and linked documents, with the page's charts. Made from the result's own report data, so
    the public (Woo) variant shows only public figures (a withheld figure reads ``vertrouwelijk``)."""
    from opengrex.services.gebied import report_tables

    kind = get_kind("gebied")
    d = result.rapport()
    t = report_tables(d)
    woo = d.get("woo", {})
    tekst = [woo.get("toelichting", ""), d.get("eenheid", "")]
    out = [
        Sectie("Kerncijfers", kerncijfers=headline_figures(kind, result), tekst=[x for x in tekst if x], kern=True,
               tabellen=[Tabel.van_records("Partijen (€ nominaal, som over de jaren)", t["partijen"])]),
        Sectie("Grafieken", grafieken=[Grafiek(f) for f in charts.gebied_figures(d).values()]),
        Sectie("Eén portemonnee per jaar", tabellen=[Tabel.van_records("Gebied per jaar (€ nominaal)", t["gebied"])]),
        Sectie("Investeringen", tabellen=[Tabel.van_records("Investeringen per partij", t["investeringen"])]),
        Sectie(f"Spelregels ({d['spelregels']['set'] or 'geen set'})", tabellen=[Tabel.van_records("Effect per partij, in volgorde van toepassing", t["spelregels"])]),
        Sectie(d["fonds"]["naam"], tabellen=[Tabel.van_records("Per jaar", t["fonds"])]),
    ]
    if t["risicos"]:
        out.append(Sectie("Risico's", tabellen=[Tabel.van_records("", t["risicos"])]))
    if t["verwijzingen"]:
        out.append(Sectie("Gekoppelde documenten", tabellen=[Tabel.van_records("", t["verwijzingen"])]))
    for key, title in (("transacties", "Transacties (vertrouwelijk)"), ("marges", "Marges (vertrouwelijk)")):
        if key in t:
            out.append(Sectie(title, tabellen=[Tabel.van_records("", t[key])]))
    if d.get("waarschuwingen"):
        out.append(Sectie("Waarschuwingen", tekst=list(d["waarschuwingen"])))
    out.append(method_section(kind, result))
    return out


BUILTIN = {"grex": grex_sections, "kostenverhaal": kostenverhaal_sections, "bijdrage": bijdrage_sections,
           "eindafrekening": eindafrekening_sections, "programma": programma_sections, "portefeuille": portefeuille_sections,
           "gebied": gebied_sections}
"""Report hooks of the built-in kinds (registered in :mod:`opengrex.services.kinds`)."""


# ---------------------------------------------------------------------------------------------- helpers
def _label(key: Any) -> str:
    return column_label(key)


def _rates(series: Any) -> str:
    if isinstance(series, dict):
        return "; ".join(f"{y}: {pct(v)}" for y, v in sorted(series.items())) + (" (het laatste geldt voor latere jaren)" if len(series) > 1 else "")
    return pct(float(series))


def _phasing(phasing: dict[int, float], amount: float) -> str:
    total = sum(phasing.values())
    shares = math.isclose(total, 1.0, rel_tol=1e-6)
    return "; ".join(f"{y}: {pct(v, 0) if shares else format_by_unit(v, 'EUR')}" for y, v in sorted(phasing.items()))


def _date(v: Any) -> str:
    return date_nl(v)


# ---------------------------------------------------------------------------------------------- spatial screening
MAX_KAARTEN = 200
"""Locations that get a section with a PNG map in one screening report (the rest only in the summary)."""
MAX_RIJEN = 1000
"""Locations listed in the summary table of one screening report (the counts per rule cover all of them)."""
OORDELEN = ("strijdig", "aandachtspunt", "geen", "niet getoetst")


def screening_report(result: Any, *, max_kaarten: int = MAX_KAARTEN, max_rijen: int = MAX_RIJEN, openbaar: bool = False,
                     afgedrukt: dt.datetime | None = None) -> Report:
    """The print-ready report of a Water-en-bodem-sturend screening (:class:`opengrex.services.ruimte.ScreeningResult`):
    rule set version and source, a summary per location, per location (the first ``max_kaarten``) a section with its
    PNG map and its verdict per structurerende keuze, and the method: layers used and layers missing (niet getoetst)."""
    from opengrex.engine.ruimte import OORDEEL_TEKST
    from opengrex.formatting import number
    from opengrex.services import ruimte as svc

    rs = result.regelset
    n = len(result.ids)
    worst = result.verdict.max(axis=1)
    worst_t = [OORDEEL_TEKST[int(v)] for v in worst]

    def naam(li: int) -> str:
        return "" if result.namen is None or result.namen[li] is None else str(result.namen[li])

    def tel(li: int) -> dict[str, int]:
        row = [OORDEEL_TEKST[int(v)] for v in result.verdict[li]]
        return {o: row.count(o) for o in OORDELEN}

    with_maps = min(n, max(0, max_kaarten)) if result.geometrie is not None else 0
    shown = min(n, max(0, max_rijen))
    bron_rs = rs.bron.text() + (f" ({date_nl(rs.bron.datum)})" if rs.bron.datum else "")
    versies = dict(svc.regelset_versies())
    bestand = versies.get(rs.geldig_vanaf)
    regelset_rows = [
        ["Regelset (versie)", f"{rs.versie()}, geldig vanaf {date_nl(rs.geldig_vanaf)}"],
        ["Titel", rs.titel],
        ["Beleid", rs.beleid],
        ["Bron", bron_rs],
        ["Parameterbestand", f"parameters/ruimte/wbs/{bestand.name if bestand else rs.geldig_vanaf.isoformat() + '.yaml'}"],
        ["Planlocaties", f"{result.bron} ({number(n)} locaties)"],
        ["Lagen", result.lagen or "ingebouwde demolagen De Brede Waard (fictief)"],
        ["Rekenkern", result.engine],
    ]
    intro = Sectie("Regelset en invoer", kern=True, kerncijfers=[
        Kerncijfer("Planlocaties", n, "aantal"),
        *[Kerncijfer(f"Locaties {o}", worst_t.count(o), "aantal", toelichting="zwaarste oordeel") for o in OORDELEN],
    ], tabellen=[Tabel("", ["Gegeven", "Waarde"], regelset_rows, eenheden=["tekst", "tekst"], breedtes=[1.0, 4.0])], tekst=[
        "Oordeel per structurerende keuze: strijdig, aandachtspunt, geen, of niet getoetst (de laag die de keuze nodig heeft ontbreekt). "
        "Het zwaarste oordeel van een locatie is het ernstigste oordeel over de keuzes die getoetst zijn.",
    ])
    if result.niet_getoetst:
        intro.tekst.append("Niet getoetst: " + "; ".join(f"keuze {'/'.join(map(str, rs.regel(rid).keuzes))} ({reason})"
                                                         for rid, reason in result.niet_getoetst.items()) + ".")
    rows = [[str(result.ids[li]), naam(li), round(float(result.oppervlak[li])), worst_t[li], *tel(li).values()] for li in range(shown)]
    samenvatting = Sectie("Samenvatting per locatie", kern=True, tabellen=[
        Tabel("Oordeel per locatie", ["Locatie", "Naam", "Oppervlakte m²", "Zwaarste oordeel", "Strijdig", "Aandachtspunt", "Geen", "Niet getoetst"],
              rows, eenheden=["tekst", "tekst", "aantal", "tekst", "aantal", "aantal", "aantal", "aantal"], labels=2,
              breedtes=[0.8, 2.2, 1.3, 1.5, 1.0, 1.4, 0.8, 1.2],
              toelichting="Aantal keuzes (regels) per oordeel." + (f" Alleen de eerste {number(shown)} van {number(n)} locaties staan in deze tabel;"
                                                                 " de telling per keuze hieronder omvat alle locaties." if shown < n else "")),
        Tabel("Telling per keuze (alle locaties)", ["Keuze", "Omschrijving", *[o.capitalize() for o in OORDELEN]],
              [["/".join(map(str, rs.regel(rid).keuzes)), rs.regel(rid).label, *[c[o] for o in OORDELEN]] for rid, c in result.counts().items()],
              eenheden=["tekst", "tekst", "aantal", "aantal", "aantal", "aantal"], labels=2, breedtes=[0.8, 4.0, 1.0, 1.4, 0.8, 1.2]),
    ])
    if with_maps < n:
        samenvatting.tekst.append(
            f"Kaart en toetsing per locatie: de eerste {number(with_maps)} van {number(n)} locaties" +
            (" (deze toetsing heeft geen geometrie bewaard)." if result.geometrie is None else
             f" (hoogstens {number(max_kaarten)} per rapport). Toets de overige in delen, of schrijf alle oordelen met 'opengrex ruimte toets … -o uitvoer.csv'."))
    secties = [intro, samenvatting]
    for li in range(with_maps):
        secties.append(_location_section(result, li, naam(li), worst_t[li], tel(li)))
    secties.append(_screening_method(result))
    title = "Toetsing Water en bodem sturend"
    h = Hoofdstuk(titel=title, soort="ruimtelijke toets", secties=secties, versie_label=f"regelset {rs.versie()}",
                  ondertitel=f"{number(n)} planlocaties")
    r = Report(titel=title, hoofdstukken=[h], openbaar=openbaar, versie_label=f"regelset {rs.versie()}",
               ondertitel=f"Planlocaties uit {result.bron} getoetst aan de structurerende keuzes — {rs.beleid}")
    if afgedrukt is not None:
        r.afgedrukt = afgedrukt
    return r


def _location_section(result: Any, li: int, naam: str, worst: str, tel: dict[str, int]) -> Sectie:
    from opengrex.engine.ruimte import NIET_GETOETST, OORDEEL_TEKST
    from opengrex.formatting import number
    from opengrex.services import ruimte as svc

    lid = str(result.ids[li])
    rows = []
    for ri, regel in enumerate(result.regels):
        ov = float(result.overlap[li, ri])
        share = float(result.aandeel[li, ri])
        laag = regel.laag + (f" + {regel.diepe_polder.hoogte_laag}" if regel.diepe_polder else "")
        v = int(result.verdict[li, ri])
        toel = f"laag ontbreekt; zie {METHODE.lower()}" if v == NIET_GETOETST else result.toelichting(li, ri)
        rows.append(["/".join(map(str, regel.keuzes)), regel.label, OORDEEL_TEKST[v],
                     None if math.isnan(ov) else round(ov), None if math.isnan(share) else share, laag, toel])
    counts = ", ".join(f"{c} {o}" for o, c in tel.items() if c)
    return Sectie(
        f"Locatie {lid}" + (f" — {naam}" if naam else "") + f": {worst}", nieuwe_pagina=True,
        tekst=[f"Oppervlakte {number(float(result.oppervlak[li]))} m² · zwaarste oordeel: {worst} ({counts})."],
        afbeeldingen=[Afbeelding(svc.location_map_png(result, lid), f"Kaart van locatie {lid} (RD New, EPSG:28992) met de lagen eromheen; "
                                                                     "de rand van de locatie in de kleur van het zwaarste oordeel.")],
        tabellen=[Tabel(f"Oordeel per keuze — locatie {lid}", ["Keuze", "Omschrijving", "Oordeel", "Overlap m²", "Overlap %", "Laag", "Toelichting"],
                        rows, eenheden=["tekst", "tekst", "tekst", "aantal", "%", "tekst", "tekst"], labels=2,
                        breedtes=[0.8, 2.6, 1.4, 1.0, 0.9, 2.0, 2.6])],
    )


def _screening_method(result: Any) -> Sectie:
    from opengrex.services import ruimte as svc

    rs = result.regelset
    gebruikt_door: dict[str, list[str]] = {}
    for regel in rs.regels:
        for laag in regel.lagen():
            gebruikt_door.setdefault(laag, []).append("/".join(map(str, regel.keuzes)))
    missing = {laag for rid in result.niet_getoetst for laag in rs.regel(rid).lagen() if laag not in result.laag_bronnen}
    lagen = []
    for laag, keuzes in gebruikt_door.items():
        spec = rs.lagen[laag]
        if laag in result.laag_bronnen:
            bron = result.laag_bronnen[laag]
            status = "gebruikt"
            bron = "ingebouwde demolaag (fictief)" if bron.startswith("<") else bron
        else:
            status = "ontbreekt: keuze " + ", ".join(dict.fromkeys(keuzes)) + " niet getoetst" if laag in missing else "ontbreekt"
            bron = "–"
        lagen.append([laag, spec.omschrijving, ", ".join(dict.fromkeys(keuzes)), status, bron, "; ".join(spec.datasets)])
    teksten = svc.keuze_teksten()
    alle_keuzes = sorted({k for r in rs.regels for k in r.keuzes})
    regels = [["/".join(map(str, r.keuzes)), r.label, "; ".join(c.text() for c in r.criteria),
               r.bron.text() + (f" Interpretatie: {r.interpretatie}" if r.interpretatie else "")] for r in rs.regels]
    tekst = [f"Regelset {rs.versie()} ({rs.titel}), geldig vanaf {date_nl(rs.geldig_vanaf)}; bron: {rs.bron.text()}.",
             "Elke locatie (omgerekend naar RD New, EPSG:28992) is gesneden met de zones van elke regel; de overlap in m² en als aandeel van de "
             f"locatie bepaalt het oordeel volgens de criteria hieronder. Overlap kleiner dan {format_by_unit(rs.min_overlap_m2, 'aantal')} m² telt niet mee."]
    if result.niet_getoetst:
        tekst.append("Niet getoetst (laag ontbreekt): " + "; ".join(f"regel {rid} (keuze {'/'.join(map(str, rs.regel(rid).keuzes))}): {reason}"
                                                                   for rid, reason in result.niet_getoetst.items()) + ".")
    else:
        tekst.append("Alle lagen die de regelset nodig heeft waren aanwezig; geen keuze is niet getoetst.")
    tekst += [f"Niet geverifieerd: {x}" for x in rs.niet_geverifieerd]
    tabellen = [
        Tabel("Lagen", ["Laag", "Omschrijving", "Keuze", "Status", "Bestand", "Openbare bron"], lagen, labels=1,
              eenheden=["tekst"] * 6, breedtes=[1.7, 2.3, 0.8, 1.4, 1.8, 2.3], toelichting="Welke kaartlaag elke keuze nodig heeft, of die gebruikt is en uit welk bestand."),
        Tabel("Regels en criteria", ["Keuze", "Regel", "Criteria", "Bron"], regels, eenheden=["tekst"] * 4, breedtes=[0.8, 2.0, 3.0, 3.0]),
        Tabel("Structurerende keuzes (tekst)", ["Keuze", "Thema", "Tekst"], [[str(k), teksten[k]["thema"], teksten[k]["tekst"]] for k in alle_keuzes],
              eenheden=["tekst"] * 3, breedtes=[0.8, 1.6, 6.0], toelichting="Kamerbrief Water en Bodem Sturend, 25 november 2022, zoals samengevat in seed 004."),
    ]
    if result.meldingen:
        tabellen.append(Tabel("Meldingen bij het inlezen", ["Melding"], [[str(m)] for m in result.meldingen[:100]], eenheden=["tekst"],
                              toelichting=f"De eerste 100 van {len(result.meldingen)}." if len(result.meldingen) > 100 else ""))
    return Sectie(METHODE, tekst=tekst, tabellen=tabellen, nieuwe_pagina=True)


def screening_html(result: Any, **kw: Any) -> str:
    """HTML of :func:`screening_report` (for checks)."""
    return render_html(screening_report(result, **kw))


def screening_pdf(result: Any, **kw: Any) -> bytes:
    """PDF bytes of :func:`screening_report`."""
    return render_pdf(screening_report(result, **kw))


__all__ = ["BUILTIN", "default_sections", "document_html", "document_pdf", "document_report", "explanations", "method_section", "natural_key",
           "portfolio_pdf", "portfolio_report", "screening_html", "screening_pdf", "screening_report",
           "sections", "visible_model"]
