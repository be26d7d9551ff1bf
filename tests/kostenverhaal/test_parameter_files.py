"""The parameters package reads its own YAML strictly (issue 9 item 1: no ``parameters → io`` arrow): one bad fixture
per error, each naming the file and the line; dated single parameters (rate tables, the terms of the eindafrekening)
with their source; legal constants no longer in code."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from opengrex.errors import InputError
from opengrex.parameters import TERMIJNEN, load_parameter_set, termijn
from opengrex.parameters.dated import DatedParameter
from opengrex.parameters.loader import load_model, read_yaml
from opengrex.parameters.rente import load_rentetabel

SRC = Path(__import__("opengrex").__file__).resolve().parent


def test_parameters_import_nothing_above_them():
    code = ("import sys, opengrex.parameters, opengrex.parameters.rente; "
            "bad = sorted(m for m in sys.modules if m.startswith(('opengrex.io', 'opengrex.services', 'opengrex.model', 'opengrex.engine'))); "
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""
    for f in (SRC / "parameters").glob("*.py"):
        text = f.read_text(encoding="utf-8")
        assert "from opengrex.io" not in text and "import opengrex.io" not in text, f


GOOD = """description: Test
metadata: {unit: jaar}
values:
  2020-01-01:
    value: 5
    bron: {title: "Bron"}
"""


@pytest.mark.parametrize("text,fragment,line", [
    (GOOD.replace("metadata: {unit: jaar}", "metadata: {unit: jaar}\nmetadata: {unit: maand}"), "komt twee keer voor", 3),
    (GOOD.replace("2020-01-01:", "2020-13-01:"), "ongeldige", None),
    (GOOD.replace('    bron: {title: "Bron"}\n', ""), "verplicht veld ontbreekt", 4),
    (GOOD.replace("value: 5", "value: vijf"), "geen getal", 5),
    (GOOD + "extra: 1\n", "onbekend veld", 7),
    (GOOD.replace("values:", "values: [") , "ongeldige YAML", None),
    (GOOD.replace("values:\n  2020-01-01:\n    value: 5\n    bron: {title: \"Bron\"}\n", "values: {}\n"), "geen waarden", 3),
])
def test_one_bad_fixture_per_error(tmp_path, text, fragment, line):
    f = tmp_path / "termijn.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_model(DatedParameter, f)
    message = str(e.value)
    assert fragment in message and str(f) in message
    if line is not None:
        assert f"regel {line}" in message


def test_good_fixture_and_aliases(tmp_path):
    f = tmp_path / "ok.yaml"
    f.write_text(GOOD.replace('bron: {title: "Bron"}', 'bron: &b {title: "Bron"}') + "  2021-01-01: {value: 6, bron: *b}\n", encoding="utf-8")
    p = load_model(DatedParameter, f)
    assert p.entry_on(dt.date(2020, 6, 1), naam="t", field="f")[1].value == 5
    assert p.entry_on(dt.date(2021, 6, 1), naam="t", field="f")[1].bron.title == "Bron"
    with pytest.raises(InputError, match="begint pas op 2020-01-01"):
        p.entry_on(dt.date(2019, 1, 1), naam="t", field="f")
    data, lines = read_yaml(f)
    assert lines[("values",)] == 3


def _soest_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, old: str, new: str) -> None:
    """The Soest set as user set ``name`` on ``OPENGREX_PARAMETERS_PATH``, with ``old`` replaced by ``new``."""
    src = (SRC / "parameters" / "kostenverhaal" / "soest" / "2023-07-01.yaml").read_text(encoding="utf-8")
    assert old in src
    folder = tmp_path / "kostenverhaal" / name
    folder.mkdir(parents=True)
    (folder / "2023-07-01.yaml").write_text(src.replace(old, new), encoding="utf-8")
    monkeypatch.setenv("OPENGREX_PARAMETERS_PATH", str(tmp_path))


def test_a_bad_set_names_file_and_line(tmp_path, monkeypatch):
    _soest_copy(tmp_path, monkeypatch, "fout", "btw:\n  value: 0.21", "btw:\n  value: 0.21\n  waarde: 0.21")
    with pytest.raises(InputError) as e:
        load_parameter_set("fout")
    assert "2023-07-01.yaml, regel" in str(e.value) and "btw.waarde" in str(e.value) and "onbekend veld" in str(e.value)


def test_terms_of_the_eindafrekening_are_dated_parameters():
    ps = load_parameter_set("soest", dt.date(2024, 1, 1))
    for naam in TERMIJNEN:
        t = termijn(ps, naam, dt.date(2024, 1, 1))
        assert t.jaren == 5 and "Nota Kostenverhaal" in t.bron and t.peildatum == "2023-07-01"
    assert "Planschade en nadeelcompensatie" in termijn(ps, "planschade_afrekening_jaren", dt.date(2024, 1, 1)).bron
    # a set without its own terms: the dated default files, with their source
    bare = ps.model_copy(update={"tussentijdse_eindafrekening_jaren": None, "planschade_afrekening_jaren": None})
    t = termijn(bare, "planschade_afrekening_jaren", dt.date(2010, 1, 1))
    assert t.jaren == 5 and "parameters/eindafrekening/planschade_afrekening_jaren.yaml" in t.bron and t.peildatum == "2008-07-01"
    with pytest.raises(InputError):
        termijn(ps, "bedenktijd", dt.date(2024, 1, 1))


def test_no_legal_constants_left_in_the_eindafrekening_service():
    text = (SRC / "services" / "eindafrekening.py").read_text(encoding="utf-8")
    assert "PLANSCHADE_JAREN" not in text and "else 5" not in text


def test_a_term_from_the_set_is_used(tmp_path, monkeypatch):
    """A set with a 3-year planschade term settles planschade after 3 years (the term is data, not code)."""
    from opengrex.services.eindafrekening import calculate_eindafrekening, eindafrekening_from_dict

    _soest_copy(tmp_path, monkeypatch, "drie", "planschade_afrekening_jaren:\n  value: 5", "planschade_afrekening_jaren:\n  value: 3")
    doc = {"naam": "p", "parameterset": "drie", "peildatum": "2023-07-01", "soort": "planschade", "datum": "2027-05-01",
           "planschade": {"geraamd": 10, "werkelijk": 4, "besluit_onherroepelijk": "2024-05-01"}}
    assert calculate_eindafrekening(eindafrekening_from_dict(doc)).totaal_terug == 6
    doc["datum"] = "2027-04-30"
    with pytest.raises(InputError, match="pas 3 jaar") as e:
        calculate_eindafrekening(eindafrekening_from_dict(doc))
    assert "2027-05-01" in str(e.value)


def test_rate_tables_by_name_only():
    assert load_rentetabel().bestand == "parameters/rente/wettelijke_rente.yaml"
    for bad in ("../kostenverhaal/soest/2023-07-01", "/etc/passwd", "wettelijke_rente.yaml"):
        with pytest.raises(InputError, match="onbekende rentetabel") as e:
            load_rentetabel(bad)
        assert "wettelijke_rente" in e.value.allowed
