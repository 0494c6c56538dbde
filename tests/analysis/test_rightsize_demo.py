"""The rightsizing and untagged families against the demo company: every planted case is found
with the planted check and savings (untagged: the cost at stake) within 5 %, nothing else is
flagged in these families, and no decoy of theirs is."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from analysis.findings import CANNOT_JUDGE, Finding
from analysis.run import analyze
from cloudspend.demo import DEMO, run_demo
from warehouse.db import Warehouse

FAMILIES = ("rightsizing", "untagged")


def key(check: str, resource_id: str | None) -> tuple[str, str]:
    return check, (resource_id or "").lower()


def close(got: Any, want: float) -> bool:
    return abs(float(got or 0) - want) <= 0.05 * want


@pytest.mark.slow
def test_the_demo_company_rightsizing_and_untagged_cases(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path / "demo.duckdb")
    run_demo(warehouse)
    run = analyze(warehouse)
    truth = json.loads((DEMO / "ground_truth.json").read_text(encoding="utf-8"))
    ours: dict[tuple[str, str], Finding] = {
        key(f.check, f.resource_id): f for f in run.findings
        if f.family in FAMILIES and f.status != CANNOT_JUDGE
    }  # fmt: skip
    planted = [e for e in truth["expectations"] if e["family"] in FAMILIES]
    for e in planted:
        k = key(e["check"], e["resource_id"])
        assert k in ours, f"missed {k}"
        found = ours[k]
        if e["family"] == "untagged":
            assert found.savings == 0
            assert close(found.monthly_cost, e["monthly_cost"]), k
        else:
            assert close(found.savings, e["expected_monthly_savings"]), k
            assert found.target["sku"] == e["evidence"]["target_sku"]
    decoys = {key(d["check"], d["resource_id"]) for d in truth["decoys"]}
    assert not decoys & set(ours)
    assert len(ours) == len(planted)  # precision: nothing unplanted in these families
