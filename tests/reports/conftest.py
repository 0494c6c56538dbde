"""Report test fixtures: the small company, built once per test process."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.reports.small_company import build
from warehouse.db import Warehouse


@pytest.fixture(scope="session")
def small_master(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    return build(tmp_path_factory.mktemp("small"))


@pytest.fixture
def small(small_master: Warehouse, tmp_path: Path) -> Warehouse:
    """A private copy of the small company (its decisions file and report state are the test's)."""
    path = tmp_path / "small.duckdb"
    shutil.copyfile(small_master.path, path)
    return Warehouse(path)
