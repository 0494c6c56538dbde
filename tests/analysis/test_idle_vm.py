"""idle_vm: a running VM is idle when its CPU p95 (hourly max), its vCPU in use and its network
stay under the thresholds for enough of 14 days of hourly samples; GPU VMs need GPU metrics,
cluster nodes are left alone, a VM without enough samples cannot be judged."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from analysis.findings import CANNOT_JUDGE, OPEN
from tests.analysis.world import World, by_resource

Series = Callable[[int], float | tuple[float, float] | None]


def const(value: float | tuple[float, float]) -> Series:
    return lambda _hour: value


Rate = Callable[[int], float | None]
IDLE_CPU: Series = const((0.5, 0.8))
LOW_NET: Rate = lambda _hour: 1000.0  # noqa: E731


def scaled(rate: Rate, part: float) -> Series:
    """A network rate in bytes/s as ``part`` of the bytes of each hour."""
    return lambda i: None if (value := rate(i)) is None else value * 3600 * part


def vm(world: World, rid: str, cpu: Series = IDLE_CPU, net: Rate = LOW_NET,
       hours: int = 14 * 24, **columns: Any) -> World:  # fmt: skip
    """A running 4-vCPU VM billed 4.608 a day (140.16 a month), with hourly CPU (average, max)
    in % and network in + out in bytes/s (split 40 / 60)."""
    world.resource(rid, "vm", **{"state": "running", "vcpu": 4.0, "sku": "m5.xlarge", **columns})
    provider = columns.get("provider", "aws")
    world.metric(rid, "cpu_percent", cpu, hours, provider)
    world.metric(rid, "network_in_bytes", scaled(net, 0.4), hours, provider)
    world.metric(rid, "network_out_bytes", scaled(net, 0.6), hours, provider)
    return world.cost(rid, per_day=4.608, provider=provider)


def test_an_idle_vm_is_found_with_its_evidence(world: World) -> None:
    [f] = vm(world, "i-idle").run("idle_vm")
    assert (f.check, f.status, f.action) == ("idle_vm", OPEN, "stop or terminate the VM")
    assert f.savings == Decimal("140.1600")
    assert f.evidence["cpu_p95"] == 0.8
    assert f.evidence["coverage"] == 1.0
    assert f.evidence["net_p95"] == pytest.approx(1000.0)
    assert f.evidence["window_start"] == "2026-10-18T00:00:00+00:00"
    assert {r.factor for r in f.reasons} >= {"coverage", "margin_cpu_p95", "stability", "age"}
    assert 0.7 < f.confidence < 1


@pytest.mark.parametrize(("peak", "idle"), [(3.0, True), (3.01, False)])
def test_cpu_p95_boundary(world: World, peak: float, idle: bool) -> None:
    found = vm(world, "i-1", cpu=const((0.5, peak))).run("idle_vm")
    assert bool(found) is idle


@pytest.mark.parametrize(("average", "idle"), [(0.75, True), (0.76, False)])
def test_vcpu_in_use_boundary(world: World, average: float, idle: bool) -> None:
    """0.75 % of 4 vCPUs is 0.03 vCPU."""
    found = vm(world, "i-1", cpu=const((average, 1.0))).run("idle_vm")
    assert bool(found) is idle


@pytest.mark.parametrize(("busy_hours", "idle"), [(10, True), (11, False)])
def test_vcpu_share_boundary(world: World, busy_hours: int, idle: bool) -> None:
    """97 % of 336 hours: 10 busier hours are allowed, 11 are not."""
    cpu: Series = lambda i: (2.0, 2.9) if i < busy_hours else (0.5, 0.8)  # noqa: E731
    assert bool(vm(world, "i-1", cpu=cpu).run("idle_vm")) is idle


@pytest.mark.parametrize(("rate", "idle"), [(2000.0, True), (2001.0, False)])
def test_network_boundary(world: World, rate: float, idle: bool) -> None:
    assert bool(vm(world, "i-1", net=lambda _i: rate).run("idle_vm")) is idle


@pytest.mark.parametrize(("busy_hours", "idle"), [(16, True), (17, False)])
def test_network_share_boundary(world: World, busy_hours: int, idle: bool) -> None:
    """95 % of 336 hours: 16 busier hours are allowed, 17 are not."""
    net: Rate = lambda i: 50_000.0 if i < busy_hours else 500.0  # noqa: E731
    assert bool(vm(world, "i-1", net=net).run("idle_vm")) is idle


def test_busy_and_spiky_vms_are_not_idle(world: World) -> None:
    vm(world, "i-busy", cpu=const((55.0, 85.0)), net=lambda _i: 1_300_000.0)
    spiky: Series = lambda i: (9.0, 96.0) if i % 24 < 3 else (4.0, 6.0)  # noqa: E731
    vm(world, "i-spiky", cpu=spiky, net=lambda _i: 160_000.0)
    assert world.run("idle_vm") == []


def test_a_gpu_vm_needs_gpu_metrics(world: World) -> None:
    vm(world, "i-gpu", sku="g4dn.xlarge")
    vm(world, "gce-gpu", provider="gcp", sku="n1-standard-4", attributes={"gpu_count": "1"})
    vm(world, "i-gpu-idle", sku="p3.2xlarge").metric("i-gpu-idle", "gpu_percent", const(1.0), 336)
    vm(world, "i-gpu-busy", sku="p3.2xlarge").metric("i-gpu-busy", "gpu_percent", const(60.0), 336)
    found = by_resource(world.run("idle_vm"))
    assert set(found) == {"i-gpu", "gce-gpu", "i-gpu-idle"}
    assert found["i-gpu"].status == found["gce-gpu"].status == CANNOT_JUDGE
    assert found["i-gpu"].savings is None
    assert "GPU" in found["i-gpu"].evidence["reason"]
    assert found["i-gpu-idle"].status == OPEN


def test_cluster_nodes_and_stopped_vms_are_left_alone(world: World) -> None:
    vm(world, "i-node", tags={"kubernetes.io/cluster/prod": "owned"})
    vm(world, "gke-node", provider="gcp", tags={"goog-gke-node": ""})
    vm(world, "i-stopped", state="stopped")
    assert world.run("idle_vm") == []


def test_an_azure_vm_without_power_state_is_judged(world: World) -> None:
    [f] = vm(world, "/subscriptions/s/vm1", provider="azure", state=None).run("idle_vm")
    assert f.status == OPEN


def test_vms_without_enough_samples_cannot_be_judged(world: World) -> None:
    world.resource("i-blind", "vm", state="running", vcpu=2.0)
    vm(world, "i-gappy", cpu=lambda i: (0.5, 0.8) if i % 10 < 7 else None)
    vm(world, "i-no-net", net=lambda _i: None)
    found = by_resource(world.run("idle_vm"))
    assert {f.status for f in found.values()} == {CANNOT_JUDGE}
    assert found["i-blind"].evidence["reason"] == "no CPU samples in the window"
    assert found["i-gappy"].evidence["reason"].startswith("cpu samples cover 71%")
    assert "net samples" in found["i-no-net"].evidence["reason"]
    assert all(f.savings is None and f.confidence == 0 for f in found.values())


def test_list_price_when_the_bill_has_none_and_a_custom_window(world: World) -> None:
    world.resource("i-list", "vm", state="running", vcpu=4.0, sku="m5.xlarge")
    world.metric("i-list", "cpu_percent", const((0.5, 0.8)), 7 * 24)
    world.metric("i-list", "network_in_bytes", const(100.0), 7 * 24)
    world.price("m5.xlarge", 0.192)
    [f] = world.run("idle_vm", days=7)
    assert f.savings == Decimal("140.1600")
    assert f.evidence["cost_source"] == "list price"
    assert f.evidence["vcpu_share"] == 1
