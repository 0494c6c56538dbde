"""Fetch the detailed billing export from its BigQuery table into local Parquet files that
``cloudspend ingest`` reads: ``<cache>/gcp/<table>/invoice_month=YYYYMM/part-NNN.parquet``.

One parametrised query per invoice month, with a partition filter so BigQuery scans only the
partitions that can hold the month's rows, never the whole table::

    WHERE DATE(_PARTITIONTIME) BETWEEN @first AND @last AND invoice.month = @month

The export's tables are partitioned by the UTC day rows are written (ingestion time). No row of
month M can be written before M starts (invoice months are US Pacific, behind UTC); one day
earlier guards the partition boundary. Rows keep arriving after M ends (late usage, the month's
credits, tax and rounding rows when the invoice closes, a few days in), so the window runs to
the last day of M+1. Corrections Google makes after that carry a later invoice month. Cost:
bytes of about two months of partitions per month read; ``SELECT *`` because the loader ignores
columns it does not know and tolerates missing optional ones, and every column it reads (labels,
credits, project, resource) is among the table's largest anyway.

Rows stream page by page (REST, no Storage Read API) into Parquet parts of ``part_rows`` rows,
nested RECORD/REPEATED columns kept as Parquet structs and lists. A month is written to a
temporary folder and swapped in, so a failed run leaves the previous files.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
from pathlib import Path
from typing import Any

from google.api_core import exceptions as gexc
from google.api_core.client_options import ClientOptions
from google.auth.credentials import Credentials
from google.auth.exceptions import GoogleAuthError
from google.cloud import bigquery

from collectors.base import CollectorError
from collectors.gcp.export_common import (
    FetchedBilling,
    Tell,
    invoice_months,
    month_start,
    period_of,
    say,
    with_settings,
)
from collectors.gcp.export_errors import bigquery_error, credentials_error
from collectors.gcp.export_parquet import write_month
from collectors.gcp.settings import GcpBillingExport, GcpConfig, GcpRetry

PAGE_SIZE = 10_000  # rows per jobs.getQueryResults page (BigQuery also caps a page at 10 MB)
PART_ROWS = 500_000  # rows per Parquet part, so a big month never sits in memory at once
JOB_TIMEOUT_S = 1800.0  # BigQuery cancels the query job after this; the client waits as long
QUERY = """SELECT * FROM `{table}`
WHERE DATE(_PARTITIONTIME) BETWEEN @first AND @last
  AND invoice.month = @month"""


def bigquery_client(config: GcpConfig, credentials: Credentials | None = None) -> bigquery.Client:
    """A client for ``[gcp.endpoints].bigquery`` (default: Google's), billing query jobs to
    ``query_project`` (default: the table's project); Application Default Credentials unless
    ``credentials`` is given."""
    export = config.billing_export or GcpBillingExport()
    table_project = export.table.rsplit(".", 2)[0] if export.table else None
    endpoint = config.endpoints.bigquery
    try:
        return bigquery.Client(
            project=export.query_project or table_project,
            credentials=credentials,
            location=export.location,
            client_options=ClientOptions(api_endpoint=endpoint) if endpoint else None,
        )
    except GoogleAuthError as exc:
        raise credentials_error("BigQuery", exc) from exc


def partition_window(month: str) -> tuple[dt.date, dt.date]:
    """The partition days that can hold invoice month ``month``'s rows (see the module doc)."""
    start = month_start(month)
    after_next = (start + dt.timedelta(days=62)).replace(day=1)
    return start - dt.timedelta(days=1), after_next - dt.timedelta(days=1)


def fetch_bigquery(
    client: bigquery.Client,
    export: GcpBillingExport,
    cache: Path,
    now: dt.datetime,
    tell: Tell | None = None,
    *,
    retry: GcpRetry | None = None,
    page_size: int = PAGE_SIZE,
    part_rows: int = PART_ROWS,
) -> FetchedBilling:
    """Query the newest ``export.months`` invoice months at ``now``; replace each month's files."""
    if not export.table:
        raise CollectorError("[gcp.billing_export] has no table to query")
    policy = with_settings(bigquery.DEFAULT_RETRY, retry or GcpRetry())
    fetched = FetchedBilling(cache / "gcp" / export.table.replace(":", "_"))
    for month in invoice_months(now, export.months):
        first, last = partition_window(month)
        say(tell, f"querying {export.table} for invoice month {month} (partitions {first}..{last})")
        try:
            rows, scanned = _fetch_month(
                client, export, month, policy, fetched, page_size, part_rows
            )
        except (gexc.GoogleAPIError, GoogleAuthError, concurrent.futures.TimeoutError) as exc:
            raise bigquery_error(exc, export, client.project, JOB_TIMEOUT_S) from exc
        say(tell, f"invoice month {month}: {rows:,} rows, {scanned:,} bytes processed")
    return fetched


def _fetch_month(
    client: bigquery.Client,
    export: GcpBillingExport,
    month: str,
    policy: Any,
    fetched: FetchedBilling,
    page_size: int,
    part_rows: int,
) -> tuple[int, int]:
    """Query one month into its folder; return the rows written and the bytes processed."""
    job = _run_query(client, export, month, policy)
    rows = job.result(page_size=page_size, timeout=JOB_TIMEOUT_S, retry=policy)
    folder = fetched.root / f"invoice_month={month}"
    written, parts = write_month(rows.to_arrow_iterable(), folder, part_rows)
    fetched.rows += written
    fetched.downloaded += parts
    fetched.bytes_scanned += job.total_bytes_processed or 0
    fetched.periods.append(period_of(month))
    fetched.sources.append(folder)
    return written, job.total_bytes_processed or 0


def _run_query(
    client: bigquery.Client, export: GcpBillingExport, month: str, policy: Any
) -> bigquery.QueryJob:
    first, last = partition_window(month)
    config = bigquery.QueryJobConfig(
        query_parameters=[
            bigquery.ScalarQueryParameter("month", "STRING", month),
            bigquery.ScalarQueryParameter("first", "DATE", first),
            bigquery.ScalarQueryParameter("last", "DATE", last),
        ],
        job_timeout_ms=int(JOB_TIMEOUT_S * 1000),
        labels={"app": "cloudspend"},
    )
    sql = QUERY.format(table=export.table)
    return client.query(sql, job_config=config, job_id_prefix="cloudspend_billing_", retry=policy)
