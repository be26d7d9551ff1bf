"""Grondexploitatie: load, validate, calculate, explain (the same functions the CLI and web app call).

>>> import opengrex
>>> grex = opengrex.load_grex("examples/demo-grex.yaml")
>>> result = opengrex.calculate_grex(grex)
>>> result.ncw, result.eindwaarde             # floats [EUR]
>>> result.yearly_frame()                     # pandas DataFrame per year
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from opengrex.engine import grex as rules
from opengrex.engine import tijd
from opengrex.engine.explain import Explanation, Input, ParameterUse, explanation
from opengrex.engine.grex import BOOK_VALUE_FORMULA, GrexArrays, GrexOutcome, calculate
from opengrex.errors import InputError
from opengrex.formatting import eur, number, pct
from opengrex.io.documents import build_model, parse_text, read_document
from opengrex.model.grex import Grex, date_fraction, line_labels  # noqa: F401 - line_labels: public here too

SPEC = "shared/spec/grondexploitatie.md"


def load_grex(path: str | Path) -> Grex:
    """Read and validate a grex from a YAML/JSON file (``.xlsx``: the Excel template, see :func:`import_grex_xlsx`)."""
    p = Path(path)
    if p.suffix.lower() == ".xlsx":
        from opengrex.io.xlsx_template import import_grex_xlsx

        return import_grex_xlsx(p)
    data, locator = read_document(p)
    return build_model(Grex, data, locator, Grex.check)


def grex_from_dict(data: dict[str, Any], source: str = "<invoer>") -> Grex:
    """Validate a grex given as a dict (e.g. parsed JSON from the API)."""
    from opengrex.io.documents import Locator

    return build_model(Grex, data, Locator(source), Grex.check)


def grex_from_text(text: str, source: str = "<invoer>.yaml") -> Grex:
    """Validate a grex given as YAML or JSON text."""
    data, locator = parse_text(text, source)
    return build_model(Grex, data, locator, Grex.check)


def grex_to_dict(grex: Grex) -> dict[str, Any]:
    """A grex as plain data, ready for YAML/JSON (round-trips through :func:`grex_from_dict`)."""
    return grex.model_dump(mode="json", exclude_defaults=False)


@dataclass
class IrrResult:
    """Interne rentevoet (IRR) of the net flows, or why there is none / more than one (spec §7)."""

    roots: list[float]
    sign_changes: int

    @property
    def value(self) -> float | None:
        return self.roots[0] if len(self.roots) == 1 else None

    @property
    def message(self) -> str:
        if self.sign_changes == 0:
            return "geen IRR: de kasstromen wisselen niet van teken"
        if not self.roots:
            return "geen IRR: er is geen rentevoet > -100% waarbij de contante waarde nul is"
        if len(self.roots) > 1:
            shown = ", ".join(f"{r * 100:.4f}%".replace(".", ",") for r in self.roots)
            return f"geen eenduidige IRR: {len(self.roots)} oplossingen ({shown}) bij {self.sign_changes} tekenwisselingen"
        return f"{self.roots[0] * 100:.4f}%".replace(".", ",")


@dataclass
class GrexResult:
    """Everything :func:`calculate_grex` computed, with tables and explanations. Units: see each accessor."""

    grex: Grex
    arrays: GrexArrays
    outcome: GrexOutcome
    irr: IrrResult
    line_labels: list[dict[str, Any]] = field(default_factory=list)

    # ---- headline figures [EUR]
    @property
    def years(self) -> list[int]:
        return [int(y) for y in self.outcome.years]

    @property
    def eindwaarde(self) -> float:
        """Eindwaarde: book value at 31 December of the last year [EUR nominal]."""
        return float(self.outcome.eindwaarde)

    @property
    def ncw(self) -> float:
        """Netto contante waarde (BBV): eindwaarde discounted to the NCW-datum [EUR at ncw_datum]."""
        return float(self.outcome.ncw)

    @property
    def contante_waarde(self) -> float:
        """Contante waarde of the net flows at the NCW-datum [EUR at ncw_datum]."""
        return float(self.outcome.present_value)

    @property
    def saldo_nominaal(self) -> float:
        return float(self.outcome.saldo_nominal)

    @property
    def saldo_prijspeil(self) -> float:
        return float(self.outcome.saldo_prijspeil)

    def badkuip(self) -> dict[str, Any]:
        """Deepest book value, its year and the terugverdienjaar (None where not applicable); see
        :func:`badkuip_figures`."""
        return badkuip_figures(self.outcome, self.years)

    def totals(self) -> dict[str, dict[str, float]]:
        """Costs, revenues and saldo at prijspeil, nominal and as contante waarde [EUR]."""
        o = self.outcome
        is_rev = self.arrays.sign > 0
        real = o.line_real.sum(axis=-1)
        disc = (o.line_flows * o.discount[None, :]).sum(axis=-1)
        nom = o.line_flows.sum(axis=-1)

        def split(v: np.ndarray) -> dict[str, float]:
            return {"kosten": float(v[~is_rev].sum()), "opbrengsten": float(v[is_rev].sum()), "saldo": float(v.sum())}

        return {"prijspeil": split(real), "nominaal": split(nom), "contante_waarde": split(disc)}

    def summary(self) -> dict[str, Any]:
        """All headline results as plain data (what ``opengrex grex bereken --json`` prints)."""
        g = self.grex
        return {
            "naam": g.name,
            "prijspeil": g.prijspeil.isoformat(),
            "ncw_datum": g.ncw_date.isoformat(),
            "timing": g.timing,
            "dagtelling": {"keuze": g.dagtelling, "toelichting": tijd.DAGTELLING_TEKST[g.dagtelling]},
            "eenheden": {
                "prijspeil": f"EUR prijspeil {g.prijspeil.isoformat()}",
                "nominaal": "EUR nominaal (lopende prijzen)",
                "eindwaarde": f"EUR nominaal per 31-12-{g.end_year}",
                "ncw": f"EUR contant per {g.ncw_date.isoformat()}",
            },
            "totalen": self.totals(),
            "eindwaarde": self.eindwaarde,
            "ncw_bbv": self.ncw,
            "contante_waarde_kasstromen": self.contante_waarde,
            "badkuip": self.badkuip(),
            "irr": {"waarde": self.irr.value, "oplossingen": self.irr.roots, "tekenwisselingen": self.irr.sign_changes, "toelichting": self.irr.message},
            "per_jaar": self.yearly_frame().reset_index().to_dict(orient="records"),
            "vervallen_raming": self.vervallen_raming_frame().to_dict(orient="records"),
        }

    # ---- tables (pandas)
    def yearly_frame(self) -> pd.DataFrame:
        """Per year: opbrengsten, kosten, saldo, rente, boekwaarde [EUR nominal], discount factor, contante waarde."""
        o = self.outcome
        return pd.DataFrame(
            {
                "opbrengsten": o.revenues,
                "kosten": o.costs,
                "saldo": o.flows,
                "rente": o.interest,
                "boekwaarde": o.book_value,
                "disconteringsfactor": o.discount,
                "contante_waarde": o.flows * o.discount,
            },
            index=pd.Index(self.years, name="jaar"),
        )

    def lines_frame(self) -> pd.DataFrame:
        """Nominal signed flow per line per year [EUR nominal], with the line's labels."""
        df = pd.DataFrame(self.outcome.line_flows, columns=self.years)
        labels = pd.DataFrame(self.line_labels)
        return pd.concat([labels, df], axis=1)

    def per_kostensoort_frame(self) -> pd.DataFrame:
        """Nominal flows per kostensoort (costs) / opbrengstsoort (revenues) per year [EUR nominal]."""
        df = self.lines_frame()
        out = df.groupby(["soort", "code", "omschrijving"], sort=False)[self.years].sum()
        out["totaal"] = out.sum(axis=1)
        return out

    def per_kostensoort_totals(self) -> pd.DataFrame:
        """Per kostensoort: total at prijspeil, nominal and contante waarde [EUR]."""
        o = self.outcome
        labels = pd.DataFrame(self.line_labels)
        labels["prijspeil"] = o.line_real.sum(axis=-1)
        labels["nominaal"] = o.line_flows.sum(axis=-1)
        labels["contante_waarde"] = (o.line_flows * o.discount[None, :]).sum(axis=-1)
        return labels.groupby(["soort", "code", "omschrijving"], sort=False)[["prijspeil", "nominaal", "contante_waarde"]].sum()

    # ---- traceability
    def explain(self, figure: str, year: int | None = None) -> dict[str, Any]:
        """The explanation of ``figure`` (``ncw``, ``eindwaarde``, ``contante_waarde``, ``badkuip``,
        ``terugverdienjaar``, ``irr``, or ``boekwaarde``/``rente``/``saldo`` with a ``year``) as plain data:
        ``waarde``, ``regel``, ``functie``, ``bron``, ``invoer`` (symbol or name -> value), ``parameters``, and the
        Dutch ``label``, ``eenheid`` and ``toelichting``. Built on :func:`explain`; raises ``ValueError`` (with
        the Dutch message) for an unknown figure or a missing year."""
        kengetal = figure if year is None else f"{figure}:{year}"
        try:
            e = explain(self, kengetal)
        except InputError as exc:
            raise ValueError(exc.message + (f"; kies uit {exc.allowed}" if exc.allowed else "")) from None
        return legacy_dict(e, BOOK_VALUE_FORMULA[self.grex.timing] if figure in ("boekwaarde", "rente") else None)

    def vervallen_raming_frame(self) -> pd.DataFrame:
        """Per line whose estimate was replaced by realised amounts (spec §9): the replaced estimate, what was
        realised and the vervallen raming (estimate minus realised: > 0 less spent than estimated, not moved to
        later years), at prijspeil and nominal [EUR, positive amounts]. Empty when nothing was replaced."""
        a, o = self.arrays, self.outcome
        mask = np.asarray(a.realised_mask, dtype=bool)
        sign = np.asarray(a.sign)[:, None]
        estimate_p = a.amount[:, None] * a.share * sign
        estimate_n = estimate_p * o.line_index
        lapsed_p = rules.vervallen_raming(estimate_p, o.line_real, mask)
        lapsed_n = rules.vervallen_raming(estimate_n, o.line_flows, mask)
        rows = []
        for i, lab in enumerate(self.line_labels):
            if not mask[i].any():
                continue
            s = float(a.sign[i])
            rows.append({
                **{k: lab[k] for k in ("soort", "code", "naam")},
                "jaren": ", ".join(str(y) for y, m in zip(self.years, mask[i]) if m),
                "raming_prijspeil": s * float(np.where(mask[i], estimate_p[i], 0.0).sum()),
                "gerealiseerd_prijspeil": s * float(np.where(mask[i], o.line_real[i], 0.0).sum()),
                "vervallen_raming_prijspeil": s * float(lapsed_p[i]),
                "raming_nominaal": s * float(np.where(mask[i], estimate_n[i], 0.0).sum()),
                "gerealiseerd_nominaal": s * float(np.where(mask[i], o.line_flows[i], 0.0).sum()),
                "vervallen_raming_nominaal": s * float(lapsed_n[i]),
            })
        return pd.DataFrame(rows)


def calculate_grex(grex: Grex) -> GrexResult:
    """Calculate a validated grex: every spec rule, with intermediate tables and the IRR diagnosis."""
    arrays = grex.compile()
    outcome = calculate(arrays)
    roots = rules.irr_roots(outcome.flows)
    irr = IrrResult(roots=roots, sign_changes=rules.sign_changes(outcome.flows))
    return GrexResult(grex=grex, arrays=arrays, outcome=outcome, irr=irr, line_labels=line_labels(grex))


def boekwaarde_op(grex: Grex, peildatum: dt.date) -> float:
    """Boekwaarde at ``peildatum``: realised flows plus interest up to that date (spec §5) [EUR nominal].

    Realised flows of years before the peildatum's year are compounded with the rekening-courant rule; for the part
    of the peildatum's own year, interest accrues pro rata in time: ``B * (1 + r) ** fraction``
    (:func:`opengrex.engine.grex.boekwaarde_peildatum`).
    """
    arrays = grex.compile()
    outcome = calculate(arrays)
    years = [int(y) for y in arrays.years]
    n = sum(1 for y in years if y < peildatum.year)
    inside = peildatum.year in years
    rente = float(arrays.rente[years.index(peildatum.year)]) if inside else 0.0
    fraction = date_fraction(peildatum) if inside else 0.0
    return float(rules.boekwaarde_peildatum(outcome.line_flows, arrays.realised_mask, arrays.rente, arrays.timing, arrays.opening, n, fraction, rente))


# ------------------------------------------------------------------------------------------------ figures
def badkuip_figures(o: Any, years: list[int]) -> dict[str, Any]:
    """Badkuip of an outcome with ``book_value``/``book`` positions (grex or programme): the deepest book value,
    its year, and the terugverdienjaar: the first year from which the book value stays >= 0 up to the end year
    (spec §6). When the book value was >= 0 earlier and turned negative again, ``eerste_herstel`` (the first year it
    was >= 0 again) and ``dip`` (the lowest book value after that and its year) say so; these two keys are only
    present then."""
    pos, stays = int(o.badkuip_pos), int(o.terugverdien_pos)
    out: dict[str, Any] = {
        "diepste_boekwaarde": float(o.badkuip_depth),
        "jaar": years[pos] if pos >= 0 else None,
        "terugverdienjaar": years[stays] if stays >= 0 else None,
    }
    if int(o.dip_pos) >= 0:
        out["eerste_herstel"] = years[int(o.herstel_pos)]
        out["dip"] = {"jaar": years[int(o.dip_pos)], "boekwaarde": float(o.dip_depth)}
    return out


def badkuip_text(bk: dict[str, Any]) -> str:
    """One Dutch sentence on the terugverdienjaar (with the early recovery and the dip when there is one)."""
    if bk["jaar"] is None:
        return "de boekwaarde wordt nooit negatief"
    terug = f"terugverdienjaar {bk['terugverdienjaar']}" if bk["terugverdienjaar"] else "wordt niet terugverdiend binnen de looptijd"
    if "dip" in bk:
        terug += (f" (eerder al ≥ 0 in {bk['eerste_herstel']}, daarna weer negatief: {eur(bk['dip']['boekwaarde'])} "
                  f"in {bk['dip']['jaar']})")
    return f"in {bk['jaar']}; {terug}"


# ------------------------------------------------------------------------------------------------ explanations
KENGETALLEN = ("ncw", "eindwaarde", "contante_waarde", "badkuip", "terugverdienjaar", "irr", "boekwaarde:JAAR", "rente:JAAR", "saldo:JAAR")
"""The figures :func:`explain` knows (``JAAR``: a year of the grid, e.g. ``boekwaarde:2027``)."""


def explain(result: GrexResult, kengetal: str) -> Explanation:
    """Why a figure of a grex has its value: the rule (function, formula, source), the inputs with units, the
    parameters, and Dutch sentences with the numbers filled in. ``kengetal``: see :data:`KENGETALLEN`.

    Raises :class:`InputError` naming the allowed figures for an unknown one, and for a missing or unknown year.
    """
    g, o, a = result.grex, result.outcome, result.arrays
    name, _, year_text = kengetal.partition(":")
    nom = "EUR nominaal"
    contant = f"EUR contant per {g.ncw_date.isoformat()}"
    d = float(g.disconteringsvoet)
    flows = o.flows.tolist()
    rente = np.asarray(a.rente).tolist()
    conv = ParameterUse("Dagtelling", g.dagtelling, bron=tijd.DAGTELLING_TEKST[g.dagtelling] + f" ({SPEC} §10)")
    disc = ParameterUse("Disconteringsvoet", d, "%", bron="invoer (BBV: 2 %)")
    timing = ParameterUse("Timing", g.timing, bron=f"moment van de kasstroom in het jaar ({SPEC} Inputs)")
    per_jaar = Input("Saldo per jaar", flows, nom, "saldo_per_jaar")

    def eindwaarde() -> Explanation:
        return explanation(
            "eindwaarde", rules.book_value, result.eindwaarde, f"EUR nominaal per 31-12-{g.end_year}",
            invoer=[Input("Openingsboekwaarde", float(g.opening_book_value), nom, "openingsboekwaarde"), per_jaar,
                    Input("Rente per jaar", rente, "%", "rente_per_jaar")],
            parameters=[timing],
            toelichting=[f"Boekwaarde op 31 december {g.end_year} volgens de rekening-courantmethode: {BOOK_VALUE_FORMULA[g.timing]}.",
                         f"Eindwaarde = {eur(result.eindwaarde)}."],
        )

    simple = {"ncw", "eindwaarde", "contante_waarde", "badkuip", "terugverdienjaar", "irr"}
    yearly = {"boekwaarde", "rente", "saldo"}
    if name in simple and not year_text:
        if name == "eindwaarde":
            return eindwaarde()
        if name == "ncw":
            return explanation(
                "ncw", rules.ncw_bbv, result.ncw, contant,
                invoer=[Input("Eindwaarde", result.eindwaarde, f"EUR nominaal per 31-12-{g.end_year}", "eindwaarde"),
                        Input("Disconteringsvoet", d, "%", "disconteringsvoet"),
                        Input("Tijd van de NCW-datum tot 31 december van het eindjaar", o.t_end, "jaar", "T_end"),
                        Input("NCW-datum", g.ncw_date.isoformat(), "datum", "ncw_datum")],
                parameters=[disc, conv],
                toelichting=[f"NCW = {eur(result.eindwaarde)} / (1 + {pct(d)})^{number(o.t_end, 4)} = {eur(result.ncw)}.",
                             f"Dagtelling: {tijd.DAGTELLING_TEKST[g.dagtelling]}.", "De eindwaarde heeft een eigen uitleg (kengetal 'eindwaarde')."],
            )
        if name == "contante_waarde":
            return explanation(
                "contante_waarde", rules.present_value, result.contante_waarde, contant,
                invoer=[per_jaar, Input("Tijd tot de kasstroom per jaar", np.asarray(o.t).tolist(), "jaar", "t_y"), Input("Disconteringsvoet", d, "%", "disconteringsvoet")],
                parameters=[disc, timing, conv],
                toelichting=[f"Contante waarde = Σ saldo_y / (1 + {pct(d)})^t_y = {eur(result.contante_waarde)}.",
                             "Gelijk aan de NCW als de rente gelijk is aan de disconteringsvoet en de openingsboekwaarde 0 is."],
            )
        if name in ("badkuip", "terugverdienjaar"):
            bk = result.badkuip()
            fn = rules.badkuip if name == "badkuip" else rules.terugverdienjaar
            value = bk if name == "badkuip" else bk["terugverdienjaar"]
            return explanation(
                name, fn, value, nom if name == "badkuip" else "jaar",
                invoer=[Input("Boekwaarde per jaar", o.book_value.tolist(), nom, "boekwaarde"), Input("Jaren", result.years, "jaar", "jaren")],
                toelichting=[f"Laagste boekwaarde {eur(bk['diepste_boekwaarde'])}; {badkuip_text(bk)}."],
            )
        return explanation(
            "irr", rules.irr_roots, result.irr.roots, "%",
            invoer=[per_jaar], toelichting=[result.irr.message if result.irr.value is None else f"IRR = {pct(result.irr.value)}"],
        )
    if name in yearly:
        if not year_text:
            raise InputError(f"{name}: geef een jaar op", field="kengetal", value=kengetal, allowed=f"{name}:JAAR, bijv. {name}:{result.years[0]}")
        try:
            year = int(year_text)
        except ValueError:
            year = None
        if year not in result.years:
            raise InputError("jaar buiten de looptijd", field="kengetal", value=kengetal, allowed=f"{result.years[0]}–{result.years[-1]}")
        yi = result.years.index(year)
        prev = float(o.book_value[yi - 1]) if yi > 0 else float(g.opening_book_value)
        f_y, r_y = float(o.flows[yi]), float(rente[yi])
        if name == "saldo":
            posts = [
                {"post": lab["naam"], "code": lab["code"], "bedrag_prijspeil": float(a.amount[i] * a.share[i, yi] * a.sign[i]),
                 "index": float(o.line_index[i, yi]), "nominaal": float(o.line_flows[i, yi]), "gerealiseerd": bool(a.realised_mask[i, yi])}
                for i, lab in enumerate(result.line_labels) if o.line_flows[i, yi] != 0
            ]
            return explanation(
                kengetal, rules.line_flows, f_y, nom, label=f"Saldo {year}",
                invoer=[Input("Posten", posts, nom, "posten"), Input("Indexcijfers", {n: float(o.index[s, yi]) for s, n in enumerate(g.indices)}, "-", "indexreeksen")],
                parameters=[timing],
                toelichting=[f"Saldo {year} = opbrengsten − kosten = {eur(f_y)}; een gerealiseerd bedrag vervangt de raming en wordt niet geïndexeerd."],
            )
        b_y = float(o.book_value[yi])
        if name == "boekwaarde":
            return explanation(
                kengetal, rules.book_value, b_y, nom, label=f"Boekwaarde per 31-12-{year}",
                invoer=[Input("Boekwaarde vorig jaar", prev, nom, "B_vorig"), Input(f"Saldo {year}", f_y, nom, "F_y"), Input("Rente", r_y, "%", "rente")],
                parameters=[timing],
                toelichting=[f"Timing {g.timing}: {BOOK_VALUE_FORMULA[g.timing]}.", f"Boekwaarde {year} = {eur(b_y)}."],
            )
        i_y = float(o.interest[yi])
        return explanation(
            kengetal, rules.book_value, i_y, nom, label=f"Rente {year}",
            invoer=[Input("Boekwaarde vorig jaar", prev, nom, "B_vorig"), Input(f"Saldo {year}", f_y, nom, "F_y"), Input("Rentepercentage", r_y, "%", "rentepercentage")],
            parameters=[timing],
            toelichting=[f"Rente {year} = B_y − B_(y−1) − F_y = {eur(b_y)} − {eur(prev)} − {eur(f_y)} = {eur(i_y)} ({pct(r_y)})."],
        )
    raise InputError("onbekend kengetal", field="kengetal", value=kengetal, allowed=", ".join(KENGETALLEN))


def legacy_dict(e: Explanation, regel: str | None = None) -> dict[str, Any]:
    """An :class:`Explanation` in the flat shape of the first version (``waarde``, ``regel``, ``functie``,
    ``bron``, ``invoer`` keyed by symbol, ``parameters``), plus its Dutch ``label``, ``eenheid`` and
    ``toelichting``; what the web page template and ``--verklaar`` print."""
    return {
        "kengetal": e.kengetal,
        "label": e.label,
        "waarde": e.waarde,
        "eenheid": e.eenheid,
        "regel": regel or e.regel.formule,
        "functie": e.regel.function,
        "bron": e.regel.bron,
        "invoer": {(i.symbool or i.naam): i.waarde for i in e.invoer},
        "parameters": {p.naam: p.waarde for p in e.parameters},
        "toelichting": list(e.toelichting),
    }
