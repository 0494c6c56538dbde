"""stopped_vm: an Azure VM stopped but not deallocated saves its compute when deallocated; a VM
stopped for 30 days saves its attached disks and addresses; a VM without a power state (Azure's
NULL) is never taken as stopped."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from analysis.findings import CANNOT_JUDGE, OPEN
from tests.analysis.world import END, World, by_resource

VM = "/subscriptions/s/resourcegroups/rg/providers/microsoft.compute/virtualmachines/vm1"


def stopped(world: World, rid: str, state: str | None, days: int | None = None,
            **columns: Any) -> World:  # fmt: skip
    since = {} if days is None else {"stopped_at": (END - dt.timedelta(days=days)).isoformat()}
    return world.resource(rid, "vm", **{"state": state, "sku": "m5.large", "attributes": since,
                                        **columns})  # fmt: skip


def with_disk(world: World, vm: str, disk: str, provider: str = "aws") -> World:
    world.resource(disk, "disk", state="in-use", attached_to=vm, provider=provider)
    return world.cost(disk, per_day=1.0, provider=provider)


def test_stopped_not_deallocated_azure_vm_saves_its_compute(world: World) -> None:
    stopped(world, VM, "VM stopped", provider="azure").cost(VM, per_day=4.608, provider="azure")
    [f] = world.run("stopped_vm")
    assert (f.check, f.status, f.savings) == ("stopped_vm", OPEN, Decimal("140.1600"))
    assert f.action.startswith("deallocate")


def test_azure_vms_without_power_state_or_deallocated_recently_are_left_alone(
    world: World,
) -> None:
    stopped(world, VM, None, provider="azure")
    with_disk(world, VM, VM + "-disk", provider="azure")
    stopped(world, VM + "2", "VM deallocated", 3, provider="azure")
    with_disk(world, VM + "2", VM + "2-disk", provider="azure")
    assert world.run("stopped_vm") == []


@pytest.mark.parametrize(("days", "found"), [(29, False), (30, True)])
def test_long_stopped_vms_save_their_disks_and_addresses(
    world: World, days: int, found: bool
) -> None:
    stopped(world, "i-1", "stopped", days)
    with_disk(world, "i-1", "vol-1")
    world.resource("eipalloc-1", "ip", state="associated", attached_to="i-1")
    world.cost("eipalloc-1", per_day=0.12)
    result = world.run("stopped_vm")
    assert bool(result) is found
    if found:
        [f] = result
        assert f.savings == Decimal("34.0667")  # (1.00 + 0.12) a day x 730 / 24
        assert f.evidence["attached"] == ["eipalloc-1", "vol-1"]


def test_stopped_vms_without_attachments_or_still_running_are_not_flagged(world: World) -> None:
    stopped(world, "i-bare", "stopped", 60)
    stopped(world, "i-running", "running", 60)
    with_disk(world, "i-running", "vol-r")
    assert world.run("stopped_vm") == []


def test_stop_time_from_the_last_cpu_sample_or_unknown(world: World) -> None:
    stopped(world, "i-metrics", "stopped")
    with_disk(world, "i-metrics", "vol-m")
    world.metric("i-metrics", "cpu_percent", lambda i: 5.0 if i >= 40 * 24 else None, 60 * 24)
    found = by_resource(world.run("stopped_vm"))
    assert found["i-metrics"].evidence["stopped_days"] == 40
    assert found["i-metrics"].evidence["since_estimated"] is True


def test_a_stopped_vm_whose_stop_time_is_unknown_cannot_be_judged(world: World) -> None:
    stopped(world, "i-unknown", "stopped")
    with_disk(world, "i-unknown", "vol-u")
    [f] = world.run("stopped_vm")
    assert f.status == CANNOT_JUDGE
    assert "since when" in f.evidence["reason"]
