"""How fresh each source is: per provider and billing account, the last whole day its bill
reaches, how far that lags behind the newest source, whether its periods reconciled with their
source files, and how many of its rows sit in quarantine."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from analysis.pricing import fetch_dicts
from warehouse.status import read_status

FRESHNESS_SQL = """
WITH daily AS (
    SELECT x_Provider AS provider, BillingAccountId AS account,
           max(ChargePeriodEnd) AS data_end
    FROM focus_costs WHERE ChargePeriodEnd - ChargePeriodStart <= INTERVAL 1 DAY
    GROUP BY ALL
), held AS (
    SELECT x_Provider AS provider, BillingAccountId AS account, count(*) AS quarantined
    FROM quarantine GROUP BY ALL
)
SELECT d.provider, d.account, CAST(date_trunc('day', d.data_end) AS DATE) - 1 AS through,
       coalesce(h.quarantined, 0) AS quarantined
FROM daily d LEFT JOIN held h ON h.provider = d.provider AND h.account = d.account
ORDER BY d.provider, d.account
"""


@dataclass(frozen=True)
class Source:
    """One provider's billing account."""

    provider: str
    account: str
    through: dt.date  # the last whole day of data
    behind_days: int  # days behind the newest source
    reconciled: bool | None  # every period matched its source (None: not known per period)
    quarantined: int
    stale: bool
    restated: tuple[str, ...] = ()  # billing periods (YYYY-MM) restated since the last report


def freshness(
    con: duckdb.DuckDBPyConnection, stale_after_days: int, restated: dict[str, list[str]]
) -> list[Source]:
    """Every source; ``restated`` maps ``provider/account`` to its restated periods."""
    rows = fetch_dicts(con, FRESHNESS_SQL)
    if not rows:
        return []
    newest = max(r["through"] for r in rows)
    checks: dict[tuple[str, str], list[bool | None]] = {}
    for p in read_status(con, recent=0).periods:
        checks.setdefault((p.provider, p.billing_account_id), []).append(p.reconciled)
    out = []
    for r in rows:
        behind = (newest - r["through"]).days
        known = [c for c in checks.get((r["provider"], r["account"]), []) if c is not None]
        out.append(Source(
            r["provider"], r["account"], r["through"], behind, all(known) if known else None,
            r["quarantined"], behind > stale_after_days,
            tuple(restated.get(f"{r['provider']}/{r['account']}", ())),
        ))  # fmt: skip
    return out
