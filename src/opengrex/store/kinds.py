"""Document kinds the store and the web app handle, each validated and calculated by its capability's own API.

A kind maps to the functions of ``opengrex.services.<module>``: build the model from data (``*_from_dict`` or, when a
capability offers only a file loader, its ``load_*`` on a temporary YAML file), dump it back to data, calculate
it, and summarise the result. New capabilities join by adding one :class:`DocumentKind` to :data:`KINDS` — the
store, the REST API and the demo loader need no other change. Nothing is stored that the capability's loader
rejects.
"""
from __future__ import annotations

import importlib
import inspect
import math
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from opengrex.errors import InputError


@dataclass(frozen=True)
class DocumentKind:
    """How one kind of document is validated, calculated and summarised (all through ``opengrex.services``)."""

    name: str
    label: str
    module: str
    from_dict: tuple[str, ...]
    load: tuple[str, ...]
    calculate: tuple[str, ...]
    headline_keys: tuple[tuple[str, str], ...] = ()
    xlsx: tuple[str, str, str, str] | None = None
    """Excel download: ``(module, function, "model" | "result", label)``; the function writes ``(obj, path)``."""
    embed_references: bool = False
    """Store referenced documents (a case's grex or bijdrage input) inline, so a stored document is portable."""
    confidential_note_sections: tuple[str, ...] = field(default=())

    # ---------------------------------------------------------------- capability lookup
    def api(self):
        try:
            return importlib.import_module(self.module)
        except ModuleNotFoundError as exc:
            if exc.name != self.module:
                raise
            raise InputError(f"de rekenmodule voor '{self.name}' is (nog) niet beschikbaar", field="kind", value=self.name, allowed=", ".join(available_kinds())) from None

    @property
    def available(self) -> bool:
        try:
            importlib.import_module(self.module)
        except ModuleNotFoundError as exc:
            if exc.name != self.module:
                raise
            return False
        return any(hasattr(importlib.import_module(self.module), n) for n in self.calculate)

    def _fn(self, names: tuple[str, ...]):
        mod = self.api()
        for n in names:
            fn = getattr(mod, n, None)
            if fn is not None:
                return fn
        return None

    # ---------------------------------------------------------------- operations
    def validate(self, data: Any, source: str = "<invoer>") -> Any:
        """Validate plain data into the capability's model; raises :class:`InputError` naming the field."""
        if not isinstance(data, dict):
            raise InputError("het document moet een mapping (sleutel: waarde) zijn", location=source, value=type(data).__name__, allowed="een JSON-object / YAML-mapping")
        fn = self._fn(self.from_dict)
        if fn is not None:
            params = inspect.signature(fn).parameters
            return fn(data, source) if len(params) > 1 else fn(data)
        loader = self._fn(self.load)
        if loader is None:  # pragma: no cover - misconfigured kind
            raise InputError(f"geen lader voor '{self.name}'", field="kind", value=self.name)
        with tempfile.TemporaryDirectory() as tmp:
            p = Path(tmp) / (Path(source).stem.strip("<>") or "invoer")
            p = p.with_suffix(".yaml")
            p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
            return loader(p)

    def load_path(self, path: Path) -> Any:
        """Load a file (YAML/JSON, or xlsx where the capability reads it)."""
        loader = self._fn(self.load)
        if loader is None:  # pragma: no cover
            raise InputError(f"geen lader voor '{self.name}'", field="kind", value=self.name)
        return loader(path)

    def from_text(self, text: str, source: str) -> Any:
        from opengrex.io.documents import parse_text

        data, _ = parse_text(text, source)
        if self._fn(self.from_dict) is None:
            return self.validate(data, source)
        # Prefer the capability's own text loader (line numbers in errors) where it has one.
        text_fn = self._fn(tuple(n.replace("_from_dict", "_from_text") for n in self.from_dict))
        if text_fn is not None:
            return text_fn(text, source)
        return self.validate(data, source)

    def dump(self, model: Any) -> dict[str, Any]:
        to_dict = self._fn(tuple(n.replace("_from_dict", "_to_dict") for n in self.from_dict) + (f"{self.name}_to_dict",))
        if to_dict is not None:
            if self.embed_references:
                return to_dict(model, embed=True)
            return to_dict(model)
        return model.model_dump(mode="json")

    def write_xlsx(self, model: Any) -> bytes:
        """The kind's Excel workbook (live formulas where the capability writes them) as bytes."""
        if self.xlsx is None:
            raise InputError("geen Excel-export voor deze documentsoort", field="kind", value=self.name)
        module, function, arg, _ = self.xlsx
        writer = getattr(importlib.import_module(module), function)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"{self.name}.xlsx"
            writer(model if arg == "model" else self.run(model), path)
            return path.read_bytes()

    def run(self, model: Any) -> Any:
        fn = self._fn(self.calculate)
        if fn is None:  # pragma: no cover
            raise InputError(f"geen rekenfunctie voor '{self.name}'", field="kind", value=self.name)
        return fn(model)

    def summary(self, result: Any) -> dict[str, Any]:
        """The engine's results as plain JSON-ready data (the result's ``summary()``)."""
        for attr in ("summary", "to_dict", "as_dict"):
            fn = getattr(result, attr, None)
            if callable(fn):
                return jsonable(fn())
        if isinstance(result, dict):
            return jsonable(result)
        from dataclasses import asdict, is_dataclass

        if is_dataclass(result):
            return jsonable(asdict(result))
        return {"resultaat": jsonable(result)}

    def headline(self, summary: dict[str, Any]) -> dict[str, float]:
        """Headline figures for lists and comparisons: ``headline_keys`` (name, dotted path in the summary), else
        every top-level number of the summary."""
        out: dict[str, float] = {}
        if self.headline_keys:
            for name, key in self.headline_keys:
                v = _pick(summary, key.split("."))
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    out[name] = float(v)
            return out
        for k, v in summary.items():
            if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
                out[k] = float(v)
        return out

    def name_of(self, model: Any, data: dict[str, Any]) -> str:
        for attr in ("name", "naam", "title"):
            v = getattr(model, attr, None) or data.get(attr)
            if isinstance(v, str) and v:
                return v[:300]
        return f"{self.label} zonder naam"

    def redact(self, data: dict[str, Any]) -> dict[str, Any]:
        """The document as a viewer may see it: every line ``note`` (internal notes) emptied.

        Confidential fields: the ``note`` of each line (e.g. negotiation positions on land acquisition) and the
        document's top-level ``note``. Viewers see the figures but not these notes; editors see everything.
        """
        out = dict(data)
        for key in NOTE_KEYS:  # the note's document key: "notitie", or "note" in documents of the first version
            if key in out:
                out[key] = ""
        for section in self.confidential_note_sections:
            lines = out.get(section)
            if isinstance(lines, list):
                out[section] = [({**ln, **{k: "" for k in NOTE_KEYS if k in ln}} if isinstance(ln, dict) else ln) for ln in lines]
        return out


NOTE_KEYS = ("note", "notitie")
"""Document keys of a confidential note (Dutch key and the first version's English one)."""


def _pick(data: Any, parts: list[str]) -> Any:
    """Follow a dotted path; a part ``name[*]`` sums the rest of the path over the list ``name`` (table totals)."""
    if not parts:
        return data
    head, rest = parts[0], parts[1:]
    if head.endswith("[*]"):
        rows = data.get(head[:-3]) if isinstance(data, dict) else None
        if not isinstance(rows, list):
            return None
        values = [_pick(row, rest) for row in rows]
        return sum(v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool))
    return _pick(data.get(head), rest) if isinstance(data, dict) else None


def jsonable(o: Any) -> Any:
    """Plain JSON data: numpy scalars/arrays to Python, NaN/inf to ``None``, dates to ISO, DataFrames to records."""
    try:
        import numpy as np
    except ImportError:  # pragma: no cover
        np = None  # type: ignore[assignment]
    if isinstance(o, float):
        return o if math.isfinite(o) else None
    if isinstance(o, (str, int, bool)) or o is None:
        return o
    if isinstance(o, dict):
        return {str(k): jsonable(v) for k, v in o.items()}
    if isinstance(o, (list, tuple, set)):
        return [jsonable(v) for v in o]
    if np is not None:
        if isinstance(o, np.generic):
            return jsonable(o.item())
        if isinstance(o, np.ndarray):
            return jsonable(o.tolist())
    if hasattr(o, "to_dict") and hasattr(o, "columns"):
        return jsonable(o.reset_index().to_dict(orient="records"))
    if hasattr(o, "model_dump"):
        return jsonable(o.model_dump(mode="json"))
    if hasattr(o, "isoformat"):
        return o.isoformat()
    return str(o)


KINDS: dict[str, DocumentKind] = {
    "grex": DocumentKind(
        name="grex",
        xlsx=("opengrex.io.xlsx_export", "export_grex_xlsx", "model", "Excel (met formules)"),
        label="Grondexploitatie",
        module="opengrex.services.grex",
        from_dict=("grex_from_dict",),
        load=("load_grex",),
        calculate=("calculate_grex",),
        headline_keys=(
            ("ncw", "ncw_bbv"),
            ("eindwaarde", "eindwaarde"),
            ("contante_waarde", "contante_waarde_kasstromen"),
            ("kosten_prijspeil", "totalen.prijspeil.kosten"),
            ("opbrengsten_prijspeil", "totalen.prijspeil.opbrengsten"),
            ("saldo_nominaal", "totalen.nominaal.saldo"),
        ),
        confidential_note_sections=("kosten", "opbrengsten"),
    ),
    "kostenverhaal": DocumentKind(
        name="kostenverhaal",
        xlsx=("opengrex.io.xlsx_kostenverhaal", "write_case_xlsx", "result", "Excel (tabel A5 met formules)"),
        label="Kostenverhaal",
        module="opengrex.services.kostenverhaal",
        from_dict=("case_from_dict", "kostenverhaal_from_dict"),
        load=("load_case",),
        calculate=("calculate_case",),
        embed_references=True,
        headline_keys=(
            ("exploitatiebijdrage", "exploitatiebijdrage"),
            ("niet_verhaalbaar", "aftopping.niet_verhaalbaar"),
            ("resultaat_gemeente", "financieel_resultaat.gemeente"),
            ("resultaat_initiatiefnemer", "financieel_resultaat.initiatiefnemer"),
        ),
        confidential_note_sections=("kosten", "opbrengsten", "gebieden", "uitgiftecategorieen"),
    ),
    "bijdrage": DocumentKind(
        name="bijdrage",
        xlsx=("opengrex.services.bijdrage", "write_bijdrage_xlsx", "result", "Excel (tabel 1–5 met formules)"),
        label="Financiële bijdrage",
        module="opengrex.services.bijdrage",
        from_dict=("bijdrage_from_dict", "bijdrage_input_from_dict"),
        load=("load_bijdrage_input", "load_bijdrage"),
        calculate=("calculate_bijdrage",),
        headline_keys=(
            ("netto_investeringen", "tabel1[*].meetellend"),
            ("bedrag_nieuwe_plannen", "tabel2[*].bedrag_nieuw"),
        ),
        confidential_note_sections=("kosten", "opbrengsten"),
    ),
    "eindafrekening": DocumentKind(
        name="eindafrekening",
        label="Eindafrekening",
        module="opengrex.services.eindafrekening",
        from_dict=("eindafrekening_from_dict",),
        load=("load_eindafrekening",),
        calculate=("calculate_eindafrekening",),
        headline_keys=(
            ("verschuldigd", "verschuldigd"),
            ("terugbetaling", "terugbetaling"),
            ("rente", "rente"),
            ("totaal_terug", "totaal_terug"),
        ),
    ),
    "programma": DocumentKind(
        name="programma",
        xlsx=("opengrex.io.xlsx_programma", "export_programme_xlsx", "model", "Excel (één blad per project)"),
        label="Programma",
        module="opengrex.services.programma",
        from_dict=("programme_from_dict", "programma_from_dict"),
        load=("load_programme", "load_programma"),
        calculate=("calculate_programme", "calculate_programma"),
        headline_keys=(
            ("saldo_nominaal", "resultaat.nominaal"),
            ("ncw", "resultaat.ncw"),
            ("rentedeel", "resultaat.rentedeel"),
            ("badkuip", "badkuip.diepste_boekwaarde"),
        ),
        confidential_note_sections=("projecten", "projects", "partners"),
    ),
}


def get_kind(name: str) -> DocumentKind:
    """The :class:`DocumentKind` called ``name``; :class:`InputError` naming the allowed kinds otherwise."""
    kind = KINDS.get(name)
    if kind is None:
        raise InputError("onbekende documentsoort", field="kind", value=name, allowed=", ".join(KINDS))
    return kind


def available_kinds() -> list[str]:
    """Kinds whose capability is installed (its ``opengrex.services`` module exists)."""
    return [k for k, v in KINDS.items() if v.available]
