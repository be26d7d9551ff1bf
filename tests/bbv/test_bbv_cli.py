"""CLI: opengrex bbv … and opengrex portefeuille bereken (delegation to the services, output, errors)."""
from __future__ import annotations

import json

import pytest
import yaml
from bbvdata import EXAMPLES, roll_grex_doc, write_ledger

from opengrex.cli import main


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(map(str, args)))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_jaarovergang_grex_writes_rolled_document(tmp_path, capsys):
    src = tmp_path / "g.yaml"
    src.write_text(yaml.safe_dump(roll_grex_doc()), encoding="utf-8")
    gb = write_ledger(tmp_path / "gb.csv", [("2024-03-01", "Rolgrex", "A2", 650)])
    code, out, _ = run(capsys, "bbv", "jaarovergang", src, "--grootboek", gb, "-o", tmp_path / "g2025.yaml", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["totalen"]["nominaal"]["realisatie"] == pytest.approx(-50.0)
    rolled = yaml.safe_load((tmp_path / "g2025.yaml").read_text(encoding="utf-8"))
    assert str(rolled.get("prijspeil")) == "2025-01-01"
    code, out, err = run(capsys, "bbv", "jaarovergang", tmp_path / "g2025.yaml", "--grootboek", gb, "--jaar", "2024")
    assert code == 2 and "al toegepast" in err


def test_bad_ledger_writes_nothing(tmp_path, capsys):
    src = tmp_path / "g.yaml"
    src.write_text(yaml.safe_dump(roll_grex_doc()), encoding="utf-8")
    gb = write_ledger(tmp_path / "gb.csv", [("2024-03-01", "Rolgrex", "ZZ", 650)])
    code, _, err = run(capsys, "bbv", "jaarovergang", src, "--grootboek", gb, "-o", tmp_path / "uit.yaml")
    assert code == 2 and "onbekende kostensoort" in err and "rij 2" in err
    assert not (tmp_path / "uit.yaml").exists()


def test_portfolio_flow_through_the_cli(tmp_path, capsys):
    code, _, _ = run(capsys, "bbv", "jaarovergang", EXAMPLES / "portefeuille-2023.yaml", "--grootboek", EXAMPLES / "grootboek-2024.csv",
                     "--indices", EXAMPLES / "indices-2024.yaml", "-o", tmp_path / "2024")
    assert code == 0 and (tmp_path / "2024" / "portefeuille.yaml").is_file()
    code, _, _ = run(capsys, "bbv", "jaarovergang", tmp_path / "2024" / "portefeuille.yaml", "--grootboek", EXAMPLES / "grootboek-2025.csv", "-o", tmp_path / "2025")
    assert code == 0
    pf = tmp_path / "2025" / "portefeuille.yaml"
    code, out, _ = run(capsys, "portefeuille", "bereken", pf, "--trekkingen", "200", "--xlsx", tmp_path / "mpg.xlsx", "--openbaar", "--json")
    assert code == 0 and (tmp_path / "mpg.xlsx").is_file()
    data = json.loads(out)
    assert data["balansjaar"] == 2025 and data["monte_carlo"]["trekkingen"] == 200
    assert len(data["grexen"]) == 12 and data["weerstand"]["klasse"] in "ABCDEF"
    code, out, _ = run(capsys, "portefeuille", "bereken", pf, "--trekkingen", "0", "--grafiek", tmp_path / "mpg.svg")
    assert code == 0 and "Weerstandsvermogen" in out and "Kerkpad" in out
    assert (tmp_path / "mpg.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    code, out, _ = run(capsys, "bbv", "afsluiten", pf, "--grex", "Kerkpad", "--door", "controller", "-o", tmp_path / "2025b")
    assert code == 0 and "eindresultaat" in out
    closed = yaml.safe_load((tmp_path / "2025b" / "portefeuille.yaml").read_text(encoding="utf-8"))
    kerkpad = next(g for g in closed["grexen"] if g["naam"] == "Kerkpad")
    assert kerkpad["status"] == "afgesloten" and kerkpad["historie"][-1]["actie"] == "afsluiten"
    code, _, err = run(capsys, "bbv", "heropenen", tmp_path / "2025b" / "portefeuille.yaml", "--grex", "Kerkpad", "--door", "x", "--reden", "nagekomen factuur", "-o", tmp_path / "2025c")
    assert code == 0
    code, out, _ = run(capsys, "bbv", "uitleg", pf, "ncw", "--grex", "Havenfront")
    assert code == 0 and json.loads(out)["regel"]["label"] == "Netto contante waarde (BBV)"


def test_waardeer_single_grex_and_renteschema(tmp_path, capsys):
    from bbvdata import valued_grex

    src = tmp_path / "g.yaml"
    src.write_text(yaml.safe_dump(valued_grex()), encoding="utf-8")
    code, out, _ = run(capsys, "bbv", "waardeer", src, "--winst-vorig", "20", "--dagtelling", "werkelijke_dagen", "--json")
    assert code == 0
    g = json.loads(out)["grexen"][0]
    assert g["boekwaarde"] == pytest.approx(700.0) and g["dagtelling"] == "werkelijke_dagen"
    rs = tmp_path / "rs.yaml"
    rs.write_text(yaml.safe_dump({"jaar": 2024, "a_externe_rentelasten": 391995, "b_externe_rentebaten": 11834, "c1_rente_grondexploitaties": 112919,
                                  "d1_rente_eigen_vermogen": 754024, "d2_rente_voorzieningen": 410338, "activa_1_januari": 57000000, "e_toegerekend": 1443438}), encoding="utf-8")
    code, out, _ = run(capsys, "bbv", "renteschema", rs, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["renteschema"][-1]["bedrag"] == -11834 and "voordelig 11.834" in data["renteschema"][-1]["omschrijving"]
    assert data["omslagrente_onafgerond"] == pytest.approx(1431604 / 57000000) and data["omslagrente_afgerond"] == pytest.approx(0.025)
    code, out, _ = run(capsys, "bbv", "renteschema", rs)
    assert code == 0 and "Omslagrente" in out and "c3" in out
