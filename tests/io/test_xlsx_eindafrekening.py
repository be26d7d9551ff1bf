"""The eindafrekening workbook (defect: the eindafrekening page had no Excel download): live formulas for the amount
due, the refund and the interest, recalculated by LibreOffice and compared with the engine to the cent; a changed
cost in the workbook changes the refund as the engine would."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from opengrex.io.libreoffice import read_names, recalculate
from opengrex.io.xlsx_eindafrekening import write_eindafrekening_xlsx
from opengrex.services.eindafrekening import calculate_eindafrekening, load_eindafrekening
from opengrex.services.kinds import get_kind

DEMO = Path(__file__).resolve().parents[2] / "examples" / "kostenverhaal" / "eindafrekening-voorbeeld.yaml"


def variants():
    base = load_eindafrekening(DEMO)
    more_costs = base.model_copy(update={"kosten": [k.model_copy(update={"bedrag": k.bedrag * 1.25}) for k in base.kosten]})  # no refund
    derived = base.model_copy(update={"aandeel": None})
    fixed_rate = base.model_copy(update={"rente": 0.04})
    return {"demo": base, "geen_terugbetaling": more_costs, "aandeel_afgeleid": derived, "vaste_rente": fixed_rate}


def test_workbook_has_formulas_and_text_cells(tmp_path):
    res = calculate_eindafrekening(load_eindafrekening(DEMO))
    path = write_eindafrekening_xlsx(res, tmp_path / "e.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Eindafrekening"]
    formulas = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert len(formulas) > 20 and any("SUMIF" in f for f in formulas) and any("^(-E" in f for f in formulas)
    assert {"Verschuldigd", "Terugbetaling", "Rente", "TotaalTerug"} <= set(wb.defined_names)
    assert ws["A1"].data_type == "s"


def test_download_from_the_registry():
    k = get_kind("eindafrekening")
    assert k.has_exporter("xlsx")
    content = k.exporter("xlsx").write(k.load(DEMO))
    assert content[:2] == b"PK"


@pytest.mark.libreoffice
def test_libreoffice_recalculation_equals_engine(tmp_path):
    cases = variants()
    paths, results = [], {}
    for name, invoer in cases.items():
        res = calculate_eindafrekening(invoer)
        results[name] = res
        paths.append(write_eindafrekening_xlsx(res, tmp_path / f"{name}.xlsx"))
    outs = recalculate(paths, tmp_path / "out")
    for name, out in zip(cases, outs):
        got = read_names(out, ["Verschuldigd", "Terugbetaling", "Rente", "TotaalTerug"])
        res = results[name]
        assert got["Verschuldigd"] == pytest.approx(res.verschuldigd, abs=0.005), name
        assert got["Terugbetaling"] == pytest.approx(res.terugbetaling, abs=0.005), name
        assert got["Rente"] == pytest.approx(res.rente, abs=0.005), name
        assert got["TotaalTerug"] == pytest.approx(res.totaal_terug, abs=0.005), name
    assert results["demo"].rente > 0 and results["geen_terugbetaling"].terugbetaling == 0


@pytest.mark.libreoffice
def test_a_changed_cost_in_the_workbook_changes_the_refund_like_the_engine(tmp_path):
    base = load_eindafrekening(DEMO)
    path = write_eindafrekening_xlsx(calculate_eindafrekening(base), tmp_path / "e.xlsx")
    wb = openpyxl.load_workbook(path)
    # the cost lines are input sheet rows (uploaded back as a new version); the calculation sheet refers to them
    ws = wb["Herberekende kosten"]
    column = next(c for c in range(1, ws.max_column + 1) if str(ws.cell(2, c).value).startswith("Bedrag"))
    assert ws.cell(3, column).value == base.kosten[0].bedrag
    calc = wb["Eindafrekening"]
    ref = f"'Herberekende kosten'!${openpyxl.utils.get_column_letter(column)}$3"
    assert any(c.value == f"=N({ref})" for row in calc.iter_rows() for c in row)
    ws.cell(3, column).value = ws.cell(3, column).value * 0.9
    wb.save(path)
    edited = base.model_copy(update={"kosten": [k.model_copy(update={"bedrag": k.bedrag * 0.9}) if i == 0 else k for i, k in enumerate(base.kosten)]})
    want = calculate_eindafrekening(edited)
    got = read_names(recalculate([path], tmp_path / "out")[0], ["Verschuldigd", "Terugbetaling"])
    assert got["Verschuldigd"] == pytest.approx(want.verschuldigd, abs=0.005)
    assert got["Terugbetaling"] == pytest.approx(want.terugbetaling, abs=0.005)


def test_planschade_workbook(tmp_path):
    k = get_kind("eindafrekening")
    data = {"naam": "Planschade X", "soort": "planschade", "datum": "2030-01-01", "peildatum": "2024-01-01", "parameterset": "soest",
            "planschade": {"geraamd": 100000, "werkelijk": 80000, "besluit_onherroepelijk": "2024-01-01"}}
    model = k.validate(data, "test")
    wb = openpyxl.load_workbook(__import__("io").BytesIO(k.exporter("xlsx").write(model)))
    assert {"Saldo", "Terugbetaling", "Naheffing"} <= set(wb.defined_names)
