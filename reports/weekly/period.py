"""The report's week, from the data and never from today's date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from warehouse.sql import one

DAY = dt.timedelta(days=1)
WEEK = 7 * DAY


@dataclass(frozen=True)
class Span:
    """Whole UTC days ``[start, end)``; ``last`` is the last day included."""

    start: dt.datetime
    end: dt.datetime

    @property
    def first(self) -> dt.date:
        return self.start.date()

    @property
    def last(self) -> dt.date:
        return (self.end - DAY).date()

    def label(self) -> str:
        """``2026-10-25 to 2026-10-31``."""
        return f"{self.first.isoformat()} to {self.last.isoformat()}"

    def shifted(self, days: int) -> Span:
        return Span(self.start - days * DAY, self.end - days * DAY)


@dataclass(frozen=True)
class Weeks:
    """The report's week, the week before it and the same week four weeks (a month) earlier,
    so weekdays line up."""

    this: Span
    before: Span
    month_ago: Span

    @classmethod
    def ending(cls, last_day: dt.date) -> Weeks:
        """The seven days ending with ``last_day`` (included)."""
        end = dt.datetime.combine(last_day + DAY, dt.time(), tzinfo=dt.UTC)
        this = Span(end - WEEK, end)
        return cls(this, this.shifted(7), this.shifted(28))


LAST_DAY_SQL = """
SELECT max(ChargePeriodEnd) FROM focus_costs
WHERE ChargePeriodEnd - ChargePeriodStart <= INTERVAL 1 DAY
"""


def last_complete_day(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    """The last whole UTC day the bill's daily (or hourly) charges reach; monthly charges,
    whose period runs into the future, do not count."""
    (end,) = one(con, LAST_DAY_SQL)
    if end is None:
        return None
    moment: dt.datetime = end.astimezone(dt.UTC)
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return (midnight - DAY).date()
