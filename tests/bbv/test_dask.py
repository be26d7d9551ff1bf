"""Portfolio risk: the same figures from the local chunked path and a dask.distributed LocalCluster, one seed."""
from __future__ import annotations

import numpy as np
import pytest

from opengrex.errors import InputError
from opengrex.services.bbv import portfolio_risk, value_portfolio

distributed = pytest.importorskip("distributed", reason="dask extra: pip install 'opengrex[dask]'")


def test_local_chunking_does_not_change_the_figures(demo_2025):
    a = portfolio_risk(demo_2025, draws=300, seed=7, chunk=300)
    b = portfolio_risk(demo_2025, draws=300, seed=7, chunk=37)
    assert np.array_equal(a.ncw, b.ncw)
    assert a.names == ["Stationskwartier", "Havenfront", "Beekdal"]  # the grexes with a risk register


def test_basis_equals_the_deterministic_valuation(demo_2025):
    r = portfolio_risk(demo_2025, draws=10, seed=1)
    w = value_portfolio(demo_2025)
    ncw = dict(zip(w.names, w.figures["ncw"]))
    assert r.basis == pytest.approx([ncw[n] for n in r.names], rel=1e-9)


def test_local_and_dask_localcluster_give_the_same_figures(demo_2025):
    local = portfolio_risk(demo_2025, draws=400, seed=2013, chunk=64)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        remote = portfolio_risk(demo_2025, draws=400, seed=2013, chunk=64, client=client)
        via_address = portfolio_risk(demo_2025, draws=100, seed=5, chunk=50, scheduler=cluster.scheduler_address)
    assert np.array_equal(local.ncw, remote.ncw)
    assert local.benodigd.tolist() == remote.benodigd.tolist() and local.totaal_benodigd == remote.totaal_benodigd
    assert np.array_equal(via_address.ncw, portfolio_risk(demo_2025, draws=100, seed=5, chunk=50).ncw)
    w = value_portfolio(demo_2025, trekkingen=400, seed=2013, chunk=64)
    assert dict(zip(local.names, local.benodigd)) == {n: r for n, r, m in zip(w.names, w.figures["risico"], w.risico_methode) if m.startswith("Monte Carlo")}


def test_unreachable_scheduler_is_a_clear_error(demo_2025, monkeypatch):
    monkeypatch.setattr("opengrex.services.bbv.DASK_TIMEOUT", "1s")
    with pytest.raises(InputError, match="dask-scheduler niet bereikbaar"):
        portfolio_risk(demo_2025, draws=10, scheduler="tcp://127.0.0.1:9")
