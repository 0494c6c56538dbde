"""Keeping a file's staged rows in ``azure_cost_rows`` and rebuilding the FOCUS rows of every
(billing account, billing period) partition the file touches from both views of that partition.

A partition's source totals come from its kept rows, apart from the mapping: BilledCost is the
sum of the actual view's costs, EffectiveCost the amortized view's; when only one view is there,
both come from it. One ingest may rebuild a partition more than once (the actual and the
amortized file of a month); each rebuild reports only what changed since the previous one
(``_azure_reported``), so the ingest's summed totals count every partition once.
"""

from __future__ import annotations

from decimal import Decimal

import duckdb

from collectors.azure.cost_details.columns import COLUMNS
from collectors.azure.cost_details.focus_map import mapped_sql
from collectors.azure.cost_details.merge import TOUCHED, merged_sql, pairs_sql, views_sql
from collectors.base import LoadContext
from collectors.files import sql_str
from collectors.focus import normalize
from collectors.focus.columns import ColumnMap
from collectors.focus.normalize import ident, typed_name
from warehouse.focus_columns import FOCUS_COLUMNS
from warehouse.load import SourceTotals

REPORTED = "_azure_reported"
# a stage row's 1-based data row: the stage keeps file order, and its rowids (which start at an
# offset in the open transaction) rise by one per row
ROW = "(rowid - (SELECT min(rowid) FROM {stage}) + 1)"
PLACED = "__focus_account IS NOT NULL AND billing_period_start IS NOT NULL"
_IN_TOUCHED = (
    "{t}.x_Provider = 'azure' AND {t}.BillingAccountId = p.focus_account"
    " AND {t}.BillingPeriodStart = CAST(p.period_start AS TIMESTAMPTZ)"
)


def keep_rows(
    ctx: LoadContext, stage: str, view: str, dialect: str, variant: str, line: str
) -> None:
    """Replace the kept rows of this file's partitions and view (from earlier ingests) with the
    file's rows; remember the partitions as touched."""
    con = ctx.con
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _azure_file_parts AS SELECT DISTINCT __focus_account AS"
        f" focus_account, billing_period_start AS period_start FROM {stage} WHERE {PLACED}"
    )
    con.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {TOUCHED} (focus_account VARCHAR, period_start DATE)"
    )
    con.execute(
        f"INSERT INTO {TOUCHED} SELECT * FROM _azure_file_parts EXCEPT SELECT * FROM {TOUCHED}"
    )
    con.execute(
        "DELETE FROM azure_cost_rows r USING _azure_file_parts p WHERE r.focus_account ="
        " p.focus_account AND r.period_start = p.period_start AND r.cost_view = ?"
        " AND r.ingest_id <> ?",
        [view, ctx.ingest_id],
    )
    con.execute(
        f"""
        INSERT INTO azure_cost_rows BY NAME
        SELECT {ctx.ingest_id} AS ingest_id, {sql_str(str(ctx.path))} AS source_file,
               {sql_str(variant)} AS source_format, {ROW.format(stage=stage)} AS source_row,
               {line} AS source_line,
               {sql_str(view)} AS cost_view, {sql_str(dialect)} AS dialect,
               __focus_account AS focus_account, billing_period_start AS period_start,
               __match_key AS match_key, __errors AS errors, __raw AS raw_record,
               {", ".join(ident(c) for c in COLUMNS)}
        FROM {stage} WHERE {PLACED}
        """
    )


def quarantine_unplaced(ctx: LoadContext, stage: str, line: str) -> SourceTotals:
    """Rows that name no billing account or period cannot join a partition: quarantined at
    once, counted with their own cost in both views."""
    ctx.con.execute(
        f"""
        INSERT INTO quarantine BY NAME
        SELECT {ctx.ingest_id} AS ingest_id, {sql_str(str(ctx.path))} AS source_file,
               {ROW.format(stage=stage)} AS source_row, {line} AS source_line,
               split_part(__errors, ':', 1) AS column_name, __errors AS reason,
               __raw AS raw_record, 'azure' AS x_Provider, __focus_account AS BillingAccountId,
               CAST(billing_period_start AS TIMESTAMPTZ) AS BillingPeriodStart,
               billing_currency AS BillingCurrency, cost AS BilledCost, cost AS EffectiveCost
        FROM {stage} WHERE NOT ({PLACED})
        """
    )
    rows = ctx.con.execute(
        f"SELECT __focus_account, CAST(billing_period_start AS TIMESTAMPTZ), count(*),"
        f" coalesce(sum(cost), 0) FROM {stage} WHERE NOT ({PLACED}) GROUP BY ALL"
    ).fetchall()
    totals = SourceTotals()
    for account, start, n, cost in rows:
        totals.add(
            SourceTotals(
                rows=int(n),
                billed=Decimal(cost),
                effective=Decimal(cost),
                periods={("azure", account, start): (Decimal(cost), Decimal(cost))},
            )
        )
    return totals


def rebuild(con: duckdb.DuckDBPyConnection, ingest: int) -> SourceTotals:
    """Once every file of the ingest is kept: replace this ingest's FOCUS and quarantine rows of
    the touched partitions with rows built from both views; return the partitions' source
    totals (the change since an earlier rebuild in the same ingest, if any)."""
    con.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {TOUCHED} (focus_account VARCHAR, period_start DATE)"
    )
    con.execute(
        f"DELETE FROM focus_costs f USING {TOUCHED} p WHERE f.x_IngestId = ? AND "
        + _IN_TOUCHED.format(t="f"),
        [ingest],
    )
    con.execute(
        f"DELETE FROM quarantine q USING {TOUCHED} p WHERE q.ingest_id = ? AND "
        + _IN_TOUCHED.format(t="q"),
        [ingest],
    )
    _insert_rows(con, ingest)
    _quarantine_rows(con, ingest)
    return _totals_change(con, ingest)


def _insert_rows(con: duckdb.DuckDBPyConnection, ingest: int) -> None:
    select = ", ".join(f"{typed_name(c.name)} AS {ident(c.name)}" for c in FOCUS_COLUMNS)
    checks = normalize.errors_expr(ColumnMap(version="1.2", source_of={}, ignored=()))
    con.execute(
        f"""
        INSERT INTO focus_costs BY NAME
        SELECT {select}, 'azure' AS x_Provider, {ingest} AS x_IngestId,
               source_file AS x_SourceFile, source_format AS x_SourceFormat
        FROM ({mapped_sql(merged_sql())}) AS m WHERE {checks} = ''
        """
    )


def _quarantine_rows(con: duckdb.DuckDBPyConnection, ingest: int) -> None:
    """Kept rows with problems; their cost counts in their own view, and in the other one too
    when the partition lacks it."""
    con.execute(
        f"""
        INSERT INTO quarantine BY NAME
        SELECT {ingest} AS ingest_id, source_file, source_row, source_line,
               split_part(errors, ':', 1) AS column_name, errors AS reason, raw_record,
               'azure' AS x_Provider, focus_account AS BillingAccountId,
               CAST(period_start AS TIMESTAMPTZ) AS BillingPeriodStart,
               billing_currency AS BillingCurrency,
               CASE WHEN cost_view = 'actual' OR NOT has_actual THEN cost ELSE 0 END
                   AS BilledCost,
               CASE WHEN cost_view = 'amortized' OR NOT has_amortized THEN cost ELSE 0 END
                   AS EffectiveCost
        FROM azure_cost_rows JOIN ({views_sql()}) USING (focus_account, period_start)
        WHERE errors <> ''
        """
    )


def _totals_change(con: duckdb.DuckDBPyConnection, ingest: int) -> SourceTotals:
    con.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {REPORTED} (ingest_id BIGINT, focus_account VARCHAR,"
        " period_start DATE, n BIGINT, billed DECIMAL(38,12), effective DECIMAL(38,12),"
        " pairs BIGINT)"
    )
    now = f"""
        SELECT focus_account, period_start, count(*) AS n,
               CASE WHEN bool_or(cost_view = 'actual')
                    THEN sum(cost) FILTER (WHERE cost_view = 'actual')
                    ELSE sum(cost) END AS billed,
               CASE WHEN bool_or(cost_view = 'amortized')
                    THEN sum(cost) FILTER (WHERE cost_view = 'amortized')
                    ELSE sum(cost) END AS effective
        FROM azure_cost_rows SEMI JOIN {TOUCHED} USING (focus_account, period_start)
        GROUP BY ALL
    """
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _azure_now AS
            SELECT n.*, coalesce(p.pairs, 0) AS pairs
            FROM ({now}) AS n LEFT JOIN ({pairs_sql()}) AS p USING (focus_account, period_start)"""
    )
    changes = con.execute(
        f"""
        SELECT n.focus_account, CAST(n.period_start AS TIMESTAMPTZ),
               n.n - coalesce(r.n, 0), coalesce(n.billed, 0) - coalesce(r.billed, 0),
               coalesce(n.effective, 0) - coalesce(r.effective, 0), n.pairs - coalesce(r.pairs, 0)
        FROM _azure_now AS n LEFT JOIN {REPORTED} AS r
          ON r.ingest_id = ? AND r.focus_account = n.focus_account
         AND r.period_start = n.period_start
        """,
        [ingest],
    ).fetchall()
    con.execute(
        f"DELETE FROM {REPORTED} r USING _azure_now n WHERE r.ingest_id = ? AND"
        " r.focus_account = n.focus_account AND r.period_start = n.period_start",
        [ingest],
    )
    con.execute(f"INSERT INTO {REPORTED} SELECT {ingest}, * FROM _azure_now")
    totals = SourceTotals()
    for account, start, n, billed, effective, pairs in changes:
        totals.add(
            SourceTotals(
                rows=int(n),
                billed=Decimal(billed),
                effective=Decimal(effective),
                derived_rows=-int(pairs),
                periods={("azure", account, start): (Decimal(billed), Decimal(effective))},
            )
        )
    return totals
