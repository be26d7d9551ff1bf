"""Kostenverhaal cases: load, validate, calculate, explain (the functions the CLI, web app and tests call).

>>> from opengrex.services.kostenverhaal import load_case, calculate_case
>>> result = calculate_case(load_case("examples/kostenverhaal/voorbeeld-1.yaml"))
>>> result.exploitatiebijdrage                 # float [EUR]
>>> result.a5_table()                          # rows of the appendix A5 table
>>> result.volgordelijkheid()                  # per category: verhaald / niet verhaald, and why
>>> result.to_dict()                           # everything as plain data (``--json``)

A case records the parameterset name and peildatum it is computed under; :func:`calculate_case` loads exactly
that version (:func:`opengrex.parameters.load_parameter_set`), so an old case gives the same result after a newer
version of the set has been added.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from opengrex.codes import get_kostensoort
from opengrex.engine import kostenverhaal as rules
from opengrex.engine.kostenverhaal import A5_COLUMNS, A5_ROWS, CATEGORIES, CaseArrays, CaseOutcome
from opengrex.errors import InputError, InputErrors
from opengrex.formatting import eur, pct
from opengrex.io.documents import Locator, build_model, parse_text, read_document, check_file_reference
from opengrex.model.base import error
from opengrex.model.kostenverhaal import SEGMENTEN, Case, _check_zonder_tijdvak
from opengrex.parameters import ParameterSet, load_parameter_set

SPEC = "shared/spec/kostenverhaal.md"
NOTA = "Nota Kostenverhaal gemeente Soest 2023"

CATEGORY_LABELS: dict[str, str] = {
    "gebiedseigen": "Gebiedseigen kosten gemeente (regeling kostenverhaal)",
    "bovenwijkse_voorzieningen": "Bovenwijkse voorzieningen (regeling kostenverhaal, PTP)",
    "financiele_bijdrage_fysieke_leefomgeving": "Financiële bijdrage fysieke leefomgeving",
    "financiele_bijdrage_woningvoorraad": "Financiële bijdrage evenwichtige woningvoorraad",
}


# --------------------------------------------------------------------------------------------------- loading
def load_case(path: str | Path) -> Case:
    """Read and validate a case from a YAML/JSON file (errors name file, line, field and value), or from the Excel
    template (``.xlsx``, :mod:`opengrex.io.xlsx_case`; errors name sheet and cell)."""
    p = Path(path)
    if p.suffix.lower() == ".xlsx":
        from opengrex.io.xlsx_case import read_case_xlsx

        data, locator = read_case_xlsx(p)
    else:
        data, locator = read_document(p)
    case = build_model(Case, data, locator, Case.check)
    _check_against_parameters(case, locator, p.parent)
    _resolve_paths(case, p.parent)
    case._base_dir = p.parent
    return case


def case_from_dict(data: dict[str, Any], source: str = "<invoer>", base_dir: str | Path | None = None) -> Case:
    """Validate a case given as plain data (e.g. parsed JSON from the API)."""
    locator = Locator(source)
    case = build_model(Case, data, locator, Case.check)
    _check_against_parameters(case, locator, Path(base_dir) if base_dir else Path("."))
    _resolve_paths(case, Path(base_dir) if base_dir else Path("."))
    case._base_dir = Path(base_dir) if base_dir else Path(".")
    return case


def case_from_text(text: str, source: str = "<invoer>.yaml", base_dir: str | Path | None = None) -> Case:
    """Validate a case given as YAML or JSON text."""
    data, locator = parse_text(text, source)
    case = build_model(Case, data, locator, Case.check)
    _check_against_parameters(case, locator, Path(base_dir) if base_dir else Path("."))
    _resolve_paths(case, Path(base_dir) if base_dir else Path("."))
    case._base_dir = Path(base_dir) if base_dir else Path(".")
    return case


def _resolve_paths(case: Case, base_dir: Path) -> None:
    """Make file references (a party's ``grex.bestand``, ``berekening``) absolute, relative to the case file's
    folder, so that a case stored as a document (``case_to_dict``) still finds them."""
    for party in ("initiatiefnemer", "gemeente"):
        g = getattr(case, party).grex
        if g is not None and g.bestand is not None and not Path(g.bestand).is_absolute():
            g.bestand = str((base_dir / g.bestand).resolve())
    fb = case.financiele_bijdrage_fysieke_leefomgeving
    if fb is not None and isinstance(fb.berekening, str) and not Path(fb.berekening).is_absolute():
        fb.berekening = str((base_dir / fb.berekening).resolve())


def case_to_dict(case: Case, embed: bool = False) -> dict[str, Any]:
    """A case as plain data, ready for YAML/JSON (round-trips through :func:`case_from_dict`).

    ``embed=True`` inlines the documents the case refers to by path (a party's grex, the bijdrage input of the
    financiële bijdrage fysieke leefomgeving), so the data is complete on any machine (same results)."""
    d = case.model_dump(mode="json", exclude_none=True)
    if embed:
        from opengrex.services.bijdrage import load_bijdrage_input
        from opengrex.services.grex import grex_to_dict, load_grex

        base_dir = getattr(case, "_base_dir", Path("."))
        for party in ("initiatiefnemer", "gemeente"):
            g = getattr(case, party).grex
            if g is not None and g.bestand is not None:
                d[party]["grex"] = {"inline": grex_to_dict(load_grex(_path(g.bestand, base_dir))), "basis": g.basis}
        fb = case.financiele_bijdrage_fysieke_leefomgeving
        if fb is not None and isinstance(fb.berekening, str):
            invoer = load_bijdrage_input(_path(fb.berekening, base_dir))
            d["financiele_bijdrage_fysieke_leefomgeving"]["berekening"] = invoer.model_dump(mode="json", exclude_none=True)
    return d


def _path(p: str, base_dir: Path) -> Path:
    return Path(p) if Path(p).is_absolute() else base_dir / p


def _check_against_parameters(case: Case, locator: Locator, base_dir: Path) -> None:
    """Checks that need the parameterset: the set and peildatum exist, the area is known, rates are for areas that
    contain the plan, a norm exists when the woningvoorraad bijdrage is asked, grondwaarde can be derived."""
    errs: list[InputError] = []
    try:
        ps = load_parameter_set(case.parameterset, case.peildatum)
    except InputError as exc:
        path = ("parameterset",) if exc.field == "parameterset" else ("peildatum",)
        raise InputErrors([error(path, exc.message, exc.value, exc.allowed)]) from None
    if not case.gebied.strip():
        errs.append(error(("gebied",), "het plan ligt in geen gebied", case.gebied, ", ".join(a.naam for a in ps.areas())))
    else:
        try:
            containing = ps.areas_containing(case.gebied)
        except InputError as exc:
            errs.append(error(("gebied",), exc.message, exc.value, exc.allowed))
            containing = None
        if containing is not None:
            fb = case.financiele_bijdrage_fysieke_leefomgeving
            codes = {a.code for a in containing}
            for area in (fb.tarieven or {}) if fb else {}:
                try:
                    a = ps.area(area)
                except InputError as exc:
                    errs.append(error(("financiele_bijdrage_fysieke_leefomgeving", "tarieven", area), exc.message, area, exc.allowed))
                    continue
                if a.code not in codes:
                    errs.append(error(("financiele_bijdrage_fysieke_leefomgeving", "tarieven", area), f"het plan ligt niet in gebied '{a.naam}'", area, ", ".join(x.naam for x in containing)))
            if case.financiele_bijdrage_woningvoorraad is not None:
                if ps.norm_for(case.gebied) is None:
                    errs.append(error(("financiele_bijdrage_woningvoorraad",), f"geen doelgroepen norm voor gebied '{case.gebied}' in parameterset {ps.label}", case.gebied, ", ".join(ps.doelgroepen_norm)))
                wv = case.financiele_bijdrage_woningvoorraad
                src = wv.grondwaarde or wv.woz
                if src is None and ps.gemiddelde_woz is None:
                    errs.append(error(("financiele_bijdrage_woningvoorraad",), "grondwaarde of woz per segment ontbreekt (en de parameterset heeft geen gemiddelde_woz)", None, "grondwaarde: {sociaal, midden, duur} of woz: {sociaal, midden, duur}"))
                elif src is not None and set(src) != set(SEGMENTEN):
                    f = "grondwaarde" if wv.grondwaarde else "woz"
                    errs.append(error(("financiele_bijdrage_woningvoorraad", f), "geef een waarde voor elk segment", sorted(src), ", ".join(SEGMENTEN)))
    for i, b in enumerate(case.bovenwijkse_voorzieningen):
        if b.woningen_totaal is not None:
            plan = b.woningen_plan if b.woningen_plan is not None else sum(case.programma.homes().values())
            if b.woningen_totaal <= 0 or plan >= b.woningen_totaal:
                errs.append(error(("bovenwijkse_voorzieningen", i, "woningen_totaal"), "afgeleid PTP-aandeel moet kleiner zijn dan 100% (anders is de voorziening gebiedseigen)", f"{plan}/{b.woningen_totaal}", "woningen_totaal groter dan de woningen van dit plan"))
    fb = case.financiele_bijdrage_fysieke_leefomgeving
    if fb is not None and isinstance(fb.berekening, dict):
        from opengrex.services.bijdrage import bijdrage_input_from_dict

        try:
            bijdrage_input_from_dict(fb.berekening, source="financiele_bijdrage_fysieke_leefomgeving.berekening")
        except InputErrors as exc:
            errs.extend(error(("financiele_bijdrage_fysieke_leefomgeving", "berekening"), f"ingebedde bijdrage-invoer: {e.message}", e.value, e.allowed) for e in exc.errors)
        except InputError as exc:
            errs.append(error(("financiele_bijdrage_fysieke_leefomgeving", "berekening"), f"ingebedde bijdrage-invoer: {exc.message}", exc.value, exc.allowed))
    elif fb is not None and fb.berekening is not None:
        check_file_reference(fb.berekening, "financiele_bijdrage_fysieke_leefomgeving.berekening")  # not from the web
        bp = Path(fb.berekening)
        if not (bp if bp.is_absolute() else base_dir / bp).is_file():
            errs.append(error(("financiele_bijdrage_fysieke_leefomgeving", "berekening"), "bestand niet gevonden", fb.berekening, "pad naar een bijdrage-invoer (YAML/JSON), relatief aan het geval"))
    for party in ("initiatiefnemer", "gemeente"):
        g = getattr(case, party).grex
        if g is not None:
            try:
                _grex_amounts(g, base_dir, case.tijdvak, party)
            except InputError as exc:
                exc.location = exc.location or locator.where((party, "grex"))
                errs.append(exc)
    if errs:
        for e in errs:
            if e.path is not None:
                e.location = locator.where(e.path)
                e.args = (e._text(),)
        raise InputErrors(errs)


def _grex_amounts(g, base_dir: Path, tijdvak: str, party: str) -> dict[str, Any]:
    """Costs per kostensoort, opbrengsten and subsidies of a grex, on the chosen basis [EUR, positive]."""
    from opengrex.services.grex import calculate_grex, grex_from_dict, load_grex

    if g.bestand is not None:
        check_file_reference(g.bestand, f"{party}.grex.bestand")  # a document from the web names no server file
        p = Path(g.bestand)
        grex = load_grex(p if p.is_absolute() else base_dir / p)
    else:
        grex = grex_from_dict(g.inline, source=f"{party}.grex.inline")
    res = calculate_grex(grex)
    tab = res.per_kostensoort_totals()
    kosten, opbr, subs = [], [], []
    for (soort, code, oms), row in tab.iterrows():
        v = float(row[g.basis])
        if soort == "kosten":
            if tijdvak == "zonder":
                errs = _check_zonder_tijdvak(code, (party, "grex", "kosten"))
                if errs:
                    raise errs[0]
            kosten.append({"kostensoort": code, "omschrijving": oms, "bedrag": -v})
        elif code in ("subsidie", "bijdrage"):
            subs.append({"omschrijving": oms, "bedrag": v})
        else:
            opbr.append({"omschrijving": oms, "bedrag": v})
    units = {"contante_waarde": f"EUR contant per {grex.ncw_date.isoformat()}", "nominaal": "EUR nominaal", "prijspeil": f"EUR prijspeil {grex.prijspeil.isoformat()}"}[g.basis]
    return {"naam": grex.name, "basis": g.basis, "eenheid": units, "kosten": kosten, "opbrengsten": opbr, "subsidies": subs}


# --------------------------------------------------------------------------------------------------- compile
@dataclass
class CaseInputs:
    """The case turned into amounts, with the intermediate tables that explain each amount."""

    parameters: ParameterSet
    gebieden: list[str]
    partijen: dict[str, dict[str, Any]]
    bovenwijks: list[dict[str, Any]]
    fysiek: dict[str, Any]
    woningvoorraad: dict[str, Any]
    kavels: list[dict[str, Any]]
    arrays: CaseArrays


def compile_case(case: Case) -> CaseInputs:
    """Turn a validated case into engine arrays (batch of one) plus explanation tables."""
    ps = load_parameter_set(case.parameterset, case.peildatum)
    base_dir = getattr(case, "_base_dir", Path("."))
    containing = ps.areas_containing(case.gebied)
    homes = case.programma.homes()
    total_homes = sum(homes.values())

    partijen: dict[str, dict[str, Any]] = {}
    for party in ("initiatiefnemer", "gemeente"):
        p = getattr(case, party)
        if p.grex is not None:
            d = _grex_amounts(p.grex, base_dir, case.tijdvak, party)
            d["bron"] = "grex"
        else:
            d = {
                "bron": "invoer",
                "kosten": [{"kostensoort": get_kostensoort(k.kostensoort).code, "omschrijving": k.omschrijving or get_kostensoort(k.kostensoort).kort, "bedrag": float(k.bedrag)} for k in p.kosten],
                "opbrengsten": [{"omschrijving": r.omschrijving, "bedrag": float(r.bedrag)} for r in p.opbrengsten],
                "subsidies": [{"omschrijving": r.omschrijving, "bedrag": float(r.bedrag)} for r in p.subsidies],
            }
        d["totaal_kosten"] = sum(x["bedrag"] for x in d["kosten"])
        d["totaal_opbrengsten"] = sum(x["bedrag"] for x in d["opbrengsten"])
        d["totaal_subsidies"] = sum(x["bedrag"] for x in d["subsidies"])
        d["waarvan_planschade"] = sum(x["bedrag"] for x in d["kosten"] if x["kostensoort"] in ("A11", "6.2.4n"))
        partijen[party] = d

    bovenwijks = []
    for b in case.bovenwijkse_voorzieningen:
        if b.aandeel is not None:
            share, how = float(b.aandeel), "gegeven"
        else:
            plan = b.woningen_plan if b.woningen_plan is not None else total_homes
            share = float(rules.ptp_aandeel(plan, b.woningen_totaal))
            how = f"afgeleid: {plan} woningen van dit plan / {b.woningen_totaal} woningen met profijt"
        bovenwijks.append({"naam": b.naam, "kostensoort": b.kostensoort, "investering": float(b.bedrag), "aandeel": share, "aandeel_herkomst": how, "toegerekend": float(b.bedrag) * share})

    fb = case.financiele_bijdrage_fysieke_leefomgeving
    fysiek: dict[str, Any] = {"bedrag": 0.0, "herkomst": "niet van toepassing", "per_gebied": []}
    if fb is not None and fb.bedrag is not None:
        fysiek = {"bedrag": float(fb.bedrag), "herkomst": "gegeven bedrag", "per_gebied": []}
    elif fb is not None and fb.tarieven:
        rates = np.zeros((len(containing), len(SEGMENTEN)))
        per_area = []
        for area_key, r in fb.tarieven.items():
            a = ps.area(area_key)
            ai = [x.code for x in containing].index(a.code)
            for si, s in enumerate(SEGMENTEN):
                rates[ai, si] += float(r.get(s, 0.0))
        for ai, a in enumerate(containing):
            rows = [{"segment": s, "woningen": homes[s], "tarief": float(rates[ai, si]), "bijdrage": float(rates[ai, si] * homes[s])} for si, s in enumerate(SEGMENTEN)]
            per_area.append({"gebied": a.naam, "regels": rows, "totaal": sum(x["bijdrage"] for x in rows)})
        total = float(rules.bijdrage_fysieke_leefomgeving(rates, np.array([homes[s] for s in SEGMENTEN], dtype=float)))
        fysiek = {"bedrag": total, "herkomst": "tarieven per woning per segment, opgeteld over elk gebied waarin het plan ligt (§4.1 stap 6)", "per_gebied": per_area}
    elif fb is not None and fb.berekening is not None:
        fysiek = _fysiek_from_bijdrage(fb.berekening, base_dir, ps.area(case.gebied).naam, homes)

    woningvoorraad: dict[str, Any] = {"bedrag": 0.0, "toegepast": False}
    wv = case.financiele_bijdrage_woningvoorraad
    if wv is not None:
        norm_area, groups = ps.norm_for(case.gebied)  # type: ignore[misc]
        gq, btw = ps.grondquotes(), float(ps.value_of("btw"))
        if wv.grondwaarde is not None:
            gw = {s: float(wv.grondwaarde[s]) for s in SEGMENTEN}
            gw_how = "gegeven grondwaarde per woning"
        else:
            woz = {s: float(wv.woz[s]) for s in SEGMENTEN} if wv.woz is not None else {s: float(ps.gemiddelde_woz[s].value) for s in SEGMENTEN}  # type: ignore[index]
            gw = {s: float(rules.grondwaarde(woz[s], gq[s], btw)) for s in SEGMENTEN}
            gw_how = "WOZ / (1 + btw) × grondquote: " + "; ".join(f"{s}: {eur(woz[s])} / {1 + btw:.2f} × {pct(gq[s], 0)} = {eur(gw[s], 2)}" for s in SEGMENTEN)
        shares = np.array([g.aandeel for g in groups])
        norm = rules.norm_aantallen(total_homes, shares)
        realised = np.array([sum(homes[s] for s in g.segmenten) for g in groups], dtype=float)
        gw_group = np.array([max(gw[s] for s in g.segmenten) for g in groups])
        amount, diff = rules.woningvoorraad_bijdrage(realised, norm, gw_group)
        amount = float(amount)
        woningvoorraad = {
            "toegepast": True,
            "norm_gebied": ps.area(norm_area).naam,
            "norm_bron": ps.source_of(f"doelgroepen_norm.{norm_area}").text(),
            "grondwaarde_per_woning": gw,
            "grondwaarde_herkomst": gw_how,
            "groepen": [
                {"segmenten": "+".join(g.segmenten), "norm_aandeel": g.aandeel, "norm_aantal": float(norm[i]), "gerealiseerd": float(realised[i]), "verschil": float(diff[i]), "grondwaarde_per_woning": float(gw_group[i]), "bedrag": float(diff[i] * gw_group[i])}
                for i, g in enumerate(groups)
            ],
            "bedrag": amount,
            "bijdrage": max(amount, 0.0),
            "ontvangst_uit_fonds": max(-amount, 0.0),
        }

    kavels = []
    if case.tijdvak == "zonder":
        if all(k.aandeel is not None for k in case.kavels):
            shares_k = [float(k.aandeel) for k in case.kavels]  # type: ignore[arg-type]
        else:
            tot = sum(float(k.oppervlakte_m2 or 0.0) for k in case.kavels)
            shares_k = [float(k.oppervlakte_m2 or 0.0) / tot if tot > 0 else 1.0 / len(case.kavels) for k in case.kavels]
        kavels = [{"naam": k.naam, "aandeel": s, "waarde_voor": float(k.waarde_voor), "waarde_na": float(k.waarde_na)} for k, s in zip(case.kavels, shares_k)]

    ini, gem = partijen["initiatiefnemer"], partijen["gemeente"]
    one = lambda v: np.array([float(v)])  # noqa: E731
    kk = max(len(kavels), 1)
    arrays = CaseArrays(
        kosten_ini=one(ini["totaal_kosten"]),
        opbrengsten_ini=one(ini["totaal_opbrengsten"]),
        subsidies_ini=one(ini["totaal_subsidies"]),
        kosten_gem=one(gem["totaal_kosten"]),
        opbrengsten_gem=one(gem["totaal_opbrengsten"]),
        subsidies_gem=one(gem["totaal_subsidies"]),
        bovenwijks=one(sum(b["toegerekend"] for b in bovenwijks)),
        fb_fysiek=one(fysiek["bedrag"]),
        fb_woningvoorraad=one(woningvoorraad["bedrag"]),
        zonder=np.array([case.tijdvak == "zonder"]),
        kostenplafond=one(case.kostenplafond if case.kostenplafond is not None else np.inf),
        kavel_aandeel=np.array([[k["aandeel"] for k in kavels] or [0.0] * kk]),
        kavel_waarde_voor=np.array([[k["waarde_voor"] for k in kavels] or [0.0] * kk]),
        kavel_waarde_na=np.array([[k["waarde_na"] for k in kavels] or [0.0] * kk]),
    )
    return CaseInputs(ps, [a.naam for a in containing], partijen, bovenwijks, fysiek, woningvoorraad, kavels, arrays)


def _fysiek_from_bijdrage(path: str | dict[str, Any], base_dir: Path, area: str, homes: dict[str, int]) -> dict[str, Any]:
    """Rates from the six-step calculation of §4.1 (opengrex.services.bijdrage), summed over every area containing the
    plan (stap 6). ``path``: a bijdrage input file, or the input inline."""
    from opengrex.services.bijdrage import bijdrage_input_from_dict, calculate_bijdrage, load_bijdrage_input, plan_contribution

    if isinstance(path, dict):
        invoer = bijdrage_input_from_dict(path, source="financiele_bijdrage_fysieke_leefomgeving.berekening")
        path = f"de ingebedde bijdrage-invoer '{invoer.naam}'"
    else:
        invoer = load_bijdrage_input(_path(path, base_dir))
    res = calculate_bijdrage(invoer)
    pc = plan_contribution(res, area, {s: float(n) for s, n in homes.items()})
    per_area = [
        {"gebied": a["gebied"], "regels": [{"segment": s, "woningen": v["woningen"], "tarief": v["tarief"], "bijdrage": v["bedrag"]} for s, v in a["segmenten"].items()], "totaal": a["bedrag"]}
        for a in pc["per_gebied"]
    ]
    return {"bedrag": float(pc["totaal"]), "herkomst": f"berekend in zes stappen (§4.1) uit {path}, opgeteld over elk gebied waarin het plan ligt", "per_gebied": per_area}


# --------------------------------------------------------------------------------------------------- result
@dataclass
class CaseResult:
    """Result of one case: the A5 table, cap, volgordelijkheid per category, and every intermediate table."""

    case: Case
    inputs: CaseInputs
    outcome: CaseOutcome
    notes: list[str] = field(default_factory=list)

    @property
    def parameters(self) -> ParameterSet:
        return self.inputs.parameters

    @property
    def cap(self) -> float:
        """Macroaftopping cap (met tijdvak) or total waardevermeerdering (zonder tijdvak) [EUR]."""
        return float(self.outcome.cap[0])

    @property
    def exploitatiebijdrage(self) -> float:
        """Exploitatiebijdrage: everything recovered from the initiatiefnemer (rule 3) [EUR]."""
        return float(self.outcome.exploitatiebijdrage[0])

    @property
    def macroaftopping(self) -> float:
        """What the cap keeps the gemeente from recovering (row 'Macroaftopping' of bijlage A5) [EUR]."""
        return float(self.outcome.aftopping[0])

    @property
    def niet_verhaalbaar(self) -> float:
        return self.macroaftopping

    def row(self, name: str) -> dict[str, float | None]:
        """One row of the A5 table by its label (or a key like ``saldo_gebiedseigen``)."""
        idx = _row_index(name)
        v = self.outcome.a5[0, idx]
        return {c.lower(): (None if np.isnan(x) else float(x)) for c, x in zip(A5_COLUMNS, v)}

    def a5_table(self) -> list[dict[str, Any]]:
        """The result table in the layout of bijlage A5: rows as in the spec, columns Initiatiefnemer | Gemeente |
        Totaal [EUR; the Totaal of 'Macroaftopping' is empty (None), as in the nota]."""
        return [{"post": r, **self.row(r)} for r in A5_ROWS]

    def kosten_per_kostensoort(self) -> list[dict[str, Any]]:
        """Investeringen gebiedseigen kosten per kostensoort (one row per code, both parties), in code order (A1, A2,
        …, A10): the detail rows above the A5 subtotal. The description lists the parties' own descriptions once."""
        from opengrex.codes import natural_key

        out: dict[str, dict[str, Any]] = {}
        for party in ("initiatiefnemer", "gemeente"):
            for k in self.inputs.partijen[party]["kosten"]:
                row = out.setdefault(k["kostensoort"], {"kostensoort": k["kostensoort"], "omschrijving": "", "initiatiefnemer": 0.0, "gemeente": 0.0})
                if k["omschrijving"] and k["omschrijving"] not in row["omschrijving"].split("; "):
                    row["omschrijving"] = f"{row['omschrijving']}; {k['omschrijving']}" if row["omschrijving"] else k["omschrijving"]
                row[party] += k["bedrag"]
        rows = [out[code] for code in sorted(out, key=natural_key)]
        for r in rows:
            r["totaal"] = r["initiatiefnemer"] + r["gemeente"]
        return rows

    def volgordelijkheid(self) -> list[dict[str, Any]]:
        """Per category in the order of volgordelijkheid: te verhalen, ruimte onder de aftopping, verhaald, niet
        verhaald, and why (rule 2)."""
        o = self.outcome
        out = []
        zonder = self.case.tijdvak == "zonder"
        for i, c in enumerate(CATEGORIES):
            d, room, rec, unrec = (float(x[0, i]) for x in (o.demands, o.room_before, o.recovered, o.unrecovered))
            if d == 0:
                reason = "niets te verhalen in deze categorie"
            elif unrec <= 1e-9:
                reason = "volledig verhaald: de ruimte onder de aftopping was voldoende"
            elif rec <= 1e-9:
                reason = "niet verhaald: de ruimte onder de aftopping is opgebruikt door eerdere categorieën" if i > 0 or zonder else "niet verhaald: de macroaftopping laat geen ruimte"
                if zonder and i < 2:
                    reason = "niet verhaald: kostenplafond of waardevermeerdering per kavel laat geen ruimte"
            elif zonder and i < 2:
                reason = f"deels verhaald: kostenplafond en waardevermeerdering per kavel lieten na eerdere categorieën nog {eur(room)} ruimte"
            elif i == 0:
                reason = f"deels verhaald: de macroaftopping laat {eur(room)} ruimte"
            else:
                reason = f"deels verhaald: na eerdere categorieën was er nog {eur(room)} ruimte onder de aftopping"
            if i == 3 and float(o.ontvangst_fonds[0]) > 0:
                reason = f"het plan bouwt meer goedkope woningen dan de norm vraagt: vordering op het fonds van {eur(float(o.ontvangst_fonds[0]))}"
            out.append({"volgorde": i + 1, "categorie": c, "omschrijving": CATEGORY_LABELS[c], "te_verhalen": d, "ruimte_voor": room, "verhaald": rec, "niet_verhaald": unrec, "reden": reason})
        return out

    def explain_cap(self) -> list[str]:
        """How the cap was derived, in words with the figures (macroaftopping or zonder tijdvak)."""
        o, p = self.outcome, self.inputs.partijen["initiatiefnemer"]
        total_demand = float(o.demands[0].sum())
        if self.case.tijdvak == "met":
            lines = [
                "Macroaftopping (art. 13.14 Omgevingswet / art. 6.16 Wro; nota §2.1.3): ten hoogste verhaalbaar = "
                "opbrengsten + subsidies en bijdrages − kosten initiatiefnemer, niet lager dan € 0:",
                f"  {eur(p['totaal_opbrengsten'])} + {eur(p['totaal_subsidies'])} − {eur(p['totaal_kosten'])} = {eur(p['totaal_opbrengsten'] + p['totaal_subsidies'] - p['totaal_kosten'])} → maximum {eur(self.cap)}.",
            ]
        else:
            lines = [
                "Kostenverhaal zonder tijdvak (Ow art. 13.14 lid 2; Ob art. 8.18): de kosten worden begrensd door het kostenplafond "
                f"({eur(float(self.case.kostenplafond or 0))}) en per kavel door de waardevermeerdering (waarde na − waarde voor).",
                f"  Te verhalen kostenverhaal {eur(float(o.demands[0, :2].sum()))}, begrensd door het plafond: {eur(float(o.kostenverhaal_begrensd[0]))}; "
                f"totale waardevermeerdering {eur(self.cap)}.",
            ]
            for k, b, wv, sh in zip(self.inputs.kavels, o.kavel_bijdrage[0], o.kavel_waardevermeerdering[0], o.kavel_aandeel_kosten[0]):
                lines.append(f"  {k['naam']}: aandeel {pct(k['aandeel'])} × plafond-begrensde kosten = {eur(float(sh))}; waardevermeerdering {eur(float(wv))}; bijdrage {eur(float(b))}.")
        how = "min(maximum, te verhalen)" if self.case.tijdvak == "met" else "som van de bijdragen per kavel (+ financiële bijdragen uit de resterende waardevermeerdering)"
        lines.append(
            f"Te verhalen door de gemeente: {eur(total_demand)}. Exploitatiebijdrage = {how} = {eur(self.exploitatiebijdrage)}; "
            f"niet verhaalbaar (ten laste van de algemene middelen): {eur(self.macroaftopping)}."
        )
        lines.append("Volgordelijkheid (nota §2.1.3, bijlage A2.3): eerst de regeling kostenverhaal (gebiedseigen kosten, dan bovenwijkse voorzieningen), daarna de financiële bijdragen, elk alleen uit wat de aftopping overlaat.")
        return lines

    def resultaat(self) -> dict[str, float]:
        """Financieel resultaat per party (rule 3) [EUR]."""
        r = self.row("Financieel resultaat")
        return {"initiatiefnemer": r["initiatiefnemer"], "gemeente": r["gemeente"], "totaal": r["totaal"]}  # type: ignore[dict-item]

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain data (what ``opengrex kostenverhaal bereken --json`` prints)."""
        ps = self.parameters
        o = self.outcome
        d: dict[str, Any] = {
            "naam": self.case.naam,
            "parameterset": {"naam": ps.naam, "geldig_vanaf": ps.geldig_vanaf.isoformat(), "peildatum_case": self.case.peildatum.isoformat(), "titel": ps.titel},
            "eenheid": "EUR (bedragen zoals ingevoerd; bij een grex: zie partijen.*.eenheid)",
            "gebied": self.case.gebied,
            "gebieden_waarin_het_plan_ligt": self.inputs.gebieden,
            "tijdvak": self.case.tijdvak,
            "programma": {"woningen": self.case.programma.homes(), "overig_m2": self.case.programma.overig_m2},
            "a5": self.a5_table(),
            "kosten_per_kostensoort": self.kosten_per_kostensoort(),
            "aftopping": {"maximum": self.cap, "te_verhalen": float(o.demands[0].sum()), "niet_verhaalbaar": self.macroaftopping, "toelichting": self.explain_cap()},
            "volgordelijkheid": self.volgordelijkheid(),
            "exploitatiebijdrage": self.exploitatiebijdrage,
            "waarvan_planschade_gemeente": self.inputs.partijen["gemeente"]["waarvan_planschade"],
            "financieel_resultaat": self.resultaat(),
            "ontvangst_uit_fonds_woningvoorraad": float(o.ontvangst_fonds[0]),
            "partijen": self.inputs.partijen,
            "bovenwijkse_voorzieningen": self.inputs.bovenwijks,
            "financiele_bijdrage_fysieke_leefomgeving": self.inputs.fysiek,
            "financiele_bijdrage_woningvoorraad": self.inputs.woningvoorraad,
        }
        if self.case.tijdvak == "zonder":
            d["kavels"] = [
                {**k, "waardevermeerdering": float(wv), "aandeel_kosten": float(sh), "bijdrage": float(b), "niet_verhaald": float(sh - b)}
                for k, b, wv, sh in zip(self.inputs.kavels, o.kavel_bijdrage[0], o.kavel_waardevermeerdering[0], o.kavel_aandeel_kosten[0])
            ]
            d["kostenplafond"] = self.case.kostenplafond
        d["notities"] = self.notes
        return d


_ROW_KEYS = {
    "subtotaal_investeringen": 0, "opbrengsten": 1, "subsidies": 2, "saldo_gebiedseigen": 3, "bovenwijkse_voorzieningen": 4,
    "financiele_bijdrage_fysieke_leefomgeving": 5, "financiele_bijdrage_woningvoorraad": 6, "saldo_gebiedseigen_en_overstijgend": 7,
    "macroaftopping": 8, "exploitatiebijdrage": 9, "financieel_resultaat": 10,
}


def _row_index(name: str) -> int:
    if name in A5_ROWS:
        return A5_ROWS.index(name)
    if name in _ROW_KEYS:
        return _ROW_KEYS[name]
    raise KeyError(f"onbekende rij {name!r}; kies uit {', '.join(A5_ROWS)} of {', '.join(_ROW_KEYS)}")


def calculate_case(case: Case) -> CaseResult:
    """Calculate a validated case under its own parameterset and peildatum (rules 1–3, 5, 7, 8 of the spec)."""
    inputs = compile_case(case)
    outcome = rules.calculate(inputs.arrays)
    notes = []
    ps = inputs.parameters
    notes.append(f"Berekend met parameterset {ps.naam}, versie geldig vanaf {ps.geldig_vanaf.isoformat()} (peildatum van het geval {case.peildatum.isoformat()}).")
    for party in ("initiatiefnemer", "gemeente"):
        d = inputs.partijen[party]
        if d["bron"] == "grex":
            notes.append(f"Bedragen {party} uit grex '{d['naam']}' als {d['basis'].replace('_', ' ')} ({d['eenheid']}).")
    if inputs.woningvoorraad.get("ontvangst_uit_fonds", 0) > 0:
        notes.append("Het plan bouwt meer goedkope woningen dan de doelgroepen norm vraagt; de vordering op het fonds staat los van de exploitatiebijdrage en is niet in het financieel resultaat opgenomen.")
    return CaseResult(case=case, inputs=inputs, outcome=outcome, notes=notes)
