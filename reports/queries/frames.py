"""Running a read-side query: results as pandas frames, and the SQL pieces several queries share
(who owns a resource)."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from analysis.untagged import NORMAL
from reports.queries.filters import OWNER_KEY, normal_key

# lower(resource id) -> the value of its Owner tag: the inventory's first, else the bill's
OWNERS = f"""
SELECT rid, arg_min(owner, rank) AS owner FROM (
    SELECT lower(resource_id) AS rid, e.value AS owner, 1 AS rank
    FROM (SELECT resource_id, unnest(map_entries(tags)) AS e FROM resources)
    WHERE {NORMAL.format("e.key")} = '{normal_key(OWNER_KEY)}' AND trim(e.value) <> ''
    UNION ALL
    SELECT lower(ResourceId), e.value, 2
    FROM (SELECT ResourceId, unnest(map_entries(Tags)) AS e FROM focus_costs
          WHERE ResourceId IS NOT NULL AND cardinality(Tags) > 0)
    WHERE {NORMAL.format("e.key")} = '{normal_key(OWNER_KEY)}' AND trim(e.value) <> ''
) GROUP BY rid
"""


def frame(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | None = None
          ) -> pd.DataFrame:  # fmt: skip
    """The rows of ``sql`` (named parameters ``params``) as a frame."""
    return con.execute(sql, params or {}).df()
