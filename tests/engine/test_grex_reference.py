"""The vectorised engine agrees with the independent loop-over-lines-and-years reference
(``opengrex.reference.grex``, written from shared/spec/grondexploitatie.md §1–§6) to 1e-6 relative."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from opengrex.engine.grex import GrexArrays, calculate
from opengrex.reference.grex import reference_grex
from opengrex.services.grex import calculate_grex, load_grex

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo-grex.yaml"
RTOL = 1e-6


def assert_same(result, ref, scale: float) -> None:
    """Engine result vs reference: every table and headline figure, 1e-6 relative (absolute 1e-6 x scale near 0)."""
    o = result.outcome
    atol = RTOL * max(scale, 1.0)

    def close(a, b, what):
        np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=RTOL, atol=atol, err_msg=what)

    close(o.line_flows, ref.line_flows, "line flows")
    close(o.revenues, ref.revenues, "opbrengsten")
    close(o.costs, ref.costs, "kosten")
    close(o.flows, ref.flows, "saldo per jaar")
    close(o.interest, ref.interest, "rente per jaar")
    close(o.book_value, ref.book_value, "boekwaarde")
    close(result.eindwaarde, ref.eindwaarde, "eindwaarde")
    close(result.ncw, ref.ncw, "NCW (BBV)")
    close(result.contante_waarde, ref.present_value, "contante waarde")
    close(result.saldo_nominaal, ref.saldo_nominal, "saldo nominaal")
    close(result.saldo_prijspeil, ref.saldo_prijspeil, "saldo prijspeil")
    assert o.t_end == pytest.approx(ref.t_end, abs=1e-12)
    bk = result.badkuip()
    close(bk["diepste_boekwaarde"], ref.badkuip_depth, "badkuip")
    assert bk["jaar"] == ref.badkuip_year
    assert bk["terugverdienjaar"] == ref.recovery_year


def _scale(grex) -> float:
    return sum(ln.amount for _, _, ln in grex.lines()) + abs(grex.opening_book_value)


@pytest.mark.parametrize("timing", ["end", "mid", "start"])
def test_demo_matches_reference(timing):
    grex = load_grex(DEMO)
    grex = grex.model_copy(update={"timing": timing, "rente": {2025: 0.02, 2028: 0.03, 2031: 0.025}, "opening_book_value": -250_000.0})
    assert_same(calculate_grex(grex), reference_grex(grex), _scale(grex))


def test_demo_as_shipped_matches_reference():
    grex = load_grex(DEMO)
    assert_same(calculate_grex(grex), reference_grex(grex), _scale(grex))


@pytest.mark.parametrize("timing", ["end", "mid", "start"])
def test_random_grexes_match_reference(make_grex, timing):
    """20 random grexes per timing (60 in all): prijspeil before/at/after start, rate series per year, realised."""
    rng = np.random.default_rng({"end": 1, "mid": 2, "start": 3}[timing])
    for _ in range(20):
        grex = make_grex(rng, n_lines=int(rng.integers(1, 15)), n_years=int(rng.integers(2, 16)), timing=timing)
        assert_same(calculate_grex(grex), reference_grex(grex), _scale(grex))


def _stack(arrays: list[GrexArrays]) -> GrexArrays:
    """Stack compiled grexes with the same grid, prijspeil, ncw_datum and timing on a leading axis ``P``,
    padding with zero-amount lines (per-grex series maps)."""
    n_l = max(a.amount.shape[0] for a in arrays)
    n_s = max(a.rate.shape[0] for a in arrays)

    def pad(x, n, axis=0, value=0.0):
        widths = [(0, 0)] * x.ndim
        widths[axis] = (0, n - x.shape[axis])
        return np.pad(x, widths, constant_values=value)

    a0 = arrays[0]
    return GrexArrays(
        years=a0.years,
        amount=np.stack([pad(a.amount, n_l) for a in arrays]),
        share=np.stack([pad(a.share, n_l) for a in arrays]),
        sign=np.stack([pad(a.sign, n_l, value=-1.0) for a in arrays]),
        series=np.stack([pad(a.series, n_l, value=0) for a in arrays]),
        rate=np.stack([pad(a.rate, n_s) for a in arrays]),
        index_base=a0.index_base,
        index_offset=a0.index_offset,
        rente=np.stack([a.rente for a in arrays]),
        realised=np.stack([pad(a.realised, n_l) for a in arrays]),
        realised_mask=np.stack([pad(a.realised_mask, n_l, value=False) for a in arrays]),
        opening=np.array([a.opening for a in arrays]),
        disconteringsvoet=np.array([a.disconteringsvoet for a in arrays]),
        ncw_year=a0.ncw_year,
        ncw_fraction=a0.ncw_fraction,
        timing=a0.timing,
    )


@pytest.mark.parametrize("timing", ["end", "mid", "start"])
def test_batched_engine_matches_reference_per_grex(make_grex, timing):
    """A stacked batch (leading axis P) gives, per grex, the reference's numbers."""
    import datetime as dt

    rng = np.random.default_rng(40 + len(timing))
    grexes = []
    for _ in range(6):
        g = make_grex(rng, n_lines=int(rng.integers(1, 10)), n_years=8, timing=timing)
        grexes.append(
            g.model_copy(update={"start_year": 2025, "end_year": 2032, "prijspeil": dt.date(2025, 1, 1), "ncw_datum": dt.date(2025, 1, 1), "realised_through": None})
        )
    # rebuild through validation so phasing/realised years lie on the common grid
    from opengrex.services.grex import grex_from_dict, grex_to_dict

    fixed = []
    for g in grexes:
        data = grex_to_dict(g)
        for section in ("kosten", "opbrengsten"):
            for ln in data[section]:
                ln["fasering"] = {2025 + (int(y) - min(map(int, ln["fasering"]))) % 8: v for y, v in ln["fasering"].items()}
                ln["gerealiseerd"] = {}
        fixed.append(grex_from_dict(data))
    out = calculate(_stack([g.compile() for g in fixed]))
    for p, g in enumerate(fixed):
        ref = reference_grex(g)
        atol = RTOL * _scale(g)
        np.testing.assert_allclose(out.book_value[p], ref.book_value, rtol=RTOL, atol=atol)
        np.testing.assert_allclose(out.interest[p], ref.interest, rtol=RTOL, atol=atol)
        np.testing.assert_allclose(out.ncw[p], ref.ncw, rtol=RTOL, atol=atol)
        np.testing.assert_allclose(out.present_value[p], ref.present_value, rtol=RTOL, atol=atol)
        np.testing.assert_allclose(out.eindwaarde[p], ref.eindwaarde, rtol=RTOL, atol=atol)
        depth = ref.badkuip_depth
        np.testing.assert_allclose(out.badkuip_depth[p], depth, rtol=RTOL, atol=atol)
