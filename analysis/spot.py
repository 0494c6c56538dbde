"""Spot: VMs whose work tolerates interruption (scaling-group and node-group members, batch
tags; optionally non-production tags and short-lived instances) moved to spot capacity.
Savings: the on-demand effective cost in the bill, hour by hour, x (1 - spot / on-demand
price) with the spot price in effect at that hour (checks.md section 3 and section 7 no. 15).
Risk: the interruption bucket of a dated advisor file (AWS), else unknown."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from analysis.findings import Finding
from analysis.pricing import fetch_dicts
from analysis.registry import Analyzer, RunContext, register
from analysis.spot_advisor import Advisor, load_advisor
from analysis.spot_finding import CHECK, cannot_judge, finding
from analysis.spot_params import SpotParams
from analysis.spot_rules import exclusion, matches
from analysis.spot_sql import DISKS, SQL
from analysis.window import Window


def _disks(ctx: RunContext) -> dict[tuple[str, str], list[dict[str, Any]]]:
    by_vm: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for disk in fetch_dicts(ctx.con, DISKS):
        by_vm[(disk["provider"], disk["vm"])].append(disk)
    return by_vm


def judge(row: dict[str, Any], disks: list[dict[str, Any]], p: SpotParams, advisor: Advisor,
          span: Window) -> Finding | None:  # fmt: skip
    """The spot finding of one VM, or None when it is not a candidate."""
    rules = matches(row, p)
    if not rules or exclusion(row, disks, p):
        return None
    if row["stopped"] and rules[0][0] != "short_lived":
        return None
    if row["cost_source"] is None:
        return cannot_judge(row, rules, f"not billed and no on-demand price of {row['sku']}")
    if not row["od_cost"]:
        return None  # all its usage runs under commitments: spot would strand them
    if row["od_hourly"] is None:
        return cannot_judge(row, rules, f"no on-demand price of {row['sku']} in {row['region']}")
    if row["saved"] is None:
        return cannot_judge(row, rules, f"no spot price of {row['sku']} in {row['region']}")
    found = finding(row, rules, advisor, span, p.advisor_max_age_days)
    return found if (found.savings or 0) >= p.min_savings else None


def run(ctx: RunContext, params: SpotParams) -> list[Finding]:
    span = ctx.window(params.days)
    advisor = load_advisor(params.spot_advisor_path or None)
    disks = _disks(ctx)
    rows = fetch_dicts(ctx.con, SQL, {"start": span.start, "end": span.end})
    found = [judge(r, disks[(r["provider"], r["rid"])], params, advisor, span) for r in rows]
    return [f for f in found if f is not None]


ANALYZER = register(
    Analyzer(
        name=CHECK,
        family="spot",
        summary="VMs whose work tolerates interruption (scaling-group and Kubernetes node-group"
        " members, batch tags; optionally non-production tags and short-lived VMs), never"
        " databases, GPU VMs, VMs with attached data volumes or already on spot: run them on"
        " spot. Savings: billed on-demand cost x (1 - spot / on-demand price), hour by hour with"
        " the spot price in effect; risk: the interruption bucket of a dated advisor file (AWS),"
        " else unknown, both lowering the confidence.",
        params=SpotParams,
        run=run,
    )
)
