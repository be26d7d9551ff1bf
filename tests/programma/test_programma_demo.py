"""The illustrative Hart van de Heuvelrug demo lands near seed 000's headline figures.

Seed 000 §3: "De huidige Mastergrex toont een begroot tekort van 9,2 miljoen nominaal met een risico inschatting van
1,6 miljoen euro. (Rekening houdend met de opbouw van rente is dit 15,9 miljoen netto contant.) De verslechtering
ten opzicht van 2012 (11,1 miljoen netto contant) ...". Tolerances: ±0,1 mln for the budget figures (the seed rounds
to 0,1 mln); ±0,15 mln for the risk estimate (seed rounding ±0,05 plus 4 sampling standard errors of ≈0,016 mln).
"""
from __future__ import annotations

import pytest

from opengrex.services.programma import calculate_programme, compare_versions, run_risk, run_scenarios

MLN = 1e6


def test_2013_nominal_deficit_9_2_and_ncw_15_9(demo_2013):
    res = calculate_programme(demo_2013)
    assert res.nominaal == pytest.approx(-9.2 * MLN, abs=0.1 * MLN)
    assert res.ncw == pytest.approx(-15.9 * MLN, abs=0.1 * MLN)
    # interest is the difference (seed §3.1: "in belangrijke mate bepaald door de berekening van rente")
    assert res.rente_deel == pytest.approx(res.ncw - res.nominaal)
    assert {f.name: f.rente for f in demo_2013.financiers} == {"Provincie Utrecht": 0.04, "Gemeente Zeist": 0.04, "Gemeente Soest": 0.04}


def test_2012_ncw_11_1(demo_2012):
    assert calculate_programme(demo_2012).ncw == pytest.approx(-11.1 * MLN, abs=0.1 * MLN)


def test_risk_estimate_1_6(demo_2013):
    res = run_risk(demo_2013, draws=10_000, seed=2013)
    assert res.verwacht_risico == pytest.approx(1.6 * MLN, abs=0.15 * MLN)


def test_structure_follows_the_seed(demo_2013):
    kinds = [p.soort for p in demo_2013.projecten]
    assert len(kinds) == 12 and kinds.count("rood") >= 5 and kinds.count("groen") >= 4
    assert [p.name for p in demo_2013.partners] == ["Provincie Utrecht", "Gemeente Zeist", "Gemeente Soest"]
    assert sorted(g.plafond for g in demo_2013.garanties) == [10 * MLN, 18 * MLN]
    t = demo_2013.taakstellingen[0]
    assert t.bedrag == 10 * MLN and t.project.startswith("Vliegbasis Soesterberg")
    assert "ILLUSTRATIEF" in demo_2013.name


def test_4_to_0_percent_step(demo_2013):
    """Seed §3.1: the province lowers its rate from 4% to 0% — the deficit falls to the nominal deficit, and then
    fits the 10 M guarantee, which the 4% version breaches."""
    cmp = run_scenarios(demo_2013)
    base_g = cmp.base.partner_figures()["garanties"][0]
    assert base_g["plafond_overschreden"] is True
    zero = next(s for s in cmp.scenarios if s.naam.startswith("Geen rente")).result
    assert zero.ncw == pytest.approx(-9.2 * MLN, abs=0.1 * MLN)
    assert zero.partner_figures()["garanties"][0]["plafond_overschreden"] is False
    step = next(s for s in cmp.scenarios if s.naam.startswith("Rente provincie 0%")).result
    prov = step.financiers_frame()["Provincie Utrecht"]
    assert prov.loc[2013] < 0 and (prov.loc[2014:] == 0).all()


def test_2013_worse_than_2012_mainly_lower_revenues(demo_2012, demo_2013):
    cmp = compare_versions(demo_2012, demo_2013)
    assert cmp.total_ncw == pytest.approx((-15.9 + 11.1) * MLN, abs=0.2 * MLN)
    assert cmp.frame()["ncw"].idxmin() == "opbrengsten"
