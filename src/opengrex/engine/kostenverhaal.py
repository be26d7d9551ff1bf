"""Kostenverhaal rules as vectorised numpy functions (no I/O, no pandas), one function per rule, each citing its source.

Every function accepts arbitrary leading batch axes (a case axis ``N``, a draws axis, ...): 10,000 cases compute
in one call. Amounts in euros [EUR], shares as fractions [-].

Two steps, as in the nota's worked examples (bijlage A5):

1. :func:`case_arrays` turns a compiled case (:class:`CasePosten`: cost and revenue lines per party, bovenwijkse
   voorzieningen, rates of the fysieke leefomgeving, the doelgroepen norm, kavels) into the amounts of the A5 table
   (:class:`CaseArrays`), keeping every intermediate table (:class:`CaseTussenstappen`);
2. :func:`calculate` applies the macroaftopping and the volgordelijkheid to those amounts (:class:`CaseOutcome`).

Axes: ``L`` cost/revenue lines, ``B`` bovenwijkse voorzieningen, ``A`` areas containing the plan, ``S`` segments
(:data:`opengrex.codes.segmenten.SEGMENTEN`), ``G`` groups of the doelgroepen norm, ``K`` kavels.

Category order (volgordelijkheid, Nota Kostenverhaal Soest 2023 §2.1.3 and bijlage A2.3) used on the last axis
of the ``demands``/``recovered`` arrays:

0. gebiedseigen kosten gemeente (regeling kostenverhaal)
1. bovenwijkse voorzieningen (regeling kostenverhaal, PTP-aandeel)
2. financiële bijdrage ter verbetering van de fysieke leefomgeving (§4.1)
3. financiële bijdrage evenwichtige samenstelling van de woningvoorraad (§4.2)

References
----------
.. [1] Omgevingswet art. 13.14 (macroaftopping); Wro art. 6.16.
.. [2] Nota Kostenverhaal gemeente Soest 2023 (seed 002), §2.1.2, §2.1.3, §4.1, §4.2, bijlage A2.3 en A5.
.. [3] Omgevingsbesluit art. 8.13–8.18 en bijlage IV (kostensoorten, kostenverhaal zonder tijdvak).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from opengrex.engine.bijdrage import grondwaarde
from opengrex.engine.explain import rule

NOTA = "Nota Kostenverhaal gemeente Soest 2023"
Array = NDArray[np.float64]

__all__ = [
    "A5_COLUMNS", "A5_ROWS", "CATEGORIES", "PARTIJEN", "POSTEN", "REDENEN", "CaseArrays", "CaseOutcome", "CasePosten",
    "CaseTussenstappen", "budget_before", "bijdrage_fysieke_leefomgeving", "calculate", "case_arrays",
    "exploitatiebijdrage", "financieel_resultaat", "grondwaarde", "grondwaarde_per_groep", "grondwaarde_per_segment",
    "kavel_aandelen", "macroaftopping", "niet_verhaalbaar", "norm_aantallen", "partij_totalen", "planschade_per_partij",
    "ptp_aandeel", "ptp_aandelen", "te_verhalen", "toegerekend", "volgordelijkheid", "volgordelijkheid_reden",
    "woningen_per_groep", "woningvoorraad_bijdrage", "zonder_tijdvak_kavels",
]

CATEGORIES: tuple[str, ...] = (
    "gebiedseigen",
    "bovenwijkse_voorzieningen",
    "financiele_bijdrage_fysieke_leefomgeving",
    "financiele_bijdrage_woningvoorraad",
)
#: Parties of a case (first axis of :func:`partij_totalen`).
PARTIJEN: tuple[str, ...] = ("initiatiefnemer", "gemeente")
#: Kinds of line of a party (second axis of :func:`partij_totalen`).
POSTEN: tuple[str, ...] = ("kosten", "opbrengsten", "subsidies")
#: Rows of the result table in the layout of bijlage A5 (spec kostenverhaal.md "Result table").
A5_ROWS: tuple[str, ...] = (
    "Subtotaal investeringen gebiedseigen",
    "Opbrengsten",
    "Subsidies en bijdrages",
    "Saldo gebiedseigen kosten",
    "Bovenwijkse voorzieningen",
    "Financiële bijdrage fysieke leefomgeving",
    "Financiële bijdrage evenwichtige woningvoorraad",
    "Saldo gebiedseigen & gebiedsoverstijgend",
    "Macroaftopping",
    "Exploitatiebijdrage",
    "Financieel resultaat",
)
A5_COLUMNS: tuple[str, ...] = ("Initiatiefnemer", "Gemeente", "Totaal")
#: Why a category is (not) recovered: the codes of :func:`volgordelijkheid_reden`.
REDENEN: tuple[str, ...] = ("niets_te_verhalen", "volledig", "geen_ruimte", "opgebruikt", "deels")

_EPS = 1e-9


def _f(x: ArrayLike) -> Array:
    return np.asarray(x, dtype=np.float64)


# ------------------------------------------------------------------------------------------------ step 1: amounts
@rule("Totalen per partij", formule="Σ bedragen per partij (initiatiefnemer, gemeente) en post (kosten, opbrengsten, subsidies)",
      bron=f"{NOTA} bijlage A5 (kolommen Initiatiefnemer | Gemeente)")
def partij_totalen(bedrag: ArrayLike, partij: ArrayLike, post: ArrayLike) -> Array:
    """Totals per party and kind of line, the first three rows of bijlage A5 [2]_. [EUR (..., 2, 3)]

    ``bedrag`` (..., L) positive amounts; ``partij`` (L,) index into :data:`PARTIJEN`; ``post`` (L,) index into
    :data:`POSTEN`. ``T[p, k] = Σ_l bedrag_l [partij_l = p][post_l = k]``.
    """
    b = _f(bedrag)
    onehot = np.zeros((b.shape[-1], len(PARTIJEN), len(POSTEN)))
    onehot[np.arange(b.shape[-1]), np.asarray(partij, dtype=np.intp), np.asarray(post, dtype=np.intp)] = 1.0
    return np.einsum("...l,lpk->...pk", b, onehot)


@rule("Waarvan planschade", formule="Σ kosten met een planschadekostensoort (A11; Bro 6.2.4 onder l) per partij",
      bron=f"{NOTA} §2.1.2, Beleidskeuze: Planschade en nadeelcompensatie; codes/kostensoorten.yaml groep planschade")
def planschade_per_partij(bedrag: ArrayLike, partij: ArrayLike, planschade: ArrayLike) -> Array:
    """The expected planschade (nadeelcompensatie) included in each party's costs: it is part of the
    exploitatiebijdrage and settled five years after the decision became final (spec rule 7) [2]_.

    ``planschade`` (L,) bool: the line is a cost line with a kostensoort of the group ``planschade``. [EUR (..., 2)]
    """
    b = _f(bedrag) * np.asarray(planschade, dtype=bool)
    onehot = np.zeros((b.shape[-1], len(PARTIJEN)))
    onehot[np.arange(b.shape[-1]), np.asarray(partij, dtype=np.intp)] = 1.0
    return b @ onehot


@rule("PTP-aandeel uit woningen", formule="woningen van dit plan / woningen met profijt",
      bron=f"{NOTA} §2.1.2 (bovenwijkse voorzieningen: profijt, toerekenbaarheid, proportionaliteit)")
def ptp_aandeel(woningen_plan: ArrayLike, woningen_totaal: ArrayLike) -> Array:
    """PTP-aandeel of a bovenwijkse voorziening derived from homes: this plan's homes over all homes that
    benefit (profijt, toerekenbaarheid, proportionaliteit; nota §2.1.2, spec "A case"). [-]"""
    p = _f(woningen_plan)
    t = _f(woningen_totaal)
    return np.divide(p, t, out=np.zeros(np.broadcast(p, t).shape), where=t > 0)


@rule("PTP-aandeel", formule="gegeven aandeel, anders woningen van dit plan / woningen met profijt",
      bron=f"{NOTA} §2.1.2 (PTP-criteria; aandeel < 100 %, anders gebiedseigen)")
def ptp_aandelen(gegeven: ArrayLike, woningen_plan: ArrayLike, woningen_totaal: ArrayLike) -> Array:
    """The PTP share of each bovenwijkse voorziening: the share given (``gegeven``, NaN where it is to be derived)
    or :func:`ptp_aandeel`. [- (..., B)]"""
    g = _f(gegeven)
    return np.where(np.isnan(g), ptp_aandeel(woningen_plan, woningen_totaal), g)


@rule("Toegerekend aan het plan", formule="investering × PTP-aandeel", bron=f"{NOTA} §2.1.2; bijlage A5 (Bovenwijkse voorzieningen)")
def toegerekend(investering: ArrayLike, aandeel: ArrayLike) -> Array:
    """The part of a bovenwijkse voorziening charged to this plan. [EUR (..., B)]"""
    return _f(investering) * _f(aandeel)


@rule("Financiële bijdrage fysieke leefomgeving", formule="Σ_gebied Σ_segment tarief × woningen",
      bron=f"{NOTA} §4.1 stap 6; bijlage A5 voorbeeld 4 (10x + 10y + 10z)")
def bijdrage_fysieke_leefomgeving(tarieven: ArrayLike, woningen: ArrayLike) -> Array:
    """Total financiële bijdrage fysieke leefomgeving of a plan (nota §4.1 stap 6, bijlage A5 voorbeeld 4). [EUR]

    ``tarieven`` (..., A, S): rate per home per segment for every area containing the plan (zero rows for
    padding); ``woningen`` (..., S). Total = Σ_a Σ_s tarief[a, s] × woningen[s] (voorbeeld 4: 10x + 10y + 10z).
    """
    t = _f(tarieven)
    w = _f(woningen)
    return (t * w[..., None, :]).sum(axis=(-2, -1))


@rule("Grondwaarde per woning per segment", formule="gegeven grondwaarde, anders WOZ / (1 + btw) × grondquote",
      bron=f"{NOTA} §4.2; §4.1 stap 4; §4.4.1 tabel 6")
def grondwaarde_per_segment(gegeven: ArrayLike, woz: ArrayLike, grondquote: ArrayLike, btw: ArrayLike) -> Array:
    """Grondwaarde per home per segment for §4.2: as given (NaN where it is derived) or by the
    grondquotebenadering :func:`opengrex.engine.bijdrage.grondwaarde`. [EUR per home (..., S)]"""
    g = _f(gegeven)
    with np.errstate(invalid="ignore"):
        return np.where(np.isnan(g), grondwaarde(woz, grondquote, btw), g)


@rule("Gerealiseerde woningen per normgroep", formule="Σ woningen van de segmenten in de groep", bron=f"{NOTA} §4.2")
def woningen_per_groep(woningen: ArrayLike, groep: ArrayLike) -> Array:
    """Homes per group of the doelgroepen norm; ``groep`` (G, S) bool, segment ``s`` belongs to group ``g``
    (Soesterberg 20-80: sociaal+midden vs duur). [homes (..., G)]"""
    return _f(woningen) @ np.asarray(groep, dtype=np.float64).T


@rule("Grondwaarde van een normgroep (duurste segment)", formule="max grondwaarde over de segmenten van de groep",
      bron=f"{NOTA} §4.2 (een woning in een duurder segment in plaats van een vereiste goedkopere: verschil in grondwaarde)")
def grondwaarde_per_groep(grondwaarde_s: ArrayLike, groep: ArrayLike) -> Array:
    """Grondwaarde per home of each norm group: that of its dearest segment, i.e. what a conforming plan could
    have built in that group (Soesterberg: a sociaal+midden home missing is charged against midden). [EUR (..., G)]"""
    gw = _f(grondwaarde_s)[..., None, :]
    return np.where(np.asarray(groep, dtype=bool), gw, -np.inf).max(axis=-1)


@rule("Norm-aantallen per normgroep", formule="minimumaandeel × woningen naar boven afgerond; laatste groep de rest",
      bron=f"{NOTA} §4.2; bijlage A5 voorbeeld 3 (20 woningen bij 45-5-50 → 9 / 1 / 10)")
def norm_aantallen(woningen: ArrayLike, aandelen: ArrayLike) -> Array:
    """Norm counts per norm group (doelgroepen norm, nota §4.2 [2]_). [homes]

    ``aandelen`` (..., G): the minimum share of each group, cheapest first; the last group takes the rest.
    Groups before the last get ``ceil(share × woningen)`` (minima rounded up), limited to what is left
    (a tiny plan cannot be asked for more homes than it has); the last group gets the rest.
    (Voorbeeld 3: 20 homes at 45-5-50 → 9 / 1 / 10.)
    """
    n = _f(woningen)
    a = _f(aandelen)
    n, _ = np.broadcast_arrays(n, a[..., 0])
    out = np.zeros(n.shape + (a.shape[-1],))
    left = n.copy()
    for g in range(a.shape[-1] - 1):  # short loop over norm groups (G <= 3), vectorised over cases
        m = np.minimum(np.ceil(np.round(a[..., g] * n, 9)), left)
        out[..., g] = m
        left = left - m
    out[..., -1] = left
    return out


@rule("Financiële bijdrage evenwichtige woningvoorraad", formule="Σ_groep (gerealiseerd − norm) × grondwaarde van de groep",
      bron=f"{NOTA} §4.2; bijlage A5 voorbeeld 3 (2 × x)")
def woningvoorraad_bijdrage(gerealiseerd: ArrayLike, norm: ArrayLike, grondwaarde_groep: ArrayLike) -> tuple[Array, Array]:
    """Financiële bijdrage evenwichtige woningvoorraad (nota §4.2, bijlage A5 voorbeeld 3 [2]_). [EUR]

    Every home built in a dearer group instead of a required cheaper one pays the difference in grondwaarde:

    .. math:: F = \\sum_g (R_g - N_g)\\, G_g

    with ``R_g`` realised and ``N_g`` norm homes per group and ``G_g`` the group's grondwaarde per home (for a group
    of several segments, that of its dearest segment: what a conforming plan could have built). Because
    ``Σ R_g = Σ N_g``, ``F`` is a sum of differences of grondwaarde. ``F < 0``: the plan builds more cheap homes
    than required and may receive ``-F`` from the fund. Returns ``(F, R - N)``.
    """
    diff = _f(gerealiseerd) - _f(norm)
    return (diff * _f(grondwaarde_groep)).sum(axis=-1), diff


@rule("Aandeel per kavel", formule="gegeven aandeel; anders bedrag kavel / Σ bedragen; anders m² kavel / Σ m²",
      bron="Ow art. 13.14 lid 2; Ob art. 8.18 (kostenverhaal zonder tijdvak, per kavel); spec kostenverhaal regel 8")
def kavel_aandelen(aandeel: ArrayLike, bedrag: ArrayLike, oppervlakte: ArrayLike) -> Array:
    """Each kavel's share of the costs in kostenverhaal zonder tijdvak [3]_: the fraction given; else its amount in
    euros over the sum of the amounts; else its area over the total area (equal shares when that total is 0).
    NaN marks a value not given; a case uses one of the three for all its kavels (the model checks). [- (..., K)]"""
    a, b, m = _f(aandeel), _f(bedrag), _f(oppervlakte)
    with np.errstate(invalid="ignore", divide="ignore"):
        b_tot = np.nansum(b, axis=-1, keepdims=True)
        m_tot = np.nansum(m, axis=-1, keepdims=True)
        n_m = np.maximum((~np.isnan(m)).sum(axis=-1, keepdims=True), 1)
        from_m = np.where(m_tot > 0, m / m_tot, np.where(np.isnan(m), 0.0, 1.0 / n_m))
        from_b = np.where(b_tot > 0, b / b_tot, 0.0)
    return np.where(~np.isnan(a), a, np.where(~np.isnan(b), from_b, np.nan_to_num(from_m)))


# -------------------------------------------------------------------------------------- step 2: cap and order
@rule("Macroaftopping (maximum verhaalbaar)", formule="max(0, opbrengsten + subsidies − kosten initiatiefnemer)",
      bron=f"art. 13.14 Omgevingswet; art. 6.16 Wro; {NOTA} §2.1.3")
def macroaftopping(opbrengsten: ArrayLike, subsidies: ArrayLike, kosten_initiatiefnemer: ArrayLike) -> Array:
    """Macroaftopping: cap on the recoverable amount, art. 13.14 Ow / art. 6.16 Wro [1]_, nota §2.1.3 [2]_. [EUR]

    .. math:: \\text{cap} = \\max(0,\\ O + S - K_{ini})

    with ``O`` the opbrengsten, ``S`` subsidies/bijdragen and ``K_ini`` the initiatiefnemer's own costs.
    """
    o, s, k = np.broadcast_arrays(_f(opbrengsten), _f(subsidies), _f(kosten_initiatiefnemer))
    return np.maximum(0.0, o + s - k)


@rule("Te verhalen per categorie", formule="tekort gemeente (kosten − opbrengsten − subsidies, ≥ 0); bovenwijks toegerekend; "
      "financiële bijdrage fysieke leefomgeving; financiële bijdrage woningvoorraad (≥ 0)",
      bron=f"{NOTA} §2.1.3; bijlage A2.3 (volgordelijkheid); bijlage A5")
def te_verhalen(saldo_gemeente: ArrayLike, bovenwijks: ArrayLike, fb_fysiek: ArrayLike, fb_woningvoorraad: ArrayLike) -> Array:
    """What the gemeente seeks to recover per category of :data:`CATEGORIES`: its own deficit on the gebiedseigen
    costs, the bovenwijkse voorzieningen charged to the plan, and the two financiële bijdragen (a negative
    woningvoorraad bijdrage is a receivable from the fund, not a demand). [EUR (..., 4)]"""
    return np.stack(np.broadcast_arrays(np.maximum(-_f(saldo_gemeente), 0.0), _f(bovenwijks), _f(fb_fysiek),
                                        np.maximum(_f(fb_woningvoorraad), 0.0)), axis=-1)


@rule("Volgordelijkheid", formule="verhaald_c = min(te verhalen_c, max(0, ruimte − Σ_{j<c} te verhalen_j))",
      bron=f"{NOTA} §2.1.3; bijlage A2.3 (eerst regeling kostenverhaal, dan financiële bijdragen)")
def volgordelijkheid(budget: ArrayLike, demands: ArrayLike) -> Array:
    """Volgordelijkheid kostenverhaal – financiële bijdrage (nota §2.1.3, bijlage A2.3 [2]_). [EUR]

    Each category (last axis, in order) is recovered only from what the budget leaves after the categories
    before it:

    .. math:: R_c = \\min\\bigl(D_c,\\ \\max(0,\\ B - \\sum_{j<c} D_j)\\bigr)

    Returns the recovered amount per category (same shape as ``demands``).
    """
    d = np.maximum(_f(demands), 0.0)
    b = _f(budget)[..., None]
    before = np.cumsum(d, axis=-1) - d
    return np.clip(b - before, 0.0, d)


@rule("Ruimte vóór een categorie", formule="max(0, ruimte − Σ_{j<c} te verhalen_j)", bron=f"{NOTA} §2.1.3; bijlage A2.3")
def budget_before(budget: ArrayLike, demands: ArrayLike) -> Array:
    """Room left under the cap before each category is recovered (for the explanation). [EUR]"""
    d = np.maximum(_f(demands), 0.0)
    b = _f(budget)[..., None]
    return np.maximum(0.0, b - (np.cumsum(d, axis=-1) - d))


@rule("Reden (niet) verhaald", formule="niets te verhalen | volledig | geen ruimte vanaf het begin | opgebruikt door eerdere "
      "categorieën | deels", bron=f"{NOTA} §2.1.3; bijlage A2.3")
def volgordelijkheid_reden(te_verhalen: ArrayLike, verhaald: ArrayLike, niet_verhaald: ArrayLike) -> NDArray[np.intp]:
    """Why each category is (not) recovered, as an index into :data:`REDENEN` [- (..., C)]:

    * ``niets_te_verhalen``: nothing demanded;
    * ``volledig``: fully recovered;
    * ``geen_ruimte``: nothing recovered and no earlier category recovered anything either: the aftopping left
      no room from the start (not "used up" — earlier categories may have demanded nothing at all);
    * ``opgebruikt``: nothing recovered because earlier categories took the room;
    * ``deels``: partly recovered.
    """
    d, r, u = _f(te_verhalen), _f(verhaald), _f(niet_verhaald)
    eerder = np.cumsum(r, axis=-1) - r
    code = np.where(r <= _EPS, np.where(eerder > _EPS, 3, 2), 4)
    code = np.where(u <= _EPS, 1, code)
    return np.where(d == 0, 0, code).astype(np.intp)


@rule("Exploitatiebijdrage", formule="Σ verhaald over de categorieën", bron=f"{NOTA} §2.1.3; bijlage A5 (Exploitatiebijdrage); spec regel 3")
def exploitatiebijdrage(verhaald: ArrayLike) -> Array:
    """The exploitatiebijdrage: everything recovered from the initiatiefnemer (spec rule 3). [EUR (...,)]"""
    return _f(verhaald).sum(axis=-1)


@rule("Niet verhaalbaar (macroaftopping)", formule="Σ (te verhalen − verhaald) over de categorieën",
      bron=f"{NOTA} §2.1.3; bijlage A5 (rij Macroaftopping)")
def niet_verhaalbaar(te_verhalen: ArrayLike, verhaald: ArrayLike) -> Array:
    """What the cap keeps the gemeente from recovering; it falls on the algemene middelen. [EUR (...,)]"""
    return (_f(te_verhalen) - _f(verhaald)).sum(axis=-1)


@rule("Financieel resultaat", formule="initiatiefnemer: eigen saldo − exploitatiebijdrage; gemeente: saldo + exploitatiebijdrage",
      bron=f"{NOTA} bijlage A5 (Financieel resultaat); spec regel 3")
def financieel_resultaat(saldo_initiatiefnemer: ArrayLike, saldo_gemeente: ArrayLike, exploitatiebijdrage: ArrayLike) -> Array:
    """Financieel resultaat per party (spec rule 3): the initiatiefnemer's saldo minus the exploitatiebijdrage; the
    gemeente's saldo (gebiedseigen and gebiedsoverstijgend, negative) plus the exploitatiebijdrage. [EUR (..., 2)]"""
    e = _f(exploitatiebijdrage)
    return np.stack(np.broadcast_arrays(_f(saldo_initiatiefnemer) - e, _f(saldo_gemeente) + e), axis=-1)


@rule("Kostenverhaal zonder tijdvak per kavel", formule="min(aandeel × min(kosten, kostenplafond), max(0, waarde na − waarde voor))",
      bron="Ow art. 13.14 lid 2; Ob art. 8.18; spec kostenverhaal regel 8")
def zonder_tijdvak_kavels(kosten: ArrayLike, kostenplafond: ArrayLike, aandeel: ArrayLike, waarde_voor: ArrayLike,
                          waarde_na: ArrayLike) -> tuple[Array, Array, Array]:
    """Kostenverhaal zonder tijdvak per kavel (Ow art. 13.14 lid 2, Ob art. 8.18 [3]_; spec rule 8). [EUR]

    The costs to recover are limited by the kostenplafond, shared over the kavels (``aandeel``, last axis K) and
    each kavel pays at most its waardevermeerdering ``max(0, waarde_na - waarde_voor)``:

    .. math:: b_i = \\min\\bigl(a_i \\min(K, P),\\ \\max(0, W^{na}_i - W^{voor}_i)\\bigr)

    Returns ``(bijdrage (..., K), waardevermeerdering (..., K), share_of_capped_costs (..., K))``.
    """
    k = np.minimum(_f(kosten), _f(kostenplafond))
    wv = np.maximum(0.0, _f(waarde_na) - _f(waarde_voor))
    share = _f(aandeel) * k[..., None]
    return np.minimum(share, wv), wv, share


# ---------------------------------------------------------------------------------------------- compiled input
@dataclass
class CasePosten:
    """A compiled case at line level (``Case.compile``); NaN marks a value not given (to be derived).

    Shapes: leading batch axes ``...`` optional; see the module docstring for the other axes.
    """

    bedrag: Array  # (..., L) [EUR, positive]
    partij: NDArray[np.intp]  # (L,) index into PARTIJEN
    post: NDArray[np.intp]  # (L,) index into POSTEN
    planschade: NDArray[np.bool_]  # (L,) cost line with a planschade kostensoort
    bw_investering: Array  # (..., B) [EUR]
    bw_aandeel: Array  # (..., B) given PTP share, NaN: derive from homes
    bw_woningen_plan: Array  # (..., B)
    bw_woningen_totaal: Array  # (..., B)
    woningen: Array  # (..., S) homes of the plan per segment
    fysiek_bedrag: Array  # (...,) given amount, NaN: from the rates
    fysiek_tarief: Array  # (..., A, S) rate per home per segment of each area containing the plan [EUR/home]
    wv_toegepast: NDArray[np.bool_]  # (...,) the woningvoorraad bijdrage is asked
    norm_aandeel: Array  # (..., G) minimum share per norm group, cheapest first
    groep: NDArray[np.bool_]  # (G, S) segment s belongs to norm group g
    grondwaarde_gegeven: Array  # (..., S) [EUR/home], NaN: from WOZ
    woz: Array  # (..., S) [EUR]
    grondquote: Array  # (..., S) [-]
    btw: Array  # (...,) [-]
    zonder: NDArray[np.bool_]  # (...,) kostenverhaal zonder tijdvak
    kostenplafond: Array  # (...,) [EUR], inf met tijdvak
    kavel_aandeel: Array  # (..., K) NaN: not given
    kavel_bedrag: Array  # (..., K) [EUR] NaN: not given
    kavel_oppervlakte: Array  # (..., K) [m²] NaN: not given
    kavel_waarde_voor: Array  # (..., K) [EUR]
    kavel_waarde_na: Array  # (..., K) [EUR]


@dataclass
class CaseArrays:
    """A batch of cases as amounts (leading axis N; kavels on a second axis K, padded with zero shares).

    Amounts [EUR], positive. ``zonder`` marks kostenverhaal zonder tijdvak; ``kostenplafond`` is ``inf`` for cases
    met tijdvak.
    """

    kosten_ini: Array
    opbrengsten_ini: Array
    subsidies_ini: Array
    kosten_gem: Array
    opbrengsten_gem: Array
    subsidies_gem: Array
    bovenwijks: Array
    fb_fysiek: Array
    fb_woningvoorraad: Array  # signed: < 0 is a receivable from the fund
    zonder: NDArray[np.bool_]
    kostenplafond: Array
    kavel_aandeel: Array
    kavel_waarde_voor: Array
    kavel_waarde_na: Array


@dataclass
class CaseTussenstappen:
    """Every intermediate table of :func:`case_arrays` (what the result shows and explains)."""

    partij_totalen: Array  # (..., 2, 3)
    planschade: Array  # (..., 2)
    ptp_aandeel: Array  # (..., B)
    toegerekend: Array  # (..., B)
    fysiek_per_gebied: Array  # (..., A, S) rate × homes
    fysiek: Array  # (...,)
    grondwaarde: Array  # (..., S)
    grondwaarde_groep: Array  # (..., G)
    norm: Array  # (..., G)
    gerealiseerd: Array  # (..., G)
    verschil: Array  # (..., G)
    woningvoorraad: Array  # (...,) signed
    kavel_aandeel: Array  # (..., K)


def case_arrays(p: CasePosten) -> tuple[CaseArrays, CaseTussenstappen]:
    """Step 1: the amounts of the A5 table from a compiled case, with every intermediate table."""
    tot = partij_totalen(p.bedrag, p.partij, p.post)
    ps = planschade_per_partij(np.where(p.post == 0, p.bedrag, 0.0), p.partij, p.planschade)
    aandeel = ptp_aandelen(p.bw_aandeel, p.bw_woningen_plan, p.bw_woningen_totaal)
    bw = toegerekend(p.bw_investering, aandeel)
    fysiek_per_gebied = _f(p.fysiek_tarief) * _f(p.woningen)[..., None, :]
    fysiek = np.where(np.isnan(p.fysiek_bedrag), bijdrage_fysieke_leefomgeving(p.fysiek_tarief, p.woningen), p.fysiek_bedrag)
    gw = grondwaarde_per_segment(p.grondwaarde_gegeven, p.woz, p.grondquote, p.btw)
    gw_groep = grondwaarde_per_groep(gw, p.groep)
    real = woningen_per_groep(p.woningen, p.groep)
    norm = norm_aantallen(_f(p.woningen).sum(axis=-1), p.norm_aandeel)
    wv, diff = woningvoorraad_bijdrage(real, norm, np.where(np.isfinite(gw_groep), gw_groep, 0.0))
    wv = np.where(p.wv_toegepast, wv, 0.0)
    kavels = kavel_aandelen(p.kavel_aandeel, p.kavel_bedrag, p.kavel_oppervlakte)
    arrays = CaseArrays(
        kosten_ini=tot[..., 0, 0], opbrengsten_ini=tot[..., 0, 1], subsidies_ini=tot[..., 0, 2],
        kosten_gem=tot[..., 1, 0], opbrengsten_gem=tot[..., 1, 1], subsidies_gem=tot[..., 1, 2],
        bovenwijks=bw.sum(axis=-1), fb_fysiek=fysiek, fb_woningvoorraad=wv, zonder=np.asarray(p.zonder, dtype=bool),
        kostenplafond=_f(p.kostenplafond), kavel_aandeel=kavels, kavel_waarde_voor=_f(p.kavel_waarde_voor),
        kavel_waarde_na=_f(p.kavel_waarde_na),
    )
    steps = CaseTussenstappen(tot, ps, aandeel, bw, fysiek_per_gebied, fysiek, gw, gw_groep, norm, real, diff, wv, kavels)
    return arrays, steps


@dataclass
class CaseOutcome:
    """Everything :func:`calculate` derives, per case (leading axis N)."""

    cap: Array                 # macroaftopping cap (met tijdvak) or Σ waardevermeerdering (zonder) [EUR]
    demands: Array             # (N, 4) what the gemeente seeks to recover per category [EUR]
    room_before: Array         # (N, 4) room left under the cap before each category [EUR]
    recovered: Array           # (N, 4) verhaald [EUR]
    unrecovered: Array         # (N, 4) niet verhaald (falls on the algemene middelen) [EUR]
    reden: NDArray[np.intp]    # (N, 4) index into REDENEN: why (not) recovered
    exploitatiebijdrage: Array  # (N,) [EUR]
    aftopping: Array           # (N,) demands − recovered, summed [EUR]
    ontvangst_fonds: Array     # (N,) receivable from the woningvoorraad fund [EUR]
    a5: Array                  # (N, 11, 3) result table; NaN where the nota leaves a cell empty [EUR]
    kavel_bijdrage: Array      # (N, K) zonder tijdvak: contribution per kavel [EUR]
    kavel_waardevermeerdering: Array  # (N, K) [EUR]
    kavel_aandeel_kosten: Array  # (N, K) share of the (plafond-capped) costs per kavel [EUR]
    kostenverhaal_begrensd: Array  # (N,) min(kostenverhaal, kostenplafond) (zonder) / kostenverhaal (met)


def calculate(a: CaseArrays) -> CaseOutcome:
    """Step 2: cap, volgordelijkheid, exploitatiebijdrage and the A5 table for a batch of cases.

    Met tijdvak the budget is the macroaftopping cap. Zonder tijdvak the regeling kostenverhaal (categories 0–1)
    is limited by the kostenplafond and per kavel by its waardevermeerdering; the financiële bijdragen
    (categories 2–3) are then recovered from the waardevermeerdering that is left.
    """
    saldo_ini = a.opbrengsten_ini + a.subsidies_ini - a.kosten_ini
    saldo_gem = a.opbrengsten_gem + a.subsidies_gem - a.kosten_gem
    demands = te_verhalen(saldo_gem, a.bovenwijks, a.fb_fysiek, a.fb_woningvoorraad)
    kv = demands[..., 0] + demands[..., 1]

    macro = macroaftopping(a.opbrengsten_ini, a.subsidies_ini, a.kosten_ini)
    kb, wv, share = zonder_tijdvak_kavels(kv, a.kostenplafond, a.kavel_aandeel, a.kavel_waarde_voor, a.kavel_waarde_na)
    zonder = a.zonder.astype(bool)
    cap = np.where(zonder, wv.sum(axis=-1), macro)
    kv_budget = np.minimum(np.where(zonder, kb.sum(axis=-1), cap), cap)

    rec_kv = volgordelijkheid(kv_budget, demands[..., :2])
    left = cap - rec_kv.sum(axis=-1)
    rec_fb = volgordelijkheid(left, demands[..., 2:])
    recovered = np.concatenate([rec_kv, rec_fb], axis=-1)
    room = np.concatenate([budget_before(kv_budget, demands[..., :2]), budget_before(left, demands[..., 2:])], axis=-1)
    unrecovered = demands - recovered
    e = exploitatiebijdrage(recovered)
    aftopping = niet_verhaalbaar(demands, recovered)
    kb = np.where(zonder[..., None], kb, 0.0)

    fb_wv_pos = demands[..., 3]
    gem_total = saldo_gem - a.bovenwijks - a.fb_fysiek - fb_wv_pos
    resultaat = financieel_resultaat(saldo_ini, gem_total, e)
    n = saldo_ini.shape
    a5 = np.full(n + (len(A5_ROWS), 3), np.nan)
    zero = np.zeros(n)
    rows = [
        (a.kosten_ini, a.kosten_gem),
        (a.opbrengsten_ini, a.opbrengsten_gem),
        (a.subsidies_ini, a.subsidies_gem),
        (saldo_ini, saldo_gem),
        (zero, a.bovenwijks),
        (zero, a.fb_fysiek),
        (zero, fb_wv_pos),
        (saldo_ini, gem_total),
        None,
        (-e, e),
        (resultaat[..., 0], resultaat[..., 1]),
    ]
    for i, r in enumerate(rows):
        if r is None:
            continue
        a5[..., i, 0], a5[..., i, 1] = r
        a5[..., i, 2] = r[0] + r[1]
    a5[..., 8, 0] = aftopping
    a5[..., 8, 1] = 0.0
    return CaseOutcome(
        cap=cap,
        demands=demands,
        room_before=room,
        recovered=recovered,
        unrecovered=unrecovered,
        reden=volgordelijkheid_reden(demands, recovered, unrecovered),
        exploitatiebijdrage=e,
        aftopping=aftopping,
        ontvangst_fonds=np.maximum(-a.fb_woningvoorraad, 0.0),
        a5=a5,
        kavel_bijdrage=kb,
        kavel_waardevermeerdering=np.where(zonder[..., None], wv, 0.0),
        kavel_aandeel_kosten=np.where(zonder[..., None], share, 0.0),
        kostenverhaal_begrensd=np.where(zonder, np.minimum(kv, a.kostenplafond), kv),
    )
