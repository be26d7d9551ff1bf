"""Collect every case of ``shared/acceptance/kostenverhaal_voorbeelden.yaml`` as its own test item (OpenFisca style:
``openfisca_core/tools/test_runner.py``), read from the shared folder itself (``acceptatie.acceptance_file``), so
that a new case in that file is a new test without any Python.

The items hang under ``test_acceptance.py`` in this folder (the hand-written acceptance tests); their ids are
``tests/kostenverhaal/kostenverhaal_voorbeelden.yaml::<case name>``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import acceptatie
import pytest

HERE = Path(__file__).resolve().parent


class AcceptanceCase(pytest.Item):
    """One case of the shared acceptance file, run through the public library interface."""

    def __init__(self, *, case: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        acceptatie.run(self.name, self.case)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"acceptatiegeval {self.name}"


class MissingAcceptanceFile(pytest.Item):
    """Stands in for the cases when the shared file cannot be found: fails with where it looked."""

    def runtest(self) -> None:
        acceptatie.acceptance_file()


class AcceptanceFile(pytest.File):
    def collect(self) -> Any:
        if not self.path.is_file():
            yield MissingAcceptanceFile.from_parent(self, name="acceptatiebestand")
            return
        for name, case in acceptatie.load_cases(self.path).items():
            yield AcceptanceCase.from_parent(self, name=name, case=case)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.name != "test_acceptance.py" or file_path.resolve().parent != HERE:
        return None
    try:
        path = acceptatie.acceptance_file()
    except FileNotFoundError:
        path = HERE / acceptatie.FILE  # does not exist: collected as one failing item that says where it looked
    return AcceptanceFile.from_parent(parent, path=path, nodeid=f"tests/kostenverhaal/{acceptatie.FILE}")
