"""Settings of the web app, from the environment (prefix ``OPENGREX_``) or given to ``create_app``.

=========================  ===================================================================
``OPENGREX_DATABASE_URL``  database (default ``sqlite:///<data dir>/opengrex.db``)
``OPENGREX_DATA_DIR``      folder for the SQLite file and the generated secret key (``./var``)
``OPENGREX_AUTH``          ``1``: accounts with roles viewer/editor; ``0`` (default): no login, everyone edits
``OPENGREX_SECRET_KEY``    key that signs session cookies (default: generated once in the data dir)
``OPENGREX_MAX_UPLOAD``    largest request body in bytes (default 5 MB); larger gives 413
``OPENGREX_ALLOWED_HOSTS`` extra host names the app answers to (comma-separated); always: localhost,
                           127.0.0.1, ::1 and the address ``opengrex serve`` binds (``OPENGREX_BIND_HOST``)
=========================  ===================================================================
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from opengrex.store.db import database_url


class Settings(BaseSettings):
    """Configuration of one app instance."""

    model_config = SettingsConfigDict(env_prefix="OPENGREX_", extra="ignore")

    database_url: str | None = Field(default=None, description="SQLAlchemy URL; None: SQLite in data_dir")
    data_dir: Path = Field(default=Path("var"))
    auth: bool = Field(default=False, description="accounts, login and roles on")
    secret_key: str | None = Field(default=None, description="signs session cookies")
    max_upload: int = Field(default=5 * 1024 * 1024, gt=0, description="largest request body [bytes]")
    migrate: bool = Field(default=True, description="run the Alembic migrations at app start")
    session_max_age: int = Field(default=8 * 3600, description="login session lifetime [s]")
    allowed_hosts: str = Field(default="", description="extra Host names, comma-separated (DNS rebinding guard)")
    bind_host: str | None = Field(default=None, description="the address the server binds (set by 'opengrex serve')")
    login_max_per_account: int = Field(default=5, gt=0, description="sign-in attempts per account per window")
    login_max_per_address: int = Field(default=20, gt=0, description="sign-in attempts per client address per window")
    login_window: float = Field(default=900.0, gt=0, description="login throttling window [s]")

    def resolved_database_url(self) -> str:
        if self.database_url:
            return database_url(self.database_url)
        return f"sqlite:///{(self.data_dir / 'opengrex.db').resolve()}"

    def resolved_secret_key(self) -> str:
        """The configured key, else one generated once and kept in ``<data dir>/secret.key`` (mode 600)."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret.key"
        if path.exists():
            return path.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it just now
            return path.read_text().strip()
        with os.fdopen(fd, "w") as fh:
            fh.write(key)
        return key
