"""Loading one CUR file (CUR 2.0 Parquet or CSV(.gz), legacy CUR CSV(.gz) or Parquet).

One scan stages the file (``stage.py``); the source's totals are summed from the stage with AWS's
own amortization rule; the mapped rows go to ``focus_costs``, rows with problems to
``quarantine`` with their row and line; the caller's ``finish_ingest`` reconciles.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb

from collectors.aws.cur import focus_map
from collectors.aws.cur.columns import CurColumns, map_cur_columns
from collectors.aws.cur.stage import amortized_cost, stage_sql
from collectors.base import CollectorError, Detection, LoadContext
from collectors.filerecord import hashing, record_file
from collectors.files import csv_header, is_parquet, read_header, scan_sql, sql_str
from collectors.focus import normalize
from collectors.focus.columns import ColumnMap
from collectors.rejects import count_rejects, drop_rejects, line_expr, quarantine_rejects
from warehouse.load import SourceTotals
from warehouse.sql import one

CUR2 = "aws-cur2"
LEGACY = "aws-cur"


def detect_as(fmt: str, con: duckdb.DuckDBPyConnection, path: Path) -> Detection | None:
    """A CUR file of the flavour ``fmt`` (CUR 2.0 or legacy), recognized by its columns."""
    cols = map_cur_columns(list(read_header(con, path)))
    if cols is None or (cols.variant == "cur2") != (fmt == CUR2):
        return None
    kind = "parquet" if is_parquet(path) else "csv"
    return Detection(fmt, f"{cols.variant}-{kind}")


def load(ctx: LoadContext) -> SourceTotals:
    """Load one CUR file into the open transaction; return the source's own totals."""
    stage, rejects = f"_cur_stage_{ctx.ingest_id}", f"_cur_rejects_{ctx.ingest_id}"
    scan, cols, header = _scan(ctx, rejects)
    with hashing(ctx.path) as digest:
        totals = _load_staged(ctx, scan, cols, header, stage, rejects)
        record_file(ctx, totals, cols.ignored, digest.result())
    return totals


def _load_staged(
    ctx: LoadContext,
    scan: str,
    cols: CurColumns,
    header: dict[str, str],
    stage: str,
    rejects: str,
) -> SourceTotals:
    try:
        ctx.con.execute("SET preserve_insertion_order = true")
        ctx.con.execute(stage_sql(stage, scan, cols, header))
        totals = _source_totals(ctx.con, stage, rejects)
        _insert_rows(ctx, stage)
        _quarantine_rows(ctx, stage, rejects)
        quarantine_rejects(ctx.con, ctx.ingest_id, str(ctx.path), rejects)
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0]
        raise CollectorError(f"{ctx.path}: cannot read the file: {first}") from exc
    finally:
        ctx.con.execute(f"DROP TABLE IF EXISTS {stage}")
        drop_rejects(ctx.con, rejects)
    return totals


def _scan(ctx: LoadContext, rejects: str) -> tuple[str, CurColumns, dict[str, str]]:
    """The file's scan, its column map and the scan's column types.

    A CSV is scanned under positional names (c0, c1, ...): legacy CUR headers may hold tag
    columns that differ only in case (``user:Environment`` and ``user:environment``), which
    DuckDB would rename.
    """
    header = read_header(ctx.con, ctx.path)
    if is_parquet(ctx.path):
        cols = _columns(ctx.path, list(header))
        return scan_sql(ctx.path), cols, header
    written = csv_header(ctx.path)
    names = [f"c{i}" for i in range(len(written))]
    cols = _columns(ctx.path, written).renamed(dict(zip(written, names, strict=True)))
    return scan_sql(ctx.path, rejects, names), cols, dict.fromkeys(names, "VARCHAR")


def _columns(path: Path, headers: list[str]) -> CurColumns:
    cols = map_cur_columns(headers)
    if cols is None:
        raise CollectorError(f"{path}: not a CUR file (no lineItem/LineItemType column)")
    _require_columns(path, cols)
    return cols


def _require_columns(path: Path, cols: CurColumns) -> None:
    missing = cols.missing()
    if missing:
        raise CollectorError(
            f"{path}: CUR file lacks the column(s) {', '.join(missing)} (row 1, the header); "
            "without them its rows cannot be placed in a billing period or costed"
        )


def _source_totals(con: duckdb.DuckDBPyConnection, stage: str, rejects: str) -> SourceTotals:
    """Rows, unblended and amortized totals of the file as AWS defines them."""
    row = one(
        con,
        f"""
        SELECT count(*), coalesce(sum(line_item_unblended_cost), 0),
               coalesce(sum({amortized_cost()}), 0),
               count(*) FILTER (WHERE line_item_unblended_cost IS NULL),
               count(*) FILTER (WHERE {focus_map.has_unused_sql()})
        FROM {stage}
        """,
    )
    rejected = count_rejects(con, rejects)
    periods = con.execute(
        f"""
        SELECT 'aws', bill_payer_account_id, bill_billing_period_start_date,
               coalesce(sum(line_item_unblended_cost), 0), coalesce(sum({amortized_cost()}), 0)
        FROM {stage} GROUP BY ALL
        """
    ).fetchall()
    return SourceTotals(
        rows=int(row[0]) + rejected,
        billed=Decimal(row[1]),
        effective=Decimal(row[2]),
        unparsed_rows=int(row[3]) + rejected,
        derived_rows=int(row[4]),
        periods={(p[0], p[1], p[2]): (Decimal(p[3]), Decimal(p[4])) for p in periods},
    )


def _focus_checks() -> str:
    """FOCUS's own row rules on the mapped values (a safety net: the stage checks come first)."""
    return normalize.errors_expr(ColumnMap(version="1.2", source_of={}, ignored=()))


def _insert_rows(ctx: LoadContext, stage: str) -> None:
    mapped = focus_map.mapped_sql(stage)
    select = normalize.focus_select(ctx.ingest_id, str(ctx.path), ctx.detection.variant)
    select += f",\n  {focus_map.COMMITMENT_END} AS x_CommitmentDiscountEnd"
    ctx.con.execute("SET preserve_insertion_order = false")
    ctx.con.execute(
        f"INSERT INTO focus_costs BY NAME SELECT {select} FROM ({mapped}) AS m"
        f" WHERE __errors = '' AND {_focus_checks()} = ''"
    )


def _quarantine_rows(ctx: LoadContext, stage: str, rejects: str) -> None:
    """Stage rows with problems, with their data row, file line and staged values."""
    (bad,) = one(ctx.con, f"SELECT count(*) FROM {stage} WHERE __errors <> ''")
    if not bad:
        return
    # rowids of a table created in the open transaction start at a large offset, in file order
    (first,) = one(ctx.con, f"SELECT min(rowid) FROM {stage}")
    row = f"(rowid - {int(first)} + 1)"
    line = "NULL" if is_parquet(ctx.path) else line_expr(ctx.con, rejects, row)
    ctx.con.execute("SET preserve_insertion_order = true")
    ctx.con.execute(
        f"""
        INSERT INTO quarantine BY NAME
        SELECT {ctx.ingest_id} AS ingest_id, {sql_str(str(ctx.path))} AS source_file,
               {row} AS source_row, {line} AS source_line,
               split_part(__errors, ':', 1) AS column_name, __errors AS reason,
               CAST(to_json(s) AS VARCHAR) AS raw_record, 'aws' AS x_Provider,
               bill_payer_account_id AS BillingAccountId,
               bill_billing_period_start_date AS BillingPeriodStart,
               line_item_currency_code AS BillingCurrency,
               line_item_unblended_cost AS BilledCost, {amortized_cost()} AS EffectiveCost
        FROM {stage} AS s WHERE __errors <> ''
        """
    )
