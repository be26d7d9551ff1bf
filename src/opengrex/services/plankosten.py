"""Plankostenscan: load a plan, pick the tables in force, run the engine, present every figure with its source, and
test a municipality's own plankosten estimate against the maximum (the link with a kostenverhaal case).

>>> from opengrex.services.plankosten import load_plankosten, calculate_plankosten, toets_plankostenscan
>>> res = calculate_plankosten(load_plankosten("examples/plankosten/inbreiding-klein.yaml"))
>>> res.totaal                                   # maximum verhaalbare plankosten [EUR excl. btw]
>>> res.producten()                              # per product of tabel 1, with its source
>>> res.regels()                                 # every onderdeel: hours × tariff × (1 + factor), with its source
>>> res.waarschuwingen()                         # unresolved readings of the regulation this plan depends on
>>> toets_plankostenscan(500_000, res).toelichting   # the sentence for the A5 table of a kostenverhaal case

The plan's ``peildatum`` selects the version of the tables in force (``versie`` may name one explicitly); a batch
of plans is computed per (version, annex) in one vectorised engine call (:func:`calculate_plankosten_batch`).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from opengrex.engine import plankosten as rules
from opengrex.engine.explain import Explanation, Input, ParameterUse, explanation
from opengrex.engine.kostenverhaal import plankosten_begrensd
from opengrex.engine.plankosten import INDICATOREN, PlankostenOutcome, Tabellen
from opengrex.errors import InputError, InputErrors
from opengrex.formatting import eur, number, pct
from opengrex.io.documents import Locator, build_model, parse_text, read_document
from opengrex.model.plankosten import PlankostenPlan, PlankostenscanBron, check_against, compile_plans
from opengrex.parameters.plankosten import PlankostenParameters, load_plankosten_parameters, versie_op

__all__ = [
    "PlankostenResult",
    "PlankostenToets",
    "calculate_plankosten",
    "calculate_plankosten_batch",
    "load_plankosten",
    "parameters_for",
    "plankosten_from_dict",
    "plankosten_from_text",
    "plankosten_tabellen",
    "plankosten_to_dict",
    "plankosten_workbook",
    "product_codes",
    "scan_from_bron",
    "toets_plankostenscan",
]

INDICATOR_LABELS = {
    "I": "Ligging kostenverhaalsgebied", "II": "Type opgave", "III": "Verwervingssituatie",
    "IV": "Ruimtelijk programma", "V": "Onderzoeken", "VI": "Woon-werkmilieu",
}
GRONDSLAG_LABELS: dict[str, tuple[str, str]] = {
    "per_gebied": ("per kostenverhaalsgebied", "-"),
    "oppervlakte_ha": ("oppervlakte kostenverhaalsgebied", "ha"),
    "tabel2_kolom2": ("uren tabel 2, tweede kolom", "uur"), "tabel2_kolom3": ("uren tabel 2, derde kolom", "uur"),
    "tabel2_kolom4": ("uren tabel 2, vierde kolom", "uur"), "tabel2_kolom5": ("uren tabel 2, vijfde kolom", "uur"),
    "woonfuncties": ("woonfuncties", "woningen"), "gebouwen_met_woonfunctie": ("gebouwen met een woonfunctie", "gebouwen"),
    "grond_niet_wonen_100m2": ("100 m² grond niet-wonen", "× 100 m²"), "niet_wonen_100m2": ("100 m² uitgeefbare grond bedrijven en bvo overige functies", "× 100 m²"),
    "maatschappelijke_functies": ("kostenverhaalsgebied met maatschappelijke functies", "ja=1"),
    "scenario_uren": ("uren scenario (tabel 1, rij 1.1)", "uur"),
    "taxatie_onafhankelijk": ("onafhankelijke taxatie", "ja=1"),
    "taxatie_onafhankelijk_onbebouwd": ("onbebouwde percelen (onafhankelijke taxatie)", "percelen"),
    "taxatie_onafhankelijk_bebouwd": ("bebouwde percelen (onafhankelijke taxatie)", "percelen"),
    "taxatie_woz_onbebouwd": ("onbebouwde percelen (WOZ)", "percelen"), "taxatie_woz_bebouwd": ("bebouwde percelen (WOZ)", "percelen"),
    "hertaxaties": ("hertaxaties", "keer"),
    "aankoop_onbebouwd": ("aankoop onbebouwde percelen", "stuks"), "aankoop_woning": ("aankoop gebouwen met woonfunctie", "stuks"),
    "aankoop_huur_pacht": ("te ontbinden huur- of pachtovereenkomsten", "stuks"), "aankoop_bedrijfsgebouw": ("aankoop bedrijfsgebouwen", "stuks"),
    "aankoop_bijzonder_object": ("aankoop bijzondere objecten", "stuks"),
    "aankoop_bedrijfsgebouw_herstructurering": ("aankoop bedrijfsgebouwen in herstructureringsgebied", "stuks"),
    "aankoop_bijzonder_object_herstructurering": ("aankoop bijzondere objecten in herstructureringsgebied", "stuks"),
    "aankoop_herstructurering": ("aankoop bedrijfsgebouwen of bijzondere objecten in herstructureringsgebied", "stuks"),
    "onteigening_administratief": ("administratieve procedures", "procedures"), "onteigening_gerechtelijk": ("gerechtelijke procedures", "procedures"),
    "verharding_100m2": ("100 m² verharding", "× 100 m²"), "groen_water_100m2": ("100 m² groen en water", "× 100 m²"),
    "sloop_bestekken": ("sloopbestekken", "bestekken"), "sloop_weken": ("weken uitvoeringstijd slopen", "weken"),
    "ophoog_ha": ("op te hogen gebied", "ha"), "ophoog_weken": ("weken aanbreng- en verwijdertijd", "weken"),
    "ophoog_bestek": ("bestek ophogen volgens tabel 7", "EUR"), "ophoog_rapportage": ("rapportage ophogen volgens tabel 7", "EUR"),
    "ophoog_bestek_minimum": ("minimum bestek tabel 7", "EUR"), "ophoog_rapportage_minimum": ("minimum rapportage tabel 7", "EUR"),
    "deelgebieden": ("kostenverhaalsdeelgebieden", "deelgebieden"), "bestekken": ("bestekken bouw- en woonrijp maken", "bestekken"),
    "uitvoeringsweken": ("weken uitvoeringstijd bouw- en woonrijp maken", "weken"),
    "looptijd": ("looptijd incl. historische looptijd", "jaar"), "looptijd_assistent": ("looptijd projectmanagementassistentie", "jaar"),
    "weken_omgevingsplan": ("weken omgevingsplan (tabel 8)", "weken"), "weken_stedenbouwkundig_plan": ("weken stedenbouwkundig plan (tabel 8)", "weken"),
    "weken_beeldkwaliteitsplan": ("weken beeldkwaliteitsplan (tabel 8)", "weken"), "weken_inrichtingsplan": ("weken inrichtingsplan (tabel 8)", "weken"),
    "woonfunctie_uren_stedenbouwkundig_plan": ("uren per woonfunctie × woonfuncties, stedenbouwkundig plan (tabel 10)", "uur"),
    "woonfunctie_uren_beeldkwaliteitsplan": ("uren per woonfunctie × woonfuncties, beeldkwaliteitsplan (tabel 10)", "uur"),
    "uren_pm_verantwoording": ("uren projectmanagement verantwoording (tabel 12 × looptijd)", "uur"),
    "uren_pma_verantwoording": ("uren projectmanagementassistentie verantwoording (tabel 12 × looptijd)", "uur"),
    "uren_planeconomie_verantwoording": ("uren planeconomie verantwoording (tabel 13 × looptijd)", "uur"),
    "uren_pm_aansturing": ("uren projectmanagement aansturing (tabel 14 × jaren)", "uur"),
    "uren_pma_aansturing": ("uren projectmanagementassistentie aansturing (tabel 14 × jaren)", "uur"),
    "uren_planeconomie_aansturing": ("uren planeconomie aansturing (tabel 14 × jaren)", "uur"),
    "uren_stedenbouw_aansturing": ("uren stedenbouw aansturing (tabel 14 × jaren)", "uur"),
    "uren_civiel_aansturing": ("uren civiele techniek aansturing (tabel 14 × jaren)", "uur"),
}
FACTOR_LABELS = {
    ("2024_01", "algemeen"): "Algemene complexiteitsfactor", ("2024_01", "stedenbouw"): "Complexiteitsfactor stedenbouw",
    ("2026_07", "algemeen"): "Som invloedsfactoren I t/m V (historische looptijd, assistentie)",
}
SOORT_LABEL = {
    "uren": "uren per eenheid", "percentage_grondslag": "percentage van", "percentage_uren": "percentage van de uren van",
    "minimum_uren": "aanvulling tot minimum", "bedrag": "vaste prijs per eenheid", "euro_uit": "bedrag uit tabel", "percentage_bedrag": "percentage van het bedrag van",
}


# --------------------------------------------------------------------------------------------------- loading
def load_plankosten(path: str | Path, peildatum: dt.date | None = None) -> PlankostenPlan:
    """Read and validate a plan from YAML/JSON (errors name file, line and field) or from the Excel template
    (``.xlsx``; errors name sheet and cell). Checks against the version in force run here as well. ``peildatum``:
    used when the plan states none (a scan linked to a kostenverhaal case takes the case's peildatum)."""
    p = Path(path)
    if p.suffix.lower() == ".xlsx":
        from opengrex.io.xlsx_plankosten import read_plankosten_xlsx

        data, locator = read_plankosten_xlsx(p)
    else:
        data, locator = read_document(p)
    return _validate(_met_peildatum(data, peildatum), locator)


def plankosten_from_dict(data: dict[str, Any], source: str = "<invoer>", peildatum: dt.date | None = None) -> PlankostenPlan:
    """Validate a plan given as plain data (e.g. JSON from the API); ``peildatum`` as in :func:`load_plankosten`."""
    return _validate(_met_peildatum(data, peildatum), Locator(source))


def _met_peildatum(data: Any, peildatum: dt.date | None) -> Any:
    """``data`` with ``peildatum`` filled in when it states none (the plan's own peildatum wins)."""
    if peildatum is None or not isinstance(data, dict) or data.get("peildatum") is not None:
        return data
    return {**data, "peildatum": peildatum.isoformat()}


def plankosten_from_text(text: str, source: str = "<invoer>.yaml") -> PlankostenPlan:
    data, locator = parse_text(text, source)
    return _validate(data, locator)


def plankosten_to_dict(plan: PlankostenPlan) -> dict[str, Any]:
    """Plain data with the Dutch keys (round-trips through :func:`plankosten_from_dict`)."""
    return plan.model_dump(mode="json", exclude_none=True)


def plankosten_workbook(plan: PlankostenPlan, herkomst: Any = None) -> bytes:
    """The Excel download of a plan (registry exporter): tabel 1 with live formulas and the plan's input sheets,
    stamped with ``herkomst`` so the workbook can be uploaded back as a new version."""
    from opengrex.io.xlsx_plankosten import write_plankosten_xlsx
    from opengrex.services.kinds import xlsx_bytes

    data = plankosten_to_dict(plan)
    return xlsx_bytes(lambda r, p: write_plankosten_xlsx(r, p, data, herkomst), calculate_plankosten(plan), "plankosten")


def _validate(data: Any, locator: Locator) -> PlankostenPlan:
    """Types by pydantic, then the checks against the version in force; every error names file/line or sheet/cell."""
    return build_model(PlankostenPlan, data, locator, lambda plan: check_against(plan, _params_with_location(plan, locator)))


def _params_with_location(plan: PlankostenPlan, locator: Locator) -> PlankostenParameters:
    try:
        return parameters_for(plan)
    except InputError as exc:
        path = (exc.field,) if exc.field in ("peildatum", "versie") else None
        raise InputError(exc.message, location=locator.where(path), field=exc.field, value=exc.value, allowed=exc.allowed) from None


def parameters_for(plan: PlankostenPlan) -> PlankostenParameters:
    """The tables the plan is computed under: its ``versie``, else the version in force on its ``peildatum``."""
    if plan.versie is not None:
        return versie_op(plan.versie)
    return load_plankosten_parameters(plan.peildatum)


_COMPILED: dict[tuple[int, str], Tabellen] = {}


def tabellen_for(params: PlankostenParameters, bijlage: str) -> Tabellen:
    """The compiled annex (cached per loaded parameter object)."""
    key = (id(params), bijlage)
    if key not in _COMPILED:
        _COMPILED[key] = rules.compile_tabellen(params, bijlage)
    return _COMPILED[key]


# --------------------------------------------------------------------------------------------------- result
@dataclass
class PlankostenResult:
    """The maximum plankosten of one plan with every intermediate table. Amounts [EUR excl. btw], unrounded."""

    plan: PlankostenPlan
    params: PlankostenParameters
    tabellen: Tabellen
    outcome: PlankostenOutcome
    index: int = 0
    _gebruikt: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    # ---- headline figures
    @property
    def totaal(self) -> float:
        return float(self.outcome.totaal[self.index])

    @property
    def vast_bedrag(self) -> float:
        return float(self.outcome.vast_bedrag[self.index])

    @property
    def bijlage(self) -> str:
        return self.tabellen.bijlage

    @property
    def versie(self) -> str:
        return self.params.geldig_vanaf.isoformat()

    @property
    def bron(self) -> str:
        """``Omgevingsregeling ... versie 1 januari 2024, bijlage XXXIV`` (document, version, annex)."""
        return f"{self.params.bron}, bijlage {self.bijlage}"

    def _rij_bron(self, r) -> str:
        return f"{self.bron}, tabel 1, {r.bron}"

    def factor(self, naam: str = "algemeen") -> float:
        return float(self.outcome.factoren[naam][self.index])

    # ---- tables
    def regels(self, alle: bool = False) -> list[dict[str, Any]]:
        """Every onderdeel of tabel 1 of the products chosen (``alle``: also rows without amount, and rows of
        products not chosen): grondslag, hours, tariff, amount before and after the factor, source."""
        o, i, t = self.outcome, self.index, self.tabellen
        bij = self.params.bijlage(self.bijlage)
        rows = []
        for j, r in enumerate(bij.tabel_1):
            active = bool(o.actief[i, j])
            if not alle and (not active or o.bedrag_basis[i, j] == 0):
                continue
            k = t.grondslag[j]
            label, unit = GRONDSLAG_LABELS.get(t.grondslagen[k], (t.grondslagen[k], "")) if k >= 0 else ("", "")
            rows.append({
                "id": r.id, "product": r.product, "onderdeel": r.onderdeel, "soort": SOORT_LABEL[r.soort],
                "grondslag": label, "hoeveelheid": float(o.grondslagen[i, k]) if k >= 0 else None, "eenheid": unit,
                "per_eenheid": r.uren if r.soort == "uren" else r.percentage if r.percentage is not None else r.bedrag if r.bedrag is not None else r.minimum_uren,
                "van": ", ".join((r.van or []) + (r.van_bedrag or [])) or None,
                "verrekenfactor": float(np.prod([o.vermenigvuldigers[i, list(rules.MULT_NAMES).index(m)] for m in r.vermenigvuldigers])) if r.vermenigvuldigers else None,
                "uren": float(o.uren[i, j]), "tariefgroep": " en ".join(r.tariefgroepen) or None, "tarief": float(t.tarief[j]) or None,
                "bedrag_voor_factor": float(o.bedrag_basis[i, j]), "factor_soort": t.factor_naam[j], "factor": float(o.factor[i, j]),
                "actief": active, "bedrag": float(o.bedrag[i, j]), "bron": self._rij_bron(r),
            })
        return rows

    def producten(self) -> list[dict[str, Any]]:
        """Per product chosen: its amount and its source (tabel 1 of the annex)."""
        bij = self.params.bijlage(self.bijlage)
        out = []
        for p, code in enumerate(self.tabellen.producten):
            if code not in self.plan.producten:
                continue
            out.append({"product": code, "naam": bij.producten[code].naam, "hoofdstuk": bij.producten[code].hoofdstuk,
                        "bedrag": float(self.outcome.per_product[self.index, p]),
                        "bron": f"{self.bron}, tabel 1, rij {code}" + ("; vervangen door het vaste bedrag van art. 13.5" if self.plan.kleine_bouwactiviteit and not self.tabellen.uitgezonderd_13_5[p] else "")})
        if self.plan.kleine_bouwactiviteit:
            kb = self.params.artikelen.kleine_bouwactiviteiten
            out.insert(0, {"product": f"art. 13.5 {self.plan.kleine_bouwactiviteit}", "naam": kb.omschrijving[self.plan.kleine_bouwactiviteit],
                           "hoofdstuk": "-", "bedrag": self.vast_bedrag, "bron": f"{self.params.bron}, {kb.bron}"})
        return out

    def hoofdstukken(self) -> list[dict[str, Any]]:
        """Per group of products (hoofdstuk 1: omgevingsplan; 2: werkzaamheden), and the total."""
        bij = self.params.bijlage(self.bijlage)
        sums: dict[str, float] = {}
        for row in self.producten():
            key = row["hoofdstuk"]
            sums[key] = sums.get(key, 0.0) + row["bedrag"]
        out = [{"groep": k, "omschrijving": bij.hoofdstukken.get(k, "Vast bedrag kleine bouwactiviteit (art. 13.5)"), "bedrag": v} for k, v in sums.items()]
        out.append({"groep": "totaal", "omschrijving": "Maximaal verhaalbare plankosten (art. 13.2 lid 1)", "bedrag": self.totaal})
        return out

    def indicatoren(self) -> list[dict[str, Any]]:
        """The opslag of each indicator (tabel 4/5; 2026: tabel 4), the category that applies and its source."""
        plan, o, i = self.plan, self.outcome, self.index
        table = "tabel 5" if self.params.methode == "2024_01" else "tabel 4"
        prog = [f for f, v in (("woningbouw", plan.programma.woningen > 0), ("bedrijvigheid", _has(plan.programma.bedrijvigheid)),
                               ("commercieel", _has(plan.programma.commercieel)), ("maatschappelijk", _has(plan.programma.maatschappelijk))) if v]
        categorie = {
            "I": plan.ligging.replace("_", " "),
            "II": ("herstructureringsgebied" + (f", {pct(plan.aandeel_openbaar_gebied_herverkaveld or 0, 0)} herverkaveld" if self.params.methode != "2024_01" else "")) if plan.herstructurering else "geen herstructureringsgebied",
            "III": f"{plan.bekrachtigingsprocedures} bekrachtigingsprocedure(s)",
            "IV": " + ".join(prog) or "geen programma",
            "V": ", ".join(plan.onderzoeken) or "geen van de genoemde onderzoeken",
            "VI": f"{number(self.woningdichtheid(), 1)} woonequivalenten per ha",
        }
        return [{"indicator": k, "omschrijving": INDICATOR_LABELS[k], "categorie": categorie[k], "opslag_pct": float(o.indicatoren[i, j]) / 100.0,
                 "bron": f"{self.params.bron}, bijlage {self.bijlage}, {table}, {INDICATOR_LABELS[k].lower()}"} for j, k in enumerate(INDICATOREN)] + [
                {"indicator": "factor", "omschrijving": FACTOR_LABELS.get((self.params.methode, naam), naam),
                 "categorie": "gemiddelde (art. 13.2 lid 3)" if self.params.methode == "2024_01" else "som I–V (art. 13.2 lid 3)",
                 "opslag_pct": float(v[i]), "bron": f"{self.params.bron}, art. 13.2 lid 3; bijlage {self.bijlage}, {'tabel 4' if self.params.methode == '2024_01' else 'tabel 1'}"}
                for naam, v in o.factoren.items()]

    def woningdichtheid(self) -> float:
        f = self.tabellen.tabel["factoren"]
        p = self.plan.programma
        bvo = np.array([[p.bedrijvigheid.bvo_m2, p.commercieel.bvo_m2, p.maatschappelijk.bvo_m2]])
        uit = np.array([[p.bedrijvigheid.uitgeefbaar_m2, p.commercieel.uitgeefbaar_m2, p.maatschappelijk.uitgeefbaar_m2]])
        weq = float(rules.woonequivalenten(np.array([p.woningen]), bvo, uit, f["weq_m2"], f["weq_grondslag"])[0])
        return weq / self.plan.kostenverhaalsgebied.oppervlakte_ha

    def grondslagen(self) -> list[dict[str, Any]]:
        """The quantities the rows are based on (only those used by an active row)."""
        o, i, t = self.outcome, self.index, self.tabellen
        used = {int(t.grondslag[j]) for j in range(len(t.row_ids)) if o.actief[i, j] and t.grondslag[j] >= 0}
        return [{"grondslag": t.grondslagen[k], "omschrijving": GRONDSLAG_LABELS.get(t.grondslagen[k], (t.grondslagen[k], ""))[0],
                 "waarde": float(o.grondslagen[i, k]), "eenheid": GRONDSLAG_LABELS.get(t.grondslagen[k], ("", ""))[1]} for k in sorted(used)]

    def interpretaties(self) -> list[dict[str, Any]]:
        """Every reading of the regulation this plan's result depends on (resolved and unresolved)."""
        if not self._gebruikt:
            row_ids = [list(r.interpretaties) for r in self.params.bijlage(self.bijlage).tabel_1]
            self._gebruikt = rules.interpretaties_gebruikt(self.tabellen, self.outcome, row_ids)
        out = []
        for x in self.params.interpretaties:
            hit = self._gebruikt.get(x.id)
            if hit is not None and bool(np.asarray(hit)[self.index]):
                out.append({"id": x.id, "geverifieerd": x.geverifieerd, "vraag": x.vraag, "gekozen": x.gekozen, "alternatief": x.alternatief,
                            "onderbouwing": x.onderbouwing})
        return out

    def waarschuwingen(self) -> list[str]:
        """Dutch warnings: unresolved readings used, a version-wide caveat, and a peildatum after the tariff period."""
        out = []
        meta = self.params.metadata
        if meta.waarschuwing:
            out.append(f"Versie {self.versie}: {meta.waarschuwing}")
        if meta.tarieven_geldig_tot is not None and self.plan.peildatum >= meta.tarieven_geldig_tot:
            out.append(f"De tarieven van versie {self.versie} gelden volgens de tekst tot {meta.tarieven_geldig_tot:%d-%m-%Y}; de peildatum "
                       f"{self.plan.peildatum:%d-%m-%Y} valt daarna en er is geen nieuwere tarieftabel gevonden ({meta.tarieven_geldigheid_bron}).")
        for x in self.interpretaties():
            if not x["geverifieerd"]:
                out.append(f"Niet eenduidig ({x['id']}): {x['vraag']} Gerekend met: {x['gekozen']}. Andere lezing: {x['alternatief']}.")
        return out

    def explain(self, kengetal: str = "totaal") -> Explanation:
        return explain(self, kengetal)

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain data (``--json``, the REST API)."""
        return {
            "naam": self.plan.naam, "peildatum": self.plan.peildatum.isoformat(), "versie": self.versie, "methode": self.params.methode,
            "bijlage": self.bijlage, "tijdvak": self.plan.tijdvak, "bron": self.bron, "eenheid": "EUR exclusief btw",
            "totaal": self.totaal, "vast_bedrag_art_13_5": self.vast_bedrag,
            "hoofdstukken": self.hoofdstukken(), "producten": self.producten(), "indicatoren": self.indicatoren(),
            "grondslagen": self.grondslagen(), "regels": self.regels(), "interpretaties": self.interpretaties(),
            "waarschuwingen": self.waarschuwingen(),
        }

    def summary(self) -> dict[str, Any]:
        return {"totaal": self.totaal, "versie": self.versie, "bijlage": self.bijlage, "factor_algemeen": self.factor("algemeen")}


def _has(f) -> bool:
    return f.bvo_m2 > 0 or f.uitgeefbaar_m2 > 0


# --------------------------------------------------------------------------------------------------- calculate
def calculate_plankosten(plan: PlankostenPlan, params: PlankostenParameters | None = None) -> PlankostenResult:
    """The maximum plankosten of one plan under the version in force (or ``params`` given)."""
    return calculate_plankosten_batch([plan], params)[0]


def calculate_plankosten_batch(plans: list[PlankostenPlan], params: PlankostenParameters | None = None) -> list[PlankostenResult]:
    """Many plans at once: one vectorised engine call per (version, annex); results in input order."""
    groups: dict[tuple[str, str], list[int]] = {}
    chosen: dict[tuple[str, str], PlankostenParameters] = {}
    for i, plan in enumerate(plans):
        ps = params or parameters_for(plan)
        errs = check_against(plan, ps)
        if errs:
            raise InputErrors(errs)
        key = (ps.geldig_vanaf.isoformat(), plan.bijlage)
        groups.setdefault(key, []).append(i)
        chosen[key] = ps
    out: list[PlankostenResult | None] = [None] * len(plans)
    for key, idx in groups.items():
        ps = chosen[key]
        t = tabellen_for(ps, key[1])
        o = rules.calculate(compile_plans([plans[i] for i in idx], t), t)
        for b, i in enumerate(idx):
            out[i] = PlankostenResult(plans[i], ps, t, o, b)
    return [r for r in out if r is not None]


# --------------------------------------------------------------------------------------------------- explain
def explain(result: PlankostenResult, kengetal: str = "totaal") -> Explanation:
    """Why a figure has its value: ``totaal``, ``product:<code>``, ``rij:<id>`` or ``factor:<naam>``; an unknown key
    is an :class:`InputError` naming the keys allowed."""
    o, i, t = result.outcome, result.index, result.tabellen
    bij = result.params.bijlage(result.bijlage)
    allowed = ["totaal"] + [f"product:{c}" for c in result.plan.producten] + [f"factor:{k}" for k in o.factoren] + [f"rij:{r['id']}" for r in result.regels()]
    peil = result.versie
    if kengetal == "totaal":
        parts = [explain(result, f"product:{c}") for c in result.plan.producten]
        lines = [f"{row['product']} {row['naam']}: {eur(row['bedrag'], 2)}" for row in result.producten()]
        return explanation("totaal", rules.calculate, result.totaal, "EUR exclusief btw", label="Maximaal verhaalbare plankosten",
                           invoer=[Input("tijdvak", result.plan.tijdvak), Input("producten", list(result.plan.producten))],
                           parameters=[ParameterUse("versie", peil, bron=result.bron, peildatum=peil)],
                           toelichting=lines + [f"Totaal: {eur(result.totaal, 2)} ({result.bron}, art. 13.2 lid 1)."], onderdelen=parts)
    if kengetal.startswith("product:"):
        code = kengetal.split(":", 1)[1]
        if code in t.producten and code in result.plan.producten:
            rows = [r for r in result.regels() if r["product"] == code]
            p = t.producten.index(code)
            parts = [explain(result, f"rij:{r['id']}") for r in rows]
            return explanation(kengetal, rules.calculate, float(o.per_product[i, p]), "EUR exclusief btw", label=f"{code} {bij.producten[code].naam}",
                               parameters=[ParameterUse("tabel 1", code, bron=f"{result.bron}, tabel 1, rij {code}", peildatum=peil)],
                               toelichting=[f"{r['onderdeel']}: {eur(r['bedrag'], 2)}" for r in rows], onderdelen=parts)
    if kengetal.startswith("factor:"):
        naam = kengetal.split(":", 1)[1]
        if naam in o.factoren:
            fn: Callable[..., Any] = rules.complexiteitsfactor_2024_01 if result.params.methode == "2024_01" else rules.invloedsfactor_2026_07
            ind = result.indicatoren()
            return explanation(kengetal, fn, float(o.factoren[naam][i]), "%",
                               invoer=[Input(f"{r['indicator']} {r['omschrijving']} ({r['categorie']})", r["opslag_pct"], "%") for r in ind[:6]],
                               parameters=[ParameterUse(r["indicator"], r["opslag_pct"], "%", bron=r["bron"], peildatum=peil) for r in ind[:6]])
    if kengetal.startswith("rij:"):
        rid = kengetal.split(":", 1)[1]
        if rid in t.row_ids and any(r["id"] == rid for r in result.regels()):
            j = t.row_ids.index(rid)
            r = bij.tabel_1[j]
            row = next(x for x in result.regels() if x["id"] == rid)
            fn = rules.vaste_bedragen if r.soort in ("bedrag", "euro_uit", "percentage_bedrag") else rules.uren
            text = []
            if row["tarief"]:
                text.append(f"{_num(row['uren'])} uur × {eur(row['tarief'], 2)} = {eur(row['bedrag_voor_factor'], 2)}")
            if row["factor"]:
                text.append(f"× (1 + {pct(row['factor'])}) = {eur(row['bedrag'], 2)} ({row['factor_soort']})")
            params_used = [ParameterUse(SOORT_LABEL[r.soort], row["per_eenheid"], bron=row["bron"], peildatum=peil)]
            for g in r.tariefgroepen:
                tg = result.params.tarief(g)
                params_used.append(ParameterUse(f"tariefgroep {g} ({tg.deskundigheid})", tg.euro_per_uur, "EUR/uur", bron=f"{result.params.bron}, {result.params.tarieven.bron}, rij {g}", peildatum=peil))
            invoer = [Input(row["grondslag"], row["hoeveelheid"], row["eenheid"])] if row["grondslag"] else []
            return explanation(kengetal, fn, row["bedrag"], "EUR exclusief btw", label=f"{r.product} {r.onderdeel}", invoer=invoer,
                               parameters=params_used, toelichting=text)
    raise InputError("onbekend kengetal", field="kengetal", value=kengetal, allowed=", ".join(allowed))


def _num(value: float) -> str:
    """Up to four decimals, without trailing zeros (nl-NL): 210 -> '210', 0.26 -> '0,26'."""
    return number(value, 4).rstrip("0").rstrip(",")


# --------------------------------------------------------------------------------------------------- tables
def plankosten_tabellen(peildatum: dt.date | str | None = None, bijlage: str | None = None, versie: str | None = None) -> dict[str, Any]:
    """The tables of the version in force (tariffs, tabel 1 rows, tabel 2, factors, tabel 7/8, articles) with their
    sources, for ``opengrex plankosten tabellen`` and the API."""
    ps = versie_op(versie) if versie else load_plankosten_parameters(peildatum)
    names = [bijlage] if bijlage else list(ps.bijlagen)
    out: dict[str, Any] = {
        "versie": ps.geldig_vanaf.isoformat(), "methode": ps.methode, "document": ps.metadata.reference.title,
        "href": ps.metadata.reference.href, "spiegel": ps.metadata.reference.spiegel,
        "tarieven": {"bron": ps.tarieven.bron, "rijen": [t.model_dump() for t in ps.tarieven.groepen]},
        "artikelen": ps.artikelen.model_dump(mode="json"),
        "interpretaties": [x.model_dump() for x in ps.interpretaties], "bijlagen": {},
    }
    for name in names:
        bij = ps.bijlage(name)
        out["bijlagen"][name] = {
            "titel": bij.titel,
            "tabel_1": [{"id": r.id, "product": r.product, "onderdeel": r.onderdeel, "rekenwijze": _rekenwijze(r), "tariefgroep": " en ".join(r.tariefgroepen) or None,
                         "factor": r.factor if isinstance(r.factor, str) else ", ".join(r.factor), "bron": f"tabel 1, {r.bron}"} for r in bij.tabel_1],
            "tabel_2": bij.tabel_2.model_dump(), "factoren": bij.factoren.model_dump(), "civiel": bij.civiel.model_dump(),
            "ophogen": bij.ophogen.model_dump(), "tabel_8": bij.tabel_8.model_dump() if bij.tabel_8 else None,
            "scenario": bij.scenario.model_dump() if bij.scenario else None,
            "tabellen_2026": {k: v.model_dump() for k, v in (bij.tabellen_2026 or {}).items()},
        }
    return out


def _rekenwijze(r) -> str:
    if r.soort == "uren":
        return f"{number(r.uren, 2)} uur per {GRONDSLAG_LABELS.get(r.grondslag, (r.grondslag, ''))[0]}"
    if r.soort == "percentage_grondslag":
        return f"{number(r.percentage, 2)}% van {GRONDSLAG_LABELS.get(r.grondslag, (r.grondslag, ''))[0]}"
    if r.soort == "percentage_uren":
        return f"{number(r.percentage, 2)}% van de uren van {', '.join(r.van)}" + (f" × {GRONDSLAG_LABELS.get(r.grondslag, (r.grondslag, ''))[0]}" if r.grondslag else "")
    if r.soort == "minimum_uren":
        return f"aanvulling tot {number(r.minimum_uren, 0)} uur over {', '.join(r.van)}"
    if r.soort == "bedrag":
        return f"{eur(r.bedrag)} per {GRONDSLAG_LABELS.get(r.grondslag, (r.grondslag, ''))[0]}" + (f", minimum {eur(r.minimum)}" if r.minimum else "")
    if r.soort == "euro_uit":
        return f"bedrag uit tabel ({GRONDSLAG_LABELS.get(r.euro_uit, (r.euro_uit, ''))[0]})" + (f", minimum {eur(r.minimum)}" if r.minimum else "")
    return f"{number(r.percentage, 2)}% van het bedrag van {', '.join(r.van_bedrag)}" + (f", minimum {eur(r.minimum)}" if r.minimum else "")


def product_codes() -> list[dict[str, str]]:
    """Every product code of every version and annex (for the template's reference sheet and the form)."""
    from opengrex.parameters.plankosten import load_plankosten_file, plankosten_versies

    out = []
    for day, path in plankosten_versies().items():
        ps = load_plankosten_file(path)
        for name, bij in ps.bijlagen.items():
            for code, prod in bij.producten.items():
                out.append({"versie": day.isoformat(), "bijlage": name, "product": code, "naam": prod.naam})
    return out


# --------------------------------------------------------------------------------------------------- kostenverhaal link
@dataclass(frozen=True)
class PlankostenToets:
    """A municipality's own plankosten estimate tested against the statutory maximum (Soest nota: 'De kosten worden
    gemaximeerd door de plankostenscan'). ``verhaalbaar`` = min(raming, maximum) [EUR]."""

    raming: float
    maximum: float
    verhaalbaar: float
    overschrijdt: bool
    toelichting: str
    bron: str
    versie: str
    waarschuwingen: tuple[str, ...] = ()

    @property
    def niet_verhaalbaar(self) -> float:
        """The part of the estimate above the maximum (0 when within it) [EUR]."""
        return max(self.raming - self.maximum, 0.0)

    def to_dict(self) -> dict[str, Any]:
        return {"raming": self.raming, "maximum": self.maximum, "verhaalbaar": self.verhaalbaar, "niet_verhaalbaar": self.niet_verhaalbaar,
                "overschrijdt": self.overschrijdt, "toelichting": self.toelichting, "bron": self.bron, "versie": self.versie,
                "waarschuwingen": list(self.waarschuwingen)}


def scan_from_bron(bron: dict[str, Any] | str | Path | PlankostenscanBron | PlankostenPlan | PlankostenResult, base_dir: str | Path | None = None,
                   peildatum: dt.date | None = None) -> PlankostenResult:
    """A scan result from what a kostenverhaal case links: ``{"bestand": pad}`` (relative to ``base_dir``, the case
    file's folder), ``{"inline": {plan}}``, a path, a plan or a result. ``peildatum`` (the case's) chooses the
    version of the tables for a scan that states no peildatum of its own."""
    if isinstance(bron, PlankostenResult):
        return bron
    if isinstance(bron, PlankostenPlan):
        return calculate_plankosten(bron)
    if isinstance(bron, PlankostenscanBron):
        errs = bron.check()
        if errs:
            raise InputErrors(errs)
        bron = bron.model_dump(exclude_none=True)
    if isinstance(bron, (str, Path)):
        p = Path(bron)
        return calculate_plankosten(load_plankosten(p if p.is_absolute() or base_dir is None else Path(base_dir) / p, peildatum))
    if not isinstance(bron, dict) or (("bestand" in bron) == ("inline" in bron)) or set(bron) - {"bestand", "inline"}:
        raise InputError("geef precies één van 'bestand' en 'inline'", field="plankostenscan", value=None,
                         allowed="plankostenscan: {bestand: plankosten.yaml} of {inline: {plankostenscan}}")
    if "bestand" in bron:
        return scan_from_bron(str(bron["bestand"]), base_dir, peildatum)
    return calculate_plankosten(plankosten_from_dict(bron["inline"], "plankostenscan.inline", peildatum))


def toets_plankostenscan(raming: float, scan: dict[str, Any] | str | Path | PlankostenscanBron | PlankostenPlan | PlankostenResult, *,
                         base_dir: str | Path | None = None, peildatum: dt.date | None = None) -> PlankostenToets:
    """Test the gemeente's A1 plankosten estimate (``raming``, EUR) of a kostenverhaal case against the maximum of the
    linked scan: the case uses the lower amount (:func:`opengrex.engine.kostenverhaal.plankosten_begrensd`) and the
    A5 table's explanation says why (issue #15 point 3). ``peildatum``: see :func:`scan_from_bron`."""
    if raming is None or not np.isfinite(raming) or raming < 0:
        raise InputError("raming van de plankosten moet een bedrag >= 0 zijn", field="raming", value=raming, allowed=">= 0")
    res = scan_from_bron(scan, base_dir, peildatum)
    maximum = res.totaal
    kept = float(plankosten_begrensd(raming, maximum))
    over = kept < raming
    src = f"{res.params.bron} (art. 13.2, bijlage {res.bijlage})"
    if over:
        text = (f"Plankosten gemeente: de eigen raming ({eur(raming)}) is hoger dan het maximum volgens de plankostenscan "
                f"'{res.plan.naam}' ({eur(maximum)}, {src}); verhaald wordt ten hoogste het maximum, {eur(kept)}; "
                f"{eur(raming - maximum)} is niet verhaalbaar.")
    else:
        text = (f"Plankosten gemeente: de eigen raming ({eur(raming)}) blijft binnen het maximum volgens de plankostenscan "
                f"'{res.plan.naam}' ({eur(maximum)}, {src}); verhaald wordt de raming, {eur(kept)}.")
    return PlankostenToets(float(raming), maximum, kept, over, text, src, res.versie, tuple(res.waarschuwingen()))

