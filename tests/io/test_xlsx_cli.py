"""CLI delegation: ``opengrex grex export | template | import`` call the xlsx functions; errors exit 2 without traceback."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import yaml

from opengrex.cli import main
from opengrex.io.xlsx_template import grex_to_template
from opengrex.services.grex import grex_from_dict, load_grex

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo-grex.yaml"


def test_cli_export_writes_a_formula_workbook(tmp_path, capsys):
    out = tmp_path / "demo.xlsx"
    assert main(["grex", "export", str(DEMO), "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert "NCW" in wb.defined_names and wb["Kasstroom"]["H4"].value.startswith("=")
    assert "Geschreven" in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir()] == ["demo.xlsx"]  # no temporary file left behind


def test_cli_template_then_import_round_trip(tmp_path, capsys):
    t = tmp_path / "t.xlsx"
    assert main(["grex", "template", "-o", str(t)]) == 0
    assert openpyxl.load_workbook(t).sheetnames[:5] == ["Toelichting", "Algemeen", "Indexreeksen", "Kosten", "Opbrengsten"]
    filled = tmp_path / "ingevuld.xlsx"
    grex_to_template(load_grex(DEMO), filled)
    out = tmp_path / "grex.yaml"
    assert main(["grex", "import", str(filled), "-o", str(out)]) == 0
    assert grex_from_dict(yaml.safe_load(out.read_text(encoding="utf-8"))) == load_grex(DEMO)
    out_json = tmp_path / "grex.json"
    assert main(["grex", "import", str(filled), "-o", str(out_json)]) == 0
    assert out_json.read_text(encoding="utf-8").lstrip().startswith("{")


def test_cli_import_error_exits_2_with_message_and_no_output(tmp_path, capsys):
    filled = tmp_path / "fout.xlsx"
    grex_to_template(load_grex(DEMO), filled)
    wb = openpyxl.load_workbook(filled)
    wb["Kosten"]["B3"] = "Z99"
    wb.save(filled)
    out = tmp_path / "grex.yaml"
    assert main(["grex", "import", str(filled), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "fout.xlsx, blad Kosten, cel B3" in err and "kostensoort" in err and "'Z99'" in err
    assert "Traceback" not in err
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fout.xlsx"]


def test_cli_import_of_a_non_xlsx_file_and_export_of_an_invalid_grex(tmp_path, capsys):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("geen werkboek")
    assert main(["grex", "import", str(fake), "-o", str(tmp_path / "g.yaml")]) == 2
    err = capsys.readouterr().err
    assert "geen leesbaar Excel-werkboek" in err and "Traceback" not in err
    bad = tmp_path / "bad.yaml"
    bad.write_text(DEMO.read_text(encoding="utf-8").replace("kostensoort: A2,", "kostensoort: Q7,"), encoding="utf-8")
    out = tmp_path / "bad.xlsx"
    assert main(["grex", "export", str(bad), "-o", str(out)]) == 2
    assert "Q7" in capsys.readouterr().err
    assert not out.exists()


def test_cli_bereken_reads_a_filled_template(tmp_path, capsys):
    filled = tmp_path / "demo.xlsx"
    grex_to_template(load_grex(DEMO), filled)
    assert main(["grex", "bereken", str(filled), "--json"]) == 0
    assert '"ncw_bbv"' in capsys.readouterr().out
