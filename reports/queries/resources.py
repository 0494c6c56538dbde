"""The inventory joined to its cost in the bill and its CPU utilization, searchable."""

from __future__ import annotations

import duckdb
import pandas as pd

from reports.queries.filters import Filters
from reports.queries.frames import OWNERS, frame, owner_params

SQL = f"""
WITH owners AS ({OWNERS}), cost AS (
    SELECT lower(ResourceId) AS rid, CAST(sum(EffectiveCost) AS DOUBLE) AS cost,
           min(BillingCurrency) AS currency
    FROM focus_costs c WHERE {{bill}} AND ResourceId IS NOT NULL GROUP BY 1
), cpu AS (
    SELECT lower(resource_id) AS rid, avg(avg_value) AS cpu_avg,
           quantile_cont(max_value, 0.95) AS cpu_p95, count(*) AS cpu_hours
    FROM metrics WHERE metric = 'cpu_percent'
      AND ($start IS NULL OR hour >= $start) AND ($end IS NULL OR hour < $end)
    GROUP BY 1
)
SELECT r.provider, r.account_id, r.region, r.resource_id, r.resource_type, r.sku, r.state,
       o.owner, c.cost, c.currency, u.cpu_avg, u.cpu_p95, u.cpu_hours, r.vcpu, r.memory_gib,
       r.size_gib, r.scaling_group, CAST(r.tags AS VARCHAR) AS tags, r.collected_at
FROM resources r
LEFT JOIN owners o ON o.rid = lower(r.resource_id)
LEFT JOIN cost c ON c.rid = lower(r.resource_id)
LEFT JOIN cpu u ON u.rid = lower(r.resource_id)
WHERE {{stock}} AND ($search = '' OR contains(lower(concat_ws(' ', r.resource_id,
      r.resource_type, r.sku, r.state, o.owner, CAST(r.tags AS VARCHAR))), $search))
ORDER BY c.cost DESC NULLS LAST, r.resource_id
LIMIT $limit
"""


def inventory(con: duckdb.DuckDBPyConnection, f: Filters, search: str = "", limit: int = 1000
              ) -> pd.DataFrame:  # fmt: skip
    """Resources the filter selects whose id, type, SKU, state, owner or tags contain
    ``search`` (ignoring case), costliest first: cost over the filter's dates, CPU average and
    p95 of the hourly maxima over the same dates."""
    bill, bill_params = f.focus_where("c", con)
    stock, stock_params = f.resources_where("r", con)
    bounds = {"start": bill_params.get("f_start"), "end": bill_params.get("f_end")}
    return frame(
        con, SQL.format(bill=bill, stock=stock),
        {**bill_params, **stock_params, **bounds, **owner_params(con),
         "search": search.strip().lower(), "limit": limit},
    )  # fmt: skip
