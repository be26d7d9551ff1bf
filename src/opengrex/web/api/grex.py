"""``/api/grex``: grondexploitaties — the common document routes (incl. the Excel export with live formulas) plus the
explanation of a figure (``/explain/{kengetal}``)."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

from opengrex.web.api.kind_router import kind_router, stored_model
from opengrex.web.deps import DbDep, UserDep

router = kind_router("grex")

@router.get("/{document_id}/explain/{figure}", summary="Herleiding van een kengetal (invoer, regel, bron)")
def explain(document_id: int, figure: str, db: DbDep, user: UserDep, year: Annotated[int | None, Query()] = None, version: Annotated[int | None, Query(ge=1)] = None) -> dict[str, Any]:
    from opengrex.services.grex import calculate_grex
    from opengrex.errors import InputError
    from opengrex.store.kinds import jsonable

    grex, _ = stored_model(db, "grex", document_id, version, user)
    result = calculate_grex(grex)
    if year is not None and year not in result.years:
        raise InputError("jaar buiten de looptijd", field="year", value=year, allowed=f"{result.years[0]}–{result.years[-1]}")
    try:
        return jsonable(result.explain(figure, year))
    except ValueError as exc:
        raise InputError(str(exc), field="figure", value=figure, allowed="ncw, eindwaarde, contante_waarde, badkuip, irr, boekwaarde, rente, saldo (de laatste drie met ?year=)") from None
