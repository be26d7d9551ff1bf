"""Woo: every public output of the demo — CLI text and JSON, explanations, comparisons, the xlsx workbook, the web
page, the REST API, the public YAML — contains no confidential value at any depth: not the transaction prices,
margins and notes themselves, nor the per-year payments of a transaction, nor any figure the confidential variant
shows but the public one withholds (a party total that includes a price would give the price away).

(PDF reports come with the report framework, #11; they will be made from the same public report structure.)
"""
from __future__ import annotations

import io
import json
import re
from typing import Any

import numpy as np
import openpyxl
import pytest
import yaml
from fastapi.testclient import TestClient
from tests.gebied.fixtures_gebied import DEMO, SET_A, SET_B

from opengrex.cli import main
from opengrex.io.xlsx_gebied import write_gebied_xlsx
from opengrex.services import gebied as api
from opengrex.web.app import create_app
from opengrex.web.settings import Settings

SETS = (SET_A, SET_B)


class Secrets:
    """What must not appear: confidential numbers (with their tolerance), fractions (margins) and texts."""

    def __init__(self) -> None:
        self.numbers: set[float] = set()
        self.fractions: set[float] = set()
        self.texts: set[str] = set()

    def add(self, value: Any, derived: bool = False) -> None:
        if isinstance(value, str):
            self.texts.add(value)
            self.texts.add(value[:40])
        elif abs(value) < 1 and not derived:
            self.fractions.add(abs(float(value)))
        elif abs(value) >= 100:
            self.numbers.add(round(abs(float(value)), 2))


@pytest.fixture(scope="module")
def secrets() -> Secrets:
    g = api.load_gebied(DEMO)
    s = Secrets()
    for _, value in api.confidential_values(g):
        s.add(value)
    withheld, published = [], []
    for name in SETS:
        conf = api.calculate_gebied(g, regelset=name)
        pub = api.calculate_gebied(g, regelset=name, openbaar=True)
        for key, mask in pub.weg.items():  # every figure the public variant withholds, as the confidential one has it
            withheld += [float(v) for v in np.asarray(conf.cijfers[key])[np.asarray(mask)]]
            published += [abs(float(v)) for v in np.asarray(pub.cijfers[key])[~np.asarray(mask)]]
    published_arr = np.array(published)
    for v in withheld:  # (a withheld figure that equals a published one, e.g. a result 'after margin' of a party without one, reveals nothing)
        if not np.any(np.abs(published_arr - abs(v)) < 0.51):
            s.add(v, derived=True)
    assert len(s.numbers) > 30 and s.fractions == {0.0875, 0.0725} and len(s.texts) == 4
    return s


_TOKEN = re.compile(r"-?\d[\d.,]*\d|\d")


def _candidates(token: str) -> set[float]:
    """The numbers a token can mean (nl-NL ``1.234.567,89`` or plain ``1234567.89``)."""
    t = token.lstrip("-")
    out = set()
    for text in (t.replace(".", "").replace(",", "."), t.replace(",", "")):
        try:
            out.add(float(text))
        except ValueError:
            pass
    return out


def scan_text(text: str, s: Secrets, where: str) -> None:
    for secret in s.texts:
        assert secret not in text, f"{where}: vertrouwelijke tekst {secret!r}"
    for m in _TOKEN.finditer(text):
        for c in _candidates(m.group()):
            for v in s.numbers:
                assert abs(c - v) > max(0.51, 1e-9 * v), f"{where}: vertrouwelijk bedrag {v} als {m.group()!r}: …{text[max(0, m.start() - 80):m.end() + 40]}…"
            pct = text[m.end() : m.end() + 1] == "%"
            for f in s.fractions:
                assert abs(c - f) > 1e-12 and not (pct and abs(c / 100 - f) < 5e-5), f"{where}: vertrouwelijke marge {f} als {m.group()!r}"


def scan_data(data: Any, s: Secrets, where: str) -> None:
    """Every leaf of a JSON-like structure, at any depth."""
    if isinstance(data, dict):
        for k, v in data.items():
            scan_text(str(k), s, where)
            scan_data(v, s, f"{where}.{k}")
    elif isinstance(data, (list, tuple)):
        for i, v in enumerate(data):
            scan_data(v, s, f"{where}[{i}]")
    elif isinstance(data, bool) or data is None:
        return
    elif isinstance(data, (int, float)):
        x = abs(float(data))
        assert all(abs(x - v) > max(0.01, 1e-9 * v) for v in s.numbers), f"{where}: vertrouwelijk bedrag {data}"
        assert all(abs(x - f) > 1e-12 for f in s.fractions), f"{where}: vertrouwelijke marge {data}"
    else:
        scan_text(str(data), s, where)


def scan_xlsx(content: bytes, s: Secrets, where: str) -> int:
    wb = openpyxl.load_workbook(io.BytesIO(content))
    n = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    n += 1
                    scan_data(c.value, s, f"{where}!{ws.title}!{c.coordinate}")
    return n


def run(capsys, *args) -> str:
    assert main([str(a) for a in args]) == 0
    return capsys.readouterr().out


def test_the_scan_finds_a_leak(secrets):
    """The scan itself works: the confidential variant's outputs are caught."""
    with pytest.raises(AssertionError, match="vertrouwelijk bedrag"):
        scan_text("Afname: € 21.637.500", secrets, "x")
    with pytest.raises(AssertionError, match="vertrouwelijke marge"):
        scan_text("marge 8,75%", secrets, "x")
    with pytest.raises(AssertionError, match="vertrouwelijk bedrag"):
        scan_data({"a": [{"b": 21637500.0}]}, secrets, "x")
    with pytest.raises(AssertionError, match="vertrouwelijke tekst"):
        scan_text("Prijs volgens raamovereenkomst van 12 maart 2024, inclusief 120 parkeerrechten", secrets, "x")
    conf = api.calculate_gebied(api.load_gebied(DEMO)).rapport()
    with pytest.raises(AssertionError):
        scan_data(conf, secrets, "vertrouwelijk")


def test_cli_public_outputs(capsys, secrets, tmp_path):
    for name in SETS:
        scan_text(run(capsys, "gebied", "bereken", DEMO, "--openbaar", "--regelset", name), secrets, f"cli {name}")
        data = json.loads(run(capsys, "gebied", "bereken", DEMO, "--openbaar", "--json", "--regelset", name))
        assert data["variant"] == "openbaar"
        scan_data(data, secrets, f"json {name}")
        res = api.calculate_gebied(api.load_gebied(DEMO), regelset=name, openbaar=True)
        for k in api.kengetallen(res) if name == SET_A else ["fonds", "regel:Ontwikkelrechten"]:
            if k.startswith("partij:") and res.weg["totaal"][res.rekeningen.index(k.split(":", 1)[1])]:
                continue  # refused in public (tested in test_errors)
            scan_data(json.loads(run(capsys, "gebied", "bereken", DEMO, "--openbaar", "--regelset", name, "--verklaar", k)), secrets, f"verklaar {k}")
        out = tmp_path / f"{name[0]}.xlsx"
        run(capsys, "gebied", "export", DEMO, "-o", out, "--openbaar", "--regelset", name)
        assert scan_xlsx(out.read_bytes(), secrets, f"xlsx {name}") > 1000
    scan_text(run(capsys, "gebied", "vergelijk", DEMO, "--openbaar"), secrets, "vergelijk")
    scan_data(json.loads(run(capsys, "gebied", "vergelijk", DEMO, "--openbaar", "--json", "--varieer", "Gebiedsbijdrage.tarief.wonen=0:90:10")), secrets, "varianten")


def test_public_yaml_and_report_sections(secrets):
    g = api.load_gebied(DEMO)
    for embed in (False, True):
        text = yaml.safe_dump(api.gebied_to_dict(g, openbaar=True, embed=embed), allow_unicode=True)
        scan_text(text, secrets, f"yaml embed={embed}")
    pub = api.calculate_gebied(g, openbaar=True)
    scan_data(pub.rapport(), secrets, "rapport")
    scan_data(api.compare_rule_sets(g, openbaar=True).to_dict(), secrets, "vergelijking")


def test_web_public_outputs(tmp_path, secrets):
    app = create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'w.db'}", auth=False, max_upload=5 * 1024 * 1024))
    doc = api.gebied_to_dict(api.load_gebied(DEMO), embed=True)  # the confidential document goes in ...
    with TestClient(app) as c:
        for name in SETS:
            page = c.get("/gebied/demo", params={"openbaar": "1", "regelset": name})
            assert page.status_code == 200 and "Openbare versie (Woo)" in page.text
            scan_text(page.text, secrets, f"pagina {name}")  # ... the public page, its charts and its hidden document do not
            r = c.post("/api/gebied/bereken", params={"openbaar": "true", "regelset": name}, json=doc)
            scan_data(r.json(), secrets, f"api {name}")
            r = c.post("/api/gebied/export", params={"openbaar": "true", "regelset": name}, json=doc)
            scan_xlsx(r.content, secrets, f"api-xlsx {name}")
            up = c.post("/gebied/berekenen", files={"bestand": ("g.yaml", yaml.safe_dump(doc, allow_unicode=True).encode(), "application/yaml")}, data={"openbaar": "1", "regelset": name})
            scan_text(up.text, secrets, f"upload-pagina {name}")
        for k in ("gebied", "fonds", "partij:provincie", "regel:Gebiedsbijdrage"):
            scan_data(c.post("/api/gebied/verklaar", params={"openbaar": "true", "kengetal": k}, json=doc).json(), secrets, f"api-verklaar {k}")
        scan_data(c.post("/api/gebied/vergelijk", params={"openbaar": "true"}, json=doc).json(), secrets, "api-vergelijk")


def test_public_workbook_written_from_public_result_only(secrets, tmp_path):
    """Even the raw cells (inputs, formulas, notes) of the public workbook hold no confidential value."""
    res = api.calculate_gebied(api.load_gebied(DEMO), openbaar=True)
    p = tmp_path / "pub.xlsx"
    write_gebied_xlsx(res, p)
    wb = openpyxl.load_workbook(p)
    assert wb["Transacties"]["E4"].value == "vertrouwelijk" and "Marges" not in wb.sheetnames
    scan_xlsx(p.read_bytes(), secrets, "xlsx")
