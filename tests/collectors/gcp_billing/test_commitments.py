"""Committed use discounts: each fee is spread over the usage it covered, the rest is an Unused
row, and EffectiveCost still sums to BilledCost."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from collectors.ingest import ingest
from tests.collectors.gcp_billing.helpers import month_file, read_lines, write_lines
from warehouse.db import Warehouse

UNDERUSED = "projects/example-prod-4711/regions/europe-west1/commitments/cud-145e83d11e"
HEALTHY = "projects/example-prod-4711/regions/europe-west1/commitments/cud-5b12782656"


def _by_status(warehouse: Warehouse, commitment: str) -> dict[str, tuple[Decimal, Decimal]]:
    with warehouse.read() as con:
        rows = con.execute(
            "SELECT coalesce(CommitmentDiscountStatus, ChargeCategory),"
            " sum(EffectiveCost), sum(CommitmentDiscountQuantity) FROM focus_costs"
            " WHERE CommitmentDiscountId = ? GROUP BY 1",
            [commitment],
        ).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def test_an_underused_commitment_shows_its_unused_sixth(warehouse: Warehouse) -> None:
    ingest(warehouse, [month_file("202610")])
    rows = _by_status(warehouse, UNDERUSED)
    assert rows["Purchase"][0] == 0
    used, unused = rows["Used"], rows["Unused"]
    assert used[1] / (used[1] + unused[1]) == Decimal(5) / Decimal(6)
    fee = used[0] + unused[0]
    assert abs(unused[0] / fee - Decimal(1) / Decimal(6)) < Decimal("1e-9")


def test_a_fully_used_commitment_has_no_unused_rows(warehouse: Warehouse) -> None:
    ingest(warehouse, [month_file("202610")])
    rows = _by_status(warehouse, HEALTHY)
    assert set(rows) == {"Purchase", "Used"}
    with warehouse.read() as con:
        (billed, effective) = con.execute(
            "SELECT sum(BilledCost), sum(EffectiveCost) FROM focus_costs"
        ).fetchone() or (None, None)
    assert billed == effective


def test_fees_and_usage_in_different_files_still_pair(tmp_path: Path, warehouse: Warehouse) -> None:
    lines = read_lines("202610")
    fees = [ln for ln in lines if json.loads(ln)["sku"]["description"].startswith("Commitment")]
    rest = [ln for ln in lines if ln not in fees]
    folder = tmp_path / "invoice_month=202610"
    write_lines(fees, folder / "part-000.json")
    write_lines(rest, folder / "part-001.json")
    ingest(warehouse, [folder])
    split = _by_status(warehouse, UNDERUSED)
    ingest(warehouse, [month_file("202610")])
    assert _by_status(warehouse, UNDERUSED) == split
