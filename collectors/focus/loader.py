"""Loading one native FOCUS file (CSV, CSV.gz or Parquet; FOCUS 1.0, 1.1 or 1.2) in DuckDB SQL.

Three scans of the file, all set-based: one counts the source's own rows and totals (and keeps
malformed CSV lines), one inserts the good rows into ``focus_costs``, one puts every other row
into ``quarantine`` with its reason, row and line.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb

from collectors.base import CollectorError, Detection, LoadContext
from collectors.filerecord import hashing, record_file
from collectors.files import is_parquet, read_header, scan_sql
from collectors.focus import normalize
from collectors.focus.columns import ColumnMap, is_focus, map_columns
from collectors.rejects import count_rejects, drop_rejects, line_expr, quarantine_rejects
from warehouse.focus_columns import DECIMAL, FOCUS_COLUMNS
from warehouse.load import SourceTotals
from warehouse.sql import one

REQUIRED = tuple(c.name for c in FOCUS_COLUMNS if c.required)


def detect(con: duckdb.DuckDBPyConnection, path: Path) -> Detection | None:
    """A FOCUS file of some version, recognized by its columns."""
    columns = list(read_header(con, path))
    if not is_focus(columns):
        return None
    return Detection("focus", f"focus-{map_columns(columns).version}")


def load(ctx: LoadContext) -> SourceTotals:
    """Load one FOCUS file into the open transaction; return the source's own totals."""
    header = read_header(ctx.con, ctx.path)
    cmap = map_columns(list(header))
    _require_columns(ctx.path, cmap, list(header))
    rejects = f"_rejects_{ctx.ingest_id}"
    with hashing(ctx.path) as digest:
        totals = _load_checked(ctx, cmap, header, rejects)
        record_file(ctx, totals, list(cmap.ignored), digest.result())
    return totals


def _load_checked(
    ctx: LoadContext, cmap: ColumnMap, header: dict[str, str], rejects: str
) -> SourceTotals:
    try:
        totals = _source_totals(ctx, cmap, list(header), rejects)
        loaded = _insert_rows(ctx, cmap, header)
        if loaded + count_rejects(ctx.con, rejects) < totals.rows:
            _quarantine_rows(ctx, cmap, header, rejects)
        quarantine_rejects(ctx.con, ctx.ingest_id, str(ctx.path), rejects)
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0]
        raise CollectorError(f"{ctx.path}: cannot read the file: {first}") from exc
    finally:
        drop_rejects(ctx.con, rejects)
    return totals


def _require_columns(path: Path, cmap: ColumnMap, columns: list[str]) -> None:
    missing = cmap.missing(REQUIRED)
    if not missing:
        return
    hint = ""
    if len(columns) == 1 and any(sep in columns[0] for sep in ";\t|"):
        hint = f" The header reads as one column ({columns[0][:60]!r}...): wrong delimiter?"
    raise CollectorError(
        f"{path}: FOCUS {cmap.version} file lacks the mandatory column(s) "
        f"{', '.join(missing)} (row 1, the header).{hint}"
    )


def _source_totals(
    ctx: LoadContext, cmap: ColumnMap, columns: list[str], rejects: str
) -> SourceTotals:
    scan = scan_sql(ctx.path, rejects=None if is_parquet(ctx.path) else rejects)
    billed, effective = (
        normalize.ident(cmap.source_of[c]) for c in ("BilledCost", "EffectiveCost")
    )
    row = one(
        ctx.con,
        f"""
        SELECT count(*), coalesce(sum(TRY_CAST({billed} AS {DECIMAL})), 0),
               coalesce(sum(TRY_CAST({effective} AS {DECIMAL})), 0),
               count({normalize.whole_row(columns)}),
               count(*) FILTER (WHERE
                 ({billed} IS NOT NULL AND TRY_CAST({billed} AS {DECIMAL}) IS NULL) OR
                 ({effective} IS NOT NULL AND TRY_CAST({effective} AS {DECIMAL}) IS NULL))
        FROM {scan}
        """,
    )
    rejected = count_rejects(ctx.con, rejects)
    return SourceTotals(
        rows=int(row[3]) + rejected,
        billed=Decimal(row[1]),
        effective=Decimal(row[2]),
        unparsed_rows=int(row[4]) + rejected,
    )


def _insert_rows(ctx: LoadContext, cmap: ColumnMap, header: dict[str, str]) -> int:
    """Insert the rows that pass every rule; return how many."""
    mapped = normalize.mapped_rows(scan_sql(ctx.path), cmap, header)
    select = normalize.focus_select(ctx.ingest_id, str(ctx.path), ctx.detection.variant)
    ctx.con.execute("SET preserve_insertion_order = false")
    (inserted,) = one(
        ctx.con,
        f"INSERT INTO focus_costs BY NAME SELECT {select} FROM ({mapped})"
        " WHERE __errors = '' AND __whole IS NOT NULL",
    )
    return int(inserted)


def _quarantine_rows(
    ctx: LoadContext, cmap: ColumnMap, header: dict[str, str], rejects: str
) -> None:
    """Rows that broke a rule, with their data row and (for CSV) their line in the file.

    Only scanned when the insert left rows behind, so a clean file is read twice, not three times.
    """
    line = "NULL" if is_parquet(ctx.path) else line_expr(ctx.con, rejects)
    mapped = normalize.mapped_rows(scan_sql(ctx.path), cmap, header, numbered=True)
    select = normalize.quarantine_select(ctx.ingest_id, str(ctx.path), list(header), line)
    ctx.con.execute("SET preserve_insertion_order = true")
    ctx.con.execute(
        f"INSERT INTO quarantine BY NAME SELECT {select} FROM ({mapped}) WHERE __errors <> ''"
    )
