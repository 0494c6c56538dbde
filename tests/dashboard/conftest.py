"""Dashboard fixtures: the analyzed demo company (once per test process), an empty warehouse,
and the environment AppTest runs the app in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st

import dashboard
from tests.analysis.demo_company import DemoRun, analyzed_demo
from warehouse.db import Warehouse

APP = str(Path(dashboard.__file__).with_name("app.py"))
VIEWS = ["overview", "findings", "commitments", "tags", "resources", "loaded"]


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """The demo company loaded and analyzed once for every dashboard test in this process."""
    return analyzed_demo(tmp_path_factory.mktemp("dashboard-demo"))


@pytest.fixture
def demo_db(demo_run: DemoRun, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The app reads the demo warehouse; its decisions file starts empty for every test."""
    path = demo_run.warehouse.path
    decisions = path.with_name(path.name + ".decisions.sqlite3")
    decisions.unlink(missing_ok=True)
    monkeypatch.setenv("CLOUDSPEND_DB", str(path))
    yield path
    decisions.unlink(missing_ok=True)
    st.cache_data.clear()  # process-global: AppTests share it


@pytest.fixture
def empty_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A warehouse with the schema and nothing loaded."""
    wh = Warehouse(tmp_path / "empty.duckdb")
    with wh.write():
        pass
    monkeypatch.setenv("CLOUDSPEND_DB", str(wh.path))
    yield wh.path
    st.cache_data.clear()
