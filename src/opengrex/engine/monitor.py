"""Target monitor and regional profile: pure numpy rules (seed 004 Programma Woningbouw; seed 003 indicator table).

Shapes: ``N`` pipeline rows (plans), ``Y`` years, ``H`` hardness categories, ``G`` municipalities, ``I`` indicators.
"""
from __future__ import annotations

import numpy as np

from opengrex.engine.arrays import ArrayLike, FloatArray
from opengrex.engine.explain import rule

BRON_WONINGBOUW = "Provinciaal startpakket fysieke leefomgeving (seed 004), Programma Woningbouw, Nationale doelen"


@rule("Plancapaciteit cumulatief per jaar", formule="Σ woningen van de plannen met jaar gereed ≤ jaar", bron=BRON_WONINGBOUW)
def cumulatief(woningen: ArrayLike, jaar: ArrayLike, jaren: ArrayLike, groep: ArrayLike | None = None, n_groepen: int = 1) -> FloatArray:
    """Homes expected ready up to and including each year, per group (e.g. hardness). [woningen (G, Y)]

    Plans ready before the first year count in the first year; after the last year they are not counted."""
    woningen = np.asarray(woningen, dtype=np.float64)
    jaren = np.asarray(jaren, dtype=np.int64)
    idx = np.clip(np.asarray(jaar, dtype=np.int64) - jaren[0], 0, None)
    keep = idx < len(jaren)
    g = np.zeros(len(woningen), dtype=np.int64) if groep is None else np.asarray(groep, dtype=np.int64)
    flat = np.bincount(g[keep] * len(jaren) + idx[keep], weights=woningen[keep], minlength=n_groepen * len(jaren))
    return np.cumsum(flat.reshape(n_groepen, len(jaren)), axis=1)


@rule("Doeltraject", formule="doel × (jaar − startjaar + 1) / (doeljaar − startjaar + 1), vanaf doeljaar het hele doel", bron=BRON_WONINGBOUW)
def traject(doel: float, startjaar: int, doeljaar: int, jaren: ArrayLike) -> FloatArray:
    """A straight path from nothing before ``startjaar`` to the whole target at the end of ``doeljaar`` (cumulative,
    the year included). [woningen (Y,)]"""
    jaren = np.asarray(jaren, dtype=np.float64)
    span = float(doeljaar - startjaar + 1)
    return float(doel) * np.clip((jaren - startjaar + 1) / span, 0.0, 1.0)


@rule("Aandeel", formule="teller / noemer (leeg als de noemer 0 is)", bron=BRON_WONINGBOUW + ": 'ten minste twee derde … betaalbaar'; '30 procent sociale huurwoningen'")
def aandeel(teller: ArrayLike, noemer: ArrayLike) -> FloatArray:
    """A share, NaN where the denominator is 0. [/1]"""
    teller = np.asarray(teller, dtype=np.float64)
    noemer = np.asarray(noemer, dtype=np.float64)
    return np.divide(teller, noemer, out=np.full(np.broadcast(teller, noemer).shape, np.nan), where=noemer != 0)


@rule("Som van de delen tegen het geheel", formule="verschil = Σ delen − geheel; relatief = verschil / geheel", bron=BRON_WONINGBOUW + "; provinciale bijdragen per factsheet")
def som_verschil(delen: ArrayLike, geheel: float) -> tuple[float, float, float]:
    """Consistency of parts against their whole (e.g. twelve provincial contributions against the national 900,000).
    Returns (som, verschil, relatief verschil)."""
    som = float(np.sum(np.asarray(delen, dtype=np.float64)))
    verschil = som - float(geheel)
    return som, verschil, verschil / float(geheel) if geheel else float("nan")


@rule("Afwijking van de provincie", formule="afwijking = waarde gemeente − waarde provincie; gunstig als afwijking × polariteit > 0",
      bron="Regio Heuvelrug Kromme RijnStreek (seed 003), tabel 'Kwaliteitsscore' (Staat van Utrecht, 2014)")
def afwijking(waarden: ArrayLike, provincie: ArrayLike, polariteit: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Deviation of each municipality from the province per indicator, and whether it is favourable.

    ``waarden`` (G, I) (NaN: no figure); ``provincie`` (I,); ``polariteit`` (I,) +1 higher is better, −1 lower is
    better. Returns ``afwijking`` (G, I) [percentage points] and ``gunstig`` (G, I) float: 1 favourable,
    0 unfavourable, 0.5 equal, NaN no figure."""
    w = np.asarray(waarden, dtype=np.float64)
    d = w - np.asarray(provincie, dtype=np.float64)
    s = np.sign(d * np.asarray(polariteit, dtype=np.float64))
    gunstig = np.where(np.isnan(d), np.nan, np.where(s > 0, 1.0, np.where(s < 0, 0.0, 0.5)))
    return d, gunstig
