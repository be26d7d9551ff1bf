"""Every kind is created and edited in the browser through the one form engine (:mod:`opengrex.web.pages.formulier`):
new from scratch, save, edit as a new version, a stale version refused (409) with the edits kept, nothing saved while
invalid (each message next to its field), live headline figures, the parts of the form the browser asks for (a new
row, a union member, an optional block, an embedded document taken over from a stored one), a restored draft, and
viewers (no confidential input, no save)."""
from __future__ import annotations

import re

import pytest
from tests.web.fixtures_pages import *  # noqa: F401,F403
from tests.web.form_helpers import FormFields, doc_key, page_fields, post_form
from tests.web.test_pages_auth import login

from opengrex.formatting import eur
from opengrex.model.grex import Line
from opengrex.services.documents import demo_files
from opengrex.services.kinds import get_kind, kinds
from opengrex.store import repository as repo
from opengrex.web.forms import form_tree, read_form
from opengrex.web.forms.fields import pick_member

FORM = "documentformulier"
GENERIC = [k.name for k in kinds() if k.name != "grex"]


def demo_data(kind: str, prefer: str | None = None) -> dict:
    k = get_kind(kind)
    files = [p for kk, p in demo_files() if kk == kind]
    path = next((p for p in files if prefer and prefer in p.name), files[0])
    return k.to_data(k.load(path))


def name_key(kind: str, data: dict) -> str:
    """The key of the field that names a document of ``kind`` (of the chosen kind when there are several)."""
    tree = form_tree(get_kind(kind).model)
    if tree.widget == "union":
        tree = tree.members[pick_member(tree, data)]
    return tree.label_field.key  # type: ignore[union-attr]


def stored(page_app, kind: str) -> list:
    with page_app.state.db.transaction() as s:
        return [(d.id, d.current_version, d.data) for d in repo.list_documents(s, kind=kind)]


def versions(page_app, doc_id: int) -> int:
    with page_app.state.db.transaction() as s:
        return len(repo.list_versions(s, document_id=doc_id))


def case_with_grex(app) -> tuple[int, dict]:
    """A stored kostenverhaal whose initiatiefnemer's grex is embedded (met-grex.yaml as stored: complete data)."""
    from opengrex.services import documents as docs

    data = demo_data("kostenverhaal", "met-grex")
    with app.state.db.transaction() as s:
        doc = docs.create(s, kind="kostenverhaal", data=data, author="test", comment="met ingebedde grex")
        return doc.id, data


def field_errors(html: str) -> dict:
    import json

    m = re.search(r'<script type="application/json" id="veldfouten">(.*?)</script>', html, re.S)
    assert m, html[:300]
    return json.loads(m.group(1))


@pytest.mark.parametrize("kind", GENERIC)
def test_a_new_form_of_every_kind(client, kind):
    r = client.get(f"/{kind}/nieuw")
    assert r.status_code == 200
    html = r.text
    assert f'action="/{kind}/nieuw"' in html and 'id="opslaan"' in html and "nog niet opgeslagen" in html
    assert field_errors(html) == {}  # no "required" messages before anything is typed
    assert "Vul de velden in" in html
    # the empty form, posted unchanged, is read without an unreadable field; the model names what is missing
    k = get_kind(kind)
    form = read_form(form_tree(k.model), page_fields(html, FORM))
    assert not form.errors


@pytest.mark.parametrize("kind", GENERIC)
def test_create_every_kind_from_the_form(client, page_app, kind):
    data = demo_data(kind)
    form = FormFields(kind, data)
    key = name_key(kind, data)
    form.set((key,), "Gemaakt in het formulier")
    r = post_form(client, f"/{kind}/nieuw", form + [("comment", "nieuw")], follow_redirects=False)
    assert r.status_code == 303, field_errors(r.text)
    doc_id = int(r.headers["location"].split("/")[2].split("?")[0])
    (sid, version, saved), = [x for x in stored(page_app, kind) if x[0] == doc_id]
    assert version == 1 and saved == {**data, key: "Gemaakt in het formulier"}
    page = client.get(r.headers["location"])
    assert page.status_code == 200 and "Gemaakt in het formulier" in page.text


@pytest.mark.parametrize("kind", GENERIC)
def test_edit_saves_a_new_version_and_a_stale_version_is_409(demo_client, page_app, kind):
    doc_id, _, data = stored(page_app, kind)[0]
    r = demo_client.get(f"/{kind}/{doc_id}/bewerken")
    assert r.status_code == 200 and 'name="base_version" value="1"' in r.text
    posted = page_fields(r.text, FORM)
    k = get_kind(kind)
    # unchanged: the same document
    assert k.to_data(k.validate(read_form(form_tree(k.model), posted).data)) == data
    key = name_key(kind, data)
    edited = [(n, "Nieuwe naam" if n == key else v) for n, v in posted]
    r = post_form(demo_client, f"/{kind}/{doc_id}/bewerken", edited + [("comment", "hernoemd")], follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/{kind}/{doc_id}?opgeslagen=1"
    assert versions(page_app, doc_id) == 2
    (_, v, saved), = [x for x in stored(page_app, kind) if x[0] == doc_id]
    assert v == 2 and saved[key] == "Nieuwe naam"
    # the same form again (base version 1): refused, the edits stay on screen, nothing written
    again = [(n, "Nog een naam" if n == key else v) for n, v in edited]
    r = post_form(demo_client, f"/{kind}/{doc_id}/bewerken", again)
    assert r.status_code == 409 and "intussen gewijzigd" in r.text and 'value="Nog een naam"' in r.text
    assert versions(page_app, doc_id) == 2


def test_nothing_is_saved_while_invalid_and_each_message_is_next_to_its_field(demo_client, page_app):
    doc_id, _, data = stored(page_app, "bijdrage")[0]
    form = FormFields("bijdrage", data)
    bruto = form.set(("investeringen", 0, "bruto"), "1,500")
    naam = form.set(("naam",), "")
    r = post_form(demo_client, f"/bijdrage/{doc_id}/bewerken", form + [("base_version", "1")])
    assert r.status_code == 422 and "Niet opgeslagen" in r.text
    errs = field_errors(r.text)
    assert "dubbelzinnig: bedoelt u 1.500 of 1,5?" in errs[bruto] and "mag niet leeg zijn" in errs[naam]
    assert re.search(rf'data-veldfout="{re.escape(bruto)}">[^<]*1,500[^<]* is dubbelzinnig', r.text)  # rendered next to the input
    assert f'name="{bruto}" value="1,500"' in r.text and 'aria-invalid="true"' in r.text  # the value as typed stays
    assert versions(page_app, doc_id) == 1


@pytest.mark.parametrize("kind", GENERIC)
def test_live_headline_figures_of_the_posted_form(demo_client, page_app, kind):
    doc_id, _, data = stored(page_app, kind)[0]
    k = get_kind(kind)
    r = post_form(demo_client, f"/{kind}/formulier/bereken", FormFields(kind, data).items)
    assert r.status_code == 200
    figures = k.headline(k.calculate(k.validate(data)))
    for key, value in figures.items():
        assert f'id="kc-{key}" data-waarde="{value}"' in r.text and eur(value) in r.text
    assert field_errors(r.text) == {}


def test_live_recalculation_reports_errors_by_field(demo_client, page_app):
    doc_id, _, data = stored(page_app, "programma")[0]
    form = FormFields("programma", data)
    first_year = sorted(get_kind("programma").validate(data).projecten[0].grex.kosten[0].phasing)[0]
    cell = form.set(("projecten", 0, "grex", "kosten", 0, "phasing", first_year), "veel")
    r = post_form(demo_client, "/programma/formulier/bereken", form.items)
    errs = field_errors(r.text)
    grid = cell.rpartition(".")[0]
    assert "niet berekend" in r.text and "geen geldig getal" in errs[grid] and errs[grid].startswith(cell.rpartition(".")[2] + ":")
    assert cell in r.text.split('id="ongeldig">')[1].split("</script>")[0]


# ---------------------------------------------------------------------------------------------- fragments
def test_a_new_row_of_a_nested_list_has_the_year_grid_of_its_own_grex(demo_client, page_app):
    doc_id, _, data = stored(page_app, "programma")[0]
    form = FormFields("programma", data)
    kosten = form.name("projecten", 2, "grex", "kosten")
    r = post_form(demo_client, "/programma/formulier/fragment", form + [("actie", "rij"), ("pad", kosten)])
    assert r.status_code == 200 and r.text.startswith('<tbody class="rij"')
    uid = re.search(rf'name="{re.escape(kosten)}~rij" value="(\w+)"', r.text).group(1)
    grex, phasing = get_kind("programma").validate(data).projecten[2].grex, doc_key(Line, "phasing")
    for y in grex.years:
        assert f'name="{kosten}.{uid}.{phasing}.{y}"' in r.text
    assert f'name="{kosten}.{uid}.{phasing}.{grex.end_year + 1}"' not in r.text


def test_switching_a_union_and_an_optional_block_gives_their_sub_form(demo_client, page_app):
    doc_id, _, data = stored(page_app, "programma")[0]
    form = FormFields("programma", data)
    rente = form.name("financiers", 0, "rente")
    r = post_form(demo_client, "/programma/formulier/fragment", form + [("actie", "keuze"), ("pad", rente), ("soort", "1")])
    assert r.status_code == 200 and f'name="{rente}~jaren"' in r.text and 'class="formtabel raster"' in r.text
    # a kostenverhaal's optional woningvoorraad bijdrage switched on: its fields, with the model's defaults
    doc_id, _, case = stored(page_app, "kostenverhaal")[0]
    form = FormFields("kostenverhaal", case)
    items = [(n, v) for n, v in form.items if not n.startswith("financiele_bijdrage_woningvoorraad")]
    r = post_form(demo_client, "/kostenverhaal/formulier/fragment", items + [("actie", "aan"), ("pad", "financiele_bijdrage_woningvoorraad")])
    assert r.status_code == 200 and 'name="financiele_bijdrage_woningvoorraad.grondwaarde~aan"' in r.text


def test_an_embedded_grex_is_taken_over_from_a_stored_one(demo_client, page_app):
    (gid, _, grex), = stored(page_app, "grex")
    doc_id, _, case = next(x for x in stored(page_app, "kostenverhaal") if not x[2]["initiatiefnemer"].get("grex"))
    form = FormFields("kostenverhaal", case)
    items = form.items + [("initiatiefnemer.grex~aan", "ja"), ("initiatiefnemer.grex.inline~aan", "ja")]
    r = post_form(demo_client, "/kostenverhaal/formulier/fragment", items + [("actie", "document"), ("pad", "initiatiefnemer.grex.inline"), ("id", str(gid))])
    assert r.status_code == 200
    first = get_kind("grex").validate(grex).kosten[0].name
    assert f'value="{first}"' in r.text and 'name="initiatiefnemer.grex.inline.kosten~rij"' in r.text
    wrong = post_form(demo_client, "/kostenverhaal/formulier/fragment", items + [("actie", "document"), ("pad", "initiatiefnemer.grex.inline"), ("id", str(doc_id))])
    assert wrong.status_code == 422


def test_the_embedded_document_offers_the_stored_grexes(demo_client, page_app):
    doc_id, case = case_with_grex(page_app)
    html = demo_client.get(f"/kostenverhaal/{doc_id}/bewerken").text
    assert 'data-bron="initiatiefnemer.grex.inline"' in html and "De Hoge Akker (demo)" in html


def test_a_draft_is_restored_from_posted_fields(demo_client, page_app):
    doc_id, _, data = stored(page_app, "eindafrekening")[0]
    form = FormFields("eindafrekening", data)
    naam = form.set(("naam",), "Concept uit de browser")
    r = post_form(demo_client, "/eindafrekening/formulier/herstel", form.items)
    assert r.status_code == 200 and f'name="{naam}" value="Concept uit de browser"' in r.text


def test_the_grex_edit_route_is_its_page(demo_client, page_app):
    (gid, _, _), = stored(page_app, "grex")
    r = demo_client.get(f"/grex/{gid}/bewerken", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/grex/{gid}"


def test_document_pages_link_to_the_form(demo_client, page_app):
    doc_id, _, _ = stored(page_app, "bijdrage")[0]
    assert f'href="/bijdrage/{doc_id}/bewerken"' in demo_client.get(f"/bijdrage/{doc_id}").text
    assert 'href="/kostenverhaal/nieuw"' in demo_client.get("/kostenverhaal").text
    assert 'href="/eindafrekening/nieuw"' in demo_client.get("/kostenverhaal").text


# ---------------------------------------------------------------------------------------------- viewers
def test_viewers_get_no_confidential_input_and_cannot_save(auth_app):
    ed = login(auth_app, "els", "redacteur-ww")
    home = ed.get("/").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', home).group(1)
    ed.post("/demo", data={"csrf_token": token})
    doc_id, _ = case_with_grex(auth_app)
    secret = "onderhandelingsruimte 11 miljoen"
    page = ed.get(f"/kostenverhaal/{doc_id}/bewerken").text
    posted = page_fields(page, FORM)
    note = next(n for n, _ in posted if n.endswith("." + doc_key(Line, "note")))
    posted = [(n, secret if n == note else v) for n, v in posted]
    assert post_form(ed, f"/kostenverhaal/{doc_id}/bewerken", posted, follow_redirects=False).status_code == 303
    assert secret in ed.get(f"/kostenverhaal/{doc_id}/bewerken").text
    viewer = login(auth_app, "vic", "kijker-ww")
    vpage = viewer.get(f"/kostenverhaal/{doc_id}/bewerken").text
    assert "leesrechten" in vpage and 'id="opslaan"' not in vpage and secret not in vpage
    assert f'name="{note}"' not in vpage
    vt = re.search(r'name="csrf_token" value="([^"]+)"', vpage).group(1)
    r = post_form(viewer, f"/kostenverhaal/{doc_id}/bewerken", [(n, vt if n == "csrf_token" else v) for n, v in page_fields(vpage, FORM)])
    assert r.status_code == 403
