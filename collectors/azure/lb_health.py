"""Load balancer backend health from Azure Monitor's ``DipAvailability`` (health probe status,
0-100, averaged over the backend instances), stored in the ``lb`` row the way AWS stores
DescribeTargetHealth: ``attributes.healthy_targets`` = registered_targets x availability / 100
(rounded) at the last hour with a value, and ``attributes.probe_availability_percent`` that
value. Azure sends no value at all when no probe has a target (an empty pool): 0 healthy.

A load balancer whose health call failed keeps its row without the two attributes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from collectors.azure.metrics import HEALTH
from collectors.azure.rows import Json, Row, attributes


def latest_availability(response: Json) -> float | None:
    """The DipAvailability Average of the last hour that has one (None: no value at all)."""
    points = [
        point
        for metric in response.get("value") or []
        if (metric.get("name") or {}).get("value") == HEALTH
        for series in metric.get("timeseries") or []
        for point in series.get("data") or []
        if point.get("average") is not None
    ]
    if not points:
        return None
    return float(max(points, key=lambda p: str(p.get("timeStamp")))["average"])


def with_health(rows: Iterable[Row], availability: Mapping[str, float | None]) -> list[Row]:
    """The rows, ``lb`` rows whose id is in ``availability`` with their health attributes."""
    return [_healthy(r, availability[r["resource_id"]])
            if r["resource_type"] == "lb" and r["resource_id"] in availability else r
            for r in rows]  # fmt: skip


def _healthy(row: Row, percent: float | None) -> Row:
    attrs = dict(row["attributes"])
    registered = int(attrs.get("registered_targets") or 0)
    healthy = round(registered * (percent or 0.0) / 100)
    added = attributes(healthy_targets=healthy, probe_availability_percent=percent)
    return {**row, "attributes": sorted({**attrs, **dict(added)}.items())}
