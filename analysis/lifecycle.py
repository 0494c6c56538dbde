"""The findings' lifecycle across runs (issue 9): each finding keeps its id, first seen, last
seen and run count; one a run no longer makes, although its inputs cover the finding's account,
becomes resolved with the date; a resolved one that comes back is open again.

``findings.run_id`` names the run that last saw a finding, whose data end ``analysis_runs``
keeps: realized savings compare the resource's cost in the bill before that with its cost since.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from analysis.costs import HOURS_PER_MONTH
from analysis.findings import CASTS, COLUMNS
from analysis.window import Window
from warehouse.sql import one

RESOLVED = "resolved"
BEFORE_DAYS = 30  # the cost before: the 30 days up to the data end when last seen
AFTER_DAYS = 7  # the cost since: at most the last 7 days of data after it, at least one

# An account as the bill and the inventory name it: lower case, Azure's /subscriptions/ prefix off.
_ACCOUNT = "regexp_replace(lower({}), '^/subscriptions/', '')"


@dataclass(frozen=True)
class Outcome:
    """What a run did to the findings table."""

    found: int
    new: int
    resolved: int
    reopened: int


def store(
    con: duckdb.DuckDBPyConnection, run_id: str, rows: pa.Table, now: dt.datetime, span: Window
) -> Outcome:
    """Merge this run's finding ``rows`` into ``findings`` (``span``: the run's cost window)."""
    con.register("_run_rows", rows)
    con.execute(f"CREATE OR REPLACE TEMP TABLE _run AS SELECT {CASTS} FROM _run_rows")
    con.unregister("_run_rows")
    _covered(con, span)
    outcome = _counts(con)
    con.execute(f"CREATE OR REPLACE TEMP TABLE _merged AS {_SEEN} UNION ALL BY NAME {_UNSEEN}",
                {"now": now})  # fmt: skip
    con.execute("DELETE FROM findings")
    con.execute("INSERT INTO findings BY NAME SELECT * FROM _merged")
    realize(con)
    con.execute("DROP TABLE _merged; DROP TABLE _run; DROP TABLE _covered")
    return outcome


def _covered(con: duckdb.DuckDBPyConnection, span: Window) -> None:
    """The (provider, account) scopes this run's inputs hold: the window's bill and inventory."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _covered AS
        SELECT DISTINCT x_Provider AS provider, {_ACCOUNT.format("SubAccountId")} AS account
        FROM focus_costs WHERE ChargePeriodStart >= $start AND ChargePeriodStart < $end
        UNION
        SELECT DISTINCT provider, {_ACCOUNT.format("account_id")} FROM resources
        """,
        {"start": span.start, "end": span.end},
    )


def _counts(con: duckdb.DuckDBPyConnection) -> Outcome:
    found, new, reopened = one(
        con,
        """SELECT count(*), count(*) FILTER (o.finding_id IS NULL),
                  count(*) FILTER (o.status = 'resolved')
           FROM _run n LEFT JOIN findings o USING (finding_id)""",
    )
    (resolved,) = one(
        con,
        f"SELECT count(*) FROM findings o WHERE o.status <> 'resolved' AND {_GONE_AND_COVERED}",
    )
    return Outcome(int(found), int(new), int(resolved), int(reopened))


_GONE_AND_COVERED = f"""
    o.finding_id NOT IN (SELECT finding_id FROM _run)
    AND EXISTS (SELECT 1 FROM _covered c WHERE c.provider = o.provider
                AND (o.account_id IS NULL OR c.account = {_ACCOUNT.format("o.account_id")}))
"""

_KEEP = ", ".join(f'n."{c}"' for c in COLUMNS if c not in ("first_seen", "run_count"))

# Found again or for the first time: the run's row, with the first sighting and the count kept.
_SEEN = f"""
    SELECT {_KEEP}, coalesce(o.first_seen, n.first_seen) AS first_seen,
           coalesce(o.run_count, 0) + 1 AS run_count
    FROM _run n LEFT JOIN findings o USING (finding_id)
"""

_UNSEEN_COLUMNS = ", ".join(
    f'o."{c}"' for c in COLUMNS if c not in ("status", "resolved_at", "savings_net")
)

# Not found this run: resolved now when the run covered its account, else left as it was.
_UNSEEN = f"""
    SELECT {_UNSEEN_COLUMNS},
           CASE WHEN gone THEN 'resolved' ELSE o.status END AS status,
           CASE WHEN gone THEN $now ELSE o.resolved_at END AS resolved_at,
           CASE WHEN gone THEN NULL ELSE o.savings_net END AS savings_net
    FROM (SELECT *, status <> 'resolved' AND {_GONE_AND_COVERED} AS gone FROM findings o) o
    WHERE o.finding_id NOT IN (SELECT finding_id FROM _run)
"""


def realize(con: duckdb.DuckDBPyConnection) -> None:
    """For resolved findings on a resource: monthly cost before (the 30 days up to the data end
    when last seen) minus since (the last days of data after it, at most 7, at least 1)."""
    end = one(con, "SELECT max(ChargePeriodEnd) FROM focus_costs")[0]
    if end is None:
        return
    con.execute(_REALIZED, {"end": end, "before": BEFORE_DAYS, "after": AFTER_DAYS,
                            "hours": HOURS_PER_MONTH})  # fmt: skip


_REALIZED = """
    WITH r AS (
        SELECT f.finding_id, f.provider, lower(f.resource_id) AS rid, a.data_end AS seen_end,
               greatest(a.data_end, $end::TIMESTAMPTZ - to_days($after)) AS since
        FROM findings f JOIN analysis_runs a USING (run_id)
        WHERE f.status = 'resolved' AND f.resource_id IS NOT NULL
    ), c AS (
        SELECT r.finding_id, r.seen_end, r.since,
               sum(k.EffectiveCost) FILTER (k.ChargePeriodStart < r.seen_end
                   AND k.ChargePeriodStart >= r.seen_end - to_days($before)) AS cost_before,
               sum(k.EffectiveCost) FILTER (k.ChargePeriodStart >= r.since) AS cost_since
        FROM r LEFT JOIN focus_costs k
          ON k.x_Provider = r.provider AND lower(k.ResourceId) = r.rid
         AND k.ChargeCategory = 'Usage' AND k.ChargePeriodStart >= r.seen_end - to_days($before)
        GROUP BY ALL
    ), m AS (
        SELECT *, epoch($end::TIMESTAMPTZ - since) / 3600 AS hours_since FROM c
    )
    UPDATE findings f SET
        realized_savings = CASE WHEN m.hours_since >= 24 THEN CAST(
            (coalesce(m.cost_before, 0) / ($before * 24)
             - coalesce(m.cost_since, 0) / m.hours_since) * $hours AS DECIMAL(38,12)) END,
        realized = json_object(
            'cost_before', coalesce(m.cost_before, 0), 'before_from',
            m.seen_end - to_days($before), 'before_to', m.seen_end,
            'cost_since', coalesce(m.cost_since, 0), 'since', m.since, 'to', $end::TIMESTAMPTZ,
            'note', CASE WHEN m.hours_since < 24
                         THEN 'the bill has no full day after the finding was last seen' END)
    FROM m WHERE f.finding_id = m.finding_id
"""
