"""rightsize_vm: the p99.5 of hourly peak CPU (and memory) with 20 % headroom must fit a smaller
size of the same family, priced in the VM's region, one size down; savings keep the VM's
discount; VMs without enough data are cannot-judge findings."""

from __future__ import annotations

from decimal import Decimal

import pytest

from analysis.findings import CANNOT_JUDGE
from tests.analysis.world import World, by_resource

M5 = {"m5.large": (0.096, 2, 8), "m5.xlarge": (0.192, 4, 16), "m5.2xlarge": (0.384, 8, 32),
      "m5.4xlarge": (0.768, 16, 64)}  # fmt: skip
DAY_OF_2XL = 0.384 * 24  # m5.2xlarge billed at list for a day
WINDOW = 14 * 24  # hours


def m5_world(world: World, region: str = "us-east-1") -> World:
    for sku, (price, vcpu, memory) in M5.items():
        world.vm_price(sku, price, vcpu, memory, region=region)
    return world


def vm(world: World, rid: str, sku: str = "m5.2xlarge", cpu: float = 10.0,
       memory: float | None = 20.0, **columns: object) -> World:  # fmt: skip
    _price, vcpu, mem = M5.get(sku, (0.0, 8, 32))
    world.resource(rid, "vm", sku=sku, vcpu=vcpu, memory_gib=mem, state="running",
                   attributes={"operating_system": "Linux"}, **columns)  # fmt: skip
    world.metric(rid, "cpu_percent", lambda i: (cpu / 2, cpu), hours=WINDOW)
    if memory is not None:
        world.metric(rid, "memory_percent", lambda i: memory, hours=WINDOW)
    return world


def test_an_oversized_vm_goes_one_size_down_and_saves_the_difference(world: World) -> None:
    vm(m5_world(world), "i-big").cost("i-big", per_day=DAY_OF_2XL)
    [f] = world.run("rightsize_vm")
    assert (f.check, f.action, f.status) == ("rightsize_vm", "resize from m5.2xlarge to m5.xlarge",
                                             "open")  # fmt: skip
    assert f.monthly_cost == Decimal("280.3200")
    assert f.savings == Decimal("140.1600")
    assert f.target["sku"] == "m5.xlarge"
    ev = f.evidence
    assert ev["cpu_max_p99.5"] == pytest.approx(10.0)
    assert ev["memory_p99.5"] == pytest.approx(20.0)
    assert ev["coverage_percent"] == 100.0
    assert ev["target_list_hourly"] == pytest.approx(0.192)
    assert ev["cost_source"] == "bill"
    assert ev["window"]["hours"] == 14 * 24
    assert f.confidence == 1.0


def test_the_target_keeps_the_vms_discount(world: World) -> None:
    vm(m5_world(world), "i-big").billed("i-big", DAY_OF_2XL * 0.7, DAY_OF_2XL)
    [f] = world.run("rightsize_vm")
    assert f.evidence["discount_ratio"] == pytest.approx(0.7)
    assert f.savings == Decimal("98.1120")  # 0.7 x (0.384 - 0.192) x 730


def test_without_a_bill_the_list_price_is_used(world: World) -> None:
    [f] = vm(m5_world(world), "i-big").run("rightsize_vm")
    assert f.evidence["cost_source"] == "list price"
    assert f.savings == Decimal("140.1600")
    assert f.confidence == 0.9


@pytest.mark.parametrize(("cpu", "fits"), [(41.6, True), (41.7, False)])
def test_cpu_with_headroom_must_fit_the_smaller_size(world: World, cpu: float, fits: bool) -> None:
    vm(m5_world(world), "i-big", cpu=cpu)  # 41.6 % of 8 vCPUs x 1.2 = 3.99 of 4
    assert bool(world.run("rightsize_vm")) is fits


@pytest.mark.parametrize(("memory", "fits"), [(41.6, True), (41.7, False)])
def test_memory_with_headroom_must_fit(world: World, memory: float, fits: bool) -> None:
    vm(m5_world(world), "i-big", memory=memory)  # of 32 GiB x 1.2 against 16 GiB
    assert bool(world.run("rightsize_vm")) is fits


def test_daily_peaks_count_a_single_spike_does_not(world: World) -> None:
    m5_world(world)
    world.resource("i-daily", "vm", sku="m5.2xlarge", vcpu=8, memory_gib=32)
    world.metric("i-daily", "cpu_percent", lambda i: (5.0, 96.0 if i % 24 == 3 else 8.0))
    world.resource("i-once", "vm", sku="m5.2xlarge", vcpu=8, memory_gib=32)
    world.metric("i-once", "cpu_percent", lambda i: (5.0, 96.0 if i == 100 else 8.0))
    assert set(by_resource(world.run("rightsize_vm"))) == {"i-once"}


def test_the_percentile_is_a_parameter(world: World) -> None:
    m5_world(world)
    world.resource("i-x", "vm", sku="m5.2xlarge", vcpu=8, memory_gib=32)
    world.metric("i-x", "cpu_percent", lambda i: (5.0, 96.0 if i % 24 == 3 else 8.0))
    assert world.run("rightsize_vm", percentile=95)


def test_busy_vms_are_left_alone(world: World) -> None:
    vm(m5_world(world), "i-busy", sku="m5.xlarge", cpu=85.0, memory=65.0)
    assert world.run("rightsize_vm") == []


@pytest.mark.parametrize(("cpu", "flagged"), [(3.0, False), (3.1, True)])
def test_idle_vms_are_left_to_the_idle_checks(world: World, cpu: float, flagged: bool) -> None:
    vm(m5_world(world), "i-idle", cpu=cpu)
    assert bool(world.run("rightsize_vm")) is flagged


def test_one_size_down_per_run_unless_configured(world: World) -> None:
    vm(m5_world(world), "i-huge", sku="m5.4xlarge", cpu=4.0, memory=5.0)
    assert world.run("rightsize_vm")[0].target["sku"] == "m5.2xlarge"
    vm(world, "i-huge2", sku="m5.4xlarge", cpu=4.0, memory=5.0)
    found = by_resource(world.run("rightsize_vm", max_steps_down=0))
    assert found["i-huge2"].target["sku"] == "m5.large"


@pytest.mark.parametrize(("samples", "judged"), [(269, True), (268, False)])
def test_coverage_below_the_minimum_cannot_be_judged(world: World, samples: int, judged: bool
                                                     ) -> None:  # fmt: skip
    m5_world(world).resource("i-gappy", "vm", sku="m5.2xlarge", vcpu=8, memory_gib=32)
    world.metric("i-gappy", "cpu_percent", lambda i: 5.0 if i < samples else None)
    [f] = world.run("rightsize_vm")  # 269 of 336 hours is 80.06 %
    assert (f.status == CANNOT_JUDGE) is not judged
    if not judged:
        assert f.savings is None
        assert "80.0 %" in f.evidence["cannot_judge"]


def test_no_metrics_cannot_be_judged_and_stopped_vms_are_skipped(world: World) -> None:
    m5_world(world).resource("i-dark", "vm", sku="m5.2xlarge", vcpu=8, memory_gib=32)
    world.resource("i-off", "vm", sku="m5.2xlarge", vcpu=8, memory_gib=32, state="stopped")
    world.resource("i-odd", "vm", sku="x9.weird", state="running")
    world.metric("i-odd", "cpu_percent", lambda i: 5.0)
    found = by_resource(world.run("rightsize_vm"))
    assert set(found) == {"i-dark", "i-odd"}
    assert all(f.status == CANNOT_JUDGE for f in found.values())
    assert found["i-dark"].evidence["cannot_judge"] == "no CPU metrics in the window"


def test_the_smallest_gpu_size_is_never_downsized(world: World) -> None:
    world.vm_price("g4dn.xlarge", 0.526, 4, 16).vm_price("g4dn.2xlarge", 0.752, 8, 32)
    world.resource("i-gpu1", "vm", sku="g4dn.xlarge", vcpu=4, memory_gib=16)
    world.metric("i-gpu1", "cpu_percent", lambda i: 6.0, hours=WINDOW)
    world.resource("i-gpu2", "vm", sku="g4dn.2xlarge", vcpu=8, memory_gib=32)
    world.metric("i-gpu2", "cpu_percent", lambda i: 6.0, hours=WINDOW)
    [f] = world.run("rightsize_vm")
    assert f.resource_id == "i-gpu2"
    assert {r.factor: r.value for r in f.reasons}["gpu"] == 0.7


def test_no_memory_metric_lowers_confidence(world: World) -> None:
    vm(m5_world(world), "i-big", memory=None).cost("i-big", per_day=DAY_OF_2XL)
    [f] = world.run("rightsize_vm")
    assert f.confidence == 0.75
    assert f.evidence["projected_memory_percent"] is None


def test_the_target_must_be_priced_for_the_same_os(world: World) -> None:
    world.vm_price("m5.2xlarge", 0.384, 8, 32).vm_price("m5.xlarge", 0.192, 4, 16, region="x")
    world.vm_price("m5.xlarge", 0.376, 4, 16, operating_system="Windows")
    vm(world, "i-big")
    assert world.run("rightsize_vm", other_region_prices=False) == []


def test_azure_and_gcp_sizes_come_from_their_names(world: World) -> None:
    world.vm_price("Standard_D8s_v5", 0.384, provider="azure", region="northeurope")
    world.vm_price("Standard_D8s_v5", 0.40, provider="azure", region="westeurope")
    world.vm_price("Standard_D4s_v5", 0.20, provider="azure", region="westeurope")
    world.vm_price("n2-standard-8", 0.388, provider="gcp", operating_system=None)
    world.vm_price("n2-standard-4", 0.194, provider="gcp", operating_system=None)
    for rid, provider, sku, region in [
        ("az-vm", "azure", "Standard_D8s_v5", "northeurope"),
        ("gcp-vm", "gcp", "n2-standard-8", "us-east-1"),
    ]:
        world.resource(rid, "vm", provider=provider, sku=sku, vcpu=8, memory_gib=32,
                       region=region)  # fmt: skip
        world.metric(rid, "cpu_percent", lambda i: 10.0, provider=provider, hours=WINDOW)
    world.billed("gcp-vm", 0.388 * 24 * 0.8, 0.388 * 24, provider="gcp")
    found = by_resource(world.run("rightsize_vm"))
    azure, gcp = found["az-vm"], found["gcp-vm"]
    assert azure.target["sku"] == "Standard_D4s_v5"
    assert azure.evidence["target_price_region"] == "westeurope"
    assert azure.savings == Decimal("280.3200") - Decimal("0.20") * 730 * Decimal("0.96")
    assert gcp.savings == Decimal("113.2960")  # 0.8 x (0.388 - 0.194) x 730
    assert [f.resource_id for f in world.run("rightsize_vm", other_region_prices=False)] == [
        "gcp-vm"
    ]
