"""Kostensoortenlijst: Omgevingsbesluit bijlage IV and Bro art. 6.2.3-6.2.5 (Nota Kostenverhaal Soest 2023, bijlage A1)."""
from __future__ import annotations

import dataclasses

import pytest

from opengrex.codes import (
    Kostensoort,
    get_kostensoort,
    is_alleen_met_tijdvak,
    kostensoorten,
    normalise_code,
)
from opengrex.errors import InputError


def _codes(stelsel=None):
    return [k.code for k in kostensoorten(stelsel)]


# --- counts and order -------------------------------------------------------------------------------------------


def test_omgevingswet_has_a1_to_a14_then_b1_to_b4_in_order():
    assert _codes("omgevingswet") == [f"A{i}" for i in range(1, 15)] + [f"B{i}" for i in range(1, 5)]


def test_omgevingswet_counts_per_tijdvak():
    ob = kostensoorten("omgevingswet")
    assert sum(k.tijdvak == "met_of_zonder" for k in ob) == 14
    assert sum(k.tijdvak == "alleen_met" for k in ob) == 4


def test_bro_has_6_2_3_a_to_d_6_2_4_a_to_n_6_2_5_a_to_i_in_order():
    expected = (
        [f"6.2.3{c}" for c in "abcd"] + [f"6.2.4{c}" for c in "abcdefghijklmn"] + [f"6.2.5{c}" for c in "abcdefghi"]
    )
    assert len(expected) == 4 + 14 + 9
    assert _codes("bro") == expected


def test_all_lists_together_omgevingswet_first():
    assert _codes() == _codes("omgevingswet") + _codes("bro")
    assert len(set(_codes())) == 18 + 27


def test_stelsel_and_tijdvak_fields():
    for k in kostensoorten("omgevingswet"):
        assert k.stelsel == "omgevingswet"
        assert k.tijdvak == ("alleen_met" if k.code.startswith("B") else "met_of_zonder")
    for k in kostensoorten("bro"):
        assert k.stelsel == "bro"
        assert k.tijdvak is None


def test_every_entry_has_text_short_label_and_source():
    for k in kostensoorten():
        assert isinstance(k, Kostensoort)
        assert k.omschrijving.strip() == k.omschrijving and "\n" not in k.omschrijving and "  " not in k.omschrijving
        assert 0 < len(k.kort) <= 60
        assert "Nota Kostenverhaal Soest 2023 bijlage A1." in k.bron
    assert get_kostensoort("A1").bron.startswith("Ob bijlage IV onder A, sub 1;")
    assert get_kostensoort("B4").bron.startswith("Ob bijlage IV onder B, sub 4;")
    assert get_kostensoort("6.2.4b").bron.startswith("Bro art. 6.2.4 onder b;")


def test_kostensoort_is_frozen_and_list_is_a_copy():
    k = get_kostensoort("A1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        k.code = "A2"  # type: ignore[misc]
    lijst = kostensoorten("omgevingswet")
    lijst.clear()
    assert len(kostensoorten("omgevingswet")) == 18


def test_unknown_stelsel_is_an_input_error():
    with pytest.raises(InputError) as exc:
        kostensoorten("wro")
    assert exc.value.field == "stelsel"
    assert exc.value.value == "wro"


# --- descriptions, spot-checked against the seed text (nota bijlage A1.1 / A1.2) --------------------------------


def test_a1_description_as_in_the_nota():
    assert get_kostensoort("A1").omschrijving.startswith(
        "De kosten van het vaststellen van een omgevingsplan of een projectbesluit of het verlenen van een "
        "omgevingsvergunning voor een bouwactiviteit of een buitenplanse omgevingsplanactiviteit"
    )


def test_a8_description_joins_the_seven_sub_items():
    tekst = get_kostensoort("A8").omschrijving
    assert tekst.startswith("De kosten van de aanleg of wijziging van: 1°. wegen, gebouwde en ongebouwde openbare")
    assert "6°. distributienetwerken voor elektriciteit, warmte, gas en water" in tekst
    assert tekst.endswith("7°. riolering, inclusief bijbehorende werken en bouwwerken.")


def test_b1_description_as_in_the_nota():
    assert get_kostensoort("B1").omschrijving.startswith(
        "De waarde van de gronden waar de bouwactiviteiten, bedoeld in artikel 13.11, eerste lid, van de wet, "
        "zullen worden verricht"
    )


def test_bro_6_2_4e_description_as_in_the_nota():
    assert get_kostensoort("6.2.4e").omschrijving.startswith(
        "de in artikel 6.2.3 en de onder a tot en met d en g tot en met n bedoelde kosten met betrekking tot "
        "gronden buiten het exploitatiegebied"
    )
    assert get_kostensoort("6.2.5i").omschrijving == (
        "uit een oogpunt van milieuhygiëne, archeologie of volksgezondheid noodzakelijke voorzieningen."
    )


# --- normalisation ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("A1", "A1"),
        ("a1", "A1"),
        ("a 1", "A1"),
        (" A 14 ", "A14"),
        ("b\t3", "B3"),
        ("6.2.4b", "6.2.4b"),
        ("6.2.4 b", "6.2.4b"),
        ("6.2.4 B", "6.2.4b"),
        ("6. 2. 5 I", "6.2.5i"),
        ("6.2.3\u00a0a", "6.2.3a"),
    ],
)
def test_normalise_code(given, canonical):
    assert normalise_code(given) == canonical
    assert get_kostensoort(given).code == canonical


# --- unknown codes ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["A15", "A0", "B5", "C1", "6.2.4o", "6.2.6a", "", "A 1 x"])
def test_unknown_code_is_an_input_error_naming_field_value_and_allowed(code):
    with pytest.raises(InputError) as exc:
        get_kostensoort(code)
    err = exc.value
    assert err.field == "kostensoort"
    assert err.value == code
    for fragment in ("A1–A14", "B1–B4", "6.2.3a–6.2.3d", "6.2.4a–6.2.4n", "6.2.5a–6.2.5i"):
        assert fragment in err.allowed
    assert err.as_dict()["field"] == "kostensoort"
    assert "kostensoort" in str(err)


def test_non_text_code_is_an_input_error():
    with pytest.raises(InputError) as exc:
        get_kostensoort(None)  # type: ignore[arg-type]
    assert exc.value.field == "kostensoort"


def test_normalise_and_tijdvak_check_reject_unknown_codes():
    with pytest.raises(InputError):
        normalise_code("X9")
    with pytest.raises(InputError):
        is_alleen_met_tijdvak("X9")


# --- tijdvak ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["B1", "B2", "B3", "b 4"])
def test_b_codes_are_alleen_met_tijdvak(code):
    assert is_alleen_met_tijdvak(code) is True


@pytest.mark.parametrize("code", ["A1", "A8", "A14", "6.2.3a", "6.2.5i"])
def test_a_and_bro_codes_are_not_alleen_met_tijdvak(code):
    assert is_alleen_met_tijdvak(code) is False
