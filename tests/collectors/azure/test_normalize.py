"""Azure normalizers without a server: retry headers, VM size names, databases, snapshots,
load balancer health."""

from __future__ import annotations

import datetime as dt

from collectors.azure.clients import cost_management_retry_after
from collectors.azure.inventory_snapshots import snapshot_rows
from collectors.azure.inventory_sql import db_rows
from collectors.azure.lb_health import latest_availability, with_health
from collectors.azure.rows import Scope
from collectors.azure.vm_sizes import spec_from_name
from fixtures.catalog import SKUS


def test_the_longest_cost_management_retry_header_counts() -> None:
    headers = {
        "x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after": "2",
        "X-Ms-Ratelimit-Microsoft.CostManagement-Entity-Retry-After": "5",
        "x-ms-ratelimit-microsoft.costmanagement-qpu-remaining": "0",
    }
    assert cost_management_retry_after(headers) == 5.0
    assert cost_management_retry_after({"Retry-After": "3"}) is None


def test_size_names_agree_with_the_catalogue() -> None:
    for sku in (s for s in SKUS if s.provider == "azure" and s.kind == "vm"):
        assert spec_from_name(sku.name) == (sku.vcpu, sku.memory_gib)
    assert spec_from_name("Standard_M128s") is None


SCOPE = Scope("s1", dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
SERVER = "/subscriptions/S1/resourceGroups/RG/providers/Microsoft.Sql/servers/Srv"


def test_databases_dtu_without_vcores_and_master_left_out() -> None:
    dbs = [
        {"id": f"{SERVER}/databases/master", "name": "master", "location": "eastus",
         "kind": "v12.0,system", "sku": {"name": "System", "capacity": 0}},
        {"id": f"{SERVER}/databases/Shop", "name": "Shop", "location": "eastus",
         "kind": "v12.0,user", "sku": {"name": "Standard", "tier": "Standard", "capacity": 50},
         "properties": {"status": "Paused", "currentServiceObjectiveName": "S2",
                        "elasticPoolId": f"{SERVER}/elasticPools/Pool"}},
    ]  # fmt: skip
    (row,) = db_rows(SCOPE, dbs)
    assert row["resource_id"] == SERVER.lower() + "/databases/shop"
    assert (row["sku"], row["vcpu"], row["state"]) == ("S2", None, "paused")
    assert dict(row["attributes"])["elastic_pool"] == SERVER.lower() + "/elasticpools/pool"
    assert dict(row["attributes"])["server"] == SERVER.lower()


def test_snapshot_source_disk_is_a_lower_case_id() -> None:
    disk = "/subscriptions/S1/resourceGroups/RG/providers/Microsoft.Compute/disks/Data"
    snap = {"id": "/subscriptions/S1/resourceGroups/RG/providers/Microsoft.Compute/snapshots/A",
            "location": "westeurope", "properties": {"diskSizeBytes": 2**31, "incremental": True,
            "creationData": {"createOption": "Copy", "sourceResourceId": disk}}}  # fmt: skip
    (row,) = snapshot_rows(SCOPE, [snap])
    assert row["size_gib"] == 2.0
    assert dict(row["attributes"])["source_disk"] == disk.lower()
    assert dict(row["attributes"])["incremental"] == "True"


def test_health_is_the_last_hour_with_a_value() -> None:
    data = [{"timeStamp": "2026-10-31T21:00:00Z", "average": 100.0},
            {"timeStamp": "2026-10-31T22:00:00Z", "average": 50.0},
            {"timeStamp": "2026-10-31T23:00:00Z"}]  # fmt: skip
    body = {"value": [{"name": {"value": "DipAvailability"}, "timeseries": [{"data": data}]}]}
    assert latest_availability(body) == 50.0
    assert latest_availability({"value": []}) is None
    lb = {"resource_id": "x", "resource_type": "lb", "attributes": [("registered_targets", "3")]}
    (half,) = with_health([lb], {"x": 50.0})
    assert dict(half["attributes"]) == {"registered_targets": "3", "healthy_targets": "2",
                                        "probe_availability_percent": "50.0"}  # fmt: skip
    (none,) = with_health([lb], {"x": None})
    assert dict(none["attributes"])["healthy_targets"] == "0"
