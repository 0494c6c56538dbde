"""The demo company's AWS bills (CUR 2.0 Parquet and legacy CUR CSV.gz) through the CUR loader:
totals equal AWS's own unblended and amortized totals, both flavours give the same FOCUS rows,
commitments follow FOCUS's rules, tags and resource ids come through."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from collectors.ingest import ingest
from warehouse.db import Warehouse

DEMO = Path(__file__).resolve().parents[3] / "fixtures" / "demo" / "aws"
CUR2 = DEMO / "cur2"
LEGACY = DEMO / "cur"
CENT = Decimal("0.01")


def _rows(wh: Warehouse, sql: str) -> list[tuple[Any, ...]]:
    with wh.read() as con:
        return con.execute(sql).fetchall()


def _aws_totals() -> dict[str, tuple[Decimal, Decimal]]:
    """Per month: unblended total and amortized total as AWS's well-architected query computes
    them, straight from the Parquet files (not through our code)."""
    rows = (
        duckdb.connect()
        .execute(
            f"""
        SELECT strftime(bill_billing_period_start_date, '%Y-%m'),
               sum(line_item_unblended_cost::DECIMAL(38,12)),
               sum(CASE line_item_line_item_type
                   WHEN 'SavingsPlanCoveredUsage' THEN savings_plan_savings_plan_effective_cost
                   WHEN 'SavingsPlanRecurringFee' THEN
                       savings_plan_total_commitment_to_date - savings_plan_used_commitment
                   WHEN 'SavingsPlanNegation' THEN 0
                   WHEN 'DiscountedUsage' THEN reservation_effective_cost
                   WHEN 'RIFee' THEN reservation_unused_amortized_upfront_fee_for_billing_period
                                     + reservation_unused_recurring_fee
                   ELSE line_item_unblended_cost END::DECIMAL(38,12))
        FROM read_parquet('{CUR2}/**/*.parquet') GROUP BY 1
        """
        )
        .fetchall()
    )
    return {r[0]: (r[1], r[2]) for r in rows}


@pytest.fixture(scope="module")
def cur2(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    wh = Warehouse(tmp_path_factory.mktemp("cur2") / "w.duckdb")
    ingest(wh, [CUR2])
    return wh


@pytest.fixture(scope="module")
def legacy(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    wh = Warehouse(tmp_path_factory.mktemp("legacy") / "w.duckdb")
    ingest(wh, [LEGACY])
    return wh


def test_monthly_totals_equal_unblended_and_amortized(cur2: Warehouse) -> None:
    loaded = _rows(
        cur2,
        "SELECT strftime(BillingPeriodStart, '%Y-%m'), sum(BilledCost), sum(EffectiveCost)"
        " FROM focus_costs GROUP BY 1 ORDER BY 1",
    )
    expected = _aws_totals()
    assert [r[0] for r in loaded] == ["2026-08", "2026-09", "2026-10"]
    for month, billed, effective in loaded:
        assert billed.quantize(CENT) == expected[month][0].quantize(CENT)
        assert effective.quantize(CENT) == expected[month][1].quantize(CENT)
    (ok,) = _rows(cur2, "SELECT bool_and(loaded_rows = source_rows + derived_rows) FROM ingests")
    assert ok == (True,)


FINGERPRINT = """
    SELECT ChargeCategory, ChargeClass, ChargeFrequency, PricingCategory, CommitmentDiscountId,
           CommitmentDiscountStatus, CommitmentDiscountType, ServiceName, ServiceCategory,
           SubAccountId, RegionId, ResourceId, SkuId, PricingUnit, ChargePeriodStart::VARCHAR,
           round(BilledCost, 6), round(EffectiveCost, 6), round(ListCost, 6),
           round(ContractedCost, 6), round(PricingQuantity, 6),
           regexp_replace(lower(Tags::VARCHAR), '[_-]', '', 'g')  -- CUR 2.0 snake-cases keys
    FROM focus_costs ORDER BY ALL
"""


def test_legacy_csv_and_cur2_parquet_give_the_same_focus_rows(
    cur2: Warehouse, legacy: Warehouse
) -> None:
    a, b = _rows(cur2, FINGERPRINT), _rows(legacy, FINGERPRINT)
    assert len(a) == len(b) > 2000
    assert a == b


def test_every_commitment_balances_as_focus_requires(cur2: Warehouse) -> None:
    """Per commitment: Σ EffectiveCost of its Usage rows = Σ BilledCost of its Purchases, and
    Used + Unused = that total."""
    rows = _rows(
        cur2,
        """
        SELECT CommitmentDiscountId, CommitmentDiscountType,
               sum(EffectiveCost) FILTER (WHERE ChargeCategory = 'Usage'),
               sum(BilledCost) FILTER (WHERE ChargeCategory = 'Purchase'),
               sum(EffectiveCost) FILTER (WHERE CommitmentDiscountStatus = 'Used'),
               sum(EffectiveCost) FILTER (WHERE CommitmentDiscountStatus = 'Unused')
        FROM focus_costs WHERE CommitmentDiscountId IS NOT NULL GROUP BY 1, 2
        """,
    )
    assert {r[1] for r in rows} == {"Reserved Instance", "Savings Plan"}
    for _id, _type, usage, purchase, used, unused in rows:
        assert usage.quantize(CENT) == purchase.quantize(CENT)
        assert (used + (unused or 0)).quantize(CENT) == usage.quantize(CENT)


def test_unused_commitment_rows_are_usage_rows_of_the_commitment(cur2: Warehouse) -> None:
    rows = _rows(
        cur2,
        """
        SELECT ChargeCategory, BilledCost, ResourceId = CommitmentDiscountId, ConsumedQuantity,
               PricingCategory, EffectiveCost > 0
        FROM focus_costs WHERE CommitmentDiscountStatus = 'Unused'
        """,
    )
    assert rows
    assert {(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows} == {
        ("Usage", 0, True, None, "Committed", True)
    }


def test_line_item_types_map_to_focus_charge_categories(cur2: Warehouse) -> None:
    categories = {r[0] for r in _rows(cur2, "SELECT DISTINCT ChargeCategory FROM focus_costs")}
    assert categories == {"Usage", "Purchase", "Tax", "Credit"}
    credits = _rows(
        cur2,
        "SELECT ChargeDescription, BilledCost, EffectiveCost, PricingCategory FROM focus_costs"
        " WHERE ChargeCategory = 'Credit' ORDER BY BilledCost",
    )
    assert [c[1] for c in credits] == [Decimal("-25"), Decimal("-12.5")]
    assert all(c[1] == c[2] and c[3] is None for c in credits)
    negations = _rows(
        cur2,
        "SELECT min(BilledCost), max(EffectiveCost), count(*) FROM focus_costs"
        " WHERE CommitmentDiscountStatus = 'Used' AND BilledCost < 0",
    )
    assert negations[0][0] < 0
    assert negations[0][1] == 0
    assert negations[0][2] > 0
    taxes = _rows(
        cur2,
        "SELECT count(*), count(PricingCategory), count(PricingQuantity), count(SkuId)"
        " FROM focus_costs WHERE ChargeCategory = 'Tax'",
    )
    assert taxes[0][0] > 0
    assert taxes[0][1:] == (0, 0, 0)


def test_tags_and_resource_ids_join_to_the_inventory(cur2: Warehouse) -> None:
    described = json.loads(
        next(
            (DEMO / "inventory").glob("ec2.DescribeInstances_200000000002_us-east-1.json")
        ).read_text(encoding="utf-8")
    )
    instance_ids = {i["InstanceId"] for r in described["Reservations"] for i in r["Instances"]}
    billed = {
        r[0]
        for r in _rows(
            cur2, "SELECT DISTINCT ResourceId FROM focus_costs WHERE ResourceId LIKE 'i-%'"
        )
    }
    assert instance_ids
    assert instance_ids <= billed
    keys = {r[0] for r in _rows(cur2, "SELECT DISTINCT unnest(map_keys(Tags)) FROM focus_costs")}
    assert keys
    assert not any(k.startswith("user_") for k in keys)


def test_a_cur2_csv_export_gives_the_same_rows_as_parquet(tmp_path: Path) -> None:
    """CUR 2.0 delivered as CSV.gz writes its map columns as JSON text."""
    part = next((CUR2 / "example-cur2" / "data" / "BILLING_PERIOD=2026-10").glob("*.parquet"))
    con = duckdb.connect()
    described = con.execute(f"DESCRIBE SELECT * FROM '{part}'").fetchall()
    select = ", ".join(
        f"to_json({name}) AS {name}" if str(kind).startswith("MAP") else name
        for name, kind, *_ in described
    )
    csv_gz = tmp_path / "october.csv.gz"
    con.execute(f"COPY (SELECT {select} FROM '{part}') TO '{csv_gz}' (HEADER, COMPRESSION gzip)")
    from_csv = Warehouse(tmp_path / "csv.duckdb")
    from_parquet = Warehouse(tmp_path / "parquet.duckdb")
    [summary] = ingest(from_csv, [csv_gz])
    ingest(from_parquet, [part])
    assert summary.format == "cur2-csv"
    assert _rows(from_csv, FINGERPRINT) == _rows(from_parquet, FINGERPRINT)
