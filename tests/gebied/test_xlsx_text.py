"""User text in the gebied workbook is text, never a formula (the hardening rule for every exporter): names of the
area, parties, posten, transactions, categories (also where a category stands inside a formula), functions, land
uses and rules."""
from __future__ import annotations

import pytest
from tests.gebied.fixtures_gebied import tiny, tiny_links
from tests.security.test_exports_text import PAYLOADS, assert_text_everywhere

from opengrex.io.xlsx_gebied import write_gebied_xlsx
from opengrex.services import gebied as api


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("openbaar", [False, True])
def test_gebied_workbook_writes_user_text_as_text(tmp_path, payload, openbaar):
    d = tiny()
    d["naam"] = payload
    d["partijen"][0]["naam"] = payload
    d["posten"][0]["naam"] = payload
    d["posten"][0]["categorie"] = "park"
    d["transacties"][0]["naam"] = payload
    d["fonds"]["naam"] = payload
    d["spelregelsets"][0]["naam"] = payload
    d["spelregelsets"][0]["regels"].append({"naam": payload, "type": "verevening", "categorieen": ["park"], "sleutel": "g"})
    res = api.calculate_gebied(api.gebied_from_dict(d), gekoppeld=tiny_links(), openbaar=openbaar)
    write_gebied_xlsx(res, tmp_path / "g.xlsx")
    assert assert_text_everywhere(tmp_path / "g.xlsx", [payload]) >= 2  # the post and the transaction (others stand inside longer titles)


@pytest.mark.parametrize("payload", [p for p in PAYLOADS if not p.startswith(("\t", "\r"))] + ["park*", "a?b", "~x"])
def test_lookup_keys_that_would_act_in_a_formula_are_refused(payload):
    """Functions, land uses and categories are lookup keys in the workbook (MATCH, SUMIFS): no wildcards, no leading
    formula or comparison characters; party ids are short keys."""
    for change, field in ((lambda d: d["posten"][0].update(categorie=payload), "posten[0].categorie"),
                          (lambda d: d["programma"][0].update(functie=payload), "programma[0].functie"),
                          (lambda d: d["partijen"][0].update(id=payload), "partijen[0].id")):
        d = tiny()
        change(d)
        with pytest.raises(api.InputError) as e:
            api.gebied_from_dict(d)
        assert any(x.field == field and "ongeldige" in x.message for x in getattr(e.value, "errors", [e.value])), [str(x) for x in e.value.errors]
