"""Jaarovergang N -> N+1: ledger realisation, re-indexation, variance split (Shapley) adding up, errors."""
from __future__ import annotations

import numpy as np
import pytest
from bbvdata import portfolio, roll_grex_doc, write_ledger

from opengrex.errors import InputError
from opengrex.services.bbv import portfolio_from_dict, roll_grex, roll_portfolio, value_portfolio
from opengrex.services.grex import calculate_grex, grex_from_dict


def rolled(tmp_path, rows, **kwargs):
    g = grex_from_dict(roll_grex_doc())
    return roll_grex(g, write_ledger(tmp_path / "gb.csv", rows), 2024, **kwargs)


def test_realisation_replaces_estimate_hand_computed(tmp_path):
    jo = rolled(tmp_path, [("2024-03-01", "Rolgrex", "A2", 400), ("2024-09-01", "Rolgrex", "a2", "250,00")])
    t = jo.totals()
    # A: -600 + (-440 + 2000) = 960; B: -650 - 440 + 2000 = 910; only realisation changes (rente = d = 0)
    assert t["nominaal"]["voor"] == pytest.approx(960.0) and t["nominaal"]["na"] == pytest.approx(910.0)
    assert t["nominaal"]["realisatie"] == pytest.approx(-50.0, abs=1e-9)
    for c in ("herraming", "timing", "indexatie", "rente"):
        assert t["nominaal"][c] == pytest.approx(0.0, abs=1e-9)
    doc = jo.documents()[0]
    assert doc.prijspeil.isoformat() == "2025-01-01" and doc.realised_through == 2024 and doc.ncw_datum.isoformat() == "2025-01-01"
    line = doc.kosten[0]
    assert line.realised == {2024: 650.0}
    assert line.amount == pytest.approx(440.0)  # 400 at prijspeil 2024, re-indexed 10 % to 1-1-2025
    assert line.phasing == {2025: 1.0}
    assert calculate_grex(doc).saldo_nominaal == pytest.approx(910.0)  # the document reproduces version B


def test_new_index_series_is_indexatie(tmp_path):
    jo = rolled(tmp_path, [("2024-03-01", "Rolgrex", "A2", 650)], nieuwe_indices={"kosten": 0.20})
    t = jo.totals()["nominaal"]
    assert t["na"] == pytest.approx(-650 - 480 + 2000)
    assert t["realisatie"] == pytest.approx(-50.0, abs=1e-9)
    assert t["indexatie"] == pytest.approx(-40.0, abs=1e-9)
    assert jo.documents()[0].kosten[0].amount == pytest.approx(480.0)


def test_restant_doorschuiven_moves_the_underspend_to_next_year(tmp_path):
    jo = rolled(tmp_path, [("2024-03-01", "Rolgrex", "A2", 550)], restant="doorschuiven")
    doc = jo.documents()[0]
    assert doc.kosten[0].amount == pytest.approx(495.0)  # (400 + 50 moved) * 1,1
    t = jo.totals()["nominaal"]
    assert t["realisatie"] == pytest.approx(50.0) and t["herraming"] == pytest.approx(-55.0)
    assert jo.vervallen_frame().empty
    jo2 = rolled(tmp_path, [("2024-03-01", "Rolgrex", "A2", 550)])
    assert jo2.vervallen_frame()["vervallen_raming"].tolist() == pytest.approx([50.0])


def test_parts_add_up_to_the_total_change_for_every_measure(demo_2023):
    jo = roll_portfolio(demo_2023, "examples/bbv/grootboek-2024.csv", 2024, nieuwe_indices={"kosten": 0.05}, nieuwe_rente=0.03)
    for m in range(3):
        total = jo.values[-1, m].sum(axis=-1) - jo.values[0, m].sum(axis=-1)
        assert jo.parts[:, m].sum(axis=(0, -1)) == pytest.approx(total, abs=1e-6)
        assert np.abs(jo.parts[:, m].sum(axis=(0, -1)) - total).max() < 0.005  # to the cent
    # the hybrids at both ends are the two versions as valued on their own
    assert jo.values[0, 2].sum(axis=-1) == pytest.approx(jo.voor.figures["ncw"], rel=1e-9)
    assert jo.values[-1, 2].sum(axis=-1) == pytest.approx(jo.na.figures["ncw"], rel=1e-9)
    assert jo.values[-1, 0].sum(axis=-1) == pytest.approx(jo.na.figures["resultaat_nominaal"], rel=1e-9)
    # and the materialised documents value the same as the rolled arrays
    w = value_portfolio(jo.portefeuille())
    assert w.figures["ncw"] == pytest.approx(jo.na.figures["ncw"], rel=1e-9)
    df = jo.verschillen_frame()
    assert (df["verschil"] - df[["realisatie", "herraming", "timing", "indexatie", "rente"]].sum(axis=1)).abs().max() < 0.005


def test_kostensoort_without_line_gets_a_new_line_and_post_column(tmp_path):
    g = grex_from_dict(roll_grex_doc())
    path = tmp_path / "gb.csv"
    path.write_text("datum,project,kostensoort,bedrag,post\n2024-02-01,Rolgrex,A2,600,Verwerving\n2024-05-01,Rolgrex,A10,25,\n", encoding="utf-8")
    jo = roll_grex(g, path, 2024)
    doc = jo.documents()[0]
    new = [ln for ln in doc.kosten if ln.kostensoort == "A10"]
    assert len(new) == 1 and new[0].realised == {2024: 25.0} and new[0].amount == 0.0
    assert jo.totals()["nominaal"]["realisatie"] == pytest.approx(-25.0)


def test_jaarovergang_applied_twice_is_an_error(tmp_path):
    jo = rolled(tmp_path, [("2024-03-01", "Rolgrex", "A2", 600)])
    with pytest.raises(InputError, match="jaarovergang 2024 is al toegepast"):
        roll_grex(jo.documents()[0], tmp_path / "gb.csv", 2024)


@pytest.mark.parametrize("row, field, text", [
    (("2024-03-01", "Onbekend", "A2", 10), "project", "onbekend project"),
    (("2024-03-01", "Rolgrex", "Z9", 10), "kostensoort", "onbekende kostensoort"),
    (("2023-12-31", "Rolgrex", "A2", 10), "datum", "datum buiten het boekjaar"),
    (("2024-13-45", "Rolgrex", "A2", 10), "datum", "ongeldige datum"),
    (("2024-03-01", "Rolgrex", "A2", "tien"), "bedrag", "ongeldig bedrag"),
])
def test_bad_ledger_rows_name_the_row(tmp_path, row, field, text):
    path = write_ledger(tmp_path / "gb.csv", [("2024-01-05", "Rolgrex", "A2", 100), row])
    with pytest.raises(InputError) as exc:
        roll_grex(grex_from_dict(roll_grex_doc()), path, 2024)
    err = exc.value.errors[0]
    assert err.field == field and text in err.message and err.location.endswith("rij 3")


def test_ledger_with_many_bad_rows_lists_a_bounded_number(tmp_path):
    rows = [("2024-01-05", "X", "A2", 1)] * 80
    with pytest.raises(InputError) as exc:
        roll_grex(grex_from_dict(roll_grex_doc()), write_ledger(tmp_path / "gb.csv", rows), 2024)
    assert len(exc.value.errors) == 51 and "en nog 30 fout(en)" in exc.value.errors[-1].message


def test_booking_on_a_closed_grex_is_refused(tmp_path):
    pf = portfolio([roll_grex_doc(), roll_grex_doc(name="Dicht")], 2023)
    pf["grexen"][1].update({"status": "afgesloten", "eindresultaat": 10.0})
    path = write_ledger(tmp_path / "gb.csv", [("2024-01-05", "Dicht", "A2", 100)])
    with pytest.raises(InputError, match="afgesloten"):
        roll_portfolio(portfolio_from_dict(pf), path, 2024)


def test_negative_balance_per_line_is_an_error(tmp_path):
    with pytest.raises(InputError, match="negatief"):
        rolled(tmp_path, [("2024-03-01", "Rolgrex", "A2", -10)])


def test_xlsx_ledger(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Datum", "Project", "Kostensoort", "Bedrag"])
    import datetime as dt

    ws.append([dt.date(2024, 4, 1), "Rolgrex", "A2", 650.0])
    wb.save(tmp_path / "gb.xlsx")
    jo = roll_grex(grex_from_dict(roll_grex_doc()), tmp_path / "gb.xlsx", 2024)
    assert jo.totals()["nominaal"]["realisatie"] == pytest.approx(-50.0)
