"""Grondexploitatie (grex) cash-flow rules, one function each (spec: shared/spec/grondexploitatie.md).

Sign convention: costs negative, revenues positive; a saldo > 0 is a surplus. All amounts in euros [EUR],
float64, unrounded. Timing codes: ``TIMING_END`` (default, 31 December), ``TIMING_MID`` (1 July),
``TIMING_START`` (1 January).

Arrays (architecture.md): ``amount (..., L)``, ``share (..., L, Y)``, ``sign (..., L)``, ``series (L,)``,
``rate (..., S, Y)``, ``rente (..., Y)``; any leading batch axes broadcast.

:class:`GrexArrays` is what a model compiles to; :func:`calculate` runs every rule in order and returns
:class:`GrexOutcome`, a dataclass of the intermediate tables (index factors, line flows, interest, book value,
discount factors) as well as the totals, so every number can be traced.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from opengrex.engine import tijd
from opengrex.engine.arrays import ArrayLike, BoolArray, FloatArray, FloatLike, IntArray
from opengrex.engine.explain import rule
from opengrex.engine.tijd import HELE_JAREN, TIMING_END, TIMING_MID, TIMING_START

TIMINGS = tijd.TIMINGS

SPEC = "shared/spec/grondexploitatie.md"
BBV = "BBV, Notitie grondbeleid in begroting en jaarstukken 2019"
PHASING_TOLERANCE = 1e-9
"""Relative tolerance for phasing sums (spec "Checks": "sum to 1 (tolerance 1e-9) or to the amount")."""

BOOK_VALUE_FORMULA = {
    TIMING_END: "B_y = B_(y-1)(1+r) + F_y",
    TIMING_MID: "B_y = B_(y-1)(1+r) + F_y (1+r)^0,5",
    TIMING_START: "B_y = (B_(y-1) + F_y)(1+r)",
}
"""The rekening-courant formula per timing, as shown in explanations (spec §3)."""


@rule("Fasering als aandelen", formule="aandeel_y = fasering_y als Σ fasering = 1; anders fasering_y / Σ fasering (bedragen per jaar)",
      bron=f"{SPEC}, Inputs (phasing)")
def phasing_shares(phasing: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Phasing as shares per year (spec "Inputs": shares summing to 1, or amounts summing to the amount). [-]

    ``phasing (..., Y)``: shares or amounts per year; a row whose sum is 1 (within :data:`PHASING_TOLERANCE`) is
    taken as shares, any other row as amounts and divided by its sum (a zero row stays zero).
    """
    p = np.asarray(phasing, dtype=np.float64)
    total = p.sum(axis=-1, keepdims=True)
    as_shares = phasing_is_shares(total) | (total == 0.0)
    return np.where(as_shares, p, p / np.where(as_shares, 1.0, total))


def phasing_is_shares(total: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Whether a phasing with this sum is given as shares (sum 1 within :data:`PHASING_TOLERANCE`). [bool]"""
    return np.abs(np.asarray(total, dtype=np.float64) - 1.0) <= PHASING_TOLERANCE


@rule("Prijsindex", formule="I_y = Π (1 + r_k) voor k = p .. y−1 (I_p = 1); vóór p: 1 / Π (1 + r_k) voor k = y .. p−1",
      bron=f"{SPEC} §1")
def price_index(rate: ArrayLike, base: int) -> FloatArray:
    """Prijsindex ``I_y`` relative to the prijspeil year (spec §1). [-]

    ``I_y = prod(1 + rate_k for k in p .. y-1)`` for ``y >= p`` and ``1 / prod(1 + rate_k for k in y .. p-1)``
    for ``y < p``, so ``I_p = 1``.

    Parameters
    ----------
    rate : (..., Y) yearly index rates [1/yr] on a grid of consecutive years.
    base : position of the prijspeil year ``p`` on that grid.
    """
    rate = np.asarray(rate, dtype=np.float64)
    growth = np.log1p(rate)
    cum = np.cumsum(growth, axis=-1)
    # log I_y = sum_{k<y} g_k - sum_{k<p} g_k  (exclusive cumulative sums)
    excl = cum - growth
    return np.exp(excl - excl[..., base : base + 1])


@rule("Halfjaarsindexatie bij timing mid", formule="(1 + r_y)^0,5 bij mid, anders 1", bron=f"{SPEC} §1")
def mid_year_factor(rate: ArrayLike, timing: str) -> FloatArray:
    """Extra half-year indexation for timing ``mid``: ``(1 + rate_y) ** 0.5``; 1 otherwise (spec §1). [-]"""
    rate = np.asarray(rate, dtype=np.float64)
    if timing == TIMING_MID:
        return np.sqrt(1.0 + rate)
    return np.ones_like(rate)


@rule("Nominale kasstroom per post", formule="F_(l,y) = teken × bedrag × aandeel_y × I_y (of het gerealiseerde bedrag, niet geïndexeerd)",
      bron=f"{SPEC} §1, §2 en §9")
def line_flows(
    amount: ArrayLike,
    share: ArrayLike,
    sign: ArrayLike,
    index: ArrayLike,
    realised: ArrayLike | None = None,
    realised_mask: ArrayLike | None = None,
) -> FloatArray:
    """Nominal signed flow per line per year: ``sign * amount * share_y * I_y`` (spec §1). [EUR nominal]

    Realised amounts (positive, nominal, not indexed again) replace the estimate where ``realised_mask`` is true.

    Parameters
    ----------
    amount : (..., L) amount at prijspeil [EUR prijspeil], positive.
    share : (..., L, Y) phasing shares summing to 1 over Y.
    sign : (..., L) +1 revenue, -1 cost.
    index : (..., L, Y) price index per line (already including the ``mid`` half-year factor).
    realised, realised_mask : (..., L, Y) realised amounts [EUR nominal] and where they apply.
    """
    amount = np.asarray(amount, dtype=np.float64)
    flows = amount[..., None] * np.asarray(share, dtype=np.float64) * np.asarray(index, dtype=np.float64)
    if realised is not None and realised_mask is not None:
        flows = np.where(realised_mask, np.asarray(realised, dtype=np.float64), flows)
    return flows * np.asarray(sign, dtype=np.float64)[..., None]


@rule("Boekwaarde (rekening-courant)", formule="end: B_y = B_(y−1)(1 + r) + F_y; mid: B_(y−1)(1 + r) + F_y (1 + r)^0,5; start: (B_(y−1) + F_y)(1 + r)",
      bron=f"{SPEC} §3")
def book_value(
    flows: ArrayLike,
    rente: ArrayLike,
    timing: str = TIMING_END,
    opening: ArrayLike = 0.0,
    opening_pos: ArrayLike | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Boekwaarde by the rekening-courant method (spec §3). [EUR nominal]

    ``end``:   ``B_y = B_(y-1) (1 + r_y) + F_y``
    ``mid``:   ``B_y = B_(y-1) (1 + r_y) + F_y (1 + r_y) ** 0.5``
    ``start``: ``B_y = (B_(y-1) + F_y) (1 + r_y)``

    ``opening`` is the book value at 31 December before the first year (spec §3: ``B_(s-1)``). ``opening_pos``
    (``(...)``, default -1) places it at 31 December of grid position ``opening_pos`` instead: a project that
    starts later on a programme grid holds its opening value from the end of the year before its start, without
    interest or timing in that year (-1: before the first year).

    Returns ``(B, interest)`` both ``(..., Y)``, with interest ``= B_y - B_(y-1) - F_y`` (rente per jaar; the
    opening value placed in a year is not interest). A short loop over years, vectorised over every leading axis.
    """
    flows = np.asarray(flows, dtype=np.float64)
    rente = np.broadcast_to(np.asarray(rente, dtype=np.float64), flows.shape)
    growth = 1.0 + rente
    adj = flows * tijd.interest_on_flow_factor(growth, timing)
    start, placed = place_opening(opening, opening_pos, flows.shape)
    prev = start.copy()
    out = np.empty_like(flows)
    for y in range(flows.shape[-1]):
        prev = prev * growth[..., y] + adj[..., y]
        if placed is not None:
            prev = prev + placed[..., y]
        out[..., y] = prev
    before = np.concatenate([start[..., None], out[..., :-1]], axis=-1)
    interest = out - before - flows
    if placed is not None:
        interest = interest - placed
    return out, interest


def place_opening(opening: ArrayLike, opening_pos: ArrayLike | None, shape: tuple[int, ...]) -> tuple[FloatArray, FloatArray | None]:
    """Split opening book values ``(...)`` into the value before the first year and the values placed at
    31 December of a later grid year ``(..., Y)`` (``None`` when nothing is placed). [EUR nominal]"""
    opening_arr = np.broadcast_to(np.asarray(opening, dtype=np.float64), shape[:-1])
    if opening_pos is None:
        return opening_arr.copy(), None
    pos = np.broadcast_to(np.asarray(opening_pos), shape[:-1])
    if not (pos >= 0).any():
        return opening_arr.copy(), None
    start = np.where(pos < 0, opening_arr, 0.0)
    placed = np.where(pos[..., None] == np.arange(shape[-1]), opening_arr[..., None], 0.0)
    return start, placed


def discount_times(years: ArrayLike, ncw_year: int, ncw_day_fraction: float, timing: str, dagtelling: str = HELE_JAREN) -> FloatArray:
    """Time in years from ``ncw_datum`` to each year's flow (spec §4, §10). [yr]

    ``t_y = y + 1 - ncw_year - f`` for ``end`` (f: elapsed fraction of ``ncw_year`` at ``ncw_datum``),
    0.5 less for ``mid``, 1 less for ``start`` (whole years; see :func:`opengrex.engine.tijd.flow_times`).
    """
    return tijd.flow_times(years, ncw_year, ncw_day_fraction, timing, dagtelling)


@rule("Disconteringsfactor", formule="(1 + d)^−t", bron=f"{SPEC} §4")
def discount_factor(d: ArrayLike, t: ArrayLike) -> FloatArray:
    """Disconteringsfactor ``(1 + d) ** -t``. [-]"""
    return (1.0 + np.asarray(d, dtype=np.float64)) ** (-np.asarray(t, dtype=np.float64))


@rule("Netto contante waarde (BBV)", formule="NCW (BBV) = eindwaarde / (1 + d) ** T_end", bron=f"{SPEC} §4; {BBV}")
def ncw_bbv(eindwaarde: ArrayLike, d: ArrayLike, t_end: ArrayLike) -> FloatArray:
    """Netto contante waarde (BBV): ``B_end / (1 + d) ** T_end`` (spec §4; BBV Notitie grondbeleid 2019). [EUR at ncw_datum]"""
    return np.asarray(eindwaarde, dtype=np.float64) * discount_factor(d, t_end)


@rule("Contante waarde van de kasstromen", formule="Σ F_y / (1 + d)^t_y", bron=f"{SPEC} §4")
def present_value(flows: ArrayLike, d: ArrayLike, t: ArrayLike) -> FloatArray:
    """Contante waarde of the flows: ``sum_y F_y / (1 + d) ** t_y`` (spec §4). [EUR at ncw_datum]"""
    d = np.asarray(d, dtype=np.float64)
    return np.sum(np.asarray(flows, dtype=np.float64) * discount_factor(d[..., None] if d.ndim else d, t), axis=-1)


@rule("Badkuip", formule="laagste boekwaarde (< 0) en het jaar daarvan", bron=f"{SPEC} §6")
def badkuip(book: ArrayLike) -> tuple[FloatArray, IntArray, IntArray]:
    """Badkuip (bathtub) of a book-value path (spec §6).

    Returns ``(depth, pos_deepest, pos_recovered)``: the most negative book value (0 if never negative) [EUR],
    its position on the year axis (-1 if never negative), and the first position after the deepest point where the
    book value is >= 0 again (-1 if never). That position is *not* the terugverdienjaar when the book value turns
    negative again later: see :func:`terugverdienjaar`.
    """
    book = np.asarray(book, dtype=np.float64)
    pos = np.argmin(book, axis=-1)
    depth = np.take_along_axis(book, pos[..., None], axis=-1)[..., 0]
    negative = depth < 0
    n = book.shape[-1]
    after = np.arange(n) > pos[..., None]
    recovered = after & (book >= 0)
    has_rec = recovered.any(axis=-1)
    rec_pos = np.where(has_rec, np.argmax(recovered, axis=-1), -1)
    return (
        np.where(negative, depth, 0.0),
        np.where(negative, pos, -1),
        np.where(negative, rec_pos, -1),
    )


@rule("Terugverdienjaar", formule="eerste jaar vanaf wanneer de boekwaarde tot en met het eindjaar ≥ 0 blijft; "
      "daarnaast het eerste herstel en de dip als de boekwaarde daarna weer negatief wordt", bron=f"{SPEC} §6")
def terugverdienjaar(book: ArrayLike) -> tuple[IntArray, IntArray, FloatArray, IntArray]:
    """Terugverdienjaar of a book-value path (spec §6, clarified). Positions on the year axis, -1 for none.

    Returns ``(pos_stays, pos_first, dip_depth, dip_pos)``:

    * ``pos_stays``: the first position from which the book value stays >= 0 up to the last year (the
      terugverdienjaar); -1 when the book value is never negative or still negative at the end;
    * ``pos_first``: the first position after the book value first went negative where it is >= 0 again (the first
      recovery); -1 if none;
    * ``dip_depth``, ``dip_pos``: the lowest book value after the first recovery when it turns negative again, and
      its position (0 and -1 without such a dip). With a dip, ``pos_first < dip_pos < pos_stays`` (or no
      ``pos_stays``): the early recovery is not the terugverdienjaar.
    """
    book = np.asarray(book, dtype=np.float64)
    n = book.shape[-1]
    idx = np.arange(n)
    neg = book < 0
    any_neg = np.asarray(neg.any(axis=-1))  # an array also for one path (typed; same values as the numpy bool)
    last_neg = n - 1 - np.argmax(neg[..., ::-1], axis=-1)
    stays = np.where(any_neg & (last_neg < n - 1), last_neg + 1, -1)
    first_neg = np.argmax(neg, axis=-1)
    recovered = (idx > first_neg[..., None]) & ~neg & any_neg[..., None]
    has_rec = recovered.any(axis=-1)
    first_rec = np.where(has_rec, np.argmax(recovered, axis=-1), -1)
    later_neg = (idx > first_rec[..., None]) & has_rec[..., None] & neg
    has_dip = later_neg.any(axis=-1)
    dip_pos = np.argmin(np.where(later_neg, book, np.inf), axis=-1)
    dip_depth = np.take_along_axis(book, dip_pos[..., None], axis=-1)[..., 0]
    return stays, first_rec, np.where(has_dip, dip_depth, 0.0), np.where(has_dip, dip_pos, -1)


@rule("Boekwaarde op een peildatum", formule="boekwaarde van de gerealiseerde kasstromen met rente tot 31-12 vóór het peiljaar, "
      "daarna × (1 + r)^(verstreken deel van het peiljaar)", bron=f"{SPEC} §5")
def boekwaarde_peildatum(
    line_flows: ArrayLike,
    realised_mask: ArrayLike,
    rente: ArrayLike,
    timing: str,
    opening: ArrayLike,
    n_years: int,
    fraction: float,
    rente_peiljaar: ArrayLike,
) -> FloatArray:
    """Boekwaarde at a peildatum: the realised flows plus interest up to that date (spec §5). [EUR nominal]

    ``line_flows``, ``realised_mask`` ``(..., L, Y)``: the signed nominal flows and where they are realised; the
    first ``n_years`` years (those before the peildatum's year) are compounded by the rekening-courant rule of
    :func:`book_value`; in the peildatum's own year interest accrues pro rata in time, ``B (1 + r) ** fraction``
    (``fraction``: the elapsed part of that year, :func:`opengrex.engine.tijd.year_fraction`; 0 outside the grid).
    """
    realised = np.where(realised_mask, line_flows, 0.0).sum(axis=-2)
    if n_years == 0:
        b = np.asarray(opening, dtype=np.float64)
    else:
        book, _ = book_value(realised[..., :n_years], np.asarray(rente)[..., :n_years], timing, opening)
        b = book[..., -1]
    return b * (1.0 + np.asarray(rente_peiljaar, dtype=np.float64)) ** fraction


@rule("Saldo op prijspeil per post", formule="teken × (bedrag × aandeel_y, of gerealiseerd_y / I_y in de jaren die het vervangt)",
      bron=f"{SPEC} §8 en §9")
def prijspeil_flows(
    amount: ArrayLike,
    share: ArrayLike,
    sign: ArrayLike,
    index: ArrayLike,
    realised: ArrayLike | None = None,
    realised_mask: ArrayLike | None = None,
) -> FloatArray:
    """Signed flow per line per year at prijspeil (spec §8): the estimate ``amount x share_y``, or where a realised
    amount replaces it (§9) that amount deflated to prijspeil, ``realised / I_y``. [EUR prijspeil]

    ``index (..., L, Y)``: the price index ``I_y`` of each line's series (without the ``mid`` half-year factor:
    spec §8 deflates by ``I_y``). Prijspeil, nominal and contant totals then describe the same flows.
    """
    deflated = None if realised is None else np.asarray(realised, dtype=np.float64) / np.asarray(index, dtype=np.float64)
    return line_flows(amount, share, sign, np.float64(1.0), deflated, realised_mask)  # the nominal rule at I = 1


@rule("Vervallen raming", formule="per post: Σ over de vervangen jaren (raming_y − gerealiseerd_y)", bron=f"{SPEC} §9")
def vervallen_raming(estimate: ArrayLike, counted: ArrayLike, realised_mask: ArrayLike) -> FloatArray:
    """Per line the estimate that lapsed because realised amounts replaced it (spec §9), not moved to later years:
    the sum over the replaced years of estimate minus what counts instead (``> 0``: less realised than estimated).
    Signed like the flows (costs negative); use prijspeil or nominal arrays alike. ``(..., L)`` [EUR]"""
    return np.where(realised_mask, np.asarray(estimate, dtype=np.float64) - np.asarray(counted, dtype=np.float64), 0.0).sum(axis=-1)


def sign_changes(flows: ArrayLike, tol: float = 1e-9) -> int:
    """Number of sign changes in a flow series (zeros skipped): Descartes' bound on the number of IRRs."""
    f = np.asarray(flows, dtype=np.float64)
    scale = max(float(np.max(np.abs(f))) if f.size else 0.0, 1.0)
    nz = f[np.abs(f) > tol * scale]
    return int(np.count_nonzero(np.diff(np.sign(nz)) != 0)) if nz.size > 1 else 0


@rule("Interne rentevoet (IRR)", formule="r waarvoor Σ F_y / (1 + r)^y = 0; elke oplossing > −100 % gemeld", bron=f"{SPEC} §7")
def irr_roots(flows: ArrayLike) -> list[float]:
    """All internal rates of return ``r > -1`` of one yearly flow series (spec §7). [1/yr]

    Solves ``sum_y F_y x**y = 0`` for ``x = 1 / (1 + r) > 0`` with the companion-matrix roots, polishes each root
    with Newton steps, and returns the distinct real rates in ascending order (empty: no IRR).
    """
    f = np.asarray(flows, dtype=np.float64)
    if not np.all(np.isfinite(f)):  # amounts beyond float64 (e.g. every amount 1.8e308): no rate to find
        return []
    nz = np.flatnonzero(np.abs(f) > 0)
    if nz.size < 2:
        return []
    f = f[nz[0] : nz[-1] + 1]
    f = f / np.max(np.abs(f))  # same roots; keeps the powers below overflow for huge amounts
    # polynomial in x: f0 + f1 x + ... ; np.roots wants highest power first
    roots = np.roots(f[::-1])
    cands = []
    for z in roots:
        if abs(z.imag) > 1e-7 * max(1.0, abs(z.real)) or z.real <= 0:
            continue
        x = float(z.real)
        powers = np.arange(f.size)
        for _ in range(50):  # Newton polish on the real polynomial
            val = np.sum(f * x**powers)
            der = np.sum(f[1:] * powers[1:] * x ** (powers[1:] - 1))
            if der == 0:
                break
            step = val / der
            x -= step
            if x <= 0 or abs(step) < 1e-15 * max(1.0, abs(x)):
                break
        if x > 0:
            cands.append(1.0 / x - 1.0)
    cands.sort()
    out: list[float] = []
    for r in cands:
        if not out or abs(r - out[-1]) > 1e-7:
            out.append(r)
    return out


# ------------------------------------------------------------------------------------------ the whole grex
@dataclass
class GrexArrays:
    """Engine input of one grex (or a batch with leading axes).

    years : (Y,) calendar years of the grid.
    amount : (..., L) [EUR prijspeil]; share : (..., L, Y); sign : (..., L) (+1 opbrengst, -1 kosten);
    series : (L,) or (..., L) index-series number of each line; rate : (..., S, Yi) index rates on the index grid;
    index_base : position of the prijspeil year on the index grid; index_offset : position of ``years[0]`` there;
    rente : (..., Y); realised, realised_mask : (..., L, Y); opening : (...) opening book value [EUR];
    disconteringsvoet : (...) [1/yr]; ncw_year, ncw_fraction : the ncw_datum; timing : "end" | "mid" | "start";
    dagtelling : "hele_jaren" | "werkelijke_dagen" (spec §10); opening_pos : (...) grid position of the 31 December
    at which ``opening`` stands (-1 or ``None``: before the first year; see :func:`book_value`).
    """

    years: IntArray
    amount: FloatArray
    share: FloatArray
    sign: FloatArray
    series: IntArray
    rate: FloatArray
    index_base: int
    index_offset: int
    rente: FloatArray
    realised: FloatArray
    realised_mask: BoolArray
    opening: FloatLike
    disconteringsvoet: FloatLike
    ncw_year: int
    ncw_fraction: float
    timing: str = TIMING_END
    dagtelling: str = HELE_JAREN
    opening_pos: IntArray | int | None = None


@dataclass
class GrexOutcome:
    """Engine output: every intermediate table and the headline figures. Units in brackets.

    index : (..., S, Y) price index per series (I_y, prijspeil = 1) [-]
    line_index : (..., L, Y) index applied to each line (incl. the half-year factor for ``mid``) [-]
    line_flows : (..., L, Y) signed nominal flow per line [EUR nominal]
    line_real : (..., L, Y) signed flow per line at prijspeil: amount x share, or a realised amount deflated to
        prijspeil in the years it replaces (spec §8) [EUR prijspeil]
    costs, revenues, flows : (..., Y) [EUR nominal]; costs negative
    interest, book_value : (..., Y) [EUR nominal]
    t, discount : (..., Y) time from ncw_datum [yr] and discount factor [-]
    eindwaarde, ncw, present_value, saldo_nominal, saldo_prijspeil : (...) [EUR]
    badkuip_depth, badkuip_pos, recovery_pos : (...) see :func:`opengrex.engine.grex.badkuip`
    terugverdien_pos, herstel_pos, dip_depth, dip_pos : (...) see :func:`opengrex.engine.grex.terugverdienjaar`
    t_end : time from ncw_datum to 31 December of the last year [yr]
    """

    years: IntArray
    index: FloatArray
    line_index: FloatArray
    line_flows: FloatArray
    line_real: FloatArray
    costs: FloatArray
    revenues: FloatArray
    flows: FloatArray
    interest: FloatArray
    book_value: FloatArray
    t: FloatArray
    discount: FloatArray
    t_end: float
    eindwaarde: FloatArray
    ncw: FloatArray
    present_value: FloatArray
    saldo_nominal: FloatArray
    saldo_prijspeil: FloatArray
    badkuip_depth: FloatArray
    badkuip_pos: IntArray
    recovery_pos: IntArray
    terugverdien_pos: IntArray
    herstel_pos: IntArray
    dip_depth: FloatArray
    dip_pos: IntArray


def gather_series(table: FloatArray, series: IntArray) -> FloatArray:
    """Pick row ``series[..., l]`` of ``table (..., S, Y)`` for every line: ``(..., L, Y)``.

    ``series`` is ``(L,)`` (one grex, shared by every batch element) or ``(..., L)`` (one map per grex).
    """
    if series.ndim == 1:
        return table[..., series, :]
    lead = np.broadcast_shapes(table.shape[:-2], series.shape[:-1])
    t = np.broadcast_to(table, lead + table.shape[-2:])
    idx = np.broadcast_to(series, lead + series.shape[-1:])[..., None]
    return np.take_along_axis(t, idx, axis=-2)


def calculate(a: GrexArrays) -> GrexOutcome:
    """Run every grex rule in order (spec §1–§10) and keep the intermediate tables."""
    years = np.asarray(a.years)
    n_years = years.shape[0]
    rate = np.asarray(a.rate, dtype=np.float64)
    index_full = price_index(rate, a.index_base)
    sl = slice(a.index_offset, a.index_offset + n_years)
    index = index_full[..., sl]
    rate_grid = rate[..., sl]
    series = np.asarray(a.series, dtype=np.intp)
    series_index = gather_series(index, series)
    line_index = series_index
    if a.timing == TIMING_MID:
        line_index = series_index * mid_year_factor(gather_series(rate_grid, series), a.timing)
    share = np.asarray(a.share, dtype=np.float64)
    amount = np.asarray(a.amount, dtype=np.float64)
    sign = np.asarray(a.sign, dtype=np.float64)
    flows_l = line_flows(amount, share, sign, line_index, a.realised, a.realised_mask)
    line_real = prijspeil_flows(amount, share, sign, series_index, a.realised, a.realised_mask)
    is_revenue = (sign > 0)[..., None]
    revenues = np.where(is_revenue, flows_l, 0.0).sum(axis=-2)
    costs = np.where(is_revenue, 0.0, flows_l).sum(axis=-2)
    flows = revenues + costs
    book, interest = book_value(flows, a.rente, a.timing, a.opening, a.opening_pos)
    t = discount_times(years, a.ncw_year, a.ncw_fraction, a.timing, a.dagtelling)
    d = np.asarray(a.disconteringsvoet, dtype=np.float64)
    discount = discount_factor(d[..., None] if d.ndim else d, t)
    t_end = float(tijd.years_to_year_end(years[-1], a.ncw_year, a.ncw_fraction, a.dagtelling))
    eindwaarde = book[..., -1]
    ncw = ncw_bbv(eindwaarde, d, t_end)
    pv = np.sum(flows * discount, axis=-1)
    depth, bpos, rpos = badkuip(book)
    stays, first, dip_depth, dip_pos = terugverdienjaar(book)
    return GrexOutcome(
        years=years,
        index=index,
        line_index=line_index,
        line_flows=flows_l,
        line_real=line_real,
        costs=costs,
        revenues=revenues,
        flows=flows,
        interest=interest,
        book_value=book,
        t=np.broadcast_to(t, flows.shape),
        discount=np.broadcast_to(discount, flows.shape),
        t_end=t_end,
        eindwaarde=eindwaarde,
        ncw=ncw,
        present_value=pv,
        saldo_nominal=flows.sum(axis=-1),
        saldo_prijspeil=line_real.sum(axis=(-2, -1)),
        badkuip_depth=depth,
        badkuip_pos=bpos,
        recovery_pos=rpos,
        terugverdien_pos=stays,
        herstel_pos=first,
        dip_depth=dip_depth,
        dip_pos=dip_pos,
    )
