"""The lifecycle through the REST API, the pages and the CLI: a closed grex refuses edits everywhere with the status
named (409), reopening is logged with its reason, delete goes to the bin (confirmation page) and back, duplicate,
archive, the audit trail (API and page), the kostenverhaal banner that follows or freezes a grex, viewers cannot act,
and the bin is purged at start-up."""
from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from urllib.parse import urlencode

import yaml
from fastapi.testclient import TestClient
from form_helpers import FormFields

from opengrex.cli import main
from opengrex.services import documents, lifecycle
from opengrex.services.kinds import get_kind
from opengrex.store import models
from opengrex.store.users import add_user
from opengrex.web.app import create_app
from opengrex.web.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def finished_grex() -> dict:
    """Fully realised in 2024, rente 0: costs 1000, revenues 1500: final result 500."""
    return {
        "naam": "Kerkpad", "prijspeil": "2024-01-01", "startjaar": 2024, "eindjaar": 2024, "timing": "end", "rente": 0.0, "disconteringsvoet": 0.02,
        "gerealiseerd_tot_en_met": 2024, "indexreeksen": {"geen": 0.0},
        "kosten": [{"naam": "Alles", "kostensoort": "A2", "bedrag": 0.0, "indexreeks": "geen", "fasering": {2024: 1.0}, "gerealiseerd": {2024: 1000.0}}],
        "opbrengsten": [{"naam": "Kavels", "opbrengstsoort": "gronduitgifte_woningbouw", "bedrag": 0.0, "indexreeks": "geen", "fasering": {2024: 1.0}, "gerealiseerd": {2024: 1500.0}}],
    }


def closed(client) -> int:
    r = client.post("/api/grex", json={"data": finished_grex(), "bbv_status": "in_exploitatie", "comment": "eindstand"})
    assert r.status_code == 201, r.text
    gid = r.json()["id"]
    r = client.post(f"/api/grex/{gid}/afsluiten", json={"toelichting": "project gereed", "datum": "2025-02-01"})
    assert r.status_code == 200, r.text
    lc = r.json()["levenscyclus"]
    assert (r.json()["bbv_status"], lc["bewerkbaar"], lc["afsluiting"]["eindresultaat"], lc["afsluiting"]["winst_slot"]) == ("afgesloten", False, 500.0, 500.0)
    return gid


# ---------------------------------------------------------------------------------------------- closed grex: API, page, CLI
def test_closed_grex_refuses_edits_in_the_api(client):
    gid = closed(client)
    r = client.put(f"/api/grex/{gid}", json={"data": finished_grex()})
    assert r.status_code == 409
    d = r.json()["detail"]
    assert (d["field"], d["value"]) == ("status", "afgesloten") and "afgesloten" in d["message"] and "heropen" in d["allowed"]
    r = client.post(f"/api/grex/{gid}/upload", files={"file": ("g.yaml", yaml.safe_dump(finished_grex()).encode(), "application/yaml")})
    assert r.status_code == 409 and r.json()["detail"]["value"] == "afgesloten"
    assert client.delete(f"/api/grex/{gid}").status_code == 409
    assert client.post(f"/api/grex/{gid}/heropenen", json={"reden": ""}).status_code == 422
    assert client.get(f"/api/grex/{gid}").json()["current_version"] == 1
    r = client.post(f"/api/grex/{gid}/heropenen", json={"reden": "nagekomen kosten"})
    assert r.status_code == 200 and r.json()["bbv_status"] == "in_exploitatie" and r.json()["levenscyclus"]["afsluiting"] is None
    assert client.put(f"/api/grex/{gid}", json={"data": finished_grex(), "comment": "kosten erbij"}).json()["number"] == 2
    trail = client.get(f"/api/grex/{gid}/audit").json()
    assert [(e["actie"], e["versie"]) for e in trail] == [("aanmaken", 1), ("afsluiten", 1), ("heropenen", 1), ("nieuwe_versie", 2)]
    assert trail[0]["toelichting"] == "eindstand" and trail[1]["toelichting"] == "project gereed"
    assert trail[2]["toelichting"] == "nagekomen kosten" and trail[2]["details"]["eindresultaat_vervallen"] == 500.0
    assert trail[3]["toelichting"] == "kosten erbij" and all(e["door"] == "lokaal" for e in trail)


def test_closed_grex_refuses_edits_in_the_page(client):
    gid = closed(client)
    page = client.get(f"/grex/{gid}")
    assert page.status_code == 200
    assert 'id="niet-bewerkbaar"' in page.text and "afgesloten" in page.text and 'id="opslaan"' not in page.text
    assert 'id="actie-heropenen"' in page.text and 'id="actie-verwijderen"' not in page.text and "eindresultaat" in page.text
    items = FormFields.of("grex", get_kind("grex").validate(finished_grex())).items + [("base_version", "1")]
    r = client.post(f"/grex/{gid}/opslaan", content=urlencode(items), headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 409 and "Niet opgeslagen" in r.text and "afgesloten" in r.text
    r = client.post(f"/grex/{gid}/nieuwe-versie", files={"bestand": ("g.yaml", yaml.safe_dump(finished_grex()).encode(), "application/yaml")})
    assert r.status_code == 409 and "afgesloten" in r.text
    versions = client.get(f"/grex/{gid}/versies")
    assert 'id="nieuwe-versie-form"' not in versions.text and 'id="niet-bewerkbaar"' in versions.text
    # heropenen: the form asks for a reason; without one nothing changes
    assert 'id="heropenen-form"' in client.get(f"/grex/{gid}/heropenen").text
    r = client.post(f"/grex/{gid}/heropenen", data={"reden": " "})
    assert r.status_code == 422 and "reden" in r.text and client.get(f"/api/grex/{gid}").json()["bbv_status"] == "afgesloten"
    r = client.post(f"/grex/{gid}/heropenen", data={"reden": "grond bleek vervuild"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/grex/{gid}?actie=heropenen"
    assert "Heropend" in client.get(r.headers["location"]).text
    audit = client.get(f"/grex/{gid}/audit")
    assert audit.status_code == 200 and "grond bleek vervuild" in audit.text and "Heropend" in audit.text
    assert "eindresultaat € 500" in audit.text and "geboekt eindresultaat € 500 vervalt" in audit.text


def test_closed_grex_refuses_edits_in_the_cli(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    path = tmp_path / "kerkpad.yaml"
    path.write_text(yaml.safe_dump(finished_grex()), encoding="utf-8")
    from opengrex.store.db import Database

    db = Database(url)
    db.upgrade()
    with db.transaction() as s:
        gid = documents.create(s, kind="grex", data=finished_grex(), bbv_status="in_exploitatie").id
    db.dispose()
    assert main(["db", "afsluiten", str(gid), "--url", url, "--door", "controller", "--datum", "2025-02-01"]) == 0
    assert "eindresultaat € 500" in capsys.readouterr().out
    assert main(["db", "nieuwe-versie", str(gid), str(path), "--url", url]) == 2
    err = capsys.readouterr().err
    assert "afgesloten" in err and "heropen" in err
    assert main(["db", "heropenen", str(gid), "--url", url]) == 2  # --reden is required
    capsys.readouterr()
    assert main(["db", "heropenen", str(gid), "--reden", "nagekomen kosten", "--url", url, "--door", "wethouder"]) == 0
    assert main(["db", "nieuwe-versie", str(gid), str(path), "--toelichting", "na heropenen", "--url", url]) == 0
    capsys.readouterr()
    assert main(["db", "audit", str(gid), "--json", "--url", url]) == 0
    trail = json.loads(capsys.readouterr().out)
    assert [(e["actie"], e["door"]) for e in trail][1:] == [("afsluiten", "controller"), ("heropenen", "wethouder"), ("nieuwe_versie", trail[-1]["door"])]
    assert trail[2]["toelichting"] == "nagekomen kosten" and trail[-1]["toelichting"] == "na heropenen"


# ---------------------------------------------------------------------------------------------- bin, archive, duplicate
def test_delete_with_confirmation_restore_and_duplicate_in_the_pages(client, demo_data):
    gid = client.post("/api/grex", json={"data": demo_data}).json()["id"]
    confirm = client.get(f"/grex/{gid}/verwijderen")
    assert confirm.status_code == 200 and "prullenbak" in confirm.text and "30 dagen" in confirm.text and 'id="bevestig-verwijderen"' in confirm.text
    r = client.post(f"/grex/{gid}/verwijderen", data={"toelichting": "dubbel"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/prullenbak?verwijderd={gid}"
    gone = client.get(f"/grex/{gid}")
    assert gone.status_code == 404 and "prullenbak" in gone.text
    assert client.get(f"/api/grex/{gid}").status_code == 404
    bin_ = client.get("/prullenbak")
    assert f'id="herstel-{gid}"' in bin_.text and "nog 30 dagen" in bin_.text and "De Hoge Akker" in bin_.text
    assert [d["id"] for d in client.get("/api/prullenbak").json()] == [gid]
    assert client.post(f"/grex/{gid}/herstellen", follow_redirects=False).headers["location"] == f"/grex/{gid}?actie=herstellen"
    assert client.get(f"/grex/{gid}").status_code == 200 and client.get("/api/prullenbak").json() == []
    r = client.post(f"/grex/{gid}/dupliceren", follow_redirects=False)
    copy_id = int(r.headers["location"].split("/")[2].split("?")[0])
    dup = client.get(f"/api/grex/{copy_id}").json()
    assert dup["name"] == "Kopie van De Hoge Akker (demo)" and dup["current_version"] == 1
    assert client.post(f"/grex/{gid}/archiveren", follow_redirects=False).status_code == 303
    page = client.get(f"/grex/{gid}")
    assert 'id="actie-dearchiveren"' in page.text and "gearchiveerd" in page.text
    assert client.put(f"/api/grex/{gid}", json={"data": demo_data}).json()["detail"]["value"] == "gearchiveerd"
    trail = [e["actie"] for e in client.get(f"/api/grex/{gid}/audit").json()]
    assert trail == ["aanmaken", "verwijderen", "herstellen", "dupliceren", "archiveren"]


def test_api_delete_restore_archive_duplicate(client, demo_data):
    gid = client.post("/api/grex", json={"data": demo_data}).json()["id"]
    assert client.delete(f"/api/grex/{gid}", params={"toelichting": "weg"}).status_code == 204
    assert client.get(f"/api/grex/{gid}").json()["detail"]["message"].startswith(f"grex {gid} staat in de prullenbak")
    assert client.post(f"/api/grex/{gid}/herstellen").json()["levenscyclus"]["verwijderd_op"] is None
    assert client.post(f"/api/grex/{gid}/herstellen").status_code == 409
    assert client.post(f"/api/grex/{gid}/archiveren").json()["status"] == "gearchiveerd"
    assert [d["id"] for d in client.get("/api/grex", params={"status": "gearchiveerd"}).json()] == [gid]
    assert client.get("/api/grex", params={"status": "actief"}).json() == []
    assert client.post(f"/api/grex/{gid}/dearchiveren").json()["status"] == "actief"
    r = client.post(f"/api/grex/{gid}/dupliceren", json={"toelichting": "variant"})
    assert r.status_code == 201 and r.json()["name"].startswith("Kopie van") and r.json()["bbv_status"] == "in_voorbereiding"
    assert client.post("/api/grex/424242/archiveren").status_code == 404
    assert client.post(f"/api/grex/{gid}/openen").json()["bbv_status"] == "in_exploitatie"
    assert client.post(f"/api/grex/{gid}/openen").status_code == 409
    r = client.post(f"/api/grex/{gid}/afsluiten", json={})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "gerealiseerd_tot_en_met"


# ---------------------------------------------------------------------------------------------- kostenverhaal follows a grex
def kostenverhaal_with(grex_id: int, **ref) -> dict:
    k = get_kind("kostenverhaal")
    data = k.to_data(k.load(ROOT / "examples" / "kostenverhaal" / "met-grex.yaml"))
    data["initiatiefnemer"]["grex"] = {"grex_document": {"id": grex_id, **ref}, "basis": "contante_waarde"}
    return data


def test_kostenverhaal_banner_follows_or_offers_to_update(client, demo_data):
    gid = client.post("/api/grex", json={"data": demo_data}).json()["id"]
    follows = client.post("/api/kostenverhaal", json={"data": kostenverhaal_with(gid, volgt=True)}).json()
    frozen = client.post("/api/kostenverhaal", json={"data": kostenverhaal_with(gid, versie=1)}).json()
    assert follows["koppelingen"][0] | {"melding": ""} == {"pad": "initiatiefnemer.grex.grex_document", "document_id": gid, "versie": 1, "volgt": True,
                                                          "kind": "grex", "naam": "De Hoge Akker (demo)", "huidige_versie": 1, "actueel": True,
                                                          "bestaat": True, "status": "actief", "bbv_status": "in_voorbereiding", "melding": ""}
    changed = copy.deepcopy(demo_data)
    changed["kosten"][0]["bedrag"] = 1_000_000
    assert client.put(f"/api/grex/{gid}", json={"data": changed, "base_version": 1}).status_code == 200
    # the follower took version 2 (a new version of its own), the frozen one says which version it froze
    f = client.get(f"/api/kostenverhaal/{follows['id']}").json()
    assert f["current_version"] == 2 and f["koppelingen"][0]["versie"] == 2 and f["koppelingen"][0]["actueel"]
    assert f["headline"] != follows["headline"]
    z = client.get(f"/api/kostenverhaal/{frozen['id']}").json()
    assert (z["current_version"], z["koppelingen"][0]["versie"], z["koppelingen"][0]["huidige_versie"], z["koppelingen"][0]["actueel"]) == (1, 1, 2, False)
    page = client.get(f"/kostenverhaal/{frozen['id']}")
    assert "Bevroren op versie 1 van grondexploitatie &#39;De Hoge Akker (demo)&#39;" in page.text and "de huidige is versie 2" in page.text
    assert 'id="koppeling-bijwerken-1"' in page.text and "Bijwerken naar versie 2" in page.text
    assert "volgt de huidige versie" in client.get(f"/kostenverhaal/{follows['id']}").text
    assert 'id="verwijzers"' in client.get(f"/grex/{gid}").text  # the grex says who uses it
    r = client.post(f"/kostenverhaal/{frozen['id']}/koppelingen/bijwerken", follow_redirects=False)
    assert r.status_code == 303
    z = client.get(f"/api/kostenverhaal/{frozen['id']}/koppelingen").json()
    assert (z[0]["versie"], z[0]["actueel"], z[0]["volgt"]) == (2, True, False)
    assert client.post(f"/api/kostenverhaal/{frozen['id']}/koppelingen/bijwerken").status_code == 422  # nothing to update
    # a kostenverhaal naming only the reference, uploaded as a file, is resolved by the store
    text = yaml.safe_dump(kostenverhaal_with(gid, volgt=True), allow_unicode=True)
    r = client.post("/api/kostenverhaal/upload", files={"file": ("kv.yaml", text.encode(), "application/yaml")})
    assert r.status_code == 201, r.text
    assert r.json()["data"]["initiatiefnemer"]["grex"]["inline"]["kosten"][0]["bedrag"] == 1_000_000


# ---------------------------------------------------------------------------------------------- roles, start-up purge
def test_viewers_cannot_act_and_startup_purges_the_bin(tmp_path, monkeypatch, demo_data):
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'r.db'}", auth=True, secret_key="test-geheim")
    app = create_app(settings)
    with app.state.db.transaction() as s:
        add_user(s, name="victor", password="viewer-wachtwoord", role="viewer")
        gid = documents.create(s, kind="grex", data=demo_data, author="eva").id
        old = documents.create(s, kind="grex", data=demo_data | {"naam": "Oud"}, author="eva").id
    viewer = TestClient(app)
    token = viewer.post("/api/auth/login", json={"name": "victor", "password": "viewer-wachtwoord"}).json()["csrf_token"]
    h = {"X-CSRF-Token": token}
    for action in ("archiveren", "dupliceren", "herstellen", "openen"):
        assert viewer.post(f"/api/grex/{gid}/{action}", headers=h).status_code == 403, action
    assert viewer.delete(f"/api/grex/{gid}", headers=h).status_code == 403
    assert viewer.post(f"/grex/{gid}/archiveren", data={"csrf_token": token}).status_code == 403
    page = viewer.get(f"/grex/{gid}").text
    assert 'id="status"' in page and 'id="actie-archiveren"' not in page and 'id="actie-verwijderen"' not in page
    assert viewer.get(f"/api/grex/{gid}/audit").status_code == 200
    # deleted 31 days ago (frozen clock), the next start purges it
    monkeypatch.setattr(models, "utcnow", lambda: dt.datetime.now(dt.UTC) - dt.timedelta(days=31))
    with app.state.db.transaction() as s:
        lifecycle.delete(s, document_id=old, actor="eva")
    monkeypatch.undo()
    app.state.db.dispose()
    app2 = create_app(settings)
    with app2.state.db.transaction() as s:
        assert lifecycle.bin_contents(s) == [] and [e["actie"] for e in lifecycle.audit_trail(s, document_id=old)][-1] == "opschonen"
        assert lifecycle.audit_trail(s, document_id=old)[-1]["door"] == "opengrex (opstarten)"
    app2.state.db.dispose()


def test_opschonen_from_the_cli_and_the_api(tmp_path, monkeypatch, capsys, client, demo_data):
    gid = client.post("/api/grex", json={"data": demo_data}).json()["id"]
    monkeypatch.setattr(models, "utcnow", lambda: dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert client.delete(f"/api/grex/{gid}").status_code == 204
    monkeypatch.setattr(models, "utcnow", lambda: dt.datetime(2026, 1, 30, tzinfo=dt.UTC))
    assert client.post("/api/prullenbak/opschonen").json() == {"verwijderd": []}
    monkeypatch.setattr(models, "utcnow", lambda: dt.datetime(2026, 2, 1, tzinfo=dt.UTC))
    url = str(client.app.state.db.engine.url)
    assert main(["db", "opschonen", "--url", url]) == 0
    assert f"definitief verwijderd: grex {gid} (De Hoge Akker (demo))" in capsys.readouterr().out
    assert client.get("/api/health").json()["versions"] == 0
    assert client.get(f"/api/grex/{gid}/audit").json()[-1]["actie"] == "opschonen"
    assert client.get(f"/grex/{gid}/audit").status_code == 200  # the trail of a purged document stays readable
