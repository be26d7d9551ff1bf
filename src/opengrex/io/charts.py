"""Programme charts, built once as plotly figure specs and rendered three ways: as JSON for the web pages
(plotly.js), as an HTML file (plotly) and as a PNG file (matplotlib) for ``opengrex programma … --grafieken``.

A figure is plain data, ``{"data": [trace, …], "layout": {…}}`` in plotly's schema, so the page (as JSON through
:func:`opengrex.web.pages.render.charts_json`), the HTML file and the PNG show the same series with the same titles and
colours. The builders take result objects of
:mod:`opengrex.services.programma` by duck typing (io never imports services): ``yearly_frame()``,
``projects_frame()``, ``fund_frame()`` of a programme result; ``scenarios``/``base`` of a scenario comparison;
``histogram()``, ``summary()``, ``tornado`` of a risk result.

Amounts are euros, unrounded; the renderers format the axes (nl-NL: ``€ 1.234.567``; the PNG in millions).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

Figure = dict[str, Any]
"""A plotly figure spec: ``{"data": [...], "layout": {...}}``."""

RED, GREEN, BLUE, GREY = "#c62828", "#2e7d32", "#1565c0", "#757575"


def layout(title: str, **over: Any) -> dict[str, Any]:
    """The common layout of every chart (nl-NL separators, euro ticks, legend above the plot), with overrides."""
    base: dict[str, Any] = {
        "separators": ",.", "margin": {"l": 100, "r": 20, "t": 60, "b": 90}, "height": 380, "title": {"text": title, "font": {"size": 14}},
        "legend": {"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 1.0, "xanchor": "right"},
        "font": {"family": "system-ui, sans-serif", "size": 12}, "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "#fafafa",
        "yaxis": {"tickprefix": "€ ", "tickformat": ",.0f", "automargin": True}, "xaxis": {"automargin": True},
    }
    base.update(over)
    return base


# ------------------------------------------------------------------------------------------------ builders
def programme_figures(result: Any) -> dict[str, Figure]:
    """``grafiek-programma``: book value of the programme and of the projects, and the fund balance per year
    (€ nominaal; the badkuip is the lowest point); ``grafiek-projecten``: NCW per project."""
    yf = result.yearly_frame()
    years = [int(y) for y in yf.index]
    pf = result.projects_frame()
    ncw = [float(v) for v in pf["ncw"].tolist()]
    name = result.programme.name
    return {
        "grafiek-programma": {"data": [
            {"type": "scatter", "mode": "lines+markers", "name": "Boekwaarde programma", "x": years, "y": yf["boekwaarde_programma"].tolist(), "fill": "tozeroy", "line": {"color": BLUE}},
            {"type": "scatter", "mode": "lines", "name": "Boekwaarde projecten", "x": years, "y": yf["boekwaarde_projecten"].tolist(), "line": {"color": GREY}},
            {"type": "scatter", "mode": "lines", "name": "Fondssaldo", "x": years, "y": yf["fonds_saldo"].tolist(), "line": {"dash": "dash", "color": GREEN}},
        ], "layout": layout(f"Badkuip en fondssaldo — {name} (€ nominaal)", xaxis={"dtick": 2, "automargin": True})},
        "grafiek-projecten": {"data": [
            {"type": "bar", "name": "NCW per project (tot het laatste jaar van het programma)", "x": [str(i) for i in pf.index], "y": ncw,
             "marker": {"color": [RED if v < 0 else GREEN for v in ncw]}},
        ], "layout": layout("NCW per project", margin={"l": 100, "r": 20, "t": 40, "b": 140})},
    }


def scenario_figures(comparison: Any) -> dict[str, Figure]:
    """``waterval-N`` per scenario: the base NCW, the effect of each change (Shapley; volgtijdelijk when there are
    too many changes) and the scenario's NCW."""
    out: dict[str, Figure] = {}
    base = float(comparison.base.ncw)
    for i, s in enumerate(comparison.scenarios, start=1):
        effects = [float(e) for e in (s.shapley if s.shapley is not None else s.sequential)]
        method = "Shapley" if s.shapley is not None else "volgtijdelijk"
        labels = ["Basis", *s.wijzigingen, s.naam]
        out[f"waterval-{i}"] = {"data": [{
            "type": "waterfall", "x": labels, "measure": ["absolute"] + ["relative"] * len(effects) + ["total"], "y": [base, *effects, 0.0],
            "increasing": {"marker": {"color": GREEN}}, "decreasing": {"marker": {"color": RED}}, "totals": {"marker": {"color": BLUE}},
        }], "layout": layout(f"Waterval ({method}) — {s.naam}", yaxis={"title": {"text": "NCW"}, "tickprefix": "€ ", "tickformat": ",.0f"})}
    return out


def risk_figures(risk: Any, bins: int = 40) -> dict[str, Figure]:
    """``grafiek-risico``: the distribution of the programme NCW over the draws with P10, P50 and P90 marked;
    ``grafiek-tornado``: each input at its P10 and P90, the rest at the base."""
    summ = risk.summary()
    hist = risk.histogram(bins)
    mids = ((hist["van"] + hist["tot"]) / 2).tolist()
    width = float((hist["tot"] - hist["van"]).iloc[0]) if len(hist) else 1.0
    tornado = summ.get("tornado", [])
    marks = [{"type": "line", "x0": summ[k], "x1": summ[k], "yref": "paper", "y0": 0, "y1": 1, "line": {"dash": "dot"}} for k in ("P10", "P50", "P90") if k in summ]
    return {
        "grafiek-risico": {"data": [{"type": "bar", "name": "Trekkingen", "x": mids, "y": hist["aantal"].tolist(), "width": width, "marker": {"color": BLUE}}],
                           "layout": layout(f"Verdeling NCW programma ({risk.draws} trekkingen; P10, P50, P90 gestippeld)", yaxis={"title": {"text": "aantal"}},
                                            xaxis={"tickprefix": "€ ", "tickformat": ",.0f"}, shapes=marks)},
        "grafiek-tornado": {"data": [
            {"type": "bar", "orientation": "h", "name": "bij P10", "y": [t["invoer"] for t in tornado], "x": [t["effect_P10"] for t in tornado], "marker": {"color": RED}},
            {"type": "bar", "orientation": "h", "name": "bij P90", "y": [t["invoer"] for t in tornado], "x": [t["effect_P90"] for t in tornado], "marker": {"color": GREEN}},
        ], "layout": layout("Tornado: effect op de NCW", barmode="overlay", height=120 + 32 * len(tornado),
                            yaxis={"autorange": "reversed", "automargin": True}, xaxis={"tickprefix": "€ ", "tickformat": ",.0f"})},
    }


# ------------------------------------------------------------------------------------------------ renderers
def to_html(fig: Figure) -> str:
    """A self-contained HTML page with the figure (plotly; the plotly.js library from its CDN)."""
    import plotly.graph_objects as go

    return str(go.Figure(fig).to_html(include_plotlyjs="cdn", full_html=True))


def write_html(fig: Figure, path: Path) -> None:
    Path(path).write_text(to_html(fig), encoding="utf-8")


def write_png(fig: Figure, path: Path) -> None:
    """Draw the figure with matplotlib (scatter lines, vertical and horizontal bars, waterfalls, vertical marks)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    from opengrex.formatting import number

    lay = fig.get("layout", {})
    horizontal = any(t.get("orientation") == "h" for t in fig["data"])
    height = 0.5 * max((len(t.get("y", [])) for t in fig["data"]), default=1) + 1.5 if horizontal else 4.5
    f, ax = plt.subplots(figsize=(9, max(height, 3.0)))
    money = FuncFormatter(lambda v, _: f"{number(v / 1e6, 1)} mln")
    for t in fig["data"]:
        _draw(ax, t, lay)
    for shape in lay.get("shapes", []):
        if shape.get("type") == "line":
            ax.axvline(shape["x0"], color="k", ls=":", lw=1)
    euro_x = horizontal or lay.get("xaxis", {}).get("tickprefix") == "€ "
    euro_y = not horizontal and lay.get("yaxis", {}).get("tickprefix") == "€ "
    if euro_x:
        ax.xaxis.set_major_formatter(money)
        ax.axvline(0, color="grey", lw=0.8)
    if euro_y:
        ax.yaxis.set_major_formatter(money)
        ax.axhline(0, color="grey", lw=0.8)
    if fig["data"] and fig["data"][0].get("type") == "scatter":
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    y_title = lay.get("yaxis", {}).get("title", {}).get("text")
    if y_title:
        ax.set_ylabel(y_title)
    if lay.get("yaxis", {}).get("autorange") == "reversed":
        ax.invert_yaxis()
    ax.set_title(lay.get("title", {}).get("text", ""), fontsize=11)
    if sum(1 for t in fig["data"] if t.get("name")) > 1:
        ax.legend()
    f.savefig(path, dpi=120, bbox_inches="tight", format="png")
    plt.close(f)


def _draw(ax: Any, t: dict[str, Any], lay: dict[str, Any]) -> None:
    kind = t.get("type")
    color = t.get("marker", {}).get("color") or t.get("line", {}).get("color")
    if kind == "scatter":
        ls = "--" if t.get("line", {}).get("dash") == "dash" else "-"
        ax.plot(t["x"], t["y"], ls=ls, lw=2 if t.get("fill") else 1.5, label=t.get("name"), color=color, marker="o" if "markers" in t.get("mode", "") else None, ms=3)
        if t.get("fill") == "tozeroy":
            ax.fill_between(t["x"], t["y"], 0, alpha=0.15, color=color)
    elif kind == "bar" and t.get("orientation") == "h":
        ax.barh(range(len(t["y"])), t["x"], color=color, label=t.get("name"), alpha=0.85 if lay.get("barmode") == "overlay" else 1.0)
        ax.set_yticks(range(len(t["y"])), [str(v) for v in t["y"]])
    elif kind == "bar":
        numeric = all(isinstance(v, (int, float)) for v in t["x"])
        xs = t["x"] if numeric else range(len(t["x"]))
        ax.bar(xs, t["y"], width=t.get("width", 0.8), color=color, label=t.get("name"))
        if not numeric:
            ax.set_xticks(range(len(t["x"])), [str(v) for v in t["x"]], rotation=30, ha="right")
    elif kind == "waterfall":
        run = 0.0
        for j, (label, m, v) in enumerate(zip(t["x"], t["measure"], t["y"])):
            if m == "absolute":
                ax.bar(j, v, color=GREY)
                run = v
            elif m == "relative":
                ax.bar(j, v, bottom=run, color=GREEN if v >= 0 else RED)
                run += v
            else:
                ax.bar(j, run, color=BLUE)
        ax.set_xticks(range(len(t["x"])), [str(v) for v in t["x"]], rotation=30, ha="right")


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
