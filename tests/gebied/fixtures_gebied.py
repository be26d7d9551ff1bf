"""Shared pieces of the gebied tests: a tiny hand-computable gebied, its links, and the demo files."""
from __future__ import annotations

import copy
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "gebied"
DEMO = EXAMPLES / "spoorzone-oost.yaml"
SET_A, SET_B = "A – publiek kader", "B – SOK met ontwikkelrechten"


def tiny() -> dict:
    """Hand-computable gebied, 2025–2027, timing end, index k = 10% per year, fund rente 10%, disconteringsvoet 10%.

    g (gemeente): cost 1000 (k; 50/50 in 2025/2026) -> -500, -550; sells a kavel to d for 300 in 2026 (confidential);
       pays membership 100/yr (k) in 2025–2026 -> 100, 110; carries a linked project: cost 200 (2026), revenue 50 (2027).
    d (ontwikkelaar, margin 10%, confidential): revenue 2000 in 2027; kostenverhaal 400 to the fund in 2027;
       realises 100 m² wonen in 2027.
    Rules: gebiedsbijdrage 10 per m² wonen to g (d pays 1000 in 2027); then 10% of it to the fund (100).
    Fund: spending 150 in 2027. Balance: 100; 100 × 1.1 + 110 = 220; 220 × 1.1 − 150 + 400 + 100 = 592.
    """
    return copy.deepcopy({
        "naam": "Klein gebied",
        "prijspeil": "2025-01-01",
        "startjaar": 2025,
        "eindjaar": 2027,
        "disconteringsvoet": 0.1,
        "indices": {"geen": 0.0, "k": 0.1},
        "partijen": [
            {"id": "g", "naam": "Gemeente", "soort": "publiek", "rol": "gemeente"},
            {"id": "d", "naam": "Ontwikkelaar", "soort": "privaat", "rol": "ontwikkelaar", "marge": 0.1},
        ],
        "posten": [
            {"naam": "Bouwrijp maken", "partij": "g", "soort": "kosten", "investering": "publiek_infra", "bedrag": 1000, "index": "k", "fasering": {2025: 0.5, 2026: 0.5}},
            {"naam": "Verkoop woningen", "partij": "d", "soort": "opbrengsten", "bedrag": 2000, "fasering": {2027: 1.0}, "toelichting": "geheime notitie over de verkoop"},
        ],
        "transacties": [{"naam": "Kavel", "soort": "grond", "koper": "d", "verkoper": "g", "prijs": 300, "fasering": {2026: 1.0}}],
        "programma": [{"partij": "d", "functie": "wonen", "m2": 100, "fasering": {2027: 1.0}}],
        "programmaprojecten": [{"bron": {"document": 7}, "project": "P", "partij": "g", "investering": "publiek_infra"}],
        "kostenverhaal": [{"bron": {"document": 8}, "betaler": "d", "ontvanger": "fonds", "fasering": {2027: 1.0}}],
        "fonds": {
            "naam": "Fonds", "rente": 0.1,
            "lidmaatschap": [{"partij": "g", "bedrag": 100, "van": 2025, "tot": 2026, "index": "k"}],
            "uitgaven": [{"naam": "Organisatie", "bedrag": 150, "fasering": {2027: 1.0}}],
        },
        "spelregelsets": [{"naam": "S", "regels": [
            {"naam": "Bijdrage", "type": "gebiedsbijdrage", "tarief": {"wonen": 10}, "ontvanger": "g"},
            {"naam": "Afdracht", "type": "afdracht", "aandeel": 0.1, "van": "g", "naar": "fonds", "regels": ["Bijdrage"]},
        ]}],
    })


def tiny_links():
    """What the two linked documents of :func:`tiny` contribute (the registry would resolve ids 7 and 8)."""
    from opengrex.model.gebied import Gekoppeld

    return Gekoppeld(projecten=[{"partij": "g", "kosten": {2026: -200.0}, "opbrengsten": {2027: 50.0}, "bron": "programma: P"}],
                     kostenverhaal=[{"bedrag": 400.0, "bron": "geval: exploitatiebijdrage"}])


def tiny_resolver(kind: str, document: int, versie):
    """A resolver standing in for the document registry: document 7 is a programme, 8 a kostenverhaal case."""
    from opengrex.services import kostenverhaal as kvs
    from opengrex.services import programma as ps

    if kind == "programma" and document == 7:
        return ps.programme_from_dict({
            "name": "Prog", "prijspeil": "2025-01-01", "disconteringsvoet": 0.0, "financiers": [{"name": "F", "rente": 0.0}],
            "projecten": [{"name": "P", "soort": "overig", "trekker": "Gemeente", "voorfinancierder": "F", "grex": {
                "name": "P", "prijspeil": "2025-01-01", "start_year": 2025, "end_year": 2027, "indices": {"geen": 0.0},
                "kosten": [{"name": "K", "kostensoort": "A8", "amount": 200, "index": "geen", "phasing": {2026: 1.0}}],
                "opbrengsten": [{"name": "O", "opbrengstsoort": "overig", "amount": 50, "index": "geen", "phasing": {2027: 1.0}}]}}],
        })
    if kind == "kostenverhaal" and document == 8:
        return kvs.case_from_dict({
            "naam": "Geval", "parameterset": "soest", "peildatum": "2024-01-01", "gebied": "Kern Soest", "tijdvak": "met",
            "programma": {"woningen": {"duur": 10}},
            "initiatiefnemer": {"kosten": [{"kostensoort": "A1", "omschrijving": "Plan", "bedrag": 100}], "opbrengsten": [{"omschrijving": "Grond", "bedrag": 10000}]},
            "gemeente": {"kosten": [{"kostensoort": "A1", "omschrijving": "Plan", "bedrag": 400}]},
        })
    raise AssertionError((kind, document))
