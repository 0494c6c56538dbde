"""Right-sizing by generation: VMs on a previous-generation family move to the current family of
the same size (AWS m4 -> m5, Azure Dsv3/Dsv4 -> Dsv5, GCP n1 -> n2), when the target is a priced
SKU in the VM's region and costs less. Savings keep the VM's discount: current effective cost x
(1 - target list / current list)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from analysis.findings import CANNOT_JUDGE, Finding, Reason, confidence
from analysis.params import Params, param
from analysis.pricing import judge_rows, priced
from analysis.registry import Analyzer, RunContext, register

CHECK = "modernize_vm"
# (provider, regex on the SKU, replacement): the current family of the same size
SUCCESSORS = (
    ("aws", r"^t2\.", "t3."),
    ("aws", r"^m[34]\.", "m5."),
    ("aws", r"^c[34]\.", "c5."),
    ("aws", r"^r[34]\.", "r5."),
    ("aws", r"^i2\.", "i3."),
    ("azure", r"^(Standard_[DE]\d+a?s?)_v[34]$", r"\1_v5"),
    ("gcp", r"^n1-(standard|highmem|highcpu)-", r"n2-\1-"),
)
TARGET = " ".join(
    f"WHEN r.provider = '{p}' AND regexp_matches(r.sku, '{pattern}')"
    f" THEN regexp_replace(r.sku, '{pattern}', '{new}')"
    for p, pattern, new in SUCCESSORS
)
SQL = f"""
WITH vms AS (
    SELECT r.provider, r.account_id, r.region, r.resource_id, r.sku,
           lower(r.attributes['operating_system']) AS os, CASE {TARGET} END AS target,
           c.monthly_cost, c.currency
    FROM resources r
    LEFT JOIN resource_costs c ON c.provider = r.provider AND c.rid = lower(r.resource_id)
    WHERE r.resource_type = 'vm' AND r.sku IS NOT NULL
), listed AS (
    SELECT provider, region, sku, lower(operating_system) AS os, min(unit_price) AS hourly
    FROM prices WHERE pricing_model = 'on_demand' AND unit ILIKE 'h%' GROUP BY ALL
)
SELECT v.*,
       (SELECT min(l.hourly) FROM listed l WHERE l.provider = v.provider AND l.region = v.region
          AND l.sku = v.sku AND (l.os IS NULL OR v.os IS NULL OR l.os = v.os)) AS current_hourly,
       (SELECT min(l.hourly) FROM listed l WHERE l.provider = v.provider AND l.region = v.region
          AND l.sku = v.target AND (l.os IS NULL OR v.os IS NULL OR l.os = v.os)) AS target_hourly
FROM vms v WHERE v.target IS NOT NULL
ORDER BY v.provider, v.resource_id
"""


class ModernizeParams(Params):
    """Only families with a named successor of the same size (see ``SUCCESSORS``)."""

    min_savings: float = param(1.0, "currency/month", "smaller savings are not reported", ge=0)


def _finding(row: dict[str, Any], action: str) -> Finding:
    return Finding(
        family="rightsizing", check=CHECK, provider=row["provider"],
        account_id=row["account_id"], region=row["region"], resource_id=row["resource_id"],
        resource_type="vm", action=action, current={"sku": row["sku"]},
        target={"sku": row["target"]},
    )  # fmt: skip


def judge(ctx: RunContext, row: dict[str, Any], params: ModernizeParams) -> Finding | None:
    """A move to the successor family, or why it cannot be priced."""
    finding = _finding(row, f"move from {row['sku']} to {row['target']}")
    if row["current_hourly"] is None or row["target_hourly"] is None:
        missing = row["sku"] if row["current_hourly"] is None else row["target"]
        why = f"no on-demand list price of {missing} in {row['region']}"
        finding.status, finding.confidence = CANNOT_JUDGE, 0.0
        finding.reasons, finding.evidence = [Reason("price", 0.0, why)], {"cannot_judge": why}
        return finding
    ratio = Decimal(row["target_hourly"]) / Decimal(row["current_hourly"])
    cost = priced(ctx.con, row)
    if cost.monthly is None or ratio >= 1:
        return None
    savings = (cost.monthly * (1 - ratio)).quantize(Decimal("0.0001"))
    if savings < Decimal(str(params.min_savings)):
        return None
    finding.monthly_cost, finding.savings, finding.currency = cost.monthly, savings, cost.currency
    finding.reasons = [
        Reason("compatibility", 0.9, "same size in the successor family; test the workload"),
        Reason("cost_source", 1.0 if cost.source == "bill" else 0.9, f"cost from {cost.source}"),
    ]
    finding.confidence = confidence(finding.reasons)
    finding.evidence = {"current_list_hourly": row["current_hourly"],
                        "target_list_hourly": row["target_hourly"],
                        "list_ratio": float(ratio), **cost.evidence()}  # fmt: skip
    return finding


def run(ctx: RunContext, params: ModernizeParams) -> list[Finding]:
    return judge_rows(ctx.con, SQL, None, lambda row: judge(ctx, row, params))


ANALYZER = register(
    Analyzer(
        name=CHECK,
        family="rightsizing",
        summary="VMs on a previous-generation family (AWS t2, m3/m4, c3/c4, r3/r4, i2; Azure"
        " Dsv3/Dsv4 and Esv3/Esv4; GCP n1) whose same-size successor is cheaper in the region:"
        " move them (savings keep the VM's discount).",
        params=ModernizeParams,
        run=run,
    )
)
