"""Nothing confidential reaches a viewer (issue #10 item 6, issue #9 item 2).

Every confidential field (``veld(..., vertrouwelijk=True)``) at every depth of every demo document — grex line notes,
the notes of the grex embedded in a kostenverhaal case, of every programme project's grex and of a project added by a
scenario — is filled with a unique marker. Two versions are stored (different markers), then a viewer account asks
for every document through every route: the REST API (document, list, versions, version detail, compare, every
export, calculate, explanation, the programme's risk/scenarios/difference) and every page (list, detail, versions,
compare, an older version, downloads, risk). No response may contain a marker; an editor does see them (so the
markers really are in the store).
"""
from __future__ import annotations

import io
import itertools
import re
import zipfile
from typing import Any

import pytest
from fastapi.testclient import TestClient

from opengrex.model.redact import map_confidential
from opengrex.services import documents
from opengrex.services.documents import demo_files
from opengrex.services.kinds import get_kind
from opengrex.store.users import add_user
from opengrex.web.app import create_app
from opengrex.web.settings import Settings

MARK = "GEHEIM"
_counter = itertools.count(1)
NUMBERS: list[float] = []
"""Numeric markers (a confidential price or margin cannot hold a text marker): unique, and searched for as text."""


def _numeric(info) -> bool:
    ann = info.annotation
    return ann is float or float in getattr(ann, "__args__", ())


def fill(kind: str, data: dict[str, Any], version: int) -> tuple[dict[str, Any], list[Any]]:
    """``data`` with every confidential field (present or not) set to a unique marker; the markers used. A numeric
    field gets a unique number (an amount 9.876.5xx.x10, a fraction 0,50000xx for a field in %)."""
    used: list[Any] = []

    def mark(path, info, value):
        n = next(_counter)
        if _numeric(info):
            extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
            v = 0.5 + n / 1e7 if extra.get("eenheid") == "%" else float(9_876_500_010 + 1000 * n)
            NUMBERS.append(v)
            used.append(v)
            return v
        m = f"{MARK}-{version}-{n:05d}-" + ".".join(map(str, path))
        used.append(m)
        return m

    return map_confidential(get_kind(kind).model, data, mark, insert=True), used


def number_forms(v: float) -> list[str]:
    """How a numeric marker could show: as JSON/YAML, and in nl-NL notation on a page or in a workbook."""
    if v < 1:
        return [repr(v), repr(v).replace(".", ",")]
    return [repr(v), str(int(v)), f"{int(v):,}".replace(",", ".")]


def grex_lines(o: Any) -> list[dict[str, Any]]:
    """Every grex cost/revenue line at any depth, found by its shape (independent of the schema walker)."""
    out = []
    if isinstance(o, dict):
        if ("kostensoort" in o or "opbrengstsoort" in o) and "phasing" in o:
            out.append(o)
        for v in o.values():
            out += grex_lines(v)
    elif isinstance(o, list):
        for v in o:
            out += grex_lines(v)
    return out


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """An app with accounts, every demo document stored twice (version 1 and 2, each with its own markers)."""
    tmp = tmp_path_factory.mktemp("redactie")
    app = create_app(Settings(data_dir=tmp, database_url=f"sqlite:///{tmp / 'r.db'}", auth=True, secret_key="test-geheim", max_upload=5 * 1024 * 1024))
    docs: list[tuple[str, int, int]] = []  # (kind, id, markers per version)
    with app.state.db.transaction() as s:
        add_user(s, name="eva", password="editor-wachtwoord", role="editor")
        add_user(s, name="victor", password="viewer-wachtwoord", role="viewer")
        for kind, path in demo_files():
            k = get_kind(kind)
            data = k.to_data(k.load(path))
            v1, marks1 = fill(kind, data, 1)
            v2, _ = fill(kind, data, 2)
            lines = grex_lines(v1)
            # the walker reached every grex line wherever it is embedded (checked by shape, not by the schema)
            assert all(str(ln.get("note", "")).startswith(MARK) for ln in lines), (kind, path.name)
            assert len(marks1) >= len(lines)
            doc = documents.create(s, kind=kind, data=v1, author="eva", source=str(path))
            documents.save_version(s, document_id=doc.id, data=v2, author="eva")
            docs.append((kind, doc.id, len(marks1)))
    kinds_with_marks = {k for k, _, n in docs if n}
    # the demo covers notes in a grex, in a kostenverhaal's embedded grex and in programme projects' grexes
    assert {"grex", "kostenverhaal", "programma"} <= kinds_with_marks
    assert any(n > 0 for k, _, n in docs if k == "kostenverhaal" and n)
    yield app, docs
    app.state.db.dispose()


def login(app, name: str, password: str) -> tuple[TestClient, str]:
    c = TestClient(app, raise_server_exceptions=False)
    r = c.post("/api/auth/login", json={"name": name, "password": password})
    assert r.status_code == 200, r.text
    return c, r.json()["csrf_token"]


def text_of(r) -> str:
    """Everything a response shows: its text, or every file inside an xlsx (zip) download."""
    body = r.content
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return body.decode("utf-8", "replace") + "\n" + "\n".join(f"{k}: {v}" for k, v in r.headers.items())


def requests_for(kind: str, doc_id: int) -> list[tuple[str, str, dict[str, Any]]]:
    """Every viewer-visible route of one document: (method, url, extra)."""
    k = get_kind(kind)
    api = f"/api/{kind}/{doc_id}"
    out: list[tuple[str, str, dict[str, Any]]] = [
        ("get", api, {}), ("get", f"/api/documents/{doc_id}", {}), ("get", f"/api/{kind}", {}), ("get", "/api/documents", {}),
        ("get", f"{api}/versions", {}), ("get", f"{api}/versions/1", {}), ("get", f"{api}/versions/2", {}),
        ("get", f"{api}/compare?a=1&b=2", {}), ("get", f"{api}/compare?a=2&b=1", {}),
        ("post", f"{api}/calculate", {}), ("post", f"{api}/calculate?version=1", {}),
    ]
    for e in k.all_exporters:
        out += [("get", f"{api}/export.{e.key}", {}), ("get", f"{api}/export.{e.key}?version=1", {})]
    for kengetal in k.kengetallen:
        kg = kengetal.replace("JAAR", "2030")
        if ":" not in kg:
            out += [("get", f"{api}/uitleg?kengetal={kg}", {}), ("post", f"{api}/uitleg?kengetal={kg}&version=1", {})]
    if kind == "grex":
        out += [("get", f"{api}/explain/{f}", {}) for f in ("ncw", "eindwaarde", "badkuip")]
        out += [("get", f"{api}/uitleg?kengetal=saldo:2030", {}), ("get", f"{api}/explain/saldo?year=2030", {})]
    if kind == "programma":
        out += [("post", f"{api}/risk?draws=200", {}), ("post", f"{api}/scenarios", {}), ("get", f"{api}/verschil?b=1", {})]
    page = f"/{kind}/{doc_id}"
    out += [
        ("get", page, {}), ("get", f"{page}/versies", {}), ("get", f"{page}/versies/vergelijk?a=1&b=2", {}),
        ("get", f"{page}/versie/1", {}), ("get", f"/{k.listed_under or kind}", {}), ("get", "/", {}),
    ]
    out += [("get", f"{page}/download.{e.key}?versie=1", {}) for e in k.all_exporters if kind != "grex" or e.key in ("yaml", "xlsx")]
    out += [("get", f"{page}/download.{e.key}", {}) for e in k.all_exporters if kind != "grex" or e.key in ("yaml", "xlsx")]
    if kind == "programma":
        out.append(("get", f"{page}/risico?trekkingen=100", {}))
    return out


def test_viewer_sees_no_confidential_value_anywhere(stored):
    app, docs = stored
    viewer, token = login(app, "victor", "viewer-wachtwoord")
    seen = 0
    for kind, doc_id, _ in docs:
        for method, url, extra in requests_for(kind, doc_id):
            r = getattr(viewer, method)(url, headers={"X-CSRF-Token": token}, **extra)
            ok = (200, 422) if "uitleg?" in url else (200,)  # a figure may not apply to a document (planschade)
            assert r.status_code in ok, (kind, url, r.status_code, r.text[:300])
            body = text_of(r)
            assert MARK not in body, (kind, url, re.findall(MARK + r"-[\w.\-]+", body)[:3])
            leaked = [f for v in NUMBERS for f in number_forms(v) if f in body]
            assert not leaked, (kind, url, leaked[:3])
            seen += 1
    assert seen > 200


def test_editor_sees_the_markers(stored):
    """The markers are in the store and reach editors: the viewer test above is not vacuous."""
    app, docs = stored
    editor, token = login(app, "eva", "editor-wachtwoord")
    for kind, doc_id, n in docs:
        if not n:
            continue
        data = editor.get(f"/api/{kind}/{doc_id}").json()["data"]
        assert f"{MARK}-2-" in str(data)
        assert MARK in editor.get(f"/api/{kind}/{doc_id}/export.yaml").text
        cmp = editor.get(f"/api/{kind}/{doc_id}/compare?a=1&b=2").json()
        assert cmp["aantal_wijzigingen"] >= n and MARK in str(cmp)
        assert MARK in editor.get(f"/{kind}/{doc_id}/versies/vergelijk?a=1&b=2").text
