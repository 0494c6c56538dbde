"""Splitting a query over many resources into batches, so that holistic aggregates (exact
percentiles keep every value of a group in memory, and cannot spill) stay within DuckDB's memory
limit whatever the fleet's size. A batch is the resources whose id hashes to it."""

from __future__ import annotations

from typing import Any

import duckdb

ROWS_PER_BATCH = 5_000_000  # metric rows one batch's percentiles hold at most, about


def batch_count(con: duckdb.DuckDBPyConnection, rows_sql: str, params: dict[str, Any]) -> int:
    """How many batches ``rows_sql`` (a ``SELECT count(*)``) calls for."""
    result = con.execute(rows_sql, params).fetchone()
    rows = result[0] if result else 0
    return max(1, -(-int(rows or 0) // ROWS_PER_BATCH))


def in_batch(resource_id: str) -> str:
    """SQL: the resource ``resource_id`` belongs to batch ``$batch`` of ``$batches``."""
    return f"(hash(lower({resource_id})) % $batches = $batch)"
