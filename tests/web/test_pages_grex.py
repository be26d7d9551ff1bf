"""Page tests (TestClient) of the overview, grex edit page, recalculation, save/versions, downloads and upload.

Expected numbers are never hard-coded: each is computed through :func:`opengrex.services.grex.calculate_grex` on the
same input and formatted with :func:`opengrex.formatting.eur`, which is what the page must show.
"""
from __future__ import annotations

import io
import json
import re
import time

import numpy as np
import openpyxl
import pytest
import yaml
from tests.web.fixtures_pages import *  # noqa: F401,F403
from tests.web.fixtures_pages import DEMO
from tests.web.form_helpers import FormFields, doc_key, page_fields, post_form

from opengrex.formatting import eur
from opengrex.model.grex import CostLine, Grex
from opengrex.services.grex import calculate_grex, grex_from_dict, grex_to_dict, load_grex
from opengrex.testing import random_grex
from opengrex.web.forms import read_form

PHASING = doc_key(CostLine, "phasing")


def demo_id(client) -> int:
    html = client.get("/grex").text
    m = re.search(r'href="/grex/(\d+)">De Hoge Akker', html)
    assert m, html
    return int(m.group(1))


def versions_of(page_app, doc_id: int) -> int:
    from opengrex.store.repository import list_versions

    with page_app.state.db.transaction() as s:
        return len(list_versions(s, document_id=doc_id))


def demo_form() -> FormFields:
    """The fields of the demo grex's form (the form engine, :mod:`opengrex.web.forms`)."""
    return FormFields.of("grex", load_grex(DEMO))


def recalc(client, form: FormFields):
    return post_form(client, "/grex/bereken", form.items)


def field_errors(html: str) -> dict[str, str]:
    m = re.search(r'<script type="application/json" id="veldfouten">(.*?)</script>', html, re.S)
    assert m, html[:500]
    return json.loads(m.group(1))


# ---------------------------------------------------------------------------------------------- overview
def test_overview_empty_then_demo(client):
    r = client.get("/")
    assert r.status_code == 200
    assert "Demo laden" in r.text and "Nog geen grondexploitaties" in r.text
    for label in ("Overzicht", "Grondexploitaties", "Kostenverhaal", "Financiële bijdrage", "Programma&#39;s", "Upload"):
        assert label in r.text
    assert client.post("/demo").status_code == 200  # redirect followed to the overview
    html = client.get("/").text
    ncw = calculate_grex(load_grex(DEMO)).ncw
    assert "De Hoge Akker (demo)" in html
    assert eur(ncw) in html  # NCW shown nl-NL: € -2.671.670
    # loading the demo twice does not duplicate it
    client.post("/demo")
    assert client.get("/grex").text.count("De Hoge Akker (demo)") == 1


def test_static_files_are_vendored(client):
    for path in ("/static/vendor/htmx.min.js", "/static/vendor/plotly.min.js", "/static/style.css", "/static/app.js"):
        r = client.get(path)
        assert r.status_code == 200 and len(r.content) > 500, path
    html = client.get("/").text
    assert "cdn" not in html.lower() and "https://" not in html


# ---------------------------------------------------------------------------------------------- grex page
def test_grex_page_shows_results_tables_charts_and_explanations(demo_client):
    gid = demo_id(demo_client)
    r = demo_client.get(f"/grex/{gid}")
    assert r.status_code == 200
    html = r.text
    res = calculate_grex(load_grex(DEMO))
    for value in (res.ncw, res.eindwaarde, res.contante_waarde, res.saldo_nominaal, res.badkuip()["diepste_boekwaarde"]):
        assert eur(value) in html
    # per-year table: one row per year plus the total row
    table = html.split('id="tabel-perjaar"')[1].split("</table>")[0]
    assert table.count("<tr>") == len(res.years) + 1
    # per-kostensoort table lists each code once
    assert "Waarde gronden voor werken" in html
    # chart data for the three charts, book value as computed by the engine
    charts = json.loads(re.search(r'id="grafiekdata">(.*?)</script>', html, re.S).group(1))
    assert set(charts) == {"grafiek-kasstromen", "grafiek-boekwaarde", "grafiek-cumulatief"}
    assert charts["grafiek-boekwaarde"]["data"][0]["y"] == pytest.approx(res.outcome.book_value.tolist())
    badkuip = charts["grafiek-boekwaarde"]["data"][1]
    assert badkuip["x"] == [res.badkuip()["jaar"]]
    # the explanation of the NCW names the rule and its source
    assert "NCW (BBV) = eindwaarde / (1 + d) ** T_end" in html and "opengrex.engine.grex.ncw_bbv" in html
    # the edit table holds every line (one row marker per line)
    assert html.count('name="kosten~rij" value="r') + html.count('name="opbrengsten~rij" value="r') == len(res.line_labels)
    # negative amounts are marked for the red style
    assert f'<span class="num neg">{eur(res.ncw)}</span>' in html


def test_recalculate_after_editing_a_line(demo_client):
    form = demo_form()
    form.set(("kosten", 0, "amount"), "12.000.000")
    r = recalc(demo_client, form)
    assert r.status_code == 200
    changed = form.model()
    expected = calculate_grex(changed).ncw
    assert expected != pytest.approx(calculate_grex(load_grex(DEMO)).ncw)
    assert f'data-waarde="{expected}"' in r.text
    assert eur(expected) in r.text
    assert 'hx-swap-oob="true"' in r.text  # the sticky headline bar is updated too
    assert field_errors(r.text) == {}


def test_recalculate_add_and_remove_lines_and_edit_index_and_rente(demo_client):
    form = demo_form()
    form.remove_row(("kosten",), 1)
    row = form.append_rows_from(("opbrengsten",), demo_form(), 0)
    last = len(form.rows("opbrengsten")) - 1
    assert form.name("opbrengsten", last) == row
    form.set(("opbrengsten", last, "name"), "Extra kavel")
    form.set(("opbrengsten", last, "amount"), "750.000")
    form.set_years(("opbrengsten", last, "phasing"), {2030: "100%"})
    form.set_years(("indices", "kostenstijging"), {2025: "4%", 2027: "2,5%"})
    form.set(("rente",), "")
    form.items = [(k, "1" if k == "rente~soort" else v) for k, v in form.items] + [("rente~jaren", ""), ("rente.2025", "2%"), ("rente.2030", "3%")]
    r = recalc(demo_client, form)
    expected = calculate_grex(form.model())
    assert len(expected.grex.kosten) == len(load_grex(DEMO).kosten) - 1 and expected.grex.opbrengsten[-1].name == "Extra kavel"
    assert f'data-waarde="{expected.ncw}"' in r.text
    assert expected.grex.indices["kostenstijging"] == {2025: 0.04, 2027: 0.025}
    assert expected.grex.rente == {2025: 0.02, 2030: 0.03}


def test_new_row_fragment(demo_client):
    """A new row comes from the form engine's fragment route (for the posted form, so its year grid has the
    grex's period); each new row gets its own id."""
    items = demo_form().items
    a = post_form(demo_client, "/grex/formulier/fragment", items + [("actie", "rij"), ("pad", "kosten")]).text
    b = post_form(demo_client, "/grex/formulier/fragment", items + [("actie", "rij"), ("pad", "kosten")]).text
    ua = re.search(r'name="kosten~rij" value="(\w+)"', a).group(1)
    ub = re.search(r'name="kosten~rij" value="(\w+)"', b).group(1)
    assert ua != ub and f'name="kosten.{ua}.kostensoort"' in a
    assert all(f'name="kosten.{ua}.{PHASING}.{y}"' in a for y in range(2025, 2037))  # the grex's period
    ix = post_form(demo_client, "/grex/formulier/fragment", items + [("actie", "rij"), ("pad", "indices")]).text
    assert 'name="indices~rij"' in ix and "~sleutel" in ix
    assert post_form(demo_client, "/grex/formulier/fragment", items + [("actie", "rij"), ("pad", "onzin")]).status_code == 422


@pytest.mark.parametrize(("edit", "field", "text"), [
    (lambda f: f.set(("kosten", 0, "amount"), "veel"), "amount", "geen geldig getal"),
    (lambda f: f.set(("kosten", 0, "amount"), "-5"), "amount", "bedrag mag niet negatief zijn"),
    (lambda f: f.set_years(("kosten", 0, "phasing"), {2025: "60%"}), "phasing", "fasering telt op tot 0,6"),
    (lambda f: f.set_years(("kosten", 0, "phasing"), {2099: "100%"}), "phasing", "jaar buiten de looptijd"),
    (lambda f: f.set(("kosten", 0, "kostensoort"), "Q1"), "kostensoort", "onbekende kostensoort"),
    (lambda f: f.set(("kosten", 0, "index"), "onbekend"), "index", "onbekende indexreeks"),
    (lambda f: f.set(("rente",), "3"), None, "percentage zonder %-teken"),
    (lambda f: f.set(("end_year",), "twintig"), None, "geen geldig getal"),
    (lambda f: f.set(("kosten", 0, "amount"), "1,500"), "amount", "dubbelzinnig: bedoelt u 1.500 of 1,5?"),
    (lambda f: f.set(("kosten", 0, "amount"), "1e20"), "amount", "getal te groot"),
])
def test_invalid_values_show_a_message_next_to_the_field(demo_client, edit, field, text):
    form = demo_form()
    edit(form)
    r = recalc(demo_client, form)
    assert r.status_code == 200
    errs = field_errors(r.text)
    key = form.name("kosten", 0, field) if field else next(iter(errs))
    assert key in errs and text in errs[key], errs
    assert "Niet berekend" in r.text and 'id="kengetal-ncw"' not in r.text


def test_explain_one_year(demo_client):
    form = demo_form()
    res = calculate_grex(load_grex(DEMO))
    year = res.badkuip()["jaar"]
    r = post_form(demo_client, f"/grex/uitleg?kengetal=boekwaarde&jaar={year}", form.items)
    assert r.status_code == 200
    bv = float(res.yearly_frame().loc[year, "boekwaarde"])
    assert eur(bv, 2) in r.text and "B_y = B_(y-1)(1+r) + F_y" in r.text
    r = post_form(demo_client, "/grex/uitleg?kengetal=boekwaarde", form.items)
    assert "geef een jaar op" in r.text


# ---------------------------------------------------------------------------------------------- save + versions
def test_save_creates_a_new_version_and_compare_shows_the_change(demo_client, page_app):
    gid = demo_id(demo_client)
    form = demo_form()
    form.set(("kosten", 0, "amount"), "10.000.000")
    items = form + [("base_version", "1"), ("comment", "verwerving duurder")]
    r = post_form(demo_client, f"/grex/{gid}/opslaan", items, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/grex/{gid}?opgeslagen=1"
    assert versions_of(page_app, gid) == 2
    page = demo_client.get(r.headers["location"]).text
    assert "Opgeslagen als versie 2" in page and 'value="10.000.000"' in page
    versions = demo_client.get(f"/grex/{gid}/versies").text
    assert "verwerving duurder" in versions and "(huidig)" in versions
    cmp = demo_client.get(f"/grex/{gid}/versies/vergelijk?a=1&b=2")
    assert cmp.status_code == 200
    old, new = calculate_grex(load_grex(DEMO)).ncw, calculate_grex(form.model()).ncw
    assert eur(new - old) in cmp.text and "Verwerving gronden" in cmp.text
    # an older version opens in the edit table
    v1 = demo_client.get(f"/grex/{gid}/versie/1").text
    assert "U bekijkt versie 1" in v1 and 'value="9.500.000"' in v1


def test_saving_unchanged_form_changes_nothing_but_the_version(demo_client):
    gid = demo_id(demo_client)
    items = demo_form() + [("base_version", "1")]
    assert post_form(demo_client, f"/grex/{gid}/opslaan", items, follow_redirects=False).status_code == 303
    cmp = demo_client.get(f"/grex/{gid}/versies/vergelijk?a=1&b=2").text
    assert "0 wijzigingen" in cmp


def test_invalid_save_writes_nothing_and_shows_the_field(demo_client, page_app):
    gid = demo_id(demo_client)
    form = demo_form()
    grid = form.set_years(("kosten", 2, "phasing"), {2026: "10%"})
    r = post_form(demo_client, f"/grex/{gid}/opslaan", form + [("base_version", "1")])
    assert r.status_code == 422
    assert "fasering telt op tot 0,1" in r.text and f'data-veldfout="{grid}">fasering telt op tot 0,1' in r.text
    assert 'aria-invalid="true"' in r.text
    label = CostLine.model_fields["phasing"].title or "Phasing"
    assert f'name="{grid}.2026" value="10%" class="n jc" inputmode="decimal" aria-label="{label} 2026" aria-invalid="true"' in r.text
    assert versions_of(page_app, gid) == 1


def test_save_on_a_stale_version_is_refused(demo_client, page_app):
    gid = demo_id(demo_client)
    items = demo_form().items
    assert post_form(demo_client, f"/grex/{gid}/opslaan", items + [("base_version", "1")], follow_redirects=False).status_code == 303
    r = post_form(demo_client, f"/grex/{gid}/opslaan", items + [("base_version", "1")])
    assert r.status_code == 409 and "intussen gewijzigd" in r.text
    assert versions_of(page_app, gid) == 2


def test_new_grex_page_and_create(client, page_app):
    r = client.get("/grex/nieuw")
    assert r.status_code == 200 and "Nog niet opgeslagen" in r.text
    # the new form, posted as the browser would, is a valid grex of ten years from this year
    empty = FormFields("grex", {})
    fresh = empty.kind.validate(read_form(empty.tree, page_fields(r.text, "grex-form")).data)
    assert fresh.end_year - fresh.start_year == 9
    form = demo_form()
    form.set(("name",), "Nieuw plan")
    r = post_form(client, "/grex/nieuw", form.items, follow_redirects=False)
    assert r.status_code == 303
    gid = int(r.headers["location"].split("/")[2].split("?")[0])
    assert "Nieuw plan" in client.get(f"/grex/{gid}").text
    form.set(("name",), "")
    r = post_form(client, "/grex/nieuw", form.items)
    assert r.status_code == 422 and "Niet berekend" in r.text


# ---------------------------------------------------------------------------------------------- not found
@pytest.mark.parametrize("path", [
    "/grex/999", "/grex/abc", "/grex/-1", "/grex/999/versies", "/grex/1/versie/99", "/grex/abc/download.xlsx",
    "/grex/999/download.yaml", "/bestaat/niet", "/grex/1/versies/vergelijk?a=1&b=7",
])
def test_unknown_ids_give_a_dutch_404_page(demo_client, path):
    r = demo_client.get(path)
    assert r.status_code == 404, (path, r.status_code)
    assert r.headers["content-type"].startswith("text/html")
    assert "Niet gevonden" in r.text and "bestaat niet" in r.text


def test_compare_with_bad_numbers_is_a_message(demo_client):
    gid = demo_id(demo_client)
    r = demo_client.get(f"/grex/{gid}/versies/vergelijk?a=x&b=1")
    assert r.status_code == 422 and "Kies twee versienummers" in r.text


def test_api_paths_keep_json_404(client):
    r = client.get("/api/bestaat-niet")
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/json")


# ---------------------------------------------------------------------------------------------- downloads
def test_download_yaml_round_trips(demo_client):
    gid = demo_id(demo_client)
    r = demo_client.get(f"/grex/{gid}/download.yaml")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    back = grex_from_dict(yaml.safe_load(r.text))
    assert grex_to_dict(back) == grex_to_dict(load_grex(DEMO))


def test_download_xlsx_has_live_formulas(demo_client):
    gid = demo_id(demo_client)
    r = demo_client.get(f"/grex/{gid}/download.xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert r.headers["content-disposition"].endswith('.xlsx"')
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    formulas = sum(1 for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("="))
    assert formulas > 50


# ---------------------------------------------------------------------------------------------- upload
def test_upload_yaml_json_and_excel_template(client, tmp_path):
    text = DEMO.read_text(encoding="utf-8").replace("De Hoge Akker (demo)", "Uit YAML")
    r = client.post("/upload", data={"soort": "grex"}, files={"bestand": ("plan.yaml", text.encode(), "application/yaml")}, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert "Uit YAML" in client.get(r.headers["location"]).text
    data = grex_to_dict(load_grex(DEMO)) | {"naam": "Uit JSON"}
    r = client.post("/upload", data={"soort": "grex"}, files={"bestand": ("plan.json", json.dumps(data).encode(), "application/json")}, follow_redirects=False)
    assert r.status_code == 303
    from opengrex.io.xlsx_template import grex_to_template

    grex = load_grex(DEMO).model_copy(update={"name": "Uit Excel"})
    path = tmp_path / "sjabloon.xlsx"
    grex_to_template(grex, path)
    r = client.post("/upload", data={"soort": "grex"}, files={"bestand": ("sjabloon.xlsx", path.read_bytes())}, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = client.get(r.headers["location"]).text
    assert "Uit Excel" in page and eur(calculate_grex(grex).ncw) in page


@pytest.mark.parametrize(("name", "content", "status", "text"), [
    ("plan.yaml", b"name: [unclosed", 422, "ongeldige YAML"),
    ("plan.json", b"{nope", 422, "ongeldige JSON"),
    ("plan.yaml", b"name: x\nonbekend: 1\n", 422, "onbekend veld"),
    ("plan.txt", b"hallo", 422, "wordt niet ondersteund"),
    ("plan.yaml", b"", 422, "het bestand is leeg"),
    ("plan.xlsx", b"dit is geen excel", 422, "geen geldig Excel-bestand"),
    ("plan.xlsx", b"PK\x03\x04kapot", 422, "plan.xlsx: geen leesbaar Excel-werkboek"),
    ("plan.yaml", b"\xff\xfe\x00", 422, "geen UTF-8"),
])
def test_malformed_uploads_show_a_clear_message_and_save_nothing(client, page_app, name, content, status, text):
    r = client.post("/upload", data={"soort": "grex"}, files={"bestand": (name, content)})
    assert r.status_code == status, r.text[:300]
    assert r.headers["content-type"].startswith("text/html")
    assert "Niet opgeslagen" in r.text and text in r.text
    from opengrex.store.repository import count_rows

    with page_app.state.db.transaction() as s:
        assert count_rows(s) == {"documents": 0, "versions": 0}


def test_upload_without_file(client):
    r = client.post("/upload", data={"soort": "grex"})
    assert r.status_code == 422 and "kies een bestand" in r.text


def test_oversized_upload_is_refused_with_a_page(tmp_path):
    from fastapi.testclient import TestClient

    from opengrex.web.app import create_app
    from opengrex.web.settings import Settings

    app = create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'x.db'}", max_upload=2000))
    with TestClient(app) as c:
        r = c.post("/upload", data={"soort": "grex"}, files={"bestand": ("groot.yaml", b"#" * 5000)})
        assert r.status_code == 413
        assert r.headers["content-type"].startswith("text/html") and "te groot" in r.text
        assert 'data-max="2000"' in c.get("/upload").text  # the form checks the size before sending, too
    app.state.db.dispose()


# ---------------------------------------------------------------------------------------------- performance
def test_200_line_grex_recalculates_and_renders_quickly(client, capsys):
    """Target (issue 5): a 200-line grex page recalculates and renders in < 300 ms. Timed on the recalculation
    endpoint (parse form, validate, calculate, render results partial) and on the full page; the assertion
    is lenient (shared CI machine), the measured time is printed for the report."""
    grex = random_grex(np.random.default_rng(7), n_lines=200, n_years=15)
    items = FormFields.of("grex", grex).items
    recalc_times, page_times = [], []
    for _ in range(5):
        t = time.perf_counter()
        r = post_form(client, "/grex/bereken", items)
        recalc_times.append(time.perf_counter() - t)
        assert r.status_code == 200 and 'id="kengetal-ncw"' in r.text
    r = client.post("/upload", data={"soort": "grex"}, files={"bestand": ("groot.json", json.dumps(grex_to_dict(grex)).encode())}, follow_redirects=False)
    url = r.headers["location"].split("?")[0]
    for _ in range(3):
        t = time.perf_counter()
        assert client.get(url).status_code == 200
        page_times.append(time.perf_counter() - t)
    with capsys.disabled():
        print(f"\n200 posten: herberekenen {min(recalc_times) * 1000:.0f} ms (mediaan {sorted(recalc_times)[2] * 1000:.0f} ms), volledige pagina {min(page_times) * 1000:.0f} ms")
    assert min(recalc_times) < 1.0 and min(page_times) < 2.0


def test_all_problems_are_shown_at_once(demo_client):
    """An unreadable amount does not hide a phasing error on another line (the model still checks the rest)."""
    form = demo_form()
    amount = form.set(("kosten", 0, "amount"), "veel")
    grid = form.set_years(("kosten", 3, "phasing"), {2026: "50%"})
    errs = field_errors(recalc(demo_client, form).text)
    assert set(errs) == {amount, grid}
    assert "geen geldig getal" in errs[amount]


def test_empty_template_download_reads_back_as_an_error_not_a_crash(client, tmp_path):
    r = client.get("/upload/sjabloon.xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    up = client.post("/upload", data={"soort": "grex"}, files={"bestand": ("leeg.xlsx", r.content)})
    assert up.status_code == 422 and "Niet opgeslagen" in up.text and "leeg.xlsx" in up.text


def test_a_stored_version_the_rules_now_reject_is_a_message(demo_client, page_app):
    """Data stored earlier that no longer validates (simulated by editing the row directly) gives a Dutch
    message naming the field, never a 500."""
    from opengrex.store.models import Document

    gid = demo_id(demo_client)
    with page_app.state.db.transaction() as s:
        doc = s.get(Document, gid)
        bad = dict(doc.data)
        bad["kosten"] = [dict(bad["kosten"][0], kostensoort="Z99")] + bad["kosten"][1:]
        doc.data = bad
        for v in doc.versions:
            v.data = bad
    for path in (f"/grex/{gid}", f"/grex/{gid}/versie/1", f"/grex/{gid}/download.yaml", f"/grex/{gid}/download.xlsx"):
        r = demo_client.get(path)
        assert r.status_code == 422 and "kostensoort" in r.text, path


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_FIELDS = [doc_key(CostLine, "amount"), f"{PHASING}.2026", f"{doc_key(CostLine, 'realised')}.2025"] + [doc_key(CostLine, f) for f in ("kostensoort", "index", "name", "hoeveelheid", "eenheidsprijs", "fase")]
_TRICKY = ["0", "-1", "1", "9999", "1e308", "-1e308", "1e-320", "-99,999%", "-100%", "1e300%", "2030: 1e308", "2030: -5%",
           "0000-01-01", "9999-12-31", "2025-02-30", "1900", "2200", "2025: 100%; 2025: 0%", "2025:", ":", "%", "€", "1.2.3", "mid", "end", "start",
           "2036: 50%; 2037: 50%", "1000000000000000000000", "2025: 1e-320"]
_GENERAL = [doc_key(Grex, f) for f in ("prijspeil", "start_year", "end_year", "rente", "disconteringsvoet", "ncw_datum", "opening_book_value", "realised_through", "timing")]


@given(
    edits=st.lists(
        st.tuples(st.sampled_from(_FIELDS + _GENERAL), st.integers(0, 21), st.text(max_size=25) | st.sampled_from(_TRICKY)),
        min_size=1, max_size=5,
    )
)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_typed_text_gives_a_page_never_a_500(client, edits):
    """Whatever is typed into any field, recalculation answers 200 with either results or field messages."""
    form = demo_form()
    rows = form.rows("kosten")
    for name, row, text in edits:
        target = name if name in _GENERAL else f"kosten.{rows[row % len(rows)]}.{name}"
        form.items = [(k, v) for k, v in form.items if k != target] + [(target, text)]
    r = recalc(client, form)
    assert r.status_code == 200
    assert ('id="kengetal-ncw"' in r.text) != ("Niet berekend" in r.text)


def test_per_kostensoort_per_year_table_matches_the_api(demo_client):
    from opengrex.formatting import number

    gid = demo_id(demo_client)
    html = demo_client.get(f"/grex/{gid}").text
    table = html.split('id="tabel-kostensoort-jaar"')[1].split("</table>")[0]
    pk = calculate_grex(load_grex(DEMO)).per_kostensoort_frame()
    assert table.count("<tr>") == len(pk) + 1
    for (_, code, _), row in pk.iterrows():
        assert f"<td>{code}</td>" in table
        for v in row.values:
            assert number(v) in table


def test_quantity_times_price_and_subtotals_per_fase_in_the_results(demo_client):
    """Lines grouped by fase and deelgebied: subtotals per label in the result tables (the engine is unchanged);
    a line given as hoeveelheid × eenheidsprijs calculates with their product."""
    form = demo_form()
    form.set(("kosten", 0, "hoeveelheid"), "12.500")
    form.set(("kosten", 0, "eenheidsprijs"), "760")
    form.set(("kosten", 0, "amount"), "")
    for i in range(len(form.rows("kosten"))):
        form.set(("kosten", i, "fase"), "Fase 1" if i < 5 else "Fase 2")
    form.set(("opbrengsten", 0, "deelgebied"), "Noord")
    r = recalc(demo_client, form)
    assert field_errors(r.text) == {}
    grex = form.model()
    assert grex.kosten[0].amount == 12500 * 760.0
    res = calculate_grex(grex)
    table = r.text.split('id="tabel-per-fase"')[1].split("</table>")[0]
    kosten = {f: -sum(float(res.outcome.line_real[i].sum()) for i, ln in enumerate(grex.kosten) if ln.fase == f) for f in ("Fase 1", "Fase 2")}
    assert "Fase 1" in table and eur(kosten["Fase 1"]) in table and eur(kosten["Fase 2"]) in table and "(geen fase)" in table
    assert 'id="tabel-per-deelgebied"' in r.text and "Noord" in r.text.split('id="tabel-per-deelgebied"')[1].split("</table>")[0]
    assert 'id="tabel-per-fase"' not in recalc(demo_client, demo_form()).text  # no labels: no table
