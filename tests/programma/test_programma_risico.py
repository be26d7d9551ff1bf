"""Monte Carlo of a programme: collapsed uncertainty = the deterministic result; known distributions match their
analytic mean and percentiles within sampling error; reproducible; the compressed arrays are exact.

Tolerance: 4 standard errors. For a mean, SE = sd / sqrt(n); for the q-quantile, SE = sqrt(q (1 - q) / n) / f(x_q)
(f: the density at the quantile). With 4 SE a correct implementation fails about 1 in 16,000 runs; the seeds are
fixed, so the tests are deterministic.
"""
from __future__ import annotations

import copy
import math

import numpy as np
import pytest

from opengrex.engine import risico
from opengrex.errors import InputError
from opengrex.model.programma import Override, compile_risk
from opengrex.reference.risico import triangular_cdf, triangular_pdf, triangular_quantile
from opengrex.services.programma import apply_override, calculate_programme, programme_from_dict, run_risk

N = 20_000


def one_project(flows_cost: dict, flows_rev: dict, **extra) -> dict:
    """A programme with one 'overig' project, all rates 0 and no discounting: NCW = sum of the flows."""
    d = {
        "name": "MC",
        "prijspeil": "2021-01-01",
        "disconteringsvoet": 0.0,
        "end_year": 2026,
        "financiers": [{"name": "A", "rente": 0.0}],
        "projecten": [{"name": "P", "soort": "overig", "trekker": "A", "voorfinancierder": "A", "grex": grex("P", flows_cost, flows_rev, end=2023)}],
    }
    d.update(extra)
    return d


def grex(name: str, costs: dict, revenues: dict, start: int = 2021, end: int = 2023) -> dict:
    out = {"name": name, "prijspeil": f"{start}-01-01", "start_year": start, "end_year": end, "indices": {"geen": 0.0}, "kosten": [], "opbrengsten": []}
    out["kosten"].append({"name": "Kosten", "kostensoort": "A8", "amount": sum(costs.values()), "index": "geen", "phasing": {y: 1.0 / len(costs) for y in costs}})
    out["opbrengsten"].append({"name": "Opbrengst", "opbrengstsoort": "overig", "amount": sum(revenues.values()), "index": "geen", "phasing": dict(revenues)})
    return out


def tri_ppf(q, a, m, b):
    """The q-quantile from the distribution's definition (reference: bisection on the closed-form CDF), not from
    the sampler's own inverse (which is what is being tested)."""
    return triangular_quantile(q, a, m, b)


def tri_pdf(x, a, m, b):
    return triangular_pdf(x, a, m, b)


def test_collapsed_uncertainty_is_a_point_equal_to_the_deterministic_result(demo_2013):
    d = demo_2013.model_dump(mode="python")
    for u in d["onzekerheden"]:
        if u["type"] == "vertraging":
            u["kansen"] = {0: 1.0}
        else:
            u["min"] = u["modus"] = u["max"] = 0.0
    for p in d["projecten"]:
        for r in p["risicos"]:
            r["kans"] = 0.0
    prog = programme_from_dict(d)
    res = run_risk(prog, draws=2_000, seed=7)
    det = calculate_programme(prog).ncw
    assert res.ncw.min() == pytest.approx(det, abs=1e-6)
    assert res.ncw.max() == pytest.approx(det, abs=1e-6)
    assert res.basis == pytest.approx(det, abs=1e-6)
    assert res.verwacht_risico == pytest.approx(0.0, abs=1e-6)


def test_compressed_arrays_are_exact(demo_2013):
    ra, _ = compile_risk(demo_2013)
    ncw = risico.evaluate_inputs(ra, np.zeros((1, ra.n_inputs)))
    assert ncw[0] == pytest.approx(calculate_programme(demo_2013).ncw, abs=1e-6)
    assert ra.base.grex.share.shape[1] < 12  # a handful of merged lines per project


@pytest.mark.parametrize("kind,value,override", [
    ("index", 0.01, Override(type="index", reeks="opbrengsten", delta=0.01)),
    ("prijsniveau", -0.1, Override(type="opbrengsten", procent=-10.0)),
])
def test_a_parameter_fixed_at_a_value_equals_the_deterministic_override(demo_2013, kind, value, override):
    d = demo_2013.model_dump(mode="python")
    d["onzekerheden"] = [{"naam": "x", "type": kind, "reeks": "opbrengsten", "op": "opbrengsten", "min": value, "mode": value, "max": value}]
    for p in d["projecten"]:
        p["risicos"] = []
    prog = programme_from_dict(d)
    res = run_risk(prog, draws=50, seed=1)
    expected = calculate_programme(apply_override(prog, override)).ncw
    np.testing.assert_allclose(res.ncw, expected, atol=1e-5)


def test_a_fixed_delay_equals_the_shifted_revenue(small):
    """Delay of 2 years with probability 1: the revenue phasing of R moves 2 years (costs stay)."""
    d = copy.deepcopy(small)
    d["onzekerheden"] = [{"naam": "vertraging", "type": "vertraging", "projecten": ["R"], "kansen": {2: 1.0}}]
    d["end_year"] = 2025
    res = run_risk(programme_from_dict(d), draws=10, seed=1)
    e = copy.deepcopy(small)
    e["end_year"] = 2025
    e["projecten"][0]["grex"]["opbrengsten"][0]["phasing"] = {2024: 50, 2025: 80}
    e["projecten"][0]["grex"]["end_year"] = 2025
    expected = calculate_programme(programme_from_dict(e)).ncw
    np.testing.assert_allclose(res.ncw, expected, atol=1e-9)
    assert res.grid_extension == 0


def test_delay_past_the_grid_extends_it(small):
    d = copy.deepcopy(small)
    d["onzekerheden"] = [{"naam": "vertraging", "type": "vertraging", "projecten": ["R"], "kansen": {0: 0.5, 3: 0.5}}]
    res = run_risk(programme_from_dict(d), draws=10, seed=1)
    assert res.grid_extension == 3


def test_triangular_event_with_probability_one_matches_analytic_moments_and_percentiles():
    a, m, b = 1e6, 2e6, 5e6
    d = one_project({2021: 0.0}, {2022: 10e6})
    d["projecten"][0]["risicos"] = [{"naam": "e", "kans": 1.0, "impact": {"min": a, "mode": m, "max": b}, "jaar": 2022}]
    res = run_risk(programme_from_dict(d), draws=N, seed=11)
    loss = res.basis - res.ncw  # the impact, exactly (rates 0, no discounting)
    mean = (a + m + b) / 3
    sd = math.sqrt((a * a + b * b + m * m - a * b - a * m - b * m) / 18)
    assert res.basis == pytest.approx(10e6)
    assert abs(loss.mean() - mean) < 4 * sd / math.sqrt(N)
    assert res.verwacht_risico == pytest.approx(loss.mean())
    for q in (0.1, 0.5, 0.9):
        x = tri_ppf(q, a, m, b)
        se = math.sqrt(q * (1 - q) / N) / tri_pdf(x, a, m, b)
        assert abs(np.quantile(loss, q) - x) < 4 * se
    # NCW percentiles mirror the loss percentiles
    assert res.quantile(0.1) == pytest.approx(10e6 - np.quantile(loss, 0.9), rel=1e-3)


def test_bernoulli_event_probability_and_mean():
    p, impact = 0.3, 1e6
    d = one_project({2021: 0.0}, {2022: 0.5e6})
    d["projecten"][0]["risicos"] = [{"naam": "e", "kans": p, "impact": {"min": impact, "mode": impact, "max": impact}}]
    res = run_risk(programme_from_dict(d), draws=N, seed=3)
    se_p = math.sqrt(p * (1 - p) / N)
    assert abs(res.p_tekort - p) < 4 * se_p  # NCW = 0.5 M - 1 M when the event occurs
    assert abs(res.verwacht_risico - p * impact) < 4 * impact * se_p
    # weerstandsvermogen at 90%: the event occurs in 30% > 10% of the draws -> the full impact
    assert res.weerstandsvermogen == pytest.approx(impact)
    assert run_risk(programme_from_dict(d), draws=N, seed=3, percentiel=60).weerstandsvermogen == pytest.approx(0.0)


def test_pert_event_mean_and_sd():
    a, m, b = 0.0, 1e6, 4e6
    d = one_project({2021: 0.0}, {2022: 10e6})
    d["projecten"][0]["risicos"] = [{"naam": "e", "kans": 1.0, "impact": {"min": a, "mode": m, "max": b, "verdeling": "pert"}}]
    loss = (lambda r: r.basis - r.ncw)(run_risk(programme_from_dict(d), draws=N, seed=5))
    mu = (a + 4 * m + b) / 6
    sd = math.sqrt((mu - a) * (b - mu) / 7)
    assert abs(loss.mean() - mu) < 4 * sd / math.sqrt(N)
    assert loss.std() == pytest.approx(sd, rel=0.03)
    assert loss.min() >= a and loss.max() <= b


@pytest.mark.parametrize("a,m,b", [(1.0, 2.0, 4.0), (0.0, 0.0, 1.0), (-3.0, 5.0, 5.0), (1e6, 2e6, 5e6)])
def test_triangular_sampler_inverts_the_reference_cdf(a, m, b):
    u = np.linspace(0.0, 1.0, 401)
    x = risico.triangular_ppf(u, a, m, b)
    np.testing.assert_allclose([triangular_cdf(float(v), a, m, b) for v in x], u, atol=1e-12)
    for q in (0.1, 0.5, 0.9):
        assert float(risico.triangular_ppf(np.array(q), a, m, b)) == pytest.approx(triangular_quantile(q, a, m, b), rel=1e-9, abs=1e-9)


def test_discrete_and_triangular_samplers():
    u = np.array([0.0, 0.49, 0.5, 0.99])
    assert risico.sample_discrete(u, np.array([0, 1, 2]), np.array([0.5, 0.3, 0.2])).tolist() == [0, 0, 1, 2]
    assert risico.triangular_ppf(np.array([0.0, 1.0]), 1.0, 2.0, 4.0).tolist() == pytest.approx([1.0, 4.0])
    assert risico.triangular_ppf(np.array([0.3]), 2.0, 2.0, 2.0).tolist() == [2.0]  # degenerate


def test_seeded_and_reproducible_independent_of_chunking(demo_2013):
    r1 = run_risk(demo_2013, draws=3_000, seed=42, chunk=1000)
    r2 = run_risk(demo_2013, draws=3_000, seed=42, chunk=250)
    r3 = run_risk(demo_2013, draws=3_000, seed=43)
    np.testing.assert_allclose(r1.ncw, r2.ncw, rtol=0, atol=1e-6)
    assert not np.allclose(r1.ncw, r3.ncw)


def test_vectorised_draws_equal_a_loop_over_the_deterministic_engine(demo_2013):
    ra, _ = compile_risk(demo_2013)
    x = risico.sample_inputs(ra, 5, seed=9)
    batch = risico.evaluate_inputs(ra, x)
    loop = [risico.evaluate_inputs(ra, x[i : i + 1])[0] for i in range(5)]
    np.testing.assert_allclose(batch, loop, atol=1e-6)


def test_tornado_is_sorted_and_progress_reported(demo_2013):
    seen = []
    res = run_risk(demo_2013, draws=2_000, seed=1, chunk=500, progress=seen.append)
    assert sum(seen) == 2_000 and len(seen) == 4
    widths = res.tornado["bandbreedte"].tolist()
    assert widths == sorted(widths, reverse=True)
    assert len(res.tornado) == len(demo_2013.onzekerheden) + sum(len(p.risicos) for p in demo_2013.projecten)


@pytest.mark.parametrize("draws", [0, -5])
def test_draws_must_be_positive(demo_2013, draws):
    with pytest.raises(InputError) as e:
        run_risk(demo_2013, draws=draws)
    assert e.value.field == "trekkingen"


def test_percentile_must_be_inside_0_100(demo_2013):
    with pytest.raises(InputError):
        run_risk(demo_2013, draws=10, percentiel=100)


def test_merged_lines_equal_every_line_kept(demo_2013):
    merged, _ = compile_risk(demo_2013)
    full, _ = compile_risk(demo_2013, merge_lines=False)
    x = risico.sample_inputs(merged, 200, seed=4)
    np.testing.assert_allclose(risico.evaluate_inputs(merged, x), risico.evaluate_inputs(full, x), atol=1e-5)


def test_guarantee_breach_probability(small):
    d = copy.deepcopy(small)
    d["projecten"][2]["risicos"] = [{"naam": "e", "kans": 0.25, "impact": {"min": 10.0, "mode": 10.0, "max": 10.0}, "jaar": 2023}]
    res = run_risk(programme_from_dict(d), draws=N, seed=8)
    # deficit 21.175 without the event (below 15 + 10 = 25), 31.175 with it: breached with probability 0.25
    g1, g2 = res.guarantee_breach()
    assert g1["kans_overschreden"] == pytest.approx(1.0)
    assert abs(g2["kans_overschreden"] - 0.25) < 4 * math.sqrt(0.25 * 0.75 / N)
