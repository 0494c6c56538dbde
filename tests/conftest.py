"""Shared fixtures: temporary warehouses, the real sample files, synthetic FOCUS files."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures.focus_synth import write_focus
from warehouse.db import Settings, Warehouse

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO.parent / "shared" / "samples"


@pytest.fixture
def samples() -> Path:
    """The real public billing files beside the clone (../shared/samples); skip without them."""
    if not SAMPLES.is_dir():
        pytest.skip(
            f"the shared sample files are not at {SAMPLES} (they sit beside the clone in CI)"
        )
    return SAMPLES


@pytest.fixture
def focus_sample(samples: Path) -> Path:
    """The FinOps Foundation's official FOCUS 1.0 sample (1,000 rows)."""
    return samples / "focus-sample-data" / "focus_sample.csv"


@pytest.fixture
def warehouse(tmp_path: Path) -> Warehouse:
    """An empty warehouse in a temporary folder."""
    return Warehouse(tmp_path / "wh" / "test.duckdb", Settings(lock_timeout_s=30))


@pytest.fixture
def synth_csv(tmp_path: Path) -> Path:
    """A small synthetic FOCUS 1.2 CSV (60 rows)."""
    return write_focus(tmp_path / "synth.csv", 60, seed=7)


Rows = list[list[str]]


@pytest.fixture
def rewrite_csv(tmp_path: Path) -> Callable[[Path, Callable[[Rows], Rows], str], Path]:
    """Write an edited copy of a CSV: ``rewrite_csv(src, edit, name)``."""

    def rewrite(src: Path, edit: Callable[[Rows], Rows], name: str) -> Path:
        with src.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        out = tmp_path / name
        with out.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(edit(rows))
        return out

    return rewrite


# Fixtures that start a protocol fake in its own server (moto, the Google API fakes, the
# Cloud Storage emulator): tests using them are e2e, and
# so are the slow ones, so the quick loop (`pytest -m "not e2e"`) stays fast; CI runs them all.
SERVER_FIXTURES = {
    "moto_aws",
    "moto_endpoint",
    "gcp_fakes",
    "bigquery_fake",
    "bq_client",
    "gcs_emulator",
    "gcs_client",
    "demo_bucket",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses a server fixture, or is marked slow, as e2e."""
    for item in items:
        uses_server = SERVER_FIXTURES & set(getattr(item, "fixturenames", ()))
        if uses_server or item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.e2e)
