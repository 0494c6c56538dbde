"""Hourly Cloud Monitoring utilization (``projects.timeSeries.list``, alignment period 3600 s)
of instances, Cloud SQL databases and regional external Application Load Balancers.

| ``metric`` | from (aligner) |
|---|---|
| ``cpu_percent`` | ``compute.googleapis.com/instance/cpu/utilization`` ALIGN_MEAN -> ``avg_value``, ALIGN_MAX -> ``max_value``; ``cloudsql.googleapis.com/database/cpu/utilization`` ALIGN_MEAN (0-1 ratios, stored x 100) |
| ``network_in_bytes``, ``network_out_bytes`` | ``instance/network/received_bytes_count`` / ``sent_bytes_count`` ALIGN_SUM: bytes in the hour, summed over the series (``loadbalanced`` true and false) |
| ``memory_percent`` | ``agent.googleapis.com/memory/percent_used`` (state ``used``) ALIGN_MEAN, only where the Ops Agent runs |
| ``connections`` | ``cloudsql.googleapis.com/database/network/connections`` ALIGN_MEAN |
| ``requests`` | ``loadbalancing.googleapis.com/https/external/regional/request_count`` ALIGN_SUM |

An aligned point ending at ``t`` is the hour ``t - 1 h``; ``samples`` is 1 per hourly value.
An hour Cloud Monitoring has no point for has no row.
"""  # noqa: E501

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from google.cloud import monitoring_v3

from collectors.gcp.clients import GcpClients
from collectors.gcp.inventory_sql import sql_id
from collectors.gcp.rows import COMPUTE, PROVIDER, Row
from collectors.gcp.series import Series, from_pb

HOUR = dt.timedelta(hours=1)
PERIOD = 3600


@dataclass(frozen=True)
class Query:
    """One list_time_series call and the ``metrics`` column it fills."""

    metric_type: str
    resource_type: str
    aligner: str
    metric: str
    column: str = "avg_value"
    scale: float = 1.0
    summed: bool = False  # several series of one resource add up (byte and request counts)
    extra: str = ""

    def filter(self) -> str:
        text = f'metric.type = "{self.metric_type}" AND resource.type = "{self.resource_type}"'
        return f"{text} AND {self.extra}" if self.extra else text

    def file_name(self) -> str:
        """The recorded response's file name (``fixtures/demo/gcp/metrics/<project>/``)."""
        return f"{self.metric_type.replace('/', '_')}.{self.aligner}.json.gz"


VM, SQL, LB = "gce_instance", "cloudsql_database", "http_external_regional_lb_rule"
CPU = "compute.googleapis.com/instance/cpu/utilization"
NET = "compute.googleapis.com/instance/network/"
QUERIES = (
    Query(CPU, VM, "ALIGN_MEAN", "cpu_percent", scale=100.0),
    Query(CPU, VM, "ALIGN_MAX", "cpu_percent", "max_value", scale=100.0),
    Query(NET + "received_bytes_count", VM, "ALIGN_SUM", "network_in_bytes", summed=True),
    Query(NET + "sent_bytes_count", VM, "ALIGN_SUM", "network_out_bytes", summed=True),
    Query("agent.googleapis.com/memory/percent_used", VM, "ALIGN_MEAN", "memory_percent",
          extra='metric.labels.state = "used"'),
    Query("cloudsql.googleapis.com/database/cpu/utilization", SQL, "ALIGN_MEAN", "cpu_percent",
          scale=100.0),
    Query("cloudsql.googleapis.com/database/network/connections", SQL, "ALIGN_MEAN",
          "connections"),
    Query("loadbalancing.googleapis.com/https/external/regional/request_count", LB,
          "ALIGN_SUM", "requests", summed=True),
)  # fmt: skip


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


def fetch_series(clients: GcpClients, project: str, query: Query, window: Window) -> list[Series]:
    """One query's time series, every page (read from the protobuf messages: converting
    thousands of points to JSON first would cost more than the call)."""
    request = monitoring_v3.ListTimeSeriesRequest(
        name=f"projects/{project}",
        filter=query.filter(),
        interval=monitoring_v3.TimeInterval(start_time=window.start, end_time=window.end),
        aggregation=monitoring_v3.Aggregation(
            alignment_period={"seconds": PERIOD}, per_series_aligner=query.aligner
        ),
        view=monitoring_v3.ListTimeSeriesRequest.TimeSeriesView.FULL,
    )
    pager = clients.monitoring.list_time_series(request=request, retry=clients.retry)
    return [from_pb(s) for page in pager.pages for s in type(page).pb(page).time_series]


def series_resource(series: Series, instances: Mapping[str, str]) -> str | None:
    """The resource id a series is about (instances by numeric id, else by name)."""
    labels, kind = series.resource_labels, series.resource_type
    project = labels.get("project_id")
    if kind == VM:
        found = instances.get(str(labels.get("instance_id")))
        name = series.metric_labels.get("instance_name")
        if found or not name:
            return found
        return f"{COMPUTE}projects/{project}/zones/{labels.get('zone')}/instances/{name}"
    if kind == SQL and ":" in str(labels.get("database_id")):
        return sql_id(*str(labels["database_id"]).split(":", 1))
    if kind == LB and labels.get("forwarding_rule_name"):
        return (f"{COMPUTE}projects/{project}/regions/{labels.get('region')}"
                f"/forwardingRules/{labels['forwarding_rule_name']}")  # fmt: skip
    return None


def metric_rows(
    project: str, answers: Iterable[tuple[Query, list[Series]]],
    instances: Mapping[str, str], collected_at: dt.datetime,
) -> list[Row]:  # fmt: skip
    """``metrics`` rows of one project's answers; ``instances``: numeric id -> resource id."""
    rows: dict[tuple[str, str, dt.datetime], Row] = {}
    for query, found in answers:
        for series in found:
            rid = series_resource(series, instances)
            if rid is None:
                continue
            for end, value in series.points:
                hour, value = end - HOUR, value * query.scale
                row = rows.setdefault((rid, query.metric, hour), {
                    "provider": PROVIDER, "account_id": project, "resource_id": rid,
                    "metric": query.metric, "hour": hour, "avg_value": None, "max_value": None,
                    "samples": 1, "collected_at": collected_at,
                })  # fmt: skip
                old = row[query.column]
                row[query.column] = value + old if query.summed and old is not None else value
    return list(rows.values())
