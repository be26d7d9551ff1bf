"""Grex scenarios, tornado and the version difference per cause (opengrex.services.grex_scenarios): the batch of variants
in one engine call equals separate engine runs, the Shapley parts are checked by hand and add up, the waterfall
rules are the programme's, the scenario changes copy and never mutate."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from opengrex.engine import programma as prules
from opengrex.errors import InputError, InputErrors
from opengrex.model.grex import GREX_CAUSES, Grex, GrexScenario, compile_variants, hybrid_grex
from opengrex.services import grex_scenarios as gs
from opengrex.services.grex import calculate_grex, grex_from_dict, grex_to_dict, load_grex
from opengrex.testing import random_grex

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo-grex.yaml"


@pytest.fixture(scope="module")
def demo() -> Grex:
    return load_grex(DEMO)


def _random(seed: int, **kw) -> Grex:
    rng = np.random.default_rng(seed)
    return random_grex(rng, n_lines=int(rng.integers(4, 14)), n_years=int(rng.integers(3, 12)), **kw)


# ------------------------------------------------------------------------------------------------ tornado
@pytest.mark.parametrize("seed", [None, 1, 2, 3, 4, 5, 6])
def test_tornado_values_equal_separate_engine_runs(demo, seed):
    grex = demo if seed is None else _random(seed, timing=("end", "mid", "start")[seed % 3])
    tor = gs.grex_tornado(grex)
    assert tor.basis_ncw == pytest.approx(calculate_grex(grex).ncw, abs=1e-6)
    rows = {r["invoer"]: r for r in tor.rows}
    for t in gs.tornado_inputs(grex):
        low = calculate_grex(gs.apply_changes(grex, [t.laag]))  # a separate engine run per variant
        high = calculate_grex(gs.apply_changes(grex, [t.hoog]))
        assert rows[t.invoer]["ncw_laag"] == pytest.approx(low.ncw, abs=1e-6), t.invoer
        assert rows[t.invoer]["ncw_hoog"] == pytest.approx(high.ncw, abs=1e-6), t.invoer
    widths = [r["bandbreedte"] for r in tor.rows]
    assert widths == sorted(widths, reverse=True)


def test_tornado_is_one_engine_call(demo, monkeypatch):
    calls = []
    real = gs.rules.calculate

    def counting(a):
        calls.append(np.shape(a.amount))
        return real(a)

    monkeypatch.setattr(gs.rules, "calculate", counting)
    tor = gs.grex_tornado(demo)
    assert len(calls) == 1 and calls[0][0] == 1 + 2 * len(tor.rows)  # base + low and high of every input, on one axis


def test_tornado_inputs_and_ranges(demo):
    names = [t.invoer for t in gs.tornado_inputs(demo, procentpunt=0.005, procent=20, jaren=2)]
    assert names[:2] == ["Rente (boekwaarde)", "Disconteringsvoet"]
    assert {"Index kostenstijging", "Index opbrengsten_woningbouw", "Kosten (bedragen)", "Opbrengsten (bedragen)", "Fasering opbrengsten"} <= set(names)
    t = {x.invoer: x for x in gs.tornado_inputs(demo, procentpunt=0.005, procent=20, jaren=2)}
    assert t["Kosten (bedragen)"].bereik == "± 20 %" and t["Rente (boekwaarde)"].bereik == "± 0,5 procentpunt"
    assert t["Fasering opbrengsten"].hoog.jaren == 2 and t["Fasering opbrengsten"].laag.jaren == -2


def test_variants_that_cannot_share_one_batch_are_refused(demo):
    other = demo.model_copy(update={"timing": "mid"})
    with pytest.raises(InputError, match="niet samen te berekenen"):
        compile_variants([demo, other])
    fewer = demo.model_copy(update={"kosten": demo.kosten[1:]})
    with pytest.raises(InputError, match="niet samen te berekenen"):
        compile_variants([demo, fewer])


# ------------------------------------------------------------------------------------------------ scenarios
def test_scenario_waterfall_sequential_and_shapley_add_up_and_match_separate_runs(demo):
    changes = [gs.parse_grex_change(t) for t in ("rente=+0,01", "verschuif:opbrengsten=1", "kosten=+10", "vertraging=1@2030")]
    cmp = gs.run_grex_scenarios(demo, [GrexScenario(naam="Slecht weer", wijzigingen=changes)])
    s = cmp.scenarios[0]
    total = s.result.ncw - cmp.base.ncw
    assert sum(s.sequential) == pytest.approx(total, abs=1e-6) and sum(s.shapley) == pytest.approx(total, abs=1e-6)
    # sequential: each change on top of the previous ones, as separate engine runs
    prev = cmp.base.ncw
    for i in range(len(changes)):
        now = calculate_grex(gs.apply_changes(demo, changes[: i + 1])).ncw
        assert s.sequential[i] == pytest.approx(now - prev, abs=1e-6)
        prev = now
    # Shapley: the programme's rule on all 2^k coalitions, each a separate engine run
    k = len(changes)
    values = np.array([calculate_grex(gs.apply_changes(demo, [c for i, c in enumerate(changes) if m >> i & 1])).ncw for m in range(2**k)])
    np.testing.assert_allclose(s.shapley, prules.shapley(values, k), atol=1e-6)
    assert s.wijzigingen == ["rente +1 procentpunt", "opbrengsten +1 jaar", "kosten +10%", "vertraging 1 jaar vanaf 2030"]


def test_two_changes_shapley_by_hand(demo):
    """k = 2: φ_1 = ½ (v(1) − v(∅)) + ½ (v(12) − v(2)), φ_2 likewise."""
    a, b = gs.parse_grex_change("rente=0,04"), gs.parse_grex_change("opbrengsten=-10")
    v0 = calculate_grex(demo).ncw
    v1 = calculate_grex(gs.apply_changes(demo, [a])).ncw
    v2 = calculate_grex(gs.apply_changes(demo, [b])).ncw
    v12 = calculate_grex(gs.apply_changes(demo, [a, b])).ncw
    s = gs.run_grex_scenarios(demo, [a, b]).scenarios[0]
    assert s.shapley[0] == pytest.approx(0.5 * (v1 - v0) + 0.5 * (v12 - v2), abs=1e-6)
    assert s.shapley[1] == pytest.approx(0.5 * (v2 - v0) + 0.5 * (v12 - v1), abs=1e-6)
    assert s.sequential == pytest.approx([v1 - v0, v12 - v1], abs=1e-6)


def test_scenarios_live_in_the_document_and_copy_never_mutate(demo):
    data = grex_to_dict(demo)
    assert "scenarios" not in data  # a grex without scenarios is written as before
    data["scenarios"] = [{"naam": "Rente hoog", "wijzigingen": [{"type": "rente", "delta": 0.01}, {"type": "index", "reeks": "kostenstijging", "waarde": 0.04, "vanaf": 2028}]}]
    g = grex_from_dict(data)
    before = grex_to_dict(g)
    cmp = gs.run_grex_scenarios(g)
    assert [s.naam for s in cmp.scenarios] == ["Rente hoog"] and grex_to_dict(g) == before
    assert calculate_grex(g).ncw == pytest.approx(calculate_grex(demo).ncw)  # scenarios do not change the grex's own result
    bad = dict(data, scenarios=[{"naam": "x", "wijzigingen": [{"type": "index", "reeks": "bestaat_niet", "delta": 0.01}, {"type": "verschuif", "jaren": 1, "regels": ["geen post"]}]}])
    with pytest.raises(InputErrors) as info:
        grex_from_dict(bad)
    fields = {e.field for e in info.value.errors}
    assert {"scenarios[0].wijzigingen[0].reeks", "scenarios[0].wijzigingen[1].regels[0]"} <= fields


def test_change_texts_parse_and_print_back():
    for text in ("rente=+0,01", "rente=0,03@2030", "disconteringsvoet=+0,005", "index=+0,005", "index:kostenstijging=0,04@2028", "verschuif=1",
                 "verschuif:opbrengsten=2", "verschuif:Uitgifte vrije sector=-1", "vertraging=2", "vertraging=1@2029", "kosten=+10", "opbrengsten=-10",
                 "opbrengsten:Uitgifte vrije sector=-15"):
        w = gs.parse_grex_change(text)
        assert gs.parse_grex_change(gs.change_text(w)) == w, text
    for bad in ("rente", "rente=", "rente=hoog", "onzin=1", "verschuif=een"):
        with pytest.raises(InputError) as info:
            gs.parse_grex_change(bad)
        assert info.value.value == bad and "rente=+0,01" in info.value.allowed


def test_delay_moves_estimates_from_a_year_and_keeps_the_rest(demo):
    g = gs.apply_changes(demo, [gs.parse_grex_change("vertraging=2@2030")])
    assert g.end_year == demo.end_year + 2
    line = next(ln for ln in g.kosten if ln.name == "Bouwrijp maken fase 2")
    assert line.phasing == {2032: 0.6, 2033: 0.4}
    assert next(ln for ln in g.kosten if ln.name == "Verwerving gronden").phasing == {2025: 0.6, 2026: 0.4}
    assert sum(s for ln in g.kosten + g.opbrengsten for s in ln.shares.values()) == pytest.approx(len(g.kosten) + len(g.opbrengsten))


# ------------------------------------------------------------------------------------------------ versions per cause
def test_version_difference_per_cause_adds_up_and_isolates_each_cause(demo):
    b = demo.model_copy(update={
        "rente": 0.03,
        "kosten": [demo.kosten[0].model_copy(update={"amount": 11_000_000.0}), *demo.kosten[1:]],
        "opbrengsten": [demo.opbrengsten[0].model_copy(update={"phasing": {2029: 0.3, 2030: 0.4, 2031: 0.3}}), *demo.opbrengsten[1:]],
    })
    cmp = gs.compare_grex_versions(demo, b)
    d = cmp.to_dict()["kengetallen"]
    for key in ("ncw", "eindwaarde", "saldo_nominaal", "contante_waarde"):
        parts = {p["oorzaak"]: p["bedrag"] for p in d[key]["per_oorzaak"]}
        assert sum(parts.values()) == pytest.approx(d[key]["verschil"], abs=1e-6), key
        assert parts["indexering"] == 0.0 and parts["realisatie"] == 0.0 and parts["opbrengsten"] == 0.0, key
    assert d["ncw"]["a"] == pytest.approx(calculate_grex(demo).ncw) and d["ncw"]["b"] == pytest.approx(calculate_grex(b).ncw)
    # saldo nominaal does not depend on the rente: its rente part is exactly 0
    assert {p["oorzaak"]: p["bedrag"] for p in d["saldo_nominaal"]["per_oorzaak"]}["rente"] == pytest.approx(0.0, abs=1e-9)


def test_a_single_cause_gets_the_whole_difference(demo):
    """Only amounts of cost lines change: the whole difference is 'kosten', checked by hand against the two versions."""
    b = demo.model_copy(update={"kosten": [ln.scaled(1.05) for ln in demo.kosten]})
    cmp = gs.compare_grex_versions(demo, b)
    expect = calculate_grex(b).ncw - calculate_grex(demo).ncw
    parts = dict(zip(cmp.causes, cmp.parts["ncw"]))
    assert parts["kosten"] == pytest.approx(expect, abs=1e-6)
    assert all(abs(v) < 1e-6 for c, v in parts.items() if c != "kosten")


def test_hybrids_rebuild_each_version(demo):
    b = _random(11).model_copy(update={"prijspeil": demo.prijspeil, "ncw_datum": demo.ncw_datum})
    none = hybrid_grex(demo, b, lambda c: False)
    every = hybrid_grex(demo, b, lambda c: True)
    assert calculate_grex(none).ncw == pytest.approx(calculate_grex(demo).ncw, abs=1e-6)
    assert calculate_grex(every).ncw == pytest.approx(calculate_grex(b).ncw, abs=1e-6)
    assert set(GREX_CAUSES) == {"kosten", "opbrengsten", "fasering", "indexering", "rente", "realisatie"}


def test_realisation_and_opening_are_their_own_cause(demo):
    b = demo.model_copy(update={"opening_book_value": -500_000.0, "realised_through": 2025,
                                "kosten": [demo.kosten[0].model_copy(update={"realised": {2025: 5_800_000.0}}), *demo.kosten[1:]]})
    parts = dict(zip(*[gs.compare_grex_versions(demo, b).causes, gs.compare_grex_versions(demo, b).parts["ncw"]]))
    assert parts["realisatie"] != 0 and all(abs(v) < 1e-6 for c, v in parts.items() if c != "realisatie")
