"""A tiny analyzed warehouse with two findings on one resource: an idle member of a scaling
group is also a spot candidate, so the ledger nets the spot finding to 0 behind the idle one."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from analysis.run import analyze
from tests.analysis.test_spot import fleet_vm
from tests.analysis.world import END, World
from warehouse.db import Warehouse


@dataclass(frozen=True)
class Overlap:
    warehouse: Warehouse
    idle_id: str
    spot_id: str
    spot_gross: Decimal


def overlapping(folder: Path) -> Overlap:
    """The analyzed warehouse in ``folder``, its idle and spot finding and the spot's gross."""
    world = World(Warehouse(folder / "overlap.duckdb"))
    fleet_vm(world, "i-asg")
    for metric in ("cpu_percent", "network_in_bytes", "network_out_bytes"):
        world.metric("i-asg", metric, lambda i: 0.5)
    world.run("spot_candidate")  # inserts the rows
    run = analyze(world.warehouse, run_at=END)
    by_check = {f.check: f for f in run.open()}
    idle, spot = by_check["idle_vm"], by_check["spot_candidate"]
    assert run.ledger.entries[spot.finding_id].net == 0  # superseded by the idle finding
    return Overlap(world.warehouse, idle.finding_id, spot.finding_id, spot.savings or Decimal(0))
