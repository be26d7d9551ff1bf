"""``/api/programma``: programmes of projects (verevening, fonds, partners) — the common document routes."""
from __future__ import annotations

from opengrex.web.api.common import kind_router

router = kind_router("programma")
