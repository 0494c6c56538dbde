"""Users' decisions on findings (dismiss, snooze), kept outside the warehouse.

The warehouse is derived data: a load rebuilds it into a copy and swaps it in. Decisions are user
data, so they live in a SQLite file beside it (``<warehouse>.decisions.sqlite3``) that no rebuild
touches, and that the CLI and the dashboard can write while a collect or analyze run holds the
warehouse. ``register`` hands them to a DuckDB connection as the relation ``finding_decisions``.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.errors import CloudSpendError

DISMISSED, SNOOZED = "dismissed", "snoozed"
SUFFIX = ".decisions.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    finding_id TEXT PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('dismissed', 'snoozed')),
    reason TEXT NOT NULL,
    until TEXT,            -- ISO date, snoozes only
    set_at TEXT NOT NULL,  -- ISO timestamp, UTC
    set_by TEXT
)
"""

_ARROW = pa.schema(
    [
        ("finding_id", pa.string()),
        ("state", pa.string()),
        ("reason", pa.string()),
        ("until", pa.date32()),
        ("set_at", pa.timestamp("us", tz="UTC")),
        ("set_by", pa.string()),
    ]
)


class DecisionError(CloudSpendError):
    """A decision that cannot be taken (no reason, a snooze date in the past, unknown id)."""


@dataclass(frozen=True)
class Decision:
    """One user's decision on one finding."""

    finding_id: str
    state: str  # dismissed | snoozed
    reason: str
    until: dt.date | None
    set_at: dt.datetime
    set_by: str | None

    def hides(self, today: dt.date) -> bool:
        """True while the decision keeps the finding out of the open list and the totals."""
        return self.state == DISMISSED or (self.until is not None and self.until > today)


class Decisions:
    """The decisions file; every call opens and closes its own short SQLite transaction."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def beside(cls, warehouse_path: Path) -> Decisions:
        """The decisions file that belongs to the warehouse at ``warehouse_path``."""
        return cls(warehouse_path.with_name(warehouse_path.name + SUFFIX))

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=30)) as con:
            con.execute(_SCHEMA)
            with con:  # one transaction, committed on success
                yield con

    def dismiss(self, finding_id: str, reason: str, by: str | None = None) -> Decision:
        """Dismiss a finding for good (until reopened), with the reason."""
        return self._set(finding_id, DISMISSED, reason, None, by)

    def snooze(
        self, finding_id: str, until: dt.date, reason: str, by: str | None = None
    ) -> Decision:
        """Hide a finding until ``until`` (exclusive of earlier days), with the reason."""
        if until <= dt.datetime.now(dt.UTC).date():
            raise DecisionError(f"snooze date {until.isoformat()} is not in the future")
        return self._set(finding_id, SNOOZED, reason, until, by)

    def reopen(self, finding_id: str) -> bool:
        """Forget the decision on a finding; False when there was none."""
        with self._connect() as con:
            cur = con.execute("DELETE FROM decisions WHERE finding_id = ?", (finding_id,))
            return cur.rowcount > 0

    def get(self, finding_id: str) -> Decision | None:
        """The decision on one finding, if any."""
        return next((d for d in self._select("WHERE finding_id = ?", (finding_id,))), None)

    def all(self) -> list[Decision]:
        """Every decision, by finding id."""
        if not self.path.exists():
            return []
        return self._select("ORDER BY finding_id", ())

    def _set(
        self, finding_id: str, state: str, reason: str, until: dt.date | None, by: str | None
    ) -> Decision:
        if not finding_id.strip():
            raise DecisionError("a finding id is required")
        if not reason.strip():
            verb = "dismiss" if state == DISMISSED else "snooze"
            raise DecisionError(f"a reason is required to {verb} finding {finding_id}")
        decision = Decision(
            finding_id, state, reason.strip(), until, dt.datetime.now(dt.UTC), by or None
        )
        with self._connect() as con:
            con.execute(
                "INSERT OR REPLACE INTO decisions VALUES (?, ?, ?, ?, ?, ?)",
                (
                    finding_id, state, decision.reason, until and until.isoformat(),
                    decision.set_at.isoformat(), decision.set_by,
                ),
            )  # fmt: skip
        return decision

    def _select(self, tail: str, params: tuple[str, ...]) -> list[Decision]:
        with self._connect() as con:
            rows = con.execute(
                f"SELECT finding_id, state, reason, until, set_at, set_by FROM decisions {tail}",
                params,
            ).fetchall()
        return [_decision(row) for row in rows]


def _decision(row: tuple[str, str, str, str | None, str, str | None]) -> Decision:
    finding_id, state, reason, until, set_at, set_by = row
    day = dt.date.fromisoformat(until) if until else None
    return Decision(finding_id, state, reason, day, dt.datetime.fromisoformat(set_at), set_by)


def as_arrow(decisions: list[Decision]) -> pa.Table:
    """The decisions as an Arrow table (columns as in ``Decision``)."""
    return pa.Table.from_pylist([asdict(d) for d in decisions], schema=_ARROW)


def register(
    con: duckdb.DuckDBPyConnection,
    decisions: Decisions | list[Decision],
    name: str = "finding_decisions",
) -> None:
    """Make the decisions a relation ``name`` of ``con`` for SQL joins on finding_id."""
    rows = decisions.all() if isinstance(decisions, Decisions) else decisions
    con.register(name, as_arrow(rows))
