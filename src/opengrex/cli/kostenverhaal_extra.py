"""``opengrex kostenverhaal bijdrage | eindafrekening | actualiseer`` (thin: parse, call the API, present).

The kostenverhaal app (``cli/kostenverhaal.py``) calls :func:`register` to add these commands.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from opengrex.cli.output import console, print_json, write_atomic
from opengrex.errors import InputError
from opengrex.formatting import eur, number, pct


def _date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError("ongeldige datum", field=option, value=text, allowed="JJJJ-MM-DD") from None


# ---------------------------------------------------------------------------------------------------------------
# bijdrage
# ---------------------------------------------------------------------------------------------------------------

def bijdrage_cmd(
    invoer: Path = typer.Argument(..., help="Invoer (YAML/JSON): gebieden, investeringen, plannen, WOZ"),
    plan_gebied: Optional[str] = typer.Option(None, "--plan-gebied", help="Gebied van een plan om de bijdrage van te berekenen"),
    sociaal: float = typer.Option(0.0, "--sociaal", help="Woningen sociaal in het plan"),
    midden: float = typer.Option(0.0, "--midden", help="Woningen midden in het plan"),
    duur: float = typer.Option(0.0, "--duur", help="Woningen duur in het plan"),
    as_json: bool = typer.Option(False, "--json", help="Machine-leesbare JSON op stdout"),
    xlsx: Optional[Path] = typer.Option(None, "--xlsx", help="Schrijf tabel 1-5 met live formules naar dit .xlsx-bestand"),
) -> None:
    """Financiële bijdrage fysieke leefomgeving (§4.1, zes stappen): tabel 1-5 en de bijdrage van een plan."""
    from opengrex.services.bijdrage import calculate_bijdrage, load_bijdrage_input, plan_contribution, write_bijdrage_xlsx

    result = calculate_bijdrage(load_bijdrage_input(invoer))
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


def _print_bijdrage(result, plan) -> None:
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
    for (_, r), (_, c) in zip(result.tabel5().iterrows(), cum.iterrows()):
        t.add_row(r.gebied, *[eur(r[s], 2) for s in segs], c.betaalt_voor, *[eur(c[s], 2) for s in segs])
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


# ---------------------------------------------------------------------------------------------------------------
# eindafrekening
# ---------------------------------------------------------------------------------------------------------------

def eindafrekening_cmd(
    invoer: Path = typer.Argument(..., help="Afrekening (YAML/JSON): betaling, categorieën, herberekende kosten"),
    as_json: bool = typer.Option(False, "--json", help="Machine-leesbare JSON op stdout"),
) -> None:
    """Eindafrekening (bijlage A4): 5%-regel, terugbetaling met wettelijke rente; nooit bijbetalen. Ook planschade."""
    from opengrex.services.eindafrekening import calculate_eindafrekening, load_eindafrekening

    res = calculate_eindafrekening(load_eindafrekening(invoer))
    if as_json:
        print_json(res.to_dict())
        return
    inv = res.invoer
    console.print(f"[bold]{inv.naam}[/]  ({res.soort}, datum {inv.datum:%d-%m-%Y}; parameterset {res.parameterset})")
    r = Table(show_header=False, title="Eindafrekening" if res.soort != "planschade" else "Planschade-afrekening", title_justify="left")
    r.add_column("")
    r.add_column("", justify="right")
    if res.soort == "planschade":
        p = inv.planschade
        r.add_row("Geraamde planschade (in exploitatiebijdrage)", eur(p.geraamd, 2))
        r.add_row("Werkelijke planschade", eur(p.werkelijk, 2))
        r.add_row("Terugbetaling aan initiatiefnemer", eur(res.totaal_terug, 2))
        r.add_row("Naheffing bij initiatiefnemer", eur(res.naheffing, 2))
        console.print(r)
    else:
        t = Table(title=f"Herberekende kosten per categorie, contant per betaaldatum {inv.betaling.datum:%d-%m-%Y} ({pct(inv.disconteringsvoet)})", title_justify="left")
        for c in ("Categorie", "Omschrijving", "Raming", "Herberekend (contant)", "Verschil", "Aandeel plan: raming", "Aandeel plan: herberekend"):
            t.add_column(c, justify="left" if c in ("Categorie", "Omschrijving") else "right")
        for c in res.per_categorie:
            t.add_row(c["categorie"], c["omschrijving"], eur(c["raming"]), eur(c["herberekend_contant"]), eur(c["verschil"]),
                      eur(c["aandeel_plan_raming"], 2), eur(c["aandeel_plan_herberekend"], 2))
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


# ---------------------------------------------------------------------------------------------------------------
# actualiseer
# ---------------------------------------------------------------------------------------------------------------

def actualiseer_cmd(
    peildatum: str = typer.Option(..., "--peildatum", help="Nieuwe peildatum (JJJJ-MM-DD)"),
    set_name: Optional[str] = typer.Option(None, "--set", help="Parameterset om te actualiseren (bijv. soest)"),
    invoer: Optional[Path] = typer.Option(None, "--invoer", help="Of: een bijdrage-invoer om te actualiseren"),
    index: Optional[float] = typer.Option(None, "--index", help="Eén vlakke indexfactor voor alle investeringen over de hele periode (0.03 = 3%)"),
    indexreeksen: Optional[Path] = typer.Option(None, "--indexreeksen", help="YAML met indexreeksen per jaar ({naam: {2024: 0.035, 2025: 0.03}}); per investering 'index: naam'"),
    woz: Optional[Path] = typer.Option(None, "--woz", help="YAML met gemiddelde WOZ per segment"),
    plannen: Optional[Path] = typer.Option(None, "--plannen", help="YAML met plannen (en bestaande_woningen per gebied)"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Schrijf de nieuwe versie hierheen (zonder: alleen het verschil tonen)"),
    as_json: bool = typer.Option(False, "--json", help="Verschil als JSON op stdout"),
) -> None:
    """Jaarlijkse actualisatie (§4.4): indexreeksen, nieuwe WOZ en plannen → volgende gedateerde set of invoer, met verschil.

    Indexering per investering met haar reeks (index: naam; anders standaard_index), pro rata per dag en samengesteld:
    factor = Π (1 + r_jaar) ^ (dagen in dat jaar / dagen van dat jaar), van de oude tot de nieuwe peildatum.
    """
    from opengrex.services import actualisatie as act

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
        header = (f"# Parameterset {res.nieuw.get('naam', set_name)}, geldig vanaf {day.isoformat()}: actualisatie van {res.bron.name}\n"
                  f"# (opengrex kostenverhaal actualiseer). Sla op als <map>/{day.isoformat()}.yaml.\n")
        if output is not None and output.stem != day.isoformat():
            raise InputError("de bestandsnaam van een parameterset is de datum waarop hij ingaat", field="-o/--output",
                             value=output.name, allowed=f"{day.isoformat()}.yaml")
    else:
        from opengrex.io.documents import read_document

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


def _fmt(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, (int, float)):
        return number(v, 2 if isinstance(v, float) and not float(v).is_integer() else 0)
    return str(v) if not isinstance(v, (dict, list)) else "(" + type(v).__name__ + ")"


def register(app: typer.Typer) -> None:
    """Add ``bijdrage``, ``eindafrekening`` and ``actualiseer`` to the ``opengrex kostenverhaal`` app."""
    app.command("bijdrage")(bijdrage_cmd)
    app.command("eindafrekening")(eindafrekening_cmd)
    app.command("actualiseer")(actualiseer_cmd)
