"""One Dutch rendering of an explanation for every kind (``cli.output.explanation_lines``, used by ``--verklaar``):
rule, source, inputs with units; euros and percentages formatted nl-NL, never Python floats."""
from __future__ import annotations

import json
import re

import pytest

from opengrex.cli.output import explanation_lines, print_explanation
from opengrex.services.documents import demo_files
from opengrex.services.kinds import get_kind

FIRST = {}
for _kind, _path in demo_files():
    FIRST.setdefault(_kind, _path)


@pytest.mark.parametrize("kind", sorted(FIRST))
def test_same_dutch_rendering_for_every_kind(kind, capsys):
    k = get_kind(kind)
    result = k.calculate(k.load(FIRST[kind]))
    kengetal = next(x for x in k.kengetallen if ":" not in x)
    e = k.explain(result, kengetal)
    lines = explanation_lines(e)
    text = "\n".join(lines)
    assert lines[0].startswith(f"{e.label} = ")
    assert "  Regel: " in text and "  Bron: " in text and "Rekenregel in opengrex: opengrex.engine." in text
    assert not re.search(r"\d\.\d{7,}", text), text  # no 0.8999999999999999
    if e.eenheid.startswith("EUR"):
        assert "€ " in lines[0]
    print_explanation(e)
    assert capsys.readouterr().out.splitlines()[0] == lines[0]
    print_explanation(e, as_json=True)
    assert json.loads(capsys.readouterr().out)["kengetal"] == kengetal


def test_percentages_and_years():
    k = get_kind("grex")
    result = k.calculate(k.load(FIRST["grex"]))
    text = "\n".join(explanation_lines(k.explain(result, "ncw")))
    assert "disconteringsvoet = 2%" in text and "T_end = 12" in text
