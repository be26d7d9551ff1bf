"""The glossary's document keys agree with the models: each entry with a ``sleutel`` names a field whose Python
attribute is ``code`` and whose document key is ``sleutel`` (grex, programme and their parts)."""
from __future__ import annotations

from pathlib import Path

import yaml

from opengrex.model import grex as g
from opengrex.model import programma as p

GLOSSARY = Path(g.__file__).resolve().parents[1] / "glossary.yaml"
MODELS = [g.Grex, g.Line, p.Programme, p.Fund, p.Partner, p.Impact, p.Risk, p.Scenario, p.Project, p.Financier]


def test_glossary_keys_match_the_models():
    entries = [e for e in yaml.safe_load(GLOSSARY.read_text(encoding="utf-8")) if "sleutel" in e]
    assert len(entries) >= 15
    pairs = {(name, f.alias or name) for m in MODELS for name, f in m.model_fields.items()}
    for e in entries:
        assert (e["code"], e["sleutel"]) in pairs or e["code"] == "Wijziging", e
