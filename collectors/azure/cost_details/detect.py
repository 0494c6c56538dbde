"""Recognizing an Azure cost details file by its columns (no FOCUS machinery is imported here,
so the formats register before the FOCUS collector's and are asked first)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from collectors.azure.cost_details.columns import map_columns
from collectors.azure.cost_details.view import view_from_manifest
from collectors.base import Detection
from collectors.files import is_parquet, read_header

EA, MCA = "azure-ea", "azure-mca"


def kind(path: Path) -> str:
    """csv or parquet."""
    return "parquet" if is_parquet(path) else "csv"


def detect_as(fmt: str, con: duckdb.DuckDBPyConnection, path: Path) -> Detection | None:
    """An EA or MCA cost details file, by its columns; the view by the export's manifest."""
    cols = map_columns(list(read_header(con, path)))
    if cols is None or f"azure-{cols.dialect}" != fmt:
        return None
    view = view_from_manifest(path)
    middle = f"-{view}" if view else ""
    return Detection(fmt, f"{cols.dialect}{middle}-{kind(path)}")
