"""A small warehouse for report tests: five weeks of daily bills whose week-over-week change is
known by construction, inventory tags (one of them hostile), and a few findings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from warehouse.db import Warehouse

END = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)  # the report's week: 2026-10-25..31
THIS_WEEK = END - dt.timedelta(days=7)
RUN_AT = dt.datetime(2026, 11, 2, 6, tzinfo=dt.UTC)
SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://evil.example","x")'

# resource id: (per-day cost before the week, per-day cost in it, quantity before, in it)
# i-rate: same hours at a higher rate (+84); i-grow: twice the hours at the same rate (+35);
# i-new: appears this week (+35); i-gone: ends before it (-21); tax without resource (+7)
SERIES: dict[str | None, tuple[float, float, float, float]] = {
    "i-rate": (24, 36, 24, 24),
    "i-grow": (5, 10, 10, 20),
    "i-new": (0, 5, 0, 10),
    "i-gone": (3, 0, 6, 0),
    None: (1, 2, 0, 0),
}
OWNERS = {"i-rate": "team-a", "i-grow": FORMULA, "i-new": SCRIPT, "i-gone": "team-a"}

BILL = """
INSERT INTO focus_costs (BilledCost, EffectiveCost, ListCost, ContractedCost, BillingCurrency,
    ChargePeriodStart, ChargePeriodEnd, ResourceId, x_Provider, ChargeCategory, SubAccountId,
    ServiceCategory, PublisherName, ProviderName, ServiceName, BillingAccountId,
    BillingPeriodStart, BillingPeriodEnd, InvoiceIssuerName, ConsumedQuantity, ConsumedUnit,
    RegionId, Tags, x_IngestId, x_SourceFile, x_SourceFormat)
VALUES ($cost, $cost, $cost, $cost, 'USD', $day, $day + INTERVAL 1 DAY, $rid, 'aws', $category,
    '111111111111', 'Compute', 'AWS', 'AWS', 'Amazon Elastic Compute Cloud', 'acct',
    date_trunc('month', $day), date_trunc('month', $day) + INTERVAL 1 MONTH, 'AWS', $qty,
    $unit, 'us-east-1', MAP {'Owner': $owner}, 1, 'test', 'test')
"""
RESOURCE = """
INSERT INTO resources (provider, account_id, region, resource_id, resource_type, sku, state,
    tags, collected_at)
VALUES ('aws', '111111111111', 'us-east-1', $rid, 'vm', 'm5.large', 'running',
    MAP {'Owner': $owner, 'Environment': 'prod'}, $end)
"""


def _bill_rows() -> list[dict[str, Any]]:
    rows = []
    for day_no in range(35):
        day = END - dt.timedelta(days=day_no + 1)
        this_week = day >= THIS_WEEK
        for rid, (c0, c1, q0, q1) in SERIES.items():
            cost, qty = (c1, q1) if this_week else (c0, q0)
            if cost == 0:
                continue
            rows.append({
                "cost": Decimal(str(cost)), "day": day, "rid": rid,
                "category": "Usage" if rid else "Tax", "qty": qty or None,
                "unit": "Hours" if rid else None, "owner": OWNERS.get(rid or "", "team-a"),
            })  # fmt: skip
    return rows


FINDING = """
INSERT INTO findings (finding_id, run_id, family, "check", provider, account_id, region,
    resource_id, resource_type, action, monthly_cost, savings_gross, currency, confidence,
    first_seen, last_seen, status)
VALUES ($id, 'run1', $family, $check, 'aws', '111111111111', 'us-east-1', $rid, 'vm', $action,
    $cost, $gross, 'USD', $confidence, $at, $at, 'open')
"""
FINDINGS = [
    {"id": "f-idle-grow", "family": "idle", "check": "idle_vm", "rid": "i-grow",
     "action": "stop or terminate the VM", "cost": 300, "gross": 100, "confidence": 0.9},
    {"id": "f-size-new", "family": "rightsizing", "check": "rightsize_vm", "rid": "i-new",
     "action": f"resize {SCRIPT}", "cost": 150, "gross": 50, "confidence": 1.0},
]  # fmt: skip


def build(folder: Path) -> Warehouse:
    """The small company's warehouse, analyzed (findings written) at RUN_AT."""
    warehouse = Warehouse(folder / "small.duckdb")
    with warehouse.write() as con:
        for row in _bill_rows():
            con.execute(BILL, row)
        for rid, owner in OWNERS.items():
            con.execute(RESOURCE, {"rid": rid, "owner": owner, "end": END})
        for finding in FINDINGS:
            con.execute(FINDING, {**finding, "at": RUN_AT})
    return warehouse
