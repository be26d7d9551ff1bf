"""The one document diff (opengrex.model.diff): lines matched by key, by position as a fallback, whole subtrees or
leaves, paths by position or by line key; the same function serves the version compare and the actualisation."""
from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from opengrex.model.diff import diff, line_key, path_text


def test_lines_matched_by_key_not_position():
    a = {"kosten": [{"naam": "x", "bedrag": 1}, {"naam": "y", "bedrag": 2}]}
    b = {"kosten": [{"naam": "nieuw", "bedrag": 5}, {"naam": "x", "bedrag": 1}, {"naam": "y", "bedrag": 3}]}
    changes = diff(a, b)
    assert [(c["soort"], c["pad"], c["regel"]) for c in changes] == [
        ("gewijzigd", "kosten[2].bedrag", "kosten: y"),
        ("toegevoegd", "kosten[0]", "kosten: nieuw"),
    ]
    assert changes[1]["nieuw"] == {"naam": "nieuw", "bedrag": 5}


def test_duplicate_keys_fall_back_to_one_change_of_the_list():
    a = {"l": [{"naam": "x", "v": 1}, {"naam": "x", "v": 2}]}
    b = {"l": [{"naam": "x", "v": 1}, {"naam": "x", "v": 3}]}
    assert diff(a, b) == [{"pad": "l", "soort": "gewijzigd", "oud": a["l"], "nieuw": b["l"], "regel": None}]


def test_expanded_leaves_with_label_paths_as_the_actualisation_lists_them():
    """What services.actualisatie.diff returned (pad/oud/nieuw per leaf), from the shared function."""
    old = {"a": 1, "b": {"c": 2, "d": 3}, "l": [{"naam": "x", "v": 1}]}
    new = {"a": 1, "b": {"c": 5}, "e": {"f": 6}, "l": [{"naam": "x", "v": 2}]}
    got = [{k: c[k] for k in ("pad", "oud", "nieuw")} for c in diff(old, new, expand=True, paths="label") if c["soort"] != "volgorde"]
    assert got == [
        {"pad": "b.c", "oud": 2, "nieuw": 5},
        {"pad": "b.d", "oud": 3, "nieuw": None},
        {"pad": "l[x].v", "oud": 1, "nieuw": 2},
        {"pad": "e.f", "oud": None, "nieuw": 6},
    ]


def test_numbers_by_value_dates_as_iso_text():
    assert diff({"bruto": 4200000}, {"bruto": 4200000.0}) == []
    assert diff({"peildatum": dt.date(2025, 1, 1)}, {"peildatum": "2025-01-01"}) == []
    assert diff({"bruto": 4200000}, {"bruto": 4326000.0})[0]["soort"] == "gewijzigd"


def test_line_key_and_path_text():
    assert line_key({"name": "a", "id": 3}, 7) == "a"
    assert line_key({"categorie": "C"}, 7) == "C"
    assert line_key({"bedrag": 1}, 7) == 7
    assert path_text(("kosten", 2, "amount")) == "kosten[2].amount"


json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(-5, 5, allow_nan=False), st.text(max_size=3))
json_trees = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["name", "naam", "v", "w"]), inner, max_size=3)), max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(json_trees, json_trees, st.booleans(), st.sampled_from(["index", "label"]))
def test_no_changes_iff_equal_in_every_mode(a, b, expand, paths):
    assert (diff(a, b, expand=expand, paths=paths) == []) == (a == b)
