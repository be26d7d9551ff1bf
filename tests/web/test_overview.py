"""The overview as a portfolio (issue #11 item 9), hand-checked against the demo: every document with its status and
headline figures (units from the registry), boekwaarde and NCW totals over the grexes, the consolidated cash flow per
year over grexes and programmes; filters and sorting; the same figures as JSON (``/api/overzicht``) and on the page
(nl-NL)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from opengrex.formatting import eur
from opengrex.services.documents import demo_files, load_demo
from opengrex.services.grex import calculate_grex, load_grex
from opengrex.services.programma import calculate_programme, load_programme

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo(client, app):
    with app.state.db.transaction() as s:
        assert load_demo(s).skipped == []
    return client


def test_totals_hand_checked_against_the_demo(demo):
    o = demo.get("/api/overzicht").json()
    assert o["aantal"] == len(demo_files()) and o["filters"]["status"] == "actief"
    g = o["grondexploitaties"]
    # one grex: De Hoge Akker, NCW € -2.671.670 (contant per 1-1-2025); nothing realised before its prijspeil, opening 0
    assert g["aantal"] == 1 and round(g["ncw"]) == -2_671_670 and g["boekwaarde"] == 0.0
    assert g["ncw"] == pytest.approx(calculate_grex(load_grex(ROOT / "examples" / "demo-grex.yaml")).ncw, abs=1e-6)
    assert g["per_bbv_status"]["in_voorbereiding"]["aantal"] == 1 and g["per_bbv_status"]["in_exploitatie"]["aantal"] == 0
    # cash flow: 2025 of the grex by hand: verwerving 9.500.000 × 60 % + pachters 450.000 × 50 % + VTU 2.200.000 × 10 %
    # + plankosten 850.000 × 60 % (index factor 1 in the prijspeil year) = 6.655.000 of costs, no revenues
    k = o["kasstroom"]
    years = k["jaren"]
    assert k["per_soort"]["grex"][years.index(2025)] == pytest.approx(-(9_500_000 * 0.6 + 450_000 * 0.5 + 2_200_000 * 0.1 + 850_000 * 0.6))
    # ... and every year equals the grex plus both demo programmes, each calculated on its own
    grex = calculate_grex(load_grex(ROOT / "examples" / "demo-grex.yaml")).yearly_frame()["saldo"]
    progs = [calculate_programme(load_programme(p)).yearly_frame()["saldo"] for kind, p in demo_files() if kind == "programma"]
    assert k["documenten"] == {"grex": 1, "programma": len(progs)} == {"grex": 1, "programma": 2}
    for i, y in enumerate(years):
        expect = float(grex.get(y, 0.0)) + sum(float(p.get(y, 0.0)) for p in progs)
        assert k["totaal"][i] == pytest.approx(expect, abs=1e-6), y
    assert k["cumulatief"][-1] == pytest.approx(sum(k["totaal"]), abs=1e-6)
    assert years == sorted(set(grex.index) | {int(y) for p in progs for y in p.index})
    # every row: status and headline figures with label and unit from the registry
    row = next(r for r in o["documenten"] if r["kind"] == "portefeuille")
    fig = {c["key"]: c for c in row["kerncijfers"]}
    assert round(fig["ncw"]["waarde"]) == -3_736_768 and fig["ncw"]["label"] == "Resultaat NCW" and fig["ncw"]["eenheid"] == "EUR contant"
    assert fig["weerstandsratio"]["eenheid"] == "-"
    grex_row = next(r for r in o["documenten"] if r["kind"] == "grex")
    assert (grex_row["status"], grex_row["bbv_status"], grex_row["bbv_status_label"]) == ("actief", "in_voorbereiding", "In voorbereiding")


def test_filters_and_sorting(demo):
    everything = demo.get("/api/overzicht", params={"status": "alle"}).json()["documenten"]
    grex_id = next(d["id"] for d in everything if d["kind"] == "grex")
    kv = [d for d in everything if d["kind"] == "kostenverhaal"]
    assert demo.post(f"/api/kostenverhaal/{kv[0]['id']}/archiveren").status_code == 200
    active = demo.get("/api/overzicht").json()
    assert active["aantal"] == len(everything) - 1 and kv[0]["id"] not in [d["id"] for d in active["documenten"]]
    archived = demo.get("/api/overzicht", params={"status": "gearchiveerd"}).json()["documenten"]
    assert [d["id"] for d in archived] == [kv[0]["id"]] and archived[0]["status_label"] == "Gearchiveerd"
    only = demo.get("/api/overzicht", params={"kind": "grex"}).json()
    assert [d["id"] for d in only["documenten"]] == [grex_id] and only["kasstroom"]["documenten"] == {"grex": 1, "programma": 0}
    assert demo.get("/api/overzicht", params={"status": "in_voorbereiding"}).json()["aantal"] == 1
    assert demo.get("/api/overzicht", params={"q": "hoge akker", "status": "alle"}).json()["aantal"] >= 1
    # sorting by a headline figure: ascending, documents without it last whatever the order
    up = demo.get("/api/overzicht", params={"sorteer": "ncw", "volgorde": "op"}).json()["documenten"]
    values = [d["headline"].get("ncw") for d in up]
    have = [v for v in values if v is not None]
    assert have == sorted(have) and values[: len(have)] == have and all(v is None for v in values[len(have):])
    down = demo.get("/api/overzicht", params={"sorteer": "ncw", "volgorde": "af"}).json()["documenten"]
    assert [d["headline"]["ncw"] for d in down[: len(have)]] == sorted(have, reverse=True)
    names = [d["naam"].casefold() for d in demo.get("/api/overzicht", params={"sorteer": "naam", "volgorde": "op"}).json()["documenten"]]
    assert names == sorted(names)
    for bad, field in (({"status": "weg"}, "status"), ({"sorteer": "geheim"}, "sorteer"), ({"kind": "raket"}, "kind")):
        r = demo.get("/api/overzicht", params=bad)
        assert r.status_code == 422 and r.json()["detail"]["field"] == field


def test_overview_page_nl_nl_with_chart_filters_and_sort_links(demo):
    html = demo.get("/").text
    g = demo.get("/api/overzicht").json()
    assert eur(g["grondexploitaties"]["ncw"]) == "€ -2.671.670" and "€ -2.671.670" in html
    assert 'id="totaal-boekwaarde"' in html and 'id="tabel-bbv-status"' in html and 'id="tabel-kasstroom"' in html
    total_2025 = g["kasstroom"]["totaal"][g["kasstroom"]["jaren"].index(2025)]
    assert eur(total_2025) in html
    charts = json.loads(re.search(r'<script type="application/json" class="grafiekdata">(.*?)</script>', html, re.S).group(1))
    bars = charts["grafiek-kasstroom"]["data"]
    assert {b["name"] for b in bars} == {"Grondexploitaties", "Programma's", "Cumulatief"}
    assert charts["grafiek-kasstroom"]["layout"]["separators"] == ",."
    assert 'id="filters"' in html and 'name="sorteer"' in html and 'name="status"' in html and 'name="q"' in html
    assert 'aria-sort="descending"' in html  # the default sort (bijgewerkt, newest first) is marked
    assert "Resultaat NCW: <span class=\"num neg\">€ -3.736.768</span>" in html  # headline with its unit, nl-NL
    assert "In voorbereiding" in html
    filtered = demo.get("/", params={"soort": "grex"}).text
    assert filtered.count('id="document-') == 1
    bad = demo.get("/", params={"sorteer": "geheim"})
    assert bad.status_code == 422 and "sorteer" in bad.text
    assert demo.get("/", params={"q": "bestaat-niet"}).text.count('id="geen-resultaten"') == 1
