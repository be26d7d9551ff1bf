"""Storage of documents (grex, kostenverhaal, bijdrage, programma) with versions, in SQLite or PostgreSQL.

Layers: :mod:`opengrex.store.db` (engine, sessions, migrations), :mod:`opengrex.store.models` (SQLAlchemy tables),
:mod:`opengrex.store.kinds` (how each document kind is validated and calculated: through the capability's own
``opengrex.services`` loader), :mod:`opengrex.store.repository` (keyword-only functions; the caller owns the transaction),
:mod:`opengrex.store.users` (accounts), :mod:`opengrex.store.demo` (the demo data, loaded once).
"""
from opengrex.store.db import Database, database_url, session_scope

__all__ = ["Database", "database_url", "session_scope"]
