"""`cloudspend analyze`: every registered analyzer over the warehouse in one write, each seeing
the findings of those before it; then the savings ledger, and the findings merged into their
history (analysis/lifecycle.py)."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from typing import Any

import duckdb
import pyarrow as pa

from analysis.costs import prepare_costs
from analysis.findings import CANNOT_JUDGE, Finding, as_arrow, finding_row
from analysis.ledger import Item, Ledger
from analysis.ledger import apply as apply_ledger
from analysis.lifecycle import Outcome, store
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
from warehouse.decisions import Decision

COST_DAYS = 30
LINK_COLUMNS = ("finding_id", "by_finding_id", "effect", "amount")
UNTAGGED = "untagged_resource"  # its tag policy also measures spend-weighted compliance
Progress = Callable[[str, int, int], None]


@dataclass
class AnalysisRun:
    """What one run found, per analyzer, and the ledger over it."""

    run_id: str
    end: dt.datetime
    findings: list[Finding] = field(default_factory=list)
    per_analyzer: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # how long each analyzer took
    compliance: list[ComplianceRow] = field(default_factory=list)
    hidden: set[str] = field(default_factory=set)  # ids a user dismissed or snoozed
    ledger: Ledger = field(default_factory=lambda: Ledger({}))
    outcome: Outcome | None = None

    def open(self) -> list[Finding]:
        """The findings that count: judged, and not dismissed or snoozed."""
        return [
            f for f in self.findings if f.status != CANNOT_JUDGE and f.finding_id not in self.hidden
        ]

    def gross_by_family(self) -> dict[str, Decimal]:
        """Gross monthly savings per family: each finding alone, overlaps counted."""
        return _by_family(self.open(), lambda f: f.savings or Decimal(0))

    def net_by_family(self) -> dict[str, Decimal]:
        """Net monthly savings per family, from the ledger: no dollar counted twice."""
        entries = self.ledger.entries
        return _by_family(self.open(), lambda f: entries[f.finding_id].net)


def _by_family(found: list[Finding], amount: Callable[[Finding], Decimal]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for f in found:
        totals[f.family] = totals.get(f.family, Decimal(0)) + amount(f)
    return totals


def analyze(
    warehouse: Warehouse,
    overrides: dict[str, dict[str, Any]] | None = None,
    run_at: dt.datetime | None = None,
    progress: Progress | None = None,
    decisions: list[Decision] | None = None,
) -> AnalysisRun:
    """Run every analyzer, apply the ledger and store the findings with their history;
    ``decisions``: the users' dismissals and snoozes, which leave the ledger."""
    overrides = overrides or {}
    check_overrides(overrides)
    now = run_at or dt.datetime.now(dt.UTC)
    with warehouse.write() as con:
        end = data_end(con)
        if end is None:
            raise AnalysisError("nothing to analyze: load billing or collect data first")
        run = AnalysisRun(uuid.uuid4().hex[:12], end)
        run.hidden = {d.finding_id for d in decisions or [] if d.hides(now.date())}
        con.execute("BEGIN TRANSACTION")
        prepare_costs(con, window(end, COST_DAYS))
        _run_analyzers(run, RunContext(con, end), overrides, progress)
        policy = parameters(REGISTRY[UNTAGGED], overrides.get(UNTAGGED))
        run.compliance = compliance(con, policy, window(end, COST_DAYS))  # type: ignore[arg-type]
        run.ledger = apply_ledger(ledger_item(f) for f in run.open())
        _store(con, run, now)
        con.execute("COMMIT")
    return run


def _run_analyzers(
    run: AnalysisRun,
    base: RunContext,
    overrides: dict[str, dict[str, Any]],
    progress: Progress | None,
) -> None:
    """Each analyzer in turn, seeing the open findings of those before it."""
    todo = analyzers()
    earlier: list[tuple[str, Finding]] = []
    for done, analyzer in enumerate(todo):
        if progress:
            progress(f"{analyzer.name}", done, len(todo))
        started = time.perf_counter()
        ctx = replace(base, earlier=tuple(earlier))
        found = analyzer.run(ctx, parameters(analyzer, overrides.get(analyzer.name)))
        run.seconds[analyzer.name] = round(time.perf_counter() - started, 2)
        run.per_analyzer[analyzer.name] = len(found)
        run.findings += found
        earlier += [(analyzer.name, f) for f in found if f.finding_id not in run.hidden]


def ledger_item(f: Finding) -> Item:
    """What the ledger needs of a finding."""
    return Item(f.finding_id, f.family, f.provider, f.resource_id, f.monthly_cost, f.savings)


def _store(con: duckdb.DuckDBPyConnection, run: AnalysisRun, now: dt.datetime) -> None:
    entries = run.ledger.entries
    rows = []
    for f in run.findings:
        entry = entries.get(f.finding_id)
        why = entry.explain() if entry else {"excluded": _excluded(f)}
        rows.append(finding_row(f, run.run_id, now, entry.net if entry else None, why))
    con.execute(
        "INSERT INTO analysis_runs VALUES (?, ?, ?, ?, 0, ?, ?)",
        [run.run_id, now, run.end, len(run.findings),
         str(sum(run.gross_by_family().values(), Decimal(0))), str(run.ledger.net_total())],
    )  # fmt: skip
    run.outcome = store(con, run.run_id, as_arrow(rows), now, window(run.end, COST_DAYS))
    con.execute(
        "UPDATE analysis_runs SET resolved = ? WHERE run_id = ?",
        [run.outcome.resolved, run.run_id],
    )
    con.execute("DELETE FROM ledger_links")
    links = pa.Table.from_pylist(
        [asdict(k) | {"amount": str(k.amount)} for k in run.ledger.links],
        schema=pa.schema([(c, pa.string()) for c in LINK_COLUMNS]),
    )
    con.register("_links", links)
    con.execute(
        "INSERT INTO ledger_links SELECT * REPLACE (amount::DECIMAL(38,12) AS amount) FROM _links"
    )
    con.unregister("_links")


def _excluded(f: Finding) -> str:
    return "cannot judge" if f.status == CANNOT_JUDGE else "dismissed or snoozed by a user"
