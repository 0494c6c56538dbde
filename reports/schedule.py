"""Checking a cron expression for the weekly run and showing when it would fire."""

from __future__ import annotations

import datetime as dt

from croniter import croniter

from warehouse.errors import CloudSpendError


class ScheduleError(CloudSpendError):
    """Not a valid cron expression."""


def next_runs(expression: str, after: dt.datetime, count: int = 5) -> list[dt.datetime]:
    """The next ``count`` times ``expression`` fires after ``after`` (five fields, or
    ``@weekly`` and friends; day names like MON are clearer than numbers)."""
    expression = expression.strip()
    if len(expression.split()) not in (1, 5) or not croniter.is_valid(expression):
        raise ScheduleError(
            f"not a valid cron expression: {expression!r} (five fields: minute hour"
            " day-of-month month day-of-week, e.g. '0 7 * * MON')"
        )
    it = croniter(expression, after)
    return [it.get_next(dt.datetime) for _ in range(count)]
