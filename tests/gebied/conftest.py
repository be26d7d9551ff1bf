"""Fixtures of the gebied tests (the helpers live in fixtures_gebied.py)."""
from __future__ import annotations

import pytest
from tests.gebied.fixtures_gebied import tiny


@pytest.fixture
def tiny_data() -> dict:
    return tiny()
