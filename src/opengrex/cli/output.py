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


def write_atomic(path: str | Path, writer: Callable[[Path], None]) -> Path:
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
