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


def _ddl(node: Any) -> str:
    """A schema node as a DuckDB type."""
    if node == V:
        return V
    if isinstance(node, list):
        return _ddl(node[0]) + "[]"
    return "STRUCT(" + ", ".join(f"{ident(k)} {_ddl(v)}" for k, v in node.items()) + ")"


def lines_scan(path: Path) -> str:
    """The file's non-blank lines as text (``__raw``) with their data row (``__row``, as
    ``json_scan`` counts) and file line (``__line``) numbers."""
    lines = (
        f"read_csv({sql_str(str(path))}, columns = {{'__raw': 'VARCHAR'}}, header = false,"
        " delim = '\x01', quote = '', escape = '', auto_detect = false,"
        " max_line_size = 16777216)"
    )
    numbered = f"SELECT row_number() OVER () AS __line, __raw FROM {lines}"
    return (
        f"(SELECT row_number() OVER (ORDER BY __line) AS __row, __line, __raw"
        f" FROM ({numbered}) WHERE coalesce(trim(__raw), '') <> '')"
    )


def json_scan(path: Path) -> str:
    """Every non-blank line of a JSON-lines file, read with the export's structure. A line that
    is not a JSON object is still a row, with every field NULL (``__valid`` false), so it is
    quarantined, never skipped."""
    columns = ", ".join(f"{sql_str(k)}: {sql_str(_ddl(v))}" for k, v in EXPORT.items())
    present = " OR ".join(f"{ident(k)} IS NOT NULL" for k in EXPORT)
    return (
        f"(SELECT ({present}) AS __valid, * FROM read_json("
        f"{sql_str(str(path))}, format = 'newline_delimited', columns = {{{columns}}},"
        " ignore_errors = true, maximum_object_size = 16777216))"
    )


def _column(name: str, kind: Any, present: dict[str, str]) -> str:
    """One export column from a Parquet file: text leaves, NULL when the file lacks it. A nested
    column is cast by field name (fields it lacks are NULL, extra ones dropped); one written as
    JSON text (or as a MAP) goes through JSON."""
    if name not in present:
        return f"NULL AS {ident(name)}"
    if kind == V:
        return f"CAST({ident(name)} AS VARCHAR) AS {ident(name)}"
    written = present[name].upper()
    if written.startswith("STRUCT") or written.endswith("]"):
        return f"CAST({ident(name)} AS {_ddl(kind)}) AS {ident(name)}"
    text = ident(name) if written in ("VARCHAR", "JSON") else f"to_json({ident(name)})"
    return f"from_json({text}, {sql_str(_structure(kind))}) AS {ident(name)}"


def parquet_scan(path: Path, present: dict[str, str]) -> str:
    """A Parquet export (BigQuery's nested types) read as the same text-leaved relation."""
    cols = ", ".join(_column(name, kind, present) for name, kind in EXPORT.items())
    return f"(SELECT true AS __valid, {cols} FROM read_parquet({sql_str(str(path))}) AS p)"


def source_scan(path: Path, present: dict[str, str]) -> str:
    """The scan of ``path`` as the export's text-leaved relation."""
    return parquet_scan(path, present) if is_parquet(path) else json_scan(path)
