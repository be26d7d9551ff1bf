"""Helpers for tests and benchmarks: random but valid grondexploitaties, and a real server on loopback.

>>> import numpy as np
>>> from opengrex.testing import random_grex
>>> g = random_grex(np.random.default_rng(1), n_lines=50, n_years=20)

The generator varies everything the rules branch on (spec ``grondexploitatie.md``): timing ``end``/``mid``/``start``,
rente as one rate or per year (differing from the disconteringsvoet), ``ncw_datum`` on any day, an opening book
value, realised amounts (per line, and via ``realised_through``), a prijspeil year before or after the start year,
index series given as one rate or per year, phasing as shares or as amounts. Numbers are rounded as people type
them (cents, 4-decimal shares and rates), so they survive a trip through a spreadsheet exactly.
"""
from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from opengrex.codes import kostensoorten
from opengrex.model.grex import OPBRENGSTSOORTEN, Grex


def _rate_series(rng: np.random.Generator, years: list[int], low: float, high: float) -> float | dict[int, float]:
    if rng.random() < 0.4:
        return round(float(rng.uniform(low, high)), 4)
    k = int(rng.integers(1, min(5, len(years)) + 1))
    picks = sorted(rng.choice(years, size=k, replace=False).tolist())
    return {int(y): round(float(rng.uniform(low, high)), 4) for y in picks}


def random_grex(
    rng: np.random.Generator,
    n_lines: int = 12,
    n_years: int = 10,
    *,
    timing: str | None = None,
    realised: bool | None = None,
) -> Grex:
    """A random, valid :class:`~opengrex.model.grex.Grex` with ``n_lines`` lines over ``n_years`` years.

    About a third of the lines are revenues. ``timing`` and ``realised`` (whether past years carry realised
    amounts) are drawn at random unless given. Deterministic for a seeded ``rng``.
    """
    if n_lines < 1 or n_years < 1:
        raise ValueError("n_lines and n_years must be >= 1")
    start = int(rng.integers(2018, 2030))
    end = start + n_years - 1
    years = list(range(start, end + 1))
    shift = int(rng.choice([-3, -1, 0, 0, 0, 1, 2]))
    p_year = min(max(start + shift, start - 5), end)
    prijspeil = dt.date(p_year, 1, 1) if rng.random() < 0.7 else dt.date(p_year, int(rng.integers(1, 13)), 1)
    timing = timing or str(rng.choice(["end", "mid", "start"]))
    ix_years = list(range(min(p_year, start), end + 1))
    n_series = int(rng.integers(1, 5))
    indices: dict[str, float | dict[int, float]] = {"geen": 0.0}
    for s in range(n_series):
        indices[f"reeks_{s + 1}"] = _rate_series(rng, ix_years, -0.01, 0.06)
    names = list(indices)
    rente = _rate_series(rng, years, 0.0, 0.05)
    d = round(float(rng.uniform(0.0, 0.05)), 4)
    ncw_year = int(rng.integers(min(p_year, start), end + 1))
    ncw_datum = dt.date(ncw_year, 1, 1) + dt.timedelta(days=int(rng.integers(0, 365)))
    if ncw_datum.year > end:
        ncw_datum = dt.date(end, 12, 31)
    opening = 0.0 if rng.random() < 0.4 else round(float(rng.normal(0, 2e6)), 2)
    realised = bool(rng.random() < 0.6) if realised is None else realised
    realised_through = None
    if realised and n_years > 1 and rng.random() < 0.5:
        realised_through = start + int(rng.integers(0, min(3, n_years - 1)))
    codes = [k.code for k in kostensoorten("omgevingswet") if not k.alleen_met_tijdvak]
    soorten = list(OPBRENGSTSOORTEN)
    n_rev = max(1, n_lines // 3) if n_lines > 1 else 0
    kosten, opbrengsten = [], []
    for i in range(n_lines):
        revenue = i >= n_lines - n_rev
        amount = round(float(rng.lognormal(13.5, 1.0)), 2)
        k = int(rng.integers(1, min(6, n_years) + 1))
        pyears = sorted(rng.choice(years, size=k, replace=False).tolist())
        w = rng.random(k) + 0.05
        w = w / w.sum()
        if rng.random() < 0.3:  # phasing as amounts per year, summing to the amount
            vals = [round(float(x) * amount, 2) for x in w[:-1]]
            vals.append(round(amount - sum(vals), 2))
            amount = round(sum(vals), 2)
        else:  # shares with 4 decimals, as people type them; the last one closes the sum to 1
            vals = [round(float(x), 4) for x in w[:-1]]
            vals.append(round(1.0 - sum(vals), 4))  # > 0: every weight >= 0.05 / 2k
        phasing = {int(y): v for y, v in zip(pyears, vals)}
        line_realised: dict[int, float] = {}
        if realised and rng.random() < 0.5:
            for y in years[: min(3, n_years)]:
                if rng.random() < 0.6:
                    line_realised[int(y)] = round(float(rng.uniform(0, amount * 0.5)), 2)
        line = {
            "name": f"{'Opbrengst' if revenue else 'Kosten'} {i + 1}",
            "amount": amount,
            "index": str(rng.choice(names)),
            "phasing": phasing,
            "realised": line_realised,
        }
        if revenue:
            opbrengsten.append({**line, "opbrengstsoort": str(rng.choice(soorten))})
        else:
            kosten.append({**line, "kostensoort": str(rng.choice(codes))})
    grex = Grex.model_validate(
        {
            "name": f"Willekeurige grex {start}-{end}",
            "prijspeil": prijspeil,
            "start_year": start,
            "end_year": end,
            "timing": timing,
            "rente": rente,
            "disconteringsvoet": d,
            "ncw_datum": ncw_datum,
            "opening_book_value": opening,
            "realised_through": realised_through,
            "indices": indices,
            "kosten": kosten,
            "opbrengsten": opbrengsten,
        }
    )
    return grex.validated()


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: Path, port: int, *, demo: bool = True, timeout: float = 60.0, capture: bool = True) -> subprocess.Popen:
    """Start ``opengrex serve`` on 127.0.0.1:``port`` with a fresh SQLite database in ``data_dir`` (no accounts)
    and wait until ``/api/health`` answers. Raises ``RuntimeError`` with the server's output if it does not start."""
    import httpx

    exe = Path(sys.executable).with_name("opengrex")
    env = {**os.environ, "OPENGREX_DATA_DIR": str(data_dir), "OPENGREX_AUTH": "0"}
    env.pop("OPENGREX_DATABASE_URL", None)
    cmd = [str(exe), "serve", "--port", str(port), "--demo" if demo else "--no-demo"]
    out = subprocess.PIPE if capture else subprocess.DEVNULL
    proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"server stopte: {proc.stdout.read() if proc.stdout else proc.returncode}")
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"server startte niet binnen {timeout:g} s")
