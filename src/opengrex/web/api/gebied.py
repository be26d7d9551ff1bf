"""``/api/gebied`` (gebiedsbegroting) and ``/api/governance`` (beslisboom): stateless — a gebied document in (JSON
body or an uploaded YAML/JSON file), the result out — through :mod:`opengrex.services.gebied` and
:mod:`opengrex.services.governance`.

Woo: editors may ask for the confidential variant; viewers always get the public one (asking for the confidential
variant is a 403). Links to other documents are inline or stored document ids (resolved from the store as the
user may see them); file paths are refused (a request may not read files on the server).
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Query, Request, Response
from starlette.datastructures import UploadFile as StarletteUpload

from opengrex.errors import InputError
from opengrex.io.xlsx_gebied import write_gebied_xlsx
from opengrex.services import gebied as api
from opengrex.services import governance as gov
from opengrex.services.kinds import jsonable
from opengrex.web.deps import CurrentUser, DbDep, UserDep

gebied_router = APIRouter(prefix="/gebied", tags=["gebied"])
governance_router = APIRouter(prefix="/governance", tags=["governance"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_TYPES = (".yaml", ".yml", ".json")
OpenbaarQ = Annotated[bool | None, Query(description="true: openbare versie (Woo); false: vertrouwelijk (alleen bewerkers). Standaard: vertrouwelijk voor bewerkers, openbaar voor lezers")]
RegelsetQ = Annotated[str | None, Query(description="naam van de spelregelset (standaard de actieve)")]


def openbaar_voor(user: CurrentUser, openbaar: bool | None) -> bool:
    """The variant a user gets: viewers only the public one (403 when they ask for the confidential one)."""
    if user.sees_confidential:
        return bool(openbaar)
    if openbaar is False:
        raise HTTPException(status_code=403, detail={"message": "alleen een bewerker (rol editor) mag de vertrouwelijke versie zien (Woo)", "field": "openbaar",
                                                     "value": False, "allowed": "openbaar=true"})
    return True


def store_resolver(db: Any, user: CurrentUser) -> api.Resolver:
    """Resolve stored document ids (programmes, kostenverhaal cases) from the store, as the user may see them."""
    from opengrex.web.api.kind_router import stored_model

    def resolve(kind: str, document: int, versie: int | None) -> Any:
        model, _ = stored_model(db, kind, document, versie, user)
        return model

    return resolve


def _gebied(data: dict[str, Any] | None, file: StarletteUpload | None) -> api.Gebied:
    if (data is None) == (file is None):
        raise InputError("stuur óf een gebied als JSON óf een bestand", field="bestand", allowed="JSON-body of multipart-veld 'bestand' (.yaml, .yml, .json)")
    if data is not None:
        return api.gebied_from_dict(data, "verzoek")
    assert file is not None  # exactly one of data and file (above)
    name = Path(file.filename or "upload").name
    if Path(name).suffix.lower() not in UPLOAD_TYPES:
        raise InputError("onbekend bestandstype", location=name, field="bestand", value=Path(name).suffix or name, allowed=", ".join(UPLOAD_TYPES))
    try:
        text = file.file.read().decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("bestand is geen UTF-8-tekst", location=name, field="bestand", allowed="UTF-8 YAML of JSON") from None
    return api.gebied_from_text(text, name)


async def _input(request: Request) -> tuple[dict[str, Any] | None, StarletteUpload | None]:
    """The gebied from a JSON body or a multipart upload (field ``bestand``)."""
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data"):
        form = await request.form()
        f = form.get("bestand")
        return None, f if isinstance(f, StarletteUpload) else None
    try:
        data = await request.json()
    except Exception:  # noqa: BLE001 - malformed JSON is an input error
        raise InputError("geen geldige JSON", field="body", allowed="een gebied als JSON-object, of een upload in veld 'bestand'") from None
    if not isinstance(data, dict):
        raise InputError("het gebied moet een JSON-object zijn", field="body", value=type(data).__name__)
    return data, None


def _calculate(request_data, file, db, user, openbaar, regelset) -> api.GebiedResult:
    g = _gebied(request_data, file)
    return api.calculate_gebied(g, regelset=regelset, openbaar=openbaar_voor(user, openbaar), resolver=store_resolver(db, user), bestanden=False)


INVOER = {"requestBody": {"required": True, "description": "Het gebied als JSON, of een YAML/JSON-bestand als multipart-veld 'bestand'", "content": {
    "application/json": {"schema": {"type": "object"}},
    "multipart/form-data": {"schema": {"type": "object", "properties": {"bestand": {"type": "string", "format": "binary"}}}}}}}


@gebied_router.post("/bereken", openapi_extra=INVOER, summary="Bereken een gebiedsbegroting (openbare of vertrouwelijke versie)")
async def bereken(request: Request, db: DbDep, user: UserDep, openbaar: OpenbaarQ = None, regelset: RegelsetQ = None,
                  onderdelen: Annotated[str | None, Query(description="kommagescheiden: " + ", ".join(api.ONDERDELEN))] = None) -> dict[str, Any]:
    data, file = await _input(request)
    res = _calculate(data, file, db, user, openbaar, regelset)
    parts = [p.strip() for p in onderdelen.split(",") if p.strip()] if onderdelen else None
    return jsonable(res.rapport(parts))


@gebied_router.post("/verklaar", openapi_extra=INVOER, summary="Herleiding van een kengetal (gebied, fonds, partij:<id>, regel:<naam>)")
async def verklaar(request: Request, db: DbDep, user: UserDep, kengetal: Annotated[str, Query(min_length=1)], openbaar: OpenbaarQ = None, regelset: RegelsetQ = None) -> dict[str, Any]:
    data, file = await _input(request)
    return jsonable(_calculate(data, file, db, user, openbaar, regelset).explain(kengetal).to_dict())


@gebied_router.post("/export", openapi_extra=INVOER, summary="Excel-werkboek met live formules (openbare of vertrouwelijke versie)", response_class=Response,
             responses={200: {"content": {XLSX: {}}}})
async def export(request: Request, db: DbDep, user: UserDep, openbaar: OpenbaarQ = None, regelset: RegelsetQ = None) -> Response:

    data, file = await _input(request)
    res = _calculate(data, file, db, user, openbaar, regelset)
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "gebied.xlsx"
        write_gebied_xlsx(res, p)
        content = p.read_bytes()
    return Response(content, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="gebied-{res.variant}.xlsx"'})


@gebied_router.post("/vergelijk", openapi_extra=INVOER, summary="Spelregelsets naast elkaar, of varianten van één set in één berekening")
async def vergelijk(request: Request, db: DbDep, user: UserDep, openbaar: OpenbaarQ = None, regelset: RegelsetQ = None,
                    varieer: Annotated[list[str] | None, Query(description="REGEL.PARAMETER[.SLEUTEL]=VAN:TOT:N of =a,b,c (herhaalbaar)")] = None) -> dict[str, Any]:
    data, file = await _input(request)
    g = _gebied(data, file)
    v = api.compare_rule_sets(g, varianten_tekst=varieer or (), regelset=regelset, openbaar=openbaar_voor(user, openbaar), resolver=store_resolver(db, user), bestanden=False)
    return jsonable(v.to_dict())


@gebied_router.get("/regeltypen", summary="De soorten spelregels met hun parameters en bron")
def regeltypen() -> list[dict[str, Any]]:
    return api.rule_types()


@gebied_router.get("/demo", summary="Het demogebied (Spoorzone Oost) met de gekoppelde documenten inline")
def demo(user: UserDep) -> dict[str, Any]:
    return api.demo_data(openbaar=not user.sees_confidential)


# --------------------------------------------------------------------------------------------------- governance
@governance_router.get("/boom", summary="De beslisboom (vragen, antwoorden, uitkomsten met bron)")
def boom() -> dict[str, Any]:
    return gov.load_beslisboom().model_dump(mode="json")


@governance_router.post("", summary="Loop de beslisboom af: de volgende vraag, of het advies met het pad van antwoorden")
def advies(antwoorden: Annotated[dict[str, Any], Body(description="vraag-id: antwoord, bv. {\"infra_nodig\": \"ja\"}", examples=[{"infra_nodig": "nee"}])]) -> dict[str, Any]:
    return gov.loop(gov.load_beslisboom(), antwoorden).to_dict()


router = APIRouter()
"""Both routers, registered with one line in :mod:`opengrex.web.api`."""
router.include_router(gebied_router)
router.include_router(governance_router)
