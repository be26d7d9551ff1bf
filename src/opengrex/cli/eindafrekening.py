"""``opengrex kostenverhaal eindafrekening``: the eindafrekening of a paid bijdrage (bijlage A4: 5 %-regel, rente,
nooit bijbetalen) or a planschade settlement (thin: parse, call the service, present)."""
from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from opengrex.cli.output import console, print_explanation, print_json
from opengrex.formatting import eur, pct
from opengrex.model.eindafrekening import PlanschadeAfrekening, _Bijdrageafrekening
from opengrex.services.eindafrekening import BijdrageAfrekeningResult, PlanschadeAfrekeningResult, calculate_eindafrekening, explain, load_eindafrekening


def eindafrekening_cmd(
    invoer: Path = typer.Argument(..., help="Afrekening (YAML/JSON): betaling, categorieën, herberekende kosten"),
    as_json: bool = typer.Option(False, "--json", help="Machine-leesbare JSON op stdout"),
    verklaar: str | None = typer.Option(None, "--verklaar", help="Verklaar één kengetal: verschuldigd, terugbetaling, rente, aandeel, kosten_contant (planschade: planschade)"),
) -> None:
    """Eindafrekening (bijlage A4): 5%-regel, terugbetaling met wettelijke rente; nooit bijbetalen. Ook planschade."""
    res = calculate_eindafrekening(load_eindafrekening(invoer))
    if verklaar is not None:
        print_explanation(explain(res, verklaar), as_json=as_json)
        return
    if as_json:
        print_json(res.to_dict())
        return
    inv = res.invoer
    console.print(f"[bold]{inv.naam}[/]  ({res.soort}, datum {inv.datum:%d-%m-%Y}; parameterset {res.parameterset})")
    r = Table(show_header=False, title="Eindafrekening" if res.soort != "planschade" else "Planschade-afrekening", title_justify="left")
    r.add_column("")
    r.add_column("", justify="right")
    if isinstance(res, PlanschadeAfrekeningResult) and isinstance(inv, PlanschadeAfrekening):
        p = inv.planschade
        r.add_row("Geraamde planschade (in exploitatiebijdrage)", eur(p.geraamd, 2))
        r.add_row("Werkelijke planschade", eur(p.werkelijk, 2))
        r.add_row("Terugbetaling aan initiatiefnemer", eur(res.totaal_terug, 2))
        r.add_row("Naheffing bij initiatiefnemer", eur(res.naheffing, 2))
        console.print(r)
    elif isinstance(res, BijdrageAfrekeningResult) and isinstance(inv, _Bijdrageafrekening):
        t = Table(title=f"Herberekende kosten per categorie, contant per betaaldatum {inv.betaling.datum:%d-%m-%Y} ({pct(inv.disconteringsvoet)})", title_justify="left")
        for c in ("Categorie", "Omschrijving", "Raming", "Herberekend (contant)", "Verschil", "Aandeel plan: raming", "Aandeel plan: herberekend"):
            t.add_column(c, justify="left" if c in ("Categorie", "Omschrijving") else "right")
        for cat in res.per_categorie:
            t.add_row(cat["categorie"], cat["omschrijving"], eur(cat["raming"]), eur(cat["herberekend_contant"]), eur(cat["verschil"]),
                      eur(cat["aandeel_plan_raming"], 2), eur(cat["aandeel_plan_herberekend"], 2))
        console.print(t)
        r.add_row("Betaald", eur(res.betaald, 2))
        r.add_row(f"Verschuldigd (aandeel {pct(res.aandeel, 4)})", eur(res.verschuldigd, 2))
        r.add_row("Te veel betaald", eur(res.verschil, 2))
        r.add_row(f"Drempel {pct(res.drempel, 0)} van betaald (blijft bij de gemeente)", eur(res.drempelbedrag, 2))
        r.add_row("Terugbetaling", eur(res.terugbetaling, 2))
        r.add_row(f"Rente tot {inv.datum:%d-%m-%Y}", eur(res.rente, 2))
        r.add_row("Totaal terug aan initiatiefnemer", eur(res.totaal_terug, 2), style="bold")
        r.add_row("Bijbetaling", eur(0.0, 2))
        console.print(r)
        if res.rente_regels:
            t = Table(title=f"Rente ({res.rente_bron})", title_justify="left")
            for c in ("Rentejaar", "Van", "Tot", "Dagen", "Rente %", "Grondslag", "Rente"):
                t.add_column(c, justify="right")
            for row in res.rente_regels:
                t.add_row(str(row["rentejaar"]), f"{row['van']:%d-%m-%Y}", f"{row['tot']:%d-%m-%Y}", str(row["dagen"]),
                          pct(row["rente_pct"]), eur(row["grondslag"], 2), eur(row["rente"], 2))
            console.print(t)
    for line in res.uitleg:
        console.print(f"• {line}")
    for w in res.waarschuwingen:
        console.print(f"[yellow]Let op:[/] {w}")
