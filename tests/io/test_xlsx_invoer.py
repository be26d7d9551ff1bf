"""The input sheets laid out from the model and the one importer (opengrex.io.xlsx_invoer), for every registered kind:
every demo document round-trips exactly through its own Excel download; the template of every kind reads back with
errors naming sheet and cell; a workbook of another kind, a newer layout or with a sheet removed is refused clearly;
the grex template of the first version is read as it was meant."""
from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from opengrex.errors import InputError
from opengrex.io.xlsx_invoer import (
    LAYOUT_VERSION,
    META_SHEET,
    build_layout,
    parse_key,
    read_herkomst,
)
from opengrex.model.diff import diff
from opengrex.model.fields import field_meta
from opengrex.model.grex import Grex
from opengrex.services.documents import demo_files
from opengrex.services.kinds import get_kind, kinds

DATA = Path(__file__).resolve().parent / "data"
DEMO_FILES = demo_files()


def _ids() -> list[str]:
    return [f"{kind}-{path.stem}" for kind, path in DEMO_FILES]


def _write(tmp_path: Path, content: bytes, name: str = "x.xlsx") -> Path:
    p = tmp_path / name
    p.write_bytes(content)
    return p


@pytest.mark.parametrize(("kind", "path"), DEMO_FILES, ids=_ids())
def test_every_demo_document_round_trips_exactly_through_its_download(tmp_path, kind, path):
    k = get_kind(kind)
    model = k.load(path)
    content = k.exporter("xlsx").render(model, k.herkomst(model, document=7, versie=3))
    back, herkomst = k.read_workbook(_write(tmp_path, content))
    assert diff(k.to_data(model), k.to_data(back)) == []
    assert (herkomst.soort, herkomst.document, herkomst.versie, herkomst.sjabloon) == (kind, 7, 3, LAYOUT_VERSION)
    wb = openpyxl.load_workbook(io.BytesIO(content))
    assert wb[META_SHEET].sheet_state == "hidden" and "Algemeen" in wb.sheetnames


def test_every_registered_kind_has_a_download_and_a_template_that_reads_back(tmp_path):
    for k in kinds():
        assert k.has_exporter("xlsx"), k.name
        p = _write(tmp_path, k.template(), f"{k.name}.xlsx")
        assert read_herkomst(p).soort == k.name
        with pytest.raises(InputError) as info:  # empty: the required fields are named with their cell
            k.read_workbook(p)
        text = str(info.value)
        assert "blad Algemeen, cel B" in text and "verplicht veld ontbreekt" in text, (k.name, text)


def test_labels_units_and_keys_come_from_the_model():
    k = get_kind("bijdrage")
    lay = build_layout(k.model, k.to_data(k.load(dict(DEMO_FILES)["bijdrage"])))
    inv = next(t for t in lay.tables if t.pattern == ("investeringen", "*"))
    model = inv.models[0]
    assert [c.label for c in inv.columns] == [str(f.title) for n, f in model.model_fields.items() if n in [c.rel[0] for c in inv.columns]]
    assert next(c for c in inv.columns if c.rel == ("bruto",)).header == "Bruto investering (€)"
    plan = next(t for t in lay.tables if t.pattern == ("plannen", "*"))
    assert plan.blocks[0].label == "Woningen per segment" and plan.blocks[0].keys[:3] == ["sociaal", "midden", "duur"]
    fields = {f.path: f for f in lay.fields}
    assert fields[("peildatum",)].label == "Peildatum" and fields[("illustratief",)].choices == ["ja", "nee"] or fields[("illustratief",)].ann is bool
    meta = field_meta(Grex, ("kosten", 0, "bedrag"), {"kosten": [{"naam": "Sloop"}]})
    assert (meta.labels, meta.eenheid) == (("Kosten", "Sloop", "Bedrag"), "EUR prijspeil")
    assert parse_key("programma.woningen[sociaal]") == ("programma", "woningen", "sociaal")
    assert parse_key("kosten[2].fasering[2027]") == ("kosten", 2, "fasering", 2027)


def test_a_workbook_of_another_kind_is_refused_with_what_it_is(tmp_path):
    g, kv = get_kind("grex"), get_kind("kostenverhaal")
    model = g.load(dict(DEMO_FILES)["grex"])
    p = _write(tmp_path, g.exporter("xlsx").render(model, g.herkomst(model, document=1, versie=2)))
    with pytest.raises(InputError) as info:
        kv.read_workbook(p)
    assert "dit werkboek is een grex, geen kostenverhaal" in info.value.message and "grex 1 (De Hoge Akker (demo)), versie 2" in str(info.value)


def test_a_newer_layout_and_a_removed_sheet_are_refused(tmp_path):
    g = get_kind("grex")
    model = g.load(dict(DEMO_FILES)["grex"])
    p = _write(tmp_path, g.exporter("xlsx").render(model, g.herkomst(model, document=1, versie=1)))
    wb = openpyxl.load_workbook(p)
    meta = wb[META_SHEET]
    row = next(r for r in range(1, meta.max_row + 1) if meta.cell(row=r, column=1).value == "sjabloon")
    meta.cell(row=row, column=2).value = LAYOUT_VERSION + 1
    wb.save(p)
    with pytest.raises(InputError, match="nieuwere versie van opengrex"):
        g.read_workbook(p)
    wb = openpyxl.load_workbook(p)
    wb[META_SHEET].cell(row=row, column=2).value = LAYOUT_VERSION
    del wb["Opbrengsten"]
    wb.save(p)
    with pytest.raises(InputError) as info:
        g.read_workbook(p)
    assert "blad 'Opbrengsten' ontbreekt" in info.value.message


def test_the_grex_template_of_the_first_version_is_read_as_it_was_meant(tmp_path):
    """Sheet 'Indices' with the rente on row 3, lower-case keys as headers ('index', 'toelichting'), no provenance."""
    g = get_kind("grex")
    p = DATA / "grex-sjabloon-versie-1.xlsx"
    assert read_herkomst(p) is None
    assert openpyxl.load_workbook(p).sheetnames == ["Toelichting", "Algemeen", "Indices", "Kosten", "Opbrengsten", "Lijsten"]
    model, herkomst = g.read_workbook(p)
    assert herkomst is None
    demo = g.load(dict(DEMO_FILES)["grex"])
    expected = demo.model_copy(update={"kosten": [demo.kosten[0].model_copy(update={"note": "taxatie 2024", "realised": {2025: 123456.78}}), *demo.kosten[1:]],
                                       "realised_through": 2025})
    assert diff(g.to_data(expected), g.to_data(model)) == []


def test_errors_name_sheet_cell_field_and_allowed_values_for_lines_of_lines(tmp_path):
    """A programme's project lines sit on their own sheet and name their project (column 'Projecten', the list's
    label): an unknown project and a wrong value are reported with sheet and cell."""
    k = get_kind("programma")
    path = next(p for kind, p in DEMO_FILES if kind == "programma")
    model = k.load(path)
    p = _write(tmp_path, k.exporter("xlsx").render(model, k.herkomst(model, document=1, versie=1)))
    wb = openpyxl.load_workbook(p)
    ws = wb["Projecten grex kosten"]
    assert ws.cell(row=2, column=1).value == "Projecten"
    ws.cell(row=3, column=1).value = "Bestaat niet"
    amount_col = next(c for c in range(1, ws.max_column + 1) if str(ws.cell(row=2, column=c).value).startswith("Bedrag"))
    ws.cell(row=4, column=amount_col).value = "veel"
    wb.save(p)
    with pytest.raises(InputError) as info:
        k.read_workbook(p)
    errs = {e.location: e for e in info.value.errors}
    assert "onbekende regel in kolom 'Projecten'" in errs["x.xlsx, blad Projecten grex kosten, cel A3"].message
    assert errs["x.xlsx, blad Projecten grex kosten, cel A3"].value == "Bestaat niet"
    bad = errs[f"x.xlsx, blad Projecten grex kosten, cel {openpyxl.utils.get_column_letter(amount_col)}4"]
    assert bad.message == "geen getal" and bad.value == "veel" and "getal" in bad.allowed


def test_model_errors_point_at_the_cell_the_value_came_from(tmp_path):
    k = get_kind("kostenverhaal")
    path = next(p for kind, p in DEMO_FILES if p.stem == "voorbeeld-1")
    model = k.load(path)
    p = _write(tmp_path, k.exporter("xlsx").render(model, k.herkomst(model, document=1, versie=1)))
    wb = openpyxl.load_workbook(p)
    ws = wb["Initiatiefnemer kosten"]
    ws["A3"] = "Q9"  # kostensoort
    wb.save(p)
    with pytest.raises(InputError) as info:
        k.read_workbook(p)
    e = info.value.errors[0] if hasattr(info.value, "errors") else info.value
    assert e.location == "x.xlsx, blad Initiatiefnemer kosten, cel A3" and e.value == "Q9"


def test_a_grex_with_scenarios_round_trips_its_tagged_changes(tmp_path):
    """Scenario changes of several kinds in one sheet: the kind column ('Soort wijziging') decides which columns belong
    to a row; a value in a column of another kind is an error naming the cell."""
    from opengrex.services.grex import grex_from_dict

    g = get_kind("grex")
    data = g.to_data(g.load(dict(DEMO_FILES)["grex"]))
    data["scenarios"] = [
        {"naam": "A", "wijzigingen": [{"type": "rente", "delta": 0.01}, {"type": "verschuif", "jaren": 1, "sectie": "opbrengsten"},
                                      {"type": "kosten", "procent": 10, "regels": ["Bodemsanering"]}]},
        {"naam": "B", "omschrijving": "index hoger", "wijzigingen": [{"type": "index", "reeks": "kostenstijging", "waarde": 0.04, "vanaf": 2028},
                                                                     {"type": "vertraging", "jaren": 2}]},
    ]
    model = grex_from_dict(data)
    p = _write(tmp_path, g.exporter("xlsx").render(model, g.herkomst(model, document=1, versie=1)))
    back, _ = g.read_workbook(p)
    assert diff(g.to_data(model), g.to_data(back)) == []
    wb = openpyxl.load_workbook(p)
    ws = wb["Scenario's wijzigingen"]
    jaren = next(c for c in range(1, ws.max_column + 1) if ws.cell(row=2, column=c).value == "Jaren")
    ws.cell(row=3, column=jaren).value = 3  # row 3: the rente change has no 'jaren'
    wb.save(p)
    with pytest.raises(InputError) as info:
        g.read_workbook(p)
    e = info.value.errors[0]
    assert e.location == f"x.xlsx, blad Scenario's wijzigingen, cel {openpyxl.utils.get_column_letter(jaren)}3" and "hoort niet bij deze soort" in e.message
    assert "Scenario's" not in openpyxl.load_workbook(io.BytesIO(g.template())).sheetnames  # no sheets until a grex has scenarios
