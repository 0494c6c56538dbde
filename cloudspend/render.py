"""Terminal rendering of results (rich); layout only, no logic. Numbers never truncate: text
columns fold instead, so the output stays readable in an 80-column terminal."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from analysis.params import described
from warehouse.load import IngestSummary
from warehouse.status import IngestRow, PeriodTotal, Status

if TYPE_CHECKING:
    from analysis.registry import Analyzer
    from analysis.run import AnalysisRun
    from collectors.collection import CollectReport


def money(value: Decimal | None) -> str:
    """A cost for people: cents, thousands separators."""
    return "-" if value is None else f"{value:,.2f}"


def _table(title: str, columns: list[str], numeric: set[str]) -> Table:
    table = Table(title=title, title_justify="left")
    for col in columns:
        if col in numeric:
            table.add_column(col, justify="right", no_wrap=True)
        else:
            table.add_column(col, overflow="fold")
    return table


def print_ingests(console: Console, summaries: list[IngestSummary]) -> None:
    """What each ingest read and what became of it: source = loaded + quarantined."""
    for s in summaries:
        t = s.source_totals
        ok = s.loaded_rows + s.quarantined_rows == t.rows + t.derived_rows
        derived = _derived(t.derived_rows, " + {:,} derived", " - {:,} merged")
        console.print(f"[bold]Ingest #{s.ingest_id}[/] {s.format}: {s.source} ({s.files} file(s))")
        console.print(
            f"  rows        {t.rows:,}{derived} = {s.loaded_rows:,} loaded"
            f" + {s.quarantined_rows:,} quarantined"
        )
        console.print(
            f"  BilledCost  {money(t.billed)} = {money(s.loaded_billed)} loaded"
            f" + {money(s.quarantined_billed)} quarantined"
        )
        console.print(
            f"  EffectiveCost {money(t.effective)} = {money(s.loaded_effective)} loaded"
            f" + {money(s.quarantined_effective)} quarantined"
        )
        replaced = f" (replacing {s.replaced_rows:,} earlier rows)" if s.replaced_rows else ""
        console.print(f"  partitions  {', '.join(s.partitions) or 'none'}{replaced}")
        console.print("  [green]reconciled[/]" if ok else "  [red]NOT reconciled[/]")


def print_status(console: Console, status: Status) -> None:
    """The three parts of `cloudspend status`."""
    if not status.periods and not status.ingests:
        console.print("The warehouse is empty: load data with `cloudspend ingest PATH`.")
        return
    console.print(_periods_table(status))
    console.print(_ingests_table(status))
    if status.quarantine:
        console.print(_quarantine_table(status))
    else:
        console.print("Quarantine: empty (every source row was loaded).")


def _periods_table(status: Status) -> Table:
    table = _table(
        f"Loaded billing periods (schema v{status.schema_version})",
        ["provider", "billing account", "period", "cur", "rows", "BilledCost", "EffectiveCost",
         "ok"],
        {"period", "rows", "BilledCost", "EffectiveCost"},
    )  # fmt: skip
    for p in status.periods:
        table.add_row(
            p.provider, p.billing_account_id, p.billing_period, p.currency, f"{p.rows:,}",
            money(p.billed_cost), money(p.effective_cost), _period_check(p),
        )  # fmt: skip
    return table


def _period_check(p: PeriodTotal) -> str:
    """Whether the period's last load matched its source per period (- : counted per file)."""
    if p.reconciled is None:
        return "-"
    return "[green]yes[/]" if p.reconciled else "[red]NO[/]"


def _ingests_table(status: Status) -> Table:
    table = _table(
        "Recent ingests (source = loaded + quarantined)",
        ["#", "finished", "source", "rows", "BilledCost", "EffectiveCost", "ok"],
        {"#", "finished"},
    )
    for i in status.ingests:
        table.add_row(
            str(i.ingest_id),
            i.finished_at[:16].replace("T", " "),
            Path(i.source).name or i.source,
            _rows(i),
            f"{money(i.source_billed)} = {money(i.loaded_billed)} + {money(i.quarantined_billed)}",
            f"{money(i.source_effective)} = {money(i.loaded_effective)}"
            f" + {money(i.quarantined_effective)}",
            "[green]yes[/]" if i.reconciled else "[red]NO[/]",
        )
    return table


def _rows(i: IngestRow) -> str:
    derived = _derived(i.derived_rows, " (+{:,} derived)", " (-{:,} merged)")
    return f"{i.source_rows:,}{derived} = {i.loaded_rows:,} + {i.quarantined_rows:,}"


def _derived(rows: int, added: str, merged: str) -> str:
    """Rows a loader added by rule (AWS unused commitment) or merged (Azure's two views)."""
    if rows > 0:
        return added.format(rows)
    return merged.format(-rows) if rows < 0 else ""


def _quarantine_table(status: Status) -> Table:
    table = _table(
        "Quarantined rows (not loaded), by column",
        ["column", "rows", "BilledCost", "example reason", "example file:row"],
        {"rows", "BilledCost"},
    )
    for q in status.quarantine:
        where = Path(q.example_file).name
        where = f"{where}:{q.example_row}" if q.example_row else where
        table.add_row(q.column, f"{q.rows:,}", money(q.billed_cost), q.example_reason, where)
    return table


def print_collect_report(console: Console, report: CollectReport) -> None:
    """What `cloudspend collect <cloud>` loaded, and what failed."""
    console.print(f"[bold]Billing[/] from {report.billing_source}")
    if report.fetched is not None:
        f = report.fetched
        console.print(
            f"  periods {', '.join(f.periods)}: {f.downloaded} file(s) fetched,"
            f" {f.reused} unchanged"
        )
    for path, why in report.skipped:
        console.print(f"  [yellow]Skipped[/] {path}: {why}")
    print_ingests(console, report.billing)
    for table, replaced in report.stored.items():
        console.print(
            f"[bold]{table}[/]: {replaced.inserted:,} rows stored"
            f" (replacing {replaced.deleted:,} earlier rows)"
        )
    for problem in report.problems:
        console.print(f"[yellow]Problem[/] {problem}")


def print_analyzers(console: Console, registered: list[Analyzer]) -> None:
    """Each analyzer with its parameters (``cloudspend analyze --list``)."""
    for a in registered:
        console.print(f"[bold]{a.name}[/] ({a.family}): {a.summary}")
        for name, default, unit, meaning in described(a.params):
            console.print(f"    {name} = {default!r} [{unit}]  {meaning}", markup=False)


def print_analysis(console: Console, run: AnalysisRun) -> None:
    """Findings per family with gross and net savings, the top ten by net, what changed since the
    last run, and what could not be judged."""
    console.print(f"Analysis {run.run_id}: data up to {run.end:%Y-%m-%d %H:%M} UTC")
    table = _table(
        "Findings per family (monthly savings; net: after the ledger, no dollar counted twice)",
        ["family", "findings", "gross", "net"],
        {"findings", "gross", "net"},
    )
    gross, net = run.gross_by_family(), run.net_by_family()
    for family in sorted({f.family for f in run.open()}):
        count = sum(1 for f in run.open() if f.family == family)
        table.add_row(family, f"{count:,}", money(gross.get(family)), money(net.get(family)))
    table.add_row(
        "all", f"{len(run.open()):,}", money(sum(gross.values(), Decimal(0))),
        money(run.ledger.net_total()),
    )  # fmt: skip
    console.print(table)
    _print_top(console, run)
    if run.outcome:
        o = run.outcome
        console.print(
            f"Since the last run: {o.new:,} new, {o.resolved:,} resolved, {o.reopened:,} back;"
            f" {len(run.hidden):,} dismissed or snoozed (not in the totals)."
        )


def _print_top(console: Console, run: AnalysisRun) -> None:
    entries = run.ledger.entries
    top = sorted(run.open(), key=lambda f: (-entries[f.finding_id].net, f.finding_id))[:10]
    rows = _table(
        "Top findings by net savings",
        ["id", "check", "provider", "resource", "action", "net", "confidence"],
        {"net", "confidence"},
    )
    for f in top:
        name = (f.resource_id or "-").rstrip("/").rsplit("/", 1)[-1]  # the full id: `findings`
        rows.add_row(
            f.finding_id[:10], f.check, f.provider, name, f.action,
            money(entries[f.finding_id].net), f"{f.confidence:.2f}",
        )  # fmt: skip
    console.print(rows)
    print_compliance(console, run)
    unjudged = len(run.findings) - len(run.open())
    if unjudged:
        console.print(
            f"{unjudged:,} resource(s) could not be judged (too little data; the reason is in each"
            " finding's evidence, status cannot_judge, in the findings table)."
        )


def print_compliance(console: Console, run: AnalysisRun) -> None:
    """Spend-weighted tag compliance per provider; untaggable charges apart."""
    table = _table(
        "Tag compliance, last 30 days (allocated share of taggable cost)",
        ["provider", "taggable", "allocated", "allocated %", "untaggable"],
        {"taggable", "allocated", "allocated %", "untaggable"},
    )
    for row in run.compliance:
        if row.account_id is None and row.key is None:
            share = row.compliant_percent
            table.add_row(
                row.provider, money(row.taggable_cost), money(row.compliant_cost),
                "-" if share is None else f"{share:.1f} %", money(row.untaggable_cost),
            )  # fmt: skip
    console.print(table)


def print_findings(console: Console, rows: list[dict[str, Any]]) -> None:
    """``cloudspend findings list``: one line per finding, net beside gross."""
    if not rows:
        console.print("No findings match. `cloudspend analyze` makes them; --status all shows all.")
        return
    table = _table(
        "Findings (monthly savings)",
        ["id", "status", "check", "provider", "resource", "net", "gross", "conf.", "age (d)",
         "cost of inaction"],
        {"net", "gross", "conf.", "age (d)", "cost of inaction"},
    )  # fmt: skip
    for r in rows:
        name = (r["resource_id"] or "-").rstrip("/").rsplit("/", 1)[-1]
        table.add_row(
            r["finding_id"][:10], r["shown_status"], r["check"], r["provider"], name,
            money(r["savings_net"]), money(r["savings_gross"]), f"{r['confidence']:.2f}",
            str(r["age_days"]), money(r["cost_of_inaction"]),
        )  # fmt: skip
    console.print(table)
    console.print(f"{len(rows):,} finding(s). `cloudspend findings show ID` has the evidence.")


def print_totals(console: Console, by: str, rows: list[dict[str, Any]]) -> None:
    """``cloudspend findings totals``: net beside gross per group."""
    table = _table(
        f"Open findings' monthly savings by {by} (net: after the ledger; gross: each alone)",
        [by, "currency", "findings", "net", "gross"],
        {"findings", "net", "gross"},
    )
    for r in rows:
        net = "-" if r["net"] is None else f"{r['net']:,.2f}"
        table.add_row(r["group"], str(r["currency"] or "-"), f"{r['findings']:,}", net,
                      f"{r['gross']:,.2f}")  # fmt: skip
    console.print(table)
