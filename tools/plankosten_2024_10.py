"""Derive parameters/plankosten/2024-10-01.yaml from 2024-01-01.yaml: every change is one explicit, counted edit,
each read in the Omgevingsregeling text with tariffs 'van 1 oktober 2024 tot 1 januari 2025' (Apolloccrypt/wetgeving-nl
nl/BWBR0045528.md @ 1eb71f570c3b5ed8ac0a13bb3c29eb8a4ebcea4a: bijlage XXXIV copies with links z=2025-01-01 (~3.853.500)
and z=2025-06-09 (~4.355.000), bijlage XXXIVa copies z=2025-01-01 (~4.318.000) and z=2025-06-09 (~4.399.500),
hoofdstuk 13 z=2025-06-09 (~786.500)). Run: python tools/plankosten_2024_10.py (rewrites the file)."""
from pathlib import Path

DIR = Path(__file__).resolve().parents[1] / "src" / "opengrex" / "parameters" / "plankosten"
src = (DIR / "2024-01-01.yaml").read_text(encoding="utf-8")


def edit(old: str, new: str, count: int = 1) -> None:
    global src
    n = src.count(old)
    if n != count:
        raise SystemExit(f"expected {count}x, found {n}x: {old[:90]!r}")
    src = src.replace(old, new)


# ---- header, metadata
head_old = src[: src.index("description:")]
edit(head_old, """# Plankosten: het ten hoogste te verhalen bedrag aan plankosten (Omgevingsregeling hoofdstuk 13, bijlagen XXXIV en
# XXXIVa), versie met de tarieven "van 1 oktober 2024 tot 1 januari 2025"; deze tekst gold ook nog op 9 juni 2025.
#
# Afgeleid van 2024-01-01.yaml door tools/plankosten_2024_10.py: elke wijziging is daar één benoemde bewerking.
# Gelezen in de Markdown-spiegel Apolloccrypt/wetgeving-nl, nl/BWBR0045528.md @ 1eb71f570c3b5ed8ac0a13bb3c29eb8a4ebcea4a:
# bijlage XXXIV (kopie met links z=2025-01-01 vanaf teken ~3.853.500 en een gelijke kopie z=2025-06-09 vanaf ~4.355.000),
# bijlage XXXIVa (kopie z=2025-01-01 vanaf ~4.318.000, gelijke kopie z=2025-06-09 vanaf ~4.399.500), hoofdstuk 13
# (links z=2025-06-09, vanaf ~786.500). Tabelnummers volgen de volgorde en de verwijzingen (de spiegel laat de
# koppen weg). Controleer tegen de officiële tekst vóór gebruik in een besluit.
#
# Percentages staan zoals in de regeling (7,5 = 7,5%); bedragen in euro exclusief btw.
""")
edit("geldig_vanaf: 2024-01-01", "geldig_vanaf: 2024-10-01")
edit("""    title: Omgevingsregeling (BWBR0045528), hoofdstuk 13 en bijlagen XXXIV en XXXIVa, versie 1 januari 2024
    href: https://wetten.overheid.nl/BWBR0045528/2024-01-01
    spiegel: legalize-dev/legalize-nl nl/BWBR0045528.md @ 4c6912a8c818148f337d2cb27219f7cf3c998b34 (interne links z=2024-01-01)
  tarieven_geldig_tot: 2024-10-01
  tarieven_geldigheid_bron: "bijlagen XXXIV en XXXIVa, tabel 3, kop: '€ per uur van 1 januari 2024 tot 1 oktober 2024'\"""",
     """    title: Omgevingsregeling (BWBR0045528), hoofdstuk 13 en bijlagen XXXIV en XXXIVa, versie met tarieven van 1 oktober 2024 (tekst geldend op 1 januari en 9 juni 2025)
    href: https://wetten.overheid.nl/BWBR0045528/2025-01-01
    spiegel: Apolloccrypt/wetgeving-nl nl/BWBR0045528.md @ 1eb71f570c3b5ed8ac0a13bb3c29eb8a4ebcea4a (interne links z=2025-01-01 en z=2025-06-09)
  tarieven_geldig_tot: 2025-01-01
  tarieven_geldigheid_bron: "bijlagen XXXIV en XXXIVa, tabel 3, kop: '€ per uur van 1 oktober 2024 tot 1 januari 2025'; in de tekst van 9 juni 2025 staat nog dezelfde tabel"
  waarschuwing: "De datum waarop de wijzigingen buiten de tarieven ingingen (afzonderlijke rij Tekenen, verrekenfactoren per sloopregel, minima per plan, 'per woonfunctie') is in de bronnen niet te zien; deze versie volgt de tekst met de tarieven van 1 oktober 2024 vanaf die datum.\"""")

# ---- art. 13.5 (hoofdstuk 13, z=2025-06-09)
edit("bedragen: {a: 7623, b: 10125, c: 12045}", "bedragen: {a: 7718, b: 10252, c: 12196}")

# ---- tabel 3
edit("tabel 3 (€ per uur van 1 januari 2024 tot 1 oktober 2024; Schaal CAR UWO); in beide bijlagen gelijk",
     "tabel 3 (€ per uur van 1 oktober 2024 tot 1 januari 2025; Salarisschaal Cao Gemeenten); in beide bijlagen gelijk")
for old, new in (('"1", deskundigheid: Jurist Grondzaken, euro_per_uur: 149', '"1", deskundigheid: Grondzaken, euro_per_uur: 151'),
                 ('"2", deskundigheid: Stedenbouw, euro_per_uur: 149', '"2", deskundigheid: Stedenbouw, euro_per_uur: 151'),
                 ('"3", deskundigheid: Jurist Omgevingsrecht, euro_per_uur: 149', '"3", deskundigheid: Omgevingsrecht, euro_per_uur: 151'),
                 ('"4", deskundigheid: Beleidsmedewerkers, euro_per_uur: 149', '"4", deskundigheid: Beleidsafdelingen, euro_per_uur: 151'),
                 ('Landmeten/vastgoedinformatie, euro_per_uur: 118', 'Landmeten/vastgoedinformatie, euro_per_uur: 119'),
                 ('Communicatie, euro_per_uur: 130', 'Communicatie, euro_per_uur: 132'),
                 ('Projectmanagement, euro_per_uur: 169', 'Projectmanagement, euro_per_uur: 171'),
                 ('Projectmanagementassistent, euro_per_uur: 118', 'Projectmanagementassistentie, euro_per_uur: 119'),
                 ('Planeconomie, euro_per_uur: 149', 'Planeconomie, euro_per_uur: 151'),
                 ('Civieltechnisch projectleiden, euro_per_uur: 149', 'Civieltechnisch projectleiden, euro_per_uur: 151'),
                 ('Civieltechnisch ontwerpen, euro_per_uur: 149', 'Civieltechnisch ontwerpen, euro_per_uur: 151'),
                 ('Bestek schrijven/calculeren, euro_per_uur: 118', 'Bestek schrijven/calculeren, euro_per_uur: 119'),
                 ('Tekenen, euro_per_uur: 106', 'Tekenen, euro_per_uur: 107'),
                 ('Directievoeren, euro_per_uur: 130', 'Directievoeren, euro_per_uur: 132'),
                 ('Toezichthouden, euro_per_uur: 106', 'Toezichthouden, euro_per_uur: 107')):
    edit(old, new)

# ---- interpretations: drop those the 2025 text settles, add the new ones
def drop_interpretation(ident: str) -> None:
    global src
    start = src.index(f"  - id: {ident}\n")
    nxt = [i for i in (src.find("\n  - id: ", start + 1), src.find("\n\nbijlagen:", start + 1)) if i >= 0]
    end = min(nxt) + 1
    src = src[:start] + src[end:]


for ident in ("ophogen-minimum-tabel1", "partieel-minimum-per-hectare", "partieel-eigen-onderdeel", "sloop-bestekken-xxxiva", "hertaxatie-tariefgroep-xxxiva"):
    drop_interpretation(ident)
edit("""    vraag: "Rij 2.6b monitoren: € 1.586 'per jaar zettingstijd per hectare', 'Het minimumbedrag is € 3.171 per hectare per jaar.' Letterlijk is het minimum per hectare hoger dan het tarief per hectare."
    gekozen: "minimum € 3.171 per jaar (voor het hele gebied): max(€ 1.586 × ha; € 3.171) × jaren"
    alternatief: "letterlijk € 3.171 per hectare per jaar\"""",
     """    vraag: "Rij 2.6b monitoren: € 1.606 'per jaar zettingstijd per hectare'; 'Het minimumbedrag is € 3.211,– per omgevingsplan, projectbesluit of omgevingsvergunning.' Geldt het minimum per jaar of voor de hele zettingstijd?"
    gekozen: "per jaar: max(€ 1.606 × ha; € 3.211) × jaren (€ 3.211 ≈ 2 ha × € 1.606, zoals de minima van veldonderzoek en inmeten 2 ha zijn)"
    alternatief: "max(€ 1.606 × ha × jaren; € 3.211)\"""")
edit("""    vraag: "Rijen 1.2 en 1.3: 'per gebouw met een woonfunctie'. Telt een appartementengebouw als één?\"""",
     """    vraag: "Bijlage XXXIV rij 1.3: 'per gebouw met een woonfunctie' (rij 1.2 en bijlage XXXIVa zeggen in deze versie 'per woonfunctie'). Telt een appartementengebouw als één?\"""")
edit("""  - id: deelgebieden-norm""", """  - id: tekenen-dubbel
    vraag: "Rij 2.6d (XXXIVa: 2.6c) 'Aanbesteden en gunnen: 40 uur bestek schrijven/calculeren en 24 uur tekenen' én een afzonderlijke rij 'Tekenen: 24 uur'. Tellen de 24 uur tekenen twee keer?"
    gekozen: "één keer: 40 uur tariefgroep 11 en 24 uur tariefgroep 12 per bestek (zoals bijlage XXXIVa van 2024 met twee aparte rijen)"
    alternatief: "twee keer (40 + 24 uur en nog eens 24 uur)"
    geverifieerd: false
  - id: aanbestedingsvorm-ontbreekt
    vraag: "Tabel 6 noemt de verrekenfactor aanbestedingsvorm, maar in deze versie staan alleen de drie formules (type, asbest, slopen); de waarden per aanbestedingsvorm ontbreken in beide spiegels."
    gekozen: "de waarden uit tabel 6 van de versie van 1 januari 2024 (1; +0,08 openbaar, +0,33 Europees per extra aanbesteding)"
    alternatief: "factor 1 (geen waarden), of waarden uit het rekenmodel van het ministerie"
    geverifieerd: false
  - id: deelgebieden-openbaar-gebied
    vraag: "Bijlage XXXIVa, tabel 8: 'Norm: 1 kostenverhaalsdeelgebied heeft 2 hectare openbaar gebied' plus de verhoging bij meer dan 40% openbaar gebied; bijlage XXXIV houdt 1 deelgebied per 2,5 ha kostenverhaalsgebied."
    gekozen: "XXXIVa: hectare openbaar gebied / 2 × verrekenfactor van tabel 8 (de rijen van 2.6c spreken van 'kostenverhaalsdeelgebied openbaar gebied')"
    alternatief: "zonder de verrekenfactor (het openbaar gebied telt al mee), of 1 per 2,5 ha kostenverhaalsgebied zoals bijlage XXXIV"
    geverifieerd: false
  - id: woonequivalent-bedrijven
    vraag: "Tabel 5 voetnoot 3: '1 woonequivalent gelijk staat aan 100 vierkante meter bruto vloeroppervlak of (XXXIV: en) 100 m2 uitgeefbare grond'."
    gekozen: "bedrijvigheid naar uitgeefbare grond, de andere functies naar bruto vloeroppervlak (zoals de rijen 1.2/1.3 'per 100 m2 uitgeefbare grond met een lichte industriefunctie en per 100 m2 bvo voor andere ...')"
    alternatief: "alle functies naar bruto vloeroppervlak"
    geverifieerd: false
  - id: deelgebieden-norm""")

# ---- bijlage XXXIV, tabel 1
edit('{id: 1.2.woonfuncties, product: "1.2", onderdeel: Per gebouw met een woonfunctie, grondslag: gebouwen_met_woonfunctie, uren: 2.5, tariefgroep: "2", factor: stedenbouw, interpretaties: [woonfunctie-telling], bron: "rij 1.2, Per gebouw met een woonfunctie"}',
     '{id: 1.2.woonfuncties, product: "1.2", onderdeel: Per woonfunctie, grondslag: woonfuncties, uren: 2.5, tariefgroep: "2", factor: stedenbouw, bron: "rij 1.2, Per woonfunctie"}')
edit('{id: 1.2.niet_wonen, product: "1.2", onderdeel: "Per 100 m2 grond waarop andere kostenverhaalsplichtige bouwactiviteiten dan woningbouw worden gerealiseerd", grondslag: grond_niet_wonen_100m2, uren: 0.5, tariefgroep: "2", factor: stedenbouw, bron: "rij 1.2, Per 100 m2 grond ... dan woningbouw"}',
     '{id: 1.2.niet_wonen, product: "1.2", onderdeel: "Per 100 m2 uitgeefbare grond met een lichte industriefunctie en per 100 m2 bvo voor andere bouwactiviteiten dan woningbouw", grondslag: niet_wonen_100m2, uren: 0.5, tariefgroep: "2", factor: stedenbouw, interpretaties: [woonequivalent-bedrijven], bron: "rij 1.2, Per 100 m2 uitgeefbare grond met een lichte industriefunctie en per 100 m2 bruto vloeroppervlak ..."}')
edit('{id: 1.3.niet_wonen, product: "1.3", onderdeel: "Per 100 m2 grond waarop andere kostenverhaalsplichtige bouwactiviteiten dan woningbouw worden gerealiseerd", grondslag: grond_niet_wonen_100m2, uren: 0.25, tariefgroep: "2", factor: geen, bron: "rij 1.3, Per 100 m2 grond ... dan woningbouw"}',
     '{id: 1.3.niet_wonen, product: "1.3", onderdeel: "Per 100 m2 uitgeefbare grond met een lichte industriefunctie en per 100 m2 bvo voor andere bouwactiviteiten dan woningbouw", grondslag: niet_wonen_100m2, uren: 0.25, tariefgroep: "2", factor: geen, interpretaties: [woonequivalent-bedrijven], bron: "rij 1.3, Per 100 m2 uitgeefbare grond met een lichte industriefunctie en per 100 m2 bvo ..."}')
edit("bedrag: 38056, factor: geen, bron: \"rij 2.3, Advocaatkosten: 'Vaste prijs van € 38.056 per gerechtelijke procedure'\"",
     "bedrag: 38532, factor: geen, bron: \"rij 2.3, Advocaatkosten: '€ 38.532,– per gerechtelijke procedure' (XXXIVa: 'Vaste prijs van € 38.532,– per gerechtelijke procedure')\"", 2)
# 2.6a slopen: per row its own verrekenfactoren (2025 text)
edit('grondslag: sloop_bestekken, uren: 12, vermenigvuldigers: [aanbestedingsvorm, sloop_type, sloop_asbest], tariefgroep: "11", factor: algemeen, interpretaties: [aanbestedingsvorm-tabel6], bron: "rij 2.6a, Voorbereiding, aanbesteding en gunning: 12 uren vermenigvuldigd met de verrekenfactor slopen uit tabel 6"}',
     'grondslag: sloop_bestekken, uren: 12, vermenigvuldigers: [aanbestedingsvorm], tariefgroep: "11", factor: algemeen, interpretaties: [aanbestedingsvorm-tabel6, aanbestedingsvorm-ontbreekt], bron: "rij 2.6a, Voorbereiding, aanbesteding en gunning: 12 uur vermenigvuldigd met de verrekenfactor aanbestedingsvorm uit tabel 6"}')
edit('interpretaties: [aanbestedingsvorm-tabel6], bron: "rij 2.6a, Directievoeren: 1 uur vermenigvuldigd met de verrekenfactor slopen"}',
     'interpretaties: [aanbestedingsvorm-tabel6, aanbestedingsvorm-ontbreekt], bron: "rij 2.6a, Directievoeren: 1 uur vermenigvuldigd met de verrekenfactoren aanbestedingsvorm, type te slopen onroerende zaak en aanwezigheid van asbest"}', 2)
edit('interpretaties: [aanbestedingsvorm-tabel6], bron: "rij 2.6a, Toezichthouden: 4 uur vermenigvuldigd met de verrekenfactor slopen"}',
     'interpretaties: [aanbestedingsvorm-tabel6, aanbestedingsvorm-ontbreekt], bron: "rij 2.6a, Toezichthouden: 4 uur vermenigvuldigd met de verrekenfactoren aanbestedingsvorm, type te slopen onroerende zaak en aanwezigheid asbest"}', 2)
edit('grondslag: sloop_bestekken, uren: 4, vermenigvuldigers: [aanbestedingsvorm, sloop_type, sloop_asbest], tariefgroep: "9", factor: algemeen, interpretaties: [aanbestedingsvorm-tabel6], bron: "rij 2.6a, Projectleiding: aanbesteding: 4 uur vermenigvuldigd met de verrekenfactor slopen"}',
     'grondslag: sloop_bestekken, uren: 4, vermenigvuldigers: [aanbestedingsvorm], tariefgroep: "9", factor: algemeen, interpretaties: [aanbestedingsvorm-tabel6, aanbestedingsvorm-ontbreekt], bron: "rij 2.6a, Projectleiding: aanbesteding: 4 uur vermenigvuldigd met de verrekenfactor aanbestedingsvorm"}')
edit('grondslag: sloop_weken, uren: 0.25, vermenigvuldigers: [aanbestedingsvorm, sloop_type, sloop_asbest], tariefgroep: "9", factor: algemeen, interpretaties: [aanbestedingsvorm-tabel6], bron: "rij 2.6a, Projectleiding: uitvoering werkzaamheden: 0,25 uur vermenigvuldigd met de verrekenfactor slopen"}',
     'grondslag: sloop_weken, uren: 0.25, vermenigvuldigers: [sloop_type, sloop_asbest], tariefgroep: "9", factor: algemeen, bron: "rij 2.6a, Projectleiding: begeleiding werkzaamheden tijdens de uitvoering: 0,25 uur vermenigvuldigd met de verrekenfactoren type te slopen onroerende zaak en aanwezigheid asbest (XXXIV: \'de verrekenfactor en type ...\'; XXXIVa noemt alleen type en asbest)"}', 2)
# 2.6b integraal ophogen (XXXIV) / ophogen (XXXIVa): minima in tabel 7 and per plan
edit('euro_uit: ophoog_bestek, minimum: 10900, factor: geen, interpretaties: [ophogen-minimum-tabel1, ophogen-deelgebieden], bron: "rij 2.6b, Bestek schrijven: zie tabel 7; \'Het minimumbedrag is € 10.900.\'"}',
     'euro_uit: ophoog_bestek, minimum_uit: ophoog_bestek_minimum, factor: geen, interpretaties: [ophogen-deelgebieden], bron: "rij 2.6b, Bestek schrijven: zie tabel 7; \'Het minimumbedrag is vermeld in tabel 7.\'"}', 2)
edit('euro_uit: ophoog_rapportage, minimum: 5450, factor: geen, interpretaties: [ophogen-minimum-tabel1, ophogen-deelgebieden], bron: "rij 2.6b, Rapportage: zie tabel 7; \'Het minimumbedrag is € 5.450.\'"}',
     'euro_uit: ophoog_rapportage, minimum_uit: ophoog_rapportage_minimum, factor: geen, interpretaties: [ophogen-deelgebieden], bron: "rij 2.6b, Rapportage: zie tabel 7; \'Het minimumbedrag is vermeld in tabel 7.\'"}', 2)
edit('grondslag: ophoog_ha, bedrag: 2537, minimum: 5074, factor: geen, bron: "rij 2.6b, Veldonderzoek: per hectare € 2.537; \'Het minimumbedrag is € 5.074.\'"}',
     'grondslag: ophoog_ha, bedrag: 2569, minimum: 5137, factor: geen, bron: "rij 2.6b, Veldonderzoek: per hectare € 2.569,–; \'Het minimumbedrag is € 5.137,– per omgevingsplan, projectbesluit of omgevingsvergunning ...\'"}')
edit('grondslag: ophoog_ha, bedrag: 2537, minimum: 5074, factor: geen, bron: "rij 2.6b, Veldonderzoek: per hectare € 2.537; \'Het minimumbedrag per hectare voor verharding op te hogen grond is € 5.074.\'"}',
     'grondslag: ophoog_ha, bedrag: 2569, minimum: 5137, factor: geen, bron: "rij 2.6b, Veldonderzoek: per hectare € 2.569,–; \'Het minimumbedrag is € 5.137,– per omgevingsplan, projectbesluit of omgevingsvergunning.\'"}')
edit('grondslag: ophoog_ha, bedrag: 634, minimum: 1269, factor: geen, bron: "rij 2.6b, Inmeten: per hectare € 634; \'Het minimumbedrag is € 1.269.\'"}',
     'grondslag: ophoog_ha, bedrag: 642, minimum: 1285, factor: geen, bron: "rij 2.6b, Inmeten: per hectare € 642,–; \'Het minimumbedrag is € 1.285,– per omgevingsplan, projectbesluit of omgevingsvergunning ...\'"}', 2)
edit('grondslag: ophoog_ha, bedrag: 1586, minimum: 3171, vermenigvuldigers: [zettingsjaren], factor: geen, interpretaties: [monitoren-minimum], bron: "rij 2.6b, Monitoren: € 1.586 per jaar zettingstijd per hectare; \'Het minimumbedrag is € 3.171 per hectare per jaar.\'"}',
     'grondslag: ophoog_ha, bedrag: 1606, minimum: 3211, vermenigvuldigers: [zettingsjaren], factor: geen, interpretaties: [monitoren-minimum], bron: "rij 2.6b, Monitoren: € 1.606,– per jaar zettingstijd per hectare; \'Het minimumbedrag is € 3.211,– per omgevingsplan, projectbesluit of omgevings-vergunning.\'"}')
edit('grondslag: ophoog_ha, bedrag: 1586, minimum: 3171, vermenigvuldigers: [zettingsjaren], factor: geen, interpretaties: [monitoren-minimum], bron: "rij 2.6b, Monitoren: € 1.586 per jaar per hectare; \'Het minimumbedrag is € 3.171.\'"}',
     'grondslag: ophoog_ha, bedrag: 1606, minimum: 3211, vermenigvuldigers: [zettingsjaren], factor: geen, interpretaties: [monitoren-minimum], bron: "rij 2.6b, Monitoren: € 1.606,– per jaar zettingstijd per hectare; \'Het minimumbedrag is € 3.211,– per omgevingsplan, projectbesluit of omgevingsvergunning.\'"}')
# 2.6c partieel ophogen (XXXIV only): minima as percentages of the integraal minima
edit('van_bedrag: [2.6b.bestek], percentage: 150, minimum: 16350, factor: geen, bron: "rij 2.6c, Bestek schrijven: 150% van de kosten van bestek bij integraal ophogen; minimum € 16.350"}',
     'van_bedrag: [2.6b.bestek], percentage: 150, minimum_percentage: 150, factor: geen, bron: "rij 2.6c, Bestek schrijven: 150% van de kosten van bestek bij integraal ophogen; minimum 150% van het minimum in tabel 7"}')
edit('van_bedrag: [2.6b.rapportage], percentage: 100, minimum: 5450, factor: geen, bron: "rij 2.6c, Rapportage: 100% van de kosten van rapportage bij integraal ophogen; minimum € 5.450"}',
     'van_bedrag: [2.6b.rapportage], percentage: 100, minimum_percentage: 100, factor: geen, bron: "rij 2.6c, Rapportage: 100% van de kosten van rapportage bij integraal ophogen; minimum 100% van het minimum in tabel 7"}')
edit('van_bedrag: [2.6b.veldonderzoek], percentage: 35, minimum: 1526, factor: geen, interpretaties: [partieel-eigen-onderdeel, partieel-minimum-per-hectare], bron: "rij 2.6c, Veldonderzoek: 35% van de kosten van veldonderzoek en inmeten bij integraal; minimum € 1.526 per hectare"}',
     'van_bedrag: [2.6b.veldonderzoek], percentage: 35, minimum_percentage: 35, factor: geen, bron: "rij 2.6c, Veldonderzoek: 35% van de kosten van veldonderzoek bij integraal ophogen; minimum 35% van het minimum bij integraal"}')
edit('van_bedrag: [2.6b.inmeten], percentage: 35, minimum: 382, factor: geen, interpretaties: [partieel-eigen-onderdeel, partieel-minimum-per-hectare], bron: "rij 2.6c, Inmeten: 35% van de kosten van veldonderzoek en inmeten bij integraal; minimum € 382 per hectare"}',
     'van_bedrag: [2.6b.inmeten], percentage: 35, minimum_percentage: 35, factor: geen, bron: "rij 2.6c, Inmeten: 35% van de kosten van inmeten bij integraal ophogen; minimum 35% van het minimum bij integraal"}')
edit('van_bedrag: [2.6b.monitoren], percentage: 35, minimum: 954, factor: geen, bron: "rij 2.6c, Monitoren: 35% van de kosten van monitoren bij integraal ophogen; minimum € 954"}',
     'van_bedrag: [2.6b.monitoren], percentage: 35, minimum_percentage: 35, factor: geen, bron: "rij 2.6c, Monitoren: 35% van de kosten van monitoren bij integraal ophogen; minimum 35% van het minimum bij integraal"}')
# 2.6d: Tekenen now its own row next to 'Aanbesteden en gunnen' (counted once)
edit('interpretaties: [aanbestedingsvorm-tabel6, deelgebieden-norm], bron: "rij 2.6d, Aanbesteden en gunnen: \'40 uur bestek schrijven/calculeren en 24 uur tekenen\', tariefgroepen 11 en 12"}',
     'interpretaties: [aanbestedingsvorm-tabel6, aanbestedingsvorm-ontbreekt, deelgebieden-norm, tekenen-dubbel], bron: "rij 2.6d, Aanbesteden en gunnen: \'40 uur bestek schrijven/calculeren en 24 uur tekenen\', tariefgroepen 11 en 12"}', 2)
edit('{id: 2.6d.tekenen, product: 2.6d, onderdeel: "Aanbesteden en gunnen: tekenen (per bestek)"', '{id: 2.6d.tekenen, product: 2.6d, onderdeel: "Tekenen (per bestek)"')
edit('interpretaties: [aanbestedingsvorm-tabel6, aanbestedingsvorm-ontbreekt, deelgebieden-norm, tekenen-dubbel], bron: "rij 2.6d, Aanbesteden en gunnen: \'40 uur bestek schrijven/calculeren en 24 uur tekenen\', tariefgroepen 11 en 12"}\n      - {id: 2.6d.directie',
     'interpretaties: [aanbestedingsvorm-tabel6, aanbestedingsvorm-ontbreekt, deelgebieden-norm, tekenen-dubbel], bron: "rij 2.6d, Tekenen: 24 uur vermenigvuldigd met de verrekenfactor aanbestedingsvorm uit tabel 6 (tariefgroep 12)"}\n      - {id: 2.6d.directie')
for row in ("2.6d.directie", "2.6d.toezicht", "2.6d.projectleiding_aanbesteding"):
    pass
edit('tariefgroep: "13", factor: algemeen, interpretaties: [aanbestedingsvorm-tabel6, deelgebieden-norm]', 'tariefgroep: "13", factor: algemeen, interpretaties: [aanbestedingsvorm-tabel6, aanbestedingsvorm-ontbreekt, deelgebieden-norm]')
edit('tariefgroep: "14", factor: algemeen, interpretaties: [aanbestedingsvorm-tabel6, deelgebieden-norm]', 'tariefgroep: "14", factor: algemeen, interpretaties: [aanbestedingsvorm-tabel6, aanbestedingsvorm-ontbreekt, deelgebieden-norm]')
edit('uren: 16, vermenigvuldigers: [aanbestedingsvorm], tariefgroep: "9", factor: algemeen, interpretaties: [aanbestedingsvorm-tabel6, deelgebieden-norm]', 'uren: 16, vermenigvuldigers: [aanbestedingsvorm], tariefgroep: "9", factor: algemeen, interpretaties: [aanbestedingsvorm-tabel6, aanbestedingsvorm-ontbreekt, deelgebieden-norm]')
edit("rij 2.7, Projectmanagementassistent: 100 uur per jaar; alleen als de complexiteitsfactor hoger is dan 130%", "rij 2.7, Projectmanagementassistent: 100 uur per jaar; alleen als de algemene complexiteitsfactor hoger is dan 130%")

# ---- bijlage XXXIV tables
edit("""        - {groter_dan: 0, label: "> 0 – 10 ha", bestek: {minimum: 12685, maximum: 12685, per_ha: 1275}, rapportage: {minimum: 6343, maximum: 6343, per_ha: 650}}
        - {groter_dan: 10, label: "> 10 – 15 ha", bestek: {minimum: 12685, maximum: 17213, per_ha: 1150}, rapportage: {minimum: 6343, maximum: 8775, per_ha: 600}}
        - {groter_dan: 15, label: "> 15 – 50 ha", bestek: {minimum: 17213, maximum: 47813, per_ha: 975}, rapportage: {minimum: 8775, maximum: 24375, per_ha: 500}}
        - {groter_dan: 50, label: "> 50 – 100 ha", bestek: {minimum: 47813, maximum: 63750, per_ha: 650}, rapportage: {minimum: 24375, maximum: 32500, per_ha: 325}}
        - {groter_dan: 100, label: "> 100 ha (vast bedrag)", bestek: {minimum: 63750, maximum: 63750, per_ha: 0}, rapportage: {minimum: 32500, maximum: 32500, per_ha: 0}}""",
     """        - {groter_dan: 0, label: "> 0 – 10 ha", bestek: {minimum: 12844, maximum: 12844, per_ha: 1300}, rapportage: {minimum: 6422, maximum: 6422, per_ha: 650}}
        - {groter_dan: 10, label: "> 10 – 15 ha", bestek: {minimum: 12844, maximum: 17550, per_ha: 1175}, rapportage: {minimum: 6422, maximum: 8775, per_ha: 600}}
        - {groter_dan: 15, label: "> 15 – 50 ha", bestek: {minimum: 17550, maximum: 48750, per_ha: 975}, rapportage: {minimum: 8775, maximum: 24375, per_ha: 500}}
        - {groter_dan: 50, label: "> 50 – 100 ha", bestek: {minimum: 48750, maximum: 65000, per_ha: 650}, rapportage: {minimum: 24375, maximum: 32500, per_ha: 325}}
        - {groter_dan: 100, label: "> 100 ha (vast bedrag)", bestek: {minimum: 65000, maximum: 65000, per_ha: 0}, rapportage: {minimum: 32500, maximum: 32500, per_ha: 0}}""")
edit("""      woonequivalent_bron: "tabel 5, voetnoot 3: '1 woonequivalent gelijk staat aan 100 vierkante meter bruto vloeroppervlak'"
      woonequivalent_grondslag: bvo""",
     """      woonequivalent_bron: "tabel 5, voetnoot 3: '1 woonequivalent gelijk staat aan 100 vierkante meter bruto vloeroppervlak of (XXXIV: en) 100 m2 uitgeefbare grond'"
      woonequivalent_grondslag: bvo_of_uitgeefbaar""")
edit("""      aanbestedingsvorm_bron: "tabel 6: openbaar 1 → 1, 2 → 1,08, 3 → 1,16 ('bij elke aanbesteding meer een verhoging met 0,08'); Europees 1 → 1, 2 → 1,33, 3 → 1,66 (+0,33)\"""",
     """      aanbestedingsvorm_bron: "tabel 6 van de versie van 1 januari 2024 (openbaar +0,08, Europees +0,33 per extra aanbesteding); in deze versie staan de waarden niet in tabel 6 (zie interpretatie aanbestedingsvorm-ontbreekt)\"""")

# ---- bijlage XXXIVa, tabel 1
edit('{id: 1.3.woonfuncties, product: "1.3", onderdeel: Per gebouw met een woonfunctie, grondslag: gebouwen_met_woonfunctie, uren: 1.5, tariefgroep: "2", factor: stedenbouw, interpretaties: [woonfunctie-telling], bron: "rij 1.3, Per gebouw met een woonfunctie"}',
     '{id: 1.3.woonfuncties, product: "1.3", onderdeel: Per woonfunctie, grondslag: woonfuncties, uren: 1.5, tariefgroep: "2", factor: stedenbouw, bron: "rij 1.3, Per woonfunctie"}')
edit('{id: 1.3.niet_wonen, product: "1.3", onderdeel: "Per 100 m2 grond met kostenverhaalplichtige bouwactiviteiten, niet voor woningbouw", grondslag: grond_niet_wonen_100m2, uren: 0.25, tariefgroep: "2", factor: stedenbouw, bron: "rij 1.3, Per 100 m2 grond ... die niet bedoeld is voor woningbouw"}',
     '{id: 1.3.niet_wonen, product: "1.3", onderdeel: "Per 100 m2 uitgeefbare grond met een lichte industriefunctie en per 100 m2 bvo voor andere bouwactiviteiten dan woningbouw", grondslag: niet_wonen_100m2, uren: 0.25, tariefgroep: "2", factor: stedenbouw, interpretaties: [woonequivalent-bedrijven], bron: "rij 1.3, Per 100 m2 uitgeefbare grond met een lichte industriefunctie en per 100 m2 bruto vloeroppervlak ..."}')
edit('{id: 1.4.woonfuncties, product: "1.4", onderdeel: Per gebouw met een woonfunctie, grondslag: gebouwen_met_woonfunctie, uren: 0.5, tariefgroep: "2", factor: geen, interpretaties: [woonfunctie-telling], bron: "rij 1.4, Per gebouw met een woonfunctie"}',
     '{id: 1.4.woonfuncties, product: "1.4", onderdeel: Per woonfunctie, grondslag: woonfuncties, uren: 0.5, tariefgroep: "2", factor: geen, bron: "rij 1.4, Per woonfunctie"}')
edit('{id: 1.4.niet_wonen, product: "1.4", onderdeel: "Per 100 m2 grond met kostenverhaalsplichtige bouwactiviteiten, niet voor woningbouw", grondslag: grond_niet_wonen_100m2, uren: 0.25, tariefgroep: "2", factor: geen, bron: "rij 1.4, Per 100 m2 grond ... niet bedoeld voor woningbouw"}',
     '{id: 1.4.niet_wonen, product: "1.4", onderdeel: "Per 100 m2 uitgeefbare grond met een lichte industriefunctie en per 100 m2 bvo voor andere bouwactiviteiten dan woningbouw", grondslag: niet_wonen_100m2, uren: 0.25, tariefgroep: "2", factor: geen, interpretaties: [woonequivalent-bedrijven], bron: "rij 1.4, Per 100 m2 uitgeefbare grond met een lichte industriefunctie en per 100 m2 bvo ..."}')
edit('grondslag: taxatie_woz_onbebouwd, uren: 0.25, tariefgroep: "8", factor: geen, bron: "rij 2.1, Eerste taxatie via wet WOZ, Per onbebouwd perceel (Tariefgroep 8)"}',
     'grondslag: taxatie_woz_onbebouwd, uren: 0.25, tariefgroep: ["1", "8"], factor: geen, interpretaties: [meerdere-tariefgroepen], bron: "rij 2.1, Eerste taxatie via Wet waardering onroerende zaken, Per onbebouwd perceel (Tariefgroepen 1 en 8)"}')
edit('grondslag: taxatie_woz_bebouwd, uren: 0.25, tariefgroep: "8", factor: geen, bron: "rij 2.1, Eerste taxatie via wet WOZ, Per bebouwd perceel (Tariefgroep 8)"}',
     'grondslag: taxatie_woz_bebouwd, uren: 0.25, tariefgroep: ["1", "8"], factor: geen, interpretaties: [meerdere-tariefgroepen], bron: "rij 2.1, Eerste taxatie via Wet waardering onroerende zaken, Per bebouwd perceel (Tariefgroepen 1 en 8)"}')
hx_old = src[src.index("      - {id: 2.1.hertaxatie_onafhankelijk, product"): src.index("      - {id: 2.2.onbebouwd, product: \"2.2\", onderdeel: Per onbebouwd perceel, grondslag: aankoop_onbebouwd, uren: 24, tariefgroep: \"1\", factor: geen, bron: \"rij 2.2, Per onbebouwd perceel\"}\n      - {id: 2.2.woning, product: \"2.2\", onderdeel: Per gebouw met een woonfunctie, grondslag: aankoop_woning, uren: 48, tariefgroep: \"1\", factor: geen, bron: \"rij 2.2, Per gebouw met een woonfunctie\"}\n      - {id: 2.2.huur_pacht, product: \"2.2\", onderdeel: Per te ontbinden huur- of pachtovereenkomst, grondslag: aankoop_huur_pacht, uren: 48, tariefgroep: \"1\", factor: geen, bron: \"rij 2.2, Per te ontbinden huur- of pachtovereenkomst\"}")]
edit(hx_old, """      - {id: 2.1.hertaxatie_grondzaken, product: "2.1", onderdeel: "Hertaxatie: taxatie-uren", grondslag: hertaxaties, van: [2.1.onafhankelijk_onbebouwd, 2.1.onafhankelijk_bebouwd, 2.1.onafhankelijk_minimum], percentage: 100, tariefgroep: "1", factor: geen, interpretaties: [hertaxatie-aantal], bron: "rij 2.1, Hertaxatie inbrengwaarde: 100% van de werkuren van de eerste taxatie; tariefgroepen als vermeld bij de eerste taxaties"}
      - {id: 2.1.hertaxatie_woz, product: "2.1", onderdeel: "Hertaxatie: WOZ-taxatie-uren", grondslag: hertaxaties, van: [2.1.woz_onbebouwd, 2.1.woz_bebouwd], percentage: 100, tariefgroep: ["1", "8"], factor: geen, interpretaties: [hertaxatie-aantal, meerdere-tariefgroepen], bron: "rij 2.1, Hertaxatie inbrengwaarde: 100% van de werkuren van de eerste taxatie; tariefgroepen als vermeld bij de eerste taxaties"}
      - {id: 2.1.hertaxatie_planeconoom, product: "2.1", onderdeel: "Hertaxatie: ambtelijke begeleiding planeconoom", grondslag: hertaxaties, van: [2.1.onafhankelijk_planeconoom], percentage: 100, tariefgroep: "8", factor: geen, interpretaties: [hertaxatie-aantal], bron: "rij 2.1, Hertaxatie inbrengwaarde: bij onafhankelijke taxatie inclusief de ambtelijke begeleidingsuren"}
      - {id: 2.1.hertaxatie_pm, product: "2.1", onderdeel: "Hertaxatie: projectmanagement", grondslag: hertaxaties, van: [2.1.onafhankelijk_pm, 2.1.woz_pm], percentage: 100, tariefgroep: 7a, factor: geen, interpretaties: [hertaxatie-aantal], bron: "rij 2.1, Hertaxatie inbrengwaarde: inclusief ... projectmanagement"}
      - {id: 2.1.hertaxatie_landmeten, product: "2.1", onderdeel: "Hertaxatie: landmeten en vastgoedinformatie", grondslag: hertaxaties, van: [2.1.onafhankelijk_landmeten, 2.1.woz_landmeten], percentage: 100, tariefgroep: "5", factor: geen, interpretaties: [hertaxatie-aantal], bron: "rij 2.1, Hertaxatie inbrengwaarde: inclusief ... landmeten/vastgoedinformatie"}
""")
edit('grondslag: sloop_bestekken, uren: 12, vermenigvuldigers: [aanbestedingsvorm], tariefgroep: "11", factor: algemeen, interpretaties: [aanbestedingsvorm-tabel6], bron: "rij 2.6a, Voorbereiding, aanbesteding en gunning: 12 uur vermenigvuldigd met de verrekenfactor aanbestedingsvorm"}',
     'grondslag: sloop_bestekken, uren: 12, vermenigvuldigers: [aanbestedingsvorm], tariefgroep: "11", factor: algemeen, interpretaties: [aanbestedingsvorm-tabel6, aanbestedingsvorm-ontbreekt], bron: "rij 2.6a, Voorbereiding, aanbesteding en gunning: 12 uur vermenigvuldigd met de verrekenfactor aanbestedingsvorm uit tabel 6"}')
edit('grondslag: sloop_bestekken, uren: 4, vermenigvuldigers: [aanbestedingsvorm, sloop_type, sloop_asbest], tariefgroep: "9", factor: algemeen, interpretaties: [aanbestedingsvorm-tabel6, sloop-bestekken-xxxiva], bron: "rij 2.6a, Projectleiding: begeleiding en aanbesteding: 4 uur vermenigvuldigd met de verrekenfactor slopen"}',
     'grondslag: sloop_bestekken, uren: 4, vermenigvuldigers: [aanbestedingsvorm], tariefgroep: "9", factor: algemeen, interpretaties: [aanbestedingsvorm-tabel6, aanbestedingsvorm-ontbreekt], bron: "rij 2.6a, Projectleiding: begeleiding aanbesteding: 4 uur vermenigvuldigd met de verrekenfactor aanbestedingsvorm uit tabel 6"}')
edit('{id: 2.6c.vo_do, product: 2.6c, onderdeel: Opstellen voorlopig en definitief ontwerp (per kostenverhaalsdeelgebied), grondslag: deelgebieden, uren: 160, tariefgroep: "10", factor: algemeen, bron: "rij 2.6c, Opstellen voorlopig en definitief ontwerp: 160 uur per kostenverhaalsdeelgebied (tabel 8)"}',
     '{id: 2.6c.vo_do, product: 2.6c, onderdeel: Opstellen voorlopig en definitief ontwerp (per kostenverhaalsdeelgebied openbaar gebied), grondslag: deelgebieden, uren: 160, tariefgroep: "10", factor: algemeen, interpretaties: [deelgebieden-openbaar-gebied], bron: "rij 2.6c, Opstellen voorlopig en definitief ontwerp (VO en DO): 160 uur per ontwerp voor een kostenverhaalsdeelgebied openbaar gebied (tabel 8)"}')
edit('{id: 2.6c.bestek, product: 2.6c, onderdeel: Aanbesteden en gunnen (per bestek), grondslag: bestekken, uren: 40, vermenigvuldigers: [aanbestedingsvorm], tariefgroep: "11", factor: algemeen, interpretaties: [aanbestedingsvorm-tabel6], bron: "rij 2.6c, Aanbesteden en gunnen: 40 uur vermenigvuldigd met de verrekenfactor aanbestedingsvorm"}',
     '{id: 2.6c.bestek, product: 2.6c, onderdeel: "Aanbesteden en gunnen: bestek schrijven/calculeren (per bestek)", grondslag: bestekken, uren: 40, vermenigvuldigers: [aanbestedingsvorm], tariefgroep: "11", factor: algemeen, interpretaties: [aanbestedingsvorm-tabel6, aanbestedingsvorm-ontbreekt, deelgebieden-openbaar-gebied, tekenen-dubbel], bron: "rij 2.6c, Aanbesteden en gunnen: \'40 uur bestek schrijven/calculeren en 24 uur tekenen\', tariefgroepen 11 en 12"}')
edit('grondslag: bestekken, uren: 24, vermenigvuldigers: [aanbestedingsvorm], tariefgroep: "12", factor: algemeen, interpretaties: [aanbestedingsvorm-tabel6], bron: "rij 2.6c, Tekenen: 24 uur vermenigvuldigd met de verrekenfactor aanbestedingsvorm"}',
     'grondslag: bestekken, uren: 24, vermenigvuldigers: [aanbestedingsvorm], tariefgroep: "12", factor: algemeen, interpretaties: [aanbestedingsvorm-tabel6, aanbestedingsvorm-ontbreekt, deelgebieden-openbaar-gebied, tekenen-dubbel], bron: "rij 2.6c, Tekenen: 24 uur vermenigvuldigd met de verrekenfactor aanbestedingsvorm uit tabel 6"}')
edit('vermenigvuldigers: [aanbestedingsvorm], tariefgroep: "13", factor: algemeen, interpretaties: [aanbestedingsvorm-tabel6], bron: "rij 2.6c, Directievoeren: 5 uur per week; 24 weken per bestek"}',
     'vermenigvuldigers: [aanbestedingsvorm], tariefgroep: "13", factor: algemeen, interpretaties: [aanbestedingsvorm-tabel6, aanbestedingsvorm-ontbreekt, deelgebieden-openbaar-gebied], bron: "rij 2.6c, Directievoeren: 5 uur per week; 24 weken per bestek"}')
edit('vermenigvuldigers: [aanbestedingsvorm], tariefgroep: "14", factor: algemeen, interpretaties: [aanbestedingsvorm-tabel6], bron: "rij 2.6c, Toezichthouden: 10 uur per week; 24 weken per bestek"}',
     'vermenigvuldigers: [aanbestedingsvorm], tariefgroep: "14", factor: algemeen, interpretaties: [aanbestedingsvorm-tabel6, aanbestedingsvorm-ontbreekt, deelgebieden-openbaar-gebied], bron: "rij 2.6c, Toezichthouden: 10 uur per week; 24 weken per bestek"}')
edit('grondslag: deelgebieden, uren: 24, tariefgroep: "9", factor: algemeen, bron: "rij 2.6c, Projectleiding: Begeleiding ontwerpwerkzaamheden: 24 uur"}',
     'grondslag: deelgebieden, uren: 24, tariefgroep: "9", factor: algemeen, interpretaties: [deelgebieden-openbaar-gebied], bron: "rij 2.6c, Projectleiding: Begeleiding ontwerpwerkzaamheden: 24 uur"}')
edit('grondslag: bestekken, uren: 20, vermenigvuldigers: [aanbestedingsvorm], tariefgroep: "9", factor: geen, interpretaties: [aanbestedingsvorm-tabel6], bron: "rij 2.6c, Projectleiding: Begeleiding aanbestedingswerkzaamheden: 20 uur (complexiteitsfactor: Nee)"}',
     'grondslag: bestekken, uren: 16, vermenigvuldigers: [aanbestedingsvorm], tariefgroep: "9", factor: algemeen, interpretaties: [aanbestedingsvorm-tabel6, aanbestedingsvorm-ontbreekt, deelgebieden-openbaar-gebied], bron: "rij 2.6c, Projectleiding: Begeleiding aanbesteding: 16 uur vermenigvuldigd met de verrekenfactor aanbestedingsvorm (complexiteitsfactor: Ja, algemene)"}')
edit('grondslag: uitvoeringsweken, uren: 1, tariefgroep: "9", factor: geen, bron: "rij 2.6c, Projectleiding: Begeleiding uitvoeringswerkzaamheden: 1 uur per week (complexiteitsfactor: Nee)"}',
     'grondslag: uitvoeringsweken, uren: 1, tariefgroep: "9", factor: algemeen, interpretaties: [deelgebieden-openbaar-gebied], bron: "rij 2.6c, Projectleiding: Begeleiding uitvoeringswerkzaamheden: 1 uur per week (complexiteitsfactor: Ja, algemene)"}')
edit("""      bron: "tabel 8 ('Norm: 1 kostenverhaalsdeelgebied per 2,5 hectare kostenverhaalsgebied'; 40% → 1,00, ..., ≥ 60% → 1,20)"
      hectare_per_deelgebied: 2.5
      grondslag: kostenverhaalsgebied""",
     """      bron: "tabel 8 ('Norm: 1 kostenverhaalsdeelgebied heeft 2 hectare openbaar gebied'; 40% → 1,00, ..., ≥ 60% → 1,20)"
      hectare_per_deelgebied: 2
      grondslag: openbaar_gebied""")

(DIR / "2024-10-01.yaml").write_text(src, encoding="utf-8")
print("written", DIR / "2024-10-01.yaml")
