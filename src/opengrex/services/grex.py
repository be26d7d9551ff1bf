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

from opengrex.codes import get_kostensoort
from opengrex.engine import grex as rules
from opengrex.engine.grex import GrexArrays, GrexOutcome, calculate
from opengrex.io.documents import build_model, parse_text, read_document
from opengrex.model.grex import OPBRENGSTSOORTEN, Grex

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
        """Deepest book value, its year and the terugverdienjaar (None where not applicable)."""
        o = self.outcome
        pos, rec = int(o.badkuip_pos), int(o.recovery_pos)
        return {
            "diepste_boekwaarde": float(o.badkuip_depth),
            "jaar": self.years[pos] if pos >= 0 else None,
            "terugverdienjaar": self.years[rec] if rec >= 0 else None,
        }

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
        """Which inputs, rule and parameters produced ``figure`` (``ncw``, ``eindwaarde``, ``contante_waarde``,
        ``boekwaarde``, ``rente``, ``saldo``, ``badkuip``, ``irr``), optionally for one ``year``."""
        g, o = self.grex, self.outcome
        yi = None if year is None else self.years.index(year)
        rente = self.arrays.rente
        common = {"prijspeil": g.prijspeil.isoformat(), "timing": g.timing}
        table = {
            "ncw": dict(
                waarde=self.ncw,
                regel="NCW (BBV) = eindwaarde / (1 + d) ** T_end",
                functie="opengrex.engine.grex.ncw_bbv",
                bron=f"{SPEC} §4; BBV Notitie grondbeleid 2019",
                invoer={"eindwaarde": self.eindwaarde, "disconteringsvoet": g.disconteringsvoet, "T_end": o.t_end, "ncw_datum": g.ncw_date.isoformat()},
            ),
            "eindwaarde": dict(
                waarde=self.eindwaarde,
                regel="boekwaarde op 31 december van het laatste jaar (rekening-courant)",
                functie="opengrex.engine.grex.book_value",
                bron=f"{SPEC} §3–4",
                invoer={"openingsboekwaarde": g.opening_book_value, "saldo_per_jaar": o.flows.tolist(), "rente_per_jaar": rente.tolist()},
            ),
            "contante_waarde": dict(
                waarde=self.contante_waarde,
                regel="som F_y / (1 + d) ** t_y",
                functie="opengrex.engine.grex.present_value",
                bron=f"{SPEC} §4",
                invoer={"saldo_per_jaar": o.flows.tolist(), "t_y": np.asarray(o.t).tolist(), "disconteringsvoet": g.disconteringsvoet},
            ),
            "badkuip": dict(waarde=self.badkuip(), regel="laagste boekwaarde, jaar, terugverdienjaar", functie="opengrex.engine.grex.badkuip", bron=f"{SPEC} §6", invoer={"boekwaarde": o.book_value.tolist()}),
            "irr": dict(waarde=self.irr.roots, regel="r waarvoor som F_y / (1 + r) ** y = 0", functie="opengrex.engine.grex.irr_roots", bron=f"{SPEC} §7", invoer={"saldo_per_jaar": o.flows.tolist()}),
        }
        if figure in ("boekwaarde", "rente", "saldo"):
            if yi is None:
                raise ValueError(f"{figure}: geef een jaar op")
            prev = o.book_value[yi - 1] if yi > 0 else g.opening_book_value
            contrib = [
                {"post": lab["naam"], "code": lab["code"], "bedrag_prijspeil": self.arrays.amount[i] * self.arrays.share[i, yi] * self.arrays.sign[i], "index": float(o.line_index[i, yi]), "nominaal": float(o.line_flows[i, yi]), "gerealiseerd": bool(self.arrays.realised_mask[i, yi])}
                for i, lab in enumerate(self.line_labels)
                if o.line_flows[i, yi] != 0
            ]
            table["saldo"] = dict(waarde=float(o.flows[yi]), regel="F_y = som over posten bedrag x fasering_y x I_y (of gerealiseerd)", functie="opengrex.engine.grex.line_flows", bron=f"{SPEC} §1–2", invoer={"posten": contrib, "indexreeksen": {n: float(o.index[s, yi]) for s, n in enumerate(g.indices)}})
            table["boekwaarde"] = dict(waarde=float(o.book_value[yi]), regel={"end": "B_y = B_(y-1)(1+r) + F_y", "mid": "B_y = B_(y-1)(1+r) + F_y (1+r)^0,5", "start": "B_y = (B_(y-1) + F_y)(1+r)"}[g.timing], functie="opengrex.engine.grex.book_value", bron=f"{SPEC} §3", invoer={"B_vorig": float(prev), "F_y": float(o.flows[yi]), "rente": float(rente[yi])})
            table["rente"] = dict(waarde=float(o.interest[yi]), regel="rente_y = B_y - B_(y-1) - F_y", functie="opengrex.engine.grex.book_value", bron=f"{SPEC} §3", invoer={"B_vorig": float(prev), "F_y": float(o.flows[yi]), "rentepercentage": float(rente[yi])})
        if figure not in table:
            raise ValueError(f"onbekend kengetal {figure!r}; kies uit {', '.join(sorted(table))}")
        out = table[figure]
        out["parameters"] = common
        return out


def line_labels(grex: Grex) -> list[dict[str, Any]]:
    """Labels of each line in engine order (kosten first, then opbrengsten)."""
    out = []
    for section, _, ln in grex.lines():
        if section == "kosten":
            ks = get_kostensoort(ln.kostensoort)  # type: ignore[attr-defined]
            out.append({"soort": "kosten", "code": ks.code, "omschrijving": ks.kort, "naam": ln.name, "index": ln.index})
        else:
            code = ln.opbrengstsoort  # type: ignore[attr-defined]
            out.append({"soort": "opbrengsten", "code": code, "omschrijving": OPBRENGSTSOORTEN[code], "naam": ln.name, "index": ln.index})
    return out


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
    of the peildatum's own year, interest accrues pro rata in time: ``B * (1 + r) ** fraction``.
    """
    arrays = grex.compile()
    outcome = calculate(arrays)
    realised_flows = np.where(arrays.realised_mask, outcome.line_flows, 0.0).sum(axis=0)
    years = list(arrays.years)
    cutoff = peildatum.year
    n = sum(1 for y in years if y < cutoff)
    if n == 0:
        b = float(arrays.opening)
    else:
        book, _ = rules.book_value(realised_flows[:n], arrays.rente[:n], arrays.timing, arrays.opening)
        b = float(book[-1])
    if cutoff in years:
        days = 366 if (cutoff % 4 == 0 and (cutoff % 100 != 0 or cutoff % 400 == 0)) else 365
        frac = (peildatum.timetuple().tm_yday - 1) / days
        b *= (1.0 + float(arrays.rente[years.index(cutoff)])) ** frac
    return b
