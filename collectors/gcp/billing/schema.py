"""The detailed usage cost export's columns, and one scan per file kind that reads them all with
text leaves: JSON lines (as ``bq extract`` writes them, NULL fields left out), Parquet (nested
STRUCT / REPEATED columns kept) with whatever subset of columns it has.

Every kind is read into the same relation, so the stage (``stage.py``) has one code path: the
export's top-level columns with every scalar as VARCHAR (the stage casts and checks them), plus
``__valid`` (false for a line that is not a JSON object). A quarantined row's source text is
read again only then (``lines_scan``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from collectors.files import is_parquet, sql_str
from collectors.focus.normalize import ident

V = "VARCHAR"
LABELS: list[Any] = [{"key": V, "value": V}]

# The export schema (Cloud Billing "detailed usage cost data"), scalars as text.
EXPORT: dict[str, Any] = {
    "billing_account_id": V,
    "service": {"id": V, "description": V},
    "sku": {"id": V, "description": V},
    "usage_start_time": V,
    "usage_end_time": V,
    "project": {
        "id": V,
        "number": V,
        "name": V,
        "labels": LABELS,
        "ancestry_numbers": V,
    },
    "labels": LABELS,
    "system_labels": LABELS,
    "location": {"location": V, "country": V, "region": V, "zone": V},
    "tags": [{"key": V, "value": V, "inherited": V, "namespace": V}],
    "resource": {"name": V, "global_name": V},
    "price": {"effective_price": V, "tier_start_amount": V, "unit": V, "pricing_unit_quantity": V},
    "transaction_type": V,
    "seller_name": V,
    "export_time": V,
    "cost": V,
    "currency": V,
    "currency_conversion_rate": V,
    "usage": {"amount": V, "unit": V, "amount_in_pricing_units": V, "pricing_unit": V},
    "credits": [{"name": V, "amount": V, "full_name": V, "id": V, "type": V}],
    "invoice": {"month": V},
    "cost_type": V,
    "adjustment_info": {"id": V, "description": V, "mode": V, "type": V},
    "cost_at_list": V,
}

# A file is a billing export when it has all of these (the standard export has them too).
SIGNATURE = ("billing_account_id", "service", "sku", "usage_start_time", "cost", "currency")


def _structure(node: Any) -> str:
    return json.dumps(node, separators=(",", ":"))


def lines_scan(path: Path) -> str:
    """The file's lines as text, one row each (``__raw``), in file order: one column, no
    quoting, so any line is a row, JSON or not."""
    return (
        f"read_csv({sql_str(str(path))}, columns = {{'__raw': 'VARCHAR'}}, header = false,"
        " delim = '\x01', quote = '', escape = '', auto_detect = false,"
        " max_line_size = 16777216)"
    )


def json_scan(path: Path) -> str:
    """Every line of a JSON-lines file, parsed with the export's structure. A line that is not
    a JSON object is still a row (``__valid`` false), so it is quarantined, never skipped."""
    valid = "(CASE WHEN json_valid(__raw) THEN json_type(__raw) = 'OBJECT' ELSE false END)"
    fields = ", ".join(f"j.{ident(name)}" for name in EXPORT)
    return (
        f"(SELECT __valid, {fields} FROM (SELECT {valid} AS __valid,"
        f" from_json(CASE WHEN {valid} THEN __raw END, {sql_str(_structure(EXPORT))}) AS j"
        f" FROM {lines_scan(path)}))"
    )


def _column(name: str, kind: Any, present: dict[str, str]) -> str:
    """One export column from a Parquet file: text leaves, NULL when the file lacks it."""
    if name not in present:
        return f"NULL AS {ident(name)}"
    if kind == V:
        return f"CAST({ident(name)} AS VARCHAR) AS {ident(name)}"
    return f"from_json(to_json({ident(name)}), {sql_str(_structure(kind))}) AS {ident(name)}"


def parquet_scan(path: Path, present: dict[str, str]) -> str:
    """A Parquet export (BigQuery's nested types) read as the same text-leaved relation."""
    cols = ", ".join(_column(name, kind, present) for name, kind in EXPORT.items())
    return f"(SELECT true AS __valid, {cols} FROM read_parquet({sql_str(str(path))}) AS p)"


def source_scan(path: Path, present: dict[str, str]) -> str:
    """The scan of ``path`` as the export's text-leaved relation."""
    return parquet_scan(path, present) if is_parquet(path) else json_scan(path)
