"""The commitment portfolio as the bill shows it (FOCUS CommitmentDiscount* columns): each
commitment's used and unused part over a window, and utilization and coverage per provider,
service, region and commitment. Definitions (checks.md 4.2, verbatim):

- RI utilization = used reserved hours / purchased hours.
- SP utilization = UsedCommitment / TotalCommitment. UnusedCommitment is waste.
- RI coverage = ReservedHours / TotalRunningHours; SP coverage = SP-covered eligible usage /
  all SP-eligible usage.

Per commitment, utilization is Used / (Used + Unused) CommitmentDiscountQuantity where the
commitment counts in one unit (hours for an RI), else in amortized cost (EffectiveCost: a
savings plan's commitment, a CUD's vCPU and memory together). Across commitments (provider,
service, region) both are in money: utilization = used / committed amortized cost, each
commitment's unused part shared out in proportion to what it covered there; coverage =
on-demand-equivalent (ListCost) of covered usage / that of all eligible usage (usage at
on-demand or committed prices: not spot)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from analysis.pricing import fetch_dicts
from analysis.window import Window

WINDOW = "ChargePeriodStart >= $start AND ChargePeriodStart < $end AND ChargeCategory = 'Usage'"

COMMITMENTS = f"""
SELECT x_Provider AS provider, CommitmentDiscountId AS commitment_id,
       min(CommitmentDiscountType) AS type, min(CommitmentDiscountCategory) AS category,
       min(SubAccountId) AS account_id,
       coalesce(min(RegionId) FILTER (WHERE CommitmentDiscountStatus = 'Unused'),
                CASE WHEN count(DISTINCT RegionId) = 1 THEN min(RegionId) END) AS region,
       sum(EffectiveCost) FILTER (WHERE CommitmentDiscountStatus = 'Used') AS used_cost,
       coalesce(sum(EffectiveCost) FILTER (WHERE CommitmentDiscountStatus = 'Unused'), 0)
           AS unused_cost,
       sum(ListCost) FILTER (WHERE CommitmentDiscountStatus = 'Used') AS covered_list,
       sum(CommitmentDiscountQuantity) FILTER (WHERE CommitmentDiscountStatus = 'Used')
           AS used_qty,
       coalesce(sum(CommitmentDiscountQuantity) FILTER (
           WHERE CommitmentDiscountStatus = 'Unused'), 0) AS unused_qty,
       count(DISTINCT CommitmentDiscountUnit) AS units,
       count(*) FILTER (WHERE CommitmentDiscountQuantity IS NULL) AS no_qty,
       min(CommitmentDiscountUnit) AS unit, max(x_CommitmentDiscountEnd) AS ends,
       min(BillingCurrency) AS currency,
       greatest(epoch(least(max(ChargePeriodEnd), $end)
                      - greatest(min(ChargePeriodStart), $start)) / 3600, 1) AS hours,
       list(DISTINCT ResourceId) FILTER (WHERE CommitmentDiscountStatus = 'Used') AS covers
FROM focus_costs
WHERE {WINDOW} AND CommitmentDiscountId IS NOT NULL
  AND CommitmentDiscountStatus IN ('Used', 'Unused')
GROUP BY 1, 2 ORDER BY 1, 2
"""


def commitments(con: duckdb.DuckDBPyConnection, span: Window) -> list[dict[str, Any]]:
    """Each commitment seen in ``span`` with its ``utilization`` and ``utilization_basis``."""
    rows = fetch_dicts(con, COMMITMENTS, {"start": span.start, "end": span.end})
    for row in rows:
        by_qty = row["category"] == "Usage" and row["units"] == 1 and not row["no_qty"]
        basis = ("used_qty", "unused_qty") if by_qty else ("used_cost", "unused_cost")
        used, unused = row[basis[0]], row[basis[1]]
        total = float(used or 0) + float(unused or 0)
        row["utilization"] = float(used or 0) / total if total else None
        row["utilization_basis"] = f"quantity ({row['unit']})" if by_qty else "amortized cost"
    return rows


# one row per (commitment or none, service, region) of eligible usage; unused commitment is
# shared over the services and regions the commitment covered, by covered cost
SUMMARY = f"""
WITH usage AS (
    SELECT x_Provider AS provider, ServiceName AS service, RegionId AS region,
           CommitmentDiscountId AS cid, CommitmentDiscountStatus AS status,
           CAST(EffectiveCost AS DOUBLE) AS eff, CAST(ListCost AS DOUBLE) AS lst
    FROM focus_costs
    WHERE {WINDOW} AND (CommitmentDiscountId IS NOT NULL
          OR (PricingCategory IN ('Standard', 'Committed') AND PricingUnit ILIKE '%hour%'))
), used AS (
    SELECT provider, cid, service, region, sum(eff) AS eff, sum(lst) AS lst
    FROM usage WHERE status = 'Used' GROUP BY ALL
), unused AS (
    SELECT provider, cid, min(service) AS service, min(region) AS region, sum(eff) AS eff
    FROM usage WHERE status = 'Unused' GROUP BY ALL
), shared AS (
    SELECT u.provider, u.cid, u.service, u.region, u.eff AS used, u.lst AS covered,
           coalesce(n.eff, 0) * u.eff / nullif(sum(u.eff) OVER (PARTITION BY u.provider, u.cid),
                                                0) AS unused
    FROM used u LEFT JOIN unused n ON n.provider = u.provider AND n.cid = u.cid
    UNION ALL
    SELECT n.provider, n.cid, n.service, n.region, 0, 0, n.eff FROM unused n
    WHERE NOT EXISTS (SELECT 1 FROM used u WHERE u.provider = n.provider AND u.cid = n.cid)
    UNION ALL
    SELECT provider, NULL, service, region, 0, 0, 0 FROM usage WHERE cid IS NULL GROUP BY ALL
), eligible AS (
    SELECT provider, service, region, sum(lst) AS eligible FROM usage
    WHERE status IS NULL OR status = 'Used' GROUP BY ALL
)
SELECT s.*, e.eligible FROM shared s
LEFT JOIN eligible e ON e.provider = s.provider AND e.service IS NOT DISTINCT FROM s.service
     AND e.region IS NOT DISTINCT FROM s.region
"""


@dataclass(frozen=True)
class PortfolioRow:
    """Utilization and coverage of one provider, service, region or commitment."""

    level: str  # provider | service | region | commitment
    provider: str
    key: str
    committed: float  # amortized commitment cost in the window (used + unused)
    used: float
    covered: float  # on-demand equivalent of the covered usage
    eligible: float  # on-demand equivalent of all eligible usage

    @property
    def utilization(self) -> float | None:
        return self.used / self.committed if self.committed else None

    @property
    def coverage(self) -> float | None:
        return self.covered / self.eligible if self.eligible else None


LEVELS = ("provider", "service", "region", "commitment")


def summary(con: duckdb.DuckDBPyConnection, span: Window) -> list[PortfolioRow]:
    """Utilization and coverage per provider, service, region and commitment over ``span``,
    sorted by level, provider and key (rows a report can print as they are)."""
    rows = fetch_dicts(con, SUMMARY, {"start": span.start, "end": span.end})
    eligible = {(r["provider"], r["service"], r["region"]): r["eligible"] or 0.0 for r in rows}
    sums: dict[tuple[str, str, str], list[float]] = {}
    scopes: dict[tuple[str, str, str], set[tuple[str, str, str]]] = {}
    for r in rows:
        where = (r["provider"], r["service"], r["region"])
        keys = {"provider": r["provider"], "service": r["service"], "region": r["region"],
                "commitment": r["cid"]}  # fmt: skip
        for level, key in keys.items():
            if level == "commitment" and key is None:
                continue
            at = (level, r["provider"], str(key))
            acc = sums.setdefault(at, [0.0, 0.0, 0.0])
            acc[0] += (r["used"] or 0.0) + (r["unused"] or 0.0)
            acc[1] += r["used"] or 0.0
            acc[2] += r["covered"] or 0.0
            scopes.setdefault(at, set()).add(where)
    out = [
        PortfolioRow(at[0], at[1], at[2], acc[0], acc[1], acc[2],
                     sum(eligible.get(w, 0.0) for w in scopes[at]))
        for at, acc in sums.items()
    ]  # fmt: skip
    return sorted(out, key=lambda p: (LEVELS.index(p.level), p.provider, p.key))
