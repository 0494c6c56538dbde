"""Idle: load balancers with no healthy (or no registered) targets, or serving under
`requests_per_day` on every day of the window (Trusted Advisor's rule, checks.md section 7 no. 3).
Target counts come from inventory attributes where the provider reports them."""

from __future__ import annotations

from typing import Any

from analysis.findings import Finding, Reason
from analysis.idle_common import (
    age_reason,
    cannot_judge,
    cost_reason,
    coverage_reason,
    idle_finding,
    window_evidence,
)
from analysis.params import Params, param
from analysis.pricing import judge_rows, priced
from analysis.registry import Analyzer, RunContext, register
from analysis.window import Window

CHECK, ACTION = "idle_load_balancer", "delete the load balancer"

SQL = """
WITH lb AS (
    SELECT r.*, lower(r.resource_id) AS rid, c.monthly_cost, c.currency FROM resources r
    LEFT JOIN resource_costs c ON c.provider = r.provider AND c.rid = lower(r.resource_id)
    WHERE r.resource_type = 'lb'
), daily AS (
    SELECT m.provider, lower(m.resource_id) AS rid, date_trunc('day', m.hour) AS day,
           sum(m.avg_value) AS requests, count(*) AS hours
    FROM metrics m
    WHERE m.metric = 'requests' AND m.hour >= $start AND m.hour < $end
    GROUP BY 1, 2, 3
), traffic AS (
    SELECT provider, rid, sum(hours) AS hours, max(requests) AS busiest_day,
           sum(requests) / count(*) AS requests_per_day FROM daily GROUP BY 1, 2
)
SELECT lb.provider, lb.account_id, lb.region, lb.resource_id, lb.resource_type, lb.sku,
       lb.created_at, lb.monthly_cost, lb.currency,
       TRY_CAST(lb.attributes['healthy_targets'] AS INTEGER) AS healthy_targets,
       TRY_CAST(lb.attributes['registered_targets'] AS INTEGER) AS registered_targets,
       t.hours, t.busiest_day, t.requests_per_day
FROM lb LEFT JOIN traffic t ON t.provider = lb.provider AND t.rid = lb.rid
ORDER BY lb.provider, lb.resource_id
"""


class IdleLbParams(Params):
    """Trusted Advisor's idle load balancer rule."""

    days: int = param(7, "days", "lookback window of the request counts", ge=1, le=93)
    requests_per_day: float = param(100.0, "requests/day", "every day under this is idle", ge=0)
    min_coverage: float = param(
        0.8, "-", "share of the window's hours that must have request counts", ge=0, le=1
    )


def no_targets(row: dict[str, Any]) -> str | None:
    """Why the target counts say idle, if they do."""
    for key in ("registered_targets", "healthy_targets"):
        if row[key] == 0:
            return f"{key.replace('_', ' ')}: 0"
    return None


def quiet(row: dict[str, Any], p: IdleLbParams, span: Window) -> bool | None:
    """Whether every day had under the threshold of requests; None: too few samples."""
    if not row["hours"] or row["hours"] / span.hours < p.min_coverage:
        return None
    return bool(row["busiest_day"] < p.requests_per_day)


def judge(ctx: RunContext, row: dict[str, Any], p: IdleLbParams, span: Window) -> Finding | None:
    targets, traffic = no_targets(row), quiet(row, p, span)
    evidence = {
        **window_evidence(span),
        "healthy_targets": row["healthy_targets"],
        "registered_targets": row["registered_targets"],
        "requests_per_day": row["requests_per_day"],
        "busiest_day": row["busiest_day"],
        "coverage": round((row["hours"] or 0) / span.hours, 4),
        "thresholds": {"requests_per_day": p.requests_per_day},
    }
    if targets is None and not traffic:
        if traffic is False or (row["busiest_day"] or 0) >= p.requests_per_day:
            return None  # requests seen: serving
        why = "no target counts say idle and request counts cover too little of the window"
        return cannot_judge(row, CHECK, ACTION, why, evidence)
    cost = priced(ctx.con, row)
    reasons = [cost_reason(cost), age_reason(row["created_at"], ctx.end, p.days)]
    if traffic:
        reasons.append(coverage_reason(row["hours"] / span.hours, p.min_coverage))
    if targets and traffic is not True:
        reasons.append(
            Reason(
                "traffic",
                0.9 if traffic is None else 0.8,
                f"{targets}, but requests {'unknown' if traffic is None else 'seen'}",
            )
        )
    return idle_finding(row, CHECK, ACTION, cost, reasons, evidence)


def run(ctx: RunContext, params: IdleLbParams) -> list[Finding]:
    span = ctx.window(params.days)
    binds = {"start": span.start, "end": span.end}
    return judge_rows(ctx.con, SQL, binds, lambda row: judge(ctx, row, params, span))


ANALYZER = register(
    Analyzer(
        name=CHECK,
        family="idle",
        summary="Load balancers with no healthy or no registered targets, or under 100 requests"
        " on every day of a week: delete them (saves their whole cost).",
        params=IdleLbParams,
        run=run,
    )
)
