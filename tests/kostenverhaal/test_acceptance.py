"""Every worked example of seed 002 (Nota Kostenverhaal Soest 2023, bijlage A5 and §2.1.3), reproduced through the
public interface: the library (load_case + calculate_case on the shipped example files) and the CLI.

The examples are read from ``shared/acceptance/kostenverhaal_voorbeelden.yaml`` itself (no copy;
``acceptatie.acceptance_file`` finds it, or ``OPENGREX_SHARED``). ``conftest.py`` collects every case of that file as
its own test item through the shipped examples' input format (``acceptatie.py``), so a new case needs no Python; the
tests below check the same examples again through the shipped example files and the CLI. Where the seed leaves
x, y, z symbolic, several concrete values are used and the seed's formula (2x, 10x + 10y + 10z) is asserted.
"""
from __future__ import annotations

import json
from pathlib import Path

import acceptatie
import pytest
import yaml

from opengrex.cli import main
from opengrex.services.kostenverhaal import calculate_case, case_from_dict, case_to_dict, load_case

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "kostenverhaal"
ACCEPTANCE = yaml.safe_load(acceptatie.acceptance_file().read_text(encoding="utf-8"))
TOL = 0.005

COVERED = {
    "voorbeeld_1_geen_macroaftopping": "voorbeeld-1.yaml",
    "voorbeeld_2_met_macroaftopping": "voorbeeld-2.yaml",
    "voorbeeld_3_evenwichtige_woningvoorraad": "voorbeeld-3.yaml",
    "voorbeeld_4_financiele_bijdrage_per_woning": "voorbeeld-4.yaml",
    "macroaftopping_paragraaf_2_1_3": "macroaftopping-2-1-3.yaml",
}


def test_every_acceptance_case_is_covered():
    """Every case of the shared file is collected as a test (conftest.py, through ``acceptatie``); the cases that
    also have a shipped example file keep it. (Was: ``set(ACCEPTANCE) == set(COVERED)``, which made a new shared
    case fail until Python was written; the collector now covers every case.)"""
    assert set(acceptatie.load_cases()) == set(ACCEPTANCE)
    assert set(COVERED) <= set(ACCEPTANCE)
    for f in COVERED.values():
        assert (EXAMPLES / f).is_file(), f


def test_a_new_shared_case_needs_no_python(tmp_path):
    """A case written in the shared file's words runs as it is; a wrong expectation fails with the case's name."""
    text = acceptatie.acceptance_file().read_text(encoding="utf-8") + (
        "\nvoorbeeld_5_krappe_opbrengsten:\n  same_as: voorbeeld_1_geen_macroaftopping\n  opbrengsten: 2000000\n"
        "  verwacht:\n    exploitatiebijdrage: 150000\n    macroaftopping: 950000\n")
    f = tmp_path / acceptatie.FILE
    f.write_text(text, encoding="utf-8")
    cases = acceptatie.load_cases(f)
    assert acceptatie.run("voorbeeld_5_krappe_opbrengsten", cases["voorbeeld_5_krappe_opbrengsten"]) == 1
    cases["voorbeeld_5_krappe_opbrengsten"]["verwacht"]["exploitatiebijdrage"] = 150001
    with pytest.raises(AssertionError, match="voorbeeld_5_krappe_opbrengsten: verwacht.exploitatiebijdrage"):
        acceptatie.run("voorbeeld_5_krappe_opbrengsten", cases["voorbeeld_5_krappe_opbrengsten"])
    cases["voorbeeld_5_krappe_opbrengsten"]["onbekend"] = 1
    with pytest.raises(KeyError, match="onbekend veld"):
        acceptatie.run("voorbeeld_5_krappe_opbrengsten", cases["voorbeeld_5_krappe_opbrengsten"])


def _row(result, key):
    return result.row(key)


def _assert_row(result, key, expected):
    got = _row(result, key)
    for col, v in expected.items():
        assert got[col] == pytest.approx(v, abs=TOL), (key, col)


@pytest.mark.parametrize("name", ["voorbeeld_1_geen_macroaftopping", "voorbeeld_2_met_macroaftopping"])
def test_voorbeeld_1_and_2(name):
    spec = ACCEPTANCE[name]
    verwacht = spec["verwacht"]
    result = calculate_case(load_case(EXAMPLES / COVERED[name]))
    # inputs as in the acceptance file
    base = ACCEPTANCE["voorbeeld_1_geen_macroaftopping"]
    assert result.case.gebied == base["gebied"]
    assert result.row("opbrengsten")["initiatiefnemer"] == spec["opbrengsten"]
    assert result.row("bovenwijkse_voorzieningen")["gemeente"] == pytest.approx(base["bovenwijkse_voorzieningen_gemeente"])
    assert result.row("financiele_bijdrage_fysieke_leefomgeving")["gemeente"] == base["financiele_bijdrage_fysieke_leefomgeving"]
    for key in ("subtotaal_investeringen", "saldo_gebiedseigen", "saldo_gebiedseigen_en_overstijgend", "financieel_resultaat"):
        if key in verwacht:
            _assert_row(result, key, verwacht[key])
    assert result.macroaftopping == pytest.approx(verwacht["macroaftopping"], abs=TOL)
    assert result.row("macroaftopping")["initiatiefnemer"] == pytest.approx(verwacht["macroaftopping"], abs=TOL)
    assert result.exploitatiebijdrage == pytest.approx(verwacht["exploitatiebijdrage"], abs=TOL)
    _assert_row(result, "exploitatiebijdrage", {"initiatiefnemer": -verwacht["exploitatiebijdrage"], "gemeente": verwacht["exploitatiebijdrage"], "totaal": 0})


def test_voorbeeld_2_volgordelijkheid():
    """Seed comment: the financiële bijdrage (100.000) is the first to go unrecovered, then 350.000 of the 1.000.000
    kostenverhaal (gebiedseigen 750.000 + bovenwijks 250.000)."""
    result = calculate_case(load_case(EXAMPLES / "voorbeeld-2.yaml"))
    v = {c["categorie"]: c for c in result.volgordelijkheid()}
    assert v["financiele_bijdrage_fysieke_leefomgeving"]["niet_verhaald"] == pytest.approx(100_000)
    kv_unrec = v["gebiedseigen"]["niet_verhaald"] + v["bovenwijkse_voorzieningen"]["niet_verhaald"]
    assert kv_unrec == pytest.approx(350_000)
    kv_rec = v["gebiedseigen"]["verhaald"] + v["bovenwijkse_voorzieningen"]["verhaald"]
    assert kv_rec == pytest.approx(650_000)
    # within the regeling kostenverhaal: gebiedseigen first, then bovenwijks
    assert v["gebiedseigen"]["verhaald"] == pytest.approx(650_000)
    assert v["bovenwijkse_voorzieningen"]["verhaald"] == 0


def _voorbeeld_3_with(x: float, sociaal: float = 20_000.0, midden: float = 50_000.0):
    data = case_to_dict(load_case(EXAMPLES / "voorbeeld-3.yaml"))
    data["financiele_bijdrage_woningvoorraad"] = {"grondwaarde": {"sociaal": sociaal, "midden": midden, "duur": sociaal + x}}
    return calculate_case(case_from_dict(data, base_dir=EXAMPLES))


@pytest.mark.parametrize("x", [0.0, 1_000.0, 95_000.0, 150_000.0, 275_000.0])
@pytest.mark.parametrize("sociaal", [0.0, 20_000.0])
def test_voorbeeld_3(x, sociaal):
    verwacht = ACCEPTANCE["voorbeeld_3_evenwichtige_woningvoorraad"]["verwacht"]
    result = _voorbeeld_3_with(x, sociaal=sociaal)
    wv = result.inputs.woningvoorraad
    groups = {g["segmenten"]: g for g in wv["groepen"]}
    for seg in ("sociaal", "midden", "duur"):
        assert groups[seg]["norm_aantal"] == verwacht["norm_aantallen"][seg]
        assert groups[seg]["verschil"] == verwacht["verschil"][seg]
    assert result.row("financiele_bijdrage_woningvoorraad")["gemeente"] == pytest.approx(2 * x, abs=TOL)
    _assert_row(result, "saldo_gebiedseigen", verwacht["saldo_gebiedseigen"])
    assert result.exploitatiebijdrage == pytest.approx(1_100_000 + 2 * x, abs=TOL)
    assert result.resultaat()["initiatiefnemer"] == pytest.approx(550_000 - 2 * x, abs=TOL)
    assert 2 * x <= 550_000
    assert result.macroaftopping == pytest.approx(0.0, abs=TOL)


@pytest.mark.parametrize("x", [300_000.0, 400_000.0])
def test_voorbeeld_3_cap_bites_inside_financiele_bijdragen(x):
    """2x > 550.000: the cap (1.650.000) covers the regeling kostenverhaal (1.000.000) and the fysieke
    leefomgeving bijdrage (100.000); only 550.000 is left for the woningvoorraad bijdrage of 2x."""
    result = _voorbeeld_3_with(x)
    v = {c["categorie"]: c for c in result.volgordelijkheid()}
    assert v["gebiedseigen"]["niet_verhaald"] == 0 and v["bovenwijkse_voorzieningen"]["niet_verhaald"] == 0
    assert v["financiele_bijdrage_fysieke_leefomgeving"]["verhaald"] == pytest.approx(100_000)
    assert v["financiele_bijdrage_woningvoorraad"]["verhaald"] == pytest.approx(1_650_000 - 1_100_000)
    assert v["financiele_bijdrage_woningvoorraad"]["niet_verhaald"] == pytest.approx(2 * x - 550_000)
    assert result.exploitatiebijdrage == pytest.approx(1_650_000)
    assert result.macroaftopping == pytest.approx(2 * x - 550_000)
    assert result.resultaat()["initiatiefnemer"] == pytest.approx(0.0, abs=TOL)


def test_voorbeeld_3_shipped_file():
    """The shipped file fills x in illustratively: 120.000 − 25.000 = 95.000, so 2x = 190.000."""
    result = calculate_case(load_case(EXAMPLES / "voorbeeld-3.yaml"))
    assert result.row("financiele_bijdrage_woningvoorraad")["gemeente"] == pytest.approx(190_000)
    assert result.exploitatiebijdrage == pytest.approx(1_290_000)


@pytest.mark.parametrize("x,y,z", [(1000.0, 2500.0, 4000.0), (0.0, 0.0, 0.0), (123.45, 6789.01, 2.5), (5000.0, 5000.0, 5000.0)])
def test_voorbeeld_4(x, y, z):
    data = case_to_dict(load_case(EXAMPLES / "voorbeeld-4.yaml"))
    assert data["gebied"] == ACCEPTANCE["voorbeeld_4_financiele_bijdrage_per_woning"]["gebied"]
    assert data["programma"]["woningen"] == ACCEPTANCE["voorbeeld_4_financiele_bijdrage_per_woning"]["programma"]
    data["financiele_bijdrage_fysieke_leefomgeving"] = {"tarieven": {"Kern Soesterberg": {"sociaal": x, "midden": y, "duur": z}}}
    result = calculate_case(case_from_dict(data))
    expected = 10 * x + 10 * y + 10 * z
    assert result.inputs.fysiek["bedrag"] == pytest.approx(expected, abs=TOL)
    assert result.row("financiele_bijdrage_fysieke_leefomgeving")["gemeente"] == pytest.approx(expected, abs=TOL)
    assert result.macroaftopping == 0  # "In dit voorbeeld is het uitgangspunt dat er geen sprake is van macroaftopping"
    assert result.exploitatiebijdrage == pytest.approx(expected, abs=TOL)


def test_voorbeeld_4_shipped_file():
    result = calculate_case(load_case(EXAMPLES / "voorbeeld-4.yaml"))
    assert result.inputs.fysiek["bedrag"] == pytest.approx(10 * 1000 + 10 * 2500 + 10 * 4000)


def test_macroaftopping_paragraaf_2_1_3():
    verwacht = ACCEPTANCE["macroaftopping_paragraaf_2_1_3"]["verwacht"]
    result = calculate_case(load_case(EXAMPLES / "macroaftopping-2-1-3.yaml"))
    assert result.row("opbrengsten")["initiatiefnemer"] == ACCEPTANCE["macroaftopping_paragraaf_2_1_3"]["grondopbrengsten"]
    assert result.row("subtotaal_investeringen")["gemeente"] == ACCEPTANCE["macroaftopping_paragraaf_2_1_3"]["gemeente_kosten"]
    assert result.exploitatiebijdrage == pytest.approx(verwacht["kostenverhaal"])
    assert result.niet_verhaalbaar == pytest.approx(verwacht["niet_verhaalbaar"])


@pytest.mark.parametrize("name", ["voorbeeld_1_geen_macroaftopping", "voorbeeld_2_met_macroaftopping", "macroaftopping_paragraaf_2_1_3"])
def test_via_cli_json(name, capsys):
    code = main(["kostenverhaal", "bereken", str(EXAMPLES / COVERED[name]), "--json"])
    out = capsys.readouterr().out
    assert code == 0
    data = json.loads(out)
    verwacht = ACCEPTANCE[name]["verwacht"]
    expl = verwacht.get("exploitatiebijdrage", verwacht.get("kostenverhaal"))
    assert data["exploitatiebijdrage"] == pytest.approx(expl)
    a5 = {r["post"]: r for r in data["a5"]}
    assert a5["Exploitatiebijdrage"]["gemeente"] == pytest.approx(expl)
    assert data["parameterset"] == {"naam": "soest", "geldig_vanaf": "2023-07-01", "peildatum_case": "2024-01-01", "titel": "Nota Kostenverhaal gemeente Soest 2023"}


def test_via_cli_table(capsys):
    code = main(["kostenverhaal", "bereken", str(EXAMPLES / "voorbeeld-2.yaml")])
    out = capsys.readouterr().out
    assert code == 0
    for label in ("Subtotaal investeringen gebiedseigen", "Saldo gebiedseigen kosten", "Macroaftopping", "Exploitatiebijdrage", "Financieel resultaat"):
        assert label in out
    assert "Initiatiefnemer" in out and "Gemeente" in out and "Totaal" in out
    assert "€ 450.000" in out and "€ -1.100.000" in out and "€ 650.000" in out
    assert "Volgordelijkheid" in out and "niet verhaald" in out
    # the categories in the order of volgordelijkheid, numbered 1-4
    rows = [ln for ln in out.splitlines() if ln.startswith("│ ") and ln[2] in "1234" and ln[3] == " "]
    assert [r[2] for r in rows] == ["1", "2", "3", "4"]
    assert "Gebiedseigen" in rows[0] and "Bovenwijkse" in rows[1] and "fysieke" in rows[2] and "woningvoorraad" in rows[3]
