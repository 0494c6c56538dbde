"""commitment_purchase and the what-if: always-on on-demand VMs of one provider / region / SKU
get the group's commitment (1-year preferred, 3-year as an alternative, never summed); VMs a
commitment already covers do not; idle VMs leave the baseline; the what-if replays a level."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from analysis.commitment_whatif import WhatIfError, whatif
from tests.analysis.test_commitment_health import RI, bill
from tests.analysis.world import END, World

DAY = 0.34 * 24  # c5.2xlarge on demand for a day


def steady(world: World, stopped_days: int = 0) -> World:
    """Two c5.2xlarge VMs on demand; the second stopped ``stopped_days`` before the end."""
    world.price("c5.2xlarge", 0.34)
    world.price("c5.2xlarge", 0.2108, pricing_model="commitment", term="1yr-no-upfront")
    world.price("c5.2xlarge", 0.136, pricing_model="commitment", term="3yr-no-upfront")
    for rid in ("i-steady-1", "i-steady-2"):
        world.resource(rid, "vm", sku="c5.2xlarge", vcpu=8, state="running")
        bill(world, rid, DAY, DAY)
    if stopped_days:
        params = world.statements[-1][1]
        params[3] = params[4] = END - dt.timedelta(days=stopped_days)
        params[-1] = 30 - stopped_days
    return world


def test_steady_vms_get_the_groups_one_year_commitment(world: World) -> None:
    found = steady(world).run("commitment_purchase")
    assert sorted(f.resource_id or "" for f in found) == ["i-steady-1", "i-steady-2"]
    for f in found:
        assert (f.check, f.status) == ("commitment_purchase", "open")
        assert f.savings == Decimal("94.3160")  # (0.34 - 0.2108) x 730
        assert f.evidence["commitment_group"] == "aws/us-east-1/c5.2xlarge"
        best = f.evidence["recommended"]
        assert best["term"] == "1yr-no-upfront"
        assert best["hourly_commitment"] == pytest.approx(0.4216)
        assert best["level_stable"] == best["level_optimal"] == pytest.approx(0.68)
        assert best["level_coverage_target"] == pytest.approx(0.544)
        assert best["break_even_months"] == 0.0
        [three] = f.evidence["alternatives"]
        assert three["term"] == "3yr-no-upfront"
        assert three["net_monthly_savings"] == pytest.approx((0.68 - 0.272) * 730, abs=0.01)
        assert f.evidence["unused_commitment_risk"] == "low"


def test_the_preferred_term_can_be_three_years(world: World) -> None:
    found = steady(world).run("commitment_purchase", preferred_term_years=3)
    assert {f.evidence["recommended"]["term"] for f in found} == {"3yr-no-upfront"}


def test_vms_a_commitment_covers_are_not_candidates(world: World) -> None:
    steady(world).resource("i-covered", "vm", sku="c5.2xlarge", vcpu=8, state="running")
    bill(world, "i-covered", 0.2108 * 24, DAY, RI, "Used", 24.0,
         END + dt.timedelta(days=200))  # fmt: skip
    found = world.run("commitment_purchase")
    assert "i-covered" not in {f.resource_id for f in found}


def test_a_recent_drop_is_guarded(world: World) -> None:
    steady(world, stopped_days=3)
    found = world.run("commitment_purchase")
    best = found[0].evidence["recommended"]
    assert best["level_optimal"] == pytest.approx(0.68)
    assert best["level_optimal_short"] == pytest.approx(0.34)
    assert best["level_recommended"] == pytest.approx(0.34)
    assert {f.resource_id for f in found} == {"i-steady-1", "i-steady-2"}
    assert any(r.factor == "guard" for r in found[0].reasons)


def test_idle_vms_leave_the_baseline(world: World) -> None:
    steady(world)
    world.metric("i-steady-1", "cpu_percent", lambda i: 0.2, hours=14 * 24)
    world.metric("i-steady-1", "network_in_bytes", lambda i: 100.0, hours=14 * 24)
    found = world.run("commitment_purchase")
    assert [f.resource_id for f in found] == ["i-steady-2"]


def test_a_vm_without_a_commitment_price_cannot_be_judged(world: World) -> None:
    world.price("x9.large", 0.5).resource("i-x", "vm", sku="x9.large", state="running")
    bill(world, "i-x", 12.0, 12.0)
    [f] = world.run("commitment_purchase")
    assert f.status == "cannot_judge"
    assert "no commitment offer" in f.evidence["reason"]


def test_the_what_if_replays_a_level(world: World) -> None:
    steady(world).run("commitment_purchase")
    with world.warehouse.write() as con:
        group = ("aws", "us-east-1", "c5.2xlarge")
        full = whatif(con, END, group, 0.4216, "1yr-no-upfront")
        double = whatif(con, END, group, 0.8432, "1yr-no-upfront")
        with pytest.raises(WhatIfError, match="no '5yr' offer"):
            whatif(con, END, group, 0.1, "5yr")
    assert full.coverage == pytest.approx(1.0)
    assert full.utilization == pytest.approx(1.0)
    assert full.net_monthly_savings == pytest.approx((0.68 - 0.4216) * 730)
    assert all(c == pytest.approx(1.0) for c in full.hourly_coverage)
    assert len(full.hourly_coverage) == 30 * 24
    assert double.utilization == pytest.approx(0.5)
    assert double.net_monthly_savings == pytest.approx((0.68 - 0.8432) * 730)


def test_group_series_equal_the_per_vm_expansion(world: World) -> None:
    from analysis.commitment_usage import group_series, groups, prepare
    from analysis.window import window

    steady(world, stopped_days=10).run("commitment_purchase")
    span = window(END, 30)
    with world.warehouse.write() as con:
        prepare(con, span, {})
        expanded = groups(con, span)
        summed = group_series(con, span)
    assert [(g.key, g.os) for g in summed] == [(g.key, g.os) for g in expanded]
    for fast, slow in zip(summed, expanded, strict=True):
        assert fast.spend == pytest.approx(slow.spend)
        assert fast.list_cost == pytest.approx(slow.list_cost)
        assert sum(slow.spend) > 0
