"""``/api/grex`` extras: the grex's own figure explanation ``/explain/{kengetal}?year=`` (the format of
``GrexResult.explain``; every kind has ``/uitleg?kengetal=`` with the one Explanation type, see
:mod:`opengrex.web.api.kind_router`)."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from opengrex.errors import InputError
from opengrex.services.grex import calculate_grex
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
