"""The BBV portfolio and the plankostenscan as stored document kinds (registry entries): through the store, the REST API
and the pages (list, detail, versions, compare, downloads, upload, menu), the jaarovergang of a stored portfolio from
its page and the API, and the stateless routes that stay (``/bbv``, ``/api/bbv``, ``/plankosten``, ``/api/plankosten``)."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
import yaml
from tests.web.form_helpers import confirm_upload

from opengrex.services.documents import load_demo

ROOT = Path(__file__).resolve().parents[2]
BBV = ROOT / "examples" / "bbv"


@pytest.fixture
def demo(client, app):
    with app.state.db.transaction() as s:
        load_demo(s)
    return client


def doc_id(client, kind: str, index: int = 0) -> int:
    return sorted(d["id"] for d in client.get(f"/api/{kind}").json())[index]


def test_menu_lists_the_new_kinds_from_the_registry(client):
    nav = client.get("/").text.split("</nav>")[0]
    assert 'href="/portefeuille"' in nav and "Portefeuilles (MPG)" in nav and 'href="/plankosten"' in nav and "Plankostenscans" in nav
    assert 'href="/bbv"' not in nav  # no longer an extra page: the stateless /bbv is linked from the portfolio list
    assert 'href="/bbv"' in client.get("/portefeuille").text


def test_portfolio_pages_versions_downloads(demo):
    pid = doc_id(demo, "portefeuille")
    d = demo.get(f"/api/portefeuille/{pid}").json()
    assert round(d["headline"]["ncw"]) == -3_736_768 and d["levenscyclus"]["status"] == "actief" and d["bbv_status"] is None
    page = demo.get(f"/portefeuille/{pid}")
    assert page.status_code == 200 and "€ -3.736.768" in page.text and 'id="grafiek-kasstroom"' in page.text and 'id="tabel-grexen"' in page.text
    assert 'id="form-jaarovergang"' in page.text and 'id="levenscyclus"' in page.text
    for key in ("xlsx", "openbaar.xlsx"):
        r = demo.get(f"/portefeuille/{pid}/download.{key}")
        assert r.status_code == 200 and zipfile.is_zipfile(io.BytesIO(r.content)), key
        assert demo.get(f"/api/portefeuille/{pid}/export.{key}").status_code == 200
    public = zipfile.ZipFile(io.BytesIO(demo.get(f"/portefeuille/{pid}/download.openbaar.xlsx").content))
    confidential = zipfile.ZipFile(io.BytesIO(demo.get(f"/portefeuille/{pid}/download.xlsx").content))
    assert len(public.namelist()) < len(confidential.namelist())  # the public variant has no sheets of lines
    assert demo.get(f"/api/portefeuille/{pid}/uitleg", params={"kengetal": "ncw:Havenfront"}).status_code == 200
    r = demo.get(f"/api/portefeuille/{pid}/uitleg", params={"kengetal": "ncw:Nergens"})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "kengetal" and "ncw:Havenfront" in r.json()["detail"]["allowed"]
    # a new version by upload (YAML export, one weerstandscapaciteit changed), compare shows it
    data = yaml.safe_load(demo.get(f"/api/portefeuille/{pid}/export.yaml").text)
    data["weerstandscapaciteit"] = 30_000_000.0
    r = demo.post(f"/portefeuille/{pid}/nieuwe-versie", files={"bestand": ("pf.yaml", yaml.safe_dump(data, allow_unicode=True).encode(), "application/yaml")},
                  data={"base_version": "1", "comment": "meer reserves"}, follow_redirects=False)
    assert "weerstandscapaciteit" in r.text  # the preview shows what changes; nothing is saved yet
    assert demo.get(f"/api/portefeuille/{pid}").json()["current_version"] == 1
    r = confirm_upload(demo, f"/portefeuille/{pid}", r)
    assert r.status_code == 303 and r.headers["location"] == f"/portefeuille/{pid}/versies?nieuw=2", r.text[:500]
    assert demo.get(f"/api/portefeuille/{pid}/versions").json()[-1]["comment"] == "meer reserves"
    cmp = demo.get(f"/api/portefeuille/{pid}/compare", params={"a": 1, "b": 2}).json()
    assert [c["pad"] for c in cmp["velden"]] == ["weerstandscapaciteit"]
    assert "weerstandscapaciteit" in demo.get(f"/portefeuille/{pid}/versies/vergelijk?a=1&b=2").text
    assert demo.get(f"/portefeuille/{pid}/versie/1").status_code == 200


def test_portfolio_jaarovergang_from_the_page_and_the_api(demo):
    pid = doc_id(demo, "portefeuille")
    ledger = (BBV / "grootboek-2024.csv").read_bytes()
    r = demo.post(f"/portefeuille/{pid}/jaarovergang", files={"grootboek": ("grootboek-2024.csv", ledger, "text/csv")}, data={"toelichting": "jaarrekening 2024"})
    assert r.status_code == 200 and "Jaarovergang 2024 opgeslagen: portefeuille versie 2" in r.text and 'id="tabel-jo-totalen"' in r.text
    d = demo.get(f"/api/portefeuille/{pid}").json()
    # README: the jaarovergang 2024 (no new index series here) moves the portfolio NCW; the stored valuation is at 31-12-2024
    assert d["current_version"] == 2 and d["data"]["balansjaar"] == 2024
    trail = demo.get(f"/api/portefeuille/{pid}/audit").json()
    assert trail[-1]["actie"] == "jaarovergang" and trail[-1]["toelichting"].endswith("jaarrekening 2024") and trail[-1]["details"]["jaar"] == 2024
    # applied twice: refused on the portfolio page, nothing written
    r = demo.post(f"/portefeuille/{pid}/jaarovergang", files={"grootboek": ("grootboek-2024.csv", ledger, "text/csv")}, data={"jaar": "2024"})
    assert r.status_code == 422 and 'id="jaarovergang-fouten"' in r.text and "al toegepast" in r.text
    assert demo.get(f"/api/portefeuille/{pid}").json()["current_version"] == 2
    # the API: jaarovergang 2025 with its ledger
    r = demo.post(f"/api/portefeuille/{pid}/jaarovergang", files={"grootboek": ("gb.csv", (BBV / "grootboek-2025.csv").read_bytes(), "text/csv")})
    assert r.status_code == 200, r.text[:500]
    out = r.json()
    assert out["jaar"] == 2025 and out["opgeslagen"]["portefeuille"] == {"id": pid, "versie": 3}
    t = out["totalen"]["ncw"]
    assert t["realisatie"] + t["herraming"] + t["timing"] + t["indexatie"] + t["rente"] == pytest.approx(t["verschil"], abs=1e-6)


def test_plankosten_stored_scans(demo):
    pid = doc_id(demo, "plankosten")
    d = demo.get(f"/api/plankosten/{pid}").json()
    assert round(d["headline"]["totaal"], 2) == 213_824.03 and d["name"]
    page = demo.get(f"/plankosten/{pid}")
    assert page.status_code == 200 and "€ 213.824" in page.text and 'id="levenscyclus"' in page.text
    assert zipfile.is_zipfile(io.BytesIO(demo.get(f"/plankosten/{pid}/download.xlsx").content))
    listing = demo.get("/plankosten")
    assert 'id="tabel-plankosten-opgeslagen"' in listing.text and f'href="/plankosten/{pid}"' in listing.text and "plankosten-form" in listing.text
    # the form result saved as a stored scan (the form of the plankosten page tests)
    import importlib.util

    spec = importlib.util.spec_from_file_location("plankosten_web_form", ROOT / "tests" / "plankosten" / "test_plankosten_web.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    r = demo.post("/plankosten", data=dict(module.FORM, actie="opslaan"), follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("?actie=aangemaakt")
    new = int(r.headers["location"].split("/")[2].split("?")[0])
    assert demo.get(f"/api/plankosten/{new}").json()["headline"]["totaal"] == pytest.approx(213_824.03, abs=0.005)
    assert demo.get(f"/api/plankosten/{new}/audit").json()[0]["toelichting"] == "berekend in het formulier"
    # the stateless routes stay
    plan = json.loads(json.dumps(yaml.safe_load((ROOT / "examples" / "plankosten" / "inbreiding-klein.yaml").read_text()), default=str))
    assert demo.post("/api/plankosten/bereken", json=plan).status_code == 200
    up = demo.post("/api/plankosten/bereken/bestand", files={"bestand": ("p.txt", b"x")})
    assert up.status_code == 422 and up.json()["detail"]["field"] == "bestand"
