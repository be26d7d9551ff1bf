"""Eindafrekening of a financiële bijdrage / exploitatiebijdrage and planschade settlement (spec rules 6 and 7;
Nota Kostenverhaal Soest 2023 bijlage A4).

>>> from opengrex.services.eindafrekening import load_eindafrekening, calculate_eindafrekening, explain
>>> res = calculate_eindafrekening(load_eindafrekening("examples/kostenverhaal/eindafrekening-voorbeeld.yaml"))
>>> res.terugbetaling, res.rente, res.totaal_terug
>>> explain(res, "terugbetaling")

Method (documented choices; the rules live in :mod:`opengrex.engine.eindafrekening`):

* due (verschuldigd) = aandeel × Σ contante waarde op de betaaldatum of the recomputed costs of the categories
  paid for (netting between them); aandeel = betaald / Σ ramingen unless given;
* refund = betaald − verschuldigd − drempel × betaald when betaald − verschuldigd > drempel × betaald (drempel
  5% from the parameter set); at exactly 5% nothing; never an extra charge;
* interest: the rate table (default the wettelijke rente, art. 6:119 BW, ``parameters/rente/wettelijke_rente.yaml``)
  from the payment date to the date of the eindafrekening, compounded yearly per art. 6:119 lid 2 BW, actual
  days / 365 within a year;
* tussentijdse eindafrekening only from ``betaaldatum + N jaar``, planschade only from ``besluit onherroepelijk +
  M jaar``: N and M from the parameter set (Soest: 5 and 5), else from the dated defaults in
  ``parameters/eindafrekening/``;
* planschade: ``geraamd − werkelijk`` is refunded (> 0) or charged as naheffing (< 0); no 5% threshold and no
  interest (the nota gives none).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from opengrex.engine import eindafrekening as rules
from opengrex.engine.eindafrekening import plus_jaren
from opengrex.engine.explain import Explanation, Input, ParameterUse, explanation
from opengrex.errors import InputError
from opengrex.formatting import eur, procent
from opengrex.io.documents import Locator, build_model, parse_text, read_document
from opengrex.model.eindafrekening import EindafrekeningInvoer, PlanschadeAfrekening, TussentijdseEindafrekening, _Bijdrageafrekening
from opengrex.parameters import ParameterSet, Termijn, load_parameter_set, termijn
from opengrex.parameters.rente import RENTE_DIR, RenteTabel, load_rentetabel
from opengrex.services.verklaring import onbekend_kengetal, uit_set

__all__ = [
    "RENTE_DIR", "BijdrageAfrekeningResult", "EindafrekeningResult", "PlanschadeAfrekeningResult", "RenteTabel", "add_years",
    "calculate_eindafrekening", "eindafrekening_from_dict", "eindafrekening_workbook", "eindafrekening_from_text", "explain", "load_eindafrekening", "load_rentetabel",
]

add_years = plus_jaren
"""``day`` plus whole years (29 February → 1 March): :func:`opengrex.engine.eindafrekening.plus_jaren`."""


def load_eindafrekening(path: str | Path) -> EindafrekeningInvoer:
    """Read and validate an eindafrekening request (YAML/JSON); the result is the kind named by ``soort``."""
    data, locator = read_document(path)
    return build_model(EindafrekeningInvoer, data, locator, EindafrekeningInvoer.check)


def eindafrekening_from_dict(data: dict[str, Any], source: str = "<invoer>") -> EindafrekeningInvoer:
    return build_model(EindafrekeningInvoer, data, Locator(source), EindafrekeningInvoer.check)


def eindafrekening_from_text(text: str, source: str = "<invoer>.yaml") -> EindafrekeningInvoer:
    data, locator = parse_text(text, source)
    return build_model(EindafrekeningInvoer, data, locator, EindafrekeningInvoer.check)


@dataclass
class EindafrekeningResult:
    """Outcome of an eindafrekening or planschade settlement; amounts [EUR]. ``to_dict()`` is what ``--json``
    prints. One of :class:`BijdrageAfrekeningResult` (definitief, tussentijds) or
    :class:`PlanschadeAfrekeningResult`."""

    invoer: EindafrekeningInvoer
    soort: str
    parameterset: str
    uitleg: list[str] = field(default_factory=list)
    waarschuwingen: list[str] = field(default_factory=list)
    parameters: list[ParameterUse] = field(default_factory=list)
    """The parameters used, each with its source and peildatum."""

    @property
    def totaal_terug(self) -> float:
        """What the gemeente pays back to the initiatiefnemer [EUR]."""
        raise NotImplementedError

    @property
    def naheffing(self) -> float:
        """Planschade naheffing charged to the initiatiefnemer [EUR] (never for a bijdrage-eindafrekening)."""
        return 0.0

    def _common(self) -> dict[str, Any]:
        inv = self.invoer
        return {"naam": inv.naam, "soort": self.soort, "datum": inv.datum.isoformat(), "parameterset": self.parameterset, "eenheid": "EUR"}

    def to_dict(self) -> dict[str, Any]:
        raise NotImplementedError

    def explain(self, kengetal: str) -> Explanation:
        """:func:`explain` of this result."""
        return explain(self, kengetal)


@dataclass
class BijdrageAfrekeningResult(EindafrekeningResult):
    """A (tussentijdse) eindafrekening of a paid financiële bijdrage / exploitatiebijdrage."""

    drempel: float = 0.0
    betaald: float = 0.0
    aandeel: float = 0.0
    kosten_cw: float = 0.0
    verschuldigd: float = 0.0
    verschil: float = 0.0
    drempelbedrag: float = 0.0
    terugbetaling: float = 0.0
    rente: float = 0.0
    rente_regels: list[dict[str, Any]] = field(default_factory=list)
    rente_bron: str = ""
    per_categorie: list[dict[str, Any]] = field(default_factory=list)
    kosten_contant: list[float] = field(default_factory=list)
    """Contante waarde op de betaaldatum of each recomputed cost (same order as ``invoer.kosten``) [EUR]."""
    termijn: Termijn | None = None
    """The term of a tussentijdse eindafrekening (None for a definitive one)."""

    @property
    def totaal_terug(self) -> float:
        """Refund plus interest paid by the gemeente [EUR]."""
        return self.terugbetaling + self.rente

    def categorie_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.per_categorie)

    def rente_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rente_regels)

    def to_dict(self) -> dict[str, Any]:
        inv = self.invoer
        assert isinstance(inv, _Bijdrageafrekening)
        return {
            **self._common(),
            "betaling": {"bedrag": self.betaald, "datum": inv.betaling.datum.isoformat()},
            "aandeel": self.aandeel, "disconteringsvoet": inv.disconteringsvoet,
            "kosten_contant_op_betaaldatum": self.kosten_cw, "verschuldigd": self.verschuldigd,
            "verschil": self.verschil, "drempel": self.drempel, "drempelbedrag": self.drempelbedrag,
            "terugbetaling": self.terugbetaling, "rente": self.rente, "totaal_terug": self.totaal_terug,
            "bijbetaling": 0.0, "rentetabel": self.rente_bron,
            "per_categorie": self.per_categorie,
            "rente_regels": [{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in r.items()} for r in self.rente_regels],
            "uitleg": self.uitleg, "waarschuwingen": self.waarschuwingen,
        }


@dataclass
class PlanschadeAfrekeningResult(EindafrekeningResult):
    """A planschade settlement after the planschade term."""

    planschade_saldo: float = 0.0
    termijn: Termijn | None = None

    @property
    def totaal_terug(self) -> float:
        """The refund of planschade paid by the gemeente [EUR]."""
        return max(self.planschade_saldo, 0.0)

    @property
    def naheffing(self) -> float:
        return max(-self.planschade_saldo, 0.0)

    def to_dict(self) -> dict[str, Any]:
        inv = self.invoer
        assert isinstance(inv, PlanschadeAfrekening)
        ps = inv.planschade
        return {
            **self._common(),
            "planschade": {"geraamd": ps.geraamd, "werkelijk": ps.werkelijk, "besluit_onherroepelijk": ps.besluit_onherroepelijk.isoformat(),
                           "saldo": self.planschade_saldo, "terugbetaling": self.totaal_terug, "naheffing": self.naheffing},
            "uitleg": self.uitleg, "waarschuwingen": self.waarschuwingen,
        }


def _vroegst(vanaf: dt.date, t: Termijn, datum: dt.date, message: str) -> None:
    earliest = rules.vroegste_afrekendatum(vanaf, t.jaren)
    if datum < earliest:
        raise InputError(message, field="datum", value=datum.isoformat(), allowed=f"op of na {earliest.isoformat()}")


def calculate_eindafrekening(invoer: EindafrekeningInvoer, parameter_set: ParameterSet | None = None) -> EindafrekeningResult:
    """Compute the eindafrekening (or planschade settlement) of ``invoer``; see the module docstring for the method.
    Date rules (tussentijds ≥ N years after payment; planschade ≥ M years after the decision) raise
    :class:`InputError` naming the earliest allowed date; nothing is computed then."""
    ps = parameter_set if parameter_set is not None else load_parameter_set(invoer.parameterset, invoer.peildatum)
    if isinstance(invoer, PlanschadeAfrekening):
        return _planschade(invoer, ps)
    if not isinstance(invoer, _Bijdrageafrekening):
        raise InputError("onbekende soort afrekening", field="soort", value=invoer.soort, allowed="definitief, tussentijds, planschade")
    b = invoer.betaling
    res = BijdrageAfrekeningResult(invoer, invoer.soort, ps.label)
    if isinstance(invoer, TussentijdseEindafrekening):
        res.termijn = termijn(ps, "tussentijdse_eindafrekening_jaren", invoer.peildatum)
        _vroegst(b.datum, res.termijn, invoer.datum, f"een tussentijdse eindafrekening kan pas {res.termijn.jaren} jaar na de betaling")
        res.parameters.append(ParameterUse("Termijn tussentijdse eindafrekening", res.termijn.jaren, "jaar", res.termijn.bron, res.termijn.peildatum))
    res.drempel = float(ps.value_of("eindafrekening_drempel"))
    res.parameters.append(uit_set(ps, "eindafrekening_drempel", "Drempel terugbetaling", "%"))
    res.betaald = float(b.bedrag)
    if invoer.aandeel is None:
        aandeel = float(rules.aandeel_plan(res.betaald, [c.raming for c in invoer.categorieen]))
        if np.isnan(aandeel):
            raise InputError("aandeel niet af te leiden: de ramingen tellen op tot 0", field="aandeel", allowed="geef aandeel, of ramingen > 0")
        res.aandeel = aandeel
    else:
        res.aandeel = float(invoer.aandeel)

    cats = [c.categorie for c in invoer.categorieen]
    cw = rules.contante_waarden([k.bedrag for k in invoer.kosten], [k.datum.toordinal() for k in invoer.kosten], b.datum.toordinal(), invoer.disconteringsvoet)
    per_cat = rules.per_categorie(cw, [cats.index(k.categorie) for k in invoer.kosten], len(cats))
    res.kosten_contant = [float(x) for x in cw]
    res.kosten_cw = float(cw.sum())
    for c, herberekend in zip(invoer.categorieen, per_cat):
        res.per_categorie.append({"categorie": c.categorie, "omschrijving": c.omschrijving or "", "raming": c.raming,
                                  "herberekend_contant": float(herberekend), "verschil": float(herberekend) - c.raming,
                                  "aandeel_plan_raming": res.aandeel * c.raming, "aandeel_plan_herberekend": res.aandeel * float(herberekend)})
    res.verschuldigd = float(rules.verschuldigd(res.aandeel, res.kosten_cw))
    res.verschil = res.betaald - res.verschuldigd
    refund, _ = rules.terugbetaling(res.betaald, res.verschuldigd, res.drempel)
    res.terugbetaling = float(refund)
    res.drempelbedrag = res.drempel * res.betaald
    if res.terugbetaling > 0:
        _interest(res, invoer)
    res.uitleg = [_verschuldigd(res).toelichting[0], *_terugbetaling(res).toelichting]
    if res.terugbetaling > 0:
        res.uitleg.append(_rente(res).toelichting[0])
    return res


def _planschade(invoer: PlanschadeAfrekening, ps: ParameterSet) -> PlanschadeAfrekeningResult:
    p = invoer.planschade
    res = PlanschadeAfrekeningResult(invoer, invoer.soort, ps.label)
    res.termijn = termijn(ps, "planschade_afrekening_jaren", invoer.peildatum)
    _vroegst(p.besluit_onherroepelijk, res.termijn, invoer.datum, f"planschade wordt pas {res.termijn.jaren} jaar nadat het besluit onherroepelijk werd afgerekend")
    res.parameters.append(ParameterUse("Termijn planschade-afrekening", res.termijn.jaren, "jaar", res.termijn.bron, res.termijn.peildatum))
    res.planschade_saldo = float(rules.planschade_afrekening(p.geraamd, p.werkelijk))
    res.uitleg = list(_planschade_uitleg(res).toelichting)
    return res


def _interest(res: BijdrageAfrekeningResult, invoer: _Bijdrageafrekening) -> None:
    b = invoer.betaling
    if isinstance(invoer.rente, (int, float)):
        dagen, rentes = [dt.date(1900, 1, 1).toordinal()], [float(invoer.rente)]
        res.rente_bron = f"vast percentage {procent(float(invoer.rente))} (invoer)"
        res.parameters.append(ParameterUse("Rente", float(invoer.rente), "%", "invoer (vast percentage per jaar)"))
    else:
        tabel = load_rentetabel(invoer.rente)
        tabel.rate_on(b.datum)  # raises if the table starts later
        dagen, rentes = [d.toordinal() for d in tabel.vanaf], list(tabel.rente)
        res.rente_bron = f"rentetabel {tabel.naam.replace('_', ' ')}, samengesteld per jaar (art. 6:119 lid 2 BW)"  # a name, never a server path
        used = [i for i, d in enumerate(tabel.vanaf) if d < invoer.datum and (i + 1 == len(tabel.vanaf) or tabel.vanaf[i + 1] > b.datum)]
        for i in used:
            res.parameters.append(ParameterUse(f"{tabel.naam} vanaf {tabel.vanaf[i].isoformat()}", tabel.rente[i], "%", tabel.bronnen[i], tabel.vanaf[i].isoformat()))
            if tabel.onzeker[i]:
                res.waarschuwingen.append(f"rentetabel {tabel.naam}: het percentage vanaf {tabel.vanaf[i].isoformat()} ({procent(tabel.rente[i])}) is niet volledig geverifieerd; zie de opmerking in het YAML-bestand")
        if invoer.datum > add_years(tabel.vanaf[-1], 1):
            res.waarschuwingen.append(f"rentetabel {tabel.naam}: laatste percentage geldt vanaf {tabel.vanaf[-1].isoformat()}; controleer of er daarna een nieuw besluit is")
    rente, rows = rules.wettelijke_rente(res.terugbetaling, b.datum.toordinal(), invoer.datum.toordinal(), dagen, rentes)
    res.rente = float(rente)
    res.rente_regels = [{**r, "grondslag": float(r["grondslag"]), "rente": float(r["rente"])} for r in rows]


# --------------------------------------------------------------------------------------------------- explain
KENGETALLEN_BIJDRAGE: tuple[str, ...] = ("aandeel", "kosten_contant", "verschuldigd", "terugbetaling", "rente")
KENGETALLEN_PLANSCHADE: tuple[str, ...] = ("planschade",)
KENGETALLEN: tuple[str, ...] = KENGETALLEN_BIJDRAGE + KENGETALLEN_PLANSCHADE
"""Every figure :func:`explain` knows (a planschade-afrekening only ``planschade``, a bijdrage-afrekening the others)."""


def explain(result: EindafrekeningResult, kengetal: str) -> Explanation:
    """Why figure ``kengetal`` of an eindafrekening has its value (a bijdrage-afrekening: one of
    :data:`KENGETALLEN_BIJDRAGE`; a planschade-afrekening: ``planschade``): rule and source, inputs, parameters
    with their source and peildatum."""
    if isinstance(result, PlanschadeAfrekeningResult):
        if kengetal == "planschade":
            return _planschade_uitleg(result)
        raise onbekend_kengetal(kengetal, KENGETALLEN_PLANSCHADE)
    if isinstance(result, BijdrageAfrekeningResult):
        builders = {"aandeel": _aandeel, "kosten_contant": _kosten_contant, "verschuldigd": _verschuldigd, "terugbetaling": _terugbetaling, "rente": _rente}
        if kengetal in builders:
            return builders[kengetal](result)
        raise onbekend_kengetal(kengetal, KENGETALLEN_BIJDRAGE)
    raise onbekend_kengetal(kengetal, ())


def _inv(r: BijdrageAfrekeningResult) -> _Bijdrageafrekening:
    assert isinstance(r.invoer, _Bijdrageafrekening)
    return r.invoer


def _aandeel(r: BijdrageAfrekeningResult) -> Explanation:
    inv = _inv(r)
    ramingen = sum(c.raming for c in inv.categorieen)
    if inv.aandeel is not None:
        toel = [f"aandeel gegeven: {procent(r.aandeel)}"]
    else:
        toel = [f"{eur(r.betaald, 2)} / {eur(ramingen, 2)} = {procent(r.aandeel)}"]
    return explanation("aandeel", rules.aandeel_plan, r.aandeel, "%", invoer=[Input("Betaald", r.betaald, "EUR"), Input("Som van de ramingen", ramingen, "EUR")], toelichting=toel)


def _kosten_contant(r: BijdrageAfrekeningResult) -> Explanation:
    inv = _inv(r)
    d = inv.betaling.datum
    lines = [f"{k.categorie} {k.datum:%d-%m-%Y} ({k.soort}): {eur(k.bedrag, 2)} → {eur(cw, 2)}" for k, cw in zip(inv.kosten, r.kosten_contant)]
    lines += [f"categorie {c['categorie']}: raming {eur(c['raming'])}, herberekend {eur(c['herberekend_contant'])}" for c in r.per_categorie]
    return explanation(
        "kosten_contant", rules.contante_waarde_op_betaaldatum, r.kosten_cw, f"EUR contant per {d.isoformat()}",
        invoer=[Input("Herberekende kosten (nominaal)", [k.bedrag for k in inv.kosten], "EUR nominaal"), Input("Betaaldatum", d.isoformat(), "datum"),
                Input("Disconteringsvoet", inv.disconteringsvoet, "%")],
        toelichting=lines, onderdelen=[explanation("kosten_per_categorie", rules.per_categorie, [c["herberekend_contant"] for c in r.per_categorie],
                                                   f"EUR contant per {d.isoformat()}", invoer=[Input("Categorieën", [c["categorie"] for c in r.per_categorie])])],
    )


def _verschuldigd(r: BijdrageAfrekeningResult) -> Explanation:
    inv = _inv(r)
    cats = ", ".join(c.categorie for c in inv.categorieen)
    return explanation(
        "verschuldigd", rules.verschuldigd, r.verschuldigd, "EUR",
        invoer=[Input("Aandeel van het plan", r.aandeel, "%"), Input("Kosten contant op de betaaldatum", r.kosten_cw, "EUR")],
        toelichting=[f"verschuldigd = aandeel {procent(r.aandeel)} × kosten contant op {inv.betaling.datum:%d-%m-%Y} {eur(r.kosten_cw, 2)} = "
                     f"{eur(r.verschuldigd, 2)} (verrekening tussen de categorieën {cats})"],
        onderdelen=[_aandeel(r), _kosten_contant(r)],
    )


def _terugbetaling(r: BijdrageAfrekeningResult) -> Explanation:
    if r.verschil < 0:
        toel = "de herberekende bijdrage is hoger dan betaald: geen bijbetaling (het risico op hogere kosten ligt bij de gemeente)"
    elif r.terugbetaling <= 0:
        toel = f"te veel betaald {eur(r.verschil, 2)} ≤ {procent(r.drempel)} van betaald ({eur(r.drempelbedrag, 2)}): geen terugbetaling"
    else:
        toel = (f"terugbetaling = betaald − verschuldigd − {procent(r.drempel)} × betaald = {eur(r.betaald, 2)} − {eur(r.verschuldigd, 2)} − "
                f"{eur(r.drempelbedrag, 2)} = {eur(r.terugbetaling, 2)}")
    return explanation(
        "terugbetaling", rules.terugbetaling, r.terugbetaling, "EUR",
        invoer=[Input("Betaald", r.betaald, "EUR"), Input("Verschuldigd", r.verschuldigd, "EUR")],
        parameters=[p for p in r.parameters if p.naam in ("Drempel terugbetaling", "Termijn tussentijdse eindafrekening")],
        toelichting=[toel], onderdelen=[_verschuldigd(r)],
    )


def _rente(r: BijdrageAfrekeningResult) -> Explanation:
    inv = _inv(r)
    d = inv.betaling.datum
    lines = [f"rente over {eur(r.terugbetaling, 2)} van {d:%d-%m-%Y} tot {inv.datum:%d-%m-%Y}: {eur(r.rente, 2)} ({r.rente_bron})" if r.terugbetaling > 0
             else "geen terugbetaling, dus geen rente"]
    lines += [f"rentejaar {x['rentejaar']}: {x['van']:%d-%m-%Y} – {x['tot']:%d-%m-%Y}, {x['dagen']} dagen × {procent(x['rente_pct'])} over {eur(x['grondslag'], 2)} = {eur(x['rente'], 2)}"
              for x in r.rente_regels]
    return explanation(
        "rente", rules.wettelijke_rente, r.rente, "EUR",
        invoer=[Input("Terugbetaling", r.terugbetaling, "EUR"), Input("Van (betaaldatum)", d.isoformat(), "datum"), Input("Tot (datum afrekening)", inv.datum.isoformat(), "datum")],
        parameters=[p for p in r.parameters if p.eenheid == "%" and p.naam != "Drempel terugbetaling"],
        toelichting=lines, onderdelen=[_terugbetaling(r)],
    )


def _planschade_uitleg(r: PlanschadeAfrekeningResult) -> Explanation:
    assert isinstance(r.invoer, PlanschadeAfrekening)
    p = r.invoer.planschade
    wat = "terugbetaling aan de initiatiefnemer" if r.planschade_saldo >= 0 else "naheffing bij de initiatiefnemer"
    return explanation(
        "planschade", rules.planschade_afrekening, r.planschade_saldo, "EUR",
        invoer=[Input("Geraamde planschade", p.geraamd, "EUR"), Input("Werkelijke planschade", p.werkelijk, "EUR"),
                Input("Besluit onherroepelijk", p.besluit_onherroepelijk.isoformat(), "datum")],
        parameters=r.parameters,
        toelichting=[f"geraamd {eur(p.geraamd, 2)} − werkelijk {eur(p.werkelijk, 2)} = {eur(r.planschade_saldo, 2)}: {wat}"],
    )


def eindafrekening_workbook(invoer: EindafrekeningInvoer, herkomst: Any = None) -> bytes:
    """The Excel download of an eindafrekening (registry exporter): amount due, refund and interest as live formulas
    on the input sheets (:func:`opengrex.io.xlsx_eindafrekening.eindafrekening_workbook_bytes`), stamped with
    ``herkomst`` so the workbook can be uploaded back as a new version."""
    from opengrex.io.xlsx_eindafrekening import eindafrekening_workbook_bytes

    return eindafrekening_workbook_bytes(calculate_eindafrekening(invoer), herkomst)
