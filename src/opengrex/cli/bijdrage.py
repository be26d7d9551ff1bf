"""``opengrex kostenverhaal bijdrage``: the financiële bijdrage fysieke leefomgeving in six steps (§4.1) — tabel 1–5,
one plan's contribution, explanations (thin: parse, call the service, present)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from opengrex.cli.output import console, print_explanation, print_json, write_atomic
from opengrex.errors import InputError
from opengrex.formatting import eur, number, pct
from opengrex.services.bijdrage import BijdrageResult, calculate_bijdrage, explain, load_bijdrage_input, plan_contribution, write_bijdrage_xlsx


def bijdrage_cmd(
    invoer: Path = typer.Argument(..., help="Invoer (YAML/JSON): gebieden, investeringen, plannen, WOZ"),
    plan_gebied: str | None = typer.Option(None, "--plan-gebied", help="Gebied van een plan om de bijdrage van te berekenen"),
    sociaal: float = typer.Option(0.0, "--sociaal", help="Woningen sociaal in het plan"),
    midden: float = typer.Option(0.0, "--midden", help="Woningen midden in het plan"),
    duur: float = typer.Option(0.0, "--duur", help="Woningen duur in het plan"),
    as_json: bool = typer.Option(False, "--json", help="Machine-leesbare JSON op stdout"),
    xlsx: Path | None = typer.Option(None, "--xlsx", help="Schrijf tabel 1-5 met live formules naar dit .xlsx-bestand"),
    verklaar: str | None = typer.Option(None, "--verklaar", help="Verklaar één kengetal, bijv. tarief:Kern Soest:duur, prijs:Kern Soest, grondwaarde:duur, netto:<investering>"),
) -> None:
    """Financiële bijdrage fysieke leefomgeving (§4.1, zes stappen): tabel 1-5 en de bijdrage van een plan."""
    result = calculate_bijdrage(load_bijdrage_input(invoer))
    if verklaar is not None:
        print_explanation(explain(result, verklaar), as_json=as_json)
        return
    homes = {"sociaal": sociaal, "midden": midden, "duur": duur}
    plan = None
    if plan_gebied is not None:
        plan = plan_contribution(result, plan_gebied, {k: v for k, v in homes.items() if v or k in result.segmenten})
    elif any(homes.values()):
        raise InputError("geef ook het gebied van het plan", field="--plan-gebied", allowed=", ".join(result.gebieden))
    if xlsx is not None:
        if xlsx.suffix.lower() != ".xlsx":
            raise InputError("uitvoerbestand moet op .xlsx eindigen", field="--xlsx", value=str(xlsx), allowed="*.xlsx")
        write_atomic(xlsx, lambda p: write_bijdrage_xlsx(result, p))
    if as_json:
        data = result.to_dict()
        if plan is not None:
            data["plan"] = plan
        print_json(data)
        return
    _print_bijdrage(result, plan)
    if xlsx is not None:
        console.print(f"Geschreven: {xlsx} (tabel 1-5 met live formules)")


def _print_bijdrage(result: BijdrageResult, plan: dict[str, Any] | None) -> None:
    inv = result.invoer
    segs = result.segmenten
    if inv.illustratief:
        console.print("[bold yellow]ILLUSTRATIEF — geen officiële cijfers[/]")
    console.print(f"[bold]{inv.naam}[/]  parameterset {result.parameters.parameterset}, peildatum {inv.peildatum:%d-%m-%Y}; "
                  f"bedragen in € prijspeil {inv.peildatum:%d-%m-%Y}")

    t = Table(title="Tabel 1 — Investeringen: bruto → netto (stap 1 en 2)", title_justify="left")
    for c in ("Investering", "Gebied", "Categorie", "Bruto", "Subsidies", "Derden", "Onderhoud", "Gebruikers", "Netto", "Telt mee", "Meetellend"):
        t.add_column(c, justify="left" if c in ("Investering", "Gebied", "Categorie") else "right")
    for _, r in result.tabel1().iterrows():
        t.add_row(r.investering, r.gebied, r.categorie, eur(r.bruto), eur(r.subsidies), eur(r.externe_bijdragen),
                  eur(r.onderhoudsbudget), eur(r.gebruikersopbrengsten), eur(r.netto), pct(r.telt_mee, 0), eur(r.meetellend))
    for _, r in result.tabel1_categorieen().iterrows():
        t.add_row(f"Totaal {r.categorie}", "", "", eur(r.bruto), "", "", "", "", eur(r.netto), pct(r.telt_mee, 0), eur(r.meetellend), style="bold")
    console.print(t)

    t = Table(title="Tabel 2 — Verhouding bestaand versus nieuw per gebied (stap 3)", title_justify="left")
    for c in ("Gebied", "Ligt in", "Bestaand", "Nieuw (gewogen)", "% bestaand", "% nieuw", "Netto investering", "Bestaand (alg. middelen)", "Nieuwe plannen"):
        t.add_column(c, justify="left" if c in ("Gebied", "Ligt in") else "right")
    for _, r in result.tabel2().iterrows():
        t.add_row(r.gebied, r.ligt_in or "—", number(r.bestaande_woningen), number(r.nieuwe_woningen, 1), pct(r.aandeel_bestaand),
                  pct(r.aandeel_nieuw), eur(r.netto_investering), eur(r.bedrag_bestaand), eur(r.bedrag_nieuw))
    console.print(t)

    t = Table(title="Tabel 3 — Wegingsfactoren per segment (stap 4): grondwaarde = WOZ / (1 + btw) × grondquote", title_justify="left")
    for c in ("Segment", "Gem. WOZ", "WOZ excl. btw", "Grondquote", "Grondwaarde", "Wegingsfactor"):
        t.add_column(c, justify="left" if c == "Segment" else "right")
    for _, r in result.tabel3().iterrows():
        t.add_row(r.segment, eur(r.gemiddelde_woz), eur(r.woz_excl_btw), pct(r.grondquote, 0), eur(r.grondwaarde), number(r.wegingsfactor, 4))
    console.print(t)

    t = Table(title="Tabel 4 — Prijs per gewogen eenheid per gebied (stap 5)", title_justify="left")
    t.add_column("Gebied")
    for s in segs:
        t.add_column(f"Nieuw {s}", justify="right")
    for c in ("Gewogen eenheden", "Bedrag nieuwe plannen", "Prijs per eenheid"):
        t.add_column(c, justify="right")
    for _, r in result.tabel4().iterrows():
        t.add_row(r.gebied, *[number(r[f"nieuw_{s}"], 1) for s in segs], number(r.gewogen_eenheden, 2), eur(r.bedrag_nieuw), eur(r.prijs_per_eenheid, 2))
    console.print(t)

    t = Table(title="Tabel 5 — Bijdrage per woning per segment per gebied (stap 6)", title_justify="left",
              caption="Een plan betaalt de tarieven van elk gebied waarin het ligt (kern + hele gemeente).", caption_justify="left")
    t.add_column("Gebied")
    for s in segs:
        t.add_column(s, justify="right")
    t.add_column("Plan in dit gebied betaalt")
    for s in segs:
        t.add_column(f"totaal {s}", justify="right")
    cum = result.tabel5_voor_plan()
    for (_, rij), (_, totaal) in zip(result.tabel5().iterrows(), cum.iterrows()):
        t.add_row(rij.gebied, *[eur(rij[s], 2) for s in segs], totaal.betaalt_voor, *[eur(totaal[s], 2) for s in segs])
    console.print(t)

    if plan is not None:
        t = Table(title=f"Bijdrage van het plan in {plan['gebied']}", title_justify="left")
        t.add_column("Gebied")
        for s in segs:
            t.add_column(f"{s} (aantal × tarief)", justify="right")
        t.add_column("Bedrag", justify="right")
        for pa in plan["per_gebied"]:
            t.add_row(pa["gebied"], *[f"{number(pa['segmenten'][s]['woningen'])} × {eur(pa['segmenten'][s]['tarief'], 2)}" for s in segs], eur(pa["bedrag"], 2))
        t.add_row("Totaal", *["" for _ in segs], eur(plan["totaal"], 2), style="bold")
        console.print(t)
    t = Table(title="Gebruikte parameters en bronnen", title_justify="left")
    for c in ("Parameter", "Waarde", "Bron"):
        t.add_column(c, justify="right" if c == "Waarde" else "left")
    for _, r in result.parameter_frame().iterrows():
        t.add_row(r.parameter, number(r.waarde, 2 if r.waarde < 10 else 0), r.bron)
    console.print(t)
