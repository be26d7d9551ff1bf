"""The Excel template of a kostenverhaal case (one bouwplan): an empty, documented workbook and its strict importer.

Sheets (tables are found by their header text in row 2, so columns may be moved; empty rows are skipped):

``Toelichting``               every field explained (Dutch).
``Algemeen``                  ``veld | waarde | toelichting``: naam, parameterset, peildatum, gebied, tijdvak,
                              kostenplafond, and per party an optional grex (file) with its basis.
``Programma``                 homes per segment (sociaal, midden, duur) and m² bvo per other function.
``Kosten``                    ``partij | kostensoort | omschrijving | bedrag | plankostenscan`` (the last column optional: a
                              plankostenscan file, or ``ingebed``, on the gemeente's A1 line).
``Opbrengsten en subsidies``  ``partij | soort (opbrengst/subsidie) | omschrijving | bedrag``.
``Bovenwijks``                ``naam | bedrag | kostensoort | aandeel | woningen_plan | woningen_totaal``.
``Financiële bijdragen``      fysieke leefomgeving (§4.1): an amount, a bijdrage input file, or rates per gebied.
``Woningvoorraad``            evenwichtige woningvoorraad (§4.2): apply yes/no, grondwaarde or WOZ per segment.
``Kavels``                    kostenverhaal zonder tijdvak: ``naam | waarde_voor | waarde_na | aandeel | bedrag | oppervlakte_m2``.
``Lijsten``                   (hidden) the lists behind the drop-downs (kostensoorten Omgevingswet, gebieden of the
                              parameterset, partijen, …).
``Ingebed``                   (hidden, only when needed) grex/bijdrage/plankostenscan documents embedded as JSON text;
                              a cell ``ingebed`` in Algemeen, Kosten or Financiële bijdragen refers to them.

:func:`opengrex.services.kostenverhaal.import_case_xlsx` reads a filled template (:func:`read_case_xlsx`) into a validated :class:`~opengrex.model.kostenverhaal.Case`
through exactly the checks of :func:`opengrex.services.kostenverhaal.load_case` (which accepts ``.xlsx`` too); every error
names the file, sheet and cell (``geval.xlsx, blad Kosten, cel D7``), the field, the value and what is allowed.
:func:`case_to_template` writes an existing case into the template (round trip: import gives an equal case).
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter as col
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from opengrex.codes import kostensoorten
from opengrex.codes.segmenten import SEGMENTEN
from opengrex.errors import InputError, InputErrors
from opengrex.io.xlsx_template import (
    _BOLD,
    _INPUT_FILL,
    _TITLE,
    DATE_FORMAT,
    EUR_FORMAT,
    PCT_FORMAT,
    XlsxLocator,
    _header,
    _list_validation,
    _parse_date,
    _put,
    _Reader,
    _to_number,
    write_notes,
)

if TYPE_CHECKING:
    from opengrex.model.kostenverhaal import Case

PARTIJEN = ("initiatiefnemer", "gemeente")
SOORTEN = {"opbrengst": "opbrengsten", "subsidie": "subsidies"}
TIJDVAKKEN = ("met", "zonder")
BASES = ("contante_waarde", "nominaal", "prijspeil")
JA_NEE = ("ja", "nee")
EMBEDDED = "ingebed"
"""Cell value meaning: the document is embedded in the hidden sheet ``Ingebed``."""
TEMPLATE_ROWS = 200
"""Rows with drop-down lists in the empty template's tables."""
_CHUNK = 30000  # an Excel cell holds at most 32 767 characters

S_ALG, S_PROG, S_KOST, S_OPBR, S_BOV, S_FB, S_WV, S_KAV, S_LIJST, S_EMB = (
    "Algemeen", "Programma", "Kosten", "Opbrengsten en subsidies", "Bovenwijks", "Financiële bijdragen",
    "Woningvoorraad", "Kavels", "Lijsten", "Ingebed",
)
REQUIRED_SHEETS = (S_ALG, S_PROG, S_KOST, S_OPBR, S_BOV, S_FB, S_WV, S_KAV)

# (label in column A, key, kind, required, explanation)
GENERAL_FIELDS: list[tuple[str, str, str, bool, str]] = [
    ("naam", "naam", "text", True, "Naam van het geval (bouwplan)."),
    ("omschrijving", "omschrijving", "text", False, "Korte omschrijving (mag leeg)."),
    ("parameterset", "parameterset", "text", False, "Naam van de parameterset kostenverhaal (keuzelijst; leeg = soest). "
     "De keuzelijsten voor gebied gelden voor de set waarmee het sjabloon is gemaakt."),
    ("peildatum", "peildatum", "date", True, "Datum waarop het geval wordt berekend, bijv. 01-01-2024: de versie van de parameterset die dan geldt."),
    ("gebied", "gebied", "text", True, "Kostenverhaalsgebied waarin het plan ligt (keuzelijst: de gebiedsboom van de parameterset)."),
    ("tijdvak", "tijdvak", "choice:tijdvak", False, "Kostenverhaal met of zonder tijdvak (Ow art. 13.14): met (standaard) of zonder."),
    ("kostenplafond", "kostenplafond", "number", False, "Alleen zonder tijdvak (verplicht dan): het kostenplafond in euro's (Ob art. 8.18)."),
    ("grex initiatiefnemer", "grex.initiatiefnemer", "path", False,
     "Optioneel: pad naar de grondexploitatie van de initiatiefnemer (YAML, JSON of grex-sjabloon .xlsx), relatief aan dit "
     "bestand; de kosten per kostensoort, opbrengsten en subsidies komen dan uit die grex (laat ze op de andere bladen leeg). "
     "'ingebed' = de grex staat in het verborgen blad Ingebed."),
    ("basis grex initiatiefnemer", "basis.initiatiefnemer", "choice:basis", False,
     "Basis van de bedragen uit die grex: contante_waarde (standaard, per de NCW-datum van de grex), nominaal of prijspeil."),
    ("grex gemeente", "grex.gemeente", "path", False, "Idem voor de gemeente."),
    ("basis grex gemeente", "basis.gemeente", "choice:basis", False, "Idem voor de gemeente."),
]

KOSTEN_COLS = [("partij", "party", "choice:partij", True), ("kostensoort", "kostensoort", "text", True),
               ("omschrijving", "omschrijving", "text", False), ("bedrag", "bedrag", "number", True),
               ("plankostenscan", "plankostenscan", "path", False)]
OPTIONAL_HEADERS = ("plankostenscan",)
"""Columns a workbook may lack (made before they existed): they are read as empty."""
OPBR_COLS = [("partij", "party", "choice:partij", True), ("soort", "soort", "choice:soort", True),
             ("omschrijving", "omschrijving", "text", True), ("bedrag", "bedrag", "number", True)]
BOV_COLS = [("naam", "naam", "text", True), ("bedrag", "bedrag", "number", True), ("kostensoort", "kostensoort", "text", False),
            ("aandeel", "aandeel", "number", False), ("woningen_plan", "woningen_plan", "int", False),
            ("woningen_totaal", "woningen_totaal", "int", False)]
KAVEL_COLS = [("naam", "naam", "text", True), ("waarde_voor", "waarde_voor", "number", True), ("waarde_na", "waarde_na", "number", True),
              ("aandeel", "aandeel", "number", False), ("bedrag", "bedrag", "number", False), ("oppervlakte_m2", "oppervlakte_m2", "number", False)]
TARIEF_COLS = [("gebied", "gebied", "text", True)] + [(s, s, "number", False) for s in SEGMENTEN]

_CHOICES = {"tijdvak": TIJDVAKKEN, "basis": BASES, "partij": PARTIJEN, "soort": tuple(SOORTEN), "janee": JA_NEE}
_COL_FORMATS: dict[str, str] = {"bedrag": EUR_FORMAT, "waarde_voor": EUR_FORMAT, "waarde_na": EUR_FORMAT, "aandeel": PCT_FORMAT,
                **{s: EUR_FORMAT for s in SEGMENTEN}}


# ---------------------------------------------------------------------------------------------------- writing
def write_case_template(path: str | Path, parameterset: str = "soest", peildatum: dt.date | None = None) -> None:
    """Write the empty, documented Excel template of a kostenverhaal case.

    The drop-down list of gebieden comes from ``parameterset`` (the version in force on ``peildatum``; default the
    newest), the kostensoorten from the Omgevingswet list (Ob bijlage IV)."""
    _build(None, parameterset, peildatum).save(Path(path))


def case_to_template(case: Case, path: str | Path) -> None:
    """Write ``case`` into the Excel template (edit it in Excel; :func:`import_case_xlsx` reads it back).

    File references (grex, bijdrage input) are written as they are in the case (absolute after loading); an inline
    grex or bijdrage document goes to the hidden sheet ``Ingebed``."""
    _build(case.as_data(), case.parameterset, case.peildatum).save(Path(path))


def _build(d: dict[str, Any] | None, parameterset: str, peildatum: dt.date | None) -> Workbook:
    from opengrex.parameters import list_parameter_sets, load_parameter_set

    ps = load_parameter_set(parameterset, peildatum)
    wb = Workbook()
    ws = wb.active
    ws.title = "Toelichting"
    lists = wb.create_sheet(S_LIJST)
    _lijsten(wb, lists, [a.naam for a in ps.areas()], [s.naam for s in list_parameter_sets()])
    embedded: dict[str, Any] = {}
    _algemeen(wb.create_sheet(S_ALG, 1), d, parameterset, embedded)
    _programma(wb.create_sheet(S_PROG, 2), d)
    rows_k, rows_o = [], []
    for party in PARTIJEN:
        p = (d or {}).get(party, {})
        for i, k in enumerate(p.get("kosten", [])):
            row = {"party": party, **k}
            scan = k.get("plankostenscan")
            if scan is not None:
                if scan.get("inline") is not None:
                    embedded[f"{party}.kosten[{i}].plankostenscan"] = scan["inline"]
                    row["plankostenscan"] = EMBEDDED
                else:
                    row["plankostenscan"] = scan.get("bestand")
            rows_k.append(row)
        for soort, sec in SOORTEN.items():
            rows_o += [{"party": party, "soort": soort, **r} for r in p.get(sec, [])]
    _table(wb.create_sheet(S_KOST, 3), "Kosten per partij en kostensoort (bedragen positief, in euro's)", KOSTEN_COLS, rows_k,
           {"partij": "=LijstPartijen", "kostensoort": "=LijstKostensoorten"})
    _table(wb.create_sheet(S_OPBR, 4), "Opbrengsten en subsidies/bijdragen per partij (bedragen positief, in euro's)", OPBR_COLS, rows_o,
           {"partij": "=LijstPartijen", "soort": "=LijstSoorten"})
    _table(wb.create_sheet(S_BOV, 5), "Bovenwijkse voorzieningen: investering en PTP-aandeel van dit plan", BOV_COLS,
           (d or {}).get("bovenwijkse_voorzieningen", []), {"kostensoort": "=LijstKostensoorten"})
    _fysiek(wb.create_sheet(S_FB, 6), d, embedded)
    _woningvoorraad(wb.create_sheet(S_WV, 7), d)
    _table(wb.create_sheet(S_KAV, 8), "Kavels (alleen kostenverhaal zonder tijdvak): aandeel in de kosten en waarde voor/na", KAVEL_COLS,
           (d or {}).get("kavels", []), {})
    _toelichting(ws, ps.naam)
    lists.sheet_state = "hidden"
    if embedded:
        emb = wb.create_sheet(S_EMB)
        _header(emb, 1, ["document", "JSON (verder in de volgende kolommen)"])
        for i, (key, doc) in enumerate(embedded.items(), start=2):
            text = json.dumps(doc, ensure_ascii=False, sort_keys=False)
            emb.cell(row=i, column=1, value=key)
            for j in range(0, max(len(text), 1), _CHUNK):
                _put(emb, i, 2 + j // _CHUNK, text[j:j + _CHUNK])
        emb.sheet_state = "hidden"
    return wb


def _lijsten(wb: Workbook, ws, areas: list[str], sets: list[str]) -> None:
    ks = kostensoorten("omgevingswet")
    columns: list[tuple[str, str, list[str]]] = [
        ("LijstKostensoorten", "Kostensoort", [k.code for k in ks]),
        ("", "Omschrijving", [k.kort for k in ks]),
        ("LijstGebieden", "Gebied", areas),
        ("LijstPartijen", "Partij", list(PARTIJEN)),
        ("LijstSoorten", "Soort", list(SOORTEN)),
        ("LijstTijdvak", "Tijdvak", list(TIJDVAKKEN)),
        ("LijstBasis", "Basis grex", list(BASES)),
        ("LijstJaNee", "Ja/nee", list(JA_NEE)),
        ("LijstParametersets", "Parameterset", sets),
    ]
    _header(ws, 1, [c[1] for c in columns])
    for j, (name, _, values) in enumerate(columns, start=1):
        for i, v in enumerate(values, start=2):
            ws.cell(row=i, column=j, value=v)
        if name:
            wb.defined_names[name] = DefinedName(name, attr_text=f"Lijsten!${col(j)}$2:${col(j)}${max(len(values), 1) + 1}")
    ws.column_dimensions["B"].width = 50


def _dv(ws, formula: str, ref: str, what: str) -> None:
    dv = _list_validation(formula, what.capitalize(), what)
    ws.add_data_validation(dv)
    dv.add(ref)


def _amount_dv(ws, ref: str) -> None:
    dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True, showErrorMessage=True,
                        errorTitle="Bedrag", error="Vul een getal >= 0 in (bedragen positief).")
    ws.add_data_validation(dv)
    dv.add(ref)


def _algemeen(ws, d: dict | None, parameterset: str, embedded: dict) -> None:
    ws["A1"] = "Algemene gegevens van het geval (bouwplan)"
    ws["A1"].font = _TITLE
    _header(ws, 2, ["Veld", "Waarde", "Toelichting"])
    values: dict[str, Any] = {"parameterset": parameterset}
    if d is not None:
        values.update({k: d.get(k) for k in ("naam", "omschrijving", "parameterset", "gebied", "tijdvak", "kostenplafond")})
        values["peildatum"] = dt.date.fromisoformat(d["peildatum"])
        for party in PARTIJEN:
            g = d.get(party, {}).get("grex")
            if g is not None:
                if g.get("inline") is not None:
                    values[f"grex.{party}"] = EMBEDDED
                    embedded[f"{party}.grex"] = g["inline"]
                else:
                    values[f"grex.{party}"] = g.get("bestand")
                values[f"basis.{party}"] = g.get("basis")
    lists = {"parameterset": "=LijstParametersets", "gebied": "=LijstGebieden", "choice:tijdvak": "=LijstTijdvak", "choice:basis": "=LijstBasis"}
    for i, (label, key, kind, required, note) in enumerate(GENERAL_FIELDS, start=3):
        ws.cell(row=i, column=1, value=label).font = _BOLD
        fmt = {"date": DATE_FORMAT, "number": EUR_FORMAT}.get(kind)
        c = _put(ws, i, 2, values.get(key), fmt)
        c.fill = _INPUT_FILL
        ws.cell(row=i, column=3, value=("Verplicht. " if required else "") + note)
        formula = lists.get(key) or lists.get(kind)
        if formula:
            _dv(ws, formula, f"B{i}", label)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 120
    ws.freeze_panes = "A3"


def _programma(ws, d: dict | None) -> None:
    prog = (d or {}).get("programma", {})
    ws["A1"] = "Bouwprogramma: aantal woningen per segment, en m² bvo per overige functie"
    ws["A1"].font = _TITLE
    _header(ws, 2, ["segment", "woningen"])
    for i, s in enumerate(SEGMENTEN, start=3):
        ws.cell(row=i, column=1, value=s).font = _BOLD
        c = _put(ws, i, 2, prog.get("woningen", {}).get(s), "0")
        c.fill = _INPUT_FILL
    _header(ws, 7, ["functie", "m2_bvo"])
    for i, (f, m2) in enumerate(prog.get("overig_m2", {}).items(), start=8):
        _put(ws, i, 1, f)
        _put(ws, i, 2, m2, "#,##0.00")
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 16


def _table(ws, title: str, cols: list, rows: list[dict], lists: dict[str, str], first: int = 3, header_row: int = 2) -> None:
    ws.cell(row=header_row - 1, column=1, value=title).font = _BOLD
    _header(ws, header_row, [c[0] for c in cols])
    for i, row in enumerate(rows):
        for j, (_, key, _kind, _) in enumerate(cols, start=1):
            _put(ws, first + i, j, row.get(key), _COL_FORMATS.get(key))
    last = first + max(TEMPLATE_ROWS, len(rows)) - 1
    for j, (header, key, kind, _) in enumerate(cols, start=1):
        ref = f"{col(j)}{first}:{col(j)}{last}"
        if header in lists:
            _dv(ws, lists[header], ref, header)
        elif kind == "number":
            _amount_dv(ws, ref)
        ws.column_dimensions[col(j)].width = 40 if key in ("omschrijving", "naam") else 18
        if key in _COL_FORMATS:
            for r in range(first + len(rows), last + 1):
                ws.cell(row=r, column=j).number_format = _COL_FORMATS[key]
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1).coordinate


def _fysiek(ws, d: dict | None, embedded: dict) -> None:
    fb = (d or {}).get("financiele_bijdrage_fysieke_leefomgeving") or {}
    ws["A1"] = "Financiële bijdrage ter verbetering van de fysieke leefomgeving (§4.1): vul óf bedrag, óf berekening, óf de tarieven in"
    ws["A1"].font = _BOLD
    _header(ws, 2, ["veld", "waarde", "toelichting"])
    berekening = fb.get("berekening")
    if isinstance(berekening, dict):
        embedded["financiele_bijdrage_fysieke_leefomgeving.berekening"] = berekening
        berekening = EMBEDDED
    for r, label, v, fmt, note in (
        (3, "bedrag", fb.get("bedrag"), EUR_FORMAT, "Het bedrag van de bijdrage in euro's."),
        (4, "berekening", berekening, None, "Pad naar een bijdrage-invoer (YAML/JSON, zie 'opengrex kostenverhaal bijdrage'), relatief aan "
         "dit bestand: de tarieven volgen dan uit de zes stappen van §4.1. 'ingebed' = de invoer staat in het verborgen blad Ingebed."),
    ):
        ws.cell(row=r, column=1, value=label).font = _BOLD
        _put(ws, r, 2, v, fmt).fill = _INPUT_FILL
        ws.cell(row=r, column=3, value=note)
    ws.cell(row=6, column=1, value="Tarieven per woning per segment [€], per gebied waarin het plan ligt (totaal = Σ gebieden Σ segmenten tarief × woningen)").font = _BOLD
    rows = [{"gebied": area, **rates} for area, rates in (fb.get("tarieven") or {}).items()]
    _table(ws, ws.cell(row=6, column=1).value, TARIEF_COLS, rows, {"gebied": "=LijstGebieden"}, first=8, header_row=7)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 100
    ws.freeze_panes = None


def _woningvoorraad(ws, d: dict | None) -> None:
    wv = (d or {}).get("financiele_bijdrage_woningvoorraad")
    ws["A1"] = "Financiële bijdrage ter realisatie van een evenwichtige samenstelling van de woningvoorraad (§4.2)"
    ws["A1"].font = _BOLD
    _header(ws, 2, ["veld", "waarde", "toelichting"])
    ws.cell(row=3, column=1, value="toepassen").font = _BOLD
    _put(ws, 3, 2, None if d is None else ("ja" if wv is not None else "nee")).fill = _INPUT_FILL
    ws.cell(row=3, column=3, value="ja: de bijdrage wordt berekend (norm van het gebied uit de parameterset); nee of leeg: niet.")
    _dv(ws, "=LijstJaNee", "B3", "ja of nee")
    _header(ws, 5, ["waarde per woning", *SEGMENTEN, "toelichting"])
    notes = {"grondwaarde": "Grondwaarde per woning per segment [€] (óf deze rij, óf de rij woz, óf geen van beide).",
             "woz": "Gemiddelde WOZ-waarde per woning per segment [€]; grondwaarde = WOZ / (1 + btw) × grondquote. "
                    "Beide rijen leeg: de gemiddelde WOZ uit de parameterset."}
    for r, key in ((6, "grondwaarde"), (7, "woz")):
        ws.cell(row=r, column=1, value=key).font = _BOLD
        for j, s in enumerate(SEGMENTEN, start=2):
            _put(ws, r, j, ((wv or {}).get(key) or {}).get(s), EUR_FORMAT).fill = _INPUT_FILL
        ws.cell(row=r, column=5, value=notes[key])
    _amount_dv(ws, "B6:D7")
    ws.column_dimensions["A"].width = 22
    for c in "BCD":
        ws.column_dimensions[c].width = 16
    ws.column_dimensions["E"].width = 100


def _toelichting(ws, set_name: str) -> None:
    rows: list[tuple[str, Font | None]] = [
        ("Sjabloon kostenverhaal: één bouwplan (opengrex)", _TITLE),
        ("Vul de gele cellen en de tabellen in. Reken direct met: opengrex kostenverhaal bereken bestand.xlsx, of lees het in met: "
         "opengrex kostenverhaal import bestand.xlsx -o geval.yaml. Fouten noemen het blad en de cel.", None),
        ("Bedragen in euro's, positief (kosten, opbrengsten en bijdragen). Percentages als percentage (25%) of als fractie (0,25). "
         "Getallen mogen ook als tekst met komma (1250000,50 of € 300). Lege rijen worden overgeslagen; kolommen vind het programma "
         "aan de kop in rij 2, dus je mag ze verplaatsen.", None),
        (f"De keuzelijst voor gebied komt uit parameterset '{set_name}'; de kostensoorten uit de Omgevingswet-lijst (Omgevingsbesluit bijlage IV; "
         "zie het verborgen blad Lijsten). Bro-codes (6.2.3a …) mogen ook, voor overgangsrecht.", None),
        ("", None),
        (f"Blad {S_ALG} (kolom A: veld, kolom B: waarde)", _BOLD),
        *[(f"  {label}: {'verplicht. ' if req else ''}{note}", None) for label, _, _, req, note in GENERAL_FIELDS],
        ("", None),
        (f"Blad {S_PROG}", _BOLD),
        ("  Rijen sociaal, midden, duur: het aantal woningen per segment (gehele getallen; leeg = 0).", None),
        ("  Onder de kop 'functie | m2_bvo': overige functies (bijv. bedrijven, maatschappelijk) met hun oppervlakte in m² bvo.", None),
        ("", None),
        (f"Blad {S_KOST} (één kostenpost per rij)", _BOLD),
        ("  partij: initiatiefnemer of gemeente (keuzelijst): wie de kosten maakt binnen het exploitatiegebied.", None),
        ("  kostensoort: code uit de kostensoortenlijst (A1–A14; B1–B4 alleen met tijdvak; zonder tijdvak alleen A-codes).", None),
        ("  omschrijving: mag leeg (dan de korte omschrijving van de kostensoort). bedrag: in euro's, >= 0.", None),
        ("  plankostenscan: alleen bij de regel A1 (plankosten) van de gemeente, ten hoogste één: pad naar een plankostenscan "
         "(YAML, JSON of plankosten-sjabloon .xlsx, zie 'opengrex plankosten'), relatief aan dit bestand; 'ingebed' = de scan staat in het "
         "verborgen blad Ingebed. Het bedrag is dan de eigen raming; verhaald wordt ten hoogste het maximum volgens de scan "
         "(art. 13.2 Omgevingsregeling). Een scan zonder peildatum rekent met de peildatum van het geval.", None),
        ("", None),
        (f"Blad {S_OPBR} (één post per rij)", _BOLD),
        ("  partij: initiatiefnemer of gemeente. soort: opbrengst (bijv. gronduitgifte, woningbouw) of subsidie (subsidies en bijdragen van derden).", None),
        ("  omschrijving: verplicht. bedrag: in euro's, >= 0. Opbrengsten en subsidies van de initiatiefnemer bepalen de macroaftopping.", None),
        ("", None),
        (f"Blad {S_BOV} (gebiedsoverstijgende voorzieningen, profijt-toerekenbaarheid-proportionaliteit)", _BOLD),
        ("  naam en bedrag (totale investering in euro's) verplicht; kostensoort optioneel.", None),
        ("  Het PTP-aandeel van dit plan: óf aandeel (kleiner dan 100%), óf woningen_totaal (woningen met profijt); het aandeel is dan "
         "woningen_plan / woningen_totaal, met woningen_plan standaard alle woningen van het programma.", None),
        ("", None),
        (f"Blad {S_FB} (financiële bijdrage fysieke leefomgeving, §4.1)", _BOLD),
        ("  Vul precies één van: bedrag; berekening (bijdrage-invoer); of de tabel tarieven per gebied (gebied uit de keuzelijst, "
         "tarief per woning per segment). Alles leeg: geen bijdrage.", None),
        ("", None),
        (f"Blad {S_WV} (financiële bijdrage evenwichtige woningvoorraad, §4.2)", _BOLD),
        ("  toepassen: ja of nee. Bij ja óf de rij grondwaarde, óf de rij woz (elk segment een waarde), óf geen van beide "
         "(dan de gemiddelde WOZ uit de parameterset). De norm komt uit de parameterset (doelgroepen norm van het gebied).", None),
        ("", None),
        (f"Blad {S_KAV} (alleen bij tijdvak 'zonder'; dan ten minste één kavel en een kostenplafond op blad {S_ALG})", _BOLD),
        ("  naam, waarde_voor en waarde_na (euro's) verplicht. Verdeling van de kosten: óf aandeel voor elke kavel (samen 100%), "
         "óf bedrag in euro's voor elke kavel (samen de te verhalen kosten; aandeel = bedrag / som), "
         "óf oppervlakte_m2 voor elke kavel (naar rato).", None),
        ("", None),
        ("Formules in cellen mogen; het importeren leest de berekende waarde die Excel of LibreOffice bij het opslaan bewaart.", None),
    ]
    write_notes(ws, rows)


# ---------------------------------------------------------------------------------------------------- reading
class _CaseReader(_Reader):
    """The grex template's cell reader, with the case template's sheets in its messages."""

    ALLOWED = "een .xlsx-bestand gemaakt met 'opengrex kostenverhaal template'"

    def sheet(self, name: str):
        if name not in self.wb.sheetnames:
            raise InputError(
                f"blad '{name}' ontbreekt", location=self.source, field=name, value=", ".join(self.wb.sheetnames),
                allowed=f"een werkboek met de bladen {', '.join(REQUIRED_SHEETS)} (maak het sjabloon met 'opengrex kostenverhaal template')",
            )
        return self.wb[name]

    def text(self, v: Any) -> str:
        return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)

    def convert(self, ws, r: int, c: int, kind: str, field: str, v: Any) -> Any:
        """A cell value of ``kind`` (text, number, int, date, path, choice:…); errors are collected, None returned."""
        ref = f"{col(c)}{r}"
        if kind in ("text", "path"):
            return self.text(v)
        if kind == "number":
            return self.number(ws, r, c, field, v)
        if kind == "int":
            x = _to_number(v)
            if x is None or not float(x).is_integer():
                self.err(ws.title, ref, field, "geen geheel getal", v, "een geheel getal, bijv. 12")
                return None
            return int(x)
        if kind == "date":
            if isinstance(v, dt.datetime):
                return v.date()
            if isinstance(v, dt.date):
                return v
            d = _parse_date(v)
            if d is None:
                self.err(ws.title, ref, field, "geen datum", v, "een datum, bijv. 01-01-2024")
            return d
        if kind.startswith("choice:"):
            options = _CHOICES[kind.split(":", 1)[1]]
            t = self.text(v).strip().lower()
            if t not in options:
                self.err(ws.title, ref, field, "ongeldige keuze", v, ", ".join(options))
                return None
            return t
        raise ValueError(kind)  # pragma: no cover - programming error

    def table(self, ws, cols: list, header_row: int = 2, stop: int | None = None) -> list[tuple[int, dict[str, Any], dict[str, str]]]:
        """Rows of a table found by its headers: (row number, values by key, cell reference by key). A column of
        :data:`OPTIONAL_HEADERS` may be missing (an older workbook): it reads as empty."""
        found: dict[str, int] = {}
        for c in range(1, ws.max_column + 1):
            h = ws.cell(row=header_row, column=c).value
            if isinstance(h, str) and h.strip():
                found.setdefault(h.strip().lower(), c)
        cols = [c for c in cols if c[0] in found or c[0] not in OPTIONAL_HEADERS]
        missing = [h for h, _, _, _ in cols if h not in found]
        if missing:
            self.errors.append(InputError(
                f"kolom(men) {', '.join(missing)} ontbreken in rij {header_row}", location=f"{self.source}, blad {ws.title}",
                field=ws.title, value=", ".join(found), allowed="kolomkoppen " + ", ".join(h for h, _, _, _ in cols)))
            return []
        out = []
        last = ws.max_row if stop is None else min(stop, ws.max_row)
        for r in range(header_row + 1, last + 1):
            raw = {key: self.value(ws, r, found[h]) for h, key, _, _ in cols}
            if all(v is None for v in raw.values()):
                continue
            vals: dict[str, Any] = {}
            refs = {key: f"{col(found[h])}{r}" for h, key, _, _ in cols}
            for h, key, kind, required in cols:
                v = raw[key]
                if v is None:
                    if required:
                        self.err(ws.title, refs[key], h, "verplicht veld is leeg", None, _ALLOWED.get(kind, "een waarde"))
                    continue
                x = self.convert(ws, r, found[h], kind, h, v)
                if x is not None:
                    vals[key] = x
            out.append((r, vals, refs))
        return out


_ALLOWED = {"text": "tekst", "number": "een getal >= 0", "int": "een geheel getal", "date": "een datum, bijv. 01-01-2024",
            **{f"choice:{k}": ", ".join(v) for k, v in _CHOICES.items()}}


def _loc(rd: _CaseReader, path: tuple, sheet: str, ref: str | None = None) -> None:
    if ref is None:
        rd.loc.places[tuple(path)] = f"blad {sheet}"
    else:
        rd.loc.add(path, sheet, ref)


def _embedded(rd: _CaseReader) -> dict[str, Any]:
    if S_EMB not in rd.wb.sheetnames:
        return {}
    ws = rd.wb[S_EMB]
    out: dict[str, Any] = {}
    for r in range(2, ws.max_row + 1):
        key = ws.cell(row=r, column=1).value
        if not key:
            continue
        text = "".join(str(ws.cell(row=r, column=c).value or "") for c in range(2, ws.max_column + 1))
        try:
            out[str(key)] = json.loads(text)
        except json.JSONDecodeError as exc:
            rd.err(S_EMB, f"B{r}", str(key), f"geen geldige JSON ({exc.msg})", None, "het document zoals opengrex het heeft ingebed")
    return out


def _read_algemeen(rd: _CaseReader, data: dict, emb: dict) -> None:
    ws = rd.sheet(S_ALG)
    rows = rd.labels(ws)
    _loc(rd, (), S_ALG)
    grex: dict[str, dict[str, Any]] = {}
    for label, key, kind, required, _ in GENERAL_FIELDS:
        r = rows.get(label)
        if r is None:
            if required:
                rd.errors.append(InputError(f"rij '{label}' ontbreekt in kolom A", location=f"{rd.source}, blad {S_ALG}", field=key,
                                            allowed="de veldnamen van het sjabloon in kolom A"))
            continue
        ref = f"B{r}"
        v = rd.value(ws, r, 2)
        if "." in key:
            what, party = key.split(".")
            _loc(rd, (party, "grex") if what == "grex" else (party, "grex", "basis"), S_ALG, ref)
        else:
            _loc(rd, (key,), S_ALG, ref)
        if v is None:
            if required:
                rd.err(S_ALG, ref, key, "verplicht veld is leeg", None, _ALLOWED.get(kind, "een waarde"))
            continue
        x = rd.convert(ws, r, 2, kind, key, v)
        if x is None:
            continue
        if "." in key:
            what, party = key.split(".")
            g = grex.setdefault(party, {})
            if what == "grex" and x.strip().lower() == EMBEDDED:
                if f"{party}.grex" not in emb:
                    rd.err(S_ALG, ref, label, "ingebedde grex ontbreekt in blad Ingebed", x, "een pad naar een grex-bestand")
                g["inline"] = emb.get(f"{party}.grex")
            else:
                g["bestand" if what == "grex" else "basis"] = x
        else:
            data[key] = x
    for party, g in grex.items():
        if "bestand" not in g and "inline" not in g:
            rd.err(S_ALG, f"B{rows[f'basis grex {party}']}", f"basis grex {party}", "basis zonder grex", g.get("basis"),
                   f"vul ook 'grex {party}' in, of laat de basis leeg")
            continue
        data.setdefault(party, {})["grex"] = g


def _read_programma(rd: _CaseReader, data: dict) -> None:
    ws = rd.sheet(S_PROG)
    _loc(rd, ("programma",), S_PROG)
    rows = rd.labels(ws, first=3)
    split = rows.get("functie")
    homes: dict[str, int] = {}
    for r in range(3, (split or ws.max_row + 1)):
        name, v = rd.value(ws, r, 1), rd.value(ws, r, 2)
        if name is None and v is None:
            continue
        seg = rd.text(name).strip().lower() if name is not None else None
        if seg not in SEGMENTEN:
            rd.err(S_PROG, f"A{r}", "programma.woningen", "onbekend woningsegment", name, ", ".join(SEGMENTEN) + " (overige functies onder de kop 'functie')")
            continue
        _loc(rd, ("programma", "woningen", seg), S_PROG, f"B{r}")
        if v is not None:
            n = rd.convert(ws, r, 2, "int", f"programma.woningen.{seg}", v)
            if n is not None:
                homes[seg] = n
    other: dict[str, float] = {}
    if split is not None:
        for _r, vals, refs in rd.table(ws, [("functie", "functie", "text", True), ("m2_bvo", "m2", "number", True)], header_row=split):
            if "functie" in vals:
                _loc(rd, ("programma", "overig_m2", vals["functie"]), S_PROG, refs["m2"])
                if vals["functie"] in other:
                    rd.err(S_PROG, refs["functie"], "programma.overig_m2", "functie komt twee keer voor", vals["functie"], "elke functie één keer")
                if "m2" in vals:
                    other[vals["functie"]] = vals["m2"]
    data["programma"] = {"woningen": homes, "overig_m2": other}


def _read_lines(rd: _CaseReader, data: dict, emb: dict) -> None:
    counters: dict[tuple[str, str], int] = {}
    for sheet, cols in ((S_KOST, KOSTEN_COLS), (S_OPBR, OPBR_COLS)):
        ws = rd.sheet(sheet)
        for r, vals, refs in rd.table(ws, cols):
            party = vals.pop("party", None)
            sec = SOORTEN[vals.pop("soort")] if sheet == S_OPBR and "soort" in vals else "kosten" if sheet == S_KOST else None
            if party is None or sec is None:
                continue  # already reported
            i = counters.get((party, sec), 0)
            counters[(party, sec)] = i + 1
            p = (party, sec, i)
            _loc(rd, p, sheet, f"A{r}")
            for key, ref in refs.items():
                if key not in ("party", "soort"):
                    _loc(rd, p + (key,), sheet, ref)
            scan = vals.pop("plankostenscan", None)
            if scan is not None:
                if scan.strip().lower() == EMBEDDED:
                    inline = emb.get(f"{party}.kosten[{i}].plankostenscan")
                    if inline is None:
                        rd.err(sheet, refs["plankostenscan"], "plankostenscan", "ingebedde plankostenscan ontbreekt in blad Ingebed", scan,
                               "een pad naar een plankostenscan")
                    vals["plankostenscan"] = {"inline": inline}
                else:
                    vals["plankostenscan"] = {"bestand": scan}
            data.setdefault(party, {}).setdefault(sec, []).append(vals)


def _read_list(rd: _CaseReader, data: dict, sheet: str, cols: list, field: str) -> None:
    ws = rd.sheet(sheet)
    _loc(rd, (field,), sheet)
    out: list[dict[str, Any]] = []
    for r, vals, refs in rd.table(ws, cols):
        p = (field, len(out))
        _loc(rd, p, sheet, f"A{r}")
        for key, ref in refs.items():
            _loc(rd, p + (key,), sheet, ref)
        out.append(vals)
    if out:
        data[field] = out


def _read_fysiek(rd: _CaseReader, data: dict, emb: dict) -> None:
    ws = rd.sheet(S_FB)
    f = "financiele_bijdrage_fysieke_leefomgeving"
    _loc(rd, (f,), S_FB)
    rows = rd.labels(ws, first=3)
    fb: dict[str, Any] = {}
    for label, kind in (("bedrag", "number"), ("berekening", "path")):
        r = rows.get(label)
        if r is None:
            continue
        _loc(rd, (f, label), S_FB, f"B{r}")
        v = rd.value(ws, r, 2)
        if v is not None:
            x = rd.convert(ws, r, 2, kind, f"{f}.{label}", v)
            if label == "berekening" and x is not None and x.strip().lower() == EMBEDDED:
                x = emb.get(f"{f}.berekening")
                if x is None:
                    rd.err(S_FB, f"B{r}", label, "ingebedde bijdrage-invoer ontbreekt in blad Ingebed", EMBEDDED, "een pad naar een bijdrage-invoer")
            if x is not None:
                fb[label] = x
    head = rows.get("gebied")
    if head is not None:
        rates: dict[str, dict[str, float]] = {}
        for _r, vals, refs in rd.table(ws, TARIEF_COLS, header_row=head):
            area = vals.pop("gebied", None)
            if area is None:
                continue
            if area in rates:
                rd.err(S_FB, refs["gebied"], "gebied", "gebied komt twee keer voor in de tarieven", area, "elk gebied één rij")
                continue
            _loc(rd, (f, "tarieven", area), S_FB, refs["gebied"])
            for s in SEGMENTEN:
                _loc(rd, (f, "tarieven", area, s), S_FB, refs[s])
            rates[area] = vals
        if rates:
            fb["tarieven"] = rates
    if head is not None and "bedrag" in rows and "berekening" in rows:
        rd.loc.places[(f,)] = f"blad {S_FB}, cel B{rows['bedrag']}, B{rows['berekening']} of tabel tarieven (vanaf rij {head + 1})"
    if fb:
        data[f] = fb


def _read_woningvoorraad(rd: _CaseReader, data: dict) -> None:
    ws = rd.sheet(S_WV)
    f = "financiele_bijdrage_woningvoorraad"
    _loc(rd, (f,), S_WV)
    rows = rd.labels(ws, first=3)
    apply = None
    if "toepassen" in rows:
        r = rows["toepassen"]
        v = rd.value(ws, r, 2)
        apply = rd.convert(ws, r, 2, "choice:janee", "toepassen", v) if v is not None else None
    wv: dict[str, Any] = {}
    for key in ("grondwaarde", "woz"):
        row = rows.get(key)
        if row is None:
            continue
        r = row
        vals = {}
        for j, s in enumerate(SEGMENTEN, start=2):
            _loc(rd, (f, key, s), S_WV, f"{col(j)}{r}")
            v = rd.value(ws, r, j)
            if v is not None:
                x = rd.number(ws, r, j, f"{f}.{key}.{s}", v)
                if x is not None:
                    vals[s] = x
        if vals:
            _loc(rd, (f, key), S_WV, f"B{r}:D{r}")
            wv[key] = vals
    if apply == "ja":
        data[f] = wv
    elif wv:
        r = rows.get("toepassen", 3)
        rd.err(S_WV, f"B{r}", "toepassen", "waarden ingevuld maar de bijdrage wordt niet toegepast", apply, "ja (of maak de rijen grondwaarde en woz leeg)")


def read_case_xlsx(path: str | Path) -> tuple[dict[str, Any], XlsxLocator]:
    """Read the filled template into plain case data plus a locator (model path → sheet and cell).

    Only the form is checked here (sheets present, numbers, dates, choices); the model and domain checks run in
    :func:`opengrex.services.kostenverhaal.load_case`, which names the cells through the returned locator."""
    p = Path(path)
    if not p.is_file():
        raise InputError("bestand niet gevonden", location=str(p), value=str(p))
    if p.suffix.lower() != ".xlsx":
        raise InputError("onbekend bestandstype", location=str(p), value=p.suffix, allowed=".xlsx (Excel-sjabloon kostenverhaal)")
    rd = _CaseReader(p)
    try:
        missing = [s for s in REQUIRED_SHEETS if s not in rd.wb.sheetnames]
        if missing:
            raise InputErrors([InputError(
                f"blad '{s}' ontbreekt", location=rd.source, field=s, value=", ".join(rd.wb.sheetnames),
                allowed=f"een werkboek met de bladen {', '.join(REQUIRED_SHEETS)} (maak het sjabloon met 'opengrex kostenverhaal template')",
            ) for s in missing])
        data: dict[str, Any] = {}
        emb = _embedded(rd)
        _read_algemeen(rd, data, emb)
        _read_programma(rd, data)
        _read_lines(rd, data, emb)
        _read_list(rd, data, S_BOV, BOV_COLS, "bovenwijkse_voorzieningen")
        _read_fysiek(rd, data, emb)
        _read_woningvoorraad(rd, data)
        _read_list(rd, data, S_KAV, KAVEL_COLS, "kavels")
    finally:
        rd.wb.close()
        rd.wbf.close()
    if rd.errors:
        raise InputErrors(rd.errors)
    return data, rd.loc
