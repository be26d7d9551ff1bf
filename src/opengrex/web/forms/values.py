"""Numbers, percentages and dates as people type them in a Dutch form, and back — exactly.

Reading (``parse_*``) raises :class:`Unreadable` with a Dutch message and what is allowed; the form shows it next to
the field. Writing (``fmt_*``) never loses a digit: ``parse_number(fmt_number(x)) == x`` for every finite float
within :data:`MAX_AMOUNT`, and ``parse_rate(fmt_rate(r)) == r`` (decimal arithmetic, no float drift), so saving an
unchanged form never shows up as a change.

nl-NL notation: ``1.234.567,89``. A dot followed by groups of exactly three digits is a thousands separator
(``1.500`` is fifteen hundred), any other single dot is a decimal point (``0.035``, ``1234567.89``). Ambiguous input
is refused with a question instead of guessed: ``1,500`` (one and a half, or fifteen hundred written the English
way?) and ``1,234.56`` (English order of separators).
"""
from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

MAX_AMOUNT = 1e12
"""The largest number a form accepts (in absolute value): € 1.000.000.000.000 (10^12) — far above any area
development budget, far below where float64 cents stop being exact. ``1e20`` is refused with a message."""

_THOUSANDS = re.compile(r"^-?[1-9]\d{0,2}(\.\d{3})+$")
_NL_GROUPED = re.compile(r"^-?[1-9]\d{0,2}(\.\d{3})*,\d+$")
_AMBIGUOUS_COMMA = re.compile(r"^-?[1-9]\d{0,2},\d{3}$")
_PLAIN = re.compile(r"^-?(\d+)(\.\d+)?([eE][-+]?\d+)?$")


class Unreadable(ValueError):
    """A typed value that cannot be read: ``message`` (Dutch) and ``allowed`` (what may be typed)."""

    def __init__(self, message: str, allowed: str) -> None:
        super().__init__(message)
        self.message = message
        self.allowed = allowed


NUMBER_HINT = "een getal in Nederlandse notatie, bijv. 1.250.000 of 1.250.000,50"
RATE_HINT = "een percentage met %-teken, bijv. 3,5% (of als fractie 0,035)"
INTEGER_HINT = "een geheel getal, bijv. 2025"


def _clean(text: str) -> str:
    return str(text).strip().replace("€", "").replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("\u2212", "-")


def _decimal(text: str, hint: str = NUMBER_HINT) -> Decimal:
    """The typed number as an exact :class:`Decimal` (nl-NL rules of this module); :class:`Unreadable` otherwise."""
    s = _clean(text)
    if not s:
        raise Unreadable("veld is leeg", hint)
    if s.startswith("+"):
        s = s[1:]
    if "." in s and "," in s:
        if s.rfind(".") > s.rfind(","):
            raise Unreadable(f"'{text.strip()}' is in Engelse notatie: bedoelt u {_swap(s)}?", "Nederlandse notatie: punt voor duizendtallen, komma voor decimalen (1.234,56)")
        if not _NL_GROUPED.match(s):
            raise Unreadable("geen geldig getal", hint)
        s = s.replace(".", "").replace(",", ".")
    elif "," in s:
        if s.count(",") > 1:
            raise Unreadable("geen geldig getal", hint)
        if _AMBIGUOUS_COMMA.match(s):
            whole, frac = s.split(",")
            decimal = f"{whole},{frac.rstrip('0') or '0'}"
            raise Unreadable(f"'{text.strip()}' is dubbelzinnig: bedoelt u {whole}.{frac} of {decimal}?",
                             f"schrijf {whole}.{frac} voor {int(whole + frac)}, of {decimal} voor een kommagetal")
        s = s.replace(",", ".")
    elif _THOUSANDS.match(s):
        s = s.replace(".", "")
    if not _PLAIN.match(s):
        raise Unreadable("geen geldig getal", hint)
    try:
        d = Decimal(s)
    except InvalidOperation:
        raise Unreadable("geen geldig getal", hint) from None
    if not d.is_finite():
        raise Unreadable("geen eindig getal", hint)
    return d


def _swap(s: str) -> str:
    return s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _bounded(value: float, text: str, limit: float = MAX_AMOUNT) -> float:
    if not math.isfinite(value) or abs(value) > limit:
        raise Unreadable("getal te groot (meer dan 10^12)", f"hoogstens {fmt_number(limit)} in absolute waarde")
    return value


def parse_number(text: str) -> float:
    """A number typed the Dutch way: ``1.234.567,89``, ``1234567.89``, ``-0,5``, ``€ 1.500``.

    :class:`Unreadable` (a ``ValueError``) for text that is no number, an ambiguous one (``1,500``, ``1,234.56``) or
    one larger than :data:`MAX_AMOUNT`.
    """
    return _bounded(float(_decimal(text)), text)


def parse_integer(text: str) -> int:
    """A whole number: ``2025``, ``1.200`` (thousands separator), ``-3``; ``2,5`` is refused."""
    d = _decimal(text, INTEGER_HINT)
    if d != d.to_integral_value():
        raise Unreadable("geen geheel getal", INTEGER_HINT)
    _bounded(float(d), text)
    return int(d)


def parse_rate(text: str) -> float:
    """A percentage: ``3,5%`` -> 0.035 (divided in decimal, so 4,68% is exactly 0.0468); a fraction without ``%``
    (``0,035``) is accepted too. A bare number of 1 or more (``3``) is refused: 3% or 300%?"""
    s = _clean(text)
    if s.endswith("%"):
        body = s[:-1]
        d = _decimal_rate(body, text)
        return _bounded(float(d / 100), text)
    d = _decimal_rate(s, text)
    if abs(d) >= 1:
        raise Unreadable(f"percentage zonder %-teken: bedoelt u {s}%?", RATE_HINT)
    return float(d)


def _decimal_rate(body: str, text: str) -> Decimal:
    """A percentage's number: a comma or a dot is the decimal separator (``2,125%``, ``2.125%``: percentages have
    no thousands); both may be given the Dutch way (``1.250,5%``)."""
    s = _clean(body)
    if s.startswith("+"):
        s = s[1:]
    if "." in s and "," in s:
        if s.rfind(".") > s.rfind(",") or not _NL_GROUPED.match(s):
            raise Unreadable("geen geldig percentage", RATE_HINT)
        s = s.replace(".", "").replace(",", ".")
    elif s.count(",") == 1:
        s = s.replace(",", ".")
    if not s or not _PLAIN.match(s):
        raise Unreadable("geen geldig percentage", RATE_HINT)
    return Decimal(s)


def parse_share_or_amount(text: str) -> float:
    """A cell of a year grid: ``60%`` is a share (0.6), anything else an amount."""
    s = _clean(text)
    return parse_rate(s) if s.endswith("%") else parse_number(s)


def fmt_number(value: float) -> str:
    """A number for an input field: nl-NL separators, every digit kept (``9500000`` -> ``9.500.000``,
    ``1234.5`` -> ``1.234,5``). Never ambiguous for :func:`parse_number`: ``1.234`` is written ``1,2340``."""
    v = float(value)
    d = Decimal(repr(v)) if v != int(v) or abs(v) >= 1e15 else Decimal(int(v))
    text = format(d, "f")
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    frac = frac.rstrip("0")
    grouped = f"{int(whole):,d}".replace(",", ".")
    if not frac:
        return f"{sign}{grouped}" if grouped != "0" or not sign else "0"
    if len(frac) == 3 and "." not in grouped and grouped != "0":
        frac += "0"  # '1,234' would be ambiguous (fifteen hundred?), '1,2340' is not
    return f"{sign}{grouped},{frac}"


def fmt_integer(value: int) -> str:
    """A whole number without thousands separators (years, counts): ``2025``."""
    return str(int(value))


def fmt_rate(value: float) -> str:
    """A fraction as a percentage without rounding loss: ``0.035`` -> ``3,5%`` (decimal arithmetic)."""
    d = (Decimal(repr(float(value))) * 100).normalize()
    text = format(d, "f")
    if text in ("-0", "0"):
        text = "0"
    return text.replace(".", ",") + "%"


def fmt_share_or_amount(value: float, shares: bool) -> str:
    """A year-grid cell: a share as a percentage (``60%``), an amount as a number."""
    return fmt_rate(value) if shares else fmt_number(value)


__all__ = [
    "MAX_AMOUNT", "Unreadable", "fmt_integer", "fmt_number", "fmt_rate", "fmt_share_or_amount", "parse_integer", "parse_number",
    "parse_rate", "parse_share_or_amount",
]
