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
* **Partners** (:func:`guarantee_exposure`, :func:`guarantee_use`, :func:`taakstelling`): what each guarantee
  covers, guarantees with ceilings, taakstellingen.
* **Per project** (:func:`project_own_ncw`): the NCW of each project's own grex (its own end year), next to the
  stand-alone figures on the programme grid.

Sign convention as in the grex engine: costs negative, revenues positive; a result < 0 is a deficit (tekort).
Leading batch axes (draws ``D``, hybrid versions) broadcast through every function.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from opengrex.engine import grex as rules
from opengrex.engine import tijd
from opengrex.engine.arrays import ArrayLike, BoolArray, FloatArray, IntArray
from opengrex.engine.explain import rule
from opengrex.engine.grex import GrexArrays, GrexOutcome

SPEC = "shared/spec/programma.md"
SEED = "seed 000 (Hart van de Heuvelrug, afsprakenkader 2013)"

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
    project_end : (P,) grid position of each project's own end year; project_t_end : (P,) time from the
        ncw_datum to 31 December of that year [yr] (for :func:`project_own_ncw`; ``None``: the grid end).
    The projects' opening book values are ``grex.opening`` placed at ``grex.opening_pos`` (31 December before each
    project's start year, spec grondexploitatie.md §3).
    """

    grex: GrexArrays
    kind: IntArray
    financier: IntArray
    n_financiers: int
    fund_rate: FloatArray
    fund_opening: float
    fund_financier: int
    has_fund: bool
    project_end: IntArray | None = None
    project_t_end: FloatArray | None = None


@dataclass
class VereveningOutcome:
    """Project book values after verevening and the fund (all [EUR nominal]).

    book : (..., P, Y) book value per project after the transfer of the year;
    interest : (..., P, Y) interest on the project's book value (negative: paid to the voorfinancierder);
    transfer : (..., P, Y) afdracht to the fund (+, rood) or bijdrage from the fund (-, groen);
    fund_book, fund_interest, fund_flows : (..., Y) fund balance, its interest and its in/outflows.
    """

    book: FloatArray
    interest: FloatArray
    transfer: FloatArray
    fund_flows: FloatArray
    fund_book: FloatArray
    fund_interest: FloatArray


@rule("Verevening rood-groen via het programmafonds",
      formule="V_y = B_(y−1)(1 + r_y) + F_y (timing); afdracht T_y = max(V_y, 0) bij rood, V_y bij groen, 0 bij overig; "
      "B_y = V_y − T_y; fonds S_y = S_(y−1)(1 + f_y) + Σ T_y",
      bron=f"{SPEC} Programme (verevening); {SEED} §3 (Beheerfonds)")
def verevening(
    flows: ArrayLike,
    rente: ArrayLike,
    kind: ArrayLike,
    fund_rate: ArrayLike,
    fund_opening: float = 0.0,
    timing: str = rules.TIMING_END,
    opening: ArrayLike = 0.0,
    has_fund: bool = True,
    opening_pos: ArrayLike | None = None,
) -> VereveningOutcome:
    """Verevening rood-groen via the programme fund (seed 000 §3: "financiële verevening tussen rode en groene
    projecten"; Beheerfonds). [EUR nominal]

    Per project, each year (``end`` timing; ``mid``/``start`` as in :func:`opengrex.engine.grex.book_value`)::

        V_y = B_(y-1) (1 + r_y) + F_y                     book value before transfer
        T_y = max(V_y, 0) if rood;  V_y if groen;  0 if overig       transfer to the fund
        B_y = V_y - T_y
        interest_y = V_y - B_(y-1) - F_y = B_(y-1) r_y (+ the interest on F_y for mid / start)

    ``opening``/``opening_pos``: each project's opening book value at 31 December before its start year (see
    :func:`opengrex.engine.grex.book_value`): it enters ``V`` of that year without interest or timing, so a green
    project's opening deficit reaches the fund as it is.

    Fund: ``S_y = S_(y-1) (1 + f_y) + sum_p T_(p,y)`` (the fund's own rate ``f``; transfers on 31 December). Without a fund nothing is
    transferred and every project keeps its own book value (then ``B`` equals the grex book value).

    A short loop over years, vectorised over draws and projects.
    """
    flows = np.asarray(flows, dtype=np.float64)
    rente = np.broadcast_to(np.asarray(rente, dtype=np.float64), flows.shape)
    adj = flows * tijd.interest_on_flow_factor(1.0 + rente, timing)
    kind = np.asarray(kind)
    rood = kind == KIND_ROOD if has_fund else np.zeros(kind.shape, dtype=bool)
    groen = kind == KIND_GROEN if has_fund else np.zeros(kind.shape, dtype=bool)
    start, placed = rules.place_opening(opening, opening_pos, flows.shape)
    prev = start.copy()
    book = np.empty_like(flows)
    transfer = np.empty_like(flows)
    interest = np.empty_like(flows)
    extra = adj - flows  # interest on the flow itself (mid / start timing)
    for y in range(flows.shape[-1]):
        i = prev * rente[..., y] + extra[..., y]
        v = prev + flows[..., y] + i
        if placed is not None:
            v = v + placed[..., y]
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


@rule("Rente per voorfinancierder", formule="Σ over de projecten (en het fonds) die hij voorfinanciert van de rente op hun boekwaarde",
      bron=f"{SEED} §3.1 (rente op voorfinanciering)")
def interest_per_financier(interest: FloatArray, financier: ArrayLike, n_financiers: int, fund_interest: ArrayLike | None = None, fund_financier: int = -1) -> FloatArray:
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
    computed with each project's voorfinancierder rate and the programme's disconteringsvoet (stand-alone, to the
    programme's last year).

    nominal : (...) the programme's nominal result: the opening book values (projects and fund) plus the sum of
        all flows, no interest (= the eindwaarde at 0 % rente) [EUR nominal]; saldo_nominal : (...) the sum of the
        flows only (spec grondexploitatie.md §4) [EUR nominal]; opening_total : (...) the opening book values.
    own_eindwaarde, own_ncw : (..., P) each project's own grex: book value at 31 December of its own end year and
        its NCW over its own T_end (:func:`project_own_ncw`) [EUR].
    """

    projects: GrexOutcome
    vv: VereveningOutcome
    book: FloatArray  # (..., Y) programme book value = sum of project books + fund
    eindwaarde: FloatArray
    ncw: FloatArray
    nominal: FloatArray
    t_end: float
    financier_interest: FloatArray  # (..., V, Y)
    badkuip_depth: FloatArray
    badkuip_pos: IntArray
    recovery_pos: IntArray
    terugverdien_pos: IntArray
    herstel_pos: IntArray
    dip_depth: FloatArray
    dip_pos: IntArray
    saldo_nominal: FloatArray
    opening_total: FloatArray
    own_eindwaarde: FloatArray
    own_ncw: FloatArray


@rule("Nominaal resultaat van het programma", formule="openingsboekwaarden (projecten en fonds) + Σ kasstromen; zonder rente",
      bron=f"{SPEC} Programme; {SEED} §3 ('9,2 miljoen nominaal')")
def nominal_result(flows: ArrayLike, opening: ArrayLike, fund_opening: float = 0.0) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The programme's nominal result, its saldo of flows and its opening balances ``(result, saldo, opening)``
    (...) [EUR nominal]. ``flows (..., P, Y)``, ``opening (..., P)``: the projects' opening book values.

    The result (what seed 000 calls the nominal deficit) is the eindwaarde at 0 % rente: the opening book values
    carry the realised history of running projects. The saldo is the sum of the flows alone, the nominal saldo of
    spec grondexploitatie.md §4. Both are reported, labelled."""
    flows = np.asarray(flows, dtype=np.float64)
    saldo = flows.sum(axis=(-2, -1))
    opening_total = np.sum(np.broadcast_to(np.asarray(opening, dtype=np.float64), flows.shape[:-1]), axis=-1) + fund_opening
    return saldo + opening_total, saldo, opening_total


@rule("NCW van het project over zijn eigen looptijd", formule="NCW_p = B_p(eindjaar_p) / (1 + d)^T_end,p",
      bron=f"{SPEC} Programme (resultaat per project); shared/spec/grondexploitatie.md §4")
def project_own_ncw(book: ArrayLike, end_pos: ArrayLike, t_end: ArrayLike, d: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Each project's own result: its stand-alone book value at 31 December of its own end year and that value
    discounted over its own ``T_end`` — the NCW ``opengrex grex bereken`` gives for the project's grex (with the
    voorfinancierder's rente and the programme's disconteringsvoet). ``(eindwaarde, ncw)`` (..., P) [EUR].

    ``book (..., P, Y)``: stand-alone book values on the programme grid; ``end_pos (P,)``: grid position of each
    project's end year; ``t_end (P,)`` [yr]."""
    book = np.asarray(book, dtype=np.float64)
    pos = np.broadcast_to(np.asarray(end_pos, dtype=np.intp), book.shape[:-1])[..., None]
    eind = np.take_along_axis(book, pos, axis=-1)[..., 0]
    d = np.asarray(d, dtype=np.float64)
    return eind, rules.ncw_bbv(eind, d[..., None] if d.ndim else d, np.asarray(t_end, dtype=np.float64))


@rule("Rentedeel van het resultaat", formule="NCW met rente − NCW met alle voorfinancierings- en fondsrentes op 0 %",
      bron=f"{SPEC} Programme ('Show what part of the deficit is interest'); {SEED} §3.1")
def rentedeel(ncw: ArrayLike, ncw_zonder_rente: ArrayLike) -> FloatArray:
    """The part of the programme result that is interest. [EUR at the ncw_datum]"""
    return np.asarray(ncw, dtype=np.float64) - np.asarray(ncw_zonder_rente, dtype=np.float64)


@rule("Programmaresultaat (NCW)", formule="NCW = (Σ boekwaarden projecten + fondssaldo) op 31-12 van het laatste jaar / (1 + d)^T_end",
      bron=f"{SPEC} Programme; {SEED} §3; shared/spec/grondexploitatie.md §4")
def calculate(a: ProgrammeArrays, zero_rates: bool = False, outcome: GrexOutcome | None = None) -> ProgrammeOutcome:
    """The whole programme: ONE call of the grex engine for every project (and draw), then verevening, the fund,
    the programme book value, NCW and badkuip. ``zero_rates``: every voorfinancierder and fund rate set to 0."""
    g = a.grex
    o = rules.calculate(g) if outcome is None else outcome
    rente = np.zeros_like(np.asarray(g.rente, dtype=np.float64)) if zero_rates else g.rente
    fund_rate = np.zeros_like(np.asarray(a.fund_rate, dtype=np.float64)) if zero_rates else a.fund_rate
    vv = verevening(o.flows, rente, a.kind, fund_rate, a.fund_opening, g.timing, g.opening, a.has_fund, g.opening_pos)
    book = vv.book.sum(axis=-2) + vv.fund_book
    eind = book[..., -1]
    d = np.asarray(g.disconteringsvoet, dtype=np.float64)
    ncw = rules.ncw_bbv(eind, d, o.t_end)
    fin = interest_per_financier(vv.interest, a.financier, a.n_financiers, vv.fund_interest, a.fund_financier)
    depth, pos, rec = rules.badkuip(book)
    stays, first, dip_depth, dip_pos = rules.terugverdienjaar(book)
    nominal, saldo, opening_total = nominal_result(o.flows, g.opening, a.fund_opening if a.has_fund else 0.0)
    n_p = o.flows.shape[-2]
    end_pos = a.project_end if a.project_end is not None else np.full(n_p, o.flows.shape[-1] - 1)
    t_end = a.project_t_end if a.project_t_end is not None else np.full(n_p, o.t_end)
    own_eind, own_ncw = project_own_ncw(o.book_value, end_pos, t_end, d)
    return ProgrammeOutcome(
        projects=o, vv=vv, book=book, eindwaarde=eind, ncw=ncw, nominal=nominal, t_end=o.t_end, financier_interest=fin,
        badkuip_depth=depth, badkuip_pos=pos, recovery_pos=rec, terugverdien_pos=stays, herstel_pos=first, dip_depth=dip_depth, dip_pos=dip_pos,
        saldo_nominal=saldo, opening_total=opening_total, own_eindwaarde=own_eind, own_ncw=own_ncw,
    )


GUARANTEE_RESULTAAT = 0
GUARANTEE_BOEKWAARDE = 1


@rule("Blootstelling van een garantie", formule="resultaat: max(−NCW van de reikwijdte, 0); boekwaarde: max(−laagste boekwaarde van de reikwijdte, 0)",
      bron=f"{SPEC} Programme (partners, guarantees); {SEED} §2 ('garant voor 10 miljoen + 18 miljoen')")
def guarantee_exposure(
    basis: ArrayLike,
    scope: ArrayLike,
    programme_ncw: ArrayLike,
    programme_depth: ArrayLike,
    project_ncw: ArrayLike,
    project_book: ArrayLike,
    project_end: ArrayLike | None = None,
) -> FloatArray:
    """What each guarantee covers ``(..., G)`` [EUR, >= 0].

    ``basis (G,)``: :data:`GUARANTEE_RESULTAAT` (the deficit, a negative NCW) or :data:`GUARANTEE_BOEKWAARDE` (the
    deepest book value: the maximum pre-financing). ``scope (G, P)``: the projects a guarantee covers (no project:
    the whole programme). Programme scope: ``programme_ncw`` or ``programme_depth`` (...); project scope: the sum
    of the projects' ``project_ncw (..., P)`` (their own NCWs, :func:`project_own_ncw`), or the badkuip of the sum
    of their ``project_book (..., P, Y)`` up to each project's own end year (``project_end (P,)`` grid positions;
    ``None``: every year).
    """
    basis = np.asarray(basis)
    scope = np.asarray(scope, dtype=np.float64)
    whole = scope.sum(axis=-1) == 0
    ncw_scope = np.einsum("gp,...p->...g", scope, np.asarray(project_ncw, dtype=np.float64))
    book = np.asarray(project_book, dtype=np.float64)
    if project_end is not None:
        book = np.where(np.arange(book.shape[-1]) <= np.asarray(project_end)[:, None], book, 0.0)
    book_scope = np.einsum("gp,...py->...gy", scope, book)
    depth_scope = np.minimum(book_scope.min(axis=-1), 0.0)
    prog_ncw = np.asarray(programme_ncw, dtype=np.float64)[..., None]
    prog_depth = np.asarray(programme_depth, dtype=np.float64)[..., None]
    value = np.where(basis == GUARANTEE_RESULTAAT, np.where(whole, prog_ncw, ncw_scope), np.where(whole, prog_depth, depth_scope))
    return np.maximum(-value, 0.0)


@rule("Gebruik van garanties met een plafond", formule="gebruik = min(resterende blootstelling, plafond); ruimte = plafond − gebruik",
      bron=f"{SEED} §2 ('De drie partners staan garant voor 10 miljoen + 18 miljoen euro')")
def guarantee_use(exposure: ArrayLike, plafond: ArrayLike, scope_id: ArrayLike) -> tuple[FloatArray, FloatArray, FloatArray]:
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
    used_in_scope: dict[int, FloatArray] = {}
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


@rule("Taakstelling", formule="nog te verdienen = max(bedrag − NCW van het project, 0)",
      bron=f"{SEED} §2 ('het maximale bedrag van 10 miljoen [moet] verdiend worden op de Vliegbasis')")
def taakstelling(result: ArrayLike, bedrag: ArrayLike) -> tuple[FloatArray, BoolArray]:
    """Taakstelling (seed 000 §2: "het maximale bedrag van 10 miljoen [moet] verdiend worden op de Vliegbasis").

    ``result``: the project's result (NCW) [EUR]; ``bedrag``: the amount to earn [EUR]. Returns
    ``(tekort, gehaald)``: ``max(bedrag - result, 0)`` and ``result >= bedrag``.
    """
    result = np.asarray(result, dtype=np.float64)
    bedrag = np.asarray(bedrag, dtype=np.float64)
    return np.maximum(bedrag - result, 0.0), result >= bedrag


def shapley_weights(k: int) -> FloatArray:
    """Shapley weight ``|S|! (k - |S| - 1)! / k!`` for a coalition of size ``|S|`` (0..k-1)."""
    from math import factorial

    return np.array([factorial(s) * factorial(k - s - 1) / factorial(k) for s in range(k)], dtype=np.float64)


@rule("Toerekening per oorzaak (Shapley)", formule="φ_i = Σ_S w(|S|) (v(S ∪ {i}) − v(S)); Σ φ_i = v(alles) − v(niets)",
      bron=f"{SPEC} Scenarios (waterfall), Versions (difference per cause); {SEED} (2012 → 2013)")
def shapley(values: ArrayLike, k: int) -> FloatArray:
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


def coalitions(k: int, with_shapley: bool = True) -> list[int]:
    """The coalitions of ``k`` changes a waterfall needs (bit ``i`` = change ``i`` on): all ``2**k`` for the Shapley
    attribution, else the ``k + 1`` prefixes (none, the first, the first two, …) for the sequential one."""
    return list(range(2**k)) if with_shapley else [(1 << i) - 1 for i in range(k + 1)]


@rule("Waterval: effect per wijziging", formule="volgtijdelijk: δ_i = v(wijziging 1..i) − v(wijziging 1..i−1); Shapley: φ_i (volgorde-onafhankelijk); "
      "Σ δ_i = Σ φ_i = v(alles) − v(niets)", bron=f"{SPEC} Scenarios (waterfall); {SEED} (2012 → 2013)")
def waterfall(values: Any, k: int, with_shapley: bool = True) -> tuple[FloatArray, FloatArray | None]:
    """The effect of each of ``k`` changes on a figure: sequentially, in the listed order, and (``with_shapley``)
    by Shapley over all orders. ``values[mask]``: the figure with the changes of ``mask`` applied (bit ``i`` =
    change ``i``), for every mask of :func:`coalitions`. Both attributions add up to ``values[all] - values[none]``."""
    seq = np.array([values[(1 << (i + 1)) - 1] - values[(1 << i) - 1] for i in range(k)], dtype=np.float64)
    shap = shapley(np.array([values[m] for m in range(2**k)], dtype=np.float64), k) if with_shapley else None
    return seq, shap
