"""Jaarlijkse actualisatie (Nota Kostenverhaal Soest 2023 §4.4 / §4.4.1; spec rule 9): index the investments, take
new average WOZ values and a new plan pipeline, and write the next dated parameter set or bijdrage input, with a
diff of every value that changed (old → new).

Scenarios copy, never mutate (style.md §9): the functions take plain data and return a new document.

* Index series (indexreeksen, the nota §4.4.1: "de investeringen worden jaarlijks geïndexeerd naar het huidige
  prijspeil. Hiervoor wordt per investering maatwerk geleverd met betrekking tot de keuze voor het indexcijfer"):
  each investment names a series (``index: bouwkosten``; without one: ``standaard_index``, or the only series
  there is). A series is a rate per calendar year, the grex format (``{2024: 0.035, 2025: 0.03}``, the last rate
  holds for later years, :func:`opengrex.model.base.rate_on_years`). Series come from the input's ``indices:``
  and/or a file (``--indexreeksen``; a file series replaces an input series of the same name).
* Convention (:func:`index_factor`, rules in :mod:`opengrex.engine.actualisatie`): **pro rata per day,
  compounded** — the factor from the old peildatum ``van`` to the new peildatum ``tot`` is
  ``Π_y (1 + r_y) ^ (d_y / D_y)`` over the calendar years y touched, with ``d_y`` the days of [van, tot) in year y
  and ``D_y`` the days of year y (365/366). From 1 January to 1 January this is the product of (1 + r) over the full
  years year(van) … year(tot) − 1.
* Every money field of an investment (bruto and its deductions) gets the same factor (the onrendabele top scales
  with it); amounts are rounded to cents in the written document (should the rounded deductions exceed the rounded
  bruto by a cent, the largest deduction gives up that cent, so a netto of 0 stays 0).
* ``--index 0.03`` is a shortcut: one flat total factor 1,03 on every investment, whatever its series.
* WOZ: a mapping segment → average WOZ [EUR] (bijlage B3); plans: a list of plans (bijlage B1), optionally with
  ``bestaande_woningen`` per area (bijlage B2).
"""
from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import Field

from opengrex.engine import actualisatie as rules
from opengrex.errors import InputError, InputErrors
from opengrex.io.documents import build_model, read_document
from opengrex.model.base import RateSeries, StrictModel, check_rates, rate_on_years
from opengrex.parameters import parameter_set_from_dict, parameter_set_path
from opengrex.services.bijdrage import bijdrage_input_from_dict

MONEY_FIELDS = ("bruto", "subsidies", "externe_bijdragen", "onderhoudsbudget", "gebruikersopbrengsten")


def diff(old: Any, new: Any, path: str = "") -> list[dict[str, Any]]:
    """Every leaf value that differs between two documents: ``[{pad, oud, nieuw}]`` (added: oud None; removed:
    nieuw None)."""
    out: list[dict[str, Any]] = []
    if isinstance(old, dict) and isinstance(new, dict):
        for k in list(old) + [k for k in new if k not in old]:
            p = f"{path}.{k}" if path else str(k)
            if k not in new:
                out += [{"pad": lp, "oud": v, "nieuw": None} for lp, v in _leaves(old[k], p)]
            elif k not in old:
                out += [{"pad": lp, "oud": None, "nieuw": v} for lp, v in _leaves(new[k], p)]
            else:
                out += diff(old[k], new[k], p)
    elif isinstance(old, list) and isinstance(new, list):
        for i in range(max(len(old), len(new))):
            label = _item_label(old[i] if i < len(old) else new[i], i)
            p = f"{path}[{label}]"
            if i >= len(new):
                out += [{"pad": lp, "oud": v, "nieuw": None} for lp, v in _leaves(old[i], p)]
            elif i >= len(old):
                out += [{"pad": lp, "oud": None, "nieuw": v} for lp, v in _leaves(new[i], p)]
            else:
                out += diff(old[i], new[i], p)
    elif _norm(old) != _norm(new):
        out.append({"pad": path, "oud": old, "nieuw": new})
    return out


def _leaves(v: Any, path: str) -> list[tuple[str, Any]]:
    if isinstance(v, dict):
        return [x for k, w in v.items() for x in _leaves(w, f"{path}.{k}")]
    if isinstance(v, list):
        return [x for i, w in enumerate(v) for x in _leaves(w, f"{path}[{_item_label(w, i)}]")]
    return [(path, v)]


def _norm(v: Any) -> Any:
    if isinstance(v, (dt.date,)):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _item_label(item: Any, i: int) -> str:
    if isinstance(item, dict) and "naam" in item:
        return str(item["naam"])
    return str(i)


def _check_date(old: Any, peildatum: dt.date, field: str) -> None:
    old_date = old if isinstance(old, dt.date) else dt.date.fromisoformat(str(old))
    if peildatum <= old_date:
        raise InputError("nieuwe peildatum moet na de huidige liggen", field="--peildatum", value=peildatum.isoformat(),
                         allowed=f"na {old_date.isoformat()} ({field})")


def _check_index(index: float | None) -> None:
    if index is not None and not index > -1.0:
        raise InputError("index moet groter zijn dan -100%", field="--index", value=index, allowed="> -1 (fractie, bijv. 0.03 = 3%)")


def read_woz(path: str | Path) -> dict[str, float]:
    """A WOZ file: ``{sociaal: 265000, midden: 395000, duur: 640000}`` or the same under a ``woz:`` key."""
    data, _ = read_document(path)
    if isinstance(data, dict) and "woz" in data:
        data = data["woz"]
    if not isinstance(data, dict) or not data:
        raise InputError("WOZ-bestand moet een mapping segment: bedrag zijn", location=str(path), field="woz",
                         allowed="{sociaal: ..., midden: ..., duur: ...}")
    out = {}
    for k, v in data.items():
        if not isinstance(v, (int, float)) or v <= 0:
            raise InputError("WOZ-waarde moet een bedrag > 0 zijn", location=str(path), field=f"woz.{k}", value=v, allowed="> 0")
        out[str(k)] = float(v)
    return out


def read_plannen(path: str | Path) -> dict[str, Any]:
    """A plans file: a list of plans, or ``{plannen: [...], bestaande_woningen: {gebied: aantal}}``."""
    data, _ = read_document(path)
    if isinstance(data, list):
        data = {"plannen": data}
    if not isinstance(data, dict) or not ({"plannen", "bestaande_woningen"} & set(data)) or set(data) - {"plannen", "bestaande_woningen"}:
        raise InputError("plannenbestand: verwacht een lijst plannen of {plannen: [...], bestaande_woningen: {...}}",
                         location=str(path), allowed="plannen, bestaande_woningen")
    for area, n in (data.get("bestaande_woningen") or {}).items():
        if not isinstance(n, (int, float)) or n < 0:
            raise InputError("aantal mag niet negatief zijn", location=str(path), field=f"bestaande_woningen.{area}", value=n, allowed=">= 0")
    return data


CONVENTIE = ("indexfactor = Π over de kalenderjaren (1 + r_jaar) ^ (dagen in de periode in dat jaar / dagen in dat jaar), "
             "van de oude tot de nieuwe peildatum (pro rata per dag, samengesteld; het laatste percentage van een reeks geldt "
             "voor latere jaren)")


class IndexReeksen(StrictModel):
    """An index series file (``--indexreeksen``): ``{indices: {naam: reeks}, standaard_index: naam}``; a plain
    mapping ``{naam: reeks}`` is read as ``indices``."""

    indices: dict[str, RateSeries] = Field(min_length=1, title="Indexreeksen", description="Indexreeks per naam: één percentage of {jaar: percentage}")
    standaard_index: str | None = Field(None, title="Standaard-indexreeks")


def read_indexreeksen(path: str | Path) -> IndexReeksen:
    """Read and validate an index series file; errors name file, line and series."""
    data, locator = read_document(path)
    if isinstance(data, dict) and "indices" not in data:
        data = {"indices": data}
    return build_model(IndexReeksen, data, locator, lambda m: [e for n, r in m.indices.items() for e in check_rates(r, ("indices", n))])


def index_factor(series: RateSeries, van: dt.date, tot: dt.date) -> tuple[float, list[dict[str, Any]]]:
    """Indexfactor over [van, tot) (Nota Kostenverhaal Soest 2023 §4.4.1, "jaarlijks geïndexeerd naar het huidige
    prijspeil"): ``Π_y (1 + r_y) ^ (d_y / D_y)``, pro rata per day and compounded (:func:`opengrex.engine.actualisatie.
    indexfactor`). Returns the factor and one row per year (jaar, percentage, dagen, dagen_in_jaar, factor) so the
    result can be traced."""
    jaren, deel, dagen, dagen_in_jaar = rules.jaardelen(van, tot)
    if not len(jaren):
        return 1.0, []
    r = np.array(rate_on_years(series, range(int(jaren[0]), int(jaren[-1]) + 1)))[jaren - jaren[0]]
    per_jaar = (1.0 + r) ** deel  # d == D: exactly 1 + r
    rows = [{"jaar": int(y), "percentage": float(p), "dagen": int(d), "dagen_in_jaar": int(n), "factor": float(f)}
            for y, p, d, n, f in zip(jaren, r, dagen, dagen_in_jaar, per_jaar)]
    return float(rules.indexfactor(r, deel)), rows


@dataclass
class Actualisatie:
    """Result of an actualisation: the new document, the diff (``[{pad, oud, nieuw}]``) and, per indexed
    investment, the series, the factor (with its years) and every amount old → new."""

    nieuw: dict[str, Any]
    wijzigingen: list[dict[str, Any]]
    van: dt.date
    tot: dt.date
    indexering: list[dict[str, Any]] = field(default_factory=list)
    bron: Path | None = None
    opmerkingen: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"van": self.van.isoformat(), "peildatum": self.tot.isoformat(), "conventie": CONVENTIE,
                "indexering": self.indexering, "wijzigingen": self.wijzigingen, "opmerkingen": self.opmerkingen}


def _index_investments(invs: list[dict[str, Any]], van: dt.date, tot: dt.date, *, flat: float | None,
                       series: dict[str, RateSeries], default: str | None, where: str, option: str) -> list[dict[str, Any]]:
    """Index the investment dicts in place; returns the trace rows. Unknown or missing series: InputError(s)
    naming the investment and the series available (nothing is changed then)."""
    errs: list[InputError] = []
    plan: list[tuple[dict[str, Any], str, float, list[dict[str, Any]]]] = []
    allowed = ", ".join(sorted(series)) or "(geen reeksen: geef indices in de invoer of --indexreeksen)"
    if default is not None and flat is None and default not in series:
        errs.append(InputError("onbekende standaard-indexreeks", field="standaard_index", value=default, allowed=allowed))
    for i, inv in enumerate(invs):
        naam = inv.get("naam", str(i))
        if flat is not None:
            plan.append((inv, f"{option} (vlak)", 1.0 + flat, []))
            continue
        name = inv.get("index") or default or (next(iter(series)) if len(series) == 1 else None)
        if name is None:
            errs.append(InputError(f"investering '{naam}' heeft geen indexreeks", field=f"{where}[{i}].index", value=None,
                                   allowed=f"index: <reeks> bij de investering of standaard_index: <reeks>; reeksen: {allowed}"))
        elif name not in series:
            errs.append(InputError(f"onbekende indexreeks bij investering '{naam}'", field=f"{where}[{i}].index", value=name, allowed=allowed))
        else:
            f, years = index_factor(series[name], van, tot)
            plan.append((inv, name, f, years))
    if errs:
        raise errs[0] if len(errs) == 1 else InputErrors(errs)
    if not plan:
        return []
    fields = ["bruto"] + [k for k in MONEY_FIELDS[1:] if any(k in inv for inv, *_ in plan)]  # bruto first (rules.op_centen)
    old = np.array([[float(inv.get(k, 0.0)) for k in fields] for inv, *_ in plan])
    new = rules.op_centen(rules.geindexeerd(old, np.array([f for _, _, f, _ in plan])))  # bruto first: MONEY_FIELDS[0]
    rows = []
    for (inv, name, f, years), o, n in zip(plan, old, new):
        bedragen = {}
        for k, vo, vn in zip(fields, o, n):
            if k in inv:
                inv[k] = float(vn)
                bedragen[k] = {"oud": float(vo), "nieuw": float(vn)}
        netto = {w: bedragen.get("bruto", {w: 0.0})[w] - sum(v[w] for k, v in bedragen.items() if k != "bruto") for w in ("oud", "nieuw")}
        rows.append({"investering": inv.get("naam"), "reeks": name, "factor": f, "jaren": years, "bedragen": bedragen,
                     "netto_oud": netto["oud"], "netto_nieuw": netto["nieuw"]})
    return rows


def _merge_series(own: dict[str, Any] | None, extra: IndexReeksen | None) -> dict[str, RateSeries]:
    """The series in force: the document's, with those of an index file added or replacing (engine rule)."""
    return rules.reeksen_samenvoegen({str(k): _plain_series(v) for k, v in (own or {}).items()}, extra.indices if extra is not None else {})


def actualiseer_bijdrage(data: dict[str, Any], peildatum: dt.date, *, index: float | None = None,
                         indexreeksen: IndexReeksen | None = None, woz: dict[str, float] | None = None,
                         plannen: dict[str, Any] | None = None) -> Actualisatie:
    """The next version of a bijdrage input (a copy): peildatum moved, investments indexed (flat ``index``, else
    each with its series from ``indices`` + ``indexreeksen``, see :func:`index_factor`), WOZ and plans replaced.
    Series given in a file are written into the new input's ``indices`` (the new version says how it was
    indexed). Validated (``BijdrageInvoer``) before it is returned."""
    old_model = bijdrage_input_from_dict(data)  # the old document must be valid
    _check_date(data.get("peildatum"), peildatum, "peildatum van de invoer")
    _check_index(index)
    if index is not None and indexreeksen is not None:
        raise InputError("geef --index of --indexreeksen, niet beide", field="--index/--indexreeksen", value=index,
                         allowed="--index FRACTIE (één vlakke factor) of --indexreeksen BESTAND (reeksen per jaar)")
    new = copy.deepcopy(data)
    new["peildatum"] = peildatum
    series = _merge_series(old_model.indices, indexreeksen)
    default = (indexreeksen.standaard_index if indexreeksen and indexreeksen.standaard_index else None) or old_model.standaard_index
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    if index is not None or series:
        rows = _index_investments(new.get("investeringen", []), old_model.peildatum, peildatum, flat=index, series=series,
                                  default=default, where="investeringen", option="--index")
        if index is None and indexreeksen is not None:
            new["indices"] = {**(new.get("indices") or {}), **{k: _plain_series(v) for k, v in indexreeksen.indices.items()}}
            if indexreeksen.standaard_index:
                new["standaard_index"] = indexreeksen.standaard_index
    else:
        notes.append("niet geïndexeerd: geen --index, geen --indexreeksen en geen indices in de invoer")
    if woz is not None:
        new["woz"] = dict(woz)
    if plannen is not None:
        if "plannen" in plannen:
            new["plannen"] = copy.deepcopy(plannen["plannen"])
        names = [g["naam"] for g in new.get("gebieden", [])]
        for area, n in (plannen.get("bestaande_woningen") or {}).items():
            if area not in names:
                raise InputError("onbekend gebied", field=f"bestaande_woningen.{area}", value=area, allowed=", ".join(names))
            for g in new["gebieden"]:
                if g["naam"] == area:
                    g["bestaande_woningen"] = n
    bijdrage_input_from_dict(_jsonable(new), "<geactualiseerde invoer>")
    return Actualisatie(new, diff(_jsonable(data), _jsonable(new)), old_model.peildatum, peildatum, rows, None, notes)


def _plain_series(s: RateSeries) -> RateSeries:
    return float(s) if isinstance(s, (int, float)) else {int(y): float(r) for y, r in s.items()}


def actualiseer_bijdrage_invoer(data: dict[str, Any], peildatum: dt.date, *, index: float | None = None,
                                woz: dict[str, float] | None = None, plannen: dict[str, Any] | None = None,
                                indexreeksen: IndexReeksen | None = None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """:func:`actualiseer_bijdrage` returning only ``(new, diff)``."""
    res = actualiseer_bijdrage(data, peildatum, index=index, indexreeksen=indexreeksen, woz=woz, plannen=plannen)
    return res.nieuw, res.wijzigingen


def actualiseer_parameterset(name: str, peildatum: dt.date, *, index: float | None = None,
                             woz: dict[str, float] | None = None, plannen: dict[str, Any] | None = None,
                             bron: str = "opengrex kostenverhaal actualiseer") -> tuple[dict[str, Any], list[dict[str, Any]], Path]:
    """:func:`actualiseer_set` returning only ``(new, diff, source_file)``."""
    res = actualiseer_set(name, peildatum, index=index, woz=woz, plannen=plannen, bron=bron)
    assert res.bron is not None  # a set's actualisation always names the file it comes from
    return res.nieuw, res.wijzigingen, res.bron


def actualiseer_set(name: str, peildatum: dt.date, *, index: float | None = None, indexreeksen: IndexReeksen | None = None,
                    woz: dict[str, float] | None = None, plannen: dict[str, Any] | None = None,
                    bron: str = "opengrex kostenverhaal actualiseer") -> Actualisatie:
    """The next dated version of parameter set ``name`` (a copy of the version in force at ``peildatum``) with
    ``geldig_vanaf = peildatum``, new ``gemiddelde_woz`` (each with its bron) and, where the set carries a
    ``bijdrage_fysieke_leefomgeving`` section, indexed investments (``investeringen[].index`` naming a series of
    the section's ``indices`` or of ``indexreeksen``; flat with ``index``) and the new plans. The set's only
    indexable amounts are those investments: asking to index a set without them is an InputError (the Soest set
    2023-07-01 has none). The older versions are not touched (a new file per date). Validated before return.
    Unknown set or a peildatum before its first version: InputError."""
    src = parameter_set_path(name, peildatum)
    data, _ = read_document(src)
    _check_date(data.get("geldig_vanaf"), peildatum, f"laatste versie {src.name}")
    _check_index(index)
    if index is not None and indexreeksen is not None:
        raise InputError("geef --index of --indexreeksen, niet beide", field="--index/--indexreeksen", value=index,
                         allowed="--index FRACTIE (één vlakke factor) of --indexreeksen BESTAND (reeksen per jaar)")
    van = data["geldig_vanaf"] if isinstance(data["geldig_vanaf"], dt.date) else dt.date.fromisoformat(str(data["geldig_vanaf"]))
    new = copy.deepcopy(data)
    new["geldig_vanaf"] = peildatum
    bron_doc = {"document": f"Actualisatie parameterset {data.get('naam', name)} per {peildatum.isoformat()}", "pagina": None}
    if woz is not None:
        new["gemiddelde_woz"] = {s: {"value": v, "bron": {**bron_doc, "paragraaf": "bijlage B3 (gemiddelde WOZ per segment)", "citaat": bron}}
                                 for s, v in woz.items()}
    section = new.get("bijdrage_fysieke_leefomgeving")
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    own = (section or {}).get("indices")
    if own:
        errs = [e for n, r in own.items() for e in check_rates(r, ("bijdrage_fysieke_leefomgeving", "indices", n))]
        if errs:
            raise errs[0] if len(errs) == 1 else InputErrors(errs)
    series = _merge_series(own, indexreeksen)
    has_investments = bool(section and section.get("investeringen"))
    if index is not None or indexreeksen is not None:
        if not has_investments:
            option = "--index" if index is not None else "--indexreeksen"
            raise InputError("de parameterset bevat geen investeringen om te indexeren", field=option,
                             value=index if index is not None else "reeksen: " + ", ".join(series),
                             allowed="indexeer een bijdrage-invoer (--invoer), of voeg bijdrage_fysieke_leefomgeving.investeringen toe")
    if has_investments and (index is not None or series):
        default = (indexreeksen.standaard_index if indexreeksen and indexreeksen.standaard_index else None) or section.get("standaard_index")
        rows = _index_investments(section["investeringen"], van, peildatum, flat=index, series=series, default=default,
                                  where="bijdrage_fysieke_leefomgeving.investeringen", option="--index")
        if index is None and indexreeksen is not None:
            section["indices"] = {**(section.get("indices") or {}), **{k: _plain_series(v) for k, v in indexreeksen.indices.items()}}
            if indexreeksen.standaard_index:
                section["standaard_index"] = indexreeksen.standaard_index
    elif not has_investments:
        notes.append("niet geïndexeerd: de parameterset bevat geen bedragen om te indexeren (geen bijdrage_fysieke_leefomgeving.investeringen)")
    else:
        notes.append("niet geïndexeerd: geen --index, geen --indexreeksen en geen indices in de parameterset")
    if plannen is not None:
        new.setdefault("bijdrage_fysieke_leefomgeving", {})
        new["bijdrage_fysieke_leefomgeving"].update(copy.deepcopy(plannen))
    parameter_set_from_dict(_jsonable(new), f"<actualisatie van {src}>")
    return Actualisatie(new, diff(_jsonable(data), _jsonable(new)), van, peildatum, rows, src, notes)


def _jsonable(o: Any) -> Any:
    if isinstance(o, dict):
        return {k: _jsonable(v) for k, v in o.items()}
    if isinstance(o, list):
        return [_jsonable(v) for v in o]
    if isinstance(o, dt.date):
        return o.isoformat()
    return o


def _unshared(o: Any) -> Any:
    """A copy with no shared sub-objects (so YAML gets no anchors/aliases); dates stay dates."""
    if isinstance(o, dict):
        return {k: _unshared(v) for k, v in o.items()}
    if isinstance(o, list):
        return [_unshared(v) for v in o]
    return o


def dump_yaml(data: dict[str, Any], header: str = "") -> str:
    """YAML text of a document (dates as ISO strings, key order kept)."""
    import yaml

    text = yaml.safe_dump(_unshared(data), allow_unicode=True, sort_keys=False, width=120)
    return (header + text) if header else text
