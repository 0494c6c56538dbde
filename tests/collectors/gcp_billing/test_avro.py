"""An Avro extract of the export (as ``bq extract --destination_format AVRO`` writes it: nullable
unions, timestamp-micros, nested records and arrays) loads like the JSON lines."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import fastavro

from collectors.ingest import ingest
from tests.collectors.gcp_billing.helpers import read_lines
from warehouse.db import Warehouse

S = ["null", "string"]
D = ["null", "double"]


def _kv(name: str) -> dict[str, Any]:
    return {"type": "array", "items": {"type": "record", "name": name, "fields": [
        {"name": "key", "type": S}, {"name": "value", "type": S}]}}  # fmt: skip


TS = ["null", {"type": "long", "logicalType": "timestamp-micros"}]


def _record(name: str, fields: dict[str, Any]) -> list[Any]:
    return ["null", {"type": "record", "name": name,
                     "fields": [{"name": k, "type": v} for k, v in fields.items()]}]  # fmt: skip


PROJECT = {"id": S, "name": S, "labels": _kv("project_label")}
USAGE = {"amount": D, "unit": S, "amount_in_pricing_units": D, "pricing_unit": S}
CREDIT = {
    "type": "record",
    "name": "credit",
    "fields": [
        {"name": k, "type": D if k == "amount" else S}
        for k in ("name", "amount", "full_name", "id", "type")
    ],
}
SCHEMA = {
    "type": "record",
    "name": "gcp_billing_export_resource_v1",
    "fields": [
        {"name": "billing_account_id", "type": S},
        {"name": "service", "type": _record("service", {"id": S, "description": S})},
        {"name": "sku", "type": _record("sku", {"id": S, "description": S})},
        {"name": "usage_start_time", "type": TS},
        {"name": "usage_end_time", "type": TS},
        {"name": "project", "type": _record("project", PROJECT)},
        {"name": "labels", "type": _kv("label")},
        {"name": "location", "type": _record("location", {"region": S, "zone": S})},
        {"name": "resource", "type": _record("resource", {"name": S, "global_name": S})},
        {"name": "cost", "type": D},
        {"name": "currency", "type": S},
        {"name": "usage", "type": _record("usage", USAGE)},
        {"name": "credits", "type": {"type": "array", "items": CREDIT}},
        {"name": "invoice", "type": _record("invoice", {"month": S})},
        {"name": "cost_type", "type": S},
    ],
}


def _avro_row(line: str) -> dict[str, Any]:
    row: dict[str, Any] = json.loads(line)
    for key in ("usage_start_time", "usage_end_time"):
        row[key] = dt.datetime.strptime(row[key], "%Y-%m-%d %H:%M:%S UTC").replace(tzinfo=dt.UTC)
    for key in ("service", "sku", "location", "resource", "usage", "invoice", "project"):
        row.setdefault(key, None)
    return row


def test_an_avro_extract_loads_like_the_json_lines(tmp_path: Path, warehouse: Warehouse) -> None:
    lines = read_lines("202609")
    avro = tmp_path / "avro" / "export-000.avro"
    avro.parent.mkdir()
    with avro.open("wb") as handle:
        fastavro.writer(handle, fastavro.parse_schema(SCHEMA), [_avro_row(ln) for ln in lines])
    json_lines = tmp_path / "json" / "export-000.json"
    json_lines.parent.mkdir()
    json_lines.write_text("\n".join(lines) + "\n", encoding="utf-8")
    query = (
        "SELECT ChargeCategory, count(*), sum(BilledCost), sum(EffectiveCost),"
        " min(ChargePeriodStart), count(DISTINCT ResourceId) FROM focus_costs GROUP BY 1 ORDER BY 1"
    )
    [from_avro] = ingest(warehouse, [avro])
    assert from_avro.files == 1
    with warehouse.read() as con:
        want = con.execute(query).fetchall()
    ingest(warehouse, [json_lines])
    with warehouse.read() as con:
        assert con.execute(query).fetchall() == want
    assert from_avro.quarantined_rows == 0
