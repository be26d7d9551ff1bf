"""Input model of the financiële bijdrage ter verbetering van de fysieke leefomgeving (Nota Kostenverhaal Soest 2023
§4.1, bijlage B1-B4): areas (a tree), investments, existing homes, plan pipeline, average WOZ per segment.

``BijdrageInvoer.check()`` returns every domain error at once (unknown area, plan in no area, negative amounts or
counts, cycles in the area tree, deductions larger than the gross investment), each naming its field.
"""
from __future__ import annotations

import datetime as dt

import numpy as np

from opengrex.codes.segmenten import HARDHEDEN, SEGMENTEN, Hardheid
from opengrex.engine.bijdrage import BijdrageArrays
from opengrex.errors import InputError
from opengrex.model.base import RateSeries, StrictModel, check_rates, error, veld

SEGMENTEN_STANDAARD = SEGMENTEN
"""Segments when the input gives no WOZ values (they then come from the parameter set)."""


class Gebied(StrictModel):
    """A kostenverhaalsgebied (kern, buitengebied, gemeente) in the area tree."""

    naam: str = veld(label="Gebied", min_length=1)
    ligt_in: str | None = veld(None, label="Ligt in", help="Omvattend gebied; alleen bij eigen_gebieden (anders uit de parameterset)")
    bestaande_woningen: float = veld(label="Bestaande woningen", eenheid="woningen", help="Bestaande woningen in het hele gebied, inclusief deelgebieden (bijlage B2)")


class Investering(StrictModel):
    """One investment of the investeringsopgave (bijlage B4), amounts at the input's prijspeil [EUR]."""

    naam: str = veld(label="Investering", min_length=1)
    gebied: str = veld(label="Gebied")
    categorie: Hardheid = veld(label="Investeringscategorie", help="hard (100%), zacht (50%) of nader_te_bepalen (0%)")
    bruto: float = veld(label="Bruto investering", eenheid="EUR")
    subsidies: float = veld(0.0, label="Subsidies", eenheid="EUR")
    externe_bijdragen: float = veld(0.0, label="Bijdragen derden", eenheid="EUR")
    onderhoudsbudget: float = veld(0.0, label="Onderhoudsbudget (werk met werk)", eenheid="EUR", help="Bijdrage meerjarig onderhoudsbudget (werk met werk)")
    gebruikersopbrengsten: float = veld(0.0, label="Gebruikersopbrengsten", eenheid="EUR", help="Revenuen uit gebruikerstarieven")
    categorie_a3: str | None = veld(None, label="Categorie bijlage A3", help="Categorie ontwikkeling volgens bijlage A3 (A, B1, C, ...)")
    index: str | None = veld(None, label="Indexreeks", help="Indexreeks voor de jaarlijkse actualisatie (§4.4.1: 'per investering maatwerk'); leeg: standaard_index")
    toelichting: str | None = veld(None, label="Toelichting")


class Plan(StrictModel):
    """A plan of the woningbouwprogramma (bijlage B1): homes per segment, with its hardness."""

    naam: str = veld(label="Plan", min_length=1)
    gebied: str = veld(label="Gebied")
    hardheid: Hardheid = veld(label="Hardheid", help="hard (100%), zacht (50%) of nader_te_bepalen (0%) planvoorraad")
    woningen: dict[str, float] = veld(label="Woningen per segment", eenheid="woningen")


class BijdrageParameters(StrictModel):
    """Values normally taken from the parameter set; given here they override it (with the input as source)."""

    grondquotes: dict[str, float] | None = veld(None, label="Grondquotes per segment", eenheid="%")
    btw: float | None = veld(None, label="Btw", eenheid="%")
    hardheid_investeringen: dict[Hardheid, float] | None = veld(None, label="Weging investeringscategorieën", eenheid="%")
    hardheid_plannen: dict[Hardheid, float] | None = veld(None, label="Weging plancapaciteit", eenheid="%")


class BijdrageInvoer(StrictModel):
    """Input of the six steps (§4.1): see ``examples/kostenverhaal/soest-bijdrage-illustratief.yaml``."""

    naam: str = veld(label="Naam", min_length=1)
    toelichting: str | None = veld(None, label="Toelichting")
    illustratief: bool = veld(False, label="Illustratief", help="Geen officiële cijfers")
    parameterset: str = veld(label="Parameterset", min_length=1, help="Naam van de parameterset (bijv. 'soest')")
    peildatum: dt.date = veld(label="Peildatum", help="Peildatum van de parameterset en van de invoer (prijspeil)")
    parameters: BijdrageParameters = veld(label="Afwijkende parameters", default_factory=BijdrageParameters)
    referentiesegment: str = veld("sociaal", label="Referentiesegment", help="Segment met wegingsfactor 1")
    eigen_gebieden: bool = veld(False, label="Eigen gebiedsboom", help="Gebiedsboom uit deze invoer (ligt_in) i.p.v. uit de parameterset")
    gebieden: list[Gebied] = veld(label="Gebieden", min_length=1)
    woz: dict[str, float] | None = veld(None, label="Gemiddelde WOZ-waarde per segment", eenheid="EUR", help="Bijlage B3; leeg: uit de parameterset")
    investeringen: list[Investering] = veld(label="Investeringen", default_factory=list)
    plannen: list[Plan] = veld(label="Plannen", default_factory=list)
    indices: dict[str, RateSeries] | None = veld(None, label="Indexreeksen", eenheid="%", help="Indexreeksen per kalenderjaar voor de actualisatie ({2024: 0.035, 2025: 0.03}; het laatste percentage geldt voor latere jaren)")
    standaard_index: str | None = veld(None, label="Standaard-indexreeks", help="Indexreeks van investeringen zonder eigen 'index'")

    # ---- derived
    @property
    def segmenten(self) -> list[str]:
        return list(self.woz) if self.woz is not None else list(SEGMENTEN_STANDAARD)

    @property
    def gebiedsnamen(self) -> list[str]:
        return [g.naam for g in self.gebieden]

    def check(self) -> list[InputError]:
        """Domain checks, all errors at once."""
        errs: list[InputError] = []
        names = self.gebiedsnamen
        allowed_areas = ", ".join(names)
        seen: dict[str, int] = {}
        for i, g in enumerate(self.gebieden):
            if g.naam in seen:
                errs.append(error(("gebieden", i, "naam"), "gebied komt twee keer voor", g.naam, "unieke namen"))
            seen.setdefault(g.naam, i)
            if g.ligt_in is not None and not self.eigen_gebieden:
                errs.append(error(("gebieden", i, "ligt_in"), "ligt_in alleen met 'eigen_gebieden: true'; anders komt de gebiedsboom uit de parameterset", g.ligt_in, "weglaten, of eigen_gebieden: true"))
            elif g.ligt_in is not None and g.ligt_in not in names:
                errs.append(error(("gebieden", i, "ligt_in"), "onbekend gebied", g.ligt_in, allowed_areas))
            if g.ligt_in == g.naam:
                errs.append(error(("gebieden", i, "ligt_in"), "een gebied kan niet in zichzelf liggen", g.ligt_in))
            if g.bestaande_woningen < 0:
                errs.append(error(("gebieden", i, "bestaande_woningen"), "aantal mag niet negatief zijn", g.bestaande_woningen, ">= 0"))
        if not errs and self.eigen_gebieden:
            errs += self._check_tree({g.naam: g.ligt_in for g in self.gebieden})
        segs = self.segmenten
        if self.woz is not None and not segs:
            errs.append(error(("woz",), "geef de gemiddelde WOZ-waarde van minstens één segment", None, "bijv. {sociaal: 250000, midden: 375000, duur: 550000}"))
        if self.referentiesegment not in segs:
            errs.append(error(("referentiesegment",), "referentiesegment heeft geen WOZ-waarde", self.referentiesegment, ", ".join(segs)))
        for s, v in (self.woz or {}).items():
            if not v > 0:
                errs.append(error(("woz", s), "WOZ-waarde moet groter dan 0 zijn", v, "> 0"))
        p = self.parameters
        if p.grondquotes is not None:
            for s, v in p.grondquotes.items():
                if not 0 < v <= 1:
                    errs.append(error(("parameters", "grondquotes", s), "grondquote buiten bereik", v, "0 < grondquote <= 1"))
        if p.btw is not None and not 0 <= p.btw < 1:
            errs.append(error(("parameters", "btw"), "btw-percentage buiten bereik", p.btw, "0 <= btw < 1 (fractie)"))
        for key in ("hardheid_investeringen", "hardheid_plannen"):
            for h, v in (getattr(p, key) or {}).items():
                if not 0 <= v <= 1:
                    errs.append(error(("parameters", key, h), "weging buiten bereik", v, "0 t/m 1"))
        for i, inv in enumerate(self.investeringen):
            if inv.gebied not in names:
                errs.append(error(("investeringen", i, "gebied"), "onbekend gebied", inv.gebied, allowed_areas))
            for f in ("bruto", "subsidies", "externe_bijdragen", "onderhoudsbudget", "gebruikersopbrengsten"):
                v = getattr(inv, f)
                if v < 0:
                    errs.append(error(("investeringen", i, f), "bedrag mag niet negatief zijn", v, ">= 0"))
            ded = inv.subsidies + inv.externe_bijdragen + inv.onderhoudsbudget + inv.gebruikersopbrengsten
            if ded > inv.bruto + 1e-9:
                errs.append(error(("investeringen", i, "bruto"),
                                  f"aftrekposten ({ded:,.0f}) zijn groter dan de bruto investering: geen onrendabele top".replace(",", "."),
                                  inv.bruto, "subsidies + externe bijdragen + onderhoudsbudget + gebruikersopbrengsten <= bruto"))
        for name, series in (self.indices or {}).items():
            errs += check_rates(series, ("indices", name))
        for i, plan in enumerate(self.plannen):
            if plan.gebied not in names:
                errs.append(error(("plannen", i, "gebied"), "plan ligt in geen bekend gebied", plan.gebied, allowed_areas))
            for s, n in plan.woningen.items():
                if s not in segs:
                    errs.append(error(("plannen", i, "woningen", s), "onbekend segment (geen WOZ-waarde)", s, ", ".join(segs)))
                if n < 0:
                    errs.append(error(("plannen", i, "woningen", s), "aantal mag niet negatief zijn", n, ">= 0"))
        return errs

    def _check_tree(self, tree: dict[str, str | None]) -> list[InputError]:
        """Check a resolved area tree (name -> enclosing name): no cycles; a parent's existing homes at least the
        sum of its children's (they are totals including sub-areas)."""
        errs = []
        for i, g in enumerate(self.gebieden):
            node: str | None = g.naam
            seen = {g.naam}
            while (node := tree.get(node) if node is not None else None) is not None:
                if node in seen:
                    errs.append(error(("gebieden", i, "ligt_in"), "de gebiedsboom bevat een kring", tree[g.naam], "elk gebied ligt in hoogstens één omvattend gebied, zonder kringen"))
                    break
                seen.add(node)
        if errs:
            return errs
        for i, g in enumerate(self.gebieden):
            kids = [c.bestaande_woningen for c in self.gebieden if tree.get(c.naam) == g.naam]
            if kids and sum(kids) > g.bestaande_woningen + 1e-9:
                errs.append(error(("gebieden", i, "bestaande_woningen"),
                                  f"minder bestaande woningen dan de deelgebieden samen ({sum(kids):,.0f})".replace(",", "."),
                                  g.bestaande_woningen, "totaal van het hele gebied, inclusief deelgebieden"))
        return errs

    def parent_index(self, tree: dict[str, str | None]) -> np.ndarray:
        idx = {n: i for i, n in enumerate(self.gebiedsnamen)}
        return np.array([idx.get(tree.get(g.naam) or "", -1) for g in self.gebieden], dtype=np.int64)

    def compile(self, tree: dict[str, str | None], woz: dict[str, float], grondquotes: dict[str, float], btw: float,
                hardheid_investeringen: dict[str, float], hardheid_plannen: dict[str, float]) -> BijdrageArrays:
        """Arrays for :func:`opengrex.engine.bijdrage.calculate` (parameter values resolved by the service)."""
        segs = list(woz)
        missing = [s for s in segs if s not in grondquotes]
        if missing:
            raise InputError("geen grondquote voor segment", field="parameters.grondquotes", value=missing[0],
                             allowed=", ".join(sorted(grondquotes)))
        idx = {n: i for i, n in enumerate(self.gebiedsnamen)}
        hidx = {h: i for i, h in enumerate(HARDHEDEN)}
        inv = self.investeringen
        f = lambda name: np.array([getattr(x, name) for x in inv], dtype=np.float64)  # noqa: E731
        return BijdrageArrays(
            parent=self.parent_index(tree),
            bestaand=np.array([g.bestaande_woningen for g in self.gebieden], dtype=np.float64),
            inv_gebied=np.array([idx[x.gebied] for x in inv], dtype=np.int64),
            inv_categorie=np.array([hidx[x.categorie] for x in inv], dtype=np.int64),
            bruto=f("bruto"), subsidies=f("subsidies"), externe_bijdragen=f("externe_bijdragen"),
            onderhoudsbudget=f("onderhoudsbudget"), gebruikersopbrengsten=f("gebruikersopbrengsten"),
            inv_gewicht=np.array([hardheid_investeringen[h] for h in HARDHEDEN], dtype=np.float64),
            woningen=np.array([[p.woningen.get(s, 0.0) for s in segs] for p in self.plannen], dtype=np.float64).reshape(len(self.plannen), len(segs)),
            plan_gebied=np.array([idx[p.gebied] for p in self.plannen], dtype=np.int64),
            plan_hardheid=np.array([hidx[p.hardheid] for p in self.plannen], dtype=np.int64),
            plan_gewicht=np.array([hardheid_plannen[h] for h in HARDHEDEN], dtype=np.float64),
            woz=np.array([woz[s] for s in segs], dtype=np.float64),
            btw=np.asarray(btw, dtype=np.float64),
            grondquote=np.array([grondquotes[s] for s in segs], dtype=np.float64),
            referentie=segs.index(self.referentiesegment),
        )
