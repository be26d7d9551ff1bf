"""The acceptance examples of ``shared/acceptance/kostenverhaal_voorbeelden.yaml`` (seed 002: Nota Kostenverhaal
Soest 2023, bijlage A5 and §2.1.3), read from the shared folder itself and run as product cases.

The shared file describes each case in its own words ("the field names below describe the case; they are not a
required input format"). This module is the one translation of that vocabulary into a kostenverhaal case
(:func:`case_data`) and of its ``verwacht`` block into checks on the result (:func:`check`), so that a new case
written in the same words needs no Python: ``conftest.py`` collects every case as its own test item.

Symbols the nota leaves open (``x``, ``y``, ``z``: "the extra grondwaarde of a duur home over a sociaal home", the
rates per home) are filled in with several values, and every expected expression (``1100000 + 2x``) is evaluated
with the same values. A word this module does not know fails the case with its name (never skipped silently).
"""
from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from opengrex.codes.segmenten import SEGMENTEN
from opengrex.parameters import load_parameter_set
from opengrex.services.kostenverhaal import CaseResult, calculate_case, case_from_dict

FILE = "kostenverhaal_voorbeelden.yaml"
TOL = 0.005
PEILDATUM = "2024-01-01"
GEBIED = "Gemeente Soest"
"""Area of a case that names none (the whole gemeente: no per-area rule applies)."""

KOSTENSOORT = {"plankosten": "A1", "sloopkosten": "A5", "bouw_en_woonrijp_maken": "A8", "planschade": "A11", "kosten": "A1"}
"""The cost names of the shared file → kostensoort (Ob bijlage IV), as in the nota's tables (bijlage A1, A5)."""

SYMBOOLWAARDEN: list[dict[str, float]] = [
    {"x": 0.0, "y": 0.0, "z": 0.0},
    {"x": 1_000.0, "y": 2_500.0, "z": 4_000.0},
    {"x": 95_000.0, "y": 6_789.01, "z": 2.5},
    {"x": 150_000.0, "y": 5_000.0, "z": 5_000.0},
    {"x": 275_000.0, "y": 123.45, "z": 10_000.0},
]
"""Values for the open symbols; all keep 2x ≤ 550.000, the condition voorbeeld 3 states for 'geen macroaftopping'."""

ROW_KEYS = ("subtotaal_investeringen", "saldo_gebiedseigen", "saldo_gebiedseigen_en_overstijgend", "financieel_resultaat")


def acceptance_file() -> Path:
    """``kostenverhaal_voorbeelden.yaml`` in the shared folder: ``$OPENGREX_SHARED/acceptance/``, else the first
    ``shared/acceptance/`` next to this checkout or one of its parents (``/work/main`` → ``/work/shared``; a worktree
    ``/work/wt/kv`` → ``/work/shared``)."""
    env = os.environ.get("OPENGREX_SHARED")
    candidates = [Path(env) / "acceptance" / FILE] if env else []
    candidates += [p / "shared" / "acceptance" / FILE for p in Path(__file__).resolve().parents]
    for c in candidates:
        if c.is_file():
            return c
    raise FileNotFoundError(f"{FILE} niet gevonden; zet OPENGREX_SHARED op de map 'shared' (gezocht: {', '.join(map(str, candidates))})")


def load_cases(path: Path | None = None) -> dict[str, dict[str, Any]]:
    """Every case of the shared file, with ``same_as`` resolved (the named case, overridden by this one's keys)."""
    raw = yaml.safe_load((path or acceptance_file()).read_text(encoding="utf-8"))
    out: dict[str, dict[str, Any]] = {}
    for name, case in raw.items():
        base = raw[case["same_as"]] if "same_as" in case else {}
        merged = {**{k: v for k, v in base.items() if k != "verwacht"}, **{k: v for k, v in case.items() if k != "same_as"}}
        out[name] = merged
    return out


def _symbols(case: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for v in _leaves(case):
        if isinstance(v, str):
            found |= set(re.findall(r"(?<![a-z_])([xyz])(?![a-z_])", v))
    return found


def _leaves(v: Any) -> Iterator[Any]:
    if isinstance(v, dict):
        for w in v.values():
            yield from _leaves(w)
    elif isinstance(v, list):
        for w in v:
            yield from _leaves(w)
    else:
        yield v


def value(v: Any, symbols: dict[str, float]) -> float:
    """A number, a percentage (``45%``) or an expression in the open symbols (``1100000 + 2x``)."""
    if isinstance(v, (int, float)):
        return float(v)
    text = str(v).strip()
    if text.endswith("%"):
        return float(text[:-1].replace(",", ".")) / 100.0
    tree = ast.parse(re.sub(r"(\d)\s*([a-z])", r"\1*\2", text), mode="eval")

    def ev(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        if isinstance(node, ast.Name) and node.id in symbols:
            return symbols[node.id]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -ev(node.operand)
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult)):
            a, b = ev(node.left), ev(node.right)
            return a + b if isinstance(node.op, ast.Add) else a - b if isinstance(node.op, ast.Sub) else a * b
        raise ValueError(f"onbekende uitdrukking {text!r}")

    return ev(tree)


def _kosten(v: Any, symbols: dict[str, float]) -> list[dict[str, Any]]:
    if isinstance(v, dict):
        unknown = set(v) - set(KOSTENSOORT)
        if unknown:
            raise KeyError(f"onbekende kostenpost {sorted(unknown)}; bekend: {', '.join(KOSTENSOORT)}")
        return [{"kostensoort": KOSTENSOORT[k], "omschrijving": k.replace("_", " "), "bedrag": value(a, symbols)} for k, a in v.items()]
    amount = value(v, symbols)
    return [{"kostensoort": KOSTENSOORT["kosten"], "omschrijving": "kosten", "bedrag": amount}] if amount else []


def _programma(case: dict[str, Any], symbols: dict[str, float]) -> dict[str, int]:
    if "programma_gerealiseerd" in case:
        return {s: int(value(n, symbols)) for s, n in case["programma_gerealiseerd"].items()}
    prog = case.get("programma", {})
    total = int(case.get("woningen", 100))
    shares = {s: value(n, symbols) for s, n in prog.items()}
    if all(isinstance(prog[s], str) and str(prog[s]).strip().endswith("%") for s in prog):
        return {s: round(sh * total) for s, sh in shares.items()}
    return {s: int(n) for s, n in shares.items()}


KNOWN = {"gebied", "programma", "programma_gerealiseerd", "woningen", "norm", "initiatiefnemer_kosten", "gemeente_kosten", "opbrengsten",
         "grondopbrengsten", "bovenwijkse_voorzieningen_gemeente", "financiele_bijdrage_fysieke_leefomgeving",
         "bijdrage_per_afwijkende_woning", "tarief_per_woning", "verwacht"}


def case_data(name: str, case: dict[str, Any], symbols: dict[str, float]) -> dict[str, Any]:
    """The shared description → a kostenverhaal case document (the product's own input format)."""
    unknown = set(case) - KNOWN
    if unknown:
        raise KeyError(f"{name}: onbekend veld {sorted(unknown)} in het acceptatiegeval; bekend: {', '.join(sorted(KNOWN))}")
    gebied = case.get("gebied", GEBIED)
    data: dict[str, Any] = {"naam": name, "parameterset": "soest", "peildatum": PEILDATUM, "gebied": gebied,
                            "programma": {"woningen": _programma(case, symbols)},
                            "initiatiefnemer": {"kosten": _kosten(case.get("initiatiefnemer_kosten", 0), symbols)},
                            "gemeente": {"kosten": _kosten(case.get("gemeente_kosten", 0), symbols)}}
    opbrengsten = case.get("opbrengsten", case.get("grondopbrengsten"))
    if opbrengsten is not None:
        data["initiatiefnemer"]["opbrengsten"] = [{"omschrijving": "grondopbrengsten", "bedrag": value(opbrengsten, symbols)}]
    if "bovenwijkse_voorzieningen_gemeente" in case:  # the amount charged to the plan: investment × PTP share 1/2
        data["bovenwijkse_voorzieningen"] = [{"naam": "bovenwijkse voorziening", "bedrag": 2 * value(case["bovenwijkse_voorzieningen_gemeente"], symbols), "aandeel": 0.5}]
    if "financiele_bijdrage_fysieke_leefomgeving" in case:
        data["financiele_bijdrage_fysieke_leefomgeving"] = {"bedrag": value(case["financiele_bijdrage_fysieke_leefomgeving"], symbols)}
    if "tarief_per_woning" in case:
        data["financiele_bijdrage_fysieke_leefomgeving"] = {"tarieven": {gebied: {s: value(v, symbols) for s, v in case["tarief_per_woning"].items()}}}
    if "bijdrage_per_afwijkende_woning" in case:  # x: the extra grondwaarde of a duur home over a sociaal home
        x = value(case["bijdrage_per_afwijkende_woning"], symbols)
        data["financiele_bijdrage_woningvoorraad"] = {"grondwaarde": {"sociaal": 20_000.0, "midden": 20_000.0 + x / 2, "duur": 20_000.0 + x}}
    return data


def check(name: str, case: dict[str, Any], result: CaseResult, symbols: dict[str, float]) -> None:
    """Every ``verwacht`` entry of the case against the result (absolute tolerance € 0,005)."""
    verwacht = case.get("verwacht", {})
    if "norm" in case:  # the norm the case assumes is the parameter set's norm for its area
        _, groups = load_parameter_set("soest", result.case.peildatum).norm_for(result.case.gebied)  # type: ignore[misc]
        assert {"+".join(g.segmenten): g.aandeel for g in groups} == pytest.approx({s: value(v, symbols) for s, v in case["norm"].items()}), f"{name}: norm"
    groups = {g["segmenten"]: g for g in result.inputs.woningvoorraad.get("groepen", [])}
    for key, expected in verwacht.items():
        where = f"{name}: verwacht.{key} met {symbols}"
        if key in ROW_KEYS:
            row = result.row(key)
            for col, v in expected.items():
                assert row[col] == pytest.approx(value(v, symbols), abs=TOL), f"{where}.{col}"
        elif key in ("macroaftopping", "niet_verhaalbaar"):
            assert result.macroaftopping == pytest.approx(value(expected, symbols), abs=TOL), where
        elif key in ("exploitatiebijdrage", "kostenverhaal"):
            assert result.exploitatiebijdrage == pytest.approx(value(expected, symbols), abs=TOL), where
            assert result.row("exploitatiebijdrage")["gemeente"] == pytest.approx(value(expected, symbols), abs=TOL), where
        elif key == "norm_aantallen":
            assert {s: groups[s]["norm_aantal"] for s in expected} == {s: value(v, symbols) for s, v in expected.items()}, where
        elif key == "verschil":
            assert {s: groups[s]["verschil"] for s in expected} == {s: value(v, symbols) for s, v in expected.items()}, where
        elif key == "financiele_bijdrage_woningvoorraad":
            assert result.row(key)["gemeente"] == pytest.approx(value(expected, symbols), abs=TOL), where
        elif key == "financieel_resultaat_initiatiefnemer":
            assert result.resultaat()["initiatiefnemer"] == pytest.approx(value(expected, symbols), abs=TOL), where
        elif key == "totale_bijdrage":
            assert result.inputs.fysiek["bedrag"] == pytest.approx(value(expected, symbols), abs=TOL), where
            assert result.row("financiele_bijdrage_fysieke_leefomgeving")["gemeente"] == pytest.approx(value(expected, symbols), abs=TOL), where
        else:
            raise KeyError(f"{name}: onbekende verwachting '{key}'")


def run(name: str, case: dict[str, Any]) -> int:
    """Run one acceptance case through the public library interface for every set of symbol values it needs;
    returns the number of variants checked."""
    variants = SYMBOOLWAARDEN if _symbols(case) else SYMBOOLWAARDEN[:1]
    for symbols in variants:
        result = calculate_case(case_from_dict(case_data(name, case, symbols)))
        check(name, case, result, symbols)
    return len(variants)


__all__ = ["SEGMENTEN", "acceptance_file", "case_data", "check", "load_cases", "run", "value"]
