"""Spend from the FOCUS bill (EffectiveCost: amortized, after discounts), aggregated in DuckDB:
what can be filtered on, daily series, month to date with a forecast, top movers and how much
of it has an owner. Every sum is per currency; callers pick one (``Filters.currency``)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, replace

import duckdb
import pandas as pd

from reports.queries.filters import Filters
from reports.queries.frames import OWNERS, frame, owner_params
from reports.queries.tagkeys import OWNER_KEY, normal_key, tag_match_sql

DAY = "CAST(ChargePeriodStart AS DATE)"
GROUPINGS = {  # what a daily series can be stacked by: our own column expressions
    "provider": "x_Provider",
    "service": "ServiceName",
    "account": "coalesce(SubAccountId, BillingAccountId)",
    "region": "coalesce(RegionId, '(none)')",
}


@dataclass(frozen=True)
class Choices:
    """The values each filter can take in the loaded bill."""

    first_day: dt.date | None
    last_day: dt.date | None
    currencies: list[str]
    providers: list[str]
    accounts: list[str]
    regions: list[str]
    services: list[str]
    tag_keys: list[str]
    owners: list[str]


def choices(con: duckdb.DuckDBPyConnection) -> Choices:
    """Date bounds and the distinct values of every filter dimension."""
    row = con.execute(
        f"""SELECT min({DAY}), max({DAY}), {_distinct("BillingCurrency")},
               {_distinct("x_Provider")}, {_distinct(GROUPINGS["account"])},
               {_distinct("RegionId")}, {_distinct("ServiceName")} FROM focus_costs"""
    ).fetchall()[0]
    keys = con.execute(
        """SELECT DISTINCT k FROM (SELECT unnest(map_keys(tags)) AS k FROM resources
           UNION ALL SELECT unnest(map_keys(Tags)) FROM focus_costs) ORDER BY lower(k), k"""
    ).fetchall()
    spelled = [k for (k,) in keys if normal_key(k) == normal_key(OWNER_KEY)]
    owners = con.execute(f"SELECT DISTINCT owner FROM ({OWNERS}) ORDER BY 1",
                         {"owner_keys": spelled}).fetchall()  # fmt: skip
    currencies, providers, accounts, regions, services = (list(v or []) for v in row[2:])
    return Choices(row[0], row[1], currencies, providers, accounts, regions, services,
                   _tag_keys([k for (k,) in keys]), [o for (o,) in owners])  # fmt: skip


def _distinct(column: str) -> str:
    return f"list(DISTINCT {column} ORDER BY {column}) FILTER ({column} IS NOT NULL)"


def _tag_keys(keys: list[str]) -> list[str]:
    """One spelling per normalized key (``CostCenter``, not also ``cost-center``)."""
    seen: dict[str, str] = {}
    for key in keys:
        seen.setdefault(normal_key(key), key)
    return sorted(seen.values(), key=str.lower)


def daily(con: duckdb.DuckDBPyConnection, f: Filters, by: str = "provider") -> pd.DataFrame:
    """Effective cost per day and ``by`` (provider, service, account or region): day, group,
    currency, cost."""
    where, params = f.focus_where(con=con)
    return frame(
        con,
        f"""SELECT {DAY} AS day, {GROUPINGS[by]} AS "group", BillingCurrency AS currency,
               CAST(sum(EffectiveCost) AS DOUBLE) AS cost
            FROM focus_costs WHERE {where} GROUP BY ALL ORDER BY 1, 2""",
        params,
    )


@dataclass(frozen=True)
class MonthToDate:
    """Spend of the last month in the data, up to its last day, against the month before."""

    month: str  # YYYY-MM
    last_day: dt.date
    to_date: float
    previous_same_days: float  # the month before, its first ``last_day.day`` days
    previous_month: float
    forecast: float  # to_date at the same daily rate to the end of the month

    @property
    def change(self) -> float | None:
        if not self.previous_same_days:
            return None
        return self.to_date / self.previous_same_days - 1


def month_to_date(con: duckdb.DuckDBPyConnection, f: Filters) -> MonthToDate | None:
    """Month to date (anchored on the filtered data's last day, never on today's date), the
    same days of the previous month, the whole previous month and the forecast."""
    where, params = replace(f, start=None).focus_where(con=con)
    (last,) = con.execute(f"SELECT max({DAY}) FROM focus_costs WHERE {where}", params).fetchall()[0]
    if last is None:
        return None
    first = last.replace(day=1)
    before = (first - dt.timedelta(days=1)).replace(day=1)
    same = min(last.day, calendar.monthrange(before.year, before.month)[1])
    sums = con.execute(
        f"""SELECT
            coalesce(sum(EffectiveCost) FILTER ({DAY} >= $first AND {DAY} <= $last), 0),
            coalesce(sum(EffectiveCost) FILTER ({DAY} >= $before AND {DAY} < $before_same), 0),
            coalesce(sum(EffectiveCost) FILTER ({DAY} >= $before AND {DAY} < $first), 0)
            FROM focus_costs WHERE {where}""",
        {**params, "first": first, "last": last, "before": before,
         "before_same": before + dt.timedelta(days=same)},
    ).fetchall()[0]  # fmt: skip
    to_date, previous_same, previous = (float(v) for v in sums)
    days_in_month = calendar.monthrange(last.year, last.month)[1]
    forecast = to_date / last.day * days_in_month
    return MonthToDate(f"{first:%Y-%m}", last, to_date, previous_same, previous, forecast)


def top_movers(con: duckdb.DuckDBPyConnection, f: Filters, days: int = 7, by: str = "service",
               limit: int = 10) -> pd.DataFrame:  # fmt: skip
    """The ``by`` groups whose spend changed most between the last ``days`` days of the filtered
    data and the ``days`` before: group, currency, previous, recent, change."""
    where, params = f.focus_where(con=con)
    return frame(
        con,
        f"""WITH bill AS (SELECT {DAY} AS day, {GROUPINGS[by]} AS g, BillingCurrency AS currency,
                                 EffectiveCost AS cost FROM focus_costs WHERE {where}),
            edge AS (SELECT max(day) AS last FROM bill),
            split AS (
                SELECT g, currency,
                       sum(cost) FILTER (day > last - $days) AS recent,
                       sum(cost) FILTER (day <= last - $days AND day > last - 2 * $days)
                           AS previous
                FROM bill, edge WHERE day > last - 2 * $days GROUP BY ALL)
            SELECT g AS "group", currency, CAST(coalesce(previous, 0) AS DOUBLE) AS previous,
                   CAST(coalesce(recent, 0) AS DOUBLE) AS recent,
                   CAST(coalesce(recent, 0) - coalesce(previous, 0) AS DOUBLE) AS change
            FROM split ORDER BY abs(change) DESC, 1 LIMIT $limit""",
        {**params, "days": days, "limit": limit},
    )


def owned_share(con: duckdb.DuckDBPyConnection, f: Filters) -> float | None:
    """The share of the filtered spend on resources with an Owner tag (in the bill or the
    inventory): allocation coverage. None when there is no spend."""
    where, params = f.focus_where("c", con)
    owned = tag_match_sql("c.Tags", "$owner_keys", None)
    row = con.execute(
        f"""SELECT sum(EffectiveCost) FILTER ({owned} OR lower(c.ResourceId) IN
                                              (SELECT rid FROM ({OWNERS}))),
                   sum(EffectiveCost)
            FROM focus_costs c WHERE {where}""",
        {**params, **owner_params(con)},
    ).fetchall()[0]
    return float((row[0] or 0) / row[1]) if row[1] else None
