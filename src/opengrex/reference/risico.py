"""Reference formulas of the risk distributions, written from their textbook definitions (no numpy, nothing from
:mod:`opengrex.engine.risico`): the triangular distribution's density, distribution function and quantile.

Triangular with minimum ``a``, mode ``c`` and maximum ``b`` (``a <= c <= b``, ``a < b``)::

    f(x) = 2 (x - a) / ((b - a)(c - a))   for a <= x < c
    f(x) = 2 (b - x) / ((b - a)(b - c))   for c <= x <= b
    F(x) = (x - a)^2 / ((b - a)(c - a))   for a <= x <= c
    F(x) = 1 - (b - x)^2 / ((b - a)(b - c))  for c < x <= b

The quantile inverts ``F`` by bisection on ``F`` itself (not by the closed-form inverse the sampler uses), so a
test comparing the two checks the sampler against the definition.
"""
from __future__ import annotations


def triangular_pdf(x: float, a: float, c: float, b: float) -> float:
    """Density of the triangular distribution. [1/unit of x]"""
    if x < a or x > b:
        return 0.0
    if x < c:
        return 2.0 * (x - a) / ((b - a) * (c - a))
    if x == c == b:
        return 2.0 / (b - a)
    return 2.0 * (b - x) / ((b - a) * (b - c))


def triangular_cdf(x: float, a: float, c: float, b: float) -> float:
    """Distribution function ``P(X <= x)``. [-]"""
    if x <= a:
        return 0.0
    if x >= b:
        return 1.0
    if x <= c:
        return (x - a) ** 2 / ((b - a) * (c - a))
    return 1.0 - (b - x) ** 2 / ((b - a) * (b - c))


def triangular_quantile(q: float, a: float, c: float, b: float, tol: float = 1e-12) -> float:
    """The ``q``-quantile: the ``x`` with ``F(x) = q``, by bisection on :func:`triangular_cdf`."""
    lo, hi = a, b
    while hi - lo > tol * max(1.0, abs(a), abs(b)):
        mid = 0.5 * (lo + hi)
        if triangular_cdf(mid, a, c, b) < q:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)
