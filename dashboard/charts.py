"""The dashboard's Altair charts (built from frames the queries aggregated; typed Any: Altair's
chained builders return loosely typed charts)."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd


def stacked_daily(daily: pd.DataFrame, currency: str | None, by: str) -> Any:
    """Daily spend as stacked bars, one colour per ``group``."""
    return (
        alt.Chart(daily)
        .mark_bar()
        .encode(
            x=alt.X("day:T", title="Day (UTC)"),
            y=alt.Y("sum(cost):Q", title=f"Effective cost ({currency or ''})"),
            color=alt.Color("group:N", title=by.capitalize()),
            tooltip=[
                "day:T",
                alt.Tooltip("group:N", title=by),
                alt.Tooltip("cost:Q", format=",.2f"),
            ],
        )
        .properties(height=320)
    )


def utilization(series: pd.DataFrame, lines: dict[str, float]) -> Any:
    """Hourly average and maximum of one metric, with the analyzer's thresholds drawn."""
    long = series.melt(id_vars=["hour"], value_vars=["average", "maximum"], var_name="statistic")
    base = alt.Chart(long).mark_line().encode(
        x=alt.X("hour:T", title="Hour (UTC)"), y=alt.Y("value:Q", title="CPU %"),
        color=alt.Color("statistic:N", title=None),
    )  # fmt: skip
    marks = pd.DataFrame([{"threshold": k, "value": v} for k, v in lines.items()],
                         columns=["threshold", "value"])  # fmt: skip
    rules = alt.Chart(marks).mark_rule(strokeDash=[6, 4], color="red").encode(
        y="value:Q", tooltip=["threshold:N", "value:Q"]
    )  # fmt: skip
    return alt.layer(base, rules).properties(height=280)


def ratio_lines(daily: pd.DataFrame, measure: str, by: str) -> Any:
    """A share (0-1) per day and ``by``, as lines."""
    return (
        alt.Chart(daily.dropna(subset=[measure]))
        .mark_line(point=True)
        .encode(
            x=alt.X("day:T", title="Day (UTC)"),
            y=alt.Y(f"{measure}:Q", title=measure.capitalize(), axis=alt.Axis(format="%")),
            color=alt.Color(f"{by}:N"),
            tooltip=["day:T", f"{by}:N", alt.Tooltip(f"{measure}:Q", format=".1%")],
        )
        .properties(height=260)
    )


def hourly_coverage(hourly: list[float]) -> Any:
    """The what-if's coverage hour by hour."""
    frame = pd.DataFrame({"hour": range(len(hourly)), "coverage": hourly})
    return (
        alt.Chart(frame)
        .mark_area(opacity=0.6)
        .encode(
            x=alt.X("hour:Q", title="Hour of the lookback"),
            y=alt.Y("coverage:Q", title="Coverage", axis=alt.Axis(format="%")),
        )
        .properties(height=200)
    )
