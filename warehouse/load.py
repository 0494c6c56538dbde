"""The one load primitive: rows of a new ingest replace their (provider, billing account, billing
period) partitions in one transaction, after proving that nothing was lost on the way.

A loader inserts its rows into ``focus_costs`` and ``quarantine`` tagged with a new ingest id, then
calls :func:`finish_ingest`, which checks currencies, reconciles the loaded and quarantined totals
against the source's own totals to the cent, deletes the rows of earlier loads of the same
partitions and records the ingest. The caller commits; any error rolls everything back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import duckdb

from warehouse.errors import InputError
from warehouse.sql import one

ZERO = Decimal(0)
PeriodKey = tuple[str, str | None, dt.datetime | None]


@dataclass
class SourceTotals:
    """What the source itself holds, counted independently of the mapping."""

    rows: int = 0
    billed: Decimal = ZERO
    effective: Decimal = ZERO
    unparsed_rows: int = 0  # rows read as raw lines only (their costs are unknown)
    derived_rows: int = 0  # rows a loader adds by rule (e.g. unused commitment split out of a fee)
    # (provider, billing account, billing period start) -> (billed, effective), when the loader
    # can total its source per period; each period then reconciles on its own
    periods: dict[PeriodKey, tuple[Decimal, Decimal]] = field(default_factory=dict)

    def add(self, other: SourceTotals) -> None:
        """Accumulate another file's totals."""
        self.rows += other.rows
        self.billed += other.billed
        self.effective += other.effective
        self.unparsed_rows += other.unparsed_rows
        self.derived_rows += other.derived_rows
        for key, (billed, effective) in other.periods.items():
            had = self.periods.get(key, (ZERO, ZERO))
            self.periods[key] = (had[0] + billed, had[1] + effective)


@dataclass(frozen=True)
class IngestSummary:
    """What one ingest did, as recorded in ``ingests``."""

    ingest_id: int
    source: str
    format: str
    files: int
    source_totals: SourceTotals
    loaded_rows: int
    loaded_billed: Decimal
    loaded_effective: Decimal
    quarantined_rows: int
    quarantined_billed: Decimal
    quarantined_effective: Decimal
    partitions: list[str] = field(default_factory=list)
    replaced_rows: int = 0


def new_ingest_id(con: duckdb.DuckDBPyConnection) -> int:
    """The next ingest id (ingests are numbered 1, 2, ...; the writer lock makes this safe)."""
    row = one(
        con,
        "SELECT greatest((SELECT coalesce(max(ingest_id), 0) FROM ingests),"
        " (SELECT coalesce(max(x_IngestId), 0) FROM focus_costs)) + 1",
    )
    return int(row[0])


def finish_ingest(
    con: duckdb.DuckDBPyConnection,
    ingest_id: int,
    source: str,
    fmt: str,
    files: int,
    totals: SourceTotals,
    started_at: dt.datetime,
) -> IngestSummary:
    """Check, reconcile and replace; record the ingest. Runs inside the caller's transaction."""
    _check_one_currency_per_partition(con, ingest_id)
    loaded = _totals(con, "focus_costs", "x_IngestId", ingest_id)
    quarantined = _totals(con, "quarantine", "ingest_id", ingest_id)
    _reconcile(source, totals, loaded, quarantined)
    if totals.periods:
        _reconcile_periods(con, source, ingest_id, totals.periods)
    partitions, replaced = _replace_partitions(con, ingest_id)
    summary = IngestSummary(
        ingest_id, source, fmt, files, totals, *loaded, *quarantined, partitions, replaced
    )
    _record(con, summary, started_at)
    return summary


def _totals(
    con: duckdb.DuckDBPyConnection, table: str, id_column: str, ingest_id: int
) -> tuple[int, Decimal, Decimal]:
    row = one(
        con,
        f"SELECT count(*), coalesce(sum(BilledCost), 0), coalesce(sum(EffectiveCost), 0) "
        f"FROM {table} WHERE {id_column} = ?",
        [ingest_id],
    )
    return int(row[0]), Decimal(row[1]), Decimal(row[2])


def _reconcile(
    source: str,
    totals: SourceTotals,
    loaded: tuple[int, Decimal, Decimal],
    quarantined: tuple[int, Decimal, Decimal],
) -> None:
    """loaded + quarantined must equal the source (plus derived rows): rows exactly, costs to
    the cent."""
    rows = loaded[0] + quarantined[0] - totals.derived_rows
    billed = loaded[1] + quarantined[1]
    effective = loaded[2] + quarantined[2]
    problems = []
    if rows != totals.rows:
        problems.append(f"rows: source {totals.rows}, loaded + quarantined {rows}")
    if round(billed, 2) != round(totals.billed, 2):
        problems.append(f"BilledCost: source {totals.billed}, loaded + quarantined {billed}")
    if round(effective, 2) != round(totals.effective, 2):
        problems.append(
            f"EffectiveCost: source {totals.effective}, loaded + quarantined {effective}"
        )
    if problems:
        raise InputError(
            f"{source}: the load does not reconcile with the source, so nothing was loaded ("
            + "; ".join(problems)
            + ")"
        )


def _reconcile_periods(
    con: duckdb.DuckDBPyConnection,
    source: str,
    ingest_id: int,
    periods: dict[PeriodKey, tuple[Decimal, Decimal]],
) -> None:
    """Each period's loaded + quarantined costs equal the source's, to the cent; recorded."""
    rows = con.execute(
        """
        SELECT x_Provider, BillingAccountId, BillingPeriodStart,
               sum(BilledCost) FILTER (WHERE q = 0), sum(EffectiveCost) FILTER (WHERE q = 0),
               sum(BilledCost) FILTER (WHERE q = 1), sum(EffectiveCost) FILTER (WHERE q = 1)
        FROM (SELECT 0 AS q, x_Provider, BillingAccountId, BillingPeriodStart, BilledCost,
                     EffectiveCost FROM focus_costs WHERE x_IngestId = $1
              UNION ALL
              SELECT 1, x_Provider, BillingAccountId, BillingPeriodStart, BilledCost,
                     EffectiveCost FROM quarantine WHERE ingest_id = $1
                                              AND x_Provider IS NOT NULL)
        GROUP BY ALL
        """,
        [ingest_id],
    ).fetchall()
    found = {(r[0], r[1], r[2]): [d or ZERO for d in r[3:]] for r in rows}
    problems = []
    for key in sorted(set(found) | set(periods), key=str):
        billed, effective = periods.get(key, (ZERO, ZERO))
        lb, le, qb, qe = found.get(key, [ZERO] * 4)
        if round(lb + qb, 2) != round(billed, 2) or round(le + qe, 2) != round(effective, 2):
            problems.append(
                f"{_period_name(key)}: source {billed} / {effective}, "
                f"loaded + quarantined {lb + qb} / {le + qe}"
            )
        con.execute(
            "INSERT INTO ingest_periods VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [ingest_id, *key, billed, effective, lb, le, qb, qe],
        )
    if problems:
        raise InputError(
            f"{source}: the load does not reconcile with the source per billing period "
            "(BilledCost / EffectiveCost), so nothing was loaded: " + "; ".join(problems)
        )


def _period_name(key: PeriodKey) -> str:
    provider, account, start = key
    return f"{provider}/{account or '?'}/{start.strftime('%Y-%m') if start else '?'}"


def _check_one_currency_per_partition(con: duckdb.DuckDBPyConnection, ingest_id: int) -> None:
    """A billing account is invoiced in one currency per period; a mix means a broken file."""
    rows = con.execute(
        """
        SELECT x_Provider, BillingAccountId, strftime(BillingPeriodStart, '%Y-%m'),
               string_agg(DISTINCT BillingCurrency, ', ' ORDER BY BillingCurrency),
               list(DISTINCT x_SourceFile)
        FROM focus_costs WHERE x_IngestId = ?
        GROUP BY ALL HAVING count(DISTINCT BillingCurrency) > 1
        """,
        [ingest_id],
    ).fetchall()
    if rows:
        provider, account, period, currencies, files = rows[0]
        raise InputError(
            f"{', '.join(files)}: billing account {account} ({provider}) mixes currencies "
            f"{currencies} in billing period {period}; one account is invoiced in one currency, "
            "so the file is inconsistent and nothing was loaded"
        )


def _replace_partitions(con: duckdb.DuckDBPyConnection, ingest_id: int) -> tuple[list[str], int]:
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE _new_partitions AS
        SELECT DISTINCT x_Provider, BillingAccountId, BillingPeriodStart
        FROM focus_costs WHERE x_IngestId = ?
        UNION
        SELECT DISTINCT x_Provider, BillingAccountId, BillingPeriodStart
        FROM quarantine WHERE ingest_id = ? AND BillingPeriodStart IS NOT NULL
          AND BillingAccountId IS NOT NULL AND x_Provider IS NOT NULL
        """,
        [ingest_id, ingest_id],
    )
    deleted = one(
        con,
        """
        DELETE FROM focus_costs f USING _new_partitions p
        WHERE f.x_Provider = p.x_Provider AND f.BillingAccountId = p.BillingAccountId
          AND f.BillingPeriodStart = p.BillingPeriodStart AND f.x_IngestId <> ?
        """,
        [ingest_id],
    )
    _drop_superseded_quarantine(con, ingest_id)
    keys = con.execute(
        "SELECT concat_ws('/', x_Provider, BillingAccountId, strftime(BillingPeriodStart, '%Y-%m'))"
        " FROM _new_partitions ORDER BY 1"
    ).fetchall()
    con.execute("DROP TABLE _new_partitions")
    return [k[0] for k in keys], int(deleted[0])


def _drop_superseded_quarantine(con: duckdb.DuckDBPyConnection, ingest_id: int) -> None:
    """Quarantined rows of replaced partitions, or of earlier loads of the same files, go too."""
    con.execute(
        """
        DELETE FROM quarantine q USING _new_partitions p
        WHERE q.x_Provider = p.x_Provider AND q.BillingAccountId = p.BillingAccountId
          AND q.BillingPeriodStart = p.BillingPeriodStart AND q.ingest_id <> ?
        """,
        [ingest_id],
    )
    con.execute(
        """
        DELETE FROM quarantine WHERE ingest_id <> ? AND source_file IN
            (SELECT DISTINCT source_file FROM quarantine WHERE ingest_id = ?
             UNION SELECT path FROM ingest_files WHERE ingest_id = ?)
        """,
        [ingest_id, ingest_id, ingest_id],
    )


def _record(con: duckdb.DuckDBPyConnection, s: IngestSummary, started_at: dt.datetime) -> None:
    t = s.source_totals
    con.execute(
        "INSERT INTO ingests VALUES (?, ?, ?, ?, now(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            s.ingest_id,
            s.source,
            s.format,
            started_at,
            s.files,
            t.rows,
            t.billed,
            t.effective,
            s.loaded_rows,
            s.loaded_billed,
            s.loaded_effective,
            s.quarantined_rows,
            s.quarantined_billed,
            s.quarantined_effective,
            t.unparsed_rows,
            s.partitions,
            s.replaced_rows,
            t.derived_rows,
        ],
    )
