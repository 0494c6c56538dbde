"""Loading one Azure cost details file (EA or MCA; actual or amortized; CSV, CSV.gz, Parquet).

One scan stages the file (``stage.py``); its placed rows are kept in ``azure_cost_rows``; rows
without a billing account or period, and CSV lines DuckDB cannot split, are quarantined here.
Once every file of the ingest is kept, ``finish`` rebuilds the FOCUS rows of each partition the
files touched from both views (``partitions.py``), once; the caller's ``finish_ingest``
reconciles.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from collectors.azure.cost_details.columns import CostColumns, map_columns
from collectors.azure.cost_details.detect import kind
from collectors.azure.cost_details.merge import TOUCHED
from collectors.azure.cost_details.partitions import ROW, keep_rows, quarantine_unplaced, rebuild
from collectors.azure.cost_details.stage import stage_sql
from collectors.azure.cost_details.view import view_from_manifest, view_from_rows
from collectors.base import CollectorError, LoadContext
from collectors.filerecord import hashing, record_file
from collectors.files import csv_header, is_parquet, read_header, scan_sql
from collectors.rejects import count_rejects, drop_rejects, line_expr, quarantine_rejects
from warehouse.load import SourceTotals


def load(ctx: LoadContext) -> SourceTotals:
    """Load one file into the open transaction; return the change in the source's totals."""
    stage, rejects = f"_azure_stage_{ctx.ingest_id}", f"_azure_rejects_{ctx.ingest_id}"
    scan, cols, raw_types = _scan(ctx, rejects)
    with hashing(ctx.path) as digest:
        try:
            ctx.con.execute("SET preserve_insertion_order = true")
            ctx.con.execute(stage_sql(stage, scan, cols, raw_types))
            totals = _load_staged(ctx, stage, rejects, cols)
        except duckdb.Error as exc:
            first = str(exc).strip().splitlines()[0]
            raise CollectorError(f"{ctx.path}: cannot read the file: {first}") from exc
        finally:
            ctx.con.execute(f"DROP TABLE IF EXISTS {stage}")
            drop_rejects(ctx.con, rejects)
        record_file(ctx, totals, cols.ignored, digest.result())
    return totals


def _load_staged(ctx: LoadContext, stage: str, rejects: str, cols: CostColumns) -> SourceTotals:
    view = view_from_manifest(ctx.path) or view_from_rows(ctx.con, stage)
    variant = f"{cols.dialect}-{view}-{kind(ctx.path)}"
    line = "NULL" if is_parquet(ctx.path) else line_expr(ctx.con, rejects, ROW.format(stage=stage))
    keep_rows(ctx, stage, view, cols.dialect, variant, line)
    totals = quarantine_unplaced(ctx, stage, line)
    rejected = count_rejects(ctx.con, rejects)
    quarantine_rejects(ctx.con, ctx.ingest_id, str(ctx.path), rejects)
    totals.rows += rejected
    totals.unparsed_rows += rejected
    return totals


def _scan(ctx: LoadContext, rejects: str) -> tuple[str, CostColumns, dict[str, tuple[str, str]]]:
    """The file's scan, its column map and, per scan column, its type and the file's header.

    A CSV is scanned under positional names with its header as written (DuckDB would rename
    headers that differ only in case, and a BOM must not stick to the first name).
    """
    header = read_header(ctx.con, ctx.path)
    if is_parquet(ctx.path):
        cols = _columns(ctx.path, list(header))
        return scan_sql(ctx.path), cols, {c: (t, c) for c, t in header.items()}
    written = [h.lstrip("\ufeff") for h in csv_header(ctx.path)]
    names = [f"c{i}" for i in range(len(written))]
    cols = _columns(ctx.path, written).renamed(dict(zip(written, names, strict=True)))
    raw_types = {n: ("VARCHAR", h) for n, h in zip(names, written, strict=True)}
    return scan_sql(ctx.path, rejects, names), cols, raw_types


def _columns(path: Path, headers: list[str]) -> CostColumns:
    cols = map_columns(headers)
    if cols is None:
        raise CollectorError(f"{path}: not an Azure cost details file")
    missing = cols.missing()
    if missing:
        raise CollectorError(
            f"{path}: Azure cost details file lacks the column(s) {', '.join(missing)} (row 1,"
            " the header); without them its rows cannot be placed in a billing period or costed"
        )
    return cols


def finish(con: duckdb.DuckDBPyConnection, ingest_id: int) -> SourceTotals:
    """Rebuild the touched partitions from both views, once per ingest."""
    try:
        return rebuild(con, ingest_id)
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0]
        raise CollectorError(f"cannot combine the Azure cost views: {first}") from exc
    finally:
        con.execute(f"DROP TABLE IF EXISTS {TOUCHED}")
