"""Accounts (``OPENGREX_AUTH=1``): login with scrypt-hashed passwords, signed session cookies, roles (a viewer
cannot write), confidential line notes hidden from viewers, CSRF token required on form posts and uploads."""
from __future__ import annotations

import copy

import pytest
from fastapi.testclient import TestClient

from opengrex.cli import main
from opengrex.store.users import add_user, hash_password, verify_password
from opengrex.web.app import create_app
from opengrex.web.settings import Settings

SECRET_NOTE = "Onderhandelingsruimte: max. 11 mln (VERTROUWELIJK)"


@pytest.fixture
def auth_app(tmp_path):
    app = create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'auth.db'}", auth=True, secret_key="test-geheim", max_upload=64 * 1024))
    with app.state.db.transaction() as s:
        add_user(s, name="eva", password="editor-wachtwoord", role="editor")
        add_user(s, name="victor", password="viewer-wachtwoord", role="viewer")
    return app


def login(app, name: str, password: str) -> tuple[TestClient, str]:
    c = TestClient(app)
    r = c.post("/api/auth/login", json={"name": name, "password": password})
    assert r.status_code == 200, r.text
    return c, r.json()["csrf_token"]


@pytest.fixture
def doc_with_note(auth_app, demo_data):
    editor, _ = login(auth_app, "eva", "editor-wachtwoord")
    data = copy.deepcopy(demo_data)
    data["kosten"][0]["notitie"] = SECRET_NOTE
    r = editor.post("/api/grex", json={"data": data})
    assert r.status_code == 201
    doc_id = r.json()["id"]
    data2 = copy.deepcopy(data)
    data2["kosten"][0]["notitie"] = SECRET_NOTE + " v2"
    assert editor.put(f"/api/grex/{doc_id}", json={"data": data2}).status_code == 200
    return doc_id


def test_password_hash():
    h = hash_password("correct horse")
    assert h.startswith("scrypt$") and "correct" not in h
    assert verify_password("correct horse", h) and not verify_password("wrong horse", h)
    assert hash_password("correct horse") != h  # salted
    assert not verify_password("x", "md5$abc")


def test_login_required_and_wrong_password(auth_app):
    anon = TestClient(auth_app)
    r = anon.get("/api/grex")
    assert r.status_code == 401 and r.json()["detail"]["field"] == "sessie"
    assert anon.post("/api/grex", json={"data": {}}).status_code == 401
    r = anon.post("/api/auth/login", json={"name": "eva", "password": "fout-wachtwoord"})
    assert r.status_code == 401 and "opengrex_session" not in r.cookies
    assert anon.post("/api/auth/login", json={"name": "niemand", "password": "x" * 10}).status_code == 401
    c, token = login(auth_app, "eva", "editor-wachtwoord")
    me = c.get("/api/auth/me").json()
    assert me == {"name": "eva", "role": "editor", "authenticated": True, "csrf_token": token}
    # a tampered cookie is no session
    forged = TestClient(auth_app)
    forged.cookies.set("opengrex_session", c.cookies["opengrex_session"][:-3] + "abc")
    assert forged.get("/api/grex").status_code == 401
    assert c.post("/api/auth/logout").status_code == 403  # a body-less post is no JSON: token needed
    assert c.post("/api/auth/logout", headers={"X-CSRF-Token": token}).status_code == 204
    assert c.get("/api/grex").status_code == 401


def test_viewer_cannot_write(auth_app, demo_data, doc_with_note):
    viewer, token = login(auth_app, "victor", "viewer-wachtwoord")
    assert viewer.get("/api/grex").status_code == 200
    assert viewer.post(f"/api/grex/{doc_with_note}/calculate", headers={"X-CSRF-Token": token}).status_code == 200  # reading results is fine
    for method, url, kw in [
        ("post", "/api/grex", {"json": {"data": demo_data}}),
        ("put", f"/api/grex/{doc_with_note}", {"json": {"data": demo_data}}),
        ("delete", f"/api/grex/{doc_with_note}", {"headers": {"X-CSRF-Token": token}}),
        ("post", "/api/grex/upload", {"files": {"file": ("a.json", b"{}", "application/json")}, "headers": {"X-CSRF-Token": token}}),
    ]:
        r = getattr(viewer, method)(url, **kw)
        assert r.status_code == 403, (method, url, r.text)
        assert r.json()["detail"]["field"] == "rol" and r.json()["detail"]["value"] == "viewer"
    assert viewer.get("/api/health").json()["versions"] == 2


def test_confidential_notes_hidden_from_viewers(auth_app, doc_with_note):
    editor, _ = login(auth_app, "eva", "editor-wachtwoord")
    viewer, _ = login(auth_app, "victor", "viewer-wachtwoord")
    assert editor.get(f"/api/grex/{doc_with_note}").json()["data"]["kosten"][0]["notitie"] == SECRET_NOTE + " v2"
    urls = [f"/api/grex/{doc_with_note}", f"/api/documents/{doc_with_note}", f"/api/grex/{doc_with_note}/versions/1",
            f"/api/grex/{doc_with_note}/export.yaml", f"/api/grex/{doc_with_note}/export.json",
            f"/api/grex/{doc_with_note}/compare?a=1&b=2"]
    for url in urls:
        r = viewer.get(url)
        assert r.status_code == 200 and "VERTROUWELIJK" not in r.text, url
        assert "VERTROUWELIJK" in editor.get(url).text, url
    # the viewer still sees the figures
    assert viewer.get(f"/api/grex/{doc_with_note}").json()["headline"] == editor.get(f"/api/grex/{doc_with_note}").json()["headline"]
    xlsx = viewer.get(f"/api/grex/{doc_with_note}/export.xlsx")
    assert xlsx.status_code == 200 and b"VERTROUWELIJK" not in _xlsx_text(xlsx.content)


def _xlsx_text(content: bytes) -> bytes:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return b"".join(z.read(n) for n in z.namelist() if n.endswith(".xml"))


def test_csrf_required_on_form_posts(auth_app, demo_text):
    editor, token = login(auth_app, "eva", "editor-wachtwoord")
    files = {"file": ("demo.yaml", demo_text.encode(), "application/yaml")}
    r = editor.post("/api/grex/upload", files=files)
    assert r.status_code == 403 and r.json()["detail"]["field"] == "csrf_token"
    r = editor.post("/api/grex/upload", files=files, data={"csrf_token": "geraden"})
    assert r.status_code == 403
    assert editor.get("/api/health").json()["documents"] == 0
    r = editor.post("/api/grex/upload", files=files, data={"csrf_token": token})
    assert r.status_code == 201, r.text
    r = editor.post(f"/api/grex/{r.json()['id']}/upload", files=files, headers={"X-CSRF-Token": token})
    assert r.status_code == 200
    # a urlencoded form post (as a cross-site form would send) needs it too
    r = editor.post("/api/grex/calculate", data={"name": "x"})
    assert r.status_code == 403
    # another user's token does not work
    _, other = login(auth_app, "victor", "viewer-wachtwoord")
    assert editor.post("/api/grex/upload", files=files, data={"csrf_token": other}).status_code == 403


def test_no_auth_means_local_editor(client, demo_text):
    me = client.get("/api/auth/me").json()
    assert me == {"name": "lokaal", "role": "editor", "authenticated": False, "csrf_token": ""}
    r = client.post("/api/grex/upload", files={"file": ("demo.yaml", demo_text.encode(), "application/yaml")})
    assert r.status_code == 201  # local use: no login, no token


def test_users_add_cli(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["users", "add", "anna", "--role", "editor", "--password", "lang-genoeg", "--url", url]) == 0
    assert main(["users", "add", "bert", "--role", "baas", "--password", "lang-genoeg", "--url", url]) == 2
    assert "onbekende rol" in capsys.readouterr().err
    assert main(["users", "add", "carl", "--password", "kort", "--url", url]) == 2
    app = create_app(Settings(data_dir=tmp_path, database_url=url, auth=True, secret_key="k"))
    c, _ = login(app, "anna", "lang-genoeg")
    assert c.get("/api/auth/me").json()["role"] == "editor"


def test_cross_site_post_is_refused_also_without_accounts(tmp_path):
    """Local use has no login; a page on another website still may not post to the local server."""
    from fastapi.testclient import TestClient

    from opengrex.web.app import create_app
    from opengrex.web.settings import Settings

    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", auth=False))
    with TestClient(app) as client:
        evil = client.post("/api/grex", json={"name": "x"}, headers={"Origin": "http://evil.example"})
        assert evil.status_code == 403
        assert evil.json()["detail"]["field"] == "Origin"
        same = client.post("/api/grex", json={"name": "x"}, headers={"Origin": "http://testserver"})
        assert same.status_code != 403
