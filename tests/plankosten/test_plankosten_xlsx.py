"""Excel: the template round-trips, import errors name sheet and cell, the export has live formulas, and LibreOffice
recalculates every example's export to the engine's figures (to EUR 0,01; all workbooks in one soffice run)."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from opengrex.errors import InputError
from opengrex.io.xlsx_plankosten import FIRST_ROW, template_fields, write_plankosten_template, write_plankosten_xlsx
from opengrex.services.plankosten import calculate_plankosten, load_plankosten, plankosten_to_dict, product_codes

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "plankosten"
NAMES = ["inbreiding-klein", "uitleg-gemengd", "zonder-tijdvak", "sloop-ophogen-2024-10", "kleine-bouwactiviteit", "inbreiding-klein-2026"]


def _row(key: str) -> int:
    return FIRST_ROW + [".".join(f["path"]) for f in template_fields()].index(key)


def test_template_labels_and_units_come_from_the_model(tmp_path):
    p = write_plankosten_template(tmp_path / "t.xlsx", None, product_codes())
    ws = openpyxl.load_workbook(p)["Plan"]
    r = _row("kostenverhaalsgebied.oppervlakte_ha")
    assert ws[f"A{r}"].value.startswith("Kostenverhaalsgebied · Oppervlakte kostenverhaalsgebied")
    assert ws[f"C{r}"].value == "ha" and ws[f"E{r}"].value == "kostenverhaalsgebied.oppervlakte_ha"
    assert "Producten" in openpyxl.load_workbook(p).sheetnames


@pytest.mark.parametrize("name", NAMES)
def test_template_round_trip(tmp_path, name):
    plan = load_plankosten(EXAMPLES / f"{name}.yaml")
    p = write_plankosten_template(tmp_path / f"{name}.xlsx", plankosten_to_dict(plan))
    again = load_plankosten(p)
    assert plankosten_to_dict(again) == plankosten_to_dict(plan)


@pytest.mark.parametrize("key, value, field, message", [
    ("producten", "1.1a, 9.9", "producten[1]", "onbekend product"),
    ("kostenverhaalsgebied.oppervlakte_ha", -2, "kostenverhaalsgebied.oppervlakte_ha", "waarde te klein"),
    ("herstructurering", "misschien", "herstructurering", "ja/nee"),
    ("peildatum", "2023-06-01", "peildatum", "geen versie"),
])
def test_import_errors_name_sheet_and_cell(tmp_path, key, value, field, message):
    plan = plankosten_to_dict(load_plankosten(EXAMPLES / "inbreiding-klein.yaml"))
    p = write_plankosten_template(tmp_path / "t.xlsx", plan)
    wb = openpyxl.load_workbook(p)
    wb["Plan"][f"B{_row(key)}"] = value
    wb.save(p)
    with pytest.raises(InputError) as exc:
        load_plankosten(p)
    text = str(exc.value)
    assert f"blad Plan, cel B{_row(key)}" in text and field in text and message in text, text


def test_import_of_a_file_that_is_not_a_workbook(tmp_path):
    p = tmp_path / "x.xlsx"
    p.write_text("geen werkboek")
    with pytest.raises(InputError, match="geen leesbaar Excel-bestand"):
        load_plankosten(p)


def test_export_has_live_formulas_and_defined_names(tmp_path):
    res = calculate_plankosten(load_plankosten(EXAMPLES / "uitleg-gemengd.yaml"))
    wb = openpyxl.load_workbook(write_plankosten_xlsx(res, tmp_path / "b.xlsx"))
    be = wb["Berekening"]
    assert be["H2"].value == "=E2*F2*G2" and be["N2"].value == "=K2*(1+L2)*M2"
    assert str(be["L2"].value).startswith("=AVERAGE(Factoren!")
    assert {"Totaal", "VastBedrag", "Product_1_1a", "Product_2_6d"} <= set(wb.defined_names)
    assert str(wb["Samenvatting"][wb.defined_names["Totaal"].attr_text.split("!")[1].replace("$", "")].value).startswith("=SUM(Berekening!")


@pytest.mark.libreoffice
def test_libreoffice_recalculation_equals_engine(tmp_path):
    from opengrex.io.libreoffice import read_names, recalculate

    src = tmp_path / "src"
    src.mkdir()
    results = [calculate_plankosten(load_plankosten(EXAMPLES / f"{n}.yaml")) for n in NAMES]
    paths = [write_plankosten_xlsx(r, src / f"{n}.xlsx") for n, r in zip(NAMES, results)]
    for res, out in zip(results, recalculate(paths, tmp_path / "out")):
        names = ["Totaal"] + [f"Product_{c.replace('.', '_')}" for c in res.plan.producten]
        got = read_names(out, names)
        assert got["Totaal"] == pytest.approx(res.totaal, abs=0.01), res.plan.naam
        per = {p["product"]: p["bedrag"] for p in res.producten()}
        for c in res.plan.producten:
            assert got[f"Product_{c.replace('.', '_')}"] == pytest.approx(per[c], abs=0.01), (res.plan.naam, c)
