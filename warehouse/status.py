"""What is loaded: periods and their totals, recent ingests and their reconciliation, quarantine."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

import duckdb

from warehouse import migrations


@dataclass(frozen=True)
class PeriodTotal:
    """One loaded (provider, billing account, billing period, currency)."""

    provider: str
    billing_account_id: str
    billing_period: str  # YYYY-MM
    currency: str
    rows: int
    billed_cost: Decimal
    effective_cost: Decimal
    last_ingest_id: int
    # this period's source totals as the last load's loader counted them (None: the loader
    # totals its source per file only), and whether loaded + quarantined matched them
    source_billed: Decimal | None = None
    source_effective: Decimal | None = None
    reconciled: bool | None = None


@dataclass(frozen=True)
class IngestRow:
    """One ingest, with the source's totals beside what was loaded and quarantined."""

    ingest_id: int
    source: str
    format: str
    finished_at: str
    source_rows: int
    loaded_rows: int
    quarantined_rows: int
    source_billed: Decimal
    loaded_billed: Decimal
    quarantined_billed: Decimal
    source_effective: Decimal
    loaded_effective: Decimal
    quarantined_effective: Decimal
    partitions: list[str]
    replaced_rows: int
    derived_rows: int

    @property
    def reconciled(self) -> bool:
        """loaded + quarantined = source (+ derived rows): rows exactly, BilledCost and
        EffectiveCost to the cent."""
        rows = self.loaded_rows + self.quarantined_rows == self.source_rows + self.derived_rows
        billed = self.loaded_billed + self.quarantined_billed
        effective = self.loaded_effective + self.quarantined_effective
        return (
            rows
            and round(billed, 2) == round(self.source_billed, 2)
            and round(effective, 2) == round(self.source_effective, 2)
        )


@dataclass(frozen=True)
class QuarantineReason:
    """Quarantined rows grouped by the column to blame and the first reason."""

    column: str
    example_reason: str
    rows: int
    billed_cost: Decimal
    example_file: str
    example_row: int | None


@dataclass(frozen=True)
class Status:
    """Everything `cloudspend status` shows."""

    schema_version: int
    periods: list[PeriodTotal]
    ingests: list[IngestRow]
    quarantine: list[QuarantineReason]

    def as_json(self) -> dict[str, Any]:
        """Plain data for ``--json`` (money as exact decimal strings)."""
        out = asdict(self)
        for ingest, row in zip(out["ingests"], self.ingests, strict=True):
            ingest["reconciled"] = row.reconciled
        plain: dict[str, Any] = _plain(out)
        return plain


def read_status(con: duckdb.DuckDBPyConnection, recent: int = 10) -> Status:
    """Collect the status from an open connection."""
    return Status(
        migrations.current_version(con), _periods(con), _ingests(con, recent), _quarantine(con)
    )


def _periods(con: duckdb.DuckDBPyConnection) -> list[PeriodTotal]:
    rows = con.execute(
        """
        WITH loaded AS (
            SELECT x_Provider, BillingAccountId, BillingPeriodStart, BillingCurrency,
                   count(*) AS n, sum(BilledCost) AS billed, sum(EffectiveCost) AS effective,
                   max(x_IngestId) AS last_ingest
            FROM focus_costs GROUP BY ALL
        )
        SELECT l.x_Provider, l.BillingAccountId, strftime(l.BillingPeriodStart, '%Y-%m'),
               l.BillingCurrency, l.n, l.billed, l.effective, l.last_ingest,
               p.source_billed, p.source_effective,
               CASE WHEN p.ingest_id IS NOT NULL THEN
                   round(p.loaded_billed + p.quarantined_billed, 2) = round(p.source_billed, 2)
                   AND round(p.loaded_effective + p.quarantined_effective, 2)
                       = round(p.source_effective, 2) END
        FROM loaded l LEFT JOIN ingest_periods p
          ON p.ingest_id = l.last_ingest AND p.x_Provider = l.x_Provider
         AND p.BillingAccountId = l.BillingAccountId
         AND p.BillingPeriodStart = l.BillingPeriodStart
        ORDER BY 1, 2, 3, 4
        """
    ).fetchall()
    return [PeriodTotal(*r) for r in rows]


def _ingests(con: duckdb.DuckDBPyConnection, recent: int) -> list[IngestRow]:
    rows = con.execute(
        """
        SELECT ingest_id, source, format, strftime(finished_at, '%Y-%m-%dT%H:%M:%SZ'),
               source_rows, loaded_rows, quarantined_rows, source_billed, loaded_billed,
               quarantined_billed, source_effective, loaded_effective, quarantined_effective,
               partitions, replaced_rows, derived_rows
        FROM ingests ORDER BY ingest_id DESC LIMIT ?
        """,
        [recent],
    ).fetchall()
    return [IngestRow(*r) for r in rows]


def _quarantine(con: duckdb.DuckDBPyConnection) -> list[QuarantineReason]:
    rows = con.execute(
        """
        SELECT coalesce(column_name, '(line)'), min(reason), count(*),
               coalesce(sum(BilledCost), 0), min(source_file), min(source_row)
        FROM quarantine GROUP BY 1 ORDER BY 3 DESC
        """
    ).fetchall()
    return [QuarantineReason(*r) for r in rows]


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value else "0"
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
