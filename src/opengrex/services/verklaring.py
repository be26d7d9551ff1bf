"""Small helpers the kostenverhaal family's services share to build :class:`~opengrex.engine.explain.Explanation`s:
an unknown kengetal as an input error, and a parameter of a parameterset with its source and peildatum."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from opengrex.engine.explain import ParameterUse
from opengrex.errors import InputError
from opengrex.parameters import ParameterSet


def onbekend_kengetal(kengetal: str, toegestaan: Iterable[str]) -> InputError:
    """The error for a kengetal a result cannot explain, naming the ones it can."""
    return InputError("onbekend kengetal", field="kengetal", value=kengetal, allowed=", ".join(toegestaan))


def uit_set(ps: ParameterSet, key: str, naam: str, eenheid: str = "-", waarde: Any = None) -> ParameterUse:
    """Parameter ``key`` of set ``ps`` as used by a rule: value (or ``waarde`` when the rule used a derived form),
    source and the version (peildatum) of the set."""
    return ParameterUse(naam, ps.value_of(key) if waarde is None else waarde, eenheid, ps.bron_tekst(key), ps.geldig_vanaf.isoformat())
