"""User decisions live beside the warehouse, survive its rebuilds and join in DuckDB."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from warehouse.decisions import DISMISSED, SNOOZED, DecisionError, Decisions, register

TODAY = dt.datetime.now(dt.UTC).date()


def test_beside_names_a_file_next_to_the_warehouse(tmp_path: Path) -> None:
    decisions = Decisions.beside(tmp_path / "w.duckdb")
    assert decisions.path == tmp_path / "w.duckdb.decisions.sqlite3"
    assert decisions.all() == []
    assert not decisions.path.exists()  # reading creates nothing


def test_dismiss_snooze_reopen_round_trip(tmp_path: Path) -> None:
    decisions = Decisions.beside(tmp_path / "w.duckdb")
    decisions.dismiss("a1", "  kept for DR  ", by="ana@example.com")
    later = TODAY + dt.timedelta(days=14)
    decisions.snooze("b2", later, "quarter-end freeze")
    got = {d.finding_id: d for d in Decisions(decisions.path).all()}
    assert (got["a1"].state, got["a1"].reason, got["a1"].set_by) == (
        DISMISSED,
        "kept for DR",
        "ana@example.com",
    )
    assert (got["b2"].state, got["b2"].until) == (SNOOZED, later)
    assert got["a1"].hides(TODAY)
    assert got["b2"].hides(TODAY)
    assert not got["b2"].hides(later)  # a snooze ends on its date
    assert decisions.reopen("a1") is True
    assert decisions.reopen("a1") is False
    assert [d.finding_id for d in decisions.all()] == ["b2"]


def test_a_new_decision_replaces_the_old_one(tmp_path: Path) -> None:
    decisions = Decisions(tmp_path / "d.sqlite3")
    decisions.snooze("a1", TODAY + dt.timedelta(days=3), "later")
    decisions.dismiss("a1", "never")
    (only,) = decisions.all()
    assert (only.state, only.until, only.reason) == (DISMISSED, None, "never")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda d: d.dismiss("a1", " "), "a reason is required to dismiss finding a1"),
        (lambda d: d.snooze("a1", TODAY, "x"), "is not in the future"),
        (lambda d: d.dismiss("", "x"), "a finding id is required"),
    ],
)
def test_bad_decisions_are_refused(tmp_path: Path, call: object, message: str) -> None:
    decisions = Decisions(tmp_path / "d.sqlite3")
    with pytest.raises(DecisionError, match=message):
        call(decisions)  # type: ignore[operator]
    assert decisions.all() == []


def test_register_joins_in_duckdb(tmp_path: Path) -> None:
    decisions = Decisions(tmp_path / "d.sqlite3")
    decisions.dismiss("a1", "kept")
    con = duckdb.connect()
    register(con, decisions)
    con.execute("CREATE TABLE f AS SELECT * FROM (VALUES ('a1'), ('b2')) t(finding_id)")
    rows = con.execute(
        "SELECT f.finding_id, d.state FROM f LEFT JOIN finding_decisions d USING (finding_id) "
        "ORDER BY 1"
    ).fetchall()
    assert rows == [("a1", DISMISSED), ("b2", None)]
    register(con, [])  # an empty set still has the columns
    assert con.execute("SELECT count(*), count(until) FROM finding_decisions").fetchone() == (0, 0)
