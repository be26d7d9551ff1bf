"""``/api/kostenverhaal`` (kostenverhaal cases), ``/api/bijdrage`` (financiële bijdrage, six steps) and
``/api/eindafrekening``: the common document routes (each with its Excel export)."""
from __future__ import annotations

from opengrex.web.api.kind_router import kind_router

router = kind_router("kostenverhaal")
bijdrage_router = kind_router("bijdrage")
eindafrekening_router = kind_router("eindafrekening")
