"""The form engine on a 200-line grex with its year grid (``opengrex.web.forms``; the grex page is an instance of it).

Measures (printed, never asserted; targets < 300 ms each, issue 11):

(a) rendering the form in-process: the grex as posted fields -> the widget tree -> HTML (median of 10) [ms], and
    the page's size;
(b) the whole page ``GET /grex/{id}`` from a real server (calculate + form + results + charts), median of 10 [ms];
(c) reading and checking a posted form in-process (fields -> data -> the kind's validation) [ms];
(d) in Debian's Chromium: the page loaded until the form is usable, and an edit to new headline figures on screen,
    measured inside the page from the ``change`` event to the new NCW in the DOM (request, server, swap), median of
    5 edits [ms];
(e) the same for the form of another kind (the programme with 12 grexes, every field a form control), edit ->
    headline bar.
"""
from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

from opengrex.services.grex import grex_to_dict
from opengrex.services.kinds import get_kind
from opengrex.testing import free_port, random_grex, start_server
from opengrex.web.forms import FormView, Posted, form_items, form_tree, read_form

CHROMIUM = "/usr/bin/chromium"
N_LINES, N_YEARS = 200, 15


def _row(meting: str, waarde, eenheid: str = "", toelichting: str = "") -> dict:
    return {"meting": meting, "waarde": waarde, "eenheid": eenheid, "toelichting": toelichting}


def _median_ms(fn, n: int = 10) -> float:
    fn()
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return statistics.median(out)


def big_grex() -> dict:
    return grex_to_dict(random_grex(np.random.default_rng(7), n_lines=N_LINES, n_years=N_YEARS))


def in_process() -> list[dict]:
    from opengrex.web.pages.render import templates

    kind = get_kind("grex")
    tree = form_tree(kind.model)
    data = big_grex()
    macros = templates.env.get_template("_formulier.html").module
    html: list[str] = []

    def render() -> None:
        html[:] = [str(macros.formulier(FormView(tree, Posted(form_items(tree, data)))))]

    render_ms = _median_ms(render)
    items = form_items(tree, data)
    inputs = html[0].count("<input") + html[0].count("<select")

    def check() -> None:
        kind.validate(read_form(tree, items).data)

    return [
        _row("(a) formulier renderen, 200 posten + jaarraster (mediaan)", render_ms, "ms", f"{inputs} invoervelden, {len(html[0]) // 1024} KiB HTML; doel < 300 ms"),
        _row("(c) formulier lezen en controleren (mediaan)", _median_ms(check), "ms", f"{len(items)} velden -> gegevens -> validatie"),
    ]


CHANGE_TO_HEADLINE = """([name, value, key]) => new Promise((resolve) => {
  const input = document.querySelector(`[name="${name}"]`), target = document.querySelector('#kc-' + key);
  const before = target ? target.dataset.waarde : null;
  let t0 = null;
  document.addEventListener('change', () => { if (t0 === null) t0 = performance.now(); }, {capture: true, once: true});
  const done = () => { const e = document.querySelector('#kc-' + key); return e && e.dataset.waarde !== before; };
  const observer = new MutationObserver(() => { if (t0 !== null && done()) { observer.disconnect(); resolve(performance.now() - t0); } });
  observer.observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-waarde']});
  input.value = value;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  input.dispatchEvent(new Event('change', {bubbles: true}));
})"""


def in_browser(base: str, grex_id: int, programme_id: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="nl-NL")
        page.set_default_timeout(120000)
        t0 = time.perf_counter()
        page.goto(f"{base}/grex/{grex_id}")
        page.wait_for_selector("#kc-ncw")
        page.wait_for_load_state("load")
        load_ms = (time.perf_counter() - t0) * 1000
        rows.append(_row("(d) 200 posten: pagina laden in Chromium", load_ms, "ms", "tot het formulier bruikbaar is (HTML, scripts, grafieken)"))
        names = page.evaluate("[...document.querySelectorAll(\"input[type=hidden][name='kosten~rij']\")].filter(e => e.value).slice(10, 15).map(e => `kosten.${e.value}.bedrag`)")
        times = [page.evaluate(CHANGE_TO_HEADLINE, [n, f"{1_000_000 + 12_345 * (i + 1)}", "ncw"]) for i, n in enumerate(names)]
        rows.append(_row("(d) 200 posten: wijziging -> nieuwe kerncijfers in beeld (mediaan)", statistics.median(times), "ms",
                         f"min {min(times):.0f}, max {max(times):.0f} ms; change-event tot nieuwe NCW in de pagina; doel < 300 ms"))
        page.goto(f"{base}/programma/{programme_id}/bewerken")
        page.wait_for_selector("#kc-ncw")
        fields = page.evaluate("document.querySelectorAll('#documentformulier input, #documentformulier select, #documentformulier textarea').length")
        name = page.evaluate("`financiers.${document.querySelector(\"input[type=hidden][name='financiers~rij'][value^='r']\").value}.rente`")
        times = [page.evaluate(CHANGE_TO_HEADLINE, [name, f"{3 + i / 10:.1f}%".replace(".", ","), "ncw"]) for i in range(5)]
        rows.append(_row("(e) programma (12 grexen): wijziging -> kerncijfers (mediaan)", statistics.median(times), "ms", f"{fields} invoervelden; min {min(times):.0f}, max {max(times):.0f} ms"))
        browser.close()
    return rows


def run() -> list[dict]:
    rows = in_process()
    with tempfile.TemporaryDirectory(prefix="opengrex-bench-forms-") as tmp:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = start_server(Path(tmp), port, capture=False)
        try:
            r = httpx.post(f"{base}/api/grex", json={"data": big_grex()}, timeout=120)
            r.raise_for_status()
            grex_id = r.json()["id"]
            programmes = httpx.get(f"{base}/api/programma").json()
            programme_id = max(programmes, key=lambda d: d["name"])["id"]
            with httpx.Client(base_url=base, timeout=120) as c:
                page = c.get(f"/grex/{grex_id}")
                page_ms = _median_ms(lambda: c.get(f"/grex/{grex_id}").raise_for_status())
            rows.insert(1, _row("(b) 200 posten: pagina GET /grex/{id} (mediaan)", page_ms, "ms", f"{len(page.content) // 1024} KiB HTML; berekenen + formulier + resultaten; doel < 300 ms"))
            if Path(CHROMIUM).exists() or shutil.which("chromium"):
                rows += in_browser(base, grex_id, programme_id)
            else:
                rows.append(_row("(d) Chromium", "ontbreekt", "", "installeer met scripts/install-system-deps.sh"))
        finally:
            proc.terminate()
            proc.wait(10)
    return rows
