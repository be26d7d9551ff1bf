"""Dutch document keys for grex and programme (issue #9 item 5): both spellings load to the same model, dumps
are Dutch, errors name a key as the document spells it, every user-facing field has a Dutch label, notes are
confidential, and ``opengrex document migreer`` rewrites an old file keeping comments and key order."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from opengrex.cli import main
from opengrex.errors import InputError
from opengrex.model.base import VERTROUWELIJK
from opengrex.model.grex import Grex
from opengrex.model.programma import Programme
from opengrex.services.grex import grex_from_dict, grex_from_text, grex_to_dict, load_grex
from opengrex.services.programma import load_programme, programme_to_dict

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo-grex.yaml"
PROG = ROOT / "examples" / "hart-van-de-heuvelrug" / "mastergrex-2013.yaml"

OLD = """\
# een grex in de sleutels van de eerste versie
name: Oud plan   # naam
prijspeil: 2025-01-01
start_year: 2025
end_year: 2027
opening_book_value: -100
realised_through: 2025
indices: {geen: 0.0}
kosten:
  - {name: a, kostensoort: A1, amount: 100, index: geen, phasing: {2025: 0.5, 2026: 0.5}, realised: {2025: 40}, note: geheim}
opbrengsten: []
"""


def test_old_and_new_spellings_load_the_same_grex_and_dumps_are_dutch():
    old = grex_from_text(OLD, "oud.yaml")
    data = grex_to_dict(old)
    assert {"naam", "startjaar", "eindjaar", "openingsboekwaarde", "gerealiseerd_tot_en_met", "indexreeksen"} <= set(data)
    assert {"naam", "bedrag", "indexreeks", "fasering", "gerealiseerd", "notitie"} <= set(data["kosten"][0])
    assert not {"name", "start_year", "amount", "phasing"} & (set(data) | set(data["kosten"][0]))
    assert grex_from_dict(data) == old
    assert load_grex(DEMO).start_year == 2025  # the examples are written with the Dutch keys


@pytest.mark.parametrize("text,field", [
    (OLD.replace("amount: 100", "amount: -1"), "kosten[0].amount"),
    (OLD.replace("start_year", "startjaar").replace("end_year", "eindjaar").replace("name: a", "naam: a").replace("amount: 100", "bedrag: -1"), "kosten[0].bedrag"),
    (OLD.replace("end_year: 2027", "end_year: 2020"), "end_year"),
    (OLD.replace("start_year", "startjaar").replace("end_year: 2027", "eindjaar: 2020"), "eindjaar"),
    (OLD.replace("amount: 100", "amount: veel"), "kosten[0].amount"),
])
def test_errors_name_the_key_as_the_document_spells_it(text, field):
    with pytest.raises(InputError) as info:
        grex_from_text(text, "g.yaml")
    fields = [e.field for e in getattr(info.value, "errors", [info.value])]
    assert field in fields
    assert "g.yaml, regel" in str(info.value)


def _fields(model, seen=None):
    from pydantic import BaseModel

    from opengrex.model.base import _members

    seen = seen if seen is not None else set()
    if model in seen:
        return
    seen.add(model)
    for name, f in model.model_fields.items():
        yield model, name, f
        for m in _members(f.annotation):
            for inner in [m, *getattr(m, "__args__", ())]:
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    yield from _fields(inner, seen)


@pytest.mark.parametrize("model", [Grex, Programme])
def test_every_field_has_a_dutch_label_and_notes_are_confidential(model):
    for owner, name, f in _fields(model):
        assert f.title, f"{owner.__name__}.{name} has no label"
        if name == "note":
            assert (f.json_schema_extra or {}).get(VERTROUWELIJK) is True and f.alias == "notitie"
    assert '"vertrouwelijk": true' in json.dumps(model.model_json_schema())  # the line notes, also inside a programme


def test_programme_dumps_dutch_keys_and_old_programmes_load():
    prog = load_programme(PROG)
    data = programme_to_dict(prog)
    assert "naam" in data and "aandeel" in data["partners"][0] and "openingssaldo" in data["fonds"]
    assert "modus" in data["projecten"][1]["risicos"][0]["impact"]
    old = yaml.safe_load(PROG.read_text(encoding="utf-8"))
    old["name"] = old.pop("naam")
    old["partners"] = [{"name": p["naam"], "share": p["aandeel"]} for p in old["partners"]]
    from opengrex.services.programma import programme_from_dict

    assert programme_from_dict(old) == prog


# ------------------------------------------------------------------------------------------------ migreer
def test_migreer_rewrites_keys_and_keeps_comments_and_order(tmp_path, capsys):
    src = tmp_path / "oud.yaml"
    src.write_text(OLD, encoding="utf-8")
    out = tmp_path / "nieuw.yaml"
    assert main(["document", "migreer", str(src), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# een grex in de sleutels van de eerste versie\nnaam: Oud plan   # naam\n")
    assert "  - {naam: a, kostensoort: A1, bedrag: 100, indexreeks: geen, fasering: {2025: 0.5, 2026: 0.5}, gerealiseerd: {2025: 40}, notitie: geheim}" in text
    keys = list(yaml.safe_load(text))
    assert keys == ["naam", "prijspeil", "startjaar", "eindjaar", "openingsboekwaarde", "gerealiseerd_tot_en_met", "indexreeksen", "kosten", "opbrengsten"]
    assert load_grex(out) == grex_from_text(OLD)
    assert "grex, 12 sleutel(s) hernoemd" in capsys.readouterr().out
    # idempotent, and in place without -o
    assert main(["document", "migreer", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == text
    assert "(al omgezet)" in capsys.readouterr().out


def test_migreer_json_and_a_programme(tmp_path):
    src = tmp_path / "oud.json"
    src.write_text(json.dumps(yaml.safe_load(OLD), default=str), encoding="utf-8")
    assert main(["document", "migreer", str(src)]) == 0
    assert list(json.loads(src.read_text(encoding="utf-8")))[0] == "naam"
    old = yaml.safe_load(PROG.read_text(encoding="utf-8"))
    old["partners"] = [{"name": p["naam"], "share": p["aandeel"]} for p in old["partners"]]
    p = tmp_path / "prog.yaml"
    p.write_text(yaml.safe_dump(old, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert main(["document", "migreer", str(p), "--soort", "programma"]) == 0
    assert load_programme(p) == load_programme(PROG)


def test_migreer_errors(tmp_path, capsys):
    assert main(["document", "migreer", str(tmp_path / "nee.yaml")]) == 2
    odd = tmp_path / "raar.yaml"
    odd.write_text("kleur: blauw\n", encoding="utf-8")
    assert main(["document", "migreer", str(odd)]) == 2
    err = capsys.readouterr().err
    assert "niet te herkennen" in err and "--soort" in err


# ------------------------------------------------------------------------------------------------ Excel
def test_grex_template_labels_from_the_model_and_old_labels_load(tmp_path):
    import openpyxl

    from opengrex.io.xlsx_template import GENERAL_FIELDS, grex_to_template, import_grex_xlsx

    assert [f[0] for f in GENERAL_FIELDS[:5]] == ["Naam", "Omschrijving", "Prijspeil", "Startjaar", "Eindjaar"]
    assert dict((f[1], f[0]) for f in GENERAL_FIELDS)["realised_through"] == Grex.model_fields["realised_through"].title
    grex = load_grex(DEMO).model_copy(update={"dagtelling": "werkelijke_dagen"})
    path = tmp_path / "g.xlsx"
    grex_to_template(grex, path)
    assert import_grex_xlsx(path) == grex
    wb = openpyxl.load_workbook(path)  # a template of the first version: labels were the keys
    ws = wb["Algemeen"]
    old = {"Naam": "naam", "Startjaar": "start_year", "NCW-datum": "ncw_datum", "Openingsboekwaarde": "openingsboekwaarde", "Gerealiseerd t/m": "gerealiseerd_tot_en_met"}
    for row in ws.iter_rows(min_row=3, max_col=1):
        if row[0].value in old:
            row[0].value = old[row[0].value]
    wb["Kosten"]["D2"] = "indexreeks"
    wb.save(path)
    assert import_grex_xlsx(path) == grex


def test_programme_workbook_of_the_first_version_loads(tmp_path):
    import openpyxl

    from opengrex.io.xlsx_programma import export_programme_xlsx, import_programme_xlsx

    prog = load_programme(PROG)
    path = tmp_path / "p.xlsx"
    export_programme_xlsx(prog, path)
    wb = openpyxl.load_workbook(path)
    head = {c.value: c for c in wb["Projecten"][1]}
    for new, old in (("startjaar", "start_year"), ("eindjaar", "end_year"), ("openingsboekwaarde", "opening_book_value"), ("indexreeksen", "indices")):
        head[new].value = old
    for row in wb["Programma"].iter_rows(min_row=2, max_col=1):
        row[0].value = {"naam": "name", "fonds_naam": "fonds_name", "fonds_openingssaldo": "fonds_opening"}.get(row[0].value, row[0].value)
    wb["Risicos"]["E1"] = "mode"
    wb.save(path)
    assert programme_to_dict(import_programme_xlsx(path)) == programme_to_dict(prog)


def test_migreer_follows_a_grex_embedded_in_a_kostenverhaal_case():
    from opengrex.io.migreer import migrate_text

    text = "naam: x\ninitiatiefnemer:\n  grex:\n    inline: {name: g, start_year: 2025, kosten: [{name: a, amount: 1, phasing: {2025: 1}}]}\n"
    out = migrate_text(text, "kv.yaml", "kostenverhaal").text
    assert "inline: {naam: g, startjaar: 2025, kosten: [{naam: a, bedrag: 1, fasering: {2025: 1}}]}" in out
