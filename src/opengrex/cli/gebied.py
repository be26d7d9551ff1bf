"""``opengrex gebied …`` (gebiedsbegroting, gebiedsfonds, spelregels) and ``opengrex governance`` (beslisboom).

Thin: every command calls :mod:`opengrex.services.gebied` / :mod:`opengrex.services.governance` and only presents the
report. Public (Woo) and confidential output come from the same report structure: ``--openbaar`` computes without
the confidential fields, so no confidential value can reach the output.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from opengrex.cli.output import console, print_json, write_atomic
from opengrex.errors import InputError
from opengrex.formatting import eur, number, pct
from opengrex.services import gebied as api
from opengrex.services import governance as gov

app = typer.Typer(help="Gebiedsbegroting: partijen, investeringen, spelregels en het gebiedsfonds (één portemonnee).", no_args_is_help=True)

OPENBAAR_HELP = "Openbare versie (Woo): zonder transactieprijzen, marges en toelichtingen, en zonder de cijfers die daarvan afhangen"
VERTROUWELIJK_HELP = "Vertrouwelijke versie: alle cijfers (standaard)"


def register(root: typer.Typer) -> None:
    """Register ``gebied`` (group) and ``governance`` (command) on the root app (one line in cli/__init__.py)."""
    root.add_typer(app, name="gebied")
    root.command("governance")(governance_cmd)


def _variant(openbaar: bool, vertrouwelijk: bool) -> bool:
    if openbaar and vertrouwelijk:
        raise InputError("kies óf --openbaar óf --vertrouwelijk", field="--openbaar", allowed="één van beide")
    return openbaar


def _n(v: Any, decimals: int = 0) -> str:
    """A figure for a table: nl-NL number, or the Woo marker."""
    return v if isinstance(v, str) else number(v, decimals)


def _split(text: str | None) -> list[str] | None:
    return [t.strip() for t in text.split(",") if t.strip()] if text else None


# --------------------------------------------------------------------------------------------------- bereken
@app.command("bereken")
def bereken(
    bestand: Path = typer.Argument(..., help="Gebied als YAML of JSON"),
    json_out: bool = typer.Option(False, "--json", help="Machineleesbare uitvoer (JSON)"),
    openbaar: bool = typer.Option(False, "--openbaar", help=OPENBAAR_HELP),
    vertrouwelijk: bool = typer.Option(False, "--vertrouwelijk", help=VERTROUWELIJK_HELP),
    regelset: str = typer.Option(None, "--regelset", help="Naam van de spelregelset (standaard de actieve)"),
    onderdelen: str = typer.Option(None, "--onderdelen", help="Alleen deze onderdelen, kommagescheiden: " + ", ".join(api.ONDERDELEN)),
    verklaar: str = typer.Option(None, "--verklaar", help="Verklaar één kengetal: gebied, fonds, partij:<id>, regel:<naam>"),
) -> None:
    """Bereken een gebiedsbegroting: één portemonnee en per partij, investeringen per soort, de spelregels in hun
    volgorde met hun effect per partij, het gebiedsfonds (saldo met rente; waarschuwing bij een negatief saldo) en
    wie welk risico draagt."""
    pub = _variant(openbaar, vertrouwelijk)
    g = api.load_gebied(bestand)
    res = api.calculate_gebied(g, regelset=regelset, openbaar=pub)
    parts = _split(onderdelen)
    if verklaar:
        print_json(res.explain(verklaar).to_dict())
        return
    report = res.rapport(parts)
    if json_out:
        print_json(report)
        return
    print_rapport(report)


def print_rapport(d: dict[str, Any]) -> None:
    """The report as rich tables (nl-NL; 'vertrouwelijk' where the public variant withholds a figure)."""
    woo = d["woo"]
    kop = "OPENBARE VERSIE (Woo)" if d["variant"] == api.OPENBAAR else "VERTROUWELIJK – niet openbaar maken (Woo)"
    console.print(f"[bold]{d['naam']}[/]  spelregelset: {d['regelset'] or '–'}; prijspeil {d['prijspeil']}; {d['jaren'][0]}–{d['jaren'][-1]}")
    console.print(f"[bold]{kop}[/] {woo['toelichting']}")
    console.print(f"Eenheid: {d['eenheid']}.")
    if "samenvatting" in d:
        s = d["samenvatting"]
        t = Table(title="Samenvatting", title_justify="left", show_header=False)
        t.add_column("")
        t.add_column("", justify="right")
        t.add_row("Gebied nominaal (één portemonnee)", _eur(s["gebied_nominaal"]))
        t.add_row("Gebied contant", _eur(s["gebied_contant"]))
        t.add_row("Gebiedsfonds eindsaldo", _eur(s["fonds_eindsaldo"]))
        t.add_row(f"Gebiedsfonds laagste saldo ({s['fonds_laagste_jaar']})", _eur(s["fonds_laagste_saldo"]))
        console.print(t)
    if "partijen" in d:
        t = Table(title="Per partij (netto positie, € nominaal; ontvangen positief)", title_justify="left")
        for c in ("Partij", "Soort", *[api.COMPONENT_LABELS[c] for c in api.COMPONENTEN], "Totaal", "Contant"):
            t.add_column(c, justify="left" if c in ("Partij", "Soort") else "right")
        for p in d["partijen"]:
            t.add_row(p["naam"], p["soort"], *[_n(p["onderdelen"][c]) for c in api.COMPONENTEN], _n(p["totaal"]), _n(p["contant"]))
        console.print(t)
    if "gebied" in d:
        t = Table(title="Eén portemonnee per jaar (€ nominaal)", title_justify="left")
        t.add_column("Jaar", justify="right")
        for c in (*[api.COMPONENT_LABELS[c] for c in api.COMPONENTEN], "Netto"):
            t.add_column(c, justify="right")
        for r in d["gebied"]["per_jaar"]:
            t.add_row(str(r["jaar"]), *[_n(r[c]) for c in api.COMPONENTEN], _n(r["netto"]))
        tot = d["gebied"]["totaal"]
        t.add_row("Totaal", *[_n(tot[c]) for c in api.COMPONENTEN], _n(tot["netto"]), style="bold")
        console.print(t)
    if "investeringen" in d:
        t = Table(title="Investeringen per soort (€ nominaal)", title_justify="left")
        cols = ("risicodragend", "in_natura", "publiek_infra", "afname_vastgoed", "bijdragen_fonds")
        t.add_column("Partij")
        for c in ("Risicodragend", "In natura", "Publiek geld infrastructuur", "Afname vastgoed", "Bijdragen gebiedsfonds"):
            t.add_column(c, justify="right")
        for r in d["investeringen"]:
            t.add_row(r["partij"], *[_n(r[c]) for c in cols])
        console.print(t)
    if "spelregels" in d and d["spelregels"]["regels"]:
        sp = d["spelregels"]
        rek = [p["id"] for p in d.get("partijen", [])] or list(sp["regels"][0]["per_rekening"])
        t = Table(title=f"Spelregels '{sp['set']}' in volgorde: effect per partij (€ nominaal, ontvangen positief)", title_justify="left", caption=sp["toelichting"], caption_justify="left")
        t.add_column("#", justify="right")
        t.add_column("Regel")
        t.add_column("Soort")
        for a in rek:
            t.add_column(a, justify="right")
        for r in sp["regels"]:
            t.add_row(str(r["volgorde"]), r["naam"], r["label"], *[_n(r["per_rekening"][a]) for a in rek])
        console.print(t)
    if "fonds" in d:
        f = d["fonds"]
        t = Table(title=f"{f['naam']} (€ nominaal)", title_justify="left", caption=f["toelichting"], caption_justify="left")
        for c in ("Jaar", "Structureel", "Kostenverhaal", "Spelregels", "Uitgaven", "Rente", "Saldo"):
            t.add_column(c, justify="right")
        for r in f["per_jaar"]:
            style = "red" if isinstance(r["saldo"], float) and r["saldo"] < 0 else None
            t.add_row(str(r["jaar"]), *[_n(r[c]) for c in ("structureel", "kostenverhaal", "spelregels", "uitgaven", "rente", "saldo")], style=style)
        console.print(t)
    if d.get("risicos"):
        t = Table(title="Risico's: wie draagt wat (€, verwachte waarde = kans × omvang × aandeel)", title_justify="left")
        for c in ("Risico", "Omvang", "Kans", "Verwacht", "Dragers"):
            t.add_column(c, justify="left" if c in ("Risico", "Dragers") else "right")
        for r in d["risicos"]:
            t.add_row(r["risico"], number(r["bedrag"]), pct(r["kans"], 0), number(r["verwacht"]), "; ".join(f"{k}: {_n(v)}" for k, v in r["dragers"].items()))
        console.print(t)
    if d.get("verwijzingen"):
        t = Table(title="Gekoppeld (niet opnieuw ingevoerd)", title_justify="left")
        for c in ("Soort", "Bron", "Partij", "Bedragen"):
            t.add_column(c)
        for r in d["verwijzingen"]:
            amounts = f"kosten {number(r['kosten'])}, opbrengsten {number(r['opbrengsten'])}" if r["soort"] == "programmaproject" else f"{number(r['bedrag'])} naar {r['naar']}"
            t.add_row(r["soort"], r["bron"], r["partij"], amounts)
        console.print(t)
    if d.get("transacties"):
        t = Table(title="Grond- en vastgoedtransacties (VERTROUWELIJK)", title_justify="left")
        for c in ("Transactie", "Soort", "Koper", "Verkoper", "Prijs (prijspeil)"):
            t.add_column(c, justify="right" if c.startswith("Prijs") else "left")
        for r in d["transacties"]:
            t.add_row(r["naam"], r["soort"], r["koper"], r["verkoper"], _n(r["prijs"]) if r["prijs"] is not None else "–")
        console.print(t)
    if d.get("marges"):
        t = Table(title="Eigen marges (VERTROUWELIJK)", title_justify="left")
        for c in ("Partij", "Marge", "Opbrengsten", "Vereiste marge", "Resultaat na marge"):
            t.add_column(c, justify="left" if c == "Partij" else "right")
        for r in d["marges"]:
            t.add_row(r["partij"], pct(r["marge"]), _n(r["opbrengsten"]), _n(r["vereiste_marge"]), _n(r["resultaat_na_marge"]))
        console.print(t)
    for w in d.get("waarschuwingen", []):
        console.print(f"[bold yellow]{w}[/]")


def _eur(v: Any) -> str:
    return v if isinstance(v, str) else eur(v)


# --------------------------------------------------------------------------------------------------- export
@app.command("export")
def export(
    bestand: Path = typer.Argument(..., help="Gebied als YAML of JSON"),
    uit: Path = typer.Option(..., "-o", "--output", help="Werkboek (.xlsx) met live formules"),
    openbaar: bool = typer.Option(False, "--openbaar", help=OPENBAAR_HELP),
    vertrouwelijk: bool = typer.Option(False, "--vertrouwelijk", help=VERTROUWELIJK_HELP),
    regelset: str = typer.Option(None, "--regelset", help="Naam van de spelregelset (standaard de actieve)"),
) -> None:
    """Schrijf de gebiedsbegroting als Excel-werkboek met live formules (elke uitkomst een formule op de invoer)."""
    from opengrex.io.xlsx_gebied import write_gebied_xlsx

    pub = _variant(openbaar, vertrouwelijk)
    if uit.suffix.lower() != ".xlsx":
        raise InputError("uitvoer moet een .xlsx-bestand zijn", field="-o/--output", value=str(uit), allowed="een pad dat eindigt op .xlsx")
    res = api.calculate_gebied(api.load_gebied(bestand), regelset=regelset, openbaar=pub)
    write_atomic(uit, lambda p: write_gebied_xlsx(res, p))
    console.print(f"Werkboek ({res.variant}) geschreven naar {uit}")


# --------------------------------------------------------------------------------------------------- vergelijk
@app.command("vergelijk")
def vergelijk(
    bestand: Path = typer.Argument(..., help="Gebied als YAML of JSON"),
    regelset: str = typer.Option(None, "--regelset", help="Bij --varieer: de set waarvan varianten worden gemaakt (standaard de actieve)"),
    varieer: list[str] = typer.Option(None, "--varieer", help="REGEL.PARAMETER[.SLEUTEL]=VAN:TOT:N of =a,b,c (herhaalbaar; alle combinaties in één berekening)"),
    json_out: bool = typer.Option(False, "--json", help="Machineleesbare uitvoer (JSON)"),
    openbaar: bool = typer.Option(False, "--openbaar", help=OPENBAAR_HELP),
    vertrouwelijk: bool = typer.Option(False, "--vertrouwelijk", help=VERTROUWELIJK_HELP),
    top: int = typer.Option(50, "--toon", help="Toon hoogstens zoveel varianten in de tabel", min=1),
) -> None:
    """Vergelijk de spelregelsets van een gebied naast elkaar, of varianten van één set (parameters gevarieerd, alle
    varianten in één gevectoriseerde berekening): per partij het resultaat, het eind- en laagste fondssaldo."""
    pub = _variant(openbaar, vertrouwelijk)
    g = api.load_gebied(bestand)
    v = api.compare_rule_sets(g, varianten_tekst=varieer or (), regelset=regelset, openbaar=pub)
    if json_out:
        print_json(v.to_dict())
        return
    rek = g.rekeningen()
    t = Table(title=f"{g.naam}: {'varianten van ' + (v.rijen[0]['regelset'] or '') if v.variaties else 'spelregelsets'} naast elkaar (totaal per partij, € nominaal)", title_justify="left")
    t.add_column("#", justify="right")
    t.add_column("Spelregelset" if not v.variaties else "Variant")
    for var in v.variaties:
        t.add_column(var.label, justify="right")
    for a in rek:
        t.add_column(a, justify="right")
    t.add_column("Fonds eind", justify="right")
    t.add_column("Fonds laagste", justify="right")
    for r in v.rijen[:top]:
        t.add_row(str(r["variant"]), r["regelset"] or "", *[number(r[var.label], 2) for var in v.variaties], *[_n(r[f"totaal:{a}"]) for a in rek],
                  number(r["fonds_eindsaldo"]), number(r["fonds_laagste_saldo"]))
    console.print(t)
    if len(v.rijen) > top:
        console.print(f"… en nog {len(v.rijen) - top} varianten (--toon N of --json voor alles).")


@app.command("regeltypen")
def regeltypen(json_out: bool = typer.Option(False, "--json", help="Machineleesbare uitvoer (JSON)")) -> None:
    """Toon de soorten spelregels met hun parameters en bron."""
    types = api.rule_types()
    if json_out:
        print_json(types)
        return
    for rt in types:
        console.print(f"[bold]{rt['type']}[/]: {rt['label']}\n  formule: {rt['formule']}\n  bron: {rt['bron']}")
        for p in rt["parameters"]:
            extra = f" ({', '.join(p['keuzes'])})" if p.get("keuzes") else ""
            console.print(f"  - {p['naam']}: {p['label']}{' [' + p['eenheid'] + ']' if p['eenheid'] else ''}{'' if p['verplicht'] else ' (optioneel)'}{extra}")


# --------------------------------------------------------------------------------------------------- governance
def governance_cmd(
    antwoorden: Path = typer.Option(None, "--antwoorden", help="Antwoorden als YAML/JSON (vraag-id: antwoord); ontbrekende antwoorden worden gevraagd"),
    json_out: bool = typer.Option(False, "--json", help="Machineleesbare uitvoer (JSON)"),
) -> None:
    """Beslisboom governance (Praktijkhandleiding NOVEX): stelt de vragen en beveelt een samenwerkingsvorm aan
    (publieke tender, SOK, GEM/PPS, publiek kader met deelgebieden of organisch), met de infrastructuur- en de
    collectieve tak, het advies per vorm en het pad van antwoorden."""
    import sys

    boom = gov.load_beslisboom()
    given: dict[str, Any] = gov.load_antwoorden(antwoorden) if antwoorden else {}
    advies = gov.loop(boom, given)
    while not advies.klaar:
        volgende = advies.volgende
        assert volgende is not None  # not klaar: a question is waiting
        q = boom.vragen[volgende]
        if not sys.stdin.isatty() and (json_out or antwoorden):
            raise InputError(f"antwoord ontbreekt op '{q.vraag}'", location=str(antwoorden) if antwoorden else None, field=advies.volgende, allowed=", ".join(q.waarden()))
        console.print(f"\n[bold]{q.vraag}[/]" + (f"\n{q.toelichting}" if q.toelichting else ""))
        for a in q.antwoorden:
            console.print(f"  [bold]{a.waarde}[/]: {a.label}")
        console.print(f"  [dim]bron: seed 001, {q.bron.sectie} (regel {q.bron.regels})[/]")
        keuze = ""
        while keuze not in q.waarden():
            keuze = str(typer.prompt(f"Antwoord ({'/'.join(q.waarden())})")).strip().lower()
            if keuze not in q.waarden():
                console.print(f"Kies een van: {', '.join(q.waarden())}")
        given[volgende] = keuze
        advies = gov.loop(boom, given)
    if json_out:
        print_json(advies.to_dict())
        return
    print_advies(advies)


def print_advies(advies: gov.Advies) -> None:
    d = advies.to_dict()
    console.print(f"\n[bold]Aanbevolen vorm van de ontwikkelorganisatie: {d['aanbeveling']}[/]")
    t = Table(title="Pad van antwoorden", title_justify="left")
    for c in ("Onderdeel", "Vraag", "Antwoord", "Bron (seed 001)"):
        t.add_column(c)
    for s in d["pad"]:
        t.add_row(s["onderdeel"], s["vraag"], s["label"], f"{s['bron']['sectie']}, regel {s['bron']['regels']}")
    console.print(t)
    for u in d["uitkomsten"]:
        console.print(f"\n[bold]{u['onderdeel']}: {u['label']}[/]\n{u['samenvatting']}")
        for a in u["advies"]:
            console.print(f"  • {a}")
        if u["voorbeelden"]:
            console.print(f"  Voorbeelden: {u['voorbeelden']}")
        if u["spelregels"]:
            console.print(f"  Passende spelregels in opengrex gebied: {', '.join(u['spelregels'])}")
        console.print(f"  [dim]Bron: seed 001, {u['bron']['sectie']} (regel {u['bron']['regels']})[/]")
