"""The idle family against the demo company: every planted idle case is found with the planted
check and savings within 5 %, and no idle decoy is flagged."""

from __future__ import annotations

import pytest

from tests.analysis.demo_company import DemoRun, close, key


@pytest.mark.slow
def test_the_demo_company_idle_cases(demo: DemoRun) -> None:
    ours = demo.found("idle")
    for e in demo.planted("idle"):
        k = key(e["check"], e["resource_id"])
        assert k in ours, f"missed {k}"
        assert close(ours[k].savings, e["expected_monthly_savings"]), k
    assert not demo.decoys() & set(ours)
    assert len(ours) == 18
