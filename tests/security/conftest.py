"""Fixtures of the security tests: the demo grex as plain data."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo_data() -> dict:
    return json.loads(json.dumps(yaml.safe_load((ROOT / "examples" / "demo-grex.yaml").read_text(encoding="utf-8")), default=str))
