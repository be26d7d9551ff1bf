"""Page tests of the kostenverhaal case page (A5 table, volgordelijkheid), the six-step financiële bijdrage (tabel
1–5) and the programme page (projects, fund, partners, risk). Expected figures come from the capabilities' own API
on the same file, formatted with :func:`opengrex.formatting.eur`.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.web.fixtures_pages import *  # noqa: F401,F403
from tests.web.fixtures_pages import ROOT

from opengrex.formatting import eur
from opengrex.web.pages.render import cell

KV = ROOT / "examples" / "kostenverhaal"
PROG = ROOT / "examples" / "hart-van-de-heuvelrug" / "mastergrex-2013.yaml"


def upload(client, kind: str, path: Path) -> str:
    r = client.post("/upload", data={"soort": kind}, files={"bestand": (path.name, path.read_bytes())}, follow_redirects=False)
    assert r.status_code == 303, r.text[:2000]
    return r.headers["location"].split("?")[0]


def confirm(client, url: str, preview):
    """Save the upload shown on the preview page (the 'Opslaan als versie N' form): its data and base version."""
    import html

    assert preview.status_code == 200 and 'id="bevestig-form"' in preview.text, preview.text[:2000]
    data = {name: html.unescape(value) for name, value in re.findall(r'<input type="(?:hidden|text)" name="(\w+)" value="([^"]*)"', preview.text)}
    return client.post(f"{url}/nieuwe-versie/bevestig", data=data, follow_redirects=False)


@pytest.mark.parametrize("name", ["voorbeeld-1.yaml", "voorbeeld-2.yaml", "zonder-tijdvak.yaml"])
def test_kostenverhaal_case_page(client, name):
    from opengrex.services.kostenverhaal import calculate_case, load_case

    res = calculate_case(load_case(KV / name))
    url = upload(client, "kostenverhaal", KV / name)
    r = client.get(url)
    assert r.status_code == 200
    html = r.text
    assert eur(res.exploitatiebijdrage) in html and eur(res.cap) in html
    a5 = html.split('id="tabel-a5"')[1].split("</table>")[0]
    for row in res.a5_table():
        assert row["post"].replace("&", "&amp;") in a5
        for col in ("initiatiefnemer", "gemeente", "totaal"):
            if row[col] is not None:
                assert eur(row[col]) in a5
    volg = html.split('id="tabel-volgordelijkheid"')[1].split("</table>")[0]
    for v in res.volgordelijkheid():
        assert eur(v["verhaald"]) in volg and eur(v["niet_verhaald"]) in volg and v["reden"] in volg
    assert 'id="grafiek-verhaal"' in html
    assert res.explain_cap()[0][:40] in html


def test_bijdrage_page_shows_six_steps_and_tabel_1_to_5(client):
    from opengrex.services.bijdrage import calculate_bijdrage, load_bijdrage_input

    path = KV / "soest-bijdrage-illustratief.yaml"
    res = calculate_bijdrage(load_bijdrage_input(path))
    url = upload(client, "bijdrage", path)
    html = client.get(url).text
    for t in ("tabel1", "tabel2", "tabel3", "tabel4", "tabel5"):
        assert f'id="tabel-{t}"' in html, t
    for step in range(1, 7):
        assert f"Stap {step}" in html or f"Stap 1–{step}" in html
    t5 = html.split('id="tabel-tabel5"')[1].split("</table>")[0]
    df = res.tabel5()
    for seg in [c for c in df.columns if c != "gebied"]:
        for v in df[seg]:
            assert eur(v) in t5
    t3 = html.split('id="tabel-tabel3"')[1].split("</table>")[0]
    assert str(cell("wegingsfactor", 1.0)) in t3  # sociaal = 1
    x = client.get(url + "/download.xlsx")
    assert x.status_code == 200 and x.content[:2] == b"PK"


def test_programme_page_and_risk(client):
    from opengrex.services.programma import calculate_programme, load_programme, run_risk

    prog = load_programme(PROG)
    res = calculate_programme(prog)
    url = upload(client, "programma", PROG)
    html = client.get(url).text
    assert eur(res.ncw) in html and eur(res.nominaal) in html
    for t in ("tabel-projecten", "tabel-fonds", "tabel-partners", "tabel-garanties"):
        assert f'id="{t}"' in html
    for project in res.projects_frame().index[:3]:
        assert str(project).replace("&", "&amp;") in html
    assert f'hx-get="{url}/risico"' in html
    risk = client.get(url + "/risico?trekkingen=500")
    assert risk.status_code == 200
    s = run_risk(prog, draws=500, seed=2013).summary()
    assert eur(s["P50"]) in risk.text and 'id="grafiek-tornado"' in risk.text


def test_lists_versions_and_downloads_per_kind(demo_client):
    for kind in ("kostenverhaal", "bijdrage"):
        html = demo_client.get(f"/{kind}").text
        ids = re.findall(rf'href="/{kind}/(\d+)"', html)
        assert ids, kind
        base = f"/{kind}/{ids[0]}"
        assert demo_client.get(base + "/versies").status_code == 200
        assert demo_client.get(base + "/versie/1").status_code == 200
        assert demo_client.get(base + "/versies/vergelijk?a=1&b=1").status_code == 200
        y = demo_client.get(base + "/download.yaml")
        assert y.status_code == 200 and "attachment" in y.headers["content-disposition"]


@pytest.mark.parametrize("path", ["/kostenverhaal/999", "/bijdrage/abc", "/programma/0", "/programma/999/risico", "/kostenverhaal/999/versies", "/bijdrage/999/download.xlsx"])
def test_unknown_ids_are_dutch_404_pages(client, path):
    r = client.get(path)
    assert r.status_code == 404 and "Niet gevonden" in r.text


def test_wrong_kind_is_not_found(demo_client):
    """A grex id on the kostenverhaal page is 'not found', not a crash."""
    gid = re.search(r'href="/grex/(\d+)"', demo_client.get("/grex").text).group(1)
    assert demo_client.get(f"/kostenverhaal/{gid}").status_code == 404


@pytest.mark.parametrize(("column", "value", "text"), [
    ("jaar", 2025, "2025"), ("aandeel", 0.25, "25,00%"), ("aandeel_ncw", -795318.6, "€ -795.319"), ("wegingsfactor", 2.5, "2,5000"),
    ("bestaande_woningen", 20800, "20.800"), ("bruto", 4.2e6, "€ 4.200.000"), ("gebied", "Kern Soest", "Kern Soest"), ("gehaald", False, "nee"), ("waarde_P90", 0.0255, "0,0255"),
])
def test_table_cells_are_formatted_by_column(column, value, text):
    assert text in str(cell(column, value))


def _versions(app, doc_id: int) -> int:
    from opengrex.store.repository import list_versions

    with app.state.db.transaction() as s:
        return len(list_versions(s, document_id=doc_id))


def test_upload_a_changed_case_as_new_version(client, page_app):
    """Saving a changed case keeps the previous version (issue 5, point 3); invalid or stale uploads save nothing."""
    from opengrex.services.kostenverhaal import calculate_case, case_from_text

    path = KV / "voorbeeld-2.yaml"
    url = upload(client, "kostenverhaal", path)
    n = int(url.rsplit("/", 1)[1])
    text = path.read_text(encoding="utf-8")
    changed = re.sub(r"^naam: .*$", 'naam: "Voorbeeld 2, gewijzigd"', text, count=1, flags=re.M)
    assert changed != text
    files = {"bestand": ("v2.yaml", changed.encode())}
    preview = client.post(f"{url}/nieuwe-versie", data={"base_version": "1", "comment": "naam aangepast"}, files=files, follow_redirects=False)
    assert "Voorbeeld 2, gewijzigd" in preview.text and _versions(page_app, n) == 1  # shown before saving; nothing saved yet
    r = confirm(client, url, preview)
    assert r.status_code == 303 and r.headers["location"] == f"{url}/versies?nieuw=2"
    assert _versions(page_app, n) == 2
    page = client.get(r.headers["location"]).text
    assert "Opgeslagen als versie 2" in page and "naam aangepast" in page
    current = client.get(url).text
    assert "Voorbeeld 2, gewijzigd" in current and eur(calculate_case(case_from_text(changed, "v2.yaml")).exploitatiebijdrage) in current
    assert "Bijlage A5 voorbeeld 2" in client.get(f"{url}/versie/1").text  # the previous version is kept
    # invalid file: message, nothing written
    r = client.post(f"{url}/nieuwe-versie", data={"base_version": "2"}, files={"bestand": ("kapot.yaml", b"naam: [")})
    assert r.status_code == 422 and "ongeldige YAML" in r.text
    # stale base version: refused
    r = client.post(f"{url}/nieuwe-versie", data={"base_version": "1"}, files=files)
    assert r.status_code == 409 and "intussen gewijzigd" in r.text
    # a case also reads its Excel template: a damaged workbook is refused with a message naming the file
    r = client.post(f"{url}/nieuwe-versie", data={"base_version": "2"}, files={"bestand": ("x.xlsx", b"PK..")})
    assert r.status_code == 422 and "x.xlsx" in r.text and "Excel" in r.text
    assert _versions(page_app, n) == 2
    # a file type no kind reads is refused before anything is read
    r = client.post(f"{url}/nieuwe-versie", data={"base_version": "2"}, files={"bestand": ("x.csv", b"a,b")})
    assert r.status_code == 422 and "wordt niet ondersteund" in r.text
    assert _versions(page_app, n) == 2


def test_upload_a_new_grex_version_from_the_excel_template(demo_client, page_app, tmp_path):
    from tests.web.fixtures_pages import DEMO

    from opengrex.io.xlsx_template import grex_to_template
    from opengrex.services.grex import calculate_grex, load_grex

    gid = int(re.search(r'href="/grex/(\d+)">De Hoge Akker', demo_client.get("/grex").text).group(1))
    grex = load_grex(DEMO)
    grex.kosten[0].amount = 9_999_999.0
    path = tmp_path / "nieuw.xlsx"
    grex_to_template(grex, path)
    r = demo_client.post(f"/grex/{gid}/nieuwe-versie", data={"base_version": "1"}, files={"bestand": ("nieuw.xlsx", path.read_bytes())}, follow_redirects=False)
    assert "€ 9.999.999" in r.text and _versions(page_app, gid) == 1  # what changes is shown first
    r = confirm(demo_client, f"/grex/{gid}", r)
    assert r.status_code == 303
    assert _versions(page_app, gid) == 2
    assert eur(calculate_grex(grex).ncw) in demo_client.get(f"/grex/{gid}").text
    assert demo_client.post("/onzin/1/nieuwe-versie", files={"bestand": ("a.yaml", b"a: 1")}).status_code == 404


def test_kinds_without_their_own_page_get_a_generic_one(demo_client):
    """A capability that joined the store later (e.g. the eindafrekening) is listed and shown from its summary,
    with versions and YAML download, without page code of its own."""
    from opengrex.services.kinds import KINDS
    from opengrex.web.pages.documents import PAGES, generic_kinds

    GENERIC = generic_kinds()
    assert set(GENERIC) == set(KINDS) - set(PAGES) - {"grex"}
    for kind in GENERIC:
        assert demo_client.get(f"/{kind}").status_code == 200
    if "eindafrekening" in GENERIC:
        html = demo_client.get("/kostenverhaal").text
        ids = re.findall(r'href="/eindafrekening/(\d+)"', html)
        assert ids, "eindafrekening staat niet onder kostenverhaal"
        from opengrex.services.eindafrekening import calculate_eindafrekening, load_eindafrekening

        res = calculate_eindafrekening(load_eindafrekening(KV / "eindafrekening-voorbeeld.yaml")).to_dict()
        page = demo_client.get(f"/eindafrekening/{ids[0]}").text
        assert eur(res["terugbetaling"]) in page and eur(res["verschuldigd"]) in page
        assert demo_client.get(f"/eindafrekening/{ids[0]}/versies").status_code == 200


@pytest.mark.parametrize("kind", ["kostenverhaal", "bijdrage", "programma"])
def test_every_kind_with_a_workbook_downloads_it_from_page_and_api(demo_client, kind):
    """The page links to the kind's Excel workbook; page and API serve the same workbook (one writer per kind)."""
    import io

    import openpyxl

    doc_id = demo_client.get(f"/api/{kind}").json()[0]["id"]
    page_html = demo_client.get(f"/{kind}/{doc_id}").text
    assert f"/{kind}/{doc_id}/download.xlsx" in page_html
    from_page = demo_client.get(f"/{kind}/{doc_id}/download.xlsx")
    from_api = demo_client.get(f"/api/{kind}/{doc_id}/export.xlsx")
    assert from_page.status_code == 200 and from_api.status_code == 200
    wb_page = openpyxl.load_workbook(io.BytesIO(from_page.content))
    wb_api = openpyxl.load_workbook(io.BytesIO(from_api.content))
    assert wb_page.sheetnames == wb_api.sheetnames and len(wb_page.sheetnames) >= 2


def test_case_workbook_has_live_formulas(demo_client):
    import io

    import openpyxl

    doc_id = demo_client.get("/api/kostenverhaal").json()[0]["id"]
    wb = openpyxl.load_workbook(io.BytesIO(demo_client.get(f"/kostenverhaal/{doc_id}/download.xlsx").content))
    formulas = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert any("MIN(" in f.upper() or "MAX(" in f.upper() for f in formulas)


def test_filled_case_template_uploads_as_a_new_version(demo_client, page_app, tmp_path):
    """A case kept in the Excel template (opengrex kostenverhaal template) is uploaded as the next version."""
    from opengrex.io.xlsx_case import case_to_template
    from opengrex.services.kostenverhaal import load_case

    doc = next(d for d in demo_client.get("/api/kostenverhaal").json() if "voorbeeld 2" in d["name"])
    book = tmp_path / "voorbeeld-2.xlsx"
    case_to_template(load_case(ROOT / "examples" / "kostenverhaal" / "voorbeeld-2.yaml"), book)
    r = demo_client.post(f"/kostenverhaal/{doc['id']}/nieuwe-versie", data={"base_version": "1"}, files={"bestand": ("voorbeeld-2.xlsx", book.read_bytes())}, follow_redirects=False)
    assert _versions(page_app, doc["id"]) == 1  # the template of the older layout is read; its changes are shown first
    r = confirm(demo_client, f"/kostenverhaal/{doc['id']}", r)
    assert r.status_code == 303, r.text[:500]
    assert _versions(page_app, doc["id"]) == 2
    assert "650.000" in demo_client.get(f"/kostenverhaal/{doc['id']}").text
