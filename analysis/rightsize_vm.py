"""Right-sizing: running VMs whose high percentile of hourly maximum CPU (and memory where an
agent reports it), with headroom, fits a smaller size of the same family (Compute Optimizer's
method on hourly data). The target is a SKU of ``prices`` (``analysis.rightsize_sizes``); its
cost keeps the VM's discount: target list x current effective / current list."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from analysis.batches import batch_count, in_batch
from analysis.findings import Finding
from analysis.params import Params, param
from analysis.pricing import fetch_dicts
from analysis.registry import Analyzer, RunContext, register
from analysis.rightsize_sizes import LIST_PRICES, SIZES, prepare_sizes
from analysis.rightsize_vm_finding import cannot_judge, resize

OS_MATCH = "(p.os IS NULL OR v.os IS NULL OR p.os = v.os)"
SAMPLES = """SELECT count(*) FROM metrics WHERE metric IN ('cpu_percent', 'memory_percent')
    AND hour >= $start AND hour < $end"""
SQL = f"""
WITH vms AS (
    SELECT r.provider, r.account_id, r.region, r.resource_id, r.sku, r.created_at, s.family,
           lower(r.attributes['operating_system']) AS os, r.attributes['gpu_count'] AS gpus,
           coalesce(r.vcpu, s.vcpu) AS vcpu, coalesce(r.memory_gib, s.memory) AS memory,
           s.size_rank, c.monthly_cost, c.currency, c.effective_cost, c.list_cost
    FROM resources r
    LEFT JOIN {SIZES} s ON s.provider = r.provider AND s.sku = r.sku
    LEFT JOIN resource_costs c ON c.provider = r.provider AND c.rid = lower(r.resource_id)
    WHERE r.resource_type = 'vm' AND {in_batch("r.resource_id")}
      AND coalesce(lower(r.state), 'running') NOT IN
          ('stopped', 'stopping', 'deallocated', 'terminated', 'terminating', 'suspended')
), usage AS (
    SELECT provider, lower(resource_id) AS rid,
        count(*) FILTER (WHERE cpu) AS cpu_samples,
        quantile_cont(peak, $q) FILTER (WHERE cpu) AS cpu_p,
        quantile_cont(peak, $q) FILTER (WHERE cpu AND hour < $mid) AS cpu_p_early,
        quantile_cont(peak, $q) FILTER (WHERE cpu AND hour >= $mid) AS cpu_p_late,
        quantile_cont(peak, 0.95) FILTER (WHERE cpu) AS cpu_p95,
        max(peak) FILTER (WHERE cpu) AS cpu_max,
        avg(avg_value) FILTER (WHERE cpu) AS cpu_avg,
        count(*) FILTER (WHERE NOT cpu) AS memory_samples,
        quantile_cont(peak, $q) FILTER (WHERE NOT cpu) AS memory_p,
        max(peak) FILTER (WHERE NOT cpu) AS memory_max
    FROM (SELECT provider, resource_id, hour, avg_value, metric = 'cpu_percent' AS cpu,
                 coalesce(max_value, avg_value) AS peak FROM metrics
          WHERE metric IN ('cpu_percent', 'memory_percent') AND hour >= $start AND hour < $end
            AND {in_batch("resource_id")})
    GROUP BY ALL
), base AS (
    SELECT v.*, u.* EXCLUDE (provider, rid),
           (SELECT min(p.hourly) FROM {LIST_PRICES} p WHERE p.provider = v.provider
              AND p.region = v.region AND p.sku = v.sku AND {OS_MATCH}) AS list_hourly
    FROM vms v LEFT JOIN usage u ON u.provider = v.provider AND u.rid = lower(v.resource_id)
), options AS (
    SELECT v.resource_id, t.sku AS target, t.vcpu AS target_vcpu, t.memory AS target_memory,
           p.region AS price_region, p.region = v.region AS same_region,
           p.hourly * CASE WHEN p.region = v.region THEN 1 ELSE v.list_hourly / (
               SELECT min(o.hourly) FROM {LIST_PRICES} o WHERE o.provider = v.provider
                 AND o.region = p.region AND o.sku = v.sku) END AS target_hourly
    FROM base v
    JOIN {SIZES} t ON t.provider = v.provider AND t.family = v.family
         AND t.size_rank < v.size_rank AND ($steps = 0 OR v.size_rank - t.size_rank <= $steps)
    JOIN {LIST_PRICES} p ON p.provider = v.provider AND p.sku = t.sku AND {OS_MATCH}
    WHERE v.cpu_p / 100 * v.vcpu * (1 + $head) <= t.vcpu
      AND (v.memory_p IS NULL OR v.memory_p / 100 * v.memory * (1 + $head) <= t.memory)
      AND (p.region = v.region OR ($other_regions AND v.list_hourly IS NOT NULL))
), best AS (
    SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY resource_id, target
                            ORDER BY same_region DESC, price_region) AS pick
                   FROM options WHERE target_hourly IS NOT NULL)
    WHERE pick = 1
), chosen AS (
    SELECT * EXCLUDE (pick), row_number() OVER (PARTITION BY resource_id
                     ORDER BY target_hourly, target_vcpu DESC) AS pick FROM best
)
SELECT b.*, c.target, c.target_vcpu, c.target_memory, c.price_region, c.target_hourly
FROM base b LEFT JOIN chosen c ON c.resource_id = b.resource_id AND c.pick = 1
ORDER BY b.provider, b.resource_id
"""


class RightsizeVmParams(Params):
    """Compute Optimizer's defaults on hourly data; one size down per run."""

    lookback_days: int = param(14, "days", "metric window, ending at the data's last day", ge=1)
    percentile: float = param(
        99.5, "%", "percentile of the hourly maximum CPU and memory that must fit", gt=0, le=100
    )
    headroom: float = param(20.0, "%", "added to the percentile before it must fit", ge=0)
    max_steps_down: int = param(
        1, "sizes", "how many sizes down one recommendation may go (0: any smaller size)", ge=0
    )
    min_coverage: float = param(
        80.0, "%", "hours of the window with a CPU sample, below which the VM cannot be judged",
        ge=0, le=100,
    )  # fmt: skip
    idle_cpu_p95: float = param(
        3.0, "%", "a CPU p95 at or under this is left to the idle checks (0: none)", ge=0
    )
    min_savings: float = param(1.0, "currency/month", "smaller savings are not reported", ge=0)
    other_region_prices: bool = param(
        True, "-", "price a target missing from the VM's region by its price in another region "
        "times the current size's price ratio between the two regions",
    )  # fmt: skip
    stable_points: float = param(
        10.0, "points", "largest change of the percentile between the window's halves that "
        "still counts as stable", ge=0,
    )  # fmt: skip
    gpu_sku_pattern: str = param(
        r"^((g\d|p\d|inf\d|trn\d|dl\d)[a-z0-9-]*\.|Standard_N|(a2|a3|g2)-)",
        "regex", "SKUs of GPU families (their CPU says nothing about GPU use)",
    )  # fmt: skip


def run(ctx: RunContext, params: RightsizeVmParams) -> list[Finding]:
    span = ctx.window(params.lookback_days)
    prepare_sizes(ctx.con)
    binds = {
        "start": span.start, "end": span.end, "mid": span.start + (span.end - span.start) / 2,
        "q": params.percentile / 100, "head": params.headroom / 100,
        "steps": params.max_steps_down, "other_regions": params.other_region_prices,
    }  # fmt: skip
    window = {"start": span.start, "end": span.end}
    batches = batch_count(ctx.con, SAMPLES, window)
    rows = [
        row
        for batch in range(batches)
        for row in fetch_dicts(ctx.con, SQL, {**binds, "batches": batches, "batch": batch})
    ]
    rows.sort(key=lambda r: (r["provider"], r["resource_id"]))
    found = []
    for row in rows:
        row["window"] = {"start": span.start, "end": span.end, "hours": span.hours}
        finding = _judge(ctx, row, params)
        if finding is not None:
            found.append(finding)
    return found


def _judge(ctx: RunContext, row: dict[str, Any], params: RightsizeVmParams) -> Finding | None:
    hours = row["window"]["hours"]
    coverage = 100 * (row["cpu_samples"] or 0) / max(hours, 1)
    row["coverage"] = round(coverage, 2)
    if not row["cpu_samples"]:
        return cannot_judge(ctx.con, row, "no CPU metrics in the window")
    if coverage < params.min_coverage:
        why = f"CPU samples cover {coverage:.1f} % of the window, under {params.min_coverage} %"
        return cannot_judge(ctx.con, row, why)
    if row["size_rank"] is None or not row["vcpu"]:
        return cannot_judge(ctx.con, row, f"size {row['sku']!r} is not in the size catalogue")
    if row["cpu_p95"] <= params.idle_cpu_p95 or row["target"] is None:
        return None
    finding = resize(ctx.con, row, params)
    if finding.savings is None or finding.savings < Decimal(str(params.min_savings)):
        return None
    return finding


ANALYZER = register(
    Analyzer(
        name="rightsize_vm",
        family="rightsizing",
        summary="VMs whose p99.5 hourly peak CPU and memory, with 20 % headroom, fit a smaller "
        "size of the same family: resize (saves the price difference at the VM's discount). "
        "VMs without enough metrics are reported as cannot-judge.",
        params=RightsizeVmParams,
        run=run,
    )
)
