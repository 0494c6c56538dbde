"""The file-format registry that `cloudspend ingest` detects formats through.

Each collector registers the billing file formats it reads. Detection asks every format, in
registration order, whether it recognizes a file's columns; the first that does loads it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.errors import CloudSpendError
from warehouse.load import SourceTotals


class CollectorError(CloudSpendError):
    """A source could not be read or understood."""


@dataclass(frozen=True)
class Detection:
    """A format's claim on a file: which variant it is (e.g. FOCUS 1.0) and why."""

    format: str  # registry name, e.g. "focus"
    variant: str  # e.g. "focus-1.0"


@dataclass(frozen=True)
class LoadContext:
    """What a loader needs to write one file into the open write transaction."""

    con: duckdb.DuckDBPyConnection
    ingest_id: int
    path: Path
    detection: Detection


Detector = Callable[[duckdb.DuckDBPyConnection, Path], Detection | None]
Loader = Callable[[LoadContext], SourceTotals]
# Runs once after every file of an ingest is loaded (e.g. to build rows from several files).
Finisher = Callable[[duckdb.DuckDBPyConnection, int], SourceTotals]


@dataclass(frozen=True)
class FileFormat:
    """One registered billing format."""

    name: str
    description: str
    detect: Detector
    load: Loader
    # When one folder holds several flavours of the same bill (an AWS export as CUR 2.0, FOCUS
    # and legacy CUR), the flavours load in rising preference, so for each billing period the
    # most preferred one's rows replace the others'.
    preference: int = 20
    finish: Finisher | None = None
    # Detection asks formats in rising rank, whatever order they registered in: providers' own
    # formats have strict column signatures; native FOCUS (which accepts "mostly FOCUS" files,
    # and MCA cost details carry many FOCUS-named columns) comes last.
    detect_rank: int = 50


FORMATS: dict[str, FileFormat] = {}


@dataclass
class Selection:
    """The files of a folder to load, and those left out with the reason."""

    files: list[Path]
    skipped: list[tuple[Path, str]]


# A folder rule: given a folder and every data file below it, which to load (e.g. only the files
# an export's newest manifest lists).
Selector = Callable[[Path, list[Path]], Selection]
SELECTORS: list[Selector] = []


def register_selector(selector: Selector) -> Selector:
    """Add a folder rule (collectors call this at import)."""
    if selector not in SELECTORS:
        SELECTORS.append(selector)
    return selector


def register_format(fmt: FileFormat) -> FileFormat:
    """Add a format to the registry (collectors call this at import)."""
    FORMATS[fmt.name] = fmt
    return fmt


def detect(con: duckdb.DuckDBPyConnection, path: Path) -> tuple[FileFormat, Detection] | None:
    """The first registered format that recognizes ``path``, with its detection."""
    for fmt in sorted(FORMATS.values(), key=lambda f: f.detect_rank):
        found = fmt.detect(con, path)
        if found is not None:
            return fmt, found
    return None
