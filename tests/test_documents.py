"""Strict YAML/JSON loading: errors name the file, the line, the field, the value and what is allowed."""
import pytest

from opengrex.errors import InputError
from opengrex.services.grex import grex_from_text

BASE = """\
name: t
prijspeil: 2025-01-01
start_year: 2025
end_year: 2027
indices: {geen: 0.0}
kosten:
  - name: a
    kostensoort: A1
    amount: 100
    index: geen
    phasing: {2025: 1.0}
"""


def test_valid_document_loads():
    g = grex_from_text(BASE, "g.yaml")
    assert g.kosten[0].amount == 100


def test_duplicate_key_names_line():
    with pytest.raises(InputError) as exc:
        grex_from_text(BASE + "name: again\n", "g.yaml")
    assert "twee keer" in str(exc.value) and "regel 12" in str(exc.value) and "g.yaml" in str(exc.value)


def test_unknown_field_names_line_and_field():
    with pytest.raises(InputError) as exc:
        grex_from_text(BASE.replace("    index: geen\n", "    index: geen\n    bogus: 1\n"), "g.yaml")
    err = exc.value
    assert err.field == "kosten[0].bogus"
    assert "regel 11" in str(err)


def test_domain_error_maps_to_line():
    with pytest.raises(InputError) as exc:
        grex_from_text(BASE.replace("kostensoort: A1", "kostensoort: Z9"), "g.yaml")
    err = exc.value
    assert err.field == "kosten[0].kostensoort" and err.value == "Z9"
    assert "regel 8" in str(err) and "A1" in str(err.allowed)


def test_malformed_yaml_names_line():
    with pytest.raises(InputError) as exc:
        grex_from_text(BASE + "kosten: [\n", "g.yaml")
    assert "ongeldige YAML" in str(exc.value) and "regel" in str(exc.value)


def test_malformed_json():
    with pytest.raises(InputError) as exc:
        grex_from_text('{"name": "x",\n  "prijspeil": }', "g.json")
    assert "ongeldige JSON" in str(exc.value) and "regel 2" in str(exc.value)


def test_as_dict_is_json_ready():
    with pytest.raises(InputError) as exc:
        grex_from_text(BASE.replace("amount: 100", "amount: -5"), "g.yaml")
    d = exc.value.as_dict()
    assert d["field"] == "kosten[0].amount" and d["value"] == -5 and d["allowed"]


def test_index_name_with_excel_wildcard_is_refused():
    """Index names are looked up with MATCH in the exported workbook, where * ? ~ are wildcards."""
    text = BASE.replace("indices: {geen: 0.0}", "indices: {geen: 0.0, 'bouw*': 0.02}")
    with pytest.raises(InputError) as exc:
        grex_from_text(text, "g.yaml")
    assert exc.value.field == "indices.bouw*" and "regel 5" in str(exc.value)
