"""Run every ``benchmarks/bench_*.py`` module's ``run()`` and print one table per module (see ``__init__``)."""
from __future__ import annotations

import importlib
import sys
import time
import traceback
from pathlib import Path

from rich.console import Console
from rich.table import Table

HERE = Path(__file__).resolve().parent


def _fmt(value) -> str:
    if isinstance(value, float):
        if value == 0 or 0.01 <= abs(value) < 1e7:
            return f"{value:,.3f}".replace(",", "_").replace(".", ",").replace("_", ".")
        return f"{value:.3e}"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value)


def main(argv: list[str]) -> int:
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 200)
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if argv:
        names = [n for n in names if any(a in n for a in argv)]
    failed = 0
    for name in names:
        console.rule(f"[bold]{name}")
        t0 = time.perf_counter()
        try:
            rows = importlib.import_module(f"benchmarks.{name}").run()
        except Exception:  # noqa: BLE001 - one broken benchmark must not hide the others
            failed += 1
            console.print(f"[red]{name} mislukt:[/]\n{traceback.format_exc()}")
            continue
        table = Table(title=f"{name} ({time.perf_counter() - t0:.1f} s)", title_justify="left")
        for c, justify in (("Meting", "left"), ("Waarde", "right"), ("Eenheid", "left"), ("Toelichting", "left")):
            table.add_column(c, justify=justify)
        for row in rows:
            table.add_row(str(row["meting"]), _fmt(row["waarde"]), str(row.get("eenheid", "")), str(row.get("toelichting", "")))
        console.print(table)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
