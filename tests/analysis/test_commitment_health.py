"""commitment_health: utilization from the bill's Used/Unused rows (flagged under 95 %, savings
= the unused commitment per month), expiry from the commitment's end date, stranding on flagged
resources; the FOCUS spec's commitment examples give the spec's utilization."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from analysis.commitment_portfolio import commitments, summary
from analysis.findings import CANNOT_JUDGE
from analysis.window import Window
from tests.analysis.world import END, World
from warehouse.db import Warehouse

RI = "arn:aws:ec2:us-east-1:111111111111:reserved-instances/ri-1"
SP = "arn:aws:savingsplans::111111111111:savingsplan/sp-1"
SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples" / "focus-spec"

ROW = """
INSERT INTO focus_costs BY NAME
SELECT 0 AS BilledCost, ?::DECIMAL(38,12) AS EffectiveCost, ?::DECIMAL(38,12) AS ListCost,
    ?::DECIMAL(38,12) AS ContractedCost, 'USD' AS BillingCurrency,
    CAST(? AS TIMESTAMPTZ) - to_days(CAST(d + 1 AS INTEGER)) AS ChargePeriodStart,
    CAST(? AS TIMESTAMPTZ) - to_days(CAST(d AS INTEGER)) AS ChargePeriodEnd,
    ? AS ResourceId, ? AS x_Provider, 'Usage' AS ChargeCategory, ? AS CommitmentDiscountId,
    ? AS CommitmentDiscountStatus, ? AS CommitmentDiscountCategory,
    ? AS CommitmentDiscountType, ?::DECIMAL(38,12) AS CommitmentDiscountQuantity,
    ? AS CommitmentDiscountUnit, ? AS PricingCategory, 'Hours' AS PricingUnit,
    ?::TIMESTAMPTZ AS x_CommitmentDiscountEnd, 'Amazon EC2' AS ServiceName,
    'Compute' AS ServiceCategory,
    'us-east-1' AS RegionId, '111111111111' AS SubAccountId, 'acct' AS BillingAccountId,
    TIMESTAMPTZ '2026-10-01 00:00:00+00' AS BillingPeriodStart,
    TIMESTAMPTZ '2026-11-01 00:00:00+00' AS BillingPeriodEnd, 'test' AS InvoiceIssuerName,
    'test' AS ProviderName, 'test' AS PublisherName, 1 AS x_IngestId, 'test' AS x_SourceFile,
    'test' AS x_SourceFormat
FROM range(?) AS t(d)
"""


def bill(world: World, rid: str, effective_per_day: float, list_per_day: float = 0.0,
         commitment: str | None = None, status: str | None = None, quantity: float | None = None,
         ends: dt.datetime | None = None, days: int = 30, provider: str = "aws",
         kind: str = "RI") -> World:  # fmt: skip
    """Daily usage rows of the ``days`` before END: on demand, or of ``commitment``."""
    category, ctype, unit = (("Usage", "Reserved Instance", "Hours") if kind == "RI"
                             else ("Spend", "Savings Plan", "USD"))  # fmt: skip
    pricing = "Committed" if commitment else "Standard"
    world.statements.append((ROW, [
        effective_per_day, list_per_day, list_per_day, END, END, rid, provider, commitment,
        status, commitment and category, commitment and ctype, quantity, commitment and unit,
        pricing, ends, days,
    ]))  # fmt: skip
    return world


def committed(world: World, cid: str, used: float, unused: float, ends: dt.datetime | None,
              list_per_day: float, kind: str = "RI") -> World:  # fmt: skip
    """A commitment of ``used + unused`` a day covering ``i-covered``."""
    bill(world, "i-covered", used, list_per_day, cid, "Used", used, ends, kind=kind)
    if unused:
        bill(world, cid, unused, 0.0, cid, "Unused", unused, ends, kind=kind)
    return world


def test_a_commitment_used_at_60_percent_is_flagged(world: World) -> None:
    far = END + dt.timedelta(days=200)
    committed(world, SP, used=6.0, unused=4.0, ends=far, list_per_day=9.0, kind="SP")
    [f] = world.run("commitment_health")
    assert (f.check, f.resource_id, f.status) == ("commitment_underused", SP, "open")
    assert f.evidence["utilization"] == pytest.approx(0.6)
    assert f.savings == Decimal("121.6667")  # 4 a day = 1/6 an hour x 730
    assert f.monthly_cost == Decimal("304.1667")
    assert "40.0% of the commitment goes unused" in f.action


def test_a_fully_used_commitment_far_from_its_end_is_healthy(world: World) -> None:
    committed(world, RI, used=10.0, unused=0.0, ends=END + dt.timedelta(days=120),
              list_per_day=16.0)  # fmt: skip
    assert world.run("commitment_health") == []


def test_a_commitment_ending_within_30_days_is_flagged_with_the_discount_it_loses(
    world: World,
) -> None:
    ends = END + dt.timedelta(days=20)
    committed(world, RI, used=10.0, unused=0.0, ends=ends, list_per_day=16.0)
    [f] = world.run("commitment_health")
    assert (f.check, f.action) == ("commitment_expiring", "renew before 2026-11-21")
    assert f.savings == Decimal("182.5000")  # (16 - 10) / 24 x 730
    assert f.evidence["days_after_data"] == 20.0


def test_one_ended_in_the_last_30_days_is_flagged_too(world: World) -> None:
    committed(world, RI, used=10.0, unused=0.0, ends=END - dt.timedelta(days=3),
              list_per_day=16.0)  # fmt: skip
    [f] = world.run("commitment_health")
    assert f.check == "commitment_expiring"
    assert f.action.startswith("ended on")


def test_without_an_end_date_expiry_cannot_be_judged(world: World) -> None:
    committed(world, RI, used=10.0, unused=0.0, ends=None, list_per_day=16.0)
    [f] = world.run("commitment_health")
    assert (f.check, f.status) == ("commitment_expiring", CANNOT_JUDGE)
    assert "no end date" in f.evidence["reason"]


def test_a_commitment_covering_an_idle_vm_is_at_risk(world: World) -> None:
    world.resource("i-covered", "vm", sku="m5.xlarge", vcpu=4, state="running")
    world.metric("i-covered", "cpu_percent", lambda i: 0.5, hours=14 * 24)
    world.metric("i-covered", "network_in_bytes", lambda i: 100.0, hours=14 * 24)
    committed(world, RI, used=10.0, unused=0.0, ends=END + dt.timedelta(days=200),
              list_per_day=16.0)  # fmt: skip
    [f] = world.run("commitment_health")
    assert f.check == "commitment_on_flagged_resource"
    assert f.evidence["flagged"] == {"i-covered": ["idle_vm"]}


def test_utilization_is_in_hours_for_a_reservation_and_in_money_for_a_savings_plan(
    world: World,
) -> None:
    committed(world, SP, used=6.0, unused=4.0, ends=None, list_per_day=9.0, kind="SP")
    bill(world, "i-od", 5.0, 5.0)
    world.run("commitment_health")
    with world.warehouse.read() as con:
        [sp] = commitments(con, Window(END - dt.timedelta(days=30), END))
        rows = {(r.level, r.key): r for r in summary(con, Window(END - dt.timedelta(days=30),
                                                                 END))}  # fmt: skip
    assert sp["utilization_basis"] == "amortized cost"
    aws = rows[("provider", "aws")]
    assert aws.utilization == pytest.approx(0.6)
    assert aws.coverage == pytest.approx(9.0 / 14.0)  # covered 9 of 9 + 5 on demand (list)
    assert rows[("commitment", SP)].utilization == pytest.approx(0.6)
    assert rows[("region", "us-east-1")].coverage == pytest.approx(9.0 / 14.0)


def _sample_rows(name: str) -> list[dict[str, Any]]:
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"the FOCUS spec samples are not here: {SAMPLES} is absent")
    with path.open(newline="", encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh) if any(r.values())]


def _load_sample(warehouse: Warehouse, rows: list[dict[str, Any]]) -> None:
    def value(row: dict[str, Any], key: str) -> Any:
        v = row.get(key)
        return None if v in (None, "", "null") else v

    with warehouse.write() as con:
        for r in rows:
            con.execute(SAMPLE_ROW, [value(r, k) for k in SAMPLE_KEYS])


SAMPLE_KEYS = ("BilledCost", "EffectiveCost", "ChargePeriodStart", "ChargePeriodEnd",
               "ChargeCategory", "ResourceId", "CommitmentDiscountId", "CommitmentDiscountStatus",
               "CommitmentDiscountCategory", "CommitmentDiscountQuantity",
               "CommitmentDiscountUnit", "PricingCategory")  # fmt: skip
SAMPLE_ROW = f"""
INSERT INTO focus_costs ({", ".join(SAMPLE_KEYS)}, ListCost, ContractedCost, BillingCurrency,
    x_Provider, BillingAccountId, BillingPeriodStart, BillingPeriodEnd, InvoiceIssuerName,
    ProviderName, PublisherName, ServiceName, ServiceCategory, x_IngestId, x_SourceFile,
    x_SourceFormat)
VALUES ({", ".join("?" * len(SAMPLE_KEYS))}, 0, 0, 'USD', 'spec', 'acct',
    TIMESTAMPTZ '2023-01-01 00:00:00+00', TIMESTAMPTZ '2023-02-01 00:00:00+00', 'spec', 'spec',
    'spec', 'spec', 'Compute', 1, 'spec', 'spec')
"""
SPEC_WINDOW = Window(dt.datetime(2023, 1, 1, tzinfo=dt.UTC), dt.datetime(2023, 1, 2, tzinfo=dt.UTC))


@pytest.mark.parametrize(
    ("sample", "utilization"),
    [
        ("commitment_discount_usage_scenario_3.csv", 0.75),  # 0.75 used, 0.25 unused
        ("zero_percent_utilization_without_commitment_discount_flexibility.csv", 0.0),
    ],
)
def test_the_focus_spec_examples_give_the_specs_utilization(
    tmp_path: Path, sample: str, utilization: float
) -> None:
    warehouse = Warehouse(tmp_path / "w.duckdb")
    _load_sample(warehouse, _sample_rows(sample))
    with warehouse.read() as con:
        [row] = commitments(con, SPEC_WINDOW)
    assert row["commitment_id"] == "<my-commitment-discount-id>"
    assert row["utilization"] == pytest.approx(utilization)
