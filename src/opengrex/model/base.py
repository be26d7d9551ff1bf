"""Shared pieces of the input models: strict base class, field metadata (:func:`veld`), year-keyed rate series,
path helpers.

Declare once, derive the rest (spec style.md §14): a field's Dutch label, unit, help text and confidentiality are
declared on the model with :func:`veld`; the web form, the Excel layout, the redaction for viewers and the API
schema are derived from it. User-facing document keys are Dutch: a field whose Python name is English carries
its Dutch key as ``alias`` (``amount: float = veld(label="Bedrag", alias="bedrag")``); both spellings load, the
Dutch one is written.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from opengrex.errors import InputError


class StrictModel(BaseModel):
    """Base of every input model: unknown keys are an error (``extra="forbid"``)."""

    model_config = ConfigDict(
        extra="forbid",
        validate_by_name=True,  # the old (English) spelling of a key still loads ...
        validate_by_alias=True,  # ... next to its Dutch alias
        serialize_by_alias=True,  # and the Dutch key is what is written
        allow_inf_nan=False,  # NaN/inf: an input error
    )


VERTROUWELIJK = "vertrouwelijk"
"""``json_schema_extra`` key marking a confidential field: viewers and public reports never see its value."""
EENHEID = "eenheid"
"""``json_schema_extra`` key with the unit shown next to a field (``EUR prijspeil``, ``%``, ``m²``, ``jaar``)."""


def veld(default: Any = ..., *, label: str, eenheid: str | None = None, help: str | None = None,
         vertrouwelijk: bool = False, alias: str | None = None, **kwargs: Any) -> Any:
    """A model field with its user-facing metadata: Dutch ``label`` (the JSON schema ``title``), ``eenheid``,
    ``help`` text (``description``), whether it is ``vertrouwelijk``, and its Dutch key (``alias``) when the
    Python name differs. Other keyword arguments go to :func:`pydantic.Field` (``default_factory``, ``ge``, …)."""
    extra: dict[str, Any] = {}
    if eenheid is not None:
        extra[EENHEID] = eenheid
    if vertrouwelijk:
        extra[VERTROUWELIJK] = True
    if alias is not None:
        kwargs["alias"] = alias
    if "default_factory" in kwargs and default is ...:
        return Field(title=label, description=help, json_schema_extra=extra or None, **kwargs)
    return Field(default, title=label, description=help, json_schema_extra=extra or None, **kwargs)


@dataclass(frozen=True)
class Embeds:
    """``Annotated`` metadata of a plain-data field that holds a whole document of another kind inline, e.g. a
    kostenverhaal party's grex: ``inline: Annotated[dict[str, Any] | None, Embeds(Grex)]``. Validation stays with the
    field's own type; :mod:`opengrex.model.redact` walks the embedded document with ``model``'s schema, so its
    confidential fields are found at any depth."""

    model: type[BaseModel]


@dataclass(frozen=True)
class Eenheid:
    """``Annotated`` metadata giving a type its unit where it is used without a field of its own (the rates inside
    ``dict[str, RateSeries]``): the form reads and writes the values in this unit (``%``: ``3,5%`` is 0.035)."""

    eenheid: str


@dataclass(frozen=True)
class Product:
    """A relation declared on a model (``relaties``): field ``uitkomst`` is the product of the two ``factoren``
    when both are given (``amount = hoeveelheid × eenheidsprijs``); the form shows the product live."""

    uitkomst: str
    factoren: tuple[str, str]


@dataclass(frozen=True)
class Verdeling:
    """A relation declared on a model (``relaties``): the per-year field ``veld`` spreads the field ``over`` over
    the years, as shares summing to 1 or amounts summing to it (a grex line's ``phasing`` spreads its ``amount``);
    the year grid totals it in euros and spreads it evenly or by percentages."""

    veld: str
    over: str


@dataclass(frozen=True)
class Groepering:
    """A relation declared on a model (``relaties``): the items of a list of this model are grouped by the labels
    in ``velden`` (``fase``, ``deelgebied``), with subtotals of ``som`` per group in the form and the results."""

    velden: tuple[str, ...]
    som: str


RateSeries = Annotated[float | dict[int, float], Eenheid("%")]
"""A rate per calendar year (``{2025: 0.035, 2026: 0.03}``) or one rate for every year. The last rate given holds
for later years ("2026 e.v."); the first rate given also holds for earlier years."""


def path_text(path: tuple) -> str:
    """``("kosten", 2, "phasing")`` -> ``"kosten[2].phasing"``."""
    out = ""
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + str(p)
    return out


def error(path: tuple, message: str, value: Any = None, allowed: str | None = None) -> InputError:
    """An :class:`InputError` for the field at ``path`` in the input document."""
    return InputError(message, field=path_text(path), value=value, allowed=allowed, path=path)


def rate_on_years(series: RateSeries, years: range) -> list[float]:
    """Expand a :data:`RateSeries` to one rate per year of ``years``."""
    if isinstance(series, (int, float)):
        return [float(series)] * len(years)
    known = sorted(series.items())
    out = []
    for y in years:
        rate = known[0][1]
        for k, v in known:
            if k <= y:
                rate = v
            else:
                break
        out.append(float(rate))
    return out


def check_rates(series: RateSeries, path: tuple) -> list[InputError]:
    """Rates must be > -100% (a factor ``1 + r`` of zero or less has no meaning)."""
    items = [(None, series)] if isinstance(series, (int, float)) else list(series.items())
    if not items:  # an empty {} has no rate for any year
        return [error(path, "geen percentage opgegeven", series, "één percentage, of percentages per jaar zoals {2025: 0.02}")]
    errs = []
    for year, rate in items:
        if rate <= -1.0:
            p = path if year is None else path + (year,)
            errs.append(error(p, "percentage moet groter zijn dan -100%", rate, "> -1,0 (als fractie, bijv. 0.02 = 2%)"))
    return errs
