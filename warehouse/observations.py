"""Loading what collectors observed (inventory, hourly metrics, list prices) inside the caller's
write transaction. Collectors hand over Arrow tables (or DuckDB relations) whose columns are
exactly the target table's; nothing here knows any cloud SDK.

- ``resources``: every scope (provider, account, region, resource type) read completely is
  replaced by what was read, so deleted resources disappear; scopes that failed keep their rows.
- ``metrics``: rows replace the rows with the same (provider, account, resource, metric, hour).
- ``prices``: rows replace the rows with the same (provider, region, sku, pricing model, term,
  operating system, unit).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

import duckdb

from warehouse.errors import InputError
from warehouse.sql import one

METRIC_KEY = ("provider", "account_id", "resource_id", "metric", "hour")
PRICE_KEY = ("provider", "region", "sku", "pricing_model", "term", "operating_system", "unit")
RESOURCE_KEY = ("provider", "account_id", "region", "resource_id")
_names = itertools.count()


class ResourceScope(NamedTuple):
    """One part of the inventory that was read completely."""

    provider: str
    account_id: str
    region: str
    resource_type: str


@dataclass(frozen=True)
class Replaced:
    """What a load did: rows inserted, and rows of earlier loads it deleted."""

    inserted: int
    deleted: int


def load_resources(
    con: duckdb.DuckDBPyConnection, rows: Any, scopes: Iterable[ResourceScope]
) -> Replaced:
    """Replace the ``resources`` of every scope with ``rows`` (all of which must lie in them)."""
    scope_list = sorted(set(scopes))
    with _staged(con, "resources", rows) as new:
        con.execute("CREATE OR REPLACE TEMP TABLE _scopes (provider VARCHAR, account_id VARCHAR,"
                    " region VARCHAR, resource_type VARCHAR)")  # fmt: skip
        if scope_list:
            con.executemany("INSERT INTO _scopes VALUES (?, ?, ?, ?)", scope_list)
        outside = one(con, f"SELECT count(*) FROM {new} n ANTI JOIN _scopes s USING "
                           "(provider, account_id, region, resource_type)")[0]  # fmt: skip
        if outside:
            raise InputError(f"{outside} resource rows lie outside the scopes being replaced")
        _check_unique(con, new, RESOURCE_KEY, "resources")
        deleted = con.execute(
            "DELETE FROM resources r USING _scopes s WHERE r.provider = s.provider"
            " AND r.account_id = s.account_id AND r.region IS NOT DISTINCT FROM s.region"
            " AND r.resource_type IS NOT DISTINCT FROM s.resource_type"
        ).fetchall()[0][0]
        inserted = _insert(con, "resources", new)
        con.execute("DROP TABLE _scopes")
    return Replaced(inserted, int(deleted))


def load_metrics(con: duckdb.DuckDBPyConnection, rows: Any) -> Replaced:
    """Insert ``metrics`` rows, replacing rows with the same key."""
    return _replace_keys(con, "metrics", rows, METRIC_KEY)


def load_prices(con: duckdb.DuckDBPyConnection, rows: Any) -> Replaced:
    """Insert ``prices`` rows, replacing rows with the same key."""
    return _replace_keys(con, "prices", rows, PRICE_KEY)


def _replace_keys(
    con: duckdb.DuckDBPyConnection, table: str, rows: Any, key: tuple[str, ...]
) -> Replaced:
    with _staged(con, table, rows) as new:
        _check_unique(con, new, key, table)
        same = " AND ".join(f"t.{k} IS NOT DISTINCT FROM n.{k}" for k in key)
        deleted = con.execute(f"DELETE FROM {table} t USING {new} n WHERE {same}").fetchall()
        inserted = _insert(con, table, new)
    return Replaced(inserted, int(deleted[0][0]))


class _staged:
    """``rows`` registered as a view under a fresh name, checked to have the table's columns."""

    def __init__(self, con: duckdb.DuckDBPyConnection, table: str, rows: Any) -> None:
        self.con, self.table, self.rows = con, table, rows
        self.name = f"_new_{table}_{next(_names)}"

    def __enter__(self) -> str:
        self.con.register(self.name, self.rows)
        have = [r[0] for r in self.con.execute(f"DESCRIBE {self.name}").fetchall()]
        want = _columns(self.con, self.table)
        if sorted(have) != sorted(want):
            self.con.unregister(self.name)
            missing, extra = sorted(set(want) - set(have)), sorted(set(have) - set(want))
            raise InputError(f"{self.table} rows: missing columns {missing}, unknown {extra}")
        return self.name

    def __exit__(self, *exc: object) -> None:
        self.con.unregister(self.name)


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?"
        " AND table_schema = 'main' ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def _check_unique(
    con: duckdb.DuckDBPyConnection, new: str, key: tuple[str, ...], table: str
) -> None:
    cols = ", ".join(key)
    (dupes,) = one(con, f"SELECT count(*) - count(DISTINCT ({cols})) FROM {new}")
    if dupes:
        raise InputError(f"{dupes} {table} rows repeat a key ({cols})")


def _insert(con: duckdb.DuckDBPyConnection, table: str, new: str) -> int:
    cols = ", ".join(f'"{c}"' for c in _columns(con, table))
    result = con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {new}").fetchall()
    return int(result[0][0])
