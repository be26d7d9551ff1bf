"""Grex lines with quantity × unit price and group labels (:mod:`opengrex.model.line_detail`)."""
from __future__ import annotations

import pytest
import yaml
from tests.web.fixtures_pages import DEMO

from opengrex.errors import InputError
from opengrex.model.grex import CostLine
from opengrex.services.grex import calculate_grex, grex_from_dict, grex_to_dict, load_grex

AMOUNT = CostLine.model_fields["amount"].alias or "amount"
"""The document key of a line's amount (``bedrag``)."""


def demo() -> dict:
    return yaml.safe_load(DEMO.read_text(encoding="utf-8"))


def test_the_amount_is_quantity_times_price_when_not_given():
    data = demo()
    line = data["kosten"][0]
    del line[AMOUNT]
    line.update(hoeveelheid=12500, eenheid="m²", eenheidsprijs=760)
    grex = grex_from_dict(data)
    assert grex.kosten[0].amount == 12500 * 760.0
    written = grex_to_dict(grex)["kosten"][0]
    assert (written[AMOUNT], written["hoeveelheid"], written["eenheidsprijs"], written["eenheid"]) == (9_500_000.0, 12500.0, 760.0, "m²")


def test_a_given_amount_must_agree_with_quantity_times_price():
    data = demo()
    data["kosten"][0].update(hoeveelheid=10, eenheidsprijs=5)  # amount stays 9.500.000
    with pytest.raises(InputError) as info:
        grex_from_dict(data)
    assert info.value.field == f"kosten[0].{AMOUNT}"
    assert "niet gelijk aan hoeveelheid × eenheidsprijs = 50,00" in info.value.message
    data["kosten"][0][AMOUNT] = 50.004  # within half a cent
    assert grex_from_dict(data).kosten[0].amount == 50.004


@pytest.mark.parametrize("field", ["hoeveelheid", "eenheidsprijs"])
def test_quantity_and_price_are_not_negative(field):
    data = demo()
    data["kosten"][0][field] = -1
    with pytest.raises(InputError) as info:
        grex_from_dict(data)
    assert info.value.field == f"kosten[0].{field}"


def test_documents_without_the_new_fields_are_written_as_before():
    """The optional fields are not written when absent: a stored document stays byte for byte the same."""
    data = grex_to_dict(load_grex(DEMO))
    assert not any(k in line for line in data["kosten"] + data["opbrengsten"] for k in ("fase", "deelgebied", "hoeveelheid", "eenheid", "eenheidsprijs"))


def test_group_labels_change_no_figure():
    data = demo()
    for i, line in enumerate(data["kosten"]):
        line["fase"] = f"Fase {i % 2 + 1}"
    a, b = calculate_grex(load_grex(DEMO)), calculate_grex(grex_from_dict(data))
    assert (a.ncw, a.eindwaarde) == (b.ncw, b.eindwaarde)
