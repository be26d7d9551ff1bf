"""Issue #10 item 8 and the low items on accounts: login throttling per account and per address (429 with a Dutch
message and Retry-After), sessions ended by logout and by a password reset (session version, migration 0002), and
one scrypt for an unknown name as for a known one."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from opengrex.store import users
from opengrex.store.users import add_user
from opengrex.web.app import create_app
from opengrex.web.settings import Settings


@pytest.fixture
def app(tmp_path):
    app = create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'a.db'}", auth=True, secret_key="k", allowed_hosts="testserver"))
    with app.state.db.transaction() as s:
        add_user(s, name="eva", password="editor-wachtwoord", role="editor")
        add_user(s, name="victor", password="viewer-wachtwoord", role="viewer")
    return app


def login(c, name="eva", password="editor-wachtwoord"):
    return c.post("/api/auth/login", json={"name": name, "password": password})


def test_wrong_passwords_then_the_right_one_is_throttled(app):
    with TestClient(app) as c:
        for _ in range(5):
            assert login(c, password="fout-fout-fout").status_code == 401
        r = login(c)  # the right password, too late
        assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
        assert "te veel aanmeldpogingen" in r.json()["detail"]["message"] and "minuten" in r.json()["detail"]["message"]
        assert "opengrex_session" not in r.headers.get("set-cookie", "")
        # the page login says the same, in Dutch, with Retry-After
        p = c.post("/login", data={"naam": "eva", "wachtwoord": "editor-wachtwoord"}, follow_redirects=False)
        assert p.status_code == 429 and "Te veel aanmeldpogingen" in p.text and p.headers["Retry-After"]
        # another account from the same address still works (until the per-address limit)
        assert login(c, "victor", "viewer-wachtwoord").status_code == 200


def test_per_address_limit_covers_many_names(app):
    with TestClient(app) as c:
        codes = [login(c, f"naam{i}", "x" * 10).status_code for i in range(25)]
        assert codes[:20] == [401] * 20 and set(codes[20:]) == {429}


def test_success_clears_the_account_count(app):
    with TestClient(app) as c:
        for _ in range(4):
            login(c, password="fout-fout-fout")
        assert login(c).status_code == 200
        for _ in range(4):
            assert login(c, password="fout-fout-fout").status_code == 401


def test_logout_ends_the_session_server_side(app):
    with TestClient(app) as c:
        assert login(c).status_code == 200
        cookie = c.cookies.get("opengrex_session")
        assert c.get("/api/auth/me").json()["name"] == "eva"
        csrf = c.get("/api/auth/me").json()["csrf_token"]
        assert c.post("/api/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    with TestClient(app) as stolen:  # the old cookie, replayed after logout
        stolen.cookies.set("opengrex_session", cookie)
        assert stolen.get("/api/auth/me").status_code == 401
        assert stolen.get("/api/grex").status_code == 401


def test_page_logout_ends_the_session(app):
    with TestClient(app) as c:
        assert c.post("/login", data={"naam": "eva", "wachtwoord": "editor-wachtwoord"}, follow_redirects=False).status_code == 303
        cookie = c.cookies.get("opengrex_session")
        token = c.get("/api/auth/me").json()["csrf_token"]
        assert c.post("/afmelden", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    with TestClient(app) as stolen:
        stolen.cookies.set("opengrex_session", cookie)
        assert stolen.get("/api/auth/me").status_code == 401


def test_password_reset_ends_old_sessions(app):
    with TestClient(app) as c:
        assert login(c).status_code == 200
        assert c.get("/api/auth/me").status_code == 200
        with app.state.db.transaction() as s:
            add_user(s, name="eva", password="nieuw-wachtwoord", role="editor")
        assert c.get("/api/auth/me").status_code == 401
        assert login(c, password="nieuw-wachtwoord").status_code == 200


def test_unknown_user_costs_one_scrypt_like_a_known_one(app, monkeypatch):
    calls = []
    real = users.verify_password
    monkeypatch.setattr(users, "verify_password", lambda p, h: calls.append(h) or real(p, h))
    real_hash = users.hash_password
    hashes = []
    monkeypatch.setattr(users, "hash_password", lambda p, **k: hashes.append(p) or real_hash(p, **k))
    users._dummy_hash()  # made once per process, not per request
    hashes.clear()
    with app.state.db.transaction() as s:
        assert users.authenticate(s, name="niemand", password="x" * 10) is None
        assert users.authenticate(s, name="eva", password="x" * 10) is None
    assert len(calls) == 2 and hashes == []  # one verification each, no hashing on the request path


def test_migration_adds_session_version(tmp_path):
    from opengrex.store.db import Database, current_revision

    db = Database(f"sqlite:///{tmp_path / 'm.db'}")
    db.upgrade("0001")
    db.upgrade()
    assert current_revision(db.engine) == "0003_lifecycle"
    from sqlalchemy import inspect

    assert "session_version" in {c["name"] for c in inspect(db.engine).get_columns("users")}
    db.dispose()
