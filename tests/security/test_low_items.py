"""Issue #10: the bounded readers and the low items, each reproduced as it was reported (5xx, traceback or a
wrong message on the main of the issue) and checked to be a clear 4xx / exit 2 now."""
from __future__ import annotations

import copy
import errno
import json
import os
import sys
import time
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from opengrex.cli import main
from opengrex.errors import InputError
from opengrex.io.documents import LIMITS, parse_text, read_document
from opengrex.web.app import create_app
from opengrex.web.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "hostile"))
from corpus import EIND, KV2, _template_bytes, alias_bomb, nested_json, nested_yaml_flow, with_far_cell, zip_bomb_sheet  # noqa: E402

INSTALL = str(Path(__import__("opengrex").__file__).resolve().parent)


@pytest.fixture
def client(tmp_path):
    app = create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'l.db'}", auth=False, max_upload=2 * 1024 * 1024, allowed_hosts="testserver"))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def no_paths(text: str) -> None:
    assert "/tmp" not in text and INSTALL not in text and str(ROOT) not in text, text[:400]


# ---------------------------------------------------------------------------------------------- documents
def test_the_342_byte_alias_bomb_is_refused_within_a_second():
    bomb = alias_bomb(9, 10)
    assert len(bomb) < 600  # the bomb: 342 bytes
    t0 = time.process_time()
    with pytest.raises(InputError) as exc:
        parse_text(bomb, "bom.yaml")
    assert time.process_time() - t0 < 1.0
    assert exc.value.field == "bestand" and "250000" in exc.value.allowed and "aliassen meegeteld" in exc.value.message


@pytest.mark.parametrize("text,fmt,what", [
    (nested_yaml_flow(100_000), "yaml", "te diep genest"), (nested_yaml_flow(65), "yaml", "te diep genest"),
    (nested_json(100_000), "json", "te diep genest"), (nested_json(500, "map"), "json", "te diep genest"),
    ("a: &a [*a]\n", "yaml", "verwijst naar zichzelf"), ("x: &x 1\n" + "".join(f"y{i}: *x\n" for i in range(101)), "yaml", "te veel aliassen"),
    ("k: [" + ",".join(["1"] * 300_000) + "]", "yaml", "te groot"), ("x" * (LIMITS.max_chars + 1), "yaml", "te groot"),
])
def test_bounds_refuse_before_building(text, fmt, what):
    t0 = time.process_time()
    with pytest.raises(InputError) as exc:
        parse_text(text, f"x.{fmt}", fmt)
    assert what in exc.value.message and exc.value.field == "bestand", exc.value
    assert time.process_time() - t0 < 2.0


def test_aliases_within_budget_still_load_with_lines():
    data, loc = parse_text("basis: &b {a: 1, b: 2}\nkopie: *b\nlijst:\n  - *b\n", "x.yaml")
    assert data["kopie"] == {"a": 1, "b": 2} and data["lijst"][0]["b"] == 2
    assert loc.where(("kopie",)) == "x.yaml, regel 2" and loc.where(("lijst",)) == "x.yaml, regel 3"


@pytest.mark.parametrize("bad,what", [("a\ud800b", "surrogaat"), ("a\x00b", "NUL")])
def test_text_a_database_cannot_store_is_refused_at_input(client, demo_data, bad, what):
    for body in ({"data": {**demo_data, "naam": bad}}, {"data": {**demo_data, "indexreeksen": {**demo_data["indexreeksen"], bad: 0.01}}}):
        r = client.post("/api/grex", content=json.dumps(body), headers={"content-type": "application/json"})
        assert r.status_code == 422 and what in r.json()["detail"]["message"], r.text
    assert client.get("/api/health").json()["documents"] == 0
    text = yaml.safe_dump({**demo_data, "naam": bad}, allow_unicode=True) if what == "NUL" else 'name: "a\\ud800b"\n'
    with pytest.raises(InputError, match=f"{what}|ongeldige YAML"):
        parse_text(text, "x.yaml")


def test_api_upload_of_a_bomb_names_the_field_bestand_and_the_limit(client):
    for name, content in (("bom.yaml", alias_bomb(9, 10)), ("diep.json", nested_json(10_000)), ("diep.yaml", nested_yaml_flow(10_000))):
        t0 = time.process_time()
        r = client.post("/api/grex/upload", files={"file": (name, content)})
        assert time.process_time() - t0 < 2.0
        d = r.json()["detail"]
        assert r.status_code == 422 and d["field"] == "bestand" and "hoogstens" in d["allowed"], d


# ---------------------------------------------------------------------------------------------- workbooks
@pytest.fixture(scope="module")
def grex_book() -> bytes:
    return _template_bytes("grex")


def test_a_cell_at_xfd1048576_is_refused_by_name_without_looping(tmp_path, grex_book):
    from opengrex.io.xlsx_template import import_grex_xlsx

    book = grex_book
    for i in range(1, 6):
        book = with_far_cell(book, i)
    p = tmp_path / "ver.xlsx"
    p.write_bytes(book)
    t0 = time.process_time()
    with pytest.raises(InputError) as exc:
        import_grex_xlsx(p)
    assert time.process_time() - t0 < 2.0
    assert "cel XFD1048576" in exc.value.location and "buiten het bereik" in exc.value.message


def test_the_used_range_is_what_is_read(tmp_path, grex_book):
    from opengrex.io.xlsx_reader import open_workbook

    p = tmp_path / "g.xlsx"
    p.write_bytes(grex_book)
    with open_workbook(p) as wb:
        ws = wb["Kosten"]
        assert 3 <= ws.max_row < 100 and ws.max_column < 100


@pytest.mark.parametrize("make,what", [
    (lambda b: zip_bomb_sheet(b, 1, 40), "te groot"),
    (lambda b: zip_bomb_sheet(b, 2, 12), "gecomprimeerd"),
])
def test_zip_bombs_are_refused_before_openpyxl(tmp_path, grex_book, make, what, client):
    from opengrex.io.xlsx_template import import_grex_xlsx

    p = tmp_path / "bom.xlsx"
    p.write_bytes(make(grex_book))
    t0 = time.process_time()
    with pytest.raises(InputError, match=what):
        import_grex_xlsx(p)
    assert time.process_time() - t0 < 1.0
    for kind in ("grex", "kostenverhaal", "programma", "bijdrage", "eindafrekening"):
        r = client.post(f"/api/{kind}/upload", files={"file": ("bom.xlsx", p.read_bytes())})
        assert r.status_code == 422 and r.json()["detail"]["field"] == "bestand", (kind, r.text)
        no_paths(r.text)


# ---------------------------------------------------------------------------------------------- names, ids, values
@pytest.mark.parametrize("name", ["x" * 300, "../../../../etc/passwd", "/etc", "soest/../..", "~"])
def test_rate_tables_and_parameter_sets_by_name_only(client, name):
    e = copy.deepcopy(EIND)
    e["rente"] = name
    k = copy.deepcopy(KV2)
    k["parameterset"] = name
    for kind, body, field in (("eindafrekening", e, "rente"), ("kostenverhaal", k, "parameterset")):
        r = client.post(f"/api/{kind}/calculate", json=body)
        assert r.status_code == 422, r.text
        assert r.json()["detail"]["field"] == field or any(x["field"] == field for x in r.json()["detail"].get("errors", []))
        no_paths(r.text)


def test_a_document_from_the_web_names_no_server_file(client):
    k = copy.deepcopy(KV2)
    k["initiatiefnemer"] = {"grex": {"bestand": str(ROOT / "examples" / "demo-grex.yaml"), "basis": "prijspeil"}}
    r = client.post("/api/kostenverhaal/calculate", json=k)
    assert r.status_code == 422 and "bestand op de server" in r.text
    no_paths(r.text)


def test_eindafrekening_far_dates(client):
    e = copy.deepcopy(EIND)
    e["datum"] = "9999-12-31"
    r = client.post("/api/eindafrekening/calculate", json=e)
    assert r.status_code == 422 and r.json()["detail"]["field"] == "datum"


def test_ids_beyond_the_database_integer_are_404(client, demo_data):
    doc = client.post("/api/grex", json={"data": demo_data}).json()["id"]
    for big in (2**63, 2**64 + 1, 10**30):
        assert client.get(f"/api/grex/{big}").status_code == 404
        assert client.get(f"/api/documents/{big}").status_code == 404
        assert client.delete(f"/api/grex/{big}").status_code == 404
        assert client.put(f"/api/grex/{big}", json={"data": demo_data}).status_code == 404
        assert client.get(f"/api/grex/{doc}/versions/{big}").status_code == 404
        assert client.get(f"/api/grex/{doc}/export.yaml", params={"version": big}).status_code == 404
        assert client.get(f"/api/grex/{doc}/compare", params={"a": 1, "b": big}).status_code == 404
        assert client.get(f"/grex/{big}").status_code == 404


def test_grex_page_explains_irr_and_badkuip(client):
    from urllib.parse import urlencode

    from opengrex.services.grex import load_grex

    sys.path.insert(0, str(ROOT))
    from tests.web.form_helpers import FormFields

    items = FormFields.of("grex", load_grex(ROOT / "examples" / "demo-grex.yaml")).items
    for k in ("irr", "badkuip", "ncw"):
        r = client.post(f"/grex/uitleg?kengetal={k}", content=urlencode(items), headers={"content-type": "application/x-www-form-urlencoded"})
        assert r.status_code == 200 and "Regel:" in r.text, (k, r.text[:200])


def test_every_amount_at_max_float(client, demo_data):
    d = copy.deepcopy(demo_data)
    for ln in d["kosten"] + d["opbrengsten"]:
        ln["bedrag"] = 1.7976931348623157e308
    r = client.post("/api/grex/calculate", json=d)
    assert r.status_code == 200 and r.json()["irr"]["waarde"] is None and r.json()["irr"]["toelichting"].startswith("geen IRR"), r.text[:300]
    assert client.post("/api/grex", json={"data": d}).status_code in (201, 422)


def test_long_and_unicode_names_in_uploads_and_downloads(client, demo_data):
    text = (ROOT / "examples" / "demo-grex.yaml").read_bytes()
    long_name = "é" * 200 + ".yaml"
    r = client.post("/api/grex/upload", files={"file": (long_name, text)})
    assert r.status_code == 201, r.text
    r = client.post("/upload", data={"soort": "grex"}, files={"bestand": (long_name, text)}, follow_redirects=False)
    assert r.status_code == 303
    xlsx = _template_bytes("grex")
    assert client.post("/api/grex/upload", files={"file": ("é" * 200 + ".xlsx", xlsx)}).status_code == 201
    doc = client.post("/api/grex", json={"data": {**demo_data, "naam": "Ωmega ☃ 東京 <!--<script>"}}).json()["id"]
    client.post("/demo")
    urls = [f"/api/grex/{doc}/export.yaml", f"/api/grex/{doc}/export.json", f"/api/grex/{doc}/export.xlsx", f"/grex/{doc}/download.yaml", f"/grex/{doc}/download.xlsx"]
    for d in client.get("/api/documents").json():
        if d["kind"] != "grex":
            urls.append(f"/{d['kind']}/{d['id']}/download.yaml")
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, url
        r.headers["content-disposition"].encode("latin-1")
    assert "%CE%A9mega" in client.get(urls[0]).headers["content-disposition"]


def test_script_like_names_cannot_break_the_chart_json(client):
    from opengrex.services.programma import load_programme, programme_to_dict

    prog = programme_to_dict(load_programme(ROOT / "examples" / "hart-van-de-heuvelrug" / "mastergrex-2013.yaml"))
    old = prog["projecten"][0]["naam"]
    evil = "A <!--<script> </script><b>"
    blob = json.dumps(prog).replace(json.dumps(old)[1:-1], evil)
    r = client.post("/api/programma", json={"data": json.loads(blob)})
    assert r.status_code == 201, r.text[:300]
    page = client.get(f"/programma/{r.json()['id']}").text
    import re

    blocks = re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', page, re.S)
    assert blocks and all("<" not in b for b in blocks)
    assert any(evil in json.dumps(json.loads(b), ensure_ascii=False) for b in blocks)


# ---------------------------------------------------------------------------------------------- the database
def _app(tmp_path, url, migrate=True):
    return create_app(Settings(data_dir=tmp_path, database_url=url, migrate=migrate, allowed_hosts="testserver"))


def test_read_only_database_is_503(tmp_path, demo_data):
    from sqlalchemy import event

    app = _app(tmp_path, f"sqlite:///{tmp_path / 'ro.db'}")
    event.listen(app.state.db.engine, "connect", lambda conn, _: conn.execute("PRAGMA query_only=ON"))
    app.state.db.engine.dispose()
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.post("/api/grex", json={"data": demo_data})
        assert r.status_code == 503 and "alleen-lezen" in r.json()["detail"]["message"], r.text
        p = c.post("/demo")
        assert p.status_code == 503 and "alleen-lezen" in p.text and p.headers["content-type"].startswith("text/html")


def test_full_disk_is_507(tmp_path, demo_data, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from opengrex.store import repository

    app = _app(tmp_path, f"sqlite:///{tmp_path / 'vol.db'}")

    def full(*a, **k):
        raise OperationalError("INSERT", {}, Exception("database or disk is full"))

    monkeypatch.setattr(repository, "create_document", full)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.post("/api/grex", json={"data": demo_data})
        assert r.status_code == 507 and "schijf" in r.json()["detail"]["message"]


def test_database_server_down_is_503(tmp_path):
    from opengrex.testing import free_port

    app = _app(tmp_path, f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/opengrex?connect_timeout=2", migrate=False)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/grex")
        assert r.status_code == 503 and "niet bereikbaar" in r.json()["detail"]["message"], r.text
        assert "Traceback" not in r.text and "psycopg" not in r.text
        assert c.get("/grex").status_code == 503


# ---------------------------------------------------------------------------------------------- the CLI
def test_cli_directory_instead_of_a_file(tmp_path, capsys):
    d = tmp_path / "map.yaml"
    d.mkdir()
    assert main(["grex", "bereken", str(d)]) == 2
    assert "map" in capsys.readouterr().err
    assert main(["grex", "import", str(tmp_path), "-o", str(tmp_path / "x.yaml")]) == 2
    assert "map" in capsys.readouterr().err


def test_cli_output_on_a_directory_full_disk_unwritable(tmp_path, capsys, monkeypatch):
    demo = str(ROOT / "examples" / "demo-grex.yaml")
    out = tmp_path / "uit.xlsx"
    out.mkdir()
    assert main(["grex", "export", demo, "-o", str(out)]) == 2
    assert "is een map" in capsys.readouterr().err
    import opengrex.cli.output as output

    def enospc(*a):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output.os, "replace", enospc)
    assert main(["grex", "export", demo, "-o", str(tmp_path / "a.xlsx")]) == 2
    assert "schijf is vol" in capsys.readouterr().err
    monkeypatch.undo()

    def eacces(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(output.tempfile, "mkstemp", eacces)
    assert main(["grex", "export", demo, "-o", str(tmp_path / "b.xlsx")]) == 2
    assert "geen schrijfrechten" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["uit.xlsx"]


def test_cli_deeply_nested_file(tmp_path, capsys):
    p = tmp_path / "diep.json"
    p.write_text(nested_json(50_000))
    assert main(["grex", "bereken", str(p)]) == 2
    err = capsys.readouterr().err
    assert "te diep genest" in err and "Traceback" not in err


def test_cli_unreadable_file_is_not_reported_as_missing(tmp_path, capsys, monkeypatch):
    p = tmp_path / "geheim.yaml"
    p.write_text((ROOT / "examples" / "demo-grex.yaml").read_text())
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    assert main(["grex", "bereken", str(p)]) == 2
    err = capsys.readouterr().err
    assert "niet gevonden" not in err and ("geen toegang" in err or "not readable" in err), err
    with pytest.raises(InputError, match="geen toegang"):  # the readers themselves (programmes, cases, templates, API)
        read_document(p)
    from opengrex.io.xlsx_reader import check_workbook

    with pytest.raises(InputError, match="geen toegang"):
        check_workbook(p)


def test_serve_refuses_a_network_address_without_accounts(monkeypatch, capsys, tmp_path):
    import uvicorn

    monkeypatch.setenv("OPENGREX_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("OPENGREX_DATABASE_URL", raising=False)
    monkeypatch.delenv("OPENGREX_AUTH", raising=False)
    ran = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: ran.append(k))
    for host in ("0.0.0.0", "::", "192.0.2.1"):
        assert main(["serve", "--host", host]) == 2
        err = capsys.readouterr().err
        assert "OPENGREX_AUTH=1" in err and "--onveilig-zonder-accounts" in err
    assert ran == []
    assert main(["serve", "--host", "0.0.0.0", "--onveilig-zonder-accounts", "--port", "8123"]) == 0
    out = capsys.readouterr().out
    assert "http://0.0.0.0:8123" in out and "127.0.0.1" not in out and ran[-1]["host"] == "0.0.0.0"
    assert os.environ["OPENGREX_BIND_HOST"] == "0.0.0.0"
    monkeypatch.setenv("OPENGREX_AUTH", "1")
    assert main(["serve", "--host", "0.0.0.0", "--port", "8124"]) == 0
    assert main(["serve", "--host", "::1", "--port", "8125"]) == 0  # loopback needs nothing
    assert "http://[::1]:8125" in capsys.readouterr().out
