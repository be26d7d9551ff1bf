"""A kostenverhaal case's A1 plankosten line of the gemeente linked to a plankostenscan (issue #15 item 3).

The gemeente's own estimate is tested against the statutory maximum (Omgevingsregeling art. 13.2 lid 1; Nota
Kostenverhaal Soest 2023 §2.1.2: "De kosten worden gemaximeerd door de plankostenscan"); the case recovers the
lower amount and says so in the A5 table's explanation and in the explanations of 'plankosten' and
'exploitatiebijdrage'. Figures checked by hand from the case files (the scans' maxima are hand-computed in
tests/plankosten/test_plankosten_voorbeelden.py: voorbeeld A € 213.824,03, B € 1.605.717,03, C € 167.865,73).
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path

import openpyxl
import pytest
import yaml

from opengrex.cli import main
from opengrex.errors import InputError
from opengrex.io.documents import no_file_references
from opengrex.io.xlsx_case import case_to_template
from opengrex.io.xlsx_kostenverhaal import write_case_xlsx
from opengrex.model.kostenverhaal import Case
from opengrex.model.redact import confidential_fields, redact
from opengrex.services.kostenverhaal import (
    calculate_case,
    case_from_dict,
    case_to_dict,
    explain,
    import_case_xlsx,
    load_case,
    plankostenscan_result,
)
from opengrex.services.plankosten import calculate_plankosten, load_plankosten

ROOT = Path(__file__).resolve().parents[2]
KV = ROOT / "examples" / "kostenverhaal"
SCANS = ROOT / "examples" / "plankosten"
VOORBEELD_A = 213_824.03  # examples/plankosten/inbreiding-klein.yaml, bijlage XXXIV, versie 2024-01-01
VOORBEELD_B = 1_605_717.03  # examples/plankosten/uitleg-gemengd.yaml


def _scan(name: str) -> dict:
    """A plankostenscan example as JSON-ready data (dates as ISO text)."""
    return json.loads(json.dumps(yaml.safe_load((SCANS / name).read_text(encoding="utf-8")), default=str))


def _v(name: str, scan: dict | None = None) -> dict:
    """A kostenverhaal example as data, the gemeente's A1 line (the first one) linked to ``scan``."""
    d = yaml.safe_load((KV / name).read_text(encoding="utf-8"))
    d = json.loads(json.dumps(d, default=str))
    if scan is not None:
        d["gemeente"]["kosten"][0]["plankostenscan"] = scan
    return d


def _errors(exc: InputError) -> list[InputError]:
    return getattr(exc, "errors", [exc])


# ---------------------------------------------------------------------------------------------- the rule
def test_plankosten_begrensd_scalar_and_array():
    from opengrex.engine.kostenverhaal import plankosten_begrensd

    assert plankosten_begrensd(500_000, VOORBEELD_A) == VOORBEELD_A
    assert plankosten_begrensd(100_000, VOORBEELD_A) == 100_000
    assert plankosten_begrensd(VOORBEELD_A + 0.004, VOORBEELD_A) == VOORBEELD_A + 0.004  # within half a cent: kept
    got = plankosten_begrensd([[500_000, 250_000, 10], [0, 1e9, 7]], [[VOORBEELD_A, float("inf"), 5], [1, float("inf"), 7]])
    assert got.tolist() == [[VOORBEELD_A, 250_000, 5], [0, 1e9, 7]]


def test_case_arrays_cap_only_the_linked_line_in_a_batch():
    """The compiled case batched three times with different maxima: one engine call, the cap per case."""
    import numpy as np

    from opengrex.engine import kostenverhaal as kv
    from opengrex.parameters import load_parameter_set

    case = load_case(KV / "voorbeeld-1.yaml")
    ps = load_parameter_set(case.parameterset, case.peildatum)
    regels = {p: getattr(case, p).regels() for p in kv.PARTIJEN}
    p = case.compile(ps, regels)
    L = p.bedrag.shape[-1]
    a1 = len(regels["initiatiefnemer"])  # the gemeente's first line: A1, € 500.000
    maxima = np.full((3, L), np.inf)
    maxima[0, a1], maxima[1, a1] = VOORBEELD_A, VOORBEELD_B
    batch = {f: (np.repeat(getattr(p, f), 3, axis=0) if f not in ("partij", "post", "planschade", "groep") else getattr(p, f))
             for f in p.__dataclass_fields__ if f != "plankosten_maximum"}
    for f in ("wv_toegepast", "zonder"):
        batch[f] = np.repeat(getattr(p, f), 3)
    arrays, steps = kv.case_arrays(kv.CasePosten(**batch, plankosten_maximum=maxima))
    o = kv.calculate(arrays)
    assert steps.bedrag[:, a1].tolist() == pytest.approx([VOORBEELD_A, 500_000, 500_000])
    assert o.exploitatiebijdrage.tolist() == pytest.approx([813_824.03, 1_100_000, 1_100_000], abs=0.005)


# ---------------------------------------------------------------------------------------------- above the cap
def test_estimate_above_the_cap_by_file_is_replaced_and_explained():
    """The example: bijlage A5 voorbeeld 1 with the gemeente's A1 estimate (€ 500.000) linked to voorbeeld A.

    By hand: gemeente costs 213.824,03 + 250.000 = 463.824,03; bovenwijks 2.500.000 × 20/200 = 250.000; fysiek
    100.000; te verhalen 813.824,03 < macroaftopping 3.000.000 − 1.850.000 = 1.150.000, so the exploitatiebijdrage is
    813.824,03 — € 286.175,97 (= 500.000 − 213.824,03) less than voorbeeld 1's 1.100.000."""
    r = calculate_case(load_case(KV / "plankosten-gekoppeld.yaml"))
    plain = calculate_case(load_case(KV / "voorbeeld-1.yaml"))
    assert plain.exploitatiebijdrage == pytest.approx(1_100_000, abs=0.005)
    pk = r.to_dict()["plankostenscan"]
    assert pk["raming"] == 500_000 and pk["maximum"] == pytest.approx(VOORBEELD_A, abs=0.005)
    assert pk["overschrijdt"] is True and pk["overschrijding"] == pytest.approx(286_175.97, abs=0.005)
    assert pk["verhaalbaar"] == pytest.approx(VOORBEELD_A, abs=0.005)
    assert pk["scan"]["versie"] == "2024-01-01" and pk["scan"]["bijlage"] == "XXXIV" and pk["regel"] == "gemeente.kosten[0]"
    # the line's amount became the maximum; the A5 table and the exploitatiebijdrage follow
    a1 = next(k for k in r.inputs.partijen["gemeente"]["kosten"] if k["kostensoort"] == "A1")
    assert a1["bedrag"] == pytest.approx(VOORBEELD_A, abs=0.005) and a1["raming"] == 500_000
    assert r.row("Subtotaal investeringen gebiedseigen")["gemeente"] == pytest.approx(463_824.03, abs=0.005)
    assert r.exploitatiebijdrage == pytest.approx(813_824.03, abs=0.005)
    assert plain.exploitatiebijdrage - r.exploitatiebijdrage == pytest.approx(286_175.97, abs=0.005)
    assert r.macroaftopping == pytest.approx(0.0, abs=0.005)
    assert r.resultaat()["initiatiefnemer"] == pytest.approx(1_150_000 - 813_824.03, abs=0.005)
    assert r.resultaat()["gemeente"] == pytest.approx(0.0, abs=0.005)
    # the A5 table's explanation says so
    text = " ".join(r.a5_toelichting())
    assert "is hoger dan het maximum volgens de plankostenscan" in text and "€ 500.000" in text and "€ 213.824" in text
    assert "€ 286.176" in text and "niet worden verhaald" in text and "versie 2024-01-01" in text
    assert r.to_dict()["a5_toelichting"] == r.a5_toelichting()


def test_cap_under_the_macroaftopping_changes_what_is_recovered_per_category():
    """Voorbeeld 2 (cap 2.500.000 − 1.850.000 = 650.000) with the estimate capped at voorbeeld A's maximum. By hand:
    gemeente 463.824,03 recovered in full; bovenwijks 650.000 − 463.824,03 = 186.175,97 of 250.000; fysiek nothing.
    The exploitatiebijdrage stays 650.000 (the macroaftopping binds), what cannot be recovered drops from
    1.100.000 − 650.000 = 450.000 to 813.824,03 − 650.000 = 163.824,03."""
    plain = calculate_case(case_from_dict(_v("voorbeeld-2.yaml")))
    r = calculate_case(case_from_dict(_v("voorbeeld-2.yaml", {"inline": _scan("inbreiding-klein.yaml")})))
    assert plain.exploitatiebijdrage == pytest.approx(650_000) and plain.macroaftopping == pytest.approx(450_000)
    assert r.exploitatiebijdrage == pytest.approx(650_000, abs=0.005)
    assert r.macroaftopping == pytest.approx(163_824.03, abs=0.005)
    rec = [v["verhaald"] for v in r.volgordelijkheid()]
    assert rec == pytest.approx([463_824.03, 186_175.97, 0.0, 0.0], abs=0.005)


# ---------------------------------------------------------------------------------------------- below the cap
def test_estimate_below_the_cap_inline_is_unchanged():
    """Voorbeeld 1 linked (inline) to voorbeeld B (maximum € 1.605.717,03): the estimate of € 500.000 is kept and
    every figure equals voorbeeld 1 without a scan."""
    plain = calculate_case(load_case(KV / "voorbeeld-1.yaml"))
    r = calculate_case(case_from_dict(_v("voorbeeld-1.yaml", {"inline": _scan("uitleg-gemengd.yaml")})))
    assert r.a5_table() == plain.a5_table()
    assert r.exploitatiebijdrage == plain.exploitatiebijdrage == pytest.approx(1_100_000)
    pk = r.plankostenscan
    assert pk is not None and pk.toets.overschrijdt is False and pk.toets.niet_verhaalbaar == 0
    assert pk.toets.verhaalbaar == 500_000 and pk.toets.maximum == pytest.approx(VOORBEELD_B, abs=0.005)
    text = " ".join(r.a5_toelichting())
    assert "blijft binnen het maximum" in text and "verhaald wordt de raming, € 500.000" in text and "ingebed in het geval" in text
    assert "In tabel A5 tellen" not in text  # nothing replaced
    e = explain(r, "plankosten")
    assert e.waarde == 500_000 and "blijft" in e.toelichting[2] and "onder het maximum" in e.toelichting[2]


def test_zonder_tijdvak_case_with_a_xxxiva_scan():
    """The zonder-tijdvak example (A1 € 60.000) linked to voorbeeld C (bijlage XXXIVa, € 167.865,73): kept."""
    d = _v("zonder-tijdvak.yaml", {"bestand": str(SCANS / "zonder-tijdvak.yaml")})
    r = calculate_case(case_from_dict(d))
    assert r.plankostenscan.result.bijlage == "XXXIVa"
    assert r.plankostenscan.toets.maximum == pytest.approx(167_865.73, abs=0.005) and not r.plankostenscan.toets.overschrijdt
    assert r.to_dict()["kavels"] == calculate_case(load_case(KV / "zonder-tijdvak.yaml")).to_dict()["kavels"]


# ---------------------------------------------------------------------------------------------- version choice
def test_version_follows_the_case_peildatum_unless_the_scan_states_its_own():
    scan = _scan("inbreiding-klein.yaml")
    own = dict(scan)
    del scan["peildatum"]
    d = _v("plankosten-gekoppeld.yaml", {"inline": scan})
    d["peildatum"] = "2024-10-15"  # the 2024-10-01 tables are in force
    r = calculate_case(case_from_dict(d))
    assert r.plankostenscan.result.versie == "2024-10-01"
    want = calculate_plankosten(load_plankosten(SCANS / "inbreiding-klein.yaml").model_copy(update={"peildatum": dt.date(2024, 10, 15)}))
    assert r.plankostenscan.toets.maximum == want.totaal == pytest.approx(216_621.34, abs=0.005)
    assert "gekozen op de peildatum van het geval (2024-10-15)" in " ".join(r.a5_toelichting())
    assert any("Plankostenscan: Versie 2024-10-01" in n for n in r.notes)  # the scan's warnings reach the case
    d = _v("plankosten-gekoppeld.yaml", {"inline": own})  # the scan's own peildatum 2024-05-01
    d["peildatum"] = "2024-10-15"
    r = calculate_case(case_from_dict(d))
    assert r.plankostenscan.result.versie == "2024-01-01" and r.plankostenscan.toets.maximum == pytest.approx(VOORBEELD_A, abs=0.005)
    assert "de eigen peildatum van de scan (2024-05-01)" in " ".join(r.a5_toelichting())
    assert any("op de peildatum van het geval (2024-10-15) gold versie 2024-10-01" in n for n in r.notes)


# ---------------------------------------------------------------------------------------------- explanations
def test_plankosten_and_exploitatiebijdrage_explanations():
    r = calculate_case(load_case(KV / "plankosten-gekoppeld.yaml"))
    e = explain(r, "plankosten")
    assert e.waarde == pytest.approx(VOORBEELD_A, abs=0.005) and e.eenheid == "EUR"
    assert e.regel.function == "opengrex.engine.kostenverhaal.plankosten_begrensd" and "art. 13.2 lid 1 Omgevingsregeling" in e.regel.bron
    assert [i.waarde for i in e.invoer] == pytest.approx([500_000, VOORBEELD_A], abs=0.005)
    params = {p.naam: p for p in e.parameters}
    assert params["Versie van de plankostentabellen (Omgevingsregeling hoofdstuk 13)"].waarde == "2024-01-01"
    assert params["Maximaal verhaalbare plankosten (art. 13.2 lid 1)"].waarde == pytest.approx(VOORBEELD_A, abs=0.005)
    assert "versie 1 januari 2024" in params["Maximaal verhaalbare plankosten (art. 13.2 lid 1)"].bron
    assert "is hoger dan het maximum" in e.toelichting[0] and "Overschrijding: € 500.000 − € 213.824 = € 286.176" in e.toelichting[2]
    assert e.onderdelen[0].kengetal == "totaal" and e.onderdelen[0].waarde == pytest.approx(VOORBEELD_A, abs=0.005)  # the scan's own explanation
    x = explain(r, "exploitatiebijdrage")
    assert x.waarde == pytest.approx(813_824.03, abs=0.005)
    assert any("is hoger dan het maximum volgens de plankostenscan" in t for t in x.toelichting)
    assert "plankosten" in [o.kengetal for o in x.onderdelen]
    g = explain(r, "gebiedseigen").onderdelen[0]
    assert any("ten hoogste het maximum van de plankostenscan € 213.824" in t for t in g.toelichting) and g.onderdelen[0].kengetal == "plankosten"
    d = json.loads(json.dumps(e.to_dict(), default=str))
    assert d["regel"]["bron"].startswith("art. 13.2 lid 1 Omgevingsregeling")


def test_plankosten_explained_without_a_scan():
    r = calculate_case(load_case(KV / "voorbeeld-1.yaml"))
    e = explain(r, "plankosten")
    assert e.waarde == 500_000 and "Geen plankostenscan gekoppeld" in e.toelichting[0]
    assert r.a5_toelichting() == [] and r.to_dict()["plankostenscan"] is None


# ---------------------------------------------------------------------------------------------- bad links
def _bad(mutate, base: str = "plankosten-gekoppeld.yaml") -> InputError:
    d = _v(base)
    d["gemeente"]["kosten"][0]["plankostenscan"] = {"bestand": str(SCANS / "inbreiding-klein.yaml")}
    mutate(d)
    with pytest.raises(InputError) as exc:
        case_from_dict(d, base_dir=KV)
    return exc.value


def _fields(exc: InputError) -> list[str]:
    return [e.field for e in _errors(exc)]


def test_link_on_a_non_a1_line():
    def m(d):
        d["gemeente"]["kosten"][1]["plankostenscan"] = d["gemeente"]["kosten"][0].pop("plankostenscan")
    exc = _bad(m)
    assert _fields(exc) == ["gemeente.kosten[1].plankostenscan"]
    assert "kostensoort A1 (plankosten), niet bij A8" in str(exc) and "alleen bij de kostenregel A1 (plankosten) van de gemeente" in str(exc)


def test_link_on_the_initiatiefnemer():
    def m(d):
        d["initiatiefnemer"]["kosten"][0]["plankostenscan"] = d["gemeente"]["kosten"][0].pop("plankostenscan")
    exc = _bad(m)
    assert _fields(exc) == ["initiatiefnemer.kosten[0].plankostenscan"]
    assert "niet de kosten van de initiatiefnemer" in str(exc)


def test_two_scans():
    def m(d):
        d["gemeente"]["kosten"].append({"kostensoort": "A1", "omschrijving": "Plankosten 2", "bedrag": 1000,
                                        "plankostenscan": {"inline": _scan("uitleg-gemengd.yaml")}})
    exc = _bad(m)
    assert _fields(exc) == ["gemeente.kosten[2].plankostenscan"] and "ten hoogste één plankostenscan per geval" in str(exc)


def test_a_second_a1_line_of_the_gemeente_beside_the_linked_one():
    def m(d):
        d["gemeente"]["kosten"].append({"kostensoort": "A1", "omschrijving": "Plankosten extern", "bedrag": 1000})
    exc = _bad(m)
    assert _fields(exc) == ["gemeente.kosten[2].kostensoort"] and "begrenst alle plankosten (A1) van de gemeente" in str(exc)


def test_file_and_inline_both_or_neither():
    exc = _bad(lambda d: d["gemeente"]["kosten"][0]["plankostenscan"].update(inline=_scan("inbreiding-klein.yaml")))
    assert _fields(exc) == ["gemeente.kosten[0].plankostenscan"] and "precies één van 'bestand' en 'inline'" in str(exc)
    exc = _bad(lambda d: d["gemeente"]["kosten"][0].update(plankostenscan={}))
    assert _fields(exc) == ["gemeente.kosten[0].plankostenscan"]
    exc = _bad(lambda d: d["gemeente"]["kosten"][0].update(plankostenscan={"pad": "x.yaml"}))
    assert _fields(exc) == ["gemeente.kosten[0].plankostenscan.pad"]


def test_missing_file():
    exc = _bad(lambda d: d["gemeente"]["kosten"][0].update(plankostenscan={"bestand": "../plankosten/bestaat-niet.yaml"}))
    assert _fields(exc) == ["gemeente.kosten[0].plankostenscan.bestand"]
    assert "bestand niet gevonden" in str(exc) and "bestaat-niet.yaml" in str(exc)


def test_file_reference_from_the_web_is_refused_inline_is_accepted():
    d = _v("plankosten-gekoppeld.yaml")
    with no_file_references(), pytest.raises(InputError) as exc:
        case_from_dict(d, base_dir=KV)
    assert _fields(exc.value) == ["gemeente.kosten[0].plankostenscan.bestand"]
    assert "bestand op de server" in str(exc.value) and str(KV) not in str(exc.value)
    with no_file_references():
        r = calculate_case(case_from_dict(_v("voorbeeld-1.yaml", {"inline": _scan("inbreiding-klein.yaml")})))
    assert r.exploitatiebijdrage == pytest.approx(813_824.03, abs=0.005)


def test_invalid_scans_name_the_field_inside_the_scan():
    scan = _scan("inbreiding-klein.yaml")
    scan["producten"] = ["1.1"]  # a product of bijlage XXXIVa, not of XXXIV
    exc = _bad(lambda d: d["gemeente"]["kosten"][0].update(plankostenscan={"inline": scan}))
    assert _fields(exc) == ["gemeente.kosten[0].plankostenscan.inline.producten[0]"] and "ingebedde plankostenscan" in str(exc)
    exc = _bad(lambda d: d["gemeente"]["kosten"][0].update(plankostenscan={"bestand": str(KV / "voorbeeld-1.yaml")}))
    assert _fields(exc)[0] == "gemeente.kosten[0].plankostenscan.bestand" and "de plankostenscan is ongeldig (" in str(exc)


def test_scan_for_the_other_annex():
    exc = _bad(lambda d: d["gemeente"]["kosten"][0].update(plankostenscan={"inline": _scan("zonder-tijdvak.yaml")}))
    assert _fields(exc) == ["gemeente.kosten[0].plankostenscan.inline.tijdvak"]
    assert "bijlage XXXIVa" in str(exc) and "het geval is kostenverhaal met tijdvak" in str(exc)


def test_errors_in_a_case_file_name_file_line_and_field_and_the_cli_exits_2(tmp_path, capsys):
    text = (KV / "plankosten-gekoppeld.yaml").read_text(encoding="utf-8").replace("kostensoort: A1\n", "kostensoort: A10\n")
    f = tmp_path / "geval.yaml"
    f.write_text(text.replace("../plankosten/inbreiding-klein.yaml", str(SCANS / "inbreiding-klein.yaml")), encoding="utf-8")
    line = 1 + next(i for i, x in enumerate(text.splitlines()) if x.strip().startswith("plankostenscan:"))
    with pytest.raises(InputError) as exc:
        load_case(f)
    assert f"geval.yaml, regel {line}: veld 'gemeente.kosten[0].plankostenscan'" in str(exc.value)
    assert main(["kostenverhaal", "bereken", str(f)]) == 2
    assert "gemeente.kosten[0].plankostenscan" in capsys.readouterr().err.replace("\n", "")


# ---------------------------------------------------------------------------------------------- documents
def test_embedding_carries_the_scan_and_keeps_a_missing_peildatum_missing(tmp_path):
    scan = _scan("inbreiding-klein.yaml")
    del scan["peildatum"]
    (tmp_path / "scan.yaml").write_text(yaml.safe_dump(scan, allow_unicode=True), encoding="utf-8")
    d = _v("plankosten-gekoppeld.yaml", {"bestand": "scan.yaml"})
    (tmp_path / "geval.yaml").write_text(yaml.safe_dump(d, allow_unicode=True), encoding="utf-8")
    case = load_case(tmp_path / "geval.yaml")
    emb = case_to_dict(case, embed=True)
    inline = emb["gemeente"]["kosten"][0]["plankostenscan"]
    assert set(inline) == {"inline"} and "peildatum" not in inline["inline"] and inline["inline"]["producten"] == scan["producten"]
    assert str(tmp_path) not in json.dumps(emb)
    moved = case_from_dict(json.loads(json.dumps(emb)))
    assert calculate_case(moved).to_dict()["a5"] == calculate_case(case).to_dict()["a5"]
    assert case_to_dict(moved, embed=True) == emb  # idempotent
    assert plankostenscan_result(moved).totaal == pytest.approx(VOORBEELD_A, abs=0.005)


def test_redaction_walks_into_the_scan_and_leaves_it_whole():
    """The scan holds nothing confidential: the case's confidential fields are still only those of an embedded
    grex (its notes; tests/kostenverhaal/test_models.py), and a redacted case with an inline scan validates and
    calculates the same."""
    fields = confidential_fields(Case)
    assert fields and all(".grex.inline." in p for p in fields) and not [p for p in fields if "plankostenscan" in p]
    d = case_to_dict(load_case(KV / "plankosten-gekoppeld.yaml"), embed=True)
    out = redact(Case, copy.deepcopy(d))
    assert out == d
    assert calculate_case(case_from_dict(out)).exploitatiebijdrage == pytest.approx(813_824.03, abs=0.005)


# ---------------------------------------------------------------------------------------------- interfaces
def test_cli_prints_the_cap(capsys):
    assert main(["kostenverhaal", "bereken", str(KV / "plankosten-gekoppeld.yaml")]) == 0
    out = capsys.readouterr().out
    assert "getoetst aan de plankostenscan" in out and "€ 213.824,03" in out and "€ 286.175,97" in out
    assert "Toelichting bij tabel A5" in out and "is hoger dan het maximum" in out.replace("\n", " ")
    assert main(["kostenverhaal", "bereken", str(KV / "plankosten-gekoppeld.yaml"), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["plankostenscan"]["overschrijdt"] is True and d["exploitatiebijdrage"] == pytest.approx(813_824.03, abs=0.005)
    assert main(["kostenverhaal", "bereken", str(KV / "plankosten-gekoppeld.yaml"), "--verklaar", "plankosten"]) == 0
    assert "art. 13.2 lid 1 Omgevingsregeling" in capsys.readouterr().out


def test_excel_template_carries_the_link_by_file_and_embedded(tmp_path):
    case = load_case(KV / "plankosten-gekoppeld.yaml")
    case_to_template(case, tmp_path / "f.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "f.xlsx")["Kosten"]
    assert [c.value for c in ws[2]][:5] == ["partij", "kostensoort", "omschrijving", "bedrag", "plankostenscan"]
    assert case_to_dict(import_case_xlsx(tmp_path / "f.xlsx")) == case_to_dict(case)
    emb = case_from_dict(case_to_dict(case, embed=True))
    case_to_template(emb, tmp_path / "e.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "e.xlsx")
    row = next(r for r in range(3, 20) if wb["Kosten"].cell(r, 1).value == "gemeente" and wb["Kosten"].cell(r, 2).value == "A1")
    assert wb["Kosten"].cell(row, 5).value == "ingebed" and wb["Ingebed"]["A2"].value == "gemeente.kosten[0].plankostenscan"
    back = import_case_xlsx(tmp_path / "e.xlsx")
    assert case_to_dict(back) == case_to_dict(emb)
    assert calculate_case(back).exploitatiebijdrage == pytest.approx(813_824.03, abs=0.005)
    del wb["Ingebed"]
    wb.save(tmp_path / "zonder.xlsx")
    with pytest.raises(InputError) as exc:
        import_case_xlsx(tmp_path / "zonder.xlsx")
    assert f"blad Kosten, cel E{row}" in str(exc.value) and "ingebedde plankostenscan ontbreekt" in str(exc.value)


def test_excel_template_without_the_column_still_imports(tmp_path):
    """A workbook made before the column existed reads as before."""
    case = load_case(KV / "voorbeeld-3.yaml")
    case_to_template(case, tmp_path / "oud.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "oud.xlsx")
    wb["Kosten"].delete_cols(5)
    wb.save(tmp_path / "oud.xlsx")
    assert case_to_dict(import_case_xlsx(tmp_path / "oud.xlsx")) == case_to_dict(case)


def test_a5_export_has_the_cap_as_a_live_formula(tmp_path):
    r = calculate_case(load_case(KV / "plankosten-gekoppeld.yaml"))
    wb = openpyxl.load_workbook(write_case_xlsx(r, tmp_path / "a5.xlsx"))
    sheet, ref = wb.defined_names["PlankostenVerhaalbaar"].attr_text.split("!")
    cell = wb[sheet.strip("'")][ref.replace("$", "")]
    assert cell.value.startswith("=IF(D") and ",E" in cell.value
    raming = wb[sheet.strip("'")][wb.defined_names["PlankostenRaming"].attr_text.split("!")[1].replace("$", "")].value
    maximum = wb[sheet.strip("'")][wb.defined_names["PlankostenMaximum"].attr_text.split("!")[1].replace("$", "")].value
    # the estimate is live: a reference to the gemeente's A1 line on its input sheet (edit it there, the cap follows)
    assert raming == "=N('Gemeente kosten'!$C$3)"
    kosten = wb["Gemeente kosten"]
    assert kosten["A2"].value == "Kostensoort" and kosten["A3"].value == "A1" and kosten["C2"].value == "Bedrag (€)" and kosten["C3"].value == 500_000
    assert maximum == pytest.approx(VOORBEELD_A, abs=0.005)
    a5 = wb["A5"]
    texts = [str(c.value) for c in a5["A"] if c.value]
    assert "Toelichting bij tabel A5" in texts and any("is hoger dan het maximum volgens de plankostenscan" in t for t in texts)


# ---------------------------------------------------------------------------------------------- REST and page
@pytest.fixture
def client(tmp_path):
    from fastapi.testclient import TestClient

    from opengrex.web.app import create_app
    from opengrex.web.settings import Settings

    with TestClient(create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'app.db'}", auth=False))) as c:
        yield c


def test_rest_calculate_and_uitleg(client):
    data = _v("voorbeeld-1.yaml", {"inline": _scan("inbreiding-klein.yaml")})
    r = client.post("/api/kostenverhaal/calculate", json=data)
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["plankostenscan"]["overschrijdt"] is True and d["plankostenscan"]["maximum"] == pytest.approx(VOORBEELD_A, abs=0.005)
    assert d["exploitatiebijdrage"] == pytest.approx(813_824.03, abs=0.005) and "is hoger dan het maximum" in d["a5_toelichting"][0]
    u = client.post("/api/kostenverhaal/uitleg", params={"kengetal": "plankosten"}, json=data)
    assert u.status_code == 200 and u.json()["regel"]["functie"] == "opengrex.engine.kostenverhaal.plankosten_begrensd"
    bad = _v("voorbeeld-1.yaml", {"bestand": str(SCANS / "inbreiding-klein.yaml")})
    r = client.post("/api/kostenverhaal/calculate", json=bad)
    assert r.status_code == 422 and r.json()["detail"]["field"] == "gemeente.kosten[0].plankostenscan.bestand"
    assert "bestand op de server" in r.text


def test_page_shows_the_explanation_and_links_to_the_scan(client):
    doc = client.post("/api/kostenverhaal", json={"data": _v("voorbeeld-1.yaml", {"inline": _scan("inbreiding-klein.yaml")})})
    assert doc.status_code == 201, doc.text
    n = doc.json()["id"]
    html = client.get(f"/kostenverhaal/{n}").text
    assert 'id="a5-toelichting"' in html and "is hoger dan het maximum volgens de plankostenscan" in html
    assert f'href="/kostenverhaal/{n}/plankostenscan"' in html and 'id="kengetal-plankosten"' in html
    scan = client.get(f"/kostenverhaal/{n}/plankostenscan")
    assert scan.status_code == 200
    assert "Maximaal verhaalbare plankosten: € 213.824,03" in re.sub(r"<[^>]+>", "", scan.text) and f'href="/kostenverhaal/{n}"' in scan.text
    assert 'value="0,8"' in scan.text  # the form is filled with the scan (oppervlakte 0,8 ha)
    plain = client.post("/api/kostenverhaal", json={"data": _v("voorbeeld-1.yaml")}).json()["id"]
    assert 'id="a5-toelichting"' not in client.get(f"/kostenverhaal/{plain}").text
    assert client.get(f"/kostenverhaal/{plain}/plankostenscan").status_code == 404
