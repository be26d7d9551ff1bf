"""Scenario changes as a tagged union (issue #9 item 1/8): each type has exactly its fields, applies itself as a
pure function that copies (the base never changes), and the CLI syntax and YAML scenario files keep working."""
from __future__ import annotations

import copy

import pytest

from opengrex.errors import InputError
from opengrex.model.programma import (
    IndexWijziging,
    Kosten,
    Opbrengsten,
    Override,
    RenteWijziging,
    Toevoegen,
    Verschuif,
    Vervalt,
    Wijziging,
    apply_override,
)
from opengrex.services.programma import parse_override, programme_from_dict, programme_from_text, programme_to_dict


@pytest.mark.parametrize("text,cls,fields", [
    ("verschuif:R=2", Verschuif, {"project": "R", "jaren": 2}),
    ("shift:R=-1", Verschuif, {"project": "R", "jaren": -1}),
    ("opbrengsten:-10", Opbrengsten, {"procent": -10.0, "projecten": []}),
    ("revenue:G=5", Opbrengsten, {"procent": 5.0, "projecten": ["G"]}),
    ("kosten:R=-5", Kosten, {"procent": -5.0, "projecten": ["R"]}),
    ("rente:A=0@2022", RenteWijziging, {"financier": "A", "waarde": 0.0, "vanaf": 2022}),
    ("rate:Fonds=0,01", RenteWijziging, {"financier": "Fonds", "waarde": 0.01, "vanaf": None}),
    ("index:geen=0.03", IndexWijziging, {"reeks": "geen", "waarde": 0.03}),
    ("vervalt:O", Vervalt, {"project": "O"}),
])
def test_command_line_syntax_gives_the_typed_change(text, cls, fields):
    o = parse_override(text)
    assert type(o) is cls and isinstance(o, Override)
    assert {k: getattr(o, k) for k in fields} == fields
    assert o.text() == text  # the label is what was typed


def test_each_change_copies_and_never_mutates_the_base(small):
    base = programme_from_dict(small)
    before = programme_to_dict(base)
    new = copy.deepcopy(small["projecten"][2]) | {"name": "N"}
    changes = [Verschuif(project="R", jaren=1), Opbrengsten(procent=-10), Kosten(procent=-5, projecten=["R"]), RenteWijziging(financier="A", waarde=0.0, vanaf=2022),
               RenteWijziging(financier="Fonds", delta=0.01), IndexWijziging(reeks="geen", delta=0.02), Vervalt(project="O"), Override.model_validate({"type": "toevoegen", "nieuw": new})]
    for o in changes:
        out = apply_override(base, o)
        assert programme_to_dict(base) == before, o
        assert out is not base and programme_to_dict(out) != before, o
    assert isinstance(changes[-1], Toevoegen)


def test_scenario_file_with_typed_changes_loads_and_round_trips(small):
    d = copy.deepcopy(small)
    d["scenarios"] = [{"naam": "S", "wijzigingen": [{"type": "verschuif", "project": "R", "jaren": 2}, {"type": "rente", "financier": "A", "waarde": 0.0, "vanaf": 2022}]}]
    prog = programme_from_dict(d)
    assert [type(o) for o in prog.scenarios[0].wijzigingen] == [Verschuif, RenteWijziging]
    again = programme_from_dict(programme_to_dict(prog))
    assert again.scenarios == prog.scenarios


@pytest.mark.parametrize("change,field,message", [
    ({"type": "belasting"}, "scenarios[0].wijzigingen[0].type", "onbekend type"),
    ({"project": "R", "jaren": 2}, "scenarios[0].wijzigingen[0].type", "type ontbreekt"),
    ({"type": "verschuif", "project": "R"}, "scenarios[0].wijzigingen[0].jaren", "verplicht veld ontbreekt"),
    ({"type": "verschuif", "project": "R", "jaren": 1, "procent": 3}, "scenarios[0].wijzigingen[0].procent", "onbekend veld"),
    ({"type": "vervalt", "project": "Z"}, "scenarios[0].wijzigingen[0].project", "onbekend project"),
    ({"type": "kosten", "procent": -100}, "scenarios[0].wijzigingen[0].procent", "groter zijn dan -100"),
])
def test_bad_changes_name_the_field_and_line(small, change, field, message):
    import yaml

    d = copy.deepcopy(small)
    d["scenarios"] = [{"naam": "S", "wijzigingen": [change]}]
    with pytest.raises(InputError) as info:
        programme_from_text(yaml.safe_dump(d, sort_keys=False, allow_unicode=True), "s.yaml")
    errs = getattr(info.value, "errors", [info.value])
    hit = [e for e in errs if e.field == field]
    assert hit and message in hit[0].message and "s.yaml, regel" in hit[0].location, [str(e) for e in errs]
    if message == "onbekend type":
        assert "verschuif" in hit[0].allowed and "toevoegen" in hit[0].allowed


def test_wijziging_is_the_union_of_every_type():
    from typing import get_args

    names = {c.__name__ for c in get_args(get_args(Wijziging)[0])}
    assert names == {"Verschuif", "Opbrengsten", "Kosten", "IndexWijziging", "RenteWijziging", "Vervalt", "Toevoegen"}
