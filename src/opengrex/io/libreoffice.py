"""Recalculate workbooks with LibreOffice headless: the independent cross-check of the engine.

:func:`recalculate` opens every workbook in ONE ``soffice`` run (a fresh, private user profile per call, so calls
can run side by side), recalculates every formula on load and saves the results as ``.xlsx`` with cached values;
:func:`read_values` / :func:`read_names` read those values back with openpyxl (``data_only=True``).

Recalculation on load is forced, not hoped for: the private profile sets the Calc options
``Formula/Load/OOXMLRecalcMode`` and ``ODFRecalcMode`` to 0 ("always recalculate"), so even a workbook that carries
stale cached values is recomputed (tested in ``tests/io/test_libreoffice.py``).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from opengrex.errors import InputError, OpengrexError

SOFFICE_CANDIDATES = ("soffice", "libreoffice", "/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice")
"""Where :func:`find_soffice` looks (after the ``OPENGREX_SOFFICE`` environment variable)."""

OUTPUT_FILTER = 'xlsx:Calc MS Excel 2007 XML'
"""LibreOffice export filter for ``--convert-to``: Office Open XML (.xlsx) with cached formula results."""

_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


def find_soffice() -> str:
    """Path of the LibreOffice ``soffice`` binary; :class:`OpengrexError` if it is not installed."""
    env = os.environ.get("OPENGREX_SOFFICE")
    if env:
        if Path(env).is_file() and os.access(env, os.X_OK):
            return env
        raise OpengrexError(f"OPENGREX_SOFFICE wijst naar {env!r}, maar dat is geen uitvoerbaar bestand")
    for cand in SOFFICE_CANDIDATES:
        found = shutil.which(cand)
        if found:
            return found
    raise OpengrexError(
        "LibreOffice (soffice) is niet gevonden; nodig om werkboeken te herberekenen. "
        "Installeer het met 'scripts/install-system-deps.sh' (Debian: apt-get install libreoffice-calc) "
        "of zet OPENGREX_SOFFICE op het pad van soffice."
    )


def recalculate(paths: Sequence[str | Path], out_dir: str | Path, *, timeout: float = 600.0) -> list[Path]:
    """Recalculate workbooks with LibreOffice headless in one ``soffice`` invocation.

    Parameters
    ----------
    paths : workbooks (.xlsx, .ods, ...) to recalculate; base names must be distinct.
    out_dir : folder for the recalculated ``.xlsx`` files (created if missing; must not hold the inputs).
    timeout : seconds before the LibreOffice run is stopped [s].

    Returns
    -------
    The output paths, in the order of ``paths`` (``out_dir / <stem>.xlsx``), each with cached formula values.

    Raises
    ------
    OpengrexError
        LibreOffice missing, failing, timing out, or an output not written.
    InputError
        An input that does not exist, duplicate base names, or ``out_dir`` equal to an input's folder.
    """
    inputs = [Path(p).resolve() for p in paths]
    out = Path(out_dir).resolve()
    if not inputs:
        return []
    stems: dict[str, Path] = {}
    for p in inputs:
        if not p.is_file():
            raise InputError("bestand niet gevonden", location=str(p), value=str(p))
        if p.parent == out:
            raise InputError("uitvoermap is de map van de invoer (LibreOffice zou de invoer overschrijven)", field="out_dir", value=str(out), allowed="een andere map")
        if p.stem in stems:
            raise InputError("twee invoerbestanden met dezelfde naam", field="paths", value=p.stem, allowed=f"unieke bestandsnamen ({stems[p.stem]} en {p})")
        stems[p.stem] = p
    soffice = find_soffice()
    out.mkdir(parents=True, exist_ok=True)
    targets = [out / f"{p.stem}.xlsx" for p in inputs]
    for t in targets:
        t.unlink(missing_ok=True)
    profile = Path(tempfile.gettempdir()) / f"opengrex-lo-{uuid.uuid4().hex}"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_REGISTRY, encoding="utf-8")
    cmd = [
        soffice,
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--nodefault",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to",
        OUTPUT_FILTER,
        "--outdir",
        str(out),
        *map(str, inputs),
    ]
    env = dict(os.environ, HOME=str(profile), SAL_USE_VCLPLUGIN="svp")
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, check=False)
    except subprocess.TimeoutExpired:
        raise OpengrexError(f"LibreOffice herberekening duurde langer dan {timeout:.0f} s en is afgebroken") from None
    except OSError as exc:
        raise OpengrexError(f"LibreOffice kon niet worden gestart ({soffice}): {exc}") from None
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    missing = [t for t in targets if not t.is_file()]
    if proc.returncode != 0 or missing:
        detail = (proc.stderr or proc.stdout or "").strip()[-2000:]
        raise OpengrexError(
            f"LibreOffice herberekening mislukt (exitcode {proc.returncode}); niet geschreven: "
            f"{', '.join(t.name for t in missing) or 'geen'}. Uitvoer van soffice: {detail or '(leeg)'}"
        )
    return targets


def _load(path: str | Path):
    import openpyxl

    try:
        return openpyxl.load_workbook(Path(path), data_only=True, read_only=False)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is an input error
        raise InputError(f"werkboek kan niet worden gelezen: {exc}", location=str(path), allowed="een .xlsx-bestand") from None


def read_values(path: str | Path, sheet: str, cells: Iterable[str]) -> list[Any]:
    """Cached (calculated) values of ``cells`` (e.g. ``["B5", "C7"]``) on ``sheet`` of a recalculated workbook."""
    wb = _load(path)
    try:
        if sheet not in wb.sheetnames:
            raise InputError("blad ontbreekt", location=str(path), field="sheet", value=sheet, allowed=", ".join(wb.sheetnames))
        ws = wb[sheet]
        return [ws[c].value for c in cells]
    finally:
        wb.close()


def read_names(path: str | Path, names: Iterable[str]) -> dict[str, Any]:
    """Cached values of single-cell defined names (e.g. ``NCW``, ``Eindwaarde``) of a recalculated workbook."""
    wb = _load(path)
    try:
        return {n: _named_value(wb, n, path) for n in names}
    finally:
        wb.close()


def _named_value(wb, name: str, path) -> Any:
    dn = wb.defined_names.get(name)
    if dn is None:
        raise InputError("naam niet gevonden in werkboek", location=str(path), field="name", value=name, allowed=", ".join(sorted(wb.defined_names)))
    (sheet, ref), = list(dn.destinations)
    return wb[sheet][ref.replace("$", "")].value
