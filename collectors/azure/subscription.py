"""One subscription: its tags and resource groups, compute and network inventory, then the VMs'
hourly metrics. A subscription that cannot be read at all (403, 404) is one problem; a part
that fails (say network 403) loses only that part's rows, and its resource types keep their
earlier warehouse rows because their scopes are not listed as read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from azure.core.exceptions import AzureError

from collectors.azure import inventory_compute as compute
from collectors.azure import inventory_groups as groups
from collectors.azure import inventory_network as network
from collectors.azure.clients import AzureClients
from collectors.azure.metrics import VM_QUERIES, Query, Window, fetch_metrics, metric_rows
from collectors.azure.observed import Problem, describe, scopes_of
from collectors.azure.rows import Json, Row, Scope, arm_id
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
    vms: list[Json] = []

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
    part(["vm"], "virtualmachines", lambda: _vms(clients, scope, vms, out.problems))
    part(
        ["disk"],
        "disks",
        lambda: compute.disk_rows(scope, compute.fetch_disks(clients, subscription)),
    )
    part(["ip"], "publicipaddresses", lambda: _ips(clients, scope))
    part(["lb"], "loadbalancers", lambda: network.lb_rows(
        scope, network.fetch_load_balancers(clients, subscription)))  # fmt: skip
    out.scopes = scopes_of(subscription, out.resources, read)
    memory = {
        r["resource_id"]: r["memory_gib"] for r in out.resources if r["resource_type"] == "vm"
    }
    out.metrics = _metrics(clients, subscription, vms, memory, window, now, out.problems)
    return out


def _vms(
    clients: AzureClients, scope: Scope, vms: list[Json], problems: list[Problem]
) -> list[Row]:
    sub = scope.subscription_id
    vms.extend(compute.fetch_vms(clients, sub))
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


def _metrics(
    clients: AzureClients, sub: str, vms: list[Json], memory: dict[str, Any],
    window: Window, now: dt.datetime, problems: list[Problem],
) -> list[Row]:  # fmt: skip
    asks = [(str(vm["id"]), q) for vm in vms for q in VM_QUERIES]

    def one(ask: tuple[str, Query]) -> list[Row] | AzureError:
        uri, query = ask
        try:
            response = fetch_metrics(clients, sub, uri, query, window)
        except AzureError as exc:
            return exc
        return metric_rows(sub, uri, response, memory.get(str(arm_id(uri))), now)

    rows: list[Row] = []
    failed: list[AzureError] = []
    with ThreadPoolExecutor(max_workers=clients.settings.workers) as pool:
        for got in pool.map(one, asks):
            if isinstance(got, AzureError):
                failed.append(got)
            else:
                rows.extend(got)
    if failed:
        message = f"{len(failed)} of {len(asks)} calls failed, e.g. {describe(failed[0])}"
        problems.append(Problem(sub, "metrics", message))
    return rows
