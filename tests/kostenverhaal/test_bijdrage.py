"""Financiële bijdrage ter verbetering van de fysieke leefomgeving: the six steps of §4.1 of the Nota Kostenverhaal
Soest 2023, hand-computed on a small 2-area tree (Gemeente Soest > Kern Soest), through the engine and the API.

Hand example (all figures computed in the comments, not taken from the engine):

* grondquotes overridden to sociaal 10% / midden 20% / duur 30%, btw 21%, WOZ 242.000 / 363.000 / 605.000:
  WOZ excl. btw = 200.000 / 300.000 / 500.000; grondwaarde = 20.000 / 60.000 / 150.000; weights 1 / 3 / 7,5.
* investments: Kern hard 1.000.000 − 100.000 − 50.000 − 30.000 − 20.000 = 800.000 (100%); Kern zacht 400.000 → 200.000
  (50%); Gemeente hard 600.000 − 100.000 = 500.000; Gemeente nader te bepalen 300.000 → 0. Per area: Kern 1.000.000,
  Gemeente 500.000.
* existing homes: Gemeente 1.000 (incl. the kern), Kern 600.
* plans: P1 Kern hard 20/10/30; P2 Kern zacht 20/0/20 (counts 10/0/10); P3 Kern nader te bepalen 0/0/100 (counts 0);
  P4 Gemeente (buitengebied) hard 0/0/20. New homes: Kern 30/10/40 = 80; Gemeente 30/10/60 = 100.
* share new: Kern 80/680; Gemeente 100/1.100 = 1/11. Amount new: Kern 1.000.000 × 80/680 = 117.647,06;
  Gemeente 500.000/11 = 45.454,55.
* units: Kern 30 + 30 + 300 = 360; Gemeente 30 + 30 + 450 = 510. Price: Kern 117.647,06/360; Gemeente 45.454,55/510.
* rates = price × weight; a plan in the Kern pays the Kern's and the Gemeente's rates.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opengrex.engine import bijdrage as eng
from opengrex.errors import InputError
from opengrex.reference.bijdrage import bereken_per_plan_loop
from opengrex.services.bijdrage import (
    bijdrage_input_from_dict,
    calculate_bijdrage,
    load_bijdrage_input,
    plan_contribution,
    rates_for_plan,
)

EXAMPLE = "examples/kostenverhaal/soest-bijdrage-illustratief.yaml"

K_AMOUNT = 1_000_000 * 80 / 680
G_AMOUNT = 500_000 / 11
K_PRICE = K_AMOUNT / 360
G_PRICE = G_AMOUNT / 510
WEIGHTS = [1.0, 3.0, 7.5]


def hand_input(**changes):
    data = {
        "naam": "Handvoorbeeld",
        "parameterset": "soest",
        "peildatum": "2024-01-01",
        "parameters": {"grondquotes": {"sociaal": 0.10, "midden": 0.20, "duur": 0.30}},
        "gebieden": [{"naam": "Gemeente Soest", "bestaande_woningen": 1000}, {"naam": "Kern Soest", "bestaande_woningen": 600}],
        "woz": {"sociaal": 242000, "midden": 363000, "duur": 605000},
        "investeringen": [
            {"naam": "I1", "gebied": "Kern Soest", "categorie": "hard", "bruto": 1_000_000, "subsidies": 100_000,
             "externe_bijdragen": 50_000, "onderhoudsbudget": 30_000, "gebruikersopbrengsten": 20_000},
            {"naam": "I2", "gebied": "Kern Soest", "categorie": "zacht", "bruto": 400_000},
            {"naam": "I3", "gebied": "Gemeente Soest", "categorie": "hard", "bruto": 600_000, "subsidies": 100_000},
            {"naam": "I4", "gebied": "Gemeente Soest", "categorie": "nader_te_bepalen", "bruto": 300_000},
        ],
        "plannen": [
            {"naam": "P1", "gebied": "Kern Soest", "hardheid": "hard", "woningen": {"sociaal": 20, "midden": 10, "duur": 30}},
            {"naam": "P2", "gebied": "Kern Soest", "hardheid": "zacht", "woningen": {"sociaal": 20, "duur": 20}},
            {"naam": "P3", "gebied": "Kern Soest", "hardheid": "nader_te_bepalen", "woningen": {"duur": 100}},
            {"naam": "P4", "gebied": "Gemeente Soest", "hardheid": "hard", "woningen": {"duur": 20}},
        ],
    }
    data.update(changes)
    return data


@pytest.fixture(scope="module")
def hand():
    return calculate_bijdrage(bijdrage_input_from_dict(hand_input()))


# --- step by step (API tables) ------------------------------------------------------------------------------------

def test_stap1_en_2_tabel1_bruto_naar_netto_en_meetellend(hand):
    t1 = hand.tabel1()
    assert list(t1.netto) == pytest.approx([800_000, 400_000, 500_000, 300_000])
    assert list(t1.meetellend) == pytest.approx([800_000, 200_000, 500_000, 0])
    cats = hand.tabel1_categorieen().set_index("categorie")
    assert cats.loc["hard", "meetellend"] == pytest.approx(1_300_000)
    assert cats.loc["zacht", "meetellend"] == pytest.approx(200_000)
    assert cats.loc["nader te bepalen", "meetellend"] == 0


def test_stap3_tabel2_bestaand_versus_nieuw(hand):
    t2 = hand.tabel2().set_index("gebied")
    assert t2.loc["Kern Soest", "nieuwe_woningen"] == pytest.approx(80)
    assert t2.loc["Gemeente Soest", "nieuwe_woningen"] == pytest.approx(100)
    assert t2.loc["Kern Soest", "aandeel_nieuw"] == pytest.approx(80 / 680)
    assert t2.loc["Gemeente Soest", "aandeel_nieuw"] == pytest.approx(1 / 11)
    assert t2.loc["Kern Soest", "bedrag_nieuw"] == pytest.approx(K_AMOUNT)
    assert t2.loc["Gemeente Soest", "bedrag_nieuw"] == pytest.approx(G_AMOUNT)
    assert t2.loc["Kern Soest", "bedrag_bestaand"] == pytest.approx(1_000_000 - K_AMOUNT)
    assert t2.loc["Kern Soest", "ligt_in"] == "Gemeente Soest"


def test_stap4_tabel3_wegingsfactoren(hand):
    t3 = hand.tabel3().set_index("segment")
    assert list(t3.woz_excl_btw) == pytest.approx([200_000, 300_000, 500_000])
    assert list(t3.grondwaarde) == pytest.approx([20_000, 60_000, 150_000])
    assert list(t3.wegingsfactor) == pytest.approx(WEIGHTS)


def test_stap5_tabel4_prijs_per_eenheid(hand):
    t4 = hand.tabel4().set_index("gebied")
    assert t4.loc["Kern Soest", "gewogen_eenheden"] == pytest.approx(360)
    assert t4.loc["Gemeente Soest", "gewogen_eenheden"] == pytest.approx(510)
    assert t4.loc["Kern Soest", "prijs_per_eenheid"] == pytest.approx(K_PRICE)
    assert t4.loc["Gemeente Soest", "prijs_per_eenheid"] == pytest.approx(G_PRICE)


def test_stap6_tabel5_tarieven_en_plan_in_kern_betaalt_kern_en_gemeente(hand):
    t5 = hand.tabel5().set_index("gebied")
    assert list(t5.loc["Kern Soest"]) == pytest.approx([K_PRICE * w for w in WEIGHTS])
    assert list(t5.loc["Gemeente Soest"]) == pytest.approx([G_PRICE * w for w in WEIGHTS])
    cum = hand.tabel5_voor_plan().set_index("gebied")
    assert list(cum.loc["Kern Soest", ["sociaal", "midden", "duur"]]) == pytest.approx([(K_PRICE + G_PRICE) * w for w in WEIGHTS])
    assert list(cum.loc["Gemeente Soest", ["sociaal", "midden", "duur"]]) == pytest.approx([G_PRICE * w for w in WEIGHTS])
    r = rates_for_plan(hand, "Kern Soest")
    assert list(r.gebied) == ["Kern Soest", "Gemeente Soest", "Totaal"]


def test_plan_contribution_sums_over_every_area_containing_the_plan(hand):
    res = plan_contribution(hand, "Kern Soest", {"sociaal": 10, "midden": 10, "duur": 10})
    # 10 × (1 + 3 + 7,5) × (price Kern + price Gemeente)
    assert res["totaal"] == pytest.approx(10 * 11.5 * (K_PRICE + G_PRICE))
    assert [p["gebied"] for p in res["per_gebied"]] == ["Kern Soest", "Gemeente Soest"]
    assert res["per_gebied"][1]["bedrag"] == pytest.approx(10 * 11.5 * G_PRICE)
    # a plan in the buitengebied pays the gemeente only
    assert plan_contribution(hand, "Gemeente Soest", {"duur": 4})["totaal"] == pytest.approx(4 * 7.5 * G_PRICE)


def test_plans_frame_every_home_built_pays_whatever_its_hardness(hand):
    pf = hand.plannen_frame().set_index("plan")
    assert pf.loc["P3", "bijdrage"] == pytest.approx(100 * 7.5 * (K_PRICE + G_PRICE))


def test_voorbeeld_4_plan_of_30_homes_in_soesterberg_pays_10x_10y_10z():
    """Bijlage A5 voorbeeld 4: 10 sociaal, 10 midden, 10 duur in kern Soesterberg → 10x + 10y + 10z, with x, y, z
    the rates per home a plan in Soesterberg pays (kern + gemeente)."""
    res = calculate_bijdrage(load_bijdrage_input(EXAMPLE))
    cum = res.tabel5_voor_plan().set_index("gebied").loc["Kern Soesterberg"]
    x, y, z = cum["sociaal"], cum["midden"], cum["duur"]
    assert x > 0 and y > x and z > y
    total = plan_contribution(res, "Kern Soesterberg", {"sociaal": 10, "midden": 10, "duur": 10})["totaal"]
    assert total == pytest.approx(10 * x + 10 * y + 10 * z)


def test_to_dict_has_tables_and_parameter_sources(hand):
    d = hand.to_dict()
    for k in ("tabel1", "tabel2", "tabel3", "tabel4", "tabel5", "parameters"):
        assert d[k]
    bronnen = {p["parameter"]: p["bron"] for p in d["parameters"]}
    assert "invoerbestand" in bronnen["grondquote.duur"]
    assert "Nota Kostenverhaal" in bronnen["btw"] or "omzetbelasting" in bronnen["btw"]
    assert "Nota Kostenverhaal" in bronnen["hardheid_plancapaciteit.zacht"]


def test_parameters_come_from_the_set_when_not_overridden():
    data = hand_input()
    data.pop("parameters")
    res = calculate_bijdrage(bijdrage_input_from_dict(data))
    t3 = res.tabel3().set_index("segment")
    # Soest tabel 6: duur 38%, midden 25%, sociaal 13%; btw 21%
    assert list(t3.grondquote) == [0.13, 0.25, 0.38]
    assert t3.loc["duur", "grondwaarde"] == pytest.approx(605_000 / 1.21 * 0.38)
    assert t3.loc["midden", "wegingsfactor"] == pytest.approx((363_000 * 0.25) / (242_000 * 0.13))


# --- engine functions: scalar and array inputs -------------------------------------------------------------------

def test_engine_netto_and_meetellend_scalar_and_batch():
    assert eng.netto_investering(100.0, 10.0, 5.0, 3.0, 2.0) == pytest.approx(80.0)
    b = eng.netto_investering(np.array([[100.0], [200.0]]), 10.0, 0.0, 0.0, 0.0)
    assert b.ravel().tolist() == [90.0, 190.0]
    m = eng.meetellende_investering(np.array([10.0, 10.0, 10.0]), np.array([0, 1, 2]), np.array([1.0, 0.5, 0.0]))
    assert m.tolist() == [10.0, 5.0, 0.0]


def test_engine_containment_of_a_three_level_tree():
    # 0 gemeente > 1 kern > 2 wijk; 3 kern2 in gemeente
    c = eng.containment(np.array([-1, 0, 1, 0]))
    assert c[:, 2].tolist() == [True, True, True, False]
    assert c[:, 3].tolist() == [True, False, False, True]
    assert c[:, 0].tolist() == [True, False, False, False]


def test_engine_batch_axis_equals_separate_runs(hand):
    x = hand.arrays
    woz2 = np.stack([x.woz, x.woz * np.array([1.0, 1.1, 1.2])])
    from dataclasses import replace

    batch = eng.calculate(replace(x, woz=woz2, btw=np.array([0.21, 0.21]), grondquote=np.stack([x.grondquote] * 2)))
    for i in range(2):
        single = eng.calculate(replace(x, woz=woz2[i]))
        np.testing.assert_allclose(batch.tarief[i], single.tarief)
        np.testing.assert_allclose(batch.plan_bijdrage[i], single.plan_bijdrage)


def test_engine_vectorised_equals_per_plan_loop(hand):
    np.testing.assert_allclose(hand.outcome.plan_bijdrage, bereken_per_plan_loop(hand.arrays))


# --- property: Σ rate × hardness-weighted plan homes per area = amount for new plans ------------------------------

@st.composite
def random_case(draw):
    n_areas = draw(st.integers(1, 6))
    parent = [-1] + [draw(st.integers(0, i - 1)) for i in range(1, n_areas)]
    n_plans = draw(st.integers(0, 12))
    n_inv = draw(st.integers(0, 6))
    money = st.floats(0, 1e7, allow_nan=False)
    homes = st.floats(0, 500, allow_nan=False)
    return eng.BijdrageArrays(
        parent=np.array(parent),
        bestaand=np.array([draw(st.floats(0, 1e4)) for _ in range(n_areas)]),
        inv_gebied=np.array([draw(st.integers(0, n_areas - 1)) for _ in range(n_inv)], dtype=int),
        inv_categorie=np.array([draw(st.integers(0, 2)) for _ in range(n_inv)], dtype=int),
        bruto=np.array([draw(money) for _ in range(n_inv)]) + 1e6,
        subsidies=np.array([draw(st.floats(0, 1e6)) for _ in range(n_inv)]),
        externe_bijdragen=np.zeros(n_inv), onderhoudsbudget=np.zeros(n_inv), gebruikersopbrengsten=np.zeros(n_inv),
        inv_gewicht=np.array([1.0, 0.5, 0.0]),
        woningen=np.array([[draw(homes) for _ in range(3)] for _ in range(n_plans)]).reshape(n_plans, 3),
        plan_gebied=np.array([draw(st.integers(0, n_areas - 1)) for _ in range(n_plans)], dtype=int),
        plan_hardheid=np.array([draw(st.integers(0, 2)) for _ in range(n_plans)], dtype=int),
        plan_gewicht=np.array([1.0, 0.5, 0.0]),
        woz=np.array([draw(st.floats(5e4, 2e6)) for _ in range(3)]),
        btw=np.float64(0.21),
        grondquote=np.array([draw(st.floats(0.05, 0.6)) for _ in range(3)]),
    )


@settings(max_examples=60, deadline=None)
@given(random_case())
def test_property_rates_times_weighted_new_homes_recover_the_amount_for_new_plans(x):
    o = eng.calculate(x)
    recovered = (o.tarief * o.nieuw_per_segment).sum(axis=-1)
    has_units = o.eenheden > 0
    np.testing.assert_allclose(recovered[has_units], o.bedrag_nieuw[has_units], rtol=1e-9, atol=1e-6)
    # no weighted new homes → share 0 → nothing to recover and a zero rate
    assert np.all(o.bedrag_nieuw[~has_units] == 0)
    assert np.all(o.tarief >= 0)
    np.testing.assert_allclose(o.plan_bijdrage, bereken_per_plan_loop(x), rtol=1e-9, atol=1e-6)


# --- bad input ----------------------------------------------------------------------------------------------------

def _err(data) -> InputError:
    with pytest.raises(InputError) as ei:
        calculate_bijdrage(bijdrage_input_from_dict(data))
    return ei.value


def test_unknown_area_of_an_investment_names_field_and_allowed():
    d = hand_input()
    d["investeringen"][0]["gebied"] = "Kern Atlantis"
    e = _err(d)
    assert "investeringen[0].gebied" in str(e) and "Kern Atlantis" in str(e) and "Kern Soest" in str(e)


def test_plan_in_no_area():
    d = hand_input()
    d["plannen"][1]["gebied"] = "Nergens"
    e = _err(d)
    assert "plannen[1].gebied" in str(e) and "plan ligt in geen bekend gebied" in str(e)


def test_area_not_in_parameter_set():
    d = hand_input()
    d["gebieden"].append({"naam": "Kern Baarn", "bestaande_woningen": 10})
    e = _err(d)
    assert "Kern Baarn" in str(e) and "Kern Soesterberg" in str(e)


def test_enclosing_area_missing_from_input():
    d = hand_input()
    d["gebieden"] = [{"naam": "Kern Soest", "bestaande_woningen": 600}]
    d["investeringen"] = []
    d["plannen"] = []
    assert "Gemeente Soest" in str(_err(d))


@pytest.mark.parametrize("where, value", [
    (("plannen", 0, "woningen", "duur"), -1),
    (("gebieden", 1, "bestaande_woningen"), -5),
    (("investeringen", 1, "bruto"), -400_000),
    (("investeringen", 0, "subsidies"), -1),
])
def test_negative_counts_and_amounts_are_rejected(where, value):
    d = hand_input()
    node = d
    for k in where[:-1]:
        node = node[k]
    node[where[-1]] = value
    e = _err(d)
    assert "negatief" in str(e)


def test_deductions_larger_than_gross_is_rejected():
    d = hand_input()
    d["investeringen"][2]["subsidies"] = 700_000
    assert "onrendabele top" in str(_err(d))


def test_unknown_parameter_set_and_peildatum_before_first_version():
    e = _err(hand_input(parameterset="atlantis"))
    assert "onbekende parameterset" in str(e) and "soest" in str(e)
    e = _err(hand_input(peildatum="2001-01-01"))
    assert "peildatum" in str(e) and "2023-07-01" in str(e)


def test_existing_homes_of_parent_less_than_children():
    d = hand_input()
    d["gebieden"][0]["bestaande_woningen"] = 100
    assert "deelgebieden" in str(_err(d))


def test_own_area_tree_with_cycle_is_rejected():
    d = hand_input(eigen_gebieden=True)
    d["gebieden"] = [{"naam": "A", "ligt_in": "B", "bestaande_woningen": 1}, {"naam": "B", "ligt_in": "A", "bestaande_woningen": 1}]
    d["investeringen"], d["plannen"] = [], []
    assert "kring" in str(_err(d))


def test_own_area_tree_is_used_when_asked():
    d = hand_input(eigen_gebieden=True)
    d["gebieden"] = [{"naam": "Gemeente X", "bestaande_woningen": 1000}, {"naam": "Kern Soest", "ligt_in": "Gemeente X", "bestaande_woningen": 600}]
    for x in d["investeringen"] + d["plannen"]:
        if x["gebied"] == "Gemeente Soest":
            x["gebied"] = "Gemeente X"
    res = calculate_bijdrage(bijdrage_input_from_dict(d))
    assert res.tabel4().set_index("gebied").loc["Kern Soest", "prijs_per_eenheid"] == pytest.approx(K_PRICE)


def test_plan_contribution_bad_input(hand):
    with pytest.raises(InputError, match="onbekend gebied"):
        plan_contribution(hand, "Kern Atlantis", {"duur": 1})
    with pytest.raises(InputError, match="negatief"):
        plan_contribution(hand, "Kern Soest", {"duur": -1})
    with pytest.raises(InputError, match="onbekend segment"):
        plan_contribution(hand, "Kern Soest", {"villa": 1})
