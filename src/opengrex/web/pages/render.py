"""Jinja2 templates of the pages, with the nl-NL number filters of :mod:`opengrex.formatting`."""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from opengrex.formatting import (
    column_label,
    column_unit,
    date_nl,
    eur,
    format_by_unit,
    format_cell,
    format_value,
    is_negative,
    number,
    pct,
    summary_parts,
    unit_text,
)
from opengrex.io.charts import layout
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
def cell(column: str, value: Any, unit: str | None = None) -> Markup:
    """One table cell, formatted by what the column holds (:func:`opengrex.formatting.column_unit`: percentages,
    factors, counts, years or euros, nl-NL) or by ``unit`` when the row names it (a parameter's ``eenheid``)."""
    u = unit or column_unit(column, value)
    if u == "tekst" and (value is None or (isinstance(value, float) and math.isnan(value))):
        return Markup('<span class="num">–</span>')
    if u == "tekst" and not isinstance(value, (int, float)) or isinstance(value, bool) or type(value).__name__ == "bool_":
        return escape(format_by_unit(value, u))
    cls = "num neg" if is_negative(value, u) else "num"
    return Markup(f'<span class="{cls}">{escape(format_by_unit(value, u))}</span>')


def label(column: str) -> str:
    return column_label(column)


def frame_table(df: Any, *, index: bool = False) -> dict[str, Any]:
    """A pandas DataFrame as ``{"columns": [...], "numeric": [...], "rows": [[Markup, ...]]}`` for ``_tabel.html``."""
    if index:
        df = df.reset_index()
    return records_table(df.to_dict(orient="records"), numeric=[df[c].dtype.kind in "fiu" for c in df.columns])


def records_table(records: list[dict[str, Any]], numeric: list[bool] | None = None) -> dict[str, Any]:
    """Like :func:`frame_table` for a list of dicts (all with the same keys). A row with an ``eenheid`` column has its
    ``waarde`` formatted by that unit (a parameter list: 13 % next to € 260.000); the unit column itself is not shown
    then."""
    if not records:
        return {"columns": [], "numeric": [], "rows": []}
    cols = list(records[0].keys())
    if numeric is None:
        numeric = [isinstance(records[0][c], (int, float)) and not isinstance(records[0][c], bool) for c in cols]
    row_unit = "eenheid" in cols and "waarde" in cols
    keep = [i for i, c in enumerate(cols) if not (row_unit and c == "eenheid")]
    rows = [[cell(cols[i], r.get(cols[i]), r.get("eenheid") if row_unit and cols[i] == "waarde" else None) for i in keep] for r in records]
    return {"columns": [label(cols[i]) for i in keep], "numeric": [numeric[i] or (row_unit and cols[i] == "waarde") for i in keep], "rows": rows}


def summary_sections(data: dict[str, Any]) -> dict[str, Any]:
    """Any capability's plain-data summary as key figures and tables (for document kinds without their own page).

    Scalars (and mappings of scalars, flattened) become labelled values; lists of mappings become tables.
    """
    raw_values, raw_tables = summary_parts(data)
    values = [(name, Markup("<br>").join(escape(str(x)) for x in v) if isinstance(v, list) else cell(key, v)) for name, key, v in raw_values]
    tables = [{"titel": name, "id": "tabel-" + key, "t": records_table(v)} for name, key, v in raw_tables]
    return {"waarden": values, "tabellen": tables}


# ---------------------------------------------------------------------------------------------- charts
def chart_layout(title: str) -> dict[str, Any]:
    """The common plotly.js layout of the charts on the document pages (nl-NL separators, euros on the y axis, title
    top left, legend below): :func:`opengrex.io.charts.layout`, the one layout of every chart."""

    return layout(title)


def charts_json(charts: dict[str, Any]) -> str:
    """Chart data as JSON safe inside ``<script type="application/json">`` (:func:`opengrex.web.security.script_json`)."""
    from opengrex.web.security import script_json

    return script_json(charts)
