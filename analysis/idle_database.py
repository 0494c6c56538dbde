"""Idle: databases without a single connection for `days` (Trusted Advisor's RDS rule, Cloud SQL
and Azure SQL alike, checks.md section 7 no. 7). Databases the bill shows but no connection
counts cover are reported as not judgeable."""

from __future__ import annotations

from typing import Any

from analysis.findings import Finding, Reason
from analysis.idle_common import (
    BILL_ONLY,
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

CHECK, ACTION = "idle_database", "stop or delete the database"
PAUSED = ("stopped", "stopping", "paused", "pausing", "suspended", "deleting")

SQL = f"""
WITH db AS (
    SELECT r.provider, r.account_id, r.region, r.resource_id, r.resource_type, r.sku,
           r.created_at, r.state FROM resources r
    WHERE r.resource_type = 'db' AND coalesce(lower(r.state), '') NOT IN {PAUSED!r}
    UNION ALL
    SELECT provider, account_id, region, resource_id, 'db', NULL, NULL, NULL
    FROM ({BILL_ONLY}) b WHERE b.bill_category = 'Databases'
), use AS (
    SELECT m.provider, lower(m.resource_id) AS rid, count(DISTINCT m.hour) AS hours,
           max(coalesce(m.max_value, m.avg_value)) AS peak, avg(m.avg_value) AS mean
    FROM metrics m
    WHERE m.metric = 'connections' AND m.hour >= $start AND m.hour < $end
    GROUP BY 1, 2
)
SELECT db.*, u.hours, u.peak, u.mean, c.monthly_cost, c.currency
FROM db
LEFT JOIN use u ON u.provider = db.provider AND u.rid = lower(db.resource_id)
LEFT JOIN resource_costs c ON c.provider = db.provider AND c.rid = lower(db.resource_id)
ORDER BY db.provider, db.resource_id
"""


class IdleDatabaseParams(Params):
    """Trusted Advisor's idle database rule."""

    days: int = param(7, "days", "lookback window of the connection counts", ge=1, le=93)
    max_connections: float = param(
        0.0, "connections", "most connections an idle hour may show", ge=0
    )
    min_coverage: float = param(
        0.8, "-", "share of the window's hours that must have connection counts", ge=0, le=1
    )


def judge(
    ctx: RunContext, row: dict[str, Any], p: IdleDatabaseParams, span: Window
) -> Finding | None:
    coverage = (row["hours"] or 0) / span.hours
    evidence = {
        **window_evidence(span),
        "connections_peak": row["peak"],
        "connections_per_hour": row["mean"],
        "coverage": round(coverage, 4),
        "thresholds": {"max_connections": p.max_connections, "days": p.days},
    }
    if row["peak"] is not None and row["peak"] > p.max_connections:
        return None
    if coverage < p.min_coverage:
        why = (
            f"connection counts cover {coverage:.0%} of the window's hours (< {p.min_coverage:.0%})"
        )
        return cannot_judge(row, CHECK, ACTION, why, evidence)
    cost = priced(ctx.con, row)
    reasons = [
        coverage_reason(coverage, p.min_coverage),
        Reason("connections", 1.0, f"at most {row['peak']:g} connections in any hour"),
        age_reason(row["created_at"], ctx.end, p.days),
        cost_reason(cost),
    ]
    return idle_finding(row, CHECK, ACTION, cost, reasons, evidence)


def run(ctx: RunContext, params: IdleDatabaseParams) -> list[Finding]:
    span = ctx.window(params.days)
    binds = {"start": span.start, "end": span.end}
    return judge_rows(ctx.con, SQL, binds, lambda row: judge(ctx, row, params, span))


ANALYZER = register(
    Analyzer(
        name=CHECK,
        family="idle",
        summary="Databases without a connection for a week: stop or delete them (saves their"
        " whole cost); databases without connection counts are reported as not judgeable.",
        params=IdleDatabaseParams,
        run=run,
    )
)
