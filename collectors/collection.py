"""What every `cloudspend collect <cloud>` shares: its report, loading the export periods it
fetched, and storing what it observed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from collectors.ingest import ingest
from collectors.store import ObservationTables, store_observations
from warehouse.db import Warehouse
from warehouse.load import IngestSummary
from warehouse.observations import Replaced

Tell = Callable[[str], None]


class FetchedExport(Protocol):
    """A billing export mirrored locally: one folder per period to load."""

    @property
    def periods(self) -> list[str]: ...

    @property
    def sources(self) -> list[Path]: ...

    @property
    def downloaded(self) -> int: ...

    @property
    def reused(self) -> int: ...


class Observed(ObservationTables, Protocol):
    """Observations with the problems met while reading them."""

    @property
    def problems(self) -> Iterable[object]: ...


@dataclass
class CollectReport:
    """What one collection did."""

    billing: list[IngestSummary] = field(default_factory=list)
    fetched: FetchedExport | None = None
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    stored: dict[str, Replaced] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    billing_source: str = "none"


def load_fetched(
    warehouse: Warehouse, fetched: FetchedExport, source: str, report: CollectReport
) -> None:
    """Load every fetched period like `cloudspend ingest`, noting the files left out."""
    report.fetched = fetched
    report.billing = ingest(
        warehouse, fetched.sources, on_skip=lambda path, why: report.skipped.append((path, why))
    )
    report.billing_source = source


def store_observed(warehouse: Warehouse, observed: Observed, report: CollectReport) -> None:
    """Store inventory, metrics and prices; report what failed while reading them."""
    report.problems.extend(str(p) for p in observed.problems)
    report.stored = store_observations(warehouse, observed)


def say(tell: Tell | None, message: str) -> None:
    """Pass a progress message on, when someone listens."""
    if tell:
        tell(message)
