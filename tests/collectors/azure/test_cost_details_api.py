"""The Cost Details API through the real SDK against the fake Resource Manager: the long-running
``generateCostDetailsReport`` operation (202 + Location, polled to 200), its CSV blobs
downloaded, and both views loaded and merged like an export's."""

from __future__ import annotations

import gzip
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from collectors.azure.cost_details_api import pull_cost_details
from collectors.ingest import ingest
from tests.collectors.azure.arm_server import FakeArm, arm
from warehouse.db import Warehouse

__all__ = ["arm"]
pytestmark = pytest.mark.e2e

EXPORTS = Path(__file__).resolve().parents[3] / "fixtures/demo/azure/billing/cost-exports"
MONTH = "20261001-20261031"
SCOPE = "providers/Microsoft.Billing/billingAccounts/86000001"
VIEW_FOLDER = {"ActualCost": "ea-actual-cost", "AmortizedCost": "ea-amortized-cost"}


def _csv(view: str) -> bytes:
    part = next((EXPORTS / VIEW_FOLDER[view] / MONTH).rglob("part_*.csv.gz"))
    return gzip.decompress(part.read_bytes())


def _route(pattern: str) -> re.Pattern[str]:
    """A route pattern as the fake compiles its own: anchored, case-blind."""
    return re.compile(pattern + "$", re.IGNORECASE)


def _routes(fake: FakeArm) -> None:
    def start(body: bytes) -> tuple[int, Any, dict[str, str]]:
        view = json.loads(body)["metric"]
        location = f"{fake.url}/costdetails/operations/{view}"
        return 202, {}, {"Location": location, "Retry-After": "0"}

    def status(query: dict[str, str], view: str) -> tuple[int, Any, dict[str, str]]:
        polls = len(fake.hits(f"/costdetails/operations/{view}$"))
        if polls < 2:  # still running on the first poll
            return 202, {}, {"Location": f"{fake.url}/costdetails/operations/{view}"}
        blob = {"blobLink": f"{fake.url}/costdetails/blobs/{view}.csv", "byteCount": 1}
        manifest = {"manifestVersion": "2022-10-01", "dataFormat": "Csv", "blobCount": 1,
                    "byteCount": 1, "blobs": [blob]}  # fmt: skip
        return 200, {"id": view, "name": view, "status": "Completed", "manifest": manifest}, {}

    def blob(query: dict[str, str], view: str) -> tuple[int, Any, dict[str, str]]:
        return 200, _csv(view), {}

    fake.post_routes = [
        (_route(f"/{SCOPE}/providers/Microsoft.CostManagement/"
                                "generateCostDetailsReport"), start),
    ]  # fmt: skip
    fake.routes += [
        (_route("/costdetails/operations/(\\w+)"), status),
        (_route("/costdetails/blobs/(\\w+)\\.csv"), blob),
    ]


def test_both_views_are_generated_downloaded_and_merged(arm: FakeArm, tmp_path: Path) -> None:
    arm.reset()
    _routes(arm)
    clients, _ = arm.clients()
    folders = pull_cost_details(
        clients, SCOPE, date(2026, 10, 1), date(2026, 10, 31), tmp_path / "pull", 0
    )
    assert [f.name for f in folders] == ["ActualCost", "AmortizedCost"]
    assert len(arm.hits("generateCostDetailsReport")) == 2

    pulled = Warehouse(tmp_path / "pulled.duckdb")
    exported = Warehouse(tmp_path / "exported.duckdb")
    ingest(pulled, [tmp_path / "pull"])
    ingest(exported, [EXPORTS / "ea-actual-cost" / MONTH, EXPORTS / "ea-amortized-cost" / MONTH])
    query = (
        "SELECT count(*), round(sum(BilledCost), 2), round(sum(EffectiveCost), 2) FROM focus_costs"
    )
    with pulled.read() as a, exported.read() as b:
        assert a.execute(query).fetchall() == b.execute(query).fetchall()
