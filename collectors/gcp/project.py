"""One project: its inventory (instances first: a project that refuses them, 403 or 404, is one
problem and nothing more is asked), then hourly metrics. A part that fails (say addresses 403)
loses only that part's rows, and its resource type keeps its earlier warehouse rows because its
scopes are not listed as read. The pure half (:func:`inventory_rows`) also reads recordings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from google.api_core.exceptions import GoogleAPIError

from collectors.gcp import inventory_compute as compute
from collectors.gcp import inventory_network as network
from collectors.gcp import inventory_storage as storage
from collectors.gcp.clients import GcpClients
from collectors.gcp.inventory_sql import fetch_sql_instances, sql_rows
from collectors.gcp.machine_types import Spec
from collectors.gcp.metrics import QUERIES, Query, Window, fetch_series, metric_rows
from collectors.gcp.observed import NO_ACCESS, Problem, describe, scopes_of
from collectors.gcp.rows import Json, Row, Scope
from collectors.gcp.series import Series
from warehouse.observations import ResourceScope

Pages = list[Json]
NORMALIZERS: dict[str, Callable[[Scope, Pages], list[Row]]] = {
    "disk": storage.disk_rows, "snapshot": storage.snapshot_rows,
    "ip": network.address_rows, "lb": network.forwarding_rule_rows, "db": sql_rows,
}  # fmt: skip
FETCHERS: dict[str, tuple[str, Callable[[GcpClients, str], Pages]]] = {
    "disk": ("disks", storage.fetch_disks), "snapshot": ("snapshots", storage.fetch_snapshots),
    "ip": ("addresses", network.fetch_addresses),
    "lb": ("forwardingrules", network.fetch_forwarding_rules),
    "db": ("sqlinstances", fetch_sql_instances),
}  # fmt: skip
AGGREGATED = ("vm", "disk", "ip", "lb")  # kinds read with aggregatedList (every region)


def inventory_rows(scope: Scope, pages: Mapping[str, Pages], specs: Mapping[str, Spec]
                   ) -> tuple[list[Row], list[ResourceScope]]:  # fmt: skip
    """Rows and scopes of the kinds read (``pages`` by kind: vm, disk, snapshot, ip, lb, db)."""
    rows: list[Row] = []
    for kind, got in sorted(pages.items()):
        rows += compute.instance_rows(scope, got, specs) if kind == "vm" else \
            NORMALIZERS[kind](scope, got)  # fmt: skip
    regions = {r for k in AGGREGATED for r in compute.scope_regions(pages.get(k, []))}
    return rows, scopes_of(scope.project, rows, sorted(pages), regions)


def instance_ids(rows: list[Row]) -> dict[str, str]:
    """Numeric instance id -> resource id (Cloud Monitoring names instances by number)."""
    out = {}
    for row in (r for r in rows if r["resource_type"] == "vm"):
        number = dict(row["attributes"]).get("instance_id")
        if number:
            out[number] = str(row["resource_id"])
    return out


@dataclass
class ProjectResult:
    project: str
    resources: list[Row] = field(default_factory=list)
    metrics: list[Row] = field(default_factory=list)
    scopes: list[ResourceScope] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.project}: {len(self.resources)} resources, "
                f"{len(self.metrics)} metric rows, {len(self.problems)} problems")  # fmt: skip


def scan_project(clients: GcpClients, project: str, now: dt.datetime, window: Window
                 ) -> ProjectResult:  # fmt: skip
    out = ProjectResult(project)
    pages: dict[str, Pages] = {}
    try:
        pages["vm"] = compute.fetch_instances(clients, project)
    except NO_ACCESS as exc:
        out.problems.append(Problem(project, "project", describe(exc)))
        return out
    except GoogleAPIError as exc:
        out.problems.append(Problem(project, "instances", describe(exc)))
    for kind, (service, fetch) in FETCHERS.items():
        try:
            pages[kind] = fetch(clients, project)
        except GoogleAPIError as exc:
            out.problems.append(Problem(project, service, describe(exc)))
    specs = _specs(clients, project, pages.get("vm", []), out.problems)
    out.resources, out.scopes = inventory_rows(Scope(project, now), pages, specs)
    ids = instance_ids(out.resources)
    out.metrics = _metrics(clients, project, ids, window, now, out.problems)
    return out


def _specs(clients: GcpClients, project: str, pages: Pages, problems: list[Problem]
           ) -> dict[str, Spec]:  # fmt: skip
    try:
        return compute.fetch_specs(clients, project, compute.scoped(pages, "instances"))
    except GoogleAPIError as exc:
        problems.append(Problem(project, "machinetypes", describe(exc)))
        return {}


def _metrics(clients: GcpClients, project: str, ids: dict[str, str], window: Window,
             now: dt.datetime, problems: list[Problem]) -> list[Row]:  # fmt: skip
    answers: list[tuple[Query, list[Series]]] = []
    failed: list[GoogleAPIError] = []
    for query in QUERIES:
        try:
            answers.append((query, fetch_series(clients, project, query, window)))
        except GoogleAPIError as exc:
            failed.append(exc)
    if failed:
        message = f"{len(failed)} of {len(QUERIES)} calls failed, e.g. {describe(failed[0])}"
        problems.append(Problem(project, "metrics", message))
    return metric_rows(project, answers, ids, now)
