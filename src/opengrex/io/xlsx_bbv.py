"""Council workbook of a portfolio valuation (MPG): an Excel file with live formulas that recompute the BBV figures.

After recalculation (Excel, or LibreOffice via :func:`opengrex.io.libreoffice.recalculate`) the formulas equal
:func:`opengrex.services.bbv.value_portfolio` to the cent (tested). The engine's yearly costs, revenues and rente per
grex are inputs; everything BBV is a formula: the book value by the rekening-courant rule, eindwaarde, T (whole
years or actual days), NCW, voorziening and its movement, POC, winstneming, the totals and the weerstandsvermogen.

Sheets
------
``Toelichting``   balance date, parameters with their sources, conventions, warnings, which variant this is.
``Parameters``    disconteringsvoet (name ``Disconteringsvoet``), balansjaar (``Balansjaar``), the rating table.
``Kasstroom``     per grex two rows: kosten and opbrengsten per year [EUR nominal, positive].
``Rente``         per grex the rente per year.
``Boekwaarde``    per grex the book value per year (engine sign: negative = costs exceed revenues), formulas.
``Looptijd``      1 where a grex's book value counts in the portfolio total of that year (start − 1 .. end).
``Portefeuille``  per grex every BBV figure (formulas) and the totals; names ``TotaalVoorziening``, …
``Weerstand``     beschikbaar, benodigd, ratio and class (formulas); names ``Ratio``, ``Klasse``.
``Jaren``         the portfolio's cash flow and book value per year (formulas).
``Posten``        (confidential variant only) every line with its amount at prijspeil and its note.

Confidential variant given the portfolio as plain data: also its input sheets laid out from the model
(:mod:`opengrex.io.xlsx_invoer`, stamped with the document and version), to edit and upload back as a new version;
the disconteringsvoet (when the portfolio gives one) and the beschikbare weerstandscapaciteit on ``Parameters`` refer to
their input cells.

Public variant (``openbaar=True``): no ``Posten`` sheet and no field the models mark ``vertrouwelijk`` (notes,
toelichtingen, risk registers): per-plot prices and notes never reach a public council document.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter as col
from openpyxl.workbook.defined_name import DefinedName

from opengrex.io.xlsx_cells import save_workbook
from opengrex.model.base import VERTROUWELIJK
from opengrex.model.bbv import PortefeuilleGrex

EUR = '"€ "#,##0.00;"€ "-#,##0.00'
PCT = "0.00%"
_BOLD = Font(bold=True)
_HEAD = PatternFill("solid", fgColor="DDE6F0")
_INPUT = PatternFill("solid", fgColor="FFF6D5")

PORTFOLIO_COLUMNS = [
    ("Grex", None), ("Status", None), ("Eindjaar", None), ("Dagtelling", None), ("T", "0.0000"), ("Boekwaarde 1-1", EUR), ("Toegerekende rente", EUR),
    ("Boekwaarde 31-12", EUR), ("Gerealiseerde kosten", EUR), ("Totale kosten", EUR), ("Gerealiseerde opbrengsten", EUR), ("Totale opbrengsten", EUR),
    ("Resultaat nominaal", EUR), ("Eindwaarde", EUR), ("NCW", EUR), ("Voorziening", EUR), ("Voorziening vorig jaar", EUR), ("Dotatie", EUR), ("Vrijval", EUR),
    ("POC", PCT), ("Uitgifte gerealiseerd", "0"), ("Winstneming (1/0)", "0"), ("Risicoverlaging bedrag", EUR), ("Risicoverlaging aandeel", PCT),
    ("Winst cumulatief", EUR), ("Winst t/m vorig jaar", EUR), ("Winst dit jaar", EUR), ("Risico", EUR),
]
TOTAL_NAMES = {"Boekwaarde 31-12": "TotaalBoekwaarde", "Resultaat nominaal": "TotaalNominaal", "NCW": "TotaalNCW", "Voorziening": "TotaalVoorziening",
               "Dotatie": "TotaalDotatie", "Vrijval": "TotaalVrijval", "Winst dit jaar": "TotaalWinstGenomen", "Winst cumulatief": "TotaalWinstCumulatief",
               "Risico": "TotaalRisico"}


def _confidential(field: str) -> bool:
    extra = PortefeuilleGrex.model_fields[field].json_schema_extra or {}
    return bool(isinstance(extra, dict) and extra.get(VERTROUWELIJK))


def _name(wb: Workbook, name: str, sheet: str, ref: str) -> None:
    wb.defined_names[name] = DefinedName(name, attr_text=f"'{sheet}'!{ref}")


def _head(ws, row: int, labels: list[str]) -> None:
    for j, lab in enumerate(labels, start=1):
        c = ws.cell(row, j, lab)
        c.font = _BOLD
        c.fill = _HEAD


def export_portfolio_xlsx(w: Any, path: str | Path, openbaar: bool = False, data: dict[str, Any] | None = None, herkomst: Any = None) -> Path:
    """Write the council workbook of valuation ``w`` (:class:`opengrex.services.bbv.Waardering`) to ``path``;
    ``data``: the portfolio as stored, to add its input sheets stamped with ``herkomst`` (confidential variant only:
    the public one never holds notes or lines)."""
    st, o = w.stapel, w.outcome
    years = [int(y) for y in w.years]
    n_y, n_p = len(years), len(w.names)
    pf = w.portefeuille
    entries = [pf.grexen[i] for i in w.valued]
    wb = Workbook()
    # ---- Toelichting
    ws = wb.active
    ws.title = "Toelichting"
    lines = [
        f"Meerjarenprognose Grondexploitaties — {pf.naam}",
        f"Waardering per 31-12-{w.balansjaar} (BBV); NCW per 1-1-{w.balansjaar + 1}.",
        f"Variant: {'OPENBAAR (zonder posten, prijzen per kavel en toelichtingen)' if openbaar else 'VERTROUWELIJK (met posten en toelichtingen)'}",
        f"Disconteringsvoet {w.disconteringsvoet * 100:.2f}% — {w.disconteringsvoet_bron}".replace(".", ",", 1),
        f"Dagtelling: {', '.join(sorted(set(w.dagtelling)))} (hele_jaren: T = eindjaar − balansjaar; werkelijke_dagen: dagen van 1-1-{w.balansjaar + 1} tot 31-12 van het eindjaar / 365,25).",
        f"Basis verliesvoorziening: {pf.voorziening_basis}; basis winstneming (POC): {pf.poc_basis}. Boekwaarde als balanswaarde: positief = voorraad.",
        "Rente: rentepercentage × boekwaarde per 1 januari (Notitie Grondexploitaties 2016 §4.4); timing van de kasstromen: " + str(st.arrays.timing) + ".",
        f"Weerstandsvermogen: waarderingstabel NAR / Universiteit Twente ({w.weerstand['bron']}); {w.weerstand['grensconventie']}.",
        "Gele cellen zijn invoer uit de rekenkern (kosten, opbrengsten en rente per jaar, vorige-jaarscijfers, risico); alle andere cijfers zijn formules.",
        *[f"Let op: {m}" for m in w.waarschuwingen],
    ]
    for r, text in enumerate(lines, start=1):
        ws.cell(r, 1, text).font = _BOLD if r == 1 else Font()
    ws.column_dimensions["A"].width = 140
    # ---- Parameters
    wp = wb.create_sheet("Parameters")
    wp["A1"], wp["B1"] = "Disconteringsvoet", w.disconteringsvoet
    wp["B1"].number_format = PCT
    wp["A2"], wp["B2"] = "Balansjaar", w.balansjaar
    wp["A3"], wp["B3"] = "Beschikbare weerstandscapaciteit", float(pf.weerstandscapaciteit)
    wp["B3"].number_format = EUR
    _name(wb, "Disconteringsvoet", "Parameters", "$B$1")
    _name(wb, "Balansjaar", "Parameters", "$B$2")
    _name(wb, "Beschikbaar", "Parameters", "$B$3")
    _head(wp, 5, ["Klasse", "Ondergrens", "Betekenis"])
    import datetime as dt

    from opengrex.parameters.bbv import in_force

    klassen = in_force("weerstandsvermogen", dt.date(w.balansjaar, 12, 31)).data["klassen"]
    for r, k in enumerate(klassen, start=6):
        wp.cell(r, 1, k["code"])
        wp.cell(r, 2, k["ondergrens"] if k["ondergrens"] is not None else -1e9)
        wp.cell(r, 3, k["label"])
    # ---- Kasstroom / Rente / Boekwaarde / Looptijd
    wk, wr, wbv, wl = (wb.create_sheet(n) for n in ("Kasstroom", "Rente", "Boekwaarde", "Looptijd"))
    _head(wk, 1, ["Grex", "Soort"] + [str(y) for y in years])
    _head(wr, 1, ["Grex", ""] + [str(y) for y in years])
    _head(wbv, 1, ["Grex", "Opening"] + [str(y) for y in years])
    _head(wl, 1, ["Grex", ""] + [str(y) for y in years])
    c0 = 3  # first year column
    y_last = col(c0 + n_y - 1)
    timing = st.arrays.timing
    for p in range(n_p):
        rk, ro = 2 + 2 * p, 3 + 2 * p
        rb = 2 + p
        wk.cell(rk, 1, w.names[p])
        wk.cell(rk, 2, "kosten")
        wk.cell(ro, 1, w.names[p])
        wk.cell(ro, 2, "opbrengsten")
        wr.cell(rb, 1, w.names[p])
        wbv.cell(rb, 1, w.names[p])
        wl.cell(rb, 1, w.names[p])
        wbv.cell(rb, 2, float(st.arrays.opening[p])).fill = _INPUT
        for j in range(n_y):
            c = col(c0 + j)
            for cell, v in ((wk.cell(rk, c0 + j), -float(o.costs[p, j])), (wk.cell(ro, c0 + j), float(o.revenues[p, j])), (wr.cell(rb, c0 + j), float(st.arrays.rente[p, j]))):
                cell.value = v
                cell.fill = _INPUT
            wl.cell(rb, c0 + j, 1 if (st.start[p] - 1 <= j <= st.eind[p]) else 0)
            prev = f"{col(c0 + j - 1)}{rb}" if j else f"B{rb}"
            flow = f"(Kasstroom!{c}{ro}-Kasstroom!{c}{rk})"
            r_ = f"Rente!{c}{rb}"
            if timing == "mid":
                f = f"={prev}*(1+{r_})+{flow}*(1+{r_})^0.5"
            elif timing == "start":
                f = f"=({prev}+{flow})*(1+{r_})"
            else:
                f = f"={prev}*(1+{r_})+{flow}"
            wbv.cell(rb, c0 + j, f).number_format = EUR
    # ---- Portefeuille
    wf = wb.create_sheet("Portefeuille")
    labels = [c for c, _ in PORTFOLIO_COLUMNS]
    if not openbaar and _confidential("toelichting"):
        labels.append("Toelichting")
    _head(wf, 1, labels)
    cx = {lab: col(j) for j, lab in enumerate(labels, start=1)}
    fig = w.figures
    pos_n = w.balansjaar - years[0]
    real_last = col(c0 + pos_n) if pos_n >= 0 else None
    for p in range(n_p):
        r = 2 + p
        rk, ro, rb = 2 + 2 * p, 3 + 2 * p, 2 + p
        e = entries[p]
        end_col = col(c0 + int(st.eind[p]))
        bw = lambda pos, rb=rb: (f"-Boekwaarde!{col(c0 + pos)}{rb}" if pos >= 0 else f"-Boekwaarde!B{rb}")  # noqa: E731
        rente_n = f"Rente!{col(c0 + pos_n)}{rb}" if 0 <= pos_n < n_y else "0"
        real_sum = (lambda row: f"SUM(Kasstroom!{col(c0)}{row}:{real_last}{row})") if real_last else (lambda row: "0")
        vals: dict[str, Any] = {
            "Grex": w.names[p], "Status": e.status, "Eindjaar": int(fig["eindjaar"][p]), "Dagtelling": w.dagtelling[p],
            "T": (f"={cx['Eindjaar']}{r}-Balansjaar" if w.dagtelling[p] == "hele_jaren" else f"=(DATE({cx['Eindjaar']}{r},12,31)-DATE(Balansjaar+1,1,1))/365.25"),
            "Boekwaarde 1-1": "=" + bw(pos_n - 1),
            "Toegerekende rente": f"={cx['Boekwaarde 1-1']}{r}*{rente_n}",
            "Boekwaarde 31-12": "=" + bw(pos_n),
            "Gerealiseerde kosten": "=" + real_sum(rk), "Totale kosten": f"=SUM(Kasstroom!{col(c0)}{rk}:{y_last}{rk})",
            "Gerealiseerde opbrengsten": "=" + real_sum(ro), "Totale opbrengsten": f"=SUM(Kasstroom!{col(c0)}{ro}:{y_last}{ro})",
            "Resultaat nominaal": f"={cx['Totale opbrengsten']}{r}-{cx['Totale kosten']}{r}+Boekwaarde!B{rb}",
            "Eindwaarde": f"=Boekwaarde!{end_col}{rb}",
            "NCW": f"={cx['Eindwaarde']}{r}/(1+Disconteringsvoet)^{cx['T']}{r}",
            "Voorziening": f"=MAX(0,-{cx['NCW' if pf.voorziening_basis == 'ncw' else 'Eindwaarde']}{r})",
            "Voorziening vorig jaar": float(e.voorziening_vorig),
            "Dotatie": f"=MAX(0,{cx['Voorziening']}{r}-{cx['Voorziening vorig jaar']}{r})",
            "Vrijval": f"=MAX(0,{cx['Voorziening vorig jaar']}{r}-{cx['Voorziening']}{r})",
            "POC": f"=IF({cx['Totale kosten']}{r}>0,MIN(1,MAX(0,{cx['Gerealiseerde kosten']}{r}/{cx['Totale kosten']}{r})),1)*IF({cx['Totale opbrengsten']}{r}>0,MIN(1,MAX(0,{cx['Gerealiseerde opbrengsten']}{r}/{cx['Totale opbrengsten']}{r})),0)",
            "Uitgifte gerealiseerd": int(fig["uitgifte_gerealiseerd"][p]),
            "Winstneming (1/0)": 1 if e.winstneming else 0,
            "Risicoverlaging bedrag": float(e.risico.winst_bedrag), "Risicoverlaging aandeel": float(e.risico.winst_aandeel),
            "Winst cumulatief": f"=IF(AND({cx['Uitgifte gerealiseerd']}{r}=1,{cx['Winstneming (1/0)']}{r}=1),{cx['POC']}{r}*MAX(0,{cx['NCW' if pf.poc_basis == 'ncw' else 'Resultaat nominaal']}{r}-{cx['Risicoverlaging bedrag']}{r})*(1-{cx['Risicoverlaging aandeel']}{r}),0)",
            "Winst t/m vorig jaar": float(e.winst_vorig),
            "Winst dit jaar": f"={cx['Winst cumulatief']}{r}-{cx['Winst t/m vorig jaar']}{r}",
            "Risico": float(fig["risico"][p]),
        }
        if "Toelichting" in cx:
            vals["Toelichting"] = e.toelichting
        for lab, fmt in PORTFOLIO_COLUMNS + ([("Toelichting", None)] if "Toelichting" in cx else []):
            cell = wf[f"{cx[lab]}{r}"]
            cell.value = vals[lab]
            if fmt:
                cell.number_format = fmt
            if not (isinstance(vals[lab], str) and vals[lab].startswith("=")) and lab not in ("Grex", "Status", "Dagtelling", "Eindjaar", "Toelichting"):
                cell.fill = _INPUT
    rt = 2 + n_p
    wf.cell(rt, 1, "Totaal (in exploitatie)").font = _BOLD
    for lab, fmt in PORTFOLIO_COLUMNS:
        if fmt == EUR:
            cell = wf[f"{cx[lab]}{rt}"]
            cell.value = f"=SUM({cx[lab]}2:{cx[lab]}{rt - 1})"
            cell.number_format = EUR
            cell.font = _BOLD
            if lab in TOTAL_NAMES:
                _name(wb, TOTAL_NAMES[lab], "Portefeuille", f"${cx[lab]}${rt}")
    # ---- Weerstand
    ww = wb.create_sheet("Weerstand")
    ww["A1"], ww["B1"] = "Beschikbare weerstandscapaciteit", "=Beschikbaar"
    ww["A2"], ww["B2"] = "Benodigde weerstandscapaciteit", "=TotaalRisico"
    ww["A3"], ww["B3"] = "Ratio", '=IF(B2>0,B1/B2,"")'
    nested = '"' + klassen[-1]["code"] + '"'
    for k in range(len(klassen) - 2, -1, -1):
        nested = f'IF(B3>=Parameters!B{6 + k},Parameters!A{6 + k},{nested})'
    ww["A4"], ww["B4"] = "Klasse (ondergrens inclusief)", f'=IF(B2>0,{nested},"{klassen[0]["code"]}")'
    ww["B1"].number_format = ww["B2"].number_format = EUR
    ww["B3"].number_format = "0.000"
    _name(wb, "Ratio", "Weerstand", "$B$3")
    _name(wb, "Klasse", "Weerstand", "$B$4")
    # ---- Jaren
    wj = wb.create_sheet("Jaren")
    _head(wj, 1, ["Jaar", "Kasstroom (opbrengsten − kosten)", "Boekwaarde (balans)"])
    for j, y in enumerate(years):
        c = col(c0 + j)
        wj.cell(2 + j, 1, y)
        wj.cell(2 + j, 2, f"=SUMPRODUCT(Kasstroom!{c}2:{c}{1 + 2 * n_p},(MOD(ROW(Kasstroom!{c}2:{c}{1 + 2 * n_p}),2)=1)*2-1)").number_format = EUR
        wj.cell(2 + j, 3, f"=-SUMPRODUCT(Boekwaarde!{c}2:{c}{1 + n_p},Looptijd!{c}2:{c}{1 + n_p})").number_format = EUR
    # ---- Posten (confidential only)
    if not openbaar:
        wpo = wb.create_sheet("Posten")
        _head(wpo, 1, ["Grex", "Post", "Soort", "Code", "Bedrag (prijspeil)", "Prijspeil", "Indexreeks", "Toelichting"])
        r = 2
        for name, g in zip(w.names, w.grexes):
            for section, _, ln in g.lines():
                code = ln.kostensoort if section == "kosten" else ln.opbrengstsoort
                for j, v in enumerate([name, ln.name, section, code, float(ln.amount), g.prijspeil.isoformat(), ln.index, getattr(ln, "note", "")], start=1):
                    wpo.cell(r, j, v)
                wpo.cell(r, 5).number_format = EUR
                r += 1
    for sheet in wb.worksheets[1:]:
        sheet.column_dimensions["A"].width = 28
    if data is not None and not openbaar:
        _add_invoer(wb, pf, data, herkomst)
    out = Path(path)
    save_workbook(wb, out)
    return out


__all__ = ["export_portfolio_xlsx"]


def _add_invoer(wb: Workbook, pf: Any, data: dict[str, Any], herkomst: Any) -> None:
    """The portfolio's input sheets after the council sheets; ``Parameters`` refers to them where the portfolio
    gives the value (the disconteringsvoet, else the BBV parameter; the beschikbare weerstandscapaciteit)."""
    from opengrex.io.xlsx_invoer import Herkomst, add_invoer
    from opengrex.model.bbv import Portefeuille

    cells = add_invoer(wb, Portefeuille, data, herkomst or Herkomst(soort="portefeuille", naam=pf.naam), titel=f"Portefeuille: {pf.naam}")
    wp = wb["Parameters"]
    if ("disconteringsvoet",) in cells.places and pf.disconteringsvoet is not None:
        ref = cells.ref(("disconteringsvoet",))
        wp["B1"] = f"=IF(ISNUMBER({ref}),{ref},{float(wp['B1'].value)!r})"
    if ("weerstandscapaciteit",) in cells.places:
        wp["B3"] = f"=N({cells.ref(('weerstandscapaciteit',))})"
