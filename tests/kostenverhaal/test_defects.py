"""Domain defects of issue 9, each with a test that failed before the fix:

(a) volgordelijkheid "waarom": when the macroaftopping leaves no room from the start, a later category said
    "opgebruikt door eerdere categorieën" although the earlier ones demanded (or recovered) nothing;
(b) kostenverhaal zonder tijdvak: costs per kavel could only be given as fractions or m², not as euros;
(c) planschade in a Bro (Wro) case was detected by code 6.2.4n (rente) instead of 6.2.4l (tegemoetkoming in schade,
    art. 6.1 Wro); the codes now come from the data (codes/kostensoorten.yaml, groep planschade).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from opengrex.cli import main
from opengrex.codes import groep
from opengrex.engine import kostenverhaal as kv
from opengrex.errors import InputError
from opengrex.services.kostenverhaal import calculate_case, case_from_dict, case_to_dict, load_case

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "kostenverhaal"


def _no_room(gemeente_kosten: float) -> dict:
    """Opbrengsten 0 and initiatiefnemer costs 100.000: the macroaftopping is 0 from the start."""
    return {
        "naam": "geen ruimte", "peildatum": "2024-01-01", "gebied": "Kern Soest",
        "initiatiefnemer": {"kosten": [{"kostensoort": "A8", "bedrag": 100_000}]},
        "gemeente": {"kosten": [{"kostensoort": "A1", "bedrag": gemeente_kosten}]} if gemeente_kosten else {},
        "bovenwijkse_voorzieningen": [{"naam": "weg", "bedrag": 1_000_000, "aandeel": 0.1}],
        "financiele_bijdrage_fysieke_leefomgeving": {"bedrag": 50_000},
    }


# ------------------------------------------------------------------------------------------------ (a) waarom
@pytest.mark.parametrize("gemeente_kosten", [0.0, 200_000.0])
def test_no_room_from_the_start_is_not_used_up_by_earlier_categories(gemeente_kosten):
    r = calculate_case(case_from_dict(_no_room(gemeente_kosten)))
    assert r.cap == 0 and r.exploitatiebijdrage == 0
    v = r.volgordelijkheid()
    for c in v[1:3]:  # bovenwijks, fysieke leefomgeving: nothing recovered, nothing recovered before them either
        assert c["verhaald"] == 0 and c["niet_verhaald"] > 0
        assert "opgebruikt" not in c["reden"], c["reden"]
        assert "de macroaftopping laat geen ruimte" in c["reden"]
    if gemeente_kosten:
        assert v[0]["reden"] == "niet verhaald: de macroaftopping laat geen ruimte"
    else:
        assert v[0]["reden"] == "niets te verhalen in deze categorie"


def test_room_used_up_by_earlier_categories_still_says_so():
    """Voorbeeld 2: the gebiedseigen costs take the whole 650.000; the bovenwijkse voorzieningen get nothing."""
    v = calculate_case(load_case(EXAMPLES / "voorbeeld-2.yaml")).volgordelijkheid()
    assert v[1]["reden"] == "niet verhaald: de ruimte onder de aftopping is opgebruikt door eerdere categorieën"
    assert v[2]["reden"] == "niet verhaald: de ruimte onder de aftopping is opgebruikt door eerdere categorieën"


def test_reason_codes_engine_scalar_and_batch():
    codes = kv.volgordelijkheid_reden([0.0, 10.0, 10.0, 10.0], [0.0, 0.0, 0.0, 0.0], [0.0, 10.0, 10.0, 10.0])
    assert [kv.REDENEN[c] for c in codes] == ["niets_te_verhalen", "geen_ruimte", "geen_ruimte", "geen_ruimte"]
    codes = kv.volgordelijkheid_reden(np.array([[10.0, 10.0, 10.0], [10.0, 10.0, 10.0]]), np.array([[10.0, 5.0, 0.0], [0.0, 0.0, 0.0]]),
                                      np.array([[0.0, 5.0, 10.0], [10.0, 10.0, 10.0]]))
    assert [[kv.REDENEN[c] for c in row] for row in codes] == [["volledig", "deels", "opgebruikt"], ["geen_ruimte"] * 3]


# ------------------------------------------------------------------------------------------------ (b) euros per kavel
def _zonder_in_euros() -> dict:
    data = case_to_dict(load_case(EXAMPLES / "zonder-tijdvak.yaml"))
    for k, b in zip(data["kavels"], (165_000, 99_000, 66_000)):  # 50 / 30 / 20 % of the 330.000 costs
        del k["aandeel"]
        k["bedrag"] = b
    return data


def test_costs_per_kavel_in_euros_give_the_same_result_as_the_shares():
    by_share = calculate_case(load_case(EXAMPLES / "zonder-tijdvak.yaml")).to_dict()
    r = calculate_case(case_from_dict(_zonder_in_euros()))
    kavels = r.to_dict()["kavels"]
    assert [k["aandeel"] for k in kavels] == pytest.approx([0.5, 0.3, 0.2])
    assert [k["bedrag"] for k in kavels] == [165_000, 99_000, 66_000]
    assert [k["bijdrage"] for k in kavels] == pytest.approx([k["bijdrage"] for k in by_share["kavels"]])
    assert r.exploitatiebijdrage == pytest.approx(280_000)
    assert any("bedrag per kavel" in t for t in r.explain("verhaalbaar_maximum").onderdelen[0].toelichting)


def test_euros_per_kavel_may_add_up_to_the_plafond():
    data = _zonder_in_euros()
    for k, b in zip(data["kavels"], (150_000, 90_000, 60_000)):  # the 300.000 plafond
        k["bedrag"] = b
    assert calculate_case(case_from_dict(data)).exploitatiebijdrage == pytest.approx(280_000)


@pytest.mark.parametrize("change,fragment", [
    (lambda ks: ks[0].update(bedrag=100_000), "tellen op tot € 265.000,00"),
    (lambda ks: ks[1].pop("bedrag"), "bedrag voor alle kavels"),
    (lambda ks: ks[0].update(aandeel=0.5), "óf een aandeel óf een bedrag"),
    (lambda ks: ks[2].update(bedrag=-1), "niet negatief"),
    (lambda ks: [k.update(bedrag=0) for k in ks], "tellen op tot 0"),
])
def test_euros_per_kavel_are_validated(change, fragment):
    data = _zonder_in_euros()
    change(data["kavels"])
    with pytest.raises(InputError) as e:
        case_from_dict(data)
    assert fragment in str(e.value) and "kavels" in str(e.value)


def test_euros_per_kavel_mismatch_cli_exit_2(tmp_path, capsys):
    data = _zonder_in_euros()
    data["kavels"][0]["bedrag"] = 100_000
    f = tmp_path / "zonder.yaml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["kostenverhaal", "bereken", str(f)]) == 2
    err = capsys.readouterr().err
    assert "kavels" in err and "€ 330.000,00" in err and "Traceback" not in err


def test_kavel_shares_engine_scalar_and_batch():
    nan = np.nan
    np.testing.assert_allclose(kv.kavel_aandelen([nan, nan], [300.0, 100.0], [nan, nan]), [0.75, 0.25])
    np.testing.assert_allclose(kv.kavel_aandelen([0.4, 0.6], [nan, nan], [nan, nan]), [0.4, 0.6])
    got = kv.kavel_aandelen(np.array([[nan, nan], [nan, nan]]), np.array([[nan, nan], [1.0, 3.0]]), np.array([[600.0, 400.0], [nan, nan]]))
    np.testing.assert_allclose(got, [[0.6, 0.4], [0.25, 0.75]])
    np.testing.assert_allclose(kv.kavel_aandelen([nan, nan], [nan, nan], [0.0, 0.0]), [0.5, 0.5])  # no area at all: equal


# ------------------------------------------------------------------------------------------------ (c) planschade codes
def test_planschade_codes_are_data_and_bro_uses_6_2_4l():
    assert groep("planschade") == {"A11", "6.2.4l"}
    data = {
        "naam": "Wro", "peildatum": "2024-01-01", "gebied": "Kern Soest",
        "initiatiefnemer": {"opbrengsten": [{"omschrijving": "o", "bedrag": 1_000_000}]},
        "gemeente": {"kosten": [{"kostensoort": "6.2.4l", "omschrijving": "Tegemoetkoming in schade", "bedrag": 40_000},
                                {"kostensoort": "6.2.4n", "omschrijving": "Rente", "bedrag": 5_000}]},
    }
    r = calculate_case(case_from_dict(data))
    assert r.to_dict()["waarvan_planschade_gemeente"] == 40_000  # rente (6.2.4n) is no planschade
    assert r.exploitatiebijdrage == 45_000
