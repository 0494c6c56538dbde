"""The findings side of the week: net savings available per family (gross beside it), what is
new, what was resolved (with the savings the bill shows), snoozes about to expire, the top ten.

"This week" is the seven days before the last analysis run (the newest ``last_seen``), so the
report depends on the warehouse and the decisions file only, never on today's date. Dismissed
findings, and snoozed ones until their date, leave the totals and the lists of open findings.
Net savings are the ledger's as the decisions leave it (``reports.queries.net``: dismissing a
finding lets the others on its resource net more at once). They may be missing (the ledger has
not run); they are then shown as missing, never replaced by the gross figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import duckdb

from analysis.pricing import fetch_dicts
from reports.owners import OWNERS_CTE
from reports.queries.filters import Filters
from reports.queries.frames import owner_params
from reports.queries.net import RELATION, net_sql, register_net
from reports.sqlparams import used
from warehouse.decisions import Decision

TOP = 10


@dataclass(frozen=True)
class FamilySavings:
    """Open, not dismissed or snoozed findings of one family, in one currency."""

    family: str
    currency: str | None
    findings: int
    with_net: int  # how many have a net figure yet
    gross: Decimal
    net: Decimal | None  # None: no finding of the family has a net figure yet


@dataclass(frozen=True)
class FindingLine:
    """One finding as the report lists it."""

    finding_id: str
    family: str
    check: str
    provider: str
    account_id: str | None
    resource_id: str | None
    action: str
    owner: str | None
    gross: Decimal | None
    net: Decimal | None
    realized: Decimal | None
    currency: str | None
    confidence: float | None
    until: dt.date | None = None
    reason: str | None = None


@dataclass(frozen=True)
class FindingsWeek:
    """Everything the report says about findings."""

    as_of: dt.datetime | None  # the last analysis run
    by_family: list[FamilySavings]
    new: list[FindingLine]
    new_count: int
    resolved: list[FindingLine]
    snoozes_expiring: list[FindingLine]
    top: list[FindingLine]


BASE = """
WITH {owners}, base AS (
    SELECT f.* REPLACE ({net} AS savings_net), o.owner, d.state AS decision, d.until AS until,
           d.reason AS decision_reason,
           coalesce(d.state = 'dismissed' OR (d.state = 'snoozed' AND d.until > $today), false)
               AS hidden
    FROM findings f
    LEFT JOIN owners o ON o.rid = lower(f.resource_id)
    LEFT JOIN finding_decisions d ON d.finding_id = f.finding_id
    LEFT JOIN {relation} n ON n.finding_id = f.finding_id
    WHERE {where}
)
"""
LINE = """
SELECT finding_id, family, "check", provider, account_id, resource_id, action, owner,
       savings_gross AS gross, savings_net AS net, realized_savings AS realized, currency,
       confidence, until, decision_reason AS reason
FROM base
"""
OPEN = "status = 'open' AND NOT hidden"
ORDER = "ORDER BY net DESC NULLS LAST, gross DESC NULLS LAST, finding_id"

FAMILY_SQL = f"""
SELECT family, currency, count(*) AS findings, count(savings_net) AS with_net,
       coalesce(sum(savings_gross), 0) AS gross, sum(savings_net) AS net
FROM base WHERE {OPEN} GROUP BY ALL ORDER BY gross DESC, family
"""
NEW_SQL = f"{LINE} WHERE {OPEN} AND first_seen >= $since {ORDER}"
RESOLVED_SQL = f"""{LINE} WHERE status = 'resolved' AND resolved_at >= $since
ORDER BY realized DESC NULLS LAST, gross DESC NULLS LAST, finding_id"""
SNOOZE_SQL = f"""{LINE} WHERE decision = 'snoozed' AND until > $today
AND until <= $today + INTERVAL 7 DAY ORDER BY until, finding_id"""
TOP_SQL = f"{LINE} WHERE {OPEN} {ORDER} LIMIT {TOP}"


def last_run(con: duckdb.DuckDBPyConnection) -> dt.datetime | None:
    """When the last analysis ran (the newest last_seen), or None before any."""
    row = con.execute("SELECT max(last_seen) FROM findings").fetchone()
    return row[0] if row else None


def findings_week(con: duckdb.DuckDBPyConnection, filters: Filters) -> FindingsWeek:
    """Needs the relation ``finding_decisions`` (``warehouse.decisions.register``)."""
    as_of = last_run(con)
    if as_of is None:
        return FindingsWeek(None, [], [], 0, [], [], [])
    where, params = filters.findings_where("f", con)
    params |= {"today": as_of.date(), "since": as_of - dt.timedelta(days=7)} | owner_params(con)
    register_net(con, registered_decisions(con), as_of.date())
    base = BASE.format(owners=OWNERS_CTE, where=where, relation=RELATION, net=net_sql("f", "n"))

    def lines(sql: str) -> list[FindingLine]:
        return [FindingLine(**r) for r in fetch_dicts(con, base + sql, used(base + sql, params))]

    new = lines(NEW_SQL)
    family_sql = base + FAMILY_SQL
    families = [_family(r) for r in fetch_dicts(con, family_sql, used(family_sql, params))]
    return FindingsWeek(
        as_of, families, new[:TOP], len(new), lines(RESOLVED_SQL), lines(SNOOZE_SQL),
        lines(TOP_SQL),
    )  # fmt: skip


def _family(r: dict[str, Any]) -> FamilySavings:
    return FamilySavings(**r) if r["with_net"] else FamilySavings(**{**r, "net": None})


def registered_decisions(con: duckdb.DuckDBPyConnection) -> list[Decision]:
    """The decisions registered on ``con`` as ``finding_decisions``."""
    rows = fetch_dicts(con, "SELECT * FROM finding_decisions ORDER BY finding_id", {})
    return [Decision(**r) for r in rows]
