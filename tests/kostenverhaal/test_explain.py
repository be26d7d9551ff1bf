"""Explanations of the kostenverhaal family (issue 9 item 4): one ``explain(result, kengetal) -> Explanation`` per
kind, built from the engine's rule metadata, in Dutch (money as € 1.234, percentages as 2 %), with the parameters'
source and peildatum; every rule an engine module of the family marks is a resolvable, cited function."""
from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import pytest

from opengrex.cli import main
from opengrex.engine import actualisatie, bijdrage, eindafrekening, kostenverhaal
from opengrex.engine.explain import RULE_ATTR, Explanation, resolve
from opengrex.errors import InputError
from opengrex.services import bijdrage as s_bijdrage
from opengrex.services import eindafrekening as s_eind
from opengrex.services import kostenverhaal as s_kv

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "kostenverhaal"
PYTHONISH = re.compile(r"\d\.\d{5,}|opengrex\.|np\.|\bnan\b|\binf\b|_\w+\(")


def _walk(e: Explanation):
    yield e
    for o in e.onderdelen:
        yield from _walk(o)


def _check(e: Explanation) -> None:
    """The explanation tree is well formed: every rule resolves to its function and carries its source; the texts
    a user reads are Dutch sentences with formatted figures, never Python values or paths."""
    for x in _walk(e):
        assert resolve(x.regel.function).__name__ == x.regel.function.rsplit(".", 1)[1]
        assert x.regel.bron and x.regel.label and x.regel.formule
        for text in (x.label, *x.toelichting):
            assert not PYTHONISH.search(text), text
            assert "%" not in text.replace(" %", ""), text  # percentages as "2 %"
        for p in x.parameters:
            assert p.bron, p
        json.dumps(x.to_dict(), default=str)


@pytest.mark.parametrize("engine", [kostenverhaal, bijdrage, eindafrekening, actualisatie])
def test_every_rule_of_the_family_is_marked_and_resolves(engine):
    functions = [f for name, f in inspect.getmembers(engine, inspect.isfunction) if f.__module__ == engine.__name__ and not name.startswith("_")]
    rules = [f for f in functions if hasattr(f, RULE_ATTR)]
    unmarked = {f.__name__ for f in functions} - {f.__name__ for f in rules} - {"calculate", "case_arrays", "plus_jaren"}
    assert unmarked == set(), f"functions without @rule: {unmarked}"
    for f in rules:
        info = getattr(f, RULE_ATTR)
        assert resolve(info.function) is f
        assert f.__doc__ and "[" in f.__doc__  # units in brackets


def test_one_grondwaarde():
    assert kostenverhaal.grondwaarde is bijdrage.grondwaarde


@pytest.mark.parametrize("name", ["voorbeeld-1.yaml", "voorbeeld-2.yaml", "voorbeeld-3.yaml", "voorbeeld-4.yaml", "zonder-tijdvak.yaml", "met-grex.yaml"])
def test_every_kostenverhaal_kengetal(name):
    r = s_kv.calculate_case(s_kv.load_case(EXAMPLES / name))
    for k in s_kv.KENGETALLEN:
        e = s_kv.explain(r, k)
        assert e.kengetal == k
        _check(e)
    assert s_kv.explain(r, "exploitatiebijdrage").waarde == r.exploitatiebijdrage
    assert s_kv.explain(r, "macroaftopping").waarde == r.macroaftopping
    assert s_kv.explain(r, "verhaalbaar_maximum").waarde == r.cap
    for c in r.volgordelijkheid():
        e = s_kv.explain(r, c["categorie"])
        assert e.waarde == c["verhaald"] and e.toelichting[0] == c["reden"]
        assert e.onderdelen[0].waarde == pytest.approx(c["te_verhalen"])
    assert s_kv.explain(r, "financieel_resultaat:gemeente").waarde == r.resultaat()["gemeente"]


def test_kostenverhaal_explanations_show_the_figures():
    r = s_kv.calculate_case(s_kv.load_case(EXAMPLES / "voorbeeld-2.yaml"))
    e = s_kv.explain(r, "verhaalbaar_maximum")
    assert e.toelichting == ("€ 2.500.000 + € 0 − € 1.850.000 = € 650.000 → maximum € 650.000.",)
    assert "art. 13.14 Omgevingswet" in e.regel.bron
    assert r.explain_cap()[1] == "  " + e.toelichting[0]  # the old cap text is built from the explanation
    b = s_kv.explain(r, "bovenwijkse_voorzieningen").onderdelen[0]
    assert b.toelichting[0].startswith("Ontsluiting en fietsverbinding (fictief): € 2.500.000 × 10 % (afgeleid: 20 woningen")
    wv = s_kv.explain(s_kv.calculate_case(s_kv.load_case(EXAMPLES / "voorbeeld-3.yaml")), "financiele_bijdrage_woningvoorraad").onderdelen[0]
    assert wv.parameters[0].naam == "Doelgroepen norm Kern Soest" and wv.parameters[0].peildatum == "2023-07-01"
    assert "§4.2" in wv.parameters[0].bron and "sociaal 45 % − midden 5 % − duur 50 %" == wv.parameters[0].waarde
    assert "duur: norm 10 (50 %), gerealiseerd 12, verschil 2 × € 120.000 = € 240.000" in wv.toelichting


def test_woz_based_woningvoorraad_cites_grondquote_and_btw():
    data = s_kv.case_to_dict(s_kv.load_case(EXAMPLES / "voorbeeld-3.yaml"))
    data["financiele_bijdrage_woningvoorraad"] = {"woz": {"sociaal": 242_000, "midden": 363_000, "duur": 484_000}}
    e = s_kv.explain(s_kv.calculate_case(s_kv.case_from_dict(data)), "financiele_bijdrage_woningvoorraad").onderdelen[0]
    names = {p.naam: p for p in e.parameters}
    assert names["Grondquote duur"].waarde == 0.38 and "tabel 6" in names["Grondquote duur"].bron and names["Btw"].waarde == 0.21
    assert any("€ 484.000 / 1,21 × 38 % = € 152.000,00" in t for t in e.toelichting)


def test_every_bijdrage_step_explained():
    r = s_bijdrage.calculate_bijdrage(s_bijdrage.load_bijdrage_input(EXAMPLES / "soest-bijdrage-illustratief.yaml"))
    inv = r.invoer.investeringen[0].naam
    keys = [f"netto:{inv}", f"meetellend:{inv}"]
    keys += [f"{k}:{g}" for g in r.gebieden for k in ("investering", "aandeel_nieuw", "bedrag_nieuw", "gewogen_eenheden", "prijs")]
    keys += [f"{k}:{s}" for s in r.segmenten for k in ("grondwaarde", "wegingsfactor")]
    keys += [f"{k}:{g}:{s}" for g in r.gebieden for s in r.segmenten for k in ("tarief", "plantarief")]
    for k in keys:
        e = s_bijdrage.explain(r, k)
        assert e.kengetal == k
        _check(e)
    t5 = r.tabel5().set_index("gebied")
    assert s_bijdrage.explain(r, "tarief:Kern Soest:duur").waarde == pytest.approx(t5.loc["Kern Soest", "duur"])
    gw = s_bijdrage.explain(r, "grondwaarde:duur")
    assert {p.naam for p in gw.parameters} == {"woz.duur", "grondquote.duur", "btw"}
    assert {p.peildatum for p in gw.parameters} == {"2024-01-01", "2023-07-01"}  # the input's peildatum and the set's version


def test_eindafrekening_explained():
    r = s_eind.calculate_eindafrekening(s_eind.load_eindafrekening(EXAMPLES / "eindafrekening-voorbeeld.yaml"))
    for k in s_eind.KENGETALLEN_BIJDRAGE:
        _check(s_eind.explain(r, k))
    e = s_eind.explain(r, "terugbetaling")
    assert e.waarde == r.terugbetaling
    drempel = next(p for p in e.parameters if p.naam == "Drempel terugbetaling")
    assert drempel.waarde == 0.05 and "A4" in drempel.bron and drempel.peildatum == "2023-07-01"
    assert "5 % × betaald" in e.toelichting[0]
    rente = s_eind.explain(r, "rente")
    assert rente.waarde == r.rente and any("Stb. 2023, 484" in p.bron for p in rente.parameters)
    assert r.uitleg[0] == s_eind.explain(r, "verschuldigd").toelichting[0]  # the old text is built from the explanations
    p = s_eind.calculate_eindafrekening(s_eind.eindafrekening_from_dict({
        "naam": "p", "parameterset": "soest", "peildatum": "2023-07-01", "soort": "planschade", "datum": "2029-05-01",
        "planschade": {"geraamd": 100_000, "werkelijk": 60_000, "besluit_onherroepelijk": "2024-05-01"}}))
    e = s_eind.explain(p, "planschade")
    _check(e)
    assert e.waarde == 40_000 and e.parameters[0].waarde == 5 and "Planschade en nadeelcompensatie" in e.parameters[0].bron
    with pytest.raises(InputError) as err:
        s_eind.explain(p, "rente")
    assert err.value.allowed == "planschade"


@pytest.mark.parametrize("explain,result", [
    (s_kv.explain, lambda: s_kv.calculate_case(s_kv.load_case(EXAMPLES / "voorbeeld-1.yaml"))),
    (s_bijdrage.explain, lambda: s_bijdrage.calculate_bijdrage(s_bijdrage.load_bijdrage_input(EXAMPLES / "soest-bijdrage-illustratief.yaml"))),
    (s_eind.explain, lambda: s_eind.calculate_eindafrekening(s_eind.load_eindafrekening(EXAMPLES / "eindafrekening-voorbeeld.yaml"))),
])
def test_unknown_kengetal_names_the_allowed_ones(explain, result):
    with pytest.raises(InputError) as e:
        explain(result(), "onzin")
    assert e.value.field == "kengetal" and e.value.value == "onzin" and e.value.allowed


def test_cli_verklaar(capsys):
    assert main(["kostenverhaal", "bereken", str(EXAMPLES / "voorbeeld-2.yaml"), "--verklaar", "macroaftopping"]) == 0
    out = capsys.readouterr().out
    assert "Niet verhaalbaar (macroaftopping) = € 450.000,00" in out and "Bron:" in out and "€ 1.100.000 − € 650.000 = € 450.000" in out
    assert main(["kostenverhaal", "bereken", str(EXAMPLES / "voorbeeld-2.yaml"), "--verklaar", "exploitatiebijdrage", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["waarde"] == 650_000 and data["regel"]["functie"] == "opengrex.engine.kostenverhaal.exploitatiebijdrage"
    assert main(["kostenverhaal", "bijdrage", str(EXAMPLES / "soest-bijdrage-illustratief.yaml"), "--verklaar", "wegingsfactor:duur"]) == 0
    assert "Stap 4 — wegingsfactor duur" in capsys.readouterr().out
    assert main(["kostenverhaal", "eindafrekening", str(EXAMPLES / "eindafrekening-voorbeeld.yaml"), "--verklaar", "rente"]) == 0
    out = capsys.readouterr().out
    assert "Wettelijke rente over de terugbetaling" in out and "[parameterset soest" in out  # sources printed, not eaten as markup
    assert main(["kostenverhaal", "bereken", str(EXAMPLES / "voorbeeld-2.yaml"), "--verklaar", "onzin"]) == 2
    assert "verhaalbaar_maximum" in capsys.readouterr().err
