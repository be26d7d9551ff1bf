"""The programme API on a hand-computed programme: result, interest per voorfinancierder, fund, partners,
guarantees, taakstelling; scenarios and versions (attributions add up exactly); workbook round trip."""
from __future__ import annotations

import copy

import numpy as np
import pytest

from opengrex.model.programma import Override
from opengrex.services.grex import calculate_grex
from opengrex.services.programma import (
    apply_override,
    calculate_programme,
    compare_versions,
    hybrid_programme,
    parse_override,
    programme_from_dict,
    programme_to_dict,
    run_scenarios,
)


def test_small_programme_hand_computed(small):
    res = calculate_programme(programme_from_dict(small))
    # nominal: R +30, G -20, O -10 -> 0; with interest (see test_programma_engine): -21.175
    assert res.nominaal == pytest.approx(0.0, abs=1e-9)
    assert res.eindwaarde == pytest.approx(-21.175)
    assert res.ncw == pytest.approx(-21.175)  # disconteringsvoet 0
    assert res.ncw_zonder_rente == pytest.approx(0.0, abs=1e-9)
    assert res.rente_deel == pytest.approx(-21.175)
    fund = res.fund_frame()
    assert fund["saldo"].tolist() == pytest.approx([-30.0, -31.5, -9.075])
    assert fund["afdracht_rood"].tolist() == pytest.approx([0.0, 0.0, 14.0])
    assert fund["bijdrage_groen"].tolist() == pytest.approx([-30.0, 0.0, 10.0])
    fin = res.financiers_totals()
    assert fin.loc["A", "rente_ontvangen"] == pytest.approx(18.1)  # R: 10 + 6, O: 1 + 1.1
    assert fin.loc["B", "rente_ontvangen"] == pytest.approx(3.075)  # the fund: 1.5 + 1.575
    assert res.badkuip() == {"diepste_boekwaarde": pytest.approx(-140.0), "jaar": 2021, "terugverdienjaar": None}


def test_partners_guarantees_taakstelling_hand_computed(small):
    figs = calculate_programme(programme_from_dict(small)).partner_figures()
    g1, g2 = figs["garanties"]
    assert (g1["gebruik"], g1["ruimte"], g1["plafond_overschreden"]) == (pytest.approx(15.0), pytest.approx(0.0), False)
    assert (g2["gebruik"], g2["ruimte"], g2["plafond_overschreden"]) == (pytest.approx(6.175), pytest.approx(3.825), False)
    t = figs["taakstellingen"][0]
    # R stand-alone at 10%: -100, -60, -66 + 80 = 14 -> 6 short of 20
    assert t["resultaat_project"] == pytest.approx(14.0)
    assert t["nog_te_verdienen"] == pytest.approx(6.0)
    assert t["gehaald"] is False
    p1 = figs["partners"][0]
    assert p1["aandeel_tekort_ncw"] == pytest.approx(0.6 * 21.175)
    assert p1["garantie G1: gebruik"] == pytest.approx(0.6 * 15.0)
    assert p1["garantie G2: ruimte"] == pytest.approx(0.6 * 3.825)
    assert p1["taakstelling T: nog te verdienen"] == pytest.approx(0.6 * 6.0)


def test_breached_ceiling_is_flagged(small):
    small["garanties"][1]["plafond"] = 5.0
    g2 = calculate_programme(programme_from_dict(small)).partner_figures()["garanties"][1]
    assert g2["plafond_overschreden"] is True
    assert g2["overschrijding"] == pytest.approx(21.175 - 15.0 - 5.0)


def test_guarantee_on_boekwaarde_of_a_project(small):
    small["garanties"] = [{"name": "SOK", "plafond": 80.0, "basis": "boekwaarde", "projecten": ["R"]}]
    g = calculate_programme(programme_from_dict(small)).partner_figures()["garanties"][0]
    assert g["blootstelling"] == pytest.approx(100.0)  # deepest stand-alone book value of R
    assert g["gebruik"] == pytest.approx(80.0)
    assert g["overschrijding"] == pytest.approx(20.0)


def test_each_project_equals_its_own_grex(demo_2013):
    """Stacking on the programme grid changes nothing: each project's stand-alone NCW equals calculate_grex of
    the same grex with the voorfinancierder's rate, the programme's disconteringsvoet and grid end."""
    res = calculate_programme(demo_2013)
    rates = {f.name: f.rente for f in demo_2013.financiers}
    end = res.years[-1]
    for p in demo_2013.projecten:
        g = p.grex.model_copy(update={"rente": rates[p.voorfinancierder], "disconteringsvoet": demo_2013.disconteringsvoet, "end_year": end, "ncw_datum": demo_2013.ncw_date})
        single = calculate_grex(g)
        assert res.projects_frame().loc[p.name, "ncw"] == pytest.approx(single.ncw, abs=1e-6)


def test_scenario_attributions_add_up_exactly(demo_2013):
    cmp = run_scenarios(demo_2013)
    assert len(cmp.scenarios) == len(demo_2013.scenarios)
    for s in cmp.scenarios:
        total = s.result.ncw - cmp.base.ncw
        assert sum(s.sequential) == pytest.approx(total, abs=1e-6)
        assert sum(s.shapley) == pytest.approx(total, abs=1e-6)


def test_rate_zero_scenario_gives_the_nominal_result(demo_2013):
    """Seed 000 §3.1: with the interest at 0% the deficit drops to the nominal deficit."""
    cmp = run_scenarios(demo_2013)
    zero = next(s for s in cmp.scenarios if s.naam.startswith("Geen rente"))
    assert zero.result.ncw == pytest.approx(cmp.base.nominaal, abs=1e-6)


def test_override_step_4_to_0_percent_from_2014(demo_2013):
    prog = apply_override(demo_2013, parse_override("rente:Provincie Utrecht=0@2014"))
    prog = apply_override(prog, parse_override("rente:Beheerfonds=0@2014"))
    ff = calculate_programme(prog).financiers_frame()["Provincie Utrecht"]
    assert ff.loc[2013] < 0  # still 4% in 2013
    assert (ff.loc[2014:] == 0).all()  # 0% from 2014 on: the step
    # the base is not mutated
    assert demo_2013.financiers[0].rente == 0.04


def test_shift_moves_phasing_and_extends_the_grex(small):
    prog = programme_from_dict(small)
    shifted = apply_override(prog, Override(type="verschuif", project="R", jaren=2))
    g = shifted.projecten[0].grex
    assert g.opbrengsten[0].phasing == {2024: 50.0, 2025: 80.0}
    assert g.end_year == 2025
    assert prog.projecten[0].grex.end_year == 2023


def test_revenues_minus_x_percent_and_cost_measure(small):
    prog = programme_from_dict(small)
    lower = calculate_programme(apply_override(prog, Override(type="opbrengsten", procent=-10)))
    # revenues 130 (R) + 10 (G) -> -10%: nominal 0 - 14
    assert lower.nominaal == pytest.approx(-14.0)
    cheaper = calculate_programme(apply_override(prog, Override(type="kosten", procent=-5, projecten=["R"])))
    assert cheaper.nominaal == pytest.approx(5.0)


def test_drop_and_add_project(small):
    prog = programme_from_dict(small)
    dropped = apply_override(prog, Override(type="vervalt", project="R"))
    assert dropped.project_names() == ["G", "O"]
    assert dropped.taakstellingen == []  # the taakstelling on R goes with it
    new = copy.deepcopy(small["projecten"][2])
    new["name"] = "N"
    added = apply_override(prog, Override.model_validate({"type": "toevoegen", "nieuw": new}))
    assert calculate_programme(added).nominaal == pytest.approx(-10.0)


def test_versions_shapley_adds_up_and_hybrids_rebuild_the_versions(demo_2012, demo_2013):
    cmp = compare_versions(demo_2012, demo_2013)
    assert cmp.ncw_shapley.sum() == pytest.approx(cmp.b.ncw - cmp.a.ncw, abs=1e-6)
    assert cmp.nominal_shapley.sum() == pytest.approx(cmp.b.nominaal - cmp.a.nominaal, abs=1e-6)
    assert cmp.ncw_values[0] == pytest.approx(cmp.a.ncw, abs=1e-6)
    assert cmp.ncw_values[-1] == pytest.approx(cmp.b.ncw, abs=1e-6)
    f = cmp.frame()
    # seed 000: the deterioration is mainly lower revenues
    assert f.loc["opbrengsten", "ncw"] < 0
    assert f["ncw"].idxmin() == "opbrengsten"
    assert "Shapley" in cmp.to_dict()["methode"]


def test_versions_added_and_dropped_projects(small):
    a = programme_from_dict(small)
    b_data = copy.deepcopy(small)
    b_data["projecten"] = b_data["projecten"][:2] + [dict(copy.deepcopy(small["projecten"][2]), name="N")]
    b_data["projecten"][2]["grex"]["name"] = "N"
    b_data["projecten"][0]["grex"]["opbrengsten"][0]["amount"] = 140.0
    b_data["projecten"][0]["grex"]["opbrengsten"][0]["phasing"] = {2022: 60.0, 2023: 80.0}
    b = programme_from_dict(b_data)
    cmp = compare_versions(a, b)
    f = cmp.frame()
    assert f["ncw"].sum() == pytest.approx(cmp.b.ncw - cmp.a.ncw, abs=1e-9)
    # O dropped and N (identical) added: the project cause is zero; +10 revenue is all 'opbrengsten'
    assert f.loc["projecten", "ncw"] == pytest.approx(0.0, abs=1e-9)
    assert f.loc["opbrengsten", "nominaal"] == pytest.approx(10.0)
    assert hybrid_programme(a, b, set()).project_names() == ["R", "G", "O"]
    assert hybrid_programme(a, b, {"projecten"}).project_names() == ["R", "G", "N"]


def test_workbook_round_trip(demo_2013, tmp_path):
    from opengrex.io.xlsx_programma import export_programme_xlsx, import_programme_xlsx

    path = tmp_path / "programma.xlsx"
    export_programme_xlsx(demo_2013, path)
    back = import_programme_xlsx(path)
    assert programme_to_dict(back) == programme_to_dict(demo_2013)
    assert calculate_programme(back).ncw == calculate_programme(demo_2013).ncw


def test_summary_is_plain_data(small):
    import json

    s = calculate_programme(programme_from_dict(small)).summary()
    json.dumps(s, default=str)
    assert s["resultaat"]["rentedeel"] == pytest.approx(-21.175)
    assert np.isclose(s["fonds"][-1]["saldo"], -9.075)


def test_workbook_errors_name_sheet_and_row(demo_2013, tmp_path):
    from openpyxl import load_workbook

    from opengrex.errors import InputError
    from opengrex.io.xlsx_programma import export_programme_xlsx, import_programme_xlsx

    path = tmp_path / "programma.xlsx"
    export_programme_xlsx(demo_2013, path)
    wb = load_workbook(path)
    wb["Projecten"]["D3"] = "Rijk"  # voorfinancierder of the second project
    wb["Partners"]["B2"] = 0.9  # shares no longer 100%
    wb.save(path)
    with pytest.raises(InputError) as e:
        import_programme_xlsx(path)
    text = str(e.value)
    assert "blad Projecten, rij 3" in text and "onbekende voorfinancierder" in text
    assert "aandelen van de partners tellen op tot" in text


def test_project_starting_later_with_an_opening_book_value(small):
    """A project that starts after the grid start carries its opening book value into the year before its start:
    the same NCW as the grex on its own (end timing)."""
    small["projecten"][2]["grex"] = dict(small["projecten"][2]["grex"], start_year=2022, opening_book_value=-5.0)
    small["projecten"][2]["grex"]["kosten"][0]["phasing"] = {2022: 10.0}
    prog = programme_from_dict(small)
    res = calculate_programme(prog)
    g = prog.projecten[2].grex.model_copy(update={"rente": 0.10, "disconteringsvoet": 0.0})
    assert res.projects_frame().loc["O", "ncw"] == pytest.approx(calculate_grex(g).ncw)  # -5*1.1 - 10 = -15.5; *1.1
    assert res.projects_frame().loc["O", "ncw"] == pytest.approx((-5.0 * 1.1 - 10.0) * 1.1)
    assert res.nominaal == pytest.approx(0.0 - 5.0)


def test_explain_names_rule_and_source(small):
    res = calculate_programme(programme_from_dict(small))
    ex = res.explain("rentedeel")
    assert ex["waarde"] == pytest.approx(-21.175) and "seed 000" in ex["bron"]
    assert res.explain("fonds")["waarde"] == pytest.approx(-9.075)


def test_add_project_override_from_a_file(small, tmp_path):
    import yaml

    new = copy.deepcopy(small["projecten"][2])
    new["name"] = "Nieuw"
    path = tmp_path / "nieuw.yaml"
    path.write_text(yaml.safe_dump(new, allow_unicode=True), encoding="utf-8")
    o = parse_override(f"toevoegen:{path}")
    prog = apply_override(programme_from_dict(small), o)
    assert prog.project_names()[-1] == "Nieuw"
