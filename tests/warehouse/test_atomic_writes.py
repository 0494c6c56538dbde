"""Loads are atomic: readers see the old state or the new one, never half a load, never an error."""

from __future__ import annotations

import multiprocessing as mp
import time
from decimal import Decimal
from pathlib import Path

import pytest

from collectors.ingest import ingest
from fixtures.focus_synth import write_focus
from warehouse.db import Settings, Warehouse


def _total(wh: Warehouse) -> Decimal:
    with wh.read() as con:
        return Decimal(
            con.execute("SELECT coalesce(sum(BilledCost), 0) FROM focus_costs").fetchall()[0][0]
        )


def test_a_failed_write_leaves_the_warehouse_as_it_was(
    warehouse: Warehouse, synth_csv: Path
) -> None:
    ingest(warehouse, [synth_csv])
    before = _total(warehouse)

    def delete_then_fail() -> None:
        with warehouse.write() as con:
            con.execute("DELETE FROM focus_costs")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        delete_then_fail()
    assert _total(warehouse) == before
    assert not list(warehouse.path.parent.glob("*.tmp-*"))


def test_an_open_reader_keeps_its_snapshot_while_a_load_lands(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    a = write_focus(tmp_path / "a.csv", 300, seed=1)
    b = write_focus(tmp_path / "b.csv", 500, seed=2)
    ingest(warehouse, [a])
    old = _total(warehouse)
    with warehouse.read() as reader:
        ingest(warehouse, [b])
        seen = reader.execute("SELECT sum(BilledCost) FROM focus_costs").fetchall()[0][0]
    assert seen == old
    assert _total(warehouse) != old


def _load_repeatedly(db: str, files: list[str], rounds: int) -> None:
    wh = Warehouse(db, Settings(lock_timeout_s=60))
    for i in range(rounds):
        ingest(wh, [Path(files[i % len(files)])])


@pytest.mark.slow
def test_a_reader_process_never_fails_while_another_process_loads(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    files = [write_focus(tmp_path / f"v{i}.csv", 500 + 500 * i, seed=i) for i in range(2)]
    expected = set()
    for f in files:
        ingest(warehouse, [f])
        expected.add(_total(warehouse))
    assert len(expected) == 2
    loader = mp.get_context("spawn").Process(
        target=_load_repeatedly, args=(str(warehouse.path), [str(f) for f in files], 8)
    )
    loader.start()
    answers: list[Decimal] = []
    deadline = time.monotonic() + 120
    while loader.is_alive() and time.monotonic() < deadline:
        answers.append(_total(warehouse))  # any exception here fails the test
    loader.join(30)
    assert loader.exitcode == 0
    assert len(answers) > 20
    assert set(answers) <= expected, set(answers) - expected
    assert set(answers) == expected  # both states were seen while loads landed
