"""Observations of Google Cloud projects: Compute Engine inventory, hourly Cloud Monitoring
utilization and Cloud Billing Catalog list prices, as Arrow tables with the warehouse's
columns.

A project that cannot be read (403, 404) becomes a :class:`Problem` and the rest still load; a
part of one that fails loses only that part (see ``project.py``). Throttling (429,
RESOURCE_EXHAUSTED) and 5xx are retried by the explicit retry every call passes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from google.api_core.exceptions import GoogleAPIError

from collectors.base import CollectorError
from collectors.gcp import prices as catalog
from collectors.gcp.billing_accounts import project_ids
from collectors.gcp.clients import GcpClients
from collectors.gcp.metrics import Window
from collectors.gcp.observed import Observations, Problem, describe
from collectors.gcp.project import ProjectResult, scan_project
from collectors.gcp.recorded import read_recorded
from collectors.gcp.rows import UTC, Json, Row, timestamp
from collectors.gcp.settings import GcpConfig

Progress = Callable[[str, int, int], None]  # (message, projects done, projects in all)

__all__ = ["Observations", "Problem", "collect_observations", "observations_from_recorded"]


def collect_observations(
    clients: GcpClients, settings: GcpConfig, now: dt.datetime, progress: Progress | None = None
) -> Observations:
    """Read every project (``settings.workers`` at a time), then the prices of what was found.
    ``now`` (UTC when naive) is every row's ``collected_at`` and ends the metric window."""
    now = timestamp(now) or dt.datetime.now(UTC)
    try:
        projects = project_ids(clients)
    except GoogleAPIError as exc:
        raise CollectorError(f"cannot list the GCP projects to read: {describe(exc)}") from exc
    window = Window.before(now, settings.lookback_days)
    results: list[ProjectResult] = []
    with ThreadPoolExecutor(max_workers=settings.workers) as pool:
        futures = [pool.submit(scan_project, clients, p, now, window) for p in projects]
        for done, future in enumerate(as_completed(futures), start=1):
            results.append(future.result())
            if progress:
                progress(results[-1].summary(), done, len(projects))
    resources = [row for r in results for row in r.resources]
    problems = [p for r in results for p in r.problems]
    prices = _prices(clients, resources, now, problems)
    return Observations.build(
        resources, [m for r in results for m in r.metrics], prices,
        [s for r in results for s in r.scopes], problems,
    )  # fmt: skip


def _prices(
    clients: GcpClients, resources: list[Row], now: dt.datetime, problems: list[Problem]
) -> list[Row]:
    needed = catalog.services_needed(resources)
    if not needed:
        return []
    skus: list[Json] = []
    try:
        services = catalog.service_names(catalog.fetch_services(clients), needed)
        for name in needed:
            if name not in services:
                problems.append(Problem(None, "catalog", f"no service named {name!r}"))
                continue
            skus += catalog.fetch_skus(clients, services[name])
    except GoogleAPIError as exc:
        problems.append(Problem(None, "catalog", describe(exc)))
    return catalog.price_rows(resources, skus, now)


def observations_from_recorded(
    folder: Path, collected_at: dt.datetime | None = None
) -> Observations:
    """The same normalizers on the recorded responses (``fixtures/demo/gcp``), offline;
    ``collected_at`` defaults to the end of the recorded metric window."""
    return read_recorded(folder, collected_at)
