"""Hand-computed tests for every kostenverhaal rule (spec kostenverhaal.md rules 1-3, 5, 7, 8, PTP), engine
functions with scalar and array inputs, and the case API for the same rules."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml

from opengrex.engine import kostenverhaal as kv
from opengrex.services.kostenverhaal import calculate_case, case_from_dict, case_to_dict, load_case

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "kostenverhaal"


# ------------------------------------------------------------------------------------------ rule 1: macroaftopping
def test_macroaftopping_scalar():
    # cap = max(0, O + S - K_ini)
    assert kv.macroaftopping(3_000_000, 0, 1_850_000) == 1_150_000
    assert kv.macroaftopping(800_000, 50_000, 0) == 850_000
    assert kv.macroaftopping(1_000_000, 0, 1_200_000) == 0  # never below zero


def test_macroaftopping_array():
    got = kv.macroaftopping(np.array([3e6, 2.5e6, 1e6]), 0.0, np.array([1.85e6, 1.85e6, 2e6]))
    np.testing.assert_allclose(got, [1.15e6, 0.65e6, 0.0])


# ------------------------------------------------------------------------------------------ rule 2: volgordelijkheid
def test_volgordelijkheid_hand():
    # demands 750 / 250 / 100 / 0 with budget 650: 650 / 0 / 0 / 0
    np.testing.assert_allclose(kv.volgordelijkheid(650.0, [750.0, 250.0, 100.0, 0.0]), [650, 0, 0, 0])
    # budget 900: 750 / 150 / 0 / 0
    np.testing.assert_allclose(kv.volgordelijkheid(900.0, [750.0, 250.0, 100.0, 0.0]), [750, 150, 0, 0])
    # budget 1050: 750 / 250 / 50 / 0 (the cap bites inside the financiële bijdragen)
    np.testing.assert_allclose(kv.volgordelijkheid(1050.0, [750.0, 250.0, 100.0, 40.0]), [750, 250, 50, 0])
    # batch of two budgets
    np.testing.assert_allclose(kv.volgordelijkheid(np.array([0.0, 2000.0]), np.array([[10.0, 20.0], [10.0, 20.0]])), [[0, 0], [10, 20]])


def test_cap_bites_inside_financiele_bijdragen_case():
    """Opbrengsten 2.000.000, initiatiefnemer costs 1.000.000 → cap 1.000.000. Gemeente: gebiedseigen 600.000,
    bovenwijks 200.000, fysieke leefomgeving 150.000, woningvoorraad 2 × (110.000 − 20.000) = 180.000.
    Kostenverhaal 800.000 fully; then 200.000 left: fysieke leefomgeving 150.000 fully, woningvoorraad 50.000 of
    180.000 (130.000 not recovered)."""
    data = {
        "naam": "cap in de financiële bijdragen",
        "peildatum": "2024-01-01",
        "gebied": "Kern Soest",
        "programma": {"woningen": {"sociaal": 7, "midden": 1, "duur": 12}},
        "initiatiefnemer": {"kosten": [{"kostensoort": "A8", "bedrag": 1_000_000}], "opbrengsten": [{"omschrijving": "grond", "bedrag": 2_000_000}]},
        "gemeente": {"kosten": [{"kostensoort": "A1", "bedrag": 600_000}]},
        "bovenwijkse_voorzieningen": [{"naam": "weg", "bedrag": 1_000_000, "aandeel": 0.2}],
        "financiele_bijdrage_fysieke_leefomgeving": {"bedrag": 150_000},
        "financiele_bijdrage_woningvoorraad": {"grondwaarde": {"sociaal": 20_000, "midden": 40_000, "duur": 110_000}},
    }
    r = calculate_case(case_from_dict(data))
    v = [(c["verhaald"], c["niet_verhaald"]) for c in r.volgordelijkheid()]
    assert v == [(600_000, 0), (200_000, 0), (150_000, 0), (pytest.approx(50_000), pytest.approx(130_000))]
    assert r.cap == 1_000_000
    assert r.exploitatiebijdrage == pytest.approx(1_000_000)
    assert r.macroaftopping == pytest.approx(130_000)
    assert "deels verhaald" in r.volgordelijkheid()[3]["reden"]


# ------------------------------------------------------------------------------------------ rule 3: results
def test_exploitatiebijdrage_and_results():
    """Init saldo = 3.000.000 − 1.850.000 = 1.150.000; gemeente costs 750.000 + 250.000 + 100.000 = 1.100.000
    ≤ cap → E = 1.100.000; result init = 1.150.000 − 1.100.000 = 50.000; gemeente = 1.100.000 − 1.100.000 = 0."""
    r = calculate_case(load_case(EXAMPLES / "voorbeeld-1.yaml"))
    assert r.exploitatiebijdrage == 1_100_000
    assert r.resultaat() == {"initiatiefnemer": 50_000, "gemeente": 0, "totaal": 50_000}
    assert r.row("Exploitatiebijdrage") == {"initiatiefnemer": -1_100_000, "gemeente": 1_100_000, "totaal": 0}
    assert r.row("Macroaftopping")["totaal"] is None


def test_subsidies_raise_the_cap_and_gemeente_subsidies_lower_the_demand():
    """Init: O 900, S 100, K 500 → cap 500. Gemeente: K 700, S 300 → net 400 ≤ 500 → E = 400."""
    data = {
        "naam": "subsidies", "peildatum": "2024-01-01", "gebied": "Kern Soest",
        "initiatiefnemer": {"kosten": [{"kostensoort": "A8", "bedrag": 500}], "opbrengsten": [{"omschrijving": "o", "bedrag": 900}], "subsidies": [{"omschrijving": "s", "bedrag": 100}]},
        "gemeente": {"kosten": [{"kostensoort": "A1", "bedrag": 700}], "subsidies": [{"omschrijving": "provincie", "bedrag": 300}]},
    }
    r = calculate_case(case_from_dict(data))
    assert r.cap == 500
    assert r.exploitatiebijdrage == 400
    assert r.row("subsidies") == {"initiatiefnemer": 100, "gemeente": 300, "totaal": 400}
    assert r.resultaat() == {"initiatiefnemer": 100, "gemeente": 0, "totaal": 100}


# ------------------------------------------------------------------------------------------ rule 7: planschade
def test_planschade_gemeente_is_part_of_exploitatiebijdrage():
    """Gemeente carries expected planschade (A11) 80.000 next to 400.000 plankosten: E = 480.000 (cap 1.000.000)."""
    data = {
        "naam": "planschade", "peildatum": "2024-01-01", "gebied": "Kern Soest",
        "initiatiefnemer": {"opbrengsten": [{"omschrijving": "o", "bedrag": 1_000_000}]},
        "gemeente": {"kosten": [{"kostensoort": "A1", "bedrag": 400_000}, {"kostensoort": "A11", "omschrijving": "Verwachte planschade", "bedrag": 80_000}]},
    }
    r = calculate_case(case_from_dict(data))
    assert r.exploitatiebijdrage == 480_000
    assert r.to_dict()["waarvan_planschade_gemeente"] == 80_000


# ------------------------------------------------------------------------------------------ rule 5: woningvoorraad
@pytest.mark.parametrize(
    "n,shares,expected",
    [
        (20, [0.45, 0.05, 0.50], [9, 1, 10]),  # voorbeeld 3
        (7, [0.45, 0.05, 0.50], [4, 1, 2]),  # ceil(3.15)=4, ceil(0.35)=1, rest 2
        (11, [0.20, 0.80], [3, 8]),  # Soesterberg: ceil(2.2)=3, rest 8
        (10, [0.20, 0.80], [2, 8]),  # exact: 2.0 stays 2 (no float ceil to 3)
        (1, [0.45, 0.05, 0.50], [1, 0, 0]),  # minima limited to what is left
        (0, [0.45, 0.05, 0.50], [0, 0, 0]),
        (100, [0.45, 0.05, 0.50], [45, 5, 50]),
    ],
)
def test_norm_rounding(n, shares, expected):
    np.testing.assert_array_equal(kv.norm_aantallen(n, np.array(shares)), expected)


def test_norm_rounding_batch():
    got = kv.norm_aantallen(np.array([20, 7]), np.array([0.45, 0.05, 0.50]))
    np.testing.assert_array_equal(got, [[9, 1, 10], [4, 1, 2]])


def test_woningvoorraad_bijdrage_hand():
    # realised 7/1/12 vs norm 9/1/10, grondwaarde 20/50/120 (k€): (−2)(20) + 0 + (2)(120) = 200 = 2 × (120 − 20)
    f, diff = kv.woningvoorraad_bijdrage([7, 1, 12], [9, 1, 10], [20.0, 50.0, 120.0])
    assert f == 200.0 and list(diff) == [-2, 0, 2]


def test_grondwaarde_from_woz():
    # WOZ 242.000 / 1,21 × 0,13 = 26.000 ; 484.000 / 1,21 × 0,38 = 152.000
    np.testing.assert_allclose(kv.grondwaarde([242_000, 484_000], [0.13, 0.38], 0.21), [26_000, 152_000])


def test_woningvoorraad_via_woz_in_case():
    """WOZ sociaal 242.000 → 26.000; midden 363.000/1,21×0,25 = 75.000; duur 484.000 → 152.000.
    7/1/12 vs 9/1/10: 2 × (152.000 − 26.000) = 252.000."""
    data = case_to_dict(load_case(EXAMPLES / "voorbeeld-3.yaml"))
    data["financiele_bijdrage_woningvoorraad"] = {"woz": {"sociaal": 242_000, "midden": 363_000, "duur": 484_000}}
    r = calculate_case(case_from_dict(data))
    assert r.inputs.woningvoorraad["grondwaarde_per_woning"] == pytest.approx({"sociaal": 26_000, "midden": 75_000, "duur": 152_000})
    assert r.inputs.woningvoorraad["bedrag"] == pytest.approx(252_000)


def test_soesterberg_group_uses_dearest_segment():
    """Soesterberg 20-80, 10 homes: norm sociaal+midden ≥ 2. Realised 0 sociaal, 1 midden, 9 duur: one home short,
    built duur instead of (at best) midden: pays grondwaarde duur − midden = 100.000 − 40.000 = 60.000."""
    data = {
        "naam": "Soesterberg", "peildatum": "2024-01-01", "gebied": "Kern Soesterberg",
        "programma": {"woningen": {"sociaal": 0, "midden": 1, "duur": 9}},
        "initiatiefnemer": {"opbrengsten": [{"omschrijving": "o", "bedrag": 1_000_000}]},
        "financiele_bijdrage_woningvoorraad": {"grondwaarde": {"sociaal": 20_000, "midden": 40_000, "duur": 100_000}},
    }
    r = calculate_case(case_from_dict(data))
    assert r.inputs.woningvoorraad["bedrag"] == pytest.approx(60_000)
    assert r.exploitatiebijdrage == pytest.approx(60_000)


def test_more_cheap_homes_gives_receivable():
    """Kern Soest 20 homes built 12/1/7 vs norm 9/1/10: 3 extra sociaal instead of duur → receivable
    3 × (120.000 − 25.000) = 285.000 from the fund; nothing charged."""
    data = case_to_dict(load_case(EXAMPLES / "voorbeeld-3.yaml"))
    data["programma"]["woningen"] = {"sociaal": 12, "midden": 1, "duur": 7}
    r = calculate_case(case_from_dict(data))
    assert r.inputs.woningvoorraad["ontvangst_uit_fonds"] == pytest.approx(285_000)
    assert r.row("financiele_bijdrage_woningvoorraad")["gemeente"] == 0
    assert r.to_dict()["ontvangst_uit_fonds_woningvoorraad"] == pytest.approx(285_000)
    assert "vordering op het fonds" in r.volgordelijkheid()[3]["reden"]
    assert r.exploitatiebijdrage == pytest.approx(1_100_000)


# ------------------------------------------------------------------------------------------ PTP
def test_ptp_derived_from_homes():
    # 20 homes of 200 benefiting: 10% of 2.500.000 = 250.000
    assert kv.ptp_aandeel(20, 200) == pytest.approx(0.1)
    np.testing.assert_allclose(kv.ptp_aandeel(np.array([20, 30]), np.array([200, 60])), [0.1, 0.5])
    r = calculate_case(load_case(EXAMPLES / "voorbeeld-1.yaml"))
    b = r.inputs.bovenwijks[0]
    assert b["aandeel"] == pytest.approx(0.1) and b["toegerekend"] == pytest.approx(250_000)
    assert "20 woningen" in b["aandeel_herkomst"] and "200" in b["aandeel_herkomst"]


def test_ptp_with_explicit_plan_homes():
    data = case_to_dict(load_case(EXAMPLES / "voorbeeld-1.yaml"))
    data["bovenwijkse_voorzieningen"] = [{"naam": "weg", "bedrag": 1_000_000, "woningen_plan": 30, "woningen_totaal": 120}, {"naam": "park", "bedrag": 400_000, "aandeel": 0.05}]
    r = calculate_case(case_from_dict(data))
    # 1.000.000 × 30/120 + 400.000 × 0,05 = 250.000 + 20.000
    assert r.row("bovenwijkse_voorzieningen")["gemeente"] == pytest.approx(270_000)


# ------------------------------------------------------------------------------------------ fysieke leefomgeving
def test_fysieke_leefomgeving_over_every_containing_area():
    """Kern Soesterberg 10/10/10 pays the kern rates and the gemeente rates:
    10 × (100 + 10) + 10 × (200 + 20) + 10 × (300 + 30) = 6.600."""
    data = case_to_dict(load_case(EXAMPLES / "voorbeeld-4.yaml"))
    data["financiele_bijdrage_fysieke_leefomgeving"] = {"tarieven": {"Kern Soesterberg": {"sociaal": 100, "midden": 200, "duur": 300}, "gemeente_soest": {"sociaal": 10, "midden": 20, "duur": 30}}}
    r = calculate_case(case_from_dict(data))
    assert r.inputs.fysiek["bedrag"] == pytest.approx(6_600)
    assert [a["gebied"] for a in r.inputs.fysiek["per_gebied"]] == ["Kern Soesterberg", "Gemeente Soest"]
    # engine: scalar and batch
    t = np.array([[100.0, 200, 300], [10, 20, 30]])
    assert kv.bijdrage_fysieke_leefomgeving(t, np.array([10.0, 10, 10])) == pytest.approx(6_600)
    np.testing.assert_allclose(kv.bijdrage_fysieke_leefomgeving(np.stack([t, t]), np.array([[10.0, 10, 10], [1, 0, 0]])), [6_600, 110])


# ------------------------------------------------------------------------------------------ rule 8: zonder tijdvak
def test_zonder_tijdvak_per_kavel():
    """Costs 330.000, plafond 300.000 → 300.000 shared 50/30/20: 150.000 / 90.000 / 60.000; waardevermeerdering
    200.000 / 70.000 / 90.000 → bijdrage 150.000 / 70.000 / 60.000 = 280.000; not recovered 50.000
    (30.000 above the plafond + 20.000 above kavel 2's waardevermeerdering)."""
    r = calculate_case(load_case(EXAMPLES / "zonder-tijdvak.yaml"))
    kavels = r.to_dict()["kavels"]
    assert [k["aandeel_kosten"] for k in kavels] == pytest.approx([150_000, 90_000, 60_000])
    assert [k["waardevermeerdering"] for k in kavels] == pytest.approx([200_000, 70_000, 90_000])
    assert [k["bijdrage"] for k in kavels] == pytest.approx([150_000, 70_000, 60_000])
    assert r.exploitatiebijdrage == pytest.approx(280_000)
    assert r.macroaftopping == pytest.approx(50_000)
    b, wv, share = kv.zonder_tijdvak_kavels(330_000.0, 300_000.0, np.array([0.5, 0.3, 0.2]), np.array([100e3, 80e3, 90e3]), np.array([300e3, 150e3, 180e3]))
    np.testing.assert_allclose(b, [150_000, 70_000, 60_000])


def test_zonder_tijdvak_area_shares_by_surface_and_value_drop():
    """Shares by m² (600/400); a kavel whose value falls pays nothing (waardevermeerdering max(0, ·))."""
    data = {
        "naam": "zonder", "peildatum": "2024-01-01", "gebied": "Kern Soest", "tijdvak": "zonder",
        "gemeente": {"kosten": [{"kostensoort": "A8", "bedrag": 100_000}]},
        "kostenplafond": 500_000,
        "kavels": [{"naam": "K1", "oppervlakte_m2": 600, "waarde_voor": 0, "waarde_na": 1_000_000}, {"naam": "K2", "oppervlakte_m2": 400, "waarde_voor": 200_000, "waarde_na": 150_000}],
    }
    r = calculate_case(case_from_dict(data))
    assert [k["bijdrage"] for k in r.to_dict()["kavels"]] == pytest.approx([60_000, 0])
    assert r.exploitatiebijdrage == pytest.approx(60_000)


# ------------------------------------------------------------------------------------------ grex as cost source
def _grex(amount_cost: float, amount_rev: float) -> dict:
    return {
        "name": "mini", "prijspeil": "2025-01-01", "start_year": 2025, "end_year": 2026, "timing": "end",
        "rente": 0.0, "disconteringsvoet": 0.0, "ncw_datum": "2025-01-01", "opening_book_value": 0,
        "indices": {"geen": 0.0},
        "kosten": [{"name": "Bouwrijp", "kostensoort": "A6", "amount": amount_cost, "index": "geen", "phasing": {2025: 1.0}}],
        "opbrengsten": [
            {"name": "Uitgifte", "opbrengstsoort": "gronduitgifte_woningbouw", "amount": amount_rev, "index": "geen", "phasing": {2026: 1.0}},
            {"name": "Subsidie", "opbrengstsoort": "subsidie", "amount": 10_000, "index": "geen", "phasing": {2025: 1.0}},
        ],
    }


def test_party_from_grex_inline():
    """With zero index, rente and discount the three bases coincide: costs 400.000, revenues 600.000, subsidy
    10.000 → init saldo 210.000 = cap; gemeente 150.000 → E = 150.000."""
    data = {
        "naam": "grex", "peildatum": "2024-01-01", "gebied": "Kern Soest",
        "initiatiefnemer": {"grex": {"inline": _grex(400_000, 600_000), "basis": "nominaal"}},
        "gemeente": {"kosten": [{"kostensoort": "A1", "bedrag": 150_000}]},
    }
    r = calculate_case(case_from_dict(data))
    assert r.row("subtotaal_investeringen")["initiatiefnemer"] == pytest.approx(400_000)
    assert r.row("opbrengsten")["initiatiefnemer"] == pytest.approx(600_000)
    assert r.row("subsidies")["initiatiefnemer"] == pytest.approx(10_000)
    assert r.cap == pytest.approx(210_000)
    assert r.exploitatiebijdrage == pytest.approx(150_000)
    assert any("grex 'mini'" in n and "nominaal" in n for n in r.notes)


def test_party_from_grex_contante_waarde_delegates_to_grex_engine():
    from opengrex.services.grex import calculate_grex, grex_from_dict

    g = _grex(400_000, 600_000)
    g["disconteringsvoet"] = 0.05
    data = {"naam": "grex", "peildatum": "2024-01-01", "gebied": "Kern Soest", "initiatiefnemer": {"grex": {"inline": g}}}
    r = calculate_case(case_from_dict(data))
    tab = calculate_grex(grex_from_dict(g)).per_kostensoort_totals()
    assert r.row("subtotaal_investeringen")["initiatiefnemer"] == pytest.approx(-tab["contante_waarde"].xs("kosten").sum())
    assert r.row("opbrengsten")["initiatiefnemer"] < 600_000  # discounted


# ------------------------------------------------------------------------------------------ reproducibility
def test_old_case_reproducible_after_set_update(tmp_path, monkeypatch):
    """A case under peildatum 2024 keeps using the 2023-07-01 version after a 2025-01-01 version with other
    grondquotes is added; a case with peildatum 2025-06-01 uses the new version."""
    src = Path(__import__("opengrex.parameters", fromlist=["x"]).__file__).parent / "kostenverhaal" / "soest"
    folder = tmp_path / "kostenverhaal" / "testgem"
    shutil.copytree(src, folder)
    monkeypatch.setenv("OPENGREX_PARAMETERS_PATH", str(tmp_path))
    data = case_to_dict(load_case(EXAMPLES / "voorbeeld-3.yaml"))
    data["parameterset"] = "testgem"
    data["financiele_bijdrage_woningvoorraad"] = {"woz": {"sociaal": 242_000, "midden": 363_000, "duur": 484_000}}
    before = calculate_case(case_from_dict(data)).to_dict()
    new = yaml.safe_load((folder / "2023-07-01.yaml").read_text())
    new["geldig_vanaf"] = dt.date(2025, 1, 1)
    new["grondquote"]["duur"]["value"] = 0.50
    (folder / "2025-01-01.yaml").write_text(yaml.safe_dump(new, allow_unicode=True))
    after = calculate_case(case_from_dict(data)).to_dict()
    assert after["a5"] == before["a5"]
    assert after["parameterset"]["geldig_vanaf"] == "2023-07-01"
    data["peildatum"] = "2025-06-01"
    newer = calculate_case(case_from_dict(data)).to_dict()
    assert newer["parameterset"]["geldig_vanaf"] == "2025-01-01"
    # duur grondwaarde 484.000 / 1,21 × 0,50 = 200.000 → 2 × (200.000 − 26.000) = 348.000
    assert newer["financiele_bijdrage_woningvoorraad"]["bedrag"] == pytest.approx(348_000)


def test_party_from_grex_file_example():
    """examples/kostenverhaal/met-grex.yaml: the initiatiefnemer's amounts are the demo grex's contante waarden per
    kostensoort (delegation to the grex engine); its saldo is negative, so the cap is 0 and nothing is recovered."""
    from opengrex.services.grex import calculate_grex, load_grex

    r = calculate_case(load_case(EXAMPLES / "met-grex.yaml"))
    tab = calculate_grex(load_grex(EXAMPLES.parent / "demo-grex.yaml")).per_kostensoort_totals()["contante_waarde"]
    assert r.row("subtotaal_investeringen")["initiatiefnemer"] == pytest.approx(-tab.xs("kosten").sum())
    saldo = r.row("saldo_gebiedseigen")["initiatiefnemer"]
    assert saldo == pytest.approx(tab.sum())
    assert saldo < 0 and r.cap == 0 and r.exploitatiebijdrage == 0
    assert r.macroaftopping == pytest.approx(450_000 + 300_000 + 120_000 + 2_400_000 * 320 / 1200 + r.inputs.fysiek["bedrag"])


def test_case_with_files_round_trips_as_document(tmp_path):
    """A stored case (case_to_dict → case_from_dict, as the store does) still finds its grex and bijdrage input."""
    case = load_case(EXAMPLES / "met-grex.yaml")
    before = calculate_case(case).to_dict()["a5"]
    again = case_from_dict(case_to_dict(case), base_dir=tmp_path)
    assert calculate_case(again).to_dict()["a5"] == before
