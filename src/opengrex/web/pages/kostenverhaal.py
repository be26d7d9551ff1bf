"""Kostenverhaal case page: the A5 table, kosten per kostensoort, volgordelijkheid (recovered / not recovered, and
why) and the explanation of the exploitatiebijdrage. List, versions, compare and downloads are the common pages
(:mod:`opengrex.web.pages.documents`); the eindafrekening is listed under kostenverhaal."""
from __future__ import annotations

from typing import Any

from opengrex.services.kinds import DocumentKind
from opengrex.web.pages.documents import PAGES, KindPage
from opengrex.io.charts import kostenverhaal_figures
from opengrex.web.pages.render import charts_json, records_table


def kostenverhaal_context(result: Any, kind: DocumentKind[Any, Any]) -> dict[str, Any]:
    a5 = result.a5_table()
    volg = result.volgordelijkheid()
    d = result.to_dict()
    return {
        "r": result,
        "d": d,
        "a5": a5,
        "kostensoorten": records_table(result.kosten_per_kostensoort()),
        "volgorde": volg,
        "volg_totaal": {k: sum(v[k] for v in volg) for k in ("te_verhalen", "verhaald", "niet_verhaald")},
        "uitleg": kind.explain(result, "exploitatiebijdrage").to_dict(),
        "kavels": records_table(d.get("kavels", [])),
        "charts": charts_json(kostenverhaal_figures(result)),
    }


PAGES["kostenverhaal"] = KindPage("kostenverhaal.html", kostenverhaal_context)
