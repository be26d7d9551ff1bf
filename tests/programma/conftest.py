"""Shared fixtures for the programme tests: a tiny hand-computable programme and the demo files."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "hart-van-de-heuvelrug"


def grex(name: str, costs: dict[int, float], revenues: dict[int, float], start: int = 2021, end: int = 2023, index: float = 0.0) -> dict:
    """A grex whose nominal flows are exactly ``revenues - costs`` per year (index 0 unless given)."""
    out = {"name": name, "prijspeil": f"{start}-01-01", "start_year": start, "end_year": end, "timing": "end", "indices": {"geen": index}, "kosten": [], "opbrengsten": []}
    if costs:
        out["kosten"].append({"name": "Kosten", "kostensoort": "A8", "amount": sum(costs.values()), "index": "geen", "phasing": dict(costs)})
    if revenues:
        out["opbrengsten"].append({"name": "Opbrengst", "opbrengstsoort": "gronduitgifte_woningbouw", "amount": sum(revenues.values()), "index": "geen", "phasing": dict(revenues)})
    return out


def small_programme() -> dict:
    """Hand-computable programme (end timing, prices flat):

    R (rood, financier A 10%): flows -100, +50, +80;  G (groen, financier B 5%): -30, 0, +10;
    O (overig, financier A 10%): -10, 0, 0;  Beheerfonds 5%, financed by B; disconteringsvoet 0.
    """
    return {
        "name": "Testprogramma",
        "versie": "1",
        "prijspeil": "2021-01-01",
        "ncw_datum": "2021-01-01",
        "disconteringsvoet": 0.0,
        "financiers": [{"name": "A", "rente": 0.10}, {"name": "B", "rente": 0.05}],
        "fonds": {"name": "Fonds", "rente": 0.05, "financier": "B"},
        "partners": [{"name": "P1", "share": 0.6}, {"name": "P2", "share": 0.4}],
        "garanties": [{"name": "G1", "plafond": 15.0}, {"name": "G2", "plafond": 10.0}],
        "taakstellingen": [{"name": "T", "project": "R", "bedrag": 20.0}],
        "projecten": [
            {"name": "R", "soort": "rood", "trekker": "P1", "voorfinancierder": "A", "grex": grex("R", {2021: 100}, {2022: 50, 2023: 80})},
            {"name": "G", "soort": "groen", "trekker": "P2", "voorfinancierder": "B", "grex": grex("G", {2021: 30}, {2023: 10})},
            {"name": "O", "soort": "overig", "trekker": "P1", "voorfinancierder": "A", "grex": grex("O", {2021: 10}, {})},
        ],
    }


@pytest.fixture
def small() -> dict:
    return copy.deepcopy(small_programme())


@pytest.fixture
def demo_2013():
    from opengrex.services.programma import load_programme

    return load_programme(EXAMPLES / "mastergrex-2013.yaml")


@pytest.fixture
def demo_2012():
    from opengrex.services.programma import load_programme

    return load_programme(EXAMPLES / "mastergrex-2012.yaml")
