"""List prices: the Price List Query API through botocore's Stubber (moto has no Pricing) with
responses taken from the demo company's recorded price list, spot prices from moto, and the
join from inventory rows to price rows that the analyzers rely on."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from collectors.aws import prices
from collectors.aws.observe import Observations, collect_observations, observations_from_recorded
from collectors.aws.prices_request import product_requests
from collectors.aws.prices_spot import spot_rows
from collectors.aws.rows import PRICES
from tests.collectors.aws.moto_server import MotoAws
from tests.collectors.aws.pricing_stub import price_list, stub_pricing
from tests.collectors.aws.seed import DEMO, WINDOW_END, load

Key = tuple[str | None, str, str, str | None, str | None]


def by_key(rows: list[dict[str, Any]]) -> dict[Key, dict[str, Any]]:
    return {
        (r["region"], r["sku"], r["pricing_model"], r["term"], r["operating_system"]): r
        for r in rows
    }


def pricing_client() -> Any:
    return boto3.client(
        "pricing", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )


@pytest.fixture(scope="module")
def recorded() -> Observations:
    return observations_from_recorded(DEMO)


def test_recorded_prices_per_kind(recorded: Observations) -> None:
    assert recorded.prices.schema.equals(PRICES)
    rows = by_key(recorded.prices.to_pylist())
    expect = {
        ("us-east-1", "m5.large", "on_demand", None, "Linux"): ("0.096", "Hours"),
        ("us-east-1", "m5.large", "commitment", "1yr-no-upfront", "Linux"): ("0.05952", "Hours"),
        ("us-east-1", "m5.large", "spot", None, "Linux"): ("0.0288", "Hours"),
        ("eu-west-1", "db.m5.large", "on_demand", None, "MySQL"): ("0.171", "Hours"),
        ("eu-west-1", "gp3", "on_demand", None, None): ("0.08", "GB-Months"),
        ("us-west-2", "EBS:SnapshotUsage", "on_demand", None, None): ("0.05", "GB-Months"),
        ("eu-west-1", "PublicIPv4:IdleAddress", "on_demand", None, None): ("0.005", "Hours"),
        ("us-east-1", "application", "on_demand", None, None): ("0.0225", "Hours"),
    }
    for key, (price, unit) in expect.items():
        assert (rows[key]["unit_price"], rows[key]["unit"]) == (Decimal(price), unit), key
        assert rows[key]["currency"] == "USD"
    spot = rows[("us-east-1", "m5.large", "spot", None, "Linux")]
    assert dict(spot["attributes"])["zones"] == "2"


def _price(
    rows: dict[Key, Any],
    resource: dict[str, Any],
    model: str = "on_demand",
    term: str | None = None,
) -> float:
    system = dict(resource["attributes"]).get("operating_system")
    return float(rows[(resource["region"], resource["sku"], model, term, system)]["unit_price"])


def test_inventory_joins_prices_as_the_ground_truth_priced_it(recorded: Observations) -> None:
    truth = json.loads((DEMO.parent / "ground_truth.json").read_text())["expectations"]
    rows = by_key(recorded.prices.to_pylist())
    resources = {r["resource_id"]: r for r in recorded.resources.to_pylist()}
    resources |= {dict(r["attributes"]).get("snapshot_id", ""): r for r in resources.values()}
    checked = 0
    for item in (e for e in truth if e["provider"] == "aws" and e["resource_id"] in resources):
        resource, inputs = resources[item["resource_id"]], item["inputs"]
        group = str(item["evidence"].get("commitment_group", ""))
        if group and not group.endswith("/" + resource["sku"]):  # priced at its right size
            resource = resource | {"sku": group.rsplit("/", 1)[1]}
        if "hourly_rate" in inputs:
            assert _price(rows, resource) == inputs["hourly_rate"], item["check"]
        if "price_per_gb_month" in inputs:
            assert _price(rows, resource) == inputs["price_per_gb_month"], item["check"]
            assert resource["size_gib"] == inputs["size_gb"]
        if "commit_1y_hourly_rate" in inputs:
            committed = _price(rows, resource, "commitment", "1yr-no-upfront")
            assert committed == inputs["commit_1y_hourly_rate"]
        checked += 1
    assert checked >= 12


def test_every_resource_has_an_on_demand_price(recorded: Observations) -> None:
    rows = by_key(recorded.prices.to_pylist())
    for resource in recorded.resources.to_pylist():
        assert _price(rows, resource) > 0, resource["resource_id"]


def test_requests_ask_only_for_what_is_in_use(recorded: Observations) -> None:
    used = [r for r in recorded.resources.to_pylist() if r["account_id"] == "300000000003"]
    requests = product_requests(used)
    assert [service for service, _ in requests] == ["AmazonEC2", "AmazonEC2", "AmazonRDS"]
    compute = {f["Field"]: f["Value"] for f in requests[0][1]}
    assert compute["instanceType"] == "m5.large,m5.xlarge"
    assert compute["operatingSystem"] == "Linux"
    assert compute["regionCode"] == "us-east-1,us-west-2"
    assert (compute["tenancy"], compute["preInstalledSw"], compute["capacitystatus"]) == (
        "Shared",
        "NA",
        "Used",
    )
    storage = {f["Field"]: f["Value"] for f in requests[1][1]}
    assert storage == {
        "productFamily": "Storage",
        "regionCode": "eu-west-1,us-west-2",
        "volumeApiName": "gp3",
    }
    rds = {f["Field"]: f["Value"] for f in requests[2][1]}
    assert (rds["databaseEngine"], rds["deploymentOption"], rds["regionCode"]) == (
        "MySQL",
        "Single-AZ",
        "eu-west-1",
    )


def test_stubbed_price_list_prices_exactly_the_resources_in_use(recorded: Observations) -> None:
    used = [r for r in recorded.resources.to_pylist() if r["account_id"] == "300000000003"]
    client = pricing_client()
    requests = product_requests(used)
    with stub_pricing(client, requests) as stub:
        pages = [p for service, f in requests for p in prices.fetch_products(client, service, f)]
        stub.assert_no_pending_responses()
    rows = prices.price_rows(pages, WINDOW_END)
    skus = {(r["region"], r["sku"]) for r in rows}
    assert skus == {  # instance types x regions in use (one request), disks, the database
        ("us-east-1", "m5.large"),
        ("us-east-1", "m5.xlarge"),
        ("us-west-2", "m5.large"),
        ("us-west-2", "m5.xlarge"),
        ("eu-west-1", "gp3"),
        ("us-west-2", "gp3"),
        ("eu-west-1", "db.m5.large"),
    }
    models = {(r["pricing_model"], r["term"]) for r in rows if r["sku"] == "m5.large"}
    assert models == {
        ("on_demand", None),
        ("commitment", "1yr-no-upfront"),
        ("commitment", "3yr-no-upfront"),
    }
    assert prices.product_specs(pages)["db.m5.large"] == (2.0, 8.0)


def test_every_page_of_get_products_is_read() -> None:
    items = price_list(
        "AmazonEC2", [{"Type": "TERM_MATCH", "Field": "regionCode", "Value": "eu-west-1"}]
    )
    client = pricing_client()
    asked = {"ServiceCode": "AmazonEC2", "Filters": [], "FormatVersion": "aws_v1"}
    with Stubber(client) as stub:
        stub.add_response(
            "get_products",
            {"FormatVersion": "aws_v1", "PriceList": items[:2], "NextToken": "page-2"},
            asked,
        )
        stub.add_response(
            "get_products",
            {"FormatVersion": "aws_v1", "PriceList": items[2:]},
            {**asked, "NextToken": "page-2"},
        )
        pages = prices.fetch_products(client, "AmazonEC2", [])
    assert len(pages) == 2
    skus = {json.loads(i)["product"]["sku"] for i in items}
    got = {dict(r["attributes"])["product_sku"] for r in prices.price_rows(pages, WINDOW_END)}
    assert got == skus


def test_upfront_and_convertible_terms_get_their_own_rows() -> None:
    (text,) = price_list(
        "AmazonEC2",
        [
            {"Type": "TERM_MATCH", "Field": "instanceType", "Value": "m5.large"},
            {"Type": "TERM_MATCH", "Field": "regionCode", "Value": "us-east-1"},
        ],
    )
    item = json.loads(text)
    term = next(iter(item["terms"]["Reserved"].values()))
    term["termAttributes"] = {
        "LeaseContractLength": "3yr",
        "OfferingClass": "convertible",
        "PurchaseOption": "Partial Upfront",
    }
    dim = next(iter(term["priceDimensions"].values()))
    fee = copy.deepcopy(dim) | {"unit": "Quantity", "pricePerUnit": {"USD": "1234.5000000000"}}
    term["priceDimensions"]["fee"] = fee
    rows = prices.price_rows([{"PriceList": [json.dumps(item)]}], WINDOW_END)
    partial = [r for r in rows if r["term"] == "3yr-partial-upfront-convertible"]
    assert {(r["unit"], r["unit_price"]) for r in partial} == {
        ("Hours", Decimal(dim["pricePerUnit"]["USD"])),
        ("Quantity", Decimal("1234.5")),
    }


def test_spot_price_is_the_mean_of_each_zones_latest() -> None:
    page = load("prices", "ec2.DescribeSpotPriceHistory_eu-west-1")
    history = [h for h in page["SpotPriceHistory"] if h["InstanceType"] == "m5.large"]
    newest = history[0]["Timestamp"]
    history[0] = {**history[0], "SpotPrice": "0.050000"}  # one zone's newest price changes
    rows = spot_rows("eu-west-1", [{"SpotPriceHistory": history}], WINDOW_END)
    (row,) = rows
    others = [h for h in history[1:] if h["AvailabilityZone"] != history[0]["AvailabilityZone"]]
    expected = (Decimal("0.05") + Decimal(others[0]["SpotPrice"])) / 2
    assert row["unit_price"] == expected
    assert row["effective_from"].strftime("%Y-%m-%dT%H:%M:%S.000Z") == newest
    assert dict(row["attributes"])["max"] == "0.050000"


def test_collected_prices_from_stubbed_pricing_and_moto_spot(moto_aws: MotoAws) -> None:
    ec2 = moto_aws.client("ec2", "us-east-1", "500000000005")
    ec2.run_instances(ImageId="ami-12345678", MinCount=1, MaxCount=1, InstanceType="m5.large")
    clients = moto_aws.clients(accounts=["500000000005"], regions=["us-east-1"], lookback_days=1)
    compute = [
        {"Type": "TERM_MATCH", "Field": "productFamily", "Value": "Compute Instance"},
        {"Type": "ANY_OF", "Field": "regionCode", "Value": "us-east-1"},
        {"Type": "ANY_OF", "Field": "instanceType", "Value": "m5.large"},
        {"Type": "ANY_OF", "Field": "operatingSystem", "Value": "Linux"},
        {"Type": "TERM_MATCH", "Field": "tenancy", "Value": "Shared"},
        {"Type": "TERM_MATCH", "Field": "preInstalledSw", "Value": "NA"},
        {"Type": "TERM_MATCH", "Field": "capacitystatus", "Value": "Used"},
        {
            "Type": "ANY_OF",
            "Field": "licenseModel",
            "Value": "License Included,No License required",
        },
    ]
    storage = [
        {"Type": "TERM_MATCH", "Field": "productFamily", "Value": "Storage"},
        {"Type": "ANY_OF", "Field": "regionCode", "Value": "us-east-1"},
        {"Type": "ANY_OF", "Field": "volumeApiName", "Value": "gp2"},  # moto's root volume
    ]
    stub = stub_pricing(
        clients.client("pricing", "us-east-1"), [("AmazonEC2", compute), ("AmazonEC2", storage)]
    )
    got = collect_observations(clients, WINDOW_END)
    stub.assert_no_pending_responses()
    assert got.problems == []
    rows = by_key(got.prices.to_pylist())
    assert rows[("us-east-1", "m5.large", "on_demand", None, "Linux")]["unit_price"] == Decimal(
        "0.096"
    )
    spot = rows[("us-east-1", "m5.large", "spot", None, "Linux")]
    assert spot["unit_price"] == Decimal("0.00001")  # moto's constant
    (vm,) = [r for r in got.resources.to_pylist() if r["resource_type"] == "vm"]
    assert (vm["vcpu"], vm["memory_gib"]) == (2.0, 8.0)
