"""Terminal rendering of results (rich tables); no logic beyond layout."""

from __future__ import annotations

from decimal import Decimal

from rich.console import Console
from rich.table import Table

from warehouse.load import IngestSummary
from warehouse.status import Status


def money(value: Decimal | None) -> str:
    """A cost for people: cents, thousands separators."""
    return "-" if value is None else f"{value:,.2f}"


def ingest_table(summaries: list[IngestSummary]) -> Table:
    """One line per ingest: what the source held, what was loaded and quarantined."""
    table = Table(title="Ingested", show_lines=False)
    for col in (
        "#",
        "source",
        "format",
        "rows",
        "loaded",
        "quarantined",
        "BilledCost (source)",
        "loaded",
        "quarantined",
        "partitions",
        "replaced rows",
    ):
        table.add_column(col, justify="right" if col not in {"source", "format"} else "left")
    for s in summaries:
        t = s.source_totals
        table.add_row(
            str(s.ingest_id),
            s.source,
            s.format,
            f"{t.rows:,}",
            f"{s.loaded_rows:,}",
            f"{s.quarantined_rows:,}",
            money(t.billed),
            money(s.loaded_billed),
            money(s.quarantined_billed),
            str(len(s.partitions)),
            f"{s.replaced_rows:,}",
        )
    return table


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
    table = Table(title=f"Loaded billing periods (schema v{status.schema_version})")
    for col in (
        "provider",
        "billing account",
        "period",
        "currency",
        "rows",
        "BilledCost",
        "EffectiveCost",
        "ingest",
    ):
        table.add_column(
            col, justify="right" if col in {"rows", "BilledCost", "EffectiveCost"} else "left"
        )
    for p in status.periods:
        table.add_row(
            p.provider,
            p.billing_account_id,
            p.billing_period,
            p.currency,
            f"{p.rows:,}",
            money(p.billed_cost),
            money(p.effective_cost),
            str(p.last_ingest_id),
        )
    return table


def _ingests_table(status: Status) -> Table:
    table = Table(title="Recent ingests: source = loaded + quarantined")
    for col in (
        "#",
        "finished",
        "source",
        "rows",
        "loaded",
        "quarantined",
        "BilledCost source",
        "loaded",
        "quarantined",
        "reconciled",
    ):
        table.add_column(col)
    for i in status.ingests:
        table.add_row(
            str(i.ingest_id),
            i.finished_at,
            i.source,
            f"{i.source_rows:,}",
            f"{i.loaded_rows:,}",
            f"{i.quarantined_rows:,}",
            money(i.source_billed),
            money(i.loaded_billed),
            money(i.quarantined_billed),
            "[green]yes[/]" if i.reconciled else "[red]NO[/]",
        )
    return table


def _quarantine_table(status: Status) -> Table:
    table = Table(title="Quarantined rows (not loaded), by column")
    for col in ("column", "rows", "BilledCost", "example reason", "example file:row"):
        table.add_column(col)
    for q in status.quarantine:
        where = f"{q.example_file}:{q.example_row}" if q.example_row else q.example_file
        table.add_row(q.column, f"{q.rows:,}", money(q.billed_cost), q.example_reason, where)
    return table
