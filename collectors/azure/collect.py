"""`cloudspend collect azure`: cost, inventory, utilization and prices of the configured
subscriptions.

1. Billing: the configured Cost Management export (FocusCost, or ActualCost and AmortizedCost)
   is mirrored from the storage account (``export_blob.py``) and each fetched period is loaded
   like ``cloudspend ingest`` would.
2. Observations: every subscription is read (``observe.py``) and stored in one write.

A subscription without access is a problem in the report; the rest still loads.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from azure.core.credentials import AzureNamedKeyCredential, TokenCredential
from azure.storage.blob import ContainerClient

from collectors.azure.clients import AzureClients
from collectors.azure.export_blob import fetch_export
from collectors.azure.observe import collect_observations
from collectors.azure.settings import AzureConfig, AzureExport
from collectors.base import CollectorError
from collectors.collection import CollectReport, Tell, load_fetched, say, store_observed
from warehouse.db import Warehouse


def collect_azure(
    settings: AzureConfig,
    warehouse: Warehouse,
    cache: Path,
    now: dt.datetime | None = None,
    tell: Tell | None = None,
    credential: TokenCredential | None = None,
) -> CollectReport:
    """Collect everything the ``[azure]`` section configures into ``warehouse``."""
    now = now or dt.datetime.now(dt.UTC)
    clients = AzureClients(settings, credential)
    report = CollectReport()
    if settings.export is not None:
        container = export_container(settings, settings.export, clients.credential)
        fetched = fetch_export(container, settings.export, cache, tell)
        say(tell, f"loading {len(fetched.sources)} export period folder(s)")
        source = f"{settings.export.account_url}/{settings.export.container}"
        load_fetched(warehouse, fetched, source, report)
    else:
        report.problems.append(
            "billing: no [azure.export] configured; only inventory, utilization and prices "
            "were collected"
        )
    observations = collect_observations(
        clients, now, lambda message, done, total: say(tell, f"[{done}/{total}] {message}")
    )
    store_observed(warehouse, observations, report)
    return report


def export_container(
    settings: AzureConfig, export: AzureExport, credential: TokenCredential
) -> ContainerClient:
    """The export's container: with a storage account key from the named environment variable,
    else with the Entra ID credential."""
    auth: Any = credential
    if export.account_key_env:
        key = os.environ.get(export.account_key_env)
        if key is None:
            raise CollectorError(f"the environment variable {export.account_key_env} is not set")
        account = export.account_url.rstrip("/").rsplit("/", 1)[-1].split(".", 1)[0]
        auth = AzureNamedKeyCredential(account, key)
    return ContainerClient(
        export.account_url,
        export.container,
        credential=auth,
        connection_verify=settings.connection_verify or True,
    )
