"""Running a read-side query: results as pandas frames, and the SQL pieces several queries share
(who owns a resource)."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from reports.queries.tagkeys import OWNER_KEY, spellings, tag_value_sql

# lower(resource id) -> the value of its Owner tag: the inventory's, else the bill's (the smallest
# where several); needs the parameter $owner_keys (:func:`owner_params`)
OWNERS = f"""
SELECT rid, coalesce(min(owner) FILTER (rank = 1), min(owner)) AS owner FROM (
    SELECT lower(resource_id) AS rid, {tag_value_sql("tags", "$owner_keys")} AS owner, 1 AS rank
    FROM resources
    UNION ALL
    SELECT lower(ResourceId), {tag_value_sql("Tags", "$owner_keys")}, 2
    FROM focus_costs WHERE ResourceId IS NOT NULL AND cardinality(Tags) > 0
) WHERE owner IS NOT NULL GROUP BY rid
"""


def owner_params(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The parameters :data:`OWNERS` needs: the spellings of the Owner key in the data."""
    return {"owner_keys": spellings(con, OWNER_KEY)}


def frame(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | None = None
          ) -> pd.DataFrame:  # fmt: skip
    """The rows of ``sql`` (named parameters ``params``) as a frame."""
    return con.execute(sql, params or {}).df()
