"""`cloudspend collect aws`: billing, inventory, utilization and prices of one AWS organization.

1. Billing: the configured export (CUR 2.0, legacy CUR, or AWS's FOCUS export) is mirrored from
   S3 (``export_s3.py``) and each fetched period is loaded like ``cloudspend ingest`` would; with
   no export and ``cost_explorer_fallback``, Cost Explorer's daily totals are loaded instead,
   labelled as aggregated.
2. Observations: every account x region is read (``observe.py``) and stored in one write.

A failing account or region is a problem in the report; the rest still loads.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from collectors.aws.clients import AwsClients
from collectors.aws.cost_explorer import collect_cost_explorer
from collectors.aws.export_s3 import fetch_export
from collectors.aws.observe import collect_observations
from collectors.aws.settings import AwsConfig
from collectors.collection import CollectReport, Tell, load_fetched, say, store_observed
from warehouse.db import Warehouse


def collect_aws(
    settings: AwsConfig,
    warehouse: Warehouse,
    cache: Path,
    now: dt.datetime | None = None,
    tell: Tell | None = None,
    session: Any = None,
) -> CollectReport:
    """Collect everything the ``[aws]`` section configures into ``warehouse``."""
    now = now or dt.datetime.now(dt.UTC)
    clients = AwsClients(settings, session)
    report = CollectReport()
    _billing(settings, clients, warehouse, cache, now, tell, report)
    observations = collect_observations(
        clients, now, lambda message, done, total: say(tell, f"[{done}/{total}] {message}")
    )
    store_observed(warehouse, observations, report)
    return report


def _billing(
    settings: AwsConfig,
    clients: AwsClients,
    warehouse: Warehouse,
    cache: Path,
    now: dt.datetime,
    tell: Tell | None,
    report: CollectReport,
) -> None:
    if settings.export is not None:
        s3 = clients.client("s3", settings.export.region)
        fetched = fetch_export(s3, settings.export, cache, tell)
        say(tell, f"loading {len(fetched.sources)} billing period(s)")
        source = f"s3://{settings.export.bucket}/{settings.export.prefix}"
        load_fetched(warehouse, fetched, source, report)
    elif settings.cost_explorer_fallback:
        say(tell, "no export configured: loading Cost Explorer daily totals (aggregated)")
        ce = clients.client("ce", "us-east-1")
        start = (now - dt.timedelta(days=settings.lookback_days)).date()
        report.billing = [
            collect_cost_explorer(warehouse, ce, start, now.date(), clients.caller_account())
        ]
        report.billing_source = "Cost Explorer (aggregated daily totals per account and service)"
    else:
        report.problems.append(
            "billing: no [aws.export] configured and cost_explorer_fallback is off; "
            "only inventory, utilization and prices were collected"
        )
