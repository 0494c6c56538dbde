"""rightsize_disk: gp2 -> gp3, io1/io2 at or under 16,000 IOPS -> gp3, idle attached Premium SSD
-> Standard SSD; savings keep the disk's discount (current x (1 - target list / current list));
Premium disks without IOPS data cannot be judged; unattached disks are left to the idle checks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from analysis.findings import CANNOT_JUDGE
from tests.analysis.world import World, by_resource

GB = "GB-Months"


def disk(world: World, rid: str, sku: str, iops: float = 3000, provider: str = "aws",
         attached: bool = True) -> World:  # fmt: skip
    return world.resource(rid, "disk", provider=provider, sku=sku, size_gib=100,
                          state="in-use" if attached else "available",
                          attached_to="i-1" if attached else None,
                          attributes={"iops": str(iops)})  # fmt: skip


def test_gp2_moves_to_gp3_at_the_list_price_ratio(world: World) -> None:
    world.price("gp2", 0.10, unit=GB).price("gp3", 0.08, unit=GB)
    disk(world, "vol-gp2", "gp2").cost("vol-gp2", per_day=0.24)  # 7.30 a month
    disk(world, "vol-gp3", "gp3")
    disk(world, "vol-loose", "gp2", attached=False)
    [f] = world.run("rightsize_disk")
    assert (f.check, f.resource_id, f.action) == ("rightsize_disk", "vol-gp2",
                                                  "change the disk from gp2 to gp3")  # fmt: skip
    assert f.monthly_cost == Decimal("7.3000")
    assert f.savings == Decimal("1.4600")  # 7.30 x (1 - 0.08 / 0.10)
    assert f.confidence == 1.0
    assert f.evidence["list_monthly"] == pytest.approx(10.0)


@pytest.mark.parametrize(("iops", "moved"), [(16000, True), (16001, False)])
def test_provisioned_iops_up_to_16000_move_to_gp3(world: World, iops: float, moved: bool) -> None:
    world.price("io1", 0.125, unit=GB).price("io1-iops", 0.065, unit="IOPS-Months")
    world.price("gp3", 0.08, unit=GB).price("gp3-iops", 0.005, unit="IOPS-Months")
    disk(world, "vol-io1", "io1", iops=iops).cost("vol-io1", per_day=1052.5 * 24 / 730)
    found = world.run("rightsize_disk")
    assert bool(found) is moved
    if moved:  # 1052.50 list today (12.50 + 16,000 x 0.065); 73.00 as gp3 (8 + 13,000 x 0.005)
        assert found[0].savings == Decimal("979.5000")


def test_unpriced_extra_gp3_iops_lower_confidence(world: World) -> None:
    world.price("io2", 0.125, unit=GB).price("gp3", 0.08, unit=GB)
    disk(world, "vol-io2", "io2", iops=8000).cost("vol-io2", per_day=1.0)
    [f] = world.run("rightsize_disk")
    assert f.confidence == 0.7


def premium(world: World, rid: str, peak: float | None) -> World:
    disk(world, rid, "Premium_LRS", iops=500, provider="azure")
    world.price("Premium_LRS", 0.15, unit=GB, provider="azure")
    world.price("StandardSSD_LRS", 0.075, unit=GB, provider="azure")
    if peak is not None:
        for metric in ("disk_read_iops", "disk_write_iops"):
            world.metric(rid, metric, lambda i: (1.0, peak / 2), hours=14 * 24, provider="azure")
    return world.cost(rid, per_day=0.5, provider="azure")


@pytest.mark.parametrize(("peak", "moved"), [(25.0, True), (26.0, False)])
def test_idle_premium_disks_move_to_standard_ssd(world: World, peak: float, moved: bool) -> None:
    found = premium(world, "d-premium", peak).run("rightsize_disk")
    assert bool(found) is moved
    if moved:
        assert found[0].target["sku"] == "StandardSSD_LRS"
        assert found[0].savings == Decimal("7.6042")  # 15.2083 x (1 - 0.075 / 0.15)
        assert found[0].evidence["peak_iops"] == 25.0


def test_premium_disks_without_iops_data_cannot_be_judged(world: World) -> None:
    premium(world, "d-dark", None)
    found = by_resource(world.run("rightsize_disk"))
    assert found["d-dark"].status == CANNOT_JUDGE
    assert found["d-dark"].savings is None
