"""The warehouse rows the AWS inventory, metric and price normalizers produce, and the small
conversions they share (timestamps, tags, ARNs).

Rows are plain dicts keyed by the warehouse column names; :func:`table` turns them into an Arrow
table with exactly the warehouse columns and types (``resources``, ``metrics``, ``prices``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

PROVIDER = "aws"
UTC = dt.UTC

Row = dict[str, Any]
Page = Mapping[str, Any]

_TS = pa.timestamp("us", tz="UTC")
_MAP = pa.map_(pa.string(), pa.string())

RESOURCES = pa.schema(
    [
        ("provider", pa.string()),
        ("account_id", pa.string()),
        ("region", pa.string()),
        ("resource_id", pa.string()),
        ("resource_type", pa.string()),
        ("sku", pa.string()),
        ("vcpu", pa.float64()),
        ("memory_gib", pa.float64()),
        ("state", pa.string()),
        ("attached_to", pa.string()),
        ("scaling_group", pa.string()),
        ("created_at", _TS),
        ("last_attached_at", _TS),
        ("tags", _MAP),
        ("collected_at", _TS),
        ("size_gib", pa.float64()),
        ("attributes", _MAP),
    ]
)
METRICS = pa.schema(
    [
        ("provider", pa.string()),
        ("account_id", pa.string()),
        ("resource_id", pa.string()),
        ("metric", pa.string()),
        ("hour", _TS),
        ("avg_value", pa.float64()),
        ("max_value", pa.float64()),
        ("samples", pa.int32()),
        ("collected_at", _TS),
    ]
)
PRICES = pa.schema(
    [
        ("provider", pa.string()),
        ("region", pa.string()),
        ("sku", pa.string()),
        ("pricing_model", pa.string()),
        ("term", pa.string()),
        ("operating_system", pa.string()),
        ("unit", pa.string()),
        ("unit_price", pa.decimal128(38, 12)),
        ("currency", pa.string()),
        ("effective_from", _TS),
        ("collected_at", _TS),
        ("attributes", _MAP),
    ]
)


@dataclass(frozen=True)
class Scope:
    """Where rows come from: one account and region, read at one moment."""

    account_id: str
    region: str
    collected_at: dt.datetime


def timestamp(value: object) -> dt.datetime | None:
    """An SDK timestamp (datetime, or ISO 8601 text as recorded files hold it) in UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        moment = value
    else:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def tag_pairs(tags: Iterable[Mapping[str, Any]] | None) -> list[tuple[str, str]]:
    """``[{"Key": k, "Value": v}]`` as sorted ``(key, value)`` pairs, for a MAP column."""
    return sorted((str(t["Key"]), str(t.get("Value", ""))) for t in tags or [])


def attributes(**values: object) -> list[tuple[str, str]]:
    """Non-empty keyword values as sorted ``(key, text)`` pairs, for the ``attributes`` map."""
    return sorted((k, str(v)) for k, v in values.items() if v is not None and v != "")


def partition(region: str) -> str:
    """The ARN partition of a region."""
    if region.startswith("cn-"):
        return "aws-cn"
    return "aws-us-gov" if region.startswith("us-gov-") else "aws"


def resource(scope: Scope, resource_id: str, resource_type: str, **fields: Any) -> Row:
    """A ``resources`` row; columns not given are null."""
    row: Row = dict.fromkeys(RESOURCES.names)
    row.update(
        provider=PROVIDER,
        account_id=scope.account_id,
        region=scope.region,
        resource_id=resource_id,
        resource_type=resource_type,
        collected_at=scope.collected_at,
        tags=[],
        attributes=[],
    )
    unknown = set(fields) - set(row)
    if unknown:
        raise KeyError(f"not resources columns: {sorted(unknown)}")
    row.update(fields)
    return row


def table(rows: Iterable[Row], schema: pa.Schema) -> pa.Table:
    """Rows as an Arrow table with exactly the warehouse columns and types."""
    return pa.Table.from_pylist(list(rows), schema=schema)
