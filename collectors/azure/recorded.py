"""Observations from recorded ARM responses instead of live calls: the demo company's files in
``fixtures/demo/azure`` (``inventory/<subscription>/<list>.json``, ``metrics/index.json`` with
the gzip responses it names, ``prices/*.json``), run through the same normalizers: VMs, disks,
snapshots, public IPs, load balancers (with their health from DipAvailability), SQL databases,
and the metrics of VMs, databases and load balancers.

Recordings lack a few calls, so: no power states (``vm.state`` null), VM sizes from the size
name (``vm_sizes.spec_from_name``), resource groups from the resource ids (no tags), and the
subscriptions have no tags.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from collectors.azure import inventory_compute as compute
from collectors.azure import inventory_groups as groups
from collectors.azure import inventory_network as network
from collectors.azure import inventory_snapshots as snapshots
from collectors.azure import inventory_sql as sql
from collectors.azure import prices as retail
from collectors.azure.lb_health import latest_availability, with_health
from collectors.azure.metrics import HEALTH, QUERIES, metric_rows
from collectors.azure.observed import Observations, scopes_of
from collectors.azure.rows import UTC, Json, Row, Scope, arm_id, timestamp
from collectors.rows import read_recorded_json

KINDS = ["subscription", "resource_group", "vm", "disk", "snapshot", "ip", "lb", "db"]
ASKED = {kind: {",".join(q.names) for q in queries} for kind, queries in QUERIES.items()}


def read_recorded(folder: Path, collected_at: dt.datetime | None = None) -> Observations:
    """Observations of every recorded subscription, its metrics, and prices."""
    root = Path(folder)
    requests = read_recorded_json(root / "metrics" / "index.json")["requests"]
    at = collected_at or _window_end(requests) or dt.datetime.now(UTC)
    resources: list[Row] = []
    scopes = []
    for path in sorted(p for p in (root / "inventory").iterdir() if p.is_dir()):
        rows = _inventory(path, Scope(path.name, at))
        resources += rows
        scopes += scopes_of(path.name, rows, KINDS)
    metrics, availability = _metrics(root, requests, resources, at)
    resources = with_health(resources, availability)
    items = [i for p in sorted((root / "prices").glob("*.json")) if p.name != "index.json"
             for i in read_recorded_json(p).get("Items", [])]  # fmt: skip
    prices = retail.price_rows([{"Items": retail.selected(items, resources)}], at)
    return Observations.build(resources, metrics, prices, scopes, [])


def _inventory(folder: Path, scope: Scope) -> list[Row]:
    def items(name: str) -> list[Json]:
        path = folder / f"{name}.json"
        return list(read_recorded_json(path)["value"]) if path.is_file() else []

    vms, disks, snaps = items("virtual_machines"), items("disks"), items("snapshots")
    ips, lbs = items("public_ip_addresses"), items("load_balancers")
    dbs = sql.user_databases(items("sql_databases"))
    owners = network.nic_owners(items("network_interfaces"))
    seen = groups.groups_seen([*vms, *disks, *snaps, *ips, *lbs, *dbs])
    return [
        groups.subscription_row(scope, {}),
        *groups.group_rows(scope, seen),
        *compute.vm_rows(scope, vms, {}, {}),
        *compute.disk_rows(scope, disks),
        *snapshots.snapshot_rows(scope, snaps),
        *network.ip_rows(scope, ips, owners),
        *network.lb_rows(scope, lbs),
        *sql.db_rows(scope, dbs),
    ]


def _metrics(
    root: Path, requests: list[Json], resources: list[Row], at: dt.datetime
) -> tuple[list[Row], dict[str, float | None]]:
    """Metric rows of the recorded responses for the resources listed, and each load
    balancer's DipAvailability (lb_health)."""
    kinds = {str(r["resource_id"]): str(r["resource_type"]) for r in resources}
    memory = {r["resource_id"]: r["memory_gib"] for r in resources if r["resource_type"] == "vm"}
    rows: list[Row] = []
    availability: dict[str, float | None] = {}
    for asked in requests:
        uri, key = str(asked["resourceUri"]), str(arm_id(asked["resourceUri"]))
        if asked["metricnames"] not in ASKED.get(kinds.get(key, ""), ()):
            continue
        body = read_recorded_json(root / "metrics" / asked["file"])
        rows += metric_rows(uri.split("/")[2].lower(), uri, body, memory.get(key), at)
        if HEALTH in str(asked["metricnames"]).split(","):
            availability[key] = latest_availability(body)
    return rows, availability


def _window_end(requests: list[Json]) -> dt.datetime | None:
    ends = [timestamp(str(r["timespan"]).split("/")[1]) for r in requests if r.get("timespan")]
    return max((e for e in ends if e is not None), default=None)
