"""Azure observations: the real SDK clients against the fake ARM server replaying the demo
company, compared with the same normalizers run on the recorded files; faults; prices."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from collectors.azure.observe import Observations, collect_observations, observations_from_recorded
from collectors.azure.rows import METRICS, PRICES, RESOURCES
from tests.collectors.azure.arm_data import DEMO
from tests.collectors.azure.arm_server import FakeArm, arm
from warehouse.db import Warehouse
from warehouse.observations import load_metrics, load_prices, load_resources

__all__ = ["arm"]
pytestmark = pytest.mark.e2e  # about 10 s: the whole demo company through the SDKs
NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)  # the end of the recorded metric window
COST_HEADER = "x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after"
IDLE_VM = ("/subscriptions/f2a1c3d4-2222-4a5b-8c6d-000000000002/resourcegroups/rg-dev"
           "/providers/microsoft.compute/virtualmachines/dev-idle-vm-1")  # fmt: skip
NOT_RECORDED = {"vm": "state", "resource_group": "state", "subscription": "state"}


@pytest.fixture(scope="module")
def recorded() -> Observations:
    return observations_from_recorded(DEMO)


@pytest.fixture(scope="module")
def live(arm: FakeArm) -> tuple[Observations, Any]:
    arm.reset()
    arm.data.power[IDLE_VM] = "PowerState/deallocated"
    arm.fail(r"/providers/Microsoft.Compute/disks$", 429, headers={COST_HEADER: "0.05"})
    clients, credential = arm.clients(lookback_days=1)
    return collect_observations(clients, NOW), credential


def _comparable(obs: Observations) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = obs.resources.to_pylist()
    for row in rows:
        row.pop("collected_at")
        if row["resource_type"] in NOT_RECORDED:
            row.pop(NOT_RECORDED[row["resource_type"]])
        if row["resource_type"] == "subscription":
            row.pop("attributes")
    return rows


def test_inventory_equals_the_recorded_normalization(live: Any, recorded: Observations) -> None:
    obs, _ = live
    assert obs.problems == []
    assert obs.resources.schema.equals(RESOURCES)
    assert _comparable(obs) == _comparable(recorded)
    kinds = {r["resource_type"] for r in obs.resources.to_pylist()}
    assert kinds == {"subscription", "resource_group", "vm", "disk", "snapshot", "ip", "lb", "db"}


def test_power_state_sizes_and_ids(live: Any) -> None:
    obs, credential = live
    vms = {r["resource_id"]: r for r in obs.resources.to_pylist() if r["resource_type"] == "vm"}
    idle = next(r for k, r in vms.items() if k.endswith("/dev-idle-vm-1"))
    assert idle["state"] == "deallocated"
    assert {r["state"] for k, r in vms.items() if r is not idle} == {"running"}
    assert all(k == k.lower() and k.startswith("/subscriptions/") for k in vms)
    spot = [r for r in vms.values() if r["scaling_group"]]
    assert len(spot) == 3
    assert {r["scaling_group"].rsplit("/", 2)[1] for r in spot} == {"virtualmachinescalesets"}
    assert (idle["vcpu"], idle["memory_gib"]) == (4, 16)
    assert credential.scopes
    assert all(s[0].endswith("/.default") for s in credential.scopes)


def test_paging_and_throttling_were_exercised(arm: FakeArm, live: Any) -> None:
    pages = arm.hits(r"/Microsoft.Compute/virtualMachines$")
    assert any("$skiptoken" in r.query for r in pages)
    disks = arm.hits(r"/Microsoft.Compute/disks$")
    assert len(disks) == 3  # two subscriptions, one of them retried after the 429
    assert all(r.headers.get("Authorization") == "Bearer fake-token" for r in arm.requests
               if not r.path.startswith("/api/"))  # fmt: skip


def test_metrics_equal_the_recorded_hours(live: Any, recorded: Observations) -> None:
    obs, _ = live
    assert obs.metrics.schema.equals(METRICS)
    start = NOW - dt.timedelta(days=1)
    want = [r for r in recorded.metrics.to_pylist() if r["hour"] >= start]
    got = obs.metrics.to_pylist()
    for row in [*want, *got]:
        row.pop("collected_at")
    assert got == want
    assert len(got) == 24 * (16 * 3 + 8 + 2 * 2 + 2)  # VMs, SQL databases, load balancers
    memory = [r for r in got if r["metric"] == "memory_percent"]
    assert all(0 <= r["avg_value"] <= 100 for r in memory)


def test_prices_for_what_is_in_use(arm: FakeArm, live: Any, recorded: Observations) -> None:
    obs, _ = live
    assert obs.prices.schema.equals(PRICES)
    assert obs.prices.to_pylist() == [
        {**r, "collected_at": NOW} for r in recorded.prices.to_pylist()
    ]
    models = {(r["sku"], r["pricing_model"], r["term"]) for r in obs.prices.to_pylist()
              if r["region"] == "westeurope" and r["sku"] == "Standard_D4s_v5"}  # fmt: skip
    assert models == {("Standard_D4s_v5", "on_demand", None), ("Standard_D4s_v5", "spot", None),
                      ("Standard_D4s_v5", "commitment", "1yr-reservation"),
                      ("Standard_D4s_v5", "commitment", "3yr-reservation"),
                      ("Standard_D4s_v5", "commitment", "1yr-savings-plan"),
                      ("Standard_D4s_v5", "commitment", "3yr-savings-plan")}  # fmt: skip
    assert any("NextPageLink" not in r.query and "$skip" in r.query
               for r in arm.hits("/api/retail/prices"))  # fmt: skip


def test_loads_into_the_warehouse(live: Any, tmp_path: Path) -> None:
    obs, _ = live
    with Warehouse(tmp_path / "w.duckdb").write() as con:
        con.execute("BEGIN TRANSACTION")
        assert load_resources(con, obs.resources, obs.scopes).inserted == obs.resources.num_rows
        assert load_metrics(con, obs.metrics).inserted == obs.metrics.num_rows
        assert load_prices(con, obs.prices).inserted == obs.prices.num_rows
        con.execute("COMMIT")


def test_a_denied_subscription_is_a_problem_and_the_rest_loads(arm: FakeArm, live: Any) -> None:
    arm.reset()
    arm.denied.add("f2a1c3d4-3333-4a5b-8c6d-000000000003")
    arm.fail(r"/subscriptions/f2a1c3d4-2222[^/]*/providers/Microsoft.Network/loadBalancers$", 403,
             code="AuthorizationFailed")  # fmt: skip
    clients, _ = arm.clients(lookback_days=1, management_group="demo-root")
    told: list[tuple[str, int, int]] = []
    got = collect_observations(clients, NOW, lambda *said: told.append(said))
    assert [(p.subscription_id, p.service) for p in got.problems] == [
        ("f2a1c3d4-2222-4a5b-8c6d-000000000002", "loadbalancers"),
        ("f2a1c3d4-3333-4a5b-8c6d-000000000003", "subscription"),
    ]
    assert "403 AuthorizationFailed" in got.problems[1].message
    assert sorted(done for _, done, _ in told) == [1, 2, 3]
    subs = {r["account_id"] for r in got.resources.to_pylist()}
    assert subs == {"f2a1c3d4-1111-4a5b-8c6d-000000000001", "f2a1c3d4-2222-4a5b-8c6d-000000000002"}
    dev_lb = [s for s in got.scopes if s.account_id.startswith("f2a1c3d4-2222") and
              s.resource_type == "lb"]  # fmt: skip
    assert dev_lb == []
    arm.reset()
