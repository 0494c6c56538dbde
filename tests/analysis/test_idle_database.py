"""idle_database: not one connection for 7 days; a busy database is left alone; databases
without connection counts (or only in the bill) cannot be judged."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from analysis.findings import CANNOT_JUDGE, OPEN
from tests.analysis.world import World, by_resource


def db(world: World, rid: str, connections: float | None, hours: int = 7 * 24,
       **columns: Any) -> World:  # fmt: skip
    world.resource(rid, "db", **{"state": "available", "sku": "db.m5.large", **columns})
    if connections is not None:
        world.metric(rid, "connections", lambda _i: connections, hours)
    return world.cost(rid, per_day=4.104)


def test_a_database_without_connections_is_found(world: World) -> None:
    [f] = db(world, "arn:rds:idle", 0.0).run("idle_database")
    assert (f.check, f.status, f.action) == ("idle_database", OPEN, "stop or delete the database")
    assert f.savings == Decimal("124.8300")
    assert f.evidence["connections_peak"] == 0
    assert f.evidence["coverage"] == 1


@pytest.mark.parametrize(("peak", "idle"), [(0.0, True), (1.0, False)])
def test_one_connection_in_one_hour_is_enough(world: World, peak: float, idle: bool) -> None:
    world.resource("db-1", "db", state="available")
    world.metric("db-1", "connections", lambda i: (0.0, peak) if i == 5 else 0.0, 7 * 24)
    assert bool(world.run("idle_database")) is idle


def test_busy_and_stopped_databases_are_not_flagged(world: World) -> None:
    db(world, "arn:rds:busy", 45.0)
    db(world, "arn:rds:stopped", None, state="stopped")
    assert world.run("idle_database") == []


def test_databases_without_enough_counts_cannot_be_judged(world: World) -> None:
    db(world, "arn:rds:blind", None)
    db(world, "arn:rds:gappy", 0.0, hours=5 * 24)
    world.cost("/az/sql/db", per_day=12.12, provider="azure", category="Databases")
    found = by_resource(world.run("idle_database"))
    assert set(found) == {"arn:rds:blind", "arn:rds:gappy", "/az/sql/db"}
    assert {f.status for f in found.values()} == {CANNOT_JUDGE}
    assert all(f.savings is None for f in found.values())
