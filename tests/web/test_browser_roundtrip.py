"""Browser tests (Debian's Chromium via Playwright, a real uvicorn server) of the Excel round trip, the version
comparison and the scenario page (issue 11, items 3, 5 and 6): download the workbook, change it with openpyxl, upload
it, see the changes, confirm; compare the two versions; try a scenario and see its waterfall and the tornado.
Screenshots at 1366 and 390 px go to test-artifacts/screenshots/ (rt-*.png); at 390 px no page scrolls sideways."""
from __future__ import annotations

import openpyxl
import pytest
from tests.web.fixtures_pages import *  # noqa: F401,F403
from tests.web.fixtures_pages import screenshot
from tests.web.test_browser_pages import open_demo_grex

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


WIDE = """() => { const out = []; for (const e of document.querySelectorAll('main *')) { const r = e.getBoundingClientRect();
  if (r.right > window.innerWidth + 1 && !e.closest('.scroll')) out.push(e.tagName + '#' + e.id + ' ' + Math.round(r.right)); } return out.slice(0, 8); }"""
"""The elements that stick out to the right, outside a scroll box (the message of a failing width check)."""


def _both_widths(pg, name: str) -> None:
    """Screenshots at 1366 and 390 px; at 390 px the page does not scroll sideways (wide tables scroll in their box)."""
    pg.set_viewport_size({"width": 1366, "height": 900})
    pg.wait_for_timeout(300)
    screenshot(pg, f"{name}-1366")
    pg.set_viewport_size({"width": 390, "height": 844})
    pg.wait_for_timeout(500)
    screenshot(pg, f"{name}-390")
    over = pg.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    wide = pg.evaluate(WIDE)
    assert over <= 1, f"{name}: de pagina schuift {over} px zijwaarts op 390 px: {wide}"
    pg.set_viewport_size({"width": 1400, "height": 1000})


def test_excel_round_trip_preview_confirm_and_compare(live_server, bpage, tmp_path):
    pg, base = bpage, live_server
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    open_demo_grex(pg, base)
    gid = pg.url.rstrip("/").split("/")[-1].split("?")[0]
    pg.goto(f"{base}/grex/{gid}/versies")
    with pg.expect_download() as info:
        pg.click("#tabel-versies >> text=Excel")
    book = tmp_path / "grex.xlsx"
    info.value.save_as(book)
    wb = openpyxl.load_workbook(book)
    kosten = wb["Kosten"]
    amount_col = next(c for c in range(1, kosten.max_column + 1) if str(kosten.cell(row=2, column=c).value).startswith("Bedrag"))
    kosten.cell(row=3, column=amount_col).value = 11_000_000
    alg = wb["Algemeen"]
    row = next(r for r in range(3, alg.max_row + 1) if alg.cell(row=r, column=5).value == "disconteringsvoet")
    alg.cell(row=row, column=2).value = 0.03
    wb.save(book)
    pg.set_input_files("#veld-nieuwe-versie", str(book))
    pg.click("#toon-wijzigingen")
    pg.wait_for_selector("#bevestig-form")
    text = pg.inner_text("main")
    assert "Nieuwe versie van" in text and "€ 9.500.000" in text and "€ 11.000.000" in text and "3,00%" in text
    pg.wait_for_selector("#oorzaak-ncw .main-svg")
    _both_widths(pg, "rt-01-upload-wijzigingen")
    pg.click("#bevestig")
    pg.wait_for_url(f"{base}/grex/{gid}/versies?nieuw=2")
    assert "Opgeslagen als versie 2" in pg.inner_text("main")
    pg.click("text=Vergelijk A met B")
    pg.wait_for_selector("#tabel-vergelijk-resultaten")
    pg.wait_for_selector("#oorzaak-ncw .main-svg")
    main = pg.inner_text("main")
    assert "versie 1 → versie 2" in main and "Verschil per oorzaak" in main and "Disconteringsvoet" in main
    assert "kosten[0]" not in main and "9500000" not in main
    assert pg.locator("#tabel-vergelijk-jaren tr").count() >= 4
    _both_widths(pg, "rt-02-vergelijking")
    assert not errors, errors


def test_scenario_page_waterfall_and_tornado(live_server, bpage):
    pg, base = bpage, live_server
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    open_demo_grex(pg, base)
    pg.click("#kopieer-scenario")
    pg.wait_for_selector("#grafiek-tornado .main-svg")
    pg.fill("#veld-naam", "Later en duurder")
    pg.fill("#veld-wijzigingen", "rente=+0,01\nverschuif:opbrengsten=1\nkosten=+10")
    pg.click("#doorrekenen")
    pg.wait_for_selector("#waterval-1 .main-svg")
    main = pg.inner_text("main")
    assert "Later en duurder" in main and "opbrengsten +1 jaar" in main and "Shapley" in main
    assert pg.locator("#tabel-tornado tbody tr").count() >= 6
    _both_widths(pg, "rt-03-scenarios")
    pg.click("#opslaan-scenario")
    pg.wait_for_selector("text=Scenario opgeslagen in de grondexploitatie")
    assert "Opslaan als grondexploitatie" in pg.inner_text("main")
    assert not errors, errors
