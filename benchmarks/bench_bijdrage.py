"""Financiële bijdrage fysieke leefomgeving (§4.1, six steps) over 50 areas × 5,000 plans.

Measures (printed, never asserted):

(a) :func:`opengrex.engine.bijdrage.calculate` — all six steps and every plan's contribution, vectorised (best of 5)
    [s];
(b) :func:`opengrex.reference.bijdrage.bereken_per_plan_loop` — the same in plain Python, one loop per investment, per
    plan and per area it lies in (best of 2) [s], and the ratio (b)/(a); both results are compared;
(c) a Monte Carlo batch: 1,000 draws of the WOZ values (leading batch axis) in one vectorised call [s].

Target (issue 4): (a) well under 1 s.
"""
from __future__ import annotations

import time
from dataclasses import replace

import numpy as np

from opengrex.engine.bijdrage import BijdrageArrays, calculate
from opengrex.reference.bijdrage import bereken_per_plan_loop

N_AREAS, N_PLANS, N_INV, N_DRAWS = 50, 5000, 400, 1000


def make_case(rng: np.random.Generator, n_areas: int = N_AREAS, n_plans: int = N_PLANS, n_inv: int = N_INV) -> BijdrageArrays:
    """A gemeente with 49 sub-areas in three levels (gemeente > 7 kernen > 42 wijken), 400 investments and 5,000
    plans spread over the areas (sizes 1–200 homes; hardness hard/zacht/nader te bepalen 50/35/15%)."""
    parent = np.full(n_areas, -1)
    n_kern = 7
    parent[1 : 1 + n_kern] = 0
    parent[1 + n_kern :] = rng.integers(1, 1 + n_kern, size=n_areas - 1 - n_kern)
    existing = rng.integers(500, 5000, size=n_areas).astype(float)
    # totals include sub-areas: accumulate leaves upward (two levels)
    for a in range(n_areas - 1, 0, -1):
        existing[parent[a]] += existing[a]
    bruto = rng.lognormal(14.0, 1.0, size=n_inv)
    return BijdrageArrays(
        parent=parent,
        bestaand=existing,
        inv_gebied=rng.integers(0, n_areas, size=n_inv),
        inv_categorie=rng.choice(3, size=n_inv, p=[0.6, 0.3, 0.1]),
        bruto=bruto,
        subsidies=bruto * rng.uniform(0, 0.3, size=n_inv),
        externe_bijdragen=bruto * rng.uniform(0, 0.1, size=n_inv),
        onderhoudsbudget=bruto * rng.uniform(0, 0.1, size=n_inv),
        gebruikersopbrengsten=bruto * rng.uniform(0, 0.05, size=n_inv),
        inv_gewicht=np.array([1.0, 0.5, 0.0]),
        woningen=rng.integers(0, 70, size=(n_plans, 3)).astype(float),
        plan_gebied=rng.integers(0, n_areas, size=n_plans),
        plan_hardheid=rng.choice(3, size=n_plans, p=[0.5, 0.35, 0.15]),
        plan_gewicht=np.array([1.0, 0.5, 0.0]),
        woz=np.array([260_000.0, 390_000.0, 620_000.0]),
        btw=np.float64(0.21),
        grondquote=np.array([0.13, 0.25, 0.38]),
    )


def _best(fn, repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def run() -> list[dict]:
    rng = np.random.default_rng(20240701)
    x = make_case(rng)
    t_vec, o = _best(lambda: calculate(x), 5)
    t_loop, loop = _best(lambda: bereken_per_plan_loop(x), 2)
    max_diff = float(np.max(np.abs(np.asarray(loop) - o.plan_bijdrage)))
    woz = x.woz * rng.lognormal(0.0, 0.05, size=(N_DRAWS, 3))
    xb = replace(x, woz=woz, btw=np.full(N_DRAWS, 0.21), grondquote=np.broadcast_to(x.grondquote, (N_DRAWS, 3)))
    t_mc, ob = _best(lambda: calculate(xb), 2)
    recovered = float((o.tarief * o.nieuw_per_segment).sum() - o.bedrag_nieuw.sum())
    return [
        {"meting": f"6 stappen, vectorised ({N_AREAS} gebieden × {N_PLANS} plannen, {N_INV} investeringen)", "waarde": t_vec, "eenheid": "s", "toelichting": "opengrex.engine.bijdrage.calculate, beste van 5"},
        {"meting": "zelfde, pure-Python lus per plan", "waarde": t_loop, "eenheid": "s", "toelichting": "bereken_per_plan_loop, beste van 2"},
        {"meting": "verhouding lus / vectorised", "waarde": t_loop / t_vec, "eenheid": "×"},
        {"meting": "grootste verschil bijdrage per plan (lus vs vectorised)", "waarde": max_diff, "eenheid": "EUR"},
        {"meting": "Σ tarief × nieuwe woningen − bedrag nieuwe plannen (alle gebieden)", "waarde": recovered, "eenheid": "EUR", "toelichting": "moet ≈ 0 zijn"},
        {"meting": f"Monte Carlo: {N_DRAWS} trekkingen WOZ in één aanroep", "waarde": t_mc, "eenheid": "s", "toelichting": f"tarief-array {ob.tarief.shape}"},
        {"meting": "doel: vectorised < 1 s", "waarde": "ja" if t_vec < 1.0 else "NEE", "eenheid": ""},
    ]


if __name__ == "__main__":  # pragma: no cover
    for row in run():
        print(row)
