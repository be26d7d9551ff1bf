"""Onzekerheden are a tagged union (issue #9 item 8): each kind has only its own fields, documents of the first
version (one bag of fields for every kind) keep loading with the same figures, and bad input names the field."""
from __future__ import annotations

import copy

import pytest

from opengrex.errors import InputErrors
from opengrex.model.programma import IndexOnzekerheid, PrijsniveauOnzekerheid, VertragingOnzekerheid
from opengrex.services.kinds import get_kind
from opengrex.services.programma import run_risk

DEMO = "examples/hart-van-de-heuvelrug/mastergrex-2013.yaml"


@pytest.fixture(scope="module")
def data():
    k = get_kind("programma")
    return k.to_data(k.load(DEMO))


def test_each_kind_is_its_own_model_with_only_its_fields(data):
    prog = get_kind("programma").validate(data)
    kinds = [type(u) for u in prog.onzekerheden]
    assert kinds == [IndexOnzekerheid, PrijsniveauOnzekerheid, VertragingOnzekerheid]
    dumped = get_kind("programma").to_data(prog)["onzekerheden"]
    assert "kansen" not in dumped[0] and "reeks" not in dumped[1] and "min" not in dumped[2] and "op" not in dumped[2]


def test_a_first_version_document_with_every_field_loads_with_the_same_figures(data):
    old = copy.deepcopy(data)
    bag = {"reeks": None, "op": "opbrengsten", "min": None, "modus": None, "max": None, "verdeling": "driehoek", "kansen": {}}
    old["onzekerheden"] = [{**bag, **u} for u in old["onzekerheden"]]
    old["onzekerheden"][1]["reeks"] = "opbrengsten"  # ignored by a prijsniveau uncertainty, as it always was
    k = get_kind("programma")
    a, b = run_risk(k.validate(data), draws=200, seed=3), run_risk(k.validate(old), draws=200, seed=3)
    assert (a.ncw == b.ncw).all()


@pytest.mark.parametrize(("change", "field", "text"), [
    ({"type": "volatiliteit"}, "onzekerheden[0].type", "volatiliteit"),
    ({"min": None}, "onzekerheden[0].min", ""),
    ({"reeks": "bestaat-niet"}, "onzekerheden[0].reeks", "onbekende indexreeks"),
    ({"prijs": 3}, "onzekerheden[0].prijs", ""),
])
def test_bad_uncertainty_names_the_field(data, change, field, text):
    bad = copy.deepcopy(data)
    bad["onzekerheden"][0].update(change)
    if change.get("min", 0) is None:
        bad["onzekerheden"][0].pop("min")
    with pytest.raises(InputErrors) as exc:
        get_kind("programma").validate(bad)
    message = str(exc.value)
    assert field in message and text in message
