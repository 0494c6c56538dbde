"""`cloudspend demo`: the embedded sample company, loaded with no cloud account."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from collectors.ingest import Progress, ingest
from fixtures.focus_synth import write_focus
from warehouse.db import Warehouse
from warehouse.load import IngestSummary

DEMO_ROWS = 20_000
DEMO_SEED = 1


def demo_db_path() -> Path:
    """The demo's own warehouse, used when no --db / CLOUDSPEND_DB / config path is given."""
    return Path(platformdirs.user_data_dir("cloudspend")) / "demo" / "demo.duckdb"


def run_demo(warehouse: Warehouse, progress: Progress | None = None) -> list[IngestSummary]:
    """Write the embedded sample beside the warehouse and ingest it."""
    data_dir = warehouse.path.parent / "demo-data"
    sample = write_focus(data_dir / "focus-1.2-sample.csv", DEMO_ROWS, DEMO_SEED)
    return ingest(warehouse, [sample], progress)
