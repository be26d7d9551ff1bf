"""Presentation helpers: the one place where numbers are rounded and formatted (nl-NL).

``eur(1234567.891)`` -> ``'€ 1.234.568'``; ``eur(1234567.891, 2)`` -> ``'€ 1.234.567,89'``.
"""
from __future__ import annotations

import datetime as dt
import math
import re
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


def pct(value: float | None, decimals: int = 2) -> str:
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


# ---------------------------------------------------------------------------------------------- table cells
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PCT_COLUMNS = ("aandeel", "telt_mee", "grondquote", "rentepercentage", "kans", "percentage", "drempel", "voet", "_pct", "btw", "hardheid")
_FACTOR_COLUMNS = ("wegingsfactor", "factor")
_COUNT_COLUMNS = ("woningen", "aantal", "trekkingen", "volgorde", "dagen")
_DECIMAL_COLUMNS = ("eenheden",)


def column_unit(column: str, value: Any = None) -> str:
    """What a result-table column holds, judged by its name (and the value): ``jaar`` (a calendar year), ``%`` (a
    share or rate), ``factor`` (4 decimals), ``decimaal`` (2 decimals), ``aantal`` (a count), ``tekst`` or ``EUR``
    (the default: amounts in whole euros). One rule for the pages, the reports and the exports."""
    col = str(column).lower()
    if value is None or isinstance(value, (str, bool)) or not isinstance(value, (int, float)) and not hasattr(value, "item"):
        return "tekst"
    v = float(value)
    if "jaar" in col and v == round(v) and abs(v) <= 9999:
        return "jaar"
    if any(k in col for k in _PCT_COLUMNS) and abs(v) <= 1.5 and "bedrag" not in col:  # "aandeel_ncw" in euros stays money
        return "%"
    if any(k in col for k in _FACTOR_COLUMNS) or col.startswith("waarde_"):  # factors; tornado input values (mixed units)
        return "factor"
    if any(k in col for k in _DECIMAL_COLUMNS):
        return "decimaal"
    if any(k in col for k in _COUNT_COLUMNS) or col.startswith(("nieuw_", "bestaande_")):
        return "aantal"
    return "EUR"


def format_by_unit(value: Any, unit: str | None) -> str:
    """A table value as text by its unit (:func:`column_unit`, or a field's ``eenheid`` such as ``EUR prijspeil``,
    ``%``, ``jaar``, ``m²``): euros whole, percentages with 2 decimals, years without separators, a date as
    ``31-12-2025``; ``None`` as ``–``. One rule for the pages, reports, the version comparison and the upload preview."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "ja" if value else "nee"
    if isinstance(value, dt.date) or isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return date_nl(value)
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        value = value.item()
    if isinstance(value, dict):
        return "; ".join(f"{k}: {format_by_unit(v, unit)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return "; ".join(format_by_unit(v, unit) for v in value)
    if not isinstance(value, (int, float)):
        return str(value)
    u = (unit or "").strip()
    v = float(value)
    if u == "jaar" and v == round(v):
        return str(int(v))
    if u == "%":
        return pct(v)
    if u == "factor":
        return number(v, 4)
    if u == "decimaal":
        return number(v, 2)
    if u == "aantal":
        return number(v, 0) if v == round(v) else number(v, 2)
    if u.startswith(("EUR", "€")):
        return eur(v)
    if u in ("tekst", "", "-", "datum"):
        return number(v, 0) if v == round(v) else number(v, 6).rstrip("0").rstrip(",")
    return f"{number(v, 0) if v == round(v) else number(v, 2)} {u}"  # m², woningen, ...


def is_negative(value: Any, unit: str) -> bool:
    """Whether a table value shows as negative (red on pages) after rounding for display."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or unit in ("jaar", "tekst"):
        return False
    decimals = {"%": 4, "factor": 4, "decimaal": 2}.get(unit, 0)
    return round(float(value), decimals) < 0


def date_nl(value: Any) -> str:
    """A date as users read it: ``31-12-2025`` (a datetime with the time, ``31-12-2025 14:05``); ISO text is
    converted, other text is returned as it is."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return "" if value is None else str(value)


def size_nl(n_bytes: int) -> str:
    """A file size as users read it: ``5 MB``, ``64 kB``, ``1,5 MB`` (1 MB = 1024 × 1024 bytes, as the upload limit)."""
    if n_bytes >= 1024 * 1024:
        return f"{number(n_bytes / 1024 / 1024, 1).removesuffix(',0')} MB"
    if n_bytes >= 1024:
        return f"{number(n_bytes / 1024, 1).removesuffix(',0')} kB"
    return f"{n_bytes} bytes"


ABBREVIATIONS = {"ncw": "NCW", "irr": "IRR", "woz": "WOZ", "bbv": "BBV", "ptp": "PTP", "btw": "btw", "sok": "SOK"}


def column_label(key: object) -> str:
    """A column key as a table header: ``aandeel_ncw`` → ``Aandeel NCW``, ``garantie Garantie tekort`` → ``Garantie
    tekort`` (a type word repeated by the name is said once)."""
    words = str(key).replace("_", " ").split()
    if len(words) > 1 and words[0].lower() == words[1].lower():
        words = words[1:]
    words = [ABBREVIATIONS.get(w.lower(), w) for w in words]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def summary_parts(data: dict[str, Any]) -> tuple[list[tuple[str, str, Any]], list[tuple[str, str, list[dict[str, Any]]]]]:
    """A kind's plain-data summary split for presentation: ``values`` as ``(label, key, value)`` (mappings flattened
    into ``"Parent · Child"`` labels; a list of plain values stays a list) and ``tables`` as ``(label, key, records)``
    for every list of mappings. The generic page and the generic report both show a summary this way."""
    values: list[tuple[str, str, Any]] = []
    tables: list[tuple[str, str, list[dict[str, Any]]]] = []

    def walk(prefix: str, key: str, v: Any) -> None:
        name = f"{prefix}{column_label(key)}"
        if isinstance(v, dict):
            for kk, vv in v.items():
                walk(f"{name} · ", str(kk), vv)
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            tables.append((name, key, v))
        else:
            values.append((name, key, v))

    for k, v in data.items():
        walk("", str(k), v)
    return values, tables
