"""Observations from recorded SDK responses instead of live calls: the demo company's files in
``fixtures/demo/aws`` (``inventory/``, ``metrics/``, ``prices/``), named
``<service>.<Operation>_<account>_<region>[_<suffix>].json``, run through the same normalizers.
Recorded files have no DescribeInstanceTypes, so vCPU and memory come from the price list.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from collectors.aws import inventory_ebs as ebs
from collectors.aws import inventory_ec2 as ec2
from collectors.aws.inventory_eip import address_rows
from collectors.aws.inventory_elb import Balancers, balancer_rows, health_pages
from collectors.aws.inventory_rds import db_rows
from collectors.aws.metrics import Window, metric_rows
from collectors.aws.observed import Observations, fill_specs
from collectors.aws.prices import price_rows, product_specs
from collectors.aws.prices_spot import spot_rows
from collectors.aws.rows import PROVIDER, UTC, Page, Row, Scope, timestamp
from warehouse.observations import ResourceScope

KINDS = ("vm", "disk", "snapshot", "ip", "lb", "db")


class _Folder:
    def __init__(self, root: Path) -> None:
        self.root = root

    def page(self, kind: str, operation: str, *parts: str) -> Page:
        """One recorded response; an empty one when it was not recorded."""
        path = self.root / kind / f"{'_'.join((operation, *parts))}.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}

    def pages(self, operation: str, account: str, region: str) -> list[Page]:
        return [self.page("inventory", operation, account, region)]

    def places(self) -> list[tuple[str, str]]:
        """(account, region) of every recorded DescribeInstances."""
        found = (self.root / "inventory").glob("ec2.DescribeInstances_*.json")
        return sorted(tuple(p.stem.split("_")[1:3]) for p in found)  # type: ignore[misc]


def read_recorded(folder: Path, collected_at: dt.datetime | None = None) -> Observations:
    """Observations of the recorded account x regions, metrics and prices."""
    files = _Folder(Path(folder))
    requests = sorted((files.root / "metrics").glob("*.request.json"))
    at = collected_at or _window_end(requests) or dt.datetime.now(UTC)
    resources: list[Row] = []
    scopes = []
    for account, region in files.places():
        resources += _inventory(files, Scope(account, region, at))
        scopes += [ResourceScope(PROVIDER, account, region, kind) for kind in KINDS]
    created = {r["resource_id"]: r["created_at"] for r in resources}
    metrics = [row for path in requests for row in _metrics(path, created, at)]
    products = [json.loads(p.read_text()) for p in sorted(files.root.glob("prices/pricing.*"))]
    prices = price_rows(products, at)
    for path in sorted(files.root.glob("prices/ec2.DescribeSpotPriceHistory_*.json")):
        prices += spot_rows(path.stem.split("_", 1)[1], [json.loads(path.read_text())], at)
    fill_specs(resources, product_specs(products))
    return Observations.build(resources, metrics, prices, scopes, [])


def _inventory(files: _Folder, scope: Scope) -> list[Row]:
    account, region = scope.account_id, scope.region

    def pages(operation: str) -> list[Page]:
        return files.pages(operation, account, region)

    groups = ec2.group_members(pages("autoscaling.DescribeAutoScalingGroups"))
    detached = ebs.detach_times(pages("cloudtrail.LookupEvents"))
    target_groups = pages("elbv2.DescribeTargetGroups")
    by_name = {
        tg["TargetGroupName"]: files.page(
            "inventory", "elbv2.DescribeTargetHealth", account, region, tg["TargetGroupName"]
        )
        for page in target_groups
        for tg in page.get("TargetGroups", [])
    }
    balancers = Balancers(
        pages("elbv2.DescribeLoadBalancers"), target_groups, health_pages(target_groups, by_name),
        pages("elbv2.DescribeTags"),
    )  # fmt: skip
    return [
        *ec2.instance_rows(scope, pages("ec2.DescribeInstances"), {}, groups),
        *ebs.volume_rows(scope, pages("ec2.DescribeVolumes"), detached),
        *ebs.snapshot_rows(scope, pages("ec2.DescribeSnapshots")),
        *address_rows(scope, pages("ec2.DescribeAddresses")),
        *balancer_rows(scope, balancers),
        *db_rows(scope, pages("rds.DescribeDBInstances")),
    ]


def _window_end(requests: list[Path]) -> dt.datetime | None:
    ends = [timestamp(json.loads(p.read_text())["EndTime"]) for p in requests]
    return max((e for e in ends if e is not None), default=None)


def _metrics(request: Path, created: dict[str, Any], at: dt.datetime) -> list[Row]:
    _, account, region = request.name.split("_")[:3]
    asked = json.loads(request.read_text(encoding="utf-8"))
    response = request.with_name(request.name.replace(".request.json", ".json"))
    window = Window(timestamp(asked["StartTime"]) or at, timestamp(asked["EndTime"]) or at)
    page = json.loads(response.read_text(encoding="utf-8"))
    return metric_rows(account, region, asked["MetricDataQueries"], [page], window, at, created)
