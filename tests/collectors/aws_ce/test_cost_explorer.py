"""Cost Explorer fallback against a real moto server: paging, loading, reconciling, replacing."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from collectors.aws.cost_explorer import collect_cost_explorer, fetch_cost_and_usage
from collectors.base import CollectorError
from collectors.ingest import ingest
from fixtures.focus_synth import write_focus
from tests.collectors.aws_ce.canned import AMORTIZED, GROUPS, PAGE_1, PAGE_2, PAYER, UNBLENDED
from warehouse.db import Warehouse

OCT, NOV = dt.date(2026, 10, 1), dt.date(2026, 11, 1)
TODAY = dt.date(2026, 11, 26)


def _record_requests(ce_client: Any) -> list[dict[str, Any]]:
    """The parameters of every GetCostAndUsage call the client makes (botocore's own hook)."""
    seen: list[dict[str, Any]] = []

    def remember(params: dict[str, Any], **_: Any) -> None:
        seen.append(copy.deepcopy(params))

    ce_client.meta.events.register("provide-client-params.ce.GetCostAndUsage", remember)
    return seen


def test_fetch_follows_next_page_token(ce_client, queue_results):
    queue_results([PAGE_1, PAGE_2])
    requests = _record_requests(ce_client)
    pages = fetch_cost_and_usage(ce_client, OCT, NOV)
    assert [p["ResultsByTime"] for p in pages] == [PAGE_1["ResultsByTime"], PAGE_2["ResultsByTime"]]
    assert pages[0]["NextPageToken"] == "page-2"
    assert "NextPageToken" not in pages[1]
    assert "ResponseMetadata" not in pages[0]
    first, second = requests
    assert first["TimePeriod"] == {"Start": "2026-10-01", "End": "2026-11-01"}
    assert first["Granularity"] == "DAILY"
    assert first["Metrics"] == ["UnblendedCost", "AmortizedCost", "UsageQuantity"]
    assert [g["Key"] for g in first["GroupBy"]] == ["LINKED_ACCOUNT", "SERVICE"]
    assert "NextPageToken" not in first
    assert second == {**first, "NextPageToken": "page-2"}


def test_fetch_stops_on_a_repeated_page_token(ce_client, queue_results):
    looping = {**PAGE_2, "NextPageToken": "again"}
    queue_results([{**PAGE_1, "NextPageToken": "again"}, looping])
    with pytest.raises(CollectorError, match="twice"):
        fetch_cost_and_usage(ce_client, OCT, NOV)


def _totals(warehouse: Warehouse) -> tuple[Any, ...]:
    with warehouse.read() as con:
        row = con.execute(
            "SELECT count(*), sum(BilledCost), sum(EffectiveCost), sum(ListCost),"
            " sum(ContractedCost) FROM focus_costs"
        ).fetchone()
    assert row is not None
    return tuple(row)


def test_collect_loads_the_canned_totals_to_the_cent(ce_client, queue_results, warehouse):
    queue_results([PAGE_1, PAGE_2])
    summary = collect_cost_explorer(warehouse, ce_client, OCT, NOV, PAYER, today=TODAY)
    rows, billed, effective, listed, contracted = _totals(warehouse)
    assert rows == GROUPS == summary.loaded_rows
    assert round(billed, 2) == round(UNBLENDED, 2) == round(listed, 2) == round(contracted, 2)
    assert round(effective, 2) == round(AMORTIZED, 2)
    assert billed == UNBLENDED
    assert effective == AMORTIZED
    assert summary.format == "aws-cost-explorer"
    assert summary.partitions == [f"aws/{PAYER}/2026-10"]
    assert summary.source_totals.billed == UNBLENDED


def test_rows_are_labelled_as_aggregates(ce_client, queue_results, warehouse):
    queue_results([PAGE_1, PAGE_2])
    collect_cost_explorer(warehouse, ce_client, OCT, NOV, PAYER, today=TODAY)
    with warehouse.read() as con:
        rows = con.execute(
            "SELECT DISTINCT x_SourceFormat, ResourceId, ProviderName, PublisherName,"
            " InvoiceIssuerName, BillingAccountId, BillingCurrency, strftime(BillingPeriodStart,"
            " '%Y-%m-%d'), strftime(BillingPeriodEnd, '%Y-%m-%d') FROM focus_costs"
        ).fetchall()
        ec2 = con.execute(
            "SELECT ChargePeriodStart, ChargePeriodEnd, ChargeCategory, ServiceCategory,"
            " SubAccountName, ConsumedQuantity, PricingUnit, ChargeDescription FROM focus_costs"
            " WHERE ServiceName = 'Amazon Elastic Compute Cloud - Compute' ORDER BY 1"
        ).fetchall()
        other = dict(
            con.execute(
                "SELECT ServiceName, [ChargeCategory, ServiceCategory, PricingUnit,"
                " ChargeDescription] FROM focus_costs WHERE ServiceName IN"
                " ('Tax', 'Amazon Simple Storage Service', 'AWS Support (Business)')"
            ).fetchall()
        )
    assert rows == [
        ("aws-cost-explorer", None, "AWS", "AWS", "Amazon Web Services, Inc.", PAYER, "USD",
         "2026-10-01", "2026-11-01")
    ]  # fmt: skip
    day1, day2 = ec2
    assert (day1[0].isoformat(), day1[1].isoformat()) == (
        "2026-10-01T00:00:00+00:00",
        "2026-10-02T00:00:00+00:00",
    )
    assert day2[0].isoformat() == "2026-10-02T00:00:00+00:00"
    assert day1[2:7] == ("Usage", "Compute", "example-prod", Decimal(48), "Hrs")
    assert "Cost Explorer daily aggregate by linked account and service" in day1[7]
    assert other["Tax"][:3] == ["Tax", "Other", None]
    assert other["Amazon Simple Storage Service"][1:3] == ["Storage", None]  # unit N/A
    assert "estimated" in other["AWS Support (Business)"][3]


def test_rerun_of_the_same_month_replaces_it(ce_client, queue_results, warehouse):
    queue_results([PAGE_1, PAGE_2])
    first = collect_cost_explorer(warehouse, ce_client, OCT, NOV, PAYER, today=TODAY)
    # the same requests get the same answers from moto: a second collect of October
    second = collect_cost_explorer(warehouse, ce_client, OCT, NOV, PAYER, today=TODAY)
    rows, billed, effective, *_ = _totals(warehouse)
    assert (rows, billed, effective) == (GROUPS, UNBLENDED, AMORTIZED)
    assert second.replaced_rows == first.loaded_rows == GROUPS
    with warehouse.read() as con:
        ids = con.execute("SELECT DISTINCT x_IngestId FROM focus_costs").fetchall()
        ingests = con.execute("SELECT count(*) FROM ingests").fetchone()
    assert ids == [(second.ingest_id,)]
    assert ingests == (2,)


def test_a_partial_window_fetches_the_whole_month(ce_client, queue_results, warehouse):
    queue_results([PAGE_1, PAGE_2])
    requests = _record_requests(ce_client)
    collect_cost_explorer(
        warehouse, ce_client, dt.date(2026, 10, 15), dt.date(2026, 10, 20), PAYER, today=TODAY
    )
    assert requests[0]["TimePeriod"] == {"Start": "2026-10-01", "End": "2026-11-01"}
    assert _totals(warehouse)[0] == GROUPS


def test_refuses_to_replace_line_items_of_an_export(tmp_path, ce_client, queue_results, warehouse):
    ingest(warehouse, [write_focus(tmp_path / "focus.csv", 40, seed=3)])
    before = _totals(warehouse)
    queue_results([PAGE_1, PAGE_2])
    with pytest.raises(CollectorError, match=r"111111111111, period 2026-10 .*focus-1\.2"):
        collect_cost_explorer(warehouse, ce_client, OCT, NOV, "111111111111", today=TODAY)
    assert _totals(warehouse) == before
