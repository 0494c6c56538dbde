"""The spot family against the demo company: every planted spot candidate (the scaling-group
fleet members of each provider) is found with savings within 5 %, the stateful-database decoys
are not flagged, and nothing else is."""

from __future__ import annotations

import pytest

from tests.analysis.demo_company import DemoRun, close, key


@pytest.mark.slow
def test_the_demo_company_spot_candidates(demo: DemoRun) -> None:
    ours = demo.found("spot")
    planted = demo.planted("spot")
    for e in planted:
        k = key(e["check"], e["resource_id"])
        assert k in ours, f"missed {k}"
        assert close(ours[k].savings, e["expected_monthly_savings"]), k
        assert ours[k].evidence["rule"] == "scaling_group"
    assert not demo.decoys() & set(ours)
    assert len(ours) == len(planted) == 9
