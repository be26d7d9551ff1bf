"""Gebiedsbegroting (issue 12): an area of 50 parties × 200 investments each × 30 years with 10 game rules, and 1,000
rule-set variants in ONE vectorised engine call side by side with a loop over the variants.

Measures (printed, never asserted):

(a) :func:`opengrex.engine.gebied.calculate` on the big area (10,000 posten, 40 transactions, 10 rules, fund) [s];
(b) the same area as a document: validate (pydantic + checks) and compile, then calculate [s];
(c) 1,000 variants of the rule set (a leading variant axis on the rule parameters) in one call [s], and
(d) a loop calling the engine once per variant [s], with the ratio (d)/(c); the two results are compared;
(e) only the rules (:func:`opengrex.engine.spelregels.pas_toe`) for 1,000 variants in one call vs a loop.
"""
from __future__ import annotations

import dataclasses

import numpy as np

from benchmarks.bench_bijdrage import _best  # best-of-n timing with the result, as the other benchmarks
from opengrex.engine import gebied as eg
from opengrex.engine import spelregels as sr

P, PER_PARTY, Y, N_RULES, V = 50, 200, 30, 10, 1000
G, F, K, S, T = 4, 6, 3, 3, 40


def make_area(rng: np.random.Generator) -> eg.GebiedArrays:
    """50 parties (10 public, 40 private), 200 posten each over 30 years, land in 4 uses, programme in 6 functions,
    costs in 3 vereveningscategorieën, 40 transactions, memberships and fund spending, 10 rules."""
    L = P * PER_PARTY
    A = P + 1
    grond = rng.uniform(0, 20_000, (P, G)) * (rng.random((P, G)) < 0.5)
    inbreng = grond[:, :, None] * rng.dirichlet(np.ones(Y), (P, G))
    prog = rng.uniform(0, 8_000, (P, F, Y)) * (rng.random((P, F, Y)) < 0.2)
    prijs = np.linspace(2500, 4500, Y)[None, :] * rng.uniform(0.6, 1.2, (F, 1))
    onehot = lambda i: np.eye(A)[[i]]  # noqa: E731
    shares = lambda basis: np.r_[basis / basis.sum(), 0.0][None]  # noqa: E731
    prog_share = shares(prog.sum(axis=(1, 2)))
    grond_share = shares(grond.sum(axis=1))
    payers = np.r_[np.zeros(10), np.ones(40), 0.0][None]
    regels = [
        sr.Regel("Inbreng", "inbrengwaarde", {"forfait": rng.uniform(50, 300, (1, G)), "betaler": prog_share}),
        sr.Regel("Bijdrage", "gebiedsbijdrage", {"tarief": rng.uniform(10, 60, (1, F)), "ontvanger": onehot(0), "betalers": payers}),
        sr.Regel("Bijdrage provincie", "gebiedsbijdrage", {"tarief": rng.uniform(0, 10, (1, F)), "ontvanger": onehot(1), "betalers": payers}),
        sr.Regel("Verevening park", "verevening", {"categorieen": np.array([[1.0, 0.0, 0.0]]), "sleutel": prog_share}),
        sr.Regel("Verevening school", "verevening", {"categorieen": np.array([[0.0, 1.0, 1.0]]), "sleutel": grond_share}),
        sr.Regel("Ontwikkelrechten", "ontwikkelrechten", {"prijs": rng.uniform(50, 400, (1, F)), "sleutel": grond_share}),
        sr.Regel("Meerwaarde", "meebewegend", {"tarief": rng.uniform(5, 30, (1, F)), "koppeling": np.array([1]), "index": np.array([0]), "referentieprijs": prijs[:, :1].T.copy(), "ontvanger": onehot(P), "betalers": payers}),
        sr.Regel("Index-afdracht", "meebewegend", {"tarief": rng.uniform(1, 10, (1, F)), "koppeling": np.array([0]), "index": np.array([1]), "referentieprijs": np.zeros((1, F)), "ontvanger": onehot(P), "betalers": payers}),
        sr.Regel("10% naar gebiedsorganisatie", "afdracht", {"aandeel": np.array([0.1]), "van": onehot(0), "naar": onehot(P), "regels": np.array([[1.0, 0, 1.0, 0, 0, 0, 0, 0, 0]])}),
        sr.Regel("5% provincie", "afdracht", {"aandeel": np.array([0.05]), "van": onehot(1), "naar": onehot(P), "regels": np.array([[0, 0, 0, 1.0, 0, 0, 0, 0, 0, 0]])}),
    ]
    assert len(regels) == N_RULES
    return eg.GebiedArrays(
        years=np.arange(2025, 2025 + Y), n_partijen=P, timing="end", rate=rng.uniform(0.01, 0.04, (S, Y)), index_base=0, index_offset=0,
        post_bedrag=rng.lognormal(13, 1.2, L), post_fasering=rng.dirichlet(np.ones(Y) * 0.3, L), post_teken=rng.choice([-1.0, 1.0], L, p=[0.6, 0.4]),
        post_reeks=rng.integers(0, S, L), post_partij=np.repeat(np.arange(P), PER_PARTY), post_investering=rng.integers(-1, 3, L),
        post_categorie=np.where(rng.random(L) < 0.05, rng.integers(0, K, L), -1), n_categorieen=K,
        tr_prijs=rng.uniform(1e6, 3e7, T), tr_fasering=rng.dirichlet(np.ones(Y), T), tr_reeks=rng.integers(0, S, T),
        tr_koper=rng.integers(0, P, T), tr_verkoper=rng.integers(-1, P, T),
        ext_kosten=-rng.uniform(0, 1e6, (5, Y)), ext_opbrengsten=rng.uniform(0, 1e6, (5, Y)), ext_partij=rng.integers(0, P, 5), ext_investering=rng.integers(0, 3, 5),
        kv_bedrag=rng.uniform(0, 2e5, (8, Y)), kv_reeks=np.zeros(8, dtype=int), kv_betaler=rng.integers(10, P, 8), kv_ontvanger=np.full(8, P),
        lid_bedrag=np.full((P, Y), 25_000.0), lid_reeks=np.zeros(P, dtype=int), lid_partij=np.arange(P),
        fonds_rente=np.full(Y, 0.015), fonds_opening=0.0, uit_bedrag=rng.uniform(1e5, 1e6, 20), uit_fasering=rng.dirichlet(np.ones(Y), 20), uit_reeks=np.zeros(20, dtype=int),
        disconteringsvoet=0.03, ncw_year=2025, ncw_fraction=0.0,
        grond_m2=grond, inbreng_m2=inbreng, programma_m2=prog, prijs=prijs, marge=rng.uniform(0, 0.12, P),
        risico_bedrag=rng.uniform(1e5, 5e6, 30), risico_kans=rng.uniform(0, 1, 30), risico_aandeel=rng.dirichlet(np.ones(P), 30), regels=regels,
    )


def with_variants(a: eg.GebiedArrays, rng: np.random.Generator, n: int) -> eg.GebiedArrays:
    """``n`` variants of the rule set: every rate, price, forfait and share scaled per variant (0.5×–1.5×)."""
    out = []
    for r in a.regels:
        params = {k: np.repeat(v, n, axis=0) for k, v in r.parameters.items()}
        for key in ("forfait", "tarief", "prijs"):
            if key in params:
                params[key] = params[key] * rng.uniform(0.5, 1.5, (n, 1))
        if "aandeel" in params:
            params["aandeel"] = np.clip(params["aandeel"] * rng.uniform(0.5, 1.5, n), 0, 1)
        out.append(sr.Regel(r.naam, r.type, params))
    return dataclasses.replace(a, regels=out)


def one_variant(a: eg.GebiedArrays, v: int) -> eg.GebiedArrays:
    return dataclasses.replace(a, regels=[sr.Regel(r.naam, r.type, {k: x[v : v + 1] for k, x in r.parameters.items()}) for r in a.regels])


def _three_years(years: list[int], start: int) -> dict[int, float]:
    return {years[start]: 0.3, years[start + 1]: 0.4, years[start + 2]: 0.3}


def as_document(rng: np.random.Generator) -> dict:
    """The big area as a gebied document (50 parties × 200 posten on a 30-year grid, each post phased over three
    years — a document stays under the reader's bound of 250,000 values —, 10 rules) for the validate+compile path."""
    years = list(range(2025, 2025 + Y))
    parties = [{"id": f"p{i}", "naam": f"Partij {i}", "soort": "publiek" if i < 10 else "privaat", "rol": "gemeente" if i == 0 else "ontwikkelaar"} for i in range(P)]
    posten = [{"naam": f"Post {i}.{j}", "partij": f"p{i}", "soort": "kosten" if j % 3 else "opbrengsten", "categorie": ["park", "school", "sport"][j % 3] if j % 20 == 1 else None,
               "bedrag": float(rng.lognormal(13, 1.2)), "index": "bouw", "fasering": _three_years(years, (i * PER_PARTY + j) % (Y - 2))} for i in range(P) for j in range(PER_PARTY)]
    posten = [{k: v for k, v in p.items() if v is not None} for p in posten]
    grond = [{"partij": f"p{i}", "grondgebruik": f"g{i % G}", "m2": float(rng.uniform(1e3, 2e4)), "inbreng": {2026: 1.0}} for i in range(P)]
    programma = [{"partij": f"p{i}", "functie": f"f{i % F}", "m2": float(rng.uniform(1e3, 2e4)), "fasering": {y: 0.2 for y in years[5:10]}} for i in range(10, P)]
    fun = {f"f{k}": float(rng.uniform(10, 60)) for k in range(F)}
    regels = [
        {"naam": "Inbreng", "type": "inbrengwaarde", "forfait": {f"g{k}": 100.0 for k in range(G)}, "betaler": {"naar_rato": "programma"}},
        {"naam": "Bijdrage", "type": "gebiedsbijdrage", "tarief": fun, "ontvanger": "p0"},
        {"naam": "Bijdrage provincie", "type": "gebiedsbijdrage", "tarief": fun, "ontvanger": "p1"},
        {"naam": "Verevening park", "type": "verevening", "categorieen": ["park"], "sleutel": {"naar_rato": "programma"}},
        {"naam": "Verevening school", "type": "verevening", "categorieen": ["school", "sport"], "sleutel": {"naar_rato": "grond"}},
        {"naam": "Ontwikkelrechten", "type": "ontwikkelrechten", "prijs": fun},
        {"naam": "Meerwaarde", "type": "meebewegend", "tarief": fun, "koppeling": "index", "index": "bouw", "ontvanger": "fonds"},
        {"naam": "Index-afdracht", "type": "meebewegend", "tarief": {"f0": 5.0}, "koppeling": "index", "index": "geen", "ontvanger": "p2"},
        {"naam": "10% naar gebiedsorganisatie", "type": "afdracht", "aandeel": 0.1, "van": "p0", "regels": ["Bijdrage", "kostenverhaal"]},
        {"naam": "5% provincie", "type": "afdracht", "aandeel": 0.05, "van": "p1", "regels": ["Bijdrage provincie"]},
    ]
    return {"naam": "Benchmarkgebied", "prijspeil": "2025-01-01", "startjaar": 2025, "eindjaar": 2025 + Y - 1, "indices": {"geen": 0.0, "bouw": 0.025},
            "partijen": parties, "posten": posten, "grond": grond, "programma": programma, "spelregelsets": [{"naam": "S", "regels": regels}],
            "fonds": {"lidmaatschap": [{"partij": f"p{i}", "bedrag": 25_000, "van": 2025, "tot": 2025 + Y - 1} for i in range(P)]}}


def run() -> list[dict]:
    from opengrex.model.gebied import compile as compile_gebied
    from opengrex.services.gebied import gebied_from_dict

    rng = np.random.default_rng(20250601)
    a = make_area(rng)
    t_one, o = _best(lambda: eg.calculate(a), 5)
    scale = float(np.abs(o.netto).max())
    conserved = float(np.abs(o.regels.sum(axis=2)).max())
    doc = as_document(rng)
    t_doc, _ = _best(lambda: eg.calculate(compile_gebied(gebied_from_dict(doc))), 2)
    av = with_variants(a, rng, V)
    t_vec, ov = _best(lambda: eg.calculate(av), 3)
    t_loop, loop = _best(lambda: [eg.calculate(one_variant(av, v)) for v in range(V)], 1)
    diff = max(float(np.abs(loop[v].netto[0] - ov.netto[v]).max()) for v in range(V))
    state = eg.toestand(a, eg.index_factoren(a.rate, a.index_base, a.index_offset, Y, a.timing), o.post_stromen)
    kv = o.kostenverhaal[None]
    t_rules_vec, _ = _best(lambda: sr.pas_toe(state, av.regels, kv), 3)
    t_rules_loop, _ = _best(lambda: [sr.pas_toe(state, one_variant(av, v).regels, kv) for v in range(V)], 1)
    return [
        {"meting": f"gebied {P} partijen × {PER_PARTY} investeringen × {Y} jaar, {N_RULES} regels (engine)", "waarde": t_one, "eenheid": "s", "toelichting": "opengrex.engine.gebied.calculate, beste van 5"},
        {"meting": "zelfde als document: valideren + compileren + rekenen", "waarde": t_doc, "eenheid": "s", "toelichting": f"{P * PER_PARTY:,} posten via pydantic (beste van 2)".replace(",", ".")},
        {"meting": "behoud: grootste som van een regel over de rekeningen", "waarde": conserved, "eenheid": "EUR", "toelichting": f"t.o.v. bedragen tot {scale:,.0f}".replace(",", ".")},
        {"meting": f"{V:,} varianten van de spelregels in één aanroep".replace(",", "."), "waarde": t_vec, "eenheid": "s", "toelichting": "leidende variant-as, beste van 3"},
        {"meting": f"zelfde, lus van {V:,} aanroepen".replace(",", "."), "waarde": t_loop, "eenheid": "s", "toelichting": "één engine-aanroep per variant"},
        {"meting": "verhouding lus / gevectoriseerd (hele engine)", "waarde": t_loop / t_vec, "eenheid": "×", "toelichting": f"grootste verschil {diff:.2e} EUR"},
        {"meting": f"alleen de {N_RULES} regels, {V:,} varianten in één aanroep".replace(",", "."), "waarde": t_rules_vec, "eenheid": "s", "toelichting": "opengrex.engine.spelregels.pas_toe"},
        {"meting": "alleen de regels, lus per variant", "waarde": t_rules_loop, "eenheid": "s"},
        {"meting": "verhouding lus / gevectoriseerd (regels)", "waarde": t_rules_loop / t_rules_vec, "eenheid": "×"},
    ]


if __name__ == "__main__":  # pragma: no cover
    for row in run():
        print(row)
