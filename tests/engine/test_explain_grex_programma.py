"""Explanations of grex and programme figures (issue #9 item 4/6): built from rule metadata, in Dutch, every cited
function resolves, and the first version's flat dict keeps working."""
from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import opengrex.engine
from opengrex.engine.explain import RULE_ATTR, Explanation, resolve, rule_of
from opengrex.errors import InputError
from opengrex.services import grex as grex_service
from opengrex.services import programma as programme_service

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo-grex.yaml"
PROG = ROOT / "examples" / "hart-van-de-heuvelrug" / "mastergrex-2013.yaml"


def _walk(e: Explanation):
    yield e
    for o in e.onderdelen:
        yield from _walk(o)


def test_every_rule_in_the_engine_resolves_to_itself():
    found = 0
    for mod in pkgutil.iter_modules(opengrex.engine.__path__):
        m = importlib.import_module(f"opengrex.engine.{mod.name}")
        for _, fn in inspect.getmembers(m, inspect.isfunction):
            if hasattr(fn, RULE_ATTR) and fn.__module__ == m.__name__:
                info = rule_of(fn)
                assert resolve(info.function) is fn
                assert info.label and info.formule and info.bron
                found += 1
    assert found >= 30


@pytest.fixture(scope="module")
def grex_result():
    return grex_service.calculate_grex(grex_service.load_grex(DEMO))


@pytest.fixture(scope="module")
def programme_result():
    return programme_service.calculate_programme(programme_service.load_programme(PROG))


def grex_kengetallen(result):
    y = result.years[2]
    return [k.replace("JAAR", str(y)) for k in grex_service.KENGETALLEN]


def test_every_grex_figure_explains_itself(grex_result):
    for k in grex_kengetallen(grex_result):
        e = grex_service.explain(grex_result, k)
        assert e.kengetal == k
        for part in _walk(e):
            assert resolve(part.regel.function) is not None
            for text in part.toelichting:
                assert "opengrex." not in text and "0.8999" not in text  # Dutch text, no Python paths
            assert part.to_dict()["regel"]["functie"] == part.regel.function
    e = grex_service.explain(grex_result, "ncw")
    assert "€" in e.toelichting[0] and "%" in e.toelichting[0]
    assert e.waarde == grex_result.ncw and e.invoer[0].symbool == "eindwaarde"


def test_grex_explain_errors_name_the_allowed_figures(grex_result):
    with pytest.raises(InputError) as info:
        grex_service.explain(grex_result, "winst")
    assert "boekwaarde:JAAR" in info.value.allowed
    with pytest.raises(InputError, match="geef een jaar op"):
        grex_service.explain(grex_result, "boekwaarde")
    with pytest.raises(InputError, match="buiten de looptijd"):
        grex_service.explain(grex_result, "rente:1990")
    with pytest.raises(ValueError, match="geef een jaar op"):  # the first version's method keeps its contract
        grex_result.explain("boekwaarde")


def test_every_programme_figure_explains_itself(programme_result):
    names = programme_result.programme.project_names()
    for k in [k for k in programme_service.KENGETALLEN if ":" not in k] + [f"project:{n}" for n in names]:
        e = programme_service.explain(programme_result, k)
        assert resolve(e.regel.function) is not None and e.toelichting
        assert programme_result.explain(k)["functie"] == e.regel.function
    assert "seed 000" in programme_service.explain(programme_result, "rentedeel").regel.bron
    with pytest.raises(InputError) as info:
        programme_service.explain(programme_result, "project:Onbekend")
    assert info.value.allowed.startswith("project:")
