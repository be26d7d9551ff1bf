"""Issue #9, programme defects: opening book values of late-starting projects (every timing), the project's own
horizon next to the programme's, the nominal result versus the saldo of flows, and a risk's impact (nominal).
Each case is checked against the project's grex on its own (``calculate_grex``) and against the independent
reference :func:`opengrex.reference.programma.reference_programme`."""
from __future__ import annotations

import copy

import numpy as np
import pytest

from opengrex.reference.programma import reference_programme
from opengrex.services.grex import calculate_grex
from opengrex.services.programma import calculate_programme, programme_from_dict, run_risk

TIMINGS = ["end", "mid", "start"]


def grex(name: str, costs: dict[int, float], revenues: dict[int, float], start: int, end: int) -> dict:
    """A grex (old English keys, as files of the first version) with one cost and one revenue line, no indexation."""
    lines = {"kosten": [("Kosten", "kostensoort", "A8", costs)], "opbrengsten": [("Opbrengst", "opbrengstsoort", "overig", revenues)]}
    out: dict = {"name": name, "prijspeil": f"{start}-01-01", "start_year": start, "end_year": end, "indices": {"geen": 0.0}}
    for section, items in lines.items():
        out[section] = [{"name": n, key: code, "amount": sum(ph.values()), "index": "geen", "phasing": ph} for n, key, code, ph in items if ph]
    return out


def late_programme(timing: str, kind_late: str = "groen", fund_rate: float = 0.02) -> dict:
    """Two projects on 2021–2026: A (rood) from 2021; L (late, from 2023) with an opening book value of −800.000
    at 31-12-2022. Rates 2 % (A), 3 % (L's financier), fund 2 %; disconteringsvoet 1 %."""
    a = grex("A", {2021: 1_000_000}, {2024: 1_500_000, 2025: 600_000}, start=2021, end=2026)
    late = grex("L", {2023: 200_000, 2024: 100_000}, {2024: 50_000}, start=2023, end=2024)
    late["prijspeil"] = "2021-01-01"
    late["opening_book_value"] = -800_000.0
    for g in (a, late):
        g["timing"] = timing
    return {
        "name": "Laat", "prijspeil": "2021-01-01", "ncw_datum": "2021-01-01", "disconteringsvoet": 0.01, "timing": timing,
        "financiers": [{"name": "F2", "rente": 0.02}, {"name": "F3", "rente": 0.03}],
        "fonds": {"name": "Fonds", "rente": fund_rate, "financier": "F2"},
        "projecten": [
            {"name": "A", "soort": "rood", "voorfinancierder": "F2", "grex": a},
            {"name": "L", "soort": kind_late, "voorfinancierder": "F3", "grex": late},
        ],
    }


@pytest.mark.parametrize("timing", TIMINGS)
def test_late_project_with_opening_equals_its_own_grex(timing):
    prog = programme_from_dict(late_programme(timing, "overig"))
    res = calculate_programme(prog)
    pf = res.projects_frame()
    g = prog.projecten[1].grex
    own = calculate_grex(g.model_copy(update={"rente": 0.03, "disconteringsvoet": 0.01, "ncw_datum": prog.ncw_date}))
    assert pf.loc["L", "ncw_eigen_looptijd"] == pytest.approx(own.ncw, rel=1e-12)
    assert pf.loc["L", "eindwaarde_eigen_looptijd"] == pytest.approx(own.eindwaarde, rel=1e-12)
    # to the programme's last year: the same grex lengthened to 2026 (its book keeps the financier's interest)
    longer = calculate_grex(g.model_copy(update={"rente": 0.03, "disconteringsvoet": 0.01, "ncw_datum": prog.ncw_date, "end_year": 2026}))
    assert pf.loc["L", "ncw"] == pytest.approx(longer.ncw, rel=1e-12)
    # the opening value earns interest from the start year on, never in the year before (spec §3)
    bv = res.outcome.projects.book_value[1]
    assert bv[res.years.index(2022)] == pytest.approx(-800_000.0, rel=1e-15)
    ref = reference_programme(prog)
    np.testing.assert_allclose(res.outcome.projects.book_value, ref.alone_book, rtol=1e-12)
    assert res.ncw == pytest.approx(ref.ncw, rel=1e-12)


@pytest.mark.parametrize("timing", TIMINGS)
def test_green_opening_reaches_the_fund_as_it_is(timing):
    """A green project's opening −800.000 is its contribution from the fund in the year before its start: exactly
    −800.000 (the first version gave −816.000 with timing start: 2 % on the opening)."""
    prog = programme_from_dict(late_programme(timing, "groen", fund_rate=0.02))
    res = calculate_programme(prog)
    t = res.outcome.vv.transfer[1]
    assert t[res.years.index(2022)] == pytest.approx(-800_000.0, rel=1e-15)
    ref = reference_programme(prog)
    np.testing.assert_allclose(res.outcome.vv.transfer, ref.transfer, rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(res.outcome.vv.fund_book, ref.fund, rtol=1e-12)
    assert res.eindwaarde == pytest.approx(ref.eindwaarde, rel=1e-12)


@pytest.mark.parametrize("timing", TIMINGS)
def test_opening_values_are_not_revenues(timing):
    res = calculate_programme(programme_from_dict(late_programme(timing)))
    yf = res.yearly_frame()
    assert (yf["opbrengsten"] >= 0).all()  # the opening used to appear as a negative revenue in 2022
    assert yf.loc[2022, "openingsboekwaarden"] == pytest.approx(-800_000.0)
    np.testing.assert_allclose(yf["opbrengsten"], reference_programme(res.programme).revenues, rtol=1e-12)


def test_nominal_result_and_saldo_are_both_reported():
    res = calculate_programme(programme_from_dict(late_programme("end")))
    flows = 2_100_000 - 1_000_000 + 50_000 - 300_000
    assert res.saldo_nominaal == pytest.approx(flows)  # spec grondexploitatie.md §4: sum of the flows
    assert res.openingsboekwaarden == pytest.approx(-800_000.0)
    assert res.nominaal == pytest.approx(flows - 800_000.0)  # the result without interest
    assert res.summary()["resultaat"]["saldo_nominaal"] == pytest.approx(flows)
    pf = res.projects_frame()
    assert pf.loc["L", "nominaal"] == pytest.approx(pf.loc["L", "saldo_nominaal"] + pf.loc["L", "openingsboekwaarde"])


def test_own_horizon_differs_when_rente_differs_from_d_and_feeds_the_taakstelling():
    d = late_programme("end", "overig")
    d["taakstellingen"] = [{"name": "T", "project": "L", "bedrag": 0.0, "partners": {"X": 1.0}}]
    d["partners"] = [{"name": "X", "share": 1.0}]
    res = calculate_programme(programme_from_dict(d))
    pf = res.projects_frame()
    assert pf.loc["L", "eindjaar"] == 2024
    assert pf.loc["L", "ncw"] < pf.loc["L", "ncw_eigen_looptijd"] < 0  # 3 % rente > 1 % discount after 2024
    t = res.partner_figures()["taakstellingen"][0]
    assert t["resultaat_project"] == pytest.approx(pf.loc["L", "ncw_eigen_looptijd"])
    ex = res.explain("project:L")
    assert ex["waarde"] == pytest.approx(pf.loc["L", "ncw_eigen_looptijd"])
    assert ex["invoer"]["ncw_tot_programma_einde"] == pytest.approx(pf.loc["L", "ncw"])


def test_guarantee_on_a_projects_result_uses_its_own_ncw():
    d = late_programme("end", "overig")
    d["partners"] = [{"name": "X", "share": 1.0}]
    d["garanties"] = [{"name": "G", "plafond": 10e6, "projecten": ["L"]}]
    res = calculate_programme(programme_from_dict(d))
    g = res.partner_figures()["garanties"][0]
    assert g["blootstelling"] == pytest.approx(-res.projects_frame().loc["L", "ncw_eigen_looptijd"])


def test_risk_impact_is_nominal_in_its_year_not_indexed(small):
    """Decision (issue #9): an impact is the nominal amount in the year it occurs: it equals a realised
    (nominal, not indexed) cost in that year, also when the project's costs are indexed."""
    d = copy.deepcopy(small)
    for p in d["projecten"]:
        p["grex"]["indices"] = {"geen": 0.05}
    base = copy.deepcopy(d)
    d["projecten"][2]["risicos"] = [{"naam": "e", "kans": 1.0, "impact": {"min": 7.0, "mode": 7.0, "max": 7.0}, "jaar": 2022}]
    res = run_risk(programme_from_dict(d), draws=20, seed=1)
    base["projecten"][2]["grex"]["kosten"].append({"name": "Risico", "kostensoort": "A14", "amount": 0.0, "index": "geen", "phasing": {2022: 1.0}, "realised": {2022: 7.0}})
    expected = calculate_programme(programme_from_dict(base)).ncw
    np.testing.assert_allclose(res.ncw, expected, rtol=1e-12)
    assert "EUR nominaal" in programme_from_dict(d).model_json_schema()["$defs"]["Impact"]["properties"]["modus"]["eenheid"]


def test_demo_projects_match_the_reference(demo_2013):
    res = calculate_programme(demo_2013)
    ref = reference_programme(demo_2013)
    np.testing.assert_allclose(res.projects_frame()["ncw_eigen_looptijd"], ref.own_ncw, rtol=1e-10)
    np.testing.assert_allclose(res.projects_frame()["ncw"], ref.alone_ncw, rtol=1e-10)
    assert res.ncw == pytest.approx(ref.ncw, rel=1e-10)
    assert res.nominaal == pytest.approx(ref.nominal, rel=1e-10)
