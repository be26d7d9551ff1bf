"""The engine, models and services import without the web, plot and report stacks (`pip install opengrex` stays small).

A fresh interpreter gets an import hook that refuses those packages, then imports every module of the core
packages. A module that needs one of them imports it inside the function that uses it (or lives behind the
extra's own module), so the refusal never fires.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap

BLOCKED = ("fastapi", "starlette", "jinja2", "plotly", "matplotlib", "weasyprint", "geopandas", "dask", "distributed", "dask_geopandas")
CORE = ("opengrex.engine", "opengrex.model", "opengrex.parameters", "opengrex.codes", "opengrex.io", "opengrex.services")

SCRIPT = textwrap.dedent(
    """
    import importlib, pkgutil, sys

    BLOCKED = {blocked!r}

    class Refuse:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"{{name}} is not available here (web/plot/report stack)")
            return None

    sys.meta_path.insert(0, Refuse())
    names = []
    for package in {core!r}:
        pkg = importlib.import_module(package)
        names.append(package)
        for info in pkgutil.walk_packages(pkg.__path__, package + "."):
            if ".migrations" in info.name:
                continue
            importlib.import_module(info.name)
            names.append(info.name)
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
    assert not loaded, loaded
    print(len(names))
    """
)


def test_core_imports_without_web_plot_and_report_stacks():
    script = SCRIPT.format(blocked=BLOCKED, core=CORE)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-4000:]
    assert int(run.stdout.strip().splitlines()[-1]) > 50  # every module of the core packages was imported
