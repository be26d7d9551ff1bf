"""PDF reports and page rendering of a 200-line grex (issue #11 item 7; printed, never asserted):

- the PDF report of a 200-line, 15-year grex (content, HTML with three matplotlib SVG charts, WeasyPrint): median of 5
  runs, wall clock and CPU time of this process (the machine is shared: CPU time is what the report costs; target
  < 3 s); the pages of the PDF;
- the grex page of the same grex (``GET /grex/{id}``: calculate + render the edit table, results and charts) through
  the app in-process (TestClient), median of 10 [ms], and its size with and without gzip of the static files;
- the portfolio report of the demo data;
- plotly.js as served: bytes on the wire with gzip (the partial bundle).
"""
from __future__ import annotations

import gzip
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np


def _row(meting: str, waarde, eenheid: str = "", toelichting: str = "") -> dict:
    return {"meting": meting, "waarde": waarde, "eenheid": eenheid, "toelichting": toelichting}


def _timed(fn, n: int) -> tuple[float, float, object]:
    walls, cpus, out = [], [], None
    for _ in range(n):
        w, c = time.perf_counter(), time.process_time()
        out = fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus), out


def run() -> list[dict]:
    import os

    os.environ.setdefault("OPENGREX_ALLOWED_HOSTS", "testserver")
    from fastapi.testclient import TestClient

    from opengrex.services.grex import grex_to_dict
    from opengrex.services.kinds import get_kind
    from opengrex.services.reports import document_pdf
    from opengrex.testing import random_grex
    from opengrex.web.app import STATIC_DIR, create_app
    from opengrex.web.settings import Settings

    rows = []
    kind = get_kind("grex")
    grex = random_grex(np.random.default_rng(7), n_lines=200, n_years=15)
    document_pdf(kind, kind.load(Path(__file__).resolve().parents[1] / "examples" / "demo-grex.yaml"))  # warm-up: imports, fonts
    wall, cpu, pdf = _timed(lambda: document_pdf(kind, grex, versie=1, document_id=1), 5)
    rows.append(_row("PDF-rapport grex 200 posten × 15 jaar (wandklok)", wall * 1000, "ms", "doel < 3000 ms; mediaan van 5"))
    rows.append(_row("PDF-rapport grex 200 posten × 15 jaar (CPU van dit proces)", cpu * 1000, "ms", "zonder wachten op de gedeelde kernen"))
    rows.append(_row("PDF-rapport grex 200 posten: grootte", len(pdf) / 1024, "kB"))

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(Settings(data_dir=Path(tmp), database_url=f"sqlite:///{tmp}/b.db"))
        with TestClient(app) as c:
            doc = c.post("/api/grex", json={"data": grex_to_dict(grex)}).json()["id"]
            c.get(f"/grex/{doc}")
            wall, cpu, resp = _timed(lambda: c.get(f"/grex/{doc}"), 10)
            rows.append(_row("Pagina grex 200 posten (GET /grex/{id}, in proces)", wall * 1000, "ms", "doel < 300 ms; mediaan van 10"))
            rows.append(_row("Pagina grex 200 posten: HTML", len(resp.content) / 1024, "kB", f"gzip zou {len(gzip.compress(resp.content)) / 1024:.0f} kB zijn (pagina's niet gecomprimeerd: CSRF-token)"))
            wall, cpu, r = _timed(lambda: c.get(f"/api/grex/{doc}/rapport.pdf"), 3)
            rows.append(_row("GET /api/grex/{id}/rapport.pdf, 200 posten", wall * 1000, "ms", "mediaan van 3"))
            c.post("/demo")
            wall, cpu, pdf = _timed(lambda: c.get("/api/portefeuille/rapport.pdf").content, 1)
            rows.append(_row("Portefeuillerapport demo (13 documenten)", wall * 1000, "ms", f"{len(pdf) / 1024:.0f} kB"))
            r = c.get("/static/vendor/plotly.min.js", headers={"accept-encoding": "gzip"})
            raw = (STATIC_DIR / "vendor" / "plotly.min.js").stat().st_size
            rows.append(_row("plotly.js: bestand (deelbundel)", raw / 1024, "kB", "de volledige bundel was 4.703 kB"))
            rows.append(_row("plotly.js: over de lijn met gzip", int(r.headers.get("content-length", 0)) / 1024, "kB", r.headers.get("content-encoding", "")))
        app.state.db.dispose()
    return rows
