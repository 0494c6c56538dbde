"""Commitments (reservations, savings plans, committed use discounts) as the bill shows them:
daily utilization and coverage per provider and per commitment, the portfolio over a window,
commitments ending soon, and the what-if groups (``analysis.commitment_whatif``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from analysis.commitment_plan import Offer, offers
from analysis.commitment_portfolio import commitments, summary
from analysis.commitment_usage import GroupUsage, Key, group_series
from analysis.window import Window, data_end, window
from reports.queries.filters import Filters
from reports.queries.frames import frame

USAGE = """
SELECT CAST(ChargePeriodStart AS DATE) AS day, x_Provider AS provider,
       CommitmentDiscountId AS commitment_id, CommitmentDiscountStatus AS status,
       CAST(EffectiveCost AS DOUBLE) AS eff, CAST(ListCost AS DOUBLE) AS lst
FROM focus_costs
WHERE ChargeCategory = 'Usage' AND {where}
  AND (CommitmentDiscountId IS NOT NULL
       OR (PricingCategory IN ('Standard', 'Committed') AND PricingUnit ILIKE '%hour%'))
"""

DAILY_SQL = f"""
WITH usage AS ({USAGE})
SELECT day, provider, coalesce(commitment_id, '') AS commitment_id,
       sum(eff) FILTER (status = 'Used') AS used, sum(eff) FILTER (status = 'Unused') AS unused,
       sum(lst) FILTER (status = 'Used') AS covered,
       sum(lst) FILTER (status IS NULL OR status = 'Used') AS eligible
FROM usage GROUP BY GROUPING SETS ((day, provider), (day, provider, commitment_id))
ORDER BY day, provider, commitment_id
"""


def daily(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Per day and provider (``commitment_id`` '') and per commitment: used and unused
    amortized commitment, covered and eligible on-demand-equivalent usage, utilization
    (used / (used + unused)) and coverage (covered / eligible; providers only)."""
    where, params = f.focus_where(con=con)
    out = frame(con, DAILY_SQL.format(where=where), params)
    committed = out["used"].fillna(0) + out["unused"].fillna(0)
    out["utilization"] = out["used"].fillna(0) / committed.where(committed > 0)
    per_provider = out["commitment_id"] == ""
    out["coverage"] = (out["covered"].fillna(0) / out["eligible"].where(out["eligible"] > 0)
                       ).where(per_provider)  # fmt: skip
    return out


def portfolio(con: duckdb.DuckDBPyConnection, span: Window) -> pd.DataFrame:
    """Utilization and coverage per provider, service, region and commitment over ``span``."""
    rows = [
        {
            "level": r.level,
            "provider": r.provider,
            "key": r.key,
            "committed": r.committed,
            "used": r.used,
            "utilization": r.utilization,
            "covered": r.covered,
            "eligible": r.eligible,
            "coverage": r.coverage,
        }
        for r in summary(con, span)
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "level",
            "provider",
            "key",
            "committed",
            "used",
            "utilization",
            "covered",
            "eligible",
            "coverage",
        ],
    )


def ending(con: duckdb.DuckDBPyConnection, span: Window, within_days: int = 90) -> pd.DataFrame:
    """Commitments seen in ``span`` that end within ``within_days`` after it (or have ended),
    soonest first, with their utilization."""
    horizon = span.end + dt.timedelta(days=within_days)
    rows = [
        {
            "provider": r["provider"],
            "commitment_id": r["commitment_id"],
            "type": r["type"],
            "account_id": r["account_id"],
            "region": r["region"],
            "ends": r["ends"],
            "utilization": r["utilization"],
            "basis": r["utilization_basis"],
        }
        for r in commitments(con, span)
        if r["ends"] is not None and r["ends"] <= horizon
    ]
    return pd.DataFrame(rows, columns=["provider", "commitment_id", "type", "account_id",
                                       "region", "ends", "utilization", "basis"]
                        ).sort_values("ends", kind="stable")  # fmt: skip


@dataclass(frozen=True)
class WhatIfGroup:
    """A commitment group the what-if can simulate: its key, offers and eligible spend, with
    the hourly series itself (``usage``) so that a new level or term only re-sums it
    (``analysis.commitment_whatif.simulate``)."""

    key: Key
    terms: tuple[str, ...]
    mean_hourly: float  # eligible on-demand spend per hour, averaged over the lookback
    peak_hourly: float
    hourly_prices: tuple[float, ...]  # each term's commitment price per hour (one unit)
    usage: GroupUsage
    offers: tuple[Offer, ...]


def whatif_groups(con: duckdb.DuckDBPyConnection, lookback_days: int = 30
                  ) -> tuple[dt.datetime | None, list[WhatIfGroup]]:  # fmt: skip
    """The data's end and the groups with eligible on-demand usage and a priced offer."""
    end = data_end(con)
    if end is None:
        return None, []
    span = window(end, lookback_days)
    found = []
    for g in group_series(con, span):
        priced = offers(con, g)
        if priced and g.spend:
            terms, prices = tuple(o.term for o in priced), tuple(o.hourly for o in priced)
            mean, peak = sum(g.spend) / len(g.spend), max(g.spend)
            found.append(WhatIfGroup(g.key, terms, mean, peak, prices, g, tuple(priced)))
    return end, found
