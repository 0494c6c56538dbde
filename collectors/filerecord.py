"""The ``ingest_files`` row each loaded file leaves behind: what it held and what became of it."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from collectors.base import LoadContext
from warehouse.load import SourceTotals
from warehouse.sql import one


def record_file(
    ctx: LoadContext, totals: SourceTotals, ignored: list[str], digest: str | None = None
) -> None:
    """Record the file: checksum (``digest``, else computed now), size, variant, source rows,
    loaded and quarantined rows."""
    counts = one(
        ctx.con,
        "SELECT (SELECT count(*) FROM focus_costs WHERE x_IngestId = $1 AND x_SourceFile = $2),"
        " (SELECT count(*) FROM quarantine WHERE ingest_id = $1 AND source_file = $2)",
        [ctx.ingest_id, str(ctx.path)],
    )
    ctx.con.execute(
        "INSERT INTO ingest_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            ctx.ingest_id,
            str(ctx.path),
            digest or sha256(ctx.path),
            ctx.path.stat().st_size,
            ctx.detection.variant,
            totals.rows,
            counts[0],
            counts[1],
            ignored,
        ],
    )


@contextlib.contextmanager
def hashing(path: Path) -> Iterator[Future[str]]:
    """The file's SHA-256, computed in a thread while the caller loads it (hashlib releases
    the GIL, so a multi-GB file costs no extra wall time)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sha256") as pool:
        yield pool.submit(sha256, path)


def sha256(path: Path) -> str:
    """The file's SHA-256, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
