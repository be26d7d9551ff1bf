"""Stored documents as a service: validate and calculate (:func:`prepare`), then let the store persist
(:mod:`opengrex.store.repository`, which never validates or calculates). The web app and the CLI call these.

None of the functions commits: the caller owns the unit of work (``with db.transaction() as session:
create(session, ...)``), so a failure anywhere writes nothing. Invalid input raises
:class:`~opengrex.errors.InputError` before a row is touched.

Saving also resolves the document's references to stored documents (:mod:`opengrex.services.references`: the
referenced version is embedded), refuses a document whose status forbids edits (:mod:`opengrex.services.lifecycle`:
a closed grex, an archived document — 409 naming the status), records the action in the audit trail, and passes a new
grex version on to the documents that follow it — all in the caller's transaction.

Also here: what a viewer may see (:func:`visible`), the version comparison with the product's one diff
(:func:`compare_versions`, :mod:`opengrex.model.diff`; as a controller reads it: :func:`compare_stored`), reading an
uploaded file (:func:`read_upload`: YAML, JSON, or a workbook with the provenance stamped in it) and what it would
change before it is saved (:func:`preview_version`), the list figures of every stored document with today's engine
(:func:`refresh_headlines`) and the demo data (:func:`load_demo`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from opengrex.errors import InputError, OpengrexError
from opengrex.io.documents import parse_text, shipped_files
from opengrex.io.xlsx_invoer import Herkomst
from opengrex.io.xlsx_reader import read_uploaded_workbook, upload_name
from opengrex.model.diff import diff
from opengrex.model.fields import describe_changes
from opengrex.services import lifecycle, references
from opengrex.services.kinds import DocumentKind, get_kind
from opengrex.services.vergelijking import compare_documents
from opengrex.store import repository as repo
from opengrex.store.models import Document, Version

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
UPLOAD_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")


@dataclass
class Prepared:
    """A validated, calculated document ready to store: model, canonical data, name, result, summary, headline."""

    kind: DocumentKind[Any, Any]
    model: Any
    data: dict[str, Any]
    name: str
    result: Any
    headline: dict[str, float]
    cash_flow: dict[str, float] | None = None
    links: list[dict[str, Any]] = field(default_factory=list)

    @property
    def summary(self) -> dict[str, Any]:
        return self.kind.summary(self.result)

    @property
    def ncw(self) -> float | None:
        return self.headline.get("ncw", self.headline.get("ncw_bbv"))


def prepare(*, kind: str, data: Any = None, model: Any = None, source: str = "<invoer>", session: Session | None = None) -> Prepared:
    """Validate ``data`` (or take a validated ``model``) and calculate it: everything a save needs. With a
    ``session``, references to stored documents are resolved first (the referenced versions embedded)."""
    k = get_kind(kind)
    links: list[dict[str, Any]] = []
    if model is None:
        if session is not None and isinstance(data, dict) and references.find(k, data):
            data, _ = references.resolve(session, kind, data)
        model = k.validate(data, source)
    canonical = k.to_data(model)
    if session is not None and references.find(k, canonical):
        resolved, links = references.resolve(session, kind, canonical)
        if resolved != canonical:
            model = k.validate(resolved, source)
            canonical = k.to_data(model)
    result = k.calculate(model)
    return Prepared(kind=k, model=model, data=canonical, name=k.document_name(model), result=result, headline=k.headline(result),
                    cash_flow=k.yearly_cash_flow(result), links=links)


# ---------------------------------------------------------------------------------------------- writing
def create(
    session: Session, *, kind: str, data: Any = None, model: Any = None, author: str = "", comment: str = "", source: str = "<invoer>",
    bbv_status: str | None = None, action: str = "aanmaken", details: dict[str, Any] | None = None,
) -> Document:
    """Validate and store a new document as version 1 (flushed, not committed), with its audit entry. A kind with
    phases (the grex) starts in its first one (``in_voorbereiding``) unless ``bbv_status`` says otherwise."""
    k = get_kind(kind)
    phase = _initial_phase(k, bbv_status)
    p = prepare(kind=kind, data=data, model=model, source=source, session=session)
    return _store_new(session, p, author=author, comment=comment, bbv_status=phase, action=action, details=details)


def _initial_phase(k: DocumentKind[Any, Any], bbv_status: str | None) -> str | None:
    if not k.phases:
        if bbv_status is not None:
            raise InputError(f"een {k.label.lower()} heeft geen BBV-status", field="bbv_status", value=bbv_status, allowed="leeg")
        return None
    if bbv_status is None:
        return k.phases[0]
    allowed = k.phases[:-1]  # a new document is not afgesloten: closing books a result (lifecycle.close)
    if bbv_status not in allowed:
        raise InputError("ongeldige BBV-status voor een nieuw document", field="bbv_status", value=bbv_status, allowed=", ".join(allowed))
    return bbv_status


def _store_new(session: Session, p: Prepared, *, author: str, comment: str, bbv_status: str | None, action: str = "aanmaken",
               details: dict[str, Any] | None = None) -> Document:
    extra = dict(details or {})
    if bbv_status is not None:
        extra.setdefault("bbv_status", bbv_status)
    doc = repo.create_document(session, kind=p.kind.name, data=p.data, name=p.name, headline=p.headline, ncw=p.ncw, author=author, comment=comment,
                               bbv_status=bbv_status, cash_flow=p.cash_flow, action=action, details=extra)
    if p.links:
        repo.replace_links(session, document=doc, links=p.links)
        session.flush()
    return doc


def save_version(
    session: Session,
    *,
    document_id: int,
    data: Any = None,
    model: Any = None,
    author: str = "",
    comment: str = "",
    base_version: int | None = None,
    kind: str | None = None,
    source: str = "<invoer>",
    action: str = "nieuwe_versie",
    details: dict[str, Any] | None = None,
    propagate_to_followers: bool = True,
) -> Version:
    """Validate ``data`` and store it as the next version of the document (the previous versions stay), with its audit
    entry; then the documents that follow this one get its new version (same transaction).

    ``base_version``: the version the edit started from; if the document changed since,
    :class:`~opengrex.store.repository.ConflictError` (no lost update). A closed grex or an archived document:
    :class:`~opengrex.services.lifecycle.StatusError` (409, naming the status). The document row is locked first."""
    doc = repo.get_document(session, document_id=document_id, kind=kind, for_update=True)
    lifecycle.check_editable(doc)
    p = prepare(kind=doc.kind, data=data, model=model, source=source, session=session)
    version = repo.save_version(session, document_id=document_id, kind=kind, data=p.data, name=p.name, headline=p.headline, ncw=p.ncw,
                                author=author, comment=comment, base_version=base_version, cash_flow=p.cash_flow, action=action, details=details)
    repo.replace_links(session, document=doc, links=p.links)
    session.flush()
    if propagate_to_followers:
        report = references.propagate(session, doc, actor=author)
        if report["bijgewerkt"] or report["niet_bijgewerkt"]:
            entry = repo.list_audit(session, document_id=doc.id)[-1]
            entry.details = {**(entry.details or {}), "volgers": report}
            session.flush()
    return version


def refresh_headlines(session: Session) -> dict[str, list[str]]:
    """Recompute the list figures (headline, NCW) of every document's current version with today's engine
    (``opengrex db herbereken``).

    No new version is written: the stored inputs do not change, only the figures derived from them. Documents that
    no longer validate (or whose kind is unknown) are reported, not changed. Returns
    ``{"bijgewerkt": [...], "ongewijzigd": [...], "fout": [...]}``."""
    out: dict[str, list[str]] = {"bijgewerkt": [], "ongewijzigd": [], "fout": []}
    for doc in repo.list_documents(session, order="id"):
        label = f"{doc.kind} {doc.id} ({doc.name})"
        try:
            p = prepare(kind=doc.kind, data=doc.data, source=f"document {doc.id}")
        except OpengrexError as exc:
            out["fout"].append(f"{label}: {exc}")
            continue
        if repo.set_headline(session, document=doc, headline=p.headline, ncw=p.ncw, cash_flow=p.cash_flow):
            out["bijgewerkt"].append(label)
        else:
            out["ongewijzigd"].append(label)
    session.flush()
    return out


# ---------------------------------------------------------------------------------------------- reading
def list_documents(session: Session, *, kind: str | None = None, q: str | None = None, status: str | None = None) -> list[Document]:
    """Documents (not in the bin), newest change first; ``kind`` (checked against the registry) filters, ``q``
    searches the name, ``status`` is ``actief``, ``gearchiveerd`` or a BBV status (``in_exploitatie``, …)."""
    if kind is not None:
        get_kind(kind)
    if status is None:
        return repo.list_documents(session, kind=kind, q=q)
    if status in lifecycle.STATUSSEN:
        return repo.list_documents(session, kind=kind, q=q, status=status)
    if status in lifecycle.BBV_STATUSSEN:
        return repo.list_documents(session, kind=kind, q=q, bbv_status=status)
    raise InputError("onbekende status", field="status", value=status, allowed=", ".join(lifecycle.STATUSSEN + lifecycle.BBV_STATUSSEN))


def visible(kind: str, data: dict[str, Any], sees_confidential: bool) -> dict[str, Any]:
    """The data a user may see: every confidential field (at any depth) emptied for viewers."""
    return data if sees_confidential else get_kind(kind).redact(data)


def stored_model(session: Session, *, kind: str, document_id: int, version: int | None, sees_confidential: bool) -> tuple[Any, Document, int]:
    """The validated model of a stored document as this user may see it (current version or ``version``), the
    document and the version number shown."""
    doc = repo.get_document(session, document_id=document_id, kind=kind)
    number = doc.current_version if version is None else version
    data = repo.get_version(session, document_id=document_id, number=number).data
    return get_kind(kind).validate(visible(kind, data, sees_confidential), f"{kind} {document_id}"), doc, number


# ---------------------------------------------------------------------------------------------- comparing
def compare_versions(session: Session, *, document_id: int, a: int, b: int, sees_confidential: bool = True, kind: str | None = None) -> dict[str, Any]:
    """What changed from version ``a`` to ``b``: changed fields, added/removed/changed lines, and the change in
    the headline results (``b - a``). For viewers both versions are redacted first: a confidential value is neither
    shown nor hinted at by a change."""
    doc = repo.get_document(session, document_id=document_id, kind=kind)
    va = repo.get_version(session, document_id=document_id, number=a)
    vb = repo.get_version(session, document_id=document_id, number=b)
    da, db_ = va.data, vb.data
    if not sees_confidential:
        da, db_ = visible(doc.kind, da, False), visible(doc.kind, db_, False)
    return compare_data(da, db_, va.headline, vb.headline, model=get_kind(doc.kind).model) | {"document_id": document_id, "a": a, "b": b}


def compare_data(a: dict[str, Any], b: dict[str, Any], head_a: dict[str, float] | None = None, head_b: dict[str, float] | None = None,
                 model: Any = None) -> dict[str, Any]:
    """Differences between two documents (see :func:`compare_versions`); with the kind's ``model`` every change also
    carries the field's label path, unit and both values as nl-NL text (:func:`opengrex.model.fields.describe_changes`)."""
    changes = describe_changes(model, diff(a, b), a, b)
    fields = [c for c in changes if not c["regel"]]
    lines: dict[str, list[dict[str, Any]]] = {"toegevoegd": [], "verwijderd": [], "gewijzigd": []}
    for c in changes:
        if c["regel"]:
            key = {"toegevoegd": "toegevoegd", "verwijderd": "verwijderd"}.get(c["soort"], "gewijzigd")
            lines[key].append(c)
    results = {}
    head_a, head_b = head_a or {}, head_b or {}
    for k in sorted(set(head_a) | set(head_b), key=lambda s: (s not in head_a, s)):
        x, y = head_a.get(k), head_b.get(k)
        results[k] = {"a": x, "b": y, "verschil": (y - x) if x is not None and y is not None else None}
    return {"velden": fields, "regels": lines, "resultaten": results, "aantal_wijzigingen": len(changes)}


# ---------------------------------------------------------------------------------------------- uploads
@dataclass
class Upload:
    """An uploaded file read and validated: the model, the file's name, and for a workbook of opengrex the
    document and version it was downloaded from (``herkomst``; None for YAML/JSON or an older workbook)."""

    model: Any
    name: str
    herkomst: Herkomst | None = None


def read_upload(kind: str, filename: str, content: bytes, session: Session | None = None) -> Upload:
    """Validate an uploaded YAML/JSON (UTF-8, with or without BOM) or Excel file into the kind's model.

    A workbook is read by the kind (:meth:`~opengrex.services.kinds.DocumentKind.read_workbook`: the input sheets of
    any download or template, or an older layout); errors are :class:`InputError` naming the uploaded file, sheet and
    cell (never the temporary copy on the server). With a ``session``, references to stored documents in a YAML/JSON
    file are resolved before validation (a kostenverhaal naming ``grex_document: {id: 7}`` without the grex itself)."""
    name = upload_name(filename)
    suffix = Path(name).suffix.lower()
    k = get_kind(kind)
    if suffix not in UPLOAD_SUFFIXES:
        raise InputError("onbekend bestandstype", location=name, field="bestand", value=suffix or name, allowed=", ".join(UPLOAD_SUFFIXES))
    if not content:
        raise InputError("het bestand is leeg", location=name, field="bestand", value=name, allowed="een YAML-, JSON- of Excel-bestand")
    if suffix == ".xlsx":
        if content[:2] != b"PK":
            raise InputError("geen geldig Excel-bestand (.xlsx)", location=name, field="bestand", value=name, allowed="een Excel-werkboek van opengrex (.xlsx)")
        model, herkomst = read_uploaded_workbook(content, name, lambda p: k.read_workbook(p, name), "een Excel-werkboek van opengrex (.xlsx)")
        return Upload(model, name, herkomst)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("bestand is geen UTF-8-tekst", location=name, field="bestand", value=name, allowed="UTF-8 YAML of JSON") from None
    if session is not None and k.references:
        data, _ = parse_text(text, name)
        if isinstance(data, dict) and references.find(k, data):
            resolved, _ = references.resolve(session, kind, data)
            return Upload(k.validate(resolved, name), name)
    return Upload(k.parse(text, name), name)


def model_from_upload(kind: str, filename: str, content: bytes, session: Session | None = None) -> Any:
    """The validated model of an uploaded file (:func:`read_upload`)."""
    return read_upload(kind, filename, content, session).model


def check_upload_target(upload: Upload, *, kind: str, document_id: int) -> None:
    """A workbook downloaded from another document may not become a version of this one: :class:`InputError` saying
    which document it is from (upload it as a new document instead)."""
    h = upload.herkomst
    if h is not None and h.document is not None and h.document != document_id:
        raise InputError(f"dit werkboek is een download van {h.beschrijving()}, niet van {kind} {document_id}", location=upload.name, field="bestand",
                         value=h.document, allowed=f"een werkboek van {kind} {document_id}, of upload het als nieuw document (menu Upload)")


def upload_base_version(upload: Upload, document_id: int, base_version: int | None) -> int | None:
    """The version an upload was made from: the one given, else the version stamped in a workbook of this document
    (so a workbook of an older version gives a conflict instead of silently undoing the changes since)."""
    if base_version is not None:
        return base_version
    h = upload.herkomst
    return h.versie if h is not None and h.document == document_id else None


def preview_version(session: Session, *, document_id: int, upload: Upload, kind: str | None = None) -> dict[str, Any]:
    """What saving ``upload`` as the next version would change, without saving: the comparison with the current
    version (:func:`opengrex.services.vergelijking.compare_documents`), warnings (a workbook of an older version),
    and the canonical data to save on confirmation (``gegevens``). A closed grex or an archived document:
    :class:`~opengrex.services.lifecycle.StatusError` (409), before anything is compared."""
    doc = repo.get_document(session, document_id=document_id, kind=kind)
    lifecycle.check_editable(doc)
    check_upload_target(upload, kind=doc.kind, document_id=document_id)
    k = get_kind(doc.kind)
    current = repo.get_version(session, document_id=document_id, number=doc.current_version).data
    new = k.to_data(upload.model)
    warnings = []
    h = upload.herkomst
    if h is not None and h.versie is not None and h.document == document_id and h.versie != doc.current_version:
        warnings.append(f"Dit werkboek is gemaakt van versie {h.versie}; de huidige versie is {doc.current_version}. Wat sinds versie {h.versie} "
                        "veranderde, wordt met deze upload teruggezet: zie de wijzigingen hieronder.")
    cmp = compare_documents(doc.kind, current, new, source_a=f"versie {doc.current_version}", source_b=upload.name)
    if not cmp["aantal_wijzigingen"]:
        warnings.append("Het bestand is gelijk aan de huidige versie: opslaan maakt een nieuwe versie zonder wijzigingen.")
    return {"document_id": document_id, "kind": doc.kind, "naam": doc.name, "versie": doc.current_version, "bestand": upload.name,
            "herkomst": None if h is None else {"soort": h.soort, "document": h.document, "versie": h.versie, "naam": h.naam, "sjabloon": h.sjabloon},
            "waarschuwingen": warnings, "vergelijking": cmp, "gegevens": new}


def compare_stored(session: Session, *, document_id: int, a: int, b: int, sees_confidential: bool = True, kind: str | None = None) -> dict[str, Any]:
    """Two stored versions compared as a controller reads them (:func:`opengrex.services.vergelijking.compare_documents`:
    headline figures with their causes, fields, lines and lines per year). Viewers compare the redacted versions."""
    doc = repo.get_document(session, document_id=document_id, kind=kind)
    va = repo.get_version(session, document_id=document_id, number=a)
    vb = repo.get_version(session, document_id=document_id, number=b)
    da, db_ = visible(doc.kind, va.data, sees_confidential), visible(doc.kind, vb.data, sees_confidential)
    return compare_documents(doc.kind, da, db_, source_a=f"versie {a}", source_b=f"versie {b}") | {"document_id": document_id, "a": a, "b": b}


# ---------------------------------------------------------------------------------------------- demo data
@dataclass
class DemoReport:
    loaded: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def demo_files(examples: Path = EXAMPLES) -> list[tuple[str, Path]]:
    """(kind, file) pairs of the demo data: ``examples/demo-grex.yaml``, the kostenverhaal examples
    (``examples/kostenverhaal/``), the programme demo (``examples/hart-van-de-heuvelrug/``), the gebied demo
    (``examples/gebied/spoorzone-oost.yaml``), the BBV portfolio of Gemeente Voorbeeld at 31-12-2023 (``examples/bbv/``)
    two plankostenscans (``examples/plankosten/``) and the plan pipeline of the region Heuvelrug Kromme Rijnstreek
    (``examples/monitor/plancapaciteit-heuvelrug.yaml``)."""
    out: list[tuple[str, Path]] = []
    if (examples / "demo-grex.yaml").exists():
        out.append(("grex", examples / "demo-grex.yaml"))
    kv = examples / "kostenverhaal"
    if kv.is_dir():
        for p in sorted(kv.glob("*.y*ml")) + sorted(kv.glob("*.json")):
            kind = "bijdrage" if "bijdrage" in p.stem else "eindafrekening" if "eindafrekening" in p.stem else "kostenverhaal"
            out.append((kind, p))
    prog = examples / "hart-van-de-heuvelrug"
    if prog.is_dir():
        files = sorted(prog.glob("*.y*ml")) + sorted(prog.glob("*.json"))
        main = [p for p in files if p.stem.startswith(("programma", "programme", "hart-van-de-heuvelrug", "mastergrex"))]
        out += [("programma", p) for p in (main or files)]
    if (examples / "gebied" / "spoorzone-oost.yaml").exists():
        out.append(("gebied", examples / "gebied" / "spoorzone-oost.yaml"))
    if (examples / "bbv" / "portefeuille-2023.yaml").exists():
        out.append(("portefeuille", examples / "bbv" / "portefeuille-2023.yaml"))
    out += [("plankosten", examples / "plankosten" / n) for n in DEMO_PLANKOSTEN if (examples / "plankosten" / n).exists()]
    if (examples / "monitor" / "plancapaciteit-heuvelrug.yaml").exists():
        out.append(("plancapaciteit", examples / "monitor" / "plancapaciteit-heuvelrug.yaml"))
    return out


DEMO_PLANKOSTEN = ("inbreiding-klein.yaml", "uitleg-gemengd.yaml")
"""The plankostenscans of the demo (a small infill plan under bijlage XXXIV, a mixed greenfield plan)."""


def load_demo(session: Session, *, examples: Path = EXAMPLES, author: str = "demo") -> DemoReport:
    """Load every demo document not yet present (by kind and name). Idempotent; the caller commits. A demo file that
    does not validate is reported as skipped (with the error), the others still load."""
    report = DemoReport()
    for kind, path in demo_files(examples):
        label = f"{kind}: {path.relative_to(examples.parent) if path.is_relative_to(examples.parent) else path}"
        try:
            with shipped_files():  # our own examples may refer to each other (a case's grex file), also when loaded from a page
                p = prepare(kind=kind, model=get_kind(kind).load(path), source=str(path))
        except OpengrexError as exc:
            report.skipped.append(f"{label} ({exc})")
            continue
        if repo.find_document(session, kind=kind, name=p.name) is not None:
            report.present.append(label)
            continue
        _store_new(session, p, author=author, comment=f"demo uit {path.name}", bbv_status=_initial_phase(p.kind, None))
        report.loaded.append(label)
    return report
