"""``/api/bbv``: BBV valuation, jaarovergang and renteschema — stateless (the document comes in the request, the
result goes out; storing portfolios comes with the document registry). All through :mod:`opengrex.services.bbv`."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from opengrex.errors import InputError
from opengrex.io.documents import parse_text
from opengrex.io.xlsx_bbv import export_portfolio_xlsx
from opengrex.services.bbv import calculate_renteschema, portfolio_from_dict, renteschema_from_dict, roll_portfolio, single_grex_portfolio, value_portfolio
from opengrex.services.grex import grex_from_dict, grex_to_dict
from opengrex.services.kinds import jsonable
from opengrex.web.deps import UserDep

router = APIRouter(prefix="/bbv", tags=["BBV en portefeuille"])

MAX_DRAWS = 20_000
"""Upper bound on Monte Carlo draws per request (one request stays bounded in time and memory)."""
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _portfolio(data: dict[str, Any]):

    if not isinstance(data, dict):
        raise InputError("verwacht een portefeuille of een grex als JSON-object", field="body", allowed="{naam, balansjaar, grexen: [{grex: {...}}]} of een grex")
    if "grexen" in data:
        for i, e in enumerate(data.get("grexen") or []):
            if isinstance(e, dict) and e.get("bestand"):
                raise InputError("bestandsverwijzingen worden via de API niet gelezen; geef de grex ingebed op", field=f"grexen[{i}].bestand", value=e["bestand"], allowed="grex: {...}")
        return portfolio_from_dict(data, "<verzoek>")
    return single_grex_portfolio(grex_from_dict(data, "<verzoek>"))


@router.post("/waardering", summary="Waardering op balansdatum van een grex of portefeuille (MPG)")
def waardering(
    user: UserDep,
    body: Annotated[dict[str, Any], Body(description="Portefeuille met ingebedde grexen, of één grex")],
    trekkingen: Annotated[int, Query(ge=0, le=MAX_DRAWS, description="Monte Carlo-trekkingen (0: geen)")] = 0,
    seed: Annotated[int | None, Query()] = 2013,
) -> dict[str, Any]:

    w = value_portfolio(_portfolio(body), trekkingen=trekkingen, seed=seed)
    out = w.to_dict()
    if w.risk is not None:
        out["monte_carlo"] = w.risk.to_dict()
    return jsonable(out)


@router.post("/waardering.xlsx", summary="Raadsrapportage (Excel met formules), openbaar of vertrouwelijk")
def waardering_xlsx(user: UserDep, body: Annotated[dict[str, Any], Body()], openbaar: Annotated[bool, Query()] = True) -> Response:

    w = value_portfolio(_portfolio(body))
    with tempfile.TemporaryDirectory() as tmp:
        path = export_portfolio_xlsx(w, Path(tmp) / "mpg.xlsx", openbaar=openbaar)
        content = path.read_bytes()
    name = f"mpg-{w.balansjaar}-{'openbaar' if openbaar else 'vertrouwelijk'}.xlsx"
    return Response(content, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/renteschema", summary="Renteschema a–f met omslagrente (Notitie rente 2017)")
def renteschema(user: UserDep, body: Annotated[dict[str, Any], Body(description="Renteschema-invoer; optioneel 'portefeuille' voor regel c1")]) -> dict[str, Any]:

    data = dict(body)
    pf = data.pop("portefeuille", None)
    w = value_portfolio(_portfolio(pf)) if pf is not None else None
    return jsonable(calculate_renteschema(renteschema_from_dict(data, "<verzoek>"), w).to_dict())


async def read_upload(upload: Any, field: str, suffixes: tuple[str, ...], limit: int) -> tuple[str, bytes]:
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InputError("bestand ontbreekt", field=field, allowed=", ".join(suffixes))
    name = Path(upload.filename).name
    if Path(name).suffix.lower() not in suffixes:
        raise InputError("bestandstype wordt niet ondersteund", field=field, value=name, allowed=", ".join(suffixes))
    content = await upload.read(limit + 1)
    if len(content) > limit:
        raise InputError("bestand te groot", field=field, value=len(content), allowed=f"hoogstens {limit} bytes")
    return name, content


async def jaarovergang_from_form(request: Request) -> Any:
    """Run a jaarovergang from a multipart form: ``document`` (grex or portfolio, YAML/JSON), ``grootboek``
    (CSV/xlsx), optional ``jaar``, ``restant``, ``rente``, ``indices`` (YAML text). Shared by the API and the page."""
    import yaml


    limit = int(request.app.state.settings.max_upload)
    form = await request.form(max_files=2, max_fields=20)
    name, content = await read_upload(form.get("document"), "document", (".yaml", ".yml", ".json"), limit)
    data, _ = parse_text(content.decode("utf-8", errors="replace"), name)
    lp = _portfolio(data)
    ledger = form.get("grootboek")
    jaar = str(form.get("jaar") or "").strip()
    indices = str(form.get("indices") or "").strip()
    rente = str(form.get("rente") or "").strip().replace(",", ".")
    try:
        kw: dict[str, Any] = {"restant": str(form.get("restant") or "vervalt"), "door": "web"}
        if indices:
            kw["nieuwe_indices"] = yaml.safe_load(indices)
        if rente:
            kw["nieuwe_rente"] = float(rente)
        year = int(jaar) if jaar else None
    except (ValueError, yaml.YAMLError) as exc:
        raise InputError(f"ongeldige invoer: {exc}", field="jaar/rente/indices", allowed="jaar als geheel getal, rente als fractie, indices als YAML") from None
    if isinstance(ledger, UploadFile) and ledger.filename:
        lname, lcontent = await read_upload(ledger, "grootboek", (".csv", ".xlsx"), limit)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / lname
            path.write_bytes(lcontent)
            return roll_portfolio(lp, path, year, **kw)
    return roll_portfolio(lp, None, year, **kw)


@router.post("/jaarovergang", summary="Jaarovergang N → N+1 met grootboek (multipart: document, grootboek)")
async def jaarovergang(request: Request, user: UserDep) -> dict[str, Any]:

    jo = await jaarovergang_from_form(request)
    out = jo.to_dict()
    out["grexen_na"] = [grex_to_dict(g) for g in jo.documents()]
    return jsonable(out)
