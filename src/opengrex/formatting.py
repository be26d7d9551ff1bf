"""Presentation helpers: the one place where numbers are rounded and formatted (nl-NL).

``eur(1234567.891)`` -> ``'€ 1.234.568'``; ``eur(1234567.891, 2)`` -> ``'€ 1.234.567,89'``.
"""
from __future__ import annotations

import math
from typing import Any

EXCEL_EUR_FORMAT = '"€ "#,##0.00;"€ "-#,##0.00'
"""The Excel number format of money cells in every workbook opengrex writes (the separators follow the user's
locale, e.g. nl-NL)."""


def number(value: float, decimals: int = 0) -> str:
    """Format ``value`` with nl-NL separators: '.' for thousands, ',' for decimals; '−' minus sign as '-'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    rounded = round(float(value), decimals)
    if rounded == 0:
        rounded = 0.0  # no "-0"
    text = f"{rounded:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def eur(value: float, decimals: int = 0) -> str:
    """Format an amount in euros, nl-NL: ``€ 1.234.567,89`` (negative: ``€ -1.234``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"€ {number(value, decimals)}"


def pct(value: float, decimals: int = 2) -> str:
    """Format a fraction as a percentage, nl-NL: ``0.035`` -> ``'3,50%'``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{number(value * 100.0, decimals)}%"


def round_money(value: float, decimals: int = 2) -> float:
    """Round half away from zero to cents (legal amounts); engine values stay unrounded."""
    q = 10.0**decimals
    return math.copysign(math.floor(abs(value) * q + 0.5) / q, value)


def procent(value: float, decimals: int | None = None) -> str:
    """A fraction as a Dutch percentage with a space, for explanations: ``0.02`` -> ``'2 %'``, ``0.035`` ->
    ``'3,5 %'``, ``1/3`` -> ``'33,3333 %'``; ``decimals`` fixes the number of decimals (default: as many as
    needed, at most 4)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if decimals is not None:
        return f"{number(value * 100.0, decimals)} %"
    text = number(value * 100.0, 4)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return f"{text} %"
def format_value(value: Any, eenheid: str = "-") -> str:
    """A value of an explanation as users read it, by its unit: ``EUR …`` as euros with cents, ``%`` as a
    percentage, ``jaar`` as a year, otherwise a plain nl-NL number (up to 6 decimals); lists and mappings item by item."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if hasattr(value, "item") and not isinstance(value, (list, dict)):
        value = value.item()
    if isinstance(value, dict):
        return "; ".join(f"{k}: {format_value(v, eenheid)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return "; ".join(format_value(v, eenheid) for v in value)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isnan(value):
            return "–"
        unit = eenheid.strip()
        if unit.startswith(("EUR", "€")):
            return eur(value, 2)
        if unit == "%":
            text = pct(value, 4).replace("%", "").rstrip("0").rstrip(",")
            return f"{text}%"
        if unit == "jaar" and float(value).is_integer():
            return str(int(value))
        if isinstance(value, int):
            return number(value, 0)
        return number(value, 6).rstrip("0").rstrip(",") or "0"
    return str(value)


def unit_text(eenheid: str) -> str:
    """A unit as shown next to a value: ``EUR contant per 2025-01-01`` -> ``€ contant per 01-01-2025``."""
    import re

    text = eenheid.replace("EUR", "€")
    return re.sub(r"(\d{4})-(\d{2})-(\d{2})", lambda m: f"{m.group(3)}-{m.group(2)}-{m.group(1)}", text) if text not in ("-", "%", "€") else ""


def format_cell(column: str, value: Any) -> str:
    """A cell of a table inside an explanation, by what its column holds: years without separators, shares and
    rates as percentages, factors as plain numbers, other amounts as euros with cents."""
    if value is None or isinstance(value, (str, bool)) or not isinstance(value, (int, float)):
        return format_value(value)
    col = column.lower()
    if "jaar" in col and float(value).is_integer() and abs(value) < 10_000:
        return str(int(value))
    if any(k in col for k in ("percentage", "pct", "voet", "aandeel", "kans")) and abs(value) <= 1.5 and "bedrag" not in col:
        return format_value(value, "%")
    if any(k in col for k in ("factor", "index", "woningen", "aantal", "dagen")):
        return format_value(value, "-")
    if isinstance(value, int):
        return number(value, 0)
    return eur(value, 2)
