"""The weekly report's figures on a company whose changes are known by construction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reports.weekly.build import ReportOptions, WeeklyReport, build_report
from reports.weekly.period import Weeks
from reports.weekly.state import current_state, restated
from tests.reports.small_company import FORMULA, SCRIPT
from warehouse.db import Warehouse
from warehouse.decisions import Decisions, register


def report(warehouse: Warehouse, **options) -> WeeklyReport:
    with warehouse.read() as con:
        register(con, Decisions.beside(warehouse.path))
        return build_report(con, ReportOptions(**options))


def test_the_week_ends_with_the_bills_last_day_and_compares_four_weeks_back():
    weeks = Weeks.ending(dt.date(2026, 10, 31))
    assert (weeks.this.first, weeks.this.last) == (dt.date(2026, 10, 25), dt.date(2026, 10, 31))
    assert weeks.before.last == dt.date(2026, 10, 24)
    assert weeks.month_ago.first == dt.date(2026, 9, 27)  # same weekday, four weeks earlier


def test_change_is_split_into_rate_usage_new_gone_and_fees(small: Warehouse):
    r = report(small)
    assert r.weeks.this.last == dt.date(2026, 10, 31)
    [aws] = r.providers
    assert aws.this_week == Decimal(7 * (36 + 10 + 5 + 2))
    assert aws.week_before == Decimal(7 * (24 + 5 + 3 + 1))
    assert [aws.rate, aws.usage, aws.new, aws.gone, aws.other] == [84, 35, 35, -21, 7]
    assert aws.change == aws.rate + aws.usage + aws.new + aws.gone + aws.other
    assert aws.month_ago == aws.week_before


def test_findings_net_stays_missing_never_gross(small: Warehouse):
    r = report(small)
    idle = next(f for f in r.findings.by_family if f.family == "idle")
    assert (idle.gross, idle.net, idle.with_net) == (Decimal(100), None, 0)
    assert [x.resource_id for x in r.findings.top] == ["i-grow", "i-new"]
    assert {x.owner for x in r.findings.top} == {FORMULA, SCRIPT}
    assert r.findings.new_count == 2
    assert any("net savings" in w for w in r.warnings)


def test_snoozed_and_dismissed_findings_leave_the_totals(small: Warehouse):
    decisions = Decisions.beside(small.path)
    [grow, new] = report(small).findings.top
    decisions.dismiss(grow.finding_id, "kept on purpose")
    # a snooze ending within a week of the run: listed as expiring, still hidden until then
    with decisions._connect() as con:
        con.execute(
            "INSERT INTO decisions VALUES (?, 'snoozed', 'waiting for budget', '2026-11-05', "
            "'2026-11-01T00:00:00+00:00', NULL)",
            (new.finding_id,),
        )
    r = report(small)
    assert r.findings.top == []
    assert r.findings.by_family == []
    assert [(x.resource_id, x.until) for x in r.findings.snoozes_expiring] == [
        ("i-new", dt.date(2026, 11, 5))
    ]


def test_owner_report_keeps_only_that_owners_resources(small: Warehouse):
    r = report(small, owner="TEAM-A")
    [aws] = r.providers
    # i-rate, i-gone and the tax row (team-a's by its bill tag)
    assert aws.this_week == Decimal(7 * (36 + 2))
    assert aws.week_before == Decimal(7 * (24 + 3 + 1))
    assert r.findings.top == []
    assert r.title.endswith("for TEAM-A, week 2026-10-25 to 2026-10-31")


def test_a_restated_period_is_named_in_the_next_report(small: Warehouse):
    with small.read() as con:
        before = current_state(con, dt.date(2026, 10, 31))
    with small.write() as con:
        con.execute("UPDATE focus_costs SET EffectiveCost = EffectiveCost + 1 "
                    "WHERE ResourceId = 'i-rate' AND ChargePeriodStart = '2026-10-03'")  # fmt: skip
    with small.read() as con:
        assert restated(con, before) == {"aws/acct": ["2026-10"]}
    r = report(small, previous=before)
    assert r.sources[0].restated == ("2026-10",)
    assert any("restated since the last report: 2026-10" in w for w in r.warnings)
    assert any("no new billing data since the last report" in w for w in r.warnings)


def test_no_bill_is_an_error(tmp_path):
    empty = Warehouse(tmp_path / "empty.duckdb")
    with empty.write():
        pass
    with pytest.raises(Exception, match="no billing data"):
        report(empty)
