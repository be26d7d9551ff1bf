"""Lifecycle: afsluiten books the final result and freezes; heropenen is explicit and logged."""
from __future__ import annotations

import datetime as dt

import pytest
from bbvdata import portfolio, valued_grex

from opengrex.errors import InputError
from opengrex.services.bbv import close_grex, ensure_open, portfolio_from_dict, reopen_grex, roll_portfolio


def finished(profit: bool = True, **entry):
    """Fully realised grex 2024 (costs 1000, revenues 1500 or 600), rente 0."""
    g = valued_grex(end_year=2024, rente=0.0, realised_through=2024, prijspeil="2024-01-01")
    g["kosten"] = [{"name": "Alles", "kostensoort": "A2", "amount": 0.0, "index": "geen", "phasing": {2024: 1.0}, "realised": {2024: 1000.0}}]
    g["opbrengsten"] = [{"name": "Kavels", "opbrengstsoort": "gronduitgifte_woningbouw", "amount": 0.0, "index": "geen", "phasing": {2024: 1.0},
                         "realised": {2024: 1500.0 if profit else 600.0}}]
    pf = portfolio([g], 2024)
    pf["grexen"][0].update(entry)
    return portfolio_from_dict(pf)


def test_close_books_profit_not_yet_taken_and_freezes():
    lp, booking = close_grex(finished(winst_vorig=200.0), "Handgrex", door="controller", toelichting="gereed", datum=dt.date(2025, 2, 1))
    assert booking == {"eindresultaat": 500.0, "winst_slot": 300.0, "vrijval_voorziening": 0.0}
    e = lp.portefeuille.grexen[0]
    assert e.status == "afgesloten" and e.eindresultaat == 500.0
    ev = e.historie[-1]
    assert (ev.actie, ev.door, ev.datum, ev.bedragen["winst_slot"]) == ("afsluiten", "controller", dt.date(2025, 2, 1), 300.0)
    with pytest.raises(InputError, match="is afgesloten en kan niet worden gewijzigd"):
        ensure_open(lp.portefeuille, "Handgrex")
    with pytest.raises(InputError, match="afgesloten"):
        close_grex(lp, "Handgrex", door="x")


def test_close_a_loss_uses_the_voorziening():
    _, booking = close_grex(finished(profit=False, voorziening_vorig=300.0), "Handgrex", door="c")
    assert booking["eindresultaat"] == -400.0
    assert booking["aanwending_voorziening"] == 300.0 and booking["verlies_ten_laste_van_dit_jaar"] == 100.0


def test_close_with_flows_still_to_come_is_refused():
    with pytest.raises(InputError, match="niet-gerealiseerde"):
        close_grex(portfolio_from_dict(portfolio([valued_grex()], 2024)), "Handgrex", door="c")


def test_reopen_needs_a_reason_and_is_logged():
    lp, _ = close_grex(finished(), "Handgrex", door="c")
    with pytest.raises(InputError, match="reden"):
        reopen_grex(lp, "Handgrex", door="c", reden="  ")
    lp2 = reopen_grex(lp, "Handgrex", door="wethouder", reden="nagekomen kosten", datum=dt.date(2025, 6, 1))
    e = lp2.portefeuille.grexen[0]
    assert e.status == "in_exploitatie" and e.eindresultaat is None
    assert [h.actie for h in e.historie] == ["afsluiten", "heropenen"] and e.historie[-1].bedragen == {"eindresultaat_vervallen": 500.0}
    with pytest.raises(InputError, match="alleen een afgesloten grex"):
        reopen_grex(lp2, "Handgrex", door="c", reden="x")


def test_jaarovergang_logs_an_event_and_skips_closed_grexes(tmp_path, demo_2023):
    jo = roll_portfolio(demo_2023, "examples/bbv/grootboek-2024.csv", 2024, door="controller", datum=dt.date(2025, 3, 1))
    lp = jo.portefeuille()
    rolled = [e for e in lp.portefeuille.grexen if e.status == "in_exploitatie"]
    assert all(e.historie[-1].actie == "jaarovergang" and e.historie[-1].door == "controller" for e in rolled)
    assert [e.status for e in lp.portefeuille.grexen].count("voorbereiding") == 1
    assert lp.portefeuille.grexen[-1].historie == []  # Westrand (voorbereiding) is not rolled
    assert lp.portefeuille.balansjaar == 2024
