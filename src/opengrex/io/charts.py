"""The charts of opengrex, built once as plotly figure specs (``{"data": [...], "layout": {...}}``) and shown
everywhere the same: by plotly.js on the document pages (as JSON through
:func:`opengrex.web.pages.render.charts_json`), as SVG in the PDF reports (:mod:`opengrex.io.report.svg`), and as
PNG (matplotlib, the report's renderer) and HTML (plotly) files for ``opengrex programma … --grafieken``.

The builders take result objects by duck typing (io never imports services): a grex result (``outcome``,
``years``, ``badkuip()``), a kostenverhaal case result (``volgordelijkheid()``), a bijdrage result (``tabel5()``,
``eenheid``), a programme result (``yearly_frame()``, ``projects_frame()``, ``programme.name``), a scenario
comparison (``base``, ``scenarios``) and a risk result (``summary()``, ``histogram()``, ``draws``). Amounts are
euros, unrounded; the renderers format the axes (nl-NL: ``€ 1.234.567``; PNG and SVG in millions).

Layout rules that keep the charts readable at 390 px and in print: the title top left, the legend below the plot
(never over the title), long category names on a horizontal bar's y axis and wrapped, a chart without any amount
says so instead of showing an axis of € 1, € 0, € −1. On a phone the page wraps the title and thins the year ticks
(``static/app.js``).
"""
from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import numpy as np

Figure = dict[str, Any]
"""A plotly figure spec: ``{"data": [...], "layout": {...}}``."""

RED, GREEN, BLUE, GREY, NAVY, PURPLE = "#c62828", "#2e7d32", "#1565c0", "#757575", "#1a237e", "#6a1b9a"
LEGEND_BELOW = {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.12, "yanchor": "top"}


def layout(title: str, **over: Any) -> dict[str, Any]:
    """The common layout (nl-NL separators, euros on the y axis, title top left, legend below the plot)."""
    base: dict[str, Any] = {
        "separators": ",.", "margin": {"l": 20, "r": 20, "t": 50, "b": 20}, "height": 360,
        "title": {"text": title, "font": {"size": 14}, "x": 0.01, "xanchor": "left", "xref": "container"},
        "legend": dict(LEGEND_BELOW), "font": {"family": "system-ui, sans-serif", "size": 12},
        "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "#fafafa",
        "yaxis": {"tickprefix": "€ ", "tickformat": ",.0f", "automargin": True, "zeroline": True},
        "xaxis": {"automargin": True},
    }
    base.update(over)
    return base


def wrap(label: Any, width: int = 28) -> str:
    """A category label wrapped over lines (plotly ``<br>``) so long names do not squeeze the plot."""
    return "<br>".join(textwrap.wrap(str(label), width)) or str(label)


def without_amounts(fig: Figure) -> Figure:
    """A figure whose every amount is zero or missing: no euro ticks (they would read € 1, € 0, € −1) but a note."""
    vals = []
    for t in fig["data"]:
        for key in ("y", "x") if t.get("orientation") == "h" else ("y",):
            vals += [v for v in (t.get(key) or []) if isinstance(v, (int, float))]
    if any(abs(v) > 0.005 for v in vals):
        return fig
    lay = fig["layout"]
    axis = "xaxis" if any(t.get("orientation") == "h" for t in fig["data"]) else "yaxis"  # the amount axis (a horizontal bar's y axis holds the names)
    lay[axis] = {**lay.get(axis, {}), "showticklabels": False, "range": [-1, 1], "zeroline": True}
    lay["annotations"] = [*lay.get("annotations", []), {"text": "Nog geen bedragen", "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5, "showarrow": False,
                                                        "font": {"color": GREY, "size": 13}}]
    lay["showlegend"] = False
    return fig


# ---------------------------------------------------------------------------------------------- grex
def grex_figures(result: Any) -> dict[str, Figure]:
    """``grafiek-kasstromen`` (revenues, costs and saldo per year), ``grafiek-boekwaarde`` (book value with the
    badkuip marked and the terugverdienjaar), ``grafiek-cumulatief`` (cumulative saldo, nominal and discounted)."""
    o = result.outcome
    years = [int(y) for y in result.years]
    bk = result.badkuip()
    base = layout("", height=340, xaxis={"dtick": 1 if len(years) <= 16 else 2, "automargin": True})
    flows = {"data": [
        {"type": "bar", "name": "Opbrengsten", "x": years, "y": o.revenues.tolist(), "marker": {"color": GREEN}},
        {"type": "bar", "name": "Kosten", "x": years, "y": o.costs.tolist(), "marker": {"color": RED}},
        {"type": "scatter", "mode": "lines+markers", "name": "Saldo", "x": years, "y": o.flows.tolist(), "line": {"color": NAVY}},
    ], "layout": {**base, "title": {**base["title"], "text": "Kasstromen per jaar (€ nominaal)"}, "barmode": "relative"}}
    annotations, shapes = [], []
    if bk["jaar"] is not None:
        annotations.append({"x": bk["jaar"], "y": bk["diepste_boekwaarde"], "text": f"badkuip {bk['jaar']}", "showarrow": True, "arrowhead": 2, "ay": 30})
    if bk["terugverdienjaar"] is not None:
        shapes.append({"type": "line", "x0": bk["terugverdienjaar"], "x1": bk["terugverdienjaar"], "yref": "paper", "y0": 0, "y1": 1, "line": {"dash": "dot", "color": GREEN}})
        annotations.append({"x": bk["terugverdienjaar"], "yref": "paper", "y": 1, "text": "terugverdienjaar", "showarrow": False, "yanchor": "bottom"})
    book = {"data": [
        {"type": "scatter", "mode": "lines+markers", "name": "Boekwaarde", "x": years, "y": o.book_value.tolist(), "fill": "tozeroy", "line": {"color": BLUE}},
    ] + ([{"type": "scatter", "mode": "markers", "name": "Badkuip (diepste punt)", "x": [bk["jaar"]], "y": [bk["diepste_boekwaarde"]],
           "marker": {"size": 14, "color": RED, "symbol": "diamond"}}] if bk["jaar"] is not None else []),
        "layout": {**base, "title": {**base["title"], "text": "Boekwaarde per 31-12 (€ nominaal) met badkuip"}, "annotations": annotations, "shapes": shapes}}
    cumulative = {"data": [
        {"type": "scatter", "mode": "lines+markers", "name": "Cumulatief saldo (nominaal)", "x": years, "y": np.cumsum(o.flows).tolist(), "line": {"color": NAVY}},
        {"type": "scatter", "mode": "lines+markers", "name": "Cumulatief contant", "x": years, "y": np.cumsum(o.flows * o.discount).tolist(), "line": {"color": PURPLE, "dash": "dash"}},
    ], "layout": {**base, "title": {**base["title"], "text": "Cumulatief resultaat"}}}
    return {"grafiek-kasstromen": without_amounts(flows), "grafiek-boekwaarde": without_amounts(book), "grafiek-cumulatief": without_amounts(cumulative)}


# ---------------------------------------------------------------------------------------------- kostenverhaal
def kostenverhaal_figures(result: Any) -> dict[str, Figure]:
    """``grafiek-verhaal``: per category in the order of volgordelijkheid, recovered and not recovered (stacked)."""
    volg = result.volgordelijkheid()
    cats = [wrap(v["omschrijving"], 22) for v in volg]
    fig = {"data": [
        {"type": "bar", "name": "Verhaald", "x": cats, "y": [v["verhaald"] for v in volg], "marker": {"color": GREEN}},
        {"type": "bar", "name": "Niet verhaald (algemene middelen)", "x": cats, "y": [v["niet_verhaald"] for v in volg], "marker": {"color": RED}},
    ], "layout": layout("Verhaald en niet verhaald per categorie (volgordelijkheid)", barmode="stack", height=400)}
    return {"grafiek-verhaal": without_amounts(fig)}


# ---------------------------------------------------------------------------------------------- bijdrage
def bijdrage_figures(result: Any) -> dict[str, Figure]:
    """``grafiek-tarieven``: the tariff per home per area and segment (tabel 5)."""
    t5 = result.tabel5()
    segs = [c for c in t5.columns if c != "gebied"]
    areas = [wrap(g, 22) for g in t5["gebied"].tolist()]
    fig = {"data": [{"type": "bar", "name": s, "x": areas, "y": t5[s].tolist()} for s in segs],
           "layout": layout(f"Tarief per woning per gebied ({result.eenheid})", barmode="group")}
    return {"grafiek-tarieven": without_amounts(fig)}


# ---------------------------------------------------------------------------------------------- programme
def programme_figures(result: Any) -> dict[str, Figure]:
    """``grafiek-programma``: book value of the programme and of the projects, and the fund balance per year
    (€ nominaal; the badkuip is the lowest point); ``grafiek-projecten``: NCW per project up to the programme's last
    year, as horizontal bars (names readable and wrapped on the y axis)."""
    yf = result.yearly_frame()
    years = [int(y) for y in yf.index]
    pf = result.projects_frame()
    ncw = [float(v) for v in pf["ncw"].tolist()]
    names = [wrap(i, 30) for i in pf.index]
    name = result.programme.name
    return {
        "grafiek-programma": without_amounts({"data": [
            {"type": "scatter", "mode": "lines+markers", "name": "Boekwaarde programma", "x": years, "y": yf["boekwaarde_programma"].tolist(), "fill": "tozeroy", "line": {"color": BLUE}},
            {"type": "scatter", "mode": "lines", "name": "Boekwaarde projecten", "x": years, "y": yf["boekwaarde_projecten"].tolist(), "line": {"color": GREY}},
            {"type": "scatter", "mode": "lines", "name": "Fondssaldo", "x": years, "y": yf["fonds_saldo"].tolist(), "line": {"dash": "dash", "color": GREEN}},
        ], "layout": layout(f"Badkuip en fondssaldo — {name} (€ nominaal)", xaxis={"dtick": 2, "automargin": True})}),
        "grafiek-projecten": without_amounts({"data": [
            {"type": "bar", "orientation": "h", "name": "NCW per project (tot het laatste jaar van het programma)", "y": names, "x": ncw,
             "marker": {"color": [RED if v < 0 else GREEN for v in ncw]}, "hovertemplate": "%{y}: € %{x:,.0f}<extra></extra>"},
        ], "layout": layout("NCW per project (€ contant, tot het laatste jaar van het programma)", height=120 + 34 * len(ncw), showlegend=False,
                            yaxis={"autorange": "reversed", "automargin": True}, xaxis={"tickprefix": "€ ", "tickformat": ",.0f", "automargin": True})}),
    }


def scenario_figures(comparison: Any) -> dict[str, Figure]:
    """``waterval-N`` per scenario: the base NCW, the effect of each change (Shapley; volgtijdelijk when there are
    too many changes) and the scenario's NCW (change labels wrapped)."""
    out: dict[str, Figure] = {}
    base = float(comparison.base.ncw)
    for i, s in enumerate(comparison.scenarios, start=1):
        effects = [float(e) for e in (s.shapley if s.shapley is not None else s.sequential)]
        method = "Shapley" if s.shapley is not None else "volgtijdelijk"
        labels = [wrap(x, 20) for x in ("Basis", *s.wijzigingen, s.naam)]
        out[f"waterval-{i}"] = {"data": [{
            "type": "waterfall", "name": s.naam, "x": labels, "measure": ["absolute"] + ["relative"] * len(effects) + ["total"], "y": [base, *effects, 0.0],
            "increasing": {"marker": {"color": GREEN}}, "decreasing": {"marker": {"color": RED}}, "totals": {"marker": {"color": BLUE}},
        }], "layout": layout(f"Waterval ({method}) — {s.naam}", showlegend=False, yaxis={"title": {"text": "NCW"}, "tickprefix": "€ ", "tickformat": ",.0f", "automargin": True})}
    return out


def cause_figure(figure: dict[str, Any], title: str) -> Figure:
    """A waterfall of a change per cause: the figure in version a, each cause's part, the figure in version b
    (``figure``: one entry of the ``kengetallen`` of a cause attribution, :func:`opengrex.services.vergelijking.compare_documents`)."""
    parts = figure["per_oorzaak"]
    labels = ["Versie a", *[p["oorzaak"] for p in parts], "Versie b"]
    return {"data": [{
        "type": "waterfall", "x": labels, "measure": ["absolute"] + ["relative"] * len(parts) + ["total"], "y": [figure["a"], *[p["bedrag"] for p in parts], 0.0],
        "increasing": {"marker": {"color": GREEN}}, "decreasing": {"marker": {"color": RED}}, "totals": {"marker": {"color": BLUE}},
        "hovertext": ["", *[p["omvat"] for p in parts], ""],
    }], "layout": layout(title, yaxis={"title": {"text": figure["label"]}, "tickprefix": "€ ", "tickformat": ",.0f", "automargin": True},
                         xaxis={"tickangle": -35, "automargin": True}, margin={"l": 90, "r": 20, "t": 60, "b": 60})}


def tornado_figure(tornado: Any, title: str = "Tornado: effect op de NCW") -> Figure:
    """Each input at its low and its high value, the rest at the base: the change of the NCW (``tornado.rows``:
    ``invoer``, ``bereik``, ``effect_laag``, ``effect_hoog``, widest band first)."""
    rows = tornado.rows
    names = [f"{r['invoer']} ({r['bereik']})" for r in rows]
    return {"data": [
        {"type": "bar", "orientation": "h", "name": "lage waarde", "y": names, "x": [r["effect_laag"] for r in rows], "marker": {"color": RED}},
        {"type": "bar", "orientation": "h", "name": "hoge waarde", "y": names, "x": [r["effect_hoog"] for r in rows], "marker": {"color": GREEN}},
    ], "layout": layout(title, barmode="overlay", height=140 + 34 * len(rows), yaxis={"autorange": "reversed", "automargin": True},
                        xaxis={"tickprefix": "€ ", "tickformat": ",.0f", "automargin": True}, margin={"l": 20, "r": 20, "t": 60, "b": 40})}


def risk_figures(risk: Any, bins: int = 40) -> dict[str, Figure]:
    """``grafiek-risico``: the distribution of the programme NCW over the draws with P10, P50, P90 marked;
    ``grafiek-tornado``: each input at its P10 and P90, the rest at the base (labels wrapped, one row per input)."""
    summ = risk.summary()
    hist = risk.histogram(bins)
    mids = ((hist["van"] + hist["tot"]) / 2).tolist()
    width = float((hist["tot"] - hist["van"]).iloc[0]) if len(hist) else 1.0
    tornado = summ.get("tornado", [])
    labels = [wrap(t["invoer"], 30) for t in tornado]
    marks = [{"type": "line", "x0": summ[k], "x1": summ[k], "yref": "paper", "y0": 0, "y1": 1, "line": {"dash": "dot"}} for k in ("P10", "P50", "P90") if k in summ]
    rows = sum(label.count("<br>") + 1 for label in labels)
    return {
        "grafiek-risico": {"data": [{"type": "bar", "name": "Trekkingen", "x": mids, "y": hist["aantal"].tolist(), "width": width, "marker": {"color": BLUE}}],
                           "layout": layout(f"Verdeling NCW programma ({risk.draws} trekkingen; P10, P50, P90 gestippeld)", showlegend=False, yaxis={"title": {"text": "aantal"}, "automargin": True},
                                            xaxis={"tickprefix": "€ ", "tickformat": ",.0f", "automargin": True}, shapes=marks)},
        "grafiek-tornado": {"data": [
            {"type": "bar", "orientation": "h", "name": "bij P10", "y": labels, "x": [t["effect_P10"] for t in tornado], "marker": {"color": RED}},
            {"type": "bar", "orientation": "h", "name": "bij P90", "y": labels, "x": [t["effect_P90"] for t in tornado], "marker": {"color": GREEN}},
        ], "layout": layout("Tornado: effect op de NCW", barmode="overlay", height=140 + 22 * rows + 10 * len(labels),
                            yaxis={"autorange": "reversed", "automargin": True}, xaxis={"tickprefix": "€ ", "tickformat": ",.0f", "automargin": True})},
    }

# ---------------------------------------------------------------------------------------------- BBV portfolio (MPG)
def portfolio_figures(w: Any) -> dict[str, Figure]:
    """A BBV valuation (``jaren_frame()``, ``grexen_frame()``, ``balansjaar``): the portfolio's cash flow per year
    (realised up to the balance year, expected after), its book value per year and the NCW per grex."""
    jf = w.jaren_frame()
    years = [int(y) for y in jf.index]
    df = w.grexen_frame()
    valued = df.dropna(subset=["ncw"]) if "ncw" in df.columns else df.iloc[0:0]
    ncw = [float(v) for v in valued["ncw"]] if "ncw" in valued.columns else []
    return {
        "grafiek-kasstroom": without_amounts({"data": [
            {"type": "bar", "name": "Gerealiseerd", "x": years, "y": jf["kasstroom_gerealiseerd"].tolist(), "marker": {"color": "#546e7a"}},
            {"type": "bar", "name": "Verwacht", "x": years, "y": jf["kasstroom_verwacht"].tolist(), "marker": {"color": "#90caf9"}},
        ], "layout": layout("Kasstroom portefeuille per jaar (€ nominaal)", barmode="relative")}),
        "grafiek-boekwaarde": without_amounts({"data": [
            {"type": "scatter", "mode": "lines+markers", "name": "Boekwaarde (balans)", "x": years, "y": jf["boekwaarde"].tolist(), "fill": "tozeroy"},
        ], "layout": layout("Boekwaarde portefeuille per jaar (€, positief = voorraad)")}),
        "grafiek-ncw": without_amounts({"data": [
            {"type": "bar", "orientation": "h", "name": "NCW", "y": [wrap(i) for i in valued.index], "x": ncw,
             "marker": {"color": [RED if v < 0 else GREEN for v in ncw]}},
        ], "layout": layout(f"Resultaat per grex (NCW per 1-1-{w.balansjaar + 1})", height=max(300, 60 + 34 * len(ncw)), showlegend=False,
                            xaxis={"tickprefix": "€ ", "tickformat": ",.0f", "automargin": True, "zeroline": True},
                            yaxis={"automargin": True, "autorange": "reversed"})}),
    }



JAAROVERGANG_OORZAKEN = ("realisatie", "herraming", "timing", "indexatie", "rente")
"""The causes of a jaarovergang's change in result, in the order of the waterfall."""


def jaarovergang_figures(totals: dict[str, dict[str, float]], jaar: int) -> dict[str, Figure]:
    """A jaarovergang's change of the portfolio's NCW (``totals()["ncw"]``: voor, the causes, na) as a waterfall."""
    t = totals["ncw"]
    return {"grafiek-oorzaken": {"data": [
        {"type": "waterfall", "orientation": "v", "x": ["NCW voor", *JAAROVERGANG_OORZAKEN, "NCW na"],
         "measure": ["absolute", *(["relative"] * len(JAAROVERGANG_OORZAKEN)), "total"],
         "y": [t["voor"], *[t[c] for c in JAAROVERGANG_OORZAKEN], t["na"]], "connector": {"line": {"color": "#999"}}},
    ], "layout": layout(f"Verschil in resultaat (NCW) door de jaarovergang {jaar}", showlegend=False)}}

# ---------------------------------------------------------------------------------------------- gebiedsbegroting
GEBIED_COLORS = ("#1f5f8b", "#c0392b", "#2e7d32", "#8e44ad", "#d68910", "#117a65", "#5d6d7e", "#a04000")


def _gebied_layout(title: str, money: bool = True) -> dict[str, Any]:
    out = layout(title, margin={"l": 90, "r": 20, "t": 50, "b": 110}, height=440, xaxis={"automargin": True, "dtick": 1})
    if not money:
        out.pop("yaxis")
    return out


def gebied_figures(d: dict[str, Any]) -> dict[str, Figure]:
    """A gebied's report data (``GebiedResult.rapport()``, so a public report charts only public figures): the fund
    balance over time, each party's net position per year, and a Sankey of what the rules move between parties.
    A withheld (confidential) figure is a gap."""
    years = d["jaren"]
    out: dict[str, Figure] = {}
    f = d["fonds"]["per_jaar"]

    def num(v: Any) -> Any:
        return None if isinstance(v, str) else v

    out["grafiek-fonds"] = {"data": [
        {"type": "bar", "name": "Structureel", "x": years, "y": [num(r["structureel"]) for r in f], "marker": {"color": "#2e7d32"}},
        {"type": "bar", "name": "Kostenverhaal", "x": years, "y": [num(r["kostenverhaal"]) for r in f], "marker": {"color": "#7dcea0"}},
        {"type": "bar", "name": "Spelregels", "x": years, "y": [num(r["spelregels"]) for r in f], "marker": {"color": "#1f5f8b"}},
        {"type": "bar", "name": "Uitgaven", "x": years, "y": [num(r["uitgaven"]) for r in f], "marker": {"color": "#c0392b"}},
        {"type": "scatter", "mode": "lines+markers", "name": "Saldo 31-12", "x": years, "y": [num(r["saldo"]) for r in f], "line": {"color": "#000", "width": 3}},
    ], "layout": {**_gebied_layout(f"{d['fonds']['naam']}: saldo over de tijd"), "barmode": "relative",
                  "shapes": [{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": 0, "y1": 0, "line": {"color": "#c0392b", "dash": "dot"}}]}}
    traces = []
    for i, p in enumerate(d["partijen"]):
        ys = [num(v) for v in p["per_jaar"]]
        if all(v is None for v in ys):
            continue
        traces.append({"type": "bar", "name": p["naam"], "x": years, "y": ys, "marker": {"color": GEBIED_COLORS[i % len(GEBIED_COLORS)]}})
    hidden = [p["naam"] for p in d["partijen"] if all(isinstance(v, str) for v in p["per_jaar"])]
    title = "Netto positie per partij per jaar" + (f" (vertrouwelijk, niet getoond: {', '.join(hidden)})" if hidden else "")
    out["grafiek-partijen"] = {"data": traces, "layout": {**_gebied_layout(title), "barmode": "group"}}
    out["grafiek-spelregels"] = gebied_sankey(d)
    return out


def gebied_sankey(d: dict[str, Any]) -> Figure:
    """What the rules move between parties: per rule, each payer's total to the receivers in proportion to what they
    receive (payers left, receivers right)."""
    names = {p["id"]: p["naam"] for p in d["partijen"]}
    ids = list(names)
    labels = [f"{names[a]} betaalt" for a in ids] + [f"{names[a]} ontvangt" for a in ids]
    src, dst, val, lab = [], [], [], []
    for r in d["spelregels"]["regels"]:
        totals = {a: v for a, v in r["per_rekening"].items() if not isinstance(v, str)}
        pay = {a: -v for a, v in totals.items() if v < -0.5}
        get = {a: v for a, v in totals.items() if v > 0.5}
        total = sum(get.values())
        for a, x in pay.items():
            for b, y in get.items():
                src.append(ids.index(a))
                dst.append(len(ids) + ids.index(b))
                val.append(x * y / total)
                lab.append(r["naam"])
    colors = [GEBIED_COLORS[i % len(GEBIED_COLORS)] for i in range(len(ids))]
    return {"data": [{"type": "sankey", "orientation": "h", "valueformat": ",.0f", "valuesuffix": " €",
                      "node": {"label": labels, "pad": 14, "thickness": 16, "color": colors * 2},
                      "link": {"source": src, "target": dst, "value": val, "label": lab, "color": [_rgba(colors[i], 0.35) for i in src]}}],
            "layout": {**_gebied_layout(f"Wat de spelregels verschuiven tussen partijen ({d['spelregels']['set'] or 'geen set'}; € nominaal, som over de jaren)", money=False),
                       "height": 520, "margin": {"l": 20, "r": 20, "t": 50, "b": 20}}}


def _rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[k : k + 2], 16) for k in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"



# ---------------------------------------------------------------------------------------------- files (CLI)
def to_html(fig: Figure) -> str:
    """A self-contained HTML page with the figure (plotly; the plotly.js library from its CDN)."""
    import plotly.graph_objects as go

    return str(go.Figure(fig).to_html(include_plotlyjs="cdn", full_html=True))


def write_html(fig: Figure, path: Path) -> None:
    Path(path).write_text(to_html(fig), encoding="utf-8")


def write_png(fig: Figure, path: Path) -> None:
    """The figure as PNG, drawn with matplotlib by the report's renderer (:func:`opengrex.io.report.svg.figure_png`):
    the same bars, wrapped labels, legend below and 'geen bedragen' as the PDF."""
    from opengrex.io.report.svg import figure_png

    Path(path).write_bytes(figure_png(fig))


def write_figures(figures: dict[str, Figure], folder: Path, names: dict[str, str], write: Any = None) -> list[Path]:
    """Write each figure as ``<name>.png`` and ``<name>.html`` in ``folder`` (``names``: figure key -> file stem;
    keys without a name are skipped). ``write(path, fn)`` writes a file (e.g. atomically); default: ``fn(path)``."""
    out = []
    for key, stem in names.items():
        if key not in figures:
            continue
        for suffix, fn in ((".png", write_png), (".html", write_html)):
            path = Path(folder) / f"{stem}{suffix}"
            if write is None:
                fn(figures[key], path)
            else:
                write(path, lambda p, fn=fn, fig=figures[key]: fn(fig, p))
            out.append(path)
    return out


__all__ = ["Figure", "bijdrage_figures", "grex_figures", "kostenverhaal_figures", "layout", "programme_figures", "risk_figures", "scenario_figures",
           "to_html", "without_amounts", "wrap", "write_figures", "write_html", "write_png"]
