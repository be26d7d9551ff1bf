"""REST API (``/api/gebied``, ``/api/governance``) and pages (``/gebied``, ``/governance``): stateless, public or
confidential by role and flag, links inline or by stored id, errors as 422 with the field."""
from __future__ import annotations

import io
import json

import openpyxl
import pytest
import yaml
from fastapi.testclient import TestClient
from tests.gebied.fixtures_gebied import DEMO as GEBIED_DEMO  # the star import below brings the grex DEMO
from tests.gebied.fixtures_gebied import SET_B, tiny
from tests.web.fixtures_pages import *  # noqa: F401,F403
from tests.web.fixtures_pages import screenshot

from opengrex.services import gebied as api
from opengrex.web.app import create_app
from opengrex.web.settings import Settings


def make_client(tmp_path, auth: bool = False) -> TestClient:
    app = create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'g.db'}", auth=auth, max_upload=5 * 1024 * 1024))
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def web(tmp_path):
    with make_client(tmp_path) as c:
        yield c


@pytest.fixture(scope="module")
def demo_doc() -> dict:
    return api.gebied_to_dict(api.load_gebied(GEBIED_DEMO), embed=True)


def test_bereken_json_and_upload(web, demo_doc):
    r = web.post("/api/gebied/bereken", json=demo_doc)
    assert r.status_code == 200
    d = r.json()
    assert d["variant"] == "vertrouwelijk" and d["samenvatting"]["gebied_nominaal"] == pytest.approx(-11_186_009, abs=1)
    assert d["transacties"][0]["prijs"] == 21_637_500
    r = web.post("/api/gebied/bereken?openbaar=true&regelset=" + SET_B, files={"bestand": ("g.yaml", yaml.safe_dump(demo_doc, allow_unicode=True).encode(), "application/yaml")})
    assert r.status_code == 200
    d = r.json()
    assert d["variant"] == "openbaar" and d["regelset"] == SET_B and "transacties" not in d
    assert {p["id"]: p["totaal"] for p in d["partijen"]}["corporatie"] == "vertrouwelijk"
    r = web.post("/api/gebied/bereken?onderdelen=samenvatting,fonds", json=demo_doc)
    assert set(r.json()) >= {"samenvatting", "fonds"} and "partijen" not in r.json()


def test_errors_are_422_naming_the_field(web, demo_doc):
    bad = json.loads(json.dumps(demo_doc))
    bad["posten"][0]["partij"] = "onbekend"
    r = web.post("/api/gebied/bereken", json=bad)
    assert r.status_code == 422 and r.json()["detail"]["field"] == "posten[0].partij" and "onbekende partij" in r.json()["detail"]["message"]
    d = tiny()
    d["programmaprojecten"][0]["bron"] = {"bestand": "/etc/passwd"}
    d["kostenverhaal"] = []
    r = web.post("/api/gebied/bereken", json=d)
    assert r.status_code == 422 and "niet toegestaan" in r.json()["detail"]["message"]
    r = web.post("/api/gebied/bereken?openbaar=true&onderdelen=transacties", json=demo_doc)
    assert r.status_code == 422 and "vertrouwelijke veld transacties[].prijs" in r.json()["detail"]["message"]
    r = web.post("/api/gebied/bereken", content=b"{kapot", headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "body"
    r = web.post("/api/gebied/bereken", files={"bestand": ("g.txt", b"x", "text/plain")})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "bestand"


def test_export_verklaar_vergelijk_regeltypen(web, demo_doc):
    r = web.post("/api/gebied/export?openbaar=true", json=demo_doc)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert wb["Transacties"]["E4"].value == "vertrouwelijk"
    r = web.post("/api/gebied/verklaar?kengetal=fonds", json=demo_doc)
    assert r.status_code == 200 and r.json()["waarde"] == pytest.approx(661_607, abs=1)
    r = web.post("/api/gebied/vergelijk?varieer=Gebiedsbijdrage.tarief.wonen=0:90:10", json=demo_doc)
    assert r.status_code == 200 and len(r.json()["rijen"]) == 10
    assert [t["type"] for t in web.get("/api/gebied/regeltypen").json()][0] == "inbrengwaarde"


def test_stored_documents_are_resolved_by_id(web):
    """A link by document id is resolved from the store (as the user may see it)."""
    from tests.gebied.fixtures_gebied import tiny_resolver

    from opengrex.services.programma import programme_to_dict

    prog = programme_to_dict(tiny_resolver("programma", 7, None))
    r = web.post("/api/programma", json={"data": prog})
    assert r.status_code in (200, 201), r.text
    doc_id = r.json()["id"]
    d = tiny()
    d["programmaprojecten"][0]["bron"] = {"document": doc_id}
    d["kostenverhaal"] = []
    r = web.post("/api/gebied/bereken", json=d)
    assert r.status_code == 200, r.text
    assert r.json()["verwijzingen"][0]["kosten"] == pytest.approx(-200)
    d["programmaprojecten"][0]["bron"] = {"document": 9999}
    assert web.post("/api/gebied/bereken", json=d).status_code == 404


def test_viewers_get_only_the_public_variant(tmp_path, demo_doc):
    from opengrex.store.users import add_user

    with make_client(tmp_path, auth=True) as c:
        with c.app.state.db.transaction() as s:
            add_user(s, name="lezer", password="geheim-wachtwoord-1", role="viewer")
        assert c.post("/api/auth/login", json={"name": "lezer", "password": "geheim-wachtwoord-1"}).status_code == 200
        r = c.post("/api/gebied/bereken", json=demo_doc)
        assert r.status_code == 200 and r.json()["variant"] == "openbaar"
        r = c.post("/api/gebied/bereken?openbaar=false", json=demo_doc)
        assert r.status_code == 403 and r.json()["detail"]["field"] == "openbaar"
        assert "21.637.500" not in c.get("/gebied/demo").text
        assert "Openbare versie (Woo)" in c.get("/gebied/demo").text


def test_governance_api(web):
    boom = web.get("/api/governance/boom").json()
    assert "infra_nodig" in boom["vragen"]
    r = web.post("/api/governance", json={"infra_nodig": "nee", "collectief_nodig": "nee", "gemeente_eigenaar": "ja"})
    assert r.status_code == 200 and r.json()["klaar"] and r.json()["aanbeveling"] == "Publieke tender(s)"
    r = web.post("/api/governance", json={"infra_nodig": "soms"})
    assert r.status_code == 422 and r.json()["detail"]["allowed"] == "ja, nee"


def test_pages_demo_public_and_confidential(web):
    r = web.get("/gebied/berekenen")
    assert r.status_code == 200 and 'id="demo"' in r.text
    r = web.get("/gebied/demo")
    assert r.status_code == 200 and "Vertrouwelijk – niet openbaar maken" in r.text and "grafiek-spelregels" in r.text
    assert "21.637.500" in r.text and "tabel-marges" in r.text
    r = web.get("/gebied/demo", params={"openbaar": "1", "regelset": SET_B})
    assert r.status_code == 200 and "Openbare versie (Woo)" in r.text and "21.637.500" not in r.text and "tabel-marges" not in r.text
    assert SET_B in r.text
    charts = json.loads(r.text.split('id="grafiekdata">', 1)[1].split("</script>", 1)[0])
    assert charts["grafiek-spelregels"]["data"][0]["type"] == "sankey"
    assert charts["grafiek-fonds"]["data"][-1]["name"] == "Saldo 31-12"


def test_page_upload_export_and_error(web, demo_doc):
    r = web.post("/gebied/berekenen", files={"bestand": ("gebied.yaml", yaml.safe_dump(demo_doc, allow_unicode=True).encode(), "application/yaml")}, data={"openbaar": "1"})
    assert r.status_code == 200 and "Openbare versie (Woo)" in r.text
    doc = r.text.split('<textarea name="document" hidden>', 1)[1].split("</textarea>", 1)[0]
    import html as h

    r = web.post("/gebied/export", data={"document": h.unescape(doc), "openbaar": "1"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    bad = json.loads(json.dumps(demo_doc))
    bad["risicos"][0]["dragers"] = {"gemeente": 0.5}
    r = web.post("/gebied/berekenen", files={"bestand": ("gebied.yaml", yaml.safe_dump(bad, allow_unicode=True).encode(), "application/yaml")})
    assert r.status_code == 422 and "tellen op tot 50%, niet tot 100%" in r.text


def test_governance_page_steps_back_and_result(web):
    r = web.get("/governance")
    assert r.status_code == 200 and "Is binnen de opgave een grote infrastructurele investering nodig?" in r.text
    hx = {"HX-Request": "true"}
    state = "{}"
    for vraag, antwoord in (("infra_nodig", "ja"), ("infra_fysiek", "nee"), ("collectief_nodig", "nee"), ("gemeente_eigenaar", "nee"), ("aantal_eigenaren", "groot")):
        r = web.post("/governance", data={"antwoorden": state, "vraag": vraag, "antwoord": antwoord, "actie": "antwoord"}, headers=hx)
        assert r.status_code == 200 and "<html" not in r.text  # a partial for HTMX
        import html as h

        state = h.unescape(r.text.split('name="antwoorden" value="', 1)[1].split('"', 1)[0])
    r = web.post("/governance", data={"antwoorden": state, "actie": "terug"}, headers=hx)
    assert "Hoe ziet het speelveld van eigenaren eruit?" in r.text
    r = web.post("/governance", data={"antwoorden": state, "vraag": "deelgebieden", "antwoord": "ja", "actie": "antwoord"})
    assert r.status_code == 200 and "<html" in r.text  # without HTMX a full page
    assert "Aanbevolen vorm van de ontwikkelorganisatie: Publiek kader met ontwikkeling in deelgebieden" in r.text
    assert "separaat organiseren" in r.text and 'id="pad"' in r.text
    r = web.post("/governance", data={"antwoorden": state, "vraag": "deelgebieden", "antwoord": "soms", "actie": "antwoord"})
    assert r.status_code == 422 and "ongeldig antwoord" in r.text


@pytest.mark.browser
@pytest.mark.timeout(300)
def test_browser_gebied_charts_and_governance_steps(live_server, bpage):
    pg, base = bpage, live_server
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(base + "/gebied/berekenen")
    pg.click("#demo")
    pg.wait_for_selector("#grafiek-spelregels .main-svg")
    pg.wait_for_timeout(1500)  # let the Sankey finish drawing its links
    assert pg.locator("#grafiek-spelregels path.sankey-link").count() >= 5
    for chart in ("grafiek-fonds", "grafiek-partijen", "grafiek-spelregels"):
        assert pg.locator(f"#{chart} .main-svg").count() >= 1
    screenshot(pg, "gebied-demo", full_page=True)
    pg.select_option("#veld-set", SET_B)
    pg.click("#toon-set")
    pg.wait_for_selector("#tabel-spelregels >> text=Ontwikkelrechten")
    pg.wait_for_selector("#grafiek-spelregels .main-svg")
    pg.goto(base + "/governance")
    pg.check("#antwoord-eerste")
    pg.click("#volgende")
    pg.wait_for_selector("text=Is deze infrastructurele opgave fysiek")
    pg.click("#terug")
    pg.wait_for_selector("text=Is binnen de opgave een grote infrastructurele investering nodig?")
    for _ in range(12):
        if pg.locator("#advies").count():
            break
        pg.check("#antwoord-eerste")
        pg.click("#volgende")
        pg.wait_for_timeout(150)
    pg.wait_for_selector("#advies")
    assert "Aanbevolen vorm van de ontwikkelorganisatie: Publieke tender(s)" in pg.inner_text("#advies")
    screenshot(pg, "governance-advies", full_page=True)
    assert errors == []
