"""The demo company's detailed billing export, as rows and as the totals it was written with."""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path
from typing import Any

import duckdb

from fixtures.gcp.billing import READ_COLUMNS
from tests.collectors.gcp_export.bq_fake import Seeded, seed

BILLING = Path(__file__).resolve().parents[3] / "fixtures" / "demo" / "gcp" / "billing"
TABLE = "billing-admin-4711.billing_export.gcp_billing_export_resource_v1_01A2B3_C4D5E6_F7A8B9"
NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)  # still October in California: 08..10 are newest


@functools.cache
def demo_rows() -> tuple[dict[str, Any], ...]:
    """Every row of every invoice month, nested fields as dicts and lists (NULLs as None)."""
    columns = ", ".join(f"'{name}': '{kind}'" for name, kind in READ_COLUMNS.items())
    files = str(BILLING / "invoice_month=*" / "*.json.gz")
    with duckdb.connect() as con:
        result = con.execute(
            f"SELECT * FROM read_json(?, format = 'newline_delimited', columns = {{{columns}}})",
            [files],
        )
        names = [d[0] for d in result.description]
        return tuple(dict(zip(names, row, strict=True)) for row in result.fetchall())


@functools.cache
def demo_seeded() -> tuple[Seeded, ...]:
    """The demo rows as the fake BigQuery table holds them."""
    return tuple(seed(row, partition_of(row)) for row in demo_rows())


def partition_of(row: dict[str, Any]) -> dt.date:
    """The day the export wrote a row (its ingestion-time partition): export_time's UTC date."""
    return dt.date.fromisoformat(str(row["export_time"])[:10])


def export_totals() -> dict[str, dict[str, Any]]:
    """invoice month -> rows, cost, credits, as ``export_totals.json`` has them."""
    body = json.loads((BILLING / "export_totals.json").read_text())
    return {m["invoice_month"]: m for m in body["months"]}
