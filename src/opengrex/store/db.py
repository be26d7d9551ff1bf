"""Database engine, sessions (one transaction per unit of work) and migrations.

``OPENGREX_DATABASE_URL`` chooses the database (``postgresql+psycopg://user@host/db`` for PostgreSQL); the default
is ``sqlite:///<data dir>/opengrex.db`` with the data dir from ``OPENGREX_DATA_DIR`` (default ``./var``).
SQLite runs in WAL mode with foreign keys on, and every transaction starts with ``BEGIN IMMEDIATE`` so concurrent
saves queue instead of failing half-way.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from opengrex.errors import InputError

STORE_DIR = Path(__file__).resolve().parent
ALEMBIC_INI = STORE_DIR / "alembic.ini"


def data_dir() -> Path:
    """The folder for the SQLite file and the secret key (``OPENGREX_DATA_DIR``, default ``./var``)."""
    return Path(os.environ.get("OPENGREX_DATA_DIR") or "var")


def database_url(url: str | None = None) -> str:
    """The database URL: ``url``, else ``OPENGREX_DATABASE_URL``, else SQLite in :func:`data_dir`."""
    url = url or os.environ.get("OPENGREX_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{(data_dir() / 'opengrex.db').resolve()}"


def make_engine(url: str, **kwargs) -> Engine:
    """A SQLAlchemy engine; for SQLite: folder created, WAL, foreign keys, busy timeout, ``BEGIN IMMEDIATE``."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if not url.startswith(("sqlite", "postgresql+psycopg")):
        raise InputError("databasetype niet ondersteund", field="OPENGREX_DATABASE_URL", value=url.split(":", 1)[0], allowed="sqlite:///pad of postgresql+psycopg://…")
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False}, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn, _record):  # pragma: no cover - driver hook
            dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=60000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # pragma: no cover - driver hook
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=40, **kwargs)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit when the block ends normally, roll back (nothing written) on any exception."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


class Database:
    """An engine plus a session factory; ``with db.transaction() as s:`` is one unit of work."""

    def __init__(self, url: str | None = None) -> None:
        self.url = database_url(url)
        self.engine = make_engine(self.url)
        self.factory = sessionmaker(self.engine, expire_on_commit=False)

    def transaction(self):
        return session_scope(self.factory)

    def upgrade(self, revision: str = "head") -> None:
        """Bring the schema to ``revision`` with Alembic."""
        upgrade(self.engine, revision)

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config(engine: Engine | None = None):
    """The Alembic configuration of the package (``store/alembic.ini``, scripts in ``store/migrations``)."""
    from alembic.config import Config

    cfg = Config(str(ALEMBIC_INI))
    cfg.set_main_option("script_location", str(STORE_DIR / "migrations"))
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
        cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the Alembic migrations up to ``revision`` on ``engine``."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    """The schema revision of the database (``None``: empty database)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def table_names(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())
