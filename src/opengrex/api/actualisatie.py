"""Jaarlijkse actualisatie (Nota Kostenverhaal Soest 2023 §4.4 / §4.4.1; spec rule 9): index the investments, take
new average WOZ values and a new plan pipeline, and write the next dated parameter set or bijdrage input, with a
diff of every value that changed (old → new).

Scenarios copy, never mutate (style.md §9): the functions take plain data and return a new document.

* ``--index 0.03`` means +3% on every investment amount (bruto and its deductions) over the period from the old to
  the new peildatum (the nota: "de investeringen worden jaarlijks geïndexeerd naar het huidige prijspeil").
* WOZ: a mapping segment → average WOZ [EUR] (bijlage B3); plans: a list of plans (bijlage B1), optionally with
  ``bestaande_woningen`` per area (bijlage B2).
"""
from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

from opengrex.errors import InputError
from opengrex.io.documents import read_document

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


def actualiseer_bijdrage_invoer(data: dict[str, Any], peildatum: dt.date, *, index: float | None = None,
                                woz: dict[str, float] | None = None, plannen: dict[str, Any] | None = None
                                ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The next version of a bijdrage input (a copy): peildatum moved, investments indexed, WOZ and plans
    replaced. The result is validated (``BijdrageInvoer``) before it is returned; returns ``(new, diff)``."""
    from opengrex.api.bijdrage import bijdrage_input_from_dict

    bijdrage_input_from_dict(data)  # the old document must be valid
    _check_date(data.get("peildatum"), peildatum, "peildatum van de invoer")
    _check_index(index)
    new = copy.deepcopy(data)
    new["peildatum"] = peildatum
    if index is not None:
        for inv in new.get("investeringen", []):
            for f in MONEY_FIELDS:
                if f in inv:
                    inv[f] = round(float(inv[f]) * (1.0 + index), 2)
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
    return new, diff(_jsonable(data), _jsonable(new))


def actualiseer_parameterset(name: str, peildatum: dt.date, *, index: float | None = None,
                             woz: dict[str, float] | None = None, plannen: dict[str, Any] | None = None,
                             bron: str = "opengrex kostenverhaal actualiseer") -> tuple[dict[str, Any], list[dict[str, Any]], Path]:
    """The next dated version of parameter set ``name`` (a copy of the version in force at ``peildatum``) with
    ``geldig_vanaf = peildatum``, new ``gemiddelde_woz`` (each with its bron) and, where the set carries a
    ``bijdrage_fysieke_leefomgeving`` section, indexed investments and the new plans. Validated before return;
    returns ``(new, diff, source_file)``. Unknown set or a peildatum before its first version: InputError."""
    from opengrex.parameters import parameter_set_from_dict, parameter_set_path

    src = parameter_set_path(name, peildatum)
    data, _ = read_document(src)
    _check_date(data.get("geldig_vanaf"), peildatum, f"laatste versie {src.name}")
    _check_index(index)
    new = copy.deepcopy(data)
    new["geldig_vanaf"] = peildatum
    bron_doc = {"document": f"Actualisatie parameterset {data.get('naam', name)} per {peildatum.isoformat()}", "pagina": None}
    if woz is not None:
        new["gemiddelde_woz"] = {s: {"value": v, "bron": {**bron_doc, "paragraaf": "bijlage B3 (gemiddelde WOZ per segment)", "citaat": bron}}
                                 for s, v in woz.items()}
    section = new.get("bijdrage_fysieke_leefomgeving")
    if index is not None:
        if not section or not section.get("investeringen"):
            raise InputError("de parameterset bevat geen investeringen om te indexeren", field="--index", value=index,
                             allowed="indexeer een bijdrage-invoer (--invoer), of voeg bijdrage_fysieke_leefomgeving.investeringen toe")
        for inv in section["investeringen"]:
            for f in MONEY_FIELDS:
                if f in inv:
                    inv[f] = round(float(inv[f]) * (1.0 + index), 2)
    if plannen is not None:
        new.setdefault("bijdrage_fysieke_leefomgeving", {})
        new["bijdrage_fysieke_leefomgeving"].update(copy.deepcopy(plannen))
    parameter_set_from_dict(_jsonable(new), f"<actualisatie van {src}>")
    return new, diff(_jsonable(data), _jsonable(new)), src


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
