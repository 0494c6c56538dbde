"""Spend-weighted tag compliance: :func:`compliance` weighs ``analysis.untagged``'s tag status by
cost: per provider, account and key, the share of the taggable effective cost of the window that
carries the key (and all keys); charges no tag can reach
(tax, credits, support, marketplace, commitment purchases and unused commitments, rows without a
resource) are their own bucket, not non-compliance."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import duckdb

from analysis.pricing import fetch_dicts
from analysis.untagged import IN_SCOPE, STATUS, TagPolicy, prepare_tag_status
from analysis.window import Window


@dataclass(frozen=True)
class ComplianceRow:
    """Tag compliance of one provider (``account_id`` None: all its accounts) for one required
    key (``key`` None: all of them, i.e. allocated cost)."""

    provider: str
    account_id: str | None
    key: str | None
    taggable_cost: Decimal
    compliant_cost: Decimal
    untaggable_cost: Decimal
    currency: str | None
    resources: int
    compliant_resources: int
    untaggable_by_kind: dict[str, Decimal] = field(default_factory=dict)

    @property
    def compliant_percent(self) -> float | None:
        """Compliant share of the taggable cost, None when nothing is taggable."""
        if not self.taggable_cost:
            return None
        return round(float(100 * self.compliant_cost / self.taggable_cost), 2)


BILL = f"""
SELECT x_Provider AS provider, coalesce(SubAccountId, BillingAccountId) AS account_id,
       lower(ResourceId) AS rid, BillingCurrency AS currency,
       CAST(EffectiveCost * greatest(epoch(least(ChargePeriodEnd, $end))
           - epoch(greatest(ChargePeriodStart, $start)), 0)
           / greatest(epoch(ChargePeriodEnd) - epoch(ChargePeriodStart), 1) AS DECIMAL(38, 6))
           AS cost,  -- the share of the charge period inside the window
       CASE WHEN ChargeCategory = 'Tax' THEN 'tax'
            WHEN ChargeCategory IN ('Credit', 'Adjustment') THEN 'credit'
            WHEN ServiceName ILIKE '%support%' THEN 'support'
            WHEN lower(PublisherName) <> lower(ProviderName) THEN 'marketplace'
            WHEN ChargeCategory = 'Purchase' OR CommitmentDiscountStatus = 'Unused'
                THEN 'commitment'
            WHEN ResourceId IS NULL THEN 'no resource' END AS untaggable
FROM focus_costs WHERE ChargePeriodEnd > $start AND ChargePeriodStart < $end
  AND {IN_SCOPE.format("x_Provider")}
  AND (len($accounts) = 0
       OR list_contains(CAST($accounts AS VARCHAR[]), coalesce(SubAccountId, BillingAccountId)))
"""
COMPLIANCE_SQL = f"""
WITH bill AS ({BILL}), taggable AS (  -- one row per resource before the joins
    SELECT provider, account_id, rid, currency, sum(cost) AS cost
    FROM bill WHERE untaggable IS NULL GROUP BY ALL
), whole AS (
    SELECT provider, rid, bool_and(valid) AS ok FROM {STATUS} GROUP BY ALL
), lines AS (
    SELECT b.provider, b.account_id, b.rid, b.cost, b.currency, t.key, t.valid AS ok
    FROM taggable b JOIN {STATUS} t ON t.provider = b.provider AND t.rid = b.rid
    UNION ALL
    SELECT b.provider, b.account_id, b.rid, b.cost, b.currency, NULL, w.ok
    FROM taggable b JOIN whole w ON w.provider = b.provider AND w.rid = b.rid
)
SELECT provider, account_id, key, sum(cost) AS taggable,
       coalesce(sum(cost) FILTER (WHERE ok), 0) AS compliant, min(currency) AS currency,
       count(DISTINCT rid) AS resources,
       count(DISTINCT rid) FILTER (WHERE ok) AS compliant_resources
FROM lines GROUP BY GROUPING SETS ((provider, account_id, key), (provider, key))
"""
UNTAGGABLE_SQL = f"""
WITH bill AS ({BILL})
SELECT provider, account_id, untaggable AS kind, sum(cost) AS cost, min(currency) AS currency
FROM bill WHERE untaggable IS NOT NULL
GROUP BY GROUPING SETS ((provider, account_id, untaggable), (provider, untaggable))
"""


def compliance(con: duckdb.DuckDBPyConnection, policy: TagPolicy, span: Window,
               providers: tuple[str, ...] = (), accounts: tuple[str, ...] = ()
               ) -> list[ComplianceRow]:  # fmt: skip
    """Spend-weighted compliance with ``policy`` over ``span``: per provider (``account_id``
    None) and account, one row for all keys (``key`` None), then one per required key. Only the
    bill of ``providers`` and ``accounts`` when given (a provider's row then sums those)."""
    prepare_tag_status(con, policy, span, providers)
    params = {"start": span.start, "end": span.end, "providers": list(providers),
              "accounts": list(accounts)}  # fmt: skip
    kinds: dict[tuple[str, str | None], dict[str, Decimal]] = {}
    currencies: dict[tuple[str, str | None], str] = {}
    for r in fetch_dicts(con, UNTAGGABLE_SQL, params):
        kinds.setdefault((r["provider"], r["account_id"]), {})[r["kind"]] = r["cost"]
        currencies[r["provider"], r["account_id"]] = r["currency"]
    found = {(r["provider"], r["account_id"], r["key"]): r
             for r in fetch_dicts(con, COMPLIANCE_SQL, params)}  # fmt: skip
    for provider, account in kinds:  # accounts with untaggable charges only
        empty = {"taggable": Decimal(0), "compliant": Decimal(0), "resources": 0}
        found.setdefault((provider, account, None), {**empty, "compliant_resources": 0})
    order: dict[str | None, int] = {key: i for i, key in enumerate(policy.required_keys)}
    for (provider, account, _key), r in found.items():
        r["currency"] = r.get("currency") or currencies.get((provider, account))
    rows = [_row(key, r, kinds.get((key[0], key[1]), {})) for key, r in found.items()]
    return sorted(rows, key=lambda r: (r.provider, r.account_id or "", order.get(r.key, -1)))


def _row(where: tuple[str, str | None, str | None], r: dict[str, Any],
         kinds: dict[str, Decimal]) -> ComplianceRow:  # fmt: skip
    return ComplianceRow(
        provider=where[0], account_id=where[1], key=where[2], taggable_cost=r["taggable"],
        compliant_cost=r["compliant"], untaggable_cost=sum(kinds.values(), Decimal(0)),
        currency=r["currency"], resources=r["resources"],
        compliant_resources=r["compliant_resources"], untaggable_by_kind=kinds,
    )  # fmt: skip
