"""The rules one by one, hand-computed per table and per complexity factor (scalar and array inputs), and the
vectorised batch equal to plan-by-plan results."""
from __future__ import annotations

import numpy as np
import pytest
from plk_helpers import plan

from opengrex.engine import plankosten as E
from opengrex.parameters.plankosten import GRONDSLAGEN, load_plankosten_parameters
from opengrex.services.plankosten import calculate_plankosten, calculate_plankosten_batch, plankosten_from_dict, tabellen_for


def _calc(**changes):
    return calculate_plankosten(plankosten_from_dict(plan(**changes)))


def _regel(res, rid):
    return next(r for r in res.regels(alle=True) if r["id"] == rid)


# ------------------------------------------------------------------ tabel 2 and bands
def test_tabel2_bands_lower_bound_inclusive_scalar_and_array():
    t = tabellen_for(load_plankosten_parameters("2024-05-01"), "XXXIV")
    edges, hours = t.tabel["tabel2_vanaf"], t.tabel["tabel2_uren"]
    assert list(E.tabel2_uren(0.49, edges, hours)) == [100, 38, 60, 25]  # < 0,5 ha
    assert list(E.tabel2_uren(1.0, edges, hours)) == [300, 113, 200, 75]  # 1 - 3 ha (1 ha itself)
    got = E.tabel2_uren(np.array([0.2, 0.5, 12.0, 50.0, 80.0]), edges, hours)[:, 0]
    assert list(got) == [100, 200, 500, 700, 700]
    assert list(E.op_grens(np.array([1.0, 1.5, 0.0]), edges)) == [True, False, False]


def test_tabel2_xxxiva_has_its_own_hours():
    t = tabellen_for(load_plankosten_parameters("2024-05-01"), "XXXIVa")
    assert list(E.tabel2_uren(2.0, t.tabel["tabel2_vanaf"], t.tabel["tabel2_uren"])[:2]) == [200, 113]


# ------------------------------------------------------------------ tabel 3: the tariff of each row
@pytest.mark.parametrize("peildatum, rid, tarief", [
    ("2024-05-01", "1.1a.uitwerken", 149), ("2024-05-01", "1.1a.projectmanagement", 169), ("2024-05-01", "1.1a.communicatie", 130),
    ("2024-11-01", "1.1a.uitwerken", 151), ("2024-11-01", "1.1a.projectmanagement", 171), ("2024-11-01", "1.1a.communicatie", 132),
    ("2026-08-01", "1.1a.uitwerken", 158), ("2026-08-01", "1.1a.projectmanagement", 179), ("2026-08-01", "1.1a.communicatie", 138),
])
def test_tabel3_tariff_per_version(peildatum, rid, tarief):
    res = _calc(peildatum=peildatum)
    assert _regel(res, rid)["tarief"] == tarief


# ------------------------------------------------------------------ tabel 5 (2024): each indicator
@pytest.mark.parametrize("ligging, pct", [("uitleglocatie", 0), ("uitbreidingslocatie", 0), ("inbreidingslocatie", 25),
                                          ("binnenstedelijke_locatie", 50), ("historische_locatie", 100)])
def test_indicator_i_ligging(ligging, pct):
    res = _calc(ligging=ligging)
    assert res.outcome.indicatoren[0, 0] == pct


@pytest.mark.parametrize("n, pct", [(0, 0), (1, 10), (2, 20), (3, 20)])
def test_indicator_iii_bekrachtigingen_10_per_procedure_max_20(n, pct):
    assert _calc(bekrachtigingsprocedures=n).outcome.indicatoren[0, 2] == pct


@pytest.mark.parametrize("programma, pct", [
    ({"woningen": 20}, 0),  # alleen woningbouw
    ({"bedrijvigheid": {"uitgeefbaar_m2": 5000}}, -25),  # alleen bedrijvigheid
    ({"woningen": 20, "commercieel": {"bvo_m2": 500}}, 20),  # 10 + 10
    ({"woningen": 20, "maatschappelijk": {"bvo_m2": 500}}, 35),  # 10 + 25
    ({"woningen": 20, "commercieel": {"bvo_m2": 1}, "maatschappelijk": {"bvo_m2": 1}}, 45),  # 10 + 10 + 25
    ({"commercieel": {"bvo_m2": 500}}, 10),  # alleen commerciële functies: hun eigen 10%
    ({"woningen": 20, "bedrijvigheid": {"uitgeefbaar_m2": 500}}, 0),  # geen categorie: 0 (interpretatie)
])
def test_indicator_iv_programma(programma, pct):
    res = _calc(programma=programma)
    assert res.outcome.indicatoren[0, 3] == pct
    flagged = any(x["id"] == "programma-wonen-bedrijvigheid" for x in res.interpretaties())
    assert flagged == ("bedrijvigheid" in programma and "woningen" in programma)


@pytest.mark.parametrize("onderzoeken, pct", [([], 0), (["bodemsanering"], 20), (["archeologie", "bodemsanering"], 30),
                                              (["mer", "luchtkwaliteit"], 50)])
def test_indicator_v_highest_investigation(onderzoeken, pct):
    assert _calc(onderzoeken=onderzoeken).outcome.indicatoren[0, 4] == pct


@pytest.mark.parametrize("woningen, pct", [(59, 0), (60, -100), (199, -100), (200, -150)])
def test_indicator_vi_density_per_ha_gross(woningen, pct):
    # 2 ha: 30 won/ha at 60, 100 won/ha at 200 (lower bound inclusive)
    assert _calc(programma={"woningen": woningen}).outcome.indicatoren[0, 5] == pct


def test_woonequivalenten_2024_by_bvo_and_2025_bedrijven_by_land():
    bvo, land = np.array([[1000.0, 500.0, 0.0]]), np.array([[3000.0, 800.0, 0.0]])
    assert E.woonequivalenten(np.array([10.0]), bvo, land, 100, "bvo")[0] == 10 + 15
    assert E.woonequivalenten(np.array([10.0]), bvo, land, 100, "bvo_of_uitgeefbaar")[0] == 10 + 30 + 5


# ------------------------------------------------------------------ factors: average (2024) and sum (2026)
def test_complexiteitsfactor_average_of_tabel4_members():
    ind = np.array([[50.0, 150.0, 10.0, 45.0, 50.0, -100.0], [0, 0, 0, 0, 0, 0]])
    leden = np.array([[1, 1, 1, 1, 1, 0], [1, 1, 0, 0, 1, 1], [0, 0, 0, 0, 0, 0]], dtype=bool)
    f = E.complexiteitsfactor_2024_01(ind, leden)
    assert f[0] == pytest.approx([(50 + 150 + 10 + 45 + 50) / 500, (50 + 150 + 50 - 100) / 400, 0.0])
    assert list(f[1]) == [0, 0, 0]


def test_invloedsfactor_2026_is_the_sum_of_the_named_indicators():
    ind = np.array([[10.0, 15.0, 2.0, 4.0, 10.0, -5.0]])
    leden = np.array([[1, 1, 1, 1, 1, 0], [1, 1, 0, 1, 1, 1], [0, 0, 0, 1, 0, 0]], dtype=bool)
    assert E.invloedsfactor_2026_07(ind, leden)[0] == pytest.approx([0.41, 0.34, 0.04])


def test_2026_caps_of_programme_and_investigations():
    res = _calc(peildatum="2026-08-01", producten=["1.1a"], onderzoeken=["mer", "luchtkwaliteit", "archeologie"],
                programma={"woningen": 20, "bedrijvigheid": {"uitgeefbaar_m2": 10}, "commercieel": {"bvo_m2": 10}, "maatschappelijk": {"bvo_m2": 10}})
    ind = res.outcome.indicatoren[0]
    assert ind[3] == 10  # 2 + 2 + 2 + 5 = 11 -> max 10
    assert ind[4] == 10  # 8 + 6 + 5 = 19 -> max 10
    assert res.factor("algemeen") == pytest.approx(0.20)


def test_2026_herverkaveling_and_verwerving_bands():
    base = dict(peildatum="2026-08-01", herstructurering=True)
    assert _calc(**base, aandeel_openbaar_gebied_herverkaveld=0.1).outcome.indicatoren[0, 1] == 10
    assert _calc(**base, aandeel_openbaar_gebied_herverkaveld=0.5).outcome.indicatoren[0, 1] == 20
    assert _calc(**base, aandeel_openbaar_gebied_herverkaveld=0.9).outcome.indicatoren[0, 1] == 25
    assert _calc(peildatum="2026-08-01", bekrachtigingsprocedures=3).outcome.indicatoren[0, 2] == 5
    assert _calc(peildatum="2026-08-01", tijdvak="zonder", producten=["1.1a"], bekrachtigingsprocedures=3).outcome.indicatoren[0, 2] == 2


def test_factor_is_applied_only_to_rows_marked_ja():
    res = _calc(ligging="binnenstedelijke_locatie", producten=["1.1a", "1.3"])
    assert _regel(res, "1.1a.uitwerken")["factor"] == pytest.approx(0.10)  # (50 + 0 + 0 + 0 + 0) / 5
    assert _regel(res, "1.3.woonfuncties")["factor"] == 0  # beeldkwaliteitsplan: 'Nee'


# ------------------------------------------------------------------ art. 13.3 and 2.7
@pytest.mark.parametrize("factor, jaren", [(0.0, 2), (0.30, 2), (0.301, 3), (0.4999, 3), (0.50, 4), (0.73, 4)])
def test_historische_looptijd_art_13_3(factor, jaren):
    assert E.historische_looptijd(factor, 30, 50, [2, 3, 4]) == jaren


def test_projectmanagementassistent_only_above_30_percent():
    low = _calc(producten=["2.7"], looptijd={"jaren_na_vaststelling": 5})
    high = _calc(producten=["2.7"], looptijd={"jaren_na_vaststelling": 5}, herstructurering=True)  # (0+150+0+0+0)/5 = 30% -> not above
    higher = _calc(producten=["2.7"], looptijd={"jaren_na_vaststelling": 5}, herstructurering=True, onderzoeken=["bodemsanering"])  # 34%
    assert _regel(low, "2.7.projectmanagementassistent")["bedrag"] == 0
    assert _regel(high, "2.7.projectmanagementassistent")["bedrag"] == 0
    r = _regel(higher, "2.7.projectmanagementassistent")
    assert r["uren"] == pytest.approx((5 + 3) * 100)  # looptijd 5 + historisch 3 (34%)
    assert r["bedrag"] == pytest.approx(800 * 118 * 1.34)
    assert any(x["id"] == "pma-drempel-130" for x in higher.interpretaties())


# ------------------------------------------------------------------ tabel 6: verrekenfactoren
@pytest.mark.parametrize("aantal, europees, factor", [(1, False, 1.0), (2, False, 1.08), (3, False, 1.16), (1, True, 1.0), (2, True, 1.33), (3, True, 1.66)])
def test_verrekenfactor_aanbestedingsvorm(aantal, europees, factor):
    assert E.verrekenfactor_aanbestedingsvorm(aantal, europees, 0.08, 0.33) == pytest.approx(factor)


def test_verrekenfactor_type_and_asbest():
    assert E.verrekenfactor_sloop_type(np.array([0.0, 0.4, 1.0]), 0.5) == pytest.approx([1.0, 0.8, 0.5])
    assert E.verrekenfactor_asbest(np.array([0.124, 0.125, 0.0]), True) == pytest.approx([1.12, 1.13, 1.0])
    assert E.verrekenfactor_asbest(0.124, False) == pytest.approx(1.124)
    assert E.sloopweken(3000, 8, 300, 40) == pytest.approx(2.0)


# ------------------------------------------------------------------ tabel 7: bestek and rapportage of ophogen
def test_tabel7_bands_clip_and_deelgebieden():
    t = tabellen_for(load_plankosten_parameters("2024-05-01"), "XXXIV")
    g, b = t.tabel["tabel7_groter_dan"], t.tabel["tabel7_bestek"]
    amount, minimum = E.ophogen_tabel7(np.array([4.0, 10.0, 12.0, 15.0, 40.0, 120.0, 0.0]), 1, g, b[:, 0], b[:, 1], b[:, 2])
    assert list(amount) == pytest.approx([12685, 12685, max(12 * 1150, 12685), 17213, 40 * 975, 63750, 0])
    assert list(minimum[:3]) == [12685, 12685, 12685]
    two, _ = E.ophogen_tabel7(24.0, 2, g, b[:, 0], b[:, 1], b[:, 2])  # 2 deelgebieden of 12 ha: band 10-15
    assert two == pytest.approx(2 * max(12 * 1150, 12685))


# ------------------------------------------------------------------ tabel 8 / 2026 tabel 7 and 11: deelgebieden
@pytest.mark.parametrize("openbaar, factor", [(0.30, 1.00), (0.40, 1.00), (0.45, 1.05), (0.50, 1.10), (0.60, 1.20), (0.80, 1.20)])
def test_tabel8_factor_above_40_percent(openbaar, factor):
    assert E.deelgebieden_tabel8(10.0, openbaar, 2.5, 40, 0.01, 1.2) == pytest.approx(4 * factor)


@pytest.mark.parametrize("ha, uitgeefbaar, n", [(0.4, 0.3, 0.25), (0.8, 0.6, 0.5), (4.0, 3.0, 2.0), (12.0, 9.0, 12 / 2.5), (12.0, 6.0, 12 / 2.5 * 1.15)])  # 50% openbaar = 125% of the 40% norm: band 125-137,5% -> 1,15
def test_2026_deelgebieden_tabel11_and_tabel7(ha, uitgeefbaar, n):
    res = _calc(peildatum="2026-08-01", kostenverhaalsgebied={"oppervlakte_ha": ha, "uitgeefbaar_ha": uitgeefbaar}, producten=["2.3d"])
    assert res.outcome.grondslagen[0, res.tabellen.grondslagen.index("deelgebieden")] == pytest.approx(n)


# ------------------------------------------------------------------ art. 13.4, 13.5 and the minimum of 2.1
def test_evenredige_toedeling_art_13_4():
    whole = _calc(kostenverhaalsgebied={"oppervlakte_ha": 2.0, "uitgeefbaar_ha": 1.2, "oppervlakte_besluit_ha": 8.0})
    # tabel 2 read at 8 ha (5-10 ha: 450 / 173), times 2 / 8
    assert _regel(whole, "1.1a.uitwerken")["bedrag"] == pytest.approx(450 * 149 * 0.25)
    assert any(x["id"] == "toedeling-13-4" for x in whole.interpretaties())


def test_kleine_bouwactiviteit_replaces_the_non_civil_products():
    res = _calc(kleine_bouwactiviteit="a", producten=["2.6a"], slopen={"bestekken": 1, "m3": 0})
    assert res.vast_bedrag == 7623
    assert res.totaal == pytest.approx(7623 + 12 * 118 + 4 * 149)  # art. 13.5 a + bestek (TG 11) + projectleiding aanbesteding (TG 9)


def test_taxatie_minimum_20_hours_tops_up():
    res = _calc(producten=["2.1"], taxatie={"methode": "onafhankelijk", "percelen_bebouwd": 1})  # 2 + 16 = 18 uur
    top = _regel(res, "2.1.onafhankelijk_minimum")
    assert top["uren"] == pytest.approx(2.0)
    assert _regel(res, "2.1.onafhankelijk_pm")["uren"] == pytest.approx(0.05 * 20)
    assert any(x["id"] == "taxatie-minimum-20" for x in res.interpretaties())


def test_hertaxaties_default_once_per_five_years():
    res = _calc(producten=["2.1"], taxatie={"methode": "woz", "percelen_bebouwd": 4}, looptijd={"jaren_na_vaststelling": 12})
    assert _regel(res, "2.1.hertaxatie_woz")["uren"] == pytest.approx(2 * 4 * 0.25)  # ceil(12/5) - 1 = 2
    assert any(x["id"] == "hertaxatie-aantal" for x in res.interpretaties())


def test_partieel_ophogen_refers_to_integraal_rows_without_choosing_them():
    res = _calc(producten=["2.6c"], ophogen={"oppervlakte_ha": 1, "m3": 5000, "zettingsjaren": 1})
    assert _regel(res, "2.6c.bestek")["bedrag"] == pytest.approx(1.5 * 12685)
    assert _regel(res, "2.6c.veldonderzoek")["bedrag"] == pytest.approx(max(0.35 * 5074, 1526))
    assert not any(r["product"] == "2.6b" for r in res.regels())


# ------------------------------------------------------------------ batch and dated formulas
def test_batch_equals_plan_by_plan_and_mixes_versions():
    plans = [plankosten_from_dict(plan(peildatum=p, ligging=lg)) for p, lg in
             (("2024-05-01", "uitleglocatie"), ("2026-08-01", "inbreidingslocatie"), ("2024-05-01", "historische_locatie"), ("2024-11-01", "uitleglocatie"))]
    batch = calculate_plankosten_batch(plans)
    single = [calculate_plankosten(p) for p in plans]
    assert [b.totaal for b in batch] == pytest.approx([s.totaal for s in single])
    assert [b.versie for b in batch] == ["2024-01-01", "2026-07-01", "2024-01-01", "2024-10-01"]
    assert batch[0].outcome is batch[2].outcome  # one engine call per version and annex


def test_each_method_has_its_dated_formulas_and_grondslagen():
    assert set(E.FORMULES) == set(GRONDSLAGEN)
    assert E.FORMULES["2024_01"].factor is E.complexiteitsfactor_2024_01
    assert E.FORMULES["2026_07"].factor is E.invloedsfactor_2026_07
    for day in ("2024-05-01", "2026-08-01"):
        ps = load_plankosten_parameters(day)
        for bijlage in ("XXXIV", "XXXIVa"):
            t = tabellen_for(ps, bijlage)
            x = __import__("opengrex.model.plankosten", fromlist=["compile_plans"]).compile_plans([plankosten_from_dict(plan(peildatum=day, producten=[]))], t)
            g, _, _ = E.FORMULES[ps.methode].grondslagen(x, t, np.zeros(1))
            assert set(g) == set(GRONDSLAGEN[ps.methode])


def test_every_rule_function_carries_its_source():
    from opengrex.engine.explain import resolve, rule_of

    for fn in (E.tabel2_uren, E.evenredige_toedeling, E.woonequivalenten, E.historische_looptijd, E.verrekenfactor_aanbestedingsvorm,
               E.ophogen_tabel7, E.deelgebieden_tabel8, E.indicatoren_2024_01, E.complexiteitsfactor_2024_01, E.indicatoren_2026_07,
               E.invloedsfactor_2026_07, E.grondslagen_2024_01, E.grondslagen_2026_07, E.uren, E.vaste_bedragen, E.calculate):
        info = rule_of(fn)
        assert "Omgevingsregeling" in info.bron or "art. 13" in info.bron
        assert resolve(info.function) is fn
