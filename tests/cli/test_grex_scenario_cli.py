"""``opengrex grex scenario`` and ``opengrex grex vergelijk``: delegation to opengrex.services.grex_scenarios, nl-NL
tables, JSON, errors exit 2 without a traceback."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from opengrex.cli import main
from opengrex.formatting import eur
from opengrex.services import grex_scenarios as gs
from opengrex.services.grex import load_grex

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo-grex.yaml"


def test_scenario_from_the_command_line_with_tornado(capsys):
    code = main(["grex", "scenario", str(DEMO), "-w", "rente=+0,01", "-w", "verschuif:opbrengsten=1", "--naam", "Later en duurder", "--tornado"])
    out = capsys.readouterr().out
    assert code == 0
    cmp = gs.run_grex_scenarios(load_grex(DEMO), [gs.parse_grex_change("rente=+0,01"), gs.parse_grex_change("verschuif:opbrengsten=1")])
    s = cmp.scenarios[0]
    assert "Later en duurder" in out and eur(s.result.ncw) in out and eur(s.shapley[0]) in out and eur(s.sequential[1]) in out
    tor = gs.grex_tornado(load_grex(DEMO))
    assert "Tornado" in out and tor.rows[0]["invoer"] in out and eur(tor.rows[0]["ncw_hoog"]) in out


def test_scenarios_from_the_file_as_json(tmp_path, capsys):
    data = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    data["scenarios"] = [{"naam": "Markt -10%", "wijzigingen": [{"type": "opbrengsten", "procent": -10}]}]
    f = tmp_path / "g.yaml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["grex", "scenario", str(f), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    rows = out["scenarios"]["scenarios"]
    assert [r["scenario"] for r in rows] == ["Basis", "Markt -10%"]
    assert out["scenarios"]["waterval"][0]["shapley"] == pytest.approx(rows[1]["verschil_ncw"])


def test_bad_change_and_nothing_to_do_exit_2(capsys):
    assert main(["grex", "scenario", str(DEMO), "-w", "rente=veel"]) == 2
    err = capsys.readouterr().err
    assert "ongeldige wijziging" in err and "Traceback" not in err
    assert main(["grex", "scenario", str(DEMO)]) == 2
    assert "geen scenario's" in capsys.readouterr().err


def test_vergelijk_two_versions_per_cause(tmp_path, capsys):
    data = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    data["rente"] = 0.03
    b = tmp_path / "b.yaml"
    b.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["grex", "vergelijk", str(DEMO), str(b), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    parts = {p["oorzaak"]: p["bedrag"] for p in out["kengetallen"]["ncw"]["per_oorzaak"]}
    assert parts["rente"] == pytest.approx(out["kengetallen"]["ncw"]["verschil"]) and sum(parts.values()) == pytest.approx(out["kengetallen"]["ncw"]["verschil"])
    assert main(["grex", "vergelijk", str(DEMO), str(b)]) == 0
    assert "rente:" in capsys.readouterr().out
