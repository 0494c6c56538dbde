"""Bad CUR rows are quarantined with the file's own column name, row and line; a CUR lacking a
column it cannot do without is refused with nothing loaded."""

from __future__ import annotations

import csv
import gzip
import io
from decimal import Decimal
from pathlib import Path

import pytest

from collectors.base import CollectorError
from collectors.ingest import ingest
from warehouse.db import Warehouse

DEMO = Path(__file__).resolve().parents[3] / "fixtures" / "demo" / "aws"


def _legacy_rows() -> list[list[str]]:
    [path] = (DEMO / "cur" / "example-cur" / "20261001-20261101").glob("*/*.csv.gz")
    return list(csv.reader(io.StringIO(gzip.decompress(path.read_bytes()).decode("utf-8"))))


def _write(rows: list[list[str]], path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_bad_values_are_quarantined_with_column_row_and_line(
    tmp_path: Path, warehouse: Warehouse
) -> None:
    rows = _legacy_rows()
    cost = rows[0].index("lineItem/UnblendedCost")
    start = rows[0].index("lineItem/UsageStartDate")
    rows[5][cost] = "12,50"
    rows[9][start] = "yesterday"
    source = _write(rows, tmp_path / "october.csv")
    [summary] = ingest(warehouse, [source])
    with warehouse.read() as con:
        bad = con.execute(
            "SELECT source_row, source_line, column_name, reason, BilledCost FROM quarantine"
            " ORDER BY source_row"
        ).fetchall()
    assert [(b[0], b[1], b[2]) for b in bad] == [
        (5, 6, "lineItem/UnblendedCost"),
        (9, 10, "lineItem/UsageStartDate"),
    ]
    assert "expected a decimal number, got '12,50'" in bad[0][3]
    assert bad[1][4] == Decimal(rows[9][cost])
    assert summary.source_totals.unparsed_rows == 1
    assert summary.loaded_rows + summary.quarantined_rows == len(rows) - 1 + (
        summary.source_totals.derived_rows
    )


def test_a_cur_without_its_cost_column_is_refused(tmp_path: Path, warehouse: Warehouse) -> None:
    rows = _legacy_rows()
    cost = rows[0].index("lineItem/UnblendedCost")
    source = _write([r[:cost] + r[cost + 1 :] for r in rows], tmp_path / "no-cost.csv")
    with pytest.raises(CollectorError, match=r"no-cost.csv: CUR file lacks the column\(s\) "):
        ingest(warehouse, [source])
    assert not warehouse.exists()
