"""What if a commitment group bought ``hourly_commitment`` per hour of an offer: its hourly
coverage, utilization and net savings over the lookback, on the group's eligible on-demand usage
as billed (for the dashboard's slider; ``commitment_purchase`` sizes on the post-optimization
baseline instead). :func:`simulate` is the arithmetic alone, on a group's series already
expanded, so a new level or term only re-sums the hours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import duckdb

from analysis.commitment_plan import Offer, offers
from analysis.commitment_sizing import Series
from analysis.commitment_usage import GroupUsage, Key, groups, prepare
from analysis.window import window


@dataclass(frozen=True)
class WhatIf:
    """A commitment level's effect over the lookback (money per hour, monthly savings)."""

    group: str
    term: str
    hourly_commitment: float
    level: float  # on-demand spend per hour it can cover
    hourly_coverage: list[float]  # covered / eligible per hour (0 where nothing ran)
    coverage: float
    utilization: float
    net_hourly_savings: float
    net_monthly_savings: float


class WhatIfError(ValueError):
    """A group or term the warehouse does not know."""


def whatif(
    con: duckdb.DuckDBPyConnection, end: dt.datetime, group: Key, hourly_commitment: float,
    term: str, lookback_days: int = 30,
    baseline: Mapping[str, tuple[bool, str | None, float]] | None = None,
) -> WhatIf:  # fmt: skip
    """Simulate ``hourly_commitment`` of the ``term`` offer of ``group`` (provider, region,
    SKU) over the ``lookback_days`` before ``end``."""
    span = window(end, lookback_days)
    prepare(con, span, baseline or {})
    usage = next((g for g in groups(con, span) if g.key == group), None)
    if usage is None:
        raise WhatIfError(f"no eligible on-demand usage for {'/'.join(group)}")
    return simulate(usage, offers(con, usage), hourly_commitment, term)


def simulate(usage: GroupUsage, priced: Sequence[Offer], hourly_commitment: float, term: str
             ) -> WhatIf:  # fmt: skip
    """``hourly_commitment`` of the ``term`` offer among ``priced`` over the hourly series of
    ``usage`` (the group's eligible spend, as :func:`analysis.commitment_usage.groups` makes it)."""
    offer = next((o for o in priced if o.term == term), None)
    if offer is None:
        raise WhatIfError(f"no {term!r} offer priced for {usage.name}")
    rate = offer.rate(usage.paid_share)
    level = hourly_commitment / rate
    outcome = Series(usage.spend).outcome(level, rate)
    hourly = [min(u, level) / u if u > 0 else 0.0 for u in usage.spend]
    return WhatIf(usage.name, term, hourly_commitment, level, hourly, outcome.coverage,
                  outcome.utilization, outcome.net_savings,
                  outcome.monthly_savings)  # fmt: skip
