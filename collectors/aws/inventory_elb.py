"""Elastic Load Balancing v2 (application, network, gateway): DescribeLoadBalancers,
DescribeTargetGroups, DescribeTargetHealth per target group and DescribeTags (20 ARNs a call).

The idle-resource analyzer needs to know whether a load balancer has anything to send traffic
to, so each row's ``attributes`` carry ``target_groups``, ``registered_targets`` and
``healthy_targets`` (summed over the target groups that forward to it). ``sku`` is the load
balancer type (``application``), which is also the price rows' SKU for its hourly charge.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from collectors.aws.rows import Page, Row, Scope, attributes, resource, tag_pairs, timestamp

TAGS_PER_CALL = 20


@dataclass(frozen=True)
class Balancers:
    """Everything the load-balancer rows are made of."""

    load_balancers: list[Page]
    target_groups: list[Page]
    health: dict[str, Page]  # target group ARN -> DescribeTargetHealth response
    tags: list[Page]


def fetch_balancers(elbv2: Any) -> Balancers:
    """Every load balancer of the region, its target groups, their health and the tags."""
    lbs = list(elbv2.get_paginator("describe_load_balancers").paginate())
    groups = list(elbv2.get_paginator("describe_target_groups").paginate())
    health = {
        tg["TargetGroupArn"]: elbv2.describe_target_health(TargetGroupArn=tg["TargetGroupArn"])
        for page in groups
        for tg in page.get("TargetGroups", [])
        if tg.get("LoadBalancerArns")
    }
    arns = [lb["LoadBalancerArn"] for page in lbs for lb in page.get("LoadBalancers", [])]
    tags = [
        elbv2.describe_tags(ResourceArns=arns[i : i + TAGS_PER_CALL])
        for i in range(0, len(arns), TAGS_PER_CALL)
    ]
    return Balancers(lbs, groups, health, tags)


def target_counts(balancers: Balancers) -> dict[str, dict[str, int]]:
    """Load balancer ARN -> target_groups, registered_targets and healthy_targets."""
    counts: dict[str, dict[str, int]] = {}
    for page in balancers.target_groups:
        for tg in page.get("TargetGroups", []):
            targets = balancers.health.get(tg["TargetGroupArn"], {})
            described = targets.get("TargetHealthDescriptions", [])
            healthy = sum(1 for t in described if _state(t) == "healthy")
            for arn in tg.get("LoadBalancerArns", []):
                entry = counts.setdefault(
                    arn, {"target_groups": 0, "registered_targets": 0, "healthy_targets": 0}
                )
                entry["target_groups"] += 1
                entry["registered_targets"] += len(described)
                entry["healthy_targets"] += healthy
    return counts


def _state(target: Mapping[str, Any]) -> str:
    return str(target.get("TargetHealth", {}).get("State", ""))


def balancer_rows(scope: Scope, balancers: Balancers) -> list[Row]:
    """``resources`` rows (type ``lb``), one per load balancer."""
    tags = {
        d["ResourceArn"]: tag_pairs(d.get("Tags"))
        for page in balancers.tags
        for d in page.get("TagDescriptions", [])
    }
    counts = target_counts(balancers)
    none = {"target_groups": 0, "registered_targets": 0, "healthy_targets": 0}
    rows = []
    for page in balancers.load_balancers:
        for lb in page.get("LoadBalancers", []):
            arn = lb["LoadBalancerArn"]
            extra = attributes(
                name=lb.get("LoadBalancerName"),
                scheme=lb.get("Scheme"),
                dns_name=lb.get("DNSName"),
                availability_zones=",".join(_zones(lb)),
                **counts.get(arn, none),
            )
            rows.append(
                resource(
                    scope, arn, "lb", sku=lb.get("Type"),
                    state=lb.get("State", {}).get("Code"),
                    created_at=timestamp(lb.get("CreatedTime")),
                    tags=tags.get(arn, []), attributes=extra,
                )
            )  # fmt: skip
    return rows


def _zones(lb: Mapping[str, Any]) -> list[str]:
    return sorted(z["ZoneName"] for z in lb.get("AvailabilityZones", []) if z.get("ZoneName"))


def dimension(arn: str) -> str:
    """The CloudWatch ``LoadBalancer`` dimension of a load balancer ARN (``app/name/id``)."""
    return arn.split(":loadbalancer/", 1)[1]


def health_pages(groups: Iterable[Page], by_name: Mapping[str, Page]) -> dict[str, Page]:
    """Recorded DescribeTargetHealth responses, keyed by target group ARN instead of name."""
    return {
        tg["TargetGroupArn"]: by_name[tg["TargetGroupName"]]
        for page in groups
        for tg in page.get("TargetGroups", [])
        if tg["TargetGroupName"] in by_name
    }
