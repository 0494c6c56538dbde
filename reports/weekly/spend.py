"""Spend this week against the week before and the same week a month ago, per provider and
service, with the change split into what caused it.

A charge counts in a week for the share of its charge period inside the week (a monthly fee
spreads over its month). The change from the week before is split per resource and unit:
``new`` (resources with no cost the week before), ``gone`` (resources with cost only the week
before), ``usage`` (more or less quantity at the earlier week's unit cost), ``rate`` (the rest:
a different cost per unit) and ``other`` (charges of no resource or no quantity: fees, tax,
credits). The five add up to the change exactly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import duckdb

from analysis.pricing import fetch_dicts
from reports.queries.filters import Filters
from reports.weekly.period import Weeks

ZERO = Decimal(0)


@dataclass(frozen=True)
class SpendRow:
    """One provider (``service`` None) or one service of a provider, in one currency."""

    provider: str
    service: str | None
    currency: str
    this_week: Decimal
    week_before: Decimal
    month_ago: Decimal
    new: Decimal
    gone: Decimal
    usage: Decimal
    rate: Decimal
    other: Decimal

    @property
    def change(self) -> Decimal:
        return self.this_week - self.week_before

    @property
    def change_percent(self) -> float | None:
        if not self.week_before:
            return None
        return round(float(100 * self.change / self.week_before), 1)


SPEND_SQL = """
WITH weeks(label, ws, we) AS (
    VALUES ('this', $w_this0, $w_this1), ('before', $w_before0, $w_before1),
           ('month', $w_month0, $w_month1)
), lines AS (
    SELECT c.x_Provider AS provider, c.ServiceName AS service, c.BillingCurrency AS currency,
           lower(c.ResourceId) AS rid, coalesce(c.ConsumedUnit, c.PricingUnit) AS unit,
           coalesce(c.ConsumedQuantity, c.PricingQuantity) AS qty, c.EffectiveCost AS cost,
           c.ChargePeriodStart AS s, c.ChargePeriodEnd AS e
    FROM focus_costs c
    WHERE c.ChargePeriodEnd > $w_month0 AND c.ChargePeriodStart < $w_this1 AND {where}
), shares AS (
    SELECT w.label, l.*,
           (epoch(least(l.e, w.we)) - epoch(greatest(l.s, w.ws)))
               / greatest(epoch(l.e) - epoch(l.s), 1) AS f
    FROM lines l JOIN weeks w ON l.e > w.ws AND l.s < w.we
), keyed AS (
    SELECT provider, service, currency, rid, unit,
           coalesce(sum(CAST(cost * f AS DECIMAL(38, 6))) FILTER (label = 'this'), 0) AS c1,
           coalesce(sum(CAST(cost * f AS DECIMAL(38, 6))) FILTER (label = 'before'), 0) AS c0,
           coalesce(sum(CAST(cost * f AS DECIMAL(38, 6))) FILTER (label = 'month'), 0) AS cm,
           sum(qty * f) FILTER (label = 'this') AS q1,
           sum(qty * f) FILTER (label = 'before') AS q0,
           count(*) FILTER (label = 'this') AS n1, count(*) FILTER (label = 'before') AS n0
    FROM shares GROUP BY ALL
), split AS (
    SELECT *,
           CASE WHEN rid IS NOT NULL AND n0 = 0 THEN c1 ELSE 0 END AS new,
           CASE WHEN rid IS NOT NULL AND n1 = 0 AND n0 > 0 THEN -c0 ELSE 0 END AS gone,
           CASE WHEN rid IS NOT NULL AND n0 > 0 AND n1 > 0 AND q0 > 0 AND q1 IS NOT NULL
                THEN CAST((q1 - q0) * c0 / q0 AS DECIMAL(38, 6)) ELSE 0 END AS usage,
           rid IS NOT NULL AND n0 > 0 AND n1 > 0 AND q0 > 0 AND q1 IS NOT NULL AS priced
    FROM keyed
)
SELECT provider, service, currency, sum(c1) AS this_week, sum(c0) AS week_before,
       sum(cm) AS month_ago, sum(new) AS new, sum(gone) AS gone, sum(usage) AS usage,
       sum(CASE WHEN priced THEN c1 - c0 - usage ELSE 0 END) AS rate,
       sum(CASE WHEN rid IS NULL OR NOT priced AND n0 > 0 AND n1 > 0 THEN c1 - c0 ELSE 0 END)
           AS other
FROM split
GROUP BY GROUPING SETS ((provider, currency), (provider, service, currency))
ORDER BY service IS NOT NULL, this_week DESC, provider, service
"""


def spend(con: duckdb.DuckDBPyConnection, weeks: Weeks, filters: Filters) -> list[SpendRow]:
    """Provider rows first (largest first), then every service."""
    where, params = filters.focus_where("c", con)
    for name, span in (("this", weeks.this), ("before", weeks.before), ("month", weeks.month_ago)):
        params |= {f"w_{name}0": span.start, f"w_{name}1": span.end}
    return [_row(r) for r in fetch_dicts(con, SPEND_SQL.format(where=where), params)]


def _row(r: dict[str, Any]) -> SpendRow:
    money = {k: Decimal(r[k] or 0) for k in SpendRow.__dataclass_fields__ if k not in _TEXT}
    return SpendRow(r["provider"], r["service"], r["currency"], **money)


_TEXT = ("provider", "service", "currency")


def top_services(rows: list[SpendRow], n: int) -> list[SpendRow]:
    """The ``n`` services that cost most this week."""
    services = [r for r in rows if r.service is not None]
    return sorted(services, key=lambda r: (-r.this_week, r.provider, r.service or ""))[:n]


def totals(rows: list[SpendRow]) -> dict[str, SpendRow]:
    """All providers together, per currency."""
    out: dict[str, SpendRow] = {}
    for r in rows:
        if r.service is not None:
            continue
        prev = out.get(r.currency)
        if prev is None:
            out[r.currency] = SpendRow("all", None, r.currency, *_money(r))
        else:
            summed = (a + b for a, b in zip(_money(prev), _money(r), strict=True))
            out[r.currency] = SpendRow("all", None, r.currency, *summed)
    return out


def _money(r: SpendRow) -> tuple[Decimal, ...]:
    return (r.this_week, r.week_before, r.month_ago, r.new, r.gone, r.usage, r.rate, r.other)


DAILY_SQL = """
WITH days AS (
    SELECT unnest(range($d_start, $d_end, INTERVAL 1 DAY)) AS ds
), lines AS (
    SELECT c.x_Provider AS provider, c.BillingCurrency AS currency, c.EffectiveCost AS cost,
           c.ChargePeriodStart AS s, c.ChargePeriodEnd AS e
    FROM focus_costs c
    WHERE c.ChargePeriodEnd > $d_start AND c.ChargePeriodStart < $d_end AND {where}
)
SELECT CAST(d.ds AS DATE) AS day, l.provider, l.currency,
       sum(CAST(l.cost * (epoch(least(l.e, d.ds + INTERVAL 1 DAY)) - epoch(greatest(l.s, d.ds)))
           / greatest(epoch(l.e) - epoch(l.s), 1) AS DECIMAL(38, 6))) AS cost
FROM lines l JOIN days d ON l.e > d.ds AND l.s < d.ds + INTERVAL 1 DAY
GROUP BY ALL ORDER BY day, provider, currency
"""


@dataclass(frozen=True)
class DailyCost:
    day: dt.date
    provider: str
    currency: str
    cost: Decimal


def daily(con: duckdb.DuckDBPyConnection, weeks: Weeks, filters: Filters) -> list[DailyCost]:
    """Cost per day and provider from the month-ago week to the end of the report's week."""
    where, params = filters.focus_where("c", con)
    params |= {"d_start": weeks.month_ago.start, "d_end": weeks.this.end}
    return [DailyCost(**r) for r in fetch_dicts(con, DAILY_SQL.format(where=where), params)]
