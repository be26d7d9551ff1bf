"""``opengrex gebied …`` on the demo: each command, JSON output, and the variants side by side."""
from __future__ import annotations

import json

import openpyxl
import pytest
from tests.gebied.fixtures_gebied import DEMO, SET_A, SET_B

from opengrex.cli import main


def run(capsys, *args):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_bereken_shows_every_section(capsys):
    code, out, _ = run(capsys, "gebied", "bereken", DEMO)
    assert code == 0
    for text in ("VERTROUWELIJK – niet openbaar maken", "Per partij", "Eén portemonnee per jaar", "Investeringen per soort", "Spelregels 'A – publiek kader' in volgorde",
                 "Gebiedsfonds Spoorzone Oost", "Risico's: wie draagt wat", "Gekoppeld (niet opnieuw ingevoerd)", "Grond- en vastgoedtransacties (VERTROUWELIJK)",
                 "Eigen marges (VERTROUWELIJK)", "Waarschuwing: Gebiedsfonds Spoorzone Oost staat negatief in 2025–2029", "-11.186.009", "21.637.500"):
        assert text in out, text


def test_bereken_public_and_json(capsys):
    code, out, _ = run(capsys, "gebied", "bereken", DEMO, "--openbaar")
    assert code == 0 and "OPENBARE VERSIE (Woo)" in out and "vertrouwelijk" in out and "21.637.500" not in out
    assert "Eigen marges" not in out and "-11.186.009" in out  # the one wallet stays public
    code, out, _ = run(capsys, "gebied", "bereken", DEMO, "--json", "--regelset", SET_B)
    d = json.loads(out)
    assert d["regelset"] == SET_B and d["variant"] == "vertrouwelijk"
    assert [r["type"] for r in d["spelregels"]["regels"]] == ["inbrengwaarde", "ontwikkelrechten", "verevening", "meebewegend"]
    code, out, _ = run(capsys, "gebied", "bereken", DEMO, "--verklaar", "regel:Gebiedsbijdrage")
    assert json.loads(out)["regel"]["functie"] == "opengrex.engine.spelregels.gebiedsbijdrage"


def test_export_writes_a_workbook_with_formulas(capsys, tmp_path):
    out = tmp_path / "gebied.xlsx"
    code, stdout, _ = run(capsys, "gebied", "export", DEMO, "-o", out, "--openbaar")
    assert code == 0 and "openbaar" in stdout
    wb = openpyxl.load_workbook(out)
    assert {"Posten", "Transacties", "Spelregels", "Fonds", "Resultaat", "Gebied"} <= set(wb.sheetnames) and "Marges" not in wb.sheetnames
    assert str(wb["Gebied"]["E11"].value).startswith("=SUM(")
    code, _, err = run(capsys, "gebied", "export", DEMO, "-o", tmp_path / "x.csv")
    assert code == 2 and ".xlsx" in err


def test_vergelijk_sets_and_variants(capsys):
    code, out, _ = run(capsys, "gebied", "vergelijk", DEMO)
    assert code == 0 and SET_A in out and SET_B in out
    code, out, _ = run(capsys, "gebied", "vergelijk", DEMO, "--varieer", "Gebiedsbijdrage.tarief.wonen=20:60:9", "--varieer", "10% naar de gebiedsorganisatie.aandeel=0.05,0.1", "--json")
    d = json.loads(out)
    assert len(d["rijen"]) == 18 and d["gevarieerd"] == ["Gebiedsbijdrage.tarief.wonen", "10% naar de gebiedsorganisatie.aandeel"]
    for share in (0.05, 0.1):  # a higher tarief puts more in the fund (through the afdracht)
        ends = [r["fonds_eindsaldo"] for r in d["rijen"] if r["10% naar de gebiedsorganisatie.aandeel"] == share]
        assert ends == sorted(ends) and len(set(ends)) == 9
    row = next(r for r in d["rijen"] if r["Gebiedsbijdrage.tarief.wonen"] == 45 and r["10% naar de gebiedsorganisatie.aandeel"] == 0.1)
    assert row["fonds_eindsaldo"] == pytest.approx(661_607, abs=1)  # the base set itself
    code, out, _ = run(capsys, "gebied", "vergelijk", DEMO, "--varieer", "Gebiedsbijdrage.tarief.wonen=20:60:5", "--toon", "2")
    assert code == 0 and "nog 3 varianten" in out


def test_regeltypen(capsys):
    code, out, _ = run(capsys, "gebied", "regeltypen", "--json")
    assert [r["type"] for r in json.loads(out)] == ["inbrengwaarde", "gebiedsbijdrage", "verevening", "ontwikkelrechten", "afdracht", "meebewegend"]
