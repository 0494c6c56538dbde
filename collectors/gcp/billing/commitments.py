"""Amortizing resource-based committed use discounts, once every file of an ingest is loaded
(fees and the usage they cover may sit in different files).

A commitment bills its fee as "Commitment v1: <family> Cpu/Ram ..." rows (ChargeCategory
Purchase here) for a committed quantity per charge period; the usage it covers carries a
COMMITTED_USAGE_DISCOUNT credit that cancels the on-demand cost, and the quantity it covered
(CommitmentDiscountQuantity, ``focus_map.py``). For each fee row, the usage rows of the same
commitment and resource kind (vCPU, memory, GPU, local SSD) whose charge period starts within the
fee's get their share of the fee in EffectiveCost (fee * covered / committed); the fee row's
EffectiveCost becomes 0; what is left (the unused part) becomes a derived Usage row with
CommitmentDiscountStatus Unused. EffectiveCost therefore still sums to BilledCost per period.

Spend-based (dollar) commitments are named on their rows but not amortized: their fee keeps
EffectiveCost = BilledCost.
"""

from __future__ import annotations

import duckdb

from warehouse.load import SourceTotals
from warehouse.sql import one

MONEY = "DECIMAL(38,12)"


def resource_kind(description: str) -> str:
    """vcpu / ram / gpu / ssd, from a usage SKU's or a fee SKU's description."""
    d = f"lower({description})"
    return (
        f"CASE WHEN regexp_matches({d}, '\\b(ram|memory)\\b') THEN 'ram'"
        f" WHEN regexp_matches({d}, 'gpu|nvidia|tpu') THEN 'gpu'"
        f" WHEN regexp_matches({d}, 'local ssd') THEN 'ssd' ELSE 'vcpu' END"
    )


def _rows(ingest_id: int, condition: str) -> str:
    return f"""SELECT rowid AS rid, CommitmentDiscountId AS cid,
            {resource_kind("ChargeDescription")} AS kind, ChargePeriodStart AS s,
            ChargePeriodEnd AS e, BilledCost AS f, CommitmentDiscountQuantity AS q
        FROM focus_costs
        WHERE x_IngestId = {ingest_id} AND x_Provider = 'gcp'
          AND CommitmentDiscountCategory = 'Usage' AND {condition}"""


def _plan(con: duckdb.DuckDBPyConnection, ingest_id: int) -> None:
    """``_gcp_shares``: each covered usage row's share of its fee row; ``_gcp_fees``: each fee
    row with its committed quantity, what was used and what is left unused."""
    fees = _rows(ingest_id, "ChargeCategory = 'Purchase' AND CommitmentDiscountQuantity > 0")
    used = _rows(ingest_id, "ChargeCategory = 'Usage' AND CommitmentDiscountStatus = 'Used'")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _gcp_matches AS
        SELECT u.rid AS usage_rid, f.rid AS fee_rid, u.q AS used_q, f.q AS committed_q, f.f AS fee
        FROM ({used}) AS u JOIN ({fees}) AS f
          ON u.cid = f.cid AND u.kind = f.kind AND u.s >= f.s AND u.s < f.e;
        CREATE OR REPLACE TEMP TABLE _gcp_shares AS
        SELECT usage_rid, fee_rid, used_q, CAST(fee * used_q / greatest(committed_q,
                   sum(used_q) OVER (PARTITION BY fee_rid)) AS {MONEY}) AS share
        FROM _gcp_matches;
        CREATE OR REPLACE TEMP TABLE _gcp_fees AS
        SELECT f.rid AS fee_rid, f.f - coalesce(s.share, 0) AS unused,
               greatest(f.q - coalesce(s.used_q, 0), 0) AS unused_q
        FROM ({fees}) AS f
        LEFT JOIN (SELECT fee_rid, sum(share) AS share, sum(used_q) AS used_q
                   FROM _gcp_shares GROUP BY fee_rid) AS s ON s.fee_rid = f.rid
        """
    )


UNUSED_ROW = """
    INSERT INTO focus_costs BY NAME
    SELECT c.* REPLACE (
        'Usage' AS ChargeCategory, 'Usage-Based' AS ChargeFrequency,
        'Unused commitment: ' || coalesce(c.ChargeDescription, '') AS ChargeDescription,
        'Unused' AS CommitmentDiscountStatus, 'Committed' AS PricingCategory,
        0 AS BilledCost, u.unused AS EffectiveCost, 0 AS ListCost, 0 AS ContractedCost,
        NULL AS ListUnitPrice, NULL AS ContractedUnitPrice,
        u.unused_q AS PricingQuantity, u.unused_q AS CommitmentDiscountQuantity,
        c.CommitmentDiscountId AS ResourceId, c.CommitmentDiscountName AS ResourceName,
        'Committed Use Discount' AS ResourceType, MAP() AS Tags)
    FROM focus_costs AS c JOIN _gcp_fees AS u ON c.rowid = u.fee_rid
    WHERE u.unused <> 0
"""


def amortize_commitments(con: duckdb.DuckDBPyConnection, ingest_id: int) -> SourceTotals:
    """Spread the ingest's commitment fees over the usage they covered; add Unused rows."""
    _plan(con, ingest_id)
    (unused_rows,) = one(con, "SELECT count(*) FROM _gcp_fees WHERE unused <> 0")
    con.execute(UNUSED_ROW)
    con.execute(
        """
        UPDATE focus_costs SET EffectiveCost = focus_costs.EffectiveCost + s.share
        FROM (SELECT usage_rid, sum(share) AS share FROM _gcp_shares GROUP BY usage_rid) AS s
        WHERE focus_costs.rowid = s.usage_rid;
        UPDATE focus_costs SET EffectiveCost = 0
        WHERE rowid IN (SELECT fee_rid FROM _gcp_fees);
        DROP TABLE _gcp_matches; DROP TABLE _gcp_shares; DROP TABLE _gcp_fees;
        """
    )
    return SourceTotals(derived_rows=int(unused_rows))
