"""Gebiedsbegroting and gebiedsfonds: one wallet for an area in which many parties invest (seed 001, pijler 5 [1]_).

Pure numpy. Each party's own costs and revenues are indexed and phased by the grondexploitatie rules of
:mod:`opengrex.engine.grex` (price index, timing, line flows); the fund's balance is built up by the same
rekening-courant rule (:func:`opengrex.engine.grex.book_value`) and its bathtub by :func:`~opengrex.engine.grex.badkuip`;
the parties' contante waarde by the grex discounting rules. Nothing of those rules is re-implemented here.

Accounts ``A = P + 1``: the parties, then the gebiedsfonds. What reaches an account per year (every piece
``(..., A, Y)`` [EUR nominaal], received positive):

``eigen``         the party's own posten (costs negative, revenues positive);
``transacties``   grond- and vastgoedtransacties: the buyer pays, the seller (when a party of the area) receives;
``verwijzingen``  the flows of linked programme projects (Mastergrex), computed by the programme engine;
``lidmaatschap``  structural contributions to the fund (party pays, fund receives);
``kostenverhaal`` incidental contributions from kostenverhaal cases (payer pays, receiver — often the fund — gets);
``spelregels``    the transfers of the game rules (:mod:`opengrex.engine.spelregels`), in their order;
``uitgaven``      the fund's spending by the area organisation (fund row only).

``netto`` is their sum; the one-wallet view of the area (``gebied``) is the sum over accounts. Transfers between
accounts (transactions inside the area, contributions, rules) cancel in it: it equals the external flows.

Batch axes: the rule parameters carry the variant axis ``V``; the confidential amounts (transaction prices, margins)
may carry leading batch axes in front of it (the service perturbs them to find which figures depend on them).
Every result is ``(..., V, A, Y)`` with those axes broadcast.

References
----------
.. [1] Praktijkhandleiding NOVEX gebiedsontwikkeling (BZK 2023), seed 001, pijler 5 §1–§3 (regels 1226–1276):
       "één portemonnee", gebiedsbegroting, investeringen in natura / afname vastgoed / publiek geld voor
       infrastructuur / risicodragend, en de gezamenlijke 'pot' met structurele en incidentele bijdragen.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from opengrex.engine import grex as g
from opengrex.engine.arrays import ArrayLike, FloatArray, IntArray
from opengrex.engine.explain import rule
from opengrex.engine.spelregels import Regel, Toestand, pas_toe

INVESTERINGEN = ("risicodragend", "in_natura", "publiek_infra", "afname_vastgoed")
"""Investment types of seed 001 pijler 5 §2 (regel 1249–1252); afname vastgoed comes from the transactions."""
EXTERN = -1
"""Index of a transaction's seller outside the area (no account receives the price)."""

_BRON = "Praktijkhandleiding NOVEX gebiedsontwikkeling (BZK 2023), pijler 5"


def index_factoren(rate: ArrayLike, base: int, offset: int, n_years: int, timing: str) -> FloatArray:
    """Index factor per series on the year grid, with the grex conventions: ``I_y`` from the prijspeil year
    (:func:`opengrex.engine.grex.price_index`), times the half-year factor for timing ``mid``. [- (..., S, Y)]"""
    rate = np.asarray(rate, dtype=np.float64)
    sl = slice(offset, offset + n_years)
    return g.price_index(rate, base)[..., sl] * g.mid_year_factor(rate[..., sl], timing)


def per_rekening(stromen: ArrayLike, rekening: ArrayLike, n_rekeningen: int) -> FloatArray:
    """Sum flows per line ``(..., L, Y)`` into accounts by ``rekening (L,)`` (entries < 0 are dropped).
    [EUR (..., A, Y)]"""
    rekening = np.asarray(rekening, dtype=np.intp)
    onehot = (np.arange(n_rekeningen)[:, None] == rekening[None, :]).astype(np.float64)  # (A, L)
    return onehot @ np.asarray(stromen, dtype=np.float64)


def overdrachten(bedrag: ArrayLike, betaler: ArrayLike, ontvanger: ArrayLike, n_rekeningen: int) -> FloatArray:
    """Transfers ``bedrag (..., K, Y)`` from ``betaler (K,)`` to ``ontvanger (K,)`` (an index < 0: outside the area,
    no account moves). [EUR (..., A, Y)]"""
    return per_rekening(bedrag, ontvanger, n_rekeningen) - per_rekening(bedrag, betaler, n_rekeningen)


@rule(
    "Vereiste marge",
    formule="marge_p × opbrengsten_p (eigen opbrengsten en verkopen)",
    bron="eigen rendementseis van een partij (vertrouwelijk, Woo: seed 001 regel 1317–1336)",
)
def vereiste_marge(marge: ArrayLike, opbrengsten: ArrayLike) -> FloatArray:
    """A party's own required margin (winst en risico) on its revenues. [EUR (..., P)]"""
    return np.asarray(marge, dtype=np.float64) * np.asarray(opbrengsten, dtype=np.float64)


@rule("Risicoverdeling", formule="verwacht_r,p = kans_r × bedrag_r × aandeel_r,p", bron=f"{_BRON} §4g (robuuste grondexploitatie, risico's beleggen)")
def risicoverdeling(bedrag: ArrayLike, kans: ArrayLike, aandeel: ArrayLike) -> FloatArray:
    """Which party carries which risk: the expected amount of each risk per carrying party. [EUR (K, P)]"""
    return (np.asarray(kans, dtype=np.float64) * np.asarray(bedrag, dtype=np.float64))[:, None] * np.asarray(aandeel, dtype=np.float64)


@dataclass
class GebiedArrays:
    """Engine input of one gebiedsbegroting (shapes in the module docstring; ``L`` posten, ``T`` transacties,
    ``X`` linked programme projects, ``K`` kostenverhaal transfers, ``M`` memberships, ``U`` fund spending lines,
    ``Q`` risks).

    Amounts of posten, transactions, memberships and spending are at prijspeil and indexed with their series;
    the linked flows are nominal as computed by their own engine; the kostenverhaal amount is phased and indexed
    with its own series (``geen``: as given).
    """

    years: IntArray
    n_partijen: int
    timing: str
    rate: FloatArray  # (S, Yi) index rates on the index grid
    index_base: int
    index_offset: int
    # posten
    post_bedrag: FloatArray  # (L,)
    post_fasering: FloatArray  # (L, Y)
    post_teken: FloatArray  # (L,) +1 opbrengst, -1 kosten
    post_reeks: IntArray  # (L,)
    post_partij: IntArray  # (L,)
    post_investering: IntArray  # (L,) index in INVESTERINGEN (costs), -1 for revenues
    post_categorie: IntArray  # (L,) vereveningscategorie, -1 none
    n_categorieen: int
    # transacties (confidential prices)
    tr_prijs: FloatArray  # (..., T)
    tr_fasering: FloatArray  # (T, Y)
    tr_reeks: IntArray  # (T,)
    tr_koper: IntArray  # (T,)
    tr_verkoper: IntArray  # (T,) EXTERN for outside the area
    # linked programme projects (nominal, signed)
    ext_kosten: FloatArray  # (X, Y) negative
    ext_opbrengsten: FloatArray  # (X, Y) positive
    ext_partij: IntArray  # (X,)
    ext_investering: IntArray  # (X,)
    # kostenverhaal (incidental) and memberships (structural)
    kv_bedrag: FloatArray  # (K, Y) per year, indexed with kv_reeks
    kv_reeks: IntArray  # (K,)
    kv_betaler: IntArray  # (K,)
    kv_ontvanger: IntArray  # (K,) account (fund = P)
    lid_bedrag: FloatArray  # (M, Y) per year at prijspeil (0 outside the membership years)
    lid_reeks: IntArray  # (M,)
    lid_partij: IntArray  # (M,)
    # the fund
    fonds_rente: FloatArray  # (Y,)
    fonds_opening: float
    uit_bedrag: FloatArray  # (U,)
    uit_fasering: FloatArray  # (U, Y)
    uit_reeks: IntArray  # (U,)
    # discounting
    disconteringsvoet: float
    ncw_year: int
    ncw_fraction: float
    # land, programme, prices, margins, risks
    grond_m2: FloatArray  # (P, G)
    inbreng_m2: FloatArray  # (P, G, Y)
    programma_m2: FloatArray  # (P, F, Y)
    prijs: FloatArray  # (F, Y)
    marge: FloatArray  # (..., P) confidential
    risico_bedrag: FloatArray  # (Q,)
    risico_kans: FloatArray  # (Q,)
    risico_aandeel: FloatArray  # (Q, P)
    regels: list[Regel] = field(default_factory=list)


@dataclass
class GebiedOutcome:
    """Every intermediate table (units in brackets; ``...`` = batch axes, ``V`` variants).

    index (S, Y); post_stromen (L, Y) signed [EUR nominaal]; tr_stromen (..., T, Y) price per year [EUR nominaal];
    lid_stromen (M, Y), uit_stromen (U, Y) [EUR nominaal, positive];
    eigen, verwijzingen, lidmaatschap, kostenverhaal, uitgaven (A, Y); transacties (..., A, Y);
    regels (R, V, A, Y) transfers per rule; spelregels (V, A, Y) their sum; netto (..., V, A, Y);
    investeringen (..., A, C) per investment type (:data:`INVESTERINGEN`) [EUR nominaal, positive];
    opbrengsten (..., A) [EUR nominaal]; gebied (..., V, Y) one wallet; totaal, contant (..., V, A) [EUR nominaal,
    EUR contant]; fonds_stroom, fonds_rente, fonds_saldo (V, Y); fonds_diepste, fonds_diepste_pos (V,);
    marge (..., V, P) vereiste marge, na_marge (..., V, P); risico (Q, P) [EUR].
    """

    years: IntArray
    index: FloatArray
    post_stromen: FloatArray
    tr_stromen: FloatArray
    lid_stromen: FloatArray
    uit_stromen: FloatArray
    eigen: FloatArray
    transacties: FloatArray
    verwijzingen: FloatArray
    lidmaatschap: FloatArray
    kostenverhaal: FloatArray
    uitgaven: FloatArray
    regels: FloatArray
    spelregels: FloatArray
    netto: FloatArray
    investeringen: FloatArray
    opbrengsten: FloatArray
    gebied: FloatArray
    totaal: FloatArray
    contant: FloatArray
    discount: FloatArray
    fonds_stroom: FloatArray
    fonds_rente: FloatArray
    fonds_saldo: FloatArray
    fonds_diepste: FloatArray
    fonds_diepste_pos: IntArray
    marge: FloatArray
    na_marge: FloatArray
    risico: FloatArray

    @property
    def onderdelen(self) -> dict[str, FloatArray]:
        """The pieces of ``netto`` by name (each broadcastable to ``netto``)."""
        return {
            "eigen": self.eigen, "transacties": self.transacties, "verwijzingen": self.verwijzingen,
            "lidmaatschap": self.lidmaatschap, "kostenverhaal": self.kostenverhaal, "spelregels": self.spelregels,
            "uitgaven": self.uitgaven,
        }


def toestand(a: GebiedArrays, index: FloatArray, post_stromen: ArrayLike) -> Toestand:
    """The state the game rules read; the costs each party carries per vereveningscategorie come from its posten."""
    kosten = -np.minimum(post_stromen, 0.0)  # (L, Y) costs as positive amounts
    cat = np.asarray(a.post_categorie, dtype=np.intp)
    sleutel = np.where(cat >= 0, np.asarray(a.post_partij, dtype=np.intp) * a.n_categorieen + cat, -1)  # (party, category) per post
    gedragen = per_rekening(kosten, sleutel, a.n_partijen * a.n_categorieen).reshape(a.n_partijen, a.n_categorieen, kosten.shape[-1])
    return Toestand(
        n_partijen=a.n_partijen,
        grond_m2=np.asarray(a.grond_m2, dtype=np.float64),
        inbreng_m2=np.asarray(a.inbreng_m2, dtype=np.float64),
        programma_m2=np.asarray(a.programma_m2, dtype=np.float64),
        prijs=np.asarray(a.prijs, dtype=np.float64),
        index=index,
        gedragen=gedragen,
    )


def calculate(a: GebiedArrays) -> GebiedOutcome:
    """The whole gebiedsbegroting: own flows, transactions, linked flows, contributions, the game rules in their
    order, the fund (rekening-courant with its rente), the one-wallet view and the parties' contante waarde."""
    years = np.asarray(a.years)
    n_y = years.shape[0]
    n_a = a.n_partijen + 1
    fonds = a.n_partijen
    index = index_factoren(a.rate, a.index_base, a.index_offset, n_y, a.timing)

    def gather(reeks: ArrayLike) -> FloatArray:
        return g.gather_series(index, np.asarray(reeks, dtype=np.intp))

    # own posten, indexed and phased by the grex line rule
    post = g.line_flows(a.post_bedrag, a.post_fasering, a.post_teken, gather(a.post_reeks))
    eigen = per_rekening(post, a.post_partij, n_a)
    # transactions: buyer pays, seller receives
    tr = g.line_flows(a.tr_prijs, a.tr_fasering, np.ones(np.shape(a.tr_koper)), gather(a.tr_reeks))
    transacties = overdrachten(tr, a.tr_koper, a.tr_verkoper, n_a)
    # linked programme projects
    ext = np.asarray(a.ext_kosten, dtype=np.float64) + np.asarray(a.ext_opbrengsten, dtype=np.float64)
    verwijzingen = per_rekening(ext, a.ext_partij, n_a)
    # structural memberships and incidental kostenverhaal contributions
    lid = np.asarray(a.lid_bedrag, dtype=np.float64) * gather(a.lid_reeks)
    lidmaatschap = overdrachten(lid, a.lid_partij, np.full(np.shape(a.lid_partij), fonds), n_a)
    kv = np.asarray(a.kv_bedrag, dtype=np.float64) * gather(a.kv_reeks)
    kostenverhaal = overdrachten(kv, a.kv_betaler, a.kv_ontvanger, n_a)
    # the fund's spending
    uit = g.line_flows(a.uit_bedrag, a.uit_fasering, np.ones(np.shape(a.uit_bedrag)), gather(a.uit_reeks))
    uitgaven = per_rekening(-uit, np.full(np.shape(a.uit_bedrag), fonds), n_a)
    # game rules, in their order
    state = toestand(a, index, post)
    regels = pas_toe(state, a.regels, kostenverhaal[None])
    spelregels = regels.sum(axis=0) if regels.shape[0] else np.zeros((1, n_a, n_y))
    vast = eigen + verwijzingen + lidmaatschap + kostenverhaal + uitgaven  # (A, Y), public and variant-free
    netto = transacties[..., None, :, :] + vast + spelregels  # (..., V, A, Y)
    # the fund: rekening-courant with its own rente (grex rule), bathtub
    fonds_stroom = (vast + spelregels)[..., fonds, :]  # (V, Y): no transaction reaches the fund
    saldo, rente = g.book_value(fonds_stroom, a.fonds_rente, a.timing, a.fonds_opening)
    diepste, pos, _ = g.badkuip(saldo)
    # contante waarde per account (grex discounting)
    t = g.discount_times(years, a.ncw_year, a.ncw_fraction, a.timing)
    factor = g.discount_factor(a.disconteringsvoet, t)
    # investments per type (costs of posten and linked projects; purchases by buyers)
    inv = investeringen(post, a.post_partij, a.post_investering, a.ext_kosten, a.ext_partij, a.ext_investering, tr, a.tr_koper, n_a)
    opbr = per_rekening(np.maximum(post, 0.0), a.post_partij, n_a).sum(-1) + per_rekening(np.asarray(a.ext_opbrengsten, dtype=np.float64), a.ext_partij, n_a).sum(-1)
    opbr = opbr + per_rekening(tr, a.tr_verkoper, n_a).sum(-1)  # (..., A)
    totaal = netto.sum(axis=-1)
    marge = vereiste_marge(np.asarray(a.marge, dtype=np.float64)[..., None, :], opbr[..., None, : a.n_partijen])
    return GebiedOutcome(
        years=years, index=index, post_stromen=post, tr_stromen=tr, lid_stromen=lid, uit_stromen=uit,
        eigen=eigen, transacties=transacties, verwijzingen=verwijzingen, lidmaatschap=lidmaatschap,
        kostenverhaal=kostenverhaal, uitgaven=uitgaven, regels=regels, spelregels=spelregels, netto=netto,
        investeringen=inv, opbrengsten=opbr, gebied=netto.sum(axis=-2), totaal=totaal,
        contant=(netto * factor).sum(axis=-1), discount=factor,
        fonds_stroom=fonds_stroom, fonds_rente=rente, fonds_saldo=saldo, fonds_diepste=diepste, fonds_diepste_pos=pos,
        marge=marge, na_marge=totaal[..., : a.n_partijen] - marge,
        risico=risicoverdeling(a.risico_bedrag, a.risico_kans, a.risico_aandeel),
    )


@rule(
    "Investeringen per soort",
    formule="kosten van posten en gekoppelde projecten per investeringssoort; afname vastgoed = aankopen van de koper",
    bron=f"{_BRON} §2 Gebiedsbegroting (seed 001 regel 1245–1256)",
)
def investeringen(post, post_partij, post_investering, ext_kosten, ext_partij, ext_investering, tr, tr_koper, n_rekeningen: int) -> FloatArray:
    """Investments per account per type (:data:`INVESTERINGEN`), as positive totals over the years. [EUR (..., A, C)]"""
    n_c = len(INVESTERINGEN)
    kosten = -np.minimum(np.asarray(post, dtype=np.float64), 0.0).sum(-1)  # (L,)
    ext = -np.asarray(ext_kosten, dtype=np.float64).sum(-1)  # (X,)
    out = np.zeros((n_rekeningen, n_c))
    for bedrag, partij, soort in ((kosten, post_partij, post_investering), (ext, ext_partij, ext_investering)):
        soort = np.asarray(soort, dtype=np.intp)
        ok = soort >= 0
        np.add.at(out, (np.asarray(partij, dtype=np.intp)[ok], soort[ok]), bedrag[ok])
    aankoop = per_rekening(np.asarray(tr, dtype=np.float64), tr_koper, n_rekeningen).sum(-1)  # (..., A)
    out = np.broadcast_to(out, aankoop.shape[:-1] + out.shape).copy()
    out[..., INVESTERINGEN.index("afname_vastgoed")] += aankoop
    return out
