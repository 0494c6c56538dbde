"""Assemble the weekly report: spend, findings, coverage, freshness and the warnings.

Nothing here reads the clock: the week ends with the bill's last complete day (or the day
asked for), "this week" for findings is the week before the last analysis run.

Example::

    with warehouse.read() as con:
        register(con, Decisions.beside(warehouse.path))
        report = build_report(con, ReportOptions(owner="team-data"))
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import duckdb

from analysis.tag_compliance import ComplianceRow
from reports.queries.filters import Filters
from reports.weekly.coverage import coverage
from reports.weekly.findings import FindingsWeek, findings_week
from reports.weekly.freshness import Source, freshness
from reports.weekly.period import Weeks, last_complete_day
from reports.weekly.spend import DailyCost, SpendRow, daily, spend, top_services, totals
from reports.weekly.state import ReportState, restated
from warehouse.errors import CloudSpendError


class ReportError(CloudSpendError):
    """The report cannot be made (no billing data) or sent."""


@dataclass(frozen=True)
class ReportOptions:
    """What to report on."""

    last_day: dt.date | None = None  # the week's last day; default: the bill's last whole day
    owner: str | None = None  # only resources whose Owner tag has this value
    top_services: int = 8
    stale_after_days: int = 2
    analysis: dict[str, dict[str, Any]] = field(default_factory=dict)  # analyzer overrides
    previous: ReportState | None = None  # what the last e-mailed report saw

    def filters(self) -> Filters:
        return Filters(owner=self.owner)


@dataclass(frozen=True)
class WeeklyReport:
    """Everything the renderers show."""

    weeks: Weeks
    owner: str | None
    providers: list[SpendRow]
    totals: list[SpendRow]  # all providers, one row per currency
    services: list[SpendRow]
    daily: list[DailyCost]
    findings: FindingsWeek
    coverage: list[ComplianceRow]
    sources: list[Source]
    warnings: list[str]

    @property
    def title(self) -> str:
        who = f" for {self.owner}" if self.owner else ""
        return f"Cloud cost report{who}, week {self.weeks.this.label()}"


def build_report(con: duckdb.DuckDBPyConnection, options: ReportOptions) -> WeeklyReport:
    """The report; ``con`` must have ``finding_decisions`` registered."""
    last_day = options.last_day or last_complete_day(con)
    if last_day is None:
        raise ReportError("no billing data to report on: load or collect billing first")
    weeks, filters = Weeks.ending(last_day), options.filters()
    rows = spend(con, weeks, filters)
    sources = freshness(con, options.stale_after_days, restated(con, options.previous))
    found = findings_week(con, filters)
    return WeeklyReport(
        weeks=weeks,
        owner=options.owner,
        providers=[r for r in rows if r.service is None],
        totals=list(totals(rows).values()),
        services=top_services(rows, options.top_services),
        daily=daily(con, weeks, filters),
        findings=found,
        coverage=coverage(con, weeks.this, options.analysis),
        sources=sources,
        warnings=_warnings(sources, found, options.previous, last_day),
    )


def _warnings(
    sources: list[Source], found: FindingsWeek, previous: ReportState | None, last_day: dt.date
) -> list[str]:
    out = []
    for s in sources:
        where = f"{s.provider} {s.account}"
        if s.stale:
            out.append(f"{where}: data ends {s.through}, {s.behind_days} days behind the newest")
        if s.restated:
            out.append(f"{where}: restated since the last report: {', '.join(s.restated)}")
        if s.reconciled is False:
            out.append(f"{where}: a billing period did not reconcile with its source")
    if previous is not None and previous.last_day >= last_day:
        out.append(f"no new billing data since the last report (data ends {last_day})")
    if found.as_of is None:
        out.append("no analysis has run yet: run `cloudspend analyze`")
    elif any(f.net is None for f in found.by_family):
        out.append("net savings (after overlaps) are not computed for every family yet")
    return out
