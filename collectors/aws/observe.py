"""Observations of an AWS organization: inventory, hourly CloudWatch utilization and list prices
for every configured account and region, as Arrow tables with the warehouse's columns.

An account that cannot be entered (AssumeRole denied) or a region that cannot be read (opt-in
region not enabled, endpoint unreachable) becomes a :class:`Problem` and the rest still loads;
a service call that fails inside a region (say RDS access denied) loses only that service's
rows, and its resource types keep their earlier warehouse rows because their scopes are not
listed as read. Throttling and 5xx errors are retried by boto3 (the configured retry mode).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from collectors.aws import prices as price_list
from collectors.aws.clients import AwsClients
from collectors.aws.observed import Observations, Problem, describe, fill_specs
from collectors.aws.prices_request import product_requests
from collectors.aws.recorded import read_recorded
from collectors.aws.region import RegionResult, scan_region
from collectors.aws.rows import UTC, Row, timestamp
from collectors.base import CollectorError

Progress = Callable[[str, int, int], None]  # (message, regions done, regions in all)

__all__ = [
    "Observations",
    "Problem",
    "collect_observations",
    "observations_from_recorded",
]


def collect_observations(
    clients: AwsClients, now: dt.datetime, progress: Progress | None = None, workers: int = 4
) -> Observations:
    """Read every account x region (``workers`` at a time), then the prices of what was found.
    ``now`` (UTC when naive) is every row's ``collected_at`` and ends the metric window."""
    now = timestamp(now) or dt.datetime.now(UTC)
    problems: list[Problem] = []
    tasks = _regions(clients, problems)
    results: list[RegionResult] = []
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = [pool.submit(scan_region, clients, a, r, now) for a, r in tasks]
        for done, future in enumerate(as_completed(futures), start=1):
            result = future.result()
            results.append(result)
            if progress:
                progress(result.summary(), done, len(tasks))
    results.sort(key=lambda r: (r.account_id, r.region))
    resources = [row for r in results for row in r.resources]
    spot = _first_per_key([row for r in results for row in r.spot])
    listed, pages = _list_prices(clients, resources, now, problems)
    fill_specs(resources, price_list.product_specs(pages))
    return Observations.build(
        resources, [m for r in results for m in r.metrics], listed + spot,
        [s for r in results for s in r.scopes],
        problems + [p for r in results for p in r.problems],
    )  # fmt: skip


def _regions(clients: AwsClients, problems: list[Problem]) -> list[tuple[str, str]]:
    try:
        accounts = clients.accounts()
    except (ClientError, BotoCoreError) as exc:
        raise CollectorError(f"cannot tell which AWS account the credentials are for: "
                             f"{describe(exc)}") from exc  # fmt: skip
    tasks = []
    for account in accounts:
        try:
            clients.credentials(account)
        except (ClientError, BotoCoreError) as exc:
            problems.append(Problem(account, None, "sts", describe(exc)))
            continue
        try:
            tasks += [(account, region) for region in clients.regions(account)]
        except (ClientError, BotoCoreError) as exc:
            problems.append(Problem(account, None, "ec2", describe(exc)))
    return tasks


def _list_prices(
    clients: AwsClients, resources: list[Row], now: dt.datetime, problems: list[Problem]
) -> tuple[list[Row], list[Any]]:
    """Price-list rows for everything in use, and the GetProducts pages (for vCPU specs)."""
    region = clients.settings.pricing_region
    pages: list[Any] = []
    for service, filters in product_requests(resources):
        try:
            pricing = clients.client("pricing", region)
            pages += price_list.fetch_products(pricing, service, filters)
        except (ClientError, BotoCoreError) as exc:
            problems.append(Problem(clients.caller_account(), region, "pricing",
                                    f"{service}: {describe(exc)}"))  # fmt: skip
    return price_list.price_rows(pages, now), pages


def _first_per_key(rows: list[Row]) -> list[Row]:
    """Spot rows, one per (region, sku, operating system): accounts see the same prices."""
    kept: dict[tuple[Any, ...], Row] = {}
    for row in rows:
        kept.setdefault((row["region"], row["sku"], row["operating_system"]), row)
    return list(kept.values())


def observations_from_recorded(
    folder: Path, collected_at: dt.datetime | None = None
) -> Observations:
    """The same normalizers on recorded SDK responses (``fixtures/demo/aws``), offline;
    ``collected_at`` defaults to the end of the recorded metric window."""
    return read_recorded(folder, collected_at)
