"""unattached_disk: a disk attached to nothing for `warn_days` is reported for review, for
`act_days` (15 on GCP) to delete; attached, recently detached, Kubernetes CSI and replica disks
are left alone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from analysis.findings import OPEN
from tests.analysis.world import END, World, by_resource

ACT = "delete the disk (snapshot it first if its data matters)"


def disk(world: World, rid: str, detached_days: int | None, state: str = "available",
         **columns: Any) -> World:  # fmt: skip
    since = None if detached_days is None else END - dt.timedelta(days=detached_days)
    return world.resource(rid, "disk", **{"state": state, "sku": "gp3", "size_gib": 500.0,
                                          "created_at": END - dt.timedelta(days=200),
                                          "last_attached_at": since, **columns})  # fmt: skip


def test_a_long_unattached_disk_is_found_and_priced_from_the_bill(world: World) -> None:
    disk(world, "vol-old", 45).cost("vol-old", per_day=Decimal("1.3150684931"))
    [f] = world.run("unattached_disk")
    assert (f.check, f.action, f.status) == ("unattached_disk", ACT, OPEN)
    assert f.savings == Decimal("40.0000")
    assert f.confidence == 1.0
    assert f.evidence["detached_days"] == 45
    assert f.evidence["cost_source"] == "bill"


@pytest.mark.parametrize(
    ("provider", "days", "action"),
    [("aws", 6, None), ("aws", 7, "review"), ("aws", 29, "review"), ("aws", 30, "delete"),
     ("gcp", 14, "review"), ("gcp", 15, "delete")],
)  # fmt: skip
def test_grace_periods(world: World, provider: str, days: int, action: str | None) -> None:
    found = disk(world, "d", days, provider=provider).run("unattached_disk")
    assert [f.action.split()[0] for f in found] == ([action] if action else [])
    if action == "review":
        assert found[0].confidence < 1


def test_attached_and_recently_detached_disks_are_not_flagged(world: World) -> None:
    disk(world, "vol-in-use", 0, state="in-use", attached_to="i-1")
    disk(world, "/az/attached", 0, state="Attached", attached_to="/az/vm", provider="azure")
    disk(world, "vol-recent", 2)
    disk(world, "/az/recent", 2, state="Unattached", provider="azure")
    assert world.run("unattached_disk") == []


def test_states_compare_case_blind_and_never_attached_disks_count_from_creation(
    world: World,
) -> None:
    disk(world, "/az/disk", 45, state="Unattached", provider="azure")
    disk(world, "vol-new", None, created_at=END - dt.timedelta(days=40))
    disk(world, "vol-fresh", None, created_at=END - dt.timedelta(days=3))
    found = by_resource(world.run("unattached_disk"))
    assert set(found) == {"/az/disk", "vol-new"}
    assert found["vol-new"].evidence["detached_days"] == 40


def test_kubernetes_and_replica_disks_are_excluded(world: World) -> None:
    disk(world, "vol-pvc", 60, tags={"kubernetes.io/created-for/pvc/name": "data"})
    disk(world, "vol-csi", 60, tags={"ebs.csi.aws.com/cluster": "true"})
    disk(world, "/az/asr", 60, state="Unattached", provider="azure",
         tags={"ASR-ReplicaDisk": "x"})  # fmt: skip
    disk(world, "gce-pv", 60, provider="gcp", attributes={"goog-gke-volume": ""})
    assert world.run("unattached_disk") == []


def test_list_price_per_gb_month_when_the_bill_has_none(world: World) -> None:
    disk(world, "vol-list", 45, size_gib=500.0)
    world.price("gp3", 0.08, unit="GB-Mo")
    [f] = world.run("unattached_disk")
    assert f.savings == Decimal("40.0000")
    assert f.evidence["cost_source"] == "list price"
