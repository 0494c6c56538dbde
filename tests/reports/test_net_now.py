"""Net savings follow the users' decisions at once: dismissing the idle finding on a resource
lets the spot finding on the same resource net its gross in the dashboard's findings table and
totals and in the weekly report, before any new analysis run."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from reports.queries import findings
from reports.queries.filters import Filters
from reports.queries.net import current_nets
from reports.weekly.build import ReportOptions, build_report
from tests.analysis.world import END
from tests.reports.overlap import Overlap, overlapping
from warehouse.decisions import Decisions, register


@pytest.fixture
def overlap(tmp_path: Path) -> Overlap:
    return overlapping(tmp_path)


def table_nets(o: Overlap) -> tuple[dict[str, float], list[findings.Totals]]:
    decisions = tuple(Decisions.beside(o.warehouse.path).all())
    with o.warehouse.read() as con:
        table = findings.findings(con, Filters(), decisions, END.date())
        nets = current_nets(con, decisions, END.date())  # the dashboard's cached ledger
        again = findings.findings(con, Filters(), decisions, END.date(), nets=nets)
    pd.testing.assert_frame_equal(table, again)
    return dict(zip(table["finding_id"], table["savings_net"], strict=True)), findings.totals(table)


def family_nets(o: Overlap) -> dict[str, object]:
    with o.warehouse.read() as con:
        register(con, Decisions.beside(o.warehouse.path))
        report = build_report(con, ReportOptions())
    return {f.family: f.net for f in report.findings.by_family}


def test_dashboard_nets_the_spot_finding_once_the_idle_one_is_dismissed(overlap: Overlap):
    nets, _ = table_nets(overlap)
    assert nets[overlap.spot_id] == 0
    Decisions.beside(overlap.warehouse.path).dismiss(overlap.idle_id, "kept for the batch")
    nets, [total] = table_nets(overlap)
    assert overlap.idle_id not in nets
    assert nets[overlap.spot_id] == pytest.approx(float(overlap.spot_gross))
    assert total.net == pytest.approx(float(overlap.spot_gross))
    assert total.net_missing == 0


def test_weekly_report_nets_the_spot_finding_once_the_idle_one_is_dismissed(overlap: Overlap):
    assert family_nets(overlap)["spot"] == 0
    Decisions.beside(overlap.warehouse.path).dismiss(overlap.idle_id, "kept for the batch")
    nets = family_nets(overlap)
    assert "idle" not in nets
    assert nets["spot"] == overlap.spot_gross
