"""The public report never contains a field marked ``vertrouwelijk`` (issue #11 item 7), proven by a scan: every
confidential field at every depth of every demo document is filled with a unique marker, the reports are made and
their text (pdftotext, and the HTML) is searched. The confidential variant does show them (the markers really reach
the report), a viewer always gets the public variant, through the API too (document and portfolio)."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient
from tests.report.conftest import pdf_text
from tests.web.test_redaction import MARK, fill

from opengrex.services import documents, reports
from opengrex.services.documents import demo_files
from opengrex.services.kinds import get_kind
from opengrex.store.users import add_user
from opengrex.web.app import create_app
from opengrex.web.settings import Settings

MARKER = re.compile(MARK + r"-\d+-\d{5}")


def marked_documents():
    out = []
    for kind, path in demo_files():
        k = get_kind(kind)
        data, marks = fill(kind, k.to_data(k.load(path)), 1)
        if marks:
            out.append((kind, path.name, k.validate(data, path.name), marks))
    return out


MARKED = marked_documents()


def test_the_demo_covers_confidential_fields_of_several_kinds():
    assert {"grex", "kostenverhaal", "programma"} <= {k for k, *_ in MARKED}


@pytest.mark.parametrize(("kind", "name", "model", "marks"), MARKED, ids=[f"{k}-{n}" for k, n, *_ in MARKED])
def test_public_report_has_no_confidential_value(kind, name, model, marks, tmp_path):
    html = reports.document_html(kind, model, openbaar=True)
    assert not MARKER.search(html), MARKER.search(html)
    text = pdf_text(reports.document_pdf(kind, model, openbaar=True), tmp_path)
    assert "openbaar" in text.lower()
    assert not MARKER.search(text), MARKER.search(text)


def test_confidential_report_shows_the_notes(tmp_path):
    """The scan can find markers: the confidential variant of the grex lists its lines with their notes."""
    kind, name, model, marks = next(m for m in MARKED if m[0] == "grex")
    html = reports.document_html(kind, model, openbaar=False)
    assert sum(1 for m in marks if m in html) == len(marks)
    text = pdf_text(reports.document_pdf(kind, model, openbaar=False), tmp_path)
    assert MARKER.search(text)


@pytest.fixture(scope="module")
def auth_app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rapport-auth")
    app = create_app(Settings(data_dir=tmp, database_url=f"sqlite:///{tmp / 'r.db'}", auth=True, secret_key="test-geheim"))
    ids = {}
    with app.state.db.transaction() as s:
        add_user(s, name="eva", password="editor-wachtwoord", role="editor")
        add_user(s, name="victor", password="viewer-wachtwoord", role="viewer")
        for kind, _name, model, _ in MARKED[:1] + [m for m in MARKED if m[0] == "programma"][:1]:
            ids[kind] = documents.create(s, kind=kind, model=model, author="eva").id
    yield app, ids
    app.state.db.dispose()


def login(app, name: str, password: str) -> TestClient:
    c = TestClient(app, raise_server_exceptions=False)
    assert c.post("/api/auth/login", json={"name": name, "password": password}).status_code == 200
    return c


def test_viewer_always_gets_the_public_report(auth_app, tmp_path):
    app, ids = auth_app
    viewer, editor = login(app, "victor", "viewer-wachtwoord"), login(app, "eva", "editor-wachtwoord")
    gid = ids["grex"]
    r = viewer.get(f"/api/grex/{gid}/rapport.pdf")  # no ?openbaar: still public for a viewer
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert "openbaar" in r.headers["content-disposition"]
    assert not MARKER.search(pdf_text(r.content, tmp_path, "viewer"))
    r = viewer.get("/api/portefeuille/rapport.pdf")
    assert r.status_code == 200 and not MARKER.search(pdf_text(r.content, tmp_path, "viewer-portefeuille"))
    r = editor.get(f"/api/grex/{gid}/rapport.pdf")
    assert "vertrouwelijk" in r.headers["content-disposition"] and MARKER.search(pdf_text(r.content, tmp_path, "editor"))
    r = editor.get(f"/api/grex/{gid}/rapport.pdf?openbaar=1")
    assert not MARKER.search(pdf_text(r.content, tmp_path, "editor-openbaar"))
    assert TestClient(app).get(f"/api/grex/{gid}/rapport.pdf").status_code == 401
    assert editor.get("/api/grex/999999/rapport.pdf").status_code == 404


def test_cli_report_of_a_file_and_of_the_portfolio(tmp_path):
    from opengrex.services.documents import EXAMPLES

    env = {"OPENGREX_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "PATH": "/usr/bin:/bin"}
    cmd = [sys.executable, "-m", "opengrex.cli"]
    out = tmp_path / "grex.pdf"
    r = subprocess.run([*cmd, "rapport", "grex", str(EXAMPLES / "demo-grex.yaml"), "-o", str(out), "--openbaar"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "De Hoge Akker" in pdf_text(out.read_bytes(), tmp_path, "cli")
    r = subprocess.run([*cmd, "rapport", "portefeuille", "-o", str(tmp_path / "p.pdf")], capture_output=True, text=True, timeout=300, env=env)
    assert r.returncode == 2 and "opengrex db upgrade" in r.stderr  # an empty database is a message, not a traceback
    for step in (["db", "upgrade"], ["db", "demo"]):
        assert subprocess.run([*cmd, *step], capture_output=True, text=True, timeout=300, env=env).returncode == 0
    r = subprocess.run([*cmd, "rapport", "portefeuille", "-o", str(tmp_path / "p.pdf")], capture_output=True, text=True, timeout=300, env=env)
    assert r.returncode == 0, r.stderr
    text = pdf_text((tmp_path / "p.pdf").read_bytes(), tmp_path, "portefeuille")
    assert "Portefeuille" in text and "De Hoge Akker (demo)" in text and ("Mastergrex" in text or "Hart van de Heuvelrug" in text)
    r = subprocess.run([*cmd, "rapport", "onbekend", "x.yaml", "-o", str(tmp_path / "x.pdf")], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "portefeuille" in r.stderr
