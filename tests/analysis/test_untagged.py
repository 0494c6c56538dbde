"""untagged_resource: required keys match ignoring case, '-', '_' and spaces and through aliases;
inherited Azure subscription / resource-group tags and GCP project labels (in the bill) count;
allowed values and patterns; the cost at stake from the bill, no savings."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.analysis.world import World, by_resource

ALL = {"Owner": "team-a", "CostCenter": "cc-1001", "Environment": "prod", "Application": "shop"}
SUB = "/subscriptions/s1"
RG = f"{SUB}/resourcegroups/rg-a"


def test_missing_keys_are_reported_with_the_cost_at_stake(world: World) -> None:
    world.resource("i-bare", "vm", tags={"Name": "x", "Owner": "me"})
    world.resource("i-full", "vm", tags=ALL)
    world.cost("i-bare", per_day=2.304)
    [f] = world.run("untagged_resource")
    assert (f.check, f.family, f.resource_id) == ("untagged_resource", "untagged", "i-bare")
    assert f.action == "add the tags CostCenter, Environment, Application"
    assert f.evidence["missing_tags"] == ["CostCenter", "Environment", "Application"]
    assert f.evidence["tag_keys"] == ["Name", "Owner"]
    assert f.evidence["cost_source"] == "bill"
    assert (f.monthly_cost, f.savings) == (Decimal("70.0800"), Decimal(0))


@pytest.mark.parametrize(
    "key", ["CostCenter", "costcenter", "cost-center", "cost_center", "Cost Center", "COST-CENTER",
            "CostCentre"],
)  # fmt: skip
def test_key_spellings_and_aliases_count(world: World, key: str) -> None:
    tags = {**{k: v for k, v in ALL.items() if k != "CostCenter"}, key: "cc-1"}
    world.resource("i-variant", "vm", tags=tags)
    assert world.run("untagged_resource") == []


def test_other_keys_do_not_count_and_aliases_are_configurable(world: World) -> None:
    tags = {**{k: v for k, v in ALL.items() if k != "CostCenter"}, "cc": "cc-1"}
    world.resource("i-cc", "vm", tags=tags)
    [f] = world.run("untagged_resource")
    assert f.evidence["missing_tags"] == ["CostCenter"]
    assert world.run("untagged_resource", aliases={"CostCenter": ["cc"]}) == []


def test_empty_values_are_missing(world: World) -> None:
    world.resource("i-empty", "vm", tags={**ALL, "Owner": " "})
    [f] = world.run("untagged_resource")
    assert f.evidence["missing_tags"] == ["Owner"]


def azure(world: World, rid: str, rtype: str, tags: dict[str, str]) -> None:
    world.resource(rid, rtype, provider="azure", account_id="s1", tags=tags)


def test_azure_subscription_and_resource_group_tags_are_inherited(world: World) -> None:
    azure(world, SUB, "subscription", {"Environment": "prod", "Application": "shop"})
    azure(world, RG, "resource_group", {"owner": "team-a", "cost-center": "cc-1"})
    azure(world, f"{SUB}/resourcegroups/rg-ab", "resource_group", {})
    azure(world, f"{RG}/providers/microsoft.compute/virtualmachines/vm1", "vm", {})
    azure(world, f"{SUB}/resourcegroups/rg-ab/providers/microsoft.compute/disks/d1", "disk", {})
    found = by_resource(world.run("untagged_resource"))
    assert set(found) == {f"{SUB}/resourcegroups/rg-ab/providers/microsoft.compute/disks/d1"}
    assert next(iter(found.values())).evidence["missing_tags"] == ["Owner", "CostCenter"]
    assert len(world.run("untagged_resource", inherit=False)) == 2


def test_the_resources_own_value_wins_over_an_inherited_one(world: World) -> None:
    azure(world, SUB, "subscription", {"Environment": "prod"})
    own = {**{k: v for k, v in ALL.items() if k != "Environment"}, "environment": "qa"}
    azure(world, f"{SUB}/resourcegroups/rg/providers/x/vm1", "vm", own)
    [f] = world.run("untagged_resource", allowed_values={"Environment": ["prod", "dev"]})
    assert f.action == "fix the tags Environment=qa"
    assert f.evidence["missing_tags"] == []


def test_gcp_project_labels_in_the_bill_count_system_labels_do_not(world: World) -> None:
    vm = "//compute.googleapis.com/projects/p1/zones/z/instances/vm1"
    world.resource(vm, "vm", provider="gcp", account_id="p1", tags={"owner": "a"})
    labels = {"owner": "a", "cost_center": "cc-1", "environment": "dev",
              "compute.googleapis.com/application": "x", "goog-application": "x"}  # fmt: skip
    world.billed(vm, 1.0, 1.0, provider="gcp", account="p1", tags=labels)
    [f] = world.run("untagged_resource")
    assert f.evidence["missing_tags"] == ["Application"]
    assert {"key": "Environment", "as": "environment", "value": "dev", "from": "bill"} in (
        f.evidence["effective_tags"]
    )


@pytest.mark.parametrize(("value", "ok"), [("cc-1234", True), ("cc-12", False), ("CC-1234", False)])
def test_value_patterns(world: World, value: str, ok: bool) -> None:
    world.resource("i-p", "vm", tags={**ALL, "CostCenter": value})
    found = world.run("untagged_resource", value_patterns={"CostCenter": r"cc-\d{4}"})
    assert (found == []) is ok


@pytest.mark.parametrize(("value", "ok"), [("PROD", True), ("Production", False)])
def test_allowed_values_ignore_case(world: World, value: str, ok: bool) -> None:
    world.resource("i-v", "vm", tags={**ALL, "Environment": value})
    found = world.run("untagged_resource", allowed_values={"Environment": ["prod", "dev"]})
    assert (found == []) is ok


def test_scopes_are_not_reported_and_unpriced_resources_have_no_cost(world: World) -> None:
    azure(world, SUB, "subscription", {})
    world.resource("vol-1", "disk", tags={})
    [f] = world.run("untagged_resource")
    assert f.resource_id == "vol-1"
    assert f.monthly_cost is None
    assert f.confidence == 0.9


def test_required_keys_are_configurable(world: World) -> None:
    world.resource("i-1", "vm", tags={"team": "a"})
    assert world.run("untagged_resource", required_keys=["Team"]) == []
