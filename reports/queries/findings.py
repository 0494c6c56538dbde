"""Findings as people read them: with their owner, age, cost of inaction and the user's decision
(dismissed, snoozed) from the decisions file beside the warehouse; the net and gross totals; and
one finding's evidence (its billing rows and utilization). Net savings come from the savings
ledger, recomputed without what users dismissed or snoozed since the last run
(``reports.queries.net``); until it has run they are NULL and reported as "not computed", never
replaced by gross."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from reports.queries.filters import Filters
from reports.queries.frames import OWNERS, frame, owner_params
from reports.queries.net import RELATION, net_sql, register_net
from warehouse.decisions import Decision, register

DAYS_PER_MONTH = 365.25 / 12
HIDDEN = ("dismissed", "snoozed")

LIST_SQL = f"""
WITH owners AS ({OWNERS})
SELECT f.finding_id, f.family, f."check", f.provider, f.account_id, f.region, f.resource_id,
       f.resource_type, f.action, o.owner,
       CAST({net_sql("f", "n")} AS DOUBLE) AS savings_net,
       CAST(f.savings_gross AS DOUBLE) AS savings_gross, f.currency, f.confidence,
       CAST(f.monthly_cost AS DOUBLE) AS monthly_cost,
       CAST(f.first_seen AS DATE) AS first_seen,
       date_diff('day', CAST(f.first_seen AS DATE), $today) AS age_days,
       CAST({net_sql("f", "n")} AS DOUBLE)
           * date_diff('day', CAST(f.first_seen AS DATE), $today) / {DAYS_PER_MONTH}
           AS inaction,
       f.status,
       CASE WHEN d.state = 'dismissed' THEN 'dismissed'
            WHEN d.state = 'snoozed' AND d.until > $today THEN 'snoozed'
            ELSE f.status END AS state,
       d.reason AS decision_reason, d.until AS snoozed_until, d.set_by AS decided_by
FROM findings f
LEFT JOIN owners o ON o.rid = lower(f.resource_id)
LEFT JOIN finding_decisions d ON d.finding_id = f.finding_id
LEFT JOIN {RELATION} n ON n.finding_id = f.finding_id
WHERE {{where}} AND ($hidden OR d.finding_id IS NULL
                     OR NOT (d.state = 'dismissed' OR d.until > $today))
ORDER BY savings_net DESC NULLS LAST, savings_gross DESC NULLS LAST, f.finding_id
"""


def findings(con: duckdb.DuckDBPyConnection, f: Filters, decisions: tuple[Decision, ...],
             today: dt.date, hidden: bool = False, nets: pd.DataFrame | None = None
             ) -> pd.DataFrame:  # fmt: skip
    """The findings ``f`` selects, biggest savings first; dismissed and snoozed ones (``state``)
    only when ``hidden``. ``inaction``: net monthly savings times the months since the
    finding was first seen (the cost of inaction). Net savings are the ledger's as the
    decisions leave it today
    (``nets``: from ``reports.queries.net.current_nets`` for the same decisions and day)."""
    register(con, list(decisions))
    register_net(con, decisions, today, nets)
    where, params = f.findings_where("f", con)
    params |= owner_params(con) | {"today": today, "hidden": hidden}
    return frame(con, LIST_SQL.format(where=where), params)


@dataclass(frozen=True)
class Totals:
    """Monthly savings of a set of findings, per currency; ``net`` None: not computed for any."""

    currency: str | None
    findings: int
    gross: float
    net: float | None
    net_missing: int  # findings whose net savings the ledger has not computed


def totals(listed: pd.DataFrame) -> list[Totals]:
    """Net and gross totals of the open findings in ``listed`` (a :func:`findings` frame)."""
    shown = listed[listed["state"] == "open"]
    out = []
    for currency, group in shown.groupby("currency", dropna=False, sort=True):
        missing = int(group["savings_net"].isna().sum())
        net = None if missing == len(group) else float(group["savings_net"].sum())
        out.append(Totals(None if pd.isna(currency) else str(currency), len(group),
                          float(group["savings_gross"].fillna(0).sum()), net, missing))  # fmt: skip
    return out


@dataclass(frozen=True)
class Detail:
    """One finding with its evidence, parsed."""

    row: dict[str, Any]
    evidence: dict[str, Any]
    reasons: list[dict[str, Any]]
    current: dict[str, Any]
    target: dict[str, Any]
    ledger: dict[str, Any] | None


def detail(con: duckdb.DuckDBPyConnection, finding_id: str) -> Detail | None:
    """The finding ``finding_id`` with its JSON columns parsed, or None."""
    rows = frame(con, "SELECT * FROM findings WHERE finding_id = $id", {"id": finding_id})
    if rows.empty:
        return None
    row = {str(k): v for k, v in rows.iloc[0].to_dict().items()}
    return Detail(row, _json(row.get("evidence")) or {}, _json(row.get("confidence_reasons"))
                  or [], _json(row.get("current_config")) or {},
                  _json(row.get("target_config")) or {}, _json(row.get("ledger")))  # fmt: skip


def _json(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return json.loads(value) if isinstance(value, str) else value


def billing_rows(con: duckdb.DuckDBPyConnection, resource_id: str, limit: int = 500
                 ) -> pd.DataFrame:  # fmt: skip
    """The bill's rows of one resource, newest first (at most ``limit``)."""
    return frame(
        con,
        """SELECT ChargePeriodStart, ChargePeriodEnd, ChargeCategory, ServiceName, SkuId,
                  ChargeDescription, PricingCategory, CommitmentDiscountStatus,
                  CAST(ConsumedQuantity AS DOUBLE) AS ConsumedQuantity, ConsumedUnit,
                  CAST(ListCost AS DOUBLE) AS ListCost,
                  CAST(EffectiveCost AS DOUBLE) AS EffectiveCost,
                  CAST(BilledCost AS DOUBLE) AS BilledCost, BillingCurrency, x_SourceFile
           FROM focus_costs WHERE lower(ResourceId) = lower($rid)
           ORDER BY ChargePeriodStart DESC, ChargeDescription LIMIT $limit""",
        {"rid": resource_id, "limit": limit},
    )


def utilization(con: duckdb.DuckDBPyConnection, resource_id: str, start: dt.datetime | None,
                end: dt.datetime | None) -> pd.DataFrame:  # fmt: skip
    """Hourly metrics of one resource in ``[start, end)`` (open ends: all): hour, metric,
    average, maximum."""
    return frame(
        con,
        """SELECT hour, metric, avg_value AS average, max_value AS maximum FROM metrics
           WHERE lower(resource_id) = lower($rid)
             AND ($start IS NULL OR hour >= $start) AND ($end IS NULL OR hour < $end)
           ORDER BY metric, hour""",
        {"rid": resource_id, "start": start, "end": end},
    )


def evidence_window(evidence: dict[str, Any]) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The window an analyzer's evidence names (``window_start``/``window_end`` or
    ``window: {start, end}``), else open."""
    given = evidence.get("window")
    nested: dict[str, Any] = given if isinstance(given, dict) else {}
    start = evidence.get("window_start") or nested.get("start")
    end = evidence.get("window_end") or nested.get("end")
    return _moment(start), _moment(end)


def _moment(text: Any) -> dt.datetime | None:
    if not isinstance(text, str):
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def thresholds(evidence: dict[str, Any]) -> dict[str, float]:
    """Percent thresholds to draw on a CPU chart: the analyzer's CPU limits, and for a resize
    the ceiling the target may run at (100 % less the headroom)."""
    found = evidence.get("thresholds")
    if not isinstance(found, dict):
        return {}
    lines = {k: float(v) for k, v in found.items()
             if "cpu" in k and "percent" in k and isinstance(v, int | float)}  # fmt: skip
    if isinstance(found.get("headroom_percent"), int | float):
        lines["target ceiling (100 % - headroom)"] = 100.0 - float(found["headroom_percent"])
    return lines
