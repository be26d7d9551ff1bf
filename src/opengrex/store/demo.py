"""The demo data: ``examples/demo-grex.yaml``, the kostenverhaal examples (``examples/kostenverhaal/``) and the
programme demo (``examples/hart-van-de-heuvelrug/``), each loaded once (a document with the same kind and name is
not loaded again). Kinds whose capability is not installed are skipped and reported."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from opengrex.errors import OpengrexError
from opengrex.store.kinds import KINDS
from opengrex.store.models import Document
from opengrex.store.repository import create_document, prepare

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@dataclass
class DemoReport:
    loaded: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def demo_files(examples: Path = EXAMPLES) -> list[tuple[str, Path]]:
    """(kind, file) pairs of the demo data that exist."""
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
    return out


def load_demo(session: Session, *, examples: Path = EXAMPLES, author: str = "demo") -> DemoReport:
    """Load every demo document not yet present (by kind and name). Idempotent; the caller commits."""
    report = DemoReport()
    for kind, path in demo_files(examples):
        label = f"{kind}: {path.relative_to(examples.parent) if path.is_relative_to(examples.parent) else path}"
        if not KINDS[kind].available:
            report.skipped.append(f"{label} (rekenmodule ontbreekt)")
            continue
        try:
            model = KINDS[kind].load_path(path)
            p = prepare(kind=kind, model=model, source=str(path))
        except OpengrexError as exc:
            report.skipped.append(f"{label} ({exc})")
            continue
        exists = session.scalars(select(Document.id).where(Document.kind == kind, Document.name == p.name)).first()
        if exists is not None:
            report.present.append(label)
            continue
        create_document(session, kind=kind, model=model, author=author, comment=f"demo uit {path.name}", source=str(path))
        report.loaded.append(label)
    return report
