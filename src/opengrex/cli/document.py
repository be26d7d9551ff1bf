"""``opengrex document …``: work on document files as such (``migreer``: rewrite old keys to the Dutch ones)."""
from __future__ import annotations

from pathlib import Path

import typer

from opengrex.cli.output import console, write_atomic
from opengrex.errors import InputError

app = typer.Typer(help="Documenten: omzetten naar de Nederlandse sleutels.", no_args_is_help=True)


@app.command("migreer")
def migreer(
    bestand: Path = typer.Argument(..., help="Document (YAML of JSON) met de sleutels van de eerste versie, bijv. name, amount, start_year"),
    output: Path = typer.Option(None, "-o", "--output", help="Schrijf hierheen; zonder -o wordt het bestand zelf herschreven"),
    soort: str = typer.Option(None, "--soort", help="grex, programma, kostenverhaal, bijdrage of eindafrekening (standaard: herkend aan de sleutels)"),
) -> None:
    """Herschrijf een document naar de Nederlandse sleutels (naam, bedrag, startjaar, …). Commentaar, volgorde van
    de sleutels en opmaak blijven staan; oude bestanden blijven ook zonder omzetten gewoon te lezen."""
    from opengrex.io.migreer import migrate_text

    if not bestand.is_file():
        raise InputError("bestand niet gevonden", location=str(bestand), value=str(bestand))
    if bestand.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise InputError("onbekend bestandstype", location=str(bestand), value=bestand.suffix, allowed=".yaml, .yml, .json")
    target = output or bestand
    if target.suffix.lower() != bestand.suffix.lower() and not (target.suffix.lower() in (".yaml", ".yml") and bestand.suffix.lower() in (".yaml", ".yml")):
        raise InputError("uitvoer moet hetzelfde bestandstype hebben", field="-o/--output", value=str(target), allowed=bestand.suffix)
    result = migrate_text(bestand.read_text(encoding="utf-8"), str(bestand), soort)
    write_atomic(target, lambda p: p.write_text(result.text, encoding="utf-8"))
    keys = sorted({f"{old} → {new}" for _, old, new in result.renamed})
    console.print(f"{target}: {result.kind}, {len(result.renamed)} sleutel(s) hernoemd" + (f" ({', '.join(keys)})" if keys else " (al omgezet)"))
