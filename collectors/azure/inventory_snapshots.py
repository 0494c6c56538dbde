"""Managed disk snapshots (``Microsoft.Compute/snapshots``, ``snapshots.list``): size, age and
source disk, for old-snapshot checks. Their cost is per GiB month of the snapshot (full, or the
changed blocks when incremental); the bill has it under the snapshot's id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from collectors.azure.clients import AzureClients
from collectors.azure.rows import Json, Row, Scope, arm_id, attributes, resource, timestamp


def fetch_snapshots(clients: AzureClients, subscription: str) -> list[Json]:
    """snapshots.list: every snapshot of the subscription (every page)."""
    return [s.as_dict() for s in clients.compute(subscription).snapshots.list()]


def snapshot_rows(scope: Scope, snapshots: Iterable[Json]) -> list[Row]:
    """``snapshot`` rows: ``size_gib`` the source's provisioned size (diskSizeGB), ``state`` the
    provisioning state lower-cased, ``created_at`` timeCreated."""
    rows = []
    for snap in snapshots:
        props: Mapping[str, Any] = snap.get("properties") or {}
        source: Mapping[str, Any] = props.get("creationData") or {}
        sku: Mapping[str, Any] = snap.get("sku") or {}
        rows.append(resource(
            scope, snap, "snapshot", sku=sku.get("name"),
            state=str(props.get("provisioningState") or "").lower() or None,
            size_gib=_size_gib(props), created_at=timestamp(props.get("timeCreated")),
            attributes=attributes(
                source_disk=arm_id(source.get("sourceResourceId")),
                create_option=source.get("createOption"), incremental=props.get("incremental"),
                tier=sku.get("tier"), disk_state=props.get("diskState"),
                os_type=props.get("osType"), unique_id=props.get("uniqueId"),
            ),
        ))  # fmt: skip
    return rows


def _size_gib(props: Mapping[str, Any]) -> float | None:
    if props.get("diskSizeGB") is not None:
        return float(props["diskSizeGB"])
    size = props.get("diskSizeBytes")
    return None if size is None else float(size) / 2**30
