"""Small helpers for running queries (DuckDB 2 wants every result read to the end)."""

from __future__ import annotations

from typing import Any

import duckdb


def one(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> tuple[Any, ...]:
    """The single row a query returns (aggregates, counts)."""
    rows = con.execute(sql, params or []).fetchall()
    if len(rows) != 1:
        raise ValueError(f"expected one row, got {len(rows)}: {sql[:80]}")
    return tuple(rows[0])
