"""Store fixtures: a fresh database per test, on SQLite (tmp_path) and on a throwaway PostgreSQL 15 cluster.

The PostgreSQL cluster comes from Debian's package (``/usr/lib/postgresql/15/bin``): ``initdb`` in a temp dir on a
free port on 127.0.0.1, run as the ``postgres`` system user when the tests run as root (postgres refuses root),
stopped at the end of the session. Missing binaries FAIL the tests with the install command — never a skip.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from opengrex.store.db import Database
from opengrex.testing import free_port

PG_BIN = Path(os.environ.get("OPENGREX_PG_BIN", "/usr/lib/postgresql/15/bin"))
INSTALL_HINT = "installeer PostgreSQL 15: `apt-get install -y postgresql-15` (of `bash scripts/install-system-deps.sh`)"


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class PostgresCluster:
    """A throwaway PostgreSQL cluster: ``start()``, ``create_database()``, ``drop_database()``, ``stop()``."""

    def __init__(self) -> None:
        for tool in ("initdb", "pg_ctl"):
            if not (PG_BIN / tool).exists():
                pytest.fail(f"PostgreSQL-programma {PG_BIN / tool} ontbreekt; {INSTALL_HINT}", pytrace=False)
        self.dir = Path(tempfile.mkdtemp(prefix="opengrex-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self.data = self.dir / "data"
        self.port = free_port()

    def _run(self, *cmd: str) -> None:
        proc = subprocess.run(_as_postgres(list(cmd)), capture_output=True, text=True, cwd=self.dir, timeout=120)
        if proc.returncode != 0:
            log = (self.dir / "server.log").read_text() if (self.dir / "server.log").exists() else ""
            pytest.fail(f"{' '.join(cmd)} mislukt ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}\n{log}", pytrace=False)

    def start(self) -> PostgresCluster:
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "--locale=C")
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l", str(self.dir / "server.log"), "-w", "-t", "60", "start")
        return self

    @property
    def base_url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute(sql)

    def create_database(self) -> str:
        name = "t_" + uuid.uuid4().hex[:12]
        self._admin(f'CREATE DATABASE "{name}"')
        return f"{self.base_url}/{name}"

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"]), capture_output=True, cwd=self.dir, timeout=60)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_cluster():
    cluster = PostgresCluster().start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request, tmp_path):
    """A fresh, migrated :class:`Database` per test: SQLite in tmp_path, or a new database in the PG cluster."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'test.db'}")
        database.upgrade()
        yield database
        database.dispose()
        return
    cluster = request.getfixturevalue("postgres_cluster")
    url = cluster.create_database()
    database = Database(url)
    database.upgrade()
    try:
        yield database
    finally:
        database.dispose()
        deadline = time.monotonic() + 10
        while True:
            try:
                cluster.drop_database(url)
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
