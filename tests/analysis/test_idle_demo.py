"""The idle family against the demo company: every planted idle case is found with the planted
check and savings within 5 %, and no idle decoy is flagged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.findings import CANNOT_JUDGE
from analysis.run import analyze
from cloudspend.demo import DEMO, run_demo
from warehouse.db import Warehouse


def key(check: str, resource_id: str | None) -> tuple[str, str]:
    rid = (resource_id or "").lower()
    return check, rid.rsplit("/", 1)[-1] if rid.startswith("arn:aws:ec2:") else rid


@pytest.mark.slow
def test_the_demo_company_idle_cases(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path / "demo.duckdb")
    run_demo(warehouse)
    run = analyze(warehouse)
    truth = json.loads((DEMO / "ground_truth.json").read_text(encoding="utf-8"))
    ours = {key(f.check, f.resource_id): f for f in run.findings
            if f.family == "idle" and f.status != CANNOT_JUDGE}  # fmt: skip
    for e in (e for e in truth["expectations"] if e["family"] == "idle"):
        k = key(e["check"], e["resource_id"])
        assert k in ours, f"missed {k}"
        got, want = float(ours[k].savings or 0), e["expected_monthly_savings"]
        assert abs(got - want) <= 0.05 * want, f"{k}: {got} vs {want}"
    decoys = {key(d["check"], d["resource_id"]) for d in truth["decoys"]}
    assert not decoys & set(ours)
    assert len(ours) == 18
