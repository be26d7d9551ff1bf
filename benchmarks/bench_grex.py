"""Grondexploitatie engine speed: a portfolio of 1,000 grexes x 200 lines x 30 years in one vectorised call.

Measures (printed, never asserted):

(a) :func:`opengrex.engine.grex.calculate` on the whole stacked batch (best of 3) [s, grexes/s];
(b) the pure-Python reference :func:`opengrex.reference.grex.reference_grex` on a sample of grexes, extrapolated
    to the portfolio, and the ratio (b)/(a); the sample's results are checked against the engine;
(c) LibreOffice recalculating one exported 200-line workbook (``opengrex.io.xlsx_export`` +
    ``opengrex.io.libreoffice.recalculate``) versus the engine on that one grex; its NCW is read back and compared.

Targets (issue 3): (a) < 1 s and >= 50x faster than (b); engine >= 100x faster than (c).
"""
from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

from opengrex.engine.grex import GrexArrays, calculate

N_GREX, N_LINES, N_YEARS, N_SERIES = 1000, 200, 30, 3
START_YEAR = 2025
SAMPLE = 5
COST_CODES = ["A1", "A2", "A3", "A5", "A6", "A8", "A10", "A11", "A14"]
SERIES_NAMES = ["kostenstijging", "opbrengsten_woningbouw", "opbrengsten_sociaal"]


def make_portfolio(rng: np.random.Generator, n_grex: int = N_GREX, n_lines: int = N_LINES, n_years: int = N_YEARS) -> GrexArrays:
    """A random but realistic portfolio stacked on a leading project axis ``P``.

    Per grex: ~70% cost lines (acquisition and civil works early, phased over 1–4 years), ~30% revenue lines (land
    sales later, 1–4 years), revenues about 5% above costs at prijspeil; 3 index series (kostenstijging 2–4%,
    opbrengsten 0.5–2% and 0–1.5% per year, varying by year); rente per year 1.5–3.5%; disconteringsvoet 2% (BBV);
    an opening book value for a third of the grexes.
    """
    P, L, Y = n_grex, n_lines, n_years
    revenue = rng.random((P, L)) < 0.3
    sign = np.where(revenue, 1.0, -1.0)
    amount = rng.lognormal(12.5, 1.0, size=(P, L))
    cost_total = np.where(revenue, 0.0, amount).sum(axis=1)
    rev_total = np.where(revenue, amount, 0.0).sum(axis=1)
    amount = np.where(revenue, amount * (1.05 * cost_total / rev_total)[:, None], amount)
    # phasing: k consecutive years (1..4); costs start in the first 60% of the grid, revenues after year 3
    k = rng.integers(1, 5, size=(P, L))
    first_cost = rng.integers(0, int(0.6 * Y), size=(P, L))
    first_rev = rng.integers(3, Y - 3, size=(P, L))
    first = np.minimum(np.where(revenue, first_rev, first_cost), Y - k)
    w = rng.random((P, L, 4)) + 0.1
    w = np.where(np.arange(4) < k[..., None], w, 0.0)
    w /= w.sum(axis=-1, keepdims=True)
    share = np.zeros((P, L, Y))
    year = np.arange(Y)
    for j in range(4):  # weight j lands in year first + j (weights beyond k are 0)
        share += np.where(year == (first + j)[..., None], w[..., j : j + 1], 0.0)
    series = np.where(revenue, rng.integers(1, N_SERIES, size=(P, L)), 0)
    lo = np.array([0.02, 0.005, 0.0])[None, :, None]
    hi = np.array([0.04, 0.02, 0.015])[None, :, None]
    rate = lo + (hi - lo) * rng.random((P, N_SERIES, Y))
    rente = rng.uniform(0.015, 0.035, size=(P, Y))
    opening = np.where(rng.random(P) < 1 / 3, -rng.lognormal(14, 1, size=P), 0.0)
    return GrexArrays(
        years=np.arange(START_YEAR, START_YEAR + Y),
        amount=amount,
        share=share,
        sign=sign,
        series=series,
        rate=rate,
        index_base=0,
        index_offset=0,
        rente=rente,
        realised=np.zeros((P, L, Y)),
        realised_mask=np.zeros((P, L, Y), dtype=bool),
        opening=opening,
        disconteringsvoet=np.full(P, 0.02),
        ncw_year=START_YEAR,
        ncw_fraction=0.0,
        timing="end",
    )


def grex_from_portfolio(a: GrexArrays, p: int):
    """Grex ``p`` of the portfolio as a validated :class:`~opengrex.model.grex.Grex` (for the reference and the
    Excel export); same numbers, lines regrouped into kosten and opbrengsten."""
    from opengrex.model.grex import Grex

    years = [int(y) for y in a.years]
    kosten, opbrengsten = [], []
    for i in range(a.amount.shape[-1]):
        share = a.share[p, i]
        line = {
            "name": f"post {i + 1}",
            "amount": float(a.amount[p, i]),
            "index": SERIES_NAMES[int(a.series[p, i])],
            "phasing": {years[j]: float(share[j]) for j in np.flatnonzero(share)},
        }
        if a.sign[p, i] > 0:
            opbrengsten.append({**line, "opbrengstsoort": "gronduitgifte_woningbouw"})
        else:
            kosten.append({**line, "kostensoort": COST_CODES[i % len(COST_CODES)]})
    data = {
        "name": f"portefeuille grex {p}",
        "prijspeil": dt.date(years[0], 1, 1),
        "start_year": years[0],
        "end_year": years[-1],
        "timing": a.timing,
        "rente": {y: float(r) for y, r in zip(years, a.rente[p])},
        "disconteringsvoet": float(a.disconteringsvoet[p]),
        "ncw_datum": dt.date(years[0], 1, 1),
        "opening_book_value": float(a.opening[p]),
        "indices": {n: {y: float(r) for y, r in zip(years, a.rate[p, s])} for s, n in enumerate(SERIES_NAMES)},
        "kosten": kosten,
        "opbrengsten": opbrengsten,
    }
    return Grex.model_validate(data).validated()


def _best_of(fn, n: int = 3) -> float:
    best = float("inf")
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _row(meting, waarde, eenheid="", toelichting=""):
    return {"meting": meting, "waarde": waarde, "eenheid": eenheid, "toelichting": toelichting}


def run() -> list[dict]:
    from opengrex.reference.grex import reference_grex

    rng = np.random.default_rng(2025)
    t0 = time.perf_counter()
    a = make_portfolio(rng)
    t_make = time.perf_counter() - t0
    input_bytes = sum(v.nbytes for v in vars(a).values() if isinstance(v, np.ndarray))
    rows = [
        _row("Portefeuille", f"{N_GREX} x {N_LINES} x {N_YEARS}", "grexen x posten x jaren", f"gegenereerd in {t_make:.2f} s".replace(".", ",")),
        _row("Invoerarrays (GrexArrays)", input_bytes / 2**20, "MiB", "som van array.nbytes"),
    ]

    # (a) vectorised engine, whole batch
    out = calculate(a)  # warm-up
    t_engine = _best_of(lambda: calculate(a), 3)
    tracemalloc.start()
    out = calculate(a)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows += [
        _row("(a) engine, hele portefeuille (beste van 3)", t_engine, "s", "doel < 1 s"),
        _row("(a) doorvoer", N_GREX / t_engine, "grexen/s"),
        _row("(a) piekgeheugen van één berekening", peak / 2**20, "MiB", "tracemalloc, bovenop de invoer"),
    ]

    # (b) pure-Python reference on a sample, extrapolated
    sample = [int(p) for p in rng.choice(N_GREX, size=SAMPLE, replace=False)]
    grexes = [grex_from_portfolio(a, p) for p in sample]
    t0 = time.perf_counter()
    refs = [reference_grex(g) for g in grexes]
    t_ref_per = (time.perf_counter() - t0) / SAMPLE
    dev = max(abs(r.ncw - float(out.ncw[p])) / max(abs(r.ncw), 1.0) for r, p in zip(refs, sample))
    dev_eind = max(abs(r.eindwaarde - float(out.eindwaarde[p])) for r, p in zip(refs, sample))
    t_ref_total = t_ref_per * N_GREX
    rows += [
        _row(f"(b) referentie (Python-lussen), per grex (steekproef {SAMPLE})", t_ref_per, "s"),
        _row("(b) referentie, geëxtrapoleerd naar de portefeuille", t_ref_total, "s"),
        _row("(b)/(a) engine sneller dan referentie", t_ref_total / t_engine, "x", "doel >= 50x"),
        _row("    controle: grootste relatieve afwijking NCW engine vs referentie", dev, "-", f"eindwaarde: grootste absolute afwijking {dev_eind:.1e} EUR"),
    ]

    # (c) LibreOffice recalculating one exported 200-line workbook vs the engine on that grex
    rows += _libreoffice_rows(grexes[0], out, sample[0], a)
    return rows


def _libreoffice_rows(grex, out, p: int, a: GrexArrays) -> list[dict]:
    from opengrex.services.grex import calculate_grex

    one = grex.compile()
    t_one = _best_of(lambda: calculate(one), 20)
    t_api = _best_of(lambda: calculate_grex(grex), 5)
    rows = [
        _row("(c) engine, één grex van 200 posten (beste van 20)", t_one * 1e3, "ms", "calculate() op de gecompileerde arrays"),
        _row("(c) API calculate_grex, één grex (beste van 5)", t_api * 1e3, "ms", "incl. compileren, IRR en labels"),
    ]
    try:
        from opengrex.io.libreoffice import find_soffice, read_names, recalculate
        from opengrex.io.xlsx_export import export_grex_xlsx

        find_soffice()
    except Exception as exc:  # noqa: BLE001 - report, never fail the run
        return rows + [_row("(c) LibreOffice", "niet beschikbaar", "", str(exc)[:160])]
    with tempfile.TemporaryDirectory(prefix="opengrex-bench-") as tmp:
        src = Path(tmp) / "in" / "portefeuille_grex.xlsx"
        src.parent.mkdir()
        t0 = time.perf_counter()
        export_grex_xlsx(grex, src)
        t_export = time.perf_counter() - t0
        t0 = time.perf_counter()
        (done,) = recalculate([src], Path(tmp) / "uit")
        t_lo = time.perf_counter() - t0
        values = read_names(done, ["NCW", "Eindwaarde"])
    ncw_engine = float(out.ncw[p])
    rows += [
        _row("(c) export naar .xlsx met formules", t_export, "s", f"{os.path.basename(src)}"),
        _row("(c) LibreOffice herberekening (soffice headless)", t_lo, "s", "incl. opstarten van soffice"),
        _row("(c) LibreOffice / engine (één grex)", t_lo / t_one, "x", "doel >= 100x"),
        _row("(c) LibreOffice / API calculate_grex", t_lo / t_api, "x"),
        _row("    controle: NCW LibreOffice - engine", float(values["NCW"]) - ncw_engine, "EUR", "moet binnen 0,01 EUR liggen"),
    ]
    return rows


if __name__ == "__main__":  # pragma: no cover
    for r in run():
        print(r)
