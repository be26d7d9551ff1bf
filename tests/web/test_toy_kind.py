"""A new document kind is its model, its engine rule and one registry entry (CONTRIBUTING.md, "Een documentsoort
toevoegen"): a toy kind, registered by this test only, round-trips through the store, the REST API and the pages —
with versions, compare, exports, its explanation, and its confidential field hidden from viewers — without a line
of store, API or page code of its own."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import yaml
from fastapi.testclient import TestClient
from tests.web.form_helpers import confirm_upload

from opengrex.engine.explain import Explanation, Input, explanation, rule
from opengrex.errors import InputError
from opengrex.formatting import eur
from opengrex.io.documents import Locator, build_model, parse_text, read_document
from opengrex.model.base import StrictModel, veld
from opengrex.services import documents
from opengrex.services.kinds import KINDS, DocumentKind, Headline, register, unregister
from opengrex.store import repository as repo
from opengrex.store.users import add_user
from opengrex.web.app import create_app
from opengrex.web.settings import Settings


# ---------------------------------------------------------------------------------------------- 1. the engine rule
@rule("Opgerent bedrag", formule="bedrag × (1 + rente) ^ jaren", bron="CONTRIBUTING.md, voorbeeld van een documentsoort")
def opgerent(bedrag, rente, jaren):
    """Bedrag na ``jaren`` jaar samengestelde rente [EUR]; vectorised over any leading axes."""
    return np.asarray(bedrag, dtype=np.float64) * (1.0 + np.asarray(rente, dtype=np.float64)) ** np.asarray(jaren)


# ---------------------------------------------------------------------------------------------- 2. the model
class Spaarpot(StrictModel):
    naam: str = veld(label="Naam", min_length=1)
    bedrag: float = veld(label="Bedrag", eenheid="EUR", ge=0)
    rente: float = veld(0.02, label="Rente", eenheid="%", gt=-1)
    jaren: int = veld(10, label="Looptijd", eenheid="jaar", ge=0, le=100)
    notitie: str = veld("", label="Notitie", vertrouwelijk=True)


# ---------------------------------------------------------------------------------------------- 3. the service
@dataclass
class SpaarpotResult:
    spaarpot: Spaarpot
    eindbedrag: float


def load_spaarpot(path: Path) -> Spaarpot:
    data, locator = read_document(path)
    return build_model(Spaarpot, data, locator)


def spaarpot_from_text(text: str, source: str) -> Spaarpot:
    data, locator = parse_text(text, source)
    return build_model(Spaarpot, data, locator)


def calculate_spaarpot(s: Spaarpot) -> SpaarpotResult:
    return SpaarpotResult(s, float(opgerent(s.bedrag, s.rente, s.jaren)))


def explain_spaarpot(r: SpaarpotResult, kengetal: str) -> Explanation:
    if kengetal != "eindbedrag":
        raise InputError("onbekend kengetal", field="kengetal", value=kengetal, allowed="eindbedrag")
    s = r.spaarpot
    return explanation("eindbedrag", opgerent, r.eindbedrag, "EUR nominaal",
                       invoer=[Input("bedrag", s.bedrag, "EUR"), Input("rente", s.rente, "%"), Input("jaren", s.jaren, "jaar")])


# ---------------------------------------------------------------------------------------------- 4. one registry entry
SPAARPOT = DocumentKind[Spaarpot, SpaarpotResult](
    name="spaarpot", label="Spaarpot", meervoud="Spaarpotten", model=Spaarpot,
    load=load_spaarpot, from_data=lambda d, s: build_model(Spaarpot, d, Locator(s)), from_text=spaarpot_from_text,
    to_data=lambda m: m.model_dump(mode="json"), calculate=calculate_spaarpot,
    summary=lambda r: {"naam": r.spaarpot.naam, "eindbedrag": r.eindbedrag, "eenheid": "EUR nominaal"},
    explain=explain_spaarpot, kengetallen=("eindbedrag",),
    headlines=(Headline("eindbedrag", "Eindbedrag", "EUR nominaal", lambda r: r.eindbedrag),),
)

POT = {"naam": "Potje voor de speeltuin", "bedrag": 10_000.0, "rente": 0.03, "jaren": 5, "notitie": "GEHEIM-toegezegd aan de wethouder"}
EXPECTED = 10_000.0 * 1.03 ** 5


@pytest.fixture
def toy_app(tmp_path):
    register(SPAARPOT)
    try:
        app = create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'toy.db'}", auth=True, secret_key="test-geheim"))
        with app.state.db.transaction() as s:
            add_user(s, name="eva", password="editor-wachtwoord", role="editor")
            add_user(s, name="victor", password="viewer-wachtwoord", role="viewer")
        yield app
        app.state.db.dispose()
    finally:
        unregister("spaarpot")


def login(app, name: str, password: str) -> tuple[TestClient, str]:
    c = TestClient(app)
    r = c.post("/api/auth/login", json={"name": name, "password": password})
    assert r.status_code == 200, r.text
    return c, r.json()["csrf_token"]


def test_store_round_trip(toy_app):
    with toy_app.state.db.transaction() as s:
        doc = documents.create(s, kind="spaarpot", data=POT, author="eva")
        documents.save_version(s, document_id=doc.id, data=POT | {"jaren": 6}, author="eva", base_version=1)
    with toy_app.state.db.transaction() as s:
        doc = repo.get_document(s, document_id=doc.id, kind="spaarpot")
        assert doc.current_version == 2 and doc.name == POT["naam"]
        assert doc.headline["eindbedrag"] == pytest.approx(10_000.0 * 1.03**6)
        cmp = documents.compare_versions(s, document_id=doc.id, a=1, b=2)
        assert [(c["pad"], c["oud"], c["nieuw"]) for c in cmp["velden"]] == [("jaren", 5, 6)]
        assert [d.kind for d in documents.list_documents(s, kind="spaarpot")] == ["spaarpot"]


def test_api_round_trip(toy_app):
    editor, token = login(toy_app, "eva", "editor-wachtwoord")
    r = editor.post("/api/spaarpot", json={"data": POT, "comment": "eerste"})
    assert r.status_code == 201, r.text
    doc_id = r.json()["id"]
    assert r.json()["headline"]["eindbedrag"] == pytest.approx(EXPECTED)
    assert editor.get(f"/api/spaarpot/{doc_id}").json()["data"] == POT
    assert editor.post(f"/api/spaarpot/{doc_id}/calculate", headers={"X-CSRF-Token": token}).json() == {"naam": POT["naam"], "eindbedrag": pytest.approx(EXPECTED), "eenheid": "EUR nominaal"}
    u = editor.get(f"/api/spaarpot/{doc_id}/uitleg", params={"kengetal": "eindbedrag"}).json()
    assert u["waarde"] == pytest.approx(EXPECTED) and u["regel"]["functie"].endswith("test_toy_kind.opgerent") and u["regel"]["formule"] == "bedrag × (1 + rente) ^ jaren"
    assert editor.get(f"/api/spaarpot/{doc_id}/uitleg", params={"kengetal": "winst"}).json()["detail"]["field"] == "kengetal"
    exported = editor.get(f"/api/spaarpot/{doc_id}/export.yaml")
    assert yaml.safe_load(exported.text) == POT
    again = editor.post("/api/spaarpot/upload", files={"file": ("terug.yaml", exported.content, "application/yaml")}, headers={"X-CSRF-Token": token})
    assert again.status_code == 201 and again.json()["headline"] == r.json()["headline"]
    bad = editor.post("/api/spaarpot/upload", files={"file": ("fout.yaml", b"naam: x\nbedrag: -1\n", "application/yaml")}, headers={"X-CSRF-Token": token})
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "bedrag" and "regel 2" in bad.json()["detail"]["location"]
    assert editor.put(f"/api/spaarpot/{doc_id}", json={"data": POT | {"bedrag": 20_000.0}, "base_version": 1}).status_code == 200
    cmp = editor.get(f"/api/spaarpot/{doc_id}/compare", params={"a": 1, "b": 2}).json()
    assert cmp["resultaten"]["eindbedrag"]["verschil"] == pytest.approx(EXPECTED)
    kinds = {k["kind"]: k for k in editor.get("/api/kinds").json()}
    assert kinds["spaarpot"]["vertrouwelijk"] == ["notitie"] and kinds["spaarpot"]["kengetallen"] == ["eindbedrag"]
    paths = editor.get("/openapi.json").json()["paths"]
    assert {"/api/spaarpot", "/api/spaarpot/{document_id}/calculate", "/api/spaarpot/{document_id}/uitleg", "/api/spaarpot/{document_id}/export.json"} <= set(paths)
    # viewers see the figures, never the confidential note
    viewer, vtoken = login(toy_app, "victor", "viewer-wachtwoord")
    for url in (f"/api/spaarpot/{doc_id}", f"/api/spaarpot/{doc_id}/export.yaml", f"/api/spaarpot/{doc_id}/versions/1", f"/api/spaarpot/{doc_id}/compare?a=1&b=2"):
        assert "GEHEIM" not in viewer.get(url).text, url
    assert viewer.get(f"/api/spaarpot/{doc_id}").json()["headline"]["eindbedrag"] == pytest.approx(2 * EXPECTED)


def test_pages_round_trip(toy_app):
    editor, token = login(toy_app, "eva", "editor-wachtwoord")
    assert 'href="/spaarpot"' in editor.get("/").text and "Spaarpotten" in editor.get("/").text  # in the menu
    assert 'value="spaarpot"' in editor.get("/upload").text
    r = editor.post("/upload", data={"soort": "spaarpot", "csrf_token": token}, files={"bestand": ("pot.yaml", yaml.safe_dump(POT).encode())}, follow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    doc_id = int(re.search(r"/spaarpot/(\d+)", r.headers["location"]).group(1))
    listing = editor.get("/spaarpot").text
    assert POT["naam"] in listing and f'href="/spaarpot/{doc_id}"' in listing
    page = editor.get(f"/spaarpot/{doc_id}").text
    assert eur(EXPECTED) in page and "Eindbedrag" in page and "bedrag × (1 + rente) ^ jaren" in page
    new = yaml.safe_dump(POT | {"jaren": 6}).encode()
    r = editor.post(f"/spaarpot/{doc_id}/nieuwe-versie", data={"base_version": "1", "csrf_token": token}, files={"bestand": ("v2.yaml", new)}, follow_redirects=False)
    assert "jaren" in r.text and editor.get(f"/spaarpot/{doc_id}/versie/2").status_code == 404  # previewed, not saved yet
    r = confirm_upload(editor, f"/spaarpot/{doc_id}", r)
    assert r.status_code == 303 and r.headers["location"] == f"/spaarpot/{doc_id}/versies?nieuw=2"
    assert "(huidig)" in editor.get(f"/spaarpot/{doc_id}/versies").text
    cmp = editor.get(f"/spaarpot/{doc_id}/versies/vergelijk", params={"a": 1, "b": 2}).text
    assert "Eindbedrag" in cmp and "jaren" in cmp
    assert eur(EXPECTED) in editor.get(f"/spaarpot/{doc_id}/versie/1").text
    assert yaml.safe_load(editor.get(f"/spaarpot/{doc_id}/download.yaml", params={"versie": 1}).text) == POT
    viewer, _ = login(toy_app, "victor", "viewer-wachtwoord")
    for url in (f"/spaarpot/{doc_id}", f"/spaarpot/{doc_id}/download.yaml", f"/spaarpot/{doc_id}/versies/vergelijk?a=1&b=2", f"/spaarpot/{doc_id}/download.json"):
        r = viewer.get(url)
        assert r.status_code == 200 and "GEHEIM" not in r.text, url


def test_the_kind_is_gone_after_unregister(tmp_path):
    assert "spaarpot" not in KINDS
    with TestClient(create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'x.db'}"))) as c:
        assert c.get("/api/spaarpot").status_code == 404
        assert c.get("/spaarpot").status_code == 404
        assert 'href="/spaarpot"' not in c.get("/").text
