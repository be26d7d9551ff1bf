"""``/api/plankosten``: the plankostenscan, stateless — a plan in (JSON body or an uploaded YAML/JSON/xlsx file), the
result out (JSON, or the workbook with live formulas); the tables in force with their sources; and the test of a
municipality's own estimate against the maximum (the link with a kostenverhaal case). Stored scans are the registry
kind ``plankosten`` (``/api/plankosten`` list, ``/{id}``, versions, …: :mod:`opengrex.web.api.kind_router`)."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, File, Query, Response, UploadFile

from opengrex.errors import InputError
from opengrex.io.xlsx_plankosten import write_plankosten_template, write_plankosten_xlsx
from opengrex.services.kinds import jsonable
from opengrex.services.plankosten import calculate_plankosten, plankosten_from_dict, plankosten_tabellen, product_codes, toets_plankostenscan
from opengrex.web.deps import UserDep

router = APIRouter(prefix="/plankosten", tags=["plankosten"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plan(data: Any):

    if not isinstance(data, dict):
        raise InputError("verwacht een plankostenscan als JSON-object", field="body", value=type(data).__name__, allowed="{naam, peildatum, tijdvak, ...}")
    return plankosten_from_dict(data, "body")


def _upload(file: UploadFile):
    """The uploaded plan, read like any document upload (:func:`opengrex.services.documents.model_from_upload`)."""
    from opengrex.web.api.kind_router import model_from_upload

    return model_from_upload("plankosten", file)[0]


@router.post("/bereken", summary="Maximaal verhaalbare plankosten van een plan (JSON in, resultaat uit)")
def bereken(user: UserDep, plan: Annotated[dict[str, Any], Body(description="de plankostenscan, zie examples/plankosten/")]) -> dict[str, Any]:

    return jsonable(calculate_plankosten(_plan(plan)).to_dict())


@router.post("/bereken/bestand", summary="Maximaal verhaalbare plankosten van een geüpload plan (.yaml, .json, .xlsx)")
def bereken_bestand(user: UserDep, bestand: Annotated[UploadFile, File(description="plankostenscan")]) -> dict[str, Any]:

    return jsonable(calculate_plankosten(_upload(bestand)).to_dict())


@router.post("/verklaar", summary="Herleiding van één getal (invoer, regel, bron)")
def verklaar(user: UserDep, plan: Annotated[dict[str, Any], Body()], kengetal: Annotated[str, Query(description="totaal, product:<code>, rij:<id>, factor:<naam>")] = "totaal") -> dict[str, Any]:

    return jsonable(calculate_plankosten(_plan(plan)).explain(kengetal).to_dict())


@router.post("/export", summary="Werkboek met live formules (.xlsx) voor een plan", response_class=Response)
def export(user: UserDep, plan: Annotated[dict[str, Any], Body()]) -> Response:

    res = calculate_plankosten(_plan(plan))
    with tempfile.TemporaryDirectory() as tmp:
        data = write_plankosten_xlsx(res, Path(tmp) / "plankosten.xlsx").read_bytes()
    return Response(data, media_type=XLSX, headers={"Content-Disposition": 'attachment; filename="plankosten.xlsx"'})


@router.get("/sjabloon.xlsx", summary="Leeg Excel-sjabloon voor een plankostenscan", response_class=Response)
def sjabloon(user: UserDep) -> Response:

    with tempfile.TemporaryDirectory() as tmp:
        data = write_plankosten_template(Path(tmp) / "sjabloon.xlsx", None, product_codes()).read_bytes()
    return Response(data, media_type=XLSX, headers={"Content-Disposition": 'attachment; filename="plankosten-sjabloon.xlsx"'})


@router.get("/tabellen", summary="De tabellen van de Omgevingsregeling die op de peildatum gelden, met bronnen")
def tabellen(user: UserDep, peildatum: Annotated[str | None, Query(description="JJJJ-MM-DD")] = None,
             bijlage: Annotated[str | None, Query(description="XXXIV of XXXIVa")] = None) -> dict[str, Any]:

    return jsonable(plankosten_tabellen(peildatum, bijlage))


@router.post("/toets", summary="Toets een eigen raming (A1 plankosten gemeente) aan het maximum van een plankostenscan")
def toets(user: UserDep, raming: Annotated[float, Body()], plankostenscan: Annotated[dict[str, Any], Body(description="{inline: {plankostenscan}}")]) -> dict[str, Any]:

    if set(plankostenscan) != {"inline"}:
        raise InputError("via de API alleen een plankostenscan inline", field="plankostenscan", value=sorted(plankostenscan), allowed="{inline: {...}}")
    return jsonable(toets_plankostenscan(raming, plankostenscan).to_dict())
