"""Eligible on-demand usage for commitment sizing, hour by hour, per commitment group
(provider / region / SKU: the scope of an AWS RI, an Azure reservation and, per machine type, a
GCP resource-based CUD).

Eligible: the usage rows of inventory VMs that no commitment covers (CommitmentDiscountId NULL)
at on-demand prices (PricingCategory Standard: not spot) in hourly units, spread evenly over the
hours of their charge period. The post-optimization baseline (``analysis.commitment_baseline``)
removes VMs another check would delete or move to spot, and moves a VM another check right-sizes
to its target SKU at the target's cost."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from analysis.window import Window

HOURS = "commitment_vm_hours"

# the eligible usage rows, each with its VM's group and its charge period (s, e: n hours)
ELIGIBLE = """
vms AS (
    SELECT r.provider, r.account_id, r.region, r.resource_id, lower(r.resource_id) AS rid,
           coalesce(a.sku, r.sku) AS sku, coalesce(a.factor, 1.0) AS factor,
           lower(r.attributes['operating_system']) AS os
    FROM resources r
    LEFT JOIN _commitment_baseline a ON a.rid = lower(r.resource_id)
    WHERE r.resource_type = 'vm' AND r.sku IS NOT NULL AND coalesce(a.keep, true)
), charged AS (
    SELECT v.*, f.ChargePeriodStart AS s, f.ChargePeriodEnd AS e,
           CAST(f.EffectiveCost AS DOUBLE) * v.factor AS eff,
           CAST(f.ListCost AS DOUBLE) * v.factor AS lst,
           epoch(f.ChargePeriodEnd - f.ChargePeriodStart) / 3600 AS n
    FROM focus_costs f JOIN vms v ON f.x_Provider = v.provider AND lower(f.ResourceId) = v.rid
    WHERE f.ChargeCategory = 'Usage' AND f.CommitmentDiscountId IS NULL
      AND coalesce(f.PricingCategory, 'Standard') = 'Standard' AND f.PricingUnit ILIKE '%hour%'
      AND f.ChargePeriodEnd > $start AND f.ChargePeriodStart < $end
      AND f.ChargePeriodEnd > f.ChargePeriodStart
)"""

SQL = f"""
CREATE OR REPLACE TEMP TABLE {HOURS} AS
WITH {ELIGIBLE}, spread AS (
    SELECT * EXCLUDE (s, e), unnest(range(s, e, INTERVAL 1 HOUR)) AS hour FROM charged
)
SELECT provider, region, sku, os, account_id, resource_id, rid, hour,
       sum(eff / n) AS spend, sum(lst / n) AS list
FROM spread WHERE hour >= $start AND hour < $end GROUP BY ALL
"""

GROUPS = f"""
SELECT provider, region, sku, min(os) AS os, hour, sum(spend) AS spend, sum(list) AS list
FROM {HOURS} GROUP BY provider, region, sku, hour ORDER BY provider, region, sku, hour
"""

# GROUPS without the per-VM table: each group's charges summed per charge period first, so
# that only a group's distinct periods are spread over their hours
GROUP_HOURS = f"""
WITH {ELIGIBLE}, periods AS (
    SELECT provider, region, sku, min(os) AS os, s, e, sum(eff / n) AS spend, sum(lst / n) AS list
    FROM charged GROUP BY provider, region, sku, s, e
), spread AS (
    SELECT * EXCLUDE (s, e), unnest(range(s, e, INTERVAL 1 HOUR)) AS hour FROM periods
)
SELECT provider, region, sku, min(os) AS os, hour, sum(spend) AS spend, sum(list) AS list
FROM spread WHERE hour >= $start AND hour < $end
GROUP BY provider, region, sku, hour ORDER BY provider, region, sku, hour
"""

Key = tuple[str, str, str]  # provider, region, sku


@dataclass
class GroupUsage:
    """One commitment group's hourly eligible spend over the window (0 where nothing ran)."""

    key: Key
    os: str | None
    spend: list[float]
    list_cost: float = 0.0

    @property
    def name(self) -> str:
        return "/".join(self.key)

    @property
    def paid_share(self) -> float:
        """Effective over list cost: the share of the list price actually paid (GCP sustained-use
        discounts, negotiated rates); 1 without a list cost."""
        total = sum(self.spend)
        return total / self.list_cost if self.list_cost > 0 and total > 0 else 1.0


def prepare(
    con: duckdb.DuckDBPyConnection, span: Window, baseline: Mapping[str, tuple[bool, str | None,
                                                                              float]],
) -> None:  # fmt: skip
    """``commitment_vm_hours`` for ``span``; ``baseline``: lower-cased resource id -> (keep,
    target SKU or None, cost factor)."""
    _baseline(con, baseline)
    con.execute(SQL, {"start": span.start, "end": span.end})
    con.unregister("_commitment_baseline")


def _baseline(con: duckdb.DuckDBPyConnection,
              baseline: Mapping[str, tuple[bool, str | None, float]]) -> None:  # fmt: skip
    rows = [{"rid": k, "keep": v[0], "sku": v[1], "factor": v[2]} for k, v in baseline.items()]
    schema = pa.schema([("rid", pa.string()), ("keep", pa.bool_()), ("sku", pa.string()),
                        ("factor", pa.float64())])  # fmt: skip
    con.register("_commitment_baseline", pa.Table.from_pylist(rows, schema=schema))


def groups(con: duckdb.DuckDBPyConnection, span: Window) -> list[GroupUsage]:
    """Every group's hourly series (prepared by :func:`prepare`)."""
    return _series(con.execute(GROUPS).fetchall(), span)


def group_series(con: duckdb.DuckDBPyConnection, span: Window) -> list[GroupUsage]:
    """Every group's hourly series of the usage as billed (no baseline), without expanding each
    VM's hours: what :func:`groups` gives after ``prepare(con, span, {})``, faster."""
    _baseline(con, {})
    rows = con.execute(GROUP_HOURS, {"start": span.start, "end": span.end}).fetchall()
    con.unregister("_commitment_baseline")
    return _series(rows, span)


def _series(rows: list[tuple[Any, ...]], span: Window) -> list[GroupUsage]:
    found: dict[Key, GroupUsage] = {}
    for provider, region, sku, os, hour, spend, list_cost in rows:
        key = (provider, region or "", sku)
        group = found.setdefault(key, GroupUsage(key, os, [0.0] * span.hours))
        index = int((hour - span.start).total_seconds() // 3600)
        group.spend[index] += spend
        group.list_cost += list_cost or 0.0
    return list(found.values())


SHARES = f"""
WITH totals AS (
    SELECT provider, region, sku, hour, sum(spend) AS total FROM {HOURS} GROUP BY ALL
)
SELECT v.provider, v.region, v.sku, min(v.resource_id), min(v.account_id), sum(v.spend),
       sum(v.spend * least(1.0, l.level / t.total))
FROM {HOURS} v
JOIN totals t ON t.provider = v.provider AND t.region IS NOT DISTINCT FROM v.region
     AND t.sku = v.sku AND t.hour = v.hour
JOIN _commitment_levels l ON l.provider = v.provider AND l.region = coalesce(v.region, '')
     AND l.sku = v.sku
WHERE t.total > 0
GROUP BY v.provider, v.region, v.sku, v.rid ORDER BY 4
"""


@dataclass(frozen=True)
class VmShare:
    """One VM's part of a group: its eligible spend and the spend the level covers, summed over
    the window's hours (each hour's cover shared in proportion to the VM's spend)."""

    key: Key
    resource_id: str
    account_id: str
    spend: float
    covered: float


def shares(con: duckdb.DuckDBPyConnection, levels: Mapping[Key, float]) -> list[VmShare]:
    """Each VM's share of its group's cover at ``levels`` (on-demand spend per hour)."""
    rows = [{"provider": k[0], "region": k[1], "sku": k[2], "level": v} for k, v in levels.items()]
    schema = pa.schema([("provider", pa.string()), ("region", pa.string()),
                        ("sku", pa.string()), ("level", pa.float64())])  # fmt: skip
    con.register("_commitment_levels", pa.Table.from_pylist(rows, schema=schema))
    found = con.execute(SHARES).fetchall()
    con.unregister("_commitment_levels")
    return [VmShare((p, r or "", s), rid, acct, spend, covered)
            for p, r, s, rid, acct, spend, covered in found]  # fmt: skip
