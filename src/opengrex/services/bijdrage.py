"""Financiële bijdrage ter verbetering van de fysieke leefomgeving (Nota Kostenverhaal Soest 2023 §4.1): load the
input, resolve the parameter set, run the six steps, present tabel 1-5 (the functions the CLI, web app and tests
call).

>>> from opengrex.services.bijdrage import load_bijdrage_input, calculate_bijdrage, plan_contribution
>>> res = calculate_bijdrage(load_bijdrage_input("examples/kostenverhaal/soest-bijdrage-illustratief.yaml"))
>>> res.tabel5()                                   # rate per home per segment per area [EUR]
>>> plan_contribution(res, "Kern Soesterberg", {"sociaal": 10, "midden": 10, "duur": 10})
>>> explain(res, "tarief:Kern Soesterberg:duur")   # Explanation: stap 6 with its inputs and parameters

Thin orchestration: load → resolve the parameters (set in force at the peildatum, overridden by the input) →
``BijdrageInvoer.compile`` → :func:`opengrex.engine.bijdrage.calculate` → tables and explanations.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from opengrex.codes.segmenten import HARDHEDEN, HARDHEID_LABELS
from opengrex.engine import bijdrage as rules
from opengrex.engine.bijdrage import BijdrageArrays, BijdrageOutcome
from opengrex.engine.explain import Explanation, Input, ParameterUse, explanation
from opengrex.errors import InputError, InputErrors
from opengrex.formatting import EXCEL_EUR_FORMAT, eur, number, procent
from opengrex.io.documents import Locator, build_model, parse_text, read_document
from opengrex.model.base import error
from opengrex.model.bijdrage import BijdrageInvoer
from opengrex.parameters import ParameterSet, load_parameter_set

HARDHEID_LABEL = HARDHEID_LABELS


@dataclass
class ParameterWaarde:
    """One parameter value used, with its source (parameter set bron or the input file) and the version it comes
    from (the set's ``geldig_vanaf``, or the input's peildatum)."""

    sleutel: str
    waarde: Any
    bron: str
    peildatum: str | None = None

    @property
    def eenheid(self) -> str:
        """``EUR`` for WOZ values (``woz.*``, ``gemiddelde_woz.*``), ``%`` for grondquotes, btw and hardness weights."""
        return "EUR" if self.sleutel.split(".")[0].endswith("woz") else "%"

    def gebruik(self) -> ParameterUse:
        """As an :class:`~opengrex.engine.explain.ParameterUse` for an explanation (with its unit)."""
        return ParameterUse(self.sleutel, self.waarde, self.eenheid, self.bron, self.peildatum)


@dataclass
class ResolvedParameters:
    tree: dict[str, str | None]
    woz: dict[str, float]
    grondquotes: dict[str, float]
    btw: float
    hardheid_investeringen: dict[str, float]
    hardheid_plannen: dict[str, float]
    gebruikt: list[ParameterWaarde]
    parameterset: str


def resolve_parameters(invoer: BijdrageInvoer, ps: ParameterSet | None = None) -> ResolvedParameters:
    """Take grondquotes, btw, hardness weights, the area tree and (if the input has none) the average WOZ from the
    parameter set in force at the input's peildatum; values in the input's ``parameters`` override them.
    Unknown set, peildatum before its first version, unknown area: :class:`InputError`."""
    ps = ps if ps is not None else load_parameter_set(invoer.parameterset, invoer.peildatum)
    label = ps.label
    used: list[ParameterWaarde] = []
    p = invoer.parameters
    eigen = invoer.peildatum.isoformat()

    def from_set(key: str) -> Any:
        v = ps.value_of(key)
        used.append(ParameterWaarde(key, v, ps.bron_tekst(key), ps.geldig_vanaf.isoformat()))
        return v

    def override(key: str, v: Any) -> Any:
        used.append(ParameterWaarde(key, v, "invoerbestand (parameters)", eigen))
        return v

    segs = invoer.segmenten
    if invoer.woz is not None:
        woz = {s: float(v) for s, v in invoer.woz.items()}
        used += [ParameterWaarde(f"woz.{s}", v, "invoerbestand (woz, bijlage B3)", eigen) for s, v in woz.items()]
    elif ps.gemiddelde_woz:
        woz = {s: float(from_set(f"gemiddelde_woz.{s}")) for s in ps.gemiddelde_woz}
    else:
        raise InputError("geen gemiddelde WOZ-waarden: niet in de invoer en niet in de parameterset", field="woz",
                         allowed=f"woz: {{sociaal: ..., midden: ..., duur: ...}} in de invoer, of gemiddelde_woz in parameterset {label}")
    gq = {}
    for s in woz:
        if p.grondquotes and s in p.grondquotes:
            gq[s] = override(f"grondquote.{s}", p.grondquotes[s])
        else:
            try:
                gq[s] = float(from_set(f"grondquote.{s}"))
            except InputError:
                raise InputError("geen grondquote voor segment", field=f"woz.{s}", value=s,
                                 allowed=", ".join(segs) + " (of geef parameters.grondquotes)") from None
    btw = override("btw", p.btw) if p.btw is not None else float(from_set("btw"))
    hi: dict[str, float] = {h: (override(f"hardheid_investeringen.{h}", p.hardheid_investeringen[h]) if p.hardheid_investeringen and h in p.hardheid_investeringen
              else float(from_set(f"hardheid_investeringen.{h}"))) for h in HARDHEDEN}
    hp: dict[str, float] = {h: (override(f"hardheid_plannen.{h}", p.hardheid_plannen[h]) if p.hardheid_plannen and h in p.hardheid_plannen
              else float(from_set(f"hardheid_plancapaciteit.{h}"))) for h in HARDHEDEN}
    tree = _resolve_tree(invoer, ps)
    return ResolvedParameters(tree, woz, gq, float(btw), hi, hp, used, label)


def _resolve_tree(invoer: BijdrageInvoer, ps: ParameterSet) -> dict[str, str | None]:
    """Area tree: from the input (``eigen_gebieden``) or from the parameter set, matching names or codes."""
    if invoer.eigen_gebieden:
        return {g.naam: g.ligt_in for g in invoer.gebieden}
    names = invoer.gebiedsnamen
    errs: list[InputError] = []
    code_to_input: dict[str, str] = {}
    parent_code: dict[str, str | None] = {}
    for i, g in enumerate(invoer.gebieden):
        try:
            a = ps.area(g.naam)
        except InputError as exc:
            errs.append(error(("gebieden", i, "naam"), f"onbekend gebied in parameterset {ps.label}", g.naam, exc.allowed))
            continue
        code_to_input[a.code] = g.naam
        parent_code[g.naam] = a.ligt_in
    if errs:
        raise InputErrors(errs)
    tree: dict[str, str | None] = {}
    for n in names:
        pc = parent_code[n]
        if pc is not None and pc not in code_to_input:
            outer = ps.area(pc)
            errs.append(error(("gebieden",), f"gebied '{outer.naam}' ontbreekt in de invoer (het omvat '{n}')", outer.naam,
                              "geef alle omvattende gebieden met hun bestaande woningen"))
        tree[n] = code_to_input.get(pc) if pc is not None else None
    if errs:
        raise InputErrors(errs)
    errs = invoer._check_tree(tree)
    if errs:
        raise InputErrors(errs)
    return tree


@dataclass
class BijdrageResult:
    """Result of the six steps with every intermediate table (tabel 1-5 of the nota). Amounts [EUR, prijspeil of
    the input's peildatum]; counts [woningen]."""

    invoer: BijdrageInvoer
    parameters: ResolvedParameters
    arrays: BijdrageArrays
    outcome: BijdrageOutcome
    segmenten: list[str] = field(default_factory=list)

    @property
    def gebieden(self) -> list[str]:
        return self.invoer.gebiedsnamen

    @property
    def eenheid(self) -> str:
        return f"EUR prijspeil {self.invoer.peildatum.isoformat()}"

    # ---- tabel 1: investment categories, gross -> net -> counted
    def tabel1(self) -> pd.DataFrame:
        """Tabel 1 / bijlage B4: per investment bruto → netto (onrendabele top) and the counted part."""
        o, inv = self.outcome, self.invoer.investeringen
        w = self.parameters.hardheid_investeringen
        return pd.DataFrame({
            "investering": [x.naam for x in inv],
            "gebied": [x.gebied for x in inv],
            "categorie": [HARDHEID_LABEL[x.categorie] for x in inv],
            "bruto": [x.bruto for x in inv],
            "subsidies": [x.subsidies for x in inv],
            "externe_bijdragen": [x.externe_bijdragen for x in inv],
            "onderhoudsbudget": [x.onderhoudsbudget for x in inv],
            "gebruikersopbrengsten": [x.gebruikersopbrengsten for x in inv],
            "netto": o.netto,
            "telt_mee": [w[x.categorie] for x in inv],
            "meetellend": o.meetellend,
        })

    def tabel1_categorieen(self) -> pd.DataFrame:
        """Tabel 1 summarised: per investeringscategorie (hard / zacht / nader te bepalen) its weight and totals."""
        t = self.tabel1()
        rows = []
        for h in HARDHEDEN:
            sub = t[t.categorie == HARDHEID_LABEL[h]]
            rows.append({"categorie": HARDHEID_LABEL[h], "telt_mee": self.parameters.hardheid_investeringen[h],
                         "aantal": len(sub), "bruto": float(sub.bruto.sum()), "netto": float(sub.netto.sum()),
                         "meetellend": float(sub.meetellend.sum())})
        return pd.DataFrame(rows)

    # ---- tabel 2: bestaand vs nieuw
    def tabel2(self) -> pd.DataFrame:
        """Tabel 2: verhouding bestaande dorp versus nieuwe dorp per area, and the amount each part carries."""
        o = self.outcome
        return pd.DataFrame({
            "gebied": self.gebieden,
            "ligt_in": pd.Series([self.parameters.tree.get(n) for n in self.gebieden], dtype=object),
            "bestaande_woningen": self.arrays.bestaand,
            "nieuwe_woningen": o.nieuw,
            "aandeel_bestaand": 1.0 - o.aandeel_nieuw,
            "aandeel_nieuw": o.aandeel_nieuw,
            "netto_investering": o.investering_gebied,
            "bedrag_bestaand": o.bedrag_bestaand,
            "bedrag_nieuw": o.bedrag_nieuw,
        })

    # ---- tabel 3: weights per segment
    def tabel3(self) -> pd.DataFrame:
        """Tabel 3: wegingsfactoren: grondwaarde = WOZ / (1 + btw) × grondquote; weging = grondwaarde / sociaal."""
        o, p = self.outcome, self.parameters
        return pd.DataFrame({
            "segment": self.segmenten,
            "gemiddelde_woz": [p.woz[s] for s in self.segmenten],
            "woz_excl_btw": [p.woz[s] / (1.0 + p.btw) for s in self.segmenten],
            "grondquote": [p.grondquotes[s] for s in self.segmenten],
            "grondwaarde": o.grondwaarde,
            "wegingsfactor": o.weging,
        })

    # ---- tabel 4: price per weighted unit
    def tabel4(self) -> pd.DataFrame:
        """Tabel 4: prijs per wegingsfactor per area = bedrag nieuwe plannen / gewogen eenheden."""
        o = self.outcome
        data: dict[str, Any] = {"gebied": self.gebieden}
        for j, s in enumerate(self.segmenten):
            data[f"nieuw_{s}"] = o.nieuw_per_segment[:, j]
        data.update({"gewogen_eenheden": o.eenheden, "bedrag_nieuw": o.bedrag_nieuw, "prijs_per_eenheid": o.prijs})
        return pd.DataFrame(data)

    # ---- tabel 5: rate per home
    def tabel5(self) -> pd.DataFrame:
        """Tabel 5: prijs per vastgoedtype per area (own rate of the area) [EUR per woning]."""
        o = self.outcome
        df = pd.DataFrame(o.tarief, columns=self.segmenten)
        df.insert(0, "gebied", self.gebieden)
        return df

    def tabel5_voor_plan(self) -> pd.DataFrame:
        """Rate per home a plan located in each area pays: the sum over that area and every area containing it."""
        df = pd.DataFrame(self.outcome.tarief_cumulatief, columns=self.segmenten)
        df.insert(0, "gebied", self.gebieden)
        df.insert(1, "betaalt_voor", [" + ".join(self.containing(n)) for n in self.gebieden])
        return df

    def containing(self, area: str) -> list[str]:
        """The area and every area containing it, innermost first."""
        out = [area]
        while (parent := self.parameters.tree.get(out[-1])) is not None:
            out.append(parent)
        return out

    def plannen_frame(self) -> pd.DataFrame:
        """Each plan of the pipeline with its homes and its contribution at the computed rates."""
        inv = self.invoer
        df = pd.DataFrame(self.arrays.woningen, columns=self.segmenten)
        df.insert(0, "plan", [p.naam for p in inv.plannen])
        df.insert(1, "gebied", [p.gebied for p in inv.plannen])
        df.insert(2, "hardheid", [HARDHEID_LABEL[p.hardheid] for p in inv.plannen])
        df["bijdrage"] = self.outcome.plan_bijdrage
        return df

    def explain(self, kengetal: str) -> Explanation:
        """:func:`explain` of this result."""
        return explain(self, kengetal)

    def parameter_frame(self) -> pd.DataFrame:
        """The parameters used, each with its unit (``EUR`` for WOZ values, ``%`` for grondquotes, btw and hardness
        weights), so tables show 13 % and € 260.000, not € 0."""
        return pd.DataFrame([{"parameter": u.sleutel, "waarde": u.waarde, "eenheid": u.eenheid, "bron": u.bron} for u in self.parameters.gebruikt])

    def to_dict(self) -> dict[str, Any]:
        """All tables as plain data (what ``opengrex kostenverhaal bijdrage --json`` prints)."""
        def rec(df: pd.DataFrame) -> list[dict[str, Any]]:
            return [{str(k): (v.item() if hasattr(v, "item") else v) for k, v in r.items()} for r in df.to_dict(orient="records")]

        return {
            "naam": self.invoer.naam,
            "illustratief": self.invoer.illustratief,
            "parameterset": self.parameters.parameterset,
            "peildatum": self.invoer.peildatum.isoformat(),
            "eenheid": self.eenheid,
            "segmenten": self.segmenten,
            "tabel1": rec(self.tabel1()),
            "tabel1_categorieen": rec(self.tabel1_categorieen()),
            "tabel2": rec(self.tabel2()),
            "tabel3": rec(self.tabel3()),
            "tabel4": rec(self.tabel4()),
            "tabel5": rec(self.tabel5()),
            "tabel5_voor_plan": rec(self.tabel5_voor_plan()),
            "parameters": rec(self.parameter_frame()),
            "regels": "Nota Kostenverhaal Soest 2023 §4.1 stap 1-6; shared/spec/kostenverhaal.md regel 4",
        }


def load_bijdrage_input(path: str | Path) -> BijdrageInvoer:
    """Read and validate a financiële-bijdrage input (YAML/JSON); errors name file, line and field."""
    data, locator = read_document(path)
    return build_model(BijdrageInvoer, data, locator, BijdrageInvoer.check)


def bijdrage_input_from_dict(data: dict[str, Any], source: str = "<invoer>") -> BijdrageInvoer:
    return build_model(BijdrageInvoer, data, Locator(source), BijdrageInvoer.check)


def bijdrage_input_from_text(text: str, source: str = "<invoer>.yaml") -> BijdrageInvoer:
    data, locator = parse_text(text, source)
    return build_model(BijdrageInvoer, data, locator, BijdrageInvoer.check)


def calculate_bijdrage(invoer: BijdrageInvoer, parameter_set: ParameterSet | None = None) -> BijdrageResult:
    """Run the six steps of §4.1 with the parameter set named in the input (or ``parameter_set`` given)."""
    params = resolve_parameters(invoer, parameter_set)
    segs = list(params.woz)
    errs = []
    for i, plan in enumerate(invoer.plannen):
        for s in plan.woningen:
            if s not in segs:
                errs.append(error(("plannen", i, "woningen", s), "onbekend segment (geen WOZ-waarde)", s, ", ".join(segs)))
    if invoer.referentiesegment not in segs:
        errs.append(error(("referentiesegment",), "referentiesegment heeft geen WOZ-waarde", invoer.referentiesegment, ", ".join(segs)))
    if errs:
        raise InputErrors(errs)
    arrays = invoer.compile(params.tree, params.woz, params.grondquotes, params.btw, params.hardheid_investeringen, params.hardheid_plannen)
    return BijdrageResult(invoer, params, arrays, rules.calculate(arrays), segs)


def rates_for_plan(result: BijdrageResult, area: str) -> pd.DataFrame:
    """Rates per home per segment a plan in ``area`` pays: one row per area containing it, plus the total."""
    if area not in result.gebieden:
        raise InputError("onbekend gebied", field="plan_gebied", value=area, allowed=", ".join(result.gebieden))
    idx = {n: i for i, n in enumerate(result.gebieden)}
    rows = []
    for a in result.containing(area):
        rows.append({"gebied": a, **{s: float(result.outcome.tarief[idx[a], j]) for j, s in enumerate(result.segmenten)}})
    df = pd.DataFrame(rows)
    total = {"gebied": "Totaal", **{s: float(df[s].sum()) for s in result.segmenten}}
    return pd.concat([df, pd.DataFrame([total])], ignore_index=True)


def plan_contribution(result: BijdrageResult, area: str, homes_per_segment: dict[str, float]) -> dict[str, Any]:
    """Financiële bijdrage of one plan: Σ over every area containing it of Σ_s homes_s × rate_{area,s}
    (§4.1 stap 6; bijlage A5 voorbeeld 4: 10x + 10y + 10z). Returns ``totaal`` and ``per_gebied`` [EUR]."""
    errs = []
    for s, n in homes_per_segment.items():
        if s not in result.segmenten:
            errs.append(InputError("onbekend segment", field=f"woningen.{s}", value=s, allowed=", ".join(result.segmenten)))
        elif n < 0:
            errs.append(InputError("aantal mag niet negatief zijn", field=f"woningen.{s}", value=n, allowed=">= 0"))
    if errs:
        raise InputErrors(errs)
    if area not in result.gebieden:
        raise InputError("onbekend gebied", field="plan_gebied", value=area, allowed=", ".join(result.gebieden))
    idx = {n: i for i, n in enumerate(result.gebieden)}
    homes = np.array([float(homes_per_segment.get(s, 0.0)) for s in result.segmenten])
    amounts = rules.plan_bijdrage_per_gebied(homes, result.outcome.tarief, result.outcome.contains[:, idx[area]])
    per_area = []
    for a in result.containing(area):
        i = idx[a]
        regels = {s: {"woningen": float(homes[j]), "tarief": float(result.outcome.tarief[i, j]), "bedrag": float(amounts[i, j])} for j, s in enumerate(result.segmenten)}
        per_area.append({"gebied": a, "segmenten": regels, "bedrag": float(amounts[i].sum())})
    return {"gebied": area, "woningen": {s: float(homes[j]) for j, s in enumerate(result.segmenten)},
            "per_gebied": per_area, "totaal": float(amounts.sum()), "eenheid": result.eenheid}


# ---------------------------------------------------------------------------------------------------------------
# Explanations: every step of §4.1 per investment, area or segment, and the rate per home per area and segment.
# ---------------------------------------------------------------------------------------------------------------

KENGETALLEN: tuple[str, ...] = (
    "netto_investeringen", "bedrag_nieuwe_plannen", "netto:<investering>", "meetellend:<investering>", "investering:<gebied>", "aandeel_nieuw:<gebied>", "bedrag_nieuw:<gebied>",
    "grondwaarde:<segment>", "wegingsfactor:<segment>", "gewogen_eenheden:<gebied>", "prijs:<gebied>",
    "tarief:<gebied>:<segment>", "plantarief:<gebied>:<segment>",
)
"""The figures :func:`explain` explains, step by step (stap 1–6 of §4.1)."""


def explain(result: BijdrageResult, kengetal: str) -> Explanation:
    """Why figure ``kengetal`` (one of the patterns of :data:`KENGETALLEN`, e.g. ``tarief:Kern Soest:duur``) has
    its value: the step of §4.1, its inputs, the parameters with their source and peildatum, and the figures it is
    built from."""
    naam, _, rest = kengetal.partition(":")
    arg, _, seg = rest.partition(":")
    inv_names = [x.naam for x in result.invoer.investeringen]
    if kengetal == "netto_investeringen":
        return _totaal_meetellend(result)
    if kengetal == "bedrag_nieuwe_plannen":
        return _totaal_nieuw(result)
    try:
        if naam in ("netto", "meetellend") and arg in inv_names:
            return (_netto if naam == "netto" else _meetellend)(result, inv_names.index(arg))
        if naam in ("grondwaarde", "wegingsfactor") and arg in result.segmenten:
            return (_grondwaarde if naam == "grondwaarde" else _wegingsfactor)(result, result.segmenten.index(arg))
        if arg in result.gebieden:
            a = result.gebieden.index(arg)
            per_area = {"investering": _investering, "aandeel_nieuw": _aandeel_nieuw, "bedrag_nieuw": _bedrag_nieuw,
                        "gewogen_eenheden": _eenheden, "prijs": _prijs}
            if naam in per_area and not seg:
                return per_area[naam](result, a)
            if naam in ("tarief", "plantarief") and seg in result.segmenten:
                return (_tarief if naam == "tarief" else _plantarief)(result, a, result.segmenten.index(seg))
    except KeyError:
        pass
    raise InputError("onbekend kengetal", field="kengetal", value=kengetal,
                     allowed=f"{', '.join(KENGETALLEN)} (gebieden: {', '.join(result.gebieden)}; segmenten: {', '.join(result.segmenten)}; "
                             f"investeringen: {', '.join(inv_names) or '(geen)'})")


def _params(result: BijdrageResult, *prefixes: str) -> list[ParameterUse]:
    return [u.gebruik() for u in result.parameters.gebruikt if u.sleutel.startswith(prefixes)]


def _netto(r: BijdrageResult, i: int) -> Explanation:
    x = r.invoer.investeringen[i]
    v = float(r.outcome.netto[i])
    return explanation(f"netto:{x.naam}", rules.netto_investering, v, r.eenheid, label=f"Stap 2 — netto investering {x.naam}",
                       invoer=[Input(lab, float(getattr(x, f)), "EUR") for f, lab in (("bruto", "Bruto"), ("subsidies", "Subsidies"), ("externe_bijdragen", "Bijdragen derden"),
                                                                                          ("onderhoudsbudget", "Onderhoudsbudget"), ("gebruikersopbrengsten", "Gebruikersopbrengsten"))],
                       toelichting=[f"{eur(x.bruto)} − {eur(x.subsidies)} − {eur(x.externe_bijdragen)} − {eur(x.onderhoudsbudget)} − {eur(x.gebruikersopbrengsten)} = {eur(v)}"])


def _meetellend(r: BijdrageResult, i: int) -> Explanation:
    x = r.invoer.investeringen[i]
    w = r.parameters.hardheid_investeringen[x.categorie]
    v = float(r.outcome.meetellend[i])
    return explanation(f"meetellend:{x.naam}", rules.meetellende_investering, v, r.eenheid, label=f"Stap 1 — meetellende investering {x.naam}",
                       invoer=[Input("Netto investering", float(r.outcome.netto[i]), "EUR"), Input("Categorie", HARDHEID_LABEL[x.categorie])],
                       parameters=_params(r, f"hardheid_investeringen.{x.categorie}"),
                       toelichting=[f"{eur(float(r.outcome.netto[i]))} × {procent(w)} ({HARDHEID_LABEL[x.categorie]}) = {eur(v)}"], onderdelen=[_netto(r, i)])


def _totaal_meetellend(r: BijdrageResult) -> Explanation:
    v = float(r.outcome.meetellend.sum())
    n = len(r.invoer.investeringen)
    return explanation("netto_investeringen", rules.meetellende_investering, v, r.eenheid, label="Stap 1–2 — meetellende netto investeringen (tabel 1)",
                       invoer=[Input("Investeringen", [x.naam for x in r.invoer.investeringen])], parameters=_params(r, "hardheid_investeringen"),
                       toelichting=[f"som van de meetellende netto investering van {n} investeringen = {eur(v)}"],
                       onderdelen=[_meetellend(r, i) for i in range(n)])


def _totaal_nieuw(r: BijdrageResult) -> Explanation:
    v = float(r.outcome.bedrag_nieuw.sum())
    return explanation("bedrag_nieuwe_plannen", rules.bedrag_nieuwe_plannen, v, r.eenheid, label="Stap 3 — bedrag voor nieuwe plannen (tabel 2)",
                       invoer=[Input("Gebieden", r.gebieden)],
                       toelichting=[" + ".join(f"{eur(float(x))} ({g})" for g, x in zip(r.gebieden, r.outcome.bedrag_nieuw)) + f" = {eur(v)}",
                                    f"het deel van de bestaande woningen ({eur(float(r.outcome.bedrag_bestaand.sum()))}) komt ten laste van de algemene middelen"],
                       onderdelen=[_bedrag_nieuw(r, a) for a in range(len(r.gebieden))])


def _investering(r: BijdrageResult, a: int) -> Explanation:
    g = r.gebieden[a]
    idx = [i for i, x in enumerate(r.invoer.investeringen) if x.gebied == g]
    v = float(r.outcome.investering_gebied[a])
    return explanation(f"investering:{g}", rules.investering_per_gebied, v, r.eenheid, label=f"Meetellende investering {g}",
                       invoer=[Input("Investeringen", [r.invoer.investeringen[i].naam for i in idx])],
                       toelichting=[" + ".join(eur(float(r.outcome.meetellend[i])) for i in idx) + f" = {eur(v)}" if idx else "geen investeringen in dit gebied"],
                       onderdelen=[_meetellend(r, i) for i in idx])


def _aandeel_nieuw(r: BijdrageResult, a: int) -> Explanation:
    g, o = r.gebieden[a], r.outcome
    bestaand, nieuw, v = float(r.arrays.bestaand[a]), float(o.nieuw[a]), float(o.aandeel_nieuw[a])
    return explanation(f"aandeel_nieuw:{g}", rules.aandeel_nieuw, v, "%", label=f"Stap 3 — aandeel nieuwe plannen {g}",
                       invoer=[Input("Bestaande woningen", bestaand, "woningen"), Input("Nieuwe woningen (gewogen naar hardheid)", nieuw, "woningen")],
                       parameters=_params(r, "hardheid_plancapaciteit"),
                       toelichting=[f"{number(nieuw, 1)} / ({number(bestaand)} + {number(nieuw, 1)}) = {procent(v)}"])


def _bedrag_nieuw(r: BijdrageResult, a: int) -> Explanation:
    g, o = r.gebieden[a], r.outcome
    v = float(o.bedrag_nieuw[a])
    return explanation(f"bedrag_nieuw:{g}", rules.bedrag_nieuwe_plannen, v, r.eenheid, label=f"Stap 3 — bedrag nieuwe plannen {g}",
                       invoer=[Input("Meetellende investering", float(o.investering_gebied[a]), "EUR"), Input("Aandeel nieuwe plannen", float(o.aandeel_nieuw[a]), "%")],
                       toelichting=[f"{eur(float(o.investering_gebied[a]))} × {procent(float(o.aandeel_nieuw[a]))} = {eur(v)}; "
                                    f"het deel bestaand ({eur(float(o.bedrag_bestaand[a]))}) komt ten laste van de algemene middelen"],
                       onderdelen=[_investering(r, a), _aandeel_nieuw(r, a)])


def _grondwaarde(r: BijdrageResult, s: int) -> Explanation:
    seg, p = r.segmenten[s], r.parameters
    v = float(r.outcome.grondwaarde[s])
    return explanation(f"grondwaarde:{seg}", rules.grondwaarde, v, "EUR per woning", label=f"Stap 4 — grondwaarde {seg}",
                       invoer=[Input("Gemiddelde WOZ-waarde", p.woz[seg], "EUR")], parameters=_params(r, f"woz.{seg}", f"gemiddelde_woz.{seg}", f"grondquote.{seg}", "btw"),
                       toelichting=[f"{eur(p.woz[seg])} / (1 + {procent(p.btw)}) × {procent(p.grondquotes[seg])} = {eur(v, 2)}"])


def _wegingsfactor(r: BijdrageResult, s: int) -> Explanation:
    seg, ref = r.segmenten[s], r.invoer.referentiesegment
    v = float(r.outcome.weging[s])
    j = r.segmenten.index(ref)
    return explanation(f"wegingsfactor:{seg}", rules.wegingsfactor, v, "-", label=f"Stap 4 — wegingsfactor {seg}",
                       invoer=[Input(f"Grondwaarde {seg}", float(r.outcome.grondwaarde[s]), "EUR"), Input(f"Grondwaarde {ref} (referentie)", float(r.outcome.grondwaarde[j]), "EUR")],
                       toelichting=[f"{eur(float(r.outcome.grondwaarde[s]), 2)} / {eur(float(r.outcome.grondwaarde[j]), 2)} = {number(v, 4)}"],
                       onderdelen=[_grondwaarde(r, s)] + ([_grondwaarde(r, j)] if j != s else []))


def _eenheden(r: BijdrageResult, a: int) -> Explanation:
    g, o = r.gebieden[a], r.outcome
    v = float(o.eenheden[a])
    return explanation(f"gewogen_eenheden:{g}", rules.gewogen_eenheden, v, "eenheden", label=f"Stap 5 — gewogen eenheden {g}",
                       invoer=[Input("Nieuwe woningen per segment (gewogen naar hardheid)", {s: float(o.nieuw_per_segment[a, j]) for j, s in enumerate(r.segmenten)}, "woningen")],
                       parameters=_params(r, "hardheid_plancapaciteit"),
                       toelichting=[" + ".join(f"{number(float(o.nieuw_per_segment[a, j]), 1)} × {number(float(o.weging[j]), 4)}" for j in range(len(r.segmenten))) + f" = {number(v, 2)}"],
                       onderdelen=[_wegingsfactor(r, j) for j in range(len(r.segmenten))])


def _prijs(r: BijdrageResult, a: int) -> Explanation:
    g, o = r.gebieden[a], r.outcome
    v = float(o.prijs[a])
    return explanation(f"prijs:{g}", rules.prijs_per_eenheid, v, f"{r.eenheid} per eenheid", label=f"Stap 5 — prijs per gewogen eenheid {g}",
                       invoer=[Input("Bedrag nieuwe plannen", float(o.bedrag_nieuw[a]), "EUR"), Input("Gewogen eenheden", float(o.eenheden[a]), "eenheden")],
                       toelichting=[f"{eur(float(o.bedrag_nieuw[a]))} / {number(float(o.eenheden[a]), 2)} = {eur(v, 2)}"],
                       onderdelen=[_bedrag_nieuw(r, a), _eenheden(r, a)])


def _tarief(r: BijdrageResult, a: int, s: int) -> Explanation:
    g, seg, o = r.gebieden[a], r.segmenten[s], r.outcome
    v = float(o.tarief[a, s])
    return explanation(f"tarief:{g}:{seg}", rules.tarief_per_woning, v, f"{r.eenheid} per woning", label=f"Stap 6 — tarief per woning {g}, {seg}",
                       invoer=[Input("Prijs per gewogen eenheid", float(o.prijs[a]), "EUR"), Input(f"Wegingsfactor {seg}", float(o.weging[s]), "-")],
                       toelichting=[f"{eur(float(o.prijs[a]), 2)} × {number(float(o.weging[s]), 4)} = {eur(v, 2)}"],
                       onderdelen=[_prijs(r, a), _wegingsfactor(r, s)])


def _plantarief(r: BijdrageResult, a: int, s: int) -> Explanation:
    g, seg = r.gebieden[a], r.segmenten[s]
    areas = r.containing(g)
    v = float(r.outcome.tarief_cumulatief[a, s])
    parts = [r.gebieden.index(x) for x in areas]
    return explanation(f"plantarief:{g}:{seg}", rules.tarief_voor_plan_in_gebied, v, f"{r.eenheid} per woning",
                       label=f"Stap 6 — tarief per woning {seg} voor een plan in {g}",
                       invoer=[Input("Gebieden waarin het plan ligt", areas)],
                       toelichting=[" + ".join(f"{eur(float(r.outcome.tarief[i, s]), 2)} ({r.gebieden[i]})" for i in parts) + f" = {eur(v, 2)}"],
                       onderdelen=[_tarief(r, i, s) for i in parts])


# ---------------------------------------------------------------------------------------------------------------
# Excel export with live formulas (tabel 1-5), checked against the engine by LibreOffice in the tests.
# ---------------------------------------------------------------------------------------------------------------

def write_bijdrage_xlsx(result: BijdrageResult, path: str | Path, herkomst: Any = None) -> Path:
    """Write tabel 1-5 as an .xlsx workbook (:func:`bijdrage_workbook_bytes`)."""
    target = Path(path)
    target.write_bytes(bijdrage_workbook_bytes(result, herkomst))
    return target


def bijdrage_workbook(model: BijdrageInvoer, herkomst: Any = None) -> bytes:
    """The Excel download of a bijdrage input (registry exporter): tabel 1–5 with live formulas on the input sheets."""
    return bijdrage_workbook_bytes(calculate_bijdrage(model), herkomst)


def bijdrage_workbook_bytes(result: BijdrageResult, herkomst: Any = None) -> bytes:
    """Tabel 1-5 as an .xlsx workbook whose figures are live formulas over the input sheets (laid out from the model,
    :mod:`opengrex.io.xlsx_invoer`: Algemeen, Gebieden, Investeringen, Plannen; the workbook can be uploaded back as a
    new version): change an amount, a count or a WOZ value in Excel/LibreOffice and every table follows. Defined
    names ``tarief_<gebied>_<segment>`` point at tabel 5 cells (used by the tests). Names are text cells, never
    formulas (:mod:`opengrex.io.xlsx_cells`)."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter as col
    from openpyxl.workbook.defined_name import DefinedName

    from opengrex.io.xlsx_cells import Formula, append_row, formula_text
    from opengrex.io.xlsx_invoer import Herkomst, workbook_bytes, write_workbook

    inv, p, segs, areas = result.invoer, result.parameters, result.segmenten, result.gebieden
    wb, cells = write_workbook(BijdrageInvoer, inv.model_dump(mode="json"), herkomst or Herkomst(soort="bijdrage", naam=inv.naam),
                               titel=f"Financiële bijdrage: {inv.naam}")

    def live(path: tuple, value: Any, number: bool = True) -> Any:
        """A reference to the input cell of ``path`` (live), or ``value`` when the input does not hold it."""
        if path not in cells.places:
            return value
        return Formula(f"=N({cells.ref(path)})" if number else f"={cells.ref(path)}")

    bold = Font(bold=True)
    money = EXCEL_EUR_FORMAT
    ws = wb.create_sheet("Parameters")
    append_row(ws, ["Financiële bijdrage fysieke leefomgeving — " + inv.naam + (" (ILLUSTRATIEF)" if inv.illustratief else "")])
    append_row(ws, ["Parameterset", p.parameterset, "Peildatum", inv.peildatum.isoformat()])
    append_row(ws, ["btw", live(("parameters", "btw"), p.btw) if inv.parameters.btw is not None else p.btw])
    append_row(ws, [])
    append_row(ws, ["Hardheid", "investeringen", "plancapaciteit"])
    for h in HARDHEDEN:
        append_row(ws, [h, p.hardheid_investeringen[h], p.hardheid_plannen[h]])
    for c in ws[1]:
        c.font = bold

    # --- Tabel 1 (investments)
    t1 = wb.create_sheet("Tabel 1")
    head = ["Investering", "Gebied", "Categorie", "Bruto", "Subsidies", "Externe bijdragen", "Onderhoudsbudget",
            "Gebruikersopbrengsten", "Netto", "Telt mee", "Meetellend"]
    append_row(t1, head)
    for c in t1[1]:
        c.font = bold
    for i, x in enumerate(inv.investeringen):
        r = i + 2
        ip = ("investeringen", i)
        append_row(t1, [live(ip + ("naam",), x.naam, False), live(ip + ("gebied",), x.gebied, False), live(ip + ("categorie",), x.categorie, False),
                   live(ip + ("bruto",), x.bruto), live(ip + ("subsidies",), x.subsidies), live(ip + ("externe_bijdragen",), x.externe_bijdragen),
                   live(ip + ("onderhoudsbudget",), x.onderhoudsbudget), live(ip + ("gebruikersopbrengsten",), x.gebruikersopbrengsten),
                   Formula(f"=D{r}-E{r}-F{r}-G{r}-H{r}"),
                   Formula(f"=INDEX(Parameters!$B$6:$B$8,MATCH(C{r},Parameters!$A$6:$A$8,0))"), Formula(f"=I{r}*J{r}")])
        for c in "DEFGHIK":
            t1[f"{c}{r}"].number_format = money
    n_inv = max(len(inv.investeringen), 1)
    inv_last = n_inv + 1

    # --- Plannen (weighted)
    pl = wb.create_sheet(PLANS_SHEET)
    append_row(pl, ["Plan", "Gebied", "Hardheid", "Weging"] + segs + [f"gewogen {s}" for s in segs])
    for c in pl[1]:
        c.font = bold
    S = len(segs)
    for i, plan in enumerate(inv.plannen):
        r = i + 2
        pp = ("plannen", i)
        row: list[Any] = [live(pp + ("naam",), plan.naam, False), live(pp + ("gebied",), plan.gebied, False), live(pp + ("hardheid",), plan.hardheid, False),
                          Formula(f"=INDEX(Parameters!$C$6:$C$8,MATCH(C{r},Parameters!$A$6:$A$8,0))")]
        row += [live(pp + ("woningen", s), float(plan.woningen.get(s, 0.0))) for s in segs]
        row += [Formula(f"={col(5 + j)}{r}*$D{r}") for j in range(S)]
        append_row(pl, row)
    pl_last = max(len(inv.plannen), 1) + 1

    # --- Tabel 3 (weights) first: tabel 4 needs it
    t3 = wb.create_sheet("Tabel 3")
    append_row(t3, ["Segment", "Gemiddelde WOZ", "WOZ excl. btw", "Grondquote", "Grondwaarde", "Wegingsfactor"])
    for c in t3[1]:
        c.font = bold
    ref_row = 2 + segs.index(inv.referentiesegment)
    for j, s in enumerate(segs):
        r = j + 2
        woz = live(("woz", s), p.woz[s]) if inv.woz and s in inv.woz else p.woz[s]
        gq = inv.parameters.grondquotes
        quote = live(("parameters", "grondquotes", s), p.grondquotes[s]) if gq and s in gq else p.grondquotes[s]
        append_row(t3, [s, woz, Formula(f"=B{r}/(1+Parameters!$B$3)"), quote, Formula(f"=C{r}*D{r}"), Formula(f"=E{r}/$E${ref_row}")])
        for c in "BCE":
            t3[f"{c}{r}"].number_format = money

    # --- Tabel 2 (bestaand vs nieuw)
    t2 = wb.create_sheet("Tabel 2")
    append_row(t2, ["Gebied", "Ligt in", "Bestaande woningen", "Nieuwe woningen (gewogen)", "% bestaand", "% nieuw",
               "Netto investering", "Bedrag bestaand", "Bedrag nieuwe plannen"] + [f"nieuw {s}" for s in segs])
    for c in t2[1]:
        c.font = bold
    contained_by = {a: [b for b in areas if a in result.containing(b)] for a in areas}  # sub-areas incl. self
    for i, a in enumerate(areas):
        r = i + 2
        seg_cells = []
        for j in range(S):
            gcol = col(5 + S + j)
            terms = [f"SUMIFS('{PLANS_SHEET}'!${gcol}$2:${gcol}${pl_last},'{PLANS_SHEET}'!$B$2:$B${pl_last},{formula_text(b)})" for b in contained_by[a]]
            seg_cells.append(Formula("=" + "+".join(terms)))
        new_sum = "+".join(f"{col(10 + j)}{r}" for j in range(S))
        gi = next((j for j, g in enumerate(inv.gebieden) if g.naam == a), None)
        bestaand = live(("gebieden", gi, "bestaande_woningen"), float(result.arrays.bestaand[i])) if gi is not None else float(result.arrays.bestaand[i])
        append_row(t2, [a, p.tree.get(a) or "", bestaand, Formula(f"={new_sum}"),
                   Formula(f"=IF(C{r}+D{r}>0,C{r}/(C{r}+D{r}),1)"), Formula(f"=IF(C{r}+D{r}>0,D{r}/(C{r}+D{r}),0)"),
                   Formula(f"=SUMIFS('Tabel 1'!$K$2:$K${inv_last},'Tabel 1'!$B$2:$B${inv_last},A{r})"),
                   Formula(f"=G{r}-I{r}"), Formula(f"=G{r}*F{r}")] + seg_cells)
        for c in "GHI":
            t2[f"{c}{r}"].number_format = money

    # --- Tabel 4 (price per unit)
    t4 = wb.create_sheet("Tabel 4")
    append_row(t4, ["Gebied", "Gewogen eenheden", "Bedrag nieuwe plannen", "Prijs per eenheid"])
    for c in t4[1]:
        c.font = bold
    for i, a in enumerate(areas):
        r = i + 2
        units = "+".join(f"'Tabel 2'!{col(10 + j)}{r}*'Tabel 3'!$F${j + 2}" for j in range(S))
        append_row(t4, [a, Formula(f"={units}"), Formula(f"='Tabel 2'!I{r}"), Formula(f"=IF(B{r}>0,C{r}/B{r},0)")])
        for c in "CD":
            t4[f"{c}{r}"].number_format = money

    # --- Tabel 5 (rates)
    t5 = wb.create_sheet("Tabel 5")
    append_row(t5, ["Gebied"] + segs + [f"plan in gebied: {s}" for s in segs])
    for c in t5[1]:
        c.font = bold
    for i, a in enumerate(areas):
        r = i + 2
        own = [Formula(f"='Tabel 4'!$D{r}*'Tabel 3'!$F${j + 2}") for j in range(S)]
        rows_containing = [areas.index(b) + 2 for b in result.containing(a)]
        cum = [Formula("=" + "+".join(f"{col(2 + j)}{rr}" for rr in rows_containing)) for j in range(S)]
        append_row(t5, [a] + own + cum)
        for j, s in enumerate(segs):
            t5.cell(row=r, column=2 + j).number_format = money
            t5.cell(row=r, column=2 + S + j).number_format = money
            key = _name_key(f"tarief_{i}_{s}")
            wb.defined_names[key] = DefinedName(key, attr_text=f"'Tabel 5'!${col(2 + j)}${r}")
            key = _name_key(f"plantarief_{i}_{s}")
            wb.defined_names[key] = DefinedName(key, attr_text=f"'Tabel 5'!${col(2 + S + j)}${r}")
    for sheet in (ws, t1, pl, t2, t3, t4, t5):
        for k in range(1, sheet.max_column + 1):
            sheet.column_dimensions[col(k)].width = 18
    return workbook_bytes(wb)


PLANS_SHEET = "Plannen gewogen"
"""The calculation sheet of the weighted plans (the input sheet ``Plannen`` holds the plans themselves)."""


def _name_key(text: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in text)
