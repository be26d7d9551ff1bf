"""``opengrex grex bereken`` and ``opengrex kostensoorten``: tables, --json, --per-kostensoort, --verklaar, and one
test per error class of the grex issue: exit code 2, a message naming file, line, field, value and what is allowed,
and no traceback."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from opengrex.cli import main
from opengrex.services.grex import calculate_grex, load_grex

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo-grex.yaml"
OPENGREX = Path(sys.executable).parent / "opengrex"

BASE = """\
name: t
prijspeil: 2025-01-01
start_year: 2025
end_year: 2027
indices: {geen: 0.0}
kosten:
  - name: a
    kostensoort: A1
    amount: 100
    index: geen
    phasing: {2025: 1.0}
"""
BASE_JSON = """\
{
  "name": "t",
  "prijspeil": "2025-01-01",
  "start_year": 2025,
  "end_year": 2027,
  "indices": {"geen": 0.0},
  "kosten": [{"name": "a", "kostensoort": "A1", "amount": 100, "index": "geen", "phasing": {"2025": 1.0}}]
}
"""


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


# ---------------------------------------------------------------------------------------------------------------
# valid input


def test_bereken_demo_prints_tables(capsys):
    code, out, err = run(capsys, "grex", "bereken", DEMO)
    assert code == 0, err
    for title in ("Totalen", "Per jaar (€ nominaal)", "Resultaat", "NCW (BBV) per 01-01-2025", "Eindwaarde per 31-12-2036", "Badkuip"):
        assert title in out
    result = calculate_grex(load_grex(DEMO))
    from opengrex.formatting import eur

    assert eur(result.ncw) in out and eur(result.eindwaarde) in out  # same figures as the API, nl-NL formatted
    assert "2036" in out and "Traceback" not in out + err


def test_bereken_json_equals_api(capsys):
    code, out, err = run(capsys, "grex", "bereken", DEMO, "--json")
    assert code == 0, err
    data = json.loads(out)
    for key in ("naam", "prijspeil", "ncw_datum", "timing", "eenheden", "totalen", "eindwaarde", "ncw_bbv", "contante_waarde_kasstromen", "badkuip", "irr", "per_jaar"):
        assert key in data
    result = calculate_grex(load_grex(DEMO))
    assert data["ncw_bbv"] == pytest.approx(result.ncw, rel=1e-15)
    assert data["eindwaarde"] == pytest.approx(result.eindwaarde, rel=1e-15)
    assert data["contante_waarde_kasstromen"] == pytest.approx(result.contante_waarde, rel=1e-15)
    assert data["totalen"] == result.totals()
    assert data["badkuip"] == result.badkuip()
    assert [row["jaar"] for row in data["per_jaar"]] == result.years
    assert [row["boekwaarde"] for row in data["per_jaar"]] == pytest.approx(result.outcome.book_value.tolist(), rel=1e-15)
    assert data["irr"]["tekenwisselingen"] == result.irr.sign_changes


def test_bereken_per_kostensoort(capsys):
    code, out, err = run(capsys, "grex", "bereken", DEMO, "--per-kostensoort")
    assert code == 0, err
    assert "Per kostensoort per jaar" in out and "Per kostensoort: totalen" in out
    assert "A6" in out and "gronduitgifte_woningbouw" in out
    code, out, err = run(capsys, "grex", "bereken", DEMO, "--per-kostensoort", "--json")
    assert code == 0, err
    rows = json.loads(out)["per_kostensoort"]
    a6 = [r for r in rows if r["code"] == "A6"]
    result = calculate_grex(load_grex(DEMO))
    want = result.per_kostensoort_frame().loc[("kosten", "A6")]["totaal"].iloc[0]
    assert len(a6) == 1 and a6[0]["totaal"] == pytest.approx(want, rel=1e-15)
    assert sum(r["totaal"] for r in rows) == pytest.approx(result.saldo_nominaal, rel=1e-12)


def test_bereken_verklaar_ncw(capsys):
    code, out, err = run(capsys, "grex", "bereken", DEMO, "--verklaar", "ncw")
    assert code == 0, err
    data = json.loads(out)
    result = calculate_grex(load_grex(DEMO))
    assert data["waarde"] == pytest.approx(result.ncw, rel=1e-15)
    assert data["functie"] == "opengrex.engine.grex.ncw_bbv"
    assert "BBV" in data["bron"]
    inv = data["invoer"]
    # the explanation reproduces the figure: NCW = eindwaarde / (1 + d) ** T_end
    assert inv["eindwaarde"] / (1 + inv["disconteringsvoet"]) ** inv["T_end"] == pytest.approx(data["waarde"], rel=1e-14)


def test_bereken_verklaar_boekwaarde_of_a_year(capsys):
    code, out, err = run(capsys, "grex", "bereken", DEMO, "--verklaar", "boekwaarde:2027")
    assert code == 0, err
    data = json.loads(out)
    inv = data["invoer"]
    assert inv["B_vorig"] * (1 + inv["rente"]) + inv["F_y"] == pytest.approx(data["waarde"], rel=1e-14)  # timing end


def test_bereken_verklaar_unknown_figure_is_an_input_error(capsys):
    code, out, err = run(capsys, "grex", "bereken", DEMO, "--verklaar", "winst")
    assert code == 2
    assert "--verklaar" in err and "winst" in err and "Traceback" not in out + err


def test_kostensoorten_table_and_json(capsys):
    code, out, err = run(capsys, "kostensoorten")
    assert code == 0, err
    assert "Kostensoortenlijst" in out and "A14" in out and "6.2.4n" in out
    code, out, err = run(capsys, "kostensoorten", "--json")
    assert code == 0, err
    items = json.loads(out)
    codes = [i["code"] for i in items]
    assert codes[:14] == [f"A{i}" for i in range(1, 15)] and "B4" in codes and "6.2.5i" in codes
    assert all({"code", "omschrijving", "stelsel"} <= set(i) for i in items)


# ---------------------------------------------------------------------------------------------------------------
# one test per error class: exit code 2, file + line + field + value + allowed, no traceback


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


ERROR_CASES = {
    # name: (file name, text, line, field, value, allowed)
    "unknown kostensoort": ("g.yaml", BASE.replace("kostensoort: A1", "kostensoort: Z9"), 8, "kosten[0].kostensoort", "Z9", "A1–A14"),
    "unknown index": ("g.yaml", BASE.replace("index: geen", "index: bouw"), 10, "kosten[0].index", "bouw", "geen"),
    "phasing sums to neither 1 nor the amount": (
        "g.yaml", BASE.replace("{2025: 1.0}", "{2025: 0.5, 2026: 0.4}"), 11, "kosten[0].phasing", "0.9", "som 1"),
    "phasing year outside the grid": ("g.yaml", BASE.replace("{2025: 1.0}", "{2031: 1.0}"), 11, "kosten[0].phasing[2031]", "2031", "2025–2027"),
    "realised year outside the grid": (
        "g.yaml", BASE + "    realised: {2024: 50}\n", 12, "kosten[0].realised[2024]", "2024", "2025–2027"),
    "negative amount": ("g.yaml", BASE.replace("amount: 100", "amount: -100"), 9, "kosten[0].amount", "-100", ">= 0"),
    "index rate at or below -100%": ("g.yaml", BASE.replace("{geen: 0.0}", "{geen: -1.5}"), 5, "indices.geen", "-1.5", "> -1"),
    "rente at -100%": ("g.yaml", BASE + "rente: -1.0\n", 12, "rente", "-1.0", "> -1"),
    "duplicate key (YAML)": ("g.yaml", BASE + "name: again\n", 12, "name", None, "één keer"),
    "unknown field": ("g.yaml", BASE.replace("    index: geen\n", "    index: geen\n    bogus: 1\n"), 11, "kosten[0].bogus", "1", "kostensoort"),
    "malformed YAML": ("g.yaml", "name: [t\nprijspeil: 2025-01-01\n", 2, None, None, "geldige YAML"),
    "malformed JSON": ("g.json", BASE_JSON.replace('"name": "t",', '"name": ,'), 2, None, None, "geldige JSON"),
    "duplicate key (JSON)": ("g.json", BASE_JSON.replace('"name": "t",', '"name": "t",\n  "name": "u",'), 3, "name", None, "één keer"),
}


@pytest.mark.parametrize("case", list(ERROR_CASES), ids=list(ERROR_CASES))
def test_error_class(capsys, tmp_path, case):
    fname, text, line, field, value, allowed = ERROR_CASES[case]
    path = _write(tmp_path, fname, text)
    code, out, err = run(capsys, "grex", "bereken", path)
    assert code == 2
    assert "Traceback" not in out + err
    assert out == ""  # nothing computed or printed on stdout
    assert str(path) in err, err
    assert f"regel {line}" in err, err
    if field:
        assert f"veld '{field}'" in err, err
    if value:
        assert value in err, err
    assert "toegestaan:" in err and allowed in err, err


def test_error_missing_file(capsys, tmp_path):
    path = tmp_path / "bestaat-niet.yaml"
    code, out, err = run(capsys, "grex", "bereken", path)
    assert code == 2
    assert str(path) in err and "niet gevonden" in err and "Traceback" not in out + err


def test_several_errors_are_all_reported(capsys, tmp_path):
    text = BASE.replace("kostensoort: A1", "kostensoort: Z9").replace("amount: 100", "amount: -100")
    code, out, err = run(capsys, "grex", "bereken", _write(tmp_path, "g.yaml", text))
    assert code == 2
    assert "kosten[0].kostensoort" in err and "kosten[0].amount" in err


@pytest.mark.parametrize("text,field", [
    (BASE.replace("kostensoort: A1", "kostensoort: Z9"), "kosten[0].kostensoort"),
    ("name: [t\n", None),
])
def test_error_through_the_installed_script(tmp_path, text, field):
    """The real ``opengrex`` process: exit code 2 and a one-line message, no traceback."""
    path = _write(tmp_path, "g.yaml", text)
    proc = subprocess.run([str(OPENGREX), "grex", "bereken", str(path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stdout + proc.stderr
    assert str(path) in proc.stderr and "Fout:" in proc.stderr
    if field:
        assert field in proc.stderr


@pytest.mark.parametrize("text,line,field", [
    (BASE.replace("{geen: 0.0}", "{geen: .nan}"), 5, "indices.geen"),
    (BASE + "opening_book_value: .inf\n", 12, "opening_book_value"),
    (BASE + "disconteringsvoet: .nan\n", 12, "disconteringsvoet"),
])
def test_nan_and_infinite_numbers_are_input_errors(capsys, tmp_path, text, line, field):
    """NaN or infinity would otherwise run through the engine and come out as empty results."""
    path = _write(tmp_path, "g.yaml", text)
    code, out, err = run(capsys, "grex", "bereken", path, "--json")
    assert code == 2 and out == ""
    assert str(path) in err and f"regel {line}" in err and f"veld '{field}" in err and "Traceback" not in err
