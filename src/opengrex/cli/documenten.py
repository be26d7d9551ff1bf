"""Stored documents from the command line (``opengrex db …``): list, a new version from a file, the lifecycle
(archiveer, verwijder to the bin, herstel, dupliceer; for a grondexploitatie openen, afsluiten, heropenen with a
reason), the audit trail, the bin and its purge (``opengrex db opschonen``). Every command is one transaction through
:mod:`opengrex.services.lifecycle`; a refused action (a closed grex, an archived document) exits with code 2 and a
message naming the status, and writes nothing."""
from __future__ import annotations

import datetime as dt
import getpass
import os
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from opengrex.cli.output import console, print_json

URL = typer.Option(None, "--url", help="Database-URL (standaard OPENGREX_DATABASE_URL of SQLite in ./var)")
DOOR = typer.Option(None, "--door", help="Wie de actie uitvoert (audittrail; standaard de gebruikersnaam van het systeem)")


def _db(url: str | None):
    from opengrex.store.db import Database

    db = Database(url)
    db.upgrade()
    return db


def _door(door: str | None) -> str:
    if door:
        return door
    try:
        return f"{getpass.getuser()} (cli)"
    except Exception:  # pragma: no cover - no user name on this system
        return os.environ.get("USER", "cli")


def _run(url: str | None, fn) -> Any:
    db = _db(url)
    try:
        with db.transaction() as s:
            return fn(s)
    finally:
        db.dispose()


def lijst(
    soort: str | None = typer.Option(None, "--soort", help="Documentsoort (grex, kostenverhaal, …)"),
    status: str | None = typer.Option(None, "--status", help="actief, gearchiveerd of een BBV-status (in_exploitatie, …)"),
    as_json: bool = typer.Option(False, "--json", help="Uitvoer als JSON"),
    url: str = URL,
) -> None:
    """Toon de opgeslagen documenten (niet die in de prullenbak) met hun status."""
    from opengrex.services import documents, lifecycle

    rows = _run(url, lambda s: [
        {"id": d.id, "soort": d.kind, "naam": d.name, "versie": d.current_version, "status": d.status, "bbv_status": d.bbv_status,
         "bijgewerkt": d.updated_at.isoformat()} for d in documents.list_documents(s, kind=soort, status=status)])
    if as_json:
        print_json(rows)
        return
    t = Table(title="Opgeslagen documenten", title_justify="left")
    for c in ("Id", "Soort", "Naam", "Versie", "Status"):
        t.add_column(c, justify="right" if c in ("Id", "Versie") else "left")
    for r in rows:
        st = lifecycle.LABELS.get(r["status"], r["status"]) + (f", {lifecycle.LABELS[r['bbv_status']].lower()}" if r["bbv_status"] else "")
        t.add_row(str(r["id"]), r["soort"], r["naam"], str(r["versie"]), st)
    console.print(t)


def nieuwe_versie(
    document_id: int = typer.Argument(..., help="Id van het document"),
    bestand: Path = typer.Argument(..., help="YAML, JSON of het Excel-sjabloon", exists=True, dir_okay=False),
    toelichting: str = typer.Option("", "--toelichting", help="Toelichting bij de nieuwe versie"),
    basis: int | None = typer.Option(None, "--basis", help="De versie waarop de wijziging is gebaseerd (weigert als het document intussen wijzigde)"),
    door: str | None = DOOR,
    url: str = URL,
) -> None:
    """Sla een bestand op als nieuwe versie van een opgeslagen document (een afgesloten grex of een gearchiveerd document weigert)."""
    from opengrex.services import documents
    from opengrex.store import repository as repo

    def go(s):
        doc = repo.get_document(s, document_id=document_id)
        model = documents.model_from_upload(doc.kind, bestand.name, bestand.read_bytes(), session=s)
        return documents.save_version(s, document_id=document_id, model=model, author=_door(door), comment=toelichting or f"cli: {bestand.name}",
                                      base_version=basis, source=str(bestand)).number

    console.print(f"document {document_id}: versie {_run(url, go)} opgeslagen")


def _action(name: str, doc: str):
    def command(document_id: int = typer.Argument(..., help="Id van het document"),
                toelichting: str = typer.Option("", "--toelichting", help="Toelichting (audittrail)"),
                door: str | None = DOOR, url: str = URL) -> None:
        from opengrex.services import lifecycle

        fn = getattr(lifecycle, name)
        result = _run(url, lambda s: fn(s, document_id=document_id, actor=_door(door), comment=toelichting))
        state = lifecycle.LABELS.get(result.status, result.status) + (f", {lifecycle.LABELS[result.bbv_status].lower()}" if result.bbv_status else "")
        console.print(f"{result.kind} {result.id} ({result.name}): {doc}; status {state.lower()}" if name != "duplicate" else
                      f"kopie opgeslagen als {result.kind} {result.id} ({result.name}), versie 1")

    command.__doc__ = {"archive": "Archiveer een document (alleen lezen tot dearchiveren).", "unarchive": "Haal een document uit het archief.",
                       "delete": "Verwijder een document: naar de prullenbak, 30 dagen herstelbaar.", "restore": "Herstel een document uit de prullenbak.",
                       "duplicate": "Dupliceer een document: een nieuw document, versie 1, 'Kopie van …'.",
                       "open_grex": "Neem een grondexploitatie in exploitatie (in_voorbereiding → in_exploitatie)."}[name]
    return command


def afsluiten(
    document_id: int = typer.Argument(..., help="Id van de grondexploitatie"),
    toelichting: str = typer.Option("", "--toelichting"),
    balansjaar: int | None = typer.Option(None, "--balansjaar", help="Standaard: gerealiseerd t/m (of het eindjaar)"),
    voorziening_vorig: float | None = typer.Option(None, "--voorziening-vorig", help="Verliesvoorziening vorig jaar [EUR] (standaard uit de portefeuille, anders 0)"),
    winst_vorig: float | None = typer.Option(None, "--winst-vorig", help="Genomen winst t/m vorig jaar [EUR] (standaard uit de portefeuille, anders 0)"),
    datum: str | None = typer.Option(None, "--datum", help="jjjj-mm-dd (standaard vandaag)"),
    door: str | None = DOOR,
    url: str = URL,
) -> None:
    """Sluit een volledig gerealiseerde grondexploitatie af: eindresultaat boeken en bevriezen."""
    from opengrex.errors import InputError
    from opengrex.formatting import eur
    from opengrex.services import lifecycle

    try:
        when = dt.date.fromisoformat(datum) if datum else None
    except ValueError:
        raise InputError("geen geldige datum", field="--datum", value=datum, allowed="jjjj-mm-dd") from None
    b = _run(url, lambda s: lifecycle.close(s, document_id=document_id, actor=_door(door), toelichting=toelichting, balansjaar=balansjaar,
                                           voorziening_vorig=voorziening_vorig, winst_vorig=winst_vorig, datum=when))
    console.print(f"grex {document_id} afgesloten (balansjaar {b['balansjaar']}): eindresultaat {eur(b['eindresultaat'])}")
    for key in ("winst_slot", "aanwending_voorziening", "vrijval_voorziening", "verlies_ten_laste_van_dit_jaar"):
        if key in b:
            console.print(f"  {key.replace('_', ' ')}: {eur(b[key])}")
    console.print(f"  voorziening en winst vorig jaar: {b['bron']}")


def heropenen(
    document_id: int = typer.Argument(..., help="Id van de grondexploitatie"),
    reden: str = typer.Option(..., "--reden", help="Waarom de grondexploitatie wordt heropend (verplicht, audittrail)"),
    door: str | None = DOOR,
    url: str = URL,
) -> None:
    """Heropen een afgesloten grondexploitatie (met reden, gelogd; het geboekte eindresultaat vervalt)."""
    from opengrex.services import lifecycle

    doc = _run(url, lambda s: lifecycle.reopen(s, document_id=document_id, actor=_door(door), reden=reden))
    console.print(f"grex {doc.id} ({doc.name}) heropend: weer in exploitatie")


def audit(document_id: int = typer.Argument(..., help="Id van het document"), as_json: bool = typer.Option(False, "--json"), url: str = URL) -> None:
    """Toon de audittrail van een document: wie wijzigde wat en wanneer."""
    from opengrex.services import lifecycle
    from opengrex.services.kinds import jsonable

    rows = _run(url, lambda s: lifecycle.audit_trail(s, document_id=document_id))
    if as_json:
        print_json(jsonable(rows))
        return
    t = Table(title=f"Audittrail van document {document_id}", title_justify="left")
    for c in ("Wanneer", "Actie", "Versie", "Door", "Toelichting"):
        t.add_column(c)
    for r in rows:
        t.add_row(r["op"].strftime("%d-%m-%Y %H:%M"), r["actie_label"], "" if r["versie"] is None else str(r["versie"]), r["door"], r["toelichting"])
    console.print(t)


def prullenbak(url: str = URL, as_json: bool = typer.Option(False, "--json")) -> None:
    """Toon de documenten in de prullenbak en wanneer ze definitief worden verwijderd."""
    from opengrex.services import lifecycle
    from opengrex.services.kinds import jsonable

    rows = _run(url, lambda s: lifecycle.bin_contents(s))
    if as_json:
        print_json(jsonable(rows))
        return
    if not rows:
        console.print("de prullenbak is leeg")
    for r in rows:
        console.print(f"{r['kind']} {r['id']} ({r['naam']}): verwijderd {r['verwijderd_op']:%d-%m-%Y} door {r['verwijderd_door'] or 'onbekend'}, "
                      f"definitief weg op {r['definitief_verwijderd_op']:%d-%m-%Y} (nog {r['dagen_over']} dagen)")


def opschonen(url: str = URL) -> None:
    """Verwijder documenten die langer dan 30 dagen in de prullenbak staan definitief (hun audittrail blijft)."""
    from opengrex.services import lifecycle

    purged = _run(url, lambda s: lifecycle.purge_expired(s, actor="opengrex db opschonen"))
    for item in purged:
        console.print(f"definitief verwijderd: {item}")
    console.print(f"{len(purged)} document{'en' if len(purged) != 1 else ''} definitief verwijderd (langer dan {lifecycle.BIN_DAYS} dagen in de prullenbak)")


def register(db_app: typer.Typer) -> None:
    """Add the document commands to ``opengrex db``."""
    db_app.command("lijst")(lijst)
    db_app.command("nieuwe-versie")(nieuwe_versie)
    db_app.command("archiveer")(_action("archive", "gearchiveerd"))
    db_app.command("dearchiveer")(_action("unarchive", "uit het archief gehaald"))
    db_app.command("verwijder")(_action("delete", "naar de prullenbak"))
    db_app.command("herstel")(_action("restore", "hersteld uit de prullenbak"))
    db_app.command("dupliceer")(_action("duplicate", "gedupliceerd"))
    db_app.command("openen")(_action("open_grex", "in exploitatie genomen"))
    db_app.command("afsluiten")(afsluiten)
    db_app.command("heropenen")(heropenen)
    db_app.command("audit")(audit)
    db_app.command("prullenbak")(prullenbak)
    db_app.command("opschonen")(opschonen)


__all__ = ["register"]
