"""Shared pieces of the input models: strict base class, year-keyed rate series, path helpers."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from opengrex.errors import InputError


class StrictModel(BaseModel):
    """Base of every input model: unknown keys are an error (``extra="forbid"``)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)  # NaN/inf: an input error


RateSeries = float | dict[int, float]
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
