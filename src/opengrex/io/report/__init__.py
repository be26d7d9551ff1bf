"""Print-ready reports: one framework for every document kind and for the portfolio, as HTML with CSS paged media
rendered to PDF on the server by WeasyPrint (no browser process per request), charts as SVG drawn by matplotlib
from the same plotly figure specs the pages show (:mod:`opengrex.io.report.svg`).

A report is plain data (:class:`Report` → :class:`Hoofdstuk` → :class:`Sectie` with key figures, tables, charts,
explanations and text); the services build it from a document's result (``DocumentKind.report``, with a generic
default from summary, headline figures and explanations), this module only lays it out: a title block, running
header with document name, version and print date, page numbers ("pagina 3 van 12"), tables whose header repeats on
every page and whose rows are never split, wide tables split into column blocks, nl-NL numbers through
:mod:`opengrex.formatting`.

The public variant (``openbaar=True``) is built by the services from the redacted document (no field marked
``vertrouwelijk``); the report says which variant it is on every page.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from opengrex.formatting import column_label, column_unit, date_nl, format_by_unit, format_value, is_negative, unit_text

TEMPLATES = Path(__file__).resolve().parent / "templates"
MAX_COLUMNS = 9
"""Columns of a table on a portrait A4 page; wider tables are split into blocks that repeat the label columns."""

Figure = dict[str, Any]
"""A plotly figure spec ``{"data": [...], "layout": {...}}`` (:data:`opengrex.io.charts.Figure`), as the pages use."""


# ---------------------------------------------------------------------------------------------- the content
@dataclass
class Kerncijfer:
    """A headline figure: label, value and its unit (``EUR contant``, ``%``, ``jaar``)."""

    label: str
    waarde: Any
    eenheid: str = "EUR"
    toelichting: str = ""

    @property
    def tekst(self) -> str:
        if isinstance(self.waarde, str):
            return self.waarde
        return format_by_unit(self.waarde, "EUR" if self.eenheid.startswith(("EUR", "€")) else self.eenheid)

    @property
    def eenheid_tekst(self) -> str:
        return unit_text(self.eenheid)


@dataclass
class Tabel:
    """A table: column names and rows of raw values; ``eenheden`` per column (default: judged by the column name,
    :func:`opengrex.formatting.column_unit`). ``rij_eenheid``: the column whose value gives the unit of the row's
    ``waarde`` (a parameter list)."""

    titel: str
    kolommen: list[str]
    rijen: list[list[Any]]
    eenheden: list[str | None] | None = None
    toelichting: str = ""
    totaal: bool = False
    """The last row is a total (bold, ruled)."""
    labels: int = 1
    """Leading columns repeated in every block when the table is split."""
    rij_eenheid: str | None = None
    breedtes: list[float] | None = None
    """Relative column widths (one per column); default: judged by the contents."""

    @classmethod
    def van_records(cls, titel: str, records: list[dict[str, Any]], *, kolomnamen: dict[str, str] | None = None, **kw: Any) -> Tabel:
        """From a list of dicts (all with the same keys); an ``eenheid`` key next to ``waarde`` is the row's unit."""
        if not records:
            return cls(titel, [], [], **kw)
        keys = list(records[0].keys())
        names = [(kolomnamen or {}).get(k, _label(k)) for k in keys]
        if "eenheid" in keys and "waarde" in keys:
            kw.setdefault("rij_eenheid", names[keys.index("eenheid")])
        return cls(titel, names, [[r.get(k) for k in keys] for r in records], **kw)

    @classmethod
    def van_frame(cls, titel: str, df: Any, *, index: bool = False, **kw: Any) -> Tabel:
        """From a pandas DataFrame (its index as the first column with ``index=True``)."""
        if index:
            df = df.reset_index()
        return cls.van_records(titel, df.to_dict(orient="records"), **kw)

    def unit(self, j: int, value: Any, row: list[Any]) -> str:
        if self.rij_eenheid is not None and self.kolommen[j].lower() == "waarde" and self.rij_eenheid in self.kolommen:
            return str(row[self.kolommen.index(self.rij_eenheid)] or "tekst")
        given = self.eenheden[j] if self.eenheden and j < len(self.eenheden) else None
        return given or column_unit(self.kolommen[j].lower().replace(" ", "_"), value)

    def zichtbare_kolommen(self) -> list[int]:
        return [j for j, k in enumerate(self.kolommen) if k != self.rij_eenheid]

    def blokken(self, max_kolommen: int = MAX_COLUMNS) -> list[dict[str, Any]]:
        """The table as laid out: blocks of at most ``max_kolommen`` columns (the label columns in each), every
        cell formatted (``{"kolommen", "numeriek", "rijen": [[(text, css class)]]}``)."""
        cols = self.zichtbare_kolommen()
        labels = [j for j in cols[: self.labels]]
        rest = [j for j in cols if j not in labels]
        width = max(1, max_kolommen - len(labels))
        groups = [rest[i:i + width] for i in range(0, len(rest), width)] or [[]]
        out = []
        for g in groups:
            idx = labels + g
            numeric = [any(isinstance(r[j], (int, float)) and not isinstance(r[j], bool) for r in self.rijen) for j in idx]
            rows = []
            for r in self.rijen:
                cells = []
                for j in idx:
                    v = r[j]
                    u = self.unit(j, v, r)
                    cls = ("n" if numeric[idx.index(j)] or isinstance(v, (int, float)) else "") + (" neg" if is_negative(v, u) else "")
                    cells.append((format_by_unit(v, u) if not isinstance(v, str) else v, cls.strip()))
                rows.append(cells)
            if self.breedtes is not None and len(self.breedtes) == len(self.kolommen):
                weights = [float(self.breedtes[j]) for j in idx]
            else:
                weights = [1.0 if numeric[i] else min(3.0, max(1.2, max((len(str(r[j])) for r in self.rijen), default=8) / 10)) for i, j in enumerate(idx)]
            widths = [round(100 * w / sum(weights), 1) for w in weights]
            out.append({"kolommen": [self.kolommen[j] for j in idx], "numeriek": numeric, "rijen": rows, "breedtes": widths})
        return out


@dataclass
class Grafiek:
    """A chart: the plotly figure spec of the page; drawn as SVG for the report."""

    figuur: Figure
    titel: str = ""

    def svg(self) -> str:
        from opengrex.io.report.svg import figure_svg

        return figure_svg(self.figuur)

    def data_uri(self) -> str:
        """The SVG as a ``data:`` URI for an ``<img>`` (laid out as one image: far faster than inline SVG nodes)."""
        import base64

        return "data:image/svg+xml;base64," + base64.b64encode(self.svg().encode("utf-8")).decode("ascii")


@dataclass
class Afbeelding:
    """A raster image (a PNG map of a location): its bytes, embedded as a ``data:`` URI like :class:`Grafiek`."""

    png: bytes
    titel: str = ""
    mime: str = "image/png"

    def data_uri(self) -> str:
        import base64

        return f"data:{self.mime};base64," + base64.b64encode(self.png).decode("ascii")


@dataclass
class Sectie:
    """A part of a chapter: text, key figures, charts, tables and explanations (``Explanation.to_dict()``)."""

    titel: str
    tekst: list[str] = field(default_factory=list)
    kerncijfers: list[Kerncijfer] = field(default_factory=list)
    grafieken: list[Grafiek] = field(default_factory=list)
    tabellen: list[Tabel] = field(default_factory=list)
    uitleg: list[dict[str, Any]] = field(default_factory=list)
    kern: bool = False
    """Part of the short version of a document (the portfolio report shows only these)."""
    afbeeldingen: list[Afbeelding] = field(default_factory=list)
    """Raster images (PNG maps), after the charts."""
    nieuwe_pagina: bool = False
    """Start the section on a new page (one location per page)."""


@dataclass
class Hoofdstuk:
    """One document in a report: its name, kind and version, and its sections."""

    titel: str
    soort: str
    versie: int | None = None
    document_id: int | None = None
    secties: list[Sectie] = field(default_factory=list)
    ondertitel: str = ""
    versie_label: str = ""
    """Shown instead of "versie N" / "niet opgeslagen" (e.g. the rule set version of a screening)."""


@dataclass
class Report:
    """A whole report: title, the chapters, variant and print date."""

    titel: str
    hoofdstukken: list[Hoofdstuk]
    openbaar: bool = False
    afgedrukt: dt.datetime = field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))
    ondertitel: str = ""
    inleiding: list[Sectie] = field(default_factory=list)
    """Sections before the chapters (the portfolio overview)."""
    versie_label: str = ""
    """Shown in the title block and running header instead of the document version(s)."""

    @property
    def variant(self) -> str:
        return "openbaar" if self.openbaar else "vertrouwelijk"

    @property
    def versie(self) -> str:
        if self.versie_label:
            return self.versie_label
        versions = {h.versie for h in self.hoofdstukken if h.versie is not None}
        return f"versie {versions.pop()}" if len(versions) == 1 and len(self.hoofdstukken) == 1 else f"{len(self.hoofdstukken)} documenten"


# ---------------------------------------------------------------------------------------------- explanations
def explanation_parameters(explanations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every parameter used in ``explanations`` (and their parts), once: naam, waarde (by unit), geldig vanaf,
    bron; for the table "Parameters en bronnen"."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}

    def walk(u: dict[str, Any]) -> None:
        for p in u.get("parameters") or []:
            key = (str(p.get("naam")), str(p.get("bron")))
            if key not in seen:
                seen[key] = {"parameter": p.get("naam"), "waarde": format_value(p.get("waarde"), p.get("eenheid") or "-"),
                             "geldig vanaf": date_nl(p.get("peildatum")) if p.get("peildatum") else "", "bron": p.get("bron") or ""}
        for o in u.get("onderdelen") or []:
            walk(o)

    for u in explanations:
        walk(u)
    return list(seen.values())


# ---------------------------------------------------------------------------------------------- rendering
@lru_cache(maxsize=1)
def _env() -> Any:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(waarde=format_value, eenheid=unit_text, date_nl=date_nl, cel=_explain_cell)
    return env


def render_html(report: Report) -> str:
    """The report as one HTML document (with its paged-media stylesheet inline)."""
    css = (TEMPLATES / "rapport.css").read_text(encoding="utf-8")
    return _env().get_template("rapport.html").render(r=report, css=css)


def render_pdf(report: Report) -> bytes:
    """The report as PDF (WeasyPrint; fonts from fontconfig: Liberation Sans / DejaVu Sans on Debian)."""
    return html_to_pdf(render_html(report))


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of an HTML document that refers to nothing outside itself (charts are inline SVG)."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango missing (Debian: libpango-1.0-0, libpangoft2-1.0-0)
        from opengrex.errors import OpengrexError

        raise OpengrexError(
            f"PDF maken is niet mogelijk: WeasyPrint ontbreekt of kan Pango niet laden ({exc.__class__.__name__}). "
            "Installeer met: pip install 'opengrex[report]' en (Debian, als root) bash scripts/install-system-deps.sh"
        ) from None
    return weasyprint.HTML(string=html, base_url=str(TEMPLATES), url_fetcher=_fetcher()).write_pdf()


def _fetcher() -> Any:
    """Reports embed everything (charts as ``data:`` URIs); no other URL is fetched (no file, no network)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",), fail_on_errors=False)


def _label(key: Any) -> str:
    return column_label(key)


def _explain_cell(column: str, value: Any) -> str:
    from opengrex.formatting import format_cell

    return format_cell(column, value)


def finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(float(value))


__all__ = ["Afbeelding", "Grafiek", "Hoofdstuk", "Kerncijfer", "Report", "Sectie", "Tabel", "explanation_parameters", "html_to_pdf", "render_html", "render_pdf"]
