"""The CUR's reservation and savings-plan end times reach the warehouse as
``x_CommitmentDiscountEnd`` on the commitment's rows (FOCUS 1.2 has no column for them), from
CUR 2.0 and legacy CUR alike; rows of no commitment leave it NULL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from collectors.ingest import ingest
from warehouse.db import Warehouse

DEMO = Path(__file__).resolve().parents[3] / "fixtures" / "demo" / "aws"
UTC = dt.UTC
EXPECTED = {
    "Reserved Instance": dt.datetime(2026, 11, 20, tzinfo=UTC),
    "Savings Plan": dt.datetime(2027, 2, 1, tzinfo=UTC),
}


@pytest.mark.parametrize("flavour", ["cur2", "cur"])
def test_commitment_rows_carry_their_end(tmp_path: Path, flavour: str) -> None:
    wh = Warehouse(tmp_path / "w.duckdb")
    ingest(wh, [DEMO / flavour])
    with wh.read() as con:
        ends = con.execute(
            """SELECT CommitmentDiscountType, count(DISTINCT x_CommitmentDiscountEnd),
                      min(x_CommitmentDiscountEnd), count(*) - count(x_CommitmentDiscountEnd)
               FROM focus_costs WHERE CommitmentDiscountId IS NOT NULL GROUP BY 1"""
        ).fetchall()
        (others,) = con.execute(
            """SELECT count(x_CommitmentDiscountEnd) FROM focus_costs
               WHERE CommitmentDiscountId IS NULL"""
        ).fetchone() or (None,)
    assert {kind: (n, end, missing) for kind, n, end, missing in ends} == {
        kind: (1, end, 0) for kind, end in EXPECTED.items()
    }
    assert others == 0
