"""REST endpoints of the spatial screening, the target monitor and the regional profile (stateless: upload or
query in, result out; storing screenings comes with the document registry).

- ``POST /api/ruimte/toets``: upload plan locations (GeoPackage or GeoJSON) → the screening as JSON
  (``formaat=json``), as a GeoJSON FeatureCollection with the verdicts as properties (``formaat=geojson``), or both
  for the map page (``formaat=kaart``);
- ``POST /api/ruimte/toets/kaart.png?locatie=…``: the same upload → a PNG map of one location;
- ``POST /api/ruimte/rapport.pdf``: the same upload → the print-ready PDF report (a map and the verdicts per
  location for the first :data:`MAX_KAARTEN_WEB` locations);
- ``GET /api/ruimte/lagen``: the layers in use as GeoJSON (EPSG:28992) for the map; ``GET /api/ruimte/regels``;
  ``GET /api/ruimte/demo-locaties``;
- ``GET /api/monitor/doelen``, ``GET /api/monitor/controle``, ``POST /api/monitor/voortgang`` (pipeline upload);
- ``GET /api/regio/profiel``.

The layers are the folder/lagen.yaml/GeoPackage in ``OPENGREX_RUIMTE_LAGEN``; without it the built-in demo layers.
"""
from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import Response

from opengrex.errors import InputError
from opengrex.web.deps import UserDep

router = APIRouter(prefix="/ruimte", tags=["ruimte"])
monitor_router = APIRouter(prefix="/monitor", tags=["monitor"])
regio_router = APIRouter(prefix="/regio", tags=["regio"])

LOCATIE_SUFFIXES = (".gpkg", ".geojson", ".json")
PIJPLIJN_SUFFIXES = (".csv", ".xlsx")
MAX_LOCATIES = 50_000
"""Upper bound on locations per web request (larger sets: the CLI, optionally with --engine dask)."""
MAX_KAARTEN_WEB = 50
"""Locations with a map page in a PDF report made by the web app (about half a second per map); the CLI makes up
to :data:`opengrex.services.reports.MAX_KAARTEN`."""


def lagen_bron() -> str | None:
    """The layer set of the web app: ``OPENGREX_RUIMTE_LAGEN`` or None (built-in demo layers)."""
    value = os.environ.get("OPENGREX_RUIMTE_LAGEN", "").strip()
    return value or None


@lru_cache(maxsize=8)
def _prepared_from(path: str, versie: str, mtime: float):
    from opengrex.services import ruimte as svc

    return svc.prepare_rules(svc.load_regelset(versie), path)


def prepared(regels: str | None):
    """The rule set version in force on ``regels`` (ISO date; None: newest) compiled against the layer set."""
    from opengrex.services import ruimte as svc

    versie = svc.load_regelset(regels).geldig_vanaf.isoformat()
    src = lagen_bron()
    if src is None:
        return svc.demo_prepared(versie)
    p = Path(src)
    return _prepared_from(str(p), versie, p.stat().st_mtime if p.exists() else 0.0)


def read_upload(file: UploadFile, suffixes: tuple[str, ...]) -> tuple[Path, tempfile.TemporaryDirectory]:
    """Write an upload to a private temporary folder under its own suffix (GDAL picks the driver by it)."""
    name = Path(file.filename or "upload").name
    suffix = Path(name).suffix.lower()
    if suffix not in suffixes:
        raise InputError("onbekend bestandsformaat", location=name, field="bestand", value=suffix or name, allowed=", ".join(suffixes))
    folder = tempfile.TemporaryDirectory(prefix="opengrex-upload-")
    path = Path(folder.name) / f"upload{suffix}"
    path.write_bytes(file.file.read())
    return path, folder


def screen_upload(file: UploadFile, regels: str | None, id_veld: str | None = None):
    from opengrex.io.geo import read_vector
    from opengrex.services import ruimte as svc

    path, folder = read_upload(file, LOCATIE_SUFFIXES)
    with folder:
        gdf = read_vector(path)
        if len(gdf) == 0:
            raise InputError("bestand bevat geen locaties", location=file.filename, field="bestand", value=0, allowed="minstens één vlak")
        if len(gdf) > MAX_LOCATIES:
            raise InputError("te veel locaties voor de webtoets", location=file.filename, field="bestand", value=len(gdf),
                             allowed=f"hoogstens {MAX_LOCATIES}; grotere bestanden: opengrex ruimte toets (eventueel --engine dask)")
        res = svc.screen(gdf, prepared=prepared(regels), id_veld=id_veld)
    res.bron = file.filename or "upload"
    return res


RegelsQ = Annotated[str | None, Query(description="peildatum van de regelset (JJJJ-MM-DD); standaard de nieuwste versie")]


@router.post("/toets", summary="Toets planlocaties (GeoPackage/GeoJSON, elk stelsel) aan de structurerende keuzes")
def toets(user: UserDep, file: Annotated[UploadFile, File(description="Planlocaties: GeoPackage of GeoJSON")], regels: RegelsQ = None,
          formaat: Annotated[str, Query(pattern="^(json|geojson|kaart)$", description="json, geojson of kaart (beide)")] = "json",
          id_veld: Annotated[str | None, Form()] = None) -> dict[str, Any]:
    from opengrex.services.kinds import jsonable

    res = screen_upload(file, regels, id_veld)
    if formaat == "geojson":
        return jsonable(res.to_geojson(28992))
    if formaat == "kaart":
        return jsonable({"samenvatting": res.summary(), "geojson": res.to_geojson(28992)})
    return jsonable(res.summary())


@router.post("/toets/kaart.png", summary="PNG-kaart van één getoetste locatie (voor rapporten)", response_class=Response)
def toets_kaart(user: UserDep, file: Annotated[UploadFile, File()], locatie: Annotated[str, Query(min_length=1)], regels: RegelsQ = None) -> Response:
    from opengrex.services import ruimte as svc

    res = screen_upload(file, regels)
    return Response(svc.location_map_png(res, locatie), media_type="image/png")


@router.post("/rapport.pdf", summary="PDF-rapport van de toets: regelset, samenvatting, per locatie kaart en oordelen, methode",
             response_class=Response, responses={200: {"content": {"application/pdf": {}}}})
def toets_rapport(user: UserDep, file: Annotated[UploadFile, File(description="Planlocaties: GeoPackage of GeoJSON")], regels: RegelsQ = None,
                  id_veld: Annotated[str | None, Form()] = None) -> Response:
    from opengrex.services.reports import screening_pdf
    from opengrex.web.security import attachment

    res = screen_upload(file, regels, id_veld)
    pdf = screening_pdf(res, max_kaarten=MAX_KAARTEN_WEB)
    stem = Path(res.bron).stem or "locaties"
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": attachment(f"toets-{stem}-{res.regelset.geldig_vanaf.isoformat()}", "pdf")})


@router.get("/lagen", summary="De lagen van de toets als GeoJSON (EPSG:28992), voor de kaart")
def lagen(user: UserDep, regels: RegelsQ = None) -> dict[str, Any]:
    import json

    prep = prepared(regels)
    out: dict[str, Any] = {}
    for name, gdf in prep.layer_frames.items():
        spec = prep.regelset.lagen[name]
        simple = gdf.copy()
        simple["geometry"] = simple.geometry.simplify(2.0)
        fc = json.loads(simple.to_json(na="null", drop_id=True))
        out[name] = {"omschrijving": spec.omschrijving, "geojson": fc}
    return {"regelset": prep.regelset.versie(), "bron": lagen_bron() or "demolagen De Brede Waard (fictief)", "crs": "EPSG:28992",
            "lagen": out, "niet_getoetst": prep.niet_getoetst}


@router.get("/regels", summary="De regelset (versie op de peildatum) met bronnen")
def regels_json(user: UserDep, regels: RegelsQ = None) -> dict[str, Any]:
    from opengrex.services import ruimte as svc

    rs = svc.load_regelset(regels)
    return {"versies": [d.isoformat() for d, _ in svc.regelset_versies()], "regelset": rs.model_dump(mode="json", by_alias=True)}


@router.get("/demo-locaties", summary="De demolocaties van De Brede Waard (GeoJSON, EPSG:28992)")
def demo_locaties(user: UserDep) -> dict[str, Any]:
    import json

    from opengrex.io.ruimte_demo import locations_frame

    data = json.loads(locations_frame().to_json(na="null", drop_id=True))
    data["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}
    return data


# ----------------------------------------------------------------------------------------------------- monitor
@monitor_router.get("/doelen", summary="Register van doelen (seed 004) op een peildatum")
def doelen(user: UserDep, peildatum: Annotated[str | None, Query()] = None, historie: bool = False) -> list[dict[str, Any]]:
    from opengrex.services import monitor as svc

    items = svc.load_doelen() if historie else svc.doelen_register(peildatum)
    return [d.model_dump(mode="json") for d in items]


@monitor_router.get("/controle", summary="Controle: som van de provincies tegen het nationale doel; drukfouten in de bron")
def controle(user: UserDep, peildatum: Annotated[str | None, Query()] = None) -> dict[str, Any]:
    from opengrex.services import monitor as svc

    return svc.controle(peildatum)


@monitor_router.post("/voortgang", summary="Voortgang van een plancapaciteit (CSV/xlsx) tegen het doel van een gebied")
def voortgang(user: UserDep, file: Annotated[UploadFile, File(description="CSV of xlsx: gemeente, plan, woningen, hardheid, jaar_gereed, segment")],
              gebied: Annotated[str, Query()] = "Nederland", peildatum: Annotated[str | None, Query()] = None) -> dict[str, Any]:
    from opengrex.services import monitor as svc

    path, folder = read_upload(file, PIJPLIJN_SUFFIXES)
    with folder:
        res = svc.voortgang(path, gebied, peildatum=peildatum)
    return res.summary()


@regio_router.get("/profiel", summary="Regioprofiel Heuvelrug Kromme Rijnstreek (seed 003): afwijking van de provincie")
def profiel(user: UserDep, regio: str = "heuvelrug-kromme-rijnstreek") -> dict[str, Any]:
    from opengrex.services import monitor as svc

    return svc.regio_profiel(regio).summary()


def register(api_router: APIRouter) -> None:
    """Include the three routers (one line in :mod:`opengrex.web.api`)."""
    api_router.include_router(router)
    api_router.include_router(monitor_router)
    api_router.include_router(regio_router)
