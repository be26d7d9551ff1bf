"""Kostenverhaal cases: load, validate, compile, calculate, explain (the functions the CLI, web app and tests call).

>>> from opengrex.services.kostenverhaal import load_case, calculate_case, explain
>>> result = calculate_case(load_case("examples/kostenverhaal/voorbeeld-1.yaml"))
>>> result.exploitatiebijdrage                 # float [EUR]
>>> result.a5_table()                          # rows of the appendix A5 table
>>> result.volgordelijkheid()                  # per category: verhaald / niet verhaald, and why
>>> explain(result, "exploitatiebijdrage")     # Explanation: rule, source, inputs, parameters
>>> result.to_dict()                           # everything as plain data (``--json``)

Thin orchestration: load → validate (model, then against the parameterset) → resolve the documents the case refers
to (a party's grex, the bijdrage input of §4.1) → ``Case.compile`` → :func:`opengrex.engine.kostenverhaal.case_arrays`
and :func:`~opengrex.engine.kostenverhaal.calculate` → :class:`CaseResult` with tables and explanations. The rules
live in the engine.

A case records the parameterset name and peildatum it is computed under; :func:`calculate_case` loads exactly
that version (:func:`opengrex.parameters.load_parameter_set`), so an old case gives the same result after a newer
version of the set has been added.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

import numpy as np

from opengrex.codes import natural_key
from opengrex.codes.segmenten import SEGMENTEN
from opengrex.engine import kostenverhaal as rules
from opengrex.engine.explain import Explanation, Input, ParameterUse, explanation
from opengrex.engine.kostenverhaal import A5_COLUMNS, A5_ROWS, CATEGORIES, PARTIJEN, POSTEN, CaseArrays, CaseOutcome, CasePosten, CaseTussenstappen
from opengrex.errors import InputError, InputErrors
from opengrex.formatting import eur, number, procent
from opengrex.io.documents import Locator, build_model, check_file_reference, parse_text, read_document
from opengrex.io.xlsx_case import read_case_xlsx
from opengrex.model.base import error, path_text
from opengrex.model.kostenverhaal import Case, FysiekTarieven, GrexBron, KostenRegel, Regel, check_zonder_tijdvak
from opengrex.model.plankosten import PlankostenscanBron
from opengrex.parameters import ParameterSet, load_parameter_set
from opengrex.parameters.plankosten import load_plankosten_parameters
from opengrex.services import plankosten as plk
from opengrex.services.bijdrage import bijdrage_input_from_dict, calculate_bijdrage, load_bijdrage_input, rates_for_plan
from opengrex.services.grex import calculate_grex, grex_from_dict, grex_to_dict, load_grex
from opengrex.services.verklaring import onbekend_kengetal, uit_set

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
    locator: Locator
    if p.suffix.lower() == ".xlsx":
        data, locator = read_case_xlsx(p)
    else:
        data, locator = read_document(p)
    return _validated(data, locator, p.parent)


def import_case_xlsx(path: str | Path) -> Case:
    """Read a filled Excel template (:func:`opengrex.io.xlsx_case.write_case_template`) into a validated case.

    The same validation as :func:`load_case` (model, domain checks, checks against the parameterset); raises
    :class:`~opengrex.errors.InputError` / :class:`~opengrex.errors.InputErrors` naming file, sheet, cell, field,
    value and what is allowed. Relative file references are relative to the workbook's folder."""
    p = Path(path)
    if p.suffix.lower() != ".xlsx":
        raise InputError("onbekend bestandstype", location=str(p), value=p.suffix, allowed=".xlsx (Excel-sjabloon kostenverhaal)")
    return load_case(p)


def case_workbook(case: Case, herkomst: Any = None) -> bytes:
    """The Excel download of a case (registry exporter): tabel A5, the cap and the volgordelijkheid as live formulas
    on the case's input sheets (:func:`opengrex.io.xlsx_kostenverhaal.case_workbook_bytes`), with the case as stored
    (documents it refers to embedded), so the workbook can be uploaded back as a new version."""
    from opengrex.io.xlsx_kostenverhaal import case_workbook_bytes

    return case_workbook_bytes(calculate_case(case), case_to_dict(case, embed=True), herkomst)


def case_from_dict(data: dict[str, Any], source: str = "<invoer>", base_dir: str | Path | None = None) -> Case:
    """Validate a case given as plain data (e.g. parsed JSON from the API)."""
    return _validated(data, Locator(source), Path(base_dir) if base_dir else Path("."))


def case_from_text(text: str, source: str = "<invoer>.yaml", base_dir: str | Path | None = None) -> Case:
    """Validate a case given as YAML or JSON text."""
    data, locator = parse_text(text, source)
    return _validated(data, locator, Path(base_dir) if base_dir else Path("."))


def _validated(data: Any, locator: Locator, base_dir: Path) -> Case:
    case = build_model(Case, data, locator, Case.check)
    _check_against_parameters(case, locator, base_dir)
    _resolve_paths(case, base_dir)
    case._base_dir = base_dir
    return case


def _resolve_paths(case: Case, base_dir: Path) -> None:
    """Make file references (a party's ``grex.bestand``, ``berekening``) absolute, relative to the case file's
    folder, so that a case stored as a document (``case_to_dict``) still finds them."""
    for party in PARTIJEN:
        g = getattr(case, party).grex
        if g is not None and g.bestand is not None and not Path(g.bestand).is_absolute():
            g.bestand = str((base_dir / g.bestand).resolve())
    fb = case.financiele_bijdrage_fysieke_leefomgeving
    if fb is not None and isinstance(fb.berekening, str) and not Path(fb.berekening).is_absolute():
        fb.berekening = str((base_dir / fb.berekening).resolve())
    link = case.plankostenscan_regel()
    if link is not None and link[1].plankostenscan is not None:
        bron = link[1].plankostenscan
        if bron.bestand is not None and not Path(bron.bestand).is_absolute():
            bron.bestand = str((base_dir / bron.bestand).resolve())


def case_to_dict(case: Case, embed: bool = False) -> dict[str, Any]:
    """A case as plain data, ready for YAML/JSON (round-trips through :func:`case_from_dict`).

    ``embed=True`` inlines the documents the case refers to by path (a party's grex, the bijdrage input of the
    financiële bijdrage fysieke leefomgeving), so the data is complete on any machine (same results)."""
    d = case.as_data()
    if embed:
        base_dir = getattr(case, "_base_dir", Path("."))
        for party in PARTIJEN:
            g = getattr(case, party).grex
            if g is not None and g.bestand is not None:
                d[party]["grex"] = {"inline": grex_to_dict(load_grex(_path(g.bestand, base_dir))), "basis": g.basis}
        fb = case.financiele_bijdrage_fysieke_leefomgeving
        if fb is not None and isinstance(fb.berekening, str):
            invoer = load_bijdrage_input(_path(fb.berekening, base_dir))
            d["financiele_bijdrage_fysieke_leefomgeving"]["berekening"] = invoer.model_dump(mode="json", exclude_none=True)
        link = case.plankostenscan_regel()
        if link is not None and link[1].plankostenscan is not None and link[1].plankostenscan.bestand is not None:
            d["gemeente"]["kosten"][link[0]]["plankostenscan"] = {"inline": _scan_document(_path(link[1].plankostenscan.bestand, base_dir), case.peildatum)}
    return d


def _scan_document(path: Path, peildatum: dt.date) -> dict[str, Any]:
    """A plankostenscan file as the plain data to embed in the case: validated (with the case's peildatum when the
    scan states none) and written with its Dutch keys; a scan without a peildatum of its own stays without one, so
    the embedded scan keeps following the case's peildatum."""
    if path.suffix.lower() == ".xlsx":
        from opengrex.io.xlsx_plankosten import read_plankosten_xlsx

        raw, _ = read_plankosten_xlsx(path)
    else:
        raw, _ = read_document(path)
    out = plk.plankosten_to_dict(plk.load_plankosten(path, peildatum))
    if not isinstance(raw, dict) or raw.get("peildatum") is None:
        out.pop("peildatum", None)
    return out


def _path(p: str, base_dir: Path) -> Path:
    return Path(p) if Path(p).is_absolute() else base_dir / p


def _check_against_parameters(case: Case, locator: Locator, base_dir: Path) -> None:
    """Checks that need the parameterset (:meth:`Case.check_parameters`) or a referenced document (embedded
    bijdrage input, a party's grex), and the euro amounts per kavel against the costs to recover."""
    try:
        ps = load_parameter_set(case.parameterset, case.peildatum)
    except InputError as exc:
        path = ("parameterset",) if exc.field == "parameterset" else ("peildatum",)
        raise InputErrors([error(path, exc.message, exc.value, exc.allowed)]) from None
    errs = case.check_parameters(ps)
    fb = case.financiele_bijdrage_fysieke_leefomgeving
    if fb is not None and isinstance(fb.berekening, dict):
        try:
            bijdrage_input_from_dict(fb.berekening, source="financiele_bijdrage_fysieke_leefomgeving.berekening")
        except InputError as exc:
            errs.extend(error(("financiele_bijdrage_fysieke_leefomgeving", "berekening"), f"ingebedde bijdrage-invoer: {e.message}", e.value, e.allowed)
                        for e in (exc.errors if isinstance(exc, InputErrors) else [exc]))
    elif fb is not None and isinstance(fb.berekening, str):
        check_file_reference(fb.berekening, "financiele_bijdrage_fysieke_leefomgeving.berekening")  # not from the web
        if not _path(fb.berekening, base_dir).is_file():
            errs.append(error(("financiele_bijdrage_fysieke_leefomgeving", "berekening"), "bestand niet gevonden", fb.berekening, "pad naar een bijdrage-invoer (YAML/JSON), relatief aan het geval"))
    for party in PARTIJEN:
        g = getattr(case, party).grex
        if g is not None:
            try:
                _grex_partij(g, base_dir, case.tijdvak, party)
            except InputError as exc:
                exc.location = exc.location or locator.where((party, "grex"))
                errs.append(exc)
    link = case.plankostenscan_regel()
    if link is not None:
        errs += _check_plankostenscan(case, *link, base_dir)
    if not errs and case.tijdvak == "zonder" and case.kavels and all(k.bedrag is not None for k in case.kavels):
        errs += _check_kavel_bedragen(case, ps, base_dir)
    if errs:
        for e in errs:
            if e.path is not None:
                e.location = locator.where(e.path)
                e.args = (e._text(),)
        raise InputErrors(errs)


def _check_kavel_bedragen(case: Case, ps: ParameterSet, base_dir: Path) -> list[InputError]:
    """Euro amounts per kavel must add up to the costs to recover (regeling kostenverhaal: the gemeente's deficit
    plus the bovenwijkse voorzieningen), or to those costs limited by the kostenplafond."""
    arrays = compile_case(case, ps, base_dir).arrays
    saldo_gem = arrays.opbrengsten_gem + arrays.subsidies_gem - arrays.kosten_gem
    kosten = float(rules.te_verhalen(saldo_gem, arrays.bovenwijks, 0.0, 0.0)[0, :2].sum())
    begrensd = min(kosten, float(case.kostenplafond if case.kostenplafond is not None else np.inf))
    som = sum(float(k.bedrag or 0.0) for k in case.kavels)
    if min(abs(som - kosten), abs(som - begrensd)) <= 0.005:
        return []
    allowed = f"som = {eur(kosten, 2)} (te verhalen kosten)" + (f" of {eur(begrensd, 2)} (begrensd door het kostenplafond)" if begrensd < kosten else "")
    return [error(("kavels",), f"de bedragen van de kavels tellen op tot {eur(som, 2)}, niet tot de te verhalen kosten", round(som, 2), allowed)]


# --------------------------------------------------------------------------------------------------- plankostenscan
def _scan_path(index: int) -> tuple[Any, ...]:
    return ("gemeente", "kosten", index, "plankostenscan")


def _load_scan(case: Case, index: int, bron: PlankostenscanBron, base_dir: Path) -> plk.PlankostenResult:
    """The linked scan, calculated: a file (not when the case came from the web) or the scan inline; the case's
    peildatum chooses the version of the tables unless the scan states its own peildatum or versie."""
    link = path_text(_scan_path(index))
    if bron.bestand is not None:
        check_file_reference(bron.bestand, f"{link}.bestand")  # a document from the web names no server file
        return plk.calculate_plankosten(plk.load_plankosten(_path(bron.bestand, base_dir), case.peildatum))
    return plk.calculate_plankosten(plk.plankosten_from_dict(bron.inline or {}, f"{link}.inline", case.peildatum))


def _check_plankostenscan(case: Case, index: int, regel: KostenRegel, base_dir: Path) -> list[InputError]:
    """The linked scan can be read and calculated, and is for the same kind of kostenverhaal as the case (bijlage
    XXXIV met tijdvak, XXXIVa zonder tijdvak; art. 13.2 lid 1 Omgevingsregeling). Errors name the case's field."""
    bron = regel.plankostenscan
    path = _scan_path(index)
    if bron is None or bron.check(path):
        return []  # reported by Case.check
    key = "bestand" if bron.bestand is not None else "inline"
    if bron.bestand is not None:
        try:
            check_file_reference(bron.bestand, path_text(path + ("bestand",)))
        except InputError as exc:
            return [error(path + ("bestand",), exc.message, exc.value, exc.allowed)]
        if not _path(bron.bestand, base_dir).is_file():
            return [error(path + ("bestand",), "plankostenscan: bestand niet gevonden", bron.bestand,
                          "pad naar een plankostenscan (.yaml, .json of .xlsx), relatief aan het geval")]
    try:
        scan = _load_scan(case, index, bron, base_dir)
    except InputError as exc:
        out = []
        for e in exc.errors if isinstance(exc, InputErrors) else [exc]:
            if key == "inline":
                field = path_text(path + ("inline",)) + (f".{e.field}" if e.field else "")
                out.append(InputError(f"ingebedde plankostenscan: {e.message}", field=field, value=e.value, allowed=e.allowed, path=path + ("inline",)))
            else:
                bestand = e.location or str(bron.bestand)
                inner = f"veld '{e.field}': " if e.field else ""
                out.append(InputError(f"de plankostenscan is ongeldig ({bestand}): {inner}{e.message}", field=path_text(path + ("bestand",)),
                                      value=e.value, allowed=e.allowed, path=path + ("bestand",)))
        return out
    if scan.plan.tijdvak != case.tijdvak:
        where = path + (("inline", "tijdvak") if key == "inline" else ("bestand",))
        return [error(where, f"de plankostenscan '{scan.plan.naam}' rekent met bijlage {scan.bijlage} (kostenverhaal {scan.plan.tijdvak} tijdvak); "
                      f"het geval is kostenverhaal {case.tijdvak} tijdvak (art. 13.2 lid 1 Omgevingsregeling: met tijdvak bijlage XXXIV, zonder tijdvak XXXIVa)",
                      scan.plan.tijdvak, f"een plankostenscan met tijdvak: {case.tijdvak}")]
    return []


@dataclass(frozen=True)
class GekoppeldeScan:
    """The plankostenscan linked to the gemeente's A1 line (``index`` in ``gemeente.kosten``) and its test."""

    index: int
    result: plk.PlankostenResult
    toets: plk.PlankostenToets
    herkomst: str
    versie_keuze: str

    def to_dict(self) -> dict[str, Any]:
        """What the case result shows: estimate, maximum, the amount recovered, whether and by how much the estimate
        exceeds the maximum, the sentence for the A5 table, the scan and the version of its tables."""
        t, r = self.toets, self.result
        return {
            "regel": f"gemeente.kosten[{self.index}]", "raming": t.raming, "maximum": t.maximum, "verhaalbaar": t.verhaalbaar,
            "overschrijdt": t.overschrijdt, "overschrijding": t.niet_verhaalbaar, "toelichting": t.toelichting,
            "scan": {"naam": r.plan.naam, "herkomst": self.herkomst, "bijlage": r.bijlage, "tijdvak": r.plan.tijdvak,
                     "peildatum": r.plan.peildatum.isoformat(), "versie": r.versie, "versie_keuze": self.versie_keuze, "bron": r.bron,
                     "producten": r.producten()},
            "waarschuwingen": list(t.waarschuwingen),
        }


def plankostenscan_result(case: Case, base_dir: Path | None = None) -> plk.PlankostenResult | None:
    """The plankostenscan linked to the case (calculated under the version of its tables in force), or None."""
    link = case.plankostenscan_regel()
    if link is None or link[1].plankostenscan is None:
        return None
    return _load_scan(case, link[0], link[1].plankostenscan, base_dir if base_dir is not None else getattr(case, "_base_dir", Path(".")))


def _gekoppelde_scan(case: Case, base_dir: Path) -> GekoppeldeScan | None:
    link = case.plankostenscan_regel()
    res = plankostenscan_result(case, base_dir)
    if link is None or res is None:
        return None
    bron = link[1].plankostenscan
    herkomst = f"bestand {Path(bron.bestand).name}" if bron is not None and bron.bestand is not None else "ingebed in het geval"
    if res.plan.versie is not None:
        keuze = f"de versie die de scan zelf noemt ({res.plan.versie.isoformat()})"
    elif res.plan.peildatum != case.peildatum:
        keuze = f"de eigen peildatum van de scan ({res.plan.peildatum.isoformat()})"
    else:
        keuze = f"de peildatum van het geval ({case.peildatum.isoformat()})"
    return GekoppeldeScan(link[0], res, plk.toets_plankostenscan(float(link[1].bedrag), res), herkomst, keuze)


@dataclass(frozen=True)
class GrexPartij:
    """A party's lines taken from a grex, on the chosen basis."""

    naam: str
    basis: str
    eenheid: str
    regels: list[Regel]


def _grex_partij(g: GrexBron, base_dir: Path, tijdvak: str, party: str) -> GrexPartij:
    """Costs per kostensoort, opbrengsten and subsidies of a grex, on the chosen basis [EUR, positive]."""
    if g.bestand is not None:
        check_file_reference(g.bestand, f"{party}.grex.bestand")  # a document from the web names no server file
        grex = load_grex(_path(g.bestand, base_dir))
    else:
        grex = grex_from_dict(g.inline or {}, source=f"{party}.grex.inline")
    tab = calculate_grex(grex).per_kostensoort_totals()
    regels: list[Regel] = []
    for key, row in tab.iterrows():
        soort, code, oms = cast(tuple[str, str, str], key)  # the (soort, code, omschrijving) index
        v = float(row[g.basis])
        if soort == "kosten":
            if tijdvak == "zonder":
                errs = check_zonder_tijdvak(code, (party, "grex", "kosten"))
                if errs:
                    raise errs[0]
            regels.append(Regel("kosten", code, oms, -v))
        else:
            regels.append(Regel("subsidies" if code in ("subsidie", "bijdrage") else "opbrengsten", None, oms, v))
    units = {"contante_waarde": f"EUR contant per {grex.ncw_date.isoformat()}", "nominaal": "EUR nominaal", "prijspeil": f"EUR prijspeil {grex.prijspeil.isoformat()}"}[g.basis]
    return GrexPartij(grex.name, g.basis, units, regels)


def _fysiek_uit_zes_stappen(berekening: str | dict[str, Any], base_dir: Path, area: str) -> tuple[FysiekTarieven, str]:
    """Rates from the six-step calculation of §4.1 (:mod:`opengrex.services.bijdrage`) of every area containing
    the plan (stap 6), and where they come from. ``berekening``: a bijdrage input file, or the input inline."""
    if isinstance(berekening, dict):
        invoer = bijdrage_input_from_dict(berekening, source="financiele_bijdrage_fysieke_leefomgeving.berekening")
        where = f"de ingebedde bijdrage-invoer '{invoer.naam}'"
    else:
        invoer = load_bijdrage_input(_path(berekening, base_dir))
        where = berekening
    rates = rates_for_plan(calculate_bijdrage(invoer), area).iloc[:-1]
    tarief = np.array([[float(r[s]) if s in r else 0.0 for s in SEGMENTEN] for _, r in rates.iterrows()]).reshape(len(rates), len(SEGMENTEN))
    return FysiekTarieven(tuple(str(g) for g in rates["gebied"]), tarief), where


# --------------------------------------------------------------------------------------------------- compile
@dataclass
class CaseInputs:
    """The case compiled to engine arrays, with the intermediate tables that explain each amount."""

    parameters: ParameterSet
    gebieden: list[str]
    partijen: dict[str, dict[str, Any]]
    bovenwijks: list[dict[str, Any]]
    fysiek: dict[str, Any]
    woningvoorraad: dict[str, Any]
    kavels: list[dict[str, Any]]
    arrays: CaseArrays
    posten: CasePosten | None = None
    tussenstappen: CaseTussenstappen | None = None
    plankostenscan: GekoppeldeScan | None = None
    """The plankostenscan linked to the gemeente's A1 line and its test (None: no scan linked)."""


def compile_case(case: Case, ps: ParameterSet | None = None, base_dir: Path | None = None) -> CaseInputs:
    """Turn a validated case into engine arrays (batch of one) plus explanation tables: resolve the referenced
    documents, ``Case.compile``, then :func:`opengrex.engine.kostenverhaal.case_arrays`."""
    ps = ps if ps is not None else load_parameter_set(case.parameterset, case.peildatum)
    base_dir = base_dir if base_dir is not None else getattr(case, "_base_dir", Path("."))
    regels: dict[str, list[Regel]] = {}
    herkomst: dict[str, dict[str, Any]] = {}
    for party in PARTIJEN:
        g = getattr(case, party).grex
        if g is not None:
            gp = _grex_partij(g, base_dir, case.tijdvak, party)
            regels[party] = gp.regels
            herkomst[party] = {"naam": gp.naam, "basis": gp.basis, "eenheid": gp.eenheid, "bron": "grex"}
        else:
            regels[party] = getattr(case, party).regels()
            herkomst[party] = {"bron": "invoer"}
    fb = case.financiele_bijdrage_fysieke_leefomgeving
    tarieven = case.tarieven_per_gebied(ps)
    fysiek_herkomst = "tarieven per woning per segment, opgeteld over elk gebied waarin het plan ligt (§4.1 stap 6)"
    if fb is not None and fb.berekening is not None:
        tarieven, where = _fysiek_uit_zes_stappen(fb.berekening, base_dir, ps.area(case.gebied).naam)
        fysiek_herkomst = f"berekend in zes stappen (§4.1) uit {where}, opgeteld over elk gebied waarin het plan ligt"
    scan = _gekoppelde_scan(case, base_dir)
    if scan is not None:  # the estimate stays the line's input; the engine caps it at the scan's maximum
        regels["gemeente"][scan.index] = replace(regels["gemeente"][scan.index], maximum=scan.toets.maximum)
    posten = case.compile(ps, regels, tarieven)
    arrays, steps = rules.case_arrays(posten)
    homes = case.programma.homes()

    partijen: dict[str, dict[str, Any]] = {}
    offset = 0
    for pi, party in enumerate(PARTIJEN):
        d = dict(herkomst[party])
        bedrag = steps.bedrag[0, offset:offset + len(regels[party])] if steps.bedrag is not None else [r.bedrag for r in regels[party]]
        offset += len(regels[party])
        for k in POSTEN:
            d[k] = [{**({"kostensoort": r.kostensoort} if k == "kosten" else {}), "omschrijving": r.omschrijving, "bedrag": float(b),
                     **({"raming": r.bedrag, "maximum_plankostenscan": r.maximum} if np.isfinite(r.maximum) else {})}
                    for r, b in zip(regels[party], bedrag) if r.post == k]
        for ki, k in enumerate(POSTEN):
            d[f"totaal_{k}"] = float(steps.partij_totalen[0, pi, ki])
        d["waarvan_planschade"] = float(steps.planschade[0, pi])
        partijen[party] = d

    total_homes = sum(homes.values())
    bovenwijks = []
    for i, b in enumerate(case.bovenwijkse_voorzieningen):
        plan = b.woningen_plan if b.woningen_plan is not None else total_homes
        how = "gegeven" if b.aandeel is not None else f"afgeleid: {plan} woningen van dit plan / {b.woningen_totaal} woningen met profijt"
        bovenwijks.append({"naam": b.naam, "kostensoort": b.kostensoort, "investering": float(b.bedrag), "aandeel": float(steps.ptp_aandeel[0, i]),
                           "aandeel_herkomst": how, "toegerekend": float(steps.toegerekend[0, i])})

    fysiek: dict[str, Any] = {"bedrag": float(steps.fysiek[0]), "herkomst": "niet van toepassing", "per_gebied": []}
    if fb is not None and fb.bedrag is not None:
        fysiek["herkomst"] = "gegeven bedrag"
    elif tarieven is not None:
        per_area = []
        for ai, a in enumerate(tarieven.gebieden):
            rows = [{"segment": s, "woningen": homes[s], "tarief": float(tarieven.tarief[ai, si]), "bijdrage": float(steps.fysiek_per_gebied[0, ai, si])}
                    for si, s in enumerate(SEGMENTEN)]
            per_area.append({"gebied": a, "regels": rows, "totaal": float(steps.fysiek_per_gebied[0, ai].sum())})
        fysiek.update({"herkomst": fysiek_herkomst, "per_gebied": per_area})

    return CaseInputs(ps, [a.naam for a in ps.areas_containing(case.gebied)], partijen, bovenwijks, fysiek,
                      _woningvoorraad_tabel(case, ps, posten, steps), _kavel_tabel(case, steps), arrays, posten, steps, scan)


def _woningvoorraad_tabel(case: Case, ps: ParameterSet, p: CasePosten, steps: CaseTussenstappen) -> dict[str, Any]:
    wv = case.financiele_bijdrage_woningvoorraad
    if wv is None or not bool(p.wv_toegepast[0]):
        return {"bedrag": 0.0, "toegepast": False}
    norm_area, groups = ps.norm_for(case.gebied)  # type: ignore[misc]
    gw = {s: float(steps.grondwaarde[0, si]) for si, s in enumerate(SEGMENTEN)}
    if wv.grondwaarde is not None:
        gw_how = "gegeven grondwaarde per woning"
    else:
        btw = float(p.btw[0])
        gw_how = "WOZ / (1 + btw) × grondquote: " + "; ".join(
            f"{s}: {eur(float(p.woz[0, si]))} / {number(1 + btw, 2)} × {procent(float(p.grondquote[0, si]))} = {eur(gw[s], 2)}" for si, s in enumerate(SEGMENTEN))
    amount = float(steps.woningvoorraad[0])
    return {
        "toegepast": True,
        "norm_gebied": ps.area(norm_area).naam,
        "norm_bron": ps.source_of(f"doelgroepen_norm.{norm_area}").text(),
        "grondwaarde_per_woning": gw,
        "grondwaarde_herkomst": gw_how,
        "groepen": [
            {"segmenten": "+".join(g.segmenten), "norm_aandeel": g.aandeel, "norm_aantal": float(steps.norm[0, i]), "gerealiseerd": float(steps.gerealiseerd[0, i]),
             "verschil": float(steps.verschil[0, i]), "grondwaarde_per_woning": float(steps.grondwaarde_groep[0, i]),
             "bedrag": float(steps.verschil[0, i] * steps.grondwaarde_groep[0, i])}
            for i, g in enumerate(groups)
        ],
        "bedrag": amount,
        "bijdrage": max(amount, 0.0),
        "ontvangst_uit_fonds": max(-amount, 0.0),
    }


def _kavel_tabel(case: Case, steps: CaseTussenstappen) -> list[dict[str, Any]]:
    if case.tijdvak != "zonder":
        return []
    return [{"naam": k.naam, "aandeel": float(steps.kavel_aandeel[0, i]), **({"bedrag": float(k.bedrag)} if k.bedrag is not None else {}),
             "waarde_voor": float(k.waarde_voor), "waarde_na": float(k.waarde_na)} for i, k in enumerate(case.kavels)]


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

    @property
    def plankostenscan(self) -> GekoppeldeScan | None:
        """The plankostenscan linked to the gemeente's A1 line and the test of its estimate (None: none linked)."""
        return self.inputs.plankostenscan

    def a5_toelichting(self) -> list[str]:
        """The explanation printed under the A5 table: how the gemeente's plankosten were tested against the
        plankostenscan (whether the estimate exceeds the maximum, by how much, what is recovered)."""
        pk = self.plankostenscan
        if pk is None:
            return []
        t, res = pk.toets, pk.result
        lines = [t.toelichting]
        lines.append(f"De plankostenscan '{res.plan.naam}' ({pk.herkomst}) rekent met {res.bron}, versie {res.versie}, gekozen op {pk.versie_keuze}.")
        if t.overschrijdt:
            lines.append(f"In tabel A5 tellen de plankosten van de gemeente (kostensoort A1) daarom mee voor {eur(t.verhaalbaar)} in plaats van "
                         f"{eur(t.raming)}; de overschrijding van {eur(t.niet_verhaalbaar)} kan niet worden verhaald en komt ten laste van de "
                         "algemene middelen van de gemeente (zij staat niet in de tabel en niet in het financieel resultaat).")
        return lines

    def plankostenscan_dict(self) -> dict[str, Any] | None:
        """:attr:`plankostenscan` as plain data (``to_dict()["plankostenscan"]``)."""
        return None if self.plankostenscan is None else self.plankostenscan.to_dict()

    def kosten_per_kostensoort(self) -> list[dict[str, Any]]:
        """Investeringen gebiedseigen kosten per kostensoort (one row per code, both parties), in code order (A1, A2,
        …, A10): the detail rows above the A5 subtotal. The description lists the parties' own descriptions once."""
        out: dict[str, dict[str, Any]] = {}
        for party in PARTIJEN:
            for k in self.inputs.partijen[party]["kosten"]:
                row = out.setdefault(k["kostensoort"], {"kostensoort": k["kostensoort"], "omschrijving": "", "initiatiefnemer": 0.0, "gemeente": 0.0})
                if k["omschrijving"] and k["omschrijving"] not in row["omschrijving"].split("; "):
                    row["omschrijving"] = f"{row['omschrijving']}; {k['omschrijving']}" if row["omschrijving"] else k["omschrijving"]
                row[party] += k["bedrag"]
        rows = [out[code] for code in sorted(out, key=natural_key)]
        for r in rows:
            r["totaal"] = r["initiatiefnemer"] + r["gemeente"]
        return rows

    def reden(self, i: int) -> str:
        """Why category ``i`` (in the order of volgordelijkheid) is (not) recovered, in words with the figures."""
        o = self.outcome
        code = rules.REDENEN[int(o.reden[0, i])]
        room = float(o.room_before[0, i])
        zonder_kv = self.case.tijdvak == "zonder" and i < 2
        if i == 3 and float(o.ontvangst_fonds[0]) > 0:
            return f"het plan bouwt meer goedkope woningen dan de norm vraagt: vordering op het fonds van {eur(float(o.ontvangst_fonds[0]))}"
        if code == "niets_te_verhalen":
            return "niets te verhalen in deze categorie"
        if code == "volledig":
            return "volledig verhaald: de ruimte onder de aftopping was voldoende"
        if code in ("geen_ruimte", "opgebruikt") and zonder_kv:
            return "niet verhaald: kostenplafond of waardevermeerdering per kavel laat geen ruimte"
        if code == "geen_ruimte":
            if self.case.tijdvak == "zonder":
                return "niet verhaald: de waardevermeerdering van de kavels laat geen ruimte (ook niet voor eerdere categorieën)"
            return "niet verhaald: de macroaftopping laat geen ruimte" + ("" if i == 0 else " (ook niet voor eerdere categorieën)")
        if code == "opgebruikt":
            return "niet verhaald: de ruimte onder de aftopping is opgebruikt door eerdere categorieën"
        if zonder_kv:
            return f"deels verhaald: kostenplafond en waardevermeerdering per kavel lieten na eerdere categorieën nog {eur(room)} ruimte"
        if i == 0:
            return f"deels verhaald: de macroaftopping laat {eur(room)} ruimte"
        return f"deels verhaald: na eerdere categorieën was er nog {eur(room)} ruimte onder de aftopping"

    def volgordelijkheid(self) -> list[dict[str, Any]]:
        """Per category in the order of volgordelijkheid: te verhalen, ruimte onder de aftopping, verhaald, niet
        verhaald, and why (rule 2)."""
        o = self.outcome
        out = []
        for i, c in enumerate(CATEGORIES):
            d, room, rec, unrec = (float(x[0, i]) for x in (o.demands, o.room_before, o.recovered, o.unrecovered))
            out.append({"volgorde": i + 1, "categorie": c, "omschrijving": CATEGORY_LABELS[c], "te_verhalen": d, "ruimte_voor": room,
                        "verhaald": rec, "niet_verhaald": unrec, "reden": self.reden(i)})
        return out

    def explain_cap(self) -> list[str]:
        """How the cap was derived, in words with the figures (macroaftopping or zonder tijdvak)."""
        o = self.outcome
        maximum = explain(self, "verhaalbaar_maximum")
        if self.case.tijdvak == "met":
            lines = ["Macroaftopping (art. 13.14 Omgevingswet / art. 6.16 Wro; nota §2.1.3): ten hoogste verhaalbaar = "
                     "opbrengsten + subsidies en bijdrages − kosten initiatiefnemer, niet lager dan € 0:"]
        else:
            lines = ["Kostenverhaal zonder tijdvak (Ow art. 13.14 lid 2; Ob art. 8.18): de kosten worden begrensd door het kostenplafond "
                     f"({eur(float(self.case.kostenplafond or 0))}) en per kavel door de waardevermeerdering (waarde na − waarde voor)."]
        lines += [f"  {t}" for t in maximum.toelichting]
        how = "min(maximum, te verhalen)" if self.case.tijdvak == "met" else "som van de bijdragen per kavel (+ financiële bijdragen uit de resterende waardevermeerdering)"
        lines.append(
            f"Te verhalen door de gemeente: {eur(float(o.demands[0].sum()))}. Exploitatiebijdrage = {how} = {eur(self.exploitatiebijdrage)}; "
            f"niet verhaalbaar (ten laste van de algemene middelen): {eur(self.macroaftopping)}."
        )
        lines.append("Volgordelijkheid (nota §2.1.3, bijlage A2.3): eerst de regeling kostenverhaal (gebiedseigen kosten, dan bovenwijkse voorzieningen), daarna de financiële bijdragen, elk alleen uit wat de aftopping overlaat.")
        return lines

    def resultaat(self) -> dict[str, float]:
        """Financieel resultaat per party (rule 3) [EUR]."""
        r = self.row("Financieel resultaat")
        return {"initiatiefnemer": r["initiatiefnemer"], "gemeente": r["gemeente"], "totaal": r["totaal"]}  # type: ignore[dict-item]

    def explain(self, kengetal: str) -> Explanation:
        """:func:`explain` of this result."""
        return explain(self, kengetal)

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
            "a5_toelichting": self.a5_toelichting(),
            "plankostenscan": self.plankostenscan_dict(),
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
    for party in PARTIJEN:
        d = inputs.partijen[party]
        if d["bron"] == "grex":
            notes.append(f"Bedragen {party} uit grex '{d['naam']}' als {d['basis'].replace('_', ' ')} ({d['eenheid']}).")
    pk = inputs.plankostenscan
    if pk is not None:
        try:
            in_force = load_plankosten_parameters(case.peildatum).geldig_vanaf.isoformat()
        except InputError:
            in_force = None
        if in_force != pk.result.versie:
            notes.append(f"De plankostenscan rekent met de tabellen van versie {pk.result.versie} ({pk.versie_keuze}); "
                         f"op de peildatum van het geval ({case.peildatum.isoformat()}) gold " + (f"versie {in_force}." if in_force else "geen versie."))
        notes.extend(f"Plankostenscan: {w}" for w in pk.toets.waarschuwingen)
    if inputs.woningvoorraad.get("ontvangst_uit_fonds", 0) > 0:
        notes.append("Het plan bouwt meer goedkope woningen dan de doelgroepen norm vraagt; de vordering op het fonds staat los van de exploitatiebijdrage en is niet in het financieel resultaat opgenomen.")
    return CaseResult(case=case, inputs=inputs, outcome=outcome, notes=notes)


# --------------------------------------------------------------------------------------------------- explain
KENGETALLEN: tuple[str, ...] = (
    "verhaalbaar_maximum", "macroaftopping", "exploitatiebijdrage", "plankosten", *CATEGORIES,
    "financieel_resultaat:initiatiefnemer", "financieel_resultaat:gemeente",
)
"""The figures :func:`explain` explains: the cap, the amount not recoverable (A5 row 'Macroaftopping'), the
exploitatiebijdrage, the gemeente's plankosten (A1, capped by a linked plankostenscan), what is recovered of each
category of the volgordelijkheid, the financieel resultaat per party."""


def explain(result: CaseResult, kengetal: str) -> Explanation:
    """Why figure ``kengetal`` (one of :data:`KENGETALLEN`) of a case has its value: rule and source, inputs,
    parameters with their source and peildatum, and the explanations of the figures it is built from."""
    if kengetal == "verhaalbaar_maximum":
        return _maximum(result)
    if kengetal == "macroaftopping":
        return _niet_verhaalbaar(result)
    if kengetal == "exploitatiebijdrage":
        return _exploitatiebijdrage(result)
    if kengetal == "plankosten":
        return _plankosten(result)
    if kengetal in CATEGORIES:
        return _categorie(result, CATEGORIES.index(kengetal))
    naam, _, partij = kengetal.partition(":")
    if naam == "financieel_resultaat" and partij in PARTIJEN:
        return _resultaat(result, partij)
    raise onbekend_kengetal(kengetal, KENGETALLEN)


def _eur_in(naam: str, waarde: float) -> Input:
    return Input(naam, float(waarde), "EUR")


def _maximum(r: CaseResult) -> Explanation:
    o, p = r.outcome, r.inputs.partijen["initiatiefnemer"]
    if r.case.tijdvak == "met":
        opbr, subs, kost = p["totaal_opbrengsten"], p["totaal_subsidies"], p["totaal_kosten"]
        return explanation(
            "verhaalbaar_maximum", rules.macroaftopping, r.cap, "EUR", label="Maximum verhaalbaar (macroaftopping)",
            invoer=[_eur_in("Opbrengsten initiatiefnemer", opbr), _eur_in("Subsidies en bijdrages initiatiefnemer", subs), _eur_in("Kosten initiatiefnemer", kost)],
            toelichting=[f"{eur(opbr)} + {eur(subs)} − {eur(kost)} = {eur(opbr + subs - kost)} → maximum {eur(r.cap)}."],
        )
    kv_total = float(o.demands[0, :2].sum())
    lines = [f"Te verhalen kostenverhaal {eur(kv_total)}, begrensd door het plafond: {eur(float(o.kostenverhaal_begrensd[0]))}; totale waardevermeerdering {eur(r.cap)}."]
    for k, b, wv, sh in zip(r.inputs.kavels, o.kavel_bijdrage[0], o.kavel_waardevermeerdering[0], o.kavel_aandeel_kosten[0]):
        lines.append(f"{k['naam']}: aandeel {procent(k['aandeel'])} × plafond-begrensde kosten = {eur(float(sh))}; waardevermeerdering {eur(float(wv))}; bijdrage {eur(float(b))}.")
    return explanation(
        "verhaalbaar_maximum", rules.zonder_tijdvak_kavels, r.cap, "EUR", label="Maximum verhaalbaar (som van de waardevermeerdering per kavel)",
        invoer=[_eur_in("Kostenplafond", float(r.case.kostenplafond or 0.0)), _eur_in("Te verhalen kostenverhaal", kv_total),
                Input("Aandeel per kavel", [k["aandeel"] for k in r.inputs.kavels], "%")],
        toelichting=lines, onderdelen=[_kavel_aandelen(r)],
    )


def _plankosten(r: CaseResult) -> Explanation:
    """The gemeente's plankosten (kostensoort A1): its own estimate, at most the maximum of the linked plankostenscan
    (art. 13.2 lid 1 Omgevingsregeling), with the scan's version and its own explanation of the maximum."""
    pk = r.plankostenscan
    a1 = [k for k in r.inputs.partijen["gemeente"]["kosten"] if k.get("kostensoort") == "A1"]
    if pk is None:
        raming = sum(k["bedrag"] for k in a1)
        return explanation(
            "plankosten", rules.plankosten_begrensd, raming, "EUR", label="Plankosten gemeente (A1)",
            invoer=[_eur_in("Eigen raming plankosten gemeente (A1)", raming)],
            toelichting=[f"Geen plankostenscan gekoppeld: de eigen raming ({eur(raming)}) telt mee zonder toets aan het maximum van "
                         "art. 13.2 lid 1 Omgevingsregeling (koppel een scan met 'plankostenscan' op de A1-regel van de gemeente)."],
        )
    t, res = pk.toets, pk.result
    lines = [t.toelichting, f"Versie van de tabellen: {res.versie}, gekozen op {pk.versie_keuze}; scan {pk.herkomst}, bijlage {res.bijlage}."]
    lines.append(f"Overschrijding: {eur(t.raming)} − {eur(t.maximum)} = {eur(t.niet_verhaalbaar)} (niet verhaalbaar)." if t.overschrijdt
                 else f"De raming blijft {eur(t.maximum - t.raming)} onder het maximum.")
    return explanation(
        "plankosten", rules.plankosten_begrensd, t.verhaalbaar, "EUR", label="Plankosten gemeente (A1), begrensd door de plankostenscan",
        invoer=[_eur_in("Eigen raming plankosten gemeente (A1)", t.raming), _eur_in("Maximum volgens de plankostenscan", t.maximum)],
        parameters=[ParameterUse("Versie van de plankostentabellen (Omgevingsregeling hoofdstuk 13)", res.versie, bron=res.bron, peildatum=res.versie),
                    ParameterUse("Maximaal verhaalbare plankosten (art. 13.2 lid 1)", t.maximum, "EUR", bron=f"{res.bron}, art. 13.2 lid 1", peildatum=res.versie)],
        toelichting=lines, onderdelen=[plk.explain(res, "totaal")],
    )


def _kavel_aandelen(r: CaseResult) -> Explanation:
    kavels = r.inputs.kavels
    if r.case.kavels and r.case.kavels[0].aandeel is not None:
        how = "aandelen gegeven per kavel"
    elif r.case.kavels and r.case.kavels[0].bedrag is not None:
        total = sum(k["bedrag"] for k in kavels)
        how = "bedrag per kavel / som van de bedragen: " + "; ".join(f"{k['naam']}: {eur(k['bedrag'])} / {eur(total)} = {procent(k['aandeel'])}" for k in kavels)
    else:
        how = "oppervlakte per kavel / totale oppervlakte (m²)"
    return explanation("kavel_aandelen", rules.kavel_aandelen, [k["aandeel"] for k in kavels], "%", invoer=[Input("Kavels", [k["naam"] for k in kavels])], toelichting=[how])


def _te_verhalen(r: CaseResult, i: int) -> Explanation:
    """What the gemeente seeks to recover in category ``i``, with its own rule."""
    o, inp = r.outcome, r.inputs
    d = float(o.demands[0, i])
    c = CATEGORIES[i]
    key = f"te_verhalen:{c}"
    if c == "gebiedseigen":
        g = inp.partijen["gemeente"]
        toel = [f"max(0, {eur(g['totaal_kosten'])} − {eur(g['totaal_opbrengsten'])} − {eur(g['totaal_subsidies'])}) = {eur(d)}"]
        if g["waarvan_planschade"] > 0:
            toel.append(f"waarvan verwachte planschade {eur(g['waarvan_planschade'])} (kostensoorten van de groep planschade; afgerekend na de planschadetermijn)")
        pk = r.plankostenscan
        if pk is not None:
            toel.append(f"De kosten van de gemeente bevatten de plankosten (A1) voor {eur(pk.toets.verhaalbaar)}: de eigen raming {eur(pk.toets.raming)}, "
                        f"ten hoogste het maximum van de plankostenscan {eur(pk.toets.maximum)}.")
        return explanation(key, rules.te_verhalen, d, "EUR", label="Tekort van de gemeente op de gebiedseigen kosten",
                           invoer=[_eur_in("Kosten gemeente", g["totaal_kosten"]), _eur_in("Opbrengsten gemeente", g["totaal_opbrengsten"]),
                                   _eur_in("Subsidies gemeente", g["totaal_subsidies"])], toelichting=toel,
                           onderdelen=[_plankosten(r)] if pk is not None else [])
    if c == "bovenwijkse_voorzieningen":
        lines = [f"{b['naam']}: {eur(b['investering'])} × {procent(b['aandeel'])} ({b['aandeel_herkomst']}) = {eur(b['toegerekend'])}" for b in inp.bovenwijks]
        return explanation(key, rules.toegerekend, d, "EUR", label="Bovenwijkse voorzieningen toegerekend aan het plan (PTP)",
                           invoer=[Input("Investering per voorziening", [b["investering"] for b in inp.bovenwijks], "EUR"),
                                   Input("PTP-aandeel per voorziening", [b["aandeel"] for b in inp.bovenwijks], "%")],
                           toelichting=lines or ["geen bovenwijkse voorzieningen"])
    if c == "financiele_bijdrage_fysieke_leefomgeving":
        fys = inp.fysiek
        lines = [f"{fys['herkomst']}: {eur(fys['bedrag'])}"]
        for a in fys["per_gebied"]:
            lines.append(f"{a['gebied']}: " + " + ".join(f"{number(x['woningen'])} × {eur(x['tarief'], 2)}" for x in a["regels"]) + f" = {eur(a['totaal'], 2)}")
        return explanation(key, rules.bijdrage_fysieke_leefomgeving, d, "EUR", invoer=[Input("Woningen per segment", r.case.programma.homes(), "woningen")], toelichting=lines)
    return _woningvoorraad(r, key, d)


def _woningvoorraad(r: CaseResult, key: str, d: float) -> Explanation:
    wv = r.inputs.woningvoorraad
    if not wv.get("toegepast"):
        return explanation(key, rules.woningvoorraad_bijdrage, d, "EUR", toelichting=["niet gevraagd in dit geval"])
    ps = r.parameters
    norm_code = ps.area(wv["norm_gebied"]).code
    params = [uit_set(ps, f"doelgroepen_norm.{norm_code}", f"Doelgroepen norm {wv['norm_gebied']}", "%",
                      waarde=" − ".join(f"{g['segmenten']} {procent(g['norm_aandeel'])}" for g in wv["groepen"]))]
    case_wv = r.case.financiele_bijdrage_woningvoorraad
    if case_wv is not None and case_wv.grondwaarde is None:
        params += [uit_set(ps, f"grondquote.{s}", f"Grondquote {s}", "%") for s in SEGMENTEN] + [uit_set(ps, "btw", "Btw", "%")]
    lines = [f"{g['segmenten']}: norm {number(g['norm_aantal'])} ({procent(g['norm_aandeel'])}), gerealiseerd {number(g['gerealiseerd'])}, "
             f"verschil {number(g['verschil'])} × {eur(g['grondwaarde_per_woning'])} = {eur(g['bedrag'])}" for g in wv["groepen"]]
    lines.append(f"Grondwaarde: {wv['grondwaarde_herkomst']}; een groep van meer segmenten rekent met de grondwaarde van het duurste segment.")
    if wv["ontvangst_uit_fonds"] > 0:
        lines.append(f"Het plan bouwt meer goedkope woningen dan de norm vraagt: vordering op het fonds van {eur(wv['ontvangst_uit_fonds'])} (geen bijdrage).")
    return explanation(key, rules.woningvoorraad_bijdrage, d, "EUR", invoer=[Input("Woningen per segment", r.case.programma.homes(), "woningen"),
                       Input("Grondwaarde per woning", wv["grondwaarde_per_woning"], "EUR")], parameters=params, toelichting=lines)


def _categorie(r: CaseResult, i: int) -> Explanation:
    o = r.outcome
    c = CATEGORIES[i]
    return explanation(
        c, rules.volgordelijkheid, float(o.recovered[0, i]), "EUR", label=f"Verhaald: {CATEGORY_LABELS[c]}",
        invoer=[_eur_in("Te verhalen", float(o.demands[0, i])), _eur_in("Ruimte onder de aftopping vóór deze categorie", float(o.room_before[0, i])),
                _eur_in("Niet verhaald (algemene middelen)", float(o.unrecovered[0, i])), Input("Plaats in de volgorde", i + 1)],
        toelichting=[r.reden(i)], onderdelen=[_te_verhalen(r, i)],
    )


def _exploitatiebijdrage(r: CaseResult) -> Explanation:
    o = r.outcome
    rec = [float(x) for x in o.recovered[0]]
    pk = r.plankostenscan
    return explanation(
        "exploitatiebijdrage", rules.exploitatiebijdrage, r.exploitatiebijdrage, "EUR",
        invoer=[_eur_in(f"Verhaald: {CATEGORY_LABELS[c]}", v) for c, v in zip(CATEGORIES, rec)],
        toelichting=[*(t.strip() for t in r.explain_cap()), "Verhaald per categorie: " + " + ".join(eur(v) for v in rec) + f" = {eur(r.exploitatiebijdrage)}.",
                     *([pk.toets.toelichting] if pk is not None else [])],
        onderdelen=[_maximum(r)] + [_categorie(r, i) for i in range(len(CATEGORIES))] + ([_plankosten(r)] if pk is not None else []),
    )


def _niet_verhaalbaar(r: CaseResult) -> Explanation:
    o = r.outcome
    total = float(o.demands[0].sum())
    return explanation(
        "macroaftopping", rules.niet_verhaalbaar, r.macroaftopping, "EUR",
        invoer=[_eur_in("Te verhalen (alle categorieën)", total), _eur_in("Verhaald (exploitatiebijdrage)", r.exploitatiebijdrage)],
        toelichting=[f"{eur(total)} − {eur(r.exploitatiebijdrage)} = {eur(r.macroaftopping)}: ten laste van de algemene middelen van de gemeente."]
        + [f"{v['volgorde']}. {v['omschrijving']}: niet verhaald {eur(v['niet_verhaald'])} — {v['reden']}" for v in r.volgordelijkheid() if v["te_verhalen"] > 0],
        onderdelen=[_maximum(r)],
    )


def _resultaat(r: CaseResult, partij: str) -> Explanation:
    saldo = r.row("saldo_gebiedseigen_en_overstijgend")[partij] or 0.0
    waarde = r.resultaat()[partij]
    teken = "−" if partij == "initiatiefnemer" else "+"
    return explanation(
        f"financieel_resultaat:{partij}", rules.financieel_resultaat, waarde, "EUR", label=f"Financieel resultaat {partij}",
        invoer=[_eur_in("Saldo gebiedseigen & gebiedsoverstijgend", saldo), _eur_in("Exploitatiebijdrage", r.exploitatiebijdrage)],
        toelichting=[f"{eur(saldo)} {teken} {eur(r.exploitatiebijdrage)} = {eur(waarde)}"],
        onderdelen=[_exploitatiebijdrage(r)],
    )


__all__ = [
    "CATEGORY_LABELS", "KENGETALLEN", "CaseInputs", "CaseResult", "GekoppeldeScan", "calculate_case", "case_from_dict", "case_from_text",
    "case_to_dict", "compile_case", "explain", "import_case_xlsx", "load_case", "plankostenscan_result",
]
