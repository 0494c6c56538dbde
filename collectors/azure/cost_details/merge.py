"""Both views of a partition as one row per charge.

An actual row and an amortized row are the same charge when every column but the costs agrees
(``match_key``); the n-th actual row of a key pairs with the n-th amortized row of that key
(``occ``). Rows without a twin stay alone: commitment purchases exist only in the actual view,
unused commitment only in the amortized one.
"""

from __future__ import annotations

from collectors.azure.cost_details.columns import COLUMNS
from collectors.focus.normalize import ident

TOUCHED = "_azure_touched"  # (focus_account, period_start) of the partitions being rebuilt
META = ("source_file", "source_format", "dialect", "focus_account", "period_start")


def views_sql() -> str:
    """Which views each touched partition has (bad rows count: a view is there even when all
    of its rows are quarantined)."""
    return f"""
        SELECT focus_account, period_start,
               bool_or(cost_view = 'actual') AS has_actual,
               bool_or(cost_view = 'amortized') AS has_amortized
        FROM azure_cost_rows SEMI JOIN {TOUCHED} USING (focus_account, period_start)
        GROUP BY ALL
    """


def _side(view: str) -> str:
    return f"""
        SELECT focus_account, period_start, match_key, cost, rowid AS rid,
               row_number() OVER (PARTITION BY focus_account, period_start, match_key
                                  ORDER BY source_file, source_row) AS occ
        FROM azure_cost_rows SEMI JOIN {TOUCHED} USING (focus_account, period_start)
        WHERE cost_view = '{view}' AND errors = ''
    """


def merged_sql() -> str:
    """One row per charge of the touched partitions: its columns (from the actual row when
    there is one), ``actual_cost``, ``amortized_cost``, ``has_actual``, ``has_amortized``.

    The pairing moves only keys and row ids; the columns are read once, by row id, after it.
    """
    columns = ", ".join(f"c.{ident(c)} AS {ident(c)}" for c in (*COLUMNS, *META))
    return f"""
        SELECT {columns}, j.actual_cost, j.amortized_cost, v.has_actual, v.has_amortized
        FROM (SELECT coalesce(a.rid, m.rid) AS rid, a.cost AS actual_cost,
                     m.cost AS amortized_cost
              FROM ({_side("actual")}) AS a
              FULL OUTER JOIN ({_side("amortized")}) AS m
                ON a.focus_account = m.focus_account AND a.period_start = m.period_start
               AND a.match_key = m.match_key AND a.occ = m.occ) AS j
        JOIN (SELECT rowid AS rid, * FROM azure_cost_rows
              SEMI JOIN {TOUCHED} USING (focus_account, period_start)) AS c USING (rid)
        JOIN ({views_sql()}) AS v USING (focus_account, period_start)
    """


def pairs_sql() -> str:
    """Matched pairs per touched partition, counted apart from the join: per key, the smaller
    of the two views' row counts."""
    return f"""
        SELECT focus_account, period_start, sum(least(n_actual, n_amortized)) AS pairs
        FROM (SELECT focus_account, period_start, match_key,
                     count(*) FILTER (WHERE cost_view = 'actual') AS n_actual,
                     count(*) FILTER (WHERE cost_view = 'amortized') AS n_amortized
              FROM azure_cost_rows SEMI JOIN {TOUCHED} USING (focus_account, period_start)
              WHERE errors = '' GROUP BY ALL)
        GROUP BY ALL
    """
