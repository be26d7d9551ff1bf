"""``opengrex kostenverhaal bijdrage``: CLI delegation, JSON, bad input (exit 2, nothing written) and the xlsx export
of tabel 1-5 recalculated by LibreOffice, equal to the engine within €0.01."""
from __future__ import annotations

import json

import pytest

from opengrex.cli import main
from opengrex.services.bijdrage import bijdrage_input_from_dict, calculate_bijdrage, load_bijdrage_input, write_bijdrage_xlsx

EXAMPLE = "examples/kostenverhaal/soest-bijdrage-illustratief.yaml"


def run(capsys, *args):
    code = main(["kostenverhaal", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_prints_tabel_1_to_5_and_the_plan_total(capsys):
    code, out, _ = run(capsys, "bijdrage", EXAMPLE, "--plan-gebied", "Kern Soesterberg", "--sociaal", "10", "--midden", "10", "--duur", "10")
    assert code == 0
    for title in ("Tabel 1", "Tabel 2", "Tabel 3", "Tabel 4", "Tabel 5", "ILLUSTRATIEF", "Bijdrage van het plan in Kern Soesterberg"):
        assert title in out
    res = calculate_bijdrage(load_bijdrage_input(EXAMPLE))
    from opengrex.formatting import eur
    from opengrex.services.bijdrage import plan_contribution

    total = plan_contribution(res, "Kern Soesterberg", {"sociaal": 10, "midden": 10, "duur": 10})["totaal"]
    assert eur(total, 2) in out  # nl-NL: € 13.368,63


def test_cli_json_equals_api(capsys):
    code, out, _ = run(capsys, "bijdrage", EXAMPLE, "--json", "--plan-gebied", "Kern Soest", "--duur", "3")
    assert code == 0
    data = json.loads(out)
    res = calculate_bijdrage(load_bijdrage_input(EXAMPLE))
    assert data["tabel5"][1]["duur"] == pytest.approx(float(res.tabel5().duur[1]))
    assert data["plan"]["totaal"] == pytest.approx(3 * float(res.tabel5_voor_plan().set_index("gebied").loc["Kern Soest", "duur"]))
    assert data["illustratief"] is True


def test_cli_bad_input_exit_2_and_nothing_written(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    text = open(EXAMPLE, encoding="utf-8").read().replace("gebied: Kern Soesterberg, hardheid: zacht", "gebied: Kern Utopia, hardheid: zacht")
    bad.write_text(text, encoding="utf-8")
    out_xlsx = tmp_path / "uit.xlsx"
    code, _, err = run(capsys, "bijdrage", str(bad), "--xlsx", str(out_xlsx))
    assert code == 2
    assert "Kern Utopia" in err and "plannen[4].gebied" in err and "regel" in err
    assert not out_xlsx.exists()
    code, _, err = run(capsys, "bijdrage", EXAMPLE, "--plan-gebied", "Kern Utopia", "--duur", "1")
    assert code == 2 and "onbekend gebied" in err
    code, _, err = run(capsys, "bijdrage", EXAMPLE, "--plan-gebied", "Kern Soest", "--duur", "-1")
    assert code == 2 and "negatief" in err
    assert list(tmp_path.iterdir()) == [bad]


def test_cli_unknown_parameter_set_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(open(EXAMPLE, encoding="utf-8").read().replace("parameterset: soest", "parameterset: atlantis"), encoding="utf-8")
    code, _, err = run(capsys, "bijdrage", str(bad))
    assert code == 2 and "onbekende parameterset" in err and "atlantis" in err


def _variant_without_soesterberg_plans():
    import yaml

    data = yaml.safe_load(open(EXAMPLE, encoding="utf-8"))
    data["plannen"] = [p for p in data["plannen"] if p["gebied"] != "Kern Soesterberg"]  # an area without new homes
    return calculate_bijdrage(bijdrage_input_from_dict(data))


def _compare(path, res):
    from opengrex.io.libreoffice import read_values

    A, S = len(res.gebieden), len(res.segmenten)
    cols = "BCDEFG"
    rows = range(2, A + 2)
    t5 = read_values(path, "Tabel 5", [f"{c}{r}" for r in rows for c in cols[: 2 * S]])
    expect = []
    for i in range(A):
        expect += list(res.outcome.tarief[i]) + list(res.outcome.tarief_cumulatief[i])
    assert t5 == pytest.approx(expect, abs=0.01)
    t4 = read_values(path, "Tabel 4", [f"{c}{r}" for r in rows for c in "BCD"])
    exp4 = [v for i in range(A) for v in (res.outcome.eenheden[i], res.outcome.bedrag_nieuw[i], res.outcome.prijs[i])]
    assert t4 == pytest.approx(exp4, abs=0.01)
    t2 = read_values(path, "Tabel 2", [f"{c}{r}" for r in rows for c in "DFGI"])
    exp2 = [v for i in range(A) for v in (res.outcome.nieuw[i], res.outcome.aandeel_nieuw[i], res.outcome.investering_gebied[i], res.outcome.bedrag_nieuw[i])]
    assert t2 == pytest.approx(exp2, abs=0.01)
    t3 = read_values(path, "Tabel 3", [f"{c}{j + 2}" for j in range(S) for c in "EF"])
    assert t3 == pytest.approx([v for j in range(S) for v in (res.outcome.grondwaarde[j], res.outcome.weging[j])], abs=0.01)
    n = len(res.invoer.investeringen)
    t1 = read_values(path, "Tabel 1", [f"{c}{r}" for r in range(2, n + 2) for c in "IK"])
    assert t1 == pytest.approx([v for i in range(n) for v in (res.outcome.netto[i], res.outcome.meetellend[i])], abs=0.01)


@pytest.mark.libreoffice
def test_xlsx_tabel_1_to_5_recalculated_by_libreoffice_equals_engine(tmp_path, capsys):
    """Live formulas: LibreOffice recomputes every table from the input sheets (Invoer, Plannen, Parameters); every
    amount, share, weight, price and rate equals the engine to €0.01 — also for an area without new homes."""
    from opengrex.io.libreoffice import recalculate

    src = tmp_path / "in"
    src.mkdir()
    first = src / "bijdrage.xlsx"
    code, _, _ = run(capsys, "bijdrage", EXAMPLE, "--xlsx", str(first))
    assert code == 0 and first.is_file()
    second = write_bijdrage_xlsx(_variant_without_soesterberg_plans(), src / "variant.xlsx")
    out = recalculate([first, second], tmp_path / "out")
    _compare(out[0], calculate_bijdrage(load_bijdrage_input(EXAMPLE)))
    _compare(out[1], _variant_without_soesterberg_plans())
