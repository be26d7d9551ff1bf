"""Generate the BBV demo: 12 illustrative grexes of the fictitious 'Gemeente Voorbeeld', a portfolio file at
balansjaar 2023 and ledger exports for 2024 and 2025 (run: ``python examples/bbv/maak_demo.py``; the files are in
the repository, this script documents how they were made). Not real projects; amounts are illustrative."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

HERE = Path(__file__).resolve().parent
RNG = np.random.default_rng(2025)

INDICES = {"kosten": {2024: 0.035, 2025: 0.03, 2026: 0.025, 2027: 0.02}, "opbrengsten": 0.015, "sociaal": 0.01, "geen": 0.0}

# name, projectnummer, start, end, scale (M EUR), margin (revenue / cost), status, risk
PROJECTS = [
    ("De Hoge Akker", "7001", 2021, 2032, 30, 1.12, "in_exploitatie", {"klasse": "midden"}),
    ("Stationskwartier", "7002", 2019, 2030, 45, 0.90, "in_exploitatie", {"risicos": [
        {"naam": "Vertraging herontwikkeling", "kans": 0.4, "impact": {"min": 500000, "mode": 1500000, "max": 4000000}},
        {"naam": "Bodemverontreiniging", "kans": 0.25, "impact": {"min": 200000, "mode": 600000, "max": 1500000}}]}),
    ("Bedrijvenpark Oost", "7003", 2018, 2027, 22, 1.20, "in_exploitatie", {"bedrag": 800000}),
    ("Molenweide", "7004", 2020, 2026, 12, 1.15, "in_exploitatie", {"klasse": "laag"}),
    ("Havenfront", "7005", 2022, 2034, 60, 0.95, "in_exploitatie", {"risicos": [
        {"naam": "Marktrisico appartementen", "kans": 0.5, "impact": {"min": 1000000, "mode": 3000000, "max": 7000000}}]}),
    ("Kerkpad", "7006", 2017, 2025, 6, 1.10, "in_exploitatie", {"bedrag": 0}),
    ("Zuiderveld", "7007", 2023, 2033, 35, 1.08, "in_exploitatie", {"klasse": "hoog"}),
    ("Oude Veiling", "7008", 2019, 2028, 15, 0.85, "in_exploitatie", {"klasse": "midden"}),
    ("Sportpark Noord", "7009", 2021, 2029, 9, 1.25, "in_exploitatie", {"klasse": "laag"}),
    ("Beekdal", "7010", 2022, 2031, 18, 1.02, "in_exploitatie", {"risicos": [
        {"naam": "Stikstof en vergunningen", "kans": 0.3, "impact": {"min": 300000, "mode": 900000, "max": 2000000}}]}),
    ("Lindehof", "7011", 2020, 2027, 8, 1.30, "in_exploitatie", {"bedrag": 250000}),
    ("Westrand", "7012", 2026, 2035, 25, 1.05, "voorbereiding", {"klasse": "hoog"}),
]

COSTS = [("Verwerving", "A2", "geen", "early"), ("Sloop en sanering", "A6", "kosten", "early"), ("Bouwrijp maken", "A6", "kosten", "mid"),
         ("Riolering", "A8", "kosten", "mid"), ("Woonrijp maken", "A8", "kosten", "late"), ("Plan- en proceskosten", "A10", "kosten", "all")]
COST_SHARE = [0.30, 0.08, 0.18, 0.12, 0.20, 0.12]
REVENUES = [("Uitgifte woningbouw", "gronduitgifte_woningbouw", "opbrengsten", 0.7), ("Uitgifte sociale huur", "gronduitgifte_sociaal", "sociaal", 0.2),
            ("Uitgifte bedrijfskavels", "gronduitgifte_bedrijven", "opbrengsten", 0.1)]


def phasing(start: int, end: int, kind: str) -> dict[int, float]:
    years = list(range(start, end + 1))
    n = len(years)
    w = {"early": np.exp(-np.arange(n) / 1.2), "mid": np.exp(-((np.arange(n) - n * 0.4) ** 2) / max(n, 2)), "late": np.exp(-((np.arange(n) - n * 0.8) ** 2) / max(n, 2)),
         "all": np.ones(n), "rev": np.exp(-((np.arange(n) - n * 0.65) ** 2) / max(n * 1.5, 2)) * (np.arange(n) >= 2)}[kind]
    w = np.round(w / w.sum(), 4)
    w[-1] = round(1.0 - w[:-1].sum(), 4)
    return {y: float(v) for y, v in zip(years, w) if v > 0}


def grex(name, start, end, scale, margin) -> dict:
    total_cost = scale * 1e6
    kosten = [{"name": n, "kostensoort": c, "amount": round(total_cost * s, -3), "index": ix, "phasing": phasing(start, end, kind)}
              for (n, c, ix, kind), s in zip(COSTS, COST_SHARE)]
    opbr = [{"name": n, "opbrengstsoort": c, "amount": round(total_cost * margin * s, -3), "index": ix, "phasing": phasing(start, end, "rev")} for n, c, ix, s in REVENUES]
    realised = {}
    if start <= 2023:  # realised history up to 2023 at the estimate (nominal, prijspeil 2024 kept simple: deflated by 2 % a year)
        for ln in kosten + opbr:
            ln["realised"] = {y: round(ln["amount"] * ln["phasing"].get(y, 0.0) / 1.02 ** (2024 - y), 2) for y in range(start, 2024) if ln["phasing"].get(y, 0.0)}
            for y in range(start, 2024):
                ln["phasing"].pop(y, None)
            rest = sum(ln["phasing"].values())
            if rest > 0:
                ln["phasing"] = {y: v / rest for y, v in ln["phasing"].items()}
                ln["amount"] = round(ln["amount"] * rest, -2)
            else:
                ln["phasing"] = {2024: 1.0}
                ln["amount"] = 0.0
    return {"name": name, "prijspeil": "2024-01-01", "start_year": start, "end_year": end, "timing": "end", "rente": 0.025, "disconteringsvoet": 0.02,
            "ncw_datum": "2024-01-01", "realised_through": min(2023, end) if start <= 2023 else None, "indices": INDICES, "kosten": kosten, "opbrengsten": opbr, **realised}


def main() -> None:
    (HERE / "grex").mkdir(exist_ok=True)
    entries = []
    for name, nr, start, end, scale, margin, status, risk in PROJECTS:
        doc = grex(name, start, end, scale, margin)
        if doc["realised_through"] is None:
            doc.pop("realised_through")
        fname = f"grex/{nr}-{name.lower().replace(' ', '-')}.yaml"
        (HERE / fname).write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=160), encoding="utf-8")
        entries.append({"bestand": fname, "projectnummer": nr, "status": status, "voorziening_vorig": 0.0, "winst_vorig": 0.0, "risico": risk})
    pf = {"naam": "Gemeente Voorbeeld — grondexploitaties", "gemeente": "Voorbeeld", "balansjaar": 2023, "weerstandscapaciteit": 24000000.0,
          "rente_grex": 0.025, "risico_percentiel": 90, "grexen": entries}
    (HERE / "portefeuille-2023.yaml").write_text(yaml.safe_dump(pf, sort_keys=False, allow_unicode=True, width=160), encoding="utf-8")


def ledger(portfolio_path: Path, year: int, out: Path, seed: int) -> None:
    """Bookings of ``year``: each line's estimate for the year split over a few bookings, with a deviation."""
    import opengrex
    from opengrex.services.grex import calculate_grex

    rng = np.random.default_rng(seed)
    lp = opengrex.load_portfolio(portfolio_path)
    rows = []
    for e, g in zip(lp.portefeuille.grexen, lp.grexes):
        if e.status != "in_exploitatie" or not (g.start_year <= year <= g.end_year):
            continue
        r = calculate_grex(g)
        col = year - g.start_year
        for lab, flows in zip(r.line_labels, r.outcome.line_flows):
            v = abs(float(flows[col]))
            if v <= 0:
                continue
            v *= float(rng.normal(1.0, 0.12))
            k = int(rng.integers(1, 4))
            parts = rng.dirichlet(np.ones(k)) * v
            for p in parts:
                day = pd.Timestamp(year, 1, 1) + pd.Timedelta(days=int(rng.integers(0, 365)))
                rows.append({"datum": day.date().isoformat(), "project": e.projectnummer, "kostensoort": lab["code"], "bedrag": round(float(p), 2), "omschrijving": lab["naam"]})
    pd.DataFrame(rows).sort_values(["datum", "project"]).to_csv(out, index=False)




def all_years() -> None:
    """Portfolio 2023 -> ledger 2024 -> jaarovergang 2024 -> ledger 2025 (the 2024 portfolio is rebuilt by the README
    steps; here it is only used to draw the 2025 bookings)."""
    import tempfile

    import opengrex

    main()
    ledger(HERE / "portefeuille-2023.yaml", 2024, HERE / "grootboek-2024.csv", 2024)
    jo = opengrex.roll_portfolio(opengrex.load_portfolio(HERE / "portefeuille-2023.yaml"), HERE / "grootboek-2024.csv", 2024,
                                 nieuwe_indices=NIEUWE_INDICES_2024, door="demo")
    with tempfile.TemporaryDirectory() as tmp:
        path = opengrex.save_portfolio(jo.portefeuille(), Path(tmp) / "2024")
        ledger(path, 2025, HERE / "grootboek-2025.csv", 2025)


NIEUWE_INDICES_2024 = {"kosten": {2024: 0.041, 2025: 0.032, 2026: 0.025, 2027: 0.02}}


if __name__ == "__main__":
    all_years()
