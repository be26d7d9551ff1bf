"""What the grex results panel shows: headline figures with their explanation, tables, chart data (plotly.js).

Pure presentation of :class:`opengrex.services.grex.GrexResult`; no calculation happens here.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from opengrex.codes import natural_key
from opengrex.io.charts import grex_figures
from opengrex.model.base import Groepering
from opengrex.model.grex import Line
from opengrex.services.grex import GrexResult
from opengrex.services.kinds import get_kind

HEADLINES = (
    ("ncw", "NCW (BBV)", "ncw"),
    ("eindwaarde", "Eindwaarde", "eindwaarde"),
    ("contante_waarde", "Contante waarde kasstromen", "contante_waarde"),
)


def explain(result: GrexResult, kengetal: str) -> dict[str, Any]:
    """The explanation of one figure (the one Explanation type, as plain data for ``_uitleg.html``)."""
    return get_kind("grex").explain(result, kengetal).to_dict()


def headline_cards(result: GrexResult) -> list[dict[str, Any]]:
    """The headline numbers with units and the explanation of each."""
    g = result.grex
    dagen = "hele jaren" if g.dagtelling == "hele_jaren" else "werkelijke dagen / 365,25"  # the day count is stated with every NCW
    units = {
        "ncw": f"€ contant per {g.ncw_date:%d-%m-%Y} (dagtelling: {dagen})",
        "eindwaarde": f"€ nominaal per 31-12-{g.end_year}",
        "contante_waarde": f"€ contant per {g.ncw_date:%d-%m-%Y} (dagtelling: {dagen})",
    }
    cards = [
        {"key": key, "label": label, "value": getattr(result, key), "unit": units[key], "uitleg": explain(result, fig)}
        for key, label, fig in HEADLINES
    ]
    cards.append({"key": "saldo_nominaal", "label": "Saldo nominaal", "value": result.saldo_nominaal, "unit": "€ nominaal (lopende prijzen)", "uitleg": None})
    cards.append({"key": "saldo_prijspeil", "label": "Saldo prijspeil", "value": result.saldo_prijspeil, "unit": f"€ prijspeil {g.prijspeil:%d-%m-%Y}", "uitleg": None})
    return cards


def chart_data(result: GrexResult) -> dict[str, Any]:
    """Plotly traces and layouts for the three charts (:func:`opengrex.io.charts.grex_figures`, also drawn in the
    PDF report)."""
    return grex_figures(result)


def chart_json(result: GrexResult) -> str:
    """Chart data as JSON safe to put inside ``<script type="application/json">``."""
    from opengrex.web.security import script_json

    return script_json(chart_data(result))


def yearly_rows(result: GrexResult) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """Per-year rows (opbrengsten, kosten, saldo, rente, boekwaarde, disconteringsfactor, contante waarde) + totals."""
    o = result.outcome
    cols = {
        "opbrengsten": o.revenues, "kosten": o.costs, "saldo": o.flows, "rente": o.interest,
        "boekwaarde": o.book_value, "disconteringsfactor": o.discount, "contante_waarde": o.flows * o.discount,
    }
    lists = {k: v.tolist() for k, v in cols.items()}
    rows = [{"jaar": y, **{k: lists[k][i] for k in lists}} for i, y in enumerate(result.years)]
    totals = {k: float(np.sum(cols[k])) for k in ("opbrengsten", "kosten", "saldo", "rente", "contante_waarde")}
    return rows, totals


def kostensoort_rows(result: GrexResult) -> list[dict[str, Any]]:
    """Per kostensoort / opbrengstsoort: totals at prijspeil, nominal and contante waarde."""
    o = result.outcome
    groups: dict[tuple[str, str, str], np.ndarray] = {}
    real = o.line_real.sum(axis=-1)
    nom = o.line_flows.sum(axis=-1)
    disc = o.line_flows @ o.discount
    for i, lab in enumerate(result.line_labels):
        key = (lab["soort"], lab["code"], lab["omschrijving"])
        acc = groups.setdefault(key, np.zeros(3))
        acc += (real[i], nom[i], disc[i])
    order = sorted(groups, key=lambda k: (k[0] != "kosten", natural_key(k[1])))
    return [{"soort": k[0], "code": k[1], "omschrijving": k[2], "prijspeil": groups[k][0], "nominaal": groups[k][1], "contante_waarde": groups[k][2]} for k in order]


def kostensoort_year_rows(result: GrexResult) -> list[dict[str, Any]]:
    """Per kostensoort / opbrengstsoort per year [EUR nominal] (spec §8), summed with ``np.add.at``."""
    o = result.outcome
    keys: dict[tuple[str, str, str], int] = {}
    idx = np.array([keys.setdefault((lab["soort"], lab["code"], lab["omschrijving"]), len(keys)) for lab in result.line_labels], dtype=np.intp)
    grid = np.zeros((len(keys), o.line_flows.shape[-1]))
    if len(idx):
        np.add.at(grid, idx, o.line_flows)
    order = sorted(keys, key=lambda k: (k[0] != "kosten", natural_key(k[1])))
    return [{"soort": k[0], "code": k[1], "omschrijving": k[2], "per_jaar": grid[keys[k]].tolist(), "totaal": float(grid[keys[k]].sum())} for k in order]


def group_rows(result: GrexResult) -> list[dict[str, Any]]:
    """Subtotals per group label of the lines (``fase``, ``deelgebied``: the model's declared grouping,
    :class:`opengrex.model.base.Groepering`): kosten and opbrengsten at prijspeil, saldo nominaal and contant, per
    label, summed with ``np.add.at`` (the engine is unchanged). Only groupings that some line uses."""

    o = result.outcome
    lines = [ln for _, _, ln in result.grex.lines()]
    real = o.line_real.sum(axis=-1)
    nom = o.line_flows.sum(axis=-1)
    disc = o.line_flows @ o.discount
    out = []
    for rel in getattr(Line, "relaties", ()):
        if not isinstance(rel, Groepering):
            continue
        for group in rel.velden:
            labels = [getattr(ln, group, None) or "" for ln in lines]
            if not any(labels):
                continue
            keys: dict[str, int] = {}
            idx = np.array([keys.setdefault(lab, len(keys)) for lab in labels], dtype=np.intp)
            sums = np.zeros((len(keys), 4))
            cost = real < 0
            np.add.at(sums[:, 0], idx, np.where(cost, -real, 0.0))
            np.add.at(sums[:, 1], idx, np.where(cost, 0.0, real))
            np.add.at(sums[:, 2], idx, nom)
            np.add.at(sums[:, 3], idx, disc)
            title = Line.model_fields[group].title or group
            rows = [{"groep": lab or f"(geen {title.lower()})", "kosten": v[0], "opbrengsten": v[1], "saldo_nominaal": v[2], "contant": v[3]}
                    for lab, v in ((lab, sums[i]) for lab, i in sorted(keys.items(), key=lambda kv: (kv[0] == "", kv[0])))]
            out.append({"veld": group, "titel": title, "rijen": rows})
    return out


def results_context(result: GrexResult) -> dict[str, Any]:
    """Everything the results partial (``_grex_resultaten.html``) needs."""
    rows, totals = yearly_rows(result)
    return {
        "result": result,
        "cards": headline_cards(result),
        "badkuip": result.badkuip(),
        "badkuip_uitleg": explain(result, "badkuip"),
        "irr": result.irr,
        "totalen": result.totals(),
        "jaren": rows,
        "jaartotalen": totals,
        "kostensoorten": kostensoort_rows(result),
        "kostensoort_jaren": kostensoort_year_rows(result),
        "groepen": group_rows(result),
        "charts": chart_json(result),
        "grex": result.grex,
    }
