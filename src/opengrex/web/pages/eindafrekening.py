"""Eindafrekening: shown by the generic document page (listed under kostenverhaal, key figures, summary and the
explanation of every figure), with its two tables titled: the recomputation per category and the interest per year."""
from __future__ import annotations

from typing import Any

from opengrex.formatting import date_nl, eur, pct, unit_text
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
        rows = [{"rentejaar": r["rentejaar"], "van": r["van"], "tot": r["tot"], "dagen": r["dagen"], "rentepercentage": r["rente_pct"], "grondslag": r["grondslag"], "rente": r["rente"]}
                for r in result.rente_regels]
        tables.append({"titel": "Rente over de terugbetaling, per jaar", "id": "tabel-rente_regels", "t": records_table(rows)})
    return {"tabellen": tables, "waarden": [(label, value) for label, value in kind_values(result)]}


def kind_values(result: Any) -> list[tuple[str, Any]]:
    """The list of values of the generic page, with Dutch labels and dates as 01-03-2025 (not the summary's keys)."""

    inv = result.invoer
    rows: list[tuple[str, Any]] = [("Soort", {"bijdrage": "eindafrekening financiële bijdrage", "tussentijds": "tussentijdse eindafrekening",
                                                "planschade": "planschade"}.get(result.soort, result.soort)),
                                   ("Datum eindafrekening", date_nl(inv.datum)), ("Parameterset", unit_text(result.parameterset))]
    if result.soort == "planschade":
        p = inv.planschade
        rows += [("Geraamde planschade", eur(p.geraamd)), ("Werkelijke planschade", eur(p.werkelijk)), ("Besluit onherroepelijk", date_nl(p.besluit_onherroepelijk)),
                 ("Terugbetaling", eur(result.totaal_terug)), ("Naheffing", eur(result.naheffing))]
    else:
        rows += [("Betaald", eur(result.betaald)), ("Betaaldatum", date_nl(inv.betaling.datum)), ("Aandeel van het plan", pct(result.aandeel)),
                 ("Disconteringsvoet", pct(inv.disconteringsvoet)), ("Kosten contant op de betaaldatum", eur(result.kosten_cw)),
                 ("Verschuldigd na herberekening", eur(result.verschuldigd)), ("Verschil (betaald − verschuldigd)", eur(result.verschil)),
                 ("Drempel", f"{pct(result.drempel)} ({eur(result.drempelbedrag)})"), ("Terugbetaling", eur(result.terugbetaling)),
                 ("Rente", eur(result.rente)), ("Totaal terug", eur(result.totaal_terug)), ("Rentetabel", result.rente_bron or "–")]
    rows += [("Toelichting", t) for t in result.uitleg] + [("Waarschuwing", w) for w in result.waarschuwingen]
    return rows


CONTEXTS["eindafrekening"] = eindafrekening_context
