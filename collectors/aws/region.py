"""One account x region: inventory, then CloudWatch metrics of what was found, then spot prices.

A failing call costs only its service's rows (reported as a problem); an error saying the region
cannot be used at all (opt-in region not enabled, unknown credentials there, endpoint not
reachable) ends the region with one problem.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from botocore.exceptions import (
    BaseEndpointResolverError,
    BotoCoreError,
    ClientError,
    EndpointResolutionError,
    HTTPClientError,
)
from botocore.exceptions import ConnectionError as AwsConnectionError

from collectors.aws import inventory_ebs as ebs
from collectors.aws import inventory_ec2 as ec2
from collectors.aws import metrics
from collectors.aws.clients import AwsClients
from collectors.aws.inventory_eip import address_rows, fetch_addresses
from collectors.aws.inventory_elb import balancer_rows, fetch_balancers
from collectors.aws.inventory_rds import db_rows, fetch_db_instances
from collectors.aws.observed import Problem, describe
from collectors.aws.prices_spot import fetch_spot_prices, spot_rows
from collectors.aws.rows import PROVIDER, Row, Scope
from warehouse.observations import ResourceScope

REGION_DOWN = {
    "AuthFailure", "OptInRequired", "UnrecognizedClientException", "InvalidClientTokenId",
}  # fmt: skip
UNREACHABLE = (AwsConnectionError, HTTPClientError, BaseEndpointResolverError,
               EndpointResolutionError)  # fmt: skip
T = TypeVar("T")


class RegionDown(Exception):
    """The region cannot be read at all."""

    def __init__(self, service: str, message: str) -> None:
        super().__init__(message)
        self.service, self.message = service, message


@dataclass
class RegionResult:
    """What one account x region gave."""

    account_id: str
    region: str
    resources: list[Row] = field(default_factory=list)
    metrics: list[Row] = field(default_factory=list)
    spot: list[Row] = field(default_factory=list)
    scopes: list[ResourceScope] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        """One progress line."""
        failed = f", {len(self.problems)} problem(s)" if self.problems else ""
        return (f"{self.account_id} {self.region}: {len(self.resources)} resources, "
                f"{len(self.metrics)} metric hours{failed}")  # fmt: skip


class _Scan:
    def __init__(self, clients: AwsClients, account: str, region: str, now: dt.datetime) -> None:
        self.clients, self.now = clients, now
        self.scope = Scope(account, region, now)
        self.out = RegionResult(account, region)

    def client(self, service: str) -> Any:
        return self.clients.client(service, self.scope.region, self.scope.account_id)

    def call(self, service: str, fn: Callable[..., T], *args: Any) -> T | None:
        """``fn(*args)``; None (and a problem) when the service refuses."""
        try:
            return fn(*args)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in REGION_DOWN:
                raise RegionDown(service, describe(exc)) from exc
            self.problem(service, describe(exc))
        except UNREACHABLE as exc:
            raise RegionDown(service, describe(exc)) from exc
        except BotoCoreError as exc:
            self.problem(service, describe(exc))
        return None

    def problem(self, service: str, message: str) -> None:
        scope = self.scope
        self.out.problems.append(Problem(scope.account_id, scope.region, service, message))

    def add(self, kind: str, rows: list[Row]) -> None:
        scope = self.scope
        self.out.resources += rows
        self.out.scopes.append(ResourceScope(PROVIDER, scope.account_id, scope.region, kind))

    def of(self, kind: str) -> list[Row]:
        return [r for r in self.out.resources if r["resource_type"] == kind]

    def instances(self) -> None:
        client = self.client("ec2")
        pages = self.call("ec2", ec2.fetch_instances, client)
        if pages is None:
            return
        types = self.call("ec2", ec2.fetch_instance_types, client, ec2.instance_types(pages))
        groups = self.call("autoscaling", ec2.fetch_auto_scaling_groups, self.client("autoscaling"))
        specs, members = ec2.instance_specs(types or []), ec2.group_members(groups or [])
        self.add("vm", ec2.instance_rows(self.scope, pages, specs, members))

    def storage(self) -> None:
        client = self.client("ec2")
        volumes = self.call("ec2", ebs.fetch_volumes, client)
        if volumes is not None:
            self.add("disk", ebs.volume_rows(self.scope, volumes, self.detach_times(volumes)))
        snapshots = self.call("ec2", ebs.fetch_snapshots, client)
        if snapshots is not None:
            self.add("snapshot", ebs.snapshot_rows(self.scope, snapshots))
        addresses = self.call("ec2", fetch_addresses, client)
        if addresses is not None:
            self.add("ip", address_rows(self.scope, addresses))

    def detach_times(self, volumes: list[Any]) -> dict[str, dt.datetime]:
        detached = any(v.get("State") == "available" for p in volumes for v in p.get("Volumes", []))
        if not detached or not self.clients.can_reach("cloudtrail"):
            return {}
        pages = self.call(
            "cloudtrail", ebs.fetch_detach_events, self.client("cloudtrail"), self.now
        )
        return ebs.detach_times(pages or [])

    def services(self) -> None:
        balancers = self.call("elbv2", fetch_balancers, self.client("elbv2"))
        if balancers is not None:
            self.add("lb", balancer_rows(self.scope, balancers))
        databases = self.call("rds", fetch_db_instances, self.client("rds"))
        if databases is not None:
            self.add("db", db_rows(self.scope, databases))

    def utilization(self) -> None:
        cloudwatch = self.client("cloudwatch")
        vms = self.of("vm")
        memory: dict[str, list[dict[str, str]]] = {}
        if vms:
            listed = self.call("cloudwatch", metrics.fetch_memory_metrics, cloudwatch)
            memory = metrics.memory_dimensions(
                listed or [], {r["resource_id"]: r["sku"] for r in vms}
            )
        queries = metrics.build_queries(self.out.resources, memory)
        if not queries:
            return
        window = metrics.Window.ending(self.now, self.clients.settings.lookback_days)
        pages = self.call("cloudwatch", metrics.fetch_metric_data, cloudwatch, queries,
                          window.start, window.end)  # fmt: skip
        if pages is not None:
            created = {r["resource_id"]: r["created_at"] for r in self.out.resources}
            self.out.metrics = metrics.metric_rows(*self.scope_ids(), queries, pages, window,
                                                   self.now, created)  # fmt: skip

    def scope_ids(self) -> tuple[str, str]:
        return self.scope.account_id, self.scope.region

    def spot(self) -> None:
        vms = self.of("vm")
        if not vms:
            return
        systems = {dict(r["attributes"]).get("operating_system", "Linux") for r in vms}
        pages = self.call("ec2", fetch_spot_prices, self.client("ec2"),
                          {r["sku"] for r in vms}, systems, self.now)  # fmt: skip
        self.out.spot = spot_rows(self.scope.region, pages or [], self.now)


def scan_region(clients: AwsClients, account: str, region: str, now: dt.datetime) -> RegionResult:
    """Inventory, metrics and spot prices of one account x region."""
    scan = _Scan(clients, account, region, now)
    try:
        scan.instances()
        scan.storage()
        scan.services()
        scan.utilization()
        scan.spot()
    except RegionDown as down:
        scan.problem(down.service, down.message)
    except (ClientError, BotoCoreError) as exc:  # the account's credentials could not be renewed
        scan.problem("sts", describe(exc))
    return scan.out
