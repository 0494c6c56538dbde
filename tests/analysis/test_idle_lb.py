"""idle_load_balancer: no healthy or no registered targets, or under 100 requests on every day
of the week; a balancer serving traffic is left alone, one nothing can be said about is
reported as not judgeable."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from analysis.findings import CANNOT_JUDGE, OPEN
from tests.analysis.world import World, by_resource


def lb(world: World, rid: str, per_hour: float | None = None, hours: int = 7 * 24,
       **columns: Any) -> World:  # fmt: skip
    world.resource(rid, "lb", **{"state": "active", "sku": "application", **columns})
    if per_hour is not None:
        provider = columns.get("provider", "aws")
        world.metric(rid, "requests", lambda _i: per_hour, hours, provider)
    return world.cost(rid, per_day=0.54, provider=columns.get("provider", "aws"))


def test_balancers_without_targets_are_found(world: World) -> None:
    lb(world, "arn:lb/idle", 0.0, attributes={"healthy_targets": "0", "registered_targets": "0"})
    lb(world, "/az/lb-idle", provider="azure", attributes={"registered_targets": "0"})
    found = by_resource(world.run("idle_load_balancer"))
    assert set(found) == {"arn:lb/idle", "/az/lb-idle"}
    assert found["arn:lb/idle"].savings == Decimal("16.4250")
    assert found["arn:lb/idle"].action == "delete the load balancer"
    assert found["arn:lb/idle"].evidence["healthy_targets"] == 0
    assert found["/az/lb-idle"].confidence < found["arn:lb/idle"].confidence


@pytest.mark.parametrize(("per_day", "idle"), [(0, True), (99, True), (100, False)])
def test_requests_per_day_boundary(world: World, per_day: float, idle: bool) -> None:
    found = lb(world, "fr-1", per_day / 24, provider="gcp").run("idle_load_balancer")
    assert [f.status for f in found] == ([OPEN] if idle else [])


def test_a_balancer_serving_traffic_is_not_flagged(world: World) -> None:
    lb(
        world,
        "arn:lb/busy",
        40000.0,
        attributes={"healthy_targets": "2", "registered_targets": "2"},
    )
    lb(world, "fr-busy", 40000.0, provider="gcp")
    lb(world, "fr-busy-gappy", 40000.0, hours=24, provider="gcp")
    assert world.run("idle_load_balancer") == []


def test_a_balancer_without_counts_or_enough_samples_cannot_be_judged(world: World) -> None:
    lb(world, "/az/lb-busy", provider="azure", attributes={"registered_targets": "2"})
    lb(world, "fr-gappy", 0.0, hours=5 * 24, provider="gcp")
    found = by_resource(world.run("idle_load_balancer"))
    assert {f.status for f in found.values()} == {CANNOT_JUDGE}
    assert found["fr-gappy"].evidence["coverage"] == pytest.approx(5 / 7, abs=1e-4)
