"""Programme workbook (.xlsx): one sheet per project, plus sheets for the programme, partners, risks.

Layout (what :func:`export_programme_xlsx` writes and :func:`import_programme_xlsx` reads):

* ``Programma``: key / value rows with the document keys (naam, versie, omschrijving, prijspeil, ncw_datum,
  dagtelling, disconteringsvoet, timing, eindjaar, fonds_naam, fonds_rente, fonds_openingssaldo, fonds_financier).
* ``Financiers``: naam, rente. ``Partners``: naam, aandeel. ``Garanties``: naam, plafond, basis, projecten,
  partners. ``Taakstellingen``: naam, project, bedrag, partners.
* ``Projecten``: naam, soort, trekker, voorfinancierder, blad, prijspeil, startjaar, eindjaar, timing, rente,
  disconteringsvoet, openingsboekwaarde, gerealiseerd_tot_en_met, dagtelling, indexreeksen.
* One sheet per project (named in ``Projecten.blad``): Sectie (kosten/opbrengsten), Naam, Soort (kostensoort or
  opbrengstsoort), Bedrag, Indexreeks, Gerealiseerd, Notitie, then one column per year with the phasing.
* ``Risicos`` (project, naam, kans, min, modus, max, verdeling, jaar), ``Onzekerheden`` and ``Scenarios`` (JSON).

Workbooks of the first version (English keys such as ``name``, ``start_year``, ``fonds_opening``, ``mode``) still
load: every key and column header is accepted in both spellings.

Rate series are written as ``0.04`` or ``2005: 0.04; 2014: 0``; lists as ``a; b``; maps as ``a=0.5; b=0.5``.
Errors name the sheet and row.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from opengrex.errors import InputError
from opengrex.formatting import EXCEL_EUR_FORMAT
from opengrex.io.documents import Locator, build_model, check_readable
from opengrex.io.xlsx_cells import append_row
from opengrex.io.xlsx_reader import open_workbook
from opengrex.model.programma import Programme

PROGRAMME_KEYS = ("naam", "versie", "omschrijving", "prijspeil", "ncw_datum", "dagtelling", "disconteringsvoet", "timing", "eindjaar")
FUND_KEYS = ("naam", "rente", "openingssaldo", "financier")
PROJECT_COLS = ("naam", "soort", "trekker", "voorfinancierder", "blad", "prijspeil", "startjaar", "eindjaar", "timing", "rente", "disconteringsvoet",
                "openingsboekwaarde", "gerealiseerd_tot_en_met", "dagtelling", "indexreeksen")
LINE_COLS = ("Sectie", "Naam", "Soort", "Bedrag", "Indexreeks", "Gerealiseerd", "Notitie")
OLD_HEADERS = {"start_year": "startjaar", "end_year": "eindjaar", "opening_book_value": "openingsboekwaarde", "realised_through": "gerealiseerd_tot_en_met",
               "indices": "indexreeksen", "mode": "modus"}
"""Column headers of the first version and their current spelling."""


# ------------------------------------------------------------------------------------------------ encoding
def _rate_text(v: Any) -> Any:
    if isinstance(v, dict):
        return "; ".join(f"{y}: {r}" for y, r in sorted(v.items()))
    return v


def _rate_value(v: Any, where: str) -> Any:
    if v is None or v == "":
        return None
    if isinstance(v, (int, float)):
        return float(v)
    text = str(v).strip()
    try:
        if ":" not in text:
            return float(text.replace(",", "."))
        out = {}
        for part in text.split(";"):
            if part.strip():
                y, _, r = part.partition(":")
                out[int(y)] = float(r.strip().replace(",", "."))
        return out
    except ValueError:
        raise InputError("ongeldige rentereeks", location=where, value=text, allowed="0.04 of '2005: 0.04; 2014: 0'") from None


def _list_text(v: list[str]) -> str:
    return "; ".join(v)


def _list_value(v: Any) -> list[str]:
    return [x.strip() for x in str(v).split(";") if x.strip()] if v not in (None, "") else []


def _map_text(v: dict) -> str:
    return "; ".join(f"{k}={x}" for k, x in v.items())


def _map_value(v: Any, where: str) -> dict[str, float]:
    out = {}
    for part in _list_value(v):
        k, eq, x = part.rpartition("=")
        if not eq:
            raise InputError("ongeldige verdeling", location=where, value=part, allowed="naam=aandeel; naam=aandeel")
        try:
            out[k.strip()] = float(x.replace(",", "."))
        except ValueError:
            raise InputError("ongeldig aandeel", location=where, value=part, allowed="een getal, bijv. 0.5") from None
    return out


def _indices_text(ix: dict) -> str:
    return " | ".join(f"{k} = {_rate_text(v)}" for k, v in ix.items())


def _indices_value(v: Any, where: str) -> dict:
    out = {}
    for part in str(v or "").split("|"):
        if part.strip():
            k, _, r = part.partition("=")
            out[k.strip()] = _rate_value(r.strip(), where)
    return out


# ------------------------------------------------------------------------------------------------------ export
def _sheet_name(name: str, used: set[str]) -> str:
    base = "".join(c for c in name if c not in "[]:*?/\\")[:28] or "Project"
    cand, i = base, 2
    while cand.lower() in used:
        cand = f"{base[:25]} {i}"
        i += 1
    used.add(cand.lower())
    return cand


def export_programme_xlsx(prog: Programme, path: str | Path) -> None:
    """Write ``prog`` as a programme workbook (one sheet per project); :func:`import_programme_xlsx` reads it back.
    Every text (names, notes, JSON) is a text cell, never a formula (:mod:`opengrex.io.xlsx_cells`)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Programma"
    bold = Font(bold=True)
    append_row(ws, ["Sleutel", "Waarde"])
    d = prog.model_dump(mode="json")
    for k in PROGRAMME_KEYS:
        append_row(ws, [k, d.get(k)])
    if prog.fonds:
        for k in FUND_KEYS:
            v = d["fonds"][k]
            append_row(ws, [f"fonds_{k}", _rate_text(v) if k == "rente" else v])

    def table(title: str, header: list[str], rows: list[list[Any]]) -> None:
        s = wb.create_sheet(title)
        append_row(s, header)
        for c in s[1]:
            c.font = bold
        for r in rows:
            append_row(s, r)

    table("Financiers", ["naam", "rente"], [[f.name, _rate_text(f.rente)] for f in prog.financiers])
    table("Partners", ["naam", "aandeel"], [[p.name, p.share] for p in prog.partners])
    table("Garanties", ["naam", "plafond", "basis", "projecten", "partners"], [[g.name, g.plafond, g.basis, _list_text(g.projecten), _map_text(g.partners)] for g in prog.garanties])
    table("Taakstellingen", ["naam", "project", "bedrag", "partners"], [[t.name, t.project, t.bedrag, _map_text(t.partners)] for t in prog.taakstellingen])
    used = {n.lower() for n in ("Programma", "Financiers", "Partners", "Garanties", "Taakstellingen", "Projecten", "Risicos", "Onzekerheden", "Scenarios")}
    sheets = [_sheet_name(p.name, used) for p in prog.projecten]
    rows = []
    for p, sh in zip(prog.projecten, sheets):
        g = p.grex
        rows.append([p.name, p.soort, p.trekker, p.voorfinancierder, sh, g.prijspeil.isoformat(), g.start_year, g.end_year, g.timing, _rate_text(g.rente), g.disconteringsvoet,
                     g.opening_book_value, g.realised_through, g.dagtelling, _indices_text(g.indices)])
    table("Projecten", list(PROJECT_COLS), rows)
    for p, sh in zip(prog.projecten, sheets):
        g = p.grex
        years = list(g.years)
        s = wb.create_sheet(sh)
        append_row(s, list(LINE_COLS) + years)
        for c in s[1]:
            c.font = bold
        for section, _, ln in g.lines():
            soort = ln.kostensoort if section == "kosten" else ln.opbrengstsoort  # type: ignore[attr-defined]
            real = json.dumps({str(k): v for k, v in ln.realised.items()}) if ln.realised else None
            append_row(s, [section, ln.name, soort, ln.amount, ln.index, real, ln.note or None] + [ln.phasing.get(y) for y in years])
            s.cell(row=s.max_row, column=4).number_format = EXCEL_EUR_FORMAT
    table("Risicos", ["project", "naam", "kans", "min", "modus", "max", "verdeling", "jaar"], [[p.name, r.naam, r.kans, r.impact.min, r.impact.mode, r.impact.max, r.impact.verdeling, r.jaar] for p in prog.projecten for r in p.risicos])
    table("Onzekerheden", ["json"], [[json.dumps(u.model_dump(mode="json", exclude_none=True), ensure_ascii=False)] for u in prog.onzekerheden])
    table("Scenarios", ["json"], [[json.dumps(s.model_dump(mode="json", exclude_none=True), ensure_ascii=False)] for s in prog.scenarios])
    wb.save(path)


# ------------------------------------------------------------------------------------------------------ import
def _rows(wb, name: str, required: bool = False) -> list[tuple[int, dict[str, Any]]]:
    if name not in wb.sheetnames:
        if required:
            raise InputError("blad ontbreekt", location=str(name), value=name, allowed=f"een blad '{name}'")
        return []
    ws = wb[name]
    it = ws.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(it, [])]
    header = [OLD_HEADERS.get(h, h) for h in header]
    out = []
    for i, row in enumerate(it, start=2):
        if row is None or all(v is None or v == "" for v in row):
            continue
        out.append((i, dict(zip(header, row))))
    return out


def import_programme_xlsx(path: str | Path) -> Programme:
    """Read a programme workbook (see the module docstring) and validate it; errors name the sheet and row."""
    p = check_readable(path)
    wb = open_workbook(p, data_only=True, source=str(p), allowed=".xlsx (programmawerkboek, 'opengrex programma export')")
    try:
        return _import_programme(wb, p)
    finally:
        wb.close()


def _import_programme(wb, p: Path) -> Programme:
    src = str(p)
    places: dict[tuple, str] = {}
    data: dict[str, Any] = {}
    fund: dict[str, Any] = {}
    if "Programma" not in wb.sheetnames:
        raise InputError("blad 'Programma' ontbreekt", location=src, allowed="een programmawerkboek (opengrex programma export)")
    for i, row in enumerate(wb["Programma"].iter_rows(min_row=2, values_only=True), start=2):
        if not row or row[0] in (None, ""):
            continue
        key, val = str(row[0]).strip(), row[1] if len(row) > 1 else None
        key = {"name": "naam", "description": "omschrijving", "end_year": "eindjaar", "fonds_name": "fonds_naam", "fonds_opening": "fonds_openingssaldo"}.get(key, key)
        if key.startswith("fonds_"):
            k = key[6:]
            fund[k] = _rate_value(val, f"{src}, blad Programma, rij {i}") if k == "rente" else val
            places[("fonds", k)] = f"blad Programma, rij {i}"
        elif val is not None:
            data[key] = str(val) if key == "versie" else val
            places[(key,)] = f"blad Programma, rij {i}"
    if fund:
        data["fonds"] = {k: v for k, v in fund.items() if v is not None}
    data["financiers"] = []
    for j, (i, r) in enumerate(_rows(wb, "Financiers")):
        data["financiers"].append({"naam": r.get("naam"), "rente": _rate_value(r.get("rente"), f"{src}, blad Financiers, rij {i}") or 0.0})
        places[("financiers", j)] = f"blad Financiers, rij {i}"
    data["partners"] = []
    for j, (i, r) in enumerate(_rows(wb, "Partners")):
        data["partners"].append({"naam": r.get("naam"), "aandeel": r.get("aandeel")})
        places[("partners", j)] = f"blad Partners, rij {i}"
    data["garanties"] = []
    for j, (i, r) in enumerate(_rows(wb, "Garanties")):
        where = f"{src}, blad Garanties, rij {i}"
        data["garanties"].append({"naam": r.get("naam"), "plafond": r.get("plafond"), "basis": r.get("basis") or "resultaat", "projecten": _list_value(r.get("projecten")), "partners": _map_value(r.get("partners"), where)})
        places[("garanties", j)] = f"blad Garanties, rij {i}"
    data["taakstellingen"] = []
    for j, (i, r) in enumerate(_rows(wb, "Taakstellingen")):
        where = f"{src}, blad Taakstellingen, rij {i}"
        data["taakstellingen"].append({"naam": r.get("naam"), "project": r.get("project"), "bedrag": r.get("bedrag"), "partners": _map_value(r.get("partners"), where)})
        places[("taakstellingen", j)] = f"blad Taakstellingen, rij {i}"
    risks: dict[str, list] = {}
    for i, r in _rows(wb, "Risicos"):
        risks.setdefault(str(r.get("project")), []).append((i, {"naam": r.get("naam"), "kans": r.get("kans"), "impact": {"min": r.get("min"), "modus": r.get("modus"), "max": r.get("max"), "verdeling": r.get("verdeling") or "driehoek"}, "jaar": r.get("jaar")}))
    data["projecten"] = []
    for j, (i, r) in enumerate(_rows(wb, "Projecten", required=True)):
        where = f"{src}, blad Projecten, rij {i}"
        places[("projecten", j)] = f"blad Projecten, rij {i}"
        sheet = r.get("blad")
        if sheet not in wb.sheetnames:
            raise InputError("projectblad ontbreekt", location=where, field="blad", value=sheet, allowed=", ".join(wb.sheetnames))
        grex: dict[str, Any] = {"naam": r.get("naam"), "prijspeil": r.get("prijspeil"), "startjaar": r.get("startjaar"), "eindjaar": r.get("eindjaar"), "timing": r.get("timing") or "end",
                                "indexreeksen": _indices_value(r.get("indexreeksen"), where), "kosten": [], "opbrengsten": []}
        for key in ("rente", "disconteringsvoet", "openingsboekwaarde", "gerealiseerd_tot_en_met", "dagtelling"):
            if r.get(key) not in (None, ""):
                grex[key] = _rate_value(r.get(key), where) if key == "rente" else r.get(key)
        ws = wb[sheet]
        it = ws.iter_rows(values_only=True)
        header = list(next(it, []))
        year_cols = [(c, int(h)) for c, h in enumerate(header) if c >= len(LINE_COLS) and h not in (None, "")]
        counts = {"kosten": 0, "opbrengsten": 0}
        for li, row in enumerate(it, start=2):
            if row is None or all(v in (None, "") for v in row):
                continue
            section = str(row[0]).strip().lower() if row[0] else ""
            if section not in counts:
                raise InputError("onbekende sectie", location=f"{src}, blad {sheet}, rij {li}", field="Sectie", value=row[0], allowed="kosten, opbrengsten")
            line: dict[str, Any] = {"naam": row[1], "bedrag": row[3], "indexreeks": row[4], "fasering": {y: row[c] for c, y in year_cols if c < len(row) and row[c] not in (None, "")}}
            line["kostensoort" if section == "kosten" else "opbrengstsoort"] = row[2]
            if row[5]:
                try:
                    line["gerealiseerd"] = {int(k): v for k, v in json.loads(row[5]).items()}
                except (ValueError, AttributeError):
                    raise InputError("ongeldige gerealiseerde bedragen", location=f"{src}, blad {sheet}, rij {li}", field="Gerealiseerd", value=row[5], allowed='JSON, bijv. {"2012": 100000}') from None
            if row[6]:
                line["notitie"] = str(row[6])
            places[("projecten", j, "grex", section, counts[section])] = f"blad {sheet}, rij {li}"
            counts[section] += 1
            grex[section].append(line)
        project: dict[str, Any] = {"naam": r.get("naam"), "soort": r.get("soort"), "trekker": r.get("trekker") or "", "voorfinancierder": r.get("voorfinancierder"), "grex": grex, "risicos": []}
        for n_risk, (ri, risk) in enumerate(risks.get(str(r.get("naam")), [])):
            project["risicos"].append({key: v for key, v in risk.items() if v is not None})
            places[("projecten", j, "risicos", n_risk)] = f"blad Risicos, rij {ri}"
        data["projecten"].append(project)
    for sheet, key in (("Onzekerheden", "onzekerheden"), ("Scenarios", "scenarios")):
        data[key] = []
        for j, (i, r) in enumerate(_rows(wb, sheet)):
            text: Any = r.get("json")  # any cell value: a non-text one fails in json.loads (TypeError) as below
            try:
                data[key].append(json.loads(text))
            except (TypeError, ValueError):
                raise InputError("ongeldige JSON", location=f"{src}, blad {sheet}, rij {i}", value=r.get("json"), allowed="JSON zoals 'opengrex programma export' schrijft") from None
            places[(key, j)] = f"blad {sheet}, rij {i}"
    return build_model(Programme, data, Locator(src, places=places), Programme.check)
