"""Web fixtures: an app on a fresh SQLite database per test (tmp_path), a TestClient, the demo grex data."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from opengrex.web.app import create_app
from opengrex.web.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo-grex.yaml"


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'app.db'}", auth=False, max_upload=64 * 1024)


@pytest.fixture
def app(settings):
    return create_app(settings)


@pytest.fixture
def client(app):
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def demo_text() -> str:
    return DEMO.read_text(encoding="utf-8")


@pytest.fixture
def demo_data(demo_text) -> dict:
    return json.loads(json.dumps(yaml.safe_load(demo_text), default=str))


@pytest.fixture
def auth_app(tmp_path):
    """The pages' app with accounts on (auth, CSRF): editor ``els`` and viewer ``vic`` (test_pages_auth,
    test_pages_formulier; a module's own ``auth_app`` overrides it)."""
    from opengrex.store.users import add_user
    from opengrex.web.app import create_app
    from opengrex.web.settings import Settings

    app = create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'auth.db'}", auth=True, secret_key="test-geheim"))
    with app.state.db.transaction() as s:
        add_user(s, name="els", password="redacteur-ww", role="editor")
        add_user(s, name="vic", password="kijker-ww", role="viewer")
    yield app
    app.state.db.dispose()
