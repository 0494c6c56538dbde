"""The detailed billing export's BigQuery schema (as ``tables.get`` returns it) and the REST
wire format of its rows (``{"f": [{"v": …}]}``, TIMESTAMPs as int64 microseconds)."""

from __future__ import annotations

import datetime as dt
from typing import Any

Field = dict[str, Any]


def field(name: str, kind: str = "STRING", mode: str = "NULLABLE", *subs: Field) -> Field:
    """One schema field; RECORDs list their sub-fields."""
    out: Field = {"name": name, "type": kind, "mode": mode}
    if subs:
        out["fields"] = list(subs)
    return out


def record(name: str, *subs: Field, mode: str = "NULLABLE") -> Field:
    return field(name, "RECORD", mode, *subs)


def strings(*names: str) -> list[Field]:
    return [field(n) for n in names]


KEY_VALUE = strings("key", "value")
SCHEMA: list[Field] = [
    field("billing_account_id"),
    record("service", *strings("id", "description")),
    record("sku", *strings("id", "description")),
    field("usage_start_time", "TIMESTAMP"),
    field("usage_end_time", "TIMESTAMP"),
    record(
        "project",
        *strings("id", "number", "name"),
        record("labels", *KEY_VALUE, mode="REPEATED"),
        field("ancestry_numbers"),
        record("ancestors", *strings("resource_name", "display_name"), mode="REPEATED"),
    ),
    record("labels", *KEY_VALUE, mode="REPEATED"),
    record("system_labels", *KEY_VALUE, mode="REPEATED"),
    record("location", *strings("location", "country", "region", "zone")),
    record("tags", *KEY_VALUE, field("inherited", "BOOLEAN"), field("namespace"), mode="REPEATED"),
    record("resource", *strings("name", "global_name")),
    record(
        "price",
        field("effective_price", "NUMERIC"),
        field("tier_start_amount", "NUMERIC"),
        field("unit"),
        field("pricing_unit_quantity", "NUMERIC"),
    ),
    field("transaction_type"),
    field("seller_name"),
    field("export_time", "TIMESTAMP"),
    field("cost", "FLOAT"),
    field("currency"),
    field("currency_conversion_rate", "FLOAT"),
    record(
        "usage",
        field("amount", "FLOAT"),
        field("unit"),
        field("amount_in_pricing_units", "FLOAT"),
        field("pricing_unit"),
    ),
    record(
        "credits",
        field("name"),
        field("amount", "FLOAT"),
        *strings("full_name", "id", "type"),
        mode="REPEATED",
    ),
    record("invoice", *strings("month", "publisher_type")),
    field("cost_type"),
    record("adjustment_info", *strings("id", "description", "mode", "type")),
    field("cost_at_list", "FLOAT"),
]


def micros(text: str) -> int:
    """``2026-08-01 00:00:00 UTC`` (bq extract's TIMESTAMP text) -> microseconds since 1970."""
    when = dt.datetime.fromisoformat(text.removesuffix(" UTC")).replace(tzinfo=dt.UTC)
    return int(when.timestamp()) * 1_000_000


def encode_row(row: dict[str, Any], fields: list[Field] = SCHEMA) -> dict[str, Any]:
    """A row as ``jobs.getQueryResults`` returns it."""
    return {"f": [{"v": _encode(row.get(f["name"]), f)} for f in fields]}


def _encode(value: Any, spec: Field) -> Any:
    if spec["mode"] == "REPEATED":
        single = {**spec, "mode": "NULLABLE"}
        return [{"v": _encode(item, single)} for item in value or []]
    if value is None:
        return None
    kind = spec["type"]
    if kind == "RECORD":
        return encode_row(value, spec["fields"])
    if kind == "TIMESTAMP":
        return str(micros(value))
    if kind == "BOOLEAN":
        return "true" if value else "false"
    return value if kind == "STRING" else repr(value)
