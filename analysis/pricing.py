"""Pricing a finding's resource: its run rate in the bill when the bill has one, else the list
price of its SKU (the finding's evidence says which was used); and the analyzers' row helpers:
a query's rows as dicts, and the findings judged from them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import duckdb

from analysis.costs import list_monthly
from analysis.findings import Finding

BILL, LIST, UNPRICED = "bill", "list price", "unpriced"


@dataclass(frozen=True)
class Priced:
    """A monthly cost, its currency and where it came from."""

    monthly: Decimal | None
    currency: str | None
    source: str

    def evidence(self) -> dict[str, Any]:
        return {"cost_source": self.source}


def priced(
    con: duckdb.DuckDBPyConnection,
    row: dict[str, Any],
) -> Priced:
    """The resource's monthly cost from ``row`` (``monthly_cost``/``currency`` from
    ``resource_costs``), else the on-demand list price of its ``sku`` in its ``region``."""
    if row.get("monthly_cost") is not None:
        return Priced(
            Decimal(row["monthly_cost"]).quantize(Decimal("0.0001")), row["currency"], BILL
        )
    listed = list_monthly(con, row["provider"], row.get("region"), row.get("sku"))
    if listed is not None:
        return Priced(listed[0].quantize(Decimal("0.0001")), listed[1], LIST)
    return Priced(None, None, UNPRICED)


def fetch_dicts(
    con: duckdb.DuckDBPyConnection, sql: str, params: Any = None
) -> list[dict[str, Any]]:
    """Rows of ``sql`` as dicts."""
    cur = con.execute(sql, params) if params is not None else con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def judge_rows(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: Any,
    judge: Callable[[dict[str, Any]], Finding | None],
) -> list[Finding]:
    """The findings ``judge`` makes of the rows of ``sql`` (None: the row is fine)."""
    found = (judge(row) for row in fetch_dicts(con, sql, params))
    return [f for f in found if f is not None]
