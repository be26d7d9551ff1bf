"""The redaction walker (opengrex.model.redact): confidential fields derived from the schema, found at every depth —
nested models, lists, tuples, dicts, unions (by the member the data fits), aliases, embedded documents."""
from __future__ import annotations

import copy
from typing import Annotated, Any, Literal

import pytest

from opengrex.model.base import Embeds, StrictModel, veld
from opengrex.model.redact import confidential_fields, map_confidential, redact


class Regel(StrictModel):
    naam: str
    bedrag: float = 0.0
    notitie: str = veld("", label="Notitie", vertrouwelijk=True, alias="toelichting_intern")


class Koop(StrictModel):
    soort: Literal["koop"] = "koop"
    prijs: float | None = veld(None, label="Transactieprijs", vertrouwelijk=True)


class Huur(StrictModel):
    soort: Literal["huur"] = "huur"
    prijs: float = 0.0  # not confidential in this member


class Doc(StrictModel):
    naam: str
    regels: list[Regel] = []
    per_jaar: dict[int, Regel] = {}
    paar: tuple[Regel, Regel] | None = None
    deal: Koop | Huur | None = None
    bijlage: Annotated[dict[str, Any] | None, Embeds(Regel)] = None
    notitie: str = veld("", label="Notitie", vertrouwelijk=True)


def test_confidential_fields_are_found_at_every_depth():
    assert confidential_fields(Doc) == (
        "regels[].toelichting_intern", "per_jaar{}.toelichting_intern", "paar[].toelichting_intern", "deal.prijs",
        "bijlage.toelichting_intern", "notitie",
    )


def test_redact_every_depth_by_name_and_alias_without_touching_the_input():
    data = {
        "naam": "d", "notitie": "X1",
        "regels": [{"naam": "a", "notitie": "X2"}, {"naam": "b", "toelichting_intern": "X3"}],
        "per_jaar": {"2025": {"naam": "c", "notitie": "X4"}},
        "paar": [{"naam": "e", "notitie": "X5"}, {"naam": "f", "notitie": "X6"}],
        "deal": {"soort": "koop", "prijs": 12.5},
        "bijlage": {"naam": "g", "notitie": "X7"},
    }
    before = copy.deepcopy(data)
    out = redact(Doc, data)
    assert data == before
    assert "X" not in str(out)
    assert out["deal"] == {"soort": "koop", "prijs": None} and out["regels"][1]["toelichting_intern"] == ""
    Doc.model_validate(out)  # the redacted document still validates


def test_union_member_chosen_by_its_tag():
    assert redact(Doc, {"naam": "d", "deal": {"soort": "huur", "prijs": 800.0}})["deal"]["prijs"] == 800.0


def test_fill_inserts_absent_fields_and_visits_paths():
    paths = []
    out = map_confidential(Doc, {"naam": "d", "regels": [{"naam": "a"}]}, lambda p, info, v: paths.append(p) or "M", insert=True)
    assert out["regels"][0]["toelichting_intern"] == "M" and out["notitie"] == "M"
    assert ("regels", 0, "toelichting_intern") in paths


def test_a_confidential_field_needs_a_default():
    class Fout(StrictModel):
        prijs: float = veld(label="Prijs", vertrouwelijk=True)

    with pytest.raises(TypeError, match="Fout.prijs"):
        confidential_fields(Fout)


def test_builtin_kinds_mark_every_grex_note_wherever_a_grex_is_embedded():
    from opengrex.model.grex import Grex
    from opengrex.model.kostenverhaal import Case
    from opengrex.model.programma import Programme

    assert set(confidential_fields(Grex)) == {"kosten[].notitie", "opbrengsten[].notitie"}
    assert {"initiatiefnemer.grex.inline.kosten[].notitie", "gemeente.grex.inline.opbrengsten[].notitie"} <= set(confidential_fields(Case))
    assert {"projecten[].grex.kosten[].notitie", "scenarios[].wijzigingen[].nieuw.grex.opbrengsten[].notitie"} <= set(confidential_fields(Programme))
