"""The vectorised kostenverhaal engine agrees with the independent plain-Python reference
(:mod:`opengrex.reference.kostenverhaal`, written from shared/spec/kostenverhaal.md) on random cases: first from the
A5 amounts (cap, volgordelijkheid, zonder tijdvak per kavel), then from cases at line level (party totals, planschade,
PTP, fysieke leefomgeving, woningvoorraad with rounded-up norms and the dearest segment of a group, kavel shares)."""
from __future__ import annotations

import math

import numpy as np
import pytest

from opengrex.codes.segmenten import SEGMENTEN
from opengrex.engine import kostenverhaal as kv
from opengrex.reference.kostenverhaal import reference_case, reference_kostenverhaal

N = 2_000


def _amount_cases(n: int, seed: int) -> kv.CaseArrays:
    """Plausible random amounts: 80 % met tijdvak, 20 % zonder tijdvak with 3 kavels; some caps bite, some not."""
    rng = np.random.default_rng(seed)
    u = lambda lo, hi, shape=(n,): rng.uniform(lo, hi, shape)  # noqa: E731
    zonder = rng.random(n) < 0.2
    shares = rng.random((n, 3)) + 0.05
    shares /= shares.sum(axis=1, keepdims=True)
    voor = u(50e3, 400e3, (n, 3))
    return kv.CaseArrays(
        kosten_ini=u(0.5e6, 3e6), opbrengsten_ini=u(1e6, 4e6), subsidies_ini=u(0, 2e5),
        kosten_gem=u(1e5, 1.5e6), opbrengsten_gem=u(0, 2e5), subsidies_gem=u(0, 1e5),
        bovenwijks=u(0, 5e5), fb_fysiek=u(0, 2e5), fb_woningvoorraad=u(-2e5, 4e5), zonder=zonder,
        kostenplafond=np.where(zonder, u(1e5, 1e6), np.inf), kavel_aandeel=shares,
        kavel_waarde_voor=voor, kavel_waarde_na=voor + u(-5e4, 4e5, (n, 3)),
    )


@pytest.mark.parametrize("seed", [1, 2023, 424242])
def test_engine_equals_reference_from_amounts(seed):
    a = _amount_cases(N, seed)
    o = kv.calculate(a)
    fields = list(a.__dataclass_fields__)
    cols = {f: getattr(a, f).tolist() for f in fields}
    ref = np.array([reference_case({f: cols[f][i] for f in fields}) for i in range(N)])
    np.testing.assert_allclose(o.exploitatiebijdrage, ref, rtol=0, atol=0.01)
    # the A5 identities hold for every case
    np.testing.assert_allclose(o.a5[:, 9, 1], o.exploitatiebijdrage)
    np.testing.assert_allclose(o.recovered + o.unrecovered, o.demands)
    assert np.all(o.exploitatiebijdrage <= o.cap + 1e-6)


def _line_case(rng: np.random.Generator) -> dict:
    """A random case at line level, in the reference's plain-dict form."""
    regels = []
    for partij in ("initiatiefnemer", "gemeente"):
        for post in ("kosten", "opbrengsten", "subsidies"):
            for _ in range(int(rng.integers(0, 4))):
                regels.append((partij, post, float(rng.uniform(0, 2e6)), bool(post == "kosten" and rng.random() < 0.3)))
    homes = {s: int(rng.integers(0, 40)) for s in SEGMENTEN}
    total_homes = sum(homes.values())
    bovenwijks = []
    for _ in range(int(rng.integers(0, 3))):
        if rng.random() < 0.5:
            bovenwijks.append((float(rng.uniform(0, 3e6)), float(rng.uniform(0, 0.99)), total_homes, 0))
        else:
            bovenwijks.append((float(rng.uniform(0, 3e6)), None, int(rng.integers(0, 50)), int(rng.integers(50, 500))))
    fysiek: float | dict = float(rng.uniform(0, 3e5)) if rng.random() < 0.4 else {
        "tarieven": [{s: float(rng.uniform(0, 5000)) for s in SEGMENTEN} for _ in range(int(rng.integers(1, 3)))]}
    woningvoorraad = None
    if rng.random() < 0.7:
        norm = [(("sociaal",), 0.45), (("midden",), 0.05), (("duur",), 0.50)] if rng.random() < 0.5 else [(("sociaal", "midden"), 0.20), (("duur",), 0.80)]
        gw = np.sort(rng.uniform(0, 2e5, 3))
        woningvoorraad = {"norm": norm, "grondwaarde": dict(zip(SEGMENTEN, gw.tolist()))}
    zonder = bool(rng.random() < 0.3)
    kavels = []
    if zonder:
        kind = ("aandeel", "bedrag", "m2")[int(rng.integers(0, 3))]
        raw = rng.uniform(0.05, 1.0, int(rng.integers(1, 4)))
        vals = raw / raw.sum() if kind == "aandeel" else raw * (1e5 if kind == "bedrag" else 1000)
        for v in vals:
            voor = float(rng.uniform(0, 3e5))
            kavels.append({kind: float(v), "voor": voor, "na": voor + float(rng.uniform(-5e4, 4e5))})
    return {"regels": regels, "bovenwijks": bovenwijks, "woningen": homes, "fysiek": fysiek, "woningvoorraad": woningvoorraad,
            "zonder": zonder, "kostenplafond": float(rng.uniform(1e5, 2e6)) if zonder else math.inf, "kavels": kavels}


def _posten(c: dict) -> kv.CasePosten:
    """The same case as engine input (a batch of one), built by hand from the dict (not through the model)."""
    nan = float("nan")
    one = lambda x: np.asarray(x, dtype=float)[None]  # noqa: E731
    bw = c["bovenwijks"]
    fysiek = c["fysiek"]
    tarief = np.array([[r[s] for s in SEGMENTEN] for r in fysiek["tarieven"]]) if isinstance(fysiek, dict) else np.zeros((1, 3))
    wv = c["woningvoorraad"]
    norm = wv["norm"] if wv else [(SEGMENTEN, 1.0)]
    kavels = c["kavels"]
    kf = lambda key: [k.get(key, nan) for k in kavels] or [nan]  # noqa: E731
    return kv.CasePosten(
        bedrag=one([r[2] for r in c["regels"]]),
        partij=np.array([kv.PARTIJEN.index(r[0]) for r in c["regels"]], dtype=np.intp),
        post=np.array([kv.POSTEN.index(r[1]) for r in c["regels"]], dtype=np.intp),
        planschade=np.array([r[3] for r in c["regels"]], dtype=bool),
        bw_investering=one([b[0] for b in bw]), bw_aandeel=one([nan if b[1] is None else b[1] for b in bw]),
        bw_woningen_plan=one([b[2] for b in bw]), bw_woningen_totaal=one([b[3] for b in bw]),
        woningen=one([c["woningen"][s] for s in SEGMENTEN]),
        fysiek_bedrag=one(nan if isinstance(fysiek, dict) else fysiek), fysiek_tarief=one(tarief),
        wv_toegepast=np.array([wv is not None]), norm_aandeel=one([g[1] for g in norm]),
        groep=np.array([[s in g[0] for s in SEGMENTEN] for g in norm]),
        grondwaarde_gegeven=one([wv["grondwaarde"][s] for s in SEGMENTEN] if wv else [0.0] * 3),
        woz=one([nan] * 3), grondquote=one([0.13, 0.25, 0.38]), btw=one(0.21),
        zonder=np.array([c["zonder"]]), kostenplafond=one(c["kostenplafond"]),
        kavel_aandeel=one(kf("aandeel")), kavel_bedrag=one(kf("bedrag")), kavel_oppervlakte=one(kf("m2")),
        kavel_waarde_voor=one([k["voor"] for k in kavels] or [0.0]), kavel_waarde_na=one([k["na"] for k in kavels] or [0.0]),
    )


@pytest.mark.parametrize("seed", range(8))
def test_engine_equals_reference_from_lines(seed):
    rng = np.random.default_rng(seed)
    for _ in range(60):
        c = _line_case(rng)
        ref = reference_kostenverhaal(c)
        arrays, steps = kv.case_arrays(_posten(c))
        o = kv.calculate(arrays)
        for key in ("kosten_ini", "opbrengsten_ini", "subsidies_ini", "kosten_gem", "opbrengsten_gem", "subsidies_gem",
                    "bovenwijks", "fb_fysiek", "fb_woningvoorraad"):
            assert float(getattr(arrays, key)[0]) == pytest.approx(ref[key], abs=1e-6), key
        assert float(o.exploitatiebijdrage[0]) == pytest.approx(ref["exploitatiebijdrage"], abs=0.01)
        assert float(o.aftopping[0]) == pytest.approx(ref["niet_verhaalbaar"], abs=0.01)
        assert float(o.cap[0]) == pytest.approx(ref["cap"], abs=0.01)
        assert [float(x) for x in steps.planschade[0]] == pytest.approx([ref["planschade"]["initiatiefnemer"], ref["planschade"]["gemeente"]])
        if c["zonder"]:
            assert [float(x) for x in arrays.kavel_aandeel[0]] == pytest.approx(ref["kavel_aandeel"])
