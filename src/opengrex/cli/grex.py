"""``opengrex grex …``: calculate, export, template, import a grondexploitatie; ``opengrex kostensoorten``."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import typer
import yaml
from rich.table import Table

from opengrex.cli.output import console, money_table, print_json, write_atomic
from opengrex.engine.tijd import DAGTELLING_TEKST
from opengrex.formatting import eur, number, pct
from opengrex.services.grex import GrexResult, badkuip_text, calculate_grex, grex_to_dict, load_grex

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pandas as pd

app = typer.Typer(help="Grondexploitatie: berekenen, exporteren naar Excel, sjabloon en import.", no_args_is_help=True)

DEMO = Path(__file__).resolve().parents[3] / "examples" / "demo-grex.yaml"


def print_result(result: GrexResult, per_kostensoort: bool = False) -> None:
    """Print the result tables (rich, nl-NL)."""
    g = result.grex
    o = result.outcome
    tot = result.totals()
    console.print(f"[bold]{g.name}[/]  prijspeil {g.prijspeil:%d-%m-%Y}, looptijd {g.start_year}–{g.end_year}, timing '{g.timing}', dagtelling {DAGTELLING_TEKST[g.dagtelling]}")
    console.print(money_table(
        "Totalen",
        [f"Prijspeil {g.prijspeil:%d-%m-%Y}", "Nominaal", f"Contant per {g.ncw_date:%d-%m-%Y}"],
        [(k.capitalize(), [tot["prijspeil"][k], tot["nominaal"][k], tot["contante_waarde"][k]]) for k in ("kosten", "opbrengsten", "saldo")],
        caption="Bedragen in euro's; kosten negatief, opbrengsten positief.",
    ))
    t = Table(title="Per jaar (€ nominaal)", title_justify="left")
    for c in ("Jaar", "Opbrengsten", "Kosten", "Saldo", "Rente", "Boekwaarde", "Disc.factor", "Contante waarde"):
        t.add_column(c, justify="right")
    yf = result.yearly_frame()
    for year, row in yf.iterrows():
        t.add_row(str(year), number(row.opbrengsten), number(row.kosten), number(row.saldo), number(row.rente), number(row.boekwaarde), number(row.disconteringsfactor, 4), number(row.contante_waarde))
    t.add_row("Totaal", number(yf.opbrengsten.sum()), number(yf.kosten.sum()), number(yf.saldo.sum()), number(yf.rente.sum()), "", "", number(yf.contante_waarde.sum()), style="bold")
    console.print(t)
    if per_kostensoort:
        pk = result.per_kostensoort_frame()
        kt = Table(title="Per kostensoort per jaar (€ nominaal)", title_justify="left")
        kt.add_column("Soort")
        kt.add_column("Code")
        kt.add_column("Omschrijving")
        for y in result.years:
            kt.add_column(str(y), justify="right")
        kt.add_column("Totaal", justify="right")
        for key, row in pk.iterrows():
            soort, code, oms = cast(tuple[str, str, str], key)  # the (soort, code, omschrijving) index
            kt.add_row(soort, code, oms, *[number(v) for v in row.values])
        console.print(kt)
        pt = result.per_kostensoort_totals()
        console.print(money_table(
            "Per kostensoort: totalen",
            [f"Prijspeil {g.prijspeil:%d-%m-%Y}", "Nominaal", f"Contant per {g.ncw_date:%d-%m-%Y}"],
            [(f"{code} {oms}", row.values) for (soort, code, oms), row in cast("Iterable[tuple[tuple[str, str, str], pd.Series]]", pt.iterrows())],
        ))
    bk = result.badkuip()
    r = Table(title="Resultaat", title_justify="left", show_header=False)
    r.add_column("")
    r.add_column("", justify="right")
    r.add_column("")
    r.add_row("Saldo nominaal", eur(result.saldo_nominaal), "som van de kasstromen, € nominaal")
    r.add_row(f"Eindwaarde per 31-12-{g.end_year}", eur(result.eindwaarde), f"boekwaarde incl. rente ({_rente_text(g.rente)}), € nominaal")
    r.add_row(f"NCW (BBV) per {g.ncw_date:%d-%m-%Y}", eur(result.ncw), f"eindwaarde contant gemaakt tegen {pct(g.disconteringsvoet)} over {o.t_end:.2f} jaar".replace(".", ","))
    r.add_row(f"Contante waarde kasstromen per {g.ncw_date:%d-%m-%Y}", eur(result.contante_waarde), f"som van de kasstromen contant gemaakt tegen {pct(g.disconteringsvoet)}")
    if bk["jaar"] is None:
        r.add_row("Badkuip", "geen", badkuip_text(bk))
    else:
        r.add_row("Badkuip (laagste boekwaarde)", eur(bk["diepste_boekwaarde"]), badkuip_text(bk))
    r.add_row("IRR", result.irr.message if result.irr.value is None else pct(result.irr.value, 2), "" if result.irr.value is None else "interne rentevoet van de kasstromen")
    console.print(r)
    vr = result.vervallen_raming_frame()
    if not vr.empty:
        console.print(money_table(
            "Vervallen raming (vervangen door gerealiseerde bedragen)",
            [f"Raming prijspeil {g.prijspeil:%d-%m-%Y}", "Gerealiseerd (prijspeil)", "Vervallen (prijspeil)", "Vervallen (nominaal)"],
            [(f"{row.naam} ({row.jaren})", [row.raming_prijspeil, row.gerealiseerd_prijspeil, row.vervallen_raming_prijspeil, row.vervallen_raming_nominaal])
             for row in cast("Iterable[Any]", vr.itertuples())],  # named tuples with the frame's columns
            caption="Vervallen raming = raming − gerealiseerd in de jaren die het gerealiseerde vervangt; niet doorgeschoven naar latere jaren.",
        ))
    if abs(result.ncw - result.contante_waarde) > 0.005:
        console.print("[dim]NCW (BBV) en contante waarde verschillen omdat de rente op de boekwaarde afwijkt van de disconteringsvoet, of er een openingsboekwaarde is.[/]")


def _rente_text(rente) -> str:
    if isinstance(rente, dict):
        return "rente per jaar: " + ", ".join(f"{y}: {pct(v)}" for y, v in sorted(rente.items()))
    return f"rente {pct(rente)}"


@app.command("bereken")
def bereken(
    bestand: Path = typer.Argument(..., help="Grex als YAML, JSON of Excel-sjabloon (.xlsx)"),
    json_out: bool = typer.Option(False, "--json", help="Machineleesbare uitvoer (JSON)"),
    per_kostensoort: bool = typer.Option(False, "--per-kostensoort", help="Tabel per kostensoort per jaar"),
    verklaar: str = typer.Option(None, "--verklaar", help="Verklaar één kengetal: ncw, eindwaarde, contante_waarde, badkuip, terugverdienjaar, irr, of boekwaarde/rente/saldo:JAAR"),
) -> None:
    """Bereken een grondexploitatie en toon totalen, kasstromen, boekwaarde, NCW, badkuip en IRR."""
    result = calculate_grex(load_grex(bestand))
    if verklaar:
        from opengrex.errors import InputError
        from opengrex.services.grex import BOOK_VALUE_FORMULA, explain, legacy_dict

        try:
            e = explain(result, verklaar)
        except InputError as exc:
            raise InputError(exc.message, field="--verklaar", value=verklaar, allowed=exc.allowed) from None
        figure = verklaar.partition(":")[0]
        print_json(legacy_dict(e, BOOK_VALUE_FORMULA[result.grex.timing] if figure in ("boekwaarde", "rente") else None))
        return
    if json_out:
        data = result.summary()
        if per_kostensoort:
            pk = result.per_kostensoort_frame().reset_index()
            pk.columns = [str(c) for c in pk.columns]
            data["per_kostensoort"] = pk.to_dict(orient="records")
        print_json(data)
        return
    print_result(result, per_kostensoort)


@app.command("export")
def export(
    bestand: Path = typer.Argument(..., help="Grex als YAML, JSON of .xlsx-sjabloon"),
    output: Path = typer.Option(..., "-o", "--output", help="Uitvoer .xlsx"),
) -> None:
    """Schrijf een controleerbaar Excel-werkboek met live formules (invoer, indices, berekening, NCW)."""
    from opengrex.io.xlsx_export import export_grex_xlsx

    grex = load_grex(bestand)
    _require_suffix(output, ".xlsx")
    write_atomic(output, lambda p: export_grex_xlsx(grex, p))
    console.print(f"Geschreven: {output}")


@app.command("template")
def template(output: Path = typer.Option(..., "-o", "--output", help="Uitvoer .xlsx")) -> None:
    """Schrijf een leeg, gedocumenteerd Excel-sjabloon voor een grex (met keuzelijsten)."""
    from opengrex.io.xlsx_template import write_grex_template

    _require_suffix(output, ".xlsx")
    write_atomic(output, write_grex_template)
    console.print(f"Geschreven: {output}")


@app.command("import")
def import_(
    bestand: Path = typer.Argument(..., help="Ingevuld Excel-sjabloon (.xlsx)"),
    output: Path = typer.Option(..., "-o", "--output", help="Uitvoer .yaml of .json"),
) -> None:
    """Lees een ingevuld Excel-sjabloon, valideer het en schrijf de grex als YAML of JSON."""
    from opengrex.io.xlsx_template import import_grex_xlsx

    grex = import_grex_xlsx(bestand)
    _require_suffix(output, ".yaml", ".yml", ".json")
    data = grex_to_dict(grex)

    def write(p: Path) -> None:
        if output.suffix.lower() == ".json":
            import json

            p.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        else:
            p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    write_atomic(output, write)
    console.print(f"Geschreven: {output}")


def _require_suffix(path: Path, *suffixes: str) -> None:
    from opengrex.errors import InputError

    if path.suffix.lower() not in suffixes:
        raise InputError("verkeerde bestandsextensie", field="-o/--output", value=str(path), allowed=", ".join(suffixes))


def kostensoorten_cmd(
    stelsel: str = typer.Option(None, "--stelsel", help="omgevingswet of bro (standaard: beide)"),
    json_out: bool = typer.Option(False, "--json", help="Machineleesbare uitvoer"),
) -> None:
    """Toon de kostensoortenlijst (Ob bijlage IV A1–A14, B1–B4; Bro 6.2.3–6.2.5)."""
    from opengrex.codes import kostensoorten

    items = kostensoorten(stelsel)
    if json_out:
        print_json([k.__dict__ for k in items])
        return
    t = Table(title="Kostensoortenlijst", title_justify="left", show_lines=True)
    for c in ("Code", "Stelsel", "Tijdvak", "Omschrijving"):
        t.add_column(c)
    for k in items:
        t.add_row(k.code, k.stelsel, k.tijdvak or "", k.omschrijving)
    console.print(t)


def demo_cmd() -> None:
    """Bereken de meegeleverde demo-grex (examples/demo-grex.yaml) en toon het resultaat."""
    print_result(calculate_grex(load_grex(DEMO)), per_kostensoort=False)


# ------------------------------------------------------------------------------------------------------ scenarios
def _scenario_help() -> str:
    from opengrex.services.grex_scenarios import CHANGE_SYNTAX

    return ("Scenario's van een grex naast elkaar met een waterval per wijziging (volgtijdelijk en Shapley), en een tornado van de "
            "belangrijkste invoer.\n\n" + CHANGE_SYNTAX.replace("\n", "\n\n"))


@app.command("scenario", help=_scenario_help())
def scenario(
    bestand: Path = typer.Argument(..., help="Grex (basis) als YAML, JSON of .xlsx, met optioneel 'scenarios:'"),
    wijziging: list[str] = typer.Option(None, "--wijziging", "-w", help="Wijziging (zie hieronder), herhaalbaar; samen één scenario"),
    naam: str = typer.Option("Opdrachtregel", "--naam", help="Naam van het scenario uit --wijziging"),
    tornado: bool = typer.Option(False, "--tornado", help="Ook de tornado: elke hoofdinvoer apart laag en hoog"),
    procentpunt: float = typer.Option(0.01, "--procentpunt", help="Bandbreedte van rente, disconteringsvoet en indexreeksen (fractie; 0,01 = 1 procentpunt)"),
    procent: float = typer.Option(10.0, "--procent", help="Bandbreedte van de bedragen van kosten en opbrengsten (%)"),
    jaren: int = typer.Option(1, "--jaren", help="Verschuiving van de fasering van de opbrengsten (jaren)"),
    json_out: bool = typer.Option(False, "--json", help="Machineleesbare uitvoer (JSON)"),
) -> None:
    from opengrex.errors import InputError
    from opengrex.model.grex import GrexScenario
    from opengrex.services import grex_scenarios as gs

    grex = load_grex(bestand)
    scenarios = list(grex.scenarios)
    if wijziging:
        scenarios.append(GrexScenario(naam=naam, wijzigingen=[gs.parse_grex_change(w) for w in wijziging]))
    if not scenarios and not tornado:
        raise InputError("geen scenario's: geef --wijziging, --tornado, of zet 'scenarios:' in het grexbestand", field="scenarios", allowed=gs.CHANGE_SYNTAX)
    cmp = gs.run_grex_scenarios(grex, scenarios) if scenarios else None
    tor = gs.grex_tornado(grex, procentpunt=procentpunt, procent=procent, jaren=jaren) if tornado else None
    if json_out:
        print_json({**({"scenarios": cmp.to_dict()} if cmp else {}), **({"tornado": tor.to_dict()} if tor else {})})
        return
    if cmp is not None:
        t = Table(title=f"Scenario's van {grex.name} (€)", title_justify="left")
        for c in ("Scenario", "NCW (BBV)", "Verschil NCW", "Eindwaarde", "Saldo nominaal", "Diepste boekwaarde", "Terugverdienjaar"):
            t.add_column(c, justify="left" if c == "Scenario" else "right")
        for r in cmp.rows():
            t.add_row(r["scenario"], eur(r["ncw"]), eur(r["verschil_ncw"]), eur(r["eindwaarde"]), eur(r["saldo_nominaal"]), eur(r["diepste_boekwaarde"]),
                      str(r["terugverdienjaar"] or "–"))
        console.print(t)
        for s in cmp.scenarios:
            w = Table(title=f"Waterval {s.naam}: effect op de NCW (€ contant)", title_justify="left")
            for c in ("Wijziging", "Volgtijdelijk", "Shapley"):
                w.add_column(c, justify="left" if c == "Wijziging" else "right")
            for i, text in enumerate(s.wijzigingen):
                w.add_row(text, eur(s.sequential[i]), eur(s.shapley[i]) if s.shapley is not None else "–")
            w.add_row("Totaal", eur(sum(s.sequential)), eur(sum(s.shapley)) if s.shapley is not None else "–", style="bold")
            console.print(w)
        console.print(f"[dim]{cmp.methode}.[/]")
    if tor is not None:
        t = Table(title=f"Tornado: NCW bij lage en hoge waarde (basis {eur(tor.basis_ncw)})", title_justify="left")
        for c in ("Invoer", "Bereik", "NCW laag", "NCW hoog", "Effect laag", "Effect hoog", "Bandbreedte"):
            t.add_column(c, justify="left" if c in ("Invoer", "Bereik") else "right")
        for r in tor.rows:
            t.add_row(r["invoer"], r["bereik"], eur(r["ncw_laag"]), eur(r["ncw_hoog"]), eur(r["effect_laag"]), eur(r["effect_hoog"]), eur(r["bandbreedte"]))
        console.print(t)
        console.print(f"[dim]{tor.methode}.[/]")


@app.command("vergelijk")
def vergelijk(
    a: Path = typer.Argument(..., help="Versie a (YAML, JSON of .xlsx)"),
    b: Path = typer.Argument(..., help="Versie b"),
    json_out: bool = typer.Option(False, "--json", help="Machineleesbare uitvoer (JSON)"),
) -> None:
    """Verklaar het verschil tussen twee versies van een grex per oorzaak (Shapley: kosten, opbrengsten, fasering,
    indexering, rente, realisatie; de delen tellen op tot het verschil)."""
    from opengrex.services import grex_scenarios as gs

    cmp = gs.compare_grex_versions(load_grex(a), load_grex(b))
    if json_out:
        print_json(cmp.to_dict())
        return
    for key in ("ncw", "eindwaarde", "saldo_nominaal"):
        for line in gs.waterfall_text(cmp, key):
            console.print(line, markup=False)
        console.print("")
