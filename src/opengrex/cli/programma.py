"""``opengrex programma …``: calculate a programme (Mastergrex), compare versions, scenarios and Monte Carlo risk.

Thin: every command calls :mod:`opengrex.services.programma` and only presents the result (rich tables, ``--json``,
charts as PNG via matplotlib and HTML via plotly with ``--grafieken DIR``).
"""
from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from opengrex.cli.output import console, money_table, print_json, write_atomic
from opengrex.engine.tijd import DAGTELLING_TEKST
from opengrex.errors import InputError
from opengrex.formatting import eur, number, pct
from opengrex.io import charts
from opengrex.services import programma as api
from opengrex.services.grex import badkuip_text

app = typer.Typer(help="Programma's (Mastergrex): verevening, voorfinanciering, partners, versies, scenario's en risico.", no_args_is_help=True)

GRAFIEKEN_HELP = "Map voor grafieken (PNG via matplotlib en HTML via plotly)"


# ------------------------------------------------------------------------------------------------------ bereken
@app.command("bereken")
def bereken(
    bestand: Path = typer.Argument(..., help="Programma als YAML, JSON of programmawerkboek (.xlsx)"),
    json_out: bool = typer.Option(False, "--json", help="Machineleesbare uitvoer (JSON)"),
    verklaar: str = typer.Option(None, "--verklaar", help="Verklaar één kengetal: ncw, nominaal, rentedeel, fonds, badkuip, project:NAAM"),
    grafieken: Path = typer.Option(None, "--grafieken", help=GRAFIEKEN_HELP),
    scenario_naam: str = typer.Option(None, "--scenario", help="Bereken het programma met de wijzigingen van dit scenario uit het bestand"),
    override: list[str] = typer.Option(None, "--override", help="Wijziging vooraf (zie 'opengrex programma scenario --help'), herhaalbaar"),
) -> None:
    """Bereken een programma: resultaat per project en totaal, rente per voorfinancierder, verevening via het fonds,
    badkuip, partners, garanties en taakstellingen (optioneel na de wijzigingen van een scenario)."""
    prog = api.load_programme(bestand)
    changes = []
    if scenario_naam:
        found = [s for s in prog.scenarios if s.naam == scenario_naam]
        if not found:
            raise InputError("onbekend scenario", field="--scenario", value=scenario_naam, allowed=", ".join(s.naam for s in prog.scenarios) or "(geen scenario's in het bestand)")
        changes += found[0].wijzigingen
    changes += [api.parse_override(o) for o in override or []]
    if changes:
        prog = api.apply_overrides(prog, changes)
    res = api.calculate_programme(prog)
    if verklaar:
        try:
            print_json(res.explain(verklaar))
        except InputError as exc:
            raise InputError(exc.message, field="--verklaar", value=verklaar, allowed=exc.allowed) from None
        return
    if grafieken:
        _charts_programme(res, _chart_dir(grafieken))
    if json_out:
        print_json(res.summary())
        return
    print_programme(res)
    if grafieken:
        console.print(f"Grafieken geschreven naar {grafieken}")


def print_programme(res: api.ProgrammeResult) -> None:
    prog = res.programme
    ncw_label = f"NCW per {prog.ncw_date:%d-%m-%Y}"
    console.print(f"[bold]{prog.name}[/]  versie {prog.versie or '–'}, prijspeil {prog.prijspeil:%d-%m-%Y}, grid {res.years[0]}–{res.years[-1]}, disconteringsvoet {pct(prog.disconteringsvoet)}, "
                  f"dagtelling {DAGTELLING_TEKST[prog.dagtelling]}")
    pf = res.projects_frame()
    end = res.years[-1]
    t = Table(title="Per project (stand-alone: rente van de voorfinancierder, € )", title_justify="left",
              caption=f"Nominaal: openingsboekwaarde + som van de kasstromen (€ nominaal, zonder rente). NCW tot {end}: eindwaarde met rente tot het laatste jaar van het programma, "
                      "contant gemaakt. NCW eigen looptijd: de grex van het project tot zijn eigen eindjaar (zoals 'opengrex grex bereken'; taakstellingen rekenen hiermee). "
                      "Naar fonds: afdracht (+) of bijdrage (−) via de verevening.", caption_justify="left")
    for c in ("Project", "Soort", "Trekker", "Voorfinancierder", "Nominaal", f"{ncw_label} (tot {end})", "Eindjaar", "NCW eigen looptijd", "Rente na verevening", "Naar fonds", "Diepste boekwaarde"):
        t.add_column(c, justify="right" if c not in ("Project", "Soort", "Trekker", "Voorfinancierder") else "left")
    for name, row in pf.iterrows():
        t.add_row(str(name), row.soort, row.trekker, row.voorfinancierder, number(row.nominaal), number(row.ncw), str(row.eindjaar), number(row.ncw_eigen_looptijd),
                  number(row.rente_na_verevening), number(row.naar_fonds), number(row.diepste_boekwaarde))
    t.add_row("Totaal projecten", "", "", "", number(pf.nominaal.sum()), number(pf.ncw.sum()), "", number(pf.ncw_eigen_looptijd.sum()), number(pf.rente_na_verevening.sum()),
              number(pf.naar_fonds.sum()), "", style="bold")
    console.print(t)
    ft = res.financiers_totals()
    if not ft.empty:
        ff = res.financiers_frame()
        t = Table(title="Rente per voorfinancierder (€ nominaal, ontvangen rente positief)", title_justify="left")
        t.add_column("Voorfinancierder")
        t.add_column("Rente", justify="left")
        t.add_column("Totaal ontvangen", justify="right")
        t.add_column("Financiert")
        for name, row in ft.iterrows():
            t.add_row(str(name), row.rente, number(row.rente_ontvangen), row.financiert)
        console.print(t)
        yt = Table(title="Rente per voorfinancierder per jaar (€ nominaal, ontvangen positief)", title_justify="left")
        yt.add_column("Jaar", justify="right")
        for c in ff.columns:
            yt.add_column(str(c), justify="right")
        for year, row in ff.iterrows():
            if any(abs(v) > 0.5 for v in row.values):
                yt.add_row(str(year), *[number(-v) for v in row.values])
        console.print(yt)
    if prog.fonds:
        fd = res.fund_frame()
        t = Table(title=f"Verevening via {prog.fonds.name} (€ nominaal)", title_justify="left", caption="Afdracht rood: positieve boekwaarde van rode projecten; bijdrage groen: saldo van groene projecten.", caption_justify="left")
        for c in ("Jaar", "Afdracht rood", "Bijdrage groen", "Rente %", "Rente", "Saldo fonds"):
            t.add_column(c, justify="right")
        for year, row in fd.iterrows():
            t.add_row(str(year), number(row.afdracht_rood), number(row.bijdrage_groen), pct(row.rentepercentage, 1), number(row.rente), number(row.saldo))
        console.print(t)
    bk = res.badkuip()
    r = Table(title="Programmaresultaat", title_justify="left", show_header=False)
    r.add_column("")
    r.add_column("", justify="right")
    r.add_column("")
    r.add_row("Resultaat nominaal", eur(res.nominaal), "openingsboekwaarden + som van alle kasstromen, zonder rente (€ nominaal)")
    if abs(res.openingsboekwaarden) > 0.005:
        r.add_row("  waarvan openingsboekwaarden", eur(res.openingsboekwaarden), "projecten (31-12 vóór hun startjaar) en fonds")
        r.add_row("  waarvan saldo kasstromen", eur(res.saldo_nominaal), "som van de kasstromen (grondexploitatie.md §4)")
    r.add_row(f"Eindwaarde 31-12-{res.years[-1]}", eur(res.eindwaarde), "boekwaarden projecten + fondssaldo, met rente")
    r.add_row(ncw_label, eur(res.ncw), f"eindwaarde contant tegen {pct(prog.disconteringsvoet)}")
    r.add_row("NCW bij 0% rente", eur(res.ncw_zonder_rente), "alle voorfinancierders en het fonds op 0%")
    r.add_row("Deel van het resultaat dat rente is", eur(res.rente_deel), "NCW met rente − NCW bij 0% rente")
    if bk["jaar"] is None:
        r.add_row("Badkuip programma", "geen", "de boekwaarde van het programma wordt nooit negatief")
    else:
        r.add_row("Badkuip programma (laagste boekwaarde)", eur(bk["diepste_boekwaarde"]), badkuip_text(bk))
    console.print(r)
    figs = res.partner_figures()
    if figs["garanties"]:
        t = Table(title="Garanties", title_justify="left")
        for c in ("Garantie", "Reikwijdte", "Basis", "Blootstelling", "Plafond", "Gebruik", "Ruimte", "Plafond overschreden"):
            t.add_column(c, justify="right" if c in ("Blootstelling", "Plafond", "Gebruik", "Ruimte") else "left")
        for g in figs["garanties"]:
            flag = f"[bold red]JA, met {eur(g['overschrijding'])}[/]" if g["plafond_overschreden"] else "nee"
            t.add_row(g["garantie"], g["reikwijdte"], g["basis"], number(g["blootstelling"]), number(g["plafond"]), number(g["gebruik"]), number(g["ruimte"]), flag)
        console.print(t)
    if figs["taakstellingen"]:
        t = Table(title="Taakstellingen", title_justify="left")
        for c in ("Taakstelling", "Project", "Bedrag", "Resultaat project (NCW eigen looptijd)", "Nog te verdienen", "Gehaald"):
            t.add_column(c, justify="right" if c in ("Bedrag", "Resultaat project (NCW eigen looptijd)", "Nog te verdienen") else "left")
        for x in figs["taakstellingen"]:
            t.add_row(x["taakstelling"], x["project"], number(x["bedrag"]), number(x["resultaat_project"]), number(x["nog_te_verdienen"]), "ja" if x["gehaald"] else "[bold red]nee[/]")
        console.print(t)
    if figs["partners"]:
        cols = [k for k in figs["partners"][0] if k not in ("partner", "aandeel")]
        t = Table(title="Per partner (€)", title_justify="left")
        t.add_column("Partner")
        t.add_column("Aandeel", justify="right")
        for c in cols:
            t.add_column(c.replace("_", " "), justify="right")
        for x in figs["partners"]:
            t.add_row(x["partner"], pct(x["aandeel"], 1), *[number(x[c]) for c in cols])
        console.print(t)


# ------------------------------------------------------------------------------------------------------ vergelijk
@app.command("vergelijk")
def vergelijk(
    versie_a: Path = typer.Argument(..., help="Oude versie (YAML/JSON/.xlsx)"),
    versie_b: Path = typer.Argument(..., help="Nieuwe versie"),
    json_out: bool = typer.Option(False, "--json", help="Machineleesbare uitvoer (JSON)"),
) -> None:
    """Verklaar het verschil tussen twee versies per oorzaak (Shapley: volgorde-onafhankelijk)."""
    cmp = api.compare_versions(api.load_programme(versie_a), api.load_programme(versie_b))
    if json_out:
        print_json(cmp.to_dict())
        return
    a, b = cmp.a, cmp.b
    console.print(money_table(
        "Versies",
        ["Nominaal", "NCW", "Rentedeel"],
        [(f"A: {a.programme.name}", [a.nominaal, a.ncw, a.rente_deel]), (f"B: {b.programme.name}", [b.nominaal, b.ncw, b.rente_deel]), ("Verschil B − A", [b.nominaal - a.nominaal, b.ncw - a.ncw, b.rente_deel - a.rente_deel])],
    ))
    k = len(cmp.causes)
    t = Table(title="Verschil per oorzaak (€)", title_justify="left", caption=f"Methode: Shapley over {k} oorzaken — alle {2 ** k} combinaties doorgerekend als hybride programma's; volgorde-onafhankelijk, de bijdragen tellen exact op tot het verschil.", caption_justify="left")
    for c in ("Oorzaak", "Omvat", "NCW", "Nominaal"):
        t.add_column(c, justify="right" if c in ("NCW", "Nominaal") else "left")
    for name, row in cmp.frame().iterrows():
        t.add_row(str(name), row.omvat, number(row.ncw), number(row.nominaal))
    t.add_row("Totaal", "", number(cmp.total_ncw), number(cmp.total_nominal), style="bold")
    console.print(t)
    pf = cmp.projects_frame()
    t = Table(title="NCW per project (stand-alone tot het laatste jaar van het programma, €)", title_justify="left")
    for c in ("Project", "A", "B", "Verschil"):
        t.add_column(c, justify="left" if c == "Project" else "right")
    for name, row in pf.iterrows():
        t.add_row(str(name), number(row.ncw_a), number(row.ncw_b), number(row.verschil))
    console.print(t)


# ------------------------------------------------------------------------------------------------------ scenario
@app.command("scenario", help="Vergelijk scenario's naast elkaar met een waterval per wijziging (volgtijdelijk en Shapley).\n\n" + api.OVERRIDE_SYNTAX.replace("\n", "\n\n"))
def scenario(
    bestand: Path = typer.Argument(..., help="Programma (basis) met optioneel 'scenarios:'"),
    override: list[str] = typer.Option(None, "--override", help="Wijziging, bijv. 'verschuif:Soesterberg Noord=2' (herhaalbaar; zie help)"),
    naam: str = typer.Option("Opdrachtregel", "--naam", help="Naam van het scenario uit --override"),
    json_out: bool = typer.Option(False, "--json", help="Machineleesbare uitvoer (JSON)"),
    grafieken: Path = typer.Option(None, "--grafieken", help=GRAFIEKEN_HELP),
) -> None:
    """Scenario's naast elkaar met een waterval per wijziging."""
    prog = api.load_programme(bestand)
    scenarios = list(prog.scenarios)
    if override:
        scenarios.append(api.Scenario(naam=naam, wijzigingen=[api.parse_override(o) for o in override]))
    if not scenarios:
        raise InputError("geen scenario's: geef --override of zet 'scenarios:' in het programmabestand", field="scenarios", allowed=api.OVERRIDE_SYNTAX)
    cmp = api.run_scenarios(prog, scenarios)
    if grafieken:
        _charts_scenarios(cmp, _chart_dir(grafieken))
    if json_out:
        print_json(cmp.to_dict())
        return
    fr = cmp.frame()
    t = Table(title="Scenario's naast elkaar (€)", title_justify="left")
    for c in ("Scenario", "Nominaal", "NCW", "Verschil NCW", "Rentedeel", "Fonds eind", "Diepste boekwaarde"):
        t.add_column(c, justify="left" if c == "Scenario" else "right")
    for name, row in fr.iterrows():
        t.add_row(str(name), number(row.nominaal), number(row.ncw), number(row.verschil_ncw), number(row.rentedeel), number(row.fonds_eind), number(row.diepste_boekwaarde))
    console.print(t)
    for s in cmp.scenarios:
        t = Table(title=f"Waterval '{s.naam}' (effect op de NCW, €)", title_justify="left", caption="Volgtijdelijk: in de opgegeven volgorde. Shapley: gemiddeld over alle volgordes (alle 2^k combinaties). Beide tellen op tot het totaal.", caption_justify="left")
        t.add_column("Wijziging")
        t.add_column("Volgtijdelijk", justify="right")
        t.add_column("Shapley", justify="right")
        for i, w in enumerate(s.wijzigingen):
            t.add_row(w, number(s.sequential[i]), number(s.shapley[i]) if s.shapley is not None else "–")
        t.add_row("Totaal", number(sum(s.sequential)), number(sum(s.shapley)) if s.shapley is not None else "–", style="bold")
        console.print(t)
    if grafieken:
        console.print(f"Grafieken geschreven naar {grafieken}")


# ------------------------------------------------------------------------------------------------------ risico
@app.command("risico")
def risico(
    bestand: Path = typer.Argument(..., help="Programma met risicoregister (projecten[].risicos) en onzekerheden"),
    trekkingen: int = typer.Option(10_000, "--trekkingen", "-n", help="Aantal trekkingen (Monte Carlo)"),
    seed: int = typer.Option(2013, "--seed", help="Startwaarde van de toevalsgenerator (reproduceerbaar)"),
    percentiel: float = typer.Option(90.0, "--percentiel", help="Zekerheid voor het benodigde weerstandsvermogen [%]"),
    chunk: int = typer.Option(None, "--chunk", help="Trekkingen per blok (standaard: automatisch, max. 1000)"),
    json_out: bool = typer.Option(False, "--json", help="Machineleesbare uitvoer (JSON)"),
    grafieken: Path = typer.Option(None, "--grafieken", help=GRAFIEKEN_HELP),
) -> None:
    """Monte Carlo over het hele programma: verdeling van de NCW, P10/P50/P90, kans op een tekort, verwacht
    risicobedrag, benodigd weerstandsvermogen en tornado."""
    if trekkingen <= 0:
        raise InputError("aantal trekkingen moet positief zijn", field="--trekkingen", value=trekkingen, allowed="een geheel getal > 0")
    prog = api.load_programme(bestand)
    if json_out:
        res = api.run_risk(prog, trekkingen, seed, percentiel, chunk)
    else:
        with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(), console=console, transient=True) as bar:
            task = bar.add_task("Monte Carlo", total=trekkingen)
            res = api.run_risk(prog, trekkingen, seed, percentiel, chunk, progress=lambda n: bar.advance(task, n))
    if grafieken:
        _charts_risk(res, _chart_dir(grafieken))
    if json_out:
        print_json(res.summary())
        return
    s = res.summary()
    r = Table(title=f"Risico {prog.name} — {trekkingen} trekkingen, seed {seed}", title_justify="left", show_header=False, caption=f"Bedragen: {s['eenheid']}. Verwacht risicobedrag = deterministische NCW − gemiddelde NCW. Weerstandsvermogen = deterministische NCW − P{100 - percentiel:g} van de NCW.", caption_justify="left")
    r.add_column("")
    r.add_column("", justify="right")
    r.add_row("NCW deterministisch", eur(s["ncw_deterministisch"]))
    r.add_row("NCW gemiddeld (± standaardfout)", f"{eur(s['ncw_gemiddeld'])} ± {number(s['standaardfout_gemiddelde'])}")
    r.add_row("P10 / P50 / P90", f"{eur(s['P10'])} / {eur(s['P50'])} / {eur(s['P90'])}")
    r.add_row("Kans op een tekort (NCW < 0)", pct(s["kans_tekort"], 1))
    r.add_row("Verwacht risicobedrag", eur(s["verwacht_risicobedrag"]))
    r.add_row(f"Benodigd weerstandsvermogen ({percentiel:g}% zekerheid)", eur(s["benodigd_weerstandsvermogen"]))
    for g in s["garanties"]:
        r.add_row(f"Kans dat '{g['garantie']}' overschreden wordt", f"{pct(g['kans_overschreden'], 1)} (plafond {eur(g['plafond_cumulatief'])})")
    if s["grid_verlengd_met_jaren"]:
        r.add_row("Grid verlengd (vertraging)", f"{s['grid_verlengd_met_jaren']} jaar")
    console.print(r)
    if not res.tornado.empty:
        t = Table(title="Tornado: elke invoer op zijn P10 en P90, de rest op de basis (effect op de NCW, €)", title_justify="left")
        for c in ("Invoer", "Eenheid", "Waarde P10", "Waarde P90", "Effect bij P10", "Effect bij P90", "Bandbreedte"):
            t.add_column(c, justify="left" if c in ("Invoer", "Eenheid") else "right")
        for name, row in res.tornado.iterrows():
            t.add_row(str(name), row.eenheid, f"{row.waarde_P10:.4g}".replace(".", ","), f"{row.waarde_P90:.4g}".replace(".", ","), number(row.effect_P10), number(row.effect_P90), number(row.bandbreedte))
        console.print(t)
    if grafieken:
        console.print(f"Grafieken geschreven naar {grafieken}")


# ------------------------------------------------------------------------------------------------------ export
@app.command("export")
def export(
    bestand: Path = typer.Argument(..., help="Programma (YAML/JSON/.xlsx)"),
    output: Path = typer.Option(..., "-o", "--output", help="Uitvoer: programmawerkboek .xlsx (één blad per project)"),
) -> None:
    """Schrijf het programma als werkboek met één blad per project (weer in te lezen met elk commando)."""
    from opengrex.io.xlsx_programma import export_programme_xlsx

    prog = api.load_programme(bestand)
    if output.suffix.lower() != ".xlsx":
        raise InputError("verkeerde bestandsextensie", field="-o/--output", value=str(output), allowed=".xlsx")
    write_atomic(output, lambda p: export_programme_xlsx(prog, p))
    console.print(f"Geschreven: {output}")


# ------------------------------------------------------------------------------------------------------ charts
def _chart_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _write(path: Path, fn) -> None:
    def write(p: Path) -> None:
        fn(p)
        p.chmod(0o644)

    write_atomic(path, write)


def _charts_programme(res: api.ProgrammeResult, out: Path) -> None:
    charts.write_figures(charts.programme_figures(res), out, {"grafiek-programma": "badkuip", "grafiek-projecten": "ncw-per-project"}, _write)


def _charts_scenarios(cmp: api.ScenarioComparison, out: Path) -> None:
    figs = charts.scenario_figures(cmp)
    charts.write_figures(figs, out, {k: k for k in figs}, _write)


def _charts_risk(res: api.RiskResult, out: Path) -> None:
    figs = charts.risk_figures(res, bins=50)
    names = {"grafiek-risico": "histogram"} | ({"grafiek-tornado": "tornado"} if not res.tornado.empty else {})
    charts.write_figures(figs, out, names, _write)
