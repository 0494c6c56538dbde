"""The analyzer registry: every analyzer module registers one :class:`Analyzer`; ``cloudspend
analyze --list`` and ``docs/analyzers.md`` are made from it."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb
from pydantic import ValidationError

from analysis.findings import Finding
from analysis.params import Params
from analysis.window import Window, window
from warehouse.errors import CloudSpendError

# one module per analyzer, in the order they run (and are listed)
ANALYZER_MODULES: tuple[str, ...] = (
    # idle
    "analysis.idle_ip",
    "analysis.idle_vm",
    "analysis.idle_disk",
    "analysis.idle_lb",
    "analysis.idle_snapshot",
    "analysis.idle_stopped_vm",
    "analysis.idle_database",
    # rightsizing
    "analysis.rightsize_vm",
    "analysis.rightsize_disk",
    "analysis.rightsize_generation",
    # spot
    "analysis.spot",
    # untagged
    "analysis.untagged",
    # commitment
    "analysis.commitment_health",
    "analysis.commitment_purchase",
)


@dataclass(frozen=True)
class RunContext:
    """What every analyzer gets: the open connection (with ``resource_costs`` prepared) and
    the end of the data's last complete day (midnight UTC)."""

    con: duckdb.DuckDBPyConnection
    end: dt.datetime
    # (analyzer name, finding) for the analyzers that ran before this one in the same run,
    # without the findings a user dismissed or snoozed; None when an analyzer runs on its own.
    earlier: tuple[tuple[str, Finding], ...] | None = None

    def window(self, days: int) -> Window:
        """The ``days`` whole days before the end of the data."""
        return window(self.end, days)


Runner = Callable[[RunContext, Any], list[Finding]]


@dataclass(frozen=True)
class Analyzer:
    """One analyzer: its name (the config section ``[analysis.<name>]``), family, what it finds,
    its parameters model and the function that runs it."""

    name: str
    family: str
    summary: str
    params: type[Params]
    run: Runner


REGISTRY: dict[str, Analyzer] = {}


class AnalysisError(CloudSpendError):
    """Analyzer parameters or data an analysis cannot use."""


def register(analyzer: Analyzer) -> Analyzer:
    """Add an analyzer (each module calls this at import)."""
    REGISTRY[analyzer.name] = analyzer
    return analyzer


def analyzers() -> list[Analyzer]:
    """Every registered analyzer, in ``ANALYZER_MODULES`` order."""
    for module in ANALYZER_MODULES:
        importlib.import_module(module)
    order = {module: i for i, module in enumerate(ANALYZER_MODULES)}
    return sorted(REGISTRY.values(), key=lambda a: order.get(a.run.__module__, len(order)))


def parameters(analyzer: Analyzer, overrides: dict[str, Any] | None) -> Params:
    """The analyzer's parameters: defaults, with the config file's overrides."""
    try:
        return analyzer.params.model_validate(overrides or {})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise AnalysisError(f"[analysis.{analyzer.name}] {where}: {first['msg']}") from exc


def check_overrides(overrides: dict[str, dict[str, Any]]) -> None:
    """Every configured section names a registered analyzer and holds valid parameters."""
    known = {a.name: a for a in analyzers()}
    for name, values in overrides.items():
        if name not in known:
            raise AnalysisError(f"[analysis.{name}]: no such analyzer ({', '.join(known)})")
        parameters(known[name], values)
