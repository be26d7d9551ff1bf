"""Shared fixtures of the engine tests: a random (but valid and realistic) grex generator.

Tests that take ``make_grex`` run twice: with ``opengrex.testing.random_grex`` (the shared generator) and with the
small local generator below, written independently, so neither generator's blind spots go unnoticed.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from opengrex.model.grex import OPBRENGSTSOORTEN, Grex
from opengrex.services.grex import grex_from_dict

COST_CODES = [f"A{i}" for i in range(1, 15)]


def local_random_grex(rng: np.random.Generator, n_lines: int = 8, n_years: int = 10, timing: str | None = None) -> Grex:
    """A random valid grex: shares or absolute phasing, 1–3 index series (flat or per year), per-year rente,
    prijspeil before/at/after the start year, any ncw_datum (leap years too), opening book value, realised
    amounts and sometimes ``realised_through``."""
    start = int(rng.integers(2018, 2030))
    end = start + n_years - 1
    years = list(range(start, end + 1))
    p_year = int(rng.choice([start - 2, start, min(start + 1, end)]))
    ncw = dt.date(int(rng.integers(start - 1, min(start + 1, end) + 1)), 1, 1) + dt.timedelta(days=int(rng.integers(0, 365)))

    def rate_series(lo: float, hi: float):
        if rng.random() < 0.4:
            return float(rng.uniform(lo, hi))
        ys = sorted(rng.choice(np.arange(start - 1, end + 3), size=int(rng.integers(1, 5)), replace=False).tolist())
        return {int(y): float(rng.uniform(lo, hi)) for y in ys}

    indices = {f"reeks{i}": rate_series(-0.01, 0.05) for i in range(int(rng.integers(1, 4)))}
    names = list(indices)
    realised_through = int(start + rng.integers(0, 2)) if (rng.random() < 0.2 and n_years > 2) else None

    def line(kind: int) -> dict:
        amount = float(rng.lognormal(13, 1.2))
        k = int(rng.integers(1, min(4, n_years) + 1))
        first = int(rng.integers(0, n_years - k + 1))
        w = rng.dirichlet(np.ones(k))
        phase_years = years[first : first + k]
        if rng.random() < 0.3:  # absolute amounts per year summing to the amount
            phasing = {y: float(v * amount) for y, v in zip(phase_years, w)}
            phasing[phase_years[-1]] = amount - sum(phasing[y] for y in phase_years[:-1])
        else:
            phasing = {y: float(v) for y, v in zip(phase_years, w)}
            phasing[phase_years[-1]] = 1.0 - sum(phasing[y] for y in phase_years[:-1])
        realised = {}
        if rng.random() < 0.25:
            y = years[int(rng.integers(0, min(3, n_years)))]
            realised[y] = float(rng.uniform(0, amount))
        d = {"name": f"post {kind}", "amount": amount, "index": str(rng.choice(names)), "phasing": phasing, "realised": realised}
        return d

    kosten = []
    opbrengsten = []
    for i in range(n_lines):
        ln = line(i)
        if rng.random() < 0.6:
            ln["kostensoort"] = str(rng.choice(COST_CODES))
            kosten.append(ln)
        else:
            ln["opbrengstsoort"] = str(rng.choice(list(OPBRENGSTSOORTEN)))
            opbrengsten.append(ln)
    data = {
        "name": "willekeurig",
        "prijspeil": dt.date(p_year, 1, 1).isoformat(),
        "start_year": start,
        "end_year": end,
        "timing": timing or str(rng.choice(["end", "mid", "start"])),
        "rente": rate_series(0.0, 0.05),
        "disconteringsvoet": float(rng.uniform(0.0, 0.05)),
        "ncw_datum": ncw.isoformat(),
        "opening_book_value": float(rng.normal(0, 2e6)) if rng.random() < 0.5 else 0.0,
        "realised_through": realised_through,
        "indices": indices,
        "kosten": kosten,
        "opbrengsten": opbrengsten,
    }
    return grex_from_dict(data, "willekeurig.yaml")


def _shared_generator():
    try:
        from opengrex.testing import random_grex  # the project's shared generator
    except ImportError:  # not there yet: fall back to the local one (never skip)
        return local_random_grex
    return random_grex


@pytest.fixture(params=["opengrex.testing", "local"])
def make_grex(request):
    """``make_grex(rng, n_lines, n_years, timing=None) -> Grex``, from the shared and from the local generator."""
    gen = _shared_generator() if request.param == "opengrex.testing" else local_random_grex

    def make(rng, n_lines=8, n_years=10, timing=None):
        if gen is local_random_grex:
            return gen(rng, n_lines, n_years, timing)
        return gen(rng, n_lines, n_years, timing=timing)

    return make
