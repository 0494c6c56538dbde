"""The findings' lifecycle and the ledger on the demo company: ids kept across runs, a resolved
finding when an idle VM becomes busy, decisions that survive re-runs and re-ingests, and the net
total against the planted de-duplicated total."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from analysis.run import analyze
from cloudspend.demo import BILLS
from collectors.ingest import ingest
from tests.analysis.demo_company import DemoRun
from warehouse.db import Warehouse
from warehouse.decisions import Decisions

T1 = dt.datetime(2026, 11, 2, 6, tzinfo=dt.UTC)
T2 = T1 + dt.timedelta(days=7)


@pytest.fixture
def copy(demo: DemoRun, tmp_path: Path) -> Warehouse:
    """A private copy of the analyzed demo warehouse."""
    path = tmp_path / "demo.duckdb"
    shutil.copyfile(demo.warehouse.path, path)
    return Warehouse(path)


def _rows(warehouse: Warehouse) -> dict[str, tuple[str, int, dt.datetime | None]]:
    with warehouse.read() as con:
        rows = con.execute("SELECT finding_id, status, run_count, resolved_at FROM findings")
        return {r[0]: (r[1], r[2], r[3]) for r in rows.fetchall()}


@pytest.mark.slow
def test_net_equals_the_planted_deduplicated_total(demo: DemoRun) -> None:
    planted = Decimal(str(demo.truth["deduplicated_total"]))
    net = demo.run.ledger.net_total()
    assert abs(net - planted) / planted <= Decimal("0.01"), (net, planted)
    with demo.warehouse.read() as con:
        stored = con.execute("SELECT sum(savings_net) FROM findings WHERE status = 'open'")
        assert stored.fetchone()[0] == net  # type: ignore[index]


@pytest.mark.slow
def test_a_second_run_keeps_every_id_and_counts_it(demo: DemoRun, copy: Warehouse) -> None:
    before = _rows(copy)
    run = analyze(copy, run_at=T1)
    after = _rows(copy)
    assert set(after) == set(before) == {f.finding_id for f in demo.run.findings}
    assert {count for _, count, _ in after.values()} == {2}
    assert run.outcome is not None
    assert (run.outcome.new, run.outcome.resolved, run.outcome.reopened) == (0, 0, 0)
    with copy.read() as con:
        runs = con.execute("SELECT count(*), count(DISTINCT data_end) FROM analysis_runs")
        assert runs.fetchone() == (2, 1)


@pytest.mark.slow
def test_an_idle_vm_that_became_busy_is_resolved(demo: DemoRun, copy: Warehouse) -> None:
    idle = next(f for f in demo.run.findings if f.check == "idle_vm" and f.provider == "aws")
    with copy.write() as con:  # the next collect finds the VM working
        con.execute("CREATE TABLE idle_cpu AS SELECT * FROM metrics WHERE resource_id = ?",
                    [idle.resource_id])  # fmt: skip
        con.execute(
            "UPDATE metrics SET avg_value = 60, max_value = 85 "
            "WHERE resource_id = ? AND metric = 'cpu_percent'",
            [idle.resource_id],
        )
    run = analyze(copy, run_at=T1)
    assert run.outcome is not None
    assert run.outcome.resolved == 1
    status, count, resolved_at = _rows(copy)[idle.finding_id]
    assert (status, count, resolved_at) == ("resolved", 1, T1)
    with copy.read() as con:
        net = con.execute("SELECT savings_net FROM findings WHERE finding_id = ?",
                          [idle.finding_id]).fetchone()  # fmt: skip
    assert net == (None,)
    # it stays resolved on the next run, and comes back when the VM idles again
    analyze(copy, run_at=T2)
    assert _rows(copy)[idle.finding_id][0] == "resolved"
    with copy.write() as con:
        con.execute("DELETE FROM metrics WHERE resource_id = ?", [idle.resource_id])
        con.execute("INSERT INTO metrics SELECT * FROM idle_cpu")
    back = analyze(copy, run_at=T2 + dt.timedelta(days=7))
    assert back.outcome is not None
    assert back.outcome.reopened == 1
    assert _rows(copy)[idle.finding_id] == ("open", 2, None)


@pytest.mark.slow
def test_decisions_survive_reruns_and_reingests(demo: DemoRun, copy: Warehouse) -> None:
    ranked = sorted(demo.run.open(), key=lambda f: -demo.run.ledger.entries[f.finding_id].net)
    dismissed, snoozed = ranked[0], ranked[1]
    decisions = Decisions.beside(copy.path)
    decisions.dismiss(dismissed.finding_id, "kept for disaster recovery")
    later = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=30)
    decisions.snooze(snoozed.finding_id, later, "after the freeze")
    ingest(copy, [BILLS[0]])  # the same month again: the warehouse is rebuilt around the decisions
    run = analyze(copy, run_at=T1, decisions=decisions.all())
    assert {dismissed.finding_id, snoozed.finding_id} == run.hidden
    cut = sum(demo.run.ledger.entries[f.finding_id].net for f in (dismissed, snoozed))
    assert run.ledger.net_total() == demo.run.ledger.net_total() - cut
    rows = _rows(copy)
    assert rows[dismissed.finding_id][0] == "open"  # still found; the user's decision hides it
    again = analyze(copy, run_at=T2, decisions=Decisions.beside(copy.path).all())
    assert again.hidden == run.hidden
