"""Council workbook: LibreOffice recalculation equals the engine to EUR 0.01; the public variant holds no prices or notes."""
from __future__ import annotations

import openpyxl
import pytest

from opengrex.io.libreoffice import read_names, recalculate
from opengrex.io.xlsx_bbv import export_portfolio_xlsx
from opengrex.services.bbv import LoadedPortfolio, value_portfolio


def _with_notes(lp: LoadedPortfolio) -> LoadedPortfolio:
    items = [e.model_copy(update={"toelichting": f"vertrouwelijke notitie {i}"}) for i, e in enumerate(lp.portefeuille.grexen)]
    return LoadedPortfolio(lp.portefeuille.model_copy(update={"grexen": items}), lp.grexes, lp.map)


@pytest.mark.libreoffice
@pytest.mark.parametrize("dagtelling", ["hele_jaren", "werkelijke_dagen"])
def test_libreoffice_recalculation_equals_engine(tmp_path, demo_2025, dagtelling):
    pf = demo_2025.portefeuille.model_copy(update={"dagtelling": dagtelling, "grexen": [e.model_copy(update={"voorziening_vorig": 1e6 * (i % 3), "winst_vorig": 5e4 * (i % 2)}) for i, e in enumerate(demo_2025.portefeuille.grexen)]})
    w = value_portfolio(LoadedPortfolio(pf, demo_2025.grexes, None))
    src = tmp_path / "in"
    src.mkdir()
    export_portfolio_xlsx(w, src / f"mpg-{dagtelling}.xlsx")
    (out,) = recalculate([src / f"mpg-{dagtelling}.xlsx"], tmp_path / "out")
    names = ["TotaalBoekwaarde", "TotaalNominaal", "TotaalNCW", "TotaalVoorziening", "TotaalDotatie", "TotaalVrijval", "TotaalWinstGenomen", "TotaalWinstCumulatief", "TotaalRisico", "Ratio", "Klasse"]
    got = read_names(out, names)
    t = w.totalen()
    expected = {"TotaalBoekwaarde": t["boekwaarde"], "TotaalNominaal": t["resultaat_nominaal"], "TotaalNCW": t["ncw"], "TotaalVoorziening": t["voorziening"],
                "TotaalDotatie": t["dotatie"], "TotaalVrijval": t["vrijval"], "TotaalWinstGenomen": t["winst_genomen"], "TotaalWinstCumulatief": t["winst_cumulatief"],
                "TotaalRisico": t["risico"]}
    for k, v in expected.items():
        assert abs(got[k] - v) < 0.01, (k, got[k], v)
    assert got["Ratio"] == pytest.approx(w.weerstand["ratio"], rel=1e-9) and got["Klasse"] == w.weerstand["klasse"]
    wb = openpyxl.load_workbook(out, data_only=True)
    ws = wb["Portefeuille"]
    head = [c.value for c in ws[1]]
    for k, name in enumerate(w.names):
        row = {h: c.value for h, c in zip(head, ws[2 + k])}
        assert row["Grex"] == name
        for col, key in (("NCW", "ncw"), ("Voorziening", "voorziening"), ("Winst dit jaar", "winst_genomen"), ("Boekwaarde 31-12", "boekwaarde"), ("Toegerekende rente", "rente_toegerekend")):
            assert abs(row[col] - float(w.figures[key][k])) < 0.01, (name, col)
        assert row["POC"] == pytest.approx(float(w.figures["poc"][k]), abs=1e-12)
    jaren = w.jaren_frame()
    wj = wb["Jaren"]
    for r, (year, vals) in enumerate(jaren.iterrows(), start=2):
        assert wj.cell(r, 1).value == year
        assert abs(wj.cell(r, 2).value - (vals.kasstroom_gerealiseerd + vals.kasstroom_verwacht)) < 0.01
        assert abs(wj.cell(r, 3).value - vals.boekwaarde) < 0.01


def test_public_variant_has_no_lines_prices_or_notes(tmp_path, demo_2025):
    w = value_portfolio(_with_notes(demo_2025))
    export_portfolio_xlsx(w, tmp_path / "vertrouwelijk.xlsx")
    export_portfolio_xlsx(w, tmp_path / "openbaar.xlsx", openbaar=True)
    conf = openpyxl.load_workbook(tmp_path / "vertrouwelijk.xlsx")
    pub = openpyxl.load_workbook(tmp_path / "openbaar.xlsx")
    assert "Posten" in conf.sheetnames and "Posten" not in pub.sheetnames
    text = lambda wb: " ".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None)  # noqa: E731
    assert "vertrouwelijke notitie" in text(conf) and "vertrouwelijke notitie" not in text(pub)
    assert "Uitgifte woningbouw" in text(conf) and "Uitgifte woningbouw" not in text(pub)
    assert "OPENBAAR" in text(pub)
