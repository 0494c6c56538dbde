"""Malformed CSV lines: DuckDB collects them in a rejects table during a scan; these helpers count
them, turn data row numbers into file line numbers around them, and quarantine them as raw text."""

from __future__ import annotations

import duckdb

from collectors.files import sql_str
from warehouse.sql import one


def count_rejects(con: duckdb.DuckDBPyConnection, rejects: str) -> int:
    """Distinct malformed lines in the rejects table (0 when the scan made none)."""
    (exists,) = one(con, "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [rejects])
    if not exists:
        return 0
    return int(one(con, f"SELECT count(DISTINCT line) FROM {rejects}")[0])


def line_expr(con: duckdb.DuckDBPyConnection, rejects: str, row: str = "__row") -> str:
    """File line of data row ``row``: header + row, plus the malformed lines skipped before it."""
    if not count_rejects(con, rejects):
        return f"{row} + 1"
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {rejects}_gaps AS
            SELECT line - 1 - row_number() OVER (ORDER BY line) AS good_before
            FROM (SELECT DISTINCT line FROM {rejects})"""
    )
    return f"{row} + 1 + (SELECT count(*) FROM {rejects}_gaps g WHERE g.good_before < {row})"


def quarantine_rejects(
    con: duckdb.DuckDBPyConnection, ingest_id: int, source_file: str, rejects: str
) -> None:
    """Malformed CSV lines (wrong column count, invalid UTF-8, bad quoting): kept as raw text."""
    if not count_rejects(con, rejects):
        return
    con.execute(
        f"""
        INSERT INTO quarantine BY NAME
        SELECT {ingest_id} AS ingest_id, {sql_str(source_file)} AS source_file,
               line AS source_line, first(column_name) AS column_name,
               string_agg(error_type || ': ' || error_message, '; ') AS reason,
               first(csv_line) AS raw_record
        FROM {rejects} GROUP BY line
        """
    )
    con.execute(f"DROP TABLE IF EXISTS {rejects}_gaps")


def drop_rejects(con: duckdb.DuckDBPyConnection, rejects: str) -> None:
    """Remove a scan's rejects tables."""
    con.execute(f"DROP TABLE IF EXISTS {rejects}; DROP TABLE IF EXISTS {rejects}_scan")
