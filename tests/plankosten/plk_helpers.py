"""Shared helpers: a minimal valid plan as data, and a plan computed with a few fields changed."""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "plankosten"

BASE: dict[str, Any] = {
    "naam": "toets",
    "peildatum": "2024-05-01",
    "tijdvak": "met",
    "kostenverhaalsgebied": {"oppervlakte_ha": 2.0, "uitgeefbaar_ha": 1.2},
    "ligging": "uitleglocatie",
    "programma": {"woningen": 20},
    "producten": ["1.1a"],
}


def plan(**changes: Any) -> dict[str, Any]:
    """BASE with top-level keys replaced (``None`` removes a key)."""
    d = copy.deepcopy(BASE)
    for k, v in changes.items():
        if v is None:
            d.pop(k, None)
        else:
            d[k] = v
    return d


