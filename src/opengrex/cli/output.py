"""Shared CLI helpers: consoles, nl-NL money tables, JSON output, safe file writing."""
from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from opengrex.errors import InputError
from opengrex.formatting import eur

import sys

# Wide output when piped (no terminal): tables are not truncated in files and tests.
console = Console(highlight=False, width=None if sys.stdout.isatty() else 240)
err_console = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 240)


def money_table(title: str, columns: list[str], rows: Iterable[tuple[str, Iterable[float]]], *, decimals: int = 0, caption: str | None = None) -> Table:
    """A rich table with a label column and right-aligned euro columns (nl-NL)."""
    t = Table(title=title, caption=caption, title_justify="left", caption_justify="left")
    t.add_column("")
    for c in columns:
        t.add_column(str(c), justify="right")
    for label, values in rows:
        t.add_row(label, *[eur(v, decimals) for v in values])
    return t


def _json_default(o: Any) -> Any:
    if isinstance(o, (np.floating, np.integer)):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    if hasattr(o, "isoformat"):
        return o.isoformat()
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def _clean(o: Any) -> Any:
    if isinstance(o, float) and not math.isfinite(o):
        return None
    if isinstance(o, dict):
        return {str(k): _clean(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_clean(v) for v in o]
    return o


def print_json(data: Any) -> None:
    """Print machine-readable JSON on stdout (no rich markup)."""
    print(json.dumps(_clean(data), indent=2, ensure_ascii=False, default=_json_default))


def write_atomic(path: str | Path, writer: Callable[[Path], object]) -> Path:
    """Write via a temporary file in the same folder and rename: never a half-written output file."""
    target = Path(path)
    if target.parent and not target.parent.exists():
        raise InputError("map bestaat niet", location=str(target), field="-o/--output", value=str(target.parent))
    fd, tmp = tempfile.mkstemp(prefix=".opengrex-", suffix=target.suffix, dir=str(target.parent or Path(".")))
    os.close(fd)
    try:
        writer(Path(tmp))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _value_text(value: Any, unit: str) -> str:
    """A figure of an explanation as users read it: euros, percentages, counts with their unit (nl-NL)."""
    from opengrex.formatting import number, procent

    if isinstance(value, dict):
        return ", ".join(f"{k}: {_value_text(v, unit)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_value_text(v, unit) for v in value)
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        return str(value)
    if unit.startswith("EUR"):
        return eur(float(value), 2 if abs(float(value)) < 1000 and not float(value).is_integer() else 0)
    if unit == "%":
        return procent(float(value))
    text = number(float(value), 0 if float(value).is_integer() else 2)
    return text if unit in ("-", "") else f"{text} {unit}"


def print_explanation(expl: Any, depth: int = 2, indent: str = "") -> None:
    """Print an :class:`~opengrex.engine.explain.Explanation` in Dutch: the figure, the rule and its source, the
    inputs, the parameters (source, peildatum), the sentences with the figures, and its parts ``depth`` levels deep."""
    from rich.markup import escape

    def line(text: str) -> None:
        console.print(escape(text), highlight=False, soft_wrap=True)

    unit = f"  ({expl.eenheid})" if expl.eenheid.startswith("EUR") and expl.eenheid != "EUR" else ""
    console.print(f"{indent}[bold]{escape(expl.label)}[/]: {escape(_value_text(expl.waarde, expl.eenheid))}{escape(unit)}", soft_wrap=True)
    line(f"{indent}  Regel: {expl.regel.formule}")
    line(f"{indent}  Bron: {expl.regel.bron}")
    for i in expl.invoer:
        line(f"{indent}  • {i.naam}: {_value_text(i.waarde, i.eenheid)}")
    for p in expl.parameters:
        version = f"; versie {p.peildatum}" if p.peildatum else ""
        line(f"{indent}  ◦ {p.naam}: {_value_text(p.waarde, p.eenheid)} — {p.bron}{version}")
    for t in expl.toelichting:
        line(f"{indent}  {t}")
    if depth > 0:
        for part in expl.onderdelen:
            print_explanation(part, depth - 1, indent + "    ")
    elif expl.onderdelen:
        line(f"{indent}  (opgebouwd uit: {', '.join(o.kengetal for o in expl.onderdelen)})")


def print_verklaring(expl: Any, as_json: bool = False) -> None:
    """``--verklaar``: an explanation as JSON (``--json``) or as Dutch text."""
    if as_json:
        print_json(expl.to_dict())
    else:
        print_explanation(expl)
