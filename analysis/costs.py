"""What a resource costs, from the bill first: its trailing effective cost in ``focus_costs``
(so negotiated discounts and amortized commitments are respected), as a monthly run rate of
730 hours; list prices from ``prices`` only where the bill cannot say."""

from __future__ import annotations

from decimal import Decimal

import duckdb

from analysis.window import Window
from warehouse.sql import one

HOURS_PER_MONTH = 730
COSTS = "resource_costs"


def prepare_costs(con: duckdb.DuckDBPyConnection, span: Window) -> None:
    """``resource_costs``: per provider and resource (``rid``: the id lower-cased, as Azure ids
    differ in case between files), the usage charges of ``span``: effective and list cost, the
    hours they cover and a monthly run rate."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {COSTS} AS
        SELECT x_Provider AS provider, lower(ResourceId) AS rid,
               sum(EffectiveCost) AS effective_cost, sum(ListCost) AS list_cost,
               min(BillingCurrency) AS currency, count(DISTINCT BillingCurrency) AS currencies,
               greatest(epoch(least(max(ChargePeriodEnd), $end)
                              - greatest(min(ChargePeriodStart), $start)) / 3600, 1) AS hours,
               sum(EffectiveCost) / greatest(epoch(least(max(ChargePeriodEnd), $end)
                              - greatest(min(ChargePeriodStart), $start)) / 3600, 1)
                   * {HOURS_PER_MONTH} AS monthly_cost
        FROM focus_costs
        WHERE ResourceId IS NOT NULL AND ChargeCategory = 'Usage'
          AND ChargePeriodStart >= $start AND ChargePeriodStart < $end
        GROUP BY ALL
        """,
        {"start": span.start, "end": span.end},
    )


def list_monthly(
    con: duckdb.DuckDBPyConnection, provider: str, region: str | None, sku: str | None
) -> tuple[Decimal, str, str] | None:
    """(monthly on-demand list cost, currency, unit) of an hourly-priced SKU in a region."""
    row = one(
        con,
        """SELECT min(unit_price) * ?, min(currency), min(unit) FROM prices
           WHERE provider = ? AND sku = ? AND pricing_model = 'on_demand'
             AND (region = ? OR region IS NULL) AND unit ILIKE 'h%'""",
        [HOURS_PER_MONTH, provider, sku, region],
    )
    return None if row[0] is None else (Decimal(row[0]), str(row[1]), str(row[2]))
