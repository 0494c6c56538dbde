"""Analyzer test fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.analysis.world import World
from warehouse.db import Warehouse


@pytest.fixture
def world(tmp_path: Path) -> World:
    """An empty warehouse to put a case's rows in."""
    return World(Warehouse(tmp_path / "wh" / "analysis.duckdb"))
