"""What the idle analyzers share: confidence reasons (coverage, margin under a threshold, age,
cost source), tag and attribute markers that exclude a resource, resources that only the bill
knows, and building an idle finding from a priced row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import duckdb

from analysis.findings import CANNOT_JUDGE, OPEN, Finding, Reason, confidence
from analysis.pricing import BILL, LIST, Priced, priced
from analysis.window import Window
from warehouse.sql import one

# power states of a VM that is not running (lower-cased; Azure's carry a "vm " prefix)
STOPPED_STATES = (
    "stopped",
    "stopping",
    "terminated",
    "shutting-down",
    "suspended",
    "deallocated",
    "deallocating",
    "vm stopped",
    "vm deallocated",
)

# resources the bill knows and the inventory does not: the bill's provider, id, account,
# region, first charge and resource type (joined on the lower-cased id, as resource_costs is)
BILL_ONLY = """
SELECT b.x_Provider AS provider, lower(b.ResourceId) AS rid, min(b.ResourceId) AS resource_id,
       min(coalesce(b.SubAccountId, b.BillingAccountId)) AS account_id,
       min(b.RegionId) AS region, min(b.ChargePeriodStart) AS first_billed,
       max(b.ChargePeriodEnd) AS last_billed, min(b.ResourceType) AS bill_type,
       min(b.ServiceCategory) AS bill_category
FROM focus_costs b
LEFT JOIN resources r ON r.provider = b.x_Provider AND lower(r.resource_id) = lower(b.ResourceId)
WHERE b.ResourceId IS NOT NULL AND b.ChargeCategory = 'Usage' AND r.resource_id IS NULL
GROUP BY 1, 2
"""


def marker(
    tags: Mapping[str, str] | None, attributes: Mapping[str, str] | None, prefixes: Iterable[str]
) -> str | None:
    """The first tag or attribute (``key`` or ``key=value``) starting, case-blind, with one of
    ``prefixes``: what marks a resource as managed by something else (Kubernetes, replication)."""
    wanted = tuple(p.lower() for p in prefixes)
    for source in (tags or {}, attributes or {}):
        for key, value in source.items():
            for text in (key, f"{key}={value}"):
                if text.lower().startswith(wanted):
                    return text
    return None


def per_gb_month(con: duckdb.DuckDBPyConnection, row: Mapping[str, Any]) -> Priced:
    """Billed run rate; else size x the SKU's per-GB-month list price."""
    cost = priced(con, {**row, "sku": None})
    if cost.monthly is not None or not row["size_gib"]:
        return cost
    price, currency = one(
        con,
        """SELECT min(unit_price), min(currency) FROM prices
        WHERE provider = ? AND sku = ? AND (region = ? OR region IS NULL)
          AND pricing_model = 'on_demand' AND (unit ILIKE 'GB%' OR unit ILIKE 'GiB%')""",
        [row["provider"], row["sku"], row["region"]],
    )
    if price is None:
        return cost
    monthly = (Decimal(price) * Decimal(str(row["size_gib"]))).quantize(Decimal("0.0001"))
    return Priced(monthly, str(currency), LIST)


def coverage_reason(coverage: float, minimum: float) -> Reason:
    """Full coverage is certain; at the minimum a judgement is worth 0.8 of one."""
    span = max(1.0 - minimum, 1e-9)
    value = 0.8 + 0.2 * min(1.0, max(0.0, (coverage - minimum) / span))
    return Reason("coverage", value, f"{coverage:.0%} of the window's hours have samples")


def margin_reason(name: str, value: float, threshold: float) -> Reason:
    """How far under ``threshold`` ``value`` is: at the threshold 0.7, at zero 1.0."""
    share = min(1.0, max(0.0, value / threshold)) if threshold > 0 else 1.0
    return Reason(f"margin_{name}", 1.0 - 0.3 * share, f"{name} {value:g} against {threshold:g}")


def age_reason(created: dt.datetime | None, end: dt.datetime, young_days: int) -> Reason:
    """A resource younger than ``young_days`` may still be being set up."""
    if created is None:
        return Reason("age", 0.95, "creation time unknown")
    days = (end - created).days
    if days < young_days:
        return Reason("age", 0.8, f"exists for {days} days only (< {young_days})")
    return Reason("age", 1.0, f"exists for {days} days")


def cost_reason(cost: Priced) -> Reason:
    """The bill is certain, a list price a little less (discounts unknown), no price much less."""
    value = {BILL: 1.0, LIST: 0.9}.get(cost.source, 0.7)
    return Reason("cost_source", value, f"monthly cost from: {cost.source}")


def window_evidence(span: Window) -> dict[str, Any]:
    return {"window_start": span.start.isoformat(), "window_end": span.end.isoformat()}


def idle_finding(
    row: Mapping[str, Any],
    check: str,
    action: str,
    cost: Priced | None,
    reasons: list[Reason],
    evidence: dict[str, Any],
) -> Finding:
    """An open idle finding saving the whole ``cost`` (None: cannot judge, no savings)."""
    judged = cost is not None
    return Finding(
        family="idle",
        check=check,
        provider=row["provider"],
        account_id=row.get("account_id"),
        region=row.get("region"),
        resource_id=row["resource_id"],
        resource_type=row.get("resource_type"),
        action=action,
        monthly_cost=cost.monthly if cost else None,
        savings=cost.monthly if cost else None,
        currency=cost.currency if cost else None,
        confidence=confidence(reasons),
        reasons=reasons,
        evidence={**evidence, **(cost.evidence() if cost else {})},
        current={"sku": row.get("sku")},
        status=OPEN if judged else CANNOT_JUDGE,
    )


def cannot_judge(
    row: Mapping[str, Any], check: str, action: str, why: str, evidence: dict[str, Any]
) -> Finding:
    """A resource the check cannot judge, and why: never a silent pass."""
    reason = Reason("data", 0.0, why)
    return idle_finding(row, check, action, None, [reason], {**evidence, "reason": why})
