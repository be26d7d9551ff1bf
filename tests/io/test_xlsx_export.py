"""Excel export with live formulas (opengrex.io.xlsx_export) cross-checked against the engine via LibreOffice.

One LibreOffice run (module fixture) recalculates the demo, 24 random grexes and an edited copy of the demo; every
yearly total and headline figure must equal ``calculate_grex`` to €0.01.
"""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from opengrex.io.libreoffice import recalculate
from opengrex.io.xlsx_export import HEADLINE_NAMES, berekening_cells, export_grex_xlsx, kasstroom_cells
from opengrex.services.grex import calculate_grex, load_grex
from opengrex.testing import random_grex

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo-grex.yaml"
CENT = 0.01
N_RANDOM = 24
TIMINGS = ("end", "mid", "start")


def _random_grexes():
    out = []
    for i in range(N_RANDOM):
        rng = np.random.default_rng(1000 + i)
        out.append(random_grex(rng, n_lines=int(rng.integers(3, 25)), n_years=int(rng.integers(1, 16)), timing=TIMINGS[i % 3]))
    return out


def _edited_demo():
    """The demo with disconteringsvoet 3,5% and the first line's phasing 0.6/0.4 -> 0.25/0.75 (for the live-edit test)."""
    g = load_grex(DEMO)
    kosten = list(g.kosten)
    kosten[0] = kosten[0].model_copy(update={"phasing": {2025: 0.25, 2026: 0.75}})
    return g.model_copy(update={"disconteringsvoet": 0.035, "kosten": kosten})


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    """(grex, recalculated workbook) pairs from ONE LibreOffice invocation."""
    src = tmp_path_factory.mktemp("export")
    grexes = {"demo": load_grex(DEMO)}
    grexes.update({f"random{i:02d}": g for i, g in enumerate(_random_grexes())})
    grexes["nolines"] = load_grex(DEMO).model_copy(update={"kosten": [], "opbrengsten": [], "opening_book_value": -1000.0, "timing": "mid"})
    grexes.update(_actual_days_grexes())
    paths = []
    for name, g in grexes.items():
        export_grex_xlsx(g, src / f"{name}.xlsx")
        paths.append(src / f"{name}.xlsx")
    # live formulas: edit two input cells of the exported demo, the workbook must follow
    export_grex_xlsx(load_grex(DEMO), src / "edited.xlsx")
    wb = openpyxl.load_workbook(src / "edited.xlsx")
    wb["Algemeen"][_field_cell(wb, "disconteringsvoet")] = 0.035  # the input cell (Parameters!Disconteringsvoet follows)
    wb["Kosten"][_year_cell(wb["Kosten"], "Fasering", 2025, row=3)] = 0.25  # first line, first year (2025)
    wb["Kosten"][_year_cell(wb["Kosten"], "Fasering", 2026, row=3)] = 0.75
    wb.save(src / "edited.xlsx")
    paths.append(src / "edited.xlsx")
    grexes["edited"] = _edited_demo()
    outs = recalculate(paths, tmp_path_factory.mktemp("recalculated"))
    return {name: (g, out) for (name, g), out in zip(grexes.items(), outs)}


def _named_cell(wb, name):
    (_, ref), = list(wb.defined_names[name].destinations)
    return ref.replace("$", "")


def _field_cell(wb, key):
    """The Waarde cell of the row with Sleutel ``key`` on sheet Algemeen."""
    ws = wb["Algemeen"]
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(row=r, column=5).value == key)
    return f"B{row}"


def _year_cell(ws, block, year, row):
    """The cell of ``year`` in the block labelled ``block`` (row 1) on a lines sheet."""
    start = next(c for c in range(1, ws.max_column + 1) if str(ws.cell(row=1, column=c).value or "").startswith(block))
    column = next(c for c in range(start, ws.max_column + 1) if ws.cell(row=2, column=c).value == year)
    return f"{openpyxl.utils.get_column_letter(column)}{row}"


def _read(path: Path, grex):
    wb = openpyxl.load_workbook(path, data_only=True)
    ks = wb["Kasstroom"]
    cells = kasstroom_cells(grex)
    yearly = {k: np.array([ks[c].value for c in v], dtype=float) for k, v in cells.items()}
    heads = {}
    for n in HEADLINE_NAMES:
        (sheet, ref), = list(wb.defined_names[n].destinations)
        heads[n] = wb[sheet][ref.replace("$", "")].value
    bc = wb["Berekening"]
    addresses = berekening_cells(grex)
    lines = np.array([[bc[c].value for c in row] for row in addresses], dtype=float).reshape(addresses.shape)
    wb.close()
    return yearly, heads, lines


def test_random_grexes_cover_every_branch():
    gs = _random_grexes()
    assert len(gs) >= 20
    assert {g.timing for g in gs} == set(TIMINGS)
    assert any(isinstance(g.rente, dict) for g in gs)
    assert any(g.rente != g.disconteringsvoet for g in gs)
    assert any(g.ncw_date != dt.date(g.ncw_date.year, 1, 1) for g in gs)
    assert any(g.opening_book_value != 0 for g in gs)
    assert any(ln.realised for g in gs for _, _, ln in g.lines())
    assert any(g.realised_through is not None for g in gs)
    assert any(g.prijspeil.year < g.start_year for g in gs)
    assert any(g.prijspeil.year > g.start_year for g in gs)
    assert any(any(isinstance(s, dict) for s in g.indices.values()) for g in gs)


def _actual_days_grexes():
    """Day count werkelijke_dagen (spec §10) with an NCW-datum in a leap year, every timing, realised amounts."""
    out = {}
    for i, timing in enumerate(TIMINGS):
        g = random_grex(np.random.default_rng(2000 + i), n_lines=12, n_years=9, timing=timing)
        out[f"dagen-{timing}"] = g.model_copy(update={"dagtelling": "werkelijke_dagen", "ncw_datum": dt.date(g.start_year - 1, 3, 1)})
    return out


def _names():
    return ["demo"] + [f"random{i:02d}" for i in range(N_RANDOM)] + ["nolines", "edited"] + [f"dagen-{t}" for t in TIMINGS]


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", _names())
def test_workbook_reproduces_engine_to_the_cent(recalculated, name):
    grex, path = recalculated[name]
    r = calculate_grex(grex)
    o = r.outcome
    yearly, heads, lines = _read(path, grex)
    expected = {
        "opbrengsten": o.revenues, "kosten": o.costs, "saldo": o.flows, "rente": o.interest, "boekwaarde": o.book_value,
        "contante_waarde": o.flows * o.discount,
    }
    for key, exp in expected.items():
        np.testing.assert_allclose(yearly[key], exp, rtol=0, atol=CENT, err_msg=f"{name}: {key} per jaar")
    np.testing.assert_allclose(yearly["t"], o.t, rtol=0, atol=1e-12, err_msg=f"{name}: t_y")
    np.testing.assert_allclose(lines, o.line_flows, rtol=0, atol=CENT, err_msg=f"{name}: kasstroom per post")
    assert heads["Eindwaarde"] == pytest.approx(r.eindwaarde, abs=CENT)
    assert heads["NCW"] == pytest.approx(r.ncw, abs=CENT)
    assert heads["ContanteWaarde"] == pytest.approx(r.contante_waarde, abs=CENT)
    assert heads["SaldoNominaal"] == pytest.approx(r.saldo_nominaal, abs=CENT)
    assert heads["SaldoPrijspeil"] == pytest.approx(r.saldo_prijspeil, abs=CENT)
    assert heads["TotaleRente"] == pytest.approx(float(o.interest.sum()), abs=CENT)
    assert heads["Tend"] == pytest.approx(o.t_end, abs=1e-12)


@pytest.mark.libreoffice
def test_edited_inputs_change_the_results(recalculated):
    """The edit test is meaningful: the edited demo differs from the demo by far more than a cent."""
    demo = calculate_grex(recalculated["demo"][0])
    edited = calculate_grex(recalculated["edited"][0])
    assert abs(demo.ncw - edited.ncw) > 10_000
    _, heads, _ = _read(recalculated["edited"][1], recalculated["edited"][0])
    assert heads["NCW"] == pytest.approx(edited.ncw, abs=CENT)


def test_workbook_structure(tmp_path):
    g = load_grex(DEMO)
    p = tmp_path / "demo.xlsx"
    export_grex_xlsx(g, p)
    wb = openpyxl.load_workbook(p)
    assert wb.sheetnames == ["Toelichting", "Algemeen", "Indexreeksen", "Kosten", "Opbrengsten", "Parameters", "Indexcijfers", "Berekening",
                             "Kasstroom", "Lijsten", "opengrex"]
    assert wb["opengrex"].sheet_state == "hidden" and wb["Lijsten"].sheet_state == "hidden"
    for n in HEADLINE_NAMES + ("Prijspeil", "Timing", "Disconteringsvoet", "NcwDatum", "NcwFractie", "Openingsboekwaarde", "GerealiseerdTm"):
        assert n in wb.defined_names, n
    # the calculation refers to the input cells: the first cost line's amount and its phasing
    assert "Kosten" in wb["Berekening"]["E4"].value and "'Kosten'!$C$3" in wb["Berekening"]["E4"].value
    # live formulas, with no cached values
    flow = wb["Berekening"][berekening_cells(g)[1, 1]].value
    assert flow.startswith("=IF(") and "INDEX(" in flow and 'Timing="mid"' in flow
    assert wb["Berekening"]["C4"].value.startswith("=MATCH(")
    assert wb["Kasstroom"]["H4"].value.startswith("=IF(Timing=\"start\"")
    assert wb["Indexcijfers"]["B3"].value == 2025
    wb_values = openpyxl.load_workbook(p, data_only=True)
    assert wb_values["Kasstroom"]["H4"].value is None
    # presentation: euro format, frozen panes
    assert "€" in wb["Kasstroom"]["H4"].number_format
    assert wb["Berekening"].freeze_panes == "F4"
    assert wb["Kosten"].freeze_panes == "B3"


def test_prijspeil_after_start_indexes_backwards(tmp_path):
    g = load_grex(DEMO).model_copy(update={"prijspeil": dt.date(2027, 1, 1)})
    p = tmp_path / "x.xlsx"
    export_grex_xlsx(g, p)
    ws = openpyxl.load_workbook(p)["Indexcijfers"]
    # 4 series: rates on rows 7-10, header row 12, factors on rows 13-16; columns B.. = 2025..
    assert ws["A13"].value == "=A7"
    factors = [c.value for c in ws[13]][1:5]
    assert factors[2] == "=1"  # 2027 (prijspeil)
    assert factors[1] == "=D13/(1+C7)"  # 2026: I_2027 / (1 + r_2026)
    assert factors[0] == "=C13/(1+B7)"  # 2025
    assert factors[3] == "=D13*(1+D7)"  # 2028: I_2027 * (1 + r_2027)


def test_export_of_200_lines_30_years_is_fast(tmp_path):
    g = random_grex(np.random.default_rng(7), n_lines=200, n_years=30)
    # CPU time of this process, not wall time: the bound holds on a machine busy with other work too
    t0 = time.process_time()
    export_grex_xlsx(g, tmp_path / "big.xlsx")
    elapsed = time.process_time() - t0
    assert elapsed < 2.0, f"export took {elapsed:.2f} s CPU"


def test_text_starting_with_equals_stays_text(tmp_path):
    g = load_grex(DEMO)
    k0 = g.kosten[0].model_copy(update={"name": "=SOM(fase 1)"})
    g = g.model_copy(update={"kosten": [k0, *g.kosten[1:]], "name": "=project"})
    export_grex_xlsx(g, tmp_path / "x.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "x.xlsx")
    assert wb["Kosten"]["A3"].value == "=SOM(fase 1)" and wb["Kosten"]["A3"].data_type == "s"
    assert wb["Algemeen"]["B3"].value == "=project" and wb["Algemeen"]["B3"].data_type == "s"
