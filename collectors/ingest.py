"""`cloudspend ingest`: detect the format of every file given, load them all in one write, or
nothing at all when one of them cannot be loaded."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from collectors.base import (
    FORMATS,
    SELECTORS,
    CollectorError,
    Detection,
    FileFormat,
    LoadContext,
    detect,
)
from collectors.files import is_json, list_data_files
from collectors.formats import load_builtin_formats
from warehouse.db import Warehouse
from warehouse.load import IngestSummary, SourceTotals, finish_ingest, new_ingest_id

Progress = Callable[[str, int, int], None]  # (message, files done, files in all)
Skipped = Callable[[Path, str], None]  # (file left out, why)


@dataclass(frozen=True)
class Unit:
    """Files loaded together as one ingest: one path argument, one format."""

    source: Path
    fmt: FileFormat
    files: list[tuple[Path, Detection]]


def plan(
    con: duckdb.DuckDBPyConnection, paths: list[Path], on_skip: Skipped | None = None
) -> list[Unit]:
    """Detect the format of every data file under ``paths``; fail on any file nobody reads."""
    load_builtin_formats()
    units: list[Unit] = []
    for source in paths:
        by_format: dict[str, Unit] = {}
        files = _select(source, list_data_files(source), on_skip)
        if not files:
            raise CollectorError(
                f"{source}: no billing files here (.csv, .parquet, .json, optionally .gz)"
            )
        for path in files:
            found = detect(con, path)
            if found is None and is_json(path):
                if on_skip:
                    on_skip(path, "a JSON file without billing rows (a manifest or totals?)")
                continue
            if found is None:
                raise CollectorError(
                    f"{path}: not a billing format cloudspend knows ({_formats()})"
                )
            fmt, detection = found
            unit = by_format.setdefault(fmt.name, Unit(source, fmt, []))
            unit.files.append((path.resolve(), detection))
        units.extend(sorted(by_format.values(), key=lambda u: u.fmt.preference))
    return units


def _select(source: Path, files: list[Path], on_skip: Skipped | None) -> list[Path]:
    """Apply the collectors' folder rules (export manifests) to the files found."""
    for selector in SELECTORS:
        selection = selector(source, files)
        files = selection.files
        for path, reason in selection.skipped:
            if on_skip:
                on_skip(path, reason)
    return files


def ingest(
    warehouse: Warehouse,
    paths: list[Path],
    progress: Progress | None = None,
    on_skip: Skipped | None = None,
) -> list[IngestSummary]:
    """Load every path given; all of it lands, or none of it does. Files an export's manifest
    leaves out are reported to ``on_skip``."""
    with warehouse.write() as con:
        units = plan(con, paths, on_skip)
        total = sum(len(u.files) for u in units)
        done = 0

        def tell(message: str) -> None:
            if progress:
                progress(message, done, total)

        summaries = []
        con.execute("BEGIN TRANSACTION")
        with _query_progress(con, tell if progress else None) as report:
            for unit in units:
                summaries.append(_load_unit(con, unit, report))
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
    if unit.fmt.finish is not None:
        tell(f"combining {len(unit.files)} file(s)")
        totals.add(unit.fmt.finish(con, ingest_id))
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


@contextlib.contextmanager
def _query_progress(
    con: duckdb.DuckDBPyConnection, tell: Callable[[str], None] | None
) -> Iterator[Callable[[str], None]]:
    """While loading, report how far DuckDB is through the running scan, every half second.

    Yields the function the loaders tell their step to; the watcher appends the percentage.
    """
    if tell is None:
        yield lambda message: None
        return
    con.execute("SET enable_progress_bar = true; SET enable_progress_bar_print = false")
    stop = threading.Event()
    current = {"message": ""}

    def watch() -> None:
        while not stop.wait(0.5):
            percent = con.query_progress()
            if percent >= 0:
                tell(f"{current['message']} {percent:.0f}%")

    def remember(message: str) -> None:
        current["message"] = message
        tell(message)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield remember
    finally:
        stop.set()
        watcher.join()


def _formats() -> str:
    return "; ".join(f"{f.name}: {f.description}" for f in FORMATS.values())
