"""Tags and allocation: spend-weighted compliance with the tag policy per key, account and
provider (``analysis.tag_compliance``), the largest resources missing a required tag, and the
spend no tag can reach as its own bucket."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from analysis.tag_compliance import compliance
from analysis.untagged import STATUS, TagPolicy
from analysis.window import Window
from reports.queries.filters import Filters
from reports.queries.frames import frame

COLUMNS = ["provider", "account_id", "key", "taggable", "compliant", "compliant_percent",
           "untaggable", "currency", "resources", "compliant_resources"]  # fmt: skip


def span_of(f: Filters, first: dt.date, last: dt.date) -> Window:
    """The filter's date range (defaulting to the data's) as a window of whole UTC days."""
    start = dt.datetime.combine(f.start or first, dt.time(), tzinfo=dt.UTC)
    end = dt.datetime.combine(f.end or last, dt.time(), tzinfo=dt.UTC) + dt.timedelta(days=1)
    return Window(start, end)


def compliance_frame(con: duckdb.DuckDBPyConnection, policy: TagPolicy, span: Window,
                     f: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
    """Compliance rows (``key`` None: all required keys; ``account_id`` None: the provider)
    over the filter's providers and accounts only (computed on their bill, so a provider's row
    sums the accounts chosen), and the untaggable spend per provider and kind."""
    keep = compliance(con, policy, span, f.providers, f.accounts)
    table = pd.DataFrame(
        [[r.provider, r.account_id, r.key, float(r.taggable_cost), float(r.compliant_cost),
          r.compliant_percent, float(r.untaggable_cost), r.currency, r.resources,
          r.compliant_resources] for r in keep], columns=COLUMNS)  # fmt: skip
    kinds = pd.DataFrame(
        [[r.provider, kind, float(cost), r.currency] for r in keep
         if r.account_id is None and r.key is None for kind, cost in r.untaggable_by_kind.items()],
        columns=["provider", "kind", "cost", "currency"])  # fmt: skip
    return table, kinds


UNTAGGED_SQL = f"""
WITH cost AS (
    SELECT x_Provider AS provider, lower(ResourceId) AS rid, min(ResourceId) AS resource_id,
           CAST(sum(EffectiveCost) AS DOUBLE) AS cost, min(BillingCurrency) AS currency
    FROM focus_costs c
    WHERE {{where}} AND ResourceId IS NOT NULL AND ChargeCategory = 'Usage'
      AND coalesce(CommitmentDiscountStatus, 'Used') = 'Used'  -- unused commitment: untaggable
    GROUP BY 1, 2
)
SELECT c.provider, t.account_id, c.resource_id, c.cost, c.currency,
       coalesce(string_agg(t.key, ', ' ORDER BY t.ordinal) FILTER (NOT t.present), '')
           AS missing,
       coalesce(string_agg(t.key, ', ' ORDER BY t.ordinal) FILTER (t.present AND NOT t.valid),
                '') AS invalid
FROM {STATUS} t JOIN cost c ON c.provider = t.provider AND c.rid = t.rid
GROUP BY ALL HAVING bool_or(NOT t.valid)
ORDER BY c.cost DESC, c.resource_id LIMIT $limit
"""


def largest_untagged(con: duckdb.DuckDBPyConnection, f: Filters, limit: int = 50
                     ) -> pd.DataFrame:  # fmt: skip
    """The costliest resources missing a required tag (or with a value the policy refuses),
    in the filtered bill; needs the tag status :func:`compliance_frame` prepared."""
    where, params = f.focus_where("c", con)
    return frame(con, UNTAGGED_SQL.format(where=where), {**params, "limit": limit})


def allocation(con: duckdb.DuckDBPyConnection, policy: TagPolicy, span: Window, f: Filters,
               limit: int = 50) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:  # fmt: skip
    """:func:`compliance_frame` and then :func:`largest_untagged`, on one connection."""
    table, kinds = compliance_frame(con, policy, span, f)
    return table, kinds, largest_untagged(con, f, limit)
