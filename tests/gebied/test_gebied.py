"""The gebiedsbegroting end to end on a hand-computed area (conftest.tiny), the links to programme projects and
kostenverhaal cases, the public (Woo) variant, variants of a rule set, and the demo."""
from __future__ import annotations

import numpy as np
import pytest
from tests.gebied.fixtures_gebied import DEMO, SET_A, SET_B, tiny, tiny_links, tiny_resolver

from opengrex.services import gebied as api

G, D, F = 0, 1, 2


def calc(data, **kw):
    return api.calculate_gebied(api.gebied_from_dict(data), gekoppeld=tiny_links(), **kw)


def test_hand_computed_accounts_fund_and_one_wallet(tiny_data):
    res = calc(tiny_data)
    o = res.outcome
    np.testing.assert_allclose(o.netto[0, G], [-500 - 100, -550 + 300 - 200 - 110, 50 + 1000 - 100])
    np.testing.assert_allclose(o.netto[0, D], [0, -300, 2000 - 400 - 1000])
    np.testing.assert_allclose(o.netto[0, F], [100, 110, -150 + 400 + 100])
    np.testing.assert_allclose(o.fonds_saldo[0], [100, 220, 592])
    np.testing.assert_allclose(o.fonds_rente[0], [0, 10, 22])
    np.testing.assert_allclose(o.gebied[0], [-500, -750, 1900])  # the transfers cancel; the external flows remain
    assert res.waarde("gebied_totaal") == pytest.approx(650)
    assert res.waarde("contant", (G,)) == pytest.approx(-600 / 1.1 - 560 / 1.21 + 950 / 1.331)
    np.testing.assert_allclose(o.regels[0, 0, G], [0, 0, 1000])
    np.testing.assert_allclose(o.regels[1, 0, F], [0, 0, 100])
    # margins (confidential): 10% of d's revenues 2000; result after margin 300 − 200
    assert res.waarde("marge", (0,)) == pytest.approx(0.0)
    assert res.waarde("marge", (1,)) == pytest.approx(200)
    assert res.waarde("na_marge", (1,)) == pytest.approx(100)
    # investments per type: g publiek_infra 500 + 550 (own) + 200 (linked project); d afname vastgoed 300
    inv = {r["partij"]: r for r in res.rapport(["investeringen"])["investeringen"]}
    assert inv["Gemeente"]["publiek_infra"] == pytest.approx(1250)
    assert inv["Ontwikkelaar"]["afname_vastgoed"] == pytest.approx(300)
    assert inv["Gemeente"]["bijdragen_fonds"] == pytest.approx(210)
    assert res.waarschuwingen == []


def test_fund_warning_when_negative(tiny_data):
    tiny_data["fonds"]["uitgaven"][0] = {"naam": "Organisatie", "bedrag": 150, "fasering": {2025: 1.0}}
    res = calc(tiny_data)
    np.testing.assert_allclose(res.outcome.fonds_saldo[0], [-50, -55 + 110, 55 * 1.1 + 500])
    assert len(res.waarschuwingen) == 1
    assert "Fonds staat negatief in 2025 (laagste saldo € -50 in 2025)" in res.waarschuwingen[0]


def test_timing_mid_and_start_follow_the_grex_rekening_courant_rule(tiny_data):
    from opengrex.engine.grex import book_value

    for timing in ("mid", "start"):
        tiny_data["timing"] = timing
        res = calc(tiny_data)
        saldo, rente = book_value(res.outcome.fonds_stroom, 0.1, timing, 0.0)
        np.testing.assert_allclose(res.outcome.fonds_saldo, saldo)
        # the half-year index factor for mid (as in a grex line): cost 1000 × 50% × 1.1 × 1.1^0.5 in 2026
        if timing == "mid":
            np.testing.assert_allclose(res.outcome.post_stromen[0, 1], -550 * 1.1**0.5)


def test_links_are_resolved_by_their_own_engines(tiny_data):
    g = api.gebied_from_dict(tiny_data)
    gk = api.koppel(g, tiny_resolver)
    assert gk.projecten[0]["kosten"] == {2026: -200.0} and gk.projecten[0]["opbrengsten"] == {2027: 50.0}
    case = tiny_resolver("kostenverhaal", 8, None)
    from opengrex.services.kostenverhaal import calculate_case

    assert gk.kostenverhaal[0]["bedrag"] == pytest.approx(calculate_case(case).exploitatiebijdrage)
    res = api.calculate_gebied(g, resolver=tiny_resolver)
    assert res.rapport(["verwijzingen"])["verwijzingen"][0]["partij"] == "Gemeente"


def test_inline_link_and_trekker_as_party(tiny_data):
    prog = tiny_resolver("programma", 7, None).model_dump(mode="json", exclude_none=True)
    tiny_data["programmaprojecten"] = [{"bron": {"inline": prog}, "project": "P"}]  # trekker 'Gemeente' = the party's name
    tiny_data["kostenverhaal"] = []
    g = api.gebied_from_dict(tiny_data)
    gk = api.koppel(g)
    assert gk.projecten[0]["partij"] == "g"


def test_public_variant_withholds_what_depends_on_confidential_fields(tiny_data):
    pub = calc(tiny_data, openbaar=True)
    conf = calc(tiny_data)
    # the kavel price moves g's and d's positions: withheld; the fund and the one wallet do not depend on it
    assert pub.waarde("totaal", (G,)) == api.WEG and pub.waarde("totaal", (D,)) == api.WEG
    assert pub.waarde("totaal", (F,)) == pytest.approx(conf.waarde("totaal", (F,)))
    assert pub.waarde("gebied_totaal") == pytest.approx(650)
    assert pub.waarde("na_marge", (1,)) == api.WEG
    # the public pieces of a withheld party stay visible
    assert pub.waarde("totaal:eigen", (G,)) == pytest.approx(-1050)
    assert pub.gebied.transacties[0].prijs is None and pub.gebied.partijen[1].marge is None
    d = pub.rapport()
    assert "transacties" not in d and "marges" not in d
    assert d["woo"]["weggelaten_velden"][:4] == ["partijen[].marge", "posten[].toelichting", "transacties[].prijs", "transacties[].toelichting"]
    assert "programmaprojecten[].bron.inline.projecten[].grex.kosten[].notitie" in d["woo"]["weggelaten_velden"]  # linked documents too
    assert d["invoer"]["transacties"][0].get("prijs") is None and d["invoer"]["partijen"][1].get("marge") is None
    assert d["invoer"]["posten"][1]["toelichting"] == ""


def test_a_confidential_section_or_figure_in_a_public_report_is_an_error(tiny_data):
    pub = calc(tiny_data, openbaar=True)
    with pytest.raises(api.InputError, match="transacties.*vertrouwelijke veld transacties\\[\\]\\.prijs") as e:
        pub.rapport(["samenvatting", "transacties"])
    assert e.value.field == "onderdelen"
    with pytest.raises(api.InputError, match="marges.*partijen\\[\\]\\.marge"):
        pub.rapport(["marges"])
    with pytest.raises(api.InputError, match="vertrouwelijke gegevens") as e:
        pub.explain("partij:d")
    assert e.value.value == "partij:d"
    assert pub.explain("partij:fonds").waarde == pytest.approx(560)
    with pytest.raises(api.InputError, match="onbekend onderdeel"):
        pub.rapport(["nope"])


def test_explain_a_rule_and_the_fund(tiny_data):
    res = calc(tiny_data)
    e = res.explain("regel:Afdracht")
    assert e.regel.function == "opengrex.engine.spelregels.afdracht" and "Rijnhuizen" in e.regel.bron
    assert e.waarde == pytest.approx([-100.0, 0.0, 100.0])
    f = res.explain("fonds").to_dict()
    assert f["waarde"] == pytest.approx(592) and "rekening-courant" in f["regel"]["label"]
    with pytest.raises(api.InputError, match="onbekend kengetal"):
        res.explain("ncw")


def test_variants_in_one_vectorised_call_equal_one_by_one(tiny_data):
    g = api.gebied_from_dict(tiny_data)
    v = api.compare_rule_sets(g, varianten_tekst=["Bijdrage.tarief.wonen=0:20:3", "Afdracht.aandeel=0.1,0.5"], resolver=tiny_resolver)
    assert [r["Bijdrage.tarief.wonen"] for r in v.rijen] == [0, 0, 10, 10, 20, 20]
    for r in v.rijen:
        data = tiny()
        data["spelregelsets"][0]["regels"][0]["tarief"]["wonen"] = r["Bijdrage.tarief.wonen"]
        data["spelregelsets"][0]["regels"][1]["aandeel"] = r["Afdracht.aandeel"]
        one = api.calculate_gebied(api.gebied_from_dict(data), resolver=tiny_resolver)
        assert r["totaal:g"] == pytest.approx(one.waarde("totaal", (G,)))
        assert r["fonds_eindsaldo"] == pytest.approx(one.waarde("fonds_saldo", (2,)))
    # tarief 10, 10% is the hand-computed case
    assert v.rijen[2]["fonds_eindsaldo"] == pytest.approx(592)


def test_variation_errors_name_what_is_allowed(tiny_data):
    g = api.gebied_from_dict(tiny_data)
    for text, match in (("Onbekend.tarief.wonen=1", "onbekende regel"), ("Bijdrage.ontvanger=1", "kan niet worden gevarieerd"),
                        ("Bijdrage.tarief.kantoor=1", "onbekende sleutel"), ("Bijdrage.tarief.wonen=a:b:c", "ongeldige waarden"),
                        ("Afdracht.aandeel=2", "buiten het bereik"), ("Bijdrage.tarief.wonen", "zonder waarden")):
        with pytest.raises(api.InputError, match=match):
            api.parse_variatie(text, g)


def test_demo_two_rule_sets_fund_and_links():
    g = api.load_gebied(DEMO)
    a = api.calculate_gebied(g)
    b = api.calculate_gebied(g, regelset=SET_B)
    assert a.regelset == SET_A and len(g.partijen) == 5 and len(g.spelregelsets) == 2
    # the one wallet does not depend on the rule set: rules only move money between parties
    assert a.waarde("gebied_totaal") == pytest.approx(b.waarde("gebied_totaal"))
    assert a.waarde("gebied_totaal") == pytest.approx(-11_186_009, abs=1)
    assert a.waarde("fonds_saldo", (11,)) == pytest.approx(661_607, abs=1)
    assert b.waarde("fonds_saldo", (11,)) == pytest.approx(-461_541, abs=1)
    assert "negatief in 2025–2029" in a.waarschuwingen[0] and "2035–2036" in b.waarschuwingen[0]
    rules = a.rapport(["spelregels"])["spelregels"]["regels"]
    assert [r["type"] for r in rules] == ["gebiedsbijdrage", "verevening", "meebewegend", "afdracht"]
    assert rules[3]["per_rekening"]["fonds"] == pytest.approx(0.1 * rules[0]["per_rekening"]["gemeente"])
    refs = a.rapport(["verwijzingen"])["verwijzingen"]
    assert [r["soort"] for r in refs] == ["programmaproject", "programmaproject", "kostenverhaal"]
    assert refs[2]["bedrag"] == pytest.approx(3_280_000)
    v = api.compare_rule_sets(g)
    assert [r["regelset"] for r in v.rijen] == [SET_A, SET_B]
