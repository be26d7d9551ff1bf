"""Properties (hypothesis): voorzieningen = negative NCWs, profit taken <= expected result, a jaarovergang whose
realisation equals the estimate changes only indexation and interest."""
from __future__ import annotations

import numpy as np
from bbvdata import roll_grex_doc, write_ledger
from hypothesis import given, settings
from hypothesis import strategies as st

from opengrex.engine import bbv as rules
from opengrex.services.grex import calculate_grex, grex_from_dict

money = st.floats(-1e9, 1e9, allow_nan=False)


@given(st.lists(money, min_size=1, max_size=40))
def test_total_voorziening_is_sum_of_negative_ncws(ncws):
    ncw = np.array(ncws)
    assert np.isclose(rules.verliesvoorziening(ncw).sum(), -ncw[ncw < 0].sum(), rtol=1e-12, atol=1e-6)


@given(st.lists(st.tuples(st.floats(0, 1e8), st.floats(0, 1e8), st.floats(0, 1e8), st.floats(1, 1e8), money,
                          st.booleans(), st.floats(0, 1e8), st.floats(0, 1)), min_size=1, max_size=30))
def test_profit_taken_never_exceeds_expected_result(rows):
    kr, kt, orr, ot, res, sold, rb, ra = (np.array(c) for c in zip(*rows))
    kt = np.maximum(kt, kr)
    orr = np.minimum(orr, ot)
    w, _ = rules.winstneming(rules.poc(kr, kt, orr, ot), res, sold.astype(bool), 0.0, rb, ra)
    assert (w <= np.maximum(res, 0.0) + 1e-9).all() and (w >= 0).all()


@settings(max_examples=25, deadline=None)
@given(cost=st.floats(100, 1e7), revenue=st.floats(100, 1e7), share=st.floats(0.05, 0.95), index=st.floats(-0.05, 0.2),
       new_index=st.floats(-0.05, 0.2), rente=st.floats(0, 0.08), d=st.floats(0, 0.05))
def test_realisation_equal_to_estimate_changes_only_indexation_and_interest(tmp_path_factory, cost, revenue, share, index, new_index, rente, d):
    doc = roll_grex_doc(rente=rente, disconteringsvoet=d, indices={"kosten": index, "geen": 0.0})
    doc["kosten"][0]["amount"] = cost
    doc["kosten"][0]["phasing"] = {2024: share, 2025: 1 - share}
    doc["opbrengsten"][0]["amount"] = revenue
    est = calculate_grex(grex_from_dict(doc)).outcome.line_flows[0, 0]
    path = write_ledger(tmp_path_factory.mktemp("gb") / "gb.csv", [("2024-06-30", "Rolgrex", "A2", repr(float(-est)))])
    from bbvdata import portfolio

    from opengrex.services.bbv import portfolio_from_dict, roll_portfolio

    jo = roll_portfolio(portfolio_from_dict(portfolio([doc], 2023, disconteringsvoet=d)), path, 2024, nieuwe_indices={"kosten": new_index})
    for m in ("nominaal", "eindwaarde", "ncw"):
        t = jo.totals()[m]
        scale = 1.0 + abs(cost) + abs(revenue)
        for c in ("realisatie", "herraming", "timing"):
            assert abs(t[c]) < 1e-9 * scale, (m, c, t[c])
        assert abs(t["indexatie"] + t["rente"] - t["verschil"]) < 1e-8 * scale
