"""Idle: stopped VMs still paying (checks.md section 7 no. 5). An Azure VM stopped but not
deallocated is billed for its compute: deallocate it. Any VM stopped for `min_stopped_days` keeps
paying for its disks and addresses: delete them (snapshot first). A VM without a recorded power
state (Azure's NULL) is never taken as stopped."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from analysis.findings import Finding, Reason
from analysis.idle_common import cannot_judge, cost_reason, idle_finding
from analysis.params import Params, param
from analysis.pricing import BILL, UNPRICED, Priced, judge_rows, priced
from analysis.registry import Analyzer, RunContext, register

CHECK = "stopped_vm"
DEALLOCATE = "deallocate the VM (stopped but not deallocated, its compute is still billed)"
CLEAN_UP = "delete the stopped VM's disks and addresses (snapshot the disks first)"

SQL = """
WITH stopped AS (
    SELECT r.*, lower(r.state) AS power,
           coalesce(TRY_CAST(r.attributes['stopped_at'] AS TIMESTAMPTZ),
                    TRY_CAST(r.attributes['last_stop'] AS TIMESTAMPTZ),
                    (SELECT max(m.hour) + INTERVAL 1 HOUR FROM metrics m
                     WHERE m.provider = r.provider AND lower(m.resource_id) = lower(r.resource_id)
                       AND m.metric = 'cpu_percent'),
                    (SELECT min(m.hour) FROM metrics m)) AS stopped_since,
           r.attributes['stopped_at'] IS NULL AND r.attributes['last_stop'] IS NULL
               AS since_estimated
    FROM resources r
    WHERE r.resource_type = 'vm' AND (lower(r.state) LIKE '%stopped%'
                                      OR lower(r.state) LIKE '%deallocated%'
                                      OR lower(r.state) IN ('terminated', 'suspended'))
), attached AS (
    SELECT a.provider, lower(a.attached_to) AS vm, count(*) AS items,
           sum(c.monthly_cost) AS monthly_cost, count(c.monthly_cost) AS priced,
           min(c.currency) AS currency, list(a.resource_id ORDER BY a.resource_id) AS ids
    FROM resources a
    LEFT JOIN resource_costs c ON c.provider = a.provider AND c.rid = lower(a.resource_id)
    WHERE a.attached_to IS NOT NULL AND a.resource_type IN ('disk', 'ip')
    GROUP BY 1, 2
)
SELECT s.provider, s.account_id, s.region, s.resource_id, s.resource_type, s.sku, s.power,
       s.stopped_since, s.since_estimated, date_diff('day', s.stopped_since, $end) AS stopped_days,
       c.monthly_cost, c.currency, a.items, a.monthly_cost AS attached_cost, a.priced,
       a.currency AS attached_currency, a.ids
FROM stopped s
LEFT JOIN resource_costs c ON c.provider = s.provider AND c.rid = lower(s.resource_id)
LEFT JOIN attached a ON a.provider = s.provider AND a.vm = lower(s.resource_id)
ORDER BY s.provider, s.resource_id
"""


class StoppedVmParams(Params):
    """How long a VM must have been stopped before its storage is worth deleting."""

    min_stopped_days: int = param(
        30, "days", "stopped this long: its disks and addresses can go", ge=0
    )


def not_deallocated(row: dict[str, Any]) -> bool:
    power = row["power"]
    return row["provider"] == "azure" and "stopped" in power and "deallocat" not in power


def attached_cost(row: dict[str, Any]) -> Priced:
    if not row["priced"]:
        return Priced(None, None, UNPRICED)
    return Priced(
        Decimal(row["attached_cost"]).quantize(Decimal("0.0001")), row["attached_currency"], BILL
    )


def judge(ctx: RunContext, row: dict[str, Any], p: StoppedVmParams) -> Finding | None:
    evidence = {
        "power_state": row["power"],
        "stopped_since": row["stopped_since"],
        "stopped_days": row["stopped_days"],
        "since_estimated": row["since_estimated"],
        "attached": row["ids"] or [],
        "thresholds": {"min_stopped_days": p.min_stopped_days},
    }
    if not_deallocated(row):
        cost = priced(ctx.con, row)
        reasons = [Reason("state", 1.0, f"power state {row['power']!r}"), cost_reason(cost)]
        return idle_finding(row, CHECK, DEALLOCATE, cost, reasons, evidence)
    if not row["items"]:
        return None
    if row["stopped_days"] is None:
        why = "stopped with disks or addresses attached, but since when is not recorded"
        return cannot_judge(row, CHECK, CLEAN_UP, why, evidence)
    if row["stopped_days"] < p.min_stopped_days:
        return None
    cost = attached_cost(row)
    reasons = [Reason("stopped", 1.0, f"stopped {row['stopped_days']} days"), cost_reason(cost)]
    if row["since_estimated"]:
        reasons.append(Reason("since", 0.85, "stop time estimated from the last CPU sample"))
    if row["priced"] < row["items"]:
        reasons.append(
            Reason("partly_priced", 0.8, f"{row['priced']} of {row['items']} attached items priced")
        )
    return idle_finding(row, CHECK, CLEAN_UP, cost, reasons, evidence)


def run(ctx: RunContext, params: StoppedVmParams) -> list[Finding]:
    return judge_rows(ctx.con, SQL, {"end": ctx.end}, lambda row: judge(ctx, row, params))


ANALYZER = register(
    Analyzer(
        name=CHECK,
        family="idle",
        summary="Stopped VMs still paying: Azure VMs stopped but not deallocated (saves their"
        " compute), VMs stopped 30 days with disks or addresses attached (saves those).",
        params=StoppedVmParams,
        run=run,
    )
)
