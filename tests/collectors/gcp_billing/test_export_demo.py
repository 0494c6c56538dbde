"""The demo company's detailed export loads as FOCUS 1.2 and reconciles per invoice month to the
export's own totals; JSON lines and Parquet give the same rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from collectors.ingest import ingest
from tests.collectors.gcp_billing.helpers import BILLING, export_totals, month_file, to_parquet
from warehouse.db import Warehouse

CENT = Decimal("0.01")


def _per_month(warehouse: Warehouse) -> dict[str, tuple[Decimal, Decimal]]:
    with warehouse.read() as con:
        rows = con.execute(
            "SELECT strftime(timezone('America/Los_Angeles', BillingPeriodStart), '%Y%m'),"
            " sum(BilledCost), sum(EffectiveCost) FROM focus_costs GROUP BY 1"
        ).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def test_each_invoice_month_reconciles_to_the_export_totals(warehouse: Warehouse) -> None:
    skipped: list[Path] = []
    [summary] = ingest(warehouse, [BILLING], on_skip=lambda path, why: skipped.append(path))
    assert [p.name for p in skipped] == ["export_totals.json"]
    totals = export_totals()
    assert summary.source_totals.rows == sum(m["rows"] for m in totals.values())
    for month, (billed, effective) in _per_month(warehouse).items():
        net = Decimal(str(totals[month]["net_cost"]))
        assert abs(billed - net) < CENT, month
        assert abs(effective - net) < CENT, month
    assert summary.quarantined_rows == 0


def test_billing_periods_are_pacific_invoice_months(warehouse: Warehouse) -> None:
    ingest(warehouse, [month_file("202609")])
    with warehouse.read() as con:
        periods = con.execute(
            "SELECT DISTINCT BillingPeriodStart, BillingPeriodEnd FROM focus_costs"
        ).fetchall()
    pacific = dt.timezone(dt.timedelta(hours=-7))
    assert periods == [
        (
            dt.datetime(2026, 9, 1, tzinfo=pacific),
            dt.datetime(2026, 10, 1, tzinfo=pacific),
        )
    ]


def test_parquet_with_nested_columns_loads_the_same_rows(
    tmp_path: Path, warehouse: Warehouse
) -> None:
    parquet = to_parquet(month_file("202610"), tmp_path / "oct" / "part-000.parquet")
    [from_parquet] = ingest(warehouse, [parquet])
    with warehouse.read() as con:
        want = con.execute(
            "SELECT ChargeCategory, count(*), sum(BilledCost), sum(EffectiveCost),"
            " count(DISTINCT ResourceId), sum(cardinality(Tags)) FROM focus_costs"
            " GROUP BY 1 ORDER BY 1"
        ).fetchall()
    assert from_parquet.source_totals.rows == export_totals()["202610"]["rows"]
    ingest(warehouse, [month_file("202610")])
    with warehouse.read() as con:
        got = con.execute(
            "SELECT ChargeCategory, count(*), sum(BilledCost), sum(EffectiveCost),"
            " count(DISTINCT ResourceId), sum(cardinality(Tags)) FROM focus_costs"
            " GROUP BY 1 ORDER BY 1"
        ).fetchall()
    assert got == want


def test_credits_become_what_focus_wants(warehouse: Warehouse) -> None:
    ingest(warehouse, [month_file("202608")])
    with warehouse.read() as con:
        credit = con.execute(
            "SELECT ChargeDescription, sum(BilledCost), any_value(ResourceName), count(*)"
            " FROM focus_costs WHERE ChargeCategory = 'Credit' GROUP BY 1"
        ).fetchall()
        sud = con.execute(
            "SELECT round(sum(BilledCost) / sum(ContractedCost), 9) FROM focus_costs"
            " WHERE ResourceName = 'prod-oversized-vm-1'"
        ).fetchone()
        tags = con.execute(
            "SELECT Tags FROM focus_costs WHERE ResourceName = 'dev-idle-vm-1' LIMIT 1"
        ).fetchone()
    # the promotion is a Credit row of its own; sustained use is folded into the price
    # (the vCPU and the RAM row of the database's first day)
    assert credit == [
        ("Promotion: Cloud SQL trial credit", Decimal("-3.96"), "prod-stateful-db-1", 2)
    ]
    assert sud is not None
    assert sud[0] == 0.8
    assert tags is not None
    assert tags[0]["owner"] == "team-data"
    assert tags[0]["compute.googleapis.com/machine_spec"] == "n2-standard-4"


def test_recollecting_a_month_replaces_it(warehouse: Warehouse) -> None:
    ingest(warehouse, [month_file("202609")])
    [again] = ingest(warehouse, [month_file("202609")])
    assert again.replaced_rows == again.loaded_rows
    with warehouse.read() as con:
        (rows,) = con.execute("SELECT count(*) FROM focus_costs").fetchone() or (0,)
    assert rows == again.loaded_rows
