"""TEMPORARY adapters: today's explain outputs of each kind wrapped into the one
:class:`~opengrex.engine.explain.Explanation` type, so CLI, REST API and pages can present every kind the same way
now.

TO BE REPLACED (issue #9 item 6): each kind's service gets its own ``explain(result, kengetal) -> Explanation``
built from ``@rule`` metadata on the engine functions; the coordinator then points the registry entries in
:mod:`opengrex.services.kinds` at those functions and deletes this module. Until then:

- grex: wraps :meth:`opengrex.services.grex.GrexResult.explain` (a dict with a function path as text);
- programma: wraps :meth:`opengrex.services.programma.ProgrammeResult.explain`;
(kostenverhaal, bijdrage and eindafrekening have their own ``explain`` in their services now.)

The rule of each explanation names a real engine function (resolvable); a cited path that does not resolve (the
programme's ``calculate(zero_rates=True)``) is cut to the function it names.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from opengrex.engine.explain import RULE_ATTR, Explanation, Input, ParameterUse, RuleInfo, resolve
from opengrex.errors import InputError

GREX_KENGETALLEN = ("ncw", "eindwaarde", "contante_waarde", "badkuip", "irr", "boekwaarde:JAAR", "rente:JAAR", "saldo:JAAR")
PROGRAMMA_KENGETALLEN = ("ncw", "rentedeel", "fonds", "badkuip")


def _unknown(kengetal: str, allowed: tuple[str, ...]) -> InputError:
    return InputError("onbekend kengetal", field="kengetal", value=kengetal, allowed=", ".join(allowed))


def _rule(fn: Callable[..., Any] | str, label: str, formule: str, bron: str) -> RuleInfo:
    """The rule metadata of ``fn``: its ``@rule`` when it has one, else built here (adapter only)."""
    if isinstance(fn, str):
        path = fn.split("(", 1)[0]
        try:
            fn = resolve(path)
        except (ImportError, AttributeError):
            return RuleInfo(path, label, formule, bron)
    info = getattr(fn, RULE_ATTR, None)
    if isinstance(info, RuleInfo):
        return info
    return RuleInfo(f"{fn.__module__}.{fn.__qualname__}", label, formule, bron)


def _unit_of(name: str, value: Any, money: str) -> str:
    n = name.lower()
    if isinstance(value, (list, dict)) and value and isinstance(value[0] if isinstance(value, list) else next(iter(value.values())), dict):
        return "-"
    if any(k in n for k in ("rente", "voet", "percentage", "aandeel")) and not any(k in n for k in ("bedrag", "deel")):
        return "%"
    if n in ("t_end", "t_y") or n.startswith("jaar"):
        return "jaar"
    if "datum" in n or "prijspeil" in n or n == "timing":
        return "-"
    if "index" in n or "factor" in n:
        return "-"
    return money


def _from_dict(kengetal: str, label: str, eenheid: str, d: dict[str, Any], money: str) -> Explanation:
    """An :class:`Explanation` from a current explain dict ``{waarde, regel, functie, bron, invoer, parameters}``."""
    regel = _rule(d.get("functie", ""), label, str(d.get("regel", "")), str(d.get("bron", "")))
    inv = d.get("invoer", {})
    if isinstance(inv, dict):
        invoer = tuple(Input(str(k), v, _unit_of(str(k), v, money)) for k, v in inv.items())
    else:
        invoer = (Input("tabel", inv, "-"),)
    waarde = d.get("waarde")
    if isinstance(waarde, dict) and "diepste_boekwaarde" in waarde:  # badkuip: the depth, with its years as inputs
        invoer = (Input("jaar van de diepste boekwaarde", waarde.get("jaar"), "jaar"),
                  Input("terugverdienjaar", waarde.get("terugverdienjaar"), "jaar"), *invoer)
        waarde = waarde["diepste_boekwaarde"]
    params = tuple(ParameterUse(str(k), v, "-", bron="invoer van het document") for k, v in (d.get("parameters") or {}).items())
    return Explanation(kengetal, label, waarde, eenheid, regel, invoer, params)


# ---------------------------------------------------------------------------------------------- grex
def explain_grex(result: Any, kengetal: str) -> Explanation:
    """Grex: ``ncw``, ``eindwaarde``, ``contante_waarde``, ``badkuip``, ``irr``, or ``boekwaarde|rente|saldo:JAAR``."""
    g = result.grex
    figure, _, year_text = kengetal.partition(":")
    year = None
    if year_text:
        try:
            year = int(year_text)
        except ValueError:
            raise InputError("jaar is geen geheel getal", field="kengetal", value=kengetal, allowed="bijv. boekwaarde:2027") from None
        if year not in result.years:
            raise InputError("jaar buiten de looptijd", field="kengetal", value=kengetal, allowed=f"{result.years[0]}–{result.years[-1]}")
    try:
        d = result.explain(figure, year)
    except ValueError as exc:
        raise InputError(str(exc), field="kengetal", value=kengetal, allowed=", ".join(GREX_KENGETALLEN)) from None
    contant = f"EUR contant per {g.ncw_date.isoformat()}"
    labels = {
        "ncw": ("Netto contante waarde (BBV)", contant),
        "eindwaarde": ("Eindwaarde", f"EUR nominaal per 31-12-{g.end_year}"),
        "contante_waarde": ("Contante waarde van de kasstromen", contant),
        "badkuip": ("Badkuip: diepste boekwaarde", "EUR nominaal"),
        "irr": ("Interne rentevoet (IRR)", "%"),
        "boekwaarde": (f"Boekwaarde per 31-12-{year}", "EUR nominaal"),
        "rente": (f"Rente {year}", "EUR nominaal"),
        "saldo": (f"Saldo {year}", "EUR nominaal"),
    }
    label, unit = labels[figure]
    return _from_dict(kengetal, label, unit, d, "EUR")


# ---------------------------------------------------------------------------------------------- programma
def explain_programma(result: Any, kengetal: str) -> Explanation:
    """Programme: ``ncw``, ``rentedeel``, ``fonds``, ``badkuip``."""
    try:
        d = result.explain(kengetal)
    except InputError as exc:
        raise _unknown(kengetal, PROGRAMMA_KENGETALLEN) from exc
    contant = f"EUR contant per {result.programme.ncw_date.isoformat()}"
    label, unit = {
        "ncw": ("Netto contante waarde van het programma", contant),
        "rentedeel": ("Rentedeel van de NCW", contant),
        "fonds": ("Saldo van het fonds aan het eind", "EUR nominaal"),
        "badkuip": ("Badkuip van het programma", "EUR nominaal"),
    }[kengetal]
    return _from_dict(kengetal, label, unit, d, "EUR")
