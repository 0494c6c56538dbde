"""The pure half of the Cost Explorer fallback: pages in, FOCUS rows and source totals out."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import duckdb
import pytest

from collectors.aws.cost_explorer import ce_rows, source_totals, whole_months
from collectors.base import CollectorError
from tests.collectors.aws_ce.canned import AMORTIZED, GROUPS, PAGES, PAYER, UNBLENDED
from warehouse import migrations
from warehouse.focus_columns import FOCUS_COLUMN_NAMES


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
    assert {r["ServiceCategory"] for r in rows} == {"Compute", "Storage", "Databases", "Other"}


def test_source_totals_sum_the_amounts_as_sent():
    totals = source_totals(PAGES)
    assert (totals.rows, totals.billed, totals.effective) == (GROUPS, UNBLENDED, AMORTIZED)
    assert totals.unparsed_rows == 0


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
