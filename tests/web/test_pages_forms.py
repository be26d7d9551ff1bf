"""The grex edit form: nl-NL number parsing, round trip grex -> form -> grex, errors mapped to form fields."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opengrex.services.grex import grex_from_dict, grex_to_dict, load_grex
from opengrex.errors import InputError, InputErrors
from opengrex.testing import random_grex
from opengrex.web.pages import forms as F
from tests.web.fixtures_pages import DEMO


def post_items(form: F.GrexForm) -> list[tuple[str, str]]:
    """The (name, value) pairs a browser posts for ``form`` (the same order as the page)."""
    items = list(form.general.items())
    for ix in form.indices:
        items += [("ix", ix.uid), (f"{ix.uid}.naam", ix.naam), (f"{ix.uid}.reeks", ix.reeks)]
    for r in form.rows:
        items += [("regel", r.uid), (f"{r.uid}.sectie", r.sectie)] + [(f"{r.uid}.{k}", v) for k, v in r.values.items()]
    return items


@pytest.mark.parametrize(("text", "value"), [
    ("1.234.567,89", 1234567.89), ("1234567.89", 1234567.89), ("1.500", 1500.0), ("0.035", 0.035), ("-0,5", -0.5),
    ("€ 9.500.000", 9.5e6), ("12", 12.0), ("2,5", 2.5), ("1.500.000", 1.5e6), ("\u22121.000", -1000.0),
])
def test_parse_number_nl(text, value):
    assert F.parse_number(text) == pytest.approx(value, rel=1e-15)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "nan", "inf", "1.2.3,4,5"])
def test_parse_number_rejects(text):
    with pytest.raises(ValueError):
        F.parse_number(text)


@pytest.mark.parametrize(("text", "value"), [("3,5%", 0.035), ("2%", 0.02), ("0,02", 0.02), ("-0,5%", -0.005), ("0%", 0.0)])
def test_parse_rate(text, value):
    assert F.parse_rate(text) == pytest.approx(value, rel=1e-15)


def test_parse_rate_refuses_bare_number_of_one_or_more():
    """'3' could mean 3% or 300%: refused, the user must write 3% or 0,03."""
    with pytest.raises(ValueError):
        F.parse_rate("3")


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False))
@settings(max_examples=300, deadline=None)
def test_fmt_number_round_trips(x):
    assert F.parse_number(F.fmt_number(x)) == pytest.approx(x, rel=1e-14, abs=1e-9)


@given(st.floats(min_value=-0.99, max_value=5, allow_nan=False))
@settings(max_examples=300, deadline=None)
def test_fmt_rate_round_trips(r):
    assert F.parse_rate(F.fmt_rate(r)) == pytest.approx(r, rel=1e-11, abs=1e-14)


def test_year_items_accept_semicolons_commas_and_lines():
    expect = [(2025, "60%"), (2026, "40%")]
    assert F.parse_year_items("2025: 60%; 2026: 40%") == expect
    assert F.parse_year_items("2025: 60%, 2026: 40%") == expect
    assert F.parse_year_items("2025=60%\n2026=40%") == expect
    assert F.parse_year_items("2025: 0,6, 2026: 0,4") == [(2025, "0,6"), (2026, "0,4")]
    assert F.parse_year_items("3,5%") == [(None, "3,5%")]


def test_demo_round_trips_through_the_form():
    grex = load_grex(DEMO)
    form = F.form_from_post(post_items(F.form_from_grex(grex)))
    assert grex_to_dict(grex_from_dict(F.data_from_form(form))) == grex_to_dict(grex)


@given(st.integers(0, 2**32 - 1))
@settings(max_examples=25, deadline=None)
def test_random_grexes_round_trip_through_the_form(seed):
    """Every field of a grex survives grex -> form fields (nl-NL text) -> grex exactly (decimal, no float drift),
    so saving an unchanged form never shows up as a change in the version comparison."""
    grex = random_grex(np.random.default_rng(seed), n_lines=8, n_years=8)
    back = grex_from_dict(F.data_from_form(F.form_from_post(post_items(F.form_from_grex(grex)))))
    assert grex_to_dict(back) == grex_to_dict(grex)


def _demo_form() -> F.GrexForm:
    return F.form_from_post(post_items(F.form_from_grex(load_grex(DEMO))))


def test_unreadable_values_name_their_form_field():
    form = _demo_form()
    first = form.rows[0].uid
    form.rows[0].values["amount"] = "veel"
    form.general["rente"] = "3"
    form.indices[0].reeks = "2025: x"
    with pytest.raises(InputErrors) as info:
        F.data_from_form(form)
    fields = {e.field for e in info.value.errors}
    assert fields == {f"{first}.amount", "rente", f"{form.indices[0].uid}.reeks"}


def test_model_errors_are_mapped_back_to_form_fields():
    """A phasing not summing to 1 and an unknown kostensoort are found by the model (path kosten[i].…) and shown
    next to the inputs of the i-th cost row."""
    form = _demo_form()
    costs = form.rows_of("kosten")
    costs[2].values["phasing"] = "2026: 50%"
    costs[3].values["soort"] = "Z9"
    revenue = form.rows_of("opbrengsten")[1]
    revenue.values["index"] = "bestaat_niet"
    with pytest.raises(InputError) as info:
        grex_from_dict(F.data_from_form(form))
    F.attach_errors(form, info.value)
    assert set(form.errors) == {f"{costs[2].uid}.phasing", f"{costs[3].uid}.soort", f"{revenue.uid}.index"}
    assert "fasering telt op tot 0,5" in form.errors[f"{costs[2].uid}.phasing"]
    assert "onbekende kostensoort" in form.errors[f"{costs[3].uid}.soort"]
    assert F.field_label(f"{costs[3].uid}.soort", form).startswith("Kosten 'Bodemsanering'")


def test_too_many_rows_is_an_input_error():
    items = [("regel", f"r{i}") for i in range(F.MAX_ROWS + 1)]
    with pytest.raises(InputError) as info:
        F.form_from_post(items)
    assert info.value.field == "regel"
