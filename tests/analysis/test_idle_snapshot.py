"""old_snapshot / orphaned_snapshot: snapshots older than 90 days, or at least 30 days old with
their source disk gone; young snapshots are left alone; bill-only snapshots count by their first
charge."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.analysis.world import END, World, by_resource

ARN = "arn:aws:ec2:us-east-1:111111111111:snapshot/snap-0abc"


def snap(world: World, rid: str, age_days: int, **columns: Any) -> World:
    return world.resource(rid, "snapshot", **{"state": "completed", "sku": "EBS:SnapshotUsage",
                                              "size_gib": 200.0,
                                              "created_at": END - dt.timedelta(days=age_days),
                                              **columns})  # fmt: skip


@pytest.mark.parametrize(("age", "old"), [(90, False), (91, True), (21, False)])
def test_age_boundary(world: World, age: int, old: bool) -> None:
    found = snap(world, "snap-1", age).run("old_snapshot")
    assert [f.check for f in found] == (["old_snapshot"] if old else [])


def test_an_aws_snapshot_is_the_arn_with_its_snap_id_in_evidence(world: World) -> None:
    snap(world, ARN, 334, attributes={"snapshot_id": "snap-0abc", "volume_id": "vol-ffffffff"})
    world.price("EBS:SnapshotUsage", 0.05, unit="GB-Mo")
    [f] = world.run("old_snapshot")
    assert f.resource_id == ARN
    assert f.evidence["snapshot_id"] == "snap-0abc"
    assert f.savings == Decimal("10.0000")
    assert f.evidence["cost_source"] == "list price"
    assert f.action == "delete the snapshot"
    assert not f.evidence["orphaned"]


def test_orphaned_snapshots(world: World) -> None:
    world.resource("vol-kept", "disk", state="in-use")
    snap(world, "snap-orphan", 45, attributes={"volume_id": "vol-gone"})
    snap(world, "snap-kept", 45, attributes={"volume_id": "vol-kept"})
    snap(world, "snap-young-orphan", 21, attributes={"volume_id": "vol-gone"})
    snap(world, "snap-copy", 45, attributes={"volume_id": "vol-ffffffff"})
    snap(world, "snap-old-orphan", 120, attributes={"volume_id": "vol-gone"})
    found = by_resource(world.run("old_snapshot"))
    assert {k: f.check for k, f in found.items()} == {
        "snap-orphan": "orphaned_snapshot", "snap-old-orphan": "old_snapshot"}  # fmt: skip
    assert found["snap-old-orphan"].evidence["orphaned"] is True


def test_backup_and_image_snapshots_are_excluded(world: World) -> None:
    snap(world, "snap-backup", 200, tags={"aws:backup:source-resource": "x"})
    snap(world, "snap-ami", 200, attributes={"ami_id": "ami-1"})
    assert world.run("old_snapshot") == []


def test_bill_only_snapshots_are_as_old_as_their_first_charge(world: World) -> None:
    kind = "microsoft.compute/snapshots"
    world.cost("/az/snapshots/old", per_day=0.3287671233, days=92, provider="azure",
               resource_type=kind)  # fmt: skip
    world.cost("/az/snapshots/young", per_day=0.33, days=21, provider="azure", resource_type=kind)
    world.cost("/az/disks/billed", per_day=1.0, days=120, provider="azure", resource_type="disk")
    [f] = world.run("old_snapshot")
    assert (f.resource_id, f.check, f.savings) == ("/az/snapshots/old", "old_snapshot",
                                                   Decimal("10.0000"))  # fmt: skip
    assert f.evidence["age_days"] == 92
    assert f.evidence["age_is_lower_bound"] is True
    assert f.confidence == 0.9
