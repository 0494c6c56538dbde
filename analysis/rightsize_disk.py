"""Right-sizing disks (attached ones; unattached disks are the idle checks'): AWS gp2 -> gp3;
io1/io2 provisioned at or under 16,000 IOPS -> gp3; Azure Premium SSD whose peak IOPS stays
under a few percent of what it provisions -> Standard SSD. Savings transfer the disk's discount:
current cost x (1 - target list / current list), list prices per GB-month (and IOPS-month, SKU
``<type>-iops``, where priced)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import duckdb

from analysis.findings import CANNOT_JUDGE, Finding, Reason, confidence
from analysis.params import Params, param
from analysis.pricing import BILL, fetch_dicts, priced
from analysis.registry import Analyzer, RunContext, register

PRICE = """(SELECT min(unit_price) FROM prices p WHERE p.provider = d.provider
            AND (p.region = d.region OR p.region IS NULL) AND p.sku = {} AND p.unit ILIKE {})"""
SQL = f"""
WITH disks AS (
    SELECT r.provider, r.account_id, r.region, r.resource_id, r.sku, r.size_gib,
           TRY_CAST(r.attributes['iops'] AS DOUBLE) AS iops, c.monthly_cost, c.currency,
           CASE WHEN r.provider = 'aws' AND r.sku = 'gp2' THEN 'gp3'
                WHEN r.provider = 'aws' AND r.sku IN ('io1', 'io2')
                     AND TRY_CAST(r.attributes['iops'] AS DOUBLE) <= $max_gp3_iops THEN 'gp3'
                WHEN r.provider = 'azure' AND r.sku IN ('Premium_LRS', 'Premium_ZRS')
                     THEN replace(r.sku, 'Premium_', 'StandardSSD_') END AS target
    FROM resources r
    LEFT JOIN resource_costs c ON c.provider = r.provider AND c.rid = lower(r.resource_id)
    WHERE r.resource_type = 'disk'
      AND (r.attached_to IS NOT NULL OR lower(r.state) IN ('in-use', 'attached'))
), io AS (
    SELECT provider, lower(resource_id) AS rid, count(*) AS hours, max(total) AS peak_iops
    FROM (SELECT provider, resource_id, hour, sum(coalesce(max_value, avg_value)) AS total
          FROM metrics WHERE metric IN ('disk_read_iops', 'disk_write_iops')
            AND hour >= $start AND hour < $end GROUP BY ALL)
    GROUP BY ALL
)
SELECT d.*, io.hours, io.peak_iops,
       {PRICE.format("d.sku", "'%GB%'")} AS gb_price,
       {PRICE.format("d.target", "'%GB%'")} AS target_gb_price,
       {PRICE.format("d.sku || '-iops'", "'%IOPS%'")} AS iops_price,
       {PRICE.format("d.target || '-iops'", "'%IOPS%'")} AS target_iops_price
FROM disks d LEFT JOIN io ON io.provider = d.provider AND io.rid = lower(d.resource_id)
WHERE d.target IS NOT NULL
ORDER BY d.provider, d.resource_id
"""


class RightsizeDiskParams(Params):
    """Thrifty / Flexera for EBS types, AOE for idle Premium SSD."""

    lookback_days: int = param(14, "days", "IOPS window for Premium disks", ge=1)
    max_gp3_iops: float = param(16000, "IOPS", "io1/io2 provisioned at or under this -> gp3")
    gp3_free_iops: float = param(3000, "IOPS", "IOPS gp3 includes in its GB price", ge=0)
    idle_iops_percent: float = param(
        5.0, "%", "Premium disks whose peak IOPS stays at or under this share of their "
        "provisioned IOPS move to Standard SSD", ge=0, le=100,
    )  # fmt: skip
    min_coverage: float = param(80.0, "%", "hours with IOPS samples needed", ge=0, le=100)
    min_savings: float = param(1.0, "currency/month", "smaller savings are not reported", ge=0)


def _lists(row: dict[str, Any], params: RightsizeDiskParams) -> tuple[float, float] | None:
    """(current, target) monthly list cost, None where unpriced."""
    if row["gb_price"] is None or row["target_gb_price"] is None or not row["size_gib"]:
        return None
    iops = row["iops"] or 0
    current = row["size_gib"] * float(row["gb_price"]) + iops * float(row["iops_price"] or 0)
    extra = max(0.0, iops - params.gp3_free_iops) if row["target"] == "gp3" else 0.0
    target = row["size_gib"] * float(row["target_gb_price"])
    return current, target + extra * float(row["target_iops_price"] or 0)


def _judge(row: dict[str, Any], params: RightsizeDiskParams, hours: int) -> str | None:
    """Why the disk cannot be judged (Premium disks need IOPS data), or None."""
    if row["provider"] != "azure":
        return None
    coverage = 100 * (row["hours"] or 0) / max(hours, 1)
    if coverage < params.min_coverage or not row["iops"]:
        return f"IOPS samples cover {coverage:.1f} % of the window, provisioned {row['iops']}"
    return None


def _finding(con: duckdb.DuckDBPyConnection, row: dict[str, Any], params: RightsizeDiskParams,
             evidence: dict[str, Any]) -> Finding | None:  # fmt: skip
    cost, lists = priced(con, row), _lists(row, params)
    f = Finding(family="rightsizing", check="rightsize_disk", provider=row["provider"],
                account_id=row["account_id"], region=row["region"],
                resource_id=row["resource_id"], resource_type="disk",
                action=f"change the disk from {row['sku']} to {row['target']}",
                monthly_cost=cost.monthly, currency=cost.currency,
                current={"sku": row["sku"], "size_gib": row["size_gib"], "iops": row["iops"]},
                target={"sku": row["target"]})  # fmt: skip
    why = _judge(row, params, evidence["window"]["hours"])
    if why:
        f.status, f.evidence, f.confidence = CANNOT_JUDGE, {**evidence, "cannot_judge": why}, 0.0
        return f
    peak = row["peak_iops"]
    if row["provider"] == "azure" and 100 * peak / row["iops"] > params.idle_iops_percent:
        return None
    if cost.monthly is not None and lists and lists[0] > 0:
        f.savings = (cost.monthly * Decimal(1 - lists[1] / lists[0])).quantize(Decimal("0.0001"))
    if f.savings is None or f.savings < Decimal(str(params.min_savings)):
        return None
    f.reasons = [Reason("rule", 1.0, "same capacity, cheaper type")]
    if cost.source != BILL:
        f.reasons.append(Reason("cost source", 0.9, f"current cost from the {cost.source}"))
    if row["target"] == "gp3" and (row["iops"] or 0) > params.gp3_free_iops and not row[
            "target_iops_price"]:  # fmt: skip
        f.reasons.append(Reason("iops", 0.7, "IOPS above gp3's included 3,000 are not priced"))
    f.confidence = confidence(f.reasons)
    f.evidence = {**evidence, "peak_iops": peak, "provisioned_iops": row["iops"],
                  "list_monthly": lists and lists[0], "target_list_monthly": lists and lists[1],
                  **cost.evidence()}  # fmt: skip
    return f


def run(ctx: RunContext, params: RightsizeDiskParams) -> list[Finding]:
    span = ctx.window(params.lookback_days)
    rows = fetch_dicts(ctx.con, SQL, {"start": span.start, "end": span.end,
                                      "max_gp3_iops": params.max_gp3_iops})  # fmt: skip
    evidence = {"window": {"start": span.start, "end": span.end, "hours": span.hours},
                "thresholds": params.model_dump()}  # fmt: skip
    found = [_finding(ctx.con, row, params, evidence) for row in rows]
    return [f for f in found if f is not None]


ANALYZER = register(
    Analyzer(
        name="rightsize_disk",
        family="rightsizing",
        summary="Attached disks on a costlier type than they need: gp2 -> gp3, io1/io2 at or under "
        "16,000 IOPS -> gp3, idle Premium SSD -> Standard SSD (saves the list-price difference "
        "at the disk's discount).",
        params=RightsizeDiskParams,
        run=run,
    )
)
