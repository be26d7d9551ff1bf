"""``/api/programma`` extras: risk (Monte Carlo), the programme's scenarios, and the difference between two versions
or two programmes explained per cause (Shapley), all through :mod:`opengrex.services.programma`."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from opengrex.errors import InputError
from opengrex.services.kinds import jsonable
from opengrex.services.programma import compare_versions, run_risk, run_scenarios
from opengrex.web.api.kind_router import stored_model
from opengrex.web.api.schemas import ProgrammeDifferenceOut, RiskSummary, ScenarioComparisonOut
from opengrex.web.deps import DbDep, UserDep

router = APIRouter()
"""Included into the programma kind router (prefix ``/api/programma``)."""

MAX_DRAWS = 100_000
"""Upper bound on Monte Carlo draws per API call (keeps one request bounded in time and memory)."""


@router.post("/{document_id}/risk", response_model=RiskSummary, response_model_exclude_unset=True, summary="Risicoanalyse (Monte Carlo) van de programma-NCW")
def risk(
    document_id: int,
    db: DbDep,
    user: UserDep,
    draws: Annotated[int, Query(ge=1, le=MAX_DRAWS, description="aantal trekkingen")] = 2_000,
    seed: Annotated[int | None, Query(description="startgetal (herhaalbaar)")] = 2013,
    percentiel: Annotated[float, Query(gt=0, lt=100, description="zekerheid voor het benodigd weerstandsvermogen [%]")] = 90.0,
    version: Annotated[int | None, Query(ge=1)] = None,
):
    prog, _ = stored_model(db, "programma", document_id, version, user)
    return jsonable(run_risk(prog, draws=draws, seed=seed, percentiel=percentiel).summary())


@router.post("/{document_id}/scenarios", response_model=ScenarioComparisonOut, response_model_exclude_unset=True, summary="De scenario's uit het programma doorgerekend en vergeleken")
def scenarios(document_id: int, db: DbDep, user: UserDep, version: Annotated[int | None, Query(ge=1)] = None):
    prog, _ = stored_model(db, "programma", document_id, version, user)
    return jsonable(run_scenarios(prog).to_dict())


@router.get("/{document_id}/verschil", response_model=ProgrammeDifferenceOut, response_model_exclude_unset=True,
            summary="Verschil tussen twee versies (of met een ander programma), verklaard per oorzaak")
def difference(
    document_id: int,
    db: DbDep,
    user: UserDep,
    a: Annotated[int | None, Query(ge=1, description="versie a (standaard: de huidige)")] = None,
    b: Annotated[int | None, Query(ge=1, description="versie b")] = None,
    ander: Annotated[int | None, Query(ge=1, description="id van een ander programma als b (huidige versie)")] = None,
):
    if (b is None) == (ander is None):
        raise InputError("geef óf versie b óf een ander programma op", field="b", value=b, allowed="?b=<versie> of ?ander=<id>")
    prog_a, _ = stored_model(db, "programma", document_id, a, user)
    prog_b, _ = stored_model(db, "programma", ander, None, user) if ander is not None else stored_model(db, "programma", document_id, b, user)
    return jsonable(compare_versions(prog_a, prog_b).to_dict())
