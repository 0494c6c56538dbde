"""`cloudspend collect gcp`: cost, inventory, utilization and prices of the configured billing
account and projects.

1. Billing: the newest ``months`` invoice months of the detailed export, queried from BigQuery
   (``export_bigquery.py``) or mirrored from extracted files (``export_gcs.py``), each loaded
   like ``cloudspend ingest`` would; a month loaded again replaces its earlier rows.
2. Observations: every project is read (``observe.py``) and stored in one write.

A project without access is a problem in the report; the rest still loads.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from google.auth.credentials import Credentials

from collectors.collection import CollectReport, Tell, load_fetched, say, store_observed
from collectors.gcp.clients import GcpClients
from collectors.gcp.export_bigquery import bigquery_client, fetch_bigquery
from collectors.gcp.export_common import FetchedBilling
from collectors.gcp.export_gcs import fetch_files, storage_client
from collectors.gcp.observe import collect_observations
from collectors.gcp.settings import GcpBillingExport, GcpConfig
from warehouse.db import Warehouse


def collect_gcp(
    settings: GcpConfig,
    warehouse: Warehouse,
    cache: Path,
    now: dt.datetime | None = None,
    tell: Tell | None = None,
    credentials: Credentials | None = None,
) -> CollectReport:
    """Collect everything the ``[gcp]`` section configures into ``warehouse``."""
    now = now or dt.datetime.now(dt.UTC)
    report = CollectReport()
    export = settings.billing_export
    if export is not None and (export.table or export.files):
        fetched = fetch_billing(settings, export, cache, now, tell, credentials)
        say(tell, f"loading {len(fetched.sources)} invoice month folder(s)")
        load_fetched(warehouse, fetched, export.table or export.files or "", report)
    else:
        report.problems.append(
            "billing: no [gcp.billing_export] table or files configured; only inventory, "
            "utilization and prices were collected"
        )
    with GcpClients(settings, credentials) as clients:
        observations = collect_observations(
            clients,
            settings,
            now,
            lambda message, done, total: say(tell, f"[{done}/{total}] {message}"),
        )
    store_observed(warehouse, observations, report)
    return report


def fetch_billing(
    settings: GcpConfig,
    export: GcpBillingExport,
    cache: Path,
    now: dt.datetime,
    tell: Tell | None,
    credentials: Credentials | None,
) -> FetchedBilling:
    """The export's newest invoice months as local folders: queried or mirrored."""
    if export.table:
        client = bigquery_client(settings, credentials)
        try:
            return fetch_bigquery(client, export, cache, now, tell, retry=settings.retry)
        finally:
            client.close()  # type: ignore[no-untyped-call]
    in_gcs = (export.files or "").startswith("gs://")
    gcs = storage_client(settings, credentials) if in_gcs else None
    return fetch_files(gcs, export, cache, tell, retry=settings.retry)
