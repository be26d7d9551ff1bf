"""Eindafrekening: shown by the generic document page (listed under kostenverhaal, key figures, summary and the
explanation of every figure), with its two tables titled: the recomputation per category and the interest per year."""
from __future__ import annotations

from typing import Any

from opengrex.services.kinds import DocumentKind
from opengrex.web.pages.documents import CONTEXTS
from opengrex.web.pages.render import records_table


def eindafrekening_context(result: Any, kind: DocumentKind[Any, Any]) -> dict[str, Any]:
    tables: list[dict[str, Any]] = []
    if not hasattr(result, "per_categorie"):  # a planschade settlement has no categories and no interest
        return {"tabellen": tables}
    if result.per_categorie:
        tables.append({"titel": "Per categorie: raming en herberekening (contant op de betaaldatum)", "id": "tabel-per_categorie", "t": records_table(result.per_categorie)})
    if result.rente_regels:
        rows = [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()} for r in result.rente_regels]
        tables.append({"titel": "Rente over de terugbetaling, per jaar", "id": "tabel-rente_regels", "t": records_table(rows)})
    return {"tabellen": tables}


CONTEXTS["eindafrekening"] = eindafrekening_context
