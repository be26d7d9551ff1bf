"""The dated parameter files: lookup by peildatum, every value with its source, and the strict loader — one bad
fixture per error (each fixture is the shipped 2024-01-01 file with ONE named edit, written to a temporary folder)."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest

from opengrex.errors import InputError
from opengrex.parameters.plankosten import (
    BIJLAGEN,
    load_plankosten_file,
    load_plankosten_parameters,
    plankosten_dir,
    plankosten_versies,
    versie_op,
)

SHIPPED = plankosten_dir()
BASE = (SHIPPED / "2024-01-01.yaml").read_text(encoding="utf-8")
MINIMAL = (Path(__file__).resolve().parent / "data" / "2024-01-01.yaml").read_text(encoding="utf-8")
"""A small valid file: the bad fixtures below are this file with one named edit each (fast to load)."""


@pytest.mark.parametrize("peildatum, versie", [
    ("2024-01-01", "2024-01-01"), ("2024-09-30", "2024-01-01"), ("2024-10-01", "2024-10-01"), ("2025-06-09", "2024-10-01"),
    ("2026-06-30", "2024-10-01"), ("2026-07-01", "2026-07-01"), ("2030-01-01", "2026-07-01"),
])
def test_lookup_returns_the_version_in_force(peildatum, versie):
    assert load_plankosten_parameters(dt.date.fromisoformat(peildatum)).geldig_vanaf.isoformat() == versie


def test_before_the_omgevingswet_is_an_error_naming_peildatum_and_the_versions():
    with pytest.raises(InputError) as exc:
        load_plankosten_parameters("2023-12-31")
    assert exc.value.field == "peildatum" and "2024-01-01, 2024-10-01, 2026-07-01" in exc.value.allowed


def test_a_version_that_does_not_exist_names_the_field():
    with pytest.raises(InputError) as exc:
        versie_op("2025-01-01")
    assert exc.value.field == "versie" and "2024-10-01" in exc.value.allowed
    assert versie_op("2024-10-01").geldig_vanaf == dt.date(2024, 10, 1)


def test_adding_next_years_tariffs_is_adding_a_file(tmp_path):
    (tmp_path / "2024-01-01.yaml").write_text(BASE, encoding="utf-8")
    nxt = BASE.replace("geldig_vanaf: 2024-01-01", "geldig_vanaf: 2027-01-01").replace("euro_per_uur: 149", "euro_per_uur: 160")
    (tmp_path / "2027-01-01.yaml").write_text(nxt, encoding="utf-8")
    assert load_plankosten_parameters("2026-12-31", folder=tmp_path).tarief("1").euro_per_uur == 149
    assert load_plankosten_parameters("2027-02-01", folder=tmp_path).tarief("1").euro_per_uur == 160


@pytest.mark.parametrize("day", ["2024-01-01", "2024-10-01", "2026-07-01"])
def test_every_row_and_table_cites_its_source(day):
    ps = load_plankosten_file(SHIPPED / f"{day}.yaml")
    assert ps.metadata.reference.spiegel and "@" in ps.metadata.reference.spiegel  # mirror and commit
    assert ps.tarieven.bron.startswith("bijlagen XXXIV en XXXIVa, tabel 3")
    for name in BIJLAGEN:
        bij = ps.bijlage(name)
        for r in bij.tabel_1:
            assert re.match(r"^rij \d", r.bron), (day, name, r.id, r.bron)  # tabel 1, rij ...
        assert bij.tabel_2.bron.startswith("tabel 2") and bij.ophogen.bron.startswith("tabel")
        for t in (bij.tabellen_2026 or {}).values():
            assert t.bron.startswith("tabel")
    for x in ps.interpretaties:
        assert x.vraag and x.gekozen and x.alternatief
        assert x.geverifieerd is False or x.onderbouwing, x.id  # a resolved reading says why


def test_version_2024_10_is_the_derivation_of_2024_01(tmp_path):
    """2024-10-01.yaml is exactly what tools/plankosten_2024_10.py derives (every change a counted edit)."""
    script = Path(__file__).resolve().parents[2] / "tools" / "plankosten_2024_10.py"
    text = script.read_text(encoding="utf-8").replace('DIR / "2024-10-01.yaml"', f'Path({str(tmp_path)!r}) / "2024-10-01.yaml"')
    (tmp_path / "gen.py").write_text(text.replace('Path(__file__).resolve().parents[1]', f'Path({str(script.parents[1])!r})'), encoding="utf-8")
    subprocess.run([sys.executable, str(tmp_path / "gen.py")], check=True, capture_output=True)
    assert (tmp_path / "2024-10-01.yaml").read_text(encoding="utf-8") == (SHIPPED / "2024-10-01.yaml").read_text(encoding="utf-8")


# ------------------------------------------------------------------ one bad fixture per loader error
BAD = {
    "dubbele-sleutel": (lambda s: s.replace("geldig_vanaf: 2024-01-01\n", "geldig_vanaf: 2024-01-01\ngeldig_vanaf: 2024-01-01\n", 1), "twee keer"),
    "onmogelijke-datum": (lambda s: s.replace("  tarieven_geldig_tot: 2024-10-01", "  tarieven_geldig_tot: 2024-13-01"), "ongeldige datum"),
    "bestandsnaam-anders-dan-geldig-vanaf": (lambda s: s.replace("geldig_vanaf: 2024-01-01", "geldig_vanaf: 2024-02-01"), "bestandsnaam"),
    "onbekend-veld": (lambda s: s.replace("methode: \"2024_01\"", "methode: \"2024_01\"\nextra: 1"), "onbekend veld"),
    "verwijzing-vooruit": (lambda s: s.replace("van: [a.uitwerken], percentage: 10", "van: [d.vo_do], percentage: 10"), "niet eerder"),
    "onbekende-tariefgroep": (lambda s: s.replace('percentage: 100, tariefgroep: "3", factor: algemeen', 'percentage: 100, tariefgroep: "33", factor: algemeen'), "onbekende tariefgroep"),
    "onbekende-grondslag": (lambda s: s.replace("grondslag: tabel2_kolom2, percentage: 100", "grondslag: tabel2_kolom9, percentage: 100"), "onbekende grondslag"),
    "onbekende-interpretatie": (lambda s: s.replace("interpretaties: [meerdere-tariefgroepen]", "interpretaties: [bestaat-niet]"), "onbekende interpretatie"),
    "twee-rekenwijzen": (lambda s: s.replace("grondslag: deelgebieden, uren: 160,", "grondslag: deelgebieden, uren: 160, bedrag: 10,"), "precies één rekenwijze"),
    "verschillende-tarieven-zonder-open-interpretatie": (lambda s: s.replace("deskundigheid: Planeconomie, euro_per_uur: 149", "deskundigheid: Planeconomie, euro_per_uur: 150"), "verschillende tarieven"),
    "negatief-uurtarief": (lambda s: s.replace("deskundigheid: Projectmanagement, euro_per_uur: 169", "deskundigheid: Projectmanagement, euro_per_uur: -169"), "tarieven.groepen"),
    "onbekend-product-in-artikel": (lambda s: s.replace("uitgezonderd: {XXXIV: [2.6d]", "uitgezonderd: {XXXIV: [2.6x]"), "staat niet in bijlage"),
}


def test_minimal_fixture_is_valid(tmp_path):
    path = tmp_path / "2024-01-01.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    assert len(load_plankosten_file(path).bijlage("XXXIV").tabel_1) == 4


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_fixture_is_a_clear_error_naming_file_and_field(tmp_path, name):
    edit, expected = BAD[name]
    bad = edit(MINIMAL)
    assert bad != MINIMAL, "fixture edit did not apply"
    path = tmp_path / "2024-01-01.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_plankosten_file(path)
    text = str(exc.value)
    assert expected in text, text
    assert str(path) in text  # names the file (and the line where YAML gives one)


def test_file_name_that_is_not_a_date(tmp_path):
    (tmp_path / "tarieven-2025.yaml").write_text(BASE, encoding="utf-8")
    with pytest.raises(InputError, match="bestandsnaam"):
        plankosten_versies(tmp_path)


def test_shipped_versions():
    assert [d.isoformat() for d in plankosten_versies(SHIPPED)] == ["2024-01-01", "2024-10-01", "2026-07-01"]
