"""Programme (Mastergrex) rules on top of the grex engine: verevening, voorfinanciering, partners (numpy only).

Spec: shared/spec/programma.md, "Programme"; source: seed 000 (Hart van de Heuvelrug, afsprakenkader 2013 §2–3).

Every project is a grex; the projects are stacked on a leading project axis ``P`` and computed with one call of
:func:`opengrex.engine.grex.calculate`. This module adds what a programme has on top of its projects:

* **Verevening** (:func:`verevening`): each year a red (rood) project's positive book value goes to the programme
  fund (afdracht; a red project first earns back its own deficit), and a green (groen) project is settled with the
  fund every year (the fund pays its deficit and receives its subsidies). What stays with a project (a red
  project's deficit, every 'overig' project) is pre-financed by its voorfinancierder at its own rente per year.
* **Fondssaldo**: the fund's own book value at its own rente (:func:`opengrex.engine.grex.book_value`).
* **Programme result**: eindwaarde = sum of the project book values + the fund at the end; NCW (BBV) = eindwaarde
  discounted to the ncw_datum (:func:`opengrex.engine.grex.ncw_bbv`); badkuip of the programme book value.
* **Partners** (:func:`guarantee_use`, :func:`taakstelling`): guarantees with ceilings, taakstellingen.

Sign convention as in the grex engine: costs negative, revenues positive; a result < 0 is a deficit (tekort).
Leading batch axes (draws ``D``, hybrid versions) broadcast through every function.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from opengrex.engine import grex as rules
from opengrex.engine import grex as grex_engine
from opengrex.engine.grex import GrexArrays, GrexOutcome

KIND_ROOD = 1
KIND_GROEN = -1
KIND_OVERIG = 0


@dataclass
class ProgrammeArrays:
    """Engine input of a programme: the stacked project grexes plus the programme's own arrays.

    grex : :class:`GrexArrays` with a project axis ``P`` (lines padded to a common ``L``, years to the programme
        grid ``Y``; ``rente (P, Y)`` is each project's voorfinancierder rate; ``series (P, L)``).
    kind : (P,) +1 rood, -1 groen, 0 overig.
    financier : (P,) index of each project's voorfinancierder in ``financier_names``.
    fund_rate : (..., Y) rente of the programme fund [1/yr]; fund_opening : opening balance [EUR].
    fund_financier : index of the fund's voorfinancierder (-1: none).
    """

    grex: GrexArrays
    kind: np.ndarray
    financier: np.ndarray
    n_financiers: int
    fund_rate: np.ndarray
    fund_opening: float
    fund_financier: int
    has_fund: bool


@dataclass
class VereveningOutcome:
    """Project book values after verevening and the fund (all [EUR nominal]).

    book : (..., P, Y) book value per project after the transfer of the year;
    interest : (..., P, Y) interest on the project's book value (negative: paid to the voorfinancierder);
    transfer : (..., P, Y) afdracht to the fund (+, rood) or bijdrage from the fund (-, groen);
    fund_book, fund_interest, fund_flows : (..., Y) fund balance, its interest and its in/outflows.
    """

    book: np.ndarray
    interest: np.ndarray
    transfer: np.ndarray
    fund_flows: np.ndarray
    fund_book: np.ndarray
    fund_interest: np.ndarray


def verevening(
    flows: np.ndarray,
    rente: np.ndarray,
    kind: np.ndarray,
    fund_rate: np.ndarray,
    fund_opening: float = 0.0,
    timing: str = rules.TIMING_END,
    opening: np.ndarray | float = 0.0,
    has_fund: bool = True,
) -> VereveningOutcome:
    """Verevening rood-groen via the programme fund (seed 000 §3: "financiële verevening tussen rode en groene
    projecten"; Beheerfonds). [EUR nominal]

    Per project, each year (``end`` timing; ``mid``/``start`` as in :func:`opengrex.engine.grex.book_value`)::

        V_y = B_(y-1) (1 + r_y) + F_y                     book value before transfer
        T_y = max(V_y, 0) if rood;  V_y if groen;  0 if overig       transfer to the fund
        B_y = V_y - T_y
        interest_y = V_y - B_(y-1) - F_y = B_(y-1) r_y (+ the interest on F_y for mid / start)

    Fund: ``S_y = S_(y-1) (1 + f_y) + sum_p T_(p,y)`` (the fund's own rate ``f``; transfers on 31 December). Without a fund nothing is
    transferred and every project keeps its own book value (then ``B`` equals the grex book value).

    A short loop over years, vectorised over draws and projects.
    """
    flows = np.asarray(flows, dtype=np.float64)
    rente = np.broadcast_to(np.asarray(rente, dtype=np.float64), flows.shape)
    growth = 1.0 + rente
    if timing == rules.TIMING_END:
        adj = flows
    elif timing == rules.TIMING_MID:
        adj = flows * np.sqrt(growth)
    elif timing == rules.TIMING_START:
        adj = flows * growth
    else:
        raise ValueError(f"unknown timing {timing!r}")
    kind = np.asarray(kind)
    rood = kind == KIND_ROOD if has_fund else np.zeros(kind.shape, dtype=bool)
    groen = kind == KIND_GROEN if has_fund else np.zeros(kind.shape, dtype=bool)
    prev = np.broadcast_to(np.asarray(opening, dtype=np.float64), flows.shape[:-1]).copy()
    book = np.empty_like(flows)
    transfer = np.empty_like(flows)
    interest = np.empty_like(flows)
    extra = adj - flows  # interest on the flow itself (mid / start timing)
    for y in range(flows.shape[-1]):
        i = prev * rente[..., y] + extra[..., y]
        v = prev + flows[..., y] + i
        t = np.where(rood, np.maximum(v, 0.0), np.where(groen, v, 0.0))
        interest[..., y] = i
        transfer[..., y] = t
        prev = v - t
        book[..., y] = prev
    fund_flows = transfer.sum(axis=-2)
    fund_rate = np.broadcast_to(np.asarray(fund_rate, dtype=np.float64), fund_flows.shape)
    # transfers happen at 31 December (after the project's own interest of the year), whatever the timing
    fund_open = fund_opening if has_fund else 0.0
    fund_book, _ = rules.book_value(fund_flows, fund_rate, rules.TIMING_END, fund_open)
    before = np.concatenate([np.broadcast_to(np.asarray(fund_open, dtype=np.float64), fund_book.shape[:-1])[..., None], fund_book[..., :-1]], axis=-1)
    fund_interest = before * fund_rate  # exactly 0 at a 0% rate
    return VereveningOutcome(book=book, interest=interest, transfer=transfer, fund_flows=fund_flows, fund_book=fund_book, fund_interest=fund_interest)


def interest_per_financier(interest: np.ndarray, financier: np.ndarray, n_financiers: int, fund_interest: np.ndarray | None = None, fund_financier: int = -1) -> np.ndarray:
    """Rente per voorfinancierder per year: the sum of the interest on the book values of the projects it
    pre-finances (and of the fund, if it finances the fund). ``(..., V, Y)`` [EUR nominal]; negative = paid to it.
    """
    onehot = (np.asarray(financier)[:, None] == np.arange(n_financiers)[None, :]).astype(np.float64)  # (P, V)
    out = np.einsum("...py,pv->...vy", interest, onehot)
    if fund_interest is not None and fund_financier >= 0:
        out[..., fund_financier, :] += fund_interest
    return out


@dataclass
class ProgrammeOutcome:
    """Everything the programme engine computed. ``projects`` is the grex outcome per project (axis ``P``),
    computed with each project's voorfinancierder rate and the programme's disconteringsvoet (stand-alone)."""

    projects: GrexOutcome
    vv: VereveningOutcome
    book: np.ndarray  # (..., Y) programme book value = sum of project books + fund
    eindwaarde: np.ndarray
    ncw: np.ndarray
    nominal: np.ndarray
    t_end: float
    financier_interest: np.ndarray  # (..., V, Y)
    badkuip_depth: np.ndarray
    badkuip_pos: np.ndarray
    recovery_pos: np.ndarray


def calculate(a: ProgrammeArrays, zero_rates: bool = False, outcome: GrexOutcome | None = None) -> ProgrammeOutcome:
    """The whole programme: ONE call of the grex engine for every project (and draw), then verevening, the fund,
    the programme book value, NCW and badkuip. ``zero_rates``: every voorfinancierder and fund rate set to 0."""
    g = a.grex
    o = grex_engine.calculate(g) if outcome is None else outcome
    rente = np.zeros_like(np.asarray(g.rente, dtype=np.float64)) if zero_rates else g.rente
    fund_rate = np.zeros_like(np.asarray(a.fund_rate, dtype=np.float64)) if zero_rates else a.fund_rate
    vv = verevening(o.flows, rente, a.kind, fund_rate, a.fund_opening, g.timing, g.opening, a.has_fund)
    book = vv.book.sum(axis=-2) + vv.fund_book
    eind = book[..., -1]
    d = np.asarray(g.disconteringsvoet, dtype=np.float64)
    ncw = rules.ncw_bbv(eind, d, o.t_end)
    fin = interest_per_financier(vv.interest, a.financier, a.n_financiers, vv.fund_interest, a.fund_financier)
    depth, pos, rec = rules.badkuip(book)
    nominal = o.flows.sum(axis=(-2, -1)) + np.sum(np.broadcast_to(np.asarray(g.opening, dtype=np.float64), o.flows.shape[:-1]), axis=-1) + (a.fund_opening if a.has_fund else 0.0)
    return ProgrammeOutcome(projects=o, vv=vv, book=book, eindwaarde=eind, ncw=ncw, nominal=nominal, t_end=o.t_end, financier_interest=fin, badkuip_depth=depth, badkuip_pos=pos, recovery_pos=rec)


def guarantee_use(exposure: np.ndarray, plafond: np.ndarray, scope_id: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gebruik van garanties met een plafond (seed 000 §2: "De drie partners staan garant voor 10 + 18 miljoen").

    ``exposure (..., G)``: the amount at risk of each guarantee's scope (a deficit or a pre-financing, >= 0)
    [EUR]; guarantees with the same ``scope_id`` stack in their listed order (the second covers what the first
    leaves). Returns ``(use, headroom, overschrijding)`` (..., G): ``use = min(remaining, plafond)``,
    ``headroom = plafond - use`` and the part of the exposure above the ceiling(s) (> 0: plafond overschreden;
    reported on the last guarantee of a scope).
    """
    exposure = np.maximum(np.asarray(exposure, dtype=np.float64), 0.0)
    plafond = np.asarray(plafond, dtype=np.float64)
    scope_id = np.asarray(scope_id)
    n = plafond.shape[-1]
    use = np.zeros(exposure.shape)
    breach = np.zeros(exposure.shape)
    used_in_scope: dict[int, np.ndarray] = {}
    last = {int(s): i for i, s in enumerate(scope_id)}
    for i in range(n):  # a handful of guarantees; vectorised over draws
        s = int(scope_id[i])
        already = used_in_scope.get(s, np.zeros(exposure.shape[:-1]))
        remaining = np.maximum(exposure[..., i] - already, 0.0)
        u = np.minimum(remaining, plafond[i])
        use[..., i] = u
        used_in_scope[s] = already + u
        if last[s] == i:
            breach[..., i] = remaining - u
    return use, plafond - use, breach


def taakstelling(result: np.ndarray, bedrag: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Taakstelling (seed 000 §2: "het maximale bedrag van 10 miljoen [moet] verdiend worden op de Vliegbasis").

    ``result``: the project's result (NCW) [EUR]; ``bedrag``: the amount to earn [EUR]. Returns
    ``(tekort, gehaald)``: ``max(bedrag - result, 0)`` and ``result >= bedrag``.
    """
    result = np.asarray(result, dtype=np.float64)
    bedrag = np.asarray(bedrag, dtype=np.float64)
    return np.maximum(bedrag - result, 0.0), result >= bedrag


def shapley_weights(k: int) -> np.ndarray:
    """Shapley weight ``|S|! (k - |S| - 1)! / k!`` for a coalition of size ``|S|`` (0..k-1)."""
    from math import factorial

    return np.array([factorial(s) * factorial(k - s - 1) / factorial(k) for s in range(k)], dtype=np.float64)


def shapley(values: np.ndarray, k: int) -> np.ndarray:
    """Shapley attribution from the values of all ``2**k`` coalitions (bit ``i`` of the index = cause ``i`` on).

    ``phi_i = sum_{S not containing i} w(|S|) (v(S + i) - v(S))``; ``sum_i phi_i = v(all) - v(none)`` exactly
    (up to floating-point rounding). ``values (2**k, ...)`` -> ``(k, ...)``.
    """
    values = np.asarray(values, dtype=np.float64)
    w = shapley_weights(k)
    masks = np.arange(2**k)
    sizes = np.array([bin(m).count("1") for m in masks])
    out = np.zeros((k,) + values.shape[1:])
    for i in range(k):
        without = masks[(masks >> i) & 1 == 0]
        diff = values[without | (1 << i)] - values[without]
        out[i] = np.tensordot(w[sizes[without]], diff, axes=(0, 0))
    return out
