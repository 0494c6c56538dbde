"""Observations of Azure subscriptions: inventory, hourly Azure Monitor utilization and retail
list prices, as Arrow tables with the warehouse's columns.

A subscription that cannot be read (403, not found) becomes a :class:`Problem` and the rest
still load; a part of one that fails loses only that part (see ``subscription.py``). Throttling
(429, also with only Cost Management's retry headers) and 5xx are retried by the clients'
:class:`~collectors.azure.clients.ArmRetryPolicy`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from azure.core.exceptions import AzureError

from collectors.azure import prices as retail
from collectors.azure.clients import AzureClients
from collectors.azure.inventory_groups import subscription_ids
from collectors.azure.metrics import Window
from collectors.azure.observed import Observations, Problem, describe
from collectors.azure.recorded import read_recorded
from collectors.azure.rows import UTC, Row, timestamp
from collectors.azure.subscription import SubscriptionResult, scan_subscription
from collectors.base import CollectorError

Progress = Callable[[str, int, int], None]  # (message, subscriptions done, subscriptions in all)

__all__ = ["Observations", "Problem", "collect_observations", "observations_from_recorded"]


def collect_observations(
    clients: AzureClients, now: dt.datetime, progress: Progress | None = None, workers: int = 4
) -> Observations:
    """Read every subscription (``workers`` at a time), then the prices of what was found.
    ``now`` (UTC when naive) is every row's ``collected_at`` and ends the metric window."""
    now = timestamp(now) or dt.datetime.now(UTC)
    try:
        subscriptions = subscription_ids(clients)
    except AzureError as exc:
        raise CollectorError(
            f"cannot list the Azure subscriptions to read: {describe(exc)}"
        ) from exc
    window = Window.before(now, clients.settings.lookback_days)
    results: list[SubscriptionResult] = []
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = [pool.submit(scan_subscription, clients, s, now, window) for s in subscriptions]
        for done, future in enumerate(as_completed(futures), start=1):
            results.append(future.result())
            if progress:
                progress(results[-1].summary(), done, len(subscriptions))
    resources = [row for r in results for row in r.resources]
    problems = [p for r in results for p in r.problems]
    prices = _prices(clients, resources, now, problems)
    return Observations.build(
        resources, [m for r in results for m in r.metrics], prices,
        [s for r in results for s in r.scopes], problems,
    )  # fmt: skip


def _prices(
    clients: AzureClients, resources: list[Row], now: dt.datetime, problems: list[Problem]
) -> list[Row]:
    pages = []
    for expression in retail.price_filters(resources):
        try:
            pages += list(retail.fetch_prices(clients, expression))
        except AzureError as exc:
            problems.append(Problem(None, "retail-prices", f"{expression}: {describe(exc)}"))
    return retail.price_rows(pages, now)


def observations_from_recorded(
    folder: Path, collected_at: dt.datetime | None = None
) -> Observations:
    """The same normalizers on the recorded responses (``fixtures/demo/azure``), offline;
    ``collected_at`` defaults to the end of the recorded metric window."""
    return read_recorded(folder, collected_at)
