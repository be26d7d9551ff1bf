"""The Excel round trip of every kind (issue 11, item 3): the workbook downloaded from a document page is changed with
openpyxl (a name, an amount, a value per year) and uploaded back; the preview shows what changes, nothing is saved
until confirmed, and the new version holds exactly those changes. The downloaded workbooks recalculated by
LibreOffice equal the engine to €0,01. A workbook of another document is refused; one of an older version conflicts
unless the changes since are accepted knowingly."""
from __future__ import annotations

import copy
import io
import re

import openpyxl
import pytest
from tests.web.fixtures_pages import *  # noqa: F401,F403
from tests.web.test_pages_extra import confirm

from opengrex.model.diff import diff
from opengrex.services.kinds import get_kind


def _doc(client, kind: str, name_part: str = "") -> dict:
    return next(d for d in client.get(f"/api/{kind}").json() if name_part in d["name"])


def _data(client, kind: str, doc_id: int, version: int) -> dict:
    return client.get(f"/api/{kind}/{doc_id}/versions/{version}").json()["data"]


def _column(ws, header_start: str, row: int = 2) -> int:
    return next(c for c in range(1, ws.max_column + 1) if str(ws.cell(row=row, column=c).value or "").startswith(header_start))


def _year_column(ws, block: str, year: int) -> int:
    start = _column(ws, block, row=1)
    return next(c for c in range(start, ws.max_column + 1) if ws.cell(row=2, column=c).value == year)


def _set(data: dict, path: tuple, value) -> None:
    node = data
    for p in path[:-1]:
        node = node.setdefault(p, {}) if isinstance(node, dict) else node[p]
    node[path[-1]] = value


# per kind: (name part of a demo document, [(sheet, locate(ws, data) -> (row, col), document path, new value)])
def _name(ws, data):
    return next(r for r in range(3, ws.max_row + 1) if ws.cell(row=r, column=5).value == "naam"), 2


CASES = {
    "grex": ("", [
        ("Algemeen", _name, ("naam",), "De Hoge Akker (herzien)"),
        ("Kosten", lambda ws, d: (3, _column(ws, "Bedrag")), ("kosten", 0, "bedrag"), 9_750_000.0),
        ("Kosten", lambda ws, d: (4, _year_column(ws, "Gerealiseerd", 2025)), ("kosten", 1, "gerealiseerd", "2025"), 123_456.0),
    ]),
    "kostenverhaal": ("Hoge Akker", [  # the case with an embedded grex: its lines have values per year
        ("Algemeen", _name, ("naam",), "De Hoge Akker: kostenverhaal (herzien)"),
        ("Bovenwijkse voorzieningen", lambda ws, d: (3, _column(ws, "Investering")), ("bovenwijkse_voorzieningen", 0, "bedrag"), 1_234_567.0),
        ("Initiatiefnemer grex kosten", lambda ws, d: (3, _year_column(ws, "Gerealiseerd", 2025)),
         ("initiatiefnemer", "grex", "inline", "kosten", 0, "gerealiseerd", "2025"), 5_000_000.0),
    ]),
    "bijdrage": ("", [
        ("Algemeen", _name, ("naam",), "Financiële bijdrage (herzien)"),
        ("Investeringen", lambda ws, d: (3, _column(ws, "Bruto investering")), ("investeringen", 0, "bruto"), 2_000_000.0),
        ("Plannen", lambda ws, d: (3, _column(ws, "duur")), ("plannen", 0, "woningen", "duur"), 77.0),
    ]),
    "eindafrekening": ("", [
        ("Algemeen", _name, ("naam",), "Eindafrekening (herzien)"),
        ("Herberekende kosten", lambda ws, d: (3, _column(ws, "Bedrag")), ("kosten", 0, "bedrag"), 654_321.0),
    ]),
    "programma": ("2013", [
        ("Algemeen", _name, ("naam",), "Hart van de Heuvelrug – Mastergrex 2013 (herzien)"),
        ("Projecten grex kosten", lambda ws, d: (3, _column(ws, "Bedrag")), ("projecten", 0, "grex", "kosten", 0, "bedrag"), None),
        ("Projecten grex kosten", lambda ws, d: (3, _year_column(ws, "Gerealiseerd", d["projecten"][0]["grex"]["startjaar"])),
         ("projecten", 0, "grex", "kosten", 0, "gerealiseerd", "START"), 250_000.0),
    ]),
}


def _with_embedded_grex_case(client) -> None:
    """The demo case whose initiatiefnemer's amounts come from a grex, stored with that grex embedded (the web does not
    follow file references, so the demo loader skips it)."""
    from tests.web.fixtures_pages import ROOT

    k = get_kind("kostenverhaal")
    data = k.to_data(k.load(ROOT / "examples" / "kostenverhaal" / "met-grex.yaml"))
    assert client.post("/api/kostenverhaal", json={"data": data}).status_code == 201


@pytest.mark.parametrize("kind", list(CASES))
def test_download_change_cells_upload_gives_exactly_that_new_version(demo_client, kind):
    part, changes = CASES[kind]
    if kind == "kostenverhaal":
        _with_embedded_grex_case(demo_client)
    doc = _doc(demo_client, kind, part)
    doc_id = doc["id"]
    before = _data(demo_client, kind, doc_id, 1)
    content = demo_client.get(f"/{kind}/{doc_id}/download.xlsx").content
    wb = openpyxl.load_workbook(io.BytesIO(content))
    expected = copy.deepcopy(before)
    for sheet, locate, path, value in changes:
        ws = wb[sheet]
        row, col = locate(ws, before)
        if value is None:  # an amount: 10 % more, keeping a phasing given in amounts consistent is the model's job
            value = round(float(ws.cell(row=row, column=col).value) * 1.1, 2)
        path = tuple(str(before["projecten"][0]["grex"]["startjaar"]) if p == "START" else p for p in path)
        ws.cell(row=row, column=col).value = value
        _set(expected, path, value)
    buf = io.BytesIO()
    wb.save(buf)
    preview = demo_client.post(f"/{kind}/{doc_id}/nieuwe-versie", data={"base_version": "1", "comment": "via Excel"},
                               files={"bestand": (f"{kind}.xlsx", buf.getvalue())})
    assert preview.status_code == 200, preview.text[:3000]
    assert len(demo_client.get(f"/api/{kind}/{doc_id}/versions").json()) == 1  # nothing saved before confirming
    assert "naam" in preview.text and "(herzien)" in preview.text
    r = confirm(demo_client, f"/{kind}/{doc_id}", preview)
    assert r.status_code == 303 and r.headers["location"] == f"/{kind}/{doc_id}/versies?nieuw=2"
    after = _data(demo_client, kind, doc_id, 2)
    k = get_kind(kind)
    assert diff(k.to_data(k.validate(expected, "verwacht")), after) == []  # exactly the changed cells
    assert len(diff(before, after)) >= len(changes) and all(c["soort"] in ("gewijzigd", "toegevoegd") for c in diff(before, after))


def test_api_preview_shows_the_changes_in_dutch_without_saving(demo_client):
    doc = _doc(demo_client, "grex")
    wb = openpyxl.load_workbook(io.BytesIO(demo_client.get(f"/api/grex/{doc['id']}/export.xlsx").content))
    ws = wb["Kosten"]
    ws.cell(row=3, column=_column(ws, "Bedrag")).value = 11_000_000
    algemeen = wb["Algemeen"]
    row = next(r for r in range(3, algemeen.max_row + 1) if algemeen.cell(row=r, column=5).value == "disconteringsvoet")
    algemeen.cell(row=row, column=2).value = 0.03
    buf = io.BytesIO()
    wb.save(buf)
    r = demo_client.post(f"/api/grex/{doc['id']}/upload?voorbeeld=1", files={"file": ("grex.xlsx", buf.getvalue())})
    assert r.status_code == 200, r.text
    p = r.json()
    assert p["versie"] == 1 and p["herkomst"]["document"] == doc["id"] and p["herkomst"]["versie"] == 1 and "gegevens" not in p
    cmp = p["vergelijking"]
    fields = {c["veld"]: (c["oud_tekst"], c["nieuw_tekst"]) for c in cmp["velden"]}
    assert fields["Disconteringsvoet"] == ("2,00%", "3,00%")
    line = cmp["regels"][0]
    assert line["groep"] == "Kosten" and line["naam"] == "Verwerving gronden"
    assert [(c["veld"], c["oud_tekst"], c["nieuw_tekst"]) for c in line["velden"]] == [("Kosten › Verwerving gronden › Bedrag", "€ 9.500.000", "€ 11.000.000")]
    ncw = next(h for h in cmp["kerncijfers"] if h["key"] == "ncw")
    parts = cmp["oorzaken"]["kengetallen"]["ncw"]["per_oorzaak"]
    assert sum(x["bedrag"] for x in parts) == pytest.approx(ncw["verschil"], abs=1e-6)
    assert {x["oorzaak"]: x["bedrag"] for x in parts}["opbrengsten"] == 0.0
    assert cmp["jaren"]["titel"] == "Kasstroom per post per jaar" and cmp["jaren"]["gewijzigd"] == 1
    assert len(demo_client.get(f"/api/grex/{doc['id']}/versions").json()) == 1  # nothing saved


def test_workbook_of_another_document_is_refused_and_an_old_one_conflicts(demo_client):
    ids = [d["id"] for d in demo_client.get("/api/kostenverhaal").json()]
    a, b = ids[0], ids[1]
    book = demo_client.get(f"/api/kostenverhaal/{a}/export.xlsx").content
    r = demo_client.post(f"/api/kostenverhaal/{b}/upload", files={"file": ("a.xlsx", book)})
    assert r.status_code == 422
    assert f"dit werkboek is een download van kostenverhaal {a}" in r.json()["detail"]["message"]
    page = demo_client.post(f"/kostenverhaal/{b}/nieuwe-versie", files={"bestand": ("a.xlsx", book)})
    assert page.status_code == 422 and f"download van kostenverhaal {a}" in page.text
    # a workbook of version 1 after version 2 was saved: 409, unless the base version is given knowingly
    v2 = _data(demo_client, "kostenverhaal", a, 1)
    v2["naam"] = "Nieuw: " + v2["naam"]
    assert demo_client.put(f"/api/kostenverhaal/{a}", json={"data": v2, "base_version": 1}).status_code == 200
    r = demo_client.post(f"/api/kostenverhaal/{a}/upload", files={"file": ("v1.xlsx", book)})
    assert r.status_code == 409 and r.json()["detail"]["field"] == "base_version"
    preview = demo_client.post(f"/api/kostenverhaal/{a}/upload?voorbeeld=1", files={"file": ("v1.xlsx", book)}).json()
    assert "gemaakt van versie 1; de huidige versie is 2" in preview["waarschuwingen"][0]
    assert any(c["veld"] == "Naam" for c in preview["vergelijking"]["velden"])  # the change since version 1 is shown
    r = demo_client.post(f"/api/kostenverhaal/{a}/upload", files={"file": ("v1.xlsx", book)}, data={"base_version": "2"})
    assert r.status_code == 200 and r.json()["number"] == 3


def test_every_kind_offers_its_template_on_its_pages(demo_client):
    for kind in ("grex", "kostenverhaal", "bijdrage", "eindafrekening", "programma"):
        listing = demo_client.get(f"/{'kostenverhaal' if kind == 'eindafrekening' else kind}").text
        assert f'href="/{kind}/sjabloon.xlsx"' in listing, kind
        r = demo_client.get(f"/{kind}/sjabloon.xlsx")
        assert r.status_code == 200 and r.content[:2] == b"PK" and f"{kind}-sjabloon.xlsx" in r.headers["content-disposition"]
        assert demo_client.get(f"/api/{kind}/sjabloon.xlsx").content[:2] == b"PK"
        doc_id = demo_client.get(f"/api/{kind}").json()[0]["id"]
        if kind != "grex":
            assert f'href="/{kind}/sjabloon.xlsx"' in demo_client.get(f"/{kind}/{doc_id}").text
    # a filled template is a new document
    wb = openpyxl.load_workbook(io.BytesIO(demo_client.get("/api/bijdrage/sjabloon.xlsx").content))
    assert wb.sheetnames[:2] == ["Toelichting", "Algemeen"]


@pytest.mark.parametrize("kind", ["grex", "kostenverhaal", "bijdrage", "eindafrekening", "programma"])
def test_old_version_pages_show_and_download_that_version(demo_client, kind):
    """``/<kind>/<id>/versie/1`` after a version 2: the header says version 1 (current 2) and its downloads give version 1."""
    doc_id = demo_client.get(f"/api/{kind}").json()[0]["id"]
    data = _data(demo_client, kind, doc_id, 1)
    data["naam"] = data["naam"] + " v2"
    assert demo_client.put(f"/api/{kind}/{doc_id}", json={"data": data, "base_version": 1}).status_code == 200
    html = demo_client.get(f"/{kind}/{doc_id}/versie/1").text
    assert re.search(r"versie 1\s*\(huidig: 2\)", html), html[:3000]
    assert f"/{kind}/{doc_id}/download.xlsx?versie=1" in html and f"/{kind}/{doc_id}/download.yaml?versie=1" in html
    assert " v2" not in demo_client.get(f"/{kind}/{doc_id}/download.yaml?versie=1").text.split("\n", 3)[0] + demo_client.get(f"/{kind}/{doc_id}/download.yaml?versie=1").text[:300]
    wb = openpyxl.load_workbook(io.BytesIO(demo_client.get(f"/{kind}/{doc_id}/download.xlsx?versie=1").content))
    meta = {r[0]: r[1] for r in wb["opengrex"].iter_rows(values_only=True) if r[0]}
    assert (meta["document"], meta["versie"]) == (doc_id, 1)
    name_row = next(r for r in range(3, wb["Algemeen"].max_row + 1) if wb["Algemeen"].cell(row=r, column=5).value == "naam")
    assert not str(wb["Algemeen"].cell(row=name_row, column=2).value).endswith(" v2")


@pytest.mark.libreoffice
def test_downloaded_workbooks_recalculated_by_libreoffice_equal_the_engine(demo_client, tmp_path):
    """The workbooks as users download them (input sheets + live formulas): LibreOffice's results equal the engine."""
    from opengrex.io.libreoffice import read_names, recalculate
    from opengrex.io.xlsx_export import HEADLINE_NAMES
    from opengrex.services.bijdrage import calculate_bijdrage
    from opengrex.services.grex import calculate_grex
    from opengrex.services.kostenverhaal import calculate_case

    _with_embedded_grex_case(demo_client)  # a case whose amounts come from a grex: values, not references
    src = tmp_path / "src"
    src.mkdir()
    jobs = []
    for kind in ("grex", "kostenverhaal", "bijdrage"):
        for d in demo_client.get(f"/api/{kind}").json():
            p = src / f"{kind}-{d['id']}.xlsx"
            p.write_bytes(demo_client.get(f"/{kind}/{d['id']}/download.xlsx").content)
            jobs.append((kind, d["id"], p))
    outs = recalculate([p for _, _, p in jobs], tmp_path / "out")
    checked = 0
    for (kind, doc_id, _), out in zip(jobs, outs):
        k = get_kind(kind)
        model = k.validate(_data(demo_client, kind, doc_id, 1), kind)
        if kind == "grex":
            r = calculate_grex(model)
            got = read_names(out, list(HEADLINE_NAMES))
            assert got["NCW"] == pytest.approx(r.ncw, abs=0.01) and got["Eindwaarde"] == pytest.approx(r.eindwaarde, abs=0.01)
            assert got["SaldoPrijspeil"] == pytest.approx(r.saldo_prijspeil, abs=0.01)
        elif kind == "kostenverhaal":
            r = calculate_case(model)
            got = read_names(out, ["Exploitatiebijdrage", "NietVerhaalbaar", "Cap"])
            assert got["Exploitatiebijdrage"] == pytest.approx(r.exploitatiebijdrage, abs=0.01), doc_id
            assert got["NietVerhaalbaar"] == pytest.approx(r.macroaftopping, abs=0.01) and got["Cap"] == pytest.approx(r.cap, abs=0.01)
        else:
            r = calculate_bijdrage(model)
            names = [f"tarief_{i}_{s}" for i in range(len(r.gebieden)) for s in r.segmenten]
            got = read_names(out, names)
            expect = [float(r.outcome.tarief[i, j]) for i in range(len(r.gebieden)) for j in range(len(r.segmenten))]
            assert [got[n] for n in names] == pytest.approx(expect, abs=0.01)
        checked += 1
    assert checked == len(jobs) >= 9


@pytest.mark.libreoffice
def test_a_workbook_saved_by_libreoffice_uploads_back_unchanged(demo_client, tmp_path):
    """Open the download in LibreOffice, save it (formulas recalculated, LibreOffice's own file), upload: no changes."""
    from opengrex.io.libreoffice import recalculate

    doc = _doc(demo_client, "grex")
    src = tmp_path / "src"
    src.mkdir()
    (src / "grex.xlsx").write_bytes(demo_client.get(f"/grex/{doc['id']}/download.xlsx").content)
    (out,) = recalculate([src / "grex.xlsx"], tmp_path / "out")
    p = demo_client.post(f"/api/grex/{doc['id']}/upload?voorbeeld=1", files={"file": ("grex.xlsx", out.read_bytes())}).json()
    assert p["vergelijking"]["aantal_wijzigingen"] == 0 and p["herkomst"]["versie"] == 1
    assert "gelijk aan de huidige versie" in p["waarschuwingen"][0]


def test_compare_page_reads_like_a_controller(demo_client):
    """Labels from the model, nl-NL money and percentages, causes adding up (waterfall data), per line per year."""
    doc = _doc(demo_client, "grex")
    data = _data(demo_client, "grex", doc["id"], 1)
    data["rente"] = 0.03
    data["kosten"][0]["bedrag"] = 11_000_000.0
    data["opbrengsten"][0]["fasering"] = {str(int(y) + 1): v for y, v in data["opbrengsten"][0]["fasering"].items()}
    assert demo_client.put(f"/api/grex/{doc['id']}", json={"data": data, "base_version": 1}).status_code == 200
    html = demo_client.get(f"/grex/{doc['id']}/versies/vergelijk?a=1&b=2").text
    assert "Rente</td><td class=\"n\">2,00%</td><td class=\"n\">3,00%" in html
    assert "Verwerving gronden" in html and "€ 9.500.000" in html and "€ 11.000.000" in html
    assert "kosten[0]" not in re.sub(r'title="[^"]*"', "", html) and "9500000" not in html and "0.03" not in html
    assert 'id="tabel-oorzaken"' in html and 'id="oorzaak-ncw"' in html and '"type": "waterfall"' in html.replace('":"', '": "')
    assert 'id="tabel-vergelijk-jaren"' in html and ">verschil</td>" in html
    cmp = demo_client.get(f"/api/grex/{doc['id']}/vergelijking?a=1&b=2").json()
    parts = {p["oorzaak"]: p["bedrag"] for p in cmp["oorzaken"]["kengetallen"]["ncw"]["per_oorzaak"]}
    assert sum(parts.values()) == pytest.approx(cmp["oorzaken"]["kengetallen"]["ncw"]["verschil"], abs=1e-6)
    assert parts["fasering"] != 0 and parts["kosten"] < 0 and parts["rente"] < 0 and parts["realisatie"] == 0 and parts["indexering"] == 0
