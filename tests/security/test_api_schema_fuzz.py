"""Issue #10 proof: a schema-driven fuzz of the REST API (schemathesis, from the app's own OpenAPI document):
a bounded number of generated requests per operation, every answer below 500. The longer run is
``benchmarks/bench_fuzz.py`` (``make bench``)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402

from opengrex.web.app import create_app  # noqa: E402
from opengrex.web.settings import Settings  # noqa: E402

EXAMPLES = int(os.environ.get("OPENGREX_FUZZ_EXAMPLES", "4"))


def fuzz_app(tmp: Path):
    app = create_app(Settings(data_dir=tmp, database_url=f"sqlite:///{tmp / 'fuzz.db'}", auth=False, max_upload=256 * 1024, allowed_hosts="testserver"))
    from opengrex.services.documents import load_demo

    with app.state.db.transaction() as s:  # real documents, so ids 1.. exist and the deeper routes run
        load_demo(s, author="fuzz")
    return app


_TMP = Path(os.environ.get("OPENGREX_FUZZ_DIR") or __import__("tempfile").mkdtemp(prefix="opengrex-fuzz-"))
APP = fuzz_app(_TMP)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
STATS = {"requests": 0, "server_errors": 0}


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
def test_api_never_answers_5xx(case):
    response = case.call(headers={"host": "127.0.0.1"})
    STATS["requests"] += 1
    if response.status_code >= 500:
        STATS["server_errors"] += 1
    assert response.status_code < 500, f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}"
