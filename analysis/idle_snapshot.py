"""Idle: disk snapshots older than `max_age_days` (`old_snapshot`), and younger ones at least
`orphan_min_days` old whose source disk is gone (`orphaned_snapshot`), checks.md section 7 no. 6.
Snapshots only the bill knows count too: billed since a date means at least that old. Savings
are their billed run rate, else size x the per-GB-month list price."""

from __future__ import annotations

from typing import Any

from analysis.findings import Finding, Reason
from analysis.idle_common import BILL_ONLY, cost_reason, idle_finding, marker, per_gb_month
from analysis.params import Params, param
from analysis.pricing import judge_rows
from analysis.registry import Analyzer, RunContext, register

ACTION = "delete the snapshot"
NO_SOURCE = ("vol-ffffffff",)  # AWS's source volume of copied snapshots: no source to check

SQL = f"""
WITH snap AS (
    SELECT r.provider, r.account_id, r.region, r.resource_id, r.resource_type, r.sku,
           r.size_gib, r.created_at AS born, false AS bill_only, r.tags, r.attributes,
           coalesce(r.attributes['source_disk'], r.attributes['volume_id'],
                    r.attributes['source_resource_id']) AS source
    FROM resources r WHERE r.resource_type = 'snapshot'
    UNION ALL
    SELECT provider, account_id, region, resource_id, 'snapshot', NULL, NULL, first_billed,
           true, NULL, NULL, NULL
    FROM ({BILL_ONLY}) b WHERE lower(b.bill_type) LIKE '%snapshot%'
)
SELECT s.*, date_diff('day', s.born, $end) AS age_days, c.monthly_cost, c.currency,
       s.source IS NOT NULL AND s.source NOT IN {NO_SOURCE!r}
           AND EXISTS (SELECT 1 FROM resources d WHERE d.resource_type = 'disk'
                       AND d.provider = s.provider AND d.account_id = s.account_id)
           AND NOT EXISTS (SELECT 1 FROM resources d WHERE d.provider = s.provider
                           AND lower(d.resource_id) = lower(s.source)) AS orphaned
FROM snap s
LEFT JOIN resource_costs c ON c.provider = s.provider AND c.rid = lower(s.resource_id)
ORDER BY s.provider, s.resource_id
"""


class IdleSnapshotParams(Params):
    """Ages and exclusions."""

    max_age_days: int = param(90, "days", "snapshots older than this are old", ge=1)
    orphan_min_days: int = param(30, "days", "a snapshot whose source is gone, this old", ge=0)
    excluded_markers: list[str] = param(
        [
            "aws:backup",
            "description=created by createimage",
            "ami_id",
            "image_id",
            "azure-backup",
            "goog-backup",
            "retain",
        ],
        "-",
        "tag/attribute prefixes of AMI-backing, backup-managed or retained snapshots",
    )


def check_of(row: dict[str, Any], p: IdleSnapshotParams) -> str | None:
    if row["age_days"] is None or marker(row["tags"], row["attributes"], p.excluded_markers):
        return None
    if row["age_days"] > p.max_age_days:
        return "old_snapshot"
    return "orphaned_snapshot" if row["orphaned"] and row["age_days"] >= p.orphan_min_days else None


def judge(ctx: RunContext, row: dict[str, Any], p: IdleSnapshotParams) -> Finding | None:
    check = check_of(row, p)
    if check is None:
        return None
    cost = per_gb_month(ctx.con, row)
    age = "billed since" if row["bill_only"] else "created"
    reasons = [
        cost_reason(cost),
        Reason("age", 1.0, f"{age} {row['born']:%Y-%m-%d}: {row['age_days']} days"),
    ]
    if row["orphaned"]:
        reasons.append(Reason("source", 1.0, f"source {row['source']} not in the inventory"))
    if row["bill_only"]:
        reasons.append(Reason("inventory", 0.9, "known from the bill only"))
    attributes = row["attributes"] or {}
    evidence = {
        "age_days": row["age_days"],
        "age_is_lower_bound": row["bill_only"],
        "size_gib": row["size_gib"],
        "snapshot_id": attributes.get("snapshot_id"),
        "source": row["source"],
        "orphaned": row["orphaned"],
        "thresholds": {"max_age_days": p.max_age_days, "orphan_min_days": p.orphan_min_days},
    }
    return idle_finding(row, check, ACTION, cost, reasons, evidence)


def run(ctx: RunContext, params: IdleSnapshotParams) -> list[Finding]:
    return judge_rows(ctx.con, SQL, {"end": ctx.end}, lambda row: judge(ctx, row, params))


ANALYZER = register(
    Analyzer(
        name="old_snapshot",
        family="idle",
        summary="Snapshots older than 90 days, or at least 30 days old with their source disk"
        " gone (`orphaned_snapshot`): delete them (saves size x the per-GB-month price).",
        params=IdleSnapshotParams,
        run=run,
    )
)
