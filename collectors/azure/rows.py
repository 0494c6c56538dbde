"""The warehouse rows the Azure inventory, metric and price normalizers produce, and the small
conversions they share (timestamps, tags, ARM ids).

Rows are plain dicts keyed by the warehouse column names; :func:`table` turns them into an Arrow
table with exactly the warehouse columns and types (``resources``, ``metrics``, ``prices``).
ARM ids are case-insensitive: every id stored (``resource_id``, ``attached_to``,
``scaling_group``) is the whole ARM id lower-cased (:func:`arm_id`), as billing joins use it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

PROVIDER = "azure"
UTC = dt.UTC
GLOBAL = "global"  # the region of subscription rows (ARM's location of global resources)

Row = dict[str, Any]
Json = Mapping[str, Any]

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


def timestamp(value: object) -> dt.datetime | None:
    """An ARM timestamp (datetime, or ISO 8601 text with up to 7 fractional digits) in UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        moment = value
    else:
        text = str(value).replace("Z", "+00:00")
        if "." in text:  # Python reads at most 6 fractional digits
            head, tail = text.split(".", 1)
            digits = "".join(c for c in tail if c.isdigit())
            text = f"{head}.{digits[:6]:0<6}{tail[len(digits) :]}"
        moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def tag_pairs(tags: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """ARM ``tags`` as sorted ``(key, value)`` pairs for a MAP column (keys unchanged)."""
    return sorted((str(k), "" if v is None else str(v)) for k, v in (tags or {}).items())


def attributes(**values: object) -> list[tuple[str, str]]:
    """Non-empty keyword values as sorted ``(key, text)`` pairs, for the ``attributes`` map."""
    return sorted((k, str(v)) for k, v in values.items() if v is not None and v != "")


def resource(scope: Scope, item: Json, resource_type: str, **fields: Any) -> Row:
    """A ``resources`` row for one ARM resource; columns not given are null."""
    row: Row = dict.fromkeys(RESOURCES.names)
    row.update(
        provider=PROVIDER,
        account_id=scope.subscription_id,
        region=str(item.get("location") or GLOBAL).lower(),
        resource_id=arm_id(item["id"]),
        resource_type=resource_type,
        collected_at=scope.collected_at,
        tags=tag_pairs(item.get("tags")),
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
