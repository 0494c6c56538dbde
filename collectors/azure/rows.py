"""The warehouse rows the Azure inventory, metric and price normalizers produce, and the small
conversions they share (timestamps, tags, ARM ids).

The row schemas and provider-neutral helpers live in ``collectors/rows.py``.
ARM ids are case-insensitive: every id stored (``resource_id``, ``attached_to``,
``scaling_group``) is the whole ARM id lower-cased (:func:`arm_id`), as billing joins use it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from collectors.rows import (
    METRICS,
    PRICES,
    RESOURCES,
    UTC,
    Row,
    attributes,
    resource_row,
    table,
    timestamp,
)

__all__ = [
    "GLOBAL", "METRICS", "PRICES", "PROVIDER", "RESOURCES", "UTC", "Json", "Row", "Scope",
    "arm_id", "attributes", "group_of", "parent_id", "resource", "table", "tag_pairs",
    "timestamp",
]  # fmt: skip

PROVIDER = "azure"
GLOBAL = "global"  # the region of subscription rows (ARM's location of global resources)
Json = Mapping[str, Any]


@dataclass(frozen=True)
class Scope:
    """Where rows come from: one subscription, read at one moment."""

    subscription_id: str
    collected_at: dt.datetime


def arm_id(value: object) -> str | None:
    """An ARM id as stored: the whole id lower-cased (ARM ids are case-insensitive)."""
    return str(value).lower() if value else None


def parent_id(resource_id: str, levels: int = 1) -> str:
    """The id of the resource ``levels`` child segments up (an IP configuration's NIC)."""
    parts = resource_id.split("/")
    return "/".join(parts[: len(parts) - 2 * levels])


def group_of(resource_id: str) -> str | None:
    """The lower-cased id of the resource group an ARM id lies in."""
    parts = resource_id.lower().split("/")
    if "resourcegroups" not in parts:
        return None
    return "/".join(parts[: parts.index("resourcegroups") + 2])


def tag_pairs(tags: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """ARM ``tags`` as sorted ``(key, value)`` pairs for a MAP column (keys unchanged)."""
    return sorted((str(k), "" if v is None else str(v)) for k, v in (tags or {}).items())


def resource(scope: Scope, item: Json, resource_type: str, **fields: Any) -> Row:
    """A ``resources`` row for one ARM resource; columns not given are null."""
    base = {
        "provider": PROVIDER,
        "account_id": scope.subscription_id,
        "region": str(item.get("location") or GLOBAL).lower(),
        "resource_id": arm_id(item["id"]),
        "resource_type": resource_type,
        "collected_at": scope.collected_at,
        "tags": tag_pairs(item.get("tags")),
    }
    return resource_row(**{**base, **fields})
