"""One subscription's Azure Monitor calls: every query of :data:`metrics.QUERIES` for each VM,
SQL database and load balancer listed (``workers`` calls in flight), as ``metrics`` rows plus the
load balancers' health-probe availability (``lb_health.py``). Failed calls are one problem."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from azure.core.exceptions import AzureError

from collectors.azure.clients import AzureClients
from collectors.azure.lb_health import latest_availability
from collectors.azure.metrics import HEALTH, QUERIES, Query, Window, fetch_metrics, metric_rows
from collectors.azure.observed import Problem, describe
from collectors.azure.rows import Json, Row, arm_id

Ask = tuple[str, Query]  # resource URI (as listed), query


@dataclass
class Monitored:
    """``metrics`` rows, and lower-case load balancer id -> DipAvailability (see lb_health)."""

    rows: list[Row] = field(default_factory=list)
    availability: dict[str, float | None] = field(default_factory=dict)


def monitor(
    clients: AzureClients, sub: str, listed: Mapping[str, Sequence[Json]],
    memory: Mapping[str, float | None], window: Window, now: dt.datetime,
    problems: list[Problem],
) -> Monitored:  # fmt: skip
    """The metrics of the resources ``listed`` per resource type (ARM JSON)."""
    asks = [(str(item["id"]), q) for kind, items in listed.items() for item in items
            for q in QUERIES.get(kind, ())]  # fmt: skip

    def one(ask: Ask) -> Json | AzureError:
        try:
            return fetch_metrics(clients, sub, ask[0], ask[1], window)
        except AzureError as exc:
            return exc

    out = Monitored()
    failed: list[AzureError] = []
    with ThreadPoolExecutor(max_workers=clients.settings.workers) as pool:
        for (uri, query), got in zip(asks, pool.map(one, asks), strict=True):
            if isinstance(got, AzureError):
                failed.append(got)
                continue
            key = str(arm_id(uri))
            out.rows += metric_rows(sub, uri, got, memory.get(key), now)
            if HEALTH in query.names:
                out.availability[key] = latest_availability(got)
    if failed:
        message = f"{len(failed)} of {len(asks)} calls failed, e.g. {describe(failed[0])}"
        problems.append(Problem(sub, "metrics", message))
    return out
