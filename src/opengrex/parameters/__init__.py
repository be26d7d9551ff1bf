"""Legal and policy parameters as dated data, each value with its source (bron).

A *parameterset* (Dutch: parameterset kostenverhaal) holds everything a municipality's Nota Kostenverhaal fixes:
the tree of kostenverhaalsgebieden, the doelgroepen norm per area, grondquotes, btw, the hardness weights and the
eindafrekening threshold. Sets are stored as one YAML file per version::

    src/opengrex/parameters/kostenverhaal/<naam>/<YYYY-MM-DD>.yaml

where the file name is the date the version comes into force (``geldig_vanaf``; the OpenFisca convention of
values keyed by start date, one file per start date so that a new version is a new file and old cases stay
reproducible). :func:`load_parameter_set` returns the version in force at a peildatum.

Every value is written ``{value: ..., bron: {document, paragraaf, pagina, citaat}}``;
:meth:`ParameterSet.source_of` gives the bron of any value by its dotted key (``"grondquote.duur"``).

A user copies a set for another municipality by copying the folder, either inside this package or into a folder
listed in the environment variable ``OPENGREX_PARAMETERS_PATH`` (``os.pathsep``-separated; each folder holds
``kostenverhaal/<naam>/<datum>.yaml``). In documents that come in through the web app a set is chosen by NAME only
(:data:`NAME_PATTERN`: letters, digits, ``_`` and ``-``), so a document can never make the server read another
folder; on the command line a set name may also be a path to a set folder.

Optional sections (``gemiddelde_woz``, ``bijdrage_fysieke_leefomgeving``, ``woningvoorraad``, ``aanvullend``) let
other capabilities add data to a set without changing this schema.

Single dated parameters (rate tables, default terms) live in ``parameters/<topic>/<naam>.yaml``
(:mod:`opengrex.parameters.dated`, :mod:`opengrex.parameters.rente`). Everything here is read by the package's own
strict loader (:mod:`opengrex.parameters.loader`): the parameters sit below every other layer and import none.

References
----------
.. [1] Nota Kostenverhaal gemeente Soest 2023 (seed 002), §4.1, §4.2, §4.4.1, bijlage A4.
.. [2] OpenFisca parameters: values keyed by start date, each with a reference.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, create_model, field_validator, model_validator

from opengrex.codes.segmenten import HARDHEDEN, SEGMENTEN
from opengrex.errors import InputError
from opengrex.parameters.dated import dated_path, load_dated
from opengrex.parameters.loader import NAME_PATTERN, check_name, file_references_allowed, load_model, validate

__all__ = [
    "Bron",
    "Sourced",
    "Gebied",
    "NormGroep",
    "ParameterSet",
    "ParameterSetInfo",
    "SEGMENTEN",
    "HARDHEDEN",
    "load_parameter_set",
    "list_parameter_sets",
    "parameter_set_from_dict",
    "parameter_set_path",
    "search_paths",
    "termijn",
    "NAME_PATTERN",
    "check_name",
]

TOPIC = "kostenverhaal"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bron(_Frozen):
    """Source of one parameter value: document, section (paragraaf), page and a quote to find it."""

    document: str
    paragraaf: str
    pagina: int | str | None = None
    citaat: str | None = None

    def text(self) -> str:
        page = f", p. {self.pagina}" if self.pagina not in (None, "") else ""
        return f"{self.document}, {self.paragraaf}{page}"


class Sourced(_Frozen):
    """A value with its bron."""

    value: Any
    bron: Bron


class Gebied(_Frozen):
    """A kostenverhaalsgebied in the area tree (e.g. Kern Soest, which lies in Gemeente Soest)."""

    code: str
    naam: str
    ligt_in: str | None = None


class NormGroep(_Frozen):
    """One group of the doelgroepen norm: segments that together must make at least ``aandeel`` of the homes.

    The last group of a norm takes the rest (in Soest: duur)."""

    segmenten: tuple[str, ...]
    aandeel: float

    @field_validator("segmenten")
    @classmethod
    def _segments(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        bad = [s for s in v if s not in SEGMENTEN]
        if bad or not v:
            raise ValueError(f"onbekend segment {bad}; toegestaan: {', '.join(SEGMENTEN)}")
        return v


_Weights = create_model("_Weights", __base__=_Frozen, **{h: (Sourced, ...) for h in HARDHEDEN})  # type: ignore[call-overload]
"""One sourced weight per hardness category (codes.segmenten.HARDHEDEN)."""
_PerSegment = create_model("_PerSegment", __base__=_Frozen, **{s: (Sourced, ...) for s in SEGMENTEN})  # type: ignore[call-overload]
"""One sourced value per woonsegment (codes.segmenten.SEGMENTEN)."""


class ParameterSet(_Frozen):
    """One dated version of a parameterset kostenverhaal (frozen; copy with ``model_copy(update=...)``)."""

    naam: str
    titel: str
    gemeente: str
    geldig_vanaf: dt.date
    toelichting: str | None = None
    gebieden: Sourced
    doelgroepen_norm: dict[str, Sourced]
    grondquote: _PerSegment
    btw: Sourced
    hardheid_investeringen: _Weights
    hardheid_plancapaciteit: _Weights
    eindafrekening_drempel: Sourced
    tussentijdse_eindafrekening_jaren: Sourced | None = None
    """Years after payment from which a tussentijdse eindafrekening may be asked; without it: :func:`termijn`."""
    planschade_afrekening_jaren: Sourced | None = None
    """Years after the decision became final when planschade is settled; without it: :func:`termijn`."""
    # optional sections other capabilities may add (schema kept open on purpose)
    gemiddelde_woz: dict[str, Sourced] | None = None
    bijdrage_fysieke_leefomgeving: dict[str, Any] | None = None
    woningvoorraad: dict[str, Any] | None = None
    aanvullend: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check(self) -> ParameterSet:
        areas = self.areas()
        codes = [a.code for a in areas]
        if len(set(codes)) != len(codes):
            raise ValueError(f"gebieden: dubbele code in {codes}")
        for a in areas:
            if a.ligt_in is not None and a.ligt_in not in codes:
                raise ValueError(f"gebieden: '{a.code}' ligt_in onbekend gebied '{a.ligt_in}'; bekend: {', '.join(codes)}")
        for a in areas:  # no cycles
            seen, cur = set(), a
            while cur.ligt_in is not None:
                if cur.code in seen:
                    raise ValueError(f"gebieden: kringverwijzing bij '{a.code}'")
                seen.add(cur.code)
                cur = self._area_by_code(cur.ligt_in)
        for code, norm in self.doelgroepen_norm.items():
            if code not in codes:
                raise ValueError(f"doelgroepen_norm: onbekend gebied '{code}'; bekend: {', '.join(codes)}")
            groups = [NormGroep.model_validate(g) for g in norm.value]
            total = sum(g.aandeel for g in groups)
            if abs(total - 1.0) > 1e-9:
                raise ValueError(f"doelgroepen_norm.{code}: aandelen tellen op tot {total:.4f}, moet 1,0 (100%) zijn")
            segs = [s for g in groups for s in g.segmenten]
            if sorted(segs) != sorted(SEGMENTEN):
                raise ValueError(f"doelgroepen_norm.{code}: elk segment ({', '.join(SEGMENTEN)}) precies één keer, gegeven {segs}")
            if any(g.aandeel < 0 for g in groups):
                raise ValueError(f"doelgroepen_norm.{code}: negatief aandeel")
        for key in [f"grondquote.{s}" for s in SEGMENTEN] + ["btw"]:
            v = self.value_of(key)
            if not isinstance(v, (int, float)) or v < 0 or v >= 1.0 and key != "btw":
                raise ValueError(f"{key}: {v!r} is geen fractie tussen 0 en 1")
        return self

    # ---- lookups
    def areas(self) -> list[Gebied]:
        """The area tree as a flat list (kostenverhaalsgebieden)."""
        return [Gebied.model_validate(a) for a in self.gebieden.value]

    def _area_by_code(self, code: str) -> Gebied:
        for a in self.areas():
            if a.code == code:
                return a
        raise KeyError(code)

    def area(self, name_or_code: str) -> Gebied:
        """Find an area by code or name (case-insensitive); unknown → :class:`InputError` listing the areas."""
        key = str(name_or_code).strip().lower()
        for a in self.areas():
            if key in (a.code.lower(), a.naam.lower()):
                return a
        raise InputError(
            "onbekend gebied",
            field="gebied",
            value=name_or_code,
            allowed=", ".join(f"{a.naam} ({a.code})" for a in self.areas()) + f" (parameterset {self.naam} {self.geldig_vanaf})",
        )

    def areas_containing(self, name_or_code: str) -> list[Gebied]:
        """The area and every area it lies in, innermost first (a plan in Kern Soest pays Kern Soest and Gemeente
        Soest, §4.1 stap 6)."""
        a = self.area(name_or_code)
        out = [a]
        while a.ligt_in is not None:
            a = self._area_by_code(a.ligt_in)
            out.append(a)
        return out

    def norm_for(self, name_or_code: str) -> tuple[str, list[NormGroep]] | None:
        """The doelgroepen norm in force for an area (its own, else the nearest enclosing area's); None if none."""
        for a in self.areas_containing(name_or_code):
            if a.code in self.doelgroepen_norm:
                return a.code, [NormGroep.model_validate(g) for g in self.doelgroepen_norm[a.code].value]
        return None

    def grondquotes(self) -> dict[str, float]:
        return {s: float(getattr(self.grondquote, s).value) for s in SEGMENTEN}

    def _node(self, key: str) -> Any:
        node: Any = self
        for part in key.split("."):
            if isinstance(node, BaseModel) and part in type(node).model_fields:
                node = getattr(node, part)
            elif isinstance(node, dict) and part in node:
                node = node[part]
            else:
                raise InputError("onbekende parameter", field="key", value=key, allowed=", ".join(self.keys()))
        return node

    def keys(self) -> list[str]:
        """Every dotted key that has a value with a bron."""
        out: list[str] = []

        def walk(node: Any, prefix: str) -> None:
            if isinstance(node, Sourced):
                out.append(prefix)
            elif isinstance(node, dict) and set(node) >= {"value", "bron"}:
                out.append(prefix)
            elif isinstance(node, BaseModel):
                for f in type(node).model_fields:
                    walk(getattr(node, f), f"{prefix}.{f}" if prefix else f)
            elif isinstance(node, dict):
                for k, v in node.items():
                    walk(v, f"{prefix}.{k}" if prefix else str(k))

        walk(self, "")
        return out

    def value_of(self, key: str) -> Any:
        """The value of a dotted key (``"grondquote.duur"`` → 0.38)."""
        node = self._node(key)
        if isinstance(node, Sourced):
            return node.value
        if isinstance(node, dict) and "value" in node:
            return node["value"]
        raise InputError("parameter heeft geen enkele waarde", field="key", value=key, allowed=", ".join(self.keys()))

    def source_of(self, key: str) -> Bron:
        """The bron of a dotted key (``"grondquote.duur"`` → Nota Kostenverhaal Soest 2023, §4.4.1 tabel 6)."""
        node = self._node(key)
        if isinstance(node, Sourced):
            return node.bron
        if isinstance(node, dict) and "bron" in node:
            return Bron.model_validate(node["bron"])
        raise InputError("parameter heeft geen bron", field="key", value=key, allowed=", ".join(self.keys()))

    def table(self) -> list[dict[str, Any]]:
        """Every value with its bron, as rows (what ``opengrex kostenverhaal parameters`` prints)."""
        rows = []
        for k in self.keys():
            b = self.source_of(k)
            rows.append({"parameter": k, "waarde": self.value_of(k), "document": b.document, "paragraaf": b.paragraaf, "pagina": b.pagina, "citaat": b.citaat})
        return rows

    def to_dict(self) -> dict[str, Any]:
        """Plain data, ready for YAML/JSON (round-trips through :func:`parameter_set_from_dict`)."""
        return self.model_dump(mode="json", exclude_none=True)

    @property
    def label(self) -> str:
        return f"{self.naam} (geldig vanaf {self.geldig_vanaf.isoformat()})"

    def bron_tekst(self, key: str) -> str:
        """The bron of ``key`` as one line, with the set it comes from (for explanations)."""
        return f"{self.source_of(key).text()} [parameterset {self.label}]"


@dataclass(frozen=True)
class ParameterSetInfo:
    """A set on disk: name, folder and the start dates of its versions (sorted)."""

    naam: str
    map: Path
    versies: tuple[dt.date, ...]


def search_paths() -> list[Path]:
    """Folders searched for ``kostenverhaal/<naam>/``: ``OPENGREX_PARAMETERS_PATH`` first, then the package."""
    extra = [Path(p) for p in os.environ.get("OPENGREX_PARAMETERS_PATH", "").split(os.pathsep) if p.strip()]
    return extra + [Path(__file__).resolve().parent]


def _versions(folder: Path) -> tuple[dt.date, ...]:
    out = []
    for f in folder.glob("*.yaml"):
        try:
            out.append(dt.date.fromisoformat(f.stem))
        except ValueError:
            raise InputError("bestandsnaam van een parameterset moet een datum zijn", location=str(f), value=f.name, allowed="JJJJ-MM-DD.yaml") from None
    return tuple(sorted(out))


def list_parameter_sets() -> list[ParameterSetInfo]:
    """Every parameterset kostenverhaal found on the search paths (first occurrence of a name wins)."""
    seen: dict[str, ParameterSetInfo] = {}
    for base in search_paths():
        root = base / TOPIC
        if not root.is_dir():
            continue
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            if folder.name not in seen:
                versions = _versions(folder)
                if versions:
                    seen[folder.name] = ParameterSetInfo(folder.name, folder, versions)
    return list(seen.values())


def _find(name: str) -> ParameterSetInfo:
    if file_references_allowed() and isinstance(name, str) and (os.sep in name or "/" in name):
        p = Path(name)  # the command line: a set folder given by its path
        if p.is_dir():
            return ParameterSetInfo(p.name, p, _versions(p))
    check_name(name, "parameterset", [i.naam for i in list_parameter_sets()])
    for info in list_parameter_sets():
        if info.naam == name:
            return info
    avail = ", ".join(i.naam for i in list_parameter_sets()) or "(geen)"
    raise InputError("onbekende parameterset", field="parameterset", value=name, allowed=f"{avail} (een eigen set: een map in OPENGREX_PARAMETERS_PATH; op de opdrachtregel ook het pad naar een map met <datum>.yaml-bestanden)")


def parameter_set_path(name: str, peildatum: dt.date | None = None) -> Path:
    """The file of the version in force at ``peildatum`` (latest if None)."""
    info = _find(name)
    if not info.versies:
        raise InputError("parameterset heeft geen versies", field="parameterset", value=name, allowed="een set met <JJJJ-MM-DD>.yaml-bestanden")
    if peildatum is None:
        chosen = info.versies[-1]
    else:
        earlier = [d for d in info.versies if d <= peildatum]
        if not earlier:
            raise InputError(
                f"parameterset '{info.naam}' heeft geen versie die geldt op deze peildatum",
                field="peildatum",
                value=peildatum.isoformat(),
                allowed="op of na " + info.versies[0].isoformat() + " (versies: " + ", ".join(d.isoformat() for d in info.versies) + ")",
            )
        chosen = earlier[-1]
    return info.map / f"{chosen.isoformat()}.yaml"


def parameter_set_from_dict(data: dict[str, Any], source: str = "<invoer>") -> ParameterSet:
    """Validate a parameterset given as plain data; errors name the field."""
    return validate(ParameterSet, data, source)


@lru_cache(maxsize=64)
def _load_file(path: str, mtime: float) -> ParameterSet:
    ps = load_model(ParameterSet, path)
    stem = Path(path).stem
    if ps.geldig_vanaf.isoformat() != stem:
        raise InputError("geldig_vanaf moet gelijk zijn aan de bestandsnaam", location=path, field="geldig_vanaf", value=ps.geldig_vanaf.isoformat(), allowed=stem)
    return ps


def load_parameter_set(name: str, peildatum: dt.date | None = None) -> ParameterSet:
    """The version of parameterset ``name`` in force at ``peildatum`` (the latest version if ``peildatum`` is None).

    Unknown name or a peildatum before the first version: :class:`InputError` naming the field, the value and the
    sets/dates available."""
    if isinstance(peildatum, str):
        try:
            peildatum = dt.date.fromisoformat(peildatum)
        except ValueError:
            raise InputError("ongeldige datum", field="peildatum", value=peildatum, allowed="JJJJ-MM-DD") from None
    path = parameter_set_path(name, peildatum)
    return _load_file(str(path), path.stat().st_mtime)


TERMIJNEN: tuple[str, ...] = ("tussentijdse_eindafrekening_jaren", "planschade_afrekening_jaren")
"""The terms of the eindafrekening a set may give itself; otherwise ``parameters/eindafrekening/<naam>.yaml``."""


@dataclass(frozen=True)
class Termijn:
    """A term in whole years, with where it comes from (the set, or the dated default file)."""

    jaren: int
    bron: str
    peildatum: str
    """ISO date of the version used (the set's ``geldig_vanaf`` or the default's start date)."""


def termijn(ps: ParameterSet, naam: str, peildatum: dt.date) -> Termijn:
    """Term ``naam`` (one of :data:`TERMIJNEN`) in force at ``peildatum``: the set's own value when it has one,
    else the dated default of ``parameters/eindafrekening/<naam>.yaml`` (each with its source)."""
    if naam not in TERMIJNEN:
        raise InputError("onbekende termijn", field="termijn", value=naam, allowed=", ".join(TERMIJNEN))
    own = getattr(ps, naam)
    if own is not None:
        return Termijn(int(own.value), ps.bron_tekst(naam), ps.geldig_vanaf.isoformat())
    vanaf, entry = load_dated(dated_path("eindafrekening", naam, "termijn")).entry_on(peildatum, naam=naam, field="peildatum")
    return Termijn(int(entry.value), f"{entry.bron.title} [standaard parameters/eindafrekening/{naam}.yaml]", vanaf.isoformat())
