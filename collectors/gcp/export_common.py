"""What the two billing-export fetchers (BigQuery table, extracted files) share: their result,
the invoice months to read, the retry from ``[gcp.retry]`` and the folder swap.

Invoice months follow US Pacific time, as Google invoices: at 2026-11-01 03:00 UTC it is still
October in California, so October is the newest invoice month.
"""

from __future__ import annotations

import datetime as dt
import shutil
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from google.api_core import retry as api_retry

from collectors.gcp.settings import GcpRetry

PACIFIC_NAME = "America/Los_Angeles"
PACIFIC_STANDARD = dt.timezone(dt.timedelta(hours=-8))  # without a time-zone database
Tell = Callable[[str], None]


@dataclass
class FetchedBilling:
    """A billing export mirrored locally (implements ``collectors.collection.FetchedExport``)."""

    root: Path
    periods: list[str] = field(default_factory=list)  # "YYYY-MM", oldest first
    sources: list[Path] = field(default_factory=list)  # one folder per period, to ingest
    downloaded: int = 0  # files written or downloaded by this run
    reused: int = 0  # mirrored files left as they were (unchanged in the bucket)
    rows: int = 0  # rows the BigQuery queries returned
    bytes_scanned: int = 0  # bytes the BigQuery queries processed (what on-demand bills)


def invoice_months(now: dt.datetime, count: int) -> list[str]:
    """The ``count`` newest invoice months at ``now`` (naive = UTC), as YYYYMM, oldest first."""
    aware = now if now.tzinfo else now.replace(tzinfo=dt.UTC)
    local = aware.astimezone(_pacific())
    year, month = local.year, local.month
    found: list[str] = []
    for _ in range(count):
        found.append(f"{year:04d}{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return sorted(found)


def period_of(month: str) -> str:
    """YYYYMM -> YYYY-MM."""
    return f"{month[:4]}-{month[4:]}"


def month_start(month: str) -> dt.date:
    """The first day of a YYYYMM invoice month."""
    return dt.date(int(month[:4]), int(month[4:]), 1)


def _pacific() -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(PACIFIC_NAME)
    except zoneinfo.ZoneInfoNotFoundError:
        return PACIFIC_STANDARD


def with_settings(policy: api_retry.Retry, settings: GcpRetry) -> api_retry.Retry:
    """A client library's own retry (its predicate) with the waits of ``[gcp.retry]``."""
    return policy.with_delay(
        initial=settings.initial, maximum=settings.maximum, multiplier=settings.multiplier
    ).with_timeout(settings.timeout)


def swap_folder(built: Path, final: Path) -> None:
    """Put ``built`` where ``final`` is, dropping the old one: two renames, never a mix."""
    old = final.with_name(f".{final.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    built.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def first_line(exc: BaseException) -> str:
    """An error's first line (API errors carry long debug text after it)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def say(tell: Tell | None, message: str) -> None:
    """Pass a progress message on, when someone listens."""
    if tell:
        tell(message)
