"""The plan pipeline as a stored document (kind ``plancapaciteit``): registered with its demo, round trips through
YAML and the Excel input workbook, the same figures as the monitor's CSV route (one hand-checked), errors naming the
row and field, the form page with the plans table, and the CLI reading the document."""
from __future__ import annotations

import json
import re

import pytest
import yaml
from tests.ruimte.conftest import ROOT
from tests.web.fixtures_pages import client, page_app  # noqa: F401
from tests.web.form_helpers import FormFields, post_form

from opengrex.errors import InputError
from opengrex.model.monitor import Plancapaciteit
from opengrex.services import monitor as svc
from opengrex.services.documents import demo_files
from opengrex.services.kinds import KINDS, get_kind

DOC = ROOT / "examples" / "monitor" / "plancapaciteit-heuvelrug.yaml"
CSV = ROOT / "examples" / "monitor" / "plancapaciteit-heuvelrug.csv"


def kind():
    return get_kind("plancapaciteit")


def demo_data() -> dict:
    return kind().to_data(kind().load(DOC))


def errors_of(exc: InputError) -> list[InputError]:
    return list(getattr(exc, "errors", [exc]))


def test_registered_with_its_demo():
    k = kind()
    assert "plancapaciteit" in KINDS and k.label == "Plancapaciteit" and k.model is Plancapaciteit and k.listed_under is None
    assert ("plancapaciteit", DOC) in demo_files()
    assert set(k.kengetallen) == {"dekking", "aandeel_betaalbaar", "aandeel_sociale_huur"}
    assert {h.key for h in k.headlines} >= {"woningen", "hard", "aandeel_betaalbaar", "aandeel_sociale_huur", "doel", "tekort"}


def test_demo_round_trips_through_yaml_and_the_input_workbook(tmp_path):
    k = kind()
    model = k.load(DOC)
    data = k.to_data(model)
    assert data["gebied"] == "Utrecht" and data["peildatum"] == "2024-01-01" and len(data["plannen"]) == 14
    assert k.to_data(k.parse(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "doc.yaml")) == data
    assert k.to_data(k.parse(json.dumps(data), "doc.json")) == data
    path = tmp_path / "plancapaciteit.xlsx"
    path.write_bytes(k.exporter("xlsx").render(model, k.herkomst(model, document=7, versie=2)))
    back, herkomst = k.read_workbook(path)
    assert k.to_data(back) == data
    assert herkomst is not None and herkomst.soort == "plancapaciteit" and herkomst.document == 7 and herkomst.versie == 2
    assert k.to_data(svc.load_plancapaciteit(path)) == data  # the stamped workbook also loads as a file
    # the empty template reads back as an (empty) document
    tpl = tmp_path / "sjabloon.xlsx"
    tpl.write_bytes(k.template())
    with pytest.raises(InputError) as info:
        k.read_workbook(tpl)
    assert "naam" in str(info.value)


def test_the_pipeline_csv_and_its_xlsx_become_the_same_plans(tmp_path):
    k = kind()
    from_csv = k.load(CSV)
    assert from_csv.naam == "plancapaciteit-heuvelrug" and from_csv.plannen == k.load(DOC).plannen
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in CSV.read_text(encoding="utf-8").splitlines():
        ws.append([int(v) if v.isdigit() else v for v in row.split(";")])
    old = tmp_path / "pijplijn.xlsx"
    wb.save(old)
    model, herkomst = k.read_workbook(old)  # the monitor's own xlsx (no opengrex sheet) uploads as a new document
    assert herkomst is None and model.plannen == from_csv.plannen


def test_calculate_is_the_monitor_progress_of_the_same_rows():
    k = kind()
    model = k.load(DOC)
    res = k.calculate(model)
    ref = svc.voortgang(CSV, "Utrecht", peildatum="2024-01-01")
    assert k.summary(res) == json.loads(json.dumps(ref.summary()))
    h = k.headline(res)
    # by hand from the CSV: 14 rows, 1.710 homes; hard 180+120+90+60+70+160 = 680;
    # betaalbaar sociale huur 180+150+70+75 + middenhuur 260+110 + betaalbare koop 90+85+160 = 1.180
    assert h["woningen"] == 1710 and h["hard"] == 680
    assert h["aandeel_betaalbaar"] == pytest.approx(1180 / 1710) and h["aandeel_sociale_huur"] == pytest.approx(475 / 1710)
    # target of the province of Utrecht 83.500 to 2030; plans ready by 2030: everything but Bunnik Noord's 90 in 2031
    assert h["doel"] == 83_500 and h["tekort"] == 83_500 - (1710 - 90)
    assert res.dekking()["alles"] == pytest.approx(1620 / 83_500)
    e = k.explain(res, "aandeel_betaalbaar")
    assert e.waarde == pytest.approx(1180 / 1710)


def test_area_without_target_has_no_target_figures():
    k = kind()
    data = {**demo_data(), "gebied": "regio:Heuvelrug Kromme Rijnstreek"}
    res = k.calculate(k.validate(data))
    h = k.headline(res)
    assert "doel" not in h and "tekort" not in h and h["woningen"] == 1710
    with pytest.raises(InputError) as info:
        k.explain(res, "dekking")
    assert info.value.field == "kengetal"


def test_bad_rows_name_the_row_and_field():
    k = kind()
    data = demo_data()
    data["plannen"][1]["woningen"] = -5
    data["plannen"][3]["gemeente"] = "Atlantis"
    with pytest.raises(InputError) as info:
        k.validate(data, "formulier")
    fields = {e.field for e in errors_of(info.value)}
    assert "plannen[1].woningen" in fields
    data["plannen"][1]["woningen"] = 5
    with pytest.raises(InputError) as info:
        k.validate(data, "formulier")
    (err,) = errors_of(info.value)
    assert err.field == "plannen[3].gemeente" and err.value == "Atlantis" and "onbekende gemeente" in str(err)
    data["plannen"][3]["gemeente"] = "Zeist"
    data["plannen"][2]["hardheid"] = "misschien"
    data["gebied"] = "Mordor"
    with pytest.raises(InputError) as info:
        k.validate(data, "formulier")
    assert {e.field for e in errors_of(info.value)} == {"plannen[2].hardheid"}  # types first, then the area checks
    data["plannen"][2]["hardheid"] = "zacht"
    with pytest.raises(InputError) as info:
        k.validate(data, "formulier")
    assert info.value.field == "gebied" and "Utrecht" in info.value.allowed
    # in YAML the error names the line of the row
    text = DOC.read_text(encoding="utf-8").replace("woningen: 260", "woningen: -260")
    with pytest.raises(InputError) as info:
        k.parse(text, "plancapaciteit.yaml")
    assert info.value.field == "plannen[2].woningen" and "plancapaciteit.yaml, regel 14" in str(info.value)


def test_municipality_names_come_back_as_the_area_list_spells_them():
    k = kind()
    data = demo_data()
    data["plannen"][0]["gemeente"] = "  zeist "
    model = k.validate(data)
    assert model.plannen[0].gemeente == "Zeist" and k.to_data(model) == demo_data()


def test_new_form_has_the_plans_table_and_saves_a_document(client, page_app):  # noqa: F811
    r = client.get("/plancapaciteit/nieuw")
    assert r.status_code == 200
    html = r.text
    assert 'action="/plancapaciteit/nieuw"' in html and 'data-lijst="plannen"' in html and 'data-nieuw="plannen"' in html  # the table, rows added in the page
    for kolom in ("gemeente", "plan", "woningen", "hardheid", "jaar_gereed", "segment"):
        assert f'data-kolom="{kolom}"' in html, kolom
    for label in ("Plannen", "Gemeente", "Woningen", "Hardheid", "Verwacht jaar gereed", "Segment", "Gebied", "Peildatum"):
        assert label in html, label
    form = FormFields("plancapaciteit", demo_data())
    assert form.name("plannen", 0, "woningen") and len(form.rows("plannen")) == 14
    form.set(("naam",), "Pijplijn uit het formulier")
    r = post_form(client, "/plancapaciteit/nieuw", form + [("comment", "nieuw")], follow_redirects=False)
    assert r.status_code == 303, r.text[:2000]
    page = client.get(r.headers["location"])
    assert page.status_code == 200 and "Pijplijn uit het formulier" in page.text
    api = client.get("/api/plancapaciteit").json()
    assert [d["name"] for d in api] == ["Pijplijn uit het formulier"]
    # a negative number of homes in the form: the page says which row and field
    bad = FormFields("plancapaciteit", demo_data())
    bad.set(("plannen", 1, "woningen"), "-3")
    r = post_form(client, "/plancapaciteit/nieuw", bad + [("comment", "fout")], follow_redirects=False)
    assert r.status_code == 422
    m = re.search(r'<script type="application/json" id="veldfouten">(.*?)</script>', r.text, re.S)
    fouten = json.loads(m.group(1))
    assert [v for k, v in fouten.items() if k.startswith("plannen.") and k.endswith(".woningen")] == ["waarde te klein"], fouten


def test_monitor_page_links_to_the_documents(client):  # noqa: F811
    html = client.get("/monitor").text
    assert 'href="/plancapaciteit/nieuw"' in html


def test_cli_reads_the_document(capsys, monkeypatch):
    from opengrex.cli import main

    monkeypatch.chdir(ROOT)
    code = main(["monitor", "voortgang", str(DOC), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["gebied"] == "Utrecht" and out["aantal_plannen"] == 14 and out["peildatum"] == "2024-01-01"
    code = main(["monitor", "voortgang", str(DOC), "--gebied", "Zeist", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["gebied"] == "Zeist" and out["aantal_plannen"] == 4
