"""Benchmark: 10,000 kostenverhaal cases in one vectorised engine call vs a per-case pure-Python loop.

The pure-Python loop (:func:`opengrex.reference.kostenverhaal.reference_case`) implements the same rules with floats
and ``min``/``max`` — it is also the cross-check: both must give the same exploitatiebijdrage per case (to €0,01);
``tests/kostenverhaal/test_reference.py`` compares the two on random cases in ``make test``.
Run with ``make bench`` or ``python -m benchmarks kostenverhaal``.
"""
from __future__ import annotations

import time

import numpy as np

from opengrex.engine import kostenverhaal as kv
from opengrex.reference.kostenverhaal import reference_case

N_CASES = 10_000
N_KAVELS = 3


def make_cases(n: int = N_CASES, k: int = N_KAVELS, seed: int = 20231) -> kv.CaseArrays:
    """Random but plausible cases: 80% met tijdvak, 20% zonder tijdvak with ``k`` kavels [EUR]."""
    rng = np.random.default_rng(seed)
    u = lambda lo, hi, shape=(n,): rng.uniform(lo, hi, shape)  # noqa: E731
    zonder = rng.random(n) < 0.2
    shares = rng.random((n, k)) + 0.05
    shares /= shares.sum(axis=1, keepdims=True)
    voor = u(50e3, 400e3, (n, k))
    return kv.CaseArrays(
        kosten_ini=u(0.5e6, 3e6), opbrengsten_ini=u(1e6, 4e6), subsidies_ini=u(0, 2e5),
        kosten_gem=u(1e5, 1.5e6), opbrengsten_gem=np.zeros(n), subsidies_gem=u(0, 1e5),
        bovenwijks=u(0, 5e5), fb_fysiek=u(0, 2e5), fb_woningvoorraad=u(-2e5, 4e5), zonder=zonder,
        kostenplafond=np.where(zonder, u(1e5, 1e6), np.inf), kavel_aandeel=shares,
        kavel_waarde_voor=voor, kavel_waarde_na=voor + u(-5e4, 4e5, (n, k)),
    )


def _as_dicts(a: kv.CaseArrays) -> list[dict]:
    fields = list(a.__dataclass_fields__)
    cols = {f: getattr(a, f).tolist() for f in fields}
    return [{f: cols[f][i] for f in fields} for i in range(len(cols["kosten_ini"]))]


def _best(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def run() -> list[dict]:
    cases = make_cases()
    t_vec = _best(lambda: kv.calculate(cases))
    dicts = _as_dicts(cases)
    t_loop = _best(lambda: [reference_case(c) for c in dicts])
    fields = list(cases.__dataclass_fields__)
    singles = [kv.CaseArrays(**{f: getattr(cases, f)[i : i + 1] for f in fields}) for i in range(N_CASES)]
    t_engine_loop = _best(lambda: [kv.calculate(c) for c in singles], repeat=1)
    got = kv.calculate(cases).exploitatiebijdrage
    ref = np.array([reference_case(c) for c in dicts])
    diff = float(np.max(np.abs(got - ref)))
    if diff > 0.01:
        raise AssertionError(f"engine en pure-Python lus verschillen {diff:.4f} EUR")
    rows = [
        {"meting": f"{N_CASES:_} gevallen, gevectoriseerd (1 aanroep)".replace("_", "."), "waarde": t_vec, "eenheid": "s", "toelichting": "opengrex.engine.kostenverhaal.calculate; beste van 3"},
        {"meting": f"{N_CASES:_} gevallen, pure-Python lus per geval".replace("_", "."), "waarde": t_loop, "eenheid": "s", "toelichting": "reference_case: zelfde regels met floats; beste van 3"},
        {"meting": "versnelling (lus / gevectoriseerd)", "waarde": t_loop / t_vec, "eenheid": "×", "toelichting": "zonder tijdvak 20% van de gevallen, 3 kavels"},
        {"meting": f"{N_CASES:_} gevallen, lus met de engine per geval (N=1)".replace("_", "."), "waarde": t_engine_loop, "eenheid": "s", "toelichting": "zelfde numpy-code, één geval per aanroep"},
        {"meting": "versnelling (engine-lus / gevectoriseerd)", "waarde": t_engine_loop / t_vec, "eenheid": "×", "toelichting": ""},
        {"meting": "max. verschil exploitatiebijdrage", "waarde": diff, "eenheid": "EUR", "toelichting": "engine vs. lus (moet ≤ 0,01)"},
        {"meting": "onder 1 seconde", "waarde": "ja" if t_vec < 1.0 else "NEE", "eenheid": "", "toelichting": "eis uit issue 4"},
    ]
    return rows


if __name__ == "__main__":  # pragma: no cover
    for r in run():
        print(r)
