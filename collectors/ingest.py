"""`cloudspend ingest`: detect the format of every file given, load them all in one write, or
nothing at all when one of them cannot be loaded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from collectors.base import CollectorError, Detection, FileFormat, LoadContext, detect
from collectors.files import list_data_files
from collectors.formats import load_builtin_formats
from warehouse.db import Warehouse
from warehouse.load import IngestSummary, SourceTotals, finish_ingest, new_ingest_id

Progress = Callable[[str, int, int], None]  # (message, files done, files in all)


@dataclass(frozen=True)
class Unit:
    """Files loaded together as one ingest: one path argument, one format."""

    source: Path
    fmt: FileFormat
    files: list[tuple[Path, Detection]]


def plan(con: duckdb.DuckDBPyConnection, paths: list[Path]) -> list[Unit]:
    """Detect the format of every data file under ``paths``; fail on any file nobody reads."""
    load_builtin_formats()
    units: list[Unit] = []
    for source in paths:
        by_format: dict[str, Unit] = {}
        files = list_data_files(source)
        if not files:
            raise CollectorError(f"{source}: no billing files here (.csv, .csv.gz, .parquet)")
        for path in files:
            found = detect(con, path)
            if found is None:
                raise CollectorError(
                    f"{path}: not a billing format cloudspend knows ({_formats()})"
                )
            fmt, detection = found
            unit = by_format.setdefault(fmt.name, Unit(source, fmt, []))
            unit.files.append((path.resolve(), detection))
        units.extend(by_format.values())
    return units


def ingest(
    warehouse: Warehouse, paths: list[Path], progress: Progress | None = None
) -> list[IngestSummary]:
    """Load every path given; all of it lands, or none of it does."""
    with warehouse.write() as con:
        units = plan(con, paths)
        total = sum(len(u.files) for u in units)
        done = 0

        def tell(message: str) -> None:
            if progress:
                progress(message, done, total)

        summaries = []
        con.execute("BEGIN TRANSACTION")
        for unit in units:
            summaries.append(_load_unit(con, unit, tell))
            done += len(unit.files)
        con.execute("COMMIT")
        if progress:
            progress("done", total, total)
        return summaries


def _load_unit(
    con: duckdb.DuckDBPyConnection, unit: Unit, tell: Callable[[str], None]
) -> IngestSummary:
    started = dt.datetime.now(dt.UTC)
    ingest_id = new_ingest_id(con)
    totals = SourceTotals()
    for path, detection in unit.files:
        tell(f"loading {path.name} ({detection.variant})")
        totals.add(unit.fmt.load(LoadContext(con, ingest_id, path, detection)))
    variants = sorted({d.variant for _, d in unit.files})
    return finish_ingest(
        con,
        ingest_id,
        str(unit.source.resolve()),
        ",".join(variants),
        len(unit.files),
        totals,
        started,
    )


def _formats() -> str:
    from collectors.base import FORMATS

    return "; ".join(f"{f.name}: {f.description}" for f in FORMATS.values())
