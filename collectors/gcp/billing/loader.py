"""Loading one file of the detailed (or standard) billing export: JSON lines as ``bq extract``
writes them (.json, .json.gz), Parquet with the export's nested columns, or Avro (``avro.py``).

One scan stages the file (``stage.py``); the source's own totals are summed from the stage (net
cost = ``cost + SUM(credits.amount)``, per invoice month); the mapped rows go to ``focus_costs``,
rows with problems to ``quarantine`` with their row and line. The format's ``finish`` step
(``commitments.py``) amortizes commitment fees once every file of the ingest is in.
"""

from __future__ import annotations

import gzip
import json
from decimal import Decimal
from pathlib import Path

import duckdb

from collectors.base import CollectorError, Detection, LoadContext
from collectors.filerecord import hashing, record_file
from collectors.files import is_avro, is_json, is_parquet, read_header, sql_str
from collectors.focus import normalize
from collectors.focus.columns import ColumnMap
from collectors.gcp.billing import focus_map
from collectors.gcp.billing.avro import as_json_lines, avro_fields
from collectors.gcp.billing.schema import EXPORT, SIGNATURE, lines_scan, source_scan
from collectors.gcp.billing.stage import stage_sql
from warehouse.load import SourceTotals
from warehouse.sql import one

NAME = "gcp-billing-export"
NET = "cost + credits_total"


def _first_object(path: Path) -> dict[str, object] | None:
    """The first line of a JSON-lines file as an object, or None."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    value = json.loads(line)
                    return value if isinstance(value, dict) else None
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return None


def _columns(con: duckdb.DuckDBPyConnection, path: Path) -> list[str] | None:
    if is_json(path):
        first = _first_object(path)
        return list(first) if first is not None else None
    if is_avro(path):
        return avro_fields(path)
    if is_parquet(path):
        return list(read_header(con, path))
    return None


def detect(con: duckdb.DuckDBPyConnection, path: Path) -> Detection | None:
    """A billing export file, recognized by the export's own fields."""
    columns = _columns(con, path)
    if columns is None or not set(SIGNATURE) <= set(columns):
        return None
    table = "detailed" if "resource" in columns or "price" in columns else "standard"
    kind = "avro" if is_avro(path) else "parquet" if is_parquet(path) else "json"
    return Detection(NAME, f"gcp-{table}-{kind}")


def load(ctx: LoadContext) -> SourceTotals:
    """Load one export file into the open transaction; return the source's own totals."""
    present = read_header(ctx.con, ctx.path) if is_parquet(ctx.path) else {}
    with hashing(ctx.path) as digest:
        if is_avro(ctx.path):
            with as_json_lines(ctx.path) as lines:
                totals = _load_staged(ctx, lines, present)
        else:
            totals = _load_staged(ctx, ctx.path, present)
        ignored = sorted(set(present) - set(EXPORT))
        record_file(ctx, totals, ignored, digest.result())
    return totals


def _load_staged(ctx: LoadContext, scanned: Path, present: dict[str, str]) -> SourceTotals:
    """Stage ``scanned`` (the file, or its JSON-lines rendering), then load and quarantine."""
    stage = f"_gcp_stage_{ctx.ingest_id}"
    try:
        ctx.con.execute("SET preserve_insertion_order = true")
        ctx.con.execute(stage_sql(stage, source_scan(scanned, present)))
        totals = _source_totals(ctx.con, stage)
        _insert_rows(ctx, stage)
        _quarantine_rows(ctx, stage, scanned)
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0]
        raise CollectorError(f"{ctx.path}: cannot read the file: {first}") from exc
    finally:
        ctx.con.execute(f"DROP TABLE IF EXISTS {stage}")
    return totals


def _source_totals(con: duckdb.DuckDBPyConnection, stage: str) -> SourceTotals:
    """Rows and net cost of the file, in all and per invoice month."""
    rows, net = one(con, f"SELECT count(*), coalesce(sum({NET}), 0) FROM {stage}")
    (derived,) = one(con, focus_map.derived_rows_sql(stage))
    periods = con.execute(
        f"SELECT 'gcp', billing_account_id, period_start, coalesce(sum({NET}), 0)"
        f" FROM {stage} GROUP BY ALL"
    ).fetchall()
    return SourceTotals(
        rows=int(rows),
        billed=Decimal(net),
        effective=Decimal(net),
        derived_rows=int(derived),
        periods={(p[0], p[1], p[2]): (Decimal(p[3]), Decimal(p[3])) for p in periods},
    )


def _focus_checks() -> str:
    """FOCUS's own row rules on the mapped values (a safety net: the stage checks come first)."""
    return normalize.errors_expr(ColumnMap(version="1.2", source_of={}, ignored=()))


def _insert_rows(ctx: LoadContext, stage: str) -> None:
    select = normalize.focus_select(ctx.ingest_id, str(ctx.path), ctx.detection.variant)
    ctx.con.execute("SET preserve_insertion_order = false")
    ctx.con.execute(
        f"INSERT INTO focus_costs BY NAME SELECT {select}"
        f" FROM ({focus_map.mapped_sql(stage)}) AS m"
        f" WHERE __errors = '' AND {_focus_checks()} = ''"
    )


def _raw_record(path: Path, row: str) -> tuple[str, str]:
    """(FROM clause addition, raw_record expression): a JSON row's own line (read again, for
    the quarantined rows only), else the staged values."""
    if is_parquet(path):
        return "", "CAST(to_json(s) AS VARCHAR)"
    return f" LEFT JOIN {lines_scan(path)} AS l ON l.__row = {row}", "l.__raw"


def _quarantine_rows(ctx: LoadContext, stage: str, scanned: Path) -> None:
    """Stage rows with problems, with their data row, file line and source text."""
    (bad,) = one(ctx.con, f"SELECT count(*) FROM {stage} WHERE __errors <> ''")
    if not bad:
        return
    (first,) = one(ctx.con, f"SELECT min(rowid) FROM {stage}")
    row = f"(s.rowid - {int(first)} + 1)"
    join, raw = _raw_record(scanned, row)
    line = "NULL" if is_parquet(scanned) else "l.__line"
    ctx.con.execute("SET preserve_insertion_order = true")
    ctx.con.execute(
        f"""
        INSERT INTO quarantine BY NAME
        SELECT {ctx.ingest_id} AS ingest_id, {sql_str(str(ctx.path))} AS source_file,
               {row} AS source_row, {line} AS source_line,
               split_part(s.__errors, ':', 1) AS column_name, s.__errors AS reason,
               {raw} AS raw_record, 'gcp' AS x_Provider,
               s.billing_account_id AS BillingAccountId, s.period_start AS BillingPeriodStart,
               s.currency AS BillingCurrency, s.cost + s.credits_total AS BilledCost,
               s.cost + s.credits_total AS EffectiveCost
        FROM {stage} AS s{join} WHERE s.__errors <> ''
        """
    )
