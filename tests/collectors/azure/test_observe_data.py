"""Snapshots, SQL databases and load balancers (with health and traffic): the real SDK clients
against the fake ARM server equal the recorded normalization; master left out, a subscription
without Microsoft.Sql, a failed health call."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from collectors.azure.observe import Observations, collect_observations, observations_from_recorded
from tests.collectors.azure.arm_data import DEMO
from tests.collectors.azure.arm_server import FakeArm, arm

__all__ = ["arm"]
pytestmark = pytest.mark.e2e  # a few seconds: the demo company through the SDKs
NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
PROD = "f2a1c3d4-1111-4a5b-8c6d-000000000001"
KINDS = {"snapshot", "db", "lb"}
RG_PROD = f"/subscriptions/{PROD}/resourcegroups/rg-prod/providers/"
BUSY_LB = RG_PROD + "microsoft.network/loadbalancers/prod-busy-lb-1"
IDLE_LB = RG_PROD + "microsoft.network/loadbalancers/prod-idle-lb-1"
IDLE_DB = ("/subscriptions/f2a1c3d4-2222-4a5b-8c6d-000000000002/resourcegroups/rg-dev/providers/"
           "microsoft.sql/servers/sql-dev/databases/dev-idle-db-1")  # fmt: skip


def _rows(obs: Observations) -> dict[str, dict[str, Any]]:
    out = {r["resource_id"]: r for r in obs.resources.to_pylist() if r["resource_type"] in KINDS}
    for row in out.values():
        row.pop("collected_at")
    return out


def _metrics(obs: Observations, since: dt.datetime) -> list[dict[str, Any]]:
    rows = [r for r in obs.metrics.to_pylist() if r["hour"] >= since
            and "/microsoft.compute/" not in r["resource_id"]]  # fmt: skip
    for row in rows:
        row.pop("collected_at")
    return rows


@pytest.fixture(scope="module")
def recorded() -> Observations:
    return observations_from_recorded(DEMO)


@pytest.fixture(scope="module")
def live(arm: FakeArm) -> Observations:
    arm.reset()
    clients, _ = arm.clients(lookback_days=1)
    return collect_observations(clients, NOW)


def test_new_rows_equal_the_recorded_normalization(live: Observations, recorded: Any) -> None:
    assert live.problems == []
    got = _rows(live)
    assert got == _rows(recorded)
    assert {
        k.rsplit("/", 1)[1]: (r["resource_type"], r["region"], r["state"], r["sku"])
        for k, r in got.items()
    } == {
        "prod-old-snapshot-1": ("snapshot", "eastus", "succeeded", "Standard_LRS"),
        "prod-recent-snapshot-1": ("snapshot", "westeurope", "succeeded", "Standard_LRS"),
        "prod-stateful-db-1": ("db", "eastus", "online", "GP_Gen5_2"),
        "dev-idle-db-1": ("db", "northeurope", "online", "GP_Gen5_2"),
        "prod-busy-lb-1": ("lb", "northeurope", "succeeded", "Standard"),
        "prod-idle-lb-1": ("lb", "westeurope", "succeeded", "Standard"),
    }
    old = got[RG_PROD + "microsoft.compute/snapshots/prod-old-snapshot-1"]
    assert (old["size_gib"], old["created_at"]) == (200.0, dt.datetime(2025, 12, 1, 9, 30,
                                                                        tzinfo=dt.UTC))  # fmt: skip
    assert (got[IDLE_DB]["vcpu"], got[IDLE_DB]["size_gib"]) == (2.0, 32.0)
    assert dict(got[BUSY_LB]["attributes"])["healthy_targets"] == "2"
    assert dict(got[IDLE_LB]["attributes"])["healthy_targets"] == "0"


def test_master_is_listed_but_not_kept(arm: FakeArm, live: Observations) -> None:
    assert arm.hits(r"/Microsoft.Sql/servers/sql-dev/databases$")
    assert not [k for k in _rows(live) if k.endswith("/databases/master")]
    assert not arm.hits(r"/databases/master/providers/Microsoft.Insights/metrics$")


def test_metrics_equal_the_recorded_hours(live: Observations, recorded: Any) -> None:
    got = _metrics(live, NOW - dt.timedelta(days=1))
    assert got == _metrics(recorded, NOW - dt.timedelta(days=1))
    names = {(r["resource_id"].rsplit("/", 1)[1], r["metric"]) for r in got}
    assert names == {
        ("prod-busy-lb-1", "requests"), ("prod-idle-lb-1", "requests"),
        ("prod-stateful-db-1", "cpu_percent"), ("dev-idle-db-1", "cpu_percent"),
        ("prod-stateful-db-1", "connections"), ("dev-idle-db-1", "connections"),
    }  # fmt: skip
    assert len(got) == 24 * 6
    idle = [r["avg_value"] for r in got if r["resource_id"] in (IDLE_LB, IDLE_DB)
            and r["metric"] in ("requests", "connections")]  # fmt: skip
    assert idle == [0.0] * 48


def test_unregistered_sql_is_no_databases_and_failed_health_no_count(arm: FakeArm) -> None:
    arm.reset()
    arm.fail(r"/providers/Microsoft.Sql/servers$", 409, code="MissingSubscriptionRegistration")
    arm.fail(r"/loadBalancers/prod-busy-lb-1/providers/Microsoft.Insights/metrics$", 403,
             times=2, code="AuthorizationFailed")  # fmt: skip
    clients, _ = arm.clients(lookback_days=1, subscriptions=[PROD])
    got = collect_observations(clients, NOW)
    assert [(p.service, p.message[:5]) for p in got.problems] == [("metrics", "2 of ")]
    assert "403 AuthorizationFailed" in got.problems[0].message
    kinds = {s.resource_type for s in got.scopes}
    assert {"db", "lb", "snapshot"} <= kinds
    rows = _rows(got)
    assert not [r for r in rows.values() if r["resource_type"] == "db"]
    busy = dict(rows[BUSY_LB]["attributes"])
    assert "healthy_targets" not in busy
    assert busy["registered_targets"] == "2"
    assert dict(rows[IDLE_LB]["attributes"])["healthy_targets"] == "0"
    arm.reset()
