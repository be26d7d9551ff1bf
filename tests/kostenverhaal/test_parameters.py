"""Parameter sets as dated data (issue 4 point 1): loader, version by peildatum, sources, bad input."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from opengrex.errors import InputError
from opengrex.parameters import list_parameter_sets, load_parameter_set, parameter_set_from_dict

SOEST = Path(__import__("opengrex.parameters", fromlist=["x"]).__file__).parent / "kostenverhaal" / "soest"


def test_soest_values_as_in_nota():
    ps = load_parameter_set("soest", dt.date(2024, 1, 1))
    assert ps.geldig_vanaf == dt.date(2023, 7, 1)
    # Nota §4.4.1 tabel 6
    assert ps.grondquotes() == {"sociaal": 0.13, "midden": 0.25, "duur": 0.38}
    assert ps.value_of("btw") == 0.21
    assert [ps.value_of(f"hardheid_investeringen.{h}") for h in ("hard", "zacht", "nader_te_bepalen")] == [1.0, 0.5, 0.0]
    assert [ps.value_of(f"hardheid_plancapaciteit.{h}") for h in ("hard", "zacht", "nader_te_bepalen")] == [1.0, 0.5, 0.0]
    assert ps.value_of("eindafrekening_drempel") == 0.05
    # §4.2: Soest 45-5-50, Soesterberg 20-80 (sociaal+midden vs duur)
    code, norm = ps.norm_for("Kern Soest")
    assert code == "kern_soest" and [(g.segmenten, g.aandeel) for g in norm] == [(("sociaal",), 0.45), (("midden",), 0.05), (("duur",), 0.5)]
    code, norm = ps.norm_for("kern_soesterberg")
    assert [(g.segmenten, g.aandeel) for g in norm] == [(("sociaal", "midden"), 0.2), (("duur",), 0.8)]
    assert ps.norm_for("Gemeente Soest") is None
    assert [a.naam for a in ps.areas_containing("Kern Soesterberg")] == ["Kern Soesterberg", "Gemeente Soest"]


def test_every_value_has_a_source():
    ps = load_parameter_set("soest")
    keys = ps.keys()
    assert "grondquote.duur" in keys and "eindafrekening_drempel" in keys
    for k in keys:
        b = ps.source_of(k)
        assert b.document and b.paragraaf, k
    assert "tabel 6" in ps.source_of("grondquote.duur").paragraaf
    assert "A4" in ps.source_of("eindafrekening_drempel").paragraaf
    assert len(ps.table()) == len(keys)


def test_listed():
    assert "soest" in [i.naam for i in list_parameter_sets()]


def test_unknown_set_and_peildatum():
    with pytest.raises(InputError) as e:
        load_parameter_set("atlantis")
    assert e.value.field == "parameterset" and "soest" in e.value.allowed
    with pytest.raises(InputError) as e:
        load_parameter_set("soest", dt.date(2019, 1, 1))
    assert e.value.field == "peildatum" and "2023-07-01" in e.value.allowed
    with pytest.raises(InputError):
        load_parameter_set("soest").source_of("grondquote.kantoor")


def _copy_set(tmp_path: Path, name: str = "testgem") -> Path:
    target = tmp_path / "kostenverhaal" / name
    shutil.copytree(SOEST, target)
    return target


def test_dated_versions_from_user_path(tmp_path, monkeypatch):
    folder = _copy_set(tmp_path)
    data = yaml.safe_load((folder / "2023-07-01.yaml").read_text())
    data["geldig_vanaf"] = dt.date(2025, 1, 1)
    data["grondquote"]["duur"]["value"] = 0.40
    (folder / "2025-01-01.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    monkeypatch.setenv("OPENGREX_PARAMETERS_PATH", str(tmp_path))
    assert load_parameter_set("testgem", dt.date(2024, 12, 31)).grondquotes()["duur"] == 0.38
    assert load_parameter_set("testgem", dt.date(2025, 1, 1)).grondquotes()["duur"] == 0.40
    assert load_parameter_set("testgem").geldig_vanaf == dt.date(2025, 1, 1)
    # a set given as a path
    assert load_parameter_set(str(folder), dt.date(2024, 1, 1)).grondquotes()["duur"] == 0.38


def _bad(data_change) -> InputError:
    data = yaml.safe_load((SOEST / "2023-07-01.yaml").read_text())
    data_change(data)
    with pytest.raises(InputError) as e:
        parameter_set_from_dict(data)
    return e.value


def test_norm_not_100_percent():
    def change(d):
        d["doelgroepen_norm"]["kern_soest"]["value"][0]["aandeel"] = 0.40
    assert "100%" in str(_bad(change))


def test_norm_unknown_segment():
    def change(d):
        d["doelgroepen_norm"]["kern_soest"]["value"][0]["segmenten"] = ["goedkoop"]
    assert "goedkoop" in str(_bad(change))


def test_unknown_parent_area():
    def change(d):
        d["gebieden"]["value"][1]["ligt_in"] = "provincie"
    assert "provincie" in str(_bad(change))


def test_value_without_source():
    def change(d):
        del d["btw"]["bron"]
    assert "btw" in str(_bad(change))


def test_file_name_must_match_date(tmp_path, monkeypatch):
    folder = _copy_set(tmp_path, "fout")
    (folder / "2023-07-01.yaml").rename(folder / "2024-01-01.yaml")
    monkeypatch.setenv("OPENGREX_PARAMETERS_PATH", str(tmp_path))
    with pytest.raises(InputError) as e:
        load_parameter_set("fout")
    assert e.value.field == "geldig_vanaf"


def test_copy_is_not_mutation():
    ps = load_parameter_set("soest")
    new = ps.model_copy(update={"naam": "scenario"})
    assert ps.naam == "soest" and new.naam == "scenario"
    with pytest.raises(ValidationError):
        ps.naam = "x"  # frozen
