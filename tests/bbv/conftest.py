"""Fixtures for the BBV tests: the demo portfolio (helpers in bbvdata.py)."""
from __future__ import annotations

import datetime as dt

import pytest
from bbvdata import EXAMPLES


@pytest.fixture
def demo_2023():
    from opengrex.services.bbv import load_portfolio

    return load_portfolio(EXAMPLES / "portefeuille-2023.yaml")


@pytest.fixture(scope="session")
def demo_2025(tmp_path_factory):
    """The demo portfolio rolled through 2024 (new index series) and 2025: valued at 31-12-2025."""
    from opengrex.services.bbv import load_portfolio, roll_portfolio, save_portfolio

    tmp = tmp_path_factory.mktemp("demo")
    jo = roll_portfolio(load_portfolio(EXAMPLES / "portefeuille-2023.yaml"), EXAMPLES / "grootboek-2024.csv", 2024,
                        nieuwe_indices={"kosten": {2024: 0.041, 2025: 0.032, 2026: 0.025, 2027: 0.02}}, door="test", datum=dt.date(2025, 3, 1))
    p = save_portfolio(jo.portefeuille(), tmp / "2024")
    jo2 = roll_portfolio(load_portfolio(p), EXAMPLES / "grootboek-2025.csv", 2025, door="test", datum=dt.date(2026, 3, 1))
    return jo2.portefeuille()
