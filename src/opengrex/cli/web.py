"""``opengrex serve`` (the web app), ``opengrex db upgrade|demo|status`` and ``opengrex users add``.

The database is ``OPENGREX_DATABASE_URL`` (default: SQLite in ``OPENGREX_DATA_DIR``, ``./var``)."""
from __future__ import annotations

import getpass
import os

import typer

from opengrex.cli.output import console, print_json
from opengrex.errors import InputError

db_app = typer.Typer(help="Database: schema bijwerken (Alembic), demogegevens laden, opgeslagen documenten en hun levenscyclus.", no_args_is_help=True)
users_app = typer.Typer(help="Gebruikers (alleen nodig met OPENGREX_AUTH=1).", no_args_is_help=True)


def _database(url: str | None):
    from opengrex.store.db import Database

    return Database(url)


def _load_demo(db) -> None:
    from opengrex.services.documents import load_demo

    with db.transaction() as s:
        report = load_demo(s)
    for item in report.loaded:
        console.print(f"demo geladen: {item}")
    for item in report.present:
        console.print(f"[dim]demo al aanwezig: {item}[/]")
    for item in report.skipped:
        console.print(f"[yellow]demo overgeslagen:[/] {item}")


@db_app.command("upgrade")
def db_upgrade(url: str = typer.Option(None, "--url", help="Database-URL (standaard OPENGREX_DATABASE_URL of SQLite in ./var)")) -> None:
    """Breng het databaseschema naar de nieuwste versie (Alembic-migraties)."""
    from opengrex.store.db import current_revision

    db = _database(url)
    db.upgrade()
    console.print(f"database bijgewerkt tot revisie {current_revision(db.engine)}: {db.engine.url.render_as_string(hide_password=True)}")
    db.dispose()


@db_app.command("demo")
def db_demo(url: str = typer.Option(None, "--url", help="Database-URL")) -> None:
    """Laad de demogegevens (demo-grex, kostenverhaalvoorbeelden, demoprogramma) — elk maar één keer."""
    db = _database(url)
    db.upgrade()
    _load_demo(db)
    db.dispose()


@db_app.command("herbereken")
def db_refresh(url: str = typer.Option(None, "--url", help="Database-URL")) -> None:
    """Herbereken de kerncijfers in de lijsten (NCW, exploitatiebijdrage, …) van alle documenten met de huidige rekenkern;
    de invoer en de versies blijven ongewijzigd."""
    from opengrex.services.documents import refresh_headlines

    db = _database(url)
    db.upgrade()
    with db.transaction() as s:
        report = refresh_headlines(s)
    db.dispose()
    for item in report["bijgewerkt"]:
        console.print(f"bijgewerkt: {item}")
    for item in report["fout"]:
        console.print(f"[yellow]niet te berekenen:[/] {item}")
    console.print(f"{len(report['bijgewerkt'])} bijgewerkt, {len(report['ongewijzigd'])} ongewijzigd, {len(report['fout'])} niet te berekenen")


@db_app.command("status")
def db_status(url: str = typer.Option(None, "--url"), as_json: bool = typer.Option(False, "--json", help="Uitvoer als JSON")) -> None:
    """Toon de database, de schemaversie en het aantal documenten en versies."""
    from opengrex.store.db import current_revision
    from opengrex.store.repository import count_rows

    db = _database(url)
    rev = current_revision(db.engine)
    counts = {"documents": 0, "versions": 0}
    if rev is not None:
        with db.transaction() as s:
            counts = count_rows(s)
    out = {"database": db.engine.url.render_as_string(hide_password=True), "revisie": rev, **counts}
    db.dispose()
    if as_json:
        print_json(out)
    else:
        for k, v in out.items():
            console.print(f"{k}: {v}")


@users_app.command("add")
def users_add(
    name: str = typer.Argument(..., help="Gebruikersnaam"),
    role: str = typer.Option("viewer", "--role", help="viewer (alleen lezen) of editor (wijzigen)"),
    password: str = typer.Option(None, "--password", help="Wachtwoord (anders gevraagd, of OPENGREX_PASSWORD)"),
    url: str = typer.Option(None, "--url", help="Database-URL"),
) -> None:
    """Maak een gebruiker aan (of zet wachtwoord en rol van een bestaande opnieuw)."""
    from opengrex.store.users import add_user

    password = password or os.environ.get("OPENGREX_PASSWORD") or ""
    if not password:
        password = getpass.getpass("Wachtwoord: ")
        if password != getpass.getpass("Nogmaals: "):
            raise InputError("wachtwoorden verschillen", field="wachtwoord")
    db = _database(url)
    db.upgrade()
    with db.transaction() as s:
        add_user(s, name=name, password=password, role=role)
    db.dispose()
    console.print(f"gebruiker '{name}' met rol {role} opgeslagen")


def is_loopback(host: str) -> bool:
    """True for an address only this computer can reach (127.0.0.0/8, ::1, localhost)."""
    import ipaddress

    h = host.strip().strip("[]").lower()
    if h == "localhost":
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Adres (standaard alleen deze computer)"),
    port: int = typer.Option(8000, "--port", help="Poort"),
    demo: bool = typer.Option(False, "--demo/--no-demo", help="Laad de demogegevens (eenmalig)"),
    reload: bool = typer.Option(False, "--reload", help="Herstart bij codewijzigingen (ontwikkelen)"),
    unsafe: bool = typer.Option(False, "--onveilig-zonder-accounts", help="Sta een netwerkadres toe zonder accounts (iedereen op het netwerk kan dan alles wijzigen)"),
) -> None:
    """Start de webapp: database bijwerken, eventueel demo laden, serveren met uvicorn.

    Zonder accounts (OPENGREX_AUTH=1) luistert de app alleen op dit apparaat (127.0.0.1, ::1, localhost): een
    netwerkadres zoals 0.0.0.0 wordt geweigerd, tenzij --onveilig-zonder-accounts."""
    import uvicorn

    from opengrex.web.settings import Settings

    settings = Settings()
    if not is_loopback(host) and not settings.auth and not unsafe:
        raise InputError(
            "zonder accounts kan iedereen die dit adres bereikt alle documenten lezen en wijzigen",
            field="--host", value=host,
            allowed="127.0.0.1, ::1 of localhost; of zet accounts aan (OPENGREX_AUTH=1 en 'opengrex users add'); "
            "of geef bewust --onveilig-zonder-accounts",
        )
    db = _database(settings.resolved_database_url())
    db.upgrade()
    if demo:
        _load_demo(db)
    db.dispose()
    os.environ["OPENGREX_BIND_HOST"] = host  # the app answers to the bound address too (Host check)
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    where = " (alle netwerkadressen van deze computer)" if host.strip("[]") in ("0.0.0.0", "::") else ""
    if not is_loopback(host) and not settings.auth:
        console.print("[bold yellow]Let op:[/] zonder accounts; iedereen die dit adres bereikt kan alles lezen en wijzigen.")
    console.print(f"opengrex draait op [bold]http://{shown}:{port}[/]{where}  (API-documentatie: http://{shown}:{port}/docs; stoppen met Ctrl+C)")
    if not is_loopback(host):
        console.print("Andere hostnamen dan dit adres en localhost: zet ze in OPENGREX_ALLOWED_HOSTS (komma-gescheiden).")
    uvicorn.run("opengrex.web.app:create_app", factory=True, host=host.strip("[]"), port=port, reload=reload, log_level="warning")


def register(app: typer.Typer) -> None:
    """Add ``serve``, ``db`` and ``users`` to the root CLI."""
    app.command("serve")(serve)
    app.add_typer(db_app, name="db")
    app.add_typer(users_app, name="users")
