"""Plankostenscan in Excel: an input template derived from the model (labels, units and help from ``veld``), its
import (errors name sheet and cell), and an export whose figures are live formulas.

The export has the sheets Samenvatting, Berekening (every row of tabel 1: hours = grondslag × uren × factors, or a
percentage of other rows; amount = hours × tariff + fixed amounts; × (1 + factor) × chosen), Tarieven (tabel 3),
Factoren (the indicator percentages and the complexity factor as AVERAGE (2024) or SUM (2026)) and Grondslagen (the
quantities computed by the engine). Change an hour rate, an hours-per-unit or an indicator in Excel and the totals
follow; recalculated by LibreOffice the totals equal the engine to €0,01 (tests/plankosten). Defined names:
``Totaal``, ``VastBedrag``, ``Product_<code>`` (``1.1a`` → ``Product_1_1a``), ``Rij_<n>``.

Given the plan as plain data, the export also holds the plan's input sheets laid out from the model
(:mod:`opengrex.io.xlsx_invoer`, stamped with the document and version): the download can be edited and uploaded back
as a new version, and the grondslagen that are a plan quantity as it stands (:data:`LIVE_GRONDSLAGEN`) refer to its
input cell.

io never imports services: the caller passes the result (``PlankostenResult``-like object) to :func:`write_plankosten_xlsx`.
"""
from __future__ import annotations

import datetime as dt
import types
import typing
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from opengrex.errors import InputError
from opengrex.io.documents import Locator
from opengrex.io.xlsx_cells import save_workbook
from opengrex.model.base import EENHEID
from opengrex.model.plankosten import PlankostenPlan

SHEET = "Plan"
FIRST_ROW = 4
HEADER = ("Gegeven", "Waarde", "Eenheid", "Toelichting", "Veld")
LIST_FIELDS = {"producten", "onderzoeken"}
MONEY = '#,##0.00 "€"'


def _inner(annotation: Any) -> Any:
    """The type inside ``X | None``."""
    if get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def template_fields(model: type[BaseModel] = PlankostenPlan, prefix: tuple = (), section: str = "") -> list[dict[str, Any]]:
    """Every input cell of the template, in model order: path, label (with its section), unit, help, choices."""
    out: list[dict[str, Any]] = []
    for name, f in model.model_fields.items():
        key = f.alias or name
        ann = _inner(f.annotation)
        label = f.title or key
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            out += template_fields(ann, prefix + (key,), f"{section}{label} · ")
            continue
        extra = f.json_schema_extra if isinstance(f.json_schema_extra, dict) else {}
        choices = None
        if get_origin(ann) is Literal:
            choices = [str(a) for a in get_args(ann)]
        elif get_origin(ann) is list and get_origin(get_args(ann)[0]) is Literal:
            choices = [str(a) for a in get_args(get_args(ann)[0])]
        kind = ("list" if name in LIST_FIELDS else "bool" if ann is bool else "date" if ann is dt.date
                else "number" if ann in (int, float) else "text")
        out.append({"path": prefix + (key,), "label": section + label, "eenheid": extra.get(EENHEID, ""), "help": f.description or "",
                    "choices": choices, "kind": kind, "required": f.is_required()})
    return out


def write_plankosten_template(path: str | Path, example: dict[str, Any] | None = None, producten: list[dict[str, str]] | None = None) -> Path:
    """An empty (or, with ``example``, filled) input template; ``producten``: rows (versie, bijlage, product, naam)
    listed on a reference sheet so a user sees the product codes of every version."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws["A1"] = "Plankostenscan (Omgevingsregeling hoofdstuk 13, bijlagen XXXIV en XXXIVa) — invoer"
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = "Vul kolom B in. Lijsten (producten, onderzoeken) met komma's scheiden. Ja/nee als 'ja' of 'nee'. Kolom E niet wijzigen."
    for j, h in enumerate(HEADER, start=1):
        c = ws.cell(row=FIRST_ROW - 1, column=j, value=h)
        c.font = Font(bold=True)
    fill = PatternFill("solid", fgColor="FFF2CC")
    for i, f in enumerate(template_fields()):
        r = FIRST_ROW + i
        ws.cell(row=r, column=1, value=f["label"] + (" *" if f["required"] else ""))
        value = _get(example, f["path"]) if example else None
        if value is not None:
            if f["kind"] == "list":
                value = ", ".join(str(v) for v in value)
            elif f["kind"] == "bool":
                value = "ja" if value else "nee"
            elif f["kind"] == "date" and isinstance(value, str):
                value = dt.date.fromisoformat(value)
        cell = ws.cell(row=r, column=2, value=value)
        cell.fill = fill
        cell.data_type = "s" if isinstance(value, str) else cell.data_type
        ws.cell(row=r, column=3, value=f["eenheid"])
        help_ = f["help"] + (f" Keuzes: {', '.join(f['choices'])}." if f["choices"] else "")
        ws.cell(row=r, column=4, value=help_.strip())
        ws.cell(row=r, column=5, value=".".join(f["path"]))
        if f["choices"] and f["kind"] != "list":
            dv = DataValidation(type="list", formula1='"' + ",".join(f["choices"]) + '"', allow_blank=True)
            ws.add_data_validation(dv)
            dv.add(cell)
        elif f["kind"] == "bool":
            dv = DataValidation(type="list", formula1='"ja,nee"', allow_blank=True)
            ws.add_data_validation(dv)
            dv.add(cell)
    for col, width in zip("ABCDE", (58, 22, 10, 90, 38)):
        ws.column_dimensions[col].width = width
    if producten:
        ps = wb.create_sheet("Producten")
        ps.append(["Versie", "Bijlage", "Product", "Naam"])
        for c in ps[1]:
            c.font = Font(bold=True)
        for row in producten:
            ps.append([row["versie"], row["bijlage"], row["product"], row["naam"]])
        for col, width in zip("ABCD", (12, 10, 10, 90)):
            ps.column_dimensions[col].width = width
    target = Path(path)
    wb.save(target)
    return target


def _get(data: dict[str, Any] | None, path: tuple) -> Any:
    node: Any = data
    for p in path:
        if not isinstance(node, dict) or p not in node:
            return None
        node = node[p]
    return node


def read_plankosten_xlsx(path: str | Path) -> tuple[dict[str, Any], Locator]:
    """Read a filled template into plain data and a :class:`Locator` that names sheet and cell for every field."""
    import openpyxl

    p = Path(path)
    if not p.is_file():
        raise InputError("bestand niet gevonden", location=str(p), value=str(p))
    try:
        wb = openpyxl.load_workbook(p, data_only=True, read_only=True)
    except Exception as exc:  # noqa: BLE001 - anything openpyxl cannot open is not a template
        raise InputError(f"geen leesbaar Excel-bestand ({type(exc).__name__})", location=str(p), field="bestand", allowed="het plankosten-sjabloon (.xlsx)") from None
    try:
        if SHEET not in wb.sheetnames:
            raise InputError("blad ontbreekt", location=str(p), field="bestand", value=", ".join(wb.sheetnames), allowed=f"een blad '{SHEET}' (opengrex plankosten template)")
        ws = wb[SHEET]
        fields = {".".join(f["path"]): f for f in template_fields()}
        data: dict[str, Any] = {}
        places: dict[tuple, str] = {}
        for r, row in enumerate(ws.iter_rows(min_row=FIRST_ROW, max_col=5, values_only=True), start=FIRST_ROW):
            if r > FIRST_ROW + 500:
                break
            key = row[4] if len(row) >= 5 else None
            if key is None:
                continue
            if key not in fields:
                raise InputError("onbekend veld in kolom E", location=f"{p}, blad {SHEET}, cel E{r}", field=str(key), allowed="de veldnamen van het sjabloon (kolom E niet wijzigen)")
            f = fields[key]
            places[f["path"]] = f"blad {SHEET}, cel B{r}"
            set_path(data, f["path"], _cell_value(row[1], f, f"{p}, blad {SHEET}, cel B{r}"))
    finally:
        wb.close()
    return data, Locator(str(p), places=places)


def set_path(data: dict[str, Any], path: tuple, value: Any) -> None:
    """Put ``value`` at ``path`` in nested plain data (nothing when the value is None: the field stays unset)."""
    if value is None:
        return
    node = data
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = value


def field_value(raw: Any, f: dict[str, Any], where: str) -> Any:
    """A cell or form value as plain data for field ``f`` of :func:`template_fields` (None when empty): lists split
    on commas, ja/nee as booleans, dates as ISO text, Dutch decimals ('0,8') as numbers."""
    return _cell_value(raw, f, where)


def _cell_value(raw: Any, f: dict[str, Any], where: str) -> Any:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    kind = f["kind"]
    if kind == "list":
        return [s.strip() for s in str(raw).replace(";", ",").split(",") if s.strip()]
    if kind == "bool":
        text = str(raw).strip().lower()
        if text in ("ja", "j", "true", "waar", "1", "yes"):
            return True
        if text in ("nee", "n", "false", "onwaar", "0", "no"):
            return False
        raise InputError("geen ja/nee-waarde", location=where, field=".".join(f["path"]), value=raw, allowed="ja of nee")
    if kind == "date":
        if isinstance(raw, dt.datetime):
            return raw.date().isoformat()
        if isinstance(raw, dt.date):
            return raw.isoformat()
        return str(raw).strip()
    if isinstance(raw, str) and kind == "number":
        text = raw.strip()
        num = text.replace(".", "").replace(",", ".") if "," in text else text
        try:
            return int(num) if num.lstrip("-").isdigit() else float(num)
        except ValueError:
            return text
    if isinstance(raw, str):
        return raw.strip()
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    return raw


# ---------------------------------------------------------------------------------------------------------- export
def export_plankosten_xlsx(result: Any, path: str | Path) -> Path:
    """The public name of :func:`write_plankosten_xlsx` (``opengrex.export_plankosten_xlsx``)."""
    return write_plankosten_xlsx(result, path)


LIVE_GRONDSLAGEN: dict[str, tuple[tuple, float]] = {
    "oppervlakte_ha": (("kostenverhaalsgebied", "oppervlakte_ha"), 1.0),
    "gebouwen_met_woonfunctie": (("programma", "gebouwen_met_woonfunctie"), 1.0),
    "verharding_100m2": (("openbare_ruimte", "verharding_m2"), 0.01),
    "groen_water_100m2": (("openbare_ruimte", "groen_water_m2"), 0.01),
}
"""Grondslagen that are an input of the plan times a factor (hectares, 100 m²): the cell refers to the input cell
when the engine took exactly that value (else it stays the engine's value)."""


def _name(text: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in text)


def write_plankosten_xlsx(result: Any, path: str | Path, data: dict[str, Any] | None = None, herkomst: Any = None) -> Path:
    """Write the result of one plan as a workbook with live formulas (see module docstring); ``data``: the plan as
    stored, to add its input sheets (stamped with ``herkomst``) so the workbook can be uploaded back."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter as col
    from openpyxl.workbook.defined_name import DefinedName

    params, t, o, i = result.params, result.tabellen, result.outcome, result.index
    bij = params.bijlage(result.bijlage)
    bold = Font(bold=True)
    wb = Workbook()
    sam = wb.active
    sam.title = "Samenvatting"

    # --- Tarieven
    tar = wb.create_sheet("Tarieven")
    tar.append(["Tariefgroep", "Deskundigheid", "EUR per uur", "Bron"])
    tg_row: dict[str, int] = {}
    for k, g in enumerate(params.tarieven.groepen):
        r = k + 2
        tar.append([g.groep, g.deskundigheid, g.euro_per_uur, f"{params.bron}, {params.tarieven.bron}, rij {g.groep}"])
        tg_row[g.groep] = r

    # --- Factoren
    fac = wb.create_sheet("Factoren")
    fac.append(["Indicator", "Omschrijving", "Categorie", "Opslag (%)", "Bron"])
    ind = result.indicatoren()
    for row in ind[:6]:
        fac.append([row["indicator"], row["omschrijving"], row["categorie"], row["opslag_pct"] * 100.0, row["bron"]])
    ind_cell = {x: f"Factoren!$D${2 + k}" for k, x in enumerate(("I", "II", "III", "IV", "V", "VI"))}

    # --- Grondslagen (values from the engine) and vermenigvuldigers
    gr = wb.create_sheet("Grondslagen")
    gr.append(["Grondslag", "Omschrijving", "Waarde", "Eenheid"])
    from opengrex.engine.plankosten import MULT_NAMES  # the multiplier names, in engine order

    g_cell: dict[str, str] = {}
    for k, key in enumerate(t.grondslagen):
        r = k + 2
        gr.append([key, key.replace("_", " "), float(o.grondslagen[i, k]), ""])
        g_cell[key] = f"Grondslagen!$C${r}"
    base = len(t.grondslagen) + 3
    gr.cell(row=base - 1, column=1, value="Verrekenfactoren").font = bold
    m_cell: dict[str, str] = {}
    for k, key in enumerate(MULT_NAMES):
        r = base + k
        gr.cell(row=r, column=1, value=key)
        gr.cell(row=r, column=3, value=float(o.vermenigvuldigers[i, k]))
        m_cell[key] = f"Grondslagen!$C${r}"

    # --- Berekening
    be = wb.create_sheet("Berekening")
    heads = ["Id", "Product", "Onderdeel", "Rekenwijze", "Grondslag", "Per eenheid / percentage", "Verrekenfactor", "Uren",
             "Tarief", "Vaste bedragen", "Bedrag vóór factor", "Factor", "Gekozen", "Bedrag", "Bron"]
    be.append(heads)
    for c in be[1]:
        c.font = bold
    pos = {rid: j + 2 for j, rid in enumerate(t.row_ids)}
    for j, r in enumerate(bij.tabel_1):
        n = j + 2
        soort = r.soort
        key = r.euro_uit if soort == "euro_uit" else r.grondslag
        E = f"={g_cell[key]}" if key else 1
        F = (r.percentage / 100.0 if soort in ("percentage_grondslag", "percentage_uren", "percentage_bedrag") else
             r.minimum_uren if soort == "minimum_uren" else r.bedrag if soort == "bedrag" else r.uren if r.uren is not None else 1)
        mults = [m_cell[m] for m in r.vermenigvuldigers] + ([m_cell["toedeling_13_4"]] if bool(t.vermenigvuldigers[j, MULT_NAMES.index("toedeling_13_4")]) else [])
        G = "=" + "*".join(mults) if mults else 1
        refs = [f"H{pos[x]}" for x in (r.van or [])]
        H: Any = 0
        J: Any = 0
        if soort in ("uren", "percentage_grondslag"):
            H = f"=E{n}*F{n}*G{n}"
        elif soort == "percentage_uren":
            H = f"=F{n}*({'+'.join(refs)})*G{n}" + (f"*E{n}" if r.grondslag else "")
        elif soort == "minimum_uren":
            s = "+".join(refs)
            H = f"=IF(({s})>0,MAX(F{n}-({s}),0),0)*G{n}"
        elif soort == "bedrag":
            J = f"=IF(E{n}>0,MAX(E{n}*F{n},{r.minimum or 0}),0)*G{n}"
        elif soort == "euro_uit":
            tmin = g_cell[r.minimum_uit] if r.minimum_uit else "0"
            J = f"=IF(E{n}>0,MAX(E{n},{r.minimum or 0},{tmin}),0)*G{n}"
        else:  # percentage_bedrag
            brefs = [f"J{pos[x]}" for x in r.van_bedrag or []]
            if r.minimum_percentage:
                mins = []
                for x in r.van_bedrag or []:
                    rr = bij.tabel_1[t.row_ids.index(x)]
                    tmin = g_cell[rr.minimum_uit] if rr.minimum_uit else "0"
                    mins.append(f"MAX({rr.minimum or 0},{tmin})")
                pmin = f"{r.minimum_percentage / 100.0}*({'+'.join(mins)})"
            else:
                pmin = str(r.minimum or 0)
            b = f"F{n}*({'+'.join(brefs)})"
            J = f"=IF({b}>0,MAX({b},{pmin}),0)*G{n}"
        if r.tariefgroepen:
            I_: str | int = "=AVERAGE(" + ",".join(f"Tarieven!$C${tg_row[g]}" for g in r.tariefgroepen) + ")"
        else:
            I_ = 0
        members = [x for x, on in zip(("I", "II", "III", "IV", "V", "VI"), t.factor[j]) if on]
        if not members:
            L: Any = 0
        elif params.methode == "2024_01":
            L = "=AVERAGE(" + ",".join(ind_cell[x] for x in members) + ")/100"
        else:
            L = "=(" + "+".join(ind_cell[x] for x in members) + ")/100"
        be.append([r.id, r.product, r.onderdeel, r.soort, E, F, G, H, I_, J, f"=H{n}*I{n}+J{n}", L, 1 if o.actief[i, j] else 0,
                   f"=K{n}*(1+L{n})*M{n}", f"{result.bron}, tabel 1, {r.bron}"])
        for c in "JKN":
            be[f"{c}{n}"].number_format = MONEY
        be[f"L{n}"].number_format = "0.00%"
        if soort in ("percentage_grondslag", "percentage_uren", "percentage_bedrag"):
            be[f"F{n}"].number_format = "0.00%"
        wb.defined_names[f"Rij_{n - 1}"] = DefinedName(f"Rij_{n - 1}", attr_text=f"Berekening!$N${n}")
    last = len(t.row_ids) + 1

    # --- Samenvatting
    sam["A1"] = f"Plankostenscan — {result.plan.naam}"
    sam["A1"].font = Font(bold=True, size=13)
    info = [("Peildatum", result.plan.peildatum.isoformat()), ("Versie tabellen", result.versie), ("Bijlage", f"{result.bijlage} (kostenverhaal {result.plan.tijdvak} tijdvak)"),
            ("Bron", result.bron)]
    for k, (a, b) in enumerate(info):
        sam.cell(row=3 + k, column=1, value=a).font = bold
        sam.cell(row=3 + k, column=2, value=b)
    r0 = 8
    sam.cell(row=r0, column=1, value="Product").font = bold
    sam.cell(row=r0, column=2, value="Naam").font = bold
    sam.cell(row=r0, column=3, value="Bedrag").font = bold
    r = r0 + 1
    for code in t.producten:
        if code not in result.plan.producten:
            continue
        sam.cell(row=r, column=1, value=code)
        sam.cell(row=r, column=2, value=bij.producten[code].naam)
        sam.cell(row=r, column=3, value=f'=SUMIF(Berekening!$B$2:$B${last},"{code}",Berekening!$N$2:$N${last})').number_format = MONEY
        wb.defined_names[f"Product_{_name(code)}"] = DefinedName(f"Product_{_name(code)}", attr_text=f"Samenvatting!$C${r}")
        r += 1
    sam.cell(row=r, column=1, value="art. 13.5")
    sam.cell(row=r, column=2, value="Vast bedrag kleine bouwactiviteit")
    sam.cell(row=r, column=3, value=result.vast_bedrag).number_format = MONEY
    wb.defined_names["VastBedrag"] = DefinedName("VastBedrag", attr_text=f"Samenvatting!$C${r}")
    r += 1
    sam.cell(row=r, column=1, value="Totaal").font = bold
    sam.cell(row=r, column=2, value="Maximaal verhaalbare plankosten (art. 13.2 lid 1), EUR exclusief btw").font = bold
    tot = sam.cell(row=r, column=3, value=f"=SUM(Berekening!$N$2:$N${last})+C{r - 1}")
    tot.number_format = MONEY
    tot.font = bold
    wb.defined_names["Totaal"] = DefinedName("Totaal", attr_text=f"Samenvatting!$C${r}")
    warnings = result.waarschuwingen()
    if warnings:
        r += 2
        sam.cell(row=r, column=1, value="Waarschuwingen").font = bold
        for w in warnings:
            r += 1
            sam.cell(row=r, column=1, value=w)
    if data is not None:
        _add_invoer(wb, result, data, herkomst, g_cell)
    for sheet, widths in ((sam, (16, 70, 18)), (be, (30, 8, 60, 18, 14, 14, 12, 12, 10, 14, 16, 10, 9, 16, 80)), (tar, (12, 32, 12, 90)),
                          (fac, (10, 28, 40, 12, 90)), (gr, (40, 40, 16, 10))):
        for k, w in enumerate(widths, start=1):
            sheet.column_dimensions[col(k)].width = w
    target = Path(path)
    save_workbook(wb, target)
    return target


def _add_invoer(wb: Any, result: Any, data: dict[str, Any], herkomst: Any, g_cell: dict[str, str]) -> None:
    """The plan's input sheets (after the calculation sheets), and the grondslagen that are a plan input pointed at
    their input cell."""
    from opengrex.io.xlsx_invoer import Herkomst, add_invoer

    cells = add_invoer(wb, PlankostenPlan, data, herkomst or Herkomst(soort="plankosten", naam=result.plan.naam), titel=f"Plankostenscan: {result.plan.naam}")
    t, o, i = result.tabellen, result.outcome, result.index
    for k, key in enumerate(t.grondslagen):
        if key not in LIVE_GRONDSLAGEN or key not in g_cell:
            continue
        path, factor = LIVE_GRONDSLAGEN[key]
        value = _get(data, path)
        if path in cells.places and isinstance(value, (int, float)) and abs(float(value) * factor - float(o.grondslagen[i, k])) <= 1e-9:
            sheet, ref = g_cell[key].split("!")
            wb[sheet][ref.replace("$", "")] = f"=N({cells.ref(path)})" + ("" if factor == 1.0 else f"*{factor}")
