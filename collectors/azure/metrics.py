"""Hourly Azure Monitor metrics (``metrics.list``, interval PT1H) of virtual machines, SQL
databases and load balancers.

| ``metric`` | from |
|---|---|
| ``cpu_percent`` | VM ``Percentage CPU``, SQL database ``cpu_percent``: Average / Maximum (0-100) |
| ``network_in_bytes``, ``network_out_bytes`` | VM ``Network In Total`` / ``Network Out Total`` Total: bytes in the hour (``avg_value``) |
| ``memory_percent`` | VM ``Available Memory Bytes``: 100 x (1 - available / the size's memory); Average gives ``avg_value``, Minimum ``max_value`` |
| ``connections`` | SQL database ``connection_successful`` Total: connections opened in the hour |
| ``requests`` | load balancer ``PacketCount`` Total: packets in the hour (a layer-4 balancer sees no requests) |

Load balancers' ``ByteCount`` comes in the same call and is not stored (it adds both
directions); their ``DipAvailability`` (health probes, 0-100) becomes ``healthy_targets`` in the
``lb`` row (``lb_health.py``), not a metric. An hour Azure Monitor has no value for has no row;
``samples`` is 1 per hourly value.
"""  # noqa: E501

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from collectors.azure.clients import AzureClients
from collectors.azure.rows import PROVIDER, Json, Row, arm_id, timestamp

INTERVAL = "PT1H"
CPU = "Percentage CPU"
NET_IN, NET_OUT = "Network In Total", "Network Out Total"
MEMORY = "Available Memory Bytes"
HEALTH = "DipAvailability"


@dataclass(frozen=True)
class Query:
    """One metrics.list call's metric names and aggregations."""

    names: tuple[str, ...]
    aggregation: str


VM_QUERIES = (
    Query((CPU,), "Average,Maximum"),
    Query((NET_IN, NET_OUT), "Total"),
    Query((MEMORY,), "Average,Minimum"),
)
DB_QUERIES = (
    Query(("cpu_percent",), "Average,Maximum"),
    Query(("connection_successful",), "Total"),
)
LB_QUERIES = (Query(("ByteCount", "PacketCount"), "Total"), Query((HEALTH,), "Average"))
QUERIES = {"vm": VM_QUERIES, "db": DB_QUERIES, "lb": LB_QUERIES}
# Azure metric name -> (metrics.metric, aggregation for avg_value, aggregation for max_value)
SIMPLE = {
    CPU: ("cpu_percent", "average", "maximum"),
    "cpu_percent": ("cpu_percent", "average", "maximum"),
    NET_IN: ("network_in_bytes", "total", None),
    NET_OUT: ("network_out_bytes", "total", None),
    "connection_successful": ("connections", "total", None),
    "PacketCount": ("requests", "total", None),
}


@dataclass(frozen=True)
class Window:
    """The hours asked for: ``start`` <= hour < ``end``."""

    start: dt.datetime
    end: dt.datetime

    @classmethod
    def before(cls, now: dt.datetime, days: int) -> Window:
        """``days`` whole days before the hour ``now`` lies in."""
        end = now.replace(minute=0, second=0, microsecond=0)
        return cls(end - dt.timedelta(days=days), end)

    def timespan(self) -> str:
        return f"{_iso(self.start)}/{_iso(self.end)}"


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def fetch_metrics(
    clients: AzureClients, subscription: str, resource_uri: str, query: Query, window: Window
) -> Json:
    """One metrics.list response as ARM JSON."""
    response = clients.monitor(subscription).metrics.list(
        resource_uri.lstrip("/"),
        timespan=window.timespan(),
        interval=INTERVAL,
        metricnames=",".join(query.names),
        aggregation=query.aggregation,
    )
    return dict(response.serialize(keep_readonly=True))


def metric_rows(
    subscription: str,
    resource_id: str,
    response: Json,
    memory_gib: float | None,
    collected_at: dt.datetime,
) -> list[Row]:
    """``metrics`` rows of one response (any of the :data:`QUERIES`)."""
    rows = []
    for metric in response.get("value") or []:
        name = str((metric.get("name") or {}).get("value"))
        for point in _points(metric):
            values = _values(name, point, memory_gib)
            for metric_name, avg, peak in values:
                rows.append({
                    "provider": PROVIDER, "account_id": subscription,
                    "resource_id": arm_id(resource_id), "metric": metric_name,
                    "hour": timestamp(point.get("timeStamp")), "avg_value": avg,
                    "max_value": peak, "samples": 1, "collected_at": collected_at,
                })  # fmt: skip
    return rows


def _points(metric: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    for series in metric.get("timeseries") or []:
        yield from series.get("data") or []


def _values(
    name: str, point: Mapping[str, Any], memory_gib: float | None
) -> list[tuple[str, float | None, float | None]]:
    if name in SIMPLE:
        metric, avg, peak = SIMPLE[name]
        if point.get(avg) is None:
            return []
        return [(metric, float(point[avg]), _num(point.get(peak)) if peak else None)]
    if name == MEMORY and memory_gib and point.get("average") is not None:
        total = memory_gib * 2**30
        used = _used_percent(point["average"], total)
        return [("memory_percent", used, _used_percent(point.get("minimum"), total))]
    return []


def _used_percent(available: object, total: float) -> float | None:
    """Percent of memory in use given bytes available, clamped to 0-100."""
    if available is None:
        return None
    return min(100.0, max(0.0, 100.0 * (1 - float(str(available)) / total)))


def _num(value: object) -> float | None:
    return None if value is None else float(str(value))
