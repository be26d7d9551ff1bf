"""Reference kostenverhaal: one case at a time with plain Python floats, written from ``shared/spec/kostenverhaal.md``
(rules 1–3, 5, 7, 8 and the PTP share) and the Nota Kostenverhaal Soest 2023 (§2.1.3, §4.2, bijlage A5).

Deliberately slow and plain (``min``/``max``, loops, ``math.ceil``; nothing from :mod:`opengrex.engine` or the
models' ``compile()``). ``tests/kostenverhaal/test_reference.py`` compares it with the vectorised engine on random
cases; ``make bench`` measures 10,000 cases against it.

Two entry points:

* :func:`reference_case` — from the amounts of the A5 table (the fields of ``CaseArrays`` as plain numbers) to the
  exploitatiebijdrage (cap, volgordelijkheid, zonder tijdvak per kavel);
* :func:`reference_kostenverhaal` — from a case at line level (a plain dict, see its docstring) to every figure:
  party totals, PTP shares, fysieke leefomgeving, woningvoorraad with the norm rounded up and the dearest segment of a
  group, kavel shares, then :func:`reference_case`.
"""
from __future__ import annotations

import math
from typing import Any

from opengrex.codes.segmenten import SEGMENTEN  # data (the list of segments), not engine code


def reference_case(c: dict[str, Any]) -> float:
    """One case from its amounts [EUR] (keys as ``CaseArrays``: kosten_ini, opbrengsten_ini, subsidies_ini,
    kosten_gem, opbrengsten_gem, subsidies_gem, bovenwijks, fb_fysiek, fb_woningvoorraad, zonder, kostenplafond,
    kavel_aandeel, kavel_waarde_voor, kavel_waarde_na); returns the exploitatiebijdrage [EUR]."""
    return _volgorde(c)["exploitatiebijdrage"]


def _volgorde(c: dict[str, Any]) -> dict[str, Any]:
    demands = [max(c["kosten_gem"] - c["opbrengsten_gem"] - c["subsidies_gem"], 0.0), c["bovenwijks"], c["fb_fysiek"], max(c["fb_woningvoorraad"], 0.0)]
    if c["zonder"]:
        kv_costs = min(demands[0] + demands[1], c["kostenplafond"])
        bijdragen, wv_total = 0.0, 0.0
        for a, voor, na in zip(c["kavel_aandeel"], c["kavel_waarde_voor"], c["kavel_waarde_na"]):
            wv = max(0.0, na - voor)
            wv_total += wv
            bijdragen += min(a * kv_costs, wv)
        cap = wv_total
        kv_budget = min(bijdragen, cap)
    else:
        cap = max(0.0, c["opbrengsten_ini"] + c["subsidies_ini"] - c["kosten_ini"])
        kv_budget = cap
    recovered = []
    room = kv_budget
    for d in demands[:2]:
        recovered.append(min(d, max(0.0, room)))
        room -= d
    room = cap - sum(recovered)
    for d in demands[2:]:
        recovered.append(min(d, max(0.0, room)))
        room -= d
    return {"cap": cap, "te_verhalen": demands, "verhaald": recovered, "exploitatiebijdrage": sum(recovered),
            "niet_verhaalbaar": sum(demands) - sum(recovered)}


def reference_kostenverhaal(case: dict[str, Any]) -> dict[str, Any]:
    """Every figure of one case given at line level.

    ``case`` keys: ``regels`` list of ``(partij, post, bedrag, planschade)`` with partij ``initiatiefnemer`` |
    ``gemeente`` and post ``kosten`` | ``opbrengsten`` | ``subsidies``; ``bovenwijks`` list of ``(investering,
    aandeel or None, woningen_plan, woningen_totaal)``; ``woningen`` {segment: n}; ``fysiek`` an amount, or
    ``{"tarieven": [{segment: rate}, ...]}`` (one mapping per area containing the plan); ``woningvoorraad`` None or
    ``{"norm": [(segments, share), ...], "grondwaarde": {segment: value}}``; ``zonder`` bool; ``kostenplafond``;
    ``kavels`` list of ``{"aandeel" | "bedrag" | "m2": v, "voor": v, "na": v}``.
    """
    tot = {(p, k): 0.0 for p in ("initiatiefnemer", "gemeente") for k in ("kosten", "opbrengsten", "subsidies")}
    planschade = {"initiatiefnemer": 0.0, "gemeente": 0.0}
    for partij, post, bedrag, is_planschade in case["regels"]:
        tot[(partij, post)] += bedrag
        if post == "kosten" and is_planschade:
            planschade[partij] += bedrag
    bovenwijks = 0.0
    for inv, aandeel, plan, totaal in case["bovenwijks"]:
        share = aandeel if aandeel is not None else (plan / totaal if totaal > 0 else 0.0)
        bovenwijks += inv * share
    homes = case["woningen"]
    fysiek = case["fysiek"]
    if isinstance(fysiek, dict):
        fysiek = sum(rates.get(s, 0.0) * homes.get(s, 0) for rates in fysiek["tarieven"] for s in SEGMENTEN)
    wv = 0.0
    if case.get("woningvoorraad"):
        norm, gw = case["woningvoorraad"]["norm"], case["woningvoorraad"]["grondwaarde"]
        n = sum(homes.get(s, 0) for s in SEGMENTEN)
        left = n
        for i, (segs, share) in enumerate(norm):
            required = left if i == len(norm) - 1 else min(math.ceil(round(share * n, 9)), left)
            left -= required
            built = sum(homes.get(s, 0) for s in segs)
            wv += (built - required) * max(gw[s] for s in segs)
    kavels = case.get("kavels") or []
    shares = _kavel_shares(kavels)
    amounts = {
        "kosten_ini": tot[("initiatiefnemer", "kosten")], "opbrengsten_ini": tot[("initiatiefnemer", "opbrengsten")],
        "subsidies_ini": tot[("initiatiefnemer", "subsidies")], "kosten_gem": tot[("gemeente", "kosten")],
        "opbrengsten_gem": tot[("gemeente", "opbrengsten")], "subsidies_gem": tot[("gemeente", "subsidies")],
        "bovenwijks": bovenwijks, "fb_fysiek": fysiek, "fb_woningvoorraad": wv, "zonder": case.get("zonder", False),
        "kostenplafond": case.get("kostenplafond", math.inf), "kavel_aandeel": shares,
        "kavel_waarde_voor": [k["voor"] for k in kavels], "kavel_waarde_na": [k["na"] for k in kavels],
    }
    return {**amounts, **_volgorde(amounts), "planschade": planschade}


def _kavel_shares(kavels: list[dict[str, float]]) -> list[float]:
    if not kavels:
        return []
    if "aandeel" in kavels[0]:
        return [k["aandeel"] for k in kavels]
    key = "bedrag" if "bedrag" in kavels[0] else "m2"
    total = sum(k[key] for k in kavels)
    if total > 0:
        return [k[key] / total for k in kavels]
    return [0.0 if key == "bedrag" else 1.0 / len(kavels) for _ in kavels]
