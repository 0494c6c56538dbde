"""Time series as the metric normalizer reads them: what a series is about and its (aligned end,
value) points, from the protobuf messages a live call returns (:func:`from_pb`: converting
thousands of points to JSON first would cost more than the call) or from recorded REST JSON
(:func:`series_from_json`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, NamedTuple

from collectors.gcp.rows import UTC, Json, timestamp


class Series(NamedTuple):
    """One time series: what it is about and its (aligned end, value) points."""

    resource_type: str
    resource_labels: dict[str, str]
    metric_labels: dict[str, str]
    points: list[tuple[dt.datetime, float]]


def from_pb(series: Any) -> Series:
    points = []
    for point in series.points:
        value = _pb_value(point.value)
        if value is not None:
            end = dt.datetime.fromtimestamp(point.interval.end_time.seconds, UTC)
            points.append((end, value))
    return Series(series.resource.type, dict(series.resource.labels),
                  dict(series.metric.labels), points)  # fmt: skip


def _pb_value(value: Any) -> float | None:
    kind = value.WhichOneof("value")
    if kind in {"double_value", "int64_value"}:
        return float(getattr(value, kind))
    return float(value.distribution_value.mean) if kind == "distribution_value" else None


def series_from_json(pages: Iterable[Json]) -> list[Series]:
    """The time series of ListTimeSeriesResponse pages as REST JSON (recorded answers)."""
    out = []
    for series in (s for page in pages for s in page.get("timeSeries") or []):
        points = []
        for point in series.get("points") or []:
            end = timestamp((point.get("interval") or {}).get("endTime"))
            value = _number(point.get("value") or {})
            if end is not None and value is not None:
                points.append((end, value))
        res, metric = series.get("resource") or {}, series.get("metric") or {}
        out.append(Series(str(res.get("type")), dict(res.get("labels") or {}),
                          dict(metric.get("labels") or {}), points))  # fmt: skip
    return out


def _number(value: Json) -> float | None:
    for key in ("doubleValue", "int64Value"):
        if key in value:
            return float(value[key])
    if "distributionValue" in value:
        return float((value["distributionValue"] or {}).get("mean", 0.0))
    return None
