"""`cloudspend demo`: the embedded demo company, loaded with no cloud account.

The company's bills in each provider's own export format (AWS CUR 2.0, Azure EA actual and
amortized cost details, the Google Cloud detailed export) go through ``ingest``; its recorded
inventory, metrics and price responses go through each collector's own normalizers
(``observations_from_recorded``) into ``resources``, ``metrics`` and ``prices``, exactly as a live
``cloudspend collect`` stores them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

import fixtures
from collectors.aws.observe import observations_from_recorded as aws_recorded
from collectors.azure.observe import observations_from_recorded as azure_recorded
from collectors.gcp.observe import observations_from_recorded as gcp_recorded
from collectors.ingest import Progress, ingest
from collectors.store import ObservationTables, store_observations
from warehouse.db import Warehouse
from warehouse.load import IngestSummary
from warehouse.observations import Replaced

DEMO = Path(fixtures.__file__).resolve().parent / "demo"
AZURE_EXPORTS = DEMO / "azure" / "billing" / "cost-exports"
BILLS = (
    DEMO / "aws" / "cur2",
    AZURE_EXPORTS / "ea-actual-cost",
    AZURE_EXPORTS / "ea-amortized-cost",
    DEMO / "gcp" / "billing",
)
RECORDED: dict[str, Callable[[Path], ObservationTables]] = {
    "aws": aws_recorded,
    "azure": azure_recorded,
    "gcp": gcp_recorded,
}


@dataclass
class DemoResult:
    """What the demo loaded: the billing ingests and, per cloud, the observations stored."""

    ingests: list[IngestSummary]
    stored: dict[str, dict[str, Replaced]] = field(default_factory=dict)


def demo_db_path() -> Path:
    """The demo's own warehouse, used when no --db / CLOUDSPEND_DB / config path is given."""
    return Path(platformdirs.user_data_dir("cloudspend")) / "demo" / "demo.duckdb"


def run_demo(warehouse: Warehouse, progress: Progress | None = None) -> DemoResult:
    """Load the demo company's bills, then its recorded inventory, metrics and prices."""
    result = DemoResult(ingests(warehouse, progress))
    for step, (cloud, read) in enumerate(RECORDED.items(), start=1):
        if progress:
            progress(f"reading {cloud} inventory, metrics and prices", step, len(RECORDED))
        result.stored[cloud] = store_observations(warehouse, read(DEMO / cloud))
    return result


def ingests(warehouse: Warehouse, progress: Progress | None = None) -> list[IngestSummary]:
    """The demo company's bills, one ingest per export."""
    return ingest(warehouse, list(BILLS), progress)
