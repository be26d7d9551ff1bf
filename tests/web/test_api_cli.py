"""``opengrex db upgrade|demo|status``: migrations, the demo loaded once, on the database the settings name."""
from __future__ import annotations

import json

from opengrex.cli import main


def test_db_commands(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("OPENGREX_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("OPENGREX_DATABASE_URL", raising=False)
    assert main(["db", "upgrade"]) == 0
    assert "revisie 0003_lifecycle" in capsys.readouterr().out
    assert (tmp_path / "opengrex.db").exists()
    assert main(["db", "demo"]) == 0
    out = capsys.readouterr().out
    assert "demo geladen: grex: examples/demo-grex.yaml" in out
    assert main(["db", "status", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["revisie"] == "0003_lifecycle" and first["documents"] >= 1 and first["versions"] == first["documents"]
    assert main(["db", "demo"]) == 0  # idempotent
    assert "demo al aanwezig: grex" in capsys.readouterr().out
    assert main(["db", "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == first


def test_db_url_option_and_bad_url(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'ander.db'}"
    assert main(["db", "upgrade", "--url", url]) == 0
    assert (tmp_path / "ander.db").exists()
    assert main(["db", "upgrade", "--url", "mysql://x/y"]) == 2
    err = capsys.readouterr().err
    assert "OPENGREX_DATABASE_URL" in err and "Traceback" not in err
