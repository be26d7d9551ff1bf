"""``opengrex plankosten``: bereken (tables with sources, --json, --xlsx, --verklaar), template, toets, tabellen, and
bad input: a clear message naming the field, exit code 2, no output file written."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from opengrex.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "plankosten"


def _bad(tmp_path, **changes) -> Path:
    d = yaml.safe_load((EXAMPLES / "inbreiding-klein.yaml").read_text(encoding="utf-8"))
    for k, v in changes.items():
        if isinstance(v, dict) and isinstance(d.get(k), dict):
            d[k].update(v)
        else:
            d[k] = v
    p = tmp_path / "plan.yaml"
    p.write_text(yaml.safe_dump(d, allow_unicode=True), encoding="utf-8")
    return p


def test_bereken_prints_tables_with_sources(capsys):
    assert main(["plankosten", "bereken", str(EXAMPLES / "inbreiding-klein.yaml")]) == 0
    out = capsys.readouterr().out
    assert "€ 213.824,03" in out and "rij 1.1a, Opstellen en vaststellen omgevingsplan" in out and "versie 1 januari 2024" in out and "tabel 5" in out


def test_bereken_json_and_xlsx(tmp_path, capsys):
    target = tmp_path / "a.xlsx"
    assert main(["plankosten", "bereken", str(EXAMPLES / "uitleg-gemengd.yaml"), "--json", "--xlsx", str(target)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert round(data["totaal"], 2) == 1_605_717.03 and data["versie"] == "2024-01-01"
    assert all(r["bron"].startswith("Omgevingsregeling") for r in data["regels"])
    assert any("woningdichtheid" in w for w in data["waarschuwingen"])
    assert target.is_file()


def test_verklaar(capsys):
    assert main(["plankosten", "bereken", str(EXAMPLES / "inbreiding-klein.yaml"), "--verklaar", "rij:1.1a.uitwerken", "--json"]) == 0
    exp = json.loads(capsys.readouterr().out)
    assert exp["waarde"] == pytest.approx(200 * 149 * 1.14)
    assert "art. 13.2" in exp["regel"]["bron"] and any(p["waarde"] == 149 for p in exp["parameters"])


def test_verklaar_unknown_names_allowed(capsys):
    assert main(["plankosten", "bereken", str(EXAMPLES / "inbreiding-klein.yaml"), "--verklaar", "nonsens"]) == 2
    assert "kengetal" in capsys.readouterr().err


def test_template_and_toets_and_tabellen(tmp_path, capsys):
    assert main(["plankosten", "template", "-o", str(tmp_path / "t.xlsx")]) == 0
    assert (tmp_path / "t.xlsx").is_file()
    assert main(["plankosten", "toets", str(EXAMPLES / "inbreiding-klein.yaml"), "--raming", "150000"]) == 0
    assert "blijft binnen het maximum" in capsys.readouterr().out
    assert main(["plankosten", "tabellen", "--peildatum", "2025-03-01", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["versie"] == "2024-10-01" and data["tarieven"]["rijen"][0]["euro_per_uur"] == 151
    assert main(["plankosten", "tabellen", "--peildatum", "2026-08-01", "--bijlage", "XXXIVa"]) == 0
    assert "158" in capsys.readouterr().out


@pytest.mark.parametrize("changes, field", [
    ({"producten": ["1.1a", "7.7"]}, "producten[1]"),
    ({"kostenverhaalsgebied": {"oppervlakte_ha": -1}}, "kostenverhaalsgebied.oppervlakte_ha"),
    ({"versie": "2025-01-01"}, "versie"),
    ({"peildatum": "2023-01-01"}, "peildatum"),
    ({"producten": ["1.1a", "2.1"], "taxatie": None}, "taxatie"),
])
def test_bad_input_names_the_field_and_writes_nothing(tmp_path, capsys, changes, field):
    target = tmp_path / "out.xlsx"
    code = main(["plankosten", "bereken", str(_bad(tmp_path, **changes)), "--xlsx", str(target)])
    err = capsys.readouterr().err
    assert code == 2 and f"veld '{field}'" in err, err
    assert not target.exists()
