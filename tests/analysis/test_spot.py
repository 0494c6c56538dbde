"""Spot candidates: one small case per eligibility rule and per exclusion, savings from a spot
price history over the lookback, the list-price fallback, and interruption risk known (from an
advisor file, ours or AWS's format) and unknown."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from analysis.findings import CANNOT_JUDGE
from analysis.spot_advisor import AdvisorFileError, load_advisor
from tests.analysis.world import END, World, by_resource

DAY = dt.timedelta(days=1)
BEFORE = END - 60 * DAY  # a spot price in effect for the whole window
ALL_RULES = ["scaling_group", "node_group", "batch_tag", "non_production_tag", "short_lived"]


def fleet_vm(world: World, rid: str, sku: str = "m5.large", **columns: Any) -> World:
    """A running on-demand VM billed 2.40 a day (0.10 an hour) for 30 days, priced 0.10 on
    demand and 0.03 on spot."""
    columns.setdefault("scaling_group", "batch-asg")
    world.resource(rid, "vm", sku=sku, state="running", **columns)
    return world.cost(rid, 2.4).vm_price(sku, 0.10).spot_price(sku, 0.03, BEFORE)


def test_a_scaling_group_member_saves_its_cost_times_one_minus_the_spot_ratio(
    world: World,
) -> None:
    found = by_resource(fleet_vm(world, "i-asg").run("spot_candidate"))
    f = found["i-asg"]
    assert (f.family, f.check, f.evidence["rule"]) == ("spot", "spot_candidate", "scaling_group")
    assert float(f.monthly_cost or 0) == pytest.approx(73.0)
    assert float(f.savings or 0) == pytest.approx(73.0 * 0.7)
    assert f.evidence["scaling_group"] == "batch-asg"
    assert f.evidence["cost_source"] == "bill"
    assert f.evidence["hours_priced"] == 720


def test_node_group_and_batch_tag_rules(world: World) -> None:
    fleet_vm(world, "i-node", scaling_group=None, tags={"eks:nodegroup-name": "workers"})
    fleet_vm(world, "i-batch", scaling_group=None, tags={"Workload_Type": "Batch"})
    fleet_vm(world, "i-plain", scaling_group=None, tags={"Workload": "web"})
    found = by_resource(world.run("spot_candidate"))
    assert found["i-node"].evidence["rules"] == {"node_group": "eks:nodegroup-name"}
    assert found["i-batch"].evidence["rule"] == "batch_tag"
    assert found["i-batch"].confidence < found["i-node"].confidence
    assert "i-plain" not in found


def test_non_production_tags_only_when_enabled(world: World) -> None:
    fleet_vm(world, "i-dev", scaling_group=None, tags={"Environment": "Dev"})
    assert world.run("spot_candidate") == []
    f = by_resource(world.run("spot_candidate", rules=ALL_RULES))["i-dev"]
    assert f.evidence["rule"] == "non_production_tag"
    assert f.confidence < 0.7


def test_short_lived_instances_only_when_enabled(world: World) -> None:
    world.resource("i-short", "vm", sku="m5.large", state="terminated",
                   created_at=END - 5 * dt.timedelta(hours=1))  # fmt: skip
    world.metric("i-short", "cpu_percent", lambda i: 50.0, hours=4)
    world.cost("i-short", 5.0, days=1).vm_price("m5.large", 0.10)
    world.spot_price("m5.large", 0.03, BEFORE)
    assert world.run("spot_candidate") == []
    f = by_resource(world.run("spot_candidate", rules=ALL_RULES))["i-short"]
    assert f.evidence["rules"]["short_lived"].startswith("lived 5.0 h")
    assert float(f.savings or 0) == pytest.approx(5.0 * 0.7 / 720 * 730, abs=1e-4)


def test_exclusions_database_data_volume_gpu_and_already_spot(world: World) -> None:
    world.resource("db-1", "db", sku="db.m5.large", state="available", scaling_group="g")
    world.cost("db-1", 4.0)
    fleet_vm(world, "i-data")
    world.resource("vol-root", "disk", attached_to="i-data", attributes={"boot": "true"})
    world.resource("vol-data", "disk", attached_to="i-data")
    fleet_vm(world, "i-boot-only")
    world.resource("vol-only", "disk", attached_to="i-boot-only")
    fleet_vm(world, "i-gpu", sku="g4dn.xlarge")
    fleet_vm(world, "i-spot", attributes={"lifecycle": "spot"})
    found = by_resource(world.run("spot_candidate"))
    assert set(found) == {"i-boot-only"}
    assert "i-gpu" in by_resource(world.run("spot_candidate", include_gpu=True))


def test_savings_follow_the_spot_price_in_effect_each_hour(world: World) -> None:
    world.resource("i-h", "vm", sku="m5.large", state="running", scaling_group="g")
    world.cost("i-h", 2.4).vm_price("m5.large", 0.10)
    world.spot_price("m5.large", 0.03, BEFORE).spot_price("m5.large", 0.05, END - 10 * DAY)
    f = by_resource(world.run("spot_candidate"))["i-h"]
    window_savings = 20 * 2.4 * 0.7 + 10 * 2.4 * 0.5
    assert float(f.savings or 0) == pytest.approx(window_savings / 720 * 730)
    hours = [p["hours"] for p in f.evidence["spot_prices"]]
    assert hours == [480, 240]
    assert "price_history" not in {r.factor for r in f.reasons}


def test_a_price_newer_than_the_window_start_stands_for_the_earlier_hours(
    world: World,
) -> None:
    world.resource("i-new", "vm", sku="m5.large", state="running", scaling_group="g")
    world.cost("i-new", 2.4).vm_price("m5.large", 0.10).spot_price("m5.large", 0.03, END - DAY)
    f = by_resource(world.run("spot_candidate"))["i-new"]
    assert float(f.savings or 0) == pytest.approx(73.0 * 0.7)
    assert f.evidence["hours_before_oldest_spot_price"] == 696
    assert "price_history" in {r.factor for r in f.reasons}


def test_list_price_when_the_bill_has_nothing_and_cannot_judge_without_a_spot_price(
    world: World,
) -> None:
    world.resource("i-unbilled", "vm", sku="m5.large", state="running", scaling_group="g")
    world.vm_price("m5.large", 0.10).spot_price("m5.large", 0.03, BEFORE)
    world.resource("i-nospot", "vm", sku="c5.large", state="running", scaling_group="g")
    world.cost("i-nospot", 2.0).vm_price("c5.large", 0.085)
    found = by_resource(world.run("spot_candidate"))
    assert found["i-unbilled"].evidence["cost_source"] == "list price"
    assert float(found["i-unbilled"].savings or 0) == pytest.approx(0.07 * 730)
    assert found["i-nospot"].status == CANNOT_JUDGE
    assert "no spot price of c5.large" in found["i-nospot"].evidence["reason"]


def advisor_file(tmp_path: Path, buckets: dict[str, str]) -> Path:
    path = tmp_path / "advisor.json"
    body = {"format": "cloudspend-spot-advisor/1", "as_of": "2026-10-20", "source": "test",
            "regions": {"us-east-1": {"Linux": buckets}}}  # fmt: skip
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def test_risk_bucket_known_and_unknown(world: World, tmp_path: Path) -> None:
    path = advisor_file(tmp_path, {"m5.large": "<5%"})
    fleet_vm(world, "i-known")
    fleet_vm(world, "i-unknown", sku="m6i.large")
    world.resource("vmss-1", "vm", provider="azure", region="westeurope", sku="Standard_D2s_v5",
                   state="running", scaling_group="vmss")  # fmt: skip
    world.cost("vmss-1", 2.4, provider="azure")
    world.vm_price("Standard_D2s_v5", 0.1, region="westeurope", provider="azure")
    world.spot_price("Standard_D2s_v5", 0.03, BEFORE, region="westeurope", provider="azure")
    found = by_resource(world.run("spot_candidate", spot_advisor_path=str(path)))
    known, unknown, azure = found["i-known"], found["i-unknown"], found["vmss-1"]
    assert (known.evidence["risk_bucket"], str(known.evidence["risk_as_of"])) == (
        "<5%", "2026-10-20")  # fmt: skip
    assert unknown.evidence["risk_bucket"] == azure.evidence["risk_bucket"] == "unknown"
    assert unknown.confidence < known.confidence
    assert azure.confidence < known.confidence


def test_the_shipped_advisor_file_holds_no_made_up_buckets() -> None:
    advisor = load_advisor()
    assert advisor.buckets == {}
    assert advisor.bucket("us-east-1", "Linux", "m5.large") == "unknown"
    assert "spot_advisor_path" in advisor.describe()


def test_aws_spot_advisor_format_is_read_as_is(tmp_path: Path) -> None:
    path = tmp_path / "spot-advisor-data.json"
    ranges = [{"index": 0, "label": "<5%", "dots": 0, "max": 5},
              {"index": 2, "label": "10-15%", "dots": 2, "max": 16}]  # fmt: skip
    body = {"ranges": ranges, "spot_advisor": {"eu-west-1": {"Linux": {"c5.large":
            {"s": 70, "r": 2}}}}, "instance_types": {}}  # fmt: skip
    path.write_text(json.dumps(body), encoding="utf-8")
    advisor = load_advisor(path)
    assert advisor.bucket("eu-west-1", "Linux", "c5.large") == "10-15%"
    assert advisor.bucket("eu-west-1", "Windows", "c5.large") == "unknown"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(AdvisorFileError):
        load_advisor(path)
