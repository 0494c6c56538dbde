"""Avro exports (``bq extract --destination_format AVRO``): DuckDB reads Avro only through an
extension it would have to download, so fastavro decodes the file into JSON lines beside it,
and the JSON path loads those (the mapping stays DuckDB SQL). A row's quarantined text is then
the record as JSON, its line the record number.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import fastavro

from collectors.base import CollectorError


def avro_fields(path: Path) -> list[str] | None:
    """The top-level field names of an Avro file's schema, or None when it is not Avro."""
    try:
        with path.open("rb") as handle:
            schema = fastavro.reader(handle).writer_schema
    except (OSError, ValueError, EOFError):
        return None
    if not isinstance(schema, dict):
        return None
    return [str(f["name"]) for f in schema.get("fields", [])]


def _plain(value: Any) -> Any:
    """JSON for what fastavro returns: timestamps and NUMERIC decimals as text."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, (Decimal, dt.date)):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(type(value).__name__)


@contextmanager
def as_json_lines(path: Path) -> Iterator[Path]:
    """The Avro file decoded to a temporary JSON-lines file, removed afterwards."""
    with TemporaryDirectory(prefix="cloudspend-avro-") as tmp:
        out = Path(tmp) / (path.stem + ".json")
        try:
            with path.open("rb") as src, out.open("w", encoding="utf-8") as dst:
                for record in fastavro.reader(src):
                    dst.write(json.dumps(record, default=_plain, separators=(",", ":")))
                    dst.write("\n")
        except (ValueError, EOFError) as exc:
            raise CollectorError(f"{path}: not a readable Avro file: {exc}") from exc
        yield out
