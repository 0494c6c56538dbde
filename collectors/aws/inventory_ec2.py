"""EC2 instances: DescribeInstances, DescribeInstanceTypes (vCPU, memory) and Auto Scaling group
membership (DescribeAutoScalingGroups, else the ``aws:autoscaling:groupName`` tag).

``fetch_*`` make the calls and return the response pages; ``*_rows`` and the other helpers are
pure and also run on recorded responses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from collectors.aws.rows import Page, Row, Scope, attributes, resource, tag_pairs, timestamp

ASG_TAG = "aws:autoscaling:groupName"
GONE = {"terminated"}  # no longer billed; DescribeInstances shows them for about an hour
PLATFORMS = {  # PlatformDetails -> the price list's operatingSystem
    "Linux/UNIX": "Linux",
    "Red Hat Enterprise Linux": "RHEL",
    "SUSE Linux": "SUSE",
    "Ubuntu Pro": "Ubuntu Pro",
    "Windows": "Windows",
}

Specs = dict[str, tuple[float, float]]  # instance type -> (vCPU, memory GiB)


def fetch_instances(ec2: Any) -> list[Page]:
    """DescribeInstances, every page."""
    return list(ec2.get_paginator("describe_instances").paginate())


def fetch_instance_types(ec2: Any, types: Iterable[str]) -> list[Page]:
    """DescribeInstanceTypes for the given types (a filter, so unknown names are skipped)."""
    wanted = sorted(set(types))
    if not wanted:
        return []
    pages = ec2.get_paginator("describe_instance_types").paginate(
        Filters=[{"Name": "instance-type", "Values": wanted}]
    )
    return list(pages)


def fetch_auto_scaling_groups(autoscaling: Any) -> list[Page]:
    """DescribeAutoScalingGroups, every page."""
    return list(autoscaling.get_paginator("describe_auto_scaling_groups").paginate())


def instances(pages: Iterable[Page]) -> list[Mapping[str, Any]]:
    """The instances of DescribeInstances pages, terminated ones left out."""
    return [
        item
        for page in pages
        for reservation in page.get("Reservations", [])
        for item in reservation.get("Instances", [])
        if item.get("State", {}).get("Name") not in GONE
    ]


def instance_specs(pages: Iterable[Page]) -> Specs:
    """Instance type -> (vCPU, memory GiB) from DescribeInstanceTypes pages."""
    return {
        t["InstanceType"]: (
            float(t["VCpuInfo"]["DefaultVCpus"]),
            t["MemoryInfo"]["SizeInMiB"] / 1024,
        )
        for page in pages
        for t in page.get("InstanceTypes", [])
    }


def group_members(pages: Iterable[Page]) -> dict[str, str]:
    """Instance id -> Auto Scaling group name, from DescribeAutoScalingGroups pages."""
    return {
        member["InstanceId"]: group["AutoScalingGroupName"]
        for page in pages
        for group in page.get("AutoScalingGroups", [])
        for member in group.get("Instances", [])
    }


def operating_system(item: Mapping[str, Any]) -> str:
    """The price list's operatingSystem for an instance (Linux unless it says otherwise)."""
    details = str(item.get("PlatformDetails") or "")
    if not details:
        return "Windows" if item.get("Platform") == "windows" else "Linux"
    for prefix, name in PLATFORMS.items():
        if details.startswith(prefix):
            return name
    return details


def _created(item: Mapping[str, Any]) -> Any:
    """Launch time, or the primary interface's attach time when earlier (LaunchTime moves on
    every stop and start; the primary interface stays attached since the launch)."""
    times = [timestamp(item.get("LaunchTime"))]
    for eni in item.get("NetworkInterfaces", []):
        attachment = eni.get("Attachment", {})
        if attachment.get("DeviceIndex") == 0:
            times.append(timestamp(attachment.get("AttachTime")))
    known = [t for t in times if t is not None]
    return min(known) if known else None


def instance_rows(
    scope: Scope, pages: Iterable[Page], specs: Specs, groups: Mapping[str, str]
) -> list[Row]:
    """``resources`` rows (type ``vm``) for DescribeInstances pages."""
    rows = []
    for item in instances(pages):
        tags = tag_pairs(item.get("Tags"))
        iid = item["InstanceId"]
        vcpu, memory = specs.get(item["InstanceType"], (None, None))
        placement = item.get("Placement", {})
        extra = attributes(
            availability_zone=placement.get("AvailabilityZone"),
            tenancy=placement.get("Tenancy"),
            operating_system=operating_system(item),
            lifecycle=item.get("InstanceLifecycle") or "on-demand",
            architecture=item.get("Architecture"),
            image_id=item.get("ImageId"),
            public_ip=item.get("PublicIpAddress"),
        )
        rows.append(
            resource(
                scope, iid, "vm",
                sku=item["InstanceType"], vcpu=vcpu, memory_gib=memory,
                state=item.get("State", {}).get("Name"),
                scaling_group=groups.get(iid) or dict(tags).get(ASG_TAG),
                created_at=_created(item), tags=tags, attributes=extra,
            )
        )  # fmt: skip
    return rows


def instance_types(pages: Iterable[Page]) -> set[str]:
    """The instance types DescribeInstances pages show."""
    return {item["InstanceType"] for item in instances(pages)}
