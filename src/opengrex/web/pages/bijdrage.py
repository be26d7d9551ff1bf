"""Financiële bijdrage page: the six steps of §4.1 with tabel 1–5 (Nota Kostenverhaal Soest 2023). List, versions,
compare and downloads are the common pages (:mod:`opengrex.web.pages.documents`)."""
from __future__ import annotations

from typing import Any

from opengrex.io.charts import bijdrage_figures
from opengrex.services.kinds import DocumentKind
from opengrex.web.pages.documents import PAGES, KindPage
from opengrex.web.pages.render import charts_json, frame_table

BIJDRAGE_STAPPEN = (
    ("tabel1", "Stap 1–2 · Tabel 1: investeringen, bruto → netto, en het meetellende deel", "Netto = bruto − subsidies − externe bijdragen − onderhoudsbudget − gebruikersopbrengsten; telt mee naar hardheid (hard 100%, zacht 50%, nader te bepalen 0%)."),
    ("tabel1_categorieen", "Tabel 1 samengevat: per investeringscategorie", "Totalen per hardheidscategorie."),
    ("tabel2", "Stap 3 · Tabel 2: bestaand versus nieuw per gebied", "Aandeel nieuw = nieuwe woningen (naar hardheid) / (bestaande + nieuwe woningen); bedrag nieuw = netto investering × aandeel nieuw."),
    ("tabel3", "Stap 4 · Tabel 3: wegingsfactoren per segment", "Grondwaarde = gemiddelde WOZ / (1 + btw) × grondquote; wegingsfactor = grondwaarde / grondwaarde sociaal."),
    ("tabel4", "Stap 5 · Tabel 4: prijs per gewogen eenheid per gebied", "Gewogen eenheden = Σ nieuwe woningen per segment × wegingsfactor; prijs = bedrag nieuw / gewogen eenheden."),
    ("tabel5", "Stap 6 · Tabel 5: tarief per woning per gebied", "Tarief = prijs per eenheid × wegingsfactor (eigen tarief van het gebied)."),
    ("tabel5_voor_plan", "Tabel 5 voor een plan: wat een plan in elk gebied betaalt", "Een plan betaalt de tarieven van elk gebied waarin het ligt (de kern en de hele gemeente)."),
    ("plannen_frame", "Plannen en hun bijdrage", "Woningen per segment van elk plan × de tarieven."),
    ("parameter_frame", "Gebruikte parameters en bronnen", ""),
)


def bijdrage_context(result: Any, kind: DocumentKind[Any, Any]) -> dict[str, Any]:
    tables = []
    for attr, title, rule in BIJDRAGE_STAPPEN:
        fn = getattr(result, attr, None)
        if fn is None:
            continue
        tables.append({"id": attr, "titel": title, "regel": rule, "t": frame_table(fn())})
    return {"r": result, "tabellen": tables, "charts": charts_json(bijdrage_figures(result))}


PAGES["bijdrage"] = KindPage("bijdrage.html", bijdrage_context)
