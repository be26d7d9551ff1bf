"""``opengrex kostenverhaal …``: calculate a kostenverhaal case, its Excel template, the parameter sets (thin layer
over the services); the financiële bijdrage, the eindafrekening and the actualisatie have their own modules
(:mod:`opengrex.cli.bijdrage`, :mod:`opengrex.cli.eindafrekening`, :mod:`opengrex.cli.actualisatie`) and are
registered here under the same ``opengrex kostenverhaal`` command."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer
import yaml
from rich.console import JustifyMethod
from rich.table import Table

from opengrex.cli import actualisatie, bijdrage, eindafrekening
from opengrex.cli.output import console, money_table, print_explanation, print_json, write_atomic
from opengrex.errors import InputError
from opengrex.formatting import eur, number, pct
from opengrex.io.xlsx_case import case_to_template, write_case_template
from opengrex.io.xlsx_kostenverhaal import write_case_xlsx
from opengrex.parameters import list_parameter_sets, load_parameter_set
from opengrex.services.kostenverhaal import KENGETALLEN, CaseResult, calculate_case, case_to_dict, explain, import_case_xlsx, load_case

app = typer.Typer(help="Kostenverhaal (Omgevingswet): een bouwplan doorrekenen, parametersets tonen.", no_args_is_help=True)


def print_case(result: CaseResult) -> None:
    """Print the case result: detail per kostensoort, the A5 table, the cap derivation and the volgordelijkheid."""
    case, ps = result.case, result.parameters
    console.print(f"[bold]{case.naam}[/]")
    console.print(
        f"Gebied {case.gebied} (ligt in: {', '.join(result.inputs.gebieden)}); kostenverhaal {case.tijdvak} tijdvak; "
        f"parameterset {ps.naam} geldig vanaf {ps.geldig_vanaf:%d-%m-%Y}, peildatum {case.peildatum:%d-%m-%Y}."
    )
    homes = case.programma.homes()
    if sum(homes.values()):
        console.print("Programma: " + ", ".join(f"{n} {s}" for s, n in homes.items()) + f" (totaal {sum(homes.values())} woningen)")
    detail = result.kosten_per_kostensoort()
    if detail:
        console.print(money_table(
            "Investeringen gebiedseigen kosten per kostensoort",
            ["Initiatiefnemer", "Gemeente", "Totaal"],
            [(f"{r['kostensoort']} {r['omschrijving']}", [r["initiatiefnemer"], r["gemeente"], r["totaal"]]) for r in detail],
        ))
    console.print(money_table(
        "Resultaat (indeling bijlage A5)",
        ["Initiatiefnemer", "Gemeente", "Totaal"],
        [(r["post"], [r["initiatiefnemer"], r["gemeente"], r["totaal"]]) for r in result.a5_table()],
        caption="Bedragen in euro's (zoals ingevoerd). Kosten en bijdragen positief; saldi: opbrengsten − kosten.",
    ))
    pk = result.plankostenscan
    if pk is not None:
        t = pk.toets
        console.print(money_table(
            "Plankosten gemeente (A1) getoetst aan de plankostenscan (art. 13.2 lid 1 Omgevingsregeling)",
            ["Bedrag"],
            [("Eigen raming", [t.raming]), (f"Maximum volgens de plankostenscan (versie {pk.result.versie}, bijlage {pk.result.bijlage})", [t.maximum]),
             ("Verhaalbaar (in tabel A5)", [t.verhaalbaar]), ("Overschrijding (niet verhaalbaar)", [t.niet_verhaalbaar])], decimals=2,
        ))
        console.print("[bold]Toelichting bij tabel A5[/]")
        for line in result.a5_toelichting():
            console.print(line, highlight=False)
    console.print("[bold]Aftopping[/]")
    for line in result.explain_cap():
        console.print(line, highlight=False)
    vt = Table(title="Volgordelijkheid: wat wordt verhaald en wat niet", title_justify="left")
    kolommen: tuple[tuple[str, JustifyMethod], ...] = (("#", "right"), ("Categorie", "left"), ("Te verhalen", "right"), ("Ruimte vóór", "right"),
                                                       ("Verhaald", "right"), ("Niet verhaald", "right"), ("Waarom", "left"))
    for c, j in kolommen:
        vt.add_column(c, justify=j)
    for v in result.volgordelijkheid():
        vt.add_row(str(v["volgorde"]), v["omschrijving"], eur(v["te_verhalen"]), eur(v["ruimte_voor"]), eur(v["verhaald"]), eur(v["niet_verhaald"]), v["reden"])
    console.print(vt)
    console.print("Het niet verhaalde deel komt ten laste van de algemene middelen van de gemeente.")
    if result.inputs.bovenwijks:
        bt = Table(title="Bovenwijkse voorzieningen (PTP-aandeel)", title_justify="left")
        for c in ("Voorziening", "Investering", "Aandeel", "Herkomst aandeel", "Toegerekend"):
            bt.add_column(c, justify="left" if c in ("Voorziening", "Herkomst aandeel") else "right")
        for b in result.inputs.bovenwijks:
            bt.add_row(b["naam"], eur(b["investering"]), pct(b["aandeel"]), b["aandeel_herkomst"], eur(b["toegerekend"]))
        console.print(bt)
    fys = result.inputs.fysiek
    if fys["per_gebied"]:
        ft = Table(title="Financiële bijdrage fysieke leefomgeving per gebied", title_justify="left")
        for c in ("Gebied", "Segment", "Woningen", "Tarief", "Bijdrage"):
            ft.add_column(c, justify="left" if c in ("Gebied", "Segment") else "right")
        for a in fys["per_gebied"]:
            for row in a["regels"]:
                ft.add_row(a["gebied"], row["segment"], number(row["woningen"]), eur(row["tarief"], 2), eur(row["bijdrage"], 2))
        ft.add_row("Totaal", "", "", "", eur(fys["bedrag"], 2), style="bold")
        console.print(ft)
    wv = result.inputs.woningvoorraad
    if wv.get("toegepast"):
        wt = Table(title=f"Evenwichtige woningvoorraad: norm {wv['norm_gebied']} ({wv['norm_bron']})", title_justify="left")
        for c in ("Groep", "Norm", "Norm-aantal", "Gerealiseerd", "Verschil", "Grondwaarde/woning", "Bedrag"):
            wt.add_column(c, justify="left" if c == "Groep" else "right")
        for g in wv["groepen"]:
            wt.add_row(g["segmenten"], pct(g["norm_aandeel"], 0), number(g["norm_aantal"]), number(g["gerealiseerd"]), number(g["verschil"]), eur(g["grondwaarde_per_woning"]), eur(g["bedrag"]))
        console.print(wt)
        console.print(f"Grondwaarde: {wv['grondwaarde_herkomst']}")
        if wv["ontvangst_uit_fonds"] > 0:
            console.print(f"[bold]Ontvangst uit het fonds evenwichtige woningvoorraad: {eur(wv['ontvangst_uit_fonds'])}[/] (meer goedkope woningen dan de norm vraagt).")
    if case.tijdvak == "zonder":
        kt = Table(title="Kostenverhaal zonder tijdvak per kavel", title_justify="left")
        for c in ("Kavel", "Aandeel", "Waarde voor", "Waarde na", "Waardevermeerdering", "Aandeel kosten", "Bijdrage", "Niet verhaald"):
            kt.add_column(c, justify="left" if c == "Kavel" else "right")
        for k in result.to_dict()["kavels"]:
            kt.add_row(k["naam"], pct(k["aandeel"]), eur(k["waarde_voor"]), eur(k["waarde_na"]), eur(k["waardevermeerdering"]), eur(k["aandeel_kosten"]), eur(k["bijdrage"]), eur(k["niet_verhaald"]))
        console.print(kt)
    for n in result.notes:
        console.print(f"[dim]{n}[/]")


@app.command("bereken")
def bereken(
    case_file: Path = typer.Argument(..., help="Geval (bouwplan) als YAML, JSON of ingevuld Excel-sjabloon (.xlsx), zie examples/kostenverhaal/"),
    json_out: bool = typer.Option(False, "--json", help="Uitvoer als JSON (machineleesbaar)."),
    xlsx: Path = typer.Option(None, "--xlsx", help="Schrijf een werkboek met live formules (A5-tabel, aftopping, volgordelijkheid)."),
    verklaar: str = typer.Option(None, "--verklaar", help="Verklaar één kengetal: " + ", ".join(KENGETALLEN)),
) -> None:
    """Reken een kostenverhaalsgeval door: tabel A5, macroaftopping en volgordelijkheid."""
    result = calculate_case(load_case(case_file))
    if verklaar is not None:
        print_explanation(explain(result, verklaar), as_json=json_out)
        return
    if xlsx is not None:
        if xlsx.suffix.lower() != ".xlsx":
            raise InputError("uitvoerbestand moet op .xlsx eindigen", field="--xlsx", value=str(xlsx), allowed="pad.xlsx")
        write_atomic(xlsx, lambda p: write_case_xlsx(result, p))
    if json_out:
        print_json(result.to_dict())
        return
    print_case(result)
    if xlsx is not None:
        console.print(f"Werkboek geschreven: {xlsx}")


@app.command("template")
def template(
    output: Path = typer.Option(..., "-o", "--output", help="Uitvoer .xlsx"),
    set_name: str = typer.Option("soest", "--set", help="Parameterset voor de keuzelijst van gebieden."),
    van: Path = typer.Option(None, "--van", help="Vul het sjabloon met een bestaand geval (YAML/JSON/.xlsx)."),
) -> None:
    """Schrijf een leeg, gedocumenteerd Excel-sjabloon voor een geval (met keuzelijsten), of vul het met --van."""
    if output.suffix.lower() != ".xlsx":
        raise InputError("verkeerde bestandsextensie", field="-o/--output", value=str(output), allowed=".xlsx")
    case = load_case(van) if van is not None else None
    write_atomic(output, (lambda p: case_to_template(case, p)) if case is not None else (lambda p: write_case_template(p, set_name)))
    console.print(f"Geschreven: {output}")


@app.command("import")
def import_(
    bestand: Path = typer.Argument(..., help="Ingevuld Excel-sjabloon (.xlsx)"),
    output: Path = typer.Option(..., "-o", "--output", help="Uitvoer .yaml of .json"),
    embed: bool = typer.Option(False, "--inbedden", help="Neem grex- en bijdragebestanden op in het geval (overdraagbaar)."),
) -> None:
    """Lees een ingevuld Excel-sjabloon, valideer het en schrijf het geval als YAML of JSON."""
    if output.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise InputError("verkeerde bestandsextensie", field="-o/--output", value=str(output), allowed=".yaml, .yml, .json")
    data = case_to_dict(import_case_xlsx(bestand), embed=embed)
    text = json.dumps(data, indent=2, ensure_ascii=False) if output.suffix.lower() == ".json" else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    write_atomic(output, lambda p: p.write_text(text, encoding="utf-8"))
    console.print(f"Geschreven: {output}")


@app.command("parameters")
def parameters(
    set_name: str = typer.Option(None, "--set", help="Naam van de parameterset (of pad naar een map); zonder: alle sets."),
    peildatum: str = typer.Option(None, "--peildatum", help="JJJJ-MM-DD; de versie die dan geldt (standaard de nieuwste)."),
    json_out: bool = typer.Option(False, "--json", help="Uitvoer als JSON."),
) -> None:
    """Toon een parameterset kostenverhaal met de bron van elke waarde (of de lijst van sets)."""
    date = None
    if peildatum is not None:
        try:
            date = dt.date.fromisoformat(peildatum)
        except ValueError:
            raise InputError("ongeldige datum", field="--peildatum", value=peildatum, allowed="JJJJ-MM-DD") from None
    if set_name is None and date is None:
        sets = list_parameter_sets()
        if json_out:
            print_json([{"naam": s.naam, "map": str(s.map), "versies": [d.isoformat() for d in s.versies]} for s in sets])
            return
        t = Table(title="Parametersets kostenverhaal", title_justify="left")
        for c in ("Naam", "Versies (geldig vanaf)", "Map"):
            t.add_column(c)
        for s in sets:
            t.add_row(s.naam, ", ".join(d.isoformat() for d in s.versies), str(s.map))
        console.print(t)
        console.print("Toon een set met: opengrex kostenverhaal parameters --set NAAM [--peildatum JJJJ-MM-DD]")
        return
    ps = load_parameter_set(set_name or "soest", date)
    rows = ps.table()
    if json_out:
        print_json({"naam": ps.naam, "titel": ps.titel, "gemeente": ps.gemeente, "geldig_vanaf": ps.geldig_vanaf.isoformat(), "parameters": rows})
        return
    console.print(f"[bold]{ps.titel}[/] — parameterset {ps.naam}, geldig vanaf {ps.geldig_vanaf:%d-%m-%Y}")
    t = Table(title="Parameters en bronnen", title_justify="left")
    for c in ("Parameter", "Waarde", "Bron"):
        t.add_column(c)
    for r in rows:
        t.add_row(r["parameter"], _value_text(r["waarde"]), f"{r['document']}, {r['paragraaf']}" + (f", p. {r['pagina']}" if r["pagina"] else ""))
    console.print(t)


def _value_text(v) -> str:
    if isinstance(v, float) and 0 <= v <= 1:
        return pct(v, 0)
    if isinstance(v, list):
        parts = []
        for x in v:
            if isinstance(x, dict) and "segmenten" in x:
                parts.append(f"{'+'.join(x['segmenten'])} {pct(x['aandeel'], 0)}")
            elif isinstance(x, dict) and "naam" in x:
                parts.append(x["naam"] + (f" (in {x['ligt_in']})" if x.get("ligt_in") else ""))
            else:
                parts.append(str(x))
        return "; ".join(parts)
    return str(v)


app.command("bijdrage")(bijdrage.bijdrage_cmd)
app.command("eindafrekening")(eindafrekening.eindafrekening_cmd)
app.command("actualiseer")(actualisatie.actualiseer_cmd)
