"""Woonsegmenten and hardheidscategorieën: the one definition every layer uses (model Literals, parameter sets,
engine axes, Excel sheets, CLI options).

Order matters: segments are listed cheapest first (the doelgroepen norm of Nota Kostenverhaal Soest 2023 §4.2 names
its groups in this order, and the reference segment of the wegingsfactoren, §4.1 stap 4, is the first one); the
hardness categories follow §4.1 stap 1 and 3 (hard 100 %, zacht 50 %, nader te bepalen 0 %).
"""
from __future__ import annotations

from typing import Literal, get_args

Segment = Literal["sociaal", "midden", "duur"]
"""A woonsegment (type for model fields)."""

SEGMENTEN: tuple[Segment, ...] = get_args(Segment)
"""Woonsegmenten, cheapest first: ``("sociaal", "midden", "duur")`` — the segment axis ``S`` of the engine."""

SEGMENT_LABELS: dict[str, str] = {"sociaal": "Sociaal", "midden": "Midden", "duur": "Duur"}
"""Dutch labels of the segments (forms, tables)."""

Hardheid = Literal["hard", "zacht", "nader_te_bepalen"]
"""Hardheid of an investment (investeringscategorie, §4.1 stap 1) or of plan capacity (§4.1 stap 3)."""

HARDHEDEN: tuple[Hardheid, ...] = get_args(Hardheid)
"""Hardness categories in the order of the nota: the hardness axis ``H`` of the engine."""

HARDHEID_LABELS: dict[str, str] = {"hard": "hard", "zacht": "zacht", "nader_te_bepalen": "nader te bepalen"}
"""Dutch labels of the hardness categories."""

__all__ = ["HARDHEDEN", "HARDHEID_LABELS", "Hardheid", "SEGMENTEN", "SEGMENT_LABELS", "Segment"]
