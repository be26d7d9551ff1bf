"""Actualisatie with index SERIES (Nota Kostenverhaal Soest 2023 §4.4.1: "de investeringen worden jaarlijks
geïndexeerd naar het huidige prijspeil. Hiervoor wordt per investering maatwerk geleverd met betrekking tot de keuze
voor het indexcijfer"; spec kostenverhaal rule 9).

Convention under test: factor = Π_y (1 + r_y) ^ (d_y / D_y) over the calendar years y of [oude peildatum, nieuwe
peildatum), d_y the days of the period in year y, D_y the days of year y; the last rate of a series holds for
later years. Every expected number below is computed by hand in the test."""
from __future__ import annotations

import copy
import datetime as dt
import json
import shutil

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from opengrex.cli import main
from opengrex.errors import InputError
from opengrex.services.actualisatie import IndexReeksen, actualiseer_bijdrage, index_factor, read_indexreeksen
from opengrex.services.bijdrage import bijdrage_input_from_dict, calculate_bijdrage, load_bijdrage_input

EXAMPLE = "examples/kostenverhaal/soest-bijdrage-illustratief.yaml"


def run(capsys, *args):
    code = main(["kostenverhaal", "actualiseer", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def two_series_input() -> dict:
    """A minimal valid bijdrage input with two series: X names 'bouw', Y takes the standaard_index 'groen'."""
    return {
        "naam": "Twee reeksen", "parameterset": "soest", "peildatum": dt.date(2024, 1, 1),
        "gebieden": [{"naam": "Gemeente Soest", "bestaande_woningen": 1000}],
        "woz": {"sociaal": 250000, "midden": 375000, "duur": 550000},
        "investeringen": [
            {"naam": "X", "gebied": "Gemeente Soest", "categorie": "hard", "bruto": 1_000_000, "subsidies": 200_000, "index": "bouw"},
            {"naam": "Y", "gebied": "Gemeente Soest", "categorie": "zacht", "bruto": 500_000},
        ],
        "plannen": [{"naam": "P", "gebied": "Gemeente Soest", "hardheid": "hard", "woningen": {"sociaal": 10, "duur": 10}}],
        "indices": {"bouw": {2024: 0.04, 2025: 0.02}, "groen": 0.01},
        "standaard_index": "groen",
    }


# ---------------------------------------------------------------------------------------------------------------
# the factor
# ---------------------------------------------------------------------------------------------------------------

def test_two_series_hand_computed():
    data = two_series_input()
    before = copy.deepcopy(data)
    res = actualiseer_bijdrage(data, dt.date(2026, 1, 1))
    assert data == before  # a copy, never a mutation
    x, y = res.nieuw["investeringen"]
    # X, series bouw, 1-1-2024 → 1-1-2026: (1 + 0,04) × (1 + 0,02) = 1,0608
    assert x["bruto"] == pytest.approx(1_060_800.00, abs=0.005)       # 1.000.000 × 1,0608
    assert x["subsidies"] == pytest.approx(212_160.00, abs=0.005)     # 200.000 × 1,0608
    # Y, no own series → standaard_index groen: (1 + 0,01)² = 1,0201
    assert y["bruto"] == pytest.approx(510_050.00, abs=0.005)         # 500.000 × 1,0201
    rows = {r["investering"]: r for r in res.indexering}
    assert rows["X"]["reeks"] == "bouw" and rows["X"]["factor"] == pytest.approx(1.04 * 1.02)
    assert rows["Y"]["reeks"] == "groen" and rows["Y"]["factor"] == pytest.approx(1.01 ** 2)
    assert [(j["jaar"], j["percentage"], j["dagen"], j["dagen_in_jaar"]) for j in rows["X"]["jaren"]] == [(2024, 0.04, 366, 366), (2025, 0.02, 365, 365)]
    assert rows["X"]["netto_oud"] == 800_000 and rows["X"]["netto_nieuw"] == pytest.approx(848_640.0)  # 1.060.800 − 212.160
    # the diff lists every changed amount
    by_path = {c["pad"]: c for c in res.wijzigingen}
    assert by_path["investeringen[X].bruto"]["nieuw"] == pytest.approx(1_060_800)
    assert by_path["peildatum"] == {"pad": "peildatum", "oud": "2024-01-01", "nieuw": "2026-01-01"}
    bijdrage_input_from_dict(res.nieuw)  # the new version is a valid input


def test_last_rate_holds_for_later_years():
    series = {2024: 0.04, 2025: 0.02}
    f, rows = index_factor(series, dt.date(2024, 1, 1), dt.date(2028, 1, 1))
    # 2024: 4%, 2025: 2%, and 2026, 2027 still 2% (the last rate given)
    assert f == pytest.approx(1.04 * 1.02 * 1.02 * 1.02)
    assert [r["percentage"] for r in rows] == [0.04, 0.02, 0.02, 0.02]
    # the first rate also holds for years before the series starts
    f, _ = index_factor(series, dt.date(2022, 1, 1), dt.date(2023, 1, 1))
    assert f == pytest.approx(1.04)


def test_pro_rata_per_day_compounded():
    # 1-7-2024 → 1-1-2025: 184 of the 366 days of 2024 at 4%: 1,04^(184/366)
    f, rows = index_factor({2024: 0.04, 2025: 0.02}, dt.date(2024, 7, 1), dt.date(2025, 1, 1))
    assert f == pytest.approx(1.04 ** (184 / 366)) and rows == [{"jaar": 2024, "percentage": 0.04, "dagen": 184, "dagen_in_jaar": 366, "factor": pytest.approx(1.04 ** (184 / 366))}]
    # 1-7-2024 → 1-7-2025: 1,04^(184/366) × 1,02^(181/365)
    f, _ = index_factor({2024: 0.04, 2025: 0.02}, dt.date(2024, 7, 1), dt.date(2025, 7, 1))
    assert f == pytest.approx(1.04 ** (184 / 366) * 1.02 ** (181 / 365))
    # within one year, flat 3%: 1-1-2025 → 2-7-2025 = 182 days
    f, _ = index_factor(0.03, dt.date(2025, 1, 1), dt.date(2025, 7, 2))
    assert f == pytest.approx(1.03 ** (182 / 365))


@settings(max_examples=60, deadline=None)
@given(a=st.dates(dt.date(2015, 1, 1), dt.date(2035, 1, 1)), d1=st.integers(1, 2000), d2=st.integers(1, 2000),
       r=st.dictionaries(st.integers(2014, 2040), st.floats(-0.5, 0.5), min_size=1, max_size=6))
def test_factor_is_consistent_over_split_periods(a, d1, d2, r):
    """Indexing a → b and then b → c equals indexing a → c (so two annual actualisations = one over two years)."""
    b, c = a + dt.timedelta(days=d1), a + dt.timedelta(days=d1 + d2)
    f_ab, _ = index_factor(r, a, b)
    f_bc, _ = index_factor(r, b, c)
    f_ac, _ = index_factor(r, a, c)
    assert f_ab * f_bc == pytest.approx(f_ac, rel=1e-12)
    assert f_ac > 0


# ---------------------------------------------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------------------------------------------

def test_unknown_series_names_investment_and_allowed_series():
    data = two_series_input()
    data["investeringen"][0]["index"] = "bouwkostn"
    with pytest.raises(InputError) as exc:
        actualiseer_bijdrage(data, dt.date(2025, 1, 1))
    e = exc.value
    assert "X" in e.message and e.field == "investeringen[0].index" and e.value == "bouwkostn" and e.allowed == "bouw, groen"


def test_investment_without_series_and_no_default_is_an_error():
    data = two_series_input()
    data.pop("standaard_index")
    with pytest.raises(InputError) as exc:
        actualiseer_bijdrage(data, dt.date(2025, 1, 1))
    assert "'Y' heeft geen indexreeks" in exc.value.message and "bouw, groen" in exc.value.allowed


def test_single_series_is_the_default_and_rates_are_checked():
    data = two_series_input()
    data["indices"] = {"bouw": 0.05}
    data.pop("standaard_index")
    res = actualiseer_bijdrage(data, dt.date(2025, 1, 1))
    assert [r["reeks"] for r in res.indexering] == ["bouw", "bouw"]
    assert res.nieuw["investeringen"][1]["bruto"] == pytest.approx(525_000)  # 500.000 × 1,05
    data["indices"] = {"bouw": {2024: -1.2}}
    with pytest.raises(InputError, match="-100%"):
        actualiseer_bijdrage(data, dt.date(2025, 1, 1))


def test_flat_index_overrides_series():
    res = actualiseer_bijdrage(two_series_input(), dt.date(2026, 1, 1), index=0.1)
    assert [r["factor"] for r in res.indexering] == [1.1, 1.1] and res.indexering[0]["reeks"] == "--index (vlak)"
    assert res.nieuw["investeringen"][1]["bruto"] == pytest.approx(550_000)  # 500.000 × 1,1
    with pytest.raises(InputError, match="niet beide"):
        actualiseer_bijdrage(two_series_input(), dt.date(2026, 1, 1), index=0.1, indexreeksen=IndexReeksen(indices={"bouw": 0.0}))


# ---------------------------------------------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------------------------------------------

@pytest.fixture
def case_file(tmp_path):
    p = tmp_path / "invoer.yaml"
    p.write_text(yaml.safe_dump(two_series_input(), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return p


def test_cli_indexreeksen_file_replaces_input_series_and_is_recorded(tmp_path, capsys, case_file):
    reeksen = tmp_path / "reeksen.json"  # JSON: year keys are strings
    reeksen.write_text(json.dumps({"indices": {"bouw": {"2024": 0.1, "2025": 0.05}, "grond": 0.0}, "standaard_index": "bouw"}), encoding="utf-8")
    out = tmp_path / "nieuw.yaml"
    code, text, err = run(capsys, "--invoer", str(case_file), "--peildatum", "2026-01-01", "--indexreeksen", str(reeksen), "-o", str(out))
    assert code == 0, err
    new = load_bijdrage_input(out)
    # X: file series bouw (replaces the input's): 1,1 × 1,05 = 1,155 → 1.155.000; Y: standaard_index now bouw too
    assert new.investeringen[0].bruto == pytest.approx(1_155_000) and new.investeringen[1].bruto == pytest.approx(577_500)  # 500.000 × 1,155
    assert new.indices["bouw"] == {2024: 0.1, 2025: 0.05} and new.indices["groen"] == 0.01 and new.indices["grond"] == 0.0
    assert new.standaard_index == "bouw" and new.peildatum == dt.date(2026, 1, 1)
    # a plain mapping (no 'indices:' key) is read as the series
    plain = tmp_path / "plain.yaml"
    plain.write_text("bouw: 0.02\ngroen: 0.02\n", encoding="utf-8")
    res = actualiseer_bijdrage(yaml.safe_load(case_file.read_text()), dt.date(2025, 1, 1),
                               indexreeksen=read_indexreeksen(plain))
    assert [r["factor"] for r in res.indexering] == [pytest.approx(1.02), pytest.approx(1.02)]


def test_cli_happy_path_diff_text_and_json(tmp_path, capsys, case_file):
    code, text, err = run(capsys, "--invoer", str(case_file), "--peildatum", "2026-01-01")
    assert code == 0, err
    assert "Indexering investeringen 01-01-2024 → 01-01-2026" in text and "prijspeil 01-01-2026" in text
    assert "1,060800" in text and "1,020100" in text            # factors 1,04 × 1,02 and 1,01²
    assert "€ 1.000.000,00" in text and "€ 1.060.800,00" in text and "€ 510.050,00" in text
    assert "bouw" in text and "groen" in text and "pro rata per dag" in text
    assert "Niets geschreven" in text
    code, text, err = run(capsys, "--invoer", str(case_file), "--peildatum", "2026-01-01", "--json")
    assert code == 0, err
    data = json.loads(text)
    rows = {r["investering"]: r for r in data["indexering"]}
    assert rows["X"]["reeks"] == "bouw" and rows["X"]["factor"] == pytest.approx(1.0608)
    assert rows["X"]["bedragen"]["bruto"] == {"oud": 1_000_000, "nieuw": pytest.approx(1_060_800)}
    assert data["van"] == "2024-01-01" and data["peildatum"] == "2026-01-01" and "pro rata" in data["conventie"]
    assert any(c["pad"] == "investeringen[Y].bruto" for c in data["wijzigingen"]) and data["geschreven"] is None


def test_example_input_indexes_with_its_series(capsys):
    code, text, err = run(capsys, "--invoer", EXAMPLE, "--peildatum", "2025-01-01", "--json")
    assert code == 0, err
    rows = {r["investering"]: r for r in json.loads(text)["indexering"]}
    assert rows["Park Soesterberg-Noord"]["reeks"] == "groen" and rows["Park Soesterberg-Noord"]["factor"] == pytest.approx(1.025)
    assert rows["Herinrichting centrumas Soest"]["reeks"] == "bouwkosten" and rows["Herinrichting centrumas Soest"]["factor"] == pytest.approx(1.035)


@pytest.mark.parametrize("mutate, extra, fragments", [
    (lambda d: d["investeringen"][0].update(index="onbekend"), [], ["onbekende indexreeks bij investering 'X'", "bouw, groen", "onbekend"]),
    (lambda d: None, ["--index", "0.02", "--indexreeksen", "REEKSEN"], ["niet beide"]),
    (lambda d: None, ["--indexreeksen", "BAD"], ["-100%", "bad.yaml"]),
])
def test_cli_errors_exit_2_nothing_written(tmp_path, capsys, mutate, extra, fragments):
    data = two_series_input()
    mutate(data)
    case = tmp_path / "invoer.yaml"
    case.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (tmp_path / "reeksen.yaml").write_text("bouw: 0.02\n", encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("bouw: {2024: -2}\n", encoding="utf-8")
    extra = [str(tmp_path / "reeksen.yaml") if a == "REEKSEN" else str(tmp_path / "bad.yaml") if a == "BAD" else a for a in extra]
    out = tmp_path / "nieuw.yaml"
    code, _, err = run(capsys, "--invoer", str(case), "--peildatum", "2025-01-01", *extra, "-o", str(out))
    assert code == 2 and all(f in err for f in fragments), err
    assert not out.exists()


# ---------------------------------------------------------------------------------------------------------------
# parameter sets
# ---------------------------------------------------------------------------------------------------------------

@pytest.fixture
def params_copy(tmp_path, monkeypatch):
    from opengrex.parameters import parameter_set_path

    base = tmp_path / "params"
    folder = base / "kostenverhaal" / "soest"
    shutil.copytree(parameter_set_path("soest", dt.date(2023, 7, 1)).parent, folder)
    monkeypatch.setenv("OPENGREX_PARAMETERS_PATH", str(base))
    return folder


def test_set_without_indexable_amounts_says_so(tmp_path, capsys, params_copy):
    reeksen = tmp_path / "reeksen.yaml"
    reeksen.write_text("bouw: 0.02\n", encoding="utf-8")
    target = params_copy / "2024-07-01.yaml"
    code, _, err = run(capsys, "--set", "soest", "--peildatum", "2024-07-01", "--indexreeksen", str(reeksen), "-o", str(target))
    assert code == 2 and "geen investeringen om te indexeren" in err and "--indexreeksen" in err
    assert not target.exists()
    woz = tmp_path / "woz.yaml"
    woz.write_text("sociaal: 270000\nmidden: 400000\nduur: 650000\n", encoding="utf-8")
    code, text, err = run(capsys, "--set", "soest", "--peildatum", "2024-07-01", "--woz", str(woz))
    assert code == 0, err
    assert "niet geïndexeerd: de parameterset bevat geen bedragen om te indexeren" in " ".join(text.split())


def test_set_with_investments_indexed_by_series_round_trips(tmp_path, capsys):
    from opengrex.parameters import load_parameter_set, parameter_set_path

    folder = tmp_path / "mijnset"  # a set given as a folder path
    folder.mkdir()
    data = yaml.safe_load(parameter_set_path("soest", dt.date(2023, 7, 1)).read_text(encoding="utf-8"))
    data["bijdrage_fysieke_leefomgeving"] = {
        "investeringen": [{"naam": "Brug", "bruto": 2_000_000, "subsidies": 500_000, "index": "gww"},
                          {"naam": "Park", "bruto": 400_000}],
        "indices": {"gww": {2023: 0.05, 2024: 0.03}}, "standaard_index": "gww"}
    reeksen = tmp_path / "reeksen.yaml"
    reeksen.write_text("groen: 0.02\n", encoding="utf-8")
    # Park gets its own series from the file
    data["bijdrage_fysieke_leefomgeving"]["investeringen"][1]["index"] = "groen"
    (folder / "2023-07-01.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    old_text = (folder / "2023-07-01.yaml").read_text(encoding="utf-8")
    target = folder / "2024-07-01.yaml"
    code, text, err = run(capsys, "--set", str(folder), "--peildatum", "2024-07-01", "--indexreeksen", str(reeksen), "-o", str(target))
    assert code == 0, err
    # 1-7-2023 → 1-7-2024: 184/365 of 2023 and 182/366 of 2024
    f_gww = 1.05 ** (184 / 365) * 1.03 ** (182 / 366)
    f_groen = 1.02 ** (184 / 365) * 1.02 ** (182 / 366)
    ps = load_parameter_set(str(folder), dt.date(2024, 7, 1))
    assert ps.geldig_vanaf == dt.date(2024, 7, 1)
    invs = ps.bijdrage_fysieke_leefomgeving["investeringen"]
    assert invs[0]["bruto"] == pytest.approx(round(2_000_000 * f_gww, 2)) and invs[0]["subsidies"] == pytest.approx(round(500_000 * f_gww, 2))
    assert invs[1]["bruto"] == pytest.approx(round(400_000 * f_groen, 2))
    assert ps.bijdrage_fysieke_leefomgeving["indices"]["groen"] == 0.02  # the file series is recorded in the new set
    assert "Brug" in text and "gww" in text and "groen" in text
    # the written file round-trips: load → to_dict → validate → to_dict gives the same data
    from opengrex.parameters import parameter_set_from_dict

    assert parameter_set_from_dict(ps.to_dict()).to_dict() == ps.to_dict()
    # the old version is untouched and still in force before the new date
    assert (folder / "2023-07-01.yaml").read_text(encoding="utf-8") == old_text
    assert load_parameter_set(str(folder), dt.date(2024, 6, 30)).bijdrage_fysieke_leefomgeving["investeringen"][0]["bruto"] == 2_000_000
    # unknown series in a set: error naming the investment, nothing written
    target2 = folder / "2025-07-01.yaml"
    data["bijdrage_fysieke_leefomgeving"]["investeringen"][1]["index"] = "onbekend"
    (folder / "2023-07-01.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    target.unlink()
    code, _, err = run(capsys, "--set", str(folder), "--peildatum", "2025-07-01", "-o", str(target2))
    assert code == 2 and "'Park'" in err and "gww" in err and not target2.exists()


def test_old_peildatum_case_reproducible_after_new_set(tmp_path, capsys, params_copy):
    from opengrex.parameters import load_parameter_set

    invoer = load_bijdrage_input(EXAMPLE)  # peildatum 2024-01-01
    before = calculate_bijdrage(invoer)
    woz = tmp_path / "woz.yaml"
    woz.write_text("sociaal: 270000\nmidden: 400000\nduur: 650000\n", encoding="utf-8")
    target = params_copy / "2024-07-01.yaml"
    code, _, err = run(capsys, "--set", "soest", "--peildatum", "2024-07-01", "--woz", str(woz), "-o", str(target))
    assert code == 0, err
    new_set = load_parameter_set("soest", dt.date(2024, 7, 1))
    assert new_set.geldig_vanaf == dt.date(2024, 7, 1) and new_set.value_of("gemiddelde_woz.midden") == 400000
    old_set = load_parameter_set("soest", dt.date(2024, 1, 1))
    assert old_set.geldig_vanaf == dt.date(2023, 7, 1)
    # everything but the changed values is carried over unchanged
    assert new_set.to_dict() | {"geldig_vanaf": None, "gemiddelde_woz": None} == old_set.to_dict() | {"geldig_vanaf": None, "gemiddelde_woz": None}
    after = calculate_bijdrage(load_bijdrage_input(EXAMPLE))
    assert after.parameters.parameterset == before.parameters.parameterset
    assert after.tabel5().equals(before.tabel5()) and after.tabel1().equals(before.tabel1())
    assert after.to_dict() == before.to_dict()


def test_cent_rounding_keeps_netto_zero_investment_valid():
    data = two_series_input()
    # netto 0: three deductions of 1 each; factor 1,0051 → each 1,0051 rounds to 1,01 (3,03 > round(3 × 1,0051) = round(3,0153) = 3,02)
    data["investeringen"][1] = {"naam": "Y", "gebied": "Gemeente Soest", "categorie": "zacht", "bruto": 3,
                                "subsidies": 1, "externe_bijdragen": 1, "onderhoudsbudget": 1}
    res = actualiseer_bijdrage(data, dt.date(2025, 1, 1), index=0.0051)
    y = res.nieuw["investeringen"][1]
    assert y["bruto"] == 3.02 and y["subsidies"] + y["externe_bijdragen"] + y["onderhoudsbudget"] == pytest.approx(3.02)
    assert res.indexering[1]["netto_nieuw"] == pytest.approx(0.0)
