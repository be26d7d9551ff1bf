"""Load test of the web app (issue 5), bounded and against 127.0.0.1 only. Measures (printed, never asserted):

(a) 50 concurrent clients for 60 s (``OPENGREX_BENCH_SECONDS`` to change) against a real ``opengrex serve``
    (uvicorn, SQLite in a temp dir): each client loops *read the demo grex → change a line → save a new version →
    recalculate*; requests/s, p50/p95 latency per kind of request, errors, and the rows before/after: every
    acknowledged save must be a version row (no write lost), every document's versions numbered 1..n;
(b) a 200-line grex: calculate via the API (``POST /api/grex/{id}/calculate``) and the full grex page
    (``GET /grex/{id}``: calculate + render the edit table, results and charts) — median and p95 of 20 [ms];
    target < 300 ms; plus the in-process time of ``calculate_grex`` + ``summary()``.
"""
from __future__ import annotations

import asyncio
import copy
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from opengrex.testing import free_port, start_server

CLIENTS = 50
SECONDS = float(os.environ.get("OPENGREX_BENCH_SECONDS", "60"))
OPENGREX = Path(sys.executable).with_name("opengrex")


def _row(meting: str, waarde, eenheid: str = "", toelichting: str = "") -> dict:
    return {"meting": meting, "waarde": waarde, "eenheid": eenheid, "toelichting": toelichting}


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


async def _client(base: str, doc_id: int, until: float, lat: dict[str, list[float]], counts: dict[str, int], seed: int) -> None:
    rng = random.Random(seed)
    async with httpx.AsyncClient(base_url=base, timeout=60) as c:
        while time.monotonic() < until:
            try:
                t0 = time.perf_counter()
                r = await c.get(f"/api/grex/{doc_id}")
                lat["lezen"].append(time.perf_counter() - t0)
                data = r.json()["data"]
                line = rng.randrange(len(data["kosten"]))
                data["kosten"][line]["amount"] = round(data["kosten"][line]["amount"] * rng.uniform(0.95, 1.05), 2)
                t0 = time.perf_counter()
                r = await c.put(f"/api/grex/{doc_id}", json={"data": data, "comment": f"belasting {seed}"})
                lat["opslaan"].append(time.perf_counter() - t0)
                counts["opgeslagen" if r.status_code == 200 else "fout"] += 1
                t0 = time.perf_counter()
                r = await c.post(f"/api/grex/{doc_id}/calculate")
                lat["herberekenen"].append(time.perf_counter() - t0)
                counts["berekend" if r.status_code == 200 else "fout"] += 1
            except httpx.HTTPError:
                counts["fout"] += 1


def _rows_in(db: Path) -> tuple[int, int, bool]:
    conn = sqlite3.connect(db)
    try:
        docs = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        versions = conn.execute("SELECT count(*) FROM versions").fetchone()[0]
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for doc_id, current in conn.execute("SELECT id, current_version FROM documents").fetchall():
            numbers = [n for (n,) in conn.execute("SELECT number FROM versions WHERE document_id=? ORDER BY number", (doc_id,))]
            ok = ok and numbers == list(range(1, current + 1))
        return docs, versions, ok
    finally:
        conn.close()


def big_grex(data: dict, n_lines: int = 200) -> dict:
    """The demo grex blown up to ``n_lines`` lines (copies of its lines, amounts varied)."""
    out = copy.deepcopy(data)
    base_k, base_o = data["kosten"], data["opbrengsten"]
    n_k = n_lines * len(base_k) // (len(base_k) + len(base_o))
    out["name"] = f"Belastingtest {n_lines} posten"
    out["kosten"] = [dict(copy.deepcopy(base_k[i % len(base_k)]), name=f"{base_k[i % len(base_k)]['name']} #{i}", amount=base_k[i % len(base_k)]["amount"] / 10 * (1 + i % 7 / 10)) for i in range(n_k)]
    out["opbrengsten"] = [dict(copy.deepcopy(base_o[i % len(base_o)]), name=f"{base_o[i % len(base_o)]['name']} #{i}", amount=base_o[i % len(base_o)]["amount"] / 10 * (1 + i % 5 / 10)) for i in range(n_lines - n_k)]
    return out


def _timed(fn, n: int = 20) -> list[float]:
    fn()  # warm-up
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def run() -> list[dict]:
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="opengrex-bench-") as tmp:
        data_dir = Path(tmp)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = start_server(data_dir, port, capture=False)
        try:
            grexes = httpx.get(f"{base}/api/grex").json()
            doc_id = grexes[0]["id"]
            docs0, versions0, _ = _rows_in(data_dir / "opengrex.db")

            # (a) load test
            lat: dict[str, list[float]] = {"lezen": [], "opslaan": [], "herberekenen": []}
            counts = {"opgeslagen": 0, "berekend": 0, "fout": 0}
            t0 = time.monotonic()
            until = t0 + SECONDS

            async def main() -> None:
                await asyncio.gather(*[_client(base, doc_id, until, lat, counts, k) for k in range(CLIENTS)])

            asyncio.run(main())
            elapsed = time.monotonic() - t0
            docs1, versions1, consistent = _rows_in(data_dir / "opengrex.db")
            current = httpx.get(f"{base}/api/grex/{doc_id}").json()["current_version"]
            total = sum(len(v) for v in lat.values())
            all_lat = [x for v in lat.values() for x in v]
            lost = (versions0 + counts["opgeslagen"]) - versions1
            rows += [
                _row("(a) clients x duur", f"{CLIENTS} x {elapsed:.1f} s".replace(".", ","), "", "lezen → wijzigen → opslaan (nieuwe versie) → herberekenen"),
                _row("(a) verzoeken", total, "", f"waarvan {counts['fout']} fout"),
                _row("(a) doorvoer", total / elapsed, "verzoeken/s"),
                _row("(a) p50 latentie, alle verzoeken", _pct(all_lat, 0.5) * 1000, "ms"),
                _row("(a) p95 latentie, alle verzoeken", _pct(all_lat, 0.95) * 1000, "ms"),
            ]
            for k, v in lat.items():
                rows.append(_row(f"(a) p95 latentie {k}", _pct(v, 0.95) * 1000, "ms", f"{len(v)} verzoeken, p50 {_pct(v, 0.5) * 1000:.0f} ms"))
            rows += [
                _row("(a) rijen versions voor / na", f"{versions0} / {versions1}", "", f"{counts['opgeslagen']} bevestigde opslagen; documenten {docs0} / {docs1}"),
                _row("(a) verloren schrijfacties", lost, "", "versies_na - (versies_voor + bevestigde opslagen); moet 0 zijn"),
                _row("(a) database consistent", "ja" if consistent and lost == 0 and current == versions1 - versions0 + 1 else "NEE", "", "integrity_check, versies 1..n per document"),
            ]

            # (b) 200-line grex: API calculate and the full page
            demo = httpx.get(f"{base}/api/grex/{doc_id}").json()["data"]
            big = big_grex(demo, 200)
            r = httpx.post(f"{base}/api/grex", json={"data": big}, timeout=60)
            r.raise_for_status()
            big_id = r.json()["id"]
            with httpx.Client(base_url=base, timeout=60) as c:
                api_ms = _timed(lambda: c.post(f"/api/grex/{big_id}/calculate").raise_for_status())
                rows.append(_row("(b) 200 posten: API berekenen (mediaan)", statistics.median(api_ms), "ms", f"p95 {_pct(api_ms, 0.95):.0f} ms; POST /api/grex/{{id}}/calculate, incl. JSON"))
                page = c.get(f"/grex/{big_id}")
                if page.status_code == 200:
                    page_ms = _timed(lambda: c.get(f"/grex/{big_id}").raise_for_status())
                    rows.append(_row("(b) 200 posten: pagina berekenen + renderen (mediaan)", statistics.median(page_ms), "ms", f"p95 {_pct(page_ms, 0.95):.0f} ms; GET /grex/{{id}}, {len(page.content) // 1024} KiB HTML; doel < 300 ms"))
                else:
                    rows.append(_row("(b) 200 posten: pagina", page.status_code, "HTTP", "pagina niet beschikbaar"))
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()

    from opengrex.services.grex import calculate_grex, grex_from_dict

    g = grex_from_dict(big)
    inproc = _timed(lambda: calculate_grex(g).summary())
    rows.append(_row("(b) 200 posten: calculate_grex + summary in-process (mediaan)", statistics.median(inproc), "ms", "zonder HTTP"))
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
