"""PDF report of a screening (issue 13 item 4): rule set version and source, summary per location, per location a
page with its PNG map and its verdict per keuze, method with the layers used and missing; CLI, REST and page."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest
from tests.report.conftest import pdf_text
from tests.ruimte.conftest import DEMO, ROOT
from tests.web.fixtures_pages import client, page_app  # noqa: F401

from opengrex.engine.ruimte import OORDEEL_TEKST
from opengrex.services import reports
from opengrex.services import ruimte as svc

PRINTED = dt.datetime(2026, 3, 14, 9, 30)
IMG = 'src="data:image/png;base64,'


@pytest.fixture(scope="module")
def demo():
    return svc.screen(DEMO / "locaties.gpkg", DEMO / "lagen")


@pytest.fixture(scope="module")
def demo_pdf(demo):
    return reports.screening_pdf(demo, afgedrukt=PRINTED)


def without_layer(tmp_path, name: str):
    lagen = tmp_path / "lagen"
    shutil.copytree(DEMO / "lagen", lagen)
    (lagen / f"{name}.gpkg").unlink()
    return lagen


def test_demo_report_has_every_location_with_its_verdicts(demo, demo_pdf, tmp_path):
    text = pdf_text(demo_pdf, tmp_path)
    assert demo_pdf[:5] == b"%PDF-"
    assert "Toetsing Water en bodem sturend" in text and "14-03-2026" in text
    rs = demo.regelset
    assert f"regelset {rs.versie()}" in text and "geldig vanaf 22-10-2024" in text  # the dated rule set used ...
    assert "Kamerstuk 27 625, nr. 688" in text and f"parameters/ruimte/wbs/{rs.geldig_vanaf.isoformat()}.yaml" in text  # ... and its source
    for li, lid in enumerate(demo.ids):
        verdicts = [OORDEEL_TEKST[int(v)] for v in demo.verdict[li]]
        worst = OORDEEL_TEKST[int(demo.verdict[li].max())]
        counts = ", ".join(f"{verdicts.count(o)} {o}" for o in reports.OORDELEN if verdicts.count(o))
        assert f"Locatie {lid} — {demo.namen[li]}: {worst}" in text
        assert f"zwaarste oordeel: {worst} ({counts})" in text
    assert "Oordeel per keuze — locatie L01" in text and "Telling per keuze (alle locaties)" in text
    assert "Methode en bronnen" in text and "Lagen" in text and "geen keuze is niet getoetst" in text
    assert "44,77%" in text and "71.626" in text  # L01 in the uiterwaarden: overlap % and m²


def test_one_map_per_location_and_the_bound(demo):
    html = reports.screening_html(demo)
    assert html.count(IMG) == len(demo.ids) == 11 and html.count("<img") == 11
    html = reports.screening_html(demo, max_kaarten=2)
    assert html.count(IMG) == 2
    assert "de eerste 2 van 11 locaties" in html and "hoogstens 2 per rapport" in html


def test_first_page_is_not_blank(demo_pdf, tmp_path):
    from PIL import Image

    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(demo_pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-singlefile", "-png", str(pdf), str(tmp_path / "p1")], check=True, timeout=60)
    img = Image.open(tmp_path / "p1.png").convert("L")
    dark = sum(img.histogram()[:128])
    assert dark > 0.005 * img.width * img.height


def test_missing_layer_is_niet_getoetst_in_the_report(tmp_path):
    res = svc.screen(DEMO / "locaties.gpkg", without_layer(tmp_path, "natura2000"))
    text = pdf_text(reports.screening_pdf(res, max_kaarten=1), tmp_path)
    assert "Niet getoetst: keuze 33" in text and "laag 'natura2000' ontbreekt" in text
    assert re.search(r"natura2000\s+Natura 2000-gebieden\s+33\s+ontbreekt: keuze", text)  # the layers table of the method
    assert "niet getoetst" in text.split("Oordeel per keuze — locatie L01")[1].split("Methode en bronnen")[0]
    assert "1 niet getoetst" in text


# ----------------------------------------------------------------------------------------------------- CLI
def test_cli_rapport(monkeypatch, capsys, tmp_path):
    from opengrex.cli import main

    monkeypatch.chdir(ROOT)
    out = tmp_path / "toets.pdf"
    code = main(["ruimte", "toets", str(DEMO / "locaties.gpkg"), "--lagen", str(DEMO / "lagen"), "--rapport", str(out), "--max-rijen", "1"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert out.read_bytes()[:5] == b"%PDF-" and f"Rapport geschreven: {out}" in captured.out
    code = main(["ruimte", "toets", str(DEMO / "locaties.gpkg"), "--lagen", str(DEMO / "lagen"), "--rapport", str(tmp_path / "toets.docx")])
    captured = capsys.readouterr()
    assert code == 2 and "--rapport" in captured.err and not (tmp_path / "toets.docx").exists()


# ----------------------------------------------------------------------------------------------------- REST and page
def test_rest_rapport_pdf_and_bad_upload(client, tmp_path):  # noqa: F811
    with open(DEMO / "locaties.geojson", "rb") as fh:
        r = client.post("/api/ruimte/rapport.pdf", params={"regels": "2024-01-01"}, files={"file": ("locaties.geojson", fh.read())})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf" and r.content[:5] == b"%PDF-"
    assert "toets-locaties-2022-11-25.pdf" in r.headers["content-disposition"]
    text = pdf_text(r.content, tmp_path)
    assert "regelset wbs 2022-11-25" in text and "Locatie L03 — Polder Diep Centrum" in text
    r = client.post("/api/ruimte/rapport.pdf", files={"file": ("x.txt", b"geen geo")})
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/json")
    assert r.json()["detail"]["field"] == "bestand"
    r = client.post("/api/ruimte/rapport.pdf", params={"regels": "1990-01-01"}, files={"file": ("l.geojson", (DEMO / "locaties.geojson").read_bytes())})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "--regels"


def test_page_has_the_report_button(client):  # noqa: F811
    r = client.get("/ruimte")
    assert r.status_code == 200 and 'id="rapport-knop"' in r.text and "Rapport (PDF)" in r.text
