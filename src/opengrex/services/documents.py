"""Stored documents as a service: validate and calculate (:func:`prepare`), then let the store persist
(:mod:`opengrex.store.repository`, which never validates or calculates). The web app and the CLI call these.

None of the functions commits: the caller owns the unit of work (``with db.transaction() as session:
create(session, ...)``), so a failure anywhere writes nothing. Invalid input raises
:class:`~opengrex.errors.InputError` before a row is touched.

Also here: what a viewer may see (:func:`visible`), the version comparison with the product's one diff
(:func:`compare_versions`, :mod:`opengrex.model.diff`), reading an uploaded file (:func:`model_from_upload`), the
list figures of every stored document with today's engine (:func:`refresh_headlines`) and the demo data
(:func:`load_demo`).
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from opengrex.io.xlsx_reader import read_uploaded_workbook, upload_name
from opengrex.errors import InputError, InputErrors, OpengrexError
from opengrex.model.diff import diff
from opengrex.model.fields import describe_changes
from opengrex.services.kinds import DocumentKind, get_kind
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

    @property
    def summary(self) -> dict[str, Any]:
        return self.kind.summary(self.result)

    @property
    def ncw(self) -> float | None:
        return self.headline.get("ncw", self.headline.get("ncw_bbv"))


def prepare(*, kind: str, data: Any = None, model: Any = None, source: str = "<invoer>") -> Prepared:
    """Validate ``data`` (or take a validated ``model``) and calculate it: everything a save needs, no I/O."""
    k = get_kind(kind)
    if model is None:
        model = k.validate(data, source)
    canonical = k.to_data(model)
    result = k.calculate(model)
    return Prepared(kind=k, model=model, data=canonical, name=k.document_name(model), result=result, headline=k.headline(result))


# ---------------------------------------------------------------------------------------------- writing
def create(session: Session, *, kind: str, data: Any = None, model: Any = None, author: str = "", comment: str = "", source: str = "<invoer>") -> Document:
    """Validate and store a new document as version 1 (flushed, not committed)."""
    p = prepare(kind=kind, data=data, model=model, source=source)
    return repo.create_document(session, kind=kind, data=p.data, name=p.name, headline=p.headline, ncw=p.ncw, author=author, comment=comment)


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
) -> Version:
    """Validate ``data`` and store it as the next version of the document (the previous versions stay).

    ``base_version``: the version the edit started from; if the document changed since,
    :class:`~opengrex.store.repository.ConflictError` (no lost update). The document row is locked first."""
    doc = repo.get_document(session, document_id=document_id, kind=kind, for_update=True)
    p = prepare(kind=doc.kind, data=data, model=model, source=source)
    return repo.save_version(session, document_id=document_id, kind=kind, data=p.data, name=p.name, headline=p.headline, ncw=p.ncw,
                             author=author, comment=comment, base_version=base_version)


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
        if repo.set_headline(session, document=doc, headline=p.headline, ncw=p.ncw):
            out["bijgewerkt"].append(label)
        else:
            out["ongewijzigd"].append(label)
    session.flush()
    return out


# ---------------------------------------------------------------------------------------------- reading
def list_documents(session: Session, *, kind: str | None = None, q: str | None = None) -> list[Document]:
    """Documents, newest change first; ``kind`` (checked against the registry) filters, ``q`` searches the name."""
    if kind is not None:
        get_kind(kind)
    return repo.list_documents(session, kind=kind, q=q)


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
    changes = describe_changes(model, diff(a, b))
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
def model_from_upload(kind: str, filename: str, content: bytes) -> Any:
    """Validate an uploaded YAML/JSON (UTF-8, with or without BOM) or Excel file into the kind's model.

    Errors are :class:`InputError` naming the uploaded file (never the temporary copy on the server)."""
    name = upload_name(filename)
    suffix = Path(name).suffix.lower()
    k = get_kind(kind)
    if suffix not in UPLOAD_SUFFIXES:
        raise InputError("onbekend bestandstype", location=name, field="bestand", value=suffix or name, allowed=", ".join(UPLOAD_SUFFIXES))
    if not content:
        raise InputError("het bestand is leeg", location=name, field="bestand", value=name, allowed="een YAML-, JSON- of Excel-bestand")
    if suffix == ".xlsx":
        return _model_from_xlsx(k, name, content)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("bestand is geen UTF-8-tekst", location=name, field="bestand", value=name, allowed="UTF-8 YAML of JSON") from None
    return k.parse(text, name)


def _model_from_xlsx(k: DocumentKind[Any, Any], name: str, content: bytes) -> Any:
    if content[:2] != b"PK":
        raise InputError("geen geldig Excel-bestand (.xlsx)", location=name, field="bestand", value=name, allowed="het Excel-sjabloon van opengrex (.xlsx)")
    return read_uploaded_workbook(content, name, k.load, "het Excel-sjabloon van opengrex (.xlsx)")


# ---------------------------------------------------------------------------------------------- demo data
@dataclass
class DemoReport:
    loaded: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def demo_files(examples: Path = EXAMPLES) -> list[tuple[str, Path]]:
    """(kind, file) pairs of the demo data: ``examples/demo-grex.yaml``, the kostenverhaal examples
    (``examples/kostenverhaal/``), the programme demo (``examples/hart-van-de-heuvelrug/``) and the gebied demo
    (``examples/gebied/spoorzone-oost.yaml``)."""
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
    return out


def load_demo(session: Session, *, examples: Path = EXAMPLES, author: str = "demo") -> DemoReport:
    """Load every demo document not yet present (by kind and name). Idempotent; the caller commits. A demo file that
    does not validate is reported as skipped (with the error), the others still load."""
    report = DemoReport()
    for kind, path in demo_files(examples):
        label = f"{kind}: {path.relative_to(examples.parent) if path.is_relative_to(examples.parent) else path}"
        try:
            p = prepare(kind=kind, model=get_kind(kind).load(path), source=str(path))
        except OpengrexError as exc:
            report.skipped.append(f"{label} ({exc})")
            continue
        if repo.find_document(session, kind=kind, name=p.name) is not None:
            report.present.append(label)
            continue
        repo.create_document(session, kind=kind, data=p.data, name=p.name, headline=p.headline, ncw=p.ncw, author=author, comment=f"demo uit {path.name}")
        report.loaded.append(label)
    return report
