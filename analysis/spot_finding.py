"""A spot finding from a priced candidate: monthly savings from the hour-by-hour spot prices,
interruption risk from the advisor file (AWS) or unknown, the confidence reasons and evidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from analysis.costs import HOURS_PER_MONTH
from analysis.findings import CANNOT_JUDGE, Finding, Reason, confidence
from analysis.spot_advisor import UNKNOWN, Advisor
from analysis.spot_rules import BATCH, NODE_GROUP, NON_PROD, SCALING_GROUP, SHORT_LIVED
from analysis.window import Window

CHECK, ACTION = "spot_candidate", "run on spot capacity"
RULE_FACTORS = {SCALING_GROUP: (1.0, "replaceable member of a scaling group"),
                NODE_GROUP: (0.95, "Kubernetes node: the cluster reschedules its pods"),
                BATCH: (0.9, "tagged as batch work (retries expected)"),
                SHORT_LIVED: (0.85, "short-lived instance: work fits between interruptions"),
                NON_PROD: (0.7, "non-production tag only: survival not shown")}  # fmt: skip
RISK_FACTORS = {"<5%": 0.95, "5-10%": 0.9, "10-15%": 0.8, "15-20%": 0.7, ">20%": 0.6}
UNKNOWN_RISK = 0.8
CENT = Decimal("0.0001")


def _base(row: Mapping[str, Any]) -> Finding:
    return Finding(
        family="spot", check=CHECK, provider=row["provider"], account_id=row["account_id"],
        region=row["region"], resource_id=row["resource_id"], resource_type="vm",
        action=ACTION, current={"sku": row["sku"], "pricing": "on-demand"},
        target={"sku": row["sku"], "pricing": "spot"},
    )  # fmt: skip


def cannot_judge(row: Mapping[str, Any], rules: list[tuple[str, str]], why: str) -> Finding:
    """An eligible VM whose savings cannot be priced, and why."""
    finding = _base(row)
    finding.status, finding.confidence = CANNOT_JUDGE, 0.0
    finding.reasons = [Reason("price", 0.0, why)]
    finding.evidence = {"reason": why, "rules": dict(rules)}
    return finding


def risk(
    row: Mapping[str, Any], advisor: Advisor, end: dt.datetime, max_age: int
) -> tuple[str, Reason]:
    """The interruption bucket and its factor; unknown (no source for the provider or the
    type) and a stale file lower the confidence too."""
    if row["provider"] != "aws":
        why = f"unknown: no interruption data for {row['provider']}"
        return UNKNOWN, Reason("interruption", UNKNOWN_RISK, why)
    bucket = advisor.bucket(row["region"], row["os"], row["sku"])
    if bucket == UNKNOWN:
        why = f"unknown: {row['sku']} in {row['region']} not in the {advisor.describe()}"
        return UNKNOWN, Reason("interruption", UNKNOWN_RISK, why)
    value, why = RISK_FACTORS.get(bucket, UNKNOWN_RISK), f"{bucket} per the {advisor.describe()}"
    age = (end.date() - advisor.as_of).days if advisor.as_of else None
    if age is None or age > max_age:
        value, why = value * 0.9, f"{why}; older than {max_age} days"
    return bucket, Reason("interruption", value, why)


def _reasons(row: Mapping[str, Any], rule: str, interruption: Reason) -> list[Reason]:
    factor, why = RULE_FACTORS[rule]
    reasons = [Reason("rule", factor, why), interruption]
    early = float(row["backfilled_hours"] or 0)
    if early > 0:
        reasons.append(Reason("price_history", 0.95, f"no spot price before the oldest one: "
                              f"it stands for {early:g} earlier hours"))  # fmt: skip
    if row["cost_source"] != "bill":
        reasons.append(Reason("cost_source", 0.9, "no bill rows: on-demand list price x hours"))
    return reasons


def evidence(
    row: Mapping[str, Any],
    rules: list[tuple[str, str]],
    bucket: str,
    advisor: Advisor,
    span: Window,
) -> dict[str, Any]:
    aws = row["provider"] == "aws"
    return {
        "rule": rules[0][0], "rules": dict(rules), "scaling_group": row["scaling_group"],
        "on_demand_hourly": row["od_hourly"], "spot_prices": row["spot_history"],
        "hours_priced": row["priced_hours"],
        "hours_before_oldest_spot_price": row["backfilled_hours"], "risk_bucket": bucket,
        "risk_source": advisor.describe() if aws else None,
        "risk_as_of": advisor.as_of if aws else None,
        "window_start": span.start.isoformat(), "window_end": span.end.isoformat(),
        "cost_source": row["cost_source"], "on_demand_cost": row["od_cost"],
        "committed_cost": row["committed_cost"], "operating_system": row["os"],
    }  # fmt: skip


def finding(row: Mapping[str, Any], rules: list[tuple[str, str]], advisor: Advisor,
            span: Window, max_age: int) -> Finding:  # fmt: skip
    """The open finding: savings = the window's hour-by-hour savings as a monthly rate (over
    the hours billed; a short-lived VM's over the whole window)."""
    rule = rules[0][0]
    hours = span.hours if rule == SHORT_LIVED else float(row["hours"])
    result = _base(row)
    result.monthly_cost = (Decimal(row["od_cost"]) / Decimal(hours) * HOURS_PER_MONTH).quantize(
        CENT
    )
    result.savings = (Decimal(row["saved"]) / Decimal(hours) * HOURS_PER_MONTH).quantize(CENT)
    result.currency = row["currency"]
    bucket, interruption = risk(row, advisor, span.end, max_age)
    result.reasons = _reasons(row, rule, interruption)
    result.confidence = confidence(result.reasons)
    result.evidence = evidence(row, rules, bucket, advisor, span)
    result.current["scaling_group"] = row["scaling_group"]
    return result
