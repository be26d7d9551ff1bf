"""The typed registry of document kinds (opengrex.services.kinds): every built-in kind reads, writes, calculates,
summarises, exports and explains its demo documents through direct references to its service functions."""
from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
import yaml

from opengrex.engine.explain import Explanation, resolve
from opengrex.errors import InputError
from opengrex.services.documents import demo_files
from opengrex.services.kinds import KINDS, DocumentKind, get_kind, register

DEMO = demo_files()


def fill_in(kengetal: str, result: Any) -> str:
    """A kengetal with its placeholders (JAAR, GEBIED, SEGMENT) filled from the result."""
    if "JAAR" in kengetal:
        kengetal = kengetal.replace("JAAR", str(result.years[len(result.years) // 2]))
    if "GEBIED" in kengetal:
        kengetal = kengetal.replace("GEBIED", result.gebieden[0]).replace("SEGMENT", result.segmenten[0])
    return kengetal


def test_builtin_kinds_and_unknown_kind():
    assert list(KINDS) == ["grex", "kostenverhaal", "bijdrage", "eindafrekening", "programma", "portefeuille", "plankosten", "gebied", "plancapaciteit"]
    assert get_kind("eindafrekening").listed_under == "kostenverhaal"
    with pytest.raises(InputError) as info:
        get_kind("raket")
    assert info.value.field == "kind" and "grex" in info.value.allowed


@pytest.mark.parametrize("kind, path", DEMO, ids=[p.name for _, p in DEMO])
def test_demo_document_through_the_registry(kind, path):
    k = get_kind(kind)
    model = k.load(path)
    data = k.to_data(model)
    assert k.to_data(k.from_data(data, "data")) == data  # canonical: stored data round-trips unchanged
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    assert k.to_data(k.parse(text, "doc.yaml")) == data
    result = k.calculate(model)
    summary = k.summary(result)
    json.dumps(summary, allow_nan=False)  # JSON-ready
    headline = k.headline(result)
    assert set(headline) <= {h.key for h in k.headlines} and headline
    assert all(h.label and h.eenheid for h in k.headlines)
    for e in k.all_exporters:
        content = e.write(model)
        assert content, e.key
        if e.key == "yaml":
            assert yaml.safe_load(content) == json.loads(json.dumps(data))
        elif e.key == "json":
            assert json.loads(content) == json.loads(json.dumps(data))
        else:
            assert zipfile.is_zipfile(io.BytesIO(content))
    assert k.document_name(model)


@pytest.mark.parametrize("kind, path", DEMO, ids=[p.name for _, p in DEMO])
def test_every_figure_explains_itself_with_a_resolvable_rule(kind, path):
    k = get_kind(kind)
    result = k.calculate(k.load(path))
    explained = 0
    for kengetal in k.kengetallen:
        kg = fill_in(kengetal, result)
        try:
            e = k.explain(result, kg)
        except InputError as exc:  # a figure that does not apply to this document says which ones do
            assert exc.field == "kengetal" and exc.allowed
            continue
        explained += 1
        assert isinstance(e, Explanation) and e.kengetal == kg and e.label and e.eenheid
        for part in (e, *e.onderdelen):
            assert callable(resolve(part.regel.function)), part.regel.function
            assert part.regel.bron
        json.dumps(e.to_dict(), default=float)
    assert explained >= 1
    with pytest.raises(InputError) as info:
        k.explain(result, "winst")
    assert info.value.field == "kengetal" and info.value.value == "winst"


def test_registration_rules():
    g = get_kind("grex")
    with pytest.raises(ValueError, match="bestaat al"):
        register(g)
    from dataclasses import replace

    with pytest.raises(ValueError, match="listed_under"):
        register(replace(g, name="grex2", listed_under="bestaat_niet"))
    assert "grex2" not in KINDS
    assert isinstance(g, DocumentKind) and g.confidential == ("kosten[].notitie", "opbrengsten[].notitie")
