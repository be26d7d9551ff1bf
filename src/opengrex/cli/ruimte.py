"""``opengrex ruimte …`` (WBS screening), ``opengrex monitor …`` (targets and plan pipeline) and ``opengrex regio …``
(regional profile). Thin: every command calls a service and presents the result.

Registered with one line in :mod:`opengrex.cli` through :func:`register`.
"""
from __future__ import annotations

from pathlib import Path

import typer
from rich.console import JustifyMethod
from rich.table import Table

from opengrex.cli.output import console, err_console, print_json
from opengrex.errors import InputError
from opengrex.formatting import number

app = typer.Typer(help="Ruimtelijke toets 'Water en bodem sturend': planlocaties tegen de kaartlagen van de structurerende keuzes.", no_args_is_help=True)

KLEUR = {"strijdig": "bold red", "aandachtspunt": "yellow", "geen": "green", "niet getoetst": "dim"}


def register(root: typer.Typer) -> None:
    """Add ``ruimte``, ``monitor`` and ``regio`` to the root command."""
    from opengrex.cli import monitor as monitor_cli

    root.add_typer(app, name="ruimte")
    root.add_typer(monitor_cli.monitor_app, name="monitor")
    root.add_typer(monitor_cli.regio_app, name="regio")


def _oordeel(v: str) -> str:
    return f"[{KLEUR.get(v, '')}]{v}[/]"


@app.command("toets")
def toets(
    locaties: Path = typer.Argument(..., help="Planlocaties: GeoPackage, GeoJSON of Shapefile (vlakken, elk coördinatenstelsel)"),
    lagen: Path = typer.Option(None, "--lagen", help="Map met lagen (<naam>.gpkg/.geojson/.shp of lagen.yaml), een lagen.yaml of één GeoPackage"),
    regels: str = typer.Option(None, "--regels", help="Regelset: peildatum (JJJJ-MM-DD, de versie die toen gold) of pad; standaard de nieuwste"),
    uitvoer: Path = typer.Option(None, "-o", "--output", help="Schrijf de uitkomst: .gpkg of .geojson (per locatie) of .csv (per locatie en regel)"),
    json_out: bool = typer.Option(False, "--json", help="Machineleesbare uitvoer (JSON)"),
    engine: str = typer.Option("local", "--engine", help="local (dit proces) of dask (dask.distributed, gepartitioneerd)"),
    scheduler: str = typer.Option(None, "--scheduler", help="Adres van een dask-scheduler (tcp://host:8786); standaard een LocalCluster met 2 workers"),
    partities: int = typer.Option(None, "--partities", min=1, help="Aantal partities voor --engine dask"),
    id_veld: str = typer.Option(None, "--id-veld", help="Veld met de locatie-id (standaard id/naam/code, anders het volgnummer)"),
    laag: str = typer.Option(None, "--laag", help="Laag in het locatiebestand (GeoPackage met meer lagen)"),
    crs: str = typer.Option(None, "--crs", help="Coördinatenstelsel als het bestand er geen heeft (bijv. EPSG:28992)"),
    ongeldig: str = typer.Option("herstel", "--ongeldig", help="Ongeldige geometrie: herstel (make_valid, gemeld) of weiger (fout)"),
    verklaar: str = typer.Option(None, "--verklaar", help="Verklaar één oordeel: <locatie>:<regel>, bijv. L03:13"),
    kaarten: Path = typer.Option(None, "--kaarten", help="Map voor een PNG-kaart per locatie"),
    rapport: Path = typer.Option(None, "--rapport", help="Schrijf een PDF-rapport (regelset, samenvatting, per locatie kaart en oordelen, methode); .html voor controle"),
    max_rijen: int = typer.Option(200, "--max-rijen", min=0, help="Toon hoogstens zoveel locaties in de tabel (de telling toont alles)"),
) -> None:
    """Toets planlocaties aan de structurerende keuzes 9, 10, 11/22, 13, 14, 21, 25, 30-31 en 33: per locatie en
    keuze strijdig / aandachtspunt / geen / niet getoetst, met de overlap in m² en %."""
    from opengrex.services import ruimte as svc

    if uitvoer is not None and uitvoer.suffix.lower() not in (".gpkg", ".geojson", ".csv"):
        raise InputError("onbekend uitvoerformaat", field="-o/--output", value=uitvoer.suffix, allowed=".gpkg, .geojson, .csv")
    if kaarten is not None and not kaarten.is_dir():
        raise InputError("map voor kaarten bestaat niet", field="--kaarten", value=str(kaarten))
    if rapport is not None and rapport.suffix.lower() not in (".pdf", ".html"):
        raise InputError("onbekend rapportformaat", field="--rapport", value=rapport.suffix or rapport.name, allowed=".pdf, .html")
    if rapport is not None and (rapport.is_dir() or not rapport.absolute().parent.is_dir()):
        raise InputError("map voor het rapport bestaat niet" if not rapport.is_dir() else "dit is een map; geef een bestandsnaam", field="--rapport",
                         value=str(rapport), allowed="een pad naar een bestand in een bestaande map, bijv. rapport.pdf")
    res = svc.screen(locaties, lagen, regels, engine=engine, scheduler=scheduler, npartitions=partities, id_veld=id_veld, crs=crs,
                     ongeldig=ongeldig, layer=laag)
    if verklaar:
        print_json(res.explain(verklaar).to_dict())
        return
    if uitvoer is not None:
        res.write(uitvoer)
    if kaarten is not None:
        for i in res.ids[: max_rijen or len(res.ids)]:
            (kaarten / f"locatie-{_safe(i)}.png").write_bytes(svc.location_map_png(res, i))
    if rapport is not None:
        from opengrex.cli.output import write_atomic
        from opengrex.io.report import html_to_pdf, render_html
        from opengrex.services.reports import screening_report

        text = render_html(screening_report(res))
        content = text.encode("utf-8") if rapport.suffix.lower() == ".html" else html_to_pdf(text)
        write_atomic(rapport, lambda p: p.write_bytes(content))
    if json_out:
        print_json(res.summary())
        return
    print_screening(res, max_rijen)
    if uitvoer is not None:
        console.print(f"Geschreven: {uitvoer}")
    if kaarten is not None:
        console.print(f"Kaarten geschreven naar {kaarten}")
    if rapport is not None:
        from opengrex.services.reports import MAX_KAARTEN

        extra = f"; kaarten van de eerste {number(MAX_KAARTEN)} locaties" if len(res.ids) > MAX_KAARTEN else ""
        console.print(f"Rapport geschreven: {rapport}{extra}")


def _safe(s) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in str(s))


def print_screening(res, max_rijen: int = 200) -> None:
    rs = res.regelset
    console.print(f"[bold]Toetsing Water en bodem[/]  regelset {rs.versie()} — {rs.beleid}")
    console.print(f"Bron: {rs.bron.text()}  ·  locaties: {res.bron} ({number(len(res.ids))})  ·  lagen: {res.lagen or '–'}  ·  engine: {res.engine}")
    for rid, reason in res.niet_getoetst.items():
        console.print(f"[dim]Niet getoetst (regel {rid}): {reason}[/]")
    for m in res.meldingen[:20]:
        err_console.print(f"[yellow]Melding:[/] {m}")
    if len(res.meldingen) > 20:
        err_console.print(f"[yellow]… en nog {len(res.meldingen) - 20} meldingen[/]")
    n = min(len(res.ids), max_rijen)
    if n:
        t = Table(title="Oordeel per locatie en keuze", title_justify="left")
        kolommen: tuple[tuple[str, JustifyMethod], ...] = (("Locatie", "left"), ("Naam", "left"), ("Keuze", "left"), ("Oordeel", "left"),
                                                           ("Overlap m²", "right"), ("Overlap %", "right"), ("Toelichting", "left"))
        for c, j in kolommen:
            t.add_column(c, justify=j)
        for li in range(n):
            for ri, regel in enumerate(res.regels):
                v = res.verdict[li, ri]
                from opengrex.engine.ruimte import OORDEEL_TEKST

                text = OORDEEL_TEKST[int(v)]
                ov = res.overlap[li, ri]
                t.add_row(str(res.ids[li]) if ri == 0 else "", (str(res.namen[li]) if res.namen is not None and res.namen[li] is not None else "") if ri == 0 else "",
                          f"{'/'.join(map(str, regel.keuzes))} {regel.label.split(' — ')[0]}", _oordeel(text),
                          "–" if ov != ov else number(ov), "–" if ov != ov else number(res.aandeel[li, ri] * 100, 1), res.toelichting(li, ri),
                          end_section=ri == len(res.regels) - 1)
        console.print(t)
    if len(res.ids) > n:
        console.print(f"[dim]{number(len(res.ids) - n)} locaties niet getoond (--max-rijen); zie de telling hieronder of schrijf -o uitvoer.csv[/]")
    t = Table(title="Telling per regel", title_justify="left")
    for c in ("Regel", "Keuze(s)", "strijdig", "aandachtspunt", "geen", "niet getoetst"):
        t.add_column(c, justify="left" if c in ("Regel", "Keuze(s)") else "right")
    for rid, cnt in res.counts().items():
        regel = rs.regel(rid)
        t.add_row(regel.label, "/".join(map(str, regel.keuzes)), number(cnt["strijdig"]), number(cnt["aandachtspunt"]), number(cnt["geen"]), number(cnt["niet getoetst"]))
    console.print(t)


@app.command("regels")
def regels_cmd(
    regels: str = typer.Option(None, "--regels", help="Peildatum (JJJJ-MM-DD) of pad; standaard de nieuwste versie"),
    json_out: bool = typer.Option(False, "--json", help="Machineleesbare uitvoer (JSON)"),
) -> None:
    """Toon een versie van de regelset: per regel de laag, de criteria, de bron en wat niet geverifieerd is."""
    from opengrex.services import ruimte as svc

    rs = svc.load_regelset(regels)
    if json_out:
        print_json(rs.model_dump(mode="json", by_alias=True))
        return
    versies = ", ".join(d.isoformat() for d, _ in svc.regelset_versies())
    console.print(f"[bold]{rs.titel}[/]  versie {rs.geldig_vanaf.isoformat()} (versies: {versies})")
    console.print(f"Beleid: {rs.beleid}. Bron: {rs.bron.text()}" + (f", {rs.bron.datum:%d-%m-%Y}" if rs.bron.datum else ""))
    t = Table(title="Regels", title_justify="left", show_lines=True)
    for c in ("Keuze", "Regel", "Laag", "Criteria", "Bron / interpretatie"):
        t.add_column(c)
    for r in rs.regels:
        t.add_row("/".join(map(str, r.keuzes)), r.label, r.laag, "\n".join(c.text() for c in r.criteria), r.bron.text() + ("\n" + r.interpretatie if r.interpretatie else ""))
    console.print(t)
    t = Table(title="Lagen en openbare bronnen", title_justify="left")
    for c in ("Laag", "Omschrijving", "Velden", "Datasets"):
        t.add_column(c)
    for name, spec in rs.lagen.items():
        t.add_row(name, spec.omschrijving, ", ".join(f"{k} ({v})" for k, v in spec.velden.items()) or "–", "\n".join(spec.datasets))
    console.print(t)
    for item in rs.niet_geverifieerd:
        console.print(f"[yellow]Niet geverifieerd:[/] {item}")


@app.command("keuzes")
def keuzes_cmd(json_out: bool = typer.Option(False, "--json", help="Machineleesbare uitvoer (JSON)")) -> None:
    """De 33 structurerende keuzes (seed 004), met welke opengrex op de kaart toetst."""
    from opengrex.services import ruimte as svc

    teksten = svc.keuze_teksten()
    toetsbaar = {k for r in svc.load_regelset().regels for k in r.keuzes}
    if json_out:
        print_json([dict(v, toetsbaar=k in toetsbaar) for k, v in teksten.items()])
        return
    t = Table(title="Structurerende keuzes Water en bodem sturend (Kamerbrief 25-11-2022, via seed 004)", title_justify="left", show_lines=False)
    for c in ("Nr", "Thema", "Op kaart", "Tekst"):
        t.add_column(c)
    for k, v in teksten.items():
        t.add_row(str(k), v["thema"], "ja" if k in toetsbaar else "", v["tekst"])
    console.print(t)


@app.command("demo")
def demo_cmd(map_: Path = typer.Option(..., "-o", "--output", help="Doelmap (wordt aangemaakt)")) -> None:
    """Schrijf de demolagen en demolocaties van 'De Brede Waard' (fictief, EPSG:28992) naar een map."""
    from opengrex.io.ruimte_demo import write_demo

    map_.mkdir(parents=True, exist_ok=True)
    for p in write_demo(map_):
        console.print(f"geschreven: {p}")


__all__ = ["app", "register"]
