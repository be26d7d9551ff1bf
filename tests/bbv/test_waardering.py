"""Valuation at the balance date (services.bbv.value_portfolio), hand-computed on conftest.valued_grex."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from bbvdata import portfolio, valued_grex

from opengrex.errors import InputError
from opengrex.services.bbv import portfolio_from_dict, value_portfolio

POC = (1000 / 1300) * (300 / 1800)
EIND = 460.75  # -700 * 1.05 = -735 + 650 = -85; -85 * 1.05 = -89.25 + 550


def value(grexes, balansjaar=2024, **over):
    return value_portfolio(portfolio_from_dict(portfolio(grexes, balansjaar, **over)))


def test_boekwaarde_result_ncw_poc_hand_computed():
    w = value([valued_grex()], grexen=[{"grex": valued_grex(), "winst_vorig": 20.0}])
    f = {k: float(v[0]) for k, v in w.figures.items()}
    assert f["boekwaarde"] == pytest.approx(700.0, abs=1e-9)
    assert f["boekwaarde_begin"] == 0.0 and f["rente_toegerekend"] == 0.0
    assert f["resultaat_nominaal"] == pytest.approx(500.0)
    assert f["eindwaarde"] == pytest.approx(EIND)
    assert f["t_end"] == 2.0
    assert f["ncw"] == pytest.approx(EIND / 1.02**2, rel=1e-14)
    assert w.disconteringsvoet == 0.02 and "geldig vanaf 2016-01-01" in w.disconteringsvoet_bron
    assert f["kosten_gerealiseerd"] == 1000 and f["kosten_totaal"] == 1300 and f["opbrengsten_totaal"] == 1800
    assert f["nog_te_maken_kosten"] == 300 and f["nog_te_realiseren_opbrengsten"] == 1500
    assert f["poc"] == pytest.approx(POC, rel=1e-14)
    assert f["winst_cumulatief"] == pytest.approx(POC * EIND / 1.0404, rel=1e-12)
    assert f["winst_genomen"] == pytest.approx(POC * EIND / 1.0404 - 20.0, rel=1e-12)
    assert f["voorziening"] == 0.0


def test_werkelijke_dagen_day_count():
    w = value([valued_grex()], dagtelling="werkelijke_dagen")
    t = (dt.date(2026, 12, 31) - dt.date(2025, 1, 1)).days / 365.25
    assert t == pytest.approx(729 / 365.25)
    assert float(w.figures["t_end"][0]) == pytest.approx(t, rel=1e-15)
    assert float(w.figures["ncw"][0]) == pytest.approx(EIND / 1.02**t, rel=1e-14)
    assert w.to_dict()["dagtelling"] == ["werkelijke_dagen"]


def test_rente_toegerekend_is_rate_times_book_value_at_1_january():
    # balance year 2025 (flows 2025 realised at the estimate): book value 1-1-2025 = 700, rente 5 % -> 35
    g = valued_grex(realised_through=2025)
    g["kosten"][0]["realised"] = {2024: 1000.0, 2025: 100.0}
    g["opbrengsten"][0]["realised"] = {2024: 300.0, 2025: 750.0}
    w = value([g], balansjaar=2025)
    assert float(w.figures["rente_toegerekend"][0]) == pytest.approx(35.0)
    assert float(w.figures["boekwaarde"][0]) == pytest.approx(85.0)


def test_no_land_sold_gives_no_profit():
    g = valued_grex()
    g["opbrengsten"][0]["realised"] = {2024: 0.0}
    w = value([g], grexen=[{"grex": g, "winst_vorig": 15.0}])
    assert float(w.figures["winst_cumulatief"][0]) == 0.0
    assert float(w.figures["winst_genomen"][0]) == -15.0


def test_voorziening_at_ncw_and_its_movement():
    g = valued_grex()
    g["opbrengsten"][0]["amount"] = 100.0  # 2025/2026 revenue 50 each: flows 2025 -50, 2026 -150
    w = value([g], grexen=[{"grex": g, "voorziening_vorig": 100.0}])
    eind = (-700 * 1.05 - 50) * 1.05 - 150
    ncw = eind / 1.02**2
    assert float(w.figures["ncw"][0]) == pytest.approx(ncw)
    assert float(w.figures["voorziening"][0]) == pytest.approx(-ncw)
    assert float(w.figures["dotatie"][0]) == pytest.approx(-ncw - 100.0)
    assert float(w.figures["vrijval"][0]) == 0.0
    w2 = value([g], voorziening_basis="eindwaarde", grexen=[{"grex": g, "voorziening_vorig": 2000.0}])
    assert float(w2.figures["voorziening"][0]) == pytest.approx(-eind)
    assert float(w2.figures["vrijval"][0]) == pytest.approx(2000.0 + eind)


def test_poc_nominal_basis_and_risk_reduction():
    w = value([valued_grex()], poc_basis="nominaal", grexen=[{"grex": valued_grex(), "risico": {"winst_bedrag": 100.0, "winst_aandeel": 0.5}}])
    assert float(w.figures["winst_cumulatief"][0]) == pytest.approx(POC * (500 - 100) * 0.5)


def test_poc_on_a_grex_without_revenues_is_an_error():
    g = valued_grex(opbrengsten=[])
    with pytest.raises(InputError, match="zonder opbrengsten") as exc:
        value([g])
    assert "winstneming" in str(exc.value)
    w = value([g], grexen=[{"grex": g, "winstneming": False}])  # the escape hatch named in the error
    assert float(w.figures["winst_cumulatief"][0]) == 0.0


def test_not_realised_through_the_balance_year_is_an_error():
    with pytest.raises(InputError, match="niet gerealiseerd t/m 2025"):
        value([valued_grex()], balansjaar=2025)


def test_status_voorbereiding_and_afgesloten_are_listed_not_valued():
    pf = portfolio([valued_grex()], 2024)
    pf["grexen"].append({"grex": valued_grex(name="Plan"), "status": "voorbereiding"})
    pf["grexen"].append({"grex": valued_grex(name="Klaar"), "status": "afgesloten", "eindresultaat": 123.0})
    w = value_portfolio(portfolio_from_dict(pf))
    df = w.grexen_frame()
    assert list(df.index) == ["Handgrex", "Plan", "Klaar"]
    assert np.isnan(df.loc["Plan", "ncw"]) and df.loc["Klaar", "resultaat_nominaal"] == 123.0
    assert w.totalen()["boekwaarde"] == pytest.approx(700.0)


def test_risk_by_amount_class_and_weerstand_rating():
    pf = portfolio([valued_grex(), valued_grex(name="B")], 2024, weerstandscapaciteit=300.0, risicoklassen={"midden": 0.1})
    pf["grexen"][0]["risico"] = {"bedrag": 50.0}
    pf["grexen"][1]["risico"] = {"klasse": "midden"}
    w = value_portfolio(portfolio_from_dict(pf))
    assert w.figures["risico"].tolist() == pytest.approx([50.0, 150.0])  # 10 % of 1500 still to be realised
    assert w.weerstand["benodigd"] == pytest.approx(200.0)
    assert w.weerstand["ratio"] == pytest.approx(1.5) and w.weerstand["klasse"] == "B"


def test_explain_figures():
    w = value([valued_grex()])
    e = w.explain("ncw", "Handgrex")
    assert e.waarde == pytest.approx(EIND / 1.0404) and "Disconteringsvoet" in e.regel.bron
    assert w.explain("poc", "Handgrex").regel.label.startswith("Percentage of completion")
    assert w.explain("weerstand").kengetal == "weerstand"
    with pytest.raises(InputError, match="onbekend kengetal"):
        w.explain("irr", "Handgrex")


def test_portfolio_totals_equal_sum_of_grexes_vectorised(demo_2025):
    from opengrex.services.bbv import LoadedPortfolio

    w = value_portfolio(demo_2025)
    singles = []
    for i in w.valued:
        e = demo_2025.portefeuille.grexen[i]
        one = LoadedPortfolio(demo_2025.portefeuille.model_copy(update={"grexen": [e]}), [demo_2025.grexes[i]], None)
        singles.append(float(value_portfolio(one).figures["ncw"][0]))
    assert w.figures["ncw"].tolist() == pytest.approx(singles, rel=1e-12, abs=1e-6)
