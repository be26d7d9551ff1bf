"""``opengrex monitor doelen|controle|voortgang`` and ``opengrex regio profiel`` (registered by :mod:`opengrex.cli.ruimte`)."""
from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from opengrex.cli.output import console, print_json
from opengrex.formatting import number, pct

monitor_app = typer.Typer(help="Doelenmonitor: register van doelen (seed 004), controles en voortgang van de plancapaciteit.", no_args_is_help=True)
regio_app = typer.Typer(help="Regioprofiel (seed 003): indicatoren per gemeente tegen de provincie.", no_args_is_help=True)

DOELEN_HELP = "Extra doelenbestand (YAML, zelfde formaat als het register; herhaalbaar): eigen doelen of latere versies"


def _machine_output(res, verklaar: str | None, json_out: bool) -> bool:
    """Print the explanation of one figure (``--verklaar``) or the whole result as JSON; True when done."""
    if verklaar:
        print_json(res.explain(verklaar).to_dict())
        return True
    if json_out:
        print_json(res.summary())
        return True
    return False


def _waarde(d) -> str:
    if d.eenheid == "aandeel":
        return pct(d.waarde, 1)
    return number(d.waarde)


@monitor_app.command("doelen")
def doelen_cmd(
    peildatum: str = typer.Option(None, "--peildatum", help="Het register zoals het op deze datum gold (JJJJ-MM-DD)"),
    gebied: str = typer.Option(None, "--gebied", help="Alleen doelen van dit gebied"),
    historie: bool = typer.Option(False, "--historie", help="Toon ook vervangen versies"),
    doelen: list[Path] = typer.Option(None, "--doelen", help=DOELEN_HELP),
    json_out: bool = typer.Option(False, "--json", help="Machineleesbare uitvoer (JSON)"),
) -> None:
    """Het register van doelen: programma, indicator, waarde, eenheid, doeljaar, gebied, bron en versiedatum."""
    from opengrex.services import monitor as svc

    extra = list(doelen or [])
    items = svc.load_doelen(extra) if historie else svc.doelen_register(peildatum, extra)
    if gebied:
        items = [d for d in items if d.gebied.lower() == gebied.lower()]
    items = sorted(items, key=lambda d: (d.niveau != "land", d.niveau, d.gebied, d.doeljaar, d.versiedatum))
    if json_out:
        print_json([d.model_dump(mode="json") for d in items])
        return
    current = {d.id: d.versiedatum for d in svc.doelen_register(peildatum, extra)}
    t = Table(title="Register van doelen" + (f" op {peildatum}" if peildatum else "") + (" (met historie)" if historie else ""), title_justify="left")
    for c in ("Gebied", "Niveau", "Programma", "Omschrijving", "Waarde", "Eenheid", "Doeljaar", "Versie", "Bron"):
        t.add_column(c, justify="right" if c in ("Waarde", "Doeljaar") else "left")
    for d in items:
        note = ""
        if d.misdruk:
            note = f" [yellow](in de bron gedrukt als '{d.misdruk.tekst}', regel {d.misdruk.regel})[/]"
        if d.illustratief:
            note += " [magenta](illustratief)[/]"
        versie = d.versiedatum.isoformat() + ("" if current.get(d.id) == d.versiedatum else " [dim](vervangen)[/]")
        t.add_row(d.gebied, d.niveau, d.programma, d.omschrijving + note, _waarde(d), d.eenheid, str(d.doeljaar), versie, d.bron.text())
    console.print(t)


@monitor_app.command("controle")
def controle_cmd(
    peildatum: str = typer.Option(None, "--peildatum", help="Het register op deze datum"),
    doelen: list[Path] = typer.Option(None, "--doelen", help=DOELEN_HELP),
    json_out: bool = typer.Option(False, "--json", help="Machineleesbare uitvoer (JSON)"),
) -> None:
    """Controleer het register: som van de delen (provincies) tegen het geheel (nationaal), en drukfouten in de bron."""
    from opengrex.services import monitor as svc

    res = svc.controle(peildatum, list(doelen or []))
    if json_out:
        print_json(res)
        return
    for c in res["controles"]:
        t = Table(title=f"{c['indicator']} tot {c['doeljaar']}: {c['aantal_delen']} delen tegen {c['geheel']['gebied']}", title_justify="left", show_header=False)
        t.add_column("")
        t.add_column("", justify="right")
        for p in c["delen"]:
            t.add_row(p["gebied"], number(p["waarde"]))
        t.add_row("[bold]Som van de delen[/]", f"[bold]{number(c['som_delen'])}[/]")
        t.add_row(f"{c['geheel']['gebied']} ({c['geheel']['bron']})", number(c["geheel"]["waarde"]))
        t.add_row("[bold]Verschil[/]", f"[bold]{number(c['verschil'])}[/] ({pct(c['verschil_relatief'], 2)}): {c['oordeel']}")
        console.print(t)
    for m in res["misdrukken"]:
        console.print(f"[yellow]Drukfout in de bron:[/] {m['gebied']}: gedrukt '{m['gedrukt']}' (regel {m['regel']}), geregistreerd {number(m['waarde'])}. {m['toelichting']}")


@monitor_app.command("voortgang")
def voortgang_cmd(
    pijplijn: Path = typer.Argument(..., help="Plancapaciteit (CSV of xlsx: gemeente, plan, woningen, hardheid, jaar_gereed, segment; "
                                                "of een plancapaciteitdocument in YAML/JSON, zie examples/monitor/plancapaciteit-heuvelrug.yaml)"),
    gebied: str = typer.Option(None, "--gebied", help="Land, provincie, regio of gemeente (voorvoegsel provincie:/regio:/gemeente: bij dubbele namen); "
                                                      "standaard het gebied van het document, anders Nederland"),
    peildatum: str = typer.Option(None, "--peildatum", help="Doelen zoals ze op deze datum golden"),
    doelen: list[Path] = typer.Option(None, "--doelen", help=DOELEN_HELP),
    gebieden: list[Path] = typer.Option(None, "--gebieden", help="Extra gebiedsindeling (YAML, formaat codes/gebieden.yaml)"),
    verklaar: str = typer.Option(None, "--verklaar", help="Verklaar: dekking, aandeel_betaalbaar of aandeel_sociale_huur"),
    json_out: bool = typer.Option(False, "--json", help="Machineleesbare uitvoer (JSON)"),
) -> None:
    """Voortgang van de plancapaciteit tegen het doel van een gebied per jaar (hard / zacht / nader te bepalen),
    met het aandeel betaalbaar (norm ten minste 2/3) en sociale huur (streven 30%)."""
    from opengrex.services import monitor as svc

    rows: Path | list = pijplijn
    if pijplijn.suffix.lower() in (".yaml", ".yml", ".json"):  # a plancapaciteit document: its plans, area and peildatum
        doc = svc.load_plancapaciteit(pijplijn, svc.load_gebieden(list(gebieden or [])))
        rows = list(doc.plannen)
        gebied = gebied or doc.gebied
        if not peildatum and doc.peildatum:
            peildatum = doc.peildatum.isoformat()
    res = svc.voortgang(rows, gebied or "Nederland", peildatum=peildatum, doelen=list(doelen or []), gebieden=list(gebieden or []))
    if _machine_output(res, verklaar, json_out):
        return
    d = res.doel
    console.print(f"[bold]Voortgang plancapaciteit {res.gebied}[/] ({res.niveau}), {res.aantal_plannen} plannen")
    if d is None:
        console.print("[yellow]Geen woningbouwdoel voor dit gebied in het register[/] (voeg er een toe met --doelen); alleen de plancapaciteit staat hieronder.")
    else:
        console.print(f"Doel: {number(d.waarde)} woningen {d.startjaar or ''}–{d.doeljaar} ({d.bron.text()}, versie {d.versiedatum.isoformat()})" + (" [magenta]illustratief[/]" if d.illustratief else ""))
    t = Table(title="Cumulatief verwacht gereed per jaar (woningen)", title_justify="left")
    for c in ("Jaar", "Hard", "Zacht", "Nader te bepalen", "Totaal", "Doeltraject", "Totaal / traject"):
        t.add_column(c, justify="right")
    tot = res.totaal()
    for i, y in enumerate(res.jaren):
        tr = res.traject[i] if res.traject is not None else None
        t.add_row(str(y), *[number(res.cumulatief[h, i]) for h in range(3)], number(tot[i]), "–" if tr is None else number(tr),
                  "–" if not tr else pct(tot[i] / tr, 0))
    console.print(t)
    dek = res.dekking()
    if d is not None:
        console.print(f"Dekking van het doel tot en met {d.doeljaar}: hard {pct(dek['hard'], 1)}, hard + zacht {pct(dek['hard_zacht'], 1)}, alles {pct(dek['alles'], 1)}")
    nb, ns = res.norm_betaalbaar, res.norm_sociale_huur
    ok = lambda a, n: "" if a != a or n is None else ("[green]voldoet[/]" if a >= n.waarde - 1e-12 else "[red]onder de norm[/]")  # noqa: E731
    console.print(f"Aandeel betaalbaar (sociale huur, middenhuur, betaalbare koop): {pct(res.aandeel_betaalbaar, 1)}"
                  + (f" — norm ten minste {pct(nb.waarde, 1)} {ok(res.aandeel_betaalbaar, nb)}" if nb else ""))
    console.print(f"Aandeel sociale huur: {pct(res.aandeel_sociale_huur, 1)}" + (f" — streven {pct(ns.waarde, 0)} (woningvoorraad) {ok(res.aandeel_sociale_huur, ns)}" if ns else ""))


@regio_app.command("profiel")
def profiel_cmd(
    regio: str = typer.Option("heuvelrug-kromme-rijnstreek", "--regio", help="Regioprofiel (parameters/regio/<naam>.yaml)"),
    verklaar: str = typer.Option(None, "--verklaar", help="Verklaar één afwijking: <indicator>:<gemeente>, bijv. eenzaamheid:Zeist"),
    json_out: bool = typer.Option(False, "--json", help="Machineleesbare uitvoer (JSON)"),
) -> None:
    """Indicatoren per gemeente met de afwijking van de provincie, gunstig of niet, en de kerncijfers van de regio."""
    from opengrex.services import monitor as svc

    res = svc.regio_profiel(regio)
    if _machine_output(res, verklaar, json_out):
        return
    p = res.profiel
    k = p.kerncijfers
    console.print(f"[bold]Regio {p.naam}[/] ({', '.join(p.gemeenten)}): {number(k['inwoners'].waarde)} inwoners, {number(k['arbeidsplaatsen'].waarde)} arbeidsplaatsen, "
                  f"{k['bedrijfsvestigingen'].kwalificatie + ' ' if k['bedrijfsvestigingen'].kwalificatie else ''}{number(k['bedrijfsvestigingen'].waarde)} bedrijfsvestigingen")
    t = Table(title=f"Afwijking van de provincie {p.provincie} (procentpunt; groen gunstig, rood ongunstig)", title_justify="left",
              caption=f"Bron: {p.bron['tabel']}; {p.bron['document']}, regels {p.bron['regels']}. {p.bron.get('opmerking') or ''}", caption_justify="left")
    t.add_column("Indicator")
    t.add_column("Beter", justify="left")
    for g in res.gemeenten:
        t.add_column(g, justify="right")
    t.add_column(f"Provincie {p.provincie}", justify="right")
    for ii, ind in enumerate(p.indicatoren):
        cells = []
        for gi in range(len(res.gemeenten)):
            v, d, gu = res.waarden[gi, ii], res.afwijking[gi, ii], res.gunstig[gi, ii]
            if v != v:
                cells.append("[dim]–[/]")
                continue
            colour = "green" if gu == 1.0 else "red" if gu == 0.0 else "white"
            cells.append(f"{number(v, 1)}% [{colour}]({'+' if d > 0 else ''}{number(d, 1)})[/]")
        t.add_row(ind.naam, "lager" if ind.polariteit == "lager_is_beter" else "hoger", *cells, f"{number(ind.provincie, 1)}%")
    console.print(t)
