"""Realized savings of a resolved finding, from the bill before and after it was last seen."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from analysis.findings import CASTS, Finding, as_arrow, finding_row
from analysis.lifecycle import realize
from tests.analysis.world import BILL_ROW, END, World

LAST_SEEN_END = END - dt.timedelta(days=7)


def _resolved_finding(world: World, resource_id: str) -> str:
    cost = Decimal("304.17")
    f = Finding("idle", "idle_vm", "aws", "111111111111", "us-east-1", resource_id, "vm",
                "stop or terminate the VM", cost, cost, "USD")  # fmt: skip
    row = finding_row(f, "r1", LAST_SEEN_END, None, {}) | {"status": "resolved", "resolved_at": END}
    with world.warehouse.write() as con:
        con.register("_f", as_arrow([row]))
        con.execute(f"INSERT INTO findings BY NAME SELECT {CASTS} FROM _f")
        con.execute("INSERT INTO analysis_runs VALUES ('r1', ?, ?, 1, 0, 0, 0)",
                    [LAST_SEEN_END, LAST_SEEN_END])  # fmt: skip
    return f.finding_id


def _bill(world: World, resource_id: str, per_day: str, end: dt.datetime, days: int) -> None:
    amount = Decimal(per_day)
    with world.warehouse.write() as con:
        con.execute(BILL_ROW, [amount, amount, amount, amount, "USD", end, end, resource_id,
                               "aws", "vm", "Compute", days])  # fmt: skip


def _realized(world: World, fid: str) -> tuple[Decimal | None, dict[str, object]]:
    import json

    with world.warehouse.write() as con:
        realize(con)
        amount, evidence = con.execute(
            "SELECT realized_savings, realized FROM findings WHERE finding_id = ?", [fid]
        ).fetchone()  # type: ignore[misc]
    return amount, json.loads(evidence)


def test_realized_savings_compare_the_bill_before_and_since(world: World) -> None:
    fid = _resolved_finding(world, "i-1")
    _bill(world, "i-1", "10", LAST_SEEN_END, 30)  # 10 a day up to the last sighting
    _bill(world, "i-1", "2", END, 7)  # 2 a day in the week since
    amount, evidence = _realized(world, fid)
    # (300 / 720 h - 14 / 168 h) x 730 h
    assert amount == pytest.approx(Decimal("243.333333"), abs=Decimal("0.00001"))
    assert evidence["cost_before"] == 300
    assert evidence["cost_since"] == 14
    assert evidence["note"] is None


def test_no_realized_savings_without_a_full_day_since(world: World) -> None:
    fid = _resolved_finding(world, "i-1")
    _bill(world, "i-1", "10", LAST_SEEN_END, 30)
    amount, evidence = _realized(world, fid)
    assert amount is None
    assert evidence["note"] == "the bill has no full day after the finding was last seen"


def test_analyze_nets_an_idle_fleet_vm_and_records_the_link(world: World) -> None:
    """An idle member of a scaling group is also a spot candidate: the ledger keeps the idle
    saving, nets spot to 0 and stores which finding superseded which."""
    from analysis.run import analyze
    from tests.analysis.test_spot import fleet_vm

    fleet_vm(world, "i-asg")
    for metric, value in (("cpu_percent", 0.5), ("network_in_bytes", 10.0),
                          ("network_out_bytes", 10.0)):  # fmt: skip
        world.metric("i-asg", metric, lambda i, v=value: v)  # type: ignore[misc]
    world.run("spot_candidate")  # inserts the rows
    run = analyze(world.warehouse, run_at=END)
    by_check = {f.check: f for f in run.open()}
    idle, spot = by_check["idle_vm"], by_check["spot_candidate"]
    assert run.ledger.entries[idle.finding_id].net == Decimal("73")
    assert run.ledger.entries[spot.finding_id].net == 0
    assert run.net_by_family()["spot"] == 0
    assert run.gross_by_family()["spot"] == pytest.approx(Decimal("51.1"))
    with world.warehouse.read() as con:
        links = con.execute("SELECT * FROM ledger_links").fetchall()
        stored = con.execute(
            "SELECT savings_net, ledger->>'$.cut_by[0].effect' FROM findings WHERE finding_id = ?",
            [spot.finding_id],
        ).fetchone()
    assert links == [(spot.finding_id, idle.finding_id, "superseded", Decimal("51.1"))]
    assert stored == (0, "superseded")
