"""Persistent disks (``disks.aggregatedList``) and snapshots (``snapshots.list``).

A disk is ``in-use`` while it has ``users`` (the instances it is attached to), else
``available``; ``last_attached_at`` is the collection time while attached, else its
``lastDetachTimestamp`` (null if it was never detached). A snapshot lies in the region of its
source disk (``global`` when that is unknown); its size is the bytes it stores.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from google.cloud import compute_v1

from collectors.gcp.clients import GcpClients
from collectors.gcp.inventory_compute import scoped
from collectors.gcp.rows import (
    GLOBAL,
    Json,
    Row,
    Scope,
    attributes,
    global_name,
    last,
    region_of,
    resource,
    timestamp,
    to_json,
)

GIB = 2**30
_LOCATION = re.compile(r"/(?:zones|regions)/([^/]+)/")


def fetch_disks(clients: GcpClients, project: str) -> list[Json]:
    """disks.aggregatedList, every page."""
    request = compute_v1.AggregatedListDisksRequest(project=project)
    pager = clients.disks.aggregated_list(request=request, retry=clients.retry)
    return [to_json(page) for page in pager.pages]


def fetch_snapshots(clients: GcpClients, project: str) -> list[Json]:
    """snapshots.list, every page."""
    request = compute_v1.ListSnapshotsRequest(project=project)
    pager = clients.snapshots.list(request=request, retry=clients.retry)
    return [to_json(page) for page in pager.pages]


def disk_rows(scope: Scope, pages: Iterable[Json]) -> list[Row]:
    """``disk`` rows."""
    rows = []
    for disk in scoped(pages, "disks"):
        users = [str(global_name(u)) for u in disk.get("users") or []]
        detached = timestamp(disk.get("lastDetachTimestamp"))
        rows.append(resource(
            scope, disk, "disk", region_of(disk.get("zone") or disk.get("region")),
            sku=last(disk.get("type")), state="in-use" if users else "available",
            attached_to=users[0] if users else None, size_gib=_gib(disk.get("sizeGb")),
            last_attached_at=scope.collected_at if users else detached,
            attributes=attributes(
                disk_id=disk.get("id"), status=disk.get("status"),
                zone=last(disk.get("zone")), users=len(users) or None,
                last_attach=disk.get("lastAttachTimestamp"),
                last_detach=disk.get("lastDetachTimestamp"),
                provisioned_iops=disk.get("provisionedIops"),
                provisioned_throughput=disk.get("provisionedThroughput"),
            ),
        ))  # fmt: skip
    return rows


def snapshot_rows(scope: Scope, pages: Iterable[Json]) -> list[Row]:
    """``snapshot`` rows."""
    rows = []
    for snap in (s for page in pages for s in page.get("items") or []):
        stored = snap.get("storageBytes")
        kind = str(snap.get("snapshotType") or "STANDARD").lower()
        rows.append(resource(
            scope, snap, "snapshot", _source_region(snap.get("sourceDisk")),
            sku=f"snapshot-{kind}", state=str(snap.get("status") or "").lower() or None,
            size_gib=int(stored) / GIB if stored is not None else _gib(snap.get("diskSizeGb")),
            attributes=attributes(
                snapshot_id=snap.get("id"), source_disk=global_name(snap.get("sourceDisk")),
                disk_size_gb=snap.get("diskSizeGb"),
                storage_locations=",".join(snap.get("storageLocations") or []),
                auto_created=snap.get("autoCreated"),
            ),
        ))  # fmt: skip
    return rows


def _source_region(link: object) -> str:
    match = _LOCATION.search(str(link or ""))
    return region_of(match.group(1)) if match else GLOBAL


def _gib(value: object) -> float | None:
    return None if value is None else float(str(value))
