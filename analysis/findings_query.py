"""Reading findings with the users' decisions applied: the status a user sees, the cost of
inaction, a finding by its id or a unique prefix, and the ledger recomputed without what a user
dismissed or snoozed since the last run (for the dashboard and the report)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import duckdb

from analysis.ledger import Item, Ledger
from analysis.ledger import apply as apply_ledger
from warehouse.decisions import Decision, register
from warehouse.errors import CloudSpendError

STATUSES = ("open", "dismissed", "snoozed", "resolved", "cannot_judge")
DAYS_PER_MONTH = Decimal("365.25") / Decimal(12)

# The status a user sees: a decision hides an open finding (a snooze until its date).
SHOWN_STATUS = """
    CASE WHEN f.status = 'open' AND d.state = 'dismissed' THEN 'dismissed'
         WHEN f.status = 'open' AND d.state = 'snoozed' AND d.until > $today THEN 'snoozed'
         ELSE f.status END
"""

# An open finding's daily net savings x the days since it was first seen.
COST_OF_INACTION = f"""
    CASE WHEN f.status = 'open' THEN f.savings_net / {DAYS_PER_MONTH}
         * greatest(date_diff('day', f.first_seen, $now), 0) END
"""


class FindingNotFound(CloudSpendError):
    """No finding, or more than one, has the id or prefix given."""


def findings_view(
    con: duckdb.DuckDBPyConnection, decisions: list[Decision], now: dt.datetime
) -> tuple[str, dict[str, Any]]:
    """SQL for every finding with ``shown_status``, the decision's reason and date, and
    ``cost_of_inaction``; and its parameters. Registers the decisions on ``con``."""
    register(con, decisions)
    sql = f"""
        SELECT f.*, {SHOWN_STATUS} AS shown_status, d.reason AS decision_reason,
               d.until AS snoozed_until, d.set_by AS decided_by,
               date_diff('day', f.first_seen, $now) AS age_days,
               {COST_OF_INACTION} AS cost_of_inaction
        FROM findings f LEFT JOIN finding_decisions d USING (finding_id)
    """
    return sql, {"today": now.date(), "now": now}


def list_findings(
    con: duckdb.DuckDBPyConnection,
    decisions: list[Decision],
    now: dt.datetime,
    statuses: tuple[str, ...] = ("open",),
    family: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Findings in the given shown statuses (all when empty), largest net savings first."""
    view, params = findings_view(con, decisions, now)
    sql = f"""SELECT * FROM ({view}) v
              WHERE (len($statuses) = 0 OR list_contains($statuses, shown_status))
                AND ($family IS NULL OR family = $family)
              ORDER BY coalesce(savings_net, 0) DESC, coalesce(savings_gross, 0) DESC,
                       finding_id
              LIMIT $limit"""
    params |= {"statuses": list(statuses), "family": family, "limit": limit or 2**62}
    cur = con.execute(sql, params)
    names = [c[0] for c in cur.description or []]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def resolve_id(con: duckdb.DuckDBPyConnection, given: str) -> str:
    """The one finding id equal to or starting with ``given``."""
    text = given.strip().lower()
    rows = con.execute(
        "SELECT finding_id FROM findings WHERE starts_with(finding_id, ?) ORDER BY 1 LIMIT 3",
        [text],
    ).fetchall()
    if len(text) < 4 or not rows:
        raise FindingNotFound(
            f"no finding with id {given!r}: `cloudspend findings list` shows them"
        )
    exact = [r[0] for r in rows if r[0] == text]
    if exact or len(rows) == 1:
        return str((exact or [rows[0][0]])[0])
    raise FindingNotFound(f"finding id {given!r} is ambiguous: give more characters")


def current_ledger(
    con: duckdb.DuckDBPyConnection, decisions: list[Decision], now: dt.datetime
) -> Ledger:
    """The ledger over the open findings as a user sees them now: the last run's, less those
    dismissed or snoozed since (their resource's other findings may net more then)."""
    hidden = [d.finding_id for d in decisions if d.hides(now.date())]
    rows = con.execute(
        """SELECT finding_id, family, provider, resource_id, monthly_cost, savings_gross
           FROM findings WHERE status = 'open' AND NOT list_contains(?, finding_id)""",
        [hidden],
    ).fetchall()
    return apply_ledger(Item(*row) for row in rows)
