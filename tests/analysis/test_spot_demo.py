"""The spot family against the demo company: every planted spot candidate (the scaling-group
fleet members of each provider) is found with savings within 5 %, the stateful-database decoys
are not flagged, and nothing else is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.findings import CANNOT_JUDGE
from analysis.run import analyze
from cloudspend.demo import DEMO, run_demo
from warehouse.db import Warehouse


@pytest.mark.slow
def test_the_demo_company_spot_candidates(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path / "demo.duckdb")
    run_demo(warehouse)
    run = analyze(warehouse)
    truth = json.loads((DEMO / "ground_truth.json").read_text(encoding="utf-8"))
    ours = {(f.check, (f.resource_id or "").lower()): f for f in run.findings
            if f.family == "spot" and f.status != CANNOT_JUDGE}  # fmt: skip
    planted = [e for e in truth["expectations"] if e["family"] == "spot"]
    for e in planted:
        k = (e["check"], e["resource_id"].lower())
        assert k in ours, f"missed {k}"
        got, want = float(ours[k].savings or 0), e["expected_monthly_savings"]
        assert abs(got - want) <= 0.05 * want, f"{k}: {got} vs {want}"
        assert ours[k].evidence["rule"] == "scaling_group"
    decoys = {(d["check"], d["resource_id"].lower()) for d in truth["decoys"]}
    assert not decoys & set(ours)
    assert len(ours) == len(planted) == 9
