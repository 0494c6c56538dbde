"""The finding every analyzer emits (ARCHITECTURE.md "Analyzers and findings"), and writing a
run's findings into ``findings``."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

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
    "first_seen", "last_seen", "status", "run_count", "resolved_at", "ledger",
    "realized_savings", "realized",
)  # fmt: skip
MONEY = ("monthly_cost", "savings_gross", "savings_net", "realized_savings")
JSON = ("current_config", "target_config", "confidence_reasons", "evidence", "ledger", "realized")


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def finding_row(
    f: Finding, run_id: str, now: dt.datetime, net: Decimal | None, ledger: dict[str, Any]
) -> dict[str, Any]:
    """``f`` as a ``findings`` row of this run (first seen now, seen once, not resolved)."""
    reasons = [{"factor": r.factor, "value": round(r.value, 3), "why": r.why} for r in f.reasons]
    values = (
        f.finding_id, run_id, f.family, f.check, f.provider, f.account_id, f.region,
        f.resource_id, f.resource_type, f.action, _json(f.current), _json(f.target),
        _money(f.monthly_cost), _money(f.savings), _money(net), f.currency, f.confidence,
        _json(reasons), _json(f.evidence), now, now, f.status, 1, None, _json(ledger), None, None,
    )  # fmt: skip
    return dict(zip(COLUMNS, values, strict=True))


def as_arrow(rows: list[dict[str, Any]]) -> pa.Table:
    """Finding rows as an Arrow table with every column (an empty run has them too)."""
    schema = pa.schema(
        [(c, pa.timestamp("us", tz="UTC") if c in _TIMES else _ARROW_TYPES.get(c, pa.string()))
         for c in COLUMNS]
    )  # fmt: skip
    return pa.Table.from_pylist(rows, schema=schema)


_TIMES = ("first_seen", "last_seen", "resolved_at")
_ARROW_TYPES = {"confidence": pa.float64(), "run_count": pa.int32()}

CASTS = ", ".join(
    f"CAST({c} AS DECIMAL(38,12)) AS {c}"
    if c in MONEY
    else f"CAST({c} AS JSON) AS {c}"
    if c in JSON
    else f'"{c}"'
    for c in COLUMNS
)
