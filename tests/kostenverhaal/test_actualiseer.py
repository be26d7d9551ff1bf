"""Jaarlijkse actualisatie (Nota Kostenverhaal Soest 2023 §4.4; spec rule 9): index, new WOZ and plans → the next
dated bijdrage input or parameter set, with a diff old → new; old versions stay reproducible; bad input exit 2 and
nothing written."""
from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
import yaml

from opengrex.cli import main
from opengrex.services.actualisatie import actualiseer_bijdrage_invoer, diff
from opengrex.services.bijdrage import calculate_bijdrage, load_bijdrage_input

EXAMPLE = "examples/kostenverhaal/soest-bijdrage-illustratief.yaml"


def run(capsys, *args):
    code = main(["kostenverhaal", "actualiseer", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def woz_file(tmp_path):
    p = tmp_path / "woz.yaml"
    p.write_text("sociaal: 270000\nmidden: 400000\nduur: 650000\n", encoding="utf-8")
    return p


def test_diff_lists_changed_added_and_removed_leaves():
    old = {"a": 1, "b": {"c": 2, "d": 3}, "l": [{"naam": "x", "v": 1}]}
    new = {"a": 1, "b": {"c": 5}, "e": {"f": 6}, "l": [{"naam": "x", "v": 2}]}
    assert diff(old, new) == [
        {"pad": "b.c", "oud": 2, "nieuw": 5},
        {"pad": "b.d", "oud": 3, "nieuw": None},
        {"pad": "l[x].v", "oud": 1, "nieuw": 2},
        {"pad": "e.f", "oud": None, "nieuw": 6},
    ]


def test_actualise_bijdrage_input_index_woz_plans_copy_not_mutate():
    data = yaml.safe_load(open(EXAMPLE, encoding="utf-8"))
    before = json.dumps(data, default=str, sort_keys=True)
    plannen = {"plannen": [{"naam": "Nieuw", "gebied": "Kern Soest", "hardheid": "hard", "woningen": {"duur": 10}}],
               "bestaande_woningen": {"Kern Soest": 17000, "Gemeente Soest": 20900}}
    new, changes = actualiseer_bijdrage_invoer(data, dt.date(2025, 1, 1), index=0.03,
                                               woz={"sociaal": 270000, "midden": 400000, "duur": 650000}, plannen=plannen)
    assert json.dumps(data, default=str, sort_keys=True) == before  # the old document is untouched
    by_path = {c["pad"]: c for c in changes}
    assert by_path["peildatum"]["nieuw"] == "2025-01-01"
    # 4.200.000 × 1,03 = 4.326.000
    assert by_path["investeringen[Herinrichting centrumas Soest].bruto"] == {"pad": "investeringen[Herinrichting centrumas Soest].bruto", "oud": 4200000, "nieuw": 4326000.0}
    assert by_path["woz.duur"]["oud"] == 620000 and by_path["woz.duur"]["nieuw"] == 650000
    assert by_path["gebieden[Kern Soest].bestaande_woningen"]["nieuw"] == 17000
    assert new["investeringen"][0]["bruto"] == pytest.approx(4_200_000 * 1.03)
    assert [p["naam"] for p in new["plannen"]] == ["Nieuw"]


def test_cli_actualise_input_writes_valid_next_version_and_prints_diff(tmp_path, capsys, woz_file):
    out = tmp_path / "soest-2025.yaml"
    code, text, _ = run(capsys, "--invoer", EXAMPLE, "--peildatum", "2025-01-01", "--index", "0.03", "--woz", str(woz_file), "-o", str(out))
    assert code == 0, text
    assert "4.200.000" in text and "4.326.000" in text and "peildatum" in text
    new = load_bijdrage_input(out)
    assert new.peildatum == dt.date(2025, 1, 1) and new.woz["duur"] == 650000
    old_res = calculate_bijdrage(load_bijdrage_input(EXAMPLE))
    new_res = calculate_bijdrage(new)
    # all investment amounts × 1,03 and the same pipeline: amounts for new plans × 1,03 exactly
    assert list(new_res.outcome.bedrag_nieuw) == pytest.approx(list(old_res.outcome.bedrag_nieuw * 1.03))


def test_cli_actualise_parameter_set_next_dated_version_old_stays_reproducible(tmp_path, capsys, woz_file, monkeypatch):
    from opengrex.parameters import load_parameter_set, parameter_set_path

    base = tmp_path / "params"
    folder = base / "kostenverhaal" / "soest"
    shutil.copytree(parameter_set_path("soest", dt.date(2023, 7, 1)).parent, folder)
    monkeypatch.setenv("OPENGREX_PARAMETERS_PATH", str(base))
    data = yaml.safe_load(open(EXAMPLE, encoding="utf-8"))
    data.pop("woz")  # take the WOZ from the parameter set
    case = tmp_path / "case.yaml"
    case.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    target = folder / "2024-07-01.yaml"
    code, text, err = run(capsys, "--set", "soest", "--peildatum", "2024-07-01", "--woz", str(woz_file), "-o", str(target))
    assert code == 0, err
    assert "geldig_vanaf" in text and "gemiddelde_woz.duur.value" in text and "650.000" in text
    ps = load_parameter_set("soest", dt.date(2024, 7, 1))
    assert ps.geldig_vanaf == dt.date(2024, 7, 1)
    assert ps.value_of("gemiddelde_woz.duur") == 650000
    assert "woz.yaml" in ps.source_of("gemiddelde_woz.duur").citaat
    assert load_parameter_set("soest", dt.date(2024, 6, 30)).geldig_vanaf == dt.date(2023, 7, 1)
    # a case under the new peildatum takes the new WOZ from the set
    data["peildatum"] = "2024-07-01"
    case.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    res = calculate_bijdrage(load_bijdrage_input(case))
    assert res.tabel3().set_index("segment").loc["duur", "gemiddelde_woz"] == 650000
    assert "Actualisatie" in res.parameter_frame().set_index("parameter").loc["gemiddelde_woz.duur", "bron"]
    # a case under the old peildatum: the old version has no WOZ → a clear error, nothing silently changed
    data["peildatum"] = "2024-01-01"
    case.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["kostenverhaal", "bijdrage", str(case)]) == 2
    assert "gemiddelde WOZ" in capsys.readouterr().err


def test_cli_without_output_writes_nothing(tmp_path, capsys, woz_file):
    code, text, _ = run(capsys, "--invoer", EXAMPLE, "--peildatum", "2025-01-01", "--woz", str(woz_file))
    assert code == 0 and "Niets geschreven" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["woz.yaml"]


@pytest.mark.parametrize("args, fragment", [
    (["--invoer", EXAMPLE, "--peildatum", "2023-01-01"], "na 2024-01-01"),
    (["--set", "atlantis", "--peildatum", "2025-01-01"], "onbekende parameterset"),
    (["--set", "soest", "--peildatum", "2001-01-01"], "peildatum"),
    (["--set", "soest", "--peildatum", "2024-07-01", "--index", "0.03"], "geen investeringen"),
    (["--set", "soest", "--invoer", EXAMPLE, "--peildatum", "2025-01-01"], "precies één"),
    (["--invoer", EXAMPLE, "--peildatum", "2025-01-01", "--index", "-1.5"], "index"),
    (["--invoer", EXAMPLE, "--peildatum", "2025-13-01"], "ongeldige datum"),
])
def test_cli_bad_input_exit_2_nothing_written(tmp_path, capsys, args, fragment):
    out = tmp_path / "2025-01-01.yaml"
    code, _, err = run(capsys, *args, "-o", str(out))
    assert code == 2 and fragment in err
    assert not out.exists()


def test_cli_negative_woz_and_wrong_set_file_name(tmp_path, capsys):
    bad = tmp_path / "woz.yaml"
    bad.write_text("sociaal: -5\n", encoding="utf-8")
    code, _, err = run(capsys, "--invoer", EXAMPLE, "--peildatum", "2025-01-01", "--woz", str(bad), "-o", str(tmp_path / "x.yaml"))
    assert code == 2 and "woz.sociaal" in err
    good = tmp_path / "w.yaml"
    good.write_text("sociaal: 1\nmidden: 2\nduur: 3\n", encoding="utf-8")
    code, _, err = run(capsys, "--set", "soest", "--peildatum", "2024-07-01", "--woz", str(good), "-o", str(tmp_path / "nieuw.yaml"))
    assert code == 2 and "2024-07-01.yaml" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.yaml", "woz.yaml"]
