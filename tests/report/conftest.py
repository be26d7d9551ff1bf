"""Report tests: read a PDF's text with pdftotext and render pages with pdftoppm (Debian's poppler-utils)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

HINT = "installeer poppler-utils met: sudo bash scripts/install-system-deps.sh (Debian: apt-get install poppler-utils)"


def pdf_text(pdf: bytes, tmp_path: Path, name: str = "rapport") -> str:
    """The text of a PDF (pdftotext -layout); fails (never skips) with the install command when it is missing."""
    if shutil.which("pdftotext") is None:
        pytest.fail(f"pdftotext ontbreekt; {HINT}")
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, timeout=60).stdout.decode("utf-8")


def pdf_pages(text: str) -> int:
    """The page count from the footer of the report text ("pagina 1 van 6")."""
    import re

    m = re.search(r"pagina 1 van (\d+)", text)
    return int(m.group(1)) if m else 0
