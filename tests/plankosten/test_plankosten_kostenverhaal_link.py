"""The link with a kostenverhaal case (issue #15 point 3), tested on the case's own numbers: the gemeente's A1
plankosten estimate of Soest bijlage A5 voorbeeld 1 (EUR 500.000) against a scan whose maximum lies below it (capped) and
one whose maximum lies above it (the estimate is kept). The coordinator wires :func:`toets_plankostenscan` into the case's
compile step; this test needs no change to the case model."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from opengrex.errors import InputError
from opengrex.services.kostenverhaal import load_case
from opengrex.services.plankosten import load_plankosten, plankosten_to_dict, scan_from_bron, toets_plankostenscan

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "examples" / "kostenverhaal" / "voorbeeld-1.yaml"
SCANS = ROOT / "examples" / "plankosten"


def _gemeente_a1(case) -> float:
    return sum(k.bedrag for k in case.gemeente.kosten if k.kostensoort == "A1")


def test_estimate_above_the_cap_is_capped_and_explained():
    raming = _gemeente_a1(load_case(CASE))
    assert raming == 500_000
    t = toets_plankostenscan(raming, {"bestand": "inbreiding-klein.yaml"}, base_dir=SCANS)  # maximum EUR 213.824,03
    assert t.overschrijdt is True
    assert t.maximum == pytest.approx(213_824.03, abs=0.005)
    assert t.verhaalbaar == pytest.approx(213_824.03, abs=0.005)
    assert t.niet_verhaalbaar == pytest.approx(500_000 - 213_824.03, abs=0.005)
    assert "is hoger dan het maximum volgens de plankostenscan" in t.toelichting
    assert "€ 500.000" in t.toelichting and "€ 213.824" in t.toelichting and "bijlage XXXIV" in t.toelichting
    assert t.versie == "2024-01-01"


def test_estimate_below_the_cap_is_kept():
    raming = _gemeente_a1(load_case(CASE))
    scan = yaml.safe_load((SCANS / "uitleg-gemengd.yaml").read_text(encoding="utf-8"))
    t = toets_plankostenscan(raming, {"inline": scan})  # maximum EUR 1.605.717,03
    assert t.overschrijdt is False
    assert t.verhaalbaar == 500_000 and t.niet_verhaalbaar == 0
    assert "blijft binnen het maximum" in t.toelichting and "verhaald wordt de raming, € 500.000" in t.toelichting
    assert t.to_dict()["verhaalbaar"] == 500_000


def test_equal_to_the_cap_is_not_an_overrun():
    scan = load_plankosten(SCANS / "zonder-tijdvak.yaml")
    maximum = scan_from_bron(scan).totaal
    assert toets_plankostenscan(maximum, scan).overschrijdt is False


@pytest.mark.parametrize("bron, field", [({"bestand": "a.yaml", "inline": {}}, "plankostenscan"), ({}, "plankostenscan"), ({"pad": "x"}, "plankostenscan")])
def test_bad_link_names_the_field(bron, field):
    with pytest.raises(InputError) as exc:
        toets_plankostenscan(1000, bron)
    assert exc.value.field == field


def test_proposed_case_field_links_a_scan_file():
    from opengrex.model.plankosten import PlankostenscanBron

    bron = PlankostenscanBron.model_validate({"bestand": "zonder-tijdvak.yaml"})
    t = toets_plankostenscan(200_000, bron, base_dir=SCANS)
    assert t.overschrijdt is True and t.verhaalbaar == pytest.approx(167_865.73, abs=0.005)
    assert PlankostenscanBron.model_validate({}).check()[0].field == "plankostenscan"


def test_negative_estimate_is_an_error():
    with pytest.raises(InputError) as exc:
        toets_plankostenscan(-1, SCANS / "zonder-tijdvak.yaml")
    assert exc.value.field == "raming"


def test_inline_scan_errors_name_the_scan_field():
    scan = plankosten_to_dict(load_plankosten(SCANS / "zonder-tijdvak.yaml"))
    scan["producten"] = ["1.1a"]  # 1.1a is not a product of bijlage XXXIVa
    with pytest.raises(InputError) as exc:
        toets_plankostenscan(1000, {"inline": scan})
    assert exc.value.field == "producten[0]" and "plankostenscan.inline" in str(exc.value)
