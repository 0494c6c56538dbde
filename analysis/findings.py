"""The finding every analyzer emits (ARCHITECTURE.md "Analyzers and findings"), and writing a
run's findings into ``findings``."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import duckdb

OPEN, CANNOT_JUDGE = "open", "cannot_judge"
FAMILIES = ("idle", "rightsizing", "spot", "commitment", "untagged")


@dataclass(frozen=True)
class Reason:
    """One input to a confidence: its name, its factor in [0, 1] and why."""

    factor: str
    value: float
    why: str


@dataclass
class Finding:
    """One finding; ``finding_id`` is stable for the same family, check, resource and action."""

    family: str
    check: str
    provider: str
    account_id: str | None
    region: str | None
    resource_id: str | None
    resource_type: str | None
    action: str
    monthly_cost: Decimal | None = None
    savings: Decimal | None = None
    currency: str | None = None
    confidence: float = 1.0
    reasons: list[Reason] = field(default_factory=list)
    evidence: dict[str, Any] = field(default_factory=dict)
    current: dict[str, Any] = field(default_factory=dict)
    target: dict[str, Any] = field(default_factory=dict)
    status: str = OPEN

    @property
    def finding_id(self) -> str:
        key = "|".join(
            [self.family, self.check, self.provider, (self.resource_id or "").lower(), self.action]
        )
        return hashlib.sha256(key.encode()).hexdigest()[:20]


def confidence(reasons: list[Reason]) -> float:
    """The product of the reasons' factors, rounded: every doubt lowers it."""
    score = 1.0
    for reason in reasons:
        score *= max(0.0, min(1.0, reason.value))
    return round(score, 3)


def _json(value: Any) -> str:
    return json.dumps(value, default=str, sort_keys=True)


def _row(f: Finding, run_id: str, first_seen: dt.datetime, now: dt.datetime) -> tuple[Any, ...]:
    reasons = [{"factor": r.factor, "value": round(r.value, 3), "why": r.why} for r in f.reasons]
    return (
        f.finding_id, run_id, f.family, f.check, f.provider, f.account_id, f.region,
        f.resource_id, f.resource_type, f.action, _json(f.current), _json(f.target),
        f.monthly_cost, f.savings, None, f.currency, f.confidence, _json(reasons),
        _json(f.evidence), first_seen, now, f.status,
    )  # fmt: skip


def write_findings(
    con: duckdb.DuckDBPyConnection, run_id: str, found: list[Finding], now: dt.datetime
) -> None:
    """Replace the findings with this run's, keeping each one's first sighting."""
    earlier = con.execute("SELECT finding_id, min(first_seen) FROM findings GROUP BY 1")
    seen = dict(earlier.fetchall())
    rows = [_row(f, run_id, seen.get(f.finding_id, now), now) for f in found]
    con.execute("DELETE FROM findings")
    if rows:
        marks = ", ".join("?" * len(rows[0]))
        con.executemany(f"INSERT INTO findings VALUES ({marks})", rows)
