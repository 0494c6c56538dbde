"""The warehouse rows the AWS inventory, metric and price normalizers produce, and the small
conversions they share (timestamps, tags, ARNs).

The row schemas and provider-neutral helpers live in ``collectors/rows.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
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
    "METRICS", "PRICES", "PROVIDER", "RESOURCES", "UTC", "Page", "Row", "Scope", "attributes",
    "partition", "resource", "table", "tag_pairs", "timestamp",
]  # fmt: skip

PROVIDER = "aws"
Page = Mapping[str, Any]


@dataclass(frozen=True)
class Scope:
    """Where rows come from: one account and region, read at one moment."""

    account_id: str
    region: str
    collected_at: dt.datetime


def tag_pairs(tags: Iterable[Mapping[str, Any]] | None) -> list[tuple[str, str]]:
    """``[{"Key": k, "Value": v}]`` as sorted ``(key, value)`` pairs, for a MAP column."""
    return sorted((str(t["Key"]), str(t.get("Value", ""))) for t in tags or [])


def partition(region: str) -> str:
    """The ARN partition of a region."""
    if region.startswith("cn-"):
        return "aws-cn"
    return "aws-us-gov" if region.startswith("us-gov-") else "aws"


def resource(scope: Scope, resource_id: str, resource_type: str, **fields: Any) -> Row:
    """A ``resources`` row; columns not given are null."""
    base = {
        "provider": PROVIDER,
        "account_id": scope.account_id,
        "region": scope.region,
        "resource_id": resource_id,
        "resource_type": resource_type,
        "collected_at": scope.collected_at,
    }
    return resource_row(**{**base, **fields})
