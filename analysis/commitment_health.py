"""Commitment portfolio hygiene from the bill (checks.md 4.3 and 7 no. 17): reservations,
savings plans and CUDs used below 95 % over the lookback (savings: the unused commitment per
month), ending within 30 days of the data's end or ended in the 30 days before it (savings: the
discount lost if not renewed), and commitments covering resources that the idle or right-sizing
checks flag (stranding risk: no savings of their own)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from analysis.commitment_baseline import flagged
from analysis.commitment_portfolio import commitments
from analysis.costs import HOURS_PER_MONTH
from analysis.findings import CANNOT_JUDGE, Finding, Reason, confidence
from analysis.params import Params, param
from analysis.registry import Analyzer, RunContext, register
from analysis.window import Window

NAME = "commitment_health"
UNDERUSED, EXPIRING, FLAGGED = (
    "commitment_underused",
    "commitment_expiring",
    "commitment_on_flagged_resource",
)
CENT = Decimal("0.0001")


class CommitmentHealthParams(Params):
    """TA's expiry rule; the 95 % alert of checks.md 7 no. 17."""

    lookback_days: int = param(30, "days", "window of the bill's Used/Unused rows", ge=1, le=93)
    min_utilization: float = param(
        95.0, "%", "a commitment used less than this is under-used", ge=0, le=100
    )
    expiry_days: int = param(30, "days", "ending within this many days of the data's end", ge=0)
    expired_days: int = param(30, "days", "or ended this many days before it", ge=0)
    flagged_checks: list[str] = param(
        ["idle", "rightsizing"], "-", "checks (family or analyzer name) whose findings on a "
        "covered resource put the commitment at risk",
    )  # fmt: skip


def _monthly(amount: Any, hours: float) -> Decimal:
    return (Decimal(str(amount or 0)) / Decimal(str(hours)) * HOURS_PER_MONTH).quantize(CENT)


def _base(row: dict[str, Any], check: str, action: str, span: Window) -> Finding:
    committed = float(row["used_cost"] or 0) + float(row["unused_cost"] or 0)
    return Finding(
        family="commitment", check=check, provider=row["provider"], account_id=row["account_id"],
        region=row["region"], resource_id=row["commitment_id"], resource_type=row["type"],
        action=action, monthly_cost=_monthly(committed, row["hours"]), currency=row["currency"],
        evidence={
            "utilization": None if row["utilization"] is None else round(row["utilization"], 6),
            "utilization_basis": row["utilization_basis"], "hours": row["hours"],
            "used_cost": row["used_cost"], "unused_cost": row["unused_cost"],
            "end": row["ends"].isoformat() if row["ends"] else None,
            "covers": sorted(row["covers"] or []), "window_start": span.start.isoformat(),
            "window_end": span.end.isoformat(),
        },
        current={"type": row["type"], "category": row["category"]},
    )  # fmt: skip


def underused(row: dict[str, Any], p: CommitmentHealthParams, span: Window) -> Finding | None:
    used = row["utilization"]
    if used is None or used * 100 >= p.min_utilization:
        return None
    action = f"resize at renewal or add eligible usage: {1 - used:.1%} of the commitment"
    action += " goes unused"
    f = _base(row, UNDERUSED, action, span)
    f.savings = _monthly(row["unused_cost"], row["hours"])
    seen = min(1.0, row["hours"] / span.hours)
    f.reasons = [Reason("history", 0.8 + 0.2 * seen, f"seen in {seen:.0%} of the window")]
    f.confidence = confidence(f.reasons)
    return f


def expiring(row: dict[str, Any], p: CommitmentHealthParams, ctx: RunContext,
             span: Window) -> Finding | None:  # fmt: skip
    ends: dt.datetime | None = row["ends"]
    if ends is None:
        f = _base(row, EXPIRING, "renew before it ends", span)
        why = "the bill carries no end date for this commitment"
        f.status, f.confidence, f.reasons = CANNOT_JUDGE, 0.0, [Reason("data", 0.0, why)]
        f.evidence["reason"] = why
        return f
    days = (ends - ctx.end).total_seconds() / 86400
    if not -p.expired_days <= days <= p.expiry_days:
        return None
    verb = "renew before" if days > 0 else "ended on; renew or replace:"
    f = _base(row, EXPIRING, f"{verb} {ends:%Y-%m-%d}", span)
    lost = (
        float(row["covered_list"] or 0)
        - float(row["used_cost"] or 0)
        - float(row["unused_cost"] or 0)
    )
    f.savings = max(Decimal(0), _monthly(lost, row["hours"]))
    f.evidence["days_after_data"] = round(days, 1)
    f.reasons = [Reason("end_date", 1.0, f"ends {ends:%Y-%m-%d} ({days:+.0f} days)")]
    return f


def on_flagged(row: dict[str, Any], hits: dict[str, list[str]], span: Window) -> Finding | None:
    covered = [r for r in row["covers"] or [] if r and r.lower() in hits]
    if not covered:
        return None
    f = _base(row, FLAGGED, "move the commitment's usage before acting on the flagged resources",
              span)  # fmt: skip
    f.savings = Decimal(0)
    f.evidence["flagged"] = {r: hits[r.lower()] for r in covered}
    f.reasons = [Reason("stranding", 1.0, f"{len(covered)} covered resource(s) flagged")]
    return f


def run(ctx: RunContext, p: CommitmentHealthParams) -> list[Finding]:
    span = ctx.window(p.lookback_days)
    hits: dict[str, list[str]] = {}
    for f in flagged(ctx, p.flagged_checks):
        hits.setdefault((f.resource_id or "").lower(), []).append(f.check)
    found: list[Finding | None] = []
    for row in commitments(ctx.con, span):
        found += [underused(row, p, span), expiring(row, p, ctx, span),
                  on_flagged(row, hits, span)]  # fmt: skip
    return [f for f in found if f is not None]


ANALYZER = register(
    Analyzer(
        name=NAME,
        family="commitment",
        summary="Existing reservations, savings plans and CUDs from the bill's Used/Unused rows: "
        "used below 95 % (saves the unused commitment), ending within 30 days or ended in the "
        "last 30 (the discount lost if not renewed; no end date in the bill: cannot judge), and "
        "covering resources flagged idle or oversized (stranding risk).",
        params=CommitmentHealthParams,
        run=run,
    )
)
