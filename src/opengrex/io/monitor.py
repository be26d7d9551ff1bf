"""Reading the plan pipeline (plancapaciteit) from CSV or Excel: one row per plan, every row checked, errors name
the row and the field; nothing is returned unless every row is valid."""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from opengrex.errors import InputError, InputErrors
from opengrex.model.monitor import HARDHEDEN, SEGMENTEN, PlanRij

KOLOMMEN = ("gemeente", "plan", "woningen", "hardheid", "jaar_gereed", "segment")
MAX_RIJEN = 200_000
MAX_FOUTEN = 50


def read_table(path: str | Path) -> tuple[list[dict[str, Any]], list[int]]:
    """Rows as dicts (lower-case column names) and the line/row number of each in the file."""
    p = Path(path)
    if not p.is_file():
        raise InputError("bestand bestaat niet", location=str(p), field="bestand", value=str(p))
    suffix = p.suffix.lower()
    if suffix == ".csv":
        text = p.read_text(encoding="utf-8-sig")
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(text.splitlines(), dialect)
        rows = list(reader)
        if not rows:
            raise InputError("bestand is leeg", location=str(p), field="bestand", value=None, allowed="kopregel " + ", ".join(KOLOMMEN))
        header, body, first = rows[0], rows[1:], 2
    elif suffix == ".xlsx":
        import openpyxl

        try:
            wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - any reader error: not a workbook
            raise InputError(f"kan werkboek niet lezen: {exc}", location=str(p), field="bestand") from None
        ws = wb.worksheets[0]
        rows = []
        for i, r in enumerate(ws.iter_rows(values_only=True)):
            if i > MAX_RIJEN:
                raise InputError("te veel rijen", location=str(p), field="bestand", value=i, allowed=f"hoogstens {MAX_RIJEN}")
            rows.append(["" if v is None else v for v in r])
        wb.close()
        if not rows:
            raise InputError("werkboek is leeg", location=str(p), field="bestand", value=None, allowed="kopregel " + ", ".join(KOLOMMEN))
        header, body, first = rows[0], rows[1:], 2
    else:
        raise InputError("onbekend bestandsformaat", location=str(p), field="bestand", value=p.suffix, allowed=".csv, .xlsx")
    names = [str(h).strip().lower() for h in header]
    missing = [k for k in KOLOMMEN if k not in names]
    if missing:
        raise InputError(f"kolom(men) ontbreken: {', '.join(missing)}", location=f"{p}, kopregel", field=missing[0], value=", ".join(map(str, header)), allowed=", ".join(KOLOMMEN))
    out, lines = [], []
    for i, r in enumerate(body):
        if len(body) > MAX_RIJEN:
            raise InputError("te veel rijen", location=str(p), field="bestand", value=len(body), allowed=f"hoogstens {MAX_RIJEN}")
        if all(str(v).strip() == "" for v in r):
            continue
        out.append({names[j]: r[j] if j < len(r) else "" for j in range(len(names)) if names[j] in KOLOMMEN})
        lines.append(first + i)
    if not out:
        raise InputError("bestand bevat geen plannen", location=str(p), field="bestand", value=0, allowed="minstens één rij onder de kopregel")
    return out, lines


def _int(v: Any) -> Any:
    if isinstance(v, str):
        s = v.strip().replace(".", "").replace(" ", "") if v.strip().count(".") and "," not in v else v.strip()
        try:
            f = float(s.replace(",", "."))
        except ValueError:
            return v
        return int(f) if f.is_integer() else f
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def read_pipeline(path: str | Path, gemeente_naam) -> list[PlanRij]:
    """The pipeline, validated: ``gemeente_naam(text) -> canonical name or None`` decides which municipalities are
    known. Every bad row is reported (up to 50) as one :class:`InputErrors`: row, field, value, allowed."""
    rows, lines = read_table(path)
    errors: list[InputError] = []
    out: list[PlanRij] = []
    for row, line in zip(rows, lines):
        where = f"{path}, rij {line}"
        data = {k: (v.strip() if isinstance(v, str) else v) for k, v in row.items()}
        data["woningen"] = _int(data.get("woningen"))
        data["jaar_gereed"] = _int(data.get("jaar_gereed"))
        for k in ("hardheid", "segment"):
            if isinstance(data.get(k), str):
                data[k] = data[k].lower().replace(" ", "_")
        data["plan"] = str(data.get("plan") or "")
        naam = gemeente_naam(str(data.get("gemeente") or ""))
        row_errors: list[InputError] = []
        if naam is None:
            row_errors.append(InputError("onbekende gemeente", location=where, field="gemeente", value=data.get("gemeente"),
                                         allowed="een gemeente uit codes/gebieden.yaml of uit --gebieden"))
        else:
            data["gemeente"] = naam
        if isinstance(data["woningen"], (int, float)) and data["woningen"] < 0:
            row_errors.append(InputError("negatief aantal woningen", location=where, field="woningen", value=data["woningen"], allowed="0 of meer"))
        if not row_errors:
            try:
                out.append(PlanRij.model_validate(data))
            except ValidationError as exc:
                for e in exc.errors():
                    fld = ".".join(str(x) for x in e["loc"]) or "rij"
                    allowed = {"hardheid": ", ".join(HARDHEDEN), "segment": ", ".join(SEGMENTEN), "woningen": "een geheel getal ≥ 0",
                               "jaar_gereed": "een jaar (2000-2100)"}.get(fld)
                    row_errors.append(InputError(e["msg"], location=where, field=fld, value=data.get(fld), allowed=allowed))
        errors.extend(row_errors)
        if len(errors) >= MAX_FOUTEN:
            break
    if errors:
        raise InputErrors(errors)
    return out
