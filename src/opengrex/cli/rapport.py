"""``opengrex rapport KIND FILE -o rapport.pdf [--openbaar]`` (one document) and ``opengrex rapport portefeuille
-o rapport.pdf`` (every document in the database): the print-ready PDF report (:mod:`opengrex.services.reports`)."""
from __future__ import annotations

from pathlib import Path

import typer

from opengrex.cli.output import console, write_atomic
from opengrex.errors import InputError

PORTEFEUILLE = "portefeuille"


def rapport_cmd(
    soort: str = typer.Argument(..., help="documentsoort (grex, kostenverhaal, bijdrage, eindafrekening, programma, …) of 'portefeuille'"),
    bestand: Path = typer.Argument(None, help="het document (YAML, JSON of Excel); niet bij 'portefeuille'"),
    uitvoer: Path = typer.Option(..., "-o", "--output", help="het PDF-bestand"),
    openbaar: bool = typer.Option(False, "--openbaar", help="openbare versie: zonder vertrouwelijke velden"),
    html: bool = typer.Option(False, "--html", help="schrijf de HTML in plaats van de PDF (voor controle)"),
    url: str = typer.Option(None, "--url", help="database-URL bij 'portefeuille' (standaard OPENGREX_DATABASE_URL of SQLite in ./var)"),
) -> None:
    """Rapport als PDF: kerncijfers, tabellen per jaar, grafieken, methode en parameters met bronnen."""
    from opengrex.io.report import html_to_pdf, render_html
    from opengrex.services import reports
    from opengrex.services.kinds import get_kind, kinds

    if soort == PORTEFEUILLE:
        if bestand is not None:
            raise InputError("bij 'portefeuille' geen bestand: het rapport bevat alle documenten in de database", field="bestand", value=str(bestand))
        from sqlalchemy.exc import OperationalError

        from opengrex.store.db import Database

        db = Database(url)
        try:
            with db.transaction() as s:
                report = reports.portfolio_report(s, openbaar=openbaar)
        except OperationalError as exc:
            raise InputError("de database is niet te lezen (nog geen tabellen?); voer eerst 'opengrex db upgrade' uit", field="--url",
                             value=db.engine.url.render_as_string(hide_password=True), allowed=str(exc.orig)[:200]) from None
        finally:
            db.dispose()
    else:
        if soort not in {k.name for k in kinds()}:
            raise InputError("onbekende documentsoort", field="soort", value=soort, allowed=", ".join([k.name for k in kinds()] + [PORTEFEUILLE]))
        if bestand is None:
            raise InputError("geef het document", field="bestand", value=None, allowed="een YAML-, JSON- of Excel-bestand")
        kind = get_kind(soort)
        report = reports.document_report(kind, kind.load(bestand), openbaar=openbaar)
    text = render_html(report)
    content = text.encode("utf-8") if html else html_to_pdf(text)
    write_atomic(uitvoer, lambda p: p.write_bytes(content))
    console.print(f"rapport geschreven: {uitvoer} ({'openbaar' if openbaar else 'vertrouwelijk'}, {len(report.hoofdstukken)} document{'en' if len(report.hoofdstukken) != 1 else ''})")
