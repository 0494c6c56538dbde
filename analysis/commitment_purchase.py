"""Commitment purchase: per commitment group (provider / region / SKU) the hourly commitment that
maximizes net savings on the post-optimization on-demand baseline, for each offer priced (1- and
3-year RIs, reservations, savings plans, CUDs), guarded by the short lookback (checks.md 4.1 and
7 no. 16). One finding per VM the commitment would cover, carrying the group's plan: the VM's
savings are its share of the group's net savings (by covered spend); alternatives are listed in
the evidence and never added up."""

from __future__ import annotations

from typing import Literal

from analysis.commitment_baseline import baseline, flagged
from analysis.commitment_plan import Sized, offers, recommend, size
from analysis.commitment_purchase_finding import CHECK, purchase, unpriced
from analysis.commitment_usage import GroupUsage, Key, groups, prepare, shares
from analysis.findings import Finding
from analysis.params import Params, param
from analysis.registry import Analyzer, RunContext, register


class CommitmentPurchaseParams(Params):
    """Azure's savings-plan method with the GCP recommender's stable / optimal points and a
    coverage target (Flexera 80 %)."""

    lookback_days: Literal[7, 30, 60] = param(30, "days", "usage window: 7, 30 or 60 days")
    guard_days: int = param(
        3, "days", "short lookback: the lower of its optimum and the window's is recommended",
        ge=1, le=60,
    )  # fmt: skip
    stable_percentile: float = param(
        10.0, "%", "percentile of hourly usage reported as the stable level", ge=0, le=100
    )
    coverage_target: float = param(
        80.0, "%", "share of eligible usage the coverage-target level covers", gt=0, le=100
    )
    preferred_term_years: int = param(
        1, "years", "term recommended when it saves (else the best other term)", ge=1
    )
    min_savings: float = param(1.0, "currency/month", "smaller group savings are not reported")
    baseline: list[str] = param(
        ["idle", "spot", "rightsizing"], "-", "checks (family or analyzer name) whose findings "
        "shape the baseline: idle and spot remove a VM, right-sizing moves it to its target",
    )  # fmt: skip


def run(ctx: RunContext, p: CommitmentPurchaseParams) -> list[Finding]:
    span = ctx.window(p.lookback_days)
    changes = flagged(ctx, p.baseline)
    prepare(ctx.con, span, baseline(changes))
    plans: dict[Key, tuple[GroupUsage, Sized, list[Sized]]] = {}
    unpriced_groups: dict[Key, GroupUsage] = {}
    for group in groups(ctx.con, span):
        priced = offers(ctx.con, group)
        if not priced:
            unpriced_groups[group.key] = group
            continue
        sized = [size(group, o, p.guard_days * 24, p.stable_percentile,
                      p.coverage_target / 100) for o in priced]  # fmt: skip
        best = recommend(sized, p.preferred_term_years)
        if best is not None and best.outcome.monthly_savings >= p.min_savings:
            plans[group.key] = (group, best, sized)
    levels = {k: v[1].level for k, v in plans.items()} | dict.fromkeys(unpriced_groups, 0.0)
    vms = shares(ctx.con, levels)
    moved = {(f.resource_id or "").lower(): f"{f.check} -> {f.target.get('sku')}"
             for f in changes if f.family == "rightsizing"}  # fmt: skip
    currency = _currencies(ctx)
    covered: dict[Key, float] = {}  # per group: what its commitment covers, shared by its VMs
    for vm in vms:
        covered[vm.key] = covered.get(vm.key, 0.0) + vm.covered
    found = []
    for vm in vms:
        if vm.key in unpriced_groups:
            found.append(unpriced(vm, span, currency.get(vm.key[0])))
        elif vm.covered > 0:
            group, best, sized = plans[vm.key]
            finding = purchase(
                vm, group, best, sized, covered[vm.key], span, currency.get(vm.key[0])
            )
            finding.evidence["baseline"] = moved.get(vm.resource_id.lower(), "as billed")
            finding.evidence["guard_days"] = p.guard_days
            found.append(finding)
    return found


def _currencies(ctx: RunContext) -> dict[str, str]:
    rows = ctx.con.execute("SELECT x_Provider, min(BillingCurrency) FROM focus_costs GROUP BY 1")
    return {str(p): str(c) for p, c in rows.fetchall()}


ANALYZER = register(
    Analyzer(
        name=CHECK,
        family="commitment",
        summary="Always-on on-demand usage worth a commitment: per provider / region / SKU, the "
        "hourly commitment of maximum net savings for each 1- and 3-year offer in `prices`, "
        "on the usage left after idle, spot and right-sizing findings, guarded by the last days "
        "(the lower level wins); one finding per VM covered, alternatives never summed.",
        params=CommitmentPurchaseParams,
        run=run,
    )
)
