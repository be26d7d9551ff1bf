"""Game rules (opengrex.engine.spelregels): each rule type hand-computed on a tiny area, the stated order, the
variant axis, and adding a rule type by registering one function.

The tiny area: parties A, B, C (accounts A, B, C, fonds), two years.
  land: A owns 600 m² bedrijventerrein (brought in year 0), B 400 m² agrarisch (year 1), C none.
  programme (m² bvo): A wonen 100 (y0) + 100 (y1); B wonen 0 + 200 (y1), kantoor 50 (y0); C none.
  prices per m²: wonen 3000 (y0), 3300 (y1); kantoor 2000, 2000. Index series 1: 1.0, 1.1.
  costs carried per vereveningscategorie (park): A 90 (y0), B 0, C 30 (y1).
"""
from __future__ import annotations

import numpy as np
import pytest

from opengrex.engine import spelregels as sr

A, B, C, F = 0, 1, 2, 3  # accounts
WONEN, KANTOOR = 0, 1


def state() -> sr.Toestand:
    grond = np.array([[600.0, 0.0], [0.0, 400.0], [0.0, 0.0]])  # (P, G): bedrijventerrein, agrarisch
    inbreng = np.zeros((3, 2, 2))
    inbreng[A, 0, 0] = 600.0
    inbreng[B, 1, 1] = 400.0
    prog = np.zeros((3, 2, 2))
    prog[A, WONEN] = [100.0, 100.0]
    prog[B, WONEN] = [0.0, 200.0]
    prog[B, KANTOOR] = [50.0, 0.0]
    prijs = np.array([[3000.0, 3300.0], [2000.0, 2000.0]])
    index = np.array([[1.0, 1.0], [1.0, 1.1]])
    gedragen = np.zeros((3, 1, 2))
    gedragen[A, 0, 0] = 90.0
    gedragen[C, 0, 1] = 30.0
    return sr.Toestand(3, grond, inbreng, prog, prijs, index, gedragen)


def onehot(i: int, n: int = 4) -> np.ndarray:
    w = np.zeros((1, n))
    w[0, i] = 1.0
    return w


def apply(code: str, eerder: np.ndarray | None = None, **params) -> np.ndarray:
    p = {k: np.asarray(v, dtype=np.float64 if np.asarray(v).dtype.kind == "f" else np.asarray(v).dtype) for k, v in params.items()}
    e = np.zeros((1, 1, 4, 2)) if eerder is None else eerder
    return sr.REGELTYPEN[code].functie(state(), p, e)[0]


def test_inbrengwaarde_forfait_per_m2_paid_by_the_fund():
    t = apply("inbrengwaarde", forfait=[[150.0, 20.0]], betaler=onehot(F))
    # A: 600 m² × 150 in year 0 = 90,000; B: 400 m² × 20 in year 1 = 8,000; the fund pays both.
    np.testing.assert_allclose(t, [[90_000, 0], [0, 8_000], [0, 0], [-90_000, -8_000]])


def test_inbrengwaarde_paid_pro_rata_programme():
    w = np.array([[200 / 450, 250 / 450, 0.0, 0.0]])  # programme shares: A 200, B 250 of 450 m²
    t = apply("inbrengwaarde", forfait=[[150.0, 20.0]], betaler=w)
    np.testing.assert_allclose(t[:, 0], [90_000 - 40_000, -50_000, 0, 0])
    np.testing.assert_allclose(t[:, 1], [-8_000 * 200 / 450, 8_000 - 8_000 * 250 / 450, 0, 0])


def test_gebiedsbijdrage_per_m2_per_function_to_the_receiver():
    t = apply("gebiedsbijdrage", tarief=[[40.0, 60.0]], ontvanger=onehot(C), betalers=[[1.0, 1.0, 0.0, 0.0]])
    # y0: A 100×40 = 4,000; B 50×60 = 3,000; y1: A 4,000; B 200×40 = 8,000 -> C receives 7,000 and 12,000
    np.testing.assert_allclose(t, [[-4_000, -4_000], [-3_000, -8_000], [7_000, 12_000], [0, 0]])


def test_gebiedsbijdrage_only_listed_payers_pay():
    t = apply("gebiedsbijdrage", tarief=[[40.0, 60.0]], ontvanger=onehot(F), betalers=[[0.0, 1.0, 0.0, 0.0]])
    np.testing.assert_allclose(t, [[0, 0], [-3_000, -8_000], [0, 0], [3_000, 8_000]])


def test_verevening_pro_rata_ten_percent_park():
    # park costs 90 (y0, carried by A) and 30 (y1, by C); key A 50%, B 30%, C 20%
    t = apply("verevening", categorieen=[[1.0]], sleutel=[[0.5, 0.3, 0.2, 0.0]])
    np.testing.assert_allclose(t, [[90 - 45, -15], [-27, -9], [-18, 30 - 6], [0, 0]])


def test_ontwikkelrechten_pro_rata_land_ownership():
    # land shares A 60%, B 40%; wonen total 100 (y0), 300 (y1); kantoor 50 (y0); prices wonen 300, kantoor 100
    w = np.array([[0.6, 0.4, 0.0, 0.0]])
    t = apply("ontwikkelrechten", prijs=[[300.0, 100.0]], sleutel=w)
    # y0 rights: A 60 wonen + 30 kantoor, uses 100 wonen -> (60-100)×300 + 30×100 = -9,000
    #            B 40 wonen + 20 kantoor, uses 0 wonen + 50 kantoor -> 40×300 + (20-50)×100 = 9,000
    # y1 rights: A 180, uses 100 -> +24,000; B 120, uses 200 -> -24,000
    np.testing.assert_allclose(t, [[-9_000, 24_000], [9_000, -24_000], [0, 0], [0, 0]])
    np.testing.assert_allclose(sr.aandeel_grond(state().grond_m2), [0.6, 0.4, 0.0])


def test_afdracht_takes_a_share_of_what_the_receiver_got_from_earlier_rules():
    bijdrage = apply("gebiedsbijdrage", tarief=[[40.0, 60.0]], ontvanger=onehot(C), betalers=[[1.0, 1.0, 0.0, 0.0]])
    eerder = np.stack([np.zeros((1, 4, 2)), bijdrage[None]])  # position 0: kostenverhaal (none), 1: the bijdrage
    t = apply("afdracht", eerder=eerder, aandeel=[0.1], van=onehot(C), naar=onehot(F), regels=[[0.0, 1.0]])
    np.testing.assert_allclose(t, [[0, 0], [0, 0], [-700, -1_200], [700, 1_200]])  # Rijnhuizen: 10% to the area organisation


def test_afdracht_over_kostenverhaal_and_nothing_on_a_net_payment():
    kv = np.zeros((1, 4, 2))
    kv[0, A] = [5_000, -2_000]  # A received 5,000 in y0, paid 2,000 in y1
    kv[0, B] = [-5_000, 2_000]
    t = apply("afdracht", eerder=kv[None], aandeel=[0.1], van=onehot(A), naar=onehot(F), regels=[[1.0]])
    np.testing.assert_allclose(t, [[-500, 0], [0, 0], [0, 0], [500, 0]])


def test_meebewegend_indexed():
    t = apply("meebewegend", tarief=[[10.0, 0.0]], koppeling=[0], index=[1], referentieprijs=[[0.0, 0.0]], ontvanger=onehot(F), betalers=[[1.0, 1.0, 1.0, 0.0]])
    # wonen: A 100×10×1.0 (y0), 100×10×1.1 (y1); B 200×10×1.1 (y1)
    np.testing.assert_allclose(t, [[-1_000, -1_100], [0, -2_200], [0, 0], [1_000, 3_300]])


def test_meebewegend_tied_to_realised_prices():
    t = apply("meebewegend", tarief=[[10.0, 0.0]], koppeling=[1], index=[0], referentieprijs=[[3000.0, 0.0]], ontvanger=onehot(F), betalers=[[1.0, 1.0, 1.0, 0.0]])
    # factor 3000/3000 = 1 (y0), 3300/3000 = 1.1 (y1): the rate moves with the realised price
    np.testing.assert_allclose(t, [[-1_000, -1_100], [0, -2_200], [0, 0], [1_000, 3_300]])


def test_stated_order_matters_for_the_afdracht():
    """The afdracht needs the gebiedsbijdrage before it: in the other order there is nothing to take a share of
    (the model refuses that order as contradictory; the engine shows why)."""
    t = state()
    bijdrage = sr.Regel("Bijdrage", "gebiedsbijdrage", {"tarief": np.array([[40.0, 60.0]]), "ontvanger": onehot(C), "betalers": np.array([[1.0, 1.0, 0.0, 0.0]])})
    voor = sr.Regel("Afdracht", "afdracht", {"aandeel": np.array([0.1]), "van": onehot(C), "naar": onehot(F), "regels": np.array([[0.0, 1.0]])})
    na = sr.Regel("Afdracht", "afdracht", {"aandeel": np.array([0.1]), "van": onehot(C), "naar": onehot(F), "regels": np.array([[1.0]])})
    goed = sr.pas_toe(t, [bijdrage, voor], np.zeros((1, 4, 2)))
    fout = sr.pas_toe(t, [na, bijdrage], np.zeros((1, 4, 2)))
    np.testing.assert_allclose(goed[1, 0, F], [700, 1_200])
    np.testing.assert_allclose(fout[0, 0, F], [0, 0])
    np.testing.assert_allclose(goed.sum(axis=2), 0.0, atol=1e-9)


def test_variants_on_the_leading_axis_are_independent():
    tarief = np.array([[40.0, 60.0], [20.0, 0.0], [0.0, 0.0]])
    t = sr.REGELTYPEN["gebiedsbijdrage"].functie(state(), {"tarief": tarief, "ontvanger": np.repeat(onehot(C), 3, axis=0), "betalers": np.repeat([[1.0, 1.0, 0.0, 0.0]], 3, axis=0)}, np.zeros((1, 3, 4, 2)))
    assert t.shape == (3, 4, 2)
    np.testing.assert_allclose(t[0, C], [7_000, 12_000])
    np.testing.assert_allclose(t[1, C], [2_000, 6_000])
    np.testing.assert_allclose(t[2], 0.0)


def test_every_registered_rule_type_has_a_source_and_declared_parameters():
    assert list(sr.REGELTYPEN) == ["inbrengwaarde", "gebiedsbijdrage", "verevening", "ontwikkelrechten", "afdracht", "meebewegend"]
    for rt in sr.REGELTYPEN.values():
        assert rt.bron and rt.formule and rt.label
        assert rt.parameters and all(p.soort in sr.SOORTEN for p in rt.parameters)


def test_adding_a_rule_type_is_one_function_and_its_registration():
    """A new rule type (here: a fixed amount per year from one account to another) is one function with
    ``@regeltype``; the engine applies it and the input model derives its schema from the declaration."""
    from opengrex.model.gebied import _regel_model

    try:
        @sr.regeltype("vast_bedrag", label="Vast bedrag per jaar", formule="bedrag van 'van' naar 'naar'", bron="test",
                      parameters=(sr.Parameter("bedrag", sr.FRACTIE, "Bedrag"), sr.Parameter("van", sr.REKENING, "Van"), sr.Parameter("naar", sr.REKENING, "Naar")))
        def vast_bedrag(t, p, eerder):
            totaal = np.broadcast_to(p["bedrag"][:, None], (p["bedrag"].shape[0], t.index.shape[-1]))
            return sr.verdeel(p["naar"], totaal) - sr.verdeel(p["van"], totaal)

        out = sr.pas_toe(state(), [sr.Regel("Vast", "vast_bedrag", {"bedrag": np.array([0.5]), "van": onehot(A), "naar": onehot(B)})], np.zeros((1, 4, 2)))
        np.testing.assert_allclose(out[0, 0, A], [-0.5, -0.5])
        np.testing.assert_allclose(out[0, 0, B], [0.5, 0.5])
        model = _regel_model(sr.REGELTYPEN["vast_bedrag"])
        r = model.model_validate({"naam": "Vast", "type": "vast_bedrag", "bedrag": 0.5, "van": "a", "naar": "b"})
        assert r.bedrag == 0.5 and model.model_json_schema()["properties"]["bedrag"]["title"] == "Bedrag"
        with pytest.raises(ValueError, match="al geregistreerd"):
            sr.regeltype("vast_bedrag", label="x", formule="x", bron="x", parameters=())(vast_bedrag)
    finally:
        sr.REGELTYPEN.pop("vast_bedrag", None)
