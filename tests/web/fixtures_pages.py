"""Fixtures of the page tests: a TestClient app on a fresh SQLite database, a real uvicorn server on 127.0.0.1,
and Debian's Chromium driven by Playwright. Import the fixtures into a test module with
``from tests.web.fixtures_pages import *  # noqa: F401,F403``.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from opengrex.testing import free_port

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo-grex.yaml"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
INSTALL_HINT = "installeer Chromium met: sudo bash scripts/install-system-deps.sh (Debian: apt-get install chromium)"

__all__ = ["page_app", "client", "demo_client", "live_server", "browser", "bpage", "screenshot", "free_port", "SCREENSHOTS", "DEMO"]


@pytest.fixture
def page_app(tmp_path):
    """The app on a fresh SQLite database in ``tmp_path`` (no auth)."""
    from opengrex.web.app import create_app
    from opengrex.web.settings import Settings

    app = create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'pages.db'}"))
    yield app
    app.state.db.dispose()


@pytest.fixture
def client(page_app):
    from fastapi.testclient import TestClient

    with TestClient(page_app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def demo_client(client):
    """A client whose database holds the demo data (loaded through the page's 'Demo laden' button)."""
    r = client.post("/demo", follow_redirects=False)
    assert r.status_code == 303, r.text
    return client


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """A real uvicorn server on 127.0.0.1 (free port) with a fresh SQLite database; yields its base URL."""
    data = tmp_path_factory.mktemp("live")
    port = free_port()
    env = dict(os.environ, OPENGREX_DATA_DIR=str(data), OPENGREX_DATABASE_URL=f"sqlite:///{data / 'live.db'}", OPENGREX_AUTH="0", PYTHONUNBUFFERED="1")
    log = open(data / "server.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "opengrex.web.app:create_app", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"uvicorn stopte (code {proc.returncode}): {(data / 'server.log').read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(url + "/", timeout=2).status_code < 500:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn startte niet binnen 60 s")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        log.close()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium via Playwright; fails (never skips) with the install command when it is missing."""
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        pytest.fail(f"Chromium ontbreekt ({CHROMIUM}); {INSTALL_HINT}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Python-pakket playwright ontbreekt; installeer met: .venv/bin/pip install -e '.[test]'")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def bpage(browser):
    """A fresh browser tab (1400×1000, nl-NL) that accepts downloads."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL", accept_downloads=True)
    pg = ctx.new_page()
    pg.set_default_timeout(20000)
    yield pg
    ctx.close()


def screenshot(pg, name: str, full_page: bool = True) -> Path:
    """Save a screenshot into ``test-artifacts/screenshots/`` (gitignored) and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=full_page)
    return path
