"""Rule metadata and the one :class:`Explanation` type every capability returns for "where does this number come from".

Every engine function that implements a legal or policy rule is decorated with :func:`rule`: its Dutch label, the
formula in words, the article or paragraph it implements and the source document. Services build an
:class:`Explanation` for a figure from that metadata (never from hand-written function paths), adding the inputs
(with units) and the parameters used (with their source and peildatum). The CLI prints it, the REST API returns
:meth:`Explanation.to_dict`, the pages render it; a test resolves every cited function (:func:`resolve`).

Values stay unrounded floats here; presentation (``€ 1.234``, ``2 %``) happens in :mod:`opengrex.formatting`.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

Unit = str
"""A unit as shown to users: ``"EUR prijspeil 2025-01-01"``, ``"EUR nominaal"``, ``"EUR contant per 2025-01-01"``,
``"%"`` (a fraction shown as a percentage), ``"jaar"``, ``"woningen"``, ``"m²"``, ``"-"`` (a plain number)."""


@dataclass(frozen=True)
class RuleInfo:
    """What :func:`rule` attaches to an engine function."""

    function: str
    """Import path ``module.qualname`` (resolvable with :func:`resolve`)."""
    label: str
    """Dutch name of the rule, e.g. ``"Netto contante waarde (BBV)"``."""
    formule: str
    """The formula in words or symbols, Dutch, e.g. ``"eindwaarde / (1 + d) ^ T"``."""
    bron: str
    """Article / paragraph and document, e.g. ``"art. 13.14 Omgevingswet; Nota Kostenverhaal Soest 2023 §2.1.3"``."""


RULE_ATTR = "__opengrex_rule__"


def rule(label: str, *, formule: str, bron: str) -> Callable[[F], F]:
    """Decorator: mark an engine function as the implementation of a rule (metadata only; no wrapping, no cost)."""

    def mark(fn: F) -> F:
        setattr(fn, RULE_ATTR, RuleInfo(f"{fn.__module__}.{fn.__qualname__}", label, formule, bron))
        return fn

    return mark


def rule_of(fn: Callable[..., Any]) -> RuleInfo:
    """The :class:`RuleInfo` of a decorated engine function; ``TypeError`` if it was not marked with :func:`rule`."""
    info = getattr(fn, RULE_ATTR, None)
    if not isinstance(info, RuleInfo):
        raise TypeError(f"{getattr(fn, '__qualname__', fn)!r} is geen regel (geen @rule)")
    return info


def resolve(path: str) -> Callable[..., Any]:
    """The function at import path ``module.qualname`` (the inverse of :attr:`RuleInfo.function`)."""
    module, _, name = path.rpartition(".")
    while module:
        try:
            obj: Any = import_module(module)
        except ModuleNotFoundError:
            module, _, outer = module.rpartition(".")
            name = f"{outer}.{name}"
            continue
        for part in name.split("."):
            obj = getattr(obj, part)
        return obj
    raise ImportError(path)


@dataclass(frozen=True)
class Input:
    """One input of a figure: Dutch label, value and unit (``value`` may be a list, e.g. per year), and the symbol
    the rule's formula uses for it (``"F_y"``, ``"T_end"``), if any."""

    naam: str
    waarde: Any
    eenheid: Unit = "-"
    symbool: str | None = None


@dataclass(frozen=True)
class ParameterUse:
    """A parameter value used by the rule, with where it comes from."""

    naam: str
    waarde: Any
    eenheid: Unit = "-"
    bron: str = ""
    """Document, article/table and page of the value (from the parameter file)."""
    peildatum: str | None = None
    """The parameter set version (ISO date it is in force from), when the value is dated."""


@dataclass(frozen=True)
class Explanation:
    """Why a figure has its value: the rule (with its source), the inputs and the parameters, and optionally the
    explanations of the inputs that are themselves figures (``onderdelen``)."""

    kengetal: str
    """Key of the figure, e.g. ``"ncw"``, ``"boekwaarde:2027"``, ``"exploitatiebijdrage"``."""
    label: str
    waarde: Any
    eenheid: Unit
    regel: RuleInfo
    invoer: tuple[Input, ...] = ()
    parameters: tuple[ParameterUse, ...] = ()
    toelichting: tuple[str, ...] = ()
    """Short Dutch sentences with the figures filled in (already formatted by the service)."""
    onderdelen: tuple[Explanation, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (the REST API's response, ``--json`` in the CLI)."""
        return {
            "kengetal": self.kengetal,
            "label": self.label,
            "waarde": self.waarde,
            "eenheid": self.eenheid,
            "regel": {"label": self.regel.label, "formule": self.regel.formule, "bron": self.regel.bron, "functie": self.regel.function},
            "invoer": [{"naam": i.naam, "waarde": i.waarde, "eenheid": i.eenheid, "symbool": i.symbool} for i in self.invoer],
            "parameters": [
                {"naam": p.naam, "waarde": p.waarde, "eenheid": p.eenheid, "bron": p.bron, "peildatum": p.peildatum} for p in self.parameters
            ],
            "toelichting": list(self.toelichting),
            "onderdelen": [o.to_dict() for o in self.onderdelen],
        }


def explanation(kengetal: str, fn: Callable[..., Any], waarde: Any, eenheid: Unit, *, label: str | None = None,
                invoer: tuple[Input, ...] | list[Input] = (), parameters: tuple[ParameterUse, ...] | list[ParameterUse] = (),
                toelichting: tuple[str, ...] | list[str] = (), onderdelen: tuple[Explanation, ...] | list[Explanation] = ()) -> Explanation:
    """Build an :class:`Explanation` for ``kengetal`` from the rule metadata of engine function ``fn``."""
    info = rule_of(fn)
    return Explanation(kengetal, label or info.label, waarde, eenheid, info, tuple(invoer), tuple(parameters), tuple(toelichting), tuple(onderdelen))
