"""`cloudspend analyze`: every registered analyzer over the warehouse, in one write; the run's
findings replace the previous run's (each keeps its first sighting)."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from analysis.costs import prepare_costs
from analysis.findings import CANNOT_JUDGE, Finding, write_findings
from analysis.registry import (
    REGISTRY,
    AnalysisError,
    RunContext,
    analyzers,
    check_overrides,
    parameters,
)
from analysis.tag_compliance import ComplianceRow, compliance
from analysis.window import data_end, window
from warehouse.db import Warehouse

COST_DAYS = 30
UNTAGGED = "untagged_resource"  # its tag policy also measures spend-weighted compliance
Progress = Callable[[str, int, int], None]


@dataclass
class AnalysisRun:
    """What one run found, per analyzer."""

    run_id: str
    end: dt.datetime
    findings: list[Finding] = field(default_factory=list)
    per_analyzer: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # how long each analyzer took
    compliance: list[ComplianceRow] = field(default_factory=list)

    def open(self) -> list[Finding]:
        return [f for f in self.findings if f.status != CANNOT_JUDGE]

    def gross_by_family(self) -> dict[str, Decimal]:
        """Gross monthly savings per family (before the ledger removes overlaps)."""
        totals: dict[str, Decimal] = {}
        for f in self.open():
            totals[f.family] = totals.get(f.family, Decimal(0)) + (f.savings or Decimal(0))
        return totals


def analyze(
    warehouse: Warehouse,
    overrides: dict[str, dict[str, Any]] | None = None,
    run_at: dt.datetime | None = None,
    progress: Progress | None = None,
) -> AnalysisRun:
    """Run every analyzer and store the findings."""
    overrides = overrides or {}
    check_overrides(overrides)
    now = run_at or dt.datetime.now(dt.UTC)
    with warehouse.write() as con:
        end = data_end(con)
        if end is None:
            raise AnalysisError("nothing to analyze: load billing or collect data first")
        run = AnalysisRun(uuid.uuid4().hex[:12], end)
        con.execute("BEGIN TRANSACTION")
        prepare_costs(con, window(end, COST_DAYS))
        ctx = RunContext(con, end)
        todo = analyzers()
        for done, analyzer in enumerate(todo):
            if progress:
                progress(f"{analyzer.name}", done, len(todo))
            started = time.perf_counter()
            found = analyzer.run(ctx, parameters(analyzer, overrides.get(analyzer.name)))
            run.seconds[analyzer.name] = round(time.perf_counter() - started, 2)
            run.per_analyzer[analyzer.name] = len(found)
            run.findings += found
        policy = parameters(REGISTRY[UNTAGGED], overrides.get(UNTAGGED))
        run.compliance = compliance(con, policy, window(end, COST_DAYS))  # type: ignore[arg-type]
        write_findings(con, run.run_id, run.findings, now)
        con.execute("COMMIT")
    return run
