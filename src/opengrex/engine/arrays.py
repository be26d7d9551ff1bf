"""Array types of the engine (numpy.typing), one place for every rule module.

Rules take anything array-like (``ArrayLike``: scalars, lists, arrays; converted with ``np.asarray(..., dtype=...)``)
and return float64 arrays (``FloatArray``); positions on an axis are ``IntArray``, masks ``BoolArray``.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

ArrayLike = npt.ArrayLike
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]
AnyArray = npt.NDArray[Any]
"""An array of any dtype (shapely geometries, mixed parameter tables)."""
FloatLike = float | FloatArray
"""A scalar or an array of floats, e.g. one rate for every grex or one per grex."""

__all__ = ["AnyArray", "ArrayLike", "BoolArray", "FloatArray", "FloatLike", "IntArray"]
