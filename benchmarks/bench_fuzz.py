"""Schema-driven fuzz of the REST API (issue #10), longer than the one in ``make test``: schemathesis generates
requests for every operation of the app's OpenAPI document (``OPENGREX_FUZZ_EXAMPLES`` per operation, default 40)
against the app on a fresh SQLite database with the demo data; reports requests, 5xx and the slowest request."""
from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path


def run() -> list[dict]:
    import schemathesis
    from hypothesis import HealthCheck, given, settings

    from opengrex.services.documents import load_demo
    from opengrex.web.app import create_app
    from opengrex.web.settings import Settings

    examples = int(os.environ.get("OPENGREX_FUZZ_EXAMPLES", "40"))
    tmp = Path(tempfile.mkdtemp(prefix="opengrex-bench-fuzz-"))
    app = create_app(Settings(data_dir=tmp, database_url=f"sqlite:///{tmp / 'fuzz.db'}", auth=False, max_upload=256 * 1024, allowed_hosts="testserver"))
    with app.state.db.transaction() as s:
        load_demo(s, author="fuzz")
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    stats = {"requests": 0, "5xx": 0, "slowest": 0.0, "slowest_op": ""}
    failures: list[str] = []
    t_start = time.perf_counter()
    operations = 0
    for result in schema.get_all_operations():
        op = result.ok()
        operations += 1

        @given(case=op.as_strategy())
        @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def one(case):
            t0 = time.perf_counter()
            r = case.call(headers={"host": "127.0.0.1"})
            took = time.perf_counter() - t0
            stats["requests"] += 1
            if took > stats["slowest"]:
                stats["slowest"], stats["slowest_op"] = took, f"{case.method} {case.formatted_path}"
            if r.status_code >= 500:
                stats["5xx"] += 1
                failures.append(f"{case.method} {case.formatted_path} -> {r.status_code}")

        one()
    total = time.perf_counter() - t_start
    return [
        {"meting": "operaties", "waarde": operations, "eenheid": "", "toelichting": "uit /openapi.json"},
        {"meting": "verzoeken", "waarde": stats["requests"], "eenheid": "", "toelichting": f"{examples} voorbeelden per operatie (schemathesis)"},
        {"meting": "5xx", "waarde": stats["5xx"], "eenheid": "", "toelichting": "; ".join(failures[:5]) or "geen serverfouten"},
        {"meting": "traagste verzoek", "waarde": stats["slowest"], "eenheid": "s", "toelichting": stats["slowest_op"]},
        {"meting": "duur", "waarde": total, "eenheid": "s", "toelichting": f"{stats['requests'] / max(total, 1e-9):.0f} verzoeken/s"},
    ]
