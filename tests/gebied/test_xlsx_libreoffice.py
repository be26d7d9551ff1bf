"""The gebied workbook recalculated by LibreOffice equals the engine to €0,01, in both variants and for both rule
sets of the demo (every figure the writer places: per account and piece per year, every rule's transfers, the fund,
the one wallet, margins); in the public variant every withheld figure holds 'vertrouwelijk'."""
from __future__ import annotations

import numpy as np
import openpyxl
import pytest
from tests.gebied.fixtures_gebied import DEMO, SET_A, SET_B

from opengrex.io.libreoffice import recalculate
from opengrex.io.xlsx_gebied import write_gebied_xlsx
from opengrex.services import gebied as api


@pytest.mark.libreoffice
def test_workbooks_recalculate_to_the_engine(tmp_path):
    g = api.load_gebied(DEMO)
    src = tmp_path / "in"
    src.mkdir()
    jobs = []
    for name, kw in (("a", {"regelset": SET_A}), ("a_openbaar", {"regelset": SET_A, "openbaar": True}), ("b", {"regelset": SET_B}), ("b_openbaar", {"regelset": SET_B, "openbaar": True})):
        res = api.calculate_gebied(g, **kw)
        jobs.append((res, write_gebied_xlsx(res, src / f"{name}.xlsx")))
    outs = recalculate([src / f"{n}.xlsx" for n in ("a", "a_openbaar", "b", "b_openbaar")], tmp_path / "out")
    for (res, plaats), path in zip(jobs, outs):
        wb = openpyxl.load_workbook(path, data_only=True)
        checked = withheld = 0
        for key, (sheet, ref) in plaats.items():
            name, idx = key.rsplit("[", 1)
            index = tuple(int(i) for i in idx.rstrip("]").split(",") if i)
            value = wb[sheet][ref].value
            if res.weg[name][index]:
                assert value == "vertrouwelijk", (path.name, key)
                withheld += 1
                continue
            expected = float(np.asarray(res.cijfers[name])[index])
            assert isinstance(value, (int, float)) and abs(value - expected) <= 0.01, (path.name, key, sheet, ref, value, expected)
            checked += 1
        assert checked > 900
        assert (withheld > 0) == res.openbaar
        check = [c.value for c in wb["Gebied"][13][4:]]  # the rules' transfers sum to zero every year
        assert all(v == 0 for v in check), check
