"""One subscription: its tags and resource groups, compute, snapshot, network and SQL database
inventory, then the hourly metrics of its VMs, databases and load balancers. A subscription
that cannot be read at all (403, 404) is one problem; a part that fails (say network 403) loses
only that part's rows, and its resource types keep their earlier warehouse rows because their
scopes are not listed as read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from azure.core.exceptions import AzureError

from collectors.azure import inventory_compute as compute
from collectors.azure import inventory_groups as groups
from collectors.azure import inventory_network as network
from collectors.azure import inventory_snapshots as snapshots
from collectors.azure import inventory_sql as sql
from collectors.azure.clients import AzureClients
from collectors.azure.lb_health import with_health
from collectors.azure.metrics import Window
from collectors.azure.monitor import monitor
from collectors.azure.observed import Problem, describe, scopes_of
from collectors.azure.rows import Json, Row, Scope
from collectors.azure.vm_sizes import size_specs
from warehouse.observations import ResourceScope


@dataclass
class SubscriptionResult:
    subscription_id: str
    resources: list[Row] = field(default_factory=list)
    metrics: list[Row] = field(default_factory=list)
    scopes: list[ResourceScope] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.subscription_id}: {len(self.resources)} resources, "
                f"{len(self.metrics)} metric rows, {len(self.problems)} problems")  # fmt: skip


def scan_subscription(
    clients: AzureClients, subscription: str, now: dt.datetime, window: Window
) -> SubscriptionResult:
    out = SubscriptionResult(subscription)
    scope = Scope(subscription, now)
    try:
        body = groups.fetch_subscription(clients, subscription)
    except AzureError as exc:
        out.problems.append(Problem(subscription, "subscription", describe(exc)))
        return out
    out.resources.append(groups.subscription_row(scope, body))
    read = ["subscription"]
    listed: dict[str, list[Json]] = {}  # what metrics are read for: vm, db, lb (ARM JSON)

    def part(kinds: list[str], service: str, work: Callable[[], list[Row]]) -> None:
        try:
            out.resources.extend(work())
            read.extend(kinds)
        except AzureError as exc:
            out.problems.append(Problem(subscription, service, describe(exc)))

    part(
        ["resource_group"],
        "resourcegroups",
        lambda: groups.group_rows(scope, groups.fetch_groups(clients, subscription)),
    )
    part(["vm"], "virtualmachines", lambda: _vms(clients, scope, listed, out.problems))
    part(
        ["disk"],
        "disks",
        lambda: compute.disk_rows(scope, compute.fetch_disks(clients, subscription)),
    )
    part(
        ["snapshot"],
        "snapshots",
        lambda: snapshots.snapshot_rows(scope, snapshots.fetch_snapshots(clients, subscription)),
    )
    part(["ip"], "publicipaddresses", lambda: _ips(clients, scope))
    part(
        ["lb"],
        "loadbalancers",
        lambda: network.lb_rows(
            scope, _keep(listed, "lb", network.fetch_load_balancers(clients, subscription))
        ),
    )
    part(["db"], "sqldatabases", lambda: sql.db_rows(scope, _keep(
        listed, "db", sql.fetch_databases(clients, subscription))))  # fmt: skip
    out.scopes = scopes_of(subscription, out.resources, read)
    memory = {r["resource_id"]: r["memory_gib"] for r in out.resources
              if r["resource_type"] == "vm"}  # fmt: skip
    seen = monitor(clients, subscription, listed, memory, window, now, out.problems)
    out.metrics = seen.rows
    out.resources = with_health(out.resources, seen.availability)
    return out


def _keep(listed: dict[str, list[Json]], kind: str, items: list[Json]) -> list[Json]:
    listed[kind] = items
    return items


def _vms(
    clients: AzureClients, scope: Scope, listed: dict[str, list[Json]], problems: list[Problem]
) -> list[Row]:
    sub = scope.subscription_id
    vms = _keep(listed, "vm", compute.fetch_vms(clients, sub))
    power: dict[str, str] = {}
    sizes: dict[str, tuple[float, float]] = {}
    try:
        power = compute.power_states(compute.fetch_statuses(clients, sub))
    except AzureError as exc:
        problems.append(Problem(sub, "virtualmachines.instanceview", describe(exc)))
    try:
        locations = {str(v["location"]) for v in vms}
        sizes = size_specs(compute.fetch_sizes(clients, sub, locations))
    except AzureError as exc:
        problems.append(Problem(sub, "vmsizes", describe(exc)))
    return compute.vm_rows(scope, vms, power, sizes)


def _ips(clients: AzureClients, scope: Scope) -> list[Row]:
    sub = scope.subscription_id
    owners = network.nic_owners(network.fetch_nics(clients, sub))
    return network.ip_rows(scope, network.fetch_public_ips(clients, sub), owners)
