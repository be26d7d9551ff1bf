"""The case workbook (``--xlsx``) has live formulas; recalculated by LibreOffice it equals the engine to €0,01.
All example cases (and a variant where the cap bites inside the financiële bijdragen) in ONE soffice run."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from opengrex.api.kostenverhaal import calculate_case, case_from_dict, case_to_dict, load_case
from opengrex.cli import main
from opengrex.engine.kostenverhaal import A5_ROWS, CATEGORIES
from opengrex.io.libreoffice import read_names, recalculate
from opengrex.io.xlsx_kostenverhaal import write_case_xlsx

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "kostenverhaal"
FILES = ["voorbeeld-1", "voorbeeld-2", "voorbeeld-3", "voorbeeld-4", "macroaftopping-2-1-3", "zonder-tijdvak", "met-grex"]


def _cases():
    out = {f: calculate_case(load_case(EXAMPLES / f"{f}.yaml")) for f in FILES}
    d = case_to_dict(load_case(EXAMPLES / "voorbeeld-3.yaml"))
    d["financiele_bijdrage_woningvoorraad"] = {"grondwaarde": {"sociaal": 20_000, "midden": 50_000, "duur": 420_000}}
    out["cap-in-bijdragen"] = calculate_case(case_from_dict(d, base_dir=EXAMPLES))
    d = case_to_dict(load_case(EXAMPLES / "voorbeeld-3.yaml"))
    d["programma"]["woningen"] = {"sociaal": 12, "midden": 1, "duur": 7}
    d["gebied"] = "Kern Soest"
    out["ontvangst-fonds"] = calculate_case(case_from_dict(d, base_dir=EXAMPLES))
    return out


def test_workbook_has_formulas(tmp_path):
    r = calculate_case(load_case(EXAMPLES / "voorbeeld-2.yaml"))
    p = write_case_xlsx(r, tmp_path / "v2.xlsx")
    wb = openpyxl.load_workbook(p)
    assert wb.sheetnames[0] == "A5"
    assert [wb["A5"].cell(2 + i, 1).value for i in range(len(A5_ROWS))] == list(A5_ROWS)
    assert str(wb["Aftopping"]["B2"].value).startswith("=MAX(0,")
    assert str(wb["Aftopping"]["D5"].value).startswith("=MIN(")
    assert all(str(wb["A5"].cell(r_, c).value).startswith("=") for r_ in range(2, 13) for c in (2, 3))


@pytest.mark.libreoffice
def test_libreoffice_recalculation_equals_engine(tmp_path):
    cases = _cases()
    src = tmp_path / "src"
    src.mkdir()
    paths = [write_case_xlsx(r, src / f"{name}.xlsx") for name, r in cases.items()]
    outs = recalculate(paths, tmp_path / "out")
    for (name, r), out in zip(cases.items(), outs):
        names = [f"A5_{i + 1}_{j + 1}" for i in range(len(A5_ROWS)) for j in range(3)]
        names += ["Cap", "Exploitatiebijdrage", "NietVerhaalbaar"] + [f"Verhaald_{c}" for c in CATEGORIES] + [f"NietVerhaald_{c}" for c in CATEGORIES]
        got = read_names(out, names)
        for i, row in enumerate(r.a5_table()):
            for j, col in enumerate(("initiatiefnemer", "gemeente", "totaal")):
                want = row[col]
                cell = got[f"A5_{i + 1}_{j + 1}"]
                if want is None:
                    assert cell in (None, ""), (name, row["post"], col)
                else:
                    assert cell == pytest.approx(want, abs=0.01), (name, row["post"], col)
        assert got["Cap"] == pytest.approx(r.cap, abs=0.01), name
        assert got["Exploitatiebijdrage"] == pytest.approx(r.exploitatiebijdrage, abs=0.01), name
        assert got["NietVerhaalbaar"] == pytest.approx(r.macroaftopping, abs=0.01), name
        for v in r.volgordelijkheid():
            assert got[f"Verhaald_{v['categorie']}"] == pytest.approx(v["verhaald"], abs=0.01), (name, v["categorie"])
            assert got[f"NietVerhaald_{v['categorie']}"] == pytest.approx(v["niet_verhaald"], abs=0.01), (name, v["categorie"])


def test_cli_writes_xlsx(tmp_path, capsys):
    out = tmp_path / "v1.xlsx"
    assert main(["kostenverhaal", "bereken", str(EXAMPLES / "voorbeeld-1.yaml"), "--xlsx", str(out)]) == 0
    assert out.is_file()
    assert "Werkboek geschreven" in capsys.readouterr().out
    assert main(["kostenverhaal", "bereken", str(EXAMPLES / "voorbeeld-1.yaml"), "--xlsx", str(tmp_path / "v1.txt")]) == 2
    assert not (tmp_path / "v1.txt").exists()
