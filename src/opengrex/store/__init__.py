"""Storage of documents of every kind with versions, in SQLite or PostgreSQL: persistence only.

Layers: :mod:`opengrex.store.db` (engine, sessions, migrations), :mod:`opengrex.store.models` (SQLAlchemy tables),
:mod:`opengrex.store.repository` (keyword-only functions; the caller owns the transaction), :mod:`opengrex.store.users`
(accounts). The store never validates or calculates and never imports :mod:`opengrex.services`: documents arrive
validated and calculated from :mod:`opengrex.services.documents`, which also loads the demo data.
"""
from opengrex.store.db import Database, database_url, session_scope

__all__ = ["Database", "database_url", "session_scope"]
