"""Pages with accounts on (OPENGREX_AUTH=1): login, CSRF token in forms and HTMX headers, viewers cannot save and
do not see confidential line notes."""
from __future__ import annotations

import re
from urllib.parse import urlencode

from fastapi.testclient import TestClient
from tests.web.fixtures_pages import DEMO
from tests.web.form_helpers import FormFields

from opengrex.services.grex import load_grex

SECRET_NOTE = "onderhandelingsruimte tot 11 miljoen"


def login(app, name: str, password: str) -> TestClient:
    c = TestClient(app, raise_server_exceptions=False)
    r = c.post("/login", data={"naam": name, "wachtwoord": password, "terug": "/"}, follow_redirects=False)
    assert r.status_code == 303, r.text[:300]
    return c


def token(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "geen CSRF-token in het formulier"
    return m.group(1)


def post_form(client, url, items, **kw):
    return client.post(url, content=urlencode(items), headers={"content-type": "application/x-www-form-urlencoded", **kw.pop("headers", {})}, **kw)


def test_pages_require_login(auth_app):
    c = TestClient(auth_app, raise_server_exceptions=False)
    r = c.get("/grex", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    r = c.post("/login", data={"naam": "els", "wachtwoord": "fout"})
    assert r.status_code == 401 and "onjuist wachtwoord" in r.text
    r = c.get("/login?terug=//evil.example/")
    assert 'value="/"' in r.text  # no open redirect


def test_editor_saves_with_csrf_token_viewer_cannot(auth_app):
    ed = login(auth_app, "els", "redacteur-ww")
    home = ed.get("/").text
    assert "els (editor)" in home
    assert ed.post("/demo", data={}).status_code == 403  # no CSRF token
    assert ed.post("/demo", data={"csrf_token": token(home)}, follow_redirects=False).status_code == 303
    gid = re.search(r'href="/grex/(\d+)">De Hoge Akker', ed.get("/grex").text).group(1)
    page = ed.get(f"/grex/{gid}").text
    t = token(page)
    assert f'"X-CSRF-Token": "{t}"' in page  # HTMX requests send it as a header
    form = FormFields.of("grex", load_grex(DEMO))
    form.set(("kosten", 0, "note"), SECRET_NOTE)
    items = form.items
    r = post_form(ed, "/grex/bereken", items, headers={"X-CSRF-Token": t})
    assert r.status_code == 200 and 'id="kengetal-ncw"' in r.text
    r = post_form(ed, f"/grex/{gid}/opslaan", items + [("csrf_token", t), ("base_version", "1")], follow_redirects=False)
    assert r.status_code == 303
    assert SECRET_NOTE in ed.get(f"/grex/{gid}").text

    viewer = login(auth_app, "vic", "kijker-ww")
    vpage = viewer.get(f"/grex/{gid}").text
    assert "leesrechten" in vpage and 'id="opslaan"' not in vpage
    assert SECRET_NOTE not in vpage
    assert f'name="{form.name("kosten", 0, "note")}"' not in vpage  # viewers get no input for a confidential field
    assert f'name="{form.name("kosten", 0, "amount")}"' in vpage
    assert SECRET_NOTE not in viewer.get(f"/grex/{gid}/download.yaml").text
    r = post_form(viewer, f"/grex/{gid}/opslaan", items + [("csrf_token", token(vpage)), ("base_version", "2")])
    assert r.status_code == 403 and "Geen rechten" in r.text
    from opengrex.store.repository import list_versions

    with auth_app.state.db.transaction() as s:
        assert len(list_versions(s, document_id=int(gid))) == 2


def test_logout(auth_app):
    ed = login(auth_app, "els", "redacteur-ww")
    t = token(ed.get("/").text)
    r = ed.post("/afmelden", data={"csrf_token": t}, follow_redirects=False)
    assert r.status_code == 303
    ed.cookies.clear()
    assert ed.get("/", follow_redirects=False).status_code == 303
