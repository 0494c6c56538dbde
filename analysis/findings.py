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
import pyarrow as pa

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


COLUMNS = (
    "finding_id", "run_id", "family", "check", "provider", "account_id", "region", "resource_id",
    "resource_type", "action", "current_config", "target_config", "monthly_cost",
    "savings_gross", "savings_net", "currency", "confidence", "confidence_reasons", "evidence",
    "first_seen", "last_seen", "status",
)  # fmt: skip


def _row(f: Finding, run_id: str, first_seen: dt.datetime, now: dt.datetime) -> dict[str, Any]:
    reasons = [{"factor": r.factor, "value": round(r.value, 3), "why": r.why} for r in f.reasons]
    values = (
        f.finding_id, run_id, f.family, f.check, f.provider, f.account_id, f.region,
        f.resource_id, f.resource_type, f.action, _json(f.current), _json(f.target),
        None if f.monthly_cost is None else str(f.monthly_cost),
        None if f.savings is None else str(f.savings), None, f.currency, f.confidence,
        _json(reasons), _json(f.evidence), first_seen, now, f.status,
    )  # fmt: skip
    return dict(zip(COLUMNS, values, strict=True))


def write_findings(
    con: duckdb.DuckDBPyConnection, run_id: str, found: list[Finding], now: dt.datetime
) -> None:
    """Replace the findings with this run's, keeping each one's first sighting; one set-based
    insert however many there are."""
    earlier = con.execute("SELECT finding_id, min(first_seen) FROM findings GROUP BY 1")
    seen = dict(earlier.fetchall())
    rows = pa.Table.from_pylist([_row(f, run_id, seen.get(f.finding_id, now), now) for f in found])
    con.execute("DELETE FROM findings")
    if rows.num_rows:
        con.register("_new_findings", rows)
        con.execute(f"INSERT INTO findings BY NAME SELECT {_CASTS} FROM _new_findings")
        con.unregister("_new_findings")


_CASTS = ", ".join(
    f"CAST({c} AS DECIMAL(38,12)) AS {c}"
    if c in ("monthly_cost", "savings_gross", "savings_net")
    else f"CAST({c} AS JSON) AS {c}"
    if c in ("current_config", "target_config", "confidence_reasons", "evidence")
    else f'"{c}"'
    for c in COLUMNS
)
