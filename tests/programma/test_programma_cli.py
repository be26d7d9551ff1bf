"""``opengrex programma …``: each command on the demo, and each class of bad input (exit 2, the field named with
file and line, nothing computed)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from opengrex.cli import main

EX = Path(__file__).resolve().parents[2] / "examples" / "hart-van-de-heuvelrug"
V2012, V2013 = str(EX / "mastergrex-2012.yaml"), str(EX / "mastergrex-2013.yaml")


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_bereken_shows_projects_interest_fund_badkuip_partners(capsys):
    code, out, _ = run(capsys, "programma", "bereken", V2013)
    assert code == 0
    for text in ("Per project", "Rente per voorfinancierder", "Verevening via Beheerfonds", "Badkuip programma", "Deel van het resultaat dat rente is", "Garanties", "JA, met", "Taakstellingen", "Per partner"):
        assert text in out
    assert "-15.906.373" in out and "-9.205.103" in out


def test_bereken_json_and_charts(capsys, tmp_path):
    code, out, _ = run(capsys, "programma", "bereken", V2013, "--json", "--grafieken", str(tmp_path))
    assert code == 0
    data = json.loads(out)
    assert data["resultaat"]["ncw"] == pytest.approx(-15.906e6, abs=0.1e6)
    assert (tmp_path / "badkuip.png").stat().st_size > 1000
    assert "plotly" in (tmp_path / "badkuip.html").read_text(encoding="utf-8").lower()


def test_vergelijk_says_the_method_and_adds_up(capsys):
    code, out, _ = run(capsys, "programma", "vergelijk", V2012, V2013)
    assert code == 0
    assert "Shapley" in out and "64 combinaties" in out
    code, out, _ = run(capsys, "programma", "vergelijk", V2012, V2013, "--json")
    data = json.loads(out)
    assert sum(r["ncw"] for r in data["per_oorzaak"]) == pytest.approx(data["verschil_ncw"], abs=1e-6)


def test_scenario_from_file_and_command_line(capsys, tmp_path):
    code, out, _ = run(capsys, "programma", "scenario", V2013, "--override", "shift:Soesterberg Noord=2", "--override", "opbrengsten:-5", "--json", "--grafieken", str(tmp_path))
    assert code == 0
    data = json.loads(out)
    names = [s["scenario"] for s in data["scenarios"]]
    assert names[0] == "Basis" and "Opdrachtregel" in names and "Rente provincie 0% vanaf 2014" in names
    cmd = [w for w in data["waterval"] if w["scenario"] == "Opdrachtregel"]
    total = next(s for s in data["scenarios"] if s["scenario"] == "Opdrachtregel")["verschil_ncw"]
    assert sum(w["volgtijdelijk"] for w in cmd) == pytest.approx(total, abs=1e-6)
    assert sum(w["shapley"] for w in cmd) == pytest.approx(total, abs=1e-6)
    assert list(tmp_path.glob("waterval-*.png"))


def test_risico_table_progress_and_charts(capsys, tmp_path):
    code, out, _ = run(capsys, "programma", "risico", V2013, "--trekkingen", "2000", "--percentiel", "90", "--grafieken", str(tmp_path))
    assert code == 0
    for text in ("P10 / P50 / P90", "Kans op een tekort", "Verwacht risicobedrag", "Benodigd weerstandsvermogen (90% zekerheid)", "Tornado"):
        assert text in out
    for name in ("histogram.png", "histogram.html", "tornado.png", "tornado.html"):
        assert (tmp_path / name).exists()


def test_export_workbook_and_calculate_from_it(capsys, tmp_path):
    target = tmp_path / "prog.xlsx"
    assert run(capsys, "programma", "export", V2013, "-o", str(target))[0] == 0
    code, out, _ = run(capsys, "programma", "bereken", str(target), "--json")
    assert code == 0 and json.loads(out)["resultaat"]["ncw"] == pytest.approx(-15.906e6, abs=0.1e6)


# ----------------------------------------------------------------------------------------------------- bad input
def _demo() -> dict:
    return yaml.safe_load(Path(V2013).read_text(encoding="utf-8"))


def _bad(tmp_path: Path, data: dict) -> str:
    p = tmp_path / "fout.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return str(p)


def _edit(fn):
    d = _demo()
    fn(d)
    return d


BAD = {
    "unknown partner as trekker": (lambda d: d["projecten"][2].update(trekker="Gemeente Amersfoort"), "projecten[2].trekker"),
    "unknown voorfinancierder": (lambda d: d["projecten"][0].update(voorfinancierder="Rijk"), "projecten[0].voorfinancierder"),
    "unknown fund financier": (lambda d: d["fonds"].update(financier="Bank"), "fonds.financier"),
    "unknown partner in guarantee": (lambda d: d["garanties"][0].update(partners={"Provincie Utrecht": 0.5, "Gemeente Amersfoort": 0.5}), "garanties[0].partners.Gemeente Amersfoort"),
    "unknown project in guarantee": (lambda d: d["garanties"][1].update(projecten=["Vliegbasis"]), "garanties[1].projecten[0]"),
    "unknown project in taakstelling": (lambda d: d["taakstellingen"][0].update(project="Vliegbasis"), "taakstellingen[0].project"),
    "shares not 100%": (lambda d: d["partners"][0].update(aandeel=0.6), "partners"),
    "min > mode": (lambda d: d["projecten"][1]["risicos"][0]["impact"].update(min=900000), "projecten[1].risicos[0].impact"),
    "probability > 1": (lambda d: d["projecten"][1]["risicos"][0].update(kans=1.5), "projecten[1].risicos[0].kans"),
    "probability < 0": (lambda d: d["projecten"][1]["risicos"][0].update(kans=-0.1), "projecten[1].risicos[0].kans"),
    "scenario unknown project": (lambda d: d["scenarios"][2]["wijzigingen"][1].update(project="Onbekend"), "scenarios[2].wijzigingen[1].project"),
    "scenario unknown financier": (lambda d: d["scenarios"][0]["wijzigingen"][0].update(financier="Rijk"), "scenarios[0].wijzigingen[0].financier"),
    "scenario unknown override type": (lambda d: d["scenarios"][0]["wijzigingen"][0].update(type="belasting"), "scenarios[0].wijzigingen[0].type"),
    "uncertain unknown index series": (lambda d: d["onzekerheden"][0].update(reeks="bouwkosten"), "onzekerheden[0].reeks"),
    "unknown project kind": (lambda d: d["projecten"][0].update(soort="blauw"), "projecten[0].soort"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_names_the_field_with_file_and_line(capsys, tmp_path, case):
    fn, field = BAD[case]
    path = _bad(tmp_path, _edit(fn))
    code, out, err = run(capsys, "programma", "bereken", path)
    assert code == 2
    assert f"veld '{field}'" in err
    assert "fout.yaml, regel" in err
    assert out == ""  # nothing computed


def test_bad_override_on_the_command_line(capsys):
    code, out, err = run(capsys, "programma", "scenario", V2013, "--override", "verschuif:Onbekend=2")
    assert code == 2 and "onbekend project" in err and out == ""
    code, out, err = run(capsys, "programma", "scenario", V2013, "--override", "verschuif=2")
    assert code == 2 and "--override" in err


@pytest.mark.parametrize("n", ["0", "-10"])
def test_draws_must_be_positive(capsys, n):
    code, out, err = run(capsys, "programma", "risico", V2013, "--trekkingen", n)
    assert code == 2 and "--trekkingen" in err and out == ""


def test_unknown_file(capsys, tmp_path):
    code, _, err = run(capsys, "programma", "bereken", str(tmp_path / "nee.yaml"))
    assert code == 2 and "niet gevonden" in err


def test_verklaar(capsys):
    code, out, _ = run(capsys, "programma", "bereken", V2013, "--verklaar", "rentedeel")
    assert code == 0 and json.loads(out)["functie"].startswith("opengrex.engine.programma")
    code, _, err = run(capsys, "programma", "bereken", V2013, "--verklaar", "onzin")
    assert code == 2 and "--verklaar" in err


def test_bereken_with_a_scenario_shows_the_4_to_0_percent_step(capsys):
    code, out, _ = run(capsys, "programma", "bereken", V2013, "--scenario", "Rente provincie 0% vanaf 2014", "--json")
    assert code == 0
    data = json.loads(out)
    fund = {r["jaar"]: r["rentepercentage"] for r in data["fonds"]}
    assert fund[2013] == 0.04 and fund[2014] == 0.0
    code, _, err = run(capsys, "programma", "bereken", V2013, "--scenario", "Bestaat niet")
    assert code == 2 and "--scenario" in err
