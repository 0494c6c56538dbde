"""The real anonymized legacy CUR published with the FinOps Foundation's focus-converters loads and
reconciles to the cent against totals summed here with the csv module."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from collectors.ingest import ingest
from warehouse.db import Warehouse


def _csv_totals(path: Path) -> tuple[int, Decimal, dict[str, int]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    total = sum((Decimal(r["lineItem/UnblendedCost"] or "0") for r in rows), Decimal(0))
    types: dict[str, int] = {}
    for r in rows:
        types[r["lineItem/LineItemType"]] = types.get(r["lineItem/LineItemType"], 0) + 1
    return len(rows), total, types


def test_the_real_legacy_cur_loads_and_reconciles(samples: Path, warehouse: Warehouse) -> None:
    path = samples / "focus-converters" / "sample-anonymous-aws-export-dataset.csv"
    rows, unblended, types = _csv_totals(path)
    [summary] = ingest(warehouse, [path])
    assert summary.format == "cur-legacy-csv"
    assert summary.loaded_rows == rows == 1281
    assert summary.quarantined_rows == 0
    assert summary.loaded_billed.quantize(Decimal("0.01")) == unblended.quantize(Decimal("0.01"))
    # no commitments in this bill: amortized = unblended
    assert summary.loaded_effective == summary.loaded_billed
    with warehouse.read() as con:
        categories = dict(
            con.execute("SELECT ChargeCategory, count(*) FROM focus_costs GROUP BY 1").fetchall()
        )
        period, accounts = con.execute(
            "SELECT DISTINCT strftime(BillingPeriodStart, '%Y-%m'), BillingAccountId"
            " FROM focus_costs"
        ).fetchall()[0]
    assert categories == {"Usage": types["Usage"], "Tax": types["Tax"]}
    assert (period, accounts) == ("2023-11", "123412340534")
