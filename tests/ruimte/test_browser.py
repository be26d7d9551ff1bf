"""The screening map in Debian's Chromium (Playwright): upload locations, see them coloured by verdict, click one
and read its verdicts; screenshots at desktop width and at 390 px (phone) in test-artifacts/screenshots/."""
from __future__ import annotations

import pytest
from tests.ruimte.conftest import DEMO as RUIMTE_DEMO  # the star import below brings the grex DEMO
from tests.web.fixtures_pages import *  # noqa: F401,F403
from tests.web.fixtures_pages import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

ROOD, ORANJE, GROEN = "#c62828", "#ef8f00", "#2e7d32"


def open_map(pg, base):
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(base + "/ruimte")
    pg.wait_for_function("() => document.getElementById('kaart').dataset.lagen === '11'")
    return errors


def test_upload_see_coloured_locations_and_click_one(live_server, bpage):
    pg, base = bpage, live_server
    errors = open_map(pg, base)
    requests: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    pg.select_option("#regels", "2022-11-25")
    pg.wait_for_function("() => document.getElementById('kaart').dataset.lagen === '11'")
    pg.set_input_files("#bestand", str(RUIMTE_DEMO / "locaties.geojson"))
    pg.click("#toets-knop")
    pg.wait_for_function("() => document.getElementById('kaart').dataset.locaties === '11'")
    assert pg.get_attribute("#kaart", "data-regelset") == "2022-11-25"
    # coloured by verdict: L03 strijdig (red), L04 aandachtspunt (orange), L10 geen (green)
    assert pg.evaluate("window.ruimteKaart.kleurVan('L03')") == ROOD
    assert pg.evaluate("window.ruimteKaart.kleurVan('L04')") == ORANJE
    assert pg.evaluate("window.ruimteKaart.kleurVan('L10')") == GROEN
    rows = pg.locator("#locaties-tabel tbody tr")
    assert rows.count() == 11
    assert "strijdig" in rows.nth(2).inner_text()
    pg.wait_for_timeout(300)  # let the map render the fitted view
    screenshot(pg, "ruimte-01-desktop-getoetst", full_page=False)
    # click location L03 on the map canvas (its interior point in pixels)
    x, y = pg.evaluate("window.ruimteKaart.pixelVan('L03')")
    box = pg.locator("#kaart").bounding_box()
    pg.mouse.click(box["x"] + x, box["y"] + y)
    pg.wait_for_function("() => document.getElementById('kaart').dataset.geselecteerd === 'L03'")
    detail = pg.inner_text("#detail")
    assert "Polder Diep Centrum" in detail and "strijdig" in detail
    assert "Diepe polders" in detail and "in het diepste deel van een diepe polder" in detail
    pg.wait_for_timeout(300)
    screenshot(pg, "ruimte-02-desktop-locatie-L03", full_page=True)
    # the layer toggle hides a layer; the background map stays off (offline): no request left this machine
    pg.uncheck("input[data-laag='natura2000']")
    assert not any("pdok" in u for u in requests)
    assert all(u.startswith(base) or u.startswith("blob:") or u.startswith("data:") for u in requests), [u for u in requests if not u.startswith(base)][:3]
    assert not errors, errors


def test_phone_width_and_bad_upload(live_server, browser, tmp_path):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL", device_scale_factor=2, is_mobile=True, has_touch=True)
    pg = ctx.new_page()
    pg.set_default_timeout(20000)
    try:
        errors = open_map(pg, live_server)
        pg.click("#demo-knop")
        pg.wait_for_function("() => document.getElementById('kaart').dataset.locaties === '11'")
        width = pg.evaluate("document.documentElement.scrollWidth")
        assert width <= 400, width  # nothing wider than the phone
        pg.wait_for_timeout(300)
        screenshot(pg, "ruimte-03-telefoon-390", full_page=True)
        pg.evaluate("window.ruimteKaart.selecteer('L07', true)")
        assert "Zandrug Oost" in pg.inner_text("#detail")
        bad = tmp_path / "fout.geojson"
        bad.write_text('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"p"},"geometry":{"type":"Point","coordinates":[5.1,52.1]}}]}')
        pg.set_input_files("#bestand", str(bad))
        pg.click("#toets-knop")
        pg.wait_for_selector("#toets-fout:not([hidden])")
        msg = pg.inner_text("#toets-fout")
        assert "geen vlak" in msg and "Point" in msg
        screenshot(pg, "ruimte-04-telefoon-fout", full_page=False)
        assert not errors, errors
    finally:
        ctx.close()


def test_monitor_and_regio_pages_draw_charts(live_server, bpage):
    pg, base = bpage, live_server
    pg.goto(base + "/monitor")
    pg.wait_for_selector("#grafiek-provincies .main-svg")
    assert pg.inner_text("#kc-verschil") == "17.193"
    pg.set_input_files("input[name=bestand]", str(RUIMTE_DEMO.parent / "monitor" / "plancapaciteit-heuvelrug.csv"))
    pg.fill("input[name=gebied]", "Utrecht")
    pg.click("#voortgang-form button")
    pg.wait_for_selector("#grafiek-voortgang .main-svg")
    assert pg.inner_text("#kc-betaalbaar") == "69,0%"
    screenshot(pg, "monitor-01-desktop", full_page=True)
    pg.goto(base + "/regio")
    pg.wait_for_selector("#grafiek-regio .main-svg")
    assert pg.get_attribute("#tabel-regio tbody tr:nth-child(2) td:nth-child(5)", "data-oordeel") == "ongunstig"  # eenzaamheid Zeist
    screenshot(pg, "regio-01-desktop", full_page=True)


def test_report_button_downloads_the_pdf(live_server, bpage):
    pg, base = bpage, live_server
    errors = open_map(pg, base)
    pg.click("#demo-knop")
    pg.wait_for_function("() => document.getElementById('kaart').dataset.locaties === '11'")
    assert pg.is_visible("#rapport-knop")
    with pg.expect_download(timeout=120_000) as info:
        pg.click("#rapport-knop")
    download = info.value
    assert download.suggested_filename.endswith(".pdf") and download.suggested_filename.startswith("toets-demolocaties-")
    with open(download.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    assert not errors, errors
