"""EBS volumes and snapshots: DescribeVolumes, DescribeSnapshots (OwnerIds=["self"]), and when
detached volumes were last attached (CloudTrail LookupEvents for DetachVolume, because
DescribeVolumes does not say).

A snapshot's ``resource_id`` is its ARN, as the CUR's ``line_item_resource_id`` names it; the
snapshot id is kept in ``attributes``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any

from collectors.aws.rows import (
    Page,
    Row,
    Scope,
    attributes,
    partition,
    resource,
    tag_pairs,
    timestamp,
)

TRAIL_DAYS = 90  # CloudTrail event history keeps 90 days
TRAIL_MAX_EVENTS = 5_000
SNAPSHOT_SKUS = {"standard": "EBS:SnapshotUsage", "archive": "EBS:SnapshotArchiveStorage"}


def fetch_volumes(ec2: Any) -> list[Page]:
    """DescribeVolumes, every page."""
    return list(ec2.get_paginator("describe_volumes").paginate())


def fetch_snapshots(ec2: Any) -> list[Page]:
    """DescribeSnapshots of the account's own snapshots, every page."""
    return list(ec2.get_paginator("describe_snapshots").paginate(OwnerIds=["self"]))


def fetch_detach_events(cloudtrail: Any, now: dt.datetime) -> list[Page]:
    """CloudTrail LookupEvents for DetachVolume over the event history's 90 days."""
    pages = cloudtrail.get_paginator("lookup_events").paginate(
        LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "DetachVolume"}],
        StartTime=now - dt.timedelta(days=TRAIL_DAYS),
        EndTime=now,
        PaginationConfig={"MaxItems": TRAIL_MAX_EVENTS},
    )
    return list(pages)


def detach_times(pages: Iterable[Page]) -> dict[str, dt.datetime]:
    """Volume id -> when it was last detached, from LookupEvents pages."""
    out: dict[str, dt.datetime] = {}
    for page in pages:
        for event in page.get("Events", []):
            moment = timestamp(event.get("EventTime"))
            for volume in _event_volumes(event):
                if moment is not None and (volume not in out or moment > out[volume]):
                    out[volume] = moment
    return out


def _event_volumes(event: Mapping[str, Any]) -> set[str]:
    named = {
        r["ResourceName"]
        for r in event.get("Resources", [])
        if str(r.get("ResourceName", "")).startswith("vol-")
    }
    if named:
        return named
    detail = json.loads(event.get("CloudTrailEvent") or "{}")
    volume = (detail.get("requestParameters") or {}).get("volumeId")
    return {volume} if volume else set()


def volume_rows(
    scope: Scope, pages: Iterable[Page], detached: Mapping[str, dt.datetime]
) -> list[Row]:
    """``resources`` rows (type ``disk``) for DescribeVolumes pages. ``last_attached_at`` is the
    collection time for attached volumes and the DetachVolume time for detached ones."""
    rows = []
    for page in pages:
        for item in page.get("Volumes", []):
            vid = item["VolumeId"]
            attached = [a for a in item.get("Attachments", []) if a.get("InstanceId")]
            last = scope.collected_at if attached else detached.get(vid)
            extra = attributes(
                availability_zone=item.get("AvailabilityZone"),
                iops=item.get("Iops"),
                throughput=item.get("Throughput"),
                encrypted=item.get("Encrypted"),
                snapshot_id=item.get("SnapshotId"),
            )
            rows.append(
                resource(
                    scope, vid, "disk",
                    sku=item.get("VolumeType"), state=item.get("State"),
                    attached_to=attached[0]["InstanceId"] if attached else None,
                    created_at=timestamp(item.get("CreateTime")), last_attached_at=last,
                    tags=tag_pairs(item.get("Tags")), size_gib=float(item["Size"]),
                    attributes=extra,
                )
            )  # fmt: skip
    return rows


def snapshot_arn(scope: Scope, snapshot_id: str) -> str:
    """The ARN the CUR writes as a snapshot's resource id."""
    return (
        f"arn:{partition(scope.region)}:ec2:{scope.region}:{scope.account_id}:"
        f"snapshot/{snapshot_id}"
    )


def snapshot_rows(scope: Scope, pages: Iterable[Page]) -> list[Row]:
    """``resources`` rows (type ``snapshot``) for DescribeSnapshots pages."""
    rows = []
    for page in pages:
        for item in page.get("Snapshots", []):
            tier = item.get("StorageTier") or "standard"
            extra = attributes(
                snapshot_id=item["SnapshotId"],
                volume_id=item.get("VolumeId"),
                storage_tier=tier,
                encrypted=item.get("Encrypted"),
            )
            rows.append(
                resource(
                    scope, snapshot_arn(scope, item["SnapshotId"]), "snapshot",
                    sku=SNAPSHOT_SKUS.get(tier, tier), state=item.get("State"),
                    created_at=timestamp(item.get("StartTime")),
                    tags=tag_pairs(item.get("Tags")), size_gib=float(item["VolumeSize"]),
                    attributes=extra,
                )
            )  # fmt: skip
    return rows


def volume_types(rows: Iterable[Row]) -> set[str]:
    """The volume types of ``disk`` rows."""
    return {r["sku"] for r in rows if r["resource_type"] == "disk" and r["sku"]}
