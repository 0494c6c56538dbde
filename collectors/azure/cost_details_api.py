"""Ad-hoc pulls through the Cost Details API: ``generate_cost_details_report`` is a long-running
operation whose result lists CSV blobs (SAS links). The CSVs land in a folder, with a
``manifest.json`` naming the view (ActualCost / AmortizedCost) as an export's would, and load
like any export: ``cloudspend ingest`` or ``collect azure`` hand the folder to the cost-details
loader, which merges the two views per billing period.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import ssl
import urllib.request
from pathlib import Path

from azure.core.exceptions import AzureError
from azure.mgmt.costmanagement import CostManagementClient
from azure.mgmt.costmanagement.models import (
    CostDetailsTimePeriod,
    GenerateCostDetailsReportRequestDefinition,
)

from collectors.azure.clients import AzureClients
from collectors.base import CollectorError

VIEWS = ("ActualCost", "AmortizedCost")


def pull_cost_details(
    clients: AzureClients,
    scope: str,
    start: dt.date,
    end: dt.date,
    dest: Path,
    polling_interval: float = 10,
) -> list[Path]:
    """Generate and download both views of ``scope`` for ``start``..``end`` (inclusive) into
    ``dest/<view>/``; return the folders."""
    client = CostManagementClient(clients.credential, **clients.options())
    folders = []
    for view in VIEWS:
        request = GenerateCostDetailsReportRequestDefinition(
            metric=view,
            time_period=CostDetailsTimePeriod(start=start.isoformat(), end=end.isoformat()),
        )
        try:
            poller = client.generate_cost_details_report.begin_create_operation(
                scope.strip("/"), request, polling_interval=polling_interval
            )
            result = poller.result()
        except AzureError as exc:
            raise CollectorError(f"{scope}: the Cost Details report failed: {exc}") from exc
        if result.status != "Completed" or result.manifest is None:
            raise CollectorError(f"{scope}: the Cost Details report ended {result.status}")
        links = [b.blob_link for b in result.manifest.blobs or [] if b.blob_link]
        folder = _download(view, links, dest / view, clients.settings.connection_verify)
        _write_manifest(folder, view, start, len(links))
        folders.append(folder)
    return folders


def _download(view: str, links: list[str], folder: Path, verify: str | None) -> Path:
    """Fetch the report's CSV blobs and write the manifest that names their view."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    context = ssl.create_default_context(cafile=verify) if verify else None
    for number, link in enumerate(links, start=1):
        name = f"part_{number:04d}.csv"
        try:
            with (
                urllib.request.urlopen(link, context=context, timeout=300) as answer,  # noqa: S310
                (folder / name).open("wb") as handle,
            ):
                shutil.copyfileobj(answer, handle)
        except OSError as exc:
            raise CollectorError(f"{view} report blob {number}: cannot fetch it: {exc}") from exc
    return folder


def _write_manifest(folder: Path, view: str, start: dt.date, parts: int) -> None:
    """The manifest an export run would have: which view, which files."""
    manifest = {
        "exportConfig": {"exportName": f"cost-details-{view}", "type": view},
        "runInfo": {
            "startDate": start.isoformat(),
            "submittedTime": dt.datetime.now(dt.UTC).isoformat(),
        },
        "blobs": [{"blobName": f"part_{n:04d}.csv"} for n in range(1, parts + 1)],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
