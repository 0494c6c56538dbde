"""The demo company's GCP export and small edits of it, for the billing tests."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import duckdb

from fixtures.gcp.billing import READ_COLUMNS

BILLING = Path(__file__).resolve().parents[3] / "fixtures" / "demo" / "gcp" / "billing"
MONTHS = ("202608", "202609", "202610")


def month_file(month: str) -> Path:
    [path] = (BILLING / f"invoice_month={month}").glob("*.json.gz")
    return path


def export_totals() -> dict[str, dict[str, Any]]:
    data = json.loads((BILLING / "export_totals.json").read_text(encoding="utf-8"))
    return {m["invoice_month"]: m for m in data["months"]}


def read_lines(month: str) -> list[str]:
    return gzip.decompress(month_file(month).read_bytes()).decode("utf-8").splitlines()


def write_lines(lines: list[str], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def to_parquet(source: Path, target: Path) -> Path:
    """The JSON export as BigQuery's Arrow result would write it: nested columns, DOUBLE costs,
    TIMESTAMP times."""
    target.parent.mkdir(parents=True, exist_ok=True)
    columns = ", ".join(f"'{k}': '{v}'" for k, v in READ_COLUMNS.items())
    times = ("usage_start_time", "usage_end_time", "export_time")
    replaced = ", ".join(f"CAST(replace({t}, ' UTC', 'Z') AS TIMESTAMPTZ) AS {t}" for t in times)
    duckdb.sql(
        f"COPY (SELECT * REPLACE ({replaced}) FROM read_json('{source}',"
        f" format = 'newline_delimited', columns = {{{columns}}}))"
        f" TO '{target}' (FORMAT parquet)"
    )
    return target
