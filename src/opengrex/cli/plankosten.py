"""``opengrex plankosten …``: the maximum verhaalbare plankosten (Omgevingsregeling hoofdstuk 13), the Excel
template and the statutory tables with their sources (a thin layer over :mod:`opengrex.services.plankosten`)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.table import Table

from opengrex.cli.output import console, print_json, write_atomic
from opengrex.errors import InputError
from opengrex.formatting import eur, number, pct

app = typer.Typer(help="Plankostenscan: maximaal verhaalbare plankosten volgens de Omgevingsregeling (bijlage XXXIV/XXXIVa).", no_args_is_help=True)


def _print_result(res) -> None:
    console.print(f"[bold]{res.plan.naam}[/]")
    console.print(f"Peildatum {res.plan.peildatum:%d-%m-%Y}: tabellen versie {res.versie} ({res.params.bron}); "
                  f"bijlage {res.bijlage} (kostenverhaal {res.plan.tijdvak} tijdvak). Bedragen in euro's exclusief btw.")
    t = Table(title="Factoren (art. 13.2 lid 2 en 3)", title_justify="left")
    for c, j in (("Indicator", "left"), ("Categorie", "left"), ("Opslag", "right"), ("Bron", "left")):
        t.add_column(c, justify=j)  # type: ignore[arg-type]
    for row in res.indicatoren():
        t.add_row(f"{row['indicator']} {row['omschrijving']}", row["categorie"], pct(row["opslag_pct"]), row["bron"])
    console.print(t)
    t = Table(title="Onderdelen (tabel 1)", title_justify="left")
    for c, j in (("Onderdeel", "left"), ("Grondslag", "right"), ("Uren", "right"), ("Tarief", "right"), ("Vóór factor", "right"), ("Factor", "right"), ("Bedrag", "right"), ("Bron", "left")):
        t.add_column(c, justify=j)  # type: ignore[arg-type]
    for r in res.regels():
        grond = f"{number(r['hoeveelheid'], 2)} {r['eenheid']}" if r["hoeveelheid"] is not None else ""
        t.add_row(f"{r['product']} {r['onderdeel']}", grond, number(r["uren"], 2) if r["uren"] else "", eur(r["tarief"]) if r["tarief"] else "",
                  eur(r["bedrag_voor_factor"], 2), pct(r["factor"]) if r["factor"] else "–", eur(r["bedrag"], 2), r["bron"].split(", tabel 1, ", 1)[-1])
    console.print(t)
    t = Table(title="Per product", title_justify="left")
    for c, j in (("Product", "left"), ("Naam", "left"), ("Bedrag", "right"), ("Bron", "left")):
        t.add_column(c, justify=j)  # type: ignore[arg-type]
    for p in res.producten():
        t.add_row(p["product"], p["naam"], eur(p["bedrag"], 2), p["bron"])
    for h in res.hoofdstukken():
        t.add_row("", h["omschrijving"], eur(h["bedrag"], 2), "", style="bold" if h["groep"] == "totaal" else None)
    console.print(t)
    console.print(f"[bold]Maximaal verhaalbare plankosten: {eur(res.totaal, 2)}[/] (art. 13.2 lid 1, {res.bron})")
    for w in res.waarschuwingen():
        console.print(f"[yellow]Let op:[/] {w}", highlight=False, soft_wrap=True)


@app.command("bereken")
def bereken_cmd(
    bestand: Path = typer.Argument(..., help="Plankostenscan (.yaml, .json of het ingevulde Excel-sjabloon .xlsx)."),
    json_out: bool = typer.Option(False, "--json", help="Alles als JSON op stdout."),
    xlsx: Path | None = typer.Option(None, "--xlsx", help="Schrijf een werkboek met live formules."),
    verklaar: str | None = typer.Option(None, "--verklaar", help="Verklaar één getal: totaal, product:<code>, rij:<id> of factor:<naam>."),
) -> None:
    """Bereken de maximaal verhaalbare plankosten van een plan, per onderdeel, per product en in totaal."""
    from opengrex.services.plankosten import calculate_plankosten, load_plankosten

    res = calculate_plankosten(load_plankosten(bestand))
    if xlsx is not None:
        from opengrex.io.xlsx_plankosten import write_plankosten_xlsx

        write_atomic(xlsx, lambda p: write_plankosten_xlsx(res, p))
    if verklaar:
        exp = res.explain(verklaar)
        if json_out:
            print_json(exp.to_dict())
            return
        _print_explanation(exp)
        return
    if json_out:
        print_json(res.to_dict())
        return
    _print_result(res)
    if xlsx is not None:
        console.print(f"Werkboek geschreven: {xlsx}")


def _fmt(value, eenheid: str) -> str:
    """A value in an explanation, nl-NL: euros, percentages, or a plain number with its unit."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "EUR" in eenheid:
            return eur(value, 2)
        if eenheid == "%":
            return pct(value)
        return f"{number(value, 4).rstrip('0').rstrip(',')} {'' if eenheid == '-' else eenheid}".strip()
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def _print_explanation(exp, depth: int = 0) -> None:
    pad = "  " * depth
    console.print(f"{pad}[bold]{exp.label}[/]: {_fmt(exp.waarde, exp.eenheid)}")
    console.print(f"{pad}Regel: {exp.regel.label} — {exp.regel.formule} ({exp.regel.bron})", highlight=False)
    for i in exp.invoer:
        console.print(f"{pad}  invoer: {i.naam} = {_fmt(i.waarde, i.eenheid)}", highlight=False)
    for p in exp.parameters:
        console.print(f"{pad}  parameter: {p.naam} = {_fmt(p.waarde, p.eenheid)} ({p.bron})", highlight=False)
    for line in exp.toelichting:
        console.print(f"{pad}  {line}", highlight=False)
    if depth < 1:
        for sub in exp.onderdelen:
            _print_explanation(sub, depth + 1)


@app.command("template")
def template_cmd(
    output: Path = typer.Option(..., "-o", "--output", help="Het te schrijven sjabloon (.xlsx)."),
    voorbeeld: Path | None = typer.Option(None, "--voorbeeld", help="Vul het sjabloon met dit plan (.yaml/.json)."),
) -> None:
    """Schrijf het Excel-sjabloon voor een plankostenscan (leeg, of gevuld met een voorbeeld)."""
    from opengrex.io.xlsx_plankosten import write_plankosten_template
    from opengrex.services.plankosten import load_plankosten, plankosten_to_dict, product_codes

    example = plankosten_to_dict(load_plankosten(voorbeeld)) if voorbeeld else None
    write_atomic(output, lambda p: write_plankosten_template(p, example, product_codes()))
    console.print(f"Sjabloon geschreven: {output}")


@app.command("toets")
def toets_cmd(
    bestand: Path = typer.Argument(..., help="Plankostenscan (.yaml, .json of .xlsx)."),
    raming: float = typer.Option(..., "--raming", help="De eigen raming van de gemeente voor de plankosten (A1) [EUR]."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Toets een eigen raming van de plankosten aan het maximum van de plankostenscan."""
    from opengrex.services.plankosten import toets_plankostenscan

    res = toets_plankostenscan(raming, bestand)
    if json_out:
        print_json(res.to_dict())
        return
    console.print(res.toelichting, highlight=False, soft_wrap=True)
    for w in res.waarschuwingen:
        console.print(f"[yellow]Let op:[/] {w}", highlight=False, soft_wrap=True)


def _print_other_tables(name: str, b: dict) -> None:
    """Factors (tabel 4/5), ophogen (tabel 7; 2026: 6), deelgebieden (tabel 8) and the 2026 tables 7–15, each with its bron."""
    f = b["factoren"]
    console.print(f"[bold]Bijlage {name}, {f['bron']}[/]", highlight=False)
    for key in ("tabel_4", "ligging", "type_opgave", "verwerving", "programma", "onderzoeken", "woon_werkmilieu"):
        if key in f:
            value = f[key]
            if isinstance(value, list) and value and isinstance(value[0], dict):
                value = "; ".join(f"{x['label']}: {number(x['opslag'], 1)}%" for x in value)
            console.print(f"  {key}: {value}", highlight=False, soft_wrap=True)
    console.print(f"  woonequivalent: {f['woonequivalent_bron']}", highlight=False, soft_wrap=True)
    op = b["ophogen"]
    t = Table(title=f"Bijlage {name}, {op['bron']}", title_justify="left")
    for c in ("Oppervlakte", "Bestek ten minste", "ten hoogste", "per ha", "Rapportage ten minste", "ten hoogste", "per ha"):
        t.add_column(c, justify="left" if c == "Oppervlakte" else "right")
    for band in op["banden"]:
        bs, rp = band["bestek"], band["rapportage"]
        t.add_row(band["label"], eur(bs["minimum"]), eur(bs["maximum"]), eur(bs["per_ha"]), eur(rp["minimum"]), eur(rp["maximum"]), eur(rp["per_ha"]))
    console.print(t)
    if b.get("tabel_8"):
        t8 = b["tabel_8"]
        console.print(f"{t8['bron']}: {number(t8['hectare_per_deelgebied'], 1)} ha {t8['grondslag'].replace('_', ' ')} per deelgebied; boven "
                      f"{number(t8['openbaar_gebied_drempel'])}% openbaar gebied +{number(t8['factor_per_procentpunt'] * 100)}% per procentpunt, "
                      f"ten hoogste {number(t8['factor_maximum'], 2)}", highlight=False)
    if b.get("scenario"):
        sc = b["scenario"]
        console.print(f"{sc['bron']}: " + "; ".join(f"{x['label']}: {number(x['met_stedenbouwkundig_plan'])} / {number(x['zonder_stedenbouwkundig_plan'])} uur" for x in sc["banden"]), highlight=False)
    for tab in (b.get("tabellen_2026") or {}).values():
        cols = [k for k in tab["banden"][0] if k not in ("vanaf", "label")]
        t = Table(title=f"Bijlage {name}, {tab['bron']}", title_justify="left")
        t.add_column(tab["grootheid"])
        for c in cols:
            t.add_column(c.replace("_", " "), justify="right")
        for band in tab["banden"]:
            t.add_row(band["label"], *["–" if band[c] is None else number(band[c], 3).rstrip("0").rstrip(",") for c in cols])
        console.print(t)


@app.command("tabellen")
def tabellen_cmd(
    peildatum: str | None = typer.Option(None, "--peildatum", help="JJJJ-MM-DD; standaard de nieuwste versie."),
    bijlage: str | None = typer.Option(None, "--bijlage", help="XXXIV (met tijdvak) of XXXIVa (zonder tijdvak)."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Toon de tabellen van de Omgevingsregeling die op de peildatum gelden, met de bron van elk getal."""
    from opengrex.services.plankosten import plankosten_tabellen

    if peildatum is not None:
        try:
            dt.date.fromisoformat(peildatum)
        except ValueError:
            raise InputError("ongeldige datum", field="--peildatum", value=peildatum, allowed="JJJJ-MM-DD") from None
    data = plankosten_tabellen(peildatum, bijlage)
    if json_out:
        print_json(data)
        return
    console.print(f"[bold]Plankostentabellen versie {data['versie']}[/] (methode {data['methode']})")
    console.print(f"Bron: {data['document']}; {data['href']}; gelezen in {data['spiegel']}", highlight=False)
    t = Table(title=f"Tabel 3 — tarieven ({data['tarieven']['bron']})", title_justify="left")
    for c in ("Tariefgroep", "Deskundigheid", "EUR per uur", "Schaal"):
        t.add_column(c, justify="right" if c in ("EUR per uur", "Schaal") else "left")
    for r in data["tarieven"]["rijen"]:
        t.add_row(r["groep"], r["deskundigheid"], eur(r["euro_per_uur"]), str(r["schaal"] or ""))
    console.print(t)
    kb = data["artikelen"]["kleine_bouwactiviteiten"]
    console.print(f"Art. 13.5 (kleine bouwactiviteiten): a {eur(kb['bedragen']['a'])}, b {eur(kb['bedragen']['b'])}, c {eur(kb['bedragen']['c'])} ({kb['bron']})")
    for name, b in data["bijlagen"].items():
        t = Table(title=f"Bijlage {name}, tabel 1 — {b['titel']}", title_justify="left")
        for c in ("Product", "Onderdeel", "Rekenwijze", "Tariefgroep", "Factor", "Bron"):
            t.add_column(c)
        for r in b["tabel_1"]:
            t.add_row(r["product"], r["onderdeel"], r["rekenwijze"], r["tariefgroep"] or "vaste prijs", r["factor"], r["bron"])
        console.print(t)
        t2 = b["tabel_2"]
        t = Table(title=f"Bijlage {name}, {t2['bron']}", title_justify="left")
        t.add_column("Oppervlakte")
        for k, v in t2["kolommen"].items():
            t.add_column(f"kolom {k}: {v}", justify="right")
        for band in t2["banden"]:
            t.add_row(band["label"], *[number(band["uren"][k]) for k in t2["kolommen"]])
        console.print(t)
        _print_other_tables(name, b)
    unresolved = [x for x in data["interpretaties"] if not x["geverifieerd"]]
    console.print(f"[bold]Niet eenduidige passages[/] ({len(unresolved)} niet opgelost, {len(data['interpretaties']) - len(unresolved)} opgelost met onderbouwing):")
    for x in data["interpretaties"]:
        console.print(f"- {x['id']} ({'opgelost' if x['geverifieerd'] else 'NIET opgelost'}): gerekend met {x['gekozen']}", highlight=False, soft_wrap=True)
