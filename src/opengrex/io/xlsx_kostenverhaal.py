"""Excel export of a kostenverhaal case with LIVE formulas: the A5 table, the cap and the volgordelijkheid.

Sheets:

- ``A5`` first (see below), then the input sheets of the case laid out from the model (:mod:`opengrex.io.xlsx_invoer`:
  Algemeen, the parties' lines, bovenwijkse voorzieningen, kavels, …): edit them and upload the workbook back as a
  new version of the case.
- ``Bedragen``: the amounts as the rules take them (cost lines per kostensoort and party, opbrengsten, subsidies,
  bovenwijkse voorzieningen with PTP share, financiële bijdragen, woningvoorraad norm groups, kavels). An amount
  the case holds itself is a reference to its input cell (live); an amount taken from a grex or a parameter set is
  a value.
  The gemeente's A1 line linked to a plankostenscan is ``=IF(raming > maximum + 0,005; maximum; raming)`` with the
  estimate (a reference to its input cell) and the scan's maximum beside it (``PlankostenRaming``,
  ``PlankostenMaximum``, ``PlankostenVerhaalbaar``).
- ``Aftopping``: the cap (``=MAX(0, opbrengsten + subsidies − kosten initiatiefnemer)``, or zonder tijdvak the
  waardevermeerdering per kavel) and the volgordelijkheid with ``MIN``/``MAX`` formulas.
- ``A5``: the result table in the layout of bijlage A5 (Initiatiefnemer | Gemeente | Totaal), all formulas, and under
  it the explanation of the table (the plankosten tested against the plankostenscan).

Change an input in Excel or LibreOffice and every figure follows. Defined names (``Cap``, ``Exploitatiebijdrage``,
``A5_<r>_<c>`` …) point at the key cells; the tests recalculate the workbook with LibreOffice and compare it with
the engine to €0,01.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from opengrex.engine.kostenverhaal import A5_COLUMNS, A5_ROWS, CATEGORIES, HALVE_CENT
from opengrex.formatting import EXCEL_EUR_FORMAT
from opengrex.io.xlsx_cells import put
from opengrex.io.xlsx_invoer import Herkomst, workbook_bytes, write_workbook

if TYPE_CHECKING:  # pragma: no cover
    from opengrex.services.kostenverhaal import CaseResult

EUR_FMT = EXCEL_EUR_FORMAT
AMOUNTS = "Bedragen"


def write_case_xlsx(result: CaseResult, path: str | Path, data: dict[str, Any] | None = None, herkomst: Herkomst | None = None) -> Path:
    """Write the case workbook to ``path`` (callers write atomically via a temporary file); ``data``: the case as
    stored (default: as the case holds it, file references relative)."""
    out = Path(path)
    out.write_bytes(case_workbook_bytes(result, data, herkomst))
    return out


def case_workbook_bytes(result: CaseResult, data: dict[str, Any] | None = None, herkomst: Herkomst | None = None) -> bytes:
    """The case workbook (A5, input sheets, Bedragen, Aftopping) as .xlsx bytes, stamped with ``herkomst``."""
    from openpyxl.styles import Font
    from openpyxl.workbook.defined_name import DefinedName

    from opengrex.io.xlsx_cells import Formula, text_cell

    inp = result.inputs
    case = result.case
    data = case.as_data() if data is None else data
    wb, cells = write_workbook(type(case), data, herkomst or Herkomst(soort="kostenverhaal", naam=case.naam), titel=f"Kostenverhaal: {case.naam}")
    ws = wb.create_sheet(AMOUNTS)
    bold = Font(bold=True)
    names: dict[str, str] = {}

    def live(path: tuple, value: float) -> Any:
        """A reference to the input cell of ``path`` (the workbook stays live), or the value when there is none."""
        return Formula(f"=N({cells.ref(path)})") if path in cells.places else value

    def name(n: str, sheet: str, cell: str) -> None:
        names[n] = f"'{sheet}'!${''.join(c for c in cell if c.isalpha())}${''.join(c for c in cell if c.isdigit())}"

    r = 1
    text_cell(ws, r, 1, f"Kostenverhaal: {case.naam}").font = bold
    r += 1
    ws.cell(r, 1, f"Parameterset {inp.parameters.naam}, geldig vanaf {inp.parameters.geldig_vanaf.isoformat()}; peildatum {case.peildatum.isoformat()}; gebied {case.gebied}; tijdvak {case.tijdvak}. Bedragen in euro's.")
    r += 2

    def block(title: str, party: str, key: str, with_code: bool) -> str:
        """Rows of one list; returns the cell of its SUM."""
        nonlocal r
        ws.cell(r, 1, title).font = bold
        r += 1
        first = r
        own = inp.partijen[party].get("bron") == "invoer"  # the party's own lines: live references to the input sheets
        for i, item in enumerate(inp.partijen[party][key]):
            text_cell(ws, r, 1, item.get("kostensoort", "") if with_code else "")
            text_cell(ws, r, 2, item["omschrijving"])
            if "maximum_plankostenscan" in item:  # the estimate, capped by the plankostenscan (art. 13.2 lid 1 Or)
                raming = live((party, key, i, "bedrag"), float(item["raming"])) if own else float(item["raming"])
                ws.cell(r, 3, f"=IF(D{r}>E{r}+{HALVE_CENT},E{r},D{r})").number_format = EUR_FMT
                put(ws, r, 4, raming).number_format = EUR_FMT
                ws.cell(r, 5, float(item["maximum_plankostenscan"])).number_format = EUR_FMT
                text_cell(ws, r, 6, "C = eigen raming (D), ten hoogste het maximum volgens de plankostenscan (E); art. 13.2 lid 1 Omgevingsregeling")
                name("PlankostenVerhaalbaar", ws.title, f"C{r}")
                name("PlankostenRaming", ws.title, f"D{r}")
                name("PlankostenMaximum", ws.title, f"E{r}")
            else:
                value = live((party, key, i, "bedrag"), float(item["bedrag"])) if own else float(item["bedrag"])
                put(ws, r, 3, value).number_format = EUR_FMT
            r += 1
        ws.cell(r, 2, "Totaal").font = bold
        c = ws.cell(r, 3, f"=SUM(C{first}:C{r - 1})" if r > first else 0)
        c.number_format = EUR_FMT
        c.font = bold
        cell = f"C{r}"
        r += 2
        return cell

    amounts: dict[str, str] = {}
    for party, label in (("initiatiefnemer", "Initiatiefnemer"), ("gemeente", "Gemeente")):
        amounts[f"kosten_{party}"] = block(f"{label}: kosten per kostensoort", party, "kosten", True)
        amounts[f"opbrengsten_{party}"] = block(f"{label}: opbrengsten", party, "opbrengsten", False)
        amounts[f"subsidies_{party}"] = block(f"{label}: subsidies en bijdrages", party, "subsidies", False)

    ws.cell(r, 1, "Bovenwijkse voorzieningen (PTP)").font = bold
    r += 1
    for i, h in enumerate(("Voorziening", "Investering", "PTP-aandeel", "Toegerekend")):
        ws.cell(r, 1 + i, h).font = bold
    r += 1
    first = r
    for i, b in enumerate(inp.bovenwijks):
        text_cell(ws, r, 1, b["naam"])
        put(ws, r, 2, live(("bovenwijkse_voorzieningen", i, "bedrag"), b["investering"])).number_format = EUR_FMT
        given = case.bovenwijkse_voorzieningen[i].aandeel is not None
        put(ws, r, 3, live(("bovenwijkse_voorzieningen", i, "aandeel"), b["aandeel"]) if given else b["aandeel"]).number_format = "0.0000%"
        ws.cell(r, 4, f"=B{r}*C{r}").number_format = EUR_FMT
        r += 1
    ws.cell(r, 1, "Totaal").font = bold
    ws.cell(r, 4, f"=SUM(D{first}:D{r - 1})" if r > first else 0).number_format = EUR_FMT
    amounts["bovenwijks"] = f"D{r}"
    r += 2

    ws.cell(r, 1, "Financiële bijdrage fysieke leefomgeving").font = bold
    r += 1
    fys = inp.fysiek
    if fys["per_gebied"]:
        for i, h in enumerate(("Gebied", "Segment", "Woningen", "Tarief per woning", "Bijdrage")):
            ws.cell(r, 1 + i, h).font = bold
        r += 1
        first = r
        for area in fys["per_gebied"]:
            for row in area["regels"]:
                text_cell(ws, r, 1, area["gebied"])
                text_cell(ws, r, 2, row["segment"])
                ws.cell(r, 3, row["woningen"])
                ws.cell(r, 4, row["tarief"]).number_format = EUR_FMT
                ws.cell(r, 5, f"=C{r}*D{r}").number_format = EUR_FMT
                r += 1
        ws.cell(r, 1, "Totaal").font = bold
        ws.cell(r, 5, f"=SUM(E{first}:E{r - 1})").number_format = EUR_FMT
        amounts["fb_fysiek"] = f"E{r}"
    else:
        text_cell(ws, r, 1, fys["herkomst"])
        fb = case.financiele_bijdrage_fysieke_leefomgeving
        value = live(("financiele_bijdrage_fysieke_leefomgeving", "bedrag"), float(fys["bedrag"])) if fb is not None and fb.bedrag is not None else float(fys["bedrag"])
        put(ws, r, 5, value).number_format = EUR_FMT
        amounts["fb_fysiek"] = f"E{r}"
    r += 2

    ws.cell(r, 1, "Financiële bijdrage evenwichtige woningvoorraad (§4.2)").font = bold
    r += 1
    wv = inp.woningvoorraad
    if wv.get("toegepast"):
        ws.cell(r, 1, "Woningen totaal")
        n_cell = f"B{r}"
        ws.cell(r, 2, float(sum(g["gerealiseerd"] for g in wv["groepen"])))
        r += 1
        for i, h in enumerate(("Groep", "Norm-aandeel", "Norm (afgerond)", "Gerealiseerd", "Verschil", "Grondwaarde per woning", "Bedrag")):
            ws.cell(r, 1 + i, h).font = bold
        r += 1
        first = r
        groups = wv["groepen"]
        for gi, g in enumerate(groups):
            text_cell(ws, r, 1, g["segmenten"])
            ws.cell(r, 2, g["norm_aandeel"]).number_format = "0.00%"
            if gi < len(groups) - 1:
                prev = f"SUM(C{first}:C{r - 1})" if r > first else "0"
                ws.cell(r, 3, f"=MIN(ROUNDUP(ROUND(B{r}*{n_cell},9),0),{n_cell}-{prev})")
            else:
                ws.cell(r, 3, f"={n_cell}-SUM(C{first}:C{r - 1})" if r > first else f"={n_cell}")
            ws.cell(r, 4, g["gerealiseerd"])
            ws.cell(r, 5, f"=D{r}-C{r}")
            ws.cell(r, 6, g["grondwaarde_per_woning"]).number_format = EUR_FMT
            ws.cell(r, 7, f"=E{r}*F{r}").number_format = EUR_FMT
            r += 1
        ws.cell(r, 1, "Saldo (negatief: ontvangst uit het fonds)").font = bold
        ws.cell(r, 7, f"=SUM(G{first}:G{r - 1})").number_format = EUR_FMT
        amounts["fb_wv_signed"] = f"G{r}"
    else:
        ws.cell(r, 1, "niet van toepassing")
        ws.cell(r, 7, 0.0)
        amounts["fb_wv_signed"] = f"G{r}"
    r += 2

    zonder = case.tijdvak == "zonder"
    if zonder:
        ws.cell(r, 1, "Kostenverhaal zonder tijdvak: kavels").font = bold
        r += 1
        ws.cell(r, 1, "Kostenplafond")
        put(ws, r, 2, live(("kostenplafond",), float(case.kostenplafond or 0.0))).number_format = EUR_FMT
        amounts["plafond"] = f"B{r}"
        r += 1
        for i, h in enumerate(("Kavel", "Aandeel", "Waarde voor", "Waarde na", "Waardevermeerdering", "Aandeel kosten", "Bijdrage")):
            ws.cell(r, 1 + i, h).font = bold
        r += 1
        first = r
        for ki, k in enumerate(inp.kavels):
            text_cell(ws, r, 1, k["naam"])
            ws.cell(r, 2, k["aandeel"]).number_format = "0.0000%"
            put(ws, r, 3, live(("kavels", ki, "waarde_voor"), k["waarde_voor"])).number_format = EUR_FMT
            put(ws, r, 4, live(("kavels", ki, "waarde_na"), k["waarde_na"])).number_format = EUR_FMT
            ws.cell(r, 5, f"=MAX(0,D{r}-C{r})").number_format = EUR_FMT
            ws.cell(r, 6, f"=B{r}*MIN(Aftopping!$B$5+Aftopping!$B$6,{amounts['plafond']})").number_format = EUR_FMT
            ws.cell(r, 7, f"=MIN(F{r},E{r})").number_format = EUR_FMT
            r += 1
        ws.cell(r, 1, "Totaal").font = bold
        ws.cell(r, 5, f"=SUM(E{first}:E{r - 1})").number_format = EUR_FMT
        ws.cell(r, 7, f"=SUM(G{first}:G{r - 1})").number_format = EUR_FMT
        amounts["wv_total"] = f"E{r}"
        amounts["kavel_total"] = f"G{r}"
        r += 2
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 40
    for col in "CDEFG":
        ws.column_dimensions[col].width = 18

    # ---- Aftopping and volgordelijkheid
    af = wb.create_sheet("Aftopping")
    amount_ref = lambda key: f"{AMOUNTS}!{amounts[key]}"  # noqa: E731
    af["A1"] = "Aftopping en volgordelijkheid"
    af["A1"].font = bold
    if zonder:
        af["A2"], af["B2"] = "Maximum: som waardevermeerdering kavels (zonder tijdvak)", f"={amount_ref('wv_total')}"
        af["A3"], af["B3"] = "Ruimte regeling kostenverhaal: som bijdragen per kavel, ten hoogste het maximum", f"=MIN({amount_ref('kavel_total')},B2)"
    else:
        af["A2"] = "Macroaftopping: MAX(0; opbrengsten + subsidies − kosten initiatiefnemer) (art. 13.14 Ow)"
        af["B2"] = f"=MAX(0,{amount_ref('opbrengsten_initiatiefnemer')}+{amount_ref('subsidies_initiatiefnemer')}-{amount_ref('kosten_initiatiefnemer')})"
        af["A3"], af["B3"] = "Ruimte regeling kostenverhaal", "=B2"
    af["A4"], af["B4"], af["C4"], af["D4"], af["E4"] = "Categorie (volgorde)", "Te verhalen", "Ruimte vóór", "Verhaald", "Niet verhaald"
    for c in "ABCDE":
        af[f"{c}4"].font = bold
    labels = {
        "gebiedseigen": "1. Gebiedseigen kosten gemeente",
        "bovenwijkse_voorzieningen": "2. Bovenwijkse voorzieningen",
        "financiele_bijdrage_fysieke_leefomgeving": "3. Financiële bijdrage fysieke leefomgeving",
        "financiele_bijdrage_woningvoorraad": "4. Financiële bijdrage evenwichtige woningvoorraad",
    }
    for i, c in enumerate(CATEGORIES):
        af[f"A{5 + i}"] = labels[c]
    af["B5"] = f"=MAX(0,{amount_ref('kosten_gemeente')}-{amount_ref('opbrengsten_gemeente')}-{amount_ref('subsidies_gemeente')})"
    af["B6"] = f"={amount_ref('bovenwijks')}"
    af["B7"] = f"={amount_ref('fb_fysiek')}"
    af["B8"] = f"=MAX(0,{amount_ref('fb_wv_signed')})"
    af["C5"] = "=MAX(0,B3)"
    af["C6"] = "=MAX(0,B3-B5)"
    af["A10"], af["B10"] = "Ruimte financiële bijdragen: maximum − verhaald kostenverhaal", "=B2-D5-D6"
    af["C7"] = "=MAX(0,B10)"
    af["C8"] = "=MAX(0,B10-B7)"
    for row in range(5, 9):
        af[f"D{row}"] = f"=MIN(B{row},C{row})"
        af[f"E{row}"] = f"=B{row}-D{row}"
    af["A11"], af["B11"] = "Exploitatiebijdrage (som verhaald)", "=SUM(D5:D8)"
    af["A12"], af["B12"] = "Niet verhaalbaar (macroaftopping)", "=SUM(E5:E8)"
    af["A13"], af["B13"] = "Ontvangst uit fonds woningvoorraad", f"=MAX(0,-{amount_ref('fb_wv_signed')})"
    for row in range(2, 14):
        for c in "BCDE":
            af[f"{c}{row}"].number_format = EUR_FMT
    af.column_dimensions["A"].width = 80
    for c in "BCDE":
        af.column_dimensions[c].width = 18
    name("Cap", "Aftopping", "B2")
    name("Exploitatiebijdrage", "Aftopping", "B11")
    name("NietVerhaalbaar", "Aftopping", "B12")
    for i, c in enumerate(CATEGORIES):
        name(f"Verhaald_{c}", "Aftopping", f"D{5 + i}")
        name(f"NietVerhaald_{c}", "Aftopping", f"E{5 + i}")

    # ---- A5 table
    a5 = wb.create_sheet("A5")
    a5["A1"] = "Kostensoorten"
    for j, col in enumerate(A5_COLUMNS):
        a5.cell(1, 2 + j, col)
    for c in "ABCD":
        a5[f"{c}1"].font = bold
    formulas = [
        (f"={amount_ref('kosten_initiatiefnemer')}", f"={amount_ref('kosten_gemeente')}"),
        (f"={amount_ref('opbrengsten_initiatiefnemer')}", f"={amount_ref('opbrengsten_gemeente')}"),
        (f"={amount_ref('subsidies_initiatiefnemer')}", f"={amount_ref('subsidies_gemeente')}"),
        ("=B3+B4-B2", "=C3+C4-C2"),
        ("=0", "=Aftopping!B6"),
        ("=0", "=Aftopping!B7"),
        ("=0", "=Aftopping!B8"),
        ("=B5-B6-B7-B8", "=C5-C6-C7-C8"),
        ("=Aftopping!B12", "=0"),
        ("=-Aftopping!B11", "=Aftopping!B11"),
        ("=B9+B11", "=C9+C11"),
    ]
    for i, (label, (fi, fg)) in enumerate(zip(A5_ROWS, formulas)):
        row = 2 + i
        a5.cell(row, 1, label)
        a5.cell(row, 2, fi).number_format = EUR_FMT
        a5.cell(row, 3, fg).number_format = EUR_FMT
        if label != "Macroaftopping":
            a5.cell(row, 4, f"=B{row}+C{row}").number_format = EUR_FMT
        for j in range(3):
            name(f"A5_{i + 1}_{j + 1}", "A5", f"{'BCD'[j]}{row}")
    toelichting = result.a5_toelichting()
    if toelichting:
        row = 2 + len(A5_ROWS) + 1
        a5.cell(row, 1, "Toelichting bij tabel A5").font = bold
        for i, line in enumerate(toelichting, start=1):
            text_cell(a5, row + i, 1, line)
    a5.column_dimensions["A"].width = 48
    for c in "BCD":
        a5.column_dimensions[c].width = 18
    wb.move_sheet("A5", offset=-wb.sheetnames.index("A5"))
    for n, ref in names.items():
        wb.defined_names[n] = DefinedName(n, attr_text=ref)
    return workbook_bytes(wb)
