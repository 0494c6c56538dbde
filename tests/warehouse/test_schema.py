"""The warehouse schema: FOCUS 1.2 columns under their exact names and types, migrations."""

from __future__ import annotations

import duckdb
import pytest

from warehouse import migrations
from warehouse.db import Warehouse
from warehouse.errors import WarehouseError
from warehouse.focus_columns import FOCUS_COLUMNS, X_COLUMNS

TABLES = {
    "focus_costs",
    "resources",
    "metrics",
    "prices",
    "findings",
    "ledger_links",
    "analysis_runs",
    "ingests",
    "ingest_periods",
    "azure_cost_rows",
    "ingest_files",
    "quarantine",
    "schema_migrations",
}


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str, str]]:
    return con.execute(
        "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
        "WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()


def _canonical(sql_type: str) -> str:
    return sql_type.replace(", ", ",").replace("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ")


def test_every_table_exists(warehouse: Warehouse) -> None:
    with warehouse.write() as con:
        names = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert names == TABLES


def test_focus_costs_has_all_57_focus_columns_then_x_columns(warehouse: Warehouse) -> None:
    with warehouse.write() as con:
        cols = _columns(con, "focus_costs")
    assert len(FOCUS_COLUMNS) == 57
    assert [c[0] for c in cols] == [c.name for c in FOCUS_COLUMNS] + [n for n, _ in X_COLUMNS]
    expected = {c.name: _canonical(c.sql_type) for c in FOCUS_COLUMNS}
    for name, data_type, nullable in cols[:57]:
        assert _canonical(data_type) == expected[name], name
        column = next(c for c in FOCUS_COLUMNS if c.name == name)
        assert (nullable == "NO") == column.required, name
    assert all(c[0].startswith("x_") for c in cols[57:])


def test_required_focus_columns_reject_nulls(warehouse: Warehouse) -> None:
    with warehouse.write() as con, pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO focus_costs (BilledCost) VALUES (1)")


def test_migrations_apply_once_and_record_the_version(warehouse: Warehouse) -> None:
    with warehouse.write() as con:
        assert migrations.current_version(con) == migrations.latest_version()
    with warehouse.write() as con:
        assert migrations.migrate(con) == []
        rows = con.execute("SELECT version, name FROM schema_migrations").fetchall()
    assert rows == [(m.version, m.name) for m in migrations.available()]


def test_a_newer_schema_is_refused(warehouse: Warehouse) -> None:
    with warehouse.write() as con:
        con.execute("INSERT INTO schema_migrations VALUES (999, 'future', now())")
    with pytest.raises(WarehouseError, match="newer than this cloudspend"), warehouse.write():
        pass


def test_reading_a_missing_warehouse_says_what_to_do(warehouse: Warehouse) -> None:
    with pytest.raises(WarehouseError, match="cloudspend ingest"), warehouse.read():
        pass
