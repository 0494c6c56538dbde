"""A commitment group's purchase plan: each offer priced in ``prices`` (pricing_model
'commitment': AWS 1-/3-year RIs, Azure 1-/3-year reservations and savings plans, GCP 1-/3-year
CUDs) sized on the group's hourly eligible spend (``analysis.commitment_sizing``), and the one
recommended. Offers are alternatives: never summed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import duckdb

from analysis.commitment_sizing import Outcome, Series, for_coverage, guarded, optimal, stable
from analysis.commitment_usage import GroupUsage
from analysis.costs import HOURS_PER_MONTH

PRICES = """
SELECT pricing_model, coalesce(term, ''), min(unit_price) FROM prices
WHERE provider = $provider AND coalesce(region, '') = $region AND sku = $sku
  AND pricing_model IN ('on_demand', 'commitment') AND unit ILIKE 'h%'
  AND (operating_system IS NULL OR $os IS NULL OR lower(operating_system) = $os)
GROUP BY 1, 2 ORDER BY 1, 2
"""


@dataclass(frozen=True)
class Offer:
    """One commitment offer for a group: its term, its hourly price and the on-demand one."""

    term: str
    hourly: float
    on_demand: float

    @property
    def years(self) -> int:
        match = re.match(r"(\d+)\s*y", self.term)
        return int(match.group(1)) if match else 0

    def rate(self, paid_share: float) -> float:
        """Commitment cost per unit of on-demand spend actually paid (1 - discount)."""
        return self.hourly / (self.on_demand * paid_share)


@dataclass(frozen=True)
class Sized:
    """One offer sized: the three points, the guard and what the recommended level does."""

    offer: Offer
    rate: float
    stable: float
    optimal: float
    target: float
    short_optimal: float
    level: float  # recommended: the lower of the long and the short lookback's optimum
    outcome: Outcome  # of ``level`` over the long lookback
    short_outcome: Outcome  # of ``level`` over the short lookback

    def evidence(self) -> dict[str, Any]:
        o = self.outcome
        return {
            "term": self.offer.term, "commitment_hourly_price": self.offer.hourly,
            "on_demand_hourly_price": self.offer.on_demand, "discount": round(1 - self.rate, 4),
            "level_stable": round(self.stable, 6), "level_optimal": round(self.optimal, 6),
            "level_coverage_target": round(self.target, 6),
            "level_optimal_short": round(self.short_optimal, 6),
            "level_recommended": round(self.level, 6),
            "hourly_commitment": round(o.commitment, 6),
            "net_monthly_savings": round(o.monthly_savings, 2),
            "coverage": round(o.coverage, 4), "utilization": round(o.utilization, 4),
            "unused_monthly": round(o.unused * HOURS_PER_MONTH, 2),
            "short_utilization": round(self.short_outcome.utilization, 4),
            "break_even_months": self.break_even(),
        }  # fmt: skip

    def break_even(self) -> float | None:
        """Upfront / (monthly on-demand avoided - monthly commitment) (checks.md 4.2): 0 for the
        no-upfront rates ``prices`` holds; None when nothing is saved."""
        return 0.0 if self.outcome.net_savings > 0 else None


def offers(con: duckdb.DuckDBPyConnection, group: GroupUsage) -> list[Offer]:
    """The group's commitment offers with the on-demand price they discount."""
    provider, region, sku = group.key
    binds = {"provider": provider, "region": region, "sku": sku, "os": group.os}
    rows = con.execute(PRICES, binds).fetchall()
    on_demand = next((float(p) for model, _t, p in rows if model == "on_demand"), None)
    if not on_demand:
        return []
    return [Offer(t, float(p), on_demand) for model, t, p in rows if model == "commitment"]


def size(
    group: GroupUsage, offer: Offer, short_hours: int, stable_pct: float, target: float
) -> Sized:
    """``offer`` sized on the group's whole window and, for the guard, its last hours."""
    rate = offer.rate(group.paid_share)
    long, short = Series(group.spend), Series(group.spend[-short_hours:])
    level, best, short_best = guarded(long, short, rate)
    return Sized(offer, rate, stable(long, stable_pct), best, for_coverage(long, target),
                 short_best, level, long.outcome(level, rate),
                 short.outcome(level, rate))  # fmt: skip


def recommend(sized: list[Sized], years: int) -> Sized | None:
    """The offer of the preferred term (else any) saving most; None when none saves."""
    saving = [s for s in sized if s.outcome.net_savings > 0]
    preferred = [s for s in saving if s.offer.years == years] or saving
    return max(preferred, key=lambda s: s.outcome.net_savings, default=None)


def optimum_level(group: GroupUsage, offer: Offer) -> float:
    """The long lookback's optimum alone (for the what-if)."""
    return optimal(Series(group.spend), offer.rate(group.paid_share))
