"""Kostenverhaal rules as vectorised numpy functions (no I/O, no pandas).

Every function accepts arbitrary leading batch axes (a case axis ``N``, a draws axis, ...): 10,000 cases compute
in one call. Amounts in euros [EUR], shares as fractions [-].

Category order (volgordelijkheid, Nota Kostenverhaal Soest 2023 §2.1.3 and bijlage A2.3) used on the last axis
of the ``demands``/``recovered`` arrays:

0. gebiedseigen kosten gemeente (regeling kostenverhaal)
1. bovenwijkse voorzieningen (regeling kostenverhaal, PTP-aandeel)
2. financiële bijdrage ter verbetering van de fysieke leefomgeving (§4.1)
3. financiële bijdrage evenwichtige samenstelling van de woningvoorraad (§4.2)

References
----------
.. [1] Omgevingswet art. 13.14 (macroaftopping); Wro art. 6.16.
.. [2] Nota Kostenverhaal gemeente Soest 2023 (seed 002), §2.1.3, §4.1, §4.2, bijlage A2.3 en A5.
.. [3] Omgevingsbesluit art. 8.13–8.18 en bijlage IV (kostensoorten, kostenverhaal zonder tijdvak).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CATEGORIES: tuple[str, ...] = (
    "gebiedseigen",
    "bovenwijkse_voorzieningen",
    "financiele_bijdrage_fysieke_leefomgeving",
    "financiele_bijdrage_woningvoorraad",
)
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


def macroaftopping(opbrengsten, subsidies, kosten_initiatiefnemer):
    """Macroaftopping: cap on the recoverable amount, art. 13.14 Ow / art. 6.16 Wro [1]_, nota §2.1.3 [2]_. [EUR]

    .. math:: \\text{cap} = \\max(0,\\ O + S - K_{ini})

    with ``O`` the opbrengsten, ``S`` subsidies/bijdragen and ``K_ini`` the initiatiefnemer's own costs.
    """
    o, s, k = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (opbrengsten, subsidies, kosten_initiatiefnemer)))
    return np.maximum(0.0, o + s - k)


def volgordelijkheid(budget, demands):
    """Volgordelijkheid kostenverhaal – financiële bijdrage (nota §2.1.3, bijlage A2.3 [2]_). [EUR]

    Each category (last axis, in order) is recovered only from what the budget leaves after the categories
    before it:

    .. math:: R_c = \\min\\bigl(D_c,\\ \\max(0,\\ B - \\sum_{j<c} D_j)\\bigr)

    Returns the recovered amount per category (same shape as ``demands``).
    """
    d = np.maximum(np.asarray(demands, dtype=float), 0.0)
    b = np.asarray(budget, dtype=float)[..., None]
    before = np.cumsum(d, axis=-1) - d
    return np.clip(b - before, 0.0, d)


def budget_before(budget, demands):
    """Room left under the cap before each category is recovered (for the explanation). [EUR]"""
    d = np.maximum(np.asarray(demands, dtype=float), 0.0)
    b = np.asarray(budget, dtype=float)[..., None]
    return np.maximum(0.0, b - (np.cumsum(d, axis=-1) - d))


def ptp_aandeel(woningen_plan, woningen_totaal):
    """PTP-aandeel of a bovenwijkse voorziening derived from homes: this plan's homes over all homes that
    benefit (profijt, toerekenbaarheid, proportionaliteit; nota §2.1, spec "A case"). [-]"""
    p = np.asarray(woningen_plan, dtype=float)
    t = np.asarray(woningen_totaal, dtype=float)
    return np.divide(p, t, out=np.zeros(np.broadcast(p, t).shape), where=t > 0)


def grondwaarde(woz, grondquote, btw):
    """Grondwaarde per home by the grondquotebenadering (nota §4.1 stap 4, §4.4.1 tabel 6 [2]_). [EUR]

    .. math:: G_s = \\frac{WOZ_s}{1 + btw} \\times q_s
    """
    return np.asarray(woz, dtype=float) / (1.0 + np.asarray(btw, dtype=float)) * np.asarray(grondquote, dtype=float)


def norm_aantallen(woningen, aandelen):
    """Norm counts per norm group (doelgroepen norm, nota §4.2 [2]_). [homes]

    ``aandelen`` (..., G): the minimum share of each group, cheapest first; the last group takes the rest.
    Groups before the last get ``ceil(share × woningen)`` (minima rounded up), limited to what is left
    (a tiny plan cannot be asked for more homes than it has); the last group gets the rest.
    (Voorbeeld 3: 20 homes at 45-5-50 → 9 / 1 / 10.)
    """
    n = np.asarray(woningen, dtype=float)
    a = np.asarray(aandelen, dtype=float)
    n, _ = np.broadcast_arrays(n, a[..., 0])
    out = np.zeros(n.shape + (a.shape[-1],))
    left = n.copy()
    for g in range(a.shape[-1] - 1):  # short loop over norm groups (G <= 3), vectorised over cases
        m = np.minimum(np.ceil(np.round(a[..., g] * n, 9)), left)
        out[..., g] = m
        left = left - m
    out[..., -1] = left
    return out


def woningvoorraad_bijdrage(gerealiseerd, norm, grondwaarde_groep):
    """Financiële bijdrage evenwichtige woningvoorraad (nota §4.2, bijlage A5 voorbeeld 3 [2]_). [EUR]

    Every home built in a dearer group instead of a required cheaper one pays the difference in grondwaarde:

    .. math:: F = \\sum_g (R_g - N_g)\\, G_g

    with ``R_g`` realised and ``N_g`` norm homes per group and ``G_g`` the group's grondwaarde per home (for a group
    of several segments, that of its dearest segment: what a conforming plan could have built). Because
    ``Σ R_g = Σ N_g``, ``F`` is a sum of differences of grondwaarde. ``F < 0``: the plan builds more cheap homes
    than required and may receive ``-F`` from the fund. Returns ``(F, R - N)``.
    """
    r = np.asarray(gerealiseerd, dtype=float)
    nn = np.asarray(norm, dtype=float)
    diff = r - nn
    return (diff * np.asarray(grondwaarde_groep, dtype=float)).sum(axis=-1), diff


def bijdrage_fysieke_leefomgeving(tarieven, woningen):
    """Total financiële bijdrage fysieke leefomgeving of a plan (nota §4.1 stap 6, bijlage A5 voorbeeld 4). [EUR]

    ``tarieven`` (..., A, S): rate per home per segment for every area containing the plan (zero rows for
    padding); ``woningen`` (..., S). Total = Σ_a Σ_s tarief[a, s] × woningen[s] (voorbeeld 4: 10x + 10y + 10z).
    """
    t = np.asarray(tarieven, dtype=float)
    w = np.asarray(woningen, dtype=float)
    return (t * w[..., None, :]).sum(axis=(-2, -1))


def zonder_tijdvak_kavels(kosten, kostenplafond, aandeel, waarde_voor, waarde_na):
    """Kostenverhaal zonder tijdvak per kavel (Ow art. 13.14 lid 2, Ob art. 8.18 [3]_; spec rule 8). [EUR]

    The costs to recover are limited by the kostenplafond, shared over the kavels (``aandeel``, last axis K) and
    each kavel pays at most its waardevermeerdering ``max(0, waarde_na - waarde_voor)``:

    .. math:: b_i = \\min\\bigl(a_i \\min(K, P),\\ \\max(0, W^{na}_i - W^{voor}_i)\\bigr)

    Returns ``(bijdrage (..., K), waardevermeerdering (..., K), share_of_capped_costs (..., K))``.
    """
    k = np.minimum(np.asarray(kosten, dtype=float), np.asarray(kostenplafond, dtype=float))
    a = np.asarray(aandeel, dtype=float)
    wv = np.maximum(0.0, np.asarray(waarde_na, dtype=float) - np.asarray(waarde_voor, dtype=float))
    share = a * k[..., None]
    return np.minimum(share, wv), wv, share


@dataclass
class CaseArrays:
    """A batch of cases as arrays (leading axis N; kavels on a second axis K, padded with zero shares).

    Amounts [EUR], positive. ``zonder`` marks kostenverhaal zonder tijdvak; ``kostenplafond`` is ``inf`` for cases
    met tijdvak.
    """

    kosten_ini: np.ndarray
    opbrengsten_ini: np.ndarray
    subsidies_ini: np.ndarray
    kosten_gem: np.ndarray
    opbrengsten_gem: np.ndarray
    subsidies_gem: np.ndarray
    bovenwijks: np.ndarray
    fb_fysiek: np.ndarray
    fb_woningvoorraad: np.ndarray  # signed: < 0 is a receivable from the fund
    zonder: np.ndarray
    kostenplafond: np.ndarray
    kavel_aandeel: np.ndarray
    kavel_waarde_voor: np.ndarray
    kavel_waarde_na: np.ndarray


@dataclass
class CaseOutcome:
    """Everything :func:`calculate` derives, per case (leading axis N)."""

    cap: np.ndarray                 # macroaftopping cap (met tijdvak) or Σ waardevermeerdering (zonder) [EUR]
    demands: np.ndarray             # (N, 4) what the gemeente seeks to recover per category [EUR]
    room_before: np.ndarray         # (N, 4) room left under the cap before each category [EUR]
    recovered: np.ndarray           # (N, 4) verhaald [EUR]
    unrecovered: np.ndarray         # (N, 4) niet verhaald (falls on the algemene middelen) [EUR]
    exploitatiebijdrage: np.ndarray  # (N,) [EUR]
    aftopping: np.ndarray           # (N,) demands − recovered, summed [EUR]
    ontvangst_fonds: np.ndarray     # (N,) receivable from the woningvoorraad fund [EUR]
    a5: np.ndarray                  # (N, 11, 3) result table; NaN where the nota leaves a cell empty [EUR]
    kavel_bijdrage: np.ndarray      # (N, K) zonder tijdvak: contribution per kavel [EUR]
    kavel_waardevermeerdering: np.ndarray  # (N, K) [EUR]
    kavel_aandeel_kosten: np.ndarray  # (N, K) share of the (plafond-capped) costs per kavel [EUR]
    kostenverhaal_begrensd: np.ndarray  # (N,) min(kostenverhaal, kostenplafond) (zonder) / kostenverhaal (met)


def calculate(a: CaseArrays) -> CaseOutcome:
    """Calculate a batch of kostenverhaal cases: cap, volgordelijkheid, exploitatiebijdrage, A5 table.

    Met tijdvak the budget is the macroaftopping cap. Zonder tijdvak the regeling kostenverhaal (categories 0–1)
    is limited by the kostenplafond and per kavel by its waardevermeerdering; the financiële bijdragen
    (categories 2–3) are then recovered from the waardevermeerdering that is left.
    """
    saldo_ini = a.opbrengsten_ini + a.subsidies_ini - a.kosten_ini
    saldo_gem = a.opbrengsten_gem + a.subsidies_gem - a.kosten_gem
    fb_wv_pos = np.maximum(a.fb_woningvoorraad, 0.0)
    demands = np.stack([np.maximum(-saldo_gem, 0.0), a.bovenwijks, a.fb_fysiek, fb_wv_pos], axis=-1)
    kv = demands[..., 0] + demands[..., 1]

    macro = macroaftopping(a.opbrengsten_ini, a.subsidies_ini, a.kosten_ini)
    kb, wv, share = zonder_tijdvak_kavels(kv, a.kostenplafond, a.kavel_aandeel, a.kavel_waarde_voor, a.kavel_waarde_na)
    zonder = a.zonder.astype(bool)
    cap = np.where(zonder, wv.sum(axis=-1), macro)
    kv_budget = np.where(zonder, kb.sum(axis=-1), cap)

    rec_kv = volgordelijkheid(np.minimum(kv_budget, cap), demands[..., :2])
    left = cap - rec_kv.sum(axis=-1)
    rec_fb = volgordelijkheid(left, demands[..., 2:])
    recovered = np.concatenate([rec_kv, rec_fb], axis=-1)
    room = np.concatenate([budget_before(np.minimum(kv_budget, cap), demands[..., :2]), budget_before(left, demands[..., 2:])], axis=-1)
    unrecovered = demands - recovered
    e = recovered.sum(axis=-1)
    aftopping = unrecovered.sum(axis=-1)
    kb = np.where(zonder[..., None], kb, 0.0)

    n = saldo_ini.shape
    a5 = np.full(n + (len(A5_ROWS), 3), np.nan)
    zero = np.zeros(n)
    gem_total = saldo_gem - a.bovenwijks - a.fb_fysiek - fb_wv_pos
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
        (saldo_ini - e, gem_total + e),
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
        exploitatiebijdrage=e,
        aftopping=aftopping,
        ontvangst_fonds=np.maximum(-a.fb_woningvoorraad, 0.0),
        a5=a5,
        kavel_bijdrage=kb,
        kavel_waardevermeerdering=np.where(zonder[..., None], wv, 0.0),
        kavel_aandeel_kosten=np.where(zonder[..., None], share, 0.0),
        kostenverhaal_begrensd=np.where(zonder, np.minimum(kv, a.kostenplafond), kv),
    )
