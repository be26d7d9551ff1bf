"""The typed registry of document kinds: everything the store, the REST API, the pages and the CLI need to know about
a kind of document, as direct references to its service functions (no import strings, no signature sniffing).

A new kind is its model (:mod:`opengrex.model`), its engine rules (:mod:`opengrex.engine`) and **one entry** here
(:func:`register`): the store keeps it with versions, the REST API serves it under ``/api/<kind>`` (CRUD, calculate,
exports, versions, compare, explanation), the pages list and show it (a generic page unless the kind has its own),
viewers never see its confidential fields (derived from the model: ``veld(..., vertrouwelijk=True)``).

>>> from opengrex.services.kinds import get_kind
>>> grex = get_kind("grex")
>>> model = grex.load("examples/demo-grex.yaml")
>>> result = grex.calculate(model)
>>> grex.headline(result)["ncw"]                    # the list figures, typed getters with Dutch label and unit
>>> grex.explain(result, "ncw").to_dict()           # the one Explanation type
>>> grex.exporter("xlsx").write(model)              # bytes of the workbook
"""
from __future__ import annotations

import json
import math
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

import yaml
from pydantic import BaseModel

from opengrex.engine.explain import Explanation
from opengrex.errors import InputError
from opengrex.io.documents import parse_text
from opengrex.io.xlsx_invoer import Herkomst, model_class, read_herkomst, read_invoer, relocate, workbook_bytes, write_workbook
from opengrex.model.redact import confidential_fields, redact

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Headline(Generic[R]):
    """A list figure of a kind (stored with every version, shown in lists and version comparisons)."""

    key: str
    """Key in the stored headline (``ncw``, ``exploitatiebijdrage``); stable: stored documents use it."""
    label: str
    """Dutch label, e.g. ``"NCW (BBV)"``."""
    eenheid: str
    """Unit as shown to users: ``"EUR contant"``, ``"EUR nominaal"``, ``"EUR prijspeil"``, ``"EUR"``."""
    get: Callable[[R], float | None]
    """The figure from the kind's result (``None``: not applicable to this document)."""


@dataclass(frozen=True)
class Exporter(Generic[M]):
    """A download of a document: ``write(model)`` gives the file's bytes."""

    key: str
    """URL suffix: ``/api/<kind>/<id>/export.<key>``, page ``/<kind>/<id>/download.<key>``."""
    label: str
    media_type: str
    suffix: str
    write: Callable[[M], bytes]
    stamped: Callable[[M, Herkomst], bytes] | None = None
    """The same download stamped with the document and version it is made from: a workbook whose input sheets
    (:mod:`opengrex.io.xlsx_invoer`) can be edited and uploaded back as a new version of that document."""

    def render(self, model: M, herkomst: Herkomst | None = None) -> bytes:
        """The file's bytes, stamped with ``herkomst`` when this download can be uploaded back."""
        if self.stamped is not None and herkomst is not None:
            return self.stamped(model, herkomst)
        return self.write(model)


@dataclass(frozen=True)
class Reference:
    """Where a kind's documents may refer to stored documents of another kind (:mod:`opengrex.services.references`):
    every mapping in the data holding ``key`` (a :class:`~opengrex.model.verwijzing.DocumentVerwijzing`) gets the
    referenced version of a ``kind`` document embedded under ``into`` when the document is saved; ``sync(entry,
    target)`` may copy more from the target (its BBV status) into that mapping, ``target`` being
    ``{"id", "versie", "bbv_status", "closing"}``."""

    key: str
    kind: str
    into: str
    sync: Callable[[dict[str, Any], dict[str, Any]], None] | None = None


@dataclass(frozen=True)
class DocumentKind(Generic[M, R]):
    """One kind of document: its model, how it is read, written, calculated, summarised, explained and exported.

    ``from_text`` keeps YAML line numbers in errors (default: parse, then ``from_data``). ``to_data`` is the
    canonical plain data that is stored (Dutch keys by alias; documents the model refers to by path embedded, so a
    stored document is complete). ``summary`` is the JSON-ready result of ``calculate``.
    """

    name: str
    label: str
    model: type[M]
    load: Callable[[Path], M]
    from_data: Callable[[dict[str, Any], str], M]
    to_data: Callable[[M], dict[str, Any]]
    calculate: Callable[[M], R]
    summary: Callable[[R], dict[str, Any]]
    explain: Callable[[R, str], Explanation]
    kengetallen: tuple[str, ...]
    """The figures ``explain`` knows (``JAAR``, ``GEBIED``: fill in), for help texts and errors."""
    headlines: tuple[Headline[R], ...] = ()
    exporters: tuple[Exporter[M], ...] = ()
    """Kind-specific downloads (an Excel workbook); YAML and JSON of ``to_data`` are added for every kind."""
    from_text: Callable[[str, str], M] | None = None
    listed_under: str | None = None
    """Kind whose menu item and list page also show this kind (the eindafrekening under kostenverhaal)."""
    meervoud: str | None = None
    """Label in the menu (plural), e.g. ``"Grondexploitaties"``; default: ``label``."""
    name_of: Callable[[M], str] | None = None
    """The document's name (default: the model's ``name``/``naam``)."""
    legacy_xlsx: Callable[[Path], M] | None = None
    """Reader of this kind's workbooks of an older layout (without the ``opengrex`` sheet): the kostenverhaal
    template, the programme workbook of the first version. The grex template of the first version is read by the
    generic importer itself."""
    template_model: type[BaseModel] | None = None
    """Model of the empty Excel template (default: ``model``; a union's usual member, e.g. a definitive eindafrekening)."""
    oorzaken: Callable[[M, M], dict[str, Any]] | None = None
    """The difference of the headline figures between two versions per cause (Shapley), as plain data:
    ``{"methode", "oorzaken", "kengetallen": {key: {"label", "eenheid", "a", "b", "verschil", "per_oorzaak": [...]}}}``."""
    jaartabel: Callable[[R], dict[str, Any]] | None = None
    """A table per line (or project) per year of a result, for the version comparison:
    ``{"titel", "eenheid", "jaren", "regels": [{"sleutel", "groep", "naam", "waarden"}]}``."""
    cash_flow: Callable[[R], dict[int, float]] | None = None
    """Net cash flow per year [EUR nominal] (grex, programme): stored with every version, summed in the overview."""
    references: tuple[Reference, ...] = ()
    """Where documents of this kind may refer to stored documents (a kostenverhaal party's grex)."""
    phases: tuple[str, ...] = ()
    """The kind's own lifecycle states besides actief/gearchiveerd, the first one for a new document (the grex: the BBV
    states in_voorbereiding, in_exploitatie, afgesloten; see :mod:`opengrex.services.lifecycle`)."""
    report: Callable[[M, R], list[Any]] | None = None
    """The sections of the kind's PDF report (:class:`opengrex.io.report.Sectie`) from a model and its result;
    default: headline figures, summary and the explanation of every figure (:mod:`opengrex.services.reports`)."""

    # ---------------------------------------------------------------------------------------- reading
    def validate(self, data: Any, source: str = "<invoer>") -> M:
        """Validate plain data into the model; :class:`InputError` naming the field otherwise."""
        if not isinstance(data, dict):
            raise InputError("het document moet een mapping (sleutel: waarde) zijn", location=source, value=type(data).__name__, allowed="een JSON-object / YAML-mapping")
        return self.from_data(data, source)

    def parse(self, text: str, source: str) -> M:
        """Validate YAML/JSON text (errors name the line)."""
        if self.from_text is not None:
            return self.from_text(text, source)
        data, _ = parse_text(text, source)
        return self.validate(data, source)

    def document_name(self, model: M) -> str:
        if self.name_of is not None:
            return self.name_of(model)[:300]
        for attr in ("name", "naam", "title"):
            v = getattr(model, attr, None)
            if isinstance(v, str) and v:
                return v[:300]
        return f"{self.label} zonder naam"

    # ---------------------------------------------------------------------------------------- results
    def headline(self, result: R) -> dict[str, float]:
        """The list figures of a result (finite numbers only)."""
        out: dict[str, float] = {}
        for h in self.headlines:
            v = h.get(result)
            if v is not None and not isinstance(v, bool) and math.isfinite(float(v)):
                out[h.key] = float(v)
        return out

    def headline_labels(self) -> dict[str, str]:
        return {h.key: h.label for h in self.headlines}

    def headline_units(self) -> dict[str, str]:
        return {h.key: h.eenheid for h in self.headlines}

    def yearly_cash_flow(self, result: R) -> dict[str, float] | None:
        """The cash flow per year as stored (``{"2025": -1.0e6}``, finite numbers), or ``None`` for kinds without."""
        if self.cash_flow is None:
            return None
        return {str(int(y)): float(v) for y, v in self.cash_flow(result).items() if v is not None and math.isfinite(float(v))}

    def rename(self, model: M, name: str) -> M:
        """A copy of ``model`` called ``name`` (a duplicate: "Kopie van …"); unchanged when the kind has no name
        field."""
        for attr in ("name", "naam", "title"):
            if isinstance(getattr(model, attr, None), str):
                return model.model_copy(update={attr: name[:300]})
        return model

    # ---------------------------------------------------------------------------------------- exports
    @cached_property
    def all_exporters(self) -> tuple[Exporter[M], ...]:
        """YAML, JSON and the kind's own downloads; a kind without an Excel download of its own gets the workbook of
        its input sheets (:meth:`invoer_workbook`), so every document can be edited in Excel and uploaded back."""
        own = tuple(self.exporters)
        if not any(e.key == "xlsx" for e in own):
            own += (Exporter("xlsx", "Excel (invoer)", XLSX, ".xlsx", lambda m: self.invoer_workbook(m), lambda m, h: self.invoer_workbook(m, h)),)
        return (
            Exporter("yaml", "YAML", "application/yaml; charset=utf-8", ".yaml",
                     lambda m: yaml.safe_dump(self.to_data(m), allow_unicode=True, sort_keys=False).encode("utf-8")),
            Exporter("json", "JSON", "application/json", ".json",
                     lambda m: json.dumps(self.to_data(m), ensure_ascii=False, indent=2).encode("utf-8")),
            *own,
        )

    # ---------------------------------------------------------------------------------------- Excel round trip
    def herkomst(self, model: M | None = None, *, document: int | None = None, versie: int | None = None) -> Herkomst:
        """The provenance stamped in a workbook of this kind (the stored document and version it is made from)."""
        return Herkomst(soort=self.name, model=type(model).__name__ if model is not None else "", document=document, versie=versie,
                        naam=self.document_name(model) if model is not None else "")

    def invoer_workbook(self, model: M, herkomst: Herkomst | None = None) -> bytes:
        """The document's input sheets as a workbook (labels, units and keys from the model), to edit and upload
        back; the download of a kind without an Excel export of its own."""
        h = herkomst or self.herkomst(model)
        wb, _ = write_workbook(type(model), self.to_data(model), h, titel=f"{self.label}: {self.document_name(model)}")
        return workbook_bytes(wb)

    def template(self) -> bytes:
        """The empty Excel template of this kind: the input sheets of an empty document, laid out from the model,
        with a Toelichting; read back by :meth:`read_workbook` (upload as a new document)."""
        model = self.template_model or self.model
        wb, _ = write_workbook(model, None, Herkomst(soort=self.name, model=model.__name__), titel=f"Sjabloon {self.label.lower()}")
        return workbook_bytes(wb)

    def read_workbook(self, path: Path, source: str | None = None) -> tuple[M, Herkomst | None]:
        """A workbook of this kind (a download, the template, or a workbook of an older layout) as a validated model,
        and the provenance stamped in it (``None``: not stamped). Errors name the sheet and cell."""
        source = source or Path(path).name
        herkomst = read_herkomst(path, source)
        if herkomst is None and self.legacy_xlsx is not None:
            return self.legacy_xlsx(Path(path)), None
        invoer = read_invoer(path, self.model, source=source, soort=self.name)
        model_cls = model_class(self.model, invoer.herkomst.model if invoer.herkomst else "")
        try:
            model = self.validate(invoer.data, source)
        except InputError as exc:
            raise relocate(exc, invoer.locator) from None
        if model_cls is not self.model and not isinstance(model, model_cls):
            raise InputError(f"het werkboek beschrijft een {model_cls.__name__}, de gegevens een {type(model).__name__}", location=source, field="bestand",
                             value=type(model).__name__, allowed=model_cls.__name__)
        return model, invoer.herkomst

    def exporter(self, key: str) -> Exporter[M]:
        for e in self.all_exporters:
            if e.key == key:
                return e
        raise InputError("onbekende download", field="formaat", value=key, allowed=", ".join(e.key for e in self.all_exporters))

    def has_exporter(self, key: str) -> bool:
        return any(e.key == key for e in self.all_exporters)

    # ---------------------------------------------------------------------------------------- confidentiality
    @cached_property
    def confidential(self) -> tuple[str, ...]:
        """Every confidential field of the kind, at any depth (schema paths), derived from the model."""
        return confidential_fields(self.model)

    def redact(self, data: dict[str, Any]) -> dict[str, Any]:
        """The document as a viewer may see it: every confidential value replaced by its field's default."""
        return redact(self.model, data)

    @property
    def menu_label(self) -> str:
        return self.meervoud or self.label


# -------------------------------------------------------------------------------------------------- registry
KINDS: dict[str, DocumentKind[Any, Any]] = {}
"""The registered kinds by name, in menu order."""


def register(kind: DocumentKind[Any, Any], *, replace: bool = False) -> DocumentKind[Any, Any]:
    """Add a kind (checks: a unique name, a listed_under kind that exists, confidential fields with defaults)."""
    if kind.name in KINDS and not replace:
        raise ValueError(f"documentsoort '{kind.name}' bestaat al")
    if not kind.name.isidentifier() or len(kind.name) > 32:
        raise ValueError(f"ongeldige naam van een documentsoort: {kind.name!r} (een identifier van hoogstens 32 tekens)")
    if kind.listed_under is not None and kind.listed_under not in KINDS:
        raise ValueError(f"{kind.name}: listed_under '{kind.listed_under}' is geen geregistreerde documentsoort")
    kind.confidential  # noqa: B018 - fails now, not for the first viewer, when a confidential field has no default
    KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Remove a kind (tests that register a toy kind)."""
    KINDS.pop(name, None)


def get_kind(name: str) -> DocumentKind[Any, Any]:
    """The kind called ``name``; :class:`InputError` naming the allowed kinds otherwise."""
    kind = KINDS.get(name)
    if kind is None:
        raise InputError("onbekende documentsoort", field="kind", value=name, allowed=", ".join(KINDS))
    return kind


def kinds() -> list[DocumentKind[Any, Any]]:
    return list(KINDS.values())


def related(name: str) -> list[DocumentKind[Any, Any]]:
    """The kind and the kinds listed under it."""
    return [get_kind(name)] + [k for k in KINDS.values() if k.listed_under == name]


# -------------------------------------------------------------------------------------------------- helpers
def jsonable(o: Any) -> Any:
    """Plain JSON data: numpy scalars/arrays to Python, NaN/inf to ``None``, dates to ISO, DataFrames to records."""
    import numpy as np

    if isinstance(o, float):
        return o if math.isfinite(o) else None
    if isinstance(o, (str, int, bool)) or o is None:
        return o
    if isinstance(o, dict):
        return {str(k): jsonable(v) for k, v in o.items()}
    if isinstance(o, (list, tuple, set)):
        return [jsonable(v) for v in o]
    if isinstance(o, np.generic):
        return jsonable(o.item())
    if isinstance(o, np.ndarray):
        return jsonable(o.tolist())
    if hasattr(o, "to_dict") and hasattr(o, "columns"):
        return jsonable(o.reset_index().to_dict(orient="records"))
    if hasattr(o, "model_dump"):
        return jsonable(o.model_dump(mode="json"))
    if hasattr(o, "isoformat"):
        return o.isoformat()
    return str(o)


def xlsx_bytes(write: Callable[[Any, Path], Any], obj: Any, stem: str = "document") -> bytes:
    """Run a writer that takes ``(obj, path)`` on a temporary file and return the workbook's bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{stem}.xlsx"
        write(obj, path)
        return path.read_bytes()


def _dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json")


# -------------------------------------------------------------------------------------------------- the kinds
def _register_builtin() -> None:
    from opengrex.io.xlsx_export import grex_workbook
    from opengrex.io.xlsx_programma import import_programme_xlsx
    from opengrex.model.bbv import Portefeuille
    from opengrex.model.bijdrage import BijdrageInvoer
    from opengrex.model.eindafrekening import DefinitieveEindafrekening, EindafrekeningInvoer
    from opengrex.model.grex import Grex
    from opengrex.model.kostenverhaal import Case
    from opengrex.model.plankosten import PlankostenPlan
    from opengrex.model.programma import Programme
    from opengrex.services import bijdrage, eindafrekening, grex, grex_scenarios, kostenverhaal, plankosten, portefeuille, programma

    register(DocumentKind[Grex, grex.GrexResult](
        name="grex", label="Grondexploitatie", meervoud="Grondexploitaties", model=Grex,
        load=grex.load_grex, from_data=grex.grex_from_dict, from_text=grex.grex_from_text, to_data=grex.grex_to_dict,
        calculate=grex.calculate_grex, summary=lambda r: jsonable(r.summary()),
        explain=grex.explain, kengetallen=grex.KENGETALLEN,
        headlines=(
            Headline("ncw", "NCW (BBV)", "EUR contant", lambda r: r.ncw),
            Headline("eindwaarde", "Eindwaarde", "EUR nominaal", lambda r: r.eindwaarde),
            Headline("contante_waarde", "Contante waarde kasstromen", "EUR contant", lambda r: r.contante_waarde),
            Headline("kosten_prijspeil", "Kosten (prijspeil)", "EUR prijspeil", lambda r: r.totals()["prijspeil"]["kosten"]),
            Headline("opbrengsten_prijspeil", "Opbrengsten (prijspeil)", "EUR prijspeil", lambda r: r.totals()["prijspeil"]["opbrengsten"]),
            Headline("saldo_nominaal", "Saldo nominaal", "EUR nominaal", lambda r: r.totals()["nominaal"]["saldo"]),
            Headline("boekwaarde", "Boekwaarde op de prijspeildatum", "EUR nominaal", lambda r: grex.boekwaarde_op(r.grex, r.grex.prijspeil)),
        ),
        exporters=(Exporter("xlsx", "Excel (met formules)", XLSX, ".xlsx", lambda m: grex_workbook(m), grex_workbook),),
        oorzaken=grex_scenarios.grex_causes, jaartabel=grex_scenarios.grex_year_table,
        cash_flow=lambda r: dict(zip(r.years, r.outcome.flows.tolist())),
        phases=("in_voorbereiding", "in_exploitatie", "afgesloten"),
    ))
    register(DocumentKind[Case, kostenverhaal.CaseResult](
        name="kostenverhaal", label="Kostenverhaal", model=Case,
        load=kostenverhaal.load_case, from_data=lambda d, s: kostenverhaal.case_from_dict(d, s),
        from_text=lambda t, s: kostenverhaal.case_from_text(t, s),
        to_data=lambda m: kostenverhaal.case_to_dict(m, embed=True),
        calculate=kostenverhaal.calculate_case, summary=lambda r: jsonable(r.to_dict()),
        explain=kostenverhaal.explain, kengetallen=kostenverhaal.KENGETALLEN,
        headlines=(
            Headline("exploitatiebijdrage", "Exploitatiebijdrage", "EUR", lambda r: r.exploitatiebijdrage),
            Headline("niet_verhaalbaar", "Niet verhaalbaar (macroaftopping)", "EUR", lambda r: r.macroaftopping),
            Headline("resultaat_gemeente", "Financieel resultaat gemeente", "EUR", lambda r: r.resultaat()["gemeente"]),
            Headline("resultaat_initiatiefnemer", "Financieel resultaat initiatiefnemer", "EUR", lambda r: r.resultaat()["initiatiefnemer"]),
        ),
        exporters=(Exporter("xlsx", "Excel (tabel A5 met formules)", XLSX, ".xlsx", lambda m: kostenverhaal.case_workbook(m), kostenverhaal.case_workbook),),
        legacy_xlsx=kostenverhaal.import_case_xlsx,
        references=(Reference("grex_document", "grex", "inline"),),
    ))
    register(DocumentKind[BijdrageInvoer, bijdrage.BijdrageResult](
        name="bijdrage", label="Financiële bijdrage", model=BijdrageInvoer,
        load=bijdrage.load_bijdrage_input, from_data=bijdrage.bijdrage_input_from_dict, from_text=bijdrage.bijdrage_input_from_text,
        to_data=_dump, calculate=bijdrage.calculate_bijdrage, summary=lambda r: jsonable(r.to_dict()),
        explain=bijdrage.explain, kengetallen=bijdrage.KENGETALLEN,
        headlines=(
            Headline("netto_investeringen", "Meetellende netto investeringen (tabel 1)", "EUR prijspeil", lambda r: float(r.outcome.meetellend.sum())),
            Headline("bedrag_nieuwe_plannen", "Bedrag nieuwe plannen (tabel 2)", "EUR prijspeil", lambda r: float(r.outcome.bedrag_nieuw.sum())),
        ),
        exporters=(Exporter("xlsx", "Excel (tabel 1–5 met formules)", XLSX, ".xlsx", lambda m: bijdrage.bijdrage_workbook(m), bijdrage.bijdrage_workbook),),
    ))
    register(DocumentKind[EindafrekeningInvoer, eindafrekening.EindafrekeningResult](
        name="eindafrekening", label="Eindafrekening", meervoud="Eindafrekeningen", model=EindafrekeningInvoer, listed_under="kostenverhaal",
        load=eindafrekening.load_eindafrekening, from_data=eindafrekening.eindafrekening_from_dict, from_text=eindafrekening.eindafrekening_from_text,
        to_data=_dump, calculate=eindafrekening.calculate_eindafrekening, summary=lambda r: jsonable(r.to_dict()),
        explain=eindafrekening.explain, kengetallen=eindafrekening.KENGETALLEN, template_model=DefinitieveEindafrekening,
        headlines=(
            # every settlement that is not planschade is a BijdrageAfrekeningResult (the figures below are its own)
            Headline("verschuldigd", "Verschuldigd na herberekening", "EUR", lambda r: None if r.soort == "planschade" else cast(eindafrekening.BijdrageAfrekeningResult, r).verschuldigd),
            Headline("terugbetaling", "Terugbetaling", "EUR", lambda r: None if r.soort == "planschade" else cast(eindafrekening.BijdrageAfrekeningResult, r).terugbetaling),
            Headline("rente", "Rente", "EUR", lambda r: None if r.soort == "planschade" else cast(eindafrekening.BijdrageAfrekeningResult, r).rente),
            Headline("totaal_terug", "Totaal terug", "EUR", lambda r: None if r.soort == "planschade" else r.totaal_terug),
        ),
        exporters=(Exporter("xlsx", "Excel (met formules)", XLSX, ".xlsx", lambda m: eindafrekening.eindafrekening_workbook(m), eindafrekening.eindafrekening_workbook),),
    ))
    register(DocumentKind[Programme, programma.ProgrammeResult](
        name="programma", label="Programma", meervoud="Programma's", model=Programme,
        load=programma.load_programme, from_data=programma.programme_from_dict, from_text=programma.programme_from_text,
        to_data=programma.programme_to_dict, calculate=programma.calculate_programme, summary=lambda r: jsonable(r.summary()),
        explain=programma.explain, kengetallen=programma.KENGETALLEN,
        headlines=(
            Headline("saldo_nominaal", "Resultaat nominaal (openingsboekwaarden + kasstromen)", "EUR nominaal", lambda r: r.nominaal),
            Headline("ncw", "NCW programma", "EUR contant", lambda r: r.ncw),
            Headline("rentedeel", "Rentedeel", "EUR contant", lambda r: r.rente_deel),
            Headline("badkuip", "Diepste boekwaarde (badkuip)", "EUR nominaal", lambda r: r.badkuip()["diepste_boekwaarde"]),
        ),
        legacy_xlsx=import_programme_xlsx, oorzaken=programma.programme_causes, jaartabel=programma.programme_year_table,
        cash_flow=lambda r: dict(zip(r.years, r.outcome.projects.flows.sum(axis=0).tolist())),
    ))
    register(DocumentKind[Portefeuille, Any](
        name="portefeuille", label="Portefeuille (MPG)", meervoud="Portefeuilles (MPG)", model=Portefeuille,
        load=portefeuille.load_portefeuille, from_data=portefeuille.portefeuille_from_dict, from_text=portefeuille.portefeuille_from_text,
        to_data=portefeuille.portefeuille_to_dict, calculate=portefeuille.calculate_portefeuille, summary=portefeuille.summary,
        explain=portefeuille.explain, kengetallen=portefeuille.KENGETALLEN,
        headlines=(
            Headline("boekwaarde", "Boekwaarde 31-12 (in exploitatie)", "EUR", lambda w: w.totalen()["boekwaarde"]),
            Headline("resultaat_nominaal", "Resultaat nominaal", "EUR nominaal", lambda w: w.totalen()["resultaat_nominaal"]),
            Headline("ncw", "Resultaat NCW", "EUR contant", lambda w: w.totalen()["ncw"]),
            Headline("voorziening", "Verliesvoorziening", "EUR", lambda w: w.totalen()["voorziening"]),
            Headline("winst_genomen", "Winstneming dit jaar", "EUR", lambda w: w.totalen()["winst_genomen"]),
            Headline("risico", "Benodigde weerstandscapaciteit", "EUR", lambda w: w.weerstand["benodigd"]),
            Headline("weerstandsratio", "Ratio weerstandsvermogen", "-", lambda w: w.weerstand["ratio"]),
        ),
        exporters=(
            Exporter("xlsx", "Raadsrapportage MPG, vertrouwelijk (Excel met formules)", XLSX, ".xlsx", lambda m: portefeuille.workbook(m, openbaar=False),
                     lambda m, h: portefeuille.workbook(m, openbaar=False, herkomst=h)),
            Exporter("openbaar.xlsx", "Raadsrapportage MPG, openbaar (Excel met formules)", XLSX, "-openbaar.xlsx", lambda m: portefeuille.workbook(m, openbaar=True)),
        ),
        references=(Reference("grex_document", "grex", "grex", sync=portefeuille.sync_entry),),
    ))
    register(DocumentKind[PlankostenPlan, plankosten.PlankostenResult](
        name="plankosten", label="Plankostenscan", meervoud="Plankostenscans", model=PlankostenPlan,
        load=plankosten.load_plankosten, from_data=plankosten.plankosten_from_dict, from_text=plankosten.plankosten_from_text,
        to_data=plankosten.plankosten_to_dict, calculate=plankosten.calculate_plankosten, summary=lambda r: jsonable(r.to_dict()),
        explain=plankosten.explain, kengetallen=("totaal", "product:CODE", "factor:NAAM", "rij:ID"),
        headlines=(
            Headline("totaal", "Maximaal verhaalbare plankosten", "EUR excl. btw", lambda r: r.totaal),
            Headline("vast_bedrag", "Vast bedrag (art. 13.5)", "EUR excl. btw", lambda r: r.vast_bedrag),
        ),
        exporters=(Exporter("xlsx", "Excel (met formules)", XLSX, ".xlsx", lambda m: plankosten.plankosten_workbook(m), plankosten.plankosten_workbook),),
    ))
    from opengrex.model.gebied import Gebied
    from opengrex.services import gebied

    register(DocumentKind[Gebied, gebied.GebiedResult](
        name="gebied", label="Gebiedsbegroting", meervoud="Gebieden", model=Gebied,
        load=gebied.load_gebied, from_data=gebied.gebied_from_dict, from_text=gebied.gebied_from_text,
        to_data=lambda m: gebied.gebied_to_dict(m, embed=True), calculate=gebied.calculate_stored, summary=lambda r: jsonable(r.rapport()),
        explain=gebied.explain, kengetallen=("gebied", "fonds", "partij:PARTIJ", "regel:REGEL"),
        headlines=(
            Headline("gebied_nominaal", "Gebied: één portemonnee", "EUR nominaal", lambda r: r.waarde("gebied_totaal")),
            Headline("fonds_eindsaldo", "Gebiedsfonds: eindsaldo", "EUR nominaal", lambda r: r.waarde("fonds_saldo", (len(r.years) - 1,))),
            Headline("fonds_laagste_saldo", "Gebiedsfonds: laagste saldo", "EUR nominaal", lambda r: r.waarde("fonds_diepste")),
        ),
        exporters=(Exporter("xlsx", "Excel (met formules)", XLSX, ".xlsx", lambda m: gebied.gebied_workbook(m), gebied.gebied_workbook),),
    ))
    from opengrex.model.monitor import Plancapaciteit
    from opengrex.services import monitor

    register(DocumentKind[Plancapaciteit, monitor.VoortgangResult](
        name="plancapaciteit", label="Plancapaciteit", meervoud="Plancapaciteit", model=Plancapaciteit,
        load=monitor.load_plancapaciteit, from_data=monitor.plancapaciteit_from_dict, from_text=monitor.plancapaciteit_from_text,
        to_data=monitor.plancapaciteit_to_dict, calculate=monitor.calculate_plancapaciteit, summary=lambda r: jsonable(r.summary()),
        explain=monitor.explain, kengetallen=monitor.KENGETALLEN,
        headlines=(
            Headline("woningen", "Woningen in de plancapaciteit", "woningen", lambda r: float(r.per_segment.sum())),
            Headline("hard", "Harde plancapaciteit", "woningen", lambda r: float(r.totaal(("hard",))[-1])),
            Headline("aandeel_betaalbaar", "Aandeel betaalbaar", "%", lambda r: r.aandeel_betaalbaar),
            Headline("aandeel_sociale_huur", "Aandeel sociale huur", "%", lambda r: r.aandeel_sociale_huur),
            Headline("doel", "Woningbouwdoel van het gebied", "woningen", lambda r: None if r.doel is None else r.doel.waarde),
            Headline("tekort", "Tekort op het doel (alle plannen tot en met het doeljaar)", "woningen", lambda r: r.tekort()),
        ),
        legacy_xlsx=lambda p: monitor.pijplijn_document(p),
    ))
    from dataclasses import replace

    for name in ("grex", "kostenverhaal", "bijdrage", "eindafrekening", "programma", "portefeuille", "gebied"):  # report hooks (services.reports.BUILTIN)
        KINDS[name] = replace(KINDS[name], report=_builtin_report(name))


def _builtin_report(name: str) -> Callable[[Any, Any], list[Any]]:
    def hook(model: Any, result: Any) -> list[Any]:
        from opengrex.services.reports import BUILTIN  # imported when a report is made: reports imports this module

        return BUILTIN[name](model, result)

    return hook


_register_builtin()


__all__ = ["DocumentKind", "Exporter", "Headline", "KINDS", "Reference", "XLSX", "get_kind", "jsonable", "kinds", "register", "related", "unregister", "xlsx_bytes"]
