"""Measure the analyzers against the demo company's planted ground truth.

    python benchmarks/accuracy.py [--families idle,spot,...] [--db PATH] [--json]

Loads the demo company (``cloudspend demo``'s loader) into a new warehouse, runs every analyzer,
and compares the open findings with ``fixtures/demo/ground_truth.json``: per family, precision
(found findings that were planted) and recall (planted findings that were found), every decoy
that was flagged, and per matched finding the savings error against the planted figure.
Targets (issue 7): precision and recall at least 95 % per family, no decoy flagged, each
savings estimate within 5 %. For commitments also the recommended hourly commitment of each
planted commitment group against the planted optimum (the sum of the 1-year hourly rates of the
group's planted VMs; target: within 5 %).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

if not __package__:  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from analysis.findings import CANNOT_JUDGE, FAMILIES, Finding
from analysis.run import analyze
from cloudspend.demo import DEMO, run_demo
from warehouse.db import Warehouse

SNAPSHOT_ARN = re.compile(r"^arn:aws:ec2:[^:]*:[^:]*:snapshot/(snap-[0-9a-f]+)$")
Key = tuple[str, str]  # (check, resource id as matched)


def resource_key(resource_id: str | None) -> str:
    """Resource ids as the ground truth writes them: case-blind (Azure), snapshots of AWS by
    their ``snap-`` id rather than their ARN."""
    rid = (resource_id or "").strip()
    match = SNAPSHOT_ARN.match(rid)
    return (match.group(1) if match else rid).lower()


@dataclass
class FamilyScore:
    """How one family did."""

    family: str
    planted: int = 0
    found: int = 0
    matched: int = 0
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    decoys_flagged: list[str] = field(default_factory=list)
    savings_errors: dict[str, float] = field(default_factory=dict)
    level_errors: dict[str, float] = field(default_factory=dict)  # commitment groups

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.planted if self.planted else 1.0

    @property
    def worst_savings_error(self) -> float:
        return max(self.savings_errors.values(), default=0.0)

    @property
    def worst_level_error(self) -> float:
        return max(self.level_errors.values(), default=0.0)

    def meets_targets(self) -> bool:
        return (
            self.precision >= 0.95
            and self.recall >= 0.95
            and not self.decoys_flagged
            and self.worst_savings_error <= 0.05
            and self.worst_level_error <= 0.05
        )


def _error(found: Finding, expected: float) -> float:
    got = float(found.savings or Decimal(0))
    if expected == 0:
        return 0.0 if abs(got) < 0.01 else 1.0
    return abs(got - expected) / expected


def score(findings: list[Finding], truth: dict[str, Any], family: str) -> FamilyScore:
    """Compare one family's open findings with what was planted."""
    result = FamilyScore(family)
    planted = {
        (e["check"], resource_key(e["resource_id"])): float(e["expected_monthly_savings"])
        for e in truth["expectations"]
        if e["family"] == family
    }
    ours = {
        (f.check, resource_key(f.resource_id)): f
        for f in findings
        if f.family == family and f.status != CANNOT_JUDGE
    }
    decoys = {(d["check"], resource_key(d["resource_id"])) for d in truth["decoys"]}
    result.planted, result.found = len(planted), len(ours)
    for key, finding in ours.items():
        name = f"{key[0]} {key[1]}"
        if key in planted:
            result.matched += 1
            result.savings_errors[name] = round(_error(finding, planted[key]), 4)
        else:
            result.extra.append(name)
        if key in decoys:
            result.decoys_flagged.append(name)
    result.missed = [f"{k[0]} {k[1]}" for k in planted if k not in ours]
    result.level_errors = level_errors(findings, truth, family)
    return result


def level_errors(findings: list[Finding], truth: dict[str, Any], family: str) -> dict[str, float]:
    """Per planted commitment group: |recommended hourly commitment - planted optimum| / optimum,
    the optimum being the sum of the group's planted VMs' 1-year hourly rates (1.0: none)."""
    planted: dict[str, float] = {}
    for e in truth["expectations"]:
        if e["family"] == family and e["check"] == "commitment_purchase":
            group = e["evidence"]["commitment_group"].lower()
            planted[group] = planted.get(group, 0.0) + float(e["inputs"]["commit_1y_hourly_rate"])
    ours = {
        str(f.evidence.get("commitment_group", "")).lower(): float(
            f.evidence["recommended"]["hourly_commitment"]
        )
        for f in findings
        if f.check == "commitment_purchase" and f.status != CANNOT_JUDGE
    }
    return {
        group: round(abs(ours[group] - want) / want, 4) if group in ours else 1.0
        for group, want in planted.items()
    }


def measure(db: Path, families: tuple[str, ...]) -> list[FamilyScore]:
    """Load the demo company into ``db``, analyze it, score each family."""
    warehouse = Warehouse(db)
    run_demo(warehouse)
    run = analyze(warehouse)
    truth = json.loads((DEMO / "ground_truth.json").read_text(encoding="utf-8"))
    return [score(run.findings, truth, family) for family in families]


def _print(scores: list[FamilyScore]) -> None:
    print(f"{'family':<12} {'planted':>7} {'found':>6} {'precision':>9} {'recall':>7}"
          f" {'decoys':>6} {'worst savings error':>20}")  # fmt: skip
    for s in scores:
        print(f"{s.family:<12} {s.planted:>7} {s.found:>6} {s.precision:>9.1%} {s.recall:>7.1%}"
              f" {len(s.decoys_flagged):>6} {s.worst_savings_error:>20.2%}")  # fmt: skip
        for label, items in (("missed", s.missed), ("not planted", s.extra),
                             ("decoy flagged", s.decoys_flagged)):  # fmt: skip
            for item in items:
                print(f"    {label}: {item}")
        for name, err in sorted(s.savings_errors.items()):
            if err > 0.05:
                print(f"    savings off by {err:.1%}: {name}")
        for group, err in sorted(s.level_errors.items()):
            print(f"    commitment level off by {err:.2%}: {group}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", default=",".join(FAMILIES), help="comma-separated families")
    parser.add_argument("--db", type=Path, help="warehouse to build (default: a temp file)")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args()
    db = args.db or Path(tempfile.mkdtemp(prefix="accuracy-")) / "demo.duckdb"
    scores = measure(db, tuple(args.families.split(",")))
    if args.json:
        print(json.dumps([asdict(s) | {"precision": s.precision, "recall": s.recall}
                          for s in scores], indent=1))  # fmt: skip
    else:
        _print(scores)
    sys.exit(0 if all(s.meets_targets() for s in scores) else 1)


if __name__ == "__main__":
    main()
