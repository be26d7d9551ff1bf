"""``opengrex kostenverhaal actualiseer``: the yearly actualisation (§4.4) of a parameter set or a bijdrage input —
index series, new WOZ and plans → the next dated version with a diff (thin: parse, call the service, present)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from opengrex.cli.output import console, print_json, write_atomic
from opengrex.errors import InputError
from opengrex.formatting import eur, number, pct
from opengrex.io.documents import read_document
from opengrex.services import actualisatie as act


def _date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError("ongeldige datum", field=option, value=text, allowed="JJJJ-MM-DD") from None


def actualiseer_cmd(
    peildatum: str = typer.Option(..., "--peildatum", help="Nieuwe peildatum (JJJJ-MM-DD)"),
    set_name: str | None = typer.Option(None, "--set", help="Parameterset om te actualiseren (bijv. soest)"),
    invoer: Path | None = typer.Option(None, "--invoer", help="Of: een bijdrage-invoer om te actualiseren"),
    index: float | None = typer.Option(None, "--index", help="Eén vlakke indexfactor voor alle investeringen over de hele periode (0.03 = 3%)"),
    indexreeksen: Path | None = typer.Option(None, "--indexreeksen", help="YAML met indexreeksen per jaar ({naam: {2024: 0.035, 2025: 0.03}}); per investering 'index: naam'"),
    woz: Path | None = typer.Option(None, "--woz", help="YAML met gemiddelde WOZ per segment"),
    plannen: Path | None = typer.Option(None, "--plannen", help="YAML met plannen (en bestaande_woningen per gebied)"),
    output: Path | None = typer.Option(None, "-o", "--output", help="Schrijf de nieuwe versie hierheen (zonder: alleen het verschil tonen)"),
    as_json: bool = typer.Option(False, "--json", help="Verschil als JSON op stdout"),
) -> None:
    """Jaarlijkse actualisatie (§4.4): indexreeksen, nieuwe WOZ en plannen → volgende gedateerde set of invoer, met verschil.

    Indexering per investering met haar reeks (index: naam; anders standaard_index), pro rata per dag en samengesteld:
    factor = Π (1 + r_jaar) ^ (dagen in dat jaar / dagen van dat jaar), van de oude tot de nieuwe peildatum.
    """
    day = _date(peildatum, "--peildatum")
    if (set_name is None) == (invoer is None):
        raise InputError("geef precies één van --set en --invoer", field="--set/--invoer", allowed="--set NAAM of --invoer BESTAND")
    if index is not None and indexreeksen is not None:
        raise InputError("geef --index of --indexreeksen, niet beide", field="--index/--indexreeksen", value=index,
                         allowed="--index FRACTIE (één vlakke factor) of --indexreeksen BESTAND (reeksen per jaar)")
    woz_data = act.read_woz(woz) if woz is not None else None
    plan_data = act.read_plannen(plannen) if plannen is not None else None
    reeksen = act.read_indexreeksen(indexreeksen) if indexreeksen is not None else None
    if output is not None and output.suffix.lower() not in (".yaml", ".yml"):
        raise InputError("uitvoerbestand moet op .yaml eindigen", field="-o/--output", value=str(output), allowed="*.yaml")
    if set_name is not None:
        res = act.actualiseer_set(set_name, day, index=index, indexreeksen=reeksen, woz=woz_data, plannen=plan_data,
                                  bron=f"WOZ-bestand {woz.name}, ingelezen met opengrex kostenverhaal actualiseer" if woz else "opengrex kostenverhaal actualiseer")
        header = (f"# Parameterset {res.nieuw.get('naam', set_name)}, geldig vanaf {day.isoformat()}: actualisatie van {res.bron.name if res.bron else set_name}\n"
                  f"# (opengrex kostenverhaal actualiseer). Sla op als <map>/{day.isoformat()}.yaml.\n")
        if output is not None and output.stem != day.isoformat():
            raise InputError("de bestandsnaam van een parameterset is de datum waarop hij ingaat", field="-o/--output",
                             value=output.name, allowed=f"{day.isoformat()}.yaml")
    else:
        assert invoer is not None  # exactly one of --set and --invoer (checked above)
        data, _ = read_document(invoer)
        res = act.actualiseer_bijdrage(data, day, index=index, indexreeksen=reeksen, woz=woz_data, plannen=plan_data)
        header = f"# Actualisatie van {invoer.name} per {day.isoformat()} (opengrex kostenverhaal actualiseer).\n"
    if output is not None:
        text = act.dump_yaml(res.nieuw, header)
        write_atomic(output, lambda p: p.write_text(text, encoding="utf-8"))
    if as_json:
        print_json({**res.to_dict(), "geschreven": str(output) if output else None})
        return
    if res.indexering:
        how = ("één vlakke factor (--index)" if index is not None else act.CONVENTIE)
        t = Table(title=f"Indexering investeringen {res.van:%d-%m-%Y} → {res.tot:%d-%m-%Y}; bedragen in € prijspeil {res.tot:%d-%m-%Y}",
                  title_justify="left", caption=f"Factor: {how}.", caption_justify="left")
        for c in ("Investering", "Reeks", "Jaren (percentage × deel van het jaar)", "Factor", "Bruto oud", "Bruto nieuw", "Netto oud", "Netto nieuw"):
            t.add_column(c, justify="left" if c in ("Investering", "Reeks", "Jaren (percentage × deel van het jaar)") else "right")
        for r in res.indexering:
            years = ", ".join(f"{y['jaar']}: {pct(y['percentage'], 2)}" + ("" if y["dagen"] == y["dagen_in_jaar"] else f" × {y['dagen']}/{y['dagen_in_jaar']}")
                              for y in r["jaren"]) or "—"
            b = r["bedragen"].get("bruto", {"oud": 0.0, "nieuw": 0.0})
            t.add_row(str(r["investering"]), r["reeks"], years, number(r["factor"], 6), eur(b["oud"], 2), eur(b["nieuw"], 2),
                      eur(r["netto_oud"], 2), eur(r["netto_nieuw"], 2))
        console.print(t)
    for note in res.opmerkingen:
        console.print(f"[yellow]Let op:[/] {note}")
    changes = res.wijzigingen
    t = Table(title=f"Wijzigingen per {day:%d-%m-%Y} ({len(changes)})", title_justify="left")
    for c in ("Waarde", "Oud", "Nieuw"):
        t.add_column(c, justify="left" if c == "Waarde" else "right")
    for ch in changes:
        t.add_row(ch["pad"], _fmt(ch["oud"]), _fmt(ch["nieuw"]))
    console.print(t)
    console.print(f"Geschreven: {output}" if output is not None else "[dim]Niets geschreven (geef -o/--output om de nieuwe versie op te slaan).[/]")


def _fmt(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, (int, float)):
        return number(v, 2 if isinstance(v, float) and not float(v).is_integer() else 0)
    return str(v) if not isinstance(v, (dict, list)) else "(" + type(v).__name__ + ")"
