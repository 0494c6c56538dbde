"""CloudWatch utilization, hourly: GetMetricData (Period 3600, at most 500 queries a call, every
page) over the configured look-back, and ListMetrics to find the CloudWatch agent's memory metric
with the dimensions the agent actually reports.

What becomes which ``metrics`` row (``avg_value`` / ``max_value``):

- ``cpu_percent``: EC2 and RDS ``CPUUtilization`` Average / Maximum (0-100).
- ``memory_percent``: CloudWatch agent ``CWAgent`` ``mem_used_percent`` Average / Maximum.
- ``network_in_bytes``, ``network_out_bytes``: EC2 ``NetworkIn`` / ``NetworkOut`` Sum, the bytes
  of the hour.
- ``disk_read_iops``, ``disk_write_iops``: EC2 ``EBSReadOps`` / ``EBSWriteOps`` and EBS
  ``VolumeReadOps`` / ``VolumeWriteOps`` Sum / 3600; RDS ``ReadIOPS`` / ``WriteIOPS`` Average.
- ``connections``: RDS ``DatabaseConnections`` and NLB ``ActiveFlowCount`` Average / Maximum.
- ``requests``: ALB ``RequestCount`` Sum, the requests of the hour. CloudWatch sends no datapoint
  for an hour without requests, so those hours become 0 with ``samples`` 0 (from the load
  balancer's creation on).

``samples`` is the number of CloudWatch hourly datapoints behind a row (1, or 0 when filled).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from collectors.aws.rows import PROVIDER, Page, Row, partition, timestamp

PERIOD = 3600
MAX_QUERIES = 500  # GetMetricData's limit per call
HOUR = dt.timedelta(hours=1)
Stat = tuple[str, str, str]  # namespace, metric name, statistic


@dataclass(frozen=True)
class Spec:
    """How one CloudWatch statistic becomes a ``metrics`` value."""

    metric: str
    column: str  # avg_value | max_value
    scale: float = 1.0
    zero_fill: bool = False


SPECS: dict[Stat, Spec] = {
    ("AWS/EC2", "CPUUtilization", "Average"): Spec("cpu_percent", "avg_value"),
    ("AWS/EC2", "CPUUtilization", "Maximum"): Spec("cpu_percent", "max_value"),
    ("AWS/EC2", "NetworkIn", "Sum"): Spec("network_in_bytes", "avg_value"),
    ("AWS/EC2", "NetworkOut", "Sum"): Spec("network_out_bytes", "avg_value"),
    ("AWS/EC2", "EBSReadOps", "Sum"): Spec("disk_read_iops", "avg_value", 1 / PERIOD),
    ("AWS/EC2", "EBSWriteOps", "Sum"): Spec("disk_write_iops", "avg_value", 1 / PERIOD),
    ("AWS/EBS", "VolumeReadOps", "Sum"): Spec("disk_read_iops", "avg_value", 1 / PERIOD),
    ("AWS/EBS", "VolumeWriteOps", "Sum"): Spec("disk_write_iops", "avg_value", 1 / PERIOD),
    ("CWAgent", "mem_used_percent", "Average"): Spec("memory_percent", "avg_value"),
    ("CWAgent", "mem_used_percent", "Maximum"): Spec("memory_percent", "max_value"),
    ("AWS/RDS", "CPUUtilization", "Average"): Spec("cpu_percent", "avg_value"),
    ("AWS/RDS", "CPUUtilization", "Maximum"): Spec("cpu_percent", "max_value"),
    ("AWS/RDS", "DatabaseConnections", "Average"): Spec("connections", "avg_value"),
    ("AWS/RDS", "DatabaseConnections", "Maximum"): Spec("connections", "max_value"),
    ("AWS/RDS", "ReadIOPS", "Average"): Spec("disk_read_iops", "avg_value"),
    ("AWS/RDS", "WriteIOPS", "Average"): Spec("disk_write_iops", "avg_value"),
    ("AWS/NetworkELB", "ActiveFlowCount", "Average"): Spec("connections", "avg_value"),
    ("AWS/NetworkELB", "ActiveFlowCount", "Maximum"): Spec("connections", "max_value"),
    ("AWS/ApplicationELB", "RequestCount", "Sum"): Spec("requests", "avg_value", zero_fill=True),
}
MEMORY: tuple[str, str] = ("CWAgent", "mem_used_percent")


def _plan(row: Row) -> tuple[str, str, list[Stat]]:
    """(dimension name, value, statistics) to ask for a ``resources`` row; none: nothing."""
    kind, rid, attrs = row["resource_type"], row["resource_id"], dict(row["attributes"])
    namespace = {"vm": "AWS/EC2", "disk": "AWS/EBS", "db": "AWS/RDS"}.get(kind)
    if kind == "lb":
        namespace = {"application": "AWS/ApplicationELB", "network": "AWS/NetworkELB"}.get(
            row["sku"] or ""
        )
    if namespace is None or (kind == "disk" and not row["attached_to"]):
        return "", "", []
    stats = [s for s in SPECS if s[0] == namespace]
    if kind == "vm":
        return "InstanceId", rid, stats
    if kind == "disk":
        return "VolumeId", rid, stats
    if kind == "db":
        return "DBInstanceIdentifier", attrs.get("identifier", rid.rsplit(":", 1)[-1]), stats
    return "LoadBalancer", rid.split(":loadbalancer/", 1)[1], stats


def build_queries(
    rows: Iterable[Row], memory: Mapping[str, list[dict[str, str]]]
) -> list[dict[str, Any]]:
    """MetricDataQueries (ids ``q0``, ``q1`` ...) for the resources' metrics; ``memory`` maps an
    instance id to the dimensions its CloudWatch agent reports ``mem_used_percent`` under."""
    wanted: list[tuple[list[dict[str, str]], Stat]] = []
    for row in rows:
        name, value, stats = _plan(row)
        wanted += [([{"Name": name, "Value": value}], stat) for stat in stats]
        if row["resource_type"] == "vm" and row["resource_id"] in memory:
            dims = memory[row["resource_id"]]
            wanted += [(dims, s) for s in SPECS if s[:2] == MEMORY]
    return [
        {
            "Id": f"q{i}",
            "MetricStat": {
                "Metric": {"Namespace": ns, "MetricName": name, "Dimensions": dims},
                "Period": PERIOD,
                "Stat": stat,
            },
            "ReturnData": True,
        }
        for i, (dims, (ns, name, stat)) in enumerate(wanted)
    ]


def fetch_memory_metrics(cloudwatch: Any) -> list[Page]:
    """ListMetrics for the CloudWatch agent's ``mem_used_percent``, every page."""
    paginator = cloudwatch.get_paginator("list_metrics")
    return list(paginator.paginate(Namespace=MEMORY[0], MetricName=MEMORY[1]))


def memory_dimensions(
    pages: Iterable[Page], types: Mapping[str, str]
) -> dict[str, list[dict[str, str]]]:
    """Instance id -> the dimension set to query its memory by: the one naming its current
    instance type when the agent adds that dimension, else the one with fewest dimensions."""
    found: dict[str, list[list[dict[str, str]]]] = {}
    for page in pages:
        for metric in page.get("Metrics", []):
            dims = [{"Name": d["Name"], "Value": d["Value"]} for d in metric.get("Dimensions", [])]
            iid = {d["Name"]: d["Value"] for d in dims}.get("InstanceId")
            if iid:
                found.setdefault(iid, []).append(sorted(dims, key=lambda d: d["Name"]))

    def rank(iid: str, dims: list[dict[str, str]]) -> tuple[bool, int, str]:
        named = {d["Name"]: d["Value"] for d in dims}.get("InstanceType")
        return (named is not None and named != types.get(iid), len(dims), str(dims))

    return {iid: min(sets, key=lambda d: rank(iid, d)) for iid, sets in found.items()}


def fetch_metric_data(
    cloudwatch: Any, queries: Sequence[dict[str, Any]], start: dt.datetime, end: dt.datetime
) -> list[Page]:
    """GetMetricData for every query, in batches of 500, every page."""
    paginator = cloudwatch.get_paginator("get_metric_data")
    pages: list[Page] = []
    for i in range(0, len(queries), MAX_QUERIES):
        batch = list(queries[i : i + MAX_QUERIES])
        pages += paginator.paginate(
            MetricDataQueries=batch, StartTime=start, EndTime=end, ScanBy="TimestampAscending"
        )
    return pages


def resource_id(account_id: str, region: str, dims: Iterable[Mapping[str, str]]) -> str | None:
    """The warehouse resource id a metric's dimensions name (None: not a resource's metric)."""
    d = {x["Name"]: x["Value"] for x in dims}
    if "InstanceId" in d:
        return d["InstanceId"]
    if "VolumeId" in d:
        return d["VolumeId"]
    arn = f"arn:{partition(region)}"
    if "DBInstanceIdentifier" in d:
        return f"{arn}:rds:{region}:{account_id}:db:{d['DBInstanceIdentifier']}"
    if "LoadBalancer" in d and "TargetGroup" not in d:
        return f"{arn}:elasticloadbalancing:{region}:{account_id}:loadbalancer/{d['LoadBalancer']}"
    return None


@dataclass(frozen=True)
class Window:
    """The metric window: whole hours from ``start`` (inclusive) to ``end`` (exclusive)."""

    start: dt.datetime
    end: dt.datetime

    @classmethod
    def ending(cls, now: dt.datetime, days: int) -> Window:
        """The ``days`` whole days of hours before ``now``'s hour."""
        end = floor_hour(now)
        return cls(end - dt.timedelta(days=days), end)

    def hours(self, since: dt.datetime | None = None) -> list[dt.datetime]:
        """Every hour of the window, from ``since``'s hour on when given."""
        first = max(self.start, floor_hour(since)) if since else self.start
        count = max(0, int((self.end - first) / HOUR))
        return [first + i * HOUR for i in range(count)]


def floor_hour(moment: dt.datetime) -> dt.datetime:
    """The start of the hour ``moment`` falls in."""
    return moment.replace(minute=0, second=0, microsecond=0)


Cells = dict[tuple[str, str, dt.datetime], dict[str, Any]]


def metric_rows(
    account_id: str,
    region: str,
    queries: Sequence[Mapping[str, Any]],
    pages: Iterable[Page],
    window: Window,
    collected_at: dt.datetime,
    created: Mapping[str, dt.datetime | None] | None = None,
) -> list[Row]:
    """``metrics`` rows from GetMetricData pages and the queries they answer (pure)."""
    asked = {q["Id"]: q for q in queries}
    cells: Cells = {}
    for page in pages:
        for result in page.get("MetricDataResults", []):
            found = _spec(account_id, region, asked.get(result["Id"]))
            if found is None:
                continue
            rid, spec = found
            for stamp, value in zip(result["Timestamps"], result["Values"], strict=True):
                hour = floor_hour(timestamp(stamp) or window.start)
                if window.start <= hour < window.end:
                    cell = cells.setdefault((rid, spec.metric, hour), {"samples": 1})
                    cell[spec.column] = float(value) * spec.scale
    _fill_zeros(cells, account_id, region, queries, window, created or {})
    return [
        {
            "provider": PROVIDER, "account_id": account_id, "resource_id": rid, "metric": metric,
            "hour": hour, "avg_value": cell.get("avg_value"), "max_value": cell.get("max_value"),
            "samples": cell["samples"], "collected_at": collected_at,
        }
        for (rid, metric, hour), cell in sorted(cells.items())
    ]  # fmt: skip


def _spec(account_id: str, region: str, query: Mapping[str, Any] | None) -> tuple[str, Spec] | None:
    if query is None or "MetricStat" not in query:
        return None
    stat = query["MetricStat"]
    metric = stat["Metric"]
    spec = SPECS.get((metric["Namespace"], metric["MetricName"], stat["Stat"]))
    rid = resource_id(account_id, region, metric.get("Dimensions", []))
    if spec is None or rid is None or int(stat["Period"]) != PERIOD:
        return None
    return rid, spec


def _fill_zeros(
    cells: Cells,
    account_id: str,
    region: str,
    queries: Iterable[Mapping[str, Any]],
    window: Window,
    created: Mapping[str, dt.datetime | None],
) -> None:
    for query in queries:
        found = _spec(account_id, region, query)
        if found is None or not found[1].zero_fill:
            continue
        rid, spec = found
        for hour in window.hours(created.get(rid)):
            cells.setdefault((rid, spec.metric, hour), {spec.column: 0.0, "samples": 0})
