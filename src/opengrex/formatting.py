"""Presentation helpers: the one place where numbers are rounded and formatted (nl-NL).

``eur(1234567.891)`` -> ``'€ 1.234.568'``; ``eur(1234567.891, 2)`` -> ``'€ 1.234.567,89'``.
"""
from __future__ import annotations

import math

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
