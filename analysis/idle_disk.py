"""Idle: disks attached to nothing past a grace period (checks.md section 7 no. 1): detached (or,
never attached, created) at least `warn_days` ago is reported for review, at least `act_days`
(`gcp_act_days` on GCP, as its Recommender) to delete. Kubernetes CSI volumes and replica disks
are left to what manages them."""

from __future__ import annotations

from typing import Any

from analysis.findings import Finding, Reason
from analysis.idle_common import age_reason, cost_reason, idle_finding, marker, per_gb_month
from analysis.params import Params, param
from analysis.pricing import judge_rows
from analysis.registry import Analyzer, RunContext, register

CHECK = "unattached_disk"
ACT = "delete the disk (snapshot it first if its data matters)"
WARN = "review the unattached disk: delete it (snapshot first) if nobody claims it"

SQL = """
SELECT r.provider, r.account_id, r.region, r.resource_id, r.resource_type, r.sku, r.state,
       r.size_gib, r.created_at, r.last_attached_at, r.tags, r.attributes,
       coalesce(r.last_attached_at, r.created_at) AS idle_since,
       date_diff('day', coalesce(r.last_attached_at, r.created_at), $end) AS idle_days,
       c.monthly_cost, c.currency
FROM resources r
LEFT JOIN resource_costs c ON c.provider = r.provider AND c.rid = lower(r.resource_id)
WHERE r.resource_type = 'disk' AND lower(r.state) IN ('available', 'unattached')
  AND r.attached_to IS NULL
ORDER BY r.provider, r.resource_id
"""


class IdleDiskParams(Params):
    """Grace periods and exclusions."""

    warn_days: int = param(7, "days", "unattached this long: reported for review", ge=0)
    act_days: int = param(30, "days", "unattached this long: delete", ge=0)
    gcp_act_days: int = param(15, "days", "`act_days` on GCP (its Recommender's 15 days)", ge=0)
    excluded_markers: list[str] = param(
        [
            "kubernetes.io/created-for",
            "kubernetes.io-created-for",
            "csivolumename",
            "ebs.csi.aws.com",
            "disk.csi.azure.com",
            "pd.csi.storage.gke.io",
            "goog-gke-volume",
            "asr-replicadisk",
            "asrseeddisk",
            "replica",
        ],
        "-",
        "tag/attribute prefixes of Kubernetes CSI volumes and replica disks (never flagged)",
    )
    unknown_age_confidence: float = param(
        0.6, "-", "confidence when neither detach nor creation time is known", ge=0, le=1
    )


def act_days(row: dict[str, Any], p: IdleDiskParams) -> int:
    return p.gcp_act_days if row["provider"] == "gcp" else p.act_days


def judge(ctx: RunContext, row: dict[str, Any], p: IdleDiskParams) -> Finding | None:
    if marker(row["tags"], row["attributes"], p.excluded_markers):
        return None
    days, act = row["idle_days"], act_days(row, p)
    if days is not None and days < p.warn_days:
        return None
    acting = days is None or days >= act
    cost = per_gb_month(ctx.con, row)
    reasons = [cost_reason(cost), age_reason(row["created_at"], ctx.end, p.warn_days)]
    if days is None:
        reasons.append(Reason("detached", p.unknown_age_confidence, "detach time unknown"))
    elif not acting:
        reasons.append(
            Reason(
                "detached",
                0.6 + 0.3 * days / act,
                f"unattached {days} days, under the {act}-day threshold to act",
            )
        )
    else:
        reasons.append(Reason("detached", 1.0, f"unattached {days} days (>= {act})"))
    evidence = {
        "state": row["state"],
        "detached_days": days,
        "size_gib": row["size_gib"],
        "unattached_since": row["idle_since"],
        "last_attached_at": row["last_attached_at"],
        "thresholds": {"warn_days": p.warn_days, "act_days": act},
    }
    return idle_finding(row, CHECK, ACT if acting else WARN, cost, reasons, evidence)


def run(ctx: RunContext, params: IdleDiskParams) -> list[Finding]:
    return judge_rows(ctx.con, SQL, {"end": ctx.end}, lambda row: judge(ctx, row, params))


ANALYZER = register(
    Analyzer(
        name=CHECK,
        family="idle",
        summary="Disks attached to nothing past a grace period (Kubernetes CSI and replica disks"
        " excluded): delete them, snapshotting first (saves their whole cost).",
        params=IdleDiskParams,
        run=run,
    )
)
