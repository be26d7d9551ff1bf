"""Issue #10 item 3: no other site can write, and a DNS-rebinding host cannot read. Every write route of the app
(enumerated from the app, not hand-listed) is refused for ``Origin: null``, a foreign origin, a cross-site
``Referer`` without ``Origin`` and a cross-site ``Sec-Fetch-Site`` — without and with accounts — and nothing is
stored; every route refuses a foreign ``Host``; every response carries the security headers."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from opengrex.store.users import add_user
from opengrex.web.app import create_app
from opengrex.web.settings import Settings

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
CROSS_SITE = [
    ({"origin": "null"}, "Origin"),
    ({"origin": "http://evil.example"}, "Origin"),
    ({"origin": "http://testserver.evil.example"}, "Origin"),
    ({"origin": "http://testserver:8001"}, "Origin"),
    ({"referer": "http://evil.example/aanval.html"}, "Referer"),
    ({"referer": "null"}, "Referer"),
    ({"sec-fetch-site": "cross-site"}, "Sec-Fetch-Site"),
    ({"sec-fetch-site": "same-site"}, "Sec-Fetch-Site"),
]


def make_app(tmp_path, auth: bool):
    app = create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'sec.db'}", auth=auth, secret_key="k", max_upload=64 * 1024, allowed_hosts="testserver"))
    if auth:
        with app.state.db.transaction() as s:
            add_user(s, name="eva", password="editor-wachtwoord", role="editor")
    return app


def routes(app, methods: set[str]) -> list[tuple[str, str]]:
    """(method, path) of every route of the app, included routers flattened (FastAPI ≥ 0.160 includes lazily)."""
    try:
        from fastapi.routing import iter_route_contexts

        every = list(iter_route_contexts(app.routes))
    except ImportError:  # older FastAPI: the routes are flat already
        every = list(app.routes)
    out = []
    for r in every:
        for m in sorted(getattr(r, "methods", None) or ()):
            if m in methods:
                out.append((m, r.path))
    return out


def concrete(path: str, doc_id: int) -> str:
    values = {"document_id": str(doc_id), "doc_id": str(doc_id), "kind": "grex", "number": "1", "figure": "ncw", "path": "x"}
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: values.get(m.group(1), "1"), path)


@pytest.fixture(params=[False, True], ids=["zonder-accounts", "met-accounts"])
def signed_in(request, tmp_path, demo_data):
    app = make_app(tmp_path, request.param)
    c = TestClient(app, raise_server_exceptions=False)
    c.__enter__()
    if request.param:
        r = c.post("/api/auth/login", json={"name": "eva", "password": "editor-wachtwoord"})
        assert r.status_code == 200
        c.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    r = c.post("/api/grex", json={"data": demo_data})
    assert r.status_code == 201, r.text
    yield app, c, r.json()["id"]
    c.__exit__(None, None, None)


def counts(app):
    from opengrex.store.repository import count_rows

    with app.state.db.transaction() as s:
        return count_rows(s)


def test_every_write_route_refuses_cross_site_requests(signed_in, demo_data):
    app, c, doc = signed_in
    writes = routes(app, UNSAFE)
    assert len(writes) >= 30  # API (5 kinds × create/upload/update/…) and the pages
    assert any(p.startswith("/api/") for _, p in writes) and any(not p.startswith("/api/") for _, p in writes)
    assert ("POST", "/login") in writes and ("POST", "/api/auth/login") in writes  # login CSRF too
    before = counts(app)
    for method, path in writes:
        url = concrete(path, doc)
        for headers, field in CROSS_SITE:
            r = c.request(method, url, json={"data": demo_data}, headers=headers)
            assert r.status_code == 403, (method, url, headers, r.status_code, r.text[:200])
            if url.startswith("/api/"):
                assert r.json()["detail"]["field"] == field
            else:
                assert "Geweigerd" in r.text
    assert counts(app) == before


def test_same_origin_writes_still_work(signed_in, demo_data):
    app, c, doc = signed_in
    for headers in ({"origin": "http://testserver"}, {"referer": f"http://testserver/grex/{doc}"}, {"sec-fetch-site": "same-origin"}, {}):
        r = c.post("/api/grex", json={"data": demo_data}, headers=headers)
        assert r.status_code == 201, (headers, r.text)


def test_every_route_refuses_a_foreign_host(signed_in, demo_data):
    """DNS rebinding: evil.example resolving to 127.0.0.1 sends its own name as Host; reads (exports!) are refused too."""
    app, c, doc = signed_in
    every = routes(app, {"GET", "POST", "PUT", "DELETE"})
    for method, path in every:
        url = concrete(path, doc)
        for host in ("evil.example", "evil.example:8000", "127.0.0.1.evil.example", ""):
            r = c.request(method, url, headers={"host": host, "origin": f"http://{host}"} if host else {"host": host})
            assert r.status_code == 400, (method, url, host, r.status_code)
    r = c.get(f"/api/grex/{doc}/export.json", headers={"host": "evil.example:8000"})
    assert r.status_code == 400 and r.json()["detail"]["field"] == "Host" and "De Hoge Akker" not in r.text
    for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "testserver"):
        assert c.get("/api/health", headers={"host": host}).status_code == 200, host


def test_default_allowed_hosts_are_loopback_and_the_bound_address(tmp_path, monkeypatch):
    from opengrex.web.security import allowed_hosts

    monkeypatch.delenv("OPENGREX_ALLOWED_HOSTS", raising=False)
    s = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'h.db'}")
    assert allowed_hosts(s) == {"localhost", "127.0.0.1", "::1"}
    s = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'h.db'}", bind_host="192.0.2.7", allowed_hosts="grex.gemeente.nl, intern")
    assert {"192.0.2.7", "grex.gemeente.nl", "intern"} <= allowed_hosts(s)
    app = create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'h.db'}"))
    with TestClient(app) as c:  # TestClient sends Host: testserver, not allowed by default
        r = c.get("/api/health")
        assert r.status_code == 400 and "OPENGREX_ALLOWED_HOSTS" in r.json()["detail"]["allowed"]


@pytest.mark.parametrize("path", ["/", "/grex", "/upload", "/api/health", "/docs", "/static/app.js", "/bestaat-niet", "/api/grex/999"])
def test_security_headers_on_every_response(tmp_path, path):
    app = make_app(tmp_path, auth=False)
    with TestClient(app) as c:
        r = c.get(path)
    h = r.headers
    assert h["x-frame-options"] == "DENY" and h["x-content-type-options"] == "nosniff" and h["referrer-policy"] == "same-origin"
    csp = h["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    if not path.startswith("/docs"):
        script_src = re.search(r"script-src ([^;]*)", csp).group(1)
        assert script_src == "'self'"  # no inline script, no eval


def test_pages_have_no_inline_scripts_or_handlers(tmp_path, demo_data):
    """What makes the strict CSP possible: every <script> of every page is JSON data or loaded from /static."""
    app = make_app(tmp_path, auth=False)
    with TestClient(app) as c:
        doc = c.post("/api/grex", json={"data": demo_data}).json()["id"]
        c.post("/demo")
        pages = ["/", "/grex", f"/grex/{doc}", f"/grex/{doc}/versies", "/upload", "/grex/nieuw", "/kostenverhaal", "/programma", "/bijdrage"]
        pages += [f"/{k}/{d['id']}" for d in c.get("/api/documents").json() for k in [d["kind"]] if k in ("kostenverhaal", "programma", "bijdrage")]
        for p in pages:
            html = c.get(p).text
            for tag in re.findall(r"<script\b[^>]*>", html):
                assert "src=\"/static/" in tag or 'type="application/json"' in tag, (p, tag)
            assert not re.search(r"\son[a-z]+\s*=", html), p
            assert "javascript:" not in html


def test_login_csrf_with_origin_null_is_refused(tmp_path):
    app = make_app(tmp_path, auth=True)
    with TestClient(app) as c:
        r = c.post("/login", data={"naam": "eva", "wachtwoord": "editor-wachtwoord"}, headers={"origin": "null"}, follow_redirects=False)
        assert r.status_code == 403 and "opengrex_session" not in r.headers.get("set-cookie", "")
        r = c.post("/api/auth/login", json={"name": "eva", "password": "editor-wachtwoord"}, headers={"origin": "null"})
        assert r.status_code == 403 and "opengrex_session" not in r.headers.get("set-cookie", "")


def test_form_posts_with_accounts_need_the_csrf_token(tmp_path):
    app = make_app(tmp_path, auth=True)
    with TestClient(app) as c:
        assert c.post("/api/auth/login", json={"name": "eva", "password": "editor-wachtwoord"}).status_code == 200
        writes = [(m, p) for m, p in routes(app, UNSAFE) if not p.startswith("/api/auth") and p != "/login"]
        for method, path in writes:
            r = c.request(method, concrete(path, 1), data={"x": "1"})
            assert r.status_code == 403, (method, path, r.status_code)
