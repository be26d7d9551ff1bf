"""Eindafrekening of a financiële bijdrage / exploitatiebijdrage and planschade settlement (spec rules 6 and 7;
Nota Kostenverhaal Soest 2023 bijlage A4).

>>> from opengrex.services.eindafrekening import load_eindafrekening, calculate_eindafrekening
>>> res = calculate_eindafrekening(load_eindafrekening("examples/kostenverhaal/eindafrekening-voorbeeld.yaml"))
>>> res.terugbetaling, res.rente, res.totaal_terug

Method (documented choices):

* due (verschuldigd) = aandeel × Σ contante waarde op de betaaldatum of the recomputed costs of the categories
  paid for (netting between them); aandeel = betaald / Σ ramingen unless given;
* refund = betaald − verschuldigd − drempel × betaald when betaald − verschuldigd > drempel × betaald (drempel
  5% from the parameter set); at exactly 5% nothing; never an extra charge;
* interest: the rate table (default the wettelijke rente, art. 6:119 BW, ``parameters/rente/wettelijke_rente.yaml``)
  from the payment date to the date of the eindafrekening, compounded yearly per art. 6:119 lid 2 BW, actual
  days / 365 within a year;
* tussentijdse eindafrekening only from ``betaaldatum + N jaar`` (N from the parameter set, Soest: 5);
* planschade: five years after the decision became final, ``geraamd − werkelijk`` is refunded (> 0) or charged
  as naheffing (< 0); no 5% threshold and no interest (the nota gives none).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from opengrex.engine import eindafrekening as rules
from opengrex.errors import InputError
from opengrex.formatting import eur, pct
from opengrex.io.documents import Locator, build_model, parse_text, read_document
from opengrex.model.eindafrekening import EindafrekeningInvoer

RENTE_DIR = Path(__file__).resolve().parents[1] / "parameters" / "rente"
PLANSCHADE_JAREN = 5


@dataclass(frozen=True)
class RenteTabel:
    """A dated interest-rate table: rate ``rente[i]`` applies from ``vanaf[i]`` until the next date."""

    naam: str
    vanaf: tuple[dt.date, ...]
    rente: tuple[float, ...]
    bronnen: tuple[str, ...]
    onzeker: tuple[bool, ...]

    def rate_on(self, day: dt.date) -> float:
        i = int(np.searchsorted(np.array([d.toordinal() for d in self.vanaf]), day.toordinal(), side="right")) - 1
        if i < 0:
            raise InputError(f"rentetabel '{self.naam}' begint pas op {self.vanaf[0].isoformat()}", field="betaling.datum",
                             value=day.isoformat(), allowed=f"op of na {self.vanaf[0].isoformat()}")
        return self.rente[i]


def load_rentetabel(naam: str = "wettelijke_rente") -> RenteTabel:
    """Load ``parameters/rente/<naam>.yaml`` (values keyed by start date, each with its bron)."""
    from opengrex.parameters import check_name

    avail = sorted(p.stem for p in RENTE_DIR.glob("*.yaml"))
    check_name(naam, "rente", avail + ["of een vast percentage (bijv. 0.03)"])  # a name, never a path
    path = RENTE_DIR / f"{naam}.yaml"
    if not path.is_file():
        raise InputError("onbekende rentetabel", field="rente", value=naam, allowed=f"{', '.join(avail)}, of een vast percentage (bijv. 0.03)")
    return _load_rentetabel(str(path), path.stat().st_mtime)


@lru_cache(maxsize=8)
def _load_rentetabel(path: str, mtime: float) -> RenteTabel:
    data, _ = read_document(path)
    values = data.get("values") or {}
    items = sorted((dt.date.fromisoformat(str(k)), v) for k, v in values.items())
    if not items:
        raise InputError("rentetabel zonder waarden", location=path, field="values")
    return RenteTabel(
        Path(path).stem,
        tuple(d for d, _ in items),
        tuple(float(v["value"]) for _, v in items),
        tuple(str((v.get("bron") or {}).get("title", "")) for _, v in items),
        tuple(not v.get("geverifieerd", True) for _, v in items),
    )


def load_eindafrekening(path: str | Path) -> EindafrekeningInvoer:
    """Read and validate an eindafrekening request (YAML/JSON)."""
    data, locator = read_document(path)
    return build_model(EindafrekeningInvoer, data, locator, EindafrekeningInvoer.check)


def eindafrekening_from_dict(data: dict[str, Any], source: str = "<invoer>") -> EindafrekeningInvoer:
    return build_model(EindafrekeningInvoer, data, Locator(source), EindafrekeningInvoer.check)


def eindafrekening_from_text(text: str, source: str = "<invoer>.yaml") -> EindafrekeningInvoer:
    data, locator = parse_text(text, source)
    return build_model(EindafrekeningInvoer, data, locator, EindafrekeningInvoer.check)


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` plus whole years (29 February → 1 March)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


@dataclass
class EindafrekeningResult:
    """Outcome of an eindafrekening; amounts [EUR]. ``to_dict()`` is what ``--json`` prints."""

    invoer: EindafrekeningInvoer
    soort: str
    parameterset: str
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
    planschade_saldo: float = 0.0
    uitleg: list[str] = field(default_factory=list)
    waarschuwingen: list[str] = field(default_factory=list)

    @property
    def totaal_terug(self) -> float:
        """Refund plus interest (or, for planschade, the refund) paid by the gemeente [EUR]."""
        if self.soort == "planschade":
            return max(self.planschade_saldo, 0.0)
        return self.terugbetaling + self.rente

    @property
    def naheffing(self) -> float:
        """Planschade naheffing charged to the initiatiefnemer [EUR] (never for a bijdrage-eindafrekening)."""
        return max(-self.planschade_saldo, 0.0) if self.soort == "planschade" else 0.0

    def categorie_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.per_categorie)

    def rente_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rente_regels)

    def to_dict(self) -> dict[str, Any]:
        inv = self.invoer
        out: dict[str, Any] = {"naam": inv.naam, "soort": self.soort, "datum": inv.datum.isoformat(),
                               "parameterset": self.parameterset, "eenheid": "EUR"}
        if self.soort == "planschade":
            ps = inv.planschade
            out.update({"planschade": {"geraamd": ps.geraamd, "werkelijk": ps.werkelijk,
                                       "besluit_onherroepelijk": ps.besluit_onherroepelijk.isoformat(),
                                       "saldo": self.planschade_saldo, "terugbetaling": self.totaal_terug,
                                       "naheffing": self.naheffing}})
        else:
            out.update({
                "betaling": {"bedrag": self.betaald, "datum": inv.betaling.datum.isoformat()},
                "aandeel": self.aandeel, "disconteringsvoet": inv.disconteringsvoet,
                "kosten_contant_op_betaaldatum": self.kosten_cw, "verschuldigd": self.verschuldigd,
                "verschil": self.verschil, "drempel": self.drempel, "drempelbedrag": self.drempelbedrag,
                "terugbetaling": self.terugbetaling, "rente": self.rente, "totaal_terug": self.totaal_terug,
                "bijbetaling": 0.0, "rentetabel": self.rente_bron,
                "per_categorie": self.per_categorie,
                "rente_regels": [{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in r.items()} for r in self.rente_regels],
            })
        out["uitleg"] = self.uitleg
        out["waarschuwingen"] = self.waarschuwingen
        return out


def calculate_eindafrekening(invoer: EindafrekeningInvoer, parameter_set: Any | None = None) -> EindafrekeningResult:
    """Compute the eindafrekening (or planschade settlement) of ``invoer``; see the module docstring for the method.
    Date rules (tussentijds ≥ N years after payment; planschade ≥ 5 years after the decision) raise
    :class:`InputError` naming the earliest allowed date; nothing is computed then."""
    from opengrex.parameters import load_parameter_set

    ps = parameter_set if parameter_set is not None else load_parameter_set(invoer.parameterset, invoer.peildatum)
    res = EindafrekeningResult(invoer, invoer.soort, ps.label)
    if invoer.soort == "planschade":
        p = invoer.planschade
        earliest = add_years(p.besluit_onherroepelijk, PLANSCHADE_JAREN)
        if invoer.datum < earliest:
            raise InputError(f"planschade wordt pas {PLANSCHADE_JAREN} jaar nadat het besluit onherroepelijk werd afgerekend",
                             field="datum", value=invoer.datum.isoformat(), allowed=f"op of na {earliest.isoformat()}")
        res.planschade_saldo = float(rules.planschade_afrekening(p.geraamd, p.werkelijk))
        if res.planschade_saldo >= 0:
            res.uitleg.append(f"geraamd {eur(p.geraamd, 2)} − werkelijk {eur(p.werkelijk, 2)} = {eur(res.planschade_saldo, 2)}: terugbetaling aan de initiatiefnemer")
        else:
            res.uitleg.append(f"geraamd {eur(p.geraamd, 2)} − werkelijk {eur(p.werkelijk, 2)} = {eur(res.planschade_saldo, 2)}: naheffing bij de initiatiefnemer")
        return res

    b = invoer.betaling
    if invoer.soort == "tussentijds":
        jaren = int(ps.value_of("tussentijdse_eindafrekening_jaren")) if getattr(ps, "tussentijdse_eindafrekening_jaren", None) else 5
        earliest = add_years(b.datum, jaren)
        if invoer.datum < earliest:
            raise InputError(f"een tussentijdse eindafrekening kan pas {jaren} jaar na de betaling",
                             field="datum", value=invoer.datum.isoformat(), allowed=f"op of na {earliest.isoformat()}")
    res.drempel = float(ps.value_of("eindafrekening_drempel"))
    res.betaald = float(b.bedrag)
    raming_totaal = sum(c.raming for c in invoer.categorieen)
    if invoer.aandeel is None:
        if raming_totaal <= 0:
            raise InputError("aandeel niet af te leiden: de ramingen tellen op tot 0", field="aandeel", allowed="geef aandeel, of ramingen > 0")
        res.aandeel = res.betaald / raming_totaal
    else:
        res.aandeel = float(invoer.aandeel)

    cats = [c.categorie for c in invoer.categorieen]
    if invoer.kosten:
        amounts = np.array([k.bedrag for k in invoer.kosten], dtype=np.float64)
        days = np.array([k.datum.toordinal() for k in invoer.kosten], dtype=np.int64)
        t = (days - b.datum.toordinal()) / rules.DAYS_PER_YEAR
        cw_each = amounts * (1.0 + invoer.disconteringsvoet) ** (-t)
    else:
        cw_each = np.zeros(0)
    res.kosten_cw = float(rules.contante_waarde_op_betaaldatum(
        np.array([k.bedrag for k in invoer.kosten], dtype=np.float64), [k.datum.toordinal() for k in invoer.kosten],
        b.datum.toordinal(), invoer.disconteringsvoet)) if invoer.kosten else 0.0
    for c in invoer.categorieen:
        mask = [k.categorie == c.categorie for k in invoer.kosten]
        cw = float(cw_each[np.array(mask, dtype=bool)].sum()) if invoer.kosten else 0.0
        res.per_categorie.append({"categorie": c.categorie, "omschrijving": c.omschrijving or "", "raming": c.raming,
                                  "herberekend_contant": cw, "verschil": cw - c.raming,
                                  "aandeel_plan_raming": res.aandeel * c.raming, "aandeel_plan_herberekend": res.aandeel * cw})
    res.verschuldigd = res.aandeel * res.kosten_cw
    res.verschil = res.betaald - res.verschuldigd
    refund, applies = rules.terugbetaling(res.betaald, res.verschuldigd, res.drempel)
    res.terugbetaling = float(refund)
    res.drempelbedrag = res.drempel * res.betaald
    res.uitleg.append(f"verschuldigd = aandeel {pct(res.aandeel, 4)} × kosten contant op {b.datum:%d-%m-%Y} {eur(res.kosten_cw, 2)} = {eur(res.verschuldigd, 2)} "
                      f"(verrekening tussen de categorieën {', '.join(cats)})")
    if res.verschil < 0:
        res.uitleg.append("de herberekende bijdrage is hoger dan betaald: geen bijbetaling (het risico op hogere kosten ligt bij de gemeente)")
    elif not bool(applies):
        res.uitleg.append(f"te veel betaald {eur(res.verschil, 2)} ≤ {pct(res.drempel, 0)} van betaald ({eur(res.drempelbedrag, 2)}): geen terugbetaling")
    else:
        res.uitleg.append(f"terugbetaling = betaald − verschuldigd − {pct(res.drempel, 0)} × betaald = {eur(res.betaald, 2)} − {eur(res.verschuldigd, 2)} − {eur(res.drempelbedrag, 2)} = {eur(res.terugbetaling, 2)}")
    if res.terugbetaling > 0:
        _interest(res, invoer)
    return res


def _interest(res: EindafrekeningResult, invoer: EindafrekeningInvoer) -> None:
    b = invoer.betaling
    if isinstance(invoer.rente, (int, float)):
        dagen, rentes = [dt.date(1900, 1, 1).toordinal()], [float(invoer.rente)]
        res.rente_bron = f"vast percentage {pct(float(invoer.rente))} (invoer)"
    else:
        tabel = load_rentetabel(invoer.rente)
        tabel.rate_on(b.datum)  # raises if the table starts later
        dagen, rentes = [d.toordinal() for d in tabel.vanaf], list(tabel.rente)
        res.rente_bron = f"rentetabel {tabel.naam.replace('_', ' ')}, samengesteld per jaar (art. 6:119 lid 2 BW)"  # a name, never a server path
        used = [i for i, d in enumerate(tabel.vanaf) if d < invoer.datum and (i + 1 == len(tabel.vanaf) or tabel.vanaf[i + 1] > b.datum)]
        for i in used:
            if tabel.onzeker[i]:
                res.waarschuwingen.append(f"rentetabel {tabel.naam}: het percentage vanaf {tabel.vanaf[i].isoformat()} ({pct(tabel.rente[i])}) is niet volledig geverifieerd; zie de opmerking in het YAML-bestand")
        if invoer.datum > add_years(tabel.vanaf[-1], 1):
            res.waarschuwingen.append(f"rentetabel {tabel.naam}: laatste percentage geldt vanaf {tabel.vanaf[-1].isoformat()}; controleer of er daarna een nieuw besluit is")
    rente, rows = rules.wettelijke_rente(res.terugbetaling, b.datum.toordinal(), invoer.datum.toordinal(), dagen, rentes)
    res.rente = float(rente)
    res.rente_regels = [{**r, "grondslag": float(r["grondslag"]), "rente": float(r["rente"])} for r in rows]
    res.uitleg.append(f"rente over {eur(res.terugbetaling, 2)} van {b.datum:%d-%m-%Y} tot {invoer.datum:%d-%m-%Y}: {eur(res.rente, 2)} ({res.rente_bron})")
