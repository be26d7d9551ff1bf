"""Conservation (hypothesis): what the rules move between parties sums to zero, for every rule type, variant and
year; and the consolidated one-wallet view equals the sum of the party views and the external flows."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from opengrex.engine import gebied as eg
from opengrex.engine import spelregels as sr


def random_state(rng: np.random.Generator, P: int, G: int, F: int, K: int, Y: int, S: int = 2) -> sr.Toestand:
    grond = rng.uniform(0, 1000, (P, G)) * (rng.random((P, G)) < 0.7)
    grond[0, 0] += 1.0  # some land
    inbreng = grond[:, :, None] * rng.dirichlet(np.ones(Y), (P, G))
    prog = rng.uniform(0, 500, (P, F, Y)) * (rng.random((P, F, Y)) < 0.6)
    prog[0, 0, 0] += 1.0
    return sr.Toestand(P, grond, inbreng, prog, rng.uniform(100, 5000, (F, Y)), rng.uniform(0.8, 1.5, (S, Y)), rng.uniform(0, 1e5, (P, K, Y)))


def random_params(rng: np.random.Generator, rt: sr.RegelType, t: sr.Toestand, V: int, r0: int) -> dict[str, np.ndarray]:
    A, F, G, K = t.n_rekeningen, t.programma_m2.shape[1], t.grond_m2.shape[1], t.gedragen.shape[1]
    out = {}
    for p in rt.parameters:
        if p.soort == sr.PER_FUNCTIE:
            out[p.naam] = rng.uniform(0, 400, (V, F))
        elif p.soort == sr.PER_GRONDGEBRUIK:
            out[p.naam] = rng.uniform(0, 400, (V, G))
        elif p.soort == sr.FRACTIE:
            out[p.naam] = rng.uniform(0, 1, V)
        elif p.soort == sr.REKENING:
            out[p.naam] = np.eye(A)[rng.integers(0, A, V)]
        elif p.soort == sr.VERDELING:
            out[p.naam] = rng.dirichlet(np.ones(A), V)
        elif p.soort == sr.BETALERS:
            out[p.naam] = (rng.random((V, A)) < 0.7).astype(float)
        elif p.soort == sr.CATEGORIEEN:
            out[p.naam] = (rng.random((V, K)) < 0.6).astype(float)
        elif p.soort == sr.REGELS:
            out[p.naam] = (rng.random((V, r0)) < 0.6).astype(float)
        elif p.soort == sr.INDEX:
            out[p.naam] = rng.integers(0, t.index.shape[0], V)
        else:
            out[p.naam] = rng.integers(0, len(p.keuzes), V)
    return out


dims = st.tuples(st.integers(1, 6), st.integers(1, 3), st.integers(1, 4), st.integers(1, 3), st.integers(1, 8), st.integers(1, 5), st.integers(0, 2**32 - 1))


@settings(max_examples=60, deadline=None)
@given(dims)
def test_every_rule_type_moves_money_without_creating_or_losing_any(d):
    P, G, F, K, Y, V, seed = d
    rng = np.random.default_rng(seed)
    t = random_state(rng, P, G, F, K, Y)
    regels = []
    for rt in list(sr.REGELTYPEN.values()) * 2:  # every type, twice, in a random order
        regels.append(sr.Regel(f"r{len(regels)}", rt.code, {}))
    rng.shuffle(regels)
    for k, r in enumerate(regels):
        r.parameters = random_params(rng, sr.REGELTYPEN[r.type], t, V, k + 1)
    kv = rng.normal(0, 1e5, (1, t.n_rekeningen, Y))
    kv -= kv.mean(axis=1, keepdims=True)  # kostenverhaal transfers conserve too
    out = sr.pas_toe(t, regels, kv)
    assert out.shape == (len(regels), V, t.n_rekeningen, Y)
    scale = max(1.0, float(np.abs(out).max()))
    np.testing.assert_allclose(out.sum(axis=2), 0.0, atol=1e-9 * scale)


@settings(max_examples=40, deadline=None)
@given(dims)
def test_one_wallet_equals_the_sum_of_the_parties_and_the_external_flows(d):
    P, G, F, K, Y, V, seed = d
    rng = np.random.default_rng(seed)
    t = random_state(rng, P, G, F, K, Y)
    L, T, X, KV, M, U, S = 7, 3, 2, 2, 2, 2, 2
    kind = ["inbrengwaarde", "gebiedsbijdrage", "verevening", "ontwikkelrechten", "afdracht", "meebewegend"]
    regels = [sr.Regel(c, c, random_params(rng, sr.REGELTYPEN[c], t, V, i + 1)) for i, c in enumerate(kind)]
    verkoper = rng.integers(-1, P, T)
    a = eg.GebiedArrays(
        years=np.arange(2030, 2030 + Y), n_partijen=P, timing=str(rng.choice(["end", "mid", "start"])),
        rate=rng.uniform(-0.02, 0.06, (S, Y)), index_base=0, index_offset=0,
        post_bedrag=rng.uniform(0, 1e6, L), post_fasering=rng.dirichlet(np.ones(Y), L), post_teken=rng.choice([-1.0, 1.0], L),
        post_reeks=rng.integers(0, S, L), post_partij=rng.integers(0, P, L), post_investering=rng.integers(-1, 3, L),
        post_categorie=rng.integers(-1, K, L), n_categorieen=K,
        tr_prijs=rng.uniform(0, 1e6, T), tr_fasering=rng.dirichlet(np.ones(Y), T), tr_reeks=rng.integers(0, S, T),
        tr_koper=rng.integers(0, P, T), tr_verkoper=verkoper,
        ext_kosten=-rng.uniform(0, 1e5, (X, Y)), ext_opbrengsten=rng.uniform(0, 1e5, (X, Y)), ext_partij=rng.integers(0, P, X), ext_investering=rng.integers(0, 3, X),
        kv_bedrag=rng.uniform(0, 1e5, (KV, Y)), kv_reeks=rng.integers(0, S, KV), kv_betaler=rng.integers(0, P, KV), kv_ontvanger=rng.integers(0, P + 1, KV),
        lid_bedrag=rng.uniform(0, 1e4, (M, Y)), lid_reeks=rng.integers(0, S, M), lid_partij=rng.integers(0, P, M),
        fonds_rente=rng.uniform(0, 0.05, Y), fonds_opening=float(rng.uniform(-1e4, 1e4)),
        uit_bedrag=rng.uniform(0, 1e5, U), uit_fasering=rng.dirichlet(np.ones(Y), U), uit_reeks=rng.integers(0, S, U),
        disconteringsvoet=0.03, ncw_year=2030, ncw_fraction=0.0,
        grond_m2=t.grond_m2, inbreng_m2=t.inbreng_m2, programma_m2=t.programma_m2, prijs=t.prijs,
        marge=rng.uniform(0, 0.2, P), risico_bedrag=np.zeros(0), risico_kans=np.zeros(0), risico_aandeel=np.zeros((0, P)), regels=regels,
    )
    o = eg.calculate(a)
    scale = max(1.0, float(np.abs(o.netto).max()))
    # consolidated view = sum of the account views
    np.testing.assert_allclose(o.gebied, o.netto.sum(axis=-2), atol=1e-9 * scale)
    # every kind of transfer sums to zero over the accounts
    for piece in (o.lidmaatschap, o.kostenverhaal, o.spelregels, o.regels):
        np.testing.assert_allclose(piece.sum(axis=-2), 0.0, atol=1e-9 * scale)
    # ... so the one wallet is what leaves or enters the area: own posten, linked projects, transactions with an
    # outside seller, and the fund's spending
    extern_tr = o.tr_stromen[verkoper < 0].sum(axis=0)
    extern = o.post_stromen.sum(axis=0) + (a.ext_kosten + a.ext_opbrengsten).sum(axis=0) - extern_tr - o.uit_stromen.sum(axis=0)
    np.testing.assert_allclose(o.gebied, np.broadcast_to(extern, o.gebied.shape), atol=1e-9 * scale)
    # the fund's flow is the fund's account row; its balance follows the rekening-courant rule
    np.testing.assert_allclose(o.fonds_stroom, o.netto[:, P], atol=1e-9 * scale)
    assert o.fonds_saldo.shape == (V, Y)
