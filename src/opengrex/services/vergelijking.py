"""Two versions of a document compared as a controller reads them: the change in each headline figure and its
cause, what changed per field (labels and units from the model, values in nl-NL money and percentages), per line,
and per line per year (old, new, difference). The version page, the upload preview ("what will change") and the REST
API call :func:`compare_documents`; they only present its plain data.

The causes come from the kind (:attr:`opengrex.services.kinds.DocumentKind.oorzaken`): a grex by Shapley over its
hybrid versions (:func:`opengrex.services.grex_scenarios.compare_grex_versions`), a programme likewise
(:func:`opengrex.services.programma.compare_versions`); the parts add up to the total change exactly. The table per
year comes from the kind too (:attr:`~opengrex.services.kinds.DocumentKind.jaartabel`: a grex's nominal flow per
line, a programme's per project).
"""
from __future__ import annotations

import math
from typing import Any

from opengrex.errors import OpengrexError
from opengrex.formatting import format_by_unit
from opengrex.model.diff import diff
from opengrex.model.fields import SEPARATOR, describe_changes, field_meta
from opengrex.services.kinds import DocumentKind, get_kind, jsonable


def describe(k: DocumentKind[Any, Any], changes: list[dict[str, Any]], a: dict[str, Any], b: dict[str, Any]) -> list[dict[str, Any]]:
    """Each change of :func:`opengrex.model.diff.diff` with its field's label path (``veld``), unit and both values as
    nl-NL text (``oud_tekst``, ``nieuw_tekst``): :func:`opengrex.model.fields.describe_changes` with the kind's model."""
    return describe_changes(k.model, changes, a, b)


def _headlines(k: DocumentKind[Any, Any], ra: Any, rb: Any) -> list[dict[str, Any]]:
    ha, hb = k.headline(ra) if ra is not None else {}, k.headline(rb) if rb is not None else {}
    rows = []
    for h in k.headlines:
        x, y = ha.get(h.key), hb.get(h.key)
        if x is None and y is None:
            continue
        d = y - x if x is not None and y is not None else None
        rows.append({"key": h.key, "label": h.label, "eenheid": h.eenheid, "a": x, "b": y, "verschil": d,
                     "a_tekst": format_by_unit(x, h.eenheid), "b_tekst": format_by_unit(y, h.eenheid), "verschil_tekst": format_by_unit(d, h.eenheid)})
    return rows


def _year_table(k: DocumentKind[Any, Any], ra: Any, rb: Any) -> dict[str, Any] | None:
    """Old, new and difference per line per year over the years of both versions (a line in one version only is
    0 in the other)."""
    if k.jaartabel is None or ra is None or rb is None:
        return None
    ta, tb = k.jaartabel(ra), k.jaartabel(rb)
    years = sorted(set(ta["jaren"]) | set(tb["jaren"]))

    def spread(t: dict[str, Any]) -> dict[str, tuple[dict[str, Any], list[float]]]:
        pos = {y: i for i, y in enumerate(t["jaren"])}
        return {r["sleutel"]: (r, [float(r["waarden"][pos[y]]) if y in pos else 0.0 for y in years]) for r in t["regels"]}

    sa, sb = spread(ta), spread(tb)
    rows = []
    for key in list(sa) + [x for x in sb if x not in sa]:
        meta = (sa.get(key) or sb[key])[0]
        old = sa[key][1] if key in sa else [0.0] * len(years)
        new = sb[key][1] if key in sb else [0.0] * len(years)
        diff_ = [n - o for o, n in zip(old, new)]
        status = "toegevoegd" if key not in sa else "verwijderd" if key not in sb else "gewijzigd" if any(abs(d) >= 0.005 for d in diff_) else "gelijk"
        rows.append({"sleutel": key, "groep": meta.get("groep", ""), "naam": meta["naam"], "status": status, "oud": old, "nieuw": new, "verschil": diff_,
                     "totaal_oud": sum(old), "totaal_nieuw": sum(new), "totaal_verschil": sum(diff_)})
    tot = {f: [sum(r[f][i] for r in rows) for i in range(len(years))] for f in ("oud", "nieuw", "verschil")}
    return {"titel": ta["titel"], "eenheid": ta["eenheid"], "jaren": years, "regels": rows, "totaal": tot,
            "gewijzigd": sum(1 for r in rows if r["status"] != "gelijk")}


def compare_documents(kind: str, a: dict[str, Any], b: dict[str, Any], *, oorzaken: bool = True, source_a: str = "versie a",
                      source_b: str = "versie b") -> dict[str, Any]:
    """Everything that differs from document ``a`` to ``b`` (plain data of ``kind``), JSON-ready:

    ``kerncijfers`` (each headline figure: a, b, difference, as numbers and nl-NL text), ``oorzaken`` (the
    difference of the figures per cause with the method, or None), ``velden`` (changed fields outside lines),
    ``regels`` (lines added, removed or changed, each with its changed fields), ``jaren`` (old/new/difference per line
    per year, or None), ``aantal_wijzigingen``. A version that no longer validates is compared by its fields only
    (``fout`` says why)."""
    k = get_kind(kind)
    changes = describe(k, diff(a, b), a, b)
    fields = [c for c in changes if not c["regel"]]
    lines: dict[str, dict[str, Any]] = {}
    for c in changes:
        if not c["regel"]:
            continue
        entry = lines.setdefault(c["regel"], {"regel": c["regel"], "naam": c["regel"].split(": ", 1)[-1], "groep": _group_label(k, c), "soort": "gewijzigd", "velden": []})
        if c["soort"] in ("toegevoegd", "verwijderd") and c["veld"].count(SEPARATOR) <= 1 + c["regel"].count("."):
            entry["soort"] = c["soort"]
            entry["tekst"] = c["nieuw_tekst"] if c["soort"] == "toegevoegd" else c["oud_tekst"]
        else:
            entry["velden"].append(c)
    out: dict[str, Any] = {"velden": fields, "regels": list(lines.values()), "aantal_wijzigingen": len(changes), "kerncijfers": [], "oorzaken": None, "jaren": None, "fout": None}
    try:
        ma, mb = k.validate(a, source_a), k.validate(b, source_b)
        ra, rb = k.calculate(ma), k.calculate(mb)
    except OpengrexError as exc:
        out["fout"] = str(exc)
        return jsonable(out)
    out["kerncijfers"] = _headlines(k, ra, rb)
    out["jaren"] = _year_table(k, ra, rb)
    if oorzaken and k.oorzaken is not None and changes:
        try:
            out["oorzaken"] = k.oorzaken(ma, mb)
        except OpengrexError as exc:
            out["oorzaken"] = {"fout": f"geen toerekening per oorzaak: {exc}"}
    return jsonable(out)


def _group_label(k: DocumentKind[Any, Any], change: dict[str, Any]) -> str:
    section = change["regel"].split(": ", 1)[0]
    return field_meta(k.model, section).label


def check_sums(cmp: dict[str, Any], tolerance: float = 0.005) -> bool:
    """Whether the parts of every attributed figure add up to its difference (within ``tolerance`` euro)."""
    o = cmp.get("oorzaken") or {}
    for fig in (o.get("kengetallen") or {}).values():
        total = sum(p["bedrag"] for p in fig["per_oorzaak"])
        if not math.isclose(total, fig["verschil"], abs_tol=tolerance):
            return False
    return True


__all__ = ["check_sums", "compare_documents", "describe"]
