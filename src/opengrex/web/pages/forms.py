"""The grex edit form: a :class:`~opengrex.model.grex.Grex` to form fields and back, in nl-NL notation.

The form holds the whole grex (no hidden server state), so an edit, a recalculation and a save all start from the
same posted fields. Field names:

- general: ``name``, ``description``, ``prijspeil``, ``start_year``, ``end_year``, ``timing``, ``rente``,
  ``disconteringsvoet``, ``ncw_datum``, ``opening_book_value``, ``realised_through``;
- index series: ``ix`` (one hidden field per series, value a row id ``u``), ``u.naam``, ``u.reeks``;
- lines: ``regel`` (one hidden field per line, value a row id ``u``), ``u.sectie`` (``kosten``/``opbrengsten``),
  ``u.name``, ``u.soort`` (kostensoort or opbrengstsoort), ``u.amount``, ``u.index``, ``u.phasing``,
  ``u.realised``, ``u.note``.

Numbers are written the Dutch way (``1.234.567,89``; ``3,5%``); year series as ``2025: 60%; 2026: 40%``.
Errors name the form field (``k3.amount``) so the page can show each message next to its input.
"""
from __future__ import annotations

import math
import re
import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable

from opengrex.errors import InputError, InputErrors
from opengrex.engine.grex import phasing_is_shares
from opengrex.model.grex import Grex

GENERAL_FIELDS = (
    "name", "description", "prijspeil", "start_year", "end_year", "timing", "rente", "disconteringsvoet",
    "ncw_datum", "opening_book_value", "realised_through",
)
LINE_FIELDS = ("name", "soort", "amount", "index", "phasing", "realised", "note")
SECTIONS = ("kosten", "opbrengsten")
MAX_ROWS = 2000
"""Upper bound on lines per form (a guard against absurd posts, far above real plans)."""

_THOUSANDS = re.compile(r"^-?[1-9]\d{0,2}(\.\d{3})+$")
_YEAR_ITEM = re.compile(r"^\s*(\d{4})\s*[:=]\s*(.+?)\s*$")
_SPLIT_COMMA = re.compile(r",\s*(?=\d{4}\s*[:=])")


# ---------------------------------------------------------------------------------------------- numbers (nl-NL)
def _canonical(text: str) -> str:
    """The typed number as a plain decimal string (``1.234.567,89`` -> ``1234567.89``); ``ValueError`` if none."""
    s = str(text).strip().replace("€", "").replace("\u00a0", "").replace(" ", "").replace("\u2212", "-")
    if not s:
        raise ValueError("leeg")
    if "." in s and "," in s:
        s = s.replace(".", "").replace(",", ".")
    elif "," in s:
        if s.count(",") > 1:
            raise ValueError(s)
        s = s.replace(",", ".")
    elif s.count(".") > 1 or _THOUSANDS.match(s):
        s = s.replace(".", "")
    try:
        d = Decimal(s)
    except InvalidOperation:
        raise ValueError(s) from None
    if not d.is_finite():
        raise ValueError(s)
    return s


def parse_number(text: str) -> float:
    """Parse a number typed the Dutch way: ``1.234.567,89``, ``1234567.89``, ``-0,5``, ``€ 1.500``.

    Raises ``ValueError`` when the text is not a finite number.
    """
    value = float(_canonical(text))
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _percent(text: str) -> float:
    """``3,5`` (a percentage without its sign) -> 0.035, divided in decimal so 4,68% is exactly 0.0468."""
    return float(Decimal(_canonical(text)) / 100)


def parse_rate(text: str) -> float:
    """Parse a percentage: ``3,5%`` -> 0.035; a fraction without ``%`` (``0,035``) is accepted too.

    A bare number of 1 or more (``3``) is refused: it is ambiguous (3% or 300%?).
    """
    s = str(text).strip()
    if s.endswith("%"):
        return _percent(s[:-1])
    value = parse_number(s)
    if abs(value) >= 1.0:
        raise ValueError("percentage zonder %-teken")
    return value


def fmt_number(value: float) -> str:
    """A number for an input field: nl-NL separators, no rounding loss (``9500000`` -> ``9.500.000``)."""
    v = float(value)
    if v == int(v) and abs(v) < 1e15:
        text = f"{int(v):,d}"
        return text.replace(",", ".")
    text = repr(v)
    if "e" in text:
        return text.replace(".", ",")
    whole, _, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = f"{int(whole.lstrip('-') or 0):,d}".replace(",", ".")
    return f"{sign}{whole},{frac}" if frac else f"{sign}{whole}"


def fmt_rate(value: float) -> str:
    """A fraction as an input percentage without rounding loss: ``0.035`` -> ``3,5%`` (decimal arithmetic)."""
    d = (Decimal(repr(float(value))) * 100).normalize()
    text = format(d, "f")
    return text.replace(".", ",") + "%"


# ---------------------------------------------------------------------------------------------- year series
def parse_year_items(text: str) -> list[tuple[int | None, str]]:
    """Split ``2025: 60%; 2026: 40%`` (also ``,``-separated or one item per line) into ``(year, value)``.

    A single value without a year gives ``[(None, value)]``.
    """
    parts: list[str] = []
    for chunk in re.split(r"[;\n]", str(text)):
        if chunk.strip():
            parts.extend(p for p in _SPLIT_COMMA.split(chunk) if p.strip())
    out: list[tuple[int | None, str]] = []
    for part in parts:
        m = _YEAR_ITEM.match(part)
        if m:
            out.append((int(m.group(1)), m.group(2).rstrip(",").strip()))
        else:
            out.append((None, part.strip()))
    if len(out) > 1 and any(y is None for y, _ in out):
        raise ValueError("jaar ontbreekt")
    return out


def fmt_rate_series(series: float | dict[int, float]) -> str:
    """``0.02`` -> ``2%``; ``{2025: 0.035, 2026: 0.03}`` -> ``2025: 3,5%; 2026: 3%``."""
    if isinstance(series, dict):
        return "; ".join(f"{y}: {fmt_rate(v)}" for y, v in sorted(series.items()))
    return fmt_rate(series)


def fmt_phasing(phasing: dict[int, float], amount: float) -> str:
    """Shares as percentages (``2025: 60%; 2026: 40%``); absolute amounts as numbers (``2025: 1.500.000``)."""
    if not phasing or bool(phasing_is_shares(sum(phasing.values()))):
        return "; ".join(f"{y}: {fmt_rate(v)}" for y, v in sorted(phasing.items()))
    return "; ".join(f"{y}: {fmt_number(v)}" for y, v in sorted(phasing.items()))


def fmt_amounts(values: dict[int, float]) -> str:
    return "; ".join(f"{y}: {fmt_number(v)}" for y, v in sorted(values.items()))


# ---------------------------------------------------------------------------------------------- form state
@dataclass
class Row:
    """One line of the edit table (values as typed)."""

    uid: str
    sectie: str
    values: dict[str, str]


@dataclass
class IndexRow:
    uid: str
    naam: str
    reeks: str


@dataclass
class GrexForm:
    """The edit form's values as strings, plus the field errors to show next to inputs."""

    general: dict[str, str]
    indices: list[IndexRow]
    rows: list[Row]
    errors: dict[str, str] = field(default_factory=dict)
    general_errors: list[str] = field(default_factory=list)

    def rows_of(self, sectie: str) -> list[Row]:
        return [r for r in self.rows if r.sectie == sectie]

    @property
    def index_names(self) -> list[str]:
        return [ix.naam for ix in self.indices if ix.naam]


def new_uid(prefix: str = "n") -> str:
    return prefix + secrets.token_hex(4)


def empty_row(sectie: str) -> Row:
    """A new, empty line for the table (``soort`` preset to the first code of its section)."""
    soort = "A1" if sectie == "kosten" else "gronduitgifte_woningbouw"
    return Row(uid=new_uid(), sectie=sectie, values={"name": "", "soort": soort, "amount": "0", "index": "geen", "phasing": "", "realised": "", "note": ""})


def form_from_grex(grex: Grex) -> GrexForm:
    """The form for an existing grex (every field, so that saving round-trips)."""
    general = {
        "name": grex.name,
        "description": grex.description,
        "prijspeil": grex.prijspeil.isoformat(),
        "start_year": str(grex.start_year),
        "end_year": str(grex.end_year),
        "timing": grex.timing,
        "rente": fmt_rate_series(grex.rente),
        "disconteringsvoet": fmt_rate(grex.disconteringsvoet),
        "ncw_datum": grex.ncw_datum.isoformat() if grex.ncw_datum else "",
        "opening_book_value": fmt_number(grex.opening_book_value),
        "realised_through": "" if grex.realised_through is None else str(grex.realised_through),
    }
    indices = [IndexRow(uid=f"i{i}", naam=name, reeks=fmt_rate_series(s)) for i, (name, s) in enumerate(grex.indices.items())]
    rows = []
    for sectie, i, ln in grex.lines():
        soort = ln.kostensoort if sectie == "kosten" else ln.opbrengstsoort  # type: ignore[attr-defined]
        rows.append(Row(uid=f"{sectie[0]}{i}", sectie=sectie, values={
            "name": ln.name,
            "soort": soort,
            "amount": fmt_number(ln.amount),
            "index": ln.index,
            "phasing": fmt_phasing(ln.phasing, ln.amount),
            "realised": fmt_amounts(ln.realised),
            "note": ln.note,
        }))
    return GrexForm(general=general, indices=indices, rows=rows)


def form_from_post(items: Iterable[tuple[str, Any]]) -> GrexForm:
    """The form as posted (``request.form().multi_items()``), in posted order; unknown keys are ignored."""
    values: dict[str, str] = {}
    ix_ids: list[str] = []
    row_ids: list[str] = []
    for key, val in items:
        if not isinstance(val, str):
            continue
        if key == "ix":
            ix_ids.append(val)
        elif key == "regel":
            row_ids.append(val)
        else:
            values[key] = val
    if len(row_ids) > MAX_ROWS:
        raise InputError("te veel posten in één formulier", field="regel", value=len(row_ids), allowed=f"hoogstens {MAX_ROWS}")
    general = {k: values.get(k, "") for k in GENERAL_FIELDS}
    indices = [IndexRow(uid=u, naam=values.get(f"{u}.naam", "").strip(), reeks=values.get(f"{u}.reeks", "")) for u in dict.fromkeys(ix_ids)]
    rows = []
    for u in dict.fromkeys(row_ids):
        sectie = values.get(f"{u}.sectie", "kosten")
        rows.append(Row(uid=u, sectie=sectie if sectie in SECTIONS else "kosten", values={k: values.get(f"{u}.{k}", "") for k in LINE_FIELDS}))
    return GrexForm(general=general, indices=indices, rows=rows)


# ---------------------------------------------------------------------------------------------- form -> data
class _Collector:
    def __init__(self) -> None:
        self.errors: list[InputError] = []

    def add(self, form_field: str, message: str, value: Any, allowed: str) -> None:
        self.errors.append(InputError(message, field=form_field, value=value, allowed=allowed))


def _series(text: str, key: str, c: _Collector, *, rates: bool, need_years: bool, allow_empty: bool = False) -> Any:
    kind = "percentage (bijv. 3,5%)" if rates else "bedrag of aandeel (bijv. 60% of 1.500.000)"
    if not text.strip():
        if allow_empty:
            return {}
        c.add(key, "veld is leeg", text, f"een {kind}" + ("" if need_years else " of per jaar: 2025: 3,5%; 2026: 3%"))
        return None
    try:
        items = parse_year_items(text)
    except ValueError:
        c.add(key, "niet te lezen als reeks per jaar", text, "jaar: waarde; jaar: waarde (bijv. 2025: 60%; 2026: 40%)")
        return None
    parse = parse_rate if rates else _share_or_amount
    if len(items) == 1 and items[0][0] is None:
        if need_years:
            c.add(key, "jaar ontbreekt", text, "jaar: waarde; jaar: waarde (bijv. 2025: 60%; 2026: 40%)")
            return None
        try:
            return parse(items[0][1])
        except ValueError:
            c.add(key, "geen geldig percentage", text, "een percentage met %-teken, bijv. 3,5% (of als fractie 0,035)")
            return None
    out: dict[int, float] = {}
    for year, raw in items:
        if year in out:
            c.add(key, f"jaar {year} komt twee keer voor", text, "elk jaar één keer")
            return None
        try:
            out[int(year)] = parse(raw)  # type: ignore[arg-type]
        except ValueError:
            c.add(key, f"waarde voor {year} is geen getal", raw, f"een {kind}")
            return None
    return out


def _share_or_amount(text: str) -> float:
    s = text.strip()
    return _percent(s[:-1]) if s.endswith("%") else parse_number(s)


def data_from_form(form: GrexForm) -> dict[str, Any]:
    """Plain grex data from the posted form, ready for :func:`opengrex.services.grex.grex_from_dict`.

    Raises :class:`InputErrors` naming form fields for values that cannot be read (text where a number belongs,
    a bare ``3`` for a percentage). Domain checks (phasing sums, unknown codes) follow in the model.
    """
    data, errors = read_form(form)
    if errors:
        raise InputErrors(errors)
    return data


def read_form(form: GrexForm) -> tuple[dict[str, Any], list[InputError]]:
    """Like :func:`data_from_form` but never raises: unreadable values are left out (or empty) and returned as
    errors, so the model can still check everything else and the page shows all problems at once."""
    c = _Collector()
    g = form.general
    data: dict[str, Any] = {"name": g["name"].strip(), "description": g["description"], "prijspeil": g["prijspeil"].strip(), "timing": g["timing"] or "end"}
    for key in ("start_year", "end_year"):
        try:
            data[key] = int(g[key].strip())
        except ValueError:
            c.add(key, "geen geldig jaartal", g[key], "een jaartal, bijv. 2025")
    if g["realised_through"].strip():
        try:
            data["realised_through"] = int(g["realised_through"].strip())
        except ValueError:
            c.add("realised_through", "geen geldig jaartal", g["realised_through"], "een jaartal of leeg")
    if g["ncw_datum"].strip():
        data["ncw_datum"] = g["ncw_datum"].strip()
    data["rente"] = _series(g["rente"], "rente", c, rates=True, need_years=False)
    try:
        data["disconteringsvoet"] = parse_rate(g["disconteringsvoet"])
    except ValueError:
        c.add("disconteringsvoet", "geen geldig percentage", g["disconteringsvoet"], "een percentage met %-teken, bijv. 2%")
    try:
        data["opening_book_value"] = parse_number(g["opening_book_value"] or "0")
    except ValueError:
        c.add("opening_book_value", "geen geldig bedrag", g["opening_book_value"], "een bedrag in euro's, bijv. -1.250.000")
    indices: dict[str, Any] = {}
    for ix in form.indices:
        if not ix.naam:
            c.add(f"{ix.uid}.naam", "naam van de indexreeks ontbreekt", ix.naam, "een naam, bijv. kostenstijging")
            continue
        if ix.naam in indices:
            c.add(f"{ix.uid}.naam", "naam komt twee keer voor", ix.naam, "elke indexreeks een eigen naam")
            continue
        indices[ix.naam] = _series(ix.reeks, f"{ix.uid}.reeks", c, rates=True, need_years=False)
    data["indices"] = indices
    data["kosten"], data["opbrengsten"] = [], []
    for row in form.rows:
        v = row.values
        line: dict[str, Any] = {"name": v["name"].strip(), "index": v["index"].strip(), "note": v["note"]}
        line["kostensoort" if row.sectie == "kosten" else "opbrengstsoort"] = v["soort"].strip()
        try:
            line["amount"] = parse_number(v["amount"])
        except ValueError:
            c.add(f"{row.uid}.amount", "geen geldig bedrag", v["amount"], "een bedrag in euro's, bijv. 1.500.000")
        line["phasing"] = _series(v["phasing"], f"{row.uid}.phasing", c, rates=False, need_years=True)
        line["realised"] = _series(v["realised"], f"{row.uid}.realised", c, rates=False, need_years=True, allow_empty=True)
        data[row.sectie].append(line)
    return _drop_none(data), c.errors


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
    """Unreadable values (``None``) become empty ones the model reports on the same field (then hidden there)."""
    for key in ("rente",):
        if data.get(key) is None:
            data.pop(key, None)
    data["indices"] = {k: (0.0 if v is None else v) for k, v in data["indices"].items()}
    for sec in SECTIONS:
        for line in data[sec]:
            if line.get("phasing") is None:
                line["phasing"] = {}
            if line.get("realised") is None:
                line["realised"] = {}
            line.setdefault("amount", 0.0)
    return data


# ---------------------------------------------------------------------------------------------- errors -> fields
_LINE_KEY = {"kostensoort": "soort", "opbrengstsoort": "soort", "amount": "amount", "phasing": "phasing", "realised": "realised", "index": "index", "name": "name", "note": "note",
             "bedrag": "amount", "fasering": "phasing", "gerealiseerd": "realised", "indexreeks": "index", "naam": "name", "notitie": "note"}
_GENERAL_KEY = {"naam": "name", "omschrijving": "description", "startjaar": "start_year", "eindjaar": "end_year", "openingsboekwaarde": "opening_book_value",
                "gerealiseerd_tot_en_met": "realised_through", "indexreeksen": "indices"}
"""Model document keys (Dutch, and the first version's English ones) -> form fields."""


def form_field_of(error: InputError, form: GrexForm) -> str | None:
    """The form field an error belongs to: its own ``field`` for form errors, else mapped from the model path."""
    path = error.path
    if not path:
        f = error.field or ""
        if f in GENERAL_FIELDS:
            return f
        if "." in f and f.split(".")[0] in {r.uid for r in form.rows} | {i.uid for i in form.indices}:
            return f
        return None
    head = _GENERAL_KEY.get(str(path[0]), path[0])
    if head in SECTIONS and len(path) >= 2 and isinstance(path[1], int):
        rows = form.rows_of(head)
        if path[1] < len(rows):
            key = _LINE_KEY.get(str(path[2])) if len(path) > 2 else "name"
            return f"{rows[path[1]].uid}.{key or 'name'}"
        return None
    if head == "indices" and len(path) >= 2:
        for ix in form.indices:
            if ix.naam == path[1]:
                return f"{ix.uid}.reeks"
        return None
    if head in GENERAL_FIELDS:
        return str(head)
    return None


def attach_errors(form: GrexForm, exc: InputError) -> GrexForm:
    """Put each error's message next to its field (``form.errors``); the rest in ``form.general_errors``."""
    errs = exc.errors if isinstance(exc, InputErrors) else [exc]
    unreadable = {e.field for e in errs if not e.path}  # form errors: the value itself could not be read
    for e in errs:
        key = form_field_of(e, form)
        if e.path and key in unreadable:
            continue  # a follow-up of a value that could not be read; its own message says enough
        text = e.message
        if e.value is not None and "waarde" not in e.message:
            text += f" (waarde: {e.value!r})" if not isinstance(e.value, str) else f" (waarde: '{e.value}')"
        if e.allowed:
            text += f"; toegestaan: {e.allowed}"
        if key and key not in form.errors:
            form.errors[key] = text
        elif key:
            form.errors[key] += " · " + text
        else:
            form.general_errors.append(str(e))
    return form


def field_label(key: str, form: GrexForm) -> str:
    """A readable name for a form field key, for the error summary (``k3.amount`` -> ``Kosten 'Sloop': bedrag``)."""
    labels = {"name": "naam", "soort": "soort", "amount": "bedrag", "index": "indexreeks", "phasing": "fasering", "realised": "gerealiseerd", "note": "toelichting", "naam": "naam", "reeks": "reeks"}
    if "." not in key:
        return {"name": "Naam", "description": "Omschrijving", "prijspeil": "Prijspeil", "start_year": "Startjaar", "end_year": "Eindjaar", "timing": "Timing", "rente": "Rente", "disconteringsvoet": "Disconteringsvoet", "ncw_datum": "NCW-datum", "opening_book_value": "Openingsboekwaarde", "realised_through": "Gerealiseerd t/m"}.get(key, key)
    uid, sub = key.split(".", 1)
    for r in form.rows:
        if r.uid == uid:
            return f"{r.sectie.capitalize()} '{r.values.get('name') or '(zonder naam)'}': {labels.get(sub, sub)}"
    for ix in form.indices:
        if ix.uid == uid:
            return f"Indexreeks '{ix.naam}': {labels.get(sub, sub)}"
    return key
