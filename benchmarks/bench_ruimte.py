"""WBS screening of generated parcels against the demo layers (De Brede Waard), local engine and dask engine.

Measures (printed, never asserted):

(a) local engine, in memory: 10k → 100k → 1M parcels (best of 1; times and ratios) [s];
(b) local engine from a GeoPackage of 1M parcels (read + check + screen) [s];
(c) dask engine, 2 workers (LocalCluster, one thread each), 1M parcels read per partition from the same GeoPackage
    with dask-geopandas (cluster start included) [s]; same verdicts as (b) checked;
(d) peak RSS of this process and of the largest dask worker (ru_maxrss of reaped children) [MiB], and the load
    average (the machine is shared: times grow with other users' load).

Target (issue 13): 1,000,000 parcels under 60 s on this 2-core machine for both engines; memory under 8 GiB.
"""
from __future__ import annotations

import os
import resource
import tempfile
import time
from pathlib import Path

import numpy as np

N_SCALING = (10_000, 100_000, 1_000_000)
N_BIG = 1_000_000


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run() -> list[dict]:
    import geopandas as gpd

    from opengrex.io.ruimte_demo import generate_parcels
    from opengrex.services import ruimte as svc

    root = Path(__file__).resolve().parents[1]
    rows: list[dict] = []
    t = time.perf_counter()
    prepared = svc.prepare_rules(svc.load_regelset("2022-11-25"), root / "examples" / "ruimte" / "lagen")
    rows.append({"meting": "regelset + demolagen voorbereiden", "waarde": time.perf_counter() - t, "eenheid": "s",
                 "toelichting": f"{len(prepared.core.zones)} zones, {sum(len(z) for z in prepared.core.zones)} stukken"})
    times = {}
    for n in N_SCALING:
        gdf = gpd.GeoDataFrame({"id": np.arange(n)}, geometry=generate_parcels(n), crs="EPSG:28992")
        t = time.perf_counter()
        res = svc.screen(gdf, prepared=prepared, keep_geometry=False)
        times[n] = time.perf_counter() - t
        rows.append({"meting": "lokaal, in geheugen, " + f"{n:,}".replace(",", ".") + " percelen", "waarde": times[n], "eenheid": "s",
                     "toelichting": f"{n / times[n]:,.0f} percelen/s; strijdig ergens: {int((res.verdict == 2).any(axis=1).sum()):,}".replace(",", ".")})
        del gdf, res
    rows.append({"meting": "schaal 10k → 100k", "waarde": times[100_000] / times[10_000], "eenheid": "×", "toelichting": "10× zoveel percelen"})
    rows.append({"meting": "schaal 100k → 1M", "waarde": times[1_000_000] / times[100_000], "eenheid": "×", "toelichting": "10× zoveel percelen"})

    with tempfile.TemporaryDirectory(prefix="opengrex-bench-") as d:
        path = Path(d) / "percelen.gpkg"
        gdf = gpd.GeoDataFrame({"id": np.arange(N_BIG)}, geometry=generate_parcels(N_BIG), crs="EPSG:28992")
        t = time.perf_counter()
        gdf.to_file(path, driver="GPKG", engine="pyogrio")
        rows.append({"meting": "1M percelen naar GeoPackage schrijven (voorbereiding)", "waarde": time.perf_counter() - t, "eenheid": "s"})
        del gdf
        t = time.perf_counter()
        local = svc.screen(path, prepared=prepared, keep_geometry=False)
        t_local = time.perf_counter() - t
        rows.append({"meting": "lokaal, 1M percelen uit GeoPackage (lezen + controleren + toetsen)", "waarde": t_local, "eenheid": "s", "toelichting": "doel < 60 s"})
        rows.append({"meting": "piek-RSS hoofdproces na lokale run", "waarde": _rss_mib(), "eenheid": "MiB", "toelichting": "doel < 8 GiB"})
        t = time.perf_counter()
        dres = svc.screen(path, prepared=prepared, engine="dask", keep_geometry=False)
        t_dask = time.perf_counter() - t
        same = bool((dres.verdict == local.verdict).all() and np.allclose(dres.overlap, local.overlap, equal_nan=True, atol=1e-6))
        rows.append({"meting": "dask, 2 workers, 1M percelen uit GeoPackage (incl. clusterstart)", "waarde": t_dask, "eenheid": "s",
                     "toelichting": f"doel < 60 s; zelfde oordelen als lokaal: {'ja' if same else 'NEE'}"})
        rows.append({"meting": "piek-RSS grootste dask-worker (VmHWM)", "waarde": _worker_peak(path, prepared), "eenheid": "MiB",
                     "toelichting": "tweede dask-run op een eigen LocalCluster; doel < 8 GiB"})
        rows.append({"meting": "belasting van de machine (load average 1 min)", "waarde": os.getloadavg()[0], "eenheid": "", "toelichting": f"{os.cpu_count()} cores, gedeeld"})
    return rows


def _vmhwm_mib() -> float:
    """Peak resident set of this process from /proc (per process, also right after a fork)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    return float("nan")


def _worker_peak(path: Path, prepared) -> float:
    import logging

    from dask.distributed import Client, LocalCluster

    from opengrex.services import ruimte as svc

    logging.getLogger("distributed").setLevel(logging.CRITICAL)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", scheduler_kwargs={"dashboard": False},
                      dashboard_address="127.0.0.1:0", silence_logs=logging.CRITICAL) as cluster:
        svc.screen(path, prepared=prepared, engine="dask", scheduler=cluster.scheduler_address, keep_geometry=False)
        with Client(cluster) as client:
            return max(client.run(_vmhwm_mib).values())


if __name__ == "__main__":  # pragma: no cover
    for row in run():
        print(row)
