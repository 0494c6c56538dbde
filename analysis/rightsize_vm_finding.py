"""The findings of ``rightsize_vm``: a resize with its savings, evidence and confidence, or a VM
that cannot be judged."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import duckdb

from analysis.costs import HOURS_PER_MONTH
from analysis.findings import CANNOT_JUDGE, Finding, Reason, confidence
from analysis.pricing import BILL, Priced, priced

if TYPE_CHECKING:
    from analysis.rightsize_vm import RightsizeVmParams

CENT = Decimal("0.0001")


def _base(row: dict[str, Any], cost: Priced, action: str) -> Finding:
    return Finding(
        family="rightsizing", check="rightsize_vm", provider=row["provider"],
        account_id=row["account_id"], region=row["region"], resource_id=row["resource_id"],
        resource_type="vm", action=action, monthly_cost=cost.monthly, currency=cost.currency,
        current={"sku": row["sku"], "vcpu": row["vcpu"], "memory_gib": row["memory"]},
    )  # fmt: skip


def cannot_judge(con: duckdb.DuckDBPyConnection, row: dict[str, Any], why: str) -> Finding:
    """A running VM the analyzer has too little data on."""
    cost = priced(con, row)
    finding = _base(row, cost, "right-size")
    finding.status = CANNOT_JUDGE
    finding.reasons = [Reason("data", 0.0, why)]
    finding.confidence = 0.0
    finding.evidence = {"cannot_judge": why, "window": row["window"], "coverage_percent":
                        row["coverage"], "cpu_samples": row["cpu_samples"] or 0,
                        **cost.evidence()}  # fmt: skip
    return finding


def _ratio(row: dict[str, Any], cost: Priced) -> float:
    """Current effective cost over current list cost: the discount the target keeps."""
    if cost.source != BILL or cost.monthly is None:
        return 1.0
    if row["list_hourly"]:
        return float(cost.monthly) / (float(row["list_hourly"]) * HOURS_PER_MONTH)
    if row["list_cost"]:
        return float(row["effective_cost"]) / float(row["list_cost"])
    return 1.0


def _projected(row: dict[str, Any], params: RightsizeVmParams) -> tuple[float, float | None]:
    """Percent of the target the percentile (with headroom) would use: CPU, memory."""
    grow = 1 + params.headroom / 100
    cpu = row["cpu_p"] * row["vcpu"] * grow / row["target_vcpu"]
    if row["memory_p"] is None or not row["target_memory"]:
        return cpu, None
    return cpu, row["memory_p"] * row["memory"] * grow / row["target_memory"]


def _reasons(row: dict[str, Any], params: RightsizeVmParams, cost: Priced) -> list[Reason]:
    cpu, memory = _projected(row, params)
    worst = max(cpu, memory or 0)
    drift = abs((row["cpu_p_late"] or 0) - (row["cpu_p_early"] or 0))
    reasons = [
        Reason("coverage", min(1.0, row["coverage"] / 100), f"{row['coverage']} % of hours"),
        Reason("margin", 1.0 if worst <= 70 else 1 - (worst - 70) / 100,
               f"the target would run at {worst:.1f} % (with headroom)"),
        Reason("memory", 1.0, "memory reported") if memory is not None else
        Reason("memory", 0.75, "no memory metric: memory use is unknown"),
        Reason("stability", 1.0 if drift <= params.stable_points else 0.8,
               f"percentile moved {drift:.1f} points between the window's halves"),
    ]  # fmt: skip
    age = row["age_days"]
    if age is not None and age < 30:
        reasons.append(Reason("age", 0.85, f"exists for {age:.0f} days only"))
    if cost.source != BILL:
        reasons.append(Reason("cost source", 0.9, f"current cost from the {cost.source}"))
    if not row["same_region"]:
        reasons.append(Reason("target price", 0.9, f"target priced in {row['price_region']}"))
    if re.search(params.gpu_sku_pattern, row["sku"] or "") or row["gpus"]:
        reasons.append(Reason("gpu", 0.7, "GPU VM: GPU use is not measured"))
    return reasons


def resize(con: duckdb.DuckDBPyConnection, row: dict[str, Any], params: RightsizeVmParams
           ) -> Finding:  # fmt: skip
    """The resize to ``row['target']`` with its savings at the VM's discount ratio."""
    cost = priced(con, row)
    row["same_region"] = row["price_region"] == row["region"]
    row["age_days"] = row["created_at"] and (row["window"]["end"] - row["created_at"]).days
    ratio = _ratio(row, cost)
    target_list = Decimal(row["target_hourly"]) * HOURS_PER_MONTH
    target_cost = (target_list * Decimal(ratio)).quantize(CENT)
    finding = _base(row, cost, f"resize from {row['sku']} to {row['target']}")
    if cost.monthly is not None:
        finding.savings = (cost.monthly - target_cost).quantize(CENT)
    cpu, memory = _projected(row, params)
    finding.target = {
        "sku": row["target"],
        "vcpu": row["target_vcpu"],
        "memory_gib": row["target_memory"],
        "monthly_cost": target_cost,
    }
    stat = f"p{params.percentile:g}"
    finding.evidence = {
        "window": row["window"], "coverage_percent": row["coverage"],
        "cpu_samples": row["cpu_samples"], "memory_samples": row["memory_samples"],
        f"cpu_max_{stat}": row["cpu_p"], "cpu_max_p95": row["cpu_p95"],
        "cpu_max_max": row["cpu_max"], "cpu_avg_mean": row["cpu_avg"],
        f"memory_{stat}": row["memory_p"], "memory_max": row["memory_max"],
        "cpu_percentile_halves": [row["cpu_p_early"], row["cpu_p_late"]],
        "projected_cpu_percent": round(cpu, 2),
        "projected_memory_percent": None if memory is None else round(memory, 2),
        "thresholds": {"percentile": params.percentile, "headroom_percent": params.headroom,
                       "max_steps_down": params.max_steps_down},
        "target_sku": row["target"], "target_list_hourly": row["target_hourly"],
        "target_price_region": row["price_region"], "target_list_monthly": target_list,
        "discount_ratio": round(ratio, 6), **cost.evidence(),
    }  # fmt: skip
    finding.reasons = _reasons(row, params, cost)
    finding.confidence = confidence(finding.reasons)
    return finding
