"""PDF reports (issue #11 item 7): every registered kind gets one (own sections or the generic default), with its
headline figures in nl-NL, tables per year, charts, method and parameters with sources; the public variant holds no
confidential value (scan test in test_report_redaction.py); CLI and REST endpoints."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from tests.report.conftest import pdf_pages, pdf_text

from opengrex.formatting import eur, format_by_unit
from opengrex.io.report import Grafiek, Report, Sectie, Tabel, render_html
from opengrex.io.report.svg import figure_svg, money_tick
from opengrex.services import reports
from opengrex.services.documents import demo_files
from opengrex.services.kinds import get_kind, kinds

DEMOS = demo_files()
PRINTED = dt.datetime(2026, 3, 14, 9, 30)


def first_demo(kind: str):
    return next(p for k, p in DEMOS if k == kind)


@pytest.mark.parametrize("kind", sorted(reports.BUILTIN))
def test_every_builtin_kind_reports_its_headline_figures(kind, tmp_path):
    k = get_kind(kind)
    model = k.load(first_demo(kind))
    result = k.calculate(model)
    pdf = reports.document_pdf(k, model, versie=3, document_id=7, afgedrukt=PRINTED)
    text = pdf_text(pdf, tmp_path)
    assert pdf[:5] == b"%PDF-" and pdf_pages(text) >= 2
    for key, value in k.headline(result).items():
        h = next(h for h in k.headlines if h.key == key)
        shown = eur(value) if h.eenheid.startswith("EUR") else format_by_unit(value, "decimaal")
        assert shown in text, (kind, key, shown)
    assert k.document_name(model) in text
    assert "versie 3" in text and "14-03-2026" in text  # running header: version and print date
    assert re.search(r"pagina 1 van \d+", text)  # page numbers
    assert "Methode en bronnen" in text
    assert "vertrouwelijk" in text.lower()


def test_grex_report_has_tables_per_year_charts_and_sources(tmp_path):
    k = get_kind("grex")
    model = k.load(first_demo("grex"))
    result = k.calculate(model)
    html = reports.document_html(k, model)
    assert html.count('src="data:image/svg+xml;base64,') == 3  # the three charts of the page
    text = pdf_text(reports.document_pdf(k, model), tmp_path)
    for year in result.years:
        assert str(year) in text
    yf = result.yearly_frame()
    assert eur(float(yf["boekwaarde"].iloc[-1])) in text  # the last book value, in the per-year table
    assert "Parameters en bronnen" in text and "Regel:" in text and "Bron:" in text
    assert "badkuip" in text.lower()
    # kostensoorten in natural order: A2 before A10
    codes = re.findall(r"^\s*(A\d+)\s", text, flags=re.M)
    numbers = [int(c[1:]) for c in codes[: len(set(codes))]]
    assert numbers == sorted(numbers)


def test_bijdrage_parameters_by_unit(tmp_path):
    """Defect: grondquote 13 % and btw 21 % were shown as '€ 0', hardheid 100 % as '€ 1'."""
    k = get_kind("bijdrage")
    model = k.load(first_demo("bijdrage"))
    text = pdf_text(reports.document_pdf(k, model), tmp_path)
    line = next(ln for ln in text.splitlines() if "grondquote.sociaal" in ln)
    assert "13,00%" in line and "€" not in line
    assert "21,00%" in next(ln for ln in text.splitlines() if re.match(r"\s*btw\s", ln))
    assert "100,00%" in next(ln for ln in text.splitlines() if "hardheid_investeringen.hard" in ln)


def test_a_new_kind_gets_a_report_for_free(tmp_path):
    """The toy kind of CONTRIBUTING.md has no report hook: the generic report has its headline figure, its summary
    and the explanation of its figure with the rule and source."""
    from tests.web.test_toy_kind import SPAARPOT, Spaarpot

    assert SPAARPOT.report is None
    model = Spaarpot(naam="Potje", bedrag=1000.0, rente=0.05, jaren=2)
    text = pdf_text(reports.document_pdf(SPAARPOT, model), tmp_path)
    assert "Potje" in text and "Eindbedrag" in text and eur(1102.5) in text
    assert "Opgerent bedrag" in text and "CONTRIBUTING.md" in text  # rule and source of the explanation


def test_wide_tables_are_split_into_column_blocks():
    t = Tabel("Breed", ["Code", *[str(y) for y in range(2025, 2045)], "Totaal"], [["A1", *[1000.0] * 21]], labels=1)
    blocks = t.blokken(max_kolommen=9)
    assert len(blocks) == 3 and all(b["kolommen"][0] == "Code" for b in blocks)
    assert sum(len(b["kolommen"]) - 1 for b in blocks) == 21
    assert blocks[0]["rijen"][0][1] == ("€ 1.000", "n")


def test_row_units_and_cell_formats():
    t = Tabel.van_records("P", [{"parameter": "grondquote", "waarde": 0.13, "eenheid": "%"}, {"parameter": "woz", "waarde": 260000.0, "eenheid": "EUR"}])
    rows = t.blokken()[0]["rijen"]
    assert [r[1][0] for r in rows] == ["13,00%", "€ 260.000"]
    assert t.blokken()[0]["kolommen"] == ["Parameter", "Waarde"]  # the unit column itself is not shown
    assert format_by_unit(2031, "jaar") == "2031" and format_by_unit(1.0, "%") == "100,00%" and format_by_unit(12.5, "m²") == "12,50 m²"


def test_chart_svg_keeps_text_and_says_when_there_are_no_amounts():
    svg = figure_svg({"data": [{"type": "bar", "x": [2025, 2026], "y": [0.0, 0.0], "name": "Kosten"}],
                      "layout": {"title": {"text": "Kasstromen per jaar"}, "yaxis": {"tickprefix": "€ "}}})
    assert svg.startswith("<svg") and "Kasstromen per jaar" in svg and "geen bedragen" in svg
    assert money_tick(2_500_000, 1e7) == "€ 2,5 mln" and money_tick(25_000, 1e5) == "€ 25.000"
    for kind in ("waterfall", "heatmap", "sankey", "histogram"):
        fig = {"waterfall": {"type": "waterfall", "x": ["a", "b", "c"], "measure": ["absolute", "relative", "total"], "y": [5e6, -1e6, 0]},
               "heatmap": {"type": "heatmap", "z": [[1, 2], [3, 4]]},
               "sankey": {"type": "sankey", "node": {"label": ["a", "b"]}, "link": {"source": [0], "target": [1], "value": [3e6]}},
               "histogram": {"type": "histogram", "x": [1, 2, 2, 3]}}[kind]
        assert figure_svg({"data": [fig], "layout": {"title": {"text": kind}}}).startswith("<svg")


def test_report_html_escapes_document_text():
    r = Report("<script>x</script>", [], ondertitel="a & b")
    r.inleiding = [Sectie("S", tekst=["<b>niet vet</b>"], grafieken=[Grafiek({"data": [], "layout": {}})])]
    html = render_html(r)
    assert "<script>x" not in html and "&lt;b&gt;niet vet&lt;/b&gt;" in html


def test_every_registered_kind_has_a_report():
    for k in kinds():
        model = k.load(first_demo(k.name)) if any(kk == k.name for kk, _ in DEMOS) else None
        if model is None:
            continue
        secties = reports.sections(k, model, k.calculate(model))
        assert secties and secties[0].kern, k.name


def test_natural_sort():
    assert sorted(["A10", "A2", "A1", "B1", "A11"], key=reports.natural_key) == ["A1", "A2", "A10", "A11", "B1"]


def test_portfolio_report_is_a_council_mpg(tmp_path):
    """The MPG of a stored portfolio: per grex the BBV figures, the weerstandsvermogen with its class, charts, per
    year; the first page rendered (pdftoppm) is not blank and holds the headline figures (pdftotext)."""
    import shutil
    import subprocess

    from PIL import Image

    k = get_kind("portefeuille")
    model = k.load(first_demo("portefeuille"))
    w = k.calculate(model)
    html = reports.document_html(k, model)
    assert html.count('src="data:image/svg+xml;base64,') == 3  # cash flow, book value, NCW per grex
    pdf = reports.document_pdf(k, model)
    text = pdf_text(pdf, tmp_path)
    for name in w.names:
        assert name in text
    tot = w.totalen()
    for key in ("boekwaarde", "ncw", "voorziening", "winst_genomen"):
        assert eur(tot[key]) in text, key
    assert f"klasse {w.weerstand['klasse']}" in text and "Per grondexploitatie" in text and "Weerstandsvermogen" in text
    assert f"balansjaar {w.balansjaar}" in text
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm ontbreekt; installeer poppler-utils (scripts/install-system-deps.sh)")
    (tmp_path / "mpg.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(tmp_path / "mpg.pdf"), str(tmp_path / "p")], check=True, timeout=60)
    png = next(tmp_path.glob("p*.png"))
    img = Image.open(png).convert("L")
    dark = sum(img.histogram()[:128])
    assert dark > 0.01 * img.width * img.height  # text and figures on the first page, not a blank page
    first = pdf_text(pdf, tmp_path, "eerste").split("\f")[0]
    assert eur(tot["boekwaarde"]) in first and "Kerncijfers" in first


def test_gebied_report_public_variant_withholds_the_confidential_sections(tmp_path):
    k = get_kind("gebied")
    model = k.load(first_demo("gebied"))
    confidential = pdf_text(reports.document_pdf(k, model), tmp_path, "vertrouwelijk")
    public = pdf_text(reports.document_pdf(k, model, openbaar=True), tmp_path, "openbaar")
    assert "Transacties (vertrouwelijk)" in confidential and "Marges (vertrouwelijk)" in confidential
    assert "Transacties" not in public and "Marges" not in public
    for title in ("Eén portemonnee per jaar", "Spelregels", "Investeringen"):
        assert title in public and title in confidential
    result = k.calculate(model)
    for p in result.rapport()["partijen"]:
        assert p["naam"] in public
