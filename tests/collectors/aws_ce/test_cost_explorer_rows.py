"""The pure half of the Cost Explorer fallback: pages in, FOCUS rows and source totals out."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import duckdb
import pytest

from collectors.aws.cost_explorer import (
    OTHER,
    SERVICE_CATEGORIES,
    SOURCE_FORMAT,
    ce_rows,
    load_cost_explorer,
    source_totals,
    whole_months,
)
from collectors.base import CollectorError
from tests.collectors.aws_ce.canned import AMORTIZED, GROUPS, PAGES, PAYER, UNBLENDED
from warehouse import migrations
from warehouse.focus_columns import FOCUS_COLUMN_NAMES, SERVICE_SUBCATEGORIES
from warehouse.load import finish_ingest, new_ingest_id


def test_rows_have_the_focus_columns_and_types_of_focus_costs():
    table = ce_rows(PAGES, PAYER)
    assert table.num_rows == GROUPS
    assert tuple(table.column_names) == FOCUS_COLUMN_NAMES
    con = duckdb.connect()
    migrations.migrate(con)
    con.register("ce", table)
    describe = "SELECT column_name, column_type FROM (DESCRIBE {})"
    wanted = dict(con.execute(describe.format("focus_costs")).fetchall())
    got = dict(con.execute(describe.format("ce")).fetchall())
    wanted = {k: "VARCHAR" if v == "JSON" else v for k, v in wanted.items() if k in got}
    assert got == wanted


def test_mandatory_columns_are_filled():
    rows = ce_rows(PAGES, PAYER).to_pylist()
    for name in ("ServiceCategory", "ServiceSubcategory", "SubAccountId", "ChargeFrequency"):
        assert all(r[name] for r in rows), name
    usage = [r for r in rows if r["ChargeCategory"] == "Usage"]
    assert len(usage) == GROUPS - 1
    assert all(r["PricingCategory"] == "Other" for r in usage)
    categories = {r["ServiceCategory"] for r in rows}
    assert categories == {"Compute", "Storage", "Databases", "Management and Governance", "Other"}


def test_service_categories_are_allowed_focus_pairs():
    for service, (category, subcategory) in [*SERVICE_CATEGORIES.items(), ("any", OTHER)]:
        assert subcategory in SERVICE_SUBCATEGORIES[category], service


def test_source_totals_sum_the_amounts_as_sent():
    totals = source_totals(PAGES, PAYER)
    assert (totals.rows, totals.billed, totals.effective) == (GROUPS, UNBLENDED, AMORTIZED)
    assert totals.unparsed_rows == 0
    october = ("aws", PAYER, dt.datetime(2026, 10, 1, tzinfo=dt.UTC))
    assert totals.periods == {october: (UNBLENDED, AMORTIZED)}


def test_each_month_reconciles_as_its_own_period(warehouse):
    september = copy.deepcopy(PAGES[1])
    september["ResultsByTime"][0]["TimePeriod"] = {"Start": "2026-09-30", "End": "2026-10-01"}
    pages = [PAGES[0], september]
    with warehouse.write() as con:
        con.execute("BEGIN TRANSACTION")
        ingest_id = new_ingest_id(con)
        totals = load_cost_explorer(con, ingest_id, pages, PAYER, "test")
        summary = finish_ingest(
            con, ingest_id, "test", SOURCE_FORMAT, 0, totals, dt.datetime.now(dt.UTC)
        )
        con.execute("COMMIT")
    assert summary.partitions == [f"aws/{PAYER}/2026-09", f"aws/{PAYER}/2026-10"]
    with warehouse.read() as con:
        periods = con.execute(
            "SELECT strftime(BillingPeriodStart, '%Y-%m'), sum(BilledCost) FROM focus_costs"
            " GROUP BY 1 ORDER BY 1"
        ).fetchall()
    assert periods == [
        ("2026-09", Decimal("16.6666666667")),
        ("2026-10", UNBLENDED - Decimal("16.6666666667")),
    ]


def _broken(edit) -> list[dict[str, Any]]:
    pages = copy.deepcopy(PAGES)
    edit(pages[0]["ResultsByTime"][0]["Groups"][0])
    return pages


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda g: g["Metrics"].pop("AmortizedCost"), "lacks the metric AmortizedCost"),
        (lambda g: g["Metrics"]["UnblendedCost"].update(Amount="12,5"), "not an amount"),
        (lambda g: g["Metrics"]["AmortizedCost"].update(Unit="EUR"), "AmortizedCost in EUR"),
        (lambda g: g.update(Keys=["200000000002"]), "expected \\(linked account, service\\)"),
    ],
)
def test_malformed_groups_are_refused(edit, message):
    with pytest.raises(CollectorError, match=message):
        ce_rows(_broken(edit), PAYER)


@pytest.mark.parametrize(
    ("start", "end", "today", "window"),
    [
        ("2026-10-01", "2026-11-01", "2026-11-26", ("2026-10-01", "2026-11-01")),
        ("2026-10-15", "2026-10-20", "2026-11-26", ("2026-10-01", "2026-11-01")),
        ("2026-09-30", "2026-10-02", "2026-11-26", ("2026-09-01", "2026-11-01")),
        ("2026-11-01", "2026-12-01", "2026-11-26", ("2026-11-01", "2026-11-27")),
        ("2026-12-15", "2027-01-01", "2026-12-31", ("2026-12-01", "2027-01-01")),
    ],
)
def test_windows_widen_to_whole_months_but_not_past_tomorrow(start, end, today, window):
    d = dt.date.fromisoformat
    assert whole_months(d(start), d(end), d(today)) == (d(window[0]), d(window[1]))


def test_empty_or_future_windows_are_refused():
    d = dt.date.fromisoformat
    with pytest.raises(CollectorError, match="empty"):
        whole_months(d("2026-10-02"), d("2026-10-02"), d("2026-11-26"))
    with pytest.raises(CollectorError, match="future"):
        whole_months(d("2027-01-01"), d("2027-02-01"), d("2026-11-26"))
