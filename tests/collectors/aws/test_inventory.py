"""AWS inventory: the normalizers on the demo company's recorded responses, and the whole
collection against a moto server seeded with the same company."""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
from botocore.stub import Stubber

from collectors.aws import inventory_ebs as ebs
from collectors.aws.clients import AwsClients
from collectors.aws.observe import Observations, collect_observations, observations_from_recorded
from collectors.aws.prices_request import product_requests
from collectors.aws.rows import RESOURCES
from tests.collectors.aws.moto_server import MotoAws
from tests.collectors.aws.pricing_stub import record_calls, stub_pricing
from tests.collectors.aws.seed import ACCOUNTS, DEMO, REGIONS, Seeded, load, seed_demo

POLICY = Path(__file__).resolve().parents[3] / "collectors" / "aws" / "iam-policy.json"
IAM_PREFIX = {"elbv2": "elasticloadbalancing"}
Rows = dict[str, dict[str, Any]]


def by_id(table: Any) -> Rows:
    return {row["resource_id"]: row for row in table.to_pylist()}


@pytest.fixture(scope="module")
def recorded() -> Observations:
    return observations_from_recorded(DEMO)


@pytest.fixture(scope="module")
def demo(moto_aws: MotoAws, recorded: Observations) -> tuple[Seeded, Observations, list[Any]]:
    """The demo company seeded into moto and collected back (prices from a Stubber)."""
    seeded = seed_demo(moto_aws, metric_hours=3)
    calls = record_calls(moto_aws.session)
    clients = moto_aws.clients(accounts=list(ACCOUNTS), regions=list(REGIONS), lookback_days=1)
    mapped = [
        {**r, "resource_id": seeded.moto(r["resource_id"])} for r in recorded.resources.to_pylist()
    ]
    stub_pricing(clients.client("pricing", "us-east-1"), product_requests(mapped))
    return seeded, collect_observations(clients, seeded.now), calls


def test_recorded_inventory_has_the_warehouse_columns(recorded: Observations) -> None:
    assert recorded.resources.schema.equals(RESOURCES)
    kinds = {r["resource_type"] for r in recorded.resources.to_pylist()}
    assert kinds == {"vm", "disk", "snapshot", "ip", "lb", "db"}


def test_recorded_ids_are_the_cur_resource_ids(recorded: Observations) -> None:
    usage = "'Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage'"
    sql = (
        "SELECT DISTINCT line_item_resource_id FROM read_parquet(?)"
        f" WHERE line_item_resource_id IS NOT NULL AND line_item_line_item_type IN ({usage})"
    )
    parts = str(DEMO / "cur2" / "*" / "data" / "*" / "*.parquet")
    billed = {r[0] for r in duckdb.connect().execute(sql, [parts]).fetchall()}
    assert set(by_id(recorded.resources)) == billed


def test_recorded_instances(recorded: Observations) -> None:
    rows = by_id(recorded.resources)
    fleet = [r for r in rows.values() if r["scaling_group"] == "prod-batch-fleet"]
    assert len(fleet) == 3
    assert {(r["sku"], r["vcpu"], r["memory_gib"]) for r in fleet} == {("m5.large", 2.0, 8.0)}
    untagged = rows["i-81b5b3b39c26e0697"]
    assert [k for k, _ in untagged["tags"]] == ["Name"]
    attrs = dict(untagged["attributes"])
    assert attrs["operating_system"] == "Linux"
    assert attrs["availability_zone"] == "us-west-2a"


def test_recorded_volumes_know_when_they_were_detached(recorded: Observations) -> None:
    rows = by_id(recorded.resources)
    detached = rows["vol-7cd375fbaa0c83028"]
    assert (detached["state"], detached["attached_to"], detached["size_gib"]) == (
        "available",
        None,
        500.0,
    )
    as_of = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    assert (as_of - detached["last_attached_at"]).days == 45  # the planted detached_days
    attached = rows["vol-f998cca2620353c3a"]
    assert attached["attached_to"] == "i-e0378ea623382d484"
    assert attached["last_attached_at"] == attached["collected_at"] == as_of


def test_recorded_snapshots_addresses_balancers_databases(recorded: Observations) -> None:
    rows = by_id(recorded.resources)
    snap = rows["arn:aws:ec2:us-west-2:200000000002:snapshot/snap-c97df52bbd300559d"]
    assert dict(snap["attributes"])["snapshot_id"] == "snap-c97df52bbd300559d"
    assert (snap["sku"], snap["size_gib"]) == ("EBS:SnapshotUsage", 200.0)
    idle, used = rows["eipalloc-a96924d924264326b"], rows["eipalloc-7854e670a03541eea"]
    assert (idle["state"], idle["sku"], idle["attached_to"]) == (
        "unassociated",
        "PublicIPv4:IdleAddress",
        None,
    )
    assert (used["state"], used["attached_to"]) == ("associated", "i-e0378ea623382d484")
    lbs = {
        dict(r["attributes"])["name"]: dict(r["attributes"])
        for r in rows.values()
        if r["resource_type"] == "lb"
    }
    assert (lbs["prod-idle-lb-1"]["healthy_targets"], lbs["prod-busy-lb-1"]["healthy_targets"]) == (
        "0",
        "2",
    )
    db = rows["arn:aws:rds:eu-west-1:300000000003:db:dev-idle-db-1"]
    assert (db["sku"], db["vcpu"], db["memory_gib"], db["size_gib"]) == (
        "db.m5.large",
        2.0,
        8.0,
        100.0,
    )
    assert dict(db["attributes"])["operating_system"] == "MySQL"


def test_recorded_scopes_cover_every_account_region_and_kind(recorded: Observations) -> None:
    assert len(recorded.scopes) == len(ACCOUNTS) * len(REGIONS) * 6
    assert recorded.problems == []


def _same(mine: dict[str, Any], theirs: dict[str, Any], seeded: Seeded) -> None:
    for column in ("resource_type", "sku", "scaling_group", "size_gib", "vcpu", "memory_gib"):
        assert mine[column] == theirs[column], (column, theirs["resource_id"])
    assert mine["attached_to"] == (theirs["attached_to"] and seeded.moto(theirs["attached_to"]))
    assert dict(mine["tags"]) == dict(theirs["tags"])
    if mine["resource_type"] != "lb":  # moto's load balancers stay "provisioning"
        assert mine["state"] == theirs["state"]
    keys = {
        "healthy_targets",
        "registered_targets",
        "target_groups",
        "operating_system",
        "storage_tier",
    }
    ours, recorded = dict(mine["attributes"]), dict(theirs["attributes"])
    assert {k: ours.get(k) for k in keys} == {k: recorded.get(k) for k in keys}


@pytest.mark.slow
def test_moto_collection_reads_back_the_seeded_company(
    demo: tuple[Seeded, Observations, list[Any]], recorded: Observations
) -> None:
    seeded, got, _ = demo
    assert got.problems == []
    mine = by_id(got.resources)
    for theirs in recorded.resources.to_pylist():
        _same(mine.pop(seeded.moto(theirs["resource_id"])), theirs, seeded)
    instances = {seeded.moto(i) for i in by_id(recorded.resources) if i.startswith("i-")}
    assert mine, "moto gives every instance a root volume"
    assert all(
        r["resource_type"] == "disk" and r["attached_to"] in instances for r in mine.values()
    )
    assert sorted(got.scopes) == sorted(recorded.scopes)


@pytest.mark.slow
def test_every_call_the_collector_makes_is_in_the_iam_policy(
    demo: tuple[Seeded, Observations, list[Any]],
) -> None:
    _, _, calls = demo
    policy = json.loads(POLICY.read_text())
    allowed = [a for s in policy["Statement"] if s["Effect"] == "Allow" for a in s["Action"]]
    made = {f"{IAM_PREFIX.get(service, service)}:{op}" for service, op in calls}
    assert {"pricing:GetProducts", "cloudwatch:GetMetricData", "sts:AssumeRole"} <= made
    missing = {m for m in made if not any(fnmatch.fnmatchcase(m, a) for a in allowed)}
    assert not missing


def test_clients_assume_the_role_once_per_member_account(moto_aws: MotoAws) -> None:
    clients = moto_aws.clients(accounts=["200000000002", "300000000003"], role_name="Reader")
    assert clients.caller_account() == "123456789012"
    assert clients.accounts() == ["200000000002", "300000000003"]
    moto_aws.faults.calls.clear()
    for account in clients.accounts():
        for region in ("us-east-1", "eu-west-1"):
            sts = clients.client("sts", region, account)
            assert sts.get_caller_identity()["Account"] == account
    assumed = [c for c in moto_aws.faults.calls if c.action == "AssumeRole"]
    assert len(assumed) == 2
    assert all("RoleSessionName=cloudspend" in c.body for c in assumed)
    assert "arn%3Aaws%3Aiam%3A%3A300000000003%3Arole%2FReader" in assumed[1].body


def test_clients_use_the_configured_endpoint_and_retries(moto_aws: MotoAws) -> None:
    clients = AwsClients(moto_aws.config(retry_mode="adaptive", max_attempts=7), moto_aws.session)
    ec2 = clients.client("ec2", "eu-west-1")
    assert ec2.meta.endpoint_url == moto_aws.endpoint
    assert ec2.meta.region_name == "eu-west-1"
    assert ec2.meta.config.retries == {"mode": "adaptive", "total_max_attempts": 7}
    assert clients.client("ec2", "eu-west-1") is ec2
    assert clients.accounts() == [clients.caller_account()]


def test_regions_are_the_enabled_ones_unless_configured(moto_aws: MotoAws) -> None:
    found = moto_aws.clients().regions("123456789012")
    assert {"us-east-1", "eu-west-1", "us-west-2"} <= set(found)
    assert found == sorted(found)
    assert moto_aws.clients(regions=["eu-west-1"]).regions("123456789012") == ["eu-west-1"]


def test_detach_times_come_from_cloudtrail(moto_aws: MotoAws) -> None:
    clients = moto_aws.clients()
    assert not clients.can_reach("cloudtrail")  # tests override endpoints; moto has no LookupEvents
    assert AwsClients(moto_aws.config(endpoints={}), moto_aws.session).can_reach("cloudtrail")
    cloudtrail = clients.client("cloudtrail", "eu-west-1")
    recorded = load("inventory", "cloudtrail.LookupEvents", "300000000003", "eu-west-1")
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    asked = {
        "LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "DetachVolume"}],
        "StartTime": now - dt.timedelta(days=90),
        "EndTime": now,
    }
    with Stubber(cloudtrail) as stub:
        stub.add_response("lookup_events", {**recorded, "NextToken": "more"}, asked)
        stub.add_response("lookup_events", {"Events": []}, {**asked, "NextToken": "more"})
        pages = ebs.fetch_detach_events(cloudtrail, now)
    detached = dt.datetime(2026, 9, 17, tzinfo=dt.UTC)
    assert ebs.detach_times(pages) == {"vol-7cd375fbaa0c83028": detached}
