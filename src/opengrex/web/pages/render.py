"""Jinja2 templates of the pages, with the nl-NL number filters of :mod:`opengrex.formatting`."""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from opengrex.formatting import eur, format_cell, format_value, number, pct, unit_text
from opengrex.services.kinds import kinds

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"


EXTRA_PAGES: list[tuple[str, str]] = [("/ruimte", "Water en bodem"), ("/monitor", "Monitor"), ("/regio", "Regio")]
"""Menu items of capabilities that have pages but are no stored document kind (yet). The BBV portfolio and the
plankostenscan are kinds now (their menu items come from the registry; ``/bbv`` and the scan form are linked from
their list pages)."""


class Navigation:
    """The menu: the overview, one item per registered kind (except kinds listed under another), upload.
    Iterated on every render, so a kind registered later is in the menu."""

    def __iter__(self):
        yield ("/", "Overzicht")
        for k in kinds():
            if k.listed_under is None:
                yield (f"/{k.name}", k.menu_label)
        yield from EXTRA_PAGES
        yield ("/upload", "Upload")


NAVIGATION = Navigation()


def money(value: Any, decimals: int = 0) -> Markup:
    """``<span class="num neg">€ -1.234</span>``: an amount, red when negative (CSS class ``neg``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Markup('<span class="num">–</span>')
    v = float(value)
    cls = "num neg" if round(v, decimals) < 0 else "num"
    return Markup(f'<span class="{cls}">{escape(eur(v, decimals))}</span>')


def num(value: Any, decimals: int = 0) -> Markup:
    """A plain number with nl-NL separators, red when negative."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Markup('<span class="num">–</span>')
    v = float(value)
    cls = "num neg" if round(v, decimals) < 0 else "num"
    return Markup(f'<span class="{cls}">{escape(number(v, decimals))}</span>')


def explain_value(value: Any) -> str:
    """A value in an explanation: euros for large numbers, more decimals for rates and factors."""
    if isinstance(value, bool) or value is None:
        return {True: "ja", False: "nee", None: "–"}[value]
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if abs(value) >= 100:
            return eur(value, 2)
        return number(value, 6).rstrip("0").rstrip(",") or "0"
    return str(value)


def date_nl(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return "" if value is None else str(value)


templates = Jinja2Templates(directory=str(TEMPLATE_DIR))
templates.env.filters.update(money=money, num=num, eur=eur, pct=pct, number=number, explain_value=explain_value, date_nl=date_nl,
                             waarde=format_value, eenheid=unit_text, cel=format_cell)
templates.env.globals.update(navigation=NAVIGATION)


def page(request: Request, template: str, context: dict[str, Any] | None = None, status_code: int = 200, active: str | None = None) -> HTMLResponse:
    """Render a full page (or partial) with the request and the active navigation item."""
    from opengrex.web.pages.context import base_context

    ctx = {"request": request, "active": active}
    ctx.update(base_context(request))
    ctx.update(context or {})
    return templates.TemplateResponse(request, template, ctx, status_code=status_code)


def not_found(request: Request, what: str, ident: Any) -> HTMLResponse:
    """The Dutch 404 page naming what was not found."""
    return page(request, "fout.html", {"titel": "Niet gevonden", "melding": f"{what} {ident!s} bestaat niet (meer).", "status": 404}, status_code=404)


def error_page(request: Request, titel: str, melding: str, status_code: int = 400) -> HTMLResponse:
    return page(request, "fout.html", {"titel": titel, "melding": melding, "status": status_code}, status_code=status_code)


# ---------------------------------------------------------------------------------------------- generic tables
_PCT = ("aandeel", "telt_mee", "grondquote", "rentepercentage", "kans", "percentage", "drempel", "voet", "_pct")
_FACTOR = ("wegingsfactor", "factor")
_COUNT = ("woningen", "aantal", "trekkingen", "volgorde", "dagen")
_DECIMAL = ("eenheden",)


def cell(column: str, value: Any) -> Markup:
    """One table cell, formatted by what the column holds: percentages, factors, counts or euros (nl-NL)."""
    col = column.lower()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Markup('<span class="num">–</span>')
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return Markup("ja" if value else "nee")
    if isinstance(value, str) or not isinstance(value, (int, float)) and not hasattr(value, "item"):
        return escape(str(value))
    v = float(value)
    if "jaar" in col and v == round(v) and abs(v) <= 9999:
        return Markup(f'<span class="num">{int(v)}</span>')  # a (calendar) year: no thousands separator
    if any(k in col for k in _PCT) and abs(v) <= 1.5 and "bedrag" not in col:  # a share; "aandeel_ncw" in euros stays money
        return Markup(f'<span class="num">{escape(pct(v))}</span>')
    if any(k in col for k in _FACTOR) or col.startswith("waarde_"):  # factors; tornado input values (mixed units)
        return num(v, 4)
    if any(k in col for k in _DECIMAL):
        return num(v, 2)
    if any(k in col for k in _COUNT) or col.startswith("nieuw_") or col.startswith("bestaande_"):
        return num(v, 0) if v == round(v) else num(v, 2)
    return money(v)


def label(column: str) -> str:
    text = str(column).replace("_", " ")
    return text[:1].upper() + text[1:]


def frame_table(df: Any, *, index: bool = False) -> dict[str, Any]:
    """A pandas DataFrame as ``{"columns": [...], "numeric": [...], "rows": [[Markup, ...]]}`` for ``_tabel.html``."""
    if index:
        df = df.reset_index()
    cols = [str(c) for c in df.columns]
    numeric = [df[c].dtype.kind in "fiu" for c in df.columns]
    rows = [[cell(c, v) for c, v in zip(cols, rec)] for rec in df.itertuples(index=False, name=None)]
    return {"columns": [label(c) for c in cols], "numeric": numeric, "rows": rows}


def records_table(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Like :func:`frame_table` for a list of dicts (all with the same keys)."""
    if not records:
        return {"columns": [], "numeric": [], "rows": []}
    cols = list(records[0].keys())
    numeric = [isinstance(records[0][c], (int, float)) and not isinstance(records[0][c], bool) for c in cols]
    rows = [[cell(c, r.get(c)) for c in cols] for r in records]
    return {"columns": [label(c) for c in cols], "numeric": numeric, "rows": rows}


def summary_sections(data: dict[str, Any]) -> dict[str, Any]:
    """Any capability's plain-data summary as key figures and tables (for document kinds without their own page).

    Scalars (and mappings of scalars, flattened) become labelled values; lists of mappings become tables.
    """
    values: list[tuple[str, Markup]] = []
    tables: list[dict[str, Any]] = []

    def walk(prefix: str, key: str, v: Any) -> None:
        name = f"{prefix}{label(key)}"
        if isinstance(v, dict):
            for kk, vv in v.items():
                walk(f"{name} · ", str(kk), vv)
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            tables.append({"titel": name, "id": "tabel-" + str(key), "t": records_table(v)})
        elif isinstance(v, list):
            values.append((name, Markup("<br>").join(escape(str(x)) for x in v)))
        else:
            values.append((name, cell(str(key), v)))

    for k, v in data.items():
        walk("", str(k), v)
    return {"waarden": values, "tabellen": tables}


# ---------------------------------------------------------------------------------------------- charts
def chart_layout(title: str) -> dict[str, Any]:
    """The common plotly.js layout of the charts on the document pages (nl-NL separators, euros on the y axis):
    :func:`opengrex.io.charts.layout`, the one layout of every chart."""
    from opengrex.io.charts import layout

    return layout(title)


def charts_json(charts: dict[str, Any]) -> str:
    """Chart data as JSON safe inside ``<script type="application/json">`` (:func:`opengrex.web.security.script_json`)."""
    from opengrex.web.security import script_json

    return script_json(charts)
