"""LibreOffice recalculation (opengrex.io.libreoffice): forced recalculation on load, clear errors, value readers."""
from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from opengrex.errors import InputError, OpengrexError
from opengrex.io.libreoffice import find_soffice, read_names, read_values, recalculate


def _stale_workbook(path: Path, stale: float) -> None:
    """A workbook whose formula A2 = A1 * 3 carries a wrong cached value, as a file last saved elsewhere would."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    ws["A1"] = 2
    ws["A2"] = "=A1*3"
    wb.defined_names["Res"] = DefinedName("Res", attr_text="S!$A$2")
    plain = path.with_name("plain-" + path.name)
    wb.save(plain)
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                assert "<f>A1*3</f><v />" in text  # test fixture precondition
                data = text.replace("<f>A1*3</f><v />", f"<f>A1*3</f><v>{stale}</v>").encode()
            zout.writestr(item, data)


@pytest.mark.libreoffice
def test_recalculate_forces_recalculation_of_stale_cached_values(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    _stale_workbook(src / "stale.xlsx", 999.0)
    # precondition: the input really carries the stale value
    assert read_values(src / "stale.xlsx", "S", ["A2"]) == [999]
    (out,) = recalculate([src / "stale.xlsx"], tmp_path / "out")
    assert out == (tmp_path / "out" / "stale.xlsx").resolve()
    assert read_values(out, "S", ["A1", "A2"]) == [2, 6]
    assert read_names(out, ["Res"]) == {"Res": 6}


def test_missing_soffice_is_a_clear_error_not_a_skip(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("OPENGREX_SOFFICE", raising=False)
    monkeypatch.setattr("opengrex.io.libreoffice.SOFFICE_CANDIDATES", ("soffice",))
    (tmp_path / "a.xlsx").write_bytes(b"x")
    with pytest.raises(OpengrexError, match="LibreOffice \\(soffice\\) is niet gevonden"):
        recalculate([tmp_path / "a.xlsx"], tmp_path / "out")


def test_bad_soffice_override_is_reported(monkeypatch, tmp_path):
    monkeypatch.setenv("OPENGREX_SOFFICE", str(tmp_path / "nope"))
    with pytest.raises(OpengrexError, match="OPENGREX_SOFFICE"):
        find_soffice()


def test_recalculate_refuses_to_overwrite_inputs_and_duplicate_names(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for d in ("a", "b"):
        (tmp_path / d / "x.xlsx").write_bytes(b"x")
    with pytest.raises(InputError, match="overschrijven"):
        recalculate([tmp_path / "a" / "x.xlsx"], tmp_path / "a")
    with pytest.raises(InputError, match="dezelfde naam"):
        recalculate([tmp_path / "a" / "x.xlsx", tmp_path / "b" / "x.xlsx"], tmp_path / "out")
    with pytest.raises(InputError, match="niet gevonden"):
        recalculate([tmp_path / "missing.xlsx"], tmp_path / "out")
    assert recalculate([], tmp_path / "out") == []


def test_read_values_errors(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("geen werkboek")
    with pytest.raises(InputError, match="kan niet worden gelezen"):
        read_values(bad, "S", ["A1"])
    wb = openpyxl.Workbook()
    wb.active.title = "S"
    wb.save(tmp_path / "ok.xlsx")
    with pytest.raises(InputError, match="blad ontbreekt"):
        read_values(tmp_path / "ok.xlsx", "X", ["A1"])
    with pytest.raises(InputError, match="naam niet gevonden"):
        read_names(tmp_path / "ok.xlsx", ["NCW"])
