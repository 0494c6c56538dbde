"""The report's charts as PNG, rendered from Vega-Lite specs by vl-convert (its own JavaScript
engine and font: no browser, no network)."""

from __future__ import annotations

from typing import Any

import vl_convert as vlc

from reports.weekly.build import WeeklyReport

WIDTH, HEIGHT = 560, 220


def png(spec: dict[str, Any]) -> bytes:
    """One chart as PNG at twice the size, for sharp text on high-density screens."""
    return bytes(vlc.vegalite_to_png(spec, scale=2))


def daily_spec(report: WeeklyReport) -> dict[str, Any]:
    """Daily effective cost per provider, from the month-ago week to the report's week."""
    values = [
        {"day": d.day.isoformat(), "provider": d.provider, "cost": float(d.cost)}
        for d in report.daily
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": "Daily spend by provider",
        "width": WIDTH, "height": HEIGHT, "background": "white",
        "data": {"values": values},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "day", "type": "temporal", "title": None},
            "y": {"field": "cost", "type": "quantitative", "title": "effective cost / day"},
            "color": {"field": "provider", "type": "nominal"},
        },
    }  # fmt: skip


def savings_spec(report: WeeklyReport) -> dict[str, Any]:
    """Gross and (where computed) net monthly savings per family."""
    values: list[dict[str, Any]] = []
    for f in report.findings.by_family:
        values.append({"family": f.family, "kind": "gross", "savings": float(f.gross)})
        if f.net is not None:
            values.append({"family": f.family, "kind": "net", "savings": float(f.net)})
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": "Monthly savings by family",
        "width": WIDTH, "height": HEIGHT, "background": "white",
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "y": {"field": "family", "type": "nominal", "title": None},
            "yOffset": {"field": "kind"},
            "x": {"field": "savings", "type": "quantitative", "title": "per month"},
            "color": {"field": "kind", "type": "nominal", "title": None},
        },
    }  # fmt: skip


def charts(report: WeeklyReport) -> dict[str, bytes]:
    """The PNGs by name (``daily``, ``savings``); a chart with no data is left out."""
    out = {}
    if report.daily:
        out["daily"] = png(daily_spec(report))
    if report.findings.by_family:
        out["savings"] = png(savings_spec(report))
    return out
