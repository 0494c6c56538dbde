"""The warehouse rows every provider's inventory, metric and price normalizers produce: Arrow
schemas of ``resources``, ``metrics`` and ``prices``, and the small helpers they share.

Rows are plain dicts keyed by the warehouse column names; :func:`table` turns them into an Arrow
table with exactly the warehouse columns and types.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa

UTC = dt.UTC

Row = dict[str, Any]

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


def timestamp(value: object) -> dt.datetime | None:
    """An SDK timestamp (datetime, or ISO 8601 text with up to 7 fractional digits, as recorded
    files and ARM hold it) in UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        moment = value
    else:
        text = str(value).replace("Z", "+00:00")
        if "." in text:  # Python reads at most 6 fractional digits
            head, tail = text.split(".", 1)
            digits = tail[: len(tail) - len(tail.lstrip("0123456789"))]
            text = f"{head}.{digits[:6]:0<6}{tail[len(digits) :]}"
        moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def attributes(**values: object) -> list[tuple[str, str]]:
    """Non-empty keyword values as sorted ``(key, text)`` pairs, for the ``attributes`` map."""
    return sorted((k, str(v)) for k, v in values.items() if v is not None and v != "")


def resource_row(**columns: Any) -> Row:
    """A ``resources`` row (columns not given are null; tags and attributes empty)."""
    row: Row = dict.fromkeys(RESOURCES.names)
    row.update(tags=[], attributes=[])
    unknown = set(columns) - set(row)
    if unknown:
        raise KeyError(f"not resources columns: {sorted(unknown)}")
    row.update(columns)
    return row


def table(rows: Iterable[Row], schema: pa.Schema) -> pa.Table:
    """Rows as an Arrow table with exactly the warehouse columns and types."""
    return pa.Table.from_pylist(list(rows), schema=schema)


def read_recorded_json(path: Path) -> Any:
    """A recorded SDK response (JSON, or gzip JSON by its ``.gz`` name)."""
    if path.name.endswith(".gz"):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return json.load(handle)
    return json.loads(path.read_text(encoding="utf-8"))
