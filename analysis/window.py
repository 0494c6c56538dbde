"""Time windows anchored on the data's last complete day, never on today's date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from warehouse.sql import one

DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Window:
    """``[start, end)``: ``days`` whole days ending at the end of the last complete day."""

    start: dt.datetime
    end: dt.datetime

    @property
    def days(self) -> int:
        return (self.end - self.start) // DAY

    @property
    def hours(self) -> int:
        return int((self.end - self.start).total_seconds() // 3600)


def data_end(con: duckdb.DuckDBPyConnection) -> dt.datetime | None:
    """The end (midnight UTC) of the last complete day of data: of the hourly metrics when
    there are any, else of the billed charge periods."""
    (metrics_end,) = one(con, "SELECT max(hour) + INTERVAL 1 HOUR FROM metrics")
    (billing_end,) = one(con, "SELECT max(ChargePeriodEnd) FROM focus_costs")
    end = metrics_end or billing_end
    if end is None:
        return None
    moment: dt.datetime = end.astimezone(dt.UTC)
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def window(end: dt.datetime, days: int) -> Window:
    """The ``days`` whole days before ``end``."""
    return Window(end - days * DAY, end)
