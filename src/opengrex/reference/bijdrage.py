"""Reference financiële bijdrage fysieke leefomgeving (Nota Kostenverhaal Soest 2023 §4.1, six steps): plain Python
loops over investments, plans and the areas each plan lies in, written from ``shared/spec/kostenverhaal.md`` rule 4.

Deliberately slow: it reads the fields of :class:`opengrex.engine.bijdrage.BijdrageArrays` (scalars, no batch axes)
and uses nothing else of the engine. ``make bench`` measures it against :func:`opengrex.engine.bijdrage.calculate`;
``tests/kostenverhaal/test_reference.py`` compares the two on random cases.
"""
from __future__ import annotations

from typing import Any


def bereken_per_plan_loop(x: Any) -> list[float]:
    """Every plan's financiële bijdrage [EUR]: stap 1–2 net and counted investment per area, stap 3 new homes per
    area (plans in the area or a sub-area, weighted by hardness), stap 4 weights from grondwaarde = WOZ / (1 + btw)
    × grondquote relative to the reference segment, stap 5 price per weighted unit, stap 6 rate per home, summed
    over every area containing the plan."""
    n_areas = len(x.parent)

    def ancestors(b: int) -> list[int]:
        out = [b]
        while x.parent[out[-1]] >= 0:
            out.append(int(x.parent[out[-1]]))
        return out

    inv = [0.0] * n_areas
    for i in range(len(x.inv_gebied)):
        net = float(x.bruto[i] - x.subsidies[i] - x.externe_bijdragen[i] - x.onderhoudsbudget[i] - x.gebruikersopbrengsten[i])
        inv[int(x.inv_gebied[i])] += net * float(x.inv_gewicht[int(x.inv_categorie[i])])
    n_seg = len(x.woz)
    new = [[0.0] * n_seg for _ in range(n_areas)]
    for p in range(len(x.plan_gebied)):
        w = float(x.plan_gewicht[int(x.plan_hardheid[p])])
        for a in ancestors(int(x.plan_gebied[p])):
            for s in range(n_seg):
                new[a][s] += float(x.woningen[p][s]) * w
    gw = [float(x.woz[s]) / (1.0 + float(x.btw)) * float(x.grondquote[s]) for s in range(n_seg)]
    weight = [g / gw[x.referentie] for g in gw]
    rate = []
    for a in range(n_areas):
        n = sum(new[a])
        tot = float(x.bestaand[a]) + n
        share = n / tot if tot > 0 else 0.0
        units = sum(new[a][s] * weight[s] for s in range(n_seg))
        price = inv[a] * share / units if units > 0 else 0.0
        rate.append([price * weight[s] for s in range(n_seg)])
    out = []
    for p in range(len(x.plan_gebied)):
        total = 0.0
        for a in ancestors(int(x.plan_gebied[p])):
            for s in range(n_seg):
                total += float(x.woningen[p][s]) * rate[a][s]
        out.append(total)
    return out
