"""The post-optimization baseline commitments are sized on (checks.md 8 no. 3: delete, then
right-size, then spot, then commit), and the resources other checks flag.

In a run, the commitment analyzers read the findings of the analyzers that ran before them
(``RunContext.earlier``: the configured parameters, without the findings a user dismissed or
snoozed). Run on their own, they re-run the named analyzers with their default parameters."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from analysis.findings import CANNOT_JUDGE, Finding
from analysis.registry import RunContext, analyzers, parameters

# checks whose open findings remove a VM's usage from the baseline (by family or name)
REMOVING_FAMILIES = ("idle", "spot")
RESIZING_FAMILIES = ("rightsizing",)


def flagged(ctx: RunContext, names: Sequence[str]) -> list[Finding]:
    """Open findings of every registered analyzer named in ``names`` (by name or family),
    commitment analyzers excepted."""
    wanted = [
        a for a in analyzers()
        if a.family != "commitment" and (a.name in names or a.family in names)
    ]  # fmt: skip
    if ctx.earlier is not None:
        picked = {a.name for a in wanted}
        return [f for name, f in ctx.earlier if name in picked and f.status != CANNOT_JUDGE]
    found: list[Finding] = []
    for analyzer in wanted:
        params = parameters(analyzer, None)
        found += [f for f in analyzer.run(ctx, params) if f.status != CANNOT_JUDGE]
    return found


def baseline(findings: Iterable[Finding]) -> dict[str, tuple[bool, str | None, float]]:
    """Lower-cased resource id -> (keep, target SKU, cost factor): removed by an idle or spot
    finding, else moved to a right-sizing finding's target at target cost / current cost."""
    out: dict[str, tuple[bool, str | None, float]] = {}
    for f in findings:
        rid = (f.resource_id or "").lower()
        if f.family in REMOVING_FAMILIES:
            out[rid] = (False, None, 0.0)
        elif f.family in RESIZING_FAMILIES and rid not in out:
            target = f.target.get("sku")
            factor = _factor(f.monthly_cost, f.target.get("monthly_cost"))
            if target and factor is not None:
                out[rid] = (True, str(target), factor)
    return out


def _factor(current: Decimal | None, target: object) -> float | None:
    if current is None or target is None or not current:
        return None
    return float(Decimal(str(target)) / current)


def reasons(f: Finding) -> str:
    """How a finding changes the baseline, for evidence."""
    if f.family in REMOVING_FAMILIES:
        return f"removed: {f.check}"
    return f"moved to {f.target.get('sku')}: {f.check}"
