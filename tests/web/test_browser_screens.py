"""Every screen, offline, on a phone and on paper (issue #11 items 7 and 10), in Debian's Chromium:

- every page type at 1366 px and at 390 px (phone) without horizontal page scroll, wide tables scrolling inside a
  labelled, keyboard-reachable area; the sticky bar of headline figures never covers what a link jumps to;
- axe-core (vendored from npm, tests/web/vendor/axe.min.js) reports no serious or critical violation on any of them;
- print media: no navigation, inputs or buttons;
- the PDF report downloaded from the page: its first page rendered to PNG (pdftoppm) and its text (pdftotext) holds
  the headline figures;
- /docs and /redoc work with every request off this machine aborted (no CDN).
Screenshots: test-artifacts/screenshots/scherm-*.png, print-*.png, rapport-*.png.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from tests.web.fixtures_pages import *  # noqa: F401,F403
from tests.web.fixtures_pages import DEMO, SCREENSHOTS, screenshot

from opengrex.formatting import eur
from opengrex.services.grex import calculate_grex, load_grex

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"


CLOSED_GREX = {  # fully realised in 2024: can be closed, so the page shows the status bar of a closed grex
    "naam": "Kerkpad", "prijspeil": "2024-01-01", "startjaar": 2024, "eindjaar": 2024, "timing": "end", "rente": 0.0, "disconteringsvoet": 0.02,
    "gerealiseerd_tot_en_met": 2024, "indexreeksen": {"geen": 0.0},
    "kosten": [{"naam": "Alles", "kostensoort": "A2", "bedrag": 0.0, "indexreeks": "geen", "fasering": {2024: 1.0}, "gerealiseerd": {2024: 1000.0}}],
    "opbrengsten": [{"naam": "Kavels", "opbrengstsoort": "gronduitgifte_woningbouw", "bedrag": 0.0, "indexreeks": "geen", "fasering": {2024: 1.0},
                     "gerealiseerd": {2024: 1500.0}}],
}


def upload_preview(gid: int, text: str):
    """The preview of an upload (a POST, so opened through the versions page's form): what a new version changes."""
    def open_preview(pg, base: str) -> None:
        pg.goto(f"{base}/grex/{gid}/versies")
        pg.set_input_files("#veld-nieuwe-versie", files=[{"name": "grex.yaml", "mimeType": "application/yaml", "buffer": text.encode()}])
        pg.click("#toon-wijzigingen")
        pg.wait_for_selector("#bevestig-form")
    return open_preview


def open_page(pg, base: str, path) -> None:
    if callable(path):
        path(pg, base)
    else:
        pg.goto(base + path)


@pytest.fixture(scope="module")
def pages(live_server, browser):
    """The URL of every page type (or a function that opens it), after loading the demo once: a second grex version to
    compare, a closed grex, an archived and a deleted document (the status bar and the bin)."""
    import httpx
    import yaml

    base = live_server
    with httpx.Client(base_url=base, headers={"Origin": base}) as c:
        c.post("/demo")
        docs = c.get("/api/documents").json()
        first = {}
        for d in sorted(docs, key=lambda d: d["id"]):
            first.setdefault(d["kind"], d["id"])
        gid = first["grex"]
        data = c.get(f"/api/grex/{gid}").json()["data"]
        data["rente"] = 0.03
        if c.get(f"/api/grex/{gid}/versions").json().__len__() < 2:
            assert c.put(f"/api/grex/{gid}", json={"data": data, "comment": "rente 3%"}).status_code == 200
        closed = c.post("/api/grex", json={"data": CLOSED_GREX, "bbv_status": "in_exploitatie", "comment": "eindstand"}).json()["id"]
        assert c.post(f"/api/grex/{closed}/afsluiten", json={"toelichting": "project gereed", "datum": "2025-02-01"}).status_code == 200
        kv = first["kostenverhaal"]
        archived = c.post(f"/api/kostenverhaal/{kv}/dupliceren", json={}).json()["id"]
        assert c.post(f"/api/kostenverhaal/{archived}/archiveren", json={}).status_code == 200
        binned = c.post(f"/api/bijdrage/{first['bijdrage']}/dupliceren", json={}).json()["id"]
        assert c.delete(f"/api/bijdrage/{binned}").status_code == 204
        changed = yaml.safe_load(c.get(f"/api/grex/{gid}/export.yaml").text)
        changed["rente"] = 0.035
        changed["kosten"][0]["bedrag"] = changed["kosten"][0]["bedrag"] * 1.1
    pages = {
        "overzicht": "/", "overzicht-gefilterd": "/?soort=grex&sorteer=ncw&volgorde=op", "grex-lijst": "/grex", "grex": f"/grex/{gid}",
        "grex-nieuw": "/grex/nieuw", "grex-bewerken": f"/grex/{gid}/bewerken", "grex-oud": f"/grex/{gid}/versie/1",
        "grex-scenarios": f"/grex/{gid}/scenarios", "grex-afgesloten": f"/grex/{closed}", "grex-heropenen": f"/grex/{closed}/heropenen",
        "versies": f"/grex/{gid}/versies", "vergelijk": f"/grex/{gid}/versies/vergelijk?a=1&b=2", "upload-voorbeeld": upload_preview(gid, yaml.safe_dump(changed)),
        "audit": f"/grex/{gid}/audit", "audit-afgesloten": f"/grex/{closed}/audit", "verwijderen": f"/grex/{gid}/verwijderen",
        "kostenverhaal-gearchiveerd": f"/kostenverhaal/{archived}", "prullenbak": "/prullenbak",
        "upload": "/upload", "niet-gevonden": "/bestaat-niet",
    }
    for kind in ("kostenverhaal", "bijdrage", "eindafrekening", "programma", "portefeuille", "plankosten", "gebied"):
        pages |= {f"{kind}-lijst": f"/{kind}", kind: f"/{kind}/{first[kind]}", f"{kind}-nieuw": f"/{kind}/nieuw", f"{kind}-bewerken": f"/{kind}/{first[kind]}/bewerken"}
    return pages


def settle(pg) -> None:
    """Wait until charts are drawn and HTMX panels (programme risk) are in."""
    pg.wait_for_load_state("networkidle")
    if pg.locator(".grafiek").count():
        pg.wait_for_function("() => [...document.querySelectorAll('.grafiek')].every(e => e.querySelector('.main-svg'))", timeout=60000)


def overflow(pg) -> int:
    return pg.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize(("width", "height", "label"), [(1366, 768, "1366"), (390, 844, "telefoon")])
def test_every_page_fits_the_screen_and_scroll_areas_are_reachable(browser, live_server, pages, width, height, label):
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale="nl-NL", device_scale_factor=1)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    try:
        for name, path in pages.items():
            open_page(pg, live_server, path)
            settle(pg)
            screenshot(pg, f"scherm-{label}-{name}", full_page=True)
            assert overflow(pg) <= 1, f"{name} op {width}px: pagina {overflow(pg)} px te breed"
            for area in pg.locator(".scroll").all():
                assert area.get_attribute("tabindex") == "0" and area.get_attribute("aria-label"), (name, area.inner_html()[:80])
    finally:
        ctx.close()
    assert not errors, errors


def test_sticky_bar_never_covers_the_target_of_a_link(browser, live_server, pages):
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="nl-NL")
    pg = ctx.new_page()
    pg.goto(live_server + pages["grex"])
    settle(pg)
    pg.click("a[href='#resultaten']")
    pg.wait_for_timeout(300)
    bar = pg.locator("#kerncijfers").bounding_box()
    target = pg.locator("#resultaten").bounding_box()
    assert target["y"] >= bar["y"] + bar["height"] - 1, (bar, target)
    ctx.close()


def test_axe_core_finds_no_serious_or_critical_violation(browser, live_server, pages):
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="nl-NL", bypass_csp=True)
    pg = ctx.new_page()
    found = {}
    for name, path in pages.items():
        for width in (1366, 390):
            pg.set_viewport_size({"width": width, "height": 900})
            open_page(pg, live_server, path)
            settle(pg)
            pg.add_script_tag(path=str(AXE))
            result = pg.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
            bad = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"] if v["impact"] in ("serious", "critical")]
            if bad:
                found[f"{name}@{width}"] = bad
    ctx.close()
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


def test_print_media_has_no_navigation_inputs_or_buttons(browser, live_server, pages):
    ctx = browser.new_context(viewport={"width": 1100, "height": 1400}, locale="nl-NL")
    pg = ctx.new_page()
    for name in ("grex", "grex-afgesloten", "grex-scenarios", "vergelijk", "kostenverhaal", "bijdrage", "eindafrekening", "programma", "portefeuille",
                 "plankosten", "gebied", "versies", "audit", "overzicht", "prullenbak"):
        open_page(pg, live_server, pages[name])
        settle(pg)
        pg.emulate_media(media="print")
        pg.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
        visible = pg.evaluate("""() => [...document.querySelectorAll('nav, header.top, input:not([type=hidden]), select, textarea, button')]
                                  .filter(e => e.offsetParent !== null).map(e => e.outerHTML.slice(0, 80))""")
        assert not visible, (name, visible)
        screenshot(pg, f"print-{name}", full_page=True)
        assert overflow(pg) <= 1, name
        pg.emulate_media(media="screen")
    ctx.close()


def test_pdf_report_from_the_page(browser, live_server, pages, tmp_path):
    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        pytest.fail("pdftoppm/pdftotext ontbreken; installeer poppler-utils met: sudo bash scripts/install-system-deps.sh")
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="nl-NL", accept_downloads=True)
    pg = ctx.new_page()
    pg.goto(live_server + pages["grex"])
    settle(pg)
    with pg.expect_download() as info:
        pg.click("a.rapport")
    pdf = tmp_path / "rapport.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes()[:5] == b"%PDF-" and info.value.suggested_filename.endswith(".pdf")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "2", str(pdf), str(SCREENSHOTS / "rapport-grex")], check=True, timeout=120)
    assert (SCREENSHOTS / "rapport-grex-1.png").exists()
    text = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", str(pdf), "-"], check=True, capture_output=True, timeout=60).stdout.decode()
    grex = load_grex(DEMO).model_copy(update={"rente": 0.03})
    result = calculate_grex(grex)
    assert eur(result.ncw) in text and eur(result.eindwaarde) in text, text[:800]
    assert "De Hoge Akker" in text and re.search(r"versie \d", text)
    ctx.close()


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_api_docs_work_offline(browser, live_server, path):
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="nl-NL")
    pg = ctx.new_page()
    outside: list[str] = []

    def only_local(route):
        host = urlsplit(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            return route.continue_()
        outside.append(route.request.url)
        return route.abort()

    ctx.route("**/*", only_local)
    problems: list[str] = []
    pg.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: problems.append(str(e)))
    pg.goto(live_server + path)
    if path == "/docs":
        pg.wait_for_selector(".swagger-ui .opblock", timeout=60000)
        # Swagger UI (5.x) virtualises a list of 150 or more tags and operations: only those near the viewport are in
        # the DOM. Scrolled to the end, every operation of the spec has been drawn once.
        seen: set[str] = set()
        for _ in range(500):
            seen.update(pg.evaluate("() => [...document.querySelectorAll('.swagger-ui .opblock')].map(e => e.id)"))
            if pg.evaluate("() => window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2"):
                break
            pg.mouse.wheel(0, 800)
            pg.wait_for_timeout(100)
        total = pg.evaluate("async () => Object.values((await (await fetch('/openapi.json')).json()).paths).reduce((n, p) => n + Object.keys(p).length, 0)")
        assert len(seen) > 20 and len(seen) == total, (len(seen), total)
        pg.evaluate("() => window.scrollTo(0, 0)")
    else:
        pg.wait_for_function("() => document.body.innerText.includes('/api/grex')", timeout=60000)
    screenshot(pg, f"scherm-api{path.replace('/', '-')}", full_page=False)
    assert not outside, outside
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    ctx.close()
