"""BBV valuation of grondexploitaties and the portfolio (MPG): one function per rule, numpy only.

Contract: shared/spec/bbv.md with grondexploitatie.md §3, §9–10. Every function broadcasts over a leading
portfolio axis ``P`` (and any further batch axes, e.g. Monte Carlo draws ``D``); no loop over grexes in Python.

Sign conventions
----------------
The grex engine's convention holds for flows and results: costs negative, revenues positive, a result > 0 is a
profit (winst). The **boekwaarde** in BBV reports is the balance-sheet value of the voorraad (onderhanden werk,
BBV art. 38): positive when costs exceed revenues, i.e. ``boekwaarde = -B`` with ``B`` the engine book value.

Sources (markers as in the research note, /work/scratch/bbv/REPORT.md; the commissie BBV notities could only be read
as table of contents, so their paragraphs are cited by title and the rules by the secondary sources that state them)
-------
.. [1] BBV art. 16 (paragraaf grondbeleid), 38, 52d (toelichting BIE: boekwaarde begin/eind, nog te maken kosten,
       geraamde opbrengsten, geraamd eindresultaat), commissiebbv.nl "Bepalingen BBV rondom grondexploitaties".
.. [2] Commissie BBV, Notitie Grondexploitaties 2016 (§4.4 Rentetoerekening p. 20, §4.5 Disconteringsvoet p. 21,
       §5.2 Tussentijds winst nemen p. 26, §5.4 Verwerking van verliezen p. 27) — for jaarrekening 2016–2018;
       Notitie Grondbeleid in begroting en jaarstukken 2019 (§5.4 Rentetoerekening, Disconteringsvoet, §6
       Waardering) — for 2019–2023; the 2023 notitie (published 5 December 2023) for 2024 and later.
.. [3] Verliesvoorziening for the full expected loss at once: Notitie grondexploitatie (bijgesteld) 2012, stellige
       uitspraak 4 ("direct een afboeking ... of een voorziening ... ter grootte van dit volledige verlies"); at NCW:
       Gorinchem, Jaarstukken 2022, grondslagen; Alphen-Chaam, Begroting 2018.
.. [4] POC: Medemblik, Jaarstukken 2018 ("Percentage gerealiseerde kosten x percentage gerealiseerde inkomsten x
       verwacht resultaat"; specific, not general, risks may be included); Laarbeek, Begroting 2021 ("Er kan geen
       sprake zijn van gerealiseerde winst als nog geen gronden verkocht zijn"); mandatory since 2017 (Hardenberg,
       Begroting 2025).
.. [5] Rente: Koggenland, Begroting 2020, citing the Notitie 2016 ("Rente over het eigen vermogen mag niet aan de
       BIE worden toegerekend"; rate = gemiddelde rente leningenportefeuille × vreemd/totaal vermogen; applied to the
       boekwaarde per 1 januari); Scobe, "Renteperikelen rond de GREX" (2021): no interest within the year.
.. [6] Renteschema a–f (c1–c3, d1–d2) and omslagrente: Eersel, Begroting 2019 and Buren, Jaarverslag 2020
       (template rows and signs); Koggenland, Begroting 2019 (Notitie rente 2017: "afronding op 0,5% toegestaan",
       correction mandatory above 25 %).
.. [7] Weerstandsvermogen rating table A–F (NAR / Universiteit Twente): Berg en Dal, Begroting 2020; Stein,
       Jaarverslag 2021 (parameters/bbv/weerstandsvermogen.yaml).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from opengrex.engine import grex as grex_rules
from opengrex.engine.arrays import ArrayLike, BoolArray, FloatArray, FloatLike, IntArray
from opengrex.engine.explain import rule
from opengrex.engine.programma import shapley

HELE_JAREN = "hele_jaren"
WERKELIJKE_DAGEN = "werkelijke_dagen"
DAGTELLINGEN = (HELE_JAREN, WERKELIJKE_DAGEN)
DAGEN_PER_JAAR = 365.25
"""Divisor of ``werkelijke_dagen`` (grondexploitatie.md §10). Spreadsheet XNPV uses 365; no municipal source for
365.25 was found (research note §5)."""

CAUSES = ("realisatie", "herraming", "timing", "indexatie", "rente")
"""Causes of the change in result at a jaarovergang, in this order (bits 0..4 of a coalition)."""


# ------------------------------------------------------------------------------------------------ time
def looptijd_jaren(ncw_datum: dt.date, eindjaar, dagtelling: str = HELE_JAREN) -> FloatArray:
    """Time ``T`` from ``ncw_datum`` to 31 December of ``eindjaar`` [yr] (grondexploitatie.md §4, §10).

    ``hele_jaren``: ``eindjaar + 1 - ncw_year - (day_of_year - 1) / days_in_year`` (1 January: whole years).
    ``werkelijke_dagen``: ``(31-12-eindjaar - ncw_datum).days / 365.25``, the literal reading of §10.

    This is the one day-count helper of the BBV code; it is meant to be unified with ``engine/tijd.py`` (branch
    ``gp``) by the coordinator. ``eindjaar``: int or ``(P,)`` array.
    """
    end = np.asarray(eindjaar, dtype=np.int64)
    if dagtelling == HELE_JAREN:
        days = 366 if _leap(ncw_datum.year) else 365
        frac = (ncw_datum.timetuple().tm_yday - 1) / days
        return (end + 1 - ncw_datum.year - frac).astype(np.float64)
    if dagtelling == WERKELIJKE_DAGEN:
        # ordinal of 31 December of year y, vectorised: ordinal(1 January y+1) - 1
        y1 = end + 1 - 1
        days_before = y1 * 365 + y1 // 4 - y1 // 100 + y1 // 400  # days in years 1..y1 (proleptic Gregorian)
        return ((days_before - ncw_datum.toordinal()) / DAGEN_PER_JAAR).astype(np.float64)
    raise ValueError(f"onbekende dagtelling {dagtelling!r}; kies uit {', '.join(DAGTELLINGEN)}")


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


# ------------------------------------------------------------------------------------------------ valuation
@rule("Boekwaarde (BIE)", formule="boekwaarde = −B_N: gerealiseerde kosten − opbrengsten + toegerekende rente t/m 31-12-N",
      bron="BBV art. 38 en 52d; grondexploitatie.md §3, §9")
def boekwaarde(book: ArrayLike, pos: ArrayLike, opening=0.0) -> FloatArray:
    """Boekwaarde at 31 December of the balance year, as on the balance sheet (positive = voorraad) [EUR].

    ``book (..., P, Y)``: engine book value (rekening-courant, realised flows up to and including N);
    ``pos (P,)``: position of N on the grid (< 0: before the grid: the opening book value ``opening (P,)``)."""
    book = np.asarray(book, dtype=np.float64)
    pos = np.broadcast_to(np.asarray(pos), book.shape[:-1])
    idx = np.broadcast_to(np.maximum(pos, 0)[..., None], book.shape[:-1] + (1,))
    picked = np.take_along_axis(book, idx, axis=-1)[..., 0]
    return np.where(pos >= 0, -picked, -np.asarray(opening, dtype=np.float64))


@rule("Netto contante waarde (BBV)", formule="NCW = eindwaarde / (1 + d) ^ T, T van 1-1-(N+1) tot 31-12 van het eindjaar",
      bron="Notitie Grondexploitaties 2016 §4.5; Notitie Grondbeleid 2019/2023 (Disconteringsvoet); grondexploitatie.md §4, §10")
def ncw(eindwaarde: ArrayLike, disconteringsvoet, t_end) -> FloatArray:
    """NCW of the expected end result at 1-1-(N+1) [EUR]: :func:`opengrex.engine.grex.ncw_bbv` with ``T`` per grex."""
    return grex_rules.ncw_bbv(eindwaarde, disconteringsvoet, np.asarray(t_end, dtype=np.float64))


@rule("Verliesvoorziening", formule="V_N = max(0, −NCW_N): het volledige verwachte verlies, direct",
      bron="Notitie grondexploitatie 2012 stellige uitspraak 4; Notitie Grondexploitaties 2016 §5.4; bbv.md")
def verliesvoorziening(resultaat: ArrayLike) -> FloatArray:
    """Voorziening for the full expected loss at once, ``max(0, -resultaat)`` [EUR] ([3]). ``resultaat``: NCW by
    default (eindwaarde selectable in the service)."""
    return np.maximum(0.0, -np.asarray(resultaat, dtype=np.float64))


@rule("Mutatie verliesvoorziening", formule="dotatie = max(0, V_N − V_(N−1)); vrijval = max(0, V_(N−1) − V_N)",
      bron="bbv.md (Valuation at balance date)")
def mutatie_voorziening(v_nu: ArrayLike, v_vorig: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Movement of the voorziening against last year: ``(dotatie, vrijval)``, both >= 0 [EUR]."""
    diff = np.asarray(v_nu, dtype=np.float64) - np.asarray(v_vorig, dtype=np.float64)
    return np.maximum(diff, 0.0), np.maximum(-diff, 0.0)


@rule("Percentage of completion (POC)", formule="POC = (gerealiseerde kosten / totale kosten) × (gerealiseerde opbrengsten / totale opbrengsten)",
      bron="Medemblik, Jaarstukken 2018 (winstneming); Notitie Grondbeleid 2019 §6 (tussentijds winst nemen); bbv.md")
def poc(kosten_gerealiseerd, kosten_totaal, opbrengsten_gerealiseerd, opbrengsten_totaal) -> FloatArray:
    """POC [-] ([4]). Costs and revenues as positive nominal amounts (excl. toegerekende rente). A grex without
    expected revenues has no POC: the caller raises an error for it (NaN here); without costs the cost share is 1."""
    kr, kt, orr, ot = (np.asarray(v, dtype=np.float64) for v in (kosten_gerealiseerd, kosten_totaal, opbrengsten_gerealiseerd, opbrengsten_totaal))
    cost_share = np.divide(kr, kt, out=np.ones(np.broadcast_shapes(kr.shape, kt.shape)), where=kt > 0)
    rev_share = np.divide(orr, ot, out=np.full(np.broadcast_shapes(orr.shape, ot.shape), np.nan), where=ot > 0)
    return np.clip(cost_share, 0.0, 1.0) * np.clip(rev_share, 0.0, 1.0)


@rule("Tussentijdse winstneming (POC)",
      formule="W_N = POC × max(0, resultaat − risicobedrag) × (1 − risicoaandeel); 0 zolang geen gronduitgifte is gerealiseerd; genomen dit jaar = W_N − W_(N−1)",
      bron="Medemblik, Jaarstukken 2018; Laarbeek, Begroting 2021; Notitie Grondbeleid 2019 §6; bbv.md")
def winstneming(poc_n, resultaat, uitgifte_gerealiseerd, w_vorig, risico_bedrag=0.0, risico_aandeel=0.0) -> tuple[FloatArray, FloatArray]:
    """Cumulative profit to be taken ``W_N`` and the profit taken this year ``W_N - W_(N-1)`` [EUR] ([4]).

    ``resultaat``: the expected end result on the chosen basis (NCW by default); ``uitgifte_gerealiseerd``: bool,
    some gronduitgifte realised up to N (no profit before); ``risico_bedrag`` [EUR] and ``risico_aandeel`` [-]
    reduce the result for project-specific risks (the amount first, then the share). ``W_N`` never exceeds
    ``max(0, resultaat)``: POC <= 1 and the reductions only lower it. A negative taken-this-year is profit taken back.
    """
    base = np.maximum(0.0, np.asarray(resultaat, dtype=np.float64) - np.asarray(risico_bedrag, dtype=np.float64))
    base = base * (1.0 - np.clip(np.asarray(risico_aandeel, dtype=np.float64), 0.0, 1.0))
    p = np.nan_to_num(np.asarray(poc_n, dtype=np.float64), nan=0.0)
    w = np.where(np.asarray(uitgifte_gerealiseerd, dtype=bool), p * base, 0.0)
    return w, w - np.asarray(w_vorig, dtype=np.float64)


@rule("Toegerekende rente", formule="rente = rentepercentage × boekwaarde per 1 januari (alleen rente over vreemd vermogen)",
      bron="Notitie Grondexploitaties 2016 §4.4 (Koggenland, Begroting 2020); Notitie Grondbeleid 2019 §5.4")
def rente_toegerekend(boekwaarde_1_januari, rentepercentage) -> FloatArray:
    """Interest charged to a grex in year N: the real interest of borrowed money, rate × book value at 1 January
    (no interest on flows within the year, none in a grex's first year) [EUR] ([5]). ``rentepercentage``: the
    municipality's grex rate (gemiddelde rente leningenportefeuille × vreemd/totaal vermogen, :func:`grex_rentepercentage`)."""
    return np.asarray(boekwaarde_1_januari, dtype=np.float64) * np.asarray(rentepercentage, dtype=np.float64)


@rule("Rentepercentage grondexploitaties", formule="gemiddelde rente leningenportefeuille × vreemd vermogen / totaal vermogen",
      bron="Notitie Grondexploitaties 2016 §4.4 zoals geciteerd door Koggenland, Begroting 2020 (Renteberekening); Gorinchem, Begroting 2018")
def grex_rentepercentage(gemiddelde_rente, vreemd_vermogen, totaal_vermogen) -> FloatArray:
    """Rate charged to grexes without projectfinanciering [1/yr] ([5]); 0 without borrowed money."""
    vv, tv = np.asarray(vreemd_vermogen, dtype=np.float64), np.asarray(totaal_vermogen, dtype=np.float64)
    return np.asarray(gemiddelde_rente, dtype=np.float64) * np.divide(vv, tv, out=np.zeros(np.broadcast_shapes(vv.shape, tv.shape)), where=tv > 0)


# ------------------------------------------------------------------------------------------------ renteschema
@dataclass
class Renteschema:
    """Rows of the renteschema (Notitie rente 2017 format, [6]) [EUR]; ``f`` as in the template arithmetic
    (negative = voordelig for taakveld Treasury), ``renteresultaat = -f`` (positive = voordelig)."""

    a: FloatArray
    b: FloatArray
    saldo_extern: FloatArray
    c1: FloatArray
    c2: FloatArray
    c3: FloatArray
    extern_toe_te_rekenen: FloatArray
    d1: FloatArray
    d2: FloatArray
    toe_te_rekenen: FloatArray
    e: FloatArray
    f: FloatArray
    renteresultaat: FloatArray


@rule("Renteschema", formule="saldo = a − b; extern = saldo − c1 − c2 + c3; totaal = extern + d1 + d2; f = totaal − e",
      bron="Notitie rente 2017, renteschema (zoals Eersel, Begroting 2019 en Buren, Jaarverslag 2020 het weergeven)")
def renteschema(a, b, c1, c2, c3, d1, d2, e) -> Renteschema:
    """The renteschema rows a–f with the subtotals of the template ([6]). All inputs positive amounts [EUR]:
    a external interest charges, b external interest income, c1 interest passed to the grondexploitaties, c2 interest
    of projectfinanciering passed to its taakveld, c3 interest income of on-lent project loans (+/+), d1 interest on
    equity, d2 interest on provisions (both optional; the commissie advises against them), e interest charged to the
    taakvelden via the omslag."""
    a, b, c1, c2, c3, d1, d2, e = (np.asarray(v, dtype=np.float64) for v in (a, b, c1, c2, c3, d1, d2, e))
    saldo = a - b
    extern = saldo - c1 - c2 + c3
    totaal = extern + d1 + d2
    f = totaal - e
    return Renteschema(a, b, saldo, c1, c2, c3, extern, d1, d2, totaal, e, f, -f)


@rule("Omslagrente", formule="omslag = toe te rekenen rente / boekwaarde vaste activa per 1 januari, afgerond op een veelvoud van 0,5 %",
      bron="Notitie rente 2017 (Buren, Jaarverslag 2020; Koggenland, Begroting 2019: 'afronding op 0,5% toegestaan')")
def omslagrente(toe_te_rekenen, activa_1_januari, stap: float = 0.005, richting: str = "dichtstbij") -> tuple[FloatArray, FloatArray]:
    """``(onafgerond, afgerond)`` omslag percentage [1/yr] ([6]). ``richting``: ``dichtstbij`` (half up),
    ``omhoog``, ``omlaag`` or ``geen`` (the sources allow any direction: Goirle 1,87 % → 2 %, Dordrecht 2,60 % → 3 %).
    Rounded on the percentage scale with a tiny guard so that 1,75 % (0.0175 in float64) rounds half up to 2 %."""
    t, act = np.asarray(toe_te_rekenen, dtype=np.float64), np.asarray(activa_1_januari, dtype=np.float64)
    raw = np.divide(t, act, out=np.zeros(np.broadcast_shapes(t.shape, act.shape)), where=act > 0)
    units = raw / stap
    guard = 1e-9
    if richting == "dichtstbij":
        n = np.floor(units + 0.5 + guard)
    elif richting == "omhoog":
        n = np.ceil(units - guard)
    elif richting == "omlaag":
        n = np.floor(units + guard)
    elif richting == "geen":
        return raw, raw
    else:
        raise ValueError(f"onbekende afrondingsrichting {richting!r}")
    return raw, n * stap


@rule("Correctie omslagrente verplicht", formule="|e − toe te rekenen| / toe te rekenen > 25 %",
      bron="Notitie rente 2017 (Koggenland, Begroting 2019); basis van de 25 % niet geverifieerd")
def correctie_verplicht(e, toe_te_rekenen, drempel: float = 0.25) -> tuple[FloatArray, BoolArray]:
    """``(afwijking, verplicht)``: relative deviation of the interest charged via the omslag from the interest to be
    charged [-], and whether it exceeds the threshold (then the omslag must be corrected) ([6])."""
    e, t = np.asarray(e, dtype=np.float64), np.asarray(toe_te_rekenen, dtype=np.float64)
    dev = np.divide(np.abs(e - t), np.abs(t), out=np.where(np.abs(e - t) > 0, np.inf, 0.0), where=t != 0)
    return dev, dev > drempel


# ------------------------------------------------------------------------------------------------ risk and weerstand
@rule("Risico per risicoklasse", formule="risico = percentage(klasse) × nog te realiseren opbrengsten",
      bron="gemeentelijk risicobeleid (geen BBV-regel); percentages per portefeuille instelbaar")
def risico_klasse(percentage, nog_te_realiseren_opbrengsten) -> FloatArray:
    """Risk amount of a grex from its risk class [EUR]: a municipal policy choice, not a BBV rule."""
    return np.asarray(percentage, dtype=np.float64) * np.maximum(np.asarray(nog_te_realiseren_opbrengsten, dtype=np.float64), 0.0)


@rule("Benodigde weerstandscapaciteit (Monte Carlo)", formule="max(0, NCW basis − NCW op percentiel (100 − p))",
      bron="shared/spec/programma.md (Risk); opengrex.services.programma.RiskResult.weerstandsvermogen")
def risico_monte_carlo(basis, ncw_percentiel) -> FloatArray:
    """Required capacity for a grex from its NCW distribution [EUR]: the deterministic NCW minus the NCW that is
    reached in p % of the draws."""
    return np.maximum(np.asarray(basis, dtype=np.float64) - np.asarray(ncw_percentiel, dtype=np.float64), 0.0)


@rule("Ratio weerstandsvermogen", formule="ratio = beschikbare / benodigde weerstandscapaciteit; klasse A–F (ondergrens inclusief)",
      bron="BBV art. 11; waarderingstabel NAR / Universiteit Twente (Berg en Dal, Begroting 2020; Stein, Jaarverslag 2021)")
def weerstand(beschikbaar, benodigd, ondergrenzen) -> tuple[FloatArray, IntArray]:
    """``(ratio, klasse)``: ratio [-] (inf when nothing is needed) and the index of its class in ``ondergrenzen``
    (descending lower bounds, the last class without one: ``[2.0, 1.4, 1.0, 0.8, 0.6]`` → A..E, F below) ([7])."""
    b, n = np.asarray(beschikbaar, dtype=np.float64), np.asarray(benodigd, dtype=np.float64)
    ratio = np.divide(b, n, out=np.full(np.broadcast_shapes(b.shape, n.shape), np.inf), where=n > 0)
    bounds = np.asarray(ondergrenzen, dtype=np.float64)[::-1]  # ascending
    klasse = len(bounds) - np.searchsorted(bounds, ratio, side="right")
    return ratio, klasse


@rule("Looptijd langer dan 10 jaar", formule="eindjaar − startjaar + 1 > 10",
      bron="Notitie Grondexploitaties 2016 (10 jaar als richttermijn; Gilze en Rijen, Begroting 2018; Veere, Kadernota 2016)")
def looptijd_te_lang(startjaar, eindjaar, maximum: int = 10) -> BoolArray:
    """A grex running more than ``maximum`` years needs beheersmaatregelen (no revenue indexation after year 10):
    a warning, not an error."""
    return np.asarray(eindjaar) - np.asarray(startjaar) + 1 > maximum


# ------------------------------------------------------------------------------------------------ jaarovergang
@rule("Verdeling realisatie over posten", formule="realisatie per (project, kostensoort) pro rata over de posten naar hun raming van jaar N "
      "(anders naar hun resterende budget, anders de eerste post); zonder post: een nieuwe post",
      bron="bbv.md (Jaarovergang); grondexploitatie.md §9")
def verdeel_realisatie(bedrag, post_code, raming_n, restant, n_codes: int) -> tuple[FloatArray, FloatArray]:
    """Allocate ledger totals per (project, code) to the lines with that code [EUR nominal].

    ``bedrag (P, C)``: realised per project and code; ``post_code (P, L)``: code of each line (-1: none);
    ``raming_n (P, L)``: each line's (positive) estimate for year N; ``restant (P, L)``: its remaining budget.
    Returns ``(toegewezen (P, L), zonder_post (P, C))``: the amount per line and the amount of codes that have no
    line in the project (a new line takes it).
    """
    bedrag = np.asarray(bedrag, dtype=np.float64)
    n_p, n_l = post_code.shape
    valid = post_code >= 0
    group = np.where(valid, np.arange(n_p)[:, None] * n_codes + np.maximum(post_code, 0), -1)
    flat = group[valid]
    size = n_p * n_codes

    def group_sum(w: FloatArray) -> FloatArray:
        return np.bincount(flat, weights=w[valid], minlength=size)  # type: ignore[return-value]  # numpy's stubs: int, but float64 with weights

    first = np.zeros((n_p, n_l))
    order = np.argsort(flat, kind="stable")
    uniq_start = np.r_[True, flat[order][1:] != flat[order][:-1]] if flat.size else np.zeros(0, dtype=bool)
    firsts = np.zeros(flat.size)
    firsts[order[uniq_start]] = 1.0
    first[valid] = firsts
    weights = []
    for w in (np.asarray(raming_n, dtype=np.float64), np.asarray(restant, dtype=np.float64), first):
        weights.append((w, group_sum(w)))
    g = np.maximum(group, 0)
    chosen_w = np.zeros((n_p, n_l))
    chosen_s = np.ones((n_p, n_l))
    done = np.zeros((n_p, n_l), dtype=bool)
    for w, s in weights:
        use = valid & ~done & (s[g] > 0)
        chosen_w = np.where(use, w, chosen_w)
        chosen_s = np.where(use, s[g], chosen_s)
        done |= use
    toegewezen = np.where(valid, bedrag.reshape(-1)[g] * chosen_w / chosen_s, 0.0)
    has_line = np.bincount(flat, minlength=size).reshape(n_p, n_codes) > 0
    return toegewezen, np.where(has_line, 0.0, bedrag)


@dataclass
class Versie:
    """One grex version (or a portfolio of them) on a common grid and line axis, for the variance analysis.

    flows (..., P, L, Y): signed nominal flow per line (engine ``line_flows``); reeel (..., P, L): real remaining
    budget from year N+1 at prijspeil 1-1-N; spreiding (..., P, L, Y): its distribution over the years after N
    (sums to 1 where ``reeel`` > 0); index (..., P, L, Y): price index relative to 1-1-N; sign (P, L);
    rente (..., P, Y); opening (..., P); eind (P,): position of the end year; t_end (..., P): T for the NCW;
    disconteringsvoet: scalar or (..., P); timing: the grex timing.
    """

    flows: FloatArray
    reeel: FloatArray
    spreiding: FloatArray
    index: FloatArray
    sign: FloatArray
    rente: FloatArray
    opening: FloatArray
    eind: IntArray
    t_end: FloatArray
    disconteringsvoet: FloatLike
    timing: str = grex_rules.TIMING_END


@rule("Resterend budget, reëel", formule="reëel = bedrag × I_N × som(fasering na N); spreiding = fasering / som; index_y = I_y / I_N",
      bron="bbv.md (Jaarovergang: het restant wordt opnieuw geïndexeerd)")
def resterend_budget(amount, share, line_index, index_n, toekomst) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Split the estimate after year N into ``(reeel (P, L), spreiding (P, L, Y), index (P, L, Y))``: the real amount
    at prijspeil 1-1-N, its phasing over the years after N and the price index relative to 1-1-N, so that
    ``amount × share_y × I_y = reeel × spreiding_y × index_y`` for every year after N."""
    share = np.asarray(share, dtype=np.float64)
    fut = np.asarray(toekomst, dtype=bool)
    part = np.where(fut, share, 0.0)
    total = part.sum(axis=-1)
    index_n = np.asarray(index_n, dtype=np.float64)
    reeel = np.asarray(amount, dtype=np.float64) * index_n * total
    spreiding = np.divide(part, total[..., None], out=np.zeros_like(part), where=total[..., None] > 0)
    index = np.asarray(line_index, dtype=np.float64) / index_n[..., None]
    return reeel, spreiding, index


def groei_tot_eind(rente: ArrayLike, eind: ArrayLike, timing: str) -> tuple[FloatArray, FloatArray]:
    """``(G (..., P, Y), G_open (..., P))``: the value at 31 December of the end year of one euro of flow in year y
    (resp. of the opening book value): ``ff_y × prod_{k=y+1}^{end} (1 + r_k)``, 0 after the end year; ``ff`` = 1
    (end), ``sqrt(1 + r_y)`` (mid), ``1 + r_y`` (start), as in :func:`opengrex.engine.grex.book_value`."""
    rente = np.asarray(rente, dtype=np.float64)
    logg = np.log1p(rente)
    cum = np.cumsum(logg, axis=-1)
    n_y = rente.shape[-1]
    eind = np.asarray(eind)
    at_end = np.take_along_axis(cum, np.broadcast_to(eind, cum.shape[:-1])[..., None], axis=-1)
    g = np.exp(at_end - cum)
    if timing == grex_rules.TIMING_MID:
        g = g * np.sqrt(1.0 + rente)
    elif timing == grex_rules.TIMING_START:
        g = g * (1.0 + rente)
    g = np.where(np.arange(n_y) <= np.broadcast_to(eind, cum.shape[:-1])[..., None], g, 0.0)
    return g, np.exp(at_end[..., 0])


def _pick(bit: int, a, b):
    return b if bit else a


@rule("Verschilanalyse jaarovergang (Shapley)",
      formule="bijdrage oorzaak i = Σ_S w(|S|) (v(S + i) − v(S)) over alle 2^5 combinaties van realisatie, herraming, timing, indexatie, rente",
      bron="bbv.md (Jaarovergang); Shapley zoals opengrex.engine.programma.shapley")
def verschilanalyse(a: Versie, b: Versie, toekomst: ArrayLike, t_end_tabel: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Values of all ``2**5`` hybrid versions and their Shapley split over :data:`CAUSES`.

    A hybrid takes from version ``b`` what its causes switch on and the rest from ``a``:
    realisatie = the flows of the years up to and including N (and the opening book value); herraming = the real
    remaining budget per line; timing = its phasing over the years after N and the end year; indexatie = the price
    index of the years after N; rente = the rente per year, the disconteringsvoet and the NCW date.
    ``t_end_tabel (2, 2, ..., P)``: T for [rente from b?][end year from b?].

    Returns ``(values (32, 3, ..., P, L + 1), parts (5, 3, ..., P, L + 1))``: per coalition (bit i = cause i from b),
    per measure (nominal result, eindwaarde, NCW), per grex, per line (the last column: the opening book value). The
    parts add up to ``values[-1] - values[0]`` (Shapley efficiency), up to floating-point rounding.
    """
    fut = np.asarray(toekomst, dtype=bool)
    shape = a.flows.shape[:-1]
    values = np.zeros((32, 3) + shape[:-1] + (shape[-1] + 1,))
    growth = {}
    for rb in (0, 1):
        for tb in (0, 1):
            src_r = _pick(rb, a, b)
            growth[rb, tb] = groei_tot_eind(src_r.rente, _pick(tb, a, b).eind, a.timing)
    for m in range(32):
        r_, h_, t_, i_, rt_ = ((m >> k) & 1 for k in range(5))
        past = np.where(fut, 0.0, _pick(r_, a, b).flows)
        fut_flow = _pick(h_, a, b).reeel[..., None] * _pick(t_, a, b).spreiding * _pick(i_, a, b).index
        flows = past + np.where(fut, fut_flow * a.sign[..., None], 0.0)
        opening = _pick(r_, a, b).opening
        g, g_open = growth[rt_, t_]
        d = np.asarray(_pick(rt_, a, b).disconteringsvoet, dtype=np.float64)
        disc = (1.0 + d) ** (-np.asarray(t_end_tabel[rt_][t_], dtype=np.float64))
        nominal = flows.sum(axis=-1)
        eind = (flows * g[..., None, :]).sum(axis=-1)
        values[m, 0, ..., :-1] = nominal
        values[m, 0, ..., -1] = opening
        values[m, 1, ..., :-1] = eind
        values[m, 1, ..., -1] = opening * g_open
        values[m, 2, ..., :-1] = eind * disc[..., None]
        values[m, 2, ..., -1] = opening * g_open * disc
    return values, shapley(values, len(CAUSES))
