"""Idle: public IP addresses associated with nothing (AWS Elastic IPs, Azure public IPs, GCP
static addresses RESERVED). They are billed by the hour whether used or not; releasing one saves
its whole cost."""

from __future__ import annotations

from analysis.findings import Finding, Reason, confidence
from analysis.params import Params, param
from analysis.pricing import fetch_dicts, priced
from analysis.registry import Analyzer, RunContext, register

SQL = """
SELECT r.provider, r.account_id, r.region, r.resource_id, r.sku, r.attributes, r.collected_at,
       c.monthly_cost, c.currency
FROM resources r
LEFT JOIN resource_costs c ON c.provider = r.provider AND c.rid = lower(r.resource_id)
WHERE r.resource_type = 'ip' AND lower(r.state) = 'unassociated'
ORDER BY r.provider, r.resource_id
"""


class IdleIpParams(Params):
    """No thresholds: an address is associated or it is not."""

    unpriced_confidence: float = param(
        0.7,
        "-",
        "confidence when neither the bill nor the price list prices the address",
        ge=0,
        le=1,
    )


def run(ctx: RunContext, params: IdleIpParams) -> list[Finding]:
    found = []
    for row in fetch_dicts(ctx.con, SQL):
        cost = priced(ctx.con, row)
        reasons = [
            Reason(
                "state", 1.0, f"not associated when inventoried ({row['collected_at']:%Y-%m-%d})"
            )
        ]
        if cost.monthly is None:
            reasons.append(
                Reason("price", params.unpriced_confidence, "no bill rows or list price")
            )
        found.append(
            Finding(
                family="idle", check="unassociated_ip", provider=row["provider"],
                account_id=row["account_id"], region=row["region"],
                resource_id=row["resource_id"], resource_type="ip",
                action="release the address", monthly_cost=cost.monthly, savings=cost.monthly,
                currency=cost.currency, confidence=confidence(reasons), reasons=reasons,
                evidence={"state": "unassociated", **cost.evidence(),
                          "public_ip": (row["attributes"] or {}).get("public_ip")},
                current={"sku": row["sku"]},
            )
        )  # fmt: skip
    return found


ANALYZER = register(
    Analyzer(
        name="unassociated_ip",
        family="idle",
        summary="Public IP addresses attached to nothing: release them (saves their whole cost).",
        params=IdleIpParams,
        run=run,
    )
)
