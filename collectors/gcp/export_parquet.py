"""Record batches into a month folder of Parquet parts, swapped in whole.

The parts are written to a hidden temporary folder beside the month's, then put in its place
(``swap_folder``), so readers see the previous files or the new ones, never a mix, and a failed
fetch leaves the previous files. Nested columns (structs, lists) stay nested in Parquet.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from collectors.gcp.export_common import swap_folder


def write_month(batches: Iterable[Any], final: Path, part_rows: int) -> tuple[int, int]:
    """Write ``batches`` as ``final/part-NNN.parquet``; return the rows and parts written."""
    built = final.with_name(f".{final.name}.partial")
    shutil.rmtree(built, ignore_errors=True)
    built.mkdir(parents=True)
    try:
        written = _write_parts(batches, built, part_rows)
    except BaseException:
        shutil.rmtree(built, ignore_errors=True)
        raise
    swap_folder(built, final)
    return written


def _write_parts(batches: Iterable[Any], folder: Path, part_rows: int) -> tuple[int, int]:
    """Rows and parts written: a new part whenever the current one holds ``part_rows``."""
    writer: Any = None
    rows = parts = in_part = 0
    try:
        for batch in batches:
            if writer is None or in_part >= part_rows:
                if writer is not None:
                    writer.close()
                writer = pq.ParquetWriter(folder / f"part-{parts:03d}.parquet", batch.schema)
                parts, in_part = parts + 1, 0
            writer.write_batch(batch)
            in_part += batch.num_rows
            rows += batch.num_rows
    finally:
        if writer is not None:
            writer.close()
    return rows, parts
