"""Bad input: each class gives a clear error naming the field, the value and what is allowed; nothing is computed
or written (the CLI exits 2 and writes no file)."""
from __future__ import annotations

import pytest
import yaml
from tests.gebied.fixtures_gebied import DEMO, tiny

from opengrex.cli import main
from opengrex.errors import InputError
from opengrex.services import gebied as api


def errors(data: dict) -> list[InputError]:
    with pytest.raises(InputError) as e:
        api.gebied_from_dict(data, "gebied.yaml")
    return getattr(e.value, "errors", [e.value])


def one(data: dict, field: str, match: str) -> InputError:
    errs = [x for x in errors(data) if x.field == field]
    assert errs, f"geen fout op {field}: {[str(x) for x in errors(data)]}"
    assert any(match in str(x) for x in errs), [str(x) for x in errs]
    return next(x for x in errs if match in str(x))


def rule(data: dict, i: int) -> dict:
    return data["spelregelsets"][0]["regels"][i]


@pytest.mark.parametrize(("change", "field", "match"), [
    (lambda d: d["posten"][0].update(partij="x"), "posten[0].partij", "onbekende partij"),
    (lambda d: d["transacties"][0].update(koper="x"), "transacties[0].koper", "onbekende partij"),
    (lambda d: d["transacties"][0].update(verkoper="d"), "transacties[0].verkoper", "koper en verkoper zijn dezelfde partij"),
    (lambda d: d["programma"][0].update(partij="x"), "programma[0].partij", "onbekende partij"),
    (lambda d: d["kostenverhaal"][0].update(ontvanger="x"), "kostenverhaal[0].ontvanger", "onbekende partij"),
    (lambda d: d["fonds"]["lidmaatschap"][0].update(partij="x"), "fonds.lidmaatschap[0].partij", "onbekende partij"),
    (lambda d: d["posten"][0].update(index="x"), "posten[0].index", "onbekende indexreeks"),
    (lambda d: rule(d, 0).update(ontvanger="x"), "spelregelsets[0].regels[0].ontvanger", "onbekende partij"),
    (lambda d: rule(d, 0).update(tarief={"woonen": 10}), "spelregelsets[0].regels[0].tarief.woonen", "onbekende functie"),
    (lambda d: rule(d, 0).update(betalers=["x"]), "spelregelsets[0].regels[0].betalers.x", "onbekende partij"),
    (lambda d: rule(d, 1).update(regels=["Onbekend"]), "spelregelsets[0].regels[1].regels.Onbekend", "onbekende regel"),
    (lambda d: d.update(regelset="Z"), "regelset", "onbekende spelregelset"),
])
def test_unknown_references(change, field, match):
    d = tiny()
    change(d)
    e = one(d, field, match)
    assert e.allowed and e.location and e.location.startswith("gebied.yaml")


@pytest.mark.parametrize(("change", "field", "match"), [
    (lambda d: d.update(risicos=[{"naam": "R", "bedrag": 10, "kans": 0.5, "dragers": {"g": 0.6, "d": 0.3}}]), "risicos[0].dragers", "tellen op tot 90%, niet tot 100%"),
    (lambda d: rule(d, 0).update(ontvanger={"aandelen": {"g": 0.5, "fonds": 0.4}}), "spelregelsets[0].regels[0].ontvanger.aandelen", "tellen op tot 90%, niet tot 100%"),
    (lambda d: d["posten"][0].update(fasering={2025: 0.5, 2026: 0.4}), "posten[0].fasering", "niet tot 1"),
    (lambda d: d["programma"][0].update(fasering={2027: 0.5}), "programma[0].fasering", "niet tot 1"),
    (lambda d: d["posten"][0].update(fasering={2031: 1.0}), "posten[0].fasering[2031]", "jaar buiten de looptijd"),
    (lambda d: rule(d, 1).update(aandeel=1.5), "spelregelsets[0].regels[1].aandeel", "aandeel buiten 0–100%"),
    (lambda d: d["posten"][0].update(bedrag=-1), "posten[0].bedrag", "mag niet negatief"),
    (lambda d: d["partijen"][1].update(marge=1.5), "partijen[1].marge", "marge buiten 0–100%"),
])
def test_shares_not_summing_to_100_percent_and_ranges(change, field, match):
    d = tiny()
    change(d)
    one(d, field, match)


def test_contradictory_rules():
    d = tiny()
    rules = d["spelregelsets"][0]["regels"]
    rules.reverse()  # the afdracht now comes before the bijdrage it takes a share of
    one(d, "spelregelsets[0].regels[0].regels.Bijdrage", "tegenstrijdige volgorde")
    d = tiny()
    d["spelregelsets"][0]["regels"][1]["regels"] = ["Afdracht"]
    one(d, "spelregelsets[0].regels[1].regels.Afdracht", "die pas zelf wordt toegepast")
    d = tiny()
    d["spelregelsets"][0]["regels"].append({"naam": "Nog een bijdrage", "type": "meebewegend", "tarief": {"wonen": 5}, "koppeling": "index", "ontvanger": "g"})
    one(d, "spelregelsets[0].regels[2]", "'Bijdrage' en 'Nog een bijdrage' heffen allebei per m² wonen van d")
    d = tiny()
    d["spelregelsets"][0]["regels"][1].update(naar="g")
    one(d, "spelregelsets[0].regels[1].naar", "'van' en 'naar' zijn dezelfde rekening")
    d = tiny()
    d["grond"] = [{"partij": "g", "grondgebruik": "agrarisch", "m2": 10, "inbreng": {2025: 1.0}}]
    d["spelregelsets"][0]["regels"] += [{"naam": "R1", "type": "ontwikkelrechten", "prijs": {"wonen": 1}}, {"naam": "R2", "type": "ontwikkelrechten", "prijs": {"wonen": 2}}]
    one(d, "spelregelsets[0].regels[3].prijs.wonen", "'R1' en 'R2' verdelen allebei wonen")
    d = tiny()
    d["spelregelsets"][0]["regels"].append({"naam": "Bijdrage", "type": "verevening", "categorieen": [], "sleutel": "g"})
    one(d, "spelregelsets[0].regels[2].naam", "regelnaam komt twee keer voor")
    d = tiny()
    d["spelregelsets"][0]["regels"].append({"naam": "M", "type": "meebewegend", "tarief": {"wonen": 5}, "koppeling": "index", "referentieprijs": {"wonen": 10}, "ontvanger": "fonds"})
    one(d, "spelregelsets[0].regels[2].referentieprijs", "tegenstrijdig: referentieprijs bij koppeling 'index'")


def test_unknown_rule_type_and_pro_rata_without_basis():
    d = tiny()
    rule(d, 0)["type"] = "belasting"
    e = errors(d)[0]
    assert "onbekend regeltype 'belasting'" in str(e) and "inbrengwaarde" in str(e) and "regel 1 ('Bijdrage')" in str(e)
    d = tiny()
    rule(d, 0)["ontvanger"] = {"naar_rato": "grond"}
    one(d, "spelregelsets[0].regels[0].ontvanger.naar_rato", "er is geen grond (0 m²)")


def test_link_errors_name_the_link():
    d = tiny()
    g = api.gebied_from_dict(d, "gebied.yaml")
    with pytest.raises(InputError, match="opgeslagen document kan hier") as e:
        api.koppel(g)
    assert e.value.errors[0].field == "programmaprojecten[0].bron.document"
    d["programmaprojecten"][0]["bron"] = {"bestand": "nergens.yaml"}
    d["kostenverhaal"] = []
    with pytest.raises(InputError, match="bestandsverwijzing heeft de map"):
        api.koppel(api.gebied_from_dict(d))
    with pytest.raises(InputError, match="gekoppeld bestand niet gevonden"):
        api.koppel(api.gebied_from_dict(d, base_dir=DEMO.parent))
    with pytest.raises(InputError, match="niet toegestaan"):
        api.koppel(api.gebied_from_dict(d, base_dir=DEMO.parent), bestanden=False)
    d["programmaprojecten"][0]["bron"] = {"bestand": "programma-spoorzone.yaml"}
    d["programmaprojecten"][0]["project"] = "Onbekend"
    with pytest.raises(InputError, match="onbekend project") as e:
        api.koppel(api.gebied_from_dict(d, base_dir=DEMO.parent))
    assert "Stationsplein en busstation" in e.value.allowed
    d["programmaprojecten"][0]["project"] = "Stationsplein en busstation"
    with pytest.raises(InputError, match="buiten de looptijd"):  # the project runs 2027-2029, the tiny area 2025-2027
        api.koppel(api.gebied_from_dict(d, base_dir=DEMO.parent))
    d["programmaprojecten"][0].pop("partij")
    d["eindjaar"] = 2030
    with pytest.raises(InputError, match="trekker 'Provincie Zuid-Oost' is geen partij"):
        api.koppel(api.gebied_from_dict(d, base_dir=DEMO.parent))
    with pytest.raises(InputError, match="precies één van"):
        d["programmaprojecten"][0]["bron"] = {"bestand": "a.yaml", "document": 3}
        api.gebied_from_dict(d)


def run(capsys, *args):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_bad_input_exits_2_and_writes_nothing(capsys, tmp_path):
    d = tiny()
    d["posten"][0]["partij"] = "x"
    src = tmp_path / "g.yaml"
    src.write_text(yaml.safe_dump(d, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "uit.xlsx"
    code, stdout, err = run(capsys, "gebied", "export", src, "-o", out)
    assert code == 2 and not out.exists() and not list(tmp_path.glob(".opengrex-*"))
    assert "g.yaml, regel" in err and "posten[0].partij" in err and "onbekende partij" in err and "toegestaan: g, d" in err
    code, stdout, err = run(capsys, "gebied", "bereken", src)
    assert code == 2 and stdout == ""


def test_cli_confidential_section_in_public_report_is_refused(capsys):
    code, out, err = run(capsys, "gebied", "bereken", DEMO, "--openbaar", "--onderdelen", "samenvatting,transacties")
    assert code == 2 and out == ""
    assert "transacties" in err and "vertrouwelijke veld transacties[].prijs" in err
    code, out, err = run(capsys, "gebied", "bereken", DEMO, "--openbaar", "--verklaar", "partij:corporatie")
    assert code == 2 and out == "" and "vertrouwelijke gegevens" in err
    code, out, err = run(capsys, "gebied", "bereken", DEMO, "--openbaar", "--vertrouwelijk")
    assert code == 2 and "kies óf --openbaar óf --vertrouwelijk" in err
