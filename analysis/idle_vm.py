"""Idle: running VMs that do nothing, by a fraction-of-runtime rule on hourly samples (Azure
Advisor's CPU p95 and GCP Recommender's 0.03 vCPU / network rules, checks.md section 7 no. 9).
GPU VMs are judged only with GPU metrics; Kubernetes and Databricks nodes are left alone."""

from __future__ import annotations

from typing import Any

from analysis.findings import Finding, Reason
from analysis.idle_common import (
    STOPPED_STATES,
    age_reason,
    cannot_judge,
    cost_reason,
    coverage_reason,
    idle_finding,
    margin_reason,
    marker,
    window_evidence,
)
from analysis.params import Params, param
from analysis.pricing import judge_rows, priced
from analysis.registry import Analyzer, RunContext, register
from analysis.window import Window

CHECK, ACTION = "idle_vm", "stop or terminate the VM"
GPU_SKUS = ["p2.", "p3.", "p4", "p5", "g3", "g4", "g5", "g6", "gr6", "inf", "trn", "dl1",
            "vt1", "f1.", "standard_nc", "standard_nd", "standard_nv", "standard_ng", "a2-",
            "a3-", "g2-"]  # fmt: skip
MANAGED = ["kubernetes.io/cluster", "eks:", "aks-managed", "goog-gke", "k8s.io", "databricks"]
STATS = ("cpu_p95", "cpu_mean", "cpu_peak", "vcpu_share", "net_p95", "net_share", "gpu_p95",
         "quiet_days", "cpu_hours", "net_hours", "vcpu")  # fmt: skip

SQL = f"""
WITH vm AS (
    SELECT r.*, lower(r.resource_id) AS rid, c.monthly_cost, c.currency FROM resources r
    LEFT JOIN resource_costs c ON c.provider = r.provider AND c.rid = lower(r.resource_id)
    WHERE r.resource_type = 'vm' AND coalesce(lower(r.state), '') NOT IN {STOPPED_STATES!r}
), hourly AS (
    SELECT m.provider, lower(m.resource_id) AS rid, m.hour,
           max(CASE WHEN m.metric = 'cpu_percent' THEN m.avg_value END) AS cpu_avg,
           max(CASE WHEN m.metric = 'cpu_percent' THEN coalesce(m.max_value, m.avg_value) END)
               AS cpu_max,
           sum(CASE WHEN m.metric LIKE 'network_%' THEN m.avg_value END) / 3600 AS net_bps,
           max(CASE WHEN m.metric = 'gpu_percent' THEN coalesce(m.max_value, m.avg_value) END)
               AS gpu_max
    FROM metrics m
    WHERE m.hour >= $start AND m.hour < $end
      AND m.metric IN ('cpu_percent', 'network_in_bytes', 'network_out_bytes', 'gpu_percent')
    GROUP BY 1, 2, 3
), daily AS (
    SELECT provider, rid, max(cpu_max) AS day_max FROM hourly GROUP BY provider, rid,
           date_trunc('day', hour)
), stats AS (
    SELECT h.provider, h.rid, count(h.cpu_avg) AS cpu_hours, count(h.net_bps) AS net_hours,
           count(h.gpu_max) AS gpu_hours,
           percentile_disc(0.95) WITHIN GROUP (ORDER BY h.cpu_max) AS cpu_p95,
           percentile_disc(0.95) WITHIN GROUP (ORDER BY h.net_bps) AS net_p95,
           percentile_disc(0.95) WITHIN GROUP (ORDER BY h.gpu_max) AS gpu_p95,
           avg(h.cpu_avg) AS cpu_mean, max(h.cpu_max) AS cpu_peak,
           sum(CASE WHEN h.cpu_avg * v.vcpu / 100 <= $vcpu THEN 1 ELSE 0 END)
               / nullif(count(h.cpu_avg), 0) AS vcpu_share,
           sum(CASE WHEN h.net_bps <= $net THEN 1 ELSE 0 END)
               / nullif(count(h.net_bps), 0) AS net_share
    FROM hourly h JOIN vm v ON v.provider = h.provider AND v.rid = h.rid
    GROUP BY 1, 2
), steady AS (
    SELECT provider, rid, sum(CASE WHEN day_max <= $cpu THEN 1 ELSE 0 END) / count(*)
           AS quiet_days FROM daily GROUP BY 1, 2
)
SELECT v.provider, v.account_id, v.region, v.resource_id, v.resource_type, v.sku, v.vcpu,
       v.created_at, v.tags, v.attributes, v.monthly_cost, v.currency, s.cpu_hours, s.net_hours,
       s.gpu_hours, s.cpu_p95, s.net_p95, s.gpu_p95, s.cpu_mean, s.cpu_peak, s.vcpu_share,
       s.net_share, q.quiet_days
FROM vm v
LEFT JOIN stats s ON s.provider = v.provider AND s.rid = v.rid
LEFT JOIN steady q ON q.provider = v.provider AND q.rid = v.rid
ORDER BY v.provider, v.resource_id
"""


class IdleVmParams(Params):
    """The union-set idle rule (checks.md section 7 no. 9)."""

    days: int = param(14, "days", "lookback window of hourly samples", ge=1, le=93)
    cpu_p95_percent: float = param(3.0, "%", "highest p95 of hourly max CPU of an idle VM", ge=0)
    vcpu_used: float = param(
        0.03, "vCPU", "CPU in use (avg % x vCPUs / 100) an idle hour stays under", ge=0
    )
    vcpu_share: float = param(0.97, "-", "share of hours under `vcpu_used`", ge=0, le=1)
    network_bytes_per_s: float = param(
        2000.0, "bytes/s", "in + out traffic an idle hour stays under", ge=0
    )
    network_share: float = param(
        0.95, "-", "share of hours under `network_bytes_per_s`", ge=0, le=1
    )
    gpu_p95_percent: float = param(
        3.0, "%", "highest p95 of hourly GPU use of an idle GPU VM", ge=0
    )
    min_coverage: float = param(
        0.8, "-", "share of the window's hours that must have samples", ge=0, le=1
    )
    gpu_markers: list[str] = param(
        GPU_SKUS, "-", "SKU prefixes of GPU/accelerator VMs (besides a gpu_count attribute)"
    )
    managed_markers: list[str] = param(
        MANAGED, "-", "tag/attribute prefixes of nodes a cluster manages (never flagged)"
    )


def is_gpu(row: dict[str, Any], p: IdleVmParams) -> bool:
    count = (row["attributes"] or {}).get("gpu_count") or "0"
    sku = (row["sku"] or "").lower()
    return float(count) > 0 or sku.startswith(tuple(p.gpu_markers))


def unjudgeable(row: dict[str, Any], p: IdleVmParams, hours: int) -> str | None:
    """Why the VM cannot be judged, if it cannot."""
    if not row["cpu_hours"]:
        return "no CPU samples in the window"
    for name in ("cpu", "net"):
        share = row[f"{name}_hours"] / hours
        if share < p.min_coverage:
            return f"{name} samples cover {share:.0%} of the hours (< {p.min_coverage:.0%})"
    return None


def idle(row: dict[str, Any], p: IdleVmParams) -> bool:
    vcpu_ok = row["vcpu"] is None or row["vcpu_share"] >= p.vcpu_share
    return bool(
        row["cpu_p95"] <= p.cpu_p95_percent
        and vcpu_ok
        and (row["net_share"] or 0) >= p.network_share
    )


def evidence(row: dict[str, Any], p: IdleVmParams, span: Window) -> dict[str, Any]:
    thresholds = p.model_dump(exclude={"days", "gpu_markers", "managed_markers"})
    coverage = round(row["cpu_hours"] / span.hours, 4)
    stats = {k: row[k] for k in STATS}
    return {**stats, **window_evidence(span), "coverage": coverage, "thresholds": thresholds}


def judge(ctx: RunContext, row: dict[str, Any], p: IdleVmParams, span: Window) -> Finding | None:
    if marker(row["tags"], row["attributes"], p.managed_markers):
        return None
    why = unjudgeable(row, p, span.hours)
    if why:
        return cannot_judge(row, CHECK, ACTION, why, window_evidence(span))
    if not idle(row, p):
        return None
    gpu = is_gpu(row, p)
    if gpu and row["gpu_hours"] / span.hours < p.min_coverage:
        why = "GPU VM idle by CPU and network, but its GPU use is not recorded"
        return cannot_judge(row, CHECK, ACTION, why, evidence(row, p, span))
    if gpu and row["gpu_p95"] > p.gpu_p95_percent:
        return None
    cost = priced(ctx.con, row)
    reasons = [
        coverage_reason(min(row["cpu_hours"], row["net_hours"]) / span.hours, p.min_coverage),
        margin_reason("cpu_p95", row["cpu_p95"], p.cpu_p95_percent),
        margin_reason("network_p95", row["net_p95"], p.network_bytes_per_s),
        Reason(
            "stability",
            0.7 + 0.3 * row["quiet_days"],
            f"{row['quiet_days']:.0%} of days stayed under the CPU threshold",
        ),
        age_reason(row["created_at"], ctx.end, p.days),
        cost_reason(cost),
    ]
    if row["vcpu"] is None:
        reasons.append(Reason("vcpu", 0.9, "vCPU count unknown: 0.03 vCPU rule not applied"))
    return idle_finding(row, CHECK, ACTION, cost, reasons, evidence(row, p, span))


def run(ctx: RunContext, params: IdleVmParams) -> list[Finding]:
    span = ctx.window(params.days)
    binds = {"start": span.start, "end": span.end, "vcpu": params.vcpu_used,
             "net": params.network_bytes_per_s, "cpu": params.cpu_p95_percent}  # fmt: skip
    return judge_rows(ctx.con, SQL, binds, lambda row: judge(ctx, row, params, span))


ANALYZER = register(
    Analyzer(
        name=CHECK,
        family="idle",
        summary="Running VMs idle for most of the window (CPU p95, vCPU in use and network by"
        " share of hourly samples): stop or terminate them (saves their whole cost).",
        params=IdleVmParams,
        run=run,
    )
)
