"""Bad input for kostenverhaal cases: a clear error naming the field, value and what is allowed; exit code 2 in
the CLI; nothing written."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from opengrex.cli import main
from opengrex.errors import InputError
from opengrex.services.kostenverhaal import case_from_dict, case_to_dict, load_case

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "kostenverhaal"


def _base() -> dict:
    return case_to_dict(load_case(EXAMPLES / "voorbeeld-3.yaml"))


def _set(d: dict, path: tuple, value) -> None:
    for p in path[:-1]:
        d = d[p]
    d[path[-1]] = value


CASES = {
    "unknown_area": (("gebied",), "Kern Amersfoort", "gebied", "onbekend gebied"),
    "plan_in_no_area": (("gebied",), "  ", "gebied", "geen gebied"),
    "negative_count": (("programma", "woningen", "duur"), -3, "programma.woningen.duur", "negatief"),
    "negative_amount": (("gemeente", "kosten", 0, "bedrag"), -500, "gemeente.kosten[0].bedrag", "negatief"),
    "negative_opbrengst": (("initiatiefnemer", "opbrengsten", 0, "bedrag"), -1, "initiatiefnemer.opbrengsten[0].bedrag", "negatief"),
    "ptp_100": (("bovenwijkse_voorzieningen", 0), {"naam": "weg", "bedrag": 100, "aandeel": 1.0}, "bovenwijkse_voorzieningen[0].aandeel", "100%"),
    "ptp_derived_100": (("bovenwijkse_voorzieningen", 0), {"naam": "weg", "bedrag": 100, "woningen_totaal": 20}, "bovenwijkse_voorzieningen[0].woningen_totaal", "100%"),
    "unknown_set": (("parameterset",), "atlantis", "parameterset", "onbekende parameterset"),
    "unknown_peildatum": (("peildatum",), "2019-01-01", "peildatum", "geen versie"),
    "unknown_kostensoort": (("gemeente", "kosten", 0, "kostensoort"), "Z9", "gemeente.kosten[0].kostensoort", "onbekende kostensoort"),
    "rate_for_area_not_containing_plan": (("financiele_bijdrage_fysieke_leefomgeving",), {"tarieven": {"Kern Soesterberg": {"duur": 100}}}, "financiele_bijdrage_fysieke_leefomgeving.tarieven.Kern Soesterberg", "ligt niet in"),
    "unknown_field": (("kosten_extra",), 1, "kosten_extra", "onbekend veld"),
    "missing_bijdrage_input": (("financiele_bijdrage_fysieke_leefomgeving",), {"berekening": "bestaat-niet.yaml"}, "financiele_bijdrage_fysieke_leefomgeving.berekening", "niet gevonden"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_library(name):
    path, value, field, text = CASES[name]
    data = _base()
    _set(data, path, value)
    with pytest.raises(InputError) as e:
        case_from_dict(data)
    err = e.value
    fields = [x.field for x in getattr(err, "errors", [err])]
    assert field in fields, fields
    assert text in str(err)


def test_b_code_zonder_tijdvak_names_code_and_line(tmp_path):
    data = yaml.safe_load((EXAMPLES / "zonder-tijdvak.yaml").read_text(encoding="utf-8"))
    data["gemeente"]["kosten"].append({"kostensoort": "B3", "omschrijving": "Sloop op bouwgrond", "bedrag": 1000})
    f = tmp_path / "zonder.yaml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_case(f)
    msg = str(e.value)
    assert "B3" in msg and "gemeente.kosten[3].kostensoort" in msg and "regel" in msg and "A1–A14" in msg


def test_zonder_tijdvak_needs_plafond_and_kavels():
    data = yaml.safe_load((EXAMPLES / "zonder-tijdvak.yaml").read_text(encoding="utf-8"))
    del data["kostenplafond"]
    data["kavels"] = []
    with pytest.raises(InputError) as e:
        case_from_dict(data)
    fields = [x.field for x in e.value.errors]
    assert "kostenplafond" in fields and "kavels" in fields


def test_kavel_shares_must_sum_to_100():
    data = yaml.safe_load((EXAMPLES / "zonder-tijdvak.yaml").read_text(encoding="utf-8"))
    data["kavels"][0]["aandeel"] = 0.6
    with pytest.raises(InputError, match="100%"):
        case_from_dict(data)


def test_woningvoorraad_without_norm_area():
    data = _base()
    data["gebied"] = "Gemeente Soest"  # buitengebied: no doelgroepen norm in the Soest set
    with pytest.raises(InputError, match="geen doelgroepen norm"):
        case_from_dict(data)


def test_norm_shares_not_summing_to_100_in_a_copied_set(tmp_path, monkeypatch):
    src = Path(__import__("opengrex.parameters", fromlist=["x"]).__file__).parent / "kostenverhaal" / "soest" / "2023-07-01.yaml"
    folder = tmp_path / "kostenverhaal" / "fout"
    folder.mkdir(parents=True)
    d = yaml.safe_load(src.read_text(encoding="utf-8"))
    d["doelgroepen_norm"]["kern_soest"]["value"][2]["aandeel"] = 0.40
    (folder / "2023-07-01.yaml").write_text(yaml.safe_dump(d, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("OPENGREX_PARAMETERS_PATH", str(tmp_path))
    data = _base()
    data["parameterset"] = "fout"
    with pytest.raises(InputError, match="100%"):
        case_from_dict(data)


@pytest.mark.parametrize("name", ["unknown_area", "negative_count", "ptp_100", "unknown_set", "unknown_peildatum"])
def test_bad_input_cli_exit_2_nothing_written(name, tmp_path, capsys):
    path, value, field, text = CASES[name]
    data = _base()
    _set(data, path, value)
    f = tmp_path / "case.yaml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = tmp_path / "uit.xlsx"
    code = main(["kostenverhaal", "bereken", str(f), "--xlsx", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert "Fout" in err and field in err and "Traceback" not in err
    assert "regel" in err or name in ("unknown_set", "unknown_peildatum")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [f]


def test_cli_parameters_unknown_set(capsys):
    assert main(["kostenverhaal", "parameters", "--set", "atlantis"]) == 2
    assert "atlantis" in capsys.readouterr().err
    assert main(["kostenverhaal", "parameters", "--set", "soest", "--peildatum", "2019-01-01"]) == 2
    assert main(["kostenverhaal", "parameters", "--peildatum", "gisteren"]) == 2


def test_cli_parameters_json(capsys):
    import json

    assert main(["kostenverhaal", "parameters", "--set", "soest", "--peildatum", "2024-01-01", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    rows = {r["parameter"]: r for r in data["parameters"]}
    assert rows["grondquote.duur"]["waarde"] == 0.38 and "tabel 6" in rows["grondquote.duur"]["paragraaf"]
    assert data["geldig_vanaf"] == "2023-07-01"
