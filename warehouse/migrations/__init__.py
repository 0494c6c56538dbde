"""Schema versions: numbered SQL files in ``warehouse/migrations/``, applied in order, once each."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import duckdb

from warehouse.errors import WarehouseError
from warehouse.sql import one

_NAME = re.compile(r"^(\d{3})_(\w+)\.sql$")


@dataclass(frozen=True)
class Migration:
    """One schema step: its version number, name and SQL text."""

    version: int
    name: str
    sql: str


def available() -> list[Migration]:
    """Every migration shipped with this version of cloudspend, oldest first."""
    found = []
    for entry in resources.files(__name__).iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    return sorted(found, key=lambda m: m.version)


def latest_version() -> int:
    """The schema version this code expects."""
    return available()[-1].version


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version of the open database; 0 for an empty one."""
    (exists,) = one(
        con, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'schema_migrations'"
    )
    if not exists:
        return 0
    return int(one(con, "SELECT coalesce(max(version), 0) FROM schema_migrations")[0])


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply every pending migration, each in its own transaction; return the versions applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
    )
    have = current_version(con)
    if have > latest_version():
        raise WarehouseError(
            f"the warehouse has schema version {have}, newer than this cloudspend knows "
            f"({latest_version()}); upgrade cloudspend"
        )
    applied = []
    for step in available():
        if step.version <= have:
            continue
        con.execute("BEGIN TRANSACTION")
        con.execute(step.sql)
        con.execute("INSERT INTO schema_migrations VALUES (?, ?, now())", [step.version, step.name])
        con.execute("COMMIT")
        applied.append(step.version)
    return applied
