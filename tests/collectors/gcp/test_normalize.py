"""GCP normalizers without a server: ids, machine types, prices and metrics of the recorded demo
company, checked against what the ground truth says the analyzers will need."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from collectors.gcp.machine_types import spec_from_name
from collectors.gcp.metrics import QUERIES, metric_rows
from collectors.gcp.observe import Observations, observations_from_recorded
from collectors.gcp.price_match import entry
from collectors.gcp.rows import global_name, region_of, timestamp
from collectors.gcp.series import Series
from fixtures.catalog import SKUS
from tests.collectors.gcp.fakes import DEMO

TRUTH = DEMO.parent / "ground_truth.json"
NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def recorded() -> Observations:
    return observations_from_recorded(DEMO)


def _truth() -> list[dict[str, Any]]:
    data = json.loads(Path(TRUTH).read_text(encoding="utf-8"))
    return [e for k in ("expectations", "decoys") for e in data[k] if e["provider"] == "gcp"]


def _by_id(obs: Observations) -> dict[str, dict[str, Any]]:
    return {r["resource_id"]: r for r in obs.resources.to_pylist()}


def test_ids_conversions_and_timestamps() -> None:
    link = "https://www.googleapis.com/compute/v1/projects/p/zones/us-central1-b/instances/vm"
    assert (
        global_name(link) == "//compute.googleapis.com/projects/p/zones/us-central1-b/instances/vm"
    )
    assert region_of("https://x/zones/europe-west1-b") == "europe-west1"
    assert region_of("regions/us-central1") == "us-central1"
    assert region_of(None) == "global"
    got = timestamp("2026-04-28T01:05:00.000-07:00")
    assert got == dt.datetime(2026, 4, 28, 8, 5, tzinfo=dt.UTC)


def test_machine_type_names_agree_with_the_catalogue() -> None:
    for sku in (s for s in SKUS if s.provider == "gcp" and s.kind == "vm"):
        assert spec_from_name(sku.name) == (sku.vcpu, sku.memory_gib)
    assert spec_from_name("n1-standard-4") == (4, 15)
    assert spec_from_name("n2-custom-4-16384") == (4, 16)
    assert spec_from_name("z9-weird-4") is None


def test_every_planted_resource_is_in_the_inventory(recorded: Observations) -> None:
    found = _by_id(recorded)
    planted = {e["resource_id"] for e in _truth() if e["resource_id"].startswith("//")}
    assert planted <= set(found)
    assert {r["account_id"] for r in found.values()} == {"example-prod-4711", "example-dev-4712"}
    kinds = {r["resource_type"] for r in found.values()}
    assert kinds == {"vm", "disk", "snapshot", "ip", "lb", "db"}


def test_what_the_idle_checks_read(recorded: Observations) -> None:
    found = _by_id(recorded)
    for e in _truth():
        row = found.get(e["resource_id"])
        if e["check"] == "unattached_disk" and "detached_days" in e["evidence"]:
            assert row
            assert row["state"] == "available"
            assert row["attached_to"] is None
            assert (NOW - row["last_attached_at"]).days == e["evidence"]["detached_days"]
        if e["check"] == "unassociated_ip":
            assert row
            assert row["state"] == e["evidence"]["state"]
        if e["check"] == "old_snapshot":
            assert row
            assert (NOW - row["created_at"]).days == e["evidence"]["age_days"]
        if e["check"] == "spot_candidate" and "scaling_group" in e["evidence"]:
            assert row
            assert row["scaling_group"].endswith("/" + e["evidence"]["scaling_group"])
        if e["check"] == "idle_vm" and "gpu" in e["evidence"]:
            gpus = int(dict(row["attributes"]).get("gpu_count", 0)) if row else -1
            assert gpus == e["evidence"]["gpu"]


def test_prices_match_the_planted_rates(recorded: Observations) -> None:
    prices = {(r["region"], r["sku"], r["pricing_model"], r["term"]): r["unit_price"]
              for r in recorded.prices.to_pylist()}  # fmt: skip
    assert prices["europe-west1", "n2-standard-8", "commitment", "1yr-cud"] == Decimal("0.24056")
    assert prices["europe-west1", "n2-standard-8", "on_demand", None] == Decimal("0.388")
    assert prices["europe-west1", "e2-standard-2", "spot", None] == Decimal("0.0201")
    assert prices["europe-west1", "g2-standard-4", "on_demand", None] == Decimal("0.707")
    assert prices["us-central1", "db-custom-2-8192", "on_demand", None] == Decimal("0.165")
    assert prices["us-central1", "snapshot-standard", "on_demand", None] == Decimal("0.05")
    assert prices["europe-west1", "pd-balanced", "on_demand", None] == Decimal("0.1")
    assert prices["us-central1", "static-ip", "on_demand", None] == Decimal("0.01")
    assert prices["us-central1", "forwarding-rule", "on_demand", None] == Decimal("0.025")


def test_tiered_rates_take_units_plus_nanos_of_the_first_paid_tier() -> None:
    money = {"currencyCode": "EUR", "units": "1", "nanos": 250000000}
    sku = {"skuId": "X", "description": "D", "category": {"usageType": "OnDemand"},
           "pricingInfo": [{"pricingExpression": {"usageUnit": "h", "tieredRates": [
               {"unitPrice": {"currencyCode": "EUR", "nanos": 0}},
               {"startUsageAmount": 10, "unitPrice": money}]}}]}  # fmt: skip
    got = entry(sku)
    assert got
    assert (got.price, got.currency, got.unit) == (Decimal("1.25"), "EUR", "h")


def test_metrics_are_percent_bytes_and_counts(recorded: Observations) -> None:
    rows = recorded.metrics.to_pylist()
    cpu = [r for r in rows if r["metric"] == "cpu_percent"]
    assert all(0 <= r["avg_value"] <= 100 for r in cpu)
    assert max(r["max_value"] or 0 for r in cpu) > 80  # 0-1 ratios stored as percent
    assert {r["metric"] for r in rows} == {
        "cpu_percent", "network_in_bytes", "network_out_bytes", "memory_percent",
        "connections", "requests",
    }  # fmt: skip
    idle = [r for r in rows if r["resource_id"].endswith("/dev-idle-db-1")]
    assert idle
    assert all(r["avg_value"] == 0 for r in idle if r["metric"] == "connections")
    assert len({r["hour"] for r in rows}) == 720


def test_byte_counts_of_several_series_add_up() -> None:
    end = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    labels = {"project_id": "p", "instance_id": "1", "zone": "z-a"}
    twice = [Series("gce_instance", labels, {"loadbalanced": lb}, [(end, 5.0)])
             for lb in ("true", "false")]  # fmt: skip
    query = next(q for q in QUERIES if q.metric == "network_in_bytes")
    (row,) = metric_rows("p", [(query, twice)], {"1": "//vm"}, end)
    assert (row["resource_id"], row["avg_value"], row["hour"]) == (
        "//vm",
        10.0,
        end - dt.timedelta(hours=1),
    )
