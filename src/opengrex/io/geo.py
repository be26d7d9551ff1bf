"""Reading and writing vector data for the spatial screening (GeoPackage, GeoJSON, Shapefile via pyogrio/geopandas).

Everything is brought to EPSG:28992 (RD New, metres) on the way in; input problems become an
:class:`~opengrex.errors.InputError` naming the file, the feature and the field, or a :class:`Melding` (warning)
when opengrex can carry on (a repaired geometry, an empty attribute). Outputs are written to a temporary file next
to the target and renamed: never a half-written file.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from opengrex.errors import InputError

RD = "EPSG:28992"
LEESBAAR = (".gpkg", ".geojson", ".json", ".shp", ".fgb")
"""Vector formats read (by file suffix)."""
SCHRIJFBAAR = (".gpkg", ".geojson", ".csv")
RD_BEREIK = (-7_000.0, 289_000.0, 300_000.0, 629_000.0)
"""Bounds of the RD New area of use (EPSG:28992) [m]: coordinates outside it usually mean a wrong CRS."""
ID_VELDEN = ("id", "locatie_id", "locatie", "code", "naam", "name")
"""Candidate id columns of a locations file, in order (``--id-veld`` overrides)."""
_POLYGONAL = ("Polygon", "MultiPolygon")


@dataclass(frozen=True)
class Melding:
    """A warning about the input that did not stop the screening (shown in CLI, JSON, page)."""

    bron: str
    object: str | None
    veld: str | None
    tekst: str

    def __str__(self) -> str:
        where = self.bron + (f", {self.object}" if self.object else "") + (f", veld '{self.veld}'" if self.veld else "")
        return f"{where}: {self.tekst}"

    def as_dict(self) -> dict[str, Any]:
        return {"bron": self.bron, "object": self.object, "veld": self.veld, "tekst": self.tekst}


# --------------------------------------------------------------------------------------------------------- reading
def read_vector(path: str | Path, *, layer: str | None = None, skip: int = 0, count: int | None = None):
    """A GeoDataFrame from a GeoPackage/GeoJSON/Shapefile/FlatGeobuf (errors name the file)."""
    import geopandas as gpd
    import pyogrio

    p = Path(path)
    if not p.exists():
        raise InputError("bestand bestaat niet", location=str(p), field="bestand", value=str(p))
    if p.suffix.lower() not in LEESBAAR:
        raise InputError("onbekend bestandsformaat", location=str(p), field="bestand", value=p.suffix, allowed=", ".join(LEESBAAR))
    kwargs: dict[str, Any] = {"engine": "pyogrio"}
    if layer is not None:
        kwargs["layer"] = layer
    if skip:
        kwargs["skip_features"] = skip
    if count is not None:
        kwargs["max_features"] = count
    try:
        return gpd.read_file(p, **kwargs)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise InputError(f"kan bestand niet lezen: {exc}", location=str(p), field="bestand", value=layer) from None
    except (ValueError, TypeError) as exc:
        raise InputError(f"kan bestand niet lezen: {exc}", location=str(p), field="bestand") from None


def layer_names(path: str | Path) -> list[str]:
    import pyogrio

    try:
        return [str(n) for n in pyogrio.list_layers(path)[:, 0]]
    except Exception as exc:  # noqa: BLE001 - any driver error: the file is unreadable
        raise InputError(f"kan bestand niet lezen: {exc}", location=str(path), field="bestand") from None


def feature_label(index: int, ident: Any = None) -> str:
    """``object 7 (id 'A-3')`` — 1-based position in the file plus the id when there is one."""
    return f"object {index + 1}" + (f" (id '{ident}')" if ident is not None and str(ident) != str(index + 1) else "")


def to_rd(gdf, source: str, crs: str | None = None, *, offset: int = 0, meldingen: list[Melding] | None = None):
    """Reproject to EPSG:28992. No CRS in the file: ``crs`` is assumed if given, else an error; a CRS pyproj
    cannot transform: an error; coordinates outside the RD area after reprojection: a warning."""
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    if gdf.crs is None:
        if crs is None:
            raise InputError("bestand heeft geen coördinatenstelsel (CRS)", location=source, field="crs", value=None,
                             allowed="een bestand met CRS (GeoPackage/GeoJSON, of Shapefile met .prj), of geef het stelsel op (--crs EPSG:28992)")
        try:
            gdf = gdf.set_crs(CRS.from_user_input(crs))
        except CRSError:
            raise InputError("onbekend coördinatenstelsel", location=source, field="crs", value=crs, allowed="bijv. EPSG:28992 of EPSG:4326") from None
    try:
        target = CRS.from_user_input(RD)
        if not gdf.crs.equals(target):
            gdf = gdf.to_crs(target)
        else:
            gdf = gdf.set_crs(target, allow_override=True)
    except (CRSError, Exception) as exc:  # pyproj raises ProjError/CRSError/ValueError for unusable CRSs
        if isinstance(exc, InputError):
            raise
        raise InputError(f"coördinatenstelsel kan niet naar RD New (EPSG:28992) worden omgezet: {exc}", location=source, field="crs",
                         value=str(gdf.crs), allowed="een stelsel dat PROJ kent (EPSG-code)") from None
    if len(gdf):
        b = shapely.bounds(gdf.geometry.values)
        bad = ~np.isfinite(b).all(axis=1) & ~np.isnan(b).all(axis=1)
        if bad.any():
            first = int(np.flatnonzero(bad)[0])
            raise InputError(f"coördinaten van {feature_label(first + offset)} vallen buiten het bereik van het opgegeven stelsel en zijn niet naar RD New om te rekenen",
                             location=source, field="crs", value=str(gdf.crs if crs is None else crs),
                             allowed="het stelsel waarin de coördinaten echt staan (GeoJSON zonder crs is EPSG:4326, graden); geef bijv. een GeoPackage in EPSG:28992")
    if meldingen is not None and len(gdf):
        b = shapely.bounds(gdf.geometry.values)
        out = (b[:, 0] < RD_BEREIK[0]) | (b[:, 1] < RD_BEREIK[1]) | (b[:, 2] > RD_BEREIK[2]) | (b[:, 3] > RD_BEREIK[3])
        out &= ~np.isnan(b[:, 0])
        if out.any():
            first = int(np.flatnonzero(out)[0])
            meldingen.append(Melding(source, feature_label(first + offset), "crs",
                                     f"{int(out.sum())} object(en) liggen buiten het gebied van RD New; klopt het coördinatenstelsel van het bestand ({gdf.crs})?"))
    return gdf


def _polygonal_repair(geoms: np.ndarray) -> np.ndarray:
    from opengrex.engine.ruimte import polygonal

    return polygonal(shapely.make_valid(geoms))


def clean_polygons(gdf, source: str, labels: list[str] | np.ndarray, *, ongeldig: str = "herstel", soort: str = "locatie",
                   meldingen: list[Melding] | None = None):
    """Check and repair polygon geometries: missing/empty or non-polygonal geometry → error naming the feature;
    invalid geometry → repaired with ``make_valid`` (polygonal parts kept) and reported, or — ``ongeldig="weiger"``
    — an error naming every invalid feature; a polygon without area after repair → error. Z is dropped."""
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    labels = np.asarray(labels, dtype=object)
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if missing.any():
        bad = np.flatnonzero(missing)
        raise InputError(f"{soort} zonder geometrie: " + ", ".join(labels[bad[:10]]) + (" …" if bad.size > 10 else ""),
                         location=source, field="geometrie", value=str(labels[bad[0]]), allowed="(Multi)Polygon")
    types = shapely.get_type_id(geoms)
    wrong = ~np.isin(types, (3, 6))
    if wrong.any():
        bad = np.flatnonzero(wrong)
        names = shapely.geometry_type_name(geoms[bad[0]]) if hasattr(shapely, "geometry_type_name") else type(geoms[bad[0]]).__name__
        raise InputError(f"{soort} is geen vlak: {labels[bad[0]]} is een {names}" + (f" (en {bad.size - 1} meer)" if bad.size > 1 else ""),
                         location=source, field="geometrie", value=str(labels[bad[0]]), allowed="Polygon of MultiPolygon")
    if shapely.has_z(geoms).any():
        geoms = shapely.force_2d(geoms)
    valid = shapely.is_valid(geoms)
    if not valid.all():
        bad = np.flatnonzero(~valid)
        reasons = shapely.is_valid_reason(geoms[bad])
        if ongeldig == "weiger":
            listed = "; ".join(f"{labels[i]}: {r}" for i, r in zip(bad[:10], reasons[:10]))
            raise InputError(f"ongeldige geometrie: {listed}" + (" …" if bad.size > 10 else ""), location=source, field="geometrie",
                             value=str(labels[bad[0]]), allowed="geldige vlakken (of herstel met make_valid: --ongeldig herstel)")
        repaired = _polygonal_repair(geoms[bad])
        gone = shapely.is_empty(repaired) | (shapely.area(repaired) <= 0)
        if gone.any():
            i = bad[np.flatnonzero(gone)[0]]
            raise InputError(f"ongeldige geometrie die niet te herstellen is tot een vlak: {labels[i]} ({reasons[np.flatnonzero(gone)[0]]})",
                             location=source, field="geometrie", value=str(labels[i]), allowed="geldige vlakken")
        geoms = geoms.copy()
        geoms[bad] = repaired
        if meldingen is not None:
            for i, r in zip(bad[:50], reasons[:50]):
                meldingen.append(Melding(source, str(labels[i]), "geometrie", f"ongeldige geometrie hersteld met make_valid ({r})"))
            if bad.size > 50:
                meldingen.append(Melding(source, None, "geometrie", f"nog {bad.size - 50} ongeldige geometrieën hersteld"))
    area = shapely.area(geoms)
    flat = area <= 0
    if flat.any():
        i = int(np.flatnonzero(flat)[0])
        raise InputError(f"{soort} zonder oppervlakte: {labels[i]}", location=source, field="geometrie", value=str(labels[i]), allowed="vlakken met oppervlakte > 0")
    return gdf.set_geometry(geoms, crs=gdf.crs) if geoms is not gdf.geometry.values else gdf


def location_ids(gdf, source: str, id_veld: str | None, *, offset: int = 0) -> tuple[np.ndarray, list[str]]:
    """The id of every location (as text) and labels for messages. ``id_veld`` must exist when given; otherwise
    the first of :data:`ID_VELDEN` present is used, else the 1-based position. Empty and duplicate ids: errors."""
    n = len(gdf)
    cols = [c for c in gdf.columns if c != gdf.geometry.name]
    field = None
    if id_veld is not None:
        if id_veld not in cols:
            raise InputError("id-veld ontbreekt in het bestand", location=source, field=id_veld, value=id_veld, allowed=", ".join(map(str, cols)) or "(geen velden)")
        field = id_veld
    else:
        lower = {str(c).lower(): c for c in cols}
        for cand in ID_VELDEN:
            if cand in lower:
                field = lower[cand]
                break
    if field is None:
        ids = np.array([str(i + 1 + offset) for i in range(n)], dtype=object)
        return ids, [f"object {i + 1 + offset}" for i in range(n)]
    raw = gdf[field].to_numpy(dtype=object)
    empty = np.array([v is None or (isinstance(v, float) and np.isnan(v)) or str(v).strip() == "" for v in raw], dtype=bool)
    if empty.any():
        i = int(np.flatnonzero(empty)[0])
        raise InputError(f"object {i + 1 + offset} heeft geen id", location=source, field=str(field), value=None, allowed="een unieke waarde per locatie")
    ids = np.array([_id_text(v) for v in raw], dtype=object)
    labels = [f"object {i + 1 + offset} (id '{v}')" for i, v in enumerate(ids)]
    return ids, labels


def _id_text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def check_unique(ids: np.ndarray, source: str, field: str = "id") -> None:
    u, counts = np.unique(ids.astype(str), return_counts=True)
    if (counts > 1).any():
        dup = u[counts > 1]
        raise InputError("dubbele locatie-id: " + ", ".join(map(str, dup[:10])) + (" …" if dup.size > 10 else ""), location=source,
                         field=field, value=str(dup[0]), allowed="elke id één keer (of kies een ander veld met --id-veld)")


def layer_attribute(gdf, source: str, laag: str, veld: str, kolom: str, soort: str, meldingen: list[Melding]) -> np.ndarray:
    """One attribute of a layer as an array: numbers for ``getal`` (non-numeric → error naming the feature), text or
    yes/no otherwise; empty values are NaN/None with a warning naming the feature and field."""
    cols = [c for c in gdf.columns if c != gdf.geometry.name]
    if kolom not in cols:
        raise InputError(f"laag '{laag}' mist het veld '{kolom}'" + (f" (regelsetveld '{veld}')" if kolom != veld else ""), location=source,
                         field=kolom, value=None, allowed="velden in het bestand: " + (", ".join(map(str, cols)) or "(geen)") + "; koppel een ander veld in lagen.yaml (velden:)")
    raw = gdf[kolom].to_numpy(dtype=object)
    empty = np.array([v is None or (isinstance(v, float) and np.isnan(v)) or (isinstance(v, str) and not v.strip()) for v in raw], dtype=bool)
    if empty.any():
        first = int(np.flatnonzero(empty)[0])
        meldingen.append(Melding(source, feature_label(first), kolom, f"{int(empty.sum())} object(en) van laag '{laag}' zonder waarde; die tellen niet mee voor voorwaarden op dit veld"))
    if soort == "getal":
        out = np.full(len(raw), np.nan)
        for i in np.flatnonzero(~empty):
            v = raw[i]
            try:
                out[i] = float(str(v).replace(",", ".")) if isinstance(v, str) else float(v)
            except (TypeError, ValueError):
                raise InputError(f"laag '{laag}', {feature_label(int(i))}: geen getal", location=source, field=kolom, value=v, allowed="een getal") from None
        return out
    out_o = raw.copy()
    out_o[empty] = None
    return out_o


# ------------------------------------------------------------------------------------------------- finding layers
@dataclass(frozen=True)
class LaagLocatie:
    """Where a layer was found: file, layer inside the file, field mapping, CRS to assume."""

    naam: str
    bestand: Path
    laag: str | None = None
    velden: dict[str, str] | None = None
    crs: str | None = None

    def bron(self) -> str:
        return f"{self.bestand}" + (f" (laag {self.laag})" if self.laag else "")


def find_layers(lagen: str | Path | None, names: Iterable[str]) -> tuple[dict[str, LaagLocatie], dict[str, str]]:
    """Resolve each layer name to a file. ``lagen`` is a folder (``<naam>.gpkg|.geojson|.shp|…``, or a
    ``lagen.yaml`` inside), a ``lagen.yaml`` file, or one GeoPackage holding layers named after the rule set.

    Returns (found, missing) — missing maps a name to the reason shown as "niet getoetst"."""
    names = list(dict.fromkeys(names))
    found: dict[str, LaagLocatie] = {}
    missing: dict[str, str] = {}
    if lagen is None:
        return found, {n: f"laag '{n}' ontbreekt: geen lagen opgegeven (--lagen)" for n in names}
    p = Path(lagen)
    if not p.exists():
        raise InputError("lagen niet gevonden", location=str(p), field="--lagen", value=str(p), allowed="een map met lagen, een lagen.yaml of een GeoPackage")
    if p.is_dir() and (p / "lagen.yaml").is_file():
        p = p / "lagen.yaml"
    if p.is_file() and p.suffix.lower() in (".yaml", ".yml"):
        return _from_config(p, names)
    if p.is_file() and p.suffix.lower() == ".gpkg":
        inside = set(layer_names(p))
        for n in names:
            if n in inside:
                found[n] = LaagLocatie(n, p, n)
            else:
                missing[n] = f"laag '{n}' ontbreekt in {p} (lagen daarin: {', '.join(sorted(inside)) or 'geen'})"
        return found, missing
    if p.is_file():
        raise InputError("--lagen moet een map, een lagen.yaml of een GeoPackage zijn", location=str(p), field="--lagen", value=p.suffix)
    for n in names:
        hits = [p / f"{n}{s}" for s in LEESBAAR if (p / f"{n}{s}").is_file()]
        if len(hits) > 1:
            raise InputError(f"laag '{n}' staat er meer dan eens", location=str(p), field=n, value=", ".join(h.name for h in hits), allowed="één bestand per laag")
        if hits:
            found[n] = LaagLocatie(n, hits[0])
        else:
            missing[n] = f"laag '{n}' ontbreekt in {p} (verwacht {n}.gpkg, {n}.geojson of {n}.shp, of een regel in lagen.yaml)"
    return found, missing


def _from_config(path: Path, names: list[str]) -> tuple[dict[str, LaagLocatie], dict[str, str]]:
    from opengrex.io.documents import build_model, read_document
    from opengrex.model.ruimte import LagenConfig

    data, locator = read_document(path)
    cfg = build_model(LagenConfig, data, locator)
    found: dict[str, LaagLocatie] = {}
    missing: dict[str, str] = {}
    for n in names:
        src = cfg.lagen.get(n)
        if src is None:
            missing[n] = f"laag '{n}' staat niet in {path}"
            continue
        f = (path.parent / src.bestand) if not Path(src.bestand).is_absolute() else Path(src.bestand)
        if not f.is_file():
            raise InputError(f"bestand van laag '{n}' bestaat niet", location=locator.where(("lagen", n, "bestand")), field=f"lagen.{n}.bestand", value=str(f))
        found[n] = LaagLocatie(n, f, src.laag, dict(src.velden), src.crs)
    return found, missing


# --------------------------------------------------------------------------------------------------------- writing
def write_atomic(path: str | Path, writer) -> Path:
    """Write through a temporary file in the target folder and rename (never a half-written output)."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.exists():
        raise InputError("map bestaat niet", location=str(target), field="-o/--output", value=str(folder))
    fd, tmp = tempfile.mkstemp(prefix=".opengrex-", suffix=target.suffix, dir=str(folder))
    os.close(fd)
    os.unlink(tmp)  # GDAL drivers want to create the file themselves
    try:
        writer(Path(tmp))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def write_frame(gdf, path: str | Path, *, layer: str = "toetsing") -> Path:
    """Write a (Geo)DataFrame by suffix: ``.gpkg`` (layer ``toetsing``), ``.geojson`` (EPSG:28992 with a ``crs``
    member, as QGIS writes it), ``.csv`` (no geometry, UTF-8)."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in SCHRIJFBAAR:
        raise InputError("onbekend uitvoerformaat", location=str(target), field="-o/--output", value=target.suffix, allowed=", ".join(SCHRIJFBAAR))

    def write(tmp: Path) -> None:
        if suffix == ".csv":
            frame = gdf.drop(columns=[gdf.geometry.name]) if hasattr(gdf, "geometry") and gdf.geometry.name in gdf.columns else gdf
            frame.to_csv(tmp, index=False, encoding="utf-8")
        elif suffix == ".gpkg":
            gdf.to_file(tmp, driver="GPKG", layer=layer, engine="pyogrio")
        else:
            gdf.to_file(tmp, driver="GeoJSON", engine="pyogrio")

    return write_atomic(target, write)
