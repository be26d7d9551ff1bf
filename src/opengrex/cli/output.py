"""Shared CLI helpers: consoles, nl-NL money tables, JSON output, safe file writing."""
from __future__ import annotations

import json
import math
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from opengrex.errors import InputError
from opengrex.formatting import eur

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
    """Write via a temporary file in the same folder and rename: never a half-written output file. A folder as
    target, a missing or unwritable folder, a full disk: an :class:`InputError` naming ``-o/--output``."""
    import errno

    target = Path(path)
    field = "-o/--output"
    if target.is_dir():
        raise InputError("dit is een map; geef een bestandsnaam", location=str(target), field=field, value=str(target), allowed="een pad naar een bestand, bijv. map/uitvoer.xlsx")
    if target.parent and not target.parent.exists():
        raise InputError("map bestaat niet", location=str(target), field=field, value=str(target.parent))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".opengrex-", suffix=target.suffix[:20], dir=str(target.parent or Path(".")))
    except OSError as exc:
        raise _write_error(exc, target, field) from None
    os.close(fd)
    try:
        writer(Path(tmp))
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS, errno.EISDIR, errno.ENAMETOOLONG, errno.ENOTDIR, errno.EFBIG):
            raise _write_error(exc, target, field) from None
        raise
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def explanation_lines(expl: Any, indent: str = "") -> list[str]:
    """An explanation (:class:`opengrex.engine.explain.Explanation`) as Dutch lines, the same for every kind: the
    figure, the rule with its source, the inputs and parameters with units, the reasoning, then its parts."""
    from opengrex.formatting import format_cell, format_value, unit_text

    d = expl.to_dict() if hasattr(expl, "to_dict") else expl
    unit = unit_text(d["eenheid"])
    lines = [f"{indent}{d['label']} = {format_value(d['waarde'], d['eenheid'])}" + (f" ({unit})" if unit else "")]
    r = d["regel"]
    lines.append(f"{indent}  Regel: {r['label']}" + (f": {r['formule']}" if r["formule"] else ""))
    if r["bron"]:
        lines.append(f"{indent}  Bron: {r['bron']}")
    if d["invoer"]:
        lines.append(f"{indent}  Invoer:")
        for i in d["invoer"]:
            v = i["waarde"]
            name = f"{i['naam']}: {i['symbool']}" if i.get("symbool") and i["symbool"] != i["naam"] else i["naam"]  # the formula's symbol too
            if isinstance(v, list) and v and isinstance(v[0], dict):
                lines.append(f"{indent}    {name}:")
                lines += [f"{indent}      " + "; ".join(f"{k}: {format_cell(k, x)}" for k, x in row.items()) for row in v]
            else:
                lines.append(f"{indent}    {name} = {format_value(v, i['eenheid'])}")
    if d["parameters"]:
        lines.append(f"{indent}  Parameters:")
        for p in d["parameters"]:
            src = f" [{p['bron']}" + (f", geldig vanaf {p['peildatum']}" if p.get("peildatum") else "") + "]" if p["bron"] or p.get("peildatum") else ""
            lines.append(f"{indent}    {p['naam']} = {format_value(p['waarde'], p['eenheid'])}{src}")
    lines += [f"{indent}  {t}" for t in d["toelichting"]]
    lines.append(f"{indent}  Rekenregel in opengrex: {r['functie']}")
    if d["onderdelen"]:
        lines.append(f"{indent}  Opgebouwd uit:")
        for o in d["onderdelen"]:
            lines += explanation_lines(o, indent + "    ")
    return lines


def print_explanation(expl: Any, *, as_json: bool = False) -> None:
    """``--verklaar KENGETAL``: the explanation in Dutch (or ``Explanation.to_dict`` as JSON with ``--json``)."""
    if as_json:
        print_json(expl.to_dict())
        return
    for line in explanation_lines(expl):
        console.print(line, highlight=False, markup=False, soft_wrap=True)


def _write_error(exc: OSError, target: Path, field: str) -> InputError:
    import errno

    reason = {
        errno.ENOSPC: ("de schijf is vol; er is niets geschreven", "ruimte vrijmaken of een andere map"),
        errno.EDQUOT: ("schijfquotum bereikt; er is niets geschreven", "ruimte vrijmaken of een andere map"),
        errno.EFBIG: ("bestand te groot voor deze schijf", "een andere map"),
        errno.EACCES: ("geen schrijfrechten in deze map", "een map waarin u mag schrijven"),
        errno.EPERM: ("geen schrijfrechten in deze map", "een map waarin u mag schrijven"),
        errno.EROFS: ("de map staat op een alleen-lezen schijf", "een map waarin u mag schrijven"),
        errno.EISDIR: ("dit is een map; geef een bestandsnaam", "een pad naar een bestand"),
        errno.ENAMETOOLONG: ("bestandsnaam te lang", "een kortere naam"),
        errno.ENOTDIR: ("een deel van het pad is geen map", "een bestaand mappad"),
    }.get(exc.errno or 0, (f"kan niet schrijven ({exc.strerror or type(exc).__name__})", "een map waarin u mag schrijven"))
    return InputError(reason[0], location=str(target), field=field, value=str(target), allowed=reason[1])
