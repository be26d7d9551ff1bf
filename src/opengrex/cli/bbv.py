"""``opengrex bbv …`` (per grex or portfolio: waardeer, jaarovergang, renteschema, afsluiten, heropenen, uitleg) and
``opengrex portefeuille bereken PATH`` (the MPG of a municipality). Every command calls :mod:`opengrex.services.bbv`."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import JustifyMethod
from rich.table import Table

from opengrex.cli.output import console, money_table, print_json, write_atomic
from opengrex.errors import InputError
from opengrex.formatting import eur, number, pct

app = typer.Typer(help="BBV: waardering op balansdatum, jaarovergang, renteschema en levenscyclus van grondexploitaties.", no_args_is_help=True)
portefeuille_app = typer.Typer(help="Portefeuille (Meerjarenprognose Grondexploitaties) van een gemeente.", no_args_is_help=True)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="bbv")
    root.add_typer(portefeuille_app, name="portefeuille")


def _load(path: Path, jaar: int | None):
    from opengrex.services.bbv import load_portfolio

    return load_portfolio(path, jaar)


def _indices(path: Path | None) -> dict[str, Any] | None:
    if path is None:
        return None
    from opengrex.io.documents import read_document

    data, _ = read_document(path)
    data = data.get("indices", data) if isinstance(data, dict) else data
    if not isinstance(data, dict) or not data:
        raise InputError("bestand met indexreeksen moet een mapping naam -> percentage(s) zijn", location=str(path), allowed="bijv. kosten: {2025: 0.03}")
    return data


def print_valuation(w) -> None:
    df = w.grexen_frame()
    t = Table(title=f"BBV-waardering per 31-12-{w.balansjaar} — {w.portefeuille.naam}", title_justify="left",
              caption=f"NCW per 1-1-{w.balansjaar + 1}, disconteringsvoet {pct(w.disconteringsvoet)} ({w.disconteringsvoet_bron}); dagtelling: {', '.join(sorted(set(w.dagtelling)))}; "
                      f"boekwaarde als balanswaarde (positief = voorraad); basis voorziening {w.portefeuille.voorziening_basis}, winstneming {w.portefeuille.poc_basis}",
              caption_justify="left")
    cols = [("grex", "Grex"), ("status", "Status"), ("boekwaarde", "Boekwaarde"), ("resultaat_nominaal", "Nominaal"), ("ncw", "NCW"),
            ("voorziening", "Voorziening"), ("dotatie", "Dotatie"), ("vrijval", "Vrijval"), ("poc", "POC"), ("winst_genomen", "Winst dit jaar"), ("risico", "Risico")]
    for _, label in cols:
        t.add_column(label, justify="left" if label in ("Grex", "Status") else "right")
    for name, r in df.iterrows():
        cells = [str(name), str(r.get("status", ""))]
        for key, _ in cols[2:]:
            v = r.get(key)
            cells.append("–" if v is None or v != v else (pct(v, 1) if key == "poc" else eur(v)))
        t.add_row(*cells)
    tot = w.totalen()
    t.add_row("Totaal (in exploitatie)", "", *[("" if k == "poc" else eur(tot.get(k, 0.0))) for k, _ in cols[2:]])
    console.print(t)
    ws = w.weerstand
    ratio = "∞" if ws["ratio"] is None else number(ws["ratio"], 2)
    console.print(f"Weerstandsvermogen: beschikbaar {eur(ws['beschikbaar'])}, benodigd {eur(ws['benodigd'])}, ratio {ratio} → klasse {ws['klasse']} ({ws['betekenis']}); {ws['grensconventie']}.")
    for msg in w.waarschuwingen:
        console.print(f"[yellow]Let op:[/] {msg}")


@app.command("waardeer")
def waardeer(
    path: Path = typer.Argument(..., help="Grex (.yaml/.json), portefeuillebestand of map met grexen"),
    jaar: int | None = typer.Option(None, "--jaar", help="Balansjaar (standaard: uit de portefeuille of prijspeil − 1)"),
    voorziening_vorig: float = typer.Option(0.0, "--voorziening-vorig", help="Alleen voor één grex: voorziening vorig jaar [EUR]"),
    winst_vorig: float = typer.Option(0.0, "--winst-vorig", help="Alleen voor één grex: cumulatief genomen winst t/m vorig jaar [EUR]"),
    poc_basis: str | None = typer.Option(None, "--poc-basis", help="ncw (standaard) of nominaal"),
    dagtelling: str | None = typer.Option(None, "--dagtelling", help="hele_jaren of werkelijke_dagen"),
    trekkingen: int = typer.Option(0, "--trekkingen", help="Monte Carlo-trekkingen voor grexen met een risicoregister (0: verwachtingswaarde)"),
    as_json: bool = typer.Option(False, "--json", help="Resultaat als JSON"),
) -> None:
    """Waardering op balansdatum: boekwaarde, resultaat nominaal en NCW, verliesvoorziening en mutatie, POC-winstneming, risico."""
    from opengrex.services.bbv import LoadedPortfolio, value_portfolio

    lp = _load(path, jaar)
    updates: dict[str, Any] = {}
    if poc_basis is not None:
        updates["poc_basis"] = poc_basis
    if dagtelling is not None:
        updates["dagtelling"] = dagtelling
    if voorziening_vorig or winst_vorig:
        if len(lp.grexes) != 1:
            raise InputError("--voorziening-vorig en --winst-vorig gelden alleen voor één grex", field="--voorziening-vorig", allowed="zet ze per grex in het portefeuillebestand")
        updates["grexen"] = [lp.portefeuille.grexen[0].model_copy(update={"voorziening_vorig": voorziening_vorig, "winst_vorig": winst_vorig})]
    if updates:
        from opengrex.model.bbv import Portefeuille

        pf = Portefeuille.model_validate(lp.portefeuille.model_copy(update=updates).model_dump(exclude_none=True)).validated()
        lp = LoadedPortfolio(pf, lp.grexes, lp.map)
    w = value_portfolio(lp, trekkingen=trekkingen)
    if as_json:
        print_json(w.to_dict())
    else:
        print_valuation(w)


@app.command("jaarovergang")
def jaarovergang(
    path: Path = typer.Argument(..., help="Grex (.yaml) of portefeuillebestand"),
    grootboek: Path | None = typer.Option(None, "--grootboek", help="Grootboekexport van het jaar (.csv/.xlsx: datum, project, kostensoort, bedrag)"),
    jaar: int | None = typer.Option(None, "--jaar", help="Het jaar dat wordt afgesloten (standaard: prijspeiljaar / balansjaar + 1)"),
    indices: Path | None = typer.Option(None, "--indices", help="YAML met nieuwe indexreeksen (naam: percentage of {jaar: percentage})"),
    rente: float | None = typer.Option(None, "--rente", help="Rentepercentage grondexploitaties vanaf het nieuwe jaar (fractie)"),
    restant: str = typer.Option("vervalt", "--restant", help="vervalt (standaard) of doorschuiven: niet-gerealiseerde raming naar het volgende jaar"),
    door: str = typer.Option("opengrex", "--door", help="Naam voor het logboek"),
    output: Path | None = typer.Option(None, "-o", "--uitvoer", help="Grex: .yaml-bestand; portefeuille: map voor de nieuwe portefeuille"),
    as_json: bool = typer.Option(False, "--json", help="Verschilanalyse als JSON"),
) -> None:
    """Jaarovergang N → N+1: realisatie uit het grootboek, prijspeil 1-1-(N+1), herindexering, en de verschilanalyse per oorzaak."""
    from opengrex.io.documents import read_document
    from opengrex.services.bbv import load_portfolio, roll_grex, roll_portfolio, save_portfolio
    from opengrex.services.grex import grex_to_dict, load_grex

    data, _ = read_document(path) if path.is_file() else ({}, None)
    single = isinstance(data, dict) and "grexen" not in data and path.is_file()
    kwargs: dict[str, Any] = dict(nieuwe_indices=_indices(indices), nieuwe_rente=rente, restant=restant, door=door)
    if single:
        jo = roll_grex(load_grex(path), grootboek, jaar, **kwargs)
    else:
        jo = roll_portfolio(load_portfolio(path), grootboek, jaar, **kwargs)
    if output is not None:
        if single:
            import yaml

            doc = grex_to_dict(jo.documents()[0])
            write_atomic(output, lambda p: p.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=160), encoding="utf-8"))
        else:
            save_portfolio(jo.portefeuille(), output)
    if as_json:
        print_json(jo.to_dict())
        return
    for maat, label in (("nominaal", "nominaal"), ("ncw", f"NCW (1-1-{jo.jaar} → 1-1-{jo.jaar + 1})")):
        df = jo.verschillen_frame(maat)
        cols = list(df.columns)
        rows = [(str(n), [r[c] for c in cols]) for n, r in df.iterrows()]
        tot = df.sum()
        rows.append(("Totaal", [tot[c] for c in cols]))
        console.print(money_table(f"Jaarovergang {jo.jaar}: verschil in resultaat {label}", cols, rows,
                                  caption="Shapley over realisatie, herraming, timing, indexatie en rente (32 combinaties; de delen tellen op tot het verschil)"))
    ks = jo.per_kostensoort_frame()
    console.print(money_table("Per kostensoort (NCW)", list(ks.columns), [(str(n), list(r)) for n, r in ks.iterrows()]))
    vv = jo.vervallen_frame()
    if len(vv):
        console.print(f"Vervallen raming {jo.jaar}: {eur(vv['vervallen_raming'].sum())} over {len(vv)} posten (niet doorgeschoven; --restant doorschuiven schuift het door).")
    if output is not None:
        console.print(f"Geschreven: {output}")


@app.command("renteschema")
def renteschema(
    path: Path = typer.Argument(..., help="Renteschema-invoer (.yaml): a, b, c2, c3, d1, d2, activa per 1 januari, …"),
    portefeuille: Path | None = typer.Option(None, "--portefeuille", help="Portefeuille voor regel c1 (toegerekende rente aan grondexploitaties)"),
    as_json: bool = typer.Option(False, "--json", help="Resultaat als JSON"),
) -> None:
    """Renteschema a–f (Notitie rente 2017) met de omslagrente, afgerond op 0,5 %."""
    from opengrex.services.bbv import calculate_renteschema, load_renteschema, value_portfolio

    inv = load_renteschema(path)
    w = value_portfolio(_load(portefeuille, None)) if portefeuille is not None else None
    r = calculate_renteschema(inv, w)
    if as_json:
        print_json(r.to_dict())
        return
    t = Table(title=f"Renteschema {inv.jaar}", title_justify="left", caption=f"Bron: {r.parameter_bron}", caption_justify="left")
    kolommen: tuple[tuple[str, JustifyMethod], ...] = (("", "left"), ("Omschrijving", "left"), ("", "left"), ("Bedrag", "right"))
    for c, j in kolommen:
        t.add_column(c, justify=j)
    for row in r.rows():
        t.add_row(row["rij"], row["omschrijving"], row["teken"], eur(row["bedrag"]))
    console.print(t)
    console.print(f"Omslagrente: onafgerond {pct(r.omslag_onafgerond, 3)}, afgerond ({inv.afronding}, stap 0,5 %) {pct(r.omslag_afgerond, 1)}; "
                  f"afwijking e t.o.v. toe te rekenen rente {pct(r.afwijking, 1)}{' — correctie verplicht (> 25 %)' if r.correctie_verplicht else ''}.")
    if r.rentepercentage_grex is not None:
        console.print(f"Rentepercentage grondexploitaties (gemiddelde rente × vreemd/totaal vermogen): {pct(r.rentepercentage_grex, 3)}")


@app.command("afsluiten")
def afsluiten(
    path: Path = typer.Argument(..., help="Portefeuillebestand"),
    grex: str = typer.Option(..., "--grex", help="Naam of projectnummer"),
    door: str = typer.Option(..., "--door", help="Wie sluit af (logboek)"),
    toelichting: str = typer.Option("", "--toelichting"),
    output: Path = typer.Option(..., "-o", "--uitvoer", help="Map voor de bijgewerkte portefeuille"),
) -> None:
    """Afsluiten: het eindresultaat boeken (winst of aanwending voorziening) en de grex bevriezen."""
    from opengrex.services.bbv import close_grex, save_portfolio

    lp, booking = close_grex(_load(path, None), grex, door, toelichting)
    save_portfolio(lp, output)
    console.print(money_table(f"Afgesloten: {grex}", ["bedrag"], [(k.replace("_", " "), [v]) for k, v in booking.items()], decimals=2))
    console.print(f"Geschreven: {output}")


@app.command("heropenen")
def heropenen(
    path: Path = typer.Argument(..., help="Portefeuillebestand"),
    grex: str = typer.Option(..., "--grex", help="Naam of projectnummer"),
    door: str = typer.Option(..., "--door"),
    reden: str = typer.Option(..., "--reden", help="Waarom de grex wordt heropend (logboek)"),
    output: Path = typer.Option(..., "-o", "--uitvoer", help="Map voor de bijgewerkte portefeuille"),
) -> None:
    """Heropenen van een afgesloten grex: expliciet en gelogd."""
    from opengrex.services.bbv import reopen_grex, save_portfolio

    save_portfolio(reopen_grex(_load(path, None), grex, door, reden), output)
    console.print(f"Heropend: {grex}; geschreven: {output}")


@app.command("uitleg")
def uitleg(
    path: Path = typer.Argument(...),
    kengetal: str = typer.Argument(..., help="boekwaarde, ncw, voorziening, poc, winstneming, rente_toegerekend, weerstand"),
    grex: str | None = typer.Option(None, "--grex"),
) -> None:
    """Herleiding van een kengetal: regel, bron, invoer en parameters."""
    from opengrex.services.bbv import value_portfolio

    w = value_portfolio(_load(path, None))
    name = grex if grex is not None or kengetal == "weerstand" else (w.names[0] if len(w.names) == 1 else None)
    print_json(w.explain(kengetal, name).to_dict())


@portefeuille_app.command("bereken")
def bereken(
    path: Path = typer.Argument(..., help="Portefeuillebestand of map met grexbestanden"),
    jaar: int | None = typer.Option(None, "--jaar", help="Balansjaar (bij een map: standaard prijspeiljaar − 1)"),
    as_json: bool = typer.Option(False, "--json"),
    xlsx: Path | None = typer.Option(None, "--xlsx", help="Raadsrapportage als Excel met formules"),
    openbaar: bool = typer.Option(False, "--openbaar", help="Openbare variant: zonder posten, prijzen en toelichtingen"),
    trekkingen: int = typer.Option(2000, "--trekkingen", help="Monte Carlo-trekkingen (0: geen)"),
    seed: int = typer.Option(2013, "--seed"),
    chunk: int | None = typer.Option(None, "--chunk", help="Trekkingen per blok"),
    scheduler: str | None = typer.Option(None, "--scheduler", help="dask.distributed-scheduler, bijv. tcp://127.0.0.1:8786"),
    grafiek: Path | None = typer.Option(None, "--grafiek", help="Kasstroom en boekwaarde per jaar als SVG"),
) -> None:
    """Meerjarenprognose Grondexploitaties: per grex en totaal boekwaarde, resultaat, voorziening, winstneming, risico en weerstandsvermogen."""
    from opengrex.services.bbv import value_portfolio

    w = value_portfolio(_load(path, jaar), trekkingen=trekkingen, seed=seed, chunk=chunk, scheduler=scheduler)
    if xlsx is not None:
        from opengrex.io.xlsx_bbv import export_portfolio_xlsx

        write_atomic(xlsx, lambda p: export_portfolio_xlsx(w, p, openbaar=openbaar))
    if grafiek is not None:
        from opengrex.io.charts_bbv import portfolio_chart_svg

        write_atomic(grafiek, lambda p: portfolio_chart_svg(w, p))
    if as_json:
        data = w.to_dict()
        if w.risk is not None:
            data["monte_carlo"] = w.risk.to_dict()
        print_json(data)
        return
    print_valuation(w)
    if w.risk is not None:
        console.print(f"Monte Carlo: {w.risk.draws} trekkingen (seed {w.risk.seed}{', dask ' + w.risk.scheduler if w.risk.scheduler else ''}); "
                      f"som benodigd per grex {eur(float(w.risk.benodigd.sum()))}, gespreid over de portefeuille {eur(w.risk.totaal_benodigd)}.")
    if xlsx is not None:
        console.print(f"Geschreven: {xlsx} ({'openbaar' if openbaar else 'vertrouwelijk'})")


__all__ = ["app", "portefeuille_app", "register"]
