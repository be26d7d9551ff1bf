"""Plotly figure specs (:mod:`opengrex.io.charts`) drawn with matplotlib: as SVG for the PDF reports and as PNG for
the CLI's chart files (:func:`opengrex.io.charts.write_png`). The same series, titles and colours as the page shows
(scatter lines with fill and dashes, vertical and horizontal bars stacked/grouped/overlaid, waterfalls, histograms,
heatmaps, vertical marker lines and annotations); labels wrapped with plotly's ``<br>`` break over lines here too.
Euro axes in nl-NL (``€ 1,5 mln``); text stays text in the SVG (searchable in the PDF). A sankey is drawn as its
flows in a bar chart of link values.
"""
from __future__ import annotations

import io
import math
import threading
from typing import Any

from opengrex.formatting import eur, number

_LOCK = threading.Lock()  # matplotlib's pyplot state is global: one figure at a time per process
WIDTH_IN = 7.0
"""Width of a chart in the report [inch]: the text width of a portrait A4 page."""
PNG_WIDTH_IN = 9.0
"""Width of a chart file of the CLI [inch]."""
PALETTE = ("#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#5d4037", "#757575")


def money_tick(v: float, span: float) -> str:
    """An axis label in euros: millions with one decimal from a span of a million, else whole euros."""
    if span >= 1e6:
        return f"€ {number(v / 1e6, 1)} mln"
    return eur(v)


def figure_svg(fig: dict[str, Any], width: float = WIDTH_IN) -> str:
    """The figure as an SVG document (text, not paths)."""
    svg = _render(fig, "svg", width).decode("utf-8")
    return svg[svg.index("<svg"):] if "<svg" in svg else svg


def figure_png(fig: dict[str, Any], width: float = PNG_WIDTH_IN, dpi: int = 120) -> bytes:
    """The figure as a PNG image (for ``opengrex programma … --grafieken``)."""
    return _render(fig, "png", width, dpi)


def _render(fig: dict[str, Any], file_format: str, width: float, dpi: int = 100) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    data = [t for t in fig.get("data", []) if isinstance(t, dict)]
    lay = fig.get("layout", {}) or {}
    horizontal = any(t.get("orientation") == "h" for t in data)
    n_cats = max((sum(1 + 0.7 * _lines(v).count("\n") for v in (t.get("y") or [])) for t in data), default=1) if horizontal else 0  # wrapped labels take rows
    height = max(2.6, min(9.0, 0.32 * n_cats + 1.4)) if horizontal else max(2.4, min(3.4, float(lay.get("height", 380)) / 120.0))
    with _LOCK:
        plt.rcParams.update({"svg.fonttype": "none", "font.family": ["Liberation Sans", "DejaVu Sans", "sans-serif"], "font.size": 8})
        f, ax = plt.subplots(figsize=(width, height))
        try:
            values: list[float] = []
            categorical_x: list[str] | None = None
            for i, t in enumerate(data):
                cx = _draw(ax, t, lay, i, len(data), values)
                categorical_x = categorical_x or cx
            for shape in lay.get("shapes", []) or []:
                if shape.get("type") == "line" and shape.get("x0") is not None and shape.get("yref") == "paper":
                    ax.axvline(_num(shape["x0"]), color=(shape.get("line") or {}).get("color", "#333"), ls=":", lw=1)
            for a in lay.get("annotations", []) or []:
                if a.get("yref") == "paper" or a.get("x") is None or a.get("y") is None:
                    continue
                ax.annotate(str(a.get("text", "")), (_num(a["x"]), _num(a["y"])), textcoords="offset points", xytext=(0, -18 if a.get("ay", 0) > 0 else 12),
                            ha="center", fontsize=7, arrowprops={"arrowstyle": "->", "lw": 0.6} if a.get("showarrow") else None)
            span = (max(values) - min(values)) if values else 0.0
            peak = max((abs(v) for v in values), default=0.0)
            span = max(span, peak)
            euro_x = horizontal or (lay.get("xaxis") or {}).get("tickprefix") == "€ "
            euro_y = not horizontal and (lay.get("yaxis") or {}).get("tickprefix") == "€ "
            fmt = FuncFormatter(lambda v, _: money_tick(v, span))
            if euro_x and horizontal:
                ax.xaxis.set_major_formatter(fmt)
                ax.axvline(0, color="#777", lw=0.6)
            elif euro_x:
                ax.xaxis.set_major_formatter(fmt)
            if euro_y:
                ax.yaxis.set_major_formatter(fmt)
                ax.axhline(0, color="#777", lw=0.6)
            if not values or not any(v != 0 for v in values):
                ax.set_yticks([])
                ax.text(0.5, 0.5, "geen bedragen", transform=ax.transAxes, ha="center", va="center", color="#777")
            if data and data[0].get("type") == "scatter" and categorical_x is None:
                ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ytitle = ((lay.get("yaxis") or {}).get("title") or {})
            if isinstance(ytitle, dict) and ytitle.get("text"):
                ax.set_ylabel(ytitle["text"])
            if (lay.get("yaxis") or {}).get("autorange") == "reversed":
                ax.invert_yaxis()
            title = (lay.get("title") or {}).get("text", "") if isinstance(lay.get("title"), dict) else str(lay.get("title") or "")
            ax.set_title(_lines(title), fontsize=9, loc="left", pad=6)
            ax.grid(axis="x" if horizontal else "y", color="#e0e0e0", lw=0.5)
            ax.set_axisbelow(True)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
            if sum(1 for t in data if t.get("name") and t.get("showlegend", True) is not False) > 1:
                ax.legend(fontsize=7, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.14 if categorical_x is None else -0.3), ncol=min(4, len(data)))
            f.tight_layout()
            buf = io.BytesIO()
            f.savefig(buf, format=file_format, bbox_inches="tight", dpi=dpi)
        finally:
            plt.close(f)
    return buf.getvalue()


def _num(v: Any) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return 0.0


def _finite(vals: list[Any]) -> list[float]:
    out = []
    for v in vals:
        try:
            x = float(v)
        except (TypeError, ValueError):
            continue
        if math.isfinite(x):
            out.append(x)
    return out


def _color(t: dict[str, Any], i: int) -> Any:
    c = (t.get("marker") or {}).get("color") or (t.get("line") or {}).get("color")
    return c if c is not None else PALETTE[i % len(PALETTE)]


def _draw(ax: Any, t: dict[str, Any], lay: dict[str, Any], i: int, n: int, values: list[float]) -> list[str] | None:
    """Draw one trace; returns the category labels when the x axis is categorical."""
    kind = t.get("type", "scatter")
    color = _color(t, i)
    name = t.get("name")
    if kind == "scatter":
        x, y = list(t.get("x") or []), [_num(v) if v is not None else float("nan") for v in (t.get("y") or [])]
        values += _finite(y)
        cats = None if all(isinstance(v, (int, float)) for v in x) else [_lines(v) for v in x]
        xs = list(range(len(x))) if cats else x
        mode = t.get("mode", "lines")
        ls = "--" if (t.get("line") or {}).get("dash") in ("dash", "dot") else "-"
        if "lines" in mode:
            ax.plot(xs, y, ls=ls, lw=1.6, color=color, label=name, marker="o" if "markers" in mode else None, ms=2.5)
        else:
            ax.scatter(xs, y, s=28, color=color, label=name, marker="D", zorder=3)
        if t.get("fill") == "tozeroy":
            ax.fill_between(xs, y, 0, alpha=0.12, color=color)
        if cats:
            ax.set_xticks(xs, cats, rotation=30, ha="right")
        return cats
    if kind in ("bar", "histogram") and t.get("orientation") == "h":
        labels = [str(v) for v in (t.get("y") or [])]
        xv = [_num(v) for v in (t.get("x") or [])]
        values += _finite(xv)
        ax.barh(range(len(labels)), xv, color=color, label=name, alpha=0.85 if lay.get("barmode") == "overlay" else 1.0, height=0.7)
        ax.set_yticks(range(len(labels)), [_short(s, 48) for s in labels])
        return None
    if kind == "histogram":
        xs = _finite(t.get("x") or [])
        ax.hist(xs, bins=int(t.get("nbinsx") or 30), color=color, label=name)
        return None
    if kind == "bar":
        x = list(t.get("x") or [])
        y = [_num(v) for v in (t.get("y") or [])]
        values += _finite(y)
        numeric = all(isinstance(v, (int, float)) for v in x)
        pos = x if numeric else list(range(len(x)))
        mode = lay.get("barmode", "group")
        width = float(t.get("width", 0.8)) if numeric and t.get("width") else 0.8
        colors = color if not isinstance(color, list) else color
        if mode in ("stack", "relative"):
            store = ax.__dict__.setdefault("_opengrex_stack", {})
            pos_b = [store.get((p, v >= 0), 0.0) for p, v in zip(pos, y)]
            ax.bar(pos, y, width=width, bottom=pos_b, color=colors, label=name)
            for p, v, b in zip(pos, y, pos_b):
                store[(p, v >= 0)] = b + v
        elif mode == "group" and n > 1:
            w = width / n
            ax.bar([p + (i - (n - 1) / 2) * w for p in pos], y, width=w, color=colors, label=name)
        else:
            ax.bar(pos, y, width=width, color=colors, label=name, alpha=0.85 if mode == "overlay" else 1.0)
        if not numeric:
            ax.set_xticks(range(len(x)), [_short(str(v), 28) for v in x], rotation=35 if len(x) > 4 else 0, ha="right" if len(x) > 4 else "center")
            return [str(v) for v in x]
        return None
    if kind == "waterfall":
        run = 0.0
        labels = [str(v) for v in (t.get("x") or [])]
        for j, (m, v) in enumerate(zip(t.get("measure") or [], t.get("y") or [])):
            v = _num(v)
            if m == "absolute":
                ax.bar(j, v, color="#757575")
                run = v
            elif m == "relative":
                ax.bar(j, v, bottom=run, color="#2e7d32" if v >= 0 else "#c62828")
                run += v
            else:
                ax.bar(j, run, color="#1565c0")
            values += [run, v]
        ax.set_xticks(range(len(labels)), [_short(s, 28) for s in labels], rotation=30, ha="right")
        return labels
    if kind == "heatmap":
        import numpy as np

        z = np.asarray(t.get("z") or [[0.0]], dtype=float)
        im = ax.imshow(z, aspect="auto", cmap="RdYlGn" if np.nanmin(z) < 0 < np.nanmax(z) else "Blues")
        ax.figure.colorbar(im, ax=ax, fraction=0.03)
        if t.get("x") is not None:
            ax.set_xticks(range(len(t["x"])), [_lines(v) for v in t["x"]], rotation=45, ha="right")
        if t.get("y") is not None:
            ax.set_yticks(range(len(t["y"])), [_lines(v) for v in t["y"]])
        values += [1.0]
        return None
    if kind == "sankey":
        node = t.get("node") or {}
        link = t.get("link") or {}
        labels = [str(v) for v in node.get("label") or []]
        src, dst, val = link.get("source") or [], link.get("target") or [], link.get("value") or []
        flows = [f"{labels[s] if s < len(labels) else s} → {labels[d] if d < len(labels) else d}" for s, d in zip(src, dst)]
        vals = [_num(v) for v in val]
        values += vals
        ax.barh(range(len(flows)), vals, color=PALETTE[0])
        ax.set_yticks(range(len(flows)), [_short(s, 48) for s in flows])
        ax.invert_yaxis()
        return None
    return None


def _lines(text: str) -> str:
    """A plotly label's line breaks (``<br>``) as newlines."""
    return str(text).replace("<br>", "\n").replace("<br/>", "\n")


def _short(text: str, n: int) -> str:
    """A label shortened to ``n`` characters per line (its ``<br>`` breaks kept as lines)."""
    return "\n".join(line if len(line) <= n else line[: n - 1] + "…" for line in _lines(text).split("\n"))


__all__ = ["figure_png", "figure_svg", "money_tick"]
