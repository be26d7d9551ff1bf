"""Benchmark: BBV jaarovergang + valuation of a 1,000-grex portfolio with a 100,000-row ledger, and portfolio risk.

1. Jaarovergang 2024 (ledger read and validated, realisation allocated, remaining budget re-indexed, both versions
   valued, variance split over 5 causes with all 32 hybrids) and the valuation at 31-12-2024, vectorised over the
   portfolio axis: :func:`opengrex.services.bbv.roll_portfolio`. Target < 2 s. Reference: the same per grex in a
   loop (one ``roll_grex`` per grex with its own ledger file), timed on a sample and extrapolated; the ratio is printed.
   Loading the 1,000 grex documents (validation) is outside both timings; writing the rolled documents is timed apart.
2. Portfolio risk: 1,000 grexes × 2,000 draws (2 risk events per grex and an uncertain cost index), locally in chunks
   and on a dask.distributed LocalCluster with 2 worker processes; both give the same figures (checked here).

Run with ``make bench`` or ``python -m benchmarks bbv``. Wall-clock and CPU time: on a shared machine the wall time
includes waiting for a core.
"""
from __future__ import annotations

import copy
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

N_GREX = 1000
N_ROWS = 100_000
N_DRAWS = 2000
LOOP_SAMPLE = 40
EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "bbv"


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def make_portfolio(n: int = N_GREX, risks: bool = False, seed: int = 14):
    """``n`` grexes derived from the 11 demo grexes in exploitatie (amounts scaled 0.5–2×), balansjaar 2023."""
    from opengrex.services.bbv import load_portfolio, portfolio_from_dict

    rng = np.random.default_rng(seed)
    demo = load_portfolio(EXAMPLES / "portefeuille-2023.yaml")
    base = [(e, g) for e, g in zip(demo.portefeuille.grexen, demo.grexes) if e.status == "in_exploitatie"]
    entries = []
    for i in range(n):
        e, g = base[i % len(base)]
        f = float(rng.uniform(0.5, 2.0))
        doc = g.model_dump(mode="json")
        doc["naam"] = f"Grex {i:04d}"  # the grex as its document spells it (Dutch keys)
        for section in ("kosten", "opbrengsten"):
            for ln in doc[section]:
                ln["bedrag"] *= f
                ln["gerealiseerd"] = {k: v * f for k, v in ln.get("gerealiseerd", {}).items()}
        risico = {"klasse": "midden"}
        if risks:
            risico = {"risicos": [{"naam": "Marktrisico", "kans": 0.4, "impact": {"min": 1e5 * f, "mode": 5e5 * f, "max": 2e6 * f}},
                                  {"naam": "Vertraging", "kans": 0.2, "impact": {"min": 5e4 * f, "mode": 2e5 * f, "max": 6e5 * f, "verdeling": "pert"}}]}
        entries.append({"grex": doc, "naam": doc["naam"], "projectnummer": f"{10000 + i}", "status": "in_exploitatie", "risico": risico})
    pf = {"naam": "Benchmarkgemeente", "balansjaar": 2023, "weerstandscapaciteit": 5e8, "grexen": entries}
    if risks:
        pf["onzekerheden"] = [{"naam": "Index kosten", "type": "index", "reeks": "kosten", "min": -0.005, "mode": 0.0, "max": 0.015}]
    return portfolio_from_dict(copy.deepcopy(pf))


def make_ledger(lp, year: int, rows: int, seed: int = 5) -> pd.DataFrame:
    """``rows`` bookings spread over every (grex, line) estimated in ``year``, totalling each estimate × (0.8–1.2)."""
    from opengrex.engine import grex as grex_engine
    from opengrex.model.bbv import stack_grexes

    rng = np.random.default_rng(seed)
    st = stack_grexes(lp.grexes, basis=year)
    o = grex_engine.calculate(st.arrays)
    pos = year - int(st.years[0])
    est = np.abs(o.line_flows[..., pos]) * ~st.arrays.realised_mask[..., pos]
    p, ln = np.nonzero(est > 0)
    pick = rng.integers(0, p.size, rows)
    amount = est[p[pick], ln[pick]] * rng.uniform(0.8, 1.2, rows) / np.bincount(pick, minlength=p.size)[pick]
    numbers = np.array([e.projectnummer for e in lp.portefeuille.grexen])
    days = rng.integers(0, 365, rows)
    return pd.DataFrame({"datum": (np.datetime64(f"{year}-01-01") + days).astype(str), "project": numbers[p[pick]],
                         "kostensoort": st.codes[p[pick], ln[pick]], "bedrag": np.round(amount, 2)})


def run() -> list[dict]:
    from opengrex.services.bbv import portfolio_risk, roll_grex, roll_portfolio

    rows: list[dict] = []
    lp = make_portfolio()
    ledger = make_ledger(lp, 2024, N_ROWS)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "grootboek-2024.csv"
        ledger.to_csv(path, index=False)
        roll_portfolio(make_portfolio(20), None, 2024)  # warm-up (imports)
        t0, c0 = time.perf_counter(), _cpu()
        jo = roll_portfolio(lp, path, 2024, nieuwe_indices={"kosten": 0.04})
        wall, cpu = time.perf_counter() - t0, _cpu() - c0
        t0 = time.perf_counter()
        docs = jo.documents()
        t_docs = time.perf_counter() - t0
        total = jo.totals()["ncw"]
        gap = abs(sum(total[c] for c in ("realisatie", "herraming", "timing", "indexatie", "rente")) - total["verschil"])
        rows += [
            {"meting": "jaarovergang + waardering, 1.000 grexen, 100.000 boekingen (gevectoriseerd)", "waarde": wall, "eenheid": "s", "toelichting": f"CPU {cpu:.2f} s; doel < 2 s"},
            {"meting": "  waarvan: ook verschilanalyse (32 combinaties) en waardering voor én na", "waarde": float(len(jo.rolled)), "eenheid": "grexen", "toelichting": f"som oorzaken − totaal: {gap:.2e} EUR"},
            {"meting": "nieuwe grexdocumenten maken (apart)", "waarde": t_docs, "eenheid": "s", "toelichting": f"{len(docs)} documenten"},
        ]
        # per-grex loop reference on a sample, each grex with its own ledger file
        sample = list(range(0, N_GREX, N_GREX // LOOP_SAMPLE))[:LOOP_SAMPLE]
        files = []
        for i in sample:
            sub = ledger[ledger.project == lp.portefeuille.grexen[i].projectnummer].assign(project=lp.grexes[i].name)
            f = Path(tmp) / f"gb-{i}.csv"
            sub.to_csv(f, index=False)
            files.append(f)
        t0 = time.perf_counter()
        loop_ncw = [float(roll_grex(lp.grexes[i], f, 2024, nieuwe_indices={"kosten": 0.04}).na.figures["ncw"][0]) for i, f in zip(sample, files)]
        per = (time.perf_counter() - t0) / len(sample)
        same = np.allclose(loop_ncw, jo.na.figures["ncw"][sample], rtol=1e-9, atol=1e-6)
        rows += [
            {"meting": "per-grex lus (geëxtrapoleerd naar 1.000 grexen)", "waarde": per * N_GREX, "eenheid": "s", "toelichting": f"{per * 1e3:.1f} ms per grex, gemeten op {len(sample)}; zelfde NCW: {same}"},
            {"meting": "versnelling gevectoriseerd t.o.v. lus", "waarde": per * N_GREX / wall, "eenheid": "×", "toelichting": ""},
        ]
    # portfolio risk, local vs dask
    risk_lp = jo.portefeuille()
    risk_lp = make_risk(risk_lp)
    t0, c0 = time.perf_counter(), _cpu()
    local = portfolio_risk(risk_lp, N_DRAWS, seed=2013, chunk=16)
    wall_l, cpu_l = time.perf_counter() - t0, _cpu() - c0
    rows.append({"meting": f"portefeuillerisico {len(local.names)} grexen × {N_DRAWS} trekkingen, lokaal", "waarde": wall_l, "eenheid": "s", "toelichting": f"CPU {cpu_l:.1f} s, blokken van 16 trekkingen"})
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        rows.append({"meting": "dask", "waarde": 0.0, "eenheid": "", "toelichting": "niet geïnstalleerd (pip install 'opengrex[dask]')"})
        return rows
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
        portfolio_risk(risk_lp, 32, seed=1, chunk=16, client=client)  # warm-up: workers import opengrex
        t0 = time.perf_counter()
        remote = portfolio_risk(risk_lp, N_DRAWS, seed=2013, chunk=16, client=client)
        wall_d = time.perf_counter() - t0
    rows.append({"meting": "portefeuillerisico, dask LocalCluster (2 workers)", "waarde": wall_d, "eenheid": "s",
                 "toelichting": f"zelfde cijfers als lokaal: {bool(np.array_equal(local.ncw, remote.ncw))}; lokaal/dask {wall_l / wall_d:.2f}×"})
    return rows


def make_risk(lp):
    """Attach the risk registers of :func:`make_portfolio` (risks=True) to the rolled portfolio."""
    from opengrex.services.bbv import LoadedPortfolio

    risky = make_portfolio(len(lp.grexes), risks=True)
    items = [e.model_copy(update={"risico": r.risico}) for e, r in zip(lp.portefeuille.grexen, risky.portefeuille.grexen)]
    pf = lp.portefeuille.model_copy(update={"grexen": items, "onzekerheden": risky.portefeuille.onzekerheden})
    return LoadedPortfolio(pf, lp.grexes, lp.map)


if __name__ == "__main__":  # pragma: no cover
    for r in run():
        print(r)
