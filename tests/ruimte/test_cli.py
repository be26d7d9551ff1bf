"""``opengrex ruimte …``, ``opengrex monitor …`` and ``opengrex regio …`` from the command line."""
from __future__ import annotations

import json
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import pytest
from tests.ruimte.conftest import DEMO, ROOT

from opengrex.cli import main


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run(capsys, monkeypatch):
    """Run the CLI in this process (one import of the geo stack for all commands) from the repository root."""
    monkeypatch.chdir(ROOT)

    def go(*args: str) -> Run:
        capsys.readouterr()
        code = main(list(args))
        out = capsys.readouterr()
        return Run(code, out.out, out.err)

    return go


def test_toets_table_outputs_and_json(run, tmp_path):
    r = run("ruimte", "toets", str(DEMO / "locaties.gpkg"), "--lagen", str(DEMO / "lagen"), "--regels", "2024-01-01",
            "-o", str(tmp_path / "uit.gpkg"), "--kaarten", str(tmp_path), "--max-rijen", "3")
    assert r.returncode == 0, r.stderr
    assert "regelset wbs 2022-11-25" in r.stdout and "Uiterwaard Noord" in r.stdout and "strijdig" in r.stdout
    out = gpd.read_file(tmp_path / "uit.gpkg")
    assert out.crs.to_epsg() == 28992 and len(out) == 11
    assert out.set_index("locatie").loc["L03", "r13_oordeel"] == "strijdig"
    assert set(out["regelset"]) == {"wbs 2022-11-25"}
    assert (tmp_path / "locatie-L03.png").stat().st_size > 10_000
    r = run("ruimte", "toets", str(DEMO / "locaties.geojson"), "--lagen", str(DEMO / "lagen"), "-o", str(tmp_path / "uit.csv"), "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["regelset"]["versie"] == "2024-10-22" and data["aantal_locaties"] == 11
    assert any("688" in x or "nr. 688" in x for x in data["regelset"]["niet_geverifieerd"]) or "688" in data["regelset"]["bron"]
    csv = pd.read_csv(tmp_path / "uit.csv")
    assert len(csv) == 11 * 10 and set(csv.columns) >= {"locatie", "regel", "oordeel", "overlap_m2", "overlap_pct", "regelset"}
    r = run("ruimte", "toets", str(DEMO / "locaties.gpkg"), "--lagen", str(DEMO / "lagen"), "--verklaar", "L05:25", "--regels", "2022-11-25")
    assert r.returncode == 0 and json.loads(r.stdout)["waarde"] == "strijdig"


def test_toets_errors_exit_2_and_write_nothing(run, tmp_path):
    out = tmp_path / "uit.gpkg"
    r = run("ruimte", "toets", str(tmp_path / "nergens.gpkg"), "--lagen", str(DEMO / "lagen"), "-o", str(out))
    assert r.returncode == 2 and "bestaat niet" in r.stderr and not out.exists()
    r = run("ruimte", "toets", str(DEMO / "locaties.gpkg"), "--lagen", str(DEMO / "lagen"), "--regels", "1999-01-01", "-o", str(out))
    assert r.returncode == 2 and "2022-11-25" in r.stderr and not out.exists()
    r = run("ruimte", "toets", str(DEMO / "locaties.gpkg"), "--lagen", str(DEMO / "lagen"), "-o", str(tmp_path / "uit.xls"))
    assert r.returncode == 2 and ".gpkg" in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_missing_layers_say_niet_getoetst(run, tmp_path):
    r = run("ruimte", "toets", str(DEMO / "locaties.gpkg"), "--lagen", str(tmp_path), "--max-rijen", "1")
    assert r.returncode == 0
    assert "Niet getoetst (regel 10): laag 'bgr_rivierbed' ontbreekt" in r.stdout
    assert "niet getoetst" in r.stdout


def test_regels_keuzes_and_demo(run, tmp_path):
    r = run("ruimte", "regels", "--regels", "2025-01-01")
    assert r.returncode == 0 and "Kamerstuk 27 625, nr. 688" in r.stdout and "Niet geverifieerd" in r.stdout
    r = run("ruimte", "keuzes")
    assert r.returncode == 0 and "We staan kustuitbreiding vooralsnog niet toe" in r.stdout
    r = run("ruimte", "demo", "-o", str(tmp_path / "demo"))
    assert r.returncode == 0 and (tmp_path / "demo" / "lagen" / "natura2000.gpkg").is_file()


def test_monitor_and_regio_commands(run):
    r = run("monitor", "controle")
    assert r.returncode == 0 and "917.193" in r.stdout and "17.193" in r.stdout and "83.5000" in r.stdout
    r = run("monitor", "doelen", "--gebied", "Utrecht")
    assert r.returncode == 0 and "83.500" in r.stdout
    r = run("monitor", "voortgang", "examples/monitor/plancapaciteit-heuvelrug.csv", "--gebied", "Heuvelrug Kromme Rijnstreek",
            "--doelen", "examples/monitor/doelen-regio-illustratief.yaml")
    assert r.returncode == 0, r.stderr
    assert "69,0%" in r.stdout and "27,8%" in r.stdout and "illustratief" in r.stdout
    r = run("regio", "profiel", "--json")
    data = json.loads(r.stdout)
    assert data["kerncijfers"]["inwoners"]["waarde"] == 190000
