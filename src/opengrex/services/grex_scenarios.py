"""What-if for a grex: scenarios side by side with a waterfall, a tornado of the main inputs, and the difference
between two versions per cause (the same functions the CLI, the REST API and the pages call).

- :func:`run_grex_scenarios`: each scenario of the grex (``scenarios:`` in the document, or given) on a copy of the
  base; the effect of each change on the NCW sequentially (in the listed order) and by Shapley (all orders). The
  ``2**k`` coalitions of a scenario are computed in ONE engine call (:func:`opengrex.model.grex.compile_variants`:
  the variants share the grex's lines and differ in amounts, phasing, period and rates).
- :func:`grex_tornado`: each main input (rente, disconteringsvoet, every index series in use, the cost and revenue
  amounts, the phasing of the revenues) at a stated low and high value, the rest at the base — all variants in one
  engine call.
- :func:`compare_grex_versions`: the change of each headline figure from version ``a`` to ``b`` split over the
  causes of :data:`opengrex.model.grex.GREX_CAUSES` (Shapley over all ``2**k`` hybrid grexes; the parts add up to the
  total change exactly).

The waterfall and Shapley rules are the programme's (:func:`opengrex.engine.programma.waterfall`,
:func:`opengrex.engine.programma.shapley`).

>>> import opengrex
>>> grex = opengrex.load_grex("examples/demo-grex.yaml")
>>> opengrex.grex_tornado(grex).rows[0]                         # the input with the widest band
>>> opengrex.run_grex_scenarios(grex, [opengrex.parse_grex_change("rente=+0,01")])
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from opengrex.engine import grex as rules
from opengrex.engine import programma as prules
from opengrex.errors import InputError, InputErrors
from opengrex.formatting import eur
from opengrex.formatting import procent as procent_tekst
from opengrex.model.grex import (
    GREX_CAUSE_TEXT,
    GREX_CAUSES,
    DisconteringsvoetWijziging,
    Grex,
    GrexScenario,
    IndexWijziging,
    KostenWijziging,
    OpbrengstenWijziging,
    RenteWijziging,
    Verschuiving,
    Vertraging,
    compile_variants,
    hybrid_grex,
)
from opengrex.services.grex import GrexResult, calculate_grex

MAX_SHAPLEY = 8
"""Changes per scenario up to which the Shapley attribution is computed (2**8 = 256 variants in one engine call)."""

HEADLINES = {"ncw": ("NCW (BBV)", "EUR contant"), "eindwaarde": ("Eindwaarde", "EUR nominaal"), "saldo_nominaal": ("Saldo nominaal", "EUR nominaal"),
             "contante_waarde": ("Contante waarde kasstromen", "EUR contant")}
"""The figures attributed to causes in a version comparison: key -> (Dutch label, unit)."""


# ------------------------------------------------------------------------------------------------ the batch
def batch_ncw(variants: Sequence[Grex]) -> tuple[np.ndarray, np.ndarray]:
    """NCW and eindwaarde of each variant, each at its own end year, from ONE engine call over the variant axis
    (:func:`opengrex.model.grex.compile_variants`). ``(ncw, eindwaarde)`` both ``(V,)`` [EUR]."""
    batch = compile_variants([g.without_scenarios() for g in variants])
    outcome = rules.calculate(batch.arrays)
    eind = np.take_along_axis(outcome.book_value, batch.end_pos[:, None], axis=-1)[:, 0]  # each at its own end year
    ncw = rules.ncw_bbv(eind, batch.arrays.disconteringsvoet, batch.t_end)
    return np.asarray(ncw, dtype=np.float64), np.asarray(eind, dtype=np.float64)


# ------------------------------------------------------------------------------------------------ scenarios
CHANGE_SYNTAX = """Wijzigingen (--wijziging, herhaalbaar; volgorde = volgorde van de waterval; een getal met + of − is een verandering,
zonder teken een nieuwe waarde; decimalen met komma of punt):
  rente=+0,01            rente over de boekwaarde 1 procentpunt hoger   rente=0,03@2030   3 % vanaf 2030
  disconteringsvoet=+0,01   disconteringsvoet=0,03
  index=+0,005           alle indexreeksen      index:kostenstijging=0,04@2028   één reeks, vanaf 2028
  verschuif=1            alle posten 1 jaar later   verschuif:opbrengsten=2   verschuif:Uitgifte vrije sector=-1
  vertraging=2           alles vanaf het eerste niet-gerealiseerde jaar 2 jaar later   vertraging=1@2029
  kosten=+10             kosten 10 % hoger      opbrengsten=-10   opbrengsten:Uitgifte vrije sector=-15"""


def _number(text: str) -> float:
    return float(text.strip().replace("−", "-").replace(",", "."))


def parse_grex_change(text: str) -> Any:
    """One scenario change from its short text (:data:`CHANGE_SYNTAX`), e.g. ``rente=+0,01`` or
    ``verschuif:opbrengsten=1``; :class:`InputError` naming the text and the syntax otherwise."""
    bad = InputError("ongeldige wijziging", field="wijziging", value=text, allowed=CHANGE_SYNTAX)
    head, eq, value = str(text).partition("=")
    kind, _, target = head.strip().partition(":")
    kind, target = kind.strip().lower(), target.strip()
    if not eq or not value.strip():
        raise bad
    value, at, year = value.partition("@")
    value = value.strip()
    try:
        vanaf = int(year) if at else None
        delta = value[:1] in "+-−"
        if kind in ("rente", "disconteringsvoet", "index"):
            rate = {"delta": _number(value)} if delta else {"waarde": _number(value)}
            if kind == "rente":
                return RenteWijziging(vanaf=vanaf, **rate)
            if kind == "disconteringsvoet":
                return DisconteringsvoetWijziging(**rate)
            return IndexWijziging(reeks=target, vanaf=vanaf, **rate)
        if kind == "verschuif":
            sectie = target.lower() if target.lower() in ("alle", "kosten", "opbrengsten") else "alle"
            regels = [] if not target or target.lower() in ("alle", "kosten", "opbrengsten") else [target]
            return Verschuiving(jaren=int(_number(value)), sectie=sectie, regels=regels)
        if kind == "vertraging":
            return Vertraging(jaren=int(_number(value)), vanaf=vanaf)
        if kind in ("kosten", "opbrengsten"):
            cls = KostenWijziging if kind == "kosten" else OpbrengstenWijziging
            return cls(procent=_number(value), regels=[target] if target else [])
    except (ValueError, TypeError):
        raise bad from None
    raise InputError("onbekende soort wijziging", field="wijziging", value=text, allowed=CHANGE_SYNTAX)


def change_text(w: Any) -> str:
    """The short text of a change (the inverse of :func:`parse_grex_change`): for forms and the CLI."""
    def num(x: float) -> str:
        return f"{x:g}".replace(".", ",")

    def rate() -> str:
        v = f"{'+' if w.delta >= 0 else ''}{num(w.delta)}" if w.delta is not None else num(w.waarde)
        return v + (f"@{w.vanaf}" if getattr(w, "vanaf", None) else "")

    if w.type in ("rente", "disconteringsvoet"):
        return f"{w.type}={rate()}"
    if w.type == "index":
        return f"index{':' + w.reeks if w.reeks else ''}={rate()}"
    if w.type == "verschuif":
        target = w.regels[0] if w.regels else (w.sectie if w.sectie != "alle" else "")
        return f"verschuif{':' + target if target else ''}={w.jaren:+d}"
    if w.type == "vertraging":
        return f"vertraging={w.jaren}" + (f"@{w.vanaf}" if w.vanaf else "")
    return f"{w.type}{':' + w.regels[0] if w.regels else ''}={w.procent:+g}".replace(".", ",")


@dataclass
class GrexScenarioOutcome:
    naam: str
    omschrijving: str
    wijzigingen: list[str]
    result: GrexResult
    sequential: list[float]
    """NCW effect of each change, applied in the listed order [EUR contant]."""
    shapley: list[float] | None
    """NCW effect of each change, order-independent (all ``2**k`` coalitions); None when k > :data:`MAX_SHAPLEY`."""

    @property
    def ncw(self) -> float:
        return self.result.ncw


@dataclass
class GrexScenarioComparison:
    base: GrexResult
    scenarios: list[GrexScenarioOutcome]
    methode: str = ("waterval: wijzigingen volgtijdelijk in de opgegeven volgorde, en Shapley (gemiddelde over alle volgordes); alle 2^k "
                    "combinaties in één berekening van de rekenkern")

    def rows(self) -> list[dict[str, Any]]:
        """Side by side: the base and each scenario (NCW, eindwaarde, saldo nominaal, diepste boekwaarde, terugverdienjaar)."""
        out = []
        for naam, r in [("Basis", self.base)] + [(s.naam, s.result) for s in self.scenarios]:
            bk = r.badkuip()
            out.append({"scenario": naam, "ncw": r.ncw, "verschil_ncw": r.ncw - self.base.ncw, "eindwaarde": r.eindwaarde, "saldo_nominaal": r.saldo_nominaal,
                        "diepste_boekwaarde": bk["diepste_boekwaarde"], "terugverdienjaar": bk["terugverdienjaar"], "eindjaar": r.grex.end_year})
        return out

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows()).set_index("scenario")

    def waterfall_rows(self) -> list[dict[str, Any]]:
        rows = []
        for s in self.scenarios:
            for i, w in enumerate(s.wijzigingen):
                rows.append({"scenario": s.naam, "wijziging": w, "volgtijdelijk": s.sequential[i], "shapley": None if s.shapley is None else s.shapley[i]})
        return rows

    def to_dict(self) -> dict[str, Any]:
        return {"basis": self.base.grex.name, "methode": self.methode, "scenarios": self.rows(), "waterval": self.waterfall_rows()}


def _check(grex: Grex, scenarios: list[GrexScenario]) -> None:
    errs = []
    for i, s in enumerate(scenarios):
        for j, w in enumerate(s.wijzigingen):
            errs += w.check(grex, ("scenarios", i, "wijzigingen", j))
    if errs:
        raise InputErrors(errs)


def apply_changes(grex: Grex, changes: Sequence[Any]) -> Grex:
    """``grex`` with each change applied in turn, each to a copy (the base is never changed), validated."""
    g = grex.without_scenarios()
    for w in changes:
        g = w.apply(g)
    return g.validated()


def run_grex_scenarios(grex: Grex, scenarios: Sequence[GrexScenario | Any] | None = None) -> GrexScenarioComparison:
    """Each scenario (default: the grex's own ``scenarios``; a bare list of changes is one scenario) on a copy of the
    base, side by side, with the NCW effect of each change sequentially and by Shapley (k <= :data:`MAX_SHAPLEY`).
    Every coalition of a scenario is a variant of ONE engine call."""
    base_grex = grex.without_scenarios()
    todo = list(grex.scenarios) if scenarios is None else list(scenarios)
    if todo and not isinstance(todo[0], GrexScenario):
        todo = [GrexScenario(naam="Scenario", wijzigingen=list(todo))]
    _check(base_grex, todo)
    base = calculate_grex(base_grex)
    out = []
    for s in todo:
        ws = list(s.wijzigingen)
        k = len(ws)
        masks = prules.coalitions(k, k <= MAX_SHAPLEY)
        variants = [apply_changes(base_grex, [w for i, w in enumerate(ws) if m >> i & 1]) for m in masks]
        ncw, _ = batch_ncw(variants)
        seq, shap = prules.waterfall(dict(zip(masks, ncw.tolist())), k, k <= MAX_SHAPLEY)
        final = calculate_grex(variants[masks.index((1 << k) - 1)])
        out.append(GrexScenarioOutcome(naam=s.naam, omschrijving=s.omschrijving, wijzigingen=[w.text() for w in ws], result=final,
                                       sequential=[float(v) for v in seq], shapley=None if shap is None else [float(v) for v in shap]))
    return GrexScenarioComparison(base=base, scenarios=out)


# ------------------------------------------------------------------------------------------------ tornado
@dataclass
class TornadoInput:
    """One input of the tornado: its low and high change (scenario changes applied to a copy)."""

    invoer: str
    bereik: str
    laag: Any
    hoog: Any


@dataclass
class Tornado:
    """Each input at its low and high value, the rest at the base: the NCW and its change, widest band first."""

    basis_ncw: float
    rows: list[dict[str, Any]] = field(default_factory=list)
    methode: str = "elke invoer apart op de lage en de hoge waarde, de rest op de basis; alle varianten in één berekening van de rekenkern"

    def to_dict(self) -> dict[str, Any]:
        return {"basis_ncw": self.basis_ncw, "methode": self.methode, "invoer": self.rows}


def tornado_inputs(grex: Grex, *, procentpunt: float = 0.01, procent: float = 10.0, jaren: int = 1) -> list[TornadoInput]:
    """The main inputs of a grex with their ranges: rente and disconteringsvoet ± ``procentpunt``, every index series a
    line with an amount uses ± ``procentpunt``, the cost and the revenue amounts ± ``procent`` %, the phasing of the
    revenues ``jaren`` year(s) earlier and later."""
    pp = procentpunt
    band = f"± {procent_tekst(pp).removesuffix(' %')} procentpunt"
    out = [
        TornadoInput("Rente (boekwaarde)", band, RenteWijziging(delta=-pp), RenteWijziging(delta=pp)),
        TornadoInput("Disconteringsvoet", band, DisconteringsvoetWijziging(delta=-pp), DisconteringsvoetWijziging(delta=pp)),
    ]
    used = []
    for _, _, ln in grex.lines():
        if ln.amount and ln.index not in used:
            used.append(ln.index)
    for name in used:
        out.append(TornadoInput(f"Index {name}", band, IndexWijziging(reeks=name, delta=-pp), IndexWijziging(reeks=name, delta=pp)))
    if grex.kosten:
        out.append(TornadoInput("Kosten (bedragen)", f"± {procent:g} %", KostenWijziging(procent=-procent), KostenWijziging(procent=procent)))
    if grex.opbrengsten:
        out.append(TornadoInput("Opbrengsten (bedragen)", f"± {procent:g} %", OpbrengstenWijziging(procent=-procent), OpbrengstenWijziging(procent=procent)))
        out.append(TornadoInput("Fasering opbrengsten", f"{jaren} jaar eerder / later", Verschuiving(jaren=-jaren, sectie="opbrengsten"),
                                Verschuiving(jaren=jaren, sectie="opbrengsten")))
    return out


def grex_tornado(grex: Grex, inputs: Sequence[TornadoInput] | None = None, **ranges: Any) -> Tornado:
    """The tornado of the main inputs (:func:`tornado_inputs`, or ``inputs``): ``2 × n + 1`` variants in ONE engine
    call; rows sorted by the width of their band (widest first)."""
    base_grex = grex.without_scenarios()
    todo = list(inputs) if inputs is not None else tornado_inputs(base_grex, **ranges)
    variants = [base_grex] + [apply_changes(base_grex, [w]) for t in todo for w in (t.laag, t.hoog)]
    ncw, _ = batch_ncw(variants)
    base = float(ncw[0])
    rows = []
    for i, t in enumerate(todo):
        lo, hi = float(ncw[1 + 2 * i]), float(ncw[2 + 2 * i])
        rows.append({"invoer": t.invoer, "bereik": t.bereik, "laag": t.laag.text(), "hoog": t.hoog.text(), "ncw_laag": lo, "ncw_hoog": hi,
                     "effect_laag": lo - base, "effect_hoog": hi - base, "bandbreedte": abs(hi - lo)})
    rows.sort(key=lambda r: -r["bandbreedte"])
    return Tornado(basis_ncw=base, rows=rows)


# ------------------------------------------------------------------------------------------------ versions
@dataclass
class GrexVersionComparison:
    """The difference of each headline figure from version ``a`` to ``b``, split over the causes (Shapley)."""

    a: GrexResult
    b: GrexResult
    causes: tuple[str, ...]
    values: dict[str, np.ndarray]
    """Per figure: its value in each of the ``2**k`` hybrids (bit ``i`` = cause ``i`` taken from ``b``)."""
    parts: dict[str, np.ndarray]
    """Per figure: the Shapley part of each cause (adds up to ``values[-1] - values[0]``)."""

    def total(self, key: str = "ncw") -> float:
        return float(self.values[key][-1] - self.values[key][0])

    def to_dict(self) -> dict[str, Any]:
        figures = {}
        for key, (label, unit) in HEADLINES.items():
            figures[key] = {
                "label": label, "eenheid": unit, "a": float(self.values[key][0]), "b": float(self.values[key][-1]), "verschil": self.total(key),
                "per_oorzaak": [{"oorzaak": c, "omvat": GREX_CAUSE_TEXT[c], "bedrag": float(v)} for c, v in zip(self.causes, self.parts[key])],
            }
        return {"methode": f"Shapley over {len(self.causes)} oorzaken: alle {2 ** len(self.causes)} combinaties doorgerekend als hybride grondexploitaties "
                           "(volgorde-onafhankelijk; de delen tellen exact op tot het verschil)",
                "oorzaken": list(self.causes), "kengetallen": figures}


def _figures(r: GrexResult) -> dict[str, float]:
    return {"ncw": r.ncw, "eindwaarde": r.eindwaarde, "saldo_nominaal": r.saldo_nominaal, "contante_waarde": r.contante_waarde}


def compare_grex_versions(a: Grex, b: Grex, causes: Sequence[str] = GREX_CAUSES) -> GrexVersionComparison:
    """Explain the change of the headline figures from ``a`` to ``b`` per cause (:data:`GREX_CAUSES`), order-
    independently: Shapley over all ``2**k`` hybrids (:func:`opengrex.model.grex.hybrid_grex`, k <= 6); the parts
    of each figure add up to its total change."""
    causes = tuple(causes)
    if len(causes) > 6 or any(c not in GREX_CAUSES for c in causes):
        raise InputError("onbekende of te veel oorzaken", field="oorzaken", value=list(causes), allowed=", ".join(GREX_CAUSES) + " (hoogstens 6)")
    k = len(causes)
    a, b = a.without_scenarios(), b.without_scenarios()
    values = {key: np.zeros(2**k) for key in HEADLINES}
    for m in range(2**k):
        on = {c for i, c in enumerate(causes) if m >> i & 1}
        figs = _figures(calculate_grex(hybrid_grex(a, b, on.__contains__)))
        for key in HEADLINES:
            values[key][m] = figs[key]
    parts = {key: prules.shapley(v, k) for key, v in values.items()}
    return GrexVersionComparison(a=calculate_grex(a), b=calculate_grex(b), causes=causes, values=values, parts=parts)


def grex_causes(a: Grex, b: Grex) -> dict[str, Any]:
    """The registry's cause attribution of a grex (:func:`compare_grex_versions` as plain data)."""
    return compare_grex_versions(a, b).to_dict()


def grex_year_table(result: GrexResult) -> dict[str, Any]:
    """The nominal signed flow of each line per year (the registry's table per year of a grex) [EUR nominal]."""
    flows = result.outcome.line_flows
    rows = [{"sleutel": f"{lab['soort']}: {lab['naam']}", "groep": lab["soort"].capitalize(), "naam": lab["naam"], "waarden": flows[i].tolist()}
            for i, lab in enumerate(result.line_labels)]
    return {"titel": "Kasstroom per post per jaar", "eenheid": "EUR nominaal", "jaren": result.years, "regels": rows}


def waterfall_text(cmp: GrexVersionComparison, key: str = "ncw") -> list[str]:
    """The attribution as Dutch lines (CLI): the figure in ``a``, each cause, the figure in ``b``."""
    label = HEADLINES[key][0]
    lines = [f"{label} versie a: {eur(float(cmp.values[key][0]))}"]
    lines += [f"  {c}: {eur(float(v))} ({GREX_CAUSE_TEXT[c]})" for c, v in zip(cmp.causes, cmp.parts[key])]
    lines.append(f"{label} versie b: {eur(float(cmp.values[key][-1]))} (verschil {eur(cmp.total(key))})")
    return lines


__all__ = [
    "CHANGE_SYNTAX", "GrexScenarioComparison", "GrexVersionComparison", "Tornado", "TornadoInput", "apply_changes", "batch_ncw", "change_text",
    "compare_grex_versions", "grex_causes", "grex_tornado", "grex_year_table", "parse_grex_change", "run_grex_scenarios", "tornado_inputs",
]
