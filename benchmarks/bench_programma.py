"""Benchmark: Monte Carlo of a 50-project programme (30 years, 100 lines per project), 10,000 draws.

Vectorised: :func:`opengrex.services.programma.run_risk` — draws on a leading axis, chunks of up to 1,000 draws, lines
merged per (project, index series, cost/revenue) (exact). Reference: a loop over draws, each calling the
deterministic programme engine once on the full (unmerged) arrays; a few draws are timed and the time is
extrapolated to 10,000. Both give the same NCW for the timed draws (checked here, and in the tests).
Wall-clock and CPU time are both reported: on a shared machine the wall time includes waiting for a core.
Run with ``make bench`` or ``python -m benchmarks programma``.
"""
from __future__ import annotations

import resource
import time

import numpy as np

from opengrex.engine import risico
from opengrex.engine.programma import calculate as programma_calculate
from opengrex.model.programma import Programme, compile_risk
from opengrex.services.programma import run_risk

N_PROJECTS = 50
N_LINES = 100
N_YEARS = 30
N_DRAWS = 10_000
LOOP_DRAWS = 5


def make_programme(seed: int = 6) -> Programme:
    """A synthetic programme: 20 red, 20 green, 10 other projects; 60 cost + 40 revenue lines each over 30 years;
    3 index series; 2 risk events per project; uncertain index, price level and a sales delay of 0–2 years."""
    rng = np.random.default_rng(seed)
    y0, y1 = 2025, 2025 + N_YEARS - 1
    kinds = ["rood"] * 20 + ["groen"] * 20 + ["overig"] * 10
    projects = []
    for p in range(N_PROJECTS):
        lines = {"kosten": [], "opbrengsten": []}
        for i in range(N_LINES):
            section = "kosten" if i < 60 else "opbrengsten"
            start = int(rng.integers(y0, y1 - 8)) if section == "kosten" else int(rng.integers(y0 + 5, y1 - 6))
            n = int(rng.integers(1, 6))
            line = {"name": f"Post {i}", "amount": float(round(rng.uniform(5e4, 2e6), -2)), "index": ["kosten", "opbrengsten", "geen"][i % 3], "phasing": {y: 1.0 / n for y in range(start, start + n - 1)}}
            line["phasing"][start + n - 1] = 1.0 - sum(line["phasing"].values())
            line["kostensoort" if section == "kosten" else "opbrengstsoort"] = "A8" if section == "kosten" else "gronduitgifte_woningbouw"
            lines[section].append(line)
        grex = {"name": f"Project {p}", "prijspeil": "2025-01-01", "start_year": y0, "end_year": y1, "indices": {"kosten": 0.025, "opbrengsten": {2025: 0.01, 2027: 0.02}, "geen": 0.0}, **lines}
        risks = [{"naam": f"Risico {j}", "kans": float(rng.uniform(0.05, 0.5)), "impact": {"min": 1e5, "mode": 3e5, "max": 1e6, "verdeling": "pert" if j else "driehoek"}} for j in range(2)]
        projects.append({"name": f"Project {p}", "soort": kinds[p], "trekker": "Gemeente", "voorfinancierder": ["Provincie", "Gemeente", "Rijk"][p % 3], "grex": grex, "risicos": risks})
    data = {
        "name": "Benchmarkprogramma",
        "prijspeil": "2025-01-01",
        "disconteringsvoet": 0.02,
        "end_year": y1,
        "financiers": [{"name": "Provincie", "rente": {2025: 0.04, 2030: 0.0}}, {"name": "Gemeente", "rente": 0.03}, {"name": "Rijk", "rente": 0.025}],
        "fonds": {"name": "Fonds", "rente": 0.02, "financier": "Provincie"},
        "projecten": projects,
        "onzekerheden": [
            {"naam": "Index kosten", "type": "index", "reeks": "kosten", "min": -0.005, "mode": 0.0, "max": 0.015},
            {"naam": "Prijsniveau opbrengsten", "type": "prijsniveau", "op": "opbrengsten", "min": -0.1, "mode": 0.0, "max": 0.05, "verdeling": "pert"},
            {"naam": "Vertraging", "type": "vertraging", "kansen": {0: 0.6, 1: 0.3, 2: 0.1}, "projecten": [f"Project {p}" for p in range(20)]},
        ],
    }
    return Programme.model_validate(data).validated()


def run() -> list[dict]:
    t0 = time.perf_counter()
    prog = make_programme()
    t_model = time.perf_counter() - t0

    t0, c0 = time.perf_counter(), time.process_time()
    res = run_risk(prog, draws=N_DRAWS, seed=1)
    t_vec, c_vec = time.perf_counter() - t0, time.process_time() - c0

    # engine only: the same draws, without compiling and without the tornado
    merged, _ = compile_risk(prog)
    x = risico.sample_inputs(merged, N_DRAWS, seed=1)
    t0, c0 = time.perf_counter(), time.process_time()
    ncw = risico.evaluate_inputs(merged, x, risico.chunk_size(merged))
    t_engine, c_engine = time.perf_counter() - t0, time.process_time() - c0

    # reference: a loop over draws, one deterministic engine call per draw on the full arrays
    full, _ = compile_risk(prog, merge_lines=False)
    t0, c0 = time.perf_counter(), time.process_time()
    loop = [float(programma_calculate(risico.apply_inputs(full, x[i : i + 1])).ncw[0]) for i in range(LOOP_DRAWS)]
    t_loop_each = (time.perf_counter() - t0) / LOOP_DRAWS
    c_loop_each = (time.process_time() - c0) / LOOP_DRAWS
    t_loop = t_loop_each * N_DRAWS
    max_diff = float(np.max(np.abs(np.array(loop) - ncw[:LOOP_DRAWS])))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    p, l_merged, y = merged.base.grex.share.shape
    return [
        {"meting": "programma", "waarde": f"{N_PROJECTS} projecten x {N_LINES} posten x {N_YEARS} jaar", "eenheid": "", "toelichting": f"{N_DRAWS} trekkingen; 2 risico's per project, 3 onzekere parameters"},
        {"meting": "model opbouwen en valideren", "waarde": t_model, "eenheid": "s"},
        {"meting": "run_risk (compileren + Monte Carlo + tornado)", "waarde": t_vec, "eenheid": "s", "toelichting": f"CPU-tijd {c_vec:.2f} s; chunks van {res.chunk} trekkingen"},
        {"meting": "Monte Carlo, alleen engine", "waarde": t_engine, "eenheid": "s", "toelichting": f"CPU-tijd {c_engine:.2f} s; posten samengevoegd: {N_LINES + 2} -> {l_merged} per project (exact)"},
        {"meting": "lus over trekkingen (deterministische engine), per trekking", "waarde": t_loop_each, "eenheid": "s", "toelichting": f"CPU-tijd {c_loop_each * 1e3:.2f} ms; gemeten over {LOOP_DRAWS} trekkingen, alle {N_LINES} posten"},
        {"meting": f"lus over trekkingen, geëxtrapoleerd naar {N_DRAWS}", "waarde": t_loop, "eenheid": "s"},
        {"meting": "verhouding lus / gevectoriseerd (run_risk)", "waarde": t_loop / t_vec, "eenheid": "x"},
        {"meting": "verhouding lus / gevectoriseerd (alleen engine)", "waarde": t_loop / t_engine, "eenheid": "x", "toelichting": f"op CPU-tijd: {c_loop_each * N_DRAWS / c_engine:.1f}x"},
        {"meting": "grootste verschil NCW lus vs gevectoriseerd", "waarde": max_diff, "eenheid": "EUR", "toelichting": "zelfde trekkingen"},
        {"meting": "piekgeheugen proces (max RSS)", "waarde": peak_mb, "eenheid": "MiB"},
        {"meting": "NCW gemiddeld / P10 / P90", "waarde": f"{res.mean / 1e6:.1f} / {res.quantile(0.1) / 1e6:.1f} / {res.quantile(0.9) / 1e6:.1f}", "eenheid": "mln EUR"},
    ]


if __name__ == "__main__":  # pragma: no cover
    for row in run():
        print(row)
