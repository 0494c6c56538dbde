"""Analyzer test fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.analysis.demo_company import DemoRun, analyzed_demo
from tests.analysis.world import World
from warehouse.db import Warehouse


@pytest.fixture
def world(tmp_path: Path) -> World:
    """An empty warehouse to put a case's rows in."""
    return World(Warehouse(tmp_path / "wh" / "analysis.duckdb"))


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """The demo company loaded and analyzed once for every family test in this process."""
    return analyzed_demo(tmp_path_factory.mktemp("demo"))
