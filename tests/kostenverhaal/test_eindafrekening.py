"""Eindafrekening (Nota Kostenverhaal Soest 2023 bijlage A4; spec rules 6 and 7): the 5% rule just below, at and just
above the threshold, discounting to the payment date, netting between categories, no categories added later,
wettelijke rente (art. 6:119 BW) across a rate change and compounded yearly, tussentijds only after five years,
planschade refund and naheffing; CLI delegation and bad input (exit 2)."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from opengrex.cli import main
from opengrex.engine import eindafrekening as eng
from opengrex.errors import InputError
from opengrex.services.eindafrekening import (
    add_years,
    calculate_eindafrekening,
    eindafrekening_from_dict,
    load_eindafrekening,
    load_rentetabel,
)

EXAMPLE = "examples/kostenverhaal/eindafrekening-voorbeeld.yaml"


def request(due: float = 95_000.0, **changes):
    """Paid 100.000 for one category raming 100.000 (aandeel 1); the recomputed cost ``due`` falls on the payment
    date, so discounting does not change it and due = verschuldigd."""
    d = {
        "naam": "t", "parameterset": "soest", "peildatum": "2023-07-01", "soort": "definitief",
        "datum": "2022-07-01", "betaling": {"bedrag": 100_000, "datum": "2022-07-01"},
        "categorieen": [{"categorie": "C", "raming": 100_000}],
        "kosten": [{"categorie": "C", "bedrag": due, "datum": "2022-07-01"}],
        "rente": "wettelijke_rente",
    }
    d.update(changes)
    return d


def calc(d):
    return calculate_eindafrekening(eindafrekening_from_dict(d))


# --- the 5% rule ------------------------------------------------------------------------------------------------

def test_just_below_five_percent_no_refund():
    r = calc(request(95_000.01))  # over-paid 4.999,99 < 5% × 100.000 = 5.000
    assert r.verschil == pytest.approx(4_999.99)
    assert r.terugbetaling == 0 and r.rente == 0 and r.totaal_terug == 0


def test_exactly_five_percent_no_refund():
    r = calc(request(95_000.0))
    assert r.verschil == pytest.approx(5_000.0)
    assert r.terugbetaling == 0


def test_just_above_five_percent_refund_above_the_threshold():
    r = calc(request(94_999.0))  # refund = 100.000 − 94.999 − 5.000 = 1
    assert r.terugbetaling == pytest.approx(1.0)
    assert r.drempelbedrag == pytest.approx(5_000.0)


def test_never_an_extra_charge():
    r = calc(request(130_000.0))
    assert r.verschil == pytest.approx(-30_000.0)
    assert r.terugbetaling == 0 and r.totaal_terug == 0
    assert r.to_dict()["bijbetaling"] == 0
    assert any("geen bijbetaling" in u for u in r.uitleg)


def test_threshold_comes_from_the_parameter_set():
    from opengrex.parameters import load_parameter_set

    ps = load_parameter_set("soest", dt.date(2023, 7, 1))
    assert calc(request()).drempel == ps.value_of("eindafrekening_drempel") == 0.05


# --- recomputation: discounting and netting -----------------------------------------------------------------------

def test_costs_discounted_to_the_payment_date_and_share_of_the_plan():
    d = request(datum="2024-07-01",
                categorieen=[{"categorie": "C", "raming": 1_000_000}, {"categorie": "D", "raming": 1_000_000}],
                kosten=[{"categorie": "C", "bedrag": 612_000, "datum": "2023-07-01"},   # 365 days after payment
                        {"categorie": "D", "bedrag": 1_000_000, "datum": "2022-07-01"}],
                disconteringsvoet=0.02)
    r = calc(d)
    # aandeel = 100.000 / 2.000.000 = 5%; CW = 612.000 / 1,02 + 1.000.000 = 1.600.000
    assert r.aandeel == pytest.approx(0.05)
    assert r.kosten_cw == pytest.approx(612_000 / 1.02 + 1_000_000)
    assert r.verschuldigd == pytest.approx(0.05 * 1_600_000)   # 80.000
    assert r.terugbetaling == pytest.approx(100_000 - 80_000 - 5_000)


def test_netting_between_categories_paid_for():
    # C 200.000 cheaper, D 200.000 dearer: nothing to refund
    d = request(categorieen=[{"categorie": "C", "raming": 500_000}, {"categorie": "D", "raming": 500_000}],
                kosten=[{"categorie": "C", "bedrag": 300_000, "datum": "2022-07-01"},
                        {"categorie": "D", "bedrag": 700_000, "datum": "2022-07-01"}])
    r = calc(d)
    assert r.verschuldigd == pytest.approx(100_000)
    assert r.terugbetaling == 0
    cats = {c["categorie"]: c for c in r.per_categorie}
    assert cats["C"]["verschil"] == pytest.approx(-200_000) and cats["D"]["verschil"] == pytest.approx(200_000)


def test_category_added_later_is_rejected():
    d = request()
    d["kosten"].append({"categorie": "F", "bedrag": 10_000, "datum": "2023-01-01"})
    with pytest.raises(InputError) as ei:
        calc(d)
    assert "later toegevoegde" in str(ei.value) and "kosten[1].categorie" in str(ei.value) and "'F'" in str(ei.value)


# --- interest -----------------------------------------------------------------------------------------------------

def test_interest_across_a_rate_change_wettelijke_rente():
    # refund 1.000 (due 94.000) paid 2022-07-01, settled 2023-07-01: 184 days at 2% (until 2023-01-01, Stb. 2014, 491)
    # and 181 days at 4% (from 2023-01-01): 1.000 × (0,02 × 184 + 0,04 × 181) / 365
    r = calc(request(94_000.0, datum="2023-07-01"))
    assert r.terugbetaling == pytest.approx(1_000.0)
    assert r.rente == pytest.approx(1_000.0 * (0.02 * 184 + 0.04 * 181) / 365)
    assert [row["rente_pct"] for row in r.rente_regels] == [0.02, 0.04]
    assert r.totaal_terug == pytest.approx(r.terugbetaling + r.rente)


def test_interest_compounds_yearly_art_6_119_lid_2():
    # fixed 5%: year 1 2019-03-01..2020-03-01 = 366 days, year 2 = 365 days, then 31 days
    r = calc(request(94_000.0, rente=0.05, betaling={"bedrag": 100_000, "datum": "2019-03-01"},
                     kosten=[{"categorie": "C", "bedrag": 94_000, "datum": "2019-03-01"}], datum="2021-04-01"))
    y1 = 1.0 + 0.05 * 366 / 365
    y2 = 1.0 + 0.05 * 365 / 365
    y3 = 1.0 + 0.05 * 31 / 365
    assert r.rente == pytest.approx(1_000.0 * (y1 * y2 * y3 - 1.0))
    simple = 1_000.0 * 0.05 * (366 + 365 + 31) / 365
    assert r.rente > simple


def test_engine_interest_scalar_and_array():
    d0, d1 = dt.date(2020, 1, 1).toordinal(), dt.date(2020, 7, 1).toordinal()
    r, _ = eng.wettelijke_rente(100.0, d0, d1, [dt.date(2000, 1, 1).toordinal()], [0.0365])
    assert float(r) == pytest.approx(100 * 0.0365 * 182 / 365)
    import numpy as np

    ra, _ = eng.wettelijke_rente(np.array([100.0, 200.0]), d0, d1, [dt.date(2000, 1, 1).toordinal()], [0.0365])
    assert ra.tolist() == pytest.approx([float(r), 2 * float(r)])
    refund, applies = eng.terugbetaling(np.array([100.0, 100.0, 100.0]), np.array([96.0, 95.0, 90.0]), 0.05)
    assert refund.tolist() == pytest.approx([0.0, 0.0, 5.0]) and applies.tolist() == [False, False, True]


def test_rate_table_has_sources_and_rejects_dates_before_it():
    t = load_rentetabel()
    assert t.rate_on(dt.date(2015, 1, 1)) == 0.02  # Stb. 2014, 491: 2% from 1 January 2015
    assert t.rate_on(dt.date(2014, 12, 31)) == 0.03
    assert t.rate_on(dt.date(2024, 1, 1)) == 0.07  # Stb. 2023, 484
    assert all(t.bronnen)
    with pytest.raises(InputError, match="rentetabel"):
        calc(request(90_000.0, betaling={"bedrag": 100_000, "datum": "2005-01-01"}, datum="2006-01-01",
                     kosten=[{"categorie": "C", "bedrag": 90_000, "datum": "2005-01-01"}]))
    with pytest.raises(InputError, match="onbekende rentetabel"):
        calc(request(90_000.0, rente="fantasierente"))


# --- dates: tussentijds, before payment ---------------------------------------------------------------------------

def test_tussentijds_before_five_years_rejected_with_earliest_date():
    d = request(soort="tussentijds", datum="2027-06-30")
    with pytest.raises(InputError) as ei:
        calc(d)
    assert "2027-07-01" in str(ei.value) and "datum" in str(ei.value)
    r = calc(request(94_000.0, soort="tussentijds", datum="2027-07-01"))
    assert r.terugbetaling == pytest.approx(1_000.0) and r.rente > 0


def test_settlement_before_payment_rejected():
    with pytest.raises(InputError, match="vóór de betaling"):
        calc(request(datum="2022-06-30"))


def test_add_years_leap_day():
    assert add_years(dt.date(2024, 2, 29), 5) == dt.date(2029, 3, 1)


# --- planschade ---------------------------------------------------------------------------------------------------

def planschade(geraamd, werkelijk, datum="2029-05-01"):
    return {"naam": "p", "parameterset": "soest", "peildatum": "2023-07-01", "soort": "planschade", "datum": datum,
            "planschade": {"geraamd": geraamd, "werkelijk": werkelijk, "besluit_onherroepelijk": "2024-05-01"}}


def test_planschade_refund_and_naheffing_after_five_years():
    r = calc(planschade(100_000, 60_000))
    assert r.totaal_terug == pytest.approx(40_000) and r.naheffing == 0
    r = calc(planschade(100_000, 130_000))
    assert r.naheffing == pytest.approx(30_000) and r.totaal_terug == 0
    with pytest.raises(InputError) as ei:
        calc(planschade(100_000, 60_000, datum="2029-04-30"))
    assert "2029-05-01" in str(ei.value)


# --- CLI ----------------------------------------------------------------------------------------------------------

def test_cli_example_and_json(capsys):
    assert main(["kostenverhaal", "eindafrekening", EXAMPLE]) == 0
    out = capsys.readouterr().out
    assert "Totaal terug aan initiatiefnemer" in out and "Bijbetaling" in out
    assert main(["kostenverhaal", "eindafrekening", EXAMPLE, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    res = calculate_eindafrekening(load_eindafrekening(EXAMPLE))
    assert data["totaal_terug"] == pytest.approx(res.totaal_terug)
    # hand check of the example: aandeel 250.000 / 5.000.000 = 5%
    assert data["aandeel"] == pytest.approx(0.05)
    assert data["terugbetaling"] == pytest.approx(250_000 - data["verschuldigd"] - 12_500)


def test_cli_bad_request_exit_2(tmp_path, capsys):
    bad = tmp_path / "a.yaml"
    bad.write_text(open(EXAMPLE, encoding="utf-8").read().replace("datum: 2025-03-01", "datum: 2023-03-01"), encoding="utf-8")
    assert main(["kostenverhaal", "eindafrekening", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "tussentijdse eindafrekening" in err and "2024-03-01" in err
    bad.write_text(open(EXAMPLE, encoding="utf-8").read().replace("- {categorie: D, bedrag: 500000", "- {categorie: Z, bedrag: 500000"), encoding="utf-8")
    assert main(["kostenverhaal", "eindafrekening", str(bad)]) == 2
    assert "later toegevoegde" in capsys.readouterr().err
