"""Governance beslisboom (seed 001): the tree as data, an exhaustive walk over the answer space, the CLI (interactive
and with an answers file) and errors."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from opengrex.cli import main
from opengrex.errors import InputError
from opengrex.services import governance as gov

SEED = Path("/work/shared/seeds/001_8b966b4ad661e648.txt")
FORMS = {"publieke_tender": "Publieke tender(s)", "sok_jv_light": "SOK / joint venture light", "gem_pps": "GEM / PPS (grondexploitatiemaatschappij)",
         "publiek_kader_deelgebieden": "Publiek kader met ontwikkeling in deelgebieden", "publiek_kader_organisch": "Publiek kader met organische ontwikkeling"}


@pytest.fixture(scope="module")
def boom() -> gov.Beslisboom:
    return gov.load_beslisboom()


def test_tree_is_valid_and_cites_the_seed(boom):
    assert boom.check() == []
    assert [o.id for o in boom.onderdelen] == ["infrastructuur", "collectief", "ontwikkelorganisatie"]
    cited = [v.bron for v in boom.vragen.values()] + [u.bron for u in boom.uitkomsten.values()]
    for bron in cited:
        assert bron.sectie and re.fullmatch(r"[\d–; ]+", bron.regels), bron
    if SEED.exists():  # the cited lines exist in the seed text
        n = len(SEED.read_text(encoding="utf-8").splitlines())
        for bron in cited:
            assert all(0 < int(x) <= n for x in re.findall(r"\d+", bron.regels))


def test_every_path_reaches_documented_outcomes(boom):
    """Exhaustive: every combination of answers along every path through the three parts."""
    n = 0
    reached: set[str] = set()
    for answers in gov.paden(boom):
        advies = gov.loop(boom, answers)
        n += 1
        assert advies.klaar and advies.niet_gebruikt == []
        ids = [u for _, u in advies.uitkomsten]
        reached.update(ids)
        assert ids[0] == "integrale_gebiedscoalitie"
        assert sum(u in gov.ONTWIKKELVORMEN for u in ids) == 1  # exactly one recommended form
        assert sum(u.startswith("infra_") for u in ids) == 1  # the infrastructure branch ends once
        assert any(boom.uitkomsten[u].soort == "collectief" for u in ids)  # and the collective branch
        for u in ids:
            out = boom.uitkomsten[u]
            assert out.advies and out.samenvatting and out.bron.regels  # documented guidance with its source
        d = advies.to_dict()
        assert [s["vraag_id"] for s in d["pad"]] == list(answers)  # the path of answers, in order
        json.dumps(d)
    assert n == 1232
    assert reached == set(boom.uitkomsten)  # every documented outcome is reachable
    assert {boom.uitkomsten[f].label for f in gov.ONTWIKKELVORMEN} == set(FORMS.values())


def test_branches_follow_the_seed(boom):
    base = {"infra_nodig": "nee", "collectief_nodig": "nee"}
    cases = {
        ("ja",): "publieke_tender",
        ("nee", "overzichtelijk", "ja", "nee"): "sok_jv_light",
        ("nee", "overzichtelijk", "ja", "ja"): "gem_pps",
        ("nee", "overzichtelijk", "nee", "ja"): "publiek_kader_deelgebieden",
        ("nee", "groot", "ja"): "publiek_kader_deelgebieden",
        ("nee", "groot", "nee"): "publiek_kader_organisch",
    }
    keys = ["gemeente_eigenaar", "aantal_eigenaren", "coherent", "rechtspersoon"]
    for answers, form in cases.items():
        a = dict(base)
        it = iter(answers)
        a["gemeente_eigenaar"] = next(it)
        if a["gemeente_eigenaar"] == "nee":
            a["aantal_eigenaren"] = next(it)
            if a["aantal_eigenaren"] == "overzichtelijk":
                a["coherent"] = next(it)
                a["rechtspersoon" if a["coherent"] == "ja" else "deelgebieden"] = next(it)
            else:
                a["deelgebieden"] = next(it)
        assert gov.loop(boom, a).aanbeveling.label == FORMS[form], (answers, keys)
    infra = {("nee",): "infra_geen", ("ja", "nee"): "infra_separaat", ("ja", "ja", "ja"): "infra_een_geheel", ("ja", "ja", "nee"): "infra_los_maar_afgestemd"}
    for answers, out in infra.items():
        a = dict(zip(["infra_nodig", "infra_fysiek", "infra_partijen"], answers)) | {"collectief_nodig": "nee", "gemeente_eigenaar": "ja"}
        assert out in [u for _, u in gov.loop(boom, a).uitkomsten]
    a = {"infra_nodig": "nee", "collectief_nodig": "ja", "collectief_aspect": "thematisch", "collectief_risico": "ja", "meedoen": "nee", "freeriders": "ja",
         "bijdragevorm": "structureel", "gemeente_eigenaar": "ja"}
    ids = [u for _, u in gov.loop(boom, a).uitkomsten]
    assert ids == ["integrale_gebiedscoalitie", "infra_geen", "bv_nv_vof_cooperatie", "afdwingen", "bijdrage_structureel", "publieke_tender"]
    assert "kettingbeding" in boom.uitkomsten["afdwingen"].label and "erfpacht" in boom.uitkomsten["afdwingen"].label and "BIZ" in boom.uitkomsten["afdwingen"].label


def test_partial_answers_give_the_next_question_and_errors_name_allowed_answers(boom):
    a = gov.loop(boom, {"infra_nodig": "ja"})
    assert not a.klaar and a.volgende == "infra_fysiek" and a.to_dict()["volgende"]["antwoorden"][0]["waarde"] == "ja"
    assert gov.loop(boom, {"infra_nodig": True}).pad[0].antwoord == "ja"  # YAML booleans are accepted
    with pytest.raises(InputError, match="ongeldig antwoord") as e:
        gov.loop(boom, {"infra_nodig": "misschien"})
    assert e.value.field == "infra_nodig" and e.value.allowed == "ja, nee"
    with pytest.raises(InputError, match="onbekende vraag") as e:
        gov.loop(boom, {"infra": "ja"})
    assert "infra_nodig" in e.value.allowed
    a = gov.loop(boom, {"infra_nodig": "nee", "infra_fysiek": "ja"})
    assert a.niet_gebruikt == ["infra_fysiek"]


def test_broken_trees_are_refused(tmp_path):
    data = yaml.safe_load(gov.BOOM.read_text(encoding="utf-8"))
    data["vragen"]["infra_partijen"]["antwoorden"][0]["volgende"] = "infra_nodig"  # a cycle
    data["vragen"]["meedoen"]["antwoorden"][0] = {"waarde": "ja", "label": "Ja"}  # leads nowhere
    data["vragen"]["wees"] = {"vraag": "Los?", "bron": {"sectie": "x", "regels": "1"}, "antwoorden": [{"waarde": "a", "label": "A", "uitkomst": "afdwingen"}, {"waarde": "b", "label": "B", "uitkomst": "afdwingen"}]}
    p = tmp_path / "boom.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError) as e:
        gov.load_beslisboom(p)
    text = str(e.value)
    assert "kring" in text and "leidt nergens heen" in text and "onbereikbaar" in text


def run(capsys, *args, monkeypatch=None, stdin: str | None = None):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_with_answers_file(capsys, tmp_path):
    f = tmp_path / "antwoorden.yaml"
    f.write_text("infra_nodig: ja\ninfra_fysiek: ja\ninfra_partijen: nee\ncollectief_nodig: ja\ncollectief_aspect: programmatisch\ncollectief_stad: nee\n"
                 "meedoen: nee\nfreeriders: ja\nbijdragevorm: incidenteel\ngemeente_eigenaar: nee\naantal_eigenaren: groot\ndeelgebieden: nee\n", encoding="utf-8")
    code, out, _ = run(capsys, "governance", "--antwoorden", f)
    assert code == 0
    for text in ("Aanbevolen vorm van de ontwikkelorganisatie: Publiek kader met organische ontwikkeling", "los maar afgestemd", "Coöperatie / stichting",
                 "Afdwingen", "Incidentele bijdrage", "Pad van antwoorden", "Nieuwegein Rijnhuizen", "Bron: seed 001"):
        assert text in out
    code, out, _ = run(capsys, "governance", "--antwoorden", f, "--json")
    d = json.loads(out)
    assert d["klaar"] and d["aanbeveling"] == FORMS["publiek_kader_organisch"] and len(d["pad"]) == 12


def test_cli_missing_answer_without_terminal_is_an_error(capsys, tmp_path):
    f = tmp_path / "a.yaml"
    f.write_text("infra_nodig: nee\n", encoding="utf-8")
    code, out, err = run(capsys, "governance", "--antwoorden", f, "--json")
    assert code == 2 and out == "" and "antwoord ontbreekt" in err and "collectief_nodig" in err


def test_cli_interactive_prompts(monkeypatch):
    from typer.testing import CliRunner

    from opengrex.cli import app

    answers = "nee\nnee\nmisschien\nnee\ngroot\nja\n"
    result = CliRunner().invoke(app, ["governance"], input=answers)
    assert result.exit_code == 0, result.output
    assert "Is binnen de opgave een grote infrastructurele investering nodig?" in result.output
    assert "Kies een van: ja, nee" in result.output
    assert "Publiek kader met ontwikkeling in deelgebieden" in result.output
    assert "Met per deelgebied opnieuw" in result.output or "per deelgebied opnieuw" in result.output
