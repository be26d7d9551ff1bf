"""``/api/grex`` extras: the grex's own figure explanation ``/explain/{kengetal}?year=`` (the format of
``GrexResult.explain``; every kind has ``/uitleg?kengetal=`` with the one Explanation type, see
:mod:`opengrex.web.api.kind_router`), scenarios side by side with their waterfall (``/scenarios``, ad hoc and of a
stored grex) and the tornado of the main inputs (``/tornado``) — :mod:`opengrex.services.grex_scenarios`."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from opengrex.errors import InputError
from opengrex.io.documents import Locator, build_model
from opengrex.model.grex import GrexScenario
from opengrex.services.grex import calculate_grex, grex_from_dict
from opengrex.services.grex_scenarios import grex_tornado, parse_grex_change, run_grex_scenarios
from opengrex.services.kinds import jsonable
from opengrex.web.api.kind_router import stored_model
from opengrex.web.deps import DbDep, UserDep

router = APIRouter()
"""Included into the grex kind router (prefix ``/api/grex``)."""


@router.get("/{document_id}/explain/{figure}", summary="Herleiding van een kengetal (invoer, regel, bron) in de grex-eigen vorm")
def explain(document_id: int, figure: str, db: DbDep, user: UserDep, year: Annotated[int | None, Query()] = None, version: Annotated[int | None, Query(ge=1)] = None) -> dict[str, Any]:
    grex, _ = stored_model(db, "grex", document_id, version, user)
    result = calculate_grex(grex)
    if year is not None and year not in result.years:
        raise InputError("jaar buiten de looptijd", field="year", value=year, allowed=f"{result.years[0]}–{result.years[-1]}")
    try:
        return jsonable(result.explain(figure, year))
    except ValueError as exc:
        raise InputError(str(exc), field="figure", value=figure, allowed="ncw, eindwaarde, contante_waarde, badkuip, irr, boekwaarde, rente, saldo (de laatste drie met ?year=)") from None


# ---------------------------------------------------------------------------------------------- scenarios, tornado
class ScenarioRequest(BaseModel):
    """A grex (ad hoc) with the scenarios to compute: its own ``scenarios``, given ones, or short change texts."""

    grex: dict[str, Any] = Field(description="Het grex-document (zelfde sleutels als het YAML/JSON-bestand)")
    scenarios: list[dict[str, Any]] | None = Field(None, description="Scenario's {naam, wijzigingen: [...]}; leeg: die van de grex")
    wijzigingen: list[str] | None = Field(None, description="Wijzigingen als tekst (bijv. 'rente=+0,01'): samen één scenario", max_length=20)
    naam: str = Field("Scenario", max_length=200)


class TornadoRequest(BaseModel):
    grex: dict[str, Any] = Field(description="Het grex-document")
    procentpunt: float = Field(0.01, gt=0, le=0.2, description="Bandbreedte van rente, disconteringsvoet en indexreeksen (fractie)")
    procent: float = Field(10.0, gt=0, lt=100, description="Bandbreedte van de bedragen (%)")
    jaren: int = Field(1, ge=1, le=10, description="Verschuiving van de fasering van de opbrengsten (jaren)")


def _scenarios(grex: Any, scenarios: list[dict[str, Any]] | None, wijzigingen: list[str] | None, naam: str) -> list[Any] | None:

    out = None
    if scenarios is not None:

        out = [build_model(GrexScenario, s, Locator(f"scenarios[{i}]")) for i, s in enumerate(scenarios)]
    if wijzigingen:
        out = (out if out is not None else list(grex.scenarios)) + [GrexScenario(naam=naam, wijzigingen=[parse_grex_change(w) for w in wijzigingen])]
    return out


@router.post("/scenarios", summary="Scenario's van een grex naast elkaar, met een waterval per wijziging (volgtijdelijk en Shapley), zonder op te slaan")
def scenarios_adhoc(body: ScenarioRequest, user: UserDep) -> dict[str, Any]:

    grex = grex_from_dict(body.grex, "grex")
    return jsonable(run_grex_scenarios(grex, _scenarios(grex, body.scenarios, body.wijzigingen, body.naam)).to_dict())


@router.get("/{document_id}/scenarios", summary="De scenario's van een opgeslagen grex naast elkaar, met een waterval per wijziging")
def scenarios_stored(document_id: int, db: DbDep, user: UserDep, version: Annotated[int | None, Query(ge=1)] = None,
                     wijziging: Annotated[list[str] | None, Query(max_length=20, description="Extra scenario uit wijzigingen als tekst, bijv. rente=+0,01")] = None) -> dict[str, Any]:

    grex, _ = stored_model(db, "grex", document_id, version, user)
    return jsonable(run_grex_scenarios(grex, _scenarios(grex, None, wijziging, "Opdracht")).to_dict())


@router.post("/tornado", summary="Tornado van de belangrijkste invoer van een grex (elke invoer laag en hoog), zonder op te slaan")
def tornado_adhoc(body: TornadoRequest, user: UserDep) -> dict[str, Any]:

    return jsonable(grex_tornado(grex_from_dict(body.grex, "grex"), procentpunt=body.procentpunt, procent=body.procent, jaren=body.jaren).to_dict())


@router.get("/{document_id}/tornado", summary="Tornado van de belangrijkste invoer van een opgeslagen grex")
def tornado_stored(document_id: int, db: DbDep, user: UserDep, version: Annotated[int | None, Query(ge=1)] = None,
                   procentpunt: Annotated[float, Query(gt=0, le=0.2)] = 0.01, procent: Annotated[float, Query(gt=0, lt=100)] = 10.0,
                   jaren: Annotated[int, Query(ge=1, le=10)] = 1) -> dict[str, Any]:

    grex, _ = stored_model(db, "grex", document_id, version, user)
    return jsonable(grex_tornado(grex, procentpunt=procentpunt, procent=procent, jaren=jaren).to_dict())
