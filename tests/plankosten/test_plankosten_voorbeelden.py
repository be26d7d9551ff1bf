"""Worked plans computed BY HAND from the tables (the numbers below are typed from the Omgevingsregeling's tables, each
with its table and row; none is taken from the engine) and reproduced by the engine to the cent.

A: small binnenstedelijke inbreiding, met tijdvak (2024-01-01); B: mixed uitleg, met tijdvak (2024-01-01);
C: zonder tijdvak (XXXIVa, 2024-01-01); D: herstructurering with sloop, partieel ophogen, bouw- en woonrijp, Europese
aanbesteding (2024-10-01); E: one home with sloop under art. 13.5 (XXXIVa, 2024-01-01); F: plan A under the 2026 tables.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from opengrex.services.plankosten import calculate_plankosten, load_plankosten

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "plankosten"

# tabel 3, 1 januari 2024 tot 1 oktober 2024
T24 = {"1": 149, "2": 149, "3": 149, "4": 149, "5": 118, "6": 130, "7a": 169, "7b": 118, "8": 149, "9": 149, "10": 149, "11": 118, "12": 106, "13": 130, "14": 106}
# tabel 3, 1 oktober 2024 tot 1 januari 2025
T2410 = {"1": 151, "2": 151, "3": 151, "4": 151, "5": 119, "6": 132, "7a": 171, "7b": 119, "8": 151, "9": 151, "10": 151, "11": 119, "12": 107, "13": 132, "14": 107}
# tabel 3, versie 1 juli 2026
T26 = {"1": 158, "2": 158, "3": 158, "4": 158, "5": 124, "6": 138, "7a": 179, "7b": 124, "8": 158, "9": 158, "10": 158, "11": 124, "12": 112, "13": 138, "14": 112}


def _run(name: str):
    return calculate_plankosten(load_plankosten(EXAMPLES / f"{name}.yaml"))


def _products(res) -> dict[str, float]:
    return {p["product"]: p["bedrag"] for p in res.producten()}


def test_a_kleine_binnenstedelijke_inbreiding_2024():
    t = T24
    # factors: I binnenstedelijk 50, II 0, III 0, IV alleen woningbouw 0, V bodemsanering 20, VI 40 won / 0,8 ha = 50/ha -> -100
    alg = (50 + 0 + 0 + 0 + 20) / 5 / 100  # 14%
    sb = (50 + 0 + 20 - 100) / 4 / 100  # -7,5%
    # 1.1a: tabel 2, band 0,5-1 ha: kolom 2 = 200, kolom 3 = 75
    p11a = (200 * t["3"] + 0.075 * 200 * t["7a"] + 0.10 * 200 * t["2"] + 0.01 * 200 * t["8"] + 0.10 * 200 * t["4"] + 0.05 * 200 * t["6"]
            + 75 * t["1"] + 0.10 * 75 * t["7a"]) * (1 + alg)
    # 1.2: 40 gebouwen x 2,5 uur = 100 uur; PM 15%, PE 10%, comm 7,5%, CT 10%, LM 1%
    p12 = (100 * t["2"] + 15 * t["7a"] + 10 * t["8"] + 7.5 * t["6"] + 10 * t["9"] + 1 * t["5"]) * (1 + sb)
    # 1.3: 40 x 1 uur; PM 10%, PE 2,5%, LM 1%; geen factor
    p13 = 40 * t["2"] + 4 * t["7a"] + 1 * t["8"] + 0.4 * t["5"]
    # 2.1 onafhankelijke taxatie: 2 onbebouwd x 1 + 4 bebouwd x 2 + 16 begeleiding = 26 uur >= 20; PM 5%, LM 1%
    p21 = 2 * t["1"] + 8 * t["1"] + 16 * t["8"] + 1.3 * t["7a"] + 0.26 * t["5"]
    # 2.5: 2.000 m2 verharding x 1,5/100 m2 = 30 uur; 1.000 m2 groen x 1/100 m2 = 10 uur; PM 5%, PE 2,5%, LM 1%, comm 5%
    p25 = 30 * t["2"] + 10 * t["9"] + 2 * t["7a"] + 1 * t["8"] + 0.4 * t["5"] + 2 * t["6"]
    # 2.7: looptijd 5 + historisch 2 (factor 14% <= 30%, art. 13.3) = 7 jaar; PM 30, PE 64 uur per jaar
    p27 = (7 * 30 * t["7a"] + 7 * 64 * t["8"]) * (1 + alg)
    res = _run("inbreiding-klein")
    got = _products(res)
    for code, want in (("1.1a", p11a), ("1.2", p12), ("1.3", p13), ("2.1", p21), ("2.5", p25), ("2.7", p27)):
        assert got[code] == pytest.approx(want, abs=0.005), code
    assert res.totaal == pytest.approx(p11a + p12 + p13 + p21 + p25 + p27, abs=0.005)
    assert round(res.totaal, 2) == 213_824.03
    assert res.factor("algemeen") == pytest.approx(alg) and res.factor("stedenbouw") == pytest.approx(sb)


def test_b_gemengde_uitleg_2024():
    t = T24
    # I uitleg 0; II 0; III 1 bekrachtiging 10; IV woningbouw + winkel/kantoor + onderwijs: 10 + 10 + 25 = 45; V hoogste (m.e.r. 50, archeologie 30) = 50
    alg = (0 + 0 + 10 + 45 + 50) / 5 / 100  # 21%
    # VI: 250 + (5.000 + 3.000 m2 bvo) / 100 = 330 weq / 12 ha = 27,5 -> 0
    sb = (0 + 0 + 50 + 0) / 4 / 100  # 12,5%
    # 1.1a: tabel 2, band 10-15 ha: 500 / 188
    p11a = (500 * t["3"] + 37.5 * t["7a"] + 50 * t["2"] + 5 * t["8"] + 50 * t["4"] + 25 * t["6"] + 188 * t["1"] + 18.8 * t["7a"]) * (1 + alg)
    # 1.2: 250 x 2,5 + (6.000 + 10.000 m2 grond)/100 x 0,5 + opslag 40 = 625 + 80 + 40 = 745 uur
    p12 = (745 * t["2"] + 0.15 * 745 * t["7a"] + 0.10 * 745 * t["8"] + 0.075 * 745 * t["6"] + 0.10 * 745 * t["9"] + 0.01 * 745 * t["5"]) * (1 + sb)
    # 1.3: 250 x 1 + 160 x 0,25 + 40 = 330 uur
    p13 = 330 * t["2"] + 0.10 * 330 * t["7a"] + 0.025 * 330 * t["8"] + 0.01 * 330 * t["5"]
    # 2.1 WOZ: 15 percelen x 0,25 = 3,75 uur (TG 1 en 8); PM 5%, LM 1%; 1 hertaxatie = nogmaals 100%
    p21 = 2 * (3.75 * t["1"] + 0.1875 * t["7a"] + 0.0375 * t["5"])
    # 2.2: 2 onbebouwd x 24 + 1 woning x 48 = 96 uur; PM 10%, PE 5%, LM 1%
    p22 = 96 * t["1"] + 9.6 * t["7a"] + 4.8 * t["8"] + 0.96 * t["5"]
    # 2.3: 134 + 50 = 184 uur; PM 10%, PE 5%, LM 1%; advocaat EUR 38.056 per gerechtelijke procedure
    p23 = 184 * t["1"] + 18.4 * t["7a"] + 9.2 * t["8"] + 1.84 * t["5"] + 38_056
    # 2.5: 28.000 m2 x 1,5/100 = 420; 20.000 m2 x 1/100 = 200; 620 uur; PM 5, PE 2,5, LM 1, comm 5%
    p25 = 620 * t["2"] + 31 * t["7a"] + 15.5 * t["8"] + 6.2 * t["5"] + 31 * t["6"]
    # 2.6d: tabel 8: 12 ha / 2,5 = 4,8 deelgebieden (openbaar 40% -> factor 1,00); uitleg: 2 bestekken per deelgebied = 9,6;
    # 24 weken per bestek = 230,4 weken; 1 openbare aanbesteding -> factor 1
    p26d = (4.8 * 160 * t["10"] + 12 * 7.5 * t["10"] + 9.6 * 40 * t["11"] + 9.6 * 24 * t["12"] + 230.4 * 5 * t["13"] + 230.4 * 10 * t["14"]
            + 4.8 * 24 * t["9"] + 9.6 * 16 * t["9"] + 230.4 * 1 * t["9"]) * (1 + alg)
    # 2.7: 10 + 2 = 12 jaar
    p27 = (12 * 30 * t["7a"] + 12 * 64 * t["8"]) * (1 + alg)
    res = _run("uitleg-gemengd")
    got = _products(res)
    for code, want in (("1.1a", p11a), ("1.2", p12), ("1.3", p13), ("2.1", p21), ("2.2", p22), ("2.3", p23), ("2.5", p25), ("2.6d", p26d), ("2.7", p27)):
        assert got[code] == pytest.approx(want, abs=0.005), code
    assert round(res.totaal, 2) == 1_605_717.03


def test_c_zonder_tijdvak_2024():
    t = T24
    # I inbreiding 25; V archeologie 30; VI 30 won / 2 ha = 15 -> 0
    alg = (25 + 0 + 0 + 0 + 30) / 5 / 100  # 11%
    sb = (25 + 0 + 30 + 0) / 4 / 100  # 13,75%
    # XXXIVa 1.1 scenario < 5 ha met stedenbouwkundig plan: 56 uur (TG 2, 3, 9); PM 10%, LM 1%
    p11 = (56 * 149 + 5.6 * t["7a"] + 0.56 * t["5"]) * (1 + alg)
    # XXXIVa 1.2: tabel 2 (XXXIVa), band 1-3 ha: 200 / 113
    p12 = (200 * t["3"] + 15 * t["7a"] + 20 * t["2"] + 2 * t["8"] + 20 * t["4"] + 10 * t["6"] + 113 * t["8"] + 11.3 * t["7a"]) * (1 + alg)
    # XXXIVa 1.3 stedenbouwkundig plan: 30 x 1,5 = 45 uur
    p13 = (45 * t["2"] + 6.75 * t["7a"] + 4.5 * t["8"] + 3.375 * t["6"] + 4.5 * t["9"] + 0.45 * t["5"]) * (1 + sb)
    # XXXIVa 2.1 WOZ (2024: tariefgroep 8): 8 x 0,25 = 2 uur; PM 5%, LM 1%
    p21 = 2 * t["8"] + 0.1 * t["7a"] + 0.02 * t["5"]
    # 2.7: 3 + 2 = 5 jaar
    p27 = (5 * 30 * t["7a"] + 5 * 64 * t["8"]) * (1 + alg)
    res = _run("zonder-tijdvak")
    got = _products(res)
    for code, want in (("1.1", p11), ("1.2", p12), ("1.3", p13), ("2.1", p21), ("2.7", p27)):
        assert got[code] == pytest.approx(want, abs=0.005), code
    assert res.bijlage == "XXXIVa"
    assert round(res.totaal, 2) == 167_865.73


def test_d_sloop_partieel_ophogen_bouwrijp_2024_10():
    t = T2410
    # I uitbreiding 0; II herstructurering 150; III 0; IV woningbouw + commercieel: 10 + 10 = 20; V bodemsanering 20
    alg = (0 + 150 + 0 + 20 + 20) / 5 / 100  # 38%
    aanb = 1 + 0.33 * (2 - 1)  # tabel 6 (2024): Europees, 2 aanbestedingen -> 1,33
    typ = 1 - 0.5 * 0.20  # 20% agrarische bedrijfsgebouwen en kassen
    asb = 1 + 12 / 100  # 12,4% asbest, afgerond op gehele getallen
    weken = 30_000 / 300 * 8 / 40  # 20 weken
    # 2.6a (2025-tekst): bestek-rijen x aanbestedingsvorm; weekrijen directie/toezicht x alle drie; PL uitvoering x type x asbest
    p26a = (2 * 12 * aanb * t["11"] + weken * 1 * aanb * typ * asb * t["13"] + weken * 4 * aanb * typ * asb * t["14"]
            + 2 * 4 * aanb * t["9"] + weken * 0.25 * typ * asb * t["9"]) * (1 + alg)
    # 2.6c partieel = percentages van integraal ophogen (4 ha, tabel 7 band 0-10: bestek 12.844, rapportage 6.422)
    veld = max(2569 * 4, 5137)
    inmeten = max(642 * 4, 1285)
    monitoren = max(1606 * 4, 3211) * 2
    ow = 100_000 / 5000  # 20 weken aanbreng- en verwijdertijd
    p26c = 1.5 * 12_844 + 1.0 * 6_422 + 0.35 * veld + 0.35 * inmeten + 0.35 * ow * 4 * t["13"] + 0.35 * ow * 4 * t["14"] + 0.35 * monitoren
    # 2.6d: openbaar gebied 2,7 / 6 = 45% -> tabel 8 factor 1,05; 6 / 2,5 x 1,05 = 2,52 deelgebieden; uitbreiding: 2 bestekken -> 5,04;
    # 24 weken per bestek -> 120,96 weken; tekenen één keer (24 uur, TG 12)
    n, b, w = 6 / 2.5 * 1.05, 6 / 2.5 * 1.05 * 2, 6 / 2.5 * 1.05 * 2 * 24
    p26d = (n * 160 * t["10"] + 6 * 7.5 * t["10"] + b * 40 * aanb * t["11"] + b * 24 * aanb * t["12"] + w * 5 * aanb * t["13"] + w * 10 * aanb * t["14"]
            + n * 24 * t["9"] + b * 16 * aanb * t["9"] + w * 1 * t["9"]) * (1 + alg)
    # 2.7: factor 38% ligt tussen 30% en 50% -> historisch 3 jaar; looptijd 4 + 3 = 7; assistentie: 100% + 38% > 130%
    p27 = (7 * 30 * t["7a"] + 7 * 100 * t["7b"] + 7 * 64 * t["8"]) * (1 + alg)
    res = _run("sloop-ophogen-2024-10")
    got = _products(res)
    assert res.versie == "2024-10-01"
    for code, want in (("2.6a", p26a), ("2.6c", p26c), ("2.6d", p26d), ("2.7", p27)):
        assert got[code] == pytest.approx(want, abs=0.005), code
    assert res.totaal == pytest.approx(p26a + p26c + p26d + p27, abs=0.005)
    ids = {x["id"] for x in res.interpretaties() if not x["geverifieerd"]}
    assert {"tekenen-dubbel", "aanbestedingsvorm-ontbreekt", "pma-drempel-130"} <= ids


def test_e_kleine_bouwactiviteit_art_13_5():
    t = T24
    # art. 13.5 lid 1 onder b: EUR 10.125 (2024); lid 2: plus XXXIVa 2.6a slopen; factor 0 (uitbreiding, alleen woningbouw, 10 won/ha)
    weken = 1500 / 300 * 8 / 40  # 1 week
    typ = 1 - 0.5 * 1.0  # 100% agrarisch -> 0,5
    p26a = 1 * 12 * 1 * t["11"] + weken * 1 * typ * t["13"] + weken * 4 * typ * t["14"] + 1 * 4 * typ * t["9"] + weken * 0.25 * typ * t["9"]
    res = _run("kleine-bouwactiviteit")
    assert res.vast_bedrag == 10_125
    assert _products(res)["2.6a"] == pytest.approx(p26a, abs=0.005)
    assert res.totaal == pytest.approx(10_125 + p26a, abs=0.005)


def test_f_inbreiding_onder_de_tabellen_van_2026():
    t = T26
    # invloedsfactoren (opgeteld): I binnenstedelijk 10, II 0, III 0, IV één functie 0, V bodemsanering 4, VI 50 weq/ha -> -10
    i_v = (10 + 0 + 0 + 0 + 4) / 100  # rijen "I t/m V" en "I, II, IV en V": 14%
    sbp = (10 + 0 + 0 + 4 - 10) / 100  # rij 1.2 "I, II, IV, V en VI": 4%
    # tabel 8, 40 weq (band 25-50): 1.1 -> 13 weken, 1.2 -> 10, 1.3 -> 10, 2.2 -> 8; tabel 9 uren per week
    p11a = (200 * t["3"] + 13 * 1.5 * t["7a"] + 13 * 2 * t["2"] + 13 * 0.25 * t["8"] + 13 * 2 * t["4"] + 13 * 1 * t["6"] + 75 * t["1"] + 7.5 * t["7a"]) * (1 + i_v)
    # tabel 10 (< 50 woonfuncties): 5 uur sbp, 2 uur bkp
    p12 = (40 * 5 * t["2"] + 10 * 6 * t["7a"] + 10 * 4 * t["8"] + 10 * 2 * t["6"] + 10 * 4 * t["9"] + 10 * 0.5 * t["5"]) * (1 + sbp)
    p13 = 40 * 2 * t["2"] + 10 * 2.5 * t["7a"] + 10 * 0.75 * t["8"] + 10 * 0.1 * t["5"]  # invloedsfactor IV = 0
    p21a = 2 * t["1"] + 8 * t["1"] + 16 * t["8"] + 1.3 * t["7a"] + 0.26 * t["5"]
    # 2.2: verharding 20 x 2 uur, groen 10 x 1 uur; begeleiding 8 weken x tabel 9 kolom 2.2
    p22 = (40 * t["2"] + 10 * t["9"] + 8 * 2.5 * t["7a"] + 8 * 1.25 * t["8"] + 8 * 0.25 * t["5"] + 8 * 2.5 * t["6"]) * (1 + i_v)
    # 2.4: verantwoording: looptijd 5 + 2 (som 14% <= 30%) = 7 jaar, tabel 12 (< 1 ha) PM 25, tabel 13 PE 40;
    # aansturing: 5 jaar, tabel 14 (< 1 ha) PM 42, PMA 21, PE 21, SB 21, CT 21
    p24 = (7 * 25 * t["7a"] + 7 * 40 * t["8"] + 5 * 42 * t["7a"] + 5 * 21 * t["7b"] + 5 * 21 * t["8"] + 5 * 21 * t["2"] + 5 * 21 * t["9"]) * (1 + i_v)
    res = _run("inbreiding-klein-2026")
    got = _products(res)
    assert res.params.methode == "2026_07"
    for code, want in (("1.1a", p11a), ("1.2", p12), ("1.3", p13), ("2.1a", p21a), ("2.2", p22), ("2.4", p24)):
        assert got[code] == pytest.approx(want, abs=0.005), code
    assert res.totaal == pytest.approx(p11a + p12 + p13 + p21a + p22 + p24, abs=0.005)
