"""Excel template, import and round trip (opengrex.io.xlsx_template: the input sheets of the grex download, laid out
from the model by opengrex.io.xlsx_invoer); errors name file, sheet and cell."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from opengrex.codes import kostensoorten
from opengrex.errors import InputError
from opengrex.io.xlsx_template import grex_to_template, import_grex_xlsx, write_grex_template
from opengrex.model.grex import OPBRENGSTSOORTEN, Grex
from opengrex.services.grex import load_grex
from opengrex.testing import random_grex

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo-grex.yaml"


@pytest.fixture()
def demo_book(tmp_path):
    """The demo written into the template; returns its path."""
    p = tmp_path / "demo.xlsx"
    grex_to_template(load_grex(DEMO), p)
    return p


def _edit(path: Path, sheet: str, cell: str, value) -> None:
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)


def _error(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        import_grex_xlsx(path)
    return info.value


def _range_values(wb, name):
    (sheet, ref), = list(wb.defined_names[name].destinations)
    return [c.value for row in wb[sheet][ref.replace("$", "")] for c in row]


# ------------------------------------------------------------------------------------------------ template
def test_template_has_sheets_lists_and_documentation(tmp_path):
    p = tmp_path / "t.xlsx"
    write_grex_template(p)
    wb = openpyxl.load_workbook(p)
    assert wb.sheetnames == ["Toelichting", "Algemeen", "Indexreeksen", "Kosten", "Opbrengsten", "Lijsten", "opengrex"]
    assert wb["Lijsten"].sheet_state == "hidden" and wb["opengrex"].sheet_state == "hidden"
    assert _range_values(wb, "LijstKostensoort") == [k.code for k in kostensoorten()]
    assert _range_values(wb, "LijstOpbrengstsoort") == list(OPBRENGSTSOORTEN)

    def validations(ws):
        return {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}

    assert validations(wb["Kosten"])["B3:B203"] == "=LijstKostensoort"
    assert validations(wb["Opbrengsten"])["B3:B203"] == "=LijstOpbrengstsoort"
    assert validations(wb["Algemeen"])["B8"] == '"end,mid,start"'  # timing: the model's Literal
    # labels from the model; year columns 2020-2060, twice (fasering, gerealiseerd), then the (confidential) note
    head = [c.value for c in wb["Kosten"][2]]
    assert head[:4] == ["Naam", "Kostensoort", "Bedrag (€ prijspeil)", "Indexreeks"]
    assert head[4:45] == list(range(2020, 2061)) and head[45:86] == list(range(2020, 2061))
    assert head[86] == "Notitie"
    assert [wb["Kosten"].cell(row=1, column=c).value for c in (5, 46)] == ["Fasering", "Gerealiseerd"]
    assert [wb["Algemeen"].cell(row=r, column=5).value for r in range(3, 6)] == ["naam", "omschrijving", "prijspeil"]  # Sleutel: Dutch keys
    text = "\n".join(str(c.value) for c in wb["Toelichting"]["A"] if c.value)
    for name, f in Grex.model_fields.items():
        if getattr(f, "exclude_if", None) is None:  # scenarios get their sheets once a grex has them
            assert str(f.title) in text, name
    for word in ("Kostensoort", "Opbrengstsoort", "Bedrag", "Indexreeks", "Fasering", "Gerealiseerd", "Notitie", "Rente"):
        assert word in text


def test_empty_template_imports_with_errors_for_required_fields(tmp_path):
    p = tmp_path / "t.xlsx"
    write_grex_template(p)
    err = _error(p)
    text = str(err)
    assert "t.xlsx, blad Algemeen, cel B3: veld 'naam': verplicht veld ontbreekt" in text
    assert "blad Algemeen, cel B5" in text  # prijspeil


@pytest.mark.libreoffice
def test_template_opens_in_libreoffice_with_its_lists(tmp_path):
    from opengrex.io.libreoffice import recalculate

    src = tmp_path / "src"
    src.mkdir()
    write_grex_template(src / "leeg.xlsx")
    grex_to_template(load_grex(DEMO), src / "demo.xlsx")
    leeg, demo = recalculate([src / "leeg.xlsx", src / "demo.xlsx"], tmp_path / "out")
    wb = openpyxl.load_workbook(leeg)
    assert {"Algemeen", "Indexreeksen", "Kosten", "Opbrengsten", "Lijsten"} <= set(wb.sheetnames)
    assert any(dv.type == "list" for dv in wb["Kosten"].data_validations.dataValidation)
    # a file saved by LibreOffice still imports to the same grex
    assert import_grex_xlsx(demo) == load_grex(DEMO)


# ------------------------------------------------------------------------------------------------ round trip
def test_round_trip_demo(demo_book):
    assert import_grex_xlsx(demo_book) == load_grex(DEMO)


@pytest.mark.parametrize("seed", range(10))
def test_round_trip_random(tmp_path, seed):
    g = random_grex(np.random.default_rng(seed), n_lines=8, n_years=int(np.random.default_rng(seed).integers(1, 15)))
    p = tmp_path / "r.xlsx"
    grex_to_template(g, p)
    assert import_grex_xlsx(p) == g


def test_round_trip_keeps_notes_and_optional_fields(tmp_path):
    g = load_grex(DEMO)
    k0 = g.kosten[0].model_copy(update={"note": "taxatie 2024", "realised": {2025: 123456.78}})
    g = g.model_copy(update={"kosten": [k0, *g.kosten[1:]], "ncw_datum": None, "realised_through": 2025, "rente": {2025: 0.02, 2030: 0.03}})
    p = tmp_path / "x.xlsx"
    grex_to_template(g, p)
    back = import_grex_xlsx(p)
    assert back == g
    assert back.kosten[0].note == "taxatie 2024" and back.ncw_datum is None and back.rente == {2025: 0.02, 2030: 0.03}


def test_text_cells_typed_the_dutch_way_are_read(demo_book):
    wb = openpyxl.load_workbook(demo_book)
    wb["Kosten"]["C3"] = "€ 9.500.000,00"
    wb["Algemeen"]["B5"] = "01-01-2025"
    wb["Indexreeksen"]["B5"] = "1,5%"  # opbrengsten_woningbouw (row 5: second series)
    wb.save(demo_book)
    g = import_grex_xlsx(demo_book)
    assert g.kosten[0].amount == 9_500_000.0
    assert g.prijspeil == dt.date(2025, 1, 1)
    assert g.indices["opbrengsten_woningbouw"] == pytest.approx(0.015)


# ------------------------------------------------------------------------------------------------ errors
def test_unknown_kostensoort_names_sheet_and_cell(demo_book):
    _edit(demo_book, "Kosten", "B4", "Z99")
    err = _error(demo_book)
    assert err.location == "demo.xlsx, blad Kosten, cel B4"
    assert err.field == "kosten[1].kostensoort" and err.value == "Z99"
    assert "A1" in err.allowed and "onbekende kostensoort" in err.message


def test_unknown_opbrengstsoort_and_index(demo_book):
    _edit(demo_book, "Opbrengsten", "B3", "verkoop")
    _edit(demo_book, "Opbrengsten", "D5", "onbekend")
    errs = _error(demo_book).errors
    where = {e.field: e.location for e in errs}
    assert where["opbrengsten[0].opbrengstsoort"] == "demo.xlsx, blad Opbrengsten, cel B3"
    assert where["opbrengsten[2].indexreeks"] == "demo.xlsx, blad Opbrengsten, cel D5"


def test_phasing_not_summing_names_the_row_cells(demo_book):
    wb = openpyxl.load_workbook(demo_book)
    head = [c.value for c in wb["Kosten"][2]]
    c2026 = openpyxl.utils.get_column_letter(head.index(2026) + 1)
    wb["Kosten"][f"{c2026}3"] = 0.5  # 0.6 + 0.5 = 1.1
    wb.save(demo_book)
    err = _error(demo_book)
    first = openpyxl.utils.get_column_letter(head.index(2025) + 1)
    last = openpyxl.utils.get_column_letter(head.index(2036) + 1)
    assert err.location == f"demo.xlsx, blad Kosten, cellen {first}3:{last}3"
    assert err.field == "kosten[0].fasering" and "1,1" in err.message


def test_phasing_year_outside_grid_names_the_cell(demo_book):
    wb = openpyxl.load_workbook(demo_book)
    ws = wb["Kosten"]
    head = [c.value for c in ws[2]]
    ws.insert_cols(5)  # a new year column at the front of the fasering block
    ws["E2"] = 2024
    ws["E1"], ws["F1"] = ws["F1"].value, None  # keep the block label on the block's first column
    ws["E3"] = 0.0
    wb.save(demo_book)
    err = _error(demo_book)
    assert err.location == "demo.xlsx, blad Kosten, cel E3" and err.field == "kosten[0].fasering[2024]"
    del head


def test_non_numeric_amount_names_the_cell(demo_book):
    _edit(demo_book, "Kosten", "C5", "veel")
    err = _error(demo_book)
    assert err.location == "demo.xlsx, blad Kosten, cel C5"
    assert err.field == "kosten[2].bedrag" and err.value == "veel" and "geen getal" in err.message


def test_negative_amount_and_bad_year_header(demo_book):
    _edit(demo_book, "Kosten", "C3", -5)
    _edit(demo_book, "Indexreeksen", "C2", "jaar?")
    errs = _error(demo_book).errors
    assert any(e.location == "demo.xlsx, blad Indexreeksen, cel C2" for e in errs)
    assert not any("Kosten" in (e.location or "") for e in errs)  # reading errors come first, the model checks later
    _edit(demo_book, "Indexreeksen", "C2", 2024)
    err = _error(demo_book)
    assert err.location == "demo.xlsx, blad Kosten, cel C3" and err.field == "kosten[0].bedrag"


def test_missing_sheet(demo_book):
    wb = openpyxl.load_workbook(demo_book)
    del wb["Opbrengsten"]
    wb.save(demo_book)
    err = _error(demo_book)
    assert "blad 'Opbrengsten' ontbreekt" in err.message and err.location == "demo.xlsx"


def test_missing_column(demo_book):
    _edit(demo_book, "Kosten", "C2", "prijs")
    err = _error(demo_book)
    assert err.location == "demo.xlsx, blad Kosten" and "bedrag" in err.message


def test_not_an_xlsx_file(tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("dit is geen werkboek")
    err = _error(fake)
    assert "geen leesbaar Excel-werkboek" in err.message and err.location == str(fake)
    other = tmp_path / "grex.csv"
    other.write_text("a,b")
    assert "onbekend bestandstype" in _error(other).message
    assert "niet gevonden" in _error(tmp_path / "weg.xlsx").message


def test_formula_without_cached_value_is_reported(demo_book):
    _edit(demo_book, "Kosten", "C3", "=1000*2")
    err = _error(demo_book)
    assert err.location == "demo.xlsx, blad Kosten, cel C3" and "formule zonder berekende waarde" in err.message


def test_fixed_and_yearly_rate_both_given(demo_book):
    _edit(demo_book, "Indexreeksen", "B4", 0.03)  # kostenstijging has per-year rates too
    err = _error(demo_book)
    assert err.location == "demo.xlsx, blad Indexreeksen, cel B4" and "zowel" in err.message


def test_round_trip_text_starting_with_equals(tmp_path):
    g = load_grex(DEMO)
    k0 = g.kosten[0].model_copy(update={"name": "=fase 1", "note": "=let op"})
    g = g.model_copy(update={"kosten": [k0, *g.kosten[1:]]})
    p = tmp_path / "x.xlsx"
    grex_to_template(g, p)
    assert import_grex_xlsx(p) == g
