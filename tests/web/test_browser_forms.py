"""Browser tests of the form engine: Debian's Chromium (Playwright) against a real uvicorn server with a fresh SQLite
database. For every kind: create from scratch in the browser and save; nested lists (add, remove, move, copy); a
year grid pasted from clipboard text (Excel's tab-separated rows, nl-NL numbers) and the spread helpers; quantity ×
price and subtotals per fase live; a draft that survives a reload; the leave prompt; screenshots at 1366 px and on a
390 px phone without horizontal page scroll. Screenshots go to test-artifacts/screenshots/ (looked at: see the
branch report)."""
from __future__ import annotations

import re

import pytest
from tests.web.fixtures_pages import *  # noqa: F401,F403
from tests.web.fixtures_pages import DEMO, screenshot
from tests.web.form_helpers import doc_key

from opengrex.model.grex import CostLine, Grex
from opengrex.model.programma import Financier, Impact, Programme, Project, Risk
from opengrex.services.grex import calculate_grex, load_grex
from opengrex.services.kinds import get_kind

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

# document keys as the models declare them (the Dutch ones: naam, bedrag, fasering, …)
G = {f: doc_key(Grex, f) for f in Grex.model_fields}
L = {f: doc_key(CostLine, f) for f in CostLine.model_fields}
P = {f: doc_key(Programme, f) for f in Programme.model_fields}
FIN = {f: doc_key(Financier, f) for f in Financier.model_fields}
PRJ = {f: doc_key(Project, f) for f in Project.model_fields}
RSK = {f: doc_key(Risk, f) for f in Risk.model_fields}
IMP = {f: doc_key(Impact, f) for f in Impact.model_fields}


# ---------------------------------------------------------------------------------------------- helpers
def field(pg, name: str):
    return pg.locator(f'[name="{name}"]:not([type=hidden])').first


def fill(pg, name: str, text: str) -> None:
    f = field(pg, name)
    f.fill(text)
    f.press("Tab")


def fill_all(pg, fields: dict[str, str]) -> None:
    for name, text in fields.items():
        fill(pg, name, text)


def choose(pg, name: str, value: str) -> None:
    """Pick an option; a long code list (kostensoorten) fills its options when it gets focus, as for a user."""
    sel = f'select[name="{name}"]'
    pg.focus(sel)
    pg.select_option(sel, value)


def choose_or_fill(pg, name: str, value: str) -> None:
    """A choice or a text field, whichever the model declares."""
    if pg.locator(f'select[name="{name}"]').count():
        choose(pg, name, value)
    else:
        fill(pg, name, value)


def last_row(pg, lijst: str) -> str:
    """The name of the last row of the list ``lijst`` (rows made in the browser get a random id)."""
    return pg.evaluate("l => { const r = [...document.querySelectorAll(`[data-lijst='${l}'] [data-rij]`)].filter(e => e.dataset.rij.startsWith(l + '.') && e.dataset.rij.split('.').length === l.split('.').length + 1); return r[r.length - 1].dataset.rij; }", lijst)


def add_row(pg, lijst: str) -> str:
    before = pg.evaluate("l => document.querySelectorAll(`input[type=hidden][name='${l}~rij']`).length", lijst)
    pg.click(f"button[data-nieuw='{lijst}']")
    pg.wait_for_function("([l, n]) => document.querySelectorAll(`input[type=hidden][name='${l}~rij']`).length > n", arg=[lijst, before])
    return last_row(pg, lijst)


def switch_on(pg, name: str) -> None:
    pg.check(f"input[type=checkbox][data-aan='{name}']")
    pg.wait_for_function("n => { const c = document.querySelector(`[data-optioneel='${n}'] > .aan-inhoud`); return c && !c.hidden && c.children.length > 0; }", arg=name)


def paste(pg, name: str, text: str) -> None:
    """Paste clipboard text into an input, as Ctrl+V does (a paste event carrying the text)."""
    pg.evaluate("""([n, t]) => { const el = document.querySelector(`[name="${n}"]`); el.focus();
        const dt = new DataTransfer(); dt.setData('text/plain', t);
        el.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true})); }""", [name, text])


def values(pg, names: list[str]) -> list[str]:
    return [field(pg, n).input_value() for n in names]


def no_horizontal_scroll(pg) -> bool:
    return pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def headline(pg, key: str) -> float:
    return float(pg.get_attribute(f"#kc-{key}", "data-waarde"))


def wait_headline(pg, key: str, before: float | None = None) -> float:
    pg.wait_for_function("([k, b]) => { const e = document.querySelector('#kc-' + k); return e && (b === null || parseFloat(e.dataset.waarde) !== b); }", arg=[key, before])
    return headline(pg, key)


def wait_valid(pg) -> None:
    """Wait for the live headline figures (the form is complete and valid); on a timeout say which errors remain."""
    try:
        pg.wait_for_selector("#kerncijfers .kc strong", timeout=15000)
    except Exception:
        errors = pg.evaluate("(document.querySelector('#veldfouten') || {}).textContent")
        raise AssertionError(f"formulier niet geldig: {pg.inner_text('#kerncijfers')} {errors}") from None


def save(pg) -> str:
    with pg.expect_navigation():
        pg.click("#opslaan")
    return pg.url


def load_demo(pg, base: str) -> None:
    pg.goto(base + "/")
    pg.click("#demo-laden")
    pg.wait_for_url(base + "/")


def stored_id(url: str) -> int:
    return int(re.search(r"/(\d+)(\?|$)", url).group(1))


# ---------------------------------------------------------------------------------------------- every kind from scratch
def fill_kostenverhaal(pg) -> None:
    fill_all(pg, {"naam": "Nieuw geval uit de browser", "peildatum": "2024-01-01", "gebied": "Kern Soest"})
    row = add_row(pg, "initiatiefnemer.kosten")
    choose(pg, f"{row}.kostensoort", "A8")
    fill(pg, f"{row}.bedrag", "1.250.000")


def fill_bijdrage(pg) -> None:
    fill_all(pg, {"naam": "Bijdrage uit de browser", "parameterset": "soest", "peildatum": "2024-01-01"})
    for area, homes in (("Kern Soest", "12.000"), ("Gemeente Soest", "21.000")):
        row = add_row(pg, "gebieden")
        fill(pg, f"{row}.naam", area)
        fill(pg, f"{row}.bestaande_woningen", homes)
    switch_on(pg, "woz")
    for seg, woz in (("sociaal", "250.000"), ("midden", "375.000"), ("duur", "550.000")):
        r = add_row(pg, "woz")
        fill(pg, f"{r}~sleutel", seg)
        fill(pg, r, woz)


def fill_eindafrekening(pg) -> None:
    fill_all(pg, {"naam": "Afrekening uit de browser", "parameterset": "soest", "peildatum": "2024-01-01", "datum": "2025-06-01"})
    fill_all(pg, {"betaling.bedrag": "100.000", "betaling.datum": "2024-06-01"})
    row = add_row(pg, "categorieen")
    fill_all(pg, {f"{row}.categorie": "A", f"{row}.raming": "100.000"})


def fill_programma(pg) -> None:
    fill_all(pg, {P["name"]: "Programma uit de browser", P["prijspeil"]: "2025-01-01"})
    fin = add_row(pg, P["financiers"])
    fill_all(pg, {f"{fin}.{FIN['name']}": "Provincie", f"{fin}.{FIN['rente']}": "3%"})
    project = add_row(pg, P["projecten"])
    fill_all(pg, {f"{project}.{PRJ['name']}": "Eerste project", f"{project}.{PRJ['voorfinancierder']}": "Provincie"})
    choose_or_fill(pg, f"{project}.{PRJ['soort']}", "rood")
    pg.locator(f"tbody[data-rij='{project}'] tr.detail summary").click()
    grex = f"{project}.{PRJ['grex']}"
    fill_all(pg, {f"{grex}.{G['name']}": "Grex van het eerste project", f"{grex}.{G['prijspeil']}": "2025-01-01", f"{grex}.{G['start_year']}": "2025", f"{grex}.{G['end_year']}": "2028"})
    line = add_row(pg, f"{grex}.{G['kosten']}")
    choose(pg, f"{line}.{L['kostensoort']}", "A6")
    fill_all(pg, {f"{line}.{L['name']}": "Bouwrijp maken", f"{line}.{L['amount']}": "2.000.000", f"{line}.{L['index']}": "geen", f"{line}.{L['phasing']}.2026": "100%"})


def fill_grex(pg) -> None:
    fill(pg, G["name"], "Grex uit de browser")
    line = add_row(pg, "kosten")
    choose(pg, f"{line}.{L['kostensoort']}", "A2")
    year = pg.evaluate("new Date().getFullYear()")
    fill_all(pg, {f"{line}.{L['name']}": "Verwerving", f"{line}.{L['amount']}": "3.000.000", f"{line}.{L['index']}": "kostenstijging", f"{line}.{L['phasing']}.{year}": "100%"})


FILL = {"grex": fill_grex, "kostenverhaal": fill_kostenverhaal, "bijdrage": fill_bijdrage, "eindafrekening": fill_eindafrekening, "programma": fill_programma}


@pytest.mark.parametrize("kind", list(FILL))
def test_create_every_kind_from_scratch_in_the_browser(live_server, bpage, kind):
    pg, base = bpage, live_server
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(f"{base}/{kind}/nieuw")
    FILL[kind](pg)
    if kind != "grex":
        wait_valid(pg)  # the live headline figures: the form is complete and valid
    screenshot(pg, f"20-nieuw-{kind}-1366", full_page=False)
    url = save(pg)
    assert re.search(rf"/{kind}/\d+\?opgeslagen=1$", url), url
    pg.reload()
    name = {"grex": "Grex uit de browser", "kostenverhaal": "Nieuw geval uit de browser", "bijdrage": "Bijdrage uit de browser",
            "eindafrekening": "Afrekening uit de browser", "programma": "Programma uit de browser"}[kind]
    assert name in pg.inner_text("h1")
    assert not errors, errors


# ---------------------------------------------------------------------------------------------- nested lists
def test_nested_lists_add_remove_reorder_and_copy(live_server, bpage):
    pg, base = bpage, live_server
    load_demo(pg, base)
    pg.goto(base + "/programma")
    pg.click("text=Mastergrex 2013")
    pg.click("#bewerken")
    pg.wait_for_selector("#documentformulier")
    rows = pg.evaluate("[...document.querySelectorAll(\"input[type=hidden][name='financiers~rij']\")].filter(e => e.value).map(e => e.value)")
    names = [f"financiers.{u}.{FIN['name']}" for u in rows]
    original = values(pg, names)
    assert len(original) == 3
    # move the last financier up twice with the keyboard-reachable buttons: it becomes the first
    last = pg.locator(f"[data-rij='financiers.{rows[2]}'] [data-actie=omhoog]")
    last.click()
    last.focus()
    pg.keyboard.press("Enter")
    order = pg.evaluate("[...document.querySelectorAll(\"input[type=hidden][name='financiers~rij']\")].filter(e => e.value).map(e => e.value)")
    assert order == [rows[2], rows[0], rows[1]]
    # copy the (now) first financier: a new row right after it with the same values and its own names
    pg.locator(f"[data-rij='financiers.{rows[2]}'] [data-actie=kopie]").click()
    order = pg.evaluate("[...document.querySelectorAll(\"input[type=hidden][name='financiers~rij']\")].filter(e => e.value).map(e => e.value)")
    assert len(order) == 4 and order[0] == rows[2] and order[1] not in rows
    copy = order[1]
    assert field(pg, f"financiers.{copy}.{FIN['name']}").input_value() == original[2]
    fill(pg, f"financiers.{copy}.{FIN['name']}", "Kopie van de financier")
    # add two at the end, remove one of them again
    new = add_row(pg, "financiers")
    fill(pg, f"{new}.{FIN['name']}", "Nieuwe financier")
    fill(pg, f"{new}.{FIN['rente']}", "2,5%")
    gone = add_row(pg, "financiers")
    fill(pg, f"{gone}.{FIN['name']}", "Weg te halen")
    pg.locator(f"[data-rij='{gone}'] [data-actie=weg]").click()
    assert pg.locator(f"[data-rij='{gone}']").count() == 0
    # a nested list two levels down: a risk of the first project, copied
    project = pg.evaluate("document.querySelector(\"input[type=hidden][name='projecten~rij'][value^='r']\").value")
    pg.locator(f"tbody[data-rij='projecten.{project}'] tr.detail summary").first.click()
    risk = add_row(pg, f"projecten.{project}.{PRJ['risicos']}")
    fill(pg, f"{risk}.{RSK['naam']}", "Vertraging vergunning")
    fill(pg, f"{risk}.{RSK['kans']}", "25%")
    for part, value in (("min", "-600.000"), ("mode", "-250.000"), ("max", "-100.000")):
        fill(pg, f"{risk}.{RSK['impact']}.{IMP[part]}", value)
    screenshot(pg, "21-programma-lijsten-bewerkt", full_page=False)
    wait_valid(pg)
    save(pg)
    doc = stored_id(pg.url)
    pg.goto(f"{base}/programma/{doc}/bewerken")
    order = pg.evaluate("[...document.querySelectorAll(\"input[type=hidden][name='financiers~rij']\")].filter(e => e.value).map(e => e.value)")
    saved = values(pg, [f"financiers.{u}.{FIN['name']}" for u in order])
    assert saved == [original[2], "Kopie van de financier", original[0], original[1], "Nieuwe financier"]
    assert "Vertraging vergunning" in pg.content()


# ---------------------------------------------------------------------------------------------- year grid
def test_paste_a_year_grid_from_excel_and_spread(live_server, bpage):
    pg, base = bpage, live_server
    load_demo(pg, base)
    pg.click("text=De Hoge Akker (demo)")
    pg.wait_for_selector("#grafiek-boekwaarde .main-svg")
    rows = pg.evaluate("[...document.querySelectorAll(\"input[type=hidden][name='kosten~rij']\")].filter(e => e.value).map(e => e.value)")
    first, second = f"kosten.{rows[0]}.{L['phasing']}", f"kosten.{rows[1]}.{L['phasing']}"
    before = headline(pg, "ncw")
    for grid in (first, second):  # empty both rows first
        for y in range(2025, 2037):
            field(pg, f"{grid}.{y}").fill("")
    # a block of two rows and three years, copied from Excel (tab-separated, nl-NL numbers): rows 1-2, 2026-2028
    paste(pg, f"{first}.2026", "50%\t30%\t20%\r\n100.000\t200.000\t150.000\r\n")
    assert values(pg, [f"{first}.{y}" for y in (2026, 2027, 2028)]) == ["50%", "30%", "20%"]
    assert values(pg, [f"{second}.{y}" for y in (2026, 2027, 2028)]) == ["100.000", "200.000", "150.000"]
    assert pg.inner_text(f"td[data-rijtotaal='{first}'] .som").startswith("100%")
    ncw = wait_headline(pg, "ncw", before)
    grex = load_grex(DEMO)
    grex.kosten[0].phasing = {2026: 0.5, 2027: 0.3, 2028: 0.2}
    grex.kosten[1].phasing = {2026: 100000.0, 2027: 200000.0, 2028: 150000.0}  # amounts summing to the line's amount
    assert ncw == pytest.approx(calculate_grex(grex).ncw, abs=0.01)
    # the old notation, pasted into one cell, fills its row by year
    for y in range(2025, 2037):
        field(pg, f"{first}.{y}").fill("")
    paste(pg, f"{first}.2025", "2025: 60%; 2026: 40%")
    assert values(pg, [f"{first}.2025", f"{first}.2026", f"{first}.2027"]) == ["60%", "40%", ""]
    grex.kosten[0].phasing = {2025: 0.6, 2026: 0.4}
    ncw = wait_headline(pg, "ncw", ncw)
    assert ncw == pytest.approx(calculate_grex(grex).ncw, abs=0.01)
    # spread evenly over the years that hold a value; spread by percentages from the chosen year
    field(pg, f"{first}.2026").click()
    pg.locator("[data-lijst='kosten'] [data-spreid=gelijk]").click()
    assert values(pg, [f"{first}.2025", f"{first}.2026"]) == ["50%", "50%"]
    field(pg, f"{first}.2030").click()
    pg.locator("[data-lijst='kosten'] input.spreid-pct").fill("25; 25; 50")
    pg.locator("[data-lijst='kosten'] [data-spreid=pct]").click()
    assert values(pg, [f"{first}.{y}" for y in (2029, 2030, 2031, 2032)]) == ["", "25%", "25%", "50%"]
    assert field(pg, f"{first}.2025").input_value() == ""
    screenshot(pg, "22-jaarraster-geplakt", full_page=False)
    save(pg)
    pg.reload()
    pg.wait_for_selector("#grafiek-boekwaarde .main-svg")
    assert values(pg, [f"{first}.{y}" for y in (2030, 2031, 2032)]) == ["25%", "25%", "50%"]


def test_quantity_times_price_and_subtotals_per_fase_live(live_server, bpage):
    pg, base = bpage, live_server
    load_demo(pg, base)
    pg.click("text=De Hoge Akker (demo)")
    pg.wait_for_selector("#kc-ncw")
    rows = pg.evaluate("[...document.querySelectorAll(\"input[type=hidden][name='kosten~rij']\")].filter(e => e.value).map(e => e.value)")
    r0, r1 = f"kosten.{rows[0]}", f"kosten.{rows[1]}"
    before = headline(pg, "ncw")
    fill(pg, f"{r0}.hoeveelheid", "12.500")
    fill(pg, f"{r0}.eenheid", "m²")
    fill(pg, f"{r0}.eenheidsprijs", "800")
    assert field(pg, f"{r0}.{L['amount']}").input_value() == "10.000.000"  # the product, shown as it is typed
    wait_headline(pg, "ncw", before)
    fill(pg, f"{r0}.fase", "Fase 1")
    fill(pg, f"{r1}.fase", "Fase 2")
    box = pg.locator("[data-lijst='kosten'] > .subtotalen")
    box.locator("text=Fase 1").wait_for()
    box.locator("text=Fase 2").wait_for()  # both labels applied (under load the second edit can arrive later)
    text = box.inner_text()
    assert "€ 10.000.000" in text and "€ 450.000" in text
    pg.wait_for_selector("#tabel-per-fase")
    screenshot(pg, "23-hoeveelheid-maal-prijs-en-fasen", full_page=False)


# ---------------------------------------------------------------------------------------------- drafts and leaving
def test_a_draft_survives_a_reload_and_leaving_asks_first(live_server, bpage):
    pg, base = bpage, live_server
    load_demo(pg, base)
    pg.goto(base + "/kostenverhaal")
    pg.click("text=voorbeeld 1")
    pg.click("#bewerken")
    pg.wait_for_selector("#documentformulier")
    pg.fill('[name="naam"]', "Concept dat niet verloren gaat")
    pg.press('[name="naam"]', "Tab")
    pg.wait_for_timeout(800)  # the draft is kept after a short pause
    # leaving with unsaved changes asks first (and staying keeps the edit)
    dialogs: list[str] = []

    def on_dialog(d):
        dialogs.append(d.type)
        d.dismiss()

    pg.on("dialog", on_dialog)
    pg.click("a.brand")
    pg.wait_for_timeout(500)
    assert dialogs == ["beforeunload"] and pg.url.endswith("/bewerken")
    pg.remove_listener("dialog", on_dialog)
    # a reload (accepting the prompt) offers the draft back
    pg.on("dialog", lambda d: d.accept())
    pg.reload()
    pg.wait_for_selector("#concept-melding:not([hidden])")
    assert pg.input_value('[name="naam"]') != "Concept dat niet verloren gaat"
    screenshot(pg, "24-concept-aangeboden", full_page=False)
    pg.click("[data-concept=herstel]")
    pg.wait_for_function("() => document.querySelector('[name=naam]').value === 'Concept dat niet verloren gaat'")
    assert pg.is_hidden("#concept-melding")
    # saving clears the draft: no offer on the next visit
    save(pg)
    assert "Concept dat niet verloren gaat" in pg.inner_text("h1")
    pg.click("#bewerken")
    pg.wait_for_selector("#documentformulier")
    pg.wait_for_timeout(300)
    assert pg.is_hidden("#concept-melding")
    # 'verwijder concept' throws a draft away
    pg.fill('[name="naam"]', "Weg te gooien concept")
    pg.press('[name="naam"]', "Tab")
    pg.wait_for_timeout(800)
    pg.reload()
    pg.wait_for_selector("#concept-melding:not([hidden])")
    pg.click("[data-concept=verwijder]")
    pg.reload()
    pg.wait_for_timeout(300)
    assert pg.is_hidden("#concept-melding")


# ---------------------------------------------------------------------------------------------- messages, unions, blocks
def test_an_ambiguous_amount_asks_next_to_the_field(live_server, bpage):
    pg, base = bpage, live_server
    load_demo(pg, base)
    pg.goto(base + "/bijdrage")
    pg.click("#tabel-bijdrage a")
    pg.click("#bewerken")
    pg.wait_for_selector("#documentformulier")
    row = pg.evaluate("document.querySelector(\"input[type=hidden][name='investeringen~rij'][value^='r']\").value")
    name = f"investeringen.{row}.bruto"
    fill(pg, name, "1,500")
    slot = pg.locator(f"[data-veldfout='{name}']")
    slot.wait_for(state="visible")
    assert "bedoelt u 1.500 of 1,5?" in slot.inner_text()
    assert field(pg, name).get_attribute("aria-invalid") == "true"
    assert "niet berekend" in pg.inner_text("#kerncijfers")
    screenshot(pg, "25-dubbelzinnig-bedrag", full_page=False)
    fill(pg, name, "15.000.000")
    wait_valid(pg)
    assert slot.inner_text() == ""


def test_a_union_swaps_its_sub_form_and_an_optional_block_switches_on(live_server, bpage):
    pg, base = bpage, live_server
    load_demo(pg, base)
    pg.goto(base + "/programma")
    pg.click("text=Mastergrex 2013")
    pg.click("#bewerken")
    pg.wait_for_selector("#documentformulier")
    row = pg.evaluate("document.querySelector(\"input[type=hidden][name='financiers~rij'][value^='r']\").value")
    rente = f"financiers.{row}.{FIN['rente']}"
    before = headline(pg, "ncw")
    # one percentage -> per year: the year grid of that field, over the programme's years, then a rate per year
    pg.select_option(f"select[name='{rente}~soort']", "1")
    pg.wait_for_selector(f"input[type=hidden][name='{rente}~jaren']", state="attached")
    fill(pg, f"{rente}.2013", "4%")
    cells = pg.evaluate("n => [...document.querySelectorAll('input.jc')].filter(c => c.name.startsWith(n + '.')).length", rente)
    assert cells >= 1
    if not pg.locator(f"[name='{rente}.2014']").count():
        pg.locator(f"[data-lijst='{rente}~raster'] [data-jaar-erbij]").click()
    fill(pg, f"{rente}.2014", "0%")
    ncw = wait_headline(pg, "ncw", before)
    assert ncw != before
    screenshot(pg, "26-keuze-per-jaar", full_page=False)
    # the kind of document (an eindafrekening: definitief, tussentijds or planschade) swaps the whole form
    pg.goto(base + "/eindafrekening/nieuw")
    assert pg.locator("[name='planschade.geraamd']").count() == 0 and field(pg, "betaling.bedrag").is_visible()
    pg.select_option("select[name='~soort']", label="planschade")
    pg.wait_for_selector("[name='planschade.geraamd']")
    assert pg.locator("[name='betaling.bedrag']").count() == 0 and pg.input_value("input[type=hidden][name='soort']") == "planschade"
    # an optional block (a kostenverhaal's woningvoorraad bijdrage) switched on shows its fields
    pg.goto(base + "/kostenverhaal/nieuw")
    assert pg.locator("[data-optioneel='financiele_bijdrage_woningvoorraad.grondwaarde']").count() == 0
    switch_on(pg, "financiele_bijdrage_woningvoorraad")
    assert pg.locator("[data-optioneel='financiele_bijdrage_woningvoorraad.grondwaarde']").count() == 1


# ---------------------------------------------------------------------------------------------- screens
@pytest.mark.parametrize("width", [1366, 390])
def test_forms_fit_the_screen_without_horizontal_page_scroll(live_server, browser, width):
    ctx = browser.new_context(viewport={"width": width, "height": 900}, locale="nl-NL")
    pg = ctx.new_page()
    pg.set_default_timeout(30000)
    load_demo(pg, live_server)
    pages = [("grex", "/grex/1"), ("grex-nieuw", "/grex/nieuw")]
    for kind in ("kostenverhaal", "bijdrage", "eindafrekening", "programma"):
        pages.append((f"{kind}-nieuw", f"/{kind}/nieuw"))
    for kind in ("kostenverhaal", "bijdrage", "eindafrekening", "programma"):
        pg.goto(f"{live_server}/{get_kind(kind).listed_under or kind}")
        href = pg.locator(f"#tabel-{kind} a").first.get_attribute("href")
        pages.append((f"{kind}-bewerken", href + "/bewerken"))
    for label, path in pages:
        pg.goto(live_server + path)
        pg.wait_for_load_state("networkidle")
        screenshot(pg, f"30-{label}-{width}", full_page=False)
        assert no_horizontal_scroll(pg), (label, width, pg.evaluate("document.documentElement.scrollWidth"))
    ctx.close()
