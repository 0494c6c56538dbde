"""The findings of ``commitment_purchase``: one per VM the group's recommended commitment
covers (its share of the group's net savings, by covered spend), the group's plan and its
alternatives in the evidence; VMs whose SKU has no commitment price cannot be judged."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from analysis.commitment_plan import Sized
from analysis.commitment_usage import GroupUsage, VmShare
from analysis.costs import HOURS_PER_MONTH
from analysis.findings import CANNOT_JUDGE, Finding, Reason, confidence
from analysis.window import Window

CHECK = "commitment_purchase"
CENT = Decimal("0.0001")


def _money(value: float) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


def _base(vm: VmShare, span: Window, currency: str | None, action: str) -> Finding:
    provider, region, sku = vm.key
    return Finding(
        family="commitment", check=CHECK, provider=provider, account_id=vm.account_id,
        region=region or None, resource_id=vm.resource_id, resource_type="vm", action=action,
        monthly_cost=_money(vm.spend / span.hours * HOURS_PER_MONTH), currency=currency,
        current={"sku": sku, "pricing": "on demand"},
    )  # fmt: skip


def purchase(vm: VmShare, group: GroupUsage, best: Sized, sized: list[Sized], covered: float,
             span: Window, currency: str | None) -> Finding:  # fmt: skip
    _provider, region, sku = vm.key
    action = f"buy a {best.offer.years}-year commitment ({best.offer.term}) for {sku} in {region}"
    f = _base(vm, span, currency, action)
    f.savings = _money(best.outcome.monthly_savings * vm.covered / covered)
    f.target = {"term": best.offer.term, "group_hourly_commitment": round(best.outcome.commitment,
                                                                          6)}  # fmt: skip
    f.reasons = _reasons(group, best, span)
    f.confidence = confidence(f.reasons)
    f.evidence = _evidence(vm, group, best, sized, span)
    return f


def _reasons(group: GroupUsage, best: Sized, span: Window) -> list[Reason]:
    active = sum(1 for s in group.spend if s > 0) / max(span.hours, 1)
    utilization = best.outcome.utilization
    reasons = [
        Reason("history", 0.7 + 0.3 * active, f"eligible usage in {active:.0%} of the hours"),
        Reason("utilization", utilization, f"the level would be {utilization:.1%} used"),
    ]
    if best.short_optimal < best.optimal:
        reasons.append(Reason("guard", 0.85, "usage fell in the short lookback: its lower "
                                             "optimum is recommended"))  # fmt: skip
    return reasons


def _evidence(vm: VmShare, group: GroupUsage, best: Sized, sized: list[Sized],
              span: Window) -> dict[str, Any]:  # fmt: skip
    hourly = group.spend
    return {
        "commitment_group": group.name, "window_start": span.start.isoformat(),
        "window_end": span.end.isoformat(), "eligible_hourly_min": round(min(hourly), 6),
        "eligible_hourly_mean": round(sum(hourly) / len(hourly), 6),
        "eligible_hourly_max": round(max(hourly), 6), "paid_share_of_list": round(
            group.paid_share, 4), "recommended": best.evidence(),
        "alternatives": [s.evidence() for s in sized if s is not best],
        "vm_covered_share": round(vm.covered / vm.spend, 4) if vm.spend else 0.0,
        "unused_commitment_risk": _risk(best),
    }  # fmt: skip


def _risk(best: Sized) -> str:
    unused = 1 - min(best.outcome.utilization, best.short_outcome.utilization)
    return "low" if unused < 0.05 else "medium" if unused < 0.15 else "high"


def unpriced(vm: VmShare, span: Window, currency: str | None) -> Finding:
    why = f"no commitment offer for {vm.key[2]} in {vm.key[1] or 'its region'} in prices"
    f = _base(vm, span, currency, "commit")
    f.status, f.confidence = CANNOT_JUDGE, 0.0
    f.reasons = [Reason("data", 0.0, why)]
    f.evidence = {"commitment_group": "/".join(vm.key), "reason": why}
    return f
