"""Browser tests of the lifecycle and the overview (Debian's Chromium via Playwright, a real uvicorn server): the
overview as a portfolio with its chart, filters and sorting at 1366 px and on a 390 px phone (no horizontal page
scroll), a grex archived, duplicated, deleted with confirmation and restored from the bin by clicking, the audit
page of that history, and the kostenverhaal banner of a frozen grex reference. Screenshots in
test-artifacts/screenshots/ (20-… to 27-…)."""
from __future__ import annotations

import copy

import httpx
import pytest
from tests.web.fixtures_pages import *  # noqa: F401,F403
from tests.web.fixtures_pages import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

SIZES = {"1366": {"width": 1366, "height": 900}, "390": {"width": 390, "height": 844}}


def no_horizontal_scroll(pg) -> bool:
    return pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def load_demo(pg, base: str) -> None:
    pg.goto(base + "/")
    if pg.locator("#document-1").count() == 0:
        pg.click("#demo-laden")
        pg.wait_for_url(base + "/")


def test_overview_portfolio_at_1366_and_390(live_server, browser):
    base = live_server
    for size, viewport in SIZES.items():
        ctx = browser.new_context(viewport=viewport, locale="nl-NL")
        pg = ctx.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        load_demo(pg, base)
        pg.wait_for_selector("#grafiek-kasstroom .main-svg")
        assert "€ -2.671.670" in pg.inner_text("#totaal-ncw")
        assert pg.locator("#tabel-documenten tbody tr").count() >= 10
        assert no_horizontal_scroll(pg), size
        screenshot(pg, f"20-overzicht-{size}")
        # filter on kind and sort by NCW: the table follows
        pg.select_option("#filter-soort", "grex")
        pg.click("#filter-toepassen")
        pg.wait_for_url("**soort=grex**")
        assert pg.locator("#tabel-documenten tbody tr").count() == 1
        pg.goto(base + "/?sorteer=ncw&volgorde=op")
        first = pg.locator("#tabel-documenten tbody tr").first.inner_text()
        assert "NCW" in first or "Resultaat NCW" in first
        assert no_horizontal_scroll(pg), size
        screenshot(pg, f"21-overzicht-gesorteerd-{size}", full_page=False)
        assert errors == []
        ctx.close()


def test_archive_duplicate_delete_restore_and_audit_page(live_server, browser):
    base = live_server
    ctx = browser.new_context(viewport=SIZES["1366"], locale="nl-NL")
    pg = ctx.new_page()
    load_demo(pg, base)
    gid = next(d["id"] for d in httpx.get(base + "/api/grex").json() if d["name"] == "De Hoge Akker (demo)")
    pg.goto(f"{base}/grex/{gid}")
    pg.click("#actie-archiveren")
    pg.wait_for_selector("#actie-dearchiveren")
    assert "Gearchiveerd" in pg.inner_text("#status") and pg.locator("#opslaan").count() == 0
    pg.click("#actie-dearchiveren")
    pg.wait_for_selector("#actie-archiveren")
    pg.click("#actie-dupliceren")
    pg.wait_for_url("**actie=dupliceren")
    assert pg.inner_text("h1").startswith("Kopie van De Hoge Akker")
    copy_url = pg.url.split("?")[0]
    # delete the copy: confirmation page, then the bin, then restore
    pg.click("#actie-verwijderen")
    pg.wait_for_selector("#bevestig-verwijderen")
    assert "30 dagen" in pg.inner_text("main")
    screenshot(pg, "22-verwijderen-bevestigen", full_page=False)
    pg.fill("#veld-toelichting", "variant niet nodig")
    pg.click("#bevestig-verwijderen")
    pg.wait_for_url("**/prullenbak?verwijderd=*")
    copy_id = copy_url.rsplit("/", 1)[1]
    assert "nog 30 dagen" in pg.inner_text("#tabel-prullenbak")
    screenshot(pg, "23-prullenbak", full_page=False)
    pg.click(f"#herstel-{copy_id}")
    pg.wait_for_url(f"**/grex/{copy_id}?actie=herstellen")
    assert "Hersteld" in pg.inner_text("#actie-melding")
    # the original's audit trail, at 1366 px and on a phone
    pg.goto(f"{base}/grex/{gid}")
    pg.click("#link-audit")
    pg.wait_for_selector("#tabel-audit")
    text = pg.inner_text("#tabel-audit")
    for label in ("Aangemaakt", "Gearchiveerd", "Uit het archief gehaald", "Gedupliceerd"):
        assert label in text
    screenshot(pg, "24-audit-1366")
    phone = browser.new_context(viewport=SIZES["390"], locale="nl-NL").new_page()
    phone.goto(f"{base}/grex/{copy_id}/audit")
    assert "Naar de prullenbak" in phone.inner_text("#tabel-audit") and "variant niet nodig" in phone.inner_text("#tabel-audit")
    assert no_horizontal_scroll(phone)
    screenshot(phone, "25-audit-390")
    phone.goto(f"{base}/grex/{gid}")
    # the status bar fits the phone (the grex edit table itself is the form engine's: issue #11 item 10)
    assert phone.evaluate("document.querySelector('#levenscyclus').getBoundingClientRect().right <= window.innerWidth")
    screenshot(phone, "26-grex-status-390", full_page=False)
    phone.context.close()
    ctx.close()


def test_kostenverhaal_banner_offers_to_update(live_server, browser):
    base = live_server
    ctx = browser.new_context(viewport=SIZES["1366"], locale="nl-NL")
    pg = ctx.new_page()
    load_demo(pg, base)
    grex = next(d for d in httpx.get(base + "/api/grex").json() if d["name"].startswith("Kopie") or d["name"] == "De Hoge Akker (demo)")
    data = httpx.get(f"{base}/api/grex/{grex['id']}").json()["data"]
    kv = next(d for d in httpx.get(base + "/api/kostenverhaal").json() if "faciliterend" in d["name"])
    case = httpx.get(f"{base}/api/kostenverhaal/{kv['id']}").json()["data"]
    case["initiatiefnemer"]["grex"] = {"grex_document": {"id": grex["id"], "versie": grex["current_version"]}, "basis": "contante_waarde"}
    frozen = httpx.post(base + "/api/kostenverhaal", json={"data": case, "comment": "bevroren op de grex"}).json()
    changed = copy.deepcopy(data)
    changed["kosten"][0]["bedrag"] = 1_000_000
    assert httpx.put(f"{base}/api/grex/{grex['id']}", json={"data": changed}).status_code == 200
    pg.goto(f"{base}/kostenverhaal/{frozen['id']}")
    banner = pg.inner_text("#koppeling-1")
    assert "Bevroren op versie" in banner and "de huidige is versie" in banner
    screenshot(pg, "27-kostenverhaal-bevroren", full_page=False)
    pg.click("#koppeling-bijwerken-1")
    pg.wait_for_url("**actie=koppelingen")
    assert "bevroren op de huidige versie" in pg.inner_text("#koppeling-1")
    ctx.close()
