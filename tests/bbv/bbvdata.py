"""Hand-computable grexes and portfolio helpers for the BBV tests."""
from __future__ import annotations

import copy
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "bbv"


def valued_grex(**over) -> dict:
    """Hand-computed grex at balance date 31-12-2024 (prijspeil 1-1-2025, realised through 2024, rente 5 %, no index):

    flows 2024 = -1000 + 300 = -700 (realised), 2025 = -100 + 750 = 650, 2026 = -200 + 750 = 550;
    book value -700, -85, 460.75; nominal result 500; costs realised 1000 of 1300, revenues 300 of 1800.
    """
    g = {
        "name": "Handgrex",
        "prijspeil": "2025-01-01",
        "start_year": 2024,
        "end_year": 2026,
        "timing": "end",
        "rente": 0.05,
        "disconteringsvoet": 0.02,
        "realised_through": 2024,
        "indices": {"geen": 0.0},
        "kosten": [
            {"name": "Verwerving", "kostensoort": "A2", "amount": 100.0, "index": "geen", "phasing": {2025: 1.0}, "realised": {2024: 1000.0}},
            {"name": "Bouwrijp", "kostensoort": "A6", "amount": 200.0, "index": "geen", "phasing": {2026: 1.0}},
        ],
        "opbrengsten": [
            {"name": "Kavels", "opbrengstsoort": "gronduitgifte_woningbouw", "amount": 1500.0, "index": "geen", "phasing": {2025: 0.5, 2026: 0.5}, "realised": {2024: 300.0}},
        ],
    }
    g.update(over)
    return g


def roll_grex_doc(**over) -> dict:
    """A grex before jaarovergang 2024 (prijspeil 1-1-2024): cost 1000 (60 % in 2024, 40 % in 2025, index 'kosten'
    10 %), revenue 2000 in 2025 (no index), rente 0. Nominal: 2024 -600, 2025 -440 + 2000."""
    g = {
        "name": "Rolgrex",
        "prijspeil": "2024-01-01",
        "start_year": 2024,
        "end_year": 2025,
        "timing": "end",
        "rente": 0.0,
        "disconteringsvoet": 0.0,
        "indices": {"kosten": 0.10, "geen": 0.0},
        "kosten": [{"name": "Verwerving", "kostensoort": "A2", "amount": 1000.0, "index": "kosten", "phasing": {2024: 0.6, 2025: 0.4}}],
        "opbrengsten": [{"name": "Kavels", "opbrengstsoort": "gronduitgifte_woningbouw", "amount": 2000.0, "index": "geen", "phasing": {2025: 1.0}}],
    }
    g.update(over)
    return g


def portfolio(grexes: list[dict], balansjaar: int, **over) -> dict:
    pf = {"naam": "Testportefeuille", "balansjaar": balansjaar, "grexen": [{"grex": copy.deepcopy(g)} for g in grexes]}
    pf.update(over)
    return pf


def write_ledger(path: Path, rows: list[tuple]) -> Path:
    import csv

    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["datum", "project", "kostensoort", "bedrag"])
        out.writerows(rows)
    return path
