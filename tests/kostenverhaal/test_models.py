"""The models of the kostenverhaal family (issue 9 items 2 and 5): every user-facing field has a Dutch label and,
where it is a transaction price or a value of private land, is confidential; the eindafrekening is a discriminated
union on ``soort`` (old documents without ``soort`` still load as a definitive one); one list of segments."""
from __future__ import annotations

import typing

import pytest
from pydantic import BaseModel

from opengrex.codes.segmenten import HARDHEDEN, SEGMENTEN
from opengrex.errors import InputError
from opengrex.model import bijdrage as m_bijdrage
from opengrex.model import eindafrekening as m_eind
from opengrex.model import kostenverhaal as m_kv
from opengrex.model.base import VERTROUWELIJK
from opengrex.services.eindafrekening import calculate_eindafrekening, eindafrekening_from_dict, load_eindafrekening


def _models(module) -> list[type[BaseModel]]:
    return [c for c in vars(module).values() if isinstance(c, type) and issubclass(c, BaseModel) and c.__module__ == module.__name__]


@pytest.mark.parametrize("module", [m_kv, m_bijdrage, m_eind])
def test_every_field_has_a_dutch_label(module):
    for model in _models(module):
        for name, f in model.model_fields.items():
            assert f.title, f"{model.__name__}.{name} heeft geen label"
            assert f.title[0].isupper(), f"{model.__name__}.{name}: {f.title}"


def _confidential(model: type[BaseModel]) -> set[str]:
    return {n for n, f in model.model_fields.items() if isinstance(f.json_schema_extra, dict) and f.json_schema_extra.get(VERTROUWELIJK)}


def test_confidential_fields_of_a_case_are_the_notes_of_its_embedded_grex():
    """Amounts that feed the A5 table (opbrengsten, kavel values) are not confidential: a viewer who sees the result
    sees what they add up to, and redacting them to a default would change the result a viewer sees. The case's
    confidential fields are the notes of an embedded grex (found through ``Embeds``)."""
    from opengrex.model.redact import confidential_fields

    for model in (*_models(m_kv), *_models(m_bijdrage), *_models(m_eind)):
        assert _confidential(model) == set(), model.__name__
    assert set(confidential_fields(m_kv.Case)) >= {"initiatiefnemer.grex.inline.kosten[].notitie", "gemeente.grex.inline.opbrengsten[].notitie"}
    assert all(p.endswith(".notitie") and ".grex.inline." in p for p in confidential_fields(m_kv.Case))


def test_one_list_of_segments():
    from opengrex import parameters
    from opengrex.engine import bijdrage
    from opengrex.io import xlsx_case

    assert SEGMENTEN == ("sociaal", "midden", "duur")
    assert xlsx_case.SEGMENTEN is SEGMENTEN and m_kv.SEGMENTEN is SEGMENTEN and m_bijdrage.SEGMENTEN_STANDAARD is SEGMENTEN
    assert bijdrage.HARDNESS is HARDHEDEN
    assert typing.get_args(typing.get_args(m_kv.Bouwprogramma.model_fields["woningen"].annotation)[0]) == SEGMENTEN
    assert set(type(parameters.load_parameter_set("soest").grondquote).model_fields) == set(SEGMENTEN)


# --------------------------------------------------------------------------------------------- tagged union
BASE = {"naam": "t", "parameterset": "soest", "peildatum": "2023-07-01", "datum": "2022-07-01",
        "betaling": {"bedrag": 100_000, "datum": "2022-07-01"}, "categorieen": [{"categorie": "C", "raming": 100_000}],
        "kosten": [{"categorie": "C", "bedrag": 90_000, "datum": "2022-07-01"}], "rente": 0.05}
PLANSCHADE = {"naam": "p", "parameterset": "soest", "peildatum": "2023-07-01", "soort": "planschade", "datum": "2029-05-01",
              "planschade": {"geraamd": 100_000, "werkelijk": 60_000, "besluit_onherroepelijk": "2024-05-01"}}


def test_soort_selects_the_model():
    assert isinstance(eindafrekening_from_dict(BASE), m_eind.DefinitieveEindafrekening)  # no soort: definitief (old files)
    assert isinstance(eindafrekening_from_dict({**BASE, "soort": "definitief"}), m_eind.DefinitieveEindafrekening)
    t = eindafrekening_from_dict({**BASE, "soort": "tussentijds", "datum": "2027-07-01"})
    assert isinstance(t, m_eind.TussentijdseEindafrekening) and isinstance(t, m_eind.EindafrekeningInvoer)
    p = eindafrekening_from_dict(PLANSCHADE)
    assert isinstance(p, m_eind.PlanschadeAfrekening) and p.planschade.geraamd == 100_000
    assert type(calculate_eindafrekening(p)).__name__ == "PlanschadeAfrekeningResult"
    assert type(calculate_eindafrekening(t)).__name__ == "BijdrageAfrekeningResult"


@pytest.mark.parametrize("data,field,fragment", [
    ({**BASE, "soort": "voorlopig"}, "soort", "'definitief', 'tussentijds', 'planschade'"),
    ({k: v for k, v in PLANSCHADE.items() if k != "planschade"}, "planschade", "verplicht veld ontbreekt"),
    ({k: v for k, v in BASE.items() if k != "betaling"}, "betaling", "verplicht veld ontbreekt"),
    ({**BASE, "planschade": PLANSCHADE["planschade"]}, "planschade", "onbekend veld"),  # planschade is settled on its own
    ({**PLANSCHADE, "betaling": BASE["betaling"]}, "betaling", "onbekend veld"),
    ({**PLANSCHADE, "planschade": {**PLANSCHADE["planschade"], "werkelijk": -1}}, "planschade.werkelijk", "niet negatief"),
    ({**BASE, "betaling": {"bedrag": "veel", "datum": "2022-07-01"}}, "betaling.bedrag", "geen getal"),
])
def test_union_errors_name_the_field_of_the_document(data, field, fragment):
    with pytest.raises(InputError) as e:
        eindafrekening_from_dict(data, source="afrekening.yaml")
    errors = getattr(e.value, "errors", [e.value])
    assert any(x.field == field and fragment in str(x) for x in errors), [str(x) for x in errors]


def test_union_schema_has_one_branch_per_soort():
    schema = m_eind.EindafrekeningInvoer.model_json_schema()
    assert len(schema["oneOf"]) == 3
    titles = {d["title"] for d in schema["$defs"].values()}
    assert {"DefinitieveEindafrekening", "TussentijdseEindafrekening", "PlanschadeAfrekening"} <= titles


def test_example_file_still_loads():
    inv = load_eindafrekening("examples/kostenverhaal/eindafrekening-voorbeeld.yaml")
    assert isinstance(inv, m_eind.TussentijdseEindafrekening)
