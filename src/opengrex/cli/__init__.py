"""The ``opengrex`` command line (typer + rich). Each capability registers one sub-app here.

Errors: every :class:`~opengrex.errors.OpengrexError` is printed as a message (no traceback unless ``--debug`` or
``OPENGREX_DEBUG=1``) and the process exits with code 2; usage errors exit with code 2 as well.
"""
from __future__ import annotations

import os
import sys
from types import ModuleType

import click
import typer

from opengrex.cli.output import err_console
from opengrex.errors import OpengrexError

_typer_click_exc: ModuleType
try:  # typer >= 0.26 vendors its own click; usage errors come from there
    from typer._click import exceptions as _typer_click_exc
except ImportError:  # pragma: no cover - older typer uses click itself
    _typer_click_exc = click.exceptions

_EXIT = (click.exceptions.Exit, typer.Exit)
_CLICK_ERRORS = (click.ClickException, _typer_click_exc.ClickException)
_ABORT = (click.exceptions.Abort, typer.Abort)

app = typer.Typer(
    name="opengrex",
    help="opengrex — financiële sturing van gebiedsontwikkeling: grondexploitatie, kostenverhaal, programma's.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(debug: bool = typer.Option(False, "--debug", help="Toon bij fouten de volledige traceback.")) -> None:
    if debug:
        os.environ["OPENGREX_DEBUG"] = "1"


def _register() -> None:
    """Each capability registers its sub-app here, one line each (an import error is a real error: no fallback)."""
    from opengrex.cli import bbv as bbv_cli
    from opengrex.cli import document as document_cli
    from opengrex.cli import documenten as documenten_cli
    from opengrex.cli import gebied as gebied_cli
    from opengrex.cli import grex as grex_cli
    from opengrex.cli import kostenverhaal as kostenverhaal_cli
    from opengrex.cli import plankosten as plankosten_cli
    from opengrex.cli import programma as programma_cli
    from opengrex.cli import rapport as rapport_cli
    from opengrex.cli import ruimte as ruimte_cli
    from opengrex.cli import web as web_cli

    app.add_typer(grex_cli.app, name="grex")
    app.command("kostensoorten")(grex_cli.kostensoorten_cmd)
    app.command("demo")(grex_cli.demo_cmd)
    app.add_typer(kostenverhaal_cli.app, name="kostenverhaal")
    app.add_typer(programma_cli.app, name="programma")
    gebied_cli.register(app)
    ruimte_cli.register(app)  # ruimte, monitor, regio
    web_cli.register(app)
    documenten_cli.register(web_cli.db_app)  # opengrex db lijst|nieuwe-versie|archiveer|verwijder|herstel|afsluiten|heropenen|audit|opschonen …
    bbv_cli.register(app)  # bbv + portefeuille
    app.add_typer(plankosten_cli.app, name="plankosten")
    app.add_typer(document_cli.app, name="document")
    app.command("rapport")(rapport_cli.rapport_cmd)


_register()


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``opengrex`` script."""
    try:
        app(args=argv, standalone_mode=False)
    except OpengrexError as exc:
        if os.environ.get("OPENGREX_DEBUG") == "1":
            raise
        err_console.print(f"[bold red]Fout:[/] {exc}", highlight=False, soft_wrap=True)
        return 2
    except _EXIT as exc:
        return getattr(exc, "exit_code", 0)
    except _CLICK_ERRORS as exc:
        exc.show()
        return 2
    except _ABORT:
        err_console.print("Afgebroken.")
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
