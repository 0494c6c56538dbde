"""Export findings, costs, resources and allocation as CSV or Parquet, with the dashboard's
filters (:class:`reports.queries.filters.Filters`).

Columns keep a stable order and names (docs/export.md); amounts are exact decimals beside their
currency column; CSV is UTF-8 with ISO 8601 dates and times (UTC) and every text cell guarded
against spreadsheet formula injection by :func:`reports.csv_safe.safe_frame`.

Example::

    with warehouse.read() as con:
        register(con, Decisions.beside(warehouse.path))
        write(frame(con, "findings", Filters(providers=("aws",))), "csv", Path("f.csv"))
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from reports.csv_safe import safe_frame
from reports.owners import OWNERS_CTE, pick_owner
from reports.queries.filters import Filters
from reports.queries.frames import owner_params
from warehouse.errors import CloudSpendError

FORMATS = ("csv", "parquet")
MONEY = "DECIMAL(38, 6)"
Connection = duckdb.DuckDBPyConnection


class ExportError(CloudSpendError):
    """Unknown dataset or format."""


FINDINGS_SQL = f"""
WITH {OWNERS_CTE}
SELECT f.finding_id, f.family, f."check", f.status, d.state AS decision,
       d.until AS decision_until, d.reason AS decision_reason, f.provider, f.account_id,
       f.region, f.resource_id, f.resource_type, o.owner, f.action,
       CAST(f.monthly_cost AS {MONEY}) AS monthly_cost,
       CAST(f.savings_gross AS {MONEY}) AS savings_gross,
       CAST(f.savings_net AS {MONEY}) AS savings_net,
       CAST(f.realized_savings AS {MONEY}) AS realized_savings, f.currency,
       round(f.confidence, 3) AS confidence, f.first_seen, f.last_seen, f.resolved_at,
       CAST(f.current_config AS VARCHAR) AS current_config,
       CAST(f.target_config AS VARCHAR) AS target_config
FROM findings f
LEFT JOIN owners o ON o.rid = lower(f.resource_id)
LEFT JOIN finding_decisions d ON d.finding_id = f.finding_id
WHERE {{where}}
ORDER BY f.savings_net DESC NULLS LAST, f.savings_gross DESC NULLS LAST, f.finding_id
"""

COSTS_SQL = f"""
SELECT CAST(c.ChargePeriodStart AS DATE) AS date, c.x_Provider AS provider,
       c.BillingAccountId AS billing_account_id,
       coalesce(c.SubAccountId, c.BillingAccountId) AS account_id,
       c.SubAccountName AS account_name, c.RegionId AS region,
       c.ServiceCategory AS service_category, c.ServiceName AS service,
       c.ChargeCategory AS charge_category, c.ResourceId AS resource_id,
       c.BillingCurrency AS currency,
       CAST(sum(c.BilledCost) AS {MONEY}) AS billed_cost,
       CAST(sum(c.EffectiveCost) AS {MONEY}) AS effective_cost,
       CAST(sum(c.ListCost) AS {MONEY}) AS list_cost
FROM focus_costs c WHERE {{where}}
GROUP BY ALL ORDER BY ALL
"""

RESOURCES_SQL = f"""
WITH {OWNERS_CTE}
SELECT r.provider, r.account_id, r.region, r.resource_id, r.resource_type, r.sku, r.vcpu,
       r.memory_gib, r.size_gib, r.state, r.attached_to, r.scaling_group, r.created_at,
       o.owner, CAST(to_json(r.tags) AS VARCHAR) AS tags, r.collected_at
FROM resources r LEFT JOIN owners o ON o.rid = lower(r.resource_id)
WHERE {{where}}
ORDER BY r.provider, r.account_id, r.resource_id
"""

ALLOCATION_SQL = f"""
WITH {OWNERS_CTE}
SELECT c.x_Provider AS provider, coalesce(c.SubAccountId, c.BillingAccountId) AS account_id,
       c.ServiceName AS service, coalesce({pick_owner("c.Tags")}, o.owner) AS owner,
       CAST(min(c.ChargePeriodStart) AS DATE) AS first_day,
       CAST(max(c.ChargePeriodStart) AS DATE) AS last_day, c.BillingCurrency AS currency,
       CAST(sum(c.BilledCost) AS {MONEY}) AS billed_cost,
       CAST(sum(c.EffectiveCost) AS {MONEY}) AS effective_cost
FROM focus_costs c LEFT JOIN owners o ON o.rid = lower(c.ResourceId)
WHERE {{where}}
GROUP BY ALL ORDER BY provider, account_id, service, owner NULLS LAST, currency
"""

FINDING_ONLY = dict.fromkeys(("min_confidence", "min_savings", "max_savings")) | {
    "families": (),
    "statuses": (),
}


def _findings(f: Filters, con: Connection) -> tuple[str, str, dict[str, object]]:
    where, params = f.findings_where("f", con)
    return FINDINGS_SQL, where, params


def _costs(f: Filters, con: Connection) -> tuple[str, str, dict[str, object]]:
    where, params = f.focus_where("c", con)
    return COSTS_SQL, where, params


def _resources(f: Filters, con: Connection) -> tuple[str, str, dict[str, object]]:
    # the inventory has the findings' provider, account_id, region and resource_id columns;
    # family, status, confidence and savings do not apply to it
    where, params = dataclasses.replace(f, **FINDING_ONLY).findings_where("r", con)  # type: ignore[arg-type]
    return RESOURCES_SQL, where, params


def _allocation(f: Filters, con: Connection) -> tuple[str, str, dict[str, object]]:
    where, params = f.focus_where("c", con)
    return ALLOCATION_SQL, where, params


DATASETS: dict[str, Callable[[Filters, Connection], tuple[str, str, dict[str, object]]]] = {
    "findings": _findings,
    "costs": _costs,
    "resources": _resources,
    "allocation": _allocation,
}


def frame(con: duckdb.DuckDBPyConnection, dataset: str, filters: Filters) -> pd.DataFrame:
    """The dataset as a DataFrame (findings need ``finding_decisions`` registered)."""
    if dataset not in DATASETS:
        raise ExportError(f"unknown dataset {dataset!r}: one of {', '.join(DATASETS)}")
    sql, where, params = DATASETS[dataset](filters, con)
    if "$owner_keys" in sql:
        params |= owner_params(con)
    table = con.sql(sql.format(where=where), params=params).to_arrow_table()
    df: pd.DataFrame = table.to_pandas()
    return df


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV: ISO dates and UTC times, formula-safe text, exact decimals."""
    out = safe_frame(df)
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    text: str = out.to_csv(index=False, lineterminator="\n")
    return text.encode("utf-8")


def write(df: pd.DataFrame, fmt: str, path: Path) -> None:
    """Write ``df`` to ``path`` as ``csv`` or ``parquet``."""
    if fmt == "csv":
        path.write_bytes(to_csv_bytes(df))
    elif fmt == "parquet":
        df.to_parquet(path, index=False)
    else:
        raise ExportError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
