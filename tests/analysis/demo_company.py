"""The demo company loaded and analyzed once per test process, for the family tests that check
the planted ground truth; findings and planted cases keyed as ``benchmarks/accuracy.py`` does."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.findings import CANNOT_JUDGE, Finding
from analysis.run import AnalysisRun, analyze
from benchmarks.accuracy import resource_key
from cloudspend.demo import DEMO, run_demo
from warehouse.db import Warehouse

Key = tuple[str, str]


@dataclass(frozen=True)
class DemoRun:
    """The analyzed demo warehouse, its run and the ground truth."""

    warehouse: Warehouse
    run: AnalysisRun
    truth: dict[str, Any]

    def found(self, *families: str) -> dict[Key, Finding]:
        """Open findings of ``families`` by (check, resource key)."""
        return {
            key(f.check, f.resource_id): f
            for f in self.run.findings
            if f.family in families and f.status != CANNOT_JUDGE
        }

    def planted(self, *families: str) -> list[dict[str, Any]]:
        return [e for e in self.truth["expectations"] if e["family"] in families]

    def decoys(self) -> set[Key]:
        return {key(d["check"], d["resource_id"]) for d in self.truth["decoys"]}


def key(check: str, resource_id: str | None) -> Key:
    return check, resource_key(resource_id)


def close(got: Any, want: float) -> bool:
    """Within 5 % of the planted figure."""
    return abs(float(got or 0) - want) <= 0.05 * want


def analyzed_demo(folder: Path) -> DemoRun:
    warehouse = Warehouse(folder / "demo.duckdb")
    run_demo(warehouse)
    truth = json.loads((DEMO / "ground_truth.json").read_text(encoding="utf-8"))
    return DemoRun(warehouse, analyze(warehouse), truth)
